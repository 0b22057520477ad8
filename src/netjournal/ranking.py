"""What matters most: the one ranking `netjournal due`, the dashboard's "This week" panel and the calendar
feed share.

Everything that asks something of you is an `Item`: a person due for contact, a promise, a finding about
a person (thanks owed, a one-sided balance, a favour to give back). An item has a tier, a weight within
its tier and a reason in a few words. `line_of` merges the items about one person into one `Line` (its
reason lists theirs, promises counted together) and `ordered` orders the lines:

1. `GOAL`  stakeholders of an active goal who are due for contact, the never-contacted ones first,
           then by how late they are;
2. `OWED`  people you owe: an open promise (by days overdue), thanks for an introduction, a referral or
           interview help, a give where you have only been asking;
3. `LATE`  people due for contact, by relative lateness: days late divided by their cadence (a week late
           on a 14-day cadence before two weeks late on a 180-day one), then those due soon, welcome-backs;
4. `LATER` the rest: a favour to give back, an ask that opened a relationship, narrow conversations.

A line takes the best tier of its items, and within it their largest weight; ties go by name.

A new kind of item enters in one of two ways, and `due`, the dashboard and the calendar follow:
* a finding about a person (`Finding(..., person=pid)`, e.g. a congratulation owed on a new role): add its
  code to FINDING_ITEMS with a tier, a weight and a few words (`"congratulate": (OWED, 21.0, "congratulate
  them")`); its message becomes the line's detail;
* something with a day that is no finding (a birthday): items (kind "birthday", the person, a tier and
  weight, a reason, `day`) made in `person_items`, from what it reads through the model's accessors (each
  person's items are a memo value of the site).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .checks.followups import due_date
from .checks.staleness import ContactStatus
from .config import Config
from .findings import Finding, Severity, Source
from .model import FollowUp, Journal
from .resolved import follow_up_order
from .values import days_after, days_text, format_duration

GOAL, OWED, LATE, LATER = 0, 1, 2, 3
#: Findings that ask something of you, as items: their tier, their weight within it (in days late:
#: thanks owed as a month late, asking without giving as two weeks, the rest by their order here) and
#: the few words that say why. A new kind of finding about a person ranks by an entry here.
FINDING_ITEMS: dict[str, tuple[int, float, str]] = {
    "thanks-owed": (OWED, 30.0, "thanks owed"),
    "congratulate": (OWED, 21.0, "congratulate them"),
    "reciprocity-imbalance": (OWED, 14.0, "asking more than giving"),
    "unreturned-favour": (LATER, 3.0, "give something back"),
    "cold-ask": (LATER, 2.0, "first contact was an ask"),
    "important-date": (LATE, 0.5, "a date coming"),
    "narrow-topics": (LATER, 1.0, "conversations all alike"),
}
#: Weight of a never-contacted stakeholder: before any who was contacted, however late
NEVER_CONTACTED = 1e6


@dataclass(frozen=True)
class Item:
    """One thing to do, about one person (or none: a goal's task that names nobody)."""

    kind: str  # "contact", "promise", or a finding's code ("thanks-owed", ...), or a new kind's name
    person: str | None
    tier: int
    weight: float  # within the tier: larger first
    reason: str  # a few words: "goal stakeholder, never contacted"
    day: dt.date | None = None  # when it is due, if it has a day
    what: str = ""  # a promise's text
    source: Source | None = None  # the note and line it comes from
    label: str = ""  # what names the line when there is no person (a goal's title)
    detail: str = ""  # what it is in full (a finding's message), when the reason is short
    when: str = ""  # a promise's day as a list shows it: "19d overdue", "today", "2026-11-25", "open 33d"
    urgent: bool = False  # shown as a warning: a stakeholder, a promise overdue, a contact late by a quarter


@dataclass(frozen=True)
class Line:
    """Everything about one person, ranked: their items best first, and the reason they are here."""

    person: str | None
    items: tuple[Item, ...]
    reason: str

    @property
    def urgent(self) -> bool:
        return any(item.urgent for item in self.items)


def _item_order(item: Item) -> tuple:
    return item.tier, -item.weight, item.day or dt.date.max, item.what, item.kind


def reason_of(items: Iterable[Item]) -> str:
    """The reasons of ITEMS (best first) in a few words; two promises or more are counted together."""
    items = list(items)
    promises = [item for item in items if item.kind == "promise"]
    parts, counted = [], False
    for item in items:
        if item.kind != "promise" or len(promises) == 1:
            parts.append(item.reason)
        elif not counted:
            counted = True
            late = sum(1 for p in promises if p.urgent)  # overdue: past a due date written (promise_items)
            parts.append(f"{len(promises)} promises open" + (f", {late} overdue" if late else ""))
    return "; ".join(dict.fromkeys(parts))


def line_of(person: str | None, items: Iterable[Item], today: dt.date) -> Line:
    """ITEMS (about PERSON, or one about nobody) as one line, best first."""
    found = sorted(items, key=_item_order)
    return Line(person, tuple(found), reason_of(found))


def ordered(lines: Iterable[Line], name: Callable[[str], str]) -> list[Line]:
    """LINES, the most important first; NAME gives a person's name for the order of ties."""
    def order(line: Line) -> tuple:
        best = line.items[0]
        title = name(line.person) if line.person is not None else best.label
        return best.tier, -best.weight, title.casefold(), line.person or "", best.what

    return sorted(lines, key=order)


# --- the items netjournal itself makes -----------------------------------------------------------------

def contact_item(status: ContactStatus, today: dt.date) -> Item:
    """A person due for contact, as STATUS says, with why in a few words."""
    if status.welcome_back is not None:
        return Item("contact", status.person, LATE, status.lateness, f"back from a pause on {status.welcome_back}: "
                    "welcome them back", status.due_on(today))
    if status.next_due is not None and status.next_due > today:
        days = (status.next_due - today).days
        when = f"due in {days_text(days)}"
    elif status.stale:
        when = f"{days_text(status.overdue_days)} late on a {format_duration(status.cadence)} cadence"
    else:
        when = "due today"
    if status.stakeholder:
        never = status.never_contacted
        return Item("contact", status.person, GOAL, NEVER_CONTACTED if never else status.lateness,
                    "goal stakeholder, never contacted" if never else f"goal stakeholder, {when}",
                    status.due_on(today), urgent=True)
    if status.never_contacted and status.first_seen is not None:
        when = f"never contacted, in your notes since {status.first_seen}; {when}"
    elif status.never_contacted and status.known:
        when = f"met {status.base}, no contact logged; {when}"
    elif status.never_contacted:
        when = f"no contact logged; {when}"
    return Item("contact", status.person, LATE, status.lateness, when, status.due_on(today), urgent=status.late)


def promise_items(item: FollowUp, config: Config, today: dt.date, label: str = "") -> list[Item]:
    """A promise (open follow-up) that is due, once for each person it is for (or once, about nobody)."""
    due = due_date(item, config)
    if item.done or due is None:
        return []
    if item.due is None:
        assert item.promised_on is not None
        opened = (today - item.promised_on).days
        reason, when = f"a promise open {days_text(opened)}, no due date", f"open {opened}d"
    elif due < today:
        reason, when = f"a promise {days_text((today - due).days)} overdue", f"{(today - due).days}d overdue"
    else:
        reason = "a promise due " + ("today" if due == today else f"in {days_text((due - today).days)}")
        when = "today" if due == today else str(due)
    weight = float((today - due).days)
    # one without a due date is due, never overdue (as `check` says: follow-up-due), however long it is open
    return [Item("promise", pid, OWED, weight, reason, due, item.what, item.source, label, when=when,
                 urgent=item.due is not None and due < today)
            for pid in (item.owed_to or (None,))]


def finding_item(finding: Finding, name: str) -> Item | None:
    """A finding about a person that asks something of you (FINDING_ITEMS), with its message without the
    person's NAME in front as its detail; None for the others (contacts and promises are items of their
    own)."""
    if finding.code not in FINDING_ITEMS or finding.person is None:
        return None
    tier, weight, reason = FINDING_ITEMS[finding.code]
    message = finding.message
    if message.startswith(name + ": "):
        message = message[len(name) + 2:]
    return Item(finding.code, finding.person, tier, weight, reason, source=finding.source, detail=message,
                urgent=finding.severity <= Severity.WARNING)


def person_items(journal: Journal, config: Config, today: dt.date, status: ContactStatus,
                 findings: Iterable[Finding], within_days: int) -> list[Item]:
    """What asks something of you about the person STATUS is of, within WITHIN_DAYS: contact due, the
    promises owed to them, and their FINDINGS that ask something (FINDING_ITEMS). A new kind of item about
    a person (a birthday) is added here, read through the model's accessors (the site keeps this in its
    memo, made again when something it read changed)."""
    pid, horizon = status.person, days_after(today, within_days)
    items = [contact_item(status, today)] if status.due_within(today, within_days) else []
    for follow_up in journal.open_follow_ups(pid):
        items += [item for item in _promise_items_due(journal, follow_up, config, today, horizon) if item.person == pid]
    for finding in findings:
        if finding.code in FINDING_ITEMS and pid in journal.people:
            made = finding_item(finding, journal.name(pid)[0])
            if made is not None:
                items.append(made)
    return items


def unowed_items(journal: Journal, config: Config, today: dt.date, within_days: int) -> list[Item]:
    """The promises due within WITHIN_DAYS owed to nobody in particular (a goal's task naming no one: an
    interaction's are owed to its people at least), in the order of the open follow-ups. Read from the
    goals' tasks, not from every open follow-up (17,000 at L), so an edit of an interaction's leaves it be."""
    horizon = days_after(today, within_days)
    unowed = sorted((follow_up_order(task), index, task) for gid in journal.goals if gid in journal.goal_tasks
                    for index, task in enumerate(journal.goal_tasks[gid]) if not task.done and not task.owed_to)
    return [item for *_, follow_up in unowed for item in _promise_items_due(journal, follow_up, config, today, horizon)]


def _promise_items_due(journal: Journal, follow_up: FollowUp, config: Config, today: dt.date,
                       horizon: dt.date) -> list[Item]:
    due = due_date(follow_up, config)
    if due is None or due > horizon or follow_up.due is None and due > today:
        return []
    label = journal.goals[follow_up.goal].title if follow_up.goal and follow_up.goal in journal.goals else ""
    return promise_items(follow_up, config, today, label)
