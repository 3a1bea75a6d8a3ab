//! Vietnam: the national summary on the REAL administrative tree (`data/vn-admin`, from
//! `vietnamadminunits` 1.0.4) at 2025-06-30 (63 provinces, 696 district-level units,
//! 10,035 commune-level units) and at 2025-07-01 (34 provinces, 3,321 commune-level
//! units), with SYNTHETIC indicator data and histories for every commune and the national
//! 2021-2025 commune sets with an ILLUSTRATIVE overlay (`data/vn-admin/example`).
//!
//! ```text
//! cargo run --example vietnam                # Vietnamese
//! cargo run --example vietnam -- --lang en   # English
//! ```
//!
//! At 2025-07-01 every new commune starts from its parts by the merger rule: the tier all
//! its parts held is carried through, mixed parts and parts divided among several new
//! communes make it re-reviewed. Units and lineage are real; every value, profile and
//! history is made up, so no figure printed here is a real one.

mod country;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use ntm_rules::model::{Date, Lang, Level, TierId, UnitKind};
use ntm_rules::report::{format_number, format_percent};
use ntm_rules::tree::{
    aggregate, AggregateOptions, Aggregation, Hierarchy, LevelSets, MergerRule, ScopeReason,
    UnitStatus,
};
use rust_decimal::Decimal;

