"""Purchase lists as the contract's JSON document (`menu_planner.purchases/1`) and as CSV
rows (one per center x food). Pure conversion; writing files is the caller's job."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd

from menu_planner.procurement.calendar import long_date_es
from menu_planner.procurement.result import PurchaseLine, WeekPurchases
from menu_planner.spanish import day_date

PURCHASES_FORMAT = "menu_planner.purchases/1"
# Several weeks in one file (`--all-weeks`): an addition; each entry is a purchases/1 doc.
PURCHASES_CYCLE_FORMAT = "menu_planner.purchases_cycle/1"

CSV_COLUMNS = (
    "week", "center_id", "center_name", "program", "department", "municipality",
    "attendance", "people_served", "service_days", "food_id", "name_es", "food_group",
    "market_section", "purchase_unit", "unit_grams", "needed_grams", "waste_factor",
    "carried_in_grams", "quantity", "carried_out_grams", "unit_price_q", "price_date",
    "price_region", "price_age_days", "cost_q", "days_off",
)


def purchases_to_dict(wk: WeekPurchases, rows: Sequence[int] | None = None) -> dict[str, Any]:
    """The JSON-ready purchase-list document of one week (contract fields plus extras)."""
    selected = range(len(wk.centers)) if rows is None else rows
    doc: dict[str, Any] = {
        "format": PURCHASES_FORMAT,
        "week": wk.week,
        "program": wk.program,
        "as_of": wk.as_of.isoformat(),
        "daily_budget_q": wk.daily_budget_q,
        "budget_basis": "daily_budget_q x people_served x service_days",
    }
    if wk.week_start is not None:
        doc["week_start"] = wk.week_start.isoformat()
    doc["centers"] = [center_to_dict(wk, i) for i in selected]
    return doc


def center_to_dict(wk: WeekPurchases, index: int) -> dict[str, Any]:
    """One center's entry of the JSON document."""
    c = wk.centers[index]
    lines = wk.lines(index)
    total = float(wk.total_q[index])
    budget = float(wk.budget_q[index])
    return {
        "center_id": c.center_id, "name": c.name, "program": c.program,
        "center_type": c.center_type, "department": c.department,
        "municipality": c.municipality,
        "attendance": float(wk.attendance[index]),
        "enrolled": c.total_enrolled,
        "people_served": round(float(wk.people_served[index]), 4),
        "service_days": int(wk.service_days[index]),
        "days_off": [{"date": d.day.isoformat(), "reason": d.reason}
                     for d in wk.days_off(index)],
        **({} if wk.week_start is None else {"service_dates": [
            (wk.week_start + timedelta(days=d - 1)).isoformat() for d in wk.weekdays[index]]}),
        "items": [line_to_dict(ln) for ln in lines],
        "total_q": total,
        "budget_q": budget,
        "budget_used_pct": round(total / budget * 100, 1) if budget > 0 else None,
        "warnings": center_warnings(wk, lines, total, budget, index),
    }


def line_to_dict(ln: PurchaseLine) -> dict[str, Any]:
    """One purchase line as the contract lays it out, plus food and price details."""
    return {
        "food_id": ln.food_id, "name_es": ln.food.name_es,
        "market_section": ln.food.market_section, "purchase_unit": ln.purchase_unit,
        "unit_grams": ln.unit_grams, "needed_grams": ln.needed_grams,
        "waste_factor": ln.waste_factor, "carried_in_grams": ln.carried_in_grams,
        "quantity": _number(ln.quantity), "carried_out_grams": ln.carried_out_grams,
        "unit_price_q": ln.unit_price_q, "price_date": ln.price_date.isoformat(),
        "price_region": ln.price_region, "price_age_days": ln.price_age_days,
        "cost_q": ln.cost_q,
    }


def center_warnings(
    wk: WeekPurchases, lines: Sequence[PurchaseLine], total: float, budget: float,
    index: int | None = None,
) -> list[str]:
    """Short Spanish sentences about a center's list: the list's notes (e.g. a special
    menu missing), days without service, old prices, over budget, no one."""
    out: list[str] = list(wk.notes)
    if index is not None:
        out += calendar_sentences(wk, index)
    stale = [ln for ln in lines if ln.price_age_days > wk.price_max_age_days]
    if stale:
        oldest = min(ln.price_date for ln in stale)
        out.append(f"{len(stale)} precio(s) tienen más de {wk.price_max_age_days} días "
                   f"(el más antiguo, del {day_date(oldest)}): actualice los precios.")
    if total > budget:
        out.append(f"El costo (Q{total:,.2f}) supera el presupuesto de la semana "
                   f"(Q{budget:,.2f}).")
    if not lines:
        out.append("El centro no tiene personas inscritas ni días de servicio esta semana: "
                   "no hay nada que comprar.")
    return out


