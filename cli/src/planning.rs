//! `ntm gaps`, `ntm roadmap`, `ntm candidates`: the planning questions on a request file
//! or a data-set folder.

use ntm_rules::contract;
use ntm_rules::model::{Lang, Level, TierId};
use ntm_rules::report;
use ntm_rules::tree::{CostModel, RoadmapOptions, DEFAULT_PER_YEAR};

use crate::{print_diagnostics, progress, progress_done, read, read_request, Fatal};

/// The arguments every planning command shares.
#[derive(Debug, clap::Args)]
pub(crate) struct Common {
    /// The request file (`-` for standard input), or a data-set folder with a
    /// `manifest.json`.
    request: String,
    /// Output format (`csv`: the `gaps.csv`, `roadmap.csv` or `candidates.csv` table;
    /// `what-if` has none).
    #[arg(long, value_parser = ["json", "text", "csv"], default_value = "text")]
    format: String,
    /// Language of the text.
    #[arg(long, value_parser = ["vi", "en"], default_value = "vi")]
    lang: String,
}

/// `ntm gaps`.
#[derive(Debug, clap::Args)]
pub(crate) struct GapsArgs {
    #[command(flatten)]
    common: Common,
    /// The unit.
    #[arg(long)]
    unit: String,
    /// The target tier.
    #[arg(long)]
    tier: String,
    /// The year whose thresholds apply (default: the reporting year).
    #[arg(long)]
    year: Option<u16>,
}

/// `ntm roadmap`.
#[derive(Debug, clap::Args)]
pub(crate) struct RoadmapArgs {
    #[command(flatten)]
    common: Common,
    /// The unit.
    #[arg(long)]
    unit: String,
    /// The target tier.
    #[arg(long)]
    tier: String,
    /// The target year.
    #[arg(long)]
    by: u16,
    /// At most this many criteria a year.
    #[arg(long, default_value_t = DEFAULT_PER_YEAR)]
    per_year: u32,
    /// A cost model file (JSON: `per_criterion`, `per_unit_of_shortfall`, `per_unit`).
    #[arg(long)]
    costs: Option<String>,
}

/// `ntm candidates`.
#[derive(Debug, clap::Args)]
pub(crate) struct CandidatesArgs {
    #[command(flatten)]
    common: Common,
    /// The tier (with `--count`); default: every "N more units at a tier" target of
    /// the plan.
    #[arg(long, requires = "count")]
    tier: Option<String>,
    /// How many more units.
    #[arg(long, requires = "tier")]
    count: Option<u32>,
    /// The level of the units: with `--tier`, default communes; without it, the plan's
    /// targets at this level only (default: every level).
    #[arg(long)]
    level: Option<String>,
    /// The scope (default: the plan's).
    #[arg(long)]
    scope: Option<String>,
    /// A cost model file.
    #[arg(long)]
    costs: Option<String>,
    /// Instead: the least-cost N criteria to complete over the units of `--level` (the
    /// plan's "+0.3 criteria per commune on average" is N = ⌈0.3 × communes⌉).
    #[arg(long, conflicts_with_all = ["tier", "count"])]
    criteria: Option<u32>,
    /// Also list this many of the next closest units.
    #[arg(long, default_value_t = 5)]
    next: usize,
}

fn lang(c: &Common) -> Lang {
    if c.lang == "en" {
        Lang::En
    } else {
        Lang::Vi
    }
}

/// Runs the request, or prints its errors (then `None`).
fn load(path: &str) -> Result<Option<contract::Run>, Fatal> {
    let text = read_request(path)?;
    progress(&format!("evaluating {path} ({} bytes)...", text.len()));
    let request = ntm_rules::model::from_json_with_limits::<contract::Request>(
        "request",
        &text,
        crate::limits(),
    )
    .map_err(|e| Fatal(format!("{path}: {e}")))?;
    let run = contract::run(request);
    progress_done();
    match run {
        Ok(run) => Ok(Some(run)),
        Err(response) => {
            print_diagnostics(path, response.response());
            Ok(None)
        }
    }
}

fn costs(path: Option<&str>) -> Result<CostModel, Fatal> {
    let Some(path) = path else {
        return Ok(CostModel::default());
    };
    let text = read(path)?;
    let model: CostModel = crate::parse::<CostModel>("cost model", &text)
        .map_err(|e| Fatal(format!("{path}: {e}")))?;
    model
        .validate()
        .map_err(|e| Fatal(format!("{path}: {e}")))?;
    Ok(model)
}

