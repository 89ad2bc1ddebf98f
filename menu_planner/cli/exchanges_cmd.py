"""`menu-planner intercambios`, `purchases-sustituir` and `variante`: exchange lists, purchase
lists with unavailable foods replaced (and subgroups' extra needs), special-case variants.
See docs/exchanges.md."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from menu_planner.centers import load_centers
from menu_planner.cli import app
from menu_planner.cli._files import write_atomic
from menu_planner.domain import DEPARTMENTS, NATIONAL, DataError, MenuCycle, Problem
from menu_planner.domain import cycle_from_dict as _cycle_from_dict
from menu_planner.reference_data import load_dataset
from menu_planner.spanish import weekday_name

EXIT_NEEDS_ACCEPT = 3


class ListFormat(StrEnum):
    json = "json"
    xlsx = "xlsx"
    html = "html"


class PurchaseFormat(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


DataOpt = Annotated[Path | None, typer.Option("--data", help="Directorio de datos con la "
                                                             "estructura de data/.")]
CycleOpt = Annotated[Path, typer.Option("--cycle", help="Ciclo de menú (JSON de 'plan').")]
DeptOpt = Annotated[str | None, typer.Option("--department", help="Departamento cuyos precios "
                                                                  "se usan (o Nacional).")]


@app.command("intercambios")
def intercambios(
    cycle: CycleOpt,
    out: Annotated[Path, typer.Option("--out", help="Archivo de salida.")],
    fmt: Annotated[ListFormat, typer.Option("--format", help="json, xlsx o html.")]
    = ListFormat.json,
    department: DeptOpt = None,
    data: DataOpt = None,
    max_options: Annotated[int, typer.Option("--max-options", min=1,
                                             help="Opciones por alimento en xlsx/html.")] = 5,
) -> None:
    """Lista de intercambio del ciclo: qué alimento puede reemplazar a cuál y en qué cantidad."""
    from menu_planner.exchanges.formats import exchange_list_to_dict
    from menu_planner.exchanges.lists import build_exchange_list

    try:
        _check_out(out)
        dataset = load_dataset(data)
        menu = read_cycle(cycle)
        xl = build_exchange_list(dataset, menu, region=_region(department, menu),
                                 data_dir=data)
        if fmt is ListFormat.json:
            text = json.dumps(exchange_list_to_dict(xl), ensure_ascii=False, indent=1) + "\n"
            write_atomic(out, lambda p: p.write_text(text, encoding="utf-8"))
        elif fmt is ListFormat.xlsx:
            from menu_planner.export.exchanges_xlsx import write_exchanges_xlsx

            write_atomic(out, lambda p: write_exchanges_xlsx(xl, p, max_options=max_options))
        else:
            from menu_planner.export.exchanges_html import render_exchanges_html

            page = render_exchanges_html(xl, max_options=max_options, generated=date.today())
            write_atomic(out, lambda p: p.write_text(page, encoding="utf-8"))
    except DataError as exc:
        _fail(exc)
    with_options = sum(1 for e in xl.entries if e.options)
    typer.echo(f"Lista de intercambio: {len(xl.entries)} alimento(s), {with_options} con "
               f"reemplazo: {out}")


@app.command("purchases-sustituir")
def purchases_sustituir(
    cycle: CycleOpt,
    centers: Annotated[Path, typer.Option("--centers", help="Archivo centers.csv.")],
    week: Annotated[int, typer.Option("--week", help="Semana del ciclo (1, 2, ...).")],
    out: Annotated[Path, typer.Option("--out", help="Archivo de salida.")],
    unavailable: Annotated[str | None, typer.Option(
        "--unavailable", help="Alimentos que no hay o están muy caros: food_id[,food_id]")]
    = None,
    variant: Annotated[list[Path] | None, typer.Option(
        "--variant", help="Variante (JSON de 'variante'): suma lo que necesitan las personas "
                          "del subgrupo declaradas en centers.csv (special_<subgrupo>).")]
    = None,
    fmt: Annotated[PurchaseFormat, typer.Option("--format", help="json, csv o xlsx.")]
    = PurchaseFormat.json,
    center: Annotated[list[str] | None, typer.Option("--center", help="Solo este centro.")]
    = None,
    department: DeptOpt = None,
    data: DataOpt = None,
    accept: Annotated[bool, typer.Option(
        "--aceptar", help="Escribir la lista aunque el cambio incumpla metas o presupuesto.")]
    = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Fecha de los precios "
                                                              "(AAAA-MM-DD).")] = None,
) -> None:
    """Lista de compras de la semana con reemplazos de alimentos que no hay o están caros."""
    from menu_planner.cli._exchanges_io import purchase_outcome, write_purchases

    try:
        _check_out(out)
        foods = [f.strip() for f in (unavailable or "").split(",") if f.strip()]
        if not foods and not variant:
            raise DataError([Problem("opciones", None, "--unavailable",
                                     "indique --unavailable y/o --variant")])
        dataset = load_dataset(data)
        menu = read_cycle(cycle)
        all_centers = load_centers(centers, dataset, label=centers.name)
        chosen = _select(all_centers, center, centers.name)
        result, uses = purchase_outcome(
            dataset, menu, chosen, centers, week, foods, variant or [],
            region=_region(department, menu) if department else None, data=data,
            as_of=date.fromisoformat(as_of) if as_of else None)
    except (DataError, ValueError) as exc:
        _fail(exc if isinstance(exc, DataError) else DataError(
            [Problem("opciones", None, "--as-of", f"fecha inválida: {exc}")]))
    for s in result.substitutions:
        typer.echo(s.summary_es())
    for use in uses:
        people = sum(n for g in use.counts.values() for n in g.values())
        typer.echo(f"Variante '{use.subgroup}': {people} persona(s) en {len(use.counts)} "
                   "centro(s).")
    if result.breaks_something:
        typer.echo("El cambio incumple:")
        for b in result.day_breaches:
            typer.echo(f"- {b.message_es()}")
        for bb in result.budget_breaches:
            typer.echo(f"- presupuesto de la semana: {bb.message_es()}")
        if not accept:
            typer.echo("No se escribió la lista: revise y repita con --aceptar para aceptarla.",
                       err=True)
            raise typer.Exit(EXIT_NEEDS_ACCEPT)
    write_purchases(out, fmt.value, result, uses)
    typer.echo(f"Lista de compras con reemplazos: {out}")


@app.command("variante")
def variante(
    cycle: CycleOpt,
    subgroup: Annotated[str, typer.Option("--subgroup", help="bajo_peso, hipertension, "
                                                             "diabetes...")],
    out: Annotated[Path, typer.Option("--out", help="Archivo JSON de la variante.")],
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="También en Excel.")] = None,
    department: DeptOpt = None,
    data: DataOpt = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=1.0,
                                              help="Segundos por día como máximo.")] = 20.0,
) -> None:
    """Menú especial de un subgrupo, derivado de un ciclo aprobado con los menores cambios."""
    from menu_planner.variants.derive import derive_variant
    from menu_planner.variants.report import group_names, variant_to_dict

    try:
        _check_out(out)
        if xlsx is not None:
            _check_out(xlsx)
        dataset = load_dataset(data)
        menu = read_cycle(cycle)
        result = derive_variant(dataset, menu, subgroup, data_dir=data,
                                region=_region(department, menu), time_limit_s=time_limit)
        text = json.dumps(variant_to_dict(result, dataset), ensure_ascii=False, indent=1)
        write_atomic(out, lambda p: p.write_text(text + "\n", encoding="utf-8"))
        if xlsx is not None:
            from menu_planner.export.variant_xlsx import write_variant_xlsx

            write_atomic(xlsx, lambda p: write_variant_xlsx(result, dataset, p))
    except DataError as exc:
        _fail(exc)
    costs = result.cost_summary()
    groups = group_names(result, dataset)
    typer.echo(f"Menú especial de {result.special.name_es}: {result.reused_share:.1%} de los "
               f"platos del ciclo se conservan; {result.swaps} plato(s) agregado(s), "
               "quitado(s) o cambiado(s).")
    for g, c in costs.items():
        typer.echo(f"  {groups.get(g, g)}: Q{c['base_q']:.2f} → Q{c['variant_q']:.2f} por "
                   f"persona por día ({c['difference_q']:+.2f})")
    for m in [*result.week_misses, *(f"semana {d.week}, {weekday_name(d.weekday)}: {m}"
                                     for d in result.days for m in d.misses)]:
        typer.echo(f"  no cumple: {m}")
    typer.echo(f"Variante escrita: {out}")


def read_cycle(path: Path) -> MenuCycle:
    """A cycle (or variant) file; DataError when missing or not valid JSON."""
    return _cycle_from_dict(read_json(path), source=path.name)


def read_json(path: Path) -> Any:
    """The JSON in `path`; DataError (Spanish) when missing or invalid."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError([Problem(path.name, None, None, "falta el archivo")]) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError([Problem(path.name, None, None, f"no es un JSON válido ({exc})")]) \
            from exc


def _region(department: str | None, cycle: MenuCycle) -> str:
    if department is None:
        return cycle.price_region
    if department != NATIONAL and department not in DEPARTMENTS:
        raise DataError([Problem("opciones", None, "--department",
                                 f"departamento desconocido '{department}'")])
    return department


def _select(centers: Sequence[Any], only: list[str] | None, label: str) -> list[Any]:
    if not only:
        return list(centers)
    known = {c.center_id for c in centers}
    missing = [c for c in only if c not in known]
    if missing:
        raise DataError([Problem(label, None, "center_id", f"el centro '{c}' no está en el "
                                                           "archivo") for c in missing])
    return [c for c in centers if c.center_id in only]


def _check_out(out: Path) -> None:
    if not out.parent.is_dir():
        raise DataError([Problem(str(out), None, None,
                                 "no existe la carpeta donde se escribiría el archivo")])


def _fail(exc: DataError) -> NoReturn:
    typer.echo(exc.report(), err=True)
    raise typer.Exit(1) from exc
