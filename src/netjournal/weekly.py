"""The weekly review for the meeting with a mentor (`netjournal review`, `review.html`): one digest of a
period, as plain data made from the build's `Site` (every value through the memo), never a stream of
alerts.

What you gave, asked and received in the period, who you met, the promises made in it (and which are
kept) and those due in it still open, congratulations owed, stakeholders of active goals who are cold, and
each active goal's readiness. Made from the journal as the audience sees it: a mentor's review has no
hidden person, private interaction or private goal in it, and counts none of them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .checks.followups import promise_for
from .model import FollowUp
from .records import EXCHANGES
from .site.context import Site
from .values import days_after


@dataclass(frozen=True)
class Exchange:
    date: dt.date
    kind: str  # gave, asked or received
    what: str
    people: tuple[str, ...]  # ids
    interaction: str


@dataclass(frozen=True)
class Review:
    start: dt.date
    end: dt.date
    interactions: tuple[str, ...]  # ids, in order
    met: tuple[tuple[str, int], ...]  # (person id, interactions in the period), the most met first
    exchanges: tuple[Exchange, ...]
    promised: tuple[FollowUp, ...]  # follow-ups promised in the period
    due_open: tuple[FollowUp, ...]  # promised before, due in the period, still open
    congratulations: tuple[tuple[str, str], ...]  # (person id, what to congratulate them on)
    cold: tuple[tuple[str, tuple[str, ...]], ...]  # (goal id, its cold stakeholders) of active goals
    goals: tuple[tuple[str, str], ...]  # (goal id, readiness) of active goals

    @property
    def label(self) -> str:
        return f"{self.start} to {self.end}"

    def count(self, kind: str) -> int:
        return sum(1 for e in self.exchanges if e.kind == kind)

    def summary(self) -> str:
        """`4 interactions with 3 people; gave 2, asked 2, received 1; 2 promises made, 1 kept`."""
        kept = sum(1 for f in self.promised if f.done)
        return (f"{_count(len(self.interactions), 'interaction')} with {_count(len(self.met), 'person', 'people')}; "
                f"gave {self.count('gave')}, asked {self.count('asked')}, received {self.count('received')}; "
                f"{_count(len(self.promised), 'promise')} made, {kept} kept")


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def review_start(today: dt.date, since: dt.date | None = None) -> dt.date:
    """The first day of the review: SINCE, or the last seven days, today included."""
    return since if since is not None else days_after(today, -6)


def make_review(site: Site, start: dt.date) -> Review:
    """The review of START to the site's day."""
    journal, today = site.journal, site.today
    ids = tuple(iid for _, _, iid in journal.interactions_between(start, today))
    met: dict[str, int] = {}
    exchanges = []
    for iid in ids:
        interaction = journal.interaction(iid)
        people = journal.participants[iid]
        for pid in people:
            met[pid] = met.get(pid, 0) + 1
        for kind in EXCHANGES:
            named = journal.named_by(interaction)
            for index, what in enumerate(getattr(interaction, kind)):
                exchanges.append(Exchange(interaction.date, kind, what, named.get((kind, index), tuple(people)),
                                          iid))
    promised = tuple(journal.follow_ups_promised(start, today))
    due_open = tuple(f for f in journal.open_follow_ups_due(start, today)
                     if f.promised_on is None or f.promised_on < start)  # a goal's task: no day
    active = [gid for gid, goal in journal.goals.items() if goal.status == "active"]
    owed = tuple((o.person, o.reason) for o in site.occasions(0) if o.code == "congratulate")
    return Review(
        start, today, ids, tuple(sorted(met.items(), key=lambda item: (-item[1], journal.name(item[0])[0].casefold(),
                                                                       item[0]))),
        tuple(exchanges), promised, due_open, owed,
        tuple((gid, site.coverage(gid).cold) for gid in active if site.coverage(gid).cold),
        tuple((gid, site.coverage(gid).label) for gid in active))


def review_lines(site: Site, review: Review) -> list[tuple[str, list[str]]]:
    """The review as titled sections of lines, for the terminal."""
    journal = site.journal

    def names(pids) -> str:
        return ", ".join(journal.name(p)[0] for p in pids)

    sections = [
        ("Summary", [review.summary()]),
        ("Who you met", [f"{journal.name(pid)[0]} ({count})" for pid, count in review.met]),
        ("Gave, asked and received", [f"{e.date} {e.kind} {e.what} ({names(e.people)})" for e in review.exchanges]),
        # whom each promise is for, as `check` and `due` say it (promise_for: the people its text names, else
        # those it was made with: a 1:1 with Tomás promised to Priya is Tomás's; a goal's task names its goal)
        ("Promises made", [f"{'done' if f.done else 'open'}: {f.what} ({promise_for(journal, f)})"
                           + (f", due {f.due}" if f.due else "") for f in review.promised]),
        ("Promises due in the period, still open", [f"{f.due} {f.what} ({promise_for(journal, f)}), promised "
                                                    f"{f.promised_on}" for f in review.due_open]),
        ("Congratulations owed", [f"{journal.name(pid)[0]}: {reason}" for pid, reason in review.congratulations]),
        ("Stakeholders going cold", [f"{journal.goals[gid].title}: {names(cold)}" for gid, cold in review.cold]),
        ("Goals", [f"{journal.goals[gid].title}: {label}" for gid, label in review.goals]),
    ]
    return [(title, lines) for title, lines in sections if lines]
