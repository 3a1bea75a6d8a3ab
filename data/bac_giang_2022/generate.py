#!/usr/bin/env python3
"""Generate the SYNTHETIC Bắc Giang 2022 data set used by `examples/bac_giang_2022.rs`.

    python3 data/bac_giang_2022/generate.py     # rewrites the JSON files next to it

Deterministic: a fixed seed, no clock, no network. Standard library only.

WHAT IS SYNTHETIC: every commune- and village-level figure, every commune code, most
commune names, every village, every history before 2022, every criteria threshold.
WHAT IS REAL: the ten district-level units of Bắc Giang, the commune total (184), the
communes named in the research notes (Quảng Minh; 2022 recognitions), and the 2022
plan targets of the provincial steering committee (the seed document). The data are
calibrated so that the engine's own evaluation reproduces the plan's figures: 147/184
communes standard (79.9%), 9 newly standard, 18 newly advanced, 1 model commune
(Quảng Minh), 239 model villages (94 new), 17.1 criteria per commune on average. The
figures are computed by the engine from these data; nothing in the example is
hard-coded.

The criteria sets written here are ILLUSTRATIVE: criteria numbered and named as in
318/QĐ-TTg, thresholds made up. They are not the law.
"""

import json
import os
import random
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
YEAR = 2022
RNG = random.Random(20221231)

ILL_SOURCE = {
    "document": "ntm-rules synthetic Bắc Giang 2022 data set",
    "note": "ILLUSTRATIVE threshold made up for the example; not law",
}

NOTICE = {
    "vi": "DỮ LIỆU TỔNG HỢP (GIẢ LẬP) — KHÔNG PHẢI SỐ LIỆU THẬT. Mã xã, phần lớn tên xã, "
    "toàn bộ thôn, số liệu chỉ tiêu và lịch sử công nhận là giả lập, được hiệu chỉnh để "
    "tái hiện các con số của Kế hoạch NTM tỉnh Bắc Giang năm 2022. Bộ tiêu chí dùng để "
    "đánh giá là MINH HỌA (ngưỡng tự đặt), không phải Bộ tiêu chí theo 318/QĐ-TTg.",
    "en": "SYNTHETIC DATA — NOT REAL FIGURES. Commune codes, most commune names, all "
    "villages, indicator values and recognition histories are made up, calibrated to "
    "reproduce the figures of Bắc Giang's 2022 NTM plan. The criteria sets are "
    "ILLUSTRATIVE (made-up thresholds), not the sets of Decision 318/QĐ-TTg.",
}

# ---------------------------------------------------------------------------------
# Criteria sets (illustrative)
# ---------------------------------------------------------------------------------

def row(threshold, years=None, when=None):
    r = {}
    if when:
        r["when"] = when
    if years:
        r["years"] = {"from": years[0], "to": years[1]}
    r["threshold"] = threshold
    r["source"] = ILL_SOURCE
    r["confidence"] = "illustrative"
    return r


def yes_no(iid, vi, en):
    return {"id": iid, "name": {"vi": vi, "en": en}, "kind": "yes_no",
            "requirement": "equal", "thresholds": [row({"flag": True})]}


def number(iid, vi, en, unit, req, rows, derived=None):
    kind = "count" if unit == "count" else {"decimal": {"unit": unit}}
    ind = {"id": iid, "name": {"vi": vi, "en": en}, "kind": kind, "requirement": req}
    if derived:
        ind["derived"] = derived
    ind["thresholds"] = rows
    return ind


def crit(cid, vi, en, indicators):
    return {"id": cid, "name": {"vi": vi, "en": en}, "indicators": indicators}


# The 19 criteria of 318/QĐ-TTg (names: domain notes §5). Numeric indicators:
# 3.1, 10.1, 11.1, 12.1, 15.1, 17.1; the others are yes/no ("Đạt").
CRITERIA = [
    ("1", "Quy hoạch", "Planning"),
    ("2", "Giao thông", "Transport"),
    ("3", "Thủy lợi và phòng, chống thiên tai", "Irrigation and disaster prevention"),
    ("4", "Điện", "Electricity"),
    ("5", "Trường học", "Schools"),
    ("6", "Cơ sở vật chất văn hóa", "Cultural facilities"),
    ("7", "Cơ sở hạ tầng thương mại nông thôn", "Rural commercial infrastructure"),
    ("8", "Thông tin và Truyền thông", "Information and communication"),
    ("9", "Nhà ở dân cư", "Housing"),
    ("10", "Thu nhập", "Income"),
    ("11", "Nghèo đa chiều", "Multidimensional poverty"),
    ("12", "Lao động", "Labour"),
    ("13", "Tổ chức sản xuất và phát triển kinh tế nông thôn",
     "Production organisation and rural economy"),
    ("14", "Giáo dục và Đào tạo", "Education and training"),
    ("15", "Y tế", "Health"),
    ("16", "Văn hóa", "Culture"),
    ("17", "Môi trường và an toàn thực phẩm", "Environment and food safety"),
    ("18", "Hệ thống chính trị và tiếp cận pháp luật", "Political system and access to law"),
    ("19", "Quốc phòng và An ninh", "Defence and security"),
]

