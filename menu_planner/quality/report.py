"""The result of checking a cycle against the quality standard, its JSON section
(`menu_planner.quality/1`) and the Spanish wording of its numbers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from menu_planner.menu_names import weekday_name_es

QUALITY_FORMAT = "menu_planner.quality/1"
QUALITY_KEY = "quality"


@dataclass(frozen=True)
class QualityResult:
    """One rule checked for one age group: the verdict and its numbers.

    `title_es` says what the rule asks, `summary_es` the result in one sentence and
    `details_es` which weeks, days, dishes and grams; `numbers` holds the same figures for
    programs. An `advisory` result informs and never fails the cycle."""

    rule: str
    age_group: str
    age_group_es: str
    passed: bool
    title_es: str
    summary_es: str
    details_es: tuple[str, ...] = ()
    numbers: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""
    line: int | None = None
    advisory: bool = False

    @property
    def verdict_es(self) -> str:
        """'Cumple', 'No cumple' or 'Aviso' (an advisory result outside its band)."""
        if self.passed:
            return "Cumple"
        return "Aviso" if self.advisory else "No cumple"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the result."""
        return {"rule": self.rule, "age_group": self.age_group,
                "age_group_es": self.age_group_es, "passed": self.passed,
                "advisory": self.advisory, "verdict_es": self.verdict_es,
                "title_es": self.title_es, "summary_es": self.summary_es,
                "details_es": list(self.details_es), "numbers": dict(self.numbers),
                "source": self.source, "line": self.line}


@dataclass(frozen=True)
class QualityReport:
    """Every rule of the standard checked for every age group of a cycle."""

    program: str
    standard: str
    results: tuple[QualityResult, ...]

    @property
    def failed(self) -> tuple[QualityResult, ...]:
        """The results that fail the cycle (advisory ones never do)."""
        return tuple(r for r in self.results if not r.passed and not r.advisory)

    @property
    def passed(self) -> bool:
        """Whether the cycle passes every rule of the standard."""
        return not self.failed

    @property
    def counted(self) -> int:
        """How many results count for the verdict (advisory ones do not)."""
        return sum(1 for r in self.results if not r.advisory)

    def headline_es(self) -> str:
        """One sentence: passes everything, or how many rules fail."""
        if not self.results:
            return "No hay reglas de calidad que revisar (sin archivo de reglas)."
        if self.passed:
            return f"Cumple las {self.counted} reglas de calidad del menú."
        return (f"No cumple {len(self.failed)} de las {self.counted} reglas de calidad "
                "del menú.")

    def lines_es(self) -> list[str]:
        """The report as text lines for a person: per age group, each rule with its
        verdict, its numbers and its details."""
        lines = [self.headline_es()]
        group = None
        for r in self.results:
            if r.age_group_es != group:
                group = r.age_group_es
                lines += ["", f"{group}:"]
            lines.append(f"- [{r.verdict_es}] {r.title_es}: {r.summary_es}")
            lines += [f"    {d}" for d in r.details_es]
        return lines

    def to_dict(self) -> dict[str, Any]:
        """The `quality` section of a cycle document."""
        return {"format": QUALITY_FORMAT, "standard": self.standard, "passed": self.passed,
                "rules_checked": self.counted, "rules_failed": len(self.failed),
                "summary_es": self.headline_es(),
                "results": [r.to_dict() for r in self.results]}


def with_quality(cycle_json: Mapping[str, Any], report: QualityReport) -> dict[str, Any]:
    """A copy of a cycle document with its `quality` section set (replacing any older
    one: the section is always recomputed, never trusted from an imported file)."""
    out = dict(cycle_json)
    out[QUALITY_KEY] = report.to_dict()
    return out


def day_es(week: int, weekday: int) -> str:
    """'semana 2, martes'."""
    return f"semana {week}, {weekday_name_es(weekday)}"


def days_es(days: Iterable[tuple[int, int]] | Mapping[tuple[int, int], float],
            fmt: Callable[[float], str] | None = None) -> str:
    """Days grouped by week: 'semana 1 (lunes, martes); semana 3 (viernes)'; with a value
    per day and its format: 'semana 1 (lunes 12.0 g, martes 0.0 g)'."""
    values = days if isinstance(days, Mapping) else dict.fromkeys(days, 0.0)
    by_week: dict[int, list[str]] = {}
    for (week, weekday), v in sorted(values.items()):
        text = weekday_name_es(weekday) + (f" {fmt(v)}" if fmt else "")
        by_week.setdefault(week, []).append(text)
    return "; ".join(f"semana {w} ({', '.join(items)})" for w, items in by_week.items())


def grams_es(grams: float) -> str:
    """'12.5 g' and '10 g' under 100 g, '1,250 g' above."""
    text = f"{grams:,.1f}" if abs(grams) < 100 else f"{grams:,.0f}"
    return f"{text.removesuffix('.0')} g"


def kcal_es(kcal: float) -> str:
    """'1,140 kcal'."""
    return f"{kcal:,.0f} kcal"


def pct_es(pct: float) -> str:
    """'95.0 %'."""
    return f"{pct:,.1f} %"


def times_es(n: int, one: str = "vez", many: str = "veces") -> str:
    """'1 vez', '6 veces'."""
    return f"{n} {one if n == 1 else many}"
