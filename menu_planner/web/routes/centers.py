"""A center's page: this week's and next week's shopping lists, a print view, the
spreadsheet, and what the week should cost against the fund."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from starlette.responses import Response

from menu_planner.api.deps import ServicesDep
from menu_planner.api.routes.centers import download
from menu_planner.domain import DEPARTMENTS
from menu_planner.procurement.calendar import week_monday
from menu_planner.services import Actor, NotFound, ServiceError, Services
from menu_planner.web.center_views import CenterWeeks, WeekList, center_weeks, one_week
from menu_planner.web.render import page
from menu_planner.web.session import PageActor

router = APIRouter()
FORMATS = ("xlsx", "csv", "json")


@router.get("/centros")
def center_list(request: Request, actor: PageActor, services: ServicesDep,
                departamento: str = "") -> Response:
    department = departamento if departamento in DEPARTMENTS else None
    many = actor.sees_all_centers
    rows = services.centers.find(actor, department=department if many else None)
    return page(request, "centers/list.html", title="Centros", context={
        "rows": rows[:300] if many and department is None else rows, "total": len(rows),
        "departments": DEPARTMENTS, "department": department or "", "many": many})


def month_caja(services: Services, actor: Actor, center_id: str,
               month: str) -> dict[str, object]:
    """The center's petty cash of the month, for the 'against the fund' box."""
    try:
        report = services.finance.caja_chica(actor, month, center_id=center_id)
    except ServiceError as exc:
        return {"error": exc.message}
    b = report.budgets[0]
    return {"month": month, "total": b.total / 100, "food": b.food_entitlement / 100,
            "allowances": b.allowances_total / 100,
            "planned": None if b.planned_food is None else b.planned_food / 100,
            "flags": list(b.flags), "service_days": b.service_days}


def monday_of(lunes: str) -> date | None:
    """The Monday of the week of `lunes` (AAAA-MM-DD); None when blank or not a date."""
    try:
        return week_monday(date.fromisoformat(lunes.strip()[:10])) if lunes.strip() else None
    except ValueError:
        return None


@router.get("/centros/{center_id}")
def center_page(center_id: str, request: Request, actor: PageActor,
                services: ServicesDep, lunes: str = "") -> Response:
    chosen = monday_of(lunes)
    view = center_weeks(services, actor, center_id[:40], chosen=chosen)
    ds = services.reference.dataset()
    groups = {g.age_group: g.name_es for g in ds.age_groups_of(view.center.program)}
    program = ds.programs.get(view.center.program)
    today = date.today()
    shown = chosen or today
    return page(request, "centers/detail.html", title=view.center.name, context={
        "view": view, "center": view.center, "groups": groups,
        "program_name": program.name_es if program else view.center.program,
        "chosen": chosen, "bad_week": bool(lunes.strip()) and chosen is None,
        "max_price_age": services.procurement.purchase_settings().price_max_age_days,
        "caja": month_caja(services, actor, view.center.center_id, f"{shown:%Y-%m}")})


def _week_from(services: Services, actor: Actor, center_id: str,
               lunes: str) -> tuple[CenterWeeks, WeekList]:
    """The center and the list of the calendar week starting `lunes`."""
    view = center_weeks(services, actor, center_id[:40])
    monday = monday_of(lunes)
    if monday is None:
        raise NotFound("La semana pedida no es una fecha AAAA-MM-DD.")
    if view.cycle is None:
        raise NotFound(view.note)
    return view, one_week(services, actor, view.center.center_id, view.cycle,
                          "Semana", monday)


@router.get("/centros/{center_id}/imprimir")
def print_view(center_id: str, request: Request, actor: PageActor, services: ServicesDep,
               lunes: str = "") -> Response:
    view, week = _week_from(services, actor, center_id, lunes or date.today().isoformat())
    return page(request, "centers/print.html", title="Lista de compras", context={
        "view": view, "center": view.center, "week": week,
        "max_price_age": services.procurement.purchase_settings().price_max_age_days})


@router.get("/centros/{center_id}/compras.{fmt}")
def purchases_download(center_id: str, fmt: str, actor: PageActor, services: ServicesDep,
                       semana: str = "", lunes: str = "") -> Response:
    """The list of the calendar week of `lunes` (as the page shows it: holidays left
    out), or of cycle week `semana` with every day the cycle has."""
    if fmt not in FORMATS:
        raise NotFound("La lista se descarga en xlsx, csv o json.")
    monday = monday_of(lunes)
    if monday is not None:
        wk, row = services.procurement.week_purchases(actor, center_id[:40], monday=monday)
        stem = f"compras_{center_id[:40]}_{monday.isoformat()}_ciclo{row.id}"
        return download(services.procurement.render_purchases(wk, fmt, stem, for_people=True))
    if not semana.isdigit() or not 1 <= int(semana) <= 52:
        raise NotFound("Indique el lunes de la semana (AAAA-MM-DD) o la semana del ciclo.")
    wk, row = services.procurement.week_purchases(actor, center_id[:40], int(semana))
    stem = f"compras_{center_id[:40]}_semana{semana}_ciclo{row.id}"
    return download(services.procurement.render_purchases(wk, fmt, stem, for_people=True))
