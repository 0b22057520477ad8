"""Give and take: asking more than giving, asking on first contact, thanks owed, favours not returned,
narrow talks.

Counts are per item: `asked: [a, b]` is two asks. Every entry is in the ledger of each person it concerns
(`Journal.exchanges_of`): an entry that names its people (`{what: an intro, of: lena}`) theirs, a plain
one everyone's the interaction was with. The checks count an entry for a person only when it is theirs
alone to answer for (`counted`): an entry of a one-to-one interaction, or one that names them. A plain
entry of an interaction with several people counts in no one's checks: whose ask was it?

What a coach would not call a problem is not one: with a manager the work is the give
(`[reciprocity] exempt_tags`, default `["manager"]`, are out of the balance checks); an ask is cold only
when it opens a relationship you have no history with (not someone you `met` before, nor someone
`introduced_by` a contact), and only for `cold_ask_expires` (60 days); a mentor's advice is repaid by
telling them what you did with it (any later interaction with them).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..config import Config
from ..findings import Finding, Source
from ..model import Interaction, Journal, Person
from ..values import count_text, days_after

#: The give-and-take codes: the dashboard and `netjournal due` list them together
RECIPROCITY_CODES = ("reciprocity-imbalance", "cold-ask", "thanks-owed", "unreturned-favour", "narrow-topics")
#: People with this tag are mentors: their advice is repaid by an interaction after it
MENTOR_TAG = "mentor"
#: A received entry that reads as an introduction, a referral or help with an interview is "thanks owed"
THANKS_WORDS = re.compile(r"\b(intro|introductions?|introduced|introducing|referrals?|referred|referee|"
                          r"references?|interviews?|interviewing)\b", re.IGNORECASE)
#: Kinds of interaction that are a thank-you in themselves
THANKS_KINDS = frozenset({"thanks", "thank-you", "thank you", "thankyou"})


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
    """What went between you and PERSON_ID in INTERACTIONS (theirs), after SINCE and up to UNTIL: every
    entry that concerns them, a group's plain entries too."""
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


def counted(journal: Journal, interaction: Interaction, kind: str, person_id: str) -> tuple[str, ...]:
    """INTERACTION's entries of KIND (gave, asked or received) that the checks count for PERSON_ID: all of
    a one-to-one interaction's, and of a group's those that name them."""
    if len(journal.participants[interaction.id]) <= 1:
        return journal.exchanges_of(interaction, kind, person_id)
    if not interaction.aims:
        return ()
    named = journal.named_by(interaction)
    return tuple(entry for index, entry in enumerate(getattr(interaction, kind))
                 if person_id in named.get((kind, index), ()))


def is_thanks_kind(entry: str) -> bool:
    """Does a received ENTRY read as an introduction, a referral or help with an interview?"""
    return THANKS_WORDS.search(entry) is not None


def _past(interactions: list[Interaction], today: dt.date) -> list[Interaction]:
    return [i for i in interactions if i.date <= today]


def check_reciprocity(journal: Journal, config: Config, today: dt.date,
                      people: Iterable[str] | None = None) -> list[Finding]:
    """The give-and-take findings about everyone (or only PEOPLE, by id), each from their own history."""
    findings: list[Finding] = []
    window_start = days_after(today, -config.reciprocity_window)
    for pid in journal.people if people is None else people:
        person = journal.people[pid]
        history = _past(journal.interactions_with(pid), today)
        findings += _thanks_for_introductions(journal, config, today, person)
        if not history:
            continue
        exempt = not config.reciprocity_exempt_tags.isdisjoint(person.tags)  # a manager: the work is the give
        if not exempt:
            findings += _imbalance(journal, config, person, history, window_start)
        findings += _cold_ask(journal, config, today, person, history)
        findings += _received(journal, config, today, person, history, window_start, exempt)
        findings += _narrow(journal, person.name, pid, history, config.narrow_after, exempt)
    return findings


def _imbalance(journal: Journal, config: Config, person: Person, history: list[Interaction],
               window_start: dt.date) -> list[Finding]:
    recent = [i for i in history if i.date > window_start]
    asked = sum(len(counted(journal, i, "asked", person.id)) for i in recent)
    gave = sum(len(counted(journal, i, "gave", person.id)) for i in recent)
    if asked - gave < config.reciprocity_threshold:
        return []
    return [Finding("reciprocity-imbalance", f"{person.name}: in the last {config.reciprocity_window} days you "
                    f"asked {count_text(asked, 'time')} and gave {gave}", Source(person.path, person.line_of("name")),
                    person=person.id)]


def _cold_ask(journal: Journal, config: Config, today: dt.date, person: Person,
              history: list[Interaction]) -> list[Finding]:
    """An ask in the interaction that opened the relationship: not with someone known before it (`met`
    earlier, or introduced by a contact), not in a kind or with a tag that is work by nature, and only
    while it is recent."""
    first = history[0]
    asks = counted(journal, first, "asked", person.id)
    work = (first.kind.casefold() in config.cold_ask_exempt_kinds
            or not config.cold_ask_exempt_tags.isdisjoint(person.tags))
    if (not asks or work or person.met is not None and person.met < first.date or person.introduced_by is not None
            or first.date < days_after(today, -config.cold_ask_expires)):
        return []
    return [Finding("cold-ask", f"{person.name}: your first logged interaction already asks for {asks[0]!r}; "
                    "give or connect first", Source(first.path, first.line_of("asked")), person=person.id)]


