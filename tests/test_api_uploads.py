"""Uploads (price surveys, centers): every line checked, all errors at once with line and
column, and nothing stored when any line is wrong."""

from __future__ import annotations

import io

from openpyxl import Workbook
from service_fixtures import *  # noqa: F403

HEADER = "food_id,purchase_unit,unit_grams,price_q,price_date,source\n"
GOOD = HEADER + ("pollo_pieza,libra,453.6,18.00,2026-10-01,encuesta Escuintla\n"
                 "arroz_blanco,libra,453.6,5.50,2026-10-01,\n")
BAD = HEADER + ("pollo_pieza,libra,453.6,18.00,2026-10-01,ok\n"
                "pollo_pieza,libra,453.6,abc,2026-10-01,precio no numérico\n"
                "carne_de_dragon,libra,453.6,9.00,2026-10-01,alimento desconocido\n"
                "arroz_blanco,libra,-1,5.00,2026-13-01,gramos y fecha\n")


def upload_survey(client, headers, content, department="Escuintla", name="precios.csv"):
    return client.post("/prices/surveys", data={"department": department},
                       files={"file": (name, content)}, headers=headers)


def stored_prices(client, headers, department="Escuintla"):
    return client.get("/prices", params={"department": department},
                      headers=headers).json()["items"]


def test_a_valid_survey_is_stored_and_audited(client, auth, people):
    r = upload_survey(client, auth["finanzas"], GOOD.encode())
    assert r.status_code == 201, r.text
    survey = r.json()["survey"]
    assert survey["rows"] == 2 and survey["department"] == "Escuintla"
    prices = {p["food_id"]: p for p in stored_prices(client, auth["finanzas"])}
    assert prices["pollo_pieza"]["price_q"] == 18.0
    assert prices["pollo_pieza"]["survey_id"] == survey["id"]
    assert prices["arroz_blanco"]["source"].startswith("Encuesta de precios Escuintla")
    events = client.get("/audit", params={"action": "cargar_precios"},
                        headers=auth["admin"]).json()["items"]
    assert events[0]["username"] == people["finanzas"].username
    assert events[0]["details"]["rows"] == 2


def test_a_survey_with_bad_lines_stores_nothing_and_names_every_error(client, auth, services):
    before = client.get("/health").json()["data_revision"]
    r = upload_survey(client, auth["finanzas"], BAD.encode())
    assert r.status_code == 422
    err = r.json()["error"]
    assert "no se guardó ningún precio" in err["message"]
    where = {(d["line"], d["column"]) for d in err["details"]}
    assert {(3, "price_q"), (4, "food_id"), (5, "unit_grams"), (5, "price_date")} <= where
    assert all(d["file"] == "precios.csv" for d in err["details"])
    assert stored_prices(client, auth["finanzas"]) == []
    assert client.get("/prices/surveys", headers=auth["finanzas"]).json()["total"] == 0
    assert client.get("/health").json()["data_revision"] == before


def test_a_survey_may_come_as_an_xlsx_book_with_sheet_row_numbers(client, auth):
    wb = Workbook()
    ws = wb.active
    ws.append(["food_id", "purchase_unit", "unit_grams", "price_q", "price_date", "source"])
    ws.append(["pollo_pieza", "libra", 453.6, 17.25, "2026-10-02", "mercado"])
    ws.append(["huevo_gallina", "cartón 30", 1800, None, "2026-10-02", "sin precio"])
    buf = io.BytesIO()
    wb.save(buf)
    r = upload_survey(client, auth["finanzas"], buf.getvalue(), name="encuesta.xlsx")
    assert r.status_code == 422
    assert [(d["line"], d["column"]) for d in r.json()["error"]["details"]] == [(3, "price_q")]
    ws.cell(3, 4, 42.0)
    buf = io.BytesIO()
    wb.save(buf)
    r = upload_survey(client, auth["finanzas"], buf.getvalue(), name="encuesta.xlsx")
    assert r.status_code == 201, r.text
    prices = {(p["food_id"], p["purchase_unit"]): p["price_q"]
              for p in stored_prices(client, auth["finanzas"])}
    assert prices == {("pollo_pieza", "libra"): 17.25, ("huevo_gallina", "cartón 30"): 42.0}


def test_a_survey_row_of_another_department_is_refused(client, auth):
    text = ("food_id,department,purchase_unit,unit_grams,price_q,price_date\n"
            "pollo_pieza,Petén,libra,453.6,18,2026-10-01\n")
    r = upload_survey(client, auth["finanzas"], text.encode())
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["column"] == "department"


def test_survey_refusals_are_4xx(client, auth):
    assert upload_survey(client, auth["finanzas"], GOOD.encode(),
                         department="Narnia").status_code == 422
    assert upload_survey(client, auth["finanzas"], "é".encode("latin-1") * 10
                         ).status_code == 422
    assert upload_survey(client, auth["finanzas"], b"").status_code == 422
    assert upload_survey(client, auth["finanzas"], b"PK\x03\x04garbage",
                         name="x.xlsx").status_code == 422
    assert upload_survey(client, auth["centro"], GOOD.encode()).status_code == 403


def test_an_outlier_price_is_stored_with_a_warning(client, auth):
    text = HEADER + "sal,libra,453.6,200.00,2026-10-01,¿error de digitación?\n"
    r = upload_survey(client, auth["finanzas"], text.encode())
    assert r.status_code == 201
    assert "sal" in r.json()["warnings"][0] and "nacional" in r.json()["warnings"][0]


CENTERS_HEADER = ("center_id,name,program,center_type,department,municipality,"
                  "enrolled_6-11m,enrolled_1-3y,enrolled_4-6y,enrolled_60+,attendance\n")


def test_centers_upload_adds_and_updates(client, auth):
    text = CENTERS_HEADER + ("9999-01,CADI Nuevo,cadi,CADI,Petén,Flores,1,5,10,,0.8\n"
                             "2420-20,CADI Rabinal Centro,cadi,CADI,Baja Verapaz,Rabinal,"
                             "3,9,16,,\n")
    r = client.post("/centers", files={"file": ("centros.csv", text.encode())},
                    headers=auth["admin"])
    assert r.status_code == 201, r.text
    assert r.json() == {"added": 1, "updated": 1}
    new = client.get("/centers/9999-01", headers=auth["admin"]).json()
    assert new["enrolled"] == {"6-11m": 1, "1-3y": 5, "4-6y": 10}
    assert new["attendance"] == 0.8


def test_centers_upload_with_one_bad_line_stores_nothing(client, auth):
    before = client.get("/centers", headers=auth["admin"]).json()
    text = CENTERS_HEADER + ("9999-01,CADI Nuevo,cadi,CADI,Petén,Flores,1,5,10,,\n"
                             "9999-02,CADI Malo,cadi,CADI,Atlántida,Flores,1,5,2,,\n"
                             "9999-03,CADI Peor,cadi,CADI,Petén,Flores,1,-5,2.5,,\n")
    r = client.post("/centers", files={"file": ("centros.csv", text.encode())},
                    headers=auth["admin"])
    assert r.status_code == 422
    where = {(d["line"], d["column"]) for d in r.json()["error"]["details"]}
    assert {(3, "department"), (4, "enrolled_1-3y"), (4, "enrolled_4-6y")} <= where
    assert client.get("/centers", headers=auth["admin"]).json() == before
    assert client.post("/centers", files={"file": ("c.csv", text.encode())},
                       headers=auth["finanzas"]).status_code == 403
