//! The report as CSV tables ([`Report::to_csv`]), with both the exact value and the
//! displayed one.
//!
//! **Exact means exact.** A share or an average is a quotient that a decimal cannot
//! always hold (2/3 = 66.666…%), so its exact value is given as its two integers — a
//! count and its denominator (`*_count`, `*_total`), or a sum and the number of values
//! (`*_sum`, `*_count`) — and its displayed value, rounded half away from zero to one
//! decimal, in a `*_shown` column. A column named `*_exact` holds a value that is exact
//! as written (a count, a sum, a minimum, a value given in the data), never a rounded
//! quotient.

use crate::model::{round_display, Lang, Level, TierId};
use crate::report::build::{CsvTable, Report, ReportError};
use crate::tree::{RollUpMethod, TargetStatus};
use rust_decimal::Decimal;

pub(super) fn csv_table<F>(
    name: &'static str,
    header: &[&str],
    fill: F,
) -> Result<CsvTable, ReportError>
where
    F: FnOnce(&mut csv::Writer<Vec<u8>>) -> Result<(), csv::Error>,
{
    let err = |source| ReportError::Csv {
        table: name,
        source,
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(err)?;
    fill(&mut w).map_err(err)?;
    let bytes = w
        .into_inner()
        .map_err(|e| err(csv::Error::from(e.into_error())))?;
    Ok(CsvTable {
        name,
        content: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// A displayed value as the text shows it: rounded half away from zero to one decimal,
/// and written with that decimal (`40.0`, as the text's `40,0%`).
fn shown(v: Option<Decimal>) -> String {
    shown_dp(v, 1)
}

/// A displayed value with `dp` decimals, as the text shows it.
fn shown_dp(v: Option<Decimal>, dp: u32) -> String {
    opt(v.map(|v| {
        let mut r = if dp == 1 {
            round_display(v)
        } else {
            v.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        };
        r.rescale(dp);
        r
    }))
}

impl Report {
    /// The report as CSV tables: `summary.csv` (counts by level and tier, with both
    /// denominators), `children.csv`, `communes.csv`, `criteria.csv`,
    /// `distribution.csv`, `rollups.csv`, `plan.csv` and `excluded.csv`. Numbers are
    /// plain (`79.9`); exact values and displayed values are in separate columns, and a
    /// quotient's exact value is its numerator and denominator (see the module docs):
    ///
    /// | table | quotient | exact columns | shown |
    /// |---|---|---|---|
    /// | `summary.csv` | share of all units, of lowest-tier units (%) | `share_of_all_count` / `share_of_all_total`, `share_of_lowest_count` / `share_of_lowest_total` | `*_shown` |
    /// | `children.csv` | average criteria met | `average_criteria_sum` / `average_criteria_count` | `average_criteria_shown` |
    /// | `criteria.csv` | share of communes meeting it (%) | `communes_met` / `communes_evaluated` | `share_shown` |
    /// | `rollups.csv` | a rate | `weighted_sum` / `weight_sum` (`value_exact` empty) | `value_shown` |
    /// | `plan.csv` | a share (%) or an average | `actual_count` / `actual_denominator` (`actual_exact` empty) | `compared` (when the target states a precision) |
    ///
    /// # Errors
    ///
    /// [`ReportError::Csv`] if a table cannot be written.
    pub fn to_csv(&self) -> Result<Vec<CsvTable>, ReportError> {
        let mut tables = Vec::new();
        tables.push(csv_table(
            "summary.csv",
            &[
                "level",
                "tier",
                "units",
                "assessed",
                "undecided",
                "excluded",
                "cumulative",
                "new",
                "revoked",
                "share_of_all_count",
                "share_of_all_total",
                "share_of_all_shown",
                "lowest_tier_units",
                "share_of_lowest_count",
                "share_of_lowest_total",
                "share_of_lowest_shown",
            ],
            |w| {
                for lc in &self.summary.levels {
                    for t in &lc.tiers {
                        w.write_record([
                            lc.level.label(Lang::En).to_owned(),
                            t.tier.to_string(),
                            lc.units.to_string(),
                            lc.assessed.to_string(),
                            lc.undecided.to_string(),
                            lc.excluded.to_string(),
                            t.cumulative.to_string(),
                            t.new.to_string(),
                            t.revoked.to_string(),
                            t.share_of_all.count.to_string(),
                            t.share_of_all.total.to_string(),
                            shown(t.share_of_all.percent),
                            t.share_of_lowest.total.to_string(),
                            t.share_of_lowest.count.to_string(),
                            t.share_of_lowest.total.to_string(),
                            shown(t.share_of_lowest.percent),
                        ])?;
                    }
                }
                Ok(())
            },
        )?);
        // One column per commune tier of the schemes used, named after the tier
        // (`communes_standard`, `communes_modern`), filled by tier id.
        let commune_tiers: Vec<&TierId> = self
            .tier_names
            .iter()
            .filter(|n| n.level == Level::Commune)
            .map(|n| &n.tier)
            .collect();
        let mut header: Vec<String> = ["unit", "name", "kind", "outcome", "tier"]
            .into_iter()
            .chain(["communes_assessed"])
            .map(str::to_owned)
            .collect();
        header.extend(commune_tiers.iter().map(|t| format!("communes_{t}")));
        header.extend(
            [
                "average_criteria_sum",
                "average_criteria_count",
                "average_criteria_shown",
                "villages_top_tier",
            ]
            .map(str::to_owned),
        );
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        tables.push(csv_table("children.csv", &header, |w| {
            for c in &self.children {
                let tier_n = |tier: &TierId| {
                    c.communes
                        .as_ref()
                        .and_then(|cc| cc.tier(tier.as_str()))
                        .map(|t| t.cumulative.to_string())
                        .unwrap_or_default()
                };
                let mut record = vec![
                    c.unit.to_string(),
                    c.name.get(Lang::Vi).to_owned(),
                    c.kind
                        .map(|k| k.label(Lang::En).to_owned())
                        .unwrap_or_default(),
                    c.outcome.clone(),
                    opt(c.tier.as_ref()),
                    opt(c.communes.as_ref().map(|x| x.assessed)),
                ];
                record.extend(commune_tiers.iter().map(|t| tier_n(t)));
                record.extend([
                    opt(c.average.map(|a| a.sum)),
                    opt(c.average.map(|a| a.count)),
                    shown(c.average.and_then(|a| a.value)),
                    opt(c
                        .villages
                        .as_ref()
                        .and_then(|v| v.tiers.last())
                        .map(|t| t.cumulative)),
                ]);
                w.write_record(&record)?;
            }
            Ok(())
        })?);
        tables.push(csv_table(
            "communes.csv",
            &[
                "unit",
                "name",
                "parent",
                "outcome",
                "tier",
                "newly",
                "criteria_met",
                "criteria_total",
            ],
            |w| {
                for c in &self.communes {
                    w.write_record([
                        c.unit.to_string(),
                        c.name.get(Lang::Vi).to_owned(),
                        opt(c.parent.as_ref()),
                        c.outcome.clone(),
                        opt(c.tier.as_ref()),
                        c.newly
                            .iter()
                            .map(|t| t.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                        opt(c.criteria_met),
                        opt(c.criteria_total),
                    ])?;
                }
                Ok(())
            },
        )?);
        tables.push(csv_table(
            "criteria.csv",
            &[
                "criterion",
                "name_vi",
                "name_en",
                "communes_met",
                "communes_evaluated",
                "share_shown",
            ],
            |w| {
                for c in &self.criteria {
                    w.write_record([
                        c.criterion.to_string(),
                        c.name.vi.clone(),
                        c.name.en.clone(),
                        c.share.count.to_string(),
                        c.share.total.to_string(),
                        shown(c.share.percent),
                    ])?;
                }
                Ok(())
            },
        )?);
        tables.push(csv_table(
            "distribution.csv",
            &["min_criteria", "max_criteria", "communes"],
            |w| {
                for b in self.summary.criteria.iter().flat_map(|c| c.bands.iter()) {
                    w.write_record([b.min.to_string(), b.max.to_string(), b.units.to_string()])?;
                }
                Ok(())
            },
        )?);
        tables.push(csv_table(
            "rollups.csv",
            &[
                "indicator",
                "name",
                "method",
                "units",
                "value_exact",
                "weighted_sum",
                "weight_sum",
                "value_shown",
                "missing_value",
                "missing_weight",
                "left_out",
            ],
            |w| {
                for r in &self.summary.rollups {
                    let name = self
                        .rollup_names
                        .get(r.indicator.as_str())
                        .map(|(n, _)| n.vi.clone())
                        .unwrap_or_default();
                    let method = match &r.method {
                        RollUpMethod::Sum => "sum".to_owned(),
                        RollUpMethod::Rate { weight } => format!("rate:{weight}"),
                        RollUpMethod::Minimum => "min".to_owned(),
                        RollUpMethod::Maximum => "max".to_owned(),
                    };
                    // A rate is a quotient: its exact value is Σ(value × weight) / Σ weight.
                    let rate = matches!(r.method, RollUpMethod::Rate { .. });
                    let weighted = r.value.and(r.weighted);
                    w.write_record([
                        r.indicator.to_string(),
                        name,
                        method,
                        r.units.to_string(),
                        if rate { String::new() } else { opt(r.value) },
                        opt(weighted.map(|(sum, _)| sum)),
                        opt(weighted.map(|(_, weights)| weights)),
                        // A sum is shown whole, the other methods to one decimal.
                        if matches!(r.method, RollUpMethod::Sum) {
                            shown_dp(r.value, 0)
                        } else {
                            shown(r.value)
                        },
                        r.missing_value.len().to_string(),
                        r.missing_weight.len().to_string(),
                        // Excluded units whose values the roll-up leaves out, with why.
                        r.left_out
                            .iter()
                            .map(|l| format!("{}:{}", l.unit, l.reason))
                            .collect::<Vec<_>>()
                            .join(" "),
                    ])?;
                }
                Ok(())
            },
        )?);
        tables.push(csv_table(
            "plan.csv",
            &[
                "target",
                "label_vi",
                "label_en",
                "requirement",
                "target_value",
                "actual_exact",
                "actual_count",
                "actual_denominator",
                "compared",
                "status",
                "short_by",
                "change",
            ],
            |w| {
                for t in self.plan.iter().flat_map(|p| p.targets.iter()) {
                    let (status, by) = match &t.status {
                        TargetStatus::Met => ("met", String::new()),
                        TargetStatus::Short { by } => ("short", by.to_string()),
                        TargetStatus::AtTarget => ("at_target", String::new()),
                        TargetStatus::Unknown { reason } => ("unknown", reason.to_string()),
                    };
                    w.write_record([
                        t.target.id.clone(),
                        t.target.label.vi.clone(),
                        t.target.label.en.clone(),
                        t.target.requirement.symbol().to_owned(),
                        t.target.value.to_string(),
                        // A share or an average is a quotient: exact as its two integers.
                        if t.of.is_some() {
                            String::new()
                        } else {
                            opt(t.actual)
                        },
                        opt(t.of.map(|(n, _)| n)),
                        opt(t.of.map(|(_, d)| d)),
                        // Without a precision, a quotient is compared as its exact count
                        // and denominator: no rounded figure is written for it.
                        if t.of.is_some() && t.target.precision.is_none() {
                            String::new()
                        } else {
                            opt(t.compared)
                        },
                        status.to_owned(),
                        by,
                        opt(t.change),
                    ])?;
                }
                Ok(())
            },
        )?);
        tables.push(csv_table(
            "excluded.csv",
            &["unit", "level", "reason", "detail"],
            |w| {
                for e in &self.excluded {
                    w.write_record([
                        e.unit.to_string(),
                        e.level.label(Lang::En).to_owned(),
                        e.reason.name().to_owned(),
                        e.reason.to_string(),
                    ])?;
                }
                for d in &self.derived_problems {
                    w.write_record([
                        d.unit.to_string(),
                        String::new(),
                        "derived_not_computed".to_owned(),
                        d.to_string(),
                    ])?;
                }
                Ok(())
            },
        )?);
        Ok(tables)
    }
}
