//! `ntm`: the command line over ntm-rules' JSON contract. Install it with
//! `cargo install --path cli` (from the repository) or run it with `cargo run -p ntm-cli --`.
//!
//! ```text
//! ntm --help
//! ntm catalog
//! ntm schema request
//! ntm validate data/catalog/*.json
//! ntm evaluate examples/requests/province.json
//! ntm report examples/requests/province.json --format text --lang en
//! ntm test data/illustrative/policy_tests.json
//! ntm sheet export vn-2021-2025-commune-standard > sheet.csv
//! ntm sheet import sheet.csv > overlay.json
//! ```
//!
//! Files are read from a path or `-` for standard input; results go to standard output,
//! messages to standard error, naming the file and the location. Exit codes: 0 all is
//! well, 1 validation errors or failed test cases, 2 usage or I/O errors.

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ntm_rules::contract;
use ntm_rules::contract::Severity;
use ntm_rules::contract::{schema, SchemaKind};
use ntm_rules::model::{
    Confidence, CriteriaSet, History, IndicatorData, Label, Lang, Limits, Source,
};
use ntm_rules::policy;
use ntm_rules::policy::CoverageReport;
use ntm_rules::policy::Overlay;
use ntm_rules::policy::PolicyTests;
use ntm_rules::policy::{catalog, illustrative};

