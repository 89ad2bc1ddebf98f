"""Weekly purchase lists, with every expected figure worked out by hand.

Fixture `tests/fixtures/purchases/` (its own data dir and settings):
- C-1 (Guatemala): 10 of 1-3y and 10 of 4-6y, attendance column 0.5 -> 5 + 5 people/day.
- C-2 (Baja Verapaz): 20 of 4-6y, no attendance -> default 0.8 from settings -> 16.
- Waste: leguminosas 5%, frutas 10%, others 0. Steps: libra 0.5, unidad 1, docena 1.
- Edible fraction: frijol 1, arroz 1, huevo 0.8, banano 0.5.
- Prices: frijol libra (453.6 g) Q7 Nacional, Q8 Guatemala; arroz libra Q5 Nacional only;
  huevo unidad (50 g) Q1 or docena (600 g) Q10.80 -> the docena is cheaper per gram;
  banano unidad (100 g) Q0.50.
- Week 1: Mon frijoles (100 g frijol; 1-3y 0.5 portion, 4-6y 1) + banano (50 g; 0.5 / 1);
  Tue huevo duro (40 g huevo; 1 / 1) + arroz (45.36 g; 1 / 1).
  Week 2: Mon frijoles (0.5 / 1); Tue arroz (1 / 1) + banano (1 / 1).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from menu_planner.centers import load_centers
from menu_planner.domain import Center, DataError, Dataset, MenuCycle, cycle_from_dict
from menu_planner.procurement import (
    PurchaseSettings,
    WeekPurchases,
    cycle_purchase_lists,
    load_attendance,
    load_purchase_settings,
    planned_food_q,
    prepare_purchases,
    total_by_center,
    weekly_purchase_lists,
)
from menu_planner.procurement.units import units_to_buy
from menu_planner.reference_data import load_dataset

FIX = Path(__file__).parent / "fixtures" / "purchases"
DATA = FIX / "data"
AS_OF = date(2026, 3, 1)


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset(DATA)


@pytest.fixture(scope="module")
def cycle() -> MenuCycle:
    return cycle_from_dict(json.loads((FIX / "cycle.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def centers(ds: Dataset) -> list[Center]:
    return load_centers(FIX / "centers.csv", ds)


@pytest.fixture(scope="module")
def settings() -> PurchaseSettings:
    return load_purchase_settings(DATA)


@pytest.fixture(scope="module")
def weeks(ds: Dataset, cycle: MenuCycle, centers: list[Center],
          settings: PurchaseSettings) -> list[WeekPurchases]:
    return cycle_purchase_lists(ds, cycle, centers, settings=settings,
                                attendance=load_attendance(FIX / "centers.csv"), as_of=AS_OF)


def line(wk: WeekPurchases, center_id: str, food_id: str):  # type: ignore[no-untyped-def]
    found = [ln for ln in wk.lines(wk.center_index(center_id)) if ln.food_id == food_id]
    assert len(found) == 1, f"{center_id}/{food_id}: {found}"
    return found[0]


def test_settings_are_read_from_the_data_dir(settings: PurchaseSettings) -> None:
    assert settings.default_attendance == 0.8
    assert settings.waste_factor("leguminosas") == 0.05
    assert settings.waste_factor("grasas") == 0.0  # not listed -> no waste
    assert settings.step("Libra") == 0.5
    assert settings.step("bolsa 450 g") == 1.0  # not listed -> whole units


def test_shipped_settings_load_with_documented_defaults() -> None:
    s = load_purchase_settings(None)
    assert s.default_attendance == 0.9
    assert s.step("libra") == 0.5 and s.step("unidad") == 1.0
    assert s.price_max_age_days == 365


def test_only_centers_of_the_cycle_program_get_lists(weeks: list[WeekPurchases]) -> None:
    assert [w.week for w in weeks] == [1, 2]
    assert weeks[0].center_ids == ("C-1", "C-2")


def test_people_served_use_the_attendance_column_or_the_default(
    weeks: list[WeekPurchases],
) -> None:
    """C-1: 20 x 0.5 = 10 people; C-2: 20 x 0.8 (default) = 16."""
    assert weeks[0].people_served.tolist() == [10.0, 16.0]
    assert weeks[0].attendance.tolist() == [0.5, 0.8]


def test_legume_waste_and_half_libra_rounding_at_the_department_price(
    weeks: list[WeekPurchases],
) -> None:
    """C-1 frijol, week 1: 5 x 50 g + 5 x 100 g = 750 g edible; / 1.0 x 1.05 = 787.5 g;
    787.5 / 453.6 = 1.736 libras -> 2 libras (half-libra steps); Guatemala price Q8 ->
    Q16.00; 907.2 - 787.5 = 119.7 g left (frijol keeps)."""
    ln = line(weeks[0], "C-1", "frijol")
    assert ln.needed_grams == 787.5
    assert ln.waste_factor == 0.05
    assert ln.quantity == 2.0
    assert ln.unit_price_q == 8.0 and ln.price_region == "Guatemala"
    assert ln.cost_q == 16.0
    assert ln.carried_out_grams == pytest.approx(119.7)


def test_national_price_is_used_where_the_department_lists_none(
    weeks: list[WeekPurchases],
) -> None:
    """C-2 frijol, week 1: 16 x 100 g x 1.05 = 1680 g; 1680 / 453.6 = 3.70 -> 4 libras at
    the Nacional Q7 (Baja Verapaz lists no price) = Q28.00; 1814.4 - 1680 = 134.4 g left.
    C-1 arroz: Guatemala lists no arroz price -> Nacional Q5."""
    ln = line(weeks[0], "C-2", "frijol")
    assert (ln.needed_grams, ln.quantity, ln.unit_price_q, ln.cost_q) == (1680.0, 4.0, 7.0, 28.0)
    assert ln.price_region == "Nacional" and ln.national_fallback
    assert ln.carried_out_grams == pytest.approx(134.4)
    assert line(weeks[0], "C-1", "arroz").price_region == "Nacional"


def test_edible_fraction_and_fruit_waste_round_up_to_whole_units(
    weeks: list[WeekPurchases],
) -> None:
    """C-1 banano, week 1: 5 x 25 g + 5 x 50 g = 375 g edible; / 0.5 (peel) x 1.10 =
    825 g; 825 / 100 g = 8.25 -> 9 unidades x Q0.50 = Q4.50; perishable -> nothing left."""
    ln = line(weeks[0], "C-1", "banano")
    assert (ln.needed_grams, ln.quantity, ln.cost_q) == (825.0, 9.0, 4.5)
    assert ln.carried_out_grams == 0.0


def test_the_cheapest_unit_per_gram_is_bought_in_whole_dozens(
    weeks: list[WeekPurchases],
) -> None:
    """Huevo: docena 600 g Q10.80 (Q0.018/g) beats unidad 50 g Q1 (Q0.02/g).
    C-1: 10 x 40 g / 0.8 = 500 g -> 0.83 docena -> 1 docena = Q10.80.
    C-2: 16 x 40 g / 0.8 = 800 g -> 1.33 -> 2 docenas (step 1 in the fixture) = Q21.60."""
    c1, c2 = line(weeks[0], "C-1", "huevo"), line(weeks[0], "C-2", "huevo")
    assert c1.purchase_unit == "docena"
    assert (c1.needed_grams, c1.quantity, c1.cost_q) == (500.0, 1.0, 10.8)
    assert (c2.needed_grams, c2.quantity, c2.cost_q) == (800.0, 2.0, 21.6)


def test_an_exact_multiple_of_the_unit_buys_no_extra_step(weeks: list[WeekPurchases]) -> None:
    """C-1 arroz, week 1: 10 x 45.36 g = 453.6 g = exactly 1 libra -> 1 (not 1.5)."""
    ln = line(weeks[0], "C-1", "arroz")
    assert (ln.needed_grams, ln.quantity, ln.cost_q, ln.carried_out_grams) == (
        453.6, 1.0, 5.0, 0.0)


def test_leftovers_of_foods_that_keep_reduce_next_weeks_purchase(
    weeks: list[WeekPurchases],
) -> None:
    """C-1 frijol, week 2: 787.5 g needed, 119.7 g carried in -> 667.8 g to buy = 1.47
    libras -> 1.5 libras (680.4 g) = Q12.00; 680.4 + 119.7 - 787.5 = 12.6 g carried on."""
    ln = line(weeks[1], "C-1", "frijol")
    assert ln.carried_in_grams == pytest.approx(119.7)
    assert (ln.needed_grams, ln.quantity, ln.cost_q) == (787.5, 1.5, 12.0)
    assert ln.carried_out_grams == pytest.approx(12.6)


def test_perishables_carry_nothing_into_next_week(weeks: list[WeekPurchases]) -> None:
    """C-1 banano, week 2: 10 x 50 g / 0.5 x 1.1 = 1100 g -> 11 unidades; week 1's 75 g
    surplus (900 - 825) is not carried because bananas do not keep."""
    ln = line(weeks[1], "C-1", "banano")
    assert ln.carried_in_grams == 0.0
    assert (ln.needed_grams, ln.quantity, ln.cost_q) == (1100.0, 11.0, 5.5)


def test_totals_add_up_and_budget_is_daily_budget_times_people_times_days(
    weeks: list[WeekPurchases],
) -> None:
    """C-1 week 1: 16 + 4.50 + 10.80 + 5 = Q36.30; week 2: 12 + 5 (arroz) + 5.50 = Q22.50.
    C-2 week 1: frijol 28 + banano 18 x 0.5 = 9 + huevo 21.60 + arroz 725.76 g -> 2 libras
    = 10 -> Q68.60. Budget: Q10 x 10 people x 2 days = Q200; C-2: 10 x 16 x 2 = Q320."""
    assert weeks[0].totals_by_center() == {"C-1": 36.3, "C-2": 68.6}
    assert weeks[1].totals_by_center()["C-1"] == 22.5
    assert weeks[0].budget_q.tolist() == [200.0, 320.0]
    assert weeks[0].service_days.tolist() == [2, 2]
    for wk in weeks:
        for i in range(len(wk.centers)):
            assert round(sum(ln.cost_q for ln in wk.lines(i)), 2) == wk.total_q[i]


def test_every_line_covers_its_need_as_the_contract_says(
    tiny: Dataset, tiny_dir: Path,
) -> None:
    """On the tiny 6-week cycle: quantity x unit_grams + carried_in >= needed, and what is
    carried out is exactly the surplus for foods that keep (0 for perishables)."""
    cyc = cycle_from_dict(json.loads((tiny_dir / "cycle_cadi.json").read_text("utf-8")))
    cs = load_centers(tiny_dir / "centers" / "centers.csv", tiny)
    for wk in cycle_purchase_lists(tiny, cyc, cs, as_of=AS_OF):
        for i in range(len(wk.centers)):
            for ln in wk.lines(i):
                have = ln.quantity * ln.unit_grams + ln.carried_in_grams
                assert have >= ln.needed_grams - 1e-6
                surplus = round(have - ln.needed_grams, 2) if ln.food.keeps else 0.0
                assert ln.carried_out_grams == pytest.approx(surplus, abs=1e-9)
                assert ln.cost_q == round(ln.quantity * ln.unit_price_q, 2)


def test_served_weekdays_limit_the_week(
    ds: Dataset, cycle: MenuCycle, centers: list[Center],
) -> None:
    """Only Monday of week 1 (Tuesday a holiday): C-1 buys frijol (Q16) and banano (Q4.50)
    only = Q20.50; C-2 serves both days (per-center weekdays): Q68.60 as before."""
    wk = weekly_purchase_lists(ds, cycle, centers, 1, weekdays={"C-1": [1]},
                               settings=load_purchase_settings(DATA),
                               attendance={"C-1": 0.5}, as_of=AS_OF)
    assert [ln.food_id for ln in wk.lines(0)] == ["banano", "frijol"]
    assert wk.totals_by_center() == {"C-1": 20.5, "C-2": 68.6}
    assert wk.service_days.tolist() == [1, 2]
    assert wk.weekdays == ((1,), (1, 2))


def test_carry_in_given_as_grams_only_counts_foods_that_keep(
    ds: Dataset, cycle: MenuCycle, centers: list[Center],
) -> None:
    """C-2, week 1 with 1000 g of frijol and 500 g of banano in stock: frijol 1680 - 1000
    = 680 g -> 1.5 libras (680.4 g, Q10.50), 0.4 g left; banano is perishable: the stock
    is ignored and 18 unidades are bought as without it."""
    wk = weekly_purchase_lists(ds, cycle, centers, 1, settings=load_purchase_settings(DATA),
                               carry_in={"C-2": {"frijol": 1000.0, "banano": 500.0}},
                               as_of=AS_OF)
    frijol = line(wk, "C-2", "frijol")
    assert (frijol.carried_in_grams, frijol.quantity, frijol.cost_q) == (1000.0, 1.5, 10.5)
    assert frijol.carried_out_grams == pytest.approx(0.4)
    banano = line(wk, "C-2", "banano")
    assert (banano.carried_in_grams, banano.quantity) == (0.0, 18.0)


def test_stock_that_covers_the_need_buys_nothing(
    ds: Dataset, cycle: MenuCycle, centers: list[Center],
) -> None:
    """C-2 with 2000 g of frijol: needs 1680 g -> buy 0, Q0, 320 g carried on."""
    wk = weekly_purchase_lists(ds, cycle, centers, 1, settings=load_purchase_settings(DATA),
                               carry_in={"C-2": {"frijol": 2000.0}}, as_of=AS_OF)
    ln = line(wk, "C-2", "frijol")
    assert (ln.quantity, ln.cost_q, ln.carried_out_grams) == (0.0, 0.0, 320.0)


def test_month_spending_sums_the_weeks_for_caja_chica(
    ds: Dataset, cycle: MenuCycle, centers: list[Center],
) -> None:
    """Weeks 1 and 2 in full: C-1 36.30 + 22.50 = Q58.80. Only Tuesday of week 1:
    C-1 huevo 1 docena Q10.80 + arroz 1 libra Q5 = Q15.80."""
    kw = {"settings": load_purchase_settings(DATA), "attendance": {"C-1": 0.5},
          "as_of": AS_OF}
    full = planned_food_q(ds, cycle, centers, [(1, None), (2, None)], **kw)  # type: ignore[arg-type]
    assert full["C-1"] == 58.8
    tuesday = planned_food_q(ds, cycle, centers, [(1, [2])], **kw)  # type: ignore[arg-type]
    assert tuesday["C-1"] == 15.8
    plan = prepare_purchases(ds, cycle, centers, **kw)  # type: ignore[arg-type]
    assert total_by_center(plan.weeks())["C-1"] == 58.8


def test_units_to_buy_rounds_up_to_the_step() -> None:
    """2150.4 g needed, 120 g in stock: 2030.4 / 453.6 = 4.476 libras -> 4.5 by halves,
    5 by whole libras; a need under the stock buys 0."""
    need, stock, unit = np.array([2150.4, 100.0]), np.array([120.0, 120.0]), np.array(
        [453.6, 453.6])
    assert units_to_buy(need, stock, unit, np.array([0.5, 0.5])).tolist() == [4.5, 0.0]
    assert units_to_buy(need, stock, unit, np.array([1.0, 1.0])).tolist() == [5.0, 0.0]


def test_zero_enrollment_gives_an_empty_list(ds: Dataset, cycle: MenuCycle) -> None:
    c = Center("Z-1", "Vacío", "cadi", "HC", "Petén", "Flores", {"1-3y": 0, "4-6y": 0})
    wk = weekly_purchase_lists(ds, cycle, [c], 1, as_of=AS_OF)
    assert wk.lines(0) == [] and wk.totals_by_center() == {"Z-1": 0.0}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("week", "el ciclo no tiene la semana 3 (tiene: 1, 2)"),
        ("weekday", "el ciclo no tiene menú para el día 5 de la semana 1"),
        ("recipe", "receta desconocida 'tamal'"),
        ("empty", "el ciclo está vacío"),
        ("program", "ningún centro del archivo es del programa 'cadi'"),
        ("price", "falta el precio de 'huevo'"),
        ("group", "no tiene porciones para ese grupo"),
    ],
)
def test_bad_inputs_raise_spanish_errors(
    ds: Dataset, cycle: MenuCycle, centers: list[Center], change: str, expected: str,
) -> None:
    week, days, cs, data, cyc = 1, None, centers, ds, cycle
    if change == "week":
        week = 3
    elif change == "weekday":
        days = [1, 5]
    elif change == "recipe":
        d0 = cycle.days[0]
        meal = replace(d0.meals[0], items=(replace(d0.meals[0].items[0], recipe_id="tamal"),))
        cyc = replace(cycle, days=(replace(d0, meals=(meal,)), *cycle.days[1:]))
    elif change == "empty":
        cyc = replace(cycle, days=tuple(replace(d, meals=()) for d in cycle.days))
    elif change == "program":
        cs = [c for c in centers if c.program == "mad"]
    elif change == "price":
        data = replace(ds, prices=tuple(p for p in ds.prices if p.food_id != "huevo"))
    elif change == "group":
        cyc = replace(cycle, age_groups=("4-6y",))
    with pytest.raises(DataError) as err:
        weekly_purchase_lists(data, cyc, cs, week, weekdays=days, as_of=AS_OF)
    assert expected in err.value.report()


def test_week_cost_choice_buys_the_unit_that_costs_least_this_week(
    ds: Dataset, cycle: MenuCycle, centers: list[Center],
) -> None:
    """unit_choice = week_cost. C-1 needs 500 g of huevo: 10 unidades = Q10.00 beat
    1 docena = Q10.80 (though the docena is cheaper per gram). A center of 12 people needs
    12 x 40 / 0.8 = 600 g: 12 unidades = Q12 lose to 1 docena = Q10.80."""
    s = replace(load_purchase_settings(DATA), unit_choice="week_cost")
    twelve = Center("D-12", "Doce", "cadi", "HC", "Petén", "Flores", {"4-6y": 12})
    wk = weekly_purchase_lists(ds, cycle, [*centers, twelve], 1, settings=s,
                               attendance={"C-1": 0.5, "D-12": 1.0}, as_of=AS_OF)
    c1, d12 = line(wk, "C-1", "huevo"), line(wk, "D-12", "huevo")
    assert (c1.purchase_unit, c1.quantity, c1.cost_q) == ("unidad", 10.0, 10.0)
    assert (d12.purchase_unit, d12.quantity, d12.cost_q) == ("docena", 1.0, 10.8)
    assert wk.totals_by_center()["C-1"] == 35.5  # 36.30 - 10.80 + 10.00


def test_bad_settings_are_reported_with_line_and_field(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(DATA / "procurement", tmp_path / "procurement")
    (tmp_path / "procurement" / "settings.csv").write_text(
        "setting,value,description\ndefault_attendance,1.2,x\nunit_choice,barato,x\n"
        "price_max_age_days,doce,x\n", encoding="utf-8")
    (tmp_path / "procurement" / "waste_factors.csv").write_text(
        "food_group,waste_factor\nfrutas,-0.1\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_purchase_settings(tmp_path)
    report = err.value.report()
    assert "settings.csv, línea 2, columna 'value': default_attendance debe ser" in report
    assert "settings.csv, línea 3, columna 'value': unit_choice 'barato'" in report
    assert "settings.csv, línea 4, columna 'value': 'doce' no es un número" in report
    assert "waste_factors.csv, línea 2, columna 'waste_factor'" in report


def test_the_procurement_core_imports_no_web_database_or_spreadsheet_library() -> None:
    import subprocess
    import sys

    code = ("import sys, menu_planner.procurement.purchases, menu_planner.procurement.formats;"
            "print(sorted(m for m in ('openpyxl', 'fastapi', 'sqlmodel', 'sqlalchemy', "
            "'starlette') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
