#!/usr/bin/env python3
"""Writes data/vn-admin/units.json: Vietnam's administrative units before and after the
1 July 2025 rearrangement, in the crate's unit-tree format (a JSON array of AdminUnit, one
unit per line), from the data files of the PyPI package `vietnamadminunits` 1.0.4 (MIT).

Install the package without its dependencies (only its data files are read):

    pip install --no-deps vietnamadminunits==1.0.4
    python3 data/vn-admin/generate.py            # rewrites data/vn-admin/units.json
    python3 data/vn-admin/generate.py --out F    # writes F instead (CI compares it)
    python3 data/vn-admin/generate.py --self-test

Deterministic, standard library only. Problems of single units (a parent or lineage code
missing at its date, a code used twice at one date, a unit type the mapping does not know,
coordinates outside Vietnam) are printed to stderr naming the unit; the unit (or, for
coordinates, the coordinates) is left out and the rest of the tree is still written. The
exit status is 1 when there was a problem.

Mapping of the dataset's unit types to the crate's `UnitKind`s:

    province "Tỉnh"                    -> province
    province "Thành phố"               -> central_city
    district "Huyện"                   -> rural_district
    district "Quận"                    -> urban_district
    district "Thị xã"                  -> town
    district "Thành phố"               -> provincial_city
    commune  "Xã"                      -> rural_commune
    commune  "Phường"                  -> ward
    commune  "Thị trấn"                -> township
    commune  "Đặc khu" (from 2025)     -> special_zone

The root is the country, code "VN" (ISO 3166-1; not an official unit code), valid at both
dates. Units before the rearrangement are valid until 2025-06-30, units after it from
2025-07-01. Each new unit lists the old units it was formed from (`merged_from`: the old
commune-level units, or the old island district for a special zone formed from a district
without communes; for a province, the old provinces); an old commune-level unit divided
among several new ones lists them (`divided_into`).
"""

import argparse
import importlib.util
import json
import sqlite3
import sys
from pathlib import Path

VERSION = "1.0.4"
BEFORE_END = "2025-06-30"
AFTER_START = "2025-07-01"
COUNTRY = "VN"

PROVINCE_KINDS = {"Tỉnh": "province", "Thành phố": "central_city"}
DISTRICT_KINDS = {
    "Huyện": "rural_district",
    "Quận": "urban_district",
    "Thị xã": "town",
    "Thành phố": "provincial_city",
}
COMMUNE_KINDS = {
    "Xã": "rural_commune",
    "Phường": "ward",
    "Thị trấn": "township",
    "Đặc khu": "special_zone",
}

# Vietnam, its islands included (Trường Sa reaches about 117.8° E), as a box.
LAT_RANGE = (8.0, 24.0)
LON_RANGE = (102.0, 118.0)

HERE = Path(__file__).resolve().parent


