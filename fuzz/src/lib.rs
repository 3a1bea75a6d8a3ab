//! What the fuzz targets share: the seeds (the crate's shipped files), the
//! structure-aware edits of JSON documents ([`edit::Recipe`]), and the checks of what
//! must hold at every door (a response valid against its JSON Schema, a rejected input
//! located, the compiled and reference evaluators agreeing, serde round trips).

pub mod edit;
pub mod sheet;

use arbitrary::Arbitrary;
use edit::{DecimalText, Seed};
use ntm_rules::contract::{schema, Response, SchemaKind, Severity};
use ntm_rules::engine::{compile, reference, EvaluateError};
use ntm_rules::model::{
    CommuneGroup, CriteriaSet, IndicatorData, Location, Profile, Region, StatusId, Value,
};
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::OnceLock;

macro_rules! files {
    ($($path:literal),* $(,)?) => {
        &[$(include_str!(concat!("../../", $path))),*]
    };
}

/// The requests shipped with the crate: the golden cases (on the national catalog) and
/// the example province request (inline illustrative sets, a plan, roll-ups).
pub const REQUESTS: &[&str] = files![
    "examples/requests/province.json",
    "tests/golden/01-standard-recognised.request.json",
    "tests/golden/02-advanced-from-standard.request.json",
    "tests/golden/03-model-needs-advanced-held-first.request.json",
    "tests/golden/04-model-reached-after-advanced.request.json",
    "tests/golden/05-no-tier-climbs-to-advanced-not-model.request.json",
    "tests/golden/06-standard-maintained-one-criterion-short.request.json",
    "tests/golden/07-standard-revoked-six-failing-with-key.request.json",
    "tests/golden/08-standard-kept-six-failing-without-key.request.json",
    "tests/golden/09-standard-revoked-half-failing-alone.request.json",
    "tests/golden/10-advanced-revoked-living-environment-key.request.json",
    "tests/golden/11-model-maintained-advanced-set-met.request.json",
    "tests/golden/12-unknown-thresholds-cannot-decide.request.json",
    "tests/golden/13-history-skipping-a-tier-is-refused.request.json",
    "tests/golden/14-this-years-recorded-decision-is-not-applied.request.json",
    "tests/golden/15-ward-out-of-scope-and-kind-not-given.request.json",
    "tests/golden/16-merger-parts-of-one-tier-inherit-it.request.json",
    "tests/golden/17-merger-mixed-parts-re-reviewed.request.json",
    "tests/golden/18-merger-part-without-input-excluded.request.json",
    "tests/golden/19-three-levels-district-standard.request.json",
    "tests/golden/20-two-levels-province-commune-2025.request.json",
    "tests/golden/21-country-root-national-shares.request.json",
    "tests/golden/22-one-id-two-kinds-refused.request.json",
    "tests/golden/23-2026-2030-unknown-group-values.request.json",
    "tests/golden/24-planning-questions.request.json",
];

/// The criteria sets shipped with the crate: the national catalog and the illustrative
/// sets.
pub const SETS: &[&str] = files![
    "data/catalog/vn-2010-2015-commune-standard.json",
    "data/catalog/vn-2016-2020-commune-standard.json",
    "data/catalog/vn-2021-2025-commune-advanced.json",
    "data/catalog/vn-2021-2025-commune-model.json",
    "data/catalog/vn-2021-2025-commune-standard.json",
    "data/catalog/vn-2021-2025-district-advanced.json",
    "data/catalog/vn-2021-2025-district-standard.json",
    "data/catalog/vn-2021-2025-province-completed.json",
    "data/catalog/vn-2021-2025-village-model.json",
    "data/catalog/vn-2026-2030-commune-modern.json",
    "data/catalog/vn-2026-2030-commune-standard.json",
    "data/catalog/vn-2026-2030-province-completed.json",
    "data/illustrative/commune_standard.json",
    "data/illustrative/commune_advanced.json",
    "data/illustrative/commune_model.json",
];

/// The provincial overlays shipped with the crate.
pub const OVERLAYS: &[&str] = files![
    "data/bac_giang_2022_catalog/overlay.json",
    "data/vn-admin/example/overlay.json",
];

