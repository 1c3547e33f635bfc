//! Linking sentences into reports of events, within one article.
//!
//! - A sentence with a trigger and event places adds to the report of each place
//!   (creating it), unless its specific trigger says another type of event or its
//!   date cannot be the same days: then it is another report. Two places in one
//!   trigger sentence are two reports; counts then stay with neither (they cannot be
//!   split).
//! - A sentence with a trigger but no place adds to the report in focus, if that
//!   report was referred to in the two sentences before.
//! - A sentence without a trigger that names exactly one place already reported moves
//!   the focus there ("Kunduz is bevrijd. Er zouden 56 strijders gedood zijn."), and
//!   its counts of possible deaths ("onder de slachtoffers ook vijf burgers") go to the
//!   report in focus.
//! - History, general statements and hypotheses are skipped.

use std::collections::HashMap;

use super::analyze::{CountRole, PlaceHit, PlaceRole, Sentence, lies_in};
use super::{Cue, Language, VictimKind};
use crate::article::Article;
use crate::date::DayRange;
use crate::event::{Fatalities, Location, Report, ReportedDistance, StableHasher};
use crate::gazetteer::PlaceKind;
use crate::geocode::{Geocoder, MatchKind};

struct Draft {
    location: Location,
    key: PlaceKey,
    /// (weight, trigger index)
    triggers: Vec<(u8, u16)>,
    /// (weight, trigger index) of sentences that do not name the place (they follow
    /// one that does): they type the report only when its own sentences do not.
    followup_triggers: Vec<(u8, u16)>,
    /// (0 from a sentence naming the place, 1 from one that does not; actor index)
    actors: Vec<(u8, u16)>,
    /// The armed actor before the trigger of the first sentence: the one who acted.
    subject: Option<u16>,
    counts: Vec<super::analyze::Count>,
    claimed: Vec<u64>,
    singular: Option<(u64, Option<u64>, VictimKind)>,
    dates: Vec<DayRange>,
    sentences: Vec<usize>,
    last_ref: usize,
    /// The specific trigger of the report this one is like ("another, similar
    /// attack"), for a report no specific word types.
    like: Option<u16>,
    /// Opened by a sentence marked as another event ("Later that day", "in a separate
    /// attack"): no earlier report is a summary of it.
    apart: bool,
    /// Placed only by a place it happened near ("a military base near Kabul").
    near: bool,
}

impl Draft {
    /// Drops what the draft counts (a summary of several reports, folded into one of
    /// them, does not give it the toll of all).
    fn forget_toll(&mut self) {
        self.counts.clear();
        self.claimed.clear();
        self.singular = None;
    }
}

/// Which place a report is of: a gazetteer place, or a name no place was found for
/// (folded). It enters the report's id as the text `#index` or `?folded name`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum PlaceKey {
    Place(usize),
    Unresolved(String),
}

fn place_key(p: &PlaceHit) -> PlaceKey {
    match p.location.place {
        // a place the gazetteer lacks, placed at the unit holding it, is its own
        Some(i) if p.location.match_kind != Some(MatchKind::Container) => PlaceKey::Place(i),
        _ => PlaceKey::Unresolved(crate::normalize::fold(&p.location.as_reported)),
    }
}

/// The type of the most specific trigger, `None` for bare killings and generic words.
fn specific_type<'l>(triggers: &[(u8, u16)], lang: &'l Language) -> Option<&'l str> {
    triggers
        .iter()
        .filter(|(w, _)| *w >= 2)
        .max_by_key(|(w, _)| *w)
        .map(|(_, t)| lang.lex.events.triggers[*t as usize].event_type.as_str())
        .filter(|t| *t != "killing")
}

fn draft_dates(d: &Draft) -> Option<DayRange> {
    d.dates
        .iter()
        .copied()
        .reduce(|a, b| a.intersect(b).unwrap_or(a))
}

