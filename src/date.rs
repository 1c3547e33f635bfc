//! Calendar dates and day ranges: what an event's "when" is.
//!
//! A [`Date`] is a proleptic Gregorian day; a [`DayRange`] is the inclusive range of
//! days a report allows, with ACLED's time precision derived from its length. A
//! [`PubDate`] is a publication date known to the day or only to the month.

use std::fmt;

/// A calendar day (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    days: i32, // days since 1970-01-01
}

/// Days from 1970-01-01 to y-m-d (Howard Hinnant's algorithm).
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy as i32;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days in a month of a year.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    /// The date of a year, month (1-12) and day, if it exists.
    ///
    /// ```
    /// use clashmap::date::Date;
    /// assert!(Date::from_ymd(2019, 2, 29).is_none());
    /// assert_eq!(Date::from_ymd(2019, 9, 2).unwrap().to_string(), "2019-09-02");
    /// ```
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            days: days_from_civil(year, month, day),
        })
    }

    /// The day `days` after 1970-01-01 (before it when negative).
    pub fn from_epoch_days(days: i32) -> Date {
        Date { days }
    }

    /// Days from 1970-01-01 to this date.
    pub fn epoch_days(self) -> i32 {
        self.days
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.days)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.ymd().0
    }

    /// Day of the week, 0 = Monday ... 6 = Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3)
        (self.days + 3).rem_euclid(7) as u32
    }

    /// Days from `other` to this date (negative when `other` is later).
    pub fn days_since(self, other: Date) -> i32 {
        self.days - other.days
    }

    /// This date plus `n` days (negative to go back).
    pub fn add_days(self, n: i32) -> Date {
        Date {
            days: self.days + n,
        }
    }

    /// Days from `self` to `other`.
    pub fn days_until(self, other: Date) -> i32 {
        other.days - self.days
    }

    /// The first day of this date's month, plus or minus `months` months.
    pub fn month_start(self, months: i32) -> Date {
        let (y, m, _) = self.ymd();
        let idx = y * 12 + (m as i32 - 1) + months;
        let (y, m) = (idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1);
        Date {
            days: days_from_civil(y, m, 1),
        }
    }

    /// The last day of this date's month.
    pub fn month_end(self) -> Date {
        self.month_start(1).add_days(-1)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.split('-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.parse().ok()?;
        if it.next().is_some() {
            return None;
        }
        Date::from_ymd(y, m, d)
    }
}

/// Parses a date as event datasets write it: ISO (`2020-05-09`, also with a time
/// `2020-05-09T00:00:00`), and every form ACLED's exports have used: `9-May-20` and
/// `09-May-2020` (spreadsheet exports), `09 May 2020` and `9 May 2020` (CSV exports,
/// the month short or in full), `May 9, 2020`. A two-digit year is 1997-2096 (ACLED's
/// data begin in 1997). Month names are English, as ACLED writes them.
///
/// ```
/// use clashmap::date::{Date, parse_dataset_date};
/// let d = Date::from_ymd(2020, 5, 9).unwrap();
/// assert_eq!(parse_dataset_date("9-May-20"), Some(d));
/// assert_eq!(parse_dataset_date("09 May 2020"), Some(d));
/// assert_eq!(parse_dataset_date("2020-05-09"), Some(d));
/// assert_eq!(parse_dataset_date("05/09/2020"), None); // month or day first? not guessed
/// ```
pub fn parse_dataset_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Some(d) = Date::parse(s) {
        return Some(d);
    }
    // an ISO date with a time of day
    if let Some((day, _)) = s.split_once(['T', ' '])
        && day.len() == 10
        && let Some(d) = Date::parse(day)
    {
        return Some(d);
    }
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let month = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches('.').to_ascii_lowercase();
        if w.len() < 3 {
            return None;
        }
        MONTHS
            .iter()
            .position(|m| {
                *m == w
                    || (w.len() == 3 && m.starts_with(w.as_str()))
                    || (w == "sept" && *m == "september")
            })
            .map(|i| i as u32 + 1)
    };
    let year = |w: &str| -> Option<i32> {
        if !w.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let y: i32 = w.parse().ok()?;
        match w.len() {
            2 => Some(if y >= 97 { 1900 + y } else { 2000 + y }),
            4 => Some(y),
            _ => None,
        }
    };
    let day = |w: &str| -> Option<u32> {
        (w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
    };
    let parts: Vec<&str> = s.split(['-', ' ', ',']).filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        // 9-May-20, 09 May 2020
        [d, m, y] if day(d).is_some() => Date::from_ymd(year(y)?, month(m)?, day(d)?),
        // May 9, 2020
        [m, d, y] => Date::from_ymd(year(y)?, month(m)?, day(d)?),
        _ => None,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        match u32::try_from(y) {
            // the digits put in place: every event's dates are written in every format
            Ok(y) if y <= 9999 => {
                let mut b = *b"0000-00-00";
                for (i, v) in [(0, y / 100), (2, y % 100), (5, m), (8, d)] {
                    b[i] = b'0' + (v / 10) as u8;
                    b[i + 1] = b'0' + (v % 10) as u8;
                }
                f.write_str(std::str::from_utf8(&b).map_err(|_| fmt::Error)?)
            }
            _ => write!(f, "{y:04}-{m:02}-{d:02}"),
        }
    }
}

