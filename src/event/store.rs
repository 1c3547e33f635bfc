//! Merging at scale, in bounded memory: reports are spilled as they stream to
//! temporary files, one per bucket of merge groups (reports of different groups or
//! types never merge, see [`super::merge_group`]); each bucket is then merged on its
//! own, with the result one merge of everything gives, and its events are written to
//! one more temporary file. What stays in memory is a small [`Entry`] per event:
//! enough to sort the events, relate them (distances) and place them on a map; the
//! events themselves are read back in order when the output is written.
//!
//! The temporary files are anonymous (unlinked at creation): nothing is left behind
//! when the process ends, however it ends. Small runs never leave memory.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

use rayon::prelude::*;

use super::codec::{self, Damaged};
#[cfg(test)]
use super::merge;
use super::{
    Event, Report, ReportedDistance, build_event, event_id, merge_group, merge_groups, stable_hash,
};
use crate::date::DayRange;
use crate::geocode::Geocoder;

/// Why a merge at scale failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A temporary file could not be made, written or read.
    #[error(
        "cannot use a temporary file in {} (set TMPDIR to a folder with room)",
        dir.display()
    )]
    Io {
        /// The folder of temporary files.
        dir: std::path::PathBuf,
        /// What went wrong.
        #[source]
        source: io::Error,
    },
    /// A temporary file did not read back as written.
    #[error(transparent)]
    Damaged(#[from] Damaged),
}

impl From<io::Error> for StoreError {
    fn from(source: io::Error) -> StoreError {
        StoreError::Io {
            dir: std::env::temp_dir(),
            source,
        }
    }
}

/// Buckets the reports are spread over. A bucket is merged in memory, so more buckets
/// mean less memory at once; 256 keep a bucket of a 1 GB corpus at a few MB.
const BUCKETS: usize = 256;
/// Bytes a bucket gathers in memory before they go to its file.
const BUCKET_BUFFER: usize = 32 << 10;
/// Bytes of merged events kept in memory before they go to their file.
const EVENT_BUFFER: usize = 1 << 20;
/// Spilled bytes of the buckets being merged, or merged and not yet appended, at once
/// (a bucket takes a few times its bytes while it merges). A bucket larger than this
/// is merged alone. Buckets are uneven: a busy place's reports all go to one (on the
/// 1 GB benchmark corpus the largest is 10 MB, the median 1.9 MB).
const MERGE_BUDGET: u64 = 16 << 20;

/// Spilled bytes of the buckets in flight, shared by the threads that merge them.
struct Budget {
    in_flight: std::sync::Mutex<u64>,
    freed: std::sync::Condvar,
    limit: u64,
}

impl Budget {
    fn new(limit: u64) -> Budget {
        Budget {
            in_flight: std::sync::Mutex::new(0),
            freed: std::sync::Condvar::new(),
            limit,
        }
    }

    /// Waits until `bytes` more fit (or nothing else is in flight), then takes them.
    fn take(&self, bytes: u64) {
        let Ok(mut in_flight) = self.in_flight.lock() else {
            return;
        };
        while *in_flight > 0 && *in_flight + bytes > self.limit {
            in_flight = match self.freed.wait(in_flight) {
                Ok(g) => g,
                Err(_) => return,
            };
        }
        *in_flight += bytes;
    }

    /// Gives `bytes` back.
    fn give(&self, bytes: u64) {
        if let Ok(mut in_flight) = self.in_flight.lock() {
            *in_flight = in_flight.saturating_sub(bytes);
        }
        self.freed.notify_all();
    }
}

/// Bytes appended in memory, moved to an anonymous temporary file past a limit (the
/// file is made only then). A record appended whole stays whole in one place.
struct Tape {
    mem: Vec<u8>,
    file: Option<File>,
    on_file: u64,
    limit: usize,
}

impl Tape {
    fn new(limit: usize) -> Tape {
        Tape {
            mem: Vec::new(),
            file: None,
            on_file: 0,
            limit,
        }
    }

    /// Appends `bytes`; returns their offset.
    fn append(&mut self, bytes: &[u8]) -> io::Result<u64> {
        let at = self.len();
        self.mem.extend_from_slice(bytes);
        if self.mem.len() >= self.limit {
            let file = match &mut self.file {
                Some(f) => f,
                None => self.file.insert(tempfile::tempfile()?),
            };
            file.write_all(&self.mem)?;
            self.on_file += self.mem.len() as u64;
            self.mem.clear();
        }
        Ok(at)
    }

