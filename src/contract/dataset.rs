//! A data set folder on disk (`manifest.json` and the files it names), read into a
//! [`Request`]: [`Request::from_dir`]. With `Report::write_csv`, the only code of the
//! crate that touches the file system.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::contract::request::{Request, RequestInput, SetSource};
use crate::model::{from_json, AdminUnit, CriteriaSet, Date, Label, LoadError};
use crate::policy::Overlay;
use crate::tree::{LevelSets, Plan, RollUp};

/// A data set folder that cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DatasetError {
    /// A file cannot be read.
    #[error("cannot read `{path}`")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid JSON for its part.
    #[error("file `{path}`")]
    Load {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: LoadError,
    },
}

/// The manifest of a data set folder (`manifest.json`): the request's year, date and
/// notice, and which file holds each of its other parts (paths relative to the folder).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Manifest {
    /// The reporting year.
    pub year: u16,
    /// The reporting date of the tree.
    pub date: Date,
    /// Notice shown with every report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Label>,
    /// File with the units (a JSON array of [`AdminUnit`]).
    pub units: String,
    /// File with the inputs (a JSON array of unit inputs).
    pub inputs: String,
    /// Criteria sets per level: level, optional kinds, and each set: the file of a set,
    /// or `catalog:<id>` for a built-in catalog set (`catalog:vn-2021-2025-commune-standard`).
    pub sets: Vec<LevelSets<String>>,
    /// Files with provincial overlays ([`Overlay`]) applied to the sets, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<String>,
    /// File with the roll-ups (a JSON array of [`RollUp`]), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollups: Option<String>,
    /// File with the plan ([`Plan`]), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
}

/// How a manifest names a built-in catalog set instead of a file.
const CATALOG_PREFIX: &str = "catalog:";

impl Request {
    /// Reads a request from a data set folder: a `manifest.json` ([`Manifest`]) and the
    /// files it names. Sets are given inline; inputs are read one by one, as in a JSON
    /// request, so a malformed one is reported when the request runs.
    ///
    /// # Errors
    ///
    /// A [`DatasetError`] naming the file that cannot be read or parsed (with the JSON
    /// Pointer and line of the problem).
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Request, DatasetError> {
        let dir = dir.as_ref();
        fn load<T: serde::de::DeserializeOwned>(
            dir: &Path,
            name: &str,
            what: &'static str,
        ) -> Result<T, DatasetError> {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|source| DatasetError::Io {
                path: path.display().to_string(),
                source,
            })?;
            from_json(what, &text).map_err(|source| DatasetError::Load {
                path: name.to_owned(),
                source,
            })
        }
        let manifest: Manifest = load(dir, "manifest.json", "manifest")?;
        let mut request = Request::new(manifest.year, manifest.date)
            .with_units(load::<Vec<AdminUnit>>(dir, &manifest.units, "units")?)
            .with_inputs(load::<Vec<RequestInput>>(
                dir,
                &manifest.inputs,
                "unit inputs",
            )?)
            .with_sets(
                manifest
                    .sets
                    .iter()
                    .map(|level| {
                        level.try_map(|file| match file.strip_prefix(CATALOG_PREFIX) {
                            Some(id) => Ok(SetSource::Catalog(id.to_owned())),
                            None => load::<CriteriaSet>(dir, file, "criteria set")
                                .map(|set| SetSource::Inline(Box::new(set))),
                        })
                    })
                    .collect::<Result<_, _>>()?,
            );
        let overlays = manifest
            .overlays
            .iter()
            .map(|file| load::<Overlay>(dir, file, "overlay"))
            .collect::<Result<Vec<_>, _>>()?;
        if !overlays.is_empty() {
            request = request.with_overlays(overlays);
        }
        if let Some(file) = &manifest.rollups {
            request = request.with_rollups(load::<Vec<RollUp>>(dir, file, "roll-ups")?);
        }
        if let Some(file) = &manifest.plan {
            request = request.with_plan(load::<Plan>(dir, file, "plan")?);
        }
        if let Some(notice) = manifest.notice {
            request = request.with_notice(notice);
        }
        Ok(request)
    }
}
