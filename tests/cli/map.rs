//! `clashmap map`: the SVG is parsed back (usvg, with the bundled font laying out the
//! text) and checked like a cartographer would: markers where their coordinates
//! project, labels that overlap nothing, a scale bar of the right length, the layers,
//! the attribution; and the PNG is a PNG of the same size.

use std::path::Path;

use clashmap::render::projection::{Extent, Projection};
use resvg::usvg;

use super::clashmap;

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles")
}

fn render(args: &[&str]) -> (String, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let (svg, png) = (dir.path().join("m.svg"), dir.path().join("m.png"));
    clashmap()
        .arg("map")
        .arg(samples())
        .arg("-o")
        .arg(&svg)
        .arg("--png")
        .arg(&png)
        .args(args)
        .assert()
        .success();
    (
        std::fs::read_to_string(&svg).unwrap(),
        std::fs::read(&png).unwrap(),
    )
}

fn tree(svg: &str) -> usvg::Tree {
    let mut opt = usvg::Options::default();
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/fonts");
    for f in ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"] {
        opt.fontdb_mut()
            .load_font_data(std::fs::read(fonts.join(f)).unwrap());
    }
    usvg::Tree::from_str(svg, &opt).expect("the SVG parses")
}

fn attr<'a>(el: &'a str, name: &str) -> &'a str {
    let k = format!(" {name}=\"");
    let i = el.find(&k).unwrap_or_else(|| panic!("{name} in {el}")) + k.len();
    &el[i..i + el[i..].find('"').unwrap()]
}

fn projection(svg: &str) -> Projection {
    let ext = &svg[svg.find("<extent>").unwrap() + 8..svg.find("</extent>").unwrap()];
    let v: Vec<f64> = ext.split(',').map(|x| x.parse().unwrap()).collect();
    let width: f64 = attr(svg.lines().next().unwrap(), "width").parse().unwrap();
    Projection::new(
        Extent {
            west: v[0],
            south: v[1],
            east: v[2],
            north: v[3],
        },
        0.0,
        70.0,
        width,
    )
}

