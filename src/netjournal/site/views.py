"""Views: the model and findings turned into plain page data (sorted, dated, linked) for dumb templates.

Every page lives at depth 0 (index.html, follow-ups.html) or 1 (people/x.html, …), so relative links are
made with a `base` of "" or "../". Note bodies are rendered once and reused; they are the only HTML handed
to templates as markup, and markdown-it has escaped them.
"""
from __future__ import annotations

import bisect
import copy
import datetime as dt
import hashlib
import heapq
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from ..analyze import Analysis
from ..checks.followups import follow_up_order, open_follow_ups
from ..checks.goals import goal_coverage
from ..checks.reciprocity import ledger
from ..checks.staleness import (
    ContactStatus,
    contact_status,
    contact_statuses,
    due_for_contact,
)
from ..findings import Finding, Severity
from ..model import (
    FollowUp,
    Goal,
    Interaction,
    Journal,
    Person,
    people_of_edits,
    slugify,
)
from ..records import EXCHANGES
from ..values import days_after, days_text, format_duration
from .markdown import BodyHtml, fill, prerender, safe_url

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
# A dashboard list shows the most pressing rows and links to its full page (follow-ups, people): a journal
# of years can have thousands overdue, and a page of thousands answers no "what now?" (and took 1 s to render)
DASHBOARD_ROWS = 20
# The follow-ups page lists this many done follow-ups, the newest: in a journal of years most are done (1,911
# of 2,771 in a 5,000-interaction corpus), and all of them tripled the page (0.4 MB to 1.26 MB)
DONE_ROWS = 100
RECIPROCITY_CODES = ("reciprocity-imbalance", "cold-ask", "unreturned-favour", "narrow-topics")
_SAFE_NAME = re.compile(r"^[\w][\w.-]{0,80}$")
_RESERVED = {"index", "assets"}


def file_name(key: str) -> str:
    """A safe, stable file name for an id or tag: itself when plain, else a slug plus a short hash."""
    if _SAFE_NAME.match(key) and key.casefold() not in _RESERVED and not key.endswith("."):
        return key
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    slug = slugify(key)[:60] or "x"
    return f"{slug}-{digest}"


_NOT_ANCHOR = re.compile(r"[^A-Za-z0-9_-]+")


def anchor_of(interaction_id: str) -> str:
    """A stable HTML id for an interaction: its readable stem plus a short hash that keeps it unique."""
    stem = _NOT_ANCHOR.sub("-", interaction_id.rsplit("/", 1)[-1]).strip("-")[:60].lower() or "note"
    return f"i-{stem}-{hashlib.sha1(interaction_id.encode('utf-8')).hexdigest()[:6]}"


@dataclass(frozen=True)
class Page:
    path: str  # relative to the output folder, posix
    template: str
    context: dict[str, Any]

    @property
    def base(self) -> str:
        return "../" * self.path.count("/")


#: A year with more interactions than this gets a page per month (and the year page lists the months).
LARGE_YEAR = 400


def interaction_periods(journal: Journal) -> dict[str, str]:
    """Interaction id -> the page it lives on: "2026", or "2026-11" when its year is large."""
    periods = journal.derived.get("periods")
    if periods is None:
        counts = Counter(i.date.year for i in journal.interactions)
        periods = journal.derived["periods"] = {i.id: period_of(i.date, counts[i.date.year])
                                                for i in journal.interactions}
    return periods


def period_of(date: dt.date, year_size: int) -> str:
    """The page of an interaction of DATE whose year has YEAR_SIZE interactions."""
    return f"{date.year}-{date.month:02d}" if year_size > LARGE_YEAR else str(date.year)


class _MadeOnUse(dict):
    """A mapping over the keys of KEYS whose values are made by MAKE(key) when first looked up: a build
    that renders a few pages asks for a few of 100,000 interactions' anchors and links."""

    def __init__(self, keys: Mapping[str, object], make: Callable[[str], str]) -> None:
        super().__init__()
        self._keys, self._make = keys, make

    def __missing__(self, key: str) -> str:
        if key not in self._keys:
            raise KeyError(key)
        value = self[key] = self._make(key)
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self._keys else default

    def over(self, keys: Mapping[str, object], make: Callable[[str], str], dropped: set[str]) -> _MadeOnUse:
        """One over KEYS made by MAKE, holding the values this one made but those of DROPPED."""
        made = _MadeOnUse(keys, make)
        made.update(self)
        for key in dropped:
            made.pop(key, None)
        return made


class Urls:
    """Where each thing's page is, relative to the site root; `href(base, …)` makes a relative link."""

    def __init__(self, journal: Journal, anchors: dict[str, str] | None = None, opaque: bool = False) -> None:
        self.period = interaction_periods(journal)
        self.opaque = opaque
        if opaque:  # a shared site: anchors made from file names could name a hidden person
            self.anchor: Mapping[str, str] = {i.id: f"i{n}" for n, i in enumerate(journal.interactions, 1)}
        else:  # ANCHORS, if given, is a memo kept between builds
            memo = anchors if anchors is not None else {}
            self.anchor = _MadeOnUse(self.period, lambda iid: memo.get(iid) or memo.setdefault(iid, anchor_of(iid)))
        self.person = {pid: f"people/{quote(file_name(pid))}.html" for pid in journal.people}
        self.goal = {gid: f"goals/{quote(file_name(gid))}.html" for gid in journal.goals}
        tags = sorted({t for p in journal.people.values() for t in p.tags})
        self.tag_file = {tag: file_name(tag) for tag in tags}
        self.tag = {tag: f"tags/{quote(name)}.html" for tag, name in self.tag_file.items()}
        self.interaction: Mapping[str, str] = _MadeOnUse(self.period, self._interaction_url)

    def _interaction_url(self, iid: str) -> str:
        return f"interactions/{self.period[iid]}.html#{self.anchor[iid]}"

    def with_periods(self, journal: Journal, dropped: set[str]) -> Urls:
        """These URLs for JOURNAL, which has the same people and goals as this one's but interactions
        added or DROPPED (ids), each other one on the page it was on: the URLs made so far are shared, but
        those dropped. An owner's only: a shared site's anchors number every interaction in order."""
        assert not self.opaque, "a shared site's anchors are numbered: make its URLs anew"
        urls = copy.copy(self)
        urls.period = interaction_periods(journal)
        urls.anchor = self.anchor.over(urls.period, self.anchor._make, dropped)  # type: ignore[attr-defined]
        urls.interaction = self.interaction.over(urls.period, urls._interaction_url,  # type: ignore[attr-defined]
                                                 dropped)
        return urls


