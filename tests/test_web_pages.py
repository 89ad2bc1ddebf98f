"""The web pages through TestClient: sign-in and sessions, CSRF, each role's pages in
Spanish, 403/404 pages, and forms that keep what was typed. Tiny data, fixture cycle."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from service_fixtures import *  # noqa: F403  (the service's fixtures: services, people, client...)
from service_fixtures import TINY, Person, fixture_planner
from web_helpers import csrf_of, sign_in, signed_cycle, this_monday

from menu_planner.services import Services
from menu_planner.web.session import SESSION_COOKIE


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'web.sqlite3'}"


@pytest.fixture
def data_dir() -> Path:
    return TINY


@pytest.fixture
def planner():  # type: ignore[no-untyped-def]
    return fixture_planner


def as_person(client: TestClient, person: Person, next_url: str = "/") -> TestClient:
    sign_in(client, person.username, person.password, next_url)
    return client


HTML = {"accept": "text/html"}


# -- sign-in ------------------------------------------------------------------------------
def test_a_page_without_a_session_sends_the_person_to_sign_in(client):
    r = client.get("/ciclos?semana=2", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/entrar?siguiente=/ciclos%3Fsemana%3D2"
    page = client.get(r.headers["location"])
    assert '<html lang="es">' in page.text and "Iniciar sesión" in page.text
    assert '<label for="usuario">Usuario</label>' in page.text


def test_signing_in_sets_an_httponly_lax_cookie_and_returns_to_the_page(client, people):
    page = client.get("/entrar", params={"siguiente": "/ciclos/generar"})
    r = client.post("/entrar", data={"usuario": people["nutri"].username,
                                     "clave": people["nutri"].password,
                                     "csrf": csrf_of(page.text),
                                     "siguiente": "/ciclos/generar"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/ciclos/generar"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    # The cookie carries the same token the API accepts.
    token = client.cookies[SESSION_COOKIE]
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["username"] == people["nutri"].username


def test_a_wrong_password_keeps_the_user_name_and_says_why(client, people):
    page = client.get("/entrar")
    r = client.post("/entrar", data={"usuario": "nutri.ana", "clave": "equivocada",
                                     "csrf": csrf_of(page.text)})
    assert r.status_code == 401
    assert "Usuario o contraseña incorrectos" in r.text
    assert 'value="nutri.ana"' in r.text
    assert SESSION_COOKIE not in client.cookies


def test_sign_in_without_its_form_token_is_refused(client, people):
    client.get("/entrar")
    r = client.post("/entrar", data={"usuario": people["nutri"].username,
                                     "clave": people["nutri"].password, "csrf": "otro"})
    assert r.status_code == 403 and "El formulario venció" in r.text
    assert SESSION_COOKIE not in client.cookies


def test_next_address_must_be_local(client, people):
    page = client.get("/entrar", params={"siguiente": "https://malo.example/x"})
    assert 'name="siguiente" value="/"' in page.text


def test_every_page_names_who_is_signed_in_and_the_role(client, people):
    as_person(client, people["finanzas"])
    r = client.get("/finanzas/liquidaciones")
    assert "fin.jorge" in r.text and "Unidad financiera" in r.text


def test_each_role_starts_where_its_work_is(client, people):
    for key, target in (("nutri", "/ciclos"), ("centro", "/centros"),
                        ("finanzas", "/finanzas/caja-chica")):
        client.cookies.clear()
        as_person(client, people[key])
        r = client.get("/", follow_redirects=False)
        assert r.headers["location"] == target


def test_logout_needs_the_session_token_and_ends_the_session(client, people):
    as_person(client, people["nutri"])
    r = client.post("/salir", data={"csrf": "falso"})
    assert r.status_code == 403 and "El formulario venció" in r.text
    page = client.get("/ciclos")
    r = client.post("/salir", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/entrar"
    assert client.get("/ciclos", follow_redirects=False).status_code == 303


# -- nutritionist -------------------------------------------------------------------------
def test_generation_form_errors_are_per_field_and_keep_the_values(client, people):
    as_person(client, people["nutri"])
    page = client.get("/ciclos/generar")
    r = client.post("/ciclos/generar", data={
        "csrf": csrf_of(page.text), "programa": "cadi", "departamento": "Marte",
        "presupuesto": "treinta", "objetivo": "cost", "semanas": "40",
        "rotacion": "0", "nombre": "Mi ciclo"})
    assert r.status_code == 422
    assert ("El tope de veces por plato principal debe ser un número entero de 1 a 84."
            in r.text)
    assert "Elija la región de precios de la lista." in r.text
    assert "Escriba el presupuesto diario como un número" in r.text
    assert "El número de semanas debe ser un número entero de 1 a 12." in r.text
    assert 'value="treinta"' in r.text and 'value="Mi ciclo"' in r.text
    assert 'aria-invalid="true"' in r.text


def test_generating_shows_progress_then_the_cycle(client, people, services: Services):
    as_person(client, people["nutri"])
    page = client.get("/ciclos/generar")
    r = client.post("/ciclos/generar", data={
        "csrf": csrf_of(page.text), "programa": "cadi", "departamento": "Nacional",
        "presupuesto": "", "objetivo": "cost", "semanas": "6", "rotacion": "4",
        "nombre": "Ciclo web"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/ciclos/trabajos/")
    job_url = r.headers["location"]
    assert services.runner.wait_idle(60)
    with services.ctx.unit() as uow:
        job = uow.jobs.get(job_url.rsplit("/", 1)[1])
        assert job is not None and job.params["main_dish_max_per_cycle"] == 4
    state = client.get(job_url + "/estado").json()
    assert state["status"] == "succeeded" and state["cycle_url"].startswith("/ciclos/")
    cycle = client.get(job_url)
    assert str(cycle.url).endswith(state["cycle_url"])
    assert "Borrador" in cycle.text and "Costo del día" in cycle.text
    assert cycle.text.count('class="day card"') == 5
    assert cycle.text.count('class="card chart"') == 3  # one chart per age group
    assert "bar-fill" in cycle.text and "Aprobar el ciclo" in cycle.text


def test_the_progress_page_works_without_javascript(client, people, services):
    from menu_planner.storage.models import JobRow

    with services.ctx.unit() as uow:
        uow.jobs.add(JobRow(id="trabajo-en-curso", kind="generar_ciclo", status="running",
                            progress=0.42, message="Buscando menús", params={
                                "program": "cadi", "department": "Nacional"}))
    as_person(client, people["nutri"])
    r = client.get("/ciclos/trabajos/trabajo-en-curso")
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in r.text
    assert 'value="42"' in r.text and "Buscando menús" in r.text


def test_a_failed_generation_shows_the_diagnosis_in_plain_spanish(client, people, services):
    from menu_planner.storage.models import JobRow

    error = {"code": "sin_solucion", "message": "Ningún ciclo cumple las metas.",
             "details": [{"lines_es": ["Falta hierro para 1 a 3 años: 0.8 mg al día.",
                                       "Con Q34.10 al día sí hay ciclo."]}]}
    with services.ctx.unit() as uow:
        uow.jobs.add(JobRow(id="trabajo-fallido", kind="generar_ciclo", status="failed",
                            progress=1.0, message=error["message"], error=error,
                            params={"program": "cadi"}))
    as_person(client, people["nutri"])
    r = client.get("/ciclos/trabajos/trabajo-fallido")
    assert "No se pudo generar el ciclo" in r.text and "Diagnóstico" in r.text
    assert "Falta hierro para 1 a 3 años" in r.text and "Con Q34.10 al día" in r.text


def test_approving_needs_a_monday_and_keeps_the_note(client, people, services):
    as_person(client, people["nutri"])
    job = client.post("/ciclos/generar", data={
        "csrf": csrf_of(client.get("/ciclos/generar").text), "programa": "cadi",
        "departamento": "Nacional", "objetivo": "cost", "semanas": "6"})
    services.runner.wait_idle(60)
    rows, _ = services.cycles.find()
    cid = rows[0].id
    page = client.get(f"/ciclos/{cid}")
    tuesday = this_monday() + timedelta(days=1)
    r = client.post(f"/ciclos/{cid}/aprobar", data={
        "csrf": csrf_of(page.text), "inicio": tuesday.isoformat(), "nota": "Con cuidado",
        "revision": "1"})
    assert r.status_code == 422
    assert "no es lunes" in r.text and "Con cuidado" in r.text
    r = client.post(f"/ciclos/{cid}/aprobar", data={
        "csrf": csrf_of(page.text), "inicio": this_monday().isoformat(), "nota": "Listo",
        "revision": "1"})
    assert r.status_code == 200 and "Ciclo aprobado como versión 1" in r.text
    assert services.cycles.get(cid).status == "approved"
    assert "aprobó (firmó) el ciclo como versión 1" in r.text
    assert job.status_code == 200


def test_a_nutritionist_cannot_approve_without_the_form_token(client, people, services):
    row = signed_cycle(services)
    as_person(client, people["nutri"])
    r = client.post(f"/ciclos/{row.id}/aprobar", data={"inicio": "2027-01-04"})
    assert r.status_code == 403 and "El formulario venció" in r.text


def test_an_unknown_cycle_is_a_404_page(client, people):
    as_person(client, people["nutri"])
    for path in ("/ciclos/999", "/ciclos/abc"):
        r = client.get(path)
        assert r.status_code == 404 and "No encontramos lo que busca" in r.text
        assert "Traceback" not in r.text


# -- center administrator -----------------------------------------------------------------
def test_the_center_page_lists_this_weeks_purchases_against_the_fund(client, people, services):
    signed_cycle(services)
    own = people["centro"].centers[0]
    as_person(client, people["centro"])
    r = client.get(f"/centros/{own}")
    assert r.status_code == 200
    assert "Esta semana" in r.text and "La próxima semana" in r.text
    assert "Semana <strong>1</strong> del ciclo" in r.text
    assert "Semana <strong>2</strong> del ciclo" in r.text
    assert "Total de la semana" in r.text and "Fondo de alimentación de la semana" in r.text
    assert "Caja chica del mes" in r.text
    x = client.get(f"/centros/{own}/compras.xlsx", params={"semana": 1})
    assert x.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(x.content))
    assert any(own in str(c.value) for ws in book.worksheets for row in ws.iter_rows()
               for c in row)
    p = client.get(f"/centros/{own}/imprimir", params={"lunes": this_monday().isoformat()})
    assert "Lista de compras" in p.text and "data-print" in p.text


def test_another_centers_page_is_a_403_page_in_words(client, people, services):
    own = people["centro"].centers[0]
    with services.ctx.unit() as uow:
        other = next(c.center_id for c in uow.centers.find() if c.center_id != own)
    as_person(client, people["centro"])
    for path in (f"/centros/{other}", f"/centros/{other}/compras.xlsx?semana=1",
                 f"/centros/{other}/imprimir?lunes=2027-01-04"):
        r = client.get(path)
        assert r.status_code == 403, path
        assert "Este centro no le corresponde" in r.text
    assert client.get("/finanzas/caja-chica").status_code == 403


def test_without_a_signed_cycle_the_center_page_says_so(client, people):
    as_person(client, people["centro"])
    r = client.get(f"/centros/{people['centro'].centers[0]}")
    assert r.status_code == 200 and "todavía no tiene un ciclo de menú aprobado" in r.text


# -- finance ------------------------------------------------------------------------------
def test_caja_chica_filters_by_department_and_flags(client, people, services):
    signed_cycle(services)
    as_person(client, people["finanzas"])
    r = client.get("/finanzas/caja-chica", params={"mes": "2027-03"})
    assert "Caja chica de marzo de 2027" in r.text and "Total nacional" in r.text
    for center in ("2420-20", "4168-12", "MAD-0001"):
        assert f'<a href="/centros/{center}">' in r.text
    d = client.get("/finanzas/caja-chica", params={"mes": "2027-03",
                                                   "departamento": "Baja Verapaz"})
    assert "Total de Baja Verapaz" in d.text and "2420-20" in d.text
    assert "4168-12" not in d.text
    f = client.get("/finanzas/caja-chica", params={"mes": "2027-03", "alertas": "1"})
    assert "solo centros con alertas" in f.text
    csv_text = client.get("/finanzas/caja-chica/descargar.csv",
                          params={"mes": "2027-03", "departamento": "Baja Verapaz"}
                          ).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Mes,Código del centro,Centro,Programa")
    assert len(csv_text.splitlines()) == 2 and "2420-20" in csv_text


def test_a_bad_month_falls_back_and_says_so(client, people):
    as_person(client, people["finanzas"])
    r = client.get("/finanzas/caja-chica", params={"mes": "marzo"})
    assert r.status_code == 200 and "El mes debe escribirse AAAA-MM" in r.text


def test_settlement_errors_are_per_field_and_keep_what_was_typed(client, people):
    as_person(client, people["finanzas"])
    page = client.get("/finanzas/liquidaciones/nueva")
    r = client.post("/finanzas/liquidaciones/nueva", data={
        "csrf": csrf_of(page.text), "centro": "9999-99", "mes": "2027-3", "filas": "5",
        "asignado": "-5", "fecha_0": "05/03/2027", "numero_0": "A-1",
        "proveedor_0": "Tienda Doña Tere", "monto_0": "12.345", "accion": "guardar"})
    assert r.status_code == 422
    assert "Escriba el mes como AAAA-MM" in r.text
    assert "El fondo asignado debe ser al menos Q0." in r.text
    assert "La fecha del comprobante 1 debe ser una fecha AAAA-MM-DD" in r.text
    assert "El monto del comprobante 1 puede tener a lo más dos decimales." in r.text
    assert 'value="Tienda Doña Tere"' in r.text and 'value="12.345"' in r.text
    assert 'value="05/03/2027"' in r.text and 'value="9999-99"' in r.text


def test_a_settlement_is_saved_and_shown(client, people):
    as_person(client, people["finanzas"])
    page = client.get("/finanzas/liquidaciones/nueva")
    r = client.post("/finanzas/liquidaciones/nueva", data={
        "csrf": csrf_of(page.text), "centro": "2420-20", "mes": "2027-03", "filas": "5",
        "asignado": "1,500.00", "fecha_0": "2027-03-05", "numero_0": "A-1",
        "proveedor_0": "Tienda", "monto_0": "Q245.50", "fecha_1": "2027-04-01",
        "numero_1": "A-2", "proveedor_1": "Tienda", "monto_1": "10", "accion": "guardar"})
    assert r.status_code == 200 and "/finanzas/liquidaciones/" in str(r.url)
    assert "Q1,500.00" in r.text and "Q245.50" in r.text
    assert "observado" in r.text  # the April receipt does not count for March
    assert "Saldo a devolver" in r.text and "Q1,254.50" in r.text
    lst = client.get("/finanzas/liquidaciones")
    assert "2420-20" in lst.text and "marzo de 2027" in lst.text


def test_more_receipt_rows_keep_what_was_typed(client, people):
    as_person(client, people["finanzas"])
    page = client.get("/finanzas/liquidaciones/nueva")
    r = client.post("/finanzas/liquidaciones/nueva", data={
        "csrf": csrf_of(page.text), "centro": "2420-20", "mes": "2027-03", "filas": "5",
        "proveedor_0": "Tienda", "accion": "mas_filas"})
    assert r.status_code == 200 and 'id="fecha_9"' in r.text
    assert 'value="Tienda"' in r.text


# -- errors -------------------------------------------------------------------------------
def test_an_unknown_address_is_a_404_page_for_browsers_and_json_for_programs(client):
    page = client.get("/no-existe", headers=HTML)
    assert page.status_code == 404 and "Esta página no existe" in page.text
    api = client.get("/no-existe")
    assert api.status_code == 404 and api.json()["error"]["code"] == "no_encontrado"


def test_the_404_page_still_says_who_is_signed_in(client, people):
    as_person(client, people["finanzas"])
    page = client.get("/no-existe", headers=HTML)
    assert page.status_code == 404 and "fin.jorge" in page.text and "Salir" in page.text


def test_roles_without_permission_get_a_403_page(client, people):
    as_person(client, people["centro"])
    r = client.get("/ciclos/generar")
    assert r.status_code == 403 and "No tiene permiso para esta página" in r.text
    assert "Administrador(a) de centro" in r.text


def test_static_files_are_served(client):
    assert "body" in client.get("/static/app.css").text
    assert "data-job-status-url" in client.get("/static/app.js").text


def test_reoptimizing_sends_the_pinned_and_excluded_dishes(client, people, services,
                                                           monkeypatch):
    row = signed_cycle(services)
    asked: list = []

    class Job:
        id = "nuevo-trabajo"

    def capture(self, actor, params):  # stands in for queueing the generation
        asked.append(params)
        return Job()

    monkeypatch.setattr(type(services.jobs), "start_generation", capture)
    as_person(client, people["nutri"])
    page = client.get(f"/ciclos/{row.id}")
    assert 'name="fijar"' in page.text and "Volver a optimizar" in page.text
    first = row.data["days"][0]
    dish = first["meals"][0]["items"][0]["recipe_id"]
    slot = first["meals"][0]["slot"]
    r = client.post(f"/ciclos/{row.id}/reoptimizar", data={
        "csrf": csrf_of(page.text), "fijar": [f"{dish}|1|1|{slot}", "roto"],
        "excluir": ["atol_viejo"]}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/ciclos/trabajos/nuevo-trabajo"
    (params,) = asked
    assert params.pins == [{"recipe_id": dish, "week": 1, "weekday": 1, "slot": slot}]
    assert params.exclusions == [{"recipe_id": "atol_viejo", "weeks": []}]
    assert params.program == "cadi" and params.name.endswith("(reoptimizado)")


def test_a_crash_is_a_500_page_without_technical_details(services, people, monkeypatch):
    from menu_planner.api import create_app

    def broken(*_a, **_k):
        raise RuntimeError("detalle interno que nadie debe ver")

    monkeypatch.setattr(type(services.cycles), "find", broken)
    with TestClient(create_app(services=services), raise_server_exceptions=False) as c:
        as_person(c, people["nutri"])
        r = c.get("/ciclos")
    assert r.status_code == 500
    assert "Algo falló de nuestro lado" in r.text
    assert "detalle interno" not in r.text and "Traceback" not in r.text
