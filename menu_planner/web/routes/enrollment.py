"""The center page's "Inscripción" form: people enrolled per age group, within the bound
of the center's type; a large change is shown back to be confirmed before it is stored.

The box lives inside the center page (`centers.center_page`); its data comes from the
template global `enrollment_box`, so that router needs no change."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from menu_planner.api.deps import ServicesDep, get_services
from menu_planner.api.schemas.centers import PEOPLE_LIMIT
from menu_planner.services import ADMIN, CENTER_ADMIN, Conflict, Invalid
from menu_planner.services.centers import LARGE_CHANGE
from menu_planner.services.records import CenterRecord
from menu_planner.web.forms import Form, apply_service_details
from menu_planner.web.render import templates
from menu_planner.web.routes.centers import center_page
from menu_planner.web.session import CheckedForm, PageActor, soft_actor

router = APIRouter()
BOX = "inscripcion"
CONFIRM = "confirmar"


def field_name(age_group: str) -> str:
    return f"inscritos.{age_group}"


def enrollment_box(request: Request, center: CenterRecord) -> dict[str, Any]:
    """What the center page's "Inscripción" form shows (template global)."""
    actor = soft_actor(request)
    ds = get_services(request).reference.dataset()
    groups = [(g.age_group, g.name_es) for g in ds.age_groups_of(center.program)]
    form = getattr(request.state, "enrollment_form", None) or Form(
        {field_name(g): str(center.enrolled.get(g, 0)) for g, _ in groups})
    return {"editable": actor is not None and actor.role in (ADMIN, CENTER_ADMIN),
            "groups": groups, "form": form, "field": field_name,
            "confirm": getattr(request.state, "enrollment_confirm", ""),
            "saved": request.query_params.get(BOX) == "guardado"}


templates.env.globals["enrollment_box"] = enrollment_box


@router.post("/centros/{center_id}/inscripcion")
def update_enrollment(center_id: str, request: Request, actor: PageActor,
                      services: ServicesDep, data: CheckedForm) -> Response:
    """Store the typed enrollment; back to the page, or the form again with what to fix
    (422) or the large change to confirm (409)."""
    cid = center_id[:40]
    center = services.centers.get(actor, cid)
    groups = [g.age_group for g in services.reference.dataset().age_groups_of(center.program)]
    form = Form(data)
    counts = {g: n for g in groups if (n := form.integer(
        field_name(g), "el número de personas", 0, PEOPLE_LIMIT)) is not None}
    status = 422
    if form.ok:
        try:
            services.centers.update_enrollment(actor, cid, counts,
                                               confirm=form.get(CONFIRM) == "1")
        except Invalid as exc:
            fields = {f"enrolled.{g}": field_name(g) for g in groups}
            if not apply_service_details(form, exc.details, fields) and groups:
                form.error(field_name(groups[0]), exc.message)
        except Conflict as exc:
            status = 409
            if exc.code != LARGE_CHANGE:  # e.g. a write that lost a race: say so
                raise
            request.state.enrollment_confirm = " ".join(
                str(d["message"]) for d in exc.details) + " Si es así, marque la casilla " \
                "de confirmación y guarde de nuevo."
        else:
            return RedirectResponse(f"/centros/{cid}?{BOX}=guardado#{BOX}",
                                    status_code=303)
    request.state.enrollment_form = form
    response = center_page(cid, request, actor, services)
    response.status_code = status
    return response
