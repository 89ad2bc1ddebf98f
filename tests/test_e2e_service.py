"""End to end through the HTTP API: a nutritionist generates and signs a cadi cycle, a
center administrator downloads week 3's shopping list, finance gets the roll-up."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from service_fixtures import *  # noqa: F403
from service_fixtures import SECRET

from menu_planner.config import Settings
from menu_planner.reference_data import SHIPPED_DATA


@pytest.fixture
def data_dir() -> Path:
    """The shipped data and the real optimizer (no fallback: they must be in place)."""
    return SHIPPED_DATA


@pytest.fixture
def settings(database_url: str, data_dir: Path) -> Settings:
    """The optimizer stops at its gap or at this limit, whichever comes first."""
    return Settings(database_url=database_url, secret_key=SECRET, data_dir=data_dir,
                    solver_time_limit_s=SOLVER_LIMIT_S)

POLL_LIMIT_S = 600
SOLVER_LIMIT_S = 150.0


def wait_for_job(client: TestClient, headers: dict[str, str], job_id: str) -> dict:
    deadline = time.monotonic() + POLL_LIMIT_S
    seen_progress = []
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}", headers=headers).json()
        seen_progress.append(job["progress"])
        if job["status"] in ("succeeded", "failed"):
            job["seen_progress"] = seen_progress
            return job
        time.sleep(0.2)
    raise AssertionError(f"el trabajo {job_id} no terminó en {POLL_LIMIT_S} s")


def test_a_signed_cycle_gives_each_center_its_list_and_finance_its_rollup(
        client, auth, people, services):
    nutri, centro, fin = auth["nutri"], auth["centro"], auth["finanzas"]

    r = client.post("/cycles/generate", json={"program": "cadi", "name": "Ciclo e2e"},
                    headers=nutri)
    assert r.status_code == 202, r.text
    started = time.monotonic()
    job = wait_for_job(client, nutri, r.json()["id"])
    print(f"generación por la API: {time.monotonic() - started:.1f} s")
    assert job["status"] == "succeeded", job
    assert len(set(job["seen_progress"])) > 1  # progress moved while it ran
    cycle_id = job["cycle_id"]

    cycle = client.get(f"/cycles/{cycle_id}", headers=nutri).json()
    assert cycle["status"] == "draft" and cycle["version"] is None
    assert cycle["data"]["program"] == "cadi"
    assert {d["week"] for d in cycle["data"]["days"]} == set(range(1, 7))

    r = client.post(f"/cycles/{cycle_id}/approve", json={"note": "Revisado"}, headers=nutri)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved" and r.json()["version"] == 1

    # An approved cycle cannot be modified.
    r = client.put(f"/cycles/{cycle_id}", json={"name": "otro nombre"}, headers=nutri)
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["code"] == "ciclo_aprobado" and "no se puede modificar" in err["message"]

    # The center administrator downloads week 3 of their center as xlsx.
    own = people["centro"].centers[0]
    r = client.get(f"/centers/{own}/purchases", params={"week": 3, "format": "xlsx"},
                   headers=centro)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(r.content))
    text = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows()
                    for c in row if c.value is not None)
    assert own in text
    r = client.get(f"/centers/{own}/purchases", params={"week": 3}, headers=centro)
    doc = r.json()
    assert doc["week"] == 3 and doc["centers"][0]["center_id"] == own
    assert doc["centers"][0]["items"] and doc["centers"][0]["total_q"] > 0

    # ...but not another center's.
    with services.ctx.unit() as uow:
        other = next(c for c in uow.centers.find() if c.center_id != own)
    r = client.get(f"/centers/{other.center_id}/purchases", params={"week": 3},
                   headers=centro)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "centro_ajeno"

    # Finance gets the department roll-up of the administrator's center.
    with services.ctx.unit() as uow:
        department = uow.centers.get(own).department
    month = "2027-03"
    r = client.get(f"/caja-chica/departments/{department}", params={"month": month},
                   headers=fin)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["format"] == "menu_planner.caja_chica/1" and report["month"] == month
    assert department in report["departments"]
    dept = report["departments"][department]
    assert dept["centers"] == sum(c["department"] == department for c in report["centers"])
    assert abs(dept["total_q"] - sum(c["total_q"] for c in report["centers"])) < 0.01
    assert all(c["planned_food_q"] is not None for c in report["centers"]
               if c["program"] == "cadi")
    # The center administrator may not see roll-ups.
    r = client.get(f"/caja-chica/departments/{department}", params={"month": month},
                   headers=centro)
    assert r.status_code == 403

    # The audit trail names who generated and who signed.
    r = client.get("/audit", params={"entity": "ciclo", "entity_id": str(cycle_id)},
                   headers=fin)
    actions = {(e["action"], e["username"]) for e in r.json()["items"]}
    assert ("generar_ciclo", people["nutri"].username) in actions
    assert ("aprobar_ciclo", people["nutri"].username) in actions
