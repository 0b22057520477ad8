"""The model: records with their references resolved across notes (people by id, name, alias, wikilink).

`build_journal(records)` returns a `Journal` and the findings of resolution (unknown or ambiguous people,
duplicate ids). Everything later (checks, views, exports) reads the Journal, never the files.
"""
from __future__ import annotations

import bisect
import datetime as dt
import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Iterable

from .findings import Finding, Source
from .records import CommentRecord, GoalRecord, InteractionRecord, PersonRecord, Record, Ref

Person = PersonRecord
Interaction = InteractionRecord
Goal = GoalRecord
Comment = CommentRecord


@dataclass(frozen=True)
class FollowUp:
    """Something promised in an interaction, from its `follow_ups:` or a `- [ ]` task in its body."""

    what: str
    due: dt.date | None
    done: bool
    source: Source
    interaction: str  # interaction id
    people: tuple[str, ...]
    private: bool
    promised_on: dt.date  # the interaction's date


@dataclass(frozen=True)
class LinkTarget:
    kind: str  # "person", "goal" or "interaction"
    id: str


def slugify(text: str) -> str:
    """`Radia Spärck Jones` -> `radia-spärck-jones`: lower case, letters and digits kept, the rest dashes."""
    text = unicodedata.normalize("NFC", text).casefold()
    kept = "".join(c if c.isalnum() else "-" for c in text)
    return "-".join(part for part in kept.split("-") if part)


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


@dataclass
class Journal:
    """Everything the notes say, resolved. Collections are sorted so output is deterministic."""

    people: dict[str, Person] = field(default_factory=dict)
    interactions: list[Interaction] = field(default_factory=list)  # by date, then path
    goals: dict[str, Goal] = field(default_factory=dict)
    participants: dict[str, tuple[str, ...]] = field(default_factory=dict)  # interaction id -> person ids
    stakeholders: dict[str, tuple[str, ...]] = field(default_factory=dict)  # goal id -> person ids
    introducer: dict[str, str] = field(default_factory=dict)  # person id -> who introduced them
    introduced: dict[str, list[str]] = field(default_factory=dict)  # person id -> whom they introduced
    follow_ups: list[FollowUp] = field(default_factory=list)  # in the order of their interactions
    by_person: dict[str, list[Interaction]] = field(default_factory=dict)  # oldest first
    links: dict[str, dict[str, LinkTarget]] = field(default_factory=dict)  # note path -> link text -> target
    comments: list[tuple[Comment, LinkTarget]] = field(default_factory=list)  # oldest first
    # a private annex's path (private/people/<the person's path>) -> the id of the person it is merged into
    annexes: dict[str, str] = field(default_factory=dict)
    # the keys of the link texts and comments' `about:` that were looked up among the interactions (they
    # named no person or goal): adding or removing an interaction of such a key can change what they name
    interaction_link_keys: frozenset[str] = frozenset()
    _person_keys: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _ids: dict[str, str] = field(default_factory=dict, repr=False)
    _resolved: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    # what close_people searches: each person's id, name, aliases and name words, folded -> (as written, id),
    # and the three-letter pieces of those spellings -> the spellings with that piece
    _spellings: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False, compare=False)
    _pieces: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)
    # what later stages compute from this journal and look up again (a journal is not changed once built)
    derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def resolve_person(self, text: str) -> tuple[str, ...]:
        """Ids of the people TEXT may mean: an id match wins; else names and aliases (case-insensitive)."""
        found = self._resolved.get(text)
        if found is None:
            found = self._resolved[text] = self._resolve_person(text)
        return found

    def _resolve_person(self, text: str) -> tuple[str, ...]:
        key = _key(text)
        if key.startswith("people/"):
            key = key[len("people/"):]
        if key.endswith(".md"):
            key = key[:-3]
        if key in self._ids:
            return (self._ids[key],)
        found = self._person_keys.get(key)
        if found:
            return found
        slug = slugify(text)
        if slug in self._ids:
            return (self._ids[slug],)
        return ()

    def close_people(self, text: str, count: int = 5) -> list[tuple[str, str]]:
        """The people spelled closest to TEXT, which names nobody, best first: (what matched, as written:
        an id, a name or an alias; their id), at most COUNT, none when nothing is close."""
        if not self._spellings and self.people:
            for pid, person in self.people.items():
                for written in (pid, person.name, *person.aliases):
                    self._spellings.setdefault(_key(written), (written, pid))
                for word in person.name.split():
                    self._spellings.setdefault(_key(word), (person.name, pid))
            for spelling in self._spellings:
                for piece in _pieces(spelling):
                    self._pieces.setdefault(piece, []).append(spelling)
        # difflib compares TEXT with the few spellings sharing the most pieces with it, not with all: at 2,000
        # people, 1,000 unknown names took 15 s compared with every spelling
        key = _key(text)
        shared: Counter[str] = Counter()
        for piece in _pieces(key):
            shared.update(self._pieces.get(piece, ()))
        likely = [spelling for spelling, _ in shared.most_common(_LIKELY)]
        return [self._spellings[match] for match in difflib.get_close_matches(key, likely, n=count, cutoff=0.6)]

    def interaction_at(self, date: dt.date, path: str) -> Interaction | None:
        """The interaction of the note at PATH if it is dated DATE: found by bisection, not a scan."""
        where = bisect.bisect_left(self.interactions, (date, path), key=_in_order)
        if where < len(self.interactions) and _in_order(self.interactions[where]) == (date, path):
            return self.interactions[where]
        return None

    def follow_ups_of(self, interaction: Interaction) -> list[FollowUp]:
        """INTERACTION's follow-ups, in their order: found by bisection, not a scan."""
        start, end = _follow_ups_span(self.follow_ups, interaction)
        return self.follow_ups[start:end]

    def named_by(self, interaction: Interaction) -> dict[tuple[str, int], tuple[str, ...]]:
        """Whom the entries of INTERACTION's gave, asked and received that name people name, among its
        people: (kind, index) -> ids, in the interaction's order. An entry naming none of them is not
        here: it counts for everyone, as an entry naming nobody (resolving it made a finding)."""
        present = self.participants.get(interaction.id, ())
        named = {}
        for aim in interaction.aims:
            ids = {found[0] for ref in aim.refs if len(found := self.resolve_person(ref.text)) == 1}
            kept = tuple(pid for pid in present if pid in ids)
            if kept:
                named[aim.kind, aim.index] = kept
        return named

    def exchanges_of(self, interaction: Interaction, kind: str, person_id: str) -> tuple[str, ...]:
        """INTERACTION's entries of KIND (gave, asked or received) that concern PERSON_ID, one of its
        people: those naming nobody (everyone it was with), and those naming them (`named_by`)."""
        entries: tuple[str, ...] = getattr(interaction, kind)
        if not interaction.aims or not entries:
            return entries
        named = self.named_by(interaction)
        return tuple(entry for index, entry in enumerate(entries)
                     if person_id in named.get((kind, index), (person_id,)))

    def interactions_with(self, person_id: str) -> list[Interaction]:
        return self.by_person.get(person_id, [])

    def introduced_by(self, person_id: str) -> list[str]:
        """The people PERSON_ID introduced, by name."""
        return self.introduced.get(person_id, [])


