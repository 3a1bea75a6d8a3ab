//! The crate [`Error`]: any error of any stage, for callers who do not care which stage
//! failed. Each stage's error is beside its stage and says where (a
//! [`Location`](crate::model::Location): unit, set, criterion, indicator, JSON Pointer)
//! and what:
//!
//! - [`LoadError`] (model): JSON that does not parse into the data model, with its JSON
//!   Pointer and the line and column of the text; [`DateError`] (model): a bad date.
//! - [`CompileError`] (engine): a criteria set that cannot be compiled for a profile and
//!   year; every problem found, not only the first.
//! - [`DataError`] (engine): indicator data of one unit that does not fit a set; every
//!   problem of that unit. In batch work the other units are still evaluated.
//!   [`BindingMismatch`] (engine): bound data given to a program of another set;
//!   [`ColumnError`] (engine): a column of the column input form that does not fit.
//! - [`DecideError`] (engine): assessments or a history that cannot be combined into a
//!   decision; [`EvaluateError`] (engine) is any of these three for one unit.
//! - [`TreeError`] (tree): an administrative tree that does not hold at its date.
//! - [`OverlayError`] (policy): overlays that do not apply; `CatalogError` and
//!   `SheetError` (policy, features `catalog` and `csv`).
//! - [`ReportError`] (report) and [`DatasetError`] (contract).

use crate::contract::DatasetError;
use crate::engine::{
    BindingMismatch, ColumnError, CompileError, DataError, DecideError, EvaluateError,
};
use crate::model::{DateError, LoadError};
#[cfg(feature = "catalog")]
use crate::policy::catalog::CatalogError;
use crate::policy::OverlayError;
#[cfg(feature = "csv")]
use crate::policy::SheetError;
use crate::report::ReportError;
use crate::tree::TreeError;

/// Any error of this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// See [`LoadError`].
    #[error(transparent)]
    Load(#[from] LoadError),
    /// See [`DateError`].
    #[error(transparent)]
    Date(#[from] DateError),
    /// See [`CompileError`].
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// See [`DataError`].
    #[error(transparent)]
    Data(#[from] DataError),
    /// See [`DecideError`].
    #[error(transparent)]
    Decide(#[from] DecideError),
    /// See [`BindingMismatch`].
    #[error(transparent)]
    Binding(#[from] BindingMismatch),
    /// See [`ColumnError`].
    #[error(transparent)]
    Column(#[from] ColumnError),
    /// See [`TreeError`].
    #[error(transparent)]
    Tree(#[from] TreeError),
    /// See [`OverlayError`].
    #[error(transparent)]
    Overlay(#[from] OverlayError),
    /// See `CatalogError`.
    #[cfg(feature = "catalog")]
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// See `SheetError`.
    #[cfg(feature = "csv")]
    #[error(transparent)]
    Sheet(#[from] SheetError),
    /// See [`ReportError`].
    #[error(transparent)]
    Report(#[from] ReportError),
    /// See [`DatasetError`].
    #[error(transparent)]
    Dataset(#[from] DatasetError),
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