def calendar_sentences(wk: WeekPurchases, index: int) -> list[str]:
    """The days the center at `index` does not serve this week, and why; its half days."""
    out: list[str] = []
    off = wk.days_off(index)
    if off:
        n = int(wk.service_days[index])
        out.append(f"Sin servicio esta semana: {'; '.join(d.sentence_es() for d in off)}. "
                   f"La lista y el fondo de la semana cuentan solo {n} "
                   f"día{'' if n == 1 else 's'} de servicio.")
    out += [f"El {long_date_es(d.day)} es medio día ({d.reason}): cuenta como día de "
            "servicio, porque las comidas de la mañana se sirven." for d in wk.half_days(index)]
    return out


def days_off_text(wk: WeekPurchases, index: int) -> str:
    """'2026-12-25 Navidad; ...': the days left out, for one CSV cell."""
    return "; ".join(f"{d.day.isoformat()} {d.reason}" for d in wk.days_off(index))


def purchases_frame(wk: WeekPurchases, rows: Sequence[int] | None = None) -> pd.DataFrame:
    """One row per center x food line (columns `CSV_COLUMNS`), built with arrays."""
    mask = wk.line_mask()
    if rows is not None:
        keep = np.zeros(len(wk.centers), dtype=bool)
        keep[list(rows)] = True
        mask &= keep[:, None]
    c_idx, f_idx = np.nonzero(mask)
    slots = wk.price_slots()[c_idx, f_idx]
    prices = wk.prices
    centers = wk.centers
    foods = wk.foods
    ages = np.array([(wk.as_of - p.price_date).days for p in prices], dtype=np.int64)
    data: dict[str, Any] = {
        "week": np.full(len(c_idx), wk.week),
        "center_id": _pick([c.center_id for c in centers], c_idx),
        "center_name": _pick([c.name for c in centers], c_idx),
        "program": _pick([c.program for c in centers], c_idx),
        "department": _pick([c.department for c in centers], c_idx),
        "municipality": _pick([c.municipality for c in centers], c_idx),
        "attendance": wk.attendance[c_idx],
        "people_served": np.round(wk.people_served[c_idx], 4),
        "service_days": wk.service_days[c_idx],
        "food_id": _pick([f.food_id for f in foods], f_idx),
        "name_es": _pick([f.name_es for f in foods], f_idx),
        "food_group": _pick([f.food_group for f in foods], f_idx),
        "market_section": _pick([f.market_section for f in foods], f_idx),
        "purchase_unit": _pick([p.purchase_unit for p in prices], slots),
        "unit_grams": np.array([p.unit_grams for p in prices])[slots],
        "needed_grams": wk.needed_grams[c_idx, f_idx],
        "waste_factor": wk.waste_factor[f_idx],
        "carried_in_grams": wk.carried_in_grams[c_idx, f_idx],
        "quantity": wk.quantity[c_idx, f_idx],
        "carried_out_grams": wk.carried_out_grams[c_idx, f_idx],
        "unit_price_q": np.array([p.price_q for p in prices])[slots],
        "price_date": _pick([p.price_date.isoformat() for p in prices], slots),
        "price_region": _pick([p.department for p in prices], slots),
        "price_age_days": ages[slots],
        "cost_q": wk.cost_q[c_idx, f_idx],
        "days_off": _pick([days_off_text(wk, i) for i in range(len(centers))], c_idx),
    }
    return pd.DataFrame(data, columns=list(CSV_COLUMNS))


def _pick(values: list[str], index: np.ndarray) -> np.ndarray:
    picked: np.ndarray = np.asarray(values, dtype=object)[index]
    return picked


def _number(x: float) -> float | int:
    """Whole quantities as integers (5, not 5.0), half units as they are (4.5)."""
    return int(x) if float(x).is_integer() else x
