//! Policy test cases: an author keeps, next to a policy, a JSON file of units and the
//! outcomes the policy must give them, and runs it (as OpenFisca authors do with their
//! YAML tests).
//!
//! # Format
//!
//! ```json
//! {
//!   "version": 1,
//!   "description": "Illustrative commune sets",
//!   "sets": ["illustrative-commune-standard", "illustrative-commune-advanced"],
//!   "cases": [
//!     {
//!       "name": "a standard commune that misses income at the advanced tier",
//!       "unit": "07672",
//!       "year": 2022,
//!       "profile": { "region": "tdmnpb" },
//!       "values": { "10.1": { "number": "46.2" } },
//!       "history": { "events": [{ "tier": "standard", "year": 2019, "kind": "recognised" }] },
//!       "expect": {
//!         "sets": {
//!           "illustrative-commune-advanced": {
//!             "criteria_met": 3,
//!             "outcome": "not_met",
//!             "criteria": { "10": "not_met" },
//!             "indicators": { "10.1": "not_met" }
//!           }
//!         },
//!         "decision": { "verdict": "maintain", "tier": "standard", "tier_after": "standard" }
//!       }
//!     }
//!   ]
//! }
//! ```
//!
//! `sets` names the criteria sets by id; the caller supplies them (from the built-in
//! catalog, the illustrative sets, or files), in any order. Every field of `expect` is
//! optional: only what is written is checked. [`run_tests`] executes a file and gives a
//! [`TestReport`] whose failures carry a readable diff (JSON Pointer of the expectation,
//! expected, actual).

use crate::engine::{compile, decide, IndicatorOutcome, Outcome, Verdict};
use crate::model::{
    CriteriaSet, CriterionId, History, IndicatorData, IndicatorId, JsonPointer, LoadError, Profile,
    SetId, TierId, UnitCode, Value,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A file of policy test cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PolicyTests {
    /// Format version; must be 1.
    pub version: u32,
    /// What the file tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Ids of the criteria sets every case is evaluated against (the tiers of one
    /// scheme and level).
    pub sets: Vec<SetId>,
    /// The cases (at most the unit limit, checked while reading).
    #[serde(deserialize_with = "crate::model::limited_units")]
    pub cases: Vec<PolicyCase>,
}

impl PolicyTests {
    /// Reads a test file from JSON.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] naming the JSON path.
    pub fn from_json(text: &str) -> Result<Self, LoadError> {
        crate::model::from_json("policy test cases", text)
    }
}

/// One unit and what the policy must give it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PolicyCase {
    /// Name of the case, shown in the report.
    pub name: String,
    /// Unit code.
    #[serde(default = "default_unit")]
    pub unit: UnitCode,
    /// Reporting year.
    pub year: u16,
    /// The unit's profile.
    #[serde(default)]
    pub profile: Profile,
    /// Indicator values.
    #[serde(default, deserialize_with = "crate::model::limited_values")]
    pub values: BTreeMap<IndicatorId, Value>,
    /// Recognition history.
    #[serde(default)]
    pub history: History,
    /// What must come out.
    pub expect: Expectation,
}

fn default_unit() -> UnitCode {
    UnitCode::new("test")
}

/// Expected outcomes; only what is written is checked.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// Expectations per set id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sets: BTreeMap<SetId, SetExpectation>,
    /// The expected decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionExpectation>,
    /// The data must be refused (bad values); the text must appear in the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_error: Option<String>,
}

/// Expected outcomes of one set.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SetExpectation {
    /// Number of criteria met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criteria_met: Option<u32>,
    /// Outcome of the whole set (criteria and preconditions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Outcome per criterion.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub criteria: BTreeMap<CriterionId, Outcome>,
    /// Outcome per indicator or precondition.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indicators: BTreeMap<IndicatorId, IndicatorOutcome>,
}

