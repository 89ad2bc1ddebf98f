"""Benchmark: issue 15's hostile uploads and database faults against a real server.

Starts `menu-planner serve` (uvicorn, SQLite in a temporary directory, tiny test data)
as a child process, posts each hostile file of tests/hostile_files.py to `POST
/prices/surveys` and `POST /centers`, and prints the status, the time to answer, the size
of the answer and the server's peak resident memory (VmHWM) after each. Then, with
`--postgres URL` (default the local test server), it serves PostgreSQL through a loopback
proxy and times `/health` and `GET /centers` while the database is unreachable, stalled
and back. Prints figures; asserts nothing. Run from the repository root:

    .venv/bin/python bench/hostile_inputs.py
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import hostile_files as hf  # noqa: E402
from db_proxy import DbProxy  # noqa: E402

TINY = ROOT / "tests" / "fixtures" / "tiny"
PASSWORD = "clave-de-banco-larga"
CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "xlsx A1 + XFD1048576": ("hoja.xlsx", hf.tall_and_wide_xlsx),
    "xlsx with a DTD": ("hoja.xlsx", hf.dtd_xlsx),
    "xlsx zip bomb (200 MiB)": ("hoja.xlsx", hf.zip_bomb_xlsx),
    "CSV 5.2 MB of bad lines": ("precios.csv", hf.many_errors_csv),
    "CSV 200,000 columns": ("precios.csv", hf.wide_csv),
    "6 MiB file": ("precios.csv", hf.oversize),
}


def machine() -> str:
    cpu = platform.processor() or "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return (f"{cpu}; {os.cpu_count()} cores; {mem_kb / 2**20:.1f} GiB RAM; "
            f"Python {platform.python_version()}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`menu-planner serve` in a child process, with one finance and one admin account."""

    def __init__(self, url: str) -> None:
        self.env = {**os.environ, "MENU_PLANNER_DATABASE_URL": url, "DATA_DIR": str(TINY),
                    "MENU_PLANNER_SECRET_KEY": "s" * 40, "MENU_PLANNER_DEMO": "0"}
        exe = str(Path(sys.executable).with_name("menu-planner"))
        for name, role in (("fin.banco", "finanzas"), ("admin.banco", "admin")):
            subprocess.run([exe, "users", "add", name, "--role", role, "--password-stdin"],
                           input=PASSWORD, text=True, env=self.env, check=True,
                           capture_output=True)
        self.port = free_port()
        self.proc = subprocess.Popen([exe, "serve", "--port", str(self.port)], env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=120)
        for _ in range(300):
            try:
                if self.http.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        self.headers = {name: self._token(name) for name in ("fin.banco", "admin.banco")}

    def _token(self, name: str) -> dict[str, str]:
        r = self.http.post("/auth/token", data={"username": name, "password": PASSWORD})
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    def peak_mib(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


def uploads() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(f"sqlite:///{Path(tmp) / 'banco.sqlite3'}")
        try:
            print(f"server peak memory after start: {server.peak_mib():.0f} MiB")
            print(f"{'case':26} {'endpoint':16} {'status':>6} {'seconds':>8} "
                  f"{'answer B':>9} {'peak MiB':>9}")
            for case, (name, build) in CASES.items():
                content = build()
                for path, who, data in (("/prices/surveys", "fin.banco",
                                         {"department": "Escuintla"}),
                                        ("/centers", "admin.banco", {})):
                    t = time.perf_counter()
                    r = server.http.post(path, data=data, files={"file": (name, content)},
                                         headers=server.headers[who])
                    took = time.perf_counter() - t
                    print(f"{case:26} {path:16} {r.status_code:>6} {took:>8.3f} "
                          f"{len(r.content):>9,} {server.peak_mib():>9.0f}")
            print(f"/health afterwards: {server.http.get('/health').status_code}")
        finally:
            server.stop()


def faults(pg_url: str) -> None:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(pg_url)
    proxy = DbProxy((url.host or "127.0.0.1", url.port or 5432)).start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).update_query_dict(
        {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    server = Server(proxied)
    try:
        print("\nPostgreSQL through a loopback proxy (default timeout 3 s):")
        for state, action in (("healthy", proxy.resume), ("unreachable", proxy.down),
                              ("back", proxy.resume), ("stalled", proxy.stall),
                              ("back again", proxy.resume)):
            action()
            for path in ("/health", "/centers"):
                t = time.perf_counter()
                r = server.http.get(path, headers=server.headers["fin.banco"])
                print(f"  {state:12} {path:9} {r.status_code}  "
                      f"{time.perf_counter() - t:6.2f} s")
    finally:
        proxy.resume()
        server.stop()
        proxy.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    uploads()
    if not args.no_postgres:
        faults(args.postgres)


if __name__ == "__main__":
    main()