_LIKELY = 24  # how many spellings close_people compares a text with


def _pieces(text: str) -> set[str]:
    """The three-letter pieces of TEXT, its ends marked, as spelling suggestions compare them."""
    padded = f" {text} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def build_journal(records: Iterable[Record]) -> tuple[Journal, list[Finding]]:
    """Records -> Journal, resolving every reference; problems become findings, never exceptions."""
    journal = Journal()
    findings: list[Finding] = []
    people: list[Person] = []
    interactions: list[Interaction] = []
    goals: list[Goal] = []
    comments: list[Comment] = []
    for record in records:
        if isinstance(record, PersonRecord):
            people.append(record)
        elif isinstance(record, InteractionRecord):
            interactions.append(record)
        elif isinstance(record, GoalRecord):
            goals.append(record)
        else:
            comments.append(record)

    seen_paths: dict[str, str] = {}
    annexes, annexed = annex_paths(people), []
    for person in sorted(people, key=lambda p: p.path):
        key = _key(person.id)
        if person.path in annexes and key in journal._ids:  # the shared note sorts first: people/ < private/
            shared = journal.people[journal._ids[key]]
            journal.people[shared.id] = with_annex(shared, person)
            journal.annexes[person.path] = shared.id
            annexed.append(person)
            continue
        if key in journal._ids:
            findings.append(Finding("duplicate-id", f"person id {person.id!r} is already used by "
                                    f"{seen_paths[key]}; this note is ignored", Source(person.path, 1)))
            continue
        seen_paths[key] = person.path
        journal._ids[key] = person.id
        journal.people[person.id] = person
    names: dict[str, list[str]] = {}
    for person in journal.people.values():
        for text in (person.name, *person.aliases):
            bucket = names.setdefault(_key(text), [])
            if person.id not in bucket:
                bucket.append(person.id)
    journal._person_keys = {k: tuple(v) for k, v in names.items()}

    for person in journal.people.values():
        if person.introduced_by is not None:
            who = _resolve_ref(journal, person.introduced_by, person.path, "introduced_by", findings)
            if who is not None and who != person.id:
                journal.introducer[person.id] = who
                journal.introduced.setdefault(who, []).append(person.id)
    for ids in journal.introduced.values():  # built once: every person page asks
        ids.sort(key=lambda pid: (journal.people[pid].name.casefold(), pid))

    by_person: dict[str, list[Interaction]] = {pid: [] for pid in journal.people}
    for interaction in sorted(interactions, key=_in_order):
        ids = _participants_of(journal, interaction, findings)
        if not ids:
            continue  # nobody known to file it under; the findings say why
        journal.interactions.append(interaction)
        journal.participants[interaction.id] = ids
        for pid in ids:
            by_person[pid].append(interaction)
        journal.follow_ups.extend(_follow_ups_of(interaction, ids))
    journal.by_person = by_person

    goal_paths: dict[str, str] = {}
    for goal in sorted(goals, key=lambda g: g.path):
        if goal.id in journal.goals:
            findings.append(Finding("duplicate-id", f"goal id {goal.id!r} is already used by "
                                    f"{goal_paths[goal.id]}; this note is ignored", Source(goal.path, 1)))
            continue
        goal_paths[goal.id] = goal.path
        journal.goals[goal.id] = goal
        ids = []
        for ref in goal.stakeholder_refs:
            who = _resolve_ref(journal, ref, goal.path, "stakeholder", findings)
            if who is not None and who not in ids:
                ids.append(who)
        journal.stakeholders[goal.id] = tuple(ids)

    findings.extend(_resolve_body_links(journal, comments, annexed))
    return journal, findings


