"""Uploaded tables (CSV or xlsx) as a temporary CSV file for `read_table`, keeping line
numbers: row N of the sheet is line N of the CSV, so errors point at the same row."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import UploadFile

from menu_planner.services import Invalid

XLSX_MAGIC = b"PK\x03\x04"


async def read_upload(file: UploadFile, max_bytes: int) -> tuple[str, bytes]:
    """The file's name and bytes; Invalid if it is empty or too large."""
    content = await file.read(max_bytes + 1)
    name = (file.filename or "archivo").rsplit("/", 1)[-1][:200]
    if len(content) > max_bytes:
        raise Invalid(f"El archivo pesa más de {max_bytes // 1024} KB.",
                      code="archivo_muy_grande")
    if not content:
        raise Invalid("El archivo está vacío.", [{"file": name, "line": None,
                                                  "column": None, "message": "archivo vacío"}])
    return name, content


@contextmanager
def as_csv_file(name: str, content: bytes) -> Iterator[Path]:
    """A temporary CSV file holding the table in `content` (CSV text or an xlsx book)."""
    text = xlsx_to_csv(name, content) if _is_xlsx(name, content) else _decode(name, content)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tabla.csv"
        path.write_text(text, encoding="utf-8")
        yield path


def _is_xlsx(name: str, content: bytes) -> bool:
    return name.lower().endswith((".xlsx", ".xlsm")) or content.startswith(XLSX_MAGIC)


def _decode(name: str, content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid("El archivo no está en UTF-8: guárdelo como «CSV UTF-8» o súbalo "
                      "como .xlsx.", [{"file": name, "line": None, "column": None,
                                       "message": "codificación distinta de UTF-8"}]) from exc


def xlsx_to_csv(name: str, content: bytes) -> str:
    """The first sheet of an xlsx book as CSV text (dates as AAAA-MM-DD)."""
    from openpyxl import load_workbook  # only here: uploads are the one xlsx reader

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise Invalid("El archivo no es un libro de Excel (.xlsx) válido.",
                      [{"file": name, "line": None, "column": None,
                        "message": "xlsx ilegible"}]) from exc
    try:
        ws = wb.worksheets[0]
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        width = 0
        for n, row in enumerate(ws.iter_rows(values_only=True)):
            cells = [_cell(v) for v in row]
            if n == 0:
                width = max((i + 1 for i, c in enumerate(cells) if c), default=0)
            while len(cells) > width and not cells[-1]:
                cells.pop()  # empty cells right of the header are not extra data
            writer.writerow(cells)
        return buf.getvalue()
    finally:
        wb.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else \
            value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
