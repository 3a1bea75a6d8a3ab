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
    CommuneGroup, CriteriaSet, IndicatorId, JsonPointer, Location, Profile, Region, Requirement,
    SetId, StatusId, TierId,
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