def annex_paths(records: Iterable[Record]) -> set[str]:
    """The paths of RECORDS that are private annexes: a person's note under private/ at the path of a
    shared person's note (`private/people/ada.md` beside `people/ada.md`)."""
    people = [r for r in records if isinstance(r, PersonRecord)]
    shared = {r.path for r in people if not r.path.startswith("private/")}
    return {r.path for r in people if r.path.startswith("private/") and r.path[len("private/"):] in shared}


#: The fields of a person that their private annex fills where the shared note leaves them empty
ANNEX_FILLS = ("org", "role", "email", "phone", "links", "location", "met", "snooze_until")


def with_annex(person: Person, annex: Person) -> Person:
    """PERSON as the owner sees them with their private ANNEX: its body appended as a private passage, and
    the fields of ANNEX_FILLS that PERSON leaves empty filled from it (the shared note's win)."""
    filled = {name: getattr(annex, name) for name in ANNEX_FILLS
              if not getattr(person, name) and getattr(annex, name)}
    body = person.body
    if annex.body.strip():
        body = f"{body.rstrip()}\n\n<!-- private -->\n{annex.body.strip()}\n<!-- /private -->\n".lstrip()
    return replace(person, body=body, **filled)


def _in_order(interaction: Interaction) -> tuple[dt.date, str]:
    """The order of a journal's interactions (and of its follow-ups): by date, then path."""
    return interaction.date, interaction.path


def _resolve_ref(journal: Journal, ref: Ref, path: str, what: str, findings: list[Finding]) -> str | None:
    """The id of the one person REF names, else None and a finding (at PATH, about WHAT names them)."""
    found = journal.resolve_person(ref.text)
    if len(found) == 1:
        return found[0]
    if found:
        findings.append(Finding("ambiguous-person", f"{what} {ref.text!r} could mean "
                                f"{', '.join(sorted(found))}; use the id", Source(path, ref.line)))
    else:
        findings.append(Finding("unknown-person", f"{what} {ref.text!r} is not in people/{_did_you_mean(journal, ref.text)}",
                                Source(path, ref.line)))
    return None


def _did_you_mean(journal: Journal, text: str) -> str:
    """`; did you mean priya-shah?` (or a name or alias, with its id) for a reference TEXT that names
    nobody, when someone is spelled close to it; else ''."""
    close = journal.close_people(text, 1)
    if not close:
        return ""
    written, pid = close[0]
    return f"; did you mean {written if written == pid else f'{written} ({pid})'}?"


