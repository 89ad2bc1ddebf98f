"""The administrator's accounts pages: the list, a new account, and changing an account's
name, role, centers, state (active or not) or password. All through the service's
`add_user` / `update_user` (which check and audit); forms carry the CSRF token."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from menu_planner.api.deps import ServicesDep
from menu_planner.services import ADMIN, CENTER_ADMIN, ROLE_LABELS_ES, Actor, Services
from menu_planner.services.errors import Conflict, Invalid, NotFound
from menu_planner.services.records import UserRecord
from menu_planner.web.forms import Form, apply_service_details
from menu_planner.web.render import page
from menu_planner.web.session import CheckedForm, PageActor

router = APIRouter()
SERVICE_FIELDS = {"username": "usuario", "role": "rol", "centers": "centros",
                  "password": "clave"}
SEPARATORS = re.compile(r"[\s,;]+")


def _require_admin(actor: Actor) -> None:
    actor.require(ADMIN, action="administrar cuentas")


def centers_of(text: str) -> list[str]:
    """Center codes typed separated by commas, semicolons, spaces or lines (repeats
    dropped, order kept)."""
    return list(dict.fromkeys(c for c in SEPARATORS.split(text.strip()) if c))


def _user(services: Services, actor: Actor, username: str) -> tuple[UserRecord, list[str]]:
    for user, centers in services.accounts.list_users(actor):
        if user.username == username:
            return user, centers
    raise NotFound(f"No existe la cuenta '{username[:80]}'.")


@router.get("/cuentas")
def accounts(request: Request, actor: PageActor, services: ServicesDep,
             guardado: str = "") -> Response:
    _require_admin(actor)
    rows = sorted(services.accounts.list_users(actor), key=lambda uc: (not uc[0].active,
                                                             uc[0].username))
    return page(request, "accounts/list.html", title="Cuentas", context={
        "rows": rows, "saved": guardado[:80]})


def _form_page(request: Request, form: Form, username: str | None, status: int = 200,
               message: str = "") -> Response:
    title = f"Cuenta {username}" if username else "Nueva cuenta"
    return page(request, "accounts/form.html", title=title, status_code=status, context={
        "form": form, "username": username, "roles": ROLE_LABELS_ES, "message": message,
        "center_admin": CENTER_ADMIN})


@router.get("/cuentas/nueva")
def new_account(request: Request, actor: PageActor) -> Response:
    _require_admin(actor)
    return _form_page(request, Form({"activa": "1"}), None)


def _read(form: Form, new: bool) -> tuple[str, list[str], str | None]:
    role = form.choice("rol", "el rol", ROLE_LABELS_ES)
    form.text("nombre", "el nombre", required=False, max_length=200)
    centers = centers_of(form.get("centros"))
    if role == CENTER_ADMIN and not centers:
        form.error("centros", "Escriba al menos un código de centro (p. ej. 1601-01).")
    password = form.get("clave") or None
    if new and password is None:
        form.error("clave", "Escriba una contraseña de al menos 10 caracteres.")
    return role, centers if role == CENTER_ADMIN else [], password


def _refused(request: Request, form: Form, username: str | None,
             exc: Invalid | Conflict) -> Response:
    if isinstance(exc, Conflict):
        form.error("usuario", exc.message)
    elif not apply_service_details(form, exc.details, SERVICE_FIELDS):
        return _form_page(request, form, username, 422, exc.message)
    return _form_page(request, form, username, 422)


@router.post("/cuentas/nueva")
def create_account(request: Request, actor: PageActor, services: ServicesDep,
                   data: CheckedForm) -> Response:
    _require_admin(actor)
    form = Form(data)
    username = form.text("usuario", "el nombre de usuario", max_length=80)
    role, centers, password = _read(form, new=True)
    if not form.ok or password is None:
        return _form_page(request, form, None, 422)
    try:
        services.accounts.add_user(actor, username, role, password, centers, form.get("nombre"))
    except (Invalid, Conflict) as exc:
        return _refused(request, form, None, exc)
    return RedirectResponse(f"/cuentas?guardado={quote(username)}", status_code=303)


@router.get("/cuentas/{username}")
def edit_account(username: str, request: Request, actor: PageActor,
                 services: ServicesDep) -> Response:
    _require_admin(actor)
    user, centers = _user(services, actor, username[:80])
    form = Form({"nombre": user.full_name, "rol": user.role, "centros": ", ".join(centers),
                 "activa": "1" if user.active else ""})
    return _form_page(request, form, user.username)


@router.post("/cuentas/{username}")
def update_account(username: str, request: Request, actor: PageActor,
                   services: ServicesDep, data: CheckedForm) -> Response:
    _require_admin(actor)
    user, _ = _user(services, actor, username[:80])
    form = Form(data)
    role, centers, password = _read(form, new=False)
    active = form.get("activa") == "1"
    if user.username == actor.username and (not active or role != user.role):
        form.error("activa" if not active else "rol", "No puede desactivar su propia cuenta "
                   "ni quitarse el rol de administrador: pídaselo a otro administrador.")
    if not form.ok:
        return _form_page(request, form, user.username, 422)
    try:
        services.accounts.update_user(actor, user.username, role=role, centers=centers,
                                      active=active, password=password,
                                      full_name=form.get("nombre"))
    except (Invalid, Conflict) as exc:
        return _refused(request, form, user.username, exc)
    return RedirectResponse(f"/cuentas?guardado={quote(user.username)}", status_code=303)
