"""The nutritionist reads the quality panel of a cycle in a real headless Chromium, above
the button that signs it, on a desktop and on a 375 px phone."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from browser_support import Live, shot, sign_in

from menu_planner.services import NUTRITIONIST
from menu_planner.services.cycles import stored_cycle

pytestmark = pytest.mark.browser

INTERNAL_CODES = re.compile(r"\b(6-11m|1-3y|4-6y|60\+|distinct_days|max_per_cycle|"
                            r"group_each_\w+|energy_\w+|plato_principal|lacteos_huevos)\b")


def imported_cycle(live: Live) -> int:
    """A shipped cycle of the live data's program imported as a draft."""
    program = "cadi" if "cadi" in live.services.reference.dataset().programs else "mad"
    path = live.data_dir / "cycles" / f"{program}.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    with live.services.ctx.unit() as uow:
        user = uow.users.by_name(live.accounts[NUTRITIONIST].username)
    assert user is not None and user.id is not None
    nutritionist = live.services.accounts.actor_for(user.id)
    assert nutritionist is not None
    row = live.services.cycles.import_cycle(nutritionist, doc, "Ciclo a revisar")
    assert row.id is not None
    return row.id


def test_the_quality_panel_lists_each_rule_above_the_approve_button(live: Live,
                                                                    open_browser: Any):
    cycle_id = imported_cycle(live)
    row = live.services.cycles.get(cycle_id)
    report = live.services.cycles.quality(live.services.reference.dataset(), stored_cycle(row))
    page = open_browser()
    sign_in(page, live, NUTRITIONIST, f"/ciclos/{cycle_id}")
    panel = page.locator("#calidad-menu")
    assert panel.get_by_role("heading", name="Calidad del menú").is_visible()
    assert page.locator("#calidad-resumen").inner_text() == report.headline_es()
    rules = panel.locator("li.quality-rule")
    assert rules.count() == len(report.results) > 0
    for i, result in enumerate(report.results):
        item = rules.nth(i)
        assert item.locator(".verdict").inner_text() == result.verdict_es
        assert item.locator(".rule-title").inner_text() == result.title_es
        assert item.locator(".rule-summary").inner_text() == result.summary_es
    # A failing rule shows its weeks, days and amounts without a click.
    failing = [i for i, r in enumerate(report.results) if not r.passed and not r.advisory]
    if failing:
        first = rules.nth(failing[0])
        details = first.locator(".rule-details li")
        assert details.first.is_visible()
        assert details.count() == len(report.results[failing[0]].details_es)
    for group in {r.age_group_es for r in report.results}:
        assert panel.get_by_role("heading", name=group, exact=True).is_visible()
    text = panel.inner_text()
    assert not INTERNAL_CODES.search(text), INTERNAL_CODES.search(text)
    # Above "Aprobar": the panel ends before the signing form starts.
    panel_box = panel.bounding_box()
    button = page.get_by_role("button", name="Aprobar el ciclo")
    button_box = button.bounding_box()
    assert panel_box is not None and button_box is not None
    assert panel_box["y"] + panel_box["height"] <= button_box["y"]
    shot(page, "nutricionista-calidad-del-menu")

    phone = open_browser(375, 740)
    sign_in(phone, live, NUTRITIONIST, f"/ciclos/{cycle_id}")
    phone.locator("#calidad-menu").scroll_into_view_if_needed()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    box = phone.locator("#calidad-menu").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375
    shot(phone, "telefono-calidad-del-menu", full_page=False)
