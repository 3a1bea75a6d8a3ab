//! The HTML report (`Report::to_html`) of the Bắc Giang example, on the illustrative sets
//! and on the national catalog with the provincial overlay: the figures of the text
//! report, well-formed markup, escaped input, charts drawn by plotters, nothing fetched.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests"
)]

use ntm_rules::contract::{self, Request};
use ntm_rules::model::{Lang, UnitName};
use ntm_rules::report::{format_number, format_percent, Report};
use quick_xml::events::Event;

fn request(folder: &str) -> Request {
    Request::from_dir(format!("{}/data/{folder}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn report_of(request: Request) -> Report {
    contract::run(request).unwrap().report(None).unwrap()
}

fn bac_giang() -> Report {
    report_of(request("bac_giang_2022"))
}

/// "179/184 (97,3%)" as the text report writes a share.
fn share(count: u32, total: u32, lang: Lang) -> String {
    let percent = rust_decimal::Decimal::from(count * 100) / rust_decimal::Decimal::from(total);
    format!(
        "{}/{} ({})",
        format_number(count.into(), 0, lang),
        format_number(total.into(), 0, lang),
        format_percent(percent, lang)
    )
}

/// Parses the page as XML (the report writes XHTML-compatible markup) and returns the
/// element names in document order; fails on a tag closed out of order or left open.
fn elements(html: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(html);
    let mut open: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                seen.push(name.clone());
                open.push(name);
            }
            Ok(Event::Empty(e)) => {
                seen.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
            }
            Ok(Event::End(e)) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                assert_eq!(
                    open.pop().as_deref(),
                    Some(name.as_str()),
                    "closing </{name}>"
                );
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed at byte {}: {e}", reader.buffer_position()),
        }
    }
    assert!(open.is_empty(), "left open: {open:?}");
    seen
}

#[test]
fn html_report_shows_the_text_reports_key_figures_in_vietnamese() {
    let report = bac_giang();
    let html = report.to_html(Lang::Vi).unwrap();
    let text = report.to_text(Lang::Vi);
    for figure in [
        "147/184 (79,9%)",
        "79,9%",
        "17,1",
        "3.146 / 184",
        "1.432",
        "15/16",
    ] {
        assert!(html.contains(figure), "{figure} missing from the HTML");
    }
    assert!(text.contains("147/184 (79,9%)") && text.contains("Bình quân tiêu chí/xã: 17,1"));
    assert!(html.contains("<html lang=\"vi\">"));
    assert!(html.contains("Xã đạt chuẩn") && html.contains("Tỉnh Bắc Giang"));
    // Every criterion's share, as the text report writes it.
    assert_eq!(report.criteria.len(), 19);
    for c in &report.criteria {
        let shown = share(c.share.count, c.share.total, Lang::Vi);
        assert!(text.contains(&shown), "{shown} not in the text report");
        assert!(html.contains(&shown), "{shown} not in the HTML report");
    }
    // The districts' shares as in the text report.
    assert!(text.contains("xã đạt chuẩn 11/17 (64,7%)"));
    assert!(html.contains("11/17 (64,7%)"));
}

#[test]
fn html_report_in_english_writes_numbers_the_english_way() {
    let html = bac_giang().to_html(Lang::En).unwrap();
    for figure in [
        "147/184 (79.9%)",
        "17.1",
        "3,146 / 184",
        "1,432",
        "Plan progress",
    ] {
        assert!(html.contains(figure), "{figure} missing from the HTML");
    }
    assert!(html.contains("<html lang=\"en\">"));
    assert!(!html.contains("79,9%"));
}

#[test]
fn html_report_is_well_formed_with_every_tag_closed() {
    for lang in [Lang::Vi, Lang::En] {
        let html = bac_giang().to_html(lang).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        let seen = elements(&html);
        for name in [
            "html", "head", "style", "body", "table", "thead", "tbody", "svg",
        ] {
            assert!(seen.iter().any(|n| n == name), "no <{name}>");
        }
    }
}

