"""Variety rules as data a nutritionist edits (`data/menus/variety_rules.csv`).

One row per rule: `program, rule, subject, value, min_grams, scope, note`.

| rule | subject | value | meaning |
| --- | --- | --- | --- |
| `max_per_day` | `dish:*`, `dish:ID`, `component:C` | n | a dish served on at most n slots a day |
| `max_per_week` | `dish:*`, `dish:ID`, `component:C`, `food:ID` | n | on at most n days a week |
| `max_per_cycle` | same | n | on at most n days in the whole cycle |
| `no_consecutive_days` | `dish:*`, `dish:ID`, `component:C` | | never on two consecutive
  service days (across the week boundary and from the last day of the cycle to the first,
  as the cycle repeats) |
| `weeks_differ` | `component:C` | k | every two weeks differ in the dishes of component C on at
  least k weekdays (the weeks are not copies of each other) |
| `daily_food_group` | `group:G1;G2` | n | every day every age group is served at least n dishes
  whose reference portion holds at least `min_grams` g of foods of those groups |

`program` is `cadi`, `mad` or `*` (every program); a program's own row replaces the `*` row
with the same rule and subject. `scope` (for count and consecutive rules) is `menu` (count
the days a dish is on the menu for everyone) or `todos` (also the days it is served only as
the soft alternative of one age group). The file is optional: without it the defaults below
apply, so a data directory that only has the contract files still works.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from menu_planner.domain import FOOD_GROUPS, DataError, Dataset, Problem
from menu_planner.spanish import FOOD_GROUP_SHORT_ES, component_name
from menu_planner.tabular import Column, Row, check_unique, read_table

RULES_FILE = "menus/variety_rules.csv"

COUNT_PERIODS = {"max_per_day": "day", "max_per_week": "week", "max_per_cycle": "cycle"}
RULE_NAMES = (*COUNT_PERIODS, "no_consecutive_days", "weeks_differ", "daily_food_group")
SUBJECT_KINDS = ("dish", "component", "food", "group")
SCOPES = ("menu", "todos")

RULE_COLUMNS = [
    Column("program"),
    Column("rule", choices=RULE_NAMES),
    Column("subject"),
    Column("value", "int", required=False, min=0),
    Column("min_grams", "float", required=False, min=0.0),
    Column("scope", required=False, default="todos", choices=SCOPES),
]


@dataclass(frozen=True)
class VarietyRule:
    """One variety rule (see the module docstring for what each kind means)."""

    program: str  # a program or "*"
    rule: str
    subject_kind: str  # dish | component | food | group
    subject: str  # an id, a component, "*" or ";"-joined food groups
    value: int = 0
    min_grams: float = 0.0
    scope: str = "todos"
    slot: str = ""  # count only the days it is served in this slot ("" = any slot)

    @property
    def period(self) -> str | None:
        """day / week / cycle for count rules, else None."""
        return COUNT_PERIODS.get(self.rule)

    @property
    def food_groups(self) -> tuple[str, ...]:
        """The food groups of a `daily_food_group` rule."""
        return tuple(g for g in self.subject.split(";") if g)

    def describe_es(self, names: Mapping[str, str] | None = None) -> str:
        """The rule in one Spanish phrase; `names` gives the dishes' and foods' names
        (else their codes, with spaces)."""
        def shown(code: str) -> str:
            return (names or {}).get(code) or code.replace("_", " ")

        if self.subject == "*":
            subj = "cualquier plato"
        elif self.subject_kind == "component":
            subj = f"cada {component_name(self.subject)}"
        elif self.subject_kind == "dish":
            subj = f"el plato «{shown(self.subject)}»"
        elif self.subject_kind == "food":
            subj = f"el alimento «{shown(self.subject)}»"
        else:
            subj = "grupos"
        if self.period:
            one = self.value == 1
            per = {"day": ("vez" if one else "veces") + " al día",
                   "week": ("día" if one else "días") + " por semana",
                   "cycle": ("día" if one else "días") + " en el ciclo"}
            return f"{subj}: a lo sumo {self.value} {per[self.period]}"
        if self.rule == "no_consecutive_days":
            return f"{subj}: nunca en dos días de servicio seguidos"
        if self.rule == "weeks_differ":
            what = (component_name(self.subject) if self.subject_kind == "component"
                    else shown(self.subject))
            days = "día" if self.value == 1 else "días"
            return f"las semanas difieren en {what} en al menos {self.value} {days}"
        groups = " o ".join(FOOD_GROUP_SHORT_ES.get(g, g) for g in self.food_groups)
        dishes = "plato" if self.value == 1 else "platos"
        return (f"cada día, al menos {self.value} {dishes} con {self.min_grams:g} g o más "
                f"de {groups} para cada grupo de edad")


def names_in(ds: Dataset) -> dict[str, str]:
    """Dish and food names by code, for rule phrases."""
    return {**{f: food.name_es for f, food in ds.foods.items()},
            **{r: rec.name_es for r, rec in ds.recipes.items()}}


@dataclass(frozen=True)
class VarietyRules:
    """A set of variety rules and where they came from."""

    rules: tuple[VarietyRule, ...]
    source: str = "valores por defecto"

    def for_program(self, program: str) -> tuple[VarietyRule, ...]:
        """The rules that apply to `program`: its own rows replace the `*` rows."""
        own = {(r.rule, r.subject_kind, r.subject) for r in self.rules if r.program == program}
        return tuple(
            r for r in self.rules
            if r.program == program
            or (r.program == "*" and (r.rule, r.subject_kind, r.subject) not in own)
        )


def _rule(program: str, rule: str, subject: str, value: int = 0, min_grams: float = 0.0,
          scope: str = "todos") -> VarietyRule:
    kind, _, name = subject.partition(":")
    return VarietyRule(program, rule, kind, name, value, min_grams, scope)


DEFAULT_RULES = VarietyRules((
    _rule("*", "max_per_week", "component:plato_principal", 1, scope="menu"),
    _rule("*", "no_consecutive_days", "component:plato_principal", scope="menu"),
    _rule("*", "weeks_differ", "component:plato_principal", 2, scope="menu"),
    _rule("*", "max_per_day", "dish:*", 1),
    _rule("*", "max_per_week", "dish:*", 3, scope="menu"),
    _rule("*", "daily_food_group", "group:leguminosas;carnes;lacteos_huevos", 1, 25.0),
    _rule("*", "daily_food_group", "group:frutas", 1, 50.0),
    _rule("*", "daily_food_group", "group:verduras", 1, 20.0),
))


def load_variety_rules(data_dir: Path | None) -> VarietyRules:
    """The rules in `data_dir/menus/variety_rules.csv`, or the defaults when it is absent.

    Raises DataError naming every wrong row at once."""
    from menu_planner.reference_data import SHIPPED_DATA

    path = (Path(data_dir) if data_dir is not None else SHIPPED_DATA) / RULES_FILE
    if not path.is_file():
        return DEFAULT_RULES
    return read_variety_rules(path)


def read_variety_rules(path: Path) -> VarietyRules:
    """Rules read from one CSV file (see the module docstring); DataError when wrong."""
    rows, problems = read_table(path, RULE_COLUMNS, label=RULES_FILE)
    problems += check_unique(rows, lambda r: (r["program"], r["rule"], r["subject"]),
                             RULES_FILE, "subject", "regla")
    rules = []
    for r in rows:
        msg = _check_row(r)
        if msg:
            problems.append(Problem(RULES_FILE, r["_line"], msg[0], msg[1]))
            continue
        rules.append(_rule(r["program"], r["rule"], r["subject"], r["value"] or 0,
                           r["min_grams"] or 0.0, r["scope"] or "todos"))
    if problems:
        raise DataError(problems)
    return VarietyRules(tuple(rules), source=str(path))


def _check_row(r: Row) -> tuple[str, str] | None:
    kind, sep, name = str(r["subject"]).partition(":")
    if not sep or kind not in SUBJECT_KINDS or not name:
        return "subject", ("use 'dish:ID', 'dish:*', 'component:NOMBRE', 'food:ID' o "
                           "'group:G1;G2'")
    rule = r["rule"]
    if rule == "daily_food_group":
        if kind != "group":
            return "subject", "daily_food_group necesita 'group:...'"
        unknown = [g for g in name.split(";") if g and g not in FOOD_GROUPS]
        if unknown:
            return "subject", f"grupo de alimentos desconocido: {', '.join(unknown)}"
        if r["min_grams"] is None:
            return "min_grams", "daily_food_group necesita min_grams"
    elif kind == "group":
        return "subject", "'group:' solo sirve para daily_food_group"
    if rule == "weeks_differ" and kind != "component":
        return "subject", "weeks_differ necesita 'component:NOMBRE'"
    if rule in ("no_consecutive_days",) and kind == "food":
        return "subject", "no_consecutive_days se aplica a platos o componentes"
    if rule == "max_per_day" and kind == "food":
        return "subject", "max_per_day se aplica a platos o componentes"
    needs_value = rule != "no_consecutive_days"
    if needs_value and r["value"] is None:
        return "value", "la regla necesita un valor entero"
    if rule in ("weeks_differ", "daily_food_group") and (r["value"] or 0) < 1:
        return "value", "el valor debe ser al menos 1"
    return None
