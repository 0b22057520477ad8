"""Which pages an edit can change: an exact map from changed notes to pages, read off the two models.

The summary pages (dashboard, people, follow-ups, interactions, goals, tags indexes) are always remade.
Edits that can change how references resolve anywhere (a person or goal added, removed or renamed, a
changed wikilink target) fall back to a full render.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..load import NoteChange
from ..model import Interaction, Journal, LinkTarget, TargetResolver
from ..records import CommentRecord, GoalRecord, InteractionRecord, PersonRecord, Record, differs_only_in_body
from .views import Selection, interaction_periods


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


def affected_by_edits_in_place(new: Journal, before: dict[str, Record | None], changed_paths: set[str]
                               ) -> Selection | None:
    """affected_pages for the everyday edit, without the model of the notes as they were (building it is
    as costly as building NEW): every changed note is an interaction or a comment, edited in place, whose
    old version BEFORE (path -> record) still resolves against NEW's people and goals, an interaction
    keeping its page (its date, or one on the same page) and at least one known person. Then the old
    model differs from NEW only in those notes' participants, targets and dates: same people, goals and
    periods, same link resolution elsewhere (interactions are linked to by id). None for any other edit:
    compare the two models."""
    touched = _Touched()
    interactions = []
    comments = {c.path: t for c, t in new.comments if c.path in changed_paths}
    resolve_target: TargetResolver | None = None
    period = interaction_periods(new)
    for path in changed_paths:
        old = before.get(path)
        if isinstance(old, InteractionRecord) and (now := _interaction_now(new, old)) is not None:
            if old.id != now.id or not _same_page(old, now, period[now.id]):
                return None
            interactions.append(now)
            participants = [found[0] for found in map(new.resolve_person, (r.text for r in old.with_refs))
                            if len(found) == 1]
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
    touched.add_changed_notes(new, changed_paths, period, interactions)
    return touched.selection((new,), new)


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


def share_periods(old: Journal, new: Journal, edits: list[tuple[InteractionRecord, InteractionRecord]]) -> bool:
    """After EDITS ((old, new) versions of interactions, OLD's in OLD, NEW's in NEW), whether every
    interaction is on the page it was on: each kept its date, or moved within its period page (a year, or
    a month of a large year), so no year grew or shrank. Then NEW shares OLD's map of periods (one
    computed anew costs 0.05 s at 100,000 notes). False when a date moved to another page."""
    periods = interaction_periods(old)
    if not all(before.id in periods and _same_page(before, after, periods[before.id]) for before, after in edits):
        return False
    new.derived["periods"] = periods
    return True


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
