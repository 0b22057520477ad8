"""Goals: an active goal's stakeholders must be warm; a stakeholder map says more about each of them.

A goal's stakeholders may be plain references or map entries (`{who, role, influence, interest,
engagement, desired, wants}`). `stakeholder_rows` reads each one the way a mentor looks at a decision
group: where they stand on the power/interest grid (Mendelow), how engaged they are against how engaged
you need them (the PMBOK assessment matrix), when you were last in touch, what went between you lately,
and whether you only turned up once you needed them (lobbying rather than networking). The checks, the
goal page and other commands read the same rows.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..config import Config
from ..findings import Finding, Source
from ..model import Goal, Journal
from ..records import ENGAGEMENT, ROLES
from ..values import days_after
from .reciprocity import ledger
from .staleness import ContactStatus, contact_status


@dataclass(frozen=True)
class Coverage:
    warm: tuple[str, ...]
    cold: tuple[str, ...]  # stale or never contacted

    @property
    def total(self) -> int:
        return len(self.warm) + len(self.cold)

    @property
    def label(self) -> str:
        return f"{len(self.warm)}/{self.total} stakeholders warm"


def goal_coverage(journal: Journal, config: Config, today: dt.date, goal: Goal,
                  statuses: dict[str, ContactStatus] | None = None) -> Coverage:
    warm: list[str] = []
    cold: list[str] = []
    for pid in journal.stakeholders.get(goal.id, ()):
        status = (statuses or {}).get(pid) or contact_status(journal, config, today, journal.people[pid])
        (warm if status.warm else cold).append(pid)
    return Coverage(tuple(warm), tuple(cold))


#: The power/interest grid (Mendelow) by (influence, interest); `medium` counts with `high`: a stakeholder
#: half-way up an axis gets the attention of the side above rather than being left to be monitored
QUADRANTS = {(True, True): "manage closely", (True, False): "keep satisfied", (False, True): "keep informed",
             (False, False): "monitor"}


def quadrant(influence: str, interest: str) -> str:
    """The power/interest quadrant of INFLUENCE and INTEREST (high, medium or low); '' when either is unset."""
    if not influence or not interest:
        return ""
    return QUADRANTS[influence != "low", interest != "low"]


@dataclass(frozen=True)
class MapRow:
    """One stakeholder of a goal as its map and your notes have them. Engagement values are '' when not
    assessed; GAVE and ASKED count the reciprocity window, GAVE_EVER everything up to today."""

    person: str
    mapped: bool  # written as a map entry
    role: str
    influence: str
    interest: str
    engagement: str
    desired: str
    wants: str
    line: int  # of the entry in the goal's note
    last_contact: dt.date | None
    first_contact: dt.date | None  # `met`, or the first interaction, whichever is earlier
    next_due: dt.date | None
    warm: bool
    gave: int
    asked: int
    gave_ever: int
    lobbying: bool  # first contacted after the goal started, and given nothing yet

    @property
    def quadrant(self) -> str:
        return quadrant(self.influence, self.interest)

    @property
    def gap(self) -> int | None:
        """How many engagement levels below the desired one they are (0 at or above it); None unassessed."""
        if not self.engagement or not self.desired:
            return None
        return max(0, ENGAGEMENT.index(self.desired) - ENGAGEMENT.index(self.engagement))

    @property
    def never_contacted(self) -> bool:
        return self.last_contact is None

    @property
    def ask_without_give(self) -> bool:
        """Asked of them within the window while giving them nothing in it."""
        return self.asked > 0 and self.gave == 0


def stakeholder_rows(journal: Journal, config: Config, today: dt.date, goal: Goal,
                     statuses: dict[str, ContactStatus] | None = None) -> tuple[MapRow, ...]:
    """Every stakeholder of GOAL (plain or mapped) as a MapRow, in the goal's order."""
    plans = dict(journal.plans.get(goal.id, ()))
    window_start = days_after(today, -config.reciprocity_window)
    rows = []
    for pid in journal.stakeholders.get(goal.id, ()):
        person = journal.people[pid]
        status = (statuses or {}).get(pid) or contact_status(journal, config, today, person)
        history = [i for i in journal.interactions_with(pid) if i.date <= today]
        recent = ledger(journal, pid, history, since=window_start)
        gave_ever = ledger(journal, pid, history).gave
        first = min(filter(None, (person.met, history[0].date if history else None)), default=None)
        lobbying = (goal.status == "active" and goal.started is not None and first is not None
                    and first >= goal.started and gave_ever == 0)
        plan = plans.get(pid)
        line = plan.line if plan is not None else _ref_line(journal, goal, pid)
        rows.append(MapRow(
            pid, plan is not None, plan.role if plan else "", plan.influence if plan else "",
            plan.interest if plan else "", plan.engagement if plan else "", plan.desired if plan else "",
            plan.wants if plan else "", line, status.last_contact, first, status.next_due, status.warm,
            recent.gave, recent.asked, gave_ever, lobbying))
    return tuple(rows)


def _ref_line(journal: Journal, goal: Goal, pid: str) -> int:
    """The line of the reference to PID among GOAL's stakeholders."""
    for ref in goal.stakeholder_refs:
        if pid in journal.resolve_person(ref.text):
            return ref.line
    return goal.line_of("stakeholders")


def known_roles(config: Config) -> tuple[str, ...]:
    """The roles a stakeholder map may give: the built-in ones, then `[goals] roles`."""
    return ROLES + tuple(role for role in config.extra_roles if role not in ROLES)


