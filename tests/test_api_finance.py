"""Caja chica per center, department and nation; settlements (liquidaciones)."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from service_fixtures import *  # noqa: F403
from service_fixtures import FIXTURE_CYCLE

MONTH = "2027-02"


def sign_fixture_cycle(client, auth):
    draft = client.post("/cycles", json={"cycle": FIXTURE_CYCLE}, headers=auth["nutri"]).json()
    r = client.post(f"/cycles/{draft['id']}/approve", json={"start_date": "2027-02-01"},
                    headers=auth["nutri"])
    assert r.status_code == 200


def test_a_center_administrator_gets_their_caja_chica_in_three_formats(client, auth,
                                                                        people):
    sign_fixture_cycle(client, auth)
    own = people["centro"].centers[0]
    r = client.get(f"/centers/{own}/caja-chica", params={"month": MONTH},
                   headers=auth["centro"])
    assert r.status_code == 200
    doc = r.json()
    center = doc["centers"][0]
    assert center["center_id"] == own and center["service_days"] == 20
    enrolled = center["enrolled"]
    assert center["food_entitlement_q"] == 30.0 * enrolled * 20
    assert center["planned_food_q"] > 0
    assert center["total_q"] == round(center["food_entitlement_q"]
                                      + sum(center["allowances"].values()), 2)
    r = client.get(f"/centers/{own}/caja-chica", params={"month": MONTH, "format": "csv"},
                   headers=auth["centro"])
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert any(own in row for row in rows)
    r = client.get(f"/centers/{own}/caja-chica", params={"month": MONTH, "format": "xlsx"},
                   headers=auth["centro"])
    assert load_workbook(io.BytesIO(r.content)).sheetnames


def test_the_national_rollup_adds_up_and_is_for_finance(client, auth):
    r = client.get("/caja-chica/national", params={"month": MONTH}, headers=auth["finanzas"])
    assert r.status_code == 200
    doc = r.json()
    assert doc["national"]["centers"] == len(doc["centers"]) == 3
    assert round(sum(d["total_q"] for d in doc["departments"].values()), 2) == \
        doc["national"]["total_q"]
    assert any("sin gasto planificado" in n for n in doc["notes"])
    assert client.get("/caja-chica/national", params={"month": MONTH},
                      headers=auth["centro"]).status_code == 403
    assert client.get("/caja-chica/national", params={"month": "2027-13"},
                      headers=auth["finanzas"]).status_code == 422
    r = client.get("/caja-chica/departments/Narnia", params={"month": MONTH},
                   headers=auth["finanzas"])
    assert r.status_code == 404


def test_a_settlement_counts_good_receipts_and_observes_the_rest(client, auth, people):
    own = people["centro"].centers[0]
    body = {"center_id": own, "month": MONTH, "assigned_q": 1000.0, "receipts": [
        {"date": "2027-02-03", "receipt_no": "A-1", "supplier": "Tienda Sol",
         "amount_q": 400.25, "concept": "alimentos"},
        {"date": "2027-03-01", "receipt_no": "A-2", "supplier": "Tienda Sol",
         "amount_q": 50.0},
        {"date": "2027-02-10", "receipt_no": "a-1", "supplier": "tienda  sol",
         "amount_q": 400.25}]}
    r = client.post("/settlements", json=body, headers=auth["finanzas"])
    assert r.status_code == 201, r.text
    s = r.json()
    assert s["budget_q"] == 1000.0 and s["spent_q"] == 400.25 and s["balance_q"] == 599.75
    reasons = " ".join(str(x) for x in s["details"].values())
    assert "fuera del mes" in reasons and "repetido" in reasons
    # Filing the same receipt again next month is caught.
    again = {"center_id": own, "month": "2027-03", "assigned_q": 500.0, "receipts": [
        {"date": "2027-03-02", "receipt_no": "A-1", "supplier": "Tienda Sol",
         "amount_q": 400.25}]}
    s2 = client.post("/settlements", json=again, headers=auth["finanzas"]).json()
    assert s2["spent_q"] == 0.0
    # A corrected settlement of the same month supersedes the first, both kept.
    body["receipts"] = body["receipts"][:1]
    s3 = client.post("/settlements", json=body, headers=auth["finanzas"]).json()
    first = client.get(f"/settlements/{s['id']}", headers=auth["finanzas"]).json()
    assert first["superseded_by_id"] == s3["id"]
    listed = client.get("/settlements", params={"center_id": own},
                        headers=auth["centro"]).json()
    assert listed["total"] == 3
    events = client.get("/audit", params={"action": "liquidar_caja_chica"},
                        headers=auth["finanzas"]).json()
    assert events["total"] == 3


def test_settlements_are_recorded_by_finance_and_read_by_their_center(client, auth, people):
    own = people["centro"].centers[0]
    body = {"center_id": own, "month": MONTH, "receipts": []}
    assert client.post("/settlements", json=body, headers=auth["nutri"]).status_code == 403
    assert client.post("/settlements", json=body, headers=auth["centro"]).status_code == 403
    r = client.post("/settlements", json=body, headers=auth["finanzas"])
    assert r.status_code == 201
    assert r.json()["budget_q"] > 0  # the computed caja chica of the month
    others = client.get("/centers", headers=auth["finanzas"]).json()
    other = next(c["center_id"] for c in others if c["center_id"] != own)
    client.post("/settlements", json={**body, "center_id": other}, headers=auth["finanzas"])
    mine = client.get("/settlements", headers=auth["centro"]).json()
    assert {s["center_id"] for s in mine["items"]} == {own}
    theirs = client.get("/settlements", params={"center_id": other}, headers=auth["centro"])
    assert theirs.status_code == 403
    bad = {**body, "receipts": [{"date": "2027-02-03", "receipt_no": "1", "supplier": "x",
                                 "amount_q": -5}]}
    assert client.post("/settlements", json=bad, headers=auth["finanzas"]).status_code == 422


def test_an_amount_too_large_for_centavos_is_a_422_not_a_crash(client, auth, people):
    """Amounts whose centavos overflow (1e308, Infinity) are refused in words."""
    own = people["centro"].centers[0]
    for field in ("assigned_q", "amount_q"):
        receipt = ('{"date": "2027-02-03", "receipt_no": "A-1", "supplier": "Tienda", '
                   f'"amount_q": {"1e308" if field == "amount_q" else "10.5"}}}')
        assigned = "1e308" if field == "assigned_q" else "1000"
        body = (f'{{"center_id": "{own}", "month": "{MONTH}", "assigned_q": {assigned}, '
                f'"receipts": [{receipt}]}}')
        r = client.post("/settlements", content=body, headers={
            **auth["finanzas"], "Content-Type": "application/json"})
        assert r.status_code == 422, (field, r.text)
        assert field in r.text
