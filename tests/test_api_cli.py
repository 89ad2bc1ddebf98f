"""The service's commands: `users`, `demo` and `serve` (a real uvicorn process on
127.0.0.1 answering `/`, `/docs` and `/health`)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from service_fixtures import TINY
from typer.testing import CliRunner

from menu_planner.cli import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"MENU_PLANNER_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
              "MENU_PLANNER_DATA_DIR": str(TINY)}
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    for k in ("MENU_PLANNER_SECRET_KEY", "SECRET_KEY", "MENU_PLANNER_DEMO", "DEMO"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return values


def test_users_add_reads_the_password_from_stdin_only(env):
    r = runner.invoke(app, ["users", "add", "rosa", "--role", "administrador_centro",
                            "--center", "2420-20", "--password-stdin"],
                      input="una-clave-larga-1\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["users", "add", "sin.clave", "--role", "finanzas"])
    assert r.exit_code == 2 and "--password-stdin" in r.output
    r = runner.invoke(app, ["users", "add", "corta", "--role", "finanzas",
                            "--password-stdin"], input="corta\n")
    assert r.exit_code == 1 and "10 caracteres" in r.output
    r = runner.invoke(app, ["users", "add", "x.y", "--role", "jefe", "--password-stdin"],
                      input="una-clave-larga-2\n")
    assert r.exit_code == 1 and "Rol desconocido" in r.output
    r = runner.invoke(app, ["users", "list"])
    assert "rosa\tadministrador_centro\tactiva  centros: 2420-20" in r.output
    r = runner.invoke(app, ["users", "deactivate", "rosa"])
    assert r.exit_code == 0
    assert "desactivada" in runner.invoke(app, ["users", "list"]).output


def test_serve_refuses_to_start_without_a_secret_key(env):
    r = runner.invoke(app, ["serve", "--port", "1"])
    assert r.exit_code == 2 and "MENU_PLANNER_SECRET_KEY" in r.output


def test_demo_prints_one_random_password_per_role(env):
    r = runner.invoke(app, ["demo", "--no-serve"])
    assert r.exit_code == 0, r.output
    lines = [ln.split() for ln in r.output.splitlines() if ln.strip().startswith("demo.")]
    assert [ln[0] for ln in lines] == ["demo.nutricionista", "demo.centro", "demo.finanzas",
                                       "demo.admin"]
    passwords = [ln[1] for ln in lines]
    assert len(set(passwords)) == 4 and all(len(p) >= 12 for p in passwords)
    again = runner.invoke(app, ["demo", "--no-serve"]).output
    assert passwords[0] not in again  # reset with a new random password


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_the_start_page_and_the_docs(env, tmp_path):
    port = _free_port()
    proc_env = {**os.environ, **env, "MENU_PLANNER_SECRET_KEY": "k" * 40}
    cmd = [sys.executable, "-c", "from menu_planner.cli import main; main()", "serve",
           "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=proc_env, cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("el servicio no respondió")
        home = httpx.get(f"{base}/", timeout=5, follow_redirects=True)
        assert home.status_code == 200 and 'lang="es"' in home.text
        assert httpx.get(f"{base}/docs", timeout=5).status_code == 200
        assert (tmp_path / "cli.sqlite3").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
