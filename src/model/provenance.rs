//! Where a number or rule comes from ([`Source`]) and how sure it is ([`Confidence`]).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a rule or number comes from: a legal document and the place in it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Document number (`"318/QĐ-TTg"`), or a description for non-legal sources.
    pub document: String,
    /// Date of the document, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Article, clause or appendix (`"Appendix I"`, `"Art. 4(1)"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// Where the text can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Free notes (caveats, conflicting readings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Source {
    /// A source naming only a document.
    pub fn document(document: impl Into<String>) -> Self {
        Self {
            document: document.into(),
            ..Self::default()
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.document)?;
        if let Some(part) = &self.part {
            write!(f, ", {part}")?;
        }
        if let Some(date) = &self.date {
            write!(f, " ({date})")?;
        }
        Ok(())
    }
}

/// How sure a number or rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Read in the official text or a faithful reproduction of it.
    Confirmed,
    /// Taken from a secondary report (news, legal news).
    Reported,
    /// Recalled or inferred; must be checked before use.
    Unverified,
    /// Made up for examples and tests. Not law.
    Illustrative,
}

/// Who sets a threshold's value ([`ThresholdRow::set_by`](crate::model::ThresholdRow::set_by)).
///
/// Decision 318/QĐ-TTg writes some values into its tables, leaves others to a ministry's
/// implementing guidance ("do Bộ Giáo dục và Đào tạo công bố chỉ tiêu cụ thể": the school
/// and universal-education values of criteria 5 and 14 are published by MOET in
/// 1491/QĐ-BGDĐT), and others to the province ("UBND cấp tỉnh quy định cụ thể").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SetBy {
    /// The value is written in the decision that issues the set.
    Decision,
    /// The decision leaves the value to a ministry, which publishes it in its guidance
    /// (the row's [`Source`] names the guidance).
    MinistryPublished,
    /// The decision leaves the value to the province.
    Province,
}

impl SetBy {
    /// A short English description.
    pub fn describe(self) -> &'static str {
        match self {
            SetBy::Decision => "written in the decision",
            SetBy::MinistryPublished => "published by a ministry",
            SetBy::Province => "set by the province",
        }
    }
}
