"""Monthly allowances of a center from the allowance rules (data, not code): an amount per
person, a flat amount per center, or an amount by enrollment bracket. Pure.

Brackets beyond the last one follow the rules' "y así sucesivamente": the last bracket
repeats upward in steps of its own width (41-50 -> 51-60, 61-70, ...), each step adding
the difference between the last two brackets (Q50 water, Q135 gas in the 2024 rules).
Below the first bracket (fewer than 10 children in 2024) the rules say nothing: the item
is left pending and the center flagged for review, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from menu_planner.domain import Problem
from menu_planner.procurement.money import Cents, format_q, parse_money
from menu_planner.tabular import Column, Row

DAILY_QUOTA_ITEM = "food_daily_quota"
PER_SERVICE_DAY = "per child per service day"
PER_PERSON = "per child per month"
PER_CENTER = "per center per month"
BASIS_ALIASES = {
    PER_SERVICE_DAY: PER_SERVICE_DAY, "per person per service day": PER_SERVICE_DAY,
    PER_PERSON: PER_PERSON, "per person per month": PER_PERSON,
    PER_CENTER: PER_CENTER,
}
ITEM_LABELS_ES = {
    DAILY_QUOTA_ITEM: "cuota diaria de alimentación",
    "educational_material": "material educativo",
    "bottled_water": "agua pura embotellada",
    "propane_gas": "gas propano",
    "garbage_collection": "extracción de basura",
}
RULE_COLUMNS = [
    Column("item"),
    Column("basis", choices=tuple(BASIS_ALIASES)),
    Column("min_children", "int", required=False, min=0),
    Column("max_children", "int", required=False, min=0),
    Column("amount_q"),
]


def item_label(item: str) -> str:
    """The Spanish name of an allowance item (its id with spaces when unknown)."""
    return ITEM_LABELS_ES.get(item, item.replace("_", " "))


@dataclass(frozen=True)
class Bracket:
    """An amount that applies from `low` to `high` people enrolled (inclusive)."""

    low: int
    high: int
    amount: Cents


@dataclass(frozen=True)
class AllowanceItem:
    """One monthly allowance: per person (`amount` x enrolled), per center (`amount`) or
    by bracket of enrollment (`brackets`, in order)."""

    item: str
    basis: str
    amount: Cents = 0
    brackets: tuple[Bracket, ...] = ()

    def monthly(self, enrolled: int) -> Cents | None:
        """The month's amount for a center with `enrolled` people; None when no rule
        covers that enrollment (below the first bracket or in a gap)."""
        if self.basis == PER_PERSON:
            return self.amount * enrolled
        if not self.brackets:
            return self.amount
        for b in self.brackets:
            if b.low <= enrolled <= b.high:
                return b.amount
        last = self.brackets[-1]
        if enrolled > last.high and len(self.brackets) >= 2:
            width = last.high - last.low + 1
            step = last.amount - self.brackets[-2].amount
            steps = -(-(enrolled - last.high) // width)  # ceiling division
            return last.amount + steps * step
        return None


@dataclass(frozen=True)
class AllowanceRules:
    """The allowance items of a program in file order, and the cap on the daily food
    quota when the rules give one."""

    items: tuple[AllowanceItem, ...]
    daily_quota_cap: Cents | None = None
    source: str = ""

    @property
    def item_names(self) -> tuple[str, ...]:
        """The monthly items, in file order."""
        return tuple(i.item for i in self.items)


@dataclass(frozen=True)
class Allowances:
    """A center's allowances for a month: amounts per item (centavos), the items left
    for review, and why (Spanish sentences)."""

    amounts: dict[str, Cents]
    pending: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()

    @property
    def total(self) -> Cents:
        """The sum of the computed amounts."""
        return sum(self.amounts.values())


def monthly_allowances(rules: AllowanceRules, enrolled: int) -> Allowances:
    """What the rules give a center with `enrolled` people for one month."""
    amounts: dict[str, Cents] = {}
    pending: list[str] = []
    for item in rules.items:
        value = item.monthly(enrolled)
        if value is None:
            pending.append(item.item)
        else:
            amounts[item.item] = value
    return Allowances(amounts, tuple(pending), _pending_flags(rules, enrolled, pending))


def _pending_flags(rules: AllowanceRules, enrolled: int, pending: list[str]) -> tuple[str, ...]:
    lowest = {i.item: i.brackets[0].low for i in rules.items if i.item in pending}
    below = [p for p in pending if enrolled < lowest[p]]
    gaps = [p for p in pending if p not in below]
    flags = []
    if below:
        names = " ni ".join(item_label(p) for p in below)
        flags.append(f"Revisar: {enrolled} inscritos, menos que el primer tramo de las reglas "
                     f"({min(lowest[p] for p in below)} o más); no se calcula {names}: "
                     "asignar tras revisión.")
    if gaps:
        names = " ni ".join(item_label(p) for p in gaps)
        flags.append(f"Revisar: ningún tramo de las reglas cubre {enrolled} inscritos; no se "
                     f"calcula {names}.")
    return tuple(flags)


def rules_from_rows(rows: Iterable[Row], label: str) -> tuple[AllowanceRules, list[Problem]]:
    """Allowance rules from rows read with RULE_COLUMNS, and every problem found."""
    problems: list[Problem] = []
    by_item: dict[str, list[tuple[Row, Cents]]] = {}
    cap: Cents | None = None
    for r in rows:
        try:
            amount = parse_money(r["amount_q"])
        except ValueError as exc:
            problems.append(Problem(label, r["_line"], "amount_q", str(exc)))
            continue
        if amount < 0:
            problems.append(Problem(label, r["_line"], "amount_q",
                                    "el monto no puede ser negativo"))
            continue
        basis = BASIS_ALIASES[r["basis"]]
        if (r["item"] == DAILY_QUOTA_ITEM) != (basis == PER_SERVICE_DAY):
            problems.append(Problem(label, r["_line"], "basis",
                                    f"solo '{DAILY_QUOTA_ITEM}' va '{PER_SERVICE_DAY}'"))
        elif r["item"] == DAILY_QUOTA_ITEM:
            cap = amount
        else:
            by_item.setdefault(r["item"], []).append((r, amount))
    items = []
    for name, entries in by_item.items():
        item, probs = _item(name, entries, label)
        problems += probs
        if item is not None:
            items.append(item)
    return AllowanceRules(tuple(items), cap, label), problems


def _item(
    name: str, entries: list[tuple[Row, Cents]], label: str
) -> tuple[AllowanceItem | None, list[Problem]]:
    """One item from its rows: a single flat row, or bracket rows without overlaps."""
    first = entries[0][0]
    basis = BASIS_ALIASES[first["basis"]]
    problems = [Problem(label, r["_line"], "basis", f"'{name}' mezcla bases distintas")
                for r, _ in entries if BASIS_ALIASES[r["basis"]] != basis]
    bracketed = [(r, a) for r, a in entries
                 if r["min_children"] is not None or r["max_children"] is not None]
    if not bracketed:
        if len(entries) > 1:
            problems.append(Problem(label, entries[1][0]["_line"], "item",
                                    f"'{name}' repetido sin tramos de inscripción"))
        return AllowanceItem(name, basis, entries[0][1]), problems
    if basis == PER_PERSON or len(bracketed) != len(entries):
        problems.append(Problem(label, first["_line"], "min_children",
                                f"'{name}': todas sus filas deben tener tramo (por centro)"))
        return None, problems
    brackets: list[Bracket] = []
    for r, amount in sorted(bracketed, key=lambda e: e[0]["min_children"] or 0):
        low, high = r["min_children"], r["max_children"]
        if low is None or high is None or low > high:
            problems.append(Problem(label, r["_line"], "max_children",
                                    "el tramo necesita min_children <= max_children"))
            continue
        if brackets and low <= brackets[-1].high:
            problems.append(Problem(label, r["_line"], "min_children",
                                    f"el tramo {low}-{high} se traslapa con "
                                    f"{brackets[-1].low}-{brackets[-1].high}"))
            continue
        brackets.append(Bracket(low, high, amount))
    return AllowanceItem(name, basis, 0, tuple(brackets)), problems


def describe_rules(rules: AllowanceRules) -> list[str]:
    """The rules as Spanish lines (for the documentation and the workbook's notes)."""
    out = []
    if rules.daily_quota_cap is not None:
        out.append(f"{item_label(DAILY_QUOTA_ITEM)}: hasta {format_q(rules.daily_quota_cap)} "
                   "por persona por día de servicio")
    for i in rules.items:
        if i.basis == PER_PERSON:
            out.append(f"{item_label(i.item)}: {format_q(i.amount)} por persona al mes")
        elif not i.brackets:
            out.append(f"{item_label(i.item)}: {format_q(i.amount)} por centro al mes")
        else:
            parts = ", ".join(f"{b.low}-{b.high}: {format_q(b.amount)}" for b in i.brackets)
            out.append(f"{item_label(i.item)} por centro al mes según inscritos ({parts}; "
                       "y así sucesivamente)")
    return out
