"""What the exchange pages show and read: the choices of their forms (food groups, foods,
nutrients with Spanish labels, programs and age groups), the labels of exclusions, and the
exchange-rule and special-target forms read field by field (every problem at once, in
Spanish, the typed values kept)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from menu_planner.domain import FOOD_GROUPS, NUTRIENTS, Dataset, nutrient_label_es
from menu_planner.domain.constants import ANY
from menu_planner.exchanges.rules import GROUP_PREFIX, ExchangeRule
from menu_planner.services import ADMIN, NUTRITIONIST, Actor, Invalid, NotFound
from menu_planner.variants.special import ADDED_SUGAR, PORTIONS, SPECIAL_KEYS, SpecialRule
from menu_planner.web.forms import Form, apply_service_details

EDITORS = (NUTRITIONIST, ADMIN)
SPECIAL_LABELS = {k: {ADDED_SUGAR: "azúcar añadida (g)", PORTIONS: "porciones"}.get(k)
                  or nutrient_label_es(k) for k in SPECIAL_KEYS}
BASIS_ES = {"day": "por día", "week": "promedio de la semana"}
SUBGROUP_RE = re.compile(r"^[a-z0-9_]{1,40}$")
RULE_FIELDS = {"food_group": "grupo", "food_id": "alimento", "exchange_group":
               "grupo_intercambio", "nutrients": "nutrientes", "min_ratio": "minimo",
               "max_ratio": "maximo"}
EXCLUSION_FIELDS = {"original": "original", "replacement": "reemplazo",
                    "program": "programa"}
SPECIAL_FIELDS = {"program": "programa", "subgroup": "subgrupo", "age_group": "grupo_edad",
                  "nutrient": "nutriente", "basis": "base", "min": "minimo", "max": "maximo",
                  "min_factor": "factor_min", "max_factor": "factor_max"}


def require_editor(actor: Actor, action: str) -> None:
    """Forbidden (the 403 page) unless a nutritionist or an administrator."""
    actor.require(*EDITORS, action=action)


def row_id_of(text: str, what: str) -> int:
    """A row id from the address; NotFound (a 404 page) for anything else."""
    if not text.isdigit() or not 0 < int(text) < 2**31:
        raise NotFound(f"No existe {what} '{text[:20]}'.")
    return int(text)


def week_number(semana: str) -> int:
    """A cycle week from the address or a form (1 to 52); NotFound otherwise."""
    if not semana.isdigit() or not 1 <= int(semana) <= 52:
        raise NotFound("Indique la semana del ciclo (1 a 52).")
    return int(semana)


def typed(value: float | None) -> str:
    """A stored number as a form shows it (0.33, 3, blank for none)."""
    return "" if value is None else f"{value:g}"


def service_errors(form: Form, exc: Invalid, fields: Mapping[str, str]) -> str:
    """Put the service's per-field problems on the form (first letter capitalized)."""
    details = [{**d, "message": str(d.get("message", ""))[:1].upper()
                + str(d.get("message", ""))[1:] + "."} for d in exc.details]
    return "" if apply_service_details(form, details, fields) else exc.message


def form_choices(ds: Dataset) -> dict[str, Any]:
    """What the selects of the forms offer: groups, foods by group, nutrients, programs."""
    foods: dict[str, list[tuple[str, str]]] = {g: [] for g in FOOD_GROUPS}
    for f in sorted(ds.foods.values(), key=lambda f: f.name_es.lower()):
        foods.setdefault(f.food_group, []).append((f.food_id, f.name_es))
    return {"groups": FOOD_GROUPS, "foods": foods,
            "nutrients": [(n, nutrient_label_es(n)) for n in NUTRIENTS],
            "programs": {p: v.name_es for p, v in ds.programs.items()},
            "age_groups": {p: [(g.age_group, g.name_es) for g in ds.age_groups_of(p)]
                           for p in ds.programs},
            "special_keys": SPECIAL_LABELS, "bases": BASIS_ES}


def pattern_label(pattern: str, ds: Dataset) -> str:
    """How an exclusion side reads: a food's name, 'todo el grupo X' or 'cualquier
    alimento'."""
    if pattern == ANY:
        return "cualquier alimento"
    if pattern.startswith(GROUP_PREFIX):
        group = pattern[len(GROUP_PREFIX):]
        return f"todo el grupo {FOOD_GROUPS.get(group, group)}"
    food = ds.foods.get(pattern)
    return food.name_es if food else pattern


def rule_of(form: Form, nutrients: list[str]) -> ExchangeRule | None:
    """The exchange rule typed in the form, or None with every problem on the form (the
    service then checks foods and groups against the data)."""
    group = form.choice("grupo", "el grupo de alimentos", FOOD_GROUPS)
    food_id = form.get("alimento")
    exchange_group = form.text("grupo_intercambio", "el grupo de intercambio",
                               required=False, max_length=80)
    lo = form.number("minimo", "el peso mínimo", required=True, positive=True)
    hi = form.number("maximo", "el peso máximo", required=True, positive=True)
    if lo is not None and hi is not None and lo > hi:
        form.error("minimo", "El peso mínimo no puede ser mayor que el máximo.")
    if any(n not in NUTRIENTS for n in nutrients):
        form.error("nutrientes", "Elija los nutrientes de la lista.")
    if exchange_group and not nutrients:
        form.error("nutrientes", "Marque el nutriente que se conserva (o borre el grupo de "
                                 "intercambio si estos alimentos no se intercambian).")
    source = form.text("fuente", "la fuente", required=False, max_length=500)
    note = form.text("nota", "la nota", required=False, max_length=500)
    if not form.ok or lo is None or hi is None:
        return None
    return ExchangeRule(group, food_id, exchange_group, tuple(nutrients), lo, hi, source, note)


def special_of(form: Form, programs: Mapping[str, str]) -> SpecialRule | None:
    """The special target typed in the form, or None with every problem on the form."""
    program = form.choice("programa", "el programa", programs)
    subgroup = form.get("subgrupo")
    if not SUBGROUP_RE.match(subgroup):
        form.error("subgrupo", "Escriba el subgrupo en minúsculas, sin espacios ni tildes, "
                               "por ejemplo bajo_peso.")
    age_group = form.get("grupo_edad") or ANY
    nutrient = form.choice("nutriente", "el nutriente", SPECIAL_LABELS)
    basis = form.choice("base", "la base", BASIS_ES)
    values = [form.number(n, label) for n, label in (
        ("minimo", "el mínimo"), ("maximo", "el máximo"))]
    values += [form.number(n, label, positive=True) for n, label in (
        ("factor_min", "el factor del mínimo"), ("factor_max", "el factor del máximo"))]
    source = form.text("fuente", "la fuente", required=False, max_length=500)
    note = form.text("nota", "la nota", required=False, max_length=500)
    if not form.ok:
        return None
    return SpecialRule(program, subgroup, age_group, nutrient, values[0], values[1], basis,
                       values[2], values[3], source, note)
