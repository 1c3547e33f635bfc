//! Sentence splitting and tokens.
//!
//! A sentence ends at a line break, or at `.`, `!` or `?` followed by white space
//! (after any closing quotes or brackets) and then a capital, a digit, a quote or the
//! end of the text, unless the word before the period is an abbreviation of the
//! language or a single letter (an initial).

use rustc_hash::FxHashSet as HashSet;

/// A language's abbreviations (lowercase), with the length of the longest: a word
/// longer than that is no abbreviation, and is not looked up.
#[derive(Debug, Clone, Default)]
pub struct Abbreviations {
    words: HashSet<String>,
    longest: usize,
}

impl Abbreviations {
    /// The set of `words` (lowercase).
    pub fn new(words: impl IntoIterator<Item = String>) -> Self {
        let words: HashSet<String> = words.into_iter().collect();
        let longest = words.iter().map(String::len).max().unwrap_or(0);
        Abbreviations { words, longest }
    }

    fn contains(&self, word: &str) -> bool {
        word.len() <= self.longest && self.words.contains(word)
    }
}

use super::phrases::Token;

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']')
}

fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '„' | '‘' | '«' | '(' | '[')
}

/// The longest sentence read as one (bytes). Longer runs of text without a sentence end
/// (tables, feeds pasted without punctuation, a 50 MB line) are cut at white space
/// into pieces of about this size, so that the work per sentence stays bounded.
pub const MAX_SENTENCE: usize = 2000;

/// Byte spans of the sentences of `text` (trimmed, non-empty, at most about
/// [`MAX_SENTENCE`] bytes).
pub fn split(text: &str, abbreviations: &Abbreviations) -> Vec<(usize, usize)> {
    let spans = split_sentences(text, abbreviations);
    if spans.iter().all(|(s, e)| e - s <= MAX_SENTENCE) {
        return spans;
    }
    let mut out = Vec::with_capacity(spans.len());
    for (mut s, e) in spans {
        while e - s > MAX_SENTENCE {
            let mut cut = s + MAX_SENTENCE;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            // the last white space before the limit, else a hard cut (no word is
            // that long in running text)
            let cut = text[s..cut]
                .rfind(char::is_whitespace)
                .filter(|&i| i > MAX_SENTENCE / 2)
                .map_or(cut, |i| s + i);
            let piece = &text[s..cut];
            let trimmed = piece.trim_end();
            if !trimmed.is_empty() {
                out.push((s, s + trimmed.len()));
            }
            s = cut + (text[cut..].len() - text[cut..].trim_start().len());
        }
        if s < e {
            out.push((s, e));
        }
    }
    out
}

fn split_sentences(text: &str, abbreviations: &Abbreviations) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let push = |s: usize, e: usize, out: &mut Vec<(usize, usize)>| {
        let seg = &text[s..e];
        let (lead, trail) = white_space_ends(seg);
        if lead + trail < seg.len() {
            out.push((s + lead, e - trail));
        }
    };
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    // sentence ends are ASCII: find them by bytes (`memchr`, vectorised), decode only
    // around them; `!` is rare and looked up apart, its next position kept
    let mut bang = memchr::memchr(b'!', bytes);
    loop {
        if bang.is_some_and(|b| b < i) {
            bang = memchr::memchr(b'!', &bytes[i..]).map(|o| i + o);
        }
        let other = memchr::memchr3(b'\n', b'.', b'?', &bytes[i..]).map(|o| i + o);
        let pos = match (other, bang) {
            (Some(o), Some(b)) => o.min(b),
            (Some(o), None) => o,
            (None, Some(b)) => b,
            (None, None) => break,
        };
        let c = bytes[pos];
        i = pos + 1;
        if c == b'\n' {
            push(start, pos, &mut out);
            start = pos + 1;
            continue;
        }
        let rest = &text[pos + 1..];
        let closers = rest
            .chars()
            .take_while(|&ch| is_closer(ch))
            .map(char::len_utf8)
            .sum::<usize>();
        let end = pos + 1 + closers;
        let after = &text[end..];
        let followed_by_space = after.is_empty() || after.starts_with(char::is_whitespace);
        let next = after
            .trim_start_matches(|ch: char| ch.is_whitespace() && ch != '\n')
            .chars()
            .next();
        let next_ok = next.is_none_or(|ch| {
            ch == '\n' || ch.is_uppercase() || ch.is_ascii_digit() || is_opener(ch)
        });
        if followed_by_space && next_ok && (c != b'.' || !is_abbreviation(text, pos, abbreviations))
        {
            push(start, end, &mut out);
            start = end;
            i = end;
        }
    }
    push(start, text.len(), &mut out);
    out
}

