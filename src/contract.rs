//! The request: everything one run needs, as one versioned JSON value.
//!
//! This layer holds the only code of the crate that touches the file system
//! ([`Dataset::from_dir`], [`Report::write_csv`](crate::report::Report::write_csv) is the
//! other), and the JSON Schemas of every format ([`schema`]).

mod dataset;
mod request;
mod response;
mod run;
mod schema;

pub use dataset::{Dataset, DatasetError, Manifest, ManifestSets};
pub use request::{Request, RequestSets, SetSource, VERSION};
pub use response::{Diagnostic, Response, Severity};
pub use run::{handle_json, handle_json_with_limits, response_for, run, Run};
pub use schema::{schema, SchemaKind};
