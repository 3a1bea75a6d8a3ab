//! The charts of the HTML report, drawn with `plotters` into SVG text: the tier shares of
//! each unit below the scope (horizontal bars, one per commune tier) and the distribution
//! of criteria met (a histogram over the report's bands). Every figure written on a
//! chart is formatted as in the text report; the bar lengths are the only values turned
//! into floating point, for drawing.

use crate::model::{Lang, Level};
use crate::report::build::{Report, ReportError};
use crate::report::commune_text::band_range;
use crate::report::format::{format_number, format_percent, tr};
use plotters::coord::combinators::NestedValue;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::prelude::ToPrimitive;

/// Colours of the commune tiers, lowest first (standard, advanced, model); further tiers
/// reuse the last one.
const TIER_COLOURS: [RGBColor; 3] = [
    RGBColor(0x5b, 0xa8, 0x5b),
    RGBColor(0x1f, 0x5f, 0xa8),
    RGBColor(0xd9, 0x8a, 0x00),
];
const BAR_COLOUR: RGBColor = RGBColor(0x1f, 0x5f, 0xa8);
const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
const FONT: &str = "sans-serif";
const WIDTH: u32 = 960;
const LEGEND_HEIGHT: u32 = 34;

fn chart_error<E: std::fmt::Display>(chart: &'static str) -> impl Fn(E) -> ReportError {
    move |e| ReportError::Chart {
        chart,
        message: e.to_string(),
    }
}

/// Draws a legend (a filled square and a name per entry) across the top strip.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    entries: &[(String, RGBColor)],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut x = 16i32;
    for (name, colour) in entries {
        area.draw(&Rectangle::new([(x, 10), (x + 16, 26)], colour.filled()))?;
        area.draw(&Text::new(
            name.clone(),
            (x + 22, 18),
            (FONT, 15)
                .into_font()
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        // The SVG backend cannot measure text; leave room for a long Vietnamese name.
        x += 34 + 9 * name.chars().count() as i32;
    }
    Ok(())
}

/// The tier shares of the communes of each unit below the scope, as an SVG string; `None`
/// when no unit below has communes.
pub(super) fn tier_shares(report: &Report, l: Lang) -> Result<Option<String>, ReportError> {
    let rows: Vec<_> = report
        .children
        .iter()
        .filter_map(|c| c.communes.as_ref().map(|cc| (c, cc)))
        .collect();
    let Some((_, first)) = rows.first() else {
        return Ok(None);
    };
    let tiers: Vec<(String, RGBColor)> = first
        .tiers
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let colour = TIER_COLOURS
                .get(k)
                .or(TIER_COLOURS.last())
                .copied()
                .unwrap_or(BAR_COLOUR);
            let name = format!(
                "{} {}",
                tr(l, "Xã", "Communes"),
                report.tier_name(Level::Commune, &t.tier, l)
            );
            (name, colour)
        })
        .collect();
    let names: Vec<String> = rows.iter().map(|(c, _)| c.name.get(l).to_owned()).collect();
    let n = rows.len() as u32;
    let per_tier = 0.84 / tiers.len().max(1) as f64;
    let height = LEGEND_HEIGHT + 70 + 22 * tiers.len().max(1) as u32 * n;
    let err = chart_error("tier_shares");
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(&err)?;
        let (top, area) = root.split_vertically(LEGEND_HEIGHT);
        legend(&top, &tiers).map_err(&err)?;
        let longest = names.iter().map(|s| s.chars().count()).max().unwrap_or(0) as u32;
        let mut chart = ChartBuilder::on(&area)
            .margin_left(8)
            .margin_right(64)
            .margin_top(6)
            .x_label_area_size(48)
            .y_label_area_size((16 + 8 * longest).min(320))
            .build_cartesian_2d(0f64..100f64, (0u32..n - 1).nested_coord(|_| 0f64..1f64))
            .map_err(&err)?;
        let category = |v: &NestedValue<u32, f64>| match v {
            NestedValue::Category(i) => (n - 1)
                .checked_sub(*i)
                .and_then(|k| names.get(k as usize))
                .cloned()
                .unwrap_or_default(),
            NestedValue::Value(..) => String::new(),
        };
        let percent = |x: &f64| format!("{}%", x.round() as i64);
        let axis_title = tr(
            l,
            "Tỷ lệ xã (% số xã được đánh giá của đơn vị)",
            "Share of communes (% of the unit's communes assessed)",
        );
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n as usize)
            .y_label_formatter(&category)
            .x_labels(11)
            .x_label_formatter(&percent)
            .x_desc(axis_title)
            .label_style((FONT, 14).into_font().color(&INK))
            .axis_desc_style((FONT, 14).into_font().color(&INK))
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(0xc8, 0xcd, 0xd3))
            .draw()
            .map_err(&err)?;
        for (i, (_, counts)) in rows.iter().enumerate() {
            // The first unit at the top.
            let cat = n - 1 - i as u32;
            for (k, t) in counts.tiers.iter().enumerate() {
                let colour = tiers.get(k).map_or(BAR_COLOUR, |(_, c)| *c);
                let top = 0.92 - k as f64 * per_tier;
                let bottom = top - per_tier * 0.86;
                let width = t
                    .share_of_all
                    .percent
                    .and_then(|p| p.to_f64())
                    .unwrap_or(0.0)
                    .clamp(0.0, 100.0);
                let label = t
                    .share_of_all
                    .percent
                    .map_or_else(|| "—".to_owned(), |p| format_percent(p, l));
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [
                            (0.0, NestedValue::Value(cat, bottom)),
                            (width, NestedValue::Value(cat, top)),
                        ],
                        colour.filled(),
                    )))
                    .map_err(&err)?;
                chart
                    .draw_series(std::iter::once(Text::new(
                        label,
                        (width + 0.6, NestedValue::Value(cat, (top + bottom) / 2.0)),
                        (FONT, 12)
                            .into_font()
                            .color(&INK)
                            .pos(Pos::new(HPos::Left, VPos::Center)),
                    )))
                    .map_err(&err)?;
            }
        }
        root.present().map_err(&err)?;
    }
    Ok(Some(svg))
}

