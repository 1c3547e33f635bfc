//! One matcher for every phrase of a language's lexicon: triggers, actors, victims,
//! numbers, date words and markers, found in a sentence's tokens in one pass.
//!
//! A phrase is words separated by spaces, matched against folded tokens: `word*`
//! matches any word starting with `word`; `=Word` matches the text's own spelling,
//! case and all (so `=IS` is Islamic State, not the verb "is"). A phrase never spans
//! punctuation.

use rustc_hash::FxHashMap as HashMap;

use crate::normalize::{Vocab, WordTable, fold};

pub use crate::normalize::Token;

#[derive(Debug, Clone)]
enum Word {
    Exact(String),
    Prefix(String),
    Case(String),
}

/// What a phrase means; `T` is the payload the caller attaches.
#[derive(Debug, Clone)]
struct Phrase<T> {
    words: Vec<Word>,
    payload: T,
    /// Its second word when that must equal a folded token: (length, first byte), to
    /// turn most candidates away without reading the words.
    second: Option<(usize, u8)>,
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
}

/// What a word can start, kept by word number between sentences (see
/// [`PhraseSet::find_all_into`]).
#[derive(Debug)]
pub struct FirstWord {
    /// The phrases (not case-sensitive) whose first word matches it.
    phrases: Box<[u32]>,
    /// Some case-sensitive first word folds to it: the token's spelling is looked up.
    case: bool,
}

/// The phrases that may start at each word, by word number.
pub type FirstWordCache = WordTable<FirstWord>;

impl<T: Clone> Default for PhraseSet<T> {
    fn default() -> Self {
        PhraseSet {
            phrases: Vec::new(),
            exact_first: HashMap::default(),
            prefix_first: HashMap::default(),
            case_first: HashMap::default(),
            prefix_key: 3,
            case_folded: Default::default(),
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
        let second = match words.get(1) {
            Some(Word::Exact(w)) => w.as_bytes().first().map(|&b| (w.len(), b)),
            _ => None,
        };
        self.phrases.push(Phrase {
            words,
            payload,
            second,
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
        for (i, ph) in self.phrases.iter().enumerate() {
            let i = i as u32;
            match &ph.words[0] {
                Word::Exact(w) => e.entry(w.clone()).or_insert_with(Vec::new).push(i),
                Word::Prefix(w) => p
                    .entry(w.chars().take(self.prefix_key).collect::<String>())
                    .or_insert_with(Vec::new)
                    .push(i),
                Word::Case(w) => c.entry(w.clone()).or_insert_with(Vec::new).push(i),
            }
        }
        self.case_folded = c.keys().map(|k| fold(k)).collect();
        self.exact_first = e;
        self.prefix_first = p;
        self.case_first = c;
    }

    fn word_matches(w: &Word, tok: &Token, vocab: &Vocab, text: &str) -> bool {
        match w {
            Word::Exact(x) => vocab.word(tok.word) == x.as_str(),
            Word::Prefix(x) => vocab.word(tok.word).starts_with(x.as_str()),
            Word::Case(x) => text.get(tok.start..tok.end) == Some(x.as_str()),
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

    /// Every phrase that matches at each token, longest first at a token; matches may
    /// overlap (callers choose).
    pub fn find_all(&self, toks: &[Token], vocab: &Vocab, text: &str) -> Vec<Found<T>> {
        let mut out = Vec::new();
        self.find_all_into(toks, vocab, text, &mut FirstWordCache::default(), &mut out);
        out
    }

    /// [`PhraseSet::find_all`], appending to `out` (token indices are the sentence's
    /// own, from 0), with the candidates of each word kept in `cache` by the word's
    /// number: one table look-up a token. Every call with one cache must pass tokens
    /// numbered by one [`crate::normalize::Vocab`].
    pub fn find_all_into(
        &self,
        toks: &[Token],
        vocab: &Vocab,
        text: &str,
        cache: &mut FirstWordCache,
        out: &mut Vec<Found<T>>,
    ) {
        for i in 0..toks.len() {
            let t = &toks[i];
            let first = cache.get_or_insert_with(t.word, || {
                let folded = vocab.word(t.word);
                // kept only the phrases whose first word this word is
                let mut cands = Vec::new();
                self.first_candidates(folded, &mut cands);
                // (case-sensitive first words are looked up apart, below)
                cands.retain(|&c| {
                    let w = &self.phrases[c as usize].words[0];
                    !matches!(w, Word::Case(_)) && Self::word_matches(w, t, vocab, text)
                });
                FirstWord {
                    phrases: cands.into_boxed_slice(),
                    case: self.case_folded.contains(folded),
                }
            });
            let firsts: &[u32] = &first.phrases;
            let case_firsts: &[u32] = if first.case {
                text.get(t.start..t.end)
                    .and_then(|raw| self.case_first.get(raw))
                    .map_or(&[], Vec::as_slice)
            } else {
                &[]
            };
            if firsts.is_empty() && case_firsts.is_empty() {
                continue;
            }
            let cands = firsts.iter().chain(case_firsts);
            let first_out = out.len();
            let next = toks.get(i + 1);
            for &c in cands {
                let ph = &self.phrases[c as usize];
                if let Some((len, b)) = ph.second
                    && next.is_none_or(|n| {
                        let w = vocab.word(n.word).as_bytes();
                        w.len() != len || w[0] != b
                    })
                {
                    continue;
                }
                let n = ph.words.len();
                if i + n > toks.len() {
                    continue;
                }
                // the first word matched when the candidate was found
                let ok = ph.words.iter().enumerate().skip(1).all(|(k, w)| {
                    let tok = &toks[i + k];
                    !tok.barrier_before && Self::word_matches(w, tok, vocab, text)
                }) && (!matches!(ph.words[0], Word::Case(_))
                    || Self::word_matches(&ph.words[0], t, vocab, text));
                if ok {
                    out.push(Found {
                        start: i,
                        end: i + n,
                        payload: ph.payload.clone(),
                    });
                }
            }
            if out.len() - first_out > 1 {
                out[first_out..].sort_by_key(|f| std::cmp::Reverse(f.end));
            }
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
}
