//! The gazetteer: every place clashmap can name, with its kind, admin units and point.
//!
//! The embedded gazetteer (`data/gazetteer/*.csv`, built by
//! `scripts/build-geodata.py` from GeoNames data) holds the populated places of
//! Afghanistan and its neighbours, the 34 provinces, 398 districts and the countries.
//! Users add or override places with their own files ([`Gazetteer::add_file`]): the
//! project's CSV format (the header of [`CSV_COLUMNS`]) or a GeoNames dump in its
//! 19-column tab-separated format (`AF.txt`, `allCountries.txt`, `cities500.txt`).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::normalize::fold;

/// The columns of the project's gazetteer CSV, in order.
pub const CSV_COLUMNS: [&str; 15] = [
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "feature_code",
    "kind",
    "country_code",
    "admin1_code",
    "admin1_name",
    "admin2_code",
    "admin2_name",
    "population",
    "latitude",
    "longitude",
    "point_source",
];

static EMBEDDED_ADMIN: &str = include_str!("../data/gazetteer/admin.csv");
static EMBEDDED_PLACES: &str = include_str!("../data/gazetteer/places.csv");

/// What kind of place an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    /// A national capital (GeoNames PPLC).
    Capital,
    /// A province capital (PPLA) or a place of 50,000 people or more.
    City,
    /// A district seat or a place of 5,000 or more.
    Town,
    /// Any other populated place.
    Village,
    /// A district (ADM2).
    District,
    /// A province (ADM1).
    Province,
    /// A country.
    Country,
}

impl PlaceKind {
    /// Parses the `kind` column.
    pub fn parse(s: &str) -> Option<PlaceKind> {
        Some(match s {
            "capital" => PlaceKind::Capital,
            "city" => PlaceKind::City,
            "town" => PlaceKind::Town,
            "village" => PlaceKind::Village,
            "district" => PlaceKind::District,
            "province" => PlaceKind::Province,
            "country" => PlaceKind::Country,
            _ => return None,
        })
    }

    /// The kind of a GeoNames feature code with its population, or `None` for features
    /// that are not places clashmap maps events to (rivers, mountains, ...).
    pub fn from_feature_code(code: &str, population: u64) -> Option<PlaceKind> {
        Some(match code {
            "PPLC" => PlaceKind::Capital,
            "ADM1" => PlaceKind::Province,
            "ADM2" => PlaceKind::District,
            "PCLI" | "PCLD" | "PCLIX" | "PCLS" | "PCLF" => PlaceKind::Country,
            _ if code.starts_with("PPL") => {
                if code == "PPLA" || population >= 50_000 {
                    PlaceKind::City
                } else if matches!(code, "PPLA2" | "PPLA3") || population >= 5_000 {
                    PlaceKind::Town
                } else {
                    PlaceKind::Village
                }
            }
            _ => return None,
        })
    }

    /// Whether this is a populated place (capital, city, town or village).
    pub fn is_populated(self) -> bool {
        matches!(
            self,
            PlaceKind::Capital | PlaceKind::City | PlaceKind::Town | PlaceKind::Village
        )
    }

    /// The lowercase name used in files and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Capital => "capital",
            PlaceKind::City => "city",
            PlaceKind::Town => "town",
            PlaceKind::Village => "village",
            PlaceKind::District => "district",
            PlaceKind::Province => "province",
            PlaceKind::Country => "country",
        }
    }
}

impl fmt::Display for PlaceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a gazetteer entry came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The gazetteer embedded in clashmap.
    Embedded,
    /// A user file given with `--gazetteer`.
    User(PathBuf),
}

