//! Reading one sentence: its cues, places (with the role each plays), counts of the
//! dead and the days its date words allow.

use super::phrases::{Found, Token};
use super::{Cue, Language, VictimKind, sentences};
use crate::article::Article;
use crate::date::{Date, DayRange, PubDate};
use crate::event::{Location, PlaceStatus};
use crate::gazetteer::PlaceKind;
use crate::geocode::{
    GeocodeStatus, Geocoder, KindHint, MatchKind, NameMatch, Resolution, ResolveOptions, Scanner,
};
use crate::normalize::{Vocab, WordTable};

/// The part a place plays in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceRole {
    /// Where an event of the sentence happened.
    Event,
    /// Only situates another place ("bij de grens met X"); alone, the event is near it.
    Situating,
    /// Contains another place of the sentence (the province of a city): refines it.
    Refines,
    /// The seat of an institution ("de regering in Kaboel"): not the event's place.
    Institution,
    /// Nearer to talks or a visit than to any trigger.
    NonEvent,
    /// A country: too coarse to place an event.
    Country,
}

/// A place named in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceHit {
    /// First token.
    pub tok_start: usize,
    /// One past the last token.
    pub tok_end: usize,
    /// Where it is (or that it was not found).
    pub location: Location,
    /// Its role.
    pub role: PlaceRole,
    /// Other places the name may be (gazetteer indices).
    pub alternatives: Vec<usize>,
    /// The province the name may stand for (see `as_province`), computed once.
    pub area: Option<usize>,
}

/// What a count near a word of dying, injury or capture counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountRole {
    /// Deaths.
    Death,
    /// Casualties or "among the victims": possible deaths (the high figure only).
    Possible,
    /// Not deaths (injured, captured, or no such word near).
    Other,
}

/// A number in a sentence and what it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    /// Its token.
    pub tok: usize,
    /// The lowest figure it allows.
    pub low: u64,
    /// The figure.
    pub best: u64,
    /// The highest (None: "at least").
    pub high: Option<u64>,
    /// Of whom.
    pub victims: Option<VictimKind>,
    /// What it counts.
    pub role: CountRole,
}

/// One sentence, read.
#[derive(Debug, Clone)]
pub struct Sentence<'t> {
    /// Actor categories of the language (by actor index), for telling sources apart.
    pub actor_categories: &'t [String],
    /// Byte span in the article text.
    pub start: usize,
    /// Byte end.
    pub end: usize,
    /// Its tokens (a share of the article's).
    pub toks: &'t [Token],
    /// The vocabulary the tokens are numbered in (their folded words).
    pub vocab: &'t Vocab,
    /// Lexicon cues found (a share of the article's).
    pub cues: &'t [Found<Cue>],
    /// Places named.
    pub places: Vec<PlaceHit>,
    /// Numbers and what they count.
    pub counts: Vec<Count>,
    /// A death of one unnumbered person ("the commander was killed"): (low, high, who).
    pub singular_death: Option<(u64, Option<u64>, VictimKind)>,
    /// The days its date words allow.
    pub date: Option<DayRange>,
    /// History: a year long before publication, or a history word.
    pub history: bool,
    /// A general or habitual statement.
    pub generic: bool,
    /// A hypothesis or fear.
    pub hypothetical: bool,
    /// Its counts are a party's claim.
    pub claim: bool,
    /// Distances it states: (km, approximate, the words as written).
    pub distances: Vec<(f64, bool, String)>,
}

impl<'t> Sentence<'t> {
    /// Trigger cues: (token, trigger index), one per token, longest phrase first.
    pub fn trigger_cues(&self) -> impl Iterator<Item = (usize, u16)> + '_ {
        self.first_cues(|c| match c {
            Cue::Trigger(t) => Some(t),
            _ => None,
        })
    }

    /// The token of the first trigger cue, when there is one.
    pub fn first_trigger(&self) -> Option<usize> {
        self.trigger_cues().next().map(|(tok, _)| tok)
    }

    /// Actor cues: (token, actor index), without overlaps.
    pub fn actors(&self) -> Vec<(usize, u16)> {
        self.actor_cues().collect()
    }

    /// [`Sentence::actors`], one at a time.
    pub fn actor_cues(&self) -> impl Iterator<Item = (usize, u16)> + '_ {
        self.first_cues(|c| match c {
            Cue::Actor(a) => Some(a),
            _ => None,
        })
    }

    /// The cues `pick` takes (with the index it gives), each the first of those
    /// overlapping it: (token, index).
    fn first_cues(&self, pick: fn(Cue) -> Option<u16>) -> impl Iterator<Item = (usize, u16)> + '_ {
        let mut covered = 0usize;
        self.cues.iter().filter_map(move |f| match pick(f.payload) {
            Some(k) if f.start >= covered => {
                covered = f.end;
                Some((f.start, k))
            }
            _ => None,
        })
    }

    /// Actors taking part: [`Sentence::actors`] without forces only quoted as sources
    /// ("police said", "volgens de politie", "according to officials").
    pub fn participants(&self) -> Vec<(usize, u16)> {
        let mut actors = self.actors();
        actors.retain(|&(tok, _)| {
            let end = self
                .cues
                .iter()
                .find(|f| f.start == tok && matches!(f.payload, Cue::Actor(_)))
                .map_or(tok + 1, |f| f.end);
            // a party to the fight quoted is still a party; forces quoted are a source
            let state = matches!(lang_category(self, tok), Some("state" | "external"));
            !(state
                && self.cues.iter().any(|f| {
                    f.payload == Cue::Speech
                        && (f.start == end || (f.end <= tok && tok - f.end <= 1))
                }))
        });
        actors
    }

    fn category_of(&self, actor: u16) -> Option<&str> {
        self.actor_categories
            .get(actor as usize)
            .map(String::as_str)
    }

    fn has(&self, pred: impl Fn(Cue) -> bool) -> bool {
        self.cues.iter().any(|f| pred(f.payload))
    }

    /// Whether the sentence has a cue.
    pub fn has_cue(&self, cue: Cue) -> bool {
        self.has(|c| c == cue)
    }

    /// The folded word of token `i`.
    pub fn word(&self, i: usize) -> &'t str {
        self.vocab.word(self.toks[i].word)
    }

    /// The sentence's text.
    pub fn text<'a>(&self, article: &'a str) -> &'a str {
        &article[self.start..self.end]
    }
}

/// What a session keeps between the articles of one language: the place scanner (with
/// its word cache) and the names already resolved in context, so that a name met again
/// costs one look-up.
pub struct Reader<'g> {
    scanner: Scanner<'g>,
    first_words: super::phrases::FirstWordCache<super::Cue>,
    /// Whether a place word may start at a word ([`Geocoder::starts_place_word`]).
    place_first: WordTable<PlaceFirst>,
    /// [`Geocoder::province_named`] by name as reported, then place.
    areas: rustc_hash::FxHashMap<Box<str>, Vec<(usize, Option<usize>)>>,
    numbers: NumberMemo,
    /// By surface (looked up without a copy): each context it was resolved in.
    resolved: rustc_hash::FxHashMap<Box<str>, Vec<Resolved>>,
    /// How many resolutions `resolved` holds.
    resolved_len: usize,
    /// The country votes of the article being read, by country number.
    votes: Vec<Option<f64>>,
    /// The provinces the article being read has named so far (gazetteer indices),
    /// the most recent last.
    article_provinces: Vec<usize>,
}

/// A name resolved in a context: the kind the words around it ask for, the
/// document's country, and which reading (a scanner hit, or a free capitalised
/// name).
struct Resolved {
    hint: Option<KindHint>,
    focus: Option<Box<str>>,
    free: bool,
    result: Option<Resolution>,
}

impl<'g> Reader<'g> {
    /// Largest number of resolutions kept before the cache starts afresh.
    const CACHE_LIMIT: usize = 1 << 16;

