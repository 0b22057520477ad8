"""An in-memory cache around the pure per-note load, keyed by path, size and modification time.

`serve` keeps one for its whole run, so a rebuild after one edit re-reads one note. It wraps
`load.read_and_load` and changes nothing else in the pipeline. Like git's "racy" check, an entry whose
file was modified within RACY_SECONDS of being read is verified by content next time: two saves inside
one timestamp tick with the same size must not hide the second one.
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from .load import NoteLoad, load_note, read_and_load

RACY_SECONDS = 2.0


@dataclass
class _Entry:
    kind: str
    size: int
    mtime_ns: int
    read_at: float  # time.time() when the bytes were read
    digest: bytes
    outcome: NoteLoad


class NoteCache:
    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self.seen: set[str] = set()  # paths asked for in the current pass
        self.reloaded: set[str] = set()  # paths whose record may differ from the last pass
        self.only: set[str] | None = None

    def start_pass(self, only: set[str] | None = None) -> None:
        """Begin a pass. With ONLY (paths a file watcher saw modified), every other cached note is trusted
        without a stat; without it, every note is checked."""
        self.seen = set()
        self.reloaded = set()
        self.only = only

    def __call__(self, kind: str, rel: str, path: str | Path) -> NoteLoad:
        self.seen.add(rel)
        entry = self._entries.get(rel)
        if self.only is not None and rel not in self.only and entry is not None and entry.kind == kind:
            return entry.outcome
        try:
            stat = os.stat(path)
            if (entry is not None and entry.kind == kind and entry.size == stat.st_size
                    and entry.mtime_ns == stat.st_mtime_ns
                    and stat.st_mtime_ns / 1e9 < entry.read_at - RACY_SECONDS):
                return entry.outcome
            read_at = time.time()
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            self._entries.pop(rel, None)
            self.reloaded.add(rel)
            return read_and_load(kind, rel, path)  # it turns the I/O error into an unreadable-file finding
        digest = hashlib.blake2b(data, digest_size=16).digest()
        if entry is not None and entry.kind == kind and entry.digest == digest:
            entry.size, entry.mtime_ns, entry.read_at = stat.st_size, stat.st_mtime_ns, read_at
            return entry.outcome  # touched, or verified after a racy read: same bytes, same record
        outcome = load_note(kind, rel, data)
        self._entries[rel] = _Entry(kind, stat.st_size, stat.st_mtime_ns, read_at, digest, outcome)
        self.reloaded.add(rel)
        return outcome

    def end_pass(self) -> set[str]:
        """Forget notes that are gone; return every path that changed in this pass (read anew or removed)."""
        removed = set(self._entries) - self.seen
        for rel in removed:
            del self._entries[rel]
        return self.reloaded | removed