/// Turns an article's sentences into reports (see the module doc), and the distances
/// it states into distances between places.
/// `province_named` is [`Geocoder::province_named`] (the reader's memo of it).
pub fn link(
    article: &Article,
    base: usize,
    lang_code: &str,
    lang: &Language,
    geocoder: &Geocoder,
    sents: &[Sentence],
    province_named: &mut dyn FnMut(usize, &str) -> Option<usize>,
) -> (Vec<Report>, Vec<ReportedDistance>) {
    let mut drafts: Vec<Draft> = Vec::new();
    // the drafts of each place, in order
    let mut by_key: HashMap<PlaceKey, Vec<usize>> = HashMap::new();
    let mut focus: Option<usize> = None;
    // a sentence reporting an event before any place of it is named
    let mut pending: Option<usize> = None;
    // the last sentence of a past event ("The Taliban had overrun it in April.")
    let mut history_at: Option<usize> = None;
    let mut distances = Vec::new();
    // per-sentence buffers, emptied for each sentence
    let mut triggers: Vec<(u8, u16)> = Vec::new();
    let mut places: Vec<(&PlaceHit, bool)> = Vec::new();
    let mut seen_keys: Vec<PlaceKey> = Vec::new();
    for (si, s) in sents.iter().enumerate() {
        if !s.distances.is_empty() {
            stated_distances(s, si, &drafts, article, &mut distances);
        }
        if s.history || s.generic || s.hypothetical {
            // what follows a past event ("had overrun it in April. In that assault,
            // ...") is not about the report before it
            if s.history && s.first_trigger().is_some() {
                focus = None;
                history_at = Some(si);
            }
            continue;
        }
        triggers.clear();
        triggers.extend(weighted_triggers(s, lang));
        places.clear();
        places.extend(
            s.places
                .iter()
                .filter(|p| p.role == PlaceRole::Event)
                .map(|p| (p, false)),
        );
        if places.is_empty() {
            places.extend(
                s.places
                    .iter()
                    .filter(|p| p.role == PlaceRole::Situating)
                    .map(|p| (p, true)),
            );
        }
        seen_keys.clear();
        places.retain(|(p, _)| {
            let k = place_key(p);
            let new = !seen_keys.contains(&k);
            seen_keys.push(k);
            new
        });
        if is_overview(s, &places, geocoder) {
            continue;
        }
        // "seized three other districts in the provinces of Uruzgan and Badghis": the
        // events are at places left unnamed
        if s.unnamed_places {
            places.retain(|(p, _)| {
                p.area.is_none()
                    && p.location
                        .place
                        .is_none_or(|k| geocoder.place(k).kind != PlaceKind::Province)
            });
        }
        // "It was followed by Sheberghan", "Then came Kunduz": with no trigger of its
        // own, a sentence continuing a series reports events like the last report of
        // a specific type, each at its place, apart from those told before
        let series = triggers.is_empty() && !places.is_empty() && s.has_cue(Cue::Series);
        if series && let Some(t) = last_specific_trigger(&drafts, lang) {
            triggers.push((lang.lex.events.triggers[t as usize].weight, t));
        }
        // "In the Dand area of Nawa district, four militants lost their lives": deaths
        // counted at a place are an event there, typed by what else the report says
        if triggers.is_empty()
            && !places.is_empty()
            && s.counts.iter().any(|c| c.role == CountRole::Death)
            && let Some(k) = lang
                .lex
                .events
                .triggers
                .iter()
                .position(|t| t.event_type == "killing")
        {
            triggers.push((0, k as u16));
        }
        // "It happened on the edge of Ghazni city": a sentence with no event word of
        // its own names the one place of the event told just before any place
        if triggers.is_empty()
            && places.len() == 1
            && !places[0].1
            && let Some(ps) = pending.filter(|&ps| si - ps <= 2)
        {
            triggers.extend(weighted_triggers(&sents[ps], lang));
        }
        if triggers.is_empty() {
            // "... concerning the overnight deaths in Musa Qala district": a sentence
            // with no event word, right after a report placed at a province, naming one
            // place in that province tells where in it the event was
            if let [(p, false)] = places.as_slice()
                && let Some(f) = focus.filter(|&f| si - drafts[f].last_ref <= 2)
                && let (Some(inner), Some(outer)) = (p.location.place, drafts[f].location.place)
                && p.location.match_kind != Some(MatchKind::Container)
                && inside_province(geocoder, inner, outer)
            {
                let key = place_key(p);
                by_key.entry(key.clone()).or_default().push(f);
                let d = &mut drafts[f];
                d.location = p.location.clone();
                d.key = key;
                if let Some(r) = s.date {
                    d.dates.push(r);
                }
                d.sentences.push(si);
                d.last_ref = si;
                continue;
            }
            // the one draft of the places named, if exactly one is known
            let mut known = places.iter().filter_map(|(p, _)| {
                by_key
                    .get(&place_key(p))
                    .and_then(|ids| ids.first().copied())
            });
            if let (Some(k), None) = (known.next(), known.next()) {
                focus = Some(k);
                drafts[k].last_ref = si;
            }
            if let Some(f) = focus.filter(|&f| si - drafts[f].last_ref <= 2)
                && s.counts.iter().any(|c| c.role == CountRole::Possible)
            {
                let d = &mut drafts[f];
                d.counts
                    .extend(s.counts.iter().filter(|c| c.role == CountRole::Possible));
                d.sentences.push(si);
            }
            continue;
        }
        if !places.is_empty() {
            // the sentence's actors, read once for every draft it joins
            let actors = s.participants();
            let several = places.len() > 1;
            let sentence_type = specific_type(&triggers, lang);
            // "Earlier on Monday ...", "another, similar attack": a new report even
            // where one of the place is open
            // (a one-word marker only where it opens the sentence: "Earlier on
            // Monday", not "kidnapped earlier in the day")
            let apart = series
                || s.has_cue(Cue::Similar)
                || s.cues
                    .iter()
                    .any(|f| f.payload == Cue::Separate && (f.end - f.start > 1 || f.start <= 2));
            for (k, (p, near)) in places.iter().enumerate() {
                let key = place_key(p);
                // several places, each after its own kind of event ("two attacks in
                // Tarinkot and a landmine explosion in Chenarto"): each takes the
                // triggers of its stretch of the sentence
                let own: Vec<(u8, u16)>;
                let (triggers, sentence_type) = if several && !series {
                    let from = if k == 0 { 0 } else { places[k - 1].0.tok_end };
                    own = s
                        .trigger_cues()
                        .filter(|&(t, _)| t >= from && t < p.tok_end)
                        .map(|(_, t)| (lang.lex.events.triggers[t as usize].weight, t))
                        .collect();
                    if own.is_empty() {
                        (triggers.as_slice(), sentence_type)
                    } else {
                        (own.as_slice(), specific_type(&own, lang))
                    }
                } else {
                    (triggers.as_slice(), sentence_type)
                };
                let found = by_key.get(&key).filter(|_| !apart).and_then(|ids| {
                    ids.iter().copied().find(|&i| {
                        let d = &drafts[i];
                        sentence_type.is_none_or(|t| t == event_type_of(d, lang).0)
                            && match (s.date, draft_dates(d)) {
                                (Some(a), Some(b)) => a.overlaps(b),
                                _ => true,
                            }
                    })
                });
                let idx = found.unwrap_or_else(|| {
                    // "another, similar attack": like the last report of a specific type
                    let like = (sentence_type.is_none()
                        && (s.has_cue(Cue::Similar) || s.one_of_several))
                        .then(|| last_specific_trigger(&drafts, lang))
                        .flatten();
                    let mut location = p.location.clone();
                    if *near {
                        location.geo_precision = location.geo_precision.max(2);
                    }
                    by_key.entry(key.clone()).or_default().push(drafts.len());
                    drafts.push(Draft {
                        location,
                        key,
                        triggers: Vec::new(),
                        followup_triggers: Vec::new(),
                        actors: Vec::new(),
                        subject: None,
                        counts: Vec::new(),
                        claimed: Vec::new(),
                        singular: None,
                        dates: Vec::new(),
                        sentences: Vec::new(),
                        last_ref: si,
                        like,
                        apart,
                        near: *near,
                    });
                    drafts.len() - 1
                });
                // the event told before its place (one sentence or two back), when
                // this sentence names one place only
                if let Some(ps) = pending.take().filter(|&ps| si - ps <= 2 && !several) {
                    let before = &sents[ps];
                    let trig: Vec<(u8, u16)> = weighted_triggers(before, lang).collect();
                    add_sentence(
                        &mut drafts[idx],
                        before,
                        ps,
                        &before.participants(),
                        &trig,
                        true,
                        0,
                        lang,
                    );
                }
                add_sentence(
                    &mut drafts[idx],
                    s,
                    si,
                    &actors,
                    triggers,
                    !several,
                    0,
                    lang,
                );
                focus = Some(idx);
            }
        } else if focus.is_some_and(|f| {
            si - drafts[f].last_ref <= 2
                && match (s.date, draft_dates(&drafts[f])) {
                    (Some(a), Some(b)) => !a.overlaps(b),
                    // a report of no date is of the days around publication
                    (Some(a), None) => article
                        .date
                        .is_some_and(|p| a.end.days_until(p.range().start) > OTHER_TIME_DAYS),
                    _ => false,
                }
        }) {
            // a sentence of another time ("a series of bombings struck the country in
            // late April"): neither it nor what follows it ("A cleric was killed then
            // too") is about the report before
            focus = None;
        } else if let Some(f) = focus.filter(|&f| si - drafts[f].last_ref <= 2) {
            add_sentence(
                &mut drafts[f],
                s,
                si,
                &s.participants(),
                &triggers,
                true,
                1,
                lang,
            );
        } else if focus.is_none() && history_at.is_none_or(|h| h + 1 != si) {
            // "Yesterday a suicide car bomber hit an army base in Afghanistan, killing
            // at least 30 ... It took place on the edge of Ghazni city": an event told
            // before any place of it; the next sentence's report takes it
            pending = Some(si);
        }
    }
    fold_summaries(&mut drafts, lang, geocoder, province_named);
    let reports = drafts
        .into_iter()
        .map(|d| finish(d, article, base, lang_code, lang, geocoder, sents))
        .collect();
    (reports, distances)
}

