//! The built-in catalog, overlays, coverage and threshold sheets, through the public API.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a panic is a test failure"
)]

use std::str::FromStr;

use ntm_rules::engine::{compile, IndicatorOutcome, Outcome, SetProblemKind, UndeterminedReason};
use ntm_rules::model::{
    ChildMeasure, CommuneGroup, Confidence, CriteriaSet, IndicatorData, Label, Level, Profile,
    Region, Requirement, Source, Threshold, Value,
};
use ntm_rules::policy::catalog;
use ntm_rules::policy::catalog::CatalogError;
use ntm_rules::policy::{apply_overlays, Overlay, OverlayProblem};
use ntm_rules::policy::{export_sheet, import_sheet};
use ntm_rules::policy::{CoverageReport, SetCoverage};
use rust_decimal::Decimal;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn num(s: &str) -> Threshold {
    Threshold::Number(dec(s))
}

fn load(id: &str) -> CriteriaSet {
    catalog::load(id).unwrap()
}

fn indicator<'a>(set: &'a CriteriaSet, id: &str) -> &'a ntm_rules::model::Indicator {
    set.all_indicators()
        .find(|i| i.id.as_str() == id)
        .unwrap_or_else(|| panic!("{} has no indicator {id}", set.id))
}

/// The single threshold row of an indicator that has one.
fn only(set: &CriteriaSet, id: &str) -> (Threshold, Confidence) {
    let i = indicator(set, id);
    assert_eq!(i.thresholds.len(), 1, "{id}");
    (
        i.thresholds[0].threshold.clone(),
        i.thresholds[0].confidence,
    )
}

fn uses_regions(set: &CriteriaSet) -> bool {
    set.scheme.id.as_str() != "vn-2026-2030"
}

/// Profiles to compile a set for: every region (with the override statuses) or every
/// commune group, and the empty profile.
fn profiles(set: &CriteriaSet) -> Vec<Profile> {
    let mut out = vec![Profile::default()];
    if uses_regions(set) {
        for r in Region::ALL {
            out.push(Profile::in_region(r));
            out.push(Profile::in_region(r).with_status("especially_difficult"));
            out.push(
                Profile::in_region(r)
                    .with_status("safe_zone")
                    .with_status("in_poor_district"),
            );
            out.push(Profile::in_region(r).with_status("more_than_3_schools"));
        }
    } else {
        for g in CommuneGroup::ALL {
            out.push(Profile::in_group(g));
        }
    }
    out
}

#[test]
fn every_catalog_file_loads_compiles_and_round_trips() {
    assert_eq!(catalog::entries().len(), 12);
    let mut schemes = std::collections::BTreeMap::new();
    for entry in catalog::entries() {
        let set = entry.load().unwrap();
        // Metadata agrees with the file.
        assert_eq!(set.id.as_str(), entry.id);
        assert_eq!(set.scheme.id.as_str(), entry.scheme);
        assert_eq!(set.level, entry.level);
        assert_eq!(set.tier.as_str(), entry.tier);
        // Sets of one scheme agree on the scheme.
        let first = schemes
            .entry(set.scheme.id.clone())
            .or_insert(set.scheme.clone());
        assert_eq!(first, &set.scheme, "{}", set.id);
        // JSON round trip.
        let text = serde_json::to_string(&set).unwrap();
        let back: CriteriaSet = serde_json::from_str(&text).unwrap();
        assert_eq!(back, set);
        assert_eq!(CriteriaSet::from_json(&set.to_json()).unwrap(), set);
        // Provenance on every row; nothing illustrative in the catalog.
        for i in set.all_indicators() {
            assert!(!i.name.vi.is_empty() && !i.name.en.is_empty(), "{}", i.id);
            assert!(!i.thresholds.is_empty(), "{} {}", set.id, i.id);
            for row in &i.thresholds {
                assert!(!row.source.document.is_empty(), "{} {}", set.id, i.id);
                assert_ne!(row.confidence, Confidence::Illustrative);
            }
        }
        // Compiles for every profile and year of its scheme, and every region or group
        // has a row for every year (no gap, no ambiguity). 5.1b of the 2021-2025
        // standard set needs a school-count status in five regions, by design.
        for year in set.scheme.years.from..=set.scheme.years.to {
            for profile in profiles(&set) {
                let program = compile(&set, &profile, year)
                    .unwrap_or_else(|e| panic!("{} {year} {profile:?}: {e}", set.id));
                if profile != Profile::default() {
                    let gaps: Vec<_> = program
                        .undetermined_thresholds()
                        .filter(|(_, r)| *r == UndeterminedReason::NoThresholdRow)
                        .map(|(i, _)| i.to_string())
                        .filter(|i| i != "5.1b")
                        .collect();
                    assert!(gaps.is_empty(), "{} {year} {profile:?}: {gaps:?}", set.id);
                }
            }
        }
    }
    assert!(matches!(
        catalog::load("vn-1999-commune"),
        Err(CatalogError::UnknownSet { .. })
    ));
}

