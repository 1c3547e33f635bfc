//! The timeline chart for reports: events per day by ACLED type, as stacked bars,
//! drawn with plotters into an SVG (per week or per month when the events span more
//! than two months or a year).

use std::collections::BTreeMap;

use plotters::prelude::*;

use super::{MapEvent, RenderError, type_colour};
use crate::date::Date;

/// How long a bar is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bin {
    /// One day.
    Day,
    /// One week (Monday to Sunday).
    Week,
    /// One month.
    Month,
}

impl Bin {
    fn start(self, d: Date) -> Date {
        match self {
            Bin::Day => d,
            Bin::Week => d.add_days(-(d.weekday() as i32)),
            Bin::Month => d.month_start(0),
        }
    }

    fn next(self, d: Date) -> Date {
        match self {
            Bin::Day => d.add_days(1),
            Bin::Week => d.add_days(7),
            Bin::Month => d.month_start(1),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Bin::Day => "day",
            Bin::Week => "week",
            Bin::Month => "month",
        }
    }
}

fn rgb(hex: &str) -> RGBColor {
    let v = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(128);
    RGBColor(v(1), v(3), v(5))
}

fn register_fonts() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ =
            plotters::style::register_font("sans-serif", FontStyle::Normal, super::FONT_REGULAR);
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, super::FONT_BOLD);
    });
}

/// Draws the chart of events (by their first day) as SVG, `width` x `height` px.
pub fn render_chart(events: &[MapEvent], width: u32, height: u32) -> Result<String, RenderError> {
    register_fonts();
    let dated: Vec<(Date, &str)> = events
        .iter()
        .filter_map(|e| Some((e.date?, &*e.event_type)))
        .collect();
    let err = |e: String| RenderError(format!("chart: {e}"));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
        let (first, last) = match (
            dated.iter().map(|d| d.0).min(),
            dated.iter().map(|d| d.0).max(),
        ) {
            (Some(a), Some(b)) => (a, b),
            _ => {
                root.draw(&Text::new(
                    "No dated events",
                    (20, 30),
                    ("sans-serif", 16).into_font(),
                ))
                .map_err(|e| err(e.to_string()))?;
                root.present().map_err(|e| err(e.to_string()))?;
                drop(root);
                return Ok(svg);
            }
        };
        let span = first.days_until(last);
        let bin = if span <= 62 {
            Bin::Day
        } else if span <= 366 {
            Bin::Week
        } else {
            Bin::Month
        };
        let mut bins: Vec<Date> = Vec::new();
        let mut d = bin.start(first);
        while d <= last {
            bins.push(d);
            d = bin.next(d);
        }
        let mut counts: BTreeMap<(usize, &str), u32> = BTreeMap::new();
        for (date, t) in &dated {
            let i = bins.iter().rposition(|b| b <= date).unwrap_or(0);
            *counts.entry((i, t)).or_default() += 1;
        }
        let mut types: Vec<&str> = dated.iter().map(|d| d.1).collect();
        types.sort();
        types.dedup();
        let max = (0..bins.len())
            .map(|i| {
                types
                    .iter()
                    .map(|t| counts.get(&(i, *t)).copied().unwrap_or(0))
                    .sum::<u32>()
            })
            .max()
            .unwrap_or(1)
            .max(1);
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("Events per {} by type", bin.name()),
                ("sans-serif", 18).into_font(),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(40)
            .build_cartesian_2d(0i32..bins.len() as i32, 0u32..max + 1)
            .map_err(|e| err(e.to_string()))?;
        let labels: Vec<String> = bins.iter().map(|b| b.to_string()).collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(bins.len().min(8))
            .x_label_formatter(&|i| labels.get(*i as usize).cloned().unwrap_or_default())
            .y_desc("events")
            .label_style(("sans-serif", 12).into_font())
            .draw()
            .map_err(|e| err(e.to_string()))?;
        let mut base = vec![0u32; bins.len()];
        for t in &types {
            let colour = rgb(type_colour(t));
            let mut bars = Vec::new();
            for (i, b) in base.iter_mut().enumerate() {
                let n = counts.get(&(i, *t)).copied().unwrap_or(0);
                if n > 0 {
                    bars.push(Rectangle::new(
                        [(i as i32, *b), (i as i32 + 1, *b + n)],
                        colour.filled(),
                    ));
                    *b += n;
                }
            }
            chart
                .draw_series(bars)
                .map_err(|e| err(e.to_string()))?
                .label(*t)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled())
                });
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.4))
            .label_font(("sans-serif", 12).into_font())
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(|e| err(e.to_string()))?;
        root.present().map_err(|e| err(e.to_string()))?;
    }
    Ok(svg)
}