/// Whether place `inner`, a district, town or village (no city: "Herat police" is
/// the province's), lies in province `outer`.
fn inside_province(g: &Geocoder, inner: usize, outer: usize) -> bool {
    g.place(outer).kind == PlaceKind::Province
        && matches!(
            g.place(inner).kind,
            PlaceKind::District | PlaceKind::Town | PlaceKind::Village
        )
        && lies_in(g, inner, outer)
}

/// A sentence naming this many provinces as the places of its events is an overview.
const OVERVIEW_PROVINCES: usize = 4;

/// Whether a sentence names four provinces or more as its places ("fighting has been
/// going on in Baghlan, Kunduz, Balkh, Takhar and Faryab"; "89 insurgents killed in
/// Paktia, Ghor, Laghman and Nangarhar provinces"): an overview, not events to map.
/// A city named like its province counts only where the sentence says "provinces"
/// ("in de provincies Faryab, Jowzjan, Sar-e Pul en Badghis"); the sentence's words are
/// looked at only when the cities could make up the number.
fn is_overview(s: &Sentence, places: &[(&PlaceHit, bool)], geocoder: &Geocoder) -> bool {
    if places.len() < OVERVIEW_PROVINCES {
        return false;
    }
    let (mut provinces, mut cities) = (Vec::new(), Vec::new());
    for (p, _) in places {
        let Some(i) = p.location.place else {
            continue;
        };
        if geocoder.place(i).kind == PlaceKind::Province {
            provinces.push(i);
        } else if let Some(a) = p.area {
            cities.push(a);
        }
    }
    provinces.sort_unstable();
    provinces.dedup();
    if provinces.len() >= OVERVIEW_PROVINCES {
        return true;
    }
    cities.retain(|a| !provinces.contains(a));
    cities.sort_unstable();
    cities.dedup();
    provinces.len() + cities.len() >= OVERVIEW_PROVINCES
        && (0..s.toks.len()).any(|t| {
            geocoder.place_word_hint(&[s.word(t)]) == Some(crate::geocode::KindHint::Province)
        })
}

