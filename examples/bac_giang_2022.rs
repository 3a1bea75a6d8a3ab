//! Bắc Giang 2022: the province report computed by the engine from a bundled,
//! SYNTHETIC data set (`data/bac_giang_2022/`, made by `generate.py` there).
//!
//! ```text
//! cargo run --example bac_giang_2022                  # Vietnamese report
//! cargo run --example bac_giang_2022 -- --lang en     # English report
//! cargo run --example bac_giang_2022 -- --csv out/    # also write CSV tables to out/
//! cargo run --example bac_giang_2022 -- --json        # the report as JSON
//! ```
//!
//! The data are synthetic at unit level and the criteria sets illustrative; the figures
//! (147/184 communes standard, 17.1 criteria per commune, 239 model villages, ...) come
//! out of the engine's evaluation of those data, calibrated to the province's 2022 plan.

use std::path::PathBuf;
use std::process::ExitCode;

use ntm_rules::contract::Dataset;
use ntm_rules::model::Lang;
use ntm_rules::report::{Report, ReportOptions};
use ntm_rules::tree::Plan;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = e.source();
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut lang = Lang::Vi;
    let mut csv_dir: Option<PathBuf> = None;
    let mut json = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--lang" => {
                lang = match args.next().as_deref() {
                    Some("vi") => Lang::Vi,
                    Some("en") => Lang::En,
                    other => return Err(format!("--lang takes `vi` or `en`, not {other:?}").into()),
                }
            }
            "--csv" => {
                csv_dir = Some(args.next().ok_or("--csv takes a folder")?.into());
            }
            "--json" => json = true,
            "-h" | "--help" => {
                println!("usage: bac_giang_2022 [--lang vi|en] [--csv DIR] [--json]");
                return Ok(());
            }
            other => return Err(format!("unknown argument `{other}` (try --help)").into()),
        }
    }

    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/bac_giang_2022");
    let dataset = Dataset::from_dir(&dir)?;
    let plan = Plan::from_json(&std::fs::read_to_string(dir.join("plan.json"))?)?;
    let (tree, aggregation) = dataset.run()?;
    let mut options = ReportOptions::default()
        .with_plan(&plan)
        .with_rollups(&dataset.rollups);
    if let Some(notice) = &dataset.notice {
        options = options.with_notice(notice);
    }
    let report = Report::build(
        &tree,
        &aggregation,
        &dataset.sets,
        plan.scope.as_str(),
        &options,
    )?;

    if json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_text(lang));
    }
    if let Some(dir) = csv_dir {
        for path in report.write_csv(&dir)? {
            eprintln!("wrote {path}");
        }
    }
    Ok(())
}
