//! The distance layer: which events to join with a line, and the GeoJSON of those
//! lines. Two events are related when one is the other's nearest event on the same or
//! an adjacent day within 300 km, or when an article states the distance between their
//! places. Each line follows the WGS84 geodesic (densified every 10 km at most) and
//! carries `distance_km` (geodesic, cut to one decimal), `stated` (whether an article
//! states the pair's distance) and `label_km` (the article's figure where one is
//! stated, else the geodesic: what the map's label shows).

use std::io::{self, Write};

use geo::{Geodesic, InterpolatePoint, Point};
use rayon::prelude::*;

use super::geojson::json_str;
use super::gpkg::LineRow;
use crate::distance::{geodesic_km, km_tenths};
use crate::event::{Event, ReportedDistance};
use crate::geocode::Geocoder;

/// How far apart two events may be for the nearest-neighbour rule, in km.
pub const NEAR_KM: f64 = 300.0;

/// A line between two events (indices into the event list).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The first event (the lower index).
    pub from: usize,
    /// The second event.
    pub to: usize,
    /// Geodesic distance between their points, in km.
    pub km: f64,
    /// The distance an article states for the pair, if any.
    pub reported: Option<Box<ReportedDistance>>,
}

/// The (latitude, longitude) of a gazetteer place, when there is one.
pub fn place_point(g: &Geocoder, place: Option<usize>) -> Option<(f64, f64)> {
    place.map(|i| {
        let p = g.place(i);
        (p.lat, p.lon)
    })
}

/// What the nearest-event rule needs to know of an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// (latitude, longitude), when placed.
    pub point: Option<(f64, f64)>,
    /// The days it may have happened.
    pub dates: Option<crate::date::DayRange>,
}

impl Node {
    /// The node of an event read from a file (its point and days).
    pub fn of_record(r: &super::record::Record) -> Node {
        Node {
            point: r.point.map(|(lon, lat)| (lat, lon)),
            dates: r.day_range(),
        }
    }
}

/// Pairs (i, j, km), i < j, of nodes where one is the other's nearest node of the
/// same or an adjacent day within [`NEAR_KM`] (distinct points only).
///
/// Events gather at far fewer points than there are events, so the search works on
/// points: each distinct point's neighbours within reach, nearest first (one geodesic
/// a pair of points, through a 1-degree grid), and at each point its nodes sorted by
/// first day. A node walks its point's neighbours until one holds a node of
/// overlapping days; the work grows with the events, not with their square.
pub fn nearest_pairs(nodes: &[Node]) -> Vec<(usize, usize, f64)> {
    use crate::date::{Date, DayRange};
    use std::collections::HashMap;
    /// A point's nodes: (first day, last day, node), by first day; and the longest
    /// range among them (how far before a window a range may start).
    struct At {
        nodes: Vec<(Date, Date, usize)>,
        longest: i32,
    }
    // distinct points, in order of first appearance (bit patterns: exact equality)
    let key = |p: (f64, f64)| (p.0.to_bits(), p.1.to_bits());
    let mut index: HashMap<(u64, u64), usize> = HashMap::new();
    let mut points: Vec<(f64, f64)> = Vec::new();
    let mut at: Vec<At> = Vec::new();
    let mut point_of: Vec<Option<usize>> = vec![None; nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        let (Some(p), Some(d)) = (n.point, n.dates) else {
            continue;
        };
        let k = *index.entry(key(p)).or_insert_with(|| {
            points.push(p);
            at.push(At {
                nodes: Vec::new(),
                longest: 0,
            });
            points.len() - 1
        });
        at[k].nodes.push((d.start, d.end, i));
        at[k].longest = at[k].longest.max(d.end.days_since(d.start));
        point_of[i] = Some(k);
    }
    for a in &mut at {
        a.nodes.sort_unstable();
    }
    // every point's neighbours within reach, nearest first (ties: by point order),
    // found a point at a time (on every core): only a few lists are held at once
    let cell = |p: (f64, f64)| (p.0.floor() as i32, p.1.floor() as i32);
    let mut grid: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
    for (k, &p) in points.iter().enumerate() {
        grid.entry(cell(p)).or_default().push(k);
    }
    let neighbours = |k: usize| -> Vec<(f64, usize)> {
        let p = points[k];
        let (cy, cx) = cell(p);
        let reach_x = (NEAR_KM / (111.32 * p.0.to_radians().cos().max(0.2))).ceil() as i32;
        let mut near: Vec<(f64, usize)> = Vec::new();
        for gy in cy - 3..=cy + 3 {
            for gx in cx - reach_x..=cx + reach_x {
                for &q in grid.get(&(gy, gx)).map(Vec::as_slice).unwrap_or(&[]) {
                    if q == k {
                        continue;
                    }
                    let km = geodesic_km(p, points[q]);
                    if km > 0.0 && km <= NEAR_KM {
                        near.push((km, q));
                    }
                }
            }
        }
        near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        near
    };
    // the smallest node at a point whose days overlap `w`
    let first_overlapping = |a: &At, w: DayRange| -> Option<usize> {
        let from = a
            .nodes
            .partition_point(|&(s, _, _)| s < w.start.add_days(-a.longest));
        a.nodes[from..]
            .iter()
            .take_while(|&&(s, _, _)| s <= w.end)
            .filter(|&&(s, e, _)| DayRange::new(s, e).overlaps(w))
            .map(|&(_, _, j)| j)
            .min()
    };
    // each node's nearest: the nearest point with a node of overlapping days; among
    // points at the same distance, the smallest node
    let nearest: Vec<Vec<(usize, usize, f64)>> = (0..points.len())
        .into_par_iter()
        .map(|k| {
            let near = neighbours(k);
            at[k]
                .nodes
                .iter()
                .filter_map(|&(start, end, i)| {
                    let widened = DayRange::new(start.add_days(-1), end.add_days(1));
                    let mut best: Option<(usize, f64)> = None;
                    for &(km, q) in &near {
                        if best.is_some_and(|(_, bk)| km > bk) {
                            break;
                        }
                        if let Some(j) = first_overlapping(&at[q], widened)
                            && best.is_none_or(|(bj, _)| j < bj)
                        {
                            best = Some((j, km));
                        }
                    }
                    best.map(|(j, km)| (i, j, km))
                })
                .collect()
        })
        .collect();
    let mut best: Vec<Option<(usize, f64)>> = vec![None; nodes.len()];
    for (i, j, km) in nearest.into_iter().flatten() {
        best[i] = Some((j, km));
    }
    // pairs in the order of their first node; a pair of mutual nearest nodes once
    let mut out: Vec<(usize, usize, f64)> = Vec::new();
    for (i, b) in best.iter().enumerate() {
        let Some((j, km)) = *b else {
            continue;
        };
        let mutual_seen = j < i && best[j].is_some_and(|(back, _)| back == i);
        if !mutual_seen {
            out.push((i.min(j), i.max(j), km));
        }
    }
    out
}

