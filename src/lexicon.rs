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
#[serde(default, deny_unknown_fields)]
pub struct Transliteration {
    /// Rewrites, as `[from, to]` pairs.
    pub rewrite: Vec<Rewrite>,
    /// Linking particles between parts of a name (the ezafe: Pol-e Khomri); only in
    /// `common.toml`.
    pub connectors: Vec<String>,
}

/// Generic words around a place name, by the kind of place they tell.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
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

/// An event trigger: a phrase and the ACLED type it signals.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// The phrase (words separated by spaces; `word*` matches any ending).
    pub phrase: String,
    /// ACLED event type, or `killing` for a bare killing (typed by its victims).
    #[serde(rename = "type")]
    pub event_type: String,
    /// ACLED sub-event type.
    #[serde(default)]
    pub sub_type: String,
    /// How specific the trigger is: the most specific trigger of an event sets its type.
    #[serde(default = "one")]
    pub weight: u8,
}

fn one() -> u8 {
    1
}

/// A phrase naming an actor.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorPhrase {
    /// The phrase (`=IS` matches the text's own spelling, case-sensitively).
    pub phrase: String,
    /// The normalised actor name.
    pub actor: String,
    /// `state`, `rebel`, `external`, `militia`, `civilians`.
    pub category: String,
}

/// A relative date expression and the days it means, relative to publication.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelativeDate {
    /// The phrase.
    pub phrase: String,
    /// Days before (negative) or after publication: `[from, to]`.
    #[serde(default)]
    pub days: Option<[i32; 2]>,
    /// The weekend of this week (0) or the previous one (-1).
    #[serde(default)]
    pub weekend: Option<i32>,
    /// This week (0, Monday to publication) or the previous one (-1).
    #[serde(default)]
    pub week: Option<i32>,
    /// Whole months relative to the publication month: `[from, to]`.
    #[serde(default)]
    pub months: Option<[i32; 2]>,
}

/// Words for dates.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DateWords {
    /// Month names, January first (several spellings may share a month: `["jan", 1]`
    /// pairs in `month_abbreviations`).
    pub months: Vec<String>,
    /// Short month names with their number.
    pub month_abbreviations: Vec<(String, u32)>,
    /// Weekday names, Monday first; compounds (zondagochtend) match by prefix.
    pub weekdays: Vec<String>,
    /// Relative expressions (yesterday, this weekend, last week).
    pub relative: Vec<RelativeDate>,
    /// Words for the day last named ("that day", "die dag"): a sentence with one and
    /// no date of its own has the date of the article's last dated sentence.
    pub same_day: Vec<String>,
    /// Words for the day after the one last named ("the following day", "de volgende
    /// dag").
    pub next_day: Vec<String>,
    /// Whether the language writes month names with a capital (English "May"): a
    /// month word in lower case is then another word ("may", "march").
    pub capitalised_months: bool,
}

/// Words for numbers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NumberWords {
    /// Number words and their values (units, tens, hundred, thousand).
    pub words: Vec<(String, u64)>,
    /// Words that join parts of a number (Dutch "en" in eenentwintig, English "and").
    pub joiners: Vec<String>,
    /// Vague quantities: `[phrase, low, high]` (tientallen: 12 as ACLED codes it).
    pub vague: Vec<(String, u64, u64)>,
    /// "at least": the count has no upper bound.
    pub at_least: Vec<String>,
    /// "more than": the count is one more than the number, with no upper bound.
    pub more_than: Vec<String>,
    /// "about": the count is approximate.
    pub about: Vec<String>,
    /// "among the victims": the count may be part of another (adds to the high only).
    pub among: Vec<String>,
    /// Plural words for places ("districts", "districten"): a number of them ("three
    /// other districts in Uruzgan and Badghis") tells of places left unnamed, and the
    /// provinces named with them are no places of events.
    #[serde(default)]
    pub unit_plurals: Vec<String>,
    /// Words between a number and whom it counts ("14 members of the Afghan army",
    /// "vijf van de aanvallers"): the victim noun or the actor follows them.
    #[serde(default)]
    pub partitive: Vec<String>,
    /// Units of distance and their length in km (kilometer = 1, mile = 1.609).
    pub distance_units: Vec<(String, f64)>,
    /// Words that make a distance one between places ("bij elkaar vandaan", "apart").
    pub apart: Vec<String>,
}

