//! Extraction: from an article's text to its reports of events.
//!
//! Per language, every lexicon phrase is compiled into one matcher ([`phrases`]). An
//! article is split into sentences ([`sentences`]); each sentence is read for cues
//! (triggers, actors, counts, date words, markers) and place names (the geocoder's
//! automaton) by [`analyze`]; then [`link`] turns the sentences into reports: a
//! trigger sentence with places makes (or adds to) a report per place, a trigger
//! sentence without one adds to the report in focus, and sentences that are history,
//! general statements or hypotheses are left out.

pub mod analyze;
pub mod link;
pub mod phrases;
pub mod sentences;

use rustc_hash::FxHashMap as HashMap;

use rustc_hash::FxHashSet as HashSet;

use crate::article::Article;
use crate::event::Report;
use crate::geocode::Geocoder;
use crate::lexicon::{Lexicon, Lexicons};
use crate::normalize::Vocab;
use phrases::PhraseSet;

/// What a lexicon phrase signals in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// An event trigger (index into the lexicon's triggers).
    Trigger(u16),
    /// An actor (index into the lexicon's actors).
    Actor(u16),
    /// A victim noun.
    Victim(VictimKind),
    /// A noun for one person of a kind.
    Singular(VictimKind),
    /// A number word.
    Number(u64),
    /// A word joining number words.
    Joiner,
    /// A vague quantity (index into the lexicon's vague list).
    Vague(u16),
    /// "at least".
    AtLeast,
    /// "more than".
    MoreThan,
    /// "about".
    About,
    /// "among the victims".
    Among,
    /// Between a number and whom it counts ("members of", "van de").
    Partitive,
    /// A plural word for places ("districts").
    UnitPlural,
    /// A unit of distance (index into the lexicon's units).
    Unit(u16),
    /// A word making a distance one between places.
    Apart,
    /// A month name (1-12).
    Month(u8),
    /// A weekday (0 Monday .. 6 Sunday).
    Weekday(u8),
    /// A relative date (index into the lexicon's relative dates).
    Relative(u16),
    /// A death.
    Death,
    /// Casualties (possibly deaths).
    Casualties,
    /// An injury.
    Injury,
    /// Taken prisoner.
    Capture,
    /// A claim.
    Claim,
    /// Responsibility (of a claim of responsibility).
    Responsibility,
    /// Reported speech.
    Speech,
    /// Speech naming its speaker after it ("according to").
    Attribution,
    /// A general statement.
    Generic,
    /// A word opening a relative clause (", where").
    RelativeClause,
    /// History.
    History,
    /// A hypothesis.
    Hypothetical,
    /// Talks, agreements, visits.
    NonEvent,
    /// A phrase that situates a place.
    Situating,
    /// An institution at a place.
    Institution,
    /// Travel from or to a place.
    Movement,
    /// A locative word.
    Locative,
    /// A capitalised word that is no place.
    NotPlace,
    /// An event like one told before ("another, similar attack").
    Similar,
    /// An event apart from those told before ("earlier", "in a separate attack").
    Separate,
    /// The day last named ("that day", "die dag").
    SameDay,
    /// The day after the one last named ("the following day").
    NextDay,
    /// An event continuing a series ("It was followed by ...", "Then came ...").
    Series,
}

/// Who a count is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VictimKind {
    /// Non-state fighters.
    Combatants,
    /// Soldiers, police.
    Forces,
    /// Civilians.
    Civilians,
    /// People of no stated side.
    People,
}

/// A language, compiled for extraction.
#[derive(Debug, Clone)]
pub struct Language {
    /// The lexicon.
    pub lex: Lexicon,
    /// Every phrase of the lexicon.
    pub cues: PhraseSet<Cue>,
    /// Number words by length, longest first (for compounds: eenentwintig).
    pub number_words: Vec<(String, u64)>,
    /// Joiners of number words.
    pub joiners: Vec<String>,
    /// The first three bytes of every number word: a word that starts otherwise is no
    /// compound number.
    pub number_starts: HashSet<String>,
    /// Actor categories (by actor index), shared by the sentences read.
    pub actor_categories: Vec<String>,
    /// Abbreviations (folded) that do not end sentences.
    pub abbreviations: sentences::Abbreviations,
    stopwords: HashSet<String>,
    /// The language's frequent words and English's (folded): English words stand in
    /// every language's news ("Just", "Net").
    frequent: HashSet<String>,
    /// Separable verbs by folded verb form: (folded particle, the cues the whole verb
    /// gives) of each verb the form belongs to.
    separable: HashMap<String, Vec<(String, Vec<Cue>)>>,
}

