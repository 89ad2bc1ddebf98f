"""How old a list's prices are, said in words: the range of their dates, how many came
from the department and how many from the national table, and the warning when some are
older than the settings allow (12 months by default). The center page and the workbook
say the same thing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from menu_planner.procurement.result import PurchaseLine
from menu_planner.spanish import day_date


@dataclass(frozen=True)
class PriceDates:
    """The price dates of a list's lines."""

    first: date
    last: date
    department: int  # lines priced in the center's department
    national: int  # lines priced with the national table (no department price)
    stale: int  # lines whose price is older than `max_age_days`
    oldest: date
    max_age_days: int

    @property
    def max_age_months(self) -> int:
        return max(1, self.max_age_days // 30)

    def range_text(self) -> str:
        """'Precios del 15 de diciembre de 2015 al 15 de enero de 2022: 20 con precio del
        departamento y 12 con precio nacional (el departamento no tiene precio).'"""
        span = (f"del {day_date(self.first)}" if self.first == self.last
                else f"del {day_date(self.first)} al {day_date(self.last)}")
        return (f"Precios {span}: {self.department} con precio del departamento y "
                f"{self.national} con precio nacional (el departamento no tiene precio).")

    def stale_text(self) -> str:
        """The warning about old prices ('' when none is too old)."""
        if not self.stale:
            return ""
        return (f"{self.stale} precio(s) tienen más de {self.max_age_months} meses de "
                f"antigüedad (el más antiguo, del {day_date(self.oldest)}): confirme los "
                "precios del mercado antes de comprar.")


def price_dates(lines: Sequence[PurchaseLine], max_age_days: int) -> PriceDates | None:
    """The price dates of `lines` (None for a list without lines)."""
    if not lines:
        return None
    dates = sorted(ln.price_date for ln in lines)
    national = sum(ln.national_fallback for ln in lines)
    stale = [ln.price_date for ln in lines if ln.price_age_days > max_age_days]
    return PriceDates(dates[0], dates[-1], len(lines) - national, national, len(stale),
                      min(stale, default=dates[0]), max_age_days)
