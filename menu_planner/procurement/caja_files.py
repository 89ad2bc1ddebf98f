"""Reading the petty-cash files: allowance rules, closures, assigned funds, receipts and
the published figures. Every row is checked (`read_table`); every problem is reported at
once in a DataError naming file, line and column, in Spanish."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from menu_planner.domain import DataError, Problem
from menu_planner.procurement.allowances import RULE_COLUMNS, AllowanceRules, rules_from_rows
from menu_planner.procurement.calendar import Closure, Month
from menu_planner.procurement.finance import AssignedFund
from menu_planner.procurement.money import parse_money
from menu_planner.procurement.published import PublishedFigure
from menu_planner.procurement.settlement import Receipt
from menu_planner.reference_data import SHIPPED_DATA
from menu_planner.tabular import Column, Row, check_unique, read_table

RULES = "procurement/allowances_2024.csv"
MAD_SETTINGS = "procurement/mad_settings.csv"
CENTERS = "centers/centers.csv"
SOURCES = "centers/sources"

CLOSURE_COLUMNS = [Column("center_id"), Column("date", "date"),
                   Column("reason", required=False, default="")]
ASSIGNED_COLUMNS = [Column("center_id"), Column("month"), Column("assigned_q")]
RECEIPT_COLUMNS = [Column("center_id"), Column("month"), Column("date", "date"),
                   Column("receipt_no"), Column("supplier"), Column("amount_q"),
                   Column("concept", required=False, default="")]


def data_file(data_dir: Path | None, rel: str) -> Path:
    """`DIR/rel` when a data directory is given and has the file, else the shipped one."""
    if data_dir is not None and (Path(data_dir) / rel).is_file():
        return Path(data_dir) / rel
    return SHIPPED_DATA / rel


def load_rules(path: Path, label: str | None = None) -> AllowanceRules:
    """Allowance rules (format of data/procurement/allowances_2024.csv)."""
    name = label or path.name
    rows, problems = read_table(path, RULE_COLUMNS, label=name)
    rules, more = rules_from_rows(rows, name)
    problems += more
    if problems:
        raise DataError(problems)
    return rules


def load_program_rules(
    data_dir: Path | None = None, rules: Path | None = None, mad_settings: Path | None = None,
) -> dict[str, AllowanceRules]:
    """program -> allowance rules: `cadi` from the 2024 rules (or `rules`), `mad` from the
    Mis Años Dorados settings (or `mad_settings`)."""
    problems: list[Problem] = []
    out: dict[str, AllowanceRules] = {}
    for program, given, rel in (("cadi", rules, RULES), ("mad", mad_settings, MAD_SETTINGS)):
        path = given or data_file(data_dir, rel)
        try:
            out[program] = load_rules(path, str(given) if given else rel)
        except DataError as exc:
            problems += exc.problems
    if problems:
        raise DataError(problems)
    return out


def _month(r: Row, name: str, problems: list[Problem]) -> Month | None:
    try:
        return Month.parse(r["month"])
    except ValueError as exc:
        problems.append(Problem(name, r["_line"], "month", str(exc)))
        return None


def _known(r: Row, name: str, known: Collection[str] | None, problems: list[Problem]) -> bool:
    if known is None or r["center_id"] in known:
        return True
    problems.append(Problem(name, r["_line"], "center_id",
                            f"centro desconocido '{r['center_id']}': no está en el archivo "
                            "de centros"))
    return False


def load_closures(
    path: Path, known: Collection[str] | None = None, label: str | None = None
) -> dict[str, list[Closure]]:
    """center_id -> the days the center declared closed (file `center_id, date, reason`)."""
    name = label or path.name
    rows, problems = read_table(path, CLOSURE_COLUMNS, label=name)
    problems += check_unique(rows, lambda r: (r["center_id"], r["date"]), name, "date",
                             "cierre")
    out: dict[str, list[Closure]] = {}
    for r in rows:
        if _known(r, name, known, problems):
            out.setdefault(r["center_id"], []).append(
                Closure(r["center_id"], r["date"], r["reason"] or ""))
    if problems:
        raise DataError(problems)
    return out


def load_assigned(
    path: Path, known: Collection[str] | None = None, label: str | None = None
) -> list[AssignedFund]:
    """Assigned funds (file `center_id, month, assigned_q`); one row per center and month."""
    name = label or path.name
    rows, problems = read_table(path, ASSIGNED_COLUMNS, label=name)
    problems += check_unique(rows, lambda r: (r["center_id"], r["month"].strip()), name,
                             "month", "monto asignado del centro y mes")
    out = []
    for r in rows:
        month = _month(r, name, problems)
        ok = _known(r, name, known, problems)
        try:
            amount = parse_money(r["assigned_q"])
        except ValueError as exc:
            problems.append(Problem(name, r["_line"], "assigned_q", str(exc)))
            continue
        if amount < 0:
            problems.append(Problem(name, r["_line"], "assigned_q",
                                    "el monto asignado no puede ser negativo"))
        elif month is not None and ok:
            out.append(AssignedFund(r["center_id"], month, amount, r["_line"]))
    if problems:
        raise DataError(problems)
    return out


def load_receipts(
    path: Path, known: Collection[str] | None = None, label: str | None = None
) -> list[Receipt]:
    """Receipts (file `center_id, month, date, receipt_no, supplier, amount_q, concept`)."""
    name = label or path.name
    rows, problems = read_table(path, RECEIPT_COLUMNS, label=name)
    out = []
    for r in rows:
        month = _month(r, name, problems)
        ok = _known(r, name, known, problems)
        try:
            amount = parse_money(r["amount_q"])
        except ValueError as exc:
            problems.append(Problem(name, r["_line"], "amount_q", str(exc)))
            continue
        if amount <= 0:
            problems.append(Problem(name, r["_line"], "amount_q",
                                    "el monto del comprobante debe ser mayor que cero"))
        elif month is not None and ok:
            out.append(Receipt(r["center_id"], month, r["date"], r["receipt_no"],
                               r["supplier"], amount, r["concept"] or "", r["_line"]))
    if problems:
        raise DataError(problems)
    return out


_DEPT_COLUMNS = [Column("department"), *(Column(c, "int", min=0) for c in (
    "municipalities_with_presence", "hogares_comunitarios", "cadis", "children"))]
_MAD_COLUMNS = [Column("department"), Column("municipality"), Column("total", "int", min=0)]
_PRINTED_COLUMNS = [Column("program"), Column("figure"), Column("printed", "int", min=0),
                    Column("year", "int", min=1900), Column("source", required=False,
                                                            default="")]


def load_published(sources: Path | None = None) -> list[PublishedFigure]:
    """The printed totals (published_totals.csv) with what the published tables' rows add
    up to (hc_cadi_by_department_2021.csv, mad_centers_2024.csv)."""
    root = sources or SHIPPED_DATA / SOURCES
    problems: list[Problem] = []

    def table(name: str, cols: list[Column]) -> list[Row]:
        rows, probs = read_table(root / name, cols, label=f"{SOURCES}/{name}")
        problems.extend(probs)
        return rows

    dept = table("hc_cadi_by_department_2021.csv", _DEPT_COLUMNS)
    mad = table("mad_centers_2024.csv", _MAD_COLUMNS)
    printed = table("published_totals.csv", _PRINTED_COLUMNS)
    if problems:
        raise DataError(problems)
    sums = {
        ("cadi", "hogares_comunitarios"): sum(r["hogares_comunitarios"] for r in dept),
        ("cadi", "cadis"): sum(r["cadis"] for r in dept),
        ("cadi", "municipalities"): sum(r["municipalities_with_presence"] for r in dept),
        ("cadi", "children"): sum(r["children"] for r in dept),
        ("cadi", "departments"): len(dept),
        ("mad", "day_centers"): len(mad),
        ("mad", "people"): sum(r["total"] for r in mad),
        ("mad", "departments"): len({r["department"] for r in mad}),
    }
    return [PublishedFigure(r["program"], r["figure"], r["printed"],
                            sums.get((r["program"], r["figure"])), r["year"], r["source"] or "")
            for r in printed]