/// Vietnam's New Rural Development (Nông thôn mới) criteria as executable rules.
#[derive(Debug, Parser)]
#[command(name = "ntm", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the built-in criteria sets and how much of each is known.
    Catalog {
        /// Print the list and coverage as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON Schema of a file format.
    Schema {
        /// criteria-set, indicator-data, history, policy-tests, overlay, plan, request
        /// or response.
        kind: String,
    },
    /// Run a request (units, data, sets, plan) and print the response as JSON.
    ///
    /// Exit code 1 when the response has errors (a malformed unit, bad data, an
    /// invalid tree); the other units are still in the response.
    Evaluate {
        /// The request file (`-` for standard input), or a data-set folder with a
        /// `manifest.json`.
        request: String,
    },
    /// Run a request and print the report of a unit (the plan's scope by default).
    Report {
        /// The request file (`-` for standard input), or a data-set folder with a
        /// `manifest.json`.
        request: String,
        /// Output format.
        #[arg(long, value_parser = ["json", "csv", "text"], default_value = "text")]
        format: String,
        /// Language of the text report.
        #[arg(long, value_parser = ["vi", "en"], default_value = "vi")]
        lang: String,
        /// Unit to report on (default: the plan's scope, else the root of the tree).
        #[arg(long)]
        scope: Option<String>,
    },
    /// Export a threshold sheet (CSV) or import a filled one as an overlay.
    Sheet {
        #[command(subcommand)]
        action: SheetAction,
    },
    /// Validate criteria sets, overlays, plans, indicator data, histories, policy test
    /// files or requests.
    ///
    /// The kind of each file is recognised from its content. Criteria sets are checked
    /// one by one (structure, complete and non-overlapping threshold tables) and
    /// together (lower tiers present, no higher tier looser than a lower one); indicator
    /// data is checked against the criteria sets given alongside (or the illustrative
    /// sets when none is given); a request is checked by running it (tree, sets,
    /// overlays, every unit's data).
    Validate {
        /// Files to validate (`-` for standard input).
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Run a policy test-case file and print a pass/fail summary with diffs.
    Test {
        /// The test-case file (`-` for standard input).
        cases: String,
        /// Criteria set files the cases refer to (the illustrative sets and the catalog
        /// are built in).
        #[arg(long = "set")]
        sets: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
enum SheetAction {
    /// Write a set's threshold table as CSV to standard output.
    Export {
        /// A catalog set id, or a criteria set file.
        set: String,
    },
    /// Read a filled sheet and print the overlay of its changed lines as JSON.
    Import {
        /// The sheet (`-` for standard input).
        sheet: String,
        /// The set the sheet is for: a catalog id or a criteria set file (default: the
        /// catalog set named in the sheet's `set_id` column).
        #[arg(long)]
        set: Option<String>,
        /// Id of the overlay to make.
        #[arg(long, default_value = "sheet-import")]
        id: String,
        /// The document the filled values come from.
        #[arg(long, default_value = "threshold sheet")]
        document: String,
    },
}

/// An error that ends the command with exit code 2.
struct Fatal(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Catalog { json } => cmd_catalog(json),
        Command::Schema { kind } => cmd_schema(&kind),
        Command::Evaluate { request } => cmd_evaluate(&request),
        Command::Report {
            request,
            format,
            lang,
            scope,
        } => cmd_report(&request, &format, &lang, scope.as_deref()),
        Command::Sheet { action } => cmd_sheet(action),
        Command::Validate { files } => cmd_validate(&files),
        Command::Test { cases, sets } => cmd_test(&cases, &sets),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(Fatal(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// A request's text: the file, standard input (`-`), or a data-set folder (its
/// `manifest.json` and the files it names, read as a request).
fn read_request(path: &str) -> Result<String, Fatal> {
    let dir = std::path::Path::new(path);
    if path != "-" && dir.is_dir() {
        let request =
            contract::Request::from_dir(dir).map_err(|e| Fatal(format!("{path}: {e}")))?;
        return serde_json::to_string(&request).map_err(|e| Fatal(format!("{path}: {e}")));
    }
    read(path)
}

fn read(path: &str) -> Result<String, Fatal> {
    if path == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Fatal(format!("<stdin>: {e}")))?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).map_err(|e| Fatal(format!("{path}: {e}")))
    }
}

fn cmd_schema(kind: &str) -> Result<bool, Fatal> {
    let kind = SchemaKind::from_name(kind).ok_or_else(|| {
        let names: Vec<&str> = SchemaKind::ALL.iter().map(|k| k.name()).collect();
        Fatal(format!(
            "unknown schema kind `{kind}`; one of: {}",
            names.join(", ")
        ))
    })?;
    let text = serde_json::to_string_pretty(&schema(kind)).map_err(|e| Fatal(e.to_string()))?;
    println!("{text}");
    Ok(true)
}

/// What a file holds, recognised from its top-level keys.
fn recognise(value: &serde_json::Value) -> Option<SchemaKind> {
    let obj = value.as_object()?;
    if obj.contains_key("inputs") && obj.contains_key("units") {
        Some(SchemaKind::Request)
    } else if obj.contains_key("thresholds") && obj.contains_key("authority") {
        Some(SchemaKind::Overlay)
    } else if obj.contains_key("targets") {
        Some(SchemaKind::Plan)
    } else if obj.contains_key("criteria") {
        Some(SchemaKind::CriteriaSet)
    } else if obj.contains_key("cases") {
        Some(SchemaKind::PolicyTests)
    } else if obj.contains_key("events") {
        Some(SchemaKind::History)
    } else if obj.contains_key("unit") {
        Some(SchemaKind::IndicatorData)
    } else {
        None
    }
}

fn cmd_validate(files: &[String]) -> Result<bool, Fatal> {
    let mut ok = true;
    let mut sets: Vec<(String, CriteriaSet)> = Vec::new();
    let mut data: Vec<(String, IndicatorData)> = Vec::new();
    for path in files {
        let text = read(path)?;
        let value: serde_json::Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("{path}: not JSON: {e}");
                ok = false;
                continue;
            }
        };
        let Some(kind) = recognise(&value) else {
            eprintln!("{path}: not a criteria set, overlay, plan, indicator data, history, policy test file or request");
            ok = false;
            continue;
        };
        let loaded = match kind {
            SchemaKind::CriteriaSet => {
                CriteriaSet::from_json(&text).map(|s| sets.push((path.clone(), s)))
            }
            SchemaKind::IndicatorData => {
                IndicatorData::from_json(&text).map(|d| data.push((path.clone(), d)))
            }
            SchemaKind::History => History::from_json(&text).map(|_| ()),
            SchemaKind::PolicyTests => PolicyTests::from_json(&text).map(|_| ()),
            SchemaKind::Overlay => Overlay::from_json(&text).map(|_| ()),
            SchemaKind::Plan => ntm_rules::tree::Plan::from_json(&text).map(|_| ()),
            SchemaKind::Request => {
                // A request is validated by running it: tree, sets, overlays, every
                // unit's data (units not in the tree, duplicates, bad values).
                let response = contract::response_for(&text, &Limits::default());
                if !response.ok || response.has_errors() {
                    print_diagnostics(path, &response);
                    ok = false;
                }
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(e) = loaded {
            eprintln!("{path}: {e}");
            ok = false;
        }
    }
    for (path, set) in &sets {
        for problem in policy::validate_set(set) {
            eprintln!("{path}: {problem}");
            ok = false;
        }
    }
    let all_sets: Vec<CriteriaSet> = sets.iter().map(|(_, s)| s.clone()).collect();
    for problem in policy::validate_tiers(&all_sets) {
        let path = sets
            .iter()
            .find(|(_, s)| problem.location.set.as_ref() == Some(&s.id))
            .map_or("", |(p, _)| p.as_str());
        eprintln!("{path}: {problem}");
        ok = false;
    }
    if !data.is_empty() {
        let against = if all_sets.is_empty() {
            illustrative::commune_sets()
        } else {
            all_sets
        };
        let units: Vec<IndicatorData> = data.iter().map(|(_, d)| d.clone()).collect();
        for issue in policy::validate_data(&against, &units) {
            let path = data.get(issue.index).map_or("", |(p, _)| p.as_str());
            eprintln!("{path}: {issue}");
            ok = false;
        }
    }
    if ok {
        eprintln!("{} file(s) valid", files.len());
    }
    Ok(ok)
}

fn cmd_test(cases: &str, set_files: &[String]) -> Result<bool, Fatal> {
    let tests =
        PolicyTests::from_json(&read(cases)?).map_err(|e| Fatal(format!("{cases}: {e}")))?;
    let mut sets = Vec::new();
    for path in set_files {
        let set =
            CriteriaSet::from_json(&read(path)?).map_err(|e| Fatal(format!("{path}: {e}")))?;
        sets.push(set);
    }
    sets.extend(illustrative::commune_sets());
    sets.extend(catalog::load_all().map_err(|e| Fatal(e.to_string()))?);
    let report = policy::run_tests(&tests, &sets);
    println!("{cases}");
    println!("{report}");
    Ok(report.failed() == 0)
}

fn cmd_catalog(json: bool) -> Result<bool, Fatal> {
    let sets = catalog::load_all().map_err(|e| Fatal(e.to_string()))?;
    let coverage = CoverageReport::of(&sets);
    if json {
        let entries: Vec<serde_json::Value> = catalog::entries()
            .iter()
            .map(|e| {
                serde_json::json!({
                    "id": e.id, "scheme": e.scheme, "level": e.level, "tier": e.tier,
                    "title": e.title, "documents": e.documents, "partial": e.partial,
                })
            })
            .collect();
        let out = serde_json::json!({ "sets": entries, "coverage": coverage });
        println!(
            "{}",
            serde_json::to_string_pretty(&out).map_err(|e| Fatal(e.to_string()))?
        );
        return Ok(true);
    }
    println!("Built-in criteria sets (every set is partial: unknown thresholds are data, never guesses)\n");
    for e in catalog::entries() {
        println!(
            "  {:<34} {:<22} {:<9} {:<9} {}",
            e.id,
            e.scheme,
            e.level.label(Lang::En),
            e.tier,
            e.title
        );
    }
    println!("\nCoverage: indicators and threshold cells by confidence");
    println!("(conf = confirmed, rep = reported, unv = unverified, ill = illustrative,");
    println!(" part = indicator partly known, unk = unknown, del = delegated to the province)\n");
    println!("{coverage}");
    Ok(true)
}

/// Progress on standard error when it is a terminal (large inputs take a moment).
fn progress(message: &str) {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        eprint!("\r{message}\x1b[K");
    }
}

fn progress_done() {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[K");
    }
}

fn print_diagnostics(path: &str, response: &contract::Response) {
    for d in &response.diagnostics {
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if d.location.is_unknown() {
            eprintln!("{path}: {severity}: {}", d.message);
        } else {
            eprintln!("{path}: {severity}: {}: {}", d.location, d.message);
        }
    }
}

fn cmd_evaluate(path: &str) -> Result<bool, Fatal> {
    let text = read_request(path)?;
    progress(&format!("evaluating {path} ({} bytes)...", text.len()));
    let response = contract::response_for(&text, &Limits::default());
    progress_done();
    println!("{}", response.to_json());
    print_diagnostics(path, &response);
    Ok(response.ok && !response.has_errors())
}

fn cmd_report(path: &str, format: &str, lang: &str, scope: Option<&str>) -> Result<bool, Fatal> {
    let text = read_request(path)?;
    progress(&format!("evaluating {path} ({} bytes)...", text.len()));
    let request = ntm_rules::model::from_json_with_limits::<contract::Request>(
        "request",
        &text,
        &Limits::default(),
    )
    .map_err(|e| Fatal(format!("{path}: {e}")))?;
    let run = match contract::run(request) {
        Ok(run) => run,
        Err(response) => {
            progress_done();
            print_diagnostics(path, response.response());
            return Ok(false);
        }
    };
    progress_done();
    let report = run
        .report(scope)
        .map_err(|e| Fatal(format!("{path}: {e}")))?;
    match format {
        "json" => println!("{}", report.to_json()),
        "csv" => {
            let tables = report.to_csv().map_err(|e| Fatal(e.to_string()))?;
            for (i, t) in tables.iter().enumerate() {
                if i > 0 {
                    println!();
                }
                println!("# {}", t.name);
                print!("{}", t.content);
            }
        }
        _ => print!(
            "{}",
            report.to_text(if lang == "en" { Lang::En } else { Lang::Vi })
        ),
    }
    let response = run.response();
    print_diagnostics(path, &response);
    Ok(!response.has_errors())
}

/// A set given as a catalog id or a file.
fn set_from(arg: &str) -> Result<CriteriaSet, Fatal> {
    if let Ok(set) = catalog::load(arg) {
        return Ok(set);
    }
    let text = read(arg).map_err(|e| {
        Fatal(format!(
            "`{arg}` is neither a catalog id nor a readable file ({})",
            e.0
        ))
    })?;
    CriteriaSet::from_json(&text).map_err(|e| Fatal(format!("{arg}: {e}")))
}

fn cmd_sheet(action: SheetAction) -> Result<bool, Fatal> {
    match action {
        SheetAction::Export { set } => {
            let set = set_from(&set)?;
            let csv = policy::export_sheet(&set).map_err(|e| Fatal(e.to_string()))?;
            print!("{csv}");
            Ok(true)
        }
        SheetAction::Import {
            sheet: path,
            set,
            id,
            document,
        } => {
            let text = read(&path)?;
            let set = match set {
                Some(s) => set_from(&s)?,
                None => {
                    let id = text
                        .lines()
                        .nth(1)
                        .and_then(|l| l.split(',').next())
                        .map(|s| s.trim_matches('"').to_owned())
                        .ok_or_else(|| Fatal(format!("{path}: the sheet has no lines")))?;
                    set_from(&id)?
                }
            };
            let overlay = Overlay::new(
                id,
                Label::new("(chưa ghi)", "(not given)"),
                Source::document(document),
                Confidence::Unverified,
            );
            match policy::import_sheet(&text, &set, overlay) {
                Ok(overlay) => {
                    println!("{}", overlay.to_json());
                    Ok(true)
                }
                Err(e) => {
                    eprintln!("{path}: {e}");
                    Ok(false)
                }
            }
        }
    }
}