#[test]
fn markers_sit_at_the_projected_position_of_their_events() {
    let (svg, _) = render(&["--extent", "64,33.5,71,37.5"]);
    let proj = projection(&svg);
    // the events' coordinates, from the GeoJSON of the same input
    let out = clashmap().arg("extract").arg(samples()).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = tree(&svg);
    let mut checked = 0;
    for f in v["features"].as_array().unwrap() {
        let id = f["id"].as_str().unwrap();
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        let (x, y) = proj.project(c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        // an event alone at its place has its own marker; events at one place share
        // one, whose id is that of the first of them
        let here = v["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["geometry"] == f["geometry"])
            .count();
        let marker = if here == 1 {
            format!("event-{id}")
        } else {
            format!("events-{id}")
        };
        let Some(node) = t.node_by_id(&marker) else {
            assert!(here > 1, "no marker for {id}");
            continue;
        };
        let b = node.abs_bounding_box();
        let (cx, cy) = ((b.left() + b.right()) / 2.0, (b.top() + b.bottom()) / 2.0);
        {
            assert!(
                (f64::from(cx) - x).abs() < 0.01 && (f64::from(cy) - y).abs() < 0.01,
                "{id}: ({cx},{cy}) vs ({x},{y})"
            );
            checked += 1;
        }
    }
    assert!(checked >= 3, "{checked}");
}

#[test]
fn labels_overlap_neither_each_other_nor_markers() {
    let (svg, _) = render(&[]);
    let t = tree(&svg);
    let labels = t.node_by_id("labels").expect("labels layer");
    let events = t.node_by_id("events").expect("events layer");
    let boxes = |n: &usvg::Node| -> Vec<usvg::Rect> {
        match n {
            usvg::Node::Group(g) => g.children().iter().filter(|c| !matches!(c, usvg::Node::Path(p) if p.stroke().is_some() && p.fill().is_none())).map(|c| c.abs_bounding_box()).collect(),
            _ => Vec::new(),
        }
    };
    let (lb, mb) = (boxes(labels), boxes(events));
    assert!(lb.len() >= 4, "labels drawn: {}", lb.len());
    let overlap = |a: &usvg::Rect, b: &usvg::Rect| {
        a.left() < b.right() - 0.5
            && b.left() < a.right() - 0.5
            && a.top() < b.bottom() - 0.5
            && b.top() < a.bottom() - 0.5
    };
    for (i, a) in lb.iter().enumerate() {
        for b in &lb[i + 1..] {
            assert!(!overlap(a, b), "labels {a:?} and {b:?} overlap");
        }
        for m in &mb {
            assert!(!overlap(a, m), "label {a:?} covers marker {m:?}");
        }
    }
}

#[test]
fn the_scale_bar_is_true_at_the_projection_scale() {
    let (svg, _) = render(&["--width", "900"]);
    let proj = projection(&svg);
    let line = svg
        .lines()
        .find(|l| l.contains("id=\"scale-bar-line\""))
        .unwrap();
    let km: f64 = attr(line, "data-km").parse().unwrap();
    let px: f64 = attr(line, "data-px").parse().unwrap();
    assert!(
        (px - km * proj.px_per_km).abs() < 0.01,
        "{px} px for {km} km at {} px/km",
        proj.px_per_km
    );
    // and the path drawn is that long
    let t = tree(&svg);
    let b = t.node_by_id("scale-bar-line").unwrap().abs_bounding_box();
    assert!(
        (f64::from(b.width()) - px).abs() < 0.05,
        "{} vs {px}",
        b.width()
    );
    assert!(svg.contains(&format!(">{km} km<")));
}

#[test]
fn the_map_has_its_layers_attribution_and_a_png_of_its_size() {
    let (svg, png) = render(&["--title", "Kunduz & Baghlan"]);
    for id in [
        "countries",
        "provinces",
        "distances",
        "events",
        "labels",
        "legend",
        "scale-bar",
        "north-arrow",
        "title",
        "attribution",
    ] {
        assert!(
            svg.contains(&format!("<g id=\"{id}\" inkscape:groupmode=\"layer\"")),
            "layer {id}"
        );
    }
    assert!(svg.contains("Place names: GeoNames (CC BY 4.0) · Boundaries: Natural Earth"));
    assert!(svg.contains("Kunduz &amp; Baghlan"));
    assert!(svg.contains("stroke-dasharray"));
    assert!(svg.contains("88 km (reported ~100 km)"));
    assert!(svg.contains("<title>"), "hover titles on markers");
    assert!(svg.contains("font-family=\"DejaVu Sans"));
    assert!(
        svg.len() < 1_000_000,
        "the sample map stays under 1 MB: {}",
        svg.len()
    );
    assert_eq!(&png[1..4], b"PNG");
    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert_eq!(w, 1200);
}

#[test]
fn maps_are_byte_identical_for_the_same_input() {
    let (a, pa) = render(&[]);
    let (b, pb) = render(&[]);
    assert_eq!(a, b);
    assert_eq!(pa, pb);
}

#[test]
fn a_map_of_geojson_events_and_of_no_events() {
    let dir = tempfile::tempdir().unwrap();
    let gj = dir.path().join("e.geojson");
    clashmap()
        .arg("extract")
        .arg(samples())
        .arg("-o")
        .arg(&gj)
        .assert()
        .success();
    clashmap()
        .arg("map")
        .arg(&gj)
        .arg("-o")
        .arg(dir.path().join("m.svg"))
        .assert()
        .success();
    let empty = dir.path().join("none.geojson");
    std::fs::write(&empty, "{\"type\":\"FeatureCollection\",\"features\":[]}").unwrap();
    clashmap()
        .arg("map")
        .arg(&empty)
        .arg("-o")
        .arg(dir.path().join("none.svg"))
        .assert()
        .success()
        .stderr(predicates::str::contains("no events"));
    let svg = std::fs::read_to_string(dir.path().join("none.svg")).unwrap();
    assert!(svg.contains("No events to show"));
    clashmap()
        .arg("map")
        .arg(&gj)
        .args(["--extent", "70,30,60,40", "-o"])
        .arg(dir.path().join("x.svg"))
        .assert()
        .code(1);
}

#[test]
fn the_legend_and_the_inset_cover_no_marker() {
    for width in ["800", "1200", "1600"] {
        let (svg, _) = render(&["--width", width]);
        let t = tree(&svg);
        let markers: Vec<usvg::Rect> = match t.node_by_id("events").unwrap() {
            usvg::Node::Group(g) => g.children().iter().map(|c| c.abs_bounding_box()).collect(),
            _ => Vec::new(),
        };
        for id in ["legend", "locator"] {
            let Some(n) = t.node_by_id(id) else { continue };
            let b = n.abs_bounding_box();
            for m in &markers {
                let overlap = b.left() < m.right()
                    && m.left() < b.right()
                    && b.top() < m.bottom()
                    && m.top() < b.bottom();
                assert!(!overlap, "width {width}: {id} {b:?} covers a marker {m:?}");
            }
        }
    }
}

/// The boxes of every label (event and distance labels) and of every marker of a map
/// (as usvg lays them out with the bundled font).
fn label_and_marker_boxes(svg: &str) -> (Vec<usvg::Rect>, Vec<usvg::Rect>) {
    let t = tree(svg);
    let texts = |id: &str| -> Vec<usvg::Rect> {
        match t.node_by_id(id) {
            Some(usvg::Node::Group(g)) => g
                .children()
                .iter()
                .filter(|c| matches!(c, usvg::Node::Text(_)))
                .map(|c| c.abs_bounding_box())
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut labels = texts("labels");
    labels.extend(texts("distances"));
    let markers = match t.node_by_id("events") {
        Some(usvg::Node::Group(g)) => g
            .children()
            .iter()
            .filter(|c| matches!(c, usvg::Node::Path(_)))
            .map(|c| c.abs_bounding_box())
            .collect(),
        _ => Vec::new(),
    };
    (labels, markers)
}

/// Checks a run's map as the issue asks: no label over another label or a marker, at
/// most 12 distance labels, and the legend saying how many places are unlabelled.
fn check_run_map(input: &Path, extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    clashmap()
        .arg("run")
        .arg(input)
        .args(extra)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let svg = std::fs::read_to_string(dir.path().join("map.svg")).unwrap();
    let (labels, markers) = label_and_marker_boxes(&svg);
    assert!(labels.len() >= 10, "labels drawn: {}", labels.len());
    let overlap = |a: &usvg::Rect, b: &usvg::Rect| {
        a.left() < b.right() - 0.5
            && b.left() < a.right() - 0.5
            && a.top() < b.bottom() - 0.5
            && b.top() < a.bottom() - 0.5
    };
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            assert!(
                !overlap(a, b),
                "{}: labels {a:?} and {b:?} overlap",
                input.display()
            );
        }
        for m in &markers {
            assert!(
                !overlap(a, m),
                "{}: label {a:?} covers marker {m:?}",
                input.display()
            );
        }
    }
    let distance_labels = svg.matches("class=\"distance-label\"").count();
    assert!(distance_labels <= 12, "{distance_labels} distance labels");
    assert!(
        svg.matches("<path class=\"distance\"").count() <= 12,
        "at most 12 distance lines"
    );
    assert!(
        svg.contains("places unlabelled") || svg.contains("every place labelled"),
        "the legend says what is unlabelled"
    );
    // every event is on the map: the markers' counts add up to the events placed
    let placed = svg
        .split("data-events=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse::<usize>().unwrap())
        .sum::<usize>();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("events.geojson")).unwrap())
            .unwrap();
    let with_point = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["geometry"].is_null())
        .count();
    if extra.is_empty() {
        assert_eq!(placed, with_point);
    } else {
        assert!(placed < with_point, "the filter leaves some out");
    }
}