#[test]
fn confirmed_facts_of_the_domain_reference() {
    use Confidence::Confirmed;
    // District standard (320/QĐ-TTg Appendix I).
    let d = load("vn-2021-2025-district-standard");
    assert_eq!(only(&d, "C.1"), (num("100"), Confirmed));
    assert_eq!(only(&d, "C.2"), (num("10"), Confirmed));
    assert_eq!(only(&d, "C.3"), (num("100"), Confirmed));
    assert_eq!(only(&d, "C.4"), (num("90"), Confirmed));
    assert_eq!(only(&d, "C.5"), (num("80"), Confirmed));
    // 18/2022: revoked when 30% or more of the communes have lost their recognition.
    assert_eq!(only(&d, "C.6"), (num("30"), Confirmed));
    assert_eq!(
        indicator(&d, "C.6").requirement,
        ntm_rules::model::Requirement::Below
    );
    assert!(matches!(
        indicator(&d, "C.6").derived.as_ref().unwrap().measure,
        ChildMeasure::ShareRevoked { ref tier } if tier.as_str() == "standard"
    ));
    assert_eq!(
        d.revocation.as_ref().unwrap().revoke_when_not_met,
        vec![ntm_rules::model::IndicatorId::new("C.6")]
    );
    assert!(matches!(
        indicator(&d, "C.1").derived.as_ref().unwrap().measure,
        ChildMeasure::ShareAtTier { ref tier } if tier.as_str() == "standard"
    ));
    assert!(matches!(
        indicator(&d, "C.5").derived.as_ref().unwrap().measure,
        ChildMeasure::MinimumOf { .. }
    ));
    // Province completed (321/QĐ-TTg): eight conditions.
    let p = load("vn-2021-2025-province-completed");
    assert_eq!(p.criteria.len(), 8);
    let expected = [
        ("1.1", "100"),
        ("2.1", "100"),
        ("3.1", "20"),
        ("4.1", "40"),
        ("6.1", "70"),
        ("7.1", "4"),
        ("8.1", "90"),
    ];
    for (id, v) in expected {
        assert_eq!(only(&p, id), (num(v), Confirmed), "{id}");
        assert_eq!(indicator(&p, id).requirement, Requirement::AtLeast);
    }
    assert_eq!(only(&p, "5.1"), (Threshold::Flag(true), Confirmed));
    assert_eq!(
        indicator(&p, "7.1").kind,
        ntm_rules::model::ValueKind::Decimal {
            unit: ntm_rules::model::Unit::SquareMetresPerPerson
        }
    );
    // Revocation (18/2022/QĐ-TTg).
    let s = load("vn-2021-2025-commune-standard");
    let rule = s.revocation.as_ref().unwrap();
    assert_eq!(
        (rule.share_with_key, rule.share_alone),
        (dec("30"), dec("50"))
    );
    let keys: Vec<&str> = rule.key_criteria.iter().map(|c| c.as_str()).collect();
    assert_eq!(keys, ["10", "17", "19"]);
    assert_eq!(rule.confidence, Confirmed);
    let m = load("vn-2021-2025-commune-model");
    assert_eq!(
        m.revocation
            .as_ref()
            .unwrap()
            .assess_against
            .as_ref()
            .unwrap()
            .as_str(),
        "advanced"
    );
    // 1980/QĐ-TTg income by 2020, by region.
    let h = load("vn-2016-2020-commune-standard");
    let income = [
        (Region::Tdmnpb, "36"),
        (Region::Dbsh, "50"),
        (Region::Btb, "36"),
        (Region::Dhntb, "41"),
        (Region::Tn, "41"),
        (Region::Dnb, "59"),
        (Region::Dbscl, "50"),
    ];
    for (region, v) in income {
        let row = indicator(&h, "10.1")
            .thresholds
            .iter()
            .find(|r| r.when.regions == [region] && r.years.is_some_and(|y| y.contains(2020)))
            .unwrap();
        assert_eq!((row.threshold.clone(), row.confidence), (num(v), Confirmed));
        assert_eq!(row.years.unwrap().from, 2020);
    }
    assert_eq!(only(&h, "15.1"), (num("85"), Confirmed));
    // The especially-difficult rule is a profile rule of the 2021-2025 commune sets.
    for id in [
        "vn-2021-2025-commune-standard",
        "vn-2021-2025-commune-advanced",
    ] {
        let set = load(id);
        let program = compile(
            &set,
            &Profile::in_region(Region::Dnb).with_status("especially_difficult"),
            2023,
        )
        .unwrap();
        assert_eq!(program.effective_profile().region, Some(Region::Tdmnpb));
    }
}

