"""The exchange pages through TestClient on the tiny data (SQLite and PostgreSQL): exchange
rules and exclusions, special targets, a cycle's exchange list, and a center's missing
foods replaced in the week's list (with the warnings accepted when something breaks)."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from service_fixtures import *  # noqa: F403  (services, people, client...)
from web_helpers import approved_cycle, as_person, csrf_of, this_monday

from menu_planner.services import Services


def cells(content: bytes) -> list[str]:
    """Every non-empty cell of a workbook, as text."""
    book = load_workbook(io.BytesIO(content))
    return [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None]


RULE_FORM = {"grupo": "leguminosas", "alimento": "frijol_negro_cocido",
             "grupo_intercambio": "proteina", "nutrientes": ["protein_g", "iron_mg"],
             "minimo": "0.5", "maximo": "2", "fuente": "Prueba web", "nota": "nota nueva"}


def rule_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'id="regla-(\d+)"', html)]


# -- exchange rules ------------------------------------------------------------------------
def test_the_rules_page_lists_the_seeded_rules_by_food_group(client, people, services):
    as_person(client, people["nutri"])
    r = client.get("/intercambios")
    assert r.status_code == 200 and "Reglas de intercambio" in r.text
    assert len(rule_ids(r.text)) == len(services.exchanges.exchange_rules()) > 5
    # the group rule first, then the food overrides (milk keeps calcium, not protein)
    block = r.text[r.text.index("Leche, derivados y huevos"):]
    assert block.index("todo el grupo") < block.index("Leche fluida entera")
    assert "calcio" in block and "proteína" in block
    assert "0.33 a 3 veces" in r.text and "no se intercambia" in r.text
    assert "Nueva regla" in r.text and "/intercambios/reglas/" in r.text
    assert 'href="/intercambios"' in client.get("/ciclos").text  # in the navigation


def test_a_nutritionist_creates_edits_and_deletes_a_rule(client, people, services: Services):
    as_person(client, people["nutri"])
    before = len(services.exchanges.exchange_rules())
    form = client.get("/intercambios/reglas/nueva")
    assert 'name="nutrientes" value="protein_g"' in form.text and "proteína" in form.text
    r = client.post("/intercambios/reglas/nueva",
                    data={**RULE_FORM, "csrf": csrf_of(form.text)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    saved = next(x for x in services.exchanges.exchange_rules()
                 if x.food_id == "frijol_negro_cocido")
    assert len(services.exchanges.exchange_rules()) == before + 1
    assert (saved.nutrients, saved.min_ratio, saved.max_ratio) == (
        ["protein_g", "iron_mg"], 0.5, 2.0)
    page = client.get(r.headers["location"])
    assert "Cambios guardados" in page.text and f'id="regla-{saved.id}"' in page.text
    assert "Frijol negro cocido" in page.text and "proteína o hierro" in page.text

    edit = client.get(f"/intercambios/reglas/{saved.id}")
    assert 'value="Prueba web"' in edit.text and 'value="iron_mg" checked' in edit.text
    r = client.post(f"/intercambios/reglas/{saved.id}", data={
        **RULE_FORM, "nutrientes": ["protein_g"], "maximo": "2.5",
        "fuente": "Fuente corregida", "csrf": csrf_of(edit.text)})
    assert r.status_code == 200 and "Fuente corregida" in r.text
    assert "0.5 a 2.5 veces" in r.text
    again = next(x for x in services.exchanges.exchange_rules() if x.id == saved.id)
    assert again.nutrients == ["protein_g"] and again.max_ratio == 2.5

    confirm = client.get(f"/intercambios/reglas/{saved.id}/borrar")
    assert "¿Borrar esta regla de intercambio?" in confirm.text
    assert "Frijol negro cocido" in confirm.text and "seguirá la regla de su grupo" in confirm.text
    r = client.post(f"/intercambios/reglas/{saved.id}/borrar",
                    data={"csrf": csrf_of(confirm.text)})
    assert r.status_code == 200 and "Se borró." in r.text
    assert f'id="regla-{saved.id}"' not in r.text
    assert len(services.exchanges.exchange_rules()) == before


def test_an_invalid_rule_shows_each_field_error_keeps_values_and_stores_nothing(
        client, people, services):
    as_person(client, people["nutri"])
    before = [(x.id, x.food_group, x.food_id) for x in services.exchanges.exchange_rules()]
    form = client.get("/intercambios/reglas/nueva")
    r = client.post("/intercambios/reglas/nueva", data={
        "csrf": csrf_of(form.text), "grupo": "", "alimento": "frijol_negro_cocido",
        "grupo_intercambio": "proteina_x", "minimo": "dos", "maximo": "-1",
        "fuente": "Lo que escribí", "nota": "mi nota"})
    assert r.status_code == 422
    assert "Elija el grupo de alimentos de la lista." in r.text
    assert "Escriba el peso mínimo como un número" in r.text
    assert "El peso máximo debe ser mayor que 0." in r.text
    assert "Marque el nutriente que se conserva" in r.text
    assert 'value="dos"' in r.text and 'value="Lo que escribí"' in r.text
    assert 'value="proteina_x"' in r.text and ">mi nota</textarea>" in r.text
    assert 'value="frijol_negro_cocido" selected' in r.text
    assert 'aria-invalid="true"' in r.text
    # the service's check: a food outside the chosen group
    r = client.post("/intercambios/reglas/nueva", data={
        **RULE_FORM, "grupo": "carnes", "csrf": csrf_of(form.text)})
    assert r.status_code == 422 and "es del grupo" in r.text
    assert 'value="carnes" selected' in r.text
    # a second rule for the same food group and food
    r = client.post("/intercambios/reglas/nueva", data={
        **RULE_FORM, "grupo": "lacteos_huevos", "alimento": "", "csrf": csrf_of(form.text)})
    assert r.status_code == 409 and "Ya existe una regla" in r.text
    assert [(x.id, x.food_group, x.food_id) for x in services.exchanges.exchange_rules()] == before


def test_a_center_administrator_reads_the_rules_but_cannot_change_them(client, people,
                                                                      services):
    as_person(client, people["centro"])
    r = client.get("/intercambios")
    assert r.status_code == 200 and "Reglas de intercambio" in r.text
    assert "Nueva regla" not in r.text and "Modificar" not in r.text
    assert "Agregar la exclusión" not in r.text and "/borrar" not in r.text
    rule = services.exchanges.exchange_rules()[0]
    token = csrf_of(r.text)  # the sign-out form's token: a valid session token
    before = len(services.exchanges.exchange_rules())
    for path, data in ((f"/intercambios/reglas/{rule.id}", RULE_FORM),
                       ("/intercambios/reglas/nueva", RULE_FORM),
                       (f"/intercambios/reglas/{rule.id}/borrar", {}),
                       ("/intercambios/exclusiones", {"original": "*", "reemplazo": "sal"}),
                       ("/metas-especiales/nueva", {"programa": "cadi"})):
        p = client.post(path, data={**data, "csrf": token})
        assert p.status_code == 403, path
        assert "No tiene permiso para esta página" in p.text
    assert client.get(f"/intercambios/reglas/{rule.id}").status_code == 403
    assert len(services.exchanges.exchange_rules()) == before
    assert 'href="/intercambios"' not in client.get("/centros").text


def test_exclusions_are_added_checked_and_deleted(client, people, services):
    as_person(client, people["nutri"])
    page = client.get("/intercambios")
    assert "el azúcar no reemplaza la grasa" in page.text and "en ambos sentidos" in page.text
    before = len(services.exchanges.exclusions())
    r = client.post("/intercambios/exclusiones", data={
        "csrf": csrf_of(page.text), "original": "", "reemplazo": "grupo:carnes",
        "programa": "mad", "motivo": "porque sí"})
    assert r.status_code == 422 and "Escriba el alimento original." in r.text
    assert 'value="porque sí"' in r.text and 'value="grupo:carnes" selected' in r.text
    r = client.post("/intercambios/exclusiones", data={
        "csrf": csrf_of(page.text), "original": "huevo_gallina",
        "reemplazo": "frijol_negro_cocido", "programa": "cadi", "ambos": "1",
        "motivo": "prueba de exclusión"})
    assert r.status_code == 200 and "prueba de exclusión" in r.text
    assert len(services.exchanges.exclusions()) == before + 1
    new = next(e for e in services.exchanges.exclusions() if e.reason == "prueba de exclusión")
    assert (new.original, new.replacement, new.program, new.symmetric) == (
        "huevo_gallina", "frijol_negro_cocido", "cadi", True)
    row = r.text[r.text.index(f'id="exclusion-{new.id}"'):]
    assert row.index("Huevo de gallina") < row.index("Frijol negro cocido")
    confirm = client.get(f"/intercambios/exclusiones/{new.id}/borrar")
    assert "¿Borrar esta exclusión?" in confirm.text
    r = client.post(f"/intercambios/exclusiones/{new.id}/borrar",
                    data={"csrf": csrf_of(confirm.text)})
    assert r.status_code == 200 and "prueba de exclusión" not in r.text
    assert len(services.exchanges.exclusions()) == before


# -- special targets -----------------------------------------------------------------------
SPECIAL_FORM = {"programa": "mad", "subgrupo": "diabetes", "grupo_edad": "*",
                "nutriente": "sodium_mg", "base": "day", "minimo": "", "maximo": "900",
                "factor_min": "", "factor_max": "", "fuente": "Prueba", "nota": ""}


def test_special_targets_are_listed_created_and_edited(client, people, services):
    as_person(client, people["nutri"])
    page = client.get("/metas-especiales")
    assert page.status_code == 200
    assert "Mis Años Dorados · Hipertensión" in page.text
    assert "Hogares Comunitarios y CADI · Bajo peso para la talla o la edad" in page.text
    assert "azúcar añadida (g)" in page.text and "porciones" in page.text
    assert "mínimo ×1.25" in page.text and 'href="/metas-especiales/nueva"' in page.text
    form = client.get("/metas-especiales/nueva")
    assert '<option value="*" selected>* (todos)</option>' in form.text
    assert 'value="added_sugar_g">azúcar añadida (g)' in form.text
    r = client.post("/metas-especiales/nueva", data={**SPECIAL_FORM,
                                                    "csrf": csrf_of(form.text)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    new = next(t for t in services.exchanges.special_targets("mad", "diabetes")
               if t.nutrient == "sodium_mg")
    assert new.max == 900 and new.min is None and new.age_group == "*"
    edit = client.get(f"/metas-especiales/{new.id}")
    assert 'value="900"' in edit.text
    r = client.post(f"/metas-especiales/{new.id}", data={
        **SPECIAL_FORM, "maximo": "", "factor_max": "0.9", "nota": "más estricta",
        "csrf": csrf_of(edit.text)})
    assert r.status_code == 200 and "máximo ×0.9" in r.text and "más estricta" in r.text
    again = next(t for t in services.exchanges.special_targets("mad", "diabetes") if t.id == new.id)
    assert again.max is None and again.max_factor == 0.9
    confirm = client.get(f"/metas-especiales/{new.id}/borrar")
    r = client.post(f"/metas-especiales/{new.id}/borrar", data={"csrf": csrf_of(confirm.text)})
    assert r.status_code == 200 and f'id="meta-{new.id}"' not in r.text


def test_an_invalid_special_target_says_why_and_keeps_what_was_typed(client, people,
                                                                     services):
    as_person(client, people["nutri"])
    count = len(services.exchanges.special_targets())
    form = client.get("/metas-especiales/nueva")
    r = client.post("/metas-especiales/nueva", data={
        **SPECIAL_FORM, "subgrupo": "Con Espacios", "maximo": "mucho", "factor_min": "0",
        "nota": "escrito", "csrf": csrf_of(form.text)})
    assert r.status_code == 422
    assert "Escriba el subgrupo en minúsculas" in r.text
    assert "Escriba el máximo como un número" in r.text
    assert "El factor del mínimo debe ser mayor que 0." in r.text
    assert 'value="Con Espacios"' in r.text and 'value="mucho"' in r.text
    # nothing to change, and an age group of another program: the service's checks
    r = client.post("/metas-especiales/nueva", data={
        **SPECIAL_FORM, "maximo": "", "grupo_edad": "1-3y", "csrf": csrf_of(form.text)})
    assert r.status_code == 422
    assert "La fila no cambia nada" in r.text and "Grupo de edad desconocido" in r.text
    assert 'value="1-3y" selected' in r.text
    assert len(services.exchanges.special_targets()) == count


# -- a cycle's exchange list -----------------------------------------------------------------
def test_a_cycle_exchange_list_prints_and_downloads(client, people):
    cid = approved_cycle(client, people["nutri"])
    as_person(client, people["nutri"])
    page = client.get(f"/ciclos/{cid}")
    assert "Lista de intercambio" in page.text and 'name="departamento"' in page.text
    assert '<option value="Quiché">Quiché</option>' in page.text
    html = client.get(f"/ciclos/{cid}/intercambios", params={"formato": "html",
                                                              "departamento": "Quiché"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "attachment" not in html.headers.get("content-disposition", "")
    assert "Huevo de gallina" in html.text and "Frijol negro cocido" in html.text
    assert "Quiché" in html.text
    x = client.get(f"/ciclos/{cid}/intercambios", params={"formato": "xlsx"})
    assert x.status_code == 200 and "attachment" in x.headers["content-disposition"]
    text = cells(x.content)
    assert "Huevo de gallina" in text and any("Frijol negro cocido" in c for c in text)
    bad = client.get(f"/ciclos/{cid}/intercambios", params={"departamento": "Marte"})
    assert bad.status_code == 422 and "Departamento desconocido" in bad.text


# -- a center's missing foods ----------------------------------------------------------------
def center_form(client: TestClient, center: str) -> str:
    page = client.get(f"/centros/{center}")
    assert "¿Falta algún alimento de esta semana o está muy caro?" in page.text
    return page.text


def test_a_center_replaces_a_missing_food_and_downloads_the_list(client, people):
    approved_cycle(client, people["nutri"])
    own = people["centro"].centers[0]
    as_person(client, people["centro"])
    page = center_form(client, own)
    assert 'name="falta" value="huevo_gallina"' in page
    assert f'/centros/{own}/intercambios?semana=1' in page
    xl = client.get(f"/centros/{own}/intercambios", params={"semana": 1})
    assert xl.headers["content-type"].startswith("text/html") and "Huevo de gallina" in xl.text
    x = client.get(f"/centros/{own}/intercambios", params={"semana": 1, "formato": "xlsx"})
    assert "Huevo de gallina" in cells(x.content)

    token = csrf_of(page)
    r = client.post(f"/centros/{own}/sustitucion", data={
        "csrf": token, "semana": "1", "lunes": this_monday().isoformat(),
        "falta": ["huevo_gallina"]})
    assert r.status_code == 200
    assert "Huevo de gallina</strong> → <strong>Frijol negro cocido" in r.text
    assert "1.42 g por cada g, a igual proteína" in r.text
    assert "Lista sin cambios" in r.text and "Fondo de alimentación de la semana" in r.text
    assert "no incumple ninguna meta" in r.text and "Acepto los avisos" not in r.text
    d = client.post(f"/centros/{own}/sustitucion/descargar", data={
        "csrf": token, "semana": "1", "falta": ["huevo_gallina"], "formato": "xlsx"})
    assert d.status_code == 200 and "attachment" in d.headers["content-disposition"]
    text = cells(d.content)
    assert "Frijol negro cocido" in text and "Huevo de gallina" not in text
    c = client.post(f"/centros/{own}/sustitucion/descargar", data={
        "csrf": token, "semana": "1", "falta": ["huevo_gallina"], "formato": "csv"})
    assert "Frijol negro cocido" in c.content.decode("utf-8-sig")


def test_a_substitution_that_breaks_a_target_needs_the_warnings_accepted(client, people,
                                                                        services):
    approved_cycle(client, people["nutri"])
    own = people["centro"].centers[0]
    as_person(client, people["centro"])
    token = csrf_of(center_form(client, own))
    form = {"csrf": token, "semana": "1", "falta": ["frijol_negro_cocido"]}
    r = client.post(f"/centros/{own}/sustitucion", data=form)
    assert r.status_code == 200 and "Frijol negro cocido</strong> → <strong>" in r.text
    assert '<li class="bad">' in r.text and "energía" in r.text and "mínimo" in r.text
    assert "Acepto los avisos" in r.text
    refused = client.post(f"/centros/{own}/sustitucion/descargar",
                          data={**form, "formato": "xlsx"})
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("text/html")
    assert "El cambio incumple metas o el presupuesto" in refused.text
    assert "Acepto los avisos" in refused.text
    ok = client.post(f"/centros/{own}/sustitucion/descargar",
                     data={**form, "formato": "xlsx", "acepto": "1"})
    assert ok.status_code == 200 and "attachment" in ok.headers["content-disposition"]
    assert "Frijol negro cocido" not in cells(ok.content)
    admin = services.accounts.actor_for(_admin_id(services, people))
    assert admin is not None
    events, total = services.accounts.audit_trail(admin, action="aceptar_sustitucion")
    assert total == 1 and events[0].username == people["centro"].username


def _admin_id(services: Services, people) -> int:
    with services.ctx.unit() as uow:
        user = uow.users.by_name(people["admin"].username)
    assert user is not None and user.id is not None
    return user.id


def test_nothing_marked_or_another_centers_week_is_refused_in_words(client, people, services):
    approved_cycle(client, people["nutri"])
    own = people["centro"].centers[0]
    with services.ctx.unit() as uow:
        other = next(c.center_id for c in uow.centers.find() if c.center_id != own)
    as_person(client, people["centro"])
    token = csrf_of(center_form(client, own))
    r = client.post(f"/centros/{own}/sustitucion", data={"csrf": token, "semana": "1"})
    assert r.status_code == 422 and "Indique al menos un alimento que falte." in r.text
    for path in (f"/centros/{other}/sustitucion", f"/centros/{other}/sustitucion/descargar"):
        r = client.post(path, data={"csrf": token, "semana": "1", "falta": "huevo_gallina",
                                    "formato": "xlsx"})
        assert r.status_code == 403 and "Este centro no le corresponde" in r.text, path
    r = client.get(f"/centros/{other}/intercambios", params={"semana": 1})
    assert r.status_code == 403 and "Este centro no le corresponde" in r.text


@pytest.mark.parametrize("path", ["/intercambios/reglas/abc", "/metas-especiales/999",
                                  "/intercambios/exclusiones/999/borrar"])
def test_unknown_rules_are_404_pages(client, people, path):
    as_person(client, people["nutri"])
    r = client.get(path)
    assert r.status_code == 404 and "No encontramos lo que busca" in r.text
