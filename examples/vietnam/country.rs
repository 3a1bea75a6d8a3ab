//! The national example's data set: the REAL tree of `data/vn-admin` (both shapes, with
//! the 2025 lineage) and SYNTHETIC inputs for every commune-level code, made
//! deterministically (a fixed hash of the code picks one of the made-up indicator
//! templates of `data/vn-admin/example/templates.json` and a made-up history). Shared by
//! `examples/vietnam` and `benches/country.rs`.

use std::error::Error;
use std::path::Path;

use ntm_rules::model::{
    AdminUnit, Date, EventKind, History, IndicatorData, Level, Profile, Region, UnitKind,
};
use ntm_rules::policy::{apply_overlays, catalog, Overlay};
use ntm_rules::tree::{LevelSets, UnitInput};

/// The reporting year of both dates.
pub(crate) const YEAR: u16 = 2025;

/// The catalog's 2021-2025 commune sets.
pub(crate) const COMMUNE_SETS: [&str; 3] = [
    "vn-2021-2025-commune-standard",
    "vn-2021-2025-commune-advanced",
    "vn-2021-2025-commune-model",
];

/// The last day of the old shape.
pub(crate) fn before() -> Date {
    Date::new(2025, 6, 30).unwrap_or(Date::TWO_TIER_REFORM)
}

/// The first day of the two-tier shape.
pub(crate) fn after() -> Date {
    Date::TWO_TIER_REFORM
}

/// The real units, the sets (catalog + illustrative overlay) and the synthetic inputs.
pub(crate) struct Country {
    /// Every entry of both shapes.
    pub(crate) units: Vec<AdminUnit>,
    /// The commune sets.
    pub(crate) sets: Vec<LevelSets>,
    /// One input per commune-level code (old and new units that share a code share it).
    pub(crate) inputs: Vec<UnitInput>,
}

fn read(path: &Path) -> Result<String, Box<dyn Error>> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// FNV-1a: a fixed hash, so the synthetic data do not depend on the platform or a seed.
fn hash(s: &str, salt: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ salt;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A made-up history for a former rural commune: about 60% standard only, 15% standard
/// and advanced (2024), 25% none; standard recognised in 2016-2023.
fn history(code: &str) -> History {
    let h = hash(code, 1);
    let year = 2016 + (h / 100 % 8) as u16;
    match h % 100 {
        0..15 => {
            History::recognised("standard", year).with("advanced", 2024, EventKind::Recognised)
        }
        15..75 => History::recognised("standard", year),
        _ => History::default(),
    }
}

/// Loads the data set from the crate's `data/` folder.
pub(crate) fn load(root: &Path) -> Result<Country, Box<dyn Error>> {
    let units: Vec<AdminUnit> =
        serde_json::from_str(&read(&root.join("data/vn-admin/units.json"))?)?;
    let overlay = Overlay::from_json(&read(&root.join("data/vn-admin/example/overlay.json"))?)?;
    let templates: Vec<IndicatorData> =
        serde_json::from_str(&read(&root.join("data/vn-admin/example/templates.json"))?)?;
    let mut sets = Vec::new();
    for id in COMMUNE_SETS {
        sets.push(apply_overlays(
            &catalog::load(id)?,
            std::slice::from_ref(&overlay),
        )?);
    }
    let sets = vec![LevelSets::new(Level::Commune, sets)];

    let profile = Profile::in_region(Region::Tdmnpb);
    let mut inputs: Vec<UnitInput> = Vec::new();
    // Entries are sorted by code in the file's shapes; one input per code.
    let mut codes: Vec<&AdminUnit> = units.iter().filter(|u| u.level == Level::Commune).collect();
    codes.sort_by(|a, b| (&a.code, a.valid_from).cmp(&(&b.code, b.valid_from)));
    codes.dedup_by(|a, b| a.code == b.code);
    for u in codes {
        let code = u.code.as_str();
        let n = templates.len().max(1);
        let pick = (hash(code, 0) % n as u64) as usize;
        let mut data = templates
            .get(pick)
            .cloned()
            .unwrap_or_else(|| IndicatorData::new(code, YEAR));
        data.unit = u.code.clone();
        // Only former rural communes were ever recognised; the first entry of a code is
        // the old one when the code existed before.
        let was_rural = u.valid_to.is_some() && u.kind == Some(UnitKind::RuralCommune);
        let history = if was_rural {
            history(code)
        } else {
            History::default()
        };
        inputs.push(
            UnitInput::new(data)
                .with_profile(profile.clone())
                .with_history(history),
        );
    }
    Ok(Country {
        units,
        sets,
        inputs,
    })
}
