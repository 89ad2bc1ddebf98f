"""Shapes shared by every resource: errors and pages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

T = TypeVar("T")


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


UtcDateTime = Annotated[datetime, AfterValidator(_utc)]

REVISION_IN = ("La revisión del registro que usted leyó (`revision`). Si otra persona lo "
               "cambió desde entonces, se responde 409 `revision_desactualizada` y no se "
               "guarda nada; vacío = sin comprobar.")
REVISION_OUT = "Cambia con cada modificación; envíela al modificar o borrar el registro."
MAX_REVISION = 2_147_483_647


def revision_in() -> Any:
    """The optional `revision` field of a body that changes a stored record."""
    return Field(default=None, ge=1, le=MAX_REVISION, description=REVISION_IN)


def revision_out() -> Any:
    """The `revision` field of a record as the API shows it."""
    return Field(default=1, description=REVISION_OUT)
def _iso_date_text(value: object) -> object:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("debe ser una fecha AAAA-MM-DD")
    return value


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Dates arrive as JSON strings AAAA-MM-DD (not numbers): parsed even in strict bodies.
BodyDate = Annotated[date, BeforeValidator(_iso_date_text), Field(strict=False)]


class Body(BaseModel):
    """A request body: unknown fields refused, no silent type conversion ("1" is not 1)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ErrorBody(BaseModel):
    code: str = Field(description="Código estable para programas, p. ej. `ciclo_aprobado`.")
    message: str = Field(description="Qué pasó, en español, para la persona.")
    details: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Cada problema: archivo/línea/columna o ubicación/campo, y mensaje.")


class ErrorResponse(BaseModel):
    """Every error response has this shape."""

    model_config = ConfigDict(json_schema_extra={"example": {"error": {
        "code": "datos_invalidos",
        "message": "La encuesta tiene 1 problema(s); no se guardó ningún precio.",
        "details": [{"file": "precios.csv", "line": 3, "column": "price_q",
                     "message": "'abc' no es un número (con punto decimal)"}]}}})
    error: ErrorBody


class Page(BaseModel, Generic[T]):
    """A page of a longer list."""

    items: list[T]
    total: int = Field(description="Cuántos hay en total con estos filtros.")
    offset: int
    limit: int


class Message(BaseModel):
    message: str


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    database: str = Field(examples=["ok"])
    version: str
    data_revision: int


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for error statuses, all with ErrorResponse."""
    text = {400: "Solicitud no válida", 401: "No autenticado", 403: "Sin permiso",
            404: "No encontrado", 409: "Conflicto con el estado actual",
            413: "Archivo demasiado grande", 422: "Datos no válidos",
            429: "Demasiados intentos (vea el encabezado Retry-After)"}
    return {c: {"model": ErrorResponse, "description": text.get(c, "Error")} for c in codes}


_MEDIA = {
    "json": ("application/json", {"type": "object"}),
    "csv": ("text/csv", {"type": "string"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             {"type": "string", "format": "binary"}),
    "html": ("text/html", {"type": "string"}),
}


def file_responses(description: str, *formats: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for a 200 that is a document in one of `formats`."""
    return {200: {"description": description,
                  "content": {_MEDIA[f][0]: {"schema": _MEDIA[f][1]} for f in formats}}}
