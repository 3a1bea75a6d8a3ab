//! Runs a policy test-case file and prints a pass/fail summary with a diff per failure.
//!
//! ```text
//! cargo run --example policy_test -- data/illustrative/policy_tests.json
//! cargo run --example policy_test -- cases.json --set my_set.json --set other.json
//! ```
//!
//! Sets named in the file are looked up among the `--set` files, then the built-in
//! illustrative sets and the built-in catalog. Exit code: 0 all passed, 1 a case failed, 2 usage or I/O error.

use std::process::ExitCode;

use ntm_rules::model::CriteriaSet;
use ntm_rules::policy::illustrative;
use ntm_rules::policy::{run_tests, PolicyTests};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut file = None;
    let mut set_files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--set" => match it.next() {
                Some(p) => set_files.push(p.clone()),
                None => return usage("--set needs a file"),
            },
            "-h" | "--help" => return usage(""),
            _ if file.is_none() => file = Some(a.clone()),
            _ => return usage(&format!("unexpected argument `{a}`")),
        }
    }
    let Some(file) = file else {
        return usage("no test file given");
    };
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"));
    let tests = match read(&file)
        .and_then(|t| PolicyTests::from_json(&t).map_err(|e| format!("{file}: {e}")))
    {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut sets: Vec<CriteriaSet> = Vec::new();
    for p in &set_files {
        match read(p).and_then(|t| CriteriaSet::from_json(&t).map_err(|e| format!("{p}: {e}"))) {
            Ok(s) => sets.push(s),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    sets.extend(illustrative::commune_sets());
    match ntm_rules::policy::catalog::load_all() {
        Ok(catalog) => sets.extend(catalog),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    let report = run_tests(&tests, &sets);
    println!("{file}");
    println!("{report}");
    if report.failed() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn usage(problem: &str) -> ExitCode {
    if !problem.is_empty() {
        eprintln!("error: {problem}");
    }
    eprintln!("usage: policy_test <cases.json> [--set <criteria-set.json>]...");
    if problem.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}