/// The places a distance in sentence `si` is between: the first two the sentence
/// names, else the one it names and the place reported most recently, else the two
/// reported most recently ("De twee steden liggen ... uit elkaar").
fn stated_distances(
    s: &Sentence,
    si: usize,
    drafts: &[Draft],
    article: &Article,
    out: &mut Vec<ReportedDistance>,
) {
    let mut named: Vec<usize> = Vec::new();
    for p in &s.places {
        if let Some(i) = p.location.place
            && !matches!(p.role, PlaceRole::Country | PlaceRole::Institution)
            && !named.contains(&i)
        {
            named.push(i);
        }
    }
    let mut recent: Vec<(usize, usize)> = drafts
        .iter()
        .filter(|d| d.last_ref <= si)
        .filter_map(|d| d.location.place.map(|p| (d.last_ref, p)))
        .collect();
    recent.sort_by_key(|r| std::cmp::Reverse(r.0));
    for (_, p) in recent {
        if named.len() >= 2 {
            break;
        }
        if !named.contains(&p) {
            named.push(p);
        }
    }
    if named.len() < 2 {
        return;
    }
    for (km, approximate, text) in &s.distances {
        out.push(ReportedDistance {
            article: article.id.clone(),
            from: named[0],
            to: named[1],
            km: *km,
            approximate: *approximate,
            text: text.clone(),
        });
    }
}

fn is_armed(category: &str) -> bool {
    !matches!(category, "civilians" | "protesters")
}

/// Adds sentence `si` (`s`, with its participants `actors`) to draft `d`.
#[allow(clippy::too_many_arguments)]
fn add_sentence(
    d: &mut Draft,
    s: &Sentence,
    si: usize,
    actors: &[(usize, u16)],
    triggers: &[(u8, u16)],
    with_counts: bool,
    priority: u8,
    lang: &Language,
) {
    if d.sentences.is_empty() {
        let first_trigger = s.first_trigger().unwrap_or(0);
        // the subject: an armed actor before the first trigger that is not a counted
        // victim ("drie agenten kwamen om het leven") nor a victim a word of dying
        // follows ("Soldiers killed in Ghazni", "Policemen were shot dead")
        let actor_end = |tok: usize| {
            s.cues
                .iter()
                .find(|f| f.start == tok && matches!(f.payload, Cue::Actor(_)))
                .map_or(tok + 1, |f| f.end)
        };
        let dying_after = |tok: usize| {
            let end = actor_end(tok);
            s.cues.iter().any(|f| {
                matches!(f.payload, Cue::Death | Cue::Injury)
                    && f.start >= end
                    && f.start - end <= 1
            })
        };
        d.subject = actors
            .iter()
            .find(|(tok, a)| {
                *tok < first_trigger
                    && is_armed(&lang.lex.events.actors[*a as usize].category)
                    && !s.counts.iter().any(|c| c.tok < *tok && *tok - c.tok <= 2)
                    && !dying_after(*tok)
            })
            .map(|a| a.1);
    }
    if priority == 0 {
        d.triggers.extend_from_slice(triggers);
    } else {
        d.followup_triggers.extend_from_slice(triggers);
    }
    d.actors.extend(actors.iter().map(|a| (priority, a.1)));
    if let Some(r) = s.date {
        d.dates.push(r);
    }
    if with_counts {
        if s.claim {
            let claimed: u64 = s
                .counts
                .iter()
                .filter(|c| c.role == CountRole::Death)
                .map(|c| c.best)
                .sum();
            if claimed > 0 {
                d.claimed.push(claimed);
            }
        } else {
            d.counts
                .extend(s.counts.iter().filter(|c| c.role != CountRole::Other));
            if d.singular.is_none() {
                d.singular = s.singular_death;
            }
        }
    }
    // sentences come in order: a sentence already added is the last one
    if d.sentences.last() != Some(&si) {
        d.sentences.push(si);
    }
    d.last_ref = si;
}

fn fatalities(d: &Draft) -> Fatalities {
    // (low, best, high) of each kind of victim in a slot each: the sums below do
    // not depend on the order. A bare number ("the attack killed 30") and people of
    // no stated side ("at least 30 people") count the same dead
    let mut slots: [Option<(u64, u64, Option<u64>)>; 4] = [None; 4];
    let slot = |v: Option<VictimKind>| match v {
        None | Some(VictimKind::People) => 0,
        Some(VictimKind::Combatants) => 1,
        Some(VictimKind::Forces) => 2,
        Some(VictimKind::Civilians) => 3,
    };
    let mut possible = 0u64;
    for c in &d.counts {
        match c.role {
            CountRole::Death => {
                let g = slots[slot(c.victims)].get_or_insert((0, 0, Some(0)));
                g.0 = g.0.max(c.low);
                g.1 = g.1.max(c.best);
                g.2 = match (g.2, c.high) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
            }
            CountRole::Possible => possible = possible.max(c.best),
            CountRole::Other => {}
        }
    }
    let groups = || slots.iter().flatten();
    if groups().next().is_none() {
        return match d.singular {
            Some((n, high, _)) => Fatalities {
                low: Some(n),
                best: n,
                high,
            },
            None => Fatalities::default(),
        };
    }
    let low = groups().map(|g| g.0).sum();
    let best = groups().map(|g| g.1).sum();
    let high = groups()
        .try_fold(0u64, |acc, g| g.2.map(|h| acc + h))
        .map(|h| h + possible);
    Fatalities {
        low: Some(low),
        best,
        high,
    }
}

