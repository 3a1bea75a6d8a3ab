//! End to end on the illustrative commune sets (made up, not law): compile the three
//! tiers for a commune's profile and year, evaluate its data, print the explanation and
//! the decision.
//!
//! ```text
//! cargo run --example evaluate_commune            # Vietnamese labels
//! cargo run --example evaluate_commune -- --lang en
//! cargo run --example evaluate_commune -- --json  # the assessments and decision as JSON
//! ```

use std::process::ExitCode;

use ntm_rules::engine::{compile, decide, IndicatorOutcome, Outcome, Verdict};
use ntm_rules::model::{CriteriaSet, EventKind, History, Lang, Profile, Region, StatusId};
use ntm_rules::policy::illustrative;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let lang = if args.iter().any(|a| a == "en") {
        Lang::En
    } else {
        Lang::Vi
    };
    let json = args.iter().any(|a| a == "--json");
    match run(lang, json) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(lang: Lang, json: bool) -> Result<(), ntm_rules::Error> {
    let sets = illustrative::commune_sets();
    // An especially difficult commune in the Red River Delta: the sets' profile rule
    // holds it to the northern midlands and mountains thresholds.
    let profile =
        Profile::in_region(Region::Dbsh).with_status(StatusId::new("especially_difficult"));
    let year = 2023;
    let data = illustrative::sample_commune("07672", year);
    // Recognised at standard in 2019.
    let history = History::default().with("standard", 2019, EventKind::Recognised);

    let mut assessments = Vec::new();
    for set in &sets {
        let program = compile(set, &profile, year)?;
        assessments.push(program.evaluate(&data)?);
    }
    let decision = decide(&assessments, &history)?;

    if json {
        let out = serde_json::json!({ "assessments": assessments, "decision": decision });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return Ok(());
    }

    let t = |vi: &'static str, en: &'static str| if lang == Lang::Vi { vi } else { en };
    println!(
        "{}",
        t(
            "DỮ LIỆU MINH HỌA — không phải quy định pháp luật",
            "ILLUSTRATIVE DATA — not law"
        )
    );
    println!(
        "{} {} ({}), {} {year}\n",
        t("Xã", "Commune"),
        data.unit,
        assessments
            .first()
            .and_then(|a| a.profile.region)
            .map_or("-", |r| r.label(lang)),
        t("năm", "year")
    );
    for (set, a) in sets.iter().zip(&assessments) {
        print_assessment(set, a, lang);
    }
    let verdict = match &decision.verdict {
        Verdict::Recognise { tier, .. } => format!("{} {tier}", t("Công nhận", "Recognise")),
        Verdict::Maintain { tier, .. } => format!("{} {tier}", t("Duy trì", "Maintain")),
        Verdict::Revoke { tier, clause, .. } => format!(
            "{} {tier}: {:?} {}",
            t("Thu hồi", "Revoke"),
            clause.kind,
            clause.source
        ),
        Verdict::NotYet { tier } => format!("{} {tier}", t("Chưa đạt", "Not yet")),
        Verdict::CannotDecide { reasons } => {
            format!("{} {reasons:?}", t("Chưa thể kết luận", "Cannot decide"))
        }
    };
    println!("{}: {verdict}", t("Kết luận", "Decision"));
    if let Some(next) = &decision.next {
        let ids = |v: &[ntm_rules::model::CriterionId]| {
            v.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!(
            "{} {}: {} [{}]",
            t("Hạng tiếp theo", "Next tier"),
            next.tier,
            t("tiêu chí chưa đạt", "criteria not met"),
            ids(&next.criteria_not_met)
        );
    }
    Ok(())
}

fn print_assessment(set: &CriteriaSet, a: &ntm_rules::engine::Assessment, lang: Lang) {
    let mark = |o: Outcome| match o {
        Outcome::Met => "✔",
        Outcome::NotMet => "✘",
        Outcome::Undetermined => "?",
    };
    println!(
        "{} — {}/{} [{}]",
        set.name.get(lang),
        a.totals.met,
        a.totals.criteria,
        mark(a.outcome)
    );
    for (c, ca) in set.criteria.iter().zip(&a.criteria) {
        println!("  {} {:>3} {}", mark(ca.outcome), c.id, c.name.get(lang));
        for (i, ia) in c.indicators.iter().zip(&ca.indicators) {
            let required = ia
                .threshold
                .as_ref()
                .map(|p| p.threshold.to_string())
                .unwrap_or_else(|| "?".into());
            let outcome = match (ia.outcome, lang) {
                (IndicatorOutcome::Met, Lang::Vi) => "đạt",
                (IndicatorOutcome::Met, Lang::En) => "met",
                (IndicatorOutcome::NotMet, Lang::Vi) => "chưa đạt",
                (IndicatorOutcome::NotMet, Lang::En) => "not met",
                (IndicatorOutcome::Undetermined, Lang::Vi) => {
                    "chưa xác định (thiếu dữ liệu hoặc ngưỡng)"
                }
                (IndicatorOutcome::Undetermined, Lang::En) => "undetermined (no data or threshold)",
                (IndicatorOutcome::NotApplicable, Lang::Vi) => "không áp dụng",
                (IndicatorOutcome::NotApplicable, Lang::En) => "not applicable",
            };
            println!(
                "        {:<5} {:<52} {:>8} {} {:<8} {:>6}  {}",
                i.id,
                i.name.get(lang),
                ia.actual
                    .as_ref()
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "-".into()),
                ia.requirement.symbol(),
                required,
                ia.margin
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "-".into()),
                outcome
            );
        }
    }
    println!();
}
