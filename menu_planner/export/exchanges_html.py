"""The exchange list as a printable HTML page (jinja2), for a browser or the web service:
`render_exchanges_html(exchange_list) -> str`. Same content as the workbook, letter paper
landscape when printed. Text is escaped (autoescape on)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from menu_planner.domain import FOOD_GROUPS, nutrient_label_es
from menu_planner.exchanges.lists import ExchangeEntry, ExchangeList
from menu_planner.exchanges.texts import (
    HOW_TO_READ,
    breaches_text,
    not_exchanged_reason,
    omitted_note,
    unknown_text,
)
from menu_planner.spanish import money

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "exchanges.html"

_env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                   autoescape=select_autoescape(["html"]), trim_blocks=True,
                   lstrip_blocks=True)


def render_exchanges_html(
    xl: ExchangeList, *, max_options: int | None = 5, generated: date | None = None
) -> str:
    """The whole page as a string (options per food limited to `max_options`; None = all)."""
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for e in xl.entries:
        if not e.exchanged or not e.options:
            continue
        name = FOOD_GROUPS.get(e.food.food_group, e.food.food_group)
        if not groups or groups[-1][0] != name:
            groups.append((name, []))
        groups[-1][1].append(_food(e, max_options))
    title = f"Lista de intercambio — {xl.program_name}"
    return _env.get_template(TEMPLATE).render(
        title=title, region=xl.region, budget=money(xl.daily_budget_q), groups=groups,
        not_exchanged=[{"name": e.food.name_es, "recipe": e.reference.recipe_name,
                        "reason": not_exchanged_reason(e)}
                       for e in xl.entries if not (e.exchanged and e.options)],
        how_to_read=HOW_TO_READ,
        generated=f"{generated:%d/%m/%Y}" if generated else None,
    )


def _food(e: ExchangeEntry, max_options: int | None) -> dict[str, Any]:
    shown = e.options if max_options is None else e.options[:max_options]
    return {
        "name": e.food.name_es,
        "nutrient": nutrient_label_es(e.basis.nutrient or ""),
        "amount": e.amount.text_es,
        "recipe": e.reference.recipe_name,
        "note": omitted_note(e, len(e.options) - len(shown)),
        "options": [{"name": o.food.name_es, "amount": o.amount.text_es,
                     "cost": money(o.cost_difference_q, signed=True),
                     "warnings": breaches_text(o), "unknown": unknown_text(o)}
                    for o in shown],
    }
