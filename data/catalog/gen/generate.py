#!/usr/bin/env python3
"""Generates the built-in catalog JSON files in data/catalog/.

Run from the repository root:  python3 data/catalog/gen/generate.py

Every number here comes from the domain reference (`ntm-criteria.md`,
`thresholds-2021-2025.md`, `thresholds-2026-2030-and-local.md`), with the tag it has
there. Where the reference says "not found", the row is `"unknown"` (or `"delegated"`
where the national text leaves the value to the province). Nothing is filled in from
memory. Names are paraphrases of the reference, not the official wording.
"""

import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

REGIONS = ["tdmnpb", "dbsh", "btb", "dhntb", "tn", "dnb", "dbscl"]
GROUPS = ["group1", "group2", "group3"]

# ---------------------------------------------------------------- sources
URL = {
    "S1": "https://tintuc.thuvienphapluat.com/thong-bao-van-ban-moi/email/39774/ban-hanh-bo-tieu-chi-xa-nong-thon-moi-giai-doan-2021-2025",
    "S2": "https://ls1.hethongphapluat.com/quyet-dinh-318-qd-ttg-nam-2022-bo-tieu-chi-quoc-gia-ve-xa-nong-thon-moi-va-bo-tieu-chi-quoc-gia-ve-xa-nong-thon-moi-nang-cao-giai-doan-2021-2025-do-thu-tuong-chinh-phu-ban-hanh.html",
    "S3": "https://danviet.vn/ban-hanh-bo-tieu-chi-quoc-gia-ve-xa-ntm-va-xa-ntm-nang-cao-giai-doan-2021-2025-20220309150802604.htm",
    "S4": "https://baoquangnam.vn/thoi-su-nong-thon-moi/quy-dinh-xa-nong-thon-moi-kieu-mau-giai-doan-2021-2025-124590.html",
    "S5": "http://tintuc.thuvienphapluat.com/thong-bao-van-ban-moi/email/39797/quy-dinh-tinh-hoan-thanh-xay-dung-nong-thon-moi-giai-doan-2021-2025",
    "S6": "http://118.69.201.250:801/phap-luat/ho-tro-phap-luat/tieu-chi-ve-huyen-nong-thon-moi-quy-dinh-thi-xa-thanh-pho-truc-thuoc-cap-tinh-hoan-thanh-nhiem-vu-x-1493.html",
    "S7": "https://media.chinhphu.vn/su-hai-long-cua-nguoi-dan-thuoc-do-xay-dung-nong-thon-moi-10222032115582261.htm",
    "S8": "https://tintuc.thuvienphapluat.com/thong-bao-van-ban-moi/email/41861/truong-hop-thu-hoi-quyet-dinh-cong-nhan-xa-dat-chuan-nong-thon-moi",
    "S9": "https://langngheviet.com.vn/nong-thon-moi/nhung-dieu-kien-de-cong-nhan-dia-phuong-dat-chuan-nong-thon-moi-giai-doan-2021-2025.html33991",
    "S12": "https://lawnet.vn/thong-tin-phap-luat/en/chinh-sach-moi/criteria-for-special-new-rural-districts-without-commune-level-administrative-units-in-vietnam-as-of-march-1-2024-133694.html",
    "S13": "https://xaydungchinhsach.chinhphu.vn/toan-van-quyet-dinh-51-2025-qd-ttg-ban-hanh-bo-tieu-chi-quoc-gia-ve-nong-thon-moi-giai-doan-2026-2030-119251230104614909.htm",
    "S14": "https://thoibaotaichinhvietnam.vn/ban-hanh-bo-tieu-chi-quoc-gia-ve-nong-thon-moi-giai-doan-2026-2030-189751.html",
    "S23": "https://haugiang.gov.vn/web/ubnd-tp-vi-thanh/xem-chi-tiet-tin/-/tin-tuc/Huong-dan-thuc-hien-cac-tieu-chi--chi-tieu-thuoc-linh-vuc-lao-ong--xa-hoi-ve-nong-thon-moi-giai-oan-2021---202576205",
    "S24": "https://thuviennhadat.vn/phap-ly-nha-dat/tieu-chi-ve-thu-nhap-xa-nong-thon-moi-giai-doan-2016---2020-hien-nay-duoc-quy-dinh-ra-sao-318802.html",
    "S24b": "https://thuvienphapluat.vn/hoi-dap-phap-luat/24BBF-hd-tieu-chi-ve-y-te-xa-nong-thon-moi-giai-doan-2016-2020.html",
    "S31": "https://huyentuachua.dienbien.gov.vn/TinTuc/View/Den-2025-phan-dau-it-nhat-80-so-xa-dat-chuan-nong-thon-moi?PageIndex=19",
    "S40": "https://langngheviet.com.vn/tieu-chi-ve-giao-thong-cua-huyen-nong-thon-moi-va-ntm-nang-cao-giai-doan-2021-2025-25641.html",
    # thresholds-2021-2025.md
    "T1": "http://118.69.201.250:801/phap-luat/tim-tu-van?loc=right_news&page=291&q=Th%E1%BB%B1c+h%C3%A0nh+kh%C3%A1m+ch%E1%BB%AFa+b%E1%BB%87nh",
    "T2": "https://vietnam.vn/en/day-manh-cham-soc-suc-khoe-y-te-cho-nguoi-dan",
    "T3": "https://m.baomoi.com/tieu-chi-nuoc-sach-tap-trung-diem-nghen-trong-xay-dung-ntm-o-nhu-thanh/c/44061754.epi",
    "T4": "https://chatluongvacuocsong.vn/ban-hanh-bo-chi-tieu-giao-duc-trong-xay-dung-nong-thon-moi-d95868.html",
    "T12": "https://lawnet.vn/thong-tin-phap-luat/en/chinh-sach-moi/advanced-set-of-new-rural-construction-criteria-associated-with-urbanization-in-rural-areas-of-ho-chi-minh-city-vietnam-121521.html",
    # thresholds-2026-2030-and-local.md
    "U6": "https://thuviennhadat.vn/phap-ly-nha-dat/tinh-thanh-pho-hoan-thanh-nhiem-vu-xay-dung-nong-thon-moi-giai-doan-2026-2030-can-dieu-kien-gi-732857.html",
    "U8": "https://en.vietnamplus.vn/vietnam-aims-to-lift-all-poor-communes-out-of-poverty-by-2030-post334550.vnp",
    "U20": "http://118.69.201.250:801/phap-luat/ho-tro-phap-luat/tieu-chi-ve-huyen-nong-thon-moi-quy-dinh-thi-xa-thanh-pho-truc-thuoc-cap-tinh-hoan-thanh-nhiem-vu-x-1493.html",
    "U23": "https://baothaibinh.com.vn/tin-tuc/60/198936/sua-doi-mot-so-tieu-chi-chi-tieu-huyen-nong-thon-moi-va-huyen-nong-thon-moi-nang-cao-giai-doan-2021-2025",
    "U36": "https://langngheviet.com.vn/thu-tuong-chinh-phu-ban-hanh-trinh-tu-thu-tuc-ho-so-xet-cong-nhan-dat-chuan-nong-thon-moi-ntm-nang-cao-ntm-kieu-mau-25687.html",
    "U41": "https://dantocmiennui.baotintuc.vn/sua-doi-mot-so-quy-dinh-ve-cong-nhan-dia-phuong-dat-chuan-nong-thon-moi-post346688.html",
    # thresholds-found-2026-12.md
    "L1": "https://thuvienphapluat.vn/chinh-sach-phap-luat-moi/vn/thong-bao-van-ban-moi/email/65342/tieu-chi-xa-dat-chuan-nong-thon-moi-nang-cao-ve-dien",
    "L3": "http://ccptnt.vn/quyet-dinh-1680-qd-bnn-vpdp-ngay-11-05-2022-huong-dan-thuc-hien-mot-so-tieu-chi-chi-tieu-thuoc-bo-tieu-chi-quoc-gia.html",
    "L7": "https://tapchigiaoduc.edu.vn/article/87633/228/tap-trung-trien-khai-chuong-trinh-muc-tieu-quoc-gia-xay-dung-nong-thon-moi-linh-vuc-giao-duc-cap-xa-giai-doan-2021-2025/",
    "L18": "https://www.scribd.com/doc/52925905/QD491TTG2-1-tieu-chi-nong-thon-moi",
    "L8": "https://tapchigiaoduc.edu.vn/article/87640/228/nhung-diem-sang-cho-giao-duc-trong-bo-tieu-chi-nong-thon-moi-cap-huyen-giai-doan-2021-2025/",
}

DOC = {
    "318": ("318/QĐ-TTg", "2022-03-08"),
    "319": ("319/QĐ-TTg", "2022-03-08"),
    "320": ("320/QĐ-TTg", "2022-03-08"),
    "321": ("321/QĐ-TTg", "2022-03-08"),
    "18": ("18/2022/QĐ-TTg", "2022-08-02"),
    "211": ("211/QĐ-TTg", "2024-03-01"),
    "03": ("03/2024/QĐ-TTg", "2024-03-07"),
    "51": ("51/2025/QĐ-TTg", "2025-12-29"),
    "1980": ("1980/QĐ-TTg", "2016-10-17"),
    "1491": ("1491/QĐ-BGDĐT", "2022-06-06"),
    "1327": ("1327/QĐ-BCT", "2024-06-03"),
    "1680": ("1680/QĐ-BNN-VPĐP", "2022-05-11"),
    "491/QĐ-TTg": ("491/QĐ-TTg", None),
}


def src(doc, part=None, ref=None, note=None):
    """A Source: document key of DOC (or a free text), part, source key of URL, note."""
    name, date = DOC.get(doc, (doc, None))
    s = {"document": name}
    if date:
        s["date"] = date
    if part:
        s["part"] = part
    if ref:
        s["url"] = URL[ref]
    notes = []
    if ref:
        notes.append(f"reference source {ref}")
    if note:
        notes.append(note)
    if notes:
        s["note"] = "; ".join(notes)
    return s


# ---------------------------------------------------------------- builders
PCT = {"decimal": {"unit": "percent"}}
MVND = {"decimal": {"unit": "million_vnd_per_person_year"}}
M2 = {"decimal": {"unit": "square_metres_per_person"}}
YESNO = "yes_no"
COUNT = "count"


def other(unit):
    return {"decimal": {"unit": {"other": unit}}}


