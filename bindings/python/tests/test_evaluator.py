"""ntm_rules.Evaluator on the national catalog sets (the real path), and its bad input."""

import collections
import decimal
import json

import pytest

import ntm_rules
from conftest import BAC_GIANG_CATALOG, COMMUNE_SETS


def plain(values):
    """The contract's tagged values ({"number": "52.4"}) as an official would type them."""
    out = {}
    for k, v in values.items():
        if v == "not_applicable":
            out[k] = ntm_rules.NOT_APPLICABLE
        else:
            [(tag, x)] = v.items()
            out[k] = x  # number: str or int; flag: bool; grade: str
    return out


def evaluator_for(profile, overlay):
    return ntm_rules.Evaluator(
        COMMUNE_SETS,
        year=2022,
        region=profile.get("region"),
        commune_group=profile.get("commune_group"),
        statuses=profile.get("statuses"),
        overlays=[overlay],
    )


def test_evaluator_gives_the_contract_decisions_for_every_bac_giang_commune(bac_giang_communes):
    request, inputs, overlay = bac_giang_communes
    response = ntm_rules.evaluate(request)
    assert response["ok"] is True
    held = collections.Counter()
    evaluators = {}  # one per profile, as the tree pass compiles once per profile
    for unit_input in inputs:
        code = unit_input["data"]["unit"]
        profile = unit_input.get("profile", {})
        key = json.dumps(profile, sort_keys=True)
        if key not in evaluators:
            evaluators[key] = evaluator_for(profile, overlay)
        ev = evaluators[key]
        got = ev.evaluate(
            plain(unit_input["data"]["values"]),
            unit_input.get("history", {}).get("events"),
            unit=code,
            outstanding_fields=unit_input.get("outstanding_fields"),
        )
        assert got["decision"] == response["results"][code]["decision"], code
        met = [c["id"] for c in got["assessments"][0]["criteria"] if c["outcome"] == "met"]
        assert met == response["results"][code]["criteria_met"], code
        verdict = got["decision"]["verdict"]
        if verdict["verdict"] in ("recognise", "maintain"):
            held[verdict["tier"]] += 1
    # The calibrated figures (tests/real_path.rs): 147/184 standard or higher, 41
    # advanced (one of them now model), 1 model.
    assert sum(held.values()) == 147
    assert held["advanced"] + held["model"] == 41
    assert held["model"] == 1


def test_evaluator_reports_outcome_threshold_margin_and_legal_source(bac_giang_communes):
    _, inputs, overlay = bac_giang_communes
    unit_input = inputs[0]
    ev = evaluator_for(unit_input["profile"], overlay)
    got = ev.evaluate(plain(unit_input["data"]["values"]), unit="213.01")
    standard = got["assessments"][0]
    assert standard["set"] == "vn-2021-2025-commune-standard"
    indicators = {i["id"]: i for c in standard["criteria"] for i in c["indicators"]}
    income = indicators["10.1"]
    assert income["actual"] == {"number": "52.4"}
    assert income["outcome"] in ("met", "not_met")
    row = income["threshold"]
    assert row["source"]["document"] and row["confidence"]
    # The margin is exact: the value minus the threshold, as a decimal string.
    assert decimal.Decimal(income["margin"]) == decimal.Decimal("52.4") - decimal.Decimal(
        row["threshold"]["number"]
    )
    assert {c["outcome"] for c in standard["criteria"]} <= {"met", "not_met", "undetermined"}
    assert got["decision"]["verdict"]["verdict"] in (
        "recognise", "maintain", "revoke", "not_yet", "cannot_decide",
    )


def test_evaluator_without_an_overlay_leaves_unknown_thresholds_undetermined():
    ev = ntm_rules.Evaluator(COMMUNE_SETS, year=2022, region="tdmnpb")
    got = ev.evaluate({"10.1": "52.4"})
    [income] = [i for c in got["assessments"][0]["criteria"] for i in c["indicators"]
                if i["id"] == "10.1"]
    assert income["outcome"] == "undetermined"
    assert got["decision"]["verdict"]["verdict"] != "recognise"


