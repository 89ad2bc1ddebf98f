"""Spanish sentences about diet results, for people to read."""

from __future__ import annotations

from collections.abc import Iterable

from menu_planner.diet.problem import MIN, Violation


def number_es(value: float) -> str:
    """A number for people: up to 4 significant decimals, no trailing zeros."""
    text = f"{value:.6g}" if abs(value) >= 1 else f"{value:.4g}"
    return text


def violation_es(v: Violation) -> str:
    """One violation in words, e.g. "protein_g: faltan 6 para el mínimo de 10 (...)"."""
    if v.side == MIN:
        return (f"{v.nutrient}: faltan {number_es(v.amount)} para el mínimo de "
                f"{number_es(v.limit)} (la dieta más cercana aporta {number_es(v.achieved)})")
    return (f"{v.nutrient}: sobran {number_es(v.amount)} sobre el máximo de "
            f"{number_es(v.limit)} (la dieta más cercana aporta {number_es(v.achieved)})")


def infeasible_message_es(violations: Iterable[Violation]) -> str:
    """Why no diet exists, naming each requirement that cannot be met and by how much."""
    items = list(violations)
    head = ("No existe ninguna dieta que cumpla todos los requerimientos con estos alimentos "
            "y sus límites de cantidad.")
    if not items:
        return head
    parts = "; ".join(violation_es(v) for v in items)
    return (f"{head} La dieta más cercana no cumple {len(items)} requerimiento(s): {parts}. "
            "Agregue alimentos que aporten esos nutrientes, suba los límites de cantidad "
            "o revise los requerimientos.")
