//! Provincial overlays: fill, tighten or extend a national criteria set, with provenance.
//!
//! An [`Overlay`] is a JSON file issued under its own authority (a provincial decision)
//! that, for named sets:
//!
//! - **fills** thresholds that are `unknown` or `delegated` in the national set;
//! - **tightens** known thresholds (raises an at-least value, lowers an at-most value);
//! - **adds indicators**, to an existing criterion or as recognition preconditions.
//!
//! [`apply_overlays`] runs between loading a set (e.g. from the [catalog](crate::catalog))
//! and [`compile`](crate::compile). It returns a new set in which every threshold row
//! says where it came from: rows an overlay wrote carry the overlay's (or the entry's)
//! source and confidence, and a note naming the overlay and the value it replaced.
//!
//! An entry that **loosens** a national value (lowers an at-least threshold, changes a
//! yes/no or an exact value, makes a known value unknown) is refused unless it is marked
//! as a replacement with its legal basis. Every problem of every overlay is reported at
//! once, in an [`OverlayError`].
//!
//! A threshold entry targets the rows of one indicator whose profile conditions (`when`)
//! are the entry's, and the years the entry gives (all the scheme's years if absent).
//! Rows that cover more years than the entry are split, so an overlay can fill a
//! whole-period unknown row year by year.
//!
//! ```
//! use ntm_rules::policy::{Overlay, apply_overlays};
//! use ntm_rules::policy::catalog;
//! use ntm_rules::model::Threshold;
//!
//! let overlay = Overlay::from_json(r#"{
//!   "id": "example-province-2022",
//!   "authority": {"vi": "UBND tỉnh X", "en": "People's Committee of province X"},
//!   "source": {"document": "123/QĐ-UBND", "date": "2022-07-28"},
//!   "confidence": "illustrative",
//!   "thresholds": [{
//!     "set": "vn-2021-2025-commune-standard",
//!     "indicator": "11.1",
//!     "when": {"regions": ["dnb"]},
//!     "threshold": {"number": "1.5"}
//!   }]
//! }"#)?;
//! let set = catalog::load("vn-2021-2025-commune-standard").map_err(|e| e.to_string())?;
//! let local = apply_overlays(&set, &[overlay])?;
//! let filled = Threshold::Number("1.5".parse()?);
//! let rows = &local.all_indicators().find(|i| i.id.as_str() == "11.1").unwrap().thresholds;
//! assert!(rows.iter().any(|r| r.threshold == filled && r.source.document == "123/QĐ-UBND"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::engine::{check_set, edit_distance, SetProblem};
use crate::model::{
    from_json, Confidence, CriteriaSet, CriterionId, Indicator, IndicatorId, JsonPointer, Label,
    LoadError, Location, ProfileMatch, Requirement, SetBy, SetId, Source, Threshold, ThresholdRow,
    ValueKind, YearRange,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// A provincial (or other local) overlay on national criteria sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// Overlay id (`"bac-giang-741-2022"`).
    pub id: String,
    /// Who issued it (`"UBND tỉnh Bắc Giang"`).
    pub authority: Label,
    /// The document it encodes; the default source of its rows.
    pub source: Source,
    /// Default confidence of its rows.
    pub confidence: Confidence,
    /// Thresholds filled, tightened or replaced.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::model::limited_rows"
    )]
    pub thresholds: Vec<ThresholdEntry>,
    /// Indicators added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<IndicatorEntry>,
}

/// An overlay entry that sets a threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ThresholdEntry {
    /// The set.
    pub set: SetId,
    /// The indicator or precondition.
    pub indicator: IndicatorId,
    /// Profile conditions: must equal those of the rows targeted.
    #[serde(default, skip_serializing_if = "ProfileMatch::is_any")]
    pub when: ProfileMatch,
    /// Years; absent means every year of the set's scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<YearRange>,
    /// The new threshold.
    pub threshold: Threshold,
    /// Source of this value, if not the overlay's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Confidence of this value, if not the overlay's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// Marks the entry as replacing (possibly loosening) a national value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<Replacement>,
    /// Who sets this value (a ministry's published guidance, the province), if not what
    /// the row replaced says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_by: Option<SetBy>,
}