/// The policy test files shipped with the crate.
pub const POLICY_TESTS: &[&str] = files![
    "data/illustrative/policy_tests.json",
    "data/catalog/tests/vn-2016-2020-commune.json",
    "data/catalog/tests/vn-2021-2025-commune.json",
];

/// Seeds parsed once.
pub fn seeds(
    texts: &'static [&'static str],
    cell: &'static OnceLock<Vec<Seed>>,
) -> &'static [Seed] {
    cell.get_or_init(|| texts.iter().map(|t| Seed::new(t)).collect())
}

/// The request seeds.
pub fn request_seeds() -> &'static [Seed] {
    static CELL: OnceLock<Vec<Seed>> = OnceLock::new();
    seeds(REQUESTS, &CELL)
}

/// Every catalog set and every illustrative set, loaded once.
pub fn all_sets() -> &'static [CriteriaSet] {
    static CELL: OnceLock<Vec<CriteriaSet>> = OnceLock::new();
    CELL.get_or_init(|| {
        SETS.iter()
            .map(|t| CriteriaSet::from_json(t).unwrap_or_else(|e| panic!("shipped set: {e}")))
            .collect()
    })
}

/// The validator of a JSON Schema of the crate, built once per kind.
pub fn validator(kind: SchemaKind) -> &'static jsonschema::Validator {
    static RESPONSE: OnceLock<jsonschema::Validator> = OnceLock::new();
    static OTHER: OnceLock<std::sync::Mutex<Vec<(SchemaKind, &'static jsonschema::Validator)>>> =
        OnceLock::new();
    let build = || -> jsonschema::Validator {
        jsonschema::validator_for(&schema(kind)).unwrap_or_else(|e| panic!("schema: {e}"))
    };
    if kind == SchemaKind::Response {
        return RESPONSE.get_or_init(build);
    }
    let mut cache = OTHER
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some((_, v)) = cache.iter().find(|(k, _)| *k == kind) {
        return v;
    }
    let v: &'static jsonschema::Validator = Box::leak(Box::new(build()));
    cache.push((kind, v));
    v
}

/// A response must be valid against the response schema; one that is not `ok` must say
/// why with at least one error; every error must say where.
pub fn check_response(response: &Response, request: &str) {
    let value = serde_json::to_value(response).unwrap_or_else(|e| panic!("response: {e}"));
    check_response_value(&value, request);
    if !response.ok {
        assert!(
            response.has_errors(),
            "a failed response without an error: {value}\nrequest: {request}"
        );
    }
    for d in &response.diagnostics {
        if d.severity == Severity::Error {
            assert!(
                !d.location.is_unknown(),
                "an error without a place: {}\nrequest: {request}",
                d.message
            );
        }
    }
}

/// A response's JSON must be valid against the response schema.
pub fn check_response_value(value: &serde_json::Value, request: &str) {
    let v = validator(SchemaKind::Response);
    if let Err(e) = v.validate(value) {
        panic!("response not valid against its schema: {e}\nresponse: {value}\nrequest: {request}");
    }
}

/// A load error must name its place.
pub fn check_located(location: &Location, what: &str, message: &dyn std::fmt::Display) {
    assert!(
        !location.is_unknown(),
        "{what} error without a place: {message}"
    );
}

/// A typed value's JSON round trip gives it back.
pub fn check_round_trip<T>(
    value: &T,
    read: impl Fn(&str) -> Result<T, ntm_rules::model::LoadError>,
    write: impl Fn(&T) -> String,
) where
    T: PartialEq + std::fmt::Debug,
{
    let text = write(value);
    match read(&text) {
        Ok(back) => assert_eq!(
            &back, value,
            "round trip changed the value; written: {text}"
        ),
        Err(e) => panic!("written value does not load back: {e}\nwritten: {text}"),
    }
}

/// A unit's profile and year, and values for the indicators of a set.
#[derive(Debug, Arbitrary)]
pub struct DataRecipe {
    /// The region (modulo 8, 7 is none).
    pub region: u8,
    /// The commune group (modulo 4, 3 is none).
    pub group: u8,
    /// A status of the profile, if any (a word).
    pub status: Option<u8>,
    /// The year: the scheme's first, last, or any.
    pub year: YearChoice,
    /// A value per indicator of the set, in order (missing past the end).
    pub values: Vec<ValueRecipe>,
}

