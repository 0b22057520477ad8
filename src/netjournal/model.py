"""The model: records with their references resolved across notes, kept up to date note by note.

A `Journal` is an index of what each note contributes once its references are resolved: a person's
record and name, an interaction's participants and its place in each participant's history, a goal's
stakeholders, what each [[wikilink]] names. `apply(changes)` takes back what the old version of each
changed note contributed and adds what the new one does; notes whose references the change may resolve
differently (a person renamed, a goal added) are resolved again. It returns the keys of the facts that
changed, which is all the build engine needs to know (derive.py). There is one way to build the model:
a cold build is `apply` of every note to an empty Journal (`build_journal`). What a note contributes is
contribute.py's; the store of facts and collections, with the keys of what changed, is facts.py's.

Readers use the accessors below. Each reports the facts it reads to `reads` when a build engine sets it,
so that whatever is made from the model knows what it was made from.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, cast

from .contribute import Claimant, Contributed, claim, contribute
from .facts import Facts, Key
from .findings import Finding, Source
from .naming import NameIndex, interaction_names, names_of
from .records import (
    CommentRecord,
    GoalRecord,
    InteractionRecord,
    PersonRecord,
    Record,
    StakeholderPlan,
)
from .resolved import FollowUp, LinkTarget, follow_up_order, name_key, slugify

__all__ = ["Comment", "FollowUp", "Goal", "Interaction", "Journal", "LinkTarget", "Person", "build_journal",
           "follow_up_order", "slugify"]

Person = PersonRecord
Interaction = InteractionRecord
Goal = GoalRecord
Comment = CommentRecord


class _View(Mapping):
    """A read-only mapping of the journal's facts of one kind, reporting what is read."""

    def __init__(self, journal: Journal, kind: str, everything: Key, pick: int | None = None,
                 order: Callable[[], Iterable[str]] | None = None) -> None:
        self._journal, self._kind, self._everything, self._pick, self._order = journal, kind, everything, pick, order
        self._data: dict = journal._tables.setdefault(kind, {})

    def __getitem__(self, key: str) -> Any:
        self._journal._read((self._kind, key))
        value = self._data[key]
        return value if self._pick is None else value[self._pick]

    def __contains__(self, key: object) -> bool:
        self._journal._read((self._kind, key))
        return key in self._data

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self else default

    def __iter__(self) -> Iterator[str]:
        self._journal._read(self._everything)
        return iter(self._order() if self._order is not None else list(self._data))

    def __len__(self) -> int:
        self._journal._read(self._everything)
        return len(self._data)


