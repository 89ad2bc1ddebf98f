"""The menu-quality check, rule by rule, on small cycles over the tiny data: each rule
passes on a cycle made to meet it and fails, with its numbers, on one made to miss it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from menu_planner.domain import Dataset, Meal, MenuCycle, MenuDay, MenuItem
from menu_planner.quality.check import check_cycle
from menu_planner.quality.report import (
    QUALITY_FORMAT,
    QualityResult,
    grams_es,
    with_quality,
)
from menu_planner.quality.standard import QualityRule, QualityStandard

Served = tuple[str, str, float]  # (slot, recipe_id, portions of the group)


def day(week: int, weekday: int, served: Sequence[Served], group: str = "4-6y") -> MenuDay:
    meals: dict[str, list[MenuItem]] = {}
    for slot, recipe_id, portions in served:
        meals.setdefault(slot, []).append(MenuItem(recipe_id, {group: portions}))
    return MenuDay(week, weekday, tuple(Meal(s, tuple(items)) for s, items in meals.items()))


def cycle(days: Sequence[MenuDay], groups: Sequence[str] = ("4-6y",)) -> MenuCycle:
    weeks = max(d.week for d in days)
    return MenuCycle("cadi", weeks, 5, 30.0, "Nacional", tuple(groups), tuple(days))


def rule(kind: str, subject: str = "", value: float = 0.0, grams: float = 0.0,
         groups: Sequence[str] = ("4-6y",), program: str = "cadi") -> QualityRule:
    return QualityRule(program, tuple(groups), kind, subject, value, grams, "fuente de prueba",
                       line=2)


def only(ds: Dataset, menu: MenuCycle, *rules: QualityRule) -> QualityResult:
    report = check_cycle(menu, ds, QualityStandard(rules, "prueba"))
    assert len(report.results) == 1
    return report.results[0]


def lunch(main: str, portions: float = 1.0, side: str = "tortillas") -> list[Served]:
    return [("almuerzo", main, portions), ("almuerzo", side, 1.0)]


# -- distinct days -------------------------------------------------------------------------
def test_a_cycle_whose_days_all_differ_passes_distinct_days(tiny: Dataset) -> None:
    mains = ["pollo_guisado", "huevos_revueltos", "frijoles_colados", "pure_pollo_guisquil"]
    menu = cycle([day(1 + i // 2, 1 + i % 2, lunch(m)) for i, m in enumerate(mains)])
    result = only(tiny, menu, rule("distinct_days"))
    assert result.passed
    assert result.numbers["distinct"] == 4 and result.numbers["required"] == 4


def test_a_week_that_reorders_another_weeks_days_fails_distinct_days(tiny: Dataset) -> None:
    menu = cycle([day(1, 1, lunch("pollo_guisado")), day(1, 2, lunch("huevos_revueltos")),
                  day(2, 1, lunch("huevos_revueltos")), day(2, 2, lunch("pollo_guisado"))])
    result = only(tiny, menu, rule("distinct_days"))
    assert not result.passed
    assert result.numbers["distinct"] == 2 and result.numbers["required"] == 4
    assert result.numbers["repeated"] == [[[1, 1], [2, 2]], [[1, 2], [2, 1]]]
    assert result.numbers["same_weeks"] == [[1, 2]]
    assert result.summary_es == ("2 menús de día distintos en 4 días del ciclo "
                                 "(se piden 4)")
    assert "El mismo menú 2 días: semana 1 (lunes); semana 2 (martes)" in result.details_es
    assert "Las semanas 1, 2 son los mismos días en otro orden" in result.details_es


def test_distinct_days_asks_for_the_number_the_rule_gives(tiny: Dataset) -> None:
    menu = cycle([day(1, 1, lunch("pollo_guisado")), day(1, 2, lunch("pollo_guisado")),
                  day(1, 3, lunch("huevos_revueltos"))])
    assert only(tiny, menu, rule("distinct_days", value=2)).passed
    assert not only(tiny, menu, rule("distinct_days", value=3)).passed


def test_a_different_side_dish_makes_a_different_day_menu(tiny: Dataset) -> None:
    menu = cycle([day(1, 1, lunch("pollo_guisado", side="tortillas")),
                  day(1, 2, lunch("pollo_guisado", side="arroz_blanco_cocido"))])
    assert only(tiny, menu, rule("distinct_days")).passed


# -- a lunch main dish at most n times -----------------------------------------------------
def test_a_lunch_main_served_three_times_fails_a_cap_of_two(tiny: Dataset) -> None:
    menu = cycle([day(1, d, lunch("pollo_guisado")) for d in (1, 2, 3)]
                 + [day(1, 4, lunch("huevos_revueltos"))])
    result = only(tiny, menu, rule("max_per_cycle", "almuerzo:plato_principal", 2))
    assert not result.passed
    assert result.numbers["over"] == {"pollo_guisado": 3}
    assert result.numbers["times"] == {"huevos_revueltos": 1, "pollo_guisado": 3}
    assert result.details_es == ("Pollo guisado con güisquil: 3 veces (semana 1 (lunes, "
                                 "martes, miércoles))",)
    assert result.summary_es.startswith("2 platos distintos; 1 se sirve más de 2 veces")


def test_a_lunch_main_served_twice_passes_and_breakfast_mains_do_not_count(
        tiny: Dataset) -> None:
    days = [day(1, d, [*lunch(m), ("desayuno", "huevos_revueltos", 1.0)])
            for d, m in ((1, "pollo_guisado"), (2, "pollo_guisado"), (3, "huevos_revueltos"))]
    result = only(tiny, cycle(days), rule("max_per_cycle", "almuerzo:plato_principal", 2))
    assert result.passed
    assert result.numbers["times"] == {"huevos_revueltos": 1, "pollo_guisado": 2}


def test_the_cap_counts_what_each_age_group_is_served(tiny: Dataset) -> None:
    # The infants' lunch is always the same purée while the older children rotate.
    days = [MenuDay(1, d, (Meal("almuerzo", (
        MenuItem("pure_pollo_guisquil", {"6-11m": 0.5, "4-6y": 0.0}),
        MenuItem(main, {"6-11m": 0.0, "4-6y": 1.0}))),))
        for d, main in ((1, "pollo_guisado"), (2, "huevos_revueltos"), (3, "frijoles_colados"))]
    cap = rule("max_per_cycle", "almuerzo:plato_principal", 2, groups=())
    report = check_cycle(cycle(days, ("6-11m", "4-6y")), tiny, QualityStandard((cap,), "x"))
    verdicts = {r.age_group: r.passed for r in report.results}
    assert verdicts == {"6-11m": False, "4-6y": True}
    assert report.results[0].age_group_es == "6 a 11 meses"


# -- food groups in each meal, each day, days per week ---------------------------------------
def test_every_meal_needs_the_grams_of_cereals_the_rule_asks(tiny: Dataset) -> None:
    served = [("desayuno", "arroz_con_leche", 1.0), *lunch("pollo_guisado"),
              ("refaccion", "banano_fruta", 1.0)]
    result = only(tiny, cycle([day(1, 1, served)]), rule("group_each_meal", "cereales", 0, 10))
    assert not result.passed
    assert result.numbers["meals"] == 3 and result.numbers["meals_below"] == 1
    assert result.numbers["below"] == [{"week": 1, "weekday": 1, "slot": "refaccion",
                                        "grams": 0.0}]
    assert result.details_es == ("Refacción, 1 días por debajo: semana 1 (lunes 0 g)",)


def test_a_small_portion_can_bring_a_meal_under_the_grams(tiny: Dataset) -> None:
    menu = cycle([day(1, 1, [("desayuno", "arroz_con_leche", 0.4)])])  # 8 g of rice
    result = only(tiny, menu, rule("group_each_meal", "cereales", 0, 10))
    assert not result.passed and result.numbers["below"][0]["grams"] == 8.0
    menu = cycle([day(1, 1, [("desayuno", "arroz_con_leche", 0.5)])])  # 10 g
    assert only(tiny, menu, rule("group_each_meal", "cereales", 0, 10)).passed


def test_vegetables_every_day_adds_the_grams_of_every_dish(tiny: Dataset) -> None:
    short = cycle([day(1, 1, lunch("pollo_guisado", 1.2))])  # 36 g of güisquil
    result = only(tiny, short, rule("group_each_day", "verduras", 0, 40))
    assert not result.passed
    assert result.numbers["below"] == [{"week": 1, "weekday": 1, "grams": 36.0}]
    assert result.details_es == ("Días por debajo: semana 1 (lunes 36 g)",)
    enough = cycle([day(1, 1, [*lunch("pollo_guisado", 1.2),
                               ("almuerzo", "guisquil_cocido", 0.1)])])  # 36 + 8 g
    result = only(tiny, enough, rule("group_each_day", "verduras", 0, 40))
    assert result.passed and "1 de 1 días con 40 g o más (de 44 g a 44 g" in result.summary_es


def test_meat_twice_a_week_counts_days_with_enough_grams(tiny: Dataset) -> None:
    week1 = [day(1, 1, lunch("pollo_guisado")),  # 70 g of chicken
             day(1, 2, lunch("pollo_guisado", 0.25)),  # 17.5 g: does not count
             day(1, 3, lunch("huevos_revueltos"))]
    week2 = [day(2, 1, lunch("pollo_guisado")), day(2, 2, lunch("pollo_guisado", 0.3))]
    result = only(tiny, cycle(week1 + week2), rule("group_days_per_week", "carnes", 2, 20))
    assert not result.passed
    assert result.numbers["weeks"] == [{"week": 1, "days": 1, "which": [1]},
                                       {"week": 2, "days": 2, "which": [1, 2]}]
    assert result.details_es[0] == ("Semana 1: 1 día (lunes 70 g); el día con más, lunes, "
                                    "70 g")
    assert result.details_es[1] == "Semana 2: 2 días (lunes 70 g, martes 21 g)"
    assert result.summary_es.startswith("1 de 2 semanas lo cumplen (días por semana: 1, 2)")


def test_a_subject_may_name_one_food_beside_a_group(tiny: Dataset) -> None:
    eggs = cycle([day(1, 1, lunch("huevos_revueltos", 0.5))])  # 25 g of egg
    assert not only(tiny, eggs, rule("group_each_day", "carnes", 0, 10)).passed
    assert only(tiny, eggs, rule("group_each_day", "carnes;food:huevo_gallina", 0, 10)).passed


# -- infants: diversity, forbidden foods -----------------------------------------------------
def infant_day(weekday: int, served: Sequence[Served]) -> MenuDay:
    return day(1, weekday, served, group="6-11m")


def test_dietary_diversity_counts_who_groups_with_enough_grams(tiny: Dataset) -> None:
    four = [("almuerzo", "pure_pollo_guisquil", 0.5), ("almuerzo", "frijoles_colados", 0.5),
            ("desayuno", "atol_incaparina", 0.5)]
    three = four[:2]
    thin = [("almuerzo", "pure_pollo_guisquil", 0.2), *four[1:]]  # 8 g chicken and squash
    menu = cycle([infant_day(1, four), infant_day(2, three), infant_day(3, thin)], ("6-11m",))
    result = only(tiny, menu, rule("dietary_diversity", "", 4, 10, groups=("6-11m",)))
    assert not result.passed
    per_day = {d["weekday"]: d["groups"] for d in result.numbers["groups_per_day"]}
    assert per_day == {1: ["granos", "leguminosas", "carnes", "otras_frutas_verduras"],
                       2: ["leguminosas", "carnes", "otras_frutas_verduras"],
                       3: ["granos", "leguminosas"]}
    assert result.numbers["days_below"] == 2
    assert ("3 grupos (leguminosas, nueces y semillas; carnes, aves, pescado y vísceras; "
            "otras frutas y verduras) en semana 1 (martes)") in result.details_es
    assert only(tiny, cycle([infant_day(1, four)], ("6-11m",)),
                rule("dietary_diversity", "", 4, 10, groups=("6-11m",))).passed


def test_forbidden_foods_name_the_dish_the_food_and_the_days(tiny: Dataset) -> None:
    served = [("desayuno", "atol_incaparina", 0.5), ("almuerzo", "pure_pollo_guisquil", 0.5)]
    menu = cycle([infant_day(1, served), infant_day(2, served[1:])], ("6-11m",))
    forbid = rule("forbidden", "azucares;food:sal", groups=("6-11m",))
    result = only(tiny, menu, forbid)
    assert not result.passed
    assert result.numbers == {"dishes": {"atol_incaparina": 1}, "days": 1}
    assert result.details_es == ("Atol de Incaparina (lleva azúcar blanca): 1 día "
                                 "(semana 1 (lunes))",)
    assert result.title_es == "Sin azúcares ni sal yodada en ningún plato"
    clean = cycle([infant_day(1, served[1:])], ("6-11m",))
    assert only(tiny, clean, forbid).passed


def test_a_forbidden_dish_served_only_to_other_groups_does_not_count(tiny: Dataset) -> None:
    lunch_day = MenuDay(1, 1, (Meal("almuerzo", (
        MenuItem("pure_pollo_guisquil", {"6-11m": 0.5, "4-6y": 0.0}),
        MenuItem("pollo_guisado", {"6-11m": 0.0, "4-6y": 1.0}))),))  # salted
    menu = cycle([lunch_day], ("6-11m", "4-6y"))
    forbid = rule("forbidden", "food:sal;tag:apto_adulto_mayor", groups=("6-11m",))
    assert only(tiny, menu, forbid).passed
    with_tag = cycle([infant_day(1, [("almuerzo", "guisquil_cocido", 0.5)])], ("6-11m",))
    result = only(tiny, with_tag, forbid)  # carries the tag, holds no salt
    assert not result.passed
    assert result.details_es[0].startswith("Güisquil cocido (lleva etiqueta «apto_adulto_mayor»)")


# -- energy ------------------------------------------------------------------------------
def banana_days(portions: Mapping[tuple[int, int], float]) -> MenuCycle:
    return cycle([day(w, d, [("refaccion", "banano_fruta", p)]) for (w, d), p in
                  portions.items()])  # 89 kcal per portion


def test_week_mean_energy_inside_the_band_passes_even_if_days_are_outside(
        tiny: Dataset) -> None:
    menu = banana_days({(1, 1): 0.9, (1, 2): 1.1})
    report = check_cycle(menu, tiny, QualityStandard(
        (rule("energy_week_mean", "98-105", 89.0),), "x"))
    week, days = report.results
    assert week.passed and week.rule == "energy_week_mean"
    assert week.numbers["weeks"] == [{"week": 1, "mean_kcal": 89.0, "pct": 100.0}]
    assert not days.passed and days.advisory and days.rule == "energy_day"
    assert days.numbers["days_below"] == 1 and days.numbers["days_above"] == 1
    assert days.verdict_es == "Aviso"
    assert report.passed  # advice never fails the cycle


def test_week_mean_energy_outside_the_band_fails_with_each_weeks_mean(tiny: Dataset) -> None:
    menu = banana_days({(1, 1): 1.0, (2, 1): 0.9})
    week, _ = check_cycle(menu, tiny, QualityStandard(
        (rule("energy_week_mean", "98-105", 89.0),), "x")).results
    assert not week.passed
    assert [w["pct"] for w in week.numbers["weeks"]] == [100.0, 90.0]
    assert week.details_es == ("Semana 1: 89 kcal de media, 100.0 % de la meta",
                               "Semana 2: 80 kcal de media, 90.0 % de la meta")


# -- the report as a whole -------------------------------------------------------------
def test_rules_of_other_programs_and_absent_groups_are_not_checked(tiny: Dataset) -> None:
    menu = cycle([day(1, 1, lunch("pollo_guisado"))])
    standard = QualityStandard((
        rule("distinct_days", program="mad", groups=()),
        rule("group_each_day", "frutas", 0, 50, groups=("1-3y",)),
        rule("group_each_day", "frutas", 0, 50, groups=(), program="*"),
    ), "x")
    report = check_cycle(menu, tiny, standard)
    assert [(r.rule, r.age_group) for r in report.results] == [("group_each_day", "4-6y")]
    assert not report.passed
    assert report.headline_es() == "No cumple 1 de las 1 reglas de calidad del menú."


def test_a_passing_cycle_reports_it_and_an_empty_standard_checks_nothing(
        tiny: Dataset) -> None:
    menu = cycle([day(1, 1, [*lunch("pollo_guisado"), ("refaccion", "banano_fruta", 1.0)])])
    report = check_cycle(menu, tiny, QualityStandard(
        (rule("group_each_day", "frutas", 0, 50),), "x"))
    assert report.passed and report.lines_es()[0] == "Cumple las 1 reglas de calidad del menú."
    empty = check_cycle(menu, tiny, QualityStandard(()))
    assert empty.passed and empty.results == ()
    assert "sin archivo de reglas" in empty.headline_es()


def test_the_quality_section_is_added_and_replaces_a_stale_one(tiny: Dataset) -> None:
    menu = cycle([day(1, 1, lunch("pollo_guisado"))])
    report = check_cycle(menu, tiny, QualityStandard(
        (rule("group_each_day", "frutas", 0, 50),), "x"))
    doc = {"format": "menu_planner.cycle/1", "days": [],
           "quality": {"format": QUALITY_FORMAT, "passed": True}}
    out = with_quality(doc, report)
    assert doc["quality"] == {"format": QUALITY_FORMAT, "passed": True}  # input untouched
    section = out["quality"]
    assert section["format"] == QUALITY_FORMAT and section["passed"] is False
    assert section["rules_checked"] == 1 and section["rules_failed"] == 1
    (res,) = section["results"]
    assert res["rule"] == "group_each_day" and res["age_group"] == "4-6y"
    assert res["verdict_es"] == "No cumple" and res["numbers"]["days_below"] == 1
    assert res["source"] == "fuente de prueba" and res["line"] == 2


@pytest.mark.parametrize(("grams", "text"), [(0, "0 g"), (9.04, "9 g"), (12.46, "12.5 g"),
                                             (1250.4, "1,250 g")])
def test_grams_read_as_people_write_them(grams: float, text: str) -> None:
    assert grams_es(grams) == text

