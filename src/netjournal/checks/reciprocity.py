"""Give and take: asking more than giving, asking on first contact, favours not returned, narrow talks.

Counts are per item: `asked: [a, b]` is two asks. An interaction with several people counts for each,
but for an entry that names its person (`{what: an intro, of: lena}`): that counts for them only.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..config import Config
from ..findings import Finding, Source
from ..model import Interaction, Journal
from ..values import days_after

#: The give-and-take codes: the dashboard and `netjournal due` list them together
RECIPROCITY_CODES = ("reciprocity-imbalance", "cold-ask", "unreturned-favour", "narrow-topics")


@dataclass(frozen=True)
class Ledger:
    gave: int
    asked: int
    received: int

    @property
    def balance(self) -> int:
        """Gives minus asks: negative means you have been taking."""
        return self.gave - self.asked


def ledger(journal: Journal, person_id: str, interactions: list[Interaction], since: dt.date | None = None,
           until: dt.date | None = None) -> Ledger:
    """What went between you and PERSON_ID in INTERACTIONS (theirs), after SINCE and up to UNTIL."""
    gave = asked = received = 0
    for interaction in interactions:
        if since is not None and interaction.date <= since:
            continue
        if until is not None and interaction.date > until:
            continue
        gave += len(journal.exchanges_of(interaction, "gave", person_id))
        asked += len(journal.exchanges_of(interaction, "asked", person_id))
        received += len(journal.exchanges_of(interaction, "received", person_id))
    return Ledger(gave, asked, received)


def _past(interactions: list[Interaction], today: dt.date) -> list[Interaction]:
    return [i for i in interactions if i.date <= today]


def check_reciprocity(journal: Journal, config: Config, today: dt.date,
                      people: Iterable[str] | None = None) -> list[Finding]:
    """The give-and-take findings about everyone (or only PEOPLE, by id), each from their own history."""
    findings: list[Finding] = []
    window_start = days_after(today, -config.reciprocity_window)
    grace_end = days_after(today, -config.favour_grace)
    for pid in journal.people if people is None else people:
        person = journal.people[pid]
        history = _past(journal.interactions_with(pid), today)
        if not history:
            continue
        recent = ledger(journal, pid, history, since=window_start)
        if recent.asked - recent.gave >= config.reciprocity_threshold:
            findings.append(Finding(
                "reciprocity-imbalance",
                f"{person.name}: in the last {config.reciprocity_window} days you asked {recent.asked} "
                f"time(s) and gave {recent.gave}", Source(person.path, person.line_of("name")), person=pid))

        first = history[0]
        first_asks = journal.exchanges_of(first, "asked", pid)
        if first_asks and first.kind not in config.cold_ask_exempt_kinds \
                and config.cold_ask_exempt_tags.isdisjoint(person.tags):  # a new job's 1:1s may ask
            findings.append(Finding(
                "cold-ask", f"{person.name}: your first logged interaction already asks for "
                f"{first_asks[0]!r}; give or connect first", Source(first.path, first.line_of("asked")),
                person=pid))

        last_gave = max((i.date for i in history if journal.exchanges_of(i, "gave", pid)), default=None)
        unreturned = [i for i in history if i.date <= grace_end and (last_gave is None or last_gave < i.date)
                      and journal.exchanges_of(i, "received", pid)]
        if unreturned:
            oldest = unreturned[0]
            findings.append(Finding(
                "unreturned-favour", f"{person.name}: gave you {journal.exchanges_of(oldest, 'received', pid)[0]!r} "
                f"on {oldest.date} and nothing has gone back since", Source(oldest.path, oldest.line_of("received")),
                person=pid))

        findings.extend(_narrow(journal, person.name, pid, history, config.narrow_after))
    return findings


def _narrow(journal: Journal, name: str, pid: str, history: list[Interaction], count: int) -> list[Finding]:
    if len(history) < count:
        return []
    last = history[-count:]
    where = Source(last[-1].path, 1)
    if all(journal.exchanges_of(i, "asked", pid) and not journal.exchanges_of(i, "gave", pid) for i in last):
        return [Finding("narrow-topics", f"{name}: your last {count} conversations were all asks", where,
                        person=pid)]
    topics = {t.casefold() for i in last for t in i.topics}
    if len(topics) == 1 and all(i.topics for i in last):
        return [Finding("narrow-topics", f"{name}: your last {count} conversations were all about "
                        f"{next(iter(topics))!r}", where, person=pid)]
    return []