def num(v):
    return {"number": str(v)}


FLAG = {"flag": True}


def row(threshold, source, confidence, regions=None, groups=None, statuses=None, years=None,
        absent_statuses=None, set_by=None):
    r = {}
    when = {}
    if regions:
        when["regions"] = regions
    if groups:
        when["commune_groups"] = groups
    if statuses:
        when["statuses"] = statuses
    if absent_statuses:
        when["absent_statuses"] = absent_statuses
    if when:
        r["when"] = when
    if years:
        r["years"] = {"from": years[0], "to": years[1]}
    r["threshold"] = threshold
    r["source"] = source
    r["confidence"] = confidence
    if set_by:
        r["set_by"] = set_by
    return r


def unknown_by(axis, source, values=None, years=None, confidence="unverified"):
    """One row per region (or group): `values` maps the key to (threshold, confidence,
    source); the others are unknown. The confidence of an unknown row says how sure
    the indicator itself (its existence and name) is."""
    keys = REGIONS if axis == "regions" else GROUPS
    kw = "regions" if axis == "regions" else "groups"
    values = values or {}
    rows = []
    for k in keys:
        if k in values:
            t, c, s = values[k]
        else:
            t, c, s = "unknown", confidence, source
        rows.append(row(t, s, c, **{kw: [k]}, years=years))
    return rows


def ind(id, vi, en, kind, req, thresholds, note=None, na=False, derived=None):
    i = {"id": id, "name": {"vi": vi, "en": en}, "kind": kind, "requirement": req}
    if na:
        i["allow_not_applicable"] = True
    if derived:
        i["derived"] = derived
    i["thresholds"] = thresholds
    if note:
        i["note"] = note
    return i


def crit(id, vi, en, indicators):
    return {"id": id, "name": {"vi": vi, "en": en}, "indicators": indicators}


def placeholder(c, vi_c, en_c, source, threshold="unknown", confidence="unverified", note=None, axis=None):
    """Stand-in for a criterion whose indicators were not read: one yes/no indicator
    `<c>.*` ("the criterion is met as a whole"), unknown unless an overlay fills it."""
    rows = unknown_by(axis, source, confidence=confidence) if axis else [row(threshold, source, confidence)]
    if threshold != "unknown" and axis:
        for r in rows:
            r["threshold"] = threshold
    n = "Stand-in: the indicators of this criterion were not read in any source, so the " \
        "criterion is one yes/no indicator until an overlay fills its threshold or adds " \
        "the real indicators."
    return ind(f"{c}.*", f"Đạt tiêu chí {c} ({vi_c})", f"Criterion {c} met ({en_c})", YESNO,
               "equal", rows, note=(n + " " + note) if note else n)


def scheme(id, years, tiers):
    names = {
        "standard": ("đạt chuẩn", "standard"),
        "advanced": ("nâng cao", "advanced"),
        "model": ("kiểu mẫu", "model"),
        "modern": ("hiện đại", "modern"),
    }
    return {"id": id, "years": {"from": years[0], "to": years[1]},
            "tiers": [{"id": t, "name": {"vi": names[t][0], "en": names[t][1]}} for t in tiers]}


S2021 = scheme("vn-2021-2025", (2021, 2025), ["standard", "advanced", "model"])
S2026 = scheme("vn-2026-2030", (2026, 2030), ["standard", "modern"])
S2016 = scheme("vn-2016-2020", (2016, 2020), ["standard", "model"])
# Villages have their own frame: the province defines the model-village criteria, and the
# national frame has no village standard or advanced set, so model is the only tier.
S2021_VILLAGE = scheme("vn-2021-2025-village", (2021, 2025), ["model"])


def cset(id, vi, en, sch, level, tier, basis, confidence, notes, criteria, pre=None, rules=None, revocation=None,
         requires_held=None, applies_to=None):
    s = {"id": id, "name": {"vi": vi, "en": en}, "scheme": sch, "level": level, "tier": tier}
    if requires_held:
        s["requires_held"] = requires_held
    if applies_to:
        s["applies_to"] = applies_to
    s.update({"legal_basis": basis, "confidence": confidence, "notes": notes})
    if rules:
        s["profile_rules"] = rules
    s["criteria"] = criteria
    if pre:
        s["preconditions"] = pre
    if revocation:
        s["revocation"] = revocation
    return s


def prefixed(prefix, criteria, pre, shared=()):
    """Gives the indicators and preconditions of a higher tier's set ids of their own
    (`NC.` nâng cao, `KM.` kiểu mẫu): a unit has one value per id for every tier of its
    level, so an id is shared only where the two tiers measure the same thing (`shared`:
    per-capita income, no construction debt, security and order)."""
    def rename(i):
        if i["id"] not in shared:
            i["id"] = prefix + i["id"]
        return i
    for c in criteria:
        c["indicators"] = [rename(i) for i in c["indicators"]]
    return criteria, [rename(i) for i in (pre or [])]


# Rural communes (xã) only: wards (phường) and townships (thị trấn) are urban units, not
# NTM communes (ntm-criteria.md §2.1).
RURAL_COMMUNES = ["rural_commune"]
RURAL_DISTRICTS = ["rural_district"]
UNIQUE_IDS_NOTE = (" Indicator ids of this set that are not shared with the standard set carry "
                   "the prefix `{p}`: a commune has one value per id for every tier, so an id is "
                   "shared only where both tiers measure the same thing ({shared}).")


# ================================================================ 2021-2025 commune
A1 = "Appendix I"
A2 = "Appendix II"
NAMES_UNVERIFIED = "Indicator name recalled in the reference, not read in the official text " \
    "[unverified]; check against 318/QĐ-TTg before use."
NUMBER_ASSIGNED = "The reference lists this indicator without a number; the number is " \
    "assigned here in listed order and is not official."


def s318(part=A1, ref="S2", note=None):
    return src("318", part, ref, note)


def region_override_rules():
    basis = src("318", "Art. 1", "S1",
                "especially difficult communes, and safe-zone (ATK) communes in poor districts or "
                "in districts that left poverty in 2018-2020, use the TDMNPB thresholds "
                "(standard and advanced sets)")
    return [
        {"when": {"statuses": ["especially_difficult"]}, "assess_as_region": "tdmnpb",
         "source": basis, "confidence": "confirmed"},
        {"when": {"statuses": ["safe_zone", "in_poor_district"]}, "assess_as_region": "tdmnpb",
         "source": basis, "confidence": "confirmed"},
        {"when": {"statuses": ["safe_zone", "in_district_out_of_poverty_2018_2020"]},
         "assess_as_region": "tdmnpb", "source": basis, "confidence": "confirmed"},
    ]


def preconditions_18(tier_word):
    part = "Regulation Art. 4(1)"
    return [
        ind("P.1", "Không có nợ đọng xây dựng cơ bản thuộc Chương trình NTM",
            "No outstanding capital-construction debt under the NTM programme",
            YESNO, "equal", [row(FLAG, src("18", part, "S9"), "confirmed")]),
        ind("P.2", f"Tỷ lệ người dân hài lòng với kết quả xây dựng NTM{tier_word} của xã",
            "Share of residents satisfied with the commune's NTM results", PCT, "at_least",
            [row("unknown", src("18", part, "S9",
                                "18/2022 only says the rate must meet the requirement as regulated; "
                                "no number in the decision; survey method: Guidance 90/HD-MTTW-BTT "
                                "(thresholds not found)"), "confirmed")],
            note="Value not found: configure it with an overlay."),
        ind("P.3", "Đáp ứng yêu cầu về an ninh, trật tự", "Security and order requirement met",
            YESNO, "equal", [
                row(FLAG, src("18", part + "(d)", "S9",
                              "until the 2024 amendment: the commune is not 'complex' in security "
                              "and order per Ministry of Public Security rules"),
                    "confirmed", years=(2021, 2023)),
                row(FLAG, src("03", "amending 18/2022 Art. 4(1)(d)", "U41",
                              "from 07/03/2024: the commune meets the Ministry of Public Security "
                              "'safe for security and order' standard"),
                    "reported", years=(2024, 2025)),
            ],
            note="What is required changed with 03/2024/QĐ-TTg (07/03/2024); the rows are split "
                 "by year, so assessments of early 2024 under the old wording need an overlay."),
    ]


def revocation_commune(assess_against=None, advanced=False):
    keys = ["10", "17", "18", "19"] if advanced else ["10", "17", "19"]
    r = {"share_with_key": "30", "share_alone": "50", "key_criteria": keys}
    if assess_against:
        r["assess_against"] = assess_against
    if advanced:
        r["source"] = src("18", "Regulation (revocation)", "U36",
                          "advanced and model communes are tested against the advanced set with "
                          "the same fractions; key criteria of the advanced set: income, "
                          "environment, living-environment quality, defence and security; "
                          "their numbers in the advanced set (10, 17, 18, 19 in this catalog's "
                          "frame) were not read [unverified]")
        r["confidence"] = "reported"
    else:
        r["source"] = src("18", "Regulation (revocation)", "S8",
                          "30% to under 50% of criteria failing with a key criterion among them "
                          "(income 10, environment & food safety 17, defence & security 19), or "
                          "50% or more; rounding of 30% of 19 criteria not specified")
        r["confidence"] = "confirmed"
    return r


def income_rows(source, confidence="unverified"):
    # Year-phased by region: one unknown row per region and year.
    rows = []
    for y in range(2021, 2026):
        for r in REGIONS:
            rows.append(row("unknown", source, confidence, regions=[r], years=(y, y)))
    return rows


