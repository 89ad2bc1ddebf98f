"""Use cases about menu cycles: generation (a background job), drafts, signing
(approval), versions, and reading them back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from menu_planner.domain import NATIONAL, DataError, Dataset, MenuCycle, cycle_from_dict
from menu_planner.quality import checked_standard, quality_of
from menu_planner.quality.report import QualityReport, with_quality
from menu_planner.quality.standard import QUALITY_FILE, QualityStandard
from menu_planner.services.auth import ADMIN, NUTRITIONIST, Actor
from menu_planner.services.base import ServiceContext, check_revision
from menu_planner.services.cycle_checks import cycle_document, read_cycle, summarize
from menu_planner.services.errors import Conflict, Invalid, NotFound, invalid_from
from menu_planner.services.jobs import ProgressFn
from menu_planner.services.records import AuditRecord, CycleRecord, record, records
from menu_planner.services.rendering import Rendered, json_document, xlsx_document
from menu_planner.spanish import long_date
from menu_planner.storage import UnitOfWork
from menu_planner.storage.models import CycleRow
from menu_planner.storage.repo_cycles import (
    DRAFT,
)


@dataclass(frozen=True)
class GenerateParams:
    """What a nutritionist asks the optimizer for."""

    program: str
    weeks: int = 6
    department: str = NATIONAL
    budget_q: float | None = None
    time_limit_s: float | None = None
    name: str = ""
    objective: str = "cost"  # "cost" or "variety"
    # each main dish at most this many days in the cycle (None: the data's rules only)
    main_dish_max_per_cycle: int | None = None
    # Pins {recipe_id, week, weekday, slot} and exclusions {recipe_id, weeks}: plain dicts,
    # because job parameters are stored as JSON.
    pins: list[dict[str, Any]] = field(default_factory=list)
    exclusions: list[dict[str, Any]] = field(default_factory=list)


MAX_CYCLE_DAYS = 84  # 12 weeks of 7 days: the most days a cycle can have


class PlanFailed(Exception):
    """No cycle was produced: `message` (Spanish) and `details` say why (diagnosis)."""

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


Planner = Callable[[Dataset, GenerateParams, ProgressFn], MenuCycle]


class CycleService:
    """Menu cycles: drafts, signing (approval), versions, reading them back, and their
    quality against the menu-quality standard."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self._quality: QualityStandard | None = None

    # -- drafts, signing, versions -------------------------------------------------------
    def import_cycle(self, actor: Actor, data: Any, name: str = "") -> CycleRecord:
        """Store a cycle document (e.g. written by `menu-planner plan`) as a draft."""
        actor.require(NUTRITIONIST, ADMIN, action="crear ciclos de menú")
        with self.ctx.unit() as uow:
            ds = self.ctx.dataset(uow)
            row = self.store_draft(uow, actor, ds, read_cycle(data, ds), name, None)
            self.ctx.audit(uow, actor, "importar_ciclo", "ciclo", row.id, program=row.program)
            return record(CycleRecord, row)

    def update_cycle(self, actor: Actor, cycle_id: int, data: Any, name: str | None = None,
                     expected_revision: int | None = None) -> CycleRecord:
        """Replace a draft's menu; a signed cycle cannot change (Conflict)."""
        actor.require(NUTRITIONIST, ADMIN, action="modificar ciclos de menú")
        with self.ctx.unit() as uow:
            row = self._editable(uow, cycle_id, expected_revision)
            ds = self.ctx.dataset(uow)
            cycle = read_cycle(data, ds, program=row.program) if data is not None else None
            if cycle is not None:
                row.data, row.summary = self._document(ds, cycle), summarize(ds, cycle)
            if name is not None:
                row.name = name
            uow.cycles.save(row, actor.username)
            self.ctx.audit(uow, actor, "editar_ciclo", "ciclo", cycle_id, revision=row.revision,
                           menu_changed=cycle is not None)
            return record(CycleRecord, row)

    def approve(self, actor: Actor, cycle_id: int, note: str = "",
                expected_revision: int | None = None,
                start_date: date | None = None) -> CycleRecord:
        """A nutritionist signs a draft: it becomes the program's next version, immutable,
        and the version it replaces is kept as superseded. `start_date` is the Monday its
        week 1 is first served (default: next Monday)."""
        actor.require(NUTRITIONIST, action="aprobar (firmar) ciclos de menú")
        start = start_date or next_monday(date.today())
        if start.weekday() != 0:
            raise Invalid("La fecha de inicio del ciclo debe ser un lunes.",
                          [{"field": "start_date", "message": f"el {long_date(start)} no es "
                            "lunes"}])
        with self.ctx.unit() as uow:
            row = self._editable(uow, cycle_id, expected_revision)
            row = uow.cycles.approve(row, actor.username, start)
            self.ctx.audit(uow, actor, "aprobar_ciclo", "ciclo", cycle_id, version=row.version,
                           program=row.program, note=note, start_date=start.isoformat(),
                           meets_targets=row.summary.get("meets_targets"))
            return record(CycleRecord, row)

    def new_version(self, actor: Actor, cycle_id: int, name: str = "") -> CycleRecord:
        """A draft copy of a cycle, to edit and sign as the next version."""
        actor.require(NUTRITIONIST, ADMIN, action="crear versiones de ciclos")
        with self.ctx.unit() as uow:
            src = self.row(uow, cycle_id)
            ds = self.ctx.dataset(uow)
            cycle = read_cycle(src.data, ds, program=src.program)
            row = self.store_draft(uow, actor, ds, cycle, name or src.name, src.id)
            self.ctx.audit(uow, actor, "nueva_version", "ciclo", row.id, based_on=cycle_id)
            return record(CycleRecord, row)

    def get(self, cycle_id: int) -> CycleRecord:
        with self.ctx.unit() as uow:
            return record(CycleRecord, self.row(uow, cycle_id))

    def find(self, program: str | None = None, status: str | None = None,
             offset: int = 0, limit: int = 100) -> tuple[list[CycleRecord], int]:
        with self.ctx.unit() as uow:
            rows, total = uow.cycles.find(program, status, offset, limit)
        return records(CycleRecord, rows), total

    def current_cycle(self, program: str) -> CycleRecord:
        with self.ctx.unit() as uow:
            row = uow.cycles.current(program)
        if row is None:
            raise NotFound(f"El programa '{program}' no tiene ningún ciclo aprobado.",
                           code="sin_ciclo_aprobado")
        return record(CycleRecord, row)

    def current_or_none(self, program: str) -> CycleRecord | None:
        """The program's signed version in force, None when it has none."""
        with self.ctx.unit() as uow:
            row = uow.cycles.current(program)
        return None if row is None else record(CycleRecord, row)

    def history(self, cycle_id: int, limit: int = 50) -> tuple[list[AuditRecord],
                                                               list[AuditRecord]]:
        """What the audit trail says about a cycle: the events on it (newest first, at
        most `limit`), and the drafts created from it as new versions. Anyone who may
        see the cycle may read its history (the full trail is for administration)."""
        with self.ctx.unit() as uow:
            rows, _ = uow.audit.find(entity="ciclo", entity_id=str(cycle_id), limit=limit)
            based, _ = uow.audit.find(action="nueva_version", limit=1000)
        return (records(AuditRecord, rows),
                records(AuditRecord, [r for r in based
                                      if str(r.details.get("based_on")) == str(cycle_id)]))

    def render_cycle(self, cycle_id: int, fmt: str) -> Rendered:
        """A cycle as its JSON document or as a spreadsheet."""
        with self.ctx.unit() as uow:
            row = self.row(uow, cycle_id)
            ds = self.ctx.dataset(uow)
        stem = f"ciclo_{row.program}_{row.id}" + (f"_v{row.version}" if row.version else "")
        if fmt == "json":
            return json_document(row.data, stem)
        from menu_planner.export.cycle_xlsx import write_cycle_xlsx

        cycle = stored_cycle(row)
        quality = self.quality(ds, cycle)
        return xlsx_document(lambda p: write_cycle_xlsx(cycle, ds, p, data_dir=self.ctx.data_dir,
                                                        quality=quality), stem)

    def row(self, uow: UnitOfWork, cycle_id: int) -> CycleRow:
        row = uow.cycles.get(cycle_id)
        if row is None:
            raise NotFound(f"No existe el ciclo {cycle_id}.")
        return row

    def _editable(self, uow: UnitOfWork, cycle_id: int,
                  expected_revision: int | None) -> CycleRow:
        row = uow.cycles.get(cycle_id, for_update=True)
        if row is None:
            raise NotFound(f"No existe el ciclo {cycle_id}.")
        if row.status != DRAFT:
            raise Conflict(f"El ciclo {cycle_id} ya fue aprobado (versión {row.version}, "
                           f"firmado por {row.approved_by}) y no se puede modificar; cree "
                           "una nueva versión a partir de él.", code="ciclo_aprobado")
        check_revision(row, expected_revision, f"El ciclo {cycle_id}")
        return row

    def quality_standard(self) -> QualityStandard:
        """The menu-quality standard of DATA_DIR (else the shipped one), checked against
        the reference data once; Invalid naming every wrong line of the rules file."""
        if self._quality is None:
            try:
                self._quality = checked_standard(self.ctx.dataset(), self.ctx.data_dir)
            except DataError as exc:
                raise invalid_from(exc, "Las reglas de calidad del menú "
                                        f"({QUALITY_FILE}) tienen problemas.") from exc
        return self._quality

    def quality(self, ds: Dataset, cycle: MenuCycle) -> QualityReport:
        """The cycle checked against the menu-quality standard (docs/menu-quality.md)."""
        return quality_of(cycle, ds, self.ctx.data_dir, self.quality_standard())

    def _document(self, ds: Dataset, cycle: MenuCycle) -> dict[str, Any]:
        """The stored JSON of a cycle: the contract's form and its `quality` section."""
        return with_quality(cycle_document(cycle), self.quality(ds, cycle))

    def store_draft(self, uow: UnitOfWork, actor: Actor, ds: Dataset, cycle: MenuCycle,
                    name: str, based_on: int | None) -> CycleRow:
        return uow.cycles.add(CycleRow(
            program=cycle.program, name=name, status=DRAFT, data=self._document(ds, cycle),
            summary=summarize(ds, cycle), based_on_id=based_on, created_by=actor.username,
            updated_by=actor.username))


def stored_cycle(row: CycleRow | CycleRecord) -> MenuCycle:
    """The domain cycle of a stored row."""
    return cycle_from_dict(row.data, f"ciclo {row.id}")


def next_monday(day: date) -> date:
    """The first Monday after `day` (a week later when `day` is a Monday)."""
    return day + timedelta(days=7 - day.weekday())
