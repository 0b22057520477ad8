"""Follow-ups that are overdue (due before today) or due soon (within `[follow_ups] soon`, default 7 days);
and promises that age: a follow-up without a due date is due once it has been open for `[follow_ups]
undated_due` (default 14 days).

A follow-up is for the people its text names (`send [[Raj]] the deck`, `ask Tomás for the calendar`), or
else for the people of the interaction it was made in; a goal's task for the people it names.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..config import Config
from ..findings import Finding
from ..model import FollowUp, Journal
from ..values import days_after, days_text


def due_date(item: FollowUp, config: Config) -> dt.date | None:
    """When ITEM is due: its due date; for one without, the day it has been open `undated_due` (None for a
    goal's task without one: nothing says since when it is open)."""
    if item.due is not None:
        return item.due
    return days_after(item.promised_on, config.undated_due) if item.promised_on is not None else None


def promise_for(journal: Journal, item: FollowUp) -> str:
    """Whom ITEM is for, as a message says it: `Priya Natarajan`, or the goal it belongs to."""
    if item.owed_to:
        return ", ".join(journal.name(p)[0] for p in item.owed_to)
    return f"the goal {journal.goals[item.goal].title!r}" if item.goal in journal.goals else "nobody named"


def check_follow_ups(journal: Journal, config: Config, today: dt.date) -> list[Finding]:
    """The overdue, due-soon and long-open follow-ups of every interaction and goal."""
    return check_follow_up_items(journal, config, today, journal.follow_ups)


def check_follow_up_items(journal: Journal, config: Config, today: dt.date, items: Iterable[FollowUp]) -> list[Finding]:
    """check_follow_ups of ITEMS only (the site checks them note by note)."""
    findings = []
    soon = days_after(today, config.due_soon)
    for item in items:  # in no particular order: findings are sorted in full (Finding.sort_key)
        due = None if item.done else due_date(item, config)
        if due is None or due > soon or item.due is None and due > today:
            continue
        names = promise_for(journal, item)
        person = item.owed_to[0] if len(item.owed_to) == 1 else None
        if item.due is None:
            assert item.promised_on is not None
            days = (today - item.promised_on).days
            findings.append(Finding("follow-up-due", f"{item.what!r} for {names} has been open {days} days "
                                    f"(since {item.promised_on}) without a due date", item.source, person=person))
        elif due < today:
            days = (today - due).days
            findings.append(Finding("follow-up-overdue", f"{item.what!r} for {names} was due {due} "
                                    f"({days_text(days)} ago)", item.source, person=person))
        else:
            when = "today" if due == today else f"on {due}"
            findings.append(Finding("follow-up-due", f"{item.what!r} for {names} is due {when}",
                                    item.source, person=person))
    return findings