def commune_standard():
    u = lambda note=None: s318(note=note)  # noqa: E731
    byreg = lambda values=None, confidence="unverified", source=None: unknown_by(  # noqa: E731
        "regions", source or u(), values, confidence=confidence)
    t4 = src("1491", None, "T4", "MOET guidance publishing the education indicators of the standard set")
    t1 = src("318", A1, "T1", "secondary table reproduction; the source prints '≥' before every "
             "stunting value, which contradicts the indicator's meaning; encoded as a maximum")
    t1b = src("318", A1, "T1")
    other5 = ["tdmnpb", "btb", "dhntb", "tn", "dbscl"]
    criteria = [
        crit("1", "Quy hoạch", "Planning", [
            ind("1.1", "Có quy hoạch chung xây dựng xã được phê duyệt và công bố",
                "Approved and published commune construction master plan", YESNO, "equal",
                byreg(), note=NAMES_UNVERIFIED),
            ind("1.2", "Ban hành quy định quản lý quy hoạch và tổ chức thực hiện",
                "Regulation on plan management issued and applied", YESNO, "equal",
                byreg(), note=NAMES_UNVERIFIED),
        ]),
        crit("2", "Giao thông", "Transport", [
            ind("2.1", "Đường xã và đường từ trung tâm xã đến huyện được nhựa hóa/bê tông hóa, ô tô đi lại thuận tiện quanh năm",
                "Commune roads and centre-to-district roads asphalted or concreted, car-passable year-round",
                PCT, "at_least", byreg(), note=NAMES_UNVERIFIED),
            ind("2.2", "Đường thôn, liên thôn ít nhất được cứng hóa",
                "Village and inter-village roads at least hardened", PCT, "at_least", byreg(),
                note=NAMES_UNVERIFIED),
            ind("2.3", "Đường ngõ, xóm sạch và đảm bảo đi lại thuận tiện quanh năm",
                "Alleys clean and passable year-round", PCT, "at_least", byreg(), note=NAMES_UNVERIFIED),
            ind("2.4", "Đường trục chính nội đồng đảm bảo vận chuyển hàng hóa quanh năm",
                "Main field roads usable for goods year-round", PCT, "at_least", byreg(),
                note=NAMES_UNVERIFIED),
        ]),
        crit("3", "Thủy lợi và phòng, chống thiên tai", "Irrigation and disaster prevention", [
            ind("3.1", "Tỷ lệ diện tích đất sản xuất nông nghiệp được tưới và tiêu nước chủ động",
                "Share of farm land with active irrigation and drainage", PCT, "at_least",
                [row(num(80), src("1680", None, "L3",
                                  "MARD guidance: 'đạt từ 80% trở lên', no region split shown; also "
                                  "reported for 318 by S3"), "reported")]),
            ind("3.2", "Đảm bảo yêu cầu chủ động về phòng chống thiên tai theo phương châm 4 tại chỗ",
                "Disaster preparedness per the '4 on-the-spot' motto: every required item met",
                YESNO, "equal",
                [row(FLAG, src("1680", None, "L3",
                               "every item marked 'có' in the requirement column is met"), "reported")]),
            ind("3.2b", "Điểm đánh giá phòng chống thiên tai theo phương châm 4 tại chỗ",
                "Disaster-preparedness score ('4 on-the-spot')", other("points"), "at_least",
                [row(num(50), src("1680", None, "L3",
                                  "the score must lie from 50 points to below 70 points"), "reported")],
                note="The guidance gives the band [50, 70) for the standard set; the upper bound "
                     "probably separates the standard band from a higher one, which was not seen, "
                     "so only the lower bound is encoded as a requirement. Second part of 3.2; "
                     "the suffix `b` is assigned here."),
        ]),
        crit("4", "Điện", "Electricity", [
            ind("4.1", "Hệ thống điện đạt chuẩn", "Power grid meets the standard", YESNO, "equal",
                byreg(), note=NAMES_UNVERIFIED),
            ind("4.2", "Tỷ lệ hộ có đăng ký trực tiếp và được sử dụng điện thường xuyên, an toàn",
                "Share of households with regular, safe power", PCT, "at_least", byreg(),
                note=NAMES_UNVERIFIED),
        ]),
        crit("5", "Trường học", "Schools", [
            ind("5.1a", "Tỷ lệ trường học (mầm non, tiểu học, THCS) đạt tiêu chuẩn tối thiểu về cơ sở vật chất",
                "Share of schools meeting the minimum facility standard", PCT, "at_least",
                byreg({r: (num(100), "reported", t4) for r in other5}),
                note="Part a of the compound rule of criterion 5 (MOET 1491 guidance). "
                     "For DBSH and DNB the source asks 100% at level 1 instead; no separate "
                     "minimum-standard value is given there (unknown). " + NUMBER_ASSIGNED),
            ind("5.1b", "Tỷ lệ trường học đạt tiêu chuẩn cơ sở vật chất mức độ 1",
                "Share of schools meeting the facility standard at level 1", PCT, "at_least",
                [row(num(100), t4, "reported", regions=["dbsh"]),
                 row(num(100), t4, "reported", regions=["dnb"])]
                + [row(num(70), t4, "reported", regions=[r], statuses=["more_than_3_schools"]) for r in other5]
                + [row(num(50), t4, "reported", regions=[r], absent_statuses=["more_than_3_schools"]) for r in other5],
                note="Part b of criterion 5. In TDMNPB, BTB, DHNTB, TN and DBSCL the value depends on the "
                     "commune's number of schools: a unit with the status `more_than_3_schools` is held "
                     "to 70%, any other to 50%. "
                     + NUMBER_ASSIGNED),
        ]),
        crit("6", "Cơ sở vật chất văn hóa", "Cultural facilities", [
            ind("6.1", "Xã có nhà văn hóa hoặc hội trường đa năng và sân thể thao",
                "Commune cultural house or multi-purpose hall and sports ground", YESNO, "equal",
                byreg(), note=NAMES_UNVERIFIED),
            ind("6.2", "Xã có điểm vui chơi, giải trí cho trẻ em và người cao tuổi",
                "Play and recreation space for children and the elderly", YESNO, "equal", byreg(),
                note=NAMES_UNVERIFIED),
            ind("6.3", "Tỷ lệ thôn có nhà văn hóa", "Share of villages with a cultural house", PCT,
                "at_least", byreg(), note=NAMES_UNVERIFIED),
        ]),
        crit("7", "Cơ sở hạ tầng thương mại nông thôn", "Rural commercial infrastructure", [
            ind("7.1", "Xã có chợ nông thôn hoặc nơi mua bán, trao đổi hàng hóa",
                "Rural market or trading place", YESNO, "equal",
                [row(FLAG, s318(ref="S2", note="binary per the reference; indicator name unverified"), "unverified")],
                note=NAMES_UNVERIFIED + " " + NUMBER_ASSIGNED),
        ]),
        crit("8", "Thông tin và Truyền thông", "Information and communication", [
            ind("8.1", "Xã có điểm phục vụ bưu chính", "Postal service point", YESNO, "equal", byreg(),
                note=NAMES_UNVERIFIED),
            ind("8.2", "Xã có dịch vụ viễn thông, internet", "Telecom and internet services", YESNO,
                "equal", byreg(), note=NAMES_UNVERIFIED),
            ind("8.3", "Xã có đài truyền thanh và hệ thống loa đến các thôn",
                "Radio station and loudspeakers to villages", YESNO, "equal", byreg(),
                note=NAMES_UNVERIFIED),
            ind("8.4", "Xã có ứng dụng công nghệ thông tin trong công tác quản lý, điều hành",
                "IT used in commune administration", YESNO, "equal", byreg(), note=NAMES_UNVERIFIED),
        ]),
        crit("9", "Nhà ở dân cư", "Housing", [
            ind("9.1", "Nhà tạm, dột nát", "No temporary or dilapidated houses", YESNO, "equal",
                byreg(), note=NAMES_UNVERIFIED),
            ind("9.2", "Tỷ lệ hộ có nhà ở kiên cố hoặc bán kiên cố", "Share of solid or semi-solid houses",
                PCT, "at_least", byreg(), note=NAMES_UNVERIFIED),
        ]),
        crit("10", "Thu nhập", "Income", [
            ind("10.1", "Thu nhập bình quân đầu người khu vực nông thôn",
                "Average per-capita income of rural residents", MVND, "at_least",
                income_rows(s318(note="year-phased by region (2022-2025); no value found for any "
                                      "region or year"), "confirmed"),
                note="The indicator is confirmed; every value is unknown. 318 phases the values "
                     "by year from 2022; the 2021 rows are unknown too. " + NUMBER_ASSIGNED),
        ]),
        crit("11", "Nghèo đa chiều", "Multidimensional poverty", [
            ind("11.1", "Tỷ lệ nghèo đa chiều giai đoạn 2021-2025", "Multidimensional poverty rate 2021-2025",
                PCT, "at_most", byreg(confidence="confirmed",
                                      source=src("318", A1, "S23", "rule: rate from the annual review ≤ "
                                                 "the regional value (MOLISA guidance); values not found")),
                note=NUMBER_ASSIGNED),
        ]),
        crit("12", "Lao động", "Labour", [
            ind("12.1", "Tỷ lệ lao động qua đào tạo (áp dụng cho cả nam và nữ)",
                "Trained-labour rate (must hold for both men and women)", PCT, "at_least",
                byreg(confidence="confirmed", source=src("318", A1, "S23", "rule: rate ≥ regional "
                                                         "value for men and women separately; values not found")),
                note="The rule must hold for men and women: report the lower of the two rates. "
                     "Further sub-indicators (e.g. with certificates) are not encoded [unverified]. "
                     + NUMBER_ASSIGNED),
        ]),
        crit("13", "Tổ chức sản xuất và phát triển kinh tế nông thôn",
             "Production organisation and rural economy", [
            ind(f"13.{i}", vi, en, YESNO, "equal", byreg(), note=NAMES_UNVERIFIED + " " + NUMBER_ASSIGNED)
            for i, (vi, en) in enumerate([
                ("Có hợp tác xã hoạt động hiệu quả", "Cooperative operating effectively"),
                ("Có mô hình liên kết sản xuất gắn với tiêu thụ", "Production-consumption linkage model"),
                ("Truy xuất nguồn gốc sản phẩm chủ lực", "Traceability of key products"),
                ("Có quy hoạch làng nghề", "Craft-village plan"),
                ("Có tổ khuyến nông cộng đồng", "Community extension team"),
            ], start=1)
        ]),
        crit("14", "Giáo dục và Đào tạo", "Education and training", [
            ind("14.1a", "Đạt phổ cập giáo dục mầm non cho trẻ 5 tuổi, phổ cập tiểu học mức độ 2, THCS mức độ 2, xóa mù chữ mức độ 2",
                "Universal preschool (5-year-olds), primary and lower-secondary education at level 2, literacy at level 2",
                YESNO, "equal", [row(FLAG, t4, "reported")],
                note="Part a of indicator 14.1 (MOET 1491 guidance), all regions."),
            ind("14.1b", "Tỷ lệ trẻ 6 tuổi vào lớp 1", "Share of 6-year-olds entering grade 1", PCT,
                "at_least", [row(num(98), t4, "reported")], note="Part b of indicator 14.1, all regions."),
            ind("14.2", "Tỷ lệ học sinh tốt nghiệp THCS tiếp tục học",
                "Share of lower-secondary graduates continuing their studies", PCT, "at_least", byreg(),
                note=NAMES_UNVERIFIED),
            ind("14.3", "Có trung tâm học tập cộng đồng hoạt động hiệu quả", "Community learning centre",
                YESNO, "equal", byreg(), note=NAMES_UNVERIFIED),
        ]),
        crit("15", "Y tế", "Health", [
            ind("15.1", "Tỷ lệ người dân tham gia bảo hiểm y tế", "Health-insurance coverage", PCT,
                "at_least", byreg(), note="A Central Coordination Office statement (T2) gives '90% or "
                "higher' without a region; it may be the TDMNPB column, so it is not encoded. "
                + NAMES_UNVERIFIED),
            ind("15.2", "Xã đạt tiêu chí quốc gia về y tế", "Commune meets the national health criteria",
                YESNO, "equal", [row(FLAG, s318(ref="S2", note="binary"), "unverified")],
                note=NAMES_UNVERIFIED),
            ind("15.3", "Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể thấp còi (chiều cao theo tuổi)",
                "Under-5 stunting rate (height-for-age)", PCT, "at_most",
                [row(num(v), t1, "reported", regions=[r]) for r, v in
                 zip(REGIONS, ["24", "16.5", "25", "22", "26.5", "14.5", "19"])],
                note="A maximum. The official comparison sign was not seen ('<' or '≤' unresolved; "
                     "T2 says 'below 24%'). The general (national) column was not visible. "
                     + NAMES_UNVERIFIED),
            ind("15.4", "Tỷ lệ dân số có sổ khám chữa bệnh điện tử",
                "Share of the population with an electronic health record", PCT, "at_least",
                byreg({"tdmnpb": (num(50), "reported", t1b), "dbsh": (num(70), "reported", t1b)}),
                note="Values for BTB, DHNTB, TN, DNB, DBSCL were cut off in the source. " + NAMES_UNVERIFIED),
        ]),
        crit("16", "Văn hóa", "Culture", [
            ind("16.1", "Tỷ lệ thôn đạt chuẩn văn hóa", "Share of villages meeting the cultural-village standard",
                PCT, "at_least", byreg(), note=NAMES_UNVERIFIED + " " + NUMBER_ASSIGNED),
        ]),
        crit("17", "Môi trường và an toàn thực phẩm", "Environment and food safety", [
            ind(f"17.{i}", vi, en, kind, req, byreg(), note=NAMES_UNVERIFIED + " " + NUMBER_ASSIGNED
                + (" " + extra if extra else ""))
            for i, (vi, en, kind, req, extra) in enumerate([
                ("Tỷ lệ hộ sử dụng nước sạch, hợp vệ sinh", "Share of households using clean and hygienic water",
                 PCT, "at_least", "A fragment (T3, reported) says the share of households on centralized "
                 "water supply must be 'from 15% to 20% or more' without saying which regions get which; "
                 "not encoded."),
                ("Tỷ lệ cơ sở sản xuất kinh doanh đảm bảo quy định về bảo vệ môi trường",
                 "Share of businesses complying with environmental rules", PCT, "at_least", None),
                ("Cảnh quan, không gian xanh - sạch - đẹp", "Green, clean, beautiful landscape", YESNO, "equal", None),
                ("Mai táng phù hợp với quy định và theo quy hoạch", "Burial per regulations and plan", YESNO, "equal", None),
                ("Tỷ lệ chất thải rắn và nước thải được thu gom, xử lý", "Solid waste and wastewater collected and treated", PCT, "at_least", None),
                ("Tỷ lệ hộ có nhà tiêu, nhà tắm hợp vệ sinh", "Share of households with hygienic toilets and bathrooms", PCT, "at_least", None),
                ("Tỷ lệ hộ chăn nuôi có chuồng trại đảm bảo vệ sinh môi trường", "Livestock pens meeting hygiene rules", PCT, "at_least", None),
                ("Tỷ lệ cơ sở sản xuất, kinh doanh thực phẩm tuân thủ quy định về an toàn thực phẩm", "Food-safety compliance", PCT, "at_least", None),
                ("Tỷ lệ hộ gia đình thực hiện phân loại chất thải rắn tại nguồn", "Households sorting waste at source", PCT, "at_least", None),
                ("Tỷ lệ bao gói thuốc bảo vệ thực vật và chất thải y tế được thu gom, xử lý", "Pesticide packaging and medical waste collected and treated", PCT, "at_least", None),
                ("Tỷ lệ chất thải nhựa được thu gom, tái sử dụng, tái chế, xử lý", "Plastic waste collected, reused, recycled or treated", PCT, "at_least", None),
            ], start=1)
        ]),
        crit("18", "Hệ thống chính trị và tiếp cận pháp luật", "Political system and access to law", [
            ind("18.1", "Cán bộ, công chức xã đạt chuẩn", "Commune officials meet the standards", YESNO,
                "equal", byreg(), note=NAMES_UNVERIFIED),
            ind("18.2", "Tổ chức chính trị - xã hội đạt loại khá trở lên",
                "Party, government and mass organisations rated 'good' or better", YESNO, "equal",
                byreg(), note=NAMES_UNVERIFIED),
            ind("18.3", "Xã đạt chuẩn tiếp cận pháp luật", "Commune meets the access-to-law standard",
                YESNO, "equal", byreg(), note=NAMES_UNVERIFIED),
            ind("18.4", "Đảm bảo bình đẳng giới, phòng chống bạo lực gia đình, bảo vệ trẻ em, hỗ trợ người dễ bị tổn thương",
                "Gender equality, prevention of domestic violence, child protection, support for vulnerable people",
                YESNO, "equal", byreg(confidence="confirmed", source=src("318", A1, "S23")),
                note="The indicator's content is confirmed (MOLISA guidance); its number and threshold "
                     "were not read. " + NUMBER_ASSIGNED),
        ]),
        crit("19", "Quốc phòng và An ninh", "Defence and security", [
            ind("19.1", "Xây dựng lực lượng dân quân và hoàn thành chỉ tiêu quốc phòng",
                "Militia built and defence targets met", YESNO, "equal",
                [row(FLAG, s318(note="binary per the reference; name unverified"), "unverified")],
                note=NAMES_UNVERIFIED + " " + NUMBER_ASSIGNED),
            ind("19.2", "Xã đạt chuẩn an toàn về an ninh, trật tự",
                "Commune meets the security-and-order safety standard", YESNO, "equal",
                [row(FLAG, s318(note="binary per the reference; name unverified"), "unverified")],
                note=NAMES_UNVERIFIED + " " + NUMBER_ASSIGNED),
        ]),
    ]
    notes = ("Decision 318/QĐ-TTg Appendix I: 19 criteria numbered as in the law (57 indicators "
             "reported; only those the reference names are encoded). Partial: most thresholds "
             "were not found and are `unknown`. Names are paraphrases. 211/QĐ-TTg (01/03/2024) "
             "amends indicators of this set; the amended values were not found, so the rows "
             "below are not split at 2024 (values from 2022 sources may have changed from "
             "2024). 03/2024/QĐ-TTg (07/03/2024) changed the security precondition (row P.3).")
    return cset("vn-2021-2025-commune-standard", "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021-2025",
                "National criteria for standard NTM communes 2021-2025", S2021, "commune", "standard",
                [s318(ref="S2"), src("18", None, "S9"),
                 src("211", None, "S12", "amends this set; amended values not found"),
                 src("03", None, "U41", "amends the recognition conditions of 18/2022")],
                "reported", notes, criteria, preconditions_18(""), region_override_rules(),
                revocation_commune(), applies_to=RURAL_COMMUNES)


