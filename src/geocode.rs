//! Geocoding: from a name as a reporter wrote it to a gazetteer place.
//!
//! A [`Geocoder`] indexes every name of a [`Gazetteer`] four ways, from strict to loose:
//! the folded canonical name ([`MatchKind::Exact`]), folded alternate names
//! ([`MatchKind::Alternate`]), transliteration keys ([`MatchKind::Transliteration`], see
//! `normalize`), and consonant skeletons ([`MatchKind::Approximate`], only when nothing
//! closer matches). Generic words around a name ("provincie Baghlan", "Imam Sahib
//! district", "de hoofdstad van Kunduz", from the lexicons) are stripped and tell the
//! kind of place meant.
//!
//! Choosing among candidates: the kind the context gives; else a populated place when
//! it is the capital of a same-named province (Kunduz, Kabul), else the province
//! (Baghlan); then the document's focus country, the match tier, the feature rank and
//! the population. A result with other candidates says [`GeocodeStatus::Ambiguous`] and
//! lists them.
//!
//! [`Scanner::scan`] finds every gazetteer name in a text in one pass: the words of
//! the text are keyed (with a cache, as news repeats its words) and looked up in the
//! vocabulary of name words; the text becomes its name words (by id), each marked
//! when a word in no name or punctuation stands before it, and a trie of all name
//! keys over their words' ids, built once, finds the names among them,
//! leftmost-longest and on word boundaries by construction. A text's other words are
//! not looked at again.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::gazetteer::{Gazetteer, Place, PlaceKind};
use crate::lexicon::Lexicons;
use crate::normalize::{
    KeyScratch, Keyer, Piece, RECENT_BITS, Token, Vocab, WordTable, edit_distance, fold,
    fold_pieces, pack_word, recent_slot, skeleton,
};

/// How a name matched a place, from strict to loose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// The place's own name (or its ASCII form), up to case, diacritics and hyphens.
    Exact,
    /// One of the place's alternate names.
    Alternate,
    /// The same transliteration key (Pul-e-Chomri = Pol-e Khomri).
    Transliteration,
    /// The same consonant skeleton: a loose match, to be checked.
    Approximate,
    /// Not in the gazetteer: the place is the district, province or city the text
    /// names as holding it ("Moghol village of Darzab": Darzab).
    Container,
}

impl MatchKind {
    /// The lowercase name used in tables and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Alternate => "alternate",
            MatchKind::Transliteration => "transliteration",
            MatchKind::Approximate => "approximate",
            MatchKind::Container => "container",
        }
    }
}

/// Whether a geocoded name had one reading or several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GeocodeStatus {
    /// One place fits.
    Resolved,
    /// A place was chosen, but others fit too (listed in the result).
    Ambiguous,
}

/// The kind of place the words around a name ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KindHint {
    /// "provincie X", "X province".
    Province,
    /// "district X".
    District,
    /// "de stad X", "the city of X".
    City,
    /// "het dorp X", "X village".
    Village,
    /// "het land X".
    Country,
    /// "de hoofdstad van X": the capital of province X.
    CapitalOf,
}

impl KindHint {
    /// Whether a place of `kind` is what the hint asks for.
    pub fn accepts(self, kind: PlaceKind) -> bool {
        match self {
            KindHint::Province | KindHint::CapitalOf => kind == PlaceKind::Province,
            KindHint::District => kind == PlaceKind::District,
            KindHint::City => kind.is_populated(),
            KindHint::Village => kind.is_populated(),
            KindHint::Country => kind == PlaceKind::Country,
        }
    }
}

/// Options for resolving a name.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions<'a> {
    /// The text's language (for its press transliteration); `None` tries every language.
    pub lang: Option<&'a str>,
    /// The country the document is about (ISO code), preferred for shared names.
    pub focus_country: Option<&'a str>,
    /// A kind the caller already knows from context (overrides words in the name).
    pub hint: Option<KindHint>,
}

/// A name resolved to a place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolution {
    /// Index of the place in the gazetteer.
    pub place: usize,
    /// How the name matched.
    pub match_kind: MatchKind,
    /// Resolved or ambiguous.
    pub status: GeocodeStatus,
    /// The kind the context words asked for, if any.
    pub hint: Option<KindHint>,
    /// ACLED geo-precision: 1 town, 2 district, 3 province.
    pub geo_precision: u8,
    /// Other candidates (gazetteer indices), best first, at most 5.
    pub alternatives: Vec<usize>,
}

/// A name that matched nothing.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("no place named {query:?}{}", suggest_text(.suggestions))]
pub struct NotFound {
    /// The name asked for.
    pub query: String,
    /// The closest names (by edit distance on the normalised key), best first.
    pub suggestions: Vec<String>,
}

fn suggest_text(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; closest: {}", s.join(", "))
    }
}

/// A place name found in a text by [`Scanner::scan`].
#[derive(Debug, Clone, PartialEq)]
pub struct NameMatch<'g> {
    /// Byte offset of the name in the text.
    pub start: usize,
    /// Byte offset just after the name.
    pub end: usize,
    /// Candidate places (gazetteer indices).
    pub candidates: &'g [u32],
    /// The candidates' countries: (country number, how many candidates, in the
    /// order the candidates first name them); see [`Geocoder::scan_country`].
    pub countries: &'g [(u32, u32)],
}

/// The name automaton: the vocabulary of name words and a trie of the name keys over
/// their ids, a deterministic automaton over words (see the module doc).
struct NameAutomaton {
    /// Key of a name word -> its id (1-based).
    vocab: FxHashMap<Box<[u8]>, u32>,
    /// The trie's first step: name word id -> node (0: no name starts so).
    first: Vec<u32>,
    /// The trie's further steps: (node, name word id) -> node.
    next: FxHashMap<(u32, u32), u32>,
    /// The pattern (name key) each node completes, [`NO_PATTERN`] for none.
    ends: Vec<u32>,
    /// Candidate places of each pattern.
    candidates: Vec<Vec<u32>>,
    /// The countries of each pattern's candidates (see [`NameMatch::countries`]).
    countries: Vec<Box<[(u32, u32)]>>,
    /// Country codes by country number.
    country_codes: Vec<String>,
}

/// A trie node that completes no name key.
const NO_PATTERN: u32 = u32::MAX;

/// Marks a folded word that is a connector (ezafe), skipped like in names.
const CONNECTOR: u32 = u32::MAX;
/// Largest vocabulary of name words (the trie's first step is a table by word id);
/// names with words beyond it are not scanned for.
const MAX_VOCAB: u32 = 127 << 14;

