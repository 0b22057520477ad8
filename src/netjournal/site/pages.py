"""The pages: each a function from the build's Site to a path, a template and plain data for it.

Templates only loop and print; sorting, dates, due-ness and links are decided here. Every page lives at
depth 0 (index.html, follow-ups.html) or 1 (people/x.html, …), so relative links start with a `base` of
"" or "../". Note bodies are the only HTML handed to templates as markup, and markdown-it escaped them.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..checks.reciprocity import RECIPROCITY_CODES
from ..checks.staleness import due_for_contact
from ..findings import Finding, Severity, leading_errors
from ..model import FollowUp
from ..ranking import Line
from ..records import EXCHANGES
from ..values import days_after, days_text
from .charts import HEATMAP_DAYS, MONTHS, heatmap, sparkline
from .context import Site, anchor_of, file_name, goal_url, person_url, tag_url
from .markdown import is_address, safe_url
from .planning import goal_links, goal_plan, intro_rows, network_context
from .rows import (
    comment_rows,
    due_fields,
    finding_row,
    follow_up_row,
    full_row,
    listed_row,
    status_fields,
    week_row,
)

# A dashboard list shows the most pressing rows and links to its full page (follow-ups, people): a journal
# of years can have thousands overdue, and a page of thousands answers no "what now?"
DASHBOARD_ROWS = 20
# The dashboard's "This week" panel: the few things to do first (issue 28), one line a person
WEEK_ROWS = 7
# The follow-ups page lists this many done follow-ups, the newest: in a journal of years most are done (1,911
# of 2,771 in a 5,000-interaction corpus), and all of them tripled the page (0.4 MB to 1.26 MB)
DONE_ROWS = 100


@dataclass(frozen=True)
class Page:
    path: str  # relative to the output folder, posix
    template: str
    context: dict[str, Any]

    @property
    def base(self) -> str:
        return "../" * self.path.count("/")


def _first_of(items: list, row: Callable[[Any], dict]) -> dict:
    """A dashboard list: the rows of the first DASHBOARD_ROWS ITEMS, and how many there are in all."""
    return {"rows": [row(item) for item in items[:DASHBOARD_ROWS]], "total": len(items)}


# --- pages -----------------------------------------------------------------------------------------------

def dashboard(site: Site) -> Page:
    base = ""
    journal, today, config = site.journal, site.today, site.config
    errors, reciprocity = site.memo.get(("dashboard findings",), _dashboard_findings)
    overdue, due_soon, open_total = site.memo.get(("dashboard follow-ups",), _dashboard_follow_ups)
    due_people = due_for_contact(map(site.status, journal.people), today, config.due_soon)
    goals = []
    for gid, goal in journal.goals.items():
        if goal.status != "active":
            continue
        coverage = site.coverage(gid)
        goals.append({"title": goal.title, "href": goal_url(gid), "label": coverage.label,
                      "warm": len(coverage.warm), "total": coverage.total,
                      "target": goal.target.isoformat() if goal.target else "",
                      "cold": [site.person_link(p, base) for p in coverage.cold], "private": goal.private})
    recent = [iid for _, _, iid in journal.latest_interactions(today, 12)]
    counts = Counter(date for date, _, _ in journal.interactions_between(days_after(today, -HEATMAP_DAYS), today))
    week, week_total = site.memo.get(("week", config.due_soon), _week, config.due_soon)
    context = {
        "title": config.title, "owner": config.owner,
        "errors": [finding_row(f, site, base) for f in errors],
        "week": {"rows": [week_row(line, site, base) for line in week], "total": week_total,
                 "title": "This week" if config.due_soon == 7 else f"Next {days_text(config.due_soon)}"},
        "overdue": _first_follow_ups(site, *overdue), "soon": _first_follow_ups(site, *due_soon),
        "due_people": _first_of(due_people, lambda s: {**site.person_link(s.person, base), **status_fields(s),
                                                        **due_fields(s, site)}),
        "due_window": days_text(config.due_soon),
        "reciprocity": [finding_row(f, site, base) for f in reciprocity],
        "occasions": _first_of(list(site.occasions(config.due_soon)), lambda o: {
            **site.person_link(o.person, base), "code": o.code, "on": o.on.isoformat(), "reason": o.reason}),
        "goals": goals,
        "recent": [listed_row(site, iid, base) for iid in recent],
        "heatmap": heatmap(counts, today),
        "comments": comment_rows(site, [c for c, _ in reversed(journal.comments)][:10], base, with_target=True),
        "since": None,
        "counts": {"people": len(journal.people), "interactions": journal.interactions_total(),
                   "open": open_total, "notes": site.note_count},
    }
    return Page("index.html", "index.html", context)


def _dashboard_findings(site: Site) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """The findings the dashboard lists: the errors (first in the list of all) and the reciprocity ones.
    Of the list of all, which any edit changes (a finding's line, say), the dashboard reads these only."""
    findings = site.findings()
    return (leading_errors(findings),
            tuple(f for f in findings if f.code in RECIPROCITY_CODES))


def _first_follow_ups(site: Site, first: tuple[FollowUp, ...], total: int) -> dict:
    """A dashboard list of follow-ups: its FIRST rows (the note's path and line shown on hover only)."""
    return {"rows": [{**follow_up_row(f, site, ""), "source": ""} for f in first], "total": total}


def _dashboard_follow_ups(site: Site) -> tuple[tuple[tuple[FollowUp, ...], int], tuple[tuple[FollowUp, ...], int], int]:
    """The dashboard's overdue and due-soon follow-ups (the first DASHBOARD_ROWS of each, and how many
    there are) and how many are open: the dashboard reads these only, not the list of all open ones, which
    an edit that moves a note's follow-ups to other lines changes."""
    journal, today = site.journal, site.today
    overdue, overdue_total = (journal.first_open_follow_ups_due(dt.date.min, days_after(today, -1), DASHBOARD_ROWS)
                              if today > dt.date.min else ([], 0))
    soon, soon_total = journal.first_open_follow_ups_due(today, days_after(today, site.config.due_soon), DASHBOARD_ROWS)
    return (tuple(overdue), overdue_total), (tuple(soon), soon_total), journal.open_total()


def _week(site: Site, within: int) -> tuple[tuple[Line, ...], int]:
    """The "This week" panel's lines and how many the agenda has: the dashboard reads these only."""
    agenda = site.agenda(within)
    return agenda[:WEEK_ROWS], len(agenda)


def people_index(site: Site) -> Page:
    base = "../"
    journal = site.journal
    rows = [_person_row(site, pid) for pid, _ in sorted(journal.people.items(),
                                                        key=lambda kv: (kv[1].name.casefold(), kv[0]))]
    tags = [{"name": t, "href": base + tag_url(t), "count": len(journal.people_tagged(t))} for t in journal.tags()]
    return Page("people/index.html", "people.html", {"title": "People", "people": rows, "tags": tags})


def _person_row(site: Site, pid: str) -> dict:
    """A person in the list of people, kept in the memo: a note about one person makes again their row
    only (the list reads a thousand people's statuses and ledgers)."""
    return site.memo.get(("person row", pid), _make_person_row, pid)


def _make_person_row(site: Site, pid: str) -> dict:
    base = "../"
    person, status, totals = site.journal.people[pid], site.status(pid), site.ledger(pid)
    return {
        "name": person.name, "href": person_url(pid).split("/", 1)[1], "org": person.org,
        "role": person.role, "private": person.private,
        "tags": [{"name": t, "href": base + tag_url(t)} for t in person.tags],
        "tag_list": " ".join(person.tags), **status_fields(status), **due_fields(status, site),
        "gave": totals.gave, "asked": totals.asked, "received": totals.received, "balance": totals.balance,
        "search": " ".join(filter(None, [person.name, *person.aliases, person.org, person.role,
                                          *person.tags])).casefold(),
        "sort_due": status.next_due.isoformat() if status.next_due else "9999-12-31",
    }


def person_page(site: Site, pid: str) -> Page:
    base = "../"
    journal, today = site.journal, site.today
    person = journal.people[pid]
    history = journal.interactions_with(pid)
    past = [i for i in history if i.date <= today]
    totals = site.ledger(pid)
    entries = []
    for interaction in past:
        for kind in EXCHANGES:
            for what in journal.exchanges_of(interaction, kind, pid):
                entries.append({"date": interaction.date.isoformat(), "kind": kind, "what": what,
                                "href": base + site.interaction_url(interaction.id)})
    entries.reverse()
    follow = [follow_up_row(f, site, base) for f in journal.open_follow_ups(pid)]
    goals = [{**link, "status": journal.goals[g].status} for g, link in zip(journal.goals_of(pid),
                                                                          goal_links(site, pid, base), strict=True)]
    notes = [finding_row(f, site, base) for f in site.findings_of(pid) if f.severity != Severity.ERROR]
    introducer = journal.introducer.get(pid)
    status = site.status(pid)
    context = {
        "title": person.name, "person": {
            "name": person.name, "aliases": list(person.aliases), "org": person.org, "role": person.role,
            "email": list(person.email), "phone": list(person.phone), "location": person.location,
            "links": [{"label": label, "href": safe_url(url)} if is_address(url) else
                      {"label": f"{label}: {url}" if label != url else url, "href": None}  # a handle: no link
                      for label, url in person.links],
            "private": person.private, "met": person.met.isoformat() if person.met else "",
            "tags": [{"name": t, "href": base + tag_url(t)} for t in person.tags],
            "snooze_until": person.snooze_until.isoformat() if person.snooze_until else "",
            "paused_until": person.paused_until.isoformat() if person.paused_until else "",
            "path": site.source(person.path)},
        "status": status_fields(status),
        "intro": intro_rows(site, pid, base) if not status.warm else None,
        "body": site.body(person),
        "timeline": [full_row(site, i.id) for i in reversed(history)],
        "ledger": {"gave": totals.gave, "asked": totals.asked, "received": totals.received,
                   "balance": totals.balance, "entries": entries},
        "follow_ups": follow,
        "introduced_by": site.person_link(introducer, base) if introducer is not None else None,
        "introduced": [site.person_link(p, base) for p in journal.introduced_by(pid)],
        "goals": goals, "findings": notes,
        "comments": comment_rows(site, journal.comments_on("person", pid), base),
        "sparkline": sparkline((i.date for i in past), today),
    }
    return Page(f"people/{file_name(pid)}.html", "person.html", context)


def periods(site: Site) -> dict[str, list[tuple[int, int]]]:
    """Each interactions page ("2026", or "2026-11" for a large year) -> the months it shows."""
    found: dict[str, list[tuple[int, int]]] = {}
    for year, month in site.journal.months():
        found.setdefault(site.period_of(year, month), []).append((year, month))
    return found


def interactions_index(site: Site) -> Page:
    by_year: Counter[int] = Counter()
    for year, month in site.journal.months():
        by_year[year] += len(site.journal.interactions_in(year, month))
    years = [{"year": y, "count": n, "href": f"{y}.html"} for y, n in sorted(by_year.items(), reverse=True)]
    recent = [listed_row(site, iid, "../") for _, _, iid in site.journal.latest_interactions(dt.date.max, 30)]
    return Page("interactions/index.html", "interactions.html",
                {"title": "Interactions", "years": years, "recent": recent})


def _years_nav(site: Site, year: int) -> list[dict]:
    years = sorted({y for y, _ in site.journal.months()}, reverse=True)
    return [{"year": y, "href": f"{y}.html", "current": y == year} for y in years]


def period_page(site: Site, period: str) -> Page:
    """A period (a year, or a month of a large year) with every interaction in full, newest first."""
    year = int(period[:4])
    months: list[dict] = []
    shown = [(year, int(period[5:]))] if len(period) > 4 else [(y, m) for y, m in site.journal.months() if y == year]
    for found_year, month in reversed(shown):
        places = site.journal.interactions_in(found_year, month)
        months.append({"id": f"{found_year}-{month:02d}", "name": f"{MONTHS[month - 1]} {found_year}",
                       "interactions": [full_row(site, iid) for _, _, iid in reversed(places)]})
    title = f"Interactions in {months[0]['name']}" if len(period) > 4 else f"Interactions in {year}"
    siblings = [f"{y}-{m:02d}" for y, m in reversed(site.journal.months()) if y == year] if len(period) > 4 else []
    return Page(f"interactions/{period}.html", "year.html", {
        "title": title, "year": year, "months": months, "years": _years_nav(site, year),
        "month_nav": [{"label": MONTHS[int(p[5:]) - 1][:3], "href": f"{p}.html", "current": p == period}
                      for p in siblings]})


def year_index_page(site: Site, year: int) -> Page:
    """A large year's page: the list of its month pages."""
    months = [{"name": f"{MONTHS[m - 1]} {year}", "href": f"{year}-{m:02d}.html",
               "count": len(site.journal.interactions_in(year, m))}
              for y, m in reversed(site.journal.months()) if y == year]
    return Page(f"interactions/{year}.html", "year_index.html", {
        "title": f"Interactions in {year}", "year": year, "months": months, "years": _years_nav(site, year)})


def follow_ups_page(site: Site) -> Page:
    rows = [follow_up_row(f, site, "") for f in site.journal.open_follow_ups()]
    groups = [(state, label, [r for r in rows if r["state"] == state]) for state, label in
              (("overdue", "Overdue"), ("soon", "Due soon"), ("later", "Later"), ("open", "No due date"))]
    newest, done = site.journal.done_follow_ups(DONE_ROWS)
    return Page("follow-ups.html", "follow_ups.html",
                {"title": "Follow-ups", "groups": [{"state": s, "label": lbl, "rows": r} for s, lbl, r in groups],
                 "done": done, "done_rows": [follow_up_row(f, site, "") for f in newest], "open": len(rows)})


def _goal_summary(site: Site, gid: str) -> dict:
    goal = site.journal.goals[gid]
    coverage = site.coverage(gid)
    return {"title": goal.title, "href": goal_url(gid).split("/", 1)[1], "status": goal.status,
            "target": goal.target.isoformat() if goal.target else "", "label": coverage.label,
            "warm": len(coverage.warm), "total": coverage.total, "private": goal.private}


def goals_index(site: Site) -> Page:
    rows = [_goal_summary(site, gid) for gid in site.journal.goals]
    rows.sort(key=lambda r: (r["status"] != "active", r["title"].casefold()))
    return Page("goals/index.html", "goals.html", {"title": "Goals", "goals": rows})


def goal_page(site: Site, gid: str) -> Page:
    goal = site.journal.goals[gid]
    coverage = site.coverage(gid)
    stakeholders = [{**site.person_link(p, "../"), **status_fields(site.status(p)), "warm": p in coverage.warm}
                    for p in site.journal.stakeholders[gid]]
    return Page(f"goals/{file_name(gid)}.html", "goal.html",
                {"title": goal.title, "goal": _goal_summary(site, gid), "stakeholders": stakeholders,
                 "plan": goal_plan(site, gid),
                 "comments": comment_rows(site, site.journal.comments_on("goal", gid), "../"),
                 "body": site.body(goal), "path": site.source(goal.path)})


def tags_index(site: Site) -> Page:
    rows = [{"name": tag, "href": tag_url(tag).split("/", 1)[1], "count": len(site.journal.people_tagged(tag))}
            for tag in site.journal.tags()]
    return Page("tags/index.html", "tags.html", {"title": "Tags", "tags": rows})


def tag_page(site: Site, tag: str) -> Page:
    entries = [{**site.person_link(pid, "../"), "org": site.journal.people[pid].org, **status_fields(site.status(pid))}
               for pid in site.journal.people_tagged(tag)]
    return Page(f"tags/{file_name(tag)}.html", "tag.html", {"title": f"Tag: {tag}", "tag": tag, "people": entries})


def network_page(site: Site) -> Page:
    """Your network as a picture, its clusters, and its hubs."""
    return Page("network.html", "network.html", network_context(site))


def review_page(site: Site) -> Page:
    """review.html: the last seven days as one digest (weekly.py), for the meeting with a mentor."""
    from ..weekly import review_start

    base = ""
    journal = site.journal
    made = site.review(review_start(site.today))

    def links(pids) -> list[dict]:
        return [site.person_link(p, base) for p in pids]

    context = {
        "title": "Weekly review", "label": made.label, "summary": made.summary(),
        "met": [{**site.person_link(pid, base), "count": count} for pid, count in made.met],
        "exchanges": [{"date": e.date.isoformat(), "kind": e.kind, "what": e.what, "people": links(e.people),
                       "href": base + site.interaction_url(e.interaction)} for e in made.exchanges],
        "promised": [follow_up_row(f, site, base) for f in made.promised],
        "due_open": [follow_up_row(f, site, base) for f in made.due_open],
        "congratulations": [{**site.person_link(pid, base), "reason": reason} for pid, reason in made.congratulations],
        "cold": [{"title": journal.goals[gid].title, "href": base + goal_url(gid), "people": links(cold)}
                 for gid, cold in made.cold],
        "goals": [{"title": journal.goals[gid].title, "href": base + goal_url(gid), "label": label}
                  for gid, label in made.goals],
    }
    return Page("review.html", "review.html", context)


def since_page(site: Site, review: Any) -> Page:
    """The notes added, changed or removed since the review's revision or date, as this audience sees them."""
    journal = site.journal
    by_path: dict[str, dict] = {}
    for pid, person in journal.people.items():
        by_path[person.path] = {"kind": "people", **site.person_link(pid, "")}
    for interaction in journal.interactions:
        by_path[interaction.path] = {"kind": "interactions", "name": f"{interaction.date} "
                                     f"{site.interaction_title(interaction)}",
                                     "href": site.interaction_url(interaction.id), "private": interaction.private}
    for gid, goal in journal.goals.items():
        by_path[goal.path] = {"kind": "goals", "name": goal.title, "href": goal_url(gid), "private": goal.private}
    sections: dict[str, list[dict]] = {kind: [] for kind in ("people", "interactions", "goals")}
    for change in review.changes:
        item = by_path.get(change.path)
        if item is not None:
            sections[item["kind"]].append({**item, "status": change.status})
        elif change.status == "removed" and site.for_owner:  # a shared site names no file it cannot show
            kind = change.path.split("/", 1)[0]
            if kind in sections:
                sections[kind].append({"kind": kind, "name": change.path, "href": "", "private": False,
                                       "status": "removed"})
    labels = {"people": "People", "interactions": "Interactions", "goals": "Goals"}
    return Page("since.html", "since.html", {
        "title": f"Since {review.label}", "label": review.label,
        "sections": [{"id": k, "label": labels[k], "rows": v} for k, v in sections.items()]})


#: One page to make: a kind and its key (a person id, a period, a year, a goal id or a tag; None for the
#: summary pages). Plain data, so a plan can be shared out to worker processes.
PageSpec = tuple[str, Any]

SUMMARY_PAGES: tuple[PageSpec, ...] = (("dashboard", None), ("people", None), ("follow-ups", None),
                                       ("interactions", None), ("goals", None), ("tags", None), ("network", None),
                                       ("review", None))
SUMMARY_PATHS = ("index.html", "people/index.html", "follow-ups.html", "interactions/index.html", "goals/index.html",
                 "tags/index.html", "network.html", "review.html")
_MAKERS: dict[str, Callable[..., Page]] = {
    "dashboard": dashboard, "people": people_index, "follow-ups": follow_ups_page, "interactions": interactions_index,
    "goals": goals_index, "tags": tags_index, "person": person_page, "period": period_page, "year": year_index_page,
    "goal": goal_page, "tag": tag_page, "network": network_page, "review": review_page}


def page_plan(site: Site, review: Any = None) -> list[tuple[PageSpec, str]]:
    """Every page of the site, with its path, in a stable order."""
    journal = site.journal
    plan: list[tuple[PageSpec, str]] = list(zip(SUMMARY_PAGES, SUMMARY_PATHS, strict=True))
    plan += [(("person", pid), f"people/{file_name(pid)}.html") for pid in sorted(journal.people)]
    found = periods(site)
    plan += [(("period", period), f"interactions/{period}.html") for period in found]
    plan += [(("year", year), f"interactions/{year}.html")
             for year in sorted({int(p[:4]) for p in found if len(p) > 4}, reverse=True)]
    plan += [(("goal", gid), f"goals/{file_name(gid)}.html") for gid in journal.goals]
    plan += [(("tag", tag), f"tags/{file_name(tag)}.html") for tag in journal.tags()]
    if review is not None:
        plan.append((("since", None), "since.html"))
    return plan


def make_page(site: Site, spec: PageSpec, review: Any = None) -> Page:
    kind, key = spec
    if kind == "since":
        return since_page(site, review)
    page = _MAKERS[kind](site) if key is None else _MAKERS[kind](site, key)
    if kind == "dashboard" and review is not None:
        since = since_page(site, review)
        page.context["since"] = {"label": review.label,
                                 "count": sum(len(s["rows"]) for s in since.context["sections"])}
    return page


__all__ = ["Page", "PageSpec", "anchor_of", "make_page", "page_plan"]
