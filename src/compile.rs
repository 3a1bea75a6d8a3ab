//! Definitions → [`Program`]: the second stage of the pipeline.
//!
//! [`compile`] checks a criteria set, applies its profile rules to the unit's profile,
//! picks the one threshold row that applies to the profile and year for every
//! indicator, and lays the indicators out as slots in one dense array. The result is
//! opaque, immutable, `Send + Sync` and reusable: compile once per (set, profile, year),
//! then evaluate any number of units with [`Program::evaluate`].

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::definitions::{
    CriteriaSet, CriterionId, IndicatorId, Level, PassRule, Profile, ProfileMatch, Requirement,
    RevocationRule, SchemeId, SetId, Threshold, TierId, Unit, ValueKind,
};
use crate::error::{CompileError, SetLocation, SetProblem, SetProblemKind};
use crate::evaluate::{Provenance, UndeterminedReason};

/// A criteria set compiled for one profile and year. Build it with [`compile`].
#[derive(Debug, Clone)]
pub struct Program {
    pub(crate) set: SetId,
    pub(crate) scheme: Arc<SchemeTiers>,
    pub(crate) level: Level,
    pub(crate) tier: TierId,
    pub(crate) year: u16,
    pub(crate) profile: Profile,
    /// Criteria indicators first (criterion by criterion), then preconditions.
    pub(crate) slots: Vec<Slot>,
    pub(crate) criteria: Vec<CompiledCriterion>,
    /// Index of the first precondition slot.
    pub(crate) first_precondition: usize,
    pub(crate) lookup: HashMap<IndicatorId, usize>,
    /// Slot indices sorted by indicator id, for a merge join with the sorted values of
    /// [`IndicatorData`](crate::IndicatorData).
    pub(crate) by_id: Vec<(IndicatorId, usize)>,
    /// How each slot's values become integer keys (see [`Encoding`]); shared with the
    /// data bound by this program, which is how `totals` recognises its own keys.
    pub(crate) encodings: Arc<[Encoding]>,
    /// Each slot's integer test, in slot order.
    pub(crate) tests: Vec<Test>,
    /// Criteria as slot ranges with their pass-rule need, in order; the preconditions
    /// are [`Program::precondition_group`].
    pub(crate) groups: Vec<Group>,
    /// The preconditions as one group that needs all of its slots.
    pub(crate) precondition_group: Group,
    pub(crate) revocation: Option<Arc<RevocationRule>>,
}

/// Key of a value that is missing, or present but read against an undetermined
/// threshold.
pub(crate) const MISSING: i32 = i32::MIN;
/// Key of a value that is "not applicable".
pub(crate) const NOT_APPLICABLE: i32 = i32::MIN + 1;
/// Key of a value that can never meet its slot (a kind the slot's check does not read;
/// unreachable through [`Program::bind`], which checks kinds).
pub(crate) const NEVER: i32 = i32::MIN + 2;
/// Smallest key of a present value; every test range starts at or above it.
pub(crate) const LOW: i32 = i32::MIN + 3;
/// Largest key of a present value.
pub(crate) const HIGH: i32 = i32::MAX - 1;
/// Start of the empty test range: no key is ever this.
const IMPOSSIBLE: i32 = i32::MAX;

/// How a slot's values become `i32` keys that order exactly like the values do
/// relative to the slot's one threshold.
///
/// For numbers with a threshold `t = T / 10^s` (normalised, `T` an integer), a value
/// `v` has the key `2·⌊v·10^s⌋ + [v·10^s is not whole]`, saturated to
/// [`LOW`]`..=`[`HIGH`], and the threshold the key `2·T`. Whole multiples of `10^-s`
/// land on even keys and anything between two of them on the odd key between, so
/// `v < t`, `v = t`, `v > t` exactly when `key < 2T`, `key = 2T`, `key > 2T`, whatever
/// the number of decimal places of `v` (80.00 and 80 both give `2·80`). Saturation
/// keeps the order because `2T` lies strictly inside the key range. A threshold whose
/// `2T` does not fit is compared in [`Decimal`] at bind time and keyed by the sign of
/// `v − t` against a threshold key of 0, which is just as exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// Numbers at a decimal scale: see the type's docs.
    Scaled(u32),
    /// Numbers keyed by the sign of the difference with this threshold.
    Sign(Decimal),
    /// Yes/no: 0 or 1.
    Flag,
    /// Grades by rank.
    Rank,
    /// Grades: 1 if the rank is one of these, else 0.
    Member(Vec<u32>),
    /// The threshold is undetermined: every value but "not applicable" has the key
    /// [`MISSING`], and is undetermined like a missing value.
    Constant,
}

