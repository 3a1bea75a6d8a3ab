//! Policy validation of criteria sets, and validation of indicator data.
//!
//! [`validate_set`] reports every problem of one set at once, each with its location
//! (set / criterion / indicator / row and the JSON path) and, for threshold tables, a
//! counterexample: the profile and year that no row covers, or that two rows cover.
//! [`validate_tiers`] checks the sets of one scheme and level together: the tier below
//! each set is present, and a higher tier is never looser than a lower one for the same
//! indicator, profile and year. [`validate_data`] checks a batch of units' indicator
//! data against sets: unknown indicator ids (with the nearest known id as a hint), values
//! of the wrong kind or out of range, duplicate unit codes; it reports per unit and goes
//! on with the batch.
//!
//! Validation sits before [`compile`](crate::compile) in the pipeline; `compile` runs the
//! structural part of it too, so a set that validates always compiles.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use serde::Serialize;

use crate::compile::{check_set, compile, Check, Program};
use crate::definitions::{
    CommuneGroup, CriteriaSet, IndicatorData, IndicatorId, Profile, Region, Requirement, SetId,
    StatusId, TierId, UnitCode,
};
use crate::error::{DataProblem, SetLocation, SetProblemKind};
use crate::evaluate::UndeterminedReason;

/// One problem found by policy validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyProblem {
    /// Where, by ids.
    pub location: SetLocation,
    /// Where, as a JSON path into the set's file (`criteria[2].indicators[0].thresholds[1]`).
    pub json_path: String,
    /// What.
    pub kind: PolicyProblemKind,
}

impl fmt::Display for PolicyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (at `{}`): {}",
            self.location, self.json_path, self.kind
        )
    }
}

/// A cell of a threshold table: a profile and a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// The profile (before the set's profile rules).
    pub profile: Profile,
    /// The year.
    pub year: u16,
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(r) = self.profile.region {
            parts.push(format!("region {}", serde_name(&r)));
        }
        if let Some(g) = self.profile.commune_group {
            parts.push(format!("commune group {}", serde_name(&g)));
        }
        if !self.profile.statuses.is_empty() {
            let s: Vec<&str> = self.profile.statuses.iter().map(|s| s.as_str()).collect();
            parts.push(format!("statuses [{}]", s.join(", ")));
        }
        parts.push(format!("year {}", self.year));
        f.write_str(&parts.join(", "))
    }
}

fn serde_name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// What policy validation found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PolicyProblemKind {
    /// A structural problem (ids, kinds, requirements, values, references).
    #[error("{0}")]
    Structure(SetProblemKind),
    /// No threshold row covers a profile and year; add a row, or an `unknown` row.
    #[error("no threshold row covers {cell}")]
    Uncovered {
        /// The counterexample.
        cell: Cell,
    },
    /// Two rows cover the same profile and year.
    #[error("threshold rows {first} and {second} both cover {cell}")]
    Overlap {
        /// First row.
        first: usize,
        /// Second row.
        second: usize,
        /// The counterexample.
        cell: Cell,
    },
    /// The set's tier has a lower tier in the scheme, but no set for it was given.
    #[error("tier `{tier}` requires tier `{below}`, but no set for it was given")]
    MissingLowerTier {
        /// This set's tier.
        tier: TierId,
        /// The tier below.
        below: TierId,
    },
    /// A higher tier's threshold is looser than a lower tier's for the same indicator,
    /// profile and year.
    #[error("looser than set `{lower_set}` (tier `{lower_tier}`) for {cell}: `{requirement} {this}` here, `{requirement} {lower}` there")]
    LooserThanLowerTier {
        /// The lower tier's set.
        lower_set: SetId,
        /// The lower tier.
        lower_tier: TierId,
        /// The requirement symbol.
        requirement: &'static str,
        /// This set's threshold.
        this: String,
        /// The lower set's threshold.
        lower: String,
        /// The counterexample.
        cell: Cell,
    },
}

