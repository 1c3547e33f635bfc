//! A compact binary form of reports, for the temporary files of a merge at scale
//! ([`super::store`]): integers as LEB128 varints (signed ones zigzagged), strings as
//! their length and UTF-8 bytes, options as a tag byte. Only this program reads what
//! it writes, in the same run, so the form has no version; a read that does not parse
//! is an error, never a panic.

use super::{Fatalities, Location, PlaceStatus, Report};
use crate::date::{Date, DayRange};
use crate::geocode::MatchKind;

/// Bytes that are not a report this module wrote.
#[derive(Debug, thiserror::Error)]
#[error("a temporary file of reports is damaged ({0})")]
pub struct Damaged(&'static str);

impl Damaged {
    /// Damage, and what was being read.
    pub(crate) fn new(what: &'static str) -> Damaged {
        Damaged(what)
    }
}

fn put_u64(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_i64(out: &mut Vec<u8>, v: i64) {
    put_u64(out, ((v << 1) ^ (v >> 63)) as u64);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u64(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_opt_u64(out: &mut Vec<u8>, v: Option<u64>) {
    match v {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            put_u64(out, v);
        }
    }
}

fn put_opt_str(out: &mut Vec<u8>, v: Option<&str>) {
    match v {
        None => out.push(0),
        Some(s) => {
            out.push(1);
            put_str(out, s);
        }
    }
}

/// Appends the binary form of `r` to `out`.
pub fn write_report(out: &mut Vec<u8>, r: &Report) {
    put_str(out, &r.id);
    put_str(out, &r.article);
    put_str(out, &r.language);
    let l = &r.location;
    put_opt_u64(out, l.place.map(|p| p as u64));
    put_str(out, &l.as_reported);
    out.push(match l.status {
        PlaceStatus::Resolved => 0,
        PlaceStatus::Ambiguous => 1,
        PlaceStatus::Unresolved => 2,
    });
    out.push(match l.match_kind {
        None => 0,
        Some(MatchKind::Exact) => 1,
        Some(MatchKind::Alternate) => 2,
        Some(MatchKind::Transliteration) => 3,
        Some(MatchKind::Approximate) => 4,
        Some(MatchKind::Container) => 5,
    });
    out.push(l.geo_precision);
    put_str(out, &r.event_type);
    put_str(out, &r.sub_event_type);
    put_opt_str(out, r.actor1.as_deref());
    put_opt_str(out, r.actor2.as_deref());
    match r.dates {
        None => out.push(0),
        Some(d) => {
            out.push(1);
            put_i64(out, i64::from(d.start.epoch_days()));
            put_u64(out, d.start.days_until(d.end) as u64);
        }
    }
    put_opt_u64(out, r.fatalities.low);
    put_u64(out, r.fatalities.best);
    put_opt_u64(out, r.fatalities.high);
    put_opt_u64(out, r.claimed);
    put_u64(out, r.evidence.len() as u64);
    for e in &r.evidence {
        put_str(out, e);
    }
    put_u64(out, r.offset as u64);
}

/// Reads values back from the front of a byte slice.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, Damaged> {
        let (&b, rest) = self.0.split_first().ok_or(Damaged("cut short"))?;
        self.0 = rest;
        Ok(b)
    }

    fn u64(&mut self) -> Result<u64, Damaged> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(Damaged("integer too long"))
    }

    fn i64(&mut self) -> Result<i64, Damaged> {
        let v = self.u64()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    fn str(&mut self) -> Result<String, Damaged> {
        let n = usize::try_from(self.u64()?).map_err(|_| Damaged("length"))?;
        if n > self.0.len() {
            return Err(Damaged("string cut short"));
        }
        let (s, rest) = self.0.split_at(n);
        self.0 = rest;
        String::from_utf8(s.to_vec()).map_err(|_| Damaged("not UTF-8"))
    }

    fn skip_str(&mut self) -> Result<(), Damaged> {
        let n = usize::try_from(self.u64()?).map_err(|_| Damaged("length"))?;
        self.0 = self.0.get(n..).ok_or(Damaged("string cut short"))?;
        Ok(())
    }

    fn opt<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, Damaged>,
    ) -> Result<Option<T>, Damaged> {
        match self.byte()? {
            0 => Ok(None),
            1 => f(self).map(Some),
            _ => Err(Damaged("option tag")),
        }
    }

    fn usize(&mut self) -> Result<usize, Damaged> {
        usize::try_from(self.u64()?).map_err(|_| Damaged("too large"))
    }
}

/// Reads one report from the front of `bytes` and moves past it.
pub fn read_report(bytes: &mut &[u8]) -> Result<Report, Damaged> {
    read_report_with(bytes, true)
}