/// The distribution of criteria met over the report's bands (fewest criteria on the
/// left), as an SVG string; `None` when the report has no criteria statistics.
pub(super) fn criteria_met(report: &Report, l: Lang) -> Result<Option<String>, ReportError> {
    let Some(stats) = report.summary.criteria.as_ref() else {
        return Ok(None);
    };
    if stats.bands.is_empty() {
        return Ok(None);
    }
    let bands: Vec<_> = stats.bands.iter().rev().collect();
    let labels: Vec<String> = bands.iter().map(|b| band_range(b)).collect();
    let n = bands.len() as u32;
    let most = bands.iter().map(|b| b.units).max().unwrap_or(0);
    let y_max = most + most / 8 + 2;
    let series = tr(
        l,
        "Số xã theo số tiêu chí đạt",
        "Communes by number of criteria met",
    )
    .to_owned();
    let err = chart_error("criteria_met");
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 380)).into_drawing_area();
        root.fill(&WHITE).map_err(&err)?;
        let (top, area) = root.split_vertically(LEGEND_HEIGHT);
        legend(&top, &[(series, BAR_COLOUR)]).map_err(&err)?;
        let mut chart = ChartBuilder::on(&area)
            .margin_left(8)
            .margin_right(24)
            .margin_top(6)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d((0u32..n - 1).into_segmented(), 0u32..y_max)
            .map_err(&err)?;
        let band = |v: &SegmentValue<u32>| match v {
            SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
            _ => String::new(),
        };
        let count = |y: &u32| format_number((*y).into(), 0, l);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n as usize)
            .x_label_formatter(&band)
            .y_labels(8)
            .y_label_formatter(&count)
            .x_desc(tr(l, "Số tiêu chí đạt", "Criteria met"))
            .y_desc(tr(l, "Số xã", "Communes"))
            .label_style((FONT, 14).into_font().color(&INK))
            .axis_desc_style((FONT, 14).into_font().color(&INK))
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(0xc8, 0xcd, 0xd3))
            .draw()
            .map_err(&err)?;
        chart
            .draw_series(
                Histogram::vertical(&chart)
                    .style(BAR_COLOUR.filled())
                    .margin(18)
                    .data(bands.iter().enumerate().map(|(i, b)| (i as u32, b.units))),
            )
            .map_err(&err)?;
        chart
            .draw_series(bands.iter().enumerate().map(|(i, b)| {
                Text::new(
                    b.units.to_string(),
                    (SegmentValue::CenterOf(i as u32), b.units),
                    (FONT, 14)
                        .into_font()
                        .color(&INK)
                        .pos(Pos::new(HPos::Center, VPos::Bottom)),
                )
            }))
            .map_err(&err)?;
        root.present().map_err(&err)?;
    }
    Ok(Some(svg))
}
