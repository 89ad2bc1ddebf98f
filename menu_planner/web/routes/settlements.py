"""Settlements (liquidaciones): the list, the entry form with receipts (checked field by
field, kept as typed on error) and one settlement's result."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from menu_planner.api.deps import ServicesDep
from menu_planner.procurement.calendar import Month
from menu_planner.services import (
    ADMIN,
    FINANCE,
    Actor,
    Conflict,
    Invalid,
    NotFound,
    ReceiptIn,
    Services,
)
from menu_planner.web.forms import Form, apply_service_details
from menu_planner.web.render import page
from menu_planner.web.session import CheckedForm, PageActor

router = APIRouter()

DEFAULT_ROWS, MAX_ROWS = 5, 60
RECEIPT_FIELDS = ("fecha", "numero", "proveedor", "monto", "concepto")


def _allowed(actor: Actor) -> None:
    actor.require(FINANCE, ADMIN, action="liquidar caja chica")


@router.get("/finanzas/liquidaciones")
def settlement_list(request: Request, actor: PageActor, services: ServicesDep,
                    mes: str = "") -> Response:
    rows, total = services.finance.settlements(actor, month=mes if len(mes) == 7 else None,
                                               limit=200)
    return page(request, "finance/settlements.html", title="Liquidaciones", context={
        "rows": rows, "total": total, "month": mes,
        "can_settle": actor.role in (FINANCE, ADMIN)})


def _form_page(request: Request, services: Services, actor: Actor, form: Form, rows: int,
               status: int = 200, message: str = "") -> Response:
    centers = services.centers.find(actor)
    return page(request, "finance/settlement_form.html", title="Registrar una liquidación",
                status_code=status, context={
                    "form": form, "rows": range(rows), "row_count": rows,
                    "centers": centers, "message": message, "fields": RECEIPT_FIELDS})


@router.get("/finanzas/liquidaciones/nueva")
def settlement_form(request: Request, actor: PageActor, services: ServicesDep,
                    centro: str = "", mes: str = "") -> Response:
    _allowed(actor)
    month = mes if len(mes) == 7 else Month.parse(f"{date.today():%Y-%m}").previous()
    form = Form({"centro": centro[:40], "mes": str(month)})
    return _form_page(request, services, actor, form, DEFAULT_ROWS)


def read_receipts(form: Form, rows: int) -> list[ReceiptIn]:
    """The receipt rows that have anything typed; each field checked."""
    out = []
    for i in range(rows):
        names = {f: f"{f}_{i}" for f in RECEIPT_FIELDS}
        if not any(form.get(n) for n in names.values()):
            continue
        n = i + 1
        day = form.day(names["fecha"], f"la fecha del comprobante {n}")
        number = form.text(names["numero"], f"el número del comprobante {n}", max_length=60)
        supplier = form.text(names["proveedor"], f"el proveedor del comprobante {n}")
        amount = form.money(names["monto"], f"el monto del comprobante {n}",
                            exclusive=True, maximum=Decimal("10000000"))
        concept = form.text(names["concepto"], "el concepto", required=False)
        if day and amount is not None:
            out.append(ReceiptIn(day, number, supplier, float(amount), concept))
    return out


@router.post("/finanzas/liquidaciones/nueva")
def settle(request: Request, actor: PageActor, services: ServicesDep,
           data: CheckedForm) -> Response:
    _allowed(actor)
    form = Form(data)
    rows = min(max(int(form.get("filas")) if form.get("filas").isdigit() else DEFAULT_ROWS,
                   1), MAX_ROWS)
    if form.get("accion") == "mas_filas":
        return _form_page(request, services, actor, form, min(rows + 5, MAX_ROWS))
    center_id = form.text("centro", "el código del centro", max_length=40)
    month = form.month("mes")
    assigned = form.money("asignado", "el fondo asignado", required=False)
    notes = form.text("notas", "las notas", required=False, max_length=2000)
    receipts = read_receipts(form, rows)
    if center_id and "centro" not in form.errors:
        try:
            services.centers.get(actor, center_id)
        except NotFound:
            form.error("centro", f"No existe el centro '{center_id}'. Elíjalo de la lista.")
    if not form.ok:
        return _form_page(request, services, actor, form, rows, 422,
                          f"Revise {len(form.errors)} dato(s) marcados abajo; no se guardó "
                          "nada.")
    try:
        saved = services.finance.settle(actor, center_id, month, receipts,
                                        float(assigned) if assigned is not None else None, notes)
    except (Invalid, NotFound, Conflict) as exc:
        details: list[dict[str, Any]] = getattr(exc, "details", [])
        apply_service_details(form, details, {"month": "mes", "center_id": "centro"})
        return _form_page(request, services, actor, form, rows,
                          409 if isinstance(exc, Conflict) else 422, exc.message)
    return RedirectResponse(f"/finanzas/liquidaciones/{saved.id}", status_code=303)


@router.get("/finanzas/liquidaciones/{settlement_id}")
def settlement_page(settlement_id: str, request: Request, actor: PageActor,
                    services: ServicesDep) -> Response:
    if not settlement_id.isdigit() or len(settlement_id) > 9:
        raise NotFound(f"No existe la liquidación '{settlement_id[:20]}'.")
    row = services.finance.settlement(actor, int(settlement_id))
    return page(request, "finance/settlement.html", title=f"Liquidación {row.id}",
                context={"row": row, "details": row.details})
