//! Articles: reading news text from files, folders, standard input and JSON Lines.
//!
//! The sample format is a text file whose first line may begin with ` date YYYY-MM`
//! or ` date YYYY-MM-DD` (the leading space optional), followed by the title and text;
//! the article id is the file name. A full date in the text ("02 september 2019", "On
//! 8 September 2019") that agrees with the header's month gives the day.
//!
//! Decoding never loses text: UTF-8 with or without BOM, UTF-16 with BOM, and
//! anything else as Windows-1252, with a warning naming the file. Empty and binary
//! files are skipped with a reason, never silently.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::date::{Date, PubDate};
use crate::lexicon::Lexicons;
use crate::normalize::{Piece, fold_pieces};

/// One news article.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The id: file name, or the `id` of a JSON Lines record.
    pub id: String,
    /// Publication date, to the day or the month, when known.
    pub date: Option<PubDate>,
    /// Title, when the input gives one separately (JSON Lines).
    pub title: Option<String>,
    /// The text (LF line ends, no BOM), header line removed.
    pub text: String,
    /// Language code, when the input gives one.
    pub lang: Option<String>,
    /// Source URL, when the input gives one.
    pub url: Option<String>,
}

/// The result of reading one article.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// An article to extract from.
    Article(Article),
    /// Not an article: why.
    Skipped {
        /// The id it would have had.
        id: String,
        /// Why it was skipped.
        reason: String,
    },
}

/// An article read, with the warnings about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The article or the reason it was skipped.
    pub outcome: Outcome,
    /// Warnings (decoding, dates), each naming the article.
    pub warnings: Vec<String>,
}

/// An input that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    /// A file or folder cannot be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A folder named on the command line holds no article files.
    #[error("{}: no *.{ext} files in this folder{}", path.display(), if *ext == "txt" { " (JSON Lines? use --input-format jsonl)" } else { "" })]
    NoArticles {
        /// The folder.
        path: PathBuf,
        /// The extension looked for.
        ext: &'static str,
    },
    /// A JSON Lines record is malformed.
    #[error("{source_name}:{line}: {message}")]
    Jsonl {
        /// The file (or `-`).
        source_name: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// How input files are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// Plain text, one article per file (the sample format).
    #[default]
    Text,
    /// JSON Lines: one article per line.
    Jsonl,
}

/// Options for reading articles.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The format of the inputs.
    pub format: InputFormat,
    /// Publication date for input that has none (`--date`).
    pub date: Option<PubDate>,
    /// Language for every article (`--lang`), overriding detection.
    pub lang: Option<String>,
}

/// An input: a file or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

impl Input {
    /// The name used in ids and messages.
    pub fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }

    /// The path an error names (`-` for standard input).
    pub fn path(&self) -> PathBuf {
        match self {
            Input::File(p) => p.clone(),
            Input::Stdin => PathBuf::from("-"),
        }
    }
}