/// One place of the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// GeoNames id (0 when the source has none).
    pub geonameid: u64,
    /// The canonical name (GeoNames spelling, with diacritics).
    pub name: String,
    /// The name in plain ASCII.
    pub ascii_name: String,
    /// Every other name (spellings, languages, scripts), `|`-separated; see
    /// [`Place::alternate_names`].
    pub alternates: String,
    /// GeoNames feature code (PPLA, ADM1, ...).
    pub feature_code: String,
    /// What kind of place this is.
    pub kind: PlaceKind,
    /// ISO 3166-1 alpha-2 country code.
    pub country_code: String,
    /// GeoNames admin1 (province) code within the country.
    pub admin1_code: String,
    /// Province name, or empty.
    pub admin1_name: String,
    /// GeoNames admin2 (district) code, or empty.
    pub admin2_code: String,
    /// District name, or empty.
    pub admin2_name: String,
    /// Population (0 when unknown).
    pub population: u64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// How the point was chosen: `geonames` (the place itself), `capital` (a province's
    /// capital), `seat` (a district's seat), `largest-place`, `namesake` (a town of
    /// the district's name in its province), `interior`, or, for a
    /// district with no known seat (only its province is known), `province-capital`
    /// (its province's capital, as ACLED codes such events) or `province-interior`.
    pub point_source: String,
    /// Where the entry came from.
    pub origin: Origin,
}

impl Place {
    /// ACLED geo-precision of an event placed here: 1 the town itself, 2 a district,
    /// 3 a province or country (or a district whose point is only its province's).
    pub fn geo_precision(&self) -> u8 {
        match self.kind {
            k if k.is_populated() => 1,
            PlaceKind::District if !self.is_province_point() => 2,
            _ => 3,
        }
    }

    /// Whether the point is only its province's (a district with no known seat).
    pub fn is_province_point(&self) -> bool {
        matches!(
            self.point_source.as_str(),
            "province-capital" | "province-interior"
        )
    }

    /// The alternate names: spellings, languages, scripts.
    pub fn alternate_names(&self) -> impl Iterator<Item = &str> {
        self.alternates.split('|').filter(|n| !n.is_empty())
    }

    /// Every name of the place: name, ASCII name, alternates.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        [self.name.as_str(), self.ascii_name.as_str()]
            .into_iter()
            .chain(self.alternate_names())
            .filter(|n| !n.is_empty())
    }
}

