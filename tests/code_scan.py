"""Finds what a person should never read: internal codes (snake_case identifiers, program
and status codes), ISO dates and big numbers without thousands separators, in the text
of a page, a workbook or a CSV file."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterable

from openpyxl import load_workbook

# snake_case identifiers (bajo_peso, gap_reached, cereales_harinas_y_granos...)
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
# codes of programs, cycle and job statuses, optimizer status and objective
CODES = re.compile(r"\b(cadi|mad|draft|approved|superseded|queued|running|succeeded|failed"
                   r"|optimal|feasible|infeasible|time_limit|cost|variety)\b")
AGE_GROUP = re.compile(r"\b\d{1,2}-\d{1,2}[my]\b|\b\d{2}\+")  # 4-6y, 6-11m, 60+
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# 16414 instead of 16,414 (five digits or more, not part of a code, date or amount)
BARE_NUMBER = re.compile(r"(?<![\d.,/:\-\w])\d{5,}(?![\d.,/\-\w])")
PATTERNS = {"código": SNAKE, "código de programa o estado": CODES,
            "código de grupo de edad": AGE_GROUP, "fecha ISO": ISO_DATE,
            "número sin separador de miles": BARE_NUMBER}


def leaks(text: str, where: str) -> list[str]:
    """'where: kind «match» in «context»' for every leak found in `text`."""
    out = []
    for kind, pattern in PATTERNS.items():
        for m in pattern.finditer(text):
            context = text[max(0, m.start() - 50):m.end() + 30].replace("\n", " ")
            out.append(f"{where}: {kind} «{m.group(0)}» en «{context}»")
    return out


def page_text(document: str) -> str:
    """The text a person reads on a page: no markup, scripts, styles or attributes."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", document, flags=re.S | re.I)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body))


def workbook_texts(content: bytes) -> Iterable[tuple[str, str]]:
    """(sheet!cell, text) of every text cell, sheet name, header and footer."""
    book = load_workbook(io.BytesIO(content))
    for ws in book.worksheets:
        yield ws.title, ws.title
        for part in (ws.oddHeader, ws.oddFooter):
            for side in (part.left, part.center, part.right):
                if side.text:
                    yield f"{ws.title} (encabezado)", side.text
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and not cell.value.startswith("="):
                    yield f"{ws.title}!{cell.coordinate}", cell.value


def csv_texts(content: bytes) -> Iterable[tuple[str, str]]:
    """(line:column, text) of every cell of a CSV file."""
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    for i, row in enumerate(rows, start=1):
        for j, cell in enumerate(row, start=1):
            yield f"línea {i}, columna {j}", cell