/// The lengths of `seg`'s leading and trailing white space (`trim_start`,
/// `trim_end`): ASCII white space byte by byte, characters only past a non-ASCII byte.
/// All white space gives (len, len).
fn white_space_ends(seg: &str) -> (usize, usize) {
    let bytes = seg.as_bytes();
    let lead = bytes.iter().take_while(|&&b| is_ascii_space(b)).count();
    let lead = if bytes.get(lead).is_some_and(|&b| b >= 0x80) {
        seg.len() - seg.trim_start().len()
    } else {
        lead
    };
    if lead == seg.len() {
        return (lead, lead);
    }
    let trail = bytes
        .iter()
        .rev()
        .take_while(|&&b| is_ascii_space(b))
        .count();
    let trail = if bytes[..seg.len() - trail]
        .last()
        .is_some_and(|&b| b >= 0x80)
    {
        seg.len() - seg.trim_end().len()
    } else {
        trail
    };
    (lead, trail)
}

/// ASCII white space (what `char::is_whitespace` takes among ASCII bytes).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r')
}

/// An ASCII byte a word starts after: white space, an opening quote or bracket.
fn starts_word_after(b: u8) -> bool {
    is_ascii_space(b) || is_opener(char::from(b))
}

/// Where the last word of `before` starts (after its last white space or opening
/// quote or bracket), when that is found among ASCII bytes; `None` at a byte that is
/// not ASCII (the caller then decodes characters).
fn ascii_word_start(before: &[u8]) -> Option<usize> {
    for (k, &b) in before.iter().enumerate().rev() {
        if b >= 0x80 {
            return None;
        }
        if starts_word_after(b) {
            return Some(k + 1);
        }
    }
    Some(0)
}

/// Whether the word just before the period at `dot` is an abbreviation or an initial.
fn is_abbreviation(text: &str, dot: usize, abbreviations: &Abbreviations) -> bool {
    let before = &text[..dot];
    // the common case: the last bytes before the period are ASCII letters (no white
    // space, no opener) beyond the longest abbreviation and an initial's 4 bytes; the
    // word's lower case is at least that long, so it is neither
    let bound = abbreviations.longest.max(4) + 1;
    if let Some(tail) = before.as_bytes().get(before.len().saturating_sub(bound)..)
        && tail.len() == bound
        && tail.iter().all(|&b| b < 0x80 && !starts_word_after(b))
    {
        return false;
    }
    let word_start = ascii_word_start(before.as_bytes()).unwrap_or_else(|| {
        before
            .rfind(|c: char| c.is_whitespace() || is_opener(c))
            .map(|i| i + before[i..].chars().next().map_or(1, char::len_utf8))
            .unwrap_or(0)
    });
    let word = &before[word_start..];
    // an initial: one capital (a char is at most 4 bytes: longer words are not counted)
    if word.len() <= 4 && word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true;
    }
    if word.is_ascii() {
        // without capitals it is its own lower case (the common case)
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return abbreviations.contains(word);
        }
        // else lowercased on the stack when short (no allocation)
        let mut buf = [0u8; 16];
        if word.len() <= buf.len() {
            let lower = &mut buf[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            return std::str::from_utf8(lower).is_ok_and(|w| abbreviations.contains(w));
        }
    }
    abbreviations.contains(&word.to_lowercase())
}

/// The tokens of a whole text, in one pass: the article is tokenised once and its
/// sentences take their share ([`sentence_ranges`]).
pub use crate::normalize::{tokenize, tokenize_into};

