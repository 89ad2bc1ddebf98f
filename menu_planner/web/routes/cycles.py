"""Menu cycles: the list with versions, one cycle's calendar and adequacy, signing,
new versions, re-optimizing with pinned or excluded dishes, and downloads."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from menu_planner.api.deps import ServicesDep
from menu_planner.api.routes.centers import download
from menu_planner.services import ADMIN, NUTRITIONIST, Actor, Conflict, Invalid, NotFound, Services
from menu_planner.services.cycles import GenerateParams, next_monday, stored_cycle
from menu_planner.spanish import long_date
from menu_planner.web.cycle_views import (
    cycle_settings,
    failure_overview,
    failure_sentences,
    group_names,
    group_tabs,
    kitchen_measures,
    parse_dish_key,
    quality_groups,
    week_adequacy,
    week_menu,
)
from menu_planner.web.forms import Form, apply_service_details
from menu_planner.web.queries import cycle_history, program_versions
from menu_planner.web.render import page
from menu_planner.web.session import CheckedForm, PageActor

router = APIRouter()


def cycle_id_of(text: str) -> int:
    """A cycle id from the address; NotFound (a 404 page) for anything else."""
    if not text.isdigit() or not 0 < int(text) < 2**31:
        raise NotFound(f"No existe el ciclo '{text[:20]}'.")
    return int(text)


@router.get("/ciclos")
def cycle_list(request: Request, actor: PageActor, services: ServicesDep,
               programa: str = "") -> Response:
    ds = services.reference.dataset()
    program = programa if programa in ds.programs else None
    rows, total = services.cycles.find(program=program, limit=200)
    jobs: list[Any] = []
    if actor.role in (NUTRITIONIST, ADMIN):
        jobs, _ = services.jobs.find(actor, limit=10)
    current = {p: next((r for r in rows if r.program == p and r.status == "approved"), None)
               for p in ds.programs}
    return page(request, "cycles/list.html", title="Ciclos de menú", context={
        "rows": rows, "total": total, "jobs": jobs, "programs": ds.programs,
        "program": program or "", "current": current,
        "can_generate": actor.role in (NUTRITIONIST, ADMIN)})


def render_detail(request: Request, actor: Actor, services: Services, cycle_id: int,
                  week: int = 1, approve: Form | None = None, status: int = 200,
                  notice: str = "", group: str = "") -> Response:
    row = services.cycles.get(cycle_id)
    ds = services.reference.dataset()
    cycle = stored_cycle(row)
    weeks = sorted({d.week for d in cycle.days}) or [1]
    week = week if week in weeks else weeks[0]
    tabs = group_tabs(ds, cycle)
    tab = next((t for t in tabs if t.group == group), tabs[0])
    data_dir = services.settings.data_dir
    measures, measures_error = kitchen_measures(ds, data_dir)
    settings = cycle_settings(row.data)
    pins = {f"{p.get('recipe_id')}|{p.get('week')}|{p.get('weekday')}|{p.get('slot')}"
            for p in settings.get("pins", []) if isinstance(p, dict)}
    excluded = {str(e.get("recipe_id")) for e in settings.get("exclusions", [])
                if isinstance(e, dict)}
    names = group_names(ds, row.program)
    program = ds.programs.get(row.program)
    try:
        quality, quality_error = services.cycles.quality(ds, cycle), ""
    except Invalid as exc:  # the rules file is wrong: the page says so, the menu shows
        quality, quality_error = None, exc.message
    approve = approve or Form({"inicio": next_monday(date.today()).isoformat(),
                               "revision": str(row.revision)})
    return page(request, "cycles/detail.html", status_code=status,
                title=f"Ciclo {row.id}", context={
                    "row": row, "cycle": cycle, "week": week, "weeks": weeks,
                    "tabs": tabs, "tab": tab, "measures_error": measures_error,
                    "days": week_menu(ds, cycle, week, tab.group, data_dir, measures, pins,
                                      excluded),
                    "adequacy": week_adequacy(ds, cycle, week),
                    "failures": failure_sentences(ds, row.program, row.summary),
                    "overview": failure_overview(ds, row.program, row.summary),
                    "history": cycle_history(services, cycle_id),
                    "versions": program_versions(services, row.program),
                    "group_names": names, "program_name": program.name_es if program
                    else row.program, "pins": sorted(pins), "excluded": sorted(excluded),
                    "approve": approve, "notice": notice, "quality": quality,
                    "quality_groups": quality_groups(quality) if quality else [],
                    "quality_error": quality_error,
                    "can_approve": actor.role == NUTRITIONIST and row.status == "draft",
                    "can_plan": actor.role in (NUTRITIONIST, ADMIN),
                    "can_pin": actor.role in (NUTRITIONIST, ADMIN)})


@router.get("/ciclos/{cycle_id}")
def cycle_detail(cycle_id: str, request: Request, actor: PageActor, services: ServicesDep,
                 semana: str = "1", grupo: str = "") -> Response:
    """The cycle: who eats what in week `semana` for age group `grupo` (the first group
    when absent or unknown), adequacy, quality, signing."""
    week = int(semana) if semana.isdigit() and len(semana) < 4 else 1
    return render_detail(request, actor, services, cycle_id_of(cycle_id), week,
                         group=grupo[:20])


@router.post("/ciclos/{cycle_id}/aprobar")
def approve(cycle_id: str, request: Request, actor: PageActor, services: ServicesDep,
            data: CheckedForm) -> Response:
    cid = cycle_id_of(cycle_id)
    form = Form(data)
    start = form.day("inicio", "la fecha de inicio")
    if start is not None and start.weekday() != 0:
        form.error("inicio", f"La semana 1 debe empezar un lunes; el {long_date(start)} "
                             "no es lunes.")
    note = form.text("nota", "la nota", required=False, max_length=2000)
    revision = int(form.get("revision")) if form.get("revision").isdigit() else None
    if not form.ok:
        return render_detail(request, actor, services, cid, approve=form, status=422)
    try:
        services.cycles.approve(actor, cid, note, revision, start)
    except Invalid as exc:
        if not apply_service_details(form, exc.details, {"start_date": "inicio"}):
            form.error("inicio", exc.message)
        return render_detail(request, actor, services, cid, approve=form, status=422)
    except Conflict as exc:
        return render_detail(request, actor, services, cid, status=409, notice=exc.message)
    return RedirectResponse(f"/ciclos/{cid}?aprobado=1", status_code=303)


@router.post("/ciclos/{cycle_id}/nueva-version")
def new_version(cycle_id: str, actor: PageActor, services: ServicesDep,
                data: CheckedForm) -> Response:
    row = services.cycles.new_version(actor, cycle_id_of(cycle_id), str(data.get("nombre") or ""))
    return RedirectResponse(f"/ciclos/{row.id}", status_code=303)


@router.post("/ciclos/{cycle_id}/reoptimizar")
def reoptimize(cycle_id: str, actor: PageActor, services: ServicesDep,
               data: CheckedForm) -> Response:
    """Ask the optimizer again with the same settings, the dishes pinned where they are
    and the excluded dishes kept off the whole cycle."""
    row = services.cycles.get(cycle_id_of(cycle_id))
    pins = []
    for key in dict.fromkeys(str(v) for v in data.getlist("fijar")):
        parsed = parse_dish_key(key)
        if parsed:
            pins.append({"recipe_id": parsed[0], "week": parsed[1], "weekday": parsed[2],
                         "slot": parsed[3]})
    exclusions = [{"recipe_id": r, "weeks": []}
                  for r in dict.fromkeys(str(v) for v in data.getlist("excluir"))]
    pins = [p for p in pins if p["recipe_id"] not in {e["recipe_id"] for e in exclusions}]
    settings = cycle_settings(row.data)
    params = GenerateParams(
        program=row.program, weeks=int(row.data.get("weeks") or 6),
        department=str(row.data.get("price_region") or settings.get("department")
                       or "Nacional"),
        budget_q=settings.get("budget_q"), objective=settings.get("objective", "cost"),
        name=(row.name or f"Ciclo {row.id}") + " (reoptimizado)",
        pins=pins, exclusions=exclusions)
    job = services.jobs.start_generation(actor, params)
    return RedirectResponse(f"/ciclos/trabajos/{job.id}", status_code=303)


@router.get("/ciclos/{cycle_id}/descargar.{fmt}")
def cycle_download(cycle_id: str, fmt: str, _actor: PageActor,
                   services: ServicesDep) -> Response:
    if fmt not in ("xlsx", "json"):
        raise NotFound("Solo se descarga en xlsx o json.")
    return download(services.cycles.render_cycle(cycle_id_of(cycle_id), fmt))