impl Language {
    /// Whether a folded word is a frequent word of the language (or of English).
    pub fn is_frequent(&self, folded: &str) -> bool {
        self.frequent.contains(folded)
    }

    /// Adds to `out` the cues of the separable verbs of a sentence (`toks`): a verb
    /// form whose particle is the last word of its clause ("Opstandelingen vielen
    /// dinsdagnacht een politiepost aan", "vier agenten kwamen om"), at the verb. Keeps
    /// the sentence's cues (from `from` on) in order.
    pub fn find_separable(
        &self,
        toks: &[crate::normalize::Token],
        vocab: &Vocab,
        out: &mut Vec<phrases::Found<Cue>>,
        from: usize,
    ) {
        if self.separable.is_empty() {
            return;
        }
        let before = out.len();
        // the particle ends the clause: punctuation or the end after it
        let ends_clause = |j: usize| toks.get(j + 1).is_none_or(|n| n.barrier_before);
        for (i, t) in toks.iter().enumerate() {
            let Some(verbs) = self.separable.get(vocab.word(t.word)) else {
                continue;
            };
            for (particle, cues) in verbs {
                let found = (i + 1..toks.len().min(i + 16))
                    .take_while(|&j| j == i + 1 || !toks[j].barrier_before)
                    .any(|j| vocab.word(toks[j].word) == particle && ends_clause(j));
                if found {
                    out.extend(cues.iter().map(|&payload| phrases::Found {
                        start: i,
                        end: i + 1,
                        payload,
                    }));
                }
            }
        }
        if out.len() > before {
            out[from..].sort_by_key(|f| (f.start, f.end));
        }
    }