/// The tokens of each sentence span (a whole text's tokens, in order): the range of
/// those inside it. The first token of each sentence is marked as having no barrier
/// before it: nothing before a sentence belongs to it.
pub fn sentence_ranges(
    toks: &mut [Token],
    spans: &[(usize, usize)],
) -> Vec<std::ops::Range<usize>> {
    let mut cursor = 0;
    spans
        .iter()
        .map(|&(start, end)| {
            while cursor < toks.len() && toks[cursor].start < start {
                cursor += 1;
            }
            let first = cursor;
            while cursor < toks.len() && toks[cursor].end <= end {
                cursor += 1;
            }
            if first < cursor {
                toks[first].barrier_before = false;
            }
            first..cursor
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_ends_are_those_of_trim() {
        for seg in [
            "",
            " ",
            " \t\n",
            "a",
            "  a b  ",
            "\u{a0}a\u{a0}",
            " \u{2003} a \u{3000} ",
            "\u{a0}",
            " \u{a0} ",
            "é ",
            " é",
            "\r\nx\x0B\x0C",
            "ééé",
        ] {
            let want = (
                seg.len() - seg.trim_start().len(),
                seg.len() - seg.trim_end().len(),
            );
            let want = if want.0 == seg.len() {
                (want.0, want.0)
            } else {
                want
            };
            assert_eq!(white_space_ends(seg), want, "{seg:?}");
        }
    }

    #[test]
    fn long_words_skip_the_abbreviation_look_up_with_the_same_result() {
        let words = ["dr", "o.a", "gen", "Kmdt", "ca"];
        let fast = Abbreviations::new(words.iter().map(|s| s.to_lowercase()));
        // no word is longer than this one's longest: every period is looked up
        let mut slow = fast.clone();
        slow.longest = usize::MAX / 2;
        let text = "Gen. Miller sprak. De generaal. Dr. Ahmadi en Kmdt. Nazari kwamen. \
                    Volgens o.a. de politie. J. Smith zei: \"Gen. Dostum\". Ca. 10 doden. \
                    KMDT. Zaki. \u{212a}mdt. Zaki. Vóórdat. Het eind. (Gen. Raziq.) \
                    Aanvallenzijnvoorbij. Nu. A. En É. Zo. Taliban. Rust.";
        for dot in text.match_indices('.').map(|(i, _)| i) {
            assert_eq!(
                is_abbreviation(text, dot, &fast),
                is_abbreviation(text, dot, &slow),
                "at {dot}: {:?}",
                &text[..dot]
            );
        }
        assert_eq!(split(text, &fast), split(text, &slow));
    }

    #[test]
    fn ascii_word_starts_are_those_of_the_characters() {
        let reference = |before: &str| {
            before
                .rfind(|c: char| c.is_whitespace() || is_opener(c))
                .map(|i| i + before[i..].chars().next().map_or(1, char::len_utf8))
                .unwrap_or(0)
        };
        for before in [
            "",
            "dr",
            "zegt dr",
            "(gen",
            "[o.a",
            "\"Mr",
            "'t",
            "a\tb",
            "a\x0Bb",
            "a\x0Cb",
            "x\ry",
            "line\nnext",
            "„Dr",
            "vóór dr",
            "«gen",
            "a\u{a0}b",
            "a\u{2003}b",
            "12.000",
        ] {
            let want = reference(before);
            match ascii_word_start(before.as_bytes()) {
                Some(got) => assert_eq!(got, want, "{before:?}"),
                None => assert!(!before.is_ascii(), "{before:?}"),
            }
        }
        // every ASCII byte before a word
        for b in 0u8..0x80 {
            let before = format!("ab{}cd", char::from(b));
            assert_eq!(
                ascii_word_start(before.as_bytes()),
                Some(reference(&before)),
                "{b}"
            );
        }
    }

    fn sentences(text: &str) -> Vec<&str> {
        let abbr = Abbreviations::new(["dr", "o.a", "gen"].iter().map(|s| s.to_string()));
        let _ = &abbr;
        split(text, &abbr)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn splits_on_periods_lines_and_quotes() {
        assert_eq!(
            sentences(
                "Er zouden 56 strijders gedood zijn. Aan de kant van het leger zijn 20.000 soldaten. „Ze zijn weg.” Zegt hij.\nKop\n\nTekst"
            ),
            [
                "Er zouden 56 strijders gedood zijn.",
                "Aan de kant van het leger zijn 20.000 soldaten.",
                "„Ze zijn weg.”",
                "Zegt hij.",
                "Kop",
                "Tekst"
            ]
        );
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(
            sentences("Gen. Miller said so. J. Smith agreed."),
            ["Gen. Miller said so.", "J. Smith agreed."]
        );
        assert_eq!(sentences("in 2019. 3 killed"), ["in 2019.", "3 killed"]);
        assert_eq!(sentences("The U.S. forces left"), ["The U.S. forces left"]);
    }

    #[test]
    fn text_without_sentence_ends_is_cut_into_bounded_pieces() {
        let long = "word ".repeat(2000) + "é".repeat(3000).as_str();
        let spans = split(&long, &Abbreviations::default());
        assert!(spans.len() >= 5, "{}", spans.len());
        let mut joined = String::new();
        for &(s, e) in &spans {
            assert!(e - s <= MAX_SENTENCE && s < e);
            assert_eq!(long[s..e].trim(), &long[s..e]);
            joined.push_str(&long[s..e]);
        }
        // nothing lost but the white space at the cuts
        let no_space = |t: &str| t.split_whitespace().collect::<String>();
        assert_eq!(no_space(&joined), no_space(&long));
    }
}