@dataclass
class SiteData:
    """What every page view needs, computed once per build."""

    analysis: Analysis
    statuses: dict[str, ContactStatus]
    urls: Urls
    # a note -> the HTML with holes for wikilinks the note cache made of its body (its derive step,
    # prerender_note), if it holds that body
    prerendered: Callable[[Any], BodyHtml | None] | None = None
    bodies: dict[str, BodyHtml] = field(default_factory=dict)  # body text -> its HTML, for the rest
    open_follow_ups: list[FollowUp] = field(default_factory=list)
    follow_ups_by_person: dict[str, list[FollowUp]] = field(default_factory=dict)
    people_by_tag: dict[str, list[Person]] = field(default_factory=dict)
    comments_on: dict[tuple[str, str], list] = field(default_factory=dict)  # (kind, id) -> comments
    findings_by_person: dict[str, list[Finding]] = field(default_factory=dict)
    periods: dict[str, list[Interaction]] | None = None  # see _periods
    full_rows: dict[str, dict] = field(default_factory=dict)  # see full_interaction_row
    # anchor -> is that interaction's HTML made already (by another page, in another process)? see
    # full_interaction_row; only where the templates show such rows through interaction_html alone
    html_made: Callable[[str], bool] | None = None
    made_titles: dict[str, str] = field(default_factory=dict)  # see interaction_title
    # rows of the summary pages made once for each person and follow-up; serve's rebuild after an
    # interaction edit makes again only those it touches (`after_interaction_edits`)
    people_rows: dict[str, dict] = field(default_factory=dict)  # person id -> people index row
    follow_up_rows: dict[int, tuple[FollowUp, dict]] = field(default_factory=dict)  # id(item) -> (item, row)
    # (person id, base) -> person_link's dict, made once: a person is linked from every row of theirs, and
    # one dict shared by a page's rows is also pickled once per task for a helper. The edit methods below
    # keep it: none changes a person's name, page or privacy (after_person_edit applies only then).
    person_links: dict[tuple[str, str], dict] = field(default_factory=dict)
    heatmap: dict | None = None  # the dashboard's year of activity, made on first use
    heatmap_counts: Counter[dt.date] | None = None  # what it was made of: interactions a day, HEATMAP_DAYS long

    @property
    def journal(self) -> Journal:
        return self.analysis.journal

    @property
    def for_owner(self) -> bool:
        return self.analysis.for_owner

    def source(self, text: str) -> str:
        """A note's path for the owner; nothing for a shared site (file names can name hidden people)."""
        return text if self.for_owner else ""

    @property
    def today(self) -> dt.date:
        return self.analysis.today

    def body(self, note: Person | Interaction | Any, base: str = "../") -> Markup:
        """A note's body as HTML for a page whose links to the site root start with BASE."""
        prerendered = self.prerendered(note) if self.prerendered is not None else None
        if prerendered is None:  # a shared site's body without its private parts, a note no cache holds
            prerendered = self.bodies.get(note.body)
            if prerendered is None:
                prerendered = self.bodies[note.body] = prerender(note.body)
        if not prerendered.links:
            return Markup(prerendered.html)
        hrefs = {}
        for target, found in self.journal.links.get(note.path, {}).items():
            table = {"person": self.urls.person, "goal": self.urls.goal,
                     "interaction": self.urls.interaction}[found.kind]
            if found.id in table:
                hrefs[target] = base + table[found.id]
        return Markup(fill(prerendered, hrefs))

    def with_bodies_replaced(self, analysis: Analysis, edited: list[Person | Interaction | Goal]) -> SiteData:
        """This data for ANALYSIS, whose journal is this one's `with_bodies_replaced(EDITED)`: what holds
        those records is made again (interaction rows, which show their bodies, included); all else is
        shared."""
        journal = analysis.journal
        by_path = {i.path: i for i in edited}
        ids = {i.id for i in edited if isinstance(i, Interaction)}
        periods = self._periods_with(by_path)
        for key in ids:  # a memo, shared: this data loses the old rows too, which only means making them again
            self.full_rows.pop(key, None)
        people_by_tag = dict(self.people_by_tag)
        for record in edited:
            if isinstance(record, Person) and journal.people.get(record.id) is record:
                for tag in record.tags:
                    people_by_tag[tag] = [by_path.get(p.path, p) for p in people_by_tag[tag]]
        return replace(self, analysis=analysis, periods=periods, people_by_tag=people_by_tag)

    def _periods_with(self, by_path: dict[str, Any], urls: Urls | None = None, gone: Iterable[Interaction] = ()
                      ) -> dict[str, list[Interaction]] | None:
        """The periods' lists with the interactions of BY_PATH (path -> new record, None where the note is
        gone; other records are passed over) in place of the records of their paths, on the pages URLS
        (default: these) puts them, and without GONE (old records); the rest shared. Every other
        interaction is on the page it was on."""
        if self.periods is None:
            return None
        urls = urls or self.urls
        periods = dict(self.periods)
        new = [i for i in by_path.values() if isinstance(i, Interaction) and i.id in urls.period]
        pages = {urls.period[i.id] for i in new} | {self.urls.period[i.id] for i in gone}
        pages |= {self.urls.period[i.id] for i in new if i.id in self.urls.period}
        for period in pages:
            # sorted again: a record may have a new date on the same page (sorting sorted input is cheap)
            kept = [by_path.get(i.path, i) for i in periods.get(period, ())]
            kept += [i for i in new if urls.period[i.id] == period and i.id not in self.urls.period]  # added
            periods[period] = sorted((i for i in kept if i is not None), key=lambda i: (i.date, i.path))
        return periods

    def after_interaction_edits(self, analysis: Analysis,
                                edits: list[tuple[Interaction | None, Interaction | None]]) -> SiteData:
        """This data for ANALYSIS, this one's `analyze.after_interaction_edits`: EDITS are (old, new)
        versions of interactions (OLD None: the note is new; NEW None: it is gone), each keeping its id,
        and every other interaction keeping its page (`share_periods`). People, goals, comments and the
        periods are as they were, so only what reads those interactions, their follow-ups or their
        people's histories is made again (statuses, rows, indexes; the heatmap if one came, went or
        moved; the interactions' URLs if one came or went); the rest is shared. At 100,000 notes the
        data and the summary pages' contexts take 0.04 s this way, 0.5 s made anew."""
        journal, old_journal = analysis.journal, self.journal
        ids = {(old or new).id for old, new in edits}  # type: ignore[union-attr]
        touched = people_of_edits(old_journal, journal, edits)
        statuses = dict(self.statuses)
        for pid in touched:
            statuses[pid] = contact_status(journal, analysis.config, analysis.today, journal.people[pid])
        gone = [old for old, new in edits if new is None and old is not None]
        urls = self.urls
        if any(old is None or new is None for old, new in edits):
            urls = self.urls.with_periods(journal, {old.id for old in gone})
        periods = self._periods_with({(old or new).path: new for old, new in edits},  # type: ignore[union-attr]
                                     urls, gone)
        # memos, shared: this data loses the old rows too, which only means making them again
        for key in ids:
            self.full_rows.pop(key, None)
            self.made_titles.pop(key, None)
        for pid in touched:
            self.people_rows.pop(pid, None)
        open_items = [f for f in self.open_follow_ups if f.interaction not in ids]
        by_person = dict(self.follow_ups_by_person)
        for pid in touched:
            by_person[pid] = [f for f in by_person.get(pid, ()) if f.interaction not in ids]
        for old, _ in edits:
            for item in old_journal.follow_ups_of(old) if old is not None else ():
                self.follow_up_rows.pop(id(item), None)
        for _, new in edits:
            for item in journal.follow_ups_of(new) if new is not None else ():  # in order: insort keeps it
                if not item.done:
                    bisect.insort(open_items, item, key=follow_up_order)
                    for pid in item.people:
                        bisect.insort(by_person[pid], item, key=follow_up_order)
        for pid in touched:
            if not by_person[pid]:
                del by_person[pid]
        same_places = all(old is not None and new is not None and old.date == new.date for old, new in edits)
        grid, grid_counts = self.heatmap, self.heatmap_counts
        if not same_places:
            grid, grid_counts = None, None
            if self.heatmap_counts is not None and analysis.today == self.today:
                # the old counts, less the old dates and plus the new: 0.02 s less than counting at 100,000 notes
                counts = self.heatmap_counts.copy()
                first = days_after(self.today, -HEATMAP_DAYS)
                for old, new in edits:
                    if old is not None and first <= old.date <= self.today:
                        counts[old.date] -= 1
                    if new is not None and first <= new.date <= self.today:
                        counts[new.date] += 1
                grid_counts = +counts  # unary +: without the days left with none
                grid = heatmap(grid_counts, self.today)
        data = replace(self, analysis=analysis, statuses=statuses, urls=urls, periods=periods,
                       open_follow_ups=open_items, follow_ups_by_person=by_person,
                       heatmap=grid, heatmap_counts=grid_counts)
        _index_findings(data)
        return data

    def after_person_edit(self, analysis: Analysis, person: Person) -> SiteData:
        """This data for ANALYSIS, this one's `analyze.after_person_edit` of PERSON (the new record):
        their contact status, people index row, tags' lists and the findings index made again; the rest
        shared, since no one else's page shows what the edit may change."""
        statuses = dict(self.statuses)
        statuses[person.id] = contact_status(analysis.journal, analysis.config, analysis.today, person)
        self.people_rows.pop(person.id, None)  # a memo, shared: this data loses the old row too
        people_by_tag = dict(self.people_by_tag)
        for tag in person.tags:
            people_by_tag[tag] = [person if p.id == person.id else p for p in people_by_tag[tag]]
        data = replace(self, analysis=analysis, statuses=statuses, people_by_tag=people_by_tag)
        _index_findings(data)
        return data

    def person_link(self, pid: str, base: str) -> dict:
        """A link to PID's page from a page whose links to the site root start with BASE: one dict for
        every row that shows it (never changed by those who read it)."""
        link = self.person_links.get((pid, base))
        if link is None:
            person = self.journal.people[pid]
            link = self.person_links[pid, base] = {"name": person.name, "href": base + self.urls.person[pid],
                                                   "private": person.private}
        return link

    def interaction_title(self, interaction: Interaction) -> str:
        if interaction.title:
            return interaction.title
        title = self.made_titles.get(interaction.id)  # an interaction's row is made for each page showing it
        if title is None:
            names = ", ".join(self.journal.people[p].name for p in self.journal.participants[interaction.id])
            kind = interaction.kind.replace("-", " ").capitalize() if interaction.kind else "Contact"
            title = self.made_titles[interaction.id] = f"{kind} with {names}"
        return title