/// Prints a CSV table.
fn csv(table: Result<report::CsvTable, report::ReportError>) -> Result<(), Fatal> {
    let table = table.map_err(|e| Fatal(e.to_string()))?;
    out!("{}", table.content);
    Ok(())
}

fn json(value: Result<serde_json::Value, serde_json::Error>) -> Result<(), Fatal> {
    let value = value.map_err(|e| Fatal(e.to_string()))?;
    let text = serde_json::to_string_pretty(&value).map_err(|e| Fatal(e.to_string()))?;
    outln!("{text}");
    Ok(())
}

pub(crate) fn cmd_gaps(a: &GapsArgs) -> Result<bool, Fatal> {
    let Some(run) = load(&a.common.request)? else {
        return Ok(false);
    };
    let g = run
        .gaps(&a.unit, &TierId::new(&a.tier), a.year)
        .map_err(|e| Fatal(e.to_string()))?;
    if a.common.format == "json" {
        json(serde_json::to_value(&g))?;
    } else if a.common.format == "csv" {
        csv(report::gaps_csv(&g))?;
    } else {
        let (_, sets) = run
            .planning_input(&a.unit)
            .map_err(|e| Fatal(e.to_string()))?;
        out!("{}", report::gaps_text(&g, sets, lang(&a.common)));
    }
    Ok(true)
}

pub(crate) fn cmd_roadmap(a: &RoadmapArgs) -> Result<bool, Fatal> {
    let costs = costs(a.costs.as_deref())?;
    let Some(run) = load(&a.common.request)? else {
        return Ok(false);
    };
    let options = RoadmapOptions::new(a.by).per_year(a.per_year).costs(costs);
    let r = run
        .roadmap(&a.unit, &TierId::new(&a.tier), &options)
        .map_err(|e| Fatal(e.to_string()))?;
    if a.common.format == "json" {
        json(serde_json::to_value(&r))?;
    } else if a.common.format == "csv" {
        csv(report::roadmap_csv(&r))?;
    } else {
        out!("{}", report::roadmap_text(&r, lang(&a.common)));
    }
    Ok(true)
}

pub(crate) fn cmd_candidates(a: &CandidatesArgs) -> Result<bool, Fatal> {
    let costs = costs(a.costs.as_deref())?;
    let given_level: Option<Level> = a
        .level
        .as_ref()
        .map(|l| {
            serde_json::from_value(serde_json::Value::String(l.clone()))
                .map_err(|_| Fatal(format!("unknown level `{l}`")))
        })
        .transpose()?;
    let level = given_level.unwrap_or(Level::Commune);
    let Some(run) = load(&a.common.request)? else {
        return Ok(false);
    };
    if let Some(n) = a.criteria {
        let s = run
            .criteria_candidates(a.scope.as_deref(), level, n, &costs)
            .map_err(|e| Fatal(e.to_string()))?;
        if a.common.format == "json" {
            json(serde_json::to_value(&s))?;
        } else if a.common.format == "csv" {
            csv(report::criteria_candidates_csv(&s))?;
        } else {
            out!("{}", report::criteria_selection_text(&s, lang(&a.common)));
        }
        return Ok(true);
    }
    let tier = a.tier.as_deref().map(TierId::new);
    let target = tier.as_ref().zip(a.count);
    let all = run
        .candidates_for(a.scope.as_deref(), given_level, target, &costs)
        .map_err(|e| Fatal(format!("{}: {e}", a.common.request)))?;
    if a.common.format == "json" {
        json(serde_json::to_value(&all))?;
    } else if a.common.format == "csv" {
        let shown: Vec<_> = all
            .into_iter()
            .map(|mut s| {
                s.others.truncate(a.next);
                s
            })
            .collect();
        csv(report::candidates_csv(&shown))?;
    } else {
        for s in &all {
            out!(
                "{}",
                report::selection_text(s, Some(&run.tree), a.next, lang(&a.common))
            );
        }
    }
    Ok(true)
}

