"""Variety rules are data: read from CSV with every problem named, defaults otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from menu_planner.domain import DataError
from menu_planner.optimizer import DEFAULT_RULES, load_variety_rules, read_variety_rules
from menu_planner.reference_data import SHIPPED_DATA

HEADER = "program,rule,subject,value,min_grams,scope,note\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "variety_rules.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_data_dir_without_the_file_gets_the_default_rules(tmp_path: Path):
    assert load_variety_rules(tmp_path) is DEFAULT_RULES


def test_the_shipped_rules_file_states_the_default_rules():
    assert (SHIPPED_DATA / "menus" / "variety_rules.csv").is_file()

    def key(r):  # type: ignore[no-untyped-def]
        return (r.program, r.rule, r.subject_kind, r.subject, r.value, r.min_grams, r.scope)

    shipped = load_variety_rules(None)
    assert sorted(map(key, shipped.rules)) == sorted(map(key, DEFAULT_RULES.rules))


def test_a_program_row_replaces_the_row_for_every_program(tmp_path: Path):
    rules = read_variety_rules(write(tmp_path,
                                     "*,max_per_week,component:plato_principal,1,,menu,\n"
                                     "mad,max_per_week,component:plato_principal,2,,menu,\n"))
    [mad] = rules.for_program("mad")
    [cadi] = rules.for_program("cadi")
    assert (mad.value, cadi.value) == (2, 1)


def test_every_wrong_row_is_named_with_its_line(tmp_path: Path):
    path = write(tmp_path,
                 "*,max_per_week,plato_principal,1,,menu,\n"  # line 2: no kind
                 "*,sometimes,dish:*,1,,menu,\n"  # line 3: unknown rule
                 "*,daily_food_group,group:frutas;dulces,1,50,todos,\n"  # line 4: group
                 "*,weeks_differ,dish:*,2,,menu,\n"  # line 5: needs component
                 "*,max_per_cycle,dish:*,,,menu,\n")  # line 6: no value
    with pytest.raises(DataError) as err:
        read_variety_rules(path)
    lines = sorted(p.line for p in err.value.problems)
    assert lines == [2, 3, 4, 5, 6]
    report = err.value.report()
    assert "dulces" in report and "component" in report


def test_rules_describe_themselves_in_spanish():
    text = " ".join(r.describe_es() for r in DEFAULT_RULES.rules)
    assert "cada plato principal: a lo sumo 1 día por semana" in text
    assert "nunca en dos días de servicio seguidos" in text
    assert "frutas" in text
    assert "plato_principal" not in text and "(s)" not in text  # words, not codes


def test_rules_name_dishes_and_foods_by_their_names():
    from menu_planner.optimizer.rules import VarietyRule

    dish = next(r for r in DEFAULT_RULES.rules if r.subject_kind == "component")
    assert "plato principal" in dish.describe_es()
    named = VarietyRule("*", "max_per_cycle", "dish", "arroz_chino", 2)
    assert named.describe_es({"arroz_chino": "Arroz chino"}) == (
        "el plato «Arroz chino»: a lo sumo 2 días en el ciclo")
