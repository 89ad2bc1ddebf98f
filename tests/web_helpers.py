"""Helpers of the web page tests: a signed-in TestClient per person, the CSRF token of a
page, and a signed cycle to buy from."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from menu_planner.services import SYSTEM, Actor, Services
from menu_planner.storage.models import CycleRow

CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form of a page."""
    m = CSRF_RE.search(html)
    assert m, "la página no tiene un formulario con token CSRF"
    return m.group(1)


def sign_in(client: TestClient, username: str, password: str, next_url: str = "/") -> None:
    """Sign in through the sign-in form (the client keeps the session cookie)."""
    page = client.get("/entrar", params={"siguiente": next_url})
    r = client.post("/entrar", data={"usuario": username, "clave": password,
                                     "csrf": csrf_of(page.text), "siguiente": next_url},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


def this_monday(today: date | None = None) -> date:
    d = today or date.today()
    return d - timedelta(days=d.weekday())


def signed_cycle(services: Services, program: str = "cadi") -> CycleRow:
    """A cycle of `program` approved with week 1 this week (generated once if none is)."""
    with services.ctx.unit() as uow:
        row = uow.cycles.current(program)
    if row is not None:
        return row
    from menu_planner.services import NUTRITIONIST, GenerateParams

    nutri = _nutritionist(services)
    job = services.jobs.start_generation(nutri, GenerateParams(program=program, name="Prueba"))
    assert services.runner.wait_idle(900), "la generación no terminó"
    job = services.jobs.get(nutri, job.id)
    assert job.status == "succeeded", job.error
    assert job.cycle_id is not None
    assert nutri.role == NUTRITIONIST
    return services.cycles.approve(nutri, job.cycle_id, "aprobado en la prueba",
                                   start_date=this_monday())


def _nutritionist(services: Services) -> Actor:
    from menu_planner.services import NUTRITIONIST

    with services.ctx.unit() as uow:
        user = next((u for u in uow.users.find() if u.role == NUTRITIONIST), None)
    if user is None:
        services.accounts.add_user(SYSTEM, "nutri.auxiliar", NUTRITIONIST, "clave-auxiliar-123")
        with services.ctx.unit() as uow:
            user = uow.users.by_name("nutri.auxiliar")
    assert user is not None and user.id is not None
    actor = services.accounts.actor_for(user.id)
    assert actor is not None
    return actor


def as_person(client: TestClient, person: Any, next_url: str = "/") -> TestClient:
    """The client signed in through the form as `person` (a service_fixtures.Person)."""
    sign_in(client, person.username, person.password, next_url)
    return client


def approved_cycle(client: TestClient, nutri: Any, name: str = "ciclo") -> int:
    """The tiny fixture cycle, imported and signed with week 1 this week (over the API)."""
    from service_fixtures import login, sign_fixture_cycle

    return sign_fixture_cycle(client, login(client, nutri), name,
                              this_monday().isoformat())
