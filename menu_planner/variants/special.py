"""Special targets of a subgroup (children flagged by weight/height checks, older adults
with hypertension or diabetes): data a nutritionist edits in `menus/special_targets.csv`:

`program, subgroup, age_group, nutrient, min, max, basis, min_factor, max_factor, source,
note`. `age_group` `*` = every age group of the program. A row changes (or adds) the
program's target of that age group, nutrient and basis for the subgroup: a `min`/`max`
given replaces the bound; else `min_factor`/`max_factor` multiplies the base bound; else
the base bound stays. Every other base target applies unchanged.

Two keys besides the foods.csv nutrients:
- `added_sugar_g`: grams of edible portion of foods of group `azucares` (sugar, panela,
  honey, jam, gelatin powder) in the day: diabetes sets `max 0`.
- `portions`: the range of reference portions of any dish (min/max, or factors of the age
  group's `portion_min`/`portion_max`): bajo_peso widens the maximum by 25 %.
The file is optional: without it the defaults below (the shipped file's rows) apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from menu_planner.domain import (
    DERIVED_NUTRIENTS,
    NUTRIENTS,
    DataError,
    Dataset,
    Problem,
    Target,
)
from menu_planner.domain.constants import ANY
from menu_planner.reference_data import data_file
from menu_planner.spanish import subgroup_name
from menu_planner.tabular import Column, Row, check_unique, read_table

SPECIAL_FILE = "menus/special_targets.csv"
ADDED_SUGAR = "added_sugar_g"
PORTIONS = "portions"
ADDED_SUGAR_GROUPS = frozenset({"azucares"})
SPECIAL_KEYS = (*NUTRIENTS, *DERIVED_NUTRIENTS, ADDED_SUGAR, PORTIONS)

COLUMNS = [
    Column("program"),
    Column("subgroup"),
    Column("age_group"),
    Column("nutrient", choices=SPECIAL_KEYS),
    Column("min", "float", required=False, min=0.0),
    Column("max", "float", required=False, min=0.0),
    Column("basis", choices=("day", "week")),
    Column("min_factor", "float", required=False, min=0.0, min_exclusive=True),
    Column("max_factor", "float", required=False, min=0.0, min_exclusive=True),
    Column("source", required=False, default=""),
    Column("note", required=False, default=""),
]


@dataclass(frozen=True)
class SpecialRule:
    """One row of special_targets.csv."""

    program: str
    subgroup: str
    age_group: str  # or "*"
    nutrient: str
    min: float | None
    max: float | None
    basis: str
    min_factor: float | None = None
    max_factor: float | None = None
    source: str = ""
    note: str = ""


_DEFAULT_NOTE = "valor por defecto del programa"
DEFAULT_RULES: tuple[SpecialRule, ...] = (
    SpecialRule("cadi", "bajo_peso", ANY, "energy_kcal", None, None, "day", 1.20, 1.20,
                "OMS 2012 (desnutrición aguda moderada), contexto", _DEFAULT_NOTE),
    SpecialRule("cadi", "bajo_peso", ANY, "protein_g", None, None, "day", 1.25, None,
                "OMS 2012 (desnutrición aguda moderada), contexto", _DEFAULT_NOTE),
    SpecialRule("cadi", "bajo_peso", ANY, PORTIONS, None, None, "day", None, 1.25,
                _DEFAULT_NOTE, _DEFAULT_NOTE),
    SpecialRule("mad", "hipertension", ANY, "sodium_mg", None, 825.0, "day", None, None,
                "NASEM 2019 / AHA: 1,500 mg/día x 0.55", _DEFAULT_NOTE),
    SpecialRule("mad", "diabetes", ANY, ADDED_SUGAR, None, 0.0, "day", None, None,
                "ADA; OMS 2015: sin azúcar añadida", _DEFAULT_NOTE),
)


def load_special_rules(dataset: Dataset, data_dir: Path | None = None) -> tuple[
        SpecialRule, ...]:
    """The special-target rows of `data_dir` (shipped data by default), or the defaults
    when the file is absent; DataError names every bad row at once."""
    path = data_file(data_dir, SPECIAL_FILE)
    if path is None:
        return tuple(r for r in DEFAULT_RULES if r.program in dataset.programs)
    rows, problems = read_table(path, COLUMNS, label=SPECIAL_FILE)
    problems += check_unique(
        rows, lambda r: (r["program"], r["subgroup"], r["age_group"], r["nutrient"],
                         r["basis"]), SPECIAL_FILE, "nutrient", "meta especial")
    for r in rows:
        problems += _row_problems(r, dataset)
    if problems:
        raise DataError(problems)
    return tuple(SpecialRule(r["program"], r["subgroup"], r["age_group"], r["nutrient"],
                             r["min"], r["max"], r["basis"], r["min_factor"], r["max_factor"],
                             r["source"] or "", r["note"] or "") for r in rows)


def _row_problems(r: Row, dataset: Dataset) -> list[Problem]:
    rule = SpecialRule(r["program"], r["subgroup"], r["age_group"], r["nutrient"], r["min"],
                       r["max"], r["basis"], r["min_factor"], r["max_factor"])
    return [Problem(SPECIAL_FILE, r["_line"], column, message)
            for column, message in special_rule_problems(rule, dataset)]


def special_rule_problems(rule: SpecialRule, dataset: Dataset) -> list[tuple[str, str]]:
    """(field, Spanish message) for everything wrong with one special-target row. Used
    for files and forms."""
    out: list[tuple[str, str]] = []
    if rule.program not in dataset.programs:
        out.append(("program", f"programa desconocido '{rule.program}'"))
    elif rule.age_group != ANY and rule.age_group not in {
            g.age_group for g in dataset.age_groups_of(rule.program)}:
        out.append(("age_group",
                    f"grupo de edad desconocido '{rule.age_group}' (o '*' para todos)"))
    if not rule.subgroup.strip():
        out.append(("subgroup", "falta el subgrupo"))
    if rule.nutrient not in SPECIAL_KEYS:
        out.append(("nutrient", f"nutriente desconocido '{rule.nutrient}'"))
    if rule.basis not in ("day", "week"):
        out.append(("basis", "la base debe ser 'day' o 'week'"))
    values = {"min": rule.min, "max": rule.max, "min_factor": rule.min_factor,
              "max_factor": rule.max_factor}
    if all(v is None for v in values.values()):
        out.append(("min", "la fila no cambia nada: indique min, max, min_factor o "
                           "max_factor"))
    for name, v in values.items():
        if v is not None and (v < 0 or (v == 0 and name.endswith("factor"))):
            out.append((name, f"{name} no puede ser negativo"
                        + (" ni cero" if name.endswith("factor") else "")))
    if rule.min is not None and rule.max is not None and rule.min > rule.max:
        out.append(("min", "el mínimo es mayor que el máximo"))
    return out


def subgroup_name_es(subgroup: str) -> str:
    """The subgroup in words ('bajo peso para la talla o la edad'), never its code."""
    return subgroup_name(subgroup)


def subgroups_of(rules: tuple[SpecialRule, ...], program: str) -> list[str]:
    """The subgroups with special targets in `program`, in file order."""
    return list(dict.fromkeys(r.subgroup for r in rules if r.program == program))


@dataclass(frozen=True)
class SubgroupTargets:
    """The targets and portion ranges a subgroup's menus must meet, resolved per age group."""

    program: str
    subgroup: str
    name_es: str
    targets: tuple[Target, ...]  # every target in force for the subgroup
    changed: tuple[Target, ...]  # those that differ from (or are not in) the base targets
    portion_ranges: Mapping[str, tuple[float, float]]
    sources: tuple[str, ...] = field(default_factory=tuple)

    def of(self, age_group: str) -> tuple[Target, ...]:
        """The targets of one age group."""
        return tuple(t for t in self.targets if t.age_group == age_group)