/// A gazetteer file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// The file cannot be read.
    #[error("cannot read gazetteer {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A row is malformed.
    #[error("{path}:{line}: {message}")]
    Row {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The file is not in a gazetteer format at all.
    #[error("{path} is not a gazetteer: {reason}")]
    NotAGazetteer {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

/// The places clashmap knows, embedded and user-supplied.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
    countries: HashMap<String, String>,
}

impl Gazetteer {
    /// The gazetteer embedded in the binary.
    pub fn embedded() -> Gazetteer {
        let mut g = Gazetteer::default();
        for (name, text) in [
            ("data/gazetteer/admin.csv", EMBEDDED_ADMIN),
            ("data/gazetteer/places.csv", EMBEDDED_PLACES),
        ] {
            let places = parse_csv(text, Path::new(name), &Origin::Embedded)
                .expect("the embedded gazetteer is valid (checked by tests)");
            // embedded entries are unique by construction: no replacement check
            g.push_all(places);
        }
        g
    }

    /// An empty gazetteer.
    pub fn empty() -> Gazetteer {
        Gazetteer::default()
    }

    /// All places, in load order.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// All places, to change in place (their indices stay).
    pub fn places_mut(&mut self) -> &mut [Place] {
        &mut self.places
    }

    /// Appends places as they are: unlike [`Gazetteer::extend`], none replaces an
    /// existing one (a district of a boundary file named like one elsewhere).
    pub fn append(&mut self, places: Vec<Place>) {
        self.push_all(places);
    }

    /// The place at an index of [`Gazetteer::places`].
    pub fn get(&self, index: usize) -> &Place {
        &self.places[index]
    }

    /// The country name of an ISO code (from the gazetteer's country entries), or the
    /// code itself.
    pub fn country_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.countries.get(code).map(String::as_str).unwrap_or(code)
    }

    /// Adds places; a new place replaces an existing one with the same GeoNames id, or
    /// with the same name, kind and country.
    pub fn extend(&mut self, places: Vec<Place>) {
        let mut by_id: HashMap<u64, usize> = HashMap::new();
        let mut by_name: HashMap<(String, PlaceKind, String), usize> = HashMap::new();
        for (i, p) in self.places.iter().enumerate() {
            if p.geonameid != 0 {
                by_id.insert(p.geonameid, i);
            }
            by_name.insert((fold(&p.name), p.kind, p.country_code.clone()), i);
        }
        let mut replaced = vec![false; self.places.len()];
        for p in &places {
            if let Some(&i) = by_id.get(&p.geonameid).filter(|_| p.geonameid != 0) {
                replaced[i] = true;
            }
            if let Some(&i) = by_name.get(&(fold(&p.name), p.kind, p.country_code.clone())) {
                replaced[i] = true;
            }
        }
        if replaced.iter().any(|r| *r) {
            let mut i = 0;
            self.places.retain(|_| {
                i += 1;
                !replaced[i - 1]
            });
        }
        self.push_all(places);
    }

    fn push_all(&mut self, places: Vec<Place>) {
        for p in &places {
            if p.kind == PlaceKind::Country {
                self.countries
                    .insert(p.country_code.clone(), p.name.clone());
            }
        }
        self.places.extend(places);
    }

    /// Reads a user gazetteer file (project CSV or GeoNames dump) and adds its places,
    /// which win over embedded ones with the same id or name.
    pub fn add_file(&mut self, path: &Path) -> Result<usize, GazetteerError> {
        let bytes = std::fs::read(path).map_err(|source| GazetteerError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        self.add_bytes(path, bytes)
    }

    /// [`Gazetteer::add_file`] for a file's content already read (`path` names it in
    /// errors).
    pub fn add_bytes(&mut self, path: &Path, bytes: Vec<u8>) -> Result<usize, GazetteerError> {
        let text = String::from_utf8(bytes).map_err(|e| {
            let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            GazetteerError::Row {
                path: path.to_path_buf(),
                line: upto.iter().filter(|b| **b == b'\n').count() + 1,
                message: "not valid UTF-8".into(),
            }
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let origin = Origin::User(path.to_path_buf());
        let first = text.lines().next().unwrap_or("");
        let places = if first.trim_end() == CSV_COLUMNS.join(",") {
            parse_csv(text, path, &origin)?
        } else if first.split('\t').count() == 19 {
            parse_geonames(text, path, &origin, self)?
        } else if first.is_empty() {
            return Err(GazetteerError::NotAGazetteer {
                path: path.to_path_buf(),
                reason: "the file is empty".into(),
            });
        } else {
            return Err(GazetteerError::NotAGazetteer {
                path: path.to_path_buf(),
                reason: format!(
                    "line 1 has {} comma-separated and {} tab-separated columns; expected the clashmap CSV header ({}) or GeoNames rows of 19 tab-separated columns",
                    first.split(',').count(),
                    first.split('\t').count(),
                    CSV_COLUMNS.join(",")
                ),
            });
        };
        let n = places.len();
        self.extend(places);
        Ok(n)
    }

    /// The province (ADM1 entry) of a country and admin1 code.
    pub fn province(&self, country: &str, admin1: &str) -> Option<&Place> {
        self.places.iter().find(|p| {
            p.kind == PlaceKind::Province && p.country_code == country && p.admin1_code == admin1
        })
    }
}

fn row_err(path: &Path, line: usize, message: impl Into<String>) -> GazetteerError {
    GazetteerError::Row {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

fn parse_coord(
    s: &str,
    what: &str,
    max: f64,
    path: &Path,
    line: usize,
) -> Result<f64, GazetteerError> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| row_err(path, line, format!("{what} {s:?} is not a number")))?;
    if !v.is_finite() || v.abs() > max {
        return Err(row_err(
            path,
            line,
            format!("{what} {v} is out of range (-{max}..{max})"),
        ));
    }
    Ok(v)
}

fn parse_u64(s: &str, what: &str, path: &Path, line: usize) -> Result<u64, GazetteerError> {
    if s.trim().is_empty() {
        return Ok(0);
    }
    s.trim()
        .parse()
        .map_err(|_| row_err(path, line, format!("{what} {s:?} is not a whole number")))
}

/// Parses the project's CSV format.
fn parse_csv(text: &str, path: &Path, origin: &Origin) -> Result<Vec<Place>, GazetteerError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::with_capacity(text.len() / 160);
    let mut rec = csv::StringRecord::new();
    loop {
        let more = rdr.read_record(&mut rec).map_err(|e| {
            let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
            row_err(path, line, e.to_string())
        })?;
        if !more {
            break;
        }
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
        if rec.len() != CSV_COLUMNS.len() {
            return Err(row_err(
                path,
                line,
                format!("{} columns, expected {}", rec.len(), CSV_COLUMNS.len()),
            ));
        }
        let f = |i: usize| rec.get(i).unwrap_or("");
        let name = f(1).trim();
        if name.is_empty() {
            return Err(row_err(path, line, "empty name"));
        }
        let population = parse_u64(f(11), "population", path, line)?;
        let kind = match f(5) {
            "" => PlaceKind::from_feature_code(f(4), population),
            k => PlaceKind::parse(k),
        }
        .ok_or_else(|| {
            row_err(
                path,
                line,
                format!(
                    "kind {:?} (feature code {:?}) is not one of capital, city, town, village, district, province, country",
                    f(5),
                    f(4)
                ),
            )
        })?;
        out.push(Place {
            geonameid: parse_u64(f(0), "geonameid", path, line)?,
            name: name.to_string(),
            ascii_name: f(2).to_string(),
            alternates: f(3).to_string(),
            feature_code: f(4).to_string(),
            kind,
            country_code: f(6).to_string(),
            admin1_code: f(7).to_string(),
            admin1_name: f(8).to_string(),
            admin2_code: f(9).to_string(),
            admin2_name: f(10).to_string(),
            population,
            lat: parse_coord(f(12), "latitude", 90.0, path, line)?,
            lon: parse_coord(f(13), "longitude", 180.0, path, line)?,
            point_source: if f(14).is_empty() { "geonames" } else { f(14) }.to_string(),
            origin: origin.clone(),
        });
    }
    Ok(out)
}

/// Parses a GeoNames dump (19 tab-separated columns); keeps populated places and
/// admin units, fills province and district names from `known`.
fn parse_geonames(
    text: &str,
    path: &Path,
    origin: &Origin,
    known: &Gazetteer,
) -> Result<Vec<Place>, GazetteerError> {
    let mut admin_names: HashMap<(String, String, String), String> = HashMap::new();
    for p in &known.places {
        match p.kind {
            PlaceKind::Province => {
                admin_names.insert(
                    (p.country_code.clone(), p.admin1_code.clone(), String::new()),
                    p.name.clone(),
                );
            }
            PlaceKind::District => {
                admin_names.insert(
                    (
                        p.country_code.clone(),
                        p.admin1_code.clone(),
                        p.admin2_code.clone(),
                    ),
                    p.name.clone(),
                );
            }
            _ => {}
        }
    }
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let ln = i + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() != 19 {
            return Err(row_err(
                path,
                ln,
                format!(
                    "{} tab-separated columns, expected 19 (GeoNames format)",
                    c.len()
                ),
            ));
        }
        let population = parse_u64(c[14], "population", path, ln)?;
        let Some(kind) = PlaceKind::from_feature_code(c[7], population) else {
            continue;
        };
        if c[1].trim().is_empty() {
            return Err(row_err(path, ln, "empty name"));
        }
        rows.push(Place {
            geonameid: parse_u64(c[0], "geonameid", path, ln)?,
            name: c[1].to_string(),
            ascii_name: c[2].to_string(),
            alternates: c[3].replace(['|', ','], "|"),
            feature_code: c[7].to_string(),
            kind,
            country_code: c[8].to_string(),
            admin1_code: c[10].to_string(),
            admin1_name: String::new(),
            admin2_code: c[11].to_string(),
            admin2_name: String::new(),
            population,
            lat: parse_coord(c[4], "latitude", 90.0, path, ln)?,
            lon: parse_coord(c[5], "longitude", 180.0, path, ln)?,
            point_source: "geonames".into(),
            origin: origin.clone(),
        });
    }
    // admin names: from the dump's own ADM1/ADM2 rows first, then the embedded ones
    for p in &rows {
        let key = match p.kind {
            PlaceKind::Province => (p.country_code.clone(), p.admin1_code.clone(), String::new()),
            PlaceKind::District => (
                p.country_code.clone(),
                p.admin1_code.clone(),
                p.admin2_code.clone(),
            ),
            _ => continue,
        };
        admin_names.insert(key, p.name.clone());
    }
    for p in &mut rows {
        let cc = p.country_code.clone();
        if let Some(n) = admin_names.get(&(cc.clone(), p.admin1_code.clone(), String::new())) {
            p.admin1_name = n.clone();
        }
        if !p.admin2_code.is_empty()
            && let Some(n) = admin_names.get(&(cc, p.admin1_code.clone(), p.admin2_code.clone()))
        {
            p.admin2_name = n.clone();
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_gazetteer_has_provinces_districts_and_places() {
        let g = Gazetteer::embedded();
        let count = |k| {
            g.places()
                .iter()
                .filter(|p| p.kind == k && p.country_code == "AF")
                .count()
        };
        assert_eq!(count(PlaceKind::Province), 34);
        assert_eq!(count(PlaceKind::District), 398);
        assert!(g.places().len() > 3000);
        assert_eq!(g.country_name("AF"), "Afghanistan");
        let kunduz = g.places().iter().find(|p| p.geonameid == 1135689).unwrap();
        assert_eq!(kunduz.kind, PlaceKind::City);
        assert_eq!(kunduz.admin1_name, "Kunduz");
        assert!(kunduz.alternate_names().any(|n| n == "Qunduz"));
    }

    #[test]
    fn geonames_feature_codes_give_kinds() {
        assert_eq!(
            PlaceKind::from_feature_code("PPLC", 0),
            Some(PlaceKind::Capital)
        );
        assert_eq!(
            PlaceKind::from_feature_code("PPLA", 10),
            Some(PlaceKind::City)
        );
        assert_eq!(
            PlaceKind::from_feature_code("PPL", 60_000),
            Some(PlaceKind::City)
        );
        assert_eq!(
            PlaceKind::from_feature_code("PPLA2", 10),
            Some(PlaceKind::Town)
        );
        assert_eq!(
            PlaceKind::from_feature_code("PPL", 10),
            Some(PlaceKind::Village)
        );
        assert_eq!(
            PlaceKind::from_feature_code("ADM2", 0),
            Some(PlaceKind::District)
        );
        assert_eq!(PlaceKind::from_feature_code("STM", 0), None);
    }

    #[test]
    fn geo_precision_follows_acled() {
        let g = Gazetteer::embedded();
        let find = |id| g.places().iter().find(|p| p.geonameid == id).unwrap();
        assert_eq!(find(1135689).geo_precision(), 1); // Kunduz city
        assert_eq!(find(1135690).geo_precision(), 3); // Kunduz province
        assert_eq!(find(7053060).geo_precision(), 3); // Mussahi: no seat, province point
    }
}
