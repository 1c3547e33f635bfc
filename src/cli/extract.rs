//! `clashmap extract [INPUT...]`: articles in, GeoJSON events out.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::Exit;
use clashmap::article::{self, InputFormat, Outcome, ReadOptions};
use clashmap::date::PubDate;
use clashmap::event::{self, Event, PlaceStatus};
use clashmap::export::{geojson, write_atomic};
use clashmap::extract::Extractor;
use clashmap::geocode::Geocoder;

/// Input formats on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Plain text articles (the sample format: ` date YYYY-MM[-DD] title text`).
    Text,
    /// JSON Lines: one object per line with id, text, and optional date, lang, title, url.
    Jsonl,
}

/// Arguments of `clashmap extract`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  clashmap extract data/articles/ > events.geojson\n  clashmap extract --no-merge -o reports.geojson a.txt b.txt\n  cat articles.jsonl | clashmap extract --input-format jsonl -\n\nA summary (articles read and skipped, events, unresolved places) goes to stderr.\nExit code 1 when an input could not be read; the others are still extracted."
)]
pub struct Args {
    /// Article files, folders (every *.txt below them, or *.jsonl with --input-format
    /// jsonl) or `-` for standard input.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,

    /// Write the GeoJSON here (atomically) instead of to standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Keep one feature per article report instead of merging reports of the same event.
    #[arg(long)]
    pub no_merge: bool,

    /// How to read the inputs.
    #[arg(long, value_enum, default_value_t = FormatArg::Text, value_name = "FORMAT")]
    pub input_format: FormatArg,

    /// Language of every article (nl, en), instead of detecting it per article.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,

    /// Explain on stderr how every sentence was read: triggers, places and their
    /// roles, counts, dates, and why a sentence is not an event (history, general
    /// statement, hypothesis).
    #[arg(long)]
    pub explain: bool,

    /// Publication date (YYYY-MM or YYYY-MM-DD) for articles without a date header.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<PubDate>,
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
}

/// Reads the inputs and extracts their events, reporting problems on stderr.
pub fn extract_events(
    geocoder: &Geocoder,
    inputs: &[PathBuf],
    opts: &ReadOptions,
    merge: bool,
    explain: bool,
) -> Result<(Vec<Event>, Summary)> {
    let mut err = io::stderr();
    let (inputs, errors) = article::expand_inputs(inputs, opts.format);
    let mut summary = Summary::default();
    for e in errors {
        writeln!(err, "clashmap: error: {e}")?;
        summary.failed += 1;
    }
    let extractor = Extractor::new(geocoder);
    let mut session = extractor.session();
    let mut reports = Vec::new();
    for input in &inputs {
        let loaded = match article::read_input(input, opts) {
            Ok(l) => l,
            Err(e) => {
                writeln!(err, "clashmap: error: {e}")?;
                summary.failed += 1;
                continue;
            }
        };
        for l in loaded {
            for w in &l.warnings {
                writeln!(err, "clashmap: warning: {w}")?;
            }
            match l.outcome {
                Outcome::Article(a) => {
                    summary.read += 1;
                    let ex = if explain {
                        session.extract_explained(&a, Some(&mut err))
                    } else {
                        session.extract(&a)
                    };
                    reports.extend(ex.reports);
                }
                Outcome::Skipped { id, reason } => {
                    writeln!(err, "clashmap: skipped {id}: {reason}")?;
                    summary.skipped += 1;
                }
            }
        }
    }
    Ok((event::merge(reports, geocoder, merge), summary))
}

/// Runs the command.
pub fn run(geocoder: &Geocoder, args: &Args) -> Result<Exit> {
    let opts = ReadOptions {
        format: match args.input_format {
            FormatArg::Text => InputFormat::Text,
            FormatArg::Jsonl => InputFormat::Jsonl,
        },
        date: args.date,
        lang: args.lang.clone(),
    };
    if let Some(out) = &args.output
        && args.inputs.iter().any(|i| same_file(i, out))
    {
        anyhow::bail!(
            "-o {} is one of the inputs; it would be overwritten",
            out.display()
        );
    }
    let (events, summary) =
        extract_events(geocoder, &args.inputs, &opts, !args.no_merge, args.explain)?;
    match &args.output {
        Some(path) => write_atomic(path, |w| geojson::write_collection(w, &events, geocoder))
            .with_context(|| format!("writing {}", path.display()))?,
        None => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            geojson::write_collection(&mut out, &events, geocoder)?;
            out.flush()?;
        }
    }
    let unresolved = events
        .iter()
        .filter(|e| e.location().status == PlaceStatus::Unresolved)
        .count();
    writeln!(
        io::stderr(),
        "clashmap: {} articles read, {} skipped, {} failed; {} events ({} reports), {} unresolved",
        summary.read,
        summary.skipped,
        summary.failed,
        events.len(),
        events.iter().map(|e| e.reports.len()).sum::<usize>(),
        unresolved
    )?;
    Ok(if summary.failed > 0 {
        Exit::Error
    } else {
        Exit::Success
    })
}

fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
