"""Dependencies of the routes: the services, the settings and the signed-in actor."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from menu_planner.api.errors import ApiError
from menu_planner.api.security import user_id_of
from menu_planner.config import Settings
from menu_planner.services import Actor, Services

oauth2 = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


def get_services(request: Request) -> Services:
    return cast(Services, request.app.state.services)


def get_settings_dep(request: Request) -> Settings:
    return cast(Settings, request.app.state.services.settings)


ServicesDep = Annotated[Services, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
_UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


def get_actor(services: ServicesDep, token: Annotated[str | None, Depends(oauth2)]) -> Actor:
    """The person the bearer token names; 401 when it is missing, bad or expired."""
    if not token:
        raise ApiError(401, "no_autenticado", "Inicie sesión: falta el token de acceso "
                       "(encabezado Authorization: Bearer ...).", headers=_UNAUTHORIZED)
    user_id = user_id_of(token, services.settings)
    actor = services.actor_for(user_id) if user_id is not None else None
    if actor is None:
        raise ApiError(401, "token_invalido", "El token no es válido o ya venció; inicie "
                       "sesión de nuevo.", headers=_UNAUTHORIZED)
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]