/// Expands the command line's inputs: `-` is standard input, a folder is every `*.txt`
/// (or `*.jsonl` for JSON Lines) below it, recursively, in sorted order; links that
/// loop are followed once. Folders that cannot be read are returned as errors, the
/// rest goes on.
pub fn expand_inputs(inputs: &[PathBuf], format: InputFormat) -> (Vec<Input>, Vec<ArticleError>) {
    let ext = match format {
        InputFormat::Text => "txt",
        InputFormat::Jsonl => "jsonl",
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in inputs {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if p.is_dir() {
            let before = (out.len(), errors.len());
            walk(p, ext, &mut out, &mut errors, &mut seen);
            if (out.len(), errors.len()) == before {
                errors.push(ArticleError::NoArticles {
                    path: p.clone(),
                    ext,
                });
            }
        } else {
            out.push(Input::File(p.clone()));
        }
    }
    (out, errors)
}

fn walk(
    dir: &Path,
    ext: &str,
    out: &mut Vec<Input>,
    errors: &mut Vec<ArticleError>,
    seen: &mut std::collections::HashSet<PathBuf>,
) {
    let Ok(canon) = dir.canonicalize() else {
        return;
    };
    if !seen.insert(canon) {
        return; // a link back into a folder already read
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(source) => {
            errors.push(ArticleError::Io {
                path: dir.to_path_buf(),
                source,
            });
            return;
        }
    };
    // (name, whether a folder: the entry's type, without a system call, except for a
    // link, which is followed); names sorted as bytes are the paths in `Path` order,
    // all being in this one folder
    let mut names: Vec<(std::ffi::OsString, bool)> = entries
        .filter_map(|e| e.ok())
        .map(|e| {
            let is_dir = match e.file_type() {
                Ok(t) if !t.is_symlink() => t.is_dir(),
                _ => e.path().is_dir(),
            };
            (e.file_name(), is_dir)
        })
        .collect();
    names.sort_unstable();
    for (name, is_dir) in names {
        let p = dir.join(name);
        if is_dir {
            walk(&p, ext, out, errors, seen);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(Input::File(p));
        }
    }
}

/// The article id of a file: its file name.
pub fn file_id(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads one input (a text article, or every record of a JSON Lines file).
pub fn read_input(
    input: &Input,
    opts: &ReadOptions,
) -> Result<(Vec<Loaded>, Vec<ArticleError>), ArticleError> {
    let io_error = |source| ArticleError::Io {
        path: input.path(),
        source,
    };
    if opts.format == InputFormat::Jsonl {
        let mut reader = JsonlReader::open(input, opts)?;
        let (mut loaded, mut errors) = (Vec::new(), Vec::new());
        while let Some((l, e)) = reader.next_part(usize::MAX) {
            loaded.extend(l);
            errors.extend(e);
        }
        return Ok((loaded, errors));
    }
    let read = match input {
        Input::File(p) => std::fs::File::open(p).and_then(|mut f| read_text(&mut f)),
        Input::Stdin => read_text(&mut std::io::stdin().lock()),
    }
    .map_err(io_error)?;
    let id = match input {
        Input::File(p) => file_id(p),
        Input::Stdin => "stdin".to_string(),
    };
    let loaded = match read {
        Some(bytes) => parse_text(&id, &bytes, opts),
        None => Loaded {
            outcome: Outcome::Skipped {
                id,
                reason: BINARY.into(),
            },
            warnings: Vec::new(),
        },
    };
    Ok((vec![loaded], Vec::new()))
}

/// Whether bytes start with a UTF-16 byte-order mark (either order).
fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// Whether a block of an input that starts with `head` shows binary data: a NUL byte,
/// where the input is not UTF-16 (whose text has them).
fn is_binary(head: &[u8], block: &[u8]) -> bool {
    !is_utf16(head) && memchr::memchr(0, block).is_some()
}

/// Why a file of NUL bytes is skipped.
const BINARY: &str = "binary file (NUL bytes), not text";

/// How much of an input is read at a time (and looked at for NUL bytes).
const BLOCK: u64 = 64 * 1024;

/// The bytes of a text input, read a block at a time; `None` as soon as a block holds
/// a NUL byte outside a UTF-16 text (binary data: `/dev/zero` ends at once, and no
/// more than a block of it is held). Unlike `std::fs::read`, it does not ask the
/// file's size first: of the six system calls a file took with the folder walk's,
/// four are left (open, two reads, close); the buffer grows for the rare large file.
fn read_text(reader: &mut dyn std::io::Read) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(16 * 1024);
    loop {
        let start = bytes.len();
        // through `Take`, which reads without the size look-up (`fstat`, `lseek`)
        // that `File`'s own `read_to_end` makes
        let n = (&mut *reader).take(BLOCK).read_to_end(&mut bytes)?;
        if n == 0 {
            return Ok(Some(bytes));
        }
        if is_binary(&bytes, &bytes[start..]) {
            return Ok(None);
        }
    }
}

/// Decodes bytes to text: UTF-8 (BOM dropped), UTF-16 with BOM, else Windows-1252.
/// Returns the text and whether a fallback was used (and which).
pub fn decode(bytes: &[u8]) -> (String, Option<&'static str>) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(rest) {
            Ok(s) => (s.to_string(), None),
            Err(_) => (decode_cp1252(rest), Some("Windows-1252")),
        };
    }
    let utf16 = |le: bool, b: &[u8]| -> String {
        let units: Vec<u16> = b
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (utf16(true, rest), Some("UTF-16LE"));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (utf16(false, rest), Some("UTF-16BE"));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(_) => (decode_cp1252(bytes), Some("Windows-1252")),
    }
}

/// Windows-1252 to text (the five undefined bytes map to their C1 code points).
fn decode_cp1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[(b - 0x80) as usize],
            _ => b as char,
        })
        .collect()
}