/// Which side an actor is on: government and its allies, each armed group, civilians.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side<'a> {
    Government,
    Group(&'a str),
    Other(&'a str),
}

fn side<'a>(category: &'a str, name: &'a str) -> Side<'a> {
    match category {
        "state" | "external" => Side::Government,
        "rebel" | "militia" => Side::Group(name),
        other => Side::Other(other),
    }
}

/// How likely an actor of a category acted first, for an event of a sub-type, when
/// no sentence says it (lower: more likely): insurgents usually attack, forces
/// respond; air and artillery strikes are the forces'. `None`: never actor1 without
/// being the subject.
fn initiative(category: &str, sub_type: &str) -> Option<u8> {
    let strikes = matches!(
        sub_type,
        "Air/drone strike" | "Shelling/artillery/missile attack"
    );
    match (category, strikes) {
        ("external", true) => Some(0),
        ("state", true) => Some(1),
        ("rebel" | "militia", false) => Some(0),
        // armed groups have no aircraft: in an air strike they are the target
        ("rebel" | "militia", true) if sub_type == "Air/drone strike" => None,
        ("rebel" | "militia", true) => Some(2),
        ("unidentified", _) => Some(1),
        _ => None,
    }
}

/// The victims of a draft's deaths.
fn victims_of(d: &Draft) -> impl Iterator<Item = VictimKind> + '_ {
    d.counts
        .iter()
        .filter(|c| c.role != CountRole::Other)
        .filter_map(|c| c.victims)
        .chain(d.singular.map(|s| s.2))
}

/// Whether the draft counts victims and every one is a civilian.
fn civilians_only(d: &Draft) -> bool {
    let mut any = false;
    for v in victims_of(d) {
        if v != VictimKind::Civilians {
            return false;
        }
        any = true;
    }
    any
}

/// actor1 and actor2 of a draft of a sub-type: actor1 is the subject of the first
/// sentence, else the armed actor most likely to have acted (an unidentified group
/// when none is); actor2 the first armed actor of another side, from sentences naming
/// the place first.
fn actors_of(d: &Draft, lang: &Language, sub_type: &str) -> (Option<String>, Option<String>) {
    let actor = |a: u16| &lang.lex.events.actors[a as usize];
    let mut armed: Vec<(u8, usize, u16)> = d
        .actors
        .iter()
        .enumerate()
        .filter(|(_, (_, a))| is_armed(&actor(*a).category))
        .map(|(i, (p, a))| (*p, i, *a))
        .collect();
    armed.sort();
    let a1 = d.subject.or_else(|| {
        armed
            .iter()
            .filter_map(|&(p, i, a)| initiative(&actor(a).category, sub_type).map(|r| (r, p, i, a)))
            .min()
            .map(|x| x.3)
    });
    let name = |a: u16| actor(a).actor.clone();
    match a1 {
        Some(a1) => {
            let s1 = side(&actor(a1).category, &actor(a1).actor);
            let a2 = armed
                .iter()
                .find(|(_, _, a)| side(&actor(*a).category, &actor(*a).actor) != s1);
            (Some(name(a1)), a2.map(|x| name(x.2)))
        }
        None => (
            Some("Unidentified armed group".to_string()),
            armed.first().map(|x| name(x.2)),
        ),
    }
}

/// Whether armed actors of two sides are named.
fn has_opponents(d: &Draft, lang: &Language) -> bool {
    // two sides or more: some armed actor's side differs from the first's
    let mut sides = d
        .actors
        .iter()
        .map(|(_, a)| &lang.lex.events.actors[*a as usize])
        .filter(|a| is_armed(&a.category))
        .map(|a| side(&a.category, &a.actor));
    match sides.next() {
        Some(first) => sides.any(|s| s != first),
        None => false,
    }
}

/// A sentence's triggers with their weights.
fn weighted_triggers<'a>(
    s: &'a Sentence,
    lang: &'a Language,
) -> impl Iterator<Item = (u8, u16)> + 'a {
    s.trigger_cues()
        .map(|(_, t)| (lang.lex.events.triggers[t as usize].weight, t))
}

/// The strongest trigger of the latest report of a specific type: what "another,
/// similar attack" and "Then came Kunduz" are like.
fn last_specific_trigger(drafts: &[Draft], lang: &Language) -> Option<u16> {
    drafts
        .iter()
        .filter(|d| specific_type(&d.triggers, lang).is_some())
        .max_by_key(|d| d.last_ref)
        .and_then(|d| best_trigger(&d.triggers))
}