def test_evaluator_reads_str_int_and_decimal_alike_and_exactly(bac_giang_communes):
    _, inputs, overlay = bac_giang_communes
    ev = evaluator_for(inputs[0]["profile"], overlay)
    values = plain(inputs[0]["data"]["values"])
    base = ev.evaluate(values)
    as_decimal = {k: decimal.Decimal(v) if isinstance(v, str) else v for k, v in values.items()}
    assert ev.evaluate(as_decimal) == base
    values["17.3"] = True
    values["11.1"] = 1  # an int is exact too
    assert ev.evaluate(values)["assessments"][0]["criteria"]


def test_evaluator_refuses_a_float_value_with_a_hint():
    ev = ntm_rules.Evaluator(COMMUNE_SETS, year=2022, region="tdmnpb")
    with pytest.raises(ntm_rules.InputTypeError) as e:
        ev.evaluate({"10.1": 52.4, "11.1": 1.0})
    assert isinstance(e.value, TypeError)
    pointers = {d["pointer"] for d in e.value.diagnostics}
    assert pointers == {"/values/10.1", "/values/11.1"}
    [d] = [d for d in e.value.diagnostics if d["pointer"] == "/values/10.1"]
    assert "52.39999999999999857891452847979962825775146484375" in d["message"]
    assert "decimal.Decimal" in d["message"]


def test_evaluator_refuses_none_and_says_how_to_say_missing_or_not_applicable():
    ev = ntm_rules.Evaluator(COMMUNE_SETS, year=2022, region="tdmnpb")
    with pytest.raises(ntm_rules.InputError) as e:
        ev.evaluate({"10.1": None})
    assert "NOT_APPLICABLE" in e.value.diagnostics[0]["message"]


def test_evaluator_refuses_an_inexact_decimal_string():
    ev = ntm_rules.Evaluator(COMMUNE_SETS, year=2022, region="tdmnpb")
    with pytest.raises(ntm_rules.InputError) as e:
        ev.evaluate({"10.1": "1e3", "12.1": "0." + "1" * 30})
    assert {d["pointer"] for d in e.value.diagnostics} == {"/values/10.1", "/values/12.1"}


def test_evaluator_bad_data_raises_evaluation_error_naming_the_indicator():
    ev = ntm_rules.Evaluator(COMMUNE_SETS, year=2022, region="tdmnpb")
    with pytest.raises(ntm_rules.EvaluationError) as e:
        ev.evaluate({"12.1": "150"}, unit="C9")
    d = e.value.diagnostics[0]
    assert d["unit"] == "C9" and d["indicator"] == "12.1" and d["pointer"] == "/values/12.1"
    assert "150" in d["message"]


def test_evaluator_reports_values_no_set_reads():
    ev = ntm_rules.Evaluator(COMMUNE_SETS, year=2022, region="tdmnpb")
    got = ev.evaluate({"10.l": "52.4"})
    [unused] = got["unused_values"]
    assert unused["indicator"] == "10.l"


def test_evaluator_takes_a_history_and_refuses_one_that_does_not_nest():
    ev = ntm_rules.Evaluator(COMMUNE_SETS, year=2022, region="tdmnpb")
    got = ev.evaluate({}, [{"tier": "standard", "year": 2020, "kind": "recognised"}])
    assert got["decision"]["held"] == "standard"
    with pytest.raises(ntm_rules.EvaluationError):
        ev.evaluate({}, [{"tier": "model", "year": 2020, "kind": "recognised"}])
    with pytest.raises(ntm_rules.InputError) as e:
        ev.evaluate({}, [{"tier": "standard", "year": 2020}])
    assert "missing field `kind`" in e.value.diagnostics[0]["message"]


def test_evaluator_unknown_catalog_id_raises_with_its_position():
    with pytest.raises(ntm_rules.InputError) as e:
        ntm_rules.Evaluator(["vn-2021-2025-commune-standard", "vn-2021-2025-comune-advanced"],
                            year=2022)
    [d] = e.value.diagnostics
    assert d["pointer"] == "/set_ids/1" and d["set"] == "vn-2021-2025-comune-advanced"


