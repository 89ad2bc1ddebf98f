"""A subgroup's variant of a cycle as a printable workbook, in Spanish: `Resumen` (special
targets, dishes reused, cost per person per day against the base), `Cambios` (one row per
change, day by day) and `Menú` (the variant's dishes and portions per age group).
Letter paper, header rows repeated when printed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from menu_planner.domain import Dataset, nutrient_label_es
from menu_planner.export import xlsx_style as st
from menu_planner.export.cycle_xlsx import weekday_es
from menu_planner.menu_names import readable_slot
from menu_planner.variants.report import VariantResult, group_names
from menu_planner.variants.special import ADDED_SUGAR, PORTIONS

HEADER_ROW = 4


def write_variant_xlsx(
    result: VariantResult, dataset: Dataset, path: Path, *, generated: date | None = None
) -> None:
    """Write the variant workbook to `path`."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Resumen"
    footer = st.generated_on_es(generated or date.today())
    title = (f"{dataset.programs[result.cycle.program].name_es} — menú especial: "
             f"{result.special.name_es}")
    _summary(ws, result, group_names(result, dataset), title, footer)
    _changes(wb.create_sheet("Cambios"), result, dataset, title, footer)
    _menu(wb.create_sheet("Menú"), result, dataset, title, footer)
    wb.save(path)


def _name(nutrient: str) -> str:
    if nutrient == ADDED_SUGAR:
        return "azúcar añadida (g)"
    if nutrient == PORTIONS:
        return "porciones"
    return nutrient_label_es(nutrient)


def _summary(ws: Worksheet, r: VariantResult, groups: dict[str, str], title: str,
             footer: str) -> None:
    st.write_title(ws, title, f"Precios de {r.region}. Derivado del ciclo base de "
                              f"{r.base.weeks} semanas.")
    row = st.write_pairs(ws, 4, [
        ("Platos del ciclo base que se conservan", r.reused_share, "0.0%"),
        ("Platos cambiados, agregados o quitados", r.swaps, st.INTEGER),
        ("¿Cumple todas las metas y el presupuesto?", "sí" if r.ok else "no", None),
    ])
    row += 1
    st.write_header_row(ws, row, ("Grupo de edad", "Meta especial", "Mínimo", "Máximo",
                                  "Base"))
    for t in r.special.changed:
        row += 1
        st.write_row(ws, row, [groups.get(t.age_group, t.age_group), _name(t.nutrient),
                               t.min, t.max,
                               "día" if t.basis == "day" else "semana"],
                     [None, None, st.DECIMAL_1, st.DECIMAL_1])
    for g, (lo, hi) in r.special.portion_ranges.items():
        row += 1
        st.write_row(ws, row, [groups.get(g, g), "porciones por plato", lo, hi, "día"],
                     [None, None, st.DECIMAL_2, st.DECIMAL_2])
    row += 2
    st.write_header_row(ws, row, ("Grupo de edad", "Costo base (Q/persona/día)",
                                  "Costo variante", "Diferencia"))
    for g, c in r.cost_summary().items():
        row += 1
        st.write_row(ws, row, [groups.get(g, g), c["base_q"], c["variant_q"],
                               c["difference_q"]],
                     [None, st.QUETZALES, st.QUETZALES, st.QUETZALES])
    misses = list(r.week_misses) + [f"semana {d.week}, {weekday_es(d.weekday).lower()}: {m}"
                                    for d in r.days for m in d.misses]
    if misses:
        row += 2
        st.put(ws, row, 1, "Metas que no se alcanzan").font = st.BOLD
        for m in misses:
            row += 1
            st.put(ws, row, 1, m)
    st.set_widths(ws, (40, 26, 16, 16, 12))
    st.setup_print(ws, landscape=False, header_text=title, title_rows=None,
                   footer_text=footer)


def _changes(ws: Worksheet, r: VariantResult, ds: Dataset, title: str, footer: str) -> None:
    st.write_title(ws, "Cambios respecto del ciclo base")
    st.write_header_row(ws, HEADER_ROW, ("Semana", "Día", "Platos conservados", "Cambio",
                                         "Costo base → variante (Q, por grupo)"))
    names = {rid: rec.name_es for rid, rec in ds.recipes.items()}
    groups = group_names(r, ds)
    row = HEADER_ROW
    for d in r.days:
        cost = "; ".join(f"{groups.get(g, g)}: {b:,.2f} → {v:,.2f}"
                         for g, (b, v) in d.cost.items())
        lines = [c.message_es(names, groups) for c in d.changes] or ["sin cambios"]
        for k, text in enumerate(lines):
            row += 1
            lead = [d.week, weekday_es(d.weekday), f"{d.reused} de {d.base_items}"] if k == 0 \
                else [None, None, None]
            st.write_row(ws, row, [*lead, text, cost if k == 0 else None],
                         top_rule=k == 0)
    st.set_widths(ws, (8, 11, 12, 70, 40))
    st.freeze_below(ws, HEADER_ROW)
    st.setup_print(ws, landscape=True, header_text=title, title_rows=(HEADER_ROW, HEADER_ROW),
                   footer_text=footer)


def _menu(ws: Worksheet, r: VariantResult, ds: Dataset, title: str, footer: str) -> None:
    groups = list(r.cycle.age_groups)
    names = group_names(r, ds)
    st.write_title(ws, "Menú especial: porciones por grupo de edad")
    st.write_header_row(ws, HEADER_ROW, ("Semana", "Día", "Tiempo de comida", "Plato",
                                         *(names.get(g, g) for g in groups)))
    row = HEADER_ROW
    for d in r.cycle.days:
        first = True
        for m in d.meals:
            for it in m.items:
                row += 1
                lead = [d.week, weekday_es(d.weekday)] if first else [None, None]
                st.write_row(ws, row, [*lead, readable_slot(m.slot),
                                       ds.recipes[it.recipe_id].name_es,
                                       *(it.portions.get(g, 0.0) for g in groups)],
                             [None] * 4 + [st.DECIMAL_2] * len(groups), top_rule=first)
                first = False
    st.set_widths(ws, (8, 11, 20, 40, *(9 for _ in groups)))
    st.freeze_below(ws, HEADER_ROW)
    st.setup_print(ws, landscape=False, header_text=title,
                   title_rows=(HEADER_ROW, HEADER_ROW), footer_text=footer)
