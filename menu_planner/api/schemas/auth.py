"""Sign-in and user accounts."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from menu_planner.api.schemas.common import Body, UtcDateTime

Role = Literal["nutricionista", "administrador_centro", "finanzas", "admin"]


class Token(BaseModel):
    access_token: str
    token_type: str = Field(default="bearer", examples=["bearer"])
    expires_in: int = Field(description="Segundos de validez.")


class UserBase(BaseModel):
    username: str = Field(min_length=3, max_length=80, pattern=r"^[A-Za-z0-9._@-]+$",
                          examples=["ana.lopez"])
    full_name: str = Field(default="", max_length=200, examples=["Ana López"])
    role: Role = Field(examples=["nutricionista"])
    centers: list[str] = Field(default_factory=list, max_length=1000,
                               description="Centros de un administrador de centro.",
                               examples=[[]])


class UserCreate(UserBase):
    model_config = ConfigDict(extra="forbid", strict=True)
    password: str = Field(min_length=10, max_length=200)


class UserUpdate(Body):
    model_config = ConfigDict(extra="forbid")
    full_name: str | None = Field(default=None, max_length=200)
    role: Role | None = None
    centers: list[str] | None = Field(default=None, max_length=1000)
    active: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=200)


class UserPublic(UserBase):
    id: int
    active: bool
    created_at: UtcDateTime | None = None
