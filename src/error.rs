//! Error types of every stage. Each error says where (set, criterion, indicator, row,
//! unit, JSON path) and what.
//!
//! - [`LoadError`]: JSON that does not parse into the data model, with its JSON path.
//! - [`CompileError`]: a criteria set that cannot be compiled for a profile and year;
//!   it lists every problem found, not only the first.
//! - [`DataError`]: indicator data of one unit that does not fit the set; it lists every
//!   problem of that unit. In batch work the other units are still evaluated.
//! - [`DecideError`]: assessments or a history that cannot be combined into a decision.
//! - [`Error`]: any of them, for callers who do not care which stage failed.

use crate::engine::CompileError;
use crate::engine::DataError;
use crate::engine::DecideError;
use crate::engine::EvaluateError;
use crate::model::LoadError;

/// Any error of this crate.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// See [`LoadError`].
    #[error(transparent)]
    Load(#[from] LoadError),
    /// See [`CompileError`].
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// See [`DataError`].
    #[error(transparent)]
    Data(#[from] DataError),
    /// See [`DecideError`].
    #[error(transparent)]
    Decide(#[from] DecideError),
}

impl From<EvaluateError> for Error {
    fn from(e: EvaluateError) -> Self {
        match e {
            EvaluateError::Compile(e) => Error::Compile(e),
            EvaluateError::Data(e) => Error::Data(e),
            EvaluateError::Decide(e) => Error::Decide(e),
        }
    }
}
