"""Use cases about centers and their enrollment."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from menu_planner.centers import load_centers
from menu_planner.domain import DataError, Problem
from menu_planner.enrollment_bounds import EnrollmentBounds, bounds_of
from menu_planner.procurement import load_attendance
from menu_planner.services.auth import ADMIN, CENTER_ADMIN, Actor
from menu_planner.services.base import ServiceContext, check_revision
from menu_planner.services.errors import Conflict, Invalid, NotFound, invalid_from
from menu_planner.services.records import CenterRecord, record, records
from menu_planner.storage import UnitOfWork
from menu_planner.storage.models import AuditRow, CenterRow

ENROLLMENT_CHANGED = "modificar_inscripcion"
LARGE_CHANGE = "confirmar_cambio_grande"  # the code of a refusal to confirm

MAX_CENTER_ID = 40


class CenterService:
    """Centers and their enrollment, with each center administrator limited to their
    own."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def find(self, actor: Actor, department: str | None = None,
             program: str | None = None) -> list[CenterRecord]:
        """The centers the actor may see."""
        with self.ctx.unit() as uow:
            ids = None if actor.sees_all_centers else sorted(actor.centers)
            return records(CenterRecord, uow.centers.find(ids, department, program))

    def get(self, actor: Actor, center_id: str) -> CenterRecord:
        with self.ctx.unit() as uow:
            return record(CenterRecord, visible_center(uow, actor, center_id))

    @property
    def enrollment_bounds(self) -> EnrollmentBounds:
        """The plausible enrollment per program and center type (DATA_DIR's file, else
        the shipped one)."""
        return bounds_of(self.ctx.data_dir)

    def upload_centers(self, actor: Actor, path: Path, filename: str,
                       confirm: bool = False) -> tuple[int, int]:
        """Add or update centers from a centers.csv file; one bad line stores nothing.
        A large change of a known center's enrollment needs `confirm`. Returns (added,
        updated)."""
        actor.require(ADMIN, action="cargar centros")
        with self.ctx.unit() as uow:
            ds = self.ctx.dataset(uow)
            try:
                centers = load_centers(path, ds, label=filename,
                                       bounds=self.enrollment_bounds)
                attendance = load_attendance(path, label=filename)
            except DataError as exc:
                raise invalid_from(exc, f"El archivo tiene {len(exc.problems)} problema(s); "
                                        "no se guardó ningún centro.") from exc
            long_ids = [Problem(filename, None, "center_id", f"el código '{c.center_id}' "
                                f"tiene más de {MAX_CENTER_ID} caracteres")
                        for c in centers if len(c.center_id) > MAX_CENTER_ID]
            if long_ids:
                raise invalid_from(DataError(long_ids))
            large = self._large_changes(uow, [(c.center_id, c.program, c.center_type,
                                               c.total_enrolled) for c in centers])
            if large and not confirm:
                raise _confirmation_needed(large, "confirm")
            added, updated = uow.centers.upsert(centers, attendance)
            self.ctx.audit(uow, actor, "cargar_centros", "centro", "", filename=filename,
                           added=added, updated=updated)
            for center_id, before, after in large:
                self.ctx.audit(uow, actor, ENROLLMENT_CHANGED, "centro", center_id,
                               before_total=before, after_total=after, large_change=True,
                               filename=filename)
            return added, updated

    def _large_changes(self, uow: UnitOfWork, new: list[tuple[str, str, str, int]]
                       ) -> list[tuple[str, int, int]]:
        """(center_id, total before, total after) of each known center whose total
        enrollment changes enough to need a confirmation."""
        out = []
        for center_id, program, center_type, after in new:
            row = uow.centers.get(center_id)
            if row is None:
                continue
            before = sum(int(n) for n in row.enrolled.values())
            bound = self.enrollment_bounds.for_center(program, center_type)
            if bound.is_large_change(before, after):
                out.append((center_id, before, after))
        return out

    def update_enrollment(self, actor: Actor, center_id: str, enrolled: Mapping[str, int],
                          attendance: float | None = None, confirm: bool = False,
                          expected_revision: int | None = None) -> CenterRecord:
        """Change a center's enrollment per age group (and expected attendance). A count
        beyond the plausible bound is refused; a large change needs `confirm`; Conflict
        if the center changed since `expected_revision`."""
        actor.require(ADMIN, CENTER_ADMIN, action="modificar la inscripción")
        with self.ctx.unit() as uow:
            row = visible_center(uow, actor, center_id)
            check_revision(row, expected_revision, f"El centro '{center_id}'")
            groups = [g.age_group for g in self.ctx.dataset(uow).age_groups_of(row.program)]
            problems = [{"field": f"enrolled.{g}", "message": f"El programa {row.program} "
                         f"no tiene el grupo de edad '{g}' (use {', '.join(groups)})."}
                        for g in enrolled if g not in groups]
            problems += [{"field": f"enrolled.{g}", "message": "Debe ser un entero no "
                          "negativo."} for g, n in enrolled.items() if n < 0]
            if attendance is not None and not 0 < attendance <= 1:
                problems.append({"field": "attendance",
                                 "message": "La asistencia debe estar entre 0 y 1."})
            after = {g: int(enrolled.get(g, row.enrolled.get(g, 0))) for g in groups}
            if not problems:
                problems = [{"field": "enrolled" if g == "total" else f"enrolled.{g}",
                             "message": msg[0].upper() + msg[1:] + "."}
                            for g, msg in self.enrollment_bounds.problems(
                                row.program, row.center_type, after)]
            if problems:
                raise Invalid("La inscripción no es válida.", problems)
            before = dict(row.enrolled)
            large = self._large_changes(uow, [(center_id, row.program, row.center_type,
                                               sum(after.values()))])
            if large and not confirm:
                raise _confirmation_needed(large, "confirm")
            row.enrolled = after
            if attendance is not None:
                row.attendance = attendance
            uow.centers.save(row)
            extra = ({"large_change": True, "before_total": large[0][1],
                      "after_total": large[0][2]} if large else {})
            self.ctx.audit(uow, actor, ENROLLMENT_CHANGED, "centro", center_id,
                           before=before, after=row.enrolled, attendance=row.attendance, **extra)
            return record(CenterRecord, row)