/// The strongest trigger (the first of the strongest weight).
fn best_trigger<'a>(triggers: impl IntoIterator<Item = &'a (u8, u16)>) -> Option<u16> {
    triggers
        .into_iter()
        .enumerate()
        .max_by_key(|(i, (w, _))| (*w, std::cmp::Reverse(*i)))
        .map(|(_, (_, t))| *t)
}

/// The ACLED type and sub-type of a draft: its most specific trigger's; a bare
/// killing (or a generic "attack") of civilians only, with no armed opponent, is
/// violence against civilians; else a battle.
fn event_type_of<'l>(d: &Draft, lang: &'l Language) -> (&'l str, &'l str) {
    let trig = |t: u16| &lang.lex.events.triggers[t as usize];
    // the sentences naming the place type the report; a sentence that follows them
    // ("The militants also launched rockets into the city") only when they do not
    let own = specific_type(&d.triggers, lang).is_some();
    let best = match d.like {
        _ if own => best_trigger(&d.triggers),
        Some(t) if specific_type(&d.followup_triggers, lang).is_none() => Some(t),
        _ => best_trigger(d.triggers.iter().chain(&d.followup_triggers)),
    };
    let civilians_only = civilians_only(d);
    let civilians_named = d
        .actors
        .iter()
        .any(|(_, a)| lang.lex.events.actors[*a as usize].category == "civilians");
    let opponents = has_opponents(d, lang);
    let (event_type, sub_type) = match best.map(trig) {
        Some(t) if t.event_type != "killing" => {
            (t.event_type.as_str(), t.sub_event_type_or_default())
        }
        _ => ("", ""),
    };
    let generic = best.is_none_or(|t| trig(t).weight <= 1 || trig(t).event_type == "killing");
    if event_type.is_empty() || (generic && event_type == "Battles" && civilians_only && !opponents)
    {
        if civilians_only || (civilians_named && !opponents) {
            return ("Violence against civilians", "Attack");
        }
        return ("Battles", "Armed clash");
    }
    (event_type, sub_type)
}

/// The province a draft's place can stand for (see [`Geocoder::province_named`]).
fn area_of<'g>(
    d: &Draft,
    g: &'g Geocoder,
    province_named: &mut dyn FnMut(usize, &str) -> Option<usize>,
) -> Option<&'g crate::gazetteer::Place> {
    d.location
        .place
        .and_then(|i| province_named(i, &d.location.as_reported))
        .map(|i| g.place(i))
}

/// What [`summarises`] needs of a draft, computed once: its place, the province its
/// name can stand for (country, admin1), its most specific trigger's type and its
/// ACLED type.
struct Summary<'g> {
    place: Option<usize>,
    area: Option<(&'g str, &'g str)>,
    specific: Option<&'g str>,
    event_type: &'g str,
}

fn summary<'g>(
    d: &Draft,
    lang: &'g Language,
    g: &'g Geocoder,
    province_named: &mut dyn FnMut(usize, &str) -> Option<usize>,
) -> Summary<'g> {
    Summary {
        place: d.location.place,
        area: area_of(d, g, province_named)
            .map(|p| (p.country_code.as_str(), p.admin1_code.as_str())),
        specific: specific_type(&d.triggers, lang),
        event_type: event_type_of(d, lang).0,
    }
}

/// Whether draft `a` reports, less precisely, the event of draft `b` (a headline
/// "Fighting in Kandahar" over "clashes in Arghandab district of Kandahar province"):
/// its place is `b`'s or an area containing it, its type is not another one, and
/// its dates allow `b`'s.
fn summarises(a: &Draft, sa: &Summary, b: &Draft, sb: &Summary, g: &Geocoder) -> bool {
    let (Some(pa), Some(pb)) = (sa.place, sb.place) else {
        return false;
    };
    // a place the gazetteer lacks, placed at its district or province, is no summary
    if a.location.match_kind == Some(MatchKind::Container) {
        return false;
    }
    // a report marked as another event is not what an earlier sentence summarised
    if b.apart && a.sentences.first() < b.sentences.first() {
        return false;
    }
    // at the same place, only a headline (the first sentence, alone) is a summary;
    // a place the gazetteer lacks placed at `a`'s lies inside it ("Bomb in Kabul" over
    // "a bomb in the Sarkhdara area of Kabul")
    let inside = b.location.match_kind == Some(MatchKind::Container);
    if pa == pb
        && !inside
        && !(a.sentences == [0] && !b.sentences.contains(&0) && sa.specific.is_none())
    {
        return false;
    }
    // a report placed only near a place ("a base near Kabul") is told more precisely
    // by one within reach of it ("a facility in Maidan Shahr city, 50 km from the
    // capital")
    let near = a.near && {
        let (p, q) = (g.place(pa), g.place(pb));
        crate::distance::geodesic_km((p.lat, p.lon), (q.lat, q.lon)) <= NEAR_KM
    };
    let contains = pa == pb
        || near
        || sa.area.is_some_and(|(cc, a1)| {
            let place_b = g.place(pb);
            cc == place_b.country_code
                && a1 == place_b.admin1_code
                && place_b.kind != crate::gazetteer::PlaceKind::Province
        });
    if !contains {
        return false;
    }
    // a specific type summarises a report of the same type, or one only generic words
    // ("the attack") type
    let type_ok = sa
        .specific
        .is_none_or(|t| t == sb.event_type || sb.specific.is_none());
    type_ok
        && match (draft_dates(a), draft_dates(b)) {
            (Some(x), Some(y)) => x.overlaps(y),
            _ => true,
        }
}

