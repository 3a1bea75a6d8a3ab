#!/usr/bin/env python3
"""Builds the national example's SYNTHETIC inputs: `overlay.json` (ILLUSTRATIVE values for
the threshold cells the catalog leaves unknown or to the province, for a TDMNPB commune in
2025) and `templates.json` (made-up indicator data for the three commune sets of the
2021-2025 catalog, one entry per template). `examples/vietnam` gives every real commune one
template, picked from its code by a fixed hash, and a made-up history.

Deterministic (seeded), standard library only; reuses the value maker of
`data/bac_giang_2022_catalog/generate.py`:

    python3 data/vn-admin/example/generate.py
"""

import importlib.util
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..", "..")
YEAR = 2025
TEMPLATES = 40  # 10 advanced-level, 20 standard-level, 10 short of 1-4 criteria

spec = importlib.util.spec_from_file_location(
    "bac_giang_catalog", os.path.join(ROOT, "data", "bac_giang_2022_catalog", "generate.py"))
bg = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bg)
bg.YEAR = YEAR  # the value maker reads the year's rows

SETS = bg.SETS["commune"]
SOURCE = {"document": "ntm-rules illustrative overlay for the national example (2025)",
          "note": "made-up value filling a cell the national catalog leaves unknown or to the "
                  "province; no province's threshold"}


def main():
    catalog = {i: bg.load(bg.CATALOG, i + ".json") for i in SETS}
    ov = bg.overlay(catalog)
    ov["id"] = "vn-2025-illustrative"
    ov["authority"] = {"vi": "Giá trị minh họa (không phải của tỉnh nào)",
                       "en": "Illustrative values (no province's)"}
    ov["source"] = SOURCE
    filled = {(e["set"], e["indicator"], json.dumps(e.get("when")),
               json.dumps(e.get("years"))): e["threshold"] for e in ov["thresholds"]}
    std, adv, mod = SETS
    criteria = [c["id"] for c in catalog[std]["criteria"]]
    profile = {"region": bg.REGION}
    rnd = random.Random(YEAR)
    templates = []
    for t in range(TEMPLATES):
        if t < 10:
            met, high = set(criteria), True
        elif t < 30:
            met, high = set(criteria), False
        else:
            short = rnd.sample(criteria, 1 + (t - 30) % 4)
            met, high = set(criteria) - set(short), False
        values = bg.unit_values(std, catalog[std], profile, met, filled, rnd)
        advanced = bg.unit_values(adv, catalog[adv], profile, True if high else {"10"},
                                  filled, rnd)
        values.update({k: v for k, v in advanced.items() if k not in values})
        values.update(bg.unit_values(mod, catalog[mod], profile, set(), filled, rnd))
        if "10" in met:
            values["10.1"] = {"number": "52.4" if high else "46.8"}
        values["S.min"] = {"number": "85"}
        templates.append({"unit": f"template-{t:02}", "year": YEAR,
                          "values": dict(sorted(values.items()))})
    with open(os.path.join(HERE, "overlay.json"), "w", encoding="utf-8") as f:
        json.dump(ov, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(HERE, "templates.json"), "w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps(t, ensure_ascii=False, separators=(",", ":"))
                                  for t in templates) + "\n]\n")
    print(f"wrote {len(ov['thresholds'])} overlay entries and {len(templates)} templates")


if __name__ == "__main__":
    main()
