"""The special-menu pages through TestClient on the tiny data (SQLite and PostgreSQL): the
cycle page's "Menús especiales" box (derive in the background, the job's progress page,
the list with its downloads), and the center page's "Personas con menú especial" form
(the missing special menu said in words, the list buying for the declared people)."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from service_fixtures import *  # noqa: F403  (services, people, client...)
from web_helpers import approved_cycle, as_person, csrf_of

from menu_planner.services import Services
from menu_planner.services.variants import DERIVE
from menu_planner.storage.models import JobRow

TOTAL_RE = re.compile(r'class="num total"><strong>(-?)Q([\d,]+\.\d\d)</strong>')
JOB_RE = re.compile(r"^/ciclos/trabajos/([0-9a-f-]{36})$")


def derive_from_page(client: TestClient, services: Services, cid: int,
                     subgroup: str = "bajo_peso") -> str:
    """Post the cycle page's form, wait for the job, and return its id."""
    page = client.get(f"/ciclos/{cid}")
    r = client.post(f"/ciclos/{cid}/menus-especiales",
                    data={"csrf": csrf_of(page.text), "subgrupo": subgroup},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    m = JOB_RE.match(r.headers["location"])
    assert m, r.headers["location"]
    assert services.runner.wait_idle(600), "la derivación no terminó"
    return m.group(1)


def week_total(html: str) -> float:
    """This week's list total on the center page."""
    m = TOTAL_RE.search(html)
    assert m, "la página no muestra el total de la semana"
    return (-1 if m.group(1) else 1) * float(m.group(2).replace(",", ""))


# -- the cycle page -------------------------------------------------------------------------
def test_a_nutritionist_derives_a_special_menu_and_downloads_it(client, people, services):
    cid = approved_cycle(client, people["nutri"])
    as_person(client, people["nutri"])
    page = client.get(f"/ciclos/{cid}")
    assert page.status_code == 200 and "Menús especiales" in page.text
    assert "Todavía no hay menús especiales de este ciclo." in page.text
    assert '<option value="bajo_peso" selected>Bajo peso para la talla o la edad' in page.text
    assert "Derivar menú especial" in page.text

    job_id = derive_from_page(client, services, cid)
    job = client.get(f"/ciclos/trabajos/{job_id}")
    assert job.status_code == 200 and "El menú especial de bajo peso" in job.text
    assert f'href="/ciclos/{cid}?menu_especial=' in job.text
    assert "Ver los menús especiales del ciclo" in job.text
    state = client.get(f"/ciclos/trabajos/{job_id}/estado").json()
    assert state["status"] == "succeeded"
    assert state["cycle_url"].startswith(f"/ciclos/{cid}?menu_especial=")
    assert state["cycle_url"].endswith("#menus-especiales")

    [variant] = services.variants.of_cycle(cid)
    kept = round(variant.summary["reused_share"] * 100)
    assert 0 < kept <= 100
    box = client.get(state["cycle_url"].split("#")[0]).text
    assert "Menú especial derivado." in box
    assert f'<strong class="variant-kept">{kept} %</strong>' in box
    assert "Todavía no hay menús especiales" not in box
    assert "→" in box and "Derivado por nutri.ana" in box
    assert ("Cumple todas las metas especiales." in box) == variant.summary["ok"]
    base = f"/ciclos/{cid}/menus-especiales/{variant.id}"
    assert f'href="{base}.xlsx"' in box and f'href="{base}.json"' in box

    xlsx = client.get(f"{base}.xlsx")
    assert xlsx.status_code == 200
    assert "attachment" in xlsx.headers["content-disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Resumen", "Cambios", "Menú"]
    doc = client.get(f"{base}.json").json()
    assert doc["variant"]["subgroup"] == "bajo_peso"
    # another cycle's address, or another format, is a 404 page
    assert client.get(f"/ciclos/{cid + 1}/menus-especiales/{variant.id}.xlsx").status_code == 404
    assert client.get(f"{base}.pdf").status_code == 404


def test_a_subgroup_of_another_program_is_refused_on_the_form(client, people, services):
    cid = approved_cycle(client, people["nutri"])
    as_person(client, people["nutri"])
    page = client.get(f"/ciclos/{cid}")
    r = client.post(f"/ciclos/{cid}/menus-especiales",
                    data={"csrf": csrf_of(page.text), "subgrupo": "diabetes"})
    assert r.status_code == 422
    assert "No se derivó el menú especial" in r.text
    assert "Elija el subgrupo de la lista." in r.text and 'aria-invalid="true"' in r.text
    jobs, _ = services.jobs.find(_nutri(services), limit=50)
    assert not [j for j in jobs if j.kind == DERIVE]


def _nutri(services: Services):  # type: ignore[no-untyped-def]
    with services.ctx.unit() as uow:
        user = uow.users.by_name("nutri.ana")
    assert user is not None and user.id is not None
    return services.accounts.actor_for(user.id)


def test_a_failed_derivation_shows_its_message_and_the_way_back(client, people, services):
    cid = approved_cycle(client, people["nutri"])
    with services.ctx.unit() as uow:
        uow.jobs.add(JobRow(id="0" * 8 + "-0000-0000-0000-" + "0" * 12, kind=DERIVE,
                            status="failed", message="Sin resultado",
                            params={"cycle_id": cid, "subgroup": "bajo_peso"},
                            error={"code": "datos_invalidos", "message":
                                   "No se puede derivar el menú especial: falta un dato.",
                                   "details": [{"message": "falta un dato"}]}))
    as_person(client, people["nutri"])
    r = client.get("/ciclos/trabajos/00000000-0000-0000-0000-000000000000")
    assert r.status_code == 200
    assert "No se pudo derivar el menú especial" in r.text
    assert "No se puede derivar el menú especial: falta un dato." in r.text
    assert f'href="/ciclos/{cid}#menus-especiales"' in r.text
    assert "Volver a intentar" not in r.text  # the generation's advice is not shown


def test_a_derivation_still_running_is_listed_with_its_progress(client, people, services):
    cid = approved_cycle(client, people["nutri"])

    def job(n: int, status: str, cycle_id: int, subgroup: str = "bajo_peso") -> JobRow:
        return JobRow(id=f"{n:08d}-0000-0000-0000-000000000000", kind=DERIVE, status=status,
                      progress=0.4, message="Revisando el día 3",
                      params={"cycle_id": cycle_id, "subgroup": subgroup})

    with services.ctx.unit() as uow:
        uow.jobs.add(job(1, "running", cid))
        uow.jobs.add(job(2, "succeeded", cid, "obesidad"))
        uow.jobs.add(job(3, "running", cid + 1000, "obesidad"))
    as_person(client, people["nutri"])
    page = client.get(f"/ciclos/{cid}").text
    assert "En preparación: <strong>Bajo peso" in page
    assert "(40 %, revisando el día 3)" in page
    assert 'href="/ciclos/trabajos/00000001-0000-0000-0000-000000000000"' in page
    assert page.count("En preparación:") == 1  # not the finished one, not another cycle's


def test_a_center_administrator_reads_the_box_but_cannot_derive(client, people, services):
    cid = approved_cycle(client, people["nutri"])
    as_person(client, people["centro"])
    page = client.get(f"/ciclos/{cid}")
    assert page.status_code == 200 and "Menús especiales" in page.text
    assert "Derivar menú especial" not in page.text
    assert f'action="/ciclos/{cid}/menus-especiales"' not in page.text
    r = client.post(f"/ciclos/{cid}/menus-especiales",
                    data={"csrf": csrf_of(page.text), "subgrupo": "bajo_peso"})
    assert r.status_code == 403 and "No tiene permiso para esta página" in r.text
    assert services.variants.of_cycle(cid) == []


# -- the center page ------------------------------------------------------------------------
def people_form(client: TestClient, center: str) -> str:
    page = client.get(f"/centros/{center}")
    assert page.status_code == 200
    assert "Personas con menú especial" in page.text
    assert "comen el menú especial de su subgrupo y la lista de compras compra lo que " \
           "necesitan" in page.text
    return page.text


def test_declared_people_are_bought_their_special_menu(client, people, services):
    cid = approved_cycle(client, people["nutri"])
    own = people["centro"].centers[0]
    as_person(client, people["centro"])
    page = people_form(client, own)
    assert 'name="personas.bajo_peso.1-3y"' in page and 'value="0"' in page
    plain = week_total(page)

    r = client.post(f"/centros/{own}/personas-menu-especial",
                    data={"csrf": csrf_of(page), "personas.bajo_peso.1-3y": "2"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"]).text
    assert "Guardado" in page
    assert re.search(r'name="personas.bajo_peso.1-3y"[^>]*value="2"', page)
    # no special menu derived yet: the list is still there, buying the base menu for
    # them, with a warning in words that sends the nutritionist to derive it
    assert "todavía no tiene ese menú especial" in page
    assert "«bajo peso para la talla o la edad»" in page and "Derivar menú especial" in page
    assert week_total(page) == plain
    assert "compras.xlsx?lunes=" in page

    as_person(client, people["nutri"])
    derive_from_page(client, services, cid)
    as_person(client, people["centro"])
    page = people_form(client, own)
    assert "no tiene ese menú especial" not in page
    assert week_total(page) > plain  # two children eat more

    # back to 0: the base list again
    r = client.post(f"/centros/{own}/personas-menu-especial",
                    data={"csrf": csrf_of(page), "personas.bajo_peso.1-3y": "0"})
    assert r.status_code == 200 and week_total(r.text) == plain
    assert services.centers.get(_nutri(services), own).special_counts == {}


def test_more_people_than_enrolled_is_a_field_error_and_nothing_is_stored(client, people,
                                                                          services):
    approved_cycle(client, people["nutri"])
    own = people["centro"].centers[0]
    center = services.centers.get(_nutri(services), own)
    enrolled = center.enrolled["1-3y"]
    as_person(client, people["centro"])
    page = people_form(client, own)
    r = client.post(f"/centros/{own}/personas-menu-especial", data={
        "csrf": csrf_of(page), "personas.bajo_peso.1-3y": str(enrolled + 1),
        "personas.bajo_peso.4-6y": "dos"})
    assert r.status_code == 422
    assert "Revise los números marcados; no se guardó nada." in r.text
    assert "Escriba un número entero de 0 a" in r.text
    assert 'value="dos" aria-invalid="true"' in r.text
    assert f'value="{enrolled + 1}"' in r.text  # what was typed is kept
    assert services.centers.get(_nutri(services), own).special_counts == {}
    # the whole number alone: the service's check lands on the field
    r = client.post(f"/centros/{own}/personas-menu-especial", data={
        "csrf": csrf_of(page), "personas.bajo_peso.1-3y": str(enrolled + 1)})
    assert r.status_code == 422
    assert f"pero el centro tiene {enrolled} inscritas" in r.text
    assert 'aria-describedby="personas.bajo_peso.1-3y-error"' in r.text
    assert services.centers.get(_nutri(services), own).special_counts == {}


def test_another_centers_people_are_refused(client, people, services):
    own = people["centro"].centers[0]
    with services.ctx.unit() as uow:
        other = next(c.center_id for c in uow.centers.find() if c.center_id != own)
    as_person(client, people["centro"])
    token = csrf_of(client.get(f"/centros/{own}").text)
    r = client.post(f"/centros/{other}/personas-menu-especial",
                    data={"csrf": token, "personas.bajo_peso.1-3y": "1"})
    assert r.status_code == 403 and "Este centro no le corresponde" in r.text
    assert services.centers.get(_nutri(services), other).special_counts == {}