/// Expected decision.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DecisionExpectation {
    /// `recognise`, `maintain`, `revoke`, `not_yet` or `cannot_decide`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    /// The tier the verdict is about (recognised, kept, revoked, aimed at).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<TierId>,
    /// The tier held afterwards: absent, not checked; `null`, the unit must hold no tier
    /// afterwards; a tier id, it must hold that tier. A decision that cannot be made has
    /// no tier afterwards to compare, so any `tier_after` fails it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub tier_after: Option<Option<TierId>>,
    /// For `revoke`: the failing criteria, in set order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing: Option<Vec<CriterionId>>,
    /// For `revoke`: `share_alone` or `share_with_key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// For `not_yet` and when a next tier is shown: the criteria not met of that tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_not_met: Option<Vec<CriterionId>>,
}

/// Reads a field that is present, `null` included, as `Some`: serde's default for an
/// `Option<Option<_>>` reads `null` as absent, which would leave `"tier_after": null`
/// unchecked.
fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// One difference between what a case expects and what came out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Mismatch {
    /// JSON Pointer of the expectation in the test file
    /// (`/cases/2/expect/sets/x/criteria/10`).
    pub pointer: JsonPointer,
    /// Expected, as JSON text.
    pub expected: String,
    /// Actual, as JSON text.
    pub actual: String,
}

/// Result of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// The differences; empty when the case passes.
    pub mismatches: Vec<Mismatch>,
    /// An error that stopped the case (a set that does not compile, a missing set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl CaseResult {
    /// Whether the case passed.
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty() && self.error.is_none()
    }
}

/// Result of a test file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TestReport {
    /// Results, in the file's order.
    pub cases: Vec<CaseResult>,
}

impl TestReport {
    /// Number of cases that passed.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed()).count()
    }

    /// Number of cases that failed.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }
}

impl fmt::Display for TestReport {
    /// A pass/fail line per case, a diff under each failure, and a summary line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for case in &self.cases {
            let mark = if case.passed() { "ok  " } else { "FAIL" };
            writeln!(f, "{mark} {}", case.name)?;
            if let Some(e) = &case.error {
                writeln!(f, "     error: {e}")?;
            }
            for m in &case.mismatches {
                writeln!(f, "     at {}", m.pointer)?;
                writeln!(f, "     - expected: {}", m.expected)?;
                writeln!(f, "     + actual:   {}", m.actual)?;
            }
        }
        write!(
            f,
            "{} passed, {} failed, {} cases",
            self.passed(),
            self.failed(),
            self.cases.len()
        )
    }
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

struct Diff<'a> {
    out: &'a mut Vec<Mismatch>,
}

impl Diff<'_> {
    fn check<T: Serialize + PartialEq>(&mut self, pointer: JsonPointer, expected: &T, actual: &T) {
        if expected != actual {
            self.out.push(Mismatch {
                pointer,
                expected: json(expected),
                actual: json(actual),
            });
        }
    }
}

/// Runs every case of `tests` against `sets` (which must contain every set the file
/// names; extra sets are ignored). Never stops at a failing case.
pub fn run_tests(tests: &PolicyTests, sets: &[CriteriaSet]) -> TestReport {
    let mut cases = Vec::with_capacity(tests.cases.len());
    for (ci, case) in tests.cases.iter().enumerate() {
        let mut result = CaseResult {
            name: case.name.clone(),
            mismatches: Vec::new(),
            error: None,
        };
        if tests.version != 1 {
            result.error = Some(format!("unsupported test file version {}", tests.version));
            cases.push(result);
            continue;
        }
        match run_case(ci, case, &tests.sets, sets, &mut result.mismatches) {
            Ok(()) => {}
            Err(e) => result.error = Some(e),
        }
        cases.push(result);
    }
    TestReport { cases }
}