# (standard, advanced) illustrative thresholds of the numeric indicators.
T = {
    "3.1": (Decimal("80"), Decimal("90")),
    "10.1": (Decimal("41"), Decimal("48")),   # for 2022
    "11.1": (Decimal("6"), Decimal("3")),
    "12.1": (Decimal("70"), Decimal("75")),
    "15.1": (Decimal("95"), Decimal("95")),
    "17.1": (Decimal("50"), Decimal("65")),
}
MODEL_INCOME = Decimal("53")  # about 10% above the advanced threshold


def income_rows(base):
    # Year-phased, +3 million per year from 2022 (illustrative).
    return [row({"number": str(base + 3 * (y - YEAR))}, years=(y, y)) for y in range(2021, 2026)]


def commune_set(tier):
    adv = tier == "advanced"
    k = 1 if adv else 0
    inds = {
        "3": [number("3.1", "Tỷ lệ diện tích đất sản xuất nông nghiệp được tưới và tiêu nước chủ động",
                     "Farm land with active irrigation and drainage", "percent", "at_least",
                     [row({"number": str(T["3.1"][k])})]),
              yes_no("3.2", "Đảm bảo yêu cầu phòng chống thiên tai theo phương châm 4 tại chỗ",
                     "Disaster preparedness ('4 on-the-spot')")],
        "10": [number("10.1", "Thu nhập bình quân đầu người khu vực nông thôn",
                      "Average rural income per person", "million_vnd_per_person_year",
                      "at_least", income_rows(T["10.1"][k]))],
        "11": [number("11.1", "Tỷ lệ hộ nghèo đa chiều giai đoạn 2021-2025",
                      "Multidimensional poverty rate 2021-2025", "percent", "at_most",
                      [row({"number": str(T["11.1"][k])})])],
        "12": [number("12.1", "Tỷ lệ lao động qua đào tạo (cả nam và nữ)",
                      "Trained labour rate (men and women)", "percent", "at_least",
                      [row({"number": str(T["12.1"][k])})])],
        "15": [number("15.1", "Tỷ lệ người dân tham gia bảo hiểm y tế",
                      "Health insurance coverage", "percent", "at_least",
                      [row({"number": str(T["15.1"][k])})]),
               yes_no("15.2", "Xã đạt tiêu chí quốc gia về y tế",
                      "Commune meets the national health criteria")],
        "17": [number("17.1", "Tỷ lệ dân số được sử dụng nước sạch",
                      "Population using clean water", "percent", "at_least",
                      [row({"number": str(T["17.1"][k])})]),
               yes_no("17.2", "Chất thải rắn được thu gom, xử lý theo quy định",
                      "Solid waste collected and treated as required")],
    }
    criteria = []
    for cid, vi, en in CRITERIA:
        indicators = inds.get(cid) or [yes_no(f"{cid}.1", f"{vi}: đạt yêu cầu", f"{en}: requirement met")]
        criteria.append(crit(cid, vi, en, indicators))
    name = {"standard": ("Bộ tiêu chí xã NTM (minh họa)", "Standard commune set (illustrative)"),
            "advanced": ("Bộ tiêu chí xã NTM nâng cao (minh họa)", "Advanced commune set (illustrative)")}[tier]
    return {
        "id": f"bg2022-illustrative-commune-{tier}",
        "name": {"vi": name[0], "en": name[1]},
        "scheme": COMMUNE_SCHEME,
        "level": "commune",
        "tier": tier,
        "legal_basis": [ILL_SOURCE],
        "confidence": "illustrative",
        "notes": "ILLUSTRATIVE: the 19 criteria are numbered and named as in 318/QĐ-TTg, "
                 "but the indicators are simplified and every threshold is made up for the "
                 "synthetic Bắc Giang 2022 example. Not law.",
        "profile_rules": [{"when": {"statuses": ["especially_difficult"]},
                           "assess_as_region": "tdmnpb", "source": ILL_SOURCE,
                           "confidence": "illustrative"}],
        "criteria": criteria,
        "revocation": {"share_with_key": "30", "share_alone": "50",
                       "key_criteria": ["10", "17", "19"], "comparison": "exact",
                       "source": ILL_SOURCE, "confidence": "illustrative"},
    }


def tiers(*ts):
    names = {"standard": ("đạt chuẩn", "standard"), "advanced": ("nâng cao", "advanced"),
             "model": ("kiểu mẫu", "model"),
             "completed": ("hoàn thành nhiệm vụ xây dựng NTM", "completed the NTM task")}
    return [{"id": t, "name": {"vi": names[t][0], "en": names[t][1]}} for t in ts]


COMMUNE_SCHEME = {"id": "bg2022-illustrative-commune", "years": {"from": 2021, "to": 2025},
                  "tiers": tiers("standard", "advanced", "model")}


