"""Documents ready to send (bytes, media type, file name) from the exporters."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8", "xlsx": XLSX}


@dataclass(frozen=True)
class Rendered:
    """A document ready to send: its bytes, media type and a file name."""

    content: bytes
    media_type: str
    filename: str


def json_document(doc: Any, stem: str) -> Rendered:
    """A JSON document (UTF-8, accents kept)."""
    body = json.dumps(doc, ensure_ascii=False, indent=1)
    return Rendered(body.encode("utf-8"), MEDIA_TYPES["json"], f"{stem}.json")


def csv_document(text: str, stem: str) -> Rendered:
    """CSV text with a BOM, so spreadsheet programs read the accents right."""
    return Rendered(text.encode("utf-8-sig"), MEDIA_TYPES["csv"], f"{stem}.csv")


def xlsx_document(write: Callable[[Path], Any], stem: str) -> Rendered:
    """The bytes of an xlsx book that `write(path)` saves."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{stem}.xlsx"
        write(path)
        return Rendered(path.read_bytes(), XLSX, f"{stem}.xlsx")