    fn compile(lex: &Lexicon, english: Option<&Lexicon>) -> Language {
        let mut cues = PhraseSet::default();
        for (i, t) in lex.events.triggers.iter().enumerate() {
            cues.add(&t.phrase, Cue::Trigger(i as u16));
        }
        for (i, a) in lex.events.actors.iter().enumerate() {
            cues.add(&a.phrase, Cue::Actor(i as u16));
        }
        let v = &lex.victims;
        for (list, kind) in [
            (&v.combatants, VictimKind::Combatants),
            (&v.forces, VictimKind::Forces),
            (&v.civilians, VictimKind::Civilians),
            (&v.people, VictimKind::People),
        ] {
            for w in list {
                cues.add(w, Cue::Victim(kind));
            }
        }
        for (list, kind) in [
            (&v.singular_civilians, VictimKind::Civilians),
            (&v.singular_forces, VictimKind::Forces),
            (&v.singular_combatants, VictimKind::Combatants),
            (&v.singular_people, VictimKind::People),
        ] {
            for w in list {
                cues.add(w, Cue::Singular(kind));
            }
        }
        let n = &lex.numbers;
        for (w, val) in &n.words {
            cues.add(w, Cue::Number(*val));
        }
        for w in &n.joiners {
            cues.add(w, Cue::Joiner);
        }
        for (i, (w, _, _)) in n.vague.iter().enumerate() {
            cues.add(w, Cue::Vague(i as u16));
        }
        for (i, (w, _)) in n.distance_units.iter().enumerate() {
            cues.add(w, Cue::Unit(i as u16));
        }
        for (list, cue) in [
            (&n.at_least, Cue::AtLeast),
            (&n.more_than, Cue::MoreThan),
            (&n.about, Cue::About),
            (&n.among, Cue::Among),
            (&n.partitive, Cue::Partitive),
            (&n.unit_plurals, Cue::UnitPlural),
            (&n.apart, Cue::Apart),
        ] {
            for w in list {
                cues.add(w, cue);
            }
        }
        let d = &lex.dates;
        for (i, m) in d.months.iter().enumerate() {
            cues.add(m, Cue::Month(i as u8 + 1));
        }
        for (a, m) in &d.month_abbreviations {
            cues.add(a, Cue::Month(*m as u8));
        }
        for (i, w) in d.weekdays.iter().enumerate() {
            cues.add(&format!("{w}*"), Cue::Weekday(i as u8));
        }
        for (i, r) in d.relative.iter().enumerate() {
            cues.add(&r.phrase, Cue::Relative(i as u16));
        }
        for w in &d.same_day {
            cues.add(w, Cue::SameDay);
        }
        for w in &d.next_day {
            cues.add(w, Cue::NextDay);
        }
        let m = &lex.markers;
        for (list, cue) in [
            (&m.death, Cue::Death),
            (&m.casualties, Cue::Casualties),
            (&m.injury, Cue::Injury),
            (&m.capture, Cue::Capture),
            (&m.claim, Cue::Claim),
            (&m.responsibility, Cue::Responsibility),
            (&m.speech, Cue::Speech),
            (&m.attribution, Cue::Attribution),
            (&m.generic, Cue::Generic),
            (&m.relative_clause, Cue::RelativeClause),
            (&m.history, Cue::History),
            (&m.hypothetical, Cue::Hypothetical),
            (&m.non_event, Cue::NonEvent),
            (&m.situating, Cue::Situating),
            (&m.institution, Cue::Institution),
            (&m.movement, Cue::Movement),
            (&m.locative, Cue::Locative),
            (&m.not_places, Cue::NotPlace),
            (&m.similar, Cue::Similar),
            (&m.separate, Cue::Separate),
            (&m.series, Cue::Series),
        ] {
            for w in list {
                cues.add(w, cue);
            }
        }
        cues.build();
        let mut number_words: Vec<(String, u64)> = n
            .words
            .iter()
            .map(|(w, v)| (crate::normalize::fold(w), *v))
            .collect();
        number_words.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        let number_starts = number_words
            .iter()
            .map(|(w, _)| w.chars().take(3).collect())
            .collect();
        Language {
            actor_categories: lex
                .events
                .actors
                .iter()
                .map(|a| a.category.clone())
                .collect(),
            cues,
            number_starts,
            number_words,
            joiners: n
                .joiners
                .iter()
                .map(|j| crate::normalize::fold(j))
                .collect(),
            abbreviations: sentences::Abbreviations::new(
                lex.sentences.abbreviations.iter().map(|a| a.to_lowercase()),
            ),
            stopwords: lex
                .stopwords
                .iter()
                .map(|w| crate::normalize::fold(w))
                .collect(),
            separable: {
                let mut by_form: HashMap<String, Vec<(String, Vec<Cue>)>> = HashMap::default();
                for v in &lex.events.separable {
                    let mut cues: Vec<Cue> = lex
                        .events
                        .triggers
                        .iter()
                        .position(|t| t.phrase == v.trigger)
                        .map(|t| Cue::Trigger(t as u16))
                        .into_iter()
                        .collect();
                    if v.death {
                        cues.push(Cue::Death);
                    }
                    let particle = crate::normalize::fold(&v.particle);
                    for form in &v.verbs {
                        by_form
                            .entry(crate::normalize::fold(form))
                            .or_default()
                            .push((particle.clone(), cues.clone()));
                    }
                }
                by_form
            },
            frequent: lex
                .frequent
                .iter()
                .chain(english.iter().flat_map(|e| e.frequent.iter()))
                .map(|w| crate::normalize::fold(w))
                .collect(),
            lex: lex.clone(),
        }
    }
}

/// Above this many bytes an article is read in parts ([`Session::extract_explained`]).
pub const PART_BYTES: usize = 1 << 20;

/// Cuts a text into parts of at most `max` bytes (a part is longer only when no cut
/// fits): at the last paragraph break of a part's second half, else the last sentence
/// end, else the last white space, else a character boundary. Gives each part's start
/// and text; the parts together are the text.
pub fn parts(text: &str, max: usize) -> Vec<(usize, &str)> {
    let max = max.max(2);
    let mut out = Vec::new();
    let mut start = 0;
    while text.len() - start > max {
        let mut end = start + max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let window = &text[start..end];
        let half = window.len() / 2;
        let tail = &window[half..];
        let cut = tail
            .rfind("\n\n")
            .map(|i| i + 2)
            .or_else(|| {
                // after the white space that follows the last sentence end
                memchr::memrchr3_iter(b'.', b'!', b'?', tail.as_bytes()).find_map(|i| {
                    let ws = tail[i + 1..].chars().next().filter(|c| c.is_whitespace())?;
                    Some(i + 1 + ws.len_utf8())
                })
            })
            .or_else(|| tail.rfind(char::is_whitespace).map(|i| i + 1))
            .map(|i| half + i);
        let len = match cut {
            Some(c) if c > 0 => c,
            _ => window
                .len()
                .max(text[start..].chars().next().map_or(1, char::len_utf8)),
        };
        out.push((start, &text[start..start + len]));
        start += len;
    }
    if start < text.len() || out.is_empty() {
        out.push((start, &text[start..]));
    }
    out
}