/// The related pairs of events (see the module doc), sorted by event ids.
pub fn related(events: &[Event], g: &Geocoder, reported: &[ReportedDistance]) -> Vec<Link> {
    let nodes: Vec<Node> = events
        .iter()
        .map(|e| Node {
            point: place_point(g, e.location().place),
            dates: e.dates,
        })
        .collect();
    // the first event at each (article, place)
    let mut at: std::collections::HashMap<(&str, usize), usize> = Default::default();
    for (i, e) in events.iter().enumerate() {
        if let Some(p) = e.location().place {
            for r in &e.reports {
                at.entry((r.article.as_str(), p)).or_insert(i);
            }
        }
    }
    related_nodes(
        &nodes,
        reported,
        |article, place| at.get(&(article, place)).copied(),
        |i| events[i].id.as_str(),
    )
}

/// [`related`] for events known by their nodes: `stated_end(article, place)` is the
/// first event at `place` that `article` reports (where a distance it states ends), and
/// `id(i)` the id of event `i` (links are sorted by ids).
pub fn related_nodes<K: Ord>(
    nodes: &[Node],
    reported: &[ReportedDistance],
    stated_end: impl Fn(&str, usize) -> Option<usize>,
    id: impl Fn(usize) -> K,
) -> Vec<Link> {
    let mut links: Vec<Link> = nearest_pairs(nodes)
        .into_iter()
        .map(|(from, to, km)| Link {
            from,
            to,
            km,
            reported: None,
        })
        .collect();
    // the link of each pair (only needed when articles state distances)
    let mut index: std::collections::HashMap<(usize, usize), usize> = if reported.is_empty() {
        Default::default()
    } else {
        links
            .iter()
            .enumerate()
            .map(|(k, l)| ((l.from, l.to), k))
            .collect()
    };
    for r in reported {
        if let (Some(a), Some(b)) = (stated_end(&r.article, r.from), stated_end(&r.article, r.to))
            && a != b
            && let (Some(p), Some(q)) = (nodes[a].point, nodes[b].point)
        {
            let (from, to) = (a.min(b), a.max(b));
            match index.get(&(from, to)) {
                Some(&k) => {
                    let l = &mut links[k];
                    if l.reported.is_none() {
                        l.reported = Some(Box::new(r.clone()));
                    }
                }
                None => {
                    index.insert((from, to), links.len());
                    links.push(Link {
                        from,
                        to,
                        km: geodesic_km(p, q),
                        reported: Some(Box::new(r.clone())),
                    });
                }
            }
        }
    }
    links.sort_by_cached_key(|l| (id(l.from), id(l.to)));
    links
}

/// Points along the geodesic from `a` to `b` ((lat, lon)), one every 10 km at most.
pub fn geodesic_path(a: (f64, f64), b: (f64, f64)) -> Vec<(f64, f64)> {
    let km = geodesic_km(a, b);
    let n = ((km / 10.0).ceil() as usize).clamp(1, 200);
    let (pa, pb) = (Point::new(a.1, a.0), Point::new(b.1, b.0));
    (0..=n)
        .map(|k| {
            if k == 0 {
                return (a.1, a.0);
            }
            if k == n {
                return (b.1, b.0);
            }
            let p = Geodesic.point_at_ratio_between(pa, pb, k as f64 / n as f64);
            (p.x(), p.y())
        })
        .collect()
}

