"""Exchange rules, exclusions, special targets, exchange lists and substitutions over HTTP,
on SQLite and PostgreSQL, with the tiny data set and its hand-made cycle."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from service_fixtures import *  # noqa: F403
from service_fixtures import FIXTURE_CYCLE, sign_fixture_cycle, wait_job


@pytest.fixture
def signed(client, auth):
    """The tiny fixture cycle imported and signed by the nutritionist: its id."""
    return sign_fixture_cycle(client, auth["nutri"])


def options_of(doc, food_id):
    entry = next(f for f in doc["foods"] if f["food_id"] == food_id)
    return [o["food_id"] for o in entry["options"]]


def test_rules_are_seeded_from_the_data_directory_defaults(client, auth, services):
    rules = client.get("/exchange-rules", headers=auth["centro"]).json()
    by_group = {(r["food_group"], r["food_id"]): r for r in rules}
    assert by_group[("leguminosas", "")]["nutrients"] == ["protein_g"]
    assert by_group[("otros", "")]["exchange_group"] == ""  # condiments: not exchanged
    exclusions = client.get("/exchange-exclusions", headers=auth["centro"]).json()
    assert {(e["original"], e["replacement"]) for e in exclusions} >= {
        ("grupo:azucares", "grupo:grasas")}
    special = client.get("/special-targets?program=cadi", headers=auth["centro"]).json()
    assert {(t["subgroup"], t["nutrient"]) for t in special} == {
        ("bajo_peso", "energy_kcal"), ("bajo_peso", "protein_g"), ("bajo_peso", "portions")}
    # a restart does not seed them twice
    services.start()
    assert len(client.get("/exchange-rules", headers=auth["nutri"]).json()) == len(rules)


def test_a_nutritionist_edits_a_rule_and_the_exchange_list_follows(client, auth, signed):
    before = client.get(f"/cycles/{signed}/exchanges", headers=auth["nutri"]).json()
    assert "frijol_negro_cocido" in options_of(before, "huevo_gallina")
    # eggs become a food of their own exchange group: beans no longer replace them
    r = client.post("/exchange-rules", json={
        "food_group": "lacteos_huevos", "food_id": "huevo_gallina",
        "exchange_group": "solo_huevo", "nutrients": ["protein_g"]}, headers=auth["nutri"])
    assert r.status_code == 201, r.text
    rule = r.json()
    assert rule["updated_by"] == "nutri.ana"
    after = client.get(f"/cycles/{signed}/exchanges", headers=auth["nutri"]).json()
    assert options_of(after, "huevo_gallina") == []
    assert after["sources"]["menus/exchange_rules.csv"] == "base de datos"
    # back to protein exchanges through an update, then the rule is deleted
    r = client.put(f"/exchange-rules/{rule['id']}", json={
        "food_group": "lacteos_huevos", "food_id": "huevo_gallina",
        "exchange_group": "proteina", "nutrients": ["protein_g"]}, headers=auth["nutri"])
    assert r.status_code == 200 and r.json()["exchange_group"] == "proteina"
    again = client.get(f"/cycles/{signed}/exchanges", headers=auth["nutri"]).json()
    assert "frijol_negro_cocido" in options_of(again, "huevo_gallina")
    assert client.delete(f"/exchange-rules/{rule['id']}",
                         headers=auth["nutri"]).status_code == 204
    assert client.delete(f"/exchange-rules/{rule['id']}",
                         headers=auth["nutri"]).status_code == 404
    audit = client.get("/audit", headers=auth["admin"]).json()["items"]
    actions = [a["action"] for a in audit]
    for action in ("crear_regla_intercambio", "modificar_regla_intercambio",
                   "borrar_regla_intercambio"):
        assert action in actions


def test_a_bad_rule_names_each_field_and_stores_nothing(client, auth):
    count = len(client.get("/exchange-rules", headers=auth["nutri"]).json())
    r = client.post("/exchange-rules", json={
        "food_group": "verduras", "food_id": "huevo_gallina", "nutrients": ["vitamina_x"],
        "min_ratio": 4, "max_ratio": 2}, headers=auth["nutri"])
    assert r.status_code == 422
    fields = {d["field"]: d["message"] for d in r.json()["error"]["details"]}
    assert "vitamina_x" in fields["nutrients"]
    assert "lacteos_huevos" in fields["food_group"]
    assert "min_ratio" in fields
    r = client.post("/exchange-rules", json={"food_group": "leguminosas"},
                    headers=auth["nutri"])
    assert r.status_code == 409  # the group already has its rule
    r = client.post("/exchange-rules", json={"food_group": "verduras"},
                    headers=auth["centro"])
    assert r.status_code == 403
    r = client.post("/exchange-rules", json={"food_group": "verduras", "min_ratio": "1"},
                    headers=auth["nutri"])
    assert r.status_code == 422  # a string is not a number
    assert len(client.get("/exchange-rules", headers=auth["nutri"]).json()) == count


def test_an_exclusion_removes_a_replacement(client, auth, signed):
    r = client.post("/exchange-exclusions", json={
        "original": "huevo_gallina", "replacement": "frijol_negro_cocido",
        "reason": "prueba"}, headers=auth["nutri"])
    assert r.status_code == 201, r.text
    doc = client.get(f"/cycles/{signed}/exchanges", headers=auth["nutri"]).json()
    assert "frijol_negro_cocido" not in options_of(doc, "huevo_gallina")
    r = client.post("/exchange-exclusions", json={
        "original": "grupo:carnitas", "replacement": "no_existe", "program": "zz"},
        headers=auth["nutri"])
    assert r.status_code == 422
    assert {d["field"] for d in r.json()["error"]["details"]} == {
        "original", "replacement", "program"}
    eid = client.get("/exchange-exclusions", headers=auth["nutri"]).json()[-1]["id"]
    assert client.delete(f"/exchange-exclusions/{eid}",
                         headers=auth["centro"]).status_code == 403
    assert client.delete(f"/exchange-exclusions/{eid}",
                         headers=auth["nutri"]).status_code == 204


def test_special_targets_are_edited_and_checked(client, auth):
    r = client.post("/special-targets", json={
        "program": "cadi", "subgroup": "anemia", "age_group": "*", "nutrient": "iron_mg",
        "min_factor": 1.5, "basis": "day", "source": "prueba"}, headers=auth["nutri"])
    assert r.status_code == 201, r.text
    tid = r.json()["id"]
    r = client.put(f"/special-targets/{tid}", json={
        "program": "cadi", "subgroup": "anemia", "age_group": "*", "nutrient": "iron_mg",
        "min": 7.0, "basis": "day"}, headers=auth["nutri"])
    assert r.status_code == 200 and r.json()["min"] == 7.0
    assert r.json()["min_factor"] is None
    r = client.post("/special-targets", json={
        "program": "cadi", "subgroup": "anemia", "age_group": "*", "nutrient": "iron_mg",
        "min": 5.0}, headers=auth["nutri"])
    assert r.status_code == 409
    r = client.post("/special-targets", json={
        "program": "cadi", "subgroup": "x", "age_group": "80y", "nutrient": "hierro",
        "min": 9, "max": 3}, headers=auth["nutri"])
    assert r.status_code == 422
    assert {d["field"] for d in r.json()["error"]["details"]} == {
        "age_group", "nutrient", "min"}
    r = client.post("/special-targets", json={
        "program": "cadi", "subgroup": "x", "nutrient": "iron_mg"}, headers=auth["nutri"])
    assert r.status_code == 422  # changes nothing
    listed = client.get("/special-targets?subgroup=anemia", headers=auth["finanzas"]).json()
    assert [t["min"] for t in listed] == [7.0]
    assert client.delete(f"/special-targets/{tid}", headers=auth["nutri"]).status_code == 204


def test_the_cycle_exchange_list_downloads_as_xlsx_and_html(client, auth, signed):
    r = client.get(f"/cycles/{signed}/exchanges?format=xlsx&department=Quiché",
                   headers=auth["finanzas"])
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    text = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row
                    if c.value is not None)
    assert "Huevo de gallina" in text and "Frijol negro cocido" in text
    assert "Quiché" in text
    assert "filename*=UTF-8''intercambios_ciclo" in r.headers["content-disposition"]
    assert "Quich%C3%A9" in r.headers["content-disposition"]
    r = client.get(f"/cycles/{signed}/exchanges?format=html", headers=auth["nutri"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Lista de intercambio" in r.text
    # every format the list answers in is documented in the contract (found by Schemathesis)
    spec = client.get("/openapi.json").json()["paths"]
    for path in ("/cycles/{cycle_id}/exchanges", "/centers/{center_id}/exchanges"):
        documented = set(spec[path]["get"]["responses"]["200"]["content"])
        assert documented == {"application/json", "text/html", "application/vnd."
                              "openxmlformats-officedocument.spreadsheetml.sheet"}, path
    r = client.get(f"/cycles/{signed}/exchanges?department=Atlantida",
                   headers=auth["nutri"])
    assert r.status_code == 422
    assert client.get("/cycles/9999/exchanges", headers=auth["nutri"]).status_code == 404


def test_a_center_administrator_sees_this_weeks_exchanges(client, auth, people, signed):
    center = people["centro"].centers[0]
    r = client.get(f"/centers/{center}/exchanges?week=2", headers=auth["centro"])
    assert r.status_code == 200, r.text
    doc = r.json()
    week_recipes = {i["recipe_id"] for d in FIXTURE_CYCLE["days"] if d["week"] == 2
                    for m in d["meals"] for i in m["items"]}
    used = {u["recipe_id"] for f in doc["foods"] for u in f["usages"]}
    assert doc["foods"] and used <= week_recipes
    # counted over the week's days only, not the whole cycle's
    def served(weeks):
        return {rid: sum(any(i["recipe_id"] == rid for m in d["meals"] for i in m["items"])
                         for d in FIXTURE_CYCLE["days"] if d["week"] in weeks)
                for rid in week_recipes}

    assert {u["recipe_id"]: u["days"] for f in doc["foods"] for u in f["usages"]} == served(
        {2})
    whole = client.get(f"/cycles/{signed}/exchanges", headers=auth["centro"]).json()
    assert {u["recipe_id"]: u["days"] for f in whole["foods"] for u in f["usages"]} == (
        served(set(range(1, 7))))
    others = client.get("/centers", headers=auth["admin"]).json()
    other = next(c["center_id"] for c in others if c["center_id"] != center)
    assert client.get(f"/centers/{other}/exchanges?week=1",
                      headers=auth["centro"]).status_code == 403
    assert client.get(f"/centers/{center}/exchanges?week=40",
                      headers=auth["centro"]).status_code == 422


def test_exchanges_of_a_week_need_a_signed_cycle(client, auth, people):
    center = people["centro"].centers[0]
    r = client.get(f"/centers/{center}/exchanges?week=1", headers=auth["centro"])
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "sin_ciclo_aprobado"


def test_a_missing_food_is_replaced_in_the_weeks_list(client, auth, people, signed):
    center = people["centro"].centers[0]
    r = client.post(f"/centers/{center}/substitutions",
                    json={"week": 1, "unavailable": ["huevo_gallina"]},
                    headers=auth["centro"])
    assert r.status_code == 200, r.text
    out = r.json()
    sub = out["substitutions"][0]
    assert sub["replacement_id"] == "frijol_negro_cocido"
    assert sub["factor"] == pytest.approx(12.6 / 8.9, rel=1e-4)  # equal protein
    assert out["breaks_something"] is False and out["breaches"] == []
    r = client.get(f"/centers/{center}/purchases/substituted?week=1"
                   "&unavailable=huevo_gallina&format=xlsx", headers=auth["centro"])
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    text = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row
                    if c.value is not None)
    assert "Frijol negro cocido" in text and "Huevo de gallina" not in text
    doc = client.get(f"/centers/{center}/purchases/substituted?week=1"
                     "&unavailable=huevo_gallina", headers=auth["centro"]).json()
    assert "huevo_gallina" not in {line["food_id"] for line in doc["centers"][0]["items"]}


def test_a_substitution_that_breaks_a_target_must_be_accepted(client, auth, people, signed):
    center = people["centro"].centers[0]
    r = client.post(f"/centers/{center}/substitutions",
                    json={"week": 1, "unavailable": ["frijol_negro_cocido"]},
                    headers=auth["centro"])
    assert r.status_code == 200
    out = r.json()
    assert out["breaks_something"] is True
    assert any("energía" in b["message"] for b in out["breaches"])
    url = (f"/centers/{center}/purchases/substituted?week=1"
           "&unavailable=frijol_negro_cocido&format=csv")
    r = client.get(url, headers=auth["centro"])
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "sustitucion_incumple"
    assert any("energía" in d["message"] for d in r.json()["error"]["details"])
    r = client.get(url + "&accept=true", headers=auth["centro"])
    assert r.status_code == 200 and "Huevo de gallina" in r.content.decode("utf-8-sig")
    audit = client.get("/audit?action=aceptar_sustitucion", headers=auth["admin"]).json()
    assert audit["items"] and audit["items"][0]["details"]["breaches"] >= 1


def test_a_food_outside_the_week_is_refused(client, auth, people, signed):
    center = people["centro"].centers[0]
    r = client.post(f"/centers/{center}/substitutions",
                    json={"week": 1, "unavailable": ["papa_inexistente"]},
                    headers=auth["centro"])
    assert r.status_code == 422
    assert "papa_inexistente" in r.json()["error"]["message"]


def derive(client, auth, cycle_id, subgroup="bajo_peso"):
    r = client.post(f"/cycles/{cycle_id}/variants", json={"subgroup": subgroup},
                    headers=auth["nutri"])
    assert r.status_code == 202, r.text
    job = wait_job(client, auth["nutri"], r.json()["id"])
    assert job["status"] == "succeeded", job
    return job["variant_id"]


def test_a_special_menu_is_derived_with_the_stored_special_targets(client, auth, signed):
    # the nutritionist raises the energy factor of underweight children from 1.20 to 1.25
    special = client.get("/special-targets?program=cadi&subgroup=bajo_peso",
                         headers=auth["nutri"]).json()
    energy = next(t for t in special if t["nutrient"] == "energy_kcal")
    body = {k: energy[k] for k in ("program", "subgroup", "age_group", "nutrient", "basis",
                                   "source", "note")}
    r = client.put(f"/special-targets/{energy['id']}",
                   json={**body, "min_factor": 1.25, "max_factor": 1.25},
                   headers=auth["nutri"])
    assert r.status_code == 200, r.text
    vid = derive(client, auth, signed)
    listed = client.get(f"/cycles/{signed}/variants", headers=auth["centro"]).json()
    assert [v["id"] for v in listed] == [vid]
    assert 0 < listed[0]["summary"]["reused_share"] <= 1
    doc = client.get(f"/variants/{vid}", headers=auth["centro"]).json()
    assert doc["variant"]["subgroup"] == "bajo_peso"
    base = {(t["age_group"], t["basis"]): t for t in client.get(
        "/targets?program=cadi", headers=auth["nutri"]).json()
        if t["nutrient"] == "energy_kcal"}
    for t in doc["variant"]["special_targets"]:
        if t["nutrient"] == "energy_kcal":
            assert t["min"] == pytest.approx(base[(t["age_group"], t["basis"])]["min"] * 1.25)
    r = client.get(f"/variants/{vid}?format=xlsx", headers=auth["centro"])
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Resumen", "Cambios", "Menú"]


def test_a_variant_needs_a_known_subgroup_and_a_nutritionist(client, auth, signed):
    r = client.post(f"/cycles/{signed}/variants", json={"subgroup": "diabetes"},
                    headers=auth["nutri"])
    assert r.status_code == 422  # diabetes is a subgroup of mad, not of cadi
    assert "bajo_peso" in r.json()["error"]["message"]
    r = client.post(f"/cycles/{signed}/variants", json={"subgroup": "bajo_peso"},
                    headers=auth["centro"])
    assert r.status_code == 403
    assert client.get("/variants/999", headers=auth["nutri"]).status_code == 404


def test_declared_people_of_a_subgroup_are_bought_their_special_menu(client, auth, people,
                                                                    signed):
    center = people["centro"].centers[0]
    url = f"/centers/{center}/purchases?week=1"
    plain = client.get(url, headers=auth["centro"]).json()["centers"][0]["total_q"]
    bad = client.put(f"/centers/{center}/special-counts",
                     json={"counts": {"bajo_peso": {"1-3y": 99}, "obesidad": {"1-3y": 1}}},
                     headers=auth["centro"])
    assert bad.status_code == 422
    fields = {d["field"] for d in bad.json()["error"]["details"]}
    assert fields == {"counts.obesidad", "counts.*.1-3y"}
    too_many = next(d["message"] for d in bad.json()["error"]["details"]
                    if d["field"] == "counts.*.1-3y")
    assert "Declara 99 personas" in too_many and "el grupo 1 a 3 años" in too_many
    r = client.put(f"/centers/{center}/special-counts",
                   json={"counts": {"bajo_peso": {"1-3y": 3}}}, headers=auth["centro"])
    assert r.status_code == 200 and r.json()["special_counts"] == {"bajo_peso": {"1-3y": 3}}
    # no special menu derived yet: the base menu is bought for them too, and the list
    # says so in words (the subgroup's name, not its code) and what the nutritionist does
    r = client.get(url, headers=auth["centro"])
    assert r.status_code == 200
    listed = r.json()["centers"][0]
    assert listed["total_q"] == plain and listed["items"]
    note = listed["warnings"][0]
    assert "3 personas con menú especial de «bajo peso para la talla o la edad»" in note
    assert "compra el menú base" in note and "Derivar menú especial" in note
    assert "bajo_peso" not in note
    derive(client, auth, signed)
    more = client.get(url, headers=auth["centro"]).json()["centers"][0]["total_q"]
    assert more > plain  # three children eat 20 % more energy
    # cleared again: back to the base list
    client.put(f"/centers/{center}/special-counts", json={"counts": {}},
               headers=auth["centro"])
    assert client.get(url, headers=auth["centro"]).json()["centers"][0]["total_q"] == plain