def _participants_of(journal: Journal, interaction: Interaction, findings: list[Finding]) -> tuple[str, ...]:
    """The ids of INTERACTION's people; the problems of its references (theirs, and those of the people
    its gives, asks and receipts name, who must be among them) go to FINDINGS."""
    ids: list[str] = []
    for ref in interaction.with_refs:
        who = _resolve_ref(journal, ref, interaction.path, "with:", findings)
        if who is not None and who not in ids:
            ids.append(who)
    for aim in interaction.aims:
        for ref in aim.refs:
            who = _resolve_ref(journal, ref, interaction.path, f"{aim.kind}:", findings)
            if who is not None and who not in ids:
                findings.append(Finding(
                    "invalid-value", f"{aim.kind}: {ref.text!r} ({journal.people[who].name}) was not there (with:); "
                    "the entry counts for everyone who was", Source(interaction.path, ref.line)))
    return tuple(ids)


def _follow_ups_of(interaction: Interaction, ids: tuple[str, ...]) -> list[FollowUp]:
    return [FollowUp(item.what, item.due, item.done, Source(interaction.path, item.line), interaction.id, ids,
                     interaction.private, interaction.date) for item in interaction.follow_ups]


def with_bodies_replaced(journal: Journal, edited: list[Person | Interaction | Goal]) -> Journal:
    """JOURNAL with each record of EDITED in place of the one of its path, which it `differs only in
    body` from: a new Journal sharing everything else, since everything else resolves as it did. What
    later stages derived from JOURNAL is shared too: nothing is derived from a body but its HTML. A record
    that is not in JOURNAL (a duplicate id, an interaction with nobody known) stays out."""
    by_path = {i.path: i for i in edited}
    interactions = list(journal.interactions)
    by_person = dict(journal.by_person)
    people, goals = dict(journal.people), dict(journal.goals)
    for record in edited:
        if isinstance(record, PersonRecord):
            if record.id in people and people[record.id].path == record.path:
                people[record.id] = record
        elif isinstance(record, GoalRecord):
            if record.id in goals and goals[record.id].path == record.path:
                goals[record.id] = record
        elif record.id in journal.participants:
            # the list is sorted by (date, path), and an edit of the body moves neither
            where = bisect.bisect_left(interactions, _in_order(record), key=_in_order)
            assert interactions[where].path == record.path, "the journal's interactions are out of order"
            interactions[where] = record
            for pid in journal.participants[record.id]:
                by_person[pid] = [by_path.get(i.path, i) for i in by_person[pid]]
    return replace(journal, people=people, interactions=interactions, goals=goals, by_person=by_person,
                   derived=dict(journal.derived))


def with_interactions_edited(journal: Journal, edits: list[tuple[Interaction | None, Interaction | None]]
                             ) -> tuple[Journal, list[Finding], list[Finding]] | None:
    """JOURNAL after interaction notes were edited, added or removed, front matter and all: EDITS are
    (old, new) records of one note, OLD in JOURNAL (None: the note is new), NEW keeping OLD's id (None:
    the note is gone). Each NEW is resolved as build_journal would resolve it, against people and goals
    that have not changed, and put where OLD was, or where its date now puts it: in the interactions, its
    people's histories, the follow-ups and the links. Returns the new Journal, sharing everything else
    (but `derived`, if an interaction came, went or changed its date), with the resolution findings of
    the old versions and of the new ones (the caller swaps them); None for any other edit: one that
    leaves or joins the journal by its people (nobody known to file it under), or adds or removes an
    interaction another note's link or comment may name. Then build the journal anew."""
    interactions = list(journal.interactions)
    participants, links = dict(journal.participants), dict(journal.links)
    by_person = dict(journal.by_person)
    follow_ups = journal.follow_ups
    old_findings: list[Finding] = []
    new_findings: list[Finding] = []
    for old, new in edits:
        note = old or new
        if note is None or (old is not None and new is not None and (old.id, old.path) != (new.id, new.path)):
            return None
        if (old is None) == (note.id in participants):
            return None  # an id new to the journal is already there, or the note was not in it
        moved = old is None or new is None or old.date != new.date
        if moved and interaction_keys(note) & journal.interaction_link_keys:
            return None  # a link or comment names an interaction of its key: the first by date is what it names
        old_ids: tuple[str, ...] = ()
        if old is not None:
            where = bisect.bisect_left(interactions, _in_order(old), key=_in_order)
            if where == len(interactions) or interactions[where] is not old:
                return None  # not this journal's record
            old_ids = _participants_of(journal, old, old_findings)
            del interactions[where]
            del participants[old.id]
            for pid in old_ids:
                by_person[pid] = [i for i in by_person[pid] if i is not old]
            if old.follow_ups:
                follow_ups = _follow_ups_replaced(follow_ups, old, None, ())
        if new is not None:
            ids = _participants_of(journal, new, new_findings)
            if not ids:
                return None
            interactions.insert(bisect.bisect_left(interactions, _in_order(new), key=_in_order), new)
            participants[new.id] = ids
            for pid in ids:
                history = by_person[pid] = list(by_person[pid])
                history.insert(bisect.bisect_left(history, _in_order(new), key=_in_order), new)
            if new.follow_ups:
                follow_ups = _follow_ups_replaced(follow_ups, None, new, ids)
    same_places = all(old is not None and new is not None and old.date == new.date for old, new in edits)
    patched = replace(journal, interactions=interactions, participants=participants, by_person=by_person,
                      follow_ups=follow_ups, links=links, derived=dict(journal.derived) if same_places else {})
    _relink(journal, patched, edits, old_findings, new_findings)  # a new note may link to itself
    return patched, old_findings, new_findings


