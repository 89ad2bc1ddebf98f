"""Persistence of the service: SQLModel tables, repositories, migrations. The only package
that holds a database Session."""

from menu_planner.storage.db import Database, DatabaseUnavailable, is_database_fault
from menu_planner.storage.errors import ConflictError, StoredValueError
from menu_planner.storage.uow import UnitOfWork

__all__ = ["ConflictError", "Database", "DatabaseUnavailable", "StoredValueError",
           "UnitOfWork", "is_database_fault"]
