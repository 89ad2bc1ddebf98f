"""Menu cycles (drafts and signed versions) and background jobs in the database."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from menu_planner.storage.models import CycleRow, CycleVariantRow, JobRow, utcnow

DRAFT, APPROVED, SUPERSEDED = "draft", "approved", "superseded"
JOB_QUEUED, JOB_RUNNING, JOB_SUCCEEDED, JOB_FAILED = "queued", "running", "succeeded", "failed"
UNFINISHED = (JOB_QUEUED, JOB_RUNNING)


class CycleRepo:
    """Menu cycles (drafts, signed versions) inside one Session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: CycleRow) -> CycleRow:
        self.session.add(row)
        self.session.flush()
        return row

    def get(self, cycle_id: int, for_update: bool = False) -> CycleRow | None:
        q = select(CycleRow).where(CycleRow.id == cycle_id)
        if for_update:
            q = q.with_for_update()
        return self.session.exec(q).first()

    def find(self, program: str | None = None, status: str | None = None,
                    offset: int = 0, limit: int = 100) -> tuple[list[CycleRow], int]:
        q = select(CycleRow)
        if program:
            q = q.where(CycleRow.program == program)
        if status:
            q = q.where(CycleRow.status == status)
        total = self.session.exec(select(func.count()).select_from(q.subquery())).one()
        rows = self.session.exec(q.order_by(col(CycleRow.id).desc()).offset(offset)
                                 .limit(limit))
        return list(rows), int(total)

    def current(self, program: str) -> CycleRow | None:
        """The newest approved version of a program's cycle (None if none is signed)."""
        return self.session.exec(select(CycleRow).where(
            CycleRow.program == program, CycleRow.status == APPROVED)
            .order_by(col(CycleRow.version).desc())).first()

    def approve(self, row: CycleRow, username: str, start_date: date) -> CycleRow:
        """Sign a draft: it gets the program's next version number and the version it
        replaces is marked superseded (kept, never deleted). The unique (program, version)
        constraint makes two simultaneous approvals fail rather than share a number."""
        last = self.session.exec(select(func.max(CycleRow.version)).where(
            CycleRow.program == row.program)).one()
        previous = self.current(row.program)
        row.version = int(last or 0) + 1
        row.status, row.approved_by, row.approved_at = APPROVED, username, utcnow()
        row.start_date = start_date
        row.updated_by, row.updated_at = username, utcnow()
        self.session.add(row)
        self.session.flush()
        if previous is not None and previous.id != row.id:
            previous.status, previous.superseded_by_id = SUPERSEDED, row.id
            self.session.add(previous)
            self.session.flush()
        return row

    def save(self, row: CycleRow, username: str) -> CycleRow:
        row.updated_by, row.updated_at = username, utcnow()
        row.revision += 1
        self.session.add(row)
        self.session.flush()
        return row



class VariantRepo:
    """Special-menu variants derived from cycles inside one Session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def of_cycle(self, cycle_id: int) -> list[CycleVariantRow]:
        """The variants derived from a cycle, newest first."""
        return list(self.session.exec(select(CycleVariantRow).where(
            CycleVariantRow.cycle_id == cycle_id).order_by(col(CycleVariantRow.id).desc())))

    def get(self, variant_id: int) -> CycleVariantRow | None:
        return self.session.get(CycleVariantRow, variant_id)

    def add(self, row: CycleVariantRow) -> CycleVariantRow:
        self.session.add(row)
        self.session.flush()
        return row


class JobRepo:
    """Background jobs (generation, derivation) inside one Session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: JobRow) -> JobRow:
        self.session.add(row)
        self.session.flush()
        return row

    def get(self, job_id: str) -> JobRow | None:
        return self.session.get(JobRow, job_id)

    def find(self, username: str | None = None, offset: int = 0,
                  limit: int = 50) -> tuple[list[JobRow], int]:
        q = select(JobRow)
        if username:
            q = q.where(JobRow.created_by == username)
        total = self.session.exec(select(func.count()).select_from(q.subquery())).one()
        rows = self.session.exec(q.order_by(col(JobRow.created_at).desc()).offset(offset)
                                 .limit(limit))
        return list(rows), int(total)

    def unfinished(self, kind: str, statuses: tuple[str, ...]) -> list[JobRow]:
        """Jobs of one kind in the given statuses, oldest first."""
        q = select(JobRow).where(JobRow.kind == kind, col(JobRow.status).in_(statuses))
        return list(self.session.exec(q.order_by(col(JobRow.created_at))))

    def update(self, job_id: str, **fields: Any) -> JobRow | None:
        row = self.session.get(JobRow, job_id)
        if row is None:
            return None
        for k, v in fields.items():
            setattr(row, k, v)
        self.session.add(row)
        self.session.flush()
        return row

    def fail_unfinished(self, message: str) -> int:
        """Mark jobs left queued or running by a stopped process as failed."""
        rows = list(self.session.exec(select(JobRow).where(col(JobRow.status).in_(UNFINISHED))))
        for r in rows:
            r.status, r.message, r.finished_at = JOB_FAILED, message, utcnow()
            r.error = {"code": "interrumpido", "message": message, "details": []}
            self.session.add(r)
        return len(rows)