/// A slot's integer test: met when `low <= key <= low + width`, checked with one
/// unsigned comparison, `key.wrapping_sub(low) as u32 <= width`. Every range lies in
/// [`LOW`]`..=`[`HIGH`], so the sentinel keys never meet it; the empty range starts at
/// a value no key takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Test {
    pub(crate) low: i32,
    pub(crate) width: u32,
}

impl Test {
    const EMPTY: Test = Test {
        low: IMPOSSIBLE,
        width: 0,
    };

    /// The test `low <= key <= high`, for `LOW <= low <= high <= HIGH`; empty otherwise.
    fn range(low: i32, high: i32) -> Test {
        if low < LOW || high > HIGH || low > high {
            return Test::EMPTY;
        }
        Test {
            low,
            width: high.wrapping_sub(low) as u32,
        }
    }

    /// Whether `key` meets the test.
    #[inline(always)]
    pub(crate) fn meets(self, key: i32) -> bool {
        key.wrapping_sub(self.low) as u32 <= self.width
    }
}

/// A criterion (or the preconditions) as a slot range and the number of met
/// indicators it needs: `u32::MAX` for "all", capped at the applicable count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Group {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) need: u32,
}

/// The key of `v` at scale `s` (see [`Encoding`]), saturated to `LOW..=HIGH`.
#[inline]
pub(crate) fn scaled_key(v: Decimal, s: u32) -> i32 {
    let m = v.mantissa();
    let e = v.scale();
    let wide = if e <= s {
        s.checked_sub(e)
            .and_then(|d| 10i128.checked_pow(d))
            .and_then(|p| m.checked_mul(p))
            .and_then(|x| x.checked_mul(2))
    } else {
        // INVARIANT: e - s <= 28, so the divisor fits and is not zero.
        e.checked_sub(s)
            .and_then(|d| 10i128.checked_pow(d))
            .filter(|d| *d > 0)
            .and_then(|d| {
                let q = m.div_euclid(d);
                let fraction = i128::from(m.rem_euclid(d) != 0);
                q.checked_mul(2).and_then(|x| x.checked_add(fraction))
            })
    };
    match wide {
        Some(x) => i32::try_from(x.clamp(i128::from(LOW), i128::from(HIGH))).unwrap_or(HIGH),
        None if m < 0 => LOW,
        None => HIGH,
    }
}

/// The encoding and integer test of a slot.
fn fast_check(slot: &Slot) -> (Encoding, Test) {
    let range = |req: Requirement, t: i32| {
        // INVARIANT: LOW < t < HIGH, so t ± 1 stays in range.
        let (low, high) = match req {
            Requirement::AtLeast => (t, HIGH),
            Requirement::Above => (t.saturating_add(1), HIGH),
            Requirement::AtMost => (LOW, t),
            Requirement::Below => (LOW, t.saturating_sub(1)),
            Requirement::Equal => (t, t),
            // compile refuses one_of with numbers and single grades: never met.
            Requirement::OneOf => return Test::EMPTY,
        };
        Test::range(low, high)
    };
    match &slot.check {
        Check::Number(t) => {
            let n = t.normalize();
            let key = i32::try_from(n.mantissa())
                .ok()
                .and_then(|m| m.checked_mul(2))
                .filter(|k| *k > LOW && *k < HIGH);
            match key {
                Some(k) => (Encoding::Scaled(n.scale()), range(slot.requirement, k)),
                None => (Encoding::Sign(*t), range(slot.requirement, 0)),
            }
        }
        Check::Flag(b) => (Encoding::Flag, range(Requirement::Equal, i32::from(*b))),
        Check::Grade(g) => match i32::try_from(*g).ok().filter(|g| *g < HIGH) {
            Some(g) => (Encoding::Rank, range(slot.requirement, g)),
            None => (Encoding::Rank, Test::EMPTY),
        },
        Check::Grades(gs) => (Encoding::Member(gs.clone()), range(Requirement::Equal, 1)),
        Check::Undetermined(_) => (Encoding::Constant, Test::EMPTY),
    }
}

