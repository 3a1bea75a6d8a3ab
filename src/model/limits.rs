//! Limits on untrusted input, one per thing an attacker could make large (their checks
//! of a JSON text before it is parsed are in `json_scan`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// One of the [`Limits`], by the name of its builder method (`max_units`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Limit {
    /// Bytes of one input (a JSON text, a CSV text, an `.xlsx` file as given).
    MaxBytes,
    /// Nesting depth of JSON arrays and objects.
    MaxDepth,
    /// Units in one batch (a request's `units` and `inputs`, policy test cases).
    MaxUnits,
    /// Bytes of one string: a JSON string as written (a code, an id, a label, a key),
    /// or the text of one spreadsheet cell.
    MaxStringBytes,
    /// Indicator values of one unit, and indicators of one criteria set.
    MaxIndicators,
    /// Criteria sets of one request, and overlays of one request.
    MaxSets,
    /// Distinct unit profiles of one request (each compiles its own programs).
    MaxProfiles,
    /// Rows of one sheet (CSV or workbook) and threshold entries of one overlay.
    MaxRows,
    /// Columns of one sheet.
    MaxColumns,
    /// Cells of one sheet (rows × columns, as read into memory).
    MaxCells,
    /// Bytes of a workbook once decompressed (an `.xlsx` file is a zip archive).
    MaxUnzippedBytes,
}

impl Limit {
    /// Every limit, in the order of the documentation.
    pub const ALL: [Limit; 11] = [
        Limit::MaxBytes,
        Limit::MaxDepth,
        Limit::MaxUnits,
        Limit::MaxStringBytes,
        Limit::MaxIndicators,
        Limit::MaxSets,
        Limit::MaxProfiles,
        Limit::MaxRows,
        Limit::MaxColumns,
        Limit::MaxCells,
        Limit::MaxUnzippedBytes,
    ];

    /// The limit's name, as its [`Limits`] builder method is called (`max_units`).
    pub fn name(self) -> &'static str {
        match self {
            Limit::MaxBytes => "max_bytes",
            Limit::MaxDepth => "max_depth",
            Limit::MaxUnits => "max_units",
            Limit::MaxStringBytes => "max_string_bytes",
            Limit::MaxIndicators => "max_indicators",
            Limit::MaxSets => "max_sets",
            Limit::MaxProfiles => "max_profiles",
            Limit::MaxRows => "max_rows",
            Limit::MaxColumns => "max_columns",
            Limit::MaxCells => "max_cells",
            Limit::MaxUnzippedBytes => "max_unzipped_bytes",
        }
    }

    /// The limit named `name` (`"max_units"`).
    pub fn from_name(name: &str) -> Option<Limit> {
        Limit::ALL.into_iter().find(|l| l.name() == name)
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A limit an input went past, with the limit's value: in a diagnostic of the JSON
/// contract, `"limit": {"name": "max_units", "value": 10}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Exceeded {
    /// Which limit.
    pub name: Limit,
    /// Its value in force.
    pub value: usize,
}

impl Exceeded {
    /// `found` (what the input holds: "11 units"), said against the limit:
    /// `11 units, more than the limit of 10 (max_units)`.
    pub fn message(&self, found: impl fmt::Display) -> String {
        format!(
            "{found}, more than the limit of {} ({})",
            self.value, self.name
        )
    }
}

/// Limits a service can set on untrusted input, for every door of the crate. Each has
/// a default sized for a whole country (the real tree of `data/vn-admin` and the
/// national catalog with every tier), a builder method to change it (`max_units(n)`,
/// or [`Limits::with`] by [`Limit`]) and is checked before the expensive work:
///
/// | limit | default | checked |
/// |---|---|---|
/// | `max_bytes` | 64 MiB | JSON, CSV and `.xlsx` inputs, before parsing |
/// | `max_depth` | 32 | JSON nesting, before parsing |
/// | `max_string_bytes` | 64 KiB | every JSON string (as written) before parsing; every cell's text while reading a sheet |
/// | `max_units` | 200,000 | a request's `units` and `inputs` and policy test cases, while reading |
/// | `max_indicators` | 4,096 | values of one unit while reading; indicators of one inline set before compiling |
/// | `max_sets` | 256 | criteria sets and overlays of a request, before resolving them |
/// | `max_profiles` | 4,096 | distinct unit profiles of a request, before compiling |
/// | `max_rows` | 250,000 | rows of a sheet while reading; threshold entries of an overlay |
/// | `max_columns` | 1,024 | columns of a sheet while reading |
/// | `max_cells` | 5,000,000 | cells of a sheet (rows × columns), before they are held |
/// | `max_unzipped_bytes` | 256 MiB | a workbook's decompressed size, before it is read |
///
/// Past a limit is always an error naming the limit and its value (and the place: a
/// JSON Pointer, a cell, a unit), never a truncated result. The JSON contract reads a
/// request with [`contract::response_for`](crate::contract::response_for)`(text,
/// &limits)`; the other readers (`CriteriaSet::from_json`, `Overlay::from_json`,
/// `PolicyTests::from_json`, `read_csv`, `read_workbook`, the sheet and data-entry
/// imports) use the defaults, and [`from_json_with_limits`](crate::model::from_json_with_limits),
/// [`read_csv_with_limits`](crate::model::read_csv_with_limits) and
/// [`read_workbook_with_limits`](crate::model::read_workbook_with_limits) take others.
/// The README's "Limits" section gives the time and memory measured at the defaults.
///
/// # Example
///
/// ```
/// use ntm_rules::model::{IndicatorData, Limit, Limits, from_json_with_limits};
///
/// let limits = Limits::default().max_bytes(64);
/// let text = format!(r#"{{"unit": "{}", "year": 2022}}"#, "x".repeat(100));
/// let err = from_json_with_limits::<IndicatorData>("indicator data", &text, &limits).unwrap_err();
/// assert_eq!(err.message(), "input is 126 bytes, more than the limit of 64 (max_bytes)");
/// assert_eq!(err.exceeded().map(|e| e.name), Some(Limit::MaxBytes));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    values: [usize; Limit::ALL.len()],
}