    /// A reader for texts in `lang`.
    pub fn new(geocoder: &'g Geocoder, lang: &str) -> Reader<'g> {
        Reader {
            scanner: geocoder.scanner(Some(lang)),
            first_words: Default::default(),
            place_first: Default::default(),
            areas: Default::default(),
            numbers: Default::default(),
            resolved: Default::default(),
            resolved_len: 0,
            votes: Vec::new(),
            article_provinces: Vec::new(),
        }
    }

    /// Forgets what it knows of word numbers (their vocabulary started afresh).
    pub fn forget_numbers(&mut self) {
        self.scanner.forget_numbers();
        self.first_words.clear();
        self.place_first.clear();
        self.numbers = NumberMemo::default();
    }

    /// `resolve` for the name `surface` in its context (`hint`, `focus`, `free`: see
    /// [`Resolved`]), once per distinct name and context.
    fn resolve_cached(
        &mut self,
        surface: &str,
        hint: Option<KindHint>,
        focus: Option<&str>,
        free: bool,
        resolve: impl FnOnce() -> Option<Resolution>,
    ) -> Option<&Resolution> {
        let same = |e: &Resolved| e.hint == hint && e.free == free && e.focus.as_deref() == focus;
        let known = self
            .resolved
            .get(surface)
            .and_then(|v| v.iter().position(same));
        let at = match known {
            Some(i) => i,
            None => {
                if self.resolved_len >= Self::CACHE_LIMIT {
                    self.resolved.clear();
                    self.resolved_len = 0;
                }
                let result = resolve();
                let v = self.resolved.entry(surface.into()).or_default();
                v.push(Resolved {
                    hint,
                    focus: focus.map(Into::into),
                    free,
                    result,
                });
                self.resolved_len += 1;
                v.len() - 1
            }
        };
        self.resolved.get(surface)?.get(at)?.result.as_ref()
    }

    /// [`Geocoder::province_named`], once per place and name.
    pub fn province_named(
        &mut self,
        geocoder: &Geocoder,
        place: usize,
        as_reported: &str,
    ) -> Option<usize> {
        if let Some(&(_, area)) = self
            .areas
            .get(as_reported)
            .and_then(|v| v.iter().find(|(p, _)| *p == place))
        {
            return area;
        }
        if self.areas.len() >= Self::CACHE_LIMIT {
            self.areas.clear();
        }
        let area = geocoder.province_named(place, as_reported);
        self.areas
            .entry(as_reported.into())
            .or_default()
            .push((place, area));
        area
    }
}

/// Reads every sentence of an article; `toks` are the tokens of its whole text,
/// numbered by the one vocabulary of every text `reader` reads
/// ([`crate::normalize::tokenize_into`]). `cues` is emptied and filled with the cues
/// of every sentence (each sentence borrows its share).
pub fn analyze_article<'t>(
    article: &Article,
    toks: &'t mut [Token],
    vocab: &'t Vocab,
    cues: &'t mut Vec<Found<Cue>>,
    lang: &'t Language,
    geocoder: &Geocoder,
    reader: &mut Reader<'_>,
) -> Vec<Sentence<'t>> {
    let text = article.text.as_str();
    let spans = sentences::split(text, &lang.abbreviations);
    let names = reader.scanner.scan_numbered(toks, vocab);
    let ranges = sentences::sentence_ranges(toks, &spans);
    let toks: &'t [Token] = toks;
    // the document's country focus: where most named places are (each candidate
    // adds its share to its country, one addition each, in the candidates' order)
    reader.votes.clear();
    reader.votes.resize(geocoder.scan_countries(), None);
    reader.article_provinces.clear();
    for m in &names {
        let share = 1.0 / m.candidates.len() as f64;
        for &(country, count) in m.countries {
            let v = reader.votes[country as usize].get_or_insert(0.0);
            for _ in 0..count {
                *v += share;
            }
        }
    }
    let focus = reader
        .votes
        .iter()
        .enumerate()
        .filter_map(|(k, v)| Some((geocoder.scan_country(k as u32), (*v)?)))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(c, _)| c.to_string());
    // every sentence's cues into one buffer, then shared out
    cues.clear();
    let mut cue_ends = Vec::with_capacity(ranges.len());
    for range in &ranges {
        let from = cues.len();
        lang.cues.find_all_into(
            &toks[range.clone()],
            vocab,
            text,
            &mut reader.first_words,
            cues,
        );
        lang.find_separable(&toks[range.clone()], vocab, cues, from);
        cue_ends.push(cues.len());
    }
    let all_cues: &'t [Found<Cue>] = cues;
    let categories: &'t [String] = &lang.actor_categories;
    let mut out = Vec::with_capacity(spans.len());
    let mut next_name = 0;
    let mut cue_start = 0;
    for ((&(start, end), range), cue_end) in spans.iter().zip(ranges).zip(cue_ends) {
        let toks = &toks[range];
        let cues = &all_cues[cue_start..cue_end];
        cue_start = cue_end;
        let (mut eventful, mut unit, mut apart) = (false, false, false);
        let mut s = Sentence {
            actor_categories: categories,
            start,
            end,
            toks,
            vocab,
            cues,
            places: Vec::new(),
            counts: Vec::new(),
            singular_death: None,
            date: None,
            history: false,
            generic: false,
            hypothetical: false,
            claim: false,
            distances: Vec::new(),
        };
        for f in cues {
            match f.payload {
                Cue::Generic => s.generic = true,
                // "On 2 May 2020": the month, not the modal verb
                Cue::Hypothetical if !is_dated_month(&s, text, f) => s.hypothetical = true,
                Cue::History => s.history = true,
                Cue::Trigger(_) | Cue::Death | Cue::Casualties => eventful = true,
                Cue::Unit(_) => unit = true,
                Cue::Apart => apart = true,
                _ => {}
            }
        }
        while next_name < names.len() && names[next_name].start < start {
            next_name += 1;
        }
        let first_hit = next_name;
        while next_name < names.len() && names[next_name].end <= end {
            next_name += 1;
        }
        let hits = &names[first_hit..next_name];
        // only what can contribute to a report is read further: dates and counts of
        // sentences with a trigger or a word of dying, places wherever named
        if eventful {
            read_dates(&mut s, lang, text, article.date);
            read_counts(&mut s, lang, text, &mut reader.numbers);
        }
        if unit && apart {
            read_distances(&mut s, lang, text, &mut reader.numbers);
        }
        if eventful || !hits.is_empty() {
            read_places(
                &mut s,
                hits,
                lang,
                geocoder,
                reader,
                article,
                focus.as_deref(),
            );
        }
        out.push(s);
    }
    out
}

/// Writes how each sentence was read: its flags, cues, places and counts.
pub fn explain(
    w: &mut dyn std::io::Write,
    article: &Article,
    lang: &Language,
    geocoder: &Geocoder,
    sents: &[Sentence],
) -> std::io::Result<()> {
    writeln!(
        w,
        "== {} ({}, published {})",
        article.id,
        lang.lex.language,
        article
            .date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "?".into())
    )?;
    let text = article.text.as_str();
    for (i, s) in sents.iter().enumerate() {
        let mut flags = Vec::new();
        for (on, name) in [
            (s.history, "history"),
            (s.generic, "generic"),
            (s.hypothetical, "hypothetical"),
            (s.claim, "claim"),
        ] {
            if on {
                flags.push(name);
            }
        }
        writeln!(w, "[{i}] {}", s.text(text))?;
        let cue = |f: &Found<Cue>| {
            format!(
                "{:?}:{}",
                f.payload,
                &text[s.toks[f.start].start..s.toks[f.end - 1].end]
            )
        };
        let cues: Vec<String> = s
            .cues
            .iter()
            .filter(|f| !matches!(f.payload, Cue::Locative | Cue::Joiner))
            .map(cue)
            .collect();
        if !flags.is_empty() || !cues.is_empty() {
            writeln!(w, "    flags {flags:?} cues {}", cues.join(" "))?;
        }
        for p in &s.places {
            let name = p
                .location
                .place
                .map(|i| {
                    let q = geocoder.place(i);
                    format!("{} ({}, {})", q.name, q.kind, q.admin1_name)
                })
                .unwrap_or_else(|| "(unresolved)".into());
            writeln!(
                w,
                "    place {:?} -> {name} [{:?}, {:?}]",
                p.location.as_reported, p.role, p.location.status
            )?;
        }
        for c in &s.counts {
            writeln!(
                w,
                "    count {} ({}..{:?}) of {:?}: {:?}",
                c.best, c.low, c.high, c.victims, c.role
            )?;
        }
        if let Some(d) = s.date {
            writeln!(w, "    date {}..{}", d.start, d.end)?;
        }
        for (km, approx, words) in &s.distances {
            writeln!(
                w,
                "    distance {km} km{} ({words:?})",
                if *approx { ", approximate" } else { "" }
            )?;
        }
    }
    Ok(())
}

