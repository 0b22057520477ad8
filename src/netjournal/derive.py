"""The invalidation model: derived values and pages, each remembered with the facts it was made from.

Every fact the model holds has a key (`("person", "ada")`, `("history", "ada")`, `("config",)`, see
model.py). A derived value (a contact status, a page) is made by a recipe, a module-level function of the
build's context and a few plain arguments; while it runs, every fact and value it reads is recorded, in
the order it reads them. A build that changed facts calls `begin(changed)`, which marks every value that
read one of them, directly or through another value, as possibly stale. Such a value is looked at again
only when asked for: its reads are checked in order, values among them brought up to date first, and it
is made again only if one of them changed. A value made again equal to the old one does not count as
changed, so what read it stays as it is (Salsa's red-green algorithm with "backdating"; Sphinx's
dependency notes). Pages are values too: their value is the digest of their bytes.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

Key = tuple[Hashable, ...]
Recipe = tuple[Callable[..., Any], tuple[Any, ...]]


def eager(recipe: Callable[..., Any]) -> Callable[..., Any]:
    """Mark RECIPE as cheap, or reading only values every build makes anyway: when something it read
    changes, `begin` makes its value again at once, and what read it is marked stale only if the value
    changed. A firewall: a year's count of notes changes with every new note, whether the year's pages are
    split into months rarely does, and thousands of rows link into the year."""
    recipe.eager = True  # type: ignore[attr-defined]
    return recipe


#: Readers of a fact kept in a tuple up to _FEW_READERS, in a list up to _MANY_READERS, beyond in a set (see
#: Memo.dependents): a set of 19 to 64 takes 2,264 bytes, a tuple of them 200 to 552, and 40,000 facts have 9
#: to 64 readers at L; a set of 129 to 256, 8,408 bytes, a list 1,100 to 2,100 (2,000 facts at L). A list
#: loses a reader by a search, and the few facts nearly every value reads (the config, the date) have a set
_FEW_READERS, _MANY_READERS = 64, 1024


def _kept_readers(readers: list[Key]) -> tuple[Key, ...] | list[Key] | set[Key]:
    """READERS of a fact as `Memo._add_reader` keeps them, added one by one."""
    if len(readers) <= _FEW_READERS:
        return tuple(readers)
    return readers if len(readers) <= _MANY_READERS else set(readers)


class Entry:
    __slots__ = ("value", "deps", "recipe", "verified")

    def __init__(self, value: Any, deps: tuple[Key, ...], recipe: Recipe | None, verified: int) -> None:
        self.value, self.deps, self.recipe = value, deps, recipe
        self.verified = verified  # the build in which the value was last made or found current


class Memo:
    """Derived values by key, with what each read; `context` is what recipes are called with."""

    def __init__(self) -> None:
        self.entries: dict[Key, Entry] = {}
        # fact or value -> the values that read it: a tuple while they are few (most facts have one or two
        # readers; an empty set takes 216 bytes, and half a million facts are read at L), then a list, then
        # a set (see _FEW_READERS)
        self.dependents: dict[Key, tuple[Key, ...] | list[Key] | set[Key]] = {}
        # values that read something changed since they were made; a value no build asked for stays here
        # (a person's page while they were deleted), to be checked when one does
        self.stale: set[Key] = set()
        # stale value -> what it read that changed or went stale since it was made: only these are looked at
        # again (a page reads thousands of facts; an edit changes a few)
        self.dirty: dict[Key, set[Key]] = {}
        self.build = 0
        self.changed_in: dict[Key, int] = {}  # fact or value -> the last build in which it changed
        self.context: Any = None
        self._reading: list[dict[Key, None]] = []
        self._keys: dict[Key, Key] = {}  # one tuple per key: a page reads a hundred, a build a million
        self._orphans: set[Key] = set()  # values dropped in this build by what read them (see end)
        # the whole memo as last saved or restored (`mark_saved`): its name, and its build; the values forgotten
        # since (see `changes`)
        self.saved_as: str | None = None
        self._saved_build = 0
        self._gone: set[Key] = set()

    def read(self, key: Key) -> None:
        """Record that what is being made reads KEY."""
        if self._reading:
            self._reading[-1][key] = None

    def begin(self, changed: Iterable[Key], context: Any) -> None:
        """Start a build in CONTEXT in which the facts CHANGED differ from the last build's."""
        self.context = context
        self.build += 1
        self._mark(changed)

    def also_changed(self, changed: Iterable[Key]) -> None:
        """In this build the facts CHANGED differ from the last build's too: facts known only once the
        build has begun (each person's findings, which come of the checks). What read them is marked as
        `begin` marks it; nothing that read one may have been made or checked in this build yet."""
        changed = list(changed)
        for key in changed:
            assert all(self.entries[reader].verified < self.build for reader in self.dependents.get(key, ())), key
        self._mark(changed)

    def _mark(self, changed: Iterable[Key]) -> None:
        """CHANGED changed in this build: mark what read them, directly or through other values."""
        keys = self._keys
        work = [keys.get(key, key) for key in changed]  # the very tuples the values read: found by identity
        for key in work:
            self.changed_in[key] = self.build
        dirty = self.dirty
        eager: list[Key] = []
        while work:
            while work:
                read = work.pop()
                for key in self.dependents.get(read, ()):
                    dirty.setdefault(key, set()).add(read)
                    if key not in self.stale:
                        self.stale.add(key)
                        (eager if self._eager(key) else work).append(key)
            for key in eager:  # made again now: what read it is stale only if it changed
                entry = self.entries[key]
                assert entry.recipe is not None
                self._current(key, *entry.recipe)
                if self.changed(key):
                    work.append(key)
            eager.clear()

    def _eager(self, key: Key) -> bool:
        """Is KEY a value of an `eager` recipe? (Made again in `begin` once every value a change reaches
        through lazy ones is marked stale: values it reads are brought up to date as on any read.)"""
        entry = self.entries.get(key)
        return entry is not None and entry.recipe is not None and getattr(entry.recipe[0], "eager", False)

    def changed(self, key: Key) -> bool:
        """Did KEY change in this build?"""
        return self.changed_in.get(key, -1) == self.build

    @contextmanager
    def recording(self) -> Iterator[dict[Key, None]]:
        """Collect the keys read inside the block, in order (for values the caller makes and `record`s)."""
        reads: dict[Key, None] = {}
        self._reading.append(reads)
        try:
            yield reads
        finally:
            self._reading.pop()

    def get(self, key: Key, recipe: Callable[..., Any], *args: Any) -> Any:
        """The value of KEY, made by RECIPE(context, *ARGS) unless a current one is known."""
        if self._reading:  # self.read(key) and the common case of _current, written out: a build makes
            self._reading[-1][key] = None  # tens of thousands of these calls
        entry = self.entries.get(key)
        if entry is not None and key not in self.stale:
            return entry.value
        return self._current(key, recipe, args)

    def _current(self, key: Key, recipe: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        entry = self.entries.get(key)
        if entry is not None and (key not in self.stale or not self._outdated(key, entry)):
            return entry.value
        with self.recording() as reads:
            value = recipe(self.context, *args)
        return self.record(key, value, reads, (recipe, args))

    def is_current(self, key: Key) -> bool:
        """Is KEY known and made from facts that have not changed? (Values it read are brought up to date.)"""
        entry = self.entries.get(key)
        return entry is not None and (key not in self.stale or not self._outdated(key, entry))

    def record(self, key: Key, value: Any, deps: Iterable[Key], recipe: Recipe | None = None) -> Any:
        """Remember VALUE of KEY as made from DEPS (in the order read); returns the value kept (the old
        one, if equal: what read it need not be made again)."""
        old = self.entries.get(key)
        key, ordered, dropped = self._linked(key, deps, old)
        if old is not None and old.value == value:
            value = old.value
        else:
            self.changed_in[key] = self.build
        self.entries[key] = Entry(value, ordered, recipe, self.build)
        self.stale.discard(key)
        self.dirty.pop(key, None)
        # values it no longer reads (the row of a follow-up since edited) go at the end of the build if
        # nothing reads them then: serve runs for days. Not now: a value still being made, or a page made
        # but not yet recorded, may have read one (workers render pages made a few chunks ahead).
        self._orphans.update(dep for dep in dropped if dep in self.entries)
        return value

    def _linked(self, key: Key, deps: Iterable[Key], old: Entry | None) -> tuple[Key, tuple[Key, ...], set[Key]]:
        """KEY and DEPS (in the order read) as the memo's own tuples, KEY now a reader of each of DEPS and of
        no other of OLD's: (the key, the deps, those of OLD's it no longer reads)."""
        keys = self._keys
        # one tuple per key as a reader too: a page's key is made anew each build, and its readers are saved
        key = keys.setdefault(key, key)
        ordered = tuple([keys.setdefault(dep, dep) for dep in deps])
        if old is None:
            added: Iterable[Key] = ordered
            dropped: set[Key] = set()
        elif old.deps == ordered:  # most often (the same tuples, compared by identity): no sets of thousands
            return key, ordered, set()
        else:
            dropped = set(old.deps).difference(ordered)
            for dep in dropped:
                self._drop_reader(dep, key)
            added = set(ordered).difference(old.deps)
        for dep in added:
            self._add_reader(dep, key)
        return key, ordered, dropped

    def end(self) -> None:
        """End a build: forget the values that were dropped by what read them and that nothing reads now."""
        orphans, self._orphans = self._orphans, set()
        self.forget(key for key in orphans if not self.dependents.get(key))

    def _outdated(self, key: Key, entry: Entry) -> bool:
        """For a stale ENTRY: did anything it read change since it was made? Its reads are checked in the
        order it made them (the first may decide what the others are about), stale values among them made
        again first. Only the reads marked dirty can have changed: those are looked at, in that order."""
        for dep in self._in_read_order(self.dirty.get(key, set()), entry.deps):
            if dep in self.stale:
                dep_entry = self.entries.get(dep)
                if dep_entry is None or dep_entry.recipe is None:
                    return True  # not something this memo can make again: count it as changed
                self._current(dep, *dep_entry.recipe)
            if self.changed_in.get(dep, -1) > entry.verified:
                return True
        entry.verified = self.build
        self.stale.discard(key)
        self.dirty.pop(key, None)
        return False

    @staticmethod
    def _in_read_order(dirty: set[Key], deps: tuple[Key, ...]) -> list[Key]:
        """The reads DIRTY in the order of DEPS (all reads, in order): a few are found by a scan each."""
        if len(dirty) <= 1:
            return list(dirty)
        if len(dirty) <= 16:
            try:
                return sorted(dirty, key=deps.index)
            except ValueError:
                pass
        return [dep for dep in deps if dep in dirty]

    def saved(self) -> dict:
        """What `restore` needs in another process: every value, what it read, its recipe by name, and which
        are stale."""
        entries = {key: _saved_entry(entry) for key, entry in self.entries.items()}
        # when a key changed matters only to what read it since made or found current before then (`_outdated`):
        # what nothing holds or reads, or changed before every value's build, is not kept (470,000 keys at L
        # after a cold build, 8.7 MB; none kept now)
        floor = self._oldest_verified()
        changed_in = {key: build for key, build in self.changed_in.items()
                      if build > floor and (key in entries or key in self.dependents)}
        # the readers of each fact too, though `entries` says them: gathering their 2.5 million reads at L
        # again took 1.8 s (a lookup in a dict of 470,000 facts each). Flat, in three lists, not a tuple or a
        # list per fact: pickle remembers every object it writes, and 470,000 more took 100 MiB at the peak
        readers = self.dependents
        flat = [reader for of_fact in readers.values() for reader in of_fact]
        return {"build": self.build, "stale": self.stale, "changed in": changed_in, "dirty": self.dirty,
                "entries": entries, "readers": (list(readers), flat, [len(of_fact) for of_fact in readers.values()])}

    def mark_saved(self, name: str) -> None:
        """The memo as it is now was saved whole (`saved`) as NAME: `changes` are counted from here."""
        self.saved_as, self._saved_build, self._gone = name, self.build, set()

    def changes(self) -> dict | None:
        """What `restore_changes` needs to bring the memo last saved whole (`mark_saved`) to this one: the
        values made or found current since, those forgotten, what changed since; None when it was not saved.
        (At L the whole memo is 77 MB, 1.4 s to pickle; a one-note edit makes or checks a few hundred values.)"""
        if self.saved_as is None:
            return None
        since, changed_in = self._saved_build, self.changed_in
        entries, rechecked = {}, {}
        for key, entry in self.entries.items():
            if entry.verified > since:
                if changed_in.get(key, since) > since:  # (unknown: unchanged since, see `saved`)
                    entries[key] = _saved_entry(entry)
                else:  # made again equal, or found current: the value saved whole (all findings, 5 MB at L)
                    rechecked[key] = _saved_entry(entry)[1:]
        return {"build": self.build, "stale": self.stale, "dirty": self.dirty, "entries": entries,
                "rechecked": rechecked, "gone": self._gone,
                # every change since (a value made since, not in the memo saved whole, is known by its own)
                "changed in": {key: build for key, build in changed_in.items() if build > since}}

    def _oldest_verified(self) -> int:
        """The build of the value made or found current longest ago (this build's when there is none)."""
        return min((entry.verified for entry in self.entries.values()), default=self.build)

    def restore_changes(self, changes: dict, recipes: dict[str, Callable[..., Any]]) -> None:
        """Apply CHANGES (by `changes`, then pickled) to the memo `restore`d from what they were counted from."""
        for key in changes["gone"]:
            entry = self.entries.pop(key, None)
            for dep in entry.deps if entry is not None else ():
                self._drop_reader(dep, key)
        values = [(key, (self.entries[key].value, *rest)) for key, rest in changes["rechecked"].items()]
        for key, (value, deps, verified, recipe) in [*changes["entries"].items(), *values]:
            key, ordered, _ = self._linked(key, deps, self.entries.get(key))
            self.entries[key] = Entry(value, ordered, _recipe_named(recipe, recipes), verified)
        self.changed_in.update(changes["changed in"])
        self.build, self.stale = changes["build"], set(changes["stale"])
        self.dirty = {key: set(reads) for key, reads in changes["dirty"].items()}
        self._gone = set(changes["gone"])  # still gone from the memo saved whole

    def restore(self, saved: dict, recipes: dict[str, Callable[..., Any]], name: str | None = None) -> None:
        """The values SAVED (by `saved`, then pickled) in a build of the same notes, with their recipes found
        by name; NAME: what the memo was saved whole as (`mark_saved`)."""
        for key, (value, deps, verified, recipe) in saved["entries"].items():
            # one tuple per key, the very ones the readers below hold: pickle keeps what the saved memo shared
            self.entries[key] = Entry(value, tuple(deps), _recipe_named(recipe, recipes), verified)
        facts, flat, counts = saved["readers"]
        self.dependents, start = {}, 0
        for fact, count in zip(facts, counts, strict=True):
            self.dependents[fact] = _kept_readers(flat[start:start + count])
            start += count
        self._keys = {dep: dep for dep in self.dependents}
        self.build, self.stale, self.changed_in = saved["build"], set(saved["stale"]), dict(saved["changed in"])
        self.dirty = {key: set(reads) for key, reads in saved["dirty"].items()}
        self.saved_as, self._saved_build, self._gone = name, self.build, set()

    def forget(self, keys: Iterable[Key]) -> None:
        """Drop the values of KEYS (pages that are gone), and every value only they read."""
        work = list(keys)
        while work:
            key = work.pop()
            if self.dependents.get(key):
                continue  # still read by another value
            entry = self.entries.pop(key, None)
            if entry is None:
                continue
            self._gone.add(key)
            self.dependents.pop(key, None)
            self.stale.discard(key)
            self.dirty.pop(key, None)
            for dep in entry.deps:
                if dep in self.dependents:
                    self._drop_reader(dep, key)
                    if dep not in self.dependents and dep in self.entries:
                        work.append(dep)

    def _add_reader(self, dep: Key, key: Key) -> None:
        # KEY is not among DEP's readers yet (`record` adds only what it did not read): a tuple of 64 is not
        # searched for it
        readers = self.dependents.get(dep)
        if readers is None:
            self.dependents[dep] = (key,)
        elif isinstance(readers, tuple):
            self.dependents[dep] = (*readers, key) if len(readers) < _FEW_READERS else [*readers, key]
        elif isinstance(readers, set):
            readers.add(key)
        elif len(readers) < _MANY_READERS:
            readers.append(key)
        else:
            self.dependents[dep] = {*readers, key}

    def _drop_reader(self, dep: Key, key: Key) -> None:
        """KEY no longer reads DEP (DEP goes when nothing reads it)."""
        readers = self.dependents[dep]
        if isinstance(readers, tuple):
            readers = self.dependents[dep] = tuple(reader for reader in readers if reader != key)
        elif isinstance(readers, set):
            readers.discard(key)
        elif key in readers:
            readers.remove(key)
        if not readers:
            del self.dependents[dep]


def _saved_entry(entry: Entry) -> tuple:
    """ENTRY as `saved` and `changes` keep it: its recipe by name."""
    return (entry.value, entry.deps, entry.verified,
            (entry.recipe[0].__name__, entry.recipe[1]) if entry.recipe else None)


def _recipe_named(saved: tuple | None, recipes: dict[str, Callable[..., Any]]) -> Recipe | None:
    """A recipe as `_saved_entry` keeps it (its function's name, its arguments), found in RECIPES."""
    return (recipes[saved[0]], tuple(saved[1])) if saved is not None else None
