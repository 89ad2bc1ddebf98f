"""Menu cycles over HTTP: drafts, signing, immutability, versions, jobs, and concurrency."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from service_fixtures import *  # noqa: F403
from service_fixtures import FIXTURE_CYCLE, fixture_planner, wait_job

from menu_planner.api import create_app
from menu_planner.services import PlanFailed, Services
from menu_planner.storage import Database


def import_draft(client, headers, name="borrador"):
    r = client.post("/cycles", json={"name": name, "cycle": FIXTURE_CYCLE}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def test_an_imported_cycle_is_a_draft_with_totals_recomputed(client, auth):
    doc = json.loads(json.dumps(FIXTURE_CYCLE))
    for d in doc["days"]:
        d["totals"] = {}
    draft = client.post("/cycles", json={"cycle": doc}, headers=auth["nutri"]).json()
    assert draft["status"] == "draft" and draft["revision"] == 1
    day = draft["data"]["days"][0]
    assert day["totals"]["4-6y"]["cost_q"] > 0 and day["totals"]["4-6y"]["energy_kcal"] > 0
    summary = draft["summary"]
    assert set(summary["age_groups"]) == {"6-11m", "1-3y", "4-6y"}
    assert summary["days"] == 30


def test_an_invalid_cycle_names_every_problem(client, auth):
    doc = json.loads(json.dumps(FIXTURE_CYCLE))
    doc["days"][0]["meals"][0]["items"][0]["recipe_id"] = "sopa_de_piedras"
    doc["days"][1]["meals"][0]["slot"] = "cena"
    doc["weeks"] = "seis"
    r = client.post("/cycles", json={"cycle": doc}, headers=auth["nutri"])
    assert r.status_code == 422
    fields = {d["column"] for d in r.json()["error"]["details"]}
    assert "weeks" in fields
    doc["weeks"] = 6
    r = client.post("/cycles", json={"cycle": doc}, headers=auth["nutri"])
    messages = " ".join(d["message"] for d in r.json()["error"]["details"])
    assert "sopa_de_piedras" in messages and "cena" in messages


def test_only_a_nutritionist_signs_and_a_signed_cycle_never_changes(client, auth):
    draft = import_draft(client, auth["nutri"])
    cid = draft["id"]
    for role in ("admin", "centro", "finanzas"):
        r = client.post(f"/cycles/{cid}/approve", json={}, headers=auth[role])
        assert r.status_code == 403, role
    r = client.post(f"/cycles/{cid}/approve", json={"start_date": "2027-01-05"},
                    headers=auth["nutri"])
    assert r.status_code == 422 and "lunes" in r.json()["error"]["message"]
    r = client.post(f"/cycles/{cid}/approve", json={"start_date": "2027-01-04"},
                    headers=auth["nutri"])
    assert r.status_code == 200 and r.json()["start_date"] == "2027-01-04"
    signed = client.get(f"/cycles/{cid}", headers=auth["nutri"]).json()
    for body in ({"name": "x"}, {"cycle": FIXTURE_CYCLE}):
        r = client.put(f"/cycles/{cid}", json=body, headers=auth["nutri"])
        assert r.status_code == 409 and r.json()["error"]["code"] == "ciclo_aprobado"
    r = client.post(f"/cycles/{cid}/approve", json={}, headers=auth["nutri"])
    assert r.status_code == 409
    assert client.get(f"/cycles/{cid}", headers=auth["nutri"]).json() == signed


def test_a_new_version_supersedes_the_old_without_deleting_it(client, auth):
    v1 = import_draft(client, auth["nutri"])
    client.post(f"/cycles/{v1['id']}/approve", json={}, headers=auth["nutri"])
    r = client.post(f"/cycles/{v1['id']}/versions", json={"name": "con más frutas"},
                    headers=auth["nutri"])
    assert r.status_code == 201
    draft = r.json()
    assert draft["status"] == "draft" and draft["based_on_id"] == v1["id"]
    doc = draft["data"]
    doc["days"][0]["meals"][2]["items"][0]["recipe_id"] = "naranja_fruta"
    r = client.put(f"/cycles/{draft['id']}", json={"cycle": doc, "revision": 1},
                   headers=auth["nutri"])
    assert r.status_code == 200 and r.json()["revision"] == 2
    stale = client.put(f"/cycles/{draft['id']}", json={"name": "otro", "revision": 1},
                       headers=auth["nutri"])
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "revision_desactualizada"
    r = client.post(f"/cycles/{draft['id']}/approve", json={}, headers=auth["nutri"])
    assert r.json()["version"] == 2
    old = client.get(f"/cycles/{v1['id']}", headers=auth["nutri"]).json()
    assert old["status"] == "superseded" and old["superseded_by_id"] == draft["id"]
    assert old["data"] == v1["data"]
    current = client.get("/cycles/current", params={"program": "cadi"},
                         headers=auth["centro"]).json()
    assert current["id"] == draft["id"]
    assert current["data"]["days"][0]["meals"][2]["items"][0]["recipe_id"] == "naranja_fruta"
    listed = client.get("/cycles", params={"program": "cadi"}, headers=auth["centro"]).json()
    assert listed["total"] == 2


def test_purchases_come_only_from_signed_cycles(client, auth, people):
    own = people["centro"].centers[0]
    r = client.get(f"/centers/{own}/purchases", params={"week": 1}, headers=auth["centro"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "sin_ciclo_aprobado"
    draft = import_draft(client, auth["nutri"])
    r = client.get(f"/centers/{own}/purchases", params={"week": 1, "cycle_id": draft["id"]},
                   headers=auth["centro"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "ciclo_no_aprobado"
    client.post(f"/cycles/{draft['id']}/approve", json={}, headers=auth["nutri"])
    r = client.get(f"/centers/{own}/purchases", params={"week": 7}, headers=auth["centro"])
    assert r.status_code == 422
    r = client.get(f"/centers/{own}/purchases", params={"week": 2, "format": "csv"},
                   headers=auth["centro"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("week,center_id") and len(lines) > 1
    assert all(line.split(",")[1] == own for line in lines[1:])


def test_a_new_price_survey_changes_the_next_purchase_list(client, auth):
    draft = import_draft(client, auth["nutri"])
    client.post(f"/cycles/{draft['id']}/approve", json={}, headers=auth["nutri"])
    center = "4168-12"  # Guatemala

    def chicken_cost():
        doc = client.get(f"/centers/{center}/purchases", params={"week": 1},
                         headers=auth["finanzas"]).json()
        return next(i for i in doc["centers"][0]["items"] if i["food_id"] == "pollo_pieza")

    before = chicken_cost()
    text = ("food_id,purchase_unit,unit_grams,price_q,price_date\n"
            "pollo_pieza,libra,453.6,33.00,2026-10-01\n")
    r = client.post("/prices/surveys", data={"department": "Guatemala"},
                    files={"file": ("p.csv", text.encode())}, headers=auth["finanzas"])
    assert r.status_code == 201
    after = chicken_cost()
    assert before["unit_price_q"] == 16.5 and after["unit_price_q"] == 33.0
    assert after["cost_q"] == pytest.approx(2 * before["cost_q"])


def test_a_generation_job_reports_progress_and_its_cycle(client, auth, people):
    r = client.post("/cycles/generate", json={"program": "cadi", "name": "gen"},
                    headers=auth["nutri"])
    assert r.status_code == 202 and r.json()["status"] in ("queued", "running", "succeeded")
    job = wait_job(client, auth["nutri"], r.json()["id"])
    assert job["status"] == "succeeded" and job["progress"] == 1.0
    assert job["created_by"] == people["nutri"].username
    cycle = client.get(f"/cycles/{job['cycle_id']}", headers=auth["nutri"]).json()
    assert cycle["name"] == "gen" and cycle["status"] == "draft"
    assert client.get("/jobs", headers=auth["nutri"]).json()["total"] == 1
    assert client.get("/jobs", headers=auth["centro"]).status_code == 403
    bad = client.post("/cycles/generate", json={"program": "nada"}, headers=auth["nutri"])
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "program"


@pytest.fixture
def failing_planner():
    def planner(dataset, params, progress):
        progress(0.3, "Buscando")
        raise PlanFailed("Ningún ciclo cumple todas las metas.", [{"message": "hierro: -2 mg"}])
    return planner


def test_a_failed_generation_stores_no_cycle_and_says_why(settings, failing_planner,
                                                          fast_hashing, people_factory):
    svc = Services(Database(settings.database_url), settings, failing_planner)
    with TestClient(create_app(services=svc)) as client:
        headers = people_factory(svc, client)
        r = client.post("/cycles/generate", json={"program": "cadi"}, headers=headers)
        job = wait_job(client, headers, r.json()["id"])
        assert job["status"] == "failed" and job["cycle_id"] is None
        assert job["error"]["code"] == "sin_solucion"
        assert job["error"]["details"] == [{"message": "hierro: -2 mg"}]
        assert client.get("/cycles", headers=headers).json()["total"] == 0


@pytest.fixture
def people_factory():
    from service_fixtures import Person, login

    from menu_planner.services import NUTRITIONIST, SYSTEM

    def make(svc, client):
        p = Person("nutri.sola", "clave-muy-larga-1", NUTRITIONIST)
        svc.accounts.add_user(SYSTEM, p.username, p.role, p.password)
        return login(client, p)
    return make


def test_two_generations_at_once_make_two_whole_drafts(settings, fast_hashing,
                                                       people_factory):
    """Both jobs run in parallel (a barrier makes them overlap) and each stores a whole,
    independent draft; nothing is mixed or lost."""
    barrier = threading.Barrier(2, timeout=30)

    def overlapping(dataset, params, progress):
        progress(0.1, "esperando al otro trabajo")
        barrier.wait()
        return fixture_planner(dataset, params, progress)

    settings = settings.model_copy(update={"job_workers": 2})
    svc = Services(Database(settings.database_url), settings, overlapping)
    with TestClient(create_app(services=svc)) as client:
        headers = people_factory(svc, client)
        with ThreadPoolExecutor(2) as pool:
            responses = list(pool.map(
                lambda n: client.post("/cycles/generate",
                                      json={"program": "cadi", "name": f"paralelo {n}"},
                                      headers=headers), range(2)))
        assert [r.status_code for r in responses] == [202, 202]
        jobs = [wait_job(client, headers, r.json()["id"]) for r in responses]
        assert [j["status"] for j in jobs] == ["succeeded", "succeeded"]
        ids = {j["cycle_id"] for j in jobs}
        assert len(ids) == 2
        cycles = [client.get(f"/cycles/{i}", headers=headers).json() for i in ids]
        assert {c["name"] for c in cycles} == {"paralelo 0", "paralelo 1"}
        assert cycles[0]["data"]["days"] == cycles[1]["data"]["days"]
        assert len(cycles[0]["data"]["days"]) == 30


def test_two_approvals_at_once_leave_one_current_version(client, auth, services):
    drafts = [import_draft(client, auth["nutri"], f"d{i}")["id"] for i in range(2)]
    with ThreadPoolExecutor(2) as pool:
        codes = list(pool.map(lambda cid: client.post(
            f"/cycles/{cid}/approve", json={}, headers=auth["nutri"]).status_code, drafts))
    assert all(c in (200, 409) for c in codes) and 200 in codes
    listed = client.get("/cycles", params={"program": "cadi"}, headers=auth["nutri"]).json()
    signed = [c for c in listed["items"] if c["status"] in ("approved", "superseded")]
    versions = sorted(c["version"] for c in signed)
    assert versions == list(range(1, len(signed) + 1))
    assert sum(c["status"] == "approved" for c in listed["items"]) == 1


def test_a_restart_fails_the_jobs_it_interrupted(services):
    from menu_planner.storage.models import JobRow

    with services.ctx.unit() as uow:
        uow.jobs.add(JobRow(id="j-1", kind="generar_ciclo", status="running"))
    services.start()
    with services.ctx.unit() as uow:
        job = uow.jobs.get("j-1")
    assert job.status == "failed" and "reinició" in job.message


def test_a_cycle_downloads_as_json_and_xlsx(client, auth):
    import io

    from openpyxl import load_workbook

    draft = import_draft(client, auth["nutri"])
    r = client.get(f"/cycles/{draft['id']}/document", headers=auth["centro"])
    assert r.status_code == 200 and r.json()["format"] == "menu_planner.cycle/1"
    r = client.get(f"/cycles/{draft['id']}/document", params={"format": "xlsx"},
                   headers=auth["centro"])
    assert r.status_code == 200
    assert load_workbook(io.BytesIO(r.content)).sheetnames
