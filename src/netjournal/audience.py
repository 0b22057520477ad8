"""Audiences: the records another reader (a mentor) may see, decided before the model is built.

Filtering happens on records, so everything downstream (counts, findings, coverage, links, exports) is
computed from what the audience may see and cannot reveal the rest. Privacy fails closed: a note that
could not be read cleanly never became a record; anything unclear about `private` counted as private in
the loader; references that do not resolve to a visible person are dropped; wikilinks to anyone not
visible and plain mentions of hidden people's names become "someone".
"""
from __future__ import annotations

import dataclasses
import re
from typing import Iterable

from .config import Audience
from .model import build_journal
from .records import CommentRecord, GoalRecord, InteractionRecord, PersonRecord, Record, Ref
from .tasks import _WIKILINK, find_wikilinks, private_lines, strip_private

SOMEONE = "someone"


class _Visibility:
    def __init__(self, records: list[Record], audience: Audience) -> None:
        self.audience = audience
        self.full, _ = build_journal(records)  # the owner's view, to resolve references exactly
        self.hidden_people = {
            pid for pid, person in self.full.people.items()
            if (audience.exclude_private and person.private) or audience.exclude_tags.intersection(person.tags)}
        names = sorted({text for pid in self.hidden_people
                        for text in (self.full.people[pid].name, *self.full.people[pid].aliases, pid)
                        if len(text.strip()) >= 3}, key=len, reverse=True)
        self.names = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in names), re.IGNORECASE) \
            if names else None
        self.hidden_interactions = {
            i.id for i in self.full.interactions
            if (audience.exclude_private and i.private)
            or audience.exclude_tags.intersection(t.casefold() for t in i.topics)
            or not [p for p in self.full.participants[i.id] if p not in self.hidden_people]}
        self.hidden_goals = {g.id for g in self.full.goals.values() if audience.exclude_private and g.private}
        from .model import TargetResolver
        self.resolve_target = TargetResolver(self.full)

    def visible_person(self, text: str) -> bool:
        found = self.full.resolve_person(text)
        return len(found) == 1 and found[0] not in self.hidden_people

    def visible_target(self, text: str) -> bool:
        target = self.resolve_target(text)
        if target is None:
            return False
        hidden = {"person": self.hidden_people, "goal": self.hidden_goals,
                  "interaction": self.hidden_interactions}[target.kind]
        return target.id not in hidden

    def text(self, value: str) -> str:
        """Hidden people's names, aliases and ids in free text become "someone"."""
        return self.names.sub(SOMEONE, value) if self.names is not None and value else value

    def texts(self, values: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.text(v) for v in values)

    def body(self, body: str) -> str:
        if self.audience.exclude_private:
            body = strip_private(body)

        def link(match: re.Match) -> str:
            target = match.group(1).strip()
            return match.group(0) if self.visible_target(target) else SOMEONE

        body = _WIKILINK.sub(link, body) if "[[" in body else body
        return self.text(body)

    def refs(self, refs: Iterable[Ref]) -> tuple[Ref, ...]:
        return tuple(ref for ref in refs if self.visible_person(ref.text))


def _body_fields(vis: _Visibility, record) -> dict:
    body = vis.body(record.body)
    return {"body": body, "body_links": tuple(Ref(link.target, link.line)
                                              for link in find_wikilinks(body, record.body_line))}


def audience_records(records: list[Record], audience: Audience) -> list[Record]:
    """The records AUDIENCE may see, redacted. The owner sees all records unchanged."""
    if audience.is_owner:
        return records
    vis = _Visibility(records, audience)
    shown: list[Record] = []
    kept_paths = {p.path for p in vis.full.people.values() if p.id not in vis.hidden_people}
    for record in records:
        if isinstance(record, PersonRecord):
            if record.path not in kept_paths:
                continue
            changes = {field: () if field in ("aliases", "email", "phone", "links") else
                       (None if field == "met" else "") for field in audience.redact if field != "body"}
            intro = record.introduced_by if record.introduced_by and vis.visible_person(record.introduced_by.text) \
                else None
            fields = {"body": "", "body_links": ()} if "body" in audience.redact else _body_fields(vis, record)
            shown.append(dataclasses.replace(
                record, **{"org": vis.text(record.org), "role": vis.text(record.role),
                           "location": vis.text(record.location), "aliases": vis.texts(record.aliases),
                           **changes, **fields}, introduced_by=intro))
        elif isinstance(record, InteractionRecord):
            if record.id in vis.hidden_interactions or record.private and audience.exclude_private:
                continue
            with_refs = vis.refs(record.with_refs)
            if not with_refs:
                continue
            secret_lines = private_lines(record.body, record.body_line) if audience.exclude_private else []
            follow_ups = tuple(
                dataclasses.replace(f, what=vis.text(f.what)) for f in record.follow_ups
                if not (f.from_task and any(a <= f.line <= b for a, b in secret_lines)))
            shown.append(dataclasses.replace(
                record, with_refs=with_refs, title=vis.text(record.title), kind=vis.text(record.kind),
                topics=vis.texts(record.topics), gave=vis.texts(record.gave), asked=vis.texts(record.asked),
                received=vis.texts(record.received), follow_ups=follow_ups, **_body_fields(vis, record)))
        elif isinstance(record, GoalRecord):
            if record.id in vis.hidden_goals or record.private and audience.exclude_private:
                continue
            shown.append(dataclasses.replace(record, title=vis.text(record.title),
                                             stakeholder_refs=vis.refs(record.stakeholder_refs),
                                             **_body_fields(vis, record)))
        elif isinstance(record, CommentRecord):
            if record.private and audience.exclude_private or not vis.visible_target(record.about.text):
                continue
            shown.append(dataclasses.replace(record, author=vis.text(record.author), **_body_fields(vis, record)))
    return shown
