//! Bắc Giang 2022: the province report computed by the engine from a bundled,
//! SYNTHETIC data set (`data/bac_giang_2022/`, made by `generate.py` there).
//!
//! ```text
//! cargo run --example bac_giang_2022                  # Vietnamese report
//! cargo run --example bac_giang_2022 -- --lang en     # English report
//! cargo run --example bac_giang_2022 -- --csv out/    # also write CSV tables to out/
//! cargo run --example bac_giang_2022 -- --json        # the report as JSON
//! cargo run --example bac_giang_2022 -- --html out/   # also write out/bac_giang_2022.html
//! cargo run --example bac_giang_2022 -- --catalog     # on the national catalog + overlay
//! cargo run --example bac_giang_2022 -- --candidates  # also the candidate communes
//! ```
//!
//! `--candidates` also prints, after the report, the least-cost communes for the plan's
//! "+9 standard" and "+18 advanced" targets (issue 13), with the next closest ones.
//!
//! `--catalog` evaluates the same synthetic units against the catalog's national 2021-2025
//! sets with a provincial overlay (`data/bac_giang_2022_catalog/`) that fills the cells the
//! sources leave unknown with illustrative values, each marked so.
//!
//! The data are synthetic at unit level and the criteria sets illustrative; the figures
//! (147/184 communes standard, 17.1 criteria per commune, 239 model villages, ...) come
//! out of the engine's evaluation of those data, calibrated to the province's 2022 plan.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use ntm_rules::contract::{self, Request};
use ntm_rules::model::Lang;

/// The Bắc Giang 2022 province report, from the bundled synthetic data set.
#[derive(Debug, Parser)]
#[command(name = "bac_giang_2022")]
struct Args {
    /// Language of the text report.
    #[arg(long, value_enum, default_value_t = Language::Vi)]
    lang: Language,
    /// Also write the report's CSV tables into this folder.
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,
    /// Also write the report as one self-contained HTML page into this folder
    /// (`bac_giang_2022.html`, or `bac_giang_2022_catalog.html` with `--catalog`).
    #[arg(long, value_name = "DIR")]
    html: Option<PathBuf>,
    /// Print the report as JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Evaluate against the national catalog's 2021-2025 sets with the illustrative
    /// provincial overlay (`data/bac_giang_2022_catalog`) instead of the illustrative sets.
    #[arg(long)]
    catalog: bool,
    /// Also print the candidate communes for the plan's "+9 standard" and "+18
    /// advanced" targets.
    #[arg(long)]
    candidates: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Language {
    /// Vietnamese.
    Vi,
    /// English.
    En,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
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

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let lang = match args.lang {
        Language::Vi => Lang::Vi,
        Language::En => Lang::En,
    };
    let folder = if args.catalog {
        "data/bac_giang_2022_catalog"
    } else {
        "data/bac_giang_2022"
    };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(folder);
    // The folder's manifest names the units, inputs, criteria sets, roll-ups and plan.
    let request = Request::from_dir(&dir)?;
    let run = contract::run(request)?;
    // The plan's scope: the province.
    let report = run.report(None)?;

    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_text(lang));
    }
    if args.candidates {
        let costs = ntm_rules::tree::CostModel::default();
        for target in run.new_units_targets() {
            if target.level != ntm_rules::model::Level::Commune || target.tier.as_str() == "model" {
                continue;
            }
            let selection =
                run.candidates(None, target.level, &target.tier, target.count, &costs)?;
            println!();
            print!(
                "{}",
                ntm_rules::report::selection_text(&selection, Some(&run.tree), 5, lang)
            );
        }
    }
    if let Some(dir) = &args.csv {
        for path in report.write_csv(dir)? {
            eprintln!("wrote {path}");
        }
    }
    if let Some(dir) = &args.html {
        std::fs::create_dir_all(dir)?;
        let name = if args.catalog {
            "bac_giang_2022_catalog.html"
        } else {
            "bac_giang_2022.html"
        };
        let path = dir.join(name);
        std::fs::write(&path, report.to_html(lang)?)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