/// Parses one article in the sample text format.
pub fn parse_text(id: &str, bytes: &[u8], opts: &ReadOptions) -> Loaded {
    let mut warnings = Vec::new();
    if is_binary(bytes, bytes) {
        return Loaded {
            outcome: Outcome::Skipped {
                id: id.to_string(),
                reason: "binary file (NUL bytes), not text".into(),
            },
            warnings,
        };
    }
    let (text, fallback) = decode(bytes);
    if let Some(enc) = fallback {
        warnings.push(format!("{id}: not UTF-8; decoded as {enc}"));
    }
    // line ends made `\n` (most text has no `\r`: then no copy)
    let text = if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    if text.trim().is_empty() {
        return Loaded {
            outcome: Outcome::Skipped {
                id: id.to_string(),
                reason: "empty (no text)".into(),
            },
            warnings,
        };
    }
    let (header, body) = split_header(&text);
    // one warning when the date is not the header's: why, and what is used instead
    let date = match (header, opts.date) {
        (Some(Ok(d)), _) => Some(d),
        (Some(Err(e)), Some(d)) => {
            warnings.push(format!("{id}:1: {e} in the date header; using --date {d}"));
            Some(d)
        }
        (Some(Err(e)), None) => {
            warnings.push(format!(
                "{id}:1: {e} in the date header; dates come from the text only"
            ));
            None
        }
        (None, Some(d)) => Some(d),
        (None, None) => {
            warnings.push(format!(
                "{id}: no date header and no --date; dates come from the text only"
            ));
            None
        }
    };
    let date = date.map(|d| refine_date(d, body));
    Loaded {
        outcome: Outcome::Article(Article {
            id: id.to_string(),
            date,
            title: None,
            text: body.to_string(),
            lang: opts.lang.clone(),
            url: None,
        }),
        warnings,
    }
}

/// Splits the ` date YYYY-MM[-DD]` header from the text: (the parsed date, if there
/// is a header; the rest).
fn split_header(text: &str) -> (Option<Result<PubDate, crate::date::DateError>>, &str) {
    let trimmed = text.trim_start_matches([' ', '\t', '\u{feff}']);
    let Some(rest) = trimmed.strip_prefix("date ") else {
        return (None, text);
    };
    let rest = rest.trim_start();
    let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    let token = &rest[..end];
    if !token.starts_with(|c: char| c.is_ascii_digit()) {
        return (None, text);
    }
    (
        Some(PubDate::parse(token)),
        rest[end..].trim_start_matches([' ', '\t']),
    )
}

/// A full date in the text that agrees with a month-only publication date gives its
/// day: a date alone on a short line (a dateline) first, else the first in the text's
/// first 64 KB.
fn refine_date(date: PubDate, text: &str) -> PubDate {
    if date.day.is_some() {
        return date;
    }
    let agrees = |d: Date| {
        let (y, m, _) = d.ymd();
        y == date.year && m == date.month
    };
    // a dateline is near the start: the first 64 KB are enough (and a text of one
    // endless line is not tokenised whole here)
    let mut end = text.len().min(1 << 16);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut first = None;
    for line in text[..end].lines() {
        let found = full_dates(line);
        if let Some(d) = found.iter().copied().find(|d| agrees(*d)) {
            if line.trim().chars().count() <= 40 {
                first = Some(d);
                break;
            }
            first.get_or_insert(d);
        }
    }
    match first {
        Some(d) => PubDate {
            day: Some(d.ymd().2),
            ..date
        },
        None => date,
    }
}

/// The month number of a folded word, in any lexicon's language.
pub fn month_number(word: &str) -> Option<u32> {
    let lex = Lexicons::embedded();
    for l in &lex.languages {
        if let Some(i) = l.dates.months.iter().position(|m| m == word) {
            return Some(i as u32 + 1);
        }
        if let Some((_, n)) = l.dates.month_abbreviations.iter().find(|(a, _)| a == word) {
            return Some(*n);
        }
    }
    None
}

/// Full dates written out in a text: "02 september 2019", "8 September 2019",
/// "September 8, 2019".
pub fn full_dates(text: &str) -> Vec<Date> {
    let mut toks: Vec<String> = Vec::new();
    fold_pieces(text, |p| match p {
        Piece::Token { text, .. } => toks.push(text.to_string()),
        Piece::Barrier => toks.push(",".to_string()),
    });
    let num = |s: &str| s.parse::<u32>().ok().filter(|_| s.len() <= 4);
    let mut out = Vec::new();
    for i in 0..toks.len() {
        let Some(m) = month_number(&toks[i]) else {
            continue;
        };
        // day month year
        if i >= 1
            && i + 1 < toks.len()
            && let (Some(d), Some(y)) = (num(&toks[i - 1]), num(&toks[i + 1]))
            && let Some(date) = Date::from_ymd(y as i32, m, d).filter(|_| y >= 1000)
        {
            out.push(date);
            continue;
        }
        // month day, year
        let year_at = if toks.get(i + 2).map(String::as_str) == Some(",") {
            i + 3
        } else {
            i + 2
        };
        if let (Some(d), Some(y)) = (
            toks.get(i + 1).and_then(|t| num(t)),
            toks.get(year_at).and_then(|t| num(t)),
        ) && let Some(date) = Date::from_ymd(y as i32, m, d).filter(|_| y >= 1000)
        {
            out.push(date);
        }
    }
    out
}