def model_set():
    return {
        "id": "bg2022-illustrative-commune-model",
        "name": {"vi": "Bộ tiêu chí xã NTM kiểu mẫu (minh họa)", "en": "Model commune set (illustrative)"},
        "scheme": COMMUNE_SCHEME, "level": "commune", "tier": "model",
        "legal_basis": [ILL_SOURCE], "confidence": "illustrative",
        "notes": "ILLUSTRATIVE, shaped like 319/QĐ-TTg: income above advanced communes, a smart "
                 "village, model in one outstanding field. Thresholds made up. Not law.",
        "criteria": [
            crit("M1", "Thu nhập cao hơn xã nâng cao", "Income above advanced communes",
                 [number("M1.1", "Thu nhập bình quân đầu người", "Average income per person",
                         "million_vnd_per_person_year", "at_least",
                         [row({"number": str(MODEL_INCOME)})])]),
            crit("M2", "Có mô hình thôn thông minh", "Has a smart-village model",
                 [number("M2.1", "Số thôn thông minh", "Smart villages", "count", "at_least",
                         [row({"number": "1"})])]),
            crit("M3", "Kiểu mẫu trong một lĩnh vực nổi trội", "Model in one outstanding field",
                 [yes_no("M3.1", "Đạt tiêu chí kiểu mẫu của lĩnh vực", "Meets a field's model criteria")]),
        ],
        "revocation": {"share_with_key": "30", "share_alone": "50", "key_criteria": ["10", "17", "19"],
                       "comparison": "exact", "assess_against": "advanced",
                       "source": ILL_SOURCE, "confidence": "illustrative"},
    }


VILLAGE_CRITERIA = [
    ("V1", "Thu nhập", "Income"),
    ("V2", "Nhà ở và cảnh quan", "Housing and landscape"),
    ("V3", "Môi trường", "Environment"),
    ("V4", "Văn hóa, giáo dục, y tế", "Culture, education, health"),
    ("V5", "An ninh trật tự", "Security and order"),
]


def village_set():
    crits = []
    for cid, vi, en in VILLAGE_CRITERIA:
        if cid == "V1":
            inds = [number("V1.1", "Thu nhập bình quân đầu người của thôn", "Village income per person",
                           "million_vnd_per_person_year", "at_least", [row({"number": "50"})])]
        else:
            inds = [yes_no(f"{cid}.1", f"{vi}: đạt yêu cầu", f"{en}: requirement met")]
        crits.append(crit(cid, vi, en, inds))
    return {
        "id": "bg2022-illustrative-village-model",
        "name": {"vi": "Bộ tiêu chí thôn NTM kiểu mẫu (minh họa)", "en": "Model village set (illustrative)"},
        "scheme": {"id": "bg2022-illustrative-village", "years": {"from": 2021, "to": 2025},
                   "tiers": tiers("model")},
        "level": "village", "tier": "model", "legal_basis": [ILL_SOURCE], "confidence": "illustrative",
        "notes": "ILLUSTRATIVE: Bắc Giang's model-village criteria were not found; five made-up criteria.",
        "criteria": crits,
    }


def derived(iid, vi, en, children, measure, req, value, unit="percent"):
    return number(iid, vi, en, unit, req, [row({"number": value})],
                  derived={"children": children, "measure": measure})


def district_set(kind):
    if kind == "district":
        tier, sid = "standard", "bg2022-illustrative-district-standard"
        name = ("Bộ tiêu chí huyện NTM (minh họa)", "Standard district set (illustrative)")
        scheme = {"id": "bg2022-illustrative-district", "years": {"from": 2021, "to": 2025},
                  "tiers": tiers("standard")}
        c1 = [derived("1.1", "Tỷ lệ xã đạt chuẩn NTM", "Share of communes at standard", "commune",
                      {"share_at_tier": {"tier": "standard"}}, "at_least", "100"),
              derived("1.2", "Tỷ lệ xã đạt chuẩn NTM nâng cao", "Share of communes at advanced", "commune",
                      {"share_at_tier": {"tier": "advanced"}}, "at_least", "10")]
    else:
        tier, sid = "completed", "bg2022-illustrative-city-completed"
        name = ("Bộ tiêu chí thành phố hoàn thành nhiệm vụ xây dựng NTM (minh họa)",
                "Provincial city 'completed the NTM task' set (illustrative)")
        scheme = {"id": "bg2022-illustrative-city", "years": {"from": 2021, "to": 2025},
                  "tiers": tiers("completed")}
        c1 = [derived("1.1", "Tỷ lệ xã đạt chuẩn NTM", "Share of communes at standard", "commune",
                      {"share_at_tier": {"tier": "standard"}}, "at_least", "100")]
    return {
        "id": sid, "name": {"vi": name[0], "en": name[1]}, "scheme": scheme, "level": "district",
        "tier": tier, "legal_basis": [ILL_SOURCE], "confidence": "illustrative",
        "notes": "ILLUSTRATIVE, shaped like 320/QĐ-TTg: communes at standard (derived from the "
                 "communes' decisions), satisfaction, two yes/no criteria. Not law.",
        "criteria": [
            crit("1", "Xã đạt chuẩn", "Communes at standard", c1),
            crit("2", "Sự hài lòng của người dân", "Residents' satisfaction",
                 [number("2.1", "Tỷ lệ người dân hài lòng", "Residents satisfied", "percent",
                         "at_least", [row({"number": "90"})])]),
            crit("3", "Quy hoạch", "Planning", [yes_no("3.1", "Quy hoạch vùng huyện được duyệt", "District plan approved")]),
            crit("4", "Môi trường", "Environment", [yes_no("4.1", "Môi trường đạt yêu cầu", "Environment requirement met")]),
        ],
    }