/// Which year to evaluate.
#[derive(Debug, Arbitrary)]
pub enum YearChoice {
    /// The scheme's first year.
    First,
    /// The scheme's last year.
    Last,
    /// Any.
    Any(u16),
}

/// One indicator's value.
#[derive(Debug, Arbitrary)]
pub enum ValueRecipe {
    /// Not given.
    Missing,
    /// Not applicable.
    NotApplicable,
    /// A flag.
    Flag(bool),
    /// A number.
    Number(DecimalText),
    /// A small number (a count, a percentage).
    Small(u8),
    /// A grade (a word).
    Grade(u8),
    /// Under another id (an unused value).
    Elsewhere(u8, Box<ValueRecipe>),
}

const GRADES: &[&str] = &["met", "partial", "not_met", "good", "fair", "", "A"];
const STATUSES: &[&str] = &["island", "border", "ethnic_minority", "x"];

impl ValueRecipe {
    fn value(&self) -> Option<Value> {
        match self {
            ValueRecipe::Missing => None,
            ValueRecipe::NotApplicable => Some(Value::NotApplicable),
            ValueRecipe::Flag(b) => Some(Value::Flag(*b)),
            ValueRecipe::Number(d) => Decimal::from_str(&d.text()).ok().map(Value::Number),
            ValueRecipe::Small(n) => Some(Value::Number(Decimal::from(*n))),
            ValueRecipe::Grade(g) => Some(Value::Grade(
                GRADES[usize::from(*g) % GRADES.len()].to_owned(),
            )),
            ValueRecipe::Elsewhere(_, v) => v.value(),
        }
    }
}

impl DataRecipe {
    /// The profile.
    pub fn profile(&self) -> Profile {
        let mut profile = Profile::default();
        profile.region = Region::ALL.get(usize::from(self.region % 8)).copied();
        profile.commune_group = CommuneGroup::ALL.get(usize::from(self.group % 4)).copied();
        if let Some(s) = self.status {
            profile
                .statuses
                .insert(StatusId::from(STATUSES[usize::from(s) % STATUSES.len()]));
        }
        profile
    }

    /// The year for `set`.
    pub fn year(&self, set: &CriteriaSet) -> u16 {
        match self.year {
            YearChoice::First => set.scheme.years.from,
            YearChoice::Last => set.scheme.years.to,
            YearChoice::Any(y) => y,
        }
    }

    /// Data for the indicators of `set` (preconditions included), of unit `F`.
    pub fn data(&self, set: &CriteriaSet, year: u16) -> IndicatorData {
        let mut data = IndicatorData::new("F", year);
        let ids = set
            .criteria
            .iter()
            .flat_map(|c| c.indicators.iter().map(|i| i.id.clone()))
            .chain(set.preconditions.iter().map(|p| p.id.clone()));
        for (n, id) in ids.enumerate() {
            let recipe = self.values.get(n).unwrap_or(&ValueRecipe::Missing);
            let id = match recipe {
                ValueRecipe::Elsewhere(k, _) => format!("{id}.{k}").into(),
                _ => id,
            };
            if let Some(v) = recipe.value() {
                data.values.insert(id, v);
            }
        }
        data
    }
}

/// The compiled engine and the reference evaluator agree exactly on `set` with the
/// recipe's profile, year and data (errors included); a compile error names its place.
pub fn check_evaluators_agree(set: &CriteriaSet, recipe: &DataRecipe) {
    let profile = recipe.profile();
    let year = recipe.year(set);
    let data = recipe.data(set, year);
    let compiled: Result<_, EvaluateError> = compile(set, &profile, year)
        .map_err(EvaluateError::from)
        .and_then(|p| p.evaluate(&data).map_err(EvaluateError::from));
    let reference = reference::evaluate(set, &profile, year, &data);
    assert_eq!(
        compiled, reference,
        "compiled and reference evaluators differ on set `{}` year {year} profile {profile:?} data {data:?}",
        set.id
    );
}
