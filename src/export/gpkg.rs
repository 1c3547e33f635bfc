//! GeoPackage output (OGC 12-128, version 1.2, which GDAL 3.6 and later read fully): one SQLite file holding the
//! `events` layer (points), the `distances` layer (lines), and the `sources` attribute
//! table (one row per report of an event), with declared column types (DATE, MEDIUMINT,
//! INTEGER, REAL, TEXT, BOOLEAN), EPSG:4326 and an R-tree spatial index on both layers. QGIS,
//! ArcGIS and GDAL open it with no options.
//!
//! The file is written like every other output: into a temporary file beside the
//! target, renamed over it only when complete. The same rows give the same bytes:
//! `gpkg_contents.last_change` is the latest day of the data, not the clock.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, params_from_iter, types::Value};

use super::record::{CSV_COLUMNS, Field, INTEGER_PROPERTIES, Record};
use super::sources::SourceRow;

/// A GeoPackage that cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum GpkgError {
    /// SQLite refused a statement.
    #[error("GeoPackage {file}: {source}")]
    Sqlite {
        /// The file being written.
        file: String,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The file could not be created or renamed into place.
    #[error("GeoPackage {file}: {source}")]
    Io {
        /// The file being written.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// GeoPackage is a database file, which cannot be streamed to a pipe.
    #[error("GeoPackage {file}: a GeoPackage is a database file; name a regular file")]
    NotAFile {
        /// The path given.
        file: String,
    },
}

/// An extent: (min x, max x, min y, max y).
type Extent = (f64, f64, f64, f64);

/// A line of the distance layer, as every format writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct LineRow {
    /// `FROM-TO` event ids.
    pub id: String,
    /// The geodesic path, (longitude, latitude).
    pub path: Vec<(f64, f64)>,
    /// The first event's id and place name.
    pub from_event: String,
    /// The first event's place.
    pub from: String,
    /// The second event's id.
    pub to_event: String,
    /// The second event's place.
    pub to: String,
    /// Geodesic distance, km, one decimal.
    pub distance_km: f64,
    /// The distance an article states: (km, approximate, words, article).
    pub reported: Option<(f64, bool, String, String)>,
}

/// The events layer's columns and their GeoPackage types (the CSV schema's order,
/// latitude and longitude included).
fn event_columns() -> Vec<(&'static str, &'static str)> {
    CSV_COLUMNS
        .iter()
        .map(|&c| {
            let ty = match c {
                "event_date" | "date_start" | "date_end" => "DATE",
                "latitude" | "longitude" => "REAL",
                // GeoPackage's 64-bit INTEGER reads as Integer64 in GDAL; counts, years
                // and codes fit its 32-bit MEDIUMINT (read as Integer)
                "geonameid" => "INTEGER",
                c if INTEGER_PROPERTIES.contains(&c) => "MEDIUMINT",
                _ => "TEXT",
            };
            (c, ty)
        })
        .collect()
}

/// The distances layer's columns.
const LINE_COLUMNS: [(&str, &str); 11] = [
    ("line_id", "TEXT"),
    ("from_event", "TEXT"),
    ("from", "TEXT"),
    ("to_event", "TEXT"),
    ("to", "TEXT"),
    ("distance_km", "REAL"),
    ("stated", "BOOLEAN"),
    ("reported_km", "REAL"),
    ("reported_approximate", "BOOLEAN"),
    ("reported_text", "TEXT"),
    ("reported_source", "TEXT"),
];

/// The sources table's columns: those of `event_sources.csv`, typed.
fn source_columns() -> Vec<(&'static str, &'static str)> {
    super::sources::SOURCE_COLUMNS
        .iter()
        .map(|&c| {
            let ty = match c {
                "date_start" | "date_end" => "DATE",
                "fatalities" | "fatalities_claimed" => "MEDIUMINT",
                _ => "TEXT",
            };
            (c, ty)
        })
        .collect()
}

