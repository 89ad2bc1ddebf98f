"""The service over a real socket for tests that need real concurrency: uvicorn on
127.0.0.1 and a free port, in a background thread, over the test's started services
(SQLite or PostgreSQL). Requests sent from several threads at once are served at once
(the sync routes run in uvicorn's worker threads), as in production."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn

from menu_planner.api import create_app
from menu_planner.services import Services


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(app: Any, port: int | None = None) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 (a free port unless `port`) in a background thread; its
    base URL while the block runs."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="uvicorn-prueba", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("el servidor de pruebas no arrancó")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def live_url(services: Services) -> Iterator[str]:
    """The base URL of the app serving `services` (started and closed by the fixture
    that made them)."""
    with running(create_app(services=services, manage_services=False)) as url:
        yield url


def at_once(n: int, call: Callable[[int], Any]) -> list[Any]:
    """`call(i)` for i in 0..n-1 from n threads released together by a barrier; the
    results in order."""
    barrier = threading.Barrier(n)

    def run(i: int) -> Any:
        barrier.wait(timeout=30)
        return call(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def bearer(base: str, username: str, password: str) -> dict[str, str]:
    """Authorization headers after signing in over the socket."""
    r = httpx.post(f"{base}/auth/token", data={"username": username, "password": password},
                   timeout=30)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}