fn lang_category<'s>(s: &'s Sentence<'_>, tok: usize) -> Option<&'s str> {
    s.cues.iter().find_map(|f| match f.payload {
        Cue::Actor(a) if f.start == tok => s.category_of(a),
        _ => None,
    })
}

/// The location of a name resolved to a place.
fn location_of(r: &Resolution, surface: &str) -> Location {
    Location {
        place: Some(r.place),
        as_reported: surface.to_string(),
        status: match r.status {
            GeocodeStatus::Resolved => PlaceStatus::Resolved,
            GeocodeStatus::Ambiguous => PlaceStatus::Ambiguous,
        },
        match_kind: Some(r.match_kind),
        geo_precision: r.geo_precision,
    }
}

fn tok_at(toks: &[Token], byte: usize) -> Option<usize> {
    toks.binary_search_by_key(&byte, |t| t.start).ok()
}

fn tok_ending(toks: &[Token], byte: usize) -> Option<usize> {
    toks.binary_search_by_key(&byte, |t| t.end).ok()
}

/// What a place word reader keeps of a word (by its number): whether a place word
/// starts with it, and the kind it asks for alone ("provincie"), if any.
#[derive(Debug, Clone, Copy)]
struct PlaceFirst {
    starts: bool,
    alone: Option<KindHint>,
}

/// The kind the place word in tokens `[at, at + n)` of `s` asks for ("provincie",
/// "the city of"), when they are one (`n` at most 5). What a word asks for alone, and
/// whether any place word starts with it, are kept in `table` by word number, so
/// that one-word questions and words no place word starts with take no look-up.
fn place_word_hint_at(
    table: &mut WordTable<PlaceFirst>,
    geocoder: &Geocoder,
    s: &Sentence,
    at: usize,
    n: usize,
) -> Option<KindHint> {
    let first = s.toks[at].word;
    let facts = *table.get_or_insert_with(first, || {
        let word = s.vocab.word(first);
        PlaceFirst {
            starts: geocoder.starts_place_word(word),
            alone: geocoder.place_word_hint(&[word]),
        }
    });
    if !facts.starts {
        return None;
    }
    if n == 1 {
        return facts.alone;
    }
    let mut buf = [""; 5];
    let words = buf.get_mut(..n)?;
    for (w, k) in words.iter_mut().zip(at..at + n) {
        *w = s.word(k);
    }
    geocoder.place_word_hint(words)
}

/// The kind words before (up to 5 tokens) or after (up to 2) a name ask for.
fn context_hint(
    geocoder: &Geocoder,
    s: &Sentence,
    a: usize,
    b: usize,
    place_first: &mut WordTable<PlaceFirst>,
) -> Option<KindHint> {
    let toks = s.toks;
    // a word right after a name describes it ("Kandahar province"); one before it may
    // belong to the name before ("Arghandab district of Kandahar province")
    for n in (1..=2).rev() {
        if b + n > toks.len() || toks[b..b + n].iter().any(|t| t.barrier_before) {
            continue;
        }
        if let Some(h) = place_word_hint_at(place_first, geocoder, s, b, n)
            && matches!(
                h,
                KindHint::Province | KindHint::District | KindHint::Village | KindHint::City
            )
        {
            return Some(h);
        }
    }
    for n in (1..=5.min(a)).rev() {
        // the words right before the name, with no punctuation among them
        if toks[a - n + 1..=a].iter().any(|t| t.barrier_before) {
            continue;
        }
        if let Some(h) = place_word_hint_at(place_first, geocoder, s, a - n, n) {
            return Some(h);
        }
    }
    None
}

