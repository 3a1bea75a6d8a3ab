//! Where a problem is, in one shape for every problem of the crate: by ids (unit, set,
//! criterion, indicator, threshold row) and, for a position in a file, a JSON Pointer
//! (RFC 6901) and the line and column of the text. The response's diagnostics carry the
//! same [`Location`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::ids::{CriterionId, IndicatorId, SetId, UnitCode};

/// A JSON Pointer (RFC 6901): `""` is the whole document, `/inputs/2/data/values/10.1`
/// a value inside it. Tokens are escaped (`~` as `~0`, `/` as `~1`), so ids with dots
/// or slashes stay unambiguous.
///
/// ```
/// use ntm_rules::model::JsonPointer;
///
/// let p = JsonPointer::root().child("inputs").child(2).child("a/b~c");
/// assert_eq!(p.as_str(), "/inputs/2/a~1b~0c");
/// assert_eq!(p.tokens(), vec!["inputs", "2", "a/b~c"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct JsonPointer(String);

impl JsonPointer {
    /// The pointer to the whole document (`""`).
    pub fn root() -> JsonPointer {
        JsonPointer(String::new())
    }

    /// This pointer followed by one reference token (a key or an array index).
    #[must_use]
    pub fn child(mut self, token: impl fmt::Display) -> JsonPointer {
        self.push(token);
        self
    }

    /// Appends one reference token.
    pub fn push(&mut self, token: impl fmt::Display) {
        self.0.push('/');
        for c in token.to_string().chars() {
            match c {
                '~' => self.0.push_str("~0"),
                '/' => self.0.push_str("~1"),
                c => self.0.push(c),
            }
        }
    }

    /// This pointer followed by every token of `rest` (a pointer relative to it).
    #[must_use]
    pub fn join(mut self, rest: &JsonPointer) -> JsonPointer {
        self.0.push_str(&rest.0);
        self
    }

    /// Whether this is the pointer to the whole document.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The pointer as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The reference tokens, unescaped.
    pub fn tokens(&self) -> Vec<String> {
        self.0
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect()
    }
}

impl fmt::Display for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a problem is. Every field is optional; a problem fills in what it knows.
///
/// Displayed as the ids first, then the position (`unit `C04`, set `s`, indicator
/// `3.1`` or `overlay `o`, at `/thresholds/2``).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Location {
    /// The document the position is in, when it is not the one at hand (an overlay
    /// id, a file name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// The administrative unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitCode>,
    /// The criteria set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<SetId>,
    /// The criterion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion: Option<CriterionId>,
    /// The indicator or precondition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<IndicatorId>,
    /// The threshold row of the indicator (0-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// The position in the JSON document, as a JSON Pointer (RFC 6901).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<JsonPointer>,
    /// The line in the text (1-based), for syntax errors and CSV files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The column in the line (1-based), or the CSV column's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl Location {
    /// Nowhere in particular (the whole input).
    pub fn new() -> Location {
        Location::default()
    }

    /// The location of a unit.
    pub fn of_unit(unit: impl Into<UnitCode>) -> Location {
        Location::new().with_unit(unit)
    }

    /// The location of a set.
    pub fn of_set(set: impl Into<SetId>) -> Location {
        Location::new().with_set(set)
    }

    /// A position in the document at hand.
    pub fn at(pointer: JsonPointer) -> Location {
        Location::new().with_pointer(pointer)
    }

    /// Names the document (builder style).
    #[must_use]
    pub fn with_document(mut self, document: impl Into<String>) -> Location {
        self.document = Some(document.into());
        self
    }

    /// Names the unit (builder style).
    #[must_use]
    pub fn with_unit(mut self, unit: impl Into<UnitCode>) -> Location {
        self.unit = Some(unit.into());
        self
    }

    /// Names the set (builder style).
    #[must_use]
    pub fn with_set(mut self, set: impl Into<SetId>) -> Location {
        self.set = Some(set.into());
        self
    }

    /// Names the criterion (builder style).
    #[must_use]
    pub fn with_criterion(mut self, criterion: impl Into<CriterionId>) -> Location {
        self.criterion = Some(criterion.into());
        self
    }

    /// Names the indicator (builder style).
    #[must_use]
    pub fn with_indicator(mut self, indicator: impl Into<IndicatorId>) -> Location {
        self.indicator = Some(indicator.into());
        self
    }

    /// Names the threshold row (builder style).
    #[must_use]
    pub fn with_row(mut self, row: usize) -> Location {
        self.row = Some(row);
        self
    }

    /// Gives the position in the document (builder style).
    #[must_use]
    pub fn with_pointer(mut self, pointer: JsonPointer) -> Location {
        self.pointer = Some(pointer);
        self
    }

    /// Gives the line and column in the text (builder style).
    #[must_use]
    pub fn with_line(mut self, line: u64, column: impl Into<String>) -> Location {
        self.line = Some(line);
        self.column = Some(column.into());
        self
    }

    /// Whether nothing is known of the place.
    pub fn is_unknown(&self) -> bool {
        self == &Location::default()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        let mut part = |f: &mut fmt::Formatter<'_>, args: fmt::Arguments<'_>| {
            let r = write!(f, "{sep}{args}");
            sep = ", ";
            r
        };
        if let Some(d) = &self.document {
            part(f, format_args!("{d}"))?;
        }
        if let Some(u) = &self.unit {
            part(f, format_args!("unit `{u}`"))?;
        }
        if let Some(s) = &self.set {
            part(f, format_args!("set `{s}`"))?;
        }
        if let Some(c) = &self.criterion {
            part(f, format_args!("criterion `{c}`"))?;
        }
        if let Some(i) = &self.indicator {
            part(f, format_args!("indicator `{i}`"))?;
        }
        if let Some(r) = self.row {
            part(f, format_args!("threshold row {r}"))?;
        }
        if let Some(p) = &self.pointer {
            part(f, format_args!("at `{p}`"))?;
        }
        match (self.line, &self.column) {
            (Some(l), Some(c)) => part(f, format_args!("line {l}, column {c}"))?,
            (Some(l), None) => part(f, format_args!("line {l}"))?,
            _ => {}
        }
        if sep.is_empty() {
            f.write_str("the input")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_round_trip() {
        let p = JsonPointer::root()
            .child("values")
            .child("10.1")
            .child("~/");
        assert_eq!(p.as_str(), "/values/10.1/~0~1");
        assert_eq!(p.tokens(), vec!["values", "10.1", "~/"]);
        assert!(JsonPointer::root().is_root());
        assert_eq!(JsonPointer::root().tokens(), Vec::<String>::new());
    }

    #[test]
    fn display_lists_what_is_known() {
        let l = Location::of_set("s")
            .with_criterion("3")
            .with_indicator("3.1")
            .with_row(2);
        assert_eq!(
            l.to_string(),
            "set `s`, criterion `3`, indicator `3.1`, threshold row 2"
        );
        let l = Location::at(JsonPointer::root().child("inputs").child(2)).with_unit("C03");
        assert_eq!(l.to_string(), "unit `C03`, at `/inputs/2`");
        assert_eq!(Location::new().to_string(), "the input");
    }
}