def _plural(role: str, count: int) -> str:
    return role if count == 1 else f"{role}s"


def readiness(rows: Iterable[MapRow], config: Config) -> str:
    """One line on whether the decision group is ready, role by role, as a mentor would sum it up: "2 of 3
    deciders at their desired engagement; the gatekeeper is unaware and has never heard from you". ''
    when no stakeholder has a role."""
    by_role: dict[str, list[MapRow]] = {}
    for row in rows:
        if row.role:
            by_role.setdefault(row.role, []).append(row)
    order = [role for role in known_roles(config) if role in by_role]
    order += sorted(role for role in by_role if role not in order)
    parts = []
    for role in order:
        members = by_role[role]
        if len(members) == 1:
            parts.append(f"the {role} {_standing(members[0])}")
            continue
        ready = sum(1 for row in members if row.gap == 0)
        part = f"{ready} of {len(members)} {_plural(role, len(members))} at their desired engagement"
        never = sum(1 for row in members if row.never_contacted)
        if never:
            part += f" ({never} never contacted)"
        parts.append(part)
    return "; ".join(parts)


def _standing(row: MapRow) -> str:
    """How one stakeholder stands, for the readiness line: "is unaware and has never heard from you"."""
    if row.gap == 0:
        where = "is at their desired engagement"
    elif row.engagement:
        where = f"is {row.engagement}" + (f" (wanted: {row.desired})" if row.desired else "")
    else:
        where = "is not assessed"
    if row.never_contacted:
        return f"{where} and has never heard from you"
    if not row.warm:
        return f"{where} and has gone cold"
    return where


def next_step(row: MapRow, introducer: str | None = None) -> str:
    """The one thing to do next about a stakeholder (INTRODUCER: the name of whoever can introduce you)."""
    wants = f": they want {row.wants}" if row.wants else ""
    if row.never_contacted:
        if introducer:
            return f"ask {introducer} for an introduction"
        return "introduce yourself with something useful to them" + wants
    if row.engagement == "resistant" and row.gave_ever == 0:
        return "give first" + (wants or ": find out what they need")
    if row.lobbying:
        return "give before you ask" + wants
    if not row.warm:
        return f"get back in touch (due {row.next_due})" if row.next_due else "get back in touch"
    if row.ask_without_give:
        return "give something back before asking again" + wants
    if row.gap:
        return f"move them from {row.engagement} to {row.desired}" + wants
    return {"manage closely": "keep them closely involved", "keep satisfied": "keep them satisfied with short updates",
            "keep informed": "keep them informed", "monitor": "monitor"}.get(row.quadrant, "stay in touch")


def check_goals(journal: Journal, config: Config, today: dt.date) -> list[Finding]:
    findings: list[Finding] = []
    roles = known_roles(config)
    for goal in journal.goals.values():
        for pid, plan in journal.plans.get(goal.id, ()):
            if plan.role and plan.role not in roles:
                findings.append(Finding(
                    "invalid-value", f"stakeholders: role {plan.role!r} of {journal.people[pid].name} is not one "
                    f"of {', '.join(roles)} (add roles with [goals] roles in netjournal.toml)",
                    Source(goal.path, plan.line)))
        if goal.status != "active":
            continue
        coverage = goal_coverage(journal, config, today, goal)
        for row in stakeholder_rows(journal, config, today, goal):
            findings += _row_findings(journal, config, goal, row, coverage)
    return findings


def _row_findings(journal: Journal, config: Config, goal: Goal, row: MapRow, coverage: Coverage) -> list[Finding]:
    """What a mentor would point at about one stakeholder of an active GOAL."""
    name = journal.people[row.person].name
    where = Source(goal.path, row.line)
    found = []
    wants = f" (they want {row.wants!r})" if row.wants else ""
    if not row.warm:
        why = ("never contacted" if row.never_contacted else f"last contact {row.last_contact}, due {row.next_due}")
        engaged = f"; {row.engagement}, wanted {row.desired}" if row.gap else ""
        if row.role in config.key_roles:
            heard = "has never heard from you" if row.never_contacted else f"has gone cold ({why})"
            found.append(Finding("goal-decider-cold", f"{goal.title}: the {row.role} {name} {heard}{engaged}; "
                                 f"coverage {coverage.label}", where, person=row.person))
        else:
            found.append(Finding("goal-stakeholder-cold", f"{goal.title}: stakeholder {name} has gone cold ({why})"
                                 f"{engaged}; coverage {coverage.label}", where, person=row.person))
    if (row.gap and goal.started is not None and not row.never_contacted
            and row.last_contact is not None and row.last_contact < goal.started):
        found.append(Finding("goal-engagement-gap", f"{goal.title}: {name} is {row.engagement} and you want them "
                             f"{row.desired}, but you have not been in touch since the goal started ({goal.started}; "
                             f"last contact {row.last_contact})", where, person=row.person))
    if row.engagement == "resistant" and row.gave_ever == 0:
        found.append(Finding("goal-resistant-ungiven", f"{goal.title}: {name} is resistant and you have never given "
                             f"them anything; give first{wants}", where, person=row.person))
    if row.lobbying:
        found.append(Finding("goal-lobbying", f"{goal.title}: you first contacted {name} on {row.first_contact}, "
                             f"after the goal started ({goal.started}), and have given them nothing yet: that is "
                             f"lobbying, not networking; give first{wants}", where, person=row.person))
    return found
