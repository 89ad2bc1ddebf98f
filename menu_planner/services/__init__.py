"""Use cases the adapters (web API, pages, command line) call. They take an Actor (who is
acting), check what that person may do, run the pure core, and keep the database
consistent: each use case is one transaction, and an audit event is written with it."""

from __future__ import annotations

from functools import partial

from menu_planner.config import Settings
from menu_planner.services.accounts import AccountService
from menu_planner.services.auth import (
    ADMIN,
    CENTER_ADMIN,
    FINANCE,
    NUTRITIONIST,
    ROLE_LABELS_ES,
    ROLES,
    SYSTEM,
    Actor,
)
from menu_planner.services.base import ServiceContext
from menu_planner.services.centers import CenterService
from menu_planner.services.cycles import CycleService, GenerateParams, PlanFailed, Planner
from menu_planner.services.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    ServiceError,
    TooLarge,
    Unavailable,
)
from menu_planner.services.exchanges import ExchangeService
from menu_planner.services.finance import FinanceService, ReceiptIn
from menu_planner.services.generation import JobService
from menu_planner.services.jobs import JobRunner
from menu_planner.services.planner import optimizer_planner
from menu_planner.services.procurement import ProcurementService
from menu_planner.services.reference import ReferenceService
from menu_planner.services.rendering import Rendered
from menu_planner.services.variants import VariantService
from menu_planner.storage import Database
from menu_planner.storage.seed import seed_if_empty, seed_rules_if_missing


class Services:
    """One small service per area, reached as attributes and sharing one context (the
    database's units of work, the settings, the cached Dataset). A service that needs
    another is given it when built here; none inherits from another."""

    def __init__(self, db: Database, settings: Settings, planner: Planner | None = None,
                 runner: JobRunner | None = None) -> None:
        self.db = db
        self.settings = settings
        self.runner = runner or JobRunner(settings.job_workers)
        self.planner = planner or partial(optimizer_planner, data_dir=settings.data_dir)
        ctx = ServiceContext(db, settings)
        self.accounts = AccountService(ctx)
        self.reference = ReferenceService(ctx)
        self.centers = CenterService(ctx)
        self.cycles = CycleService(ctx)
        self.jobs = JobService(ctx, self.runner, self.planner, self.cycles)
        self.variants = VariantService(ctx, self.cycles, self.jobs)
        self.procurement = ProcurementService(ctx, self.variants)
        self.exchanges = ExchangeService(ctx, self.procurement, self.variants)
        self.finance = FinanceService(ctx)
        self.ctx = ctx  # the shared context (tests open units of work through it)

    def prepare(self) -> bool:
        """Migrate the schema and seed an empty database; True if it seeded."""
        self.db.upgrade()
        seeded = seed_if_empty(self.db, self.settings.data_dir, self.settings.centers_file)
        seed_rules_if_missing(self.db, self.settings.data_dir)
        return seeded

    def start(self) -> None:
        """Prepare the database and fail the jobs a stopped server left unfinished (call
        once per server process, before it takes requests)."""
        self.prepare()
        with self.ctx.unit() as uow:
            uow.jobs.fail_unfinished("El servicio se reinició mientras el trabajo estaba "
                                     "en curso; vuelva a solicitarlo.")

    def close(self) -> None:
        """Stop the workers (waiting for running jobs) and close connections."""
        self.runner.shutdown(wait=True)
        self.db.dispose()


def create_services(settings: Settings, planner: Planner | None = None) -> Services:
    """Services on the database the settings name (not started: call `start()`)."""
    return Services(Database(settings.database_url, timeout_s=settings.db_timeout_s),
                    settings, planner)


__all__ = [
    "ADMIN",
    "CENTER_ADMIN",
    "FINANCE",
    "NUTRITIONIST",
    "ROLES",
    "ROLE_LABELS_ES",
    "SYSTEM",
    "Actor",
    "Conflict",
    "Forbidden",
    "GenerateParams",
    "Invalid",
    "NotFound",
    "PlanFailed",
    "ReceiptIn",
    "Rendered",
    "ServiceError",
    "Services",
    "TooLarge",
    "Unavailable",
    "create_services",
]
