"""Congratulations: a person whose role or org changed, with no interaction since (occasions.py decides
what counts as a change and which are owed)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from ..career_history import FieldChange
from ..config import Config
from ..findings import Finding, Source
from ..model import Journal, Person
from ..occasions import Congratulation, ImportantDate, congratulation, important_dates


def owed_congratulation(journal: Journal, config: Config, today: dt.date, pid: str,
                        commits: Iterable[FieldChange]) -> Congratulation | None:
    """What PID is owed congratulations on as of TODAY (COMMITS: their note's changes in git), if anything.
    Their interactions are read only when they have a change: most people have none."""
    commits = tuple(commits)
    if not journal.people[pid].changes and not commits:
        return None
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


def date_reason(person: Person | None, day: ImportantDate, today: dt.date) -> str:
    """`Lena Ortiz's birthday on 2026-11-25, in 3 days` (without PERSON: `birthday on 2026-11-25, …`)."""
    days = (day.on - today).days
    when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
    return f"{day.describe(person.name if person is not None else None)} on {day.on}, {when}"


def important_date_finding(person: Person, day: ImportantDate, today: dt.date) -> Finding:
    """The `important-date` finding of DAY: at its `dates:` entry, or at the `birthday` field."""
    return Finding("important-date", date_reason(person, day, today),
                   Source(person.path, day.line or person.line_of("birthday")), person=person.id)


def upcoming_dates(person: Person, today: dt.date, within: int) -> list[ImportantDate]:
    """PERSON's birthday and `dates:` that come within WITHIN days of TODAY (today included)."""
    return [day for day in important_dates(person, today) if (day.on - today).days <= within]


def check_important_dates(journal: Journal, config: Config, today: dt.date,
                          people: Iterable[str] | None = None) -> list[Finding]:
    """`important-date` for each birthday and `dates:` entry within `[follow_ups] soon` of TODAY."""
    found = []
    for pid in journal.people if people is None else people:
        person = journal.people[pid]
        found += [important_date_finding(person, day, today) for day in upcoming_dates(person, today,
                                                                                        config.due_soon)]
    return found
