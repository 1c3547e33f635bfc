//! `clashmap extract [INPUT...]`: articles in, events out (GeoJSON, GeoJSON text
//! sequence, or CSV).

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::{Exit, trace};
use clashmap::article::{self, InputFormat, Outcome, ReadOptions};
use clashmap::date::PubDate;
use clashmap::event::store::{Merged, Spill, Spilled};
use clashmap::event::{self, Event, PlaceStatus, ReportedDistance};
use clashmap::export::distances::{self, Link, Node};
use clashmap::export::gpkg::{Gpkg, LineRow};
use clashmap::export::record::{Record, round6};
use clashmap::export::{check_writable, csv as csv_out, geojson, sources, write_atomic};
use clashmap::extract::{Extraction, Extractor, Session};
use clashmap::geocode::Geocoder;
use rayon::prelude::*;

/// Input formats on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Plain text articles (the sample format: ` date YYYY-MM[-DD] title text`).
    Text,
    /// JSON Lines: one object per line with id, text, and optional date, lang, title, url.
    Jsonl,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutFormat {
    /// GeoJSON FeatureCollection (RFC 7946).
    Geojson,
    /// GeoJSON text sequence (RFC 8142): one feature per line after an RS character;
    /// with --no-merge, written as articles are read, in constant memory.
    Geojsonseq,
    /// CSV with ACLED's column names, latitude and longitude (with -o FILE, a `.csvt`
    /// sidecar of column types for GDAL and QGIS is written beside it).
    Csv,
    /// GeoPackage (needs -o FILE): layers `events` (points) and `distances` (lines),
    /// table `sources` (one row per report), typed columns, EPSG:4326, R-tree index.
    Gpkg,
}

/// Where and how events are written (`extract`, `merge`).
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// Write the output here (atomically) instead of to standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Geojson, value_name = "FORMAT")]
    pub format: OutFormat,

    /// With --format csv: start the file with a byte-order mark, for spreadsheets.
    #[arg(long)]
    pub excel: bool,

    /// Also write every event's sources in long form, one row per report (event_id,
    /// source, report_id, dates, fatalities as that article reports them): the
    /// `source` cell names at most 20 articles.
    #[arg(long, value_name = "FILE")]
    pub sources: Option<PathBuf>,
}

impl OutputArgs {
    /// The files this writes, to be checked before any work; a usage error (exit 2)
    /// when the format cannot go to standard output.
    pub fn check(&self) -> std::result::Result<Vec<&PathBuf>, Exit> {
        gpkg_needs_file(self.format, self.output.as_ref())?;
        Ok(self.output.iter().chain(self.sources.iter()).collect())
    }

