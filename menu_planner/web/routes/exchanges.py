"""Exchanges for people: the nutritionist's exchange rules, exclusions and special targets
(others read them), a cycle's exchange list, a center's exchanges of the week, and the
week's list with foods that are missing or too expensive replaced (what the change
breaks is shown, and must be accepted, before the list is downloaded)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from menu_planner.api.deps import ServicesDep
from menu_planner.api.headers import html_document
from menu_planner.api.routes.centers import download
from menu_planner.domain import DEPARTMENTS, FOOD_GROUPS, nutrient_label_es
from menu_planner.domain.constants import ANY, NATIONAL
from menu_planner.exchanges.rules import Exclusion
from menu_planner.procurement.calendar import week_monday
from menu_planner.services import Actor, Conflict, Invalid, NotFound, Services
from menu_planner.services.base import STALE_REVISION
from menu_planner.services.exchanges import substitution_breaches
from menu_planner.services.records import ExchangeRuleRecord, SpecialTargetRecord
from menu_planner.web.center_views import week_list
from menu_planner.web.exchange_views import (
    EDITORS,
    EXCLUSION_FIELDS,
    RULE_FIELDS,
    SPECIAL_FIELDS,
    SPECIAL_LABELS,
    form_choices,
    pattern_label,
    require_editor,
    row_id_of,
    rule_of,
    service_errors,
    special_of,
    typed,
    week_number,
)
from menu_planner.web.forms import Form
from menu_planner.web.render import page, templates
from menu_planner.web.routes.centers import monday_of
from menu_planner.web.session import CheckedForm, PageActor

router = APIRouter()
templates.env.globals.setdefault("exchange_departments", (NATIONAL, *DEPARTMENTS))


# -- exchange rules and exclusions --------------------------------------------------------
def _rules_page(request: Request, actor: Actor, services: Services,
                excl: Form | None = None, status: int = 200, message: str = "") -> Response:
    ds = services.reference.dataset()
    order = list(FOOD_GROUPS)
    rows = sorted(services.exchanges.exchange_rules(), key=lambda r: (
        order.index(r.food_group) if r.food_group in order else len(order), r.food_id != "",
        ds.foods[r.food_id].name_es.lower() if r.food_id in ds.foods else r.food_id))
    grouped: dict[str, list[Any]] = {}
    for r in rows:
        grouped.setdefault(r.food_group, []).append(r)
    exclusions = [(e, pattern_label(e.original, ds), pattern_label(e.replacement, ds))
                  for e in services.exchanges.exclusions()]
    return page(request, "exchanges/rules.html", title="Reglas de intercambio",
                status_code=status, context={
                    "grouped": grouped, "exclusions": exclusions, "ds": ds,
                    "label_es": nutrient_label_es, "can_edit": actor.role in EDITORS,
                    "excl": excl or Form({}), "message": message,
                    "saved": request.query_params.get("guardado", ""), **form_choices(ds)})


@router.get("/intercambios")
def rules_page(request: Request, actor: PageActor, services: ServicesDep) -> Response:
    return _rules_page(request, actor, services)


def _rule_form(request: Request, services: Services, form: Form, nutrients: Sequence[str],
               rule_id: int | None = None, status: int = 200, message: str = "") -> Response:
    ds = services.reference.dataset()
    return page(request, "exchanges/rule_form.html", status_code=status,
                title="Modificar la regla" if rule_id else "Nueva regla de intercambio",
                context={"form": form, "chosen": list(nutrients), "rule_id": rule_id,
                         "message": message, **form_choices(ds)})


def _save_rule(request: Request, actor: Actor, services: Services, data: FormData,
               rule_id: int | None) -> Response:
    require_editor(actor, "modificar reglas de intercambio")
    form = Form(data)
    nutrients = [str(n) for n in dict.fromkeys(data.getlist("nutrientes"))]
    rule = rule_of(form, nutrients)
    if rule is None:
        return _rule_form(request, services, form, nutrients, rule_id, 422)
    try:
        saved = services.exchanges.save_exchange_rule(actor, rule, rule_id, form.revision)
    except Invalid as exc:
        message = service_errors(form, exc, RULE_FIELDS)
        return _rule_form(request, services, form, nutrients, rule_id, 422, message)
    except Conflict as exc:
        if exc.code == STALE_REVISION:
            return _rule_form(request, services, form, nutrients, rule_id, 409,
                              exc.message + form.stale(exc.details))
        form.error("alimento", exc.message)
        return _rule_form(request, services, form, nutrients, rule_id, 409)
    return RedirectResponse(f"/intercambios?guardado=regla-{saved.id}#regla-{saved.id}",
                            status_code=303)


@router.get("/intercambios/reglas/nueva")
def new_rule(request: Request, actor: PageActor, services: ServicesDep,
             grupo: str = "") -> Response:
    require_editor(actor, "modificar reglas de intercambio")
    form = Form({"grupo": grupo if grupo in FOOD_GROUPS else "", "minimo": "0.33",
                 "maximo": "3"})
    return _rule_form(request, services, form, [])


@router.post("/intercambios/reglas/nueva")
def create_rule(request: Request, actor: PageActor, services: ServicesDep,
                data: CheckedForm) -> Response:
    return _save_rule(request, actor, services, data, None)


def _stored_rule(services: Services, rule_id: int) -> ExchangeRuleRecord:
    return services.exchanges.exchange_rule(rule_id)


@router.get("/intercambios/reglas/{rule_id}")
def edit_rule(rule_id: str, request: Request, actor: PageActor,
              services: ServicesDep) -> Response:
    require_editor(actor, "modificar reglas de intercambio")
    rid = row_id_of(rule_id, "la regla de intercambio")
    row = _stored_rule(services, rid)
    form = Form({"grupo": row.food_group, "alimento": row.food_id,
                 "grupo_intercambio": row.exchange_group, "minimo": typed(row.min_ratio),
                 "maximo": typed(row.max_ratio), "fuente": row.source, "nota": row.note,
                 "revision": str(row.revision)})
    return _rule_form(request, services, form, list(row.nutrients), rid)


@router.post("/intercambios/reglas/{rule_id}")
def update_rule(rule_id: str, request: Request, actor: PageActor, services: ServicesDep,
                data: CheckedForm) -> Response:
    return _save_rule(request, actor, services, data,
                      row_id_of(rule_id, "la regla de intercambio"))


def _confirm(request: Request, heading: str, text: str, action: str, back: str,
             revision: int) -> Response:
    return page(request, "exchanges/confirm.html", title=heading, context={
        "heading": heading, "text": text, "action": action, "back": back,
        "revision": revision})


@router.get("/intercambios/reglas/{rule_id}/borrar")
def confirm_rule_delete(rule_id: str, request: Request, actor: PageActor,
                        services: ServicesDep) -> Response:
    require_editor(actor, "modificar reglas de intercambio")
    row = _stored_rule(services, row_id_of(rule_id, "la regla de intercambio"))
    ds = services.reference.dataset()
    what = ds.foods[row.food_id].name_es if row.food_id in ds.foods else (
        f"todo el grupo {FOOD_GROUPS.get(row.food_group, row.food_group)}")
    after = ("el alimento seguirá la regla de su grupo" if row.food_id else
             "los alimentos del grupo sin regla propia dejarán de intercambiarse")
    return _confirm(request, "¿Borrar esta regla de intercambio?",
                    f"Se borrará la regla de {what}; {after}.",
                    f"/intercambios/reglas/{row.id}/borrar", "/intercambios", row.revision)


@router.post("/intercambios/reglas/{rule_id}/borrar")
def delete_rule(rule_id: str, actor: PageActor, services: ServicesDep,
                data: CheckedForm) -> Response:
    services.exchanges.delete_exchange_rule(actor, row_id_of(rule_id, "la regla de intercambio"),
                                            Form(data).revision)
    return RedirectResponse("/intercambios?guardado=borrada", status_code=303)


@router.post("/intercambios/exclusiones")
def add_exclusion(request: Request, actor: PageActor, services: ServicesDep,
                  data: CheckedForm) -> Response:
    require_editor(actor, "modificar reglas de intercambio")
    form = Form(data)
    original = form.text("original", "el alimento original", max_length=90)
    replacement = form.text("reemplazo", "el reemplazo", max_length=90)
    program = form.get("programa")
    reason = form.text("motivo", "el motivo", required=False, max_length=500)
    if form.ok:
        try:
            saved = services.exchanges.add_exclusion(actor, Exclusion(
                original, replacement, program, form.get("ambos") == "1", reason))
        except Invalid as exc:
            message = service_errors(form, exc, EXCLUSION_FIELDS)
            return _rules_page(request, actor, services, form, 422, message)
        return RedirectResponse(f"/intercambios?guardado=exclusion-{saved.id}#exclusiones",
                                status_code=303)
    return _rules_page(request, actor, services, form, 422)


@router.get("/intercambios/exclusiones/{exclusion_id}/borrar")
def confirm_exclusion_delete(exclusion_id: str, request: Request, actor: PageActor,
                             services: ServicesDep) -> Response:
    require_editor(actor, "modificar reglas de intercambio")
    eid = row_id_of(exclusion_id, "la exclusión")
    ex = services.exchanges.exclusion(eid)
    ds = services.reference.dataset()
    return _confirm(request, "¿Borrar esta exclusión?",
                    f"{pattern_label(ex.original, ds).capitalize()} podrá volver a "
                    f"reemplazarse por {pattern_label(ex.replacement, ds)}.",
                    f"/intercambios/exclusiones/{eid}/borrar", "/intercambios#exclusiones",
                    ex.revision)


@router.post("/intercambios/exclusiones/{exclusion_id}/borrar")
def delete_exclusion(exclusion_id: str, actor: PageActor, services: ServicesDep,
                     data: CheckedForm) -> Response:
    services.exchanges.delete_exclusion(actor, row_id_of(exclusion_id, "la exclusión"),
                                        Form(data).revision)
    return RedirectResponse("/intercambios?guardado=borrada#exclusiones", status_code=303)


# -- special targets ------------------------------------------------------------------------
@router.get("/metas-especiales")
def special_page(request: Request, actor: PageActor, services: ServicesDep) -> Response:
    ds = services.reference.dataset()
    grouped: dict[tuple[str, str], list[Any]] = {}
    for t in sorted(services.exchanges.special_targets(),
                    key=lambda t: (t.program, t.subgroup, t.age_group != ANY, t.age_group,
                                   t.nutrient)):
        grouped.setdefault((t.program, t.subgroup), []).append(t)
    return page(request, "exchanges/special.html", title="Metas especiales", context={
        "grouped": grouped, "can_edit": actor.role in EDITORS, "fmt": typed,
        "saved": request.query_params.get("guardado", ""), **form_choices(ds)})


def _special_form(request: Request, services: Services, form: Form,
                  target_id: int | None = None, status: int = 200,
                  message: str = "") -> Response:
    known = sorted({t.subgroup for t in services.exchanges.special_targets()})
    return page(request, "exchanges/special_form.html", status_code=status,
                title="Modificar la meta especial" if target_id else "Nueva meta especial",
                context={"form": form, "target_id": target_id, "message": message,
                         "known_subgroups": known, **form_choices(services.reference.dataset())})


def _save_special(request: Request, actor: Actor, services: Services, data: FormData,
                  target_id: int | None) -> Response:
    require_editor(actor, "modificar metas especiales")
    form = Form(data)
    programs = services.reference.dataset().programs
    rule = special_of(form, {p: v.name_es for p, v in programs.items()})
    if rule is None:
        return _special_form(request, services, form, target_id, 422)
    try:
        saved = services.exchanges.save_special_target(actor, rule, target_id, form.revision)
    except Invalid as exc:
        message = service_errors(form, exc, SPECIAL_FIELDS)
        return _special_form(request, services, form, target_id, 422, message)
    except Conflict as exc:
        more = form.stale(exc.details) if exc.code == STALE_REVISION else ""
        return _special_form(request, services, form, target_id, 409, exc.message + more)
    return RedirectResponse(f"/metas-especiales?guardado={saved.id}#meta-{saved.id}",
                            status_code=303)


@router.get("/metas-especiales/nueva")
def new_special(request: Request, actor: PageActor, services: ServicesDep) -> Response:
    require_editor(actor, "modificar metas especiales")
    return _special_form(request, services, Form({"grupo_edad": ANY, "base": "day"}))


@router.post("/metas-especiales/nueva")
def create_special(request: Request, actor: PageActor, services: ServicesDep,
                   data: CheckedForm) -> Response:
    return _save_special(request, actor, services, data, None)


def _stored_special(services: Services, target_id: str) -> SpecialTargetRecord:
    return services.exchanges.special_target(row_id_of(target_id, "la meta especial"))


@router.get("/metas-especiales/{target_id}")
def edit_special(target_id: str, request: Request, actor: PageActor,
                 services: ServicesDep) -> Response:
    require_editor(actor, "modificar metas especiales")
    t = _stored_special(services, target_id)
    form = Form({"programa": t.program, "subgrupo": t.subgroup, "grupo_edad": t.age_group,
                 "nutriente": t.nutrient, "base": t.basis, "minimo": typed(t.min),
                 "maximo": typed(t.max), "factor_min": typed(t.min_factor),
                 "factor_max": typed(t.max_factor), "fuente": t.source, "nota": t.note,
                 "revision": str(t.revision)})
    return _special_form(request, services, form, t.id)


@router.post("/metas-especiales/{target_id}")
def update_special(target_id: str, request: Request, actor: PageActor,
                   services: ServicesDep, data: CheckedForm) -> Response:
    return _save_special(request, actor, services, data,
                         row_id_of(target_id, "la meta especial"))


@router.get("/metas-especiales/{target_id}/borrar")
def confirm_special_delete(target_id: str, request: Request, actor: PageActor,
                           services: ServicesDep) -> Response:
    require_editor(actor, "modificar metas especiales")
    t = _stored_special(services, target_id)
    return _confirm(request, "¿Borrar esta meta especial?",
                    f"Se borrará la meta de {SPECIAL_LABELS.get(t.nutrient, t.nutrient)} del "
                    f"subgrupo {t.subgroup} ({t.program}); vuelve a valer la meta del "
                    "programa.", f"/metas-especiales/{t.id}/borrar", "/metas-especiales",
                    t.revision)


@router.post("/metas-especiales/{target_id}/borrar")
def delete_special(target_id: str, actor: PageActor, services: ServicesDep,
                   data: CheckedForm) -> Response:
    services.exchanges.delete_special_target(actor, row_id_of(target_id, "la meta especial"),
                                             Form(data).revision)
    return RedirectResponse("/metas-especiales?guardado=borrada", status_code=303)


# -- exchange lists and substitutions ----------------------------------------------------
def _list_document(services: Services, xl: Any, fmt: str, stem: str) -> Response:
    if fmt not in ("html", "xlsx"):
        raise NotFound("La lista de intercambio se ve para imprimir (html) o en Excel (xlsx).")
    doc = services.exchanges.render_exchange_list(xl, fmt, stem)
    if fmt == "html":  # the print view opens in the browser
        return html_document(doc.content, doc.media_type, {"Cache-Control": "no-store"})
    return download(doc)


@router.get("/ciclos/{cycle_id}/intercambios")
def cycle_exchanges(cycle_id: str, actor: PageActor, services: ServicesDep,
                    departamento: str = "", formato: str = "html") -> Response:
    xl, row = services.exchanges.cycle_exchange_list(actor, row_id_of(cycle_id, "el ciclo"),
                                                     departamento[:40] or None)
    stem = f"intercambios_ciclo{row.id}_{xl.region}".replace(" ", "_")
    return _list_document(services, xl, formato, stem)


@router.get("/centros/{center_id}/intercambios")
def center_exchanges(center_id: str, actor: PageActor, services: ServicesDep,
                     semana: str = "", formato: str = "html") -> Response:
    week = week_number(semana)
    xl, row = services.exchanges.week_exchange_list(actor, center_id[:40], week)
    stem = f"intercambios_{center_id[:40]}_semana{week}_ciclo{row.id}"
    return _list_document(services, xl, formato, stem)


def form_monday(data: FormData) -> date | None:
    """The Monday of the form's `lunes` (the calendar week the list is of), if valid."""
    return monday_of(str(data.get("lunes") or ""))