def site_data(analysis: Analysis, prerendered: Callable[[Any], BodyHtml | None] | None = None,
              anchors: dict[str, str] | None = None) -> SiteData:
    """Page data shared by all views. PRERENDERED(note) is the note cache's HTML of a note's body (see
    SiteData); ANCHORS is a memo a long-lived builder passes back in."""
    journal = analysis.journal
    data = SiteData(analysis, contact_statuses(journal, analysis.config, analysis.today),
                    Urls(journal, anchors, opaque=not analysis.for_owner), prerendered)
    data.open_follow_ups = open_follow_ups(journal)
    for person in sorted(journal.people.values(), key=lambda p: (p.name.casefold(), p.id)):
        for tag in person.tags:
            data.people_by_tag.setdefault(tag, []).append(person)
    for comment, target in journal.comments:
        data.comments_on.setdefault((target.kind, target.id), []).append(comment)
    for item in data.open_follow_ups:
        for pid in item.people:
            data.follow_ups_by_person.setdefault(pid, []).append(item)
    _index_findings(data)
    return data


def _index_findings(data: SiteData) -> None:
    """Each person's findings, indexed once: each person page shows its own."""
    data.findings_by_person = {}
    for finding in data.analysis.findings:
        if finding.person is not None:
            data.findings_by_person.setdefault(finding.person, []).append(finding)