/// JSON path of an indicator (and optionally a row) in a set file.
fn json_path(set: &CriteriaSet, loc: &SetLocation) -> String {
    let mut path = String::new();
    if let Some(ind) = &loc.indicator {
        let in_criteria = set.criteria.iter().enumerate().find_map(|(ci, c)| {
            c.indicators
                .iter()
                .position(|i| &i.id == ind)
                .map(|ii| format!("criteria[{ci}].indicators[{ii}]"))
        });
        path = in_criteria.unwrap_or_else(|| {
            set.preconditions
                .iter()
                .position(|i| &i.id == ind)
                .map_or_else(String::new, |p| format!("preconditions[{p}]"))
        });
        if let Some(r) = loc.row {
            path.push_str(&format!(".thresholds[{r}]"));
        }
    } else if let Some(c) = &loc.criterion {
        if let Some(ci) = set.criteria.iter().position(|x| &x.id == c) {
            path = format!("criteria[{ci}]");
        }
    }
    if path.is_empty() {
        ".".to_owned()
    } else {
        path
    }
}

/// The profiles whose thresholds can differ for a set: every region, group and
/// combination of statuses that any row or profile rule of the set mentions.
fn profile_space(set: &CriteriaSet) -> Vec<Profile> {
    let mut uses_regions = false;
    let mut uses_groups = false;
    let mut statuses: BTreeSet<StatusId> = BTreeSet::new();
    let conditions = set
        .all_indicators()
        .flat_map(|i| i.thresholds.iter().map(|r| &r.when))
        .chain(set.profile_rules.iter().map(|r| &r.when));
    for m in conditions {
        uses_regions |= !m.regions.is_empty();
        uses_groups |= !m.commune_groups.is_empty();
        statuses.extend(m.statuses.iter().cloned());
        statuses.extend(m.absent_statuses.iter().cloned());
    }
    let regions: Vec<Option<Region>> = if uses_regions {
        Region::ALL.iter().copied().map(Some).collect()
    } else {
        vec![None]
    };
    let groups: Vec<Option<CommuneGroup>> = if uses_groups {
        CommuneGroup::ALL.iter().copied().map(Some).collect()
    } else {
        vec![None]
    };
    let statuses: Vec<StatusId> = statuses.into_iter().collect();
    // Status combinations: all subsets when few, otherwise none and each one alone.
    let subsets: Vec<BTreeSet<StatusId>> = if statuses.len() <= 6 {
        (0u32..(1 << statuses.len()))
            .map(|mask| {
                statuses
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, s)| s.clone())
                    .collect()
            })
            .collect()
    } else {
        std::iter::once(BTreeSet::new())
            .chain(statuses.iter().map(|s| BTreeSet::from([s.clone()])))
            .collect()
    };
    let mut out = Vec::new();
    for region in &regions {
        for group in &groups {
            for st in &subsets {
                out.push(Profile {
                    region: *region,
                    commune_group: *group,
                    statuses: st.clone(),
                });
            }
        }
    }
    out
}