    /// Bytes appended.
    fn len(&self) -> u64 {
        self.on_file + self.mem.len() as u64
    }

    /// Everything appended, in order; the tape is empty afterwards.
    fn take_all(&mut self) -> io::Result<Vec<u8>> {
        let mut all = Vec::new();
        if let Some(mut f) = self.file.take() {
            all.reserve(self.len() as usize);
            f.seek(SeekFrom::Start(0))?;
            f.read_to_end(&mut all)?;
        }
        all.append(&mut self.mem);
        self.on_file = 0;
        Ok(all)
    }

    /// `len` bytes from `at` (a record appended whole); safe from many threads at once.
    fn read_at(&self, at: u64, len: usize) -> io::Result<Vec<u8>> {
        if at >= self.on_file {
            let from = (at - self.on_file) as usize;
            return self
                .mem
                .get(from..from + len)
                .map(<[u8]>::to_vec)
                .ok_or_else(|| io::Error::other("read past the end of a temporary file"));
        }
        let file = self
            .file
            .as_ref()
            .ok_or_else(|| io::Error::other("temporary file missing"))?;
        let mut out = vec![0; len];
        read_exact_at(file, &mut out, at)?;
        Ok(out)
    }
}

#[cfg(unix)]
fn read_exact_at(f: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, at)
}

#[cfg(windows)]
fn read_exact_at(f: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(f, buf, at)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

/// Reports, spilled by merge group as they come; [`Spill::finish`] merges them.
pub struct Spill<'g> {
    geocoder: &'g Geocoder,
    merge: bool,
    buckets: Vec<Tape>,
    event_bytes: usize,
    merge_budget: u64,
    reports: usize,
}

/// A report in the form a [`Spill`] keeps it: its bucket and its bytes.
pub struct Spilled {
    bucket: usize,
    bytes: Vec<u8>,
}

impl Spilled {
    /// The spilled form of a report geocoded with `g`.
    pub fn new(r: &Report, g: &Geocoder) -> Spilled {
        let group = merge_group(r, g);
        let h = super::stable_hash_parts(&[group.as_bytes(), r.event_type.as_bytes()]);
        let mut bytes = vec![0; 4];
        codec::write_report(&mut bytes, r);
        let n = (bytes.len() - 4) as u32;
        bytes[..4].copy_from_slice(&n.to_le_bytes());
        Spilled {
            bucket: (h % BUCKETS as u64) as usize,
            bytes,
        }
    }
}

/// What is kept in memory of a merged event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    /// The id's number: the event id is `CM` and these 16 hex digits.
    pub id: u64,
    /// The days the event may have happened.
    pub dates: Option<DayRange>,
    /// Its place (gazetteer index); `None` when unresolved.
    pub place: Option<u32>,
    at: u64,
    len: u32,
}

impl Entry {
    /// The event id.
    pub fn id(&self) -> String {
        event_id(self.id)
    }

    fn order(&self) -> Order {
        let start = self.dates.map(|d| d.start);
        (start.is_none(), start, self.id)
    }
}

/// Where an event goes in the output: undated last, then by first day, then by id.
type Order = (bool, Option<crate::date::Date>, u64);

/// Events merged by [`Spill::finish`], sorted by date then id (the order of
/// [`super::merge`]), read back from their temporary file on demand.
pub struct Merged {
    /// One entry per event, in output order.
    pub entries: Vec<Entry>,
    /// How many reports the events hold.
    pub reports: usize,
    tape: Tape,
    /// (article hash, place) of a stated distance's end -> the first event there.
    stated_ends: HashMap<(u64, usize), usize>,
}

impl<'g> Spill<'g> {
    /// An empty spill for reports geocoded with `geocoder`; with `merge` false, every
    /// report stays an event of its own (as with [`super::merge`]).
    pub fn new(geocoder: &'g Geocoder, merge: bool) -> Spill<'g> {
        Spill::with_buffers(geocoder, merge, BUCKET_BUFFER, EVENT_BUFFER)
    }

    /// [`Spill::new`] with the bytes a bucket and the merged events gather in memory
    /// before they go to a file (0: at once).
    fn with_buffers(
        geocoder: &'g Geocoder,
        merge: bool,
        bucket_bytes: usize,
        event_bytes: usize,
    ) -> Spill<'g> {
        Spill {
            geocoder,
            merge,
            buckets: (0..BUCKETS).map(|_| Tape::new(bucket_bytes)).collect(),
            event_bytes,
            merge_budget: MERGE_BUDGET,
            reports: 0,
        }
    }