fn commune_2016(region: Region, year: u16, income: &str) -> Outcome {
    let set = load("vn-2016-2020-commune-standard");
    let program = compile(&set, &Profile::in_region(region), year).unwrap();
    let data = IndicatorData::new("00001", year).with("10.1", Value::Number(dec(income)));
    program
        .evaluate(&data)
        .unwrap()
        .criterion("10")
        .unwrap()
        .outcome
}

#[test]
fn income_of_2016_2020_decides_criterion_10_by_region_and_year() {
    assert_eq!(commune_2016(Region::Tdmnpb, 2020, "37"), Outcome::Met);
    assert_eq!(commune_2016(Region::Dnb, 2020, "37"), Outcome::NotMet);
    assert_eq!(commune_2016(Region::Dnb, 2020, "59"), Outcome::Met);
    assert_eq!(
        commune_2016(Region::Tdmnpb, 2018, "37"),
        Outcome::Undetermined
    );
    assert_eq!(
        commune_2016(Region::Dnb, 2016, "100"),
        Outcome::Undetermined
    );
}

#[test]
fn assessments_show_which_results_depend_on_unknown_cells() {
    let set = load("vn-2021-2025-commune-standard");
    let program = compile(&set, &Profile::in_region(Region::Dbsh), 2023).unwrap();
    let data = IndicatorData::new("07672", 2023)
        .with("3.1", Value::Number(dec("85")))
        .with("10.1", Value::Number(dec("70")));
    let a = program.evaluate(&data).unwrap();
    let known = a.indicator("3.1").unwrap();
    assert_eq!(known.outcome, IndicatorOutcome::Met);
    let p = known.threshold.as_ref().unwrap();
    assert_eq!(p.confidence, Confidence::Reported);
    // 3.1 comes from the MARD guidance, which publishes the value 318 leaves to it.
    assert_eq!(p.source.document, "1680/QĐ-BNN-VPĐP");
    assert_eq!(p.set_by, Some(ntm_rules::model::SetBy::MinistryPublished));
    let income = a.indicator("10.1").unwrap();
    assert_eq!(income.outcome, IndicatorOutcome::Undetermined);
    assert_eq!(income.reason, Some(UndeterminedReason::ThresholdUnknown));
    assert_eq!(
        income.threshold.as_ref().unwrap().threshold,
        Threshold::Unknown
    );
    assert_eq!(a.criterion("10").unwrap().outcome, Outcome::Undetermined);
    assert_eq!(a.outcome, Outcome::Undetermined);
}

fn province_overlay() -> Overlay {
    Overlay::from_json(
        r#"{
      "id": "test-province-2023",
      "authority": {"vi": "UBND tỉnh thử nghiệm", "en": "Test Provincial People's Committee"},
      "source": {"document": "999/QĐ-UBND", "date": "2023-01-15", "part": "Appendix"},
      "confidence": "illustrative",
      "thresholds": [
        {"set": "vn-2021-2025-commune-standard", "indicator": "10.1",
         "when": {"regions": ["dbsh"]}, "years": {"from": 2023, "to": 2023},
         "threshold": {"number": "62"}},
        {"set": "vn-2021-2025-commune-standard", "indicator": "P.2",
         "threshold": {"number": "85"}}
      ],
      "indicators": [
        {"set": "vn-2021-2025-commune-standard", "criterion": "10", "indicator": {
          "id": "10.p1", "name": {"vi": "Thu nhập của lao động", "en": "Worker income"},
          "kind": {"decimal": {"unit": "million_vnd_per_person_year"}}, "requirement": "at_least",
          "thresholds": [{"threshold": {"number": "50"},
            "source": {"document": "999/QĐ-UBND", "part": "Art. 3"}, "confidence": "illustrative"}]
        }}
      ]
    }"#,
    )
    .unwrap()
}