/// The scheme's id and its tiers, lowest first, as carried by assessments.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct SchemeTiers {
    /// Scheme id.
    pub id: SchemeId,
    /// Tiers, lowest first.
    pub tiers: Vec<TierId>,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledCriterion {
    pub(crate) id: CriterionId,
    pub(crate) pass: PassRule,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Slot {
    pub(crate) id: IndicatorId,
    pub(crate) kind: SlotKind,
    pub(crate) requirement: Requirement,
    pub(crate) allow_not_applicable: bool,
    pub(crate) check: Check,
    pub(crate) provenance: Option<Arc<Provenance>>,
}

#[derive(Debug, Clone)]
pub(crate) enum SlotKind {
    Decimal { percent: bool },
    Count,
    YesNo,
    Grade(Arc<[String]>),
}

#[derive(Debug, Clone)]
pub(crate) enum Check {
    Number(Decimal),
    Flag(bool),
    /// Rank of the threshold grade in the indicator's list.
    Grade(u32),
    /// Ranks of the accepted grades.
    Grades(Vec<u32>),
    Undetermined(UndeterminedReason),
}

impl Program {
    /// The set this program was compiled from.
    pub fn set_id(&self) -> &SetId {
        &self.set
    }

    /// The year the thresholds were resolved for.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The profile used for thresholds, after the set's profile rules.
    pub fn effective_profile(&self) -> &Profile {
        &self.profile
    }

    /// The tier the set recognises.
    pub fn tier(&self) -> &TierId {
        &self.tier
    }

    /// The level the set applies to.
    pub fn level(&self) -> Level {
        self.level
    }

    /// Number of criteria.
    pub fn criteria_count(&self) -> usize {
        self.criteria.len()
    }

    /// Ids of the indicators whose threshold is not known for this profile and year
    /// (unknown, delegated to the province, or no row), with the reason.
    pub fn undetermined_thresholds(
        &self,
    ) -> impl Iterator<Item = (&IndicatorId, UndeterminedReason)> + '_ {
        self.slots.iter().filter_map(|s| match s.check {
            Check::Undetermined(r) => Some((&s.id, r)),
            _ => None,
        })
    }
}

