//! Distances on the WGS84 ellipsoid (geodesic, Karney's algorithm via geo's
//! `Geodesic` metric space).

use geo::{Distance, Geodesic, Point};

/// Geodesic distance between two points given as (latitude, longitude) in degrees, in
/// kilometres.
///
/// ```
/// // Kunduz to Pol-e Khomri
/// let km = clashmap::distance::geodesic_km((36.72895, 68.857), (35.94458, 68.71512));
/// assert_eq!(format!("{km:.1}"), "87.9");
/// ```
pub fn geodesic_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    Geodesic.distance(Point::new(a.1, a.0), Point::new(b.1, b.0)) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_geographiclib_reference_values() {
        // GeographicLib GeodSolve -i: JFK (40.64, -73.78) to LHR (51.47, -0.45):
        // 5554.5 km; one degree of latitude at the equator: 110.574 km.
        assert!((geodesic_km((40.64, -73.78), (51.47, -0.45)) - 5554.5).abs() < 1.0);
        assert!((geodesic_km((0.0, 0.0), (1.0, 0.0)) - 110.574).abs() < 0.001);
        assert_eq!(geodesic_km((34.5, 69.2), (34.5, 69.2)), 0.0);
    }
}
