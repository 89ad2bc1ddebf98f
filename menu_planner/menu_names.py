"""How people name slots (tiempos de comida) and weekdays: the data's `menus/slots.csv`
when it exists, else the usual Spanish names. Pure: shared by the quality check, the
workbooks and the pages."""

from __future__ import annotations

from pathlib import Path

from menu_planner.domain import DataError
from menu_planner.tabular import Column, read_table

SLOTS_FILE = "menus/slots.csv"
WEEKDAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")

# Display names of the usual slots when no slots.csv names them.
KNOWN_SLOTS_ES = {
    "desayuno": "Desayuno",
    "refaccion": "Refacción",
    "refaccion_matutina": "Refacción matutina",
    "refaccion_manana": "Refacción de la mañana",
    "refaccion_vespertina": "Refacción vespertina",
    "refaccion_tarde": "Refacción de la tarde",
    "almuerzo": "Almuerzo",
    "cena": "Cena",
}


def readable_slot(slot: str) -> str:
    """A slot id as people read it: known Spanish name, else "refaccion_x" -> "Refaccion x"."""
    known = KNOWN_SLOTS_ES.get(slot)
    return known if known else slot.replace("_", " ").strip().capitalize()


def read_slot_names(data_dir: Path | None, program: str) -> dict[str, str]:
    """Slot display names of `program` from DIR/menus/slots.csv (`program, slot, name_es`);
    empty when the file does not exist. DataError when it exists but has problems."""
    from menu_planner.reference_data import SHIPPED_DATA

    path = (data_dir if data_dir is not None else SHIPPED_DATA) / SLOTS_FILE
    if not path.is_file():
        return {}
    rows, problems = read_table(path, [Column("program"), Column("slot"), Column("name_es")],
                                label=SLOTS_FILE)
    if problems:
        raise DataError(problems)
    return {r["slot"]: r["name_es"] for r in rows if r["program"] == program}


def weekday_name_es(weekday: int) -> str:
    """1 -> 'lunes' ... 7 -> 'domingo' (lower case, as inside a sentence)."""
    return WEEKDAYS_ES[weekday - 1] if 1 <= weekday <= 7 else f"día {weekday}"
