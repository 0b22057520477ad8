"""What a build's pages are made from: the model, the settings, the day, where each page lives, and the
values derived from them (contact statuses, give-and-take, findings), each made once and kept in the
build engine's memo with what it read (derive.py).

Everything a page shows comes through a `Site`: its properties and the model's accessors report what is
read, so the engine knows when a page must be made again. Recipes (the `_` functions below) are
module-level so the memo can keep them between builds.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from ..career_history import FieldChange, History
from ..checks import (
    check_asks,
    check_goals,
    check_hidden_names,
    check_reciprocity,
    check_staleness,
    silence,
)
from ..checks.congratulations import (
    congratulation_finding,
    date_reason,
    important_date_finding,
    owed_congratulation,
    upcoming_dates,
)
from ..checks.duplicates import duplicate_finding, likely_duplicates
from ..checks.followups import check_follow_up_items, due_date, promise_for
from ..checks.goals import Coverage, goal_coverage
from ..checks.reciprocity import Ledger, ledger
from ..checks.staleness import ContactStatus, contact_status
from ..config import Audience, Config
from ..derive import Memo, eager
from ..findings import Finding, leading_errors, sort_findings
from ..model import FollowUp, Interaction, Journal, slugify
from ..occasions import Congratulation, ImportantDate, Occasion, important_dates
from ..ranking import Line, line_of, ordered, person_items, unowed_items
from ..resolved import follow_up_order
from ..values import days_text
from .markdown import BodyHtml, fill, prerender

#: A year with more interactions than this gets a page per month (and the year page lists the months).
LARGE_YEAR = 400
_SAFE_NAME = re.compile(r"^[\w][\w.-]{0,80}$")
_RESERVED = {"index", "assets"}
_NOT_ANCHOR = re.compile(r"[^A-Za-z0-9_-]+")


def file_name(key: str) -> str:
    """A safe, stable file name for an id or tag: itself when plain, else a slug plus a short hash."""
    if _SAFE_NAME.match(key) and key.casefold() not in _RESERVED and not key.endswith("."):
        return key
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    return f"{slugify(key)[:60] or 'x'}-{digest}"


@functools.lru_cache(maxsize=262144)
def anchor_of(interaction_id: str) -> str:
    """A stable HTML id for an interaction: its readable stem plus a short hash that keeps it unique."""
    stem = _NOT_ANCHOR.sub("-", interaction_id.rsplit("/", 1)[-1]).strip("-")[:60].lower() or "note"
    return f"i-{stem}-{hashlib.sha1(interaction_id.encode('utf-8')).hexdigest()[:6]}"


@functools.lru_cache(maxsize=65536)
def person_url(pid: str) -> str:
    return f"people/{quote(file_name(pid))}.html"


@functools.lru_cache(maxsize=65536)
def goal_url(gid: str) -> str:
    return f"goals/{quote(file_name(gid))}.html"


@functools.lru_cache(maxsize=65536)
def tag_url(tag: str) -> str:
    return f"tags/{quote(file_name(tag))}.html"


class Site:
    """One build's view of the journal (for one audience), as pages read it."""

    def __init__(self, journal: Journal, memo: Memo, config: Config, today: dt.date, audience: Audience,
                 stored_body: Callable[[Any], BodyHtml | None] | None = None,
                 note_findings: tuple[Finding, ...] = (), note_count: int = 0,
                 audience_key: bytes = b"", history: History | None = None) -> None:
        self.journal, self.memo, self.audience = journal, memo, audience
        self._history = history or {}  # the commits' changes of people's role and org, by note (career_history.py)
        self.audience_key = audience_key  # what an audience's opaque ids and calendar UIDs are keyed by
        self._config, self._today, self._note_count = config, today, note_count
        self._stored_body = stored_body
        self._note_findings = note_findings
        self._bodies: dict[str, BodyHtml] = {}
        self._links: dict[tuple[str, str, str, bool], dict] = {}  # see person_link
        journal.reads = memo.read
        if memo.context is None:
            memo.context = self

    @property
    def config(self) -> Config:
        self.memo.read(("config",))
        return self._config

    @property
    def today(self) -> dt.date:
        self.memo.read(("today",))
        return self._today

    @property
    def note_count(self) -> int:
        self.memo.read(("note count",))
        return self._note_count

    @property
    def for_owner(self) -> bool:
        return self.audience.is_owner

    def commits_of(self, path: str) -> tuple[FieldChange, ...]:
        """The changes of role and org the journal's commits made to the person note at PATH."""
        self.memo.read(("git history", path))
        return self._history.get(path, ())

    def source(self, text: str) -> str:
        """A note's path for the owner; nothing for a shared site (file names can name hidden people)."""
        return text if self.for_owner else ""

    # --- derived values, each kept in the memo ---------------------------------------------------------------

    def status(self, pid: str) -> ContactStatus:
        return self.memo.get(("status", pid), _status, pid)

    def ledger(self, pid: str) -> Ledger:
        """Gives, asks and receipts with PID up to today."""
        return self.memo.get(("ledger", pid), _ledger, pid)

    def coverage(self, gid: str) -> Coverage:
        return self.memo.get(("coverage", gid), _coverage, gid)

    def congratulation(self, pid: str) -> Congratulation | None:
        """What PID is owed congratulations on, if anything (occasions.py)."""
        return self.memo.get(("congratulation", pid), _congratulation, pid)

    def congratulations(self) -> tuple[Congratulation, ...]:
        """Everyone owed congratulations, the latest change first."""
        return self.memo.get(("congratulations",), _congratulations)

    def occasions(self, within: int) -> tuple[Occasion, ...]:
        """Congratulations owed and important dates within WITHIN days, as the person's `ignore:` and
        `[checks] ignore` leave them: plain data for `due`, the dashboard and the calendar to order."""
        return self.memo.get(("occasions", within), _occasions, within)

    def review(self, start: dt.date) -> Any:
        """The review of START to today (weekly.py's Review): a value, so that review.html is made again
        only when the review changed, not whenever any interaction did."""
        return self.memo.get(("review", start), _review, start)

    def important_dates(self) -> tuple[ImportantDate, ...]:
        """Everyone's birthdays and `dates:` on their next day from today, soonest first."""
        return self.memo.get(("important dates",), _important_dates)

    def findings(self) -> tuple[Finding, ...]:
        """Every finding of the journal, sorted: reading the notes, resolving them, and the checks."""
        return self.memo.get(("findings",), _findings)

    def findings_of(self, pid: str) -> tuple[Finding, ...]:
        """PID's findings (their page and agenda line show them): a fact of its own, which the engine says
        changed only for the people whose findings changed (engine `_changed_findings`), not at every edit, as
        the list of all findings does."""
        self.memo.read(("findings of", pid))
        return self.by_person().get(pid, ())

    def by_person(self) -> dict[str, tuple[Finding, ...]]:
        """Every finding about a person, by person. What reads one person's reads only theirs: this is read
        unrecorded (a value of its own, so that a build whose edit left the findings be does not go over
        every finding again)."""
        with self.memo.recording():
            return self.memo.get(("findings by person",), _findings_by_person)

    @staticmethod
    def last_by_person(memo: Memo) -> dict[str, tuple[Finding, ...]]:
        """`by_person` as the last build that MEMO kept made it (none: {})."""
        entry = memo.entries.get(("findings by person",))
        return entry.value if entry is not None else {}

    def errors(self) -> tuple[Finding, ...]:
        """The findings that are errors (a --strict build refuses them; serve lists them), read unrecorded."""
        with self.memo.recording():
            return self.memo.get(("errors",), _errors)

    def agenda(self, within: int) -> tuple[Line, ...]:
        """What is due within WITHIN days, most important first (ranking.py): `netjournal due`, the
        dashboard's "This week" and the calendar feed all read this one ranking."""
        return self.memo.get(("agenda", within), _agenda, within)

    def calendar_order(self, within: int) -> tuple[dict[str, int], dict[str, str], int]:
        """The agenda as the calendar feed orders its events by (_calendar_order)."""
        return self.memo.get(("calendar order", within), _calendar_order, within)

    def per_note_with_follow_ups(self, what: str) -> list:
        """What _PER_NOTE[WHAT] makes of each note with follow-ups (its findings, its calendar events), each
        note's kept in the memo and gathered month by month, each month's kept too, then the goals': an edit
        of one note makes its own and its month's again, not a list of the notes of the whole journal."""
        memo = self.memo
        found: list = []
        for year, month in self.journal.months():
            found += memo.get((f"{what} in", year, month), _gathered_in, what, year, month)
        for gid in memo.get(("goals with tasks",), _goals_with_tasks):
            found += memo.get((f"{what} of", "goal", gid), _PER_NOTE[what], "goal", gid)
        return found

    def period_of(self, year: int, month: int) -> str:
        """The page an interaction of that month is on: "2026", or "2026-11" when its year is large."""
        large = self.memo.get(("large year", year), _large_year, year)
        return f"{year}-{month:02d}" if large else str(year)

    # --- where things are ----------------------------------------------------------------------------------

    def interaction_url(self, iid: str) -> str:
        date = self.journal.interaction(iid).date
        return f"interactions/{self.period_of(date.year, date.month)}.html#{self.anchor(iid)}"

    def anchor(self, iid: str) -> str:
        if self.for_owner:
            return anchor_of(iid)
        # a shared site's anchors are numbers: a file name can name a hidden person
        return f"i{self.memo.get(('anchors',), _anchors)[iid]}"

    def person_link(self, pid: str, base: str) -> dict:
        """A link to PID's page from a page whose links to the site root start with BASE. One dict for
        the build's equal links, never changed by what holds it: at L the memo's 35,000 follow-up rows
        hold 70,000 links to 2,000 people."""
        name, private = self.journal.name(pid)
        link = self._links.get((pid, base, name, private))
        if link is None:
            link = self._links[pid, base, name, private] = {"name": name, "href": base + person_url(pid),
                                                            "private": private}
        return link

    def interaction_title(self, interaction: Interaction) -> str:
        if interaction.title:
            return interaction.title
        names = ", ".join(self.journal.name(p)[0] for p in self.journal.participants[interaction.id])
        kind = " ".join(interaction.kind.replace("-", " ").split()) or "Contact"  # "-" alone: no kind
        kind = kind[:1].title() + kind[1:]  # as written but the first letter: a "QBR" is no "Qbr"
        return f"{kind} with {names}"

    def body(self, note: Any, base: str = "../") -> Markup:
        """A note's body as HTML for a page whose links to the site root start with BASE."""
        rendered = self._stored_body(note) if self._stored_body is not None else None
        if rendered is None:  # a shared site's body without its private parts
            rendered = self._bodies.get(note.body)
            if rendered is None:
                rendered = self._bodies[note.body] = prerender(note.body)
        if not rendered.links:
            return Markup(rendered.html)
        hrefs = {}
        for target, found in self.journal.links.get(note.path, {}).items():
            if found.kind == "person":
                hrefs[target] = base + person_url(found.id)
            elif found.kind == "goal":
                hrefs[target] = base + goal_url(found.id)
            else:
                hrefs[target] = base + self.interaction_url(found.id)
        return Markup(fill(rendered, hrefs))


