"""Sign-in, sign-out and the start page, which sends each role to its work."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from menu_planner.api.deps import ServicesDep, client_address
from menu_planner.services import ADMIN, CENTER_ADMIN, FINANCE, NUTRITIONIST
from menu_planner.services.errors import TooManyAttempts
from menu_planner.web.forms import Form
from menu_planner.web.render import page
from menu_planner.web.session import (
    CheckedForm,
    PageActor,
    end_session,
    form_data,
    login_csrf,
    login_csrf_ok,
    safe_next,
    set_login_csrf,
    start_session,
)

router = APIRouter()

HOME_OF = {NUTRITIONIST: "/ciclos", CENTER_ADMIN: "/centros",
           FINANCE: "/finanzas/caja-chica"}


@router.get("/", include_in_schema=False)
def home(request: Request, actor: PageActor) -> Response:
    """Each role starts where its work is; the system administrator gets a menu."""
    target = HOME_OF.get(actor.role)
    if target:
        return RedirectResponse(target, status_code=303)
    return page(request, "home.html", title="Inicio", context={"admin": actor.role == ADMIN})


@router.get("/entrar", include_in_schema=False)
def login_form(request: Request, siguiente: str = "/") -> Response:
    return login_page(request, safe_next(siguiente), Form({}), 200)


def login_page(request: Request, next_url: str, form: Form, status: int,
               message: str = "") -> Response:
    token = login_csrf(request)
    response = page(request, "login.html", title="Iniciar sesión", status_code=status,
                    context={"form": form, "next": next_url, "login_csrf": token,
                             "message": message})
    set_login_csrf(request, response, token)
    return response


@router.post("/entrar", include_in_schema=False)
def login(request: Request, services: ServicesDep,
          data: Annotated[FormData, Depends(form_data)]) -> Response:
    form = Form(data)
    next_url = safe_next(form.get("siguiente"))
    if not login_csrf_ok(request, data):
        return login_page(request, next_url, form, 403,
                               "El formulario venció. Escriba de nuevo su usuario y "
                               "contraseña.")
    username = form.text("usuario", "su nombre de usuario", max_length=80)
    password = data.get("clave")
    if not isinstance(password, str) or not password:
        form.error("clave", "Escriba su contraseña.")
    if not form.ok:
        return login_page(request, next_url, form, 422)
    try:
        actor = services.accounts.sign_in(username, str(password), client_address(request))
    except TooManyAttempts as exc:
        response = login_page(request, next_url, form, 429, exc.message)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    if actor is None:
        return login_page(request, next_url, form, 401,
                               "Usuario o contraseña incorrectos, o la cuenta está "
                               "desactivada.")
    response = RedirectResponse(next_url, status_code=303)
    start_session(response, request, services, actor)
    return response


@router.post("/salir", include_in_schema=False)
def logout(request: Request, _form: CheckedForm) -> Response:
    response = RedirectResponse("/entrar", status_code=303)
    end_session(request, response)
    return response
