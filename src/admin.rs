//! Admin boundaries from the user's files: district (ADM2) polygons read from GeoJSON
//! in the common schemas (geoBoundaries, OCHA COD-AB, GADM, a plain `name`), a spatial
//! index for point-in-polygon look-ups (the district of an event), and the tie between
//! each unit and the gazetteer's district of the same name, whose point it moves into
//! the polygon ([`AdminLayer::attach`]).
//!
//! No package registry ships district geometry, so it is user data, like a gazetteer:
//! `--admin FILE` or `CLASHMAP_ADMIN`. Without it clashmap works from the gazetteer's
//! points alone.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use geo::{BoundingRect, Centroid, Contains, InteriorPoint, MultiPolygon, Point, Polygon, Rect};
use geojson::{FeatureReader, GeometryValue};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use crate::basemap::Basemap;
use crate::gazetteer::{Gazetteer, Origin, Place, PlaceKind};
use crate::normalize::{Keyer, edit_distance, fold, skeleton};

/// Property names that hold a unit's name, most specific first: OCHA COD-AB, GADM,
/// geoBoundaries, then plain names.
const NAME_FIELDS: [&str; 8] = [
    "ADM2_EN",
    "NAME_2",
    "shapeName",
    "ADM2_NAME",
    "name",
    "NAME",
    "Name",
    "district",
];
/// Property names that hold the unit's province.
const PROVINCE_FIELDS: [&str; 6] = [
    "ADM1_EN",
    "NAME_1",
    "ADM1_NAME",
    "province",
    "admin1",
    "PROVINCE",
];
/// Property names that hold the unit's code.
const CODE_FIELDS: [&str; 6] = ["ADM2_PCODE", "GID_2", "shapeID", "pcode", "code", "id"];
/// Property names that hold other names of the unit (`|`-separated in some schemas).
const ALT_FIELDS: [&str; 5] = [
    "ADM2_ALT1EN",
    "ADM2_ALT2EN",
    "VARNAME_2",
    "alt_names",
    "alternatenames",
];

/// How the gazetteer's point of a district was set from its polygon.
pub const POINT_FROM_BOUNDARY: &str = "boundary";

/// One admin unit (a district) of a boundary file.
#[derive(Debug, Clone)]
pub struct AdminUnit {
    /// The name, as the file spells it.
    pub name: String,
    /// Other names the file gives (parts of a double name "Reg(Khanshin)", variants).
    pub alt_names: Vec<String>,
    /// The unit's code (P-code, GID, shapeID), or empty.
    pub code: String,
    /// The province as the file names it, or empty.
    pub province_as_given: String,
    /// A GeoNames id the file gives (a `geonameid` property), to tie the unit to the
    /// gazetteer's district without comparing names.
    pub geonameid: Option<u64>,
    /// The outline, WGS84 lon/lat.
    pub geometry: MultiPolygon<f64>,
    /// Its bounding box.
    pub bbox: Rect<f64>,
    /// The file it came from.
    pub file: PathBuf,
    /// Its 0-based index among the file's features.
    pub feature: usize,
    /// The gazetteer province (index) it lies in, set by [`AdminLayer::attach`].
    pub province: Option<usize>,
    /// The gazetteer district (index) it is, set by [`AdminLayer::attach`].
    pub place: Option<usize>,
}

impl AdminUnit {
    /// Whether the unit contains a point.
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        let p = Point::new(lon, lat);
        self.bbox.contains(&p) && self.geometry.contains(&p)
    }

    /// A point inside the unit: its centroid when the unit contains it, else an
    /// interior point of its largest part (never outside, unlike a centroid of a
    /// crescent), rounded to 5 decimals.
    pub fn representative_point(&self) -> (f64, f64) {
        let r5 = |x: f64| (x * 1e5).round() / 1e5;
        if let Some(c) = self.geometry.centroid()
            && self.contains(r5(c.x()), r5(c.y()))
        {
            return (r5(c.x()), r5(c.y()));
        }
        let largest = self.geometry.0.iter().max_by(|a, b| {
            use geo::Area;
            a.unsigned_area().total_cmp(&b.unsigned_area())
        });
        match largest.and_then(|p| p.interior_point()) {
            Some(p) => (r5(p.x()), r5(p.y())),
            None => (r5(self.bbox.center().x), r5(self.bbox.center().y)),
        }
    }

    /// Every name of the unit: its name and the alternatives.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.alt_names.iter().map(String::as_str))
    }
}

/// An admin file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The file cannot be read.
    #[error("cannot read admin boundaries {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a GeoJSON FeatureCollection of polygons.
    #[error("{path} is not usable admin boundaries: {reason}")]
    Format {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A feature's coordinates are impossible.
    #[error("{path}: feature {feature}: {reason}")]
    Coordinates {
        /// The file.
        path: PathBuf,
        /// 0-based feature index.
        feature: usize,
        /// What is wrong.
        reason: String,
    },
}

/// A problem with one feature that costs only that feature (or nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminWarning {
    /// The file.
    pub path: PathBuf,
    /// 0-based feature index.
    pub feature: usize,
    /// What is wrong and what was done.
    pub message: String,
}

impl std::fmt::Display for AdminWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: feature {}: {}",
            self.path.display(),
            self.feature,
            self.message
        )
    }
}

