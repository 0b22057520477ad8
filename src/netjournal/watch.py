"""The one file watcher (serve and the daemon): watchdog's events turned into the set of journal-relative
paths that changed, or None when something the builder must walk the folder for changed (a folder, the
config, a template)."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from .paths import affects_site, is_note_rel, journal_rel

#: Editors save in a few steps (a temporary file, a rename): a change counts once no event came this long.
QUIET_SECONDS = 0.05
_REAL_CHANGES = {"created", "modified", "deleted", "moved", "closed"}


class Watcher:
    """Collects the changes under ROOT (but OUTPUT) that matter to its site, until `take`n."""

    def __init__(self, root: Path, output: Path) -> None:
        self.root, self.output = root, output
        self._lock = threading.Lock()
        self._touched: set[str] | None = set()  # None: walk the folder
        self._last = 0.0  # time.monotonic() of the last change
        self.changed = threading.Event()
        self._observer = None

    def dispatch(self, event) -> None:  # watchdog's handler protocol
        if event.event_type not in _REAL_CHANGES or (event.is_directory and event.event_type == "modified"):
            return  # a folder's mtime changes with every file event in it; those events are enough
        paths = [os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "") or "") if p]
        rels = [journal_rel(self.root, p) for p in paths if affects_site(self.root, self.output, p, event.is_directory)]
        if not rels:
            return
        with self._lock:
            if self._touched is not None and not event.is_directory and all(map(is_note_rel, rels)):
                self._touched.update(rels)
            else:
                self._touched = None
            self._last = time.monotonic()
        self.changed.set()

    def start(self) -> None:
        from watchdog.observers import Observer

        self._observer = Observer()
        self._observer.schedule(self, str(self.root), recursive=True)
        self._observer.start()

    def quiet_for(self) -> float:
        """Seconds since the last change."""
        return time.monotonic() - self._last

    def take(self) -> set[str] | None:
        """The paths changed since the last take (None: walk the folder), once no change came for a while."""
        while self.quiet_for() < QUIET_SECONDS:
            time.sleep(QUIET_SECONDS / 3)
        with self._lock:
            touched, self._touched = self._touched, set()
            self.changed.clear()
        return touched

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
