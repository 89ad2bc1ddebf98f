"""The service calendar: which days a center serves meals, and which menu-cycle day each
of them is. Pure (standard library only); rules explained in docs/caja-chica.md.

- Service weekdays: Monday to Friday for day centers (a program's `service_days_per_week`
  counts from Monday); a residential center (`center_type` "permanente") serves every day,
  holidays included.
- National holidays: Código de Trabajo art. 127 as reformed by Decreto 19-2018, with the
  Corte de Constitucionalidad's 2020 ruling (only 30 June still moves to a Monday).
  24 and 31 December are half days (from 12:00): counted as service days by default,
  since the meals before noon are served; `half_days_off=True` leaves them out.
- Closures a center declares (its local feast day, a training day, repairs...).
- A week's service (`week_service`): the same rules for one calendar week, naming the
  days left out and why; the weekly purchase lists follow it.
- Cycle weeks: calendar weeks run Monday to Sunday; cycle week 1 is the week holding the
  start date, and after the cycle's last week it starts again at 1.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

WEEKDAY_NAMES_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MONTH_NAMES_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                  "septiembre", "octubre", "noviembre", "diciembre")
RESIDENTIAL_TYPES = frozenset({"permanente", "residencial"})


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, written YYYY-MM."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """The month of 'YYYY-MM'; ValueError with a Spanish message otherwise."""
        parts = text.strip().split("-")
        ok = len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2
        if ok and parts[0].isdigit() and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
            return cls(int(parts[0]), int(parts[1]))
        raise ValueError(f"mes inválido '{text}': use AAAA-MM, por ejemplo 2026-04")

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        """The 1st of the month."""
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        """The last day of the month."""
        nxt = date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return nxt - timedelta(days=1)

    def days(self) -> list[date]:
        """Every date of the month, in order."""
        first = self.first_day
        return [first + timedelta(days=i) for i in range(self.last_day.day)]

    def contains(self, day: date) -> bool:
        """Whether `day` falls in this month."""
        return (day.year, day.month) == (self.year, self.month)

    def previous(self) -> Month:
        """The month before."""
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)


@dataclass(frozen=True)
class Holiday:
    """A day of rest (asueto) of the national calendar."""

    day: date
    name_es: str
    half_day: bool = False  # from 12:00 only


@dataclass(frozen=True)
class Closure:
    """A day a center declares closed (no meals served)."""

    center_id: str
    day: date
    reason: str = ""


def easter_sunday(year: int) -> date:
    """Easter Sunday of `year` (Gregorian calendar; the anonymous 'Meeus/Jones/Butcher'
    algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def army_day(year: int) -> date:
    """30 June as observed: Decreto 19-2018 moves it to the Monday before when it falls on
    Tuesday or Wednesday, and to the Monday after from Thursday to Sunday."""
    day = date(year, 6, 30)
    wd = day.weekday()
    if wd in (1, 2):
        return day - timedelta(days=wd)
    if wd >= 3:
        return day + timedelta(days=7 - wd)
    return day


@lru_cache(maxsize=64)
def national_holidays(year: int) -> tuple[Holiday, ...]:
    """Guatemala's national days of rest (Código de Trabajo art. 127), in date order.

    Holy Saturday is listed although it never falls on a weekday. Local feast days
    ("el día de la festividad de la localidad") are not national: centers declare them as
    closures.
    """
    easter = easter_sunday(year)
    days = [
        Holiday(date(year, 1, 1), "Año Nuevo"),
        Holiday(easter - timedelta(days=3), "Jueves Santo"),
        Holiday(easter - timedelta(days=2), "Viernes Santo"),
        Holiday(easter - timedelta(days=1), "Sábado Santo"),
        Holiday(date(year, 5, 1), "Día del Trabajo"),
        Holiday(army_day(year), "Día del Ejército"),
        Holiday(date(year, 9, 15), "Día de la Independencia"),
        Holiday(date(year, 10, 20), "Día de la Revolución"),
        Holiday(date(year, 11, 1), "Día de Todos los Santos"),
        Holiday(date(year, 12, 24), "Nochebuena (medio día)", half_day=True),
        Holiday(date(year, 12, 25), "Navidad"),
        Holiday(date(year, 12, 31), "Fin de año (medio día)", half_day=True),
    ]
    return tuple(sorted(days, key=lambda h: h.day))


def days_without_service(year: int, *, half_days_off: bool = False) -> dict[date, str]:
    """date -> holiday name for the national holidays on which no meal is served."""
    return {h.day: h.name_es for h in national_holidays(year)
            if half_days_off or not h.half_day}


@dataclass(frozen=True)
class ServicePattern:
    """On which weekdays (1 = Monday ... 7 = Sunday) a center serves, and whether it
    closes on national holidays."""

    weekdays: frozenset[int]
    closes_on_holidays: bool = True


def service_pattern(service_days_per_week: int, center_type: str = "") -> ServicePattern:
    """A center's pattern: residential centers every day, others the program's days from
    Monday (5 = Monday to Friday)."""
    if center_type.strip().lower() in RESIDENTIAL_TYPES:
        return ServicePattern(frozenset(range(1, 8)), closes_on_holidays=False)
    return ServicePattern(frozenset(range(1, min(service_days_per_week, 7) + 1)))


def service_dates(
    month: Month, pattern: ServicePattern | None = None, *,
    closures: Collection[date] = (), half_days_off: bool = False,
) -> list[date]:
    """The dates of `month` a center serves meals: its weekdays, minus national holidays
    (unless residential), minus its own closures."""
    pattern = pattern or service_pattern(5)
    return [d for d in month.days()
            if d.isoweekday() in pattern.weekdays
            and _reason_closed(d, pattern, closures, half_days_off) is None]


def _reason_closed(
    day: date, pattern: ServicePattern, closures: Collection[date] | Mapping[date, str],
    half_days_off: bool,
) -> str | None:
    """Why a center with `pattern` serves no meal on `day`, one of its weekdays (None: it
    serves): a national holiday, or a closure it declared."""
    if pattern.closes_on_holidays:
        holiday = days_without_service(day.year, half_days_off=half_days_off).get(day)
        if holiday is not None:
            return holiday
    if day in closures:
        reason = closures.get(day, "") if isinstance(closures, Mapping) else ""
        return f"cierre del centro ({reason})" if reason else "cierre del centro"
    return None


@dataclass(frozen=True)
class CalendarDay:
    """A day of a center's week that the calendar singles out: left out of the service
    (`served` False) with the reason, or a half day that is still served."""

    day: date
    reason: str
    served: bool = False

    def sentence_es(self) -> str:
        """'viernes 25 de diciembre de 2026 (Navidad)'."""
        return f"{long_date_es(self.day)} ({self.reason})"


@dataclass(frozen=True)
class WeekService:
    """The days a center serves in one calendar week, and the days the calendar takes
    away from its usual weekdays (with the reason)."""

    monday: date
    served: tuple[date, ...]
    left_out: tuple[CalendarDay, ...]
    half_days: tuple[CalendarDay, ...] = ()

    @property
    def weekdays(self) -> tuple[int, ...]:
        """The served days as weekdays (1 = Monday)."""
        return tuple(d.isoweekday() for d in self.served)


def week_service(
    monday: date, pattern: ServicePattern | None = None, *,
    closures: Collection[date] | Mapping[date, str] = (), half_days_off: bool = False,
) -> WeekService:
    """The service of the calendar week starting `monday` (any day of the week is taken
    to its Monday), by the same rules as `service_dates`: the pattern's weekdays, minus
    national holidays (unless residential), minus the center's closures (date -> reason,
    or just dates). Half days (24 and 31 December) are served unless `half_days_off`."""
    pattern = pattern or service_pattern(5)
    first = week_monday(monday)
    served: list[date] = []
    left_out: list[CalendarDay] = []
    half: list[CalendarDay] = []
    for day in (first + timedelta(days=i) for i in range(7)):
        if day.isoweekday() not in pattern.weekdays:
            continue
        reason = _reason_closed(day, pattern, closures, half_days_off)
        if reason is not None:
            left_out.append(CalendarDay(day, reason))
            continue
        served.append(day)
        holiday = _half_day(day) if pattern.closes_on_holidays else None
        if holiday is not None:
            half.append(CalendarDay(day, holiday, served=True))
    return WeekService(first, tuple(served), tuple(left_out), tuple(half))


def _half_day(day: date) -> str | None:
    """The holiday's name ('Nochebuena') when `day` is a half day."""
    return next((h.name_es.split(" (")[0] for h in national_holidays(day.year)
                 if h.day == day and h.half_day), None)


def long_date_es(day: date) -> str:
    """'viernes 25 de diciembre de 2026': a date as a sentence writes it."""
    return (f"{WEEKDAY_NAMES_ES[day.weekday()]} {day.day} de {MONTH_NAMES_ES[day.month - 1]} "
            f"de {day.year}")


def week_monday(day: date) -> date:
    """The Monday of the calendar week holding `day`."""
    return day - timedelta(days=day.weekday())


def cycle_position(day: date, start: date, weeks: int) -> tuple[int, int]:
    """(cycle week, weekday) of `day` for a cycle of `weeks` weeks whose week 1 holds
    `start`; weekday 1 = Monday. Dates before the start count backwards the same way."""
    if weeks < 1:
        raise ValueError("el ciclo debe tener al menos una semana")
    index = (week_monday(day) - week_monday(start)).days // 7
    return index % weeks + 1, day.isoweekday()


@dataclass(frozen=True)
class ServiceWeek:
    """The part of one calendar week that falls in a month: which cycle week it is and
    the weekdays served."""

    monday: date
    cycle_week: int
    weekdays: tuple[int, ...]


def service_weeks(dates: Iterable[date], start: date, weeks: int) -> list[ServiceWeek]:
    """The served dates grouped by calendar week, in order, with their cycle week."""
    by_week: dict[date, list[int]] = {}
    for d in sorted(dates):
        by_week.setdefault(week_monday(d), []).append(d.isoweekday())
    return [ServiceWeek(monday, cycle_position(monday, start, weeks)[0], tuple(days))
            for monday, days in by_week.items()]


def calendar_weeks(month: Month) -> list[date]:
    """The Mondays of every calendar week that overlaps `month`."""
    first = week_monday(month.first_day)
    count = (month.last_day - first).days // 7 + 1
    return [first + timedelta(weeks=i) for i in range(count)]


def weekdays_per_cycle_week(
    month: Month, start: date, weeks: int, served: Mapping[str, Sequence[date]],
) -> list[tuple[int, dict[str, tuple[int, ...]]]]:
    """For each calendar week overlapping `month`, in order: its cycle week and, per
    center_id, the weekdays served that week (possibly none)."""
    out: list[tuple[int, dict[str, tuple[int, ...]]]] = []
    for monday in calendar_weeks(month):
        sunday = monday + timedelta(days=6)
        per_center = {cid: tuple(d.isoweekday() for d in dates if monday <= d <= sunday)
                      for cid, dates in served.items()}
        out.append((cycle_position(monday, start, weeks)[0], per_center))
    return out
