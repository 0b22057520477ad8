"""Which pages an edit can change: an exact map from changed notes to pages, read off the two models.

The summary pages (dashboard, people, follow-ups, interactions, goals, tags indexes) are always remade.
Edits that can change how references resolve anywhere (a person or goal added, removed or renamed, a
changed wikilink target) fall back to a full render.
"""
from __future__ import annotations

from ..model import Journal
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
    people: set[str] = set()
    periods: set[str] = set()
    goals: set[str] = set()
    period_of = {id(old): interaction_periods(old), id(new): interaction_periods(new)}
    for journal in (old, new):
        period = period_of[id(journal)]
        by_path_interactions = {i.path: i for i in journal.interactions if i.path in changed_paths}
        for interaction in by_path_interactions.values():
            people.update(journal.participants[interaction.id])
            periods.add(period[interaction.id])
        for person in journal.people.values():
            if person.path in changed_paths:
                people.add(person.id)
                people.update(journal.introduced_by(person.id))
                if person.id in journal.introducer:
                    people.add(journal.introducer[person.id])
                for interaction in journal.interactions_with(person.id):
                    people.update(journal.participants[interaction.id])
                    periods.add(period[interaction.id])
        for goal in journal.goals.values():
            if goal.path in changed_paths:
                goals.add(goal.id)
                people.update(journal.stakeholders.get(goal.id, ()))
        for comment, target in journal.comments:  # a comment shows on the page of what it is about
            if comment.path in changed_paths:
                if target.kind == "person":
                    people.add(target.id)
                elif target.kind == "goal":
                    goals.add(target.id)
                else:  # an interaction's comments show with it: on its period's page and its people's pages
                    periods.add(period[target.id])
                    people.update(journal.participants[target.id])
    old_periods, new_periods = set(period_of[id(old)].values()), set(period_of[id(new)].values())
    if old_periods != new_periods:  # every interactions page lists the years (and a large year's months)
        periods |= new_periods
    for journal in (old, new):  # goals and tags show the warmth of the people touched
        for gid, stakeholders in journal.stakeholders.items():
            if people.intersection(stakeholders):
                goals.add(gid)
    tags = {t for journal in (old, new) for pid in people if pid in journal.people for t in journal.people[pid].tags}
    return Selection(frozenset(p for p in people if p in new.people), frozenset(periods),
                     frozenset(g for g in goals if g in new.goals), frozenset(tags))
