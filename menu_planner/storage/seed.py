"""First start: fill an empty database from the shipped data (or DATA_DIR)."""

from __future__ import annotations

import logging
from pathlib import Path

from menu_planner.centers import load_centers
from menu_planner.exchanges.rules import load_exchange_rules
from menu_planner.procurement import load_attendance
from menu_planner.reference_data import SHIPPED_DATA, load_dataset
from menu_planner.storage.db import Database
from menu_planner.variants.special import load_special_rules

log = logging.getLogger(__name__)


def default_centers_file(data_dir: Path | None) -> Path:
    """Where the centers to seed are looked for: DATA_DIR/centers/centers.csv."""
    return (Path(data_dir) if data_dir else SHIPPED_DATA) / "centers" / "centers.csv"


def seed_if_empty(db: Database, data_dir: Path | None = None,
                  centers_file: Path | None = None) -> bool:
    """Load foods, prices, recipes, targets (and centers, when the file exists) into a
    database that has none; True if it seeded. Invalid data raises DataError and stores
    nothing."""
    with db.unit() as uow:
        if uow.meta.is_seeded():
            return False
        ds = load_dataset(data_dir)
        path = centers_file or default_centers_file(data_dir)
        centers = load_centers(path, ds) if path.is_file() else []
        attendance = load_attendance(path) if path.is_file() else {}
        uow.reference.store_dataset(ds)
        uow.centers.upsert(centers, attendance)
        uow.audit.record("sistema", "admin", "sembrar_datos", "datos", "",
                    {"data_dir": str(data_dir or SHIPPED_DATA), "foods": len(ds.foods),
                     "recipes": len(ds.recipes), "centers": len(centers)})
        log.info("Base de datos sembrada: %d alimentos, %d recetas, %d centros",
                 len(ds.foods), len(ds.recipes), len(centers))
        return True


def seed_rules_if_missing(db: Database, data_dir: Path | None = None) -> bool:
    """Store the exchange rules, exclusions and special targets of `data_dir` (the shipped
    files by default) in a database that never had them (a new one, or one created before
    these tables existed); True if it stored them. Checked against the database's foods
    and programs: invalid rows raise DataError and store nothing."""
    with db.unit() as uow:
        if uow.rules.seeded() or not uow.meta.is_seeded():
            return False
        ds = uow.reference.load_dataset()
        rules = load_exchange_rules(ds, data_dir)
        special = load_special_rules(ds, data_dir)
        uow.rules.store(rules, special)
        uow.audit.record("sistema", "admin", "sembrar_reglas", "datos", "",
                    {"data_dir": str(data_dir or SHIPPED_DATA),
                     "exchange_rules": len(rules.rules),
                     "exclusions": len(rules.exclusions), "special_targets": len(special)})
        return True
