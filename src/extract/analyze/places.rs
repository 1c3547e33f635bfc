//! Places of a sentence: which names found in it are places (common words, datelines,
//! person names, the evidence a far or small place needs), unknown names a place word
//! or locative introduces, and the role each place plays (the event's place, one that
//! refines or situates it, an institution's seat, talks).

use super::*;

/// The kind the place word in tokens `[at, at + n)` of `s` asks for ("provincie",
/// "the city of"), when they are one (`n` at most 5). What a word asks for alone, and
/// whether any place word starts with it, are kept in `table` by word number, so
/// that one-word questions and words no place word starts with take no look-up.
pub(super) fn place_word_hint_at(
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
pub(super) fn context_hint(
    geocoder: &Geocoder,
    s: &Sentence,
    text: &str,
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
            // a place word right after another name is that name's ("Qizil Tepa
            // village of Darzab": Darzab is no village)
            // (the word before the place word, not the sentence's first)
            let after_name = (a - n).checked_sub(1).is_some_and(|name_end| {
                name_end > 0
                    && !toks[a - n].barrier_before
                    && starts_upper(text, toks[name_end].start)
                    && !s.in_cue(name_end)
            });
            if after_name {
                return None;
            }
            return Some(h);
        }
    }
    None
}

pub(super) fn read_places(
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
    // names read as the end of a person's name ("Abdul Wahid Sherzad")
    let mut person = vec![false; s.toks.len()];
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
        let line_before = line_before(text, bs);
        let is_month = |w: &str| {
            let w = w.to_lowercase();
            let d = &lang.lex.dates;
            d.months.contains(&w) || d.month_abbreviations.iter().any(|(a, _)| *a == w)
        };
        if is_dateline(surface, &text[be..])
            || is_dateline_line(line_before, &text[be..], &is_month)
        {
            // nor is it an unknown place name ("Reporting from KABUL, Afghanistan —")
            covered[a..b].fill(true);
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
        if ends_person_name(s, a, text, &covered, lang) {
            covered[a..b].fill(true);
            person[a..b].fill(true);
            continue;
        }
        let lower = surface.chars().next().is_some_and(char::is_lowercase);
        let hint = context_hint(geocoder, s, text, a, b, &mut reader.place_first);
        let opts = ResolveOptions {
            lang: Some(&lang.lex.language),
            focus_country: focus,
            hint,
        };
        // the reading a place word gave this name earlier in the article
        let sense = hint.is_none().then(|| reader.sense_of(surface)).flatten();
        // the kind asked for first; a name of another kind only when none fits
        let Some(r) = reader.resolve_cached(surface, hint, focus, false, || {
            geocoder
                .resolve(surface, &opts)
                .or_else(|_| geocoder.resolve(surface, &ResolveOptions { hint: None, ..opts }))
                .ok()
        }) else {
            continue;
        };
        let sense = sense.filter(|&k| k != r.place && r.alternatives.contains(&k));
        // matched by the place's own or an alternate name, not by a loose spelling
        let strict = r.match_kind <= MatchKind::Alternate;
        let chosen = sense.unwrap_or(r.place);
        let p = geocoder.place(chosen);
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
        // (built only for a name kept: most names found are not places)
        let mut location = location_of(r, surface);
        let alternatives = r.alternatives.clone();
        if sense.is_some() {
            location.place = Some(chosen);
            location.status = PlaceStatus::Resolved;
            location.geo_precision = p.geo_precision();
        }
        // (a district's: a city named like its province is the city when bare)
        if p.kind == PlaceKind::District && hint.is_some_and(|h| h.accepts(p.kind)) {
            reader.remember_sense(surface, chosen);
        }
        let hit = PlaceHit {
            tok_start: a,
            tok_end: b,
            location,
            role: if p.kind == PlaceKind::Country {
                PlaceRole::Country
            } else {
                PlaceRole::Event
            },
            alternatives,
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
    if s.first_trigger().is_some() || s.has(|c| c == Cue::Series) {
        let marks = Marks {
            covered: &covered,
            person: &person,
            focus,
        };
        unresolved_places(s, lang, geocoder, reader, text, &marks, &mut places);
    }
    assign_roles(s, text, &mut places, geocoder, reader, lang);
    s.places = places;
}

/// Whether the name at token `a` ends a person's name ("districtschef Abdul Wahid
/// Sherzad"): a capitalised word of letters only that is no frequent word, no cue, no
/// place and not the sentence's first stands right before it.
pub(super) fn ends_person_name(
    s: &Sentence,
    a: usize,
    text: &str,
    covered: &[bool],
    lang: &Language,
) -> bool {
    if a < 2 || s.toks[a].barrier_before || covered[a - 1] {
        return false;
    }
    let prev = a - 1;
    let word = &text[s.toks[prev].start..s.toks[prev].end];
    // a word of its own: spaces around it, not part of a hyphenated one
    let spaced = |from: usize, to: usize| text[from..to].chars().all(char::is_whitespace);
    // "gouverneur Mohammad Omar Sherzad", "commander Mullah Dadullah": after a title,
    // capitalised words (however frequent a given name is) make a person's name
    let mut k = a;
    while k > 0
        && a - k < 3
        && !s.toks[k].barrier_before
        && starts_upper(text, s.toks[k - 1].start)
        && s.word(k - 1).chars().all(char::is_alphabetic)
        && !covered[k - 1]
    {
        k -= 1;
    }
    let titled = k < a
        && !s.toks[k].barrier_before
        && s.cues
            .iter()
            .any(|f| f.end == k && matches!(f.payload, Cue::Singular(_)));
    if titled {
        return true;
    }
    spaced(s.toks[prev].end, s.toks[a].start)
        && spaced(s.toks[prev - 1].end, s.toks[prev].start)
        && starts_upper(text, s.toks[prev].start)
        && word.chars().all(char::is_alphabetic)
        && !lang.is_frequent(s.word(prev))
        && !s.in_cue(prev)
}

/// The text of the line before byte `pos`, looked for in the 256 bytes before it at
/// most (a text of one long line costs no more per name than any other).
pub(super) fn line_before(text: &str, pos: usize) -> &str {
    let mut from = pos.saturating_sub(256);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = &text[from..pos];
    match window.rfind('\n') {
        Some(i) => &window[i + 1..],
        None if from == 0 => window,
        // no line start near: a long line's middle, never blank
        None => "…",
    }
}

/// Whether a name that opens a line is a dateline in the news agencies' mixed-case
/// form: the city, maybe its country in brackets or after a comma, then the day or
/// the agency ("Kabul, March 27 (IANS)", "Kabul [Afghanistan], August 9 (ANI):",
/// "Kaboel, 12 maart (Belga) -", "Kunduz (Pajhwok) -").
pub(super) fn is_dateline_line(
    before_on_line: &str,
    after: &str,
    is_month: &dyn Fn(&str) -> bool,
) -> bool {
    if !before_on_line.trim().is_empty() {
        return false;
    }
    let mut rest = after.trim_start_matches([' ', '\u{a0}']);
    // "[Afghanistan]"
    if let Some(r) = rest.strip_prefix('[')
        && let Some(end) = r.find(']')
    {
        rest = r[end + 1..].trim_start();
    }
    if rest.starts_with(['(', '—', '–', '|']) || rest.starts_with("- ") {
        return true;
    }
    // ", March 27", ", Afghanistan, March 27": capitalised words, then a day number
    let Some(r) = rest.strip_prefix(',') else {
        return false;
    };
    // ", Afghanistan:": the country, then a colon
    let country = r.trim_start();
    let word_end = country
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(country.len());
    if word_end > 0
        && country.starts_with(char::is_uppercase)
        && country[word_end..].starts_with(':')
    {
        return true;
    }
    let words: Vec<&str> = r
        .split([' ', ',', '\u{a0}'])
        .filter(|w| !w.is_empty())
        .take(4)
        .collect();
    let day_at = words.iter().position(|w| {
        w.trim_end_matches(['(', ':'])
            .chars()
            .all(|c| c.is_ascii_digit())
    });
    match day_at {
        // ", 12 maart (Belga)": the day first, then the month
        Some(0) => words.get(1).is_some_and(|w| is_month(w)),
        // ", Afghanistan, March 27": capitalised words, the last the month
        Some(k) => {
            is_month(words[k - 1])
                && words[..k]
                    .iter()
                    .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        }
        None => false,
    }
}

/// Whether a name is a wire dateline, where the story was filed, not where anything
/// happened: written in capitals and followed by the agency or a dash ("KABUL
/// (Reuters) -", "KABUL, Afghanistan —", "KABUL:", "SHEBERGHAN (Pajhwok):").
pub(super) fn is_dateline(surface: &str, after: &str) -> bool {
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
pub(super) fn plausible_place(
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
pub(super) enum Evidence {
    /// A place.
    Enough,
    /// A place if the sentence names its province.
    IfProvinceNamed,
    /// A word, not a place.
    None,
}

/// What the reading of the scanner's names left for [`unresolved_places`]: the tokens
/// they cover, those read as the end of a person's name, and the article's country.
pub(super) struct Marks<'a> {
    covered: &'a [bool],
    person: &'a [bool],
    focus: Option<&'a str>,
}

/// Capitalised names after a place word or a locative that the scanner did not find:
/// resolved if the geocoder knows them (a spelling the automaton's keys miss), else
/// kept as unresolved places, so that their events are not lost. An approximate
/// (consonant-skeleton) match is trusted only where the text names the province that
/// holds it ([`approximate_in_named_province`]); otherwise it stays unresolved.
pub(super) fn unresolved_places(
    s: &Sentence,
    lang: &Language,
    geocoder: &Geocoder,
    reader: &mut Reader<'_>,
    text: &str,
    marks: &Marks<'_>,
    places: &mut Vec<PlaceHit>,
) {
    let Marks {
        covered,
        person,
        focus,
    } = *marks;
    let toks = &s.toks;
    let is_cap = |i: usize| starts_upper(text, toks[i].start);
    // the tokens inside a cue, marked once (not a walk of the cues per token)
    let mut in_cue = vec![false; toks.len()];
    for f in s.cues {
        for c in in_cue.iter_mut().take(f.end).skip(f.start) {
            *c = true;
        }
    }
    let cue_at = |i: usize| in_cue[i];
    let free = |i: usize| is_cap(i) && !covered[i] && !cue_at(i);
    // a headline in title case ("Taliban Strike on Army Checkpoint: Seven Afghan
    // Soldiers Killed") capitalises common words: a name the gazetteer lacks is no
    // place there
    let long_words: Vec<usize> = (1..toks.len())
        .filter(|&k| s.word(k).len() >= 4 && s.word(k).chars().all(char::is_alphabetic))
        .collect();
    let title_case = long_words.len() >= 3
        && long_words.iter().filter(|&&k| is_cap(k)).count() * 10 >= long_words.len() * 7;
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
        // the name: capitalised words, with linking particles between them
        // (Deh-e Kalan-e Sufla), at most six words
        let mut j = i + 1;
        // a word read as the end of a person's name continues a place name that a
        // place word follows ("Khak Rez district")
        let mut person_from: Option<usize> = None;
        while j < toks.len() && j < i + 6 && !toks[j].barrier_before {
            if free(j) {
                j += 1;
            } else if person[j] && is_cap(j) && !cue_at(j) {
                person_from.get_or_insert(j);
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
        if let Some(k) = person_from
            && (j == toks.len()
                || place_word_hint_at(&mut reader.place_first, geocoder, s, j, 1).is_none())
        {
            j = k;
        }
        let unit_word = |k: usize, reader: &mut Reader<'_>| {
            matches!(
                place_word_hint_at(&mut reader.place_first, geocoder, s, k, 1),
                Some(KindHint::District | KindHint::Village | KindHint::City)
            )
        };
        // "recaptured the Kaldara district", "overran Ishkimish, a strategically
        // important district in ... Takhar": a place word after the name, or opening
        // an apposition to it
        let word_after = j < toks.len() && !toks[j].barrier_before && unit_word(j, reader);
        let appositive = j < toks.len()
            && toks[j].barrier_before
            && lang.lex.markers.articles.iter().any(|a| a == s.word(j))
            && (j + 1..(j + 5).min(toks.len()))
                .take_while(|&k| !toks[k].barrier_before)
                .any(|k| unit_word(k, reader));
        if !(after_word || after_locative || word_after || appositive) {
            i = j;
            continue;
        }
        let ends_clause = j == toks.len()
            || toks[j].barrier_before
            || place_word_hint_at(&mut reader.place_first, geocoder, s, j, 1).is_some();
        let stop = (i..j).all(|k| lang.stopwords.contains(s.word(k)));
        // "in Maiwend on Thursday", "ontplofte in Dai Chopan een bermbom": after a
        // locative, a name the clause goes on after is a place only if the gazetteer
        // knows it in the article's country (or a named province vouches for a
        // spelling), never as an unresolved name
        let loose = !(after_word || ends_clause) && after_locative && j < toks.len();
        if !(after_word || ends_clause || loose) || stop {
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
        // the kind the word after the name asks for ("Shah Walikot district")
        let hint_after = (j < toks.len())
            .then(|| place_word_hint_at(&mut reader.place_first, geocoder, s, j, 1))
            .flatten();
        let article_provinces = reader.article_provinces.clone();
        let resolved = reader.resolve_cached(surface, None, focus, true, || {
            geocoder
                .resolve(surface, &opts)
                .ok()
                .or_else(|| hyphenated_part(geocoder, surface, &opts, focus))
        });
        let in_focus = |k: usize| focus.is_none_or(|c| geocoder.place(k).country_code == c);
        let location = match resolved {
            Some(r)
                if r.match_kind != crate::geocode::MatchKind::Approximate
                    && (!loose || in_focus(r.place)) =>
            {
                location_of(r, surface)
            }
            Some(r)
                if let Some(k) = approximate_in_named_province(
                    r,
                    hint_after,
                    places,
                    &article_provinces,
                    geocoder,
                ) =>
            {
                let mut l = location_of(r, surface);
                l.place = Some(k);
                l.geo_precision = geocoder.place(k).geo_precision();
                l.status = PlaceStatus::Resolved;
                l
            }
            // unknown: kept (unresolved) only when it is the sentence's one name and a
            // function word follows it ("in Maiwend on Thursday"), never in a title
            _ if title_case
                || (loose && !(places.is_empty() && lang.stopwords.contains(s.word(j)))) =>
            {
                i = j;
                continue;
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

/// A name of places joined by hyphens ("Chaman-Spin Boldak", a crossing named by the
/// towns on either side of a border): the last part the gazetteer knows by its own,
/// an alternate or a transliterated name in the article's country.
fn hyphenated_part(
    geocoder: &Geocoder,
    surface: &str,
    opts: &ResolveOptions<'_>,
    focus: Option<&str>,
) -> Option<crate::geocode::Resolution> {
    let cuts: Vec<usize> = surface
        .match_indices('-')
        .map(|(i, _)| i)
        .filter(|&i| surface[i + 1..].starts_with(char::is_uppercase))
        .collect();
    if cuts.is_empty() {
        return None;
    }
    let mut parts = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for &c in &cuts {
        parts.push(&surface[from..c]);
        from = c + 1;
    }
    parts.push(&surface[from..]);
    parts.iter().rev().find_map(|part| {
        geocoder.resolve(part, opts).ok().filter(|r| {
            r.match_kind <= MatchKind::Transliteration
                && focus.is_none_or(|c| geocoder.place(r.place).country_code == c)
        })
    })
}

/// The reading of an approximate (consonant-skeleton) match that the context vouches
/// for: a district or town (of the kind the word after the name asks for, if any)
/// that lies in a province this sentence names, else in the province the article
/// named last that holds one. "Shah Walikot district ... Kandahar province" is Shāh
/// Walī Kōṯ; a skeleton match with no such province stays unresolved.
fn approximate_in_named_province(
    r: &crate::geocode::Resolution,
    hint: Option<KindHint>,
    places: &[PlaceHit],
    article_provinces: &[usize],
    geocoder: &Geocoder,
) -> Option<usize> {
    let candidates: Vec<usize> = std::iter::once(r.place)
        .chain(r.alternatives.iter().copied())
        .filter(|&k| {
            let kind = geocoder.place(k).kind;
            !matches!(kind, PlaceKind::Province | PlaceKind::Country)
                && hint.is_none_or(|h| h.accepts(kind))
        })
        .collect();
    // (`prov` is always a province here)
    let in_province = |k: usize, prov: usize| lies_in(geocoder, k, prov);
    let sentence: Vec<usize> = places
        .iter()
        .filter_map(|p| p.location.place)
        .filter(|&k| geocoder.place(k).kind == PlaceKind::Province)
        .collect();
    let pick = |prov: usize| candidates.iter().copied().find(|&k| in_province(k, prov));
    sentence
        .iter()
        .find_map(|&p| pick(p))
        .or_else(|| article_provinces.iter().rev().find_map(|&p| pick(p)))
}

pub(super) fn assign_roles(
    s: &Sentence,
    text: &str,
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
        // (`prov` is always a province: a name's area or one the article named)
        let in_province = |i: usize, prov: usize| {
            geocoder.place(i).kind != PlaceKind::Province && lies_in(geocoder, i, prov)
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
    // "Kunduz police spokesman", "Jawzjan Police Chief": a place the forces or the
    // official named right after it belong to, where the sentence names another place
    // for the event ("Laghman police said they had killed ... there" is in Laghman)
    let official_after = |p: &PlaceHit| {
        s.cues.iter().any(|f| {
            f.start == p.tok_end
                && !s.toks.get(f.start).is_some_and(|t| t.barrier_before)
                && match f.payload {
                    Cue::Singular(VictimKind::Forces) | Cue::Speech => true,
                    Cue::Actor(a) => matches!(s.category_of(a), Some("state")),
                    _ => false,
                }
        })
    };
    let officials: Vec<bool> = places.iter().map(official_after).collect();
    let other_place = |i: usize| {
        places
            .iter()
            .enumerate()
            .any(|(j, q)| j != i && !officials[j] && q.role != PlaceRole::Country)
    };
    let officials: Vec<bool> = (0..places.len())
        .map(|i| officials[i] && other_place(i))
        .collect();
    for (p, official) in places.iter_mut().zip(officials) {
        if p.role == PlaceRole::Country {
            continue;
        }
        // the phrase before the name, over at most two articles or adjectives
        let before = |cue: Cue| {
            s.cues
                .iter()
                .any(|f| f.payload == cue && f.end <= p.tok_start && p.tok_start - f.end <= 2)
        };
        // ("op weg naar de Afghaanse hoofdstad Kabul": three words between)
        let moving = s.cues.iter().any(|f| {
            f.payload == Cue::Movement && f.end <= p.tok_start && p.tok_start - f.end <= 3
        });
        if moving {
            p.role = PlaceRole::NonEvent;
        } else if before(Cue::Institution) || official {
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
        // (a district's name too, where a word for a village or an area follows it:
        // "the Dand area of Nawa district" is no district of Kandahar)
        let small = match geocoder.place(pi).kind {
            PlaceKind::Village | PlaceKind::Town => true,
            PlaceKind::District => {
                places[i].tok_end < s.toks.len()
                    && place_word_hint_at(
                        &mut reader.place_first,
                        geocoder,
                        s,
                        places[i].tok_end,
                        1,
                    ) == Some(KindHint::Village)
            }
            _ => false,
        };
        if places[i].role != PlaceRole::Event || !small {
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
    // a place the gazetteer lacks, in a province or district the sentence names as
    // the event's, or in a city it names as holding it ("Kabul's Dashti Barchi", "the
    // Macroyan area of Kabul"); else, a village named with its place word, in the
    // district the article named last ("the district's Aarz Begi village"); else in
    // a unit of those who speak of it ("officials in Uruzgan province said ... in
    // Chenarto district"); else, a district or village named with its place word, in
    // the province the article named last. The event is placed at that unit
    // (geo-precision 2, or 3 for a province), as reported by the name of the place.
    for i in 0..n {
        if places[i].location.place.is_some() || places[i].role != PlaceRole::Event {
            continue;
        }
        let unit_kind = |j: usize| {
            places[j].location.place.is_some_and(|k| {
                matches!(
                    geocoder.place(k).kind,
                    PlaceKind::Province | PlaceKind::District
                ) || as_province(geocoder, &places[j]).is_some()
            })
        };
        let city_holding = |j: usize| {
            places[j].location.place.is_some_and(|k| {
                matches!(geocoder.place(k).kind, PlaceKind::Capital | PlaceKind::City)
            }) && places[j].tok_end.abs_diff(places[i].tok_start) <= 3
        };
        let named_as = context_hint(
            geocoder,
            s,
            text,
            places[i].tok_start,
            places[i].tok_end,
            &mut reader.place_first,
        );
        let at_unit = |k: usize| Location {
            place: Some(k),
            as_reported: String::new(),
            status: PlaceStatus::Resolved,
            match_kind: None,
            geo_precision: geocoder.place(k).geo_precision(),
        };
        let unit = (0..n)
            .find(|&j| places[j].role == PlaceRole::Event && unit_kind(j))
            .or_else(|| (0..n).find(|&j| j != i && city_holding(j)));
        let mut loc = if let Some(j) = unit {
            places[j].role = PlaceRole::Refines;
            places[j].location.clone()
        } else if let Some(d) = reader
            .article_district
            .filter(|_| named_as == Some(KindHint::Village))
        {
            at_unit(d)
        } else if let Some(j) = (0..n).find(|&j| {
            matches!(
                places[j].role,
                PlaceRole::Institution | PlaceRole::Refines | PlaceRole::Situating
            ) && unit_kind(j)
        }) {
            places[j].location.clone()
        } else if let Some(&prov) = reader
            .article_provinces
            .last()
            .filter(|_| matches!(named_as, Some(KindHint::District | KindHint::Village)))
        {
            at_unit(prov)
        } else {
            continue;
        };
        loc.as_reported = places[i].location.as_reported.clone();
        loc.match_kind = Some(MatchKind::Container);
        let unit_precision = loc.place.map_or(3, |k| match geocoder.place(k).kind {
            PlaceKind::Province => 3,
            _ => 2,
        });
        loc.geo_precision = loc.geo_precision.max(unit_precision);
        places[i].location = loc;
    }
    if let Some(d) = places.iter().rev().find_map(|p| {
        p.location.place.filter(|&k| {
            matches!(p.role, PlaceRole::Event | PlaceRole::Refines)
                && p.location.match_kind != Some(MatchKind::Container)
                && matches!(
                    geocoder.place(k).kind,
                    PlaceKind::District | PlaceKind::Town
                )
        })
    }) {
        reader.article_district = Some(d);
    }
}

/// Whether a populated place lies in a district or province, or a district in a
/// province: by the district's polygon when the user gave boundaries, else by the
/// gazetteer's admin codes.
pub(crate) fn lies_in(geocoder: &Geocoder, place: usize, unit: usize) -> bool {
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
pub(super) fn as_province<'g>(
    geocoder: &'g Geocoder,
    hit: &PlaceHit,
) -> Option<&'g crate::gazetteer::Place> {
    hit.area.map(|i| geocoder.place(i))
}

/// Whether the area `outer` names (a province, a district, or a city standing for its
/// province) contains the place of `inner`.
pub(super) fn area_contains(geocoder: &Geocoder, outer: &PlaceHit, inner: &PlaceHit) -> bool {
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

#[cfg(test)]
mod dateline_tests {
    use super::*;

    #[test]
    fn mixed_case_datelines_open_a_line_and_give_the_day_or_the_agency() {
        let month = |w: &str| ["march", "august", "maart"].contains(&w.to_lowercase().as_str());
        let is_dateline_line = |b: &str, a: &str| is_dateline_line(b, a, &month);
        for after in [
            ", March 27 (IANS) At least nine",
            " [Afghanistan], August 9 (ANI): As the",
            ", 12 maart (Belga) - Bij een",
            " (Pajhwok) - Taliban",
            ", Afghanistan, March 27 - Gunmen",
            ", Afghanistan: On Tuesday the",
        ] {
            assert!(is_dateline_line("", after), "{after}");
        }
        // not at a line's start, or a sentence going on
        assert!(!is_dateline_line("Fighting in ", ", March 27 (IANS)"));
        assert!(!is_dateline_line("", ", the capital, was hit on Monday"));
        assert!(!is_dateline_line("", " was hit by a bomb on 27 March"));
        assert!(!is_dateline_line("", ", 12 soldiers were killed"));
        assert!(!is_dateline_line("", ", Helmand province: fighting"));
    }
}
