"""Purchase settings: expected attendance, waste factor per food group, the smallest amount
of each purchase unit a market sells, and when a price is too old to trust.

They are data (`data/procurement/*.csv`), edited by the program's staff; every row is
checked with `read_table`, and every problem is reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from menu_planner.domain import FOOD_GROUPS, DataError, Problem
from menu_planner.reference_data import SHIPPED_DATA
from menu_planner.tabular import Column, Row, check_unique, parse_number, read_table

SETTINGS = "procurement/settings.csv"
WASTE_FACTORS = "procurement/waste_factors.csv"
PURCHASE_STEPS = "procurement/purchase_steps.csv"

DEFAULT_ATTENDANCE = 0.9
DEFAULT_PRICE_MAX_AGE_DAYS = 365
DEFAULT_STEP = 1.0  # a unit not in purchase_steps.csv is bought whole
PER_GRAM = "per_gram"  # the unit cheapest per gram, as the contract prices cycles
WEEK_COST = "week_cost"  # the unit whose rounded-up purchase costs least this week
UNIT_CHOICES = (PER_GRAM, WEEK_COST)

_SETTING_COLUMNS = [Column("setting"), Column("value")]
_KNOWN = ("default_attendance", "price_max_age_days", "unit_choice")
_WASTE_COLUMNS = [
    Column("food_group", choices=tuple(FOOD_GROUPS)),
    Column("waste_factor", "float", min=0.0, max=1.0),
]
_STEP_COLUMNS = [
    Column("purchase_unit"),
    Column("step", "float", min=0.0, min_exclusive=True),
]


@dataclass(frozen=True)
class PurchaseSettings:
    """How purchase lists turn menus into market quantities.

    default_attendance: share of enrolled people expected each day, for centers whose
        centers.csv row has no `attendance`.
    waste_factors: food group -> extra share bought for losses between market and plate
        (on top of the inedible part, which `edible_fraction` already covers); groups not
        listed get 0.
    purchase_steps: purchase unit (lower case) -> smallest amount sold, in units (libra 0.5
        = half a pound); units not listed are bought whole.
    price_max_age_days: a price older than this gets a warning on the list.
    unit_choice: where a department lists several units of a food, `per_gram` buys the
        one cheapest per gram (the contract's rule for pricing cycles); `week_cost` buys
        the one whose rounded-up purchase costs least this week (no arroba of sugar for
        a small center), ties going to the cheaper per gram.
    """

    default_attendance: float = DEFAULT_ATTENDANCE
    waste_factors: Mapping[str, float] = field(default_factory=dict)
    purchase_steps: Mapping[str, float] = field(default_factory=dict)
    price_max_age_days: int = DEFAULT_PRICE_MAX_AGE_DAYS
    unit_choice: str = PER_GRAM

    def waste_factor(self, food_group: str) -> float:
        """The waste factor of a food group (0 when the settings do not list it)."""
        return self.waste_factors.get(food_group, 0.0)

    def step(self, purchase_unit: str) -> float:
        """The smallest amount of `purchase_unit` a market sells (1 when not listed)."""
        return self.purchase_steps.get(purchase_unit.strip().lower(), DEFAULT_STEP)


def settings_dir(data_dir: Path | None) -> Path:
    """Where purchase settings are read: `DIR/procurement` when `data_dir` has one,
    else the shipped `data/procurement`."""
    if data_dir is not None and (Path(data_dir) / "procurement").is_dir():
        return Path(data_dir)
    return SHIPPED_DATA


def load_purchase_settings(data_dir: Path | None = None) -> PurchaseSettings:
    """Purchase settings from `settings_dir(data_dir)`; DataError naming each bad row."""
    root = settings_dir(data_dir)
    problems: list[Problem] = []

    def table(rel: str, cols: list[Column]) -> list[Row]:
        rows, probs = read_table(root / rel, cols, label=rel)
        problems.extend(probs)
        return rows

    setting_rows = table(SETTINGS, _SETTING_COLUMNS)
    waste_rows = table(WASTE_FACTORS, _WASTE_COLUMNS)
    step_rows = table(PURCHASE_STEPS, _STEP_COLUMNS)
    problems += check_unique(setting_rows, lambda r: r["setting"], SETTINGS, "setting", "ajuste")
    problems += check_unique(waste_rows, lambda r: r["food_group"], WASTE_FACTORS,
                             "food_group", "grupo de alimentos")
    problems += check_unique(step_rows, lambda r: r["purchase_unit"].lower(), PURCHASE_STEPS,
                             "purchase_unit", "unidad de compra")
    values = {r["setting"]: (r["value"], r["_line"]) for r in setting_rows}
    problems += [Problem(SETTINGS, line, "setting", f"ajuste desconocido '{k}' (use "
                         f"{', '.join(_KNOWN)})")
                 for k, (_, line) in values.items() if k not in _KNOWN]
    attendance = _number(values, "default_attendance", DEFAULT_ATTENDANCE, problems)
    if not 0 < attendance <= 1:
        problems.append(Problem(SETTINGS, values["default_attendance"][1], "value",
                                "default_attendance debe ser mayor que 0 y como máximo 1"))
    max_age = _number(values, "price_max_age_days", DEFAULT_PRICE_MAX_AGE_DAYS, problems)
    if max_age != int(max_age) or max_age < 0:
        problems.append(Problem(SETTINGS, values["price_max_age_days"][1], "value",
                                "price_max_age_days debe ser un número entero de días"))
    choice, line = values.get("unit_choice", (PER_GRAM, None))
    if choice not in UNIT_CHOICES:
        problems.append(Problem(SETTINGS, line, "value", f"unit_choice '{choice}' no es "
                                f"{' ni '.join(UNIT_CHOICES)}"))
    if problems:
        raise DataError(problems)
    return PurchaseSettings(
        default_attendance=attendance,
        waste_factors={r["food_group"]: r["waste_factor"] for r in waste_rows},
        purchase_steps={r["purchase_unit"].strip().lower(): r["step"] for r in step_rows},
        price_max_age_days=int(max_age), unit_choice=choice,
    )


def _number(
    values: dict[str, tuple[str, int]], key: str, default: float, problems: list[Problem]
) -> float:
    """A numeric setting (its default when absent); a problem when it is not a number."""
    if key not in values:
        return default
    text, line = values[key]
    try:
        return parse_number(text)
    except ValueError:
        problems.append(Problem(SETTINGS, line, "value", f"'{text}' no es un número"))
        return default


def load_attendance(path: Path, label: str | None = None) -> dict[str, float]:
    """The optional `attendance` column of a centers file: center_id -> share in (0, 1].

    Rows with a blank cell (or a file without the column) are left out, so the default
    applies to them. DataError names each bad row.
    """
    name = label or path.name
    columns = [Column("center_id"), Column("attendance", "float", required=False,
                                           min=0.0, max=1.0, min_exclusive=True)]
    rows, problems = read_table(path, columns, label=name)
    if problems and any(p.column == "attendance" and p.line == 1 for p in problems):
        return {}  # no such column: every center uses the default
    if problems:
        raise DataError(problems)
    return {r["center_id"]: r["attendance"] for r in rows if r["attendance"] is not None}