/// A name word of an encoded text ([`Scanner::encode`]).
#[derive(Debug, Clone, Copy)]
struct NameWord {
    /// Its name word id.
    id: u32,
    /// Its span in the text.
    start: u32,
    end: u32,
    /// Only connectors stand between it and the name word before: a name may run on.
    joined: bool,
}

/// Resolves names against a gazetteer (see the module doc).
pub struct Geocoder {
    gazetteer: Gazetteer,
    keyer: Keyer,
    exact: FxHashMap<String, Vec<u32>>,
    alternate: FxHashMap<String, Vec<u32>>,
    translit: FxHashMap<String, Vec<u32>>,
    skeletons: FxHashMap<String, Vec<u32>>,
    /// (folded words, hint), longest first.
    place_words: Vec<(Vec<String>, KindHint)>,
    /// The same phrases by their first word (indices into `place_words`).
    place_words_by_first: FxHashMap<String, Vec<usize>>,
    /// Province entries by (country, admin1 code).
    provinces: FxHashMap<(String, String), usize>,
    automaton: OnceLock<NameAutomaton>,
    /// GeoNames id -> place, built on first use.
    by_geonameid: OnceLock<FxHashMap<i64, usize>>,
    /// Every place's merge cluster ([`crate::event::place_clusters`]), on first use.
    clusters: OnceLock<Vec<String>>,
    /// Names shorter than this (in characters) are not scanned for in text.
    min_scan_len: usize,
    /// District polygons from the user's files, tied to the gazetteer.
    admin: Option<crate::admin::AdminLayer>,
    /// The admin unit of each place's point, looked up on first use (see
    /// [`Geocoder::admin_unit_of_place`]).
    admin_of_place: OnceLock<Vec<AtomicU32>>,
}

/// [`Geocoder::admin_of_place`]: not looked up yet, and in no unit.
const UNIT_UNKNOWN: u32 = u32::MAX;
const UNIT_NONE: u32 = u32::MAX - 1;

/// Adds place `idx` under `key`; places are added in increasing order, so a place
/// already there is the last one.
fn push_unique(map: &mut FxHashMap<String, Vec<u32>>, key: String, idx: u32) {
    if key.is_empty() {
        return;
    }
    let v = map.entry(key).or_default();
    if v.last() != Some(&idx) {
        v.push(idx);
    }
}

/// Codes such as IATA "UND" (Kunduz airport) are not names a reporter writes.
fn is_code(name: &str) -> bool {
    name.len() <= 4 && name.chars().all(|c| c.is_ascii_uppercase())
}

impl Geocoder {
    /// Builds the indices for a gazetteer, with the embedded lexicons.
    pub fn new(gazetteer: Gazetteer) -> Geocoder {
        Geocoder::with_lexicons(gazetteer, Lexicons::embedded())
    }

