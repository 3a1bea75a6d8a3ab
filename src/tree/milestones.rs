//! Procedure milestones (issue 13, item 6): the recognition steps (self-assessment,
//! verification, appraisal, decision) as data, with who does each in which period (after
//! 1 July 2025 there are no districts: the step mapping is data too), the plan's
//! deadlines as data, each unit's dates, and the units behind schedule at a date.
//!
//! A unit with no procedure data is reported as unknown, never as on time.

use crate::model::{Date, Label, Level, UnitCode};
use crate::tree::result::{Aggregation, UnitStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One step of the recognition procedure, with who does it over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProcedureStep {
    /// Step id (`"self_assessment"`, `"verification"`, `"appraisal"`, `"decision"`).
    pub id: String,
    /// What it is.
    pub label: Label,
    /// Who does it (`"UBND huyện"` before 2025-07-01, another body after).
    pub by: Label,
    /// First day this mapping applies (absent: always before `to`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// Last day this mapping applies (absent: open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
}

/// A plan deadline: a step to be done by a date, for some units (empty: every unit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// The step.
    pub step: String,
    /// Done by this day.
    pub by: Date,
    /// The units it applies to (Quảng Minh has its own); empty: every unit without a
    /// deadline of its own for the step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<UnitCode>,
}

/// The procedure and the plan's deadlines.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// The steps, with their mapping over time.
    #[serde(default)]
    pub steps: Vec<ProcedureStep>,
    /// The deadlines.
    #[serde(default)]
    pub deadlines: Vec<Deadline>,
}

/// A unit's procedure data as given: step id → the day it was done, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitProcedure {
    /// The unit.
    pub unit: UnitCode,
    /// Step id → date done (`YYYY-MM-DD`).
    #[serde(default)]
    pub done: BTreeMap<String, String>,
}

/// A milestone date that is not a date, or a step the schedule does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MilestoneError {
    /// Not a `YYYY-MM-DD` date.
    #[error("unit {unit}, step {step}: `{value}` is not a date (YYYY-MM-DD)")]
    NotADate {
        /// The unit.
        unit: UnitCode,
        /// The step.
        step: String,
        /// The text given.
        value: String,
    },
    /// The same step of a unit given two different days (in the plan's procedure data
    /// and in the unit's input, say).
    #[error("unit {unit}, step {step}: given as done on both {first} and {second}")]
    Conflicting {
        /// The unit.
        unit: UnitCode,
        /// The step.
        step: String,
        /// The day given first.
        first: Date,
        /// The other day.
        second: Date,
    },
    /// The step is not one of the schedule's.
    #[error("unit {unit}: step `{step}` is not a step of the procedure")]
    UnknownStep {
        /// The unit.
        unit: UnitCode,
        /// The step.
        step: String,
    },
}

/// Where a unit stands on one deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MilestoneStatus {
    /// Done by the deadline.
    Done {
        /// When.
        on: Date,
    },
    /// Done, after the deadline.
    DoneLate {
        /// When.
        on: Date,
    },
    /// Not done and the deadline has passed.
    Late,
    /// Not done, the deadline is still ahead.
    Pending,
    /// No procedure data for the unit: cannot be told.
    Unknown,
}

impl MilestoneStatus {
    /// Whether the unit is behind schedule on this milestone.
    pub fn is_behind(&self) -> bool {
        matches!(
            self,
            MilestoneStatus::Late | MilestoneStatus::DoneLate { .. }
        )
    }
}

/// One unit against one deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Milestone {
    /// The unit.
    pub unit: UnitCode,
    /// The step.
    pub step: String,
    /// What the step is, from the procedure (absent: the procedure does not list it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Label>,
    /// Who does it at the deadline (from the step mapping), if the schedule says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<Label>,
    /// The deadline.
    pub due: Date,
    /// Where the unit stands.
    pub status: MilestoneStatus,
}

impl Schedule {
    /// Who does `step` on `day`, from the step mapping.
    pub fn performer(&self, step: &str, day: Date) -> Option<&Label> {
        self.steps
            .iter()
            .filter(|s| s.id == step)
            .find(|s| s.from.is_none_or(|f| f <= day) && s.to.is_none_or(|t| day <= t))
            .map(|s| &s.by)
    }

