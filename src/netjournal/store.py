"""The note store: every note's load (record, findings) and its body's HTML, kept by path, read anew only
when the file changed, and saved between builds.

A note is trusted without reading it when its size and modification time are those it had when it was
read, and it was not modified within RACY_SECONDS of that read (git's "racy" check: two saves in one
timestamp tick with the same size must not hide the second). Otherwise it is read, and the hash of its
bytes decides whether it changed. Loading is `load.load_note` plus `markdown.prerender` of the body: pure
functions of the path and bytes, run in worker processes for many notes (pool.py).

On disk the store is up to SHARDS files of entries (by a hash of the path; a shard of no note has none)
under the build's state folder, each written atomically, so saving after an edit rewrites the shards that
changed. Files are unpickled with an allowlist of classes: a planted cache file cannot run code. A store
saved by another netjournal or for another config (its key) is ignored; a damaged one is discarded with a
warning.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import struct
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import code_stamp, load
from .files import Stamp, file_stamp, open_regular
from .fsutil import atomic_write, clear_dead_writes, prepare_cache
from .load import NoteLoad, load_note, unreadable_note
from .site.markdown import BodyHtml, prerender

RACY_SECONDS = 2.0
SHARDS = 64
_FORMAT = 6  # 5: records, entries and loads have slots (pickled as state tuples, not dicts); 6: stamps packed


@dataclass(slots=True)
class Entry:
    kind: str
    stamp: bytes  # of the file when read (files.file_stamp), packed: 65 bytes, where the tuple takes 200
    read_at: float  # time.time() when the bytes were read
    digest: bytes
    load: NoteLoad
    body: BodyHtml | None  # the record's body, prerendered


def packed(stamp: Stamp) -> bytes:
    """STAMP as an Entry keeps it (size, times in ns since 1970, before it too, and an inode of 64 bits)."""
    return struct.pack("<qqqQ", *stamp)


def shard_of(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8")) % SHARDS


def _stat_and_read(path: str) -> tuple[os.stat_result, float, bytes]:
    """A note's stat (taken before reading it: a later change shows in its size or time), the time it was
    read at, and its bytes. Anything but a regular file (a folder, a FIFO, a device) is an OSError."""
    fd, stat = open_regular(path)
    try:
        read_at = time.time()
        blocks = []
        while block := os.read(fd, max(stat.st_size + 1, 1 << 16)):
            blocks.append(block)
        return stat, read_at, b"".join(blocks)
    finally:
        os.close(fd)


def read_note(kind: str, rel: str, path: str) -> Entry | NoteLoad:
    """Read, load and prerender one note: an Entry, or the NoteLoad of a file that cannot be read."""
    try:
        stat, read_at, data = _stat_and_read(path)
    except OSError as exc:
        return unreadable_note(kind, rel, exc)
    load = load_note(kind, rel, data)
    body = prerender(load.record.body) if load.record is not None else None
    return Entry(kind, packed(file_stamp(stat)), read_at, hashlib.blake2b(data, digest_size=16).digest(),
                 load, body)


def read_shard(folder: str | None, items: list[tuple[str, str, str]]) -> tuple[bytes, dict[str, NoteLoad], bool]:
    """What a worker does with one shard's notes: read them, save the shard into FOLDER (if given) and
    return its entries pickled as saved, the loads of the notes that could not be read, and whether it
    saved the shard."""
    entries: dict[str, Entry] = {}
    unreadable: dict[str, NoteLoad] = {}
    for kind, rel, path in items:
        found = read_note(kind, rel, path)
        if isinstance(found, Entry):
            entries[rel] = found
        else:
            unreadable[rel] = found
    data = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
    saved = False
    if folder is not None:
        try:
            atomic_write(Path(folder) / f"{shard_of(items[0][1]):02d}.pickle", data)
            saved = True
        except OSError:
            pass  # the building process saves it (or, failing that, the store is not saved: only a cache)
    return data, unreadable, saved


NoteChange = tuple["NoteLoad | None", "NoteLoad | None"]


class NoteStore:
    """Notes by journal-relative path. `refresh` reads what changed and says what did."""

    def __init__(self, folder: Path | None = None, key: str = "") -> None:
        self.folder, self.key = folder, key
        self.entries: dict[str, Entry] = {}
        self.unsaved: set[int] = set(range(SHARDS))  # shards whose file is not what this store holds
        self.warning: str | None = None
        self.generation: str | None = None  # names the saved state this store is (None: none saved)
        self.unreadable: dict[str, NoteLoad] = {}  # notes that could not be read (not kept: read again)
        self._findings: dict[str, list] | None = None  # rel -> the findings of its load, for loads with any
        self._private: dict[str, Any] | None = None  # rel -> the record of a private note

    def records(self) -> list:
        return [entry.load.record for entry in self.entries.values() if entry.load.record is not None]

    def salvaged_names(self) -> list[tuple[str, ...]]:
        """The names found in each person note that could not be loaded, its id first (load.salvaged_names)."""
        loads = [*(entry.load for entry in self.entries.values() if entry.load.record is None),
                 *self.unreadable.values()]
        return [load.names for load in loads if load.names]

    def unread_people(self) -> dict[str, str]:
        """The person notes whose file could not be read: relative path -> why (load.unread_why)."""
        return {rel: load.unread_why(found) for rel, found in self.unreadable.items() if found.unread and found.names}

    def findings(self) -> list:
        """What reading the notes found (notes that cannot be read included)."""
        if self._findings is None:
            self._findings = {rel: entry.load.findings for rel, entry in self.entries.items() if entry.load.findings}
        return [f for found in (*self._findings.values(), *(load.findings for load in self.unreadable.values()))
                for f in found]

    def private_records(self) -> list:
        """The records of private notes (what `private-note-tracked` looks at)."""
        if self._private is None:
            self._private = {rel: entry.load.record for rel, entry in self.entries.items()
                             if entry.load.record is not None and entry.load.record.private}
        return list(self._private.values())

    def _note(self, rel: str, entry: Entry | None) -> None:
        """Keep the indexes of findings and private notes as ENTRY (None: gone) changes REL."""
        if self._findings is not None:
            self._findings.pop(rel, None)
            if entry is not None and entry.load.findings:
                self._findings[rel] = entry.load.findings
        if self._private is not None:
            self._private.pop(rel, None)
            if entry is not None and entry.load.record is not None and entry.load.record.private:
                self._private[rel] = entry.load.record

    def body(self, record: Any) -> BodyHtml | None:
        """The prerendered body of RECORD's note, if the store holds that very body."""
        entry = self.entries.get(record.path)
        if entry is None or entry.load.record is None or entry.load.record.body != record.body:
            return None
        return entry.body

    def refresh(self, listed: Mapping[str, tuple[str, str, str]], stats: dict[str, Stamp] | None = None,
                only: Iterable[str] | None = None, parallel: Callable | None = None,
                on_read: Callable[[int], None] | None = None) -> dict[str, NoteChange]:
        """Bring the store up to LISTED (rel -> (kind, rel, absolute path)), the notes there are now: with
        ONLY (what a watcher saw touched), only those are looked at; else each is checked against STATS
        (rel -> files.file_stamp) or a stat of its own. PARALLEL(work, chunks) runs work over chunks in
        worker processes when given. Returns rel -> (load before, load now) for every note that changed."""
        candidates = [listed[rel] for rel in only if rel in listed] if only is not None else list(listed.values())
        known = only if only is not None else list(self.entries) + list(self.unreadable)
        gone = [rel for rel in known if rel not in listed and (rel in self.entries or rel in self.unreadable)]
        stale = [item for item in candidates if not self._trusted(item, stats)]
        if on_read is not None and len(candidates) > len(stale):
            on_read(len(candidates) - len(stale))
        changes: dict[str, NoteChange] = {}
        for rel in gone:
            entry = self.entries.pop(rel, None)
            changes[rel] = (entry.load if entry is not None else self.unreadable.pop(rel), None)
            self._note(rel, None)
            self.unsaved.add(shard_of(rel))
        read, saved = self._read(stale, parallel, on_read)
        for rel, found in read.items():
            before = self.entries.get(rel)
            old = before.load if before is not None else self.unreadable.pop(rel, None)
            if isinstance(found, Entry) and before is not None and before.digest == found.digest:
                before.stamp, before.read_at = found.stamp, found.read_at
                self.unsaved.add(shard_of(rel))  # the new stat is worth saving: no need to read it again
                continue
            if isinstance(found, Entry):
                self.entries[rel] = found
                self._note(rel, found)
            else:
                self.entries.pop(rel, None)
                self._note(rel, None)
                self.unreadable[rel] = found
            self.unsaved.add(shard_of(rel))
            changes[rel] = (old, found.load if isinstance(found, Entry) else found)
        self.unsaved -= saved  # saved whole by the workers that read them
        return changes

    def _trusted(self, item: tuple[str, str, str], stats: dict[str, Stamp] | None) -> bool:
        kind, rel, path = item
        entry = self.entries.get(rel)
        if entry is None or entry.kind != kind:
            return False  # unreadable notes are never trusted: read again
        known = stats.get(rel) if stats is not None else None
        if known is None:
            try:
                stat = os.stat(path)
            except OSError:
                return False
            known = file_stamp(stat)
        return entry.stamp == packed(known) and known[1] / 1e9 < entry.read_at - RACY_SECONDS

    def _read(self, items: list[tuple[str, str, str]], parallel: Callable | None,
              on_read: Callable[[int], None] | None) -> tuple[dict[str, Entry | NoteLoad], set[int]]:
        """ITEMS read: rel -> entry (or the load of a note that could not be read), and the shards that worker
        processes saved as they read them."""
        found: dict[str, Entry | NoteLoad] = {}
        saved: set[int] = set()
        if parallel is not None and len(items) >= load.PARALLEL_FROM:
            by_shard: dict[int, list[tuple[str, str, str]]] = {}
            for item in items:
                by_shard.setdefault(shard_of(item[1]), []).append(item)
            # a worker saves a shard it read whole (a cold build): this process need not pickle it again
            whole = not self.entries
            folder = str(self.folder) if whole and self.folder is not None and self._prepared() else None
            results = parallel(read_shard, [(folder, chunk) for chunk in by_shard.values()],
                               lambda args: len(args[1]), on_read)
            if results is not None:
                for shard, (data, unreadable, written) in zip(by_shard, results, strict=True):
                    found.update(pickle.loads(data))
                    found.update(unreadable)
                    if written:
                        saved.add(shard)
                return found, saved
        for kind, rel, path in items:
            found[rel] = read_note(kind, rel, path)
            if on_read is not None:
                on_read(1)
        return found, saved

    # --- on disk -------------------------------------------------------------------------------------------

    def _prepared(self) -> bool:
        assert self.folder is not None
        try:
            prepare_cache(self.folder)
            self.generation = None  # saved no longer: `save` writes an index again, whatever else it writes
            atomic_write(self.folder / "index.pickle", b"")  # no index: a half-saved store is never read
            return True
        except OSError:
            return False

    @classmethod
    def open(cls, folder: Path, key: str) -> NoteStore:
        """The store saved in FOLDER under KEY; an empty one when there is none, or it is another's."""
        store = cls(folder, key)
        try:
            if (folder / "index.pickle").stat().st_size == 0:
                return store  # the mark of a save under way, or cut short (a build stopped): quietly afresh
            index = _read(folder / "index.pickle")
        except FileNotFoundError:
            return store
        except Exception as exc:  # noqa: BLE001 - any damage at all means the store is not trusted
            store.warning = f"ignoring the cache {folder}: it cannot be read ({type(exc).__name__}); rebuilding it"
            return store
        if not isinstance(index, dict) or index.get("format") != _FORMAT or index.get("key") != key:
            return store  # netjournal, its libraries or the config changed: quietly start afresh
        entries: dict[str, Entry] = {}
        try:
            for shard in range(SHARDS):
                try:
                    part = _read(folder / f"{shard:02d}.pickle")
                except FileNotFoundError:
                    continue  # a shard of no note (save writes none)
                if not isinstance(part, dict) or not all(isinstance(e, Entry) for e in part.values()):
                    raise ValueError("not note entries")
                entries.update(part)
        except Exception as exc:  # noqa: BLE001
            store.warning = f"ignoring the cache {folder}: it cannot be read ({type(exc).__name__}); rebuilding it"
            return store
        store.entries, store.unsaved, store.generation = entries, set(), index.get("generation")
        return store

    def save(self) -> None:
        """Write the shards that changed, then the index. Failing to save costs only speed."""
        if self.folder is None or (not self.unsaved and self.generation is not None):
            return
        try:
            prepare_cache(self.folder)
            clear_dead_writes(self.folder)
            atomic_write(self.folder / "index.pickle", b"")
            parts: dict[int, dict[str, Entry]] = {shard: {} for shard in self.unsaved}
            for rel, entry in self.entries.items():
                shard = shard_of(rel)
                if shard in parts:
                    parts[shard][rel] = entry
            for shard, part in parts.items():
                path = self.folder / f"{shard:02d}.pickle"
                if part:
                    atomic_write(path, pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL))
                else:  # a shard of no note is no file: a small journal's store is a few files, not 64
                    path.unlink(missing_ok=True)
            generation = os.urandom(12).hex()
            atomic_write(self.folder / "index.pickle", pickle.dumps(
                {"format": _FORMAT, "key": self.key, "generation": generation}, protocol=pickle.HIGHEST_PROTOCOL))
            self.unsaved, self.generation = set(), generation
        except OSError:
            self.generation = None


