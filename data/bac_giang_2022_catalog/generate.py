#!/usr/bin/env python3
"""Builds the Bắc Giang 2022 data set on the national catalog: `overlay.json`, `inputs.json`
and `manifest.json` in this folder.

It reuses the synthetic tree, histories, profiles, roll-ups and plan of
`data/bac_giang_2022` and the results of that data set's run on its illustrative sets, so that
each unit meets here the criteria it met there:

    cargo run -q -p ntm-cli -- evaluate data/bac_giang_2022 > /tmp/bac_giang_2022.response.json
    python3 data/bac_giang_2022_catalog/generate.py /tmp/bac_giang_2022.response.json

* The sets are the catalog's 2021-2025 sets (`catalog:<id>` in the manifest); towns and
  provincial cities, for which the catalog has no set (320 Appendix II was not read), keep the
  base data set's illustrative set.
* `overlay.json` fills every threshold cell the catalog leaves `unknown` or `delegated` for a
  TDMNPB commune in 2022 with a made-up value, marked `illustrative` on every entry. Cells a
  source gives keep their value and source: the overlay does not touch them.
* Indicator values are made up (seeded): a criterion that the unit met in the base run gets
  values that meet it here, the others get one failing value.
"""

import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = os.path.join(HERE, "..", "bac_giang_2022")
CATALOG = os.path.join(HERE, "..", "catalog")
YEAR = 2022
REGION = "tdmnpb"

SETS = {
    "village": ["vn-2021-2025-village-model"],
    "commune": ["vn-2021-2025-commune-standard", "vn-2021-2025-commune-advanced",
                "vn-2021-2025-commune-model"],
    "district": ["vn-2021-2025-district-standard", "vn-2021-2025-district-advanced"],
    "province": ["vn-2021-2025-province-completed"],
}
EXTRA_VALUES = ("ocop", "ocop_5star", "coop_new")
FIELDS = ["an ninh, trật tự", "giáo dục", "sản xuất", "văn hóa", "chuyển đổi số"]

SOURCE = {"document": "ntm-rules illustrative overlay for Bắc Giang 2022",
          "note": "made-up value filling a cell the national catalog leaves unknown or to the "
                  "province; not Bắc Giang's 741/QĐ-UBND/2022, whose content was not found"}


def load(*path):
    with open(os.path.join(*path), encoding="utf-8") as f:
        return json.load(f)


def indicators(s):
    return [(c["id"], i) for c in s["criteria"] for i in c["indicators"]] + \
        [(None, i) for i in s.get("preconditions", [])]


def applies(row, profile):
    when = row.get("when", {})
    statuses = set(profile.get("statuses", []))
    if when.get("regions") and REGION not in when["regions"]:
        return False
    if when.get("commune_groups"):
        return False
    if not set(when.get("statuses", [])) <= statuses:
        return False
    if set(when.get("absent_statuses", [])) & statuses:
        return False
    years = row.get("years")
    return not years or years["from"] <= YEAR <= years["to"]


def unit_of(ind):
    k = ind["kind"]
    return k["decimal"]["unit"] if isinstance(k, dict) and "decimal" in k else None


def made_up(set_id, ind):
    """The illustrative threshold for an unknown cell."""
    kind, req, unit = ind["kind"], ind["requirement"], unit_of(ind)
    if kind == "yes_no":
        return {"flag": True}
    if kind == "count":
        return {"number": "1"}
    if unit == "million_vnd_per_person_year":
        return {"number": {"vn-2021-2025-commune-standard": "45",
                           "vn-2021-2025-commune-advanced": "50"}.get(set_id, "55")}
    if req in ("at_most", "below"):
        return {"number": "5"}
    return {"number": "70" if ind.get("derived") is None else "30"}


