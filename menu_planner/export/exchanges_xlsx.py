"""The exchange list (lista de intercambio) as a printable workbook for the cook, in Spanish.

Sheet `Intercambios`: by food group, each food of the cycle that has a replacement, with
the amount of its reference portion (kitchen measure and grams), then its replacement
options: amount in kitchen measure and grams, cost difference in quetzales (replacement -
original, for that amount) and warnings (targets or budget a day would miss). Sheet
`No se intercambian`: foods without exchange, and why. Sheet `Cómo leer`: the rules.
Letter paper, landscape, header row repeated on every page.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from menu_planner.domain import FOOD_GROUPS, nutrient_label_es
from menu_planner.exchanges.lists import ExchangeEntry, ExchangeList, ExchangeOption
from menu_planner.exchanges.texts import (
    HOW_TO_READ,
    breaches_text,
    measure_part,
    not_exchanged_reason,
    omitted_note,
    unknown_text,
)
from menu_planner.export import xlsx_style as st
from menu_planner.reference_data import SHIPPED_DATA

SHEET = "Intercambios"
HEADERS = ("Alimento", "Se iguala", "Cantidad (medida casera)", "Gramos", "Preparación",
           "Reemplazo", "Cantidad (medida casera)", "Gramos", "Diferencia de costo (Q)",
           "Avisos")
WIDTHS = (24, 12, 18, 9, 22, 24, 18, 9, 12, 44)
HEADER_ROW = 4
_GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
_WARN = Font(color="C00000")


def write_exchanges_xlsx(
    xl: ExchangeList, path: Path, *, max_options: int = 5, generated: date | None = None
) -> None:
    """Write the exchange list to `path` (at most `max_options` options per food)."""
    exchanges_workbook(xl, max_options=max_options, generated=generated).save(path)


def exchanges_workbook(
    xl: ExchangeList, *, max_options: int = 5, generated: date | None = None
) -> Workbook:
    """The workbook: exchanges, foods without exchange, how to read it."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    footer = st.generated_on_es(generated or date.today())
    _exchanges(ws, xl, max_options, footer)
    _not_exchanged(wb.create_sheet("No se intercambian"), xl, footer)
    _how_to_read(wb.create_sheet("Cómo leer"), xl, footer)
    return wb


def _title(xl: ExchangeList) -> str:
    return f"Lista de intercambio — {xl.program_name}"


def _exchanges(ws: Worksheet, xl: ExchangeList, max_options: int, footer: str) -> None:
    st.write_title(ws, _title(xl),
                   f"Precios de {xl.region}. Presupuesto Q{xl.daily_budget_q:,.2f} por persona "
                   "por día. Cantidades por porción de referencia (4 a 6 años o adulto); "
                   "para otra porción, use la misma proporción.")
    st.write_header_row(ws, HEADER_ROW, HEADERS)
    row = HEADER_ROW + 1
    group = None
    for e in (e for e in xl.entries if e.exchanged and e.options):
        if e.food.food_group != group:
            group = e.food.food_group
            cell = st.put(ws, row, 1, FOOD_GROUPS.get(group, group))
            cell.font = st.BOLD
            for c in range(1, len(HEADERS) + 1):
                ws.cell(row=row, column=c).fill = _GROUP_FILL
            row += 1
        row = _food_block(ws, row, e, max_options)
    st.set_widths(ws, WIDTHS)
    st.freeze_below(ws, HEADER_ROW)
    st.setup_print(ws, landscape=True, header_text=_title(xl),
                   title_rows=(HEADER_ROW, HEADER_ROW), footer_text=footer)


def _food_block(ws: Worksheet, row: int, e: ExchangeEntry, max_options: int) -> int:
    lead = [e.food.name_es, nutrient_label_es(e.basis.nutrient or ""),
            measure_part(e.amount.text_es), round(e.amount.grams, 1), e.reference.recipe_name]
    shown = list(e.options[:max_options])
    notes = omitted_note(e, len(e.options) - len(shown))
    for k, o in enumerate(shown):
        first = k == 0
        values = [*(lead if first else [None] * 5), o.food.name_es, measure_part(o.amount.text_es),
                  round(o.amount.grams, 1), round(o.cost_difference_q, 2),
                  _warnings(o, notes if k == len(shown) - 1 else "")]
        st.write_row(ws, row, values, [None, None, None, st.DECIMAL_1, None, None, None,
                                       st.DECIMAL_1, st.QUETZALES, None], top_rule=first)
        if o.breaches:
            ws.cell(row=row, column=10).font = _WARN
        lines = max(1, len(str(values[-1] or "")) // 48 + 1)
        st.fit_row_height(ws, row, min(lines, 6))
        row += 1
    return row


def _warnings(o: ExchangeOption, tail: str) -> str:
    return " ".join(p for p in (breaches_text(o), unknown_text(o), tail) if p)


def _not_exchanged(ws: Worksheet, xl: ExchangeList, footer: str) -> None:
    st.write_title(ws, "Alimentos que no se intercambian",
                   "Condimentos, alimentos sin dato del nutriente o sin reemplazo posible.")
    st.write_header_row(ws, HEADER_ROW, ("Alimento", "Grupo", "Preparación", "Motivo"))
    row = HEADER_ROW + 1
    for e in xl.entries:
        if e.exchanged and e.options:
            continue
        st.write_row(ws, row, [e.food.name_es, FOOD_GROUPS.get(e.food.food_group, ""),
                               e.reference.recipe_name, not_exchanged_reason(e)])
        row += 1
    st.set_widths(ws, (28, 26, 28, 70))
    st.setup_print(ws, landscape=True, header_text=_title(xl),
                   title_rows=(HEADER_ROW, HEADER_ROW), footer_text=footer)


# The data files an exchange list is made from, named for people.
SOURCE_NAMES_ES = {"menus/exchange_rules.csv": "Reglas de intercambio",
                   "menus/exchange_exclusions.csv": "Exclusiones de intercambio",
                   "menus/kitchen_measures.csv": "Medidas caseras"}


def source_words(source: str) -> str:
    """Where a table came from, in words: the shipped data, or the file's name (never a
    path of the server)."""
    path = Path(source)
    if not path.is_absolute():
        return source
    if path.is_relative_to(SHIPPED_DATA):
        return "datos incluidos con el planificador"
    return f"archivo {path.name}"


def _how_to_read(ws: Worksheet, xl: ExchangeList, footer: str) -> None:
    st.write_title(ws, "Cómo leer la lista de intercambio")
    row = st.write_pairs(ws, 3, [(f"{i}.", text, None) for i, text in
                                 enumerate(HOW_TO_READ, 1)])
    row = st.write_pairs(ws, row + 1, [("Fuentes", "", None)] + [
        (SOURCE_NAMES_ES.get(name, name), source_words(src), None)
        for name, src in sorted(xl.sources.items())])
    st.set_widths(ws, (30, 100))
    for r in range(3, row):
        st.fit_row_height(ws, r, 2)
    st.setup_print(ws, landscape=True, header_text=_title(xl), title_rows=None,
                   footer_text=footer)