def store_key(config_bytes: bytes) -> str:
    """What a stored note depends on besides its bytes: netjournal (version and code), Python, the parsing
    libraries and the journal's config."""
    import markdown_it
    import yaml

    parts = [code_stamp(), sys.version, yaml.__version__, markdown_it.__version__,
             hashlib.blake2b(config_bytes, digest_size=16).hexdigest()]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


# Everything a state file may name: the classes of records, findings, derived values, and dates.
_ALLOWED = {
    "netjournal.records": None, "netjournal.load": {"NoteLoad"},
    "netjournal.findings": {"Finding", "Source", "Severity"}, "netjournal.store": {"Entry"},
    "netjournal.site.markdown": {"BodyHtml"}, "netjournal.resolved": {"FollowUp", "LinkTarget"},
    "netjournal.checks.staleness": {"ContactStatus"}, "netjournal.checks.reciprocity": {"Ledger"},
    "netjournal.checks.goals": {"Coverage", "MapRow"}, "netjournal.network": {"Connector", "IntroPath"},
    "netjournal.ranking": {"Item", "Line"}, "netjournal.career_history": {"FieldChange"},
    "netjournal.occasions": {"Congratulation", "RoleChange", "ImportantDate", "Occasion"},
    "netjournal.weekly": {"Review", "Exchange"},
    "datetime": {"date"}, "builtins": {"frozenset", "set"},
    "markupsafe": {"Markup"},
}


