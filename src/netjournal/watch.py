"""The one file watcher (serve and the daemon): watchdog's events turned into the set of journal-relative
paths that changed, or None when something the builder must walk the folder for changed (a folder, the
config, a template).

`take(barrier=…)` first writes a file of netjournal's own below the journal and waits until its event
comes: the kernel queues a watch's events in order, so by then every change made before the call has
come too. That is how the daemon's answer to a `build` run right after a save always includes the save.
The file must be below the journal, under the one watch of the notes: watchdog gives another folder a
watch of its own (a thread, a queue), whose events come in any order with the notes'.
"""
from __future__ import annotations

import os
import threading
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from watchdog.events import EVENT_TYPE_EVENTS_LOST, FileSystemEvent, FileSystemEventHandler

from .fsutil import prepare_cache
from .paths import affects_site, is_watched_rel, journal_rel

if TYPE_CHECKING:
    from collections.abc import Callable

    from watchdog.observers.api import BaseObserver

#: Editors save in a few steps (a temporary file, a rename): a change counts once no event came this long.
QUIET_SECONDS = 0.05
# "attrib": a note's metadata changed (`chmod 000` makes it unreadable, which a fresh build reports). Not a
# hard link made elsewhere: the kernel tells only watches on the file itself, and these watch folders.
_REAL_CHANGES = {"created", "modified", "deleted", "moved", "closed", "attrib"}


class Watcher(FileSystemEventHandler):
    """Collects the changes under ROOT (but OUTPUT) that matter to its site, until `take`n."""

    def __init__(self, root: Path, output: Path, barrier: Path | None = None) -> None:
        self.root, self.output = root, output
        self.barrier = barrier  # a file in a folder of netjournal's (see take)
        self._barrier_seen = threading.Event()
        self._lock = threading.Lock()
        self._touched: set[str] | None = set()  # None: walk the folder
        self._last = 0.0  # time.monotonic() of the last change
        self.changed = threading.Event()
        self.on_change: Callable[[], None] | None = None  # called (in watchdog's thread) after each change
        self._observer: BaseObserver | None = None

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.event_type == EVENT_TYPE_EVENTS_LOST:  # watchdog 7.1.1 on
            self._lost()
            return
        if event.event_type not in _REAL_CHANGES or (event.is_directory and event.event_type in ("modified", "attrib")):
            return  # a folder's times change with every file event in it; those events are enough
        paths = [os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "") or "") if p]
        if self.barrier is not None and any(os.path.basename(path) == self.barrier.name
                                            and os.path.realpath(path) == str(self.barrier) for path in paths):
            self._barrier_seen.set()
            return
        rels = [journal_rel(self.root, p) for p in paths if affects_site(self.root, self.output, p, event.is_directory)]
        if not rels:
            return
        with self._lock:
            if self._touched is not None and not event.is_directory and all(map(is_watched_rel, rels)):
                self._touched.update(rels)
            else:
                self._touched = None
            self._last = time.monotonic()
        self._tell()

    def _lost(self) -> None:
        """The kernel's queue of events overflowed (a checkout or an import of thousands of notes while the
        watcher was slow): which paths changed is unknown, so the next build walks the folder."""
        with self._lock:
            self._touched = None
            self._last = time.monotonic()
        self._barrier_seen.set()  # a barrier's own event may be among those lost: nothing more will come
        self._tell()

    def _tell(self) -> None:
        self.changed.set()
        on_change = self.on_change
        if on_change is not None:
            on_change()

    def start(self) -> None:
        """Start watching; once started, nothing."""
        if self._observer is not None:
            return
        from watchdog.observers import Observer

        # watchdog warns when a folder it watched is replaced by another of the same path (a one-shot build
        # swapping in the site it wrote beside the daemon's): it then watches the new one, which is all this
        # needs. The warning tells a user nothing, so serve's and the daemon's terminals do not show it.
        warnings.filterwarnings("ignore", message="Callback with id", category=RuntimeWarning, module="watchdog")
        observer = self._observer = Observer()
        observer.schedule(self, str(self.root), recursive=True)
        if self.barrier is not None:
            if not self.barrier.resolve().is_relative_to(self.root.resolve()):
                raise ValueError(f"the barrier {self.barrier} is not below the journal {self.root}")
            try:
                prepare_cache(self.barrier.parent)  # a cache folder: git ignores it
            except OSError:
                pass  # a journal that cannot be written: `take` walks the folder instead
            self.barrier = self.barrier.parent.resolve() / self.barrier.name
        observer.start()

    def quiet_for(self) -> float:
        """Seconds since the last change."""
        return time.monotonic() - self._last

    def take(self, barrier: bool = False) -> set[str] | None:
        """The paths changed since the last take (None: walk the folder), once no change came for a while;
        with BARRIER, every change made before this call included (see above)."""
        if barrier and self.barrier is not None:
            self._barrier_seen.clear()
            try:
                self.barrier.write_bytes(os.urandom(8))
                seen = self._barrier_seen.wait(timeout=5)
            except OSError:
                seen = False
            if not seen:
                with self._lock:
                    self._touched = None  # no barrier, or the watcher is lost: walk the folder
        while self.quiet_for() < QUIET_SECONDS:
            time.sleep(QUIET_SECONDS / 3)
        with self._lock:
            touched, self._touched = self._touched, set()
            self.changed.clear()
        return touched

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            if self._observer.is_alive():  # not if a Ctrl-C came while its watches were set up, before it ran
                self._observer.join(timeout=5)
