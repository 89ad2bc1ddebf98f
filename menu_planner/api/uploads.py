"""Uploaded tables (CSV or xlsx) as a temporary CSV file for `read_table`, keeping line
numbers: row N of the sheet is line N of the CSV, so errors point at the same row. Size,
rows, columns and the xlsx archive are checked first (`upload_limits`)."""

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

from menu_planner.api.upload_limits import (
    MAX_COLUMNS,
    MAX_ROWS,
    check_csv_shape,
    check_xlsx_archive,
    not_a_book,
    too_many_columns,
    too_many_rows,
)
from menu_planner.services import Invalid, TooLarge

XLSX_MAGIC = b"PK\x03\x04"


async def read_upload(file: UploadFile, max_bytes: int) -> tuple[str, bytes]:
    """The file's name and bytes; TooLarge (413) if it is larger than `max_bytes`,
    Invalid if it is empty."""
    content = await file.read(max_bytes + 1)
    name = (file.filename or "archivo").rsplit("/", 1)[-1][:200]
    if len(content) > max_bytes:
        raise too_large(max_bytes)
    if not content:
        raise Invalid("El archivo está vacío.", [{"file": name, "line": None,
                                                  "column": None, "message": "archivo vacío"}])
    return name, content


def too_large(max_bytes: int) -> TooLarge:
    """The refusal of a file over the size limit."""
    return TooLarge(f"El archivo pesa más de {max_bytes // 1024:,} KB, el máximo que se "
                    "admite.", [{"file": None, "line": None, "column": None,
                                 "message": f"más de {max_bytes:,} bytes"}])


@contextmanager
def as_csv_file(name: str, content: bytes) -> Iterator[Path]:
    """A temporary CSV file holding the table in `content` (CSV text or an xlsx book)."""
    if _is_xlsx(name, content):
        text = xlsx_to_csv(name, content)
    else:
        text = _decode(name, content)
        check_csv_shape(name, text)
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
    """The first sheet of an xlsx book as CSV text (dates as AAAA-MM-DD). The archive is
    checked first; rows are read one at a time and refused past MAX_ROWS or MAX_COLUMNS,
    whatever size the sheet declares."""
    from openpyxl import load_workbook  # only here: uploads are the one xlsx reader

    check_xlsx_archive(name, content)
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise not_a_book(name) from exc
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # trust no declared size: no padding to a huge width
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        width = 0
        for n, row in enumerate(ws.iter_rows(values_only=True)):
            if n > MAX_ROWS:
                raise too_many_rows(name)
            if len(row) > MAX_COLUMNS and any(v is not None for v in row[MAX_COLUMNS:]):
                raise too_many_columns(name, len(row))
            cells = [_cell(v) for v in row[:MAX_COLUMNS]]
            if n == 0:
                width = max((i + 1 for i, c in enumerate(cells) if c), default=0)
            while len(cells) > width and not cells[-1]:
                cells.pop()  # empty cells right of the header are not extra data
            writer.writerow(cells)
        return buf.getvalue()
    except (KeyError, ValueError, TypeError, AttributeError, zipfile.BadZipFile) as exc:
        raise not_a_book(name) from exc  # a sheet openpyxl cannot read
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