    /// Writes the events of `merged` (and their distance lines, in a GeoPackage) as
    /// asked: the format to -o FILE or standard output, a `.csvt` beside a CSV file,
    /// and the long table of sources with --sources.
    pub fn write(
        &self,
        merged: &Merged,
        links: &[Link],
        g: &Geocoder,
        record: &(dyn Fn(&Event) -> Record + Sync),
    ) -> Result<()> {
        match (self.format, &self.output) {
            (OutFormat::Gpkg, Some(path)) => write_merged_gpkg(path, merged, links, g, record)?,
            _ => with_output(self.output.as_ref(), |w| {
                write_merged(w, merged, g, self.format, self.excel, record).map_err(into_io)
            })?,
        }
        if let (OutFormat::Csv, Some(path)) = (self.format, &self.output) {
            write_csvt(path)?;
        }
        if let Some(path) = &self.sources {
            write_atomic(path, |w| write_merged_sources(w, merged).map_err(into_io))
                .with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    }
}

/// A GeoPackage is a database file: `--format gpkg` without `-o FILE` is a usage
/// error (exit 2), said on stderr.
pub fn gpkg_needs_file(
    format: OutFormat,
    output: Option<&PathBuf>,
) -> std::result::Result<(), Exit> {
    if format == OutFormat::Gpkg && output.is_none() {
        let _ = writeln!(
            io::stderr(),
            "clashmap: error: --format gpkg writes a database file: name it with -o FILE"
        );
        return Err(Exit::Usage);
    }
    Ok(())
}

/// Writes the `.csvt` sidecar of a CSV file (not of a device or pipe).
pub fn write_csvt(csv: &std::path::Path) -> Result<()> {
    if !std::fs::metadata(csv).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    let path = csv_out::csvt_path(csv);
    write_atomic(&path, |w| w.write_all(csv_out::csvt().as_bytes()))
        .with_context(|| format!("writing {}", path.display()))
}

/// Writes the long table of sources of the events of `merged`.
pub fn write_merged_sources(w: &mut dyn Write, merged: &Merged) -> Result<()> {
    sources::write_header(w)?;
    for_each_batch(merged, &mut |_, events| {
        let rows: Vec<sources::SourceRow> = events.iter().flat_map(sources::rows_of).collect();
        sources::write_rows(w, &rows)?;
        Ok(())
    })
}

/// Writes the events of `merged`, their distance lines and their sources as a
/// GeoPackage (atomically).
pub fn write_merged_gpkg(
    path: &std::path::Path,
    merged: &Merged,
    links: &[Link],
    g: &Geocoder,
    record: &(dyn Fn(&Event) -> Record + Sync),
) -> Result<()> {
    let mut pkg = Gpkg::create(path)?;
    for_each_batch(merged, &mut |_, events| {
        let records: Vec<Record> = events.par_iter().map(record).collect();
        pkg.add_events(&records)?;
        let rows: Vec<sources::SourceRow> = events.iter().flat_map(sources::rows_of).collect();
        pkg.add_sources(&rows)?;
        Ok(())
    })?;
    let end = |i: usize| {
        let e = &merged.entries[i];
        (e.id(), e.place.map(|p| p as usize))
    };
    let lines: Vec<LineRow> = links
        .par_iter()
        .filter_map(|l| distances::line_row(l, &end, g))
        .collect();
    pkg.add_lines(&lines)?;
    pkg.finish()?;
    Ok(())
}

/// Arguments of `clashmap extract`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  clashmap extract data/articles/ > events.geojson\n  clashmap extract --format csv --excel -o events.csv data/articles/\n  clashmap extract --no-merge --format geojsonseq -o reports.geojsons archive/\n  cat articles.jsonl | clashmap extract --input-format jsonl -\n\nA summary (articles read and skipped, events, unresolved places) goes to stderr.\nExit code 1 when an input could not be read; the others are still extracted."
)]
pub struct Args {
    /// Article files, folders (every *.txt below them, or *.jsonl with --input-format
    /// jsonl) or `-` for standard input.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub out: OutputArgs,

    /// Also write the distance layer here (GeoJSON LineStrings along the geodesic between
    /// related events: each event and its nearest event of the same or adjacent days
    /// within 300 km, and every pair an article states a distance for).
    #[arg(long, value_name = "FILE")]
    pub distances: Option<PathBuf>,

    /// Keep one feature per article report instead of merging reports of the same event.
    #[arg(long)]
    pub no_merge: bool,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Explain on stderr how every sentence was read: triggers, places and their
    /// roles, counts, dates, and why a sentence is not an event (history, general
    /// statement, hypothesis).
    #[arg(long)]
    pub explain: bool,
}

/// How the articles are read (`extract` and `run`).
#[derive(Debug, clap::Args)]
pub struct ReadArgs {
    /// How to read the inputs (a JSON Lines file is read a part at a time, however
    /// large it is).
    #[arg(long, value_enum, default_value_t = FormatArg::Text, value_name = "FORMAT")]
    pub input_format: FormatArg,

    /// Language of every article (nl, en), instead of detecting it per article.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,

    /// Publication date (YYYY-MM or YYYY-MM-DD) for articles without a date header.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<PubDate>,
}

impl ReadArgs {
    /// The reading options these arguments ask for.
    pub fn options(&self) -> ReadOptions {
        ReadOptions {
            format: match self.input_format {
                FormatArg::Text => InputFormat::Text,
                FormatArg::Jsonl => InputFormat::Jsonl,
            },
            date: self.date,
            lang: self.lang.clone(),
        }
    }
}

