"""`netjournal due`: the terminal agenda, most important first (ranking.py): one entry per person with the
reason they are there, and under it what makes it so (promises with their dates, findings with their
code), as plain data, so the CLI only formats it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .analyze import Analysis
from .ranking import GOAL, Item, Line


@dataclass(frozen=True)
class AgendaLine:
    """What makes an entry: a promise (WHEN its due date, or how late) or a finding (WHEN its code)."""

    when: str
    text: str
    where: str
    late: bool


@dataclass(frozen=True)
class AgendaEntry:
    name: str
    reason: str
    where: str  # the person's note ("" for a line about nobody)
    urgent: bool  # a goal's stakeholder, or something late
    details: tuple[AgendaLine, ...]


def _detail(item: Item, today: dt.date) -> AgendaLine | None:
    where = str(item.source) if item.source else ""
    if item.kind == "promise":
        assert item.day is not None
        late = item.day < today
        when = f"{(today - item.day).days}d overdue" if late else ("today" if item.day == today else str(item.day))
        return AgendaLine(when, item.what, where, late)
    if item.kind == "contact":
        return None
    return AgendaLine(item.kind, item.reason, where, True)


def _entry(line: Line, analysis: Analysis) -> AgendaEntry:
    journal, today = analysis.journal, analysis.today
    if line.person is not None:
        name, where = journal.people[line.person].name, journal.people[line.person].path
    else:
        name, where = line.items[0].label or "(nobody named)", ""
    details = tuple(d for d in (_detail(item, today) for item in line.items) if d is not None)
    urgent = line.tier == GOAL or any(d.late for d in details) or any(
        item.kind == "contact" and item.day is not None and item.day < today for item in line.items)
    return AgendaEntry(name, line.reason, where, urgent, details)


def agenda(analysis: Analysis, within_days: int) -> list[AgendaEntry]:
    """Everything due within WITHIN_DAYS, ranked."""
    return [_entry(line, analysis) for line in analysis.site().agenda(within_days)]
