"""The pages under the strict Content Security Policy in a real Chromium: no page of any
role breaks a rule of the policy (no inline script or style is left), the adequacy bars
still draw; and signing out ends the session on the server, so the old cookie is
refused even if someone kept a copy of it."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from browser_support import Live, sign_in
from test_browser_roles import PHONE_PAGES, page_values

from menu_planner.services import FINANCE

pytestmark = pytest.mark.browser


def test_no_page_breaks_the_content_security_policy(live: Live, open_browser: Any):
    values = page_values(live)
    extra: dict[str, list[str]] = {role: [] for role in PHONE_PAGES}
    extra[next(iter(PHONE_PAGES))] = ["/ciclos/{cycle}/intercambios?formato=html"]
    violations: list[str] = []
    seen = 0
    for role, paths in PHONE_PAGES.items():
        page = open_browser()
        page.on("console", lambda m: violations.append(m.text)
                if "Content Security Policy" in m.text else None)
        sign_in(page, live, role, paths[0].format(**values))
        for raw in [*paths, *extra[role]]:
            response = page.goto(live.url(raw.format(**values)))
            assert response is not None and response.status in (200, 403), raw
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
            assert response.headers["x-content-type-options"] == "nosniff"
            seen += 1
            if raw == "/ciclos/{cycle}":  # the bars are drawn (SVG, sized by attributes)
                fill = page.locator(".bar-fill").first.bounding_box()
                assert fill is not None and fill["width"] > 0 and fill["height"] > 0
    assert seen > 10
    assert violations == []


def test_signing_out_ends_the_session_on_the_server(live: Live, open_browser: Any):
    page = open_browser()
    sign_in(page, live, FINANCE, "/finanzas/liquidaciones")
    cookie = next(c for c in page.context.cookies() if c["name"] == "mp_sesion")["value"]
    kept = {"Authorization": f"Bearer {cookie}"}
    assert httpx.get(live.url("/auth/me"), headers=kept).status_code == 200
    page.get_by_role("button", name="Salir").click()
    page.wait_for_url(re.compile(r"/entrar"))
    assert httpx.get(live.url("/auth/me"), headers=kept).status_code == 401
    again = httpx.get(live.url("/finanzas/liquidaciones"), cookies={"mp_sesion": cookie},
                      follow_redirects=False)
    assert again.status_code == 303 and "/entrar" in again.headers["location"]
