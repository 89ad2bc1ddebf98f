"""Optimistic locking over the API, on SQLite and PostgreSQL: every record people edit
(exchange rules, exclusions, special targets, targets, a center's enrollment and special
counts) shows its `revision`; a change sent with a revision that is no longer current
answers 409 in Spanish and stores nothing. And the migration that brought the rule of one
current settlement repairs a database that a race had left with several."""

from __future__ import annotations

from service_fixtures import *  # noqa: F403

from menu_planner.storage import Database

STALE = "revision_desactualizada"


def _stale(r) -> str:
    assert r.status_code == 409, r.text
    error = r.json()["error"]
    assert error["code"] == STALE
    assert "cambió mientras usted editaba una versión anterior" in error["message"]
    return error["message"]


def test_a_stale_exchange_rule_edit_or_delete_is_refused(client, auth):
    h = auth["nutri"]
    rule = client.get("/exchange-rules", headers=h).json()[0]
    body = {k: rule[k] for k in ("food_group", "food_id", "exchange_group", "nutrients",
                                 "min_ratio", "max_ratio", "source")}
    first = client.put(f"/exchange-rules/{rule['id']}", headers=h,
                       json={**body, "note": "primera", "revision": rule["revision"]})
    assert first.status_code == 200 and first.json()["revision"] == rule["revision"] + 1
    message = _stale(client.put(f"/exchange-rules/{rule['id']}", headers=h,
                                json={**body, "note": "segunda", "revision": rule["revision"]}))
    assert "«nutri.ana»" in message  # who saved the newer one
    _stale(client.delete(f"/exchange-rules/{rule['id']}", headers=h,
                         params={"revision": rule["revision"]}))
    stored = {r["id"]: r for r in client.get("/exchange-rules", headers=h).json()}
    assert stored[rule["id"]]["note"] == "primera"
    assert client.delete(f"/exchange-rules/{rule['id']}", headers=h,
                         params={"revision": first.json()["revision"]}).status_code == 204


def test_a_stale_exclusion_delete_is_refused(client, auth):
    h = auth["nutri"]
    ex = client.get("/exchange-exclusions", headers=h).json()[0]
    assert ex["revision"] == 1
    _stale(client.delete(f"/exchange-exclusions/{ex['id']}", headers=h,
                         params={"revision": 2}))
    assert ex["id"] in {e["id"] for e in client.get("/exchange-exclusions", headers=h).json()}
    assert client.delete(f"/exchange-exclusions/{ex['id']}", headers=h,
                         params={"revision": 1}).status_code == 204


def test_a_stale_special_target_edit_is_refused(client, auth):
    h = auth["nutri"]
    t = client.get("/special-targets", headers=h).json()[0]
    body = {k: t[k] for k in ("program", "subgroup", "age_group", "nutrient", "min", "max",
                              "basis", "min_factor", "max_factor", "source")}
    ok = client.put(f"/special-targets/{t['id']}", headers=h,
                    json={**body, "note": "revisada", "revision": t["revision"]})
    assert ok.status_code == 200 and ok.json()["revision"] == t["revision"] + 1
    _stale(client.put(f"/special-targets/{t['id']}", headers=h,
                      json={**body, "note": "pisada", "revision": t["revision"]}))
    _stale(client.delete(f"/special-targets/{t['id']}", headers=h,
                         params={"revision": t["revision"]}))
    stored = {s["id"]: s for s in client.get("/special-targets", headers=h).json()}
    assert stored[t["id"]]["note"] == "revisada"


def test_a_stale_target_edit_is_refused(client, auth):
    h = auth["nutri"]
    t = next(t for t in client.get("/targets", headers=h).json() if t["min"] is not None)
    ok = client.put(f"/targets/{t['id']}", headers=h,
                    json={"min": t["min"] + 1, "max": t["max"], "revision": t["revision"]})
    assert ok.status_code == 200 and ok.json()["revision"] == t["revision"] + 1
    _stale(client.put(f"/targets/{t['id']}", headers=h,
                      json={"min": t["min"] + 2, "max": t["max"], "revision": t["revision"]}))
    stored = {s["id"]: s for s in client.get("/targets", headers=h).json()}
    assert stored[t["id"]]["min"] == t["min"] + 1


def test_a_stale_enrollment_or_special_count_change_is_refused(client, auth, people):
    h = auth["centro"]
    own = people["centro"].centers[0]
    center = client.get(f"/centers/{own}", headers=h).json()
    group = next(iter(center["enrolled"]))
    ok = client.patch(f"/centers/{own}/enrollment", headers=h,
                      json={"enrolled": {group: 7}, "revision": center["revision"]})
    assert ok.status_code == 200 and ok.json()["revision"] == center["revision"] + 1
    _stale(client.patch(f"/centers/{own}/enrollment", headers=h,
                        json={"enrolled": {group: 9}, "revision": center["revision"]}))
    _stale(client.put(f"/centers/{own}/special-counts", headers=h,
                      json={"counts": {}, "revision": center["revision"]}))
    assert client.get(f"/centers/{own}", headers=h).json()["enrolled"][group] == 7
    # Without a revision the change is not checked (older clients keep working).
    assert client.patch(f"/centers/{own}/enrollment", headers=h,
                        json={"enrolled": {group: 8}}).status_code == 200


def test_the_upgrade_keeps_one_current_settlement_per_center_and_month(database_url):
    from alembic import command
    from sqlalchemy import text

    from menu_planner.storage.db import alembic_config

    db = Database(database_url)
    cfg = alembic_config(db.engine)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    with db.engine.begin() as conn:  # what a race left: three current settlements
        conn.execute(text("INSERT INTO program (program, name_es, service_days_per_week, "
                          "daily_budget_q) VALUES ('cadi', 'CADI', 5, 30.0)"))
        conn.execute(text(
            "INSERT INTO center (center_id, name, program, center_type, department, "
            "municipality, enrolled, special_counts, position, updated_at) VALUES ('C-1', "
            "'Centro', 'cadi', 'CADI', 'Quiché', 'Nebaj', '{}', '{}', 0, '2026-11-01')"))
        for _ in range(3):
            conn.execute(text(
                "INSERT INTO settlement (center_id, month, budget_q, spent_q, balance_q, "
                "receipts, details, notes, settled_by, settled_at) VALUES ('C-1', "
                "'2027-02', 10, 5, 5, '[]', '{}', '', 'fin', '2027-03-01')"))
    db.upgrade()
    with db.unit() as uow:
        rows, _ = uow.settlements.find(["C-1"], "2027-02")
        newest = max(r.id for r in rows)
        assert [r.id for r in rows if r.is_current] == [newest]
        assert all(r.superseded_by_id == newest for r in rows if r.id != newest)
    db.dispose()