def _comment_rows(data: SiteData, comments: list, base: str, with_target: bool = False) -> list[dict]:
    rows = []
    for comment in comments:
        row = {"author": comment.author, "date": comment.date.isoformat(), "body": data.body(comment, base),
               "target": None}
        if with_target:
            target = next(t for c, t in data.journal.comments if c is comment)
            if target.kind == "person":
                row["target"] = data.person_link(target.id, base)
            elif target.kind == "goal":
                row["target"] = {"name": data.journal.goals[target.id].title, "href": base + data.urls.goal[target.id]}
            else:
                interaction = next(i for i in data.journal.interactions if i.id == target.id)
                row["target"] = {"name": data.interaction_title(interaction),
                                 "href": base + data.urls.interaction[target.id]}
        rows.append(row)
    return rows


# --- shared pieces -------------------------------------------------------------------------------------

def _finding_row(finding: Finding, data: SiteData, base: str) -> dict:
    person = data.person_link(finding.person, base) if finding.person in data.journal.people else None
    message = finding.message
    if person and message.startswith(person["name"] + ": "):  # the row already links the name
        message = message[len(person["name"]) + 2:]
    where = str(finding.source) if finding.source else "netjournal.toml"
    return {"where": data.source(where), "message": message,
            "code": finding.code, "severity": finding.severity.label, "person": person}


def _follow_up_state(item: FollowUp, data: SiteData) -> tuple[str, int | None]:
    """Done, overdue, soon, later or open (no due date), and the days until it is due."""
    if item.done:
        return "done", None
    if item.due is None:
        return "open", None
    days = (item.due - data.today).days
    return ("overdue" if days < 0 else ("soon" if days <= data.analysis.config.due_soon else "later")), days


def _follow_up_row(item: FollowUp, data: SiteData, base: str) -> dict:
    state, days = _follow_up_state(item, data)
    return {"what": item.what, "due": item.due.isoformat() if item.due else "", "days": days, "state": state,
            "promised_on": item.promised_on.isoformat(),
            "overdue_days": -days if days is not None and days < 0 else 0,
            "people": [data.person_link(p, base) for p in item.people],
            "note_href": base + data.urls.interaction[item.interaction], "source": data.source(str(item.source)),
            "done": item.done, "private": item.private}


def _top_follow_up_row(item: FollowUp, data: SiteData) -> dict:
    """_follow_up_row at the site's top level (the follow-ups page, the dashboard), made once per item."""
    made = data.follow_up_rows.get(id(item))
    if made is None or made[0] is not item:
        made = data.follow_up_rows[id(item)] = (item, _follow_up_row(item, data, ""))
    return made[1]


def _interaction_row(interaction: Interaction, data: SiteData, base: str, with_body: bool = False) -> dict:
    row = {"id": data.urls.anchor[interaction.id], "date": interaction.date.isoformat(), "kind": interaction.kind,
           "title": data.interaction_title(interaction),
           "people": [data.person_link(p, base) for p in data.journal.participants[interaction.id]],
           "href": base + data.urls.interaction[interaction.id], "topics": list(interaction.topics),
           **_exchange_rows(data, interaction, base), "private": interaction.private,
           "path": data.source(interaction.path),
           "follow_ups": [{"what": f.what, "due": f.due.isoformat() if f.due else "", "done": f.done}
                          for f in interaction.follow_ups],
           "comments": _comment_rows(data, data.comments_on.get(("interaction", interaction.id), []), base)}
    if with_body:
        row["body"] = data.body(interaction)
    return row


def _exchange_rows(data: SiteData, interaction: Interaction, base: str) -> dict[str, list[dict]]:
    """INTERACTION's gave, asked and received: each entry's text and the people it names (none: it is
    for everyone there)."""
    named = data.journal.named_by(interaction) if interaction.aims else {}
    return {kind: [{"what": what, "people": [data.person_link(p, base) for p in named.get((kind, index), ())]}
                   for index, what in enumerate(getattr(interaction, kind))] for kind in EXCHANGES}