#[test]
fn an_overlay_that_fills_unknown_thresholds_makes_the_assessment_determinate() {
    let set = load("vn-2021-2025-commune-standard");
    let data = IndicatorData::new("07672", 2023)
        .with("10.1", Value::Number(dec("63")))
        .with("10.p1", Value::Number(dec("55")));
    let before = compile(&set, &Profile::in_region(Region::Dbsh), 2023)
        .unwrap()
        .evaluate(&data)
        .unwrap();
    assert_eq!(
        before.criterion("10").unwrap().outcome,
        Outcome::Undetermined
    );

    let local = apply_overlays(&set, &[province_overlay()]).unwrap();
    let after = compile(&local, &Profile::in_region(Region::Dbsh), 2023)
        .unwrap()
        .evaluate(&data)
        .unwrap();
    assert_eq!(after.criterion("10").unwrap().outcome, Outcome::Met);
    let p = after.indicator("10.1").unwrap().threshold.clone().unwrap();
    assert_eq!(p.source.document, "999/QĐ-UBND");
    assert_eq!(p.confidence, Confidence::Illustrative);
    assert!(p
        .source
        .note
        .as_deref()
        .unwrap()
        .contains("overlay `test-province-2023`"));
    // Other years of the split row stay unknown; other regions are untouched.
    for (region, year) in [
        (Region::Dbsh, 2022),
        (Region::Dbsh, 2024),
        (Region::Tn, 2023),
    ] {
        let a = compile(&local, &Profile::in_region(region), year)
            .unwrap()
            .evaluate(&IndicatorData::new("07672", year).with("10.1", Value::Number(dec("63"))))
            .unwrap();
        assert_eq!(
            a.indicator("10.1").unwrap().reason,
            Some(UndeterminedReason::ThresholdUnknown)
        );
    }
    // The precondition filled for every region and year.
    assert!(local
        .legal_basis
        .iter()
        .any(|s| s.document == "999/QĐ-UBND"));
    // Coverage after the overlay: fewer unknown cells, some illustrative.
    let c0 = SetCoverage::of(&set);
    let c1 = SetCoverage::of(&local);
    assert_eq!(c0.cells.illustrative, 0);
    assert!(c1.cells.illustrative >= 3);
    assert!(c1.cells.unknown < c0.cells.unknown);
    assert_eq!(c1.indicators.total(), c0.indicators.total() + 1);
}

#[test]
fn a_loosening_overlay_is_refused_with_a_clear_error() {
    let set = load("vn-2021-2025-commune-standard");
    let mut overlay = Overlay::new(
        "lax-province",
        Label::new("UBND tỉnh X", "Province X"),
        Source::document("1/QĐ-UBND"),
        Confidence::Illustrative,
    );
    let mut entry: ntm_rules::policy::ThresholdEntry = serde_json::from_str(
        r#"{"set": "vn-2021-2025-commune-standard", "indicator": "3.1", "threshold": {"number": "70"}}"#,
    )
    .unwrap();
    overlay.thresholds.push(entry.clone());
    // A stunting maximum raised is loosening too.
    overlay.thresholds.push(
        serde_json::from_str(
            r#"{"set": "vn-2021-2025-commune-standard", "indicator": "15.3",
                "when": {"regions": ["dbsh"]}, "threshold": {"number": "20"}}"#,
        )
        .unwrap(),
    );
    let err = apply_overlays(&set, &[overlay.clone()]).unwrap_err();
    assert_eq!(err.problems().len(), 2);
    assert_eq!(
        err.problems()[0].to_string(),
        "overlay `lax-province`, set `vn-2021-2025-commune-standard`, indicator `3.1`, \
         threshold row 0, at `/thresholds/0`: loosens `≥ 80` to `≥ 70`; an overlay may only \
         fill or tighten a national value unless the entry is marked as a replacement with its \
         legal basis"
    );
    assert!(
        matches!(err.problems()[1], OverlayProblem::Loosens { ref old, ref new, .. }
        if old == "≤ 16.5" && new == "≤ 20")
    );
    assert!(err
        .to_string()
        .starts_with("cannot apply overlays: 2 problems; "));

    // Tightening is fine; a replacement with its legal basis may loosen.
    entry.threshold = num("90");
    let tight = Overlay {
        thresholds: vec![entry.clone()],
        ..overlay.clone()
    };
    assert!(apply_overlays(&set, &[tight]).is_ok());
    entry.threshold = num("70");
    entry.replacement = Some(ntm_rules::policy::Replacement {
        legal_basis: Source::document("211/QĐ-TTg"),
    });
    let replaced = Overlay {
        thresholds: vec![entry],
        ..overlay
    };
    let local = apply_overlays(&set, &[replaced]).unwrap();
    assert_eq!(indicator(&local, "3.1").thresholds[0].threshold, num("70"));
    // Entries that match nothing are reported too.
    let bad = Overlay::from_json(
        r#"{"id": "typo", "authority": {"vi": "x", "en": "x"}, "source": {"document": "x"},
            "confidence": "reported",
            "thresholds": [{"set": "vn-2021-2025-commune-standard", "indicator": "99.9",
                            "threshold": {"number": "1"}}],
            "indicators": [{"set": "vn-2021-2025-commune-standard", "criterion": "42",
                            "indicator": {"id": "42.1", "name": {"vi": "a", "en": "a"},
                              "kind": "yes_no", "requirement": "equal", "thresholds": []}}]}"#,
    )
    .unwrap();
    let err = apply_overlays(&set, &[bad]).unwrap_err();
    let texts: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert!(
        texts[0].ends_with("indicator `99.9`, at `/thresholds/0`: the set has no such indicator")
    );
    assert!(
        texts[1].ends_with("indicator `42.1`, at `/indicators/0`: the set has no criterion `42`")
    );
    // Unknown fields in an overlay are refused.
    let e = Overlay::from_json(r#"{"id": "x", "authorty": {}}"#).unwrap_err();
    assert_eq!(e.path(), "authorty");
}