/// Extracts reports of events from articles (see the module doc).
pub struct Extractor<'g> {
    geocoder: &'g Geocoder,
    languages: Vec<Language>,
    /// Every language's stopwords, with the languages (indices) each is one of.
    stopwords: rustc_hash::FxHashMap<String, Vec<usize>>,
}

/// What one article gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    /// The language used.
    pub language: String,
    /// The reports of events.
    pub reports: Vec<Report>,
    /// Distances the article states between places.
    pub distances: Vec<crate::event::ReportedDistance>,
}

impl<'g> Extractor<'g> {
    /// An extractor with the embedded lexicons.
    pub fn new(geocoder: &'g Geocoder) -> Extractor<'g> {
        Extractor::with_lexicons(geocoder, Lexicons::embedded())
    }

    /// An extractor with the given lexicons (languages without event triggers, such as
    /// a place-words-only lexicon, are left out).
    pub fn with_lexicons(geocoder: &'g Geocoder, lex: &Lexicons) -> Extractor<'g> {
        let languages = lex
            .languages
            .iter()
            .filter(|l| !l.events.triggers.is_empty() && !l.stopwords.is_empty())
            .map(|l| Language::compile(l, lex.get("en")))
            .collect::<Vec<_>>();
        let mut stopwords = rustc_hash::FxHashMap::<String, Vec<usize>>::default();
        for (i, l) in languages.iter().enumerate() {
            for w in &l.stopwords {
                stopwords.entry(w.clone()).or_default().push(i);
            }
        }
        Extractor {
            geocoder,
            languages,
            stopwords,
        }
    }

    /// The geocoder in use.
    pub fn geocoder(&self) -> &'g Geocoder {
        self.geocoder
    }

    /// The language codes the extractor reads.
    pub fn languages(&self) -> Vec<&str> {
        self.languages
            .iter()
            .map(|l| l.lex.language.as_str())
            .collect()
    }

    /// The language of a text: the lexicon whose stopwords occur most often.
    pub fn detect_language(&self, text: &str) -> &str {
        // only the words that end within the first kilobytes count: the text up to the
        // first white space after them is enough (no word spans white space)
        let end = match text.get(Self::LANGUAGE_BYTES..) {
            Some(rest) => {
                Self::LANGUAGE_BYTES + rest.find(char::is_whitespace).unwrap_or(rest.len())
            }
            None if text.len() <= Self::LANGUAGE_BYTES => text.len(),
            // LANGUAGE_BYTES falls inside a character, so inside a word
            None => text
                .char_indices()
                .find(|&(i, c)| i > Self::LANGUAGE_BYTES && c.is_whitespace())
                .map_or(text.len(), |(i, _)| i),
        };
        let (toks, vocab) = sentences::tokenize(&text[..end]);
        self.detect_language_of(&toks, &vocab)
    }

    /// How many bytes from the start of a text tell its language.
    const LANGUAGE_BYTES: usize = 1500;

    /// [`Extractor::detect_language`] for a text's tokens: the first kilobytes tell.
    pub fn detect_language_of(&self, toks: &[phrases::Token], vocab: &Vocab) -> &str {
        self.most_stopwords(toks, |t| self.stopwords.get(vocab.word(t.word)))
    }

    /// The language with most stopwords among the tokens that end within
    /// [`Extractor::LANGUAGE_BYTES`]; `langs_of` gives the languages a token is a
    /// stopword of.
    fn most_stopwords<'a>(
        &self,
        toks: &[phrases::Token],
        mut langs_of: impl FnMut(&phrases::Token) -> Option<&'a Vec<usize>>,
    ) -> &str {
        let mut counts = vec![0usize; self.languages.len()];
        for t in toks.iter().take_while(|t| t.end <= Self::LANGUAGE_BYTES) {
            for &i in langs_of(t).into_iter().flatten() {
                counts[i] += 1;
            }
        }
        let best = (0..self.languages.len()).max_by_key(|&i| (counts[i], std::cmp::Reverse(i)));
        best.map(|i| self.languages[i].lex.language.as_str())
            .unwrap_or("en")
    }

    fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.lex.language == code)
    }

    /// A session: keeps a place scanner per language (with its word cache), for
    /// extracting many articles on one thread.
    pub fn session(&self) -> Session<'_, 'g> {
        Session {
            extractor: self,
            readers: HashMap::default(),
            vocab: Vocab::default(),
            stopwords_of: Vec::new(),
            cues: Vec::new(),
        }
    }
}

/// Extracts articles one after another on one thread (see [`Extractor::session`]).
pub struct Session<'e, 'g> {
    extractor: &'e Extractor<'g>,
    readers: HashMap<String, analyze::Reader<'g>>,
    /// The words of every article read, numbered once: the readers' tables and
    /// `stopwords_of` are indexed by these numbers.
    vocab: Vocab,
    /// Word number -> the languages it is a stopword of.
    stopwords_of: Vec<Option<&'e Vec<usize>>>,
    /// The cues of the article being read (kept to reuse its memory).
    cues: Vec<phrases::Found<Cue>>,
}

impl Session<'_, '_> {
    /// The reports of events in one article.
    pub fn extract(&mut self, article: &Article) -> Extraction {
        self.extract_explained(article, None)
    }

    /// [`Session::extract`], writing how each sentence was read to `explain`.
    ///
    /// An article longer than [`PART_BYTES`] is read in parts cut at paragraph or
    /// sentence ends ([`parts`]), each as an article of its own (in the language of the
    /// first), so that time grows with the length and memory with the part: an event
    /// told across a cut may become two reports (merging joins them), none is lost.
    pub fn extract_explained(
        &mut self,
        article: &Article,
        mut explain: Option<&mut dyn std::io::Write>,
    ) -> Extraction {
        if article.text.len() <= PART_BYTES {
            return self.extract_part(article, 0, explain);
        }
        let mut all = Extraction {
            language: String::new(),
            reports: Vec::new(),
            distances: Vec::new(),
        };
        for (start, text) in parts(&article.text, PART_BYTES) {
            let part = Article {
                id: article.id.clone(),
                date: article.date,
                title: None,
                text: text.to_string(),
                lang: article
                    .lang
                    .clone()
                    .or_else(|| (!all.language.is_empty()).then(|| all.language.clone())),
                url: None,
            };
            let mut buf: Vec<u8> = Vec::new();
            let ex = self.extract_part(
                &part,
                start,
                explain
                    .is_some()
                    .then_some(&mut buf as &mut dyn std::io::Write),
            );
            if let Some(w) = explain.as_mut() {
                let _ = w.write_all(&buf);
            }
            all.language = ex.language;
            all.reports.extend(ex.reports);
            all.distances.extend(ex.distances);
        }
        all
    }