/// How the units of a layer were tied to the gazetteer ([`AdminLayer::attach`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttachReport {
    /// Units tied to a gazetteer district, by how: `geonameid`, `name`, `skeleton`,
    /// `similar`, `seat`, `elimination`.
    pub matched: Vec<(String, usize)>,
    /// Units the gazetteer had no district for, added as new districts.
    pub added: usize,
    /// Districts whose seat (in the gazetteer) lies in their polygon: point kept.
    pub seat_kept: usize,
    /// Districts moved to a seat found inside the polygon.
    pub seat_found: usize,
    /// Districts moved to a point inside the polygon.
    pub interior: usize,
}

impl AttachReport {
    /// Units tied to a gazetteer district.
    pub fn matched_total(&self) -> usize {
        self.matched.iter().map(|(_, n)| n).sum()
    }
}

/// The district polygons of one or more files, with a spatial index.
#[derive(Debug, Default)]
pub struct AdminLayer {
    units: Vec<AdminUnit>,
    /// Who to credit for each file's boundaries (by its schema, else its name).
    credits: Vec<String>,
    /// Unit by gazetteer district, set by [`AdminLayer::attach`].
    by_place: HashMap<usize, usize>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

/// Reads a `--admin` argument: `FILE` or `FILE:FIELD` (the property that holds the
/// name). A path that exists as given is a file, even with a colon in it.
pub fn parse_admin_arg(arg: &str) -> (PathBuf, Option<String>) {
    if !Path::new(arg).exists()
        && let Some((file, field)) = arg.rsplit_once(':')
        && !field.is_empty()
        && !field.contains('/')
    {
        return (PathBuf::from(file), Some(field.to_string()));
    }
    (PathBuf::from(arg), None)
}

fn str_prop<'a>(f: &'a geojson::Feature, key: &str) -> Option<&'a str> {
    f.property(key)
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The parts of a double name: "Reg(Khanshin)" is also "Reg" and "Khanshin".
fn name_parts(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((head, rest)) = name.split_once('(') {
        let inner = rest.trim_end_matches(')').trim();
        for part in [head.trim(), inner] {
            if !part.is_empty() && part != name {
                out.push(part.to_string());
            }
        }
    }
    out
}

impl AdminLayer {
    /// An empty layer.
    pub fn new() -> AdminLayer {
        AdminLayer::default()
    }

    /// The units, in load order.
    pub fn units(&self) -> &[AdminUnit] {
        &self.units
    }

    /// Who to credit for the boundaries, one entry per file: the publisher its schema
    /// names (geoBoundaries, OCHA COD-AB, GADM), else the file's name.
    pub fn credits(&self) -> &[String] {
        &self.credits
    }

    /// Whether the layer has no unit.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Reads a GeoJSON FeatureCollection of Polygon/MultiPolygon features and adds its
    /// units; `field` names the property holding the name (else the common schemas are
    /// tried). Features that cannot be used are skipped with a warning; a file with no
    /// usable feature is an error. The file is streamed feature by feature.
    pub fn add_file(
        &mut self,
        path: &Path,
        field: Option<&str>,
    ) -> Result<Vec<AdminWarning>, AdminError> {
        let io = |source| AdminError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = File::open(path).map_err(io)?;
        self.add_reader(path, file, field)
    }