class _SafeUnpickler(pickle.Unpickler):
    """Unpickles only data: the allowlisted classes above, never a function or any other class."""

    def find_class(self, module: str, name: str) -> Any:
        allowed = _ALLOWED.get(module, set())
        if (allowed is not None and name not in allowed) or name.startswith("__"):
            raise pickle.UnpicklingError(f"refusing {module}.{name}")
        value = super().find_class(module, name)
        if not isinstance(value, type):
            raise pickle.UnpicklingError(f"refusing {module}.{name}: not a class")
        return value


def _read(path: Path) -> Any:
    with open(path, "rb") as handle:
        return _SafeUnpickler(handle).load()


def safe_loads(data: bytes) -> Any:
    """DATA unpickled with the allowlist of classes a state file may name (UnpicklingError otherwise)."""
    import io

    return _SafeUnpickler(io.BytesIO(data)).load()


def load_state(path: Path) -> Any:
    """A pickled state file, unpickled safely (allowlisted classes only); None when absent or unreadable."""
    try:
        return _read(path)
    except Exception:  # noqa: BLE001 - a damaged state only costs a full build
        return None


def save_state(path: Path, value: Any) -> bool:
    """Pickle VALUE to PATH (atomically); False when it could not be written (a state file costs only speed)."""
    try:
        prepare_cache(path.parent)
        atomic_write(path, lambda handle: pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        return False
    return True