/// How many days before publication a sentence's date is of another time than an
/// undated report's.
const OTHER_TIME_DAYS: i32 = 31;

/// How far from the place it is said to be near a report's event may be.
const NEAR_KM: f64 = 60.0;

/// Folds every draft that only summarises another one into it.
fn fold_summaries<'g>(
    drafts: &mut Vec<Draft>,
    lang: &'g Language,
    g: &'g Geocoder,
    province_named: &mut dyn FnMut(usize, &str) -> Option<usize>,
) {
    if drafts.len() < 2 {
        return;
    }
    let mut sums: Vec<Summary> = drafts
        .iter()
        .map(|d| summary(d, lang, g, province_named))
        .collect();
    if drafts.len() > EXACT_FOLD_MAX {
        return fold_summaries_in_one_pass(drafts, sums, g, lang, province_named);
    }
    loop {
        let n = drafts.len();
        let pairs = || {
            (0..n)
                .flat_map(|a| (0..n).map(move |b| (a, b)))
                .filter(|&(a, b)| a != b)
        };
        let fits = |a: usize, b: usize| summarises(&drafts[a], &sums[a], &drafts[b], &sums[b], g);
        // a summary of a specific type goes to a report of that type first ("Roadside
        // bomb in Uruzgan" over "a roadside bomb in X district", not over "attacks on
        // Tarinkot")
        let same_type = |a: usize, b: usize| sums[a].specific == Some(sums[b].event_type);
        let pair = pairs()
            .find(|&(a, b)| same_type(a, b) && fits(a, b))
            .or_else(|| pairs().find(|&(a, b)| fits(a, b)));
        let Some((a, b)) = pair else { return };
        // a summary of several reports ("15 killed in air strikes in Ghazni" over 11
        // in Ghelan and 4 in Nawa): its toll is theirs together, not one's
        let several = pairs().any(|(x, c)| x == a && c != b && fits(a, c));
        let mut from = drafts.remove(a);
        sums.remove(a);
        if several {
            from.forget_toll();
        }
        let b = if a < b { b - 1 } else { b };
        absorb(&mut drafts[b], from);
        sums[b] = summary(&drafts[b], lang, g, province_named);
    }
}

/// Up to this many drafts (far more than an article reports), summaries are folded
/// until none is left, each fold looking at every pair again; above it, in one pass.
const EXACT_FOLD_MAX: usize = 64;

/// [`fold_summaries`] for an article of very many drafts (a long text read in parts):
/// each draft, in order, is folded into the first draft it summarises, found among the
/// drafts of its place and of the province its name stands for; time grows with the
/// drafts and their neighbours, not with the cube of the drafts.
fn fold_summaries_in_one_pass<'g>(
    drafts: &mut Vec<Draft>,
    mut sums: Vec<Summary<'g>>,
    g: &'g Geocoder,
    lang: &'g Language,
    province_named: &mut dyn FnMut(usize, &str) -> Option<usize>,
) {
    let mut by_place: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut by_area: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, s) in sums.iter().enumerate() {
        if let Some(p) = s.place {
            by_place.entry(p).or_default().push(i);
            let q = g.place(p);
            if q.kind != crate::gazetteer::PlaceKind::Province {
                by_area
                    .entry((q.country_code.as_str(), q.admin1_code.as_str()))
                    .or_default()
                    .push(i);
            }
        }
    }
    let mut slots: Vec<Option<Draft>> = std::mem::take(drafts).into_iter().map(Some).collect();
    let mut candidates: Vec<usize> = Vec::new();
    let mut fitting: Vec<usize> = Vec::new();
    for a in 0..slots.len() {
        candidates.clear();
        if let Some(p) = sums[a].place {
            candidates.extend(by_place.get(&p).into_iter().flatten());
        }
        if let Some(area) = sums[a].area {
            candidates.extend(by_area.get(&area).into_iter().flatten());
        }
        candidates.sort_unstable();
        candidates.dedup();
        let Some(da) = slots[a].as_ref() else {
            continue;
        };
        // as `fold_summaries` does: a report of the summary's type first, and the toll
        // of a summary of several reports kept to itself
        fitting.clear();
        fitting.extend(candidates.iter().copied().filter(|&b| {
            b != a
                && slots[b]
                    .as_ref()
                    .is_some_and(|db| summarises(da, &sums[a], db, &sums[b], g))
        }));
        let b = fitting
            .iter()
            .copied()
            .find(|&b| sums[a].specific == Some(sums[b].event_type))
            .or(fitting.first().copied());
        if let Some(b) = b
            && let Some(mut from) = slots[a].take()
            && let Some(to) = slots[b].as_mut()
        {
            if fitting.len() > 1 {
                from.forget_toll();
            }
            absorb(to, from);
            sums[b] = summary(to, lang, g, province_named);
        }
    }
    *drafts = slots.into_iter().flatten().collect();
}