    /// Extracts one article, or one part of one starting at byte `base` of it (report
    /// ids and offsets count from the article's start).
    fn extract_part(
        &mut self,
        article: &Article,
        base: usize,
        explain: Option<&mut dyn std::io::Write>,
    ) -> Extraction {
        let ex = self.extractor;
        if self.vocab.trim() {
            self.stopwords_of.clear();
            for r in self.readers.values_mut() {
                r.forget_numbers();
            }
        }
        let toks = sentences::tokenize_into(&article.text, &mut self.vocab);
        while self.stopwords_of.len() < self.vocab.len() {
            let w = self.vocab.word(self.stopwords_of.len() as u32);
            self.stopwords_of.push(ex.stopwords.get(w));
        }
        let code = match &article.lang {
            Some(l) if ex.language(l).is_some() => l.clone(),
            _ => ex
                .most_stopwords(&toks, |t| self.stopwords_of[t.word as usize])
                .to_string(),
        };
        let Some(lang) = ex.language(&code) else {
            return Extraction {
                language: code,
                reports: Vec::new(),
                distances: Vec::new(),
            };
        };
        let reader = self
            .readers
            .entry(code.clone())
            .or_insert_with(|| analyze::Reader::new(ex.geocoder, &code));
        let mut toks = toks;
        let sents = analyze::analyze_article(
            article,
            &mut toks,
            &self.vocab,
            &mut self.cues,
            lang,
            ex.geocoder,
            reader,
        );
        if let Some(w) = explain {
            let _ = analyze::explain(w, article, lang, ex.geocoder, &sents);
        }
        let (reports, distances) = link::link(
            article,
            base,
            &code,
            lang,
            ex.geocoder,
            &sents,
            &mut |place, name| reader.province_named(ex.geocoder, place, name),
        );
        Extraction {
            language: code,
            reports,
            distances,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Gazetteer;

    #[test]
    fn parts_cover_the_text_and_cut_at_paragraphs_then_sentences() {
        let para = "Eerste zin hier. Tweede zin daar.\n\n";
        let text = para.repeat(100);
        let ps = parts(&text, 500);
        assert_eq!(ps.iter().map(|(_, t)| *t).collect::<String>(), text);
        for w in ps.windows(2) {
            assert_eq!(w[0].0 + w[0].1.len(), w[1].0);
        }
        for (_, t) in &ps[..ps.len() - 1] {
            assert!(t.len() <= 500 && t.ends_with("\n\n"), "{t:?}");
        }
        // no paragraph: a sentence end; none: white space; none: a character
        let text = "Een zin over niets. ".repeat(50);
        for (_, t) in &parts(&text, 300)[..3] {
            assert!(t.ends_with(". "), "{t:?}");
        }
        let text = "woord ".repeat(100);
        assert!(parts(&text, 50).iter().all(|(_, t)| t.ends_with(' ')));
        let text = "é".repeat(1000);
        let ps = parts(&text, 101);
        assert_eq!(ps.iter().map(|(_, t)| *t).collect::<String>(), text);
        assert!(ps.iter().all(|(_, t)| t.len() <= 101));
        assert_eq!(parts("kort", 100), [(0, "kort")]);
        assert_eq!(parts("", 100), [(0, "")]);
    }

    #[test]
    fn a_long_article_read_in_parts_loses_no_report() {
        let g = Geocoder::new(Gazetteer::embedded());
        let ex = Extractor::new(&g);
        let para = "De taliban vielen zaterdag Kunduz aan. Daarbij kwamen drie agenten om.\n\n";
        let filler = "Er gebeurde verder niets bijzonders in de stad die dag. ".repeat(30);
        let block = format!("{para}{filler}\n\n");
        let n = PART_BYTES / block.len() * 3;
        let article = Article {
            id: "long.txt".into(),
            date: Some(crate::date::PubDate::parse("2019-09-02").unwrap()),
            title: None,
            text: block.repeat(n),
            lang: None,
            url: None,
        };
        let reports = ex.session().extract(&article).reports;
        // the event of every block, and each report id once
        let mut ids: Vec<&str> = reports.iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), reports.len());
        let starts: usize = parts(&article.text, PART_BYTES).len();
        assert!(starts >= 3);
        assert!(reports.len() >= starts, "{} reports", reports.len());
        assert!(reports.iter().all(|r| r.fatalities.best == 3));
        assert!(reports.iter().all(|r| r.offset < article.text.len()));
        // a report from every part, its offset counted from the article's start
        for (start, text) in parts(&article.text, PART_BYTES) {
            assert!(
                reports
                    .iter()
                    .any(|r| (start..start + text.len()).contains(&r.offset)),
                "no report in the part at {start}"
            );
        }
    }

    #[test]
    fn language_of_a_text_is_that_of_its_tokens() {
        let g = Geocoder::new(Gazetteer::embedded());
        let ex = Extractor::new(&g);
        let nl = "De taliban hebben de stad aangevallen en er zijn doden gevallen. ";
        let en = "The fighters attacked the town and there were deaths in the area. ";
        for text in [
            nl.repeat(40),
            en.repeat(40),
            format!("{}{}", "é".repeat(749), en.repeat(40)),
            format!("{}{}", nl.repeat(22), en.repeat(40)),
            nl.repeat(3),
        ] {
            assert_eq!(
                ex.detect_language(&text),
                {
                    let (toks, vocab) = sentences::tokenize(&text);
                    ex.detect_language_of(&toks, &vocab).to_string()
                },
                "{}",
                &text[..60]
            );
        }
        assert_eq!(ex.detect_language(&nl.repeat(40)), "nl");
        assert_eq!(ex.detect_language(&en.repeat(40)), "en");
    }
}
