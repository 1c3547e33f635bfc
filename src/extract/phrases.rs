//! One matcher for every phrase of a language's lexicon: triggers, actors, victims,
//! numbers, date words and markers, found in a sentence's tokens in one pass.
//!
//! A phrase is words separated by spaces, matched against folded tokens: `word*`
//! matches any word starting with `word`; `=Word` matches the text's own spelling,
//! case and all (so `=IS` is Islamic State, not the verb "is"). A phrase never spans
//! punctuation.

use rustc_hash::FxHashMap as HashMap;

use crate::normalize::{Vocab, fold};

pub use crate::normalize::Token;

#[derive(Debug, Clone)]
enum Word {
    Exact(String),
    Prefix(String),
    Case(String),
}

/// A phrase's word after its first, as the matcher checks it: an exact or prefix
/// word by its number among the set's later words (see [`WordInfo`]), a
/// case-sensitive word by its spelling.
#[derive(Debug, Clone)]
enum Later {
    Exact(u32),
    Prefix(u32),
    Case(String),
}

/// What a phrase means; `T` is the payload the caller attaches.
#[derive(Debug, Clone)]
struct Phrase<T> {
    words: Vec<Word>,
    /// `words[1..]`, numbered.
    later: Vec<Later>,
    payload: T,
}

/// A phrase found in a sentence: tokens `[start, end)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<T> {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// The phrase's payload.
    pub payload: T,
}

/// A set of phrases with payloads.
#[derive(Debug, Clone)]
pub struct PhraseSet<T> {
    phrases: Vec<Phrase<T>>,
    exact_first: HashMap<String, Vec<u32>>,
    prefix_first: HashMap<String, Vec<u32>>,
    case_first: HashMap<String, Vec<u32>>,
    /// Length of the prefix keys in `prefix_first` (shortest prefix, at most 3).
    prefix_key: usize,
    /// The keys of `case_first`, folded: a token whose folded word is none of them
    /// cannot be spelled like one.
    case_folded: rustc_hash::FxHashSet<String>,
    /// The exact words that stand after a phrase's first, numbered.
    later_exact: HashMap<String, u32>,
    /// The prefixes that stand after a phrase's first, numbered by position.
    later_prefix: Vec<String>,
}

/// Word number for no later exact word.
const NO_WORD: u32 = u32::MAX;

/// What the matcher knows of a word, kept by word number between sentences (see
/// [`PhraseSet::find_all_into`]).
#[derive(Debug)]
pub struct WordInfo<T> {
    /// The payloads of the one-word phrases (not case-sensitive) it matches, in the
    /// order of the phrases.
    singles: Box<[T]>,
    /// The longer phrases (not case-sensitive) whose first word matches it and whose
    /// second is no exact word, with their rank among the word's candidates:
    /// (rank, phrase).
    other: Box<[(u32, u32)]>,
    /// The longer phrases whose first word matches it and whose second is an exact
    /// word: (second word's number, rank, phrase), sorted.
    by_second: Box<[(u32, u32, u32)]>,
    /// Some case-sensitive first word folds to it: the token's spelling is looked up.
    case: bool,
    /// Its number among the set's later exact words, or [`NO_WORD`].
    exact: u32,
    /// The numbers of the later prefixes it starts with.
    prefixes: Box<[u32]>,
}

impl<T> WordInfo<T> {
    /// No phrase can start at the word.
    fn starts_none(&self) -> bool {
        self.singles.is_empty() && self.other.is_empty() && self.by_second.is_empty() && !self.case
    }
}

/// What the matcher knows of each word, by word number: a small number a word (most
/// words share the first, "nothing"), and the distinct facts apart, so that the
/// per-token look-up reads four bytes.
#[derive(Debug)]
pub struct FirstWordCache<T> {
    /// By word number: the index in `infos`, or [`UNKNOWN`] before first sight.
    index: Vec<u32>,
    /// `infos[0]` is the word that no phrase can start or continue.
    infos: Vec<WordInfo<T>>,
}

/// A word not looked at yet.
const UNKNOWN: u32 = u32::MAX;

