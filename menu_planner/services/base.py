"""What every service shares, given to each (not inherited): the database's units of
work, the settings, the cached Dataset and the audit trail."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from menu_planner.config import Settings
from menu_planner.domain import Dataset
from menu_planner.procurement import PurchaseSettings, load_purchase_settings
from menu_planner.services.auth import Actor
from menu_planner.services.errors import Conflict, Invalid, Unavailable
from menu_planner.storage import (
    ConflictError,
    Database,
    DatabaseUnavailable,
    StoredValueError,
    UnitOfWork,
)

STALE_REVISION = "revision_desactualizada"


def check_revision(row: Any, expected: int | None, what: str) -> None:
    """Conflict unless `expected` is None or still `row`'s revision: someone saved the
    record after the person loaded it (optimistic locking; the database repeats the check
    when the change is written, so a race between this check and the write is caught)."""
    if expected is None or expected == row.revision:
        return
    who = getattr(row, "updated_by", "")
    by = f"«{who}» guardó" if who else "se guardó"
    message = (f"{what} cambió mientras usted editaba una versión anterior: {by} la "
               f"revisión {row.revision} (usted tenía la {expected}). Revise los valores "
               "guardados y repita su cambio.")
    raise Conflict(message, [{"field": "revision", "message": message,
                              "current_revision": row.revision}], code=STALE_REVISION)


class ServiceContext:
    """The database, the settings and a Dataset cached per data revision (rebuilt after
    any edit of foods, prices, recipes or targets); one per Services, given to every
    service."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._lock = threading.Lock()
        self._dataset: tuple[int, Dataset] | None = None
        self._purchase_settings: PurchaseSettings | None = None

    @contextmanager
    def unit(self) -> Iterator[UnitOfWork]:
        """One transaction; a lost race becomes a Conflict, a database that does not
        answer (or not in time) an Unavailable, each with a Spanish message."""
        try:
            with self.db.unit() as uow:
                yield uow
        except ConflictError as exc:
            raise Conflict(str(exc), code="conflicto_concurrente") from exc
        except StoredValueError as exc:
            raise Invalid(str(exc), code="valor_no_admitido") from exc
        except DatabaseUnavailable as exc:
            raise Unavailable(str(exc)) from exc

    def dataset(self, uow: UnitOfWork | None = None) -> Dataset:
        """The reference data as the core's Dataset, current with the database."""
        if uow is None:
            with self.unit() as u:
                return self.dataset(u)
        revision = uow.meta.data_revision()
        with self._lock:
            if self._dataset is not None and self._dataset[0] == revision:
                return self._dataset[1]
        ds = uow.reference.load_dataset()
        with self._lock:
            self._dataset = (revision, ds)
        return ds

    def program_names(self) -> dict[str, str]:
        """Program code -> its Spanish name (programs.csv), for what people read."""
        return {code: p.name_es for code, p in self.dataset().programs.items()}

    def purchase_settings(self) -> PurchaseSettings:
        """Attendance, waste and purchase-step settings (files under DATA_DIR/procurement,
        else the shipped ones)."""
        if self._purchase_settings is None:
            self._purchase_settings = load_purchase_settings(self.data_dir)
        return self._purchase_settings

    @property
    def data_dir(self) -> Path | None:
        return self.settings.data_dir

    def audit(self, uow: UnitOfWork, actor: Actor, action: str, entity: str,
              entity_id: object = "", **details: Any) -> None:
        """Record who did what, in the same transaction as the change."""
        uow.audit.record(actor.username, actor.role, action, entity, str(entity_id), details)
