//! Ids (newtypes over `Arc<str>`, so the assessments that repeat them clone a pointer)
//! and bilingual labels.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Eq, PartialOrd, Ord, Serialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(transparent)]
        pub struct $name(Arc<str>);

        impl<'de> Deserialize<'de> for $name {
            /// Reads the id from a string; while a large request is read, an id whose
            /// text was read before shares that text.
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_string(IdVisitor).map($name)
            }
        }

        impl std::hash::Hash for $name {
            /// Hashes the text, as `str` does (so lookups by `&str` work).
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.0.hash(state);
            }
        }

        impl PartialEq for $name {
            /// Equal when the text is equal; ids cloned from one another share their
            /// text, so that case is a pointer comparison.
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
            }
        }

        impl $name {
            /// Makes an id from any string.
            pub fn new(id: impl AsRef<str>) -> Self {
                Self(Arc::from(id.as_ref()))
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(Arc::from(s))
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(Arc::from(s))
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

/// Reads the text of an id as `Arc<str>` (what serde's `String` accepts, with its
/// message), shared inside an intern scope.
struct IdVisitor;

impl serde::de::Visitor<'_> for IdVisitor {
    type Value = Arc<str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Arc<str>, E> {
        Ok(crate::model::intern::shared(v))
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Arc<str>, E> {
        match std::str::from_utf8(v) {
            Ok(s) => Ok(crate::model::intern::shared(s)),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(v), &self)),
        }
    }
}

id_type!(
    /// Id of a criteria set, unique within a catalog (`"vn-2021-commune-standard"`).
    SetId
);
id_type!(
    /// Id of a criteria scheme, i.e. a programme period (`"2021-2025"`).
    SchemeId
);
id_type!(
    /// Id of a recognition tier within a scheme (`"standard"`, `"advanced"`, `"model"`).
    TierId
);
id_type!(
    /// Official number of a criterion within its set (`"10"`).
    CriterionId
);
id_type!(
    /// Official number of an indicator within its set (`"10.1"`).
    IndicatorId
);
id_type!(
    /// A special status a unit may have (`"especially_difficult"`, `"safe_zone"`).
    /// Statuses are free-form so that a province can add its own.
    StatusId
);
id_type!(
    /// Official code of an administrative unit (a commune code such as `"07672"`).
    UnitCode
);

/// A user-facing label in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// Vietnamese text.
    pub vi: String,
    /// English text.
    pub en: String,
}

impl Label {
    /// Makes a label from its Vietnamese and English texts.
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The text in the given language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

/// A language for user-facing labels and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Vietnamese (tiếng Việt).
    #[default]
    Vi,
    /// English.
    En,
}