def _status(site: Site, pid: str) -> ContactStatus:
    return contact_status(site.journal, site.config, site.today, site.journal.people[pid])


def _ledger(site: Site, pid: str) -> Ledger:
    return ledger(site.journal, pid, site.journal.interactions_with(pid), until=site.today)


def _coverage(site: Site, gid: str) -> Coverage:
    statuses = {pid: site.status(pid) for pid in site.journal.stakeholders[gid]}
    return goal_coverage(site.journal, site.config, site.today, site.journal.goals[gid], statuses)


def _congratulation(site: Site, pid: str) -> Congratulation | None:
    person = site.journal.people[pid]
    return owed_congratulation(site.journal, site.config, site.today, pid, site.commits_of(person.path))


def _congratulations(site: Site) -> tuple[Congratulation, ...]:
    owed = [found for pid in site.journal.people if (found := site.congratulation(pid)) is not None]
    return tuple(sorted(owed, key=lambda c: (-c.change.date.toordinal(), c.person)))


def _occasions(site: Site, within: int) -> tuple[Occasion, ...]:
    journal, today, config = site.journal, site.today, site.config
    found = []
    for owed in site.congratulations():
        name = journal.people[owed.person].name
        found.append(Occasion("congratulate", owed.person, today, f"congratulate them on the {owed.reason()}",
                              f"Congratulate {name}"))
    for day in site.important_dates():
        if (day.on - today).days > within:
            break
        person = journal.people[day.person]
        found.append(Occasion("important-date", day.person, day.on, date_reason(None, day, today),
                              day.describe(person.name)))
    return tuple(occasion for occasion in found if occasion.code not in config.ignore_codes
                 and occasion.code not in journal.people[occasion.person].ignore)