#[derive(Deserialize)]
struct JsonArticle {
    id: Option<serde_json::Value>,
    text: Option<String>,
    date: Option<String>,
    lang: Option<String>,
    title: Option<String>,
    url: Option<String>,
}

/// Parses JSON Lines: one article object per line (`id`, `text`, optional `date`,
/// `lang`, `title`, `url`). A malformed line is skipped and given back as an error
/// naming the line; the lines after it are read.
pub fn parse_jsonl(
    source_name: &str,
    bytes: &[u8],
    opts: &ReadOptions,
) -> (Vec<Loaded>, Vec<ArticleError>) {
    let mut reader = match JsonlReader::from_reader(
        source_name.to_string(),
        Box::new(std::io::Cursor::new(bytes.to_vec())),
        opts,
    ) {
        Ok(r) => r,
        Err(source) => {
            let path = PathBuf::from(source_name);
            return (Vec::new(), vec![ArticleError::Io { path, source }]);
        }
    };
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    while let Some((l, e)) = reader.next_part(usize::MAX) {
        out.extend(l);
        errors.extend(e);
    }
    (out, errors)
}

/// One line of JSON Lines (`ln` counts from 1): its article, or `None` when blank.
fn parse_jsonl_line(
    source_name: &str,
    ln: usize,
    line: &str,
    opts: &ReadOptions,
) -> Result<Option<Loaded>, ArticleError> {
    if line.trim().is_empty() {
        return Ok(None);
    }
    let err = |message: String| ArticleError::Jsonl {
        source_name: source_name.to_string(),
        line: ln,
        message,
    };
    let rec: JsonArticle =
        serde_json::from_str(line).map_err(|e| err(format!("not a JSON article object: {e}")))?;
    let id = match rec.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(_) => return Err(err("\"id\" must be a string or a number".into())),
        None => return Err(err("no \"id\"".into())),
    };
    let Some(body) = rec.text else {
        return Err(err(format!("article {id:?} has no \"text\"")));
    };
    let mut warnings = Vec::new();
    let date = match rec.date.as_deref().map(PubDate::parse) {
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            warnings.push(format!(
                "{source_name}:{ln}: {e}; dates come from the text only"
            ));
            opts.date
        }
        None => opts.date,
    };
    if body.trim().is_empty() {
        return Ok(Some(Loaded {
            outcome: Outcome::Skipped {
                id,
                reason: "empty (no text)".into(),
            },
            warnings,
        }));
    }
    let body = body.replace("\r\n", "\n");
    let date = date.map(|d| refine_date(d, &body));
    Ok(Some(Loaded {
        outcome: Outcome::Article(Article {
            id,
            date,
            title: rec.title,
            text: body,
            lang: opts.lang.clone().or(rec.lang),
            url: rec.url,
        }),
        warnings,
    }))
}

/// A JSON Lines input read a part at a time, so an archive of any size streams: each
/// [`JsonlReader::next_part`] reads lines up to a number of bytes. Lines are decoded
/// one by one (UTF-8, BOM dropped, else Windows-1252); a file that starts with a
/// UTF-16 byte-order mark is transcoded as it streams. A malformed line is skipped and
/// reported; one longer than [`MAX_LINE`] is skipped unread; an input whose first
/// block holds NUL bytes is binary, not JSON Lines, and is not read further.
pub struct JsonlReader {
    name: String,
    opts: ReadOptions,
    source: JsonlSource,
    /// Lines read so far.
    line: usize,
}

/// The longest JSON Lines record read (a longer line is skipped and reported, so an
/// endless line never fills the memory).
pub const MAX_LINE: u64 = 256 << 20;

enum JsonlSource {
    Lines(Box<dyn std::io::BufRead + Send>),
    /// Binary data: reported once, then done.
    Binary,
    Done,
}

/// UTF-16 (either byte order) to UTF-8, as a reader: a UTF-16 JSON Lines file streams
/// like a UTF-8 one. Unpaired surrogates become U+FFFD.
struct Utf16Reader {
    inner: Box<dyn std::io::Read + Send>,
    little_endian: bool,
    /// UTF-8 bytes decoded and not yet given out.
    out: std::collections::VecDeque<u8>,
    /// A high surrogate waiting for its pair.
    high: Option<u16>,
    done: bool,
}

impl Utf16Reader {
    fn unit(&mut self) -> std::io::Result<Option<u16>> {
        let mut b = [0u8; 2];
        let mut got = 0;
        while got < 2 {
            match self.inner.read(&mut b[got..])? {
                0 => return Ok(None),
                n => got += n,
            }
        }
        Ok(Some(if self.little_endian {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        }))
    }