    /// Builds the indices for a gazetteer with the given lexicons.
    pub fn with_lexicons(gazetteer: Gazetteer, lex: &Lexicons) -> Geocoder {
        let keyer = Keyer::new(lex);
        let place_words = collect_place_words(lex);
        let provinces = gazetteer
            .places()
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == PlaceKind::Province)
            .map(|(i, p)| ((p.country_code.clone(), p.admin1_code.clone()), i))
            .collect();
        let mut g = Geocoder {
            gazetteer,
            keyer,
            exact: FxHashMap::default(),
            alternate: FxHashMap::default(),
            translit: FxHashMap::default(),
            skeletons: FxHashMap::default(),
            provinces,
            place_words_by_first: {
                let mut m: FxHashMap<String, Vec<usize>> = FxHashMap::default();
                for (i, (p, _)) in place_words.iter().enumerate() {
                    m.entry(p[0].clone()).or_default().push(i);
                }
                m
            },
            place_words,
            automaton: OnceLock::new(),
            by_geonameid: OnceLock::new(),
            clusters: OnceLock::new(),
            min_scan_len: 3,
            admin: None,
            admin_of_place: OnceLock::new(),
        };
        g.index();
        g
    }

    fn index(&mut self) {
        use rayon::prelude::*;
        /// A name's keys: (folded name, primary, its key variants with their skeletons).
        type Keys = Vec<(String, bool, Vec<(String, String)>)>;
        // names are folded and keyed on every core; the indices are filled in place
        // order, so they are the same whatever the threads
        let keyed: Vec<Keys> = self
            .gazetteer
            .places()
            .par_iter()
            .map(|p| {
                let mut folded_names: Vec<(String, bool)> = Vec::new();
                for (n, primary) in [(&p.name, true), (&p.ascii_name, true)] {
                    folded_names.push((fold(n), primary));
                }
                for n in p.alternate_names() {
                    if !is_code(n) {
                        folded_names.push((fold(n), false));
                    }
                }
                // "Kabul Province", "Mussahi District": indexed as the bare name, so
                // that the generic word in a text keeps its meaning ("Ghormach
                // district centre")
                for (f, _) in folded_names.iter_mut() {
                    if let Some((rest, _)) = strip_place_words(&self.place_words, f) {
                        *f = rest;
                    }
                }
                folded_names
                    .into_iter()
                    .filter(|(f, _)| !f.is_empty())
                    .map(|(f, primary)| {
                        let variants = self
                            .keyer
                            .name_variants(&f)
                            .into_iter()
                            .map(|k| (skeleton(&k), k))
                            .collect();
                        (f, primary, variants)
                    })
                    .collect()
            })
            .collect();
        // the keys of each index apart (moved, not copied), in place order; then the
        // four indices are filled at once, each on its own thread
        let (mut exact, mut alternate) = (Vec::new(), Vec::new());
        let (mut translit, mut skeletons) = (Vec::new(), Vec::new());
        for (i, names) in keyed.into_iter().enumerate() {
            let i = i as u32;
            for (f, primary, variants) in names {
                for (sk, k) in variants {
                    if sk.chars().count() >= 3 {
                        skeletons.push((sk, i));
                    }
                    translit.push((k, i));
                }
                if primary {
                    exact.push((f, i));
                } else {
                    alternate.push((f, i));
                }
            }
        }
        let fill = |keys: Vec<(String, u32)>| {
            // sized once: growing a map of a million keys rehashes it many times
            let mut map = FxHashMap::with_capacity_and_hasher(keys.len(), Default::default());
            for (k, i) in keys {
                push_unique(&mut map, k, i);
            }
            map
        };
        let ((e, a), (t, sk)) = rayon::join(
            || rayon::join(|| fill(exact), || fill(alternate)),
            || rayon::join(|| fill(translit), || fill(skeletons)),
        );
        (self.exact, self.alternate, self.translit, self.skeletons) = (e, a, t, sk);
    }

    /// The gazetteer behind this geocoder.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Gives the geocoder district polygons, already tied to its gazetteer by
    /// [`crate::admin::AdminLayer::attach`]: events then get their district by
    /// point-in-polygon.
    pub fn set_admin(&mut self, layer: crate::admin::AdminLayer) {
        self.admin = (!layer.is_empty()).then_some(layer);
    }

    /// The district polygons, if the user gave any.
    pub fn admin(&self) -> Option<&crate::admin::AdminLayer> {
        self.admin.as_ref()
    }

    /// The admin unit (district polygon) holding a point, if polygons were given.
    pub fn admin_unit_at(&self, lon: f64, lat: f64) -> Option<&crate::admin::AdminUnit> {
        self.admin.as_ref()?.locate(lon, lat)
    }

    /// The admin unit holding a place's point, looked up once per place (every event at
    /// a place asks the same question).
    pub fn admin_unit_of_place(&self, place: usize) -> Option<&crate::admin::AdminUnit> {
        let layer = self.admin.as_ref()?;
        let cache = self.admin_of_place.get_or_init(|| {
            (0..self.gazetteer.places().len())
                .map(|_| AtomicU32::new(UNIT_UNKNOWN))
                .collect()
        });
        let slot = cache.get(place)?;
        let mut unit = slot.load(Ordering::Relaxed);
        if unit == UNIT_UNKNOWN {
            let p = self.place(place);
            unit = layer
                .locate_index(p.lon, p.lat)
                .map_or(UNIT_NONE, |u| u as u32);
            slot.store(unit, Ordering::Relaxed);
        }
        (unit != UNIT_NONE).then(|| &layer.units()[unit as usize])
    }

    /// The keyer (transliteration rules) in use.
    pub fn keyer(&self) -> &Keyer {
        &self.keyer
    }

    /// The place at a gazetteer index.
    pub fn place(&self, index: usize) -> &Place {
        self.gazetteer.get(index)
    }

    /// The kind a generic phrase asks for, when `words` (folded) are exactly one of the
    /// lexicons' place words ("provincie", "the city of", "de hoofdstad van").
    pub fn place_word_hint(&self, words: &[&str]) -> Option<KindHint> {
        let first = words.first()?;
        self.place_words_by_first
            .get(*first)?
            .iter()
            .map(|&i| &self.place_words[i])
            .find(|(p, _)| p.len() == words.len() && p.iter().zip(words).all(|(a, b)| a == b))
            .map(|(_, h)| *h)
    }

    /// Whether a place word of the lexicons starts with the word `first` (folded): when
    /// not, [`Geocoder::place_word_hint`] finds nothing in words starting with it.
    pub fn starts_place_word(&self, first: &str) -> bool {
        self.place_words_by_first.contains_key(first)
    }

    /// Whether `name` (as written) is one of the names of the place at `index`, up to
    /// transliteration: one key and one look-up.
    pub fn is_name_of(&self, name: &str, index: usize) -> bool {
        let key = self.keyer.key(&fold(name), None);
        self.translit
            .get(&key)
            .is_some_and(|ids| ids.contains(&(index as u32)))
    }

    /// Splits generic place words off a name: `"provincie Baghlan"` → `("baghlan",
    /// Some(Province))`. The name comes back folded.
    pub fn parse_query(&self, query: &str) -> (String, Option<KindHint>) {
        let f = fold(query);
        match strip_place_words(&self.place_words, &f) {
            Some((rest, hint)) => (rest, Some(hint)),
            None => (f, None),
        }
    }

    /// The place with a GeoNames id (the last one loaded, as user gazetteers win).
    pub fn index_of_geonameid(&self, id: i64) -> Option<usize> {
        self.by_geonameid
            .get_or_init(|| {
                let places = self.gazetteer().places();
                (0..places.len())
                    .filter(|&i| places[i].geonameid != 0)
                    .map(|i| (places[i].geonameid as i64, i))
                    .collect()
            })
            .get(&id)
            .copied()
    }

    /// The merge cluster of a place (see [`crate::event::place_clusters`]).
    pub fn merge_cluster(&self, place: usize) -> &str {
        &self
            .clusters
            .get_or_init(|| crate::event::place_clusters(self))[place]
    }

    /// Resolves one name.
    ///
    /// ```
    /// use clashmap::{gazetteer::Gazetteer, geocode::{Geocoder, ResolveOptions}};
    /// let g = Geocoder::new(Gazetteer::embedded());
    /// let r = g.resolve("Pul-e-Chomri", &ResolveOptions::default()).unwrap();
    /// assert_eq!(g.place(r.place).geonameid, 1130490); // Pul-e Khumrī
    /// ```
    pub fn resolve(&self, query: &str, opts: &ResolveOptions<'_>) -> Result<Resolution, NotFound> {
        let (name, words_hint) = self.parse_query(query);
        let hint = opts.hint.or(words_hint);
        let not_found = || NotFound {
            query: query.to_string(),
            suggestions: Vec::new(),
        };
        if name.is_empty() {
            return Err(not_found());
        }
        let mut cands: Vec<(u32, MatchKind)> = Vec::new();
        fn add(cands: &mut Vec<(u32, MatchKind)>, ids: Option<&Vec<u32>>, kind: MatchKind) {
            for &i in ids.into_iter().flatten() {
                if !cands.iter().any(|(j, _)| *j == i) {
                    cands.push((i, kind));
                }
            }
        }
        add(&mut cands, self.exact.get(&name), MatchKind::Exact);
        add(&mut cands, self.alternate.get(&name), MatchKind::Alternate);
        let langs: Vec<Option<&str>> = match opts.lang {
            Some(l) => vec![Some(l), None],
            None => std::iter::once(None)
                .chain(self.keyer.languages().map(Some))
                .collect(),
        };
        let mut keys: Vec<String> = langs.iter().map(|l| self.keyer.key(&name, *l)).collect();
        // a one-word name the press writes in two ("Dawlat Abad" for Dowlatabad):
        // the gazetteer indexes the joined forms of its own names of several words,
        // not the parts of one-word names
        if name.contains(' ') && !name.split(' ').any(|t| self.keyer.is_connector(t)) {
            let joined: String = name.split(' ').collect();
            for l in &langs {
                let k = self.keyer.key(&joined, *l);
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        for k in &keys {
            add(&mut cands, self.translit.get(k), MatchKind::Transliteration);
        }
        if let Some(h) = hint {
            cands.retain(|(i, _)| h.accepts(self.place(*i as usize).kind));
        }
        if cands.is_empty() {
            for k in &keys {
                let sk = skeleton(k);
                if sk.chars().count() >= 3 {
                    add(&mut cands, self.skeletons.get(&sk), MatchKind::Approximate);
                }
            }
            if let Some(h) = hint {
                cands.retain(|(i, _)| h.accepts(self.place(*i as usize).kind));
            }
        }
        if cands.is_empty() {
            return Err(not_found());
        }
        let focus = opts.focus_country;
        let provinces: Vec<(&str, &str)> = cands
            .iter()
            .map(|(i, _)| self.place(*i as usize))
            .filter(|p| p.kind == PlaceKind::Province)
            .map(|p| (p.country_code.as_str(), p.admin1_code.as_str()))
            .collect();
        // a province named by another of its names, not a spelling of its own, does
        // not beat a place named exactly ("Gereshk" is the town, not Helmand by its
        // old name Girishk; "Uruzgan" is Oruzgan province, spelled otherwise)
        let exact_found = cands.iter().any(|(_, mk)| *mk == MatchKind::Exact);
        let own_spelling = |p: &Place| {
            [&p.name, &p.ascii_name]
                .iter()
                .any(|n| keys.contains(&self.keyer.key(&fold(n), None)))
        };
        let key_of = |&(i, mk): &(u32, MatchKind)| {
            let p = self.place(i as usize);
            let mut kind_rank = default_kind_rank(p, &provinces);
            if p.kind == PlaceKind::Province
                && mk != MatchKind::Exact
                && exact_found
                && !own_spelling(p)
            {
                kind_rank = 3;
            }
            (
                focus.is_some_and(|c| c != p.country_code),
                kind_rank,
                mk,
                feature_rank(&p.feature_code),
                std::cmp::Reverse(p.population),
                p.geonameid,
            )
        };
        cands.sort_by_key(key_of);
        let (best, match_kind) = cands[0];
        let mut place = best as usize;
        if hint == Some(KindHint::CapitalOf)
            && let Some(cap) = self.capital_of(place)
        {
            place = cap;
        }
        let alternatives: Vec<usize> = cands[1..]
            .iter()
            .take(5)
            .map(|(i, _)| *i as usize)
            .collect();
        Ok(Resolution {
            place,
            match_kind,
            status: if alternatives.is_empty() {
                GeocodeStatus::Resolved
            } else {
                GeocodeStatus::Ambiguous
            },
            hint,
            geo_precision: self.place(place).geo_precision(),
            alternatives,
        })
    }

    /// The province (gazetteer index and entry) a place lies in.
    pub fn province_of(&self, place: &Place) -> Option<(usize, &Place)> {
        let i = *self
            .provinces
            .get(&(place.country_code.clone(), place.admin1_code.clone()))?;
        Some((i, self.place(i)))
    }

    /// [`Geocoder::resolve`], with the closest known names in the error when nothing
    /// matches (for people: computing them compares the name with every name).
    pub fn resolve_or_suggest(
        &self,
        query: &str,
        opts: &ResolveOptions<'_>,
    ) -> Result<Resolution, NotFound> {
        self.resolve(query, opts).map_err(|mut e| {
            e.suggestions = self.suggest(&self.parse_query(query).0);
            e
        })
    }

    /// The province a name stands for (gazetteer index): the place itself when it is a
    /// province, or the province of a capital named like it ("Kunduz" as reported
    /// for the city of Kunduz may mean its province).
    pub fn province_named(&self, place: usize, as_reported: &str) -> Option<usize> {
        let p = self.place(place);
        match p.kind {
            PlaceKind::Province => Some(place),
            _ if matches!(p.feature_code.as_str(), "PPLA" | "PPLC") => {
                let (prov, _) = self.province_of(p)?;
                self.is_name_of(as_reported, prov).then_some(prov)
            }
            _ => None,
        }
    }

    /// The capital (PPLA/PPLC) of the province at `index`.
    pub fn capital_of(&self, index: usize) -> Option<usize> {
        let prov = self.place(index);
        self.gazetteer
            .places()
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                p.kind.is_populated()
                    && p.country_code == prov.country_code
                    && p.admin1_code == prov.admin1_code
                    && matches!(p.feature_code.as_str(), "PPLA" | "PPLC")
            })
            .min_by_key(|(_, p)| {
                (
                    feature_rank(&p.feature_code),
                    std::cmp::Reverse(p.population),
                )
            })
            .map(|(i, _)| i)
    }

    /// The closest known names to a folded name, by edit distance between keys.
    pub fn suggest(&self, folded: &str) -> Vec<String> {
        let key = self.keyer.key(folded, None);
        if key.is_empty() {
            return Vec::new();
        }
        let limit = (key.chars().count() / 4).max(1);
        let mut scored: Vec<(usize, u64, usize)> = Vec::new();
        for (k, ids) in &self.translit {
            let d = edit_distance(&key, k);
            if d <= limit {
                for &i in ids {
                    let p = self.place(i as usize);
                    scored.push((d, u64::MAX - p.population, i as usize));
                }
            }
        }
        scored.sort();
        let mut out: Vec<String> = Vec::new();
        for (_, _, i) in scored {
            let p = self.place(i);
            let label = format!(
                "{} ({}, {})",
                p.name,
                p.kind,
                self.gazetteer.country_name(&p.country_code)
            );
            if !out.contains(&label) {
                out.push(label);
            }
            if out.len() == 5 {
                break;
            }
        }
        out
    }

    fn automaton(&self) -> &NameAutomaton {
        self.automaton.get_or_init(|| {
            let mut keys: Vec<(&String, &Vec<u32>)> = self
                .translit
                .iter()
                .filter(|(k, _)| k.chars().filter(|c| *c != ' ').count() >= self.min_scan_len)
                .collect();
            keys.sort();
            let mut vocab: FxHashMap<Box<[u8]>, u32> = FxHashMap::default();
            let mut first: Vec<u32> = Vec::new();
            let mut next: FxHashMap<(u32, u32), u32> = FxHashMap::default();
            let mut ends: Vec<u32> = vec![NO_PATTERN];
            let mut candidates = Vec::with_capacity(keys.len());
            let mut countries = Vec::with_capacity(keys.len());
            let mut country_codes: Vec<String> = Vec::new();
            let mut country_numbers: FxHashMap<&str, u32> = FxHashMap::default();
            let mut pattern: Vec<u32> = Vec::new();
            for (k, ids) in keys {
                pattern.clear();
                for w in k.split(' ') {
                    let fresh = vocab.len() as u32 + 1;
                    pattern.push(*vocab.entry(w.as_bytes().into()).or_insert(fresh));
                }
                if vocab.len() as u32 >= MAX_VOCAB {
                    break;
                }
                let mut node = 0u32;
                for (i, &id) in pattern.iter().enumerate() {
                    let fresh = ends.len() as u32;
                    let slot = if i == 0 {
                        if first.len() <= id as usize {
                            first.resize(id as usize + 1, 0);
                        }
                        &mut first[id as usize]
                    } else {
                        next.entry((node, id)).or_insert(0)
                    };
                    if *slot == 0 {
                        *slot = fresh;
                        ends.push(NO_PATTERN);
                    }
                    node = *slot;
                }
                // keys are distinct: no node completes two of them
                ends[node as usize] = candidates.len() as u32;
                let mut by_country: Vec<(u32, u32)> = Vec::new();
                for &c in ids.iter() {
                    let code = self.place(c as usize).country_code.as_str();
                    let number = match country_numbers.get(code) {
                        Some(&n) => n,
                        None => {
                            let n = country_codes.len() as u32;
                            country_codes.push(code.to_string());
                            country_numbers.insert(code, n);
                            n
                        }
                    };
                    match by_country.iter_mut().find(|(k, _)| *k == number) {
                        Some((_, count)) => *count += 1,
                        None => by_country.push((number, 1)),
                    }
                }
                countries.push(by_country.into_boxed_slice());
                candidates.push(ids.clone());
            }
            NameAutomaton {
                vocab,
                first,
                next,
                ends,
                candidates,
                countries,
                country_codes,
            }
        })
    }

    /// The country code of a country number of [`NameMatch::countries`].
    pub fn scan_country(&self, number: u32) -> &str {
        self.automaton()
            .country_codes
            .get(number as usize)
            .map_or("", String::as_str)
    }

    /// How many country numbers [`NameMatch::countries`] uses.
    pub fn scan_countries(&self) -> usize {
        self.automaton().country_codes.len()
    }

    /// Builds the scanning automaton now rather than on the first scan.
    pub fn prepare_scan(&self) {
        self.automaton();
    }

    /// A scanner for texts in `lang` (its press transliteration; `None` for none).
    /// Keep one per thread and reuse it: it caches the keys of the words it has seen.
    pub fn scanner(&self, lang: Option<&str>) -> Scanner<'_> {
        Scanner {
            geocoder: self,
            automaton: self.automaton(),
            lang: lang.map(str::to_string),
            recent: vec![(u128::MAX, 0); 1 << RECENT_BITS],
            cache: FxHashMap::default(),
            long_cache: FxHashMap::default(),
            scratch: KeyScratch::default(),
            key: Vec::new(),
            words: Vec::new(),
            broken: true,
            by_number: WordTable::default(),
        }
    }

    /// Finds every gazetteer name in `text` (see [`Scanner::scan`]); for many texts,
    /// reuse a [`Geocoder::scanner`] instead.
    pub fn scan(&self, text: &str, lang: Option<&str>) -> Vec<NameMatch<'_>> {
        self.scanner(lang).scan(text)
    }
}

