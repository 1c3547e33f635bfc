//! The embedded basemap: Afghanistan's 34 province polygons, the neighbouring
//! countries clipped to the map box, and the world's countries for maps elsewhere
//! (`data/basemap/`, built by `scripts/build-geodata.py` from Natural Earth, with its
//! label errors fixed by joining on the GeoNames admin1 code).

use std::sync::OnceLock;

use geo::{BoundingRect, Contains, MultiPolygon, Point, Rect};
use geojson::{FeatureCollection, GeometryValue};

static PROVINCES: &str = include_str!("../data/basemap/provinces.geojson");
static NEIGHBOURS: &str = include_str!("../data/basemap/neighbours.geojson");
static WORLD: &str = include_str!("../data/basemap/world.geojson");

/// The box the detailed layers cover (the provinces, the neighbours clipped to it):
/// west, south, east, north in degrees. A map reaching outside it is drawn on the
/// world's countries.
pub const DETAIL_BOX: (f64, f64, f64, f64) = (55.0, 25.0, 80.0, 42.0);

/// One polygon area of the basemap: a province or a country.
#[derive(Debug, Clone)]
pub struct Area {
    /// GeoNames admin1 code (provinces) or ISO country code (countries).
    pub code: String,
    /// Display name.
    pub name: String,
    /// ISO 3166-2 code (provinces), or empty.
    pub iso_3166_2: String,
    /// The outline, WGS84 lon/lat.
    pub geometry: MultiPolygon<f64>,
}

/// The basemap layers.
#[derive(Debug, Clone)]
pub struct Basemap {
    /// Afghanistan's provinces, by admin1 code.
    pub provinces: Vec<Area>,
    /// Neighbouring countries, clipped to the map box.
    pub countries: Vec<Area>,
}

/// A basemap file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("basemap {file}: {message}")]
pub struct BasemapError {
    file: String,
    message: String,
}

fn read_areas(file: &str, text: &str, code_key: &str) -> Result<Vec<Area>, BasemapError> {
    let err = |message: String| BasemapError {
        file: file.to_string(),
        message,
    };
    let fc: FeatureCollection = text
        .parse()
        .map_err(|e: geojson::Error| err(e.to_string()))?;
    let mut out = Vec::new();
    for (i, f) in fc.features.into_iter().enumerate() {
        let prop = |k: &str| {
            f.property(k)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let geometry = match f.geometry.as_ref().map(|g| &g.value) {
            Some(v @ GeometryValue::Polygon { .. }) => MultiPolygon(vec![
                geo::Polygon::try_from(v).map_err(|e| err(format!("feature {i}: {e}")))?,
            ]),
            Some(v @ GeometryValue::MultiPolygon { .. }) => {
                MultiPolygon::try_from(v).map_err(|e| err(format!("feature {i}: {e}")))?
            }
            _ => return Err(err(format!("feature {i} is not a polygon"))),
        };
        out.push(Area {
            code: prop(code_key),
            name: prop("name"),
            iso_3166_2: prop("iso_3166_2"),
            geometry,
        });
    }
    Ok(out)
}

impl Basemap {
    /// The basemap embedded in the binary (parsed once).
    pub fn embedded() -> &'static Basemap {
        static B: OnceLock<Basemap> = OnceLock::new();
        B.get_or_init(|| Basemap {
            provinces: read_areas("provinces.geojson", PROVINCES, "admin1_code")
                .expect("embedded basemap is valid (checked by tests)"),
            countries: read_areas("neighbours.geojson", NEIGHBOURS, "country_code")
                .expect("embedded basemap is valid (checked by tests)"),
        })
    }

    /// The world's countries (Natural Earth 50m via npm `world-atlas`, simplified to
    /// 0.02 degree), parsed on first use: the basemap of maps outside [`DETAIL_BOX`].
    pub fn world() -> &'static [Area] {
        static W: OnceLock<Vec<Area>> = OnceLock::new();
        W.get_or_init(|| {
            read_areas("world.geojson", WORLD, "iso_n3")
                .expect("embedded basemap is valid (checked by tests)")
        })
    }

    /// Whether an extent (west, south, east, north) lies inside [`DETAIL_BOX`].
    pub fn is_detailed(west: f64, south: f64, east: f64, north: f64) -> bool {
        let (w, s, e, n) = DETAIL_BOX;
        west >= w && south >= s && east <= e && north <= n
    }

    /// The province containing a point (lon, lat), if any.
    pub fn province_at(&self, lon: f64, lat: f64) -> Option<&Area> {
        let p = Point::new(lon, lat);
        self.provinces.iter().find(|a| a.geometry.contains(&p))
    }

    /// The bounding box of a country: Afghanistan from its provinces, the others from
    /// their (clipped) outlines.
    pub fn country_bounds(&self, code: &str) -> Option<Rect<f64>> {
        let polys: Vec<geo::Polygon<f64>> = if code == "AF" {
            self.provinces
                .iter()
                .flat_map(|a| a.geometry.0.clone())
                .collect()
        } else {
            self.countries
                .iter()
                .filter(|a| a.code == code)
                .flat_map(|a| a.geometry.0.clone())
                .collect()
        };
        MultiPolygon(polys).bounding_rect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_world_layer_holds_the_countries_and_no_ring_crosses_the_antimeridian() {
        let world = Basemap::world();
        assert!(world.len() > 200, "{}", world.len());
        let at = |lon: f64, lat: f64| {
            world
                .iter()
                .find(|a| a.geometry.contains(&Point::new(lon, lat)))
                .map(|a| a.name.as_str())
        };
        assert_eq!(at(69.17, 34.53), Some("Afghanistan"));
        assert_eq!(at(7.49, 9.06), Some("Nigeria"));
        assert_eq!(at(-99.13, 19.43), Some("Mexico"));
        assert_eq!(at(178.0, -17.8), Some("Fiji"));
        assert_eq!(at(-30.0, 30.0), None, "the Atlantic");
        for a in world {
            for p in &a.geometry.0 {
                for w in p.exterior().0.windows(2) {
                    assert!((w[0].x - w[1].x).abs() < 180.0, "{} jumps", a.name);
                }
            }
        }
        assert!(Basemap::is_detailed(60.0, 29.0, 75.0, 38.5));
        assert!(!Basemap::is_detailed(-20.0, 0.0, 75.0, 38.5));
    }
}
