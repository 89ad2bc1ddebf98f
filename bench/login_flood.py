"""Benchmark: how fast /health answers while 40 clients guess passwords at once.

Prints figures; asserts nothing. Run from the repository root:

    .venv/bin/python bench/login_flood.py
    .venv/bin/python bench/login_flood.py --clients 40 --seconds 20

Two runs of the real service (`menu-planner serve`, SQLite, shipped data, argon2 with
its production parameters), each on a fresh database with one account:

* "sin límite": the sign-in limits set so high, and the hash slots so many, that every
  guess reaches argon2 (what the service did before throttling);
* "con límite": the shipped settings (10 failures per account and 30 per address in 15
  minutes, 2 hashes at a time).

During each run `--clients` threads post wrong passwords for one account without pause
while /health is asked every 0.25 s (each probe in its own thread, not waiting for
the one before); the figures are /health's latency alone
(before the flood) and during it, and how the sign-in attempts were answered.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from procurement import machine  # bench/procurement.py: CPU, cores, RAM, versions

ROOT = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).with_name("menu-planner"))
USER, ROLE = "bench.finanzas", "finanzas"
UNLIMITED = {"MENU_PLANNER_LOGIN_LIMIT_ACCOUNT": "1000000 per 1 minute",
             "MENU_PLANNER_LOGIN_LIMIT_CLIENT": "1000000 per 1 minute",
             "MENU_PLANNER_LOGIN_HASH_SLOTS": "64"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_service(workdir: Path, extra: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """A fresh database with one account, and the service on a free port."""
    env = {**os.environ, **extra,
           "MENU_PLANNER_DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
           "MENU_PLANNER_SECRET_KEY": secrets.token_urlsafe(48)}
    subprocess.run([CLI, "users", "add", USER, "--role", ROLE, "--password-stdin"],
                   input=secrets.token_urlsafe(16).encode(), env=env, cwd=workdir,
                   check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen([CLI, "serve", "--port", str(port)], env=env, cwd=workdir,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("el servicio no arrancó")


def health_ms(url: str) -> float:
    start = time.perf_counter()
    httpx.get(f"{url}/health", timeout=60)
    return (time.perf_counter() - start) * 1000


def flood(url: str, clients: int, seconds: float) -> tuple[list[float], Counter[int], float]:
    """/health latencies (ms) during the flood, the sign-in answers by status, and the
    flood's real duration."""
    stop = threading.Event()
    answers: Counter[int] = Counter()
    lock = threading.Lock()

    def guess() -> None:
        with httpx.Client(timeout=60) as c:
            while not stop.is_set():
                r = c.post(f"{url}/auth/token",
                           data={"username": USER, "password": secrets.token_hex(8)})
                with lock:
                    answers[r.status_code] += 1

    def probe() -> None:
        ms = health_ms(url)
        with lock:
            latencies.append(ms)

    threads = [threading.Thread(target=guess, daemon=True) for _ in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    latencies: list[float] = []
    probes: list[threading.Thread] = []
    time.sleep(0.5)  # let the flood build up
    while time.monotonic() - start < seconds:  # one probe every 0.25 s, not waiting for
        probes.append(threading.Thread(target=probe, daemon=True))  # the one before
        probes[-1].start()
        time.sleep(0.25)
    for p in probes:  # the flood goes on until every probe has its answer
        p.join(timeout=120)
    stop.set()
    for t in threads:
        t.join(timeout=120)
    return latencies, answers, time.monotonic() - start


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(label: str, extra: dict[str, str], clients: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-login-") as tmp:
        proc, url = start_service(Path(tmp), extra)
        try:
            alone = [health_ms(url) for _ in range(30)]
            during, answers, took = flood(url, clients, seconds)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    total = sum(answers.values())
    print(f"\n{label}")
    print(f"  /health sin ataque: mediana {statistics.median(alone):.1f} ms "
          f"(p95 {pct(alone, 0.95):.1f} ms, {len(alone)} consultas)")
    print(f"  /health durante el ataque: mediana {statistics.median(during):.1f} ms, "
          f"p95 {pct(during, 0.95):.1f} ms, máx. {max(during):.1f} ms "
          f"({len(during)} consultas)")
    print(f"  intentos de inicio de sesión: {total} en {took:.1f} s "
          f"({total / took:.0f}/s); respuestas: "
          + ", ".join(f"{s}: {n}" for s, n in sorted(answers.items()))
          + f"; contraseñas comprobadas con argon2: {answers.get(401, 0)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    print("Máquina:")
    for text in machine():
        print(f"  {text}")
    print(f"{args.clients} clientes con contraseñas equivocadas durante {args.seconds:.0f} s; "
          "/health consultado cada 0.25 s")
    run("Sin límite (cada intento llega a argon2, como antes)", UNLIMITED, args.clients,
        args.seconds)
    run("Con límite (ajustes incluidos)", {}, args.clients, args.seconds)


if __name__ == "__main__":
    main()