#[test]
fn a_run_on_many_articles_draws_a_readable_map() {
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles");
    check_run_map(&own, &[]);
    check_run_map(&own, &["--from", "2019-01-01", "--type", "Battles"]);
    // the development corpus, when it is beside the project
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dev/articles");
    if dev.is_dir() {
        check_run_map(&dev, &[]);
    }
}

#[test]
fn markers_of_one_place_are_one_with_a_count_and_a_capped_size() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("a");
    std::fs::create_dir(&corpus).unwrap();
    // three attacks on Kunduz on different days, one with a huge count
    std::fs::write(
        corpus.join("k.txt"),
        " date 2019-09-10 Kunduz\n\nOn 2 September 2019 Taliban fighters attacked Kunduz, killing 4 soldiers.\n\nOn 5 September 2019 a suicide bomber struck in Kunduz, killing 1700 people.\n\nOn 8 September 2019 Taliban fighters attacked Kunduz again, killing 2 policemen.\n",
    )
    .unwrap();
    let svg = dir.path().join("m.svg");
    clashmap()
        .arg("map")
        .arg(&corpus)
        .arg("-o")
        .arg(&svg)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&svg).unwrap();
    let circles: Vec<&str> = svg
        .lines()
        .filter(|l| l.contains("class=\"marker\""))
        .collect();
    assert_eq!(circles.len(), 1, "{circles:?}");
    assert_eq!(attr(circles[0], "data-events"), "3");
    let r: f64 = attr(circles[0], "r").parse().unwrap();
    assert!(r <= 28.0, "capped radius, got {r}");
    assert!(svg.contains("Kunduz · 3 events"));
    assert!(
        svg.contains("100+ (max 1706)"),
        "the legend shows the real range"
    );
}