/// A GeoPackage's geometry blob: the standard header (magic, version 0, flags:
/// little-endian, an envelope when asked, SRS id 4326), then little-endian WKB.
fn blob(wkb_type: u32, points: &[(f64, f64)], envelope: bool) -> Vec<u8> {
    let mut b = Vec::with_capacity(8 + 32 + 9 + points.len() * 16);
    b.extend_from_slice(b"GP");
    b.push(0);
    b.push(if envelope { 0b0000_0011 } else { 0b0000_0001 });
    b.extend_from_slice(&4326i32.to_le_bytes());
    if envelope {
        let (x0, x1, y0, y1) = bounds(points);
        for v in [x0, x1, y0, y1] {
            b.extend_from_slice(&v.to_le_bytes());
        }
    }
    b.push(1);
    b.extend_from_slice(&wkb_type.to_le_bytes());
    if wkb_type == 2 {
        b.extend_from_slice(&(points.len() as u32).to_le_bytes());
    }
    for (x, y) in points {
        b.extend_from_slice(&x.to_le_bytes());
        b.extend_from_slice(&y.to_le_bytes());
    }
    b
}

/// (min x, max x, min y, max y) of points.
fn bounds(points: &[(f64, f64)]) -> Extent {
    points.iter().fold(
        (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ),
        |(a, b, c, d), &(x, y)| (a.min(x), b.max(x), c.min(y), d.max(y)),
    )
}

/// A property as an SQLite value (text, integer, or NULL).
fn value(f: &Field) -> Value {
    match f {
        Field::Str(s) => Value::Text(s.clone()),
        Field::Int(n) => Value::Integer(*n),
        Field::Null => Value::Null,
    }
}

/// An optional text as an SQLite value.
fn text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::Text(s.to_string()))
}

/// A GeoPackage being written: layers are added in any order, then [`Gpkg::finish`]
/// indexes them and renames the file into place. Dropped unfinished, the temporary
/// file is removed and the target is untouched.
pub struct Gpkg {
    conn: Option<Connection>,
    tmp: PathBuf,
    path: PathBuf,
    /// Extents of the layers written, by table.
    extents: Vec<(&'static str, Option<Extent>)>,
    /// The latest day of the data (`YYYY-MM-DD`), for `last_change`.
    latest: Option<String>,
}

impl Gpkg {
    /// Starts a GeoPackage that will replace `path`, with its metadata tables and the
    /// three (empty) tables.
    pub fn create(path: &Path) -> Result<Gpkg, GpkgError> {
        let file = path.display().to_string();
        if super::is_special(path) {
            return Err(GpkgError::NotAFile { file });
        }
        // written beside the file (a symbolic link's target), renamed over it at the end
        let (path, tmp) = super::temporary_beside(path);
        let _ = std::fs::remove_file(&tmp);
        let conn = Connection::open(&tmp).map_err(|source| GpkgError::Sqlite {
            file: file.clone(),
            source,
        })?;
        let mut g = Gpkg {
            conn: Some(conn),
            tmp,
            path,
            extents: Vec::new(),
            latest: None,
        };
        g.exec(&schema())?;
        Ok(g)
    }

    fn err(&self, source: rusqlite::Error) -> GpkgError {
        GpkgError::Sqlite {
            file: self.path.display().to_string(),
            source,
        }
    }

    fn conn(&self) -> &Connection {
        self.conn.as_ref().expect("open until finished")
    }

    fn exec(&mut self, sql: &str) -> Result<(), GpkgError> {
        self.conn().execute_batch(sql).map_err(|e| self.err(e))
    }

    /// Inserts rows into `table` in one transaction: the values of `columns` (after the
    /// geometry in a layer, whose rows start with it). A row's envelope, when it has
    /// one, goes to the layer's R-tree and grows its extent.
    fn insert(
        &mut self,
        table: &'static str,
        columns: &[(&str, &str)],
        layer: bool,
        rows: impl Iterator<Item = (Vec<Value>, Option<Extent>)>,
    ) -> Result<(), GpkgError> {
        let mut names: Vec<String> = columns.iter().map(|(c, _)| format!("\"{c}\"")).collect();
        if layer {
            names.insert(0, "geom".into());
        }
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES (?{})",
            names.join(", "),
            ",?".repeat(names.len() - 1)
        );
        let mut extent = self.extent(table);
        {
            let conn = self.conn.as_ref().expect("open until finished");
            let tx = conn.unchecked_transaction().map_err(|e| self.err(e))?;
            {
                let mut stmt = tx.prepare_cached(&sql).map_err(|e| self.err(e))?;
                let index_sql = format!("INSERT INTO rtree_{table}_geom VALUES (?, ?, ?, ?, ?)");
                let mut index = if layer {
                    Some(tx.prepare_cached(&index_sql).map_err(|e| self.err(e))?)
                } else {
                    None
                };
                for (row, envelope) in rows {
                    let fid = stmt
                        .insert(params_from_iter(row))
                        .map_err(|e| self.err(e))?;
                    if let (Some(index), Some(e)) = (index.as_mut(), envelope) {
                        let (x0, x1, y0, y1) = e;
                        index
                            .execute(rusqlite::params![fid, x0, x1, y0, y1])
                            .map_err(|e| self.err(e))?;
                        extent = Some(match extent {
                            None => e,
                            Some(a) => (a.0.min(x0), a.1.max(x1), a.2.min(y0), a.3.max(y1)),
                        });
                    }
                }
            }
            tx.commit().map_err(|e| self.err(e))?;
        }
        if layer {
            self.extents.retain(|(t, _)| *t != table);
            self.extents.push((table, extent));
        }
        Ok(())
    }