    /// [`AdminLayer::add_file`] for a file's content as a reader (`path` names it in
    /// messages).
    pub fn add_reader(
        &mut self,
        path: &Path,
        mut reader: impl Read,
        field: Option<&str>,
    ) -> Result<Vec<AdminWarning>, AdminError> {
        let io = |source| AdminError::Io {
            path: path.to_path_buf(),
            source,
        };
        let format = |reason: String| AdminError::Format {
            path: path.to_path_buf(),
            reason,
        };
        let mut head = Vec::with_capacity(16);
        (&mut reader).take(16).read_to_end(&mut head).map_err(io)?;
        let head = head.as_slice();
        let n = head.len();
        if head.starts_with(b"SQLite format 3") {
            return Err(format(
                "a GeoPackage (SQLite); convert it first: ogr2ogr -f GeoJSON out.geojson FILE.gpkg"
                    .into(),
            ));
        }
        if head.starts_with(&[0, 0, 0x27, 0x0a]) {
            return Err(format(
                "a Shapefile; convert it first: ogr2ogr -f GeoJSON out.geojson FILE.shp".into(),
            ));
        }
        if n == 0 {
            return Err(format("the file is empty".into()));
        }
        if head.contains(&0) {
            return Err(format("a binary file, not GeoJSON".into()));
        }
        let file = std::io::Cursor::new(head.to_vec()).chain(reader);
        let mut warnings = Vec::new();
        let mut added = 0usize;
        let mut fields_seen: Vec<String> = Vec::new();
        let mut no_name = 0usize;
        let mut schema: Option<&str> = None;
        let start = self.units.len();
        for (i, feature) in FeatureReader::from_reader(BufReader::new(file))
            .features()
            .enumerate()
        {
            let feature = feature.map_err(|e| {
                format(format!(
                    "not a GeoJSON FeatureCollection (at feature {i}: {e})"
                ))
            })?;
            let warn = |message: String| AdminWarning {
                path: path.to_path_buf(),
                feature: i,
                message,
            };
            let name = match field {
                Some(f) => str_prop(&feature, f),
                None => NAME_FIELDS.iter().find_map(|f| {
                    let v = str_prop(&feature, f);
                    if v.is_some() && schema.is_none() {
                        schema = Some(f);
                    }
                    v
                }),
            };
            let Some(name) = name else {
                if fields_seen.is_empty() {
                    fields_seen = feature.properties_iter().map(|(k, _)| k.clone()).collect();
                }
                no_name += 1;
                if no_name <= 5 {
                    warnings.push(warn(match field {
                        Some(f) => format!("no text property {f:?}; skipped"),
                        None => "no name property; skipped".into(),
                    }));
                }
                continue;
            };
            let geometry = match feature.geometry.as_ref().map(|g| &g.value) {
                Some(GeometryValue::Polygon { coordinates }) => {
                    match polygon(coordinates, path, i)? {
                        Ok(p) => MultiPolygon(vec![p]),
                        Err(why) => {
                            warnings.push(warn(format!("{name}: {why}; skipped")));
                            continue;
                        }
                    }
                }
                Some(GeometryValue::MultiPolygon { coordinates }) => {
                    let mut parts = Vec::new();
                    for poly in coordinates {
                        match polygon(poly, path, i)? {
                            Ok(p) => parts.push(p),
                            Err(why) => {
                                warnings.push(warn(format!("{name}: a part {why}; part skipped")))
                            }
                        }
                    }
                    if parts.is_empty() {
                        continue;
                    }
                    MultiPolygon(parts)
                }
                Some(other) => {
                    warnings.push(warn(format!(
                        "{name}: a {}, not a Polygon or MultiPolygon; skipped",
                        other.type_name()
                    )));
                    continue;
                }
                None => {
                    warnings.push(warn(format!("{name}: no geometry; skipped")));
                    continue;
                }
            };
            let Some(bbox) = geometry.bounding_rect() else {
                continue;
            };
            let mut alt_names = name_parts(name);
            for f in ALT_FIELDS {
                if let Some(v) = str_prop(&feature, f) {
                    for a in v.split('|').map(str::trim).filter(|a| !a.is_empty()) {
                        if a != name && !alt_names.iter().any(|x| x == a) {
                            alt_names.push(a.to_string());
                        }
                    }
                }
            }
            let geonameid = feature.property("geonameid").and_then(|v| {
                v.as_u64()
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            });
            self.units.push(AdminUnit {
                name: name.to_string(),
                alt_names,
                code: CODE_FIELDS
                    .iter()
                    .find_map(|f| {
                        feature.property(*f).and_then(|v| match v {
                            serde_json::Value::String(s) => Some(s.trim().to_string()),
                            serde_json::Value::Number(n) => Some(n.to_string()),
                            _ => None,
                        })
                    })
                    .unwrap_or_default(),
                province_as_given: PROVINCE_FIELDS
                    .iter()
                    .find_map(|f| str_prop(&feature, f))
                    .unwrap_or("")
                    .to_string(),
                geonameid,
                geometry,
                bbox,
                file: path.to_path_buf(),
                feature: i,
                province: None,
                place: None,
            });
            added += 1;
        }
        if no_name > 5 {
            warnings.push(AdminWarning {
                path: path.to_path_buf(),
                feature: 0,
                message: format!("{} more features without a name skipped", no_name - 5),
            });
        }
        if added == 0 {
            self.units.truncate(start);
            return Err(format(if no_name > 0 {
                format!(
                    "no feature has a name in {}; its properties are {}; name the field with --admin {}:FIELD",
                    match field {
                        Some(f) => format!("property {f:?}"),
                        None => format!("any of {}", NAME_FIELDS.join(", ")),
                    },
                    if fields_seen.is_empty() {
                        "none".to_string()
                    } else {
                        fields_seen.join(", ")
                    },
                    path.display()
                )
            } else {
                "no Polygon or MultiPolygon feature".to_string()
            }));
        }
        self.reindex();
        let credit = match schema {
            Some("shapeName") => "geoBoundaries (CC BY 4.0)".to_string(),
            Some("ADM2_EN") => "OCHA COD-AB".to_string(),
            Some("NAME_2") => "GADM".to_string(),
            _ => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string()),
        };
        if !self.credits.contains(&credit) {
            self.credits.push(credit);
        }
        Ok(warnings)
    }

    fn reindex(&mut self) {
        self.tree = RTree::bulk_load(
            self.units
                .iter()
                .enumerate()
                .map(|(i, u)| {
                    GeomWithData::new(
                        Rectangle::from_corners(
                            [u.bbox.min().x, u.bbox.min().y],
                            [u.bbox.max().x, u.bbox.max().y],
                        ),
                        i,
                    )
                })
                .collect(),
        );
    }

    /// The unit containing a point (lon, lat): the first loaded when units overlap.
    pub fn locate(&self, lon: f64, lat: f64) -> Option<&AdminUnit> {
        self.locate_index(lon, lat).map(|i| &self.units[i])
    }

    /// [`AdminLayer::locate`] as an index into [`AdminLayer::units`].
    pub fn locate_index(&self, lon: f64, lat: f64) -> Option<usize> {
        if !(lon.is_finite() && lat.is_finite()) {
            return None;
        }
        self.tree
            .locate_all_at_point(&[lon, lat])
            .map(|g| g.data)
            .filter(|&i| self.units[i].geometry.contains(&Point::new(lon, lat)))
            .min()
    }

    /// The unit tied to a gazetteer district.
    pub fn unit_of_place(&self, place: usize) -> Option<&AdminUnit> {
        self.by_place.get(&place).map(|&u| &self.units[u])
    }

    /// Ties every unit to the gazetteer: its province (the file's, else the embedded
    /// province holding most of it), then its district (by GeoNames id, name key,
    /// consonant skeleton, similar name, seat inside, or the one left in the
    /// province). A tied district keeps its seat when the seat lies inside the polygon,
    /// else takes a seat the gazetteer has inside it, else a point inside the polygon;
    /// the file's names become its alternate names. A unit with no district is added
    /// as one.
    pub fn attach(&mut self, gazetteer: &mut Gazetteer) -> Result<AttachReport, AdminError> {
        self.check_axes(gazetteer)?;
        let keyer = Keyer::embedded();
        let basemap = Basemap::embedded();
        let places = gazetteer.places();
        // provinces by their name keys
        let mut province_keys: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in places.iter().enumerate() {
            if p.kind == PlaceKind::Province {
                for n in p.all_names() {
                    let k = keyer.key(&strip_generic(&fold(n)), None);
                    province_keys.entry(k).or_default().push(i);
                }
            }
        }
        let province_by_code: HashMap<(&str, &str), usize> = places
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == PlaceKind::Province)
            .map(|(i, p)| ((p.country_code.as_str(), p.admin1_code.as_str()), i))
            .collect();
        // populated places inside each unit (seats, and provinces outside the basemap)
        let mut inside: Vec<Vec<usize>> = vec![Vec::new(); self.units.len()];
        for (i, p) in places.iter().enumerate() {
            if p.kind.is_populated()
                && let Some(u) = self.locate_index(p.lon, p.lat)
            {
                inside[u].push(i);
            }
        }
        let province_boxes: Vec<(Rect<f64>, &crate::basemap::Area)> = basemap
            .provinces
            .iter()
            .filter_map(|a| Some((a.geometry.bounding_rect()?, a)))
            .collect();
        // each unit's provinces: the file's, then the share of sample points per
        // embedded province (or per province of the places inside)
        let mut shares: Vec<Vec<(usize, f64)>> = Vec::with_capacity(self.units.len());
        for (u, unit) in self.units.iter_mut().enumerate() {
            let mut counts: HashMap<usize, usize> = HashMap::new();
            let samples = sample_points(unit);
            for &(x, y) in &samples {
                let pt = Point::new(x, y);
                let area = province_boxes
                    .iter()
                    .find(|(b, a)| b.contains(&pt) && a.geometry.contains(&pt));
                if let Some((_, a)) = area
                    && let Some(&i) = province_by_code.get(&("AF", a.code.as_str()))
                {
                    *counts.entry(i).or_default() += 1;
                }
            }
            let mut total = samples.len().max(1);
            if counts.is_empty() {
                for &i in &inside[u] {
                    let p = &places[i];
                    if let Some(&pi) =
                        province_by_code.get(&(p.country_code.as_str(), p.admin1_code.as_str()))
                    {
                        *counts.entry(pi).or_default() += 1;
                    }
                }
                total = inside[u].len().max(1);
            }
            let mut share: Vec<(usize, f64)> = counts
                .into_iter()
                .map(|(i, n)| (i, n as f64 / total as f64))
                .collect();
            share.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let given = (!unit.province_as_given.is_empty())
                .then(|| {
                    let k = keyer.key(&strip_generic(&fold(&unit.province_as_given)), None);
                    province_keys.get(&k).and_then(|v| {
                        // a name shared by provinces of several countries: the one
                        // the unit lies in
                        v.iter()
                            .copied()
                            .find(|i| share.iter().any(|(j, _)| j == i))
                            .or_else(|| v.first().copied())
                    })
                })
                .flatten();
            unit.province = given.or_else(|| share.first().map(|(i, _)| *i));
            if let Some(g) = given
                && !share.iter().any(|(i, _)| *i == g)
            {
                share.insert(0, (g, 1.0));
            }
            shares.push(share);
        }
        // candidate districts of each unit: those of its provinces holding >= 15 % of it
        let districts_by_province: HashMap<(&str, &str), Vec<usize>> = {
            let mut m: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
            for (i, p) in places.iter().enumerate() {
                if p.kind == PlaceKind::District {
                    m.entry((p.country_code.as_str(), p.admin1_code.as_str()))
                        .or_default()
                        .push(i);
                }
            }
            m
        };
        let keys_of = |names: &mut dyn Iterator<Item = &str>| -> Vec<String> {
            let mut out: Vec<String> = names
                .flat_map(|n| keyer.name_variants(&strip_generic(&fold(n))))
                .collect();
            out.sort();
            out.dedup();
            out
        };
        let by_id: HashMap<u64, usize> = places
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == PlaceKind::District && p.geonameid != 0)
            .map(|(i, p)| (p.geonameid, i))
            .collect();
        // each district's name keys (primary names, all names), computed once
        let mut district_keys: HashMap<usize, (Vec<String>, Vec<String>)> = HashMap::new();
        // (tier, -similarity, unit, district): the best pairs first
        let mut pairs: Vec<(u8, i64, usize, usize)> = Vec::new();
        let mut candidates_of: Vec<Vec<usize>> = Vec::with_capacity(self.units.len());
        for (u, unit) in self.units.iter().enumerate() {
            let mut cands: Vec<usize> = Vec::new();
            for (pi, share) in &shares[u] {
                if *share >= 0.15 || Some(*pi) == unit.province {
                    let p = &places[*pi];
                    if let Some(v) = districts_by_province
                        .get(&(p.country_code.as_str(), p.admin1_code.as_str()))
                    {
                        for &d in v {
                            if !cands.contains(&d) {
                                cands.push(d);
                            }
                        }
                    }
                }
            }
            if let Some(&d) = unit.geonameid.and_then(|id| by_id.get(&id)) {
                pairs.push((0, 0, u, d));
            }
            let ukeys = keys_of(&mut unit.names());
            for &d in &cands {
                let p = &places[d];
                let (primary, dkeys) = district_keys
                    .entry(d)
                    .or_insert_with(|| {
                        (
                            keys_of(&mut [p.name.as_str(), p.ascii_name.as_str()].into_iter()),
                            keys_of(&mut p.all_names()),
                        )
                    })
                    .clone();
                let same_primary = ukeys.iter().any(|k| primary.contains(k));
                let same = ukeys.iter().any(|k| dkeys.contains(k));
                let sk =
                    |ks: &[String]| -> Vec<String> { ks.iter().map(|k| skeleton(k)).collect() };
                let (usk, dsk) = (sk(&ukeys), sk(&dkeys));
                let same_skeleton = usk.iter().any(|k| k.len() >= 3 && dsk.contains(k));
                let similarity = ukeys
                    .iter()
                    .flat_map(|a| dkeys.iter().map(move |b| similarity(a, b)))
                    .fold(0.0, f64::max);
                let seat_inside = !p.is_province_point() && unit.contains(p.lon, p.lat);
                let tier = if same_primary {
                    1
                } else if same {
                    2
                } else if same_skeleton {
                    3
                } else if similarity >= 0.75 {
                    4
                } else if seat_inside && similarity >= 0.5 {
                    5
                } else {
                    continue;
                };
                pairs.push((tier, -(similarity * 1000.0) as i64, u, d));
            }
            candidates_of.push(cands);
        }
        pairs.sort();
        let mut unit_place: Vec<Option<(usize, u8)>> = vec![None; self.units.len()];
        let mut taken: HashMap<usize, usize> = HashMap::new();
        for &(tier, _, u, d) in &pairs {
            if unit_place[u].is_none() && !taken.contains_key(&d) {
                unit_place[u] = Some((d, tier));
                taken.insert(d, u);
            }
        }
        // by elimination: one unit and one district left among a unit's candidates
        loop {
            let mut progress = false;
            for u in 0..self.units.len() {
                if unit_place[u].is_some() {
                    continue;
                }
                let free: Vec<usize> = candidates_of[u]
                    .iter()
                    .copied()
                    .filter(|d| !taken.contains_key(d))
                    .collect();
                let Some(prov) = self.units[u].province else {
                    continue;
                };
                let rivals = (0..self.units.len())
                    .filter(|&v| unit_place[v].is_none() && self.units[v].province == Some(prov))
                    .count();
                let free_in_prov: Vec<usize> = free
                    .iter()
                    .copied()
                    .filter(|&d| {
                        let (p, a) = (&places[d], &places[prov]);
                        p.country_code == a.country_code && p.admin1_code == a.admin1_code
                    })
                    .collect();
                if rivals == 1 && free_in_prov.len() == 1 {
                    unit_place[u] = Some((free_in_prov[0], 6));
                    taken.insert(free_in_prov[0], u);
                    progress = true;
                }
            }
            if !progress {
                break;
            }
        }
        const HOW: [&str; 7] = [
            "geonameid",
            "name",
            "other name",
            "skeleton",
            "similar name",
            "seat inside",
            "elimination",
        ];
        let mut report = AttachReport::default();
        let mut matched = [0usize; 7];
        let mut new_places: Vec<Place> = Vec::new();
        let n_places = gazetteer.places().len();
        // (district, new point, its source, names to add)
        type Update = (usize, (f64, f64), String, Vec<String>);
        let mut updates: Vec<Update> = Vec::new();
        for (u, unit) in self.units.iter().enumerate() {
            let places = gazetteer.places();
            let seat = best_seat(places, &inside[u], unit, unit_place[u].map(|(d, _)| d));
            match unit_place[u] {
                Some((d, tier)) => {
                    matched[tier as usize] += 1;
                    let p = &places[d];
                    let keep = !p.is_province_point() && unit.contains(p.lon, p.lat);
                    let (point, source) = if keep {
                        report.seat_kept += 1;
                        ((p.lon, p.lat), p.point_source.clone())
                    } else if let Some(s) = seat {
                        report.seat_found += 1;
                        ((places[s].lon, places[s].lat), "seat".to_string())
                    } else {
                        report.interior += 1;
                        (unit.representative_point(), POINT_FROM_BOUNDARY.to_string())
                    };
                    let known: Vec<String> = p.all_names().map(fold).collect();
                    let new_names: Vec<String> = unit
                        .names()
                        .filter(|n| !known.contains(&fold(n)))
                        .map(str::to_string)
                        .collect();
                    updates.push((d, point, source, new_names));
                }
                None => {
                    let (point, source) = match seat {
                        Some(s) => ((places[s].lon, places[s].lat), "seat"),
                        None => (unit.representative_point(), POINT_FROM_BOUNDARY),
                    };
                    let prov = unit.province.map(|i| &places[i]);
                    new_places.push(Place {
                        geonameid: unit.geonameid.unwrap_or(0),
                        name: unit.name.clone(),
                        ascii_name: crate::normalize::fold(&unit.name),
                        alternates: unit.alt_names.join("|"),
                        feature_code: "ADM2".into(),
                        kind: PlaceKind::District,
                        country_code: prov.map(|p| p.country_code.clone()).unwrap_or_default(),
                        admin1_code: prov.map(|p| p.admin1_code.clone()).unwrap_or_default(),
                        admin1_name: prov.map(|p| p.name.clone()).unwrap_or_default(),
                        admin2_code: unit.code.clone(),
                        admin2_name: unit.name.clone(),
                        population: 0,
                        lat: point.1,
                        lon: point.0,
                        point_source: source.into(),
                        origin: Origin::User(unit.file.clone()),
                    });
                    report.added += 1;
                }
            }
        }
        let places = gazetteer.places_mut();
        for (d, (lon, lat), source, names) in updates {
            let p = &mut places[d];
            p.lon = lon;
            p.lat = lat;
            p.point_source = source;
            for n in names {
                if !p.alternates.is_empty() {
                    p.alternates.push('|');
                }
                p.alternates.push_str(&n);
            }
        }
        let mut next = n_places;
        for (u, up) in unit_place.iter().enumerate() {
            match up {
                Some((d, _)) => self.units[u].place = Some(*d),
                None => {
                    self.units[u].place = Some(next);
                    next += 1;
                }
            }
        }
        gazetteer.append(new_places);
        self.by_place = self
            .units
            .iter()
            .enumerate()
            .rev()
            .filter_map(|(u, unit)| Some((unit.place?, u)))
            .collect();
        report.matched = HOW
            .iter()
            .zip(matched)
            .filter(|(_, n)| *n > 0)
            .map(|(h, n)| (h.to_string(), n))
            .collect();
        Ok(report)
    }

    /// Refuses a layer whose coordinates look like (lat, lon): none of it overlaps the
    /// gazetteer's places, but it would with the axes swapped.
    fn check_axes(&self, gazetteer: &Gazetteer) -> Result<(), AdminError> {
        let Some(gbox) = places_bbox(gazetteer.places()) else {
            return Ok(());
        };
        let overlaps = |r: &Rect<f64>| {
            r.min().x <= gbox.max().x
                && r.max().x >= gbox.min().x
                && r.min().y <= gbox.max().y
                && r.max().y >= gbox.min().y
        };
        let swapped = |r: &Rect<f64>| {
            Rect::new(
                geo::coord! {x: r.min().y, y: r.min().x},
                geo::coord! {x: r.max().y, y: r.max().x},
            )
        };
        if !self.units.iter().any(|u| overlaps(&u.bbox))
            && let Some(u) = self.units.iter().find(|u| overlaps(&swapped(&u.bbox)))
        {
            return Err(AdminError::Coordinates {
                path: u.file.clone(),
                feature: u.feature,
                reason: format!(
                    "{}: the coordinates look swapped (latitude, longitude); GeoJSON positions are [longitude, latitude]",
                    u.name
                ),
            });
        }
        Ok(())
    }
}

