"""The quality check in the service: the stored cycle JSON carries a fresh `quality`
section (generated, imported, edited), the workbook download has its sheet, and the
cycle page shows each rule above "Aprobar" (TestClient; the browser test is in e2e)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from quality_helpers import tiny_with_rules
from service_fixtures import *  # noqa: F403
from service_fixtures import FIXTURE_CYCLE, Person, fixture_planner, wait_job
from web_helpers import sign_in

from menu_planner.quality.report import QUALITY_FORMAT

RULES = """program,age_groups,rule,subject,value,min_grams,source,note
*,*,distinct_days,,0,,Guía de prueba: 30 menús distintos,
cadi,4-6y,group_each_day,frutas,,50,Guías Alimentarias para Guatemala (MSPAS 2012),
cadi,6-11m,forbidden,azucares,,,OMS/UNICEF 2021 (SwB),
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tiny_with_rules(tmp_path / "datos", RULES)


@pytest.fixture
def planner() -> Any:
    return fixture_planner


def import_cycle(client: TestClient, headers: dict[str, str], doc: dict[str, Any]) -> Any:
    r = client.post("/cycles", json={"name": "importado", "cycle": doc}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def verdicts(section: dict[str, Any]) -> dict[tuple[str, str], bool]:
    return {(r["rule"], r["age_group"]): r["passed"] for r in section["results"]}


def test_an_imported_cycle_is_stored_with_a_fresh_quality_section(client, auth) -> None:
    doc = json.loads(json.dumps(FIXTURE_CYCLE))
    doc["quality"] = {"format": QUALITY_FORMAT, "passed": True, "results": []}  # stale
    data = import_cycle(client, auth["nutri"], doc)["data"]
    section = data["quality"]
    assert section["format"] == QUALITY_FORMAT and section["passed"] is False
    assert section["standard"] == "menus/quality_rules.csv"
    # The fixture cycle repeats its days and gives infants sweetened atol.
    assert verdicts(section) == {
        ("distinct_days", "6-11m"): False, ("forbidden", "6-11m"): False,
        ("distinct_days", "1-3y"): False,
        ("distinct_days", "4-6y"): False, ("group_each_day", "4-6y"): True}
    again = client.get(f"/cycles/{import_cycle(client, auth['nutri'], doc)['id']}",
                       headers=auth["nutri"]).json()
    assert again["data"]["quality"] == section


def test_editing_a_draft_recomputes_its_quality(client, auth) -> None:
    doc = json.loads(json.dumps(FIXTURE_CYCLE))
    draft = import_cycle(client, auth["nutri"], doc)
    for d in doc["days"]:  # infants no longer get the sweetened atol or rice pudding
        for m in d["meals"]:
            for i in m["items"]:
                if i["recipe_id"] in ("atol_incaparina", "arroz_con_leche"):
                    i["portions"]["6-11m"] = 0.0
    r = client.put(f"/cycles/{draft['id']}", json={"cycle": doc}, headers=auth["nutri"])
    assert r.status_code == 200, r.text
    section = r.json()["data"]["quality"]
    assert verdicts(section)[("forbidden", "6-11m")] is True


def test_a_generated_cycle_carries_the_section(client, auth) -> None:
    r = client.post("/cycles/generate", json={"program": "cadi"}, headers=auth["nutri"])
    assert r.status_code == 202, r.text
    job = wait_job(client, auth["nutri"], r.json()["id"])
    assert job["status"] == "succeeded", job
    row = client.get(f"/cycles/{job['cycle_id']}", headers=auth["nutri"]).json()
    assert row["data"]["quality"]["format"] == QUALITY_FORMAT
    assert len(row["data"]["quality"]["results"]) == 5


def test_the_downloaded_workbook_has_the_quality_sheet(client, auth) -> None:
    cid = import_cycle(client, auth["nutri"], FIXTURE_CYCLE)["id"]
    r = client.get(f"/cycles/{cid}/document", params={"format": "xlsx"},
                   headers=auth["nutri"])
    assert r.status_code == 200, r.text
    ws = load_workbook(io.BytesIO(r.content))["Calidad del menú"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert [(r[1], r[2]) for r in rows][:2] == [
        ("Menús de día distintos en el ciclo", "No cumple"),
        ("Sin azúcares en ningún plato", "No cumple")]
    assert len(rows) == 5


def test_the_cycle_page_lists_each_rule_above_the_approve_form(client, auth,
                                                               people: dict[str, Person]):
    cid = import_cycle(client, auth["nutri"], FIXTURE_CYCLE)["id"]
    sign_in(client, people["nutri"].username, people["nutri"].password)
    html = client.get(f"/ciclos/{cid}").text
    panel = html.index('id="calidad-menu"')
    assert panel < html.index("Aprobar (firmar) este ciclo")
    section = html[panel:html.index("</section>", panel)]
    assert "No cumple 4 de las 5 reglas de calidad del menú." in section
    for group in ("6 a 11 meses", "1 a 3 años", "4 a 6 años"):
        assert f"<h3>{group}</h3>" in section
    assert "Sin azúcares en ningún plato" in section
    assert "Atol de Incaparina (lleva azúcar blanca)" in section
    assert len(re.findall(r'class="quality-rule is-bad"', section)) == 4
    assert len(re.findall(r'class="quality-rule is-ok"', section)) == 1
    for code in ("6-11m", "4-6y", "distinct_days", "forbidden", "group_each_day"):
        assert code not in section


def test_a_wrong_rules_file_is_named_on_the_page(client, auth, people, data_dir: Path):
    cid = import_cycle(client, auth["nutri"], FIXTURE_CYCLE)["id"]
    (data_dir / "menus" / "quality_rules.csv").write_text(
        RULES + "cadi,4-6y,group_each_day,food:unicornio,,40,x,\n", encoding="utf-8")
    client.app.state.services.cycles._quality = None  # type: ignore[attr-defined]
    sign_in(client, people["nutri"].username, people["nutri"].password)
    html = client.get(f"/ciclos/{cid}").text
    assert "Las reglas de calidad del menú (menus/quality_rules.csv) tienen problemas." in html
    r = client.post("/cycles/generate", json={"program": "cadi"}, headers=auth["nutri"])
    assert r.status_code == 422
    assert "unicornio" in json.dumps(r.json(), ensure_ascii=False)
