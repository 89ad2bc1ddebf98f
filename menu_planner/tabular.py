"""Reading CSV tables with line-level validation. Every problem is collected, none raised
early, so a person sees the whole list at once. Messages are in Spanish."""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from menu_planner.domain.problems import Problem

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """How one column is read and checked.

    kind: "str", "float", "int", "date", "list" (`;`-separated) or "bool" (1/0, si/no).
    A blank cell is allowed only when `required` is False; it then reads as `default`.
    `unknown` names a spelling that reads as None (e.g. "ND" for an unknown nutrient).
    """

    name: str
    kind: str = "str"
    required: bool = True
    default: Any = None
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    choices: tuple[str, ...] | None = None
    unknown: str | None = None


_TRUE = {"1", "si", "sí", "true", "verdadero", "x", "yes"}
_FALSE = {"0", "no", "false", "falso"}


def parse_number(text: str) -> float:
    """A decimal number written with a point; ValueError on anything else (including NaN)."""
    value = float(text.strip())
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _parse(col: Column, text: str) -> tuple[Any, str | None]:
    """The parsed value of a non-blank cell and an error message (None when it is valid)."""
    if col.unknown is not None and text.upper() == col.unknown.upper():
        return None, None
    try:
        if col.kind == "float":
            value: Any = parse_number(text)
        elif col.kind == "int":
            num = parse_number(text)
            if num != int(num):
                return None, f"'{text}' no es un número entero"
            value = int(num)
        elif col.kind == "date":
            value = date.fromisoformat(text)
        elif col.kind == "list":
            value = tuple(p.strip() for p in text.split(";") if p.strip())
        elif col.kind == "bool":
            low = text.lower()
            if low not in _TRUE | _FALSE:
                return None, f"'{text}' no es sí/no (use 1 o 0)"
            value = low in _TRUE
        else:
            value = text
    except ValueError:
        expected = {"float": "un número (con punto decimal)", "int": "un número entero",
                    "date": "una fecha AAAA-MM-DD"}.get(col.kind, "un valor válido")
        return None, f"'{text}' no es {expected}"
    return value, _check_range(col, value)


def _check_range(col: Column, value: Any) -> str | None:
    if col.choices is not None and value not in col.choices:
        shown = ", ".join(col.choices[:8]) + ("..." if len(col.choices) > 8 else "")
        return f"'{value}' no es un valor permitido ({shown})"
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    if col.min is not None and (value <= col.min if col.min_exclusive else value < col.min):
        sign = ">" if col.min_exclusive else ">="
        return f"el valor {value:g} debe ser {sign} {col.min:g}"
    if col.max is not None and value > col.max:
        return f"el valor {value:g} debe ser <= {col.max:g}"
    return None


def read_table(
    path: Path, columns: Iterable[Column], label: str | None = None
) -> tuple[list[Row], list[Problem]]:
    """Rows of a CSV file parsed by `columns`, and every problem found.

    Each row also carries `_line` (its line number, the header being line 1) and every
    extra column as text. A missing file or missing required column is one problem.
    """
    name = label or path.name
    cols = list(columns)
    problems: list[Problem] = []
    if not path.is_file():
        return [], [Problem(name, None, None, "falta el archivo")]
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            reader.fieldnames = header
            missing = [c.name for c in cols if c.required and c.name not in header]
            for m in missing:
                problems.append(Problem(name, 1, m, "falta la columna en el encabezado"))
            if missing:
                return [], problems
            rows = [_read_row(name, cols, raw, reader.line_num, problems) for raw in reader]
    except UnicodeDecodeError:
        return [], [Problem(name, None, None, "el archivo no está en UTF-8")]
    except csv.Error as exc:
        return [], [Problem(name, None, None, f"CSV mal formado: {exc}")]
    return [r for r in rows if r is not None], problems


def _read_row(
    name: str, cols: list[Column], raw: dict[str | None, Any], line: int, problems: list[Problem]
) -> Row | None:
    if None in raw:
        problems.append(Problem(name, line, None, "la fila tiene más celdas que el encabezado"))
    cells = {k: (v or "").strip() for k, v in raw.items() if isinstance(k, str)}
    if not any(cells.values()):
        return None  # blank line
    row: Row = dict(cells)
    row["_line"] = line
    ok = True
    for col in cols:
        text = cells.get(col.name, "")
        if text == "":
            if col.required:
                problems.append(Problem(name, line, col.name, "celda vacía"))
                ok = False
            row[col.name] = col.default
            continue
        value, err = _parse(col, text)
        if err:
            problems.append(Problem(name, line, col.name, err))
            ok = False
        row[col.name] = value
    return row if ok else None


def check_unique(
    rows: list[Row], key: Callable[[Row], Any], name: str, column: str, what: str
) -> list[Problem]:
    """A problem for every row whose key repeats an earlier row's."""
    seen: dict[Any, int] = {}
    out: list[Problem] = []
    for r in rows:
        k = key(r)
        if k in seen:
            out.append(Problem(name, r["_line"], column,
                               f"{what} repetido {k!r} (ya aparece en la línea {seen[k]})"))
        else:
            seen[k] = r["_line"]
    return out