fn places_bbox(places: &[Place]) -> Option<Rect<f64>> {
    let mut it = places.iter().filter(|p| p.kind.is_populated());
    let first = it.next()?;
    let (mut x0, mut y0, mut x1, mut y1) = (first.lon, first.lat, first.lon, first.lat);
    for p in it {
        x0 = x0.min(p.lon);
        y0 = y0.min(p.lat);
        x1 = x1.max(p.lon);
        y1 = y1.max(p.lat);
    }
    Some(Rect::new(
        geo::coord! {x: x0, y: y0},
        geo::coord! {x: x1, y: y1},
    ))
}

/// The seat among the places inside a unit: a district seat (PPLA2), the most
/// populous first; or a province or national capital named like the district (a
/// capital inside a district of another name is that district's neighbour's seat in
/// another boundary set, not its own).
fn best_seat(
    places: &[Place],
    inside: &[usize],
    unit: &AdminUnit,
    district: Option<usize>,
) -> Option<usize> {
    let keyer = Keyer::embedded();
    let mut keys: Vec<String> = unit
        .names()
        .map(|n| keyer.key(&strip_generic(&fold(n)), None))
        .collect();
    if let Some(d) = district {
        keys.extend(
            [&places[d].name, &places[d].ascii_name]
                .iter()
                .map(|n| keyer.key(&fold(n), None)),
        );
    }
    let named_like = |i: usize| {
        places[i]
            .all_names()
            .any(|n| keys.contains(&keyer.key(&fold(n), None)))
    };
    let most_populous = |pred: &dyn Fn(usize) -> bool| {
        inside
            .iter()
            .copied()
            .filter(|&i| pred(i))
            .max_by(|&a, &b| {
                places[a]
                    .population
                    .cmp(&places[b].population)
                    .then(b.cmp(&a))
            })
    };
    most_populous(&|i| places[i].feature_code == "PPLA2").or_else(|| {
        most_populous(&|i| {
            matches!(places[i].feature_code.as_str(), "PPLA" | "PPLC") && named_like(i)
        })
    })
}

