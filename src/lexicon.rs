//! Language lexicons: every language-specific word clashmap knows, read from the TOML
//! files in `data/lexicon/` (embedded at build time, see `build.rs`).
//!
//! `common.toml` holds the language-independent transliteration equivalences of
//! Dari/Pashto names; each other file (`nl.toml`, `en.toml`, ...) is one language: how
//! its press transliterates, and the generic words around place names ("provincie",
//! "district", "de hoofdstad van"). Adding a language is adding a file.

use std::sync::OnceLock;

use serde::Deserialize;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/lexicons.rs"));
}

/// A lexicon file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// The file is not valid TOML or does not have the expected fields.
    #[error("lexicon {file}: {message}")]
    Parse {
        /// The file name.
        file: String,
        /// What is wrong, with line and column.
        message: String,
    },
    /// `common.toml` is missing.
    #[error("no common.toml among the lexicon files")]
    NoCommon,
}

/// A rewrite rule: text spelled `from` is read as `to`.
pub type Rewrite = (String, String);

/// Transliteration rules of one lexicon file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Transliteration {
    /// Rewrites, as `[from, to]` pairs.
    pub rewrite: Vec<Rewrite>,
    /// Linking particles between parts of a name (the ezafe: Pol-e Khomri); only in
    /// `common.toml`.
    pub connectors: Vec<String>,
}

/// Generic words around a place name, by the kind of place they tell.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PlaceWords {
    /// "provincie", "province of".
    pub province: Vec<String>,
    /// "district".
    pub district: Vec<String>,
    /// "stad", "the city of".
    pub city: Vec<String>,
    /// "dorp", "village".
    pub village: Vec<String>,
    /// "land", "country".
    pub country: Vec<String>,
    /// "de hoofdstad van": the capital of the province that follows.
    pub capital_of: Vec<String>,
}

/// One language's lexicon.
#[derive(Debug, Clone, Deserialize)]
pub struct Lexicon {
    /// ISO 639-1 code (`nl`, `en`).
    pub language: String,
    /// The language's own name.
    #[serde(default)]
    pub name: String,
    /// How this language's press transliterates Dari/Pashto names.
    #[serde(default)]
    pub transliteration: Transliteration,
    /// Generic words around place names.
    #[serde(default)]
    pub place_words: PlaceWords,
}

#[derive(Debug, Clone, Deserialize)]
struct CommonFile {
    #[serde(default)]
    transliteration: Transliteration,
}

/// All lexicons: the common rules and one entry per language.
#[derive(Debug, Clone)]
pub struct Lexicons {
    /// Language-independent transliteration rules (`common.toml`).
    pub common: Transliteration,
    /// The languages, sorted by code.
    pub languages: Vec<Lexicon>,
}

impl Lexicons {
    /// The lexicons embedded in the binary (parsed once).
    ///
    /// # Panics
    /// Never at run time for a released binary: the embedded files are checked by the
    /// unit tests of this module.
    pub fn embedded() -> &'static Lexicons {
        static LEX: OnceLock<Lexicons> = OnceLock::new();
        LEX.get_or_init(|| {
            Lexicons::from_files(embedded::EMBEDDED).expect("embedded lexicons are valid")
        })
    }

    /// Parses lexicon files given as (file name, text); `common.toml` is required.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Lexicons, LexiconError> {
        let mut common = None;
        let mut languages = Vec::new();
        for (file, text) in files {
            let err = |e: toml::de::Error| LexiconError::Parse {
                file: file.to_string(),
                message: e.to_string().trim_end().replace('\n', " "),
            };
            if *file == "common.toml" {
                let c: CommonFile = toml::from_str(text).map_err(err)?;
                common = Some(c.transliteration);
            } else {
                let mut l: Lexicon = toml::from_str(text).map_err(err)?;
                for w in l.place_words.all_mut() {
                    for s in w.iter_mut() {
                        *s = s.to_lowercase();
                    }
                }
                languages.push(l);
            }
        }
        languages.sort_by(|a, b| a.language.cmp(&b.language));
        Ok(Lexicons {
            common: common.ok_or(LexiconError::NoCommon)?,
            languages,
        })
    }

    /// The lexicon of a language code, if there is one.
    pub fn get(&self, language: &str) -> Option<&Lexicon> {
        self.languages.iter().find(|l| l.language == language)
    }
}

impl PlaceWords {
    fn all_mut(&mut self) -> [&mut Vec<String>; 6] {
        [
            &mut self.province,
            &mut self.district,
            &mut self.city,
            &mut self.village,
            &mut self.country,
            &mut self.capital_of,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lexicons_parse_and_include_dutch_and_english() {
        let lex = Lexicons::embedded();
        assert!(lex.get("nl").is_some());
        assert!(lex.get("en").is_some());
        assert!(lex.common.connectors.contains(&"e".to_string()));
        let nl = lex.get("nl").unwrap();
        assert!(nl.place_words.province.contains(&"provincie".to_string()));
        assert!(
            nl.transliteration
                .rewrite
                .contains(&("oe".into(), "u".into()))
        );
    }

    #[test]
    fn a_broken_lexicon_names_the_file_and_line() {
        let err = Lexicons::from_files(&[
            ("common.toml", "[transliteration]\nrewrite = []\n"),
            ("xx.toml", "language = \"xx\"\n[place_words\n"),
        ])
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("lexicon xx.toml:"), "{msg}");
        assert!(msg.contains("line 2"), "{msg}");
    }

    #[test]
    fn common_is_required() {
        assert!(matches!(
            Lexicons::from_files(&[("en.toml", "language = \"en\"\n")]),
            Err(LexiconError::NoCommon)
        ));
    }
}
