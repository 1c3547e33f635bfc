//! Maps: events drawn on the basemap as an SVG written directly (exact coordinates
//! with 2 decimals, one `<g>` layer per theme that Inkscape shows as a layer, `<title>`
//! on every marker, halos behind labels), and rasterised to PNG with resvg and the
//! bundled DejaVu Sans, so that the PNG is the same on every machine.
//!
//! Layers, bottom to top: neighbouring countries (muted, named), Afghanistan's
//! provinces (thin borders, named where there is room), the capital, distance lines
//! (dashed geodesics labelled "88 km (reported ~100 km)"), event markers (area by
//! fatalities, colour by ACLED type, Okabe-Ito colour-blind-safe palette), labels
//! (place and date, placed without overlaps), scale bar, north arrow, legend, title
//! and attribution.

pub mod chart;
pub mod labels;
pub mod projection;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;

use geo::{Area, BoundingRect, InteriorPoint, MultiPolygon, Polygon};

use crate::basemap::Basemap;
use crate::date::Date;
use crate::export::distances::geodesic_path;
use labels::{Rect, place, text_width};
use projection::{Extent, Projection};

/// The font named first in every `font-family` (bundled for PNG rendering).
pub const FONT_FAMILY: &str = "DejaVu Sans, Verdana, Arial, sans-serif";
pub(crate) static FONT_REGULAR: &[u8] = include_bytes!("../../data/fonts/DejaVuSans.ttf");
pub(crate) static FONT_BOLD: &[u8] = include_bytes!("../../data/fonts/DejaVuSans-Bold.ttf");

/// The attribution every map carries.
pub const ATTRIBUTION: &str = "Place names: GeoNames (CC BY 4.0) · Boundaries: Natural Earth";

/// An event to draw.
///
/// Small, because a map of a large archive holds hundreds of thousands: what a drawn
/// marker alone needs (id, label, hover text) is in [`Marker`], which a map of more
/// than [`HEXBIN_ABOVE`] events does without.
#[derive(Debug, Clone, PartialEq)]
pub struct MapEvent {
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// ACLED event type (shared: a map has few).
    pub event_type: Arc<str>,
    /// Fatalities.
    pub fatalities: u64,
    /// First day, if known.
    pub date: Option<Date>,
    /// Last possible day, if known.
    pub date_end: Option<Date>,
    /// Keys of its sources (see [`source_key`]): the map counts the distinct ones.
    pub sources: Box<[u64]>,
    /// The marker's id and texts; without them an event is drawn unlabelled.
    pub marker: Option<Box<Marker>>,
}

/// What a single event's marker shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// The event id.
    pub id: String,
    /// Place name for the label.
    pub place: String,
    /// The hover text.
    pub title: String,
}

/// The key of a source (an article id) in [`MapEvent::sources`].
pub fn source_key(source: &str) -> u64 {
    crate::event::stable_hash(source)
}

/// A distance annotation between two events (indices into the events).
#[derive(Debug, Clone, PartialEq)]
pub struct MapLink {
    /// One event.
    pub from: usize,
    /// The other.
    pub to: usize,
    /// Geodesic distance, km.
    pub km: f64,
    /// Distance an article states, km, and whether approximately.
    pub reported: Option<(f64, bool)>,
}

/// How the map is made.
#[derive(Debug, Clone)]
pub struct MapOptions {
    /// Width of the SVG, px.
    pub width: f64,
    /// The extent; `None` fits the events.
    pub extent: Option<Extent>,
    /// The title; `None` makes one from the events.
    pub title: Option<String>,
    /// Whether to label events.
    pub labels: bool,
    /// Above this many events, markers aggregate into hexagons.
    pub hexbin_above: usize,
    /// How many distinct sources the events have, for the subtitle, when the caller
    /// knows (used when every event is inside the extent); `None` counts the events'
    /// [`MapEvent::sources`], which a caller giving the count may leave empty.
    pub source_count: Option<usize>,
    /// District outlines to draw as a faint layer over the provinces' fill and under
    /// their borders (`--districts`); empty draws none.
    pub districts: Vec<MultiPolygon<f64>>,
    /// Who to credit for the district outlines (added to the attribution when drawn).
    pub districts_credit: String,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            width: 1200.0,
            extent: None,
            title: None,
            labels: true,
            hexbin_above: HEXBIN_ABOVE,
            source_count: None,
            districts: Vec::new(),
            districts_credit: String::new(),
        }
    }
}

/// Above this many events a map aggregates markers into hexagons (and draws neither
/// labels nor distances), which keeps it readable and its SVG small.
pub const HEXBIN_ABOVE: usize = 2000;

/// Sequential colours for hexagon counts, light to dark (viridis: colour-blind safe).
const HEX_COLOURS: [&str; 6] = [
    "#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154",
];