def province_set():
    return {
        "id": "bg2022-illustrative-province-completed",
        "name": {"vi": "Bộ tiêu chí tỉnh hoàn thành nhiệm vụ xây dựng NTM (minh họa)",
                 "en": "Province 'completed the NTM task' set (illustrative)"},
        "scheme": {"id": "bg2022-illustrative-province", "years": {"from": 2021, "to": 2025},
                   "tiers": tiers("completed")},
        "level": "province", "tier": "completed", "legal_basis": [ILL_SOURCE], "confidence": "illustrative",
        "notes": "ILLUSTRATIVE, shaped like 321/QĐ-TTg conditions 1, 2, 4, 5 and 7. Not law.",
        "criteria": [
            crit("1", "Huyện đạt chuẩn, thành phố hoàn thành nhiệm vụ",
                 "Districts standard, cities completed",
                 [derived("1.1", "Tỷ lệ huyện đạt chuẩn NTM", "Share of rural districts at standard",
                          "district", {"share_at_tier": {"tier": "standard"}}, "at_least", "100"),
                  derived("1.2", "Tỷ lệ thành phố hoàn thành nhiệm vụ", "Share of cities completed",
                          "district", {"share_at_tier": {"tier": "completed"}}, "at_least", "100")]),
            crit("2", "Xã nâng cao", "Advanced communes",
                 [derived("2.1", "Tỷ lệ xã đạt chuẩn NTM nâng cao", "Share of communes at advanced",
                          "commune", {"share_at_tier": {"tier": "advanced"}}, "at_least", "40")]),
            crit("3", "Đề án xây dựng NTM của tỉnh", "Provincial NTM plan",
                 [yes_no("3.1", "Đề án được HĐND tỉnh thông qua", "Plan adopted by the provincial council")]),
            crit("4", "Đất cây xanh công cộng", "Public green land",
                 [number("4.1", "Diện tích đất cây xanh công cộng", "Public green land per person",
                         "square_metres_per_person", "at_least", [row({"number": "4"})])]),
        ],
    }


# ---------------------------------------------------------------------------------
# The tree and the calibration
# ---------------------------------------------------------------------------------

PROVINCE = "24"
# code, vi name, en name, kind, communes, recognised year (None: not standard in 2022)
DISTRICTS = [
    ("213", "Thành phố Bắc Giang", "Bắc Giang city", "provincial_city", 6, 2019),
    ("222", "Huyện Việt Yên", "Việt Yên district", "rural_district", 15, 2018),
    ("217", "Huyện Lạng Giang", "Lạng Giang district", "rural_district", 21, 2019),
    ("216", "Huyện Tân Yên", "Tân Yên district", "rural_district", 22, 2016),
    ("221", "Huyện Yên Dũng", "Yên Dũng district", "rural_district", 16, 2017),
    ("223", "Huyện Hiệp Hòa", "Hiệp Hòa district", "rural_district", 24, 2020),
    ("215", "Huyện Yên Thế", "Yên Thế district", "rural_district", 17, None),
    ("220", "Huyện Sơn Động", "Sơn Động district", "rural_district", 14, None),
    ("219", "Huyện Lục Ngạn", "Lục Ngạn district", "rural_district", 28, None),
    ("218", "Huyện Lục Nam", "Lục Nam district", "rural_district", 21, None),
]
# Per district: communes not standard at the end of 2022, newly standard in 2022,
# advanced held before 2022, newly advanced in 2022.
PLAN = {
    "213": (0, 0, 2, 1), "222": (0, 0, 5, 3), "217": (0, 0, 3, 3), "216": (0, 0, 4, 3),
    "221": (0, 0, 3, 3), "223": (0, 0, 3, 3), "215": (6, 1, 1, 1), "220": (9, 2, 0, 0),
    "219": (12, 2, 1, 1), "218": (10, 4, 1, 0),
}
# Real names from the research notes (thresholds-2026-2030-and-local.md §3.2).
NAMED = {
    "222": {"advanced_held": ["Quảng Minh"]},
    "217": {"advanced_new": ["Tân Hưng", "Quang Thịnh", "Đại Lâm"]},
    "221": {"advanced_new": ["Tiến Dũng", "Tư Mại"]},
    "223": {"advanced_new": ["Đông Lỗ", "Mai Trung", "Thanh Vân"]},
    "216": {"advanced_new": ["Quế Nham"]},
    "218": {"standard_new": ["Bình Sơn", "Trường Sơn", "Vũ Xá", "Yên Sơn"]},
    "215": {"standard_new": ["Đồng Kỳ"]},
}
TARGET_CRITERIA_SUM = 3146        # 3146 / 184 = 17.0978… → 17.1
MODEL_VILLAGES_HELD, MODEL_VILLAGES_NEW = 145, 94

# Criteria that fail most often (weights), and the key criteria avoided for held units.
FAIL_WEIGHTS = {"13": 9, "17": 7, "5": 6, "9": 5, "12": 5, "14": 4, "6": 4, "2": 4, "10": 3,
                "11": 3, "3": 2, "15": 2, "16": 2, "8": 1, "7": 1, "4": 1, "18": 1, "1": 1, "19": 1}


def pick_failing(n, avoid=()):
    pool = [c for c in FAIL_WEIGHTS if c not in avoid]
    out = []
    while len(out) < n:
        total = sum(FAIL_WEIGHTS[c] for c in pool if c not in out)
        x = RNG.uniform(0, total)
        for c in pool:
            if c in out:
                continue
            x -= FAIL_WEIGHTS[c]
            if x <= 0:
                out.append(c)
                break
    return sorted(out, key=int)


