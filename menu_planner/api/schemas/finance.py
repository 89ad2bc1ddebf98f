"""Settlements (liquidaciones) of petty cash."""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from menu_planner.api.schemas.common import Body, BodyDate, UtcDateTime


def _centavos(value: float) -> float:
    if not math.isfinite(value * 100):  # 1e308 is finite, its centavos are not
        raise ValueError("el monto no es un número válido (demasiado grande)")
    if abs(round(value * 100) - value * 100) > 1e-6:
        raise ValueError("el monto admite como máximo dos decimales (centavos)")
    return value


Money = Annotated[float, AfterValidator(_centavos)]


class ReceiptCreate(Body):
    model_config = ConfigDict(extra="forbid")
    date: BodyDate
    receipt_no: str = Field(min_length=1, max_length=60, examples=["A-1023"])
    supplier: str = Field(min_length=1, max_length=200, examples=["Abarrotería La Esperanza"])
    amount_q: Money = Field(gt=0, le=10_000_000, examples=[245.5])
    concept: str = Field(default="", max_length=200, examples=["alimentos"])


class SettlementCreate(Body):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {
        "center_id": "2420-20", "month": "2027-02",
        "receipts": [{"date": "2027-02-05", "receipt_no": "A-1023",
                      "supplier": "Abarrotería La Esperanza", "amount_q": 245.5,
                      "concept": "alimentos"}],
        "notes": "Liquidación revisada con facturas originales"}})
    center_id: str = Field(min_length=1, max_length=40)
    month: str = Field(pattern=r"^20\d{2}-(0[1-9]|1[0-2])$", examples=["2027-02"])
    assigned_q: Money | None = Field(default=None, ge=0, le=100_000_000,
                                     description="Fondo asignado; vacío = la caja chica "
                                                 "calculada del mes.")
    receipts: list[ReceiptCreate] = Field(default_factory=list, max_length=5000)
    notes: str = Field(default="", max_length=2000)


class SettlementPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    center_id: str
    month: str
    budget_q: float = Field(description="Fondo asignado (Q).")
    spent_q: float = Field(description="Comprobantes aceptados (Q).")
    balance_q: float = Field(description="Fondo - gastado; negativo = sobregiro.")
    receipts: list[dict[str, Any]]
    details: dict[str, Any] = Field(description="Comprobantes revisados y observaciones.")
    notes: str
    settled_by: str
    settled_at: UtcDateTime
    superseded_by_id: int | None = None
    is_current: bool = Field(default=True, description="La liquidación vigente del centro "
                                                       "y mes (una sola a la vez).")
