"""The shipped menu knowledge base (data/menus/): it loads, it is complete, and it is feasible."""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pulp
import pytest

from menu_planner.domain import Dataset
from menu_planner.nutrition import portion_totals
from menu_planner.reference_data import SHIPPED_DATA, load_dataset

MENUS = SHIPPED_DATA / "menus"
SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
INFANT_TAG = "apto_6_11m"
ELDER_TAG = "apto_adulto_mayor"
DAY_NUTRIENTS = ("energy_kcal", "protein_g", "fat_energy_pct", "sodium_mg")
WEEK_NUTRIENTS = ("calcium_mg", "iron_mg", "zinc_mg", "vitamin_a_ug_rae", "vitamin_c_mg",
                  "folate_ug_dfe")
ADDED_SALT_OR_SUGAR = {"sal", "azucar_blanca", "azucar_morena", "panela", "miel_abeja",
                       "consome_pollo", "cubito_pollo", "leche_condensada"}

# Dish families a Guatemalan center cooks; each must keep at least one recipe.
REQUIRED_FAMILIES: dict[str, tuple[str, ...]] = {
    "atol de Incaparina": ("atol_incaparina", "atol_incaparina_sin_azucar"),
    "mosh / atol de avena": ("mosh", "mosh_sin_azucar", "atol_avena_fortificada"),
    "arroz con leche": ("arroz_con_leche",),
    "atol de plátano": ("atol_platano", "atol_platano_sin_azucar"),
    "atol de elote": ("atol_elote",),
    "atol de maicillo": ("atol_maicillo",),
    "atol de haba": ("atol_haba",),
    "frijoles parados": ("frijoles_parados",),
    "frijoles volteados": ("frijoles_volteados",),
    "frijoles colados": ("frijoles_colados",),
    "huevos revueltos con tomate": ("huevos_revueltos_tomate",),
    "huevos con ejote": ("huevos_con_ejote",),
    "huevo duro": ("huevo_duro",),
    "huevos rancheros": ("huevos_rancheros",),
    "tortilla": ("tortillas_maiz",),
    "pan": ("pan_frances", "pan_rodaja"),
    "arroz blanco": ("arroz_blanco",),
    "arroz con verduras": ("arroz_verduras",),
    "arroz a la valenciana": ("arroz_valenciana",),
    "coditos": ("coditos_verduras",),
    "fideos en caldo": ("sopa_fideo",),
    "espagueti": ("espagueti_tomate", "espagueti_carne"),
    "caldo de pollo": ("caldo_pollo",),
    "caldo de res": ("caldo_res",),
    "sopa de verduras": ("sopa_verduras",),
    "caldo de frijol": ("caldo_frijol_huevo",),
    "pollo en jocón": ("pollo_en_jocon",),
    "pepián": ("pepian_pollo",),
    "hilachas": ("hilachas",),
    "subanik": ("subanik",),
    "chirmol": ("chirmol", "pollo_en_chirmol"),
    "guiso": ("carne_guisada", "pollo_guisado"),
    "tortitas de carne": ("tortitas_carne",),
    "tortitas de papa": ("tortitas_papa",),
    "tortitas de güisquil": ("envueltos_guisquil",),
    "chuchitos o tamalitos": ("chuchitos", "tamalito_maiz"),
    "hierbas con arroz": ("arroz_chipilin",),
    "hierbas en caldo": ("caldo_hierbamora",),
    "hierbas en tamalito": ("tamalito_chipilin",),
    "güisquil guisado": ("guisquil_guisado",),
    "güisquil relleno": ("guisquil_relleno",),
    "ensalada de güisquil": ("ensalada_guisquil",),
    "ensalada": ("ensalada_rusa", "ensalada_repollo"),
    "banano": ("banano",), "mango": ("mango",), "papaya": ("papaya",), "piña": ("pina",),
    "sandía": ("sandia",), "melón": ("melon",), "naranja": ("naranja",),
    "mandarina": ("mandarina",),
    "limonada": ("limonada",), "horchata": ("horchata",),
    "rosa de jamaica": ("fresco_jamaica",),
    "pan con frijol": ("pan_con_frijol",),
    "tostada": ("tostada_frijol",),
    "fruta picada": ("fruta_picada",),
    "yogur": ("yogur_banano", "yogur_papaya"),
}


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    """The shipped data: if it does not load, every test that reads it fails."""
    return load_dataset()


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def _csv(name: str) -> list[dict[str, str]]:
    with (MENUS / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_shipped_data_loads_with_at_least_90_recipes(shipped: Dataset) -> None:
    assert len(shipped.recipes) >= 90
    assert set(shipped.programs) == {"cadi", "mad"}
    assert shipped.program("cadi").daily_budget_q == 30.0


def test_every_required_dish_family_has_a_recipe(shipped: Dataset) -> None:
    missing = [family for family, ids in REQUIRED_FAMILIES.items()
               if not any(i in shipped.recipes for i in ids)]
    assert missing == []


@pytest.mark.parametrize(("program", "tag"), [("cadi", INFANT_TAG), ("mad", ELDER_TAG)])
def test_every_required_component_has_several_dishes_for_the_restricted_group(
    shipped: Dataset, program: str, tag: str
) -> None:
    short = []
    for line in shipped.pattern_of(program):
        if line.min_items == 0:
            continue
        suited = [r for r in shipped.recipes_of(program)
                  if r.component == line.component and line.slot in r.slots and tag in r.tags]
        if len(suited) < max(3, line.min_items):
            short.append((line.slot, line.component, len(suited)))
    assert short == []


def test_lunch_has_exactly_one_main_dish_in_every_program(shipped: Dataset) -> None:
    for program in shipped.programs:
        lines = [c for c in shipped.pattern_of(program)
                 if c.slot == "almuerzo" and c.component == "plato_principal"]
        assert [(c.min_items, c.max_items) for c in lines] == [(1, 1)]


def test_every_recipe_fits_a_meal_pattern_of_each_of_its_programs(shipped: Dataset) -> None:
    placed = {(c.program, c.slot, c.component) for c in shipped.meal_patterns}
    misfits = []
    for r in shipped.recipes.values():
        misfits += [(r.recipe_id, p) for p in r.programs
                    if not any((p, s, r.component) in placed for s in r.slots)]
        misfits += [(r.recipe_id, s) for s in r.slots
                    if not any((p, s, r.component) in placed for p in r.programs)]
    assert misfits == []


def test_recipes_of_the_older_adult_program_carry_its_tag(shipped: Dataset) -> None:
    untagged = [r.recipe_id for r in shipped.recipes_of("mad") if ELDER_TAG not in r.tags]
    assert untagged == []


def test_infant_dishes_have_no_added_salt_or_sugar(shipped: Dataset) -> None:
    salted = [(r.recipe_id, i.food_id) for r in shipped.recipes.values() if INFANT_TAG in r.tags
              for i in r.ingredients if i.food_id in ADDED_SALT_OR_SUGAR]
    assert salted == []


def test_reference_portions_are_of_a_realistic_size(shipped: Dataset) -> None:
    odd: list[tuple[object, ...]] = []
    for r in shipped.recipes.values():
        t = portion_totals(shipped, r.recipe_id)
        salt = sum(i.grams for i in r.ingredients if i.food_id == "sal")
        if not 10 <= t["energy_kcal"] <= 300 or salt > 0.8:
            odd.append((r.recipe_id, round(t["energy_kcal"]), salt))
        if ELDER_TAG in r.tags and t["sodium_mg"] > 400:
            odd.append((r.recipe_id, "sodio", round(t["sodium_mg"])))
    assert odd == []


def test_slots_and_components_have_spanish_names(shipped: Dataset) -> None:
    slot_names = {(r["program"], r["slot"]) for r in _csv("slots.csv") if r["name_es"]}
    used_slots = {(c.program, c.slot) for c in shipped.meal_patterns}
    assert used_slots <= slot_names
    component_names = {r["component"] for r in _csv("components.csv") if r["name_es"]}
    assert {c.component for c in shipped.meal_patterns} <= component_names


def test_targets_cover_every_age_group_and_nutrient(shipped: Dataset) -> None:
    gaps = []
    for g in shipped.age_groups:
        have = {t.nutrient: t for t in shipped.targets_of(g.program, g.age_group)}
        for n in (*DAY_NUTRIENTS, *WEEK_NUTRIENTS):
            t = have.get(n)
            basis = "day" if n in DAY_NUTRIENTS else "week"
            if t is None or t.basis != basis:
                gaps.append((g.program, g.age_group, n))
        if have["energy_kcal"].min is None or have["energy_kcal"].max is None:
            gaps.append((g.program, g.age_group, "energy bounds"))
        if have["sodium_mg"].max is None:
            gaps.append((g.program, g.age_group, "sodium ceiling"))
        gaps += [(g.program, g.age_group, n) for n in WEEK_NUTRIENTS if not have[n].min]
    assert gaps == []


def test_the_preschool_energy_target_brackets_the_program_1200_kcal(shipped: Dataset) -> None:
    energy = {t.nutrient: t for t in shipped.targets_of("cadi", "4-6y")}["energy_kcal"]
    assert energy.min is not None and energy.max is not None
    assert energy.min < 1200.0 < energy.max


def test_every_target_row_names_its_source() -> None:
    assert all(r["source"].strip() for r in _csv("targets.csv"))


def test_build_targets_reproduces_the_shipped_targets() -> None:
    build: Callable[[], list[list[str]]] = _script("build_targets").build_rows
    shipped_rows = [list(r.values()) for r in _csv("targets.csv")]
    assert build() == shipped_rows


@pytest.mark.parametrize("program", ["cadi", "mad"])
def test_a_week_meeting_every_target_within_budget_exists(
    shipped: Dataset, program: str
) -> None:
    check = _script("check_menu_feasibility")
    model = check.week_model(shipped, program, 5)
    model.prob.solve(pulp.HiGHS(msg=False, timeLimit=120, gapRel=0.05))
    assert model.prob.solverModel.getInfo().primal_solution_status == 2
    assert pulp.value(model.margin) >= 1.1