def d(x, places=1):
    return str(Decimal(x).quantize(Decimal(1).scaleb(-places)))


def commune_values(category, failing):
    """Values meeting every criterion except `failing`; `category` picks how far above
    the thresholds they are (advanced and model communes meet the advanced set)."""
    adv = category in ("advanced_held", "advanced_new", "model_new")
    v = {}
    for cid, _, _ in CRITERIA:
        if cid not in ("3", "10", "11", "12", "15", "17"):
            v[f"{cid}.1"] = {"flag": cid not in failing}
    r = RNG.uniform
    v["3.1"] = {"number": d(r(91, 99) if adv else r(81, 89.5))}
    v["3.2"] = {"flag": True}
    # Income: advanced ≥ 48; standard-only communes stay below 48 so they never reach
    # advanced; failing 10 means below 41.
    if "10" in failing:
        inc = r(33, 40.5)
    elif adv:
        inc = r(50, 58)
    else:
        inc = r(41.5, 47.5)
    v["10.1"] = {"number": d(inc)}
    if "11" in failing:
        pov = r(6.5, 12)
    elif adv:
        pov = r(0.8, 2.9)
    else:
        pov = r(2.2, 5.2)
    v["11.1"] = {"number": d(pov, 2)}
    v["12.1"] = {"number": d(r(62, 69) if "12" in failing else (r(76, 85) if adv else r(70.5, 74.5)))}
    v["15.1"] = {"number": d(r(98.6, 99.9), 2)}
    v["15.2"] = {"flag": "15" not in failing}
    v["17.1"] = {"number": d(r(70, 97) if adv else r(58, 92))}
    v["17.2"] = {"flag": "17" not in failing}
    if "3" in failing:
        v["3.2"] = {"flag": False}
    return v


