"""The model: records with their references resolved across notes, kept up to date note by note.

A `Journal` is an index of what each note contributes once its references are resolved: a person's
record and name, an interaction's participants and its place in each participant's history, a goal's
stakeholders, what each [[wikilink]] names. `apply(changes)` takes back what the old version of each
changed note contributed and adds what the new one does; notes whose references the change may resolve
differently (a person renamed, a goal added) are resolved again. It returns the keys of the facts that
changed, which is all the build engine needs to know (derive.py). There is one way to build the model:
a cold build is `apply` of every note to an empty Journal (`build_journal`).

Readers use the accessors below. Each reports the facts it reads to `reads` when a build engine sets it,
so that whatever is made from the model knows what it was made from.
"""
from __future__ import annotations

import bisect
import datetime as dt
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

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
    with_annex,
)
from .tasks import find_wikilinks

Person = PersonRecord
Interaction = InteractionRecord
Goal = GoalRecord
Comment = CommentRecord
Key = tuple[Hashable, ...]
Fact = tuple[str, str]  # (kind, id) of a fact one note sets: ("person", pid), ("links", path), …


@dataclass(frozen=True)
class FollowUp:
    """Something promised in an interaction, from its `follow_ups:` or a `- [ ]` task in its body; or a
    task in a goal's body (then `goal` is its id, `interaction` is empty and it has no date)."""

    what: str
    due: dt.date | None
    done: bool
    source: Source
    interaction: str  # interaction id ("" for a goal's task)
    people: tuple[str, ...]  # the interaction's people; a goal's task: the people it names
    private: bool
    promised_on: dt.date | None  # the interaction's date (None for a goal's task)
    named: tuple[str, ...] = ()  # the people its text names ([[Raj]], a name, an alias or a first name)
    goal: str = ""  # the goal id of a goal's task

    @property
    def owed_to(self) -> tuple[str, ...]:
        """Whom the promise is for: the people its text names, else the people it was made with."""
        return self.named or self.people

    @property
    def concerns(self) -> tuple[str, ...]:
        """Everyone whose page and agenda show it: the people it was made with and those it names."""
        return tuple(dict.fromkeys((*self.people, *self.named)))


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
    if text.isascii():
        return text.strip().lower()
    return unicodedata.normalize("NFC", text).strip().casefold()


def follow_up_order(item: FollowUp) -> tuple:
    """Earliest due first, follow-ups without a due date last; then by note and line."""
    return item.due is None, item.due or dt.date.max, item.source.path, item.source.line or 0


#: A change of any fact of these kinds is a change of the key that stands for all of them
_EVERY: dict[str, Key] = {"person": ("people", "*"), "interaction": ("interactions", "*"), "goal": ("goals", "*"),
                         "links": ("links", "*")}
#: Collections whose coming and going is a fact of its own: ("month", 2026, 11) makes ("months",) hold it
_EXISTING = {"month": ("months",), "tag": ("tags",)}
#: Collections that together make another: the months' interactions are all interactions
_PART_OF = {"month": ("interactions",)}


class _Contribution:
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


