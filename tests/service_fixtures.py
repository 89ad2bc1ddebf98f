"""Fixtures for the web service tests: a fresh database per test (SQLite file, and a
PostgreSQL schema of its own), started services, users of every role and a client.

Test modules use them with `pytest_plugins = ["tests.service_fixtures"]` or
`from tests.service_fixtures import *`. The database fixture is parametrized over
`sqlite` and `postgres`; PostgreSQL comes from env TEST_POSTGRES_URL (default the local
server) and is skipped only when it is unreachable and env CI is not set.
"""

from __future__ import annotations

import json
import os
import secrets
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from menu_planner.api import create_app
from menu_planner.config import Settings
from menu_planner.domain import Dataset, MenuCycle, cycle_from_dict
from menu_planner.services import (
    ADMIN,
    CENTER_ADMIN,
    FINANCE,
    NUTRITIONIST,
    SYSTEM,
    GenerateParams,
    Services,
)
from menu_planner.services.jobs import ProgressFn
from menu_planner.storage import Database

TINY = Path(__file__).parent / "fixtures" / "tiny"
FIXTURE_CYCLE = json.loads((TINY / "cycle_cadi.json").read_text(encoding="utf-8"))
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SECRET = "clave-de-pruebas-" + "x" * 32


def postgres_url() -> str:
    return os.environ.get("TEST_POSTGRES_URL", PG_DEFAULT)


def _postgres_reachable(url: str) -> str | None:
    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure to connect
        return str(exc).splitlines()[0]


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The PostgreSQL URL; skips (outside CI) or fails (in CI) if it is unreachable."""
    url = postgres_url()
    problem = _postgres_reachable(url)
    if problem:
        msg = f"PostgreSQL no responde en {url}: {problem}"
        if os.environ.get("CI"):
            pytest.fail(msg + " (en CI las pruebas con PostgreSQL son obligatorias)")
        pytest.skip(msg)
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a SQLite file, or a PostgreSQL schema of its own
    (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'servicio.sqlite3'}"
        return
    base = request.getfixturevalue("pg_server")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def data_dir() -> Path:
    """The data the service is seeded with: the tiny set (fast). A test module that needs
    the shipped data and the real optimizer overrides this fixture."""
    return TINY


@pytest.fixture
def settings(database_url: str, data_dir: Path) -> Settings:
    return Settings(database_url=database_url, secret_key=SECRET, data_dir=data_dir,
                    token_minutes=30, demo=False)


def fixture_planner(dataset: Dataset, params: GenerateParams,
                    progress: ProgressFn) -> MenuCycle:
    """Stands in for the optimizer on the tiny data: the hand-made cycle of the fixture."""
    progress(0.5, "Usando el ciclo de prueba")
    data = json.loads((TINY / "cycle_cadi.json").read_text(encoding="utf-8"))
    return cycle_from_dict(data)


@pytest.fixture
def planner(data_dir: Path) -> Any:
    """The real optimizer on the shipped data; the fixture cycle on the tiny data."""
    if data_dir == TINY:
        return fixture_planner
    from menu_planner.services.planner import optimizer_planner

    return optimizer_planner


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with light parameters: the same code path, a fraction of the time."""
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    import menu_planner.services.auth as auth_module

    light = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    monkeypatch.setattr(auth_module, "_hasher", light)


@pytest.fixture
def services(settings: Settings, planner: Any, fast_hashing: None) -> Iterator[Services]:
    svc = Services(Database(settings.database_url), settings, planner)
    svc.start()
    try:
        yield svc
    finally:
        svc.close()


@dataclass
class Person:
    username: str
    password: str
    role: str
    centers: tuple[str, ...] = ()


@pytest.fixture
def people(services: Services) -> dict[str, Person]:
    """One account per role; the center administrator has the first center only."""
    with services.ctx.unit() as uow:
        centers = [c.center_id for c in uow.centers.find()]
    out = {
        "nutri": Person("nutri.ana", secrets.token_urlsafe(12), NUTRITIONIST),
        "centro": Person("centro.rosa", secrets.token_urlsafe(12), CENTER_ADMIN,
                         (centers[0],)),
        "finanzas": Person("fin.jorge", secrets.token_urlsafe(12), FINANCE),
        "admin": Person("admin.luis", secrets.token_urlsafe(12), ADMIN),
    }
    for p in out.values():
        services.accounts.add_user(SYSTEM, p.username, p.role, p.password, p.centers)
    return out


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    """A client of an app over the started services (its lifespan starts them again,
    which is harmless: migrations and seeding are idempotent)."""
    app = create_app(services=services)
    with TestClient(app) as c:
        yield c


def login(client: TestClient, person: Person) -> dict[str, str]:
    """Authorization headers for `person`."""
    r = client.post("/auth/token", data={"username": person.username,
                                         "password": person.password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture
def auth(client: TestClient, people: dict[str, Person]) -> dict[str, dict[str, str]]:
    """Headers per role key: nutri, centro, finanzas, admin."""
    return {k: login(client, p) for k, p in people.items()}


def sign_fixture_cycle(client: TestClient, headers: dict[str, str], name: str = "ciclo",
                       start_date: str | None = None) -> int:
    """The tiny fixture cycle imported and signed over the API (by a nutritionist's
    `headers`): its id."""
    r = client.post("/cycles", json={"name": name, "cycle": FIXTURE_CYCLE}, headers=headers)
    assert r.status_code == 201, r.text
    cid = int(r.json()["id"])
    body = {"start_date": start_date} if start_date else {}
    r = client.post(f"/cycles/{cid}/approve", json=body, headers=headers)
    assert r.status_code == 200, r.text
    return cid


def wait_job(client: TestClient, headers: dict[str, str], job_id: str,
             limit: float = 120.0) -> dict[str, Any]:
    """Poll a job until it succeeds or fails."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        job: dict[str, Any] = client.get(f"/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError("el trabajo no terminó")
