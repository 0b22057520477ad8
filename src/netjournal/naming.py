"""The name index: what each name key names (people, goals and interactions), and who is spelled close to a
name that names nobody.

A `Journal` owns one and tells it, note by note, the names each note now has (`rename`); the index answers
`named` and returns the keys whose answer a change may alter, so the journal can resolve again exactly the
notes that looked those keys up. It knows nothing of records' references or of what reads it.
"""
from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Mapping

from .records import GoalRecord, InteractionRecord, PersonRecord, Record
from .resolved import name_key

NameEntry = tuple[str, tuple, str, str]  # (name key, order, kind, id): the order decides who a shared name names
InteractionNames = tuple[str, str, tuple, str]  # (stem key, id key, order, id) of a filed interaction
InteractionName = tuple[tuple, int, str]  # (order, 0 for the file stem or 1 for the id, interaction id)


def names_of(record: Record) -> list[NameEntry]:
    """The names a person's or a goal's note gives its id, when it is the note that id counts for."""
    if isinstance(record, PersonRecord):
        order = (record.path,)
        words = record.name.split()
        first = [(name_key(words[0]), order, "first", record.id)] if len(words) > 1 else []
        return [(name_key(record.id), order, "id", record.id)] + [
            (name_key(text), order, "person", record.id) for text in (record.name, *record.aliases)] + first
    if isinstance(record, GoalRecord):
        return [(name_key(record.id), (record.path, 0), "goal", record.id),
                (name_key(record.title), (record.path, 1), "goal", record.id)]
    return []


def interaction_names(record: InteractionRecord) -> InteractionNames:
    """A filed interaction is named by its id and by its file's stem."""
    return (name_key(record.id.rsplit("/", 1)[-1]), name_key(record.id), (record.date, record.path), record.id)


class NameIndex:
    """Name key -> what it names, kept up to date note by note."""

    def __init__(self) -> None:
        self._names: dict[str, list[tuple[tuple, str, str]]] = {}  # name key -> (order, kind, id) it names
        self._registered: dict[str, list[NameEntry]] = {}  # path -> the names its note gives
        # an interaction is named by its id and its file stem, once filed: name key -> (order, 0 for the stem
        # or 1 for the id, interaction id), or a set of those when it names several; the first counts. Nearly
        # every key names one (200,000 keys at L), and a set of one takes 216 bytes
        self._interaction_names: dict[str, InteractionName | set[InteractionName]] = {}
        self._named_interactions: dict[str, InteractionNames] = {}  # path -> its names
        # what `close` searches (made on first use after a rename): each person's id, name, aliases and name
        # words, folded -> (as written, id); the three-letter pieces of those -> spellings
        self._spellings: dict[str, tuple[str, str]] | None = None
        self._pieces: dict[str, list[str]] = {}

    def named(self, key: str, kind: str) -> list[str]:
        """What KEY names of KIND: every person (kinds "person", "first"), else the first in order."""
        if kind == "interaction":
            named = self._interaction_names.get(key)
            if named is None:
                return []
            return [(min(named) if isinstance(named, set) else named)[2]]
        entries = self._names.get(key)
        if not entries:
            return []
        found = [entry for entry in entries if entry[1] == kind]
        if kind in ("person", "first"):  # every person of that name, alias or first name, by their notes' paths
            return list(dict.fromkeys(target for _, _, target in sorted(found)))
        return [min(found)[2]] if found else []

    def holds_interaction(self, path: str) -> bool:
        return path in self._named_interactions

    def rename(self, path: str, new: list[NameEntry], changed: set[str]) -> None:
        """The note at PATH now gives the names NEW (of a person or a goal); CHANGED gets the keys that now
        name otherwise."""
        self._spellings = None  # as written: a name whose case alone changed has the same keys
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
        if new:
            self._registered[path] = new
        changed.update(key for key, *_ in old)
        changed.update(key for key, *_ in new)

    def rename_interaction(self, path: str, new: InteractionNames | None, changed: set[str]) -> None:
        """The interaction note at PATH is now named NEW (None: not filed, or gone); CHANGED gets the keys
        that now name otherwise."""
        old = self._named_interactions.pop(path, None)
        if new == old:
            if new is not None:
                self._named_interactions[path] = new
            return
        names = self._interaction_names
        if old is not None:
            stem, full, order, iid = old
            for key, which in ((stem, 0), (full, 1)):
                held = names[key]
                if not isinstance(held, set):
                    del names[key]
                    continue
                held.discard((order, which, iid))
                if len(held) == 1:
                    names[key] = held.pop()
            changed.update((stem, full))
        if new is not None:
            stem, full, order, iid = new
            for key, which in ((stem, 0), (full, 1)):
                known = names.get(key)
                if known is None:
                    names[key] = (order, which, iid)
                elif isinstance(known, set):
                    known.add((order, which, iid))
                else:
                    names[key] = {known, (order, which, iid)}
            changed.update((stem, full))
            self._named_interactions[path] = new

    def close(self, text: str, people: Mapping[str, PersonRecord], count: int) -> list[tuple[str, str]]:
        """The PEOPLE spelled closest to TEXT, best first: (what matched, as written; their id), at most
        COUNT, none when nothing is close."""
        if self._spellings is None:
            self._spellings, self._pieces = {}, {}
            # in id order, whatever order the notes arrived in: of two people spelled alike, the same one wins
            for pid, person in sorted(people.items()):
                for written in (pid, person.name, *person.aliases):
                    self._spellings.setdefault(name_key(written), (written, pid))
                for word in person.name.split():
                    self._spellings.setdefault(name_key(word), (person.name, pid))
            for spelling in self._spellings:
                for piece in _pieces(spelling):
                    self._pieces.setdefault(piece, []).append(spelling)
        # difflib compares TEXT with the few spellings sharing the most pieces with it, not with all: at 2,000
        # people, 1,000 unknown names took 15 s compared with every spelling
        key = name_key(text)
        shared: Counter[str] = Counter()
        for piece in _pieces(key):
            shared.update(self._pieces.get(piece, ()))
        likely = [spelling for spelling, _ in shared.most_common(_LIKELY)]
        return [self._spellings[match] for match in difflib.get_close_matches(key, likely, n=count, cutoff=0.6)]


_LIKELY = 24  # how many spellings `close` compares a text with


def _pieces(text: str) -> set[str]:
    """The three-letter pieces of TEXT, its ends marked, as spelling suggestions compare them."""
    padded = f" {text} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}

