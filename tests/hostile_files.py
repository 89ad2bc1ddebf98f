"""The hostile uploads of issue 15, built in memory: a tiny xlsx whose cells span the
whole sheet, an xlsx with a DTD (entity expansion), a zip bomb, CSVs with millions of bad
lines or columns, and an oversize file. Shared by tests/test_hostile_inputs.py and
bench/hostile_uploads.py."""

from __future__ import annotations

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _book(sheet_xml: str | None = None, sheet_chunks: int = 0) -> bytes:
    """A minimal one-sheet xlsx; with `sheet_chunks`, the sheet is that many MiB of
    blanks (compressed to almost nothing)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        if sheet_chunks:
            with z.open("xl/worksheets/sheet1.xml", "w") as part:
                part.write(f'<worksheet {SHEET_NS}><sheetData>'.encode())
                blank = b" " * (1024 * 1024)
                for _ in range(sheet_chunks):
                    part.write(blank)
                part.write(b"</sheetData></worksheet>")
        else:
            z.writestr("xl/worksheets/sheet1.xml", sheet_xml or "")
    return buf.getvalue()


def tall_and_wide_xlsx() -> bytes:
    """Two cells, A1 and XFD1048576: a few kB that a naive reader pads to 17 billion."""
    return _book(
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {SHEET_NS}>'
        '<dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>food_id</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        '</sheetData></worksheet>')


def wide_xlsx() -> bytes:
    """One row reaching column XFD (16,384 columns)."""
    return _book(
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {SHEET_NS}>'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>food_id</t></is></c>'
        '<c r="XFD1"><v>1</v></c></row></sheetData></worksheet>')


def dtd_xlsx() -> bytes:
    """A sheet declaring nested entities ("billion laughs")."""
    entities = '<!ENTITY a0 "ja">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    return _book(
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [{entities}]>'
        f'<worksheet {SHEET_NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is>'
        '<t>&a9;</t></is></c></row></sheetData></worksheet>')


def zip_bomb_xlsx(mib: int = 200) -> bytes:
    """A sheet that unpacks to `mib` MiB of blanks (about 0.2 MB packed)."""
    return _book(sheet_chunks=mib)


def many_errors_csv(size: int = 5_200_000) -> bytes:
    """A price survey of `size` bytes of bad lines (five bad cells each)."""
    head = b"food_id,purchase_unit,unit_grams,price_q,price_date,source\n"
    line = b"x,y,z,w,v\n"
    return head + line * ((size - len(head)) // len(line))


def wide_csv(columns: int = 200_000) -> bytes:
    """A header with `columns` columns."""
    return ",".join(f"c{i}" for i in range(columns)).encode() + b"\n"


def oversize(size: int = 6 * 1024 * 1024) -> bytes:
    """More bytes than the 5 MiB upload limit."""
    return b"a" * size
