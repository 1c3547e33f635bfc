//! Label placement without overlaps: each label tries the 8 positions around its
//! marker, then the same positions further out (drawn with a leader line); a label
//! that fits nowhere is dropped, and the legend says how many were.

/// An axis-aligned box, px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Whether two boxes overlap.
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    /// Whether `o` lies inside this box.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x
            && o.y >= self.y
            && o.x + o.w <= self.x + self.w
            && o.y + o.h <= self.y + self.h
    }
}

/// The width of a text in DejaVu Sans at `size` px, estimated per character class
/// (within a few % of the rendered width for Latin text).
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' => 0.32,
            'f' | 't' | 'r' | 'I' | '(' | ')' | '-' => 0.40,
            'm' | 'w' | 'M' | 'W' => 0.90,
            c if c.is_ascii_digit() => 0.64,
            c if c.is_uppercase() => 0.70,
            _ => 0.60,
        })
        .sum::<f64>()
        * size
}

/// Where a label went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// The label's box.
    pub rect: Rect,
    /// Drawn with a leader line from the marker.
    pub leader: bool,
}

/// Places labels of sizes `(w, h)` beside markers at `(x, y)` of radius `r`, avoiding
/// each other, every marker, the `blocked` boxes, and staying inside `frame`. Returns a
/// placement per label (None: dropped).
pub fn place(
    labels: &[(f64, f64, f64, f64, f64)],
    blocked: &[Rect],
    frame: Rect,
) -> Vec<Option<Placed>> {
    let markers: Vec<Rect> = labels
        .iter()
        .map(|&(x, y, r, _, _)| Rect {
            x: x - r,
            y: y - r,
            w: 2.0 * r,
            h: 2.0 * r,
        })
        .collect();
    let mut taken: Vec<Rect> = blocked.to_vec();
    let mut out = Vec::with_capacity(labels.len());
    for (i, &(x, y, r, w, h)) in labels.iter().enumerate() {
        let mut chosen = None;
        'rings: for (ring, leader) in [(3.0, false), (18.0, true), (34.0, true)] {
            let d = r + ring;
            // E, NE, N, NW, W, SW, S, SE
            let candidates = [
                (x + d, y - h / 2.0),
                (x + d * 0.7, y - d * 0.7 - h),
                (x - w / 2.0, y - d - h),
                (x - d * 0.7 - w, y - d * 0.7 - h),
                (x - d - w, y - h / 2.0),
                (x - d * 0.7 - w, y + d * 0.7),
                (x - w / 2.0, y + d),
                (x + d * 0.7, y + d * 0.7),
            ];
            for (cx, cy) in candidates {
                let rect = Rect { x: cx, y: cy, w, h };
                let clear = frame.contains(&rect)
                    && !taken.iter().any(|t| t.overlaps(&rect))
                    && !markers
                        .iter()
                        .enumerate()
                        .any(|(j, m)| j != i && m.overlaps(&rect))
                    && !markers[i].overlaps(&rect);
                if clear {
                    chosen = Some(Placed { rect, leader });
                    break 'rings;
                }
            }
        }
        if let Some(p) = chosen {
            taken.push(p.rect);
        }
        out.push(chosen);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_never_overlap_each_other_or_markers() {
        let frame = Rect {
            x: 0.0,
            y: 0.0,
            w: 400.0,
            h: 300.0,
        };
        // a crowd of markers in one spot
        let labels: Vec<(f64, f64, f64, f64, f64)> = (0..12)
            .map(|i| (200.0 + i as f64, 150.0, 5.0, 80.0, 14.0))
            .collect();
        let placed = place(&labels, &[], frame);
        let rects: Vec<Rect> = placed.iter().flatten().map(|p| p.rect).collect();
        assert!(rects.len() >= 8, "{}", rects.len());
        assert!(placed.iter().any(Option::is_none), "some must be dropped");
        for (i, a) in rects.iter().enumerate() {
            assert!(frame.contains(a));
            for b in &rects[i + 1..] {
                assert!(!a.overlaps(b));
            }
            for &(x, y, r, _, _) in &labels {
                assert!(!a.overlaps(&Rect {
                    x: x - r,
                    y: y - r,
                    w: 2.0 * r,
                    h: 2.0 * r
                }));
            }
        }
    }

    #[test]
    fn widths_grow_with_text() {
        assert!(text_width("Kunduz", 12.0) > text_width("Kabul", 12.0));
        assert!((text_width("Kunduz", 12.0) - 40.0).abs() < 8.0);
    }
}
