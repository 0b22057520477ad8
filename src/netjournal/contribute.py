"""What one note contributes to the model once its references are resolved: the facts it sets, the
collections it joins, the names it looked up and what resolving it found. A function of the record and of
the names the journal knows (`Names`, which `model.Journal` is)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Protocol

from .facts import Fact, Key
from .findings import Finding, Source
from .paths import PRIVATE_FOLDER
from .records import (
    CommentRecord,
    GoalRecord,
    InteractionRecord,
    PersonRecord,
    Record,
    Ref,
    StakeholderPlan,
    share,
    with_annex,
)
from .resolved import FollowUp, LinkTarget, done_order, follow_up_order, name_key
from .tasks import find_wikilinks


class Contribution:
    """What one note adds to the model once resolved."""

    __slots__ = ("owned", "members", "lookups", "findings", "unknown", "absent", "filed")

    def __init__(self) -> None:
        self.owned: dict[Fact, Any] = {}  # facts only this note sets
        self.members: list[tuple[Key, Any]] = []  # (collection, member) it adds
        self.lookups: set[str] = set()  # the name keys its references were looked up by
        self.findings: list[Finding] = []
        self.unknown: list[tuple[str, str, Source]] = []  # references naming nobody: (what, text, where)
        # entries aimed at someone not in the interaction: (what, text, their id, where); the finding names
        # them as they are named when it is read
        self.absent: list[tuple[str, str, str, Source]] = []
        self.filed = False  # an interaction with someone known (it is in the journal)


class Contributed:
    """A Contribution as the model keeps it until its note changes (100,000 of them at L): tuples, the empty
    ones shared, where one being made has lists and a set (a set takes 216 bytes, an empty list 56)."""

    __slots__ = ("owned", "collections", "joined", "lookups", "findings", "unknown", "absent", "filed")

    def __init__(self, made: Contribution) -> None:
        self.owned = tuple(made.owned.items())  # (fact, value) pairs: a dict of one takes 120 bytes more
        # the collections and what joined each, apart: a note's members share their collections (one
        # `("history", "ada")` for all the notes with Ada) and most often one member (its place)
        self.collections = tuple(share(key) for key, _ in made.members)
        self.joined = tuple(member for _, member in made.members)
        self.lookups = tuple(made.lookups)
        self.findings = tuple(made.findings)
        self.unknown = tuple(made.unknown)
        self.absent = tuple(made.absent)
        self.filed = made.filed

    @property
    def members(self) -> tuple[tuple[Key, Any], ...]:
        """(collection, member) it adds."""
        return tuple(zip(self.collections, self.joined, strict=True))


#: A note that claims an id of its kind (a comment has none)
Claimant = PersonRecord | GoalRecord | InteractionRecord


class Names(Protocol):
    """What a note's references are resolved by; each name key looked up is added to LOOKUPS."""

    def resolve_person_noting(self, text: str, lookups: set[str]) -> tuple[str, ...]: ...

    def resolve_target_noting(self, text: str, lookups: set[str]) -> LinkTarget | None: ...

    def named(self, key: str, kind: str, lookups: set[str]) -> list[str]: ...

    def claims(self, record: Claimant) -> tuple[str, ...]:
        """The paths of the notes that claim RECORD's id (`claim`), in order: the first counts."""
        ...

    def record_at(self, path: str) -> Record | None: ...


def _resolve_ref(names: Names, ref: Ref, what: str, path: str, made: Contribution) -> str | None:
    found = names.resolve_person_noting(ref.text, made.lookups)
    if len(found) == 1:
        return found[0]
    if found:
        made.findings.append(Finding("ambiguous-person", f"{what} {ref.text!r} could mean "
                                     f"{', '.join(sorted(found))}; use the id", Source(path, ref.line)))
    else:
        made.unknown.append((what, ref.text, Source(path, ref.line)))
    return None