/// Finds gazetteer names in texts (see the module doc). Made by
/// [`Geocoder::scanner`]; holds a cache of word keys, so keep one per thread.
pub struct Scanner<'g> {
    geocoder: &'g Geocoder,
    automaton: &'g NameAutomaton,
    lang: Option<String>,
    /// Folded word -> name word id (0: in no name; CONNECTOR: skipped); words of up
    /// to 15 bytes are keyed by their bytes packed in a u128 (no allocation, no
    /// memcmp), longer ones by their bytes.
    cache: FxHashMap<u128, u32>,
    long_cache: FxHashMap<Box<[u8]>, u32>,
    /// A small direct-mapped table in front of `cache`: (packed word, id); most words
    /// of a text are found here with one probe.
    recent: Vec<(u128, u32)>,
    scratch: KeyScratch,
    key: Vec<u8>,
    /// The name words of the last text encoded.
    words: Vec<NameWord>,
    /// A word in no name or punctuation came after the last name word encoded.
    broken: bool,
    /// Word number (see [`Scanner::scan_numbered`]) -> name word id.
    by_number: WordTable<u32>,
}

impl<'g> Scanner<'g> {
    /// Largest number of distinct words the cache keeps before it starts afresh.
    const CACHE_LIMIT: usize = 1 << 18;

