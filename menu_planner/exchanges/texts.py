"""Spanish texts of the exchange list shared by the spreadsheet and the print view."""

from __future__ import annotations

from menu_planner.domain import nutrient_label_es
from menu_planner.exchanges.lists import ExchangeEntry, ExchangeOption

MAX_WARNINGS_SHOWN = 3

HOW_TO_READ: tuple[str, ...] = (
    "Cada alimento se puede cambiar por otro del mismo grupo de intercambio, en la cantidad "
    "que da lo mismo del nutriente por el que se valora: energía (cereales, azúcares, "
    "grasas), proteína (carnes, frijol y huevo), calcio (leche y derivados), vitamina A o C "
    "(verduras y frutas: la que el alimento aporta más respecto de las metas).",
    "Gramos del reemplazo = gramos del alimento x su contenido del nutriente / contenido "
    "del reemplazo (por 100 g de parte comestible, tabla de composición del programa).",
    "La medida casera se redondea a la media medida más cercana; los gramos son los exactos.",
    "Diferencia de costo: costo del reemplazo menos costo del alimento, para esa cantidad, "
    "con los precios indicados. Negativa = el reemplazo sale más barato.",
    "Avisos: días del ciclo que, con el reemplazo en todos los platos que usan el alimento, "
    "dejarían de cumplir una meta o el presupuesto diario por persona.",
    "Un alimento sin dato (ND) del nutriente nunca recibe una cantidad.",
)


def measure_part(text: str) -> str:
    """The kitchen measure of "½ taza (70.8 g)" ("—" when only grams are shown)."""
    return text.split(" (")[0] if " (" in text else "—"


def breaches_text(o: ExchangeOption) -> str:
    """"No cumple: ...; y N más" (empty when the option breaks nothing)."""
    if not o.breaches:
        return ""
    shown = [b.message_es() for b in o.breaches[:MAX_WARNINGS_SHOWN]]
    more = len(o.breaches) - len(shown)
    return "No cumple: " + "; ".join(shown) + (f"; y {more} más" if more else "")


def unknown_text(o: ExchangeOption) -> str:
    """Which targets cannot be verified because the replacement has no value (ND)."""
    if not o.unknown_nutrients:
        return ""
    return ("Sin dato de " + ", ".join(nutrient_label_es(n) for n in o.unknown_nutrients)
            + ": no se pudo verificar.")


def omitted_note(e: ExchangeEntry, hidden: int = 0) -> str:
    """Options not shown, and foods with no amount because their value is unknown."""
    unknown = [o.food.name_es for o in e.omitted if "(ND)" in o.reason_es]
    parts = []
    if hidden > 0:
        parts.append(f"Hay {hidden} opción(es) más en la versión JSON.")
    if unknown:
        parts.append("Sin cantidad (valor desconocido): " + ", ".join(unknown) + ".")
    return " ".join(parts)


def not_exchanged_reason(e: ExchangeEntry) -> str:
    """Why a food has no replacement."""
    if not e.exchanged:
        return e.basis.reason_es
    if not e.omitted:
        return "no hay otro alimento de su grupo de intercambio en la tabla de alimentos"
    reasons = {o.reason_es for o in e.omitted}
    if len(reasons) == 1:
        return reasons.pop()
    return ("ningún alimento del mismo grupo de intercambio sirve: "
            + "; ".join(f"{o.food.name_es} ({o.reason_es})" for o in e.omitted[:4]))
