"""How people name slots (tiempos de comida) and weekdays: the data's `menus/slots.csv`
when it exists, else the usual Spanish names. Pure: shared by the quality check, the
workbooks and the pages."""

from __future__ import annotations

from pathlib import Path

from menu_planner.domain import DataError
from menu_planner.spanish import slot_name
from menu_planner.tabular import Column, read_table

SLOTS_FILE = "menus/slots.csv"
WEEKDAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")

def readable_slot(slot: str) -> str:
    """A slot id as people read it (menu_planner.spanish.slot_name)."""
    return slot_name(slot)


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