    /// The deadline of `step` for `unit`: its own, else the general one.
    fn deadline(&self, step: &str, unit: &UnitCode) -> Option<Date> {
        let of = |own: bool| {
            self.deadlines
                .iter()
                .filter(|d| d.step == step && (d.units.contains(unit) == own))
                .filter(|d| own || d.units.is_empty())
                .map(|d| d.by)
                .min()
        };
        of(true).or_else(|| of(false))
    }

    /// Every deadline of every unit in `units` at the day `today`, in unit then step
    /// order, from the procedure data given.
    ///
    /// # Errors
    ///
    /// The first [`MilestoneError`] of the procedure data, naming the unit and step.
    pub fn milestones(
        &self,
        units: &[UnitCode],
        procedures: &[UnitProcedure],
        today: Date,
    ) -> Result<Vec<Milestone>, MilestoneError> {
        let mut done: BTreeMap<&UnitCode, BTreeMap<&str, Date>> = BTreeMap::new();
        for p in procedures {
            let entry = done.entry(&p.unit).or_default();
            for (step, value) in &p.done {
                if !self.deadlines.iter().any(|d| &d.step == step)
                    && !self.steps.iter().any(|s| &s.id == step)
                {
                    return Err(MilestoneError::UnknownStep {
                        unit: p.unit.clone(),
                        step: step.clone(),
                    });
                }
                let day: Date = value.parse().map_err(|_| MilestoneError::NotADate {
                    unit: p.unit.clone(),
                    step: step.clone(),
                    value: value.clone(),
                })?;
                if let Some(first) = entry.insert(step.as_str(), day) {
                    if first != day {
                        return Err(MilestoneError::Conflicting {
                            unit: p.unit.clone(),
                            step: step.clone(),
                            first,
                            second: day,
                        });
                    }
                }
            }
        }
        let mut steps: Vec<&str> = self.deadlines.iter().map(|d| d.step.as_str()).collect();
        steps.sort_unstable();
        steps.dedup();
        let mut out = Vec::new();
        for unit in units {
            for step in &steps {
                let Some(due) = self.deadline(step, unit) else {
                    continue;
                };
                let status = match done.get(unit) {
                    None => MilestoneStatus::Unknown,
                    Some(d) => match d.get(step) {
                        Some(on) if *on <= due => MilestoneStatus::Done { on: *on },
                        Some(on) => MilestoneStatus::DoneLate { on: *on },
                        None if today > due => MilestoneStatus::Late,
                        None => MilestoneStatus::Pending,
                    },
                };
                out.push(Milestone {
                    unit: unit.clone(),
                    step: (*step).to_owned(),
                    label: self
                        .steps
                        .iter()
                        .find(|s| s.id == *step)
                        .map(|s| s.label.clone()),
                    by: self.performer(step, due).cloned(),
                    due,
                    status,
                });
            }
        }
        Ok(out)
    }
}

/// The milestones section of a plan: the procedure and its deadlines, each unit's
/// procedure dates, and the day progress is read at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanMilestones {
    /// The day the schedule is read at: a deadline before it with the step not done is
    /// late.
    pub as_of: Date,
    /// The units the deadlines apply to (those registered for recognition this year);
    /// empty: every assessed unit of `level`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<UnitCode>,
    /// The level of the units when `units` is empty (default: communes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// The procedure and the deadlines.
    #[serde(default)]
    pub schedule: Schedule,
    /// Each unit's procedure dates; a unit absent here is unknown, never on time.
    #[serde(default)]
    pub procedures: Vec<UnitProcedure>,
}

/// Where the units stand on the plan's deadlines, beside the numeric targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct MilestoneProgress {
    /// The day read at.
    pub as_of: Date,
    /// Every unit's milestone on every deadline, in unit then step order.
    pub milestones: Vec<Milestone>,
    /// Procedure data that could not be read (a date that is not a date, a step the
    /// procedure does not have), naming the unit and step; such a unit is reported as
    /// unknown and the others are still read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

