"""Which pages an edit can change: an exact map from changed notes to pages, read off the two models.

The summary pages (dashboard, people, follow-ups, interactions, goals, tags indexes) are always remade.
Edits that can change how references resolve anywhere (a person or goal added, removed or renamed, a
changed wikilink target) fall back to a full render.
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from ..load import NoteChange
from ..model import Interaction, Journal, LinkTarget, TargetResolver, interaction_keys
from ..records import CommentRecord, GoalRecord, InteractionRecord, PersonRecord, Record, differs_only_in_body
from .views import Selection, interaction_periods, period_of


def _identity(journal: Journal) -> tuple:
    people = tuple(sorted((p.id, p.name, p.aliases, p.tags, p.private) for p in journal.people.values()))
    goals = tuple(sorted((g.id, g.title) for g in journal.goals.values()))
    return people, goals


def affected_pages(old: Journal, new: Journal, changed_paths: set[str]) -> Selection | None:
    """The selection of pages to remake after CHANGED_PATHS changed, or None for all of them."""
    if _identity(old) != _identity(new):
        return None
    unchanged_links_old = {p: v for p, v in old.links.items() if p not in changed_paths}
    unchanged_links_new = {p: v for p, v in new.links.items() if p not in changed_paths}
    if unchanged_links_old != unchanged_links_new:
        return None
    touched = _Touched()
    period_of = {id(old): interaction_periods(old), id(new): interaction_periods(new)}
    for journal in (old, new):
        touched.add_changed_notes(journal, changed_paths, period_of[id(journal)])
    old_period, new_period = period_of[id(old)], period_of[id(new)]
    if set(old_period.values()) != set(new_period.values()):
        # every interactions page lists the years (and a large year's months); a year that grew into month
        # pages (or shrank back) moved its interactions, and their people's pages link to them
        touched.periods |= set(new_period.values())
        for interaction in new.interactions:
            if old_period.get(interaction.id, new_period[interaction.id]) != new_period[interaction.id]:
                touched.people.update(new.participants[interaction.id])
    return touched.selection((old, new), new)


def affected_by_edits_in_place(new: Journal, before: dict[str, Record | None], changed_paths: set[str],
                               now: dict[str, Record | None] | None = None) -> Selection | None:
    """affected_pages for the everyday edit, without the model of the notes as they were (building it is
    as costly as building NEW): every changed note is an interaction or a comment, edited in place, whose
    old version BEFORE (path -> record) still resolves against NEW's people and goals, an interaction
    keeping its page (its date, or one on the same page) and at least one known person; or, given NOW
    (path -> record, None for a note that is gone), an interaction note added or removed, on a page that
    stays (`pages_kept`), which no link or comment may name (Journal.interaction_link_keys). Then the old
    model differs from NEW only in those notes' participants, targets and dates: same people, goals and
    periods, same link resolution elsewhere. None for any other edit: compare the two models."""
    touched = _Touched()
    interactions = []
    comments = {c.path: t for c, t in new.comments if c.path in changed_paths}
    resolve_target: TargetResolver | None = None
    period = interaction_periods(new)
    came_or_went: list[tuple[InteractionRecord | None, InteractionRecord | None]] = []
    for path in changed_paths:
        old = before.get(path)
        if now is not None and path in now and (old is None or now[path] is None):
            if old is None and now[path] is None:
                continue  # a note with no record before or after (broken, or gone): on no page
            record = now[path] if old is None else old
            if (not isinstance(record, InteractionRecord) or (old is None) != (record.id in new.participants)
                    or interaction_keys(record) & new.interaction_link_keys):
                return None
            came_or_went.append((old, now[path]))  # type: ignore[arg-type]
            if old is None:
                interactions.append(record)
            else:
                participants = _resolved_people(new, old)
                if not participants:
                    return None
                touched.people.update(participants)
        elif isinstance(old, InteractionRecord) and (found := _interaction_now(new, old)) is not None:
            if old.id != found.id or not _same_page(old, found, period[found.id]):
                return None
            if old.date != found.date and interaction_keys(old) & new.interaction_link_keys:
                return None  # a link naming its key names the first such interaction by date
            interactions.append(found)
            participants = _resolved_people(new, old)
            if not participants:  # it was not in the old model at all
                return None
            touched.people.update(participants)
        elif isinstance(old, CommentRecord) and path in comments:
            resolve_target = resolve_target or TargetResolver(new)
            target = resolve_target(old.about.text)
            if target is None:
                return None
            touched.add_comment_target(new, target, period)
        else:
            return None
    if came_or_went:
        pages = pages_kept(new, came_or_went)
        if pages is None:
            return None
        touched.periods.update(pages.values())
    touched.add_changed_notes(new, changed_paths, period, interactions)
    return touched.selection((new,), new)


def _resolved_people(new: Journal, old: InteractionRecord) -> list[str]:
    """The people OLD's `with:` names, resolved against NEW's people (as they were when OLD was read)."""
    return [found[0] for found in map(new.resolve_person, (r.text for r in old.with_refs)) if len(found) == 1]


def pages_of_person(journal: Journal, pid: str) -> Selection:
    """The pages a person's edit keeping `model.person_identity` can change, beyond the summary pages:
    their own, their tags' and their goals' (which show their contact status)."""
    touched = _Touched(people={pid})
    return touched.selection((journal,), journal)


def _interaction_now(new: Journal, old: InteractionRecord) -> InteractionRecord | None:
    """OLD's version in NEW: where its date was, found by bisection, else (its date changed) in the history
    of one of its people, not by a scan of every interaction."""
    found = new.interaction_at(old.date, old.path)
    if found is None and new.participants.get(old.id):
        history = new.interactions_with(new.participants[old.id][0])
        found = next((i for i in history if i.path == old.path), None)
    return found


def _same_page(old: InteractionRecord, new: InteractionRecord, period: str) -> bool:
    """Whether NEW, on the page of PERIOD, is on the page OLD was on: the same year, and for a month page
    the same month. (Every other changed note keeps its date or is no interaction: the years' sizes,
    and so every other interaction's page, are as they were.)"""
    return old.date.year == new.date.year and (len(period) == 4 or old.date.month == new.date.month)


def share_periods(old: Journal, new: Journal,
                  edits: list[tuple[InteractionRecord | None, InteractionRecord | None]]) -> bool:
    """After EDITS ((old, new) versions of interactions, OLD's in OLD (None: added), NEW's in NEW (None:
    removed)), whether every interaction is on the page it was on, and each added one on a page that was
    there (`pages_kept`). Then NEW shares OLD's map of periods (one computed anew costs 0.05 s at
    100,000 notes), or a copy of it with the added and removed interactions. False when the pages change."""
    periods = interaction_periods(old)
    if not all(before.id in periods and _same_page(before, after, periods[before.id])
               for before, after in edits if before is not None and after is not None):
        return False
    pages = pages_kept(new, edits)
    if pages is None:
        return False
    if pages:
        periods = dict(periods)
        for before, after in edits:
            if after is None:
                del periods[before.id]  # type: ignore[union-attr]
            elif before is None:
                periods[after.id] = pages[after.id]
    new.derived["periods"] = periods
    return True


def pages_kept(new: Journal, edits: list[tuple[InteractionRecord | None, InteractionRecord | None]]
               ) -> dict[str, str] | None:
    """For the interactions EDITS add or remove ((old, new) pairs with one None; NEW is the journal after
    them): the page of each (id -> period), if the pages are kept: no year grew into month pages or shrank
    out of them, each added one is on a page that was there before, and no page was emptied. Else None.
    Found from NEW alone, by bisection: the journal before differs from it by EDITS."""
    delta: Counter[str] = Counter()  # year or month -> interactions added less those removed
    changed = [(after or before, 1 if after else -1) for before, after in edits if (before is None) != (after is None)]
    for note, sign in changed:
        delta[str(note.date.year)] += sign  # type: ignore[union-attr]
        delta[f"{note.date.year}-{note.date.month:02d}"] += sign  # type: ignore[union-attr]
    pages = {}
    for note, _ in changed:
        year_now = _page_size(new, str(note.date.year))  # type: ignore[union-attr]
        page = period_of(note.date, year_now)  # type: ignore[union-attr]
        if page != period_of(note.date, year_now - delta[str(note.date.year)]):  # type: ignore[union-attr]
            return None
        now = _page_size(new, page)
        if now == 0 or now - delta[page] == 0:
            return None
        pages[note.id] = page  # type: ignore[union-attr]
    return pages


def _page_size(journal: Journal, page: str) -> int:
    """How many of JOURNAL's interactions are dated in PAGE's year ("2026") or month ("2026-11"), found by
    bisection on its interactions (by date, then path)."""
    year = int(page[:4])
    if len(page) == 4:
        start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1) if year < dt.MAXYEAR else None
    else:
        month = int(page[5:7])
        start = dt.date(year, month, 1)
        end = dt.date(year + month // 12, month % 12 + 1, 1) if (year, month) < (dt.MAXYEAR, 12) else None
    first = bisect.bisect_left(journal.interactions, start, key=_date_of)
    last = (bisect.bisect_left(journal.interactions, end, key=_date_of) if end is not None
            else len(journal.interactions))
    return last - first


def _date_of(interaction: Interaction) -> dt.date:
    return interaction.date


def text_only_edits(changes: Iterable[NoteChange]) -> list[PersonRecord | InteractionRecord | GoalRecord] | None:
    """The new records of CHANGES ((before, after) loads of each changed note) when every one is the
    save a user makes most, writing a note up: a person, interaction or goal whose new text
    `differs_only_in_body` (front matter, wikilinks and tasks as they were) and loads with the same
    findings. Then the model resolves as it did, every check finds what it found, and only the pages
    that show those bodies change (`pages_showing_text`). None for any other change. A comment is never
    one: its text shows on the dashboard and wherever what it is about shows."""
    edited: list[PersonRecord | InteractionRecord | GoalRecord] = []
    for before, after in changes:
        if (before is None or after is None or before.record is None or after.record is None
                or not isinstance(after.record, (PersonRecord, InteractionRecord, GoalRecord))
                or before.findings != after.findings or not differs_only_in_body(before.record, after.record)):
            return None
        edited.append(after.record)
    return edited


def pages_showing_text(journal: Journal, edited: list[PersonRecord | InteractionRecord | GoalRecord]) -> Selection:
    """The pages that show the bodies of EDITED (records of JOURNAL, else on no page): a person's or a
    goal's own page, an interaction's period page and its people's pages. No summary page shows a body."""
    people, periods, goals = set(), set(), set()
    period = interaction_periods(journal)
    for record in edited:
        if isinstance(record, InteractionRecord):
            if record.id in journal.participants:  # else nobody known files it: it is on no page
                periods.add(period[record.id])
                people.update(journal.participants[record.id])
        elif isinstance(record, PersonRecord):
            if journal.people.get(record.id) is record:  # not a duplicate id's ignored note
                people.add(record.id)
        elif journal.goals.get(record.id) is record:
            goals.add(record.id)
    return Selection(frozenset(people), frozenset(periods), frozenset(goals))


@dataclass
class _Touched:
    """The people, periods and goals whose pages an edit touches, gathered from one model or two."""

    people: set[str] = field(default_factory=set)
    periods: set[str] = field(default_factory=set)
    goals: set[str] = field(default_factory=set)

    def add_changed_notes(self, journal: Journal, changed_paths: set[str], period: dict[str, str],
                          interactions: list[Interaction] | None = None) -> None:
        """What the notes at CHANGED_PATHS show on. INTERACTIONS: those of JOURNAL's at CHANGED_PATHS, if
        the caller has them (else they are looked for, which costs 0.03 s at 100,000 notes)."""
        if journal.annexes:  # a private annex shows on its person's page: its change is theirs
            changed_paths = changed_paths | {journal.people[pid].path for path, pid in journal.annexes.items()
                                             if path in changed_paths and pid in journal.people}
        if interactions is None:
            interactions = [i for i in journal.interactions if i.path in changed_paths]
        for interaction in interactions:
            self.people.update(journal.participants[interaction.id])
            self.periods.add(period[interaction.id])
        for person in journal.people.values():
            if person.path in changed_paths:
                self.people.add(person.id)
                self.people.update(journal.introduced_by(person.id))
                if person.id in journal.introducer:
                    self.people.add(journal.introducer[person.id])
                for interaction in journal.interactions_with(person.id):
                    self.people.update(journal.participants[interaction.id])
                    self.periods.add(period[interaction.id])
        for goal in journal.goals.values():
            if goal.path in changed_paths:
                self.goals.add(goal.id)
                self.people.update(journal.stakeholders.get(goal.id, ()))
        for comment, target in journal.comments:  # a comment shows on the page of what it is about
            if comment.path in changed_paths:
                self.add_comment_target(journal, target, period)

    def add_comment_target(self, journal: Journal, target: LinkTarget, period: dict[str, str]) -> None:
        if target.kind == "person":
            self.people.add(target.id)
        elif target.kind == "goal":
            self.goals.add(target.id)
        else:  # an interaction's comments show with it: on its period's page and its people's pages
            self.periods.add(period[target.id])
            self.people.update(journal.participants[target.id])

    def selection(self, journals: tuple[Journal, ...], new: Journal) -> Selection:
        goals = set(self.goals)
        for journal in journals:  # goals and tags show the warmth of the people touched
            for gid, stakeholders in journal.stakeholders.items():
                if self.people.intersection(stakeholders):
                    goals.add(gid)
        tags = {t for journal in journals for pid in self.people if pid in journal.people
                for t in journal.people[pid].tags}
        return Selection(frozenset(p for p in self.people if p in new.people), frozenset(self.periods),
                         frozenset(g for g in goals if g in new.goals), frozenset(tags))
