"""The CSV files the web pages offer for download, made for people: Spanish column
headers, program and food-group names instead of codes, dates as dd/mm/aaaa. The same
figures as the contract's CSV (`menu-planner purchases|caja-chica --format csv` and the
API keep the contract's column names for other programs)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence

from menu_planner.domain import FOOD_GROUPS
from menu_planner.procurement import WeekPurchases
from menu_planner.procurement.allowances import item_label
from menu_planner.procurement.caja_formats import caja_csv_rows
from menu_planner.procurement.finance import CajaChicaReport
from menu_planner.procurement.formats import CSV_COLUMNS, purchases_frame
from menu_planner.spanish import (
    CAJA_COLUMNS_ES,
    PROGRAM_NAMES_ES,
    PURCHASE_COLUMNS_ES,
    month_name,
    people_csv_rows,
)

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

# Internal identifiers a person has no use for (the food's name is there).
HIDDEN_PURCHASE_COLUMNS = ("food_id",)


def _text(rows: Sequence[Sequence[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def purchases_csv_es(wk: WeekPurchases, program_names: Mapping[str, str] | None = None) -> str:
    """The week's list as CSV text for people (one row per center x food)."""
    columns = [c for c in CSV_COLUMNS if c not in HIDDEN_PURCHASE_COLUMNS]
    frame = purchases_frame(wk)[columns]
    rows = [columns, *frame.astype(object).where(frame.notna(), "").values.tolist()]
    if "days_off" in columns:  # "2026-12-25 Navidad" -> "25/12/2026 Navidad"
        k = columns.index("days_off")
        for row in rows[1:]:
            row[k] = _ISO_DATE.sub(r"\3/\2/\1", str(row[k]))
    names = {**PROGRAM_NAMES_ES, **(program_names or {})}
    return _text(people_csv_rows(rows, PURCHASE_COLUMNS_ES,
                                 {"program": names, "food_group": FOOD_GROUPS},
                                 dates=("price_date",)))


def caja_csv_es(report: CajaChicaReport, program_names: Mapping[str, str] | None = None) -> str:
    """The month's petty cash as CSV text for people (one row per center)."""
    rows = caja_csv_rows(report)
    headers = dict(CAJA_COLUMNS_ES)
    headers.update({f"{i}_q": f"{item_label(i).capitalize()} (Q)" for i in report.items})
    pending = rows[0].index("allowances_pending")
    for row in rows[1:]:
        row[pending] = "; ".join(item_label(i) for i in row[pending].split(";") if i)
    names = {**PROGRAM_NAMES_ES, **(program_names or {})}
    months = {str(report.month): month_name(str(report.month))}
    return _text(people_csv_rows(rows, headers, {"program": names, "month": months}))
