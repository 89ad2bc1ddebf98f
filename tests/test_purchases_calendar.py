"""Purchase lists of calendar weeks follow the service calendar of the petty cash:
holidays, Holy Week and Christmas are neither bought for nor funded, the list names them,
and every format (JSON, CSV, xlsx) says the same. Tiny data and its fixture cycle."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from menu_planner.centers import load_centers
from menu_planner.domain import Center, Dataset, MenuCycle, cycle_from_dict
from menu_planner.export.purchases_xlsx import write_purchases_xlsx
from menu_planner.procurement import WeekPurchases, prepare_purchases
from menu_planner.procurement.caja_chica import center_service_dates
from menu_planner.procurement.calendar import (
    Closure,
    Month,
    long_date_es,
    service_pattern,
    week_service,
)
from menu_planner.procurement.calendar_weeks import (
    NO_MENU_ES,
    calendar_purchases,
    calendar_week,
    weeks_through,
)
from menu_planner.procurement.formats import purchases_frame, purchases_to_dict
from menu_planner.reference_data import load_dataset

TINY = Path(__file__).parent / "fixtures" / "tiny"
CHRISTMAS_WEEK = date(2026, 12, 21)
START = date(2026, 12, 21)  # cycle week 1 is the week of Christmas


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset(TINY)


@pytest.fixture(scope="module")
def cycle() -> MenuCycle:
    return cycle_from_dict(json.loads((TINY / "cycle_cadi.json").read_text("utf-8")))


@pytest.fixture(scope="module")
def centers(ds: Dataset) -> list[Center]:
    return [c for c in load_centers(TINY / "centers" / "centers.csv", ds)
            if c.program == "cadi"]


def lists_of(ds: Dataset, cycle: MenuCycle, centers: list[Center], monday: date,
             **kw: object) -> WeekPurchases:
    plan = prepare_purchases(ds, cycle, centers, as_of=date(2026, 12, 1))
    weeks = [calendar_week(cycle, centers, ds.programs, monday, START, **kw)]  # type: ignore[arg-type]
    return calendar_purchases(plan, weeks)[0]


# -- the week's service ---------------------------------------------------------------------
def test_christmas_week_serves_monday_to_thursday_and_names_christmas() -> None:
    week = week_service(CHRISTMAS_WEEK)
    assert week.weekdays == (1, 2, 3, 4)
    assert [(d.day, d.reason) for d in week.left_out] == [(date(2026, 12, 25), "Navidad")]
    assert [(d.day, d.reason) for d in week.half_days] == [(date(2026, 12, 24), "Nochebuena")]
    assert week.left_out[0].sentence_es() == "viernes 25 de diciembre de 2026 (Navidad)"


def test_holy_week_and_new_year_across_two_years() -> None:
    holy = week_service(date(2026, 4, 1))  # any day of the week: its Monday is taken
    assert holy.monday == date(2026, 3, 30) and holy.weekdays == (1, 2, 3)
    assert [d.reason for d in holy.left_out] == ["Jueves Santo", "Viernes Santo"]
    new_year = week_service(date(2026, 12, 28))
    assert new_year.weekdays == (1, 2, 3, 4)
    assert [(d.day, d.reason) for d in new_year.left_out] == [(date(2027, 1, 1), "Año Nuevo")]


def test_half_days_off_closures_and_residential_centers() -> None:
    strict = week_service(CHRISTMAS_WEEK, half_days_off=True)
    assert strict.weekdays == (1, 2, 3) and strict.half_days == ()
    closed = week_service(CHRISTMAS_WEEK, closures={date(2026, 12, 22): "fiesta patronal"})
    assert closed.weekdays == (1, 3, 4)
    assert closed.left_out[0].reason == "cierre del centro (fiesta patronal)"
    home = week_service(CHRISTMAS_WEEK, service_pattern(5, "permanente"))
    assert home.weekdays == (1, 2, 3, 4, 5, 6, 7) and home.left_out == ()


def test_a_weeks_service_is_counted_as_the_petty_cash_counts_its_month(
    ds: Dataset, centers: list[Center],
) -> None:
    """December 2026: the days each calendar week serves add up to the month's service
    days of caja chica (22: 23 weekdays minus Christmas), week by week."""
    month = Month(2026, 12)
    served = center_service_dates(month, centers, ds.programs)
    monday = date(2026, 11, 30)
    weekly = []
    while monday <= month.last_day:
        days = week_service(monday).served
        weekly.append([d for d in days if month.contains(d)])
        monday += timedelta(weeks=1)
    assert [len(w) for w in weekly] == [4, 5, 5, 4, 4]
    for c in centers:
        assert sorted(d for w in weekly for d in w) == served[c.center_id]
        assert len(served[c.center_id]) == 22


# -- the lists ------------------------------------------------------------------------------
def test_the_christmas_week_buys_and_funds_its_four_service_days_only(
    ds: Dataset, cycle: MenuCycle, centers: list[Center],
) -> None:
    wk = lists_of(ds, cycle, centers, CHRISTMAS_WEEK)
    plan = prepare_purchases(ds, cycle, centers, as_of=date(2026, 12, 1))
    full = plan.week(1)
    four = plan.week(1, (1, 2, 3, 4))
    assert wk.week == 1 and wk.week_start == CHRISTMAS_WEEK
    assert wk.service_days.tolist() == [4, 4]
    assert (wk.needed_grams == four.needed_grams).all()
    assert wk.needed_grams.sum() < full.needed_grams.sum()
    # the fund: daily quota x people served x 4 days, exactly 4/5 of a normal week
    assert [round(b * 5 / 4, 2) for b in wk.budget_q.tolist()] == full.budget_q.tolist()
    assert wk.total_q.tolist() == four.total_q.tolist()
    assert [d.reason for d in wk.days_off(0)] == ["Navidad"]


def test_the_days_left_out_reach_json_csv_and_the_workbook(
    ds: Dataset, cycle: MenuCycle, centers: list[Center], tmp_path: Path,
) -> None:
    wk = lists_of(ds, cycle, centers, CHRISTMAS_WEEK)
    doc = purchases_to_dict(wk)
    center = doc["centers"][0]
    assert doc["week_start"] == "2026-12-21" and center["service_days"] == 4
    assert center["days_off"] == [{"date": "2026-12-25", "reason": "Navidad"}]
    said = " ".join(center["warnings"])
    assert "viernes 25 de diciembre de 2026 (Navidad)" in said
    assert "cuentan solo 4 días de servicio" in said
    assert "jueves 24 de diciembre de 2026 es medio día (Nochebuena)" in said
    frame = purchases_frame(wk)
    assert set(frame["days_off"]) == {"2026-12-25 Navidad"}
    assert set(frame["service_days"]) == {4}
    path = tmp_path / "compras.xlsx"
    write_purchases_xlsx([wk], path)
    book = openpyxl.load_workbook(path, data_only=True)
    texts = [str(c.value) for c in book[centers[0].center_id]["A"] if c.value]
    assert any("viernes 25 de diciembre de 2026 (Navidad)" in t for t in texts)
    assert any("Días de servicio: 4" in t for t in texts)


def test_closures_and_weekends_without_a_menu_are_named(
    ds: Dataset, cycle: MenuCycle, centers: list[Center],
) -> None:
    home = replace(centers[0], center_type="permanente")
    other = centers[1]
    closures = {other.center_id: [Closure(other.center_id, date(2026, 12, 23), "fumigación")]}
    wk = lists_of(ds, cycle, [home, other], CHRISTMAS_WEEK, closures=closures)
    # residential: every weekday, Christmas included; the cycle has no weekend menus
    assert wk.service_days.tolist() == [5, 3]
    assert [(d.day.isoweekday(), d.reason) for d in wk.days_off(0)] == [
        (6, NO_MENU_ES), (7, NO_MENU_ES)]
    assert [d.reason for d in wk.days_off(1)] == ["cierre del centro (fumigación)", "Navidad"]


def test_the_weeks_of_the_cycle_so_far_carry_their_leftovers_in(
    ds: Dataset, cycle: MenuCycle, centers: list[Center],
) -> None:
    """4 January 2027 is cycle week 3 when week 1 is the Christmas week: the lists of
    21 and 28 December (four days each) come first, their leftovers carried in."""
    weeks = weeks_through(cycle, centers, ds.programs, date(2027, 1, 6), START)
    assert [(w.monday, w.cycle_week) for w in weeks] == [
        (date(2026, 12, 21), 1), (date(2026, 12, 28), 2), (date(2027, 1, 4), 3)]
    assert [w.weekdays[centers[0].center_id] for w in weeks] == [
        (1, 2, 3, 4), (1, 2, 3, 4), (1, 2, 3, 4, 5)]
    plan = prepare_purchases(ds, cycle, centers, as_of=date(2026, 12, 1))
    lists = calendar_purchases(plan, weeks)
    by_hand = plan.weeks([(1, (1, 2, 3, 4)), (2, (1, 2, 3, 4)), (3, None)])
    assert (lists[-1].carried_in_grams == by_hand[-1].carried_in_grams).all()
    assert lists[-1].carried_in_grams.sum() > 0
    assert lists[-1].total_q.tolist() == by_hand[-1].total_q.tolist()


def test_long_dates_are_written_out_in_spanish() -> None:
    assert long_date_es(date(2026, 12, 21)) == "lunes 21 de diciembre de 2026"
    assert long_date_es(date(2027, 1, 1)) == "viernes 1 de enero de 2027"
