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
//! ntm gaps data/bac_giang_2022 --unit 24 --tier standard
//! ntm roadmap examples/requests/province.json --unit U --tier standard --by 2025
//! ntm candidates data/bac_giang_2022 --lang en
//! ntm what-if data/bac_giang_2022 --changes changes.json
//! ntm sheet export vn-2021-2025-commune-standard > sheet.csv
//! ntm sheet import sheet.csv > overlay.json
//! ntm template data/bac_giang_2022_catalog --out nhap-lieu.xlsx
//! ntm import nhap-lieu.xlsx --request data/bac_giang_2022_catalog > inputs.json
//! ntm report data/bac_giang_2022_catalog --workbook nhap-lieu.xlsx --out report/
//! ```
//!
//! Files are read from a path or `-` for standard input; results go to standard output,
//! messages to standard error, naming the file and the location. Exit codes: 0 all is
//! well, 1 validation errors or failed test cases, 2 usage or I/O errors.

/// `print!` to standard output that ends the program quietly (exit 0) when the reader has
/// gone (`ntm catalog | head`) instead of panicking, and with exit 2 on any other write
/// error.
macro_rules! out {
    ($($t:tt)*) => { $crate::write_stdout(format_args!($($t)*)) };
}

/// `println!` with the behaviour of [`out!`].
macro_rules! outln {
    () => { $crate::write_stdout(format_args!("\n")) };
    ($($t:tt)*) => { $crate::write_stdout(format_args!("{}\n", format_args!($($t)*))) };
}

mod entry;
mod planning;

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ntm_rules::contract;
use ntm_rules::contract::Severity;
use ntm_rules::contract::{schema, SchemaKind};
use ntm_rules::model::{
    Confidence, CriteriaSet, History, IndicatorData, Label, Lang, Limit, Limits, Source,
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
    /// Change a limit on the input from its default, as `NAME=N` (`--limit
    /// max_units=200000`; repeatable). Names: max_bytes, max_depth, max_units,
    /// max_string_bytes, max_indicators, max_sets, max_profiles, max_rows, max_columns,
    /// max_cells, max_unzipped_bytes (README "Limits").
    #[arg(long = "limit", global = true, value_name = "NAME=N", value_parser = parse_limit)]
    limits: Vec<(Limit, usize)>,
    #[command(subcommand)]
    command: Command,
}

