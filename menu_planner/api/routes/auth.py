"""Sign-in (bearer tokens) and user accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from menu_planner.api.deps import ActorDep, ServicesDep, SignedInDep, client_address
from menu_planner.api.errors import ApiError
from menu_planner.api.schemas.auth import Token, UserCreate, UserPublic, UserUpdate
from menu_planner.api.schemas.common import error_responses
from menu_planner.api.security import create_token
from menu_planner.services import Actor, Services
from menu_planner.services.records import UserRecord

router = APIRouter(prefix="/auth", tags=["sesión"])
users = APIRouter(prefix="/users", tags=["usuarios"],
                  responses=error_responses(400, 401, 403, 422))


@router.post("/token", response_model=Token, responses=error_responses(400, 401, 422, 429))
def login(request: Request, services: ServicesDep,
          username: Annotated[str, Form(min_length=1, max_length=80)],
          password: Annotated[str, Form(min_length=1, max_length=200)]) -> Token:
    """Inicia sesión con usuario y contraseña (formulario OAuth2) y devuelve un token
    bearer firmado que vence. Tras varios intentos fallidos por cuenta o por dirección
    responde 429 con `Retry-After` (segundos) sin comprobar la contraseña."""
    actor = services.accounts.sign_in(username, password, client_address(request))
    if actor is None:
        raise ApiError(401, "credenciales_invalidas", "Usuario o contraseña incorrectos, o "
                       "la cuenta está desactivada.", headers={"WWW-Authenticate": "Bearer"})
    token, seconds = create_token(actor.user_id, services.settings)
    return Token(access_token=token, expires_in=seconds)


@router.post("/logout", status_code=204, responses=error_responses(401))
def logout(request: Request, session: SignedInDep, services: ServicesDep) -> Response:
    """Cierra la sesión: este token deja de valer en el servidor desde ya (también como
    cookie de las páginas), aunque no haya vencido."""
    actor, claims = session
    services.accounts.sign_out(actor, claims.jti, claims.expires_at, client_address(request))
    return Response(status_code=204)


@router.get("/me", response_model=UserPublic, responses=error_responses(400, 401))
def me(actor: ActorDep, services: ServicesDep) -> UserPublic:
    """La cuenta de quien tiene la sesión."""
    return UserPublic(id=actor.user_id, username=actor.username, role=actor.role,  # type: ignore[arg-type]
                      centers=sorted(actor.centers), active=True,
                      full_name=_full_name(services, actor))


def _full_name(services: Services, actor: Actor) -> str:
    return services.accounts.full_name(actor.user_id)


def _public(row: UserRecord, centers: list[str]) -> UserPublic:
    return UserPublic(id=row.id or 0, username=row.username, full_name=row.full_name,
                      role=row.role, centers=centers, active=row.active,  # type: ignore[arg-type]
                      created_at=row.created_at)


@users.get("", response_model=list[UserPublic])
def list_users(actor: ActorDep, services: ServicesDep) -> list[UserPublic]:
    """Todas las cuentas (solo administración)."""
    return [_public(u, c) for u, c in services.accounts.list_users(actor)]


@users.post("", response_model=UserPublic, status_code=201,
            responses=error_responses(409))
def create_user(body: UserCreate, actor: ActorDep, services: ServicesDep) -> UserPublic:
    """Crea una cuenta (solo administración)."""
    row = services.accounts.add_user(actor, body.username, body.role, body.password, body.centers,
                                     body.full_name)
    return _public(row, list(dict.fromkeys(body.centers)))


@users.patch("/{username}", response_model=UserPublic, responses=error_responses(404))
def update_user(username: str, body: UserUpdate, actor: ActorDep,
                services: ServicesDep) -> UserPublic:
    """Cambia rol, centros, estado, contraseña o nombre de una cuenta."""
    row = services.accounts.update_user(actor, username, role=body.role, centers=body.centers,
                                        active=body.active, password=body.password,
                                        full_name=body.full_name)
    return _public(row, services.accounts.user_centers(row))