def main():
    units = [{"code": PROVINCE, "name": {"vi": "Tỉnh Bắc Giang", "en": "Bắc Giang province"},
              "level": "province", "kind": "province", "valid_to": "2025-06-30"}]
    inputs = []
    communes = []   # (code, district, category)
    for code, vi, en, kind, n, recognised in DISTRICTS:
        units.append({"code": code, "name": {"vi": vi, "en": en}, "level": "district", "kind": kind,
                      "parent": PROVINCE, "valid_to": "2025-06-30"})
        not_std, std_new, adv_held, adv_new = PLAN[code]
        held_std_only = n - not_std - std_new - adv_held - adv_new
        cats = (["advanced_held"] * adv_held + ["advanced_new"] * adv_new
                + ["standard_new"] * std_new + ["standard_held"] * held_std_only
                + ["not_standard"] * not_std)
        named = NAMED.get(code, {})
        used = {k: list(v) for k, v in named.items()}
        for i, cat in enumerate(cats, start=1):
            ccode = f"{code}.{i:02d}"
            real = used.get(cat, [])
            if real:
                nm = real.pop(0)
                name = {"vi": f"Xã {nm}", "en": f"{nm} commune"}
                if nm == "Quảng Minh":
                    cat = "model_new"
            else:
                name = {"vi": f"Xã giả lập {code}-{i:02d}", "en": f"Synthetic commune {code}-{i:02d}"}
            units.append({"code": ccode, "name": name, "level": "commune", "kind": "rural_commune",
                          "parent": code, "valid_to": "2025-06-30"})
            communes.append([ccode, code, cat, name])
        # District input
        hist = {"events": [{"tier": "standard" if kind == "rural_district" else "completed",
                            "year": recognised, "kind": "recognised",
                            "decision": "synthetic"}]} if recognised else {"events": []}
        inputs.append({"data": {"unit": code, "year": YEAR, "values": {
            "2.1": {"number": d(RNG.uniform(91, 98))}, "3.1": {"flag": True},
            "4.1": {"flag": recognised is not None or RNG.random() < 0.5}}},
            "profile": {"region": "tdmnpb"}, "history": hist})

    # Criteria met per commune (of 19), calibrated to the target sum.
    fixed = {"advanced_held": 19, "advanced_new": 19, "model_new": 19, "standard_new": 19}
    n_not = sum(1 for c in communes if c[2] == "not_standard")
    not_std_met = [RNG.choice([9, 10, 11, 12, 13, 13, 14, 14, 15, 15, 16, 16]) for _ in range(n_not)]
    held = [c for c in communes if c[2] == "standard_held"]
    fixed_sum = sum(fixed.get(c[2], 0) for c in communes)
    rest = TARGET_CRITERIA_SUM - fixed_sum - sum(not_std_met)
    # Held-standard communes: 14..19 criteria (at most 5 failing: below the 30% clause).
    held_met = [19] * len(held)
    deficit = 19 * len(held) - rest
    assert 0 <= deficit <= 5 * len(held), deficit
    order = list(range(len(held)))
    RNG.shuffle(order)
    while deficit > 0:
        for i in order:
            if deficit == 0:
                break
            if held_met[i] > 14 and RNG.random() < 0.5:
                held_met[i] -= 1
                deficit -= 1
    met_of = {}
    it_not = iter(not_std_met)
    it_held = iter(held_met)
    for c in communes:
        if c[2] == "not_standard":
            met_of[c[0]] = next(it_not)
        elif c[2] == "standard_held":
            met_of[c[0]] = next(it_held)
        else:
            met_of[c[0]] = 19
    assert sum(met_of.values()) == TARGET_CRITERIA_SUM

    # Model villages go to standard communes.
    std_communes = [c for c in communes if c[2] != "not_standard"]
    villages_per = {c[0]: RNG.randint(5, 11) for c in communes}
    slots = [(c[0], j) for c in std_communes for j in range(1, villages_per[c[0]] + 1)]
    RNG.shuffle(slots)
    held_villages = set(slots[:MODEL_VILLAGES_HELD])
    new_villages = set(slots[MODEL_VILLAGES_HELD:MODEL_VILLAGES_HELD + MODEL_VILLAGES_NEW])

    ocop_total = 0
    for ccode, dcode, cat, name in communes:
        failing = pick_failing(19 - met_of[ccode], avoid=("10", "17", "19") if cat == "standard_held" else ())
        values = commune_values(cat, failing)
        pop = RNG.randint(5200, 16800)
        households = int(pop / RNG.uniform(3.6, 4.1))
        if dcode in ("220", "219"):    # mountain districts: more poverty, fewer people
            pop = int(pop * 0.7)
            households = int(households * 0.7)
        is_model = cat == "model_new"
        values["M1.1"] = {"number": "60.5" if is_model else values["10.1"]["number"]}
        values["M2.1"] = {"number": "1" if is_model else "0"}
        values["M3.1"] = {"flag": is_model}
        ocop = RNG.choice([0, 1, 1, 1, 1, 2])
        ocop_total += ocop
        values["ocop"] = {"number": str(ocop)}
        values["coop_new"] = {"number": str(RNG.choice([0, 0, 0, 0, 0, 0, 0, 1]))}
        events = []
        if cat in ("standard_held", "advanced_held", "advanced_new"):
            events.append({"tier": "standard", "year": RNG.randint(2012, 2021), "kind": "recognised"})
        if cat == "advanced_held":
            events.append({"tier": "advanced", "year": 2021, "kind": "recognised"})
        if cat == "model_new":   # Quảng Minh: standard 2016, advanced 2021 (research notes)
            events = [{"tier": "standard", "year": 2016, "kind": "recognised"},
                      {"tier": "advanced", "year": 2021, "kind": "recognised"}]
        profile = {"region": "tdmnpb"}
        if dcode == "220":
            profile["statuses"] = ["especially_difficult"]
        inputs.append({"data": {"unit": ccode, "year": YEAR, "values": values},
                       "profile": profile, "history": {"events": events},
                       "weights": {"population": str(pop), "households": str(households)}})
        # Villages
        for j in range(1, villages_per[ccode] + 1):
            vcode = f"{ccode}.{j:02d}"
            vname = {"vi": f"Thôn giả lập {j:02d}", "en": f"Synthetic village {j:02d}"}
            if is_model and j == 1:
                vname = {"vi": "Thôn Khả Lý Thượng", "en": "Khả Lý Thượng village"}
            units.append({"code": vcode, "name": vname, "level": "village", "kind": "village",
                          "parent": ccode, "valid_to": "2025-06-30"})
            model = (ccode, j) in held_villages or (ccode, j) in new_villages
            vfail = set() if model else set(RNG.sample(["V1", "V2", "V3", "V4", "V5"], RNG.randint(1, 3)))
            vv = {"V1.1": {"number": d(RNG.uniform(52, 70) if "V1" not in vfail else RNG.uniform(35, 49))}}
            for cid in ("V2", "V3", "V4", "V5"):
                vv[f"{cid}.1"] = {"flag": cid not in vfail}
            vh = {"events": [{"tier": "model", "year": RNG.choice([2020, 2021]), "kind": "recognised"}]} \
                if (ccode, j) in held_villages else {"events": []}
            inputs.append({"data": {"unit": vcode, "year": YEAR, "values": vv},
                           "profile": {"region": "tdmnpb"}, "history": vh})

    # Province input: values given directly.
    inputs.append({"data": {"unit": PROVINCE, "year": YEAR, "values": {
        "3.1": {"flag": True}, "4.1": {"number": "3.6"}, "ocop_5star": {"number": "1"}}},
        "profile": {"region": "tdmnpb"}, "history": {"events": []}})

    # Calibration report of the roll-ups (exact, as the engine computes them).
    def rate(ind, weight):
        num = sum(Decimal(i["data"]["values"][ind]["number"]) * Decimal(i["weights"][weight])
                  for i in inputs if "weights" in i)
        den = sum(Decimal(i["weights"][weight]) for i in inputs if "weights" in i)
        return num / den
    print("poverty", rate("11.1", "households"), "income", rate("10.1", "population"),
          "health insurance", rate("15.1", "population"), "clean water", rate("17.1", "population"),
          "ocop", ocop_total)

    sets = {
        "criteria/commune_standard.json": commune_set("standard"),
        "criteria/commune_advanced.json": commune_set("advanced"),
        "criteria/commune_model.json": model_set(),
        "criteria/village_model.json": village_set(),
        "criteria/district_standard.json": district_set("district"),
        "criteria/city_completed.json": district_set("city"),
        "criteria/province_completed.json": province_set(),
    }
    os.makedirs(os.path.join(HERE, "criteria"), exist_ok=True)
    for path, s in sets.items():
        write(path, s, pretty=True)
    write("units.json", units)
    write("inputs.json", inputs)
    write("rollups.json", ROLLUPS, pretty=True)
    write("plan.json", plan(), pretty=True)
    write("manifest.json", {
        "year": YEAR, "date": "2022-12-31", "notice": NOTICE,
        "units": "units.json", "inputs": "inputs.json", "rollups": "rollups.json",
        "plan": "plan.json",
        "sets": [
            {"level": "village", "sets": ["criteria/village_model.json"]},
            {"level": "commune", "kinds": ["rural_commune"], "sets": [
                "criteria/commune_standard.json", "criteria/commune_advanced.json",
                "criteria/commune_model.json"]},
            {"level": "district", "kinds": ["rural_district"], "sets": ["criteria/district_standard.json"]},
            {"level": "district", "kinds": ["provincial_city", "town"], "sets": ["criteria/city_completed.json"]},
            {"level": "province", "sets": ["criteria/province_completed.json"]},
        ],
    }, pretty=True)


