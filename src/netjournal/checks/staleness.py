"""Who is due for contact: last contact plus cadence (person, else first tagged cadence, else default)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..config import Config
from ..findings import Finding, Severity, Source
from ..model import Journal, Person
from ..values import NO_CADENCE, days_after, days_text, format_duration


@dataclass(frozen=True)
class ContactStatus:
    person: str
    last_contact: dt.date | None  # the latest interaction on or before today
    base: dt.date | None  # what the cadence counts from: last contact, else `met`, else when the note appeared
    cadence: int  # days; NO_CADENCE = never due
    cadence_source: str
    next_due: dt.date | None
    overdue_days: int  # > 0 when stale
    snoozed: bool
    paused: bool  # paused today (`paused: true`, or `paused: {until: …}` before that day)
    first_seen: dt.date | None = None  # never contacted nor met: the day their note appeared, if known
    stakeholder: bool = False  # of an active goal
    welcome_back: dt.date | None = None  # back from a pause on this day, and not contacted since

    @property
    def stale(self) -> bool:
        return self.overdue_days > 0

    @property
    def never_contacted(self) -> bool:
        return self.last_contact is None

    @property
    def known(self) -> bool:
        """Contacted or met: the day the cadence counts from is not merely the day their note appeared."""
        return self.base is not None and self.first_seen is None

    @property
    def warm(self) -> bool:
        """In touch: contacted at least once and not past the cadence."""
        return not self.never_contacted and not self.stale

    @property
    def late(self) -> bool:
        """Late by more than a quarter of the cadence: what makes `stale-contact` a warning (before that it
        is information, a contact due)."""
        return self.stale and self.overdue_days * 4 > self.cadence

    @property
    def lateness(self) -> float:
        """Days late as a share of the cadence: 1.0 is a whole cadence late (0 when not late)."""
        return self.overdue_days / self.cadence if self.cadence and self.overdue_days > 0 else 0.0

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
    """When PERSON is next due for contact: their last contact (or `met`, or the day their note appeared)
    plus their cadence. A stakeholder of an active goal never contacted is due at once; someone back from
    a pause (`paused: {until: …}`) is due on the day they are back."""
    last = None
    for interaction in reversed(journal.interactions_with(person.id)):
        if interaction.date <= today:
            last = interaction.date
            break
    base = last or person.met
    first_seen = None
    if base is None:
        first_seen = base = journal.first_seen(person.path)
    cadence, source = person_cadence(person, config)
    until = person.paused_until
    paused = person.paused and (until is None or today < until)
    welcome = until if person.paused and until is not None and not paused and (last is None or last < until) \
        else None
    stakeholder = any(journal.goals[gid].status == "active" for gid in journal.goals_of(person.id))
    snoozed_until = person.snooze_until if person.snooze_until is not None and person.snooze_until > today else None
    next_due = None
    overdue = 0
    if not paused and cadence != NO_CADENCE:
        if welcome is not None:
            next_due = welcome  # welcome them back on the day they are back
        elif stakeholder and last is None:  # a goal's stakeholder you never spoke to: at once (since met)
            next_due = min(person.met, today) if person.met is not None else today
        elif base is not None:
            next_due = days_after(base, cadence)
    if next_due is not None:
        if snoozed_until is not None and snoozed_until > next_due:
            next_due = snoozed_until
        overdue = max(0, (today - next_due).days)
    return ContactStatus(person.id, last, base, cadence, source, next_due, overdue, snoozed_until is not None,
                         paused, first_seen, stakeholder, welcome)


def due_for_contact(statuses: Iterable[ContactStatus], today: dt.date, within_days: int) -> list[ContactStatus]:
    """Who is due for contact: next due on or before TODAY plus WITHIN_DAYS (the `[follow_ups] soon`
    window, unless asked otherwise), the most overdue first, then by due date and id. The one definition
    the dashboard, `netjournal due` and the people list use."""
    return sorted((s for s in statuses if s.due_within(today, within_days)),
                  key=lambda s: (s.next_due, s.person))


def check_staleness(journal: Journal, config: Config, today: dt.date,
                    people: Iterable[str] | None = None) -> list[Finding]:
    """`stale-contact` for everyone (or only PEOPLE, by id) whose last contact plus cadence is before today:
    information (a contact due) until they are late by more than a quarter of their cadence, a warning
    after. `welcome-back` for those back from a pause and not contacted since."""
    findings = []
    for pid in journal.people if people is None else people:
        person = journal.people[pid]
        status = contact_status(journal, config, today, person)
        if status.welcome_back is not None:
            findings.append(Finding(
                "welcome-back", f"{person.name}: back from a pause on {status.welcome_back}; welcome them back",
                Source(person.path, person.line_of("paused")), person=pid))
            continue
        if not status.stale:
            continue
        if status.last_contact:
            since = f"last contact {status.last_contact}"
        elif person.met:
            since = f"met {status.base}, no interaction logged"
        elif status.first_seen:
            since = f"never contacted; in your notes since {status.first_seen}"
        else:
            since = "never contacted"
        line = person.line_of("cadence") if person.cadence is not None else person.line_of("name")
        findings.append(Finding(
            "stale-contact",
            f"{person.name}: {since}; cadence {format_duration(status.cadence)} ({status.cadence_source}); "
            f"due {status.next_due}, {days_text(status.overdue_days)} ago",
            Source(person.path, line), person=pid, level=None if status.late else Severity.INFO))
    return findings
