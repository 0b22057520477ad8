"""The facts notes set and the collections they join: the model's store, and the keys of what changed
when a note's contribution is replaced (the keys derive.py invalidates by)."""
from __future__ import annotations

import bisect
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

Key = tuple[Hashable, ...]
Fact = tuple[str, str]  # (kind, id) of a fact one note sets: ("person", pid), ("links", path), …


#: A change of any fact of these kinds is a change of the key that stands for all of them
EVERY: dict[str, Key] = {"person": ("people", "*"), "interaction": ("interactions", "*"), "goal": ("goals", "*"),
                         "links": ("links", "*")}
#: Collections whose coming and going is a fact of its own: ("month", 2026, 11) makes ("months",) hold it
_EXISTING = {"month": ("months",), "tag": ("tags",)}
#: Collections that together make another: the months' interactions are all interactions
_PART_OF = {"month": ("interactions",)}


class Collection:
    """The members of one collection (each note's own, so never two alike), sorted when first read and
    kept sorted from then on: an edit moves a member or two of a collection of 50,000 (every follow-up),
    which a sort of them all on the next read would cost a build at each edit. The sorted list a read
    returns is never changed afterwards (a value made of it may hold it): an edit after a read changes a
    copy."""

    __slots__ = ("members", "_sorted", "_handed_out")

    def __init__(self) -> None:
        self.members: set = set()
        self._sorted: list | None = None
        self._handed_out = False

    def add(self, member: Any) -> None:
        if member in self.members:
            return
        self.members.add(member)
        if self._sorted is not None:
            try:
                bisect.insort(self._editable(), member)
            except TypeError:  # (never: members differ before their last, unordered, part) sorted when read
                self._sorted = None

    def discard(self, member: Any) -> None:
        if member not in self.members:
            return
        self.members.remove(member)
        if self._sorted is not None:
            members = self._editable()
            at = bisect.bisect_left(members, member)
            if at < len(members) and members[at] == member:
                del members[at]
            else:  # (the list holds what the set does: never) sorted again when read
                self._sorted = None

    def _editable(self) -> list:
        assert self._sorted is not None
        if self._handed_out:
            self._sorted, self._handed_out = list(self._sorted), False
        return self._sorted

    def sorted(self) -> list:
        if self._sorted is None:
            self._sorted = sorted(self.members)
        self._handed_out = True
        return self._sorted


class Facts:
    """Every fact with the note that sets it, every collection with its members, and every name key with the
    notes that looked it up."""

    __slots__ = ("tables", "owners", "collections", "users", "existing")

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, Any]] = {}  # fact kind -> id -> value: the facts notes set
        self.owners: dict[Fact, str] = {}  # fact -> the path of the note that sets it
        self.collections: dict[Key, Collection] = {}
        self.users: dict[str, set[str]] = {}  # name key -> paths of the notes that looked it up
        # the keys of the collections of each kind in _EXISTING: the months and tags there are, without a
        # pass over every collection (tens of thousands) each time they are listed
        self.existing: dict[str, set[Key]] = {kind: set() for kind in _EXISTING}

    def move_lookups(self, path: str, old: Iterable[str], new: Iterable[str]) -> None:
        """The note at PATH looked up the name keys NEW, no longer OLD."""
        users = self.users
        for key in old:
            paths = users[key]
            paths.discard(path)
            if not paths:
                del users[key]
        for key in new:
            users.setdefault(key, set()).add(path)

    def move_owned(self, path: str, old: Sequence[tuple[Fact, Any]], new: Sequence[tuple[Fact, Any]],
                   changed: set[Key] | None) -> None:
        """The note at PATH sets the facts NEW, no longer OLD ((fact, value) pairs, each fact once); CHANGED
        (if not None) gets what changed."""
        # A fact is its note's, but two notes can claim one while a duplicate id changes hands: a note
        # unsets only a fact it still holds, whichever of the two is resolved first.
        owners, tables = self.owners, self.tables
        kept = {key for key, _ in new}
        for key, _ in old:
            if key not in kept and owners.get(key) == path:
                del owners[key]
                del tables[key[0]][key[1]]
                _mark(changed, key, EVERY)
        for key, value in new:
            owners[key] = path
            table = tables.setdefault(key[0], {})
            current = table.get(key[1])
            if current is not value and current != value:
                table[key[1]] = value
                _mark(changed, key, EVERY)

    def move_members(self, old: Sequence[tuple[Key, Any]], new: Sequence[tuple[Key, Any]],
                     changed: set[Key] | None) -> None:
        """Take OLD's members out of their collections and put NEW's in; those in both stay."""
        collections = self.collections
        if old:
            kept = set(old) & set(new)
            for key, member in old:
                if (key, member) in kept:
                    continue
                collection = collections[key]
                collection.discard(member)
                _mark(changed, key, _PART_OF)
                if not collection.members:
                    del collections[key]
                    if key[0] in _EXISTING:
                        self.existing[key[0]].discard(key)
                        _mark(changed, _EXISTING[key[0]], {})
            new = [item for item in new if item not in kept]
        for key, member in new:
            joined = collections.get(key)
            if joined is None:
                joined = collections[key] = Collection()
                if key[0] in _EXISTING:
                    self.existing[key[0]].add(key)
                    _mark(changed, _EXISTING[key[0]], {})
            joined.add(member)
            _mark(changed, key, _PART_OF)


def _mark(changed: set[Key] | None, key: Key, implied: Mapping[Any, Key]) -> None:
    """KEY changed, and with it the key IMPLIED names for its kind (if any); nothing when CHANGED is None
    (a journal built from nothing: everything is new)."""
    if changed is not None:
        changed.add(key)
        also = implied.get(key[0])
        if also is not None:
            changed.add(also)