impl<T> Default for FirstWordCache<T> {
    fn default() -> Self {
        FirstWordCache {
            index: Vec::new(),
            infos: vec![WordInfo {
                singles: Box::default(),
                other: Box::default(),
                by_second: Box::default(),
                case: false,
                exact: NO_WORD,
                prefixes: Box::default(),
            }],
        }
    }
}

impl<T> FirstWordCache<T> {
    /// Forgets every word (their vocabulary started afresh).
    pub fn clear(&mut self) {
        self.index.clear();
        self.infos.truncate(1);
    }

    /// The index of the facts of word `word`, computed by `info` on first sight.
    #[inline]
    fn index_of(&mut self, word: u32, info: impl FnOnce() -> WordInfo<T>) -> u32 {
        let w = word as usize;
        if w >= self.index.len() {
            // numbers come in order: grow by half again, not one slot at a time
            let len = (w + 1).max(self.index.len() + self.index.len() / 2);
            self.index.resize(len, UNKNOWN);
        }
        let k = self.index[w];
        if k != UNKNOWN {
            return k;
        }
        let info = info();
        let k = if info.starts_none() && info.exact == NO_WORD && info.prefixes.is_empty() {
            0
        } else {
            self.infos.push(info);
            (self.infos.len() - 1) as u32
        };
        self.index[w] = k;
        k
    }
}

impl<T: Clone> Default for PhraseSet<T> {
    fn default() -> Self {
        PhraseSet {
            phrases: Vec::new(),
            exact_first: HashMap::default(),
            prefix_first: HashMap::default(),
            case_first: HashMap::default(),
            prefix_key: 3,
            case_folded: Default::default(),
            later_exact: HashMap::default(),
            later_prefix: Vec::new(),
        }
    }
}

fn parse_words(phrase: &str) -> Vec<Word> {
    if let Some(rest) = phrase.strip_prefix('=') {
        return rest
            .split_whitespace()
            .map(|w| Word::Case(w.to_string()))
            .collect();
    }
    let mut out = Vec::new();
    for raw in phrase.split_whitespace() {
        let star = raw.ends_with('*');
        let f = fold(raw.trim_end_matches('*'));
        let parts: Vec<&str> = f.split(' ').filter(|p| !p.is_empty()).collect();
        for (i, p) in parts.iter().enumerate() {
            if star && i + 1 == parts.len() {
                out.push(Word::Prefix(p.to_string()));
            } else {
                out.push(Word::Exact(p.to_string()));
            }
        }
    }
    out
}

impl<T: Clone> PhraseSet<T> {
    /// Adds a phrase (see the module doc for its syntax); empty phrases are ignored.
    pub fn add(&mut self, phrase: &str, payload: T) {
        let words = parse_words(phrase);
        if words.is_empty() {
            return;
        }
        self.phrases.push(Phrase {
            words,
            later: Vec::new(),
            payload,
        });
    }

    /// Indexes the phrases added; call once after the last [`PhraseSet::add`].
    pub fn build(&mut self) {
        self.prefix_key = self
            .phrases
            .iter()
            .filter_map(|p| match &p.words[0] {
                Word::Prefix(w) => Some(w.chars().count()),
                _ => None,
            })
            .min()
            .unwrap_or(3)
            .clamp(1, 3);
        let (mut e, mut p, mut c) = (HashMap::default(), HashMap::default(), HashMap::default());
        let (mut later_exact, mut later_prefix) = (HashMap::default(), Vec::<String>::new());
        for (i, ph) in self.phrases.iter_mut().enumerate() {
            let i = i as u32;
            match &ph.words[0] {
                Word::Exact(w) => e.entry(w.clone()).or_insert_with(Vec::new).push(i),
                Word::Prefix(w) => p
                    .entry(w.chars().take(self.prefix_key).collect::<String>())
                    .or_insert_with(Vec::new)
                    .push(i),
                Word::Case(w) => c.entry(w.clone()).or_insert_with(Vec::new).push(i),
            }
            ph.later = ph.words[1..]
                .iter()
                .map(|w| match w {
                    Word::Exact(x) => {
                        let next = later_exact.len() as u32;
                        Later::Exact(*later_exact.entry(x.clone()).or_insert(next))
                    }
                    Word::Prefix(x) => {
                        let k = match later_prefix.iter().position(|p| p == x) {
                            Some(k) => k,
                            None => {
                                later_prefix.push(x.clone());
                                later_prefix.len() - 1
                            }
                        };
                        Later::Prefix(k as u32)
                    }
                    Word::Case(x) => Later::Case(x.clone()),
                })
                .collect();
        }
        self.case_folded = c.keys().map(|k| fold(k)).collect();
        self.exact_first = e;
        self.prefix_first = p;
        self.case_first = c;
        self.later_exact = later_exact;
        self.later_prefix = later_prefix;
    }

