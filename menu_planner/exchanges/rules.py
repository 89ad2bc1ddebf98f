"""Exchange rules: which nutrient a food is valued for, which foods may replace each other,
and which replacements are excluded. Data a nutritionist edits:

- `menus/exchange_rules.csv`: `food_group, food_id, exchange_group, nutrients, min_ratio,
  max_ratio, source, note`. A row with a blank `food_id` is the rule of the whole food
  group; a row with a `food_id` overrides it for that food. Foods of the same
  `exchange_group` may replace each other. `nutrients` is one nutrient, or several
  separated by `;` (the one the original food is richest in, relative to the program's
  targets, is used); blank = the food is not exchanged. A replacement must weigh between
  `min_ratio` and `max_ratio` times the original.
- `menus/exchange_exclusions.csv`: `original, replacement, program, symmetric, reason`:
  `original` must not be replaced by `replacement` (each a food_id, `grupo:<food_group>` or
  `*`), in one program or all (blank), and also the other way round when `symmetric`.

Both files are optional: without them the defaults below apply (the shipped files hold the
same rules plus food-specific rows).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from menu_planner.domain import FOOD_GROUPS, NUTRIENTS, DataError, Dataset, Food, Problem
from menu_planner.domain.constants import ANY
from menu_planner.reference_data import data_file
from menu_planner.tabular import Column, Row, check_unique, read_table

RULES_FILE = "menus/exchange_rules.csv"
EXCLUSIONS_FILE = "menus/exchange_exclusions.csv"
GROUP_PREFIX = "grupo:"
DEFAULT_MIN_RATIO = 0.33
DEFAULT_MAX_RATIO = 3.0


@dataclass(frozen=True)
class ExchangeRule:
    """How the foods of a group (or one food) are exchanged."""

    food_group: str
    food_id: str  # "" = the whole group
    exchange_group: str  # "" = not exchanged
    nutrients: tuple[str, ...]
    min_ratio: float = DEFAULT_MIN_RATIO
    max_ratio: float = DEFAULT_MAX_RATIO
    source: str = ""
    note: str = ""

    @property
    def exchanged(self) -> bool:
        """Whether foods under this rule are exchanged at all."""
        return bool(self.exchange_group and self.nutrients)


@dataclass(frozen=True)
class Exclusion:
    """`original` must not be replaced by `replacement` (food ids, `grupo:x` or `*`)."""

    original: str
    replacement: str
    program: str = ""
    symmetric: bool = False
    reason: str = ""

    def blocks(self, original: Food, replacement: Food, program: str) -> bool:
        """Whether this exclusion forbids `replacement` for `original` in `program`."""
        if self.program and self.program != program:
            return False
        if _matches(self.original, original) and _matches(self.replacement, replacement):
            return True
        return self.symmetric and (_matches(self.original, replacement)
                                   and _matches(self.replacement, original))


def _matches(pattern: str, food: Food) -> bool:
    if pattern == ANY:
        return True
    if pattern.startswith(GROUP_PREFIX):
        return food.food_group == pattern[len(GROUP_PREFIX):]
    return food.food_id == pattern


@dataclass(frozen=True)
class ExchangeRules:
    """Group rules, food overrides and exclusions, with where they were read from."""

    rules: tuple[ExchangeRule, ...]
    exclusions: tuple[Exclusion, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)  # file -> path or "defaults"

    @cached_property
    def _by_food(self) -> dict[str, ExchangeRule]:
        return {r.food_id: r for r in self.rules if r.food_id}

    @cached_property
    def _by_group(self) -> dict[str, ExchangeRule]:
        out: dict[str, ExchangeRule] = {}
        for r in self.rules:
            if not r.food_id:
                out.setdefault(r.food_group, r)
        return out

    def rule_for(self, food: Food) -> ExchangeRule | None:
        """The food's own rule, else its group's; None when neither exists."""
        return self._by_food.get(food.food_id) or self._by_group.get(food.food_group)

    def excluded(self, original: Food, replacement: Food, program: str) -> Exclusion | None:
        """The first exclusion forbidding this replacement, if any."""
        for ex in self.exclusions:
            if ex.blocks(original, replacement, program):
                return ex
        return None


_GUIDES = "Guías Alimentarias para Guatemala (MSPAS/INCAP)"
# Cereals are exchanged within what a cook uses alike: a fortified blend only for another
# fortified blend, a flour for a flour, pasta or rice for pasta or rice, and so on.
CEREAL_SUBGROUPS: dict[str, tuple[str, ...]] = {
    "cereales_mezclas_fortificadas": (
        "atol_maiz_polvo", "avena_instantanea", "bienestarina_polvo", "incaparina_instantanea",
        "incaparina_polvo", "vitatol_polvo"),
    "cereales_harinas_y_granos": (
        "amaranto_grano", "avena_mosh", "corazon_trigo", "harina_arroz",
        "harina_maiz_nixtamalizado", "harina_trigo", "maicena", "maicillo",
        "maiz_amarillo_grano", "maiz_blanco_grano"),
    "cereales_arroz_y_pastas": ("arroz_blanco", "coditos", "espagueti", "fideos",
                                "pasta_cocida"),
    "cereales_tuberculos_y_platano": ("camote", "camote_anaranjado", "elote", "ichintal",
                                      "papa", "platano_maduro", "platano_verde", "yuca"),
    "cereales_panes_y_tortillas": (
        "galleta_maria", "galleta_soda", "masa_maiz", "pan_dulce", "pan_frances",
        "pan_integral", "pan_molde", "pan_rallado", "tamalito_maiz", "tortilla_maiz",
        "tortilla_maiz_amarillo"),
    "cereales_bebidas_listas": ("incaparina_preparada",),
}
_AV = ("vitamin_a_ug_rae", "vitamin_c_mg")
DEFAULT_RULES: tuple[ExchangeRule, ...] = (
    ExchangeRule("cereales", "", "cereales", ("energy_kcal",), DEFAULT_MIN_RATIO, 5.0, _GUIDES),
    ExchangeRule("azucares", "", "azucares_grasas", ("energy_kcal",), source=_GUIDES),
    ExchangeRule("grasas", "", "azucares_grasas", ("energy_kcal",), source=_GUIDES),
    ExchangeRule("carnes", "", "proteina", ("protein_g",), source=_GUIDES),
    ExchangeRule("leguminosas", "", "proteina", ("protein_g",), source=_GUIDES),
    ExchangeRule("lacteos_huevos", "", "proteina", ("protein_g",), source=_GUIDES),
    *(ExchangeRule("lacteos_huevos", f, "lacteos", ("calcium_mg",), source=_GUIDES)
      for f in ("leche_fluida", "leche_semidescremada", "leche_evaporada", "leche_condensada",
                "leche_polvo_entera", "leche_polvo_descremada", "yogur", "queso_fresco",
                "queso_seco", "queso_mozarela", "queso_amarillo", "cuajada", "requeson",
                "crema")),
    *(ExchangeRule("cereales", f, group, ("energy_kcal",), DEFAULT_MIN_RATIO, 5.0, _GUIDES)
      for group, foods in CEREAL_SUBGROUPS.items() for f in foods),
    ExchangeRule("verduras", "", "verduras", _AV, source=_GUIDES),
    ExchangeRule("frutas", "", "frutas", _AV, source=_GUIDES),
    ExchangeRule("otros", "", "", (), source=_GUIDES, note="no se intercambian"),
)
DEFAULT_EXCLUSIONS: tuple[Exclusion, ...] = (
    Exclusion("grupo:azucares", "grupo:grasas", "", True,
              "el azúcar no reemplaza la grasa ni la grasa al azúcar"),
    Exclusion(ANY, "miel_abeja", "cadi", False,
              "la miel no se da a menores de 1 año (riesgo de botulismo infantil)"),
)

RULE_COLUMNS = [
    Column("food_group", choices=tuple(FOOD_GROUPS)),
    Column("food_id", required=False, default=""),
    Column("exchange_group", required=False, default=""),
    Column("nutrients", "list", required=False, default=()),
    Column("min_ratio", "float", required=False, default=DEFAULT_MIN_RATIO, min=0.0,
           min_exclusive=True),
    Column("max_ratio", "float", required=False, default=DEFAULT_MAX_RATIO, min=0.0,
           min_exclusive=True),
    Column("source", required=False, default=""),
    Column("note", required=False, default=""),
]
EXCLUSION_COLUMNS = [
    Column("original"),
    Column("replacement"),
    Column("program", required=False, default=""),
    Column("symmetric", "bool", required=False, default=False),
    Column("reason", required=False, default=""),
]


def load_exchange_rules(dataset: Dataset, data_dir: Path | None = None) -> ExchangeRules:
    """Rules and exclusions of `data_dir` (shipped data by default), each file replaced by
    the defaults when absent. DataError names every bad row at once."""
    problems: list[Problem] = []
    sources: dict[str, str] = {}
    rules_path = data_file(data_dir, RULES_FILE)
    if rules_path is None:
        rules = tuple(r for r in DEFAULT_RULES if not r.food_id or r.food_id in dataset.foods)
        sources[RULES_FILE] = "valores por defecto"
    else:
        rules = _read_rules(rules_path, dataset, problems)
        sources[RULES_FILE] = str(rules_path)
    excl_path = data_file(data_dir, EXCLUSIONS_FILE)
    if excl_path is None:
        exclusions = DEFAULT_EXCLUSIONS
        sources[EXCLUSIONS_FILE] = "valores por defecto"
    else:
        exclusions = _read_exclusions(excl_path, dataset, problems)
        sources[EXCLUSIONS_FILE] = str(excl_path)
    if problems:
        raise DataError(problems)
    return ExchangeRules(rules, exclusions, sources)


def _read_rules(path: Path, dataset: Dataset, problems: list[Problem]) -> tuple[
        ExchangeRule, ...]:
    rows, probs = read_table(path, RULE_COLUMNS, label=RULES_FILE)
    problems += probs
    problems += check_unique(rows, lambda r: (r["food_group"], r["food_id"] or ""), RULES_FILE,
                             "food_id", "regla")
    out: list[ExchangeRule] = []
    for r in rows:
        problems += _rule_problems(r, dataset)
        nutrients = tuple(r["nutrients"] or ())
        out.append(ExchangeRule(
            r["food_group"], r["food_id"] or "",
            (r["exchange_group"] or r["food_group"]) if nutrients else "", nutrients,
            r["min_ratio"], r["max_ratio"], r["source"] or "", r["note"] or ""))
    return tuple(out)


def _rule_problems(r: Row, dataset: Dataset) -> list[Problem]:
    rule = ExchangeRule(r["food_group"], r["food_id"] or "", "", tuple(r["nutrients"] or ()),
                        r["min_ratio"] if r["min_ratio"] is not None else DEFAULT_MIN_RATIO,
                        r["max_ratio"] if r["max_ratio"] is not None else DEFAULT_MAX_RATIO)
    return [Problem(RULES_FILE, r["_line"], column, message)
            for column, message in rule_problems(rule, dataset)]


def rule_problems(rule: ExchangeRule, dataset: Dataset) -> list[tuple[str, str]]:
    """(field, Spanish message) for everything wrong with one rule: unknown group, food or
    nutrient, a food outside its group, ratios out of order. Used for files and forms."""
    out = []
    if rule.food_group not in FOOD_GROUPS:
        out.append(("food_group", f"grupo de alimentos desconocido '{rule.food_group}'"))
    out += [("nutrients", f"nutriente desconocido '{n}'")
            for n in rule.nutrients if n not in NUTRIENTS]
    food_id = rule.food_id
    if food_id and food_id not in dataset.foods:
        out.append(("food_id", f"alimento desconocido '{food_id}'"))
    elif food_id and dataset.foods[food_id].food_group != rule.food_group:
        out.append(("food_group", f"'{food_id}' es del grupo "
                                  f"'{dataset.foods[food_id].food_group}', no "
                                  f"'{rule.food_group}'"))
    for name, value in (("min_ratio", rule.min_ratio), ("max_ratio", rule.max_ratio)):
        if not value > 0:
            out.append((name, f"{name} debe ser mayor que 0"))
    if rule.min_ratio > rule.max_ratio:
        out.append(("min_ratio", "min_ratio es mayor que max_ratio"))
    return out


def _read_exclusions(path: Path, dataset: Dataset, problems: list[Problem]) -> tuple[
        Exclusion, ...]:
    rows, probs = read_table(path, EXCLUSION_COLUMNS, label=EXCLUSIONS_FILE)
    problems += probs
    out: list[Exclusion] = []
    for r in rows:
        ex = Exclusion(r["original"], r["replacement"], r["program"] or "",
                       bool(r["symmetric"]), r["reason"] or "")
        problems += [Problem(EXCLUSIONS_FILE, r["_line"], column, message)
                     for column, message in exclusion_problems(ex, dataset)]
        out.append(ex)
    return tuple(out)


def exclusion_problems(ex: Exclusion, dataset: Dataset) -> list[tuple[str, str]]:
    """(field, Spanish message) for everything wrong with one exclusion."""
    out = [(name, msg) for name, pattern in (("original", ex.original),
                                             ("replacement", ex.replacement))
           if (msg := _pattern_problem(pattern, dataset))]
    if ex.program and ex.program not in dataset.programs:
        out.append(("program", f"programa desconocido '{ex.program}'"))
    return out


def _pattern_problem(pattern: str, dataset: Dataset) -> str | None:
    if pattern == ANY:
        return None
    if pattern.startswith(GROUP_PREFIX):
        group = pattern[len(GROUP_PREFIX):]
        return None if group in FOOD_GROUPS else f"grupo de alimentos desconocido '{group}'"
    if pattern not in dataset.foods:
        return (f"alimento desconocido '{pattern}' (use un food_id, "
                f"'{GROUP_PREFIX}<grupo>' o '{ANY}')")
    return None


def rules_as_rows(rules: Iterable[ExchangeRule]) -> list[tuple[str, str, str, str]]:
    """(food_group, food_id, exchange_group, nutrients) of each rule (to compare files)."""
    return [(r.food_group, r.food_id, r.exchange_group, ";".join(r.nutrients)) for r in rules]
