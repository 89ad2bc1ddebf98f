"""The unit of work: one transaction, and the repositories that read and write inside it,
reached as attributes (`uow.cycles`, `uow.centers`, ...). Obtain one from
`Database.unit()`; never keep it past that block."""

from __future__ import annotations

from sqlmodel import Session

from menu_planner.storage.repo_cycles import CycleRepo, JobRepo, VariantRepo
from menu_planner.storage.repo_people import AuditRepo, SettlementRepo, UserRepo
from menu_planner.storage.repo_reference import CenterRepo, MetaRepo, ReferenceRepo
from menu_planner.storage.repo_rules import RulesRepo


class UnitOfWork:
    """One Session; each repository owns one kind of stored record."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.meta = MetaRepo(session)  # seeding marks and the data revision
        self.reference = ReferenceRepo(session, self.meta)  # foods, prices, menus, targets
        self.centers = CenterRepo(session)
        self.rules = RulesRepo(session, self.meta)  # exchange rules, special targets
        self.cycles = CycleRepo(session)
        self.variants = VariantRepo(session)
        self.jobs = JobRepo(session)
        self.users = UserRepo(session)
        self.audit = AuditRepo(session)
        self.settlements = SettlementRepo(session)