impl MilestoneProgress {
    /// The milestones a unit is behind on (late, or done late).
    pub fn behind(&self) -> impl Iterator<Item = &Milestone> {
        self.milestones.iter().filter(|m| m.status.is_behind())
    }

    /// The units with no procedure data (unknown), in code order, each once.
    pub fn unknown_units(&self) -> Vec<&UnitCode> {
        let mut units: Vec<&UnitCode> = self
            .milestones
            .iter()
            .filter(|m| m.status == MilestoneStatus::Unknown)
            .map(|m| &m.unit)
            .collect();
        units.dedup();
        units
    }
}

impl PlanMilestones {
    /// The milestones of the units this section covers, read from `agg` when `units` is
    /// empty. A unit whose procedure data cannot be read is reported in `problems` and
    /// counted as unknown; the others are still read.
    pub fn progress(&self, agg: &Aggregation) -> MilestoneProgress {
        let units: Vec<UnitCode> = if self.units.is_empty() {
            let level = self.level.unwrap_or(Level::Commune);
            agg.results
                .values()
                .filter(|r| r.level == level && !matches!(r.status, UnitStatus::NotAssessed { .. }))
                .map(|r| r.unit.clone())
                .collect()
        } else {
            self.units.clone()
        };
        self.read(&units)
    }

