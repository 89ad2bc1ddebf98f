"""Use cases about special menus: a nutritionist derives a subgroup's variant of a cycle
(a background job, with the special targets stored in the database), reads it back as
JSON or a workbook; a center declares how many people of each subgroup it has, and its
weekly purchase list then buys the variant for them."""

from __future__ import annotations

from collections.abc import Mapping

from menu_planner.domain import DataError, MenuCycle
from menu_planner.services.auth import ADMIN, NUTRITIONIST, Actor
from menu_planner.services.base import ServiceContext, check_revision
from menu_planner.services.cycles import CycleService, stored_cycle
from menu_planner.services.errors import Invalid, NotFound
from menu_planner.services.generation import JobService
from menu_planner.services.records import (
    CenterRecord,
    JobRecord,
    VariantRecord,
    record,
    records,
)
from menu_planner.services.rendering import XLSX, Rendered, json_document
from menu_planner.storage.models import CenterRow, CycleRow, CycleVariantRow, utcnow
from menu_planner.storage.repo_cycles import JOB_QUEUED, JOB_RUNNING
from menu_planner.variants.purchases import VariantUse
from menu_planner.variants.special import subgroup_name_es, subgroup_targets, subgroups_of

DERIVE = "derivar_variante"
DAY_TIME_LIMIT_S = 20.0


class VariantService:
    """Special menus of a cycle (derived as background jobs, given `jobs`) and the
    people of each center who eat them."""

    def __init__(self, ctx: ServiceContext, cycles: CycleService, jobs: JobService) -> None:
        self.ctx = ctx
        self.cycles = cycles
        self.jobs = jobs

    # -- deriving ------------------------------------------------------------------------
    def start(self, actor: Actor, cycle_id: int, subgroup: str) -> JobRecord:
        """Queue the derivation of `subgroup`'s variant of a cycle; poll `jobs.get()`."""
        actor.require(NUTRITIONIST, ADMIN, action="derivar menús especiales")
        with self.ctx.unit() as uow:
            row = self.cycles.row(uow, cycle_id)
            rules = uow.rules.special_rules()
            known = subgroups_of(rules, row.program)
            if subgroup not in known:
                msg = (f"El programa '{row.program}' no tiene metas especiales para "
                       f"'{subgroup}' (hay: {', '.join(known) or 'ninguno'}).")
                raise Invalid(msg, [{"field": "subgroup", "message": msg}])
            job = self.jobs.queue(uow, actor, DERIVE,
                                  {"cycle_id": cycle_id, "subgroup": subgroup})
            self.ctx.audit(uow, actor, "solicitar_variante", "trabajo", job.id,
                           cycle_id=cycle_id, subgroup=subgroup)
        self.jobs.submit(job.id, self._run_variant, actor)
        return record(JobRecord, job)

    def _run_variant(self, job_id: str, actor: Actor) -> None:
        from menu_planner.export.variant_xlsx import write_variant_xlsx
        from menu_planner.services.rendering import xlsx_document
        from menu_planner.variants.derive import derive_variant
        from menu_planner.variants.report import variant_to_dict

        with self.ctx.unit() as uow:
            job = self.jobs.started(uow, job_id)
            if job is None:
                return
            cycle_id, subgroup = int(job.params["cycle_id"]), str(job.params["subgroup"])
            cycle, ds = stored_cycle(self.cycles.row(uow, cycle_id)), self.ctx.dataset(uow)
            rules = uow.rules.special_rules()
        try:
            special = subgroup_targets(ds, rules, cycle.program, subgroup)
            result = derive_variant(ds, cycle, subgroup, special=special,
                                    time_limit_s=DAY_TIME_LIMIT_S,
                                    progress=self.jobs.progress(job_id))
            doc = variant_to_dict(result, ds)
            book = xlsx_document(lambda p: write_variant_xlsx(result, ds, p), "variante")
        except DataError as exc:
            details = [{"message": p.message} for p in exc.problems]
            self.jobs.failed(job_id, "datos_invalidos", "No se puede derivar el menú "
                             "especial: " + "; ".join(p.message for p in exc.problems),
                             details)
            return
        except Exception as exc:
            self.jobs.failed(job_id, "error_interno", "La derivación falló de forma "
                             "inesperada; avise al equipo técnico.", [{"error": repr(exc)}])
            raise
        report = doc["variant"]
        summary = {k: report[k] for k in ("subgroup_name_es", "reused_share", "swaps", "ok",
                                          "cost_q_per_person_day", "week_misses_es")}
        with self.ctx.unit() as uow:
            row = CycleVariantRow(cycle_id=cycle_id, subgroup=subgroup, data=doc,
                                  summary=summary, xlsx=book.content,
                                  created_by=actor.username)
            uow.variants.add(row)
            self.jobs.succeeded(uow, job_id, "Menú especial derivado", variant_id=row.id)
            self.ctx.audit(uow, actor, "derivar_variante", "variante", row.id,
                           cycle_id=cycle_id, subgroup=subgroup,
                           reused_share=summary["reused_share"])

    # -- reading -------------------------------------------------------------------------
    def of_cycle(self, cycle_id: int) -> list[VariantRecord]:
        """The variants derived from a cycle, newest first."""
        with self.ctx.unit() as uow:
            self.cycles.row(uow, cycle_id)
            return records(VariantRecord, uow.variants.of_cycle(cycle_id))

    def deriving(self, cycle_id: int) -> list[JobRecord]:
        """The derivation jobs of a cycle still queued or running, oldest first."""
        with self.ctx.unit() as uow:
            jobs = uow.jobs.unfinished(DERIVE, (JOB_QUEUED, JOB_RUNNING))
        return records(JobRecord, [j for j in jobs if j.params.get("cycle_id") == cycle_id])

    def get(self, variant_id: int) -> VariantRecord:
        return record(VariantRecord, self._row(variant_id))

    def _row(self, variant_id: int) -> CycleVariantRow:
        with self.ctx.unit() as uow:
            row = uow.variants.get(variant_id)
        if row is None:
            raise NotFound(f"No existe el menú especial {variant_id}.")
        return row

    def render(self, variant_id: int, fmt: str) -> Rendered:
        """The variant cycle file (JSON) or its workbook, as derived."""
        row = self._row(variant_id)
        stem = f"menu_especial_{row.subgroup}_ciclo{row.cycle_id}_{row.id}"
        if fmt == "json":
            return json_document(row.data, stem)
        return Rendered(row.xlsx, XLSX, f"{stem}.xlsx")

    # -- the people of each subgroup, and what the center buys for them -------------------
    def update_special_counts(self, actor: Actor, center_id: str,
                              counts: Mapping[str, Mapping[str, int]],
                              expected_revision: int | None = None) -> CenterRecord:
        """Set how many people of each subgroup (per age group) a center has; they are part
        of the enrollment and eat the subgroup's variant. An empty map clears them.
        Conflict if the center changed since `expected_revision`."""
        actor.require_center(center_id)
        with self.ctx.unit() as uow:
            row = uow.centers.get(center_id)
            if row is None:
                raise NotFound(f"No existe el centro '{center_id}'.")
            check_revision(row, expected_revision, f"El centro '{center_id}'")
            known = subgroups_of(uow.rules.special_rules(), row.program)
            names = {g.age_group: g.name_es
                     for g in self.ctx.dataset(uow).age_groups_of(row.program)}
            problems = _count_problems(row, counts, known, names)
            if problems:
                raise Invalid("Los números de personas por subgrupo no son válidos.",
                              problems)
            before = dict(row.special_counts or {})
            row.special_counts = {s: {g: int(n) for g, n in c.items() if n}
                                  for s, c in counts.items() if any(c.values())}
            row.updated_at = utcnow()
            saved = uow.centers.save(row)
            self.ctx.audit(uow, actor, "personas_subgrupo", "centro", center_id, before=before,
                           after=row.special_counts)
            return record(CenterRecord, saved)

    def for_center(self, row: CycleRow, center: CenterRow) -> tuple[list[VariantUse],
                                                                    list[str]]:
        """(uses of the derived variants, declared subgroups the cycle has no variant of)."""
        counts = {s: c for s, c in (center.special_counts or {}).items() if any(c.values())}
        if not counts:
            return [], []
        with self.ctx.unit() as uow:
            newest: dict[str, CycleVariantRow] = {}
            for v in uow.variants.of_cycle(row.id or 0):
                newest.setdefault(v.subgroup, v)
        uses = [VariantUse(s, _variant_cycle(newest[s]), {center.center_id: dict(c)})
                for s, c in counts.items() if s in newest]
        return uses, sorted(s for s in counts if s not in newest)