#[test]
fn a_threshold_sheet_round_trips_and_imports_as_an_overlay() {
    let set = load("vn-2021-2025-commune-standard");
    let base = || {
        Overlay::new(
            "sheet-2023",
            Label::new("UBND tỉnh Y", "Province Y"),
            Source::document("55/QĐ-UBND"),
            Confidence::Reported,
        )
    };
    let csv = export_sheet(&set).unwrap();
    let rows: usize = set.all_indicators().map(|i| i.thresholds.len()).sum();
    assert_eq!(csv.lines().count(), rows + 1);

    // No edits: no entries, and applying gives the same set.
    let unchanged = import_sheet(&csv, &set, base()).unwrap();
    assert!(unchanged.thresholds.is_empty());
    assert_eq!(apply_overlays(&set, &[unchanged]).unwrap(), set);

    // Fill the TDMNPB 2024 income cell, with its own source document.
    let mut filled = String::new();
    for line in csv.lines() {
        if line.contains(",10.1,") && line.contains(",tdmnpb,,,2024,2024,") {
            let line = line.replace(
                ",tdmnpb,,,2024,2024,,318/QĐ-TTg,Appendix I,confirmed",
                ",tdmnpb,,,2024,2024,45.5,741/QĐ-UBND,Art. 2,reported",
            );
            assert!(line.contains("45.5"), "{line}");
            filled.push_str(&line);
        } else {
            filled.push_str(line);
        }
        filled.push('\n');
    }
    let overlay = import_sheet(&filled, &set, base()).unwrap();
    assert_eq!(overlay.thresholds.len(), 1);
    let local = apply_overlays(&set, &[overlay]).unwrap();
    let program = compile(&local, &Profile::in_region(Region::Tdmnpb), 2024).unwrap();
    let a = program
        .evaluate(&IndicatorData::new("1", 2024).with("10.1", Value::Number(dec("45.5"))))
        .unwrap();
    let i = a.indicator("10.1").unwrap();
    assert_eq!(i.outcome, IndicatorOutcome::Met);
    let p = i.threshold.as_ref().unwrap();
    assert_eq!(p.threshold, num("45.5"));
    assert_eq!(p.source.document, "741/QĐ-UBND");
    assert_eq!(p.source.part.as_deref(), Some("Art. 2"));
    assert_eq!(p.confidence, Confidence::Reported);

    // Errors name the line and column.
    let bad = filled.replace(",45.5,741/QĐ-UBND,", ",45,5x,741/QĐ-UBND,");
    let bad = bad.replace(",tdmnpb,,,2022,2022,", ",tdmnpx,,,2022,2022,");
    let err = import_sheet(&bad, &set, base()).unwrap_err();
    let texts: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("column `regions`: unknown value `tdmnpx`")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.starts_with("line ")), "{texts:?}");
    let bad_value = filled.replace(",45.5,741", ",lots,741");
    let err = import_sheet(&bad_value, &set, base()).unwrap_err();
    let line = filled.lines().position(|l| l.contains("45.5")).unwrap() + 1;
    assert_eq!(
        err.problems()[0].to_string(),
        format!(
            "line {line}, column `value`: invalid number `lots`: write plain digits with at most one \
             decimal point, such as \"78.5\" (no exponent, no digit separators)"
        )
    );
}

