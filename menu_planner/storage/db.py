"""The database: engine, schema migrations and units of work (one transaction each)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import DataError as SQLDataError
from sqlalchemy.exc import (
    IntegrityError,
    InterfaceError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from menu_planner.storage.errors import ConflictError, StoredValueError
from menu_planner.storage.uow import UnitOfWork
from menu_planner.storage.watchdog import guard_engine

STORAGE_DIR = Path(__file__).resolve().parent
ALEMBIC_INI = STORAGE_DIR / "alembic.ini"
MIGRATIONS_DIR = STORAGE_DIR / "migrations"


class DatabaseUnavailable(Exception):
    """The database cannot be reached, or did not answer in time; the message is
    Spanish. Nothing was stored (the transaction was rolled back or never began)."""


UNREACHABLE = ("La base de datos no responde; intente de nuevo en unos minutos.")
BUSY = "La base de datos está ocupada y no respondió a tiempo; intente de nuevo."
_RETRYABLE = ("deadlock", "could not serialize")
DEFAULT_TIMEOUT_S = 3.0


def is_database_fault(exc: BaseException) -> bool:
    """Whether `exc` means the database is unreachable or stalled (not a bad request)."""
    return isinstance(exc, DatabaseUnavailable | OperationalError | InterfaceError |
                      PoolTimeout)


def make_engine(url: str, schema: str | None = None,
                timeout_s: float = DEFAULT_TIMEOUT_S) -> Engine:
    """An engine for `url` that never waits on the database past about `timeout_s`:
    SQLite gets WAL, foreign keys and a busy timeout so the job thread and request
    threads can share the file; PostgreSQL a connect, statement and lock timeout, and a
    client-side watchdog for a server that stops answering. `schema` sets PostgreSQL's
    search path."""
    kwargs: dict[str, Any] = {"pool_pre_ping": True, "pool_timeout": timeout_s}
    ms = int(timeout_s * 1000)
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": timeout_s}
    else:
        options = make_url(url).query.get("options") or ""
        if isinstance(options, tuple):
            options = " ".join(options)
        options += f" -c statement_timeout={ms} -c lock_timeout={ms}"
        if schema:
            options += f" -csearch_path={schema}"
        kwargs["connect_args"] = {"options": options.strip(),
                                  "connect_timeout": max(2, round(timeout_s))}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", lambda c, _r: _sqlite_pragmas(c, ms))
    else:
        guard_engine(engine, timeout_s + 1)  # the server's own timeouts fire first
    return engine


def _sqlite_pragmas(dbapi_conn: Any, busy_ms: int) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={busy_ms}")
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

    def __init__(self, url: str, schema: str | None = None,
                 timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.url = url
        self.engine = make_engine(url, schema, timeout_s)

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (creates every table on first start).
        Every head is applied, so two migrations written side by side on 0002 need no
        merge revision."""
        cfg = alembic_config(self.engine)
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")

    @contextmanager
    def unit(self) -> Iterator[UnitOfWork]:
        """A unit of work (one transaction, its repositories as attributes): committed on
        success, rolled back on any error, so a failed operation leaves stored data as it
        was."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield UnitOfWork(session)
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
            except (OperationalError, InterfaceError, PoolTimeout) as exc:
                _quiet_rollback(session)
                text = str(exc).lower()
                if any(word in text for word in _RETRYABLE):
                    raise ConflictError(
                        "Otro cambio al mismo tiempo bloqueó este; vuelva a intentarlo.") \
                        from exc
                busy = "locked" in text or "timeout" in text or "canceling" in text
                raise DatabaseUnavailable(BUSY if busy else UNREACHABLE) from exc
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _quiet_rollback(session: Session) -> None:
    """Roll back after a lost connection (the rollback itself may fail the same way)."""
    try:
        session.rollback()
    except Exception:  # the connection is gone: nothing was committed
        session.close()