    /// Adds event records to the `events` layer (null geometry for unplaced events).
    pub fn add_events(&mut self, records: &[Record]) -> Result<(), GpkgError> {
        let cols = event_columns();
        let latest = records
            .iter()
            .filter_map(|r| r.get("date_end").as_str())
            .max();
        if let Some(d) = latest
            && self.latest.as_deref().is_none_or(|l| l < d)
        {
            self.latest = Some(d.to_string());
        }
        let rows = records.iter().map(|r| {
            let mut row: Vec<Value> = Vec::with_capacity(cols.len() + 1);
            row.push(match r.point {
                Some(p) => Value::Blob(blob(1, &[p], false)),
                None => Value::Null,
            });
            for (c, _) in &cols {
                row.push(match (*c, r.point) {
                    ("latitude", Some((_, lat))) => Value::Real(lat),
                    ("longitude", Some((lon, _))) => Value::Real(lon),
                    ("latitude" | "longitude", None) => Value::Null,
                    _ => value(r.get(c)),
                });
            }
            (row, r.point.map(|(x, y)| (x, x, y, y)))
        });
        self.insert("events", &cols, true, rows)
    }

    /// Adds lines to the `distances` layer.
    pub fn add_lines(&mut self, lines: &[LineRow]) -> Result<(), GpkgError> {
        let rows = lines.iter().filter(|l| !l.path.is_empty()).map(|l| {
            let (rkm, approx, words, source) = match &l.reported {
                Some((km, a, t, s)) => (
                    Value::Real(*km),
                    Value::Integer(i64::from(*a)),
                    text(Some(t)),
                    text(Some(s)),
                ),
                None => (Value::Null, Value::Integer(0), Value::Null, Value::Null),
            };
            let row = vec![
                Value::Blob(blob(2, &l.path, true)),
                text(Some(&l.id)),
                text(Some(&l.from_event)),
                text(Some(&l.from)),
                text(Some(&l.to_event)),
                text(Some(&l.to)),
                Value::Real(l.distance_km),
                Value::Integer(i64::from(l.reported.is_some())),
                rkm,
                approx,
                words,
                source,
            ];
            (row, Some(bounds(&l.path)))
        });
        self.insert("distances", &LINE_COLUMNS, true, rows)
    }

    /// Adds rows to the `sources` table.
    pub fn add_sources(&mut self, rows: &[SourceRow]) -> Result<(), GpkgError> {
        let rows = rows.iter().map(|s| {
            let row = vec![
                text(Some(&s.event_id)),
                text(Some(&s.source)),
                text(s.report_id.as_deref()),
                text(s.date_start.as_deref()),
                text(s.date_end.as_deref()),
                s.fatalities.map_or(Value::Null, Value::Integer),
                s.fatalities_claimed.map_or(Value::Null, Value::Integer),
                text(s.location_as_reported.as_deref()),
            ];
            (row, None)
        });
        self.insert("sources", &source_columns(), false, rows)
    }

    fn extent(&self, table: &str) -> Option<Extent> {
        self.extents
            .iter()
            .find(|(t, _)| *t == table)
            .and_then(|(_, e)| *e)
    }

