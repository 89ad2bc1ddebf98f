"""An unknown (ND) value under a maximum target is bounded by the highest known value of
its food group; minimum targets still count it as nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from menu_planner.optimizer.instance import build_instance
from menu_planner.optimizer.request import PlanRequest
from menu_planner.reference_data import load_dataset


@pytest.fixture
def tortilla_sodium_unknown(tiny_dir: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(tiny_dir, dest)
    foods = dest / "foods/foods.csv"
    foods.write_text(foods.read_text(encoding="utf-8").replace(
        "0,0,ND,45,fixture", "0,0,ND,ND,fixture"), encoding="utf-8")
    return dest


def row(inst, name):
    return next(r for r in inst.day_rows if r.name == name)


def test_the_ceiling_counts_the_groups_highest_known_value(tortilla_sodium_unknown):
    """Tortillas: 60 g of tortilla, sodium unknown. The highest known sodium among cereals
    of the tiny table is Incaparina's 250 mg/100 g, so the sodium ceiling counts
    60 x 250 / 100 = 150 mg per portion; energy (a minimum) is unaffected."""
    ds = load_dataset(tortilla_sodium_unknown)
    assert ds.foods["tortilla_maiz"].nutrients["sodium_mg"] is None
    inst = build_instance(ds, PlanRequest(program="cadi"))
    d = [r.recipe_id for r in inst.dishes].index("tortillas")
    ceiling = row(inst, "day_4-6y_sodium_mg_max")
    assert ceiling.coef[d] == pytest.approx(150.0)
    assert inst.nutrients["sodium_mg"][d] == pytest.approx(0.0)
    assert any("estimación prudente" in w and "tortilla_maiz" in w for w in inst.warnings)


def test_forbid_keeps_the_dish_off_and_allow_counts_zero(tortilla_sodium_unknown):
    ds = load_dataset(tortilla_sodium_unknown)
    forbid = build_instance(ds, PlanRequest(program="cadi", unknown_max="forbid"))
    assert "tortillas" not in [r.recipe_id for r in forbid.dishes]
    allow = build_instance(ds, PlanRequest(program="cadi", unknown_max="allow"))
    d = [r.recipe_id for r in allow.dishes].index("tortillas")
    assert row(allow, "day_4-6y_sodium_mg_max").coef[d] == pytest.approx(0.0)
