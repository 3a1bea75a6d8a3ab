//! `ntm template` and `ntm import`: data-entry workbooks for a request, and reading them
//! back as its unit inputs (also `--workbook` of `ntm evaluate` and `ntm report`).

use clap::Args;
use ntm_rules::contract::{self, EntryImport, Request, RequestInput, SetSource};
use ntm_rules::model::{AdminUnit, Date, Level};
use ntm_rules::policy::Overlay;
use ntm_rules::tree::LevelSets;

use crate::{is_workbook, read_bytes, read_request, write_out, Fatal};

#[derive(Debug, Args)]
pub(crate) struct TemplateArgs {
    /// The request whose tree, year and sets the workbook is for: a request file or a
    /// data-set folder with a `manifest.json` (sets by catalog id or file, overlays).
    /// Without it, give `--units`, `--year` and `--set`.
    request: Option<String>,
    /// The workbook to write (`.xlsx`).
    #[arg(long)]
    out: String,
    /// The unit whose tree the workbook covers (default: the root of the tree).
    #[arg(long)]
    scope: Option<String>,
    /// Without a request: its parts.
    #[command(flatten)]
    parts: RequestParts,
}

/// A request given as its parts instead of a file: units, year, sets and overlays.
#[derive(Debug, Args)]
pub(crate) struct RequestParts {
    /// Without a request: the administrative units (a JSON array of units).
    #[arg(long, conflicts_with = "request")]
    units: Option<String>,
    /// Without a request: the reporting year (the tree is read at its end).
    #[arg(long, conflicts_with = "request")]
    year: Option<u16>,
    /// Without a request: the sets of a level, as `LEVEL=SET` with a catalog id or a set
    /// file (`commune=vn-2021-2025-commune-standard`; repeatable).
    #[arg(long = "set", conflicts_with = "request")]
    sets: Vec<String>,
    /// Without a request: an overlay file applied to the sets (repeatable).
    #[arg(long = "overlay", conflicts_with = "request")]
    overlays: Vec<String>,
}

