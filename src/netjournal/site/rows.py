"""The rows that several pages show: an interaction (listed, or in full with its body), a follow-up, a
finding, a comment, a person's contact status, a line of the week. Each is plain data for the templates;
the rows kept in the memo (a follow-up, a listed interaction) are made by `_make_*` recipes, whose names a
saved memo holds (engine.RECIPES).
"""
from __future__ import annotations

from ..checks.staleness import ContactStatus
from ..findings import Finding
from ..model import FollowUp, Interaction
from ..ranking import Line
from ..records import EXCHANGES
from ..values import format_duration
from .context import Site, goal_url


def comment_rows(site: Site, comments: list, base: str, with_target: bool = False) -> list[dict]:
    rows = []
    for comment in comments:
        row = {"author": comment.author, "date": comment.date.isoformat(), "body": site.body(comment, base),
               "target": None}
        if with_target:
            target = next(t for c, t in site.journal.comments if c is comment)
            if target.kind == "person":
                row["target"] = site.person_link(target.id, base)
            elif target.kind == "goal":
                row["target"] = {"name": site.journal.goals[target.id].title, "href": base + goal_url(target.id)}
            else:
                row["target"] = {"name": site.interaction_title(site.journal.interaction(target.id)),
                                 "href": base + site.interaction_url(target.id)}
        rows.append(row)
    return rows


def finding_row(finding: Finding, site: Site, base: str) -> dict:
    pid = finding.person
    person = site.person_link(pid, base) if pid is not None and pid in site.journal.people else None
    message = finding.message
    if person and message.startswith(person["name"] + ": "):  # the row already links the name
        message = message[len(person["name"]) + 2:]
    where = str(finding.source) if finding.source else "netjournal.toml"
    return {"where": site.source(where), "message": message,
            "code": finding.code, "severity": finding.severity.label, "person": person}


def follow_up_row(item: FollowUp, site: Site, base: str) -> dict:
    """A follow-up in a list, kept in the memo by the follow-up itself: the follow-ups page lists thousands,
    and a rebuild makes again only those whose day, people or note changed."""
    return site.memo.get(("follow-up row", item, base), _make_follow_up_row, item, base)


def _make_follow_up_row(site: Site, item: FollowUp, base: str) -> dict:
    days = None if item.due is None or item.done else (item.due - site.today).days
    state = ("done" if item.done else "open" if days is None else "overdue" if days < 0 else
             "soon" if days <= site.config.due_soon else "later")
    source = site.source(str(item.source))
    return {"what": item.what, "due": item.due.isoformat() if item.due else "", "days": days, "state": state,
            "promised_on": item.promised_on.isoformat() if item.promised_on else "",
            "overdue_days": -days if days is not None and days < 0 else 0,
            "people": [site.person_link(p, base) for p in item.concerns],
            "note_href": base + (site.interaction_url(item.interaction) if item.interaction else goal_url(item.goal)),
            "source": source, "where": source, "done": item.done, "private": item.private}


def listed_row(site: Site, iid: str, base: str) -> dict:
    """An interaction in a list (no body): kept in the memo, so an edit of the note's text leaves lists be."""
    return site.memo.get(("row", iid, base), _make_listed_row, iid, base)


def _make_listed_row(site: Site, iid: str, base: str) -> dict:
    return _row(site.journal.interaction(iid), site, base, False)


def full_row(site: Site, iid: str) -> dict:
    """An interaction in full, as its month's page and each of its people's pages show it (all one level
    deep). Made for each page, not kept in the memo: kept, the 100,000 rows of L held 325 MiB in serve and
    the daemon, and a page made again finds each unchanged row's HTML by its content (site/render.py)."""
    return _row(site.journal.interaction(iid), site, "../", True)


def _row(interaction: Interaction, site: Site, base: str, with_body: bool) -> dict:
    journal = site.journal
    row = {"id": site.anchor(interaction.id), "date": interaction.date.isoformat(), "kind": interaction.kind,
           "title": site.interaction_title(interaction),
           "people": [site.person_link(p, base) for p in journal.participants[interaction.id]],
           "href": base + site.interaction_url(interaction.id), "topics": list(interaction.topics),
           **_exchange_rows(site, interaction, base), "private": interaction.private,
           "path": site.source(interaction.path),
           "follow_ups": [{"what": f.what, "due": f.due.isoformat() if f.due else "", "done": f.done}
                          for f in interaction.follow_ups],
           "comments": comment_rows(site, journal.comments_on("interaction", interaction.id), base)}
    if with_body:
        row["body"] = site.body(interaction)
    return row


def _exchange_rows(site: Site, interaction: Interaction, base: str) -> dict[str, list[dict]]:
    """INTERACTION's gave, asked and received: each entry's text and the people it names (none: it is
    for everyone there)."""
    named = site.journal.named_by(interaction) if interaction.aims else {}
    return {kind: [{"what": what, "people": [site.person_link(p, base) for p in named.get((kind, index), ())]}
                   for index, what in enumerate(getattr(interaction, kind))] for kind in EXCHANGES}


def due_fields(status: ContactStatus, site: Site) -> dict:
    """Whether the person is due for contact within the `[follow_ups] soon` window (the definition of
    `due_for_contact`), and in how many days (negative: overdue)."""
    return {"due_soon": status.due_within(site.today, site.config.due_soon),
            "due_in": (status.next_due - site.today).days if status.next_due is not None else None}


def status_fields(status: ContactStatus) -> dict:
    return {"last_contact": status.last_contact.isoformat() if status.last_contact else "",
            "next_due": status.next_due.isoformat() if status.next_due else "",
            "overdue_days": status.overdue_days, "stale": status.stale,
            "cadence": format_duration(status.cadence), "cadence_source": status.cadence_source,
            "never": status.never_contacted, "paused": status.paused, "snoozed": status.snoozed}


def week_row(line: Line, site: Site, base: str) -> dict:
    """A line of the "This week" panel: who, why in a few words, and what makes it so (each item's reason,
    its note and line on hover and in the details)."""
    person = site.person_link(line.person, base) if line.person is not None else None
    details = [{"text": f"{item.what}: {item.when}" if item.kind == "promise" else item.detail or item.reason,
                "where": site.source(str(item.source)) if item.source else ""} for item in line.items]
    return {"person": person, "label": line.items[0].label or "(nobody named)", "reason": line.reason,
            "urgent": line.urgent, "details": details if len(details) > 1 or details[0]["where"] else []}
