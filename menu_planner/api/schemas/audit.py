"""The audit trail."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from menu_planner.api.schemas.common import UtcDateTime


class AuditPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    at: UtcDateTime
    username: str
    role: str
    action: str
    entity: str
    entity_id: str
    details: dict[str, Any]
