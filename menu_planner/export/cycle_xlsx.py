"""The menu-cycle workbook (Spanish, ready to print on letter paper).

Sheets: "Calendario" (dishes by week, day and meal slot), "Porciones" (grams of each
ingredient per person of each age group), "Costo y adecuación" (daily cost and targets,
week averages), "Calidad del menú" (each rule of the quality standard, its verdict and
numbers, from `menu_planner.quality`) and "Resumen" (program, budget, solver facts,
targets). All numbers come from `menu_planner.nutrition`; nothing is recomputed here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from menu_planner.domain import (
    NUTRIENT_LABELS_ES,
    DataError,
    Dataset,
    MenuCycle,
    MenuDay,
    Problem,
    Target,
)
from menu_planner.export import xlsx_style as st
from menu_planner.menu_names import read_slot_names, readable_slot
from menu_planner.nutrition import (
    COST,
    TargetCheck,
    Totals,
    average,
    check_target,
    day_totals,
    item_grams,
)
from menu_planner.quality import quality_of
from menu_planner.quality.report import QualityReport
from menu_planner.spanish import objective_name, solver_status

SHEET_CALENDAR = "Calendario"
SHEET_PORTIONS = "Porciones"
SHEET_ADEQUACY = "Costo y adecuación"
SHEET_SUMMARY = "Resumen"
SHEET_QUALITY = "Calidad del menú"
QUALITY_HEADERS = ["Grupo de edad", "Regla", "Resultado", "Cifras", "Detalle", "Fuente"]

# Solver facts read from the cycle's `extra` (top level or under one of SOLVER_KEYS).
SOLVER_KEYS = ("solver", "solve", "optimizer", "solution")
SOLVER_LABELS_ES = {
    "name": "Optimizador", "solver": "Optimizador", "status": "Estado",
    "objective": "Objetivo", "objective_value": "Valor objetivo",
    "cost_q": "Costo medio por persona por día (Q)",
    "cost": "Costo total (Q)", "total_cost": "Costo total (Q)",
    "lower_bound": "Cota inferior", "bound": "Cota inferior", "best_bound": "Cota inferior",
    "gap": "Brecha relativa", "mip_gap": "Brecha relativa", "time_s": "Tiempo (s)",
    "seconds": "Tiempo (s)", "solve_seconds": "Tiempo (s)",
}
# Facts whose value is a code: written in words.
SOLVER_WORDS_ES: dict[str, Callable[[str], str]] = {"status": solver_status,
                                                      "objective": objective_name}
BASIS_ES = {"day": "Diaria", "week": "Promedio semanal"}
ADEQUACY_HEADERS = ["Semana", "Día", "Grupo de edad", "Concepto", "Valor", "Mínimo",
                    "Máximo", "% de la meta", "Estado"]


@dataclass
class _Ctx:
    cycle: MenuCycle
    ds: Dataset
    slot_names: Mapping[str, str]
    generated: date
    totals: dict[tuple[int, int, str], Totals] = field(default_factory=dict)

    @property
    def program_name(self) -> str:
        prog = self.ds.programs.get(self.cycle.program)
        return prog.name_es if prog else self.cycle.program

    def group_name(self, group: str) -> str:
        names = {g.age_group: g.name_es for g in self.ds.age_groups_of(self.cycle.program)}
        return names.get(group, group)

    def slot_name(self, slot: str) -> str:
        return self.slot_names.get(slot) or readable_slot(slot)

    def dish_name(self, recipe_id: str) -> str:
        rec = self.ds.recipes.get(recipe_id)
        return rec.name_es if rec else recipe_id

    def slots(self) -> list[str]:
        used = [m.slot for d in self.cycle.days for m in d.meals]
        return list(dict.fromkeys([*self.ds.slots_of(self.cycle.program), *used]))

    def days(self) -> list[MenuDay]:
        return sorted(self.cycle.days, key=lambda d: (d.week, d.weekday))

    def header(self) -> str:
        return f"{self.program_name} — Ciclo de menú de {self.cycle.weeks} semanas"


def weekday_es(weekday: int) -> str:
    """Lunes for 1 ... Domingo for 7."""
    return st.WEEKDAYS_ES[weekday - 1] if 1 <= weekday <= 7 else f"Día {weekday}"


def write_cycle_xlsx(
    cycle: MenuCycle, dataset: Dataset, path: Path, *, data_dir: Path | None = None,
    slot_names: Mapping[str, str] | None = None, generated: date | None = None,
    quality: QualityReport | None = None,
) -> None:
    """Write the cycle workbook to `path`.

    Slot names come from `slot_names`, else from `data_dir`/menus/slots.csv (the shipped
    data when `data_dir` is None) when that file exists, else from the slot ids. The
    "Calidad del menú" sheet shows `quality`, else the cycle checked against the quality
    standard of `data_dir`.
    """
    _check_recipes(cycle, dataset)
    names = slot_names if slot_names is not None else read_slot_names(data_dir, cycle.program)
    ctx = _Ctx(cycle, dataset, names, generated or date.today())
    for d in cycle.days:
        for g in cycle.age_groups:
            ctx.totals[(d.week, d.weekday, g)] = day_totals(dataset, d, g, cycle.price_region)
    wb = Workbook()
    first = wb.active
    if first is not None:
        wb.remove(first)
    _calendar(wb.create_sheet(SHEET_CALENDAR), ctx)
    _portions(wb.create_sheet(SHEET_PORTIONS), ctx)
    _adequacy(wb.create_sheet(SHEET_ADEQUACY), ctx)
    report = quality if quality is not None else quality_of(cycle, dataset, data_dir)
    _quality(wb.create_sheet(SHEET_QUALITY), ctx, report)
    _summary(wb.create_sheet(SHEET_SUMMARY), ctx)
    wb.save(path)


def _check_recipes(cycle: MenuCycle, dataset: Dataset) -> None:
    unknown = sorted({i.recipe_id for d in cycle.days for m in d.meals for i in m.items}
                     - set(dataset.recipes))
    if unknown:
        raise DataError([Problem("ciclo", None, "recipe_id",
                                 f"la receta '{r}' no existe en los datos") for r in unknown])


def _subtitle(ctx: _Ctx) -> str:
    c = ctx.cycle
    return (f"{c.weeks} semanas · {c.service_days_per_week} días por semana · presupuesto "
            f"Q{c.daily_budget_q:.2f} por persona y día · precios: {c.price_region}")


def _calendar(ws: Worksheet, ctx: _Ctx) -> None:
    n_days = max([ctx.cycle.service_days_per_week, *(d.weekday for d in ctx.cycle.days)])
    row = st.write_title(ws, f"Calendario del ciclo de menú — {ctx.program_name}",
                         _subtitle(ctx))
    head = row
    st.write_header_row(ws, head, ["Semana", "Tiempo de comida",
                                   *(weekday_es(i) for i in range(1, n_days + 1))])
    by_day = {(d.week, d.weekday): d for d in ctx.cycle.days}
    for week in range(1, ctx.cycle.weeks + 1):
        for k, slot in enumerate(ctx.slots()):
            row += 1
            cells: list[Any] = [f"Semana {week}" if k == 0 else None, ctx.slot_name(slot)]
            lines = 1
            for wd in range(1, n_days + 1):
                day = by_day.get((week, wd))
                dishes = [ctx.dish_name(i.recipe_id) for m in (day.meals if day else ())
                          if m.slot == slot for i in m.items]
                cells.append("\n".join(dishes) or None)
                lines = max(lines, sum(1 + len(d) // 26 for d in dishes))
            st.write_row(ws, row, cells, top_rule=k == 0)
            ws.cell(row=row, column=1).font = st.BOLD
            st.fit_row_height(ws, row, lines)
        if week % 2 == 0 and week < ctx.cycle.weeks:
            st.break_page_after(ws, row)
    st.set_widths(ws, [11, 20, *([28] * n_days)])
    st.freeze_below(ws, head, 2)
    st.setup_print(ws, landscape=True, header_text=ctx.header(), title_rows=(head, head),
                   footer_text=st.generated_on_es(ctx.generated))


def _portions(ws: Worksheet, ctx: _Ctx) -> None:
    groups = ctx.cycle.age_groups
    row = st.write_title(ws, "Porciones: gramos de cada ingrediente por persona",
                         "Gramos de porción comestible (peso limpio) que recibe una persona "
                         "de cada grupo de edad; vacío = la preparación no se sirve a ese grupo.")
    head = row
    st.write_header_row(ws, head, ["Semana", "Día", "Tiempo de comida", "Preparación",
                                   "Ingrediente", *(f"{ctx.group_name(g)} (g)" for g in groups)])
    formats = [None] * 5 + [st.GRAMS] * len(groups)
    for day in ctx.days():
        first_of_day = True
        for meal in day.meals:
            for item in meal.items:
                grams = {g: item_grams(ctx.ds, item.recipe_id, item.portions.get(g, 0.0))
                         for g in groups}
                foods = list(dict.fromkeys(i.food_id for i in
                                           ctx.ds.recipes[item.recipe_id].ingredients))
                for k, food_id in enumerate(foods):
                    row += 1
                    lead = [f"Semana {day.week}", weekday_es(day.weekday)] if first_of_day \
                        else [None, None]
                    dish = [ctx.slot_name(meal.slot), ctx.dish_name(item.recipe_id)] if k == 0 \
                        else [None, None]
                    amounts = [grams[g][food_id] if item.portions.get(g, 0.0) > 0 else None
                               for g in groups]
                    st.write_row(ws, row, [*lead, *dish, ctx.ds.foods[food_id].name_es,
                                           *amounts], formats, top_rule=first_of_day)
                    first_of_day = False
                row += 1
                totals = [sum(grams[g].values()) if item.portions.get(g, 0.0) > 0 else None
                          for g in groups]
                st.write_row(ws, row, [None] * 4 + ["Total de la preparación", *totals],
                             formats, bold=True, fill=st.TOTAL_FILL)
    st.set_widths(ws, [10, 11, 17, 28, 26, *([14] * len(groups))])
    st.freeze_below(ws, head)
    st.setup_print(ws, landscape=True, header_text=ctx.header(), title_rows=(head, head),
                   footer_text=st.generated_on_es(ctx.generated))


def _label(nutrient: str) -> str:
    text = NUTRIENT_LABELS_ES.get(nutrient, nutrient)
    return text[:1].upper() + text[1:]


def _status(check: TargetCheck, ctx: _Ctx) -> str:
    if check.shortfall > 0 and not check.ok:
        text = f"No cumple: faltan {check.shortfall:,.1f}"
    elif check.excess > 0 and not check.ok:
        text = f"No cumple: sobran {check.excess:,.1f}"
    else:
        text = "Cumple"
    if check.unknown_foods:
        names = ", ".join(sorted(ctx.ds.foods[f].name_es for f in check.unknown_foods))
        text += f" (sin dato de: {names})"
    return text


def _share(value: float, low: float | None, high: float | None) -> float | None:
    base = low if low else high
    return value / base if base else None


def _cost_row(totals: Totals, ctx: _Ctx) -> tuple[list[Any], bool]:
    cost, budget = totals[COST], ctx.cycle.daily_budget_q
    over = cost > budget * (1 + 1e-9)
    status = f"Sobre el presupuesto por Q{cost - budget:,.2f}" if over else "Dentro del presupuesto"
    return ["Costo (Q)", cost, None, budget, _share(cost, None, budget), status], not over


def _adequacy_rows(totals: Totals, targets: list[Target], ctx: _Ctx) -> list[tuple[list[Any],
                                                                                  bool, bool]]:
    """(cells from "Concepto" on, passes, is_cost) for the cost and each target."""
    cost_cells, ok = _cost_row(totals, ctx)
    out = [(cost_cells, ok, True)]
    for t in targets:
        chk = check_target(totals, t)
        out.append(([_label(t.nutrient), chk.value, t.min, t.max,
                     _share(chk.value, t.min, t.max), _status(chk, ctx)], chk.ok, False))
    return out


def _adequacy(ws: Worksheet, ctx: _Ctx) -> None:
    row = st.write_title(ws, "Costo y adecuación nutricional por persona",
                         "Por día y grupo de edad: costo frente al presupuesto y cada meta "
                         "diaria; al final de cada semana, el promedio frente a las metas "
                         "semanales. % de la meta = valor / mínimo (o / máximo si no hay mínimo).")
    head = row
    st.write_header_row(ws, head, ADEQUACY_HEADERS)
    prog = ctx.cycle.program
    for week in range(1, ctx.cycle.weeks + 1):
        days = [d for d in ctx.days() if d.week == week]
        for day in days:
            for g in ctx.cycle.age_groups:
                targets = [t for t in ctx.ds.targets_of(prog, g) if t.basis == "day"]
                rows = _adequacy_rows(ctx.totals[(week, day.weekday, g)], targets, ctx)
                row = _write_block(ws, row, [f"Semana {week}", weekday_es(day.weekday),
                                             ctx.group_name(g)], rows, bold=False)
        for g in ctx.cycle.age_groups if days else ():
            targets = [t for t in ctx.ds.targets_of(prog, g) if t.basis == "week"]
            avg = average(ctx.totals[(week, d.weekday, g)] for d in days)
            rows = _adequacy_rows(avg, targets, ctx)
            row = _write_block(ws, row, [f"Semana {week}", "Promedio semanal",
                                         ctx.group_name(g)], rows, bold=True)
    st.set_widths(ws, [10, 16, 16, 22, 11, 10, 10, 10, 34])
    st.freeze_below(ws, head)
    st.setup_print(ws, landscape=False, header_text=ctx.header(), title_rows=(head, head),
                   footer_text=st.generated_on_es(ctx.generated))


def _write_block(ws: Worksheet, row: int, lead: list[Any],
                 rows: list[tuple[list[Any], bool, bool]], *, bold: bool) -> int:
    for k, (cells, ok, is_cost) in enumerate(rows):
        row += 1
        money = st.QUETZALES if is_cost else st.DECIMAL_1
        fmts = [None, None, None, None, money, money, money, st.PERCENT, None]
        st.write_row(ws, row, [*(lead if k == 0 else [None] * 3), *cells], fmts, bold=bold,
                     fill=st.TOTAL_FILL if bold else None, top_rule=k == 0)
        if not ok:
            for col in (5, 9):
                ws.cell(row=row, column=col).fill = st.FAIL_FILL
    return row


def _quality(ws: Worksheet, ctx: _Ctx, report: QualityReport) -> None:
    row = st.write_title(ws, "Calidad del menú: lo que revisa la nutricionista antes de "
                             "firmar", report.headline_es())
    head = row
    st.write_header_row(ws, head, QUALITY_HEADERS)
    group = None
    for r in report.results:
        row += 1
        first = r.age_group_es != group
        group = r.age_group_es
        st.write_row(ws, row, [group if first else None, r.title_es, r.verdict_es,
                               r.summary_es, "\n".join(r.details_es) or None, r.source],
                     top_rule=first)
        if not r.passed:
            ws.cell(row=row, column=3).fill = st.FAIL_FILL
        chars = max([len(r.title_es) // 30, len(r.summary_es) // 36,
                     *(1 + len(d) // 60 for d in r.details_es), 0])
        st.fit_row_height(ws, row, max(1, chars + len(r.details_es)))
    st.set_widths(ws, [14, 32, 11, 38, 64, 30])
    st.freeze_below(ws, head)
    st.setup_print(ws, landscape=True, header_text=ctx.header(), title_rows=(head, head),
                   footer_text=st.generated_on_es(ctx.generated))


def solver_facts(extra: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(Spanish label, value) of the solver facts found in a cycle's `extra`."""
    found: dict[str, Any] = {}
    sources = [extra, *(extra[k] for k in SOLVER_KEYS if isinstance(extra.get(k), Mapping))]
    for src in sources:
        for key, value in src.items():
            label = SOLVER_LABELS_ES.get(key)
            if key == "objective" and not isinstance(value, str):  # older files: its value
                label = SOLVER_LABELS_ES["objective_value"]
            if label and isinstance(value, str | int | float) and label not in found:
                words = SOLVER_WORDS_ES.get(key)
                found[label] = words(value) if words and isinstance(value, str) else value
    return list(found.items())


