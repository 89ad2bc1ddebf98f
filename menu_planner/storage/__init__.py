"""Persistence of the service: SQLModel tables, repositories, migrations. The only package
that holds a database Session."""

from menu_planner.storage.db import Database
from menu_planner.storage.errors import ConflictError, StoredValueError
from menu_planner.storage.repository import Repository

__all__ = ["ConflictError", "Database", "Repository", "StoredValueError"]
