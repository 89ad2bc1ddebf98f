"""Who eats what, on a 375 px phone in a real headless Chromium: the nutritionist picks an
age group and a week, sees that group's dishes with kitchen measures, and every control
of the cycle page (selectors, pin boxes, the quality panel, "Aprobar") fits the screen
and is at least 40 px in both directions; the page body never scrolls sideways."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_support import Live, shot, sign_in
from test_browser_quality import INTERNAL_CODES, imported_cycle

from menu_planner.services import NUTRITIONIST

pytestmark = pytest.mark.browser
PHONE = 375
MIN_TAP = 40
CONTROLS = (
    "main a.button, main button, main select, main textarea, main summary, "
    "main input:not([type=hidden]):not([type=checkbox]), main .tabs a, "
    "main .dish-tools label"
)
BOXES_JS = """sel => [...document.querySelectorAll(sel)]
  .filter(e => e.getClientRects().length > 0)
  .map(e => { const r = e.getBoundingClientRect();
              return {what: (e.innerText || e.getAttribute('name') || e.tagName).trim()
                              .slice(0, 40),
                      x: r.left + window.scrollX, w: r.width, h: r.height}; })"""


def dish_names(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("#menu-grupo .dish-name").all_inner_texts()]


def test_a_phone_shows_one_age_groups_week_and_every_control_fits(live: Live, open_browser: Any):
    if "cadi" not in live.services.reference.dataset().programs:
        pytest.fail("los datos del servicio no tienen el programa cadi")
    cycle_id = imported_cycle(live)
    phone = open_browser(PHONE, 740)
    sign_in(phone, live, NUTRITIONIST, f"/ciclos/{cycle_id}")
    heading = phone.locator("#calendario")
    assert heading.inner_text() == "Quién come qué: 6 a 11 meses, semana 1"
    infants = dish_names(phone)
    assert infants
    groups = phone.get_by_role("navigation", name="Grupo de edad")
    assert groups.get_by_role("link").all_inner_texts() == [
        "6 a 11 meses",
        "1 a 3 años",
        "4 a 6 años",
    ]
    measures = phone.locator("#menu-grupo .amounts .measure").all_inner_texts()
    assert measures and all(
        re.search(r"taza|cucharad|unidad|onza|rodaja|libra", m) for m in measures
    )
    assert not INTERNAL_CODES.search(phone.locator("#menu").inner_text())

    groups.get_by_role("link", name="4 a 6 años").click()
    phone.wait_for_url(re.compile(r"grupo=4-6y"))
    assert heading.inner_text() == "Quién come qué: 4 a 6 años, semana 1"
    assert dish_names(phone) != infants
    phone.get_by_role("navigation", name="Semanas del ciclo").get_by_role(
        "link", name="Semana 2"
    ).click()
    phone.wait_for_url(re.compile(r"semana=2&grupo=4-6y"))
    assert heading.inner_text() == "Quién come qué: 4 a 6 años, semana 2"
    # The menu is on screen after a tap (the address ends in #menu).
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] < 740
    shot(phone, "telefono-quien-come-que", full_page=False)

    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE
    boxes = phone.evaluate(BOXES_JS, CONTROLS)
    assert len(boxes) > 20
    small = [b for b in boxes if b["w"] < MIN_TAP or b["h"] < MIN_TAP]
    assert not small, f"controles de menos de {MIN_TAP} px: {small[:5]}"
    outside = [b for b in boxes if b["x"] < 0 or b["x"] + b["w"] > PHONE + 0.5]
    assert not outside, f"controles fuera de la pantalla: {outside[:5]}"
    for name in ("Aprobar el ciclo", "Volver a optimizar"):
        assert phone.get_by_role("button", name=name).is_visible()
    assert phone.locator("#calidad-menu summary").count() > 0

    first = phone.locator("#menu-grupo .dish-tools label").first
    first.scroll_into_view_if_needed()
    first.click()
    assert first.locator("input").is_checked()
    phone.locator("#calidad-menu").scroll_into_view_if_needed()
    shot(phone, "telefono-calidad-y-aprobar", full_page=False)


def test_a_desktop_shows_the_groups_days_side_by_side(live: Live, open_browser: Any):
    cycle_id = imported_cycle(live)
    page = open_browser(1280, 900)
    sign_in(page, live, NUTRITIONIST, f"/ciclos/{cycle_id}?semana=1&grupo=1-3y")
    assert page.locator("#calendario").inner_text() == "Quién come qué: 1 a 3 años, semana 1"
    tops = [
        b["y"]
        for b in (page.locator("#menu-grupo > li").nth(i).bounding_box() for i in range(3))
        if b is not None
    ]
    assert len(tops) == 3 and max(tops) - min(tops) < 1, tops
    page.locator("#menu").scroll_into_view_if_needed()
    shot(page, "nutricionista-quien-come-que", full_page=False)
