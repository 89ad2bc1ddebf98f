"""What the pages read and put in words: an account's name, a cycle's history, a
program's signed versions (through the services; nothing changes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from menu_planner.services import Actor, Services
from menu_planner.services.records import CycleRecord
from menu_planner.spanish import iso_to_long_date


def display_name(services: Services, actor: Actor) -> str:
    """The account's full name, else its user name."""
    return services.accounts.full_name(actor.user_id) or actor.username


@dataclass(frozen=True)
class HistoryEvent:
    """One line of a cycle's history (from the audit trail)."""

    at: datetime
    username: str
    action: str
    text: str


ACTION_TEXT_ES = {
    "generar_ciclo": "generó el ciclo con el optimizador",
    "importar_ciclo": "importó el ciclo",
    "editar_ciclo": "editó el borrador",
    "aprobar_ciclo": "aprobó (firmó) el ciclo",
    "nueva_version": "creó un borrador como nueva versión",
}


def cycle_history(services: Services, cycle_id: int, limit: int = 50) -> list[HistoryEvent]:
    """What happened to a cycle, oldest first: generation, edits, signing, new versions.
    (The service's audit trail is for administration and finance; a nutritionist still
    sees the history of the cycles she signs.)"""
    rows, based = services.cycles.history(cycle_id, limit)
    events = [HistoryEvent(r.at, r.username, r.action, _event_text(r.action, r.details))
              for r in rows]
    events += [HistoryEvent(r.at, r.username, r.action,
                            f"creó a partir de este ciclo el borrador {r.entity_id}")
               for r in based]
    return sorted(events, key=lambda e: e.at)


def _event_text(action: str, details: dict[str, Any]) -> str:
    text = ACTION_TEXT_ES.get(action, action.replace("_", " "))
    if action == "aprobar_ciclo":
        text += f" como versión {details.get('version')}"
        if details.get("start_date"):
            text += f", semana 1 desde el {iso_to_long_date(str(details['start_date']))}"
        if details.get("note"):
            text += f". Nota: «{details['note']}»"
    if action == "nueva_version" and details.get("based_on"):
        text += f" a partir del ciclo {details['based_on']}"
    return text


def program_versions(services: Services, program: str) -> list[CycleRecord]:
    """Every signed version of a program's cycle, newest first (drafts left out)."""
    rows, _ = services.cycles.find(program=program, limit=1000)
    return [r for r in rows if r.version is not None]