def visible_center(uow: UnitOfWork, actor: Actor, center_id: str) -> CenterRow:
    """The stored center, NotFound when unknown, Forbidden unless the actor may see
    it (one rule for every service that reads a center)."""
    row = uow.centers.get(center_id)
    if row is None:
        # Whether a center exists is no secret, but its data are: check access first
        # only for known centers so a typo still reads as "not found".
        raise NotFound(f"No existe el centro '{center_id}'.")
    actor.require_center(center_id)
    return row



def _confirmation_needed(large: list[tuple[str, int, int]], field: str) -> Conflict:
    """The refusal of a large enrollment change that was not confirmed."""
    details = [{"field": field, "center_id": cid, "message": (
        f"La inscripción del centro {cid} pasa de {before:,} a {after:,} personas: "
        "confirme que la cifra es correcta.")} for cid, before, after in large]
    shown = "; ".join(d["message"] for d in details[:3])
    more = f" (y {len(details) - 3} centro(s) más)" if len(details) > 3 else ""
    return Conflict(f"{shown}{more} Vuelva a enviar con la confirmación del cambio "
                    "grande.", details, code=LARGE_CHANGE)


def _large_change_flag(event: AuditRow) -> str:
    """The finance flag of a confirmed large enrollment change."""
    before, after = event.details.get("before_total"), event.details.get("after_total")
    return (f"Revisar: la inscripción cambió mucho ({before} → {after} personas), "
            f"confirmado por {event.username} el {event.at:%d/%m/%Y}.")


def enrollment_flags(uow: UnitOfWork, rows: Sequence[CenterRow], bounds: EnrollmentBounds,
                     months: Collection[str]) -> dict[str, str]:
    """center_id -> a sentence for the finance views: enrollment beyond the plausible
    bound (stored before bounds existed), or a large change someone confirmed in one of
    `months` (AAAA-MM)."""
    flags: dict[str, str] = {}
    for row in rows:
        problems = bounds.problems(row.program, row.center_type, dict(row.enrolled))
        if problems:
            flags[row.center_id] = f"Inscripción fuera de lo posible: {problems[0][1]}."
    events = uow.audit.latest(ENROLLMENT_CHANGED, "centro", [r.center_id for r in rows])
    for center_id, event in events.items():
        if event.details.get("large_change") and f"{event.at:%Y-%m}" in months \
                and center_id not in flags:
            flags[center_id] = _large_change_flag(event)
    return flags
