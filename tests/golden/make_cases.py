#!/usr/bin/env python3
"""Writes the golden requests of `tests/golden/` (`<case>.request.json`). The expected
responses (`<case>.response.json`) are the engine's, written by
`UPDATE_GOLDEN=1 cargo test --test golden` and reviewed by hand: each case's comment
(`"comment"` is not read by the engine; it is kept in this script) says what to check.

Every case runs on the national catalog's sets with the illustrative Bắc Giang overlay
(`data/bac_giang_2022_catalog/overlay.json`), except where a case is about missing values.
"""

import copy
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
COMMUNE = ["vn-2021-2025-commune-standard", "vn-2021-2025-commune-advanced", "vn-2021-2025-commune-model"]


def load(*p):
    with open(os.path.join(ROOT, *p), encoding="utf-8") as f:
        return json.load(f)


OVERLAY = load("data", "bac_giang_2022_catalog", "overlay.json")
INPUTS = [json.loads(l.rstrip(",\n")) for l in open(os.path.join(ROOT, "data", "bac_giang_2022_catalog", "inputs.json"), encoding="utf-8")
          if l.startswith("{")]
MODEL = next(i for i in INPUTS if i.get("outstanding_fields"))
BEST = MODEL["data"]["values"]  # meets the standard, advanced and model sets


def overlay_for(sets, year=2022):
    """The overlay's entries for `sets`; the entries of year-phased cells (income) are moved
    from 2022 to `year`."""
    o = copy.deepcopy(OVERLAY)
    o["thresholds"] = [e for e in o["thresholds"] if e["set"] in sets]
    for e in o["thresholds"]:
        if e.get("years") == {"from": 2022, "to": 2022}:
            e["years"] = {"from": year, "to": year}
    return o


def values(fail=(), drop=(), **changes):
    """The model commune's values, with some made to fail (`fail`: ids set to failing
    values) or removed (`drop`)."""
    v = copy.deepcopy(BEST)
    for k in fail:
        old = v[k]
        if "flag" in old:
            v[k] = {"flag": not old["flag"]}
        elif k in ("11.1", "15.3"):
            v[k] = {"number": "60"}
        else:
            v[k] = {"number": "0"}
    for k in drop:
        v.pop(k, None)
    v.update(changes)
    return v


def event(tier, year, kind="recognised"):
    return {"tier": tier, "year": year, "kind": kind}


def commune(code, parent="P", kind="rural_commune", **extra):
    u = {"code": code, "name": f"Xã {code}", "level": "commune", "parent": parent}
    if kind:
        u["kind"] = kind
    u.update(extra)
    return u


def unit_input(code, vals=None, history=(), year=2022, **extra):
    i = {"data": {"unit": code, "year": year, "values": BEST if vals is None else vals},
         "profile": {"region": "tdmnpb"}}
    if history:
        i["history"] = {"events": list(history)}
    i.update(extra)
    return i


def request(units, inputs, sets=None, year=2022, date=None, overlay=True):
    sets = sets or [{"level": "commune", "sets": [{"catalog": s} for s in COMMUNE]}]
    names = [s["catalog"] for g in sets for s in g["sets"] if "catalog" in s]
    r = {"version": 1, "year": year, "date": date or f"{year}-12-31",
         "units": [{"code": "P", "name": "Tỉnh", "level": "province"}] + units,
         "sets": sets, "inputs": inputs}
    if overlay:
        r["overlays"] = [overlay_for(names, year)]
    return r


def one(vals=None, history=(), **extra):
    return request([commune("C")], [unit_input("C", vals, history, **extra)])


