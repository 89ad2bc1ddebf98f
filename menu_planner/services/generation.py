"""Use cases about background jobs: a cycle generation is queued, run on a worker thread
(never in the event loop), and polled; the job lifecycle (queued, running with throttled
progress, succeeded or failed with a Spanish message) is shared with the derivation of
special menus (services.variants, which is given this service)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from menu_planner.domain import Dataset
from menu_planner.services.auth import ADMIN, NUTRITIONIST, Actor
from menu_planner.services.base import ServiceContext
from menu_planner.services.cycles import (
    MAX_CYCLE_DAYS,
    CycleService,
    GenerateParams,
    PlanFailed,
    Planner,
)
from menu_planner.services.errors import Invalid, NotFound
from menu_planner.services.jobs import JobRunner, ProgressFn, Throttle
from menu_planner.services.records import JobRecord, record, records
from menu_planner.storage import UnitOfWork
from menu_planner.storage.models import JobRow, utcnow
from menu_planner.storage.repo_cycles import JOB_FAILED, JOB_QUEUED, JOB_RUNNING, JOB_SUCCEEDED

GENERATE = "generar_ciclo"


class JobService:
    """Generation jobs, and the job lifecycle other background use cases reuse."""

    def __init__(self, ctx: ServiceContext, runner: JobRunner, planner: Planner,
                 cycles: CycleService) -> None:
        self.ctx = ctx
        self.runner = runner
        self.planner = planner
        self.cycles = cycles

    # -- the lifecycle of any job --------------------------------------------------------
    def queue(self, uow: UnitOfWork, actor: Actor, kind: str,
              params: dict[str, Any]) -> JobRow:
        """A new queued job in `uow`'s transaction (submit it once that commits)."""
        return uow.jobs.add(JobRow(id=str(uuid.uuid4()), kind=kind, status=JOB_QUEUED,
                                   message="En cola", params=params,
                                   created_by=actor.username))

    def submit(self, job_id: str, run: Callable[[str, Actor], None], actor: Actor) -> None:
        """Run `run(job_id, actor)` on a worker thread."""
        self.runner.submit(job_id, run, job_id, actor)

    @staticmethod
    def started(uow: UnitOfWork, job_id: str) -> JobRow | None:
        """Mark a queued job running; None when it no longer exists."""
        return uow.jobs.update(job_id, status=JOB_RUNNING, started_at=utcnow(),
                               message="Preparando los datos")

    def progress(self, job_id: str) -> ProgressFn:
        """Writes a running job's progress to its row, throttled."""
        def progress(fraction: float, message: str) -> None:
            with self.ctx.unit() as uow:
                uow.jobs.update(job_id, progress=round(fraction, 4), message=message[:500])

        return Throttle(progress)

    @staticmethod
    def succeeded(uow: UnitOfWork, job_id: str, message: str, **result: Any) -> None:
        """Mark a job done, with what it produced (cycle_id or variant_id)."""
        uow.jobs.update(job_id, status=JOB_SUCCEEDED, progress=1.0, message=message,
                        finished_at=utcnow(), **result)

    def failed(self, job_id: str, code: str, message: str,
               details: list[dict[str, Any]]) -> None:
        """Mark a job failed with a Spanish message and its details."""
        with self.ctx.unit() as uow:
            uow.jobs.update(job_id, status=JOB_FAILED, message=message, finished_at=utcnow(),
                            error={"code": code, "message": message, "details": details})

    def get(self, actor: Actor, job_id: str) -> JobRecord:
        with self.ctx.unit() as uow:
            job = uow.jobs.get(job_id)
        if job is None:
            raise NotFound(f"No existe el trabajo '{job_id}'.")
        return record(JobRecord, job)

    def find(self, actor: Actor, offset: int = 0,
             limit: int = 50) -> tuple[list[JobRecord], int]:
        actor.require(NUTRITIONIST, ADMIN, action="ver los trabajos de generación")
        with self.ctx.unit() as uow:
            rows, total = uow.jobs.find(None, offset, limit)
        return records(JobRecord, rows), total

    # -- cycle generation ----------------------------------------------------------------
    def start_generation(self, actor: Actor, params: GenerateParams) -> JobRecord:
        """Queue a cycle generation and return its job at once; poll `get()`."""
        actor.require(NUTRITIONIST, ADMIN, action="generar ciclos de menú")
        if params.time_limit_s is None and self.ctx.settings.solver_time_limit_s is not None:
            params = replace(params, time_limit_s=self.ctx.settings.solver_time_limit_s)
        self.cycles.quality_standard()  # a broken rules file refuses the request up front
        with self.ctx.unit() as uow:
            self._check_params(self.ctx.dataset(uow), params)
            job = self.queue(uow, actor, GENERATE, params.__dict__)
            self.ctx.audit(uow, actor, "solicitar_generacion", "trabajo", job.id,
                           **params.__dict__)
        self.submit(job.id, self._run_generation, actor)
        return record(JobRecord, job)

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

    def _run_generation(self, job_id: str, actor: Actor) -> None:
        with self.ctx.unit() as uow:
            job = self.started(uow, job_id)
            if job is None:
                return
            params = GenerateParams(**job.params)
            ds = self.ctx.dataset(uow)
        try:
            cycle = self.planner(ds, params, self.progress(job_id))
        except PlanFailed as exc:
            self.failed(job_id, "sin_solucion", exc.message, exc.details)
            return
        except Exception as exc:
            self.failed(job_id, "error_interno", "El optimizador falló de forma "
                        "inesperada; avise al equipo técnico.", [{"error": repr(exc)}])
            raise
        with self.ctx.unit() as uow:
            row = self.cycles.store_draft(uow, actor, ds, cycle, params.name, None)
            self.succeeded(uow, job_id, "Ciclo generado", cycle_id=row.id)
            self.ctx.audit(uow, actor, "generar_ciclo", "ciclo", row.id, job_id=job_id,
                           program=cycle.program)