    fn later_matches(w: &Later, info: &WordInfo<T>, tok: &Token, text: &str) -> bool {
        match w {
            Later::Exact(x) => info.exact == *x,
            Later::Prefix(x) => info.prefixes.contains(x),
            Later::Case(x) => text.get(tok.start..tok.end) == Some(x.as_str()),
        }
    }

    /// The phrases whose first word (folded) may be `folded`.
    fn first_candidates(&self, folded: &str, out: &mut Vec<u32>) {
        if let Some(v) = self.exact_first.get(folded) {
            out.extend_from_slice(v);
        }
        if !self.prefix_first.is_empty() {
            let key = folded
                .char_indices()
                .nth(self.prefix_key)
                .map_or(folded, |(i, _)| &folded[..i]);
            if let Some(v) = self.prefix_first.get(key) {
                out.extend_from_slice(v);
            }
        }
    }

    /// What the matcher needs to know of the word `folded`.
    fn word_info(&self, folded: &str) -> WordInfo<T> {
        let mut cands = Vec::new();
        self.first_candidates(folded, &mut cands);
        // (case-sensitive first words are looked up apart, by the token's spelling)
        cands.retain(|&c| match &self.phrases[c as usize].words[0] {
            Word::Exact(x) => folded == x.as_str(),
            Word::Prefix(x) => folded.starts_with(x.as_str()),
            Word::Case(_) => false,
        });
        let (mut singles, mut other, mut by_second) = (Vec::new(), Vec::new(), Vec::new());
        for (rank, &c) in cands.iter().enumerate() {
            let ph = &self.phrases[c as usize];
            match ph.later.first() {
                None => singles.push(ph.payload.clone()),
                Some(&Later::Exact(second)) => by_second.push((second, rank as u32, c)),
                Some(_) => other.push((rank as u32, c)),
            }
        }
        by_second.sort_unstable();
        WordInfo {
            singles: singles.into_boxed_slice(),
            other: other.into_boxed_slice(),
            by_second: by_second.into_boxed_slice(),
            case: self.case_folded.contains(folded),
            exact: self.later_exact.get(folded).copied().unwrap_or(NO_WORD),
            prefixes: (0..self.later_prefix.len() as u32)
                .filter(|&k| folded.starts_with(self.later_prefix[k as usize].as_str()))
                .collect(),
        }
    }

    /// Every phrase that matches at each token, longest first at a token; matches may
    /// overlap (callers choose).
    pub fn find_all(&self, toks: &[Token], vocab: &Vocab, text: &str) -> Vec<Found<T>> {
        let mut out = Vec::new();
        self.find_all_into(toks, vocab, text, &mut FirstWordCache::default(), &mut out);
        out
    }