    fn push(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.out.extend(c.encode_utf8(&mut buf).as_bytes());
    }
}

impl std::io::Read for Utf16Reader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.out.len() < buf.len() && !self.done {
            let Some(u) = self.unit()? else {
                if self.high.take().is_some() {
                    self.push(char::REPLACEMENT_CHARACTER);
                }
                self.done = true;
                break;
            };
            match (self.high.take(), u) {
                (Some(h), 0xDC00..=0xDFFF) => {
                    let c = 0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                    self.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                }
                (h, 0xD800..=0xDBFF) => {
                    if h.is_some() {
                        self.push(char::REPLACEMENT_CHARACTER);
                    }
                    self.high = Some(u);
                }
                (h, _) => {
                    if h.is_some() {
                        self.push(char::REPLACEMENT_CHARACTER);
                    }
                    self.push(char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER));
                }
            }
        }
        let n = buf.len().min(self.out.len());
        for (slot, b) in buf.iter_mut().zip(self.out.drain(..n)) {
            *slot = b;
        }
        Ok(n)
    }
}

impl JsonlReader {
    /// Opens `input` (a file, or standard input).
    pub fn open(input: &Input, opts: &ReadOptions) -> Result<JsonlReader, ArticleError> {
        let io_error = |source| ArticleError::Io {
            path: input.path(),
            source,
        };
        let reader: Box<dyn std::io::Read + Send> = match input {
            Input::File(p) => Box::new(std::fs::File::open(p).map_err(io_error)?),
            Input::Stdin => Box::new(std::io::stdin()),
        };
        JsonlReader::from_reader(input.name(), reader, opts).map_err(io_error)
    }

    /// Reads JSON Lines from `reader`, named `name` in messages.
    pub fn from_reader(
        name: String,
        mut reader: Box<dyn std::io::Read + Send>,
        opts: &ReadOptions,
    ) -> std::io::Result<JsonlReader> {
        use std::io::{BufRead, Read};
        // the first block, however the input delivers it (a pipe may give a byte at a
        // time): a byte-order mark tells UTF-16, NUL bytes binary data (as ripgrep
        // decides)
        let mut head = Vec::with_capacity(BLOCK as usize);
        (&mut reader).take(BLOCK).read_to_end(&mut head)?;
        let binary = is_binary(&head, &head);
        let lines: Box<dyn BufRead + Send> = if is_utf16(&head) {
            let little_endian = head.starts_with(&[0xFF, 0xFE]);
            let rest = std::io::Cursor::new(head.split_off(2)).chain(reader);
            let utf8 = Utf16Reader {
                // two bytes a unit: through a buffer, not a read call each
                inner: Box::new(std::io::BufReader::with_capacity(1 << 16, rest)),
                little_endian,
                out: Default::default(),
                high: None,
                done: false,
            };
            Box::new(std::io::BufReader::with_capacity(1 << 16, utf8))
        } else {
            let rest = std::io::Cursor::new(head).chain(reader);
            Box::new(std::io::BufReader::with_capacity(1 << 16, rest))
        };
        Ok(JsonlReader {
            name,
            opts: opts.clone(),
            source: if binary {
                JsonlSource::Binary
            } else {
                JsonlSource::Lines(lines)
            },
            line: 0,
        })
    }

