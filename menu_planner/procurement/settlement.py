"""Settling (liquidación) a month of petty cash against receipts. Pure; money in centavos.

A receipt is accepted when it is dated within the month it is filed under and it is not a
repeat of an earlier receipt (same supplier and receipt number, anywhere in the file).
Spent = accepted receipts; the balance to return = assigned - spent when positive; a
negative balance is over-spending. Receipts not accepted are "observed" (shown, flagged,
not counted).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from menu_planner.domain import DEPARTMENTS, Center
from menu_planner.procurement.calendar import Month
from menu_planner.procurement.finance import AssignedFund
from menu_planner.procurement.money import Cents, format_q
from menu_planner.spanish import day_date, month_name

NO_DEPARTMENT = "(sin departamento)"


@dataclass(frozen=True)
class Receipt:
    """One receipt (factura or comprobante) filed against a center's fund for a month."""

    center_id: str
    month: Month
    day: date
    receipt_no: str
    supplier: str
    amount: Cents
    concept: str = ""
    line: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        """What makes two receipts the same one: supplier and number, spacing and case
        ignored."""
        return (" ".join(self.supplier.split()).casefold(),
                " ".join(self.receipt_no.split()).casefold())


@dataclass(frozen=True)
class CheckedReceipt:
    """A receipt and whether it counts (else why not, in Spanish)."""

    receipt: Receipt
    reason: str = ""

    @property
    def accepted(self) -> bool:
        """Whether the receipt counts as spending."""
        return not self.reason


@dataclass(frozen=True)
class CenterSettlement:
    """One center's settlement for the month."""

    center_id: str
    center: Center | None
    assigned: Cents | None
    receipts: tuple[CheckedReceipt, ...]
    flags: tuple[str, ...] = ()

    @property
    def department(self) -> str:
        """The center's department (when the centers file knows it)."""
        return self.center.department if self.center else NO_DEPARTMENT

    @property
    def spent(self) -> Cents:
        """Accepted receipts."""
        return sum(r.receipt.amount for r in self.receipts if r.accepted)

    @property
    def observed(self) -> Cents:
        """Receipts not accepted."""
        return sum(r.receipt.amount for r in self.receipts if not r.accepted)

    @property
    def balance(self) -> Cents:
        """Assigned minus spent (negative: over-spending)."""
        return (self.assigned or 0) - self.spent

    @property
    def to_return(self) -> Cents:
        """What the center gives back."""
        return max(self.balance, 0)

    @property
    def over(self) -> Cents:
        """Spending above the assigned fund."""
        return max(-self.balance, 0)

    def by_concept(self) -> dict[str, Cents]:
        """Accepted spending per concept, in order of first appearance."""
        out: dict[str, Cents] = {}
        for r in self.receipts:
            if r.accepted:
                key = r.receipt.concept or "(sin concepto)"
                out[key] = out.get(key, 0) + r.receipt.amount
        return out


@dataclass
class SettlementTotals:
    """Sums of settlements (centavos)."""

    centers: int = 0
    assigned: Cents = 0
    spent: Cents = 0
    observed: Cents = 0
    to_return: Cents = 0
    over: Cents = 0
    flagged_centers: int = 0

    def add(self, s: CenterSettlement | SettlementTotals) -> None:
        """Add one center's settlement, or another set's totals."""
        if isinstance(s, SettlementTotals):
            for name in ("centers", "assigned", "spent", "observed", "to_return", "over",
                         "flagged_centers"):
                setattr(self, name, getattr(self, name) + getattr(s, name))
            return
        self.centers += 1
        self.assigned += s.assigned or 0
        self.spent += s.spent
        self.observed += s.observed
        self.to_return += s.to_return
        self.over += s.over
        self.flagged_centers += int(bool(s.flags))


@dataclass(frozen=True)
class Settlement:
    """The month's settlement of every center, with totals by department and nation."""

    month: Month
    centers: tuple[CenterSettlement, ...]
    departments: dict[str, SettlementTotals] = field(default_factory=dict)
    national: SettlementTotals = field(default_factory=SettlementTotals)


def check_receipts(receipts: Sequence[Receipt], month: Month) -> list[CheckedReceipt]:
    """The receipts filed under `month`, each accepted or not (outside the month, or a
    repeat of an earlier receipt of the file, whatever its month)."""
    first_line: dict[tuple[str, str], Receipt] = {}
    out = []
    for r in receipts:
        original = first_line.setdefault(r.key, r)
        if r.month != month:
            continue
        if original is not r:
            where = f"línea {original.line}" if original.line else "otra fila"
            reason = (f"repetido: {r.supplier} no. {r.receipt_no} ya aparece en la {where} "
                      f"(centro {original.center_id}, {original.month})")
        elif not month.contains(r.day):
            reason = f"fecha {day_date(r.day)} fuera del mes de {month_name(str(month))}"
        else:
            reason = ""
        out.append(CheckedReceipt(r, reason))
    return out


def settle(
    month: Month, funds: Iterable[AssignedFund], receipts: Sequence[Receipt],
    centers: Mapping[str, Center] | None = None,
) -> Settlement:
    """Settle every center with a fund or receipts for `month`, in the centers file's
    order (others after, by code)."""
    assigned = {f.center_id: f.amount for f in funds if f.month == month}
    checked: dict[str, list[CheckedReceipt]] = {}
    for c in check_receipts(receipts, month):
        checked.setdefault(c.receipt.center_id, []).append(c)
    known = centers or {}
    order = {cid: i for i, cid in enumerate(known)}
    ids = sorted(set(assigned) | set(checked), key=lambda cid: (order.get(cid, len(order)), cid))
    out = [_center(cid, known.get(cid), assigned.get(cid), tuple(checked.get(cid, ())), month)
           for cid in ids]
    departments: dict[str, SettlementTotals] = {}
    for s in out:
        departments.setdefault(s.department, SettlementTotals()).add(s)
    rank = {d: i for i, d in enumerate(DEPARTMENTS)}
    departments = dict(sorted(departments.items(), key=lambda kv: rank.get(kv[0], len(rank))))
    national = SettlementTotals()
    for t in departments.values():
        national.add(t)
    return Settlement(month, tuple(out), departments, national)


def _center(
    cid: str, center: Center | None, assigned: Cents | None,
    receipts: tuple[CheckedReceipt, ...], month: Month,
) -> CenterSettlement:
    s = CenterSettlement(cid, center, assigned, receipts)
    flags = []
    if assigned is None:
        flags.append(f"Hay comprobantes pero ningún fondo asignado para {month}.")
    if not receipts:
        flags.append(f"Sin comprobantes: devolver todo el fondo ({format_q(assigned or 0)}).")
    if s.over:
        flags.append(f"El gasto comprobado ({format_q(s.spent)}) supera el fondo asignado "
                     f"({format_q(assigned or 0)}) en {format_q(s.over)}.")
    outside = [r for r in receipts if r.reason.startswith("fecha")]
    if outside:
        nos = ", ".join(r.receipt.receipt_no for r in outside)
        flags.append(f"{len(outside)} comprobante(s) con fecha fuera de {month} (no. {nos}): "
                     f"no se aceptan ({format_q(sum(r.receipt.amount for r in outside))}).")
    repeated = [r for r in receipts if r.reason.startswith("repetido")]
    if repeated:
        nos = ", ".join(f"{r.receipt.supplier} no. {r.receipt.receipt_no}" for r in repeated)
        flags.append(f"Comprobante(s) repetido(s): {nos}; se acepta solo el primero.")
    return CenterSettlement(cid, center, assigned, receipts, tuple(flags))