/// Why an overlay may replace a national value, loosening it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    /// The legal basis that allows the replacement.
    pub legal_basis: Source,
}

/// An overlay entry that adds an indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IndicatorEntry {
    /// The set.
    pub set: SetId,
    /// The criterion to add it to; absent: add it as a recognition precondition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion: Option<CriterionId>,
    /// The indicator, with its own threshold rows and their sources.
    pub indicator: Indicator,
}

impl Overlay {
    /// Reads an overlay from JSON.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] naming the JSON path (unknown fields are refused).
    pub fn from_json(text: &str) -> Result<Self, LoadError> {
        from_json("overlay", text)
    }

    /// Writes the overlay as pretty JSON.
    pub fn to_json(&self) -> String {
        crate::model::to_json(self)
    }

    /// An overlay with no entries.
    pub fn new(
        id: impl Into<String>,
        authority: Label,
        source: Source,
        confidence: Confidence,
    ) -> Self {
        Self {
            id: id.into(),
            authority,
            source,
            confidence,
            thresholds: Vec::new(),
            indicators: Vec::new(),
        }
    }
}

/// One problem found while applying overlays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[non_exhaustive]
pub enum OverlayProblem {
    /// An entry that would loosen a national value without being marked as a
    /// replacement.
    #[error("{location}: loosens `{old}` to `{new}`; an overlay may only fill or tighten a national value unless the entry is marked as a replacement with its legal basis")]
    Loosens {
        /// Where.
        location: Location,
        /// The value in the set.
        old: String,
        /// The overlay's value.
        new: String,
    },
    /// The indicator is not in the set.
    #[error("{location}: the set has no such indicator")]
    UnknownIndicator {
        /// Where.
        location: Location,
    },
    /// No threshold row has the entry's profile conditions for some of its years.
    #[error("{location}: no threshold row with these profile conditions covers {years}")]
    NoMatchingRow {
        /// Where.
        location: Location,
        /// The years not covered.
        years: YearRange,
    },
    /// The criterion to add an indicator to is not in the set.
    #[error("{location}: the set has no criterion `{criterion}`")]
    UnknownCriterion {
        /// Where.
        location: Location,
        /// The criterion.
        criterion: CriterionId,
    },
    /// An added indicator's id is already used in the set.
    #[error("{location}: the set already has this indicator")]
    DuplicateIndicator {
        /// Where.
        location: Location,
    },
    /// The entry names a set that is not among the sets the overlays are applied to (a
    /// misspelt set id, most often): it would apply to nothing.
    #[error("{location}: no set `{set}` among the sets given{}", hint_text(.did_you_mean))]
    UnknownSet {
        /// Where (the entry's JSON Pointer in the overlay).
        location: Location,
        /// The set id named.
        set: SetId,
        /// The set id given that is nearest, when one is close.
        did_you_mean: Option<SetId>,
    },
    /// The set after the overlays does not pass the compile checks.
    #[error("after overlays: {0}")]
    Invalid(SetProblem),
}

impl OverlayProblem {
    /// Where the problem is: the overlay, the entry's JSON Pointer in it, the set and
    /// the indicator.
    pub fn location(&self) -> &Location {
        match self {
            OverlayProblem::Loosens { location, .. }
            | OverlayProblem::UnknownIndicator { location }
            | OverlayProblem::NoMatchingRow { location, .. }
            | OverlayProblem::UnknownCriterion { location, .. }
            | OverlayProblem::DuplicateIndicator { location }
            | OverlayProblem::UnknownSet { location, .. } => location,
            OverlayProblem::Invalid(p) => &p.location,
        }
    }
}

fn hint_text(hint: &Option<SetId>) -> String {
    hint.as_ref()
        .map(|h| format!("; did you mean `{h}`?"))
        .unwrap_or_default()
}

/// Overlays that cannot be applied. Lists every problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct OverlayError {
    problems: Vec<OverlayProblem>,
}

impl OverlayError {
    /// Every problem, in the order found.
    pub fn problems(&self) -> &[OverlayProblem] {
        &self.problems
    }
}

impl fmt::Display for OverlayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "cannot apply overlay: {one}"),
            many => {
                write!(f, "cannot apply overlays: {} problems", many.len())?;
                for p in many {
                    write!(f, "; {p}")?;
                }
                Ok(())
            }
        }
    }
}

