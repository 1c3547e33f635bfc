//! Distances on the WGS84 ellipsoid (geodesic, Karney's algorithm via geo's
//! `Geodesic` metric space), and how clashmap prints them.

use geo::{Distance, Geodesic, Point};

/// Geodesic distance between two points given as (latitude, longitude) in degrees, in
/// kilometres.
///
/// ```
/// // Kunduz to Pol-e Khomri: 87.965 km (GeographicLib)
/// let km = clashmap::distance::geodesic_km((36.72895, 68.857), (35.94458, 68.71512));
/// assert!((km - 87.965).abs() < 0.001);
/// ```
pub fn geodesic_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    Geodesic.distance(Point::new(a.1, a.0), Point::new(b.1, b.0)) / 1000.0
}

/// A distance in km cut (not rounded) to one decimal, so that a printed distance never
/// exceeds the geodesic: 87.965 km is `87.9`.
///
/// ```
/// assert_eq!(clashmap::distance::km_tenths(87.965), 87.9);
/// assert_eq!(clashmap::distance::km_tenths(88.0), 88.0);
/// ```
pub fn km_tenths(km: f64) -> f64 {
    // the small epsilon keeps 88.0 (stored as 87.99999...) at 88.0
    ((km * 10.0) + 1e-9).floor() / 10.0
}

/// [`km_tenths`] formatted with one decimal.
pub fn format_km(km: f64) -> String {
    format!("{:.1}", km_tenths(km))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values from GeographicLib (Geodesic.WGS84.Inverse, Python
    // geographiclib 2.0), in km.
    #[test]
    fn matches_geographiclib_reference_values() {
        let cases = [
            ((36.72895, 68.857), (35.94458, 68.71512), 87.964_922_752_76),
            ((40.64, -73.78), (51.47, -0.45), 5_555.408_658_207),
        ];
        for (a, b, want) in cases {
            let got = geodesic_km(a, b);
            assert!((got - want).abs() < 1e-6, "{a:?}-{b:?}: {got} != {want}");
        }
        assert_eq!(geodesic_km((34.5, 69.2), (34.5, 69.2)), 0.0);
    }

    #[test]
    fn printed_distances_are_cut_to_tenths() {
        assert_eq!(format_km(87.964_922), "87.9");
        assert_eq!(format_km(0.04), "0.0");
        assert_eq!(format_km(162.6), "162.6");
    }
}
