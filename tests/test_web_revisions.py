"""Forms carry the revision of what they show: a delete confirmed on a page that is no
longer current, or special counts typed over someone else's, are refused with a Spanish
page or message and nothing is stored (the rule form itself: tests/e2e)."""

from __future__ import annotations

import re

from service_fixtures import *  # noqa: F403
from test_web_variants import people_form
from web_helpers import approved_cycle, as_person, csrf_of

from menu_planner.services import SYSTEM
from menu_planner.storage.models import ExchangeExclusionRow


def test_a_delete_confirmed_on_an_old_page_is_refused(client, people, services):
    as_person(client, people["nutri"])
    ex = services.exchanges.exclusions()[0]
    confirm = client.get(f"/intercambios/exclusiones/{ex.id}/borrar").text
    assert f'name="revision" value="{ex.revision}"' in confirm
    with services.ctx.unit() as uow:  # someone else edits it meanwhile
        row = uow.rules.get(ExchangeExclusionRow, ex.id)
        row.reason = "cambiada por otra persona"
        uow.rules.save(row, "otra.persona")
    r = client.post(f"/intercambios/exclusiones/{ex.id}/borrar",
                    data={"csrf": csrf_of(confirm), "revision": str(ex.revision)})
    assert r.status_code == 409
    assert "cambió mientras usted editaba una versión anterior" in r.text
    assert "«otra.persona»" in r.text
    assert ex.id in {e.id for e in services.exchanges.exclusions()}


def test_special_counts_typed_over_someone_elses_are_refused(client, people, services):
    approved_cycle(client, people["nutri"])
    own = people["centro"].centers[0]
    as_person(client, people["centro"])
    page = people_form(client, own)
    shown = re.search(r'name="revision" value="(\d+)"', page)
    assert shown
    services.centers.update_enrollment(SYSTEM, own, {"1-3y": 5})  # someone else, meanwhile
    r = client.post(f"/centros/{own}/personas-menu-especial", data={
        "csrf": csrf_of(page), "revision": shown.group(1), "personas.bajo_peso.1-3y": "2"})
    assert r.status_code == 409
    assert "cambió mientras usted editaba una versión anterior" in r.text
    assert 'value="2"' in r.text  # what was typed is kept
    assert services.centers.get(SYSTEM, own).special_counts == {}
    fresh = re.search(r'name="revision" value="(\d+)"', r.text)
    assert fresh and int(fresh.group(1)) == int(shown.group(1)) + 1
