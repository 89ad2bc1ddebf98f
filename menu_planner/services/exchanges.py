"""Use cases about exchanges and special menus: the nutritionist's exchange rules,
exclusions and special targets (stored, edited, audited); the exchange list of a cycle;
this week's exchanges of a center; and a week's purchase list with unavailable foods
replaced, with what the change breaks, before the list is accepted."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any

from menu_planner.domain import DataError, Dataset, MenuCycle
from menu_planner.exchanges.lists import ExchangeList, build_exchange_list
from menu_planner.exchanges.measures import load_kitchen_measures
from menu_planner.exchanges.purchase_flow import SubstitutedWeek, substituted_week
from menu_planner.exchanges.rules import (
    ExchangeRule,
    ExchangeRules,
    Exclusion,
    exclusion_problems,
    rule_problems,
)
from menu_planner.procurement import WeekPurchases
from menu_planner.services.auth import ADMIN, NUTRITIONIST, Actor
from menu_planner.services.base import ServiceContext, check_revision
from menu_planner.services.cycles import stored_cycle
from menu_planner.services.errors import Conflict, Invalid, NotFound, invalid_from
from menu_planner.services.procurement import ProcurementService
from menu_planner.services.records import (
    CycleRecord,
    ExchangeRuleRecord,
    ExclusionRecord,
    SpecialTargetRecord,
    record,
    records,
)
from menu_planner.services.reference import REGIONS
from menu_planner.services.rendering import Rendered, json_document, xlsx_document
from menu_planner.services.variants import VariantService, missing_variant_note
from menu_planner.storage import UnitOfWork
from menu_planner.storage.models import (
    ExchangeExclusionRow,
    ExchangeRuleRow,
    SpecialTargetRow,
)
from menu_planner.storage.repo_reference import center_of
from menu_planner.storage.repo_rules import RuleRow, special_rule_of
from menu_planner.variants.special import SpecialRule, special_rule_problems

EDITORS = (NUTRITIONIST, ADMIN)


def _field_errors(problems: Sequence[tuple[str, str]], what: str) -> Invalid:
    return Invalid(f"{what} no es válida: " + "; ".join(m for _, m in problems) + ".",
                   [{"field": f, "message": m} for f, m in problems])


class ExchangeService:
    """Exchange rules, exclusions and special targets, exchange lists and substitutions
    in a week's purchase list (given `procurement` and `variants`)."""

    def __init__(self, ctx: ServiceContext, procurement: ProcurementService,
                 variants: VariantService) -> None:
        self.ctx = ctx
        self.procurement = procurement
        self.variants = variants

    # -- exchange rules ------------------------------------------------------------------
    def exchange_rules(self, food_group: str | None = None) -> list[ExchangeRuleRecord]:
        with self.ctx.unit() as uow:
            return records(ExchangeRuleRecord, uow.rules.exchange_rule_rows(food_group))

    def save_exchange_rule(self, actor: Actor, rule: ExchangeRule,
                           rule_id: int | None = None,
                           expected_revision: int | None = None) -> ExchangeRuleRecord:
        """Add a rule, or replace rule `rule_id` (Conflict if it changed since
        `expected_revision`); checked against the foods and nutrients (Invalid names each
        field), unique per (food group, food)."""
        actor.require(*EDITORS, action="modificar reglas de intercambio")
        with self.ctx.unit() as uow:
            problems = rule_problems(rule, self.ctx.dataset(uow))
            if problems:
                raise _field_errors(problems, "La regla de intercambio")
            row = self._rule_row(uow, ExchangeRuleRow, rule_id, expected_revision) \
                if rule_id else ExchangeRuleRow(food_group=rule.food_group)
            before = row.model_dump(exclude={"updated_at", "updated_by", "position",
                                             "revision"})
            if any(r.id != row.id and (r.food_group, r.food_id) == (rule.food_group,
                                                                    rule.food_id)
                   for r in uow.rules.exchange_rule_rows(rule.food_group)):
                raise Conflict("Ya existe una regla para ese grupo y alimento; modifíquela en "
                               "lugar de crear otra.", code="regla_existe")
            for name, value in _rule_values(rule).items():
                setattr(row, name, value)
            saved = uow.rules.save(row, actor.username)
            self.ctx.audit(uow, actor, "modificar_regla_intercambio" if rule_id
                           else "crear_regla_intercambio", "regla_intercambio", saved.id,
                           before=before if rule_id else {}, after=_rule_values(rule))
            return record(ExchangeRuleRecord, saved)

    def delete_exchange_rule(self, actor: Actor, rule_id: int,
                             expected_revision: int | None = None) -> None:
        """Delete a rule (a food then follows its group's rule; a group without a rule is
        not exchanged)."""
        actor.require(*EDITORS, action="modificar reglas de intercambio")
        with self.ctx.unit() as uow:
            row = self._rule_row(uow, ExchangeRuleRow, rule_id, expected_revision)
            uow.rules.delete(row)
            self.ctx.audit(uow, actor, "borrar_regla_intercambio", "regla_intercambio",
                           rule_id, before=row.model_dump(mode="json"))

    # -- exclusions ----------------------------------------------------------------------
    def exclusions(self) -> list[ExclusionRecord]:
        with self.ctx.unit() as uow:
            return records(ExclusionRecord, uow.rules.exclusion_rows())

    def add_exclusion(self, actor: Actor, ex: Exclusion) -> ExclusionRecord:
        """Forbid a replacement (food ids, `grupo:<grupo>` or `*` on each side)."""
        actor.require(*EDITORS, action="modificar reglas de intercambio")
        with self.ctx.unit() as uow:
            problems = exclusion_problems(ex, self.ctx.dataset(uow))
            if problems:
                raise _field_errors(problems, "La exclusión")
            saved = uow.rules.save(ExchangeExclusionRow(
                original=ex.original, replacement=ex.replacement, program=ex.program,
                symmetric=ex.symmetric, reason=ex.reason), actor.username)
            self.ctx.audit(uow, actor, "crear_exclusion", "exclusion_intercambio", saved.id,
                           after=dataclasses.asdict(ex))
            return record(ExclusionRecord, saved)

    def delete_exclusion(self, actor: Actor, exclusion_id: int,
                         expected_revision: int | None = None) -> None:
        actor.require(*EDITORS, action="modificar reglas de intercambio")
        with self.ctx.unit() as uow:
            row = self._rule_row(uow, ExchangeExclusionRow, exclusion_id, expected_revision)
            uow.rules.delete(row)
            self.ctx.audit(uow, actor, "borrar_exclusion", "exclusion_intercambio", exclusion_id,
                           before=row.model_dump(mode="json"))

    # -- special targets -----------------------------------------------------------------
    def special_targets(self, program: str | None = None,
                        subgroup: str | None = None) -> list[SpecialTargetRecord]:
        with self.ctx.unit() as uow:
            return records(SpecialTargetRecord,
                           uow.rules.special_target_rows(program, subgroup))

    def special_rules(self) -> tuple[SpecialRule, ...]:
        """Every stored special target as the core's rules (for variants)."""
        with self.ctx.unit() as uow:
            return uow.rules.special_rules()

    def save_special_target(self, actor: Actor, rule: SpecialRule,
                            target_id: int | None = None,
                            expected_revision: int | None = None) -> SpecialTargetRecord:
        """Add a subgroup's special target, or replace `target_id` (Conflict if it changed
        since `expected_revision`)."""
        actor.require(*EDITORS, action="modificar metas especiales")
        with self.ctx.unit() as uow:
            problems = special_rule_problems(rule, self.ctx.dataset(uow))
            if problems:
                raise _field_errors(problems, "La meta especial")
            row = self._rule_row(uow, SpecialTargetRow, target_id, expected_revision) \
                if target_id else (
                SpecialTargetRow(program=rule.program, subgroup=rule.subgroup,
                                 age_group=rule.age_group, nutrient=rule.nutrient))
            before = dataclasses.asdict(special_rule_of(row)) if target_id else {}
            values = dataclasses.asdict(rule)
            key = (rule.program, rule.subgroup, rule.age_group, rule.nutrient, rule.basis)
            if any(r.id != row.id and (r.program, r.subgroup, r.age_group, r.nutrient,
                                       r.basis) == key
                   for r in uow.rules.special_target_rows(rule.program, rule.subgroup)):
                raise Conflict("Ya existe esa meta especial (programa, subgrupo, grupo de "
                               "edad, nutriente, base); modifíquela en lugar de crear otra.",
                               code="meta_especial_existe")
            for name, value in values.items():
                setattr(row, name, value)
            saved = uow.rules.save(row, actor.username)
            self.ctx.audit(uow, actor, "modificar_meta_especial" if target_id
                           else "crear_meta_especial", "meta_especial", saved.id, before=before,
                           after=values)
            return record(SpecialTargetRecord, saved)

    def delete_special_target(self, actor: Actor, target_id: int,
                              expected_revision: int | None = None) -> None:
        actor.require(*EDITORS, action="modificar metas especiales")
        with self.ctx.unit() as uow:
            row = self._rule_row(uow, SpecialTargetRow, target_id, expected_revision)
            uow.rules.delete(row)
            self.ctx.audit(uow, actor, "borrar_meta_especial", "meta_especial", target_id,
                           before=dataclasses.asdict(special_rule_of(row)))

    def exchange_rule(self, rule_id: int) -> ExchangeRuleRecord:
        """One stored exchange rule (NotFound in words)."""
        with self.ctx.unit() as uow:
            return record(ExchangeRuleRecord, self._rule_row(uow, ExchangeRuleRow, rule_id))

    def exclusion(self, exclusion_id: int) -> ExclusionRecord:
        """One stored exclusion (NotFound in words)."""
        with self.ctx.unit() as uow:
            return record(ExclusionRecord,
                          self._rule_row(uow, ExchangeExclusionRow, exclusion_id))

    def special_target(self, target_id: int) -> SpecialTargetRecord:
        """One stored special target (NotFound in words)."""
        with self.ctx.unit() as uow:
            return record(SpecialTargetRecord,
                          self._rule_row(uow, SpecialTargetRow, target_id))

    # -- exchange lists ------------------------------------------------------------------
    def cycle_exchange_list(self, actor: Actor, cycle_id: int,
                            department: str | None = None,
                            ) -> tuple[ExchangeList, CycleRecord]:
        """The exchange list of a cycle (any status) at `department`'s prices (default:
        the cycle's price region)."""
        if department is not None and department not in REGIONS:
            raise Invalid(f"Departamento desconocido '{department}'.",
                          [{"field": "department", "message": "use uno de los 22 "
                            "departamentos o 'Nacional'"}])
        with self.ctx.unit() as uow:
            row = uow.cycles.get(cycle_id)
            if row is None:
                raise NotFound(f"No existe el ciclo {cycle_id}.")
            cycle, ds, rules = stored_cycle(row), self.ctx.dataset(uow), uow.rules.exchange_rules()
        return self._exchange_list(ds, cycle, rules, department), record(CycleRecord, row)

    def week_exchange_list(self, actor: Actor, center_id: str,
                           week: int) -> tuple[ExchangeList, CycleRecord]:
        """The exchanges of the foods a center cooks in cycle week `week` of its signed
        cycle, at its department's prices; warnings checked on that week's days."""
        cw = self.procurement.center_week(actor, center_id, week)
        with self.ctx.unit() as uow:
            rules = uow.rules.exchange_rules()
        one_week = dataclasses.replace(cw.cycle, days=cw.cycle.days_of_week(week))
        xl = self._exchange_list(cw.dataset, one_week, rules, cw.center.department)
        return xl, record(CycleRecord, cw.row)

    def render_exchange_list(self, xl: ExchangeList, fmt: str, stem: str) -> Rendered:
        """The list as JSON, xlsx or a printable HTML page."""
        if fmt == "json":
            from menu_planner.exchanges.formats import exchange_list_to_dict

            return json_document(exchange_list_to_dict(xl), stem)
        if fmt == "html":
            from menu_planner.export.exchanges_html import render_exchanges_html

            return Rendered(render_exchanges_html(xl, generated=date.today()).encode(),
                            "text/html; charset=utf-8", f"{stem}.html")
        from menu_planner.export.exchanges_xlsx import write_exchanges_xlsx

        return xlsx_document(lambda p: write_exchanges_xlsx(xl, p, generated=date.today()),
                             stem)

    # -- substitution in a week's purchase list -------------------------------------------
    def substitution(self, actor: Actor, center_id: str, week: int | None,
                     unavailable: Sequence[str], monday: date | None = None,
                     ) -> tuple[SubstitutedWeek, CycleRecord]:
        """The week's list before and after replacing `unavailable` foods (ids of foods the
        week's menu uses) by their best exchange, with the targets and budget it breaks.
        With `monday`, the calendar week's list (its service days only, as the page).
        Nothing is stored: the person reads it, then downloads the list if they accept."""
        cw = self.procurement.center_week(actor, center_id, week, monday=monday)
        week = cw.week
        used = {i.food_id for d in cw.cycle.days_of_week(week) for m in d.meals
                for it in m.items for i in cw.dataset.recipes[it.recipe_id].ingredients}
        wanted = list(dict.fromkeys(unavailable))
        bad = [f for f in wanted if f not in used]
        if not wanted or bad:
            msg = ("Indique al menos un alimento que falte." if not wanted else
                   "Estos alimentos no están en el menú de la semana: " + ", ".join(bad) + ".")
            raise Invalid(msg, [{"field": "unavailable", "message": msg}])
        with self.ctx.unit() as uow:
            rules = uow.rules.exchange_rules()
        uses, missing = self.variants.for_center(cw.row, cw.center)
        notes = [missing_variant_note(cw.center, s, cw.row) for s in missing]
        try:
            days, carry = self.procurement.week_days_and_carry(cw)
            result = substituted_week(
                cw.dataset, cw.cycle, [center_of(cw.center)], week, wanted,
                region=cw.center.department,
                rules=rules, data_dir=self.ctx.data_dir, settings=self.ctx.purchase_settings(),
                attendance=cw.attendance, carry_in=carry, variants=uses, weekdays=days)
        except DataError as exc:
            raise invalid_from(exc, "No se puede calcular la lista con los cambios.") from exc
        dated = self.procurement.dated
        return dataclasses.replace(result, before=dated(result.before, cw, notes),
                                   after=dated(result.after, cw, notes)), record(CycleRecord,
                                                                                cw.row)

    def accept_substitution(self, actor: Actor, center_id: str, week: int | None,
                            unavailable: Sequence[str], accept: bool,
                            monday: date | None = None) -> WeekPurchases:
        """The substituted list, refused (Conflict with every breach) when it breaks a
        target or the budget and `accept` is not given; an accepted breach is audited."""
        result, row = self.substitution(actor, center_id, week, unavailable, monday)
        week = result.after.week
        breaches = substitution_breaches(result)
        if breaches and not accept:
            raise Conflict("El cambio incumple metas o el presupuesto; revise los avisos y "
                           "acéptelos para obtener la lista.", breaches,
                           code="sustitucion_incumple")
        with self.ctx.unit() as uow:
            self.ctx.audit(uow, actor, "aceptar_sustitucion", "centro", center_id,
                           cycle_id=row.id, week=week, unavailable=list(unavailable),
                           substitutions=[s.summary_es() for s in result.substitutions],
                           breaches=len(breaches))
        return result.after

    # -- helpers -------------------------------------------------------------------------
    def _exchange_list(self, ds: Dataset, cycle: MenuCycle, rules: ExchangeRules,
                       region: str | None) -> ExchangeList:
        try:
            measures = load_kitchen_measures(ds, self.ctx.data_dir)
            return build_exchange_list(ds, cycle, region=region, rules=rules,
                                       measures=measures)
        except DataError as exc:
            raise invalid_from(exc, "No se puede preparar la lista de intercambio.") from exc

    @staticmethod
    def _rule_row(uow: UnitOfWork, model: type[RuleRow], row_id: int,
                  expected_revision: int | None = None) -> RuleRow:
        row = uow.rules.get(model, row_id)
        what = {ExchangeRuleRow: "la regla de intercambio",
                ExchangeExclusionRow: "la exclusión",
                SpecialTargetRow: "la meta especial"}[model]
        if row is None:
            raise NotFound(f"No existe {what} {row_id}.")
        check_revision(row, expected_revision, f"{what.capitalize()} {row_id}")
        return row


def _rule_values(rule: ExchangeRule) -> dict[str, Any]:
    nutrients = list(rule.nutrients)
    return {"food_group": rule.food_group, "food_id": rule.food_id,
            "exchange_group": (rule.exchange_group or rule.food_group) if nutrients else "",
            "nutrients": nutrients, "min_ratio": rule.min_ratio, "max_ratio": rule.max_ratio,
            "source": rule.source, "note": rule.note}


def substitution_breaches(result: SubstitutedWeek) -> list[dict[str, Any]]:
    """Every target, day budget and weekly budget the substitution breaks, as details."""
    out: list[dict[str, Any]] = [{"kind": "meta", "message": b.message_es()}
                                 for b in result.day_breaches]
    out += [{"kind": "presupuesto_semanal", "message": b.message_es()}
            for b in result.budget_breaches]
    return out