fn parse_date(s: &str) -> Result<PubDate, String> {
    PubDate::parse(s).map_err(|e| e.to_string())
}

/// What a run read and found.
#[derive(Debug, Default)]
pub struct Summary {
    /// Articles extracted.
    pub read: usize,
    /// Articles skipped (empty, binary).
    pub skipped: usize,
    /// Inputs that could not be read.
    pub failed: usize,
    /// Articles (distinct ids) with at least one report; counted by [`extract_merged`]
    /// only.
    pub sources: usize,
}

/// What reading and extracting one input gave, in order, for the thread that reports;
/// `T` is what the workers made of each extraction.
enum Item<T> {
    /// The input, or a line of it, could not be read.
    Failed(article::ArticleError),
    /// A line that could not be read, beyond those shown.
    FailedQuietly,
    /// A warning about an article.
    Warning(String),
    /// An article skipped, and why.
    Skipped { id: String, reason: String },
    /// An article's extraction (as prepared), with its explanation when asked for.
    Extracted(T, Vec<u8>),
}

/// Sessions (with their warm caches) lent to worker threads and given back.
struct SessionPool<'e, 'g> {
    extractor: &'e Extractor<'g>,
    idle: std::sync::Mutex<Vec<Session<'e, 'g>>>,
}

impl<'e, 'g> SessionPool<'e, 'g> {
    fn take(&self) -> Session<'e, 'g> {
        let idle = self.idle.lock().map(|mut v| v.pop());
        idle.ok()
            .flatten()
            .unwrap_or_else(|| self.extractor.session())
    }

    fn give(&self, s: Session<'e, 'g>) {
        if let Ok(mut v) = self.idle.lock() {
            v.push(s);
        }
    }
}

fn extract_one<T>(
    a: &article::Article,
    session: &mut Session<'_, '_>,
    explain: bool,
    prepare: &(dyn Fn(Extraction) -> T + Sync),
) -> Item<T> {
    if explain {
        let mut buf = Vec::new();
        let ex = session.extract_explained(a, Some(&mut buf));
        Item::Extracted(prepare(ex), buf)
    } else {
        Item::Extracted(prepare(session.extract(a)), Vec::new())
    }
}

/// Reads one input and extracts its articles (those of a JSON Lines file in parallel).
fn process_input<T: Send>(
    input: &article::Input,
    opts: &ReadOptions,
    pool: &SessionPool<'_, '_>,
    explain: bool,
    prepare: &(dyn Fn(Extraction) -> T + Sync),
) -> Vec<Item<T>> {
    match article::read_input(input, opts) {
        Ok((loaded, errors)) => {
            let mut items = extract_loaded(loaded, pool, explain, prepare);
            items.extend(errors.into_iter().map(Item::Failed));
            items
        }
        Err(e) => vec![Item::Failed(e)],
    }
}

