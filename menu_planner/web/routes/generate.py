"""Generating a cycle: the request form, the job's progress page (polled by a few lines
of JS, refreshed by the browser without JS), and re-optimizing with pins/exclusions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from menu_planner.api.deps import ServicesDep
from menu_planner.domain import NATIONAL
from menu_planner.services import ADMIN, NUTRITIONIST, GenerateParams, Invalid
from menu_planner.services.variants import DERIVE
from menu_planner.web.cycle_views import diagnosis_lines
from menu_planner.web.forms import Form, apply_service_details
from menu_planner.web.render import page
from menu_planner.web.routes.variants import variant_job_page, variant_job_url
from menu_planner.web.session import CheckedForm, PageActor

router = APIRouter()

OBJECTIVES = {"cost": "El menor costo", "variety": "La mayor variedad (dentro del presupuesto)"}
SERVICE_FIELDS = {"program": "programa", "department": "departamento", "budget_q":
                  "presupuesto", "weeks": "semanas", "objective": "objetivo",
                  "main_dish_max_per_cycle": "rotacion"}


def _choices(services: Any) -> tuple[dict[str, str], list[str]]:
    ds = services.reference.dataset()
    programs = {p.program: p.name_es for p in ds.programs.values()}
    regions = [NATIONAL, *sorted(r for r in ds.price_regions if r != NATIONAL)]
    return programs, regions


def _form_page(request: Request, services: Any, form: Form, status: int = 200) -> Response:
    programs, regions = _choices(services)
    budgets = {p.program: p.daily_budget_q for p in services.reference.dataset().programs.values()}
    return page(request, "cycles/generate.html", title="Generar un ciclo de menú",
                status_code=status, context={
                    "form": form, "programs": programs, "regions": regions,
                    "objectives": OBJECTIVES, "budgets": budgets})


@router.get("/ciclos/generar")
def generate_form(request: Request, actor: PageActor, services: ServicesDep) -> Response:
    actor.require(NUTRITIONIST, ADMIN, action="generar ciclos de menú")
    programs, _ = _choices(services)
    form = Form({"programa": next(iter(programs), ""), "departamento": NATIONAL,
                 "objetivo": "cost", "semanas": "6"})
    return _form_page(request, services, form)


@router.post("/ciclos/generar")
def generate(request: Request, actor: PageActor, services: ServicesDep,
             data: CheckedForm) -> Response:
    actor.require(NUTRITIONIST, ADMIN, action="generar ciclos de menú")
    form = Form(data)
    programs, regions = _choices(services)
    program = form.choice("programa", "un programa", programs)
    department = form.choice("departamento", "la región de precios",
                             {r: r for r in regions})
    budget = form.money("presupuesto", "el presupuesto diario", required=False,
                        minimum=Decimal("0"), exclusive=True, maximum=Decimal("1000"))
    objective = form.choice("objetivo", "el objetivo", OBJECTIVES)
    weeks = form.integer("semanas", "el número de semanas", 1, 12)
    rotation = form.integer("rotacion", "el tope de veces por plato principal", 1, 84,
                            required=False)
    name = form.text("nombre", "el nombre", required=False)
    if not form.ok:
        return _form_page(request, services, form, 422)
    params = GenerateParams(program=program, department=department, weeks=weeks or 6,
                            budget_q=float(budget) if budget is not None else None,
                            objective=objective, name=name,
                            main_dish_max_per_cycle=rotation)
    try:
        job = services.jobs.start_generation(actor, params)
    except Invalid as exc:
        if not apply_service_details(form, exc.details, SERVICE_FIELDS):
            form.error("programa", exc.message)
        return _form_page(request, services, form, 422)
    return RedirectResponse(f"/ciclos/trabajos/{job.id}", status_code=303)


@router.get("/ciclos/trabajos/{job_id}")
def job_page(job_id: str, request: Request, actor: PageActor,
             services: ServicesDep) -> Response:
    job = services.jobs.get(actor, job_id[:36])
    if job.kind == DERIVE:  # a special menu derived from a cycle
        return variant_job_page(request, services, job)
    if job.status == "succeeded" and job.cycle_id:
        return RedirectResponse(f"/ciclos/{job.cycle_id}", status_code=303)
    message, lines = diagnosis_lines(job.error)
    return page(request, "cycles/job.html", title="Generando el ciclo", context={
        "job": job, "percent": round(job.progress * 100), "failure": message,
        "diagnosis": lines, "running": job.status in ("queued", "running"),
        "params": job.params})


@router.get("/ciclos/trabajos/{job_id}/estado")
def job_status(job_id: str, actor: PageActor, services: ServicesDep) -> Response:
    """The job's state for the progress page's script (JSON, same session cookie)."""
    job = services.jobs.get(actor, job_id[:36])
    url = f"/ciclos/{job.cycle_id}" if job.cycle_id else None
    if job.kind == DERIVE:
        url = variant_job_url(job)
    return JSONResponse({
        "status": job.status, "progress": job.progress, "message": job.message,
        "cycle_url": url,
    }, headers={"Cache-Control": "no-store"})