def overlay(sets):
    entries = []
    seen = set()
    for set_id, s in sets.items():
        for _, ind in indicators(s):
            for row in ind["thresholds"]:
                if row["threshold"] not in ("unknown", "delegated"):
                    continue
                if not applies(row, {"statuses": ["especially_difficult", "more_than_3_schools"]}) \
                        and not applies(row, {}):
                    continue
                key = (set_id, ind["id"], json.dumps(row.get("when")), json.dumps(row.get("years")))
                if key in seen:
                    continue
                seen.add(key)
                e = {"set": set_id, "indicator": ind["id"]}
                if row.get("when"):
                    e["when"] = row["when"]
                if row.get("years"):
                    e["years"] = row["years"]
                e["threshold"] = made_up(set_id, ind)
                entries.append(e)
    return {
        "id": "bac-giang-2022-illustrative",
        "authority": {"vi": "UBND tỉnh Bắc Giang (giá trị minh họa)",
                      "en": "Bắc Giang Provincial People's Committee (illustrative values)"},
        "source": SOURCE,
        "confidence": "illustrative",
        "thresholds": entries,
    }


def threshold(set_id, ind, profile, filled):
    for row in ind["thresholds"]:
        if applies(row, profile):
            t = row["threshold"]
            if t in ("unknown", "delegated"):
                return filled.get((set_id, ind["id"], json.dumps(row.get("when")), json.dumps(row.get("years"))))
            return t
    return None


def value(ind, t, meet, rnd):
    """A value that meets (or fails) threshold `t`; None when it cannot fail."""
    if ind["kind"] == "yes_no":
        want = t.get("flag", True) if isinstance(t, dict) else True
        return {"flag": want if meet else not want}
    thr = float(t["number"]) if isinstance(t, dict) and "number" in t else 0.0
    req = ind["requirement"]
    top = 100.0 if unit_of(ind) == "percent" else thr * 1.5 + 10
    if ind["kind"] == "count":
        v = int(thr) + rnd.randint(0, 2) if meet else int(thr) - 1
        return None if v < 0 else {"number": str(v)}
    if req in ("at_least", "above"):
        v = rnd.uniform(thr, top) if meet else thr - rnd.uniform(1, 10)
        if req == "above" and meet and v == thr:
            v += 0.1
        if v < 0:
            return None
    else:
        v = rnd.uniform(0, thr) if meet else thr + rnd.uniform(1, 10)
        if v > top:
            return None
    return {"number": f"{min(max(v, 0.0), top):.1f}"}