/// Validates one criteria set: structure, and completeness and overlaps of every
/// threshold table over every profile and year of the scheme.
///
/// Returns every problem found (empty when the set is valid), each at most once per
/// indicator and kind, with the first counterexample found.
///
/// # Example
///
/// ```
/// use ntm_rules::{illustrative, validate::{validate_set, PolicyProblemKind}};
///
/// let mut set = illustrative::commune_standard();
/// assert!(validate_set(&set).is_empty());
/// set.criteria[2].indicators[0].thresholds.pop(); // drop a row of 10.1
/// let problems = validate_set(&set);
/// assert!(matches!(problems[0].kind, PolicyProblemKind::Uncovered { .. }));
/// assert_eq!(
///     problems[0].to_string(),
///     "set `illustrative-commune-standard`, criterion `10`, indicator `10.1` \
///      (at `criteria[2].indicators[0]`): no threshold row covers region dbsh, year 2023"
/// );
/// ```
pub fn validate_set(set: &CriteriaSet) -> Vec<PolicyProblem> {
    let mut out: Vec<PolicyProblem> = check_set(set)
        .into_iter()
        .map(|p| PolicyProblem {
            json_path: json_path(set, &p.location),
            location: p.location,
            kind: PolicyProblemKind::Structure(p.kind),
        })
        .collect();
    if !out.is_empty() {
        return out;
    }
    let mut seen: BTreeSet<(IndicatorId, &'static str)> = BTreeSet::new();
    let criterion_of: HashMap<&IndicatorId, _> = set
        .criteria
        .iter()
        .flat_map(|c| c.indicators.iter().map(move |i| (&i.id, c.id.clone())))
        .collect();
    for year in set.scheme.years.from..=set.scheme.years.to {
        for profile in profile_space(set) {
            let cell = || Cell {
                profile: profile.clone(),
                year,
            };
            match compile(set, &profile, year) {
                Ok(program) => {
                    for (id, reason) in program.undetermined_thresholds() {
                        if reason == UndeterminedReason::NoThresholdRow
                            && seen.insert((id.clone(), "uncovered"))
                        {
                            let location = SetLocation {
                                criterion: criterion_of.get(id).cloned(),
                                indicator: Some(id.clone()),
                                ..SetLocation::set(&set.id)
                            };
                            out.push(PolicyProblem {
                                json_path: json_path(set, &location),
                                location,
                                kind: PolicyProblemKind::Uncovered { cell: cell() },
                            });
                        }
                    }
                }
                Err(e) => {
                    for p in e.problems() {
                        if let SetProblemKind::AmbiguousThreshold { first, second } = p.kind {
                            let Some(id) = p.location.indicator.clone() else {
                                continue;
                            };
                            if seen.insert((id, "overlap")) {
                                out.push(PolicyProblem {
                                    json_path: json_path(set, &p.location),
                                    location: p.location.clone(),
                                    kind: PolicyProblemKind::Overlap {
                                        first,
                                        second,
                                        cell: cell(),
                                    },
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// Validates the sets of each scheme and level together: every set's lower tier is
/// present, and no higher tier is looser than a lower one for the same indicator id,
/// profile and year (numbers and grades compared by the requirement's direction;
/// yes/no and one-of thresholds are not compared).
///
/// Sets are grouped by scheme and level. Sets that do not compile for a cell are
/// skipped for that cell (run [`validate_set`] on each first).
pub fn validate_tiers(sets: &[CriteriaSet]) -> Vec<PolicyProblem> {
    let mut groups: BTreeMap<(String, crate::definitions::Level), Vec<&CriteriaSet>> =
        BTreeMap::new();
    for s in sets {
        groups
            .entry((s.scheme.id.to_string(), s.level))
            .or_default()
            .push(s);
    }
    groups
        .values()
        .flat_map(|group| validate_tier_group(group))
        .collect()
}

fn validate_tier_group(group: &[&CriteriaSet]) -> Vec<PolicyProblem> {
    let by_tier: BTreeMap<usize, &CriteriaSet> = group
        .iter()
        .filter_map(|s| s.scheme.tier_rank(&s.tier).map(|r| (r, *s)))
        .collect();
    let mut out = Vec::new();
    for (&rank, set) in &by_tier {
        let root = SetLocation::set(&set.id);
        let Some(below_rank) = rank.checked_sub(1) else {
            continue;
        };
        let Some(lower) = by_tier.get(&below_rank) else {
            if let Some(below) = set.scheme.tiers.get(below_rank) {
                out.push(PolicyProblem {
                    json_path: ".".to_owned(),
                    location: root,
                    kind: PolicyProblemKind::MissingLowerTier {
                        tier: set.tier.clone(),
                        below: below.id.clone(),
                    },
                });
            }
            continue;
        };
        let mut seen = BTreeSet::new();
        let mut profiles = profile_space(set);
        for p in profile_space(lower) {
            if !profiles.contains(&p) {
                profiles.push(p);
            }
        }
        for year in set.scheme.years.from..=set.scheme.years.to {
            for profile in &profiles {
                let (Ok(hi), Ok(lo)) = (compile(set, profile, year), compile(lower, profile, year))
                else {
                    continue;
                };
                for problem in looser(&hi, &lo) {
                    let (id, requirement, this, low) = problem;
                    if !seen.insert(id.clone()) {
                        continue;
                    }
                    let location = SetLocation {
                        indicator: Some(id),
                        ..root.clone()
                    };
                    out.push(PolicyProblem {
                        json_path: json_path(set, &location),
                        location,
                        kind: PolicyProblemKind::LooserThanLowerTier {
                            lower_set: lower.id.clone(),
                            lower_tier: lower.tier.clone(),
                            requirement,
                            this,
                            lower: low,
                            cell: Cell {
                                profile: profile.clone(),
                                year,
                            },
                        },
                    });
                }
            }
        }
    }
    out
}

/// Indicators of `hi` whose resolved threshold is looser than `lo`'s.
fn looser(hi: &Program, lo: &Program) -> Vec<(IndicatorId, &'static str, String, String)> {
    let mut out = Vec::new();
    for slot in &hi.slots {
        let Some(&j) = lo.lookup.get(slot.id.as_str()) else {
            continue;
        };
        let Some(other) = lo.slots.get(j) else {
            continue;
        };
        if slot.requirement != other.requirement {
            continue;
        }
        let pair = match (&slot.check, &other.check) {
            (Check::Number(a), Check::Number(b)) => Some((*a, *b)),
            (Check::Grade(a), Check::Grade(b)) => Some(((*a).into(), (*b).into())),
            _ => None,
        };
        let Some((a, b)) = pair else { continue };
        let is_looser = match slot.requirement {
            Requirement::AtLeast | Requirement::Above => a < b,
            Requirement::AtMost | Requirement::Below => a > b,
            Requirement::Equal | Requirement::OneOf => false,
        };
        if is_looser {
            let show = |p: &crate::compile::Slot| {
                p.provenance
                    .as_ref()
                    .map_or_else(String::new, |p| p.threshold.to_string())
            };
            out.push((
                slot.id.clone(),
                slot.requirement.symbol(),
                show(slot),
                show(other),
            ));
        }
    }
    out
}

/// One unit's data problems found by [`validate_data`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataIssue {
    /// The unit.
    pub unit: UnitCode,
    /// Position of the unit's record in the batch (0-based).
    pub index: usize,
    /// What.
    pub kind: DataIssueKind,
}

impl fmt::Display for DataIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unit `{}` (record {}): {}",
            self.unit, self.index, self.kind
        )
    }
}

/// What is wrong with a unit's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "issue", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DataIssueKind {
    /// An indicator id that none of the sets has.
    #[error("unknown indicator `{indicator}`{}", hint.as_ref().map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default())]
    UnknownIndicator {
        /// The id given.
        indicator: IndicatorId,
        /// The nearest known id, if one is close.
        hint: Option<IndicatorId>,
    },
    /// The same unit code appears in an earlier record.
    #[error("duplicate unit code, first seen in record {first}")]
    DuplicateUnit {
        /// Record of the first occurrence.
        first: usize,
    },
    /// A value does not fit its indicator (wrong kind, out of range, unknown grade).
    #[error("set `{set}`: {problem}")]
    Value {
        /// The set whose indicator it is.
        set: SetId,
        /// The problem.
        problem: DataProblem,
    },
}

/// Validates a batch of units' indicator data against criteria sets: every value must
/// belong to an indicator of one of the sets and fit its kind and range, and unit codes
/// must be unique. Reports every problem of every unit; one bad unit does not stop the
/// others from being checked.
///
/// # Example
///
/// ```
/// use ntm_rules::{illustrative, validate::validate_data, Value};
///
/// let sets = illustrative::commune_sets();
/// let data = vec![illustrative::sample_commune("A", 2022).with("10.2", Value::Flag(true))];
/// let issues = validate_data(&sets, &data);
/// assert_eq!(
///     issues[0].to_string(),
///     "unit `A` (record 0): unknown indicator `10.2` (did you mean `10.1`?)"
/// );
/// ```
pub fn validate_data(sets: &[CriteriaSet], data: &[IndicatorData]) -> Vec<DataIssue> {
    // Kinds and ranges do not depend on the profile; compile each set for the empty
    // profile and the year of the data (sets that do not compile are skipped: validate
    // them with `validate_set`).
    let known: BTreeSet<&IndicatorId> = sets
        .iter()
        .flat_map(|s| s.all_indicators().map(|i| &i.id))
        .collect();
    let mut programs: HashMap<(usize, u16), Option<Program>> = HashMap::new();
    let mut first_seen: HashMap<&UnitCode, usize> = HashMap::new();
    let mut out = Vec::new();
    for (index, unit) in data.iter().enumerate() {
        let issue = |kind| DataIssue {
            unit: unit.unit.clone(),
            index,
            kind,
        };
        if let Some(&first) = first_seen.get(&unit.unit) {
            out.push(issue(DataIssueKind::DuplicateUnit { first }));
        } else {
            first_seen.insert(&unit.unit, index);
        }
        for id in unit.values.keys().filter(|id| !known.contains(id)) {
            out.push(issue(DataIssueKind::UnknownIndicator {
                indicator: id.clone(),
                hint: nearest(id.as_str(), known.iter().map(|k| k.as_str())).map(IndicatorId::new),
            }));
        }
        let mut reported: BTreeSet<&IndicatorId> = BTreeSet::new();
        for (si, set) in sets.iter().enumerate() {
            if !set.scheme.years.contains(unit.year) {
                continue;
            }
            let program = programs
                .entry((si, unit.year))
                .or_insert_with(|| compile(set, &Profile::default(), unit.year).ok());
            let Some(program) = program else { continue };
            if let Err(e) = program.bind(unit) {
                for p in e.problems {
                    // A value shared by several sets is reported once.
                    let key = p
                        .indicator
                        .as_ref()
                        .and_then(|i| unit.values.get_key_value(i))
                        .map(|(k, _)| k);
                    if key.is_some_and(|k| !reported.insert(k)) {
                        continue;
                    }
                    if matches!(p.kind, crate::error::DataProblemKind::YearMismatch { .. }) {
                        continue;
                    }
                    out.push(issue(DataIssueKind::Value {
                        set: set.id.clone(),
                        problem: p,
                    }));
                }
            }
        }
    }
    out
}

/// The candidate closest to `word` by edit distance, if within a third of its length
/// (at least 2 edits).
fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .map(|c| (levenshtein(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definitions::{Confidence, Source, Threshold, ThresholdRow};
    use crate::illustrative;

    #[test]
    fn illustrative_sets_are_valid_and_consistent() {
        for set in illustrative::commune_sets() {
            assert_eq!(validate_set(&set), vec![], "{}", set.id);
        }
        assert_eq!(validate_tiers(&illustrative::commune_sets()), vec![]);
    }

    #[test]
    fn overlapping_rows_are_named_with_a_counterexample() {
        let mut set = illustrative::commune_standard();
        set.criteria[1].indicators[0].thresholds.push(ThresholdRow {
            when: crate::ProfileMatch {
                regions: vec![Region::Tn],
                ..Default::default()
            },
            years: None,
            threshold: Threshold::Number(90.into()),
            source: Source::document("test"),
            confidence: Confidence::Illustrative,
        });
        let problems = validate_set(&set);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "set `illustrative-commune-standard`, criterion `3`, indicator `3.1` (at `criteria[1].indicators[0]`): \
             threshold rows 0 and 1 both cover region tn, year 2021"
        );
    }

    #[test]
    fn looser_advanced_threshold_is_reported() {
        let mut sets = illustrative::commune_sets();
        // 3.1 at least 70 in the advanced set, 80 in the standard set.
        sets[1].criteria[1].indicators[0].thresholds[0].threshold = Threshold::Number(70.into());
        let problems = validate_tiers(&sets);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "set `illustrative-commune-advanced`, indicator `3.1` (at `criteria[1].indicators[0]`): \
             looser than set `illustrative-commune-standard` (tier `standard`) for region tdmnpb, year 2021: \
             `≥ 70` here, `≥ 80` there"
        );
    }

    #[test]
    fn missing_lower_tier_is_reported() {
        let sets = vec![illustrative::commune_advanced()];
        let problems = validate_tiers(&sets);
        assert_eq!(
            problems[0].to_string(),
            "set `illustrative-commune-advanced` (at `.`): tier `advanced` requires tier `standard`, but no set for it was given"
        );
    }

    #[test]
    fn data_problems_are_per_unit_and_the_batch_goes_on() {
        let sets = illustrative::commune_sets();
        let good = illustrative::sample_commune("B", 2022);
        let bad =
            illustrative::sample_commune("A", 2022).with("3.1", crate::Value::Number(150.into()));
        let issues = validate_data(&sets, &[bad, good.clone(), good]);
        let texts: Vec<String> = issues.iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            vec![
                "unit `A` (record 0): set `illustrative-commune-standard`: indicator `3.1`: percentage 150 is outside 0-100",
                "unit `B` (record 2): duplicate unit code, first seen in record 1",
            ]
        );
    }

    #[test]
    fn nearest_id_hint() {
        assert_eq!(
            nearest("17.10", ["17.1", "1.1", "10.1"].into_iter()),
            Some("17.1")
        );
        assert_eq!(nearest("abcdef", ["17.1"].into_iter()), None);
    }
}
