"""The petty-cash report and the settlement as JSON-ready dicts and CSV rows (contract
`menu_planner.caja_chica/1`; the settlement's `menu_planner.liquidacion/1` is an addition
documented in docs/caja-chica.md). Pure."""

from __future__ import annotations

from typing import Any

from menu_planner.procurement.caja_chica import CenterBudget
from menu_planner.procurement.finance import CajaChicaReport, Totals
from menu_planner.procurement.money import Cents, quetzales
from menu_planner.procurement.settlement import (
    CenterSettlement,
    CheckedReceipt,
    Settlement,
    SettlementTotals,
)

CAJA_FORMAT = "menu_planner.caja_chica/1"
SETTLEMENT_FORMAT = "menu_planner.liquidacion/1"


def _q(cents: Cents | None) -> float | None:
    return None if cents is None else quetzales(cents)


def center_to_dict(b: CenterBudget, report: CajaChicaReport) -> dict[str, Any]:
    """One center of the caja_chica/1 file."""
    c = b.center
    out: dict[str, Any] = {
        "center_id": c.center_id, "name": c.name, "program": c.program,
        "center_type": c.center_type, "department": c.department,
        "municipality": c.municipality, "enrolled": b.enrolled,
        "service_days": b.service_days, "daily_quota_q": quetzales(b.daily_quota),
        "food_entitlement_q": quetzales(b.food_entitlement),
        "planned_food_q": _q(b.planned_food),
        "allowances": {k: quetzales(v) for k, v in b.allowances.items()},
        "allowances_pending": list(b.pending),
        "total_q": quetzales(b.total),
    }
    if report.with_assigned:
        out["assigned_q"] = _q(b.assigned)
        out["assigned_difference_q"] = (None if b.assigned is None
                                        else quetzales(b.assigned - b.total))
    if report.with_previous:
        out["previous_enrolled"] = b.previous_enrolled
    out["flags"] = list(b.flags)
    return out


def totals_to_dict(t: Totals) -> dict[str, Any]:
    """Department or national totals (contract keys first: centers, enrolled, total_q)."""
    out: dict[str, Any] = {
        "centers": t.centers, "enrolled": t.enrolled, "total_q": quetzales(t.total),
        "food_entitlement_q": quetzales(t.food_entitlement),
        "allowances": {k: quetzales(v) for k, v in t.allowances.items()},
        "planned_food_q": _q(t.planned_food),
        "flagged_centers": t.flagged_centers,
    }
    if t.assigned is not None:
        out["assigned_q"] = quetzales(t.assigned)
    return out


def caja_to_dict(report: CajaChicaReport) -> dict[str, Any]:
    """The whole caja_chica/1 document."""
    return {
        "format": CAJA_FORMAT,
        "month": str(report.month),
        "cycle_program": report.cycle_program,
        "cycle_start": report.cycle_start.isoformat() if report.cycle_start else None,
        "allowance_items": list(report.items),
        "allowance_rules": {p: list(lines) for p, lines in report.rules_text.items()},
        "centers": [center_to_dict(b, report) for b in report.budgets],
        "departments": {d: totals_to_dict(t) for d, t in report.departments.items()},
        "national": totals_to_dict(report.national),
        "notes": list(report.notes),
    }


def _money_text(cents: Cents | None) -> str:
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def caja_csv_rows(report: CajaChicaReport) -> list[list[str]]:
    """Header and one row per center (amounts with two decimals, flags joined by ' | ')."""
    header = ["month", "center_id", "name", "program", "center_type", "department",
              "municipality", "enrolled", "service_days", "daily_quota_q",
              "food_entitlement_q", "planned_food_q",
              *(f"{i}_q" for i in report.items), "total_q", "assigned_q",
              "assigned_difference_q", "previous_enrolled", "allowances_pending", "flags"]
    rows = [header]
    for b in report.budgets:
        c = b.center
        diff = None if b.assigned is None else b.assigned - b.total
        rows.append([
            str(report.month), c.center_id, c.name, c.program, c.center_type, c.department,
            c.municipality, str(b.enrolled), str(b.service_days), _money_text(b.daily_quota),
            _money_text(b.food_entitlement), _money_text(b.planned_food),
            *(_money_text(b.allowances.get(i)) for i in report.items),
            _money_text(b.total), _money_text(b.assigned), _money_text(diff),
            "" if b.previous_enrolled is None else str(b.previous_enrolled),
            ";".join(b.pending), " | ".join(b.flags),
        ])
    return rows


def _receipt(r: CheckedReceipt) -> dict[str, Any]:
    x = r.receipt
    return {"line": x.line, "date": x.day.isoformat(), "receipt_no": x.receipt_no,
            "supplier": x.supplier, "amount_q": quetzales(x.amount), "concept": x.concept,
            "accepted": r.accepted, "reason": r.reason}


def settlement_center_to_dict(s: CenterSettlement) -> dict[str, Any]:
    """One center of the liquidacion/1 file."""
    return {
        "center_id": s.center_id, "name": s.center.name if s.center else None,
        "department": s.center.department if s.center else None,
        "assigned_q": _q(s.assigned), "spent_q": quetzales(s.spent),
        "observed_q": quetzales(s.observed), "balance_q": quetzales(s.balance),
        "to_return_q": quetzales(s.to_return), "over_q": quetzales(s.over),
        "by_concept": {k: quetzales(v) for k, v in s.by_concept().items()},
        "receipts": [_receipt(r) for r in s.receipts], "flags": list(s.flags),
    }


def settlement_totals_to_dict(t: SettlementTotals) -> dict[str, Any]:
    """Department or national settlement totals."""
    return {"centers": t.centers, "assigned_q": quetzales(t.assigned),
            "spent_q": quetzales(t.spent), "observed_q": quetzales(t.observed),
            "to_return_q": quetzales(t.to_return), "over_q": quetzales(t.over),
            "flagged_centers": t.flagged_centers}


def settlement_to_dict(s: Settlement) -> dict[str, Any]:
    """The whole liquidacion/1 document."""
    return {
        "format": SETTLEMENT_FORMAT, "month": str(s.month),
        "centers": [settlement_center_to_dict(c) for c in s.centers],
        "departments": {d: settlement_totals_to_dict(t) for d, t in s.departments.items()},
        "national": settlement_totals_to_dict(s.national),
    }


def settlement_csv_rows(s: Settlement) -> list[list[str]]:
    """Header and one row per center."""
    rows = [["month", "center_id", "name", "department", "assigned_q", "spent_q",
             "observed_q", "balance_q", "to_return_q", "over_q", "receipts", "flags"]]
    for c in s.centers:
        rows.append([str(s.month), c.center_id, c.center.name if c.center else "",
                     c.department, _money_text(c.assigned), _money_text(c.spent),
                     _money_text(c.observed), _money_text(c.balance),
                     _money_text(c.to_return), _money_text(c.over), str(len(c.receipts)),
                     " | ".join(c.flags)])
    return rows
