"""Who eats what on the cycle page (TestClient, shipped data and shipped cycles): one age
group at a time, each day's dishes of that group only, each ingredient of a dish in a
kitchen measure and in grams; the groups' Spanish names, never their ids."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_fixtures import *  # noqa: F403  (the service's fixtures: services, people, client...)
from service_fixtures import Person
from web_helpers import as_person

from menu_planner.domain import Dataset
from menu_planner.exchanges.measures import KitchenMeasures, load_kitchen_measures
from menu_planner.nutrition import item_grams
from menu_planner.reference_data import SHIPPED_DATA, load_dataset
from menu_planner.services import Services
from menu_planner.web.cycle_views import dish_amounts, group_tabs, kitchen_measures

CYCLES = SHIPPED_DATA / "cycles"
KITCHEN_WORDS = re.compile(
    r"^(\d+ )?(½ )?(\d )?(taza|cucharada|cucharadita|unidad|onza|libra|"
    r"rodaja)(e?s)?$"
)
INTERNAL_IDS = re.compile(r"\b(6-11m|1-3y|4-6y|60\+|plato_principal|refaccion_\w+)\b")
DAY_CARD = re.compile(r'<li class="day card">(.*?)</li>\s*(?=<li class="day card">|</ol>)', re.S)
DISH = re.compile(r'<span class="dish-name">(.*?)</span>(.*?)</dd>', re.S)
AMOUNT = re.compile(
    r'<span class="food">(.*?)</span> <span class="amount">'
    r'(?:<strong class="measure">(.*?)</strong> <span class="grams">\((.*?) g\)'
    r'</span>|<span class="grams">(.*?) g</span>)</span>',
    re.S,
)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'web.sqlite3'}"


@pytest.fixture
def data_dir() -> Path:
    return SHIPPED_DATA


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load_dataset(None)


def shipped_doc(program: str) -> dict[str, Any]:
    """A shipped cycle: it must be there and load (a missing one is a failure)."""
    return json.loads((CYCLES / f"{program}.json").read_text(encoding="utf-8"))


def imported(client: TestClient, services: Services, nutri: Person, program: str) -> int:
    as_person(client, nutri)
    with services.ctx.unit() as uow:
        user = uow.users.by_name(nutri.username)
    assert user is not None and user.id is not None
    actor = services.accounts.actor_for(user.id)
    assert actor is not None
    row = services.cycles.import_cycle(actor, shipped_doc(program), "Ciclo incluido")
    assert row.id is not None
    return row.id


def menu_section(page: str) -> str:
    start = page.index('<section aria-labelledby="calendario" id="menu">')
    return page[start : page.index("</section>", start)]


def visible_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def served(doc: dict[str, Any], week: int, group: str) -> dict[int, list[tuple[str, float]]]:
    """weekday -> (recipe_id, portions) served to `group` that day, from the JSON itself."""
    out: dict[int, list[tuple[str, float]]] = {}
    for day in doc["days"]:
        if day["week"] == week:
            out[day["weekday"]] = [
                (it["recipe_id"], float(it["portions"].get(group, 0)))
                for meal in day["meals"]
                for it in meal["items"]
                if float(it["portions"].get(group, 0)) > 0
            ]
    return out


def shown_days(section: str) -> list[list[tuple[str, list[tuple[str, str, float]]]]]:
    """Per day card: (dish name, [(food, kitchen measure, grams)]) as the page shows them."""
    days = []
    for card in DAY_CARD.findall(section):
        dishes = []
        for name, rest in DISH.findall(card):
            amounts = [
                (
                    html.unescape(food),
                    html.unescape(measure),
                    float((grams or only).replace(",", "")),
                )
                for food, measure, grams, only in AMOUNT.findall(rest)
            ]
            dishes.append((html.unescape(name), amounts))
        days.append(dishes)
    return days


def test_the_infant_group_sees_its_own_dishes_and_portions_only(client, services, people, shipped):
    doc = shipped_doc("cadi")
    cid = imported(client, services, people["nutri"], "cadi")
    infants = served(doc, 1, "6-11m")
    older_only = {
        shipped.recipes[r].name_es for d in served(doc, 1, "4-6y").values() for r, _ in d
    } - {shipped.recipes[r].name_es for d in infants.values() for r, _ in d}
    assert older_only, "el ciclo incluido da a los bebés los mismos platos que a los mayores"

    page = client.get(f"/ciclos/{cid}", params={"semana": "1", "grupo": "6-11m"})
    assert page.status_code == 200
    section = menu_section(page.text)
    assert "Quién come qué: 6 a 11 meses, semana 1" in visible_text(section)
    days = shown_days(section)
    assert len(days) == len(infants) == 5
    for (weekday, items), dishes in zip(sorted(infants.items()), days, strict=True):
        assert [n for n, _ in dishes] == [shipped.recipes[r].name_es for r, _ in items], weekday
        for (recipe_id, portions), (_name, amounts) in zip(items, dishes, strict=True):
            grams = item_grams(shipped, recipe_id, portions)
            assert [(f, round(g, 1)) for f, _m, g in amounts] == [
                (shipped.foods[f].name_es, round(g, 1)) for f, g in grams.items()
            ]
            for _food, measure, _g in amounts:
                assert not measure or KITCHEN_WORDS.match(measure), measure
    measured = [m for d in days for _n, a in d for _f, m, _g in a if m]
    assert len(measured) >= 10, "casi ningún ingrediente de los bebés lleva medida de cocina"
    names = {n for d in days for n, _ in d}
    assert not names & older_only, names & older_only


def test_the_same_dish_shows_a_smaller_portion_to_infants(client, services, people, shipped):
    doc = shipped_doc("cadi")
    cid = imported(client, services, people["nutri"], "cadi")
    shared = [
        (wd, r, p)
        for wd, items in served(doc, 1, "6-11m").items()
        for r, p in items
        if any(r == r2 and p2 > p for r2, p2 in served(doc, 1, "4-6y")[wd])
    ]
    assert shared, "ningún plato de la semana 1 se sirve a bebés y a preescolares"
    weekday, recipe_id, _ = shared[0]
    name = shipped.recipes[recipe_id].name_es

    def grams_of(group: str) -> float:
        page = client.get(f"/ciclos/{cid}", params={"semana": "1", "grupo": group}).text
        dishes = dict(shown_days(menu_section(page))[weekday - 1])
        return sum(g for _f, _m, g in dishes[name])

    assert grams_of("6-11m") < grams_of("4-6y")


def test_the_group_selector_names_groups_in_spanish_and_keeps_the_week(client, services, people):
    cid = imported(client, services, people["nutri"], "cadi")
    page = client.get(f"/ciclos/{cid}", params={"semana": "3", "grupo": "1-3y"}).text
    section = menu_section(page)
    text = visible_text(section)
    assert not INTERNAL_IDS.search(text), INTERNAL_IDS.search(text)
    tabs = re.findall(
        r'<a href="(/ciclos/\d+\?semana=\d&amp;grupo=[^"#]+#menu)"'
        r'( aria-current="page")?>([^<]+)</a>',
        section,
    )
    assert [(t[2], bool(t[1])) for t in tabs] == [
        ("6 a 11 meses", False),
        ("1 a 3 años", True),
        ("4 a 6 años", False),
    ]
    assert all("semana=3&amp;" in t[0] for t in tabs)
    assert f'href="/ciclos/{cid}?semana=5&amp;grupo=1-3y#menu"' in section
    # An unknown group falls back to the first one, not an error.
    other = client.get(f"/ciclos/{cid}", params={"grupo": "<script>"})
    assert other.status_code == 200
    assert "Quién come qué: 6 a 11 meses, semana 1" in visible_text(menu_section(other.text))


def test_the_older_adults_group_has_its_name_and_an_encoded_address(client, services, people):
    cid = imported(client, services, people["nutri"], "mad")
    page = client.get(f"/ciclos/{cid}", params={"grupo": "60+"}).text
    section = menu_section(page)
    assert "Quién come qué: 60 años y más, semana 1" in visible_text(section)
    assert "grupo=60%2B#menu" in section
    assert not INTERNAL_IDS.search(visible_text(section))
    assert len(shown_days(section)) == 5 and all(shown_days(section))


def test_dish_amounts_use_the_kitchen_measure_of_the_food(shipped):
    measures = load_kitchen_measures(shipped, None)
    beans = dish_amounts(shipped, "frijoles_colados", 0.8, measures)
    first = beans[0]
    assert first.food == shipped.foods["frijol_negro_cocido"].name_es
    assert (first.measure, round(first.grams, 1)) == ("½ taza", 80.0)  # 1 taza = 172 g
    infant = dish_amounts(shipped, "frijoles_colados", 0.2, measures)[0]  # 20 g of beans
    assert (infant.measure, round(infant.grams, 1)) == ("2 cucharadas", 20.0)  # 16 per taza
    assert dish_amounts(shipped, "frijoles_colados", 0.0, measures) == ()
    no_measures = dish_amounts(shipped, "frijoles_colados", 0.8, None)
    assert [a.measure for a in no_measures] == ["", ""]


def test_a_broken_measures_file_leaves_grams_and_says_why(shipped, tmp_path):
    menus = tmp_path / "menus"
    menus.mkdir()
    (menus / "kitchen_measures.csv").write_text(
        "food_id,food_group,measure,grams,source,note\nno_existe,,taza,100,,\n", encoding="utf-8"
    )
    measures, why = kitchen_measures(shipped, tmp_path)
    assert measures is None
    assert "se muestran solo los gramos" in why and "no_existe" in why and "línea 2" in why
    ok, nothing = kitchen_measures(shipped, None)
    assert isinstance(ok, KitchenMeasures) and nothing == ""


def test_group_tabs_follow_the_cycles_order(shipped):
    from menu_planner.domain import cycle_from_dict

    tabs = group_tabs(shipped, cycle_from_dict(shipped_doc("cadi")))
    assert [(t.name, t.portion_min, t.portion_max) for t in tabs] == [
        ("6 a 11 meses", 0.2, 0.5),
        ("1 a 3 años", 0.6, 0.9),
        ("4 a 6 años", 0.8, 1.2),
    ]