#[test]
fn sheet_value_past_28_places_is_refused_not_rounded() {
    let set = load("vn-2021-2025-commune-standard");
    let long = "79.99999999999999999999999999999";
    let (filled, line) = sheet_with_income_cell(&set, long);
    let base = sheet_base();
    let err = import_sheet(&filled, &set, base).unwrap_err();
    assert_eq!(
        err.problems()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [format!(
            "line {line}, column `value`: invalid number `{long}`: more than 28 decimal places: \
             it cannot be held exactly and is not rounded"
        )]
    );
}

#[test]
fn derived_indicators_of_district_and_province_sets_validate() {
    let mut derived = 0;
    for id in [
        "vn-2021-2025-district-standard",
        "vn-2021-2025-district-advanced",
        "vn-2021-2025-province-completed",
        "vn-2026-2030-province-completed",
    ] {
        let set = load(id);
        assert!(set.level >= Level::District);
        for i in set.all_indicators().filter(|i| i.derived.is_some()) {
            derived += 1;
            assert!(i.derived.as_ref().unwrap().children < set.level);
        }
        compile(&set, &Profile::default(), set.scheme.years.from).unwrap();
        // A derivation from a level that is not below the set's level is refused.
        // (The tier a derivation counts is the children's, so it is checked when
        // aggregating, not here.)
        let mut broken = set.clone();
        let target = broken
            .criteria
            .iter_mut()
            .flat_map(|c| c.indicators.iter_mut())
            .chain(broken.preconditions.iter_mut())
            .find(|i| i.derived.is_some())
            .unwrap();
        target.derived.as_mut().unwrap().children = Level::Province;
        let err = compile(&broken, &Profile::default(), broken.scheme.years.from).unwrap_err();
        assert!(err
            .problems()
            .iter()
            .any(|p| matches!(p.kind, SetProblemKind::BadDerivation { .. })));
    }
    assert!(derived >= 10, "{derived}");
}

#[test]
fn the_coverage_report_counts_every_cell() {
    let sets = catalog::load_all().unwrap();
    let report = CoverageReport::of(&sets);
    for (s, c) in sets.iter().zip(&report.sets) {
        let rows: u32 = s.all_indicators().map(|i| i.thresholds.len() as u32).sum();
        assert_eq!(c.cells.total(), rows);
        assert_eq!(c.indicators.total() as usize, s.all_indicators().count());
        assert_eq!(c.cells.illustrative, 0);
    }
    let (_, cells) = report.totals();
    assert!(cells.unknown > cells.known());
    let table = report.to_string();
    assert!(table.contains("vn-2021-2025-province-completed"));
    assert!(table.lines().last().unwrap().starts_with("total"));
    // The report is serializable.
    assert!(serde_json::to_string(&report)
        .unwrap()
        .contains("\"delegated\""));
}

#[test]
fn the_overlay_snippet_of_the_readme_applies() {
    let doc = include_str!("../README.md");
    let section = doc.find("### Adding a provincial overlay").unwrap();
    let start = section + doc[section..].find("```json\n").unwrap() + "```json\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let overlay = Overlay::from_json(&doc[start..end]).unwrap();
    let standard = apply_overlays(
        &load("vn-2021-2025-commune-standard"),
        std::slice::from_ref(&overlay),
    )
    .unwrap();
    assert_eq!(
        indicator(&standard, "P.2").thresholds[0].threshold,
        num("80")
    );
    let model = apply_overlays(&load("vn-2021-2025-commune-model"), &[overlay]).unwrap();
    assert!(model
        .criterion("2")
        .unwrap()
        .indicators
        .iter()
        .any(|i| i.id.as_str() == "2.p1"));
    compile(&model, &Profile::in_region(Region::Tdmnpb), 2023).unwrap();
}