/// A `--limit NAME=N` argument.
fn parse_limit(arg: &str) -> Result<(Limit, usize), String> {
    let names = || {
        Limit::ALL
            .iter()
            .map(|l| l.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (name, n) = arg
        .split_once('=')
        .ok_or_else(|| format!("write NAME=N (max_units=200000); names: {}", names()))?;
    let limit = Limit::from_name(name.trim())
        .ok_or_else(|| format!("unknown limit `{name}`; names: {}", names()))?;
    let n = n
        .trim()
        .parse::<usize>()
        .map_err(|e| format!("`{n}` is not a whole number: {e}"))?;
    Ok((limit, n))
}

/// The limits of this run: the defaults, changed by `--limit`.
static LIMITS: std::sync::OnceLock<Limits> = std::sync::OnceLock::new();

/// Reads a JSON document of `what` within the limits in force (see [`limits`]).
pub(crate) fn parse<T: serde::de::DeserializeOwned>(
    what: &'static str,
    text: &str,
) -> Result<T, ntm_rules::model::LoadError> {
    ntm_rules::model::from_json_with_limits(what, text, limits())
}

/// The limits in force ([`LIMITS`], the defaults when not set).
pub(crate) fn limits() -> &'static Limits {
    LIMITS.get_or_init(Limits::default)
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
        /// A filled data-entry workbook (`ntm template`), or one level sheet as CSV: its
        /// units' inputs replace the request's (see `ntm import`).
        #[arg(long)]
        workbook: Option<String>,
    },
    /// Run a request and print the report of a unit (the plan's scope by default).
    Report {
        /// The request file (`-` for standard input), or a data-set folder with a
        /// `manifest.json`.
        request: String,
        /// Output format (`html`: one self-contained page, to redirect into a file).
        #[arg(long, value_parser = ["json", "csv", "text", "html"], default_value = "text")]
        format: String,
        /// Language of the text and HTML report.
        #[arg(long, value_parser = ["vi", "en"], default_value = "vi")]
        lang: String,
        /// Unit to report on (default: the plan's scope, else the root of the tree).
        #[arg(long)]
        scope: Option<String>,
        /// A filled data-entry workbook (`ntm template`), or one level sheet as CSV: its
        /// units' inputs replace the request's (see `ntm import`).
        #[arg(long)]
        workbook: Option<String>,
        /// Write the report as files into this folder: one CSV file per table (UTF-8
        /// with a BOM, for Excel) and `report.xlsx` with one sheet per table.
        #[arg(long)]
        out: Option<String>,
    },
    /// Write a data-entry workbook (.xlsx) for a request's tree and sets: one sheet per
    /// level, one row per unit, one column per indicator, with the thresholds, drop-down
    /// lists and a sheet explaining the codes.
    Template(entry::TemplateArgs),
    /// Read a filled data-entry workbook (or one level sheet saved as CSV) and print the
    /// unit inputs it gives (the `inputs` of a request, JSON); every bad cell is named
    /// (`Xã!F12`) on standard error and the other rows are still read.
    ///
    /// Exit code 1 when a cell is bad.
    Import(entry::ImportArgs),
    /// A unit's gaps to a target tier: every indicator short of its threshold with
    /// the shortfall, the undetermined ones with what is missing, the preconditions.
    Gaps(planning::GapsArgs),
    /// A unit's year-by-year roadmap to a tier: at most N criteria a year, cheapest
    /// first, with the year the tier is reached or why not.
    Roadmap(planning::RoadmapArgs),
    /// The least-cost units for "N more units at tier T" (default: the plan's targets).
    Candidates(planning::CandidatesArgs),
    /// Run a request again with hypothetical values or another year and print what
    /// changes (decisions, criteria met, summaries, plan targets) as a diff.
    WhatIf(planning::WhatIfArgs),
    /// Export a threshold sheet (CSV) or import a filled one as an overlay.
    Sheet {
        #[command(subcommand)]
        action: SheetAction,
    },
    /// Validate criteria sets, overlays, plans, indicator data, histories, policy test
    /// files or requests.
    ///
    /// The kind of each file is the one document type whose strict reader accepts it
    /// (name it with `--kind` when a file could be several, or to get that kind's
    /// errors). Criteria sets are checked one by one (structure, complete and
    /// non-overlapping threshold tables) and together (lower tiers present, no higher
    /// tier looser than a lower one). An overlay is applied to the sets it names (the
    /// set files given alongside or with `--set`, else the catalog's), so an entry for
    /// a set that does not exist or one that loosens a national value is an error.
    /// Indicator data is checked against the set files given alongside or with `--set`;
    /// without either it is an error (name the sets). A request is checked by running
    /// it (tree, sets, overlays, every unit's data).
    Validate {
        /// Files to validate (`-` for standard input).
        #[arg(required = true)]
        files: Vec<String>,
        /// The kind of every file: criteria-set, indicator-data, history, policy-tests,
        /// overlay, plan or request (default: recognised from each file's content).
        #[arg(long)]
        kind: Option<String>,
        /// Criteria sets to check data and overlays against: a catalog id or a set file
        /// (repeatable).
        #[arg(long = "set")]
        sets: Vec<String>,
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
    /// Write a set's threshold table: CSV for Excel (UTF-8 with a BOM, bilingual
    /// headers) to standard output, or a workbook with `--out FILE.xlsx`.
    Export {
        /// A catalog set id, or a criteria set file.
        set: String,
        /// Write to this file instead of standard output; a name ending in `.xlsx`
        /// writes a workbook.
        #[arg(long)]
        out: Option<String>,
    },
    /// Read a filled sheet (CSV, or an `.xlsx` workbook) and print the overlay of its
    /// changed lines as JSON.
    ///
    /// CSV as Excel saves it is read: a BOM, `,` `;` or tab between fields, `.` or `,`
    /// decimals, `có`/`không` for yes/no, English or Vietnamese headers.
    Import {
        /// The sheet (`-` for standard input; a workbook is recognised by its content).
        sheet: String,
        /// The set the sheet is for: a catalog id or a criteria set file (default: the
        /// catalog set named in the sheet's `set_id` column).
        #[arg(long)]
        set: Option<String>,
        /// Id of the overlay to make.
        #[arg(long, default_value = "sheet-import")]
        id: String,
        /// Who issued the values (the overlay's authority), in Vietnamese
        /// (`UBND tỉnh Bắc Giang`).
        #[arg(long, default_value = "(chưa ghi)")]
        authority: String,
        /// The authority in English (default: as `--authority`, or "(not given)").
        #[arg(long)]
        authority_en: Option<String>,
        /// The document the filled values come from.
        #[arg(long, default_value = "threshold sheet")]
        document: String,
        /// The part of the document (`Điều 2`).
        #[arg(long)]
        part: Option<String>,
        /// Confidence of the filled values: confirmed, reported, unverified or
        /// illustrative.
        #[arg(long, default_value = "unverified",
              value_parser = ["confirmed", "reported", "unverified", "illustrative"])]
        confidence: String,
    },
}