def full_interaction_row(data: SiteData, interaction: Interaction) -> dict:
    """An interaction in full, as its period page and each participant's page show it (both one level
    deep); made once per build, since one interaction appears on several pages. Once its HTML is made
    (`SiteData.html_made`), the row is its anchor alone: `interaction_html` needs nothing else then, and
    the building process neither makes nor sends the full row, body HTML and all, again."""
    row = data.full_rows.get(interaction.id)
    if row is None:
        anchor = data.urls.anchor[interaction.id]
        if data.html_made is not None and data.html_made(anchor):
            row = data.full_rows[interaction.id] = {"id": anchor}
        else:
            row = data.full_rows[interaction.id] = _interaction_row(interaction, data, "../", with_body=True)
    return row


def _status_fields(status: ContactStatus) -> dict:
    return {"last_contact": status.last_contact.isoformat() if status.last_contact else "",
            "next_due": status.next_due.isoformat() if status.next_due else "",
            "overdue_days": status.overdue_days, "stale": status.stale,
            "cadence": format_duration(status.cadence), "cadence_source": status.cadence_source,
            "never": status.never_contacted, "paused": status.paused, "snoozed": status.snoozed}


def _due_fields(status: ContactStatus, data: SiteData) -> dict:
    """Whether the person is due for contact within the `[follow_ups] soon` window (the definition of
    `due_for_contact`), and in how many days (negative: overdue)."""
    return {"due_soon": status.due_within(data.today, data.analysis.config.due_soon),
            "due_in": (status.next_due - data.today).days if status.next_due is not None else None}


HEATMAP_DAYS = 364 + 6  # the heatmap's first column starts on the Monday on or before today less 364 days