def package_data():
    """The installed package's data folder, or None."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def province_type(r):
    """The type of a province from its full and short names ("Tỉnh" / "Thành phố")."""
    name, short = r["province"], r["provinceShort"] or ""
    if short and name.endswith(" " + short):
        return name[:-len(short) - 1]
    return name.split(" ")[0]


def coords(lat, lon):
    """Coordinates as decimal strings, or None when absent."""
    if lat is None or lon is None:
        return None
    return {"lat": repr(float(lat)), "lon": repr(float(lon))}


def in_vietnam(c):
    lat, lon = float(c["lat"]), float(c["lon"])
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]


class Converter:
    """Collects units and problems; a unit with a problem is left out."""

    def __init__(self):
        self.units = []
        self.problems = []

    def problem(self, unit, message):
        self.problems.append(f"unit `{unit}`: {message}")

    def unit(self, code, name, level, kind, parent, valid_from, valid_to, c,
             merged_from=(), divided_into=()):
        u = {"code": code, "name": name, "level": level}
        if kind is not None:
            u["kind"] = kind
        if parent is not None:
            u["parent"] = parent
        if valid_from is not None:
            u["valid_from"] = valid_from
        if valid_to is not None:
            u["valid_to"] = valid_to
        if merged_from:
            u["merged_from"] = sorted(set(merged_from))
        if divided_into:
            u["divided_into"] = sorted(set(divided_into))
        if c is not None:
            if in_vietnam(c):
                u["coordinates"] = c
            else:
                self.problem(code, f"coordinates {c['lat']}, {c['lon']} are outside Vietnam;"
                             " left out")
        self.units.append(u)


def convert(legacy_rows, new_rows, converter_data):
    """Converts the dataset's rows (dicts of the two tables) and its converter map into
    (units, problems)."""
    out = Converter()
    out.unit(COUNTRY, "Việt Nam", "country", None, None, None, None, None)

    # Before: province -> district -> commune.
    provinces, districts = {}, {}
    old_key = {}  # "provinceKey_districtKey_wardKey" -> old code
    old_province_by_key = {}
    communes = {}
    names = {}  # (level, code) -> the names it is used with
    for r in legacy_rows:
        pc, dc, wc = r["provinceCode"], r["districtCode"], r["wardCode"]
        names.setdefault(("province", pc), set()).add(r["province"])
        names.setdefault(("district", dc), set()).add(r["district"])
        if pc not in provinces:
            provinces[pc] = r
            old_province_by_key[r["provinceKey"]] = pc
        if dc not in districts:
            districts[dc] = r
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        if wc is None:
            old_key[key] = dc  # a district without communes (an island district)
            continue
        old_key[key] = wc
        communes.setdefault(wc, []).append(r)

    def kind_of(mapping, type_name, code, what):
        kind = mapping.get(type_name)
        if kind is None:
            out.problem(code, f"{what} type `{type_name}` is not in the mapping; left out")
        return kind

    # Old units divided among several new ones: old key -> new ward keys, per new province.
    new_code_by_key = {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in new_rows}
    divided = {}
    for new_pk, olds in converter_data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for key, shares in olds.items():
            for s in shares:
                divided.setdefault(key, []).append((new_pk, s["newWardKey"]))

    def used_twice(level, code, date):
        n = len(names.get((level, code), ()))
        if n > 1:
            out.problem(code, f"code used by {n} units on {date}; left out")
        return n > 1

    old_codes = set()
    for pc in sorted(provinces):
        r = provinces[pc]
        if used_twice("province", pc, BEFORE_END):
            continue
        kind = kind_of(PROVINCE_KINDS, province_type(r), pc, "province")
        if kind is None:
            continue
        old_codes.add(pc)
        out.unit(pc, r["province"], "province", kind, COUNTRY, None, BEFORE_END,
                 coords(r["provinceLat"], r["provinceLon"]))
    for dc in sorted(districts):
        r = districts[dc]
        if used_twice("district", dc, BEFORE_END):
            continue
        kind = kind_of(DISTRICT_KINDS, r["districtType"], dc, "district")
        if kind is None:
            continue
        if r["provinceCode"] not in old_codes:
            out.problem(dc, f"parent `{r['provinceCode']}` is missing on {BEFORE_END};"
                        " left out")
            continue
        old_codes.add(dc)
        out.unit(dc, r["district"], "district", kind, r["provinceCode"], None, BEFORE_END,
                 coords(r["districtLat"], r["districtLon"]))
    for wc in sorted(communes):
        rows = communes[wc]
        r = rows[0]
        if len(rows) > 1:
            out.problem(wc, f"code used by {len(rows)} units on {BEFORE_END}; left out")
            continue
        kind = kind_of(COMMUNE_KINDS, r["wardType"], wc, "commune")
        if kind is None:
            continue
        if r["districtCode"] not in old_codes:
            out.problem(wc, f"parent `{r['districtCode']}` is missing on {BEFORE_END};"
                        " left out")
            continue
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"
        successors = []
        for new_pk, new_wk in divided.get(key, []):
            code = new_code_by_key.get((new_pk, new_wk))
            if code is None:
                out.problem(wc, f"divided into `{new_pk}/{new_wk}`, which is not a unit"
                            f" on {AFTER_START}")
            else:
                successors.append(code)
        old_codes.add(wc)
        out.unit(wc, r["ward"], "commune", kind, r["districtCode"], None, BEFORE_END,
                 coords(r["wardLat"], r["wardLon"]), divided_into=successors)

    # After: province -> commune, with lineage.
    new_provinces = {}
    new_communes = {}
    for r in new_rows:
        names.setdefault(("new province", r["provinceCode"]), set()).add(r["province"])
        new_provinces.setdefault(r["provinceCode"], r)
        new_communes.setdefault(r["wardCode"], []).append(r)
    province_parts = converter_data["DICT_PROVINCE"]
    ward_parts = converter_data["DICT_PROVINCE_WARD_NO_DIVIDED"]
    new_codes = set()
    for pc in sorted(new_provinces):
        r = new_provinces[pc]
        if used_twice("new province", pc, AFTER_START):
            continue
        kind = kind_of(PROVINCE_KINDS, province_type(r), pc, "province")
        if kind is None:
            continue
        parts = []
        for k in province_parts.get(r["provinceKey"], []):
            if k in old_province_by_key and old_province_by_key[k] in old_codes:
                parts.append(old_province_by_key[k])
            else:
                out.problem(pc, f"formed from `{k}`, which is not a unit on {BEFORE_END}")
        if not parts:
            out.problem(pc, "formed from no unit")
        new_codes.add(pc)
        out.unit(pc, r["province"], "province", kind, COUNTRY, AFTER_START, None,
                 coords(r["provinceLat"], r["provinceLon"]), merged_from=parts)
    # Parts of each new commune: the undivided old units, and every divided one it shares.
    shared = {}
    for key, news in divided.items():
        for new_pk, new_wk in news:
            shared.setdefault((new_pk, new_wk), []).append(key)
    for wc in sorted(new_communes):
        rows = new_communes[wc]
        r = rows[0]
        if len(rows) > 1:
            out.problem(wc, f"code used by {len(rows)} units on {AFTER_START}; left out")
            continue
        kind = kind_of(COMMUNE_KINDS, r["wardType"], wc, "commune")
        if kind is None:
            continue
        if r["provinceCode"] not in new_codes:
            out.problem(wc, f"parent `{r['provinceCode']}` is missing on {AFTER_START};"
                        " left out")
            continue
        keys = list(ward_parts.get(r["provinceKey"], {}).get(r["wardKey"], []))
        keys += shared.get((r["provinceKey"], r["wardKey"]), [])
        parts = []
        for k in keys:
            code = old_key.get(k)
            if code is None or code not in old_codes:
                out.problem(wc, f"formed from `{k}`, which is not a unit on {BEFORE_END}")
            else:
                parts.append(code)
        if not parts:
            out.problem(wc, "formed from no unit")
        new_codes.add(wc)
        out.unit(wc, r["ward"], "commune", kind, r["provinceCode"], AFTER_START, None,
                 coords(r["wardLat"], r["wardLon"]), merged_from=parts)
    # Every old commune-level unit goes into at least one new one, or is reported.
    succeeded = {p for u in out.units if u.get("valid_from") for p in u.get("merged_from", [])}
    for u in out.units:
        if u.get("valid_to") and u["level"] == "commune" and u["code"] not in succeeded:
            out.problem(u["code"], f"has no successor on {AFTER_START}")
    return out.units, out.problems


def read_rows(db, table):
    db.row_factory = sqlite3.Row
    return [dict(r) for r in db.execute(f"SELECT * FROM {table}")]


def render(units):
    lines = [json.dumps(u, ensure_ascii=False, separators=(",", ":")) for u in units]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def self_test():
    """Bad input gives a problem naming the unit, and the rest still converts."""
    legacy = [
        {"province": "Tỉnh A", "provinceShort": "A", "provinceKey": "tinha",
         "provinceCode": "01", "provinceLat": 21.0, "provinceLon": 105.0,
         "district": "Huyện B", "districtType": "Huyện", "districtKey": "huyenb",
         "districtCode": "001", "districtLat": 21.0, "districtLon": 105.0,
         "ward": "Xã C", "wardType": "Xã", "wardKey": "xac", "wardCode": "00001",
         "wardLat": 21.0, "wardLon": 105.0},
    ]
    legacy.append(dict(legacy[0], ward="Xã D", wardKey="xad", wardCode="00002",
                       wardType="Làng"))  # unknown type
    legacy.append(dict(legacy[0], ward="Xã E", wardKey="xae", wardCode="00003",
                       wardLat=48.8, wardLon=2.3))  # Paris
    legacy.append(dict(legacy[0], ward="Xã F", wardKey="xaf", wardCode="00004",
                       districtCode="999", district="Huyện G", districtType="Huyện X"))
    legacy.append(dict(legacy[0], ward="Xã J", wardKey="xaj", wardCode="00006",
                       districtCode="002", district="Huyện K"))
    legacy.append(dict(legacy[0], ward="Xã L", wardKey="xal", wardCode="00007",
                       districtCode="002", district="Huyện M"))  # 002 named twice
    new = [
        {"province": "Tỉnh A", "provinceShort": "A", "provinceKey": "tinha",
         "provinceCode": "01", "provinceLat": 21.0, "provinceLon": 105.0,
         "ward": "Xã C", "wardType": "Xã", "wardKey": "xac", "wardCode": "00001",
         "wardLat": 21.0, "wardLon": 105.0},
    ]
    new.append(dict(new[0], ward="Xã H", wardKey="xah", wardCode="00001"))  # twice
    new.append(dict(new[0], ward="Xã I", wardKey="xai", wardCode="00005"))
    data = {
        "DICT_PROVINCE": {"tinha": ["tinha"]},
        "DICT_PROVINCE_WARD_NO_DIVIDED": {"tinha": {
            "xac": ["tinha_huyenb_xac"], "xai": ["tinha_huyenb_xaz"]}},
        "DICT_PROVINCE_WARD_DIVIDED": {},
    }
    units, problems = convert(legacy, new, data)
    codes = [(u["code"], u.get("valid_to", u.get("valid_from"))) for u in units]
    expected = [
        "unit `002`: code used by 2 units on 2025-06-30; left out",
        "unit `999`: district type `Huyện X` is not in the mapping; left out",
        "unit `00002`: commune type `Làng` is not in the mapping; left out",
        "unit `00003`: coordinates 48.8, 2.3 are outside Vietnam; left out",
        "unit `00004`: parent `999` is missing on 2025-06-30; left out",
        "unit `00006`: parent `002` is missing on 2025-06-30; left out",
        "unit `00007`: parent `002` is missing on 2025-06-30; left out",
        "unit `00001`: code used by 2 units on 2025-07-01; left out",
        "unit `00005`: formed from `tinha_huyenb_xaz`, which is not a unit on 2025-06-30",
        "unit `00005`: formed from no unit",
        "unit `00001`: has no successor on 2025-07-01",
        "unit `00003`: has no successor on 2025-07-01",
    ]
    assert problems == expected, "\n".join(problems)
    assert ("00001", BEFORE_END) in codes and ("00003", BEFORE_END) in codes
    assert ("00005", AFTER_START) in codes and ("001", BEFORE_END) in codes
    assert not any(c == "00002" or c == "00004" for c, _ in codes)
    paris = next(u for u in units if u["code"] == "00003")
    assert "coordinates" not in paris
    print("generate.py self-test: bad input reported, the rest converted")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(HERE / "units.json"))
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        self_test()
        return 0
    data = package_data()
    if data is None or not (data / "dataset.db").exists():
        print("vietnamadminunits is not installed: "
              f"pip install --no-deps vietnamadminunits=={VERSION}", file=sys.stderr)
        return 2
    db = sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True)
    legacy = read_rows(db, "admin_units_legacy")
    new = read_rows(db, "admin_units")
    with open(data / "converter_2025.json", encoding="utf-8") as f:
        converter_data = json.load(f)
    units, problems = convert(legacy, new, converter_data)
    for p in problems:
        print(p, file=sys.stderr)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(render(units))
    print(f"wrote {len(units)} units to {args.out}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
