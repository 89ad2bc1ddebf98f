"""Special menus for people: the cycle page's "Menús especiales" box (the variants derived
from the cycle, their downloads, and the nutritionist's form that derives one in the
background), the progress page of that job, and the center page's "Personas con menú
especial" form (how many people of each subgroup eat the special menu).

The boxes live inside pages other routers render (`cycles.render_detail`,
`centers.center_page`): their data comes from the template globals `variant_box` and
`special_people_box`, so those routers need no change."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from menu_planner.api.deps import ServicesDep, get_services
from menu_planner.api.routes.centers import download
from menu_planner.services import Actor, Conflict, Invalid, NotFound, Services
from menu_planner.services.records import CenterRecord, CycleRecord, JobRecord, VariantRecord
from menu_planner.services.variants import DERIVE
from menu_planner.spanish import subgroup_name as subgroup_words
from menu_planner.variants.special import subgroups_of
from menu_planner.web.exchange_views import EDITORS, require_editor, row_id_of
from menu_planner.web.forms import REVISION_FIELD, Form
from menu_planner.web.render import page, templates
from menu_planner.web.routes.centers import center_page
from menu_planner.web.routes.cycles import render_detail
from menu_planner.web.session import CheckedForm, PageActor

router = APIRouter()
BOX = "menus-especiales"
PEOPLE_BOX = "menu-especial"
MAX_PEOPLE = 10_000


def subgroup_name(subgroup: str, summary: dict[str, Any] | None = None) -> str:
    """The subgroup's Spanish name (the variant's own, else the known names)."""
    name = (summary or {}).get("subgroup_name_es")
    return str(name or subgroup_words(subgroup))


def _program_subgroups(services: Services, program: str) -> list[tuple[str, str]]:
    rules = services.exchanges.special_rules()
    return [(s, subgroup_name(s)) for s in subgroups_of(rules, program)]


# -- the cycle page's box ------------------------------------------------------------------
def variant_view(row: VariantRecord) -> dict[str, Any]:
    """One derived variant as the box shows it."""
    s = row.summary or {}
    days = (row.data.get("variant") or {}).get("days") or []
    costs = [(g, c.get("base_q"), c.get("variant_q"), c.get("difference_q"))
             for g, c in (s.get("cost_q_per_person_day") or {}).items()]
    return {"id": row.id, "subgroup": row.subgroup, "name": subgroup_name(row.subgroup, s),
            "kept": round(float(s.get("reused_share") or 0) * 100),
            "swaps": int(s.get("swaps") or 0), "ok": bool(s.get("ok")), "costs": costs,
            "week_misses": [str(m) for m in s.get("week_misses_es") or []],
            "days_missed": sum(1 for d in days if isinstance(d, dict) and d.get("misses_es")),
            "created_by": row.created_by, "created_at": row.created_at}


def variant_box(request: Request, row: CycleRecord) -> dict[str, Any]:
    """What the cycle page's "Menús especiales" box shows (template global)."""
    services = get_services(request)
    actor: Actor | None = getattr(request.state, "actor", None)
    subgroups = _program_subgroups(services, row.program)
    form = getattr(request.state, "variant_form", None) or Form(
        {"subgrupo": subgroups[0][0] if subgroups else ""})
    running = [{"job": j.id, "name": subgroup_name(str(j.params.get("subgroup") or "")),
                "progress": round(100 * j.progress), "message": j.message}
               for j in services.variants.deriving(row.id or 0)]
    return {"variants": [variant_view(v) for v in services.variants.of_cycle(row.id or 0)],
            "running": running, "subgroups": subgroups, "form": form,
            "can_derive": actor is not None and actor.role in EDITORS}


templates.env.globals["variant_box"] = variant_box


@router.post("/ciclos/{cycle_id}/menus-especiales")
def derive(cycle_id: str, request: Request, actor: PageActor, services: ServicesDep,
           data: CheckedForm) -> Response:
    """Start deriving a subgroup's special menu; the job's page shows its progress."""
    require_editor(actor, "derivar menús especiales")
    cid = row_id_of(cycle_id, "el ciclo")
    form = Form(data)
    row = services.cycles.get(cid)
    subgroup = form.choice("subgrupo", "el subgrupo",
                           dict(_program_subgroups(services, row.program)))
    if form.ok:
        try:
            job = services.variants.start(actor, cid, subgroup)
        except Invalid as exc:
            form.error("subgrupo", exc.message)
        else:
            return RedirectResponse(f"/ciclos/trabajos/{job.id}", status_code=303)
    request.state.variant_form = form
    return render_detail(request, actor, services, cid, status=422, notice=(
        "No se derivó el menú especial: revise el subgrupo en «Menús especiales»."))


@router.get("/ciclos/{cycle_id}/menus-especiales/{variant_id}.{fmt}")
def variant_download(cycle_id: str, variant_id: str, fmt: str, _actor: PageActor,
                     services: ServicesDep) -> Response:
    if fmt not in ("xlsx", "json"):
        raise NotFound("El menú especial se descarga en xlsx o json.")
    vid = row_id_of(variant_id, "el menú especial")
    if services.variants.get(vid).cycle_id != row_id_of(cycle_id, "el ciclo"):
        raise NotFound(f"El menú especial {vid} no es de este ciclo.")
    return download(services.variants.render(vid, fmt))


