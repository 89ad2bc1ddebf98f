"""Two people edit the same exchange rule in two real browsers: the one who saves second
is told, in Spanish, that someone else changed it, keeps what they typed, and replaces
the other's values only by saving again."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_support import Live, shot, sign_in

from menu_planner.services import ADMIN, NUTRITIONIST

pytestmark = pytest.mark.browser


def test_the_second_person_to_save_a_rule_sees_the_conflict(live: Live, open_browser: Any):
    rule = next(r for r in live.services.exchanges.exchange_rules("verduras") if not r.food_id)
    path = f"/intercambios/reglas/{rule.id}"
    first, second = open_browser(), open_browser()
    sign_in(first, live, NUTRITIONIST, path)
    other = sign_in(second, live, ADMIN, path)
    first.get_by_label("Nota").fill("Nota de la nutricionista")
    second.get_by_label("Nota").fill("Nota de la administración")
    second.get_by_role("button", name=re.compile("Guardar")).click()
    second.wait_for_url(re.compile(r"/intercambios\?guardado="))

    first.get_by_role("button", name=re.compile("Guardar")).click()
    alert = first.get_by_role("alert")
    text = alert.inner_text()
    assert "cambió mientras usted editaba una versión anterior" in text
    assert f"«{other.username}»" in text and "si vuelve a guardar" in text
    assert first.get_by_label("Nota").input_value() == "Nota de la nutricionista"
    stored = next(r for r in live.services.exchanges.exchange_rules("verduras") if r.id == rule.id)
    assert stored.note == "Nota de la administración"
    shot(first, "conflicto-regla-intercambio")

    first.get_by_role("button", name=re.compile("Guardar")).click()  # a deliberate choice
    first.wait_for_url(re.compile(r"/intercambios\?guardado="))
    stored = next(r for r in live.services.exchanges.exchange_rules("verduras") if r.id == rule.id)
    assert stored.note == "Nota de la nutricionista"
    assert stored.revision == rule.revision + 2
