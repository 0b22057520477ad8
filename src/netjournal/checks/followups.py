"""Follow-ups that are overdue (due before today) or due soon (within `[follow_ups] soon`, default 7 days)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from ..config import Config
from ..findings import Finding
from ..model import FollowUp, Interaction, Journal
from ..values import days_after


def open_follow_ups(journal: Journal) -> list[FollowUp]:
    """Not done, earliest due first (follow-ups without a due date last), then by note and line."""
    return journal.open_follow_ups()


def check_follow_ups(journal: Journal, config: Config, today: dt.date,
                     interactions: Collection[Interaction] | None = None) -> list[Finding]:
    """The overdue and due-soon follow-ups of every interaction (or only those of INTERACTIONS)."""
    findings = []
    soon = days_after(today, config.due_soon)
    items = journal.follow_ups if interactions is None else [f for i in interactions for f in journal.follow_ups_of(i)]
    for item in items:  # in no particular order: findings are sorted in full (Finding.sort_key)
        if item.done or item.due is None or item.due > soon:
            continue
        names = ", ".join(journal.people[p].name for p in item.people)
        person = item.people[0] if len(item.people) == 1 else None
        if item.due < today:
            days = (today - item.due).days
            findings.append(Finding("follow-up-overdue", f"{item.what!r} for {names} was due {item.due} "
                                    f"({days} day{'s' if days != 1 else ''} ago)", item.source, person=person))
        else:
            when = "today" if item.due == today else f"on {item.due}"
            findings.append(Finding("follow-up-due", f"{item.what!r} for {names} is due {when}",
                                    item.source, person=person))
    return findings