/// An inclusive range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DayRange {
    /// First possible day.
    pub start: Date,
    /// Last possible day.
    pub end: Date,
}

impl DayRange {
    /// A range; `start` and `end` are swapped if reversed.
    pub fn new(start: Date, end: Date) -> DayRange {
        if end < start {
            DayRange {
                start: end,
                end: start,
            }
        } else {
            DayRange { start, end }
        }
    }

    /// One day.
    pub fn day(d: Date) -> DayRange {
        DayRange { start: d, end: d }
    }

    /// How many days the range spans.
    pub fn len_days(self) -> i32 {
        self.start.days_until(self.end) + 1
    }

    /// ACLED time precision: 1 the day is known, 2 the week (up to 7 days), 3 only
    /// the month or less.
    pub fn precision(self) -> u8 {
        match self.len_days() {
            1 => 1,
            2..=7 => 2,
            _ => 3,
        }
    }

    /// The days both ranges allow, if any.
    pub fn intersect(self, other: DayRange) -> Option<DayRange> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start <= end).then_some(DayRange { start, end })
    }

    /// The smallest range holding both.
    pub fn union(self, other: DayRange) -> DayRange {
        DayRange {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Whether the ranges share a day.
    pub fn overlaps(self, other: DayRange) -> bool {
        self.intersect(other).is_some()
    }
}

/// A publication date: known to the day, or only to the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PubDate {
    /// Year.
    pub year: i32,
    /// Month, 1-12.
    pub month: u32,
    /// Day, when known.
    pub day: Option<u32>,
}

/// Why a date string is not a publication date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the form YYYY-MM or YYYY-MM-DD.
    #[error("{0:?} is not a date of the form YYYY-MM or YYYY-MM-DD")]
    Format(String),
    /// A month or day that does not exist (2019-13, 2019-02-30).
    #[error("{0:?} is an impossible date")]
    Impossible(String),
}

impl PubDate {
    /// Parses `YYYY-MM` or `YYYY-MM-DD`.
    ///
    /// ```
    /// use clashmap::date::PubDate;
    /// assert_eq!(PubDate::parse("2019-09").unwrap().day, None);
    /// assert!(PubDate::parse("2019-13").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<PubDate, DateError> {
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<u32>().ok())
                .flatten()
        };
        let (y, m, d) = match parts.as_slice() {
            [y, m] => (num(y, 4), num(m, 2), None),
            [y, m, d] => (num(y, 4), num(m, 2), Some(num(d, 2))),
            _ => return Err(DateError::Format(s.to_string())),
        };
        let (Some(y), Some(m)) = (y, m) else {
            return Err(DateError::Format(s.to_string()));
        };
        let day = match d {
            None => None,
            Some(None) => return Err(DateError::Format(s.to_string())),
            Some(Some(d)) => Some(d),
        };
        let y = y as i32;
        if !(1..=12).contains(&m) || day.is_some_and(|d| Date::from_ymd(y, m, d).is_none()) {
            return Err(DateError::Impossible(s.to_string()));
        }
        Ok(PubDate {
            year: y,
            month: m,
            day,
        })
    }

    /// The days the publication may have been on: one day, or the whole month.
    pub fn range(self) -> DayRange {
        let first = Date::from_ymd(self.year, self.month, 1).expect("valid month");
        match self.day {
            Some(d) => DayRange::day(Date::from_ymd(self.year, self.month, d).expect("valid day")),
            None => DayRange::new(first, first.month_end()),
        }
    }
}

