"""`menu-planner plan`: build a menu cycle and write it as JSON (and optionally xlsx).

Exit codes: 0 a cycle meeting every target and rule was written (the gap says how close
to the proven lower bound it is); 1 problems in the data, the rules file or the options;
2 no cycle meets every target and rule: a Spanish diagnosis is printed (and written as
JSON with --out); also when the cycle built fails its own check (status "unverified", an
optimizer bug): the cycle is then written with --out for inspection.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from menu_planner.cli import app
from menu_planner.cli._files import write_atomic
from menu_planner.domain import NATIONAL, DataError, cycle_to_dict
from menu_planner.optimizer import (
    Exclusion,
    Pin,
    PlanRequest,
    PlanResult,
    load_variety_rules,
    plan_cycle,
    read_variety_rules,
)
from menu_planner.quality import checked_standard, quality_of
from menu_planner.quality.report import with_quality
from menu_planner.quality.standard import NO_QUALITY_RULES
from menu_planner.reference_data import load_dataset
from menu_planner.spanish import SOLVER_STATUS_ES

EXIT_DATA = 1
EXIT_INFEASIBLE = 2
REPORT_FORMAT = "menu_planner.plan_report/1"


def parse_pin(text: str) -> Pin:
    """'receta:semana:día:tiempo' -> Pin; ValueError with a Spanish message."""
    parts = text.split(":")
    if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit():
        raise ValueError(f"--pin '{text}': use RECETA:SEMANA:DÍA:TIEMPO "
                         "(p. ej. pollo_guisado:2:3:almuerzo)")
    return Pin(parts[0], int(parts[1]), int(parts[2]), parts[3])


def parse_exclusion(text: str) -> Exclusion:
    """'receta' or 'receta:1-3' or 'receta:1,4' -> Exclusion."""
    rid, _, weeks = text.partition(":")
    if not weeks:
        return Exclusion(rid)
    out: list[int] = []
    try:
        for part in weeks.split(","):
            a, _, b = part.partition("-")
            out += list(range(int(a), int(b or a) + 1))
    except ValueError as exc:
        raise ValueError(f"--exclude '{text}': use RECETA o RECETA:SEMANAS "
                         "(p. ej. mango:1-3 o mango:1,4)") from exc
    return Exclusion(rid, tuple(sorted(set(out))))


def _summary(result: PlanResult) -> list[str]:
    status_es = SOLVER_STATUS_ES
    lines = [f"Estado: {status_es.get(result.status, result.status)}"]
    if result.cost_q is not None:
        gap = "" if result.gap is None else f", brecha {result.gap:.2%}"
        if result.objective == "variety":  # the objective is a score, not quetzales
            lines.append(f"Costo medio: Q{result.cost_q:.2f} por persona por día; puntaje de "
                         f"aceptación y variedad {-(result.objective_value or 0):.2f} por día "
                         f"(cota superior {-(result.lower_bound or 0):.2f}{gap}); "
                         f"{result.solve_seconds:.1f} s.")
        else:
            lines.append(f"Costo medio: Q{result.cost_q:.2f} por persona por día (cota "
                         f"inferior Q{result.lower_bound or 0:.2f}{gap}); "
                         f"{result.solve_seconds:.1f} s.")
    if result.target_prices:
        lines.append("Precio de las metas que más cuestan:")
        lines += [f"- {p.message_es}" for p in result.target_prices]
    lines += [f"Aviso: {w}" for w in result.warnings_es]
    return lines


def _write_json(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))


UNKNOWN_MAX: dict[str, Literal["estimate", "forbid", "allow"]] = {
    "estimar": "estimate", "excluir": "forbid", "permitir": "allow"}


@app.command("plan")
def plan(
    program: Annotated[str, typer.Option("--program", help="Programa: cadi o mad.")],
    out: Annotated[Path | None, typer.Option("--out", help="Archivo JSON del ciclo.")] = None,
    weeks: Annotated[int, typer.Option("--weeks", help="Semanas del ciclo.")] = 6,
    department: Annotated[str, typer.Option(
        "--department", help="Precios de un departamento, 'Nacional' o 'all' (el "
                             "presupuesto se cumple con los precios de todas las regiones).")
    ] = NATIONAL,
    budget: Annotated[float | None, typer.Option(
        "--budget", help="Presupuesto diario por persona en Q (por defecto el del "
                         "programa).")] = None,
    objective: Annotated[str, typer.Option(
        "--objective", help="cost (menor costo) o variety (aceptación y variedad dentro "
                            "del presupuesto).")] = "cost",
    time_limit: Annotated[float, typer.Option("--time-limit", help="Segundos.")] = 60.0,
    gap: Annotated[float, typer.Option(
        "--gap", help="Brecha relativa a la cota inferior a la que se detiene.")] = 0.01,
    pin: Annotated[list[str] | None, typer.Option(
        "--pin", help="RECETA:SEMANA:DÍA:TIEMPO, se puede repetir.")] = None,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", help="RECETA o RECETA:SEMANAS (1-3 o 1,4), se puede repetir.")] = None,
    data: Annotated[Path | None, typer.Option(
        "--data", help="Directorio de datos con la estructura de data/.")] = None,
    rules: Annotated[Path | None, typer.Option(
        "--rules", help="Archivo de reglas de variedad (por defecto "
                        "DATA/menus/variety_rules.csv o las reglas por defecto).")] = None,
    unknown_max: Annotated[str, typer.Option(
        "--unknown-max", help="Platos con un valor desconocido (ND) de un nutriente con "
                              "meta máxima: estimar (el valor más alto conocido de su "
                              "grupo), excluir o permitir (contar 0).")] = "estimar",
    threads: Annotated[int, typer.Option("--threads", help="Hilos de trabajo.")] = 2,
    keep_quality: Annotated[bool, typer.Option(
        "--quality/--no-quality",
        help="Cumplir las reglas de calidad del menú (DATA/menus/quality_rules.csv) al "
             "armar el ciclo (por defecto); con --no-quality solo se revisan al final.")
    ] = True,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Además, el ciclo en Excel.")
                    ] = None,
) -> None:
    """Arma un ciclo de menús que cumple todas las metas al menor costo (o con la mejor
    aceptación y variedad dentro del presupuesto)."""
    try:
        dataset = load_dataset(data)
        standard = checked_standard(dataset, data)  # the nutritionist's check, below
        variety = read_variety_rules(rules) if rules else load_variety_rules(data)
        request = PlanRequest(
            program=program, weeks=weeks, department=department, budget_q=budget,
            objective="variety" if objective == "variety" else "cost",
            time_limit_s=time_limit, gap=gap,
            pins=tuple(parse_pin(p) for p in pin or ()),
            exclusions=tuple(parse_exclusion(e) for e in exclude or ()), rules=variety,
            quality=standard if keep_quality else NO_QUALITY_RULES,
            unknown_max=UNKNOWN_MAX.get(unknown_max, "estimate"), threads=threads)
        if objective not in ("cost", "variety") or unknown_max not in UNKNOWN_MAX:
            raise ValueError("--objective debe ser cost o variety; --unknown-max, estimar, "
                             "excluir o permitir.")
        result = plan_cycle(dataset, request)
    except DataError as exc:
        typer.echo(exc.report(), err=True)
        raise typer.Exit(EXIT_DATA) from exc
    except ValueError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(EXIT_DATA) from exc
    if result.cycle is None:
        lines = list(result.diagnosis.lines_es) if result.diagnosis else []
        typer.echo("\n".join(_summary(result) + lines), err=True)
        if out is not None:
            _write_json(out, {"format": REPORT_FORMAT, "program": program,
                              **result.report_dict()})
        raise typer.Exit(EXIT_INFEASIBLE)
    quality = quality_of(result.cycle, dataset, data, standard)
    if out is not None:
        _write_json(out, with_quality(cycle_to_dict(result.cycle), quality))
    if result.status == "unverified":  # written for inspection, but not a valid cycle
        typer.echo("\n".join(_summary(result)), err=True)
        raise typer.Exit(EXIT_INFEASIBLE)
    if xlsx is not None:
        from menu_planner.export.cycle_xlsx import write_cycle_xlsx

        cycle = result.cycle
        write_atomic(xlsx, lambda p: write_cycle_xlsx(cycle, dataset, p, data_dir=data))
    typer.echo("\n".join([*_summary(result), f"Calidad del menú: {quality.headline_es()}"]))
    for path in (out, xlsx):
        if path is not None:
            typer.echo(f"Escrito: {path}")