def _link_targets(names: Names, note: Record, made: Contribution, quiet: tuple[Ref, ...] = (),
                  writers: tuple[str, ...] = ()) -> None:
    """What each [[wikilink]] of NOTE names (unresolved ones are findings), and of QUIET, links of
    another note (a private annex's) whose text NOTE shows, reported at that note's own path. A link to a
    person ties each of WRITERS (the note's person, an interaction's people) to them: the note joins
    ("mentioning", pid) of each, so that a person's mentions are found among their own notes' only."""
    targets: dict[str, LinkTarget] = {}
    for ref in (*note.body_links, *quiet):
        if ref.text in targets:
            continue
        target = names.resolve_target_noting(ref.text, made.lookups)
        if target is not None:
            targets[ref.text] = target
            continue
        several = names.resolve_person_noting(ref.text, made.lookups)
        why = (f"could mean {', '.join(sorted(several))}; link by id" if len(several) > 1
               else "names no person, goal or interaction")
        if ref in note.body_links:
            made.findings.append(Finding("unresolved-link", f"[[{ref.text}]] {why}", Source(note.path, ref.line)))
    if targets:
        made.owned[("links", note.path)] = targets
        if isinstance(note, InteractionRecord):  # what a note led to: the later interactions linking it
            place = (note.date, note.path, note.id)
            made.members += [(("linked by", t.kind, t.id), place) for t in dict.fromkeys(targets.values())]
        named = {t.id for t in targets.values() if t.kind == "person"}
        if writers and named:
            made.members += [(("mentioning", pid), note.path) for pid in sorted({*writers, *named})]


def contribute(record: Record, names: Names) -> Contribution:
    """What RECORD contributes, its references resolved by NAMES."""
    made = Contribution()
    if isinstance(record, InteractionRecord):
        if _active(names, record, made):
            _interaction(names, record, made)
    elif isinstance(record, PersonRecord):
        candidates = names.claims(record)
        if record.path == PRIVATE_FOLDER + "/" + candidates[0]:
            # a private annex: its person's page shows its text
            _link_targets(names, record, made, writers=(record.id,))
        elif _active(names, record, made):
            annex = names.record_at(PRIVATE_FOLDER + "/" + record.path)
            if isinstance(annex, PersonRecord) and annex.path in candidates:
                _person(names, with_annex(record, annex), made, annex.body_links)
            else:
                _person(names, record, made)
    elif isinstance(record, GoalRecord):
        if _active(names, record, made):
            _goal(names, record, made)
    else:
        _comment(names, record, made)
    return made


def claim(record: Claimant) -> tuple[str, str]:
    """(kind, id key) of the id RECORD claims: notes whose claims are equal are duplicates, the first by
    path counts (a person's id is compared as names are, the others exactly)."""
    if isinstance(record, PersonRecord):
        return "person", name_key(record.id)
    return ("goal" if isinstance(record, GoalRecord) else "interaction"), record.id


def _active(names: Names, record: Claimant, made: Contribution) -> bool:
    """Is RECORD the note its id counts for (the first by path)? Else a duplicate-id finding."""
    first = names.claims(record)[0]
    if first == record.path:
        return True
    made.findings.append(Finding("duplicate-id", f"{claim(record)[0]} id {record.id!r} is already used by {first}; "
                                 "this note is ignored", Source(record.path, 1)))
    return False


def _person(names: Names, person: PersonRecord, made: Contribution, annex_links: tuple[Ref, ...] = ()) -> None:
    pid = person.id
    made.owned[("person", pid)] = person
    made.owned[("name", pid)] = (person.name, person.private)
    members = made.members
    members.append((("people",), (person.path, pid)))
    order = (person.name.casefold(), pid, person.path)  # the path: no two notes add one member
    members += [(("tag", tag), order) for tag in person.tags]
    if person.introduced_by is not None:
        who = _resolve_ref(names, person.introduced_by, "introduced_by", person.path, made)
        if who is not None and who != pid:
            made.owned[("introducer", pid)] = who
            members.append((("introduced", who), order))
    _link_targets(names, person, made, annex_links, writers=(pid,))


def _goal(names: Names, goal: GoalRecord, made: Contribution) -> None:
    ids: list[str] = []
    found: dict[Ref, str] = {}
    for ref in goal.stakeholder_refs:
        who = _resolve_ref(names, ref, "stakeholder", goal.path, made)
        if who is not None:
            found[ref] = who
            if who not in ids:
                ids.append(who)
    plans: dict[str, StakeholderPlan] = {}
    for plan in goal.plans:  # a person mapped twice: the first entry counts
        who = found.get(plan.who)
        if who is not None:
            plans.setdefault(who, plan)
    made.owned[("goal", goal.id)] = (goal, tuple(ids), tuple(plans.items()))
    place = (goal.path, goal.id)
    made.members += [(("goals",), place), *((("goals-of", pid), place) for pid in ids)]
    if goal.follow_ups:
        items = []
        for item in goal.follow_ups:
            named = _named_in(names, item.what, made.lookups)
            items.append(FollowUp(item.what, item.due, item.done, Source(goal.path, item.line), "", named,
                                  goal.private, None, named, goal.id))
        made.owned[("goal-follow-ups", goal.id)] = tuple(items)
        _follow_up_members(tuple(items), dt.date.max, goal.path, made)  # after every interaction's
    _link_targets(names, goal, made)


