import csv
import importlib.util
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from menu_planner.centers import load_centers
from menu_planner.domain import DEPARTMENTS

ROOT = Path(__file__).resolve().parent.parent
CENTERS = ROOT / "data" / "centers" / "centers.csv"
SOURCES = ROOT / "data" / "centers" / "sources"


def rows(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def children(r):
    return sum(int(r[f"enrolled_{g}"] or 0) for g in ("6-11m", "1-3y", "4-6y"))


@pytest.fixture(scope="module")
def demo():
    return rows(CENTERS)


@pytest.fixture(scope="module")
def build_script():
    spec = importlib.util.spec_from_file_location("build_centers",
                                                  ROOT / "scripts" / "build_centers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_source_tables_are_unchanged_copies_of_the_published_ones():
    shared = ROOT.parent / "shared" / "domain"
    if not shared.is_dir():
        pytest.skip("../shared/domain is not beside the repository")
    for name in ("hc_cadi_by_department_2021.csv", "mad_centers_2024.csv"):
        assert (SOURCES / name).read_bytes() == (shared / name).read_bytes()


def test_every_department_matches_the_published_2021_totals(demo):
    got = defaultdict(Counter)
    munis = defaultdict(set)
    for r in demo:
        if r["program"] != "cadi":
            continue
        got[r["department"]][r["center_type"]] += 1
        got[r["department"]]["children"] += children(r)
        munis[r["department"]].add(r["municipality"])
    published = rows(SOURCES / "hc_cadi_by_department_2021.csv")
    assert len(published) == 22
    for p in published:
        d = p["department"]
        assert got[d]["HC"] == int(p["hogares_comunitarios"]), d
        assert got[d]["CADI"] == int(p["cadis"]), d
        assert got[d]["children"] == int(p["children"]), d
        assert len(munis[d]) == int(p["municipalities_with_presence"]), d
    assert sum(c["children"] for c in got.values()) == 13756
    assert sum(c["CADI"] for c in got.values()) == 460  # the rows; the report prints 462


def test_the_68_older_adult_centers_are_the_published_rows(demo):
    mad = [r for r in demo if r["program"] == "mad"]
    published = rows(SOURCES / "mad_centers_2024.csv")
    assert len(mad) == len(published) == 68

    def key(r):
        return (r["department"], r.get("published_location") or r["municipality"],
                int(r["men"]), int(r["women"]))

    assert sorted(map(key, mad)) == sorted(map(key, published))
    assert all(int(r["enrolled_60+"]) == int(r["men"]) + int(r["women"]) for r in mad)
    assert sum(int(r["enrolled_60+"]) for r in mad) == 2658


def test_codes_are_unique_number_suffix_strings(demo):
    ids = [r["center_id"] for r in demo]
    assert len(ids) == len(set(ids)) == 671
    assert all(re.fullmatch(r"\d{4}-\d{2}", i) for i in ids)


def test_municipalities_are_listed_in_the_sources_under_their_own_department(demo):
    listed = {(r["department"], r["municipality"]) for r in rows(SOURCES / "municipalities.csv")}
    assert len(listed) == 340
    assert {d for d, _ in listed} == set(DEPARTMENTS)
    assert {(r["department"], r["municipality"]) for r in demo} <= listed


def test_cadis_are_larger_than_hogares_and_age_shares_follow_29_71(demo):
    kids = [r for r in demo if r["program"] == "cadi"]
    hc = [children(r) for r in kids if r["center_type"] == "HC"]
    cadi = [children(r) for r in kids if r["center_type"] == "CADI"]
    assert set(hc) == {12}
    assert min(cadi) > 12
    total = sum(hc) + sum(cadi)
    pre_primary = sum(int(r["enrolled_4-6y"]) for r in kids)
    assert abs(pre_primary / total - 0.71) < 0.01


def test_the_file_loads_with_the_centers_loader(tiny):
    centers = load_centers(CENTERS, tiny)
    assert len(centers) == 671
    assert sum(c.total_enrolled for c in centers) == 13756 + 2658


def test_the_build_is_deterministic_and_the_shipped_file_is_up_to_date(build_script):
    text = build_script.build()
    assert text == build_script.build()
    assert text == CENTERS.read_text(encoding="utf-8")


def test_apportion_keeps_the_total_and_gives_ties_to_the_earlier_part(build_script):
    from fractions import Fraction

    assert build_script.apportion(10, [Fraction(1)] * 3) == [4, 3, 3]
    assert sum(build_script.apportion(611, [Fraction(1, 3)] * 20)) == 611
