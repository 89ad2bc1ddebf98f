"""Limits an uploaded table must respect before anything is parsed into memory: rows and
columns of a CSV, and for an xlsx book the zip archive itself (entries, bytes once
unpacked, so a zip bomb is refused while it is being unpacked) and its XML (no DTD or
entity declarations, which can expand without end or reach outside the file)."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from menu_planner.services import Invalid

MAX_ROWS = 10_000  # SOSEP has about 700 centers; a price survey, a few hundred lines
MAX_COLUMNS = 100  # centers.csv has 14; extra columns are allowed, not without end
MAX_ENTRIES = 500  # parts in an xlsx archive (a plain one-sheet book has about 10)
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # an xlsx of 5 MB unpacks to about 30-50 MB
_CHUNK = 64 * 1024
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_PARTS = (".xml", ".rels", ".vml")


def refuse(name: str, message: str, detail: str) -> Invalid:
    """The Invalid of an upload refused as a whole."""
    return Invalid(message, [{"file": name, "line": None, "column": None,
                              "message": detail}], code="archivo_no_admitido")


def check_csv_shape(name: str, text: str) -> None:
    """Invalid when the CSV text has more rows or header columns than allowed."""
    rows = text.count("\n") + (0 if text.endswith("\n") else 1)
    if rows > MAX_ROWS + 1:
        raise too_many_rows(name, rows - 1)
    end = text.find("\n")
    try:
        header = next(csv.reader([text if end < 0 else text[:end]]), [])
    except csv.Error as exc:
        raise refuse(name, "El archivo no es un CSV legible.", f"CSV mal formado: {exc}") \
            from exc
    if len(header) > MAX_COLUMNS:
        raise too_many_columns(name, len(header))


def too_many_rows(name: str, rows: int | None = None) -> Invalid:
    have = f" (tiene {rows:,})" if rows else ""
    return refuse(name, f"El archivo tiene más de {MAX_ROWS:,} filas{have}: divídalo en "
                  "partes más pequeñas.", f"más de {MAX_ROWS:,} filas")


def too_many_columns(name: str, columns: int) -> Invalid:
    return refuse(name, f"El archivo tiene {columns:,} columnas; se admiten hasta "
                  f"{MAX_COLUMNS}. Quite las columnas que sobran.",
                  f"más de {MAX_COLUMNS} columnas")


def check_xlsx_archive(name: str, content: bytes) -> None:
    """Invalid unless `content` is a zip archive of reasonable size once unpacked, whose
    XML parts declare no DTD or entities. Every part is unpacked in chunks and counted,
    so a bomb stops at the limit, whatever its headers claim."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise not_a_book(name) from exc
    if len(entries) > MAX_ENTRIES:
        raise refuse(name, "El libro de Excel tiene demasiadas partes internas.",
                     f"más de {MAX_ENTRIES} partes en el archivo comprimido")
    unpacked = 0
    with archive:
        for info in entries:
            unpacked = _scan_part(name, archive, info, unpacked)


def _scan_part(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo,
               unpacked: int) -> int:
    """Unpack one part in chunks; the running total of unpacked bytes."""
    is_xml = info.filename.lower().endswith(_XML_PARTS)
    tail = b""
    try:
        with archive.open(info) as part:
            while chunk := part.read(_CHUNK):
                unpacked += len(chunk)
                if unpacked > MAX_UNPACKED_BYTES:
                    raise refuse(name, "El libro de Excel se expande a más de "
                                 f"{MAX_UNPACKED_BYTES // 2**20} MB al abrirlo (posible "
                                 "«bomba zip»); no se procesó.", "archivo comprimido "
                                 "que se expande demasiado")
                if is_xml:
                    _check_xml(name, info.filename, tail + chunk, first=not tail)
                    tail = chunk[-64:]
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise not_a_book(name) from exc
    return unpacked


def _check_xml(name: str, part: str, data: bytes, first: bool) -> None:
    if first and (data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4]):
        raise refuse(name, "El libro de Excel tiene partes en una codificación que no se "
                     "admite (UTF-16/32).", f"{part}: codificación no admitida")
    if _DTD.search(data):
        raise refuse(name, "El libro de Excel contiene una declaración DTD o de entidades "
                     "XML, que un libro normal no tiene; por seguridad no se procesó. "
                     "Ábralo en Excel y guárdelo de nuevo como .xlsx.",
                     f"{part}: declaración DTD/ENTITY")


def not_a_book(name: str) -> Invalid:
    return Invalid("El archivo no es un libro de Excel (.xlsx) válido.",
                   [{"file": name, "line": None, "column": None,
                     "message": "xlsx ilegible"}])
