"""A cache around the pure per-note load, kept in memory (serve) and on disk between builds.

Each entry is keyed by the note's journal-relative path and remembers the file's size, modification time
and a hash of its bytes. A note whose size and mtime match is trusted without reading it, unless it was
modified within RACY_SECONDS of being read (git's "racy" check: two saves inside one timestamp tick with
the same size must not hide the second one); then, as whenever size or mtime differ, it is read and its
hash decides. `derive(outcome)` is an optional pure extra computed with each load (the site build keeps a
note body's HTML there), so a cached note costs neither parsing nor markdown.

On disk the cache is a folder in `.netjournal-cache/` beside the site's output: an index and SHARDS files
of entries (by a hash of the note's path), so saving after an edit rewrites the few shards that changed,
not the whole cache; on a cold build of a large journal each worker process saves the shard it loaded
(`_fresh_shard`), so the building process never pickles the notes again. The index holds a key made of
netjournal's version and code, the libraries that shape a record, and the journal's config: a cache
with another key is quietly ignored, one that cannot be read is discarded with a warning. Files are
unpickled with an allowlist of classes, so a cache file someone else planted cannot run code. Each file
is written to a temporary file and renamed over the old one; the index names the generation of every
shard it was saved with, so when two builds race, a shard the other build overwrote is dropped (its
notes are read again), never mixed in.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable

from . import code_stamp
from .config import CACHE_FOLDER
from .files import open_regular
from .load import (
    NoteChange,
    NoteLoad,
    in_parallel,
    load_many,
    load_note,
    map_in_processes,
    read_and_load,
)

RACY_SECONDS = 2.0
_FORMAT = 2
SHARDS = 64


def shard_of(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8")) % SHARDS


@dataclass
class _Entry:
    kind: str
    size: int
    mtime_ns: int
    read_at: float  # time.time() when the bytes were read
    digest: bytes
    outcome: NoteLoad
    derived: Any = None


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _stat_and_read(path: str) -> tuple[os.stat_result, float, bytes]:
    """A file's stat (taken before reading it: a later change shows in its size or time), the time it was
    read at, and its bytes. Plain os calls on one descriptor: 7 µs a note rather than 12 with os.stat and
    open(). Anything but a regular file (a folder, a FIFO, a device) is an OSError."""
    fd, stat = open_regular(path)  # a FIFO, or a device, is an OSError here, not a read that never ends
    try:
        read_at = time.time()
        data = os.read(fd, stat.st_size + 1)
        if data:  # read on to the end, as open().read() does: the file may have grown, or a read come short
            blocks = [data]
            while block := os.read(fd, 1 << 16):
                blocks.append(block)
            data = b"".join(blocks) if len(blocks) > 1 else data
        return stat, read_at, data
    finally:
        os.close(fd)


def _fresh_entry(derive: Callable[[NoteLoad], Any] | None, kind: str, rel: str, path: str) -> _Entry | NoteLoad:
    """Read, load and derive one note: what a worker process runs for each note the cache lacks."""
    try:
        stat, read_at, data = _stat_and_read(path)
    except OSError:
        return read_and_load(kind, rel, path)  # it turns the I/O error into an unreadable-file finding
    outcome = load_note(kind, rel, data)
    derived = derive(outcome) if derive is not None else None
    return _Entry(kind, stat.st_size, stat.st_mtime_ns, read_at, _digest(data), outcome, derived)


def _fresh_shard(derive: Callable[[NoteLoad], Any] | None, folder: str, items: list[tuple[str, str, str]]
                 ) -> tuple[str | None, bytes, dict[str, NoteLoad]]:
    """What a worker runs for one shard's notes when the cache holds none (a cold build): read, load and
    derive them, and save the shard then and there, so the building process pickles none of it again.
    Returns the shard's generation (None if it could not be saved), its entries pickled as the file holds
    them, and the notes that could not be read (not cached)."""
    entries: dict[str, _Entry] = {}
    unreadable: dict[str, NoteLoad] = {}
    for kind, rel, path in items:
        fresh = _fresh_entry(derive, kind, rel, path)
        if isinstance(fresh, NoteLoad):
            unreadable[rel] = fresh
        else:
            entries[rel] = fresh
    data = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
    generation: str | None = os.urandom(8).hex()
    try:
        _write_pickled(Path(folder) / f"{shard_of(items[0][1]):02d}.pickle",
                       pickle.dumps({"generation": generation}, protocol=pickle.HIGHEST_PROTOCOL), data)
    except OSError:
        generation = None
    return generation, data, unreadable


def _unpickle_entries(shard: tuple[str | None, bytes, dict[str, NoteLoad]]
                      ) -> tuple[str | None, dict[str, _Entry], dict[str, NoteLoad]]:
    """A _fresh_shard result with its entries unpickled (our own workers' bytes): done as each shard
    arrives, beside the workers, rather than all at once after the last one (1.1 s at 100,000 notes; with
    both cores busy already, no faster in wall time as measured, but no shard's bytes are held to the end)."""
    generation, data, unreadable = shard
    return generation, pickle.loads(data), unreadable


class NoteCache:
    def __init__(self, derive: Callable[[NoteLoad], Any] | None = None) -> None:
        """DERIVE must be a module-level function (worker processes receive it by name)."""
        self.derive = derive
        self._entries: dict[str, _Entry] = {}
        self.seen: set[str] = set()  # paths asked for in the current pass
        self.reloaded: set[str] = set()  # paths whose record may differ from the last pass
        # what each path read anew or removed in this pass held before it (None: it was not cached)
        self.before: dict[str, NoteLoad | None] = {}
        self.only: set[str] | None = None
        # (size, mtime_ns) of notes, stat-ed by the caller for this pass: not stat-ed again
        self.stats: dict[str, tuple[int, int]] | None = None
        self.parallel = True  # False once the caller runs threads: worker processes are forked
        self.generation: str | None = None  # names the saved state this cache was opened from
        self._saved_shards: dict[int, str] = {}  # shard -> its generation on disk, if unchanged since
        self.folder: Path | None = None  # where it is saved (opened from): see _load_shards

    def __len__(self) -> int:
        return len(self._entries)

    def start_pass(self, only: set[str] | None = None, stats: dict[str, tuple[int, int]] | None = None) -> None:
        """Begin a pass. With ONLY (paths a file watcher saw modified), every other cached note is trusted
        without a stat; without it, every note is checked, against STATS (path -> (size, mtime_ns), from a
        stat the caller made just before) where it has them."""
        self.seen = set()
        self.reloaded = set()
        self.before = {}
        self.only = only
        self.stats = stats

    def _cached(self, kind: str, rel: str, path: str | Path) -> tuple[_Entry | None, bool]:
        """(entry, trusted): trusted means the entry can be used without reading the file."""
        entry = self._entries.get(rel)
        if entry is None or entry.kind != kind:
            return None, False
        if self.only is not None and rel not in self.only:
            return entry, True
        known = self.stats.get(rel) if self.stats is not None else None
        if known is None:
            try:
                stat = os.stat(path)
            except OSError:
                return None, False
            known = (stat.st_size, stat.st_mtime_ns)
        size, mtime_ns = known
        unchanged = entry.size == size and entry.mtime_ns == mtime_ns
        return entry, unchanged and mtime_ns / 1e9 < entry.read_at - RACY_SECONDS

    def _changed(self, rel: str) -> None:
        self._saved_shards.pop(shard_of(rel), None)
        if rel not in self.before:
            previous = self._entries.get(rel)
            self.before[rel] = previous.outcome if previous is not None else None
        self.reloaded.add(rel)

    def _take(self, rel: str, fresh: _Entry | NoteLoad, old: _Entry | None) -> NoteLoad:
        if isinstance(fresh, NoteLoad):  # unreadable: nothing to remember
            self._changed(rel)
            self._entries.pop(rel, None)
            return fresh
        if old is not None and old.digest == fresh.digest:
            # touched, or verified after a racy read: same bytes, same record (kept, so the model's objects
            # stay the same and incremental rebuilds see no change)
            old.size, old.mtime_ns, old.read_at = fresh.size, fresh.mtime_ns, fresh.read_at
            self._saved_shards.pop(shard_of(rel), None)  # its stat is worth saving: no need to read it again
            if old.derived is None:
                old.derived = fresh.derived
            return old.outcome
        self._changed(rel)
        self._entries[rel] = fresh
        return fresh.outcome

    def __call__(self, kind: str, rel: str, path: str | Path) -> NoteLoad:
        """The loader protocol of load_journal: one note."""
        return self.load_many([(kind, rel, str(path))])[0]

    def load_many(self, items: list[tuple[str, str, str]], on_loaded: Callable[[int], None] | None = None
                  ) -> list[NoteLoad]:
        """Every note of ITEMS (kind, rel, path), in order: cached ones as they are, the rest read and
        loaded (across worker processes when there are many)."""
        outcomes: list[NoteLoad | None] = []
        missing: list[tuple[str, str, str]] = []
        old: list[_Entry | None] = []
        for kind, rel, path in items:
            self.seen.add(rel)
            entry, trusted = self._cached(kind, rel, path)
            if trusted and (self.derive is None or entry.derived is not None):
                outcomes.append(entry.outcome)
            else:
                outcomes.append(None)
                missing.append((kind, rel, path))
                old.append(entry)
        if on_loaded is not None and len(items) > len(missing):
            on_loaded(len(items) - len(missing))
        if missing and not self._entries and self.parallel and self.folder is not None and in_parallel(missing):
            loaded = self._load_shards(missing, on_loaded)
            if loaded is not None:
                return [outcome if outcome is not None else loaded[rel]
                        for outcome, (_, rel, _) in zip(outcomes, items)]
        if missing:
            fresh = load_many(missing, partial(_fresh_entry, self.derive), on_loaded, self.parallel)
            results = iter(self._take(rel, entry, previous)
                           for (_, rel, _), entry, previous in zip(missing, fresh, old))
            outcomes = [outcome if outcome is not None else next(results) for outcome in outcomes]
        return outcomes  # type: ignore[return-value]

    def _load_shards(self, missing: list[tuple[str, str, str]], on_loaded: Callable[[int], None] | None
                     ) -> dict[str, NoteLoad] | None:
        """Load MISSING into this empty cache, a worker per shard saving it as it goes (_fresh_shard): a cold
        build of 100,000 notes then spends no time saving the cache. Path -> its load; None when workers
        cannot be had."""
        assert self.folder is not None
        try:
            prepare_folder(self.folder)
        except OSError:
            return None
        clear_dead_writes(self.folder)
        by_shard: dict[int, list[tuple[str, str, str]]] = {}
        for item in missing:
            by_shard.setdefault(shard_of(item[1]), []).append(item)
        results = map_in_processes(partial(_fresh_shard, self.derive, str(self.folder)), list(by_shard.values()),
                                   on_loaded, keep=_unpickle_entries)
        if results is None:
            return None
        loaded: dict[str, NoteLoad] = {}
        for shard, (generation, entries, unreadable) in zip(by_shard, results):
            for rel, entry in entries.items():
                loaded[rel] = self._take(rel, entry, None)
            for rel, outcome in unreadable.items():
                loaded[rel] = self._take(rel, outcome, None)
            if generation is not None:  # the shard on disk holds what this cache holds of it
                self._saved_shards[shard] = generation
        return loaded

    def stats_of(self, rels: Iterable[str]) -> dict[str, tuple[int, int]] | None:
        """(size, mtime_ns) of each note of RELS, as this pass found it before reading or trusting it (see
        build.note_stats, which stats them instead); None when one of them could not be read."""
        stats = {}
        for rel in rels:
            entry = self._entries.get(rel)
            if entry is None:
                return None
            stats[rel] = (entry.size, entry.mtime_ns)
        return stats

    def before_and_now(self, rels: Iterable[str]) -> list[NoteChange]:
        """For each path of RELS that changed in this pass (read anew, or removed once the pass ended), in
        path order: (what the cache held before the pass, what it holds now); None where it held nothing."""
        pairs = []
        for rel in sorted(rels):
            if rel in self.before:
                entry = self._entries.get(rel)
                pairs.append((self.before[rel], entry.outcome if entry is not None else None))
        return pairs

    def forget(self, rels: Iterable[str]) -> None:
        """Forget the notes at RELS (a watcher saw them deleted) in this pass, as end_pass forgets the notes
        a pass did not see: each counts as changed, its entry held before the pass kept in `before`."""
        for rel in rels:
            if rel in self._entries:
                self._changed(rel)
                del self._entries[rel]

    def records_now(self, rels: Iterable[str]) -> dict[str, Any]:
        """Path -> the record the cache holds for each of RELS (None: it holds none, the note being gone or
        broken)."""
        found = {}
        for rel in rels:
            entry = self._entries.get(rel)
            found[rel] = entry.outcome.record if entry is not None else None
        return found

    def end_pass(self) -> set[str]:
        """Forget notes that are gone; return every path that changed in this pass (read anew or removed)."""
        removed = set(self._entries) - self.seen
        for rel in removed:
            self.before.setdefault(rel, self._entries.pop(rel).outcome)
            self._saved_shards.pop(shard_of(rel), None)
        return self.reloaded | removed

    def records_before(self) -> dict[str, Any]:
        """After end_pass: path -> the record each note read anew or removed in this pass had before it
        (None: it had none)."""
        return {rel: outcome.record if outcome is not None else None for rel, outcome in self.before.items()}

    def outcomes_before(self) -> list[NoteLoad]:
        """After end_pass: every note as the cache held it before this pass (what the last build read)."""
        kept = [entry.outcome for rel, entry in self._entries.items() if rel not in self.before]
        return kept + [outcome for outcome in self.before.values() if outcome is not None]

    def derived_of(self, record: Any) -> Any:
        """The derived value of the note RECORD was loaded from, if the cache holds it with RECORD's body
        (a shared site's records lose their private passages); else None."""
        entry = self._entries.get(record.path)
        if entry is None or entry.outcome.record is None or entry.outcome.record.body != record.body:
            return None
        return entry.derived

    # --- on disk -------------------------------------------------------------------------------------------

    @classmethod
    def open(cls, folder: Path, key: str, derive: Callable[[NoteLoad], Any] | None = None
             ) -> tuple[NoteCache, str | None]:
        """The cache saved in FOLDER under KEY, or an empty one and a warning saying why it was discarded."""
        cache = cls(derive)
        cache.folder = folder
        try:
            index = _read(folder / "index.pickle")
            if not isinstance(index, dict) or index.get("format") != _FORMAT:
                return cache, f"ignoring the cache {folder}: it was written in another format; rebuilding it"
            if index.get("key") != key:
                return cache, None  # netjournal, its libraries or the config changed: quietly start afresh
            generation, shards = index.get("generation"), index.get("shards")
            if not isinstance(generation, str) or not isinstance(shards, dict):
                raise ValueError("index")
            entries: dict[str, _Entry] = {}
            saved: dict[int, str] = {}
            for shard, shard_generation in shards.items():
                try:
                    header, part = _read(folder / f"{shard:02d}.pickle", 2)
                except FileNotFoundError:
                    continue
                if not isinstance(header, dict) or header.get("generation") != shard_generation:
                    continue  # another build saved this shard since: its notes are read again
                if not isinstance(part, dict) or not all(isinstance(e, _Entry) for e in part.values()):
                    # CACHE is still empty: its entries are taken only once every shard was read
                    return cache, f"ignoring the cache {folder}: it does not hold note entries; rebuilding it"
                entries.update(part)
                saved[shard] = shard_generation
        except FileNotFoundError:
            return cache, None
        except Exception as exc:  # noqa: BLE001 - any damage at all means the cache is not trusted
            return cache, f"ignoring the cache {folder}: it cannot be read ({type(exc).__name__}); rebuilding it"
        cache._entries = entries
        cache._saved_shards = saved
        # only a cache read whole is a saved state that a site can have been built from
        cache.generation = generation if len(saved) == len(shards) else None
        return cache, None

    def save(self, folder: Path, key: str) -> None:
        """Write the shards that changed, then the index, each atomically. Failing to save costs only speed."""
        if self.generation is not None and len(self._saved_shards) == SHARDS:
            return  # nothing changed since it was opened or saved
        try:
            prepare_folder(folder)
            clear_dead_writes(folder)
            parts: dict[int, dict[str, _Entry]] = {}
            for rel, entry in self._entries.items():
                parts.setdefault(shard_of(rel), {})[rel] = entry
            for shard in range(SHARDS):
                if shard not in self._saved_shards:
                    shard_generation = os.urandom(8).hex()
                    _write(folder / f"{shard:02d}.pickle", {"generation": shard_generation}, parts.get(shard, {}))
                    self._saved_shards[shard] = shard_generation
            generation = os.urandom(12).hex()
            _write(folder / "index.pickle", {"format": _FORMAT, "key": key, "generation": generation,
                                             "shards": dict(self._saved_shards)})
            self.generation = generation
        except OSError:
            self.generation = None  # what is on disk (if anything) is not this state
            self._saved_shards = {}


IGNORE_TEXT = "# written by netjournal: a cache, safe to delete\n*\n"


def prepare_folder(folder: Path) -> None:
    """Make FOLDER (the cache folder, or a folder in it) with an ignore file inside the cache folder itself:
    git then ignores the cache wherever the output goes, and nothing outside it (a journal's notes)."""
    folder.mkdir(parents=True, exist_ok=True)
    cache = folder if folder.name == CACHE_FOLDER else folder.parent
    marker = cache / ".gitignore"
    if not marker.exists():
        marker.write_text(IGNORE_TEXT, encoding="utf-8")
    _take_back_ignore_file(cache.parent / ".gitignore")


def _take_back_ignore_file(path: Path) -> None:
    """Earlier versions wrote the cache's ignore file beside the cache folder (into the journal, by default),
    where its `*` hid every new note from git: remove that file when it is exactly what they wrote."""
    try:
        if path.stat().st_size == len(IGNORE_TEXT) and path.read_text(encoding="utf-8") == IGNORE_TEXT:
            path.unlink()
    except (OSError, ValueError):
        pass


def clear_dead_writes(folder: Path) -> None:
    """Remove the temporary files in FOLDER (a cache's) of writers that are gone: a build killed midway,
    or its workers, killed while saving a file (_write_pickled names them)."""
    if os.name != "posix":  # there is no harmless way to ask whether a process lives
        return
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        parts = entry.name.split("-")
        if not entry.name.startswith(".") or len(parts) != 3 or not parts[1].isdigit():
            continue
        try:
            os.kill(int(parts[1]), 0)
        except ProcessLookupError:
            Path(entry.path).unlink(missing_ok=True)
        except OSError:
            pass  # a process of someone else's: alive


def _read(path: Path, count: int = 1) -> Any:
    with open(path, "rb") as handle:  # one unpickler per pickle: each has its own memo
        values = tuple(_SafeUnpickler(handle).load() for _ in range(count))
    return values if count > 1 else values[0]


def _write(path: Path, *values: Any) -> None:
    _write_pickled(path, *(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) for value in values))


def _write_pickled(path: Path, *pickles: bytes) -> None:
    """PICKLES one after the other into PATH, atomically (_read reads them back one by one)."""
    # the writer's process id in the name: a writer killed midway leaves a file clear_dead_writes removes
    fd, temp = tempfile.mkstemp(prefix=f".{path.stem}-{os.getpid()}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for data in pickles:
                handle.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# Everything a cache file may name: the classes of a note's record, findings and derived HTML, and dates.
_ALLOWED_CLASSES = {
    "netjournal.records": None, "netjournal.load": {"NoteLoad"}, "netjournal.findings": {"Finding", "Source", "Severity"},
    "netjournal.cache": {"_Entry"}, "netjournal.site.markdown": {"BodyHtml"}, "datetime": {"date"},
    "builtins": {"frozenset", "set"},
}


class _SafeUnpickler(pickle.Unpickler):
    """Unpickles only data: the allowlisted classes above, never a function or any other class."""

    def find_class(self, module: str, name: str) -> Any:
        allowed = _ALLOWED_CLASSES.get(module, set())
        if (allowed is not None and name not in allowed) or name.startswith("__"):
            raise pickle.UnpicklingError(f"refusing {module}.{name}")
        value = super().find_class(module, name)
        if not isinstance(value, type):
            raise pickle.UnpicklingError(f"refusing {module}.{name}: not a class")
        return value


def cache_key(config_bytes: bytes, derive: Callable | None = None) -> str:
    """What a cached record depends on besides the note itself: netjournal (its version and the stat of its
    code, so an upgrade or a local edit invalidates), the parsing libraries, the config, the derive step."""
    import markdown_it
    import yaml

    parts = [code_stamp(), sys.version, yaml.__version__, markdown_it.__version__,
             _digest(config_bytes).hex(), getattr(derive, "__qualname__", "") + getattr(derive, "__module__", "")]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()

