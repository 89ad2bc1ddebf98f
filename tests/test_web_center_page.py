"""The center page shows what the workbook shows: each line's price date, the range of
the price dates and the warning about prices older than 12 months; and the form for a
missing food on every week that has a list (also the next week's, right after a cycle
is signed to start next Monday). TestClient, tiny data, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from service_fixtures import *  # noqa: F403  (services, people, client...)
from service_fixtures import login, sign_fixture_cycle
from web_helpers import as_person, csrf_of, this_monday

from menu_planner.procurement.price_dates import price_dates
from menu_planner.services import SYSTEM
from menu_planner.spanish import day_date, long_date


def test_the_page_shows_the_price_dates_and_warns_about_old_prices(client, people,
                                                                   services):
    sign_fixture_cycle(client, login(client, people["nutri"]), "ciclo",
                       this_monday().isoformat())
    own = people["centro"].centers[0]
    as_person(client, people["centro"])
    me = services.accounts.actor_for(next(u.id for u, _ in services.accounts.list_users(SYSTEM)
                                 if u.username == people["centro"].username))
    wk, _ = services.procurement.week_purchases(me, own, 1)
    lines = wk.lines(wk.center_index(own))
    dates = sorted(ln.price_date for ln in lines)
    stale = [ln for ln in lines if ln.price_age_days > wk.price_max_age_days]
    assert stale, "los precios de los datos de prueba deberían ser viejos"
    page = client.get(f"/centros/{own}").text
    assert f"{dates[0]:%d/%m/%Y}" in page  # each line's price date
    span = (f"del {day_date(dates[0])}" if dates[0] == dates[-1]
            else f"del {day_date(dates[0])} al {day_date(dates[-1])}")
    assert f"Precios {span}: " in page
    assert price_dates(lines, wk.price_max_age_days).range_text() in page  # as the workbook
    assert (f"{len(stale)} precio(s) tienen más de 12 meses de antigüedad (el más antiguo, "
            f"del {day_date(min(ln.price_date for ln in stale))})") in page
    printed = client.get(f"/centros/{own}/imprimir",
                         params={"lunes": this_monday().isoformat()}).text
    assert "tienen más de 12 meses de antigüedad" in printed


def test_next_weeks_list_has_its_substitution_form_right_after_signing(client, people):
    next_monday = this_monday() + timedelta(days=7)
    sign_fixture_cycle(client, login(client, people["nutri"]), "ciclo",
                       next_monday.isoformat())
    own = people["centro"].centers[0]
    as_person(client, people["centro"])
    page = client.get(f"/centros/{own}").text
    assert f"El ciclo aprobado empieza la semana del {long_date(next_monday)}" in page
    assert "¿Falta algún alimento de esta semana o está muy caro?" not in page
    assert "¿Falta algún alimento de la próxima semana o está muy caro?" in page
    assert f'name="lunes" value="{next_monday.isoformat()}"' in page
    r = client.post(f"/centros/{own}/sustitucion", data={
        "csrf": csrf_of(page), "semana": "1", "lunes": next_monday.isoformat(),
        "falta": ["huevo_gallina"]})
    assert r.status_code == 200
    assert "Huevo de gallina</strong> → <strong>" in r.text


def test_both_weeks_have_their_form_when_the_cycle_runs(client, people):
    sign_fixture_cycle(client, login(client, people["nutri"]), "ciclo",
                       this_monday().isoformat())
    own = people["centro"].centers[0]
    as_person(client, people["centro"])
    page = client.get(f"/centros/{own}").text
    assert page.count('action="/centros/' + own + '/sustitucion"') == 2
    assert f"/centros/{own}/intercambios?semana=1" in page
    assert f"/centros/{own}/intercambios?semana=2" in page
