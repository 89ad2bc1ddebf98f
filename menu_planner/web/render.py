"""Jinja2 templates, the filters they use (money, numbers, dates in Spanish) and the
helper that renders a page with who is signed in."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from menu_planner.domain.constants import NUTRIENT_LABELS_ES
from menu_planner.procurement.price_dates import price_dates
from menu_planner.services import ADMIN, CENTER_ADMIN, FINANCE, NUTRITIONIST, ROLE_LABELS_ES
from menu_planner.spanish import (
    CYCLE_STATUS_ES,
    JOB_STATUS_ES,
    MONTHS_ES,
    day_date,
    exchange_group_name,
    integer,
    iso_to_long_date,
    long_date,
    money,
    month_name,
    number,
    numeric_date,
    program_name,
    subgroup_name,
)
from menu_planner.spanish import weekday_name as weekday_words

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))

# Guatemala keeps UTC-6 all year (no daylight saving time).
GUATEMALA = timezone(timedelta(hours=-6), "hora de Guatemala")

# Links of the navigation bar per role: (path, label).
NAV: dict[str, list[tuple[str, str]]] = {
    NUTRITIONIST: [("/ciclos", "Ciclos de menú"), ("/ciclos/generar", "Generar ciclo")],
    CENTER_ADMIN: [("/centros", "Mis centros")],
    FINANCE: [("/finanzas/caja-chica", "Caja chica"),
              ("/finanzas/liquidaciones", "Liquidaciones")],
    ADMIN: [("/ciclos", "Ciclos de menú"), ("/centros", "Centros"),
            ("/finanzas/caja-chica", "Caja chica"),
            ("/finanzas/liquidaciones", "Liquidaciones"), ("/cuentas", "Cuentas")],
}


def cents(value: int | None, blank: str = "—") -> str:
    """Centavos (the procurement core's money) as Q1,234.50."""
    return blank if value is None else money(value / 100)


def program_label(code: str, programs: Mapping[str, Any] | None = None) -> str:
    """The program's name: from the data set's programs (code -> Program) when given."""
    names = {k: str(getattr(v, "name_es", v)) for k, v in (programs or {}).items()}
    return program_name(code, names)


def plural_es(word: str) -> str:
    """The plural of a Spanish noun (libra -> libras, unidad -> unidades,
    cartón -> cartones)."""
    if not word or not word[-1].isalpha():
        return word
    if word[-1] in "aeiouáéó":
        return word + "s"
    if word.endswith("ón"):
        return word[:-2] + "ones"
    return word + "es"


def quantity(value: float, unit: str) -> str:
    """'7 libras', '1 unidad', '0.50 libras', '3 bolsas 450 g'."""
    whole = abs(value - round(value)) < 1e-9
    amount = f"{value:,.0f}" if whole else f"{value:,.2f}"
    if whole and round(value) == 1:
        return f"{amount} {unit}"
    first, _, rest = unit.partition(" ")
    return f"{amount} {plural_es(first)}" + (f" {rest}" if rest else "")


def short_date(value: date | datetime | None) -> str:
    """'3 feb. 2027' (with the time, in Guatemala, for a datetime)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):  # stored in UTC (SQLite gives it back naive)
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        value = aware.astimezone(GUATEMALA)
    d = value.date() if isinstance(value, datetime) else value
    text = f"{d.day} {MONTHS_ES[d.month - 1][:3]}. {d.year}"
    if isinstance(value, datetime):
        text += f", {value:%H:%M}"
    return text


def weekday_name(weekday: int) -> str:
    """1 -> 'Lunes'."""
    return weekday_words(weekday).capitalize()


def nutrient_name(nutrient: str) -> str:
    return NUTRIENT_LABELS_ES.get(nutrient, nutrient.replace("_", " "))


templates.env.filters.update(
    money=money, cents=cents, number=number, quantity=quantity, long_date=long_date,
    short_date=short_date, month_name=month_name, weekday_name=weekday_name,
    nutrient_name=nutrient_name, integer=integer, day_date=day_date,
    numeric_date=numeric_date, iso_long_date=iso_to_long_date, program_name=program_label,
    subgroup_name=subgroup_name, exchange_group=exchange_group_name,
    status_es=lambda s: CYCLE_STATUS_ES.get(s, s),
    job_status_es=lambda s: JOB_STATUS_ES.get(s, s),
)
templates.env.globals.update(role_label=lambda r: ROLE_LABELS_ES.get(r, r),
                             price_dates=price_dates)


def page(request: Request, template: str, context: dict[str, Any] | None = None,
         status_code: int = 200, title: str = "") -> Response:
    """Render `template` with the signed-in person (if any), their navigation and the
    CSRF token for forms."""
    actor = getattr(request.state, "actor", None)
    ctx: dict[str, Any] = {
        "actor": actor,
        "user_name": getattr(request.state, "user_name", ""),
        "nav": NAV.get(actor.role, []) if actor else [],
        "csrf": getattr(request.state, "csrf", ""),
        "title": title,
        "path": request.url.path,
    }
    ctx.update(context or {})
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    response.headers.setdefault("Cache-Control", "no-store")
    return response
