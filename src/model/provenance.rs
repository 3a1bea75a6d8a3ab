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
