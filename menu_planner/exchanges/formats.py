"""The exchange list as a JSON-ready document (`menu_planner.exchanges/1`). Pure."""

from __future__ import annotations

from typing import Any

from menu_planner.domain import FOOD_GROUPS, nutrient_label_es
from menu_planner.exchanges.impact import Breach
from menu_planner.exchanges.lists import ExchangeEntry, ExchangeList, ExchangeOption
from menu_planner.exchanges.measures import MeasuredAmount
from menu_planner.exchanges.substitution import Substitution

EXCHANGES_FORMAT = "menu_planner.exchanges/1"


def exchange_list_to_dict(xl: ExchangeList) -> dict[str, Any]:
    """Every entry with its options, omitted foods and warnings."""
    return {
        "format": EXCHANGES_FORMAT,
        "program": xl.program,
        "program_name": xl.program_name,
        "price_region": xl.region,
        "daily_budget_q": xl.daily_budget_q,
        "weeks": xl.weeks,
        "sources": dict(xl.sources),
        "foods": [entry_to_dict(e) for e in xl.entries],
    }


def entry_to_dict(e: ExchangeEntry) -> dict[str, Any]:
    """One food of the cycle."""
    return {
        "food_id": e.food.food_id,
        "name_es": e.food.name_es,
        "food_group": e.food.food_group,
        "food_group_es": FOOD_GROUPS.get(e.food.food_group, e.food.food_group),
        "nutrient": e.basis.nutrient,
        "nutrient_es": nutrient_label_es(e.basis.nutrient) if e.basis.nutrient else None,
        "value_per_100g": e.basis.value,
        "rule_es": e.basis.reason_es,
        "reference": {"recipe_id": e.reference.recipe_id, "recipe_name": e.reference.recipe_name,
                      "days": e.reference.days},
        "amount": amount_to_dict(e.amount),
        "cost_q": round(e.cost_q, 4),
        "usages": [{"recipe_id": u.recipe_id, "recipe_name": u.recipe_name, "grams": u.grams,
                    "days": u.days} for u in e.usages],
        "options": [option_to_dict(o) for o in e.options],
        "omitted": [{"food_id": o.food.food_id, "name_es": o.food.name_es,
                     "reason_es": o.reason_es} for o in e.omitted],
    }


def option_to_dict(o: ExchangeOption) -> dict[str, Any]:
    """One replacement option."""
    return {
        "food_id": o.food.food_id,
        "name_es": o.food.name_es,
        "factor": round(o.factor, 6),
        "amount": amount_to_dict(o.amount),
        "cost_difference_q": round(o.cost_difference_q, 4),
        "ok": o.ok,
        "warnings": [breach_to_dict(b) for b in o.breaches],
        "unknown_nutrients": list(o.unknown_nutrients),
    }


def amount_to_dict(a: MeasuredAmount) -> dict[str, Any]:
    """Grams and the kitchen measure."""
    return {"grams": round(a.grams, 2), "measure": a.measure, "count": a.count,
            "measure_grams": a.measure_grams, "text_es": a.text_es}


def breach_to_dict(b: Breach) -> dict[str, Any]:
    """A target or budget broken by a substitution."""
    return {"week": b.week, "weekday": b.weekday, "age_group": b.age_group, "kind": b.kind,
            "nutrient": b.nutrient, "bound": b.bound, "limit": b.limit,
            "before": round(b.before, 4), "after": round(b.after, 4),
            "message_es": b.message_es()}


def substitution_to_dict(s: Substitution) -> dict[str, Any]:
    """One substitution as JSON."""
    return {
        "food_id": s.original.food_id, "name_es": s.original.name_es,
        "replacement_id": s.replacement.food_id if s.replacement else None,
        "replacement_name_es": s.replacement.name_es if s.replacement else None,
        "factor": round(s.factor, 6), "nutrient": s.nutrient,
        "q_per_gram_difference": round(s.q_per_gram_difference, 6),
        "options_checked": s.options_checked, "note_es": s.note_es,
        "breaches": [breach_to_dict(b) for b in s.breaches],
    }
