"""Text that a spreadsheet would run as a formula is written as text (OWASP's rule on CSV
injection). A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return
can become a live formula when the file is opened (e.g. a center named
`=HYPERLINK("http://...")`), so every xlsx and CSV writer passes its text through here.
The formulas the planner writes itself (totals) are marked `Formula` and kept."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class Formula(str):
    """A formula the exporter writes on purpose (e.g. `=SUM(E5:E20)`), never data."""

    __slots__ = ()


def looks_like_formula(value: object) -> bool:
    """Whether `value` is text (not one of our formulas) a spreadsheet could run."""
    return isinstance(value, str) and not isinstance(value, Formula) and \
        value.startswith(FORMULA_TRIGGERS)


def csv_text(value: Any) -> Any:
    """A CSV cell: text that looks like a formula gets a leading apostrophe, which
    spreadsheets show as text; anything else (numbers too) unchanged."""
    return "'" + value if looks_like_formula(value) else value


def csv_rows(rows: Iterable[Sequence[Any]]) -> Iterable[list[Any]]:
    """Rows for csv.writer with every cell through `csv_text`."""
    for row in rows:
        yield [csv_text(v) for v in row]


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) went through `csv_text`."""
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype.kind not in "biufcmM":  # text (object or string), not numbers
            out[name] = out[name].map(csv_text)
    out.columns = [csv_text(c) for c in out.columns]
    return out