class Journal:
    """Everything the notes say, resolved. Lists come sorted, so output is deterministic."""

    def __init__(self) -> None:
        self.reads: Callable[[Key], None] | None = None  # set by a build engine that records reads
        self._records: dict[str, Record] = {}  # path -> record, every note given
        # (kind, id key) -> paths, sorted; the first counts (a tuple: a list of one takes 32 bytes more)
        self._candidates: dict[tuple[str, str], tuple[str, ...]] = {}
        self._facts = Facts()
        # the store's tables, by their own names: the accessors below read them on every call
        self._tables, self._collections = self._facts.tables, self._facts.collections
        self._contributions: dict[str, Contributed] = {}
        self._troubled: set[str] = set()  # paths whose contribution has findings, unknown or absent references
        self._names = NameIndex()
        self._resolved: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}  # text -> (people, keys looked up)
        # people in the order of their notes' paths, goals too
        self.people: Mapping[str, Person] = _View(self, "person", ("people",),
                                                  order=lambda: [pid for _, pid in self._sorted(("people",))])
        self.goals: Mapping[str, Goal] = _View(self, "goal", ("goals",), pick=0,
                                               order=lambda: [gid for _, gid in self._sorted(("goals",))])
        self.stakeholders: Mapping[str, tuple[str, ...]] = _View(self, "goal", ("goals",), pick=1)
        # a goal's stakeholders written as map entries: (person id, their entry), in the goal's order
        self.plans: Mapping[str, tuple[tuple[str, StakeholderPlan], ...]] = _View(self, "goal", ("goals",), pick=2)
        self.participants: Mapping[str, tuple[str, ...]] = _View(self, "interaction", ("interactions",), pick=1)
        self.introducer: Mapping[str, str] = _View(self, "introducer", ("people", "*"))
        self.links: Mapping[str, dict[str, LinkTarget]] = _View(self, "links", ("links", "*"))
        # the follow-ups of an interaction, and the tasks of a goal, by its id
        self.follow_ups_of: Mapping[str, tuple[FollowUp, ...]] = _View(self, "follow-ups-of", ("follow-ups",))
        self.goal_tasks: Mapping[str, tuple[FollowUp, ...]] = _View(self, "goal-follow-ups", ("follow-ups",))
        self._interactions: dict[str, Any] = self._tables.setdefault("interaction", {})
        self._first_seen: dict[str, dt.date] = {}  # note path -> the day it first appeared (set_first_seen)

    # --- reading ------------------------------------------------------------------------------------------

    def has_notes(self) -> bool:
        return bool(self._records)

    def first_seen(self, path: str) -> dt.date | None:
        """The day the note at PATH first appeared (in git's history, else its file's date), if known. Not
        something a note says: whoever builds the journal gives these dates (`set_first_seen`)."""
        self._read(("first seen", path))
        return self._first_seen.get(path)

    def set_first_seen(self, dates: Mapping[str, dt.date]) -> set[Key]:
        """Take the first-seen dates of the notes (path -> day); the keys of those that changed."""
        old = self._first_seen
        changed: set[Key] = {("first seen", path) for path in old.keys() | dates.keys()
                             if old.get(path) != dates.get(path)}
        self._first_seen = dict(dates)
        return changed

    def _read(self, key: Key) -> None:
        if self.reads is not None:
            self.reads(key)

    def _members(self, key: Key) -> list:
        self._read(key)
        return self._sorted(key)

    def _sorted(self, key: Key) -> list:
        collection = self._collections.get(key)
        return collection.sorted() if collection is not None else []

    @property
    def interactions(self) -> list[Interaction]:
        """Every interaction with someone known, by date then path."""
        self._read(("interactions", "*"))
        table = self._interactions
        return [table[iid][0] for _, _, iid in self.interaction_ids()]

    def interaction_ids(self) -> list[tuple[dt.date, str, str]]:
        """(date, path, id) of every interaction, in order: who is in which is not read."""
        self._read(("interactions",))
        return [place for key in self._month_keys() for place in self._collections[key].sorted()]

    def _month_keys(self) -> list[tuple[str, int, int]]:
        # a month's collection is ("month", year, month) (see contribute._interaction); cast, not a check per key
        return cast("list[tuple[str, int, int]]", sorted(self._facts.existing["month"]))

    def interactions_between(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str, str]]:
        """(date, path, id) of the interactions dated START to END, in order: only their months are read."""
        self._read(("months",))
        first, last = (start.year, start.month), (end.year, end.month)
        return [place for key in self._month_keys() if first <= key[1:] <= last
                for place in self._members(key) if start <= place[0] <= end]

    def latest_interactions(self, end: dt.date, count: int) -> list[tuple[dt.date, str, str]]:
        """(date, path, id) of the COUNT last interactions dated END or before, the latest first."""
        self._read(("interactions",))
        found: list[tuple[dt.date, str, str]] = []
        for key in reversed(self._month_keys()):
            if key[1:] > (end.year, end.month):
                continue
            found += [place for place in reversed(self._sorted(key)) if place[0] <= end][:count - len(found)]
            if len(found) == count:
                break
        return found

    def interactions_total(self) -> int:
        """How many interactions there are (which they are is not read)."""
        self._read(("interactions",))
        return sum(len(self._collections[key].members) for key in self._month_keys())

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month with an interaction, in order."""
        self._read(("months",))
        return [(key[1], key[2]) for key in self._month_keys()]

    def interactions_in(self, year: int, month: int) -> list[tuple[dt.date, str, str]]:
        """(date, path, id) of the interactions of a month, in order."""
        return self._members(("month", year, month))

    def interaction(self, iid: str) -> Interaction:
        self._read(("interaction", iid))
        return self._interactions[iid][0]

    def interactions_with(self, person_id: str) -> list[Interaction]:
        """PERSON_ID's interactions, oldest first."""
        return [self.interaction(iid) for _, _, iid in self._members(("history", person_id))]

    def interaction_count(self, person_id: str) -> int:
        """How many interactions PERSON_ID has (what they were about is not read)."""
        self._read(("history", person_id))
        collection = self._collections.get(("history", person_id))
        return len(collection.members) if collection is not None else 0

    @property
    def follow_ups(self) -> list[FollowUp]:
        """Every follow-up, in the order of their interactions."""
        return [item for *_, item in self._members(("follow-ups",))]

    def done_follow_ups(self, count: int) -> tuple[list[FollowUp], int]:
        """The COUNT newest done follow-ups (resolved.done_order), newest first, and how many are done."""
        members = self._members(("done",))
        return [item for *_, item in reversed(members[-count:])] if count > 0 else [], len(members)

    def follow_ups_promised(self, start: dt.date, end: dt.date) -> list[FollowUp]:
        """The follow-ups promised START to END (in interactions of those days), in the order of their
        interactions: found by bisection, not a list of all."""
        members = self._members(("follow-ups",))  # (interaction's date, path, index, item); a goal's: date.max
        first = bisect.bisect_left(members, start, key=_day_of)
        last = bisect.bisect_right(members, end, key=_day_of)
        return [item for *_, item in members[first:last] if item.promised_on is not None]

    def open_follow_ups(self, person_id: str | None = None) -> list[FollowUp]:
        """Follow-ups not done (of PERSON_ID, or everyone's), earliest due first."""
        key = ("open", person_id) if person_id is not None else ("open",)
        return [item for *_, item in self._members(key)]

    def open_total(self) -> int:
        """How many follow-ups are open."""
        return len(self._members(("open",)))

    def open_follow_ups_due(self, start: dt.date, end: dt.date) -> list[FollowUp]:
        """The open follow-ups due START to END, earliest first: found by bisection, not a list of all."""
        return self.first_open_follow_ups_due(start, end, None)[0]

    def first_open_follow_ups_due(self, start: dt.date, end: dt.date, count: int | None) -> tuple[list[FollowUp], int]:
        """The first COUNT (None: all) of the open follow-ups due START to END, and how many there are."""
        members = self._members(("open",))  # (follow_up_order: (no due date, due, path, line), index, item)
        first = bisect.bisect_left(members, (False, start), key=_due_of)
        last = bisect.bisect_right(members, (False, end), key=_due_of)
        shown = last if count is None else min(last, first + count)
        return [item for *_, item in members[first:shown]], last - first

    def linked_by(self, kind: str, target_id: str) -> list[str]:
        """The ids of the interactions whose text links the person, goal or interaction (KIND) TARGET_ID,
        oldest first."""
        return [iid for _, _, iid in self._members(("linked by", kind, target_id))]

    def mentioning(self, person_id: str) -> list[str]:
        """The paths of the notes whose [[links]] may tie PERSON_ID to someone: notes that link to them, and
        their own note's and interactions' links to others (see contribute._link_targets)."""
        return self._members(("mentioning", person_id))

    def introduced_by(self, person_id: str) -> list[str]:
        """The people PERSON_ID introduced, by name."""
        return [pid for _, pid, _ in self._members(("introduced", person_id))]

    @property
    def introduced(self) -> dict[str, list[str]]:
        """Who introduced whom: introducer -> the people they introduced, by name."""
        return {who: self.introduced_by(who) for who in sorted(set(self.introducer.values()))}

    def name(self, person_id: str) -> tuple[str, bool]:
        """(name, private) of a person: what a link to them shows."""
        self._read(("name", person_id))
        return self._tables["name"][person_id]

    def tags(self) -> list[str]:
        self._read(("tags",))
        # a tag's collection is ("tag", tag) (see contribute._person)
        return sorted(cast(str, key[1]) for key in self._facts.existing["tag"])

    def people_tagged(self, tag: str) -> list[str]:
        """The ids of the people with TAG, by name."""
        return [pid for _, pid, _ in self._members(("tag", tag))]

    def goals_of(self, person_id: str) -> list[str]:
        """The goals PERSON_ID is a stakeholder of, in goal order."""
        return [gid for _, gid in self._members(("goals-of", person_id))]

    @property
    def comments(self) -> list[tuple[Comment, LinkTarget]]:
        """Every comment with what it is about, oldest first."""
        return [(comment, target) for _, _, comment, target in self._members(("comments",))]

    def comments_on(self, kind: str, target_id: str) -> list[Comment]:
        return [comment for _, _, comment in self._members(("comments", kind, target_id))]

    def findings(self) -> list[Finding]:
        """What resolving the notes found: unknown, ambiguous or duplicate references. An unknown one says
        whom it may have meant, among the people there are now."""
        self._read(("resolution",))
        found: list[Finding] = []
        unknown: list[tuple[str, str, Source]] = []
        absent: list[tuple[str, str, str, Source]] = []
        for path in sorted(self._troubled):  # most notes have none of these
            contribution = self._contributions[path]
            found += contribution.findings
            unknown += contribution.unknown
            absent += contribution.absent
        if unknown or absent:
            self._read(("people", "*"))
        found += [Finding("unknown-person", f"{what} {text!r} is not in people/{self._did_you_mean(text)}", where)
                  for what, text, where in unknown]
        found += [Finding("invalid-value", f"{what} {text!r} ({self._tables['person'][pid].name}) was not there "
                          "(with:); the entry is a plain one: in the ledger of everyone who was, in no one's checks",
                          where) for what, text, pid, where in absent]
        return found

    def close_people(self, text: str, count: int = 5) -> list[tuple[str, str]]:
        """The people spelled closest to TEXT, which names nobody, best first: (what matched, as written:
        an id, a name or an alias; their id), at most COUNT, none when nothing is close."""
        self._read(("people", "*"))
        return self._names.close(text, self._tables.get("person", {}), count)

    def _did_you_mean(self, text: str) -> str:
        """`; did you mean priya-shah?` (or a name or alias, with its id) for a reference TEXT that names
        nobody, when someone is spelled close to it; else ''."""
        close = self.close_people(text, 1)
        if not close:
            return ""
        written, pid = close[0]
        return f"; did you mean {written if written == pid else f'{written} ({pid})'}?"

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

    def resolve_person(self, text: str) -> tuple[str, ...]:
        """Ids of the people TEXT may mean: an id match wins; else names and aliases (case-insensitive)."""
        return self.resolve_person_noting(text, set())

    def resolve_target(self, text: str) -> LinkTarget | None:
        """What a link's TEXT names: a person, else a goal (id or title), else an interaction (id or stem)."""
        return self.resolve_target_noting(text, set())

    # --- resolving: what contribute.py resolves a note's references by (contribute.Names) -------------------

    def record_at(self, path: str) -> Record | None:
        return self._records.get(path)

    def claims(self, record: Claimant) -> tuple[str, ...]:
        """The paths of the notes that claim RECORD's id (`claim`), in order: the first counts."""
        return self._candidates[claim(record)]

    def named(self, key: str, kind: str, lookups: set[str]) -> list[str]:
        """What KEY names of KIND: every person, or else the first (id, goal or interaction) in order."""
        lookups.add(key)
        if self.reads is not None:
            self.reads(("lookup", key))
        return self._names.named(key, kind)

    def resolve_person_noting(self, text: str, lookups: set[str]) -> tuple[str, ...]:
        """`resolve_person`, adding the name keys it looked up to LOOKUPS."""
        known = self._resolved.get(text)  # most notes name the same few people
        if known is None:
            used: set[str] = set()
            known = self._resolved[text] = (self._resolve_person_anew(text, used), tuple(used))
        lookups.update(known[1])
        if self.reads is not None:
            for key in known[1]:
                self.reads(("lookup", key))
        return known[0]

    def _resolve_person_anew(self, text: str, lookups: set[str]) -> tuple[str, ...]:
        key = name_key(text)
        if key.startswith("people/"):
            key = key[len("people/"):]
        key = key.removesuffix(".md")
        found = self.named(key, "id", lookups)
        if found:
            return tuple(found)
        found = self.named(key, "person", lookups)
        if found:
            return tuple(found)
        return tuple(self.named(slugify(text), "id", lookups))

    def resolve_target_noting(self, text: str, lookups: set[str]) -> LinkTarget | None:
        """`resolve_target`, adding the name keys it looked up to LOOKUPS."""
        people = self.resolve_person_noting(text, lookups)
        if len(people) == 1:
            return LinkTarget("person", people[0])
        key = re.sub(r"^(goals|interactions)/", "", name_key(text)).removesuffix(".md")
        for kind in ("goal", "interaction"):
            found = self.named(key, kind, lookups)
            if found:
                return LinkTarget(kind, found[0])
        return None

    # --- names: what a reference can resolve to -------------------------------------------------------------

    def _rename(self, path: str, changed: set[str]) -> None:
        """Bring the names of the note at PATH up to date; CHANGED gets the keys that now name otherwise."""
        record = self._records.get(path)
        if isinstance(record, InteractionRecord) or self._names.holds_interaction(path):
            contribution = self._contributions.get(path)
            filed = contribution is not None and contribution.filed
            named = interaction_names(record) if isinstance(record, InteractionRecord) and filed else None
            self._names.rename_interaction(path, named, changed)
        else:  # a person's or a goal's names count once its note is the one its id counts for
            counts = isinstance(record, (PersonRecord, GoalRecord)) and self.claims(record)[0] == path
            self._names.rename(path, names_of(record) if record is not None and counts else [], changed)

    # --- applying changes -----------------------------------------------------------------------------------

    def apply(self, changes: Iterable[tuple[Record | None, Record | None]]) -> set[Key] | None:
        """Take CHANGES, (old, new) versions of notes (old None: a new note; new None: a note gone), and
        return the keys of every fact that changed; None when the journal was empty (all is new)."""
        changed: set[Key] | None = set() if self._records else None
        renamed: set[str] = set()
        todo: set[str] = set()
        records = self._records
        for old, new in changes:
            if old is not None and (new is None or new.path != old.path):
                records.pop(old.path, None)
            if new is not None:
                records[new.path] = new
            for record, adding in ((old, False), (new, True)):
                if record is None:
                    continue
                todo.add(record.path)
                if not isinstance(record, CommentRecord):
                    todo.update(self._candidate(record, adding))  # the first of them may have changed
        for path in todo:  # names of people and goals, before any reference is resolved
            if not isinstance(records.get(path), InteractionRecord):
                self._rename(path, renamed)
        if renamed:
            self._resolved.clear()  # people are named by ids, names and aliases alone, which are settled now
        self._settle(todo, renamed, changed)
        return changed

    def _settle(self, todo: set[str], renamed: set[str], changed: set[Key] | None) -> None:
        """Make the notes at TODO contribute again, then every note that looked up a name RENAMED (or one
        an interaction filed now takes), until no name changes."""
        records = self._records
        while todo or renamed:
            for key in renamed:  # what a name now names may differ: resolve again whatever looked it up
                todo.update(self._facts.users.get(key, ()))
            if changed is not None:
                changed.update(("lookup", key) for key in renamed)
            renamed = set()
            for path in todo:
                self._recontribute(path, changed)
            for path in todo:
                record = records.get(path)
                if record is None or isinstance(record, InteractionRecord):
                    self._rename(path, renamed)  # an interaction is named once filed
            todo = set()

    def _candidate(self, record: Claimant, adding: bool) -> tuple[str, ...]:
        """Add or take out RECORD among the notes that claim its id; the paths of those notes, in order."""
        key = claim(record)
        paths = [path for path in self._candidates.get(key, ()) if path != record.path]
        if adding:
            bisect.insort(paths, record.path)
        self._candidates[key] = tuple(paths)
        return self._candidates[key]

    def _recontribute(self, path: str, changed: set[Key] | None) -> None:
        """Replace what the note at PATH contributed with what its record contributes now."""
        old = self._contributions.pop(path, None)
        record = self._records.get(path)
        new = Contributed(contribute(record, self)) if record is not None else None
        if new is not None:
            self._contributions[path] = new
        if new is not None and (new.findings or new.unknown or new.absent):
            self._troubled.add(path)
        else:
            self._troubled.discard(path)
        self._facts.move_lookups(path, old.lookups if old else (), new.lookups if new else ())
        self._facts.move_owned(path, old.owned if old else (), new.owned if new else (), changed)
        old_members = old.members if old is not None else ()
        new_members = new.members if new is not None else ()
        if old_members != new_members:  # (made only for the notes that changed)
            self._facts.move_members(old_members, new_members, changed)
        if changed is not None and ((old.findings, old.unknown, old.absent) if old else ((), (), ())) != (
                (new.findings, new.unknown, new.absent) if new else ((), (), ())):
            changed.add(("resolution",))


def _day_of(member: tuple) -> dt.date:
    """The day of a member of every follow-up: its interaction's (date.max for a goal's task)."""
    return member[0]


def _due_of(open_member: tuple) -> tuple[bool, dt.date]:
    """(no due date, due) of a member of the open follow-ups: what they are first ordered by."""
    return open_member[0][:2]


def build_journal(records: Iterable[Record]) -> tuple[Journal, list[Finding]]:
    """Records -> Journal, resolving every reference; problems become findings, never exceptions."""
    journal = Journal()
    journal.apply([(None, record) for record in records])
    return journal, journal.findings()
