"""Exchanges in a real headless Chromium: the nutritionist edits an exchange rule and
prints a cycle's exchange list; the center administrator marks a food missing, reads the
proposed replacement and downloads the week's list with it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browser_support import Live, shot, sign_in
from openpyxl import load_workbook
from test_browser_roles import actor
from web_helpers import signed_cycle

from menu_planner.services import CENTER_ADMIN, NUTRITIONIST

pytestmark = pytest.mark.browser


def test_nutritionist_edits_a_rule_and_prints_the_exchange_list(live: Live,
                                                                open_browser: Any):
    cycle = signed_cycle(live.services)
    page = open_browser()
    sign_in(page, live, NUTRITIONIST)
    page.get_by_role("link", name="Intercambios").first.click()
    page.wait_for_url(re.compile(r"/intercambios$"))
    assert page.locator("h1").inner_text() == "Reglas de intercambio"
    rules = live.services.exchanges.exchange_rules("frutas")
    group_rule = next(r for r in rules if not r.food_id)
    page.goto(live.url(f"/intercambios/reglas/{group_rule.id}"))
    note = page.get_by_label("Nota")
    note.fill("Revisado en la prueba del navegador")
    shot(page, "nutricionista-regla")
    page.get_by_role("button", name=re.compile("Guardar")).click()
    page.wait_for_url(re.compile(r"/intercambios"))
    saved = next(r for r in live.services.exchanges.exchange_rules("frutas")
                 if r.id == group_rule.id)
    assert saved.note == "Revisado en la prueba del navegador"
    assert "Revisado en la prueba del navegador" in page.inner_text("main")

    page.goto(live.url(f"/ciclos/{cycle.id}"))
    page.get_by_label("Precios de").select_option("Quiché")
    page.get_by_role("button", name="Ver para imprimir").click()
    page.wait_for_url(re.compile(r"/intercambios\?"))
    assert "Lista de intercambio" in page.locator("h1").inner_text()
    assert "Quiché" in page.inner_text("body")
    me = actor(live.services, live.accounts[NUTRITIONIST].username)
    xl, _row = live.services.exchanges.cycle_exchange_list(me, cycle.id or 0, "Quiché")
    shown = [e for e in xl.entries if e.exchanged and e.options]
    assert shown and shown[0].food.name_es in page.inner_text("body")
    shot(page, "nutricionista-lista-intercambio")
    page.set_viewport_size({"width": 375, "height": 740})  # on a phone: a card per food
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator(".wide").first.evaluate("e => e.scrollWidth <= e.clientWidth")
    shot(page, "telefono-lista-intercambio", full_page=False)


def test_center_administrator_replaces_a_missing_food(live: Live, open_browser: Any,
                                                     tmp_path: Path):
    signed_cycle(live.services)
    page = open_browser()
    account = sign_in(page, live, CENTER_ADMIN)
    center_id = account.centers[0]
    me = actor(live.services, account.username)
    # a food of this week's list that has a replacement, as the service sees it
    wk, _row = live.services.procurement.week_purchases(me, center_id, 1)
    lines = wk.lines(wk.center_index(center_id))
    missing = None
    for ln in lines:
        if ln.food.food_group not in ("carnes", "lacteos_huevos", "leguminosas"):
            continue
        result, _ = live.services.exchanges.substitution(me, center_id, 1, [ln.food.food_id])
        if result.substitutions[0].replacement is not None:
            missing, expected = ln.food, result
            break
    assert missing is not None, "ningún alimento de proteína de la semana tiene reemplazo"
    replacement = expected.substitutions[0].replacement
    assert replacement is not None

    page.goto(live.url(f"/centros/{center_id}"))
    page.get_by_role("checkbox", name=missing.name_es, exact=True).first.check()
    page.get_by_role("button", name="Buscar reemplazos de esta semana").click()
    page.wait_for_url(re.compile(r"/sustitucion$"))
    proposed = page.locator("ul.subs").inner_text()
    assert missing.name_es in proposed and replacement.name_es in proposed
    shot(page, "centro-sustitucion")
    if expected.breaks_something:
        page.get_by_role("checkbox", name=re.compile("Acepto los avisos")).check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Descargar Excel").click()
    path = tmp_path / "con_cambios.xlsx"
    info.value.save_as(path)
    cells = " ".join(str(c.value) for ws in load_workbook(path).worksheets
                     for r in ws.iter_rows() for c in r if c.value is not None)
    assert replacement.name_es in cells

    page.goto(live.url(f"/centros/{center_id}"))
    page.get_by_role("link", name="Intercambios de esta semana").click()
    page.wait_for_url(re.compile(r"/intercambios\?semana="))
    assert "Lista de intercambio" in page.locator("h1").inner_text()
    shot(page, "centro-intercambios-semana")


def test_nutritionist_derives_a_special_menu(live: Live, open_browser: Any, tmp_path: Path):
    cycle = signed_cycle(live.services)
    page = open_browser()
    sign_in(page, live, NUTRITIONIST)
    page.goto(live.url(f"/ciclos/{cycle.id}"))
    box = page.locator("#menus-especiales")
    box.get_by_label("Subgrupo").select_option("bajo_peso")
    box.get_by_role("button", name="Derivar menú especial").click()
    # the progress page, then back to the cycle's box when the job is done
    page.wait_for_url(re.compile(r"menu_especial=\d+"), timeout=10 * 60 * 1000)
    variants = live.services.variants.of_cycle(cycle.id or 0)
    assert variants and variants[0].subgroup == "bajo_peso"
    kept = round(variants[0].summary["reused_share"] * 100)
    text = page.locator("#menus-especiales").inner_text()
    assert f"Conserva {kept} %" in text
    shot(page, "nutricionista-menu-especial")
    with page.expect_download() as info:
        page.locator("#menus-especiales").get_by_role("link", name="Excel").first.click()
    path = tmp_path / "especial.xlsx"
    info.value.save_as(path)
    assert load_workbook(path).sheetnames == ["Resumen", "Cambios", "Menú"]