impl Default for Limits {
    fn default() -> Self {
        let mut limits = Self {
            values: [0; Limit::ALL.len()],
        };
        for limit in Limit::ALL {
            limits = limits.with(limit, Limits::default_of(limit));
        }
        limits
    }
}

impl Limits {
    /// The default value of `limit` (the table above).
    pub fn default_of(limit: Limit) -> usize {
        match limit {
            Limit::MaxBytes => 64 << 20,
            Limit::MaxDepth => 32,
            Limit::MaxUnits => 200_000,
            Limit::MaxStringBytes => 64 << 10,
            Limit::MaxIndicators => 4_096,
            Limit::MaxSets => 256,
            Limit::MaxProfiles => 4_096,
            Limit::MaxRows => 250_000,
            Limit::MaxColumns => 1_024,
            Limit::MaxCells => 5_000_000,
            Limit::MaxUnzippedBytes => 256 << 20,
        }
    }

    /// The value of `limit` in force.
    pub fn get(&self, limit: Limit) -> usize {
        self.values
            .get(limit as usize)
            .copied()
            .unwrap_or_else(|| Limits::default_of(limit))
    }

    /// Sets `limit` to `n` (builder style).
    #[must_use]
    pub fn with(mut self, limit: Limit, n: usize) -> Self {
        if let Some(v) = self.values.get_mut(limit as usize) {
            *v = n;
        }
        self
    }

    /// Largest input in bytes.
    #[must_use]
    pub fn max_bytes(self, n: usize) -> Self {
        self.with(Limit::MaxBytes, n)
    }

    /// Deepest nesting of JSON arrays and objects.
    #[must_use]
    pub fn max_depth(self, n: usize) -> Self {
        self.with(Limit::MaxDepth, n)
    }

    /// Most units in one batch.
    #[must_use]
    pub fn max_units(self, n: usize) -> Self {
        self.with(Limit::MaxUnits, n)
    }

    /// Longest string in bytes (a JSON string as written, a cell's text).
    #[must_use]
    pub fn max_string_bytes(self, n: usize) -> Self {
        self.with(Limit::MaxStringBytes, n)
    }

    /// Most indicator values of one unit (and indicators of one criteria set).
    #[must_use]
    pub fn max_indicators(self, n: usize) -> Self {
        self.with(Limit::MaxIndicators, n)
    }

    /// Most criteria sets (and most overlays) in one request.
    #[must_use]
    pub fn max_sets(self, n: usize) -> Self {
        self.with(Limit::MaxSets, n)
    }

    /// Most distinct unit profiles in one request.
    #[must_use]
    pub fn max_profiles(self, n: usize) -> Self {
        self.with(Limit::MaxProfiles, n)
    }

    /// Most rows of one sheet (and threshold entries of one overlay).
    #[must_use]
    pub fn max_rows(self, n: usize) -> Self {
        self.with(Limit::MaxRows, n)
    }

    /// Most columns of one sheet.
    #[must_use]
    pub fn max_columns(self, n: usize) -> Self {
        self.with(Limit::MaxColumns, n)
    }

    /// Most cells of one sheet (rows × columns).
    #[must_use]
    pub fn max_cells(self, n: usize) -> Self {
        self.with(Limit::MaxCells, n)
    }

    /// Largest decompressed size of a workbook, in bytes.
    #[must_use]
    pub fn max_unzipped_bytes(self, n: usize) -> Self {
        self.with(Limit::MaxUnzippedBytes, n)
    }

    /// The unit limit.
    pub fn units(&self) -> usize {
        self.get(Limit::MaxUnits)
    }

    /// The size limit, in bytes.
    pub fn bytes(&self) -> usize {
        self.get(Limit::MaxBytes)
    }

    /// The nesting depth limit (of JSON arrays and objects).
    pub fn depth(&self) -> usize {
        self.get(Limit::MaxDepth)
    }

    /// `Err` with the limit and its value when `count` is more than `limit`.
    ///
    /// # Errors
    ///
    /// The [`Exceeded`] limit.
    pub fn check(&self, limit: Limit, count: usize) -> Result<(), Exceeded> {
        let value = self.get(limit);
        if count > value {
            Err(Exceeded { name: limit, value })
        } else {
            Ok(())
        }
    }
}