/// Extracts articles read (more than one in parallel), in order.
fn extract_loaded<T: Send>(
    loaded: Vec<article::Loaded>,
    pool: &SessionPool<'_, '_>,
    explain: bool,
    prepare: &(dyn Fn(Extraction) -> T + Sync),
) -> Vec<Item<T>> {
    let per_article = |l: article::Loaded, session: &mut Session<'_, '_>| {
        let mut items: Vec<Item<T>> = l.warnings.into_iter().map(Item::Warning).collect();
        if let Outcome::Article(a) = &l.outcome
            && a.text.len() > clashmap::extract::PART_BYTES
        {
            items.push(Item::Warning(format!(
                "{}: {:.1} MB in one article, read in {} parts of at most {} MB cut at paragraph or sentence ends (an event told across a cut may be reported twice)",
                a.id,
                a.text.len() as f64 / 1e6,
                clashmap::extract::parts(&a.text, clashmap::extract::PART_BYTES).len(),
                clashmap::extract::PART_BYTES >> 20
            )));
        }
        items.push(match l.outcome {
            Outcome::Article(a) => extract_one(&a, session, explain, prepare),
            Outcome::Skipped { id, reason } => Item::Skipped { id, reason },
        });
        items
    };
    if loaded.len() <= 1 {
        let mut session = pool.take();
        let items = loaded
            .into_iter()
            .flat_map(|l| per_article(l, &mut session))
            .collect();
        pool.give(session);
        return items;
    }
    loaded
        .into_par_iter()
        .with_min_len(16)
        .map(|l| {
            let mut session = pool.take();
            let items = per_article(l, &mut session);
            pool.give(session);
            items
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// The malformed lines of a JSON Lines input shown one by one; the rest are counted.
const SHOWN_LINE_ERRORS: usize = 20;

/// Reads the inputs and hands each article's extraction to `sink`, in input order;
/// problems go to stderr. Inputs are read and extracted on every worker thread, a
/// bounded batch at a time, so output streams and memory stays flat.
pub fn extract_reports(
    geocoder: &Geocoder,
    inputs: &[PathBuf],
    opts: &ReadOptions,
    explain: bool,
    sink: &mut dyn FnMut(Extraction) -> Result<()>,
) -> Result<Summary> {
    extract_prepared(geocoder, inputs, opts, explain, &|ex| ex, sink)
}

/// [`extract_reports`], with each extraction first turned into a `T` by `prepare` on
/// the worker threads (formatting output, say), then handed to `sink` in order.
pub fn extract_prepared<T: Send>(
    geocoder: &Geocoder,
    inputs: &[PathBuf],
    opts: &ReadOptions,
    explain: bool,
    prepare: &(dyn Fn(Extraction) -> T + Sync),
    sink: &mut dyn FnMut(T) -> Result<()>,
) -> Result<Summary> {
    /// Inputs read and extracted at once.
    const BATCH: usize = 256;
    /// Bytes of a JSON Lines input read and extracted at once.
    const JSONL_PART: usize = 1 << 20;
    let mut err = io::stderr();
    let (inputs, errors) = article::expand_inputs(inputs, opts.format);
    let mut summary = Summary::default();
    for e in errors {
        writeln!(err, "clashmap: error: {e}")?;
        summary.failed += 1;
    }
    let extractor = Extractor::new(geocoder);
    let pool = SessionPool {
        extractor: &extractor,
        idle: Default::default(),
    };
    // a progress bar for long runs, only when a person watches stderr
    let progress =
        (std::io::IsTerminal::is_terminal(&io::stderr()) && inputs.len() >= 200).then(|| {
            let bar = indicatif::ProgressBar::new(inputs.len() as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} inputs, {per_sec}, {eta} left",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
    // workers read and extract the next batches while this thread hands the last one
    // to the sink (which writes): two batches in flight at most
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<Vec<Item<T>>>)>(2);
    let pool = &pool;
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            if opts.format == InputFormat::Jsonl {
                // a part of a file at a time, however large the file
                for input in &inputs {
                    let mut reader = match article::JsonlReader::open(input, opts) {
                        Ok(r) => r,
                        Err(e) => {
                            if tx.send((1, vec![vec![Item::Failed(e)]])).is_err() {
                                return;
                            }
                            continue;
                        }
                    };
                    // the next part is read while this one is extracted; malformed
                    // lines are skipped, each counted, the first ones shown
                    let mut shown = 0usize;
                    let mut hidden = 0usize;
                    let mut next = reader.next_part(JSONL_PART);
                    while let Some((loaded, failed)) = next {
                        let (mut items, following) = rayon::join(
                            || extract_loaded(loaded, pool, explain, prepare),
                            || reader.next_part(JSONL_PART),
                        );
                        next = following;
                        for e in failed {
                            if shown < SHOWN_LINE_ERRORS {
                                shown += 1;
                                items.push(Item::Failed(e));
                            } else {
                                hidden += 1;
                                items.push(Item::FailedQuietly);
                            }
                        }
                        if tx.send((0, vec![items])).is_err() {
                            return;
                        }
                    }
                    let tail = (hidden > 0).then(|| {
                        vec![Item::Warning(format!(
                            "{}: {hidden} more malformed lines skipped (not shown)",
                            input.name()
                        ))]
                    });
                    if tx.send((1, tail.into_iter().collect())).is_err() {
                        return;
                    }
                }
                return;
            }
            for batch in inputs.chunks(BATCH) {
                let done = batch
                    .par_iter()
                    .map(|input| process_input(input, opts, pool, explain, prepare))
                    .collect();
                // the receiver is gone when the sink failed: stop
                if tx.send((batch.len(), done)).is_err() {
                    break;
                }
            }
        });
        for (n, done) in rx {
            if let Some(bar) = &progress {
                bar.inc(n as u64);
            }
            for item in done.into_iter().flatten() {
                match item {
                    Item::Failed(e) => {
                        writeln!(err, "clashmap: error: {e}")?;
                        summary.failed += 1;
                    }
                    Item::FailedQuietly => summary.failed += 1,
                    Item::Warning(w) => writeln!(err, "clashmap: warning: {w}")?,
                    Item::Skipped { id, reason } => {
                        writeln!(err, "clashmap: skipped {id}: {reason}")?;
                        summary.skipped += 1;
                    }
                    Item::Extracted(ex, explained) => {
                        summary.read += 1;
                        err.write_all(&explained)?;
                        sink(ex)?;
                    }
                }
            }
        }
        Ok(())
    })?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    Ok(summary)
}

