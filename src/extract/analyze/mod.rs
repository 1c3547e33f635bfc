//! Reading one sentence: its cues, places (with the role each plays), counts of the
//! dead and the days its date words allow. The sentence and the reader's memos are
//! here; what each kind of word gives is read in `places`, `counts` and `dates`.

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

mod counts;
mod dates;
mod places;

pub use counts::NumberMemo;
use counts::{read_counts, read_distances};
use dates::{is_dated_month, read_dates};
pub(crate) use places::lies_in;
use places::read_places;

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
    /// It tells of one of several events told before ("During one of the raids"): a
    /// report of it is like the last report of a specific type.
    pub one_of_several: bool,
    /// It counts places it does not name ("three other districts in the provinces of
    /// Uruzgan and Badghis"): the provinces are no places of events.
    pub unnamed_places: bool,
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

    /// Whether token `i` lies inside a cue (a per-sentence walk of the cues: a loop
    /// over every token marks them once instead).
    pub fn in_cue(&self, i: usize) -> bool {
        self.cues.iter().any(|f| f.start <= i && i < f.end)
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
    /// The readings the article being read gave its names where a place word said
    /// which ("Darzab district"), by name as written: a later bare "Darzab" is the
    /// same place (one sense per article).
    article_senses: rustc_hash::FxHashMap<Box<str>, usize>,
    /// The district (or district seat) the article being read named last as a place
    /// of its events.
    article_district: Option<usize>,
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
            article_senses: Default::default(),
            article_district: None,
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

    /// The place a place word made of `name` earlier in the article being read.
    fn sense_of(&self, name: &str) -> Option<usize> {
        self.article_senses.get(name).copied()
    }

    /// Remembers that a place word made `name` place `place` in this article.
    fn remember_sense(&mut self, name: &str, place: usize) {
        if self.sense_of(name) != Some(place) {
            self.article_senses.insert(name.into(), place);
        }
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
    // the document's country focus: where most named places are (each name adds an
    // equal share to each country it may lie in, however many namesakes one country
    // has: India's many villages called Jalalabad do not outvote Afghanistan's city)
    reader.votes.clear();
    reader.votes.resize(geocoder.scan_countries(), None);
    reader.article_provinces.clear();
    reader.article_senses.clear();
    reader.article_district = None;
    for m in &names {
        let share = 1.0 / m.countries.len() as f64;
        for &(country, _) in m.countries {
            *reader.votes[country as usize].get_or_insert(0.0) += share;
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
        drop_nested_triggers(cues, from);
        cue_ends.push(cues.len());
    }
    let all_cues: &'t [Found<Cue>] = cues;
    let categories: &'t [String] = &lang.actor_categories;
    let mut out = Vec::with_capacity(spans.len());
    let mut next_name = 0;
    let mut last_date: Option<crate::date::DayRange> = None;
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
            one_of_several: false,
            unnamed_places: false,
            distances: Vec::new(),
        };
        for f in cues {
            match f.payload {
                // (not inside a relative clause: "..., where the two sides frequently
                // clash")
                Cue::Generic if !in_relative_clause(&s, f.start) => s.generic = true,
                // "On 2 May 2020": the month, not the modal verb
                Cue::Hypothetical if !is_dated_month(&s, text, f) => s.hypothetical = true,
                Cue::History if !in_relative_clause(&s, f.start) => s.history = true,
                Cue::Trigger(_) | Cue::Death | Cue::Casualties | Cue::Series => eventful = true,
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
            // "later that day": the day of the last dated sentence; "the following
            // day": the day after it; "It was followed by ...": a series goes on from
            // the last day named
            if s.date.is_none() {
                if s.has(|c| c == Cue::NextDay) {
                    s.date = last_date.map(|d| {
                        crate::date::DayRange::new(d.start.add_days(1), d.end.add_days(1))
                    });
                } else if s.has(|c| c == Cue::SameDay || c == Cue::Series) {
                    s.date = last_date;
                }
            }
            if s.date.is_some() {
                last_date = s.date;
            }
            read_counts(&mut s, lang, text, &mut reader.numbers);
        } else if !hits.is_empty()
            && s.has(|c| matches!(c, Cue::Weekday(_) | Cue::Relative(_) | Cue::Month(_)))
        {
            // a place and a day with no event word: it may tell where and when the
            // event just told happened ("The troops were eating on Friday evening when
            // in Ghoriyan district ...")
            read_dates(&mut s, lang, text, article.date);
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

/// Drops each trigger of `cues[from..]` that lies inside a longer trigger: the longer
/// phrase says what happened ("er zijn 63 doden gevallen" is a toll, not a city that
/// fell; "roadside bomb", not "bomb").
fn drop_nested_triggers(cues: &mut Vec<Found<Cue>>, from: usize) {
    // the triggers by start, the longer first; one inside a longer one that starts no
    // later is dropped (a sweep: linear after the sort, however long the sentence)
    if cues[from..]
        .iter()
        .filter(|f| matches!(f.payload, Cue::Trigger(_)))
        .nth(1)
        .is_none()
    {
        return;
    }
    let mut spans: Vec<(usize, std::cmp::Reverse<usize>, usize)> = cues[from..]
        .iter()
        .enumerate()
        .filter(|(_, f)| matches!(f.payload, Cue::Trigger(_)))
        .map(|(k, f)| (f.start, std::cmp::Reverse(f.end), from + k))
        .collect();
    if spans.len() < 2 {
        return;
    }
    spans.sort_unstable();
    // the indices to drop, then the sentence's cues compacted in place (only its own:
    // `cues` holds the article's cues so far)
    let mut dropped: Vec<usize> = Vec::new();
    // the longest reach so far, and the span that reached it
    let mut reach: Option<(usize, usize)> = None;
    for &(start, std::cmp::Reverse(end), k) in &spans {
        match reach {
            Some((s0, e0)) if end <= e0 && (start, end) != (s0, e0) => dropped.push(k),
            Some((_, e0)) if end <= e0 => {}
            _ => reach = Some((start, end)),
        }
    }
    if dropped.is_empty() {
        return;
    }
    dropped.sort_unstable();
    let mut next = 0;
    let mut w = from;
    for r in from..cues.len() {
        if dropped.get(next) == Some(&r) {
            next += 1;
            continue;
        }
        cues.swap(w, r);
        w += 1;
    }
    cues.truncate(w);
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

/// Reported speech tied to a non-state armed actor (the Taliban said, volgens de
/// taliban): what it counts is a claim.
fn speech_of_a_party(s: &Sentence, lang: &Language) -> bool {
    // (the speaker of "according to" follows it: "clashes with the Taliban, according
    // to Majidi" is not the Taliban's word)
    let attributes = |at: usize| {
        s.cues
            .iter()
            .any(|f| f.payload == Cue::Attribution && f.start == at)
    };
    let speech = || {
        s.cues
            .iter()
            .filter(|f| f.payload == Cue::Speech)
            .map(|f| (f.start, attributes(f.start)))
    };
    // a counted party is the victim the speaker names ("the ministry said 14 Taliban
    // lost their lives"), not the speaker
    let counted = |t: usize| s.counts.iter().any(|c| c.tok < t && t - c.tok <= 2);
    s.actor_cues().any(|(t, a)| {
        lang.lex.events.actors[a as usize].category == "rebel"
            && speech().any(|(sp, after)| {
                if after {
                    t > sp && t - sp <= 4
                } else {
                    // the speaker before the verb, or right after it ("said the
                    // Taliban"), not in what is said ("confirmed that a Taliban attack")
                    (t < sp && sp - t <= 4) || (t > sp && t - sp <= 2)
                }
            })
            && !counted(t)
    })
}

/// Whether token `at` lies in a relative clause opened after a comma (", where") and
/// not closed by another before it: what it tells of the place ("Tarin Kowt, where
/// Dutch troops served between 2006 and 2010, ...") is not the sentence's event.
pub(super) fn in_relative_clause(s: &Sentence, at: usize) -> bool {
    s.cues.iter().any(|f| {
        f.payload == Cue::RelativeClause
            && f.start < at
            && s.toks[f.start].barrier_before
            && !s.toks[f.end..=at].iter().any(|t| t.barrier_before)
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

/// A language of the embedded lexicons, compiled as the extractor does (for the tests
/// of this module's parts).
#[cfg(test)]
fn test_language(code: &str) -> Language {
    let lex = crate::lexicon::Lexicons::embedded();
    Language::compile(lex.get(code).unwrap(), lex.get("en"))
}

#[cfg(test)]
mod nested_trigger_tests {
    use super::*;

    fn cue(start: usize, end: usize, payload: Cue) -> Found<Cue> {
        Found {
            start,
            end,
            payload,
        }
    }

    #[test]
    fn a_trigger_inside_a_longer_one_is_dropped_and_nothing_else() {
        // "... zeker 63 doden gevallen ...": the toll (2..4) holds the fall (3..4)
        let mut cues = vec![
            cue(0, 1, Cue::Trigger(7)),
            cue(1, 2, Cue::Death),
            cue(2, 4, Cue::Trigger(1)),
            cue(3, 4, Cue::Trigger(2)),
            cue(3, 4, Cue::Death),
            cue(5, 6, Cue::Trigger(3)),
            cue(5, 6, Cue::Trigger(4)),
        ];
        let before = cues[..1].to_vec();
        drop_nested_triggers(&mut cues, 1);
        let left: Vec<(usize, usize, Cue)> =
            cues.iter().map(|f| (f.start, f.end, f.payload)).collect();
        assert_eq!(
            left,
            [
                (0, 1, Cue::Trigger(7)),
                (1, 2, Cue::Death),
                (2, 4, Cue::Trigger(1)),
                (3, 4, Cue::Death),
                (5, 6, Cue::Trigger(3)),
                (5, 6, Cue::Trigger(4)),
            ]
        );
        assert_eq!(cues[..1], before[..], "cues before `from` are left alone");
        // a sentence of very many triggers: one pass
        let mut many: Vec<Found<Cue>> = (0..200_000)
            .map(|i| cue(i, i + 1, Cue::Trigger(1)))
            .collect();
        drop_nested_triggers(&mut many, 0);
        assert_eq!(many.len(), 200_000);
    }
}
