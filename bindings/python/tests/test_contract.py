"""ntm_rules.evaluate: the JSON contract from Python, and its bad input."""

import copy
import decimal
import json
import pathlib

import pytest

import ntm_rules
from conftest import EXAMPLE, EXAMPLE_RESPONSE, load


def test_evaluate_gives_the_rust_api_response_for_the_example_request():
    golden = load(EXAMPLE_RESPONSE)  # what `ntm evaluate` writes (CI compares them)
    response = ntm_rules.evaluate(EXAMPLE)
    assert response == golden
    assert response["results"]["C01"]["decision"]["verdict"] == {
        "verdict": "recognise",
        "tier": "standard",
        "newly": ["standard"],
    }
    assert response["results"]["C02"]["decision"]["verdict"]["verdict"] == "revoke"


def test_evaluate_reads_a_dict_a_json_str_and_a_path_alike(example_request):
    text = EXAMPLE.read_text(encoding="utf-8")
    from_path = ntm_rules.evaluate(pathlib.Path(EXAMPLE))
    assert ntm_rules.evaluate(example_request) == from_path
    assert ntm_rules.evaluate(text) == from_path


def test_evaluate_reports_a_malformed_unit_and_keeps_the_others():
    response = ntm_rules.evaluate(EXAMPLE)
    assert response["ok"] is True
    errors = [d for d in response["diagnostics"] if d["severity"] == "error"]
    # The example holds a unit whose value is a JSON number with a fraction (C03) and
    # a unit with a percentage over 100 (C04): both named, the others decided.
    assert any(d.get("pointer", "").startswith("/inputs/2/") for d in errors), errors
    assert any(d.get("unit") == "C04" for d in errors), errors
    assert response["results"]["C05"]["status"] == "decided"


def test_decimal_in_a_request_dict_is_written_exactly(example_request):
    as_str = ntm_rules.evaluate(copy.deepcopy(example_request))
    values = example_request["inputs"][0]["data"]["values"]
    assert values["10.1"] == {"number": "46.2"}
    values["10.1"] = {"number": decimal.Decimal("46.2")}
    assert ntm_rules.evaluate(example_request) == as_str
    # More digits than a float holds, still exact: the margin carries all of them.
    values["10.1"] = {"number": decimal.Decimal("46.2000000000000000000000001")}
    response = ntm_rules.evaluate(example_request)
    assert response["results"]["C01"] == as_str["results"]["C01"]


def test_float_in_a_request_dict_is_refused_at_its_place_not_rounded(example_request):
    # As in a JSON text: the unit with the float is reported unreadable (its JSON
    # Pointer, the message), the others are still evaluated, nothing is rounded.
    example_request["inputs"][0]["data"]["values"]["10.1"] = {"number": 46.2}
    response = ntm_rules.evaluate(example_request)
    assert response["ok"] is True
    [d] = [d for d in response["diagnostics"]
           if d.get("pointer") == "/inputs/0/data/values/10.1/number"]
    assert d["severity"] == "error"
    assert "JSON number with a fraction" in d["message"] and '"46.2"' in d["message"]
    assert "C01" not in response["results"] or response["results"]["C01"]["status"] != "decided"
    assert response["results"]["C05"]["status"] == "decided"


def test_float_year_is_refused_even_when_whole(example_request):
    example_request["year"] = 2022.0
    with pytest.raises(ntm_rules.InputError) as e:
        ntm_rules.evaluate(example_request)
    [d] = e.value.diagnostics
    assert d["pointer"] == "/year" and "floating point" in d["message"]
    # Line and column would be the converted text's: a dict's place is its pointer.
    assert "line" not in d and "column" not in d


def test_float_that_json_cannot_hold_is_a_type_error(example_request):
    example_request["inputs"][0]["data"]["values"]["10.1"] = {"number": float("nan")}
    with pytest.raises(ntm_rules.InputTypeError) as e:
        ntm_rules.evaluate(example_request)
    assert e.value.diagnostics[0]["pointer"] == "/inputs/0/data/values/10.1/number"


def test_invalid_json_raises_input_error_with_line_and_column():
    with pytest.raises(ntm_rules.InputError) as e:
        ntm_rules.evaluate('{"version": 1,\n  "year": }')
    [d] = e.value.diagnostics
    assert d["line"] == 2 and d["severity"] == "error"
    assert "expected value" in d["message"]


def test_missing_key_raises_input_error_naming_it(example_request):
    del example_request["year"]
    with pytest.raises(ntm_rules.InputError) as e:
        ntm_rules.evaluate(example_request)
    assert any("missing field `year`" in d["message"] for d in e.value.diagnostics)


def test_wrong_type_in_a_request_raises_with_its_pointer(example_request):
    example_request["units"][2]["level"] = 7
    with pytest.raises(ntm_rules.InputError) as e:
        ntm_rules.evaluate(example_request)
    [d] = e.value.diagnostics
    assert d["pointer"] == "/units/2/level"
    assert "/units/2/level" in str(e.value)