/// Compiles a criteria set for a unit's profile and a reporting year.
///
/// # Errors
///
/// A [`CompileError`] listing every problem of the set: an unknown tier, duplicate ids,
/// an empty criterion, a requirement or threshold that does not fit its indicator's kind,
/// a percentage threshold outside 0–100, two threshold rows that both apply to the
/// profile and year, a year outside the scheme, a revocation rule that names an unknown
/// criterion. A threshold that is unknown, delegated, or not covered by any row is not
/// an error: the indicator is then undetermined for every unit.
///
/// # Example
///
/// ```
/// use ntm_rules::{compile, illustrative, Profile, Region};
///
/// let set = illustrative::commune_standard();
/// let program = compile(&set, &Profile::in_region(Region::Tdmnpb), 2022)?;
/// assert_eq!(program.criteria_count(), 5);
/// # Ok::<(), ntm_rules::CompileError>(())
/// ```
pub fn compile(set: &CriteriaSet, profile: &Profile, year: u16) -> Result<Program, CompileError> {
    let mut problems = check_set(set);
    let root = SetLocation::set(&set.id);
    if !set.scheme.years.contains(year) {
        problems.push(SetProblem {
            location: root.clone(),
            kind: SetProblemKind::YearOutsideScheme {
                year,
                scheme: set.scheme.years,
            },
        });
    }

    let effective = apply_profile_rules(set, profile);
    let mut slots = Vec::new();
    let mut criteria = Vec::with_capacity(set.criteria.len());
    for criterion in &set.criteria {
        let start = slots.len();
        for indicator in &criterion.indicators {
            let loc = SetLocation {
                criterion: Some(criterion.id.clone()),
                indicator: Some(indicator.id.clone()),
                ..root.clone()
            };
            slots.push(compile_slot(
                indicator,
                &effective,
                year,
                &loc,
                &mut problems,
            ));
        }
        criteria.push(CompiledCriterion {
            id: criterion.id.clone(),
            pass: criterion.pass,
            start,
            end: slots.len(),
        });
    }
    let first_precondition = slots.len();
    for indicator in &set.preconditions {
        let loc = SetLocation {
            indicator: Some(indicator.id.clone()),
            ..root.clone()
        };
        slots.push(compile_slot(
            indicator,
            &effective,
            year,
            &loc,
            &mut problems,
        ));
    }

    if !problems.is_empty() {
        return Err(CompileError::new(problems));
    }
    let lookup = slots
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    let mut by_id: Vec<(IndicatorId, usize)> = slots
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    by_id.sort_unstable();
    let (encodings, tests): (Vec<Encoding>, Vec<Test>) = slots.iter().map(fast_check).unzip();
    let groups = criteria
        .iter()
        .map(|c| Group {
            start: c.start,
            end: c.end,
            need: match c.pass {
                PassRule::All => u32::MAX,
                PassRule::AtLeast(k) => k,
            },
        })
        .collect();
    let precondition_group = Group {
        start: first_precondition,
        end: slots.len(),
        need: u32::MAX,
    };
    Ok(Program {
        set: set.id.clone(),
        scheme: Arc::new(SchemeTiers {
            id: set.scheme.id.clone(),
            tiers: set.scheme.tiers.iter().map(|t| t.id.clone()).collect(),
        }),
        level: set.level,
        tier: set.tier.clone(),
        year,
        profile: effective,
        slots,
        criteria,
        first_precondition,
        lookup,
        by_id,
        encodings: encodings.into(),
        tests,
        groups,
        precondition_group,
        revocation: set.revocation.clone().map(Arc::new),
    })
}

