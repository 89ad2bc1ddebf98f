"""Replacing unavailable foods in a week's purchase lists: the best exchange, the lists
recomputed by the purchases code, and what the change breaks. Fixture:
tests/fixtures/exchanges (two-day cadi cycle, centers C-1 and C-2 in Guatemala)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from menu_planner.centers import load_centers
from menu_planner.domain import Center, DataError, Dataset, MenuCycle, cycle_from_dict
from menu_planner.exchanges.impact import BUDGET
from menu_planner.exchanges.purchase_flow import price_region_of, substituted_week
from menu_planner.exchanges.substitution import choose_substitutions, substitute_recipes
from menu_planner.procurement import PurchaseSettings, weekly_purchase_lists
from menu_planner.reference_data import load_dataset

FIX = Path(__file__).parent / "fixtures" / "exchanges"
DATA = FIX / "data"
AS_OF = date(2026, 3, 1)


@pytest.fixture(scope="module")
def ex() -> Dataset:
    return load_dataset(DATA)


@pytest.fixture(scope="module")
def cycle() -> MenuCycle:
    return cycle_from_dict(json.loads((FIX / "cycle_cadi.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def centers(ex: Dataset) -> list[Center]:
    return [c for c in load_centers(FIX / "centers.csv", ex) if c.program == "cadi"]


def line(wk, center: int, food_id: str):  # type: ignore[no-untyped-def]
    return next((ln for ln in wk.lines(center) if ln.food_id == food_id), None)


def test_the_cheapest_exchange_that_breaks_nothing_is_chosen(ex: Dataset, cycle: MenuCycle,
                                                              centers: list[Center]) -> None:
    """At Guatemala prices, per gram of egg replaced: beans 1.4157 x 7.50/453.6 = Q0.02341,
    chicken 0.6774 x 16.50/453.6/0.7 = Q0.03520, beef 0.63 x 45/453.6/0.9 = Q0.06944.
    Egg itself: Q0.02131. Beans are the cheapest and break nothing."""
    assert price_region_of(cycle, centers) == "Guatemala"
    (sub,) = choose_substitutions(ex, cycle, 1, ["huevo_gallina"], region="Guatemala",
                                  data_dir=DATA)
    assert sub.replacement is not None and sub.replacement.food_id == "frijol_negro_cocido"
    assert sub.factor == pytest.approx(12.6 / 8.9)
    assert sub.q_per_gram_difference == pytest.approx(0.023408 - 0.021307, abs=1e-5)
    assert sub.breaches == () and sub.options_checked == 3


def test_when_every_exchange_breaks_something_the_least_breaking_is_chosen(
    ex: Dataset, cycle: MenuCycle
) -> None:
    """Without beans nor chicken, only beef can replace the egg: it breaks the 4-6 y budget
    of day 1 (Q8.07 > Q8.00), and is still chosen, saying so."""
    (sub, *_) = choose_substitutions(ex, cycle, 1, ["huevo_gallina", "frijol_negro_cocido",
                                                    "pollo_pieza"], data_dir=DATA)
    assert sub.replacement is not None and sub.replacement.food_id == "res"
    assert any(b.kind == BUDGET and b.age_group == "4-6y" for b in sub.breaches)
    assert "menos incumple" in sub.note_es


def test_the_purchase_list_is_recomputed_with_the_exchange(
    ex: Dataset, cycle: MenuCycle, centers: list[Center]
) -> None:
    """C-1 (4 children of 1-3 y and 10 of 4-6 y, attendance 1, no waste). Day 1 serves
    50 g of egg per reference portion: 0.75 x 4 + 1 x 10 = 13 portions.
    Before: egg 650 g edible / 0.88 = 738.64 g -> 2 docenas (Q27.00); beans 100 g x 13 =
    1300 g -> 3 libras at Q7.50 (Q22.50).
    After: no egg; beans 1300 + 70.7865 x 13 = 2220.22 g -> 5 libras (Q37.50).
    The week's total falls by Q27.00 - Q15.00 = Q12.00."""
    result = substituted_week(ex, cycle, centers, 1, ["huevo_gallina"], data_dir=DATA,
                              settings=PurchaseSettings(), attendance={"C-1": 1.0},
                              as_of=AS_OF)
    before, after = result.before, result.after
    c1 = after.center_index("C-1")
    egg = line(before, c1, "huevo_gallina")
    assert egg is not None and egg.needed_grams == pytest.approx(738.64, abs=0.01)
    assert (egg.quantity, egg.purchase_unit, egg.cost_q) == (2, "docena", 27.0)
    assert line(after, c1, "huevo_gallina") is None
    beans_before, beans = line(before, c1, "frijol_negro_cocido"), line(after, c1,
                                                                        "frijol_negro_cocido")
    assert beans_before.needed_grams == 1300.0 and beans_before.cost_q == 22.5
    assert beans.needed_grams == pytest.approx(2220.22, abs=0.01)
    assert (beans.quantity, beans.cost_q) == (5, 37.5)
    assert after.total_q[c1] == pytest.approx(before.total_q[c1] - 12.0)
    assert not result.breaks_something


def test_substituted_recipes_keep_the_nutrient(ex: Dataset) -> None:
    swapped = substitute_recipes(ex, {"huevo_gallina": ("frijol_negro_cocido", 12.6 / 8.9)})
    recipe = {i.food_id: i.grams for i in swapped.recipes["huevos_revueltos"].ingredients}
    assert recipe == {"frijol_negro_cocido": pytest.approx(70.7865, abs=1e-4),
                      "aceite_vegetal": 3.0, "sal": 0.5}
    assert swapped.recipes["tortillas"] is ex.recipes["tortillas"]
    assert ex.recipes["huevos_revueltos"].ingredients[0].food_id == "huevo_gallina"


def test_a_food_not_on_the_weeks_menu_is_not_replaced(ex: Dataset, cycle: MenuCycle) -> None:
    (sub,) = choose_substitutions(ex, cycle, 1, ["zanahoria"], data_dir=DATA)
    assert sub.replacement is None and "no se usa" in sub.note_es


def test_unknown_foods_and_weeks_are_reported(ex: Dataset, cycle: MenuCycle) -> None:
    with pytest.raises(DataError) as err:
        choose_substitutions(ex, cycle, 4, ["huevo", "huevo_gallina"], data_dir=DATA)
    messages = " ".join(p.message for p in err.value.problems)
    assert "'huevo'" in messages and "semana 4" in messages


def test_the_lists_match_the_purchases_code_without_substitution(
    ex: Dataset, cycle: MenuCycle, centers: list[Center]
) -> None:
    result = substituted_week(ex, cycle, centers, 1, ["zanahoria"], data_dir=DATA,
                              as_of=AS_OF)
    plain = weekly_purchase_lists(ex, cycle, centers, 1, as_of=AS_OF)
    assert result.after.total_q.tolist() == plain.total_q.tolist()
