"""`netjournal brief PERSON`: what a good networker re-reads before meeting someone, as plain data (made
from the build's `Site`, so every value comes through the memo), and its text and Markdown forms.

Who they are and who introduced you, the last three conversations and their topics, the follow-ups still
open with them, the give-and-take balance over the reciprocity window, a congratulation owed, a birthday
or anniversary coming, and the goals they have a stake in. Made from the journal as the chosen audience
sees it: for a mentor, a hidden person does not exist and is named "someone" wherever they are mentioned.
"""
from __future__ import annotations

from dataclasses import dataclass

from .checks.congratulations import date_reason, upcoming_dates
from .site.context import Site
from .values import days_after, days_text, printable, upper_first


@dataclass(frozen=True)
class Conversation:
    date: str
    title: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Brief:
    name: str
    about: str  # role, org and location as one line ("" when none is known)
    tags: tuple[str, ...]
    met: str
    introduced_by: str
    introduced: tuple[str, ...]
    contact: str  # last contact and when the next is due
    conversations: tuple[Conversation, ...]  # the latest first
    follow_ups: tuple[str, ...]
    balance: str
    occasions: tuple[str, ...]  # a congratulation owed, a birthday or anniversary coming
    goals: tuple[str, ...]


def make_brief(site: Site, pid: str, conversations: int = 3) -> Brief:
    """PID's brief as of the site's day."""
    journal, today, config = site.journal, site.today, site.config
    person = journal.people[pid]
    past = [i for i in journal.interactions_with(pid) if i.date <= today]
    status, totals = site.status(pid), site.ledger(pid)
    if status.last_contact is not None:
        contact = f"last contact {status.last_contact} ({days_text((today - status.last_contact).days)} ago)"
    else:
        contact = "no contact logged yet"
    if status.next_due is not None:
        contact += f"; {status.overdue_days} days overdue" if status.stale else f"; next due {status.next_due}"
    occasions = []
    owed = site.congratulation(pid)
    if owed is not None:
        occasions.append(f"Congratulate them on the {owed.reason()}")
    occasions += [upper_first(date_reason(None, day, today)) for day in upcoming_dates(person, today,
                                                                                         config.due_soon)]
    goals = []
    for gid in journal.goals_of(pid):
        goal = journal.goals[gid]
        plan = dict(journal.plans[gid]).get(pid)  # their stakeholder map entry, if the goal maps them
        stand = "" if plan is None else "; ".join(filter(None, (
            plan.role, f"{plan.engagement or 'not assessed'}, wanted {plan.desired}" if plan.desired else
            plan.engagement, f"wants: {plan.wants}" if plan.wants else "")))
        goals.append(f"{goal.title} ({goal.status}; {site.coverage(gid).label})" + (f": {stand}" if stand else ""))
    introducer = journal.introducer.get(pid)
    since = days_after(today, -config.reciprocity_window)
    return Brief(
        name=person.name, about=", ".join(filter(None, (person.role, person.org, person.location))),
        tags=person.tags, met=person.met.isoformat() if person.met else "",
        introduced_by=journal.name(introducer)[0] if introducer is not None else "",
        introduced=tuple(journal.name(p)[0] for p in journal.introduced_by(pid)), contact=contact,
        conversations=tuple(Conversation(i.date.isoformat(), site.interaction_title(i), i.topics)
                            for i in reversed(past[-conversations:])),
        follow_ups=tuple(f"{f.what}" + (f" (due {f.due})" if f.due else "")
                         + (f", promised {f.promised_on}" if f.promised_on
                            else f", a task of {journal.goals[f.goal].title}")
                         for f in journal.open_follow_ups(pid)),
        balance=f"since {since}: you gave {totals.gave}, asked {totals.asked}, received {totals.received}; "
                f"balance {totals.balance:+d}",
        occasions=tuple(occasions), goals=tuple(goals))


def _sections(brief: Brief) -> list[tuple[str, list[str]]]:
    who = [line for line in (
        brief.about, f"tags: {', '.join(brief.tags)}" if brief.tags else "", f"met {brief.met}" if brief.met else "",
        f"introduced by {brief.introduced_by}" if brief.introduced_by else "",
        f"introduced you to {', '.join(brief.introduced)}" if brief.introduced else "", brief.contact) if line]
    talks = [f"{c.date} {c.title}" + (f" (topics: {', '.join(c.topics)})" if c.topics else "")
             for c in brief.conversations]
    return [("Who", who), ("Now", list(brief.occasions)), ("Last conversations", talks or ["none logged"]),
            ("Open follow-ups", list(brief.follow_ups) or ["none"]), ("Give and take", [brief.balance]),
            ("Goals they have a stake in", list(brief.goals) or ["none"])]


def brief_text(brief: Brief) -> str:
    """The brief for a terminal: a title line and indented sections."""
    lines = [brief.name]
    for title, items in _sections(brief):
        if items:
            lines += ["", title] + [f"  {item}" for item in items]
    return printable("\n".join(lines)) + "\n"


def brief_markdown(brief: Brief) -> str:
    """The brief as Markdown, to paste into a note."""
    lines = [f"## Brief: {brief.name}"]
    for title, items in _sections(brief):
        if items:
            lines += ["", f"**{title}**", ""] + [f"- {item}" for item in items]
    return printable("\n".join(lines)) + "\n"
