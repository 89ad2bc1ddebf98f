"""Users and their centers, the audit trail and settlements (liquidaciones)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from menu_planner.storage.errors import ConflictError
from menu_planner.storage.models import (
    AuditRow,
    RevokedTokenRow,
    SettlementRow,
    UserCenterRow,
    UserRow,
    utcnow,
)

SETTLEMENT_RACE = ("Otra liquidación de este centro y mes se registró al mismo tiempo; "
                   "revise la lista de liquidaciones antes de registrar otra.")


class UserRepo:
    """Accounts, their centers and signed-out tokens inside one Session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: UserRow, centers: Iterable[str] = ()) -> UserRow:
        self.session.add(row)
        self.session.flush()
        self.set_centers(row, centers)
        return row

    def get(self, user_id: int) -> UserRow | None:
        return self.session.get(UserRow, user_id)

    def by_name(self, username: str) -> UserRow | None:
        return self.session.exec(select(UserRow).where(UserRow.username == username)).first()

    def find(self) -> list[UserRow]:
        return list(self.session.exec(select(UserRow).order_by(UserRow.username)))

    def save(self, row: UserRow) -> UserRow:
        self.session.add(row)
        self.session.flush()
        return row

    def centers_of(self, user_id: int) -> list[str]:
        return list(self.session.exec(select(UserCenterRow.center_id).where(
            UserCenterRow.user_id == user_id).order_by(UserCenterRow.center_id)))

    def set_centers(self, user: UserRow, centers: Iterable[str]) -> None:
        assert user.id is not None
        self.session.exec(delete(UserCenterRow).where(
            col(UserCenterRow.user_id) == user.id))
        for c in dict.fromkeys(centers):
            self.session.add(UserCenterRow(user_id=user.id, center_id=c))
        self.session.flush()

    # -- signed-out tokens ---------------------------------------------------------------
    def token_revoked(self, jti: str) -> bool:
        return self.session.get(RevokedTokenRow, jti) is not None

    def revoke_token(self, jti: str, user_id: int, expires_at: datetime) -> None:
        """Refuse token `jti` from now on; tokens past their expiry are forgotten (their
        signature check refuses them anyway)."""
        self.session.exec(delete(RevokedTokenRow).where(
            col(RevokedTokenRow.expires_at) < utcnow()))
        if self.session.get(RevokedTokenRow, jti) is None:
            self.session.add(RevokedTokenRow(jti=jti, user_id=user_id, expires_at=expires_at))
        self.session.flush()


class AuditRepo:
    """The audit trail inside one Session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, username: str, role: str, action: str, entity: str,
               entity_id: str = "", details: dict[str, Any] | None = None) -> AuditRow:
        """Add an audit event in the same transaction as the change it describes."""
        row = AuditRow(username=username, role=role, action=action, entity=entity,
                       entity_id=entity_id, details=details or {})
        self.session.add(row)
        return row

    def latest(self, action: str, entity: str,
                     entity_ids: Iterable[str]) -> dict[str, AuditRow]:
        """entity_id -> the newest event of `action` on each of `entity_ids` that has one."""
        ids = list(dict.fromkeys(entity_ids))
        out: dict[str, AuditRow] = {}
        for start in range(0, len(ids), 500):  # bounded IN lists
            q = (select(AuditRow).where(AuditRow.action == action, AuditRow.entity == entity,
                                        col(AuditRow.entity_id).in_(ids[start:start + 500]))
                 .order_by(col(AuditRow.id).desc()))
            for row in self.session.exec(q):
                out.setdefault(row.entity_id, row)
        return out

    def find(self, action: str | None = None, entity: str | None = None,
                   entity_id: str | None = None, username: str | None = None,
                   since: datetime | None = None, offset: int = 0,
                   limit: int = 100) -> tuple[list[AuditRow], int]:
        q = select(AuditRow)
        if action:
            q = q.where(AuditRow.action == action)
        if entity:
            q = q.where(AuditRow.entity == entity)
        if entity_id:
            q = q.where(AuditRow.entity_id == entity_id)
        if username:
            q = q.where(AuditRow.username == username)
        if since:
            q = q.where(col(AuditRow.at) >= since)
        total = self.session.exec(select(func.count()).select_from(q.subquery())).one()
        rows = self.session.exec(q.order_by(col(AuditRow.id).desc()).offset(offset)
                                 .limit(limit))
        return list(rows), int(total)



class SettlementRepo:
    """Settlements (liquidaciones) inside one Session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: SettlementRow) -> SettlementRow:
        """Store a settlement as the current one of its center and month; the one it
        replaces is kept, no longer current, and linked to it. Two settlements racing
        for the same center and month cannot both win: the earlier one is taken off only
        if it is still current (a conditional UPDATE), and a unique index allows one
        current row; the loser gets ConflictError."""
        previous = self.current(row.center_id, row.month)
        if previous is not None:
            done = cast(CursorResult[Any], self.session.execute(
                update(SettlementRow)
                .where(col(SettlementRow.id) == previous.id, col(SettlementRow.is_current))
                .values(is_current=False)))
            if done.rowcount != 1:
                raise ConflictError(SETTLEMENT_RACE)
        row.is_current = True
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError as exc:
            raise ConflictError(SETTLEMENT_RACE) from exc
        if previous is not None:
            self.session.execute(update(SettlementRow).where(
                col(SettlementRow.id) == previous.id).values(superseded_by_id=row.id))
        return row

    def current(self, center_id: str, month: str) -> SettlementRow | None:
        return self.session.exec(select(SettlementRow).where(
            SettlementRow.center_id == center_id, SettlementRow.month == month,
            col(SettlementRow.is_current))).first()

    def get(self, settlement_id: int) -> SettlementRow | None:
        return self.session.get(SettlementRow, settlement_id)

    def find(self, center_ids: Iterable[str] | None = None,
                         month: str | None = None, offset: int = 0,
                         limit: int = 100) -> tuple[list[SettlementRow], int]:
        q = select(SettlementRow)
        if center_ids is not None:
            q = q.where(col(SettlementRow.center_id).in_(list(center_ids)))
        if month:
            q = q.where(SettlementRow.month == month)
        total = self.session.exec(select(func.count()).select_from(q.subquery())).one()
        rows = self.session.exec(q.order_by(col(SettlementRow.id).desc()).offset(offset)
                                 .limit(limit))
        return list(rows), int(total)
