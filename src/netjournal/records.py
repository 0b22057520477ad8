"""Records: what one note says, validated field by field, with references still unresolved.

The loader makes these from a single note's bytes; the model resolves their references across notes.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from .contacts import salvaged
from .keys import close_to
from .tuplestate import tuple_state

_Shared = TypeVar("_Shared")


#: Values that notes repeat (their keys and lines, kinds, topics, references), each kept once (see share)
_SHARED: dict[Any, Any] = {}
_MOST_SHARED = 1 << 16  # then it starts again: a long-running builder holds no more than this


def share(value: _Shared) -> _Shared:
    """VALUE, or an equal one shared before: at L a hundred thousand records hold the same few dozen key
    lines and topics (90 bytes a record would cost each). For values of texts, numbers and Refs only, whose
    equal values are alike (not `(1,)` and `(True,)`)."""
    found = _SHARED.get(value)
    if found is not None:
        return found
    if len(_SHARED) >= _MOST_SHARED:
        _SHARED.clear()
    _SHARED[value] = value
    return value


@tuple_state
@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a person as written in a note (an id, a name, an alias or a [[wikilink]])."""

    text: str
    line: int


#: What an interaction's gives, asks and receipts are listed under, in this order
EXCHANGES = ("gave", "asked", "received")


@tuple_state
@dataclass(frozen=True, slots=True)
class Aim:
    """An entry of `gave:`, `asked:` or `received:` that names its people (`{what: …, of: lena}`): the
    KIND's entry at INDEX concerns REFS only, not everyone the interaction was with."""

    kind: str  # one of EXCHANGES
    index: int
    refs: tuple[Ref, ...]


@tuple_state
@dataclass(frozen=True, slots=True)
class FollowUpRecord:
    what: str
    due: dt.date | None
    done: bool
    line: int
    from_task: bool  # a `- [ ]` body task rather than a `follow_ups:` entry


#: What a dated change of a person's role or org says it was (`changes: [{date, role, org, kind}]`)
CHANGE_KINDS = ("promotion", "new-job", "left", "other")


@tuple_state
@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """A dated entry of a person's `changes:`: on DATE their role and/or org became ROLE / ORG (None: that
    one did not change, or is not said); KIND is one of CHANGE_KINDS, or "" when the entry does not say."""

    date: dt.date
    role: str | None
    org: str | None
    kind: str
    line: int


@tuple_state
@dataclass(frozen=True, slots=True)
class YearlyDate:
    """A day that comes back every year (a birthday, an anniversary): its month and day, and the year it
    started when known."""

    month: int
    day: int
    year: int | None = None


@tuple_state
@dataclass(frozen=True, slots=True)
class DatedEntry:
    """An entry of a person's `dates:` (`{date: 2019-03-01, what: work anniversary at Acme}`): a day to
    remember every year."""

    date: YearlyDate
    what: str
    line: int


class _KeyLines:
    """Records keep the line of each front-matter key, so findings can point at the line at fault."""

    __slots__ = ()  # records have slots (a journal holds 100,000 of them): so must their base
    key_lines: tuple[tuple[str, int], ...]

    def line_of(self, key: str) -> int:
        return dict(self.key_lines).get(key, 1)


@tuple_state
@dataclass(frozen=True, slots=True)
class PersonRecord(_KeyLines):
    id: str
    path: str
    name: str
    aliases: tuple[str, ...] = ()
    org: str = ""
    role: str = ""
    email: tuple[str, ...] = ()
    phone: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # (label, url)
    location: str = ""
    tags: tuple[str, ...] = ()
    cadence: int | None = None  # days; None = not set, 0 = `none`
    met: dt.date | None = None
    introduced_by: Ref | None = None
    snooze_until: dt.date | None = None
    paused: bool = False
    paused_until: dt.date | None = None  # `paused: {until: …}`: paused before this day, welcomed back on it
    private: bool = False
    ignore: frozenset[str] = frozenset()
    changes: tuple[ChangeRecord, ...] = ()  # dated changes of role or org, in the order written
    birthday: YearlyDate | None = None
    dates: tuple[DatedEntry, ...] = ()  # other days to remember every year
    unlisted: tuple[str, ...] = ()  # contacts written elsewhere (unlisted.unlisted_contacts), an annex's names: hidden
    mentioned: tuple[str, ...] = ()  # what in the body is surely a contact (unlisted.mentioned_contacts): hidden
    body: str = ""
    body_line: int = 1
    body_links: tuple[Ref, ...] = ()
    key_lines: tuple[tuple[str, int], ...] = ()


