//! `ntm`: the command line over ntm-rules' JSON contract.
//!
//! ```text
//! cargo run --example ntm -- --help
//! cargo run --example ntm -- schema criteria-set
//! cargo run --example ntm -- validate data/illustrative/commune_standard.json
//! cargo run --example ntm -- test data/illustrative/policy_tests.json
//! ```
//!
//! Files are read from a path or `-` for standard input; results go to standard output,
//! messages to standard error, naming the file and the location. Exit codes: 0 all is
//! well, 1 validation errors or failed test cases, 2 usage or I/O errors.

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ntm_rules::policy_tests::{self, PolicyTests};
use ntm_rules::schema::{schema, SchemaKind};
use ntm_rules::{illustrative, validate, CriteriaSet, History, IndicatorData};

/// Vietnam's New Rural Development (Nông thôn mới) criteria as executable rules.
#[derive(Debug, Parser)]
#[command(name = "ntm", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the JSON Schema of a file format.
    Schema {
        /// criteria-set, indicator-data, history or policy-tests.
        kind: String,
    },
    /// Validate criteria sets, indicator data, histories or policy test files.
    ///
    /// The kind of each file is recognised from its content. Criteria sets are checked
    /// one by one (structure, complete and non-overlapping threshold tables) and
    /// together (lower tiers present, no higher tier looser than a lower one); indicator
    /// data is checked against the criteria sets given alongside (or the illustrative
    /// sets when none is given).
    Validate {
        /// Files to validate (`-` for standard input).
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Run a policy test-case file and print a pass/fail summary with diffs.
    Test {
        /// The test-case file (`-` for standard input).
        cases: String,
        /// Criteria set files the cases refer to (the illustrative sets are built in).
        #[arg(long = "set")]
        sets: Vec<String>,
    },
}

/// An error that ends the command with exit code 2.
struct Fatal(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Schema { kind } => cmd_schema(&kind),
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
    if obj.contains_key("criteria") {
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
            eprintln!("{path}: not a criteria set, indicator data, history or policy test file");
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
            _ => Ok(()),
        };
        if let Err(e) = loaded {
            eprintln!("{path}: {e}");
            ok = false;
        }
    }
    for (path, set) in &sets {
        for problem in validate::validate_set(set) {
            eprintln!("{path}: {problem}");
            ok = false;
        }
    }
    let all_sets: Vec<CriteriaSet> = sets.iter().map(|(_, s)| s.clone()).collect();
    for problem in validate::validate_tiers(&all_sets) {
        let path = sets
            .iter()
            .find(|(_, s)| s.id == problem.location.set)
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
        for issue in validate::validate_data(&against, &units) {
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
    let report = policy_tests::run(&tests, &sets);
    println!("{cases}");
    println!("{report}");
    Ok(report.failed() == 0)
}
