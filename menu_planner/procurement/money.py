"""Money as whole centavos (int), so that sums by center, department and nation add up
exactly; quetzales (float) only when written out."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

Cents = int
_CENT = Decimal("0.01")


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
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if not amount.is_finite():
        raise ValueError(f"'{value}' no es un monto finito")
    with localcontext() as ctx:
        ctx.prec = max(28, amount.adjusted() + 8)
        return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


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
