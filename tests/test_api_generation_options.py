"""Pins, exclusions and the objective travel from the API to the optimizer's request."""

from __future__ import annotations

import time

import pytest
from service_fixtures import *  # noqa: F403
from service_fixtures import TINY

import menu_planner.optimizer as optimizer
from menu_planner.optimizer.request import Exclusion, Pin
from menu_planner.reference_data import load_dataset
from menu_planner.services import GenerateParams, PlanFailed
from menu_planner.services.planner import optimizer_planner


@pytest.fixture
def seen(monkeypatch):
    """Replaces the optimizer: records the request it is given, plans nothing."""
    got = {}

    def fake_plan_cycle(dataset, request):
        got["request"] = request
        raise ValueError("solo se revisa la solicitud")

    monkeypatch.setattr(optimizer, "plan_cycle", fake_plan_cycle)
    return got


def test_pins_exclusions_and_objective_reach_the_optimizer(seen):
    params = GenerateParams(
        program="cadi", objective="variety",
        pins=[{"recipe_id": "pollo_guisado", "week": 2, "weekday": 3, "slot": "almuerzo"}],
        exclusions=[{"recipe_id": "naranja_fruta", "weeks": [1, 2]}])
    with pytest.raises(PlanFailed):
        optimizer_planner(load_dataset(TINY), params, lambda f, m: None, data_dir=TINY)
    request = seen["request"]
    assert request.objective == "variety"
    assert not any(r.rule == "max_per_cycle" for r in request.rules.for_program("cadi"))
    assert request.pins == (Pin("pollo_guisado", 2, 3, "almuerzo"),)
    assert request.exclusions == (Exclusion("naranja_fruta", (1, 2)),)


def test_a_cap_per_cycle_on_main_dishes_reaches_the_optimizer_as_a_rule(seen):
    params = GenerateParams(program="cadi", main_dish_max_per_cycle=4)
    with pytest.raises(PlanFailed):
        optimizer_planner(load_dataset(TINY), params, lambda f, m: None, data_dir=TINY)
    rules = seen["request"].rules
    [cap] = [r for r in rules.for_program("cadi") if r.rule == "max_per_cycle"]
    assert (cap.subject_kind, cap.subject, cap.value, cap.scope) == (
        "component", "plato_principal", 4, "menu")
    assert "a lo sumo 4 veces en el ciclo" in rules.source  # kept in the cycle's settings
    assert not any(r.rule == "max_per_cycle" for r in rules.for_program("mad"))


ASKED: list[GenerateParams] = []


@pytest.fixture
def planner():
    """Overrides the service's planner: records what it is asked, builds nothing."""
    ASKED.clear()

    def record(dataset, params, progress):
        ASKED.append(params)
        raise PlanFailed("Prueba: no se genera.")

    return record


def test_the_api_passes_the_options_and_rejects_a_pin_in_the_wrong_slot(client, auth):
    body = {"program": "cadi", "objective": "variety",
            "pins": [{"recipe_id": "pollo_guisado", "week": 1, "weekday": 2,
                      "slot": "almuerzo"}],
            "exclusions": [{"recipe_id": "naranja_fruta", "weeks": []}]}
    r = client.post("/cycles/generate", json=body, headers=auth["nutri"])
    assert r.status_code == 202, r.text
    job = wait_done(client, auth["nutri"], r.json()["id"])
    assert job["status"] == "failed"
    params = ASKED[-1]
    assert params.objective == "variety" and params.main_dish_max_per_cycle is None
    assert params.pins == body["pins"] and params.exclusions == body["exclusions"]

    bad = dict(body, pins=[{"recipe_id": "pollo_guisado", "week": 1, "weekday": 2,
                            "slot": "desayuno"}])
    r = client.post("/cycles/generate", json=bad, headers=auth["nutri"])
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["field"] == "pins[0].slot"
    r = client.post("/cycles/generate", json=dict(body, objective="barato"),
                    headers=auth["nutri"])
    assert r.status_code == 422
    for cap in (0, 85, "cuatro"):
        r = client.post("/cycles/generate", json=dict(body, main_dish_max_per_cycle=cap),
                        headers=auth["nutri"])
        assert r.status_code == 422, cap
        assert r.json()["error"]["details"][0]["field"] == "main_dish_max_per_cycle"
    assert len(ASKED) == 1  # rejected requests never reach the optimizer
    r = client.post("/cycles/generate", json=dict(body, main_dish_max_per_cycle=4),
                    headers=auth["nutri"])
    assert r.status_code == 202
    wait_done(client, auth["nutri"], r.json()["id"])
    assert ASKED[-1].main_dish_max_per_cycle == 4


def wait_done(client, headers, job_id):
    for _ in range(400):
        job = client.get(f"/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError("el trabajo no terminó")