def _review(site: Site, start: dt.date) -> Any:
    from ..weekly import make_review

    return make_review(site, start)


def _important_dates(site: Site) -> tuple[ImportantDate, ...]:
    today, people = site.today, site.journal.people
    found = [day for pid in people for day in important_dates(people[pid], today)]
    return tuple(sorted(found, key=lambda d: (d.on, people[d.person].name.casefold(), d.person, d.what)))


@eager
def _large_year(site: Site, year: int) -> bool:
    count = 0
    for found_year, month in site.journal.months():
        if found_year == year:
            count += len(site.journal.interactions_in(year, month))
    return count > LARGE_YEAR


def _anchors(site: Site) -> dict[str, int]:
    return {iid: number for number, (_, _, iid) in enumerate(site.journal.interaction_ids(), 1)}


def _person_findings(site: Site, pid: str) -> tuple[Finding, ...]:
    journal, config, today = site.journal, site.config, site.today
    found = check_staleness(journal, config, today, [pid]) + check_reciprocity(journal, config, today, [pid])
    found += check_asks(journal, config, today, [pid])
    owed = site.congratulation(pid)
    if owed is not None:
        found.append(congratulation_finding(journal.people[pid], owed))
    person = journal.people[pid]
    found += [important_date_finding(person, day, today) for day in upcoming_dates(person, today, config.due_soon)]
    return tuple(silence(found, journal, config))