/// Checks the parts of a set that do not depend on a profile or year: ids, kinds,
/// requirements, every threshold row, the revocation rule. Returns every problem.
pub(crate) fn check_set(set: &CriteriaSet) -> Vec<SetProblem> {
    let mut problems = Vec::new();
    let root = SetLocation::set(&set.id);
    let mut push = |location: &SetLocation, kind| {
        problems.push(SetProblem {
            location: location.clone(),
            kind,
        });
    };

    let mut tiers = HashSet::new();
    for t in &set.scheme.tiers {
        if !tiers.insert(&t.id) {
            push(&root, SetProblemKind::DuplicateTier { tier: t.id.clone() });
        }
    }
    if set.scheme.years.from > set.scheme.years.to {
        push(
            &root,
            SetProblemKind::EmptyYearRange {
                range: set.scheme.years,
            },
        );
    }
    if set.scheme.tier_rank(&set.tier).is_none() {
        push(
            &root,
            SetProblemKind::UnknownTier {
                tier: set.tier.clone(),
            },
        );
    }

    let mut criterion_ids = HashSet::new();
    let mut indicator_ids = HashSet::new();
    for criterion in &set.criteria {
        let cloc = SetLocation {
            criterion: Some(criterion.id.clone()),
            ..root.clone()
        };
        if !criterion_ids.insert(&criterion.id) {
            push(&cloc, SetProblemKind::DuplicateCriterion);
        }
        if criterion.indicators.is_empty() {
            push(&cloc, SetProblemKind::EmptyCriterion);
        }
        if let PassRule::AtLeast(k) = criterion.pass {
            if k == 0 || k as usize > criterion.indicators.len() {
                push(
                    &cloc,
                    SetProblemKind::BadPassRule {
                        count: k,
                        indicators: criterion.indicators.len(),
                    },
                );
            }
        }
        for indicator in &criterion.indicators {
            let iloc = SetLocation {
                indicator: Some(indicator.id.clone()),
                ..cloc.clone()
            };
            if !indicator_ids.insert(&indicator.id) {
                push(&iloc, SetProblemKind::DuplicateIndicator);
            }
            check_indicator(indicator, set, &iloc, &mut push);
        }
    }
    for indicator in &set.preconditions {
        let iloc = SetLocation {
            indicator: Some(indicator.id.clone()),
            ..root.clone()
        };
        if !indicator_ids.insert(&indicator.id) {
            push(&iloc, SetProblemKind::DuplicateIndicator);
        }
        check_indicator(indicator, set, &iloc, &mut push);
    }

    if let Some(rule) = &set.revocation {
        let hundred = Decimal::ONE_HUNDRED;
        if rule.share_with_key < Decimal::ZERO
            || rule.share_with_key > rule.share_alone
            || rule.share_alone > hundred
        {
            push(
                &root,
                SetProblemKind::BadRevocationShares {
                    share_with_key: rule.share_with_key,
                    share_alone: rule.share_alone,
                },
            );
        }
        match &rule.assess_against {
            Some(t) if set.scheme.tier_rank(t).is_none() => {
                push(
                    &root,
                    SetProblemKind::UnknownRevocationTier { tier: t.clone() },
                );
            }
            // Key criteria of another tier's set are checked when deciding; revocation
            // conditions must be the set's own.
            Some(t) if t != &set.tier => {
                for id in &rule.revoke_when_not_met {
                    push(
                        &root,
                        SetProblemKind::UnknownRevocationCondition {
                            indicator: id.clone(),
                        },
                    );
                }
            }
            _ => {
                for key in &rule.key_criteria {
                    if !criterion_ids.contains(key) {
                        push(
                            &root,
                            SetProblemKind::UnknownKeyCriterion {
                                criterion: key.clone(),
                            },
                        );
                    }
                }
                for id in &rule.revoke_when_not_met {
                    if !indicator_ids.contains(id) {
                        push(
                            &root,
                            SetProblemKind::UnknownRevocationCondition {
                                indicator: id.clone(),
                            },
                        );
                    }
                }
            }
        }
    }
    problems
}

fn kind_name(kind: &ValueKind) -> &'static str {
    match kind {
        ValueKind::Decimal { .. } => "decimal",
        ValueKind::Count => "count",
        ValueKind::YesNo => "yes/no",
        ValueKind::Grade { .. } => "grade",
    }
}

fn threshold_name(t: &Threshold) -> &'static str {
    match t {
        Threshold::Number(_) => "number",
        Threshold::Flag(_) => "yes/no",
        Threshold::Grade(_) => "grade",
        Threshold::Grades(_) => "grade list",
        Threshold::Unknown => "unknown",
        Threshold::Delegated => "delegated",
    }
}