    /// Fills the spatial indexes and the layers' extents, and renames the file into
    /// place.
    pub fn finish(mut self) -> Result<(), GpkgError> {
        let last_change = match &self.latest {
            Some(d) => format!("{d}T00:00:00.000Z"),
            None => "1970-01-01T00:00:00.000Z".into(),
        };
        let mut sql = String::new();
        for table in ["events", "distances", "sources"] {
            sql.push_str(&format!(
                "UPDATE gpkg_contents SET last_change = '{last_change}' WHERE table_name = '{table}';\n"
            ));
        }
        for (table, e) in &self.extents {
            if let Some((x0, x1, y0, y1)) = e {
                sql.push_str(&format!(
                    "UPDATE gpkg_contents SET min_x = {x0}, min_y = {y0}, max_x = {x1}, max_y = {y1} WHERE table_name = '{table}';\n"
                ));
            }
        }
        sql.push_str(TRIGGERS);
        self.exec(&format!("BEGIN;\n{sql}COMMIT;"))?;
        let conn = self.conn.take().expect("open until finished");
        let file = self.path.display().to_string();
        let done = conn
            .close()
            .map_err(|(_, source)| GpkgError::Sqlite {
                file: file.clone(),
                source,
            })
            .and_then(|()| {
                std::fs::File::open(&self.tmp)
                    .and_then(|f| f.sync_all())
                    .and_then(|()| std::fs::rename(&self.tmp, &self.path))
                    .map_err(|source| GpkgError::Io { file, source })
            });
        // nothing is left behind when the last steps fail
        if done.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        done
    }
}

