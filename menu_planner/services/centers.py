"""Use cases about centers and their enrollment."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from menu_planner.centers import load_centers
from menu_planner.domain import DataError, Problem
from menu_planner.procurement import load_attendance
from menu_planner.services.auth import ADMIN, CENTER_ADMIN, Actor
from menu_planner.services.base import ServiceBase, check_revision
from menu_planner.services.errors import Invalid, NotFound, invalid_from
from menu_planner.storage import Repository
from menu_planner.storage.models import CenterRow

MAX_CENTER_ID = 40


class CenterService(ServiceBase):
    """Centers, with each center administrator limited to their own."""

    def centers(self, actor: Actor, department: str | None = None,
                program: str | None = None) -> list[CenterRow]:
        """The centers the actor may see."""
        with self.unit() as repo:
            ids = None if actor.sees_all_centers else sorted(actor.centers)
            return repo.list_centers(ids, department, program)

    def center(self, actor: Actor, center_id: str) -> CenterRow:
        with self.unit() as repo:
            return self._center(repo, actor, center_id)

    def _center(self, repo: Repository, actor: Actor, center_id: str) -> CenterRow:
        row = repo.get_center(center_id)
        if row is None:
            # Whether a center exists is no secret, but its data are: check access first
            # only for known centers so a typo still reads as "not found".
            raise NotFound(f"No existe el centro '{center_id}'.")
        actor.require_center(center_id)
        return row

    def upload_centers(self, actor: Actor, path: Path, filename: str) -> tuple[int, int]:
        """Add or update centers from a centers.csv file; one bad line stores nothing.
        Returns (added, updated)."""
        actor.require(ADMIN, action="cargar centros")
        with self.unit() as repo:
            ds = self.dataset(repo)
            try:
                centers = load_centers(path, ds, label=filename)
                attendance = load_attendance(path, label=filename)
            except DataError as exc:
                raise invalid_from(exc, f"El archivo tiene {len(exc.problems)} problema(s); "
                                        "no se guardó ningún centro.") from exc
            long_ids = [Problem(filename, None, "center_id", f"el código '{c.center_id}' "
                                f"tiene más de {MAX_CENTER_ID} caracteres")
                        for c in centers if len(c.center_id) > MAX_CENTER_ID]
            if long_ids:
                raise invalid_from(DataError(long_ids))
            added, updated = repo.upsert_centers(centers, attendance)
            self.audit(repo, actor, "cargar_centros", "centro", "", filename=filename,
                       added=added, updated=updated)
            return added, updated

    def update_enrollment(self, actor: Actor, center_id: str, enrolled: Mapping[str, int],
                          attendance: float | None = None,
                          expected_revision: int | None = None) -> CenterRow:
        """Change a center's enrollment per age group (and expected attendance); Conflict
        if the center changed since `expected_revision`."""
        actor.require(ADMIN, CENTER_ADMIN, action="modificar la inscripción")
        with self.unit() as repo:
            row = self._center(repo, actor, center_id)
            check_revision(row, expected_revision, f"El centro '{center_id}'")
            groups = [g.age_group for g in self.dataset(repo).age_groups_of(row.program)]
            problems = [{"field": f"enrolled.{g}", "message": f"El programa {row.program} "
                         f"no tiene el grupo de edad '{g}' (use {', '.join(groups)})."}
                        for g in enrolled if g not in groups]
            problems += [{"field": f"enrolled.{g}", "message": "Debe ser un entero no "
                          "negativo."} for g, n in enrolled.items() if n < 0]
            if attendance is not None and not 0 < attendance <= 1:
                problems.append({"field": "attendance",
                                 "message": "La asistencia debe estar entre 0 y 1."})
            if problems:
                raise Invalid("La inscripción no es válida.", problems)
            before = dict(row.enrolled)
            row.enrolled = {g: int(enrolled.get(g, row.enrolled.get(g, 0))) for g in groups}
            if attendance is not None:
                row.attendance = attendance
            repo.save_center(row)
            self.audit(repo, actor, "modificar_inscripcion", "centro", center_id,
                       before=before, after=row.enrolled, attendance=row.attendance)
            return row