class _Collection:
    """The members of one collection (each note's own, so never two alike), sorted when read."""

    __slots__ = ("members", "_sorted")

    def __init__(self) -> None:
        self.members: set = set()
        self._sorted: list | None = None

    def sorted(self) -> list:
        if self._sorted is None:
            self._sorted = sorted(self.members)
        return self._sorted


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
        self._candidates: dict[tuple[str, str], list[str]] = {}  # (kind, id key) -> paths; the first counts
        self._tables: dict[str, dict[str, Any]] = {}  # fact kind -> id -> value: the facts notes set
        self._owners: dict[Fact, str] = {}  # fact -> the path of the note that sets it
        self._collections: dict[Key, _Collection] = {}
        self._contributions: dict[str, _Contribution] = {}
        self._users: dict[str, set[str]] = {}  # name key -> paths of the notes that looked it up
        self._names: dict[str, list[tuple[tuple, str, str]]] = {}  # name key -> (order, kind, id) it names
        self._resolved: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}  # text -> (people, keys looked up)
        # what close_people searches (made on first use after people changed): each person's id, name,
        # aliases and name words, folded -> (as written, id); the three-letter pieces of those -> spellings
        self._spellings: dict[str, tuple[str, str]] | None = None
        self._pieces: dict[str, list[str]] = {}
        self._registered: dict[str, list[tuple[str, tuple, str, str]]] = {}  # path -> its (key, order, kind, id)
        # an interaction is named by its id and its file stem, once filed: name key -> (order, 0 for the stem
        # or 1 for the id, interaction id); the first counts
        self._interaction_names: dict[str, set[tuple[tuple, int, str]]] = {}
        self._named_interactions: dict[str, tuple[str, str, tuple, str]] = {}  # path -> (stem key, id key, order, id)
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
        # a month's collection is ("month", year, month) (see _interaction); cast, not a check per key
        return cast("list[tuple[str, int, int]]", sorted(key for key in self._collections if key[0] == "month"))

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

    def interaction_at(self, date: dt.date, path: str) -> Interaction | None:
        """The interaction of the note at PATH if it is dated DATE."""
        record = self._records.get(path)
        if isinstance(record, InteractionRecord) and record.date == date and record.id in self._interactions:
            return self.interaction(record.id)
        return None


    @property
    def follow_ups(self) -> list[FollowUp]:
        """Every follow-up, in the order of their interactions."""
        return [item for *_, item in self._members(("follow-ups",))]

    def follow_ups_of(self, interaction: Interaction) -> list[FollowUp]:
        self._read(("interaction", interaction.id))
        return list(self._tables.get("follow-ups-of", {}).get(interaction.id, ()))

    def goal_follow_ups(self, goal_id: str) -> list[FollowUp]:
        """The tasks of a goal's note, in the note's order."""
        self._read(("goal", goal_id))
        return list(self._tables.get("goal-follow-ups", {}).get(goal_id, ()))

    def open_follow_ups(self, person_id: str | None = None) -> list[FollowUp]:
        """Follow-ups not done (of PERSON_ID, or everyone's), earliest due first."""
        key = ("open", person_id) if person_id is not None else ("open",)
        return [item for *_, item in self._members(key)]

    def linked_by(self, kind: str, target_id: str) -> list[str]:
        """The ids of the interactions whose text links the person, goal or interaction (KIND) TARGET_ID,
        oldest first."""
        return [iid for _, _, iid in self._members(("linked by", kind, target_id))]

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
        # a tag's collection is ("tag", tag) (see _person)
        return sorted(cast(str, key[1]) for key in self._collections if key[0] == "tag")

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
        found = [f for contribution in self._contributions.values() for f in contribution.findings]
        unknown = [u for contribution in self._contributions.values() for u in contribution.unknown]
        absent = [a for contribution in self._contributions.values() for a in contribution.absent]
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
        if self._spellings is None:
            self._spellings, self._pieces = {}, {}
            # in id order, whatever order the notes arrived in: of two people spelled alike, the same one wins
            for pid, person in sorted(self._tables.get("person", {}).items()):
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
        return self._resolve_person(text, set())

    def resolve_target(self, text: str) -> LinkTarget | None:
        """What a link's TEXT names: a person, else a goal (id or title), else an interaction (id or stem)."""
        return self._resolve_target(text, set())

    # --- resolving ----------------------------------------------------------------------------------------

    def _named(self, key: str, kind: str, lookups: set[str]) -> list[str]:
        """What KEY names of KIND: every person, or else the first (id, goal or interaction) in order."""
        lookups.add(key)
        if self.reads is not None:
            self.reads(("lookup", key))
        if kind == "interaction":
            named = self._interaction_names.get(key)
            return [min(named)[2]] if named else []
        entries = self._names.get(key)
        if not entries:
            return []
        found = [entry for entry in entries if entry[1] == kind]
        if kind in ("person", "first"):  # every person of that name, alias or first name, by their notes' paths
            return list(dict.fromkeys(target for _, _, target in sorted(found)))
        return [min(found)[2]] if found else []

    def _resolve_person(self, text: str, lookups: set[str]) -> tuple[str, ...]:
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
        key = _key(text)
        if key.startswith("people/"):
            key = key[len("people/"):]
        key = key.removesuffix(".md")
        found = self._named(key, "id", lookups)
        if found:
            return tuple(found)
        found = self._named(key, "person", lookups)
        if found:
            return tuple(found)
        return tuple(self._named(slugify(text), "id", lookups))

    def _resolve_target(self, text: str, lookups: set[str]) -> LinkTarget | None:
        people = self._resolve_person(text, lookups)
        if len(people) == 1:
            return LinkTarget("person", people[0])
        key = re.sub(r"^(goals|interactions)/", "", _key(text)).removesuffix(".md")
        for kind in ("goal", "interaction"):
            found = self._named(key, kind, lookups)
            if found:
                return LinkTarget(kind, found[0])
        return None

    def _resolve_ref(self, ref: Ref, what: str, path: str, made: _Contribution) -> str | None:
        found = self._resolve_person(ref.text, made.lookups)
        if len(found) == 1:
            return found[0]
        if found:
            made.findings.append(Finding("ambiguous-person", f"{what} {ref.text!r} could mean "
                                         f"{', '.join(sorted(found))}; use the id", Source(path, ref.line)))
        else:
            made.unknown.append((what, ref.text, Source(path, ref.line)))
        return None

    def _link_targets(self, note: Record, made: _Contribution, quiet: tuple[Ref, ...] = ()) -> None:
        """What each [[wikilink]] of NOTE names (unresolved ones are findings), and of QUIET, links of
        another note (a private annex's) whose text NOTE shows, reported at that note's own path."""
        targets: dict[str, LinkTarget] = {}
        for ref in (*note.body_links, *quiet):
            if ref.text in targets:
                continue
            target = self._resolve_target(ref.text, made.lookups)
            if target is not None:
                targets[ref.text] = target
                continue
            several = self._resolve_person(ref.text, made.lookups)
            why = (f"could mean {', '.join(sorted(several))}; link by id" if len(several) > 1
                   else "names no person, goal or interaction")
            if ref in note.body_links:
                made.findings.append(Finding("unresolved-link", f"[[{ref.text}]] {why}", Source(note.path, ref.line)))
        if targets:
            made.owned[("links", note.path)] = targets
            if isinstance(note, InteractionRecord):  # what a note led to: the later interactions linking it
                place = (note.date, note.path, note.id)
                made.members += [(("linked by", t.kind, t.id), place) for t in dict.fromkeys(targets.values())]

    # --- what each note contributes ----------------------------------------------------------------------

    def _contribute(self, record: Record) -> _Contribution:
        made = _Contribution()
        if isinstance(record, InteractionRecord):
            self._interaction(record, made)
        elif isinstance(record, PersonRecord):
            candidates = self._candidates[("person", _key(record.id))]
            if record.path == PRIVATE_FOLDER + "/" + candidates[0]:
                self._link_targets(record, made)  # a private annex: its person's page shows its text
            elif self._active(record, "person", _key(record.id), made):
                annex = self._records.get(PRIVATE_FOLDER + "/" + record.path)
                if isinstance(annex, PersonRecord) and annex.path in candidates:
                    self._person(with_annex(record, annex), made, annex.body_links)
                else:
                    self._person(record, made)
        elif isinstance(record, GoalRecord):
            if self._active(record, "goal", record.id, made):
                self._goal(record, made)
        else:
            self._comment(record, made)
        return made

    def _active(self, record: Record, kind: str, id_key: str, made: _Contribution) -> bool:
        """Is RECORD the note its id counts for (the first by path)? Else a duplicate-id finding."""
        first = self._candidates[(kind, id_key)][0]
        if first == record.path:
            return True
        made.findings.append(Finding("duplicate-id", f"{kind} id {record.id!r} is already used by {first}; "
                                     "this note is ignored", Source(record.path, 1)))
        return False

    def _person(self, person: Person, made: _Contribution, annex_links: tuple[Ref, ...] = ()) -> None:
        pid = person.id
        made.owned[("person", pid)] = person
        made.owned[("name", pid)] = (person.name, person.private)
        members = made.members
        members.append((("people",), (person.path, pid)))
        order = (person.name.casefold(), pid, person.path)  # the path: no two notes add one member
        members += [(("tag", tag), order) for tag in person.tags]
        if person.introduced_by is not None:
            who = self._resolve_ref(person.introduced_by, "introduced_by", person.path, made)
            if who is not None and who != pid:
                made.owned[("introducer", pid)] = who
                members.append((("introduced", who), order))
        self._link_targets(person, made, annex_links)

    def _goal(self, goal: Goal, made: _Contribution) -> None:
        ids: list[str] = []
        found: dict[Ref, str] = {}
        for ref in goal.stakeholder_refs:
            who = self._resolve_ref(ref, "stakeholder", goal.path, made)
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
                named = self._named_in(item.what, made.lookups)
                items.append(FollowUp(item.what, item.due, item.done, Source(goal.path, item.line), "", named,
                                      goal.private, None, named, goal.id))
            made.owned[("goal-follow-ups", goal.id)] = tuple(items)
            self._follow_up_members(tuple(items), dt.date.max, goal.path, made)  # after every interaction's
        self._link_targets(goal, made)

    def _interaction(self, interaction: Interaction, made: _Contribution) -> None:
        ids: list[str] = []
        for ref in interaction.with_refs:
            who = self._resolve_ref(ref, "with:", interaction.path, made)
            if who is not None and who not in ids:
                ids.append(who)
        if not ids:
            return  # nobody known to file it under; the findings say why
        for aim in interaction.aims:  # whom a give, ask or receipt names must have been there
            for ref in aim.refs:
                who = self._resolve_ref(ref, f"{aim.kind}:", interaction.path, made)
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
                                   interaction.private, date, self._named_in(item.what, made.lookups))
                          for item in interaction.follow_ups)
            made.owned[("follow-ups-of", iid)] = items
            self._follow_up_members(items, date, path, made)
        if interaction.body_links:
            self._link_targets(interaction, made)

    def _follow_up_members(self, items: tuple[FollowUp, ...], date: dt.date, path: str, made: _Contribution) -> None:
        """ITEMS join every follow-up, and the open ones the open ones, everyone's and each person's."""
        members = made.members
        for index, item in enumerate(items):
            members.append((("follow-ups",), (date, path, index, item)))
            if not item.done:
                order = (follow_up_order(item), index, item)
                members.append((("open",), order))
                members += [(("open", pid), order) for pid in item.concerns]

    def _named_in(self, text: str, lookups: set[str]) -> tuple[str, ...]:
        """The people TEXT names: its [[wikilinks]] to a person, and the capitalised words (one to three in
        a row) that are a person's name, alias or first name, when they name one person only. Every name
        looked up is a lookup of the note's, so a person renamed resolves the text again."""
        found: list[str] = []
        if "[[" in text:
            for link in find_wikilinks(text, 1):
                people = self._resolve_person(link.target, lookups)
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
                key = _key(" ".join(phrase))
                matches = self._named(key, "person", lookups) or self._named(key, "first", lookups)
                if len(matches) == 1:
                    found.append(matches[0])
                    start += length - 1
                    break
            start += 1
        return tuple(dict.fromkeys(found))

    def _comment(self, comment: Comment, made: _Contribution) -> None:
        target = self._resolve_target(comment.about.text, made.lookups)
        if target is None:
            made.findings.append(Finding("unknown-person", f"about: {comment.about.text!r} names no person, "
                                         "goal or interaction", Source(comment.path, comment.about.line)))
        else:
            order = (comment.date, comment.path)
            made.members += [(("comments",), (*order, comment, target)),
                             (("comments", target.kind, target.id), (*order, comment))]
        self._link_targets(comment, made)

    # --- names: what a reference can resolve to -------------------------------------------------------------

    def _names_of(self, record: Record) -> list[tuple[str, tuple, str, str]]:
        """(key, order, kind, id) of each name RECORD can be referred to by, if it is the note its id counts
        for."""
        if isinstance(record, PersonRecord):
            if self._candidates[("person", _key(record.id))][0] != record.path:
                return []
            order = (record.path,)
            words = record.name.split()
            first = [(_key(words[0]), order, "first", record.id)] if len(words) > 1 else []
            return [(_key(record.id), order, "id", record.id)] + [
                (_key(text), order, "person", record.id) for text in (record.name, *record.aliases)] + first
        if isinstance(record, GoalRecord):
            if self._candidates[("goal", record.id)][0] != record.path:
                return []
            return [(_key(record.id), (record.path, 0), "goal", record.id),
                    (_key(record.title), (record.path, 1), "goal", record.id)]
        return []

    def _rename_interaction(self, path: str, record: Record | None, changed: set[str]) -> None:
        """The names of the interaction note at PATH, which it has once filed (resolving decides that)."""
        contribution = self._contributions.get(path)
        new = None
        if isinstance(record, InteractionRecord) and contribution is not None and contribution.filed:
            new = (_key(record.id.rsplit("/", 1)[-1]), _key(record.id), (record.date, path), record.id)
        old = self._named_interactions.pop(path, None)
        if new == old:
            if new is not None:
                self._named_interactions[path] = new
            return
        names = self._interaction_names
        if old is not None:
            stem, full, order, iid = old
            for key, which in ((stem, 0), (full, 1)):
                names[key].discard((order, which, iid))
                if not names[key]:
                    del names[key]
            changed.update((stem, full))
        if new is not None:
            stem, full, order, iid = new
            for key, which in ((stem, 0), (full, 1)):
                bucket = names.get(key)
                if bucket is None:
                    names[key] = {(order, which, iid)}
                else:
                    bucket.add((order, which, iid))
            changed.update((stem, full))
            self._named_interactions[path] = new

    def _rename(self, path: str, changed: set[str]) -> None:
        """Bring the names of the note at PATH up to date; CHANGED gets the keys that now name otherwise."""
        record = self._records.get(path)
        if isinstance(record, InteractionRecord) or path in self._named_interactions:
            self._rename_interaction(path, record, changed)
            return
        new = self._names_of(record) if record is not None else []
        old = self._registered.pop(path, [])
        if new == old:
            if new:
                self._registered[path] = new
            return
        names = self._names
        for key, order, kind, target in old:
            entries = names[key]
            entries.remove((order, kind, target))
            if not entries:
                del names[key]
        for key, order, kind, target in new:
            entry = (order, kind, target)
            bucket = names.get(key)
            if bucket is None:
                names[key] = [entry]
            else:
                bucket.append(entry)
        changed.update(key for key, *_ in old)
        changed.update(key for key, *_ in new)
        if new:
            self._registered[path] = new

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
                if isinstance(record, (PersonRecord, GoalRecord)):
                    todo.update(self._candidate(record, adding))  # the first of them may have changed
        for path in todo:  # names of people and goals, before any reference is resolved
            if not isinstance(records.get(path), InteractionRecord):
                self._rename(path, renamed)
        if renamed:
            self._resolved.clear()  # people are named by ids, names and aliases alone, which are settled now
            self._spellings = None
        self._settle(todo, renamed, changed)
        return changed

    def _settle(self, todo: set[str], renamed: set[str], changed: set[Key] | None) -> None:
        """Make the notes at TODO contribute again, then every note that looked up a name RENAMED (or one
        an interaction filed now takes), until no name changes."""
        records = self._records
        while todo or renamed:
            for key in renamed:  # what a name now names may differ: resolve again whatever looked it up
                todo.update(self._users.get(key, ()))
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

    def _candidate(self, record: PersonRecord | GoalRecord, adding: bool) -> list[str]:
        """Add or take out RECORD among the notes that claim its id; the paths of those notes, in order."""
        kind = "person" if isinstance(record, PersonRecord) else "goal"
        paths = self._candidates.setdefault((kind, _key(record.id) if kind == "person" else record.id), [])
        if record.path in paths:
            paths.remove(record.path)
        if adding:
            bisect.insort(paths, record.path)
        return paths

    def _recontribute(self, path: str, changed: set[Key] | None) -> None:
        """Replace what the note at PATH contributed with what its record contributes now."""
        old = self._contributions.pop(path, None)
        record = self._records.get(path)
        new = self._contribute(record) if record is not None else None
        if new is not None:
            self._contributions[path] = new
        self._move_lookups(path, old.lookups if old else (), new.lookups if new else ())
        self._move_owned(path, old.owned if old else {}, new.owned if new else {}, changed)
        old_members = old.members if old is not None else []
        new_members = new.members if new is not None else []
        if old_members != new_members:
            self._move_members(old_members, new_members, changed)
        if changed is not None and ((old.findings, old.unknown, old.absent) if old else ([], [], [])) != (
                (new.findings, new.unknown, new.absent) if new else ([], [], [])):
            changed.add(("resolution",))

    def _move_lookups(self, path: str, old: Iterable[str], new: Iterable[str]) -> None:
        users = self._users
        for key in old:
            paths = users[key]
            paths.discard(path)
            if not paths:
                del users[key]
        for key in new:
            users.setdefault(key, set()).add(path)

    def _move_owned(self, path: str, old: dict[Fact, Any], new: dict[Fact, Any], changed: set[Key] | None) -> None:
        # A fact is its note's, but two notes can claim one while a duplicate id changes hands: a note
        # unsets only a fact it still holds, whichever of the two is resolved first.
        owners, tables = self._owners, self._tables
        for key in old:
            if key not in new and owners.get(key) == path:
                del owners[key]
                del tables[key[0]][key[1]]
                if changed is not None:
                    changed.add(key)
                    if key[0] in _EVERY:
                        changed.add(_EVERY[key[0]])
        for key, value in new.items():
            owners[key] = path
            table = tables.setdefault(key[0], {})
            current = table.get(key[1])
            if current is not value and current != value:
                table[key[1]] = value
                if changed is not None:
                    changed.add(key)
                    if key[0] in _EVERY:
                        changed.add(_EVERY[key[0]])

    def _move_members(self, old: list[tuple[Key, Any]], new: list[tuple[Key, Any]], changed: set[Key] | None) -> None:
        """Take OLD's members out of their collections and put NEW's in; those in both stay."""
        collections = self._collections
        if old:
            kept = set(old) & set(new)
            for key, member in old:
                if (key, member) in kept:
                    continue
                collection = collections[key]
                collection.members.discard(member)
                collection._sorted = None
                if changed is not None:
                    changed.add(key)
                    if key[0] in _PART_OF:
                        changed.add(_PART_OF[key[0]])
                if not collection.members:
                    del collections[key]
                    if key[0] in _EXISTING and changed is not None:
                        changed.add(_EXISTING[key[0]])
            new = [item for item in new if item not in kept]
        for key, member in new:
            joined = collections.get(key)
            if joined is None:
                joined = collections[key] = _Collection()
                if key[0] in _EXISTING and changed is not None:
                    changed.add(_EXISTING[key[0]])
            joined.members.add(member)
            joined._sorted = None
            if changed is not None:
                changed.add(key)
                if key[0] in _PART_OF:
                    changed.add(_PART_OF[key[0]])


_LIKELY = 24  # how many spellings close_people compares a text with
#: A word of a task's text, as names are written (`Spärck-Holm`, `O'Neil`); and a wikilink, read on its own
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_WIKILINK_TEXT = re.compile(r"\[\[[^\]]*\]\]")


def _possessive(word: str) -> str:
    """`Raj's` -> `Raj`: a name with a possessive ending is the name."""
    return word[:-2] if word.endswith(("'s", "’s")) else word


def _pieces(text: str) -> set[str]:
    """The three-letter pieces of TEXT, its ends marked, as spelling suggestions compare them."""
    padded = f" {text} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def build_journal(records: Iterable[Record]) -> tuple[Journal, list[Finding]]:
    """Records -> Journal, resolving every reference; problems become findings, never exceptions."""
    journal = Journal()
    journal.apply([(None, record) for record in records])
    return journal, journal.findings()