STANDARD_ONLY = values(fail=["NC.1.1"])  # meets the standard set only
CASES = {
    # The three tiers, climbing.
    "01-standard-recognised": one(STANDARD_ONLY),
    "02-advanced-from-standard": one(values(fail=["KM.3.1"]), [event("standard", 2019)]),
    "03-model-needs-advanced-held-first": one(None, [event("standard", 2019)]),
    "04-model-reached-after-advanced": one(None, [event("standard", 2019), event("advanced", 2021)],
                                           outstanding_fields=["an ninh, trật tự"]),
    "05-no-tier-climbs-to-advanced-not-model": one(None),
    # Maintenance and revocation (18/2022) of the standard tier.
    "06-standard-maintained-one-criterion-short": one(values(fail=["13.1", "NC.1.1"]), [event("standard", 2018)]),
    "07-standard-revoked-six-failing-with-key": one(
        values(fail=["1.1", "2.1", "4.1", "6.1", "8.1", "19.1", "NC.1.1"]), [event("standard", 2018)]),
    "08-standard-kept-six-failing-without-key": one(
        values(fail=["1.1", "2.1", "4.1", "6.1", "8.1", "9.1", "NC.1.1"]), [event("standard", 2018)]),
    "09-standard-revoked-half-failing-alone": one(
        values(fail=["1.1", "2.1", "4.1", "6.1", "8.1", "9.1", "12.1", "13.1", "16.1", "18.1", "NC.1.1"]),
        [event("standard", 2018)]),
    # Advanced and model communes are tested against the advanced set.
    "10-advanced-revoked-living-environment-key": one(
        values(fail=["NC.1.1", "NC.3.*", "NC.5.*", "NC.6.*", "NC.7.*", "NC.18.*"]),
        [event("standard", 2018), event("advanced", 2020)]),
    "11-model-maintained-advanced-set-met": one(None, [event("standard", 2016), event("advanced", 2019), event("model", 2021)]),
    # Unknown cells without the overlay: nothing is decided on a guess.
    "12-unknown-thresholds-cannot-decide": request([commune("C")], [unit_input("C", None, [event("standard", 2018)])], overlay=False),
    # History checks and the idempotent year.
    "13-history-skipping-a-tier-is-refused": one(None, [event("model", 2020)]),
    "14-this-years-recorded-decision-is-not-applied": one(STANDARD_ONLY, [event("standard", 2022)]),
    # Wards, kinds, merged units.
    "15-ward-out-of-scope-and-kind-not-given": request(
        [commune("C"), commune("W", kind="ward"), commune("N", kind=None)],
        [unit_input("C", STANDARD_ONLY), unit_input("W"), unit_input("N")]),
    "16-merger-parts-of-one-tier-inherit-it": request(
        [commune("M", merged_from=["A", "B"], valid_from="2022-01-01"),
         commune("A", valid_to="2021-12-31"), commune("B", valid_to="2021-12-31")],
        [unit_input("M", values(fail=["NC.1.1"])),
         {"data": {"unit": "A", "year": 2022, "values": {}}, "history": {"events": [event("standard", 2017)]}},
         {"data": {"unit": "B", "year": 2022, "values": {}}, "history": {"events": [event("standard", 2019)]}}]),
    "17-merger-mixed-parts-re-reviewed": request(
        [commune("M", merged_from=["A", "B"], valid_from="2022-01-01"),
         commune("A", valid_to="2021-12-31"), commune("B", valid_to="2021-12-31")],
        [unit_input("M", values(fail=["1.1", "NC.1.1"])),
         {"data": {"unit": "A", "year": 2022, "values": {}}, "history": {"events": [event("standard", 2017)]}},
         {"data": {"unit": "B", "year": 2022, "values": {}}}]),
    "18-merger-part-without-input-excluded": request(
        [commune("M", merged_from=["A", "B"], valid_from="2022-01-01"),
         commune("A", valid_to="2021-12-31"), commune("B", valid_to="2021-12-31")],
        [unit_input("M"), {"data": {"unit": "A", "year": 2022, "values": {}}}]),
    # Tree shapes: province → district → commune, province → commune (since 1 July 2025),
    # and a country root above provinces.
    "19-three-levels-district-standard": request(
        [{"code": "D", "name": "Huyện", "level": "district", "kind": "rural_district", "parent": "P"},
         commune("C1", parent="D"), commune("C2", parent="D")],
        [unit_input("C1", values(fail=["KM.3.1"], **{"S.min": {"number": "85"}}), [event("standard", 2018), event("advanced", 2021)]),
         unit_input("C2", values(fail=["NC.1.1"], **{"S.min": {"number": "88"}}), [event("standard", 2019)]),
         unit_input("D", {"1.*": {"flag": True}, "2.1": {"number": "100"}, "2.2": {"number": "100"},
                          "2.4": {"flag": True}, "2.*": {"flag": True}, "3.*": {"flag": True},
                          "4.*": {"flag": True}, "5.1": {"number": "75"}, "5.2": {"flag": True},
                          "5.*": {"flag": True}, "6.*": {"flag": True}, "7.*": {"flag": True},
                          "8.*": {"flag": True}, "9.*": {"flag": True}, "C.3": {"number": "100"},
                          "C.4": {"number": "93"}})],
        sets=[{"level": "commune", "sets": [{"catalog": s} for s in COMMUNE]},
              {"level": "district", "sets": [{"catalog": "vn-2021-2025-district-standard"}]}]),
    "20-two-levels-province-commune-2025": request(
        [commune("C1"), commune("C2")],
        [unit_input("C1", values(fail=["NC.1.1"]), year=2025), unit_input("C2", values(fail=["10.1", "NC.1.1"]), year=2025)],
        year=2025),
    "21-country-root-national-shares": {
        **request([{"code": "P2", "name": "Tỉnh 2", "level": "province", "parent": "VN"},
                   commune("C1"), commune("C2", parent="P2"), commune("C3", parent="P2")],
                  [unit_input("C1", None, [event("standard", 2019), event("advanced", 2021)]),
                   unit_input("C2", STANDARD_ONLY),
                   unit_input("C3", values(fail=["1.1", "NC.1.1"]))]),
    },
    # Sets that cannot be used together are refused before anything is evaluated.
    "22-one-id-two-kinds-refused": None,
    # The 2026-2030 scheme: its group values are unknown, so nothing is decided.
    "23-2026-2030-unknown-group-values": {
        "version": 1, "year": 2026, "date": "2026-12-31",
        "units": [{"code": "P", "name": "Tỉnh", "level": "province"}, commune("C")],
        "sets": [{"level": "commune", "sets": [{"catalog": "vn-2026-2030-commune-standard"},
                                               {"catalog": "vn-2026-2030-commune-modern"}]}],
        "inputs": [{"data": {"unit": "C", "year": 2026, "values": {"1.*": {"flag": True}}},
                    "profile": {"commune_group": "group2"}}]},
}