    /// [`PhraseSet::find_all`], appending to `out` (token indices are the sentence's
    /// own, from 0), with what is known of each word kept in `cache` by the word's
    /// number: one table look-up a token. Every call with one cache must pass tokens
    /// numbered by one [`crate::normalize::Vocab`].
    pub fn find_all_into(
        &self,
        toks: &[Token],
        vocab: &Vocab,
        text: &str,
        cache: &mut FirstWordCache<T>,
        out: &mut Vec<Found<T>>,
    ) {
        for t in toks {
            cache.index_of(t.word, || self.word_info(vocab.word(t.word)));
        }
        let cache: &FirstWordCache<T> = cache;
        let info_of = |t: &Token| &cache.infos[cache.index[t.word as usize] as usize];
        for (i, t) in toks.iter().enumerate() {
            let k = cache.index[t.word as usize];
            if k == 0 {
                continue;
            }
            let info = &cache.infos[k as usize];
            if info.starts_none() {
                continue;
            }
            // the case-sensitive phrases the token's spelling starts, as they were added
            let case_firsts: &[u32] = if info.case {
                text.get(t.start..t.end)
                    .and_then(|raw| self.case_first.get(raw))
                    .map_or(&[], Vec::as_slice)
            } else {
                &[]
            };
            if !info.other.is_empty() || !info.by_second.is_empty() || !case_firsts.is_empty() {
                self.longer_at(toks, i, case_firsts, &info_of, text, out);
            }
            out.extend(info.singles.iter().map(|p| Found {
                start: i,
                end: i + 1,
                payload: p.clone(),
            }));
            // case-sensitive one-word phrases after the rest
            for &c in case_firsts {
                let ph = &self.phrases[c as usize];
                if ph.later.is_empty() {
                    out.push(Found {
                        start: i,
                        end: i + 1,
                        payload: ph.payload.clone(),
                    });
                }
            }
        }
    }