    /// Every gazetteer name in `text`: whole words, any spelling that keys the same,
    /// leftmost-longest, in one pass ([`Scanner::encode`], then
    /// [`Scanner::find_names`]).
    pub fn scan(&mut self, text: &str) -> Vec<NameMatch<'g>> {
        self.encode(text);
        self.find_names()
    }

    /// The first stage of [`Scanner::scan`]: folds and keys the words of `text` and
    /// keeps its name words, which the automaton reads. Returns how many words are
    /// name words.
    pub fn encode(&mut self, text: &str) -> usize {
        self.encode_pieces(text.len(), |emit| fold_pieces(text, emit))
    }

    /// [`Scanner::scan`] for a text already split into tokens by
    /// [`crate::normalize::tokenize_into`], numbered by one [`crate::normalize::Vocab`]
    /// (the same for every call, until [`Scanner::forget_numbers`]): the same names,
    /// without folding the text again, and each word keyed once per number.
    pub fn scan_numbered(&mut self, toks: &[Token], vocab: &Vocab) -> Vec<NameMatch<'g>> {
        self.words.clear();
        self.broken = true;
        for t in toks {
            let id = match self.by_number.get(t.word) {
                Some(&id) => id,
                None => {
                    let id = self.word_id(vocab.word(t.word));
                    self.by_number.insert(t.word, id);
                    id
                }
            };
            self.push_word(id, t.barrier_before, t.start, t.end);
        }
        self.find_names()
    }

    /// Forgets the word numbers of [`Scanner::scan_numbered`] (their vocabulary
    /// started afresh).
    pub fn forget_numbers(&mut self) {
        self.by_number.clear();
    }

    /// The name word id of a folded text word (0: in no name; CONNECTOR: skipped).
    fn word_id(&mut self, w: &str) -> u32 {
        let keyer = &self.geocoder.keyer;
        if keyer.is_connector(w) {
            return CONNECTOR;
        }
        let lang = self.lang.as_deref();
        // the language's press spelling first, then the word as it stands: press
        // rules add readings, never remove one
        let vocab = &self.automaton.vocab;
        keyer.key_token_into(w.as_bytes(), lang, &mut self.scratch, &mut self.key);
        let mut id = vocab.get(self.key.as_slice()).copied().unwrap_or(0);
        if id == 0 && lang.is_some() {
            keyer.key_token_into(w.as_bytes(), None, &mut self.scratch, &mut self.key);
            id = vocab.get(self.key.as_slice()).copied().unwrap_or(0);
        }
        id
    }

    /// Takes in the next word of the text, with name word id `id` (after a barrier
    /// when `barrier`): a name word is kept, a connector skipped, any other word
    /// breaks the run of name words.
    #[inline]
    fn push_word(&mut self, id: u32, barrier: bool, start: usize, end: usize) {
        if barrier {
            self.broken = true;
        }
        match id {
            CONNECTOR => {}
            0 => self.broken = true,
            id => {
                self.words.push(NameWord {
                    id,
                    start: start as u32,
                    end: end as u32,
                    joined: !self.broken,
                });
                self.broken = false;
            }
        }
    }

    /// [`Scanner::encode`] for a text of `len` bytes whose pieces `feed` emits.
    fn encode_pieces(&mut self, len: usize, feed: impl FnOnce(&mut dyn FnMut(Piece<'_>))) -> usize {
        if self.cache.len() + self.long_cache.len() > Self::CACHE_LIMIT {
            self.cache.clear();
            self.long_cache.clear();
        }
        self.words.clear();
        self.words.reserve(len / 32);
        self.broken = true;
        let mut barrier = false;
        feed(&mut |p| match p {
            Piece::Token {
                text: w,
                start,
                end,
            } => {
                let packed = pack_word(w.as_bytes());
                let slot = packed.map(recent_slot);
                let hit = match (packed, slot) {
                    (Some(p), Some(i)) if self.recent[i].0 == p => Some(self.recent[i].1),
                    (Some(p), _) => self.cache.get(&p).copied(),
                    _ => self.long_cache.get(w.as_bytes()).copied(),
                };
                let id = match hit {
                    Some(id) => id,
                    None => {
                        let id = self.word_id(w);
                        match packed {
                            Some(p) => self.cache.insert(p, id),
                            None => self.long_cache.insert(w.as_bytes().into(), id),
                        };
                        id
                    }
                };
                if let (Some(p), Some(i)) = (packed, slot) {
                    self.recent[i] = (p, id);
                }
                self.push_word(id, barrier, start, end);
                barrier = false;
            }
            Piece::Barrier => barrier = true,
        });
        self.words.len()
    }

    /// The second stage of [`Scanner::scan`]: walks the automaton over the name words
    /// of the last [`Scanner::encode`]d text and maps the names found back to it.
    pub fn find_names(&self) -> Vec<NameMatch<'g>> {
        let automaton: &'g NameAutomaton = self.automaton;
        let words = &self.words;
        let mut out = Vec::new();
        let mut k = 0;
        while k < words.len() {
            // the longest name starting at word k, then on after it (leftmost-longest)
            let mut node = automaton
                .first
                .get(words[k].id as usize)
                .copied()
                .unwrap_or(0);
            let mut longest: Option<(usize, u32)> = None;
            let mut j = k;
            while node != 0 {
                let pattern = automaton.ends[node as usize];
                if pattern != NO_PATTERN {
                    longest = Some((j, pattern));
                }
                j += 1;
                // a name runs on over joined words only
                if j >= words.len() || !words[j].joined {
                    break;
                }
                node = automaton
                    .next
                    .get(&(node, words[j].id))
                    .copied()
                    .unwrap_or(0);
            }
            match longest {
                Some((last, pattern)) => {
                    out.push(NameMatch {
                        start: words[k].start as usize,
                        end: words[last].end as usize,
                        candidates: &automaton.candidates[pattern as usize],
                        countries: &automaton.countries[pattern as usize],
                    });
                    k = last + 1;
                }
                None => k += 1,
            }
        }
        out
    }
}