def _thanked(journal: Journal, person_id: str, since: dt.date, today: dt.date) -> bool:
    """Was a give or a thank-you to PERSON_ID logged on or after SINCE (up to TODAY)?"""
    return any(since <= i.date <= today
               and (counted(journal, i, "gave", person_id) or i.kind.casefold() in THANKS_KINDS)
               for i in journal.interactions_with(person_id))


def _introduction_day(journal: Journal, person: Person) -> dt.date | None:
    """When PERSON was introduced to you: when you met, else your first interaction."""
    if person.met is not None:
        return person.met
    history = journal.interactions_with(person.id)
    return history[0].date if history else None


def _what_it_led_to(journal: Journal, person_id: str) -> str:
    """What an introduction to PERSON_ID became, when the notes say: your manager or mentor, a stakeholder
    of an active goal."""
    person = journal.people[person_id]
    parts = [f"now your {tag}" for tag in ("manager", MENTOR_TAG) if tag in person.tags]
    goals = [journal.goals[gid].title for gid in journal.goals_of(person_id) if journal.goals[gid].status == "active"]
    if goals:
        parts.append(f"a stakeholder of {', '.join(repr(t) for t in goals)}")
    return f" ({'; '.join(parts)})" if parts else ""


def _thanks_for_introductions(journal: Journal, config: Config, today: dt.date, person: Person) -> list[Finding]:
    """`thanks-owed` to PERSON for each recent introduction they made (`introduced_by: them` on the person
    they introduced) that no give or thank-you to them has followed within the grace."""
    findings = []
    window_start = days_after(today, -config.reciprocity_window)
    grace_end = days_after(today, -config.thanks_grace)
    for introduced in journal.introduced_by(person.id):
        other = journal.people[introduced]
        day = _introduction_day(journal, other)
        if day is None or not window_start < day <= grace_end or _thanked(journal, person.id, day, today):
            continue
        findings.append(Finding(
            "thanks-owed", f"{person.name}: introduced you to {other.name}{_what_it_led_to(journal, introduced)} "
            f"on {day}; no thanks logged since", Source(other.path, other.line_of("introduced_by")),
            person=person.id))
    return findings


def _led_to(journal: Journal, interaction: Interaction) -> str:
    """`, which led to 'Interview at Hooli' (2026-03-10)` when a later interaction links the note of
    INTERACTION; else ''."""
    for iid in journal.linked_by("interaction", interaction.id):
        later = journal.interaction(iid)
        if later.date > interaction.date:
            title = later.title or later.id.rsplit("/", 1)[-1]
            return f", which led to {title!r} ({later.date})"
    return ""


def _received(journal: Journal, config: Config, today: dt.date, person: Person, history: list[Interaction],
              window_start: dt.date, exempt: bool) -> list[Finding]:
    """What PERSON gave you: an introduction, referral or interview help is `thanks-owed` after the thanks
    grace until a give or thank-you follows; anything else `unreturned-favour` ("give back") after the
    favour grace, until a give answers it (one give, one favour, oldest first). A mentor's advice is
    answered by any later interaction: telling them what you did with it."""
    findings = []
    pid = person.id
    thanks_end = days_after(today, -config.thanks_grace)
    for interaction in history:
        if not window_start < interaction.date <= thanks_end:
            continue
        for entry in counted(journal, interaction, "received", pid):
            if is_thanks_kind(entry) and not _thanked(journal, pid, interaction.date, today):
                findings.append(Finding(
                    "thanks-owed", f"{person.name}: gave you {entry!r} on {interaction.date}"
                    f"{_led_to(journal, interaction)}; no thanks logged since",
                    Source(interaction.path, interaction.line_of("received")), person=pid))
    if exempt:
        return findings
    mentor = MENTOR_TAG in person.tags
    owed: list[tuple[Interaction, str]] = []
    for interaction in history:
        if mentor:  # telling a mentor what you did with their advice answers it
            owed = [(i, entry) for i, entry in owed if i.date >= interaction.date]
        owed += [(interaction, entry) for entry in counted(journal, interaction, "received", pid)
                 if not is_thanks_kind(entry)]
        del owed[:len(counted(journal, interaction, "gave", pid))]
    grace_end = days_after(today, -config.favour_grace)
    owed = [(i, entry) for i, entry in owed if window_start < i.date <= grace_end]
    if owed:
        oldest, entry = owed[0]
        more = f" (and {len(owed) - 1} more)" if len(owed) > 1 else ""
        findings.append(Finding(
            "unreturned-favour", f"{person.name}: gave you {entry!r} on {oldest.date}{more} and nothing has "
            "gone back since; give something back", Source(oldest.path, oldest.line_of("received")), person=pid))
    return findings


def _narrow(journal: Journal, name: str, pid: str, history: list[Interaction], count: int,
            exempt: bool) -> list[Finding]:
    if len(history) < count:
        return []
    last = history[-count:]
    where = Source(last[-1].path, 1)
    if not exempt and all(counted(journal, i, "asked", pid) and not counted(journal, i, "gave", pid) for i in last):
        return [Finding("narrow-topics", f"{name}: your last {count} conversations were all asks", where,
                        person=pid)]
    topics = {t.casefold() for i in last for t in i.topics}
    if len(topics) == 1 and all(i.topics for i in last):
        return [Finding("narrow-topics", f"{name}: your last {count} conversations were all about "
                        f"{next(iter(topics))!r}", where, person=pid)]
    return []
