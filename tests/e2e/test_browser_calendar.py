"""The Christmas week in a real headless Chromium, on a desktop and at 375 px: the center
administrator picks the week on the center page; its list buys and funds only the days
served (Christmas left out, and named), the workbook downloaded from it adds up to the
page's total, and the petty cash of that month counts the same service days."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_support import Live, shot, sign_in
from openpyxl import load_workbook
from test_browser_roles import actor
from web_helpers import signed_cycle

from menu_planner.procurement.calendar import Month, long_date_es, week_monday, week_service
from menu_planner.procurement.money import format_q
from menu_planner.services import CENTER_ADMIN

pytestmark = pytest.mark.browser


def christmas_week(start: date) -> date:
    """The Monday of the first week from `start` on with Christmas on a weekday (the week
    of 21 December 2026 when the cycle starts before it)."""
    year = start.year
    while True:
        christmas = date(year, 12, 25)
        if christmas.weekday() < 5 and week_monday(christmas) >= week_monday(start):
            return week_monday(christmas)
        year += 1


@pytest.mark.parametrize("width", [1280, 375])
def test_the_christmas_week_list_and_caja_chica_agree(live: Live, open_browser: Any,
                                                      tmp_path: Path, width: int):
    cycle = signed_cycle(live.services)
    assert cycle.start_date is not None
    monday = christmas_week(cycle.start_date)
    page = open_browser(width=width, height=900)
    account = sign_in(page, live, CENTER_ADMIN)
    center_id = account.centers[0]
    page.goto(live.url(f"/centros/{center_id}"))
    page.get_by_label("Ver la lista de la semana del").fill(monday.isoformat())
    page.get_by_role("button", name="Ver", exact=True).click()
    page.wait_for_url(re.compile(rf"lunes={monday.isoformat()}"))

    me = actor(live.services, account.username)
    wk, _row = live.services.procurement.week_purchases(me, center_id, monday=monday)
    normal, _ = live.services.procurement.week_purchases(me, center_id, wk.week)
    i = wk.center_index(center_id)
    days = int(wk.service_days[i])
    assert days == 4 and int(normal.service_days[i]) == 5  # Christmas: Mon-Thu served
    # funded for 4 of 5 days; the grams are those of Monday to Thursday of the cycle week
    assert round(float(normal.budget_q[i]) * 4 / 5, 2) == float(wk.budget_q[i])
    assert 0 < wk.needed_grams[i].sum() < normal.needed_grams[i].sum()

    week = page.locator("section.week").first
    text = week.inner_text()
    assert long_date_es(monday) in text
    assert f"{days} días de servicio" in text
    assert "Días sin servicio esta semana" in text
    assert f"{long_date_es(monday + timedelta(days=4))}: Navidad" in text
    assert week.locator("td.total").inner_text() == format_q(round(float(wk.total_q[i]) * 100))
    fund = week.locator("tfoot tr").nth(1).locator("td.num").inner_text()
    assert fund == format_q(round(float(wk.budget_q[i]) * 100))
    assert week.locator(".days-off").is_visible()
    if width == 375:
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, f"centro-semana-navidad-{width}")

    # the petty cash of that month counts the same service days, week by week
    month = Month(monday.year, monday.month)
    caja = live.services.finance.caja_chica(me, str(month), center_id=center_id).budgets[0]
    served = 0
    for k in range(6):
        other = week_monday(month.first_day) + timedelta(weeks=k)
        if other > month.last_day:
            break
        if other < week_monday(cycle.start_date):  # no list before the cycle: the calendar
            served += sum(1 for d in week_service(other).served if month.contains(d))
            continue
        lst, _ = live.services.procurement.week_purchases(me, center_id, monday=other)
        served += sum(1 for d in lst.weekdays[lst.center_index(center_id)]
                      if month.contains(other + timedelta(days=d - 1)))
    assert caja.service_days == served
    assert f"({caja.service_days} días de servicio)" in page.inner_text("main")

    if width == 1280:
        with page.expect_download() as info:
            week.get_by_role("link", name="Descargar Excel").click()
        path = tmp_path / "navidad.xlsx"
        info.value.save_as(path)
        book = load_workbook(path, data_only=True)
        ws = book[center_id]
        labels = {str(c.value): c.row for c in ws["A"] if c.value}
        total_row = next(r for t, r in labels.items() if t.startswith("Total de la compra"))
        amounts = [ws.cell(r, 5).value for r in range(labels["Alimento"] + 1, total_row)
                   if isinstance(ws.cell(r, 5).value, int | float)]
        assert sum(round(v * 100) for v in amounts) == round(float(wk.total_q[i]) * 100)
        assert any("Navidad" in t for t in labels)