/// The threshold as a short text with its comparison (`≥ 80`, `= yes`, `unknown`).
pub fn threshold_text(requirement: Requirement, threshold: &Threshold) -> String {
    match threshold {
        Threshold::Number(d) => format!("{} {d}", requirement.symbol()),
        Threshold::Flag(true) => "= yes".to_owned(),
        Threshold::Flag(false) => "= no".to_owned(),
        Threshold::Grade(g) => format!("{} {g}", requirement.symbol()),
        Threshold::Grades(gs) => format!("∈ {{{}}}", gs.join(", ")),
        Threshold::Unknown => "unknown".to_owned(),
        Threshold::Delegated => "delegated".to_owned(),
    }
}

/// How a new threshold compares with the old one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Fills an unknown or delegated value, keeps, or tightens.
    Allowed,
    /// Loosens or changes a known value.
    Loosens,
}

fn compare(kind: &ValueKind, req: Requirement, old: &Threshold, new: &Threshold) -> Change {
    use Requirement as R;
    use Threshold as T;
    let rank = |g: &String| match kind {
        ValueKind::Grade { grades } => grades.iter().position(|x| x == g),
        _ => None,
    };
    let ok = match (old, new) {
        (T::Unknown | T::Delegated, _) => true,
        (_, T::Unknown | T::Delegated) => false,
        (T::Number(o), T::Number(n)) => match req {
            R::AtLeast | R::Above => n >= o,
            R::AtMost | R::Below => n <= o,
            R::Equal | R::OneOf => n == o,
        },
        (T::Grade(o), T::Grade(n)) => match (rank(o), rank(n), req) {
            (Some(o), Some(n), R::AtLeast | R::Above) => n >= o,
            (Some(o), Some(n), R::AtMost | R::Below) => n <= o,
            _ => o == n,
        },
        (T::Grades(o), T::Grades(n)) => n.iter().all(|g| o.contains(g)),
        (o, n) => o == n,
    };
    if ok {
        Change::Allowed
    } else {
        Change::Loosens
    }
}

fn same_when(a: &ProfileMatch, b: &ProfileMatch) -> bool {
    a.regions.iter().collect::<BTreeSet<_>>() == b.regions.iter().collect::<BTreeSet<_>>()
        && a.commune_groups.iter().collect::<BTreeSet<_>>()
            == b.commune_groups.iter().collect::<BTreeSet<_>>()
        && a.statuses.iter().collect::<BTreeSet<_>>() == b.statuses.iter().collect::<BTreeSet<_>>()
        && a.absent_statuses.iter().collect::<BTreeSet<_>>()
            == b.absent_statuses.iter().collect::<BTreeSet<_>>()
}

/// The entries of `overlays` that name none of the sets `ids`: one
/// [`OverlayProblem::UnknownSet`] per entry, at its JSON Pointer in its overlay
/// (`/thresholds/3`, `/indicators/0`), with the nearest set id given when it is close.
///
/// [`apply_overlays`] works on one set and skips the entries for other sets; call this
/// with every set the overlays are meant for (a request's sets, the catalog) so that an
/// entry for a misspelt set id is not skipped without a word.
pub fn entries_for_unknown_sets<'a>(
    overlays: &[Overlay],
    ids: impl IntoIterator<Item = &'a SetId> + Clone,
) -> Vec<OverlayProblem> {
    let mut problems = Vec::new();
    for overlay in overlays {
        let named = overlay
            .thresholds
            .iter()
            .map(|e| (&e.set, "thresholds", &e.indicator))
            .enumerate()
            .chain(
                overlay
                    .indicators
                    .iter()
                    .map(|e| (&e.set, "indicators", &e.indicator.id))
                    .enumerate(),
            );
        for (n, (set, list, indicator)) in named {
            if ids.clone().into_iter().any(|id| id == set) {
                continue;
            }
            let location = Location::at(JsonPointer::root().child(list).child(n))
                .with_document(format!("overlay `{}`", overlay.id))
                .with_set(set.clone())
                .with_indicator(indicator.clone());
            problems.push(OverlayProblem::UnknownSet {
                location,
                set: set.clone(),
                did_you_mean: nearest_id(set, ids.clone()),
            });
        }
    }
    problems
}

