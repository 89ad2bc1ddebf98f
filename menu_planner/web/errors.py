"""Error pages people can act on: the API's JSON error handlers stay for programs, and
page requests (and browsers asking for an unknown address) get Spanish HTML instead.
No stack trace ever reaches a page."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from menu_planner.api.headers import add_headers
from menu_planner.services import Conflict, Forbidden, Invalid, NotFound, ServiceError
from menu_planner.services.errors import TooLarge, Unavailable, is_database_fault
from menu_planner.web.render import page
from menu_planner.web.session import CsrfFailed, LoginRequired, login_url, soft_actor

log = logging.getLogger(__name__)

Handler = Callable[[Request, Any], Any]


def is_page_request(request: Request, by_accept: bool = True) -> bool:
    """A request for one of the web pages or, with `by_accept`, a browser asking for an
    address that no route serves (it sends Accept: text/html)."""
    if getattr(request.state, "page", False):
        return True
    return by_accept and "text/html" in request.headers.get("accept", "") and \
        request.method in ("GET", "HEAD")


def error_page(request: Request, status: int, title: str, message: str,
               links: list[tuple[str, str]] | None = None) -> Response:
    """The error page: what happened and where to go from here."""
    if links is None:  # asks the database who is signed in: not when it is down
        signed_in = soft_actor(request) is not None
        links = [("/", "Ir al inicio")] if signed_in else [("/entrar", "Iniciar sesión")]
    return page(request, "error.html", {"status": status, "heading": title,
                                        "message": message, "links": links},
                status_code=status, title=title)


def service_error_page(request: Request, exc: ServiceError) -> Response:
    """A refusal of a use case as a page (403, 404, 409, 422)."""
    if isinstance(exc, Forbidden):
        if exc.code == "centro_ajeno":
            return error_page(request, 403, "Este centro no le corresponde",
                              exc.message + " Si cree que es un error, pida a la "
                              "administración que le asigne el centro.",
                              [("/centros", "Ver mis centros")])
        return error_page(request, 403, "No tiene permiso para esta página", exc.message)
    if isinstance(exc, NotFound):
        return error_page(request, 404, "No encontramos lo que busca", exc.message)
    if isinstance(exc, Conflict):
        return error_page(request, 409, "No se puede hacer ahora", exc.message)
    if isinstance(exc, Invalid):
        return error_page(request, 422, "Hay datos que corregir", exc.message)
    if isinstance(exc, TooLarge):
        return error_page(request, 413, "El archivo es demasiado grande", exc.message)
    if isinstance(exc, Unavailable):
        return unavailable_page(request, exc.message)
    return error_page(request, 400, "No se pudo completar", exc.message)


def unavailable_page(request: Request, message: str) -> Response:
    """The database does not answer: say so, and when to try again."""
    response = error_page(request, 503, "El servicio no está disponible por un momento",
                          message + " Sus datos guardados no se perdieron.",
                          [("/", "Volver a intentar")])
    response.headers["Retry-After"] = "30"
    return response


def http_error_page(request: Request, exc: StarletteHTTPException) -> Response:
    if exc.status_code == 404:
        return error_page(request, 404, "Esta página no existe",
                          "Revise la dirección o vuelva al inicio.")
    if exc.status_code == 405:
        return error_page(request, 405, "Esta dirección no acepta esa acción",
                          "Vuelva a la página anterior y use sus botones.")
    return error_page(request, exc.status_code, "No se pudo completar",
                      "La solicitud no es válida.")


def crash_page(request: Request, exc: Exception) -> Response:
    if is_database_fault(exc):
        log.warning("base de datos no disponible: %s", exc)
        return unavailable_page(request, "La base de datos no responde.")
    log.exception("error no controlado en una página", exc_info=exc)
    return error_page(request, 500, "Algo falló de nuestro lado",
                      "Intente de nuevo en unos minutos. Si vuelve a pasar, avise al "
                      "equipo técnico con la hora y lo que estaba haciendo.")


def install_error_pages(app: FastAPI) -> None:
    """Wrap the API's handlers: pages get HTML, everything else keeps the JSON errors."""

    def wrap(key: Any, html: Handler, by_accept: bool = True) -> None:
        original: Handler | None = app.exception_handlers.get(key)

        async def handler(request: Request, exc: Any) -> Any:
            if original is None or is_page_request(request, by_accept):
                return html(request, exc)
            result = original(request, exc)
            return await result if inspect.isawaitable(result) else result

        app.exception_handlers[key] = handler

    wrap(ServiceError, service_error_page, by_accept=False)
    wrap(StarletteHTTPException, http_error_page)
    wrap(RequestValidationError, lambda r, _e: error_page(
        r, 400, "La dirección tiene un dato no válido",
        "Vuelva a la página anterior y use sus enlaces y formularios."))
    wrap(Exception, crash_page)
    crash = app.exception_handlers[Exception]

    async def secured_crash(request: Request, exc: Exception) -> Any:
        response = crash(request, exc)
        response = await response if inspect.isawaitable(response) else response
        add_headers(response.headers, request.url.path, request.url.scheme == "https")
        return response

    app.exception_handlers[Exception] = secured_crash

    @app.exception_handler(LoginRequired)
    async def _login(_request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(login_url(exc.next_url), status_code=303)

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, _exc: CsrfFailed) -> Response:
        return error_page(request, 403, "El formulario venció",
                          "Por seguridad no se guardó nada. Vuelva a la página, recárguela "
                          "y envíe el formulario otra vez.")