#[test]
fn html_report_fetches_nothing_and_runs_no_script() {
    let html = bac_giang().to_html(Lang::Vi).unwrap();
    assert!(!html.contains("http"), "a URL in the page");
    assert!(!html.to_lowercase().contains("<script"));
    assert!(!html.contains("url(") && !html.contains("@import"));
    for attr in ["src=", "href="] {
        for (at, _) in html.match_indices(attr) {
            let value = &html[at + attr.len()..];
            assert!(
                value.starts_with("\"#") || value.starts_with("\"data:"),
                "{attr} to {}",
                &value[..value.len().min(40)]
            );
        }
    }
}

#[test]
fn a_hostile_unit_name_appears_as_text_not_markup() {
    let mut request = request("bac_giang_2022");
    let hostile = "<script>alert('x')</script> & \"Yên Thế\"";
    let district = request
        .units
        .iter_mut()
        .find(|u| u.code.as_str() == "215")
        .unwrap();
    district.name = UnitName::from(hostile);
    let html = report_of(request).to_html(Lang::Vi).unwrap();
    assert!(!html.contains("<script"), "the name was written as markup");
    assert!(!html.contains(hostile));
    let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Yên Thế&quot;";
    assert!(
        html.contains(escaped),
        "the name is not shown escaped in the table"
    );
    // The chart's axis label is escaped by plotters' SVG backend.
    assert!(html.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"));
    elements(&html);
}

#[test]
fn html_report_draws_its_two_charts_with_a_legend() {
    let html = bac_giang().to_html(Lang::Vi).unwrap();
    assert_eq!(
        html.matches("<svg").count(),
        2,
        "tier shares and criteria met"
    );
    let charts: Vec<&str> = html.split("<svg").skip(1).collect();
    // The tier shares: a legend entry per commune tier, and each district by name.
    for name in [
        "Xã đạt chuẩn",
        "Xã nâng cao",
        "Xã kiểu mẫu",
        "Huyện Yên Thế",
        "64,7%",
    ] {
        assert!(
            charts[1].contains(name) || charts[0].contains(name),
            "{name}"
        );
    }
    // The histogram: the bands of the text report, fewest criteria first.
    let histogram = charts[0];
    let positions: Vec<usize> = ["0–4", "5–9", "10–14", "15–18", "19"]
        .iter()
        .map(|band| {
            histogram
                .find(&format!(">\n{band}\n</text>"))
                .unwrap_or_else(|| panic!("band {band} not on the chart"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    assert!(histogram.contains("Số xã theo số tiêu chí đạt"));
    assert!(html.contains("19: 67; 15–18: 91; 10–14: 21; 5–9: 5; 0–4: 0"));
}

#[test]
fn html_report_marks_plan_targets_met_and_short() {
    let report = bac_giang();
    let plan = report.plan.as_ref().unwrap();
    let html = report.to_html(Lang::Vi).unwrap();
    assert_eq!(html.matches("<tr class=\"met\">").count(), plan.met());
    assert_eq!(html.matches("<tr class=\"short\">").count(), 1);
    let short = html
        .lines()
        .find(|l| l.starts_with("<tr class=\"short\">"))
        .unwrap();
    assert!(short.contains("Tỷ lệ dân số nông thôn được dùng nước sạch"));
    assert!(short.contains("✗") && short.contains("CHƯA ĐẠT, thiếu 1,1%"));
    assert!(html.contains("17,1 (3146/184)") && html.contains("+0,3"));
}

#[test]
fn html_report_on_the_catalog_path_shows_the_province_figures() {
    let report = report_of(request("bac_giang_2022_catalog"));
    let html = report.to_html(Lang::Vi).unwrap();
    assert!(html.contains("147/184 (79,9%)"));
    assert!(html.contains("1/184 (0,5%)"));
    assert!(html.contains("17,1"));
    assert!(html.contains("lĩnh vực nổi trội"));
    elements(&html);
}
