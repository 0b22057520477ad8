"""Congratulations: a person whose role or org changed, with no interaction since (occasions.py decides
what counts as a change and which are owed)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from ..career_history import FieldChange
from ..config import Config
from ..findings import Finding, Source
from ..model import Journal, Person
from ..occasions import Congratulation, congratulation


def owed_congratulation(journal: Journal, config: Config, today: dt.date, pid: str,
                        commits: Iterable[FieldChange]) -> Congratulation | None:
    """What PID is owed congratulations on as of TODAY (COMMITS: their note's changes in git), if anything."""
    contacts = [interaction.date for interaction in journal.interactions_with(pid)]
    return congratulation(journal.people[pid], commits, contacts, today, config.congratulate_kinds,
                          config.congratulate_within)


def congratulation_finding(person: Person, owed: Congratulation) -> Finding:
    """The `congratulate` finding of OWED: at its `changes:` entry, or at the note's role or org (a commit)."""
    change = owed.change
    line = change.line or person.line_of("role" if change.role is not None else "org")
    return Finding("congratulate", f"{person.name}: congratulate them on the {owed.reason()}; no interaction "
                   "since", Source(person.path, line), person=person.id)


def check_congratulations(journal: Journal, config: Config, today: dt.date,
                          history: Mapping[str, tuple[FieldChange, ...]] | None = None,
                          people: Iterable[str] | None = None) -> list[Finding]:
    """`congratulate` for everyone (or PEOPLE) owed congratulations; HISTORY: the commits' changes by note."""
    history = history or {}
    found = []
    for pid in journal.people if people is None else people:
        person = journal.people[pid]
        owed = owed_congratulation(journal, config, today, pid, history.get(person.path, ()))
        if owed is not None:
            found.append(congratulation_finding(person, owed))
    return found
