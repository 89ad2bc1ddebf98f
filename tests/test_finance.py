from dataclasses import replace
from pathlib import Path

import pytest

from menu_planner.centers import load_centers
from menu_planner.domain import Center, DataError, Program
from menu_planner.procurement.caja_chica import center_budget, center_service_dates, month_budgets
from menu_planner.procurement.caja_files import (
    load_assigned,
    load_closures,
    load_program_rules,
    load_published,
)
from menu_planner.procurement.caja_formats import caja_to_dict
from menu_planner.procurement.calendar import Month
from menu_planner.procurement.finance import (
    AssignedFund,
    apply_assigned,
    apply_previous,
    build_report,
    planned_over_entitlement,
    quota_cap_notes,
    rollup,
)
from menu_planner.procurement.published import published_checks

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "centers" / "centers.csv"
CAJA = ROOT / "tests" / "fixtures" / "caja"
APRIL = Month(2026, 4)


@pytest.fixture(scope="module")
def rules():
    return load_program_rules()


@pytest.fixture(scope="module")
def demo(tiny):
    return load_centers(DEMO, tiny)


@pytest.fixture(scope="module")
def budgets(tiny, demo, rules):
    served = center_service_dates(APRIL, demo, tiny.programs)
    # Planned spending with odd centavos, so sums would drift if they were floats.
    planned = {c.center_id: 1_000_01 + 7 * i for i, c in enumerate(demo)}
    return month_budgets(demo, tiny.programs, rules, served, planned)


def test_national_equals_sum_of_departments_equals_sum_of_centers_to_the_centavo(budgets):
    departments, national = rollup(budgets)
    assert national.total == sum(t.total for t in departments.values()) == sum(
        b.total for b in budgets)
    assert national.planned_food == sum(b.planned_food for b in budgets)
    for dept, t in departments.items():
        mine = [b for b in budgets if b.center.department == dept]
        assert t.centers == len(mine)
        assert t.total == sum(b.total for b in mine)
        assert t.food_entitlement + sum(t.allowances.values()) == t.total
    assert national.centers == 671 and national.enrolled == 13756 + 2658
    assert next(iter(departments)) == "Alta Verapaz" and len(departments) == 22


def test_the_json_totals_add_up_exactly_as_well(budgets, rules):
    doc = caja_to_dict(build_report(APRIL, budgets, rules))

    def cents(q):
        return round(q * 100)

    assert cents(doc["national"]["total_q"]) == sum(
        cents(d["total_q"]) for d in doc["departments"].values()) == sum(
        cents(c["total_q"]) for c in doc["centers"])


def test_planned_spending_above_the_entitlement_is_flagged(tiny, rules):
    center = Center("X", "C", "cadi", "HC", "Jalapa", "Jalapa", {"4-6y": 10})
    b = center_budget(center, tiny.program("cadi"), rules["cadi"], 20, planned_food=6_000_01)
    assert b.food_entitlement == 6_000_00
    assert planned_over_entitlement(b) == (
        "El gasto planificado en alimentos (Q6,000.01) supera la asignación de alimentos "
        "(Q6,000.00) en Q0.01.")
    assert planned_over_entitlement(replace(b, planned_food=6_000_00)) is None
    assert planned_over_entitlement(replace(b, planned_food=None)) is None


def test_an_assigned_fund_that_differs_is_flagged_with_the_difference(budgets, demo):
    funds = load_assigned(CAJA / "assigned.csv", {c.center_id for c in demo})
    checked = {b.center.center_id: b for b in apply_assigned(budgets[:3], funds, APRIL)}
    assert checked["1601-01"].total == 19_845_00 and checked["1601-01"].assigned == 19_845_00
    assert not any("fondo asignado" in f for f in checked["1601-01"].flags)
    assert checked["1601-02"].flags[-1] == (
        "El fondo asignado (Q20,000.00) difiere del calculado (Q19,845.00): diferencia "
        "+Q155.00.")
    assert checked["1602-01"].assigned is None  # its row is for March
    assert "Sin fondo asignado para 2026-04" in checked["1602-01"].flags[-1]


def test_enrollment_changes_since_last_month_are_flagged(budgets, demo):
    previous = [replace(demo[0], enrolled={"4-6y": 20}), *demo[2:], Center(
        "9999-01", "Cerrado", "cadi", "HC", "Guatemala", "Mixco", {"4-6y": 12})]
    checked, notes = apply_previous(budgets, previous)
    assert checked[0].previous_enrolled == 20
    assert checked[0].flags[-1] == ("La inscripción cambió de 20 a 31 (+11) desde el mes "
                                    "anterior.")
    assert checked[1].flags[-1].startswith("Centro nuevo")
    assert not checked[2].flags
    assert notes == ["1 centro(s) del archivo del mes anterior ya no figuran: 9999-01."]


def test_published_mismatches_surface_as_notes(demo):
    notes = published_checks(demo, load_published())
    assert ("CADI: el informe 2021 publica 462, pero las filas de su tabla dan 460; el archivo "
            "de centros tiene 460.") in notes
    assert ("Adultos mayores inscritos: el informe 2024 publica 2,678, pero las filas de su "
            "tabla dan 2,658; el archivo de centros tiene 2,658.") in notes
    assert not any(n.startswith("Niños inscritos") for n in notes)  # 13,756 both


def test_a_daily_budget_above_the_rules_cap_is_noted(rules):
    programs = {"cadi": Program("cadi", "HC y CADI", 5, 35.0)}
    assert quota_cap_notes(programs, rules) == [
        "La cuota diaria del programa 'cadi' (Q35.00, menus/programs.csv) supera el tope de "
        "las reglas (Q30.00)."]
    assert quota_cap_notes({"cadi": Program("cadi", "x", 5, 30.0)}, rules) == []


def test_closures_shorten_the_month_of_that_center_only(tiny, demo):
    closures = load_closures(CAJA / "closures.csv", {c.center_id for c in demo})
    served = center_service_dates(APRIL, demo[:2], tiny.programs, closures=closures)
    assert (len(served["1601-01"]), len(served["1601-02"])) == (19, 20)


@pytest.mark.parametrize("name, expected", [
    ("bad_assigned.csv", {(2, "month"), (3, "center_id"), (4, None), (5, "assigned_q"),
                          (6, "assigned_q")}),
])
def test_bad_assigned_rows_name_line_and_field(demo, name, expected):
    with pytest.raises(DataError) as err:
        load_assigned(CAJA / name, {c.center_id for c in demo})
    assert {(p.line, p.column) for p in err.value.problems} >= expected
    assert all(p.message for p in err.value.problems)


def test_budgets_of_a_report_keep_the_order_and_count_flags(budgets, rules):
    funds = [AssignedFund(budgets[0].center.center_id, APRIL, 1)]
    report = build_report(APRIL, budgets, rules, assigned=funds)
    assert [b.center.center_id for b in report.budgets] == [b.center.center_id for b in budgets]
    assert report.national.flagged_centers == 671  # every fund is missing or differs
    assert report.national.assigned == 1