    /// The records of the next lines, about `bytes` of them, and the errors met: each
    /// malformed line (skipped: the reading goes on), or an input that cannot be read
    /// or is binary (which ends it). `None` at the end.
    pub fn next_part(&mut self, bytes: usize) -> Option<(Vec<Loaded>, Vec<ArticleError>)> {
        use std::io::{BufRead, Read};
        let reader = match &mut self.source {
            JsonlSource::Done => return None,
            JsonlSource::Binary => {
                self.source = JsonlSource::Done;
                return Some((
                    Vec::new(),
                    vec![ArticleError::Jsonl {
                        source_name: self.name.clone(),
                        line: 1,
                        message: "binary data (NUL bytes), not JSON Lines: not read".into(),
                    }],
                ));
            }
            JsonlSource::Lines(r) => r,
        };
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let mut buf = Vec::new();
        let mut read = 0;
        while read < bytes {
            buf.clear();
            let n = match (&mut *reader).take(MAX_LINE).read_until(b'\n', &mut buf) {
                Ok(n) => n,
                Err(source) => {
                    self.source = JsonlSource::Done;
                    let path = PathBuf::from(&self.name);
                    errors.push(ArticleError::Io { path, source });
                    return Some((out, errors));
                }
            };
            if n == 0 {
                self.source = JsonlSource::Done;
                return (!out.is_empty() || !errors.is_empty()).then_some((out, errors));
            }
            read += n;
            self.line += 1;
            if n as u64 == MAX_LINE && buf.last() != Some(&b'\n') {
                // an overlong line: the rest of it is passed over, a buffer at a time
                let skipped = match reader.skip_until(b'\n') {
                    Ok(rest) => n as u64 + rest as u64,
                    Err(source) => {
                        self.source = JsonlSource::Done;
                        let path = PathBuf::from(&self.name);
                        errors.push(ArticleError::Io { path, source });
                        return Some((out, errors));
                    }
                };
                read += (skipped - n as u64) as usize;
                errors.push(ArticleError::Jsonl {
                    source_name: self.name.clone(),
                    line: self.line,
                    message: format!(
                        "a line of {} MB, longer than the {} MB a record may have: skipped",
                        skipped >> 20,
                        MAX_LINE >> 20
                    ),
                });
                continue;
            }
            let mut line = buf.strip_suffix(b"\n").unwrap_or(&buf);
            line = line.strip_suffix(b"\r").unwrap_or(line);
            if self.line == 1 {
                line = line.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(line);
                line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
            }
            let text = match std::str::from_utf8(line) {
                Ok(t) => std::borrow::Cow::Borrowed(t),
                Err(_) => std::borrow::Cow::Owned(decode_cp1252(line)),
            };
            match parse_jsonl_line(&self.name, self.line, &text, &self.opts) {
                Ok(loaded) => out.extend(loaded),
                Err(e) => errors.push(e),
            }
        }
        Some((out, errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_read_in_path_order_with_their_folders_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in [
            "b.txt",
            "a.txt",
            "a0.txt",
            "A.txt",
            "a/z.txt",
            "a/y/x.txt",
            "c.md",
        ] {
            let p = d.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "date 2019-09 x").unwrap();
        }
        let (inputs, errors) = expand_inputs(&[d.to_path_buf()], InputFormat::Text);
        assert!(errors.is_empty());
        let got: Vec<String> = inputs
            .iter()
            .map(|i| match i {
                Input::File(p) => p.strip_prefix(d).unwrap().display().to_string(),
                Input::Stdin => "-".into(),
            })
            .collect();
        // `Path` order: "a" (a folder, read where it stands) before "a.txt"
        assert_eq!(
            got,
            ["A.txt", "a/y/x.txt", "a/z.txt", "a.txt", "a0.txt", "b.txt"]
        );
    }

    fn article(bytes: &[u8]) -> (Article, Vec<String>) {
        let l = parse_text("a.txt", bytes, &ReadOptions::default());
        match l.outcome {
            Outcome::Article(a) => (a, l.warnings),
            Outcome::Skipped { reason, .. } => panic!("skipped: {reason}"),
        }
    }

    #[test]
    fn header_and_dateline() {
        let (a, w) = article(
            b" date 2019-09 Taliban vallen aan\n\n02 september 2019\n\n10u59\n\nDe taliban...",
        );
        assert_eq!(a.date.unwrap().to_string(), "2019-09-02");
        assert!(a.text.starts_with("Taliban vallen aan"));
        assert!(w.is_empty());
    }

    #[test]
    fn a_date_of_another_month_does_not_refine() {
        let (a, _) = article(b"date 2019-09 Text about 8 August 2019 only.");
        assert_eq!(a.date.unwrap().to_string(), "2019-09");
        let (a, _) = article(b"date 2019-09-05 On 8 September 2019, Taliban militants attacked.");
        assert_eq!(a.date.unwrap().to_string(), "2019-09-05");
        let (a, _) = article(b"date 2019-09 On 8 September 2019, Taliban militants attacked.");
        assert_eq!(a.date.unwrap().to_string(), "2019-09-08");
    }

    #[test]
    fn full_dates_in_both_orders() {
        let d: Vec<String> =
            full_dates("On September 8, 2019 and 02 september 2019 and 31 februari 2019")
                .iter()
                .map(|d| d.to_string())
                .collect();
        assert_eq!(d, ["2019-09-08", "2019-09-02"]);
    }

    #[test]
    fn bad_headers_and_no_headers_warn() {
        let (a, w) = article(b"date 2019-13 Something happened.");
        assert!(a.date.is_none());
        assert!(
            w[0].contains("a.txt:1:") && w[0].contains("impossible date"),
            "{w:?}"
        );
        let (a, w) = article(b"Just text, no header.");
        assert!(a.date.is_none());
        assert!(w[0].contains("no date header"), "{w:?}");
        let l = parse_text(
            "b.txt",
            b"Just text.",
            &ReadOptions {
                date: Some(PubDate::parse("2020-01-02").unwrap()),
                ..Default::default()
            },
        );
        assert!(l.warnings.is_empty());
    }

    #[test]
    fn encodings() {
        let (a, w) = article("\u{feff} date 2019-09 Kaboel\r\nTweede regel".as_bytes());
        assert_eq!(a.text, "Kaboel\nTweede regel");
        assert!(w.is_empty());
        let (a, w) = article(b"date 2019-09 Caf\xe9 in Kaboel \x93quoted\x94");
        assert_eq!(a.text, "Café in Kaboel “quoted”");
        assert!(w[0].contains("Windows-1252"));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "date 2019-09 Kunduz".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let (a, _) = article(&utf16);
        assert_eq!(a.text, "Kunduz");
    }

    #[test]
    fn empty_and_binary_are_skipped_with_a_reason() {
        for (bytes, why) in [(&b"  \n\t "[..], "empty"), (&b"abc\0def"[..], "binary")] {
            match parse_text("x.txt", bytes, &ReadOptions::default()).outcome {
                Outcome::Skipped { reason, .. } => assert!(reason.contains(why), "{reason}"),
                o => panic!("{o:?}"),
            }
        }
    }

    #[test]
    fn jsonl_records_and_errors() {
        let src = b"{\"id\": \"a1\", \"text\": \"Kunduz\", \"date\": \"2019-09-01\", \"lang\": \"nl\"}\n\n{\"id\": 7, \"text\": \"x\"}\n";
        let (v, errors) = parse_jsonl("in.jsonl", src, &ReadOptions::default());
        assert!(errors.is_empty());
        assert_eq!(v.len(), 2);
        match &v[1].outcome {
            Outcome::Article(a) => assert_eq!(a.id, "7"),
            o => panic!("{o:?}"),
        }
        let (v, errors) = parse_jsonl(
            "in.jsonl",
            b"{\"id\": \"a\", \"text\": \"x\"}\n{oops\n{\"id\": \"b\", \"text\": \"y\"}\n",
            &ReadOptions::default(),
        );
        assert_eq!(v.len(), 2, "the line after the malformed one is read");
        assert_eq!(errors.len(), 1);
        let e = errors[0].to_string();
        assert!(
            e.starts_with("in.jsonl:2: not a JSON article object"),
            "{e}"
        );
    }

    /// Every part `JsonlReader` reads of `bytes` (as a file), with parts of `part` bytes.
    fn jsonl_parts(bytes: &[u8], part: usize) -> Vec<(Vec<Loaded>, Vec<String>)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        std::fs::write(&path, bytes).unwrap();
        let mut r = JsonlReader::open(&Input::File(path), &ReadOptions::default()).unwrap();
        std::iter::from_fn(|| r.next_part(part))
            .map(|(v, e)| (v, e.iter().map(|e| e.to_string()).collect()))
            .collect()
    }

