"""`menu-planner caja-chica` (the month's petty cash per center) and `menu-planner
liquidacion` (settling it against receipts). Nothing is written when an input is wrong."""

from __future__ import annotations

import csv
import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from menu_planner.cli import app
from menu_planner.cli._files import write_atomic
from menu_planner.domain import DataError, MenuCycle, Problem, cycle_from_dict
from menu_planner.export.safe_cells import csv_rows
from menu_planner.procurement.caja_formats import (
    caja_csv_rows,
    caja_to_dict,
    settlement_csv_rows,
    settlement_to_dict,
)
from menu_planner.procurement.caja_month import caja_chica_month, settlement_month
from menu_planner.procurement.calendar import Month
from menu_planner.procurement.finance import CajaChicaReport
from menu_planner.procurement.settlement import Settlement

OPTIONS = "opciones"


class Format(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


OutOpt = Annotated[Path, typer.Option("--out", help="Archivo de salida.")]
MonthOpt = Annotated[str, typer.Option("--month", help="Mes, AAAA-MM (p. ej. 2026-04).")]
FormatOpt = Annotated[Format, typer.Option("--format", help="json, csv o xlsx.")]
DataOpt = Annotated[Path | None, typer.Option(
    "--data", help="Directorio de datos con la estructura de data/ (por defecto, los "
                   "datos incluidos).")]
AssignedHelp = "Montos asignados: center_id, month, assigned_q."


@app.command("caja-chica")
def caja_chica(
    centers: Annotated[Path, typer.Option("--centers", help="Archivo centers.csv.")],
    month: MonthOpt,
    out: OutOpt,
    fmt: FormatOpt = Format.json,
    cycle: Annotated[Path | None, typer.Option(
        "--cycle", help="Ciclo de menú (JSON): calcula el gasto planificado en alimentos.")]
    = None,
    data: DataOpt = None,
    rules: Annotated[Path | None, typer.Option(
        "--rules", help="Reglas de asignación de HC/CADI (por defecto, las de 2024).")] = None,
    mad_settings: Annotated[Path | None, typer.Option(
        "--mad-settings", help="Asignaciones de Mis Años Dorados (por defecto, "
                               "data/procurement/mad_settings.csv).")] = None,
    assigned: Annotated[Path | None, typer.Option("--assigned", help=AssignedHelp)] = None,
    previous: Annotated[Path | None, typer.Option(
        "--previous", help="centers.csv del mes anterior: señala cambios de inscripción.")]
    = None,
    closures: Annotated[Path | None, typer.Option(
        "--closures", help="Cierres de centros: center_id, date, reason.")] = None,
    start_date: Annotated[str | None, typer.Option(
        "--start-date", help="Fecha cuya semana es la semana 1 del ciclo (AAAA-MM-DD).")]
    = None,
    half_days_off: Annotated[bool, typer.Option(
        "--half-days-off", help="No contar 24 y 31 de diciembre (medio día de asueto).")]
    = False,
) -> None:
    """Caja chica mensual por centro: alimentos, asignaciones, totales y revisiones."""
    try:
        problems: list[Problem] = []
        the_month = _month(month, problems)
        start = _date(start_date, "--start-date", problems)
        _check_out(out, problems)
        if problems or the_month is None:
            raise DataError(problems)
        menu = _read_cycle(cycle) if cycle is not None else None
        report = caja_chica_month(
            centers, the_month, data_dir=data, cycle=menu, rules_path=rules,
            mad_settings_path=mad_settings, assigned_path=assigned, previous_path=previous,
            closures_path=closures, start_date=start, half_days_off=half_days_off)
        _write_caja(report, fmt, out)
    except DataError as exc:
        typer.echo(exc.report(), err=True)
        raise typer.Exit(1) from exc
    n = report.national
    typer.echo(f"Caja chica {report.month}: {n.centers} centros, {n.enrolled} inscritos, "
               f"total Q{n.total / 100:,.2f}; {n.flagged_centers} centro(s) con "
               f"observaciones: {out}")


@app.command("liquidacion")
def liquidacion(
    receipts: Annotated[Path, typer.Option(
        "--receipts", help="Comprobantes: center_id, month, date, receipt_no, supplier, "
                           "amount_q, concept.")],
    assigned: Annotated[Path, typer.Option("--assigned", help=AssignedHelp)],
    month: MonthOpt,
    out: OutOpt,
    fmt: FormatOpt = Format.json,
    centers: Annotated[Path | None, typer.Option(
        "--centers", help="centers.csv (por defecto, los centros de demostración).")] = None,
    data: DataOpt = None,
) -> None:
    """Liquidación del mes: gasto comprobado, saldo a devolver y observaciones."""
    try:
        problems: list[Problem] = []
        the_month = _month(month, problems)
        _check_out(out, problems)
        if problems or the_month is None:
            raise DataError(problems)
        result = settlement_month(receipts, assigned, the_month, centers_path=centers,
                                  data_dir=data)
        _write_settlement(result, fmt, out)
    except DataError as exc:
        typer.echo(exc.report(), err=True)
        raise typer.Exit(1) from exc
    n = result.national
    typer.echo(f"Liquidación {result.month}: {n.centers} centros, gastado "
               f"Q{n.spent / 100:,.2f}, a devolver Q{n.to_return / 100:,.2f}, sobregiro "
               f"Q{n.over / 100:,.2f}: {out}")


def _month(text: str, problems: list[Problem]) -> Month | None:
    try:
        return Month.parse(text)
    except ValueError as exc:
        problems.append(Problem(OPTIONS, None, "--month", str(exc)))
        return None


def _date(text: str | None, option: str, problems: list[Problem]) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(Problem(OPTIONS, None, option, f"'{text}' no es una fecha AAAA-MM-DD"))
        return None


def _check_out(out: Path, problems: list[Problem]) -> None:
    if not out.parent.is_dir():
        problems.append(Problem(str(out), None, None,
                                "no existe la carpeta donde se escribiría el archivo"))


def _read_cycle(path: Path) -> MenuCycle:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError([Problem(path.name, None, None, "falta el archivo")]) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError([Problem(path.name, None, None,
                                 f"no es un JSON válido ({exc})")]) from None
    return cycle_from_dict(doc, source=path.name)


def _write_json(doc: dict[str, Any], out: Path) -> None:
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    write_atomic(out, lambda p: p.write_text(text, encoding="utf-8"))


def _write_csv(rows: list[list[str]], out: Path) -> None:
    def write(p: Path) -> None:
        with p.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(csv_rows(rows))

    write_atomic(out, write)


def _write_caja(report: CajaChicaReport, fmt: Format, out: Path) -> None:
    if fmt is Format.json:
        _write_json(caja_to_dict(report), out)
    elif fmt is Format.csv:
        _write_csv(caja_csv_rows(report), out)
    else:
        from menu_planner.export.caja_xlsx import write_caja_xlsx

        write_atomic(out, lambda p: write_caja_xlsx(report, p))


def _write_settlement(result: Settlement, fmt: Format, out: Path) -> None:
    if fmt is Format.json:
        _write_json(settlement_to_dict(result), out)
    elif fmt is Format.csv:
        _write_csv(settlement_csv_rows(result), out)
    else:
        from menu_planner.export.liquidacion_xlsx import write_settlement_xlsx

        write_atomic(out, lambda p: write_settlement_xlsx(result, p))
