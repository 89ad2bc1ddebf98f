"""A center administrator corrects the enrollment in a real headless Chromium: an absurd
number is refused on its field, a large change is shown back to be confirmed, and the
confirmed number is what the page then shows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_support import Live, shot, sign_in

from menu_planner.enrollment_bounds import bounds_of
from menu_planner.services import CENTER_ADMIN

pytestmark = pytest.mark.browser


def _save(page: Any, field: Any, value: int | str, confirm: bool = False) -> None:
    field.fill(str(value))
    if confirm:
        page.get_by_label("Confirmo que las cifras son correctas").check()
    page.get_by_role("button", name="Guardar inscripción").click()
    page.wait_for_load_state()


def test_center_admin_corrects_the_enrollment_within_its_bound(live: Live, open_browser: Any):
    page = open_browser()
    account = sign_in(page, live, CENTER_ADMIN)
    center_id = account.centers[0]
    me = live.services.accounts.actor_for(_user_id(live, account.username))
    assert me is not None
    center = live.services.centers.get(me, center_id)
    group = max(center.enrolled, key=lambda g: center.enrolled[g])
    before = center.enrolled[group]
    bound = bounds_of(live.data_dir).for_center(center.program, center.center_type)
    page.goto(live.url(f"/centros/{center_id}"))
    box = page.locator("section#inscripcion")
    field = box.locator(f'input[name="inscritos.{group}"]')
    assert field.input_value() == str(before)

    _save(page, field, bound.max_enrolled * 10)
    box = page.locator("section#inscripcion")
    error = box.locator(f"#inscritos\\.{re.escape(group)}-error")
    assert "más de lo posible" in error.inner_text()
    assert box.locator(f'input[name="inscritos.{group}"]').get_attribute(
        "aria-invalid") == "true"
    shot(page, "centro-inscripcion-absurda")

    field = box.locator(f'input[name="inscritos.{group}"]')
    large = before + bound.confirm_people + before  # more than doubles: large
    _save(page, field, large)
    box = page.locator("section#inscripcion")
    assert "confirme que la cifra es correcta" in box.inner_text()
    shot(page, "centro-inscripcion-confirmar")
    _save(page, box.locator(f'input[name="inscritos.{group}"]'), large, confirm=True)
    page.wait_for_url(re.compile(r"inscripcion=guardado"))
    assert "Guardado" in page.locator("section#inscripcion").inner_text()
    assert f"<strong>{large}</strong>" in page.content()

    # back to the demo's figure (another large change), so other tests see the demo
    box = page.locator("section#inscripcion")
    _save(page, box.locator(f'input[name="inscritos.{group}"]'), before)
    _save(page, page.locator(f'section#inscripcion input[name="inscritos.{group}"]'),
          before, confirm=True)
    page.wait_for_url(re.compile(r"inscripcion=guardado"))


def _user_id(live: Live, username: str) -> int:
    with live.services.ctx.unit() as uow:
        user = uow.users.by_name(username)
    assert user is not None and user.id is not None
    return user.id