impl fmt::Display for PubDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(d) => write!(f, "{:04}-{:02}-{d:02}", self.year, self.month),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dataset_dates_in_every_acled_form() {
        let d = |y, m, dd| Date::from_ymd(y, m, dd);
        for (s, want) in [
            ("9-May-20", d(2020, 5, 9)),
            ("09-May-2020", d(2020, 5, 9)),
            ("09 May 2020", d(2020, 5, 9)),
            ("9 September 2019", d(2019, 9, 9)),
            ("1-Jan-97", d(1997, 1, 1)),
            ("31-Dec-96", d(2096, 12, 31)),
            ("September 1, 2019", d(2019, 9, 1)),
            ("12 Sept 2019", d(2019, 9, 12)),
            ("2020-05-09T00:00:00", d(2020, 5, 9)),
            ("2020-05-09 00:00:00", d(2020, 5, 9)),
            (" 2020-05-09 ", d(2020, 5, 9)),
        ] {
            assert_eq!(parse_dataset_date(s), want, "{s}");
        }
        for s in [
            "",
            "May 2020",
            "32-May-20",
            "9-Mai-20",
            "2020/05/09",
            "05/09/2020",
            "9-May-020",
            "yesterday",
        ] {
            assert_eq!(parse_dataset_date(s), None, "{s}");
        }
    }

    #[test]
    fn civil_round_trip_and_weekdays() {
        for (y, m, d, wd) in [
            (1970, 1, 1, 3),
            (2019, 8, 31, 5),
            (2019, 9, 2, 0),
            (2000, 2, 29, 1),
            (1999, 12, 31, 4),
        ] {
            let date = Date::from_ymd(y, m, d).unwrap();
            assert_eq!(date.ymd(), (y, m, d));
            assert_eq!(date.weekday(), wd, "{date}");
        }
        let d = Date::from_ymd(2019, 9, 2).unwrap();
        assert_eq!(d.add_days(-2).to_string(), "2019-08-31");
        assert_eq!(d.month_start(-1).to_string(), "2019-08-01");
        assert_eq!(d.month_start(-9).to_string(), "2018-12-01");
        assert_eq!(d.month_end().to_string(), "2019-09-30");
        assert_eq!(
            Date::from_ymd(2020, 2, 1).unwrap().month_end().to_string(),
            "2020-02-29"
        );
    }

    #[test]
    fn ranges_and_precision() {
        let d = |s| Date::parse(s).unwrap();
        let a = DayRange::new(d("2019-08-31"), d("2019-09-28"));
        let b = DayRange::new(d("2019-08-31"), d("2019-09-01"));
        assert_eq!(a.precision(), 3);
        assert_eq!(b.precision(), 2);
        assert_eq!(a.intersect(b), Some(b));
        assert_eq!(DayRange::day(d("2019-09-01")).precision(), 1);
        assert!(!DayRange::day(d("2019-09-03")).overlaps(b));
    }

    #[test]
    fn publication_dates() {
        assert_eq!(PubDate::parse("2019-09-02").unwrap().range().len_days(), 1);
        assert_eq!(PubDate::parse("2019-02").unwrap().range().len_days(), 28);
        assert!(matches!(
            PubDate::parse("2019-13"),
            Err(DateError::Impossible(_))
        ));
        assert!(matches!(
            PubDate::parse("2019-02-30"),
            Err(DateError::Impossible(_))
        ));
        assert!(matches!(PubDate::parse("19-02"), Err(DateError::Format(_))));
        assert!(matches!(
            PubDate::parse("2019-9"),
            Err(DateError::Format(_))
        ));
    }

    #[test]
    fn display_is_iso_8601_for_every_year() {
        for (y, m, d) in [
            (2019, 9, 2),
            (1, 1, 1),
            (0, 12, 31),
            (9999, 12, 31),
            (10000, 1, 1),
        ] {
            let date = Date::from_ymd(y, m, d).unwrap();
            assert_eq!(date.to_string(), format!("{y:04}-{m:02}-{d:02}"));
        }
        let bc = Date::from_ymd(-44, 3, 15).unwrap();
        assert_eq!(bc.to_string(), "-044-03-15");
        let mut day = Date::from_ymd(1999, 12, 1).unwrap();
        for _ in 0..800 {
            let (y, m, d) = day.ymd();
            assert_eq!(day.to_string(), format!("{y:04}-{m:02}-{d:02}"));
            assert_eq!(Date::parse(&day.to_string()), Some(day));
            day = day.add_days(1);
        }
    }
}
