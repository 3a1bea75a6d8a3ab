//! The errors of filling column inputs and of reading them for a pass
//! ([`ColumnInputError`]).

use crate::model::{IndicatorId, UnitCode};

/// What [`InputColumns`](crate::tree::InputColumns) refuses: a value it cannot put in a
/// column (nothing of it is kept), or a tree or sets other than those it was filled for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ColumnInputError {
    /// No set or roll-up of the unit's level reads the indicator.
    #[error("unit `{unit}`: no set or roll-up of its level reads indicator `{indicator}`")]
    UnknownIndicator {
        /// The unit.
        unit: UnitCode,
        /// The indicator given.
        indicator: IndicatorId,
    },
    /// The value is of another kind than the indicator's column.
    #[error("unit `{unit}`, indicator `{indicator}`: expected {expected}, found {found}")]
    WrongKind {
        /// The unit.
        unit: UnitCode,
        /// The indicator.
        indicator: IndicatorId,
        /// What the column holds.
        expected: &'static str,
        /// What was given.
        found: &'static str,
    },
    /// The unit is not in the tree (its input can only be converted from the map form).
    #[error("unit `{unit}` is not in the tree")]
    UnknownUnit {
        /// The unit.
        unit: UnitCode,
    },
    /// No such row.
    #[error("no row {row}")]
    NoRow {
        /// The row given.
        row: usize,
    },
    /// The columns were filled against another tree than the one given (rows name
    /// their unit by its position in that tree).
    #[error(
        "the columns were filled against another tree than the one given (its units or \
         their positions differ): fill them against this tree"
    )]
    OtherTree,
    /// The columns were made for other sets or roll-ups than those given (their
    /// indicators, kinds or weights differ).
    #[error(
        "the columns were made for other sets or roll-ups than those given (indicators, \
         kinds or weights differ): make them with `InputColumns::new` for these"
    )]
    OtherSets,
}