#[test]
fn overlay_entry_for_a_misspelt_set_id_is_reported_not_ignored() {
    let mut overlay = province_overlay();
    // A typo in the second threshold entry's set id.
    overlay.thresholds[1].set = "vn-2021-2025-commune-standrad".into();
    let standard = load("vn-2021-2025-commune-standard");
    // Applied to one set, the entry is skipped: it may be for another set...
    assert!(apply_overlays(&standard, std::slice::from_ref(&overlay)).is_ok());
    // ...but among every set it is meant for, it names none: reported, with where.
    let err = ntm_rules::policy::apply_overlays_to_sets(
        std::slice::from_ref(&standard),
        std::slice::from_ref(&overlay),
    )
    .unwrap_err();
    let [problem] = err.problems() else {
        panic!("{err}")
    };
    let OverlayProblem::UnknownSet {
        location,
        set,
        did_you_mean,
    } = problem
    else {
        panic!("{problem}")
    };
    assert_eq!(set.as_str(), "vn-2021-2025-commune-standrad");
    assert_eq!(location.pointer.as_ref().unwrap().as_str(), "/thresholds/1");
    assert_eq!(
        did_you_mean.as_ref().map(|s| s.as_str()),
        Some("vn-2021-2025-commune-standard")
    );
    assert!(problem.to_string().contains("did you mean"), "{problem}");
    // With the id right, the overlay applies.
    let good = province_overlay();
    assert!(ntm_rules::policy::apply_overlays_to_sets(&[standard], &[good]).is_ok());
}

#[test]
fn the_2010_2015_set_holds_village_roads_to_their_region() {
    let set = load("vn-2010-2015-commune-standard");
    let outcome = |region: Region, share: &str| {
        let data = IndicatorData::new("00001", 2012).with("2.2", Value::Number(dec(share)));
        compile(&set, &Profile::in_region(region), 2012)
            .unwrap()
            .evaluate(&data)
            .unwrap()
            .indicator("2.2")
            .unwrap()
            .outcome
    };
    // 491/QĐ-TTg: 50% in the northern midlands and mountains, 100% in the Red River Delta.
    assert_eq!(outcome(Region::Tdmnpb, "50"), IndicatorOutcome::Met);
    assert_eq!(outcome(Region::Dbsh, "50"), IndicatorOutcome::NotMet);
    assert_eq!(outcome(Region::Dbsh, "100"), IndicatorOutcome::Met);
    assert_eq!(outcome(Region::Dbscl, "49.9"), IndicatorOutcome::NotMet);
}

/// A filled threshold sheet of `set` whose TDMNPB 2024 income cell (10.1) holds `value`,
/// and the line of that cell.
fn sheet_with_income_cell(set: &CriteriaSet, value: &str) -> (String, usize) {
    let csv = export_sheet(set).unwrap();
    let cell = ",tdmnpb,,,2024,2024,,318/QĐ-TTg,";
    let line = csv
        .lines()
        .position(|l| l.contains(",10.1,") && l.contains(cell))
        .unwrap()
        + 1;
    let filled = csv.replacen(cell, &format!(",tdmnpb,,,2024,2024,{value},318/QĐ-TTg,"), 1);
    (filled, line)
}

fn sheet_base() -> Overlay {
    Overlay::new(
        "sheet-2023",
        Label::new("UBND tỉnh Y", "Province Y"),
        Source::document("55/QĐ-UBND"),
        Confidence::Reported,
    )
}

#[test]
fn sheet_errors_on_crlf_files_name_the_right_line() {
    let set = load("vn-2021-2025-commune-standard");
    let (filled, line) = sheet_with_income_cell(&set, "lots");
    let crlf = filled.replace('\n', "\r\n");
    let lf = import_sheet(&filled, &set, sheet_base()).unwrap_err();
    let err = import_sheet(&crlf, &set, sheet_base()).unwrap_err();
    assert_eq!(lf.problems()[0].line, line as u64);
    assert_eq!(err.problems()[0].line, line as u64, "{err}");
}

/// A sheet as Excel in a Vietnamese locale saves it: `;` between fields, CRLF, a BOM.
fn as_excel_semicolon(csv: &str) -> String {
    let grid = ntm_rules::model::read_csv(csv, None).unwrap();
    let mut out = String::from("\u{feff}");
    for row in &grid.rows {
        let fields: Vec<String> = row
            .cells
            .iter()
            .map(|c| format!("\"{}\"", c.text().unwrap().replace('"', "\"\"")))
            .collect();
        out.push_str(&fields.join(";"));
        out.push_str("\r\n");
    }
    out
}