def _follow_up_findings(site: Site) -> tuple[Finding, ...]:
    """check_follow_ups note by note (per_note_with_follow_ups): a note whose follow-ups changed (or moved
    to other lines) makes only its own findings again, not those of every follow-up of the journal."""
    return tuple(site.per_note_with_follow_ups("follow-up findings"))


def _gathered_in(site: Site, what: str, year: int, month: int) -> tuple:
    """What _PER_NOTE[WHAT] makes of each interaction of that month that has follow-ups."""
    memo, make = site.memo, _PER_NOTE[what]
    journal = site.journal
    return tuple(part for _, _, iid in journal.interactions_in(year, month) if iid in journal.follow_ups_of
                 for part in memo.get((f"{what} of", "interaction", iid), make, "interaction", iid))


def _goals_with_tasks(site: Site) -> tuple[str, ...]:
    journal = site.journal
    return tuple(gid for gid in journal.goals if gid in journal.goal_tasks)


def _follow_ups_of_note(site: Site, kind: str, nid: str) -> tuple[FollowUp, ...]:
    """The follow-ups of the interaction, or the tasks of the goal (KIND), NID."""
    journal = site.journal
    return journal.goal_tasks[nid] if kind == "goal" else journal.follow_ups_of[nid]


def _note_follow_up_findings(site: Site, kind: str, nid: str) -> tuple[Finding, ...]:
    journal = site.journal
    items = _follow_ups_of_note(site, kind, nid)
    return tuple(silence(check_follow_up_items(journal, site.config, site.today, items), journal, site.config))


def _calendar_order(site: Site, within: int) -> tuple[dict[str, int], dict[str, str], int]:
    """The agenda's people by their place in it, the reason of each, and the place of those it does not
    name (after all): all the feed takes of it (the agenda's lines also say which note and line each
    reason comes from, which the feed does not show)."""
    ranked = [(line.person, line.reason) for line in site.agenda(within) if line.person is not None]
    return {pid: n for n, (pid, _) in enumerate(ranked)}, dict(ranked), len(ranked)