fn read_places(
    s: &mut Sentence,
    hits: &[NameMatch],
    lang: &Language,
    geocoder: &Geocoder,
    reader: &mut Reader<'_>,
    article: &Article,
    focus: Option<&str>,
) {
    let text = article.text.as_str();
    let mut places: Vec<PlaceHit> = Vec::with_capacity(hits.len());
    let mut covered = vec![false; s.toks.len()];
    let mut on_probation: Vec<PlaceHit> = Vec::new();
    for m in hits {
        let (bs, be) = (m.start, m.end);
        let (Some(a), Some(b)) = (tok_at(s.toks, bs), tok_ending(s.toks, be)) else {
            continue;
        };
        let b = b + 1;
        let surface = &text[bs..be];
        // a single common word is no place name ("Van", "Bar"); a name in lower case
        // is read only for large places
        if b - a == 1 && lang.stopwords.contains(s.word(a)) {
            continue;
        }
        if s.cues.iter().any(|f| {
            f.start <= a
                && f.end >= b
                && matches!(
                    f.payload,
                    Cue::Actor(_)
                        | Cue::NotPlace
                        | Cue::Month(_)
                        | Cue::Weekday(_)
                        | Cue::Trigger(_)
                        | Cue::Victim(_)
                        | Cue::Singular(_)
                )
        }) {
            continue;
        }
        // a name inside a longer hyphenated name (Kalan in Deh-e Kalan-e Sufla) is not
        // that name
        let hyphen_before = text[..bs].ends_with('-')
            && bs >= 2
            && text[..bs - 1]
                .chars()
                .last()
                .is_some_and(char::is_alphanumeric);
        let hyphen_after = text[be..].starts_with('-')
            && text[be + 1..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        if hyphen_before || hyphen_after {
            continue;
        }
        if is_dateline(surface, &text[be..]) || ends_person_name(s, a, text, &covered, lang) {
            // nor is it an unknown place name ("Reporting from KABUL, Afghanistan —")
            covered[a..b].fill(true);
            continue;
        }
        let lower = surface.chars().next().is_some_and(char::is_lowercase);
        let hint = context_hint(geocoder, s, a, b, &mut reader.place_first);
        let opts = ResolveOptions {
            lang: Some(&lang.lex.language),
            focus_country: focus,
            hint,
        };
        // the kind asked for first; a name of another kind only when none fits
        let Some(r) = reader.resolve_cached(surface, hint, focus, false, || {
            geocoder
                .resolve(surface, &opts)
                .or_else(|_| geocoder.resolve(surface, &ResolveOptions { hint: None, ..opts }))
                .ok()
        }) else {
            continue;
        };
        let p = geocoder.place(r.place);
        // matched by the place's own or an alternate name, not by a loose spelling
        let strict = r.match_kind <= MatchKind::Alternate;
        if lower
            && !(strict
                && (p.population >= 100_000
                    || matches!(
                        p.kind,
                        PlaceKind::Province | PlaceKind::Country | PlaceKind::Capital
                    )))
        {
            continue;
        }
        let evidence = plausible_place(
            p,
            strict,
            hint,
            focus,
            b - a == 1 && lang.is_frequent(s.word(a)),
        );
        if evidence == Evidence::None {
            continue;
        }
        let hit = PlaceHit {
            tok_start: a,
            tok_end: b,
            location: location_of(r, surface),
            role: if p.kind == PlaceKind::Country {
                PlaceRole::Country
            } else {
                PlaceRole::Event
            },
            alternatives: r.alternatives.clone(),
            area: None,
        };
        if evidence == Evidence::IfProvinceNamed {
            on_probation.push(hit);
            continue;
        }
        for c in covered.iter_mut().take(b).skip(a) {
            *c = true;
        }
        places.push(hit);
    }
    // a place that needs its province named beside it, where the sentence names it
    if !on_probation.is_empty() {
        let provinces: Vec<(&str, &str)> = places
            .iter()
            .filter_map(|h| h.location.place.map(|i| geocoder.place(i)))
            .filter(|q| q.kind == PlaceKind::Province)
            .map(|q| (q.country_code.as_str(), q.admin1_code.as_str()))
            .collect();
        for hit in on_probation {
            let q = hit.location.place.map(|i| geocoder.place(i));
            if q.is_some_and(|q| {
                provinces.contains(&(q.country_code.as_str(), q.admin1_code.as_str()))
            }) {
                for c in covered.iter_mut().take(hit.tok_end).skip(hit.tok_start) {
                    *c = true;
                }
                places.push(hit);
            }
        }
        places.sort_by_key(|h| h.tok_start);
    }
    if s.first_trigger().is_some() {
        unresolved_places(s, lang, geocoder, reader, text, &covered, &mut places);
    }
    assign_roles(s, &mut places, geocoder, reader, lang);
    s.places = places;
}

/// Whether the name at token `a` ends a person's name ("districtschef Abdul Wahid
/// Sherzad"): a capitalised word of letters only that is no frequent word, no cue, no
/// place and not the sentence's first stands right before it.
fn ends_person_name(s: &Sentence, a: usize, text: &str, covered: &[bool], lang: &Language) -> bool {
    if a < 2 || s.toks[a].barrier_before || covered[a - 1] {
        return false;
    }
    let prev = a - 1;
    let word = &text[s.toks[prev].start..s.toks[prev].end];
    // a word of its own: spaces around it, not part of a hyphenated one
    let spaced = |from: usize, to: usize| text[from..to].chars().all(char::is_whitespace);
    spaced(s.toks[prev].end, s.toks[a].start)
        && spaced(s.toks[prev - 1].end, s.toks[prev].start)
        && starts_upper(text, s.toks[prev].start)
        && word.chars().all(char::is_alphabetic)
        && !lang.is_frequent(s.word(prev))
        && !s.cues.iter().any(|f| f.start <= prev && prev < f.end)
}

/// Whether a name is a wire dateline, where the story was filed, not where anything
/// happened: written in capitals and followed by the agency or a dash ("KABUL
/// (Reuters) -", "KABUL, Afghanistan —", "KABUL:", "SHEBERGHAN (Pajhwok):").
fn is_dateline(surface: &str, after: &str) -> bool {
    let letters = surface.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 3 || surface.chars().any(char::is_lowercase) {
        return false;
    }
    let mut rest = after.trim_start_matches([' ', '\u{a0}']);
    // ", Afghanistan" (a country or province after the city)
    if let Some(r) = rest.strip_prefix(',') {
        let r = r.trim_start();
        let word_end = r.find(|c: char| !c.is_alphabetic()).unwrap_or(r.len());
        if r.chars().next().is_some_and(char::is_uppercase) {
            rest = r[word_end..].trim_start();
        } else {
            rest = r;
        }
    }
    rest.starts_with(['(', '—', '–', '-', ':'])
}

/// Whether a name found in the text is read as place `p` (matched by its own or an
/// alternate name: `strict`; the kind its context asks for: `hint`): a frequent word
/// of the language ("Toen", "Net", "Just") is a word, unless it names a country, a
/// province, a capital or a city or district of the article's focus country by its
/// own name; a town or village outside the focus country, or matched only by a loose
/// spelling ("Sayed" for Şayād), and any place outside the focus country matched by a
/// loose spelling ("Qasaan" for Koson), is read only where a place word asks for one
/// ("the village of ...") or where the sentence names its province.
fn plausible_place(
    p: &crate::gazetteer::Place,
    strict: bool,
    hint: Option<KindHint>,
    focus: Option<&str>,
    frequent_word: bool,
) -> Evidence {
    let in_focus = focus.is_none_or(|c| p.country_code == c);
    let major = matches!(
        p.kind,
        PlaceKind::Country | PlaceKind::Province | PlaceKind::Capital
    ) || (in_focus && matches!(p.kind, PlaceKind::City | PlaceKind::District));
    if frequent_word && !(major && strict) {
        return Evidence::None;
    }
    let small = matches!(p.kind, PlaceKind::Town | PlaceKind::Village);
    let asked = hint.is_some_and(|h| h.accepts(p.kind));
    if (small && !asked && (!in_focus || !strict))
        || (!strict && !in_focus && p.kind != PlaceKind::Country)
    {
        return Evidence::IfProvinceNamed;
    }
    Evidence::Enough
}

/// What [`plausible_place`] makes of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// A place.
    Enough,
    /// A place if the sentence names its province.
    IfProvinceNamed,
    /// A word, not a place.
    None,
}

/// Capitalised names after a place word or a locative that the scanner did not find:
/// resolved if the geocoder knows them (a spelling the automaton's keys miss), else
/// kept as unresolved places, so that their events are not lost. An approximate
/// (consonant-skeleton) match is not trusted here: such a name stays unresolved.
fn unresolved_places(
    s: &Sentence,
    lang: &Language,
    geocoder: &Geocoder,
    reader: &mut Reader<'_>,
    text: &str,
    covered: &[bool],
    places: &mut Vec<PlaceHit>,
) {
    let toks = &s.toks;
    let is_cap = |i: usize| starts_upper(text, toks[i].start);
    let cue_at = |i: usize| s.cues.iter().any(|f| f.start <= i && i < f.end);
    let free = |i: usize| is_cap(i) && !covered[i] && !cue_at(i);
    let mut i = 1;
    while i < toks.len() {
        if !free(i) || toks[i].barrier_before {
            i += 1;
            continue;
        }
        let after_word = (1..=2).any(|n| {
            i >= n
                && matches!(
                    place_word_hint_at(&mut reader.place_first, geocoder, s, i - n, n),
                    Some(
                        KindHint::District
                            | KindHint::Village
                            | KindHint::Province
                            | KindHint::City
                    )
                )
        });
        let locative_at = |end: usize| {
            s.cues
                .iter()
                .any(|f| f.end == end && f.payload == Cue::Locative)
        };
        // "in the X area": a locative and an article, then a name a place word follows
        let after_locative = locative_at(i)
            || (i >= 2
                && locative_at(i - 1)
                && lang.stopwords.contains(s.word(i - 1))
                && (i + 1..(i + 7).min(toks.len()))
                    .find(|&j| !free(j))
                    .is_some_and(|j| {
                        place_word_hint_at(&mut reader.place_first, geocoder, s, j, 1).is_some()
                    }));
        if !((after_word || after_locative) && free(i) && !toks[i].barrier_before) {
            i += 1;
            continue;
        }
        // the name: capitalised words, with linking particles between them
        // (Deh-e Kalan-e Sufla), at most six words
        let mut j = i + 1;
        while j < toks.len() && j < i + 6 && !toks[j].barrier_before {
            if free(j) {
                j += 1;
            } else if geocoder.keyer().is_connector(s.word(j))
                && j + 1 < toks.len()
                && free(j + 1)
                && !toks[j + 1].barrier_before
            {
                j += 2;
            } else {
                break;
            }
        }
        let ends_clause = j == toks.len()
            || toks[j].barrier_before
            || place_word_hint_at(&mut reader.place_first, geocoder, s, j, 1).is_some();
        let stop = (i..j).all(|k| lang.stopwords.contains(s.word(k)));
        if !(after_word || ends_clause) || stop {
            i = j;
            continue;
        }
        let surface = &text[toks[i].start..toks[j - 1].end];
        // an initial or an abbreviation ("E. Afghanistan", "N. Waziristan") is no name,
        // nor are capitalised common words alone ("an Army Checkpoint"): a name the
        // gazetteer lacks is a place only with a word that is no common word
        if surface.chars().filter(|c| c.is_alphabetic()).count() < 3
            || (i..j)
                .all(|k| geocoder.keyer().is_connector(s.word(k)) || lang.is_frequent(s.word(k)))
        {
            i = j;
            continue;
        }
        let opts = ResolveOptions {
            lang: Some(&lang.lex.language),
            ..Default::default()
        };
        let resolved = reader.resolve_cached(surface, None, None, true, || {
            geocoder.resolve(surface, &opts).ok()
        });
        let location = match resolved {
            Some(r) if r.match_kind != crate::geocode::MatchKind::Approximate => {
                location_of(r, surface)
            }
            _ => Location {
                place: None,
                as_reported: surface.to_string(),
                status: PlaceStatus::Unresolved,
                match_kind: None,
                geo_precision: 3,
            },
        };
        let country = location
            .place
            .is_some_and(|k| geocoder.place(k).kind == PlaceKind::Country);
        places.push(PlaceHit {
            tok_start: i,
            tok_end: j,
            location,
            role: if country {
                PlaceRole::Country
            } else {
                PlaceRole::Event
            },
            alternatives: Vec::new(),
            area: None,
        });
        i = j;
    }
    places.sort_by_key(|p| p.tok_start);
}