/// `ntm what-if`.
#[derive(Debug, clap::Args)]
pub(crate) struct WhatIfArgs {
    #[command(flatten)]
    common: Common,
    /// The changes (JSON: `{"values": {"<unit>": {"<indicator>": <value>}}, "year": 2023,
    /// "overlays": [...]}`).
    #[arg(long, required_unless_present = "overlay")]
    changes: Option<String>,
    /// A threshold overlay file to apply on top of the request's sets (repeatable; after
    /// the overlays of `--changes`).
    #[arg(long)]
    overlay: Vec<String>,
}

fn state_text(s: &contract::UnitState, lang: Lang) -> String {
    let tr = |vi: &str, en: &str| {
        if lang == Lang::En {
            en.to_owned()
        } else {
            vi.to_owned()
        }
    };
    match s {
        contract::UnitState::Decided { tier: Some(t) } => t.to_string(),
        contract::UnitState::Decided { tier: None } => tr("chưa đạt hạng", "no tier"),
        contract::UnitState::CannotDecide => tr("chưa quyết định được", "cannot decide"),
        contract::UnitState::Excluded { reason } => {
            format!("{}: {reason}", tr("loại ra", "excluded"))
        }
        _ => tr("không đánh giá", "not assessed"),
    }
}

fn opt(v: Option<impl std::fmt::Display>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

pub(crate) fn cmd_what_if(a: &WhatIfArgs) -> Result<bool, Fatal> {
    if a.common.format == "csv" {
        return Err(Fatal(
            "what-if has no CSV table; use --format text or json".to_owned(),
        ));
    }
    let mut changes = match &a.changes {
        Some(path) => {
            let text = read(path)?;
            crate::parse::<contract::WhatIf>("what-if", &text)
                .map_err(|e| Fatal(format!("{path}: {e}")))?
        }
        None => contract::WhatIf::default(),
    };
    for path in &a.overlay {
        let text = read(path)?;
        let overlay = crate::parse::<ntm_rules::policy::Overlay>("overlay", &text)
            .map_err(|e| Fatal(format!("{path}: {e}")))?;
        changes = changes.with_overlay(overlay);
    }
    let Some(run) = load(&a.common.request)? else {
        return Ok(false);
    };
    let diff = run.what_if(&changes).map_err(|e| Fatal(e.to_string()))?;
    if a.common.format == "json" {
        return json(serde_json::to_value(&diff)).map(|()| true);
    }
    let lang = lang(&a.common);
    let en = lang == Lang::En;
    let t = |vi: &'static str, e: &'static str| if en { e } else { vi };
    if diff.is_empty() {
        outln!("{}", t("Không có thay đổi.", "No change."));
        return Ok(true);
    }
    if let Some((from, to)) = diff.year {
        outln!("{} {from} → {to}", t("Năm báo cáo", "Reporting year"));
    }
    for o in &diff.overlays {
        outln!(
            "{} {o}",
            t("Áp dụng bộ ngưỡng (overlay)", "Threshold overlay applied")
        );
    }
    for v in &diff.values {
        outln!(
            "{} {} {}: {} → {}",
            t("Giá trị", "Value"),
            v.unit,
            v.indicator,
            opt(v.before.as_ref()),
            v.after
        );
    }
    for u in &diff.units {
        outln!(
            "{} {}: {} → {} ({} {} → {})",
            t("Đơn vị", "Unit"),
            u.unit,
            state_text(&u.before, lang),
            state_text(&u.after, lang),
            t("tiêu chí đạt", "criteria met"),
            opt(u.criteria_before),
            opt(u.criteria_after)
        );
    }
    if !diff.summaries.is_empty() {
        let s: Vec<&str> = diff.summaries.iter().map(|u| u.as_str()).collect();
        outln!(
            "{}: {}",
            t("Tổng hợp thay đổi", "Summaries changed"),
            s.join(", ")
        );
    }
    let num =
        |v: Option<_>| v.map_or_else(|| "—".to_owned(), |v| report::format_number(v, 2, lang));
    let status = |s: &ntm_rules::tree::TargetStatus| match s {
        ntm_rules::tree::TargetStatus::Met => t("đạt", "met"),
        ntm_rules::tree::TargetStatus::Unknown { .. } => t("chưa biết", "unknown"),
        _ => t("chưa đạt", "not met"),
    };
    for c in &diff.targets {
        outln!(
            "{} {}: {} → {} ({} → {})",
            t("Chỉ tiêu kế hoạch", "Plan target"),
            c.target,
            num(c.before),
            num(c.after),
            status(&c.status_before),
            status(&c.status_after)
        );
    }
    Ok(true)
}
