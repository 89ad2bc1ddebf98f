"""`menu-planner purchases`: weekly purchase lists per center (JSON, CSV or xlsx)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from menu_planner.centers import load_centers
from menu_planner.cli import app
from menu_planner.cli._files import write_atomic
from menu_planner.domain import Center, DataError, MenuCycle, Problem, cycle_from_dict
from menu_planner.export.safe_cells import csv_frame
from menu_planner.procurement import (
    PurchasePlan,
    WeekPurchases,
    load_attendance,
    load_purchase_settings,
    prepare_purchases,
)
from menu_planner.procurement.caja_files import load_closures
from menu_planner.procurement.caja_month import cycle_start
from menu_planner.procurement.calendar import Month, week_monday
from menu_planner.procurement.calendar_weeks import calendar_purchases, calendar_week
from menu_planner.procurement.formats import (
    PURCHASES_CYCLE_FORMAT,
    purchases_frame,
    purchases_to_dict,
)
from menu_planner.reference_data import load_dataset


class OutputFormat(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class UnitChoice(StrEnum):
    per_gram = "per_gram"
    week_cost = "week_cost"


@dataclass(frozen=True)
class CalendarOptions:
    """The calendar week asked for (`--week-start`) and how its service days are found."""

    week_start: str | None
    start_date: str | None
    closures: Path | None
    half_days_off: bool


@app.command("purchases")
def purchases(
    cycle: Annotated[Path, typer.Option("--cycle", help="Ciclo de menú (JSON de 'plan').")],
    centers: Annotated[Path, typer.Option("--centers", help="Archivo centers.csv.")],
    out: Annotated[Path, typer.Option("--out", help="Archivo de salida.")],
    week: Annotated[int | None, typer.Option("--week", help="Semana del ciclo (1, 2, ...).")]
    = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json, csv o xlsx.")]
    = OutputFormat.json,
    data: Annotated[Path | None, typer.Option(
        "--data", help="Directorio de datos con la estructura de data/.")] = None,
    all_weeks: Annotated[bool, typer.Option(
        "--all-weeks", help="Todas las semanas del ciclo, pasando los sobrantes.")] = False,
    attendance: Annotated[float | None, typer.Option(
        "--attendance", min=0.01, max=1.0,
        help="Asistencia esperada para centros sin columna attendance (p. ej. 0.9).")] = None,
    center: Annotated[list[str] | None, typer.Option(
        "--center", help="Solo este centro (se puede repetir).")] = None,
    weekdays: Annotated[str | None, typer.Option(
        "--weekdays", help="Días servidos esa semana, p. ej. 1,2,4,5 (por defecto todos).")]
    = None,
    carry_in: Annotated[Path | None, typer.Option(
        "--carry-in", help="Lista JSON de la semana anterior: sus sobrantes se descuentan.")]
    = None,
    week_start: Annotated[str | None, typer.Option(
        "--week-start", help="Lunes de la semana (AAAA-MM-DD): compra solo los días de "
                             "servicio del calendario (sin feriados), como la caja chica.")]
    = None,
    start_date: Annotated[str | None, typer.Option(
        "--start-date", help="Fecha cuya semana es la semana 1 del ciclo (AAAA-MM-DD), para "
                             "hallar la semana del ciclo de --week-start sin --week.")] = None,
    closures: Annotated[Path | None, typer.Option(
        "--closures", help="Cierres de centros (center_id, date, reason): días sin "
                           "servicio además de los feriados.")] = None,
    half_days_off: Annotated[bool, typer.Option(
        "--half-days-off", help="No servir el 24 ni el 31 de diciembre (medio día).")]
    = False,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Fecha de referencia para la antigüedad de los precios (hoy).")]
    = None,
    unit_choice: Annotated[UnitChoice | None, typer.Option(
        "--unit-choice", help="per_gram: la unidad más barata por gramo; week_cost: la que "
                              "cuesta menos esa semana (por defecto, la de los ajustes).")]
    = None,
) -> None:
    """Lista de compras semanal por centro: qué comprar, cuánto y cuánto cuesta."""
    try:
        overrides: dict[str, Any] = {}
        if attendance is not None:
            overrides["default_attendance"] = attendance
        if unit_choice is not None:
            overrides["unit_choice"] = unit_choice.value
        when = CalendarOptions(week_start, start_date, closures, half_days_off)
        weeks, rows = _compute(cycle, centers, week, data, all_weeks, overrides, center,
                               weekdays, carry_in, when, as_of)
        _write(out, fmt, weeks, rows)
    except DataError as exc:
        typer.echo(exc.report(), err=True)
        raise typer.Exit(1) from exc
    n = len(rows) if rows is not None else len(weeks[0].centers)
    typer.echo(f"Listas de compras de {n} centro(s), {len(weeks)} semana(s): {out}")


def _compute(
    cycle_path: Path, centers_path: Path, week: int | None, data: Path | None,
    all_weeks: bool, overrides: dict[str, Any], only: list[str] | None,
    weekdays: str | None, carry_path: Path | None, when: CalendarOptions,
    as_of: str | None,
) -> tuple[list[WeekPurchases], list[int] | None]:
    problems: list[Problem] = []
    if week is None and not all_weeks and when.week_start is None:
        problems.append(Problem("opciones", None, "--week", "indique --week N (semana del "
                                "ciclo), --week-start AAAA-MM-DD o --all-weeks"))
    days = _weekdays(weekdays, problems)
    start, ref = (_date(when.week_start, "--week-start", problems),
                  _date(as_of, "--as-of", problems))
    first = _date(when.start_date, "--start-date", problems)
    if problems:
        raise DataError(problems)
    dataset = load_dataset(data)
    settings = replace(load_purchase_settings(data), **overrides)
    menu = _read_cycle(cycle_path)
    center_list = load_centers(centers_path, dataset, label=centers_path.name)
    rates = load_attendance(centers_path, label=centers_path.name)
    carry = _read_carry(carry_path) if carry_path is not None else None
    plan = prepare_purchases(dataset, menu, center_list, attendance=rates, settings=settings,
                             as_of=ref, cycle_label=cycle_path.name,
                             centers_label=centers_path.name)
    numbers = sorted({d.week for d in menu.days}) if all_weeks else [week or 0]
    if start is None or days is not None:  # no calendar: the days given, or every day
        weeks = plan.weeks([(n, days) for n in numbers], carry, start)
    else:
        weeks = _calendar_weeks(plan, when, start, first, week, numbers, carry, center_list)
    return weeks, _selected_rows(weeks[0].centers, only, centers_path.name)


def _calendar_weeks(
    plan: PurchasePlan, when: CalendarOptions, monday: date, first: date | None,
    week: int | None, numbers: list[int], carry: Mapping[str, Mapping[str, float]] | None,
    centers: Sequence[Center],
) -> list[WeekPurchases]:
    """The lists of the calendar weeks from `monday` on (one per cycle week in
    `numbers`), each center buying for the days it serves by the service calendar."""
    monday = week_monday(monday)
    if week is not None:  # the week asked for is cycle week `week` (or numbers[0])
        start = monday - timedelta(weeks=(numbers[0] if len(numbers) > 1 else week) - 1)
    else:
        start = cycle_start(Month(monday.year, monday.month), plan.cycle, first)
    closed = (load_closures(when.closures, {c.center_id for c in centers},
                            when.closures.name) if when.closures else None)
    weeks = [calendar_week(plan.cycle, plan.centers, plan.dataset.programs,
                           monday + timedelta(weeks=i), start, closures=closed,
                           half_days_off=when.half_days_off)
             for i in range(len(numbers))]
    return calendar_purchases(plan, weeks, carry)


def _weekdays(text: str | None, problems: list[Problem]) -> list[int] | None:
    if text is None:
        return None
    try:
        days = [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        days = []
    if not days or any(d < 1 or d > 7 for d in days):
        problems.append(Problem("opciones", None, "--weekdays",
                                f"'{text}' no es una lista de días 1 a 7 separados por coma"))
    return days


def _date(text: str | None, option: str, problems: list[Problem]) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(Problem("opciones", None, option, f"'{text}' no es una fecha "
                                                          "AAAA-MM-DD"))
        return None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError([Problem(path.name, None, None, "falta el archivo")]) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError([Problem(path.name, None, None,
                                 f"no es un JSON válido ({exc})")]) from exc


def _read_cycle(path: Path) -> MenuCycle:
    return cycle_from_dict(_read_json(path), source=path.name)


def _read_carry(path: Path) -> dict[str, dict[str, float]]:
    """center_id -> food_id -> carried_out_grams of a previous purchases/1 file."""
    doc = _read_json(path)
    if not isinstance(doc, Mapping) or not isinstance(doc.get("centers"), list):
        raise DataError([Problem(path.name, None, "centers",
                                 "no es una lista de compras (menu_planner.purchases/1)")])
    out: dict[str, dict[str, float]] = {}
    for c in doc["centers"]:
        items = c.get("items", []) if isinstance(c, Mapping) else []
        out[str(c.get("center_id"))] = {
            str(i["food_id"]): float(i.get("carried_out_grams", 0.0))
            for i in items if isinstance(i, Mapping) and "food_id" in i
        }
    return out


def _selected_rows(
    centers: Sequence[Center], only: list[str] | None, label: str
) -> list[int] | None:
    if not only:
        return None
    index = {c.center_id: i for i, c in enumerate(centers)}
    missing = [cid for cid in only if cid not in index]
    if missing:
        raise DataError([Problem(label, None, "center_id",
                                 f"el centro '{cid}' no está en el archivo o no es del "
                                 "programa del ciclo") for cid in missing])
    return [index[cid] for cid in only]


def _write(
    out: Path, fmt: OutputFormat, weeks: list[WeekPurchases], rows: list[int] | None
) -> None:
    if not out.parent.is_dir():
        raise DataError([Problem(str(out), None, None,
                                 "no existe la carpeta donde se escribiría el archivo")])
    if fmt is OutputFormat.json:
        docs = [purchases_to_dict(w, rows) for w in weeks]
        doc: dict[str, Any] = (docs[0] if len(docs) == 1 else
                               {"format": PURCHASES_CYCLE_FORMAT, "weeks": docs})
        lines = sum(len(c["items"]) for d in docs for c in d["centers"])
        # Indented for a person reading a few lists; compact (and 5x faster) for many.
        text = json.dumps(doc, ensure_ascii=False, indent=1 if lines <= 5000 else None) + "\n"
        write_atomic(out, lambda p: p.write_text(text, encoding="utf-8"))
    elif fmt is OutputFormat.csv:
        import pandas as pd

        frame = pd.concat([purchases_frame(w, rows) for w in weeks], ignore_index=True)
        write_atomic(out, lambda p: csv_frame(frame).to_csv(p, index=False, encoding="utf-8"))
    else:
        from menu_planner.export.purchases_xlsx import write_purchases_xlsx

        write_atomic(out, lambda p: write_purchases_xlsx(weeks, p, rows))