def test_evaluator_wrong_argument_types_raise_with_diagnostics():
    with pytest.raises(ntm_rules.InputTypeError) as e:
        ntm_rules.Evaluator(COMMUNE_SETS, year="2022")
    assert e.value.diagnostics[0]["pointer"] == "/year"
    with pytest.raises(ntm_rules.InputTypeError):
        ntm_rules.Evaluator("vn-2021-2025-commune-standard", year=2022)
    with pytest.raises(ntm_rules.InputError) as e:
        ntm_rules.Evaluator(COMMUNE_SETS, year=2022, region="tdmnbp")
    assert e.value.diagnostics[0]["pointer"] == "/region"
    with pytest.raises(ntm_rules.InputError):
        ntm_rules.Evaluator([], year=2022)
    ev = ntm_rules.Evaluator(COMMUNE_SETS, year=2022)
    with pytest.raises(ntm_rules.InputTypeError):
        ev.evaluate([("10.1", "1")])


def test_evaluator_overlay_entries_for_sets_not_held_are_listed_not_dropped():
    ev = ntm_rules.Evaluator(["vn-2021-2025-commune-standard"], year=2022, region="tdmnpb",
                             overlays=[BAC_GIANG_CATALOG / "overlay.json"])
    assert "vn-2021-2025-commune-advanced" in ev.overlay_sets_not_held
    assert "vn-2021-2025-commune-standard" not in ev.overlay_sets_not_held
    assert ev.set_ids == ["vn-2021-2025-commune-standard"]
    assert ev.profile == {"region": "tdmnpb"} and ev.year == 2022


def test_evaluator_overlay_for_an_unknown_set_is_refused():
    overlay = {
        "id": "x", "authority": {"vi": "x", "en": "x"}, "source": {"document": "x"},
        "confidence": "illustrative",
        "thresholds": [{"set": "vn-2021-2025-comune-standard", "indicator": "10.1",
                        "threshold": {"number": "41"}}],
    }
    with pytest.raises(ntm_rules.InputError) as e:
        ntm_rules.Evaluator(COMMUNE_SETS, year=2022, overlays=[overlay])
    assert "vn-2021-2025-comune-standard" in str(e.value)


def test_evaluator_shared_by_threads_never_crashes():
    import threading

    ev = ntm_rules.Evaluator(COMMUNE_SETS, year=2022, region="tdmnpb")
    outcomes, errors = [], []

    def work():
        for _ in range(20):
            try:
                outcomes.append(ev.evaluate({"10.1": "52.4"})["decision"]["verdict"]["verdict"])
            except RuntimeError as e:  # busy on another thread: refused, not a crash
                errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) + len(errors) == 80
    assert outcomes and set(outcomes) == {outcomes[0]}


def test_evaluator_on_inline_sets_gives_the_golden_decisions():
    from conftest import EXAMPLE, EXAMPLE_RESPONSE, load

    request, golden = load(EXAMPLE), load(EXAMPLE_RESPONSE)
    sets = [s["inline"] for s in request["sets"][0]["sets"]]
    ev = ntm_rules.Evaluator(sets=sets, year=request["year"], region="tdmnpb")
    checked = 0
    for unit_input in request["inputs"]:
        code = unit_input["data"]["unit"]
        result = golden["results"].get(code, {})
        if result.get("status") != "decided":
            continue  # C03 (a JSON float) and C04 (bad data) are not decided
        assert unit_input["profile"] == {"region": "tdmnpb"}
        got = ev.evaluate(
            plain(unit_input["data"]["values"]),
            unit_input.get("history", {}).get("events"),
            unit=code,
        )
        assert got["decision"] == result["decision"], code
        checked += 1
    assert checked == 3
    # C04's percentage over 100: the contract excludes the unit, the Evaluator raises,
    # both naming the unit and the indicator.
    [c04] = [i for i in request["inputs"] if i["data"]["unit"] == "C04"]
    with pytest.raises(ntm_rules.EvaluationError) as e:
        ev.evaluate(plain(c04["data"]["values"]), unit="C04")
    ours = {(d["unit"], d.get("indicator")) for d in e.value.diagnostics}
    theirs = {(d.get("unit"), d.get("indicator")) for d in golden["diagnostics"]
              if d.get("unit") == "C04" and d.get("indicator")}
    assert ours == theirs == {("C04", "3.1")}
    assert "120" in e.value.diagnostics[0]["message"]
