"""Wide tables on a 375 px phone, in a real headless Chromium: the caja chica table per
center shows every amount of a center (a card per center), and the exchange list shows
the replacement, its amount and its cost, all inside the screen; on a desktop they stay
tables. The center page's price warning and the administrator's accounts page too."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_support import Live, shot, sign_in
from test_browser_roles import actor
from web_helpers import signed_cycle

from menu_planner.procurement.money import format_q
from menu_planner.services import ADMIN, CENTER_ADMIN, FINANCE, NUTRITIONIST

pytestmark = pytest.mark.browser
PHONE = 375


def inside_screen(locator: Any, what: str) -> None:
    """`locator` is visible and lies entirely within the phone's width."""
    assert locator.is_visible(), f"{what} no se ve"
    box = locator.bounding_box()
    assert box is not None, what
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE, f"{what} sale de la pantalla"
    assert box["width"] > 0 and box["height"] > 0, what


def test_caja_chica_amounts_are_on_a_phones_screen(live: Live, open_browser: Any):
    signed_cycle(live.services)
    page = open_browser(PHONE, 740)
    fin = actor(live.services, sign_in(page, live, FINANCE).username)
    month = re.search(r"mes=(\d{4}-\d{2})", page.locator("a", has_text="Descargar CSV")
                      .get_attribute("href") or "")
    assert month
    report = live.services.finance.caja_chica(fin, month.group(1))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    rows = page.locator("#tabla-centros tbody tr.center-row")
    for i in (0, 1):  # the first two centers, every amount of each
        b = report.budgets[i]
        row = rows.nth(i)
        assert b.center.name in row.locator("th").inner_text()
        expected = {"Inscritos": f"{b.enrolled:,}", "Días": str(b.service_days),
                    "Alimentación": format_q(b.food_entitlement),
                    "Otras asignaciones": format_q(b.allowances_total),
                    "Total": format_q(b.total),
                    "Compras planificadas": format_q(b.planned_food)
                    if b.planned_food is not None else "sin ciclo"}
        for label, amount in expected.items():
            cell = row.locator(f'td[data-label="{label}"]')
            inside_screen(cell, f"{label} de {b.center.name}")
            assert amount in cell.inner_text(), (label, cell.inner_text())
            shown = cell.evaluate("e => getComputedStyle(e, '::before').content")
            assert shown == f'"{label}"', f"{label}: la tarjeta no dice qué es ({shown})"
    departments = page.locator("#tabla-departamentos tbody tr")
    first = departments.first.locator('td[data-label="Total"]')
    inside_screen(first, "el total del primer departamento")
    name = departments.first.locator("th").inner_text().strip()
    assert format_q(report.departments[name].total) in first.inner_text()
    rows.first.scroll_into_view_if_needed()
    shot(page, "telefono-caja-chica-tarjetas", full_page=False)

    desk = open_browser(1280, 900)
    sign_in(desk, live, FINANCE)
    assert desk.locator("#tabla-centros thead").is_visible()  # still a table
    cell = desk.locator('#tabla-centros tbody tr.center-row').first.locator(
        'td[data-label="Total"]')
    assert cell.inner_text().strip() == format_q(report.budgets[0].total)


def test_the_exchange_list_shows_the_replacement_on_a_phone(live: Live,
                                                            open_browser: Any):
    cycle = signed_cycle(live.services)
    me = actor(live.services, live.accounts[NUTRITIONIST].username)
    xl, _row = live.services.exchanges.cycle_exchange_list(me, cycle.id or 0, None)
    entry = next(e for e in xl.entries if e.exchanged and e.options)
    page = open_browser(PHONE, 740)
    sign_in(page, live, NUTRITIONIST, f"/ciclos/{cycle.id}/intercambios")
    assert "Lista de intercambio" in page.locator("h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    food = page.locator("tbody.food").first
    assert entry.food.name_es in food.inner_text()
    replacement = food.locator('td[data-label="Reemplazo"]').first
    inside_screen(replacement, "el reemplazo")
    assert entry.options[0].food.name_es in replacement.inner_text()
    for label in ("Cantidad del reemplazo", "Diferencia de costo"):
        inside_screen(food.locator(f'td[data-label="{label}"]').first, label)
    food.scroll_into_view_if_needed()
    shot(page, "telefono-lista-intercambio-tarjetas", full_page=False)

    page.set_viewport_size({"width": 1280, "height": 900})  # a desktop: still a table
    assert page.locator("table.stack thead").first.is_visible()
    header = page.locator("table.stack thead th", has_text="Reemplazo").first
    assert header.is_visible()


def test_a_center_administrator_reads_the_price_dates_on_a_phone(live: Live,
                                                                open_browser: Any):
    signed_cycle(live.services)
    page = open_browser(PHONE, 740)
    account = sign_in(page, live, CENTER_ADMIN)
    page.goto(live.url(f"/centros/{account.centers[0]}"))
    dates = page.locator(".price-dates").first
    inside_screen(dates, "las fechas de los precios")
    assert dates.inner_text().startswith("Precios del ")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE


def test_the_administrator_creates_an_account_on_a_phone(live: Live, open_browser: Any):
    page = open_browser(PHONE, 740)
    sign_in(page, live, ADMIN, "/cuentas")
    assert page.locator("h1").inner_text() == "Cuentas"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    page.get_by_role("link", name="Crear una cuenta").click()
    page.get_by_label("Nombre de usuario").fill("maria.telefono")
    page.get_by_label("Nombre completo").fill("María Teléfono")
    page.get_by_label("Rol").select_option(label="Unidad financiera")
    page.get_by_label("Contraseña").fill("clave-del-telefono-1")
    page.get_by_role("button", name="Crear la cuenta").click()
    page.wait_for_url(re.compile(r"/cuentas\?guardado=maria.telefono"))
    row = page.locator("tr", has_text="maria.telefono")
    inside_screen(row.locator('td[data-label="Rol"]'), "el rol")
    assert "Unidad financiera" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    shot(page, "telefono-cuentas", full_page=False)