STANDARD_FRAME = [
    ("1", "Quy hoạch", "Planning"), ("2", "Giao thông", "Transport"),
    ("3", "Thủy lợi và phòng, chống thiên tai", "Irrigation and disaster prevention"),
    ("4", "Điện", "Electricity"), ("5", "Trường học", "Schools"),
    ("6", "Cơ sở vật chất văn hóa", "Cultural facilities"),
    ("7", "Cơ sở hạ tầng thương mại nông thôn", "Rural commercial infrastructure"),
    ("8", "Thông tin và Truyền thông", "Information and communication"),
    ("9", "Nhà ở dân cư", "Housing"), ("10", "Thu nhập", "Income"),
    ("11", "Nghèo đa chiều", "Multidimensional poverty"), ("12", "Lao động", "Labour"),
    ("13", "Tổ chức sản xuất và phát triển kinh tế nông thôn", "Production organisation and rural economy"),
    ("14", "Giáo dục và Đào tạo", "Education and training"), ("15", "Y tế", "Health"),
    ("16", "Văn hóa", "Culture"),
    ("17", "Môi trường và an toàn thực phẩm", "Environment and food safety"),
    ("18", "Hệ thống chính trị và tiếp cận pháp luật", "Political system and access to law"),
    ("19", "Quốc phòng và An ninh", "Defence and security"),
]


# The advanced set's frame. 18/2022 names "Môi trường" (environment) and "Chất lượng môi
# trường sống" (living-environment quality) as key criteria of the advanced set [confirmed,
# S8], and the set keeps 19 criteria [reported, S16]; the other names and the numbering
# below are recalled, not read in Appendix II [unverified].
ADVANCED_FRAME = [
    ("1", "Quy hoạch", "Planning"), ("2", "Giao thông", "Transport"),
    ("3", "Thủy lợi và phòng, chống thiên tai", "Irrigation and disaster prevention"),
    ("4", "Điện", "Electricity"), ("5", "Giáo dục", "Education"),
    ("6", "Văn hóa", "Culture"),
    ("7", "Cơ sở hạ tầng thương mại nông thôn", "Rural commercial infrastructure"),
    ("8", "Thông tin và Truyền thông", "Information and communication"),
    ("9", "Nhà ở dân cư", "Housing"), ("10", "Thu nhập", "Income"),
    ("11", "Nghèo đa chiều", "Multidimensional poverty"), ("12", "Lao động", "Labour"),
    ("13", "Tổ chức sản xuất và phát triển kinh tế nông thôn", "Production organisation and rural economy"),
    ("14", "Y tế", "Health"), ("15", "Hành chính công", "Public administration"),
    ("16", "Tiếp cận pháp luật", "Access to law"),
    ("17", "Môi trường", "Environment"),
    ("18", "Chất lượng môi trường sống", "Living-environment quality"),
    ("19", "Quốc phòng và An ninh", "Defence and security"),
]
# Shared with the standard set: the same measured value (per-capita income) or the same
# recognition condition (no construction debt; security and order).
SHARED_WITH_STANDARD = ("10.1", "P.1", "P.3")