def _relink(journal: Journal, patched: Journal, edits: list[tuple[Record | None, Record | None]],
            old_findings: list[Finding], new_findings: list[Finding]) -> None:
    """PATCHED (JOURNAL with EDITS, (old, new) records of notes, either None; its `links` its own copy)
    with the new notes' wikilinks resolved against it, in place of the old ones'; the old ones' findings
    found against JOURNAL. Its interaction_link_keys grow by the keys the new links looked up."""
    resolve, resolve_before = TargetResolver(patched), TargetResolver(journal)
    for old, new in edits:
        if old is not None:
            patched.links.pop(old.path, None)
            if old.body_links:
                _link_targets(old, resolve_before, old_findings)
        if new is not None and new.body_links:
            patched.links[new.path] = _link_targets(new, resolve, new_findings)
    patched.interaction_link_keys = journal.interaction_link_keys | resolve.interaction_keys_asked


def with_person_edited(journal: Journal, old: Person, new: Person
                       ) -> tuple[Journal, list[Finding], list[Finding]] | None:
    """JOURNAL after the note of the person OLD (JOURNAL's) was edited in place, keeping all that other
    notes resolve them by or show of them (`person_identity`): NEW in OLD's place, its wikilinks resolved
    anew, everything else shared (histories hold interactions, not people). Returns the new Journal with
    the resolution findings of OLD and of NEW (the caller swaps them); None for any other person edit."""
    if journal.people.get(old.id) is not old or person_identity(old) != person_identity(new):
        return None
    old_findings: list[Finding] = []
    new_findings: list[Finding] = []
    for record, findings in ((old, old_findings), (new, new_findings)):
        if record.introduced_by is not None:  # resolves to whom it did: only the finding's line can move
            _resolve_ref(journal, record.introduced_by, record.path, "introduced_by", findings)
    people = dict(journal.people)
    people[new.id] = new
    patched = replace(journal, people=people, links=dict(journal.links), derived=dict(journal.derived))
    _relink(journal, patched, [(old, new)], old_findings, new_findings)
    return patched, old_findings, new_findings


def person_identity(person: Person) -> tuple:
    """What other notes resolve a person by, and what pages other than their own, the people index, their
    tags' and their goals' show of them: an edit keeping it changes only those pages."""
    introducer = person.introduced_by.text if person.introduced_by is not None else None
    return person.id, person.path, person.name, person.aliases, person.tags, person.private, introducer


def interaction_keys(interaction: Interaction) -> set[str]:
    """The keys a link or comment names INTERACTION by (see TargetResolver)."""
    return {_key(interaction.id.rsplit("/", 1)[-1]), _key(interaction.id)}


def people_of_edits(before: Journal, after: Journal, edits: list[tuple[Interaction | None, Interaction | None]]
                    ) -> set[str]:
    """The people whose histories EDITS change ((old, new) interactions, OLD in BEFORE and NEW in AFTER,
    as for with_interactions_edited): the people of either version."""
    people = set()
    for old, new in edits:
        if old is not None:
            people.update(before.participants[old.id])
        if new is not None:
            people.update(after.participants[new.id])
    return people


