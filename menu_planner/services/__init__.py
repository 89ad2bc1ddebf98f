"""Use cases the adapters (web API, pages, command line) call. They take an Actor (who is
acting), check what that person may do, run the pure core, and keep the database
consistent: each use case is one transaction, and an audit event is written with it."""

from __future__ import annotations

from functools import partial

from menu_planner.config import Settings
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
from menu_planner.services.centers import CenterService
from menu_planner.services.cycles import GenerateParams, PlanFailed, Planner
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
from menu_planner.services.jobs import JobRunner
from menu_planner.services.people import PeopleService
from menu_planner.services.planner import optimizer_planner
from menu_planner.services.reference import ReferenceService
from menu_planner.services.rendering import Rendered
from menu_planner.storage import Database
from menu_planner.storage.seed import seed_if_empty, seed_rules_if_missing


class Services(PeopleService, ReferenceService, CenterService, ExchangeService,
               FinanceService):
    """Every use case of the service, sharing one database and one job runner."""

    def __init__(self, db: Database, settings: Settings, planner: Planner | None = None,
                 runner: JobRunner | None = None) -> None:
        super().__init__(db, settings)
        self.runner = runner or JobRunner(settings.job_workers)
        self.planner = planner or partial(optimizer_planner, data_dir=settings.data_dir)

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
        with self.unit() as repo:
            repo.fail_unfinished_jobs("El servicio se reinició mientras el trabajo estaba "
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