/// The colour of an ACLED event type (Okabe-Ito palette, safe for colour blindness).
pub fn type_colour(event_type: &str) -> &'static str {
    match event_type {
        "Battles" => "#D55E00",
        "Explosions/Remote violence" => "#0072B2",
        "Violence against civilians" => "#CC79A7",
        "Protests" => "#009E73",
        "Riots" => "#E69F00",
        "Strategic developments" => "#56B4E9",
        _ => "#555555",
    }
}

/// Marker radius for a fatality count: area grows with fatalities, 5 px at least.
pub fn marker_radius(fatalities: u64) -> f64 {
    5.0 + 2.2 * (fatalities as f64).sqrt()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn f2(x: f64) -> String {
    let s = format!("{x:.2}");
    if s == "-0.00" { "0.00".into() } else { s }
}

/// The Afghanistan extent (from the province polygons), with a margin.
pub fn country_extent(b: &Basemap) -> Extent {
    let r = b
        .country_bounds("AF")
        .expect("the basemap has Afghanistan's provinces");
    Extent {
        west: r.min().x,
        south: r.min().y,
        east: r.max().x,
        north: r.max().y,
    }
    .padded(0.04)
}

/// The extent that fits the events with a margin, at least 150 km across.
pub fn auto_extent(events: &[MapEvent], b: &Basemap) -> Extent {
    if events.is_empty() {
        return country_extent(b);
    }
    let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for ev in events {
        w = w.min(ev.lon);
        e = e.max(ev.lon);
        s = s.min(ev.lat);
        n = n.max(ev.lat);
    }
    Extent {
        west: w,
        south: s,
        east: e,
        north: n,
    }
    .padded(0.25)
    .at_least_km(150.0)
}

/// A polygon ring as an SVG path, dropping points closer than `tolerance` px (in both
/// directions) to the last one kept.
fn ring_path(out: &mut String, ring: &geo::LineString<f64>, proj: &Projection, tolerance: f64) {
    let mut last: Option<(f64, f64)> = None;
    let mut n = 0;
    for c in ring.coords() {
        let p = proj.project(c.x, c.y);
        if let Some(l) = last
            && (l.0 - p.0).abs() < tolerance
            && (l.1 - p.1).abs() < tolerance
        {
            continue;
        }
        out.push_str(if n == 0 { "M" } else { "L" });
        let _ = write!(out, "{} {}", f2(p.0), f2(p.1));
        last = Some(p);
        n += 1;
    }
    out.push('Z');
}

fn polygon_path(mp: &MultiPolygon<f64>, proj: &Projection, extent: &Extent) -> String {
    let mut d = String::new();
    for poly in &mp.0 {
        let Some(bb) = poly.bounding_rect() else {
            continue;
        };
        if bb.max().x < extent.west
            || bb.min().x > extent.east
            || bb.max().y < extent.south
            || bb.min().y > extent.north
        {
            continue;
        }
        ring_path(&mut d, poly.exterior(), proj, 0.6);
        for hole in poly.interiors() {
            ring_path(&mut d, hole, proj, 0.6);
        }
    }
    d
}

/// Draws basemap areas (countries or provinces) with a fill and a border, each with
/// its name as a hover title.
fn draw_areas(
    s: &mut String,
    areas: &[crate::basemap::Area],
    proj: &Projection,
    extent: &Extent,
    fill: &str,
    stroke: &str,
    width: f64,
) {
    for a in areas {
        let d = polygon_path(&a.geometry, proj, extent);
        if !d.is_empty() {
            let _ = writeln!(
                s,
                r##"<path d="{d}" fill="{fill}" stroke="{stroke}" stroke-width="{width}" fill-rule="evenodd"><title>{}</title></path>"##,
                esc(&a.name)
            );
        }
    }
}

fn largest(mp: &MultiPolygon<f64>) -> Option<&Polygon<f64>> {
    mp.0.iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
}

fn date_label(d: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, m, day) = d.ymd();
    format!("{day} {} {y}", MONTHS[m as usize - 1])
}

