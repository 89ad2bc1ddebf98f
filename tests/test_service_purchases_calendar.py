"""A center's purchase list of a calendar week over HTTP (API and pages), on SQLite and
PostgreSQL: the Christmas week buys and funds its four service days, names Christmas, and
the JSON, CSV, workbook, page and print view agree with each other and with caja chica.
Tiny data, the fixture cycle signed with week 1 the week of 30 November 2026."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from service_fixtures import *  # noqa: F403
from service_fixtures import sign_fixture_cycle
from web_helpers import as_person

START = "2026-11-30"  # cycle week 1; the week of 21 December is cycle week 4
CHRISTMAS = "2026-12-21"
MONEY_RE = re.compile(r'class="num total"><strong>Q([\d,]+\.\d\d)</strong>')


@pytest.fixture
def signed(client, auth):
    return sign_fixture_cycle(client, auth["nutri"], start_date=START)


@pytest.fixture
def center(people):
    return people["centro"].centers[0]


def purchases(client, auth, center, **params):
    r = client.get(f"/centers/{center}/purchases", params=params, headers=auth["centro"])
    assert r.status_code == 200, r.text
    return r


def test_the_christmas_week_buys_and_funds_four_days_and_says_why(client, auth, center,
                                                                  signed):
    doc = purchases(client, auth, center, week_start=CHRISTMAS).json()
    full = purchases(client, auth, center, week=4).json()["centers"][0]
    c = doc["centers"][0]
    assert doc["week"] == 4 and doc["week_start"] == CHRISTMAS
    assert c["service_days"] == 4 and full["service_days"] == 5
    assert c["service_dates"] == ["2026-12-21", "2026-12-22", "2026-12-23", "2026-12-24"]
    assert c["days_off"] == [{"date": "2026-12-25", "reason": "Navidad"}]
    assert c["budget_q"] == round(full["budget_q"] * 4 / 5, 2)
    assert sum(i["needed_grams"] for i in c["items"]) < sum(
        i["needed_grams"] for i in full["items"])
    assert any("viernes 25 de diciembre de 2026 (Navidad)" in w for w in c["warnings"])
    # another day of the same week names the same week; a Monday before the cycle does not
    assert purchases(client, auth, center, week_start="2026-12-23").json() == doc
    early = client.get(f"/centers/{center}/purchases", params={"week_start": "2026-11-23"},
                       headers=auth["centro"])
    assert early.status_code == 409
    assert "lunes 30 de noviembre de 2026" in early.json()["error"]["message"]
    wrong = client.get(f"/centers/{center}/purchases",
                       params={"week_start": CHRISTMAS, "week": 2}, headers=auth["centro"])
    assert wrong.status_code == 422 and "es la semana 4 del ciclo" in wrong.text


def test_csv_and_workbook_add_up_to_the_json_total(client, auth, center, signed):
    total = purchases(client, auth, center, week_start=CHRISTMAS).json()["centers"][0][
        "total_q"]
    rows = list(csv.DictReader(io.StringIO(purchases(
        client, auth, center, week_start=CHRISTMAS, format="csv").text)))
    assert {r["service_days"] for r in rows} == {"4"}
    assert {r["days_off"] for r in rows} == {"2026-12-25 Navidad"}
    assert sum(round(float(r["cost_q"]) * 100) for r in rows) == round(total * 100)
    book = load_workbook(io.BytesIO(purchases(
        client, auth, center, week_start=CHRISTMAS, format="xlsx").content), data_only=True)
    ws = book[center]
    labels = {str(c.value): c.row for c in ws["A"] if c.value}
    total_row = next(r for t, r in labels.items() if t.startswith("Total de la compra"))
    first = labels["Alimento"] + 1
    amounts = [ws.cell(r, 5).value for r in range(first, total_row)
               if isinstance(ws.cell(r, 5).value, int | float)]
    assert sum(round(v * 100) for v in amounts) == round(total * 100)
    assert ws.cell(total_row, 5).value == total
    assert book["Resumen"]["H4"].value == total
    assert any("Navidad" in t for t in labels)


def test_the_weeks_of_december_count_the_days_caja_chica_counts(client, auth, center,
                                                                signed):
    """December 2026: the calendar weeks' service dates inside the month add up to the
    month's service days of caja chica (22: 23 weekdays minus Christmas)."""
    caja = client.get(f"/centers/{center}/caja-chica", params={"month": "2026-12"},
                      headers=auth["centro"])
    assert caja.status_code == 200, caja.text
    days = caja.json()["centers"][0]["service_days"]
    served: list[str] = []
    monday = date(2026, 11, 30)
    while monday <= date(2026, 12, 31):
        doc = purchases(client, auth, center, week_start=monday.isoformat()).json()
        served += [d for d in doc["centers"][0]["service_dates"] if d.startswith("2026-12")]
        monday += timedelta(weeks=1)
    assert days == len(served) == 22