/// The id of `ids` nearest to `id` by edit distance, when it is at most 3.
fn nearest_id<'a>(id: &SetId, ids: impl IntoIterator<Item = &'a SetId>) -> Option<SetId> {
    let given: Vec<char> = id.as_str().chars().collect();
    ids.into_iter()
        .map(|k| (edit_distance(&given, k.as_str()), k))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.clone())
}

/// Applies overlays to each of `sets`, and reports the entries that name none of them.
///
/// # Errors
///
/// An [`OverlayError`] listing every problem of every set (see [`apply_overlays`]) and
/// every entry for a set not in `sets` ([`OverlayProblem::UnknownSet`]).
pub fn apply_overlays_to_sets(
    sets: &[CriteriaSet],
    overlays: &[Overlay],
) -> Result<Vec<CriteriaSet>, OverlayError> {
    let mut problems = entries_for_unknown_sets(overlays, sets.iter().map(|s| &s.id));
    let mut out = Vec::with_capacity(sets.len());
    for set in sets {
        match apply_overlays(set, overlays) {
            Ok(s) => out.push(s),
            Err(e) => problems.extend(e.problems),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(OverlayError { problems })
    }
}

/// Applies overlays to a set, in order. Entries that name other sets are skipped (see
/// [`entries_for_unknown_sets`] and [`apply_overlays_to_sets`] for the entries that
/// name no set at all).
///
/// # Errors
///
/// An [`OverlayError`] listing every problem: loosening entries not marked as
/// replacements, unknown indicators or criteria, entries whose profile conditions and
/// years match no row, duplicate added indicators, and any compile-check problem of the
/// resulting set.
pub fn apply_overlays(
    set: &CriteriaSet,
    overlays: &[Overlay],
) -> Result<CriteriaSet, OverlayError> {
    let mut out = set.clone();
    let mut problems = Vec::new();
    for overlay in overlays {
        let mut touched = false;
        for (n, entry) in overlay.thresholds.iter().enumerate() {
            if entry.set != set.id {
                continue;
            }
            touched = true;
            let location = Location::at(JsonPointer::root().child("thresholds").child(n))
                .with_document(format!("overlay `{}`", overlay.id))
                .with_set(set.id.clone())
                .with_indicator(entry.indicator.clone());
            apply_threshold(&mut out, overlay, entry, location, &mut problems);
        }
        for (n, entry) in overlay.indicators.iter().enumerate() {
            if entry.set != set.id {
                continue;
            }
            touched = true;
            let location = Location::at(JsonPointer::root().child("indicators").child(n))
                .with_document(format!("overlay `{}`", overlay.id))
                .with_set(set.id.clone())
                .with_indicator(entry.indicator.id.clone());
            if out.all_indicators().any(|i| i.id == entry.indicator.id) {
                problems.push(OverlayProblem::DuplicateIndicator { location });
                continue;
            }
            match &entry.criterion {
                None => out.preconditions.push(entry.indicator.clone()),
                Some(c) => match out.criteria.iter_mut().find(|x| &x.id == c) {
                    Some(criterion) => criterion.indicators.push(entry.indicator.clone()),
                    None => problems.push(OverlayProblem::UnknownCriterion {
                        location,
                        criterion: c.clone(),
                    }),
                },
            }
        }
        if touched {
            let mut basis = overlay.source.clone();
            basis.note = Some(match basis.note.take() {
                Some(n) => format!("overlay `{}` by {}; {n}", overlay.id, overlay.authority.en),
                None => format!("overlay `{}` by {}", overlay.id, overlay.authority.en),
            });
            out.legal_basis.push(basis);
            let line = format!(
                "Overlay `{}` ({}) applied.",
                overlay.id, overlay.authority.vi
            );
            out.notes = Some(match out.notes.take() {
                Some(n) => format!("{n} {line}"),
                None => line,
            });
        }
    }
    if problems.is_empty() {
        problems.extend(check_set(&out).into_iter().map(OverlayProblem::Invalid));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(OverlayError { problems })
    }
}

fn apply_threshold(
    set: &mut CriteriaSet,
    overlay: &Overlay,
    entry: &ThresholdEntry,
    location: Location,
    problems: &mut Vec<OverlayProblem>,
) {
    let scheme_years = set.scheme.years;
    let want = entry.years.unwrap_or(scheme_years);
    let indicator = set
        .criteria
        .iter_mut()
        .flat_map(|c| c.indicators.iter_mut())
        .chain(set.preconditions.iter_mut())
        .find(|i| i.id == entry.indicator);
    let Some(indicator) = indicator else {
        problems.push(OverlayProblem::UnknownIndicator { location });
        return;
    };
    // Rows with the same conditions overlapping the entry's years.
    let targets: Vec<usize> = indicator
        .thresholds
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            same_when(&r.when, &entry.when) && r.years.unwrap_or(scheme_years).overlaps(&want)
        })
        .map(|(i, _)| i)
        .collect();
    // Every year of the entry must be covered by a target row.
    let uncovered: Vec<u16> = (want.from..=want.to)
        .filter(|y| {
            !targets.iter().any(|&i| {
                indicator
                    .thresholds
                    .get(i)
                    .is_some_and(|r| r.years.unwrap_or(scheme_years).contains(*y))
            })
        })
        .collect();
    if let (Some(&first), Some(&last)) = (uncovered.first(), uncovered.last()) {
        problems.push(OverlayProblem::NoMatchingRow {
            location,
            years: YearRange::new(first, last),
        });
        return;
    }
    let mut refused = false;
    for &i in &targets {
        let Some(old) = indicator.thresholds.get(i) else {
            continue;
        };
        if entry.replacement.is_none()
            && compare(
                &indicator.kind,
                indicator.requirement,
                &old.threshold,
                &entry.threshold,
            ) == Change::Loosens
        {
            refused = true;
            problems.push(OverlayProblem::Loosens {
                location: location.clone().with_row(i),
                old: threshold_text(indicator.requirement, &old.threshold),
                new: threshold_text(indicator.requirement, &entry.threshold),
            });
        }
    }
    if refused {
        return;
    }
    // Rebuild the row list, splitting target rows around the entry's years.
    let mut rows = Vec::with_capacity(indicator.thresholds.len() + 2);
    for (i, old) in indicator.thresholds.iter().enumerate() {
        if !targets.contains(&i) {
            rows.push(old.clone());
            continue;
        }
        let span = old.years.unwrap_or(scheme_years);
        let part = |from: u16, to: u16| {
            if from == scheme_years.from && to == scheme_years.to && old.years.is_none() {
                None
            } else {
                Some(YearRange::new(from, to))
            }
        };
        if span.from < want.from {
            let mut before = old.clone();
            before.years = part(span.from, want.from - 1);
            rows.push(before);
        }
        let from = span.from.max(want.from);
        let to = span.to.min(want.to);
        rows.push(new_row(
            overlay,
            entry,
            old,
            indicator.requirement,
            part(from, to),
        ));
        if span.to > want.to {
            let mut after = old.clone();
            after.years = part(want.to + 1, span.to);
            rows.push(after);
        }
    }
    indicator.thresholds = rows;
}

fn new_row(
    overlay: &Overlay,
    entry: &ThresholdEntry,
    old: &ThresholdRow,
    requirement: Requirement,
    years: Option<YearRange>,
) -> ThresholdRow {
    let mut source = entry
        .source
        .clone()
        .unwrap_or_else(|| overlay.source.clone());
    let mut note = format!(
        "overlay `{}` by {}; replaces `{}` from {}",
        overlay.id,
        overlay.authority.en,
        threshold_text(requirement, &old.threshold),
        old.source
    );
    if let Some(r) = &entry.replacement {
        note.push_str(&format!(
            "; replacement on the legal basis of {}",
            r.legal_basis
        ));
    }
    if let Some(n) = source.note.take() {
        note = format!("{n}; {note}");
    }
    source.note = Some(note);
    ThresholdRow {
        when: old.when.clone(),
        years,
        threshold: entry.threshold.clone(),
        source,
        confidence: entry.confidence.unwrap_or(overlay.confidence),
        set_by: entry.set_by.or(old.set_by),
    }
}