/// Nouns for the people a count is of.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VictimWords {
    /// Fighters of a non-state group (strijders, militants).
    pub combatants: Vec<String>,
    /// Soldiers and police.
    pub forces: Vec<String>,
    /// Civilians.
    pub civilians: Vec<String>,
    /// People of no stated side (mensen, people).
    pub people: Vec<String>,
    /// Nouns for one civilian (journalist, vrouw): a killing without a number is 1.
    pub singular_civilians: Vec<String>,
    /// Nouns for one soldier or police officer.
    pub singular_forces: Vec<String>,
    /// Nouns for one fighter or commander.
    pub singular_combatants: Vec<String>,
    /// Nouns for one person of no stated side ("een dode", "one person").
    #[serde(default)]
    pub singular_people: Vec<String>,
}

/// Words that change what a sentence reports.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Markers {
    /// A death (gedood, killed).
    pub death: Vec<String>,
    /// Possible deaths counted only in the high figure (slachtoffers, casualties).
    pub casualties: Vec<String>,
    /// An injury (gewond, injured): counts near it are not deaths.
    pub injury: Vec<String>,
    /// Taken prisoner (gevangen, captured): counts near it are not deaths.
    pub capture: Vec<String>,
    /// A party's claim (claimen, claimed): its counts go to fatalities_claimed.
    pub claim: Vec<String>,
    /// What a claim of responsibility claims ("claimed responsibility", "eiste de
    /// verantwoordelijkheid op"): such a claim is not one of the toll.
    #[serde(default)]
    pub responsibility: Vec<String>,
    /// Reported speech (volgens, said): a claim when tied to a non-state actor.
    pub speech: Vec<String>,
    /// Speech words naming their speaker after them ("according to X", "volgens X"):
    /// a party before one is not the speaker.
    #[serde(default)]
    pub attribution: Vec<String>,
    /// Habitual or general statements (actief, vaak, in recent years): not events.
    pub generic: Vec<String>,
    /// Words opening a relative clause after a comma (", where", ", waar"): a habit
    /// told inside one ("Ghazni city, where the two sides frequently clash") is the
    /// place's, not the sentence's.
    #[serde(default)]
    pub relative_clause: Vec<String>,
    /// History (destijds): not events.
    pub history: Vec<String>,
    /// Hypothetical or feared (zou kunnen, threatened): not events.
    pub hypothetical: Vec<String>,
    /// Talks, agreements, ceasefires, visits: places near them are not event places.
    pub non_event: Vec<String>,
    /// Phrases that only situate a place (bij de grens met X): X refines, not an event.
    pub situating: Vec<String>,
    /// Institutions located at a place (regering in X): X is not the event's place.
    pub institution: Vec<String>,
    /// Where people travel from or to ("travelling from X to Y", "op weg naar X",
    /// "moved closer to X"): such a place is no place of the event.
    #[serde(default)]
    pub movement: Vec<String>,
    /// Words before a place name that make it a location (in, op, near).
    pub locative: Vec<String>,
    /// Articles ("a", "the", "een", "de"): one opening an apposition with a place word
    /// ("Ishkimish, a district in Takhar") makes the name before it a place.
    #[serde(default)]
    pub articles: Vec<String>,
    /// Capitalised words that are not places (nationalities, titles).
    pub not_places: Vec<String>,
    /// Words that make an event like one told before ("another, similar attack", "een
    /// soortgelijke aanslag"): a report typed only by a generic word takes the type of
    /// the article's last report of a specific one.
    pub similar: Vec<String>,
    /// Words that make a sentence's event another one than those told before at its
    /// place ("Earlier on Monday, two bombs went off in Kabul", "eerder deze week"):
    /// it starts a report of its own.
    pub separate: Vec<String>,
    /// Words that continue a series of events of one kind ("It was followed by
    /// Sheberghan", "Then came Kunduz"): a sentence with one and no trigger reports,
    /// at each place it names, an event like the article's last report.
    #[serde(default)]
    pub series: Vec<String>,
}

/// Sentence splitting.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SentenceWords {
    /// Abbreviations whose period does not end a sentence.
    pub abbreviations: Vec<String>,
}

/// Events, actors, counts and dates of one language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventWords {
    /// Event triggers.
    pub triggers: Vec<Trigger>,
    /// Actors.
    pub actors: Vec<ActorPhrase>,
    /// Separable verbs: a verb form whose particle ends the clause ("vielen ... aan").
    pub separable: Vec<Separable>,
}