@tuple_state
@dataclass(frozen=True, slots=True)
class InteractionRecord(_KeyLines):
    id: str  # path below interactions/ without .md, e.g. "2026/2026-03-02-coffee-ada"
    path: str
    date: dt.date
    with_refs: tuple[Ref, ...]
    kind: str = ""
    title: str = ""
    topics: tuple[str, ...] = ()
    gave: tuple[str, ...] = ()
    asked: tuple[str, ...] = ()
    received: tuple[str, ...] = ()
    aims: tuple[Aim, ...] = ()  # the entries of gave, asked and received that name their people
    follow_ups: tuple[FollowUpRecord, ...] = ()
    private: bool = False
    body: str = ""
    body_line: int = 1
    body_links: tuple[Ref, ...] = ()
    key_lines: tuple[tuple[str, int], ...] = ()


#: A stakeholder map's engagement levels (the PMBOK assessment matrix), from least to most engaged
ENGAGEMENT = ("unaware", "resistant", "neutral", "supportive", "leading")
#: The axes of the power/interest grid: a stakeholder's influence and interest
LEVELS = ("low", "medium", "high")
#: The roles a stakeholder map knows without settings (`[goals] roles` adds more)
ROLES = ("decider", "sponsor", "influencer", "gatekeeper", "ally")


@tuple_state
@dataclass(frozen=True, slots=True)
class StakeholderPlan:
    """A goal's stakeholder written as a map entry, `{who, role, influence, interest, engagement, desired,
    wants}`; every field but WHO may be empty (not assessed). LINE is the entry's line."""

    who: Ref
    line: int
    role: str = ""  # case folded; checked against ROLES and `[goals] roles` when checked
    influence: str = ""  # one of LEVELS
    interest: str = ""  # one of LEVELS
    engagement: str = ""  # one of ENGAGEMENT
    desired: str = ""  # one of ENGAGEMENT
    wants: str = ""


@tuple_state
@dataclass(frozen=True, slots=True)
class GoalRecord(_KeyLines):
    id: str
    path: str
    title: str
    stakeholder_refs: tuple[Ref, ...]  # every stakeholder, plain or mapped, in order
    plans: tuple[StakeholderPlan, ...] = ()  # the stakeholders written as map entries
    started: dt.date | None = None
    target: dt.date | None = None
    status: str = "active"
    follow_ups: tuple[FollowUpRecord, ...] = ()  # the `- [ ]` tasks of its body: the goal's own follow-ups
    private: bool = False
    body: str = ""
    body_line: int = 1
    body_links: tuple[Ref, ...] = ()
    key_lines: tuple[tuple[str, int], ...] = ()


@tuple_state
@dataclass(frozen=True, slots=True)
class CommentRecord(_KeyLines):
    """A mentor's comment (comments/**/*.md) on a person, goal or interaction."""

    id: str
    path: str
    author: str
    date: dt.date
    about: Ref
    private: bool = False
    body: str = ""
    body_line: int = 1
    body_links: tuple[Ref, ...] = ()
    key_lines: tuple[tuple[str, int], ...] = ()


Record = PersonRecord | InteractionRecord | GoalRecord | CommentRecord


