from datetime import date
from pathlib import Path

import pytest

from menu_planner.centers import load_centers
from menu_planner.domain import DataError
from menu_planner.procurement.caja_files import load_assigned, load_receipts
from menu_planner.procurement.calendar import Month
from menu_planner.procurement.finance import AssignedFund
from menu_planner.procurement.settlement import Receipt, check_receipts, settle

ROOT = Path(__file__).resolve().parent.parent
CAJA = ROOT / "tests" / "fixtures" / "caja"
APRIL = Month(2026, 4)


@pytest.fixture(scope="module")
def demo(tiny):
    return {c.center_id: c for c in load_centers(ROOT / "data" / "centers" / "centers.csv", tiny)}


@pytest.fixture(scope="module")
def result(demo):
    funds = load_assigned(CAJA / "assigned.csv", demo)
    receipts = load_receipts(CAJA / "receipts.csv", demo)
    return settle(APRIL, funds, receipts, demo)


def test_spent_balance_and_observed_receipts_by_hand(result):
    first = result.centers[0]
    assert first.center_id == "1601-01"
    assert first.spent == 5_000_00 + 4_000_50 + 540_00
    assert first.observed == 300_00 + 4_000_50  # dated in March, and a repeat
    assert first.to_return == 19_845_00 - 9_540_50 and first.over == 0
    assert first.by_concept() == {"alimentos": 9_000_50, "gas propano": 540_00}
    assert any("fecha fuera de 2026-04 (no. A-003)" in f for f in first.flags)
    assert any("repetido" in f and "a-002" in f for f in first.flags)


def test_spending_above_the_fund_is_flagged_and_nothing_is_returned(result):
    second = result.centers[1]
    assert (second.spent, second.over, second.to_return) == (21_000_00, 1_000_00, 0)
    assert second.flags == ("El gasto comprobado (Q21,000.00) supera el fondo asignado "
                            "(Q20,000.00) en Q1,000.00.",)


def test_only_the_months_funds_and_receipts_are_settled(result):
    assert [c.center_id for c in result.centers] == ["1601-01", "1601-02"]


def test_settlement_totals_add_up_by_department_and_nation(result):
    dept = result.departments["Alta Verapaz"]
    assert dept.spent == sum(c.spent for c in result.centers)
    assert result.national.assigned == 39_845_00
    assert result.national.to_return == result.centers[0].to_return
    assert result.national.over == 1_000_00


def test_a_fund_without_receipts_is_returned_whole_and_receipts_without_fund_flagged():
    funds = [AssignedFund("A", APRIL, 500_00)]
    receipts = [Receipt("B", APRIL, date(2026, 4, 3), "1", "Tienda", 10_00)]
    out = {c.center_id: c for c in settle(APRIL, funds, receipts).centers}
    assert out["A"].to_return == 500_00 and "Sin comprobantes" in out["A"].flags[0]
    assert out["B"].over == 10_00 and "ningún fondo asignado" in out["B"].flags[0]


def test_a_repeat_of_a_receipt_filed_in_another_month_is_not_accepted():
    march = Receipt("A", Month(2026, 3), date(2026, 3, 30), "F-9", "Tienda", 10_00, line=2)
    again = Receipt("A", APRIL, date(2026, 4, 2), "F-9", "TIENDA", 10_00, line=3)
    checked = check_receipts([march, again], APRIL)
    assert len(checked) == 1 and not checked[0].accepted
    assert "línea 2" in checked[0].reason


def test_bad_receipts_name_line_and_field(demo):
    with pytest.raises(DataError) as err:
        load_receipts(CAJA / "bad_receipts.csv", demo)
    got = {(p.line, p.column) for p in err.value.problems}
    assert got == {(2, "date"), (3, "center_id"), (4, "amount_q"), (5, "amount_q")}
    text = err.value.report()
    assert "centro desconocido '9999-99'" in text and "'Q diez' no es un monto" in text