    fn record(i: usize) -> String {
        format!(
            "{{\"id\": \"a{i}\", \"text\": \"Bij een aanval op Kunduz vielen {i} doden.\", \"date\": \"2019-09-0{}\"}}",
            1 + i % 9
        )
    }

    #[test]
    fn a_json_lines_file_is_read_in_parts_as_it_reads_whole() {
        // a byte-order mark, blank lines and CRLF line ends
        let mut src = String::from("\u{feff}");
        for i in 0..60 {
            src += &record(i);
            src += if i % 7 == 0 { "\r\n\n" } else { "\n" };
        }
        let (whole, errors) = parse_jsonl("in.jsonl", src.as_bytes(), &ReadOptions::default());
        assert!(errors.is_empty());
        assert_eq!(whole.len(), 60);
        for part in [1, 300, 1 << 20] {
            let parts = jsonl_parts(src.as_bytes(), part);
            assert!(parts.iter().all(|(_, e)| e.is_empty()), "{parts:?}");
            let got: Vec<Loaded> = parts.iter().flat_map(|(v, _)| v.clone()).collect();
            assert_eq!(got, whole, "parts of {part} bytes");
            if part == 300 {
                assert!(parts.len() >= 10, "{} parts", parts.len());
            }
        }
    }

    #[test]
    fn a_malformed_json_line_is_skipped_and_the_reading_goes_on() {
        let mut src = String::new();
        for i in 0..40 {
            src += &if i == 29 {
                "{oops".to_string()
            } else {
                record(i)
            };
            src += "\n";
        }
        let parts = jsonl_parts(src.as_bytes(), 200);
        let errors: Vec<&String> = parts.iter().flat_map(|(_, e)| e).collect();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].contains("in.jsonl:30: not a JSON article object"),
            "{}",
            errors[0]
        );
        let records: usize = parts.iter().map(|(v, _)| v.len()).sum();
        assert_eq!(records, 39);
    }

    #[test]
    fn json_lines_are_decoded_line_by_line_and_utf16_as_it_streams() {
        let text = |l: &Loaded| match &l.outcome {
            Outcome::Article(a) => a.text.clone(),
            o => panic!("{o:?}"),
        };
        // a line in Windows-1252 does not turn the UTF-8 line before it into mojibake
        let mut src = record(1).replace("Kunduz", "Kunduz é").into_bytes();
        src.push(b'\n');
        let mut cp1252 = record(2).replace("Kunduz", "cafX").into_bytes();
        let x = cp1252.iter().position(|&b| b == b'X').unwrap();
        cp1252[x] = 0xE9;
        src.extend(cp1252);
        src.push(b'\n');
        let parts = jsonl_parts(&src, 1 << 20);
        assert!(text(&parts[0].0[0]).contains("Kunduz é"), "{parts:?}");
        assert!(text(&parts[0].0[1]).contains("café"), "{parts:?}");
        // UTF-16 (little-endian, with its mark) streams a line at a time, and
        // big-endian reads the same; a character beyond the BMP survives
        let lines = format!(
            "{}\n{}\n",
            record(3),
            record(4).replace("Kunduz", "Kunduz 𝔸")
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(lines.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(lines.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let parts = jsonl_parts(&utf16, 10);
        assert_eq!(parts.len(), 2);
        let (whole, errors) = parse_jsonl("in.jsonl", &utf16, &ReadOptions::default());
        assert!(errors.is_empty());
        assert_eq!(whole.len(), 2);
        assert!(text(&whole[1]).contains("Kunduz 𝔸"));
        assert_eq!(
            parse_jsonl("in.jsonl", &be, &ReadOptions::default()).0,
            whole
        );
        let got: Vec<Loaded> = parts.iter().flat_map(|(v, _)| v.clone()).collect();
        assert_eq!(got, whole);
        // from a pipe that gives one byte at a time, too
        struct OneByte(std::io::Cursor<Vec<u8>>);
        impl std::io::Read for OneByte {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(1);
                self.0.read(&mut buf[..n])
            }
        }
        let pipe = Box::new(OneByte(std::io::Cursor::new(utf16)));
        let mut r = JsonlReader::from_reader("-".into(), pipe, &ReadOptions::default()).unwrap();
        let mut got = Vec::new();
        while let Some((v, errors)) = r.next_part(10) {
            assert!(errors.is_empty(), "{errors:?}");
            got.extend(v);
        }
        assert_eq!(got, whole);
    }

    #[test]
    fn binary_input_is_recognised_from_its_first_block() {
        // text mode: NUL bytes end the reading at once, even of an endless input
        let mut zeros = std::io::Read::take(std::io::repeat(0), u64::MAX);
        assert_eq!(read_text(&mut zeros).unwrap(), None);
        let mut late = std::io::Cursor::new([vec![b'a'; 200_000], vec![0; 10]].concat());
        assert_eq!(read_text(&mut late).unwrap(), None);
        let mut text = std::io::Cursor::new(b"Kunduz".to_vec());
        assert_eq!(
            read_text(&mut text).unwrap().as_deref(),
            Some(&b"Kunduz"[..])
        );
        // JSON Lines: binary data is one error, and nothing more is read
        let endless = Box::new(std::io::Read::take(std::io::repeat(0), u64::MAX));
        let mut r =
            JsonlReader::from_reader("zero".into(), endless, &ReadOptions::default()).unwrap();
        let (v, errors) = r.next_part(1 << 20).unwrap();
        assert!(v.is_empty());
        assert!(errors[0].to_string().contains("binary"), "{errors:?}");
        assert!(r.next_part(1 << 20).is_none());
        // NUL bytes after a few bytes of text in the first block (a pipe that gives
        // two bytes first)
        struct TwoThenZeros(usize);
        impl std::io::Read for TwoThenZeros {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = if self.0 == 0 { 2 } else { buf.len().min(4096) };
                for (i, b) in buf[..n].iter_mut().enumerate() {
                    *b = if self.0 == 0 { b"{\""[i] } else { 0 };
                }
                self.0 += 1;
                Ok(n)
            }
        }
        let mut r = JsonlReader::from_reader(
            "pipe".into(),
            Box::new(TwoThenZeros(0)),
            &ReadOptions::default(),
        )
        .unwrap();
        let (_, errors) = r.next_part(1 << 20).unwrap();
        assert!(errors[0].to_string().contains("binary"), "{errors:?}");
    }
}
