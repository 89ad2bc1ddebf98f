"""The API's conventions: sign-in, roles, Spanish structured errors, health, landing page."""

from __future__ import annotations

import jwt
from service_fixtures import *  # noqa: F403
from service_fixtures import SECRET, Person, login

from menu_planner.services import ADMIN


def test_the_landing_page_is_spanish_html_and_the_docs_answer(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'lang="es"' in r.text
    assert client.get("/docs").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"].startswith("Planificador")


def test_health_reports_the_database(client):
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok" and r.json()["database"] == "ok"
    assert r.json()["data_revision"] >= 1


def test_a_request_without_token_gets_401_in_spanish(client):
    r = client.get("/foods")
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    err = r.json()["error"]
    assert err["code"] == "no_autenticado" and "Inicie sesión" in err["message"]


def test_a_wrong_password_and_an_unknown_user_get_the_same_401(client, people):
    nutri = people["nutri"]
    bad = client.post("/auth/token", data={"username": nutri.username, "password": "x" * 12})
    ghost = client.post("/auth/token", data={"username": "nadie", "password": "x" * 12})
    assert bad.status_code == ghost.status_code == 401
    assert bad.json() == ghost.json()


def test_a_forged_or_expired_token_is_refused(client, people):
    headers = login(client, people["nutri"])
    assert client.get("/auth/me", headers=headers).status_code == 200
    forged = jwt.encode({"sub": "1", "iss": "menu_planner", "exp": 9999999999},
                        "otra-clave-" + "y" * 32, algorithm="HS256")
    expired = jwt.encode({"sub": "1", "iss": "menu_planner", "exp": 1}, SECRET,
                         algorithm="HS256")
    for token in (forged, expired, "basura"):
        r = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401 and r.json()["error"]["code"] == "token_invalido"


def test_me_names_the_role_and_centers(client, auth, people):
    me = client.get("/auth/me", headers=auth["centro"]).json()
    assert me["role"] == "administrador_centro"
    assert me["centers"] == list(people["centro"].centers)


def test_a_deactivated_account_loses_access_at_once(client, auth, people):
    r = client.patch(f"/users/{people['nutri'].username}", json={"active": False},
                     headers=auth["admin"])
    assert r.status_code == 200 and r.json()["active"] is False
    assert client.get("/auth/me", headers=auth["nutri"]).status_code == 401


def test_only_admin_manages_users(client, auth):
    body = {"username": "nueva.nutri", "role": "nutricionista", "password": "z" * 12}
    assert client.post("/users", json=body, headers=auth["nutri"]).status_code == 403
    r = client.post("/users", json=body, headers=auth["admin"])
    assert r.status_code == 201 and r.json()["username"] == "nueva.nutri"
    again = client.post("/users", json=body, headers=auth["admin"])
    assert again.status_code == 409 and again.json()["error"]["code"] == "usuario_existe"


def test_a_center_administrator_needs_known_centers(client, auth):
    body = {"username": "centro.x", "role": "administrador_centro", "password": "z" * 12}
    r = client.post("/users", json=body, headers=auth["admin"])
    assert r.status_code == 422
    body["centers"] = ["NO-EXISTE"]
    r = client.post("/users", json=body, headers=auth["admin"])
    assert r.status_code == 422
    assert any("NO-EXISTE" in d["message"] for d in r.json()["error"]["details"])


def test_passwords_are_stored_hashed_with_argon2(services, people):
    with services.ctx.unit() as uow:
        row = uow.users.by_name(people["admin"].username)
    assert row.password_hash.startswith("$argon2")
    assert people["admin"].password not in row.password_hash


def test_validation_errors_are_translated_to_spanish(client, auth):
    r = client.post("/cycles/generate", json={"program": "cadi", "weeks": 0, "extra": 1},
                    headers=auth["nutri"])
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "datos_invalidos"
    by_field = {d["field"]: d["message"] for d in err["details"]}
    assert by_field["weeks"] == "debe ser mayor o igual que 1"
    assert by_field["extra"] == "este campo no se admite"


def test_malformed_json_is_a_422_not_a_500(client, auth):
    r = client.post("/cycles/generate", content=b"{no es json",
                    headers={**auth["nutri"], "Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["message"] == "el cuerpo no es JSON válido"


def test_unknown_paths_and_ids_are_structured_404s(client, auth):
    r = client.get("/no-existe")
    assert r.status_code == 404 and r.json()["error"]["code"] == "no_encontrado"
    r = client.get("/foods/no_existe", headers=auth["nutri"])
    assert r.status_code == 404 and "no_existe" in r.json()["error"]["message"]
    r = client.get("/cycles/2147483647", headers=auth["nutri"])
    assert r.status_code == 404


def test_a_nul_character_is_refused_not_a_crash(client, auth):
    r = client.get("/foods", params={"search": "a\x00b"}, headers=auth["nutri"])
    assert r.status_code in (200, 422)


def test_reference_data_reads(client, auth):
    h = auth["centro"]
    foods = client.get("/foods", params={"limit": 3}, headers=h).json()
    assert foods["total"] >= 3 and len(foods["items"]) == 3
    food = foods["items"][0]
    assert client.get(f"/foods/{food['food_id']}", headers=h).json() == food
    prices = client.get("/prices", params={"food_id": food["food_id"]}, headers=h).json()
    assert all(p["food_id"] == food["food_id"] for p in prices["items"])
    programs = {p["program"] for p in client.get("/programs", headers=h).json()}
    assert {"cadi", "mad"} <= programs
    recipes = client.get("/recipes", params={"program": "cadi"}, headers=h).json()
    assert recipes and all("cadi" in r["programs"] for r in recipes)
    detail = client.get(f"/recipes/{recipes[0]['recipe_id']}", headers=h).json()
    assert detail["ingredients"] and detail["per_portion"]["energy_kcal"] > 0


def test_a_nutritionist_edits_a_target_and_the_change_is_audited(client, auth, people):
    targets = client.get("/targets", params={"program": "cadi", "age_group": "4-6y"},
                         headers=auth["nutri"]).json()
    energy = next(t for t in targets if t["nutrient"] == "energy_kcal")
    r = client.put(f"/targets/{energy['id']}", json={"min": 700, "max": 1300},
                   headers=auth["nutri"])
    assert r.status_code == 200 and (r.json()["min"], r.json()["max"]) == (700, 1300)
    assert r.json()["updated_by"] == people["nutri"].username
    r = client.put(f"/targets/{energy['id']}", json={"min": 900, "max": 800},
                   headers=auth["nutri"])
    assert r.status_code == 422
    assert client.put(f"/targets/{energy['id']}", json={"min": 1},
                      headers=auth["centro"]).status_code == 403
    events = client.get("/audit", params={"action": "modificar_meta"},
                        headers=auth["admin"]).json()["items"]
    assert events[0]["details"]["after"] == {"min": 700, "max": 1300}


def test_a_new_target_is_validated(client, auth):
    body = {"program": "cadi", "age_group": "4-6y", "nutrient": "zinc_mg", "min": 3}
    r = client.post("/targets", json=body, headers=auth["nutri"])
    assert r.status_code == 201
    assert client.post("/targets", json=body, headers=auth["nutri"]).status_code == 409
    bad = {**body, "nutrient": "vitamina_z", "age_group": "99y"}
    r = client.post("/targets", json=bad, headers=auth["nutri"])
    assert r.status_code == 422
    assert {d["field"] for d in r.json()["error"]["details"]} == {"age_group", "nutrient"}


def test_a_center_administrator_sees_only_their_centers(client, auth, people):
    own = people["centro"].centers
    listed = [c["center_id"] for c in client.get("/centers", headers=auth["centro"]).json()]
    assert listed == list(own)
    every = client.get("/centers", headers=auth["finanzas"]).json()
    other = next(c["center_id"] for c in every if c["center_id"] not in own)
    r = client.get(f"/centers/{other}", headers=auth["centro"])
    assert r.status_code == 403 and "no tiene acceso" in r.json()["error"]["message"].lower()
    r = client.get(f"/centers/{other}/caja-chica", params={"month": "2027-02"},
                   headers=auth["centro"])
    assert r.status_code == 403


def test_enrollment_changes_are_checked_and_audited(client, auth, people):
    own = people["centro"].centers[0]
    r = client.patch(f"/centers/{own}/enrollment",
                     json={"enrolled": {"4-6y": 20}, "attendance": 0.85},
                     headers=auth["centro"])
    assert r.status_code == 200
    assert r.json()["enrolled"]["4-6y"] == 20 and r.json()["attendance"] == 0.85
    r = client.patch(f"/centers/{own}/enrollment", json={"enrolled": {"60+": 3}},
                     headers=auth["centro"])
    assert r.status_code == 422
    events = client.get("/audit", params={"action": "modificar_inscripcion"},
                        headers=auth["admin"]).json()["items"]
    assert events and events[0]["username"] == people["centro"].username


def test_the_audit_trail_is_for_admin_and_finance_only(client, auth):
    assert client.get("/audit", headers=auth["finanzas"]).status_code == 200
    assert client.get("/audit", headers=auth["admin"]).status_code == 200
    assert client.get("/audit", headers=auth["nutri"]).status_code == 403
    assert client.get("/audit", headers=auth["centro"]).status_code == 403


def test_the_openapi_document_has_examples_and_the_error_shape(client):
    spec = client.get("/openapi.json").json()
    assert "ErrorResponse" in spec["components"]["schemas"]
    gen = spec["paths"]["/cycles/generate"]["post"]
    assert "422" in gen["responses"] and "example" in str(
        spec["components"]["schemas"]["GenerateRequest"])
    ref = gen["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/ErrorResponse")


def test_admin_role_constant_matches_the_api(people):
    assert people["admin"].role == ADMIN
    assert isinstance(people["admin"], Person)