/// Writes the distance layer: a FeatureCollection of LineStrings, with `end(i)` the id
/// and place (gazetteer index) of event `i`. Lines are drawn (densified along the
/// geodesic) and formatted on every worker thread, a slice at a time.
pub fn write_distances(
    w: &mut dyn Write,
    links: &[Link],
    end: &(dyn Fn(usize) -> (String, Option<usize>) + Sync),
    g: &Geocoder,
) -> io::Result<()> {
    write!(w, "{{\"type\":\"FeatureCollection\",\"features\":[")?;
    let mut first = true;
    for slice in links.chunks(8192) {
        let pieces: Vec<(bool, String)> = slice
            .par_chunks(256)
            .map(|chunk| {
                let mut s = String::new();
                let mut any = false;
                for l in chunk {
                    if let Some(f) = line_feature(l, end, g) {
                        // a comma before every feature but the first: fixed below
                        s.push_str(",\n");
                        s.push_str(&f);
                        any = true;
                    }
                }
                (any, s)
            })
            .collect();
        for (any, s) in pieces {
            if !any {
                continue;
            }
            // the first feature of the collection has no comma before it
            let s = if first { &s[1..] } else { &s[..] };
            w.write_all(s.as_bytes())?;
            first = false;
        }
    }
    writeln!(w, "\n]}}")
}

/// One link's row (its geodesic path and properties), or `None` when an end has no
/// place.
pub fn line_row(
    l: &Link,
    end: &(dyn Fn(usize) -> (String, Option<usize>) + Sync),
    g: &Geocoder,
) -> Option<LineRow> {
    let name = |p: Option<usize>| p.map(|i| g.place(i).name.clone()).unwrap_or_default();
    let ((a_id, a), (b_id, b)) = (end(l.from), end(l.to));
    let (pa, pb) = (place_point(g, a)?, place_point(g, b)?);
    Some(LineRow {
        id: format!("{a_id}-{b_id}"),
        path: geodesic_path(pa, pb),
        from: name(a),
        from_event: a_id,
        to: name(b),
        to_event: b_id,
        distance_km: km_tenths(l.km),
        reported: l
            .reported
            .as_ref()
            .map(|r| (r.km, r.approximate, r.text.clone(), r.article.clone())),
    })
}

/// One link's Feature (no separator), or `None` when an end has no place. Every
/// property has the same JSON type in every feature, whatever the data (GDAL and
/// QGIS type a column from its values, and a column of nulls only becomes text):
/// `stated` and `reported_approximate` are booleans, `distance_km` and `label_km`
/// numbers; only the texts may be null.
fn line_feature(
    l: &Link,
    end: &(dyn Fn(usize) -> (String, Option<usize>) + Sync),
    g: &Geocoder,
) -> Option<String> {
    use std::fmt::Write as _;
    let row = line_row(l, end, g)?;
    let mut w = String::with_capacity(1024);
    let _ = write!(
        w,
        "{{\"type\":\"Feature\",\"id\":{},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[",
        json_str(&row.id)
    );
    for (k, (x, y)) in row.path.iter().enumerate() {
        let _ = write!(w, "{}[{x:.6},{y:.6}]", if k == 0 { "" } else { "," });
    }
    let _ = write!(w, "]}},\"properties\":{{");
    let _ = write!(w, "\"distance_km\":{:.1}", row.distance_km);
    let _ = write!(
        w,
        ",\"from\":{},\"from_event\":{}",
        json_str(&row.from),
        json_str(&row.from_event)
    );
    let _ = match &row.reported {
        Some((km, approximate, text, article)) => write!(
            w,
            ",\"label_km\":{km:.1},\"reported_approximate\":{approximate},\"reported_source\":{},\"reported_text\":{},\"stated\":true",
            json_str(article),
            json_str(text)
        ),
        None => write!(
            w,
            ",\"label_km\":{:.1},\"reported_approximate\":false,\"reported_source\":null,\"reported_text\":null,\"stated\":false",
            row.distance_km
        ),
    };
    let _ = write!(
        w,
        ",\"to\":{},\"to_event\":{}}}}}",
        json_str(&row.to),
        json_str(&row.to_event)
    );
    Some(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_follows_the_geodesic_and_ends_at_both_points() {
        let (a, b) = ((36.72895, 68.857), (35.94458, 68.71512));
        let path = geodesic_path(a, b);
        assert_eq!(path.len(), 10); // 88 km: 9 segments of at most 10 km
        assert_eq!(path[0], (a.1, a.0));
        assert_eq!(*path.last().unwrap(), (b.1, b.0));
        // every step is at most 10 km and the steps add up to the geodesic
        let steps: f64 = path
            .windows(2)
            .map(|w| geodesic_km((w[0].1, w[0].0), (w[1].1, w[1].0)))
            .sum();
        assert!((steps - geodesic_km(a, b)).abs() < 1e-6);
        assert!(
            path.windows(2)
                .all(|w| geodesic_km((w[0].1, w[0].0), (w[1].1, w[1].0)) <= 10.0)
        );
    }
}