/// Folds draft `from` into `to`: its triggers, actors (as from a sentence not naming
/// the place), counts, dates and sentences.
fn absorb(to: &mut Draft, from: Draft) {
    to.triggers.extend(from.triggers);
    to.followup_triggers.extend(from.followup_triggers);
    to.actors
        .extend(from.actors.into_iter().map(|(_, x)| (1, x)));
    to.counts.extend(from.counts);
    to.claimed.extend(from.claimed);
    if to.singular.is_none() {
        to.singular = from.singular;
    }
    to.dates.extend(from.dates);
    to.sentences.extend(from.sentences);
    to.sentences.sort_unstable();
    to.sentences.dedup();
}

fn finish(
    d: Draft,
    article: &Article,
    base: usize,
    lang_code: &str,
    lang: &Language,
    _geocoder: &Geocoder,
    sents: &[Sentence],
) -> Report {
    let fat = fatalities(&d);
    let (event_type, sub_type) = event_type_of(&d, lang);
    let (mut actor1, mut actor2) = actors_of(&d, lang, sub_type);
    if actor2.is_none() && civilians_only(&d) {
        actor2 = Some("Civilians".into());
    }
    match event_type {
        "Violence against civilians" => {
            if actor1.is_none() {
                actor1 = Some("Unidentified armed group".into());
            }
            actor2 = Some("Civilians".into());
        }
        "Protests" | "Riots" => {
            actor1 = d
                .actors
                .iter()
                .map(|&(_, a)| &lang.lex.events.actors[a as usize])
                .find(|a| a.category == "protesters")
                .map(|a| a.actor.clone())
                .or(Some(
                    if event_type == "Riots" {
                        "Rioters"
                    } else {
                        "Protesters"
                    }
                    .into(),
                ));
            actor2 = None;
        }
        _ => {
            if actor1.is_none() {
                actor1 = Some("Unidentified armed group".into());
            }
        }
    }
    let dates = {
        // the days every dated sentence allows; where two disagree, a day or a few
        // against a whole week or month ("on Sunday" against "as last month") keeps
        // the days, and two days or weeks make the range from one to the other
        let r = d.dates.iter().copied().reduce(|a, b| {
            a.intersect(b).unwrap_or_else(|| {
                let (la, lb) = (a.len_days(), b.len_days());
                if la < 7 && lb >= 7 {
                    a
                } else if lb < 7 && la >= 7 {
                    b
                } else {
                    a.union(b)
                }
            })
        });
        r.or_else(|| {
            article.date.map(|p| {
                let pr = p.range();
                // no date word: the days up to publication
                DayRange::new(pr.start.add_days(-6), pr.end)
            })
        })
    };
    let evidence: Vec<String> = d
        .sentences
        .iter()
        .map(|&i| one_line(sents[i].text(&article.text)))
        .collect();
    let offset = d
        .sentences
        .iter()
        .map(|&i| sents[i].start)
        .min()
        .unwrap_or(0)
        + base;
    // the id: a hash of the article, the place key's text, the type and the offset
    // (`stable_hash_parts`), fed without building the texts
    let mut h = StableHasher::default();
    let mut digits = [0u8; 20];
    h.part(article.id.as_bytes());
    match &d.key {
        PlaceKey::Place(i) => {
            h.part(b"#");
            h.more(crate::event::decimal_digits(&mut digits, *i as u64));
        }
        PlaceKey::Unresolved(name) => {
            h.part(b"?");
            h.more(name.as_bytes());
        }
    }
    h.part(event_type.as_bytes());
    h.part(crate::event::decimal_digits(&mut digits, offset as u64));
    let mut id = String::with_capacity(16);
    crate::event::push_hex16(&mut id, h.finish());
    Report {
        id,
        article: article.id.clone(),
        language: lang_code.to_string(),
        location: d.location,
        event_type: event_type.to_string(),
        sub_event_type: sub_type.to_string(),
        actor1,
        actor2,
        dates,
        fatalities: fat,
        claimed: d.claimed.iter().copied().max(),
        evidence,
        offset,
    }
}

/// `text` with every run of white space made one space (a sentence quoted as evidence
/// on one line); text that has only single spaces is copied as it is.
fn one_line(text: &str) -> String {
    let bytes = text.as_bytes();
    // ASCII controls, and the lead bytes of every non-ASCII white space (a fold
    // without early exit: the compiler reads it a vector at a time)
    let suspect = bytes.iter().fold(false, |bad, &b| {
        bad | (b < 0x20) | matches!(b, 0xc2 | 0xe1 | 0xe2 | 0xe3)
    });
    let plain = !suspect
        && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && memchr::memmem::find(bytes, b"  ").is_none();
    if plain {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

impl crate::lexicon::Trigger {
    fn sub_event_type_or_default(&self) -> &str {
        if self.sub_type.is_empty() {
            match self.event_type.as_str() {
                "Battles" => "Armed clash",
                "Violence against civilians" => "Attack",
                _ => "",
            }
        } else {
            &self.sub_type
        }
    }
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn one_line_makes_every_white_space_run_one_space() {
        for text in [
            "Taliban attacked Kunduz.",
            "Twee  spaties\nen een regel",
            "tab\there",
            "no-break\u{a0}space and\u{2009}thin",
            "ideographic\u{3000}space",
            "één café, Pol-e Khomri",
            "ends with space ",
            " starts",
        ] {
            let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(one_line(text), want, "{text:?}");
        }
    }
}