/// A "nice" scale-bar length (1, 2 or 5 times a power of ten) near `km`.
fn nice_km(km: f64) -> f64 {
    let p = 10f64.powf(km.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .filter(|v| *v <= km)
        .fold(p, f64::max)
}

/// The lowest count of colour class `k` for counts up to `max` (log steps).
fn hex_threshold(max: usize, k: usize) -> usize {
    if k == 0 {
        return 1;
    }
    let steps = HEX_COLOURS.len() as f64;
    ((max.max(1) as f64).powf(k as f64 / steps)).ceil() as usize
}

/// Draws events as hexagons (pointy-top, 11 px radius) coloured by count; returns the
/// highest count.
fn draw_hexbins(
    s: &mut String,
    pos: &[(f64, f64, f64)],
    events: &[MapEvent],
    frame: &Rect,
) -> usize {
    use std::collections::BTreeMap;
    let size = 11.0;
    let sqrt3 = 3f64.sqrt();
    let mut bins: BTreeMap<(i64, i64), (usize, u64)> = BTreeMap::new();
    for (i, &(x, y, _)) in pos.iter().enumerate() {
        let (x, y) = (x - frame.x, y - frame.y);
        let (q, r) = ((sqrt3 / 3.0 * x - y / 3.0) / size, (2.0 / 3.0 * y) / size);
        // cube rounding
        let (mut rq, mut rr, rs) = (q.round(), r.round(), (-q - r).round());
        let (dq, dr, ds) = ((rq - q).abs(), (rr - r).abs(), (rs + q + r).abs());
        if dq > dr && dq > ds {
            rq = -rr - rs;
        } else if dr > ds {
            rr = -rq - rs;
        }
        let b = bins.entry((rq as i64, rr as i64)).or_insert((0, 0));
        b.0 += 1;
        b.1 += events[i].fatalities;
    }
    let max = bins.values().map(|b| b.0).max().unwrap_or(1);
    for (&(q, r), &(n, f)) in &bins {
        let cx = frame.x + size * sqrt3 * (q as f64 + r as f64 / 2.0);
        let cy = frame.y + size * 1.5 * r as f64;
        let class = (0..HEX_COLOURS.len())
            .rev()
            .find(|&k| n >= hex_threshold(max, k))
            .unwrap_or(0);
        let mut d = String::new();
        for k in 0..6 {
            let a = std::f64::consts::PI / 180.0 * (60.0 * k as f64 - 30.0);
            let _ = write!(
                d,
                "{}{} {}",
                if k == 0 { "M" } else { "L" },
                f2(cx + size * a.cos()),
                f2(cy + size * a.sin())
            );
        }
        let _ = writeln!(
            s,
            r##"<path d="{d}Z" fill="{}" fill-opacity="0.85" stroke="#ffffff" stroke-width="0.5"><title>{n} events, {f} fatalities</title></path>"##,
            HEX_COLOURS[class]
        );
    }
    max
}

/// Draws the map (see the module doc).
pub fn render_svg(
    events: &[MapEvent],
    links: &[MapLink],
    basemap: &Basemap,
    opts: &MapOptions,
) -> String {
    let extent = opts.extent.unwrap_or_else(|| auto_extent(events, basemap));
    // only the events inside the extent are on the map (and in its legend and counts)
    let inside = |e: &MapEvent| {
        e.lon >= extent.west
            && e.lon <= extent.east
            && e.lat >= extent.south
            && e.lat <= extent.north
    };
    // (copied only when some are outside)
    let (kept, kept_links): (Cow<[MapEvent]>, Cow<[MapLink]>) = if events.iter().all(inside) {
        (Cow::Borrowed(events), Cow::Borrowed(links))
    } else {
        let mut remap = vec![None; events.len()];
        let mut kept: Vec<MapEvent> = Vec::new();
        for (i, e) in events.iter().enumerate() {
            if inside(e) {
                remap[i] = Some(kept.len());
                kept.push(e.clone());
            }
        }
        let kept_links: Vec<MapLink> = links
            .iter()
            .filter_map(|l| {
                Some(MapLink {
                    from: remap[l.from]?,
                    to: remap[l.to]?,
                    km: l.km,
                    reported: l.reported,
                })
            })
            .collect();
        (Cow::Owned(kept), Cow::Owned(kept_links))
    };
    let (events, links) = (&kept[..], &kept_links[..]);
    let hexbin = events.len() > opts.hexbin_above;
    // hexagons aggregate events; a line per pair of them would bury the map (and take
    // seconds to draw): distances stay in the distance layer's file
    let links = if hexbin { &[][..] } else { links };
    let (head, foot) = (70.0, 46.0);
    let proj = Projection::new(extent, 0.0, head, opts.width);
    let (w, h) = (opts.width, head + proj.height + foot);
    let frame = Rect {
        x: 0.0,
        y: head,
        w,
        h: proj.height,
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" width="{}" height="{}" viewBox="0 0 {} {}" font-family="{FONT_FAMILY}">"#,
        f2(w),
        f2(h),
        f2(w),
        f2(h)
    );
    let _ = writeln!(
        s,
        "<metadata><projection>{}</projection><extent>{:.4},{:.4},{:.4},{:.4}</extent></metadata>",
        esc(&proj.describe()),
        extent.west,
        extent.south,
        extent.east,
        extent.north
    );
    let _ = writeln!(
        s,
        r#"<defs><clipPath id="map-clip"><rect x="0" y="{}" width="{}" height="{}"/></clipPath></defs>"#,
        f2(head),
        f2(w),
        f2(proj.height)
    );
    let _ = writeln!(
        s,
        r##"<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##,
        f2(w),
        f2(h)
    );
    let layer = |s: &mut String, id: &str, label: &str, clip: bool| {
        let _ = writeln!(
            s,
            r#"<g id="{id}" inkscape:groupmode="layer" inkscape:label="{label}"{}>"#,
            if clip {
                r#" clip-path="url(#map-clip)""#
            } else {
                ""
            }
        );
    };
    // countries
    layer(&mut s, "countries", "Countries", true);
    let _ = writeln!(
        s,
        r##"<rect x="0" y="{}" width="{}" height="{}" fill="#dfe9f2"/>"##,
        f2(head),
        f2(w),
        f2(proj.height)
    );
    draw_areas(
        &mut s,
        &basemap.countries,
        &proj,
        &extent,
        "#ecebe6",
        "#b8b5ad",
        0.8,
    );
    s.push_str("</g>\n");
    // provinces
    layer(&mut s, "provinces", "Provinces of Afghanistan", true);
    let provinces = |s: &mut String, fill: &str, stroke: &str, width: f64| {
        draw_areas(s, &basemap.provinces, &proj, &extent, fill, stroke, width);
    };
    if opts.districts.is_empty() {
        provinces(&mut s, "#fbfaf6", "#a6a39b", 0.6);
    } else {
        // the fill, then the districts, then the province borders over them
        provinces(&mut s, "#fbfaf6", "none", 0.0);
        s.push_str("</g>\n");
        layer(&mut s, "districts", "Districts", true);
        for d in &opts.districts {
            let path = polygon_path(d, &proj, &extent);
            if !path.is_empty() {
                let _ = writeln!(
                    s,
                    r##"<path d="{path}" fill="none" stroke="#cfccc4" stroke-width="0.4"/>"##
                );
            }
        }
        s.push_str("</g>\n");
        layer(&mut s, "province-borders", "Province borders", true);
        provinces(&mut s, "none", "#a6a39b", 0.6);
    }
    s.push_str("</g>\n");
    // markers: events at one spot are spread on a ring, never hidden
    let mut pos: Vec<(f64, f64, f64)> = events
        .iter()
        .map(|e| {
            let (x, y) = proj.project(e.lon, e.lat);
            (x, y, marker_radius(e.fatalities))
        })
        .collect();
    // events at one spot (within 2 px) are spread on a ring; grouped by a hash of their
    // position, so this is linear (and skipped when hexagons aggregate them anyway)
    if !hexbin {
        let mut spots: std::collections::BTreeMap<(i64, i64), Vec<usize>> =
            std::collections::BTreeMap::new();
        for (i, p) in pos.iter().enumerate() {
            spots
                .entry(((p.0 / 2.0).round() as i64, (p.1 / 2.0).round() as i64))
                .or_default()
                .push(i);
        }
        for group in spots.values().filter(|g| g.len() > 1) {
            let ring = group.iter().map(|&j| pos[j].2).fold(0.0, f64::max) * 1.1 + 2.0;
            let (cx, cy) = (pos[group[0]].0, pos[group[0]].1);
            for (k, &j) in group.iter().enumerate() {
                let a = std::f64::consts::TAU * k as f64 / group.len() as f64
                    - std::f64::consts::FRAC_PI_2;
                pos[j].0 = cx + ring * a.cos();
                pos[j].1 = cy + ring * a.sin();
            }
        }
    }
    // the capital: marked unless an event is on it (its label then names it)
    let (kx, ky) = proj.project(69.17233, 34.52813);
    let capital_shown = frame.contains(&Rect {
        x: kx - 1.0,
        y: ky - 1.0,
        w: 2.0,
        h: 2.0,
    }) && !pos
        .iter()
        .any(|p| (p.0 - kx).abs() < p.2 + 4.0 && (p.1 - ky).abs() < p.2 + 4.0);
    // what labels, the legend and the inset keep clear of; events at one spot share a
    // box (a map of many events has far fewer spots than events)
    let bits = |r: &Rect| (r.x.to_bits(), r.y.to_bits(), r.w.to_bits(), r.h.to_bits());
    let mut seen = std::collections::HashSet::new();
    let marker_boxes: Vec<Rect> = pos
        .iter()
        .map(|&(x, y, r)| Rect {
            x: x - r - 2.0,
            y: y - r - 2.0,
            w: 2.0 * r + 4.0,
            h: 2.0 * r + 4.0,
        })
        .filter(|r| seen.insert(bits(r)))
        .collect();
    drop(seen);
    let mut taken = marker_boxes.clone();
    if capital_shown {
        taken.push(Rect {
            x: kx - 5.0,
            y: ky - 8.0,
            w: 12.0 + text_width("Kabul", 12.0) + 7.0,
            h: 16.0,
        });
    }
    // place names of the basemap (muted), where there is room
    let mut names = String::new();
    for (area, size, colour) in basemap
        .countries
        .iter()
        .map(|c| (c, 15.0, "#9c988e"))
        .chain(basemap.provinces.iter().map(|p| (p, 11.0, "#8a877f")))
    {
        let Some(poly) = largest(&area.geometry) else {
            continue;
        };
        let Some(ip) = poly.interior_point() else {
            continue;
        };
        let (x, y) = proj.project(ip.x(), ip.y());
        let tw = text_width(&area.name, size);
        let bb = poly.bounding_rect().map(|r| {
            let (a, b) = (
                proj.project(r.min().x, r.max().y),
                proj.project(r.max().x, r.min().y),
            );
            (b.0 - a.0, b.1 - a.1)
        });
        let rect = Rect {
            x: x - tw / 2.0,
            y: y - size,
            w: tw,
            h: size * 1.3,
        };
        if bb.is_some_and(|(bw, bh)| bw > tw * 1.2 && bh > size * 2.5)
            && frame.contains(&rect)
            && !taken.iter().any(|t| t.overlaps(&rect))
        {
            taken.push(rect);
            let _ = writeln!(
                names,
                r#"<text x="{}" y="{}" font-size="{size}" fill="{colour}" text-anchor="middle" letter-spacing="0.5">{}</text>"#,
                f2(x),
                f2(y),
                esc(&area.name)
            );
        }
    }
    layer(&mut s, "basemap-names", "Province and country names", true);
    s.push_str(&names);
    s.push_str("</g>\n");
    // the capital
    layer(&mut s, "capital", "Capital", true);
    if capital_shown {
        let _ = writeln!(
            s,
            r##"<rect x="{}" y="{}" width="7" height="7" fill="#333333" transform="rotate(45 {} {})"><title>Kabul, capital of Afghanistan</title></rect>"##,
            f2(kx - 3.5),
            f2(ky - 3.5),
            f2(kx),
            f2(ky)
        );
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="12" fill="#333333" stroke="#ffffff" stroke-width="3" paint-order="stroke">Kabul</text>"##,
            f2(kx + 7.0),
            f2(ky + 4.0)
        );
    }
    s.push_str("</g>\n");
    // distances
    layer(&mut s, "distances", "Distances (geodesic)", true);
    let mut obstacles = marker_boxes.clone();
    let mut distance_labels = String::new();
    for l in links {
        let (a, b) = (&events[l.from], &events[l.to]);
        let path = geodesic_path((a.lat, a.lon), (b.lat, b.lon));
        let mut d = String::new();
        for (k, (x, y)) in path.iter().enumerate() {
            let (px, py) = proj.project(*x, *y);
            let _ = write!(d, "{}{} {}", if k == 0 { "M" } else { "L" }, f2(px), f2(py));
        }
        let _ = writeln!(
            s,
            r##"<path d="{d}" fill="none" stroke="#444444" stroke-width="1.4" stroke-dasharray="6 4"/>"##
        );
        let mid = path[path.len() / 2];
        let (mx, my) = proj.project(mid.0, mid.1);
        let mut text = format!("{:.0} km", l.km);
        if let Some((r, approx)) = l.reported {
            let _ = write!(
                text,
                " (reported {}{:.0} km)",
                if approx { "~" } else { "" },
                r
            );
        }
        let tw = text_width(&text, 12.0);
        taken.push(Rect {
            x: mx + 6.0,
            y: my - 9.0,
            w: tw,
            h: 14.0,
        });
        obstacles.push(*taken.last().expect("just pushed"));
        let _ = writeln!(
            distance_labels,
            r##"<text x="{}" y="{}" font-size="12" fill="#222222" stroke="#ffffff" stroke-width="3.5" stroke-linejoin="round" paint-order="stroke">{}</text>"##,
            f2(mx + 6.0),
            f2(my + 2.0),
            esc(&text)
        );
    }
    s.push_str(&distance_labels);
    s.push_str("</g>\n");
    layer(&mut s, "events", "Events", true);
    let mut hex_max = 0usize;
    if hexbin {
        hex_max = draw_hexbins(&mut s, &pos, events, &frame);
    }
    let mut order: Vec<usize> = if hexbin {
        Vec::new()
    } else {
        (0..events.len()).collect()
    };
    order.sort_by(|&a, &b| {
        events[b]
            .fatalities
            .cmp(&events[a].fatalities)
            .then(a.cmp(&b))
    });
    for &i in &order {
        let e = &events[i];
        let (x, y, r) = pos[i];
        let (id, title) = match &e.marker {
            Some(m) => (
                format!(r#" id="event-{}""#, esc(&m.id)),
                format!("<title>{}</title>", esc(&m.title)),
            ),
            None => (String::new(), String::new()),
        };
        let _ = writeln!(
            s,
            r##"<circle{id} cx="{}" cy="{}" r="{}" fill="{}" fill-opacity="0.85" stroke="#ffffff" stroke-width="1.5">{title}</circle>"##,
            f2(x),
            f2(y),
            f2(r),
            type_colour(&e.event_type),
        );
    }
    s.push_str("</g>\n");
    // legend box (computed first: labels avoid it)
    let types: std::collections::BTreeSet<&str> = events.iter().map(|e| &*e.event_type).collect();
    let mut types: Vec<&str> = types.into_iter().collect();
    if hexbin {
        types.clear();
    }
    let legend_h = if hexbin {
        96.0
    } else {
        40.0 + 20.0 * types.len() as f64 + 58.0
    };
    // the legend and the locator inset go in corners free of markers and distances
    let (lw, iw) = (280.0, 190.0);
    let country = country_extent(basemap);
    let inset_proj = |x: f64, y: f64| Projection::new(country, x, y, iw);
    let ih = inset_proj(0.0, 0.0).height;
    let bottom = head + proj.height;
    let scale_bar = Rect {
        x: w - 0.3 * w,
        y: bottom - 44.0,
        w: 0.3 * w,
        h: 44.0,
    };
    let north = Rect {
        x: w - 44.0,
        y: head,
        w: 44.0,
        h: 60.0,
    };
    obstacles.push(scale_bar);
    obstacles.push(north);
    let corners = |bw: f64, bh: f64| {
        [
            Rect {
                x: 12.0,
                y: bottom - bh - 12.0,
                w: bw,
                h: bh,
            },
            Rect {
                x: 12.0,
                y: head + 12.0,
                w: bw,
                h: bh,
            },
            Rect {
                x: w - bw - 12.0,
                y: bottom - bh - 52.0,
                w: bw,
                h: bh,
            },
            Rect {
                x: w - bw - 52.0,
                y: head + 12.0,
                w: bw,
                h: bh,
            },
        ]
    };
    let free = |r: &Rect, obstacles: &[Rect]| {
        frame.contains(r) && !obstacles.iter().any(|o| o.overlaps(r))
    };
    let legend = corners(lw, legend_h)
        .into_iter()
        .find(|r| free(r, &obstacles))
        .unwrap_or(corners(lw, legend_h)[0]);
    taken.push(legend);
    obstacles.push(legend);
    let zoomed = (extent.east - extent.west) < 0.5 * (country.east - country.west);
    let inset = if zoomed {
        corners(iw, ih)
            .into_iter()
            .find(|r| free(r, &obstacles))
            .map(|r| (r, inset_proj(r.x, r.y)))
    } else {
        None
    };
    if let Some((r, _)) = &inset {
        taken.push(*r);
    }
    // labels
    let mut dropped = 0;
    layer(&mut s, "labels", "Labels", true);
    if opts.labels && !hexbin {
        // events with a marker's texts, and their labels
        let (labelled, texts): (Vec<usize>, Vec<String>) = events
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let m = e.marker.as_ref()?;
                Some((
                    i,
                    match e.date {
                        Some(d) => format!("{} · {}", m.place, date_label(d)),
                        None => m.place.clone(),
                    },
                ))
            })
            .unzip();
        let specs: Vec<(f64, f64, f64, f64, f64)> = labelled
            .iter()
            .zip(&texts)
            .map(|(&i, t)| {
                (
                    pos[i].0,
                    pos[i].1,
                    pos[i].2,
                    text_width(t, 12.0) + 4.0,
                    15.0,
                )
            })
            .collect();
        let placed = place(&specs, &taken, frame);
        for (k, p) in placed.iter().enumerate() {
            let (i, text) = (labelled[k], &texts[k]);
            match p {
                Some(p) => {
                    if p.leader {
                        let (lx, ly) = (
                            p.rect.x.clamp(pos[i].0 - 200.0, pos[i].0 + 200.0),
                            p.rect.y + p.rect.h / 2.0,
                        );
                        let ex = if lx > pos[i].0 {
                            p.rect.x
                        } else {
                            p.rect.x + p.rect.w
                        };
                        let _ = writeln!(
                            s,
                            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#666666" stroke-width="0.8"/>"##,
                            f2(pos[i].0),
                            f2(pos[i].1),
                            f2(ex),
                            f2(ly)
                        );
                    }
                    let _ = writeln!(
                        s,
                        r##"<text class="label" x="{}" y="{}" font-size="12" fill="#111111" stroke="#ffffff" stroke-width="3.5" stroke-linejoin="round" paint-order="stroke" data-box="{} {} {} {}">{}</text>"##,
                        f2(p.rect.x + 2.0),
                        f2(p.rect.y + 11.5),
                        f2(p.rect.x),
                        f2(p.rect.y),
                        f2(p.rect.w),
                        f2(p.rect.h),
                        esc(text)
                    );
                }
                None => dropped += 1,
            }
        }
    }
    s.push_str("</g>\n");
    if let Some((r, ip)) = &inset {
        layer(&mut s, "locator", "Locator", false);
        let _ = writeln!(
            s,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" fill-opacity="0.92" stroke="#999999" stroke-width="0.8"/>"##,
            f2(r.x),
            f2(r.y),
            f2(r.w),
            f2(r.h)
        );
        let mut d = String::new();
        for p in &basemap.provinces {
            for poly in &p.geometry.0 {
                ring_path(&mut d, poly.exterior(), ip, 1.5);
            }
        }
        let _ = writeln!(
            s,
            r##"<path d="{d}" fill="#e4e2dc" stroke="#ffffff" stroke-width="0.3"/>"##
        );
        let (a, b) = (
            ip.project(extent.west, extent.north),
            ip.project(extent.east, extent.south),
        );
        let _ = writeln!(
            s,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#D55E00" stroke-width="1.5"><title>The area of this map</title></rect>"##,
            f2(a.0),
            f2(a.1),
            f2(b.0 - a.0),
            f2(b.1 - a.1)
        );
        s.push_str("</g>\n");
    }
    // legend
    layer(&mut s, "legend", "Legend", false);
    let _ = writeln!(
        s,
        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" fill-opacity="0.92" stroke="#999999" stroke-width="0.8"/>"##,
        f2(legend.x),
        f2(legend.y),
        f2(legend.w),
        f2(legend.h)
    );
    let mut ly = legend.y + 20.0;
    if hexbin {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="13" font-weight="bold" fill="#222222">Events per hexagon</text>"##,
            f2(legend.x + 10.0),
            f2(ly)
        );
        ly += 24.0;
        for (k, c) in HEX_COLOURS.iter().enumerate() {
            let x = legend.x + 10.0 + k as f64 * 42.0;
            let _ = writeln!(
                s,
                r##"<rect x="{}" y="{}" width="40" height="12" fill="{c}"/>"##,
                f2(x),
                f2(ly - 10.0)
            );
            let lo = hex_threshold(hex_max, k);
            let _ = writeln!(
                s,
                r##"<text x="{}" y="{}" font-size="10" fill="#222222">{lo}+</text>"##,
                f2(x),
                f2(ly + 14.0)
            );
        }
        ly += 34.0;
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="11" fill="#444444">{} events, aggregated (no labels, no distances)</text>"##,
            f2(legend.x + 10.0),
            f2(ly),
            events.len()
        );
    } else {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="13" font-weight="bold" fill="#222222">Event type</text>"##,
            f2(legend.x + 10.0),
            f2(ly)
        );
        for t in &types {
            ly += 20.0;
            let _ = writeln!(
                s,
                r##"<circle cx="{}" cy="{}" r="6" fill="{}" stroke="#ffffff" stroke-width="1"/>"##,
                f2(legend.x + 18.0),
                f2(ly - 4.0),
                type_colour(t)
            );
            let _ = writeln!(
                s,
                r##"<text x="{}" y="{}" font-size="12" fill="#222222">{}</text>"##,
                f2(legend.x + 30.0),
                f2(ly),
                esc(t)
            );
        }
        ly += 26.0;
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="12" fill="#222222">Fatalities:</text>"##,
            f2(legend.x + 10.0),
            f2(ly)
        );
        let mut kx = legend.x + 82.0;
        for n in [0u64, 10, 50] {
            let r = marker_radius(n);
            let _ = writeln!(
                s,
                r##"<circle cx="{}" cy="{}" r="{}" fill="none" stroke="#555555" stroke-width="1"/>"##,
                f2(kx + r),
                f2(ly - 4.0),
                f2(r)
            );
            let _ = writeln!(
                s,
                r##"<text x="{}" y="{}" font-size="11" fill="#222222">{n}</text>"##,
                f2(kx + 2.0 * r + 3.0),
                f2(ly)
            );
            kx += 2.0 * r + 26.0;
        }
        ly += 32.0;
        let note = if dropped > 0 {
            format!("- - geodesic distance · {dropped} labels omitted")
        } else {
            "- - geodesic distance between events".into()
        };
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="11" fill="#444444">{}</text>"##,
            f2(legend.x + 10.0),
            f2(ly),
            esc(&note)
        );
    }
    s.push_str("</g>\n");
    // scale bar, true at the map's centre
    layer(&mut s, "scale-bar", "Scale bar", false);
    let bar_km = nice_km(proj.width / proj.px_per_km / 5.0);
    let bar_px = bar_km * proj.px_per_km;
    let (bx, by) = (w - bar_px - 24.0, head + proj.height - 22.0);
    let _ = writeln!(
        s,
        r##"<rect x="{}" y="{}" width="{}" height="26" fill="#ffffff" fill-opacity="0.85"/>"##,
        f2(bx - 8.0),
        f2(by - 16.0),
        f2(bar_px + 16.0)
    );
    let _ = writeln!(
        s,
        r##"<path id="scale-bar-line" d="M{} {}L{} {}" stroke="#222222" stroke-width="2" data-km="{bar_km}" data-px="{}"/>"##,
        f2(bx),
        f2(by),
        f2(bx + bar_px),
        f2(by),
        f2(bar_px)
    );
    for x in [bx, bx + bar_px / 2.0, bx + bar_px] {
        let _ = writeln!(
            s,
            r##"<path d="M{} {}L{} {}" stroke="#222222" stroke-width="1.5"/>"##,
            f2(x),
            f2(by - 5.0),
            f2(x),
            f2(by + 3.0)
        );
    }
    let _ = writeln!(
        s,
        r##"<text x="{}" y="{}" font-size="11" fill="#222222" text-anchor="middle">{} km</text>"##,
        f2(bx + bar_px / 2.0),
        f2(by - 6.0),
        bar_km
    );
    s.push_str("</g>\n");
    // north arrow
    layer(&mut s, "north-arrow", "North arrow", false);
    let (nx, ny) = (w - 30.0, head + 18.0);
    let _ = writeln!(
        s,
        r##"<path d="M{} {}L{} {}L{} {}Z" fill="#222222"/><text x="{}" y="{}" font-size="12" font-weight="bold" text-anchor="middle" fill="#222222">N</text>"##,
        f2(nx),
        f2(ny),
        f2(nx - 7.0),
        f2(ny + 22.0),
        f2(nx + 7.0),
        f2(ny + 22.0),
        f2(nx),
        f2(ny + 36.0)
    );
    s.push_str("</g>\n");
    // title and subtitle
    layer(&mut s, "title", "Title", false);
    let first = events.iter().filter_map(|e| e.date).min();
    let last = events.iter().filter_map(|e| e.date_end.or(e.date)).max();
    let period = match (first, last) {
        (Some(a), Some(b)) if a == b => date_label(a),
        (Some(a), Some(b)) => format!("{} – {}", date_label(a), date_label(b)),
        _ => "dates unknown".into(),
    };
    let all_inside = matches!(kept, Cow::Borrowed(_));
    let sources = opts.source_count.filter(|_| all_inside).unwrap_or_else(|| {
        let distinct: std::collections::HashSet<u64> = events
            .iter()
            .flat_map(|e| e.sources.iter().copied())
            .collect();
        distinct.len()
    });
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Armed clashes and violence".into());
    let subtitle = if events.is_empty() {
        "No events to show".to_string()
    } else {
        format!(
            "{period} · {} events from {} sources",
            events.len(),
            sources
        )
    };
    let _ = writeln!(
        s,
        r##"<text x="16" y="32" font-size="22" font-weight="bold" fill="#111111">{}</text>"##,
        esc(&title)
    );
    let _ = writeln!(
        s,
        r##"<text x="16" y="56" font-size="14" fill="#444444">{}</text>"##,
        esc(&subtitle)
    );
    s.push_str("</g>\n");
    // attribution
    layer(&mut s, "attribution", "Attribution", false);
    let _ = writeln!(
        s,
        r##"<text x="{}" y="{}" font-size="11" fill="#555555" text-anchor="end">{}</text>"##,
        f2(w - 12.0),
        f2(h - 16.0),
        esc(&if opts.districts.is_empty() {
            ATTRIBUTION.to_string()
        } else {
            format!("{ATTRIBUTION} · Districts: {}", opts.districts_credit)
        })
    );
    let _ = writeln!(
        s,
        r##"<text x="12" y="{}" font-size="11" fill="#555555">Made with clashmap · geodesic distances on WGS84</text>"##,
        f2(h - 16.0)
    );
    s.push_str("</g>\n</svg>\n");
    s
}

