//! Numbers of a sentence: counts of the dead (with their victims and bounds) and the
//! distances it states between places.

use super::*;

/// Distances a sentence states between places: a number and a unit of distance
/// ("zo'n honderd kilometer", "some 100 km"), in a sentence that says the distance is
/// between places ("bij elkaar vandaan", "apart", "south of").
pub(super) fn read_distances(s: &mut Sentence, lang: &Language, text: &str, memo: &mut NumberMemo) {
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
pub(super) fn number_at(
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
pub(super) fn compound_number(word: &str, lang: &Language) -> Option<Vec<u64>> {
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
pub(super) fn evaluate(parts: &[u64]) -> u64 {
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

pub(super) fn read_counts(s: &mut Sentence, lang: &Language, text: &str, memo: &mut NumberMemo) {
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
            // "three other districts", "dozens of districts", "vier districten"
            let at = |k: usize| {
                s.cues
                    .iter()
                    .any(|f| f.payload == Cue::UnitPlural && f.start == k)
            };
            if (0..=1).any(|gap| at(i + used + gap)) {
                s.unnamed_places = true;
            }
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
        // ("14 members of the Afghan army", "five of the attackers": after the
        // partitive, the victim noun or the actor)
        let partitive = s
            .cues
            .iter()
            .filter(|f| f.payload == Cue::Partitive && f.start == i + used)
            .map(|f| f.end)
            .max();
        let from = partitive.unwrap_or(i + used);
        let victims = s
            .cues
            .iter()
            .find_map(|f| match f.payload {
                Cue::Victim(k) | Cue::Singular(k) if f.start >= from && f.start <= from + reach => {
                    Some(k)
                }
                _ => None,
            })
            .or_else(|| {
                let end = partitive?;
                // right after it, or after one word ("members of the Afghan army")
                s.actor_cues()
                    .find(|&(t, _)| {
                        t >= end
                            && t <= end + 1
                            && !s.toks[end..=t].iter().any(|k| k.barrier_before)
                    })
                    .and_then(|(_, a)| victim_kind_of(s.category_of(a)?))
            })
            .or((best == 0 && high == Some(0)).then_some(VictimKind::People));
        // "two blasts", "three separate attacks": a number of events, not of people
        // ("one of the raids")
        let counts_events = victims.is_none()
            && s.trigger_cues().any(|(t, k)| {
                t >= from
                    && t <= from + 1
                    && lang.lex.events.triggers[k as usize].event_type != "killing"
                    && !s
                        .cues
                        .iter()
                        .any(|f| f.start == t && f.payload == Cue::Death)
            });
        if counts_events {
            // "one of the raids", "een van de aanvallen"
            s.one_of_several |= partitive.is_some() && best == 1;
            continue;
        }
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
        // a verb right before the number is its own ("..., which also killed two
        // Taliban members and injured five"), whatever the sentence's order; only a
        // quantity phrase may stand between ("killing at least 30")
        let right_before = before.filter(|&(m, _)| {
            let gap_from = s
                .cues
                .iter()
                .find(|f| f.start == m && f.end <= i)
                .map_or(m + 1, |f| f.end);
            gap_from == i
                || s.cues.iter().any(|f| {
                    matches!(f.payload, Cue::AtLeast | Cue::MoreThan | Cue::About)
                        && f.start == gap_from
                        && f.end == i
                })
        });
        let chosen = match (before, after) {
            (Some(b), Some(_)) if right_before.is_some() => Some(b),
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
    // no count of the dead read ("Ook toen kwam een vooraanstaande geestelijke om het
    // leven": the word for one is also the article, its noun two words on)
    if !s.counts.iter().any(|c| c.role == CountRole::Death)
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
    // a claim of responsibility ("IS claimed responsibility for the attack, which
    // killed 12") is not a claim of the toll
    let of_responsibility = |c: &crate::extract::phrases::Found<Cue>| {
        s.cues
            .iter()
            .any(|f| f.payload == Cue::Responsibility && f.start.abs_diff(c.start) <= 3)
    };
    s.claim = s
        .cues
        .iter()
        .any(|f| f.payload == Cue::Claim && !of_responsibility(f))
        || speech_of_a_party(s, lang);
}

/// Whom a count of an actor counts ("14 members of the Afghan army": forces).
fn victim_kind_of(category: &str) -> Option<VictimKind> {
    match category {
        "rebel" | "unidentified" => Some(VictimKind::Combatants),
        "state" | "external" => Some(VictimKind::Forces),
        "civilians" => Some(VictimKind::Civilians),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_language;
    use super::*;

    fn nl() -> Language {
        test_language("nl")
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
}
