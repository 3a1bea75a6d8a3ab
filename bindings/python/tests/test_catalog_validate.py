"""ntm_rules.catalog() and ntm_rules.validate()."""

import copy
import json

import pytest

import ntm_rules
from conftest import BAC_GIANG_CATALOG, EXAMPLE, ROOT, load


def test_catalog_lists_every_built_in_set():
    entries = ntm_rules.catalog()
    ids = [e["id"] for e in entries]
    on_disk = sorted(p.stem for p in (ROOT / "data" / "catalog").glob("vn-*.json"))
    assert sorted(ids) == on_disk
    [standard] = [e for e in entries if e["id"] == "vn-2021-2025-commune-standard"]
    assert standard["level"] == "commune" and standard["tier"] == "standard"
    assert standard["scheme"] == "vn-2021-2025"
    assert any("318" in d for d in standard["documents"])
    assert all(e["partial"] is True for e in entries)


def test_validate_a_catalog_set_file_is_clean():
    path = ROOT / "data" / "catalog" / "vn-2021-2025-commune-standard.json"
    assert ntm_rules.validate(path) == []
    assert ntm_rules.validate(load(path)) == []


def test_validate_the_catalog_commune_tiers_together_is_clean():
    sets = [load(ROOT / "data" / "catalog" / f"vn-2021-2025-commune-{t}.json")
            for t in ("standard", "advanced", "model")]
    assert ntm_rules.validate(sets) == []


def test_validate_a_broken_set_names_the_place():
    path = ROOT / "data" / "catalog" / "vn-2021-2025-commune-standard.json"
    broken = load(path)
    broken["criteria"][0]["indicators"][0]["requirement"] = "roughly"
    [d] = ntm_rules.validate(broken)
    assert d["pointer"] == "/criteria/0/indicators/0/requirement"
    assert "roughly" in d["message"]
    # Structure problems that parse: a duplicate criterion id.
    dup = load(path)
    dup["criteria"].append(copy.deepcopy(dup["criteria"][0]))
    problems = ntm_rules.validate(dup)
    assert problems and all(p["severity"] == "error" for p in problems)
    assert any(p.get("criterion") == dup["criteria"][0]["id"] for p in problems), problems


def test_validate_a_request_gives_its_diagnostics():
    problems = ntm_rules.validate(EXAMPLE)
    response = ntm_rules.evaluate(EXAMPLE)
    assert problems == response["diagnostics"]
    assert any(p.get("unit") == "C04" for p in problems)


def test_validate_an_overlay_against_the_catalog():
    assert ntm_rules.validate(BAC_GIANG_CATALOG / "overlay.json") == []
    overlay = load(BAC_GIANG_CATALOG / "overlay.json")
    overlay["thresholds"][0]["set"] = "vn-2021-2025-comune-standard"
    problems = ntm_rules.validate(overlay)
    assert any("vn-2021-2025-comune-standard" in p["message"] for p in problems), problems


def test_validate_reports_invalid_json_and_unknown_documents():
    [d] = ntm_rules.validate('{"criteria": [')
    assert d["message"].startswith("not JSON") and d["line"] == 1
    [d] = ntm_rules.validate({"hello": 1})
    assert "not a request, criteria set or overlay" in d["message"]
    with pytest.raises(ntm_rules.InputError):
        ntm_rules.validate({"hello": 1}, kind="spreadsheet")
    with pytest.raises(ntm_rules.InputTypeError):
        ntm_rules.validate(3.5)


def test_validate_a_float_threshold_in_a_set_is_reported_not_rounded():
    inline = load(EXAMPLE)["sets"][0]["sets"][0]["inline"]
    assert ntm_rules.validate(inline) == []
    for c, criterion in enumerate(inline["criteria"]):
        for i, indicator in enumerate(criterion["indicators"]):
            for r, row in enumerate(indicator["thresholds"]):
                if isinstance(row.get("threshold"), dict) and "number" in row["threshold"]:
                    row["threshold"]["number"] = float(row["threshold"]["number"])
                    [d] = ntm_rules.validate(inline)
                    assert d["pointer"] == (
                        f"/criteria/{c}/indicators/{i}/thresholds/{r}/threshold/number"
                    )
                    assert "JSON number with a fraction" in d["message"]
                    return
    pytest.fail("no numeric threshold in the example's set")
