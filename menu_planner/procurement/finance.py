"""What a financial unit checks on a month of petty cash, and the totals it reports.
Pure; money in whole centavos so that centers, departments and the nation add up exactly.

- planned food spending above the food entitlement;
- an assigned fund (from the user's file) that differs from the computed one;
- enrollment that changed since the previous month's centers file;
- the centers against the published figures (and the published tables against their own
  printed totals);
- totals per department and for the nation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from menu_planner.domain import DEPARTMENTS, Center, Program
from menu_planner.procurement.allowances import AllowanceRules, describe_rules
from menu_planner.procurement.caja_chica import CenterBudget
from menu_planner.procurement.calendar import Month
from menu_planner.procurement.money import Cents, format_q, format_signed_q, to_cents


@dataclass(frozen=True)
class AssignedFund:
    """The fund a center was actually assigned for a month (user's file)."""

    center_id: str
    month: Month
    amount: Cents
    line: int | None = None


@dataclass
class Totals:
    """Sums over a set of centers (money in centavos)."""

    centers: int = 0
    enrolled: int = 0
    food_entitlement: Cents = 0
    allowances: dict[str, Cents] = field(default_factory=dict)
    total: Cents = 0
    planned_food: Cents | None = None
    assigned: Cents | None = None
    flagged_centers: int = 0

    def add(self, other: Totals) -> None:
        """Add another set's sums to these."""
        self.centers += other.centers
        self.enrolled += other.enrolled
        self.food_entitlement += other.food_entitlement
        for item, cents in other.allowances.items():
            self.allowances[item] = self.allowances.get(item, 0) + cents
        self.total += other.total
        self.planned_food = _add_optional(self.planned_food, other.planned_food)
        self.assigned = _add_optional(self.assigned, other.assigned)
        self.flagged_centers += other.flagged_centers

    @classmethod
    def of(cls, budget: CenterBudget) -> Totals:
        """The sums of one center."""
        return cls(1, budget.enrolled, budget.food_entitlement, dict(budget.allowances),
                   budget.total, budget.planned_food, budget.assigned, int(bool(budget.flags)))


def _add_optional(a: Cents | None, b: Cents | None) -> Cents | None:
    return a if b is None else (b if a is None else a + b)


def rollup(budgets: Iterable[CenterBudget]) -> tuple[dict[str, Totals], Totals]:
    """Totals per department (in the usual department order) and for the nation; the
    national totals are the sum of the departments', which are the sums of their centers'."""
    by_dept: dict[str, Totals] = {}
    for b in budgets:
        by_dept.setdefault(b.center.department, Totals()).add(Totals.of(b))
    order = {d: i for i, d in enumerate(DEPARTMENTS)}
    departments = dict(sorted(by_dept.items(), key=lambda kv: order.get(kv[0], len(order))))
    national = Totals()
    for t in departments.values():
        national.add(t)
    return departments, national


def planned_over_entitlement(budget: CenterBudget) -> str | None:
    """A flag when the month's planned food spending exceeds the food entitlement."""
    planned = budget.planned_food
    if planned is None or planned <= budget.food_entitlement:
        return None
    return (f"El gasto planificado en alimentos ({format_q(planned)}) supera la asignación de "
            f"alimentos ({format_q(budget.food_entitlement)}) en "
            f"{format_q(planned - budget.food_entitlement)}.")


def apply_assigned(
    budgets: Sequence[CenterBudget], funds: Iterable[AssignedFund], month: Month
) -> list[CenterBudget]:
    """Each budget with its assigned fund for `month`, flagged when the fund is missing or
    differs from the computed total (by how much)."""
    of_month = {f.center_id: f.amount for f in funds if f.month == month}
    out = []
    for b in budgets:
        amount = of_month.get(b.center.center_id)
        if amount is None:
            out.append(b.flagged(f"Sin fondo asignado para {month} en el archivo de montos "
                                 "asignados."))
            continue
        b = replace(b, assigned=amount)
        diff = amount - b.total
        if diff:
            b = b.flagged(f"El fondo asignado ({format_q(amount)}) difiere del calculado "
                          f"({format_q(b.total)}): diferencia {format_signed_q(diff)}.")
        out.append(b)
    return out


def apply_previous(
    budgets: Sequence[CenterBudget], previous: Sequence[Center]
) -> tuple[list[CenterBudget], list[str]]:
    """Each budget with last month's enrollment, flagged when it changed or the center is
    new; and notes on the centers of last month that are gone."""
    before = {c.center_id: c for c in previous}
    out = []
    for b in budgets:
        old = before.get(b.center.center_id)
        if old is None:
            out.append(b.flagged("Centro nuevo: no figura en el archivo de centros del mes "
                                 "anterior."))
            continue
        b = replace(b, previous_enrolled=old.total_enrolled)
        change = b.enrolled - old.total_enrolled
        if change:
            b = b.flagged(f"La inscripción cambió de {old.total_enrolled} a {b.enrolled} "
                          f"({change:+d}) desde el mes anterior.")
        if old.program != b.center.program:
            b = b.flagged(f"El programa cambió de '{old.program}' a '{b.center.program}'.")
        out.append(b)
    current = {b.center.center_id for b in budgets}
    gone = [c.center_id for c in previous if c.center_id not in current]
    notes = []
    if gone:
        shown = ", ".join(gone[:20]) + (" ..." if len(gone) > 20 else "")
        notes.append(f"{len(gone)} centro(s) del archivo del mes anterior ya no figuran: "
                     f"{shown}.")
    return out, notes


def quota_cap_notes(programs: Mapping[str, Program], rules: Mapping[str, AllowanceRules]
                    ) -> list[str]:
    """Notes when a program's daily food budget exceeds the cap its rules set."""
    out = []
    for name, r in rules.items():
        program = programs.get(name)
        if program is None or r.daily_quota_cap is None:
            continue
        quota = to_cents(program.daily_budget_q)
        if quota > r.daily_quota_cap:
            out.append(f"La cuota diaria del programa '{name}' ({format_q(quota)}, "
                       f"menus/programs.csv) supera el tope de las reglas "
                       f"({format_q(r.daily_quota_cap)}).")
    return out


@dataclass(frozen=True)
class CajaChicaReport:
    """A month of petty cash for a set of centers: budgets, totals and notes."""

    month: Month
    budgets: tuple[CenterBudget, ...]
    items: tuple[str, ...]  # allowance items, in rules order
    departments: dict[str, Totals]
    national: Totals
    notes: tuple[str, ...] = ()
    cycle_program: str | None = None
    cycle_start: date | None = None
    with_assigned: bool = False
    with_previous: bool = False
    rules_text: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # program -> lines


def build_report(
    month: Month, budgets: Sequence[CenterBudget], rules: Mapping[str, AllowanceRules], *,
    programs: Mapping[str, Program] | None = None,
    assigned: Iterable[AssignedFund] | None = None,
    previous: Sequence[Center] | None = None, notes: Sequence[str] = (),
    cycle_program: str | None = None, cycle_start: date | None = None,
) -> CajaChicaReport:
    """Run the checks on the budgets and add the totals."""
    checked = [b.flagged(planned_over_entitlement(b) or "") for b in budgets]
    all_notes = list(notes)
    if programs is not None:
        all_notes += quota_cap_notes(programs, rules)
    if assigned is not None:
        checked = apply_assigned(checked, assigned, month)
    if previous is not None:
        checked, gone = apply_previous(checked, previous)
        all_notes += gone
    items = tuple(dict.fromkeys(i for r in rules.values() for i in r.item_names))
    departments, national = rollup(checked)
    return CajaChicaReport(month, tuple(checked), items, departments, national,
                           tuple(all_notes), cycle_program, cycle_start,
                           with_assigned=assigned is not None,
                           with_previous=previous is not None,
                           rules_text={p: tuple(describe_rules(r)) for p, r in rules.items()})