/// An error that ends the command with exit code 2.
struct Fatal(String);

/// Writes to standard output; see [`out!`].
fn write_stdout(args: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(2);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let limits = cli
        .limits
        .iter()
        .fold(Limits::default(), |l, &(limit, n)| l.with(limit, n));
    // Set once, before anything reads it.
    let _ = LIMITS.set(limits);
    let result = match cli.command {
        Command::Catalog { json } => cmd_catalog(json),
        Command::Schema { kind } => cmd_schema(&kind),
        Command::Evaluate { request, workbook } => cmd_evaluate(&request, workbook.as_deref()),
        Command::Report {
            request,
            format,
            lang,
            scope,
            workbook,
            out,
        } => cmd_report(
            &request,
            &ReportArgs {
                format: &format,
                lang: &lang,
                scope: scope.as_deref(),
                workbook: workbook.as_deref(),
                out: out.as_deref(),
            },
        ),
        Command::Template(a) => entry::cmd_template(&a),
        Command::Import(a) => entry::cmd_import(&a),
        Command::Gaps(a) => planning::cmd_gaps(&a),
        Command::Roadmap(a) => planning::cmd_roadmap(&a),
        Command::Candidates(a) => planning::cmd_candidates(&a),
        Command::WhatIf(a) => planning::cmd_what_if(&a),
        Command::Sheet { action } => cmd_sheet(action),
        Command::Validate { files, kind, sets } => cmd_validate(&files, kind.as_deref(), &sets),
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
    outln!("{text}");
    Ok(true)
}

/// The document kinds `validate` reads, in the order they are tried.
const DOCUMENT_KINDS: [SchemaKind; 7] = [
    SchemaKind::CriteriaSet,
    SchemaKind::Overlay,
    SchemaKind::IndicatorData,
    SchemaKind::History,
    SchemaKind::PolicyTests,
    SchemaKind::Plan,
    SchemaKind::Request,
];

/// A file read as one document kind.
enum Document {
    Set(Box<CriteriaSet>),
    Overlay(Box<Overlay>),
    Data(IndicatorData),
    Request,
    Other,
}

/// Reads `text` with the strict reader of `kind` (unknown fields refused).
fn read_as(kind: SchemaKind, text: &str) -> Result<Document, String> {
    let e = |e: ntm_rules::model::LoadError| e.to_string();
    Ok(match kind {
        SchemaKind::CriteriaSet => Document::Set(Box::new(
            parse::<CriteriaSet>("criteria set", text).map_err(e)?,
        )),
        SchemaKind::Overlay => {
            Document::Overlay(Box::new(parse::<Overlay>("overlay", text).map_err(e)?))
        }
        SchemaKind::IndicatorData => {
            Document::Data(parse::<IndicatorData>("indicator data", text).map_err(e)?)
        }
        SchemaKind::History => parse::<History>("recognition history", text)
            .map(|_| Document::Other)
            .map_err(e)?,
        SchemaKind::PolicyTests => parse::<PolicyTests>("policy test cases", text)
            .map(|_| Document::Other)
            .map_err(e)?,
        SchemaKind::Plan => parse::<ntm_rules::tree::Plan>("plan", text)
            .map(|_| Document::Other)
            .map_err(e)?,
        SchemaKind::Request => {
            ntm_rules::model::from_json_with_limits::<contract::Request>("request", text, limits())
                .map(|_| Document::Request)
                .map_err(e)?
        }
        _ => {
            return Err(format!(
                "a {} is not a document `validate` reads",
                kind.name()
            ))
        }
    })
}

/// The kind a file most looks like, from its top-level keys: only to choose whose
/// errors to show when no strict reader accepts it.
fn looks_like(value: &serde_json::Value) -> Option<SchemaKind> {
    let obj = value.as_object()?;
    if obj.contains_key("inputs") && obj.contains_key("units") {
        Some(SchemaKind::Request)
    } else if obj.contains_key("authority") {
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

/// Reads a file as the kind named, or as the one kind whose strict reader accepts it.
fn recognise(
    text: &str,
    value: &serde_json::Value,
    kind: Option<SchemaKind>,
) -> Result<(SchemaKind, Document), String> {
    if let Some(kind) = kind {
        return read_as(kind, text).map(|d| (kind, d));
    }
    let mut read: Vec<(SchemaKind, Document)> = DOCUMENT_KINDS
        .iter()
        .filter_map(|&k| read_as(k, text).ok().map(|d| (k, d)))
        .collect();
    match read.len() {
        1 => read.pop().ok_or_else(String::new),
        0 => match looks_like(value) {
            Some(kind) => read_as(kind, text).map(|d| (kind, d)),
            None => Err(
                "not a criteria set, overlay, plan, indicator data, history, policy \
                 test file or request; name the kind with --kind to see why"
                    .to_owned(),
            ),
        },
        _ => {
            let names: Vec<&str> = read.iter().map(|(k, _)| k.name()).collect();
            Err(format!(
                "reads as several kinds ({}); name one with --kind",
                names.join(", ")
            ))
        }
    }
}

fn cmd_validate(files: &[String], kind: Option<&str>, set_args: &[String]) -> Result<bool, Fatal> {
    let kind = match kind {
        None => None,
        Some(name) => Some(
            SchemaKind::from_name(name)
                .filter(|k| DOCUMENT_KINDS.contains(k))
                .ok_or_else(|| {
                    let names: Vec<&str> = DOCUMENT_KINDS.iter().map(|k| k.name()).collect();
                    Fatal(format!(
                        "unknown kind `{name}`; one of: {}",
                        names.join(", ")
                    ))
                })?,
        ),
    };
    let named: Vec<CriteriaSet> = set_args
        .iter()
        .map(|a| set_from(a))
        .collect::<Result<_, _>>()?;
    let mut ok = true;
    let mut sets: Vec<(String, CriteriaSet)> = Vec::new();
    let mut data: Vec<(String, IndicatorData)> = Vec::new();
    let mut overlays: Vec<(String, Overlay)> = Vec::new();
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
        match recognise(&text, &value, kind) {
            Ok((_, Document::Set(s))) => sets.push((path.clone(), *s)),
            Ok((_, Document::Data(d))) => data.push((path.clone(), d)),
            Ok((_, Document::Overlay(o))) => overlays.push((path.clone(), *o)),
            Ok((_, Document::Request)) => {
                // A request is validated by running it: tree, sets, overlays, every
                // unit's data (units not in the tree, duplicates, bad values).
                // Warnings (a value no set reads, a profile without its region) are
                // printed too; only errors fail.
                let response = contract::response_for(&text, limits());
                print_diagnostics(path, &response);
                if !response.ok || response.has_errors() {
                    ok = false;
                }
            }
            Ok((_, Document::Other)) => {}
            Err(e) => {
                eprintln!("{path}: {e}");
                ok = false;
            }
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
    // The sets given, files first, then `--set`.
    let mut given = all_sets;
    for s in named {
        if !given.iter().any(|g| g.id == s.id) {
            given.push(s);
        }
    }
    if !overlays.is_empty() {
        // Overlays apply to the sets given, and to the catalog's for the ids not given.
        let mut against = given.clone();
        for s in catalog::load_all().map_err(|e| Fatal(e.to_string()))? {
            if !against.iter().any(|g| g.id == s.id) {
                against.push(s);
            }
        }
        for (path, overlay) in &overlays {
            let one = std::slice::from_ref(overlay);
            let mut problems = policy::entries_for_unknown_sets(one, against.iter().map(|s| &s.id));
            for set in against.iter().filter(|s| {
                overlay.thresholds.iter().any(|e| e.set == s.id)
                    || overlay.indicators.iter().any(|e| e.set == s.id)
            }) {
                if let Err(e) = policy::apply_overlays(set, one) {
                    problems.extend(e.problems().iter().cloned());
                }
            }
            for problem in problems {
                eprintln!("{path}: {problem}");
                ok = false;
            }
        }
    }
    if !data.is_empty() {
        if given.is_empty() {
            for (path, _) in &data {
                eprintln!(
                    "{path}: indicator data is checked against criteria sets: give the set \
                     files alongside, or name them with --set (a catalog id or a file)"
                );
            }
            ok = false;
        } else {
            let units: Vec<IndicatorData> = data.iter().map(|(_, d)| d.clone()).collect();
            for issue in policy::validate_data(&given, &units) {
                let path = data.get(issue.index).map_or("", |(p, _)| p.as_str());
                eprintln!("{path}: {issue}");
                ok = false;
            }
        }
    }
    if ok {
        eprintln!("{} file(s) valid", files.len());
    }
    Ok(ok)
}

fn cmd_test(cases: &str, set_files: &[String]) -> Result<bool, Fatal> {
    let tests = parse::<PolicyTests>("policy test cases", &read(cases)?)
        .map_err(|e| Fatal(format!("{cases}: {e}")))?;
    let mut sets = Vec::new();
    for path in set_files {
        let set = parse::<CriteriaSet>("criteria set", &read(path)?)
            .map_err(|e| Fatal(format!("{path}: {e}")))?;
        sets.push(set);
    }
    sets.extend(illustrative::commune_sets());
    sets.extend(catalog::load_all().map_err(|e| Fatal(e.to_string()))?);
    let report = policy::run_tests(&tests, &sets);
    outln!("{cases}");
    outln!("{report}");
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
        outln!(
            "{}",
            serde_json::to_string_pretty(&out).map_err(|e| Fatal(e.to_string()))?
        );
        return Ok(true);
    }
    outln!("Built-in criteria sets (every set is partial: unknown thresholds are data, never guesses)\n");
    for e in catalog::entries() {
        outln!(
            "  {:<34} {:<22} {:<9} {:<9} {}",
            e.id,
            e.scheme,
            e.level.label(Lang::En),
            e.tier,
            e.title
        );
    }
    outln!("\nCoverage: indicators and threshold cells by confidence");
    outln!("(conf = confirmed, rep = reported, unv = unverified, ill = illustrative,");
    outln!(" part = indicator partly known, unk = unknown, del = delegated to the province)\n");
    outln!("{coverage}");
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

fn cmd_evaluate(path: &str, workbook: Option<&str>) -> Result<bool, Fatal> {
    let (text, filled) = match workbook {
        Some(book) => {
            let (request, ok) = entry::request_with_workbook(path, book)?;
            (
                serde_json::to_string(&request).map_err(|e| Fatal(e.to_string()))?,
                ok,
            )
        }
        None => (read_request(path)?, true),
    };
    progress(&format!("evaluating {path} ({} bytes)...", text.len()));
    let response = contract::response_for(&text, limits());
    progress_done();
    outln!("{}", response.to_json());
    print_diagnostics(path, &response);
    Ok(filled && response.ok && !response.has_errors())
}

/// The options of `ntm report`.
struct ReportArgs<'a> {
    format: &'a str,
    lang: &'a str,
    scope: Option<&'a str>,
    workbook: Option<&'a str>,
    out: Option<&'a str>,
}

fn cmd_report(path: &str, args: &ReportArgs<'_>) -> Result<bool, Fatal> {
    let (request, filled) = match args.workbook {
        Some(book) => entry::request_with_workbook(path, book)?,
        None => {
            let text = read_request(path)?;
            let request = ntm_rules::model::from_json_with_limits::<contract::Request>(
                "request",
                &text,
                limits(),
            )
            .map_err(|e| Fatal(format!("{path}: {e}")))?;
            (request, true)
        }
    };
    progress(&format!("evaluating {path}..."));
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
        .report(args.scope)
        .map_err(|e| Fatal(format!("{path}: {e}")))?;
    let lang = if args.lang == "en" {
        Lang::En
    } else {
        Lang::Vi
    };
    if let Some(dir) = args.out {
        let written = report
            .write_files(dir, lang)
            .map_err(|e| Fatal(format!("{dir}: {e}")))?;
        for file in written {
            eprintln!("wrote {file}");
        }
    } else {
        match args.format {
            "json" => outln!("{}", report.to_json()),
            "csv" => {
                let tables = report.to_csv().map_err(|e| Fatal(e.to_string()))?;
                for (i, t) in tables.iter().enumerate() {
                    if i > 0 {
                        outln!();
                    }
                    outln!("# {}", t.name);
                    out!("{}", t.content);
                }
            }
            "html" => out!(
                "{}",
                report
                    .to_html(lang)
                    .map_err(|e| Fatal(format!("{path}: {e}")))?
            ),
            _ => out!("{}", report.to_text(lang)),
        }
    }
    let response = run.response();
    print_diagnostics(path, &response);
    Ok(filled && !response.has_errors())
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
    parse::<CriteriaSet>("criteria set", &text).map_err(|e| Fatal(format!("{arg}: {e}")))
}

/// Whether bytes are a zip archive, as every `.xlsx` workbook is.
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn read_bytes(path: &str) -> Result<Vec<u8>, Fatal> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Fatal(format!("<stdin>: {e}")))?;
        Ok(bytes)
    } else {
        std::fs::read(path).map_err(|e| Fatal(format!("{path}: {e}")))
    }
}