# 21: a country root above the two provinces.
CASES["21-country-root-national-shares"]["units"] = (
    [{"code": "VN", "name": "Việt Nam", "level": "country"},
     {"code": "P", "name": "Tỉnh", "level": "province", "parent": "VN"}]
    + [u for u in CASES["21-country-root-national-shares"]["units"] if u["code"] != "P"])

# 22: the model set as it once was, reading the standard set's `4.1` as a count.
old_model = load("data", "catalog", "vn-2021-2025-commune-model.json")
old_model["criteria"][2]["indicators"][0]["id"] = "4.1"
CASES["22-one-id-two-kinds-refused"] = request(
    [commune("C")], [unit_input("C")],
    sets=[{"level": "commune", "sets": [{"catalog": COMMUNE[0]}, {"catalog": COMMUNE[1]}, {"inline": old_model}]}],
    overlay=False)

# 24: planning questions on one commune two indicators short of standard: its gaps, a
# roadmap to 2024 at one criterion a year, the candidates for one more standard commune,
# a what-if that closes one gap, and two questions refused at their place.
CASES["24-planning-questions"] = one(values(fail=["1.1", "13.1", "NC.1.1"]))
CASES["24-planning-questions"]["questions"] = [
    {"gaps": {"unit": "C", "tier": "standard"}},
    {"roadmap": {"unit": "C", "tier": "standard", "by": 2024, "per_year": 1}},
    {"candidates": {"tier": "standard", "count": 1}},
    {"what_if": {"changes": {"values": {"C": {"13.1": {"flag": True}}}}}},
    {"gaps": {"unit": "C", "tier": "excellent"}},
    {"roadmap": {"unit": "C", "tier": "standard", "by": 2021}},
]


def main():
    for name, req in CASES.items():
        with open(os.path.join(HERE, name + ".request.json"), "w", encoding="utf-8") as f:
            json.dump(req, f, ensure_ascii=False, indent=1)
            f.write("\n")
    print(f"wrote {len(CASES)} golden requests")


if __name__ == "__main__":
    main()
