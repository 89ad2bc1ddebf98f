"""Money as whole centavos (int), so that sums by center, department and nation add up
exactly; quetzales (float) only when written out.

The one rounding rule of every amount the planner shows, prints or files: **half up to the
centavo, on the decimal amount** (what Excel's ROUND and a person with a calculator do).
A float such as 0.5 x 2.05 = 1.02499999... stands for the decimal 1.025, so it becomes
Q1.03, not the Q1.02 that binary rounding (numpy's, Python's `round`) gives. Pages, CSV,
JSON and workbooks all take their amounts from `to_cents`/`round_q`, so they agree to the
centavo, and totals are sums of rounded lines, never rounded sums.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

import numpy as np
import numpy.typing as npt

Cents = int
_CENT = Decimal("0.01")
# Products of a quantity (multiple of 0.5) and a price (two decimals) have at most three
# decimals; float noise is far below a millionth of a centavo, so snapping to that first
# recovers the decimal amount before rounding half up.
_SNAP_DECIMALS = 6
_FLOAT_EXACT = 1e9  # below this, floats take the snap rule; above, Decimal at any size


def parse_money(text: str) -> Cents:
    """Centavos of an amount written like `1234.50` (point as decimal separator, at most
    two decimals); ValueError with a Spanish message otherwise."""
    raw = text.strip().removeprefix("Q").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"'{text}' no es un monto (use punto decimal, p. ej. 1234.50)") from None
    if not value.is_finite():
        raise ValueError(f"'{text}' no es un monto")
    if value != value.quantize(_CENT):
        raise ValueError(f"'{text}' tiene más de dos decimales")
    return int(value * 100)


def to_cents(value: float | Decimal) -> Cents:
    """Centavos of a quetzal amount, rounding half up (used once, where a float enters).
    Exact at any size (the precision grows with the amount, so a huge amount never makes
    the decimal module give up); ValueError with a Spanish message for NaN or infinity."""
    if not isinstance(value, Decimal) and abs(value) < _FLOAT_EXACT:
        return int(cents_half_up(np.asarray(value, dtype=np.float64)))
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if not amount.is_finite():
        raise ValueError(f"'{value}' no es un monto finito")
    with localcontext() as ctx:
        ctx.prec = max(28, amount.adjusted() + 8)
        return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents_half_up(amounts_q: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Centavos of quetzal amounts (any array shape), by the rule above: the amount to a
    millionth of a centavo, then half up (away from zero for negative amounts)."""
    x = np.round(amounts_q * 100.0, _SNAP_DECIMALS)
    cents: npt.NDArray[np.int64] = (np.sign(x) * np.floor(np.abs(x) + 0.5)).astype(np.int64)
    return cents


def round_q(amounts_q: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Quetzal amounts rounded to the centavo by the rule above (e.g. a line's cost =
    quantity x unit price)."""
    rounded: npt.NDArray[np.float64] = cents_half_up(amounts_q) / 100.0
    return rounded


def sum_q(amounts_q: npt.NDArray[np.float64], axis: int | None = None) -> npt.NDArray[
        np.float64]:
    """The exact sum of amounts already rounded to the centavo (added as centavos, so
    that Q0.10 + Q0.20 is Q0.30, not 0.30000000000000004)."""
    total: npt.NDArray[np.float64] = cents_half_up(amounts_q).sum(axis=axis) / 100.0
    return total


def quetzales(cents: Cents) -> float:
    """The amount in quetzales, for JSON and spreadsheets."""
    with localcontext() as ctx:
        ctx.prec = max(28, len(str(abs(cents))) + 2)
        return float(Decimal(cents) / 100)


def format_q(cents: Cents) -> str:
    """`Q1,234.50` (negative amounts as `-Q12.00`), for sentences people read."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}Q{whole:,}.{part:02d}"


def format_signed_q(cents: Cents) -> str:
    """`+Q12.00` or `-Q12.00`: a difference."""
    return ("+" if cents >= 0 else "") + format_q(cents)