/// Reads the inputs and returns their events (merged unless `merge` is false) and the
/// distances the articles state, all in memory (for small inputs and tests).
pub fn extract_events(
    geocoder: &Geocoder,
    inputs: &[PathBuf],
    opts: &ReadOptions,
    merge: bool,
    explain: bool,
) -> Result<(Vec<Event>, Vec<ReportedDistance>, Summary)> {
    let mut reports = Vec::new();
    let mut stated = Vec::new();
    let summary = extract_reports(geocoder, inputs, opts, explain, &mut |ex| {
        reports.extend(ex.reports);
        stated.extend(ex.distances);
        Ok(())
    })?;
    Ok((event::merge(reports, geocoder, merge), stated, summary))
}

/// Reads the inputs and merges their reports (or keeps each apart, with `merge`
/// false) through temporary files (`event::store`): memory grows with the number of
/// events by a few dozen bytes each, not with their text. Returns the events and the
/// distances the articles state.
pub fn extract_merged(
    geocoder: &Geocoder,
    inputs: &[PathBuf],
    opts: &ReadOptions,
    merge: bool,
    explain: bool,
) -> Result<(Merged, Vec<ReportedDistance>, Summary)> {
    let mut spill = Spill::new(geocoder, merge);
    let mut stated = Vec::new();
    // (a hash of) the id of every article with a report
    let mut sources: Vec<u64> = Vec::new();
    // reports are put in their spilled form on the worker threads
    let prepare = |ex: Extraction| -> (Vec<Spilled>, Vec<ReportedDistance>, Option<u64>) {
        let spilled = ex
            .reports
            .iter()
            .map(|r| Spilled::new(r, geocoder))
            .collect();
        let source = ex.reports.first().map(|r| event::stable_hash(&r.article));
        (spilled, ex.distances, source)
    };
    let summary = extract_prepared(geocoder, inputs, opts, explain, &prepare, &mut |(
        spilled,
        distances,
        source,
    )| {
        for s in &spilled {
            spill.push_spilled(s)?;
        }
        stated.extend(distances);
        sources.extend(source);
        Ok(())
    })?;
    trace::phase("articles extracted");
    crate::purge_sooner();
    let merged = spill.finish(&stated)?;
    trace::phase("reports merged");
    sources.sort_unstable();
    sources.dedup();
    let summary = Summary {
        sources: sources.len(),
        ..summary
    };
    Ok((merged, stated, summary))
}

/// Events read back from a [`Merged`] store at once, in order.
const OUT_BATCH: usize = 1024;

/// Hands the events of `merged` to `f` in order, a batch at a time, with the index of
/// the batch's first event.
pub fn for_each_batch(
    merged: &Merged,
    f: &mut dyn FnMut(usize, Vec<Event>) -> Result<()>,
) -> Result<()> {
    let n = merged.len();
    for start in (0..n).step_by(OUT_BATCH) {
        let events = merged.events(start..(start + OUT_BATCH).min(n))?;
        f(start, events)?;
    }
    Ok(())
}