/// Default preference between kinds for a name with no context word: the city when
/// the name also names the province it is the capital of (Kunduz, Kabul), else the
/// province (Baghlan, whose namesake town is not its capital), then populated places,
/// districts, countries. `provinces` are the (country, admin1) of the province
/// candidates.
fn default_kind_rank(p: &Place, provinces: &[(&str, &str)]) -> u8 {
    let capital_of_namesake = matches!(p.feature_code.as_str(), "PPLA" | "PPLC")
        && provinces.contains(&(p.country_code.as_str(), p.admin1_code.as_str()));
    match p.kind {
        _ if capital_of_namesake => 0,
        PlaceKind::Province => 1,
        PlaceKind::Capital | PlaceKind::City | PlaceKind::Town | PlaceKind::Village => 2,
        PlaceKind::District => 3,
        PlaceKind::Country => 4,
    }
}

fn feature_rank(code: &str) -> u8 {
    match code {
        "PPLC" => 0,
        "PPLA" => 1,
        "PCLI" => 2,
        "ADM1" => 3,
        "PPLA2" => 4,
        "ADM2" => 5,
        "PPLA3" | "PPLA4" => 6,
        _ => 7,
    }
}

fn collect_place_words(lex: &Lexicons) -> Vec<(Vec<String>, KindHint)> {
    let mut out = Vec::new();
    for l in &lex.languages {
        let w = &l.place_words;
        for (list, hint) in [
            (&w.capital_of, KindHint::CapitalOf),
            (&w.province, KindHint::Province),
            (&w.district, KindHint::District),
            (&w.city, KindHint::City),
            (&w.village, KindHint::Village),
            (&w.country, KindHint::Country),
        ] {
            for phrase in list {
                let toks: Vec<String> = fold(phrase).split(' ').map(str::to_string).collect();
                if !toks.is_empty() && !toks[0].is_empty() {
                    out.push((toks, hint));
                }
            }
        }
    }
    // longest phrase first, so "de hoofdstad van" wins over "hoofdstad"
    out.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    out.dedup();
    out
}