fn assign_roles(
    s: &Sentence,
    places: &mut [PlaceHit],
    geocoder: &Geocoder,
    reader: &mut Reader<'_>,
    lang: &Language,
) {
    for p in places.iter_mut() {
        p.area = p
            .location
            .place
            .and_then(|i| reader.province_named(geocoder, i, &p.location.as_reported));
    }
    // an ambiguous name takes the reading that lies in a province the sentence names
    // ("Arghandab district of Kandahar province"), else in one the article named
    // before ("Helmand ... Nawa"): the most recent first
    let sentence_provinces: Vec<usize> = places.iter().filter_map(|p| p.area).collect();
    for p in places.iter_mut() {
        let Some(cur) = p.location.place else {
            continue;
        };
        let in_province = |i: usize, prov: usize| {
            let (q, a) = (geocoder.place(i), geocoder.place(prov));
            q.kind != PlaceKind::Province
                && q.country_code == a.country_code
                && q.admin1_code == a.admin1_code
        };
        let named = |provs: &[usize], i: usize| provs.iter().any(|&a| in_province(i, a));
        if named(&sentence_provinces, cur) {
            continue;
        }
        let cur_kind = geocoder.place(cur).kind;
        let reading_in = |provs: &[usize]| {
            p.alternatives
                .iter()
                .copied()
                .find(|&a| named(provs, a) && geocoder.place(a).kind == cur_kind)
        };
        let alt = reading_in(&sentence_provinces).or_else(|| {
            if named(&reader.article_provinces, cur) {
                return None;
            }
            reader
                .article_provinces
                .iter()
                .rev()
                .find_map(|&a| reading_in(std::slice::from_ref(&a)))
        });
        if let Some(alt) = alt {
            p.location.place = Some(alt);
            p.location.geo_precision = geocoder.place(alt).geo_precision();
            // the province the final place stands for, not the first reading's
            p.area = reader.province_named(geocoder, alt, &p.location.as_reported);
        }
    }
    for &a in &sentence_provinces {
        reader.article_provinces.retain(|&b| b != a);
        reader.article_provinces.push(a);
    }
    // how far a token is from the nearest trigger, and from the nearest non-event word
    let to_trigger = |a: usize| s.trigger_cues().map(|(t, _)| a.abs_diff(t)).min();
    let to_non_event = |a: usize| {
        s.cues
            .iter()
            .filter(|f| f.payload == Cue::NonEvent)
            .map(|f| a.abs_diff(f.start))
            .min()
    };
    for p in places.iter_mut() {
        if p.role == PlaceRole::Country {
            continue;
        }
        // the phrase before the name, over at most two articles or adjectives
        let before = |cue: Cue| {
            s.cues
                .iter()
                .any(|f| f.payload == cue && f.end <= p.tok_start && p.tok_start - f.end <= 2)
        };
        if before(Cue::Institution) {
            p.role = PlaceRole::Institution;
        } else if before(Cue::Situating) {
            p.role = PlaceRole::Situating;
        } else if let (Some(dn), Some(dt)) = (to_non_event(p.tok_start), to_trigger(p.tok_start))
            && dn < dt
        {
            p.role = PlaceRole::NonEvent;
        }
    }
    // "a blast outside the court in Herat": with no one speaking for the institution and
    // no other place of the event, the institution's place is where it happened
    if s.first_trigger().is_some()
        && !places.iter().any(|p| p.role == PlaceRole::Event)
        && !s.has(|c| c == Cue::Speech)
    {
        for p in places
            .iter_mut()
            .filter(|p| p.role == PlaceRole::Institution)
        {
            p.role = PlaceRole::Event;
        }
    }
    // a province or district containing another place of the sentence refines it;
    // so does a city named like its province when another place of the sentence lies
    // in that province ("Chahar Dara district, Kunduz": Kunduz is the province)
    let n = places.len();
    for i in 0..n {
        if places[i].role != PlaceRole::Event {
            continue;
        }
        let contains = (0..n).any(|j| {
            j != i
                && matches!(places[j].role, PlaceRole::Event | PlaceRole::Situating)
                && places[j].location.place.is_some()
                && places[j].location.place != places[i].location.place
                && area_contains(geocoder, &places[i], &places[j])
        });
        if contains {
            places[i].role = PlaceRole::Refines;
        }
    }
    // "the X area of Y district", "X village, Y province", "het dorp X in het district
    // Y": a village or town named as lying in the unit that follows it, which the
    // gazetteer places elsewhere, is a place the gazetteer lacks (its namesake
    // elsewhere is not the event's place)
    for i in 0..n {
        let Some(pi) = places[i].location.place else {
            continue;
        };
        if places[i].role != PlaceRole::Event
            || !matches!(
                geocoder.place(pi).kind,
                PlaceKind::Village | PlaceKind::Town
            )
        {
            continue;
        }
        let end = places[i].tok_end;
        let unit = (0..n).find(|&j| {
            let tj = &places[j];
            tj.tok_start >= end
                && tj.tok_start - end <= 3
                && matches!(tj.role, PlaceRole::Event | PlaceRole::Refines)
                && tj.location.place.is_some_and(|k| {
                    matches!(
                        geocoder.place(k).kind,
                        PlaceKind::Province | PlaceKind::District
                    )
                })
                && !(end..tj.tok_start).any(|t| lang.joiners.iter().any(|w| w == s.word(t)))
        });
        if let Some(j) = unit
            && !lies_in(geocoder, pi, places[j].location.place.unwrap_or(pi))
        {
            places[i].location.place = None;
        }
    }
    // a place the gazetteer lacks, in a province or district the sentence names: the
    // event is placed at that unit, as reported by the name of the place
    for i in 0..n {
        if places[i].location.place.is_some() || places[i].role != PlaceRole::Event {
            continue;
        }
        let unit = (0..n).find(|&j| {
            places[j].role == PlaceRole::Event
                && places[j].location.place.is_some_and(|k| {
                    matches!(
                        geocoder.place(k).kind,
                        PlaceKind::Province | PlaceKind::District
                    ) || as_province(geocoder, &places[j]).is_some()
                })
        });
        if let Some(j) = unit {
            let mut loc = places[j].location.clone();
            loc.as_reported = places[i].location.as_reported.clone();
            loc.geo_precision = loc.geo_precision.max(2);
            places[i].location = loc;
            places[j].role = PlaceRole::Refines;
        }
    }
}

/// Whether a populated place lies in a district or province: by the district's
/// polygon when the user gave boundaries, else by the gazetteer's admin codes.
fn lies_in(geocoder: &Geocoder, place: usize, unit: usize) -> bool {
    let (p, u) = (geocoder.place(place), geocoder.place(unit));
    if p.country_code != u.country_code {
        return false;
    }
    match u.kind {
        PlaceKind::Province => p.admin1_code == u.admin1_code,
        PlaceKind::District => match geocoder.admin().and_then(|a| a.unit_of_place(unit)) {
            Some(polygon) => polygon.contains(p.lon, p.lat),
            None => p.admin1_code == u.admin1_code && p.admin2_code == u.admin2_code,
        },
        _ => false,
    }
}

