"""The three kinds of user walk their main paths in a real headless Chromium; every page
is also checked at 375 px wide. Screenshots land in test-artifacts/screenshots/."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from browser_support import Live, shot, sign_in
from openpyxl import load_workbook
from web_helpers import signed_cycle, this_monday

from menu_planner.procurement.money import format_q
from menu_planner.services import ADMIN, CENTER_ADMIN, FINANCE, NUTRITIONIST, Actor, Services

pytestmark = pytest.mark.browser

GENERATION_TIMEOUT_MS = 15 * 60 * 1000


def actor(services: Services, username: str) -> Actor:
    with services.ctx.unit() as uow:
        user = uow.users.by_name(username)
    assert user is not None and user.id is not None
    found = services.accounts.actor_for(user.id)
    assert found is not None
    return found


def test_nutritionist_generates_views_and_approves_a_cycle(live: Live, open_browser: Any):
    page = open_browser()
    me = sign_in(page, live, NUTRITIONIST)
    assert page.url.endswith("/ciclos")
    header = page.locator("header").inner_text()
    assert "Nutricionista" in header and "Demostración" in header  # the account's name

    page.get_by_role("link", name="Generar un ciclo nuevo").click()
    page.wait_for_url(re.compile(r"/ciclos/generar$"))
    page.get_by_label("Programa").select_option("cadi")
    page.get_by_label("Precios de").select_option("Nacional")
    page.get_by_label("Nombre (opcional)").fill("Ciclo de prueba en el navegador")
    shot(page, "nutricionista-generar")
    page.get_by_role("button", name="Generar el ciclo").click()

    # The progress page (or, if the solve was instant, the cycle itself).
    page.wait_for_url(re.compile(r"/ciclos/(trabajos/.+|\d+)$"))
    if "/ciclos/trabajos/" in page.url:
        assert page.locator("progress#avance").is_visible()
        assert "Generando el ciclo" in page.locator("h1").inner_text()
        shot(page, "nutricionista-avance")
    page.wait_for_url(re.compile(r"/ciclos/\d+$"), timeout=GENERATION_TIMEOUT_MS)
    cycle_id = int(page.url.rsplit("/", 1)[1])
    row = live.services.cycles.get(cycle_id)
    assert row.status == "draft"

    # The calendar of week 1 for the first age group: one card per service day, the
    # dishes that group is served by slot, its daily cost.
    assert page.locator("h1").inner_text().startswith(f"Ciclo {cycle_id}")
    assert page.locator("#estado-ciclo").inner_text().strip() == "Borrador"
    days = page.locator("ol.days > li")
    week1 = [d for d in row.data["days"] if d["week"] == 1]
    assert days.count() == len(week1) > 0
    first = days.nth(0)
    assert first.locator("h3").inner_text() == "Lunes"
    group = row.data["age_groups"][0]
    served = [it["recipe_id"] for m in week1[0]["meals"] for it in m["items"]
              if it["portions"].get(group, 0) > 0]
    assert first.locator(".dish-name").count() == len(served) > 0
    assert "Costo del día" in first.inner_text() and "Q" in first.locator(".cost").inner_text()
    dish_names = live.services.reference.dataset().recipes
    assert dish_names[served[0]].name_es in first.inner_text()
    # The adequacy chart: one figure per age group, one bar per target.
    charts = page.locator("figure.chart")
    assert charts.count() == len(row.data["age_groups"])
    assert charts.nth(0).locator(".bar-row").count() > 0
    assert charts.nth(0).locator(".bar-fill").count() > 0
    shot(page, "nutricionista-ciclo-semana1")

    page.get_by_role("link", name="Semana 2").click()
    page.wait_for_url(re.compile(r"semana=2&grupo=.+#menu$"))
    assert page.get_by_role("link", name="Semana 2").get_attribute("aria-current") == "page"
    assert "semana 2" in page.locator("#calendario").inner_text()

    # Sign it: week 1 served from this Monday.
    page.get_by_label("Lunes en que se sirve la semana 1").fill(this_monday().isoformat())
    page.get_by_label("Nota (opcional)").fill("Revisado con el equipo de salud infantil")
    page.get_by_role("button", name="Aprobar el ciclo").click()
    page.wait_for_url(re.compile(r"aprobado=1$"))
    assert "Ciclo aprobado como versión" in page.locator(".alert-ok").inner_text()
    assert page.locator("#estado-ciclo").inner_text().startswith("Aprobado")
    assert live.services.cycles.get(cycle_id).status == "approved"
    history = page.locator("ol.history").inner_text()
    assert "aprobó (firmó) el ciclo" in history and me.username in history
    assert page.get_by_role("button", name="Crear un borrador a partir de este ciclo").is_visible()
    shot(page, "nutricionista-ciclo-aprobado")

    page.get_by_role("link", name="Ciclos de menú").first.click()
    page.wait_for_url(re.compile(r"/ciclos$"))
    table = page.locator("#tabla-ciclos")
    assert f"Ciclo {cycle_id}" in table.inner_text() and "Aprobado" in table.inner_text()


def test_center_administrator_sees_prints_and_downloads_the_weeks_list(
        live: Live, open_browser: Any, tmp_path: Path):
    cycle = signed_cycle(live.services)
    page = open_browser()
    account = sign_in(page, live, CENTER_ADMIN)
    center_id = account.centers[0]
    assert page.url.endswith("/centros")
    assert "Administrador(a) de centro" in page.locator("header").inner_text()
    cards = page.locator("ul.cards > li")
    assert cards.count() == len(account.centers)
    cards.first.get_by_role("link").click()
    page.wait_for_url(re.compile(f"/centros/{center_id}$"))

    me = actor(live.services, account.username)
    week = page.locator("section.week").nth(0)
    assert "Esta semana" in week.locator("h2").inner_text()
    cw = 1 if cycle.start_date == this_monday() else None
    purchases = live.services.procurement.week_purchases
    expected, _ = (purchases(me, center_id, monday=this_monday()) if cw
                   else purchases(me, center_id, 1))
    if cw:
        assert "Semana 1 del ciclo" in week.inner_text()
        rows = week.locator("table.purchases tbody tr")
        i = expected.center_index(center_id)
        assert rows.count() == len(expected.lines(i)) > 0
        total = week.locator("td.total").inner_text()
        assert total == format_q(round(float(expected.total_q[i]) * 100))
        assert "Fondo de alimentación de la semana" in week.inner_text()
    assert "La próxima semana" in page.locator("section.week").nth(1).inner_text()
    assert "Caja chica del mes" in page.inner_text("main")
    shot(page, "centro-semana")

    with page.expect_download() as info:
        week.get_by_role("link", name="Descargar Excel").click()
    path = tmp_path / "lista.xlsx"
    info.value.save_as(path)
    book = load_workbook(path)
    cells = " ".join(str(c.value) for ws in book.worksheets for r in ws.iter_rows()
                     for c in r if c.value is not None)
    assert center_id in cells
    names = [ln.food.name_es for ln in expected.lines(expected.center_index(center_id))]
    assert all(n in cells for n in names[:5])

    week.get_by_role("link", name="Versión para imprimir").click()
    page.wait_for_url(re.compile(r"/imprimir\?lunes="))
    assert page.locator("h1").inner_text().startswith("Lista de compras")
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert page.locator("table.purchases").is_visible()
    shot(page, "centro-imprimir")
    page.emulate_media(media="screen")

    # Someone else's center: the 403 page, in words.
    with live.services.ctx.unit() as uow:
        other = next(c.center_id for c in uow.centers.find()
                     if c.center_id not in account.centers)
    response = page.goto(live.url(f"/centros/{other}"))
    assert response is not None and response.status == 403
    assert page.locator("h1").inner_text() == "Este centro no le corresponde"
    assert "Traceback" not in page.content()
    shot(page, "centro-403")
    response = page.goto(live.url("/pagina-que-no-existe"))
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Esta página no existe"


def test_finance_filters_downloads_and_settles(live: Live, open_browser: Any,
                                               tmp_path: Path):
    signed_cycle(live.services)
    page = open_browser()
    fin = actor(live.services, sign_in(page, live, FINANCE).username)
    assert page.url.endswith("/finanzas/caja-chica")
    assert "Unidad financiera" in page.locator("header").inner_text()
    month = re.search(r"mes=(\d{4}-\d{2})", page.locator("a", has_text="Descargar CSV")
                      .get_attribute("href") or "")
    assert month
    report = live.services.finance.caja_chica(fin, month.group(1))
    shown = min(len(report.budgets), 150)  # the national page lists the first 150
    assert page.locator("#tabla-centros tbody tr.center-row").count() == shown
    assert page.locator("#tabla-departamentos tbody tr").count() == len(report.departments)
    assert page.locator("#total-general").inner_text() == format_q(report.national.total)
    shot(page, "finanzas-caja-nacional")

    department = report.budgets[0].center.department
    page.get_by_label("Departamento", exact=True).select_option(department)
    page.get_by_role("button", name="Ver").click()
    page.wait_for_url(re.compile("departamento="))
    in_dept = [b for b in report.budgets if b.center.department == department]
    assert page.locator("#tabla-centros tbody tr.center-row").count() == len(in_dept)
    assert f"Total de {department}" in page.locator("#totales").inner_text()

    page.get_by_label("Departamento", exact=True).select_option("")
    page.get_by_role("checkbox", name="Solo centros con alertas").check()
    page.get_by_role("button", name="Ver").click()
    page.wait_for_url(re.compile("alertas=1"))
    flagged = [b for b in report.budgets if b.flags]
    if flagged:
        rows = page.locator("#tabla-centros tbody tr.center-row")
        assert rows.count() == min(len(flagged), 150)
        assert flagged[0].flags[0] in page.locator("#tabla-centros tr.flag-row").first.inner_text()
    else:
        assert "Ningún centro tiene alertas" in page.inner_text("main")
    shot(page, "finanzas-caja-alertas")

    page.get_by_role("checkbox", name="Solo centros con alertas").uncheck()
    page.get_by_role("button", name="Ver").click()
    page.wait_for_url(lambda url: "alertas" not in url)
    with page.expect_download() as info:
        page.get_by_role("link", name="Descargar Excel").click()
    info.value.save_as(tmp_path / "caja.xlsx")
    book = load_workbook(tmp_path / "caja.xlsx")
    cells = {str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r}
    assert {b.center.center_id for b in report.budgets} <= cells
    with page.expect_download() as info:
        page.get_by_role("link", name="Descargar CSV").click()
    info.value.save_as(tmp_path / "caja.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "caja.csv").read_text("utf-8-sig"))))
    assert len(rows) == len(report.budgets)
    assert {r["Código del centro"] for r in rows} == {b.center.center_id for b in report.budgets}

    # A settlement: a mistyped amount is reported on its field and nothing typed is lost.
    page.get_by_role("link", name="Liquidaciones").click()
    page.wait_for_url(re.compile(r"/finanzas/liquidaciones$"))
    page.get_by_role("link", name="Registrar una liquidación").click()
    page.wait_for_url(re.compile(r"/finanzas/liquidaciones/nueva$"))
    center_id = report.budgets[0].center.center_id
    page.get_by_label("Código del centro").fill(center_id)
    page.get_by_label("Mes liquidado").fill(month.group(1))
    page.locator("#fecha_0").fill(f"{month.group(1)}-05")
    page.locator("#numero_0").fill("A-1023")
    page.locator("#proveedor_0").fill("Abarrotería La Esperanza")
    page.locator("#monto_0").fill("doscientos")
    with page.expect_navigation():  # the form comes back at the same address
        page.get_by_role("button", name="Guardar la liquidación").click()
    assert "Escriba el monto del comprobante 1 como un número" in page.locator(
        "#monto_0-error").inner_text()
    assert page.locator("#proveedor_0").input_value() == "Abarrotería La Esperanza"
    assert page.locator("#monto_0").input_value() == "doscientos"
    assert page.locator("#monto_0").get_attribute("aria-invalid") == "true"
    shot(page, "finanzas-liquidacion-error")
    page.locator("#monto_0").fill("245.50")
    page.get_by_role("button", name="Guardar la liquidación").click()
    page.wait_for_url(re.compile(r"/finanzas/liquidaciones/\d+$"))
    result = page.locator("#resultado").inner_text()
    assert "Q245.50" in result
    assert "aceptado" in page.inner_text("main")
    shot(page, "finanzas-liquidacion")


PHONE_PAGES = {
    NUTRITIONIST: ["/ciclos", "/ciclos/generar", "/ciclos/{cycle}", "/ciclos/{cycle}?semana=2",
                   "/intercambios", "/intercambios/reglas/nueva", "/metas-especiales",
                   "/metas-especiales/nueva"],
    CENTER_ADMIN: ["/centros", "/centros/{center}", "/centros/{center}/imprimir?lunes={monday}",
                   "/centros/{other}"],
    FINANCE: ["/finanzas/caja-chica", "/finanzas/liquidaciones",
              "/finanzas/liquidaciones/nueva"],
    ADMIN: ["/cuentas", "/cuentas/nueva", "/cuentas/{admin}"],
}


# short values of label/value lists (amounts, dates, counts) that wrap onto more than one
# line: at 375 px the caja chica amounts once came out one character per line
SPLIT_SHORT_VALUES = """() => [...document.querySelectorAll('.pairs dd')]
  .filter(e => e.textContent.trim().length <= 14)
  .filter(e => { const r = document.createRange(); r.selectNodeContents(e);
                 return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1; })
  .map(e => e.textContent.trim())"""


def page_values(live: Live) -> dict[str, Any]:
    """What fills the {placeholders} of PHONE_PAGES (a signed cycle, the center
    administrator's center and another one, this week's Monday)."""
    cycle = signed_cycle(live.services)
    mine = live.accounts[CENTER_ADMIN].centers
    with live.services.ctx.unit() as uow:
        other = next(c.center_id for c in uow.centers.find() if c.center_id not in mine)
    return {"cycle": cycle.id, "center": mine[0], "other": other,
            "monday": this_monday().isoformat(), "admin": live.accounts[ADMIN].username}


def test_every_page_fits_a_375_px_phone(live: Live, open_browser: Any):
    values = page_values(live)
    checked = 0
    for role, paths in PHONE_PAGES.items():
        page = open_browser(375, 740)
        sign_in(page, live, role, paths[0])
        for i, raw in enumerate(paths):
            path = raw.format(**values)
            page.goto(live.url(path))
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{path} se desborda a lo ancho ({width} px)"
            assert page.locator("h1").is_visible(), path
            assert page.locator("header .who").is_visible(), path
            box = page.locator("h1").bounding_box()
            assert box is not None and box["x"] + box["width"] <= 375, path
            assert page.evaluate(SPLIT_SHORT_VALUES) == [], f"{path}: valores partidos"
            shot(page, f"telefono-{role}-{i}")
            checked += 1
    login = open_browser(375, 740)
    login.goto(live.url("/entrar"))
    assert login.evaluate("document.documentElement.scrollWidth") <= 375
    assert login.get_by_role("button", name="Entrar").is_visible()
    shot(login, "telefono-entrar")
    assert checked == sum(len(p) for p in PHONE_PAGES.values())