def test_the_page_print_view_and_downloads_of_a_chosen_week_agree(client, people, auth,
                                                                 center, signed):
    total = purchases(client, auth, center, week_start=CHRISTMAS).json()["centers"][0][
        "total_q"]
    as_person(client, people["centro"])
    page = client.get(f"/centros/{center}", params={"lunes": CHRISTMAS}).text
    assert "lunes 21 de diciembre de 2026" in page
    assert "4 días de servicio" in page
    assert "Días sin servicio esta semana" in page
    assert "viernes 25 de diciembre de 2026: Navidad" in page
    first = MONEY_RE.search(page)
    assert first and float(first.group(1).replace(",", "")) == total
    assert f"compras.xlsx?lunes={CHRISTMAS}" in page
    assert "diciembre de 2026 (22 días de servicio)" in page  # caja chica of that month
    x = client.get(f"/centros/{center}/compras.xlsx", params={"lunes": CHRISTMAS})
    book = load_workbook(io.BytesIO(x.content), data_only=True)
    assert book["Resumen"]["H4"].value == total
    printed = client.get(f"/centros/{center}/imprimir", params={"lunes": CHRISTMAS}).text
    assert "viernes 25 de diciembre de 2026: Navidad" in printed
    m = MONEY_RE.search(printed)
    assert m and float(m.group(1).replace(",", "")) == total
    bad = client.get(f"/centros/{center}", params={"lunes": "21/12/2026"})
    assert bad.status_code == 200 and "Escriba una fecha válida" in bad.text


def test_a_substitution_in_the_christmas_week_keeps_its_four_days(client, people, auth,
                                                                 center, signed):
    api = client.get(f"/centers/{center}/purchases/substituted", headers=auth["centro"],
                     params={"week": 4, "week_start": CHRISTMAS,
                             "unavailable": "huevo_gallina", "accept": "true"})
    assert api.status_code == 200, api.text
    c = api.json()["centers"][0]
    assert c["service_days"] == 4 and c["days_off"][0]["reason"] == "Navidad"
    assert "huevo_gallina" not in {i["food_id"] for i in c["items"]}
    as_person(client, people["centro"])
    page = client.get(f"/centros/{center}", params={"lunes": CHRISTMAS}).text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token
    form = {"csrf": token.group(1), "semana": "4", "lunes": CHRISTMAS,
            "falta": ["huevo_gallina"], "acepto": "1"}
    shown = client.post(f"/centros/{center}/sustitucion", data=form)
    assert shown.status_code == 200 and "Huevo de gallina</strong> → <strong>" in shown.text
    got = client.post(f"/centros/{center}/sustitucion/descargar",
                      data={**form, "formato": "csv"})
    assert got.status_code == 200, got.text
    rows = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert {r["Días de servicio"] for r in rows} == {"4"}
    assert {r["Días sin servicio"] for r in rows} == {"25/12/2026 Navidad"}
    assert sum(round(float(r["Costo (Q)"]) * 100) for r in rows) == round(c["total_q"] * 100)


def test_a_week_far_outside_the_calendar_is_refused_in_words(client, auth, center, signed):
    r = client.get(f"/centers/{center}/purchases", params={"week_start": "9999-12-31"},
                   headers=auth["centro"])
    assert r.status_code == 422 and "entre 2000 y 2100" in r.json()["error"]["message"]
