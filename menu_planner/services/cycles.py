"""Use cases about menu cycles: generation (a background job), drafts, signing
(approval), versions, and reading them back."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from menu_planner.domain import NATIONAL, DataError, Dataset, MenuCycle, cycle_from_dict
from menu_planner.quality import checked_standard, quality_of
from menu_planner.quality.report import QualityReport, with_quality
from menu_planner.quality.standard import QUALITY_FILE, QualityStandard
from menu_planner.services.auth import ADMIN, NUTRITIONIST, Actor
from menu_planner.services.base import ServiceBase, check_revision
from menu_planner.services.cycle_checks import cycle_document, read_cycle, summarize
from menu_planner.services.errors import Conflict, Invalid, NotFound, invalid_from
from menu_planner.services.jobs import JobRunner, ProgressFn, Throttle
from menu_planner.services.rendering import Rendered, json_document, xlsx_document
from menu_planner.spanish import long_date
from menu_planner.storage import Repository
from menu_planner.storage.models import CycleRow, JobRow, utcnow
from menu_planner.storage.repo_cycles import (
    DRAFT,
    JOB_FAILED,
    JOB_QUEUED,
    JOB_RUNNING,
    JOB_SUCCEEDED,
)

GENERATE = "generar_ciclo"


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


class CycleService(ServiceBase):
    """Menu cycles and the jobs that generate them."""

    runner: JobRunner
    planner: Planner
    _quality: QualityStandard | None = None

    # -- generation ----------------------------------------------------------------------
    def start_generation(self, actor: Actor, params: GenerateParams) -> JobRow:
        """Queue a cycle generation and return its job at once; poll `job()`."""
        actor.require(NUTRITIONIST, ADMIN, action="generar ciclos de menú")
        if params.time_limit_s is None and self.settings.solver_time_limit_s is not None:
            params = replace(params, time_limit_s=self.settings.solver_time_limit_s)
        self.quality_standard()  # a broken rules file refuses the request up front
        with self.unit() as repo:
            self._check_params(self.dataset(repo), params)
            job = repo.add_job(JobRow(id=str(uuid.uuid4()), kind=GENERATE,
                                      status=JOB_QUEUED, message="En cola",
                                      params=params.__dict__, created_by=actor.username))
            self.audit(repo, actor, "solicitar_generacion", "trabajo", job.id,
                       **params.__dict__)
        self.runner.submit(job.id, self._run_generation, job.id, actor)
        return job

    def _check_params(self, ds: Dataset, p: GenerateParams) -> None:
        problems = []
        if p.program not in ds.programs:
            problems.append({"field": "program", "message": f"Programa desconocido "
                             f"'{p.program}' (use {', '.join(sorted(ds.programs))})."})
        if p.department not in ds.price_regions:
            problems.append({"field": "department", "message": "No hay precios de "
                             f"'{p.department}' (hay: {', '.join(ds.price_regions)})."})
        if p.objective not in ("cost", "variety"):
            problems.append({"field": "objective", "message": "El objetivo debe ser 'cost' "
                             "(menor costo) o 'variety' (variedad y aceptación)."})
        cap = p.main_dish_max_per_cycle
        if cap is not None and not 1 <= cap <= MAX_CYCLE_DAYS:
            problems.append({"field": "main_dish_max_per_cycle", "message": "El tope de "
                             f"veces por plato principal debe estar entre 1 y "
                             f"{MAX_CYCLE_DAYS}."})
        for i, pin in enumerate(p.pins):
            recipe = ds.recipes.get(str(pin.get("recipe_id")))
            if recipe is None or p.program not in recipe.programs:
                problems.append({"field": f"pins[{i}].recipe_id", "message": "Plato "
                                 f"desconocido en este programa: '{pin.get('recipe_id')}'."})
            elif pin.get("slot") not in recipe.slots:
                problems.append({"field": f"pins[{i}].slot", "message": f"'{recipe.name_es}' "
                                 f"no se sirve en '{pin.get('slot')}'."})
            if not (1 <= int(pin.get("week") or 0) <= p.weeks):
                problems.append({"field": f"pins[{i}].week", "message": "La semana debe "
                                 f"estar entre 1 y {p.weeks}."})
        for i, ex in enumerate(p.exclusions):
            if str(ex.get("recipe_id")) not in ds.recipes:
                problems.append({"field": f"exclusions[{i}].recipe_id", "message": "Plato "
                                 f"desconocido: '{ex.get('recipe_id')}'."})
        if problems:
            raise Invalid("La solicitud de generación no es válida.", problems)

    def _job_progress(self, job_id: str) -> ProgressFn:
        """Writes a running job's progress to its row, throttled."""
        def progress(fraction: float, message: str) -> None:
            with self.unit() as repo:
                repo.update_job(job_id, progress=round(fraction, 4), message=message[:500])

        return Throttle(progress)

    @staticmethod
    def _job_started(repo: Repository, job_id: str) -> JobRow | None:
        """Mark a queued job running; None when it no longer exists."""
        return repo.update_job(job_id, status=JOB_RUNNING, started_at=utcnow(),
                               message="Preparando los datos")

    def _run_generation(self, job_id: str, actor: Actor) -> None:
        with self.unit() as repo:
            job = self._job_started(repo, job_id)
            if job is None:
                return
            params = GenerateParams(**job.params)
            ds = self.dataset(repo)
        try:
            cycle = self.planner(ds, params, self._job_progress(job_id))
        except PlanFailed as exc:
            self._finish_failed(job_id, "sin_solucion", exc.message, exc.details)
            return
        except Exception as exc:
            self._finish_failed(job_id, "error_interno", "El optimizador falló de forma "
                                "inesperada; avise al equipo técnico.", [{"error": repr(exc)}])
            raise
        with self.unit() as repo:
            row = self._store_draft(repo, actor, ds, cycle, params.name, None)
            repo.update_job(job_id, status=JOB_SUCCEEDED, progress=1.0, cycle_id=row.id,
                            message="Ciclo generado", finished_at=utcnow())
            self.audit(repo, actor, "generar_ciclo", "ciclo", row.id, job_id=job_id,
                       program=cycle.program)

    def _finish_failed(self, job_id: str, code: str, message: str,
                       details: list[dict[str, Any]]) -> None:
        with self.unit() as repo:
            repo.update_job(job_id, status=JOB_FAILED, message=message, finished_at=utcnow(),
                            error={"code": code, "message": message, "details": details})

    def job(self, actor: Actor, job_id: str) -> JobRow:
        with self.unit() as repo:
            job = repo.get_job(job_id)
        if job is None:
            raise NotFound(f"No existe el trabajo '{job_id}'.")
        return job

    def jobs(self, actor: Actor, offset: int = 0, limit: int = 50) -> tuple[list[JobRow], int]:
        actor.require(NUTRITIONIST, ADMIN, action="ver los trabajos de generación")
        with self.unit() as repo:
            return repo.list_jobs(None, offset, limit)

    # -- drafts, signing, versions -------------------------------------------------------
    def import_cycle(self, actor: Actor, data: Any, name: str = "") -> CycleRow:
        """Store a cycle document (e.g. written by `menu-planner plan`) as a draft."""
        actor.require(NUTRITIONIST, ADMIN, action="crear ciclos de menú")
        with self.unit() as repo:
            ds = self.dataset(repo)
            row = self._store_draft(repo, actor, ds, read_cycle(data, ds), name, None)
            self.audit(repo, actor, "importar_ciclo", "ciclo", row.id, program=row.program)
            return row

    def update_cycle(self, actor: Actor, cycle_id: int, data: Any, name: str | None = None,
                     expected_revision: int | None = None) -> CycleRow:
        """Replace a draft's menu; a signed cycle cannot change (Conflict)."""
        actor.require(NUTRITIONIST, ADMIN, action="modificar ciclos de menú")
        with self.unit() as repo:
            row = self._editable(repo, cycle_id, expected_revision)
            ds = self.dataset(repo)
            cycle = read_cycle(data, ds, program=row.program) if data is not None else None
            if cycle is not None:
                row.data, row.summary = self._document(ds, cycle), summarize(ds, cycle)
            if name is not None:
                row.name = name
            repo.save_cycle(row, actor.username)
            self.audit(repo, actor, "editar_ciclo", "ciclo", cycle_id, revision=row.revision,
                       menu_changed=cycle is not None)
            return row

    def approve(self, actor: Actor, cycle_id: int, note: str = "",
                expected_revision: int | None = None,
                start_date: date | None = None) -> CycleRow:
        """A nutritionist signs a draft: it becomes the program's next version, immutable,
        and the version it replaces is kept as superseded. `start_date` is the Monday its
        week 1 is first served (default: next Monday)."""
        actor.require(NUTRITIONIST, action="aprobar (firmar) ciclos de menú")
        start = start_date or next_monday(date.today())
        if start.weekday() != 0:
            raise Invalid("La fecha de inicio del ciclo debe ser un lunes.",
                          [{"field": "start_date", "message": f"el {long_date(start)} no es "
                            "lunes"}])
        with self.unit() as repo:
            row = self._editable(repo, cycle_id, expected_revision)
            row = repo.approve_cycle(row, actor.username, start)
            self.audit(repo, actor, "aprobar_ciclo", "ciclo", cycle_id, version=row.version,
                       program=row.program, note=note, start_date=start.isoformat(),
                       meets_targets=row.summary.get("meets_targets"))
            return row

    def new_version(self, actor: Actor, cycle_id: int, name: str = "") -> CycleRow:
        """A draft copy of a cycle, to edit and sign as the next version."""
        actor.require(NUTRITIONIST, ADMIN, action="crear versiones de ciclos")
        with self.unit() as repo:
            src = self._row(repo, cycle_id)
            ds = self.dataset(repo)
            cycle = read_cycle(src.data, ds, program=src.program)
            row = self._store_draft(repo, actor, ds, cycle, name or src.name, src.id)
            self.audit(repo, actor, "nueva_version", "ciclo", row.id, based_on=cycle_id)
            return row

    def cycle(self, cycle_id: int) -> CycleRow:
        with self.unit() as repo:
            return self._row(repo, cycle_id)

    def cycles(self, program: str | None = None, status: str | None = None,
               offset: int = 0, limit: int = 100) -> tuple[list[CycleRow], int]:
        with self.unit() as repo:
            return repo.list_cycles(program, status, offset, limit)

    def current_cycle(self, program: str) -> CycleRow:
        with self.unit() as repo:
            row = repo.current_cycle(program)
        if row is None:
            raise NotFound(f"El programa '{program}' no tiene ningún ciclo aprobado.",
                           code="sin_ciclo_aprobado")
        return row

    def render_cycle(self, cycle_id: int, fmt: str) -> Rendered:
        """A cycle as its JSON document or as a spreadsheet."""
        with self.unit() as repo:
            row = self._row(repo, cycle_id)
            ds = self.dataset(repo)
        stem = f"ciclo_{row.program}_{row.id}" + (f"_v{row.version}" if row.version else "")
        if fmt == "json":
            return json_document(row.data, stem)
        from menu_planner.export.cycle_xlsx import write_cycle_xlsx

        cycle = stored_cycle(row)
        quality = self.cycle_quality(ds, cycle)
        return xlsx_document(lambda p: write_cycle_xlsx(cycle, ds, p, data_dir=self.data_dir,
                                                        quality=quality), stem)

    def _row(self, repo: Repository, cycle_id: int) -> CycleRow:
        row = repo.get_cycle(cycle_id)
        if row is None:
            raise NotFound(f"No existe el ciclo {cycle_id}.")
        return row

    def _editable(self, repo: Repository, cycle_id: int,
                  expected_revision: int | None) -> CycleRow:
        row = repo.get_cycle(cycle_id, for_update=True)
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
                self._quality = checked_standard(self.dataset(), self.data_dir)
            except DataError as exc:
                raise invalid_from(exc, "Las reglas de calidad del menú "
                                        f"({QUALITY_FILE}) tienen problemas.") from exc
        return self._quality

    def cycle_quality(self, ds: Dataset, cycle: MenuCycle) -> QualityReport:
        """The cycle checked against the menu-quality standard (docs/menu-quality.md)."""
        return quality_of(cycle, ds, self.data_dir, self.quality_standard())

    def _document(self, ds: Dataset, cycle: MenuCycle) -> dict[str, Any]:
        """The stored JSON of a cycle: the contract's form and its `quality` section."""
        return with_quality(cycle_document(cycle), self.cycle_quality(ds, cycle))

    def _store_draft(self, repo: Repository, actor: Actor, ds: Dataset, cycle: MenuCycle,
                     name: str, based_on: int | None) -> CycleRow:
        return repo.add_cycle(CycleRow(
            program=cycle.program, name=name, status=DRAFT, data=self._document(ds, cycle),
            summary=summarize(ds, cycle), based_on_id=based_on, created_by=actor.username,
            updated_by=actor.username))


def stored_cycle(row: CycleRow) -> MenuCycle:
    """The domain cycle of a stored row."""
    return cycle_from_dict(row.data, f"ciclo {row.id}")


def next_monday(day: date) -> date:
    """The first Monday after `day` (a week later when `day` is a Monday)."""
    return day + timedelta(days=7 - day.weekday())