def missing_variant_note(center: CenterRow, subgroup: str, row: CycleRow) -> str:
    """The warning of a list whose declared subgroup has no special menu yet."""
    people = sum((center.special_counts or {}).get(subgroup, {}).values())
    return (f"{people} persona{'s' if people != 1 else ''} con menú especial de "
            f"«{subgroup_name_es(subgroup)}»: el ciclo aprobado {row.id} todavía no tiene "
            "ese menú especial, así que esta lista compra el menú base del ciclo para "
            f"{'ellas' if people != 1 else 'esa persona'}. La nutricionista debe derivarlo "
            f"en la página del ciclo {row.id}, sección «Menús especiales», botón «Derivar "
            "menú especial».")


def _variant_cycle(row: CycleVariantRow) -> MenuCycle:
    from menu_planner.domain import cycle_from_dict

    return cycle_from_dict(row.data)


def _count_problems(center: CenterRow, counts: Mapping[str, Mapping[str, int]],
                    known: list[str], names: Mapping[str, str]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    totals: dict[str, int] = {}
    for subgroup, by_group in counts.items():
        if subgroup not in known:
            out.append({"field": f"counts.{subgroup}", "message": (
                f"Subgrupo desconocido '{subgroup}' en este programa (hay: "
                f"{', '.join(known) or 'ninguno'}).")})
            continue
        for group, n in by_group.items():
            field = f"counts.{subgroup}.{group}"
            if group not in center.enrolled:
                out.append({"field": field, "message": f"Grupo de edad desconocido "
                            f"'{group}' (el centro tiene: {', '.join(center.enrolled)})."})
            elif n < 0:
                out.append({"field": field, "message": "No puede ser negativo."})
            else:
                totals[group] = totals.get(group, 0) + n
    for group, n in totals.items():
        if n > center.enrolled.get(group, 0):
            out.append({"field": f"counts.*.{group}", "message": (
                f"Declara {n} personas con menú especial en el grupo "
                f"{names.get(group, group)}, pero el centro tiene "
                f"{center.enrolled.get(group, 0)} inscritas.")})
    return out