def pct():
    return {"vi": "%", "en": "%"}


ROLLUPS = [
    {"indicator": "11.1", "name": {"vi": "Tỷ lệ hộ nghèo đa chiều", "en": "Multidimensional poverty rate"},
     "unit": pct(), "method": {"rate": {"weight": "households"}}},
    {"indicator": "10.1", "name": {"vi": "Thu nhập bình quân đầu người khu vực nông thôn",
                                   "en": "Average rural income per person"},
     "unit": {"vi": "triệu đồng/người/năm", "en": "million VND/person/year"},
     "method": {"rate": {"weight": "population"}}},
    {"indicator": "15.1", "name": {"vi": "Tỷ lệ người dân tham gia BHYT", "en": "Health insurance coverage"},
     "unit": pct(), "method": {"rate": {"weight": "population"}}},
    {"indicator": "17.1", "name": {"vi": "Tỷ lệ dân số nông thôn được dùng nước sạch",
                                   "en": "Rural population using clean water"},
     "unit": pct(), "method": {"rate": {"weight": "population"}}},
    {"indicator": "ocop", "name": {"vi": "Sản phẩm OCOP từ 3 sao (lũy kế)", "en": "OCOP products, 3 stars or more (cumulative)"},
     "unit": {"vi": "sản phẩm", "en": "products"}, "method": "sum"},
    {"indicator": "coop_new", "name": {"vi": "HTX nông nghiệp thành lập mới", "en": "New agricultural cooperatives"},
     "unit": {"vi": "HTX", "en": "cooperatives"}, "method": "sum"},
]


def target(tid, vi, en, measure, req, value, precision=None, baseline=None, unit=None):
    t = {"id": tid, "label": {"vi": vi, "en": en}, "measure": measure, "requirement": req, "value": value}
    if precision is not None:
        t["precision"] = precision
    if baseline is not None:
        t["baseline"] = baseline
    if unit:
        t["unit"] = unit
    return t


def count(level, tiers, period="cumulative"):
    return {"tier_count": {"level": level, "tiers": tiers, "period": period}}


def plan():
    ind = lambda i, frm="any": {"indicator": {"indicator": i, "from": frm}}
    return {
        "id": "bac-giang-ntm-2022",
        "name": {"vi": "Kế hoạch triển khai Chương trình MTQG xây dựng NTM tỉnh Bắc Giang năm 2022",
                 "en": "Bắc Giang province NTM programme plan 2022"},
        "scope": PROVINCE, "year": YEAR,
        "source": {"document": "Kế hoạch triển khai thực hiện Chương trình MTQG xây dựng NTM tỉnh Bắc Giang năm 2022",
                   "part": "II. Mục tiêu; III.4",
                   "note": "targets transcribed from the plan; the actual values in this data set are synthetic"},
        "targets": [
            target("communes_standard_new", "Xã đạt chuẩn NTM có thêm", "Communes newly standard",
                   count("commune", ["standard"], "new"), "at_least", "9"),
            target("communes_standard", "Xã đạt chuẩn NTM lũy kế", "Communes standard (cumulative)",
                   count("commune", ["standard"]), "at_least", "147"),
            target("communes_standard_share", "Tỷ lệ xã đạt chuẩn NTM", "Share of communes standard",
                   {"tier_share": {"level": "commune", "tier": "standard", "denominator": "all_units"}},
                   "at_least", "79.9", precision=1, unit=pct()),
            target("communes_advanced_new", "Xã đạt chuẩn NTM nâng cao có thêm", "Communes newly advanced",
                   count("commune", ["advanced"], "new"), "at_least", "18"),
            target("communes_model_new", "Xã NTM kiểu mẫu có thêm (Quảng Minh)", "Communes newly model (Quảng Minh)",
                   count("commune", ["model"], "new"), "at_least", "1"),
            target("villages_model_new", "Thôn NTM kiểu mẫu có thêm", "Model villages, new",
                   count("village", ["model"], "new"), "at_least", "94"),
            target("villages_model", "Thôn NTM kiểu mẫu lũy kế", "Model villages (cumulative)",
                   count("village", ["model"]), "at_least", "239"),
            target("criteria_average", "Bình quân tiêu chí/xã", "Average criteria met per commune",
                   "average_criteria_met", "at_least", "17.1", precision=1, baseline="16.8"),
            target("districts", "Đơn vị cấp huyện đạt chuẩn/hoàn thành nhiệm vụ (duy trì)",
                   "District-level units standard or completed (maintained)",
                   count("district", ["standard", "completed"]), "at_least", "6"),
            target("poverty", "Tỷ lệ hộ nghèo", "Poverty rate", ind("11.1"), "at_most", "4.2",
                   precision=1, unit=pct()),
            target("income", "Thu nhập bình quân đầu người khu vực nông thôn", "Rural income per person",
                   ind("10.1"), "at_least", "45", precision=1,
                   unit={"vi": "triệu đồng", "en": "million VND"}),
            target("health_insurance", "Tỷ lệ người dân tham gia BHYT", "Health insurance coverage",
                   ind("15.1"), "above", "99", precision=1, unit=pct()),
            target("clean_water", "Tỷ lệ dân số nông thôn được dùng nước sạch", "Rural population using clean water",
                   ind("17.1"), "at_least", "78.5", precision=1, unit=pct()),
            target("ocop", "Sản phẩm OCOP từ 3 sao lũy kế", "OCOP products (cumulative)", ind("ocop"),
                   "at_least", "180"),
            target("ocop_5star", "Sản phẩm OCOP 5 sao cấp quốc gia", "National 5-star OCOP products",
                   ind("ocop_5star", "given"), "at_least", "1"),
            target("cooperatives_new", "HTX nông nghiệp thành lập mới", "New agricultural cooperatives",
                   ind("coop_new"), "at_least", "20"),
        ],
        "milestones": milestones(),
    }


