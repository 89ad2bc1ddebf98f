"""The running service for the browser tests: uvicorn on 127.0.0.1 and a free port, in
a background thread, over a fresh SQLite database seeded with the demo data and the demo
accounts (one per role: `menu_planner.cli.demo_cmd.seed_demo_users`); and Debian's
Chromium driven by Playwright.

Chromium comes from `scripts/install-browser.sh` (never `playwright install`). Without
/usr/bin/chromium the browser tests are skipped, except in CI (env CI set), where they
fail.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, Account, Live
from live_server import running
from service_fixtures import SECRET

from menu_planner.api import create_app
from menu_planner.cli.demo_cmd import seed_demo_users
from menu_planner.config import Settings
from menu_planner.reference_data import SHIPPED_DATA
from menu_planner.services import Services
from menu_planner.storage import Database


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests need Chromium: skip them (with the reason) only outside CI."""
    if CHROMIUM.exists():
        return
    reason = (f"{CHROMIUM} no existe: instálelo con `bash scripts/install-browser.sh` "
              "(en CI estas pruebas son obligatorias)")
    for item in items:
        if item.get_closest_marker("browser") and not os.environ.get("CI"):
            item.add_marker(pytest.mark.skip(reason=reason))


def _accounts(services: Services) -> dict[str, Account]:
    """The service's demo accounts (one per role, random passwords), by role."""
    return {role: Account(name, role, password, tuple(centers))
            for name, role, password, centers in seed_demo_users(services)}


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The service on a free port: the real optimizer on the shipped data (shipped data
    that does not load is a failure, never a reason to fall back to test data)."""
    tmp = tmp_path_factory.mktemp("servicio-web")
    data_dir = SHIPPED_DATA
    settings = Settings(database_url=f"sqlite:///{tmp / 'e2e.sqlite3'}", secret_key=SECRET,
                        data_dir=data_dir, token_minutes=60, demo=False,
                        solver_time_limit_s=120)
    services = Services(Database(settings.database_url), settings)
    with running(create_app(services=services)) as url:
        yield Live(url, services, data_dir, _accounts(services))


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def open_browser(playwright_driver: Any, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Opens Chromium with a fresh profile (one per call: one person per browser) and
    returns a new page; everything is closed after the test."""
    contexts: list[Any] = []

    def _open(width: int = 1280, height: int = 900) -> Any:
        profile = tempfile.mkdtemp(prefix="perfil-", dir=tmp_path)
        ctx = playwright_driver.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height}, accept_downloads=True,
            locale="es-GT")
        ctx.set_default_timeout(20_000)
        contexts.append(ctx)
        return ctx.pages[0] if ctx.pages else ctx.new_page()

    yield _open
    for ctx in contexts:
        ctx.close()


