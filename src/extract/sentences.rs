//! Sentence splitting and tokens.
//!
//! A sentence ends at a line break, or at `.`, `!` or `?` followed by white space
//! (after any closing quotes or brackets) and then a capital, a digit, a quote or the
//! end of the text, unless the word before the period is an abbreviation of the
//! language or a single letter (an initial).

use std::collections::HashSet;

use super::phrases::Token;
use crate::normalize::{Piece, fold_pieces};

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']')
}

fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '„' | '‘' | '«' | '(' | '[')
}

/// Byte spans of the sentences of `text` (trimmed, non-empty).
pub fn split(text: &str, abbreviations: &HashSet<String>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let push = |s: usize, e: usize, out: &mut Vec<(usize, usize)>| {
        let seg = &text[s..e];
        let lead = seg.len() - seg.trim_start().len();
        let trail = seg.len() - seg.trim_end().len();
        if lead + trail < seg.len() {
            out.push((s + lead, e - trail));
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if c == '\n' {
            push(start, pos, &mut out);
            start = pos + 1;
            i += 1;
            continue;
        }
        if matches!(c, '.' | '!' | '?') {
            let mut j = i + 1;
            while j < chars.len() && is_closer(chars[j].1) {
                j += 1;
            }
            let end = chars.get(j).map(|x| x.0).unwrap_or(text.len());
            let followed_by_space = j >= chars.len() || chars[j].1.is_whitespace();
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() && chars[k].1 != '\n' {
                k += 1;
            }
            let next_ok = k >= chars.len()
                || chars[k].1 == '\n'
                || chars[k].1.is_uppercase()
                || chars[k].1.is_ascii_digit()
                || is_opener(chars[k].1);
            if followed_by_space
                && next_ok
                && (c != '.' || !is_abbreviation(text, pos, abbreviations))
            {
                push(start, end, &mut out);
                start = end;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    push(start, text.len(), &mut out);
    out
}

/// Whether the word just before the period at `dot` is an abbreviation or an initial.
fn is_abbreviation(text: &str, dot: usize, abbreviations: &HashSet<String>) -> bool {
    let before = &text[..dot];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || is_opener(c))
        .map(|i| i + before[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let word = &before[word_start..];
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true;
    }
    abbreviations.contains(&word.to_lowercase())
}

/// The tokens of `text[start..end]`, with spans in `text`.
pub fn tokens(text: &str, start: usize, end: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let mut barrier = false;
    fold_pieces(&text[start..end], |p| match p {
        Piece::Token {
            text: t,
            start: s,
            end: e,
        } => {
            out.push(Token {
                folded: t.to_string(),
                start: start + s,
                end: start + e,
                barrier_before: barrier,
            });
            barrier = false;
        }
        Piece::Barrier => barrier = true,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        let abbr: HashSet<String> = ["dr", "o.a", "gen"].iter().map(|s| s.to_string()).collect();
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
}