    /// Adds a report.
    pub fn push(&mut self, r: &Report) -> Result<(), StoreError> {
        self.push_spilled(&Spilled::new(r, self.geocoder))
    }

    /// Adds a report already put in its spilled form (on another thread, say).
    pub fn push_spilled(&mut self, s: &Spilled) -> Result<(), StoreError> {
        self.buckets[s.bucket].append(&s.bytes)?;
        self.reports += 1;
        Ok(())
    }

    /// Merges the reports (as [`super::merge`] does) bucket by bucket, on
    /// every worker thread, a few buckets at a time. `stated` are the distances the
    /// articles state: their ends are found among the events (see
    /// [`Merged::stated_end`]).
    pub fn finish(self, stated: &[ReportedDistance]) -> Result<Merged, StoreError> {
        let (g, merging) = (self.geocoder, self.merge);
        let wanted: std::collections::HashSet<(u64, usize)> = stated
            .iter()
            .flat_map(|d| {
                let a = stable_hash(&d.article);
                [(a, d.from), (a, d.to)]
            })
            .collect();
        let mut tape = Tape::new(self.event_bytes);
        let mut entries: Vec<Entry> = Vec::new();
        // (article hash, place) -> the smallest (order of) event there
        let mut ends: HashMap<(u64, usize), Order> = HashMap::new();
        // buckets are merged on the worker threads, each as one comes free; this
        // thread appends their events (a few buckets in flight at most: their order
        // does not matter, the events are sorted at the end)
        type Done = (Vec<u8>, Vec<Entry>, Vec<((u64, usize), Order)>);
        let merge_bucket = |mut bucket: Tape| -> Result<Done, StoreError> {
            let bytes = bucket.take_all()?;
            drop(bucket);
            // each report's bytes, and the report without its evidence (merging
            // needs none; the event's bytes are its reports' bytes as spilled)
            let mut spans = Vec::new();
            let mut reports = Vec::new();
            let mut rest = &bytes[..];
            while !rest.is_empty() {
                let n = take_len(&mut rest)?;
                let at = bytes.len() - rest.len();
                let (mut one, after) = rest.split_at(n);
                reports.push(codec::read_report_with(&mut one, false)?);
                spans.push(at..at + n);
                rest = after;
            }
            let mut out = Vec::new();
            let mut entries = Vec::new();
            let mut found = Vec::new();
            for group in merge_groups(reports, g, merging) {
                let start = out.len();
                put_len(&mut out, group.len() as u32);
                for (i, _) in &group {
                    out.extend_from_slice(&bytes[spans[*i].clone()]);
                }
                let e = build_event(group.into_iter().map(|(_, r)| r).collect());
                let entry = Entry {
                    id: id_number(&e.id),
                    dates: e.dates,
                    place: e.location().place.map(|p| p as u32),
                    at: start as u64,
                    len: (out.len() - start) as u32,
                };
                if let Some(p) = e.location().place
                    && !wanted.is_empty()
                {
                    for a in e.sources() {
                        let key = (stable_hash(a), p);
                        if wanted.contains(&key) {
                            found.push((key, entry.order()));
                        }
                    }
                }
                entries.push(entry);
            }
            Ok((out, entries, found))
        };
        // a rendezvous: a merged bucket waits in its worker until it is appended; and
        // buckets start only while the spilled bytes in flight (merging, or merged
        // and not yet appended) stay within the budget, a big bucket alone (a bucket
        // takes a few times its bytes while it merges). Each thread hands its freed
        // memory back after a bucket, as it may idle next.
        let (tx, rx) = std::sync::mpsc::sync_channel::<(u64, Result<Done, StoreError>)>(0);
        let budget = Budget::new(self.merge_budget);
        let buckets = self.buckets;
        std::thread::scope(|scope| -> Result<(), StoreError> {
            let budget = &budget;
            scope.spawn(move || {
                buckets.into_par_iter().for_each_with(tx, |tx, bucket| {
                    let size = bucket.len();
                    budget.take(size);
                    // the receiver is gone only when appending failed: stop
                    if tx.send((size, merge_bucket(bucket))).is_err() {
                        budget.give(size);
                    }
                    crate::alloc::collect();
                });
            });
            for (size, done) in rx {
                let appended = done.and_then(|(bytes, mut es, found)| {
                    let base = tape.append(&bytes)?;
                    for e in &mut es {
                        e.at += base;
                    }
                    entries.extend(es);
                    for (key, order) in found {
                        let o = ends.entry(key).or_insert(order);
                        *o = (*o).min(order);
                    }
                    Ok(())
                });
                budget.give(size);
                crate::alloc::collect();
                appended?;
            }
            Ok(())
        })?;
        entries.sort_unstable_by_key(Entry::order);
        let stated_ends = ends
            .into_iter()
            .filter_map(|(key, order)| {
                let i = entries.binary_search_by_key(&order, Entry::order).ok()?;
                Some((key, i))
            })
            .collect();
        Ok(Merged {
            entries,
            reports: self.reports,
            tape,
            stated_ends,
        })
    }
}