def heatmap(counts: Counter[dt.date], today: dt.date) -> dict:
    """A year of days as a GitHub-style grid: 53 weekly columns, Monday on top, 5 shades, from COUNTS
    (interactions a day; those of the HEATMAP_DAYS up to TODAY are enough)."""
    start = days_after(today, -364)
    start = days_after(start, -start.weekday())  # no earlier than today less HEATMAP_DAYS
    cells, months = [], []
    size, gap, left, top = 11, 2, 28, 16
    day = start
    busiest = max((counts[d] for d in counts if d >= start), default=0)
    while day <= today:
        week = (day - start).days // 7
        n = counts.get(day, 0)
        level = 0 if n == 0 else min(4, 1 + (3 * (n - 1)) // max(1, busiest))
        cells.append({"x": left + week * (size + gap), "y": top + day.weekday() * (size + gap), "level": level,
                      "title": f"{day.isoformat()}: {n} interaction{'s' if n != 1 else ''}"})
        if day.day <= 7 and day.weekday() == 0:
            months.append({"x": left + week * (size + gap), "label": MONTHS[day.month - 1][:3]})
        if day == dt.date.max:  # the calendar's last day
            break
        day += dt.timedelta(days=1)
    total = sum(n for d, n in counts.items() if d >= days_after(today, -364))
    weeks = (today - start).days // 7 + 1
    return {"cells": cells, "months": months, "total": total, "size": size,
            "width": left + weeks * (size + gap), "height": top + 7 * (size + gap),
            "days": [{"y": top + i * (size + gap) + size - 1, "label": label}
                     for i, label in ((0, "Mon"), (2, "Wed"), (4, "Fri"))]}


def sparkline(dates: Iterable[dt.date], today: dt.date, months: int = 24) -> dict:
    """Contacts per month over the last MONTHS months as an SVG polyline, with a text version."""
    counts = Counter((d.year, d.month) for d in dates if d <= today)
    keys = []
    year, month = today.year, today.month
    for _ in range(months):
        keys.append((year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    keys.reverse()
    values = [counts.get(k, 0) for k in keys]
    width, height, pad = 240, 40, 3
    peak = max(values) or 1
    step = (width - 2 * pad) / (months - 1)
    points = " ".join(f"{pad + i * step:.1f},{height - pad - (v / peak) * (height - 2 * pad):.1f}"
                      for i, v in enumerate(values))
    first, last = (f"{y}-{m:02d}" for y, m in (keys[0], keys[-1]))
    busy = [f"{v} in {y}-{m:02d}" for (y, m), v in zip(keys, values) if v]
    total = sum(values)
    caption = (f"Contacts logged each month, {first} to {last}: "
               + (f"{total} in all; {', '.join(busy)}." if busy else "none."))
    return {"points": points, "width": width, "height": height, "total": total, "caption": caption,
            "dots": [{"cx": f"{pad + i * step:.1f}", "cy": f"{height - pad - (v / peak) * (height - 2 * pad):.1f}"}
                     for i, v in enumerate(values) if v]}


# --- pages ---------------------------------------------------------------------------------------------

def _first_of(items: list, row: Callable[[Any], dict]) -> dict:
    """A dashboard list: the rows of the first DASHBOARD_ROWS ITEMS, and how many there are in all."""
    return {"rows": [row(item) for item in items[:DASHBOARD_ROWS]], "total": len(items)}


def _due_key(item: FollowUp) -> tuple[bool, dt.date]:
    return follow_up_order(item)[:2]


def _remember_heatmap(data: SiteData) -> dict:
    # only the last 53 weeks show: those interactions are found by bisection (by date), not by a scan
    interactions = data.journal.interactions
    since = bisect.bisect_left(interactions, days_after(data.today, -HEATMAP_DAYS), key=_date_of)
    data.heatmap_counts = Counter(i.date for i in interactions[since:] if i.date <= data.today)
    data.heatmap = heatmap(data.heatmap_counts, data.today)
    return data.heatmap


def _date_of(interaction: Interaction) -> dt.date:
    return interaction.date


def dashboard(data: SiteData) -> Page:
    base = ""
    journal, today = data.journal, data.today
    findings = data.analysis.findings
    # open follow-ups are in due order: the overdue ones first (due before today), then those due soon
    soon = days_after(today, data.analysis.config.due_soon)
    overdue_end = bisect.bisect_left(data.open_follow_ups, (False, today), key=_due_key)
    soon_end = bisect.bisect_right(data.open_follow_ups, (False, soon), key=_due_key)
    due_people = due_for_contact(data.statuses.values(), today, data.analysis.config.due_soon)
    goals = []
    for goal in journal.goals.values():
        if goal.status != "active":
            continue
        coverage = goal_coverage(journal, data.analysis.config, today, goal, data.statuses)
        goals.append({"title": goal.title, "href": data.urls.goal[goal.id], "label": coverage.label,
                      "warm": len(coverage.warm), "total": coverage.total,
                      "target": goal.target.isoformat() if goal.target else "",
                      "cold": [data.person_link(p, base) for p in coverage.cold], "private": goal.private})
    recent = list(islice((i for i in reversed(journal.interactions) if i.date <= today), 12))
    context = {
        "title": data.analysis.config.title, "owner": data.analysis.config.owner,
        "errors": [_finding_row(f, data, base) for f in findings if f.severity == Severity.ERROR],
        "overdue": _first_of(data.open_follow_ups[:overdue_end], lambda f: _top_follow_up_row(f, data)),
        "soon": _first_of(data.open_follow_ups[overdue_end:soon_end], lambda f: _top_follow_up_row(f, data)),
        "due_people": _first_of(due_people, lambda s: {**data.person_link(s.person, base), **_status_fields(s),
                                                        **_due_fields(s, data)}),
        "due_window": days_text(data.analysis.config.due_soon),
        "reciprocity": [_finding_row(f, data, base) for f in findings if f.code in RECIPROCITY_CODES],
        "goals": goals,
        "recent": [_interaction_row(i, data, base) for i in recent],
        "heatmap": data.heatmap or _remember_heatmap(data),
        "comments": _comment_rows(data, [c for c, _ in reversed(journal.comments)][:10], base, with_target=True),
        "since": None,
        "counts": {"people": len(journal.people), "interactions": len(journal.interactions),
                   "open": len(data.open_follow_ups), "notes": data.analysis.note_count},
    }
    return Page("index.html", "index.html", context)


def people_index(data: SiteData) -> Page:
    base = "../"
    rows = []
    for pid, person in sorted(data.journal.people.items(), key=lambda kv: (kv[1].name.casefold(), kv[0])):
        row = data.people_rows.get(pid)
        if row is not None:
            rows.append(row)
            continue
        status = data.statuses[pid]
        history = data.journal.interactions_with(pid)
        totals = ledger(data.journal, pid, history, until=data.today)
        rows.append(data.people_rows.setdefault(pid, {
            "name": person.name, "href": data.urls.person[pid].split("/", 1)[1], "org": person.org,
            "role": person.role, "private": person.private,
            "tags": [{"name": t, "href": base + data.urls.tag[t]} for t in person.tags],
            "tag_list": " ".join(person.tags), **_status_fields(status), **_due_fields(status, data),
            "gave": totals.gave, "asked": totals.asked, "received": totals.received, "balance": totals.balance,
            "search": " ".join(filter(None, [person.name, *person.aliases, person.org, person.role,
                                              *person.tags])).casefold(),
            "sort_due": status.next_due.isoformat() if status.next_due else "9999-12-31",
        }))
    tags = [{"name": t, "href": base + u, "count": len(data.people_by_tag.get(t, []))}
            for t, u in data.urls.tag.items()]
    return Page("people/index.html", "people.html", {"title": "People", "people": rows, "tags": tags})


def person_page(data: SiteData, pid: str) -> Page:
    base = "../"
    journal, today = data.journal, data.today
    person = journal.people[pid]
    history = journal.interactions_with(pid)
    past = [i for i in history if i.date <= today]
    totals = ledger(journal, pid, past)
    entries = []
    for interaction in past:
        for kind in EXCHANGES:
            for what in journal.exchanges_of(interaction, kind, pid):
                entries.append({"date": interaction.date.isoformat(), "kind": kind, "what": what,
                                "href": base + data.urls.interaction[interaction.id]})
    entries.reverse()
    follow = [_follow_up_row(f, data, base) for f in data.follow_ups_by_person.get(pid, [])]
    links = []
    for label, url in person.links:
        links.append({"label": label, "href": safe_url(url)})
    goals = [{"title": g.title, "href": base + data.urls.goal[g.id], "status": g.status}
             for g in journal.goals.values() if pid in journal.stakeholders.get(g.id, ())]
    notes = [_finding_row(f, data, base) for f in data.findings_by_person.get(pid, [])
             if f.severity != Severity.ERROR]
    context = {
        "title": person.name, "person": {
            "name": person.name, "aliases": list(person.aliases), "org": person.org, "role": person.role,
            "email": list(person.email), "phone": list(person.phone), "location": person.location,
            "links": links, "private": person.private, "met": person.met.isoformat() if person.met else "",
            "tags": [{"name": t, "href": base + data.urls.tag[t]} for t in person.tags],
            "snooze_until": person.snooze_until.isoformat() if person.snooze_until else "",
            "path": data.source(person.path)},
        "status": _status_fields(data.statuses[pid]),
        "body": data.body(person),
        "timeline": [full_interaction_row(data, i) for i in reversed(history)],
        "ledger": {"gave": totals.gave, "asked": totals.asked, "received": totals.received,
                   "balance": totals.balance, "entries": entries},
        "follow_ups": follow,
        "introduced_by": data.person_link(journal.introducer[pid], base) if pid in journal.introducer else None,
        "introduced": [data.person_link(p, base) for p in journal.introduced_by(pid)],
        "goals": goals, "findings": notes,
        "comments": _comment_rows(data, data.comments_on.get(("person", pid), []), base),
        "sparkline": sparkline((i.date for i in past), today),
    }
    return Page(f"people/{file_name(pid)}.html", "person.html", context)


def interactions_index(data: SiteData) -> Page:
    by_year: Counter[int] = Counter()
    for period, interactions in _periods(data).items():
        by_year[int(period[:4])] += len(interactions)
    years = [{"year": y, "count": n, "href": f"{y}.html"} for y, n in sorted(by_year.items(), reverse=True)]
    recent = [_interaction_row(i, data, "../") for i in reversed(data.journal.interactions[-30:])]
    return Page("interactions/index.html", "interactions.html",
                {"title": "Interactions", "years": years, "recent": recent})


def _periods(data: SiteData) -> dict[str, list[Interaction]]:
    """Period ("2026" or "2026-11") -> its interactions, oldest first; computed once per SiteData."""
    if data.periods is None:
        data.periods = {}
        for interaction in data.journal.interactions:
            data.periods.setdefault(data.urls.period[interaction.id], []).append(interaction)
    return data.periods


def _years_nav(data: SiteData, year: int) -> list[dict]:
    all_years = sorted({int(p[:4]) for p in _periods(data)}, reverse=True)
    return [{"year": y, "href": f"{y}.html", "current": y == year} for y in all_years]


def period_page(data: SiteData, period: str) -> Page:
    """A period (a year, or a month of a large year) with every interaction in full, newest first."""
    periods = _periods(data)
    year = int(period[:4])
    months: list[dict] = []
    month = None
    for interaction in reversed(periods[period]):
        date = interaction.date
        if month != (date.year, date.month):
            month = (date.year, date.month)
            months.append({"id": f"{date.year}-{date.month:02d}", "name": f"{MONTHS[date.month - 1]} {date.year}",
                           "interactions": []})
        months[-1]["interactions"].append(full_interaction_row(data, interaction))
    title = f"Interactions in {months[0]['name']}" if len(period) > 4 else f"Interactions in {year}"
    siblings = sorted((p for p in periods if p.startswith(f"{year}-")), reverse=True) if len(period) > 4 else []
    return Page(f"interactions/{period}.html", "year.html", {
        "title": title, "year": year, "months": months, "years": _years_nav(data, year),
        "month_nav": [{"label": MONTHS[int(p[5:]) - 1][:3], "href": f"{p}.html", "current": p == period}
                      for p in siblings]})


def year_index_page(data: SiteData, year: int) -> Page:
    """A large year's page: the list of its month pages."""
    periods = _periods(data)
    months = [{"name": f"{MONTHS[int(p[5:]) - 1]} {year}", "href": f"{p}.html", "count": len(periods[p])}
              for p in sorted((p for p in periods if p.startswith(f"{year}-")), reverse=True)]
    return Page(f"interactions/{year}.html", "year_index.html", {
        "title": f"Interactions in {year}", "year": year, "months": months, "years": _years_nav(data, year)})


def follow_ups_page(data: SiteData) -> Page:
    rows = [_top_follow_up_row(f, data) for f in data.open_follow_ups]
    groups = [(state, label, [r for r in rows if r["state"] == state]) for state, label in
              (("overdue", "Overdue"), ("soon", "Due soon"), ("later", "Later"), ("open", "No due date"))]
    done = [f for f in data.journal.follow_ups if f.done]
    newest = heapq.nlargest(DONE_ROWS, done, key=_done_order)
    return Page("follow-ups.html", "follow_ups.html",
                {"title": "Follow-ups", "groups": [{"state": s, "label": l, "rows": r} for s, l, r in groups],
                 "done": len(done), "done_rows": [_top_follow_up_row(f, data) for f in newest], "open": len(rows)})


def _done_order(item: FollowUp) -> tuple:
    """Done follow-ups are listed newest first: by due date, or the day they were promised when they
    had none (no note says when one was done); then by note and line."""
    return item.due or item.promised_on, item.promised_on, item.source.path, item.source.line or 0


def _goal_summary(data: SiteData, gid: str) -> tuple[dict, Any]:
    goal = data.journal.goals[gid]
    coverage = goal_coverage(data.journal, data.analysis.config, data.today, goal, data.statuses)
    return {"title": goal.title, "href": data.urls.goal[gid].split("/", 1)[1], "status": goal.status,
            "target": goal.target.isoformat() if goal.target else "", "label": coverage.label,
            "warm": len(coverage.warm), "total": coverage.total, "private": goal.private}, coverage


def goals_index(data: SiteData) -> Page:
    rows = [_goal_summary(data, gid)[0] for gid in data.journal.goals]
    rows.sort(key=lambda r: (r["status"] != "active", r["title"].casefold()))
    return Page("goals/index.html", "goals.html", {"title": "Goals", "goals": rows})


def goal_page(data: SiteData, gid: str) -> Page:
    goal = data.journal.goals[gid]
    summary, coverage = _goal_summary(data, gid)
    stakeholders = [{**data.person_link(p, "../"), **_status_fields(data.statuses[p]),
                     "warm": p in coverage.warm} for p in data.journal.stakeholders.get(gid, ())]
    return Page(f"goals/{file_name(gid)}.html", "goal.html",
                {"title": goal.title, "goal": summary, "stakeholders": stakeholders,
                 "comments": _comment_rows(data, data.comments_on.get(("goal", gid), []), "../"),
                 "body": data.body(goal), "path": data.source(goal.path)})


def tags_index(data: SiteData) -> Page:
    rows = [{"name": tag, "href": data.urls.tag[tag].split("/", 1)[1], "count": len(data.people_by_tag[tag])}
            for tag in data.urls.tag_file]
    return Page("tags/index.html", "tags.html", {"title": "Tags", "tags": rows})


def tag_page(data: SiteData, tag: str) -> Page:
    entries = [{**data.person_link(p.id, "../"), "org": p.org, **_status_fields(data.statuses[p.id])}
               for p in data.people_by_tag.get(tag, [])]
    return Page(f"tags/{data.urls.tag_file[tag]}.html", "tag.html",
                {"title": f"Tag: {tag}", "tag": tag, "people": entries})


def since_page(data: SiteData, review) -> Page:
    """The notes added, changed or removed since the review's revision or date, as this audience sees them."""
    journal = data.journal
    by_path: dict[str, dict] = {}
    for pid, person in journal.people.items():
        by_path[person.path] = {"kind": "people", **data.person_link(pid, "")}
    for interaction in journal.interactions:
        by_path[interaction.path] = {"kind": "interactions", "name": f"{interaction.date} "
                                     f"{data.interaction_title(interaction)}",
                                     "href": data.urls.interaction[interaction.id], "private": interaction.private}
    for gid, goal in journal.goals.items():
        by_path[goal.path] = {"kind": "goals", "name": goal.title, "href": data.urls.goal[gid],
                              "private": goal.private}
    sections = {kind: [] for kind in ("people", "interactions", "goals")}
    for change in review.changes:
        item = by_path.get(change.path)
        if item is not None:
            sections[item["kind"]].append({**item, "status": change.status})
        elif change.status == "removed" and data.for_owner:  # a shared site names no file it cannot show
            kind = change.path.split("/", 1)[0]
            if kind in sections:
                sections[kind].append({"kind": kind, "name": change.path, "href": "", "private": False,
                                       "status": "removed"})
    labels = {"people": "People", "interactions": "Interactions", "goals": "Goals"}
    return Page("since.html", "since.html", {
        "title": f"Since {review.label}", "label": review.label,
        "sections": [{"id": k, "label": labels[k], "rows": v} for k, v in sections.items()]})


@dataclass(frozen=True)
class Selection:
    """The pages an edit can change, beyond the summary pages that are always remade."""

    people: frozenset[str] = frozenset()
    periods: frozenset[str] = frozenset()  # interaction pages: "2026", or "2026-11" for a large year
    goals: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()


#: One page to make: ("dashboard"|"people"|"follow-ups"|"interactions"|"goals"|"tags", None), ("person", id),
#: ("period", "2026" or "2026-11"), ("year", 2026), ("goal", id), ("tag", tag) or ("since", None). Plain
#: data, so a plan can be split between worker processes that each make and render their share.
PageSpec = tuple[str, Any]

SUMMARY_PAGES: tuple[PageSpec, ...] = (("dashboard", None), ("people", None), ("follow-ups", None),
                                       ("interactions", None), ("goals", None), ("tags", None))


def page_plan(data: SiteData, selection: Selection | None = None, review=None, summaries: bool = True
              ) -> list[PageSpec]:
    """Every page of the site in a stable order; with a selection, the summary pages (unless SUMMARIES is
    false) plus the selected ones."""
    pick = (lambda kind, key: True) if selection is None else \
        (lambda kind, key: key in getattr(selection, kind))
    periods = _periods(data)
    plan: list[PageSpec] = list(SUMMARY_PAGES) if summaries or selection is None else []
    plan += [("person", pid) for pid in sorted(data.journal.people) if pick("people", pid)]
    plan += [("period", period) for period in periods if pick("periods", period)]
    for year in sorted({int(p[:4]) for p in periods if len(p) > 4}, reverse=True):
        if selection is None or any(p.startswith(f"{year}-") for p in selection.periods):
            plan.append(("year", year))
    plan += [("goal", gid) for gid in data.journal.goals if pick("goals", gid)]
    plan += [("tag", tag) for tag in data.urls.tag_file if pick("tags", tag)]
    if review is not None:
        plan.append(("since", None))
    return plan


def page_weight(data: SiteData, spec: PageSpec) -> int:
    """About how many rows the page of SPEC shows: what making, sending and rendering it costs."""
    kind, key = spec
    if kind == "person":
        return 1 + len(data.journal.interactions_with(key))
    if kind == "period":
        return 1 + len(_periods(data)[key])
    if kind in _MAKERS:  # a summary page
        return 1 + len(data.journal.people) + len(data.open_follow_ups)
    return 1


_MAKERS = {"dashboard": dashboard, "people": people_index, "follow-ups": follow_ups_page,
           "interactions": interactions_index, "goals": goals_index, "tags": tags_index}
_KEYED_MAKERS = {"person": person_page, "period": period_page, "year": year_index_page, "goal": goal_page,
                 "tag": tag_page}


def make_page(data: SiteData, spec: PageSpec, review=None) -> Page:
    kind, key = spec
    if kind in _MAKERS:
        page = _MAKERS[kind](data)
        if kind == "dashboard" and review is not None:
            since = since_page(data, review)
            page.context["since"] = {"label": review.label,
                                     "count": sum(len(s["rows"]) for s in since.context["sections"])}
        return page
    if kind == "since":
        return since_page(data, review)
    return _KEYED_MAKERS[kind](data, key)


def all_pages(data: SiteData, selection: Selection | None = None, review=None) -> list[Page]:
    """Every page (or the selected ones) made at once: for the small sites of tests and serve's rebuilds."""
    return [make_page(data, spec, review) for spec in page_plan(data, selection, review)]