    /// The milestones of `units`, dropping (and reporting) unreadable procedure data.
    fn read(&self, units: &[UnitCode]) -> MilestoneProgress {
        let mut procedures: Vec<UnitProcedure> = self.procedures.clone();
        let mut problems = Vec::new();
        loop {
            match self.schedule.milestones(units, &procedures, self.as_of) {
                Ok(milestones) => {
                    return MilestoneProgress {
                        as_of: self.as_of,
                        milestones,
                        problems,
                    }
                }
                Err(e) => {
                    let bad = match &e {
                        MilestoneError::NotADate { unit, .. }
                        | MilestoneError::Conflicting { unit, .. }
                        | MilestoneError::UnknownStep { unit, .. } => unit.clone(),
                    };
                    problems.push(e.to_string());
                    let before = procedures.len();
                    procedures.retain(|p| p.unit != bad);
                    if procedures.len() == before {
                        // Cannot happen (the error names a unit of `procedures`); stop
                        // rather than loop.
                        return MilestoneProgress {
                            as_of: self.as_of,
                            milestones: Vec::new(),
                            problems,
                        };
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn schedule() -> Schedule {
        Schedule {
            steps: vec![
                ProcedureStep {
                    id: "verification".into(),
                    label: Label::new("Thẩm tra", "Verification"),
                    by: Label::new("UBND huyện", "district people's committee"),
                    from: None,
                    to: Some(day("2025-06-30")),
                },
                ProcedureStep {
                    id: "verification".into(),
                    label: Label::new("Thẩm tra", "Verification"),
                    by: Label::new("Sở Nông nghiệp và Môi trường", "provincial department"),
                    from: Some(Date::TWO_TIER_REFORM),
                    to: None,
                },
            ],
            deadlines: vec![
                Deadline {
                    step: "verification".into(),
                    by: day("2022-10-31"),
                    units: vec![],
                },
                Deadline {
                    step: "verification".into(),
                    by: day("2022-11-30"),
                    units: vec!["QM".into()],
                },
            ],
        }
    }

    fn done(unit: &str, on: Option<&str>) -> UnitProcedure {
        UnitProcedure {
            unit: unit.into(),
            done: on
                .map(|d| BTreeMap::from([("verification".to_owned(), d.to_owned())]))
                .unwrap_or_default(),
        }
    }

    #[test]
    fn a_unit_past_a_deadline_is_late_one_on_time_is_not_and_one_without_data_is_unknown() {
        let units: Vec<UnitCode> = ["A", "B", "C", "D", "QM"].map(UnitCode::from).to_vec();
        let procedures = vec![
            done("A", Some("2022-10-15")),
            done("B", None),
            done("C", Some("2022-11-05")),
            done("QM", None),
        ];
        let got = schedule()
            .milestones(&units, &procedures, day("2022-11-10"))
            .unwrap();
        let status: Vec<(&str, &MilestoneStatus)> =
            got.iter().map(|m| (m.unit.as_str(), &m.status)).collect();
        assert_eq!(
            status,
            vec![
                (
                    "A",
                    &MilestoneStatus::Done {
                        on: day("2022-10-15")
                    }
                ),
                ("B", &MilestoneStatus::Late),
                (
                    "C",
                    &MilestoneStatus::DoneLate {
                        on: day("2022-11-05")
                    }
                ),
                ("D", &MilestoneStatus::Unknown),
                // Quảng Minh's own deadline is November: not late yet.
                ("QM", &MilestoneStatus::Pending),
            ]
        );
        let behind: Vec<&str> = got
            .iter()
            .filter(|m| m.status.is_behind())
            .map(|m| m.unit.as_str())
            .collect();
        assert_eq!(behind, vec!["B", "C"]);
        assert_eq!(
            got[0].by.as_ref().map(|l| l.en.as_str()),
            Some("district people's committee")
        );
    }

    #[test]
    fn the_step_mapping_changes_on_1_july_2025() {
        let s = schedule();
        assert_eq!(
            s.performer("verification", day("2025-06-30"))
                .map(|l| l.en.as_str()),
            Some("district people's committee")
        );
        assert_eq!(
            s.performer("verification", day("2025-07-01"))
                .map(|l| l.en.as_str()),
            Some("provincial department")
        );
    }

    #[test]
    fn a_milestone_date_that_is_not_a_date_is_an_error_naming_the_unit_and_step() {
        let err = schedule()
            .milestones(
                &["A".into()],
                &[done("A", Some("31/10/2022"))],
                day("2022-11-01"),
            )
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("unit A") && text.contains("verification") && text.contains("31/10/2022"),
            "{text}"
        );
        let mut p = done("A", None);
        p.done.insert("apraisal".into(), "2022-10-01".into());
        let err = schedule()
            .milestones(&["A".into()], &[p], day("2022-11-01"))
            .unwrap_err();
        assert!(matches!(err, MilestoneError::UnknownStep { .. }), "{err}");
    }

    fn plan_milestones(procedures: Vec<UnitProcedure>) -> PlanMilestones {
        PlanMilestones {
            as_of: day("2022-11-15"),
            units: ["A", "B", "C"].map(UnitCode::from).to_vec(),
            level: None,
            schedule: schedule(),
            procedures,
        }
    }

    #[test]
    fn plan_milestones_report_a_unit_without_procedure_data_as_unknown_never_on_time() {
        let m = plan_milestones(vec![done("A", Some("2022-10-01"))]);
        let p = m.read(&m.units);
        let status = |u: &str| {
            p.milestones
                .iter()
                .find(|m| m.unit.as_str() == u)
                .map(|m| m.status.clone())
        };
        assert_eq!(
            status("A"),
            Some(MilestoneStatus::Done {
                on: day("2022-10-01")
            })
        );
        assert_eq!(status("B"), Some(MilestoneStatus::Unknown));
        assert!(!MilestoneStatus::Unknown.is_behind());
        let unknown: Vec<&str> = p.unknown_units().iter().map(|u| u.as_str()).collect();
        assert_eq!(unknown, ["B", "C"]);
        assert_eq!(p.behind().count(), 0);
    }

    #[test]
    fn a_bad_milestone_date_is_reported_naming_the_unit_and_the_others_are_still_read() {
        let m = plan_milestones(vec![
            done("A", Some("31/10/2022")),
            done("B", Some("2022-11-02")),
        ]);
        let p = m.read(&m.units);
        assert_eq!(p.problems.len(), 1);
        assert!(p.problems[0].contains("unit A"), "{}", p.problems[0]);
        assert!(p.problems[0].contains("verification"), "{}", p.problems[0]);
        let status = |u: &str| {
            p.milestones
                .iter()
                .find(|m| m.unit.as_str() == u)
                .map(|m| m.status.clone())
        };
        assert_eq!(status("A"), Some(MilestoneStatus::Unknown));
        assert_eq!(
            status("B"),
            Some(MilestoneStatus::DoneLate {
                on: day("2022-11-02")
            })
        );
        assert_eq!(status("C"), Some(MilestoneStatus::Unknown));
    }
}
