//! Lists the built-in catalog and prints its coverage report, then shows how a
//! provincial overlay changes the coverage of one set.
//!
//! Run with `cargo run --example catalog`.

use ntm_rules::policy::catalog;
use ntm_rules::policy::CoverageReport;
use ntm_rules::policy::{apply_overlays, Overlay};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("Built-in criteria sets (every set is partial: see the README section on the built-in catalog)\n");
    for e in catalog::entries() {
        println!(
            "  {:<34} {:<13} {:<8} {:<9} {}  [{}]",
            e.id,
            e.scheme,
            e.level.label(ntm_rules::model::Lang::En),
            e.tier,
            e.title,
            e.documents.join(", ")
        );
    }

    let sets = catalog::load_all()?;
    println!("\nCoverage: indicators and threshold cells by confidence");
    println!("(conf = confirmed, rep = reported, unv = unverified, ill = illustrative,");
    println!(" part = indicator partly known, unk = unknown, del = delegated to the province)\n");
    print!("{}", CoverageReport::of(&sets));

    // An illustrative (made-up) provincial overlay filling two cells.
    let overlay = Overlay::from_json(
        r#"{
          "id": "example-province",
          "authority": {"vi": "UBND tỉnh (ví dụ)", "en": "Example Provincial People's Committee"},
          "source": {"document": "example, not law"},
          "confidence": "illustrative",
          "thresholds": [
            {"set": "vn-2021-2025-commune-standard", "indicator": "11.1",
             "when": {"regions": ["tdmnpb"]}, "threshold": {"number": "13"}},
            {"set": "vn-2021-2025-commune-standard", "indicator": "P.2",
             "threshold": {"number": "80"}}
          ]
        }"#,
    )?;
    let standard = catalog::load("vn-2021-2025-commune-standard")?;
    let local = apply_overlays(&standard, &[overlay])?;
    println!("\nAfter an illustrative provincial overlay on the standard commune set:\n");
    print!("{}", CoverageReport::of([&standard, &local]));
    Ok(())
}