fn run_case(
    ci: usize,
    case: &PolicyCase,
    ids: &[SetId],
    sets: &[CriteriaSet],
    out: &mut Vec<Mismatch>,
) -> Result<(), String> {
    let data = IndicatorData {
        unit: case.unit.clone(),
        year: case.year,
        values: case.values.clone(),
    };
    let base = JsonPointer::root().child("cases").child(ci).child("expect");
    let mut diff = Diff { out };
    let mut assessments = Vec::new();
    for id in ids {
        let set = sets
            .iter()
            .find(|s| &s.id == id)
            .ok_or_else(|| format!("criteria set `{id}` was not supplied"))?;
        let program = compile(set, &case.profile, case.year).map_err(|e| e.to_string())?;
        match program.evaluate(&data) {
            Ok(a) => assessments.push(a),
            Err(e) => {
                let text = e.to_string();
                return match &case.expect.data_error {
                    Some(want) if text.contains(want.as_str()) => Ok(()),
                    Some(want) => {
                        diff.check(base.clone().child("data_error"), want, &text);
                        Ok(())
                    }
                    None => Err(text),
                };
            }
        }
    }
    if let Some(want) = &case.expect.data_error {
        diff.check(base.clone().child("data_error"), &Some(want), &None);
    }
    for (set_id, want) in &case.expect.sets {
        let path = base.clone().child("sets").child(set_id);
        let Some(a) = assessments.iter().find(|a| &a.set == set_id) else {
            return Err(format!(
                "`{path}`: set `{set_id}` is not in the file's `sets`"
            ));
        };
        if let Some(n) = want.criteria_met {
            diff.check(path.clone().child("criteria_met"), &n, &a.totals.met);
        }
        if let Some(o) = want.outcome {
            diff.check(path.clone().child("outcome"), &o, &a.outcome);
        }
        for (c, o) in &want.criteria {
            let actual = a.criterion(c.as_str()).map(|x| x.outcome);
            diff.check(path.clone().child("criteria").child(c), &Some(*o), &actual);
        }
        for (i, o) in &want.indicators {
            let actual = a.indicator(i.as_str()).map(|x| x.outcome);
            diff.check(
                path.clone().child("indicators").child(i),
                &Some(*o),
                &actual,
            );
        }
    }
    if let Some(want) = &case.expect.decision {
        let path = base.clone().child("decision");
        let d = decide(&assessments, &case.history).map_err(|e| e.to_string())?;
        let (verdict, tier, failing, clause) = match &d.verdict {
            Verdict::Recognise { tier, .. } => ("recognise", Some(tier.clone()), None, None),
            Verdict::Maintain { tier, .. } => ("maintain", Some(tier.clone()), None, None),
            Verdict::Revoke { tier, clause, .. } => (
                "revoke",
                Some(tier.clone()),
                Some(clause.failing.clone()),
                Some(json(&clause.kind).trim_matches('"').to_owned()),
            ),
            Verdict::NotYet { tier } => ("not_yet", Some(tier.clone()), None, None),
            Verdict::CannotDecide { .. } => ("cannot_decide", None, None, None),
        };
        if let Some(v) = &want.verdict {
            diff.check(path.clone().child("verdict"), &v.as_str(), &verdict);
        }
        if want.tier.is_some() {
            diff.check(path.clone().child("tier"), &want.tier, &tier);
        }
        if let Some(after) = &want.tier_after {
            let path = path.clone().child("tier_after");
            match d.tier_after() {
                Some(actual) => diff.check(path, &after.as_ref(), &actual),
                // `null` would read as "no tier": say that there is no tier to compare.
                None => diff.out.push(Mismatch {
                    pointer: path,
                    expected: json(after),
                    actual: json(&"(cannot be decided: no tier afterwards)"),
                }),
            }
        }
        if want.failing.is_some() {
            diff.check(path.clone().child("failing"), &want.failing, &failing);
        }
        if want.clause.is_some() {
            diff.check(path.clone().child("clause"), &want.clause, &clause);
        }
        if let Some(next) = &want.next_not_met {
            let actual = d.next.as_ref().map(|g| g.criteria_not_met.clone());
            diff.check(
                path.clone().child("next_not_met"),
                &Some(next.clone()),
                &actual,
            );
        }
    }
    Ok(())
}