fn write_out(path: &str, bytes: &[u8]) -> Result<(), Fatal> {
    std::fs::write(path, bytes).map_err(|e| Fatal(format!("{path}: {e}")))
}

fn cmd_sheet(action: SheetAction) -> Result<bool, Fatal> {
    match action {
        SheetAction::Export { set, out } => {
            let set = set_from(&set)?;
            match out {
                Some(path) if path.ends_with(".xlsx") => {
                    let bytes =
                        policy::export_sheet_xlsx(&set).map_err(|e| Fatal(e.to_string()))?;
                    write_out(&path, &bytes)?;
                }
                Some(path) => {
                    let csv = policy::export_sheet(&set).map_err(|e| Fatal(e.to_string()))?;
                    write_out(&path, csv.as_bytes())?;
                }
                None => {
                    let csv = policy::export_sheet(&set).map_err(|e| Fatal(e.to_string()))?;
                    out!("{csv}");
                }
            }
            Ok(true)
        }
        SheetAction::Import {
            sheet: path,
            set,
            id,
            authority,
            authority_en,
            document,
            part,
            confidence,
        } => {
            let bytes = read_bytes(&path)?;
            let workbook = is_workbook(&bytes);
            let text = if workbook {
                String::new()
            } else {
                String::from_utf8(bytes.clone())
                    .map_err(|e| Fatal(format!("{path}: neither a workbook nor UTF-8 text: {e}")))?
            };
            let set = match set {
                Some(s) => set_from(&s)?,
                None => {
                    let id = if workbook {
                        policy::sheet_set_id_xlsx(&bytes)
                    } else {
                        policy::sheet_set_id(&text)
                    }
                    .ok_or_else(|| {
                        Fatal(format!(
                            "{path}: no set id in the sheet's `set_id` column; name the set with --set"
                        ))
                    })?;
                    set_from(&id)?
                }
            };
            let confidence: Confidence =
                serde_json::from_value(serde_json::Value::String(confidence))
                    .map_err(|e| Fatal(e.to_string()))?;
            let authority_en = authority_en.unwrap_or_else(|| {
                if authority == "(chưa ghi)" {
                    "(not given)".to_owned()
                } else {
                    authority.clone()
                }
            });
            let mut source = Source::document(document);
            source.part = part;
            let overlay = Overlay::new(id, Label::new(authority, authority_en), source, confidence);
            let imported = if workbook {
                policy::import_sheet_xlsx_with_limits(&bytes, &set, overlay, limits())
            } else {
                policy::import_sheet_with_limits(&text, &set, overlay, limits())
            };
            match imported {
                Ok(overlay) => {
                    outln!("{}", overlay.to_json());
                    Ok(true)
                }
                Err(e) => {
                    for p in e.problems() {
                        eprintln!("{path}: {p}");
                    }
                    Ok(false)
                }
            }
        }
    }
}
