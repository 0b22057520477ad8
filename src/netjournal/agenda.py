"""`netjournal due`: the terminal agenda — follow-ups overdue and due, people due for contact, give-and-take
warnings — as plain data, so the CLI only formats it."""
from __future__ import annotations

from dataclasses import dataclass

from .analyze import Analysis
from .checks.followups import open_follow_ups
from .checks.reciprocity import RECIPROCITY_CODES
from .checks.staleness import contact_statuses, due_for_contact
from .values import days_after


@dataclass(frozen=True)
class AgendaLine:
    section: str  # "overdue", "due", "contact", "reciprocity", "congratulate", "important-date"
    when: str
    text: str
    where: str
    late: bool


def agenda(analysis: Analysis, within_days: int) -> list[AgendaLine]:
    journal, today = analysis.journal, analysis.today
    horizon = days_after(today, within_days)
    lines: list[AgendaLine] = []
    for item in open_follow_ups(journal):
        if item.due is None or item.due > horizon:
            continue
        names = ", ".join(journal.people[p].name for p in item.people)
        late = item.due < today
        when = f"{(today - item.due).days}d overdue" if late else ("today" if item.due == today else str(item.due))
        lines.append(AgendaLine("overdue" if late else "due", when, f"{item.what} — {names}",
                                str(item.source), late))
    for status in due_for_contact(contact_statuses(journal, analysis.config, today).values(), today, within_days):
        person = journal.people[status.person]
        late = status.stale
        when = f"{status.overdue_days}d overdue" if late else str(status.next_due)
        last = f"last contact {status.last_contact}" if status.last_contact else "no contact logged"
        lines.append(AgendaLine("contact", when, f"{person.name} ({last})", person.path, late))
    for occasion in analysis.site().occasions(within_days):
        person = journal.people[occasion.person]
        when = "now" if occasion.code == "congratulate" else str(occasion.on)
        lines.append(AgendaLine(occasion.code, when, f"{person.name}: {occasion.reason}", person.path, False))
    for finding in analysis.findings:
        if finding.code in RECIPROCITY_CODES and finding.severity.label == "warning":
            lines.append(AgendaLine("reciprocity", finding.code, finding.message, str(finding.source), True))
    return lines