def box_url(cycle_id: int, variant_id: int | None = None) -> str:
    query = f"?menu_especial={variant_id}" if variant_id else ""
    return f"/ciclos/{cycle_id}{query}#{BOX}"


def variant_job_page(request: Request, services: Services, job: JobRecord) -> Response:
    """The progress page of a derivation (cycles/job.html in its variant form)."""
    cid = int(job.params.get("cycle_id") or 0)
    subgroup = str(job.params.get("subgroup") or "")
    running = job.status in ("queued", "running")
    done = job.status == "succeeded" and job.variant_id is not None
    error = job.error or {}
    title = ("Derivando el menú especial" if running else "Menú especial derivado" if done
             else "No se pudo derivar el menú especial")
    return page(request, "cycles/job.html", title=title, context={
        "job": job, "percent": round(job.progress * 100), "running": running,
        "params": job.params, "variant": {
            "title": title, "cycle_id": cid, "name": subgroup_name(subgroup),
            "done": done, "box_url": box_url(cid, job.variant_id if done else None),
            "failure": str(error.get("message") or job.message),
            "details": [str(d["message"]) for d in error.get("details") or []
                        if isinstance(d, dict) and isinstance(d.get("message"), str)
                        and error.get("code") != "error_interno"]}})


def variant_job_url(job: JobRecord) -> str | None:
    """Where the progress page's script goes when a derivation has finished."""
    if job.kind != DERIVE or job.variant_id is None:
        return None
    return box_url(int(job.params.get("cycle_id") or 0), job.variant_id)


# -- the center page's "Personas con menú especial" form --------------------------------
def field_name(subgroup: str, age_group: str) -> str:
    return f"personas.{subgroup}.{age_group}"


def special_people_box(request: Request, center: CenterRecord) -> dict[str, Any]:
    """What the center page's "Personas con menú especial" form shows (template global)."""
    services = get_services(request)
    ds = services.reference.dataset()
    names = {g.age_group: g.name_es for g in ds.age_groups_of(center.program)}
    groups = [(g, names.get(g, g), n) for g, n in center.enrolled.items() if n]
    subgroups = _program_subgroups(services, center.program)
    form = getattr(request.state, "people_form", None)
    if form is None:
        counts = center.special_counts or {}
        form = Form({field_name(s, g): str((counts.get(s) or {}).get(g, 0))
                     for s, _ in subgroups for g, _, _ in groups})
        form.values[REVISION_FIELD] = str(center.revision)
    return {"subgroups": subgroups, "groups": groups, "form": form, "field": field_name,
            "saved": request.query_params.get("personas") == "guardado",
            "message": getattr(request.state, "people_message", "")}


templates.env.globals["special_people_box"] = special_people_box


def _read_counts(form: Form, center: CenterRecord,
                 subgroups: list[str]) -> dict[str, dict[str, int]]:
    """The typed numbers (blank = 0); a field error for anything but a whole number."""
    counts: dict[str, dict[str, int]] = {}
    for s in subgroups:
        for g, n in center.enrolled.items():
            if not n:
                continue
            name = field_name(s, g)
            raw = form.get(name) or "0"
            if not raw.isdigit() or int(raw) > MAX_PEOPLE:
                form.error(name, f"Escriba un número entero de 0 a {n} (las personas "
                                 "inscritas en ese grupo de edad).")
            elif int(raw):
                counts.setdefault(s, {})[g] = int(raw)
    return counts


def _service_problems(form: Form, exc: Invalid, center: CenterRecord,
                      subgroups: list[str]) -> None:
    """The service's problems on their fields ('counts.S.G', 'counts.*.G', 'counts.S')."""
    for d in exc.details:
        parts = str(d.get("field", "")).split(".")
        message = str(d.get("message", "")) or exc.message
        if len(parts) == 3 and parts[1] == "*":
            for s in subgroups:
                form.error(field_name(s, parts[2]), message)
        elif len(parts) == 3:
            form.error(field_name(parts[1], parts[2]), message)
        else:
            first = next((g for g, n in center.enrolled.items() if n), "")
            for s in subgroups:
                form.error(field_name(s, first), message)
    if form.ok:
        first = next((g for g, n in center.enrolled.items() if n), "")
        form.error(field_name(subgroups[0], first) if subgroups else "personas", exc.message)


@router.post("/centros/{center_id}/personas-menu-especial")
def update_people(center_id: str, request: Request, actor: PageActor,
                  services: ServicesDep, data: CheckedForm) -> Response:
    """Store how many people of each subgroup the center has; back to the page."""
    cid = center_id[:40]
    center = services.centers.get(actor, cid)
    subgroups = [s for s, _ in _program_subgroups(services, center.program)]
    form = Form(data)
    counts = _read_counts(form, center, subgroups)
    status = 422
    if form.ok:
        try:
            services.variants.update_special_counts(actor, cid, counts, form.revision)
        except Invalid as exc:
            _service_problems(form, exc, center, subgroups)
        except Conflict as exc:
            status = 409
            request.state.people_message = exc.message + form.stale(exc.details)
        else:
            return RedirectResponse(f"/centros/{cid}?personas=guardado#{PEOPLE_BOX}",
                                    status_code=303)
    request.state.people_form = form
    response = center_page(cid, request, actor, services)
    response.status_code = status
    return response