fn check_indicator(
    indicator: &crate::definitions::Indicator,
    set: &CriteriaSet,
    loc: &SetLocation,
    push: &mut impl FnMut(&SetLocation, SetProblemKind),
) {
    use Requirement as R;
    let kind = kind_name(&indicator.kind);
    let req = indicator.requirement;
    let req_ok = match &indicator.kind {
        ValueKind::Decimal { .. } | ValueKind::Count => {
            matches!(req, R::AtLeast | R::AtMost | R::Above | R::Below | R::Equal)
        }
        ValueKind::YesNo => req == R::Equal,
        ValueKind::Grade { .. } => true,
    };
    if !req_ok {
        push(
            loc,
            SetProblemKind::RequirementKindMismatch {
                requirement: req.symbol(),
                kind,
            },
        );
    }
    if let ValueKind::Grade { grades } = &indicator.kind {
        let unique: HashSet<&String> = grades.iter().collect();
        if grades.is_empty() || unique.len() != grades.len() {
            push(loc, SetProblemKind::BadGradeList);
        }
    }
    if let Some(d) = &indicator.derived {
        use crate::definitions::ChildMeasure as M;
        let percent = matches!(
            indicator.kind,
            ValueKind::Decimal {
                unit: Unit::Percent
            }
        );
        let (tier, kind_ok, wants) = match &d.measure {
            M::ShareAtTier { tier } | M::ShareRevoked { tier } => {
                (Some(tier), percent, "a percent")
            }
            M::CountAtTier { tier } | M::CountRevoked { tier } => {
                (Some(tier), indicator.kind == ValueKind::Count, "a count")
            }
            M::MinimumOf { .. } => (
                None,
                matches!(indicator.kind, ValueKind::Decimal { .. } | ValueKind::Count),
                "a decimal or count",
            ),
        };
        let mut reasons = Vec::new();
        if !kind_ok {
            reasons.push(format!(
                "the measure gives {wants}, but the indicator is {kind}"
            ));
        }
        // The tier named is a tier of the *children's* scheme (a province set counts
        // communes at `advanced`, which is not a province tier), so it is not checked
        // against this set's scheme; the aggregation pass reports a tier no child has.
        let _ = tier;
        if d.children >= set.level {
            reasons.push(format!(
                "children at level `{}` are not below the set's level `{}`",
                d.children.label(crate::definitions::Lang::En),
                set.level.label(crate::definitions::Lang::En)
            ));
        }
        for reason in reasons {
            push(loc, SetProblemKind::BadDerivation { reason });
        }
    }
    for (i, row) in indicator.thresholds.iter().enumerate() {
        let rloc = SetLocation {
            row: Some(i),
            ..loc.clone()
        };
        if let Some(years) = row.years {
            if years.from > years.to {
                push(&rloc, SetProblemKind::EmptyYearRange { range: years });
            } else {
                for y in [years.from, years.to] {
                    if !set.scheme.years.contains(y) {
                        push(
                            &rloc,
                            SetProblemKind::YearOutsideScheme {
                                year: y,
                                scheme: set.scheme.years,
                            },
                        );
                    }
                }
            }
        }
        let fits = match (&indicator.kind, &row.threshold, req) {
            (_, Threshold::Unknown | Threshold::Delegated, _) => true,
            (ValueKind::Decimal { .. } | ValueKind::Count, Threshold::Number(_), r) => {
                r != R::OneOf
            }
            (ValueKind::YesNo, Threshold::Flag(_), R::Equal) => true,
            (ValueKind::Grade { .. }, Threshold::Grade(_), r) => r != R::OneOf,
            (ValueKind::Grade { .. }, Threshold::Grades(_), R::OneOf) => true,
            _ => false,
        };
        if !fits {
            push(
                &rloc,
                SetProblemKind::ThresholdKindMismatch {
                    threshold: threshold_name(&row.threshold),
                    kind,
                    requirement: req.symbol(),
                },
            );
            continue;
        }
        match (&indicator.kind, &row.threshold) {
            (
                ValueKind::Decimal {
                    unit: Unit::Percent,
                },
                Threshold::Number(v),
            ) if *v < Decimal::ZERO || *v > Decimal::ONE_HUNDRED => {
                push(&rloc, SetProblemKind::PercentOutOfRange { value: *v });
            }
            (ValueKind::Count, Threshold::Number(v))
                if *v < Decimal::ZERO || !v.fract().is_zero() =>
            {
                push(&rloc, SetProblemKind::BadCount { value: *v });
            }
            (ValueKind::Grade { grades }, Threshold::Grade(g)) if !grades.contains(g) => {
                push(&rloc, SetProblemKind::UnknownGrade { grade: g.clone() });
            }
            (ValueKind::Grade { grades }, Threshold::Grades(gs)) => {
                for g in gs.iter().filter(|g| !grades.contains(g)) {
                    push(&rloc, SetProblemKind::UnknownGrade { grade: g.clone() });
                }
            }
            _ => {}
        }
    }
}