/// [`PlaceHit::area`] as a place.
fn as_province<'g>(geocoder: &'g Geocoder, hit: &PlaceHit) -> Option<&'g crate::gazetteer::Place> {
    hit.area.map(|i| geocoder.place(i))
}

/// Whether the area `outer` names (a province, a district, or a city standing for its
/// province) contains the place of `inner`.
fn area_contains(geocoder: &Geocoder, outer: &PlaceHit, inner: &PlaceHit) -> bool {
    let Some(pi) = inner.location.place.map(|i| geocoder.place(i)) else {
        return false;
    };
    if let Some(prov) = as_province(geocoder, outer) {
        return pi.country_code == prov.country_code
            && pi.admin1_code == prov.admin1_code
            && pi.kind != PlaceKind::Province;
    }
    let Some(po) = outer.location.place.map(|i| geocoder.place(i)) else {
        return false;
    };
    po.kind == PlaceKind::District
        && pi.kind.is_populated()
        && pi.country_code == po.country_code
        && pi.admin1_code == po.admin1_code
        && pi.admin2_code == po.admin2_code
}

/// Distances a sentence states between places: a number and a unit of distance
/// ("zo'n honderd kilometer", "some 100 km"), in a sentence that says the distance is
/// between places ("bij elkaar vandaan", "apart", "south of").
fn read_distances(s: &mut Sentence, lang: &Language, text: &str, memo: &mut NumberMemo) {
    let mut i = 0;
    while i < s.toks.len() {
        let Some((_, best, _, used)) = number_at(s, i, lang, text, memo) else {
            i += 1;
            continue;
        };
        let unit = s.cues.iter().find_map(|f| match f.payload {
            Cue::Unit(u) if f.start == i + used => Some((u, f.end)),
            _ => None,
        });
        if let Some((u, end)) = unit {
            let per_unit = lang.lex.numbers.distance_units[u as usize].1;
            let approximate = s.cues.iter().any(|f| f.payload == Cue::About && f.end == i);
            let from = s
                .cues
                .iter()
                .find(|f| f.payload == Cue::About && f.end == i)
                .map_or(i, |f| f.start);
            let words = &text[s.toks[from].start..s.toks[end - 1].end];
            s.distances
                .push((best as f64 * per_unit, approximate, words.to_string()));
            i = end;
        } else {
            i += used;
        }
    }
}

/// The number at token `i`: digits (with a thousands separator), number words (also
/// compounds: eenentwintig, twenty-one) or a vague quantity. Returns (low, best,
/// high, tokens used).
fn number_at(
    s: &Sentence,
    i: usize,
    lang: &Language,
    text: &str,
    memo: &mut NumberMemo,
) -> Option<(u64, u64, Option<u64>, usize)> {
    let w = s.word(i);
    if w.bytes().all(|b| b.is_ascii_digit()) {
        let mut v: u64 = w.parse().ok()?;
        let mut used = 1;
        // 20.000 / 1,200: a separator and exactly three digits
        while let Some(n) = s.toks.get(i + used) {
            let sep = text.get(s.toks[i + used - 1].end..n.start);
            let nw = s.vocab.word(n.word);
            if matches!(sep, Some("." | ","))
                && nw.len() == 3
                && nw.bytes().all(|b| b.is_ascii_digit())
                && v < 1000
            {
                v = v * 1000 + nw.parse::<u64>().ok()?;
                used += 1;
            } else {
                break;
            }
        }
        return Some((v, v, Some(v), used));
    }
    // cues are in token order: those starting at `i` are found by halving
    let first = s.cues.partition_point(|f| f.start < i);
    for f in s.cues[first..].iter().take_while(|f| f.start == i) {
        if let Cue::Vague(k) = f.payload {
            let (_, low, high) = lang.lex.numbers.vague[k as usize];
            return Some((low, low, Some(high), f.end - f.start));
        }
    }
    // number words, joined: one hundred and five, twenty-one, eenentwintig
    let mut parts: Vec<u64> = Vec::new();
    let mut j = i;
    while j < s.toks.len() {
        if j > i && s.toks[j].barrier_before {
            break;
        }
        // a number word, or a joiner before one ("hundred and five")
        let joins = |memo: &mut NumberMemo| {
            j > i
                && lang.joiners.iter().any(|jw| jw.as_str() == s.word(j))
                && j + 1 < s.toks.len()
                && s.word(j + 1).len() >= 3
                && memo.is_number_word(s.toks[j + 1].word, s.vocab, lang)
        };
        if !(memo.extend(s.toks[j].word, s.vocab, lang, &mut parts) || joins(memo)) {
            break;
        }
        j += 1;
    }
    if parts.is_empty() {
        return None;
    }
    let v = evaluate(&parts);
    Some((v, v, Some(v), j - i))
}

/// The number words each word is made of (`compound_number`), by word number: a
/// word is taken apart once per reader.
#[derive(Debug, Default)]
pub struct NumberMemo {
    by_number: WordTable<Option<Box<[u64]>>>,
    /// Whether a word can start a number: it starts with a digit, or it is made of
    /// number words.
    starts: WordTable<bool>,
}

impl NumberMemo {
    /// Whether the word numbered `word` in `vocab` starts with a digit or is made of
    /// number words: one table look-up once known.
    #[inline]
    fn may_start_number(&mut self, word: u32, vocab: &Vocab, lang: &Language) -> bool {
        if let Some(&known) = self.starts.get(word) {
            return known;
        }
        let digit = vocab
            .word(word)
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_digit);
        let starts = digit || self.is_number_word(word, vocab, lang);
        self.starts.insert(word, starts);
        starts
    }

    /// Whether the word numbered `word` in `vocab` is made of number words.
    fn is_number_word(&mut self, word: u32, vocab: &Vocab, lang: &Language) -> bool {
        self.parts(word, vocab, lang).is_some()
    }

    /// Appends the number words the word numbered `word` in `vocab` is made of to
    /// `parts`; false when it is no number word.
    fn extend(&mut self, word: u32, vocab: &Vocab, lang: &Language, parts: &mut Vec<u64>) -> bool {
        match self.parts(word, vocab, lang) {
            Some(v) => {
                parts.extend_from_slice(v);
                true
            }
            None => false,
        }
    }

    /// The number words the word numbered `word` in `vocab` is made of, worked out
    /// once.
    #[inline]
    fn parts(&mut self, word: u32, vocab: &Vocab, lang: &Language) -> Option<&[u64]> {
        let memo = self.by_number.get_or_insert_with(word, || {
            let w = vocab.word(word);
            let may_be_number =
                w.get(..3).is_some_and(|p| lang.number_starts.contains(p)) || w.len() < 3;
            may_be_number
                .then(|| compound_number(w, lang))
                .flatten()
                .map(Vec::into_boxed_slice)
        });
        memo.as_deref()
    }
}

/// A word made of number words (and joiners): "eenentwintig" = [1, 20].
fn compound_number(word: &str, lang: &Language) -> Option<Vec<u64>> {
    if word.is_empty() {
        return Some(Vec::new());
    }
    for (w, v) in &lang.number_words {
        if let Some(rest) = word.strip_prefix(w.as_str()) {
            let rest = lang
                .joiners
                .iter()
                .find_map(|j| rest.strip_prefix(j.as_str()).filter(|r| !r.is_empty()))
                .unwrap_or(rest);
            if let Some(mut more) = compound_number(rest, lang) {
                more.insert(0, *v);
                return Some(more);
            }
        }
    }
    None
}

/// The value of number words in order: hundred and thousand multiply.
fn evaluate(parts: &[u64]) -> u64 {
    let (mut total, mut current) = (0u64, 0u64);
    for &v in parts {
        match v {
            100 => current = current.max(1) * 100,
            1000 => {
                total += current.max(1) * 1000;
                current = 0;
            }
            _ => current += v,
        }
    }
    total + current
}

