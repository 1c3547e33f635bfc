//! The map projection: equirectangular with its standard parallel at the map's centre,
//! scaled on the WGS84 ellipsoid (the km of a degree of longitude and of latitude at
//! the centre are geodesic lengths), so that the scale bar is true at the centre and
//! nearly so over a province-sized map.

use crate::distance::geodesic_km;

/// A map extent: west, south, east, north, in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extent {
    /// West (min longitude).
    pub west: f64,
    /// South (min latitude).
    pub south: f64,
    /// East (max longitude).
    pub east: f64,
    /// North (max latitude).
    pub north: f64,
}

impl Extent {
    /// The centre (lat, lon).
    pub fn center(&self) -> (f64, f64) {
        (
            (self.south + self.north) / 2.0,
            (self.west + self.east) / 2.0,
        )
    }

    /// Grows the extent so that it spans at least `km` east-west and north-south.
    pub fn at_least_km(self, km: f64) -> Extent {
        let (lat, lon) = self.center();
        let (kx, ky) = km_per_degree(lat, lon);
        let (half_w, half_h) = (
            ((self.east - self.west) * kx).max(km) / kx / 2.0,
            ((self.north - self.south) * ky).max(km) / ky / 2.0,
        );
        Extent {
            west: lon - half_w,
            east: lon + half_w,
            south: lat - half_h,
            north: lat + half_h,
        }
    }

    /// Grows the extent north and south so that its height is at least `ratio` times
    /// its width (on the ground at its centre): a map of events along one parallel
    /// keeps room for its legend.
    pub fn with_min_aspect(self, ratio: f64) -> Extent {
        let (lat, lon) = self.center();
        let (kx, ky) = km_per_degree(lat, lon);
        let (w, h) = ((self.east - self.west) * kx, (self.north - self.south) * ky);
        if h >= ratio * w {
            return self;
        }
        let half = ratio * w / ky / 2.0;
        Extent {
            south: lat - half,
            north: lat + half,
            ..self
        }
    }

    /// The extent kept within longitudes -180..180 and latitudes -85..85.
    pub fn clamped(self) -> Extent {
        Extent {
            west: self.west.max(-180.0),
            east: self.east.min(180.0),
            south: self.south.max(-85.0),
            north: self.north.min(85.0),
        }
    }

    /// Grows the extent by `fraction` of its size on every side.
    pub fn padded(self, fraction: f64) -> Extent {
        let (dw, dh) = (
            (self.east - self.west) * fraction,
            (self.north - self.south) * fraction,
        );
        Extent {
            west: self.west - dw,
            east: self.east + dw,
            south: self.south - dh,
            north: self.north + dh,
        }
    }
}

/// km per degree of longitude and of latitude at a point (geodesic, WGS84).
pub fn km_per_degree(lat: f64, lon: f64) -> (f64, f64) {
    let kx = geodesic_km((lat, lon - 0.5), (lat, lon + 0.5));
    let ky = geodesic_km((lat - 0.5, lon), (lat + 0.5, lon));
    (kx, ky)
}

/// Degrees to pixels for one map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    /// The extent drawn.
    pub extent: Extent,
    lat0: f64,
    lon0: f64,
    kx: f64,
    ky: f64,
    /// Pixels per km at the centre.
    pub px_per_km: f64,
    /// Left edge of the map area, px.
    pub left: f64,
    /// Top edge of the map area, px.
    pub top: f64,
    /// Width of the map area, px.
    pub width: f64,
    /// Height of the map area, px.
    pub height: f64,
}

impl Projection {
    /// A projection of `extent` into a map area `width` px wide at (`left`, `top`); the
    /// height follows from the extent.
    pub fn new(extent: Extent, left: f64, top: f64, width: f64) -> Projection {
        let (lat0, lon0) = extent.center();
        let (kx, ky) = km_per_degree(lat0, lon0);
        let w_km = (extent.east - extent.west) * kx;
        let h_km = (extent.north - extent.south) * ky;
        let px_per_km = width / w_km;
        Projection {
            extent,
            lat0,
            lon0,
            kx,
            ky,
            px_per_km,
            left,
            top,
            width,
            height: h_km * px_per_km,
        }
    }

    /// The pixel position of (lon, lat).
    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        let x = self.left + self.width / 2.0 + (lon - self.lon0) * self.kx * self.px_per_km;
        let y = self.top + self.height / 2.0 - (lat - self.lat0) * self.ky * self.px_per_km;
        (x, y)
    }

    /// A description for the SVG's metadata.
    pub fn describe(&self) -> String {
        format!(
            "Equirectangular, standard parallel {:.4}, central meridian {:.4}, WGS84 geodesic scale at the centre: {:.3} km per degree of longitude, {:.3} km per degree of latitude, {:.5} px per km",
            self.lat0, self.lon0, self.kx, self.ky, self.px_per_km
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_is_true_at_the_centre() {
        let e = Extent {
            west: 68.0,
            south: 35.5,
            east: 69.5,
            north: 37.0,
        };
        let p = Projection::new(e, 0.0, 0.0, 1000.0);
        // 10 km east and north of the centre, measured on the ellipsoid
        let (lat, lon) = e.center();
        let (kx, ky) = km_per_degree(lat, lon);
        let (x0, y0) = p.project(lon, lat);
        let (x1, _) = p.project(lon + 10.0 / kx, lat);
        let (_, y1) = p.project(lon, lat + 10.0 / ky);
        assert!((x1 - x0 - 10.0 * p.px_per_km).abs() < 1e-9);
        assert!((y0 - y1 - 10.0 * p.px_per_km).abs() < 1e-9);
        // and Kunduz - Pol-e Khomri on the map is the geodesic within 0.5 %
        let (a, b) = (p.project(68.857, 36.72895), p.project(68.71512, 35.94458));
        let km_map = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt() / p.px_per_km;
        let km = geodesic_km((36.72895, 68.857), (35.94458, 68.71512));
        assert!((km_map - km).abs() / km < 0.005, "{km_map} vs {km}");
    }

    #[test]
    fn small_extents_grow_to_a_minimum() {
        let e = Extent {
            west: 68.85,
            south: 36.72,
            east: 68.86,
            north: 36.73,
        }
        .at_least_km(150.0);
        let (kx, ky) = km_per_degree(36.725, 68.855);
        assert!(((e.east - e.west) * kx - 150.0).abs() < 0.01);
        assert!(((e.north - e.south) * ky - 150.0).abs() < 0.01);
    }
}