def subgroup_targets(
    dataset: Dataset, rules: tuple[SpecialRule, ...], program: str, subgroup: str
) -> SubgroupTargets:
    """Base targets with the subgroup's rows applied; DataError if the subgroup has no row
    for the program."""
    mine = [r for r in rules if r.program == program and r.subgroup == subgroup]
    if not mine:
        known = ", ".join(subgroups_of(rules, program)) or "ninguno"
        raise DataError([Problem(SPECIAL_FILE, None, "subgroup",
                                 f"el programa '{program}' no tiene metas especiales para "
                                 f"'{subgroup}' (hay: {known})")])
    groups = dataset.age_groups_of(program)
    targets = {(t.age_group, t.nutrient, t.basis): t for t in dataset.targets_of(program)}
    ranges = {g.age_group: (g.portion_min, g.portion_max) for g in groups}
    changed: list[Target] = []
    for r in mine:
        for g in groups:
            if r.age_group not in (ANY, g.age_group):
                continue
            if r.nutrient == PORTIONS:
                lo, hi = ranges[g.age_group]
                ranges[g.age_group] = (_bound(lo, r.min, r.min_factor) or lo,
                                       _bound(hi, r.max, r.max_factor) or hi)
                continue
            base = targets.get((g.age_group, r.nutrient, r.basis))
            t = Target(program, g.age_group, r.nutrient,
                       _bound(base.min if base else None, r.min, r.min_factor),
                       _bound(base.max if base else None, r.max, r.max_factor), r.basis)
            if t.min is None and t.max is None:
                continue
            targets[(g.age_group, r.nutrient, r.basis)] = t
            if t != base:
                changed.append(t)
    return SubgroupTargets(program, subgroup, subgroup_name(subgroup),
                           tuple(targets.values()), tuple(changed), ranges,
                           tuple(dict.fromkeys(r.source for r in mine if r.source)))


def _bound(base: float | None, absolute: float | None, factor: float | None) -> float | None:
    if absolute is not None:
        return absolute
    if factor is not None and base is not None:
        return round(base * factor, 4)
    return base


def added_sugar_g(dataset: Dataset, grams: Mapping[str, float]) -> float:
    """Grams of added sugar: edible grams of foods of the group `azucares`."""
    return sum(g for f, g in grams.items()
               if dataset.foods[f].food_group in ADDED_SUGAR_GROUPS)
