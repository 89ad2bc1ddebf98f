"""Variants of the shipped cycles (data/cycles, written by the optimizer's plan_cycle):
each meets its subgroup's stricter targets and the budget, and reuses most base dishes.
Figures measured with `menu-planner variante` are in docs/exchanges.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from menu_planner.domain import Dataset, MenuCycle, cycle_from_dict
from menu_planner.nutrition import day_totals
from menu_planner.reference_data import SHIPPED_DATA, load_dataset
from menu_planner.variants.derive import derive_variant
from menu_planner.variants.special import ADDED_SUGAR

CYCLES = SHIPPED_DATA / "cycles"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load_dataset(None)


def shipped_cycle(program: str) -> MenuCycle:
    path = CYCLES / f"{program}.json"
    return cycle_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def test_the_low_weight_variant_of_the_cadi_cycle_reuses_its_dishes(shipped: Dataset) -> None:
    base = shipped_cycle("cadi")
    result = derive_variant(shipped, base, "bajo_peso")
    assert result.ok, [m for d in result.days for m in d.misses] + list(result.week_misses)
    assert result.reused_share >= 0.8
    assert sum(d.reused_share >= 0.8 for d in result.days) >= 0.8 * len(result.days)
    targets = {(t.age_group, t.nutrient): t for t in result.special.changed}
    for day in result.cycle.days:
        for g in result.cycle.age_groups:
            t = day_totals(shipped, day, g)
            energy, protein = targets[(g, "energy_kcal")], targets[(g, "protein_g")]
            assert energy.min is not None and protein.min is not None
            assert t["energy_kcal"] >= energy.min * (1 - 1e-6)
            assert t["protein_g"] >= protein.min * (1 - 1e-6)
            assert t["cost_q"] <= base.daily_budget_q
    assert all(c["difference_q"] > 0 for c in result.cost_summary().values())


def test_the_hypertension_variant_of_the_mad_cycle_meets_its_sodium_ceiling(
    shipped: Dataset,
) -> None:
    result = derive_variant(shipped, shipped_cycle("mad"), "hipertension")
    assert result.ok and result.reused_share >= 0.8
    assert all(day_totals(shipped, d, "60+")["sodium_mg"] <= 825.0 + 1e-6
               for d in result.cycle.days)


def test_the_diabetes_variant_of_the_mad_cycle_has_no_added_sugar(shipped: Dataset) -> None:
    result = derive_variant(shipped, shipped_cycle("mad"), "diabetes")
    assert result.ok
    assert all(d.totals["60+"][ADDED_SUGAR] == 0 for d in result.cycle.days)
    assert result.reused_share >= 0.6  # every sugared drink must go
