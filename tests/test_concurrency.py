"""Concurrent writers over a real socket, on SQLite and PostgreSQL: simultaneous
settlements of one center and month leave exactly one current settlement (the database
holds the rule), and simultaneous edits of one record let exactly one through (the
revision is checked again by the UPDATE itself)."""

from __future__ import annotations

import httpx
from live_server import at_once, bearer, live_url  # noqa: F401
from service_fixtures import *  # noqa: F403

MONTH = "2027-02"
WRITERS = 8


def _settlement(center_id: str, i: int) -> dict[str, object]:
    return {"center_id": center_id, "month": MONTH, "notes": f"escritor {i}",
            "receipts": [{"date": "2027-02-05", "receipt_no": "A-1", "supplier": "Tienda",
                          "amount_q": 150.0}]}


def test_eight_simultaneous_settlements_leave_exactly_one_current(live_url, people,  # noqa: F811
                                                                  services):
    fin = bearer(live_url, people["finanzas"].username, people["finanzas"].password)
    center = people["centro"].centers[0]
    answers = at_once(WRITERS, lambda i: httpx.post(
        f"{live_url}/settlements", json=_settlement(center, i), headers=fin, timeout=60))
    statuses = [r.status_code for r in answers]
    assert set(statuses) <= {201, 409}, [r.text for r in answers]
    assert statuses.count(201) >= 1 and statuses.count(409) >= 1, statuses
    for r in answers:
        if r.status_code == 409:
            error = r.json()["error"]
            assert error["code"] == "conflicto_concurrente"
            assert "al mismo tiempo" in error["message"] or "ocupada" in error["message"]
    listed = httpx.get(f"{live_url}/settlements", params={"center_id": center},
                       headers=fin).json()["items"]
    assert len(listed) == statuses.count(201)  # a refused settlement stored nothing
    current = [s for s in listed if s["is_current"]]
    assert len(current) == 1
    by_id = {s["id"]: s for s in listed}
    for s in listed:  # every replaced one points at a later one
        if not s["is_current"]:
            assert s["superseded_by_id"] in by_id and s["superseded_by_id"] > s["id"]
    # The one receipt is counted once, in the current settlement.
    assert current[0]["spent_q"] == 150.0
    with services.ctx.unit() as uow:
        rows, _ = uow.settlements.find([center], MONTH)
    assert sum(r.is_current for r in rows) == 1
    # Afterwards a settlement made alone still replaces the current one.
    again = httpx.post(f"{live_url}/settlements", json=_settlement(center, 99), headers=fin)
    assert again.status_code == 201
    listed = httpx.get(f"{live_url}/settlements", params={"center_id": center},
                       headers=fin).json()["items"]
    assert [s["id"] for s in listed if s["is_current"]] == [again.json()["id"]]
    assert by_id[current[0]["id"]]["id"] in {s["id"] for s in listed
                                             if s["superseded_by_id"] == again.json()["id"]}
    for path in (f"/settlements/{current[0]['id']}", "/caja-chica/national",
                 f"/centers/{center}/caja-chica"):  # nothing answers 5xx afterwards
        assert httpx.get(f"{live_url}{path}", params={"month": MONTH},
                         headers=fin).status_code == 200, path


def test_simultaneous_edits_of_one_exchange_rule_let_exactly_one_through(live_url,  # noqa: F811
                                                                        people):
    nutri = bearer(live_url, people["nutri"].username, people["nutri"].password)
    rule = httpx.get(f"{live_url}/exchange-rules", headers=nutri).json()[0]
    loaded = rule["revision"]
    body = {k: rule[k] for k in ("food_group", "food_id", "exchange_group", "nutrients",
                                 "min_ratio", "max_ratio", "source")}

    def save(i: int) -> httpx.Response:
        return httpx.put(f"{live_url}/exchange-rules/{rule['id']}", headers=nutri,
                         json={**body, "note": f"cambio {i}", "revision": loaded}, timeout=60)

    answers = at_once(WRITERS, save)
    statuses = [r.status_code for r in answers]
    assert statuses.count(200) == 1 and statuses.count(409) == WRITERS - 1, statuses
    winner = next(r.json() for r in answers if r.status_code == 200)
    for r in answers:
        if r.status_code == 409:
            error = r.json()["error"]
            assert error["code"] in ("revision_desactualizada", "conflicto_concurrente")
            assert "cambió" in error["message"] or "modificó" in error["message"] or \
                "ocupada" in error["message"]
    stored = next(r for r in httpx.get(f"{live_url}/exchange-rules", headers=nutri).json()
                  if r["id"] == rule["id"])
    assert stored["note"] == winner["note"]
    assert stored["revision"] == loaded + 1 == winner["revision"]
    xl = httpx.get(f"{live_url}/exchange-rules", headers=nutri)  # still serves
    assert xl.status_code == 200 and len(xl.json()) >= 1
