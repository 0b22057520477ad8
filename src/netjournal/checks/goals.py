"""Goals: an active goal's stakeholders must be warm; report each cold one with the goal's coverage."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..config import Config
from ..findings import Finding, Source
from ..model import Goal, Journal
from .staleness import ContactStatus, contact_status


@dataclass(frozen=True)
class Coverage:
    warm: tuple[str, ...]
    cold: tuple[str, ...]  # stale or never contacted

    @property
    def total(self) -> int:
        return len(self.warm) + len(self.cold)

    @property
    def label(self) -> str:
        return f"{len(self.warm)}/{self.total} stakeholders warm"


def goal_coverage(journal: Journal, config: Config, today: dt.date, goal: Goal,
                  statuses: dict[str, ContactStatus] | None = None) -> Coverage:
    warm: list[str] = []
    cold: list[str] = []
    for pid in journal.stakeholders.get(goal.id, ()):
        status = (statuses or {}).get(pid) or contact_status(journal, config, today, journal.people[pid])
        (warm if status.warm else cold).append(pid)
    return Coverage(tuple(warm), tuple(cold))


def check_goals(journal: Journal, config: Config, today: dt.date) -> list[Finding]:
    findings = []
    for goal in journal.goals.values():
        if goal.status != "active":
            continue
        coverage = goal_coverage(journal, config, today, goal)
        for pid in coverage.cold:
            person = journal.people[pid]
            status = contact_status(journal, config, today, person)
            why = ("never contacted" if status.never_contacted
                   else f"last contact {status.last_contact}, due {status.next_due}")
            refs = {ref.text: ref.line for ref in goal.stakeholder_refs}
            line = next((line for text, line in refs.items() if pid in journal.resolve_person(text)),
                        goal.line_of("stakeholders"))
            findings.append(Finding(
                "goal-stakeholder-cold", f"{goal.title}: stakeholder {person.name} has gone cold ({why}); "
                f"coverage {coverage.label}", Source(goal.path, line), person=pid))
    return findings
