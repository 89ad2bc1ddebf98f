"""The financial unit's pages: caja chica by department and center with flags and
totals, its downloads, and settlements (liquidaciones) with a checked entry form."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from menu_planner.api.deps import ServicesDep
from menu_planner.api.routes.centers import download
from menu_planner.domain import DEPARTMENTS
from menu_planner.procurement.allowances import item_label
from menu_planner.procurement.finance import CajaChicaReport, rollup
from menu_planner.services import ADMIN, FINANCE, Actor, NotFound, Services
from menu_planner.web.forms import MONTH_RE
from menu_planner.web.render import page
from menu_planner.web.session import PageActor

router = APIRouter()
MAX_ROWS_NATIONAL = 150  # beyond this, choose a department (downloads have every center)


def _month(text: str) -> str:
    return text if MONTH_RE.match(text) else f"{date.today():%Y-%m}"


def flagged_only(report: CajaChicaReport) -> CajaChicaReport:
    """The report restricted to centers with flags, totals recomputed."""
    budgets = tuple(b for b in report.budgets if b.flags)
    departments, national = rollup(budgets)
    return replace(report, budgets=budgets, departments=departments, national=national)


def caja_report(services: Services, actor: Actor, month: str, department: str | None,
                flags_only: bool) -> CajaChicaReport:
    actor.require(FINANCE, ADMIN, action="ver la caja chica por departamento o nacional")
    report = services.finance.caja_chica(actor, month, department=department)
    return flagged_only(report) if flags_only else report


@router.get("/finanzas/caja-chica")
def caja_page(request: Request, actor: PageActor, services: ServicesDep, mes: str = "",
              departamento: str = "", alertas: str = "") -> Response:
    month = _month(mes)
    department = departamento if departamento in DEPARTMENTS else None
    full = caja_report(services, actor, month, department, False)
    report = flagged_only(full) if alertas else full
    query = f"mes={month}" + (f"&departamento={department}" if department else "") + (
        "&alertas=1" if alertas else "")
    shown = report.budgets if department else report.budgets[:MAX_ROWS_NATIONAL]
    return page(request, "finance/caja.html", title="Caja chica", context={
        "report": report, "shown": shown, "full": full, "month": month,
        "department": department or "", "alertas": bool(alertas),
        "departments": DEPARTMENTS, "query": query,
        "items": [(i, item_label(i)) for i in report.items],
        "bad_month": bool(mes) and mes != month})


@router.get("/finanzas/caja-chica/descargar.{fmt}")
def caja_download(fmt: str, actor: PageActor, services: ServicesDep, mes: str = "",
                  departamento: str = "", alertas: str = "") -> Response:
    if fmt not in ("xlsx", "csv", "json"):
        raise NotFound("La caja chica se descarga en xlsx, csv o json.")
    month = _month(mes)
    department = departamento if departamento in DEPARTMENTS else None
    report = caja_report(services, actor, month, department, bool(alertas))
    where = department.replace(" ", "_") if department else "nacional"
    stem = f"caja_chica_{where}_{month}" + ("_alertas" if alertas else "")
    return download(services.finance.render_caja(report, fmt, stem, for_people=True))


@router.get("/finanzas")
def finance_home() -> Response:
    return RedirectResponse("/finanzas/caja-chica", status_code=303)