# The communes registered for recognition in 2022 (those the synthetic data recognise):
# 9 standard, 18 advanced, Quảng Minh model.
STANDARD_2022 = ["215.03", "218.02", "218.03", "218.04", "218.05", "219.03", "219.04",
                 "220.01", "220.02"]
ADVANCED_2022 = ["213.03", "215.02", "216.05", "216.06", "216.07", "217.04", "217.05",
                 "217.06", "219.02", "221.04", "221.05", "221.06", "222.06", "222.07",
                 "222.08", "223.04", "223.05", "223.06"]
QUANG_MINH = "222.01"


def milestones():
    """§III.6 of the plan as data: districts finish verification of the advanced
    communes in October, of Quảng Minh in November; dossiers to the province in November
    (advanced), December (model); the standard communes' verification, appraisal and
    dossiers in Q IV; decisions in Q IV. The procedure dates are synthetic: two communes
    late, one without procedure data (reported as unknown)."""
    def step(sid, vi, en, by_vi, by_en):
        return {"id": sid, "label": {"vi": vi, "en": en},
                "by": {"vi": by_vi, "en": by_en}, "to": "2025-06-30"}

    def deadline(sid, by, units=None):
        d = {"step": sid, "by": by}
        if units:
            d["units"] = units
        return d

    late = {"217.06": {"verification": "2022-11-08"}, "221.06": {"dossier": "2022-12-05"}}
    no_data = {"223.06"}
    procedures = []
    for u in STANDARD_2022 + ADVANCED_2022 + [QUANG_MINH]:
        if u in no_data:
            continue
        if u in STANDARD_2022:
            done = {"verification": "2022-11-25", "dossier": "2022-12-02", "decision": "2022-12-20"}
        elif u == QUANG_MINH:
            done = {"verification": "2022-11-24", "dossier": "2022-12-09", "decision": "2022-12-28"}
        else:
            done = {"verification": "2022-10-20", "dossier": "2022-11-18", "decision": "2022-12-15"}
        done.update(late.get(u, {}))
        procedures.append({"unit": u, "done": done})
    return {
        "as_of": "2022-12-31",
        "units": sorted(STANDARD_2022 + ADVANCED_2022 + [QUANG_MINH]),
        "schedule": {
            "steps": [
                step("verification", "Thẩm tra", "Verification", "UBND huyện", "district people's committee"),
                step("dossier", "Hoàn thiện hồ sơ trình UBND tỉnh", "Dossier to the province",
                     "UBND huyện", "district people's committee"),
                step("decision", "Quyết định công nhận", "Recognition decision",
                     "UBND tỉnh", "provincial people's committee"),
            ],
            "deadlines": [
                deadline("verification", "2022-10-31"),
                deadline("verification", "2022-11-30", [QUANG_MINH]),
                deadline("verification", "2022-12-31", STANDARD_2022),
                deadline("dossier", "2022-11-30"),
                deadline("dossier", "2022-12-31", [QUANG_MINH] + STANDARD_2022),
                deadline("decision", "2022-12-31"),
            ],
        },
        "procedures": procedures,
    }


def write(name, obj, pretty=False):
    path = os.path.join(HERE, name)
    with open(path, "w", encoding="utf-8") as f:
        if pretty:
            json.dump(obj, f, ensure_ascii=False, indent=2)
        else:
            # One unit per line: small diffs, still valid JSON.
            f.write("[\n")
            for i, x in enumerate(obj):
                f.write(json.dumps(x, ensure_ascii=False, separators=(",", ":")))
                f.write(",\n" if i + 1 < len(obj) else "\n")
            f.write("]")
        f.write("\n")


if __name__ == "__main__":
    main()