def exchanges_seen(record: InteractionRecord, visible: Callable[[tuple[Ref, ...]], tuple[Ref, ...]],
                   text: Callable[[str], str]) -> dict:
    """RECORD's gave, asked, received and aims as a reader sees them for whom VISIBLE(refs) gives the
    references they may see (as they name those people), each entry's text through TEXT: an entry aimed
    at none of them is left out (it is about someone they may not see, and concerns no one they do), the
    others' aims keep only the people they see. Fail closed: a reference that names nobody is not seen."""
    aimed = {(aim.kind, aim.index): aim.refs for aim in record.aims}
    fields: dict = {"aims": []}
    for kind in EXCHANGES:
        kept: list[str] = []
        for index, entry in enumerate(getattr(record, kind)):
            refs = aimed.get((kind, index))
            if refs is not None:
                refs = visible(refs)
                if not refs:
                    continue
                fields["aims"].append(Aim(kind, len(kept), refs))
            kept.append(text(entry))
        fields[kind] = tuple(kept)
    fields["aims"] = tuple(fields["aims"])
    return fields


def annex_paths(records: Iterable[Record]) -> set[str]:
    """The paths of RECORDS that are private annexes: a person's note under private/ at the path of a
    shared person's note (`private/people/ada.md` beside `people/ada.md`)."""
    people = [r for r in records if isinstance(r, PersonRecord)]
    shared = {r.path for r in people if not r.path.startswith("private/")}
    return {r.path for r in people if r.path.startswith("private/") and r.path[len("private/"):] in shared}


#: The fields of a person that their private annex fills where the shared note leaves them empty
ANNEX_FILLS = ("org", "role", "email", "phone", "links", "location", "met", "snooze_until", "birthday", "dates")


def with_annex(person: PersonRecord, annex: PersonRecord) -> PersonRecord:
    """PERSON as the owner sees them with their private ANNEX: its body appended as a private passage, the
    fields of ANNEX_FILLS that PERSON leaves empty filled from it (the shared note's win), its tags added,
    and private if the annex has a `private` key (whatever its value: the annex itself is private anyway, so
    a `private:` there can only be meant for the person; fail closed)."""
    filled = {name: getattr(annex, name) for name in ANNEX_FILLS
              if not getattr(person, name) and getattr(annex, name)}
    body = person.body
    if annex.body.strip():
        body = f"{body.rstrip()}\n\n<!-- private -->\n{annex.body.strip()}\n<!-- /private -->\n".lstrip()
    private = person.private or any(close_to(key, ("private",)) for key, _ in annex.key_lines)
    tags = tuple(dict.fromkeys((*person.tags, *annex.tags)))
    # the annex's contacts that the shared note's own outshine: hidden with the person all the same
    outshone = [salvaged(name, text) for name in ("email", "phone") if name not in filled
                for text in getattr(annex, name)]
    outshone += [salvaged("links", f"{label}: {url}" if label and label != url else url)
                 for label, url in annex.links] if "links" not in filled else []
    # and the names it gives (the owner sees the shared note's)
    names = [text for text in (annex.name, *annex.aliases) if text not in (person.name, *person.aliases)]
    unlisted = tuple(dict.fromkeys((*person.unlisted, *annex.unlisted, *outshone, *names)))
    mentioned = tuple(dict.fromkeys((*person.mentioned, *annex.mentioned)))
    return replace(person, body=body, private=private, tags=tags, unlisted=unlisted, mentioned=mentioned, **filled)


def shared_people(records: Iterable[Record]) -> list[PersonRecord]:
    """The people of RECORDS, each with their private annex (with_annex); annexes themselves left out."""
    people = [r for r in records if isinstance(r, PersonRecord)]
    annexes = annex_paths(people)
    by_path = {r.path: r for r in people if r.path in annexes}
    return [with_annex(r, by_path[f"private/{r.path}"]) if f"private/{r.path}" in by_path else r
            for r in people if r.path not in annexes]
