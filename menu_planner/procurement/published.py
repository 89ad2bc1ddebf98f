"""The centers against SOSEP's published figures, and the published tables against their
own printed totals (e.g. 2021: 462 CADI printed, 460 in the rows; 2024: 2,678 older
adults printed, 2,658 in the rows). Pure; the figures are data in
data/centers/sources/ (see docs/data-centers.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from menu_planner.domain import Center


@dataclass(frozen=True)
class PublishedFigure:
    """A total printed in a report, and what the report's own table rows add up to."""

    program: str
    figure: str
    printed: int
    rows_sum: int | None
    year: int
    source: str = ""


def _cadi(centers: Sequence[Center]) -> list[Center]:
    return [c for c in centers if c.program == "cadi"]


def _mad(centers: Sequence[Center]) -> list[Center]:
    return [c for c in centers if c.program == "mad"]


# (program, figure) -> (Spanish label, how to count it in a centers file)
FIGURES: dict[tuple[str, str], tuple[str, Callable[[Sequence[Center]], int]]] = {
    ("cadi", "hogares_comunitarios"): (
        "Hogares Comunitarios", lambda cs: sum(c.center_type == "HC" for c in _cadi(cs))),
    ("cadi", "cadis"): (
        "CADI", lambda cs: sum(c.center_type == "CADI" for c in _cadi(cs))),
    ("cadi", "municipalities"): (
        "Municipios con HC o CADI",
        lambda cs: len({(c.department, c.municipality) for c in _cadi(cs)})),
    ("cadi", "children"): (
        "Niños inscritos en HC y CADI", lambda cs: sum(c.total_enrolled for c in _cadi(cs))),
    ("cadi", "departments"): (
        "Departamentos con HC o CADI", lambda cs: len({c.department for c in _cadi(cs)})),
    ("mad", "day_centers"): (
        "Centros de atención diurna de Mis Años Dorados",
        lambda cs: sum(c.center_type == "diurno" for c in _mad(cs))),
    ("mad", "people"): (
        "Adultos mayores inscritos", lambda cs: sum(c.total_enrolled for c in _mad(cs))),
    ("mad", "departments"): (
        "Departamentos con Mis Años Dorados", lambda cs: len({c.department for c in _mad(cs)})),
}


def published_checks(centers: Sequence[Center], figures: Sequence[PublishedFigure]) -> list[str]:
    """Spanish sentences: each published total whose table rows do not add up to it, and
    each figure where the centers differ from what was published (only for programs the
    centers file has)."""
    programs = {c.program for c in centers}
    out: list[str] = []
    for f in figures:
        known = FIGURES.get((f.program, f.figure))
        if known is None:
            continue
        label, count = known
        have = count(centers) if f.program in programs else None
        rows_differ = f.rows_sum is not None and f.rows_sum != f.printed
        if not rows_differ and (have is None or have == f.printed):
            continue
        text = f"{label}: el informe {f.year} publica {f.printed:,}"
        if rows_differ:
            text += f", pero las filas de su tabla dan {f.rows_sum:,}"
        if have is not None:
            text += f"; el archivo de centros tiene {have:,}"
        out.append(text + ".")
    return out