def _follow_ups_span(follow_ups: list[FollowUp], interaction: Interaction) -> tuple[int, int]:
    """Where INTERACTION's own are in FOLLOW_UPS (in the order of their interactions): (start, end)."""
    def order(item: FollowUp) -> tuple[dt.date, str]:
        return item.promised_on, item.source.path

    start = bisect.bisect_left(follow_ups, _in_order(interaction), key=order)
    return start, bisect.bisect_right(follow_ups, _in_order(interaction), lo=start, key=order)


def _follow_ups_replaced(follow_ups: list[FollowUp], old: Interaction | None, new: Interaction | None,
                         ids: tuple[str, ...]) -> list[FollowUp]:
    """FOLLOW_UPS (in the order of their interactions) without OLD's own and with NEW's (where NEW's date
    puts them), for NEW's people IDS; either may be None."""
    kept = follow_ups
    if old is not None:
        start, end = _follow_ups_span(follow_ups, old)
        kept = follow_ups[:start] + follow_ups[end:]
    if new is None:
        return kept
    start, _ = _follow_ups_span(kept, new)
    return kept[:start] + _follow_ups_of(new, ids) + kept[start:]


class TargetResolver:
    """Resolves link text to a person, a goal (id or title) or an interaction (id or file stem)."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.goal_keys: dict[str, str] = {}
        for goal in journal.goals.values():
            self.goal_keys.setdefault(_key(goal.id), goal.id)
            self.goal_keys.setdefault(_key(goal.title), goal.id)
        self._interaction_keys: dict[str, str] = {}  # built on first need: most links name people
        self.interaction_keys_asked: set[str] = set()  # see Journal.interaction_link_keys

    def _interaction(self, key: str) -> str | None:
        self.interaction_keys_asked.add(key)
        if not self._interaction_keys:
            for interaction in self.journal.interactions:
                self._interaction_keys.setdefault(_key(interaction.id.rsplit("/", 1)[-1]), interaction.id)
                self._interaction_keys.setdefault(_key(interaction.id), interaction.id)
        return self._interaction_keys.get(key)

    def __call__(self, text: str) -> LinkTarget | None:
        people = self.journal.resolve_person(text)
        if len(people) == 1:
            return LinkTarget("person", people[0])
        key = re.sub(r"^(goals|interactions)/", "", _key(text)).removesuffix(".md")
        if key in self.goal_keys:
            return LinkTarget("goal", self.goal_keys[key])
        interaction = self._interaction(key)
        return LinkTarget("interaction", interaction) if interaction else None


def _link_targets(note: Record, resolve: TargetResolver, findings: list[Finding]) -> dict[str, LinkTarget]:
    """What each body [[wikilink]] of NOTE names; unresolved ones are info findings."""
    targets: dict[str, LinkTarget] = {}
    for ref in note.body_links:
        if ref.text in targets:
            continue
        target = resolve(ref.text)
        if target is not None:
            targets[ref.text] = target
        else:
            several = resolve.journal.resolve_person(ref.text)
            why = (f"could mean {', '.join(sorted(several))}; link by id" if len(several) > 1
                   else "names no person, goal or interaction")
            findings.append(Finding("unresolved-link", f"[[{ref.text}]] {why}", Source(note.path, ref.line)))
    return targets


def _resolve_body_links(journal: Journal, comments: list[Comment], annexed: Iterable[Person] = ()) -> list[Finding]:
    """Map every body [[wikilink]] to a person, goal or interaction; unresolved ones are info findings.
    Comments are attached to what their `about` names. The links of a private annex (ANNEXED) are also
    the links of the person it is merged into, whose body holds its text."""
    findings: list[Finding] = []
    resolve = TargetResolver(journal)
    notes: list[Record] = [*journal.people.values(), *journal.interactions, *journal.goals.values(), *comments,
                           *annexed]
    for note in notes:
        if note.body_links:
            journal.links[note.path] = _link_targets(note, resolve, findings)
    for annex in annexed:
        if annex.path in journal.links:
            shared = journal.people[journal.annexes[annex.path]].path
            journal.links[shared] = {**journal.links[annex.path], **journal.links.get(shared, {})}
    for comment in sorted(comments, key=lambda c: (c.date, c.path)):
        target = resolve(comment.about.text)
        if target is None:
            findings.append(Finding("unknown-person", f"about: {comment.about.text!r} names no person, goal or "
                                    "interaction", Source(comment.path, comment.about.line)))
        else:
            journal.comments.append((comment, target))
    journal.interaction_link_keys = frozenset(resolve.interaction_keys_asked)
    return findings