/// The bounding box of the placed events of `merged`, of their points as the exports
/// write them (rounded to 6 decimals).
pub fn merged_bbox(merged: &Merged, g: &Geocoder) -> Option<[f64; 4]> {
    geojson::bbox_of(merged.entries.iter().filter_map(|e| {
        e.place.map(|p| {
            let p = g.place(p as usize);
            (round6(p.lon), round6(p.lat))
        })
    }))
}

/// Writes the events of `merged` in order in a format (records made and formatted on
/// the worker threads, a batch at a time); `record` makes each event's record.
pub fn write_merged(
    w: &mut dyn Write,
    merged: &Merged,
    g: &Geocoder,
    format: OutFormat,
    excel: bool,
    record: &(dyn Fn(&Event) -> Record + Sync),
) -> Result<()> {
    match format {
        OutFormat::Geojson => geojson::write_collection_head(w, merged_bbox(merged, g))?,
        OutFormat::Csv => csv_out::write_header(w, excel)?,
        OutFormat::Geojsonseq => {}
        OutFormat::Gpkg => anyhow::bail!("a GeoPackage is written to a file (-o FILE)"),
    }
    for_each_batch(merged, &mut |start, events| {
        // slices of the batch, each formatted (and freed) on a worker thread
        let pieces: Vec<io::Result<Vec<u8>>> = events
            .into_par_iter()
            .chunks(256)
            .enumerate()
            .map(|(k, chunk)| {
                let mut buf = Vec::new();
                let records: Vec<Record> = chunk.iter().map(record).collect();
                for (j, r) in records.iter().enumerate() {
                    match format {
                        OutFormat::Geojson => geojson::write_collection_feature(
                            &mut buf,
                            start + k * 256 + j == 0,
                            r,
                        )?,
                        OutFormat::Geojsonseq => geojson::write_seq_record(&mut buf, r)?,
                        OutFormat::Csv | OutFormat::Gpkg => {}
                    }
                }
                if format == OutFormat::Csv {
                    csv_out::write_rows(&mut buf, &records)?;
                }
                Ok(buf)
            })
            .collect();
        for p in pieces {
            w.write_all(&p?)?;
        }
        Ok(())
    })?;
    if format == OutFormat::Geojson {
        geojson::write_collection_tail(w)?;
    }
    Ok(())
}

/// The related pairs of the events of `merged` (see `export::distances`).
pub fn merged_links(merged: &Merged, g: &Geocoder, stated: &[ReportedDistance]) -> Vec<Link> {
    let nodes: Vec<Node> = merged
        .entries
        .iter()
        .map(|e| Node {
            point: distances::place_point(g, e.place.map(|p| p as usize)),
            dates: e.dates,
        })
        .collect();
    distances::related_nodes(
        &nodes,
        stated,
        |article, place| merged.stated_end(article, place),
        |i| merged.entries[i].id,
    )
}

/// Writes the distance layer of the events of `merged`.
pub fn write_merged_distances(
    w: &mut dyn Write,
    merged: &Merged,
    links: &[Link],
    g: &Geocoder,
) -> io::Result<()> {
    distances::write_distances(
        w,
        links,
        &|i| {
            let e = &merged.entries[i];
            (e.id(), e.place.map(|p| p as usize))
        },
        g,
    )
}

/// Writes records in a format.
pub fn write_records(
    w: &mut dyn Write,
    records: &[Record],
    format: OutFormat,
    excel: bool,
) -> io::Result<()> {
    match format {
        OutFormat::Geojson => geojson::write_collection(w, records),
        OutFormat::Geojsonseq => records
            .iter()
            .try_for_each(|r| geojson::write_seq_record(w, r)),
        OutFormat::Csv => csv_out::write_csv(w, records, excel),
        OutFormat::Gpkg => Err(io::Error::other(
            "a GeoPackage is written to a file (-o FILE)",
        )),
    }
}

/// An error of writing as the `io::Result` of a writer's closure: the I/O error itself,
/// or the error as its message.
pub fn into_io(e: anyhow::Error) -> io::Error {
    e.downcast::<io::Error>().unwrap_or_else(io::Error::other)
}