def _calendar_follow_ups_of(site: Site, kind: str, nid: str) -> tuple[tuple, ...]:
    """The calendar's events of one note's open follow-ups that have a day, without what the agenda adds:
    (the people it concerns, its place in the list of open follow-ups, the event's UID parts, summary,
    day, description, and whom alone it is owed to). Its place is its note's path and its rank among the
    note's own follow-ups, not its line: the order is the one the list of open follow-ups has."""
    journal, config, today = site.journal, site.config, site.today
    items = _follow_ups_of_note(site, kind, nid)
    ranked = sorted((follow_up_order(item), index, item) for index, item in enumerate(items) if not item.done)
    events = []
    for rank, (order, _, item) in enumerate(ranked):
        due = due_date(item, config)
        if due is None:
            continue
        who = promise_for(journal, item)  # whom it is for: the people it names, else those it was made with
        late = (today - due).days
        # an overdue one on today, where a calendar shows it (as contact reminders), saying when it was due
        events.append((item.concerns, (*order[:3], rank),
                       ("follow-up", item.interaction or item.goal, item.what), f"{item.what} ({who})",
                       max(due, today), f"Follow-up with {who}." + (f" Due {due}, {days_text(late)} ago."
                                                                     if late > 0 else ""),
                       item.owed_to[0] if len(item.owed_to) == 1 else None))
    return tuple(events)


#: What is made of one note's follow-ups, kept note by note (Site.per_note_with_follow_ups), by name
_PER_NOTE: dict[str, Callable[[Site, str, str], tuple]] = {"follow-up findings": _note_follow_up_findings,
                                                          "calendar follow-ups": _calendar_follow_ups_of}


def _goal_findings(site: Site) -> tuple[Finding, ...]:
    return tuple(silence(check_goals(site.journal, site.config, site.today), site.journal, site.config))


def _duplicate_findings(site: Site) -> tuple[Finding, ...]:
    """check_duplicates, one finding per pair in the memo: a new interaction remakes only its people's."""
    memo = site.memo
    found = [memo.get(("duplicate", a, b, why), _duplicate_finding, a, b, why)
             for a, b, why in memo.get(("likely duplicates",), _likely_duplicates)]
    return tuple(silence([f for f in found if f is not None], site.journal, site.config))


def _likely_duplicates(site: Site) -> tuple[tuple[str, str, str], ...]:
    return tuple(likely_duplicates(site.journal))


def _duplicate_finding(site: Site, a: str, b: str, why: str) -> Finding | None:
    return duplicate_finding(site.journal, a, b, why)


def _name_findings(site: Site) -> tuple[Finding, ...]:
    return tuple(silence(check_hidden_names(site.journal, site.config, site.today), site.journal, site.config))


def _findings(site: Site) -> tuple[Finding, ...]:
    memo = site.memo
    found: list[Finding] = []
    if site.for_owner:  # a shared site lists no notes with errors: paths and values stay with the owner
        memo.read(("note findings",))
        found += site._note_findings
        found += site.journal.findings()
    for pid in site.journal.people:
        found += memo.get(("person findings", pid), _person_findings, pid)
    found += memo.get(("follow-up findings",), _follow_up_findings)
    found += memo.get(("goal findings",), _goal_findings)
    found += memo.get(("name findings",), _name_findings)
    found += memo.get(("duplicate findings",), _duplicate_findings)
    return tuple(sort_findings(found))


def _agenda(site: Site, within: int) -> tuple[Line, ...]:
    """ranking's agenda, one line per person in the memo: a new note remakes only its people's lines."""
    journal, memo = site.journal, site.memo
    lines = [memo.get(("agenda line", pid, within), _agenda_line, pid, within) for pid in journal.people]
    lines += memo.get(("agenda, nobody's", within), _unowed_lines, within)
    return tuple(ordered([line for line in lines if line is not None], lambda pid: journal.name(pid)[0]))


def _agenda_line(site: Site, pid: str, within: int) -> Line | None:
    items = person_items(site.journal, site.config, site.today, site.status(pid), site.findings_of(pid), within)
    return line_of(pid, items, site.today) if items else None


def _unowed_lines(site: Site, within: int) -> tuple[Line, ...]:
    items = unowed_items(site.journal, site.config, site.today, within)
    return tuple(line_of(None, [item], site.today) for item in items)


def _findings_by_person(site: Site) -> dict[str, tuple[Finding, ...]]:
    return findings_by_person(site.findings())


def _errors(site: Site) -> tuple[Finding, ...]:
    return leading_errors(site.findings())


def findings_by_person(findings: Iterable[Finding]) -> dict[str, tuple[Finding, ...]]:
    """FINDINGS by the person each is about (those about nobody left out), in their order."""
    by_person: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.person is not None:
            by_person.setdefault(finding.person, []).append(finding)
    return {pid: tuple(found) for pid, found in by_person.items()}
