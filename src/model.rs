//! The first layer: plain data, the serde model of what users write in JSON. It imports
//! nothing from the other layers.
//!
//! Criteria definitions (schemes, tiers, sets, criteria, indicators, threshold tables with
//! provenance, revocation rules), unit profiles, indicator data, recognition histories,
//! administrative units and dates, ids, exact decimals and the loader with its limits.
//! Everything here is plain data with public fields; nothing here evaluates anything.
//! Unknown JSON fields are rejected so typos fail loudly.
//!
//! Decimal numbers are written as JSON strings (`"78.5"`) or JSON integers (`80`); JSON
//! numbers with a fraction are refused because they would pass through binary floating
//! point on the way in. See [`decimal_serde`].

mod admin;
mod cell_text;
mod criteria;
mod data;
mod decimal;
pub(crate) mod fast_hash;
mod grid;
#[cfg(feature = "csv")]
mod grid_csv;
#[cfg(feature = "xlsx")]
mod grid_xlsx;
mod ids;
pub(crate) mod intern;
mod json_scan;
mod limits;
mod load;
mod location;
mod profile;
mod provenance;
mod scheme;

pub use admin::{AdminUnit, Coordinates, Date, DateError, UnitKind, UnitName};
pub use cell_text::{
    parse_cell_number, parse_requirement, parse_yes_no, requirement_words, YES_NO_WORDS,
};
pub use criteria::{
    ChildMeasure, CriteriaSet, Criterion, Derivation, Indicator, PassRule, Requirement,
    RevocationRule, ShareComparison, Threshold, ThresholdRow, Unit, ValueKind,
};
pub use data::{EventKind, History, IndicatorData, RecognitionEvent, Value};
pub use decimal::{decimal_serde, parse_exact, round_display, DecimalError, DECIMAL_PATTERN};
pub use grid::{column_name, sheet_reference, CellPlace, CellValue, Grid, GridRow};
#[cfg(feature = "csv")]
pub use grid_csv::{
    detect_delimiter, read_csv, read_csv_with_limits, with_bom, CsvGridError, UTF8_BOM,
};
#[cfg(feature = "xlsx")]
pub use grid_xlsx::{exact_f64, read_workbook, read_workbook_with_limits, WorkbookError};
pub use ids::{CriterionId, IndicatorId, Label, Lang, SchemeId, SetId, StatusId, TierId, UnitCode};
pub use limits::{Exceeded, Limit, Limits};
pub use load::{from_json, from_json_with_limits, LoadError};
pub(crate) use load::{
    from_json_counting_units, limited_rows, limited_units, limited_values, to_json,
    try_from_json_counting_units,
};
pub use location::{JsonPointer, Location};
pub use profile::{CommuneGroup, Profile, ProfileMatch, ProfileRule, Region};
pub use provenance::{Confidence, SetBy, Source};
pub use scheme::{Level, Scheme, Tier, YearRange};