def electricity_advanced():
    l1 = lambda note=None: src("1327", "App. (advanced set, electricity)", "L1", note)  # noqa: E731
    values = {"dbsh": "100", "dnb": "100", "btb": "99", "dhntb": "99", "dbscl": "99",
              "tdmnpb": "98", "tn": "98"}
    rows = []
    for r in REGIONS:
        rows.append(row("unknown", src("318", A2, "S2", "values before the 2024 guidance not read "
                                       "(2332/QĐ-BCT, 2022, seen by title only)"),
                        "unverified", regions=[r], years=(2021, 2023)))
        note = ("the guidance groups 'Bắc Trung Bộ và Duyên hải miền Trung' as one region; "
                "giving its value to both BTB and DHNTB is a reading of the grouping"
                if r in ("btb", "dhntb") else None)
        rows.append(row(num(values[r]), l1(note), "reported", regions=[r], years=(2024, 2025),
                        set_by="ministry_published"))
    return [
        ind("4.1", "Đạt tiêu chí điện của Bộ tiêu chí xã NTM", "The standard set's electricity criterion is met",
            YESNO, "equal", [row(FLAG, l1("an advanced commune must first meet the standard-set "
                                         "electricity criterion"), "reported", set_by="ministry_published")],
            note="Prerequisite stated in the MOIT guidance; the number is assigned here."),
        ind("4.2", "Tỷ lệ hộ có đăng ký trực tiếp và được sử dụng điện sinh hoạt, sản xuất an toàn, "
            "tin cậy và ổn định", "Share of households registered directly and using electricity "
            "safely, reliably and stably", PCT, "at_least", rows,
            note="Values from MOIT 1327/QĐ-BCT (03/06/2024) for 2024-2025; earlier years unknown. "
                 "The number is assigned here."),
    ]


def commune_advanced():
    a2 = s318(A2, "S2", "Appendix II not read; value not found")
    t12 = src("318", A2 + " (as reproduced next to HCMC 2476/QĐ-UBND)", "T12",
              "'UBND cấp tỉnh quy định cụ thể' in the 318 general and DNB columns; treating the "
              "HCMC table's 318 columns as Appendix II is an assumption of the reference")
    frame_note = ("The advanced set keeps a 19-criterion frame (75 indicators reported). Its key "
                  "criteria for revocation include 'Môi trường' (17 here) and 'Chất lượng môi "
                  "trường sống' (18 here) [names confirmed, S8]; the other criterion names and all "
                  "the numbers are recalled, not read in Appendix II [unverified].")
    criteria = []
    for c, vi, en in ADVANCED_FRAME:
        if c == "1":
            inds = [
                ind(f"1.{i}", vi_i, en_i, YESNO, "equal",
                    unknown_by("regions", a2, {"dnb": ("delegated", "confirmed", t12)}),
                    note="Delegated to the province in the general and DNB columns [confirmed, "
                         "table reproduction]; the other regional columns were not seen (unknown).")
                for i, (vi_i, en_i) in enumerate([
                    ("Có quy hoạch chung xây dựng xã còn thời hạn hoặc đã được rà soát, điều chỉnh",
                     "Commune construction master plan still valid, or reviewed and adjusted"),
                    ("Ban hành quy định quản lý quy hoạch và tổ chức thực hiện",
                     "Regulation on managing the plan issued and applied"),
                    ("Có quy hoạch chi tiết trung tâm xã hoặc khu dân cư phù hợp định hướng đô thị hóa",
                     "Detailed plan of the commune centre or residential quarters fitting urbanisation"),
                ], start=1)
            ]
        elif c == "2":
            inds = [ind("2.1", "Đường xã được bảo trì hằng năm, đảm bảo sáng - xanh - sạch - đẹp",
                        "Commune roads maintained yearly, bright-green-clean-beautiful, with needed fittings",
                        PCT, "at_least", unknown_by("regions", src("318", A2, "S3"), confidence="reported"),
                        note="Named in a news report (S3) as an added advanced requirement; number "
                             "assigned here, value not found.")]
        elif c == "4":
            inds = electricity_advanced()
        elif c == "10":
            inds = [ind("10.1", "Thu nhập bình quân đầu người khu vực nông thôn",
                        "Average per-capita income of rural residents", MVND, "at_least",
                        income_rows(a2), note="The advanced income rule was not found. " + NUMBER_ASSIGNED)]
        elif c == "18":
            inds = [ind("18.1", "Tỷ lệ hộ sử dụng nước sạch từ hệ thống cấp nước tập trung",
                        "Share of households using clean water from a centralized supply system",
                        PCT, "at_least", unknown_by("regions", src("318", A2, "T3"), confidence="reported"),
                        note="A news report (T3, Thanh Hóa) gives 'from 55%' for the advanced set "
                             "without region or indicator number; not encoded as a national value. "
                             "Its place under living-environment quality is a reading [unverified]."),
                    placeholder(c, vi, en, a2, axis="regions")]
        else:
            inds = [placeholder(c, vi, en, a2, axis="regions")]
        criteria.append(crit(c, vi, en, inds))
    criteria, pre = prefixed("NC.", criteria, preconditions_18(" nâng cao"), SHARED_WITH_STANDARD)
    notes = ("Decision 318/QĐ-TTg Appendix II (advanced communes): almost every threshold is "
             "unknown. " + frame_note + " 211/QĐ-TTg (01/03/2024) amends this set; amended values "
             "not found. Revocation: an advanced commune is tested against this set."
             + UNIQUE_IDS_NOTE.format(p="NC.", shared="10.1 income, P.1 and P.3"))
    return cset("vn-2021-2025-commune-advanced",
                "Bộ tiêu chí quốc gia về xã nông thôn mới nâng cao giai đoạn 2021-2025",
                "National criteria for advanced NTM communes 2021-2025", S2021, "commune", "advanced",
                [s318(A2, "S2"), src("18", None, "S9"), src("211", None, "S12", "amends this set; amended values not found"),
                 src("1327", None, "L1", "MOIT guidance publishing the electricity values of the advanced set")],
                "unverified", notes, criteria, pre, region_override_rules(),
                revocation_commune(advanced=True), applies_to=RURAL_COMMUNES)


def commune_model():
    s4 = src("319", None, "S4")
    criteria = [
        crit("2", "Thu nhập cao hơn xã NTM nâng cao", "Income above advanced communes", [
            ind("2.1", "Thu nhập bình quân đầu người của xã tại thời điểm xét",
                "Per-capita income of the commune at the time of assessment", MVND, "at_least",
                [row("unknown", src("319", "condition 2", "S4",
                                    "≥10% above the income of advanced communes at the same time; the "
                                    "reference value is not defined in what was read"), "reported")],
                note="The threshold is 110% of a reference income that the text read does not define "
                     "(advanced communes of the province? of the region?). Provinces may set year-phased "
                     "floors with an overlay (e.g. Nam Định: ≥66/72/83/93/103 million VND for 2021-2025, "
                     "reported)."),
        ]),
        crit("3", "Thôn thông minh", "Smart village", [
            ind("3.1", "Số thôn đạt mô hình thôn thông minh", "Number of smart-village models", COUNT,
                "at_least", [row(num(1), src("319", "condition 3", "S4",
                                             "at least one smart village, as defined by the province"), "reported")],
                note="What counts as a smart village is defined by the Provincial People's Committee."),
        ]),
        crit("4", "Lĩnh vực nổi trội", "Outstanding field", [
            ind("4.1", "Số lĩnh vực đạt tiêu chí kiểu mẫu nổi trội",
                "Number of fields meeting the province's outstanding-field model criteria", COUNT,
                "at_least", [row(num(1), src("319", "condition 4", "S4",
                                             "at least one outstanding field (production, education, culture, "
                                             "tourism, landscape/environment, security and order, digital "
                                             "transformation ...); field criteria issued by the province"),
                                 "reported")]),
        ]),
    ]
    criteria, pre = prefixed("KM.", criteria, preconditions_18(" kiểu mẫu"), ("P.1", "P.3"))
    notes = ("Decision 319/QĐ-TTg: four conditions [reported, S4]. Condition 1 (the commune is "
             "advanced under the 2021-2025 set) is `requires_held: advanced`: the commune must "
             "already hold the advanced tier, from a decision before the reporting year, so a "
             "commune is never recognised advanced and model in one decision; it is not "
             "repeated here as a criterion, and conditions 2-4 keep their numbers. Revocation: a "
             "model commune is tested against the advanced set."
             + UNIQUE_IDS_NOTE.format(p="KM.", shared="P.1 and P.3"))
    return cset("vn-2021-2025-commune-model", "Bộ tiêu chí xã nông thôn mới kiểu mẫu giai đoạn 2021-2025",
                "Criteria for model NTM communes 2021-2025", S2021, "commune", "model",
                [s4, src("18", None, "S9")], "reported", notes, criteria,
                pre, None, revocation_commune("advanced", advanced=True),
                requires_held="advanced", applies_to=RURAL_COMMUNES)


# ================================================================ 2021-2025 district
DISTRICT_FRAME = [
    ("1", "Quy hoạch", "Planning", True),
    ("2", "Giao thông", "Transport", True),
    ("3", "Thủy lợi và phòng, chống thiên tai", "Irrigation and disaster prevention", True),
    ("4", "Điện", "Electricity", True),
    ("5", "Y tế - Văn hóa - Giáo dục", "Health, culture, education", True),
    ("6", "Kinh tế", "Economy", True),
    ("7", "Môi trường", "Environment", False),
    ("8", "Chất lượng môi trường sống", "Living-environment quality", False),
    ("9", "Hệ thống chính trị - An ninh trật tự - Hành chính công",
     "Political system, security and order, public administration", False),
]
DISTRICT_NUMBER_NOTE = ("Criterion named in the revocation rule (S8); its number in the district "
                        "table was not seen and is assigned here [unverified].")