/// A separable verb (Dutch "aanvallen": "Strijders vielen zondag een basis aan"): one
/// of `verbs`, with `particle` as the last word of its clause, reads as `trigger`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Separable {
    /// The verb's forms without the particle (viel, vielen, valt).
    pub verbs: Vec<String>,
    /// The particle (aan, om, op).
    pub particle: String,
    /// The phrase of a trigger of the same lexicon that the whole verb means.
    pub trigger: String,
    /// Whether the verb also says that people died (omkomen, ombrengen).
    #[serde(default)]
    pub death: bool,
}

/// One language's lexicon.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// Frequent words, for telling languages apart.
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// The language's most frequent words (`data/lexicon/frequent/LANG.txt`, from
    /// wordfreq): a capitalised one is a word before it is a place name.
    #[serde(skip)]
    pub frequent: Vec<String>,
    /// Sentence splitting.
    #[serde(default)]
    pub sentences: SentenceWords,
    /// Event triggers.
    #[serde(default)]
    pub events: EventWords,
    /// Victim nouns.
    #[serde(default)]
    pub victims: VictimWords,
    /// Numbers.
    #[serde(default)]
    pub numbers: NumberWords,
    /// Dates.
    #[serde(default)]
    pub dates: DateWords,
    /// Sentence markers.
    #[serde(default)]
    pub markers: Markers,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
            let mut lex =
                Lexicons::from_files(embedded::EMBEDDED).expect("embedded lexicons are valid");
            lex.add_frequent(embedded::FREQUENT);
            lex
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
                // a separable verb reads as a trigger of the same file
                if let Some(v) = l
                    .events
                    .separable
                    .iter()
                    .find(|v| !l.events.triggers.iter().any(|t| t.phrase == v.trigger))
                {
                    return Err(LexiconError::Parse {
                        file: file.to_string(),
                        message: format!(
                            "separable verb {:?} ... {:?} names no trigger phrase {:?}",
                            v.verbs.first().map(String::as_str).unwrap_or(""),
                            v.particle,
                            v.trigger
                        ),
                    });
                }
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

    /// Adds frequent-word lists, given as (language code, text: a word a line, `#`
    /// comments), to the lexicons of their languages.
    pub fn add_frequent(&mut self, lists: &[(&str, &str)]) {
        for (code, text) in lists {
            if let Some(l) = self.languages.iter_mut().find(|l| l.language == *code) {
                l.frequent.extend(
                    text.lines()
                        .map(str::trim)
                        .filter(|w| !w.is_empty() && !w.starts_with('#'))
                        .map(str::to_owned),
                );
            }
        }
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
        assert!(nl.stopwords.contains(&"het".to_string()));
        assert!(nl.events.actors.iter().any(|a| a.actor == "Taliban"));
        assert!(
            nl.events
                .triggers
                .iter()
                .any(|t| t.phrase == "luchtaanval*")
        );
        assert_eq!(nl.dates.months.len(), 12);
        assert_eq!(nl.dates.weekdays.len(), 7);
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
    fn a_misplaced_key_is_an_error() {
        let err = Lexicons::from_files(&[
            ("common.toml", "[transliteration]\nrewrite = []\n"),
            (
                "xx.toml",
                "language = \"xx\"\n[place_words]\nstopwords = [\"a\"]\n",
            ),
        ])
        .unwrap_err();
        assert!(
            err.to_string().contains("unknown field `stopwords`"),
            "{err}"
        );
    }

    #[test]
    fn a_separable_verb_must_name_a_trigger_of_its_file() {
        let lexicon = |trigger: &str| {
            format!(
                "language = \"xx\"\n[events]\ntriggers = [{{ phrase = \"aanvallen\", type = \"Battles\" }}]\n\
                 separable = [{{ verbs = [\"vielen\"], particle = \"aan\", trigger = \"{trigger}\" }}]\n"
            )
        };
        let common = ("common.toml", "[transliteration]\nrewrite = []\n");
        let good = lexicon("aanvallen");
        assert!(Lexicons::from_files(&[common, ("xx.toml", good.as_str())]).is_ok());
        let bad = lexicon("aanvalen");
        let err = Lexicons::from_files(&[common, ("xx.toml", bad.as_str())]).unwrap_err();
        assert!(
            err.to_string().contains("xx.toml") && err.to_string().contains("\"aanvalen\""),
            "{err}"
        );
    }

    #[test]
    fn common_is_required() {
        assert!(matches!(
            Lexicons::from_files(&[("en.toml", "language = \"en\"\n")]),
            Err(LexiconError::NoCommon)
        ));
    }
}
