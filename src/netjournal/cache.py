"""An in-memory cache around the pure per-note load, keyed by path, size and modification time.

`serve` keeps one for its whole run, so a rebuild after one edit re-reads one note. It wraps
`load.read_and_load` and changes nothing else in the pipeline.
"""
from __future__ import annotations

import os
from pathlib import Path

from .load import NoteLoad, read_and_load


class NoteCache:
    def __init__(self) -> None:
        self._entries: dict[str, tuple[int, int, str, NoteLoad]] = {}
        self.seen: set[str] = set()  # paths asked for in the current pass
        self.reloaded: set[str] = set()  # paths read from disk in the current pass

    def start_pass(self) -> None:
        self.seen = set()
        self.reloaded = set()

    def __call__(self, kind: str, rel: str, path: Path) -> NoteLoad:
        self.seen.add(rel)
        try:
            stat = os.stat(path)
        except OSError:
            self._entries.pop(rel, None)
            self.reloaded.add(rel)
            return read_and_load(kind, rel, path)
        entry = self._entries.get(rel)
        if entry is not None and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns and entry[2] == kind:
            return entry[3]
        outcome = read_and_load(kind, rel, path)
        self._entries[rel] = (stat.st_size, stat.st_mtime_ns, kind, outcome)
        self.reloaded.add(rel)
        return outcome

    def end_pass(self) -> set[str]:
        """Forget notes that are gone; return every path that changed in this pass (read again or removed)."""
        removed = set(self._entries) - self.seen
        for rel in removed:
            del self._entries[rel]
        return self.reloaded | removed
