"""The repository: every read and write of the service, bound to one Session (one
transaction). Obtain one from `Database.unit()`; never keep it past that block."""

from __future__ import annotations

from sqlmodel import Session

from menu_planner.storage.repo_cycles import CycleRepo
from menu_planner.storage.repo_people import PeopleRepo
from menu_planner.storage.repo_rules import RulesRepo


class Repository(RulesRepo, CycleRepo, PeopleRepo):
    """Reference data, the nutritionist's exchange and special rules, cycles and jobs,
    users, audit and settlements."""

    def __init__(self, session: Session) -> None:
        self.session = session
