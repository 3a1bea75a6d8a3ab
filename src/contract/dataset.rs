//! A data set folder (`manifest.json` and the files it names) read from disk.

use crate::model::from_json;
use crate::model::AdminUnit;
use crate::model::Date;
use crate::model::Label;
use crate::model::Level;
use crate::model::LoadError;
use crate::model::UnitKind;
use crate::tree::aggregate;
use crate::tree::AggregateOptions;
use crate::tree::Aggregation;
use crate::tree::Hierarchy;
use crate::tree::LevelSets;
use crate::tree::RollUp;
use crate::tree::TreeError;
use crate::tree::UnitInput;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Everything a reporting run needs, as one serde value: the tree, the reporting year
/// and date, the criteria sets per level, each unit's input and the roll-ups wanted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// The reporting year.
    pub year: u16,
    /// The reporting date of the tree.
    pub date: Date,
    /// A notice shown with every report of this data set (for example that it is
    /// synthetic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Label>,
    /// The administrative units.
    pub units: Vec<AdminUnit>,
    /// Criteria sets per level.
    pub sets: Vec<LevelSets>,
    /// Inputs per unit.
    pub inputs: Vec<UnitInput>,
    /// Roll-ups wanted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollups: Vec<RollUp>,
}

/// A data set that cannot be read or used.
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
    /// The tree is invalid.
    #[error(transparent)]
    Tree(#[from] TreeError),
}

/// The manifest of a data set folder: which file holds what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
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
    /// File with the inputs (a JSON array of [`UnitInput`]).
    pub inputs: String,
    /// Criteria sets per level: level, optional kinds, and the files of the sets.
    pub sets: Vec<ManifestSets>,
    /// File with the roll-ups (a JSON array of [`RollUp`]), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollups: Option<String>,
}

/// One entry of [`Manifest::sets`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ManifestSets {
    /// The level.
    pub level: Level,
    /// The kinds of unit, if restricted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<UnitKind>,
    /// Files of the criteria sets, lowest tier first.
    pub files: Vec<String>,
}

impl Dataset {
    /// Reads a data set from a folder holding a `manifest.json` ([`Manifest`]) and the
    /// files it names. This is the only function of the crate that touches the file
    /// system.
    ///
    /// # Errors
    ///
    /// A [`DatasetError`] naming the file that cannot be read or parsed (with the JSON
    /// path).
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Dataset, DatasetError> {
        let dir = dir.as_ref();
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| DatasetError::Io {
                path: path.display().to_string(),
                source,
            })
        };
        let parse = |name: &str, what: &'static str| {
            let text = read(name)?;
            Ok::<_, DatasetError>((name.to_owned(), text, what))
        };
        fn load<T: serde::de::DeserializeOwned>(
            (name, text, what): (String, String, &'static str),
        ) -> Result<T, DatasetError> {
            from_json(what, &text).map_err(|source| DatasetError::Load { path: name, source })
        }
        let manifest: Manifest = load(parse("manifest.json", "manifest")?)?;
        let units: Vec<AdminUnit> = load(parse(&manifest.units, "units")?)?;
        let inputs: Vec<UnitInput> = load(parse(&manifest.inputs, "unit inputs")?)?;
        let rollups: Vec<RollUp> = match &manifest.rollups {
            Some(f) => load(parse(f, "roll-ups")?)?,
            None => Vec::new(),
        };
        let mut sets = Vec::new();
        for m in &manifest.sets {
            let mut list = Vec::new();
            for f in &m.files {
                list.push(load(parse(f, "criteria set")?)?);
            }
            sets.push(LevelSets {
                level: m.level,
                kinds: m.kinds.clone(),
                sets: list,
            });
        }
        Ok(Dataset {
            year: manifest.year,
            date: manifest.date,
            notice: manifest.notice,
            units,
            sets,
            inputs,
            rollups,
        })
    }

    /// Validates the tree at the data set's date and runs the pass.
    ///
    /// # Errors
    ///
    /// A [`TreeError`] if the tree is invalid.
    pub fn run(&self) -> Result<(Hierarchy, Aggregation), TreeError> {
        let tree = Hierarchy::new(self.units.clone(), self.date)?;
        let options = AggregateOptions::default().with_rollups(self.rollups.clone());
        let agg = aggregate(&tree, self.year, &self.sets, &self.inputs, &options);
        Ok((tree, agg))
    }
}
