"""Dependencies of the routes: the services, the settings and the signed-in actor."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from menu_planner.api.errors import ApiError
from menu_planner.api.security import TokenClaims, token_claims
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


def client_address(request: Request) -> str:
    """The client's address (as uvicorn reports it: behind a proxy, run uvicorn with
    --proxy-headers and --forwarded-allow-ips so it is the person's, not the proxy's)."""
    return request.client.host if request.client else ""


def signed_in(services: ServicesDep,
              token: Annotated[str | None, Depends(oauth2)]) -> tuple[Actor, TokenClaims]:
    """The person the bearer token names and the token's claims; 401 when the token is
    missing, bad, expired or signed out."""
    if not token:
        raise ApiError(401, "no_autenticado", "Inicie sesión: falta el token de acceso "
                       "(encabezado Authorization: Bearer ...).", headers=_UNAUTHORIZED)
    claims = token_claims(token, services.settings)
    actor = services.accounts.actor_for(claims.user_id, claims.jti, claims.issued_at) \
        if claims is not None else None
    if actor is None or claims is None:
        raise ApiError(401, "token_invalido", "El token no es válido, ya venció o se cerró "
                       "la sesión; inicie sesión de nuevo.", headers=_UNAUTHORIZED)
    return actor, claims


SignedInDep = Annotated[tuple[Actor, TokenClaims], Depends(signed_in)]


def get_actor(session: SignedInDep) -> Actor:
    """The person the bearer token names; 401 when it is missing, bad or expired."""
    return session[0]


ActorDep = Annotated[Actor, Depends(get_actor)]