/// The national summary at both dates of the 2025 rearrangement.
#[derive(Debug, Parser)]
#[command(name = "vietnam")]
struct Args {
    /// Language of the summary.
    #[arg(long, value_enum, default_value_t = Language::Vi)]
    lang: Language,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Language {
    /// Vietnamese.
    Vi,
    /// English.
    En,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let lang = match args.lang {
        Language::Vi => Lang::Vi,
        Language::En => Lang::En,
    };
    match run(lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn t(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

fn count(n: u32, lang: Lang) -> String {
    format_number(Decimal::from(n), 0, lang)
}

fn share(n: u32, total: u32, lang: Lang) -> String {
    let pct = if total == 0 {
        "—".to_owned()
    } else {
        format_percent(
            Decimal::from(n) * Decimal::ONE_HUNDRED / Decimal::from(total),
            lang,
        )
    };
    format!("{}/{} ({pct})", count(n, lang), count(total, lang))
}

fn run(lang: Lang) -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = country::load(root)?;
    println!(
        "{}",
        t(
            lang,
            "DỮ LIỆU GIẢ LẬP — KHÔNG PHẢI SỐ LIỆU THẬT. Đơn vị hành chính, mã, loại và quan hệ sáp nhập là thật (vietnamadminunits 1.0.4, MIT); mọi giá trị chỉ tiêu, hồ sơ và lịch sử công nhận là giả lập; các ngưỡng chưa có trong nguồn là giá trị MINH HỌA.",
            "SYNTHETIC DATA — NOT REAL FIGURES. Units, codes, kinds and lineage are real (vietnamadminunits 1.0.4, MIT); every indicator value, profile and recognition history is made up; thresholds not in the sources are ILLUSTRATIVE values."
        )
    );
    for date in [country::before(), country::after()] {
        let tree = Hierarchy::new(data.units.clone(), date)?;
        let agg = aggregate(
            &tree,
            country::YEAR,
            &data.sets,
            &data.inputs,
            &AggregateOptions::default(),
        );
        print_summary(&agg, &data.sets, date, lang);
    }
    Ok(())
}

/// The name of a tier in the sets' scheme (its id if not found).
fn tier_name(sets: &[LevelSets], tier: &TierId, lang: Lang) -> String {
    sets.iter()
        .flat_map(|g| g.sets.iter())
        .flat_map(|s| s.scheme.tiers.iter())
        .find(|t| &t.id == tier)
        .map_or_else(|| tier.to_string(), |t| t.name.get(lang).to_owned())
}

fn print_summary(agg: &Aggregation, sets: &[LevelSets], date: Date, lang: Lang) {
    let Some(nation) = agg.summary("VN") else {
        return;
    };
    println!();
    println!("{} — {date}", t(lang, "Việt Nam", "Vietnam"));
    for (level, vi, en) in [
        (Level::Province, "Đơn vị cấp tỉnh", "Provinces"),
        (Level::District, "Đơn vị cấp huyện", "District-level units"),
        (Level::Commune, "Đơn vị cấp xã", "Commune-level units"),
    ] {
        if let Some(l) = nation.level(level) {
            println!("  {}: {}", t(lang, vi, en), count(l.units, lang));
        }
    }
    let Some(communes) = nation.level(Level::Commune) else {
        return;
    };
    // Out of scope, by kind (wards, townships, special zones).
    let mut out_of_scope: BTreeMap<UnitKind, u32> = BTreeMap::new();
    for r in agg.results.values() {
        if let UnitStatus::NotAssessed {
            scope: ScopeReason::KindNotCovered { kind, .. },
        } = &r.status
        {
            *out_of_scope.entry(*kind).or_insert(0) += 1;
        }
    }
    let scope: Vec<String> = out_of_scope
        .iter()
        .map(|(k, n)| format!("{} {}", k.label(lang), count(*n, lang)))
        .collect();
    println!(
        "  {}: {}",
        t(
            lang,
            "Ngoài phạm vi bộ tiêu chí xã",
            "Out of scope of the commune sets"
        ),
        scope.join(", ")
    );
    println!(
        "  {}: {} ({} {}, {} {})",
        t(lang, "Xã được đánh giá", "Communes assessed"),
        count(communes.assessed, lang),
        count(communes.undecided, lang),
        t(lang, "chưa quyết định được", "undecided"),
        count(communes.excluded, lang),
        t(lang, "loại trừ", "excluded"),
    );
    for tier in &communes.tiers {
        println!(
            "  {} {}: {}; {} {}, {} {}",
            t(lang, "Xã", "Communes"),
            tier_name(sets, &tier.tier, lang),
            share(tier.cumulative, communes.assessed, lang),
            t(lang, "mới", "new"),
            count(tier.new, lang),
            t(lang, "thu hồi", "revoked"),
            count(tier.revoked, lang),
        );
    }
    if let Some(avg) = nation.criteria.as_ref().and_then(|c| c.average.value) {
        println!(
            "  {}: {}",
            t(
                lang,
                "Bình quân tiêu chí/xã",
                "Average criteria per commune"
            ),
            format_number(avg, 1, lang)
        );
    }
    // The merger rule at the new shape.
    let mut inherited: BTreeMap<String, u32> = BTreeMap::new();
    let (mut mixed, mut divided) = (0u32, 0u32);
    for r in agg.results.values() {
        match r.merger.as_ref().map(|m| &m.rule) {
            Some(MergerRule::Inherited { tier }) => {
                let name = tier.as_ref().map_or_else(
                    || t(lang, "chưa đạt", "none").to_owned(),
                    |x| tier_name(sets, x, lang),
                );
                *inherited.entry(name).or_insert(0) += 1;
            }
            Some(MergerRule::ReReview) => mixed += 1,
            Some(MergerRule::Divided { .. }) => divided += 1,
            _ => {}
        }
    }
    if !inherited.is_empty() || mixed > 0 || divided > 0 {
        let kept: Vec<String> = inherited
            .iter()
            .map(|(k, n)| format!("{k} {}", count(*n, lang)))
            .collect();
        println!(
            "  {}: {}",
            t(
                lang,
                "Sáp nhập — kế thừa mức của các xã cũ",
                "Merged — tier carried from the parts"
            ),
            kept.join(", ")
        );
        println!(
            "  {}: {}; {}: {}",
            t(
                lang,
                "Xét lại — các xã cũ khác mức",
                "Re-reviewed — parts held different tiers"
            ),
            count(mixed, lang),
            t(
                lang,
                "xét lại — có xã cũ bị chia",
                "re-reviewed — a part was divided"
            ),
            count(divided, lang),
        );
    }
    let reasons = agg.excluded_by_reason();
    if !reasons.is_empty() {
        let list: Vec<String> = reasons.iter().map(|(r, n)| format!("{r} {n}")).collect();
        println!(
            "  {}: {}",
            t(lang, "Loại trừ theo lý do", "Excluded by reason"),
            list.join(", ")
        );
    }
}
