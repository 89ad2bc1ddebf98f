"""Money as whole centavos (int), so that sums by center, department and nation add up
exactly; quetzales (float) only when written out."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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
    """Centavos of a quetzal amount, rounding half up (used once, where a float enters)."""
    return int((Decimal(str(value)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def quetzales(cents: Cents) -> float:
    """The amount in quetzales, for JSON and spreadsheets."""
    return float(Decimal(cents) / 100)


def format_q(cents: Cents) -> str:
    """`Q1,234.50` (negative amounts as `-Q12.00`), for sentences people read."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}Q{whole:,}.{part:02d}"


def format_signed_q(cents: Cents) -> str:
    """`+Q12.00` or `-Q12.00`: a difference."""
    return ("+" if cents >= 0 else "") + format_q(cents)