def district_criteria(part, sources, transport=False, education=False):
    out = []
    for c, vi, en, numbered in DISTRICT_FRAME:
        note = None if numbered else DISTRICT_NUMBER_NOTE
        if c in ("5", "6"):
            note = "211/QĐ-TTg (01/03/2024) amends indicators of this criterion; content not read."
        inds = []
        if c == "2" and transport:
            s40 = src("320", part, "S40")
            inds = [
                ind("2.1", "Đường huyện được nhựa hóa hoặc bê tông hóa, được bảo trì hằng năm",
                    "District roads asphalted or concreted and maintained yearly", PCT, "at_least",
                    [row(num(100), s40, "reported")]),
                ind("2.2", "Đường huyện đạt cấp kỹ thuật theo quy hoạch (TCVN 4054:2005)",
                    "District roads at the planned technical grade (TCVN 4054:2005)", PCT, "at_least",
                    [row(num(100), s40, "reported")]),
                ind("2.4", "Bến xe khách tại trung tâm huyện đạt tối thiểu loại IV (nếu có quy hoạch)",
                    "Bus station at the district centre at least class IV (if planned)", YESNO, "equal",
                    [row(FLAG, s40, "reported")], na=True),
            ]
        if c == "5" and education:
            l8 = lambda n: src("320", part, "L8", n)  # noqa: E731
            inds = [
                ind("5.1", "Tỷ lệ trường THPT đạt chuẩn quốc gia mức độ 1 trở lên",
                    "Share of upper-secondary schools at national standard level 1 or higher", PCT,
                    "at_least", [row(num(60), l8("education part of criterion 5"), "reported")],
                    note="The number is assigned here."),
                ind("5.2", "Trung tâm GDNN-GDTX đạt kiểm định chất lượng cấp độ 1 trở lên",
                    "Vocational / continuing-education centre accredited at quality level 1 or higher",
                    YESNO, "equal", [row(FLAG, l8("quality level 1"), "reported")],
                    note="The number is assigned here."),
            ]
        inds.append(placeholder(c, vi, en, sources, note=note))
        out.append(crit(c, vi, en, inds))
    return out


def district_standard():
    s6 = lambda note=None: src("320", "Appendix I", "S6", note)  # noqa: E731
    derived_tier = lambda tier: {"children": "commune", "measure": {"share_at_tier": {"tier": tier}}}  # noqa: E731
    pre = [
        ind("C.1", "Tỷ lệ xã đạt chuẩn NTM giai đoạn 2021-2025", "Share of communes meeting the standard set",
            PCT, "at_least", [row(num(100), s6(), "confirmed")], derived=derived_tier("standard")),
        ind("C.2", "Tỷ lệ xã đạt chuẩn NTM nâng cao giai đoạn 2021-2025", "Share of communes meeting the advanced set",
            PCT, "at_least", [row(num(10), s6(), "confirmed")], derived=derived_tier("advanced")),
        ind("C.3", "Tỷ lệ thị trấn đạt chuẩn đô thị văn minh", "Share of townships meeting the civilized-urban standard",
            PCT, "at_least", [row(num(100), s6(), "confirmed")], na=True,
            note="Townships are not NTM units, so this is reported data, not derived. Not applicable "
                 "for a district without townships."),
        ind("C.4", "Tỷ lệ người dân hài lòng với kết quả xây dựng NTM của huyện",
            "Residents' satisfaction with the district's NTM results", PCT, "at_least",
            [row(num(90), s6("90% also S7"), "confirmed")]),
        ind("C.5", "Tỷ lệ hài lòng thấp nhất với từng nội dung NTM trong các xã",
            "Lowest satisfaction with any NTM content in any commune", PCT, "at_least",
            [row(num(80), s6(), "confirmed")],
            derived={"children": "commune", "measure": {"minimum_of": {"indicator": "S.min"}}},
            note="Each commune's value `S.min` is its lowest satisfaction rate across the NTM "
                 "contents in the district survey (not the commune set's own P.2)."),
        ind("C.6", "Tỷ lệ xã bị thu hồi quyết định công nhận đạt chuẩn NTM",
            "Share of communes whose standard recognition has been revoked", PCT, "below",
            [row(num(30), src("18", "Regulation (revocation)", "S8"), "confirmed")],
            derived={"children": "commune", "measure": {"share_revoked": {"tier": "standard"}}},
            note="18/2022/QĐ-TTg revokes a district's recognition when 30% or more of its communes "
                 "have had their standard recognition revoked: this condition is listed in the "
                 "revocation rule's `revoke_when_not_met`. As a precondition it also keeps such a "
                 "district from being recognised, which its other conditions (100% of communes "
                 "standard) already do."),
    ]
    notes = ("Decision 320/QĐ-TTg Appendix I [confirmed, S6]: conditions 1-4 are the "
             "preconditions C.1-C.5 (C.1, C.2 and C.5 derived from the communes); condition 5 is "
             "the district criteria table, of which only names and three transport indicators "
             "(reported, S40) are known. Revocation (18/2022): also when ≥30% of the district's "
             "communes have had their standard recognition revoked: the derived precondition C.6, "
             "listed in the rule's `revoke_when_not_met`. 211/QĐ-TTg "
             "amends criteria 5 and 6 and adds a set for special districts without communes (not "
             "in this catalog).")
    revocation = {"share_with_key": "30", "share_alone": "50", "key_criteria": ["6", "7", "8", "9"],
                  "revoke_when_not_met": ["C.6"],
                  "source": src("18", "Regulation (revocation)", "S8",
                                "key criteria: economy; environment; living-environment quality; political "
                                "system - security and order - public administration (numbers 7-9 assigned "
                                "here); the ≥30%-of-communes-revoked clause is condition C.6"),
                  "confidence": "confirmed"}
    return cset("vn-2021-2025-district-standard", "Bộ tiêu chí quốc gia về huyện nông thôn mới giai đoạn 2021-2025",
                "National criteria for standard NTM districts 2021-2025", S2021, "district", "standard",
                [src("320", "Appendix I", "S6"), src("18", None, "S9"),
                 src("211", None, "S12", "amends district criteria 5 and 6; content not read")],
                "reported", notes, district_criteria("Appendix I", s6("district criteria table not read"), True, True),
                pre, None, revocation, applies_to=RURAL_DISTRICTS)


def district_advanced():
    a3 = src("320", "Appendix III", "U20", "Appendix III not read")
    pre = [
        ind("C.1", "Tỷ lệ xã đạt chuẩn NTM nâng cao", "Share of communes meeting the advanced set",
            PCT, "at_least", [row("unknown", a3, "unverified")],
            derived={"children": "commune", "measure": {"share_at_tier": {"tier": "advanced"}}},
            note="Advanced-district conditions were not found; this derived condition is a frame for "
                 "an overlay to fill, not a known requirement."),
    ]
    notes = ("Decision 320/QĐ-TTg Appendix III (advanced districts): conditions not found. The "
             "standard-district tier is structural (tiers nest). A Thái Bình report mentions an "
             "agricultural technical centre operating effectively [reported, U23]; whether it is "
             "national wording is unclear, so it is not encoded. 211/QĐ-TTg amends criterion 5.")
    return cset("vn-2021-2025-district-advanced",
                "Bộ tiêu chí quốc gia về huyện nông thôn mới nâng cao giai đoạn 2021-2025",
                "National criteria for advanced NTM districts 2021-2025", S2021, "district", "advanced",
                [src("320", "Appendix III", "U20")], "unverified", *prefixed_district(
                    notes, district_criteria("Appendix III", a3), pre),
                requires_held=None, applies_to=RURAL_DISTRICTS)


def prefixed_district(notes, criteria, pre):
    criteria, pre = prefixed("NC.", criteria, pre)
    return notes + UNIQUE_IDS_NOTE.format(p="NC.", shared="none") , criteria, pre


# ================================================================ 2021-2025 province
def province_2021():
    s5 = lambda n, note=None: src("321", f"condition {n}", "S5", note)  # noqa: E731
    d = lambda children, tier: {"children": children, "measure": {"share_at_tier": {"tier": tier}}}  # noqa: E731
    conds = [
        ("1", "Huyện", "Districts", ind("1.1", "Tỷ lệ huyện đạt chuẩn NTM", "Share of rural districts meeting the district standard",
                                          PCT, "at_least", [row(num(100), s5(1), "confirmed")], derived=d("district", "standard"),
                                          note="Counted over rural districts (huyện) only; a derivation cannot yet filter "
                                               "by unit type, so the hierarchy pass must count rural districts.")),
        ("2", "Thị xã, thành phố thuộc tỉnh", "Towns and provincial cities",
         ind("2.1", "Tỷ lệ thị xã, thành phố thuộc tỉnh hoàn thành nhiệm vụ xây dựng NTM",
             "Share of towns and provincial cities that completed the NTM task", PCT, "at_least",
             [row(num(100), s5(2), "confirmed")], derived=d("district", "standard"), na=True,
             note="Counted over towns and provincial cities only ('completed' is the base tier of "
                  "district-level towns). Not applicable to a province without them.")),
        ("3", "Huyện NTM nâng cao", "Advanced districts",
         ind("3.1", "Tỷ lệ huyện đạt chuẩn NTM nâng cao", "Share of districts meeting the advanced-district standard",
             PCT, "at_least", [row(num(20), s5(3), "confirmed")], derived=d("district", "advanced"))),
        ("4", "Xã NTM nâng cao", "Advanced communes",
         ind("4.1", "Tỷ lệ xã đạt chuẩn NTM nâng cao", "Share of communes meeting the advanced-commune standard",
             PCT, "at_least", [row(num(40), s5(4), "confirmed")], derived=d("commune", "advanced"))),
        ("5", "Đề án xây dựng NTM", "Province-wide NTM plan",
         ind("5.1", "Có Đề án xây dựng NTM giai đoạn 2021-2025 được HĐND tỉnh thông qua",
             "Province-wide NTM plan 2021-2025 adopted by the Provincial People's Council", YESNO,
             "equal", [row(FLAG, s5(5), "confirmed")])),
        ("6", "Đường được trồng cây xanh", "Tree-lined roads",
         ind("6.1", "Tỷ lệ km đường huyện, đường tỉnh, quốc lộ trên địa bàn được trồng cây xanh",
             "Share of km of district roads, provincial roads and national highways that are tree-lined",
             PCT, "at_least", [row(num(70), s5(6), "confirmed")])),
        ("7", "Đất cây xanh công cộng", "Public green land",
         ind("7.1", "Diện tích đất cây xanh công cộng bình quân đầu người", "Public green land per person",
             M2, "at_least", [row(num(4), s5(7), "confirmed")])),
        ("8", "Chỉ số hài lòng", "Satisfaction index",
         ind("8.1", "Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước tỉnh",
             "Satisfaction index of people and organisations with the provincial administration", PCT,
             "at_least", [row(num(90), s5(8), "confirmed")])),
    ]
    criteria = [crit(c, vi, en, [i]) for c, vi, en, i in conds]
    notes = ("Decision 321/QĐ-TTg: the eight conditions for a province to have completed the NTM "
             "task [confirmed, S5], one criterion each. 'Completed the NTM task' is the base tier "
             "of a province, encoded as the scheme's `standard` tier. Conditions 1-4 are derived "
             "from districts and communes. Revocation of province status: not found.")
    return cset("vn-2021-2025-province-completed",
                "Quy định tỉnh hoàn thành nhiệm vụ xây dựng nông thôn mới giai đoạn 2021-2025",
                "Province completed the NTM task 2021-2025", S2021, "province", "standard",
                [src("321", None, "S5")], "confirmed", notes, criteria)


