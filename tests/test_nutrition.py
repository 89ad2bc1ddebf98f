"""Nutrient and cost analysis against values worked out by hand from the tiny fixture."""

from __future__ import annotations

import pytest

from menu_planner.domain import Dataset, Meal, MenuDay, MenuItem, Target
from menu_planner.nutrition import (
    COST,
    adequacy,
    average,
    check_target,
    day_totals,
    meal_totals,
    portion_totals,
)


def test_one_portion_of_frijoles_colados(tiny: Dataset) -> None:
    """100 g frijol + 3 g aceite + 0.3 g sal.
    energy 132 + 884*0.03 = 158.52 kcal; fat 0.5 + 3 = 3.5 g; sodium 1 + 38758*0.003 = 117.274
    cost 100/453.6*7.00 + 3/920*22 + 0.3/453.6*2 = 1.5432099 + 0.0717391 + 0.0013228."""
    t = portion_totals(tiny, "frijoles_colados")
    assert t["energy_kcal"] == pytest.approx(158.52)
    assert t["protein_g"] == pytest.approx(8.9)
    assert t["fat_g"] == pytest.approx(3.5)
    assert t["sodium_mg"] == pytest.approx(117.274)
    assert t[COST] == pytest.approx(1.6162718, abs=1e-6)
    assert t["fat_energy_pct"] == pytest.approx(9 * 3.5 / 158.52 * 100)


def test_cost_uses_edible_fraction_and_the_cheapest_unit(tiny: Dataset) -> None:
    """Huevos revueltos: 50 g edible egg / 0.88 = 56.818 g bought; the dozen (13.50/720 g =
    0.01875 Q/g) is cheaper than one egg (1.25/60 g): 56.818*0.01875 = 1.0653409;
    + aceite 3/920*22 = 0.0717391 + sal 0.5/453.6*2 = 0.0022046."""
    t = portion_totals(tiny, "huevos_revueltos")
    assert t[COST] == pytest.approx(1.0653409 + 0.0717391 + 0.0022046, abs=1e-6)


def test_department_prices_fall_back_to_national(tiny: Dataset) -> None:
    """Pollo guisado in Guatemala: pollo 70/0.7 = 100 g at 16.50/libra = 3.6375661;
    güisquil has no Guatemala price: 30/0.8 = 37.5 g at 2.00/300 g = 0.25;
    aceite 4/920*22 = 0.0956522; sal 0.6/453.6*2 = 0.0026455."""
    t = portion_totals(tiny, "pollo_guisado", region="Guatemala")
    assert t[COST] == pytest.approx(3.6375661 + 0.25 + 0.0956522 + 0.0026455, abs=1e-6)
    national = portion_totals(tiny, "pollo_guisado")
    assert national[COST] == pytest.approx(100 / 453.6 * 15 + 0.25 + 0.0956522 + 0.0026455,
                                           abs=1e-6)


def test_portions_scale_linearly(tiny: Dataset) -> None:
    """Half a portion of atol: incaparina 12.5 g x 20 mg/100 g = 2.5 mg iron;
    azúcar 4 g x 0.05 mg/100 g = 0.002 mg."""
    half = portion_totals(tiny, "atol_incaparina", 0.5)
    one = portion_totals(tiny, "atol_incaparina", 1.0)
    assert half["iron_mg"] == pytest.approx(one["iron_mg"] / 2) == pytest.approx(2.5 + 0.002)


def test_unknown_values_are_not_zero_but_reported(tiny: Dataset) -> None:
    t = portion_totals(tiny, "tortillas")
    assert t["folate_ug_dfe"] == 0.0
    assert t.unknown["folate_ug_dfe"] == frozenset({"tortilla_maiz"})
    check = check_target(t, Target("cadi", "4-6y", "folate_ug_dfe", 10, None, "day"))
    assert not check.ok and check.unknown_foods == frozenset({"tortilla_maiz"})


def day(portions_6_11m: float) -> MenuDay:
    return MenuDay(1, 1, (
        Meal("desayuno", (MenuItem("atol_incaparina", {"6-11m": portions_6_11m, "4-6y": 1.0}),)),
        Meal("almuerzo", (
            MenuItem("pollo_guisado", {"6-11m": 0.0, "4-6y": 1.0}),
            MenuItem("pure_pollo_guisquil", {"6-11m": 0.5, "4-6y": 0.0}),
        )),
    ))


def test_a_day_and_a_meal_for_an_age_group(tiny: Dataset) -> None:
    """Infant: atol 0.5 (incaparina 12.5 g = 46.875 kcal, azúcar 4 g = 15.48 kcal) and puré
    0.5 (pollo 20 g = 43 kcal, güisquil 20 g = 3.8 kcal): 109.155 kcal; protein 2.625 + 3.72 +
    0.16 = 6.505 g."""
    d = day(0.5)
    t = day_totals(tiny, d, "6-11m")
    assert t["energy_kcal"] == pytest.approx(109.155)
    assert t["protein_g"] == pytest.approx(6.505)
    lunch = meal_totals(tiny, d.meals[1], "6-11m")
    assert lunch["energy_kcal"] == pytest.approx(46.8)
    assert day_totals(tiny, d, "1-3y")["energy_kcal"] == 0.0  # not served anything


def test_adequacy_and_weekly_average(tiny: Dataset) -> None:
    low, high = day_totals(tiny, day(0.25), "6-11m"), day_totals(tiny, day(0.5), "6-11m")
    week = average([low, high])
    assert week["energy_kcal"] == pytest.approx((low["energy_kcal"] + high["energy_kcal"]) / 2)
    targets = [Target("cadi", "6-11m", "energy_kcal", 100, None, "day"),
               Target("cadi", "6-11m", "protein_g", None, 6.0, "day")]
    checks = adequacy(high, targets)
    assert checks[0].ok and checks[0].share_of_min == pytest.approx(1.09155)
    assert not checks[1].ok and checks[1].excess == pytest.approx(0.505)
    low_checks = adequacy(low, targets)
    assert not low_checks[0].ok
    assert low_checks[0].shortfall == pytest.approx(100 - low["energy_kcal"])
