"""Authentication as OWASP ASVS level 2 asks, over HTTP on SQLite and PostgreSQL:
sign-in throttled per account and per client address (429 with Retry-After, before the
password is hashed), failed sign-ins audited, sign-out ends the token on the server, at
most `login_hash_slots` hashes at once, and security headers on every answer."""

from __future__ import annotations

import threading
import time

import httpx
from live_server import at_once, live_url  # noqa: F401
from service_fixtures import *  # noqa: F403
from service_fixtures import Person, login
from web_helpers import csrf_of

import menu_planner.services.accounts as accounts_module
from menu_planner.services import SYSTEM

WRONG = "contraseña-equivocada"


def _count_hashes(monkeypatch, pause: float = 0.0) -> dict[str, int]:
    """Count password checks (and the most running at once)."""
    seen = {"calls": 0, "running": 0, "most": 0}
    lock = threading.Lock()
    real = accounts_module.verify_password

    def counting(password: str, hashed: str | None) -> bool:
        with lock:
            seen["calls"] += 1
            seen["running"] += 1
            seen["most"] = max(seen["most"], seen["running"])
        try:
            time.sleep(pause)
            return real(password, hashed)
        finally:
            with lock:
                seen["running"] -= 1

    monkeypatch.setattr(accounts_module, "verify_password", counting)
    return seen


def _token(client, username: str, password: str):
    return client.post("/auth/token", data={"username": username, "password": password})


def test_an_account_is_throttled_after_ten_failures_without_hashing(client, people,
                                                                   services, monkeypatch):
    nutri = people["nutri"]
    hashes = _count_hashes(monkeypatch)
    for _ in range(10):
        assert _token(client, nutri.username, WRONG).status_code == 401
    assert hashes["calls"] == 10
    for password in (WRONG, nutri.password, WRONG):  # even the right one waits now
        r = _token(client, nutri.username, password)
        assert r.status_code == 429
        assert 800 < int(r.headers["retry-after"]) <= 900
        error = r.json()["error"]
        assert error["code"] == "demasiados_intentos"
        assert "Demasiados intentos fallidos" in error["message"]
        assert "esta cuenta" in error["message"] and "minuto(s)" in error["message"]
    assert hashes["calls"] == 10  # throttled tries never reach argon2
    failed, total = services.accounts.audit_trail(SYSTEM, action="inicio_sesion_fallido")
    assert total == 10
    assert {e.entity_id for e in failed} == {nutri.username}
    assert failed[0].details == {"client": "testclient", "motivo": "contraseña incorrecta"}
    blocked, total = services.accounts.audit_trail(SYSTEM, action="inicio_sesion_limitado")
    assert total == 1 and blocked[0].details["limite"] == "cuenta"  # once per block
    # another account from the same address is not blocked by this one
    assert _token(client, people["finanzas"].username,
                  people["finanzas"].password).status_code == 200


def test_a_client_address_is_throttled_across_accounts(client, people, services):
    for i in range(30):
        r = _token(client, f"usuario{i}", WRONG)
        assert r.status_code == 401
    r = _token(client, people["admin"].username, people["admin"].password)
    assert r.status_code == 429 and "esta dirección" in r.json()["error"]["message"]
    rows, _ = services.accounts.audit_trail(SYSTEM, action="inicio_sesion_fallido", limit=1)
    assert rows[0].details["motivo"] == "usuario inexistente"


def test_the_sign_in_page_says_when_to_try_again(client, people):
    form = client.get("/entrar").text
    for _ in range(10):
        r = client.post("/entrar", data={"usuario": people["nutri"].username, "clave": WRONG,
                                         "csrf": csrf_of(form), "siguiente": "/"})
        assert r.status_code == 401
    r = client.post("/entrar", data={"usuario": people["nutri"].username,
                                     "clave": people["nutri"].password,
                                     "csrf": csrf_of(form), "siguiente": "/"})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert "Demasiados intentos fallidos de inicio de sesión" in r.text


def test_signing_out_ends_that_token_only(client, people, services):
    first = login(client, people["nutri"])
    second = login(client, people["nutri"])
    assert client.post("/auth/logout", headers=first).status_code == 204
    r = client.get("/auth/me", headers=first)
    assert r.status_code == 401 and "se cerró la sesión" in r.json()["error"]["message"]
    assert client.post("/auth/logout", headers=first).status_code == 401
    assert client.get("/auth/me", headers=second).status_code == 200
    _, total = services.accounts.audit_trail(SYSTEM, action="cierre_sesion")
    assert total == 1
    _, total = services.accounts.audit_trail(SYSTEM, action="inicio_sesion")
    assert total == 2


def test_every_answer_carries_the_security_headers(client, auth):
    for path, headers in (("/health", {}), ("/foods", auth["nutri"]), ("/entrar", {}),
                          ("/no-existe", {}), ("/static/app.css", {})):
        r = client.get(path, headers=headers)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "style-src 'self';" in csp, path
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, path
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
    docs = client.get("/docs").headers["content-security-policy"]
    assert "https://cdn.jsdelivr.net" in docs and "frame-ancestors 'none'" in docs


def test_at_most_two_passwords_are_hashed_at_once(live_url, people, monkeypatch):  # noqa: F811
    hashes = _count_hashes(monkeypatch, pause=0.5)
    answers = at_once(8, lambda i: httpx.post(
        f"{live_url}/auth/token", timeout=30,
        data={"username": people["nutri"].username, "password": WRONG}))
    statuses = sorted(r.status_code for r in answers)
    assert hashes["most"] <= 2 and hashes["calls"] == statuses.count(401)
    assert statuses.count(429) >= 6, statuses
    busy = next(r for r in answers if r.status_code == 429)
    assert busy.headers["retry-after"] == "1"
    assert "muchos inicios de sesión en este momento" in busy.json()["error"]["message"]


def test_a_crash_still_carries_the_security_headers(services):
    from fastapi.testclient import TestClient

    from menu_planner.api import create_app

    app = create_app(services=services, manage_services=False)

    def boom() -> None:
        raise RuntimeError("falla de prueba")

    app.add_api_route("/falla", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        for accept in ("application/json", "text/html"):
            r = c.get("/falla", headers={"Accept": accept})
            assert r.status_code == 500
            assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
            assert r.headers["x-content-type-options"] == "nosniff"
            assert "Traceback" not in r.text and "falla de prueba" not in r.text


def test_a_new_password_ends_every_session_of_the_account(client, auth, people):
    nutri = people["nutri"]
    old = login(client, nutri)
    r = client.patch(f"/users/{nutri.username}", json={"password": "una-clave-nueva-larga"},
                     headers=auth["admin"])
    assert r.status_code == 200
    assert client.get("/auth/me", headers=old).status_code == 401
    assert client.get("/auth/me", headers=auth["nutri"]).status_code == 401
    fresh = login(client, Person(nutri.username, "una-clave-nueva-larga", nutri.role))
    assert client.get("/auth/me", headers=fresh).status_code == 200
    assert client.get("/auth/me", headers=auth["finanzas"]).status_code == 200  # others keep theirs
