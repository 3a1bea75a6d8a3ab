"""Shared paths and data of the repository for the ntm_rules tests."""

import copy
import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "requests" / "province.json"
EXAMPLE_RESPONSE = ROOT / "examples" / "requests" / "province.response.json"
BAC_GIANG = ROOT / "data" / "bac_giang_2022"
BAC_GIANG_CATALOG = ROOT / "data" / "bac_giang_2022_catalog"
COMMUNE_SETS = [
    "vn-2021-2025-commune-standard",
    "vn-2021-2025-commune-advanced",
    "vn-2021-2025-commune-model",
]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture
def example_request():
    """The example request as a dict (a fresh copy for each test)."""
    return copy.deepcopy(load(EXAMPLE))


@pytest.fixture(scope="session")
def bac_giang_communes():
    """The Bắc Giang 2022 communes on the national catalog with the provincial overlay:
    a request of the province, its districts and its 184 communes (not the villages),
    and the communes' inputs."""
    units = [u for u in load(BAC_GIANG / "units.json") if u["level"] != "village"]
    communes = {u["code"] for u in units if u["level"] == "commune"}
    inputs = [i for i in load(BAC_GIANG_CATALOG / "inputs.json") if i["data"]["unit"] in communes]
    overlay = load(BAC_GIANG_CATALOG / "overlay.json")
    # The request holds the commune sets only, and the contract refuses overlay entries
    # for sets it does not hold: keep the commune entries.
    overlay = dict(overlay)
    for key in ("thresholds", "indicators"):
        overlay[key] = [e for e in overlay.get(key, []) if e["set"] in COMMUNE_SETS]
    request = {
        "version": 1,
        "year": 2022,
        "date": "2022-12-31",
        "units": units,
        "sets": [{"level": "commune", "sets": [{"catalog": s} for s in COMMUNE_SETS]}],
        "overlays": [overlay],
        "inputs": inputs,
    }
    return request, inputs, overlay