#[test]
fn excel_semicolon_sheet_with_decimal_comma_and_vietnamese_words_imports() {
    let set = load("vn-2021-2025-commune-standard");
    let (filled, line) = sheet_with_income_cell(&set, "\"45,5\"");
    let csv = export_sheet(&set).unwrap();
    assert!(
        csv.starts_with('\u{feff}'),
        "the export has a BOM for Excel"
    );
    // A yes/no row the catalog gives as "yes", filled as "không".
    let (flag_line, flag_row) = csv
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(",yes/no,") && l.contains(",yes,"))
        .unwrap();
    let filled: Vec<String> = filled
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == flag_line {
                flag_row.replacen(",yes,", ",không,", 1)
            } else {
                l.to_owned()
            }
        })
        .collect();
    let mut excel = as_excel_semicolon(&filled.join("\n"));
    // Vietnamese headers only.
    let header_end = excel.find("\r\n").unwrap();
    let vi: Vec<String> = ntm_rules::policy::COLUMN_NAMES_VI
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect();
    excel.replace_range(3..header_end, &vi.join(";"));
    let overlay = import_sheet(&excel, &set, sheet_base()).unwrap();
    let values: Vec<String> = overlay
        .thresholds
        .iter()
        .map(|e| format!("{} {:?}", e.indicator, e.threshold))
        .collect();
    assert_eq!(overlay.thresholds.len(), 2, "{values:?}");
    assert!(
        values.iter().any(|v| v == "10.1 Number(45.5)"),
        "{values:?}"
    );
    assert!(
        values.iter().any(|v| v.ends_with("Flag(false)")),
        "{values:?}"
    );
    assert_eq!(
        ntm_rules::policy::sheet_set_id(&excel).as_deref(),
        Some(set.id.as_str())
    );

    // `1,234` could be 1.234 or 1234: refused, saying both, on the right line.
    let (ambiguous, _) = sheet_with_income_cell(&set, "\"1,234\"");
    let err = import_sheet(&as_excel_semicolon(&ambiguous), &set, sheet_base()).unwrap_err();
    assert_eq!(err.problems()[0].line, line as u64, "{err}");
    assert!(
        err.to_string()
            .contains("1.234 with a decimal comma, or 1234 with a thousands separator"),
        "{err}"
    );
}

#[test]
fn threshold_workbook_round_trips_and_names_cells() {
    use ntm_rules::policy::{export_sheet_xlsx, import_sheet_xlsx, sheet_set_id_xlsx};
    let set = load("vn-2021-2025-commune-standard");
    let bytes = export_sheet_xlsx(&set).unwrap();
    let unchanged = import_sheet_xlsx(&bytes, &set, sheet_base()).unwrap();
    assert!(
        unchanged.thresholds.is_empty(),
        "{:?}",
        unchanged.thresholds
    );
    assert_eq!(sheet_set_id_xlsx(&bytes).as_deref(), Some(set.id.as_str()));

    // The same rows, written by a person: one cell a formula whose value is an error.
    let grid = ntm_rules::model::read_workbook(&bytes).unwrap().remove(0);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Ngưỡng").unwrap();
    let mut error_row = 0;
    for row in &grid.rows {
        let r = row.number - 1;
        let text: Vec<String> = row.cells.iter().map(|c| c.text().unwrap()).collect();
        for (c, t) in text.iter().enumerate() {
            sheet.write_string(r, c as u16, t).unwrap();
        }
        if text[2] == "2.1" && error_row == 0 {
            error_row = row.number;
            let f = rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!");
            sheet.write_formula(r, 12, f).unwrap();
        }
    }
    let filled = book.save_to_buffer().unwrap();
    let err = import_sheet_xlsx(&filled, &set, sheet_base()).unwrap_err();
    assert_eq!(
        err.problems()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [format!(
            "Ngưỡng!M{error_row} (column `value`): the formula's value is an error (#DIV/0!)"
        )]
    );
    // A file that is not a workbook: one clear error.
    let err = import_sheet_xlsx(b"set_id,criterion\n", &set, sheet_base()).unwrap_err();
    assert_eq!(err.problems().len(), 1);
    assert!(err.to_string().contains("not an .xlsx workbook"), "{err}");
}