/// The request given as units, year, sets and overlays.
fn request_from_parts(a: &RequestParts) -> Result<Request, Fatal> {
    let (Some(units), Some(year)) = (&a.units, a.year) else {
        return Err(Fatal(
            "give a request (file or data-set folder), or --units, --year and --set".to_owned(),
        ));
    };
    let units: Vec<AdminUnit> = crate::parse::<Vec<AdminUnit>>("units", &crate::read(units)?)
        .map_err(|e| Fatal(format!("{units}: {e}")))?;
    let mut by_level: Vec<LevelSets<SetSource>> = Vec::new();
    for arg in &a.sets {
        let (level, set) = arg.split_once('=').ok_or_else(|| {
            Fatal(format!(
                "--set `{arg}`: write LEVEL=SET (commune=vn-2021-2025-commune-standard)"
            ))
        })?;
        let level: Level = serde_json::from_value(serde_json::Value::String(level.to_owned()))
            .map_err(|_| Fatal(format!("--set `{arg}`: unknown level `{level}`")))?;
        let source = match ntm_rules::policy::catalog::load(set) {
            Ok(_) => SetSource::Catalog(set.to_owned()),
            Err(_) => SetSource::Inline(Box::new(crate::set_from(set)?)),
        };
        match by_level.iter_mut().find(|l| l.level == level) {
            Some(l) => l.sets.push(source),
            None => by_level.push(LevelSets::new(level, vec![source])),
        }
    }
    let overlays = a
        .overlays
        .iter()
        .map(|p| {
            crate::parse::<Overlay>("overlay", &crate::read(p)?)
                .map_err(|e| Fatal(format!("{p}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Request::new(year, Date::end_of_year(year))
        .with_units(units)
        .with_sets(by_level)
        .with_overlays(overlays))
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The filled workbook (`.xlsx`), or one level sheet saved as CSV.
    workbook: String,
    /// The request the workbook was made for (file or data-set folder); or give the
    /// `--units`, `--year`, `--set` and `--overlay` it was made with.
    #[arg(long)]
    request: Option<String>,
    /// Without a request: the parts the template was made with.
    #[command(flatten)]
    parts: RequestParts,
    /// Print the whole request with the workbook's inputs (ready for `ntm evaluate` or
    /// `ntm report`) instead of the inputs alone.
    #[arg(long)]
    as_request: bool,
    /// The scope (default: the one the workbook names, else the root of the tree).
    #[arg(long)]
    scope: Option<String>,
    /// For a CSV file: the level of its sheet (default: from the file name, `Xã.csv`).
    #[arg(long, value_parser = ["village", "commune", "district", "province"])]
    level: Option<String>,
}

fn request_of(path: &str) -> Result<Request, Fatal> {
    let text = read_request(path)?;
    ntm_rules::model::from_json_with_limits::<Request>("request", &text, crate::limits())
        .map_err(|e| Fatal(format!("{path}: {e}")))
}

pub(crate) fn cmd_template(a: &TemplateArgs) -> Result<bool, Fatal> {
    let request = match &a.request {
        Some(path) => request_of(path)?,
        None => request_from_parts(&a.parts)?,
    };
    let name = a.request.as_deref().unwrap_or("template");
    let bytes = contract::entry_template(&request, a.scope.as_deref())
        .map_err(|e| Fatal(format!("{name}: {e}")))?;
    write_out(&a.out, &bytes)?;
    eprintln!("wrote {}", a.out);
    Ok(true)
}

fn level_of(path: &str, named: Option<&str>) -> Result<Level, Fatal> {
    let all = [
        Level::Village,
        Level::Commune,
        Level::District,
        Level::Province,
    ];
    if let Some(name) = named {
        return serde_json::from_value(serde_json::Value::String(name.to_owned()))
            .map_err(|e| Fatal(e.to_string()));
    }
    let stem = std::path::Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    all.into_iter()
        .find(|l| contract::level_sheet(*l) == stem || l.label(ntm_rules::model::Lang::En) == stem)
        .ok_or_else(|| {
            Fatal(format!(
                "{path}: name the level of this CSV sheet with --level (or name the file Thôn.csv, Xã.csv, Huyện.csv or Tỉnh.csv)"
            ))
        })
}

/// Reads a filled workbook (or CSV sheet) for `request`; prints its problems.
fn import(
    path: &str,
    request: &Request,
    scope: Option<&str>,
    level: Option<&str>,
) -> Result<EntryImport, Fatal> {
    let bytes = read_bytes(path)?;
    let imported = if is_workbook(&bytes) {
        contract::import_entry_with_limits(&bytes, request, scope, crate::limits())
    } else {
        let text = String::from_utf8(bytes)
            .map_err(|e| Fatal(format!("{path}: neither a workbook nor UTF-8 text: {e}")))?;
        contract::import_entry_csv_with_limits(
            &text,
            level_of(path, level)?,
            request,
            scope,
            crate::limits(),
        )
    }
    .map_err(|e| Fatal(format!("{path}: {e}")))?;
    for p in &imported.problems {
        eprintln!("{path}: {p}");
    }
    if !imported.history_not_read.is_empty() {
        let codes: Vec<&str> = imported
            .history_not_read
            .iter()
            .map(|u| u.as_str())
            .collect();
        eprintln!(
            "{path}: the history of {} unit(s) is not used, because they have no values in \
             their level sheet: {}",
            codes.len(),
            codes.join(", ")
        );
    }
    Ok(imported)
}

pub(crate) fn cmd_import(a: &ImportArgs) -> Result<bool, Fatal> {
    let request = match &a.request {
        Some(path) => request_of(path)?,
        None => request_from_parts(&a.parts)?,
    };
    let imported = import(
        &a.workbook,
        &request,
        a.scope.as_deref(),
        a.level.as_deref(),
    )?;
    let (count, problems) = (imported.inputs.len(), imported.problems.len());
    let text = if a.as_request {
        let inputs = imported
            .inputs
            .into_iter()
            .map(RequestInput::from)
            .collect();
        serde_json::to_string_pretty(&request.with_inputs(inputs))
    } else {
        serde_json::to_string_pretty(&imported.inputs)
    }
    .map_err(|e| Fatal(e.to_string()))?;
    outln!("{text}");
    eprintln!(
        "{}: {count} unit input(s), {problems} problem(s)",
        a.workbook
    );
    Ok(problems == 0)
}

/// The request at `path` with its inputs replaced by those of the filled workbook, and
/// whether the workbook had no problems.
pub(crate) fn request_with_workbook(path: &str, book: &str) -> Result<(Request, bool), Fatal> {
    let request = request_of(path)?;
    let imported = import(book, &request, None, None)?;
    let ok = imported.problems.is_empty();
    let inputs = imported
        .inputs
        .into_iter()
        .map(RequestInput::from)
        .collect();
    Ok((request.with_inputs(inputs), ok))
}