def _substitution_page(request: Request, services: Services, actor: Actor, center_id: str,
                       data: FormData, status: int = 200, notice: str = "") -> Response:
    week = week_number(str(data.get("semana") or ""))
    missing = [str(f)[:80] for f in dict.fromkeys(data.getlist("falta"))][:50]
    chosen = form_monday(data)
    monday = chosen or week_monday(date.today())
    center = services.centers.get(actor, center_id)
    context: dict[str, Any] = {"center": center, "week": week, "missing": missing,
                               "monday": monday, "notice": notice}
    try:
        result, row = services.exchanges.substitution(actor, center_id, week, missing, chosen)
    except Invalid as exc:
        context["problem"] = exc.message
        return page(request, "exchanges/substitution.html", context, 422,
                    "Alimentos que faltan")
    i = result.after.center_index(center_id)
    context.update({
        "result": result, "row": row, "breaches": substitution_breaches(result),
        "before_q": float(result.before.total_q[i]), "after_q": float(result.after.total_q[i]),
        "budget_q": float(result.after.budget_q[i]),
        "label_es": nutrient_label_es, "max_price_age": result.after.price_max_age_days,
        "after_list": week_list(result.after, center_id, "Con los cambios", monday)})
    return page(request, "exchanges/substitution.html", context, status,
                "Alimentos que faltan")


@router.post("/centros/{center_id}/sustitucion")
def substitution(center_id: str, request: Request, actor: PageActor, services: ServicesDep,
                 data: CheckedForm) -> Response:
    return _substitution_page(request, services, actor, center_id[:40], data)


@router.post("/centros/{center_id}/sustitucion/descargar")
def substitution_download(center_id: str, request: Request, actor: PageActor,
                          services: ServicesDep, data: CheckedForm) -> Response:
    cid = center_id[:40]
    fmt = str(data.get("formato") or "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise NotFound("La lista se descarga en xlsx o csv.")
    week = week_number(str(data.get("semana") or ""))
    missing = [str(f)[:80] for f in dict.fromkeys(data.getlist("falta"))][:50]
    try:
        wk = services.exchanges.accept_substitution(actor, cid, week, missing,
                                                    data.get("acepto") == "1", form_monday(data))
    except Conflict as exc:
        return _substitution_page(request, services, actor, cid, data, 409, exc.message)
    except Invalid:
        return _substitution_page(request, services, actor, cid, data)
    stem = f"compras_{cid}_semana{week}_con_cambios"
    return download(services.procurement.render_purchases(wk, fmt, stem, for_people=True))

