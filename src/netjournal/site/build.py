"""One build function that `build`, `serve` and the tests all call: analyse, make views, render, write.

`build_site` is the one-shot build (atomic swap of the whole output). `SiteBuilder` keeps what a long-lived
process (serve) can reuse between builds: the per-note cache, rendered bodies and the previous model, so a
rebuild after one edit re-reads one note and re-renders only the pages that edit can change.
"""
from __future__ import annotations

import datetime as dt
import gc
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from markupsafe import Markup

from ..analyze import Analysis, analyze
from ..config import Audience
from ..export import to_ics
from ..review import Review
from ..cache import NoteCache
from ..load import NoteLoad
from .incremental import affected_pages
from .render import SITE_ASSETS, asset_bytes, make_environment, render_page
from .views import Page, Selection, all_pages, file_name, interaction_periods, site_data
from .write import MARKER, write_site_atomically


@dataclass
class BuildResult:
    analysis: Analysis
    out: Path
    pages: int  # pages rendered
    written: int  # files whose bytes changed
    seconds: float


def default_output(root: Path, analysis: Analysis) -> Path:
    """[site] output for the owner; `<output>-<audience>` beside it for anyone else."""
    name = analysis.config.site_output
    return root / (name if analysis.for_owner else f"{name.rstrip('/')}-{analysis.audience.name}")


def _site_globals(analysis: Analysis) -> dict:
    return {"title": analysis.config.title, "owner": analysis.config.owner, "today": analysis.today.isoformat()}


def _render_all(root: Path, analysis: Analysis, pages: list[Page], env=None, calendar: bytes | None = None
                ) -> dict[str, bytes]:
    env = env or make_environment(root)
    site = _site_globals(analysis)
    files = {f"assets/{name}": asset_bytes(env, name) for name in SITE_ASSETS}
    files["follow-ups.ics"] = calendar if calendar is not None else to_ics(analysis)
    for page in pages:
        files[page.path] = render_page(env, page, site).encode("utf-8")
    return files


def build_site(root: Path, today: dt.date, out: Path | None = None, analysis: Analysis | None = None,
               audience: Audience | None = None, review: Review | None = None) -> BuildResult:
    """Build the site of the journal at ROOT into OUT (default: the config's [site] output), atomically.

    AUDIENCE (default: the owner) decides what the site may show; REVIEW adds a "since" page.
    """
    started = time.perf_counter()
    analysis = analysis or analyze(root, today, audience=audience)
    out = out if out is not None else default_output(root, analysis)
    pages = all_pages(site_data(analysis), review=review)
    files = _render_all(root, analysis, pages)

    def fill(staging: Path) -> None:
        for rel, content in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)

    write_site_atomically(root, out, fill)
    return BuildResult(analysis, out, len(pages), len(files), time.perf_counter() - started)


def expected_paths(analysis: Analysis) -> set[str]:
    """Every file a full build would write, without rendering anything."""
    journal = analysis.journal
    paths = {"index.html", "people/index.html", "follow-ups.html", "interactions/index.html", "goals/index.html",
             "tags/index.html", "follow-ups.ics", MARKER, *(f"assets/{name}" for name in SITE_ASSETS)}
    paths |= {f"people/{file_name(pid)}.html" for pid in journal.people}
    periods = set(interaction_periods(journal).values())
    paths |= {f"interactions/{period}.html" for period in periods}
    paths |= {f"interactions/{period[:4]}.html" for period in periods}  # a large year's month index
    paths |= {f"goals/{file_name(gid)}.html" for gid in journal.goals}
    paths |= {f"tags/{file_name(t)}.html" for p in journal.people.values() for t in p.tags}
    return paths


def _write_if_changed(target: Path, content: bytes) -> bool:
    try:
        if target.stat().st_size == len(content) and target.read_bytes() == content:
            return False
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    os.chmod(temp, 0o644)
    os.replace(temp, target)  # a reader sees the old page or the new one, never half of one
    return True