/// "Kajaki District", "wuleswali Nawa": the name without a generic word.
fn strip_generic(folded: &str) -> String {
    const GENERIC: [&str; 5] = ["district", "province", "wuleswali", "woluswali", "city"];
    folded
        .split(' ')
        .filter(|w| !w.is_empty() && !GENERIC.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// 1 - edit distance / longer length, over name keys.
fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (a.replace(' ', ""), b.replace(' ', ""));
    let n = a.chars().count().max(b.chars().count());
    if n == 0 {
        return 0.0;
    }
    1.0 - edit_distance(&a, &b) as f64 / n as f64
}

/// A grid of points of a unit's bounding box that lie inside it (at least one: its
/// representative point), to weigh what share of it lies in each province.
fn sample_points(unit: &AdminUnit) -> Vec<(f64, f64)> {
    const N: usize = 9;
    let (min, max) = (unit.bbox.min(), unit.bbox.max());
    let mut out = Vec::new();
    for i in 0..N {
        for j in 0..N {
            let x = min.x + (max.x - min.x) * (i as f64 + 0.5) / N as f64;
            let y = min.y + (max.y - min.y) * (j as f64 + 0.5) / N as f64;
            if unit.geometry.contains(&Point::new(x, y)) {
                out.push((x, y));
            }
        }
    }
    if out.is_empty() {
        out.push(unit.representative_point());
    }
    out
}

/// A GeoJSON polygon's rings as a polygon: `Err` (the reason) for a ring too short to
/// enclose anything; an error for impossible coordinates.
#[allow(clippy::type_complexity)]
fn polygon(
    rings: &[Vec<geojson::Position>],
    path: &Path,
    feature: usize,
) -> Result<Result<Polygon<f64>, String>, AdminError> {
    let mut out: Vec<geo::LineString<f64>> = Vec::with_capacity(rings.len());
    for ring in rings {
        let mut coords = Vec::with_capacity(ring.len());
        for pos in ring {
            let (x, y) = match pos.as_slice() {
                [x, y, ..] => (*x, *y),
                _ => {
                    return Err(AdminError::Coordinates {
                        path: path.to_path_buf(),
                        feature,
                        reason: "a position with fewer than 2 numbers".into(),
                    });
                }
            };
            if !((-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y)) {
                return Err(AdminError::Coordinates {
                    path: path.to_path_buf(),
                    feature,
                    reason: format!(
                        "position [{x}, {y}] is not a longitude and latitude (GeoJSON positions are [longitude, latitude] in degrees)"
                    ),
                });
            }
            coords.push(geo::coord! {x: x, y: y});
        }
        let mut distinct = coords.clone();
        distinct.dedup();
        if distinct.first() == distinct.last() && distinct.len() > 1 {
            distinct.pop();
        }
        if distinct.len() < 3 {
            if out.is_empty() {
                return Ok(Err(format!(
                    "has an outer ring of {} distinct positions (a ring needs at least 3)",
                    distinct.len()
                )));
            }
            // a degenerate hole encloses nothing
            continue;
        }
        // an open ring is closed (geo closes it), as GDAL reads it
        out.push(geo::LineString::new(coords));
    }
    let mut it = out.into_iter();
    let Some(exterior) = it.next() else {
        return Ok(Err("has no ring".into()));
    };
    Ok(Ok(Polygon::new(exterior, it.collect())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geocode::{Geocoder, ResolveOptions};

    /// A square polygon feature, lon/lat corners, with the given properties (JSON).
    fn square(props: &str, w: f64, s: f64, e: f64, n: f64) -> String {
        format!(
            r#"{{"type":"Feature","properties":{props},"geometry":{{"type":"Polygon","coordinates":[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]}}}}"#
        )
    }

    fn collection(features: &[String]) -> String {
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        )
    }

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn load(
        text: &str,
        field: Option<&str>,
    ) -> Result<(AdminLayer, Vec<AdminWarning>), AdminError> {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "admin.geojson", text);
        let mut layer = AdminLayer::new();
        let w = layer.add_file(&p, field)?;
        Ok((layer, w))
    }

    #[test]
    fn the_common_schemas_are_read() {
        for (props, name, province, code) in [
            (
                r#"{"ADM2_EN":"Nirkh","ADM2_PCODE":"AF0403","ADM1_EN":"Maidan Wardak"}"#,
                "Nirkh",
                "Maidan Wardak",
                "AF0403",
            ),
            (
                r#"{"NAME_2":"Nirkh","NAME_1":"Wardak","GID_2":"AFG.34.5_1"}"#,
                "Nirkh",
                "Wardak",
                "AFG.34.5_1",
            ),
            (
                r#"{"shapeName":"Reg(Khanshin)","shapeID":"X1"}"#,
                "Reg(Khanshin)",
                "",
                "X1",
            ),
            (
                r#"{"name":"Nirkh","province":"Maidan Wardak","pcode":7}"#,
                "Nirkh",
                "Maidan Wardak",
                "7",
            ),
        ] {
            let (layer, warnings) =
                load(&collection(&[square(props, 68.6, 34.1, 68.8, 34.3)]), None).unwrap();
            assert!(warnings.is_empty(), "{warnings:?}");
            let u = &layer.units()[0];
            assert_eq!(
                (
                    u.name.as_str(),
                    u.province_as_given.as_str(),
                    u.code.as_str()
                ),
                (name, province, code)
            );
        }
        let (layer, _) = load(
            &collection(&[square(
                r#"{"shapeName":"Reg(Khanshin)"}"#,
                64.0,
                30.0,
                64.5,
                30.5,
            )]),
            None,
        )
        .unwrap();
        assert_eq!(layer.units()[0].alt_names, ["Reg", "Khanshin"]);
        assert_eq!(layer.credits(), ["geoBoundaries (CC BY 4.0)"]);
    }

    #[test]
    fn a_named_field_is_read_and_a_missing_one_is_a_clear_error() {
        let text = collection(&[square(
            r#"{"DIST_LABEL":"Nirkh","pop":3}"#,
            68.6,
            34.1,
            68.8,
            34.3,
        )]);
        let (layer, _) = load(&text, Some("DIST_LABEL")).unwrap();
        assert_eq!(layer.units()[0].name, "Nirkh");
        let err = load(&text, None).unwrap_err().to_string();
        assert!(err.contains("DIST_LABEL, pop"), "{err}");
        assert!(err.contains(":FIELD"), "{err}");
        assert_eq!(
            parse_admin_arg("/nonexistent/a.geojson:DIST_LABEL")
                .1
                .as_deref(),
            Some("DIST_LABEL")
        );
        assert_eq!(parse_admin_arg("/nonexistent/a.geojson").1, None);
    }

    #[test]
    fn features_that_are_not_polygons_are_skipped_with_a_warning() {
        let point = r#"{"type":"Feature","properties":{"name":"Dot"},"geometry":{"type":"Point","coordinates":[68.7,34.2]}}"#;
        let short = r#"{"type":"Feature","properties":{"name":"Flat"},"geometry":{"type":"Polygon","coordinates":[[[68.0,34.0],[68.1,34.0],[68.0,34.0]]]}}"#;
        // an open ring (first position not repeated) is closed, as GDAL reads it
        let open = r#"{"type":"Feature","properties":{"name":"Open"},"geometry":{"type":"Polygon","coordinates":[[[60.0,30.0],[61.0,30.0],[61.0,31.0],[60.0,31.0]]]}}"#;
        let (layer, warnings) = load(
            &collection(&[
                point.into(),
                short.into(),
                open.into(),
                square(r#"{"name":"Nirkh"}"#, 68.6, 34.1, 68.8, 34.3),
            ]),
            None,
        )
        .unwrap();
        assert_eq!(layer.units().len(), 2);
        assert!(layer.locate(60.5, 30.5).is_some_and(|u| u.name == "Open"));
        let text: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert!(text[0].contains("feature 0: Dot: a Point"), "{text:?}");
        assert!(
            text[1].contains("feature 1: Flat") && text[1].contains("ring"),
            "{text:?}"
        );
        let err = load(&collection(&[point.into()]), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no Polygon or MultiPolygon"), "{err}");
    }

    #[test]
    fn impossible_coordinates_and_other_formats_are_errors() {
        let err = load(
            &collection(&[square(r#"{"name":"X"}"#, 68.0, 34.0, 68.2, 91.0)]),
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("feature 0") && err.contains("[longitude, latitude]"),
            "{err}"
        );
        for (text, what) in [
            ("", "empty"),
            ("SQLite format 3\0rest", "GeoPackage"),
            ("[1, 2, 3]", "FeatureCollection"),
            (
                "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":",
                "FeatureCollection",
            ),
        ] {
            let err = load(text, None).unwrap_err().to_string();
            assert!(err.contains(what), "{what}: {err}");
        }
    }

    #[test]
    fn swapped_axes_are_refused() {
        // Nirkh with (lat, lon) positions
        let (mut layer, _) = load(
            &collection(&[square(r#"{"name":"Nirkh"}"#, 34.1, 68.6, 34.3, 68.8)]),
            None,
        )
        .unwrap();
        let mut g = Gazetteer::embedded();
        let err = layer.attach(&mut g).unwrap_err().to_string();
        assert!(err.contains("swapped"), "{err}");
    }

    #[test]
    fn units_are_tied_to_the_gazetteer_and_district_names_resolve_inside() {
        let (mut layer, _) = load(
            &collection(&[
                square(
                    r#"{"ADM2_EN":"Nirkh","ADM1_EN":"Maidan Wardak"}"#,
                    68.6,
                    34.1,
                    68.8,
                    34.3,
                ),
                // a district the gazetteer does not know
                square(
                    r#"{"ADM2_EN":"Zyxwarda","ADM1_EN":"Kandahar"}"#,
                    65.5,
                    31.0,
                    65.6,
                    31.1,
                ),
            ]),
            None,
        )
        .unwrap();
        let mut gaz = Gazetteer::embedded();
        let report = layer.attach(&mut gaz).unwrap();
        assert_eq!(report.matched, [("name".to_string(), 1)]);
        assert_eq!(report.added, 1);
        let mut g = Geocoder::new(gaz);
        g.set_admin(layer);
        for (query, name) in [
            ("Nirkh district", "Nirkh"),
            ("Zyxwarda district", "Zyxwarda"),
        ] {
            let r = g.resolve(query, &ResolveOptions::default()).unwrap();
            let p = g.place(r.place);
            assert_eq!(p.kind, PlaceKind::District, "{query}");
            assert_eq!(r.geo_precision, 2, "{query}");
            let unit = g
                .admin_unit_at(p.lon, p.lat)
                .unwrap_or_else(|| panic!("{query}: outside"));
            assert_eq!(unit.name, name);
        }
        let z = g.place(
            g.resolve("Zyxwarda", &ResolveOptions::default())
                .unwrap()
                .place,
        );
        assert_eq!(
            (z.admin1_name.as_str(), z.country_code.as_str()),
            ("Kandahar", "AF")
        );
        assert!(g.admin_unit_at(65.55, 31.05).unwrap().province.is_some());
        assert!(g.admin_unit_at(70.0, 30.0).is_none());
        assert!(g.admin_unit_at(f64::NAN, 30.0).is_none());
    }
}
