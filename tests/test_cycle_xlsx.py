"""The cycle workbook: written from the tiny fixture cycle, read back with openpyxl and
checked against menu_planner.nutrition, plus its Spanish headers and print setup."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from menu_planner.domain import DataError, Dataset, MenuCycle, cycle_from_dict
from menu_planner.export.cycle_xlsx import (
    readable_slot,
    solver_facts,
    write_cycle_xlsx,
)
from menu_planner.nutrition import COST, average, check_target, day_totals, item_grams

TINY = Path(__file__).parent / "fixtures" / "tiny"
WEEKDAYS = ["Lunes", "Martes", "Miércoles", "Jueves", "Viernes"]
GROUP_NAMES = {"6-11m": "6 a 11 meses", "1-3y": "1 a 3 años", "4-6y": "4 a 6 años"}
HEADER_ROW = 4


@pytest.fixture(scope="module")
def cycle() -> MenuCycle:
    return cycle_from_dict(json.loads((TINY / "cycle_cadi.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def book(cycle: MenuCycle, tiny: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("xlsx") / "ciclo.xlsx"
    write_cycle_xlsx(cycle, tiny, path, data_dir=TINY, generated=date(2026, 3, 5))
    return openpyxl.load_workbook(path)


def rows_after_header(ws: Worksheet) -> list[tuple[Any, ...]]:
    return list(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True))


def header(ws: Worksheet) -> list[Any]:
    return [c.value for c in ws[HEADER_ROW] if c.value is not None]


def test_workbook_has_the_five_spanish_sheets_in_order(book: Any) -> None:
    assert book.sheetnames == ["Calendario", "Porciones", "Costo y adecuación",
                               "Calidad del menú", "Resumen"]


def test_sheets_print_on_letter_paper_fit_to_width_with_repeated_headers(book: Any) -> None:
    for ws in book.worksheets:
        assert ws.page_setup.paperSize == 1  # letter (8.5 x 11 in)
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.sheet_view.showGridLines is False
        assert ws.print_options.gridLines is False
        assert "Hogares Comunitarios y CADI" in ws.oddHeader.center.text
        assert ws.oddFooter.right.text == "Página &P de &N"
        assert ws.oddFooter.left.text == "Generado el 05/03/2026"
        assert ws.page_margins.left == 0.5
    for name in ("Calendario", "Porciones", "Costo y adecuación"):
        assert book[name].print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert book["Calendario"].page_setup.orientation == "landscape"
    assert book["Porciones"].page_setup.orientation == "landscape"
    assert book["Costo y adecuación"].page_setup.orientation == "portrait"


def test_headers_are_in_spanish(book: Any) -> None:
    assert header(book["Calendario"]) == ["Semana", "Tiempo de comida", *WEEKDAYS]
    assert header(book["Porciones"]) == [
        "Semana", "Día", "Tiempo de comida", "Preparación", "Ingrediente",
        "6 a 11 meses (g)", "1 a 3 años (g)", "4 a 6 años (g)"]
    assert header(book["Costo y adecuación"]) == [
        "Semana", "Día", "Grupo de edad", "Concepto", "Valor", "Mínimo", "Máximo",
        "% de la meta", "Estado"]


def test_calendar_shows_each_days_dishes_by_slot(book: Any, cycle: MenuCycle,
                                                 tiny: Dataset) -> None:
    seen: dict[tuple[int, str], tuple[Any, ...]] = {}
    week = 0
    for row in rows_after_header(book["Calendario"]):
        if row[0]:
            week = int(str(row[0]).removeprefix("Semana "))
        seen[(week, row[1])] = row[2:]
    slot_names = {"desayuno": "Desayuno", "almuerzo": "Almuerzo", "refaccion": "Refacción"}
    assert len(seen) == cycle.weeks * len(slot_names)
    for day in cycle.days:
        for meal in day.meals:
            cell = seen[(day.week, slot_names[meal.slot])][day.weekday - 1]
            assert cell == "\n".join(tiny.recipes[i.recipe_id].name_es for i in meal.items)
    assert seen[(1, "Almuerzo")][0] == "Frijoles colados\nTortillas"


def test_portions_give_grams_per_person_of_each_ingredient(book: Any, cycle: MenuCycle,
                                                           tiny: Dataset) -> None:
    groups = list(cycle.age_groups)
    read: dict[tuple[int, str, str, str], list[Any]] = {}
    totals: dict[tuple[int, str, str], list[Any]] = {}
    week, day, dish = 0, "", ""
    for row in rows_after_header(book["Porciones"]):
        week = int(str(row[0]).removeprefix("Semana ")) if row[0] else week
        day, dish = row[1] or day, row[3] or dish
        if row[4] == "Total de la preparación":
            totals[(week, day, dish)] = list(row[5:])
        else:
            read[(week, day, dish, row[4])] = list(row[5:])
    checked = 0
    for d in cycle.days:
        for meal in d.meals:
            for item in meal.items:
                name = tiny.recipes[item.recipe_id].name_es
                key = (d.week, WEEKDAYS[d.weekday - 1], name)
                grams = {g: item_grams(tiny, item.recipe_id, item.portions[g]) for g in groups}
                for food_id in grams[groups[-1]]:
                    got = read[(*key, tiny.foods[food_id].name_es)]
                    want = [grams[g][food_id] if item.portions[g] > 0 else None for g in groups]
                    assert got == pytest.approx(want)
                    checked += 1
                want_total = [sum(grams[g].values()) if item.portions[g] > 0 else None
                              for g in groups]
                assert totals[key] == pytest.approx(want_total)
    assert checked == len(read) > 100
    # Tortillas are not served to infants: their cells are empty, not zero.
    assert read[(1, "Lunes", "Tortillas", "Tortilla de maíz")] == [None, 45, 60]


def adequacy_rows(book: Any) -> dict[tuple[int, str, str, str], tuple[Any, ...]]:
    out: dict[tuple[int, str, str, str], tuple[Any, ...]] = {}
    lead: tuple[Any, ...] = ()
    for row in rows_after_header(book["Costo y adecuación"]):
        lead = row[:3] if row[0] else lead
        week = int(str(lead[0]).removeprefix("Semana "))
        out[(week, lead[1], lead[2], row[3])] = row[4:]
    return out


def test_daily_cost_and_targets_match_nutrition(book: Any, cycle: MenuCycle,
                                                tiny: Dataset) -> None:
    rows = adequacy_rows(book)
    fails = 0
    for d in cycle.days:
        for g in cycle.age_groups:
            key = (d.week, WEEKDAYS[d.weekday - 1], GROUP_NAMES[g])
            totals = day_totals(tiny, d, g, cycle.price_region)
            cost = rows[(*key, "Costo (Q)")]
            assert cost[0] == pytest.approx(totals[COST])
            assert cost[0] == pytest.approx(d.totals[g][COST], abs=1e-3)  # as the JSON says
            assert cost[2] == 30 and cost[3] == pytest.approx(totals[COST] / 30)
            for t in tiny.targets_of("cadi", g):
                label = {"energy_kcal": "Energía (kcal)", "protein_g": "Proteína (g)",
                         "iron_mg": "Hierro (mg)", "sodium_mg": "Sodio (mg)"}[t.nutrient]
                if t.basis == "week":
                    assert (*key, label) not in rows
                    continue
                value, low, high, share, status = rows[(*key, label)]
                chk = check_target(totals, t)
                assert (value, low, high) == (pytest.approx(chk.value), t.min, t.max)
                base = t.min or t.max
                assert base and share == pytest.approx(chk.value / base)
                assert status.startswith("Cumple" if chk.ok else "No cumple")
                fails += not chk.ok
    assert fails > 0  # the fixture misses some targets: the sheet must flag them
    assert rows[(1, "Lunes", "4 a 6 años", "Energía (kcal)")][4] == "No cumple: faltan 102.1"


def test_week_average_block_checks_weekly_targets(book: Any, cycle: MenuCycle,
                                                  tiny: Dataset) -> None:
    rows = adequacy_rows(book)
    for week in range(1, cycle.weeks + 1):
        days = cycle.days_of_week(week)
        for g in cycle.age_groups:
            avg = average(day_totals(tiny, d, g, cycle.price_region) for d in days)
            key = (week, "Promedio semanal", GROUP_NAMES[g])
            assert rows[(*key, "Costo (Q)")][0] == pytest.approx(avg[COST])
            for t in tiny.targets_of("cadi", g):
                if t.basis == "week":
                    value, low, _, _, status = rows[(*key, "Hierro (mg)")]
                    chk = check_target(avg, t)
                    assert value == pytest.approx(chk.value) and low == t.min
                    assert status.startswith("Cumple" if chk.ok else "No cumple")
    assert (1, "Promedio semanal", "6 a 11 meses", "Hierro (mg)") not in rows  # no such target


def test_summary_lists_program_budget_region_date_and_targets(book: Any) -> None:
    ws = book["Resumen"]
    pairs = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}
    assert pairs["Programa"] == "Hogares Comunitarios y CADI"
    assert pairs["Semanas del ciclo"] == 6
    assert pairs["Presupuesto diario por persona"] == 30
    assert pairs["Región de precios"] == "Nacional"
    assert pairs["Fecha de generación"] == datetime(2026, 3, 5)
    assert "Optimizador" not in pairs  # the hand-made cycle has no solver facts
    cells = [r for r in ws.iter_rows(values_only=True) if r[0] == "4 a 6 años"]
    assert ("4 a 6 años", "Energía (kcal)", 650, 1400, "Diaria") in [r[:5] for r in cells]


def test_summary_shows_solver_facts_from_the_cycle(cycle: MenuCycle, tiny: Dataset,
                                                   tmp_path: Path) -> None:
    solved = replace(cycle, extra={"solver": {"name": "HiGHS", "status": "optimal",
                                              "objective": 812.5, "bound": 810.0,
                                              "gap": 0.003}})
    path = tmp_path / "c.xlsx"
    write_cycle_xlsx(solved, tiny, path, data_dir=TINY)
    pairs = {r[0]: r[1] for r in openpyxl.load_workbook(path)["Resumen"].iter_rows(
        values_only=True) if r[0]}
    assert pairs["Optimizador"] == "HiGHS"
    assert pairs["Estado"] == "óptimo (demostrado)"
    assert pairs["Valor objetivo"] == 812.5
    assert pairs["Cota inferior"] == 810.0
    assert pairs["Brecha relativa"] == 0.003


def test_the_optimizers_codes_are_written_in_words() -> None:
    facts = dict(solver_facts({"status": "gap_reached", "objective": "cost",
                               "objective_value": 12.3, "solver": "HiGHS"}))
    assert facts["Estado"] == "dentro de la brecha pedida (demostrado)"
    assert facts["Objetivo"] == "menor costo"
    assert facts["Valor objetivo"] == 12.3


def test_slot_names_come_from_slots_csv_when_the_data_dir_has_one(
    cycle: MenuCycle, tiny: Dataset, tmp_path: Path
) -> None:
    (tmp_path / "menus").mkdir()
    (tmp_path / "menus" / "slots.csv").write_text(
        "program,slot,name_es\ncadi,refaccion,Refacción de la tarde\nmad,refaccion,Merienda\n",
        encoding="utf-8")
    path = tmp_path / "c.xlsx"
    write_cycle_xlsx(cycle, tiny, path, data_dir=tmp_path)
    ws = openpyxl.load_workbook(path)["Calendario"]
    slots = [r[1] for r in rows_after_header(ws)[:3]]
    assert slots == ["Desayuno", "Almuerzo", "Refacción de la tarde"]


def test_a_bad_slots_csv_is_reported(cycle: MenuCycle, tiny: Dataset, tmp_path: Path) -> None:
    (tmp_path / "menus").mkdir()
    (tmp_path / "menus" / "slots.csv").write_text("program,slot\ncadi,x\n", encoding="utf-8")
    with pytest.raises(DataError, match="name_es"):
        write_cycle_xlsx(cycle, tiny, tmp_path / "c.xlsx", data_dir=tmp_path)


def test_a_cycle_naming_an_unknown_recipe_is_refused(cycle: MenuCycle, tiny: Dataset,
                                                     tmp_path: Path) -> None:
    day = cycle.days[0]
    meal = replace(day.meals[0], items=(replace(day.meals[0].items[0], recipe_id="sopa"),))
    bad = replace(cycle, days=(replace(day, meals=(meal,)), *cycle.days[1:]))
    with pytest.raises(DataError, match="sopa"):
        write_cycle_xlsx(bad, tiny, tmp_path / "c.xlsx", data_dir=TINY)


def test_slot_ids_are_made_readable() -> None:
    assert readable_slot("refaccion_vespertina") == "Refacción vespertina"
    assert readable_slot("merienda_escolar") == "Merienda escolar"


def test_solver_facts_are_read_at_top_level_too() -> None:
    assert solver_facts({"status": "optimal", "gap": 0.0, "other": [1]}) == [
        ("Estado", "óptimo (demostrado)"), ("Brecha relativa", 0.0)]