/// The profile after the set's profile rules: each rule whose conditions match the
/// unit's own profile replaces the region or group it names; later rules win.
fn apply_profile_rules(set: &CriteriaSet, profile: &Profile) -> Profile {
    let mut effective = profile.clone();
    for rule in &set.profile_rules {
        if profile_matches(&rule.when, profile) {
            if let Some(r) = rule.assess_as_region {
                effective.region = Some(r);
            }
            if let Some(g) = rule.assess_as_group {
                effective.commune_group = Some(g);
            }
        }
    }
    effective
}

fn profile_matches(m: &ProfileMatch, p: &Profile) -> bool {
    (m.regions.is_empty() || p.region.is_some_and(|r| m.regions.contains(&r)))
        && (m.commune_groups.is_empty()
            || p.commune_group
                .is_some_and(|g| m.commune_groups.contains(&g)))
        && m.statuses.iter().all(|s| p.statuses.contains(s))
        && !m.absent_statuses.iter().any(|s| p.statuses.contains(s))
}

fn compile_slot(
    indicator: &crate::definitions::Indicator,
    profile: &Profile,
    year: u16,
    loc: &SetLocation,
    problems: &mut Vec<SetProblem>,
) -> Slot {
    let kind = match &indicator.kind {
        ValueKind::Decimal { unit } => SlotKind::Decimal {
            percent: *unit == Unit::Percent,
        },
        ValueKind::Count => SlotKind::Count,
        ValueKind::YesNo => SlotKind::YesNo,
        ValueKind::Grade { grades } => SlotKind::Grade(grades.clone().into()),
    };
    let mut matching = indicator.thresholds.iter().enumerate().filter(|(_, row)| {
        row.years.is_none_or(|y| y.contains(year)) && profile_matches(&row.when, profile)
    });
    let first = matching.next();
    if let (Some((a, _)), Some((b, _))) = (first, matching.next()) {
        problems.push(SetProblem {
            location: loc.clone(),
            kind: SetProblemKind::AmbiguousThreshold {
                first: a,
                second: b,
            },
        });
    }
    let rank = |g: &String| match &indicator.kind {
        ValueKind::Grade { grades } => grades.iter().position(|x| x == g).map(|p| p as u32),
        _ => None,
    };
    let (check, provenance) = match first {
        None => (
            Check::Undetermined(UndeterminedReason::NoThresholdRow),
            None,
        ),
        Some((i, row)) => {
            let check = match &row.threshold {
                Threshold::Number(d) => Check::Number(*d),
                Threshold::Flag(b) => Check::Flag(*b),
                // INVARIANT: check_set reported unknown grades, so compile fails before
                // these fallbacks could be used.
                Threshold::Grade(g) => rank(g).map_or(
                    Check::Undetermined(UndeterminedReason::ThresholdUnknown),
                    Check::Grade,
                ),
                Threshold::Grades(gs) => Check::Grades(gs.iter().filter_map(rank).collect()),
                Threshold::Unknown => Check::Undetermined(UndeterminedReason::ThresholdUnknown),
                Threshold::Delegated => Check::Undetermined(UndeterminedReason::ThresholdDelegated),
            };
            let provenance = Provenance {
                row: i,
                threshold: row.threshold.clone(),
                source: row.source.clone(),
                confidence: row.confidence,
            };
            (check, Some(Arc::new(provenance)))
        }
    };
    Slot {
        id: indicator.id.clone(),
        kind,
        requirement: indicator.requirement,
        allow_not_applicable: indicator.allow_not_applicable,
        check,
        provenance,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::illustrative;

    #[test]
    fn program_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Program>();
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut set = illustrative::commune_standard();
        set.tier = TierId::new("gold");
        let dup = set.criteria[0].clone();
        set.criteria.push(dup);
        let err = compile(&set, &Profile::default(), 2030).unwrap_err();
        let kinds: Vec<String> = err.problems().iter().map(|p| p.kind.to_string()).collect();
        assert!(kinds.contains(&"tier `gold` is not a tier of the scheme".to_string()));
        assert!(kinds.contains(&"criterion id used twice".to_string()));
        assert!(kinds.contains(&"year 2030 is outside the scheme's years 2021-2025".to_string()));
    }
}