fn read_counts(s: &mut Sentence, lang: &Language, text: &str, memo: &mut NumberMemo) {
    // tokens that are parts of dates are not counts
    // (a day before or after the month, a year after it or after its day: "2 May
    // 2020, 4 soldiers" keeps the 4)
    let day = |i: usize| short_number(s, i).is_some_and(|d| (1..=31).contains(&d));
    let year = |i: usize| short_number(s, i).is_some_and(|y| (1900..=2100).contains(&y));
    let date_toks: Vec<usize> = s
        .cues
        .iter()
        .filter(|f| matches!(f.payload, Cue::Month(_)))
        .flat_map(|f| {
            let before = f.start.checked_sub(1).filter(|&i| day(i));
            let after = Some(f.end).filter(|&i| day(i) || year(i));
            let then = Some(f.end + 1).filter(|&i| day(f.end) && year(i));
            [before, after, then].into_iter().flatten()
        })
        .collect();
    let mut numbers = Vec::new();
    let vague = s.cues.iter().any(|f| matches!(f.payload, Cue::Vague(_)));
    let mut i = 0;
    while i < s.toks.len() {
        if date_toks.contains(&i) {
            i += 1;
            continue;
        }
        // most words are no number: no digit, no number word, no vague quantity
        if !vague && !memo.may_start_number(s.toks[i].word, s.vocab, lang) {
            i += 1;
            continue;
        }
        if let Some((low, best, high, used)) = number_at(s, i, lang, text, memo) {
            let is_year = used == 1 && (1900..=2100).contains(&best) && s.word(i).len() == 4;
            if !is_year {
                numbers.push((i, used, low, best, high));
            }
            i += used;
        } else {
            i += 1;
        }
    }
    let markers: Vec<(usize, CountRole)> = s
        .cues
        .iter()
        .filter_map(|f| match f.payload {
            Cue::Death => Some((f.start, CountRole::Death)),
            Cue::Trigger(t) if lang.lex.events.triggers[t as usize].event_type == "killing" => {
                Some((f.start, CountRole::Death))
            }
            Cue::Casualties => Some((f.start, CountRole::Possible)),
            Cue::Injury | Cue::Capture => Some((f.start, CountRole::Other)),
            // a number near a protest counts its participants
            Cue::Trigger(t)
                if matches!(
                    lang.lex.events.triggers[t as usize].event_type.as_str(),
                    "Protests" | "Riots"
                ) =>
            {
                Some((f.start, CountRole::Other))
            }
            _ => None,
        })
        .collect();
    let among = s.has(|c| c == Cue::Among);
    // the sentence's order: does its first death word come before its first count of
    // people ("killing 11 soldiers") or after it ("six soldiers were killed")?
    let counted = numbers.iter().map(|n| n.0).find(|&i| {
        s.cues.iter().any(|f| {
            matches!(f.payload, Cue::Victim(_) | Cue::Singular(_))
                && f.start > i
                && f.start <= i + 4
        })
    });
    let marker_first = match (
        markers.iter().map(|m| m.0).min(),
        counted.or(numbers.first().map(|n| n.0)),
    ) {
        (Some(m), Some(n)) => m < n,
        _ => false,
    };
    for &(i, used, low, best, high) in &numbers {
        // at least N
        let at_least = s
            .cues
            .iter()
            .any(|f| f.payload == Cue::AtLeast && f.end == i);
        // more than N: at least N + 1
        let more_than = s
            .cues
            .iter()
            .any(|f| f.payload == Cue::MoreThan && f.end == i);
        let (low, best) = if more_than {
            (low + 1, best.max(low + 1))
        } else {
            (low, best)
        };
        // whom it counts: a victim noun just after it ("zero" words count people); a
        // word for one is also the article ("een vuurgevecht met de Taliban"), so its
        // noun must follow it at once
        let reach = if best == 1 && !s.word(i).starts_with(|c: char| c.is_ascii_digit()) {
            0
        } else {
            3
        };
        let victims = s
            .cues
            .iter()
            .find_map(|f| match f.payload {
                Cue::Victim(k) | Cue::Singular(k)
                    if f.start >= i + used && f.start <= i + used + reach =>
                {
                    Some(k)
                }
                _ => None,
            })
            .or((best == 0 && high == Some(0)).then_some(VictimKind::People));
        // the markers no other number stands between; of one before and one after,
        // the sentence's order decides (killing 11 and injuring 5: marker first; six
        // were killed and three wounded: number first); else the nearest
        let shadowed = |m: usize| {
            numbers
                .iter()
                .any(|&(j, ..)| j != i && ((j > i && j < m) || (j < i && j > m)))
        };
        let open = || markers.iter().filter(|(m, _)| !shadowed(*m)).copied();
        let before = open().filter(|(m, _)| *m < i).max_by_key(|(m, _)| *m);
        let after = open().filter(|(m, _)| *m > i).min_by_key(|(m, _)| *m);
        let chosen = match (before, after) {
            (Some(b), Some(a)) => Some(if marker_first { b } else { a }),
            (b, a) => b.or(a),
        };
        let Some((m, role)) =
            chosen.or_else(|| markers.iter().min_by_key(|(m, _)| m.abs_diff(i)).copied())
        else {
            continue;
        };
        // a bare number far from its marker with no victim noun is not a count, nor
        // a word for one without its noun (the article)
        if victims.is_none() && (m.abs_diff(i) > 2 || reach == 0) {
            continue;
        }
        let role = if role == CountRole::Death
            && among
            && victims == Some(VictimKind::Civilians)
            && s.counts.is_empty()
            && numbers.len() == 1
            && !s.has(|c| c == Cue::Death)
        {
            CountRole::Possible
        } else {
            role
        };
        s.counts.push(Count {
            tok: i,
            low,
            best,
            high: if at_least || more_than { None } else { high },
            victims,
            role,
        });
    }
    let death_word = markers.iter().any(|m| m.1 == CountRole::Death);
    if numbers.is_empty()
        && death_word
        && let Some(kind) = s.cues.iter().find_map(|f| match f.payload {
            Cue::Singular(k) => Some(k),
            _ => None,
        })
    {
        s.singular_death = Some((1, if among { None } else { Some(1) }, kind));
    }
    // "among the victims are also five civilians": the count may be inside another
    if among {
        for c in &mut s.counts {
            if c.role == CountRole::Death && !s.cues.iter().any(|f| f.payload == Cue::Death) {
                c.role = CountRole::Possible;
            }
        }
    }
    s.claim = s.has(|c| c == Cue::Claim) || speech_of_a_party(s, lang);
}

/// Reported speech tied to a non-state armed actor (the Taliban said, volgens de
/// taliban): what it counts is a claim.
fn speech_of_a_party(s: &Sentence, lang: &Language) -> bool {
    let speech = || {
        s.cues
            .iter()
            .filter(|f| f.payload == Cue::Speech)
            .map(|f| f.start)
    };
    s.actor_cues().any(|(t, a)| {
        lang.lex.events.actors[a as usize].category == "rebel"
            && speech().any(|sp| sp.abs_diff(t) <= 4)
    })
}

/// Whether the text at byte `at` starts with a capital letter.
fn starts_upper(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        Some(&b) if b < 0x80 => b.is_ascii_uppercase(),
        _ => text[at..].chars().next().is_some_and(char::is_uppercase),
    }
}

/// The number token `i` of `s` writes in at most four digits (a day, a year, a count).
fn short_number(s: &Sentence, i: usize) -> Option<u32> {
    (i < s.toks.len())
        .then(|| s.word(i))
        .filter(|w| !w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|w| w.parse().ok())
}

