"""Use cases about users (sign-in, accounts, centers assigned) and the audit trail."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from menu_planner.services.auth import (
    ADMIN,
    CENTER_ADMIN,
    FINANCE,
    ROLES,
    Actor,
    hash_password,
    password_problem,
    verify_password,
)
from menu_planner.services.base import ServiceContext
from menu_planner.services.errors import Conflict, Invalid, NotFound
from menu_planner.services.login_guard import LoginGuard
from menu_planner.services.records import AuditRecord, UserRecord, record, records
from menu_planner.storage import UnitOfWork
from menu_planner.storage.models import UserRow, utcnow

USERNAME_RE = re.compile(r"^[A-Za-z0-9._@-]{3,80}$")


class AccountService:
    """Accounts, sign-in and the audit trail."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.login_guard = LoginGuard(ctx.settings)

    def sign_in(self, username: str, password: str, client: str) -> Actor | None:
        """The actor whose name and password match, if the account is active; None
        otherwise (audited). TooManyAttempts, before the password is hashed, when the
        account or the client address has failed too often (audited once per block)."""
        guard = self.login_guard
        block = guard.blocked(username, client)
        if block is not None:
            if guard.first_report(block):
                self._audit_sign_in(username, "inicio_sesion_limitado", client=client,
                                    limite=block.scope)
            raise block.error()
        with guard.hashing_slot():
            actor, reason = self.authenticate(username, password)
        if actor is None:
            guard.failed(username, client)
            self._audit_sign_in(username, "inicio_sesion_fallido", client=client,
                                motivo=reason)
            return None
        self._audit_sign_in(actor.username, "inicio_sesion", client=client, role=actor.role)
        return actor

    def authenticate(self, username: str, password: str) -> tuple[Actor | None, str]:
        """The actor whose name and password match, if the account is active, else
        None and why (for the audit trail only: the person is told nothing more). The
        hash is checked outside the transaction, which holds no connection meanwhile."""
        with self.ctx.unit() as uow:
            user = uow.users.by_name(username)
        ok = verify_password(password, user.password_hash if user else None)
        if user is None or user.id is None:
            return None, "usuario inexistente"
        if not ok:
            return None, "contraseña incorrecta"
        if not user.active:
            return None, "cuenta desactivada"
        return self.actor_for(user.id), ""

    def actor_for(self, user_id: int, token_id: str | None = None,
                  issued_at: datetime | None = None) -> Actor | None:
        """The actor of an active account (None if it was removed or deactivated, if
        `token_id` names a token that was signed out, or if the token was `issued_at`
        before the account's password last changed)."""
        with self.ctx.unit() as uow:
            if token_id is not None and uow.users.token_revoked(token_id):
                return None
            user = uow.users.get(user_id)
            if user is None or not user.active:
                return None
            if issued_at is not None and issued_at < _utc(user.sessions_since):
                return None
            return Actor(user_id, user.username, user.role,
                         frozenset(uow.users.centers_of(user_id)))

    def full_name(self, user_id: int) -> str:
        """An account's full name ("" when it has none or no longer exists)."""
        with self.ctx.unit() as uow:
            user = uow.users.get(user_id)
            return user.full_name if user else ""

    def sign_out(self, actor: Actor, token_id: str, expires_at: datetime,
                 client: str = "") -> None:
        """End one session token now (it stays refused until it would have expired)."""
        with self.ctx.unit() as uow:
            uow.users.revoke_token(token_id, actor.user_id, expires_at)
            self.ctx.audit(uow, actor, "cierre_sesion", "sesion", actor.username, client=client)

    def _audit_sign_in(self, username: str, action: str, role: str = "",
                       **details: str) -> None:
        with self.ctx.unit() as uow:
            uow.audit.record(username[:80], role, action, "sesion", username[:80], details)

    def add_user(self, actor: Actor, username: str, role: str, password: str,
                 centers: Sequence[str] = (), full_name: str = "") -> UserRecord:
        """Create an account; a center administrator needs at least one center."""
        actor.require(ADMIN, action="crear usuarios")
        with self.ctx.unit() as uow:
            self._check_user(uow, username, role, centers)
            problem = password_problem(password)
            if problem:
                raise Invalid(problem, [{"field": "password", "message": problem}])
            if uow.users.by_name(username) is not None:
                raise Conflict(f"Ya existe el usuario '{username}'.", code="usuario_existe")
            user = uow.users.add(UserRow(username=username, role=role, full_name=full_name,
                                         password_hash=hash_password(password)), centers)
            self.ctx.audit(uow, actor, "crear_usuario", "usuario", username, role=role,
                           centers=list(centers))
            return record(UserRecord, user)

    def update_user(self, actor: Actor, username: str, *, role: str | None = None,
                    centers: Sequence[str] | None = None, active: bool | None = None,
                    password: str | None = None, full_name: str | None = None) -> UserRecord:
        """Change an account's role, centers, state, password or name."""
        actor.require(ADMIN, action="modificar usuarios")
        with self.ctx.unit() as uow:
            user = uow.users.by_name(username)
            if user is None:
                raise NotFound(f"No existe el usuario '{username}'.")
            new_role = role or user.role
            new_centers = (list(centers) if centers is not None
                           else uow.users.centers_of(user.id or 0))
            self._check_user(uow, username, new_role, new_centers)
            if password is not None:
                problem = password_problem(password)
                if problem:
                    raise Invalid(problem, [{"field": "password", "message": problem}])
                user.password_hash = hash_password(password)
                user.sessions_since = utcnow()  # every session of the old one ends
            user.role = new_role
            user.active = user.active if active is None else active
            user.full_name = user.full_name if full_name is None else full_name
            uow.users.save(user)
            uow.users.set_centers(user, new_centers if new_role == CENTER_ADMIN else [])
            self.ctx.audit(uow, actor, "modificar_usuario", "usuario", username,
                           role=new_role, centers=new_centers, active=user.active,
                           password_changed=password is not None)
            return record(UserRecord, user)

    def list_users(self, actor: Actor) -> list[tuple[UserRecord, list[str]]]:
        """Every account with its centers."""
        actor.require(ADMIN, action="ver los usuarios")
        with self.ctx.unit() as uow:
            return [(record(UserRecord, u), uow.users.centers_of(u.id or 0))
                    for u in uow.users.find()]

    def user_centers(self, user: UserRecord) -> list[str]:
        with self.ctx.unit() as uow:
            return uow.users.centers_of(user.id or 0)

    def audit_trail(self, actor: Actor, *, action: str | None = None,
                    entity: str | None = None, entity_id: str | None = None,
                    username: str | None = None, since: datetime | None = None,
                    offset: int = 0, limit: int = 100) -> tuple[list[AuditRecord], int]:
        """Audit events, newest first (administrators and the financial unit)."""
        actor.require(ADMIN, FINANCE, action="ver la bitácora de auditoría")
        with self.ctx.unit() as uow:
            rows, total = uow.audit.find(action, entity, entity_id, username, since, offset,
                                         limit)
        return records(AuditRecord, rows), total

    def _check_user(self, uow: UnitOfWork, username: str, role: str,
                    centers: Sequence[str]) -> None:
        problems: list[dict[str, str]] = []
        if not USERNAME_RE.match(username):
            problems.append({"field": "username", "message": "El nombre de usuario debe tener "
                             "de 3 a 80 letras sin tilde, números o . _ @ -"})
        if role not in ROLES:
            problems.append({"field": "role", "message": f"Rol desconocido '{role}' (use "
                             f"{', '.join(ROLES)})."})
        if role == CENTER_ADMIN and not centers:
            problems.append({"field": "centers", "message": "Un administrador de centro "
                             "necesita al menos un centro asignado."})
        if role != CENTER_ADMIN and centers:
            problems.append({"field": "centers", "message": "Solo a un administrador de "
                             "centro se le asignan centros."})
        known = {c.center_id for c in uow.centers.find(ids=centers)} if centers else set()
        problems += [{"field": "centers", "message": f"Centro desconocido '{c}'."}
                     for c in centers if c not in known]
        if problems:
            raise Invalid("Los datos del usuario no son válidos.", problems)


def _utc(moment: datetime | None) -> datetime:
    """`moment` in UTC (SQLite hands it back naive); the epoch when None."""
    if moment is None:
        return datetime.fromtimestamp(0, UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