/// [`read_report`], without the evidence (passed over, not read) when `evidence` is
/// false: what merging needs, at a fraction of the work.
pub fn read_report_with(bytes: &mut &[u8], evidence: bool) -> Result<Report, Damaged> {
    let mut r = Reader(bytes);
    let id = r.str()?;
    let article = r.str()?;
    let language = r.str()?;
    let place = r.opt(Reader::usize)?;
    let as_reported = r.str()?;
    let status = match r.byte()? {
        0 => PlaceStatus::Resolved,
        1 => PlaceStatus::Ambiguous,
        2 => PlaceStatus::Unresolved,
        _ => return Err(Damaged("place status")),
    };
    let match_kind = match r.byte()? {
        0 => None,
        1 => Some(MatchKind::Exact),
        2 => Some(MatchKind::Alternate),
        3 => Some(MatchKind::Transliteration),
        4 => Some(MatchKind::Approximate),
        5 => Some(MatchKind::Container),
        _ => return Err(Damaged("match kind")),
    };
    let geo_precision = r.byte()?;
    let event_type = r.str()?;
    let sub_event_type = r.str()?;
    let actor1 = r.opt(Reader::str)?;
    let actor2 = r.opt(Reader::str)?;
    let dates = r.opt(|r| {
        let start = i32::try_from(r.i64()?).map_err(|_| Damaged("date"))?;
        let end = i32::try_from(r.u64()?)
            .ok()
            .and_then(|len| start.checked_add(len))
            .ok_or(Damaged("date"))?;
        Ok(DayRange::new(
            Date::from_epoch_days(start),
            Date::from_epoch_days(end),
        ))
    })?;
    let fatalities = Fatalities {
        low: r.opt(Reader::u64)?,
        best: r.u64()?,
        high: r.opt(Reader::u64)?,
    };
    let claimed = r.opt(Reader::u64)?;
    let n = r.usize()?;
    // every string takes at least one byte: a count beyond what is left is damage
    if n > r.0.len() {
        return Err(Damaged("evidence count"));
    }
    let evidence = if evidence {
        (0..n).map(|_| r.str()).collect::<Result<Vec<_>, _>>()?
    } else {
        for _ in 0..n {
            r.skip_str()?;
        }
        Vec::new()
    };
    let offset = r.usize()?;
    *bytes = r.0;
    Ok(Report {
        id,
        article,
        language,
        location: Location {
            place,
            as_reported,
            status,
            match_kind,
            geo_precision,
        },
        event_type,
        sub_event_type,
        actor1,
        actor2,
        dates,
        fatalities,
        claimed,
        evidence,
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Report> {
        let d = Date::from_ymd(2019, 8, 31).unwrap();
        let full = Report {
            id: "R1".into(),
            article: "nos/2019-09-02 één.txt".into(),
            language: "nl".into(),
            location: Location {
                place: Some(1_234_567),
                as_reported: "Pul-e-Chomri".into(),
                status: PlaceStatus::Ambiguous,
                match_kind: Some(MatchKind::Transliteration),
                geo_precision: 2,
            },
            event_type: "Battles".into(),
            sub_event_type: "Armed clash".into(),
            actor1: Some("Taliban".into()),
            actor2: Some("Afghan army".into()),
            dates: Some(DayRange::new(d, d.add_days(1))),
            fatalities: Fatalities {
                low: Some(16),
                best: 16,
                high: Some(u64::MAX),
            },
            claimed: Some(12),
            evidence: vec!["Er zouden 56 strijders gedood zijn.".into(), String::new()],
            offset: 1 << 40,
        };
        let mut bare = full.clone();
        bare.id = "R2".into();
        bare.location = Location {
            place: None,
            as_reported: String::new(),
            status: PlaceStatus::Unresolved,
            match_kind: None,
            geo_precision: 0,
        };
        bare.actor1 = None;
        bare.actor2 = None;
        bare.dates = Some(DayRange::day(Date::from_ymd(1900, 1, 1).unwrap()));
        bare.fatalities = Fatalities::default();
        bare.claimed = None;
        bare.evidence = Vec::new();
        bare.offset = 0;
        let mut undated = bare.clone();
        undated.dates = None;
        vec![full, bare, undated]
    }

    #[test]
    fn reports_read_back_as_written_with_or_without_evidence() {
        let reports = sample();
        let mut bytes = Vec::new();
        for r in &reports {
            write_report(&mut bytes, r);
        }
        let (mut full, mut light) = (&bytes[..], &bytes[..]);
        for r in &reports {
            assert_eq!(&read_report(&mut full).unwrap(), r);
            let without = Report {
                evidence: Vec::new(),
                ..r.clone()
            };
            assert_eq!(read_report_with(&mut light, false).unwrap(), without);
        }
        assert!(full.is_empty() && light.is_empty());
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let mut bytes = Vec::new();
        write_report(&mut bytes, &sample()[0]);
        // every cut, and a few flipped bytes, fail cleanly or read something
        for n in 0..bytes.len() {
            assert!(read_report(&mut &bytes[..n]).is_err(), "cut at {n}");
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0xff;
            let _ = read_report(&mut &b[..]);
        }
        assert!(read_report(&mut &[0xffu8; 20][..]).is_err());
    }
}
