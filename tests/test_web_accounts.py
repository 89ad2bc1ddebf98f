"""The administrator's accounts pages: create, change role and centers, deactivate;
field errors that keep what was typed; CSRF; other roles get the 403 page. TestClient,
tiny data, SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient
from service_fixtures import *  # noqa: F403  (services, people, client...)
from web_helpers import as_person, csrf_of

from menu_planner.services import CENTER_ADMIN, FINANCE, SYSTEM, Services

NEW = {"usuario": "rosa.perez", "nombre": "Rosa Pérez", "rol": CENTER_ADMIN,
       "centros": "2420-20, 4168-12", "clave": "una-clave-larga-1"}


def _accounts(services: Services) -> dict[str, tuple[str, bool, list[str]]]:
    return {u.username: (u.role, u.active, sorted(c))
            for u, c in services.accounts.list_users(SYSTEM)}


def _post(client: TestClient, path: str, form: dict[str, str]):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get(path).text)
    return client.post(path, data={**form, "csrf": token}, follow_redirects=False)


def test_an_admin_creates_an_account_that_can_sign_in(client, people, services):
    as_person(client, people["admin"])
    listing = client.get("/cuentas")
    assert listing.status_code == 200 and "Crear una cuenta" in listing.text
    assert "Administrador(a) de centro" in listing.text  # roles in words
    r = _post(client, "/cuentas/nueva", NEW)
    assert r.status_code == 303 and r.headers["location"] == "/cuentas?guardado=rosa.perez"
    assert _accounts(services)["rosa.perez"] == (CENTER_ADMIN, True, ["2420-20", "4168-12"])
    shown = client.get(r.headers["location"]).text
    assert "Guardada la cuenta rosa.perez" in shown and "2420-20, 4168-12" in shown
    other = TestClient(client.app)
    as_person(other, type(people["admin"])("rosa.perez", NEW["clave"], CENTER_ADMIN))
    assert "Hogar Comunitario Los Pinos" in other.get("/centros").text


def test_field_errors_keep_what_was_typed_and_store_nothing(client, people, services):
    as_person(client, people["admin"])
    before = _accounts(services)
    r = _post(client, "/cuentas/nueva", {**NEW, "centros": "2420-20, 9999-99", "clave": ""})
    assert r.status_code == 422
    assert "Escriba una contraseña" in r.text
    assert 'value="rosa.perez"' in r.text and "2420-20, 9999-99" in r.text
    r = _post(client, "/cuentas/nueva", {**NEW, "centros": "2420-20, 9999-99"})
    assert r.status_code == 422 and "Centro desconocido &#39;9999-99&#39;" in r.text
    r = _post(client, "/cuentas/nueva", {**NEW, "usuario": people["nutri"].username})
    assert r.status_code == 422 and "Ya existe el usuario" in r.text
    r = _post(client, "/cuentas/nueva", {**NEW, "rol": CENTER_ADMIN, "centros": ""})
    assert r.status_code == 422 and "al menos un código de centro" in r.text
    assert _accounts(services) == before


def test_an_admin_changes_role_and_centers_and_deactivates(client, people, services):
    as_person(client, people["admin"])
    centro = people["centro"].username
    r = _post(client, f"/cuentas/{centro}", {"nombre": "Rosa", "rol": CENTER_ADMIN,
                                            "centros": "MAD-0001", "activa": "1"})
    assert r.status_code == 303
    assert _accounts(services)[centro] == (CENTER_ADMIN, True, ["MAD-0001"])
    r = _post(client, f"/cuentas/{centro}", {"rol": FINANCE, "centros": "", "activa": "1"})
    assert r.status_code == 303
    assert _accounts(services)[centro] == (FINANCE, True, [])
    r = _post(client, f"/cuentas/{centro}", {"rol": FINANCE, "centros": ""})  # unticked
    assert r.status_code == 303
    assert _accounts(services)[centro] == (FINANCE, False, [])
    assert "Desactivada" in client.get("/cuentas").text
    # A deactivated account cannot sign in any more.
    other = TestClient(client.app)
    page = other.get("/entrar")
    refused = other.post("/entrar", data={"usuario": centro,
                                          "clave": people["centro"].password,
                                          "csrf": csrf_of(page.text)})
    assert refused.status_code == 401


def test_an_admin_cannot_lock_themselves_out(client, people, services):
    as_person(client, people["admin"])
    me = people["admin"].username
    r = _post(client, f"/cuentas/{me}", {"rol": "admin", "centros": ""})
    assert r.status_code == 422 and "No puede desactivar su propia cuenta" in r.text
    assert _accounts(services)[me][1] is True


def test_the_forms_need_their_token_and_the_admin_role(client, people, services):
    as_person(client, people["admin"])
    client.get("/cuentas/nueva")
    r = client.post("/cuentas/nueva", data={**NEW, "csrf": "otro"})
    assert r.status_code == 403 and "rosa.perez" not in _accounts(services)
    other = TestClient(client.app)
    as_person(other, people["nutri"])
    assert other.get("/cuentas").status_code == 403
    assert other.get(f"/cuentas/{people['centro'].username}").status_code == 403
    assert client.get("/cuentas/nadie.existe").status_code == 404