    /// The phrases of two words or more that match at token `i` (not the one-word
    /// phrases), appended to `out` longest first, then in the order they were added
    /// among the word's candidates, case-sensitive ones (`case_firsts`) last.
    fn longer_at<'c>(
        &self,
        toks: &[Token],
        i: usize,
        case_firsts: &[u32],
        info_of: &impl Fn(&Token) -> &'c WordInfo<T>,
        text: &str,
        out: &mut Vec<Found<T>>,
    ) where
        T: 'c,
    {
        let Some(next) = toks.get(i + 1).filter(|n| !n.barrier_before) else {
            return;
        };
        let info = info_of(&toks[i]);
        // the phrases whose second word is the next token's
        let exact = info_of(next).exact;
        let from = info.by_second.partition_point(|c| c.0 < exact);
        let to = info.by_second[from..].partition_point(|c| c.0 == exact) + from;
        let seconds = &info.by_second[from..to];
        let first_out = out.len();
        let mut try_phrase = |c: u32| {
            let ph = &self.phrases[c as usize];
            let end = i + ph.words.len();
            // the first word matched when the candidate was found (a case-sensitive
            // one by its spelling), and a second exact word by its number
            if end <= toks.len()
                && ph.later.iter().zip(&toks[i + 1..end]).all(|(w, tok)| {
                    !tok.barrier_before && Self::later_matches(w, info_of(tok), tok, text)
                })
            {
                out.push(Found {
                    start: i,
                    end,
                    payload: ph.payload.clone(),
                });
            }
        };
        // the candidates in the order they were found: both lists are by rank
        let (mut o, mut s) = (info.other.iter().peekable(), seconds.iter().peekable());
        loop {
            let c = match (o.peek(), s.peek()) {
                (Some(&&(ro, co)), Some(&&(_, rs, _))) if ro < rs => {
                    o.next();
                    co
                }
                (_, Some(&&(_, _, cs))) => {
                    s.next();
                    cs
                }
                (Some(&&(_, co)), None) => {
                    o.next();
                    co
                }
                (None, None) => break,
            };
            try_phrase(c);
        }
        for &c in case_firsts {
            if !self.phrases[c as usize].later.is_empty() {
                try_phrase(c);
            }
        }
        if out.len() - first_out > 1 {
            out[first_out..].sort_by_key(|f| std::cmp::Reverse(f.end));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> (Vec<Token>, Vocab) {
        crate::normalize::tokenize(text)
    }

    #[test]
    fn exact_prefix_case_and_multiword() {
        let mut s = PhraseSet::default();
        s.add("aanval*", "attack");
        s.add("om het leven", "death");
        s.add("=IS", "islamic state");
        s.add("is strijder*", "islamic state");
        s.build();
        let text = "Bij de aanvallen kwamen zestien IS-strijders om het leven, zegt IS. Het is zo.";
        let (toks, vocab) = tokens(text);
        let found: Vec<(&str, &str)> = s
            .find_all(&toks, &vocab, text)
            .iter()
            .map(|f| (&text[toks[f.start].start..toks[f.end - 1].end], f.payload))
            .collect();
        assert_eq!(
            found,
            [
                ("aanvallen", "attack"),
                ("IS-strijders", "islamic state"),
                ("IS", "islamic state"),
                ("om het leven", "death"),
                ("IS", "islamic state"),
            ]
        );
    }

    #[test]
    fn second_words_are_checked_in_full() {
        let mut s = PhraseSet::default();
        s.add("in de provincie", 1);
        s.add("in het", 2);
        s.add("in", 3);
        s.build();
        // "dorp" shares no byte with "de"; "hat" has the length and first byte of "het"
        for (text, want) in [
            ("in de provincie", vec![1, 3]),
            ("in het dorp", vec![2, 3]),
            ("in hat", vec![3]),
            ("in dorp", vec![3]),
            ("in", vec![3]),
            ("in de", vec![3]),
        ] {
            let (toks, vocab) = tokens(text);
            let got: Vec<i32> = s
                .find_all(&toks, &vocab, text)
                .iter()
                .map(|f| f.payload)
                .collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn phrases_do_not_span_punctuation() {
        let mut s = PhraseSet::default();
        s.add("om het leven", 1);
        s.build();
        let text = "om het. leven";
        let (toks, vocab) = tokens(text);
        assert!(s.find_all(&toks, &vocab, text).is_empty());
    }

    /// Every match of a naive reading: at each token, each phrase tried word by word;
    /// longest first, then phrases with an exact first word, a prefix one and a
    /// case-sensitive one, each in the order added.
    fn naive(phrases: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        let (toks, vocab) = tokens(text);
        let mut out = Vec::new();
        for i in 0..toks.len() {
            let mut here = Vec::new();
            for (k, ph) in phrases.iter().enumerate() {
                let words = parse_words(ph);
                let group = match words[0] {
                    Word::Exact(_) => 0,
                    Word::Prefix(_) => 1,
                    Word::Case(_) => 2,
                };
                let end = i + words.len();
                let ok = end <= toks.len()
                    && words.iter().enumerate().all(|(j, w)| {
                        let t = &toks[i + j];
                        let folded = vocab.word(t.word);
                        (j == 0 || !t.barrier_before)
                            && match w {
                                Word::Exact(x) => folded == x,
                                Word::Prefix(x) => folded.starts_with(x.as_str()),
                                Word::Case(x) => &text[t.start..t.end] == x,
                            }
                    });
                if ok {
                    here.push((std::cmp::Reverse(end), group, k));
                }
            }
            here.sort();
            out.extend(here.into_iter().map(|(end, _, k)| (i, end.0, k)));
        }
        out
    }

    #[test]
    fn matches_are_those_of_a_naive_reading_in_its_order() {
        let phrases = [
            "in",
            "in de",
            "in de provincie",
            "in het",
            "in*",
            "de",
            "de prov*",
            "=IS",
            "=IS strijders",
            "is",
            "is*",
            "de provincie",
            "om het leven",
            "om*",
            "het",
            "=De Taliban",
            "de taliban",
            "taliban*",
            "in de*",
            "de =IS",
        ];
        let mut set = PhraseSet::default();
        for (k, p) in phrases.iter().enumerate() {
            set.add(p, k);
        }
        set.build();
        let words = [
            "in",
            "de",
            "De",
            "provincie",
            "provincies",
            "het",
            "IS",
            "is",
            "strijders",
            "om",
            "omdat",
            "leven",
            "Taliban",
            "taliban",
            "inname",
            ",",
            ".",
        ];
        let mut seed = 11u64;
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..14 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(words[(seed >> 33) as usize % words.len()]);
                text.push(' ');
            }
            let (toks, vocab) = tokens(&text);
            let got: Vec<(usize, usize, usize)> = set
                .find_all(&toks, &vocab, &text)
                .iter()
                .map(|f| (f.start, f.end, f.payload))
                .collect();
            assert_eq!(got, naive(&phrases, &text), "{text}");
        }
    }
}
