//! Dates of a sentence: the days its date words (a day and month, a weekday, "last
//! week") allow, against the article's publication date.

use super::*;

/// Days between the end of a month named without a day and publication beyond which
/// the month is history (the gold's "more than about a month old").
const HISTORY_MONTH_DAYS: i32 = 45;

/// Whether cue `f` is also a month word with a day number or a year beside it
/// ("2 May 2020", "May 3"), written with a capital.
pub(super) fn is_dated_month(s: &Sentence, text: &str, f: &Found<Cue>) -> bool {
    let number = |i: usize| short_number(s, i).is_some();
    starts_upper(text, s.toks[f.start].start)
        && s.cues
            .iter()
            .any(|m| matches!(m.payload, Cue::Month(_)) && m.start == f.start && m.end == f.end)
        && (f.start.checked_sub(1).is_some_and(number) || number(f.end))
}

pub(super) fn read_dates(s: &mut Sentence, lang: &Language, text: &str, pubdate: Option<PubDate>) {
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
            // the day of a dateline ("Kabul, March 27 (IANS)") is when the story was
            // filed, not when anything happened
            Cue::Month(_) if in_dateline(text, toks[f.start].start, toks[f.end - 1].end) => {}
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
                let explicit_year = year.is_some();
                let year = year.map(|y| y as i32).or(pubdate.map(|p| {
                    // a month later in the year than publication is last year's
                    if m > p.month { p.year - 1 } else { p.year }
                }));
                let Some(y) = year else { continue };
                match day.and_then(|d| Date::from_ymd(y, m, d)) {
                    // a full date long before publication ("a photo taken on Saturday,
                    // Aug. 31, 2019" in a 2021 story) is history
                    Some(d)
                        if explicit_year
                            && pub_range.is_some_and(|pr| d.days_until(pr.start) > 120) =>
                    {
                        s.history = true;
                    }
                    Some(d) => {
                        ranges.push((f.start, DayRange::day(d)));
                    }
                    None => {
                        if let Some(first) = Date::from_ymd(y, m, 1) {
                            // a month over well before publication ("had overrun it in
                            // April" in an August story) is history
                            if pub_range.is_some_and(|pr| {
                                first.month_end().days_until(pr.start) > HISTORY_MONTH_DAYS
                            }) {
                                s.history = true;
                            }
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
    // the day of a saying ("officials said on Monday that 13 were killed", "zei
    // maandag"): what they tell of happened that day or the day before
    for (tok, r) in &mut ranges {
        let said = s
            .cues
            .iter()
            .any(|f| f.payload == Cue::Speech && f.end <= *tok && *tok - f.end <= 1);
        if said {
            *r = DayRange::new(r.start.add_days(-1), r.end);
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
                && !in_relative_clause(s, i)
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

/// Whether the month word at bytes `start..end` is the date of a dateline that opens
/// its line: a capitalised name and a comma before it (maybe the day), the day (maybe
/// the year) and the agency or a dash after it ("Kabul, March 27 (IANS)", "Kaboel, 3
/// maart (Belga) -", "Kabul [Afghanistan], August 9 (ANI):").
pub(super) fn in_dateline(text: &str, start: usize, end: usize) -> bool {
    let before = super::places::line_before(text, start).trim_end();
    let before = before
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end();
    let Some(name) = before.strip_suffix(',') else {
        return false;
    };
    let words: Vec<&str> = name.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    if words.is_empty()
        || words.len() > 4
        || !words
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_uppercase() || c == '['))
    {
        return false;
    }
    let after = text[end..]
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == ',' || c == ' ');
    after.starts_with(['(', '–', '—', ':', '|']) || after.starts_with("- ")
}

pub(super) fn relative_range(r: &crate::lexicon::RelativeDate, pr: DayRange) -> DayRange {
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
    use super::super::test_language;
    use super::*;

    #[test]
    fn a_month_in_a_dateline_is_when_the_story_was_filed() {
        let at = |text: &str, month: &str| {
            let i = text.find(month).unwrap();
            in_dateline(text, i, i + month.len())
        };
        assert!(at("Kabul, March 27 (IANS) At least nine", "March"));
        assert!(at("title\nKaboel, 3 maart (Belga) – Bij een", "maart"));
        assert!(at("Kabul [Afghanistan], August 9 (ANI): As the", "August"));
        assert!(at("Kabul, Afghanistan, June 14, 2021 - Gunmen", "June"));
        assert!(!at("On 27 March (a Saturday) gunmen attacked", "March"));
        assert!(!at(
            "Gunmen attacked Kabul, March 27 was a bad day",
            "March"
        ));
    }

    fn nl() -> Language {
        test_language("nl")
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
