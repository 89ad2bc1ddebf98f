"""The database: engine, schema migrations and units of work (one transaction each)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DataError as SQLDataError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from menu_planner.storage.errors import ConflictError, StoredValueError
from menu_planner.storage.repository import Repository

STORAGE_DIR = Path(__file__).resolve().parent
ALEMBIC_INI = STORAGE_DIR / "alembic.ini"
MIGRATIONS_DIR = STORAGE_DIR / "migrations"


def make_engine(url: str, schema: str | None = None) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and a busy timeout so the job
    thread and request threads can share the file. `schema` sets PostgreSQL's search path."""
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    elif schema:
        kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def alembic_config(engine: Engine | None = None) -> Config:
    """The packaged alembic configuration, bound to `engine` when given."""
    cfg = Config(str(ALEMBIC_INI))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        url = engine.url.render_as_string(hide_password=False)
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


class Database:
    """Owns the engine; hands out repositories bound to one transaction."""

    def __init__(self, url: str, schema: str | None = None) -> None:
        self.url = url
        self.engine = make_engine(url, schema)

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (creates every table on first start).
        Every head is applied, so two migrations written side by side on 0002 need no
        merge revision."""
        cfg = alembic_config(self.engine)
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")

    @contextmanager
    def unit(self) -> Iterator[Repository]:
        """A repository in one transaction: committed on success, rolled back on any error,
        so a failed operation leaves stored data as it was."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield Repository(session)
                session.commit()
            except IntegrityError as exc:
                session.rollback()
                raise ConflictError(
                    "Otro cambio guardado al mismo tiempo choca con este (registro "
                    "duplicado o modificado); vuelva a intentarlo.") from exc
            except StaleDataError as exc:
                session.rollback()
                raise ConflictError(
                    "Otra persona modificó o borró este registro mientras usted lo "
                    "editaba; vuelva a cargarlo y repita su cambio.") from exc
            except SQLDataError as exc:
                session.rollback()
                raise StoredValueError(
                    "Un valor enviado no se puede guardar ni buscar (caracteres no "
                    "permitidos o número fuera de rango).") from exc
            except OperationalError as exc:
                session.rollback()
                if "locked" in str(exc).lower():
                    raise ConflictError(
                        "La base de datos está ocupada; vuelva a intentarlo.") from exc
                raise
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