def village_model():
    s = src("province's own criteria", None, "S31",
            "village NTM and model-village criteria are issued by each province; national 2025 target "
            "covers villages of especially difficult communes")
    criteria = [crit("1", "Tiêu chí thôn NTM kiểu mẫu do tỉnh quy định",
                     "Province-defined model-village criteria",
                     [placeholder("1", "thôn kiểu mẫu", "model village", s, threshold="delegated",
                                  confidence="reported",
                                  note="The content is entirely provincial: a provincial overlay adds the "
                                       "real indicators and fills this one.")])]
    notes = ("Model village (thôn NTM kiểu mẫu) frame: the content is defined by each province "
             "[reported, S31, S30e], so the only indicator is delegated. Villages are not a state "
             "administrative level. The national frame has no village standard or advanced set, so "
             "the set has its own scheme `vn-2021-2025-village` whose only tier is `model`.")
    return cset("vn-2021-2025-village-model", "Khung tiêu chí thôn nông thôn mới kiểu mẫu (tỉnh quy định)",
                "Model village frame (criteria set by the province)", S2021_VILLAGE, "village", "model",
                [s], "reported", notes, criteria)


# ================================================================ 2026-2030
def s51(part, ref="S13", note=None):
    return src("51", part, ref, note)


NAMES_2026 = [
    ("1", "Quy hoạch", "Planning"),
    ("2", "Hạ tầng kinh tế - xã hội", "Socio-economic infrastructure"),
    ("3", "Phát triển kinh tế nông thôn", "Rural economic development"),
    ("4", "Đào tạo nguồn nhân lực nông thôn", "Rural human-resource training"),
    ("5", "Văn hóa, giáo dục, y tế", "Culture, education, health"),
    ("6", "Giảm nghèo và an sinh xã hội", "Poverty reduction and social security"),
    ("7", "Khoa học công nghệ và chuyển đổi số", "Science, technology and digital transformation"),
    ("8", "Môi trường và cảnh quan nông thôn", "Rural environment and landscape"),
    ("9", "Xây dựng hệ thống chính trị và hành chính công", "Political system and public administration"),
    ("10", "Tiếp cận pháp luật và an ninh, quốc phòng", "Access to law; security and defence"),
]

KNOWN_2026 = {
    # criterion: [(id, vi, en, kind, requirement)]; placement by meaning [unverified]
    "3": [("3.u1", "Tốc độ tăng thu nhập bình quân đầu người", "Growth rate of per-capita income",
           other("% per year"), "at_least"),
          ("3.u2", "Có kế hoạch và thực hiện hiệu quả kế hoạch phát triển sản phẩm OCOP gắn với đặc trưng, thế mạnh địa phương",
           "Has and effectively runs an OCOP product plan tied to local strengths", YESNO, "equal"),
          ("3.u3", "Có hoạt động phát triển kinh tế tư nhân tạo việc làm, thu nhập cho lao động địa phương",
           "Private-economy activity creating local jobs and income", YESNO, "equal")],
    "6": [("6.u1", "Tỷ lệ nghèo đa chiều", "Multidimensional poverty rate", PCT, "at_most")],
    "8": [("8.u1", "Tỷ lệ hộ được sử dụng nước sạch theo quy chuẩn",
           "Share of households using water that meets the technical standard", PCT, "at_least"),
          ("8.u2", "Đảm bảo an toàn thực phẩm", "Food safety assured", YESNO, "equal")],
}


def commune_2026():
    a1 = s51("Appendix I", note="per-group values not found")
    named = s51("Appendix III item 3 (names the content)", "U6",
                "content named in Appendix III; indicator number and group values not found")
    criteria = []
    for c, vi, en in NAMES_2026:
        inds = [ind(i, ivi, ien, kind, req, unknown_by("commune_groups", named, confidence="confirmed"),
                    note="Named in 51/2025 [confirmed]; its indicator number was not found (id `u` = "
                         "unnumbered) and its placement under this criterion is by meaning [unverified].")
                for i, ivi, ien, kind, req in KNOWN_2026.get(c, [])]
        inds.append(placeholder(c, vi, en, a1, axis="commune_groups",
                                note="51/2025 has 47 indicators in 10 criteria; they were not itemised in "
                                     "any source read."))
        criteria.append(crit(c, vi, en, inds))
    notes = ("Decision 51/2025/QĐ-TTg Appendix I (in force 15/02/2026): one national commune set, 10 "
             "criteria [confirmed names, S14], 47 indicators not itemised in any source read. "
             "Thresholds vary by commune group 1/2/3 (not by region); every per-group value is "
             "unknown. Recognition and revocation rules for 2026-2030 were not found.")
    return cset("vn-2026-2030-commune-standard", "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026-2030",
                "National criteria for NTM communes 2026-2030", S2026, "commune", "standard",
                [s51("Appendix I"), src("Resolution 257/2025/QH15", None, None, "merged national target programme 2026-2035")],
                "reported", notes, criteria, applies_to=RURAL_COMMUNES)


def commune_modern():
    a2 = s51("Appendix II", note="pilot framework; content not found")
    criteria = [
        crit("1", "Khung tiêu chí thí điểm xã NTM hiện đại (Phụ lục II)",
             "Modern-commune pilot framework (Appendix II)",
             [placeholder("1", "khung thí điểm", "pilot framework", a2, axis="commune_groups",
                          confidence="confirmed")]),
        crit("2", "Tiêu chí xã NTM hiện đại do tỉnh quy định", "Province's modern-commune criteria",
             [placeholder("2", "tiêu chí của tỉnh", "provincial criteria",
                          src("51", "Appendix II", "U8", "recognition rests on the central pilot framework "
                              "plus provincial criteria"), threshold="delegated", confidence="reported")]),
    ]
    notes = ("Decision 51/2025/QĐ-TTg Appendix II: pilot framework for 'modern NTM communes' (xã NTM "
             "hiện đại), whose content was not found. The standard tier is structural (tiers nest). "
             "Recognition is reported to combine the central framework with provincial criteria "
             "(criterion 2, delegated).")
    criteria, _ = prefixed("HĐ.", criteria, [])
    notes += UNIQUE_IDS_NOTE.format(p="HĐ.", shared="none")
    return cset("vn-2026-2030-commune-modern", "Khung tiêu chí thí điểm xã nông thôn mới hiện đại giai đoạn 2026-2030",
                "Pilot framework for modern NTM communes 2026-2030", S2026, "commune", "modern",
                [s51("Appendix II")], "unverified", notes, criteria, applies_to=RURAL_COMMUNES)


def province_2026():
    u6 = lambda item, note=None: src("51", f"Appendix III item {item}", "U6", note)  # noqa: E731
    criteria = [
        crit("1", "Xã đạt chuẩn NTM", "Communes meeting the commune set", [
            ind("1.1", "Tỷ lệ xã đạt chuẩn NTM giai đoạn 2026-2030", "Share of communes meeting the 2026-2030 commune set",
                PCT, "at_least", [row(num(100), u6(1), "confirmed")],
                derived={"children": "commune", "measure": {"share_at_tier": {"tier": "standard"}}})]),
        crit("2", "Xã NTM hiện đại", "Modern communes", [
            ind("2.1", "Tỷ lệ xã đạt khung tiêu chí xã NTM hiện đại (Phụ lục II)",
                "Share of communes meeting the modern-commune framework (Appendix II)", PCT, "at_least",
                [row(num(10), u6(2), "confirmed")],
                derived={"children": "commune", "measure": {"share_at_tier": {"tier": "modern"}}})]),
        crit("3", "Phường, đặc khu thực hiện xây dựng NTM", "Wards and special zones running NTM", [
            ind("3.1", "Tỷ lệ nội dung tiêu chí đạt (thấp nhất trong các phường, đặc khu thực hiện NTM)",
                "Share of the criteria contents met (lowest among the wards and special zones that run NTM)",
                PCT, "at_least", [row(num(70), u6(3), "confirmed")], na=True,
                derived={"children": "commune", "measure": {"minimum_of": {"indicator": "W.share_met"}}},
                note="Applies to wards formed by merging with commune units whose farm land was ≥70% of "
                     "the ward's area on 01/07/2025, and to special zones, where the province chooses to "
                     "run NTM there; each such unit supplies `W.share_met`. Rounding of 70% of N contents "
                     "is not specified. Not applicable when there are none."),
            ind("3.2", "Các nội dung đạt gồm: tăng thu nhập, kế hoạch OCOP, kinh tế tư nhân, nghèo đa chiều, nước sạch, an toàn thực phẩm",
                "The contents met include income growth, OCOP plan, private economy, multidimensional poverty, clean water and food safety",
                YESNO, "equal", [row(FLAG, u6(3), "confirmed")], na=True,
                note="Must hold for every such ward and special zone. The sentence continues beyond the "
                     "visible text ('yêu cầu đối với …'); the rest was not found."),
        ]),
        crit("4", "Các điều kiện khác của Phụ lục III", "Further conditions of Appendix III", [
            placeholder("4", "điều kiện khác", "further conditions",
                        src("51", "Appendix III", "U6", "list truncated after item 3; press says the province "
                            "conditions were 'tightened'"), confidence="confirmed"),
        ]),
    ]
    notes = ("Decision 51/2025/QĐ-TTg Appendix III: province/city 'completed the NTM task' "
             "2026-2030, items 1-3 [confirmed, U6]; the list is truncated after item 3, so criterion "
             "4 stands for the rest (unknown). Encoded as the base (`standard`) tier of a province.")
    return cset("vn-2026-2030-province-completed",
                "Quy định tỉnh, thành phố hoàn thành nhiệm vụ xây dựng nông thôn mới giai đoạn 2026-2030",
                "Province completed the NTM task 2026-2030", S2026, "province", "standard",
                [s51("Appendix III", "U6")], "reported", notes, criteria)