class SiteBuilder:
    """Builds the site of ROOT into a folder it owns (serve's), incrementally after the first build."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root = root
        self.out = out
        self.notes = NoteCache()
        self.bodies: dict[tuple, Markup] = {}
        self.anchors: dict[str, str] = {}
        self.previous: Analysis | None = None
        self.template_stamp: tuple = ()
        self.env = make_environment(root)  # jinja re-reads a template whose file changed
        self.contexts: dict[str, dict] = {}  # page path -> the context its file was last rendered from
        self.written_paths: set[str] = set()
        self.calendar: bytes = b""
        self.calendar_key: tuple | None = None

    def _templates_stamp(self) -> tuple:
        folder = self.root / "templates"
        if not folder.is_dir():
            return ()
        return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*") if p.is_file()))

    def build(self, today: dt.date, modified: set[str] | None = None,
              progress: Callable[[], None] | None = None) -> BuildResult:
        """Build; MODIFIED (journal-relative note paths) is a file watcher's word that only those notes
        changed in place, so the folder walk and the other notes' stats can be skipped."""
        gc.disable()  # the build allocates many short-lived objects; collecting midway only costs time
        try:
            return self._build(today, modified, progress)
        finally:
            gc.enable()

    def _build(self, today: dt.date, modified: set[str] | None, progress: Callable[[], None] | None) -> BuildResult:
        started = time.perf_counter()
        files = None
        if modified is not None and self.previous is not None and self.previous.files is not None:
            known = {rel for _, rel, _ in self.previous.files.notes}
            if modified <= known:
                files = self.previous.files
        self.notes.start_pass(modified if files is not None else None)
        loader = self.notes
        if progress is not None:  # a progress bar for the first build of a large journal
            def loader(kind: str, rel: str, path) -> NoteLoad:
                progress()
                return self.notes(kind, rel, path)
        analysis = analyze(self.root, today, loader=loader, files=files)
        changed = self.notes.end_pass()
        stamp = self._templates_stamp()
        selection: Selection | None = None
        previous = self.previous
        if (previous is not None and previous.today == analysis.today and previous.config == analysis.config
                and stamp == self.template_stamp):
            selection = affected_pages(previous.journal, analysis.journal, changed)
        if stamp != self.template_stamp:
            self.env = make_environment(self.root)  # drops the memoised fragments of the old templates
        if stamp != self.template_stamp or selection is None:
            self.contexts = {}
        self.template_stamp = stamp
        data = site_data(analysis, self.bodies, self.anchors)
        pages = all_pages(data, selection)
        if previous is not None and previous.today == analysis.today:
            pages = [page for page in pages if self.contexts.get(page.path) != page.context]
        self.contexts.update((page.path, page.context) for page in pages)
        # everything to_ics reads: the follow-ups, contact dates, names, the title and the day
        calendar_key = (analysis.today, analysis.config.title, tuple(data.open_follow_ups),
                        tuple((s.person, s.next_due, s.last_contact) for s in data.statuses.values()),
                        tuple((pid, p.name) for pid, p in analysis.journal.people.items()))
        if calendar_key != self.calendar_key:  # most edits leave the calendar as it was: skip the iCalendar work
            self.calendar, self.calendar_key = to_ics(analysis), calendar_key
        files = _render_all(self.root, analysis, pages, self.env, self.calendar)
        files[MARKER] = b"This folder is written by `netjournal serve`.\n"
        written = sum(_write_if_changed(self.out / rel, content) for rel, content in files.items())
        expected = expected_paths(analysis)
        for rel in self.written_paths - expected:  # pages whose note is gone (a deleted person, an emptied year)
            (self.out / rel).unlink(missing_ok=True)
            self.contexts.pop(rel, None)
            written += 1
        self.written_paths = expected
        self.previous = analysis
        # The model lives until the next build: keep the cyclic GC from rescanning it on every rebuild.
        gc.freeze()
        if len(self.bodies) > 4 * max(1, analysis.note_count):  # stale bodies of edited notes pile up
            self.bodies.clear()
        return BuildResult(analysis, self.out, len(pages), written, time.perf_counter() - started)