def test_unsupported_version_is_named_first():
    with pytest.raises(ntm_rules.InputError) as e:
        ntm_rules.evaluate({"version": 2})
    assert e.value.diagnostics[0]["pointer"] == "/version"
    assert "this crate speaks version 1" in e.value.diagnostics[0]["message"]


def test_request_that_is_not_a_document_is_a_type_error():
    with pytest.raises(ntm_rules.InputTypeError) as e:
        ntm_rules.evaluate(42)
    assert isinstance(e.value, TypeError)
    assert "not int" in e.value.diagnostics[0]["message"]


def test_non_json_values_in_a_request_are_refused_with_their_pointer(example_request):
    example_request["units"][0]["name"] = {"vi", "en"}  # a set, not a dict
    with pytest.raises(ntm_rules.InputTypeError) as e:
        ntm_rules.evaluate(example_request)
    assert e.value.diagnostics[0]["pointer"] == "/units/0/name"
    example_request["units"][0]["name"] = {1: "x"}
    with pytest.raises(ntm_rules.InputTypeError) as e:
        ntm_rules.evaluate(example_request)
    assert "keys must be str" in e.value.diagnostics[0]["message"]


def test_missing_request_file_raises_input_error(tmp_path):
    with pytest.raises(ntm_rules.InputError) as e:
        ntm_rules.evaluate(tmp_path / "missing.json")
    assert "cannot read the request file" in e.value.diagnostics[0]["message"]


def test_request_past_the_default_size_limit_raises_limit_error():
    # contract::Limits::default(): 64 MiB.
    huge = '{"version": 1, "pad": "' + "x" * (64 << 20) + '"}'
    with pytest.raises(ntm_rules.LimitError) as e:
        ntm_rules.evaluate(huge)
    assert "more than the limit of 67108864" in e.value.diagnostics[0]["message"]


def test_request_past_a_given_size_limit_raises_limit_error(example_request):
    with pytest.raises(ntm_rules.LimitError) as e:
        ntm_rules.evaluate(example_request, max_bytes=1000)
    assert "more than the limit of 1000" in e.value.diagnostics[0]["message"]


def test_request_nested_past_the_depth_limit_raises_limit_error():
    deep = {"version": 1}
    inner = deep
    for _ in range(40):
        inner["x"] = {}
        inner = inner["x"]
    with pytest.raises(ntm_rules.LimitError):
        ntm_rules.evaluate(deep)
    text = json.dumps(deep)
    with pytest.raises(ntm_rules.LimitError) as e:
        ntm_rules.evaluate(text)
    assert "nests deeper than the limit of 32" in e.value.diagnostics[0]["message"]


def test_cyclic_request_dict_is_refused_not_a_crash():
    cyclic = {"version": 1}
    cyclic["units"] = [cyclic]
    with pytest.raises(ntm_rules.LimitError):
        ntm_rules.evaluate(cyclic)


def test_request_past_the_unit_limit_raises_limit_error_naming_it(example_request):
    with pytest.raises(ntm_rules.LimitError) as e:
        ntm_rules.evaluate(example_request, max_units=3)
    [d] = e.value.diagnostics
    assert d["pointer"] == "/inputs" and "more than the limit of 3 (max_units)" in d["message"]
    assert d["limit"] == {"name": "max_units", "value": 3}
    # Still an InputError for callers that catch that.
    assert isinstance(e.value, ntm_rules.InputError)


def test_request_with_a_string_past_the_limit_raises_limit_error_at_its_place(example_request):
    example_request["units"][0]["name"] = {"vi": "x" * ((64 << 10) + 1)}
    with pytest.raises(ntm_rules.LimitError) as e:
        ntm_rules.evaluate(example_request)
    [d] = e.value.diagnostics
    assert d["pointer"] == "/units/0/name/vi", d
    assert "more than the limit of 65536 (max_string_bytes)" in d["message"]


def test_request_with_too_many_sets_raises_limit_error(example_request):
    level = example_request["sets"][0]
    level["sets"] = level["sets"] * 300
    with pytest.raises(ntm_rules.LimitError) as e:
        ntm_rules.evaluate(example_request)
    [d] = e.value.diagnostics
    assert d["pointer"] == "/sets" and d["limit"] == {"name": "max_sets", "value": 256}


def test_a_panic_is_an_internal_error_not_a_crash():
    with pytest.raises(ntm_rules.InternalError) as e:
        ntm_rules._native._panic_for_test()
    assert "on purpose" in str(e.value)
    with pytest.raises(ntm_rules.InternalError):
        ntm_rules._native._panic_detached_for_test()
    # The interpreter and the module still work.
    assert ntm_rules.evaluate(EXAMPLE)["ok"] is True