def unit_values(set_id, s, profile, meets, filled, rnd, skip_derived=True):
    """Values for one set: criteria in `meets` (a set of ids, or True for all) are met;
    each other criterion gets one failing value."""
    out = {}
    by_criterion = {}
    for cid, ind in indicators(s):
        if ind.get("derived") and skip_derived:
            continue
        by_criterion.setdefault(cid, []).append(ind)
    for cid, inds in by_criterion.items():
        ok = cid is None or meets is True or cid in meets
        failed = False
        for ind in inds:
            t = threshold(set_id, ind, profile, filled)
            if t is None:
                continue
            v = None if ok or failed else value(ind, t, False, rnd)
            if v is None:
                v = value(ind, t, True, rnd)
            else:
                failed = True
            if v is not None:
                out[ind["id"]] = v
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    base = load(sys.argv[1])["results"]
    catalog = {i: load(CATALOG, i + ".json") for ids in SETS.values() for i in ids}
    ov = overlay(catalog)
    filled = {(e["set"], e["indicator"], json.dumps(e.get("when")), json.dumps(e.get("years"))): e["threshold"]
              for e in ov["thresholds"]}
    units = {u["code"]: u for u in load(BASE, "units.json")}
    rnd = random.Random(2022)
    inputs = []
    for old in load(BASE, "inputs.json"):
        code = old["data"]["unit"]
        unit, result = units.get(code), base.get(code, {})
        if unit is None:
            continue
        level, profile = unit["level"], old.get("profile", {})
        decision = result.get("decision") or {}
        verdict = decision.get("verdict", {})
        after = verdict.get("tier") if verdict.get("verdict") in ("recognise", "maintain") else \
            verdict.get("falls_to")
        met = set(result.get("criteria_met", []))
        values = {}
        if unit.get("kind") in ("town", "provincial_city"):
            values = old["data"]["values"]
        elif level == "village":
            values = unit_values(SETS["village"][0], catalog[SETS["village"][0]], profile,
                                 True if after == "model" else set(), filled, rnd)
        elif level == "commune":
            std, adv, mod = SETS["commune"]
            values.update(unit_values(std, catalog[std], profile, met, filled, rnd))
            high = after in ("advanced", "model")
            values.update({k: v for k, v in unit_values(adv, catalog[adv], profile, True if high else {"10"},
                                                         filled, rnd).items() if k not in values})
            values.update(unit_values(mod, catalog[mod], profile, True if after == "model" else set(),
                                      filled, rnd))
            if "10" in met:
                # One income value serves both tiers: above the advanced floor only for
                # advanced communes.
                values["10.1"] = {"number": "52.4" if high else "46.8"}
            values["S.min"] = {"number": "85"}
        elif level == "district":
            std, adv = SETS["district"]
            values.update(unit_values(std, catalog[std], profile, True if after else set(), filled, rnd))
            values.update(unit_values(adv, catalog[adv], profile, set(), filled, rnd))
            values["C.3"] = {"number": "100"}
        elif level == "province":
            values.update(unit_values(SETS["province"][0], catalog[SETS["province"][0]], profile,
                                      set(), filled, rnd))
        # Values the base data set gives outside any set (OCOP products, new cooperatives),
        # read by its roll-ups and plan.
        for k in EXTRA_VALUES:
            if k in old["data"]["values"]:
                values[k] = old["data"]["values"][k]
        new = {"data": {"unit": code, "year": YEAR, "values": dict(sorted(values.items()))},
               "profile": profile}
        for k in ("history", "weights"):
            if old.get(k):
                new[k] = old[k]
        if level == "commune" and after == "model":
            new["outstanding_fields"] = [FIELDS[len(inputs) % len(FIELDS)]]
        inputs.append(new)

    with open(os.path.join(HERE, "overlay.json"), "w", encoding="utf-8") as f:
        json.dump(ov, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(HERE, "inputs.json"), "w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps(i, ensure_ascii=False, separators=(",", ":"))
                                  for i in inputs) + "\n]\n")
    manifest = load(BASE, "manifest.json")
    manifest["notice"] = {
        "vi": "DỮ LIỆU TỔNG HỢP (GIẢ LẬP) — KHÔNG PHẢI SỐ LIỆU THẬT. Đánh giá theo Bộ tiêu chí quốc gia "
              "2021-2025 trong danh mục (318, 319, 320, 321/QĐ-TTg); các ngưỡng chưa tìm thấy trong nguồn "
              "được điền bằng giá trị MINH HỌA (overlay.json), không phải ngưỡng của tỉnh Bắc Giang. "
              "Thị xã, thành phố dùng bộ tiêu chí minh họa.",
        "en": "SYNTHETIC DATA — NOT REAL FIGURES. Assessed against the catalog's national 2021-2025 sets "
              "(318, 319, 320, 321/QĐ-TTg); thresholds not found in the sources are filled with "
              "ILLUSTRATIVE values (overlay.json), not Bắc Giang's. Towns and cities use an illustrative set.",
    }
    manifest["units"] = "../bac_giang_2022/units.json"
    manifest["inputs"] = "inputs.json"
    manifest["rollups"] = "../bac_giang_2022/" + manifest["rollups"]
    manifest["plan"] = "../bac_giang_2022/" + manifest["plan"]
    manifest["overlays"] = ["overlay.json"]
    sets = []
    for level, ids in SETS.items():
        entry = {"level": level, "sets": ["catalog:" + i for i in ids]}
        sets.append(entry)
        if level == "district":
            sets.append({"level": "district", "kinds": ["provincial_city", "town"],
                         "sets": ["../bac_giang_2022/criteria/city_completed.json"]})
    manifest["sets"] = sets
    with open(os.path.join(HERE, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(f"wrote {len(ov['thresholds'])} overlay entries and {len(inputs)} inputs")


if __name__ == "__main__":
    main()