def _interaction(names: Names, interaction: InteractionRecord, made: Contribution) -> None:
    ids: list[str] = []
    for ref in interaction.with_refs:
        who = _resolve_ref(names, ref, "with:", interaction.path, made)
        if who is not None and who not in ids:
            ids.append(who)
    if not ids:
        return  # nobody known to file it under; the findings say why
    for aim in interaction.aims:  # whom a give, ask or receipt names must have been there
        for ref in aim.refs:
            who = _resolve_ref(names, ref, f"{aim.kind}:", interaction.path, made)
            if who is not None and who not in ids:
                made.absent.append((f"{aim.kind}:", ref.text, who, Source(interaction.path, ref.line)))
    made.filed = True
    iid, date, path = interaction.id, interaction.date, interaction.path
    participants = tuple(ids)
    made.owned[("interaction", iid)] = (interaction, participants)
    place = (date, path, iid)
    members = made.members
    members.append((("month", date.year, date.month), place))
    members += [(("history", pid), place) for pid in ids]
    if interaction.follow_ups:
        items = tuple(FollowUp(item.what, item.due, item.done, Source(path, item.line), iid, participants,
                               interaction.private, date, _named_in(names, item.what, made.lookups))
                      for item in interaction.follow_ups)
        made.owned[("follow-ups-of", iid)] = items
        _follow_up_members(items, date, path, made)
    if interaction.body_links:
        _link_targets(names, interaction, made, writers=participants)


def _follow_up_members(items: tuple[FollowUp, ...], date: dt.date, path: str, made: Contribution) -> None:
    """ITEMS join every follow-up, and the open ones the open ones, everyone's and each person's; the done
    ones the done ones (in done_order; of two alike, the later in the note first, so that the newest first
    lists them in the note's order)."""
    members = made.members
    for index, item in enumerate(items):
        members.append((("follow-ups",), (date, path, index, item)))
        if not item.done:
            order = (follow_up_order(item), index, item)
            members.append((("open",), order))
            members += [(("open", pid), order) for pid in item.concerns]
        else:
            members.append((("done",), (done_order(item), -index, item)))


def _named_in(names: Names, text: str, lookups: set[str]) -> tuple[str, ...]:
    """The people TEXT names: its [[wikilinks]] to a person, and the capitalised words (one to three in
    a row) that are a person's name, alias or first name, when they name one person only. Every name
    looked up is a lookup of the note's, so a person renamed resolves the text again."""
    found: list[str] = []
    if "[[" in text:
        for link in find_wikilinks(text, 1):
            people = names.resolve_person_noting(link.target, lookups)
            if len(people) == 1:
                found.append(people[0])
    words = [_possessive(w) for w in _WORD.findall(_WIKILINK_TEXT.sub(" ", text))]
    start = 0
    while start < len(words):
        if not words[start][:1].isupper():
            start += 1
            continue
        for length in (3, 2, 1):  # the longest name first: "Ada Lovelace" before "Ada"
            phrase = words[start:start + length]
            if len(phrase) < length or not all(w[:1].isupper() for w in phrase):
                continue
            key = name_key(" ".join(phrase))
            matches = names.named(key, "person", lookups) or names.named(key, "first", lookups)
            if len(matches) == 1:
                found.append(matches[0])
                start += length - 1
                break
        start += 1
    return tuple(dict.fromkeys(found))


def _comment(names: Names, comment: CommentRecord, made: Contribution) -> None:
    target = names.resolve_target_noting(comment.about.text, made.lookups)
    if target is None:
        made.findings.append(Finding("unknown-person", f"about: {comment.about.text!r} names no person, "
                                     "goal or interaction", Source(comment.path, comment.about.line)))
    else:
        order = (comment.date, comment.path)
        made.members += [(("comments",), (*order, comment, target)),
                         (("comments", target.kind, target.id), (*order, comment))]
    _link_targets(names, comment, made)


#: A word of a task's text, as names are written (`Spärck-Holm`, `O'Neil`); and a wikilink, read on its own
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_WIKILINK_TEXT = re.compile(r"\[\[[^\]]*\]\]")


def _possessive(word: str) -> str:
    """`Raj's` -> `Raj`: a name with a possessive ending is the name."""
    return word[:-2] if word.endswith(("'s", "’s")) else word