/// Strips one generic phrase before or after a folded name; returns the rest and the
/// hint, or `None` when there is no such word (or nothing would remain).
fn strip_place_words(
    words: &[(Vec<String>, KindHint)],
    folded: &str,
) -> Option<(String, KindHint)> {
    let toks: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    for (phrase, hint) in words {
        let n = phrase.len();
        if toks.len() <= n {
            continue;
        }
        if toks[..n].iter().zip(phrase).all(|(a, b)| *a == b) {
            return Some((toks[n..].join(" "), *hint));
        }
        // a trailing word: "Baghlan province", "Imam Sahib district"; a phrase ending in
        // "of/van/de" only stands before the name
        let before_only = matches!(
            phrase.last().map(String::as_str),
            Some("of" | "van" | "de" | "von" | "der")
        );
        if !before_only
            && toks[toks.len() - n..]
                .iter()
                .zip(phrase)
                .all(|(a, b)| *a == b)
        {
            return Some((toks[..toks.len() - n].join(" "), *hint));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::OnceLock;

    fn geocoder() -> &'static Geocoder {
        static G: OnceLock<Geocoder> = OnceLock::new();
        G.get_or_init(|| Geocoder::new(Gazetteer::embedded()))
    }

    #[test]
    fn scanning_tokens_finds_what_scanning_text_finds() {
        let g = geocoder();
        let texts = [
            "De taliban vielen Kunduz en Pol-e Khomri aan, twee steden in het noorden.",
            "Fighting in Pul-i-Khumri; Kunduz. Kabul (Kaboel) and Jawzjan, Jowzjan province.",
            "Mazar-e Sharif, Mazār-i-Sharīf e Kunduz: e, i, Kabul-e Kunduz",
            "no names here at all, only words and more words",
            // punctuation between the words of a name: no name
            "Pol, Khomri en Mazar. Sharif; Pul-e (Khumri)",
        ];
        for text in texts {
            let by_text: Vec<(usize, usize, Vec<u32>)> = g
                .scanner(Some("nl"))
                .scan(text)
                .iter()
                .map(|m| (m.start, m.end, m.candidates.to_vec()))
                .collect();
            let (toks, vocab) = crate::normalize::tokenize(text);
            let by_tokens: Vec<(usize, usize, Vec<u32>)> = g
                .scanner(Some("nl"))
                .scan_numbered(&toks, &vocab)
                .iter()
                .map(|m| (m.start, m.end, m.candidates.to_vec()))
                .collect();
            assert_eq!(by_tokens, by_text, "{text}");
            if text.contains("Kunduz") {
                assert!(!by_text.is_empty(), "{text}");
            }
        }
    }

    fn resolve(q: &str) -> (&'static Place, Resolution) {
        let g = geocoder();
        let r = g
            .resolve(q, &ResolveOptions::default())
            .unwrap_or_else(|e| panic!("{q}: {e}"));
        (g.place(r.place), r)
    }

    fn assert_place(q: &str, id: u64, kind: PlaceKind) {
        let (p, r) = resolve(q);
        assert_eq!(
            (p.geonameid, p.kind),
            (id, kind),
            "{q} resolved to {} ({:?}) via {:?}",
            p.name,
            p.kind,
            r.match_kind
        );
    }

    const KUNDUZ: u64 = 1135689;
    const POL_E_KHOMRI: u64 = 1130490;
    const JOWZJAN: u64 = 1139049;
    const KABUL: u64 = 1138958;

    #[test]
    fn kunduz_spellings() {
        for q in ["Kunduz", "Kondoz", "Qunduz", "KUNDUZ", "Kundūz"] {
            assert_place(q, KUNDUZ, PlaceKind::City);
        }
    }

    #[test]
    fn pol_e_khomri_spellings() {
        for q in [
            "Pol-e Khomri",
            "Pul-e-Chomri",
            "Pul-i-Khumri",
            "Puli Khumri",
            "Pul-e Khumri",
        ] {
            assert_place(q, POL_E_KHOMRI, PlaceKind::City);
        }
    }

    #[test]
    fn jowzjan_spellings_are_the_province() {
        for q in ["Jowzjan", "Jawzjan", "Jozjan", "Juzjan"] {
            assert_place(q, JOWZJAN, PlaceKind::Province);
        }
    }

    #[test]
    fn kabul_and_exonyms() {
        for q in ["Kabul", "Kaboel", "Kaboul"] {
            assert_place(q, KABUL, PlaceKind::Capital);
        }
    }

    #[test]
    fn provinces_by_default_when_the_town_is_not_the_capital() {
        assert_place("Baghlan", 1147537, PlaceKind::Province);
        assert_place("Kunar", 1135702, PlaceKind::Province);
        assert_place("Nangarhar", 1132366, PlaceKind::Province);
    }

    #[test]
    fn district_without_a_seat() {
        let (p, r) = resolve("Mussahi");
        assert_eq!(p.kind, PlaceKind::District);
        assert_eq!(p.admin1_name, "Kabul");
        assert_eq!(r.geo_precision, 3);
    }

    #[test]
    fn other_cities() {
        for q in ["Sheberghan", "Shibirghan"] {
            let (p, _) = resolve(q);
            assert_eq!(p.admin1_name, "Jowzjan", "{q}");
            assert!(p.kind.is_populated());
        }
        for q in ["Mazar-i-Sharif", "Mazar-e Sharif", "Mazari Sharif"] {
            let (p, _) = resolve(q);
            assert_eq!(p.admin1_name, "Balkh", "{q}");
            assert_eq!(p.kind, PlaceKind::City, "{q}");
        }
    }

    #[test]
    fn context_words_choose_the_kind() {
        assert_place("provincie Kunduz", 1135690, PlaceKind::Province);
        assert_place("Kunduz province", 1135690, PlaceKind::Province);
        assert_place("de stad Baghlan", 1147540, PlaceKind::City);
        let (p, r) = resolve("Kunduz");
        assert_eq!(r.status, GeocodeStatus::Ambiguous);
        assert!(
            r.alternatives
                .iter()
                .any(|&i| geocoder().place(i).kind == PlaceKind::Province),
            "{p:?}"
        );
        let (p, _) = resolve("Imam Sahib district");
        assert_eq!(p.kind, PlaceKind::District);
        assert_eq!(p.admin1_name, "Kunduz");
        let (p, r) = resolve("de hoofdstad van Baghlan");
        assert_eq!(p.geonameid, POL_E_KHOMRI);
        assert_eq!(r.hint, Some(KindHint::CapitalOf));
    }

    #[test]
    fn match_kinds_are_reported() {
        assert_eq!(resolve("Kunduz").1.match_kind, MatchKind::Exact);
        assert_eq!(resolve("Qunduz").1.match_kind, MatchKind::Alternate);
        assert_eq!(
            resolve("Pul-e-Chomri").1.match_kind,
            MatchKind::Transliteration
        );
    }

    #[test]
    fn unknown_names_get_suggestions() {
        let e = geocoder().resolve_or_suggest("Kundux", &ResolveOptions::default());
        // a typo within the skeleton still finds it, or suggests it
        match e {
            Ok(r) => assert_eq!(geocoder().place(r.place).admin1_name, "Kunduz"),
            Err(e) => assert!(e.suggestions.iter().any(|s| s.starts_with("Kunduz")), "{e}"),
        }
        let e = geocoder()
            .resolve("Xyzzyqwv", &ResolveOptions::default())
            .unwrap_err();
        assert!(e.to_string().starts_with("no place named"));
    }

    #[test]
    fn focus_country_wins_for_shared_names() {
        // a name present in more than one country resolves into the focus country
        let g = geocoder();
        let mut by_key: HashMap<&String, Vec<&str>> = HashMap::new();
        for (k, ids) in &g.exact {
            for &i in ids {
                by_key
                    .entry(k)
                    .or_default()
                    .push(&g.place(i as usize).country_code);
            }
        }
        let (name, _) = by_key
            .iter()
            .filter(|(_, c)| c.contains(&"AF") && c.iter().any(|x| *x != "AF"))
            .min_by_key(|(k, _)| *k)
            .expect("some name is shared between countries");
        for cc in ["AF", "PK", "IR", "TJ"] {
            if by_key[name].contains(&cc) {
                let r = g
                    .resolve(
                        name,
                        &ResolveOptions {
                            focus_country: Some(cc),
                            ..Default::default()
                        },
                    )
                    .unwrap();
                assert_eq!(g.place(r.place).country_code, cc, "{name}");
            }
        }
    }

    #[test]
    fn scan_finds_names_in_text_with_spans() {
        let g = geocoder();
        let text = "De taliban hebben aanvallen uitgevoerd op Kunduz en Pol-e Khomri. \
                    Gevechten in de stad Pul-e-Chomri en in Kaboel.";
        let found: Vec<&str> = g
            .scan(text, Some("nl"))
            .iter()
            .map(|m| &text[m.start..m.end])
            .collect();
        assert_eq!(found, ["Kunduz", "Pol-e Khomri", "Pul-e-Chomri", "Kaboel"]);
    }

    #[test]
    fn packed_words_are_distinct_and_exact() {
        let words: Vec<String> = (0..=15)
            .flat_map(|n| ["a", "b", "ab"].map(|s| s.repeat(n).chars().take(n).collect::<String>()))
            .chain(
                [
                    "kunduz",
                    "kunduzs",
                    "pul",
                    "abcdefghijklmno",
                    "abcdefghijklmnp",
                ]
                .map(String::from),
            )
            .collect();
        let mut seen = HashMap::new();
        for w in &words {
            let p = pack_word(w.as_bytes()).unwrap();
            let mut bytes = p.to_le_bytes();
            assert_eq!(bytes[15] as usize, w.len());
            bytes[15] = 0;
            assert_eq!(&bytes[..w.len()], w.as_bytes(), "{w}");
            assert!(bytes[w.len()..].iter().all(|b| *b == 0), "{w}");
            if let Some(prev) = seen.insert(p, w) {
                assert_eq!(prev, w);
            }
        }
        assert_eq!(pack_word(b"abcdefghijklmnop"), None);
    }

    #[test]
    fn scan_takes_the_leftmost_then_the_longest_name() {
        // names that nest and overlap: Darra, Darra Kalan, Kalan Bagh, Bagh,
        // Darra Kalan Sufla (a three-word name whose two-word prefix is a name too)
        let csv = "geonameid,name,asciiname,alternatenames,feature_code,kind,country_code,\
                   admin1_code,admin1_name,admin2_code,admin2_name,population,latitude,\
                   longitude,point_source\n\
                   1,Darra,Darra,,PPL,village,AF,01,A,,,10,34.0,66.0,test\n\
                   2,Darra Kalan,Darra Kalan,,PPL,village,AF,01,A,,,10,34.1,66.1,test\n\
                   3,Kalan Bagh,Kalan Bagh,,PPL,village,AF,01,A,,,10,34.2,66.2,test\n\
                   4,Bagh,Bagh,,PPL,village,AF,01,A,,,10,34.3,66.3,test\n\
                   5,Darra Kalan Sufla,Darra Kalan Sufla,,PPL,village,AF,01,A,,,10,34.4,66.4,test\n";
        let mut gaz = Gazetteer::empty();
        gaz.add_bytes(std::path::Path::new("test.csv"), csv.as_bytes().to_vec())
            .unwrap();
        let g = Geocoder::new(gaz);
        for (text, want) in [
            // leftmost first: Darra Kalan, not Kalan Bagh; then Bagh alone
            ("in Darra Kalan Bagh", vec!["Darra Kalan", "Bagh"]),
            // the longest at a start: the three-word name
            ("in Darra Kalan Sufla vandaag", vec!["Darra Kalan Sufla"]),
            // a trie path that ends in no name (Darra Kalan ... not Sufla) falls back
            // to the longest name on it
            ("Darra Kalan Bagh Sufla", vec!["Darra Kalan", "Bagh"]),
            ("Kalan Bagh, Darra", vec!["Kalan Bagh", "Darra"]),
            // punctuation breaks a name
            ("Darra, Kalan Bagh", vec!["Darra", "Kalan Bagh"]),
            ("Darra. Kalan", vec!["Darra"]),
        ] {
            let found: Vec<&str> = g
                .scan(text, None)
                .iter()
                .map(|m| &text[m.start..m.end])
                .collect();
            assert_eq!(found, want, "{text}");
        }
    }

    #[test]
    fn scan_respects_word_boundaries() {
        let g = geocoder();
        let text = "Kunduzian Kabulistan";
        assert!(g.scan(text, None).is_empty());
    }
}
