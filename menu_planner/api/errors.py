"""Every error leaves as `{"error": {"code", "message" (Spanish), "details": [...]}}`:
service refusals, bad input (translated from pydantic), HTTP errors and crashes."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from menu_planner.services.errors import (
    HTTP_STATUS,
    ServiceError,
    TooManyAttempts,
    is_database_fault,
)

log = logging.getLogger(__name__)

RETRY_AFTER_S = 30  # what a 503 asks the client to wait
HTTP_CODES = {
    400: ("solicitud_invalida", "La solicitud no es válida."),
    401: ("no_autenticado", "Inicie sesión: falta el token o ya venció."),
    403: ("prohibido", "No tiene permiso para esto."),
    404: ("no_encontrado", "No existe esa dirección."),
    405: ("metodo_no_permitido", "Esa dirección no acepta este método."),
    406: ("formato_no_aceptable", "No se puede responder en el formato pedido."),
    409: ("conflicto", "La operación choca con el estado actual."),
    413: ("archivo_muy_grande", "El archivo es demasiado grande."),
    415: ("tipo_no_soportado", "Tipo de contenido no soportado."),
    422: ("datos_invalidos", "Los datos enviados no son válidos."),
    429: ("demasiados_intentos", "Demasiados intentos; espere y vuelva a intentarlo."),
    500: ("error_interno", "Error interno del servidor; avise al equipo técnico."),
    503: ("base_de_datos_no_disponible", "La base de datos no responde; intente de nuevo "
                                         "en unos minutos."),
}


def error_body(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    """The JSON body of an error."""
    return {"error": {"code": code, "message": message, "details": details or []}}


def error_response(status: int, code: str, message: str, details: list[Any] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status,
                        headers=headers)


class ApiError(Exception):
    """Raised by routes for HTTP-only refusals (e.g. missing or bad token)."""

    def __init__(self, status: int, code: str, message: str,
                 details: list[Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details, self.headers = details or [], headers


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the same shape."""

    @app.exception_handler(ServiceError)
    async def _service(_req: Request, exc: ServiceError) -> JSONResponse:
        status = next((s for t, s in HTTP_STATUS.items() if isinstance(exc, t)), 400)
        headers = ({"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts)
                   else {"Retry-After": str(RETRY_AFTER_S)} if status == 503 else None)
        return error_response(status, exc.code, exc.message, exc.details, headers)

    @app.exception_handler(ApiError)
    async def _api(_req: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_req: Request, exc: RequestValidationError) -> JSONResponse:
        details = [translate(e) for e in exc.errors()]
        return error_response(422, "datos_invalidos",
                              "Los datos enviados no son válidos: " +
                              "; ".join(f"{d['field']}: {d['message']}" for d in details[:5]),
                              details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(req: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = HTTP_CODES.get(exc.status_code, ("error", "Error en la solicitud."))
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            allowed = allowed_methods(app, req)
            headers["Allow"] = ", ".join(allowed)
            message = f"Esa dirección acepta: {', '.join(allowed)}."
        return error_response(exc.status_code, code, message, headers=headers or None)

    @app.exception_handler(Exception)
    async def _crash(_req: Request, exc: Exception) -> JSONResponse:
        if is_database_fault(exc):  # reached outside a unit of work
            log.warning("base de datos no disponible: %s", exc)
            code, message = HTTP_CODES[503]
            return error_response(503, code, message,
                                  headers={"Retry-After": str(RETRY_AFTER_S)})
        log.exception("error no controlado", exc_info=exc)
        code, message = HTTP_CODES[500]
        return error_response(500, code, message)


def allowed_methods(app: FastAPI, req: Request) -> list[str]:
    """Every method some route offers at the request's path (Starlette's own 405 names
    only the first route that matched the path)."""
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches(req.scope)
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods - {"HEAD"})


_MESSAGES: dict[str, str] = {
    "missing": "falta este dato",
    "extra_forbidden": "este campo no se admite",
    "string_type": "debe ser texto",
    "string_too_short": "es demasiado corto (mínimo {min_length} caracteres)",
    "string_too_long": "es demasiado largo (máximo {max_length} caracteres)",
    "string_pattern_mismatch": "no tiene el formato esperado ({pattern})",
    "int_type": "debe ser un número entero",
    "int_parsing": "debe ser un número entero",
    "int_from_float": "debe ser un número entero",
    "float_type": "debe ser un número",
    "float_parsing": "debe ser un número (con punto decimal)",
    "finite_number": "debe ser un número finito",
    "bool_type": "debe ser verdadero o falso",
    "bool_parsing": "debe ser verdadero o falso",
    "greater_than": "debe ser mayor que {gt}",
    "greater_than_equal": "debe ser mayor o igual que {ge}",
    "less_than": "debe ser menor que {lt}",
    "less_than_equal": "debe ser menor o igual que {le}",
    "literal_error": "debe ser uno de: {expected}",
    "enum": "debe ser uno de: {expected}",
    "date_type": "debe ser una fecha AAAA-MM-DD",
    "date_parsing": "debe ser una fecha AAAA-MM-DD",
    "date_from_datetime_parsing": "debe ser una fecha AAAA-MM-DD",
    "date_from_datetime_inexact": "debe ser una fecha sin hora",
    "datetime_type": "debe ser una fecha y hora ISO 8601",
    "datetime_parsing": "debe ser una fecha y hora ISO 8601",
    "datetime_from_date_parsing": "debe ser una fecha y hora ISO 8601",
    "dict_type": "debe ser un objeto JSON",
    "list_type": "debe ser una lista",
    "json_invalid": "el cuerpo no es JSON válido",
    "json_type": "el cuerpo no es JSON válido",
    "model_attributes_type": "debe ser un objeto JSON",
    "model_type": "debe ser un objeto JSON",
    "too_short": "tiene muy pocos elementos (mínimo {min_length})",
    "too_long": "tiene demasiados elementos (máximo {max_length})",
    "uuid_parsing": "debe ser un identificador UUID",
    "uuid_type": "debe ser un identificador UUID",
    "url_parsing": "debe ser una dirección válida",
    "value_error": "{error}",
    "assertion_error": "{error}",
}
_SPANISH_VALUE_PREFIX = "Value error, "
_PATTERN_HINTS = {
    r"^20\d{2}-(0[1-9]|1[0-2])$": "un mes AAAA-MM de 2000 a 2099, p. ej. 2027-02",
    r"^[A-Za-z0-9._@-]+$": "letras sin tilde, números o . _ @ -",
}


def translate(err: dict[str, Any]) -> dict[str, Any]:
    """One pydantic error as a Spanish detail: where (`location`, `field`) and what."""
    loc = [str(p) for p in err.get("loc", ())]
    field = ".".join(loc[1:]) if len(loc) > 1 else ".".join(loc) or "cuerpo"
    kind = str(err.get("type", ""))
    template = _MESSAGES.get(kind)
    ctx = {k: _ctx_text(v) for k, v in (err.get("ctx") or {}).items()}
    if "pattern" in ctx:
        ctx["pattern"] = _PATTERN_HINTS.get(ctx["pattern"], ctx["pattern"])
    if template is None:
        message = "valor no válido"
    else:
        try:
            message = template.format(**ctx)
        except (KeyError, IndexError):
            message = "valor no válido"
    if message.startswith(_SPANISH_VALUE_PREFIX):
        message = message[len(_SPANISH_VALUE_PREFIX):]
    where = {"path": "ruta", "query": "parámetro", "body": "cuerpo", "header": "encabezado",
             "cookie": "cookie"}.get(loc[0] if loc else "", "dato")
    return {"location": where, "field": field, "message": message, "type": kind}


def _ctx_text(v: Any) -> str:
    if isinstance(v, BaseException):
        text = str(v)
        return text.removeprefix(_SPANISH_VALUE_PREFIX)
    return str(v).replace(" or ", " o ")