/// Writes to `-o FILE` atomically, or to standard output.
pub fn with_output<T>(
    output: Option<&PathBuf>,
    f: impl FnOnce(&mut dyn Write) -> io::Result<T>,
) -> Result<T> {
    match output {
        Some(path) => {
            let mut result = None;
            write_atomic(path, |w| {
                result = Some(f(w)?);
                Ok(())
            })
            .with_context(|| format!("writing {}", path.display()))?;
            Ok(result.expect("written"))
        }
        None => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            let r = f(&mut out)?;
            out.flush()?;
            Ok(r)
        }
    }
}

/// Runs the command.
pub fn run(geocoder: &Geocoder, args: &Args) -> Result<Exit> {
    let opts = args.read.options();
    if let Some(out) = &args.out.output
        && args.inputs.iter().any(|i| same_file(i, out))
    {
        anyhow::bail!(
            "-o {} is one of the inputs; it would be overwritten",
            out.display()
        );
    }
    // an output that cannot be written is an error now, not after the work
    let outputs = match args.out.check() {
        Ok(o) => o,
        Err(exit) => return Ok(exit),
    };
    for path in outputs.into_iter().chain(args.distances.iter()) {
        check_writable(path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let streaming = args.out.format == OutFormat::Geojsonseq && args.no_merge;
    if streaming && (args.distances.is_some() || args.out.sources.is_some()) {
        anyhow::bail!(
            "--distances and --sources need every event at once; they do not go with a streamed --format geojsonseq --no-merge"
        );
    }
    let (summary, events, reports, unresolved) = if streaming {
        // a text sequence of unmerged reports streams: each article's reports are
        // written as it is read, and nothing is kept
        let mut counts = (0usize, 0usize);
        // each article's features are formatted on the worker threads; this thread
        // only writes them, in order
        let format = |ex: Extraction| -> io::Result<(Vec<u8>, usize, usize)> {
            let mut buf = Vec::new();
            let (mut n, mut unresolved) = (0, 0);
            for e in event::merge(ex.reports, geocoder, false) {
                n += 1;
                unresolved += usize::from(e.location().status == PlaceStatus::Unresolved);
                geojson::write_seq_record(&mut buf, &Record::from_report(&e, geocoder))?;
            }
            Ok((buf, n, unresolved))
        };
        let summary = with_output(args.out.output.as_ref(), |w| {
            extract_prepared(
                geocoder,
                &args.inputs,
                &opts,
                args.explain,
                &format,
                &mut |formatted| {
                    let (buf, n, unresolved) = formatted?;
                    counts.0 += n;
                    counts.1 += unresolved;
                    w.write_all(&buf)?;
                    Ok(())
                },
            )
            .map_err(into_io)
        })?;
        (summary, counts.0, counts.0, counts.1)
    } else {
        let (merged, stated, summary) =
            extract_merged(geocoder, &args.inputs, &opts, !args.no_merge, args.explain)?;
        let no_merge = args.no_merge;
        let record = |e: &Event| {
            if no_merge {
                Record::from_report(e, geocoder)
            } else {
                Record::from_event(e, geocoder)
            }
        };
        let need_links = args.distances.is_some() || args.out.format == OutFormat::Gpkg;
        let links = if need_links {
            merged_links(&merged, geocoder, &stated)
        } else {
            Vec::new()
        };
        args.out.write(&merged, &links, geocoder, &record)?;
        if let Some(path) = &args.distances {
            write_atomic(path, |w| {
                write_merged_distances(w, &merged, &links, geocoder)
            })
            .with_context(|| format!("writing {}", path.display()))?;
        }
        let unresolved = merged.unresolved();
        (summary, merged.len(), merged.reports, unresolved)
    };
    writeln!(
        io::stderr(),
        "clashmap: {} articles read, {} skipped, {} failed; {events} events ({reports} reports), {unresolved} unresolved",
        summary.read,
        summary.skipped,
        summary.failed
    )?;
    Ok(if summary.failed > 0 {
        Exit::Error
    } else {
        Exit::Success
    })
}

/// Whether two paths name one existing file (an output that would overwrite an input).
pub(super) fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
