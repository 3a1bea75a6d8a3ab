//! Values as a form holds them (the text typed in a field, a yes/no choice) read into
//! the library's [`Value`]s by the kind of their indicator, exactly or refused with a
//! message for that field; never rounded, never guessed.

use ntm_rules::model::{parse_exact, IndicatorId, Value, ValueKind};
use ntm_rules::CriteriaSet;
use std::collections::BTreeMap;

/// A value as given: text (what was typed) or a yes/no.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
pub(crate) enum Given {
    /// Typed text; blank is no value.
    Text(String),
    /// A yes/no choice.
    Flag(bool),
}

/// The text that says "does not apply to this unit", for any kind of indicator.
pub(crate) const NOT_APPLICABLE: &str = "not_applicable";

/// Why a value is refused: the indicator and a message for its field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct InputError {
    /// The indicator.
    pub(crate) indicator: IndicatorId,
    /// The value as given.
    pub(crate) given: String,
    /// What is wrong, and how to write it.
    pub(crate) message: String,
}

/// The kind of every indicator of the sets (criteria indicators and preconditions), the
/// first set's kind for an id several sets use (`check_level_sets` refuses sets that
/// disagree).
pub(crate) fn kinds(sets: &[CriteriaSet]) -> BTreeMap<IndicatorId, ValueKind> {
    let mut out = BTreeMap::new();
    for i in sets.iter().flat_map(CriteriaSet::all_indicators) {
        out.entry(i.id.clone()).or_insert_with(|| i.kind.clone());
    }
    out
}

/// Reads one value by its indicator's kind (`None`: an id no set has; its value is read
/// as a number, a yes/no or else a grade, and reported as unused by the evaluator).
/// `Ok(None)` is blank: no value.
pub(crate) fn read(kind: Option<&ValueKind>, given: &Given) -> Result<Option<Value>, String> {
    let text = match given {
        Given::Flag(b) => {
            return match kind {
                None | Some(ValueKind::YesNo) => Ok(Some(Value::Flag(*b))),
                Some(_) => Err(
                    "a yes/no was given, but this indicator takes a number or a grade".to_owned(),
                ),
            }
        }
        Given::Text(t) => t.trim(),
    };
    if text.is_empty() {
        return Ok(None);
    }
    if text == NOT_APPLICABLE {
        return Ok(Some(Value::NotApplicable));
    }
    match kind {
        Some(ValueKind::Decimal { .. } | ValueKind::Count) => parse_exact(text)
            .map(|d| Some(Value::Number(d)))
            .map_err(|e| format!("`{text}` is not a number: {e}")),
        Some(ValueKind::YesNo) => match text {
            "yes" | "true" => Ok(Some(Value::Flag(true))),
            "no" | "false" => Ok(Some(Value::Flag(false))),
            _ => Err(format!("`{text}` is not yes or no")),
        },
        Some(ValueKind::Grade { grades }) => {
            if grades.iter().any(|g| g == text) {
                Ok(Some(Value::Grade(text.to_owned())))
            } else {
                Err(format!(
                    "`{text}` is not one of the grades {}",
                    grades.join(", ")
                ))
            }
        }
        None => Ok(Some(match (parse_exact(text), text) {
            (Ok(d), _) => Value::Number(d),
            (Err(_), "yes" | "true") => Value::Flag(true),
            (Err(_), "no" | "false") => Value::Flag(false),
            (Err(_), _) => Value::Grade(text.to_owned()),
        })),
    }
}

/// Reads every value; the refused ones are left out (so the rest is evaluated) and
/// returned as [`InputError`]s.
pub(crate) fn read_all(
    kinds: &BTreeMap<IndicatorId, ValueKind>,
    given: &BTreeMap<IndicatorId, Given>,
) -> (BTreeMap<IndicatorId, Value>, Vec<InputError>) {
    let mut values = BTreeMap::new();
    let mut errors = Vec::new();
    for (id, g) in given {
        match read(kinds.get(id), g) {
            Ok(Some(v)) => {
                values.insert(id.clone(), v);
            }
            Ok(None) => {}
            Err(message) => errors.push(InputError {
                indicator: id.clone(),
                given: match g {
                    Given::Text(t) => t.clone(),
                    Given::Flag(b) => b.to_string(),
                },
                message,
            }),
        }
    }
    (values, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ntm_rules::model::Unit;

    fn percent() -> ValueKind {
        ValueKind::Decimal {
            unit: Unit::Percent,
        }
    }

    #[test]
    fn typed_decimal_is_read_exactly_not_rounded() {
        let got = read(
            Some(&percent()),
            &Given::Text(" 79.9999999999999999999999999 ".into()),
        );
        assert_eq!(
            got.map(|v| v.map(|v| v.to_string())),
            Ok(Some("79.9999999999999999999999999".to_owned()))
        );
    }

    #[test]
    fn decimal_comma_or_words_are_refused_with_a_message_not_guessed() {
        for text in ["12,5", "abc", "1e3", "1_000"] {
            let err = read(Some(&percent()), &Given::Text(text.into())).unwrap_err();
            assert!(err.contains("is not a number"), "{text}: {err}");
            assert!(err.contains(text), "{text}: {err}");
        }
    }

    #[test]
    fn blank_is_no_value_and_not_applicable_is_said_in_words() {
        assert_eq!(read(Some(&percent()), &Given::Text("  ".into())), Ok(None));
        assert_eq!(
            read(Some(&ValueKind::YesNo), &Given::Text(NOT_APPLICABLE.into())),
            Ok(Some(Value::NotApplicable))
        );
    }

    #[test]
    fn yes_no_and_grades_are_checked_by_the_indicator_kind() {
        assert_eq!(
            read(Some(&ValueKind::YesNo), &Given::Flag(true)),
            Ok(Some(Value::Flag(true)))
        );
        assert!(read(Some(&ValueKind::Count), &Given::Flag(true)).is_err());
        assert!(read(Some(&ValueKind::YesNo), &Given::Text("maybe".into())).is_err());
        let grades = ValueKind::Grade {
            grades: vec!["B".into(), "A".into()],
        };
        assert_eq!(
            read(Some(&grades), &Given::Text("A".into())),
            Ok(Some(Value::Grade("A".into())))
        );
        assert!(read(Some(&grades), &Given::Text("C".into()))
            .unwrap_err()
            .contains("B, A"));
    }
}