def _summary(ws: Worksheet, ctx: _Ctx) -> None:
    c = ctx.cycle
    st.write_title(ws, "Resumen del ciclo de menú", ctx.program_name)
    row = st.write_pairs(ws, 4, [
        ("Programa", ctx.program_name, None),
        ("Semanas del ciclo", c.weeks, st.INTEGER),
        ("Días de servicio por semana", c.service_days_per_week, st.INTEGER),
        ("Presupuesto diario por persona", c.daily_budget_q, st.QUETZALES),
        ("Región de precios", c.price_region, None),
        ("Grupos de edad", ", ".join(ctx.group_name(g) for g in c.age_groups), None),
        ("Fecha de generación", ctx.generated, st.DATE_ES),
    ])
    facts = solver_facts(c.extra)
    if facts:
        st.put(ws, row + 1, 1, "Optimizador").font = st.TITLE_FONT
        row = st.write_pairs(ws, row + 2, [(k, v, None) for k, v in facts])
    row += 1
    st.put(ws, row, 1, "Costo promedio por persona y día").font = st.TITLE_FONT
    st.write_header_row(ws, row + 1, ["Grupo de edad", "Costo promedio", "% del presupuesto",
                                      "Días sobre el presupuesto",
                                      "Días con metas diarias no cumplidas"])
    row += 1
    for g in c.age_groups:
        day_totals_g = [ctx.totals[(d.week, d.weekday, g)] for d in c.days]
        avg = average(day_totals_g)[COST] if day_totals_g else 0.0
        over = sum(1 for t in day_totals_g if t[COST] > c.daily_budget_q * (1 + 1e-9))
        daily = [t for t in ctx.ds.targets_of(c.program, g) if t.basis == "day"]
        failing = sum(1 for tot in day_totals_g
                      if any(not check_target(tot, t).ok for t in daily))
        row += 1
        st.write_row(ws, row, [ctx.group_name(g), avg, _share(avg, None, c.daily_budget_q),
                               over, failing],
                     [None, st.QUETZALES, st.PERCENT, st.INTEGER, st.INTEGER])
    row += 2
    st.put(ws, row, 1, "Metas nutricionales por persona").font = st.TITLE_FONT
    st.write_header_row(ws, row + 1, ["Grupo de edad", "Nutriente", "Mínimo", "Máximo", "Base"])
    row += 1
    for g in c.age_groups:
        for t in ctx.ds.targets_of(c.program, g):
            row += 1
            st.write_row(ws, row, [ctx.group_name(g), _label(t.nutrient), t.min, t.max,
                                   BASIS_ES.get(t.basis, t.basis)],
                         [None, None, st.DECIMAL_1, st.DECIMAL_1, None])
    st.set_widths(ws, [30, 26, 16, 16, 18])
    st.setup_print(ws, landscape=False, header_text=ctx.header(), title_rows=None,
                   footer_text=st.generated_on_es(ctx.generated))