# ================================================================ 2016-2020
def commune_2016():
    s24 = lambda note=None: src("1980", None, "S24", note)  # noqa: E731
    s24b = src("1980", None, "S24b")
    income = {"tdmnpb": 36, "dbsh": 50, "btb": 36, "dhntb": 41, "tn": 41, "dnb": 59, "dbscl": 50}
    stunting = {"tdmnpb": "26.7", "dbsh": "13.9", "btb": "24.2", "dhntb": "24.2", "tn": "31.4",
                "dnb": "14.3", "dbscl": "20.5"}
    income_rows_ = []
    for r in REGIONS:
        income_rows_.append(row("unknown", s24("values for years before 2020 not in the reference"),
                                "confirmed", regions=[r], years=(2016, 2019)))
        income_rows_.append(row(num(income[r]), s24("by 2020"), "confirmed", regions=[r], years=(2020, 2020)))
    criteria = [
        crit("10", "Thu nhập", "Income", [
            ind("10.1", "Thu nhập bình quân đầu người khu vực nông thôn",
                "Average per-capita income of rural residents", MVND, "at_least", income_rows_,
                note="Values 'by 2020' only: national 45; the earlier yearly values are unknown. The "
                     "national (general) column is not a row because every commune is assessed against "
                     "its region. Indicator number assigned here, not official."),
        ]),
        crit("15", "Y tế", "Health", [
            ind("15.1", "Tỷ lệ người dân tham gia bảo hiểm y tế", "Health-insurance coverage", PCT,
                "at_least", [row(num(85), s24b, "confirmed")], note="All regions."),
            ind("15.2", "Xã đạt tiêu chí quốc gia về y tế", "Commune meets the national health criteria",
                YESNO, "equal", [row(FLAG, s24b, "confirmed")], note="All regions."),
            ind("15.3", "Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể thấp còi (chiều cao theo tuổi)",
                "Under-5 stunting rate (height-for-age)", PCT, "at_most",
                [row(num(stunting[r]), s24b, "confirmed", regions=[r]) for r in REGIONS],
                note="A maximum, although the source page words it 'minimum'. National value 21.8."),
        ]),
    ]
    notes = ("Decision 1980/QĐ-TTg (17/10/2016, in force 01/12/2016), standard communes 2016-2020: a "
             "historical, partial set holding only the criteria whose figures are confirmed in the "
             "reference (income 10, health 15); the decision has 19 criteria. Indicator numbers within "
             "15 follow the order of the reference [unverified]. The headline poverty figure (≤6%, "
             "reported, S39) is not encoded: its column is not identified. Found in December 2026, "
             "not encoded for the same reason (the national column, not a region's) [reported, "
             "thresholds-found-2026-12.md §6.1]: 4.2 households using power regularly and safely "
             "≥98%; 9 no temporary houses and ≥80% of households in standard housing; 12 employed "
             "share ≥90%; 16 villages meeting the cultural-village standard ≥70%; 17 hygienic water "
             "≥95%, of which clean water ≥60%; 13 a cooperative under the 2012 law and a "
             "production-consumption linkage.")
    return cset("vn-2016-2020-commune-standard", "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2016-2020 (một phần)",
                "National criteria for NTM communes 2016-2020 (partial)", S2016, "commune", "standard",
                [src("1980", None, "S24")], "confirmed", notes, criteria, applies_to=RURAL_COMMUNES)


S2010 = scheme("vn-2010-2015", (2010, 2015), ["standard"])


def commune_2010():
    """491/QĐ-TTg (2009), the 2010-2015 set: criteria 1-4 from a table reproduction (OCR),
    which 342/2013/QĐ-TTg did not amend [confirmed, OCR; thresholds-found-2026-12.md §6.2]."""
    l18 = lambda note=None: src("491/QĐ-TTg", None, "L18", note)  # noqa: E731
    cols = ["tdmnpb", "dbsh", "btb", "dhntb", "tn", "dnb", "dbscl"]

    def by_region(values, note=None):
        return [row(num(v), l18(note), "confirmed", regions=[r]) for r, v in zip(cols, values)]

    def binary(id, vi, en):
        return ind(id, vi, en, YESNO, "equal", [row(FLAG, l18("Đạt in every column"), "confirmed")])

    sign = "The comparison sign is not printed in the OCR; the row is a share to be reached, read as ≥."
    criteria = [
        crit("1", "Quy hoạch và thực hiện quy hoạch", "Planning", [
            binary("1.1", "Quy hoạch sử dụng đất và hạ tầng thiết yếu cho phát triển sản xuất hàng hóa",
                   "Land-use and essential-infrastructure plan for commodity production"),
            binary("1.2", "Quy hoạch phát triển hạ tầng kinh tế - xã hội - môi trường",
                   "Socio-economic and environmental infrastructure plan"),
            binary("1.3", "Quy hoạch phát triển các khu dân cư mới và chỉnh trang khu dân cư hiện có",
                   "New and upgraded residential areas plan"),
        ]),
        crit("2", "Giao thông", "Transport", [
            ind("2.1", "Tỷ lệ km đường trục xã, liên xã được nhựa hóa hoặc bê tông hóa đạt chuẩn",
                "Commune and inter-commune axis roads asphalted or concreted to grade", PCT, "at_least",
                by_region(["100"] * 7), note=sign),
            ind("2.2", "Tỷ lệ km đường trục thôn, xóm được cứng hóa đạt chuẩn",
                "Village axis roads hardened to grade", PCT, "at_least",
                by_region(["50", "100", "70", "70", "70", "100", "50"]), note=sign),
            ind("2.3", "Tỷ lệ km đường ngõ, xóm sạch và không lầy lội vào mùa mưa",
                "Alleys clean and not muddy in the rainy season", PCT, "at_least",
                by_region(["100"] * 7, "100% in every column"),
                note="Some columns add a hardening share (50 / 70 / 70 / 50 / 30% 'cứng hóa') whose "
                     "column positions are not legible in the OCR: not encoded. " + sign),
            ind("2.4", "Tỷ lệ km đường trục chính nội đồng được cứng hóa, xe cơ giới đi lại thuận tiện",
                "Main field roads hardened, passable for motor vehicles", PCT, "at_least",
                by_region(["50", "100", "70", "70", "70", "100", "50"]), note=sign),
        ]),
        crit("3", "Thủy lợi", "Irrigation", [
            binary("3.1", "Hệ thống thủy lợi cơ bản đáp ứng yêu cầu sản xuất và dân sinh",
                   "Basic irrigation system meets production and daily needs"),
            ind("3.2", "Tỷ lệ km kênh mương do xã quản lý được kiên cố hóa",
                "Commune-managed canals solidified", PCT, "at_least",
                by_region(["50", "85", "85", "70", "45", "85", "45"]), note=sign),
        ]),
        crit("4", "Điện", "Electricity", [
            binary("4.1", "Hệ thống điện đảm bảo yêu cầu kỹ thuật của ngành điện",
                   "Power system meets the sector's technical requirements"),
            ind("4.2", "Tỷ lệ hộ sử dụng điện thường xuyên, an toàn từ các nguồn",
                "Households using power regularly and safely", PCT, "at_least",
                by_region(["95", "99", "98", "98", "98", "99", "98"]), note=sign),
        ]),
    ]
    notes = ("Decision 491/QĐ-TTg (2009), NTM communes 2010-2015: a historical, partial set "
             "(criteria 1-4 of 19) from a table reproduction of the decision (OCR of its first page). "
             "Criteria 1-4 were not among those 342/2013/QĐ-TTg amended, so these rows stand for the "
             "whole period. The national (general) column is not a row: every commune is assessed "
             "against its region. A second test set with the same 7-region structure as 318.")
    return cset("vn-2010-2015-commune-standard",
                "Bộ tiêu chí quốc gia về nông thôn mới giai đoạn 2010-2015 (một phần)",
                "National criteria for NTM communes 2010-2015 (partial)", S2010, "commune", "standard",
                [src("491/QĐ-TTg", None, "L18")], "confirmed", notes, criteria, applies_to=RURAL_COMMUNES)


SETS = {
    "vn-2010-2015-commune-standard.json": commune_2010,
    "vn-2021-2025-commune-standard.json": commune_standard,
    "vn-2021-2025-commune-advanced.json": commune_advanced,
    "vn-2021-2025-commune-model.json": commune_model,
    "vn-2021-2025-district-standard.json": district_standard,
    "vn-2021-2025-district-advanced.json": district_advanced,
    "vn-2021-2025-province-completed.json": province_2021,
    "vn-2021-2025-village-model.json": village_model,
    "vn-2026-2030-commune-standard.json": commune_2026,
    "vn-2026-2030-commune-modern.json": commune_modern,
    "vn-2026-2030-province-completed.json": province_2026,
    "vn-2016-2020-commune-standard.json": commune_2016,
}


# Guidance documents that publish values a decision leaves to a ministry (318 hands the
# education values of criteria 5 and 14 to MOET, thresholds-found-2026-12.md §2.5).
MINISTRY_DOCS = {DOC[k][0] for k in ("1491", "1327", "1680")}


def mark_set_by(data):
    """Every row whose value a ministry publishes says so; every delegated row is the
    province's."""
    inds = [i for c in data["criteria"] for i in c["indicators"]] + data.get("preconditions", [])
    for i in inds:
        for r in i["thresholds"]:
            if r.get("set_by"):
                continue
            if r["threshold"] == "delegated":
                r["set_by"] = "province"
            elif r["source"]["document"] in MINISTRY_DOCS:
                r["set_by"] = "ministry_published"


def main():
    for name, make in SETS.items():
        data = make()
        mark_set_by(data)
        assert data["id"] + ".json" == name, name
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=2)
            f.write("\n")
    print(f"wrote {len(SETS)} sets to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
