//! Policy validation of criteria sets.
//!
//! [`validate_set`] reports every problem of one set at once, each with its location
//! (set / criterion / indicator / row and the JSON path) and, for threshold tables, a
//! counterexample: the profile and year that no row covers, or that two rows cover.
//! [`validate_tiers`] checks the sets of one scheme and level together: the tier below
//! each set is present, and a higher tier is never looser than a lower one for the same
//! indicator, profile and year.
//!
//! Validation sits before [`compile`](crate::engine::compile) in the pipeline; `compile`
//! runs the structural part of it too, so a set that validates always compiles.

use crate::engine::{
    check_level_sets, check_set, compile, Ordered, Program, Resolved, SetProblemKind,
    UndeterminedReason,
};
use crate::model::{
    CommuneGroup, CriteriaSet, IndicatorId, JsonPointer, Location, Profile, ProfileMatch, Region,
    Requirement, SetId, StatusId, TierId,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// One problem found by policy validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PolicyProblem {
    /// Where: by ids, and as a JSON Pointer into the set's file
    /// (`/criteria/2/indicators/0/thresholds/1`).
    pub location: Location,
    /// What.
    pub kind: PolicyProblemKind,
}

impl fmt::Display for PolicyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.kind)
    }
}

/// A cell of a threshold table: a profile and a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
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
    /// The table's rows (with the profile rules) distinguish more combinations of
    /// statuses than validation checks: only no status and each status alone were
    /// checked, so the table is not proved complete and free of overlaps.
    #[error(
        "not proved complete: the rows distinguish {combinations} combinations of {statuses} \
         statuses, more than the {MAX_COMBINATIONS} checked; only no status and each status \
         alone were checked"
    )]
    NotExhaustive {
        /// Statuses the rows and profile rules mention.
        statuses: usize,
        /// Combinations of them that the rows distinguish.
        combinations: u128,
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
fn located(set: &CriteriaSet, loc: Location) -> Location {
    let pointer = pointer_in(set, &loc);
    match pointer {
        Some(p) => loc.with_pointer(p),
        None => loc,
    }
}

/// The JSON Pointer of a location's criterion, indicator and row in the set's file;
/// `None` for the set as a whole.
fn pointer_in(set: &CriteriaSet, loc: &Location) -> Option<JsonPointer> {
    let root = JsonPointer::root();
    if let Some(ind) = &loc.indicator {
        let in_criteria = set.criteria.iter().enumerate().find_map(|(ci, c)| {
            c.indicators.iter().position(|i| &i.id == ind).map(|ii| {
                root.clone()
                    .child("criteria")
                    .child(ci)
                    .child("indicators")
                    .child(ii)
            })
        });
        let at = in_criteria.or_else(|| {
            set.preconditions
                .iter()
                .position(|i| &i.id == ind)
                .map(|p| root.clone().child("preconditions").child(p))
        })?;
        Some(match loc.row {
            Some(r) => at.child("thresholds").child(r),
            None => at,
        })
    } else {
        let c = loc.criterion.as_ref()?;
        let ci = set.criteria.iter().position(|x| &x.id == c)?;
        Some(root.child("criteria").child(ci))
    }
}

/// Most status combinations checked for one indicator; a table whose rows distinguish
/// more is checked for none and each status alone, and reported as not proved complete.
const MAX_COMBINATIONS: usize = 512;

/// The profiles to check for some sets, and the indicators whose status combinations
/// were too many to check.
struct ProfileSpace {
    profiles: Vec<Profile>,
    not_exhaustive: Vec<(IndicatorId, usize, u128)>,
}

/// The status sets that decide which rows (and profile rules) of `conditions` match: one
/// per combination of classes of statuses, where a class is the statuses that every
/// condition mentions together and the same way (all required, or all absent). A
/// class of one status is present or absent; a larger class is also partly present,
/// which matches neither the conditions that require it nor those that exclude it (any
/// proper part does the same). So the combinations are exactly the distinct ways a
/// profile's statuses can meet the conditions. `Err` gives the number of statuses and
/// of combinations when there are more than [`MAX_COMBINATIONS`].
fn status_combinations(
    conditions: &[&ProfileMatch],
) -> Result<Vec<BTreeSet<StatusId>>, (usize, u128)> {
    // status -> the conditions that mention it, and how (true: required).
    let mut signature: BTreeMap<&StatusId, Vec<(usize, bool)>> = BTreeMap::new();
    for (k, m) in conditions.iter().enumerate() {
        for st in &m.statuses {
            signature.entry(st).or_default().push((k, true));
        }
        for st in &m.absent_statuses {
            signature.entry(st).or_default().push((k, false));
        }
    }
    let statuses = signature.len();
    let mut classes: BTreeMap<Vec<(usize, bool)>, Vec<&StatusId>> = BTreeMap::new();
    for (st, mut sig) in signature {
        sig.sort_unstable();
        sig.dedup();
        classes.entry(sig).or_default().push(st);
    }
    // The states of each class: absent, present, and partly present for two or more.
    let states: Vec<Vec<BTreeSet<StatusId>>> = classes
        .into_values()
        .map(|members| {
            let mut s = vec![
                BTreeSet::new(),
                members.iter().map(|&m| m.clone()).collect(),
            ];
            if let (true, Some(&first)) = (members.len() > 1, members.first()) {
                s.push(BTreeSet::from([first.clone()]));
            }
            s
        })
        .collect();
    let total = states
        .iter()
        .try_fold(1u128, |n, s| n.checked_mul(s.len() as u128))
        .unwrap_or(u128::MAX);
    if total > MAX_COMBINATIONS as u128 {
        return Err((statuses, total));
    }
    let mut out = vec![BTreeSet::new()];
    for class in &states {
        out = out
            .iter()
            .flat_map(|base| {
                class
                    .iter()
                    .map(move |add| base.union(add).cloned().collect())
            })
            .collect();
    }
    Ok(out)
}

/// The profiles whose thresholds can differ for the indicators of `sets` (one set, or
/// the tiers of one scheme and level compared together): every region and group that
/// any row or profile rule mentions, times, for each indicator id, every combination of
/// statuses its rows and the sets' profile rules distinguish ([`status_combinations`]).
/// A profile made for one indicator is also valid for every other (statuses no row of
/// theirs mentions change nothing there), so each table is checked exhaustively unless
/// it is listed in `not_exhaustive`.
fn profile_space(sets: &[&CriteriaSet]) -> ProfileSpace {
    let mut uses_regions = false;
    let mut uses_groups = false;
    let rules: Vec<&ProfileMatch> = sets
        .iter()
        .flat_map(|s| s.profile_rules.iter().map(|r| &r.when))
        .collect();
    let mut tables: BTreeMap<&IndicatorId, Vec<&ProfileMatch>> = BTreeMap::new();
    for set in sets {
        for i in set.all_indicators() {
            tables
                .entry(&i.id)
                .or_insert_with(|| rules.clone())
                .extend(i.thresholds.iter().map(|r| &r.when));
        }
    }
    for m in tables.values().flatten().chain(rules.iter()) {
        uses_regions |= !m.regions.is_empty();
        uses_groups |= !m.commune_groups.is_empty();
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
    let mut subsets: BTreeSet<BTreeSet<StatusId>> = BTreeSet::from([BTreeSet::new()]);
    let mut not_exhaustive = Vec::new();
    for (id, conditions) in &tables {
        match status_combinations(conditions) {
            Ok(combinations) => subsets.extend(combinations),
            Err((statuses, combinations)) => {
                // Check what can be checked (each status alone), and say it is not all.
                subsets.extend(
                    conditions
                        .iter()
                        .flat_map(|m| m.statuses.iter().chain(&m.absent_statuses))
                        .map(|st| BTreeSet::from([st.clone()])),
                );
                not_exhaustive.push(((*id).clone(), statuses, combinations));
            }
        }
    }
    let mut profiles = Vec::new();
    for region in &regions {
        for group in &groups {
            for st in &subsets {
                profiles.push(Profile {
                    region: *region,
                    commune_group: *group,
                    statuses: st.clone(),
                });
            }
        }
    }
    ProfileSpace {
        profiles,
        not_exhaustive,
    }
}

/// Validates one criteria set: structure, and completeness and overlaps of every
/// threshold table over every profile and year of the scheme.
///
/// "Every profile" is every region and commune group the rows mention, and every
/// combination of statuses that the rows of the table (with the set's profile rules)
/// can tell apart; statuses that the rows always mention together count as one class.
/// When a table distinguishes more than 512 combinations, only no status and each
/// status alone are checked and the table gets a [`PolicyProblemKind::NotExhaustive`]:
/// the result never claims a completeness it did not check.
///
/// Returns every problem found (empty when the set is valid), each at most once per
/// indicator and kind, with the first counterexample found.
///
/// # Example
///
/// ```
/// use ntm_rules::policy::{PolicyProblemKind, illustrative, validate_set};
///
/// let mut set = illustrative::commune_standard();
/// assert!(validate_set(&set).is_empty());
/// set.criteria[2].indicators[0].thresholds.pop(); // drop a row of 10.1
/// let problems = validate_set(&set);
/// assert!(matches!(problems[0].kind, PolicyProblemKind::Uncovered { .. }));
/// assert_eq!(
///     problems[0].to_string(),
///     "set `illustrative-commune-standard`, criterion `10`, indicator `10.1`, \
///      at `/criteria/2/indicators/0`: no threshold row covers region dbsh, year 2023"
/// );
/// ```
pub fn validate_set(set: &CriteriaSet) -> Vec<PolicyProblem> {
    let mut out: Vec<PolicyProblem> = check_set(set)
        .into_iter()
        .map(|p| PolicyProblem {
            location: located(set, p.location),
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
    let space = profile_space(&[set]);
    for (id, statuses, combinations) in &space.not_exhaustive {
        let location = Location {
            criterion: criterion_of.get(id).cloned(),
            indicator: Some(id.clone()),
            ..Location::of_set(set.id.clone())
        };
        out.push(PolicyProblem {
            location: located(set, location),
            kind: PolicyProblemKind::NotExhaustive {
                statuses: *statuses,
                combinations: *combinations,
            },
        });
    }
    for year in set.scheme.years.from..=set.scheme.years.to {
        for profile in &space.profiles {
            let cell = || Cell {
                profile: profile.clone(),
                year,
            };
            match compile(set, profile, year) {
                Ok(program) => {
                    for (id, reason) in program.undetermined_thresholds() {
                        if reason == UndeterminedReason::NoThresholdRow
                            && seen.insert((id.clone(), "uncovered"))
                        {
                            let location = Location {
                                criterion: criterion_of.get(id).cloned(),
                                indicator: Some(id.clone()),
                                ..Location::of_set(set.id.clone())
                            };
                            out.push(PolicyProblem {
                                location: located(set, location),
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
                                    location: located(set, p.location.clone()),
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

/// Validates the sets of each scheme and level together: no indicator id is used with
/// two kinds or units ([`check_level_sets`]), every set's lower tier is
/// present, and no higher tier is looser than a lower one for the same indicator id,
/// profile and year (numbers and grades compared by the requirement's direction;
/// yes/no and one-of thresholds are not compared).
///
/// Sets are grouped by scheme and level. Sets that do not compile for a cell are
/// skipped for that cell (run [`validate_set`] on each first).
pub fn validate_tiers(sets: &[CriteriaSet]) -> Vec<PolicyProblem> {
    let conflicts = check_level_sets(sets).into_iter().map(|p| {
        let set = sets.iter().find(|s| p.location.set.as_ref() == Some(&s.id));
        PolicyProblem {
            location: match set {
                Some(set) => located(set, p.location),
                None => p.location,
            },
            kind: PolicyProblemKind::Structure(p.kind),
        }
    });
    let mut groups: BTreeMap<(String, crate::model::Level), Vec<&CriteriaSet>> = BTreeMap::new();
    for s in sets {
        groups
            .entry((s.scheme.id.to_string(), s.level))
            .or_default()
            .push(s);
    }
    conflicts
        .chain(groups.values().flat_map(|group| validate_tier_group(group)))
        .collect()
}

fn validate_tier_group(group: &[&CriteriaSet]) -> Vec<PolicyProblem> {
    let by_tier: BTreeMap<usize, &CriteriaSet> = group
        .iter()
        .filter_map(|s| s.scheme.tier_rank(&s.tier).map(|r| (r, *s)))
        .collect();
    let mut out = Vec::new();
    for (&rank, set) in &by_tier {
        let root = Location::of_set(set.id.clone());
        let Some(below_rank) = rank.checked_sub(1) else {
            continue;
        };
        let Some(lower) = by_tier.get(&below_rank) else {
            if let Some(below) = set.scheme.tiers.get(below_rank) {
                out.push(PolicyProblem {
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
        let space = profile_space(&[set, lower]);
        for (id, statuses, combinations) in &space.not_exhaustive {
            out.push(PolicyProblem {
                location: located(
                    set,
                    Location {
                        indicator: Some(id.clone()),
                        ..root.clone()
                    },
                ),
                kind: PolicyProblemKind::NotExhaustive {
                    statuses: *statuses,
                    combinations: *combinations,
                },
            });
        }
        for year in set.scheme.years.from..=set.scheme.years.to {
            for profile in &space.profiles {
                let (Ok(hi), Ok(lo)) = (compile(set, profile, year), compile(lower, profile, year))
                else {
                    continue;
                };
                for problem in looser(&hi, &lo) {
                    let (id, requirement, this, low) = problem;
                    if !seen.insert(id.clone()) {
                        continue;
                    }
                    let location = Location {
                        indicator: Some(id),
                        ..root.clone()
                    };
                    out.push(PolicyProblem {
                        location: located(set, location),
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
    for a in hi.resolved_thresholds() {
        let Some(b) = lo.resolved_threshold(a.id.as_str()) else {
            continue;
        };
        if a.requirement != b.requirement {
            continue;
        }
        let pair = match (a.value, b.value) {
            (Some(Ordered::Number(x)), Some(Ordered::Number(y))) => Some((x, y)),
            (Some(Ordered::Rank(x)), Some(Ordered::Rank(y))) => Some((x.into(), y.into())),
            _ => None,
        };
        let Some((x, y)) = pair else { continue };
        let is_looser = match a.requirement {
            Requirement::AtLeast | Requirement::Above => x < y,
            Requirement::AtMost | Requirement::Below => x > y,
            Requirement::Equal | Requirement::OneOf => false,
        };
        if is_looser {
            let show = |r: &Resolved<'_>| r.written.map_or_else(String::new, ToString::to_string);
            out.push((a.id.clone(), a.requirement.symbol(), show(&a), show(&b)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Confidence, Source, Threshold, ThresholdRow};
    use crate::policy::illustrative;

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
            when: crate::model::ProfileMatch {
                regions: vec![Region::Tn],
                ..Default::default()
            },
            years: None,
            threshold: Threshold::Number(90.into()),
            source: Source::document("test"),
            confidence: Confidence::Illustrative,
            set_by: None,
        });
        let problems = validate_set(&set);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "set `illustrative-commune-standard`, criterion `3`, indicator `3.1`, at `/criteria/1/indicators/0`: \
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
            "set `illustrative-commune-advanced`, indicator `3.1`, at `/criteria/1/indicators/0`: \
             looser than set `illustrative-commune-standard` (tier `standard`) for region tdmnpb, year 2021: \
             `≥ 70` here, `≥ 80` there"
        );
    }

    fn status_row(statuses: &[&str], absent: &[&str], value: u32) -> ThresholdRow {
        ThresholdRow {
            when: crate::model::ProfileMatch {
                statuses: statuses.iter().map(|&s| s.into()).collect(),
                absent_statuses: absent.iter().map(|&s| s.into()).collect(),
                ..Default::default()
            },
            years: None,
            threshold: Threshold::Number(value.into()),
            source: Source::document("test"),
            confidence: Confidence::Illustrative,
            set_by: None,
        }
    }

    /// The standard set with eight statuses: `s3`..`s8` in a profile rule, and 3.1's
    /// table keyed by `s1` and `s2` with `rows`.
    fn with_many_statuses(rows: Vec<ThresholdRow>) -> CriteriaSet {
        let mut set = illustrative::commune_standard();
        set.profile_rules.push(crate::model::ProfileRule {
            when: crate::model::ProfileMatch {
                statuses: ["s3", "s4", "s5", "s6", "s7", "s8"]
                    .into_iter()
                    .map(Into::into)
                    .collect(),
                ..Default::default()
            },
            assess_as_region: Some(Region::Tdmnpb),
            assess_as_group: None,
            source: Source::document("test"),
            confidence: Confidence::Illustrative,
        });
        set.criteria[1].indicators[0].thresholds = rows;
        set
    }

    #[test]
    fn two_statuses_that_overlap_together_are_found_among_many() {
        // Complete for no status and for each status alone; two rows for s1 and s2.
        let set = with_many_statuses(vec![
            status_row(&[], &["s1", "s2"], 80),
            status_row(&["s1"], &[], 85),
            status_row(&["s2"], &[], 90),
        ]);
        let problems = validate_set(&set);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let PolicyProblemKind::Overlap {
            first: 1,
            second: 2,
            cell,
        } = &problems[0].kind
        else {
            panic!("{problems:?}")
        };
        assert!(has(cell, &["s1", "s2"]), "{cell}");
        // And the set indeed fails to compile for such a commune.
        assert!(compile(&set, &cell.profile, cell.year).is_err());
    }

    fn has(cell: &Cell, statuses: &[&str]) -> bool {
        statuses
            .iter()
            .all(|&s| cell.profile.statuses.contains(&StatusId::from(s)))
    }

    #[test]
    fn two_statuses_that_leave_a_gap_together_are_found_among_many() {
        let set = with_many_statuses(vec![
            status_row(&[], &["s1"], 80),
            status_row(&["s1"], &["s2"], 85),
        ]);
        let problems = validate_set(&set);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let PolicyProblemKind::Uncovered { cell } = &problems[0].kind else {
            panic!("{problems:?}")
        };
        assert!(has(cell, &["s1", "s2"]), "{cell}");
    }

    #[test]
    fn a_class_of_statuses_partly_present_is_checked() {
        // s1 and s2 always appear together: all of them, or none of them. A commune
        // with only one of them matches neither row.
        let set = with_many_statuses(vec![
            status_row(&[], &["s1", "s2"], 80),
            status_row(&["s1", "s2"], &[], 85),
        ]);
        let problems = validate_set(&set);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let PolicyProblemKind::Uncovered { cell } = &problems[0].kind else {
            panic!("{problems:?}")
        };
        assert_eq!(
            cell.profile.statuses.contains(&StatusId::from("s1")),
            !cell.profile.statuses.contains(&StatusId::from("s2")),
            "exactly one of the class: {cell}"
        );
    }

    #[test]
    fn too_many_status_combinations_are_reported_not_claimed_complete() {
        // Ten statuses, each with its own row, and the set's own `especially_difficult`:
        // 2,048 combinations, more than are checked.
        let names: Vec<String> = (0..10).map(|i| format!("t{i}")).collect();
        let mut rows = vec![status_row(
            &[],
            &names.iter().map(String::as_str).collect::<Vec<_>>(),
            80,
        )];
        rows.extend(names.iter().map(|n| status_row(&[n.as_str()], &[], 85)));
        let mut set = illustrative::commune_standard();
        set.criteria[1].indicators[0].thresholds = rows;
        let problems = validate_set(&set);
        assert!(
            problems.iter().any(|p| matches!(
                p.kind,
                PolicyProblemKind::NotExhaustive {
                    statuses: 11,
                    combinations: 2048
                }
            ) && p
                .location
                .indicator
                .as_ref()
                .is_some_and(|i| i.as_str() == "3.1")),
            "{problems:?}"
        );
        // Each status alone is still checked: complete and without overlap there.
        assert!(
            problems
                .iter()
                .all(|p| matches!(p.kind, PolicyProblemKind::NotExhaustive { .. })),
            "{problems:?}"
        );
    }

    #[test]
    fn missing_lower_tier_is_reported() {
        let sets = vec![illustrative::commune_advanced()];
        let problems = validate_tiers(&sets);
        assert_eq!(
            problems[0].to_string(),
            "set `illustrative-commune-advanced`: tier `advanced` requires tier `standard`, but no set for it was given"
        );
    }
}