fn put_len(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

/// A 4-byte count from the front of `rest`.
fn take_count(rest: &mut &[u8]) -> Result<usize, Damaged> {
    let Some((n, after)) = rest.split_first_chunk::<4>() else {
        return Err(Damaged::new("record length"));
    };
    *rest = after;
    Ok(u32::from_le_bytes(*n) as usize)
}

/// A record's length from the front of `rest`, checked against what is left.
fn take_len(rest: &mut &[u8]) -> Result<usize, Damaged> {
    let n = take_count(rest)?;
    if n > rest.len() {
        return Err(Damaged::new("record cut short"));
    }
    Ok(n)
}

/// An event as spilled: the count of its reports, then each report's bytes, in order
/// (the rest is computed again when read).
fn read_event(bytes: &[u8]) -> Result<Event, Damaged> {
    let mut rest = bytes;
    let n = take_count(&mut rest)?;
    let mut reports = Vec::with_capacity(n.min(1024));
    for _ in 0..n {
        reports.push(codec::read_report(&mut rest)?);
    }
    if !rest.is_empty() || reports.is_empty() {
        return Err(Damaged::new("event"));
    }
    Ok(build_event(reports))
}

fn id_number(id: &str) -> u64 {
    id.strip_prefix("CM")
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .unwrap_or_default()
}

impl Merged {
    /// How many events.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many events have no place found (exported with null geometry).
    pub fn unresolved(&self) -> usize {
        self.entries.iter().filter(|e| e.place.is_none()).count()
    }

    /// The events `range` (indices into [`Merged::entries`]), read back and rebuilt
    /// (on every worker thread).
    pub fn events(&self, range: std::ops::Range<usize>) -> Result<Vec<Event>, StoreError> {
        self.entries[range]
            .par_iter()
            .map(|e| {
                let bytes = self.tape.read_at(e.at, e.len as usize)?;
                Ok(read_event(&bytes)?)
            })
            .collect()
    }

    /// The first event (index) at `place` that `article` reports, if any: where a
    /// distance the article states begins or ends. Only the ends of the distances
    /// given to [`Spill::finish`] are known.
    pub fn stated_end(&self, article: &str, place: usize) -> Option<usize> {
        self.stated_ends
            .get(&(stable_hash(article), place))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::event::Fatalities;
    use crate::event::testing::{Rng, kabul_area, report};
    use crate::gazetteer::Gazetteer;

    /// Reports at places in and around Kabul (many within 10 km of each other), of two
    /// types, some unresolved or undated, with counts and evidence.
    fn reports(g: &Geocoder) -> Vec<Report> {
        let places = kabul_area(g, 30);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let day0 = Date::from_ymd(2019, 9, 1).unwrap();
        (0..500)
            .map(|i| {
                let place = (rng.below(8) != 0).then(|| places[rng.below(places.len())]);
                let dates = (rng.below(10) != 0).then(|| {
                    let s = day0.add_days(rng.below(30) as i32);
                    DayRange::new(s, s.add_days([0, 1, 6][rng.below(3)]))
                });
                let name = ["Qala", "Deh Now", "Kabul"][rng.below(3)];
                let ty = ["Battles", "Explosions/Remote violence"][rng.below(2)];
                let mut r = report(i, place, name, ty, dates);
                r.fatalities = Fatalities {
                    low: Some(rng.below(5) as u64),
                    best: rng.below(5) as u64,
                    high: None,
                };
                r.evidence = vec![format!("Sentence {i}.")];
                r
            })
            .collect()
    }

    #[test]
    fn merging_bucket_by_bucket_through_files_equals_one_merge() {
        let g = Geocoder::new(Gazetteer::embedded());
        let all = reports(&g);
        for merging in [true, false] {
            let want = merge(all.clone(), &g, merging);
            if merging {
                assert!(want.len() < 450, "the test data must merge: {}", want.len());
            }
            // everything through files, and everything in memory
            // merged one bucket at a time, and all at once
            for (bucket, events, budget) in [(0, 0, 1), (1 << 30, 1 << 30, u64::MAX)] {
                let mut spill = Spill::with_buffers(&g, merging, bucket, events);
                spill.merge_budget = budget;
                for r in &all {
                    spill.push(r).unwrap();
                }
                let merged = spill.finish(&[]).unwrap();
                assert_eq!(merged.reports, all.len());
                let got = merged.events(0..merged.len()).unwrap();
                assert_eq!(got, want);
                for (e, entry) in want.iter().zip(&merged.entries) {
                    assert_eq!(entry.id(), e.id);
                    assert_eq!(entry.dates, e.dates);
                    assert_eq!(entry.place, e.location().place.map(|p| p as u32));
                }
            }
        }
    }

    #[test]
    fn the_merge_budget_holds_unless_a_bucket_is_alone() {
        let budget = Budget::new(10);
        let sizes = [6, 6, 12, 3, 4, 9, 1, 10, 7, 2];
        std::thread::scope(|scope| {
            for &size in &sizes {
                let budget = &budget;
                scope.spawn(move || {
                    budget.take(size);
                    let now = *budget.in_flight.lock().unwrap();
                    assert!(now <= 10 || now == size, "{now} in flight with {size}");
                    std::thread::sleep(std::time::Duration::from_millis(2));
                    budget.give(size);
                });
            }
        });
        assert_eq!(*budget.in_flight.lock().unwrap(), 0);
    }

    #[test]
    fn a_temporary_file_error_names_the_folder_and_the_way_out() {
        let e = StoreError::from(io::Error::from(io::ErrorKind::NotFound));
        let msg = e.to_string();
        assert!(
            msg.contains(&std::env::temp_dir().display().to_string()),
            "{msg}"
        );
        assert!(msg.contains("TMPDIR"), "{msg}");
        // the cause is the source, not repeated in the message
        assert!(std::error::Error::source(&e).is_some());
        assert!(!msg.contains("not found"), "{msg}");
    }

    #[test]
    fn an_entry_stays_small() {
        // what every event of an archive keeps in memory (BENCHMARKS.md counts on it)
        assert!(
            std::mem::size_of::<Entry>() <= 40,
            "{}",
            std::mem::size_of::<Entry>()
        );
    }

    #[test]
    fn a_stated_distance_ends_at_the_first_event_of_its_article_and_place() {
        let g = Geocoder::new(Gazetteer::embedded());
        let all = reports(&g);
        let events = merge(all.clone(), &g, true);
        // every (article, place) pair of the reports, and one that is in none
        let mut stated: Vec<ReportedDistance> = all
            .iter()
            .filter_map(|r| {
                Some(ReportedDistance {
                    article: r.article.clone(),
                    from: r.location.place?,
                    to: 0,
                    km: 1.0,
                    approximate: false,
                    text: String::new(),
                })
            })
            .collect();
        stated.push(ReportedDistance {
            article: "elsewhere".into(),
            ..stated[0].clone()
        });
        let mut spill = Spill::with_buffers(&g, true, 0, 0);
        for r in &all {
            spill.push(r).unwrap();
        }
        let merged = spill.finish(&stated).unwrap();
        let mut found = 0;
        for d in &stated {
            for place in [d.from, d.to] {
                let want = events.iter().position(|e| {
                    e.location().place == Some(place)
                        && e.reports.iter().any(|r| r.article == d.article)
                });
                assert_eq!(merged.stated_end(&d.article, place), want, "{d:?}");
                found += usize::from(want.is_some());
            }
        }
        assert!(found > 100, "{found}");
    }
}
