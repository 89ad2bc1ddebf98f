"""People read words, not codes: every page, workbook and CSV a realistic service gives
(shipped data, the shipped cadi and mad cycles signed with their solver facts, 671
centers, a settlement) is scanned for internal codes, ISO dates and numbers without
thousands separators. Plus the Spanish formatters themselves."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from code_scan import csv_texts, leaks, page_text, workbook_texts
from fastapi.testclient import TestClient
from service_fixtures import SECRET
from web_helpers import sign_in, this_monday

from menu_planner import spanish
from menu_planner.api import create_app
from menu_planner.config import Settings
from menu_planner.reference_data import SHIPPED_DATA
from menu_planner.services import (
    ADMIN,
    CENTER_ADMIN,
    FINANCE,
    NUTRITIONIST,
    SYSTEM,
    Services,
)
from menu_planner.services.finance import ReceiptIn
from menu_planner.storage import Database

# What the optimizer writes at a cycle's top level (optimizer/request.py report_dict).
SOLVER_FACTS = {"status": "gap_reached", "objective": "cost", "objective_value": 11.42,
                "lower_bound": 11.31, "gap": 0.0096, "solve_seconds": 41.2,
                "solver": "HiGHS"}


# -- the formatters ------------------------------------------------------------------------
def test_dates_are_written_out_in_spanish() -> None:
    d = date(2026, 12, 21)
    assert spanish.long_date(d) == "lunes 21 de diciembre de 2026"
    assert spanish.day_date(d) == "21 de diciembre de 2026"
    assert spanish.numeric_date(d) == "21/12/2026"
    assert spanish.iso_to_long_date("2026-12-07") == "lunes 7 de diciembre de 2026"
    assert spanish.iso_to_long_date("pronto") == "pronto"
    assert spanish.month_name("2027-02") == "febrero de 2027"


def test_numbers_and_money_have_thousands_separators() -> None:
    assert spanish.integer(16414) == "16,414"
    assert spanish.number(1204.46, 1) == "1,204.5"
    assert spanish.money(1175.57) == "Q1,175.57"
    assert spanish.money(-12) == "-Q12.00"
    assert spanish.money(3, signed=True) == "+Q3.00"
    assert spanish.money(None, blank="sin dato") == "sin dato"


def test_codes_have_names() -> None:
    assert spanish.program_name("cadi") == "Hogares Comunitarios y CADI"
    assert spanish.program_name("cadi", {"cadi": "HC y CADI"}) == "HC y CADI"
    assert spanish.subgroup_name("bajo_peso") == "bajo peso para la talla o la edad"
    assert spanish.subgroup_name("celiaquia") == "celiaquia"
    assert spanish.exchange_group_name("cereales_harinas_y_granos") == \
        "cereales: harinas y granos"
    assert spanish.exchange_group_name("frutas_secas") == "frutas: secas"
    assert spanish.solver_status("gap_reached") == "dentro de la brecha pedida (demostrado)"
    assert spanish.objective_name("cost") == "menor costo"


def test_a_csv_for_people_has_spanish_headers_words_and_dates() -> None:
    rows = [["program", "price_date", "cost_q", "extra"], ["cadi", "2026-12-07", "1.5", "x"]]
    out = spanish.people_csv_rows(rows, spanish.PURCHASE_COLUMNS_ES,
                                  {"program": spanish.PROGRAM_NAMES_ES}, ("price_date",))
    assert out == [["Programa", "Fecha del precio", "Costo (Q)", "extra"],
                   ["Hogares Comunitarios y CADI", "07/12/2026", "1.5", "x"]]


def test_the_scanner_finds_what_it_looks_for() -> None:
    """The scan below can fail: each kind of leak is caught."""
    text = "Programa cadi · bajo_peso · desde el 2026-12-07 · 16414 inscritos · gap_reached"
    found = " ".join(leaks(text, "p"))
    for bad in ("«cadi»", "«bajo_peso»", "«2026-12-07»", "«16414»", "«gap_reached»"):
        assert bad in found
    assert leaks("CADI Cobán 1 · 1601-01 · 16,414 inscritos · Q1,175.57 · 2026", "p") == []


# -- a realistic service --------------------------------------------------------------------
@dataclass
class Realistic:
    services: Services
    app: object
    passwords: dict[str, str]
    cycles: dict[str, int]
    centers: dict[str, str]  # program -> a center of it
    settlement: int
    variant_job: str  # the derivation of the cadi cycle's underweight menu

    def client(self, username: str) -> TestClient:
        c = TestClient(self.app)  # type: ignore[arg-type]
        c.__enter__()
        sign_in(c, username, self.passwords[username])
        return c


def _shipped_cycle(program: str) -> dict[str, object]:
    data = json.loads((SHIPPED_DATA / "cycles" / f"{program}.json").read_text("utf-8"))
    return {**data, **SOLVER_FACTS}


@pytest.fixture(scope="module")
def realistic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Realistic]:
    tmp = tmp_path_factory.mktemp("servicio-real")
    settings = Settings(database_url=f"sqlite:///{tmp / 'real.sqlite3'}", secret_key=SECRET,
                        data_dir=SHIPPED_DATA, token_minutes=60, demo=False)
    services = Services(Database(settings.database_url), settings, None)
    services.start()
    rows = services.centers.find(SYSTEM)
    centers = {p: next(c.center_id for c in rows if c.program == p) for p in ("cadi", "mad")}
    passwords = {n: secrets.token_urlsafe(12) for n in ("nutri", "centro", "fin", "admin")}
    services.accounts.add_user(SYSTEM, "nutri", NUTRITIONIST, passwords["nutri"])
    services.accounts.add_user(SYSTEM, "centro", CENTER_ADMIN, passwords["centro"],
                               list(centers.values()))
    services.accounts.add_user(SYSTEM, "fin", FINANCE, passwords["fin"])
    services.accounts.add_user(SYSTEM, "admin", ADMIN, passwords["admin"])
    app = create_app(services=services)
    cycles = {}
    with TestClient(app) as c:
        token = c.post("/auth/token", data={"username": "nutri",
                                            "password": passwords["nutri"]}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        for program in ("cadi", "mad"):
            r = c.post("/cycles", json={"name": f"Ciclo de prueba {program.upper()}",
                                        "cycle": _shipped_cycle(program)}, headers=headers)
            assert r.status_code == 201, r.text
            cid = int(r.json()["id"])
            r = c.post(f"/cycles/{cid}/approve", headers=headers,
                       json={"start_date": this_monday().isoformat()})
            assert r.status_code == 200, r.text
            cycles[program] = cid
        ids = {u.username: u.id for u, _ in services.accounts.list_users(SYSTEM)}
        actor_for = services.accounts.actor_for
        fin, nutri = actor_for(ids["fin"] or 0), actor_for(ids["nutri"] or 0)
        assert fin is not None and nutri is not None
        # While the app runs (its shutdown stops the job runner).
        job = services.variants.start(nutri, cycles["cadi"], "bajo_peso")
        assert services.runner.wait_idle(600), "la derivación no terminó"
        done = services.jobs.get(nutri, job.id)
        assert done.status == "succeeded", done.error
    month_start = date.today().replace(day=1)
    settled = services.finance.settle(fin, centers["cadi"], f"{month_start:%Y-%m}", [
        ReceiptIn(month_start + timedelta(days=2), "A-101", "Mercado central", 812.40,
                  "alimentos"),
        ReceiptIn(month_start - timedelta(days=3), "A-102", "Tienda", 15.00, "alimentos")])
    try:
        yield Realistic(services, app, passwords, cycles, centers, int(settled.id or 0),
                        job.id)
    finally:
        services.close()


def _pages(r: Realistic) -> dict[str, list[str]]:
    """Page paths per account."""
    cadi, mad = r.centers["cadi"], r.centers["mad"]
    cycle_pages = [f"/ciclos/{cid}{q}" for cid in r.cycles.values() for q in ("", "?semana=2")]
    center_pages = [f"/centros/{c}{p}" for c in (cadi, mad)
                    for p in ("", "/imprimir", "/intercambios?semana=1")]
    return {
        "nutri": ["/ciclos", "/ciclos/generar", "/intercambios", "/metas-especiales",
                  *cycle_pages, f"/ciclos/{r.cycles['cadi']}/intercambios",
                  f"/ciclos/trabajos/{r.variant_job}"],
        "centro": ["/centros", *center_pages],
        "fin": ["/finanzas/caja-chica", "/finanzas/caja-chica?departamento=Guatemala",
                "/finanzas/liquidaciones", f"/finanzas/liquidaciones/{r.settlement}"],
        "admin": ["/", "/centros", "/centros?departamento=Petén", "/cuentas"],
    }


def _downloads(r: Realistic) -> dict[str, list[str]]:
    cadi, mad = r.centers["cadi"], r.centers["mad"]
    variants = r.services.variants.of_cycle(r.cycles["cadi"])
    assert variants, "no se derivó el menú especial"
    return {
        "nutri": [f"/ciclos/{cid}/descargar.xlsx" for cid in r.cycles.values()]
        + [f"/ciclos/{r.cycles['cadi']}/intercambios?formato=xlsx",
           f"/ciclos/{r.cycles['cadi']}/menus-especiales/{variants[0].id}.xlsx"],
        "centro": [f"/centros/{c}/compras.{f}?semana={w}" for c in (cadi, mad)
                   for f in ("xlsx", "csv") for w in (1, 2)]
        + [f"/centros/{cadi}/intercambios?semana=1&formato=xlsx"],
        "fin": ["/finanzas/caja-chica/descargar.xlsx", "/finanzas/caja-chica/descargar.csv"],
    }


def test_no_page_shows_a_code_an_iso_date_or_a_bare_number(realistic: Realistic) -> None:
    found: list[str] = []
    for user, paths in _pages(realistic).items():
        client = realistic.client(user)
        for path in paths:
            resp = client.get(path)
            if resp.status_code != 200:
                found.append(f"{path}: respuesta {resp.status_code}")
            found += leaks(page_text(resp.text), path)
    assert found == [], "\n".join(found)


def test_no_workbook_or_csv_shows_a_code_or_an_iso_date(realistic: Realistic) -> None:
    found: list[str] = []
    kinds = 0
    for user, paths in _downloads(realistic).items():
        client = realistic.client(user)
        for path in paths:
            resp = client.get(path)
            assert resp.status_code == 200, f"{path}: {resp.status_code}"
            texts = csv_texts if ".csv" in path else workbook_texts
            cells = list(texts(resp.content))
            assert cells, f"{path} está vacío"
            kinds += 1
            for where, text in cells:
                found += leaks(text, f"{path} {where}")
    assert kinds == sum(len(p) for p in _downloads(realistic).values())
    assert found == [], "\n".join(found)


def test_a_substitution_download_is_in_words_too(realistic: Realistic) -> None:
    client = realistic.client("centro")
    cadi = realistic.centers["cadi"]
    page = client.get(f"/centros/{cadi}")
    token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    food = page.text.split('name="falta" value="', 1)[1].split('"', 1)[0]
    found: list[str] = []
    form = {"csrf": token, "semana": "1", "falta": [food], "acepto": "1"}
    shown = client.post(f"/centros/{cadi}/sustitucion", data=form)
    assert shown.status_code == 200
    found += leaks(page_text(shown.text), "sustitución")
    for fmt in ("xlsx", "csv"):
        resp = client.post(f"/centros/{cadi}/sustitucion/descargar",
                           data={**form, "formato": fmt})
        assert resp.status_code == 200, resp.text
        texts = csv_texts if fmt == "csv" else workbook_texts
        found += [x for where, t in texts(resp.content) for x in leaks(t, f"{fmt} {where}")]
    assert found == [], "\n".join(found)


def test_the_pages_csv_has_spanish_headers_and_the_api_keeps_the_contract(
        realistic: Realistic) -> None:
    cadi = realistic.centers["cadi"]
    page_csv = realistic.client("centro").get(f"/centros/{cadi}/compras.csv?semana=1")
    header = page_csv.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Semana del ciclo,Código del centro,Centro,Programa")
    token = TestClient(realistic.app).post(  # type: ignore[arg-type]
        "/auth/token", data={"username": "centro",
                             "password": realistic.passwords["centro"]}).json()
    api_csv = TestClient(realistic.app).get(  # type: ignore[arg-type]
        f"/centers/{cadi}/purchases", params={"week": 1, "format": "csv"},
        headers={"Authorization": f"Bearer {token['access_token']}"})
    assert api_csv.status_code == 200, api_csv.text
    assert api_csv.content.decode("utf-8-sig").startswith("week,center_id,center_name")
