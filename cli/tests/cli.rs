//! The `ntm` command line: commands, outputs and exit codes (0 all well, 1
//! validation errors or failed cases, 2 usage or I/O errors).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The `ntm` binary cargo built for these tests.
fn ntm_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ntm"))
}

/// The workspace root: the tests read the repository's example files from there.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn ntm(args: &[&str]) -> Output {
    Command::new(ntm_binary())
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ntm_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(ntm_binary())
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn catalog_lists_sets_and_coverage() {
    let out = ntm(&["catalog"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("vn-2021-2025-commune-standard"));
    assert!(stdout.contains("Coverage"));
    let json = ntm(&["catalog", "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        value["sets"].as_array().unwrap().len(),
        ntm_rules::policy::catalog::entries().len()
    );
}

#[test]
fn schema_prints_every_kind_and_refuses_an_unknown_one() {
    for kind in ntm_rules::contract::SchemaKind::ALL {
        let out = ntm(&["schema", kind.name()]);
        assert_eq!(out.status.code(), Some(0), "{}", kind.name());
        let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(value, ntm_rules::contract::schema(kind));
    }
    let out = ntm(&["schema", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown schema kind `nope`"));
}

#[test]
fn validate_accepts_good_files_and_names_the_file_and_place_of_bad_ones() {
    let out = ntm(&[
        "validate",
        "data/illustrative/commune_standard.json",
        "data/illustrative/policy_tests.json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    let bad = include_str!("../../data/illustrative/commune_standard.json").replacen(
        "\"requirement\": \"at_least\"",
        "\"requirement\": \"atleast\"",
        1,
    );
    let out = ntm_stdin(&["validate", "-"], &bad);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim(),
        "-: cannot read criteria set at `/criteria/1/indicators/0/requirement` (line 111, \
         column 34): unknown variant `atleast`, expected one of `at_least`, `at_most`, `above`, \
         `below`, `equal`, `one_of`"
    );

    let out = ntm(&["validate", "no/such/file.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("error: no/such/file.json:"));
}

#[test]
fn evaluate_returns_results_for_good_units_and_diagnostics_for_the_malformed_one() {
    let out = ntm(&["evaluate", "examples/requests/province.json"]);
    // The example request has a malformed unit and a unit with bad data on purpose.
    assert_eq!(out.status.code(), Some(1));
    let response: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let golden: serde_json::Value = serde_json::from_str(include_str!(
        "../../examples/requests/province.response.json"
    ))
    .unwrap();
    assert_eq!(
        response, golden,
        "the example response in the repository is stale"
    );
    assert_eq!(response["ok"], true);
    assert_eq!(
        response["results"]["C01"]["decision"]["verdict"]["verdict"],
        "recognise"
    );
    assert_eq!(
        response["results"]["C02"]["decision"]["verdict"]["verdict"],
        "revoke"
    );
    assert_eq!(response["results"]["C04"]["status"], "excluded");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "examples/requests/province.json: error: unit `C03`, at \
         `/inputs/2/data/values/10.1/number`: decimal 46.2 given as a JSON number with a fraction"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "error: unit `C04`, set `illustrative-commune-standard`, indicator `3.1`, at \
             `/inputs/3/data/values/3.1`: bad data"
        ),
        "{stderr}"
    );
}

#[test]
fn report_in_every_format() {
    let en = ntm(&["report", "examples/requests/province.json", "--lang", "en"]);
    assert!(
        text(&en.stdout).contains("Communes standard: 2/5 (40.0%)"),
        "{}",
        text(&en.stdout)
    );
    let vi = ntm(&["report", "examples/requests/province.json"]);
    assert!(
        text(&vi.stdout).contains("Xã đạt chuẩn: 2/5 (40,0%)"),
        "{}",
        text(&vi.stdout)
    );
    let csv = ntm(&[
        "report",
        "examples/requests/province.json",
        "--format",
        "csv",
    ]);
    assert!(text(&csv.stdout).contains("# communes.csv"));
    let json = ntm(&[
        "report",
        "examples/requests/province.json",
        "--format",
        "json",
    ]);
    let _: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let bad = ntm(&[
        "report",
        "examples/requests/province.json",
        "--format",
        "pdf",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_request_that_cannot_be_read_gives_a_failed_response() {
    let out = ntm_stdin(&["evaluate", "-"], r#"{"version": 1, "year": 2022}"#);
    assert_eq!(out.status.code(), Some(1));
    let response: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(response["ok"], false);
    assert_eq!(
        response["diagnostics"][0]["message"],
        "missing field `date`"
    );
}

#[test]
fn test_command_passes_shipped_cases_and_fails_an_edited_one() {
    let out = ntm(&["test", "data/illustrative/policy_tests.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let edited = include_str!("../../data/illustrative/policy_tests.json").replacen(
        r#""criteria_met": 4, "criteria": { "10": "not_met" }"#,
        r#""criteria_met": 5, "criteria": { "10": "not_met" }"#,
        1,
    );
    let out = ntm_stdin(&["test", "-"], &edited);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("- expected: 5\n     + actual:   4"));
}

#[test]
fn sheet_export_then_import_gives_an_empty_overlay() {
    let out = ntm(&["sheet", "export", "vn-2016-2020-commune-standard"]);
    assert_eq!(out.status.code(), Some(0));
    let csv = text(&out.stdout);
    // For Excel: a BOM, then bilingual headers.
    assert!(csv.starts_with("\u{feff}Mã bộ tiêu chí (set_id),"), "{csv}");
    let back = ntm_stdin(&["sheet", "import", "-"], &csv);
    assert_eq!(back.status.code(), Some(0), "{}", text(&back.stderr));
    let overlay: serde_json::Value = serde_json::from_slice(&back.stdout).unwrap();
    assert_eq!(overlay["thresholds"].as_array().map_or(0, Vec::len), 0);
    let missing = ntm(&["sheet", "export", "no-such-set"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn sheet_workbook_import_takes_the_overlays_authority_source_and_confidence() {
    let dir = std::env::temp_dir().join(format!("ntm-sheet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let book = dir.join("sheet.xlsx");
    let book = book.to_str().unwrap();
    let out = ntm(&[
        "sheet",
        "export",
        "vn-2021-2025-commune-standard",
        "--out",
        book,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read(book).unwrap().starts_with(b"PK"));
    let back = ntm(&[
        "sheet",
        "import",
        book,
        "--authority",
        "UBND tỉnh Bắc Giang",
        "--authority-en",
        "Bắc Giang PPC",
        "--document",
        "741/QĐ-UBND",
        "--part",
        "Điều 2",
        "--confidence",
        "reported",
    ]);
    assert_eq!(back.status.code(), Some(0), "{}", text(&back.stderr));
    let overlay: serde_json::Value = serde_json::from_slice(&back.stdout).unwrap();
    assert_eq!(overlay["authority"]["vi"], "UBND tỉnh Bắc Giang");
    assert_eq!(overlay["authority"]["en"], "Bắc Giang PPC");
    assert_eq!(overlay["source"]["document"], "741/QĐ-UBND");
    assert_eq!(overlay["source"]["part"], "Điều 2");
    assert_eq!(overlay["confidence"], "reported");
    assert_eq!(overlay["thresholds"].as_array().map_or(0, Vec::len), 0);
    let not_a_book = dir.join("not.xlsx");
    std::fs::write(&not_a_book, b"PK\x03\x04 broken").unwrap();
    let bad = ntm(&[
        "sheet",
        "import",
        not_a_book.to_str().unwrap(),
        "--set",
        "vn-2021-2025-commune-standard",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(
        text(&bad.stderr).lines().count(),
        1,
        "{}",
        text(&bad.stderr)
    );
    assert!(
        text(&bad.stderr).contains("not an .xlsx workbook"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn report_out_writes_each_table_as_a_file_and_a_workbook() {
    let dir = std::env::temp_dir().join(format!("ntm-report-{}", std::process::id()));
    let out = ntm(&[
        "report",
        "data/bac_giang_2022_catalog",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary = std::fs::read_to_string(dir.join("summary.csv")).unwrap();
    assert!(summary.starts_with("\u{feff}level,tier,"), "{summary}");
    assert!(
        summary.contains("commune,standard,184,184,0,0,147,9,0,147,184,79.9,"),
        "{summary}"
    );
    for table in [
        "children",
        "communes",
        "criteria",
        "distribution",
        "rollups",
        "plan",
        "excluded",
    ] {
        assert!(dir.join(format!("{table}.csv")).is_file(), "{table}");
    }
    assert!(std::fs::read(dir.join("report.xlsx"))
        .unwrap()
        .starts_with(b"PK"));
}

#[test]
fn template_from_catalog_ids_and_its_import_name_the_scope_and_cells() {
    let dir = std::env::temp_dir().join(format!("ntm-template-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let book = dir.join("nhap-lieu.xlsx");
    let book = book.to_str().unwrap();
    let out = ntm(&[
        "template",
        "--units",
        "data/bac_giang_2022/units.json",
        "--year",
        "2022",
        "--set",
        "commune=vn-2021-2025-commune-standard",
        "--overlay",
        "data/bac_giang_2022_catalog/overlay.json",
        "--scope",
        "218",
        "--out",
        book,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read(book).unwrap().starts_with(b"PK"));
    // An empty template of a request's scope gives no inputs and no problems.
    let out = ntm(&[
        "template",
        "data/bac_giang_2022_catalog",
        "--scope",
        "218",
        "--out",
        book,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let back = ntm(&["import", book, "--request", "data/bac_giang_2022_catalog"]);
    assert_eq!(back.status.code(), Some(0), "{}", text(&back.stderr));
    assert!(
        text(&back.stderr).contains("0 unit input(s), 0 problem(s)"),
        "{}",
        text(&back.stderr)
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&back.stdout).unwrap(),
        serde_json::json!([])
    );
    // A CSV sheet whose unit is not in the tree is named by its cell.
    let csv = dir.join("Xã.csv");
    std::fs::write(
        &csv,
        "code;name;10.1\r\n;;\r\n;;\r\n;;\r\n;;\r\n;;\r\nX9;Xã lạ;45,5\r\n",
    )
    .unwrap();
    let bad = ntm(&[
        "import",
        csv.to_str().unwrap(),
        "--request",
        "data/bac_giang_2022_catalog",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad.stderr).contains("Xã!A7: unit `X9` is not in the tree"),
        "{}",
        text(&bad.stderr)
    );
    let missing = ntm(&["template", "--out", book]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn import_takes_the_parts_a_template_was_made_with_and_can_print_a_whole_request() {
    let dir = std::env::temp_dir().join(format!("ntm-import-parts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let parts = [
        "--units",
        "data/bac_giang_2022/units.json",
        "--year",
        "2022",
        "--set",
        "commune=vn-2021-2025-commune-standard",
    ];
    // The template made from the parts, its commune sheet filled for one commune (the
    // income 10.1 of 218.01) and saved as CSV.
    let book = dir.join("nhap-lieu.xlsx");
    let mut args = vec![
        "template",
        "--scope",
        "218",
        "--out",
        book.to_str().unwrap(),
    ];
    args.extend(parts);
    let out = ntm(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let grids = ntm_rules::model::read_workbook(&std::fs::read(&book).unwrap()).unwrap();
    let sheet = grids
        .iter()
        .find(|g| g.sheet.as_deref() == Some("Xã"))
        .unwrap();
    let keys: Vec<String> = sheet.rows[0]
        .cells
        .iter()
        .map(|c| c.text().unwrap())
        .collect();
    let income = keys.iter().position(|k| k == "10.1").unwrap();
    let mut csv_text = String::new();
    for row in &sheet.rows {
        let mut fields: Vec<String> = (0..keys.len())
            .map(|c| row.cell(c).text().unwrap_or_default())
            .collect();
        if row.cell(0).text().as_deref() == Some("218.01") {
            fields[income] = "45,5".to_owned();
        }
        let quoted: Vec<String> = fields
            .iter()
            .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
            .collect();
        csv_text.push_str(&quoted.join(";"));
        csv_text.push_str("\r\n");
    }
    let csv = dir.join("Xã.csv");
    std::fs::write(&csv, csv_text).unwrap();
    let mut args = vec!["import", csv.to_str().unwrap(), "--as-request"];
    args.extend(parts);
    let out = ntm(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let request: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(request["year"], 2022);
    assert_eq!(request["inputs"].as_array().unwrap().len(), 1);
    assert_eq!(request["inputs"][0]["data"]["unit"], "218.01");
    assert_eq!(
        request["inputs"][0]["data"]["values"]["10.1"]["number"],
        "45.5"
    );
    // The request evaluates: the commune is assessed on the catalog set.
    let evaluated = ntm_stdin(&["evaluate", "-"], &request.to_string());
    let response: serde_json::Value = serde_json::from_slice(&evaluated.stdout).unwrap();
    let result = &response["results"]["218.01"];
    assert_eq!(result["level"], "commune", "{result:#}");
    assert_eq!(result["status"], "decided", "{result:#}");
    // The other communes of the tree have no input: excluded, saying so.
    assert_eq!(
        response["results"]["218.02"]["reason"]["reason"],
        "no_input"
    );
    // Neither a request nor its parts: a usage error saying what to give.
    let out = ntm(&["import", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--units, --year and --set"));
}

#[test]
fn limit_option_changes_a_limit_and_an_unknown_name_is_a_usage_error() {
    // Lowered below the data set's units, the request is refused naming the limit.
    let out = ntm(&["evaluate", "data/bac_giang_2022", "--limit", "max_units=3"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("more than the limit of 3 (max_units)"),
        "{}",
        text(&out.stderr)
    );
    // The same request within the default limits evaluates.
    let out = ntm(&["evaluate", "data/bac_giang_2022"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = ntm(&["--limit", "max_unit=3", "evaluate", "data/bac_giang_2022"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("unknown limit `max_unit`; names: max_bytes"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn limit_option_bounds_sheets_and_documents_as_well_as_requests() {
    // A threshold sheet of more rows than `max_rows` is refused, naming the limit.
    let csv = text(&ntm(&["sheet", "export", "vn-2016-2020-commune-standard"]).stdout);
    let rows = csv.lines().count();
    assert!(rows > 10, "{rows}");
    let out = ntm_stdin(&["--limit", "max_rows=10", "sheet", "import", "-"], &csv);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("max_rows"),
        "{}",
        text(&out.stderr)
    );
    // Within the default limits the same sheet reads.
    let out = ntm_stdin(&["sheet", "import", "-"], &csv);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // A set file of more bytes than `max_bytes` is refused by `validate`, naming it.
    let set =
        std::fs::read_to_string(root().join("data/catalog/vn-2016-2020-commune-standard.json"))
            .unwrap();
    assert!(set.len() > 1000, "{}", set.len());
    let out = ntm_stdin(&["validate", "-", "--limit", "max_bytes=1000"], &set);
    assert_ne!(out.status.code(), Some(0));
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(said.contains("max_bytes"), "{said}");
    let out = ntm_stdin(&["validate", "-"], &set);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn usage_errors_exit_2_and_help_works() {
    assert_eq!(ntm(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(ntm(&["evaluate"]).status.code(), Some(2));
    for cmd in [
        "catalog", "schema", "validate", "evaluate", "report", "test", "sheet",
    ] {
        let out = ntm(&[cmd, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{cmd}");
        assert!(text(&out.stdout).contains("Usage: ntm"), "{cmd}");
    }
}

/// The overlay `ntm sheet import` writes for an unchanged sheet of `set`.
fn unchanged_sheet_overlay(set: &str) -> String {
    let csv = text(&ntm(&["sheet", "export", set]).stdout);
    let out = ntm_stdin(&["sheet", "import", "-"], &csv);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn validate_accepts_the_overlay_sheet_import_writes_for_an_unchanged_sheet() {
    let overlay = unchanged_sheet_overlay("vn-2021-2025-commune-standard");
    let out = ntm_stdin(&["validate", "-"], &overlay);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

const ADDS_AN_INDICATOR: &str = r#"{
  "id": "adds-only", "authority": {"vi": "UBND tỉnh", "en": "Province"},
  "source": {"document": "1/QĐ-UBND"}, "confidence": "illustrative",
  "indicators": [{"set": "vn-2021-2025-commune-standard", "criterion": "10", "indicator": {
    "id": "10.p1", "name": {"vi": "Thu nhập của lao động", "en": "Worker income"},
    "kind": {"decimal": {"unit": "million_vnd_per_person_year"}}, "requirement": "at_least",
    "thresholds": [{"threshold": {"number": "50"}, "source": {"document": "1/QĐ-UBND"},
      "confidence": "illustrative"}]}}]
}"#;

#[test]
fn validate_accepts_an_overlay_that_only_adds_indicators() {
    let out = ntm_stdin(&["validate", "-"], ADDS_AN_INDICATOR);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn validate_refuses_an_overlay_that_loosens_a_confirmed_national_value() {
    let lax = r#"{
      "id": "lax-province", "authority": {"vi": "UBND tỉnh X", "en": "Province X"},
      "source": {"document": "1/QĐ-UBND"}, "confidence": "illustrative",
      "thresholds": [{"set": "vn-2021-2025-commune-standard", "indicator": "3.1",
                      "threshold": {"number": "70"}}]
    }"#;
    let out = ntm_stdin(&["validate", "-"], lax);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("loosens `≥ 80` to `≥ 70`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn validate_reports_an_overlay_entry_for_a_set_that_does_not_exist() {
    let typo = ADDS_AN_INDICATOR.replace(
        "vn-2021-2025-commune-standard",
        "vn-2021-2025-commune-standrad",
    );
    let out = ntm_stdin(&["validate", "-"], &typo);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("at `/indicators/0`: no set `vn-2021-2025-commune-standrad`")
            && stderr.contains("did you mean `vn-2021-2025-commune-standard`?"),
        "{stderr}"
    );
}

#[test]
fn validate_asks_for_the_sets_of_indicator_data_instead_of_using_illustrative_ones() {
    let data = r#"{"unit": "C1", "year": 2022, "values": {"10.l": {"number": "46"}}}"#;
    let out = ntm_stdin(&["validate", "-"], data);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("name them with --set"),
        "{}",
        text(&out.stderr)
    );
    // With the sets named, the data is checked against them.
    let out = ntm_stdin(
        &["validate", "-", "--set", "vn-2021-2025-commune-standard"],
        data,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("unknown indicator `10.l` (did you mean `10.1`?)"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn validate_reads_a_file_as_the_kind_named() {
    // A criteria set read as an overlay: that reader's error.
    let out = ntm(&[
        "validate",
        "--kind",
        "overlay",
        "data/illustrative/commune_standard.json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("cannot read overlay"),
        "{}",
        text(&out.stderr)
    );
    let out = ntm(&["validate", "--kind", "sheet", "x.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn validate_refuses_catalog_tiers_that_read_one_id_as_two_kinds() {
    let mut model: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("data/catalog/vn-2021-2025-commune-model.json"))
            .unwrap(),
    )
    .unwrap();
    model["criteria"][2]["indicators"][0]["id"] = "4.1".into();
    let dir = std::env::temp_dir().join(format!("ntm-cli-tiers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("old-model.json");
    std::fs::write(&path, model.to_string()).unwrap();
    let path = path.to_string_lossy().into_owned();
    let good = ntm(&[
        "validate",
        "data/catalog/vn-2021-2025-commune-standard.json",
        "data/catalog/vn-2021-2025-commune-advanced.json",
        "data/catalog/vn-2021-2025-commune-model.json",
    ]);
    assert!(good.status.success(), "{}", text(&good.stderr));
    let bad = ntm(&[
        "validate",
        "data/catalog/vn-2021-2025-commune-standard.json",
        "data/catalog/vn-2021-2025-commune-advanced.json",
        &path,
    ]);
    assert_eq!(bad.status.code(), Some(1));
    let err = text(&bad.stderr);
    assert!(
        err.contains("indicator `4.1`, at `/criteria/2/indicators/0`: indicator `4.1` is a count here but a yes/no"),
        "{err}"
    );
}

#[test]
fn evaluate_and_report_read_a_data_set_folder() {
    let out = ntm(&["report", "data/bac_giang_2022_catalog", "--lang", "en"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(report.contains("147/184 (79.9%)"), "{report}");
    let out = ntm(&["evaluate", "data/bac_giang_2022_catalog"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let response: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(response["ok"], true);
}

#[test]
fn validate_prints_the_warnings_of_a_request_and_passes_it() {
    let request =
        std::fs::read_to_string(root().join("tests/golden/01-standard-recognised.request.json"))
            .unwrap()
            .replacen("\"coop_new\"", "\"coop_nwe\"", 1);
    let out = ntm_stdin(&["validate", "-"], &request);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("warning: unit `C`, indicator `coop_nwe`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn evaluate_reports_the_line_and_column_of_a_syntax_error() {
    let request = "{\"version\": 1,\n \"year\": 2022,\n \"date\": \"2022-12-31\" oops\n}\n";
    let out = ntm_stdin(&["evaluate", "-"], request);
    assert_eq!(out.status.code(), Some(1));
    let response: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &response["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_str()),
        (Some(3), Some("23")),
        "{d}"
    );
    assert_eq!(d["message"], "expected `,` or `}`");
    // No made-up JSON Pointer: the error is in the top-level object, not at a key `?`.
    assert!(d.get("pointer").is_none(), "{d}");
    let err = text(&out.stderr);
    assert!(
        err.contains("-: error: line 3, column 23: expected `,` or `}`"),
        "{err}"
    );
    assert!(!err.contains('?'), "{err}");
    // Inside an input, the pointer goes as far as is known.
    let request = "{\"version\": 1, \"year\": 2022, \"date\": \"2022-12-31\", \"units\": [],\n \
                   \"sets\": [], \"inputs\": [{\"data\": {\"unit\": \"C\", \"year\": 2022} oops}]}";
    let out = ntm_stdin(&["evaluate", "-"], request);
    let response: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &response["diagnostics"][0];
    assert_eq!(d["pointer"], "/inputs/0", "{d}");
    assert_eq!(d["line"], 2, "{d}");
    // `validate` says the same place.
    let validate = ntm_stdin(&["validate", "-"], request);
    assert!(
        text(&validate.stderr).contains("line 2 column"),
        "{}",
        text(&validate.stderr)
    );
}

#[test]
fn candidates_on_a_data_set_folder_lists_the_plans_targets_in_both_languages() {
    let out = ntm(&["candidates", "data/bac_giang_2022", "--lang", "en"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let en = text(&out.stdout);
    assert!(
        en.contains("Target +9 standard: 9 least-cost units"),
        "{en}"
    );
    assert!(
        en.contains("Target +18 advanced: 18 least-cost units"),
        "{en}"
    );
    assert!(en.contains("Ranking: no costs given"), "{en}");
    let out = ntm(&[
        "candidates",
        "data/bac_giang_2022",
        "--tier",
        "standard",
        "--count",
        "3",
    ]);
    let vi = text(&out.stdout);
    assert!(
        vi.contains("Mục tiêu +3 standard: 3 đơn vị chi phí thấp nhất"),
        "{vi}"
    );
    assert!(!vi.contains("advanced"), "{vi}");
}

#[test]
fn candidates_level_without_tier_keeps_the_plans_targets_at_that_level() {
    let out = ntm(&[
        "candidates",
        "data/bac_giang_2022",
        "--level",
        "village",
        "--lang",
        "en",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let en = text(&out.stdout);
    assert!(en.contains("Target +94 model: 94 least-cost units"), "{en}");
    assert!(!en.contains("Target +9 standard"), "{en}");
    // A level the plan has no target for is an error naming it, not every target.
    let out = ntm(&["candidates", "data/bac_giang_2022", "--level", "district"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("no \"N more units at a tier\" target at level district"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn gaps_and_roadmap_print_a_units_shortfalls_and_years_and_name_bad_input() {
    // The first commune after the nine that reach standard this year.
    let out = ntm(&[
        "candidates",
        "data/bac_giang_2022",
        "--tier",
        "standard",
        "--count",
        "9",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unit = v[0]["others"][0]["unit"].as_str().unwrap().to_owned();
    let out = ntm(&[
        "gaps",
        "data/bac_giang_2022",
        "--unit",
        &unit,
        "--tier",
        "standard",
        "--lang",
        "en",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let g = text(&out.stdout);
    assert!(g.contains(&format!("Unit {unit} → standard")), "{g}");
    assert!(g.contains("Criterion"), "{g}");
    let out = ntm(&[
        "roadmap",
        "data/bac_giang_2022",
        "--unit",
        &unit,
        "--tier",
        "standard",
        "--by",
        "2025",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let r = text(&out.stdout);
    assert!(
        r.contains("Lộ trình") && r.contains("Đạt hạng vào năm"),
        "{r}"
    );
    let out = ntm(&[
        "gaps",
        "data/bac_giang_2022",
        "--unit",
        &unit,
        "--tier",
        "gold",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains(&unit) && text(&out.stderr).contains("gold"));
    let out = ntm(&[
        "roadmap",
        "data/bac_giang_2022",
        "--unit",
        &unit,
        "--tier",
        "standard",
        "--by",
        "2020",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("before the reporting year"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn what_if_prints_an_empty_diff_for_no_change_and_every_change_otherwise() {
    let dir = std::env::temp_dir().join(format!("ntm-what-if-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let none = dir.join("none.json");
    std::fs::write(&none, "{}").unwrap();
    let out = ntm(&[
        "what-if",
        "data/bac_giang_2022",
        "--changes",
        none.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "No change.");
    let some = dir.join("some.json");
    std::fs::write(
        &some,
        r#"{"values": {"218.12": {"9.1": {"flag": true}, "12.1": {"number": "70"}, "17.2": {"flag": true}}}}"#,
    )
    .unwrap();
    let out = ntm(&[
        "what-if",
        "data/bac_giang_2022",
        "--changes",
        some.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    let diff = text(&out.stdout);
    assert!(diff.contains("Value 218.12 12.1: 68.6 → 70"), "{diff}");
    assert!(diff.contains("Unit 218.12: no tier → standard"), "{diff}");
    assert!(
        diff.contains("Plan target communes_standard_new: 9.00 → 10.00"),
        "{diff}"
    );
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"values": {"nowhere": {}}}"#).unwrap();
    let out = ntm(&[
        "what-if",
        "data/bac_giang_2022",
        "--changes",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("nowhere"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn planning_commands_write_gaps_roadmap_and_candidates_csv_tables() {
    let out = ntm(&[
        "gaps",
        "data/bac_giang_2022",
        "--unit",
        "218.12",
        "--tier",
        "standard",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let gaps = text(&out.stdout);
    let mut lines = gaps.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("unit,target,year,tier,set,criterion,"));
    // Plain exact numbers: 68.6 against 70 is 1.4 short (never "1,4").
    assert!(
        gaps.lines()
            .any(|l| l.contains(",12.1,") && l.ends_with(",number,68.6,≥,70,70,1.4,")),
        "{gaps}"
    );
    assert_eq!(
        gaps.lines().count(),
        4,
        "a header and the three gaps: {gaps}"
    );

    let out = ntm(&[
        "roadmap",
        "data/bac_giang_2022",
        "--unit",
        "218.12",
        "--tier",
        "standard",
        "--by",
        "2025",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let roadmap = text(&out.stdout);
    let rows: Vec<Vec<&str>> = roadmap
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 3, "one row per criterion: {roadmap}");
    // At most two criteria a year (the default cap).
    for year in ["2022", "2023", "2024", "2025"] {
        assert!(
            rows.iter().filter(|r| r[5] == year).count() <= 2,
            "{roadmap}"
        );
    }

    let out = ntm(&[
        "candidates",
        "data/bac_giang_2022",
        "--next",
        "2",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let candidates = text(&out.stdout);
    let chosen = |tier: &str| {
        candidates
            .lines()
            .filter(|l| l.starts_with(&format!("{tier},")) && l.contains(",true,"))
            .count()
    };
    assert_eq!(chosen("standard"), 9, "{candidates}");
    assert_eq!(chosen("advanced"), 18, "{candidates}");
    // The plan's four "N more" targets (standard, advanced, the model commune, the
    // model villages), two next closest each.
    assert_eq!(
        candidates.lines().filter(|l| l.contains(",false,")).count(),
        8,
        "two next closest per target: {candidates}"
    );
}

#[test]
fn what_if_with_a_threshold_overlay_file_shows_the_decisions_that_change() {
    let dir = std::env::temp_dir().join(format!("ntm-what-if-overlay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let overlay = dir.join("overlay.json");
    std::fs::write(
        &overlay,
        r#"{"id": "water-90", "authority": {"vi": "giả định", "en": "hypothetical"},
            "source": {"document": "what-if test"}, "confidence": "illustrative",
            "thresholds": [{"set": "bg2022-illustrative-commune-standard", "indicator": "17.1",
                            "threshold": {"number": "90"}}]}"#,
    )
    .unwrap();
    let out = ntm(&[
        "what-if",
        "data/bac_giang_2022",
        "--overlay",
        overlay.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let diff = text(&out.stdout);
    assert!(
        diff.contains("Threshold overlay applied water-90"),
        "{diff}"
    );
    assert!(diff.contains(": standard → no tier"), "{diff}");
    assert!(
        diff.contains("Plan target communes_standard_new: 9.00 → "),
        "{diff}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn report_as_html_prints_one_self_contained_page_with_the_figures() {
    let out = ntm(&["report", "data/bac_giang_2022", "--format", "html"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(page.contains("147/184 (79,9%)") && page.contains("17,1"));
    assert!(page.trim_end().ends_with("</html>"));
    assert_eq!(page.matches("<svg").count(), 2);
    assert!(!page.contains("http"));
    let en = ntm(&[
        "report",
        "examples/requests/province.json",
        "--format",
        "html",
        "--lang",
        "en",
    ]);
    let page = text(&en.stdout);
    assert!(
        page.contains("<html lang=\"en\">") && page.contains("2/5 (40.0%)"),
        "{page}"
    );
}

#[test]
fn a_reader_that_goes_away_ends_the_output_quietly_not_with_a_panic() {
    use std::io::Read as _;
    // The response for the Bắc Giang data set is megabytes, far more than a pipe holds.
    let mut child = Command::new(ntm_binary())
        .args(["evaluate", "data/bac_giang_2022"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout); // as `| head -c 64` does
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