/// Whether cue `f` is also a month word with a day number or a year beside it
/// ("2 May 2020", "May 3"), written with a capital.
fn is_dated_month(s: &Sentence, text: &str, f: &Found<Cue>) -> bool {
    let number = |i: usize| short_number(s, i).is_some();
    starts_upper(text, s.toks[f.start].start)
        && s.cues
            .iter()
            .any(|m| matches!(m.payload, Cue::Month(_)) && m.start == f.start && m.end == f.end)
        && (f.start.checked_sub(1).is_some_and(number) || number(f.end))
}

fn read_dates(s: &mut Sentence, lang: &Language, text: &str, pubdate: Option<PubDate>) {
    let toks = &s.toks;
    // each date read, with the token it was read at
    let mut ranges: Vec<(usize, DayRange)> = Vec::new();
    let pub_range = pubdate.map(PubDate::range);
    let word = |i: usize| s.vocab.word(toks[i].word);
    let num = |i: usize| {
        (i < toks.len())
            .then(|| word(i))
            .and_then(|w| w.parse::<u32>().ok().filter(|_| w.len() <= 4))
    };
    for f in s.cues {
        match f.payload {
            Cue::Month(_)
                if lang.lex.dates.capitalised_months
                    && !starts_upper(text, toks[f.start].start) => {}
            Cue::Month(m) => {
                let m = u32::from(m);
                // day month [year] / month day [, year]
                let day_before = f
                    .start
                    .checked_sub(1)
                    .and_then(num)
                    .filter(|d| (1..=31).contains(d));
                let day_after = num(f.end).filter(|d| (1..=31).contains(d));
                let year = [f.end, f.end + 1, f.end + 2]
                    .iter()
                    .filter_map(|&i| num(i))
                    .find(|y| (1900..=2100).contains(y));
                let day = day_before.or(day_after);
                let year = year.map(|y| y as i32).or(pubdate.map(|p| {
                    // a month later in the year than publication is last year's
                    if m > p.month { p.year - 1 } else { p.year }
                }));
                let Some(y) = year else { continue };
                match day.and_then(|d| Date::from_ymd(y, m, d)) {
                    Some(d) => {
                        ranges.push((f.start, DayRange::day(d)));
                    }
                    None => {
                        if let Some(first) = Date::from_ymd(y, m, 1) {
                            ranges.push((f.start, DayRange::new(first, first.month_end())));
                        }
                    }
                }
            }
            Cue::Weekday(w) => {
                if let Some(pr) = pub_range {
                    let back =
                        |p: Date| p.add_days(-(((p.weekday() + 7 - u32::from(w)) % 7) as i32));
                    ranges.push((f.start, DayRange::new(back(pr.start), back(pr.end))));
                }
            }
            Cue::Relative(k) => {
                if let Some(pr) = pub_range {
                    ranges.push((
                        f.start,
                        relative_range(&lang.lex.dates.relative[k as usize], pr),
                    ));
                }
            }
            _ => {}
        }
    }
    // a year long before publication makes the sentence history
    if let Some(pr) = pub_range {
        for i in 0..toks.len() {
            // a word whose text starts with ASCII other than a digit folds to no number
            let first = text.as_bytes().get(toks[i].start).copied().unwrap_or(0);
            if first < 0x80 && !first.is_ascii_digit() {
                continue;
            }
            if word(i).len() == 4
                && let Some(y) = num(i).filter(|y| (1900..=2100).contains(y))
                && let Some(end_of_year) = Date::from_ymd(y as i32, 12, 31)
                && end_of_year.days_until(pr.start) > 120
                && !s
                    .cues
                    .iter()
                    .any(|f| matches!(f.payload, Cue::Month(_)) && (f.end == i || f.end + 1 == i))
            {
                s.history = true;
            }
        }
    }
    // dates that disagree ("a group said on Friday it had set off the bomb on Thursday"):
    // the one nearest the sentence's first event word
    let agreed =
        ranges
            .iter()
            .map(|&(_, r)| r)
            .try_fold(None, |acc: Option<DayRange>, r| match acc {
                None => Some(Some(r)),
                Some(a) => a.intersect(r).map(Some),
            });
    s.date = match agreed {
        Some(d) => d,
        None => {
            let first = s.first_trigger();
            ranges
                .iter()
                .min_by_key(|(tok, _)| first.map_or(usize::MAX, |t| tok.abs_diff(t)))
                .map(|&(_, r)| r)
        }
    };
}

fn relative_range(r: &crate::lexicon::RelativeDate, pr: DayRange) -> DayRange {
    if let Some([a, b]) = r.days {
        return DayRange::new(pr.start.add_days(a), pr.end.add_days(b));
    }
    if let Some(w) = r.weekend {
        // the Saturday on or before a day, and its Sunday (not after the day itself)
        let sat = |p: Date| {
            p.add_days(-(((p.weekday() + 7 - 5) % 7) as i32))
                .add_days(7 * w)
        };
        let start = sat(pr.start);
        let end = sat(pr.end).add_days(1).min(if w == 0 {
            pr.end
        } else {
            sat(pr.end).add_days(1)
        });
        return DayRange::new(start, end.max(start));
    }
    if let Some(w) = r.week {
        let monday = |p: Date| p.add_days(-(p.weekday() as i32));
        return if w == 0 {
            DayRange::new(monday(pr.start), pr.end)
        } else {
            DayRange::new(
                monday(pr.start).add_days(7 * w),
                monday(pr.end).add_days(7 * w + 6),
            )
        };
    }
    if let Some([a, b]) = r.months {
        return DayRange::new(
            pr.start.month_start(a),
            pr.end.month_start(b + 1).add_days(-1),
        );
    }
    pr
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicons;

    fn nl() -> Language {
        Language::compile(
            Lexicons::embedded().get("nl").unwrap(),
            Lexicons::embedded().get("en"),
        )
    }

    #[test]
    fn dutch_compound_numbers() {
        let l = nl();
        assert_eq!(
            compound_number("eenentwintig", &l).map(|v| evaluate(&v)),
            Some(21)
        );
        assert_eq!(
            compound_number("tweehonderdvijftig", &l).map(|v| evaluate(&v)),
            Some(250)
        );
        assert_eq!(
            compound_number("zestien", &l).map(|v| evaluate(&v)),
            Some(16)
        );
        assert_eq!(compound_number("drieëntwintig", &l), None, "not folded");
        assert_eq!(
            compound_number(&crate::normalize::fold("drieëntwintig"), &l).map(|v| evaluate(&v)),
            Some(23)
        );
        assert_eq!(compound_number("tien", &l).map(|v| evaluate(&v)), Some(10));
        assert_eq!(compound_number("tientallen", &l), None);
        assert_eq!(evaluate(&[1, 100, 5]), 105);
        assert_eq!(evaluate(&[2, 1000, 3, 100]), 2300);
    }

    #[test]
    fn relative_dates_against_a_day_and_a_month() {
        let l = nl();
        let rel = |p: &str| {
            l.lex
                .dates
                .relative
                .iter()
                .find(|r| r.phrase == p)
                .unwrap()
                .clone()
        };
        let day = PubDate::parse("2019-09-02").unwrap().range();
        let month = PubDate::parse("2019-09").unwrap().range();
        let show = |r: DayRange| format!("{}..{}", r.start, r.end);
        assert_eq!(
            show(relative_range(&rel("dit weekend"), day)),
            "2019-08-31..2019-09-01"
        );
        assert_eq!(
            show(relative_range(&rel("gisteren"), day)),
            "2019-09-01..2019-09-01"
        );
        assert_eq!(
            show(relative_range(&rel("vorige week"), day)),
            "2019-08-26..2019-09-01"
        );
        assert_eq!(
            show(relative_range(&rel("deze week"), day)),
            "2019-09-02..2019-09-02"
        );
        assert_eq!(
            show(relative_range(&rel("gisteren"), month)),
            "2019-08-31..2019-09-29"
        );
        assert_eq!(
            show(relative_range(&rel("dit weekend"), month)),
            "2019-08-31..2019-09-29"
        );
        assert_eq!(
            show(relative_range(&rel("afgelopen maanden"), month)),
            "2019-06-01..2019-09-30"
        );
    }
}
