"""Who is due for contact: last contact plus cadence (person, else first tagged cadence, else default)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..config import Config
from ..findings import Finding, Source
from ..model import Journal, Person
from ..values import NO_CADENCE, days_after, format_duration


@dataclass(frozen=True)
class ContactStatus:
    person: str
    last_contact: dt.date | None  # the latest interaction on or before today
    base: dt.date | None  # what the cadence counts from: last contact, else `met`
    cadence: int  # days; NO_CADENCE = never due
    cadence_source: str
    next_due: dt.date | None
    overdue_days: int  # > 0 when stale
    snoozed: bool
    paused: bool

    @property
    def stale(self) -> bool:
        return self.overdue_days > 0

    @property
    def never_contacted(self) -> bool:
        return self.last_contact is None

    @property
    def warm(self) -> bool:
        """In touch: contacted at least once and not past the cadence."""
        return not self.never_contacted and not self.stale

    def due_within(self, today: dt.date, days: int) -> bool:
        """Due for contact: the next due date is on or before TODAY plus DAYS (past ones included)."""
        return self.next_due is not None and (self.next_due - today).days <= days

    def due_on(self, today: dt.date) -> dt.date | None:
        """The day to get in touch: the next due date, or TODAY once that has passed; None if never due."""
        return None if self.next_due is None else max(self.next_due, today)


def person_cadence(person: Person, config: Config) -> tuple[int, str]:
    """(days, where it came from): the person's own cadence, the first tag with one, or the default."""
    if person.cadence is not None:
        return person.cadence, "the person's cadence"
    for tag in person.tags:
        days = config.tag_cadence(tag)
        if days is not None:
            return days, f"tag '{tag}'"
    return config.default_cadence, "the default cadence"


def contact_status(journal: Journal, config: Config, today: dt.date, person: Person) -> ContactStatus:
    last = None
    for interaction in reversed(journal.interactions_with(person.id)):
        if interaction.date <= today:
            last = interaction.date
            break
    base = last or person.met
    cadence, source = person_cadence(person, config)
    snoozed_until = person.snooze_until if person.snooze_until is not None and person.snooze_until > today else None
    next_due = None
    overdue = 0
    if base is not None and cadence != NO_CADENCE and not person.paused:
        next_due = days_after(base, cadence)
        if snoozed_until is not None and snoozed_until > next_due:
            next_due = snoozed_until
        overdue = max(0, (today - next_due).days)
    return ContactStatus(person.id, last, base, cadence, source, next_due, overdue, snoozed_until is not None,
                         person.paused)


def contact_statuses(journal: Journal, config: Config, today: dt.date) -> dict[str, ContactStatus]:
    return {pid: contact_status(journal, config, today, person) for pid, person in journal.people.items()}


def due_for_contact(statuses: Iterable[ContactStatus], today: dt.date, within_days: int) -> list[ContactStatus]:
    """Who is due for contact: next due on or before TODAY plus WITHIN_DAYS (the `[follow_ups] soon`
    window, unless asked otherwise), the most overdue first, then by due date and id. The one definition
    the dashboard, `netjournal due` and the people list use."""
    return sorted((s for s in statuses if s.due_within(today, within_days)),
                  key=lambda s: (s.next_due, s.person))


def check_staleness(journal: Journal, config: Config, today: dt.date,
                    people: Iterable[str] | None = None) -> list[Finding]:
    """`stale-contact` for everyone (or only PEOPLE, by id) whose last contact plus cadence is before today."""
    findings = []
    for pid in journal.people if people is None else people:
        person = journal.people[pid]
        status = contact_status(journal, config, today, person)
        if not status.stale:
            continue
        since = (f"last contact {status.last_contact}" if status.last_contact
                 else f"met {status.base}, no interaction logged")
        line = person.line_of("cadence") if person.cadence is not None else person.line_of("name")
        findings.append(Finding(
            "stale-contact",
            f"{person.name}: {since}; cadence {format_duration(status.cadence)} ({status.cadence_source}); "
            f"due {status.next_due}, {status.overdue_days} days ago",
            Source(person.path, line), person=pid))
    return findings
