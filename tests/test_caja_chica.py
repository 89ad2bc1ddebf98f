import json
from datetime import date
from pathlib import Path

import pytest

from menu_planner.domain import Center, DataError, cycle_from_dict
from menu_planner.procurement import weekly_purchase_lists
from menu_planner.procurement.allowances import describe_rules, monthly_allowances
from menu_planner.procurement.caja_chica import (
    center_budget,
    center_service_dates,
    planned_food_for_month,
)
from menu_planner.procurement.caja_files import load_program_rules, load_rules
from menu_planner.procurement.calendar import Month, service_dates, service_weeks
from menu_planner.procurement.money import format_q, parse_money, to_cents

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"


@pytest.fixture(scope="module")
def rules():
    return load_program_rules()


def cadi_center(n, cid="X-1", dept="Baja Verapaz"):
    return Center(cid, "Centro", "cadi", "CADI", dept, "Rabinal", {"4-6y": n})


@pytest.mark.parametrize("children, water, gas", [
    (10, 0, 135), (12, 0, 135), (13, 100, 270), (25, 150, 405), (40, 200, 540),
    (50, 250, 675), (51, 300, 810), (55, 300, 810), (60, 300, 810), (61, 350, 945),
    (75, 400, 1080),
])
def test_water_and_gas_follow_the_2024_brackets_and_so_on(rules, children, water, gas):
    a = monthly_allowances(rules["cadi"], children)
    assert a.amounts["bottled_water"] == water * 100
    assert a.amounts["propane_gas"] == gas * 100
    assert a.amounts["educational_material"] == 15_00 * children
    assert a.amounts["garbage_collection"] == 40_00
    assert not a.pending and not a.flags


@pytest.mark.parametrize("children", [0, 8, 9])
def test_fewer_than_10_children_is_flagged_not_guessed(rules, children):
    a = monthly_allowances(rules["cadi"], children)
    assert a.pending == ("bottled_water", "propane_gas")
    assert "bottled_water" not in a.amounts and "propane_gas" not in a.amounts
    assert a.amounts["educational_material"] == 15_00 * children
    assert len(a.flags) == 1
    assert "Revisar" in a.flags[0] and f"{children} inscritos" in a.flags[0]
    assert "agua pura embotellada ni gas propano" in a.flags[0]


def test_the_contract_example_25_children_20_days_is_q15970(tiny, rules):
    b = center_budget(cadi_center(25), tiny.program("cadi"), rules["cadi"], 20)
    assert b.food_entitlement == 15_000_00
    assert dict(b.allowances) == {"educational_material": 375_00, "bottled_water": 150_00,
                                  "garbage_collection": 40_00, "propane_gas": 405_00}
    assert b.total == 15_970_00


def test_an_older_adult_center_uses_its_own_quota_and_settings(tiny, rules):
    center = Center("M-1", "CAD", "mad", "diurno", "Zacapa", "Gualán", {"60+": 54})
    b = center_budget(center, tiny.program("mad"), rules["mad"], 20)
    assert b.daily_quota == 25_00  # the tiny programs.csv
    assert b.food_entitlement == 25_00 * 54 * 20
    assert dict(b.allowances) == {"bottled_water": 300_00, "garbage_collection": 40_00,
                                  "propane_gas": 810_00}


def test_a_program_without_rules_gets_food_only_and_a_flag(tiny):
    b = center_budget(cadi_center(20), tiny.program("cadi"), None, 10)
    assert b.total == b.food_entitlement == 30_00 * 20 * 10
    assert "Sin reglas" in b.flags[0]


def test_the_rules_read_back_as_the_published_text(rules):
    lines = describe_rules(rules["cadi"])
    assert lines[0] == "cuota diaria de alimentación: hasta Q30.00 por persona por día de servicio"
    assert any("41-50: Q675.00" in x for x in lines)


@pytest.mark.parametrize("body, column, message", [
    ("propane_gas,per center per month,10,12,135.00\n"
     "propane_gas,per center per month,12,20,270.00\n", "min_children", "traslapa"),
    ("propane_gas,per center per month,20,12,135.00\n", "max_children", "min_children <="),
    ("garbage_collection,per center per month,,,cuarenta\n", "amount_q", "no es un monto"),
    ("garbage_collection,per center per month,,,40.005\n", "amount_q", "dos decimales"),
    ("garbage_collection,per center per month,,,-40\n", "amount_q", "negativo"),
    ("garbage_collection,per week,,,40\n", "basis", "no es un valor permitido"),
    ("educational_material,per child per service day,,,15\n", "basis", "food_daily_quota"),
])
def test_bad_rules_are_reported_with_line_and_column(tmp_path, body, column, message):
    path = tmp_path / "rules.csv"
    path.write_text("item,basis,min_children,max_children,amount_q\n" + body, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_rules(path)
    assert any(p.column == column and message in p.message and p.line is not None
               for p in err.value.problems), err.value.report()


def test_money_is_parsed_exactly_and_rounded_half_up():
    assert parse_money("1234.5") == 123450
    assert parse_money("Q 40.00") == 4000
    assert to_cents(0.125) == 13 and to_cents(2.675) == 268
    assert format_q(-123456) == "-Q1,234.56"


def test_planned_food_is_the_sum_of_the_weekly_purchase_lists_of_the_month(tiny):
    cycle = cycle_from_dict(json.loads((TINY / "cycle_cadi.json").read_text()))
    centers = [cadi_center(20, "A"), Center("B", "HC", "cadi", "HC", "Guatemala", "Mixco",
                                            {"1-3y": 5, "4-6y": 6})]
    april = Month(2026, 4)
    closures = {"B": [date(2026, 4, 14)]}
    served = center_service_dates(april, centers, tiny.programs, closures=closures)
    start = date(2026, 3, 16)  # cycle week 1; 30 March is week 3
    planned = planned_food_for_month(tiny, cycle, centers, april, served, start)
    # By hand: each calendar week's lists with the days each center serves, carried over.
    carry = None
    expected = {"A": 0.0, "B": 0.0}
    for week in service_weeks(served["A"], start, cycle.weeks):
        days_b = tuple(d.isoweekday() for d in served["B"]
                       if 0 <= (d - week.monday).days < 7)
        wk = weekly_purchase_lists(tiny, cycle, centers, week.cycle_week,
                                   weekdays={"A": week.weekdays, "B": days_b},
                                   carry_in=carry, as_of=april.first_day)
        for cid, q in wk.totals_by_center().items():
            expected[cid] += q
        carry = wk
    assert [w.cycle_week for w in service_weeks(served["A"], start, cycle.weeks)] == [
        3, 4, 5, 6, 1]
    assert planned == {cid: to_cents(q) for cid, q in expected.items()}
    assert planned["A"] > 0 and len(service_dates(april)) == 20
