"""scripts/build_foods.py: deterministic, complete, traceable food composition table."""

from __future__ import annotations

import csv
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from menu_planner.domain import FOOD_GROUPS, NUTRIENTS
from menu_planner.reference_data import FOOD_COLUMNS
from menu_planner.tabular import read_table

ROOT = Path(__file__).resolve().parent.parent
FOODS_DIR = ROOT / "data" / "foods"
REF = ROOT / "data" / "reference"


def _load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


build_foods = _load_script("build_foods")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("foods")
    assert build_foods.main(["--out-dir", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def foods(built: Path) -> dict[str, dict[str, str]]:
    return {r["food_id"]: r for r in _rows(built / "foods.csv")}


@pytest.fixture(scope="module")
def incap() -> dict[str, dict[str, str]]:
    return {r["codigo"]: r for r in _rows(REF / "incap_tca_2012_nutrientes.csv")}


def test_build_is_deterministic_and_shipped_files_are_current(built: Path, tmp_path: Path
                                                              ) -> None:
    assert build_foods.main(["--out-dir", str(tmp_path)]) == 0
    for name in ("foods.csv", "foods_provenance.csv"):
        again = (tmp_path / name).read_bytes()
        assert again == (built / name).read_bytes()
        assert again == (FOODS_DIR / name).read_bytes(), f"{name}: re-run build_foods.py"


def test_every_selected_food_is_built_and_readable_by_the_loader(built: Path) -> None:
    selection = _rows(FOODS_DIR / "food_selection.csv")
    rows, problems = read_table(built / "foods.csv", FOOD_COLUMNS)
    assert problems == []
    assert {r["food_id"] for r in rows} == {s["food_id"] for s in selection}
    assert len(rows) >= 160
    assert {r["food_group"] for r in rows} == set(FOOD_GROUPS)
    assert all(0.0 < r["edible_fraction"] <= 1.0 for r in rows)


def test_no_blank_nutrient_cell(foods: dict[str, dict[str, str]]) -> None:
    for fid, row in foods.items():
        for n in NUTRIENTS:
            cell = row[n]
            assert cell == "ND" or float(cell) >= 0.0, (fid, n, cell)
        assert row["source"].strip()
        assert row["market_section"] in build_foods.MARKET_SECTIONS
        assert row["keeps"] in {"0", "1"}


def test_provenance_covers_every_value(built: Path, foods: dict[str, dict[str, str]]) -> None:
    prov = {(p["food_id"], p["nutrient"]): p for p in _rows(built / "foods_provenance.csv")}
    for fid, row in foods.items():
        for n in (*NUTRIENTS, "edible_fraction"):
            p = prov[(fid, n)]
            assert p["value"] == row[n]
            if row[n] != "ND":
                assert p["source"] in {"INCAP TCA 2012", "USDA SR28"}, (fid, n)
                assert p["source_code"]
            else:
                assert p["source"] == "ND"


def test_spot_checks_against_the_incap_rows(foods: dict[str, dict[str, str]],
                                            incap: dict[str, dict[str, str]]) -> None:
    beans = incap["9009"]
    assert foods["frijol_negro"]["protein_g"] == f"{float(beans['proteina_g']):.2f}" == "22.70"
    assert foods["frijol_negro"]["iron_mg"] == f"{float(beans['hierro_mg']):.2f}"
    # Native row: folate from acido_folico_mcg; USDA-derived row: folato_eq_fd_mcg (DFE).
    assert foods["frijol_negro"]["folate_ug_dfe"] == "463.00"
    assert foods["fideos"]["folate_ug_dfe"] == f"{float(incap['13060']['folato_eq_fd_mcg']):.2f}"
    assert foods["tortilla_maiz"]["calcium_mg"] == f"{float(incap['14052']['calcio_mg']):.2f}"
    assert foods["huevo_gallina"]["edible_fraction"] == "0.88"
    assert foods["incaparina_polvo"]["zinc_mg"] == "15.00"


def test_blanks_are_filled_from_the_mapped_usda_row(foods: dict[str, dict[str, str]]) -> None:
    usda = {r["ndb_no"]: r for r in _rows(REF / "usda_sr28_menu_subset.csv")}
    # The maize tortilla has no zinc in INCAP: it comes from USDA 18449.
    assert foods["tortilla_maiz"]["zinc_mg"] == f"{float(usda['18449']['zinc_mg']):.2f}"
    assert "USDA SR28 18449 (zinc_mg" in foods["tortilla_maiz"]["source"]
    assert "INCAP TCA 2012 cód. 14052" in foods["tortilla_maiz"]["source"]
    # A food without an INCAP row takes every value from USDA.
    assert foods["res_molida"]["protein_g"] == f"{float(usda['23567']['protein_g']):.2f}"


def test_zeros_that_mean_not_analysed_are_not_zero(foods: dict[str, dict[str, str]]) -> None:
    # INCAP prints Incaparina preparada with zinc 0.00 (documented in SOURCES.md).
    assert foods["incaparina_preparada"]["zinc_mg"] == "ND"
    # True zeros stay zero: oil has no protein, sugar no vitamin C.
    assert foods["aceite_vegetal"]["protein_g"] == "0.00"
    assert foods["azucar_blanca"]["vitamin_c_mg"] == "0.00"


def test_missing_code_fails_loudly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "food_selection.csv"
    shutil.copy(FOODS_DIR / "food_selection.csv", bad)
    with bad.open("a", encoding="utf-8") as fh:
        fh.write("alimento_raro,Alimento raro,otros,99999,,Condimentos y otros,1,\n")
    assert build_foods.main(["--selection", str(bad), "--out-dir", str(tmp_path)]) == 1
    assert "99999" in capsys.readouterr().err
    assert not (tmp_path / "foods.csv").exists()
