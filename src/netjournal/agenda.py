"""`netjournal due`: the terminal agenda, most important first (ranking.py): one entry per person with the
reason they are there, and under it what makes it so (promises with their dates, findings with their
code), as plain data, so the CLI only formats it."""
from __future__ import annotations

from dataclasses import dataclass

from .analyze import Analysis
from .ranking import Item, Line


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


def _detail(item: Item) -> AgendaLine | None:
    where = str(item.source) if item.source else ""
    if item.kind == "promise":
        return AgendaLine(item.when, item.what, where, item.urgent)
    if item.kind == "contact":
        return None
    return AgendaLine(item.kind, item.detail or item.reason, where, item.urgent)


def _entry(line: Line, analysis: Analysis) -> AgendaEntry:
    journal = analysis.journal
    if line.person is not None:
        name, where = journal.people[line.person].name, journal.people[line.person].path
    else:
        name, where = line.items[0].label or "(nobody named)", ""
    details = tuple(d for d in (_detail(item) for item in line.items) if d is not None)
    return AgendaEntry(name, line.reason, where, line.urgent, details)


def agenda(analysis: Analysis, within_days: int) -> list[AgendaEntry]:
    """Everything due within WITHIN_DAYS, ranked."""
    return [_entry(line, analysis) for line in analysis.site().agenda(within_days)]
