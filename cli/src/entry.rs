//! `ntm template` and `ntm import`: data-entry workbooks for a request, and reading them
//! back as its unit inputs (also `--workbook` of `ntm evaluate` and `ntm report`).

use clap::Args;
use ntm_rules::contract::{self, EntryImport, Request, RequestInput};
use ntm_rules::model::{Level, Limits};

use crate::{is_workbook, read_bytes, read_request, write_out, Fatal};

#[derive(Debug, Args)]
pub(crate) struct TemplateArgs {
    /// The request whose tree, year and sets the workbook is for: a request file or a
    /// data-set folder with a `manifest.json` (sets by catalog id or file, overlays).
    request: String,
    /// The workbook to write (`.xlsx`).
    #[arg(long)]
    out: String,
    /// The unit whose tree the workbook covers (default: the root of the tree).
    #[arg(long)]
    scope: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The filled workbook (`.xlsx`), or one level sheet saved as CSV.
    workbook: String,
    /// The request the workbook was made for (file or data-set folder).
    #[arg(long)]
    request: String,
    /// The scope (default: the one the workbook names, else the root of the tree).
    #[arg(long)]
    scope: Option<String>,
    /// For a CSV file: the level of its sheet (default: from the file name, `Xã.csv`).
    #[arg(long, value_parser = ["village", "commune", "district", "province"])]
    level: Option<String>,
}

fn request_of(path: &str) -> Result<Request, Fatal> {
    let text = read_request(path)?;
    ntm_rules::model::from_json_with_limits::<Request>("request", &text, &Limits::default())
        .map_err(|e| Fatal(format!("{path}: {e}")))
}

pub(crate) fn cmd_template(a: &TemplateArgs) -> Result<bool, Fatal> {
    let request = request_of(&a.request)?;
    let bytes = contract::entry_template(&request, a.scope.as_deref())
        .map_err(|e| Fatal(format!("{}: {e}", a.request)))?;
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
        contract::import_entry(&bytes, request, scope)
    } else {
        let text = String::from_utf8(bytes)
            .map_err(|e| Fatal(format!("{path}: neither a workbook nor UTF-8 text: {e}")))?;
        contract::import_entry_csv(&text, level_of(path, level)?, request, scope)
    }
    .map_err(|e| Fatal(format!("{path}: {e}")))?;
    for p in &imported.problems {
        eprintln!("{path}: {p}");
    }
    Ok(imported)
}

pub(crate) fn cmd_import(a: &ImportArgs) -> Result<bool, Fatal> {
    let request = request_of(&a.request)?;
    let imported = import(
        &a.workbook,
        &request,
        a.scope.as_deref(),
        a.level.as_deref(),
    )?;
    let text = serde_json::to_string_pretty(&imported.inputs).map_err(|e| Fatal(e.to_string()))?;
    println!("{text}");
    eprintln!(
        "{}: {} unit input(s), {} problem(s)",
        a.workbook,
        imported.inputs.len(),
        imported.problems.len()
    );
    Ok(imported.problems.is_empty())
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