/// A map rendering failure.
#[derive(Debug, thiserror::Error)]
#[error("cannot render the map: {0}")]
pub struct RenderError(pub(crate) String);

/// Rasterises an SVG of this module to PNG at its own size, with the bundled fonts.
pub fn render_png(svg: &str) -> Result<Vec<u8>, RenderError> {
    use resvg::{tiny_skia, usvg};
    let mut opt = usvg::Options::default();
    opt.fontdb_mut().load_font_data(FONT_REGULAR.to_vec());
    opt.fontdb_mut().load_font_data(FONT_BOLD.to_vec());
    opt.font_family = "DejaVu Sans".into();
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| RenderError(e.to_string()))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| RenderError("empty size".into()))?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| RenderError(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn many(n: usize) -> Vec<MapEvent> {
        (0..n)
            .map(|i| MapEvent {
                lon: 61.0 + (i % 97) as f64 * 0.1,
                lat: 30.5 + (i % 61) as f64 * 0.1,
                event_type: "Battles".into(),
                fatalities: (i % 7) as u64,
                date: Date::from_ymd(2020, 1, 1),
                date_end: None,
                sources: Box::new([source_key("a")]),
                marker: Some(Box::new(Marker {
                    id: format!("E{i}"),
                    place: format!("P{i}"),
                    title: String::new(),
                })),
            })
            .collect()
    }

    #[test]
    fn many_events_aggregate_into_hexagons_and_stay_small() {
        // a link between each event and the next: none is drawn over hexagons
        let links: Vec<MapLink> = (0..9_999)
            .map(|i| MapLink {
                from: i,
                to: i + 1,
                km: 10.0,
                reported: None,
            })
            .collect();
        let svg = render_svg(
            &many(10_000),
            &links,
            Basemap::embedded(),
            &MapOptions::default(),
        );
        assert!(svg.len() < 2_000_000, "{} bytes", svg.len());
        assert!(
            !svg.contains("stroke-dasharray=\"6 4\""),
            "no distance lines"
        );
        assert!(svg.contains("Events per hexagon"));
        assert!(!svg.contains("<circle id=\"event-"), "no single markers");
        let few = render_svg(&many(50), &[], Basemap::embedded(), &MapOptions::default());
        assert!(few.contains("<circle id=\"event-E0\""));
    }

    #[test]
    fn nice_scale_lengths() {
        assert_eq!(nice_km(73.0), 50.0);
        assert_eq!(nice_km(230.0), 200.0);
        assert_eq!(nice_km(9.0), 5.0);
    }
}
