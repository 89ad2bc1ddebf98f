"""Exchange rules, exchange exclusions and special targets in the database: the data a
nutritionist edits, seeded once from DATA_DIR (or the shipped files) and turned back into
the core's objects for the exchange lists and special menus."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from menu_planner.exchanges.rules import ExchangeRule, ExchangeRules, Exclusion
from menu_planner.storage.models import (
    ExchangeExclusionRow,
    ExchangeRuleRow,
    SpecialTargetRow,
    utcnow,
)
from menu_planner.storage.repo_reference import MetaRepo
from menu_planner.variants.special import SpecialRule

RULES_SEEDED_KEY = "rules_seeded_at"
RULES_SOURCE = "base de datos"
RuleRow = TypeVar("RuleRow", ExchangeRuleRow, ExchangeExclusionRow, SpecialTargetRow)


class RulesRepo:
    """Reads and writes of the nutritionist's rules inside one Session."""

    def __init__(self, session: Session, meta: MetaRepo) -> None:
        self.session = session
        self.meta = meta

    def seeded(self) -> bool:
        return self.meta.get(RULES_SEEDED_KEY) is not None

    def store(self, rules: ExchangeRules, special: Sequence[SpecialRule]) -> None:
        """Write the rules of a (validated) data directory; used once per database."""
        s = self.session
        s.add_all(ExchangeRuleRow(position=i, **_rule_fields(r))
                  for i, r in enumerate(rules.rules))
        s.add_all(ExchangeExclusionRow(position=i, **_exclusion_fields(e))
                  for i, e in enumerate(rules.exclusions))
        s.add_all(SpecialTargetRow(position=i, **_special_fields(r))
                  for i, r in enumerate(special))
        self.meta.set(RULES_SEEDED_KEY, utcnow().isoformat())

    # -- reads ---------------------------------------------------------------------------
    def exchange_rule_rows(self, food_group: str | None = None) -> list[ExchangeRuleRow]:
        q = select(ExchangeRuleRow)
        if food_group:
            q = q.where(ExchangeRuleRow.food_group == food_group)
        return list(self.session.exec(q.order_by(col(ExchangeRuleRow.position),
                                                 col(ExchangeRuleRow.id))))

    def exclusion_rows(self) -> list[ExchangeExclusionRow]:
        return list(self.session.exec(select(ExchangeExclusionRow).order_by(
            col(ExchangeExclusionRow.position), col(ExchangeExclusionRow.id))))

    def special_target_rows(self, program: str | None = None,
                             subgroup: str | None = None) -> list[SpecialTargetRow]:
        q = select(SpecialTargetRow)
        if program:
            q = q.where(SpecialTargetRow.program == program)
        if subgroup:
            q = q.where(SpecialTargetRow.subgroup == subgroup)
        return list(self.session.exec(q.order_by(col(SpecialTargetRow.position),
                                                 col(SpecialTargetRow.id))))

    def get(self, model: type[RuleRow], row_id: int) -> RuleRow | None:
        return self.session.get(model, row_id)

    def exchange_rules(self) -> ExchangeRules:
        """The stored rules and exclusions as the core's ExchangeRules."""
        rules = tuple(ExchangeRule(r.food_group, r.food_id, r.exchange_group,
                                   tuple(r.nutrients), r.min_ratio, r.max_ratio, r.source,
                                   r.note) for r in self.exchange_rule_rows())
        exclusions = tuple(Exclusion(e.original, e.replacement, e.program, e.symmetric,
                                     e.reason) for e in self.exclusion_rows())
        return ExchangeRules(rules, exclusions, {"menus/exchange_rules.csv": RULES_SOURCE,
                                                 "menus/exchange_exclusions.csv": RULES_SOURCE})

    def special_rules(self) -> tuple[SpecialRule, ...]:
        """The stored special targets as the core's SpecialRule rows."""
        return tuple(special_rule_of(r) for r in self.special_target_rows())

    # -- writes --------------------------------------------------------------------------
    def save(self, row: RuleRow, username: str) -> RuleRow:
        """Insert or update a rule row, stamping who changed it; flushed so the database
        checks its constraints now."""
        row.updated_by, row.updated_at = username, utcnow()
        if row.id is None:
            row.position = self._next_position(type(row))
        self.session.add(row)
        self.session.flush()
        self.session.refresh(row)
        return row

    def delete(self, row: SQLModel) -> None:
        self.session.delete(row)
        self.session.flush()

    def _next_position(self, model: type[RuleRow]) -> int:
        top = self.session.exec(select(func.max(model.position))).one()
        return 0 if top is None else int(top) + 1


def special_rule_of(r: SpecialTargetRow) -> SpecialRule:
    """A stored special target as the core's SpecialRule."""
    return SpecialRule(r.program, r.subgroup, r.age_group, r.nutrient, r.min, r.max,
                       r.basis, r.min_factor, r.max_factor, r.source, r.note)


def _rule_fields(r: ExchangeRule) -> dict[str, Any]:
    return {"food_group": r.food_group, "food_id": r.food_id,
            "exchange_group": r.exchange_group, "nutrients": list(r.nutrients),
            "min_ratio": r.min_ratio, "max_ratio": r.max_ratio, "source": r.source,
            "note": r.note}


def _exclusion_fields(e: Exclusion) -> dict[str, Any]:
    return {"original": e.original, "replacement": e.replacement, "program": e.program,
            "symmetric": e.symmetric, "reason": e.reason}


def _special_fields(r: SpecialRule) -> dict[str, Any]:
    return {"program": r.program, "subgroup": r.subgroup, "age_group": r.age_group,
            "nutrient": r.nutrient, "min": r.min, "max": r.max, "basis": r.basis,
            "min_factor": r.min_factor, "max_factor": r.max_factor, "source": r.source,
            "note": r.note}