impl Drop for Gpkg {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let _ = conn.close();
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// The metadata tables, the layers and their R-tree tables (empty).
fn schema() -> String {
    let cols = |c: &[(&str, &str)]| -> String {
        c.iter()
            .map(|(n, t)| format!(", \"{n}\" {t}"))
            .collect::<String>()
    };
    let events = cols(&event_columns());
    let lines = cols(&LINE_COLUMNS);
    let sources = cols(&source_columns());
    format!(
        "PRAGMA application_id = 1196444487;
PRAGMA user_version = 10200;
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, '{WGS84}', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name), CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
CREATE TABLE events (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom POINT{events});
CREATE TABLE distances (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom LINESTRING{lines});
CREATE TABLE sources (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL{sources});
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ('events', 'features', 'events', 'Armed clashes and violence extracted from news reports by clashmap (one row per event)', 4326);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ('distances', 'features', 'distances', 'Geodesic lines between related events, with the distances articles state', 4326);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('sources', 'attributes', 'sources', 'Every report of every event: one row per source article');
INSERT INTO gpkg_geometry_columns VALUES ('events', 'geom', 'POINT', 4326, 0, 0);
INSERT INTO gpkg_geometry_columns VALUES ('distances', 'geom', 'LINESTRING', 4326, 0, 0);
CREATE VIRTUAL TABLE rtree_events_geom USING rtree(id, minx, maxx, miny, maxy);
CREATE VIRTUAL TABLE rtree_distances_geom USING rtree(id, minx, maxx, miny, maxy);
INSERT INTO gpkg_extensions VALUES ('events', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
INSERT INTO gpkg_extensions VALUES ('distances', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
COMMIT;",
        WGS84 = WGS84_WKT
    )
}

/// EPSG:4326 in OGC WKT 1, as GeoPackages carry it.
const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

/// The R-tree triggers of the GeoPackage specification (extension F.3), so that a
/// layer edited later in QGIS keeps its index (they call the ST_ functions that GIS
/// software registers; they are not run while clashmap writes).
const TRIGGERS: &str = "
CREATE TRIGGER rtree_events_geom_insert AFTER INSERT ON events WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO rtree_events_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_events_geom_update1 AFTER UPDATE OF geom ON events WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO rtree_events_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_events_geom_update2 AFTER UPDATE OF geom ON events WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM rtree_events_geom WHERE id = OLD.fid; END;
CREATE TRIGGER rtree_events_geom_update3 AFTER UPDATE ON events WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM rtree_events_geom WHERE id = OLD.fid; INSERT OR REPLACE INTO rtree_events_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_events_geom_update4 AFTER UPDATE ON events WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM rtree_events_geom WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER rtree_events_geom_delete AFTER DELETE ON events WHEN old.geom NOT NULL BEGIN DELETE FROM rtree_events_geom WHERE id = OLD.fid; END;
CREATE TRIGGER rtree_distances_geom_insert AFTER INSERT ON distances WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO rtree_distances_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_distances_geom_update1 AFTER UPDATE OF geom ON distances WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO rtree_distances_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_distances_geom_update2 AFTER UPDATE OF geom ON distances WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM rtree_distances_geom WHERE id = OLD.fid; END;
CREATE TRIGGER rtree_distances_geom_update3 AFTER UPDATE ON distances WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM rtree_distances_geom WHERE id = OLD.fid; INSERT OR REPLACE INTO rtree_distances_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER rtree_distances_geom_update4 AFTER UPDATE ON distances WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM rtree_distances_geom WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER rtree_distances_geom_delete AFTER DELETE ON distances WHEN old.geom NOT NULL BEGIN DELETE FROM rtree_distances_geom WHERE id = OLD.fid; END;
";

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn record(id: &str, point: Option<(f64, f64)>, date: &str, dead: i64) -> Record {
        let mut props = std::collections::BTreeMap::new();
        props.insert(Cow::Borrowed("event_id"), Field::text(id));
        props.insert(Cow::Borrowed("event_date"), Field::text(date));
        props.insert(Cow::Borrowed("date_end"), Field::text(date));
        props.insert(Cow::Borrowed("fatalities"), Field::Int(dead));
        Record {
            id: id.into(),
            point,
            props,
        }
    }

    #[test]
    fn layers_types_index_and_rows_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.gpkg");
        let mut g = Gpkg::create(&path).unwrap();
        g.add_events(&[
            record("A", Some((68.86, 36.73)), "2019-08-31", 3),
            record("B", None, "2019-09-02", 0),
        ])
        .unwrap();
        g.add_lines(&[LineRow {
            id: "A-C".into(),
            path: vec![(68.86, 36.73), (68.7, 35.9)],
            from_event: "A".into(),
            from: "Kunduz".into(),
            to_event: "C".into(),
            to: "Pul-e Khumri".into(),
            distance_km: 88.3,
            reported: Some((100.0, true, "zo'n honderd kilometer".into(), "a.txt".into())),
        }])
        .unwrap();
        g.finish().unwrap();
        // only the file itself is left
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let c = Connection::open(&path).unwrap();
        let app: i64 = c
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(app, 0x4750_4B47);
        let n: i64 = c
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
        let (x0, y1): (f64, f64) = c
            .query_row("SELECT minx, maxy FROM rtree_distances_geom", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        // the R-tree keeps 32-bit floats, rounded outwards
        assert!((68.69..=68.7).contains(&x0) && (36.73..=36.74).contains(&y1));
        let indexed: i64 = c
            .query_row("SELECT count(*) FROM rtree_events_geom", [], |r| r.get(0))
            .unwrap();
        assert_eq!(indexed, 1, "the unplaced event is not indexed");
        let last: String = c
            .query_row(
                "SELECT last_change FROM gpkg_contents WHERE table_name='events'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(last, "2019-09-02T00:00:00.000Z");
        let ty: String = c
            .query_row(
                "SELECT type FROM pragma_table_info('events') WHERE name='event_date'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(ty, "DATE");
    }

    #[test]
    fn the_same_rows_give_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str| {
            let path = dir.path().join(name);
            let mut g = Gpkg::create(&path).unwrap();
            g.add_events(&[record("A", Some((68.86, 36.73)), "2019-08-31", 3)])
                .unwrap();
            g.finish().unwrap();
            std::fs::read(path).unwrap()
        };
        assert_eq!(write("a.gpkg"), write("b.gpkg"));
    }

    #[test]
    fn an_unfinished_package_leaves_the_old_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.gpkg");
        std::fs::write(&path, "old").unwrap();
        {
            let mut g = Gpkg::create(&path).unwrap();
            g.add_events(&[record("A", None, "2019-08-31", 0)]).unwrap();
        }
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_point_blob_is_header_then_wkb() {
        let b = blob(1, &[(1.5, -2.0)], false);
        assert_eq!(&b[..4], b"GP\x00\x01");
        assert_eq!(b.len(), 8 + 21);
        assert_eq!(&b[8..13], &[1, 1, 0, 0, 0]);
        assert_eq!(f64::from_le_bytes(b[13..21].try_into().unwrap()), 1.5);
    }
}
