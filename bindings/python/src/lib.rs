//! The Python package `ntm_rules` (PyO3, abi3): the extension module
//! `ntm_rules._native`, re-exported by `python/ntm_rules/__init__.py`.
//!
//! ```text
//! pip install ./bindings/python      # builds with maturin (from PyPI), installs ntm_rules
//! ```
//!
//! Everything crosses the boundary as JSON values converted exactly: Python's `dict`,
//! `list`, `str`, `int`, `bool`, `None` and `decimal.Decimal` (as its digits); a
//! `float` is refused with its exact binary value, since no input is rounded. Errors
//! are the package's exceptions (`ntm_rules._types`) with `.diagnostics`; a panic is
//! caught at the boundary and raised as `InternalError`. The tests are in Python
//! (`tests/`, pytest).

mod contract;
mod convert;
mod document;
mod errors;
mod evaluator;
mod output;

use pyo3::prelude::*;

/// Panics, for the test that proves a panic becomes `InternalError` and not a crash.
#[pyfunction]
fn _panic_for_test(py: Python<'_>) -> PyResult<()> {
    errors::guarded(py, || {
        #[allow(clippy::panic, reason = "the test of the panic boundary")]
        {
            panic!("a panic raised on purpose by _panic_for_test")
        }
    })
}

/// Panics outside the interpreter lock, for the same test on the detached path.
#[pyfunction]
fn _panic_detached_for_test(py: Python<'_>) -> PyResult<()> {
    errors::detached(py, || {
        #[allow(clippy::panic, reason = "the test of the panic boundary")]
        {
            panic!("a detached panic raised on purpose")
        }
    })
}

/// The extension module.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(contract::evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(contract::validate, m)?)?;
    m.add_function(wrap_pyfunction!(contract::catalog_entries, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_detached_for_test, m)?)?;
    m.add_class::<evaluator::PyEvaluator>()?;
    m.add("CONTRACT_VERSION", ntm_rules::contract::VERSION)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
