"""One build function that `build`, `serve` and the tests all call: analyse, make views, render, write.

`build_site` is the one-shot build: notes come through a NoteCache (kept on disk between builds by
`open_note_cache`, so only changed notes are parsed and rendered again), pages are rendered by worker
processes when there are many, and the new site is swapped in atomically. `SiteBuilder` keeps what a
long-lived process (serve) can reuse between builds: the note cache, rendered bodies and the previous
model, so a rebuild after one edit re-reads one note and re-renders only the pages that edit can change.
"""
from __future__ import annotations

import bisect
import datetime as dt
import gc
import hashlib
import json
import os
import pickle
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from markupsafe import Markup

from ..analyze import Analysis, after_interaction_edits, after_person_edit, analyze
from ..cache import RACY_SECONDS, NoteCache, cache_key
from ..config import CACHE_FOLDER, CONFIG_LIMIT, CONFIG_NAME, Audience, load_config, path_tag
from ..export import EventMemo, to_ics
from ..files import read_regular_file
from ..load import JournalFiles, NoteChange, die_with_parent, with_notes_added
from ..model import Journal, build_journal, with_bodies_replaced
from ..records import CommentRecord, Record
from ..review import Review
from .incremental import (affected_by_edits_in_place, affected_pages, pages_of_person, pages_showing_text,
                          share_periods, text_only_edits)
from .markdown import prerender_note
from .render import SITE_ASSETS, asset_bytes, make_environment, package_templates, render_page
from .views import SUMMARY_PAGES, Page, PageSpec, Selection, SiteData, all_pages, file_name, interaction_periods, \
    make_page, page_plan, page_weight, site_data
from .write import MARKER, BuildRecord, stops_held, write_site_atomically


@dataclass
class BuildResult:
    analysis: Analysis | None  # None when the site was already up to date
    out: Path
    pages: int  # pages rendered
    written: int  # files whose bytes changed
    seconds: float
    kept: int = 0  # pages kept from the previous site, unchanged
    digests: dict[str, str] = field(default_factory=dict)  # see _context_digest: for the next build


def default_output(root: Path, analysis: Analysis) -> Path:
    """[site] output for the owner; `<output>-<audience>` beside it for anyone else."""
    return output_for(root, analysis.config.site_output, analysis.audience)


def output_for(root: Path, site_output: str, audience: Audience) -> Path:
    return root / (site_output if audience.is_owner else f"{site_output.rstrip('/')}-{audience.name}")


def _site_globals(analysis: Analysis) -> dict:
    return {"title": analysis.config.title, "owner": analysis.config.owner, "today": analysis.today.isoformat()}


# --- the note cache on disk --------------------------------------------------------------------------------

def config_bytes(root: Path) -> bytes:
    """The journal's netjournal.toml as it is on disk (b"" without one): part of the note cache's key."""
    try:
        return read_regular_file(root / CONFIG_NAME, CONFIG_LIMIT)
    except OSError:
        return b""


class StoredCache:
    """The note cache of one journal kept in `.netjournal-cache/` beside the output; read on first use, so
    finding the site up to date never pays for unpickling it. One build is one pass over it."""

    def __init__(self, root: Path, out: Path) -> None:
        self.key = cache_key(config_bytes(root), prerender_note)
        self.path = out.parent / CACHE_FOLDER / f"notes-{path_tag(root)}"
        self.warning: str | None = None  # why a damaged cache file was discarded
        self.stats: dict[str, tuple[int, int]] | None = None  # see note_stats: set before the first use
        self._notes: NoteCache | None = None
        self._changed: set[str] | None = None

    @property
    def notes(self) -> NoteCache:
        if self._notes is None:
            self._notes, self.warning = NoteCache.open(self.path, self.key, prerender_note)
            self._notes.start_pass(stats=self.stats)
        return self._notes

    def changes(self) -> set[str]:
        """Once every note was loaded: the paths that changed since the cache was saved (and forget the
        notes that are gone)."""
        if self._changed is None:
            self._changed = self.notes.end_pass()
        return self._changed

    def save(self) -> None:
        self.changes()
        self.notes.save(self.path, self.key)
        self.path.with_suffix(".pickle").unlink(missing_ok=True)  # the one-file cache earlier versions wrote


def open_note_cache(root: Path, out: Path) -> StoredCache:
    """The note cache for building ROOT into OUT."""
    return StoredCache(root, out)


# --- nothing changed? -------------------------------------------------------------------------------------

def _templates_stamp(root: Path) -> tuple:
    folder = root / "templates"
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.relative_to(folder).as_posix(), p.stat().st_mtime_ns, p.stat().st_size)
                        for p in folder.rglob("*") if p.is_file()))


def build_context(root: Path, key: str, today: dt.date, audience: str) -> str:
    """A digest of what a build reads besides the notes: netjournal and the config (the cache KEY), the
    day, the audience, and the user's and netjournal's templates."""
    templates = (_templates_stamp(root), _templates_stamp(package_templates().parent))
    return hashlib.sha256(f"{key}\x1f{today}\x1f{audience}\x1f{templates}".encode("utf-8")).hexdigest()


def note_stats(files: JournalFiles) -> dict[str, tuple[int, int]] | None:
    """Every note's (size, mtime_ns), stat-ed once for both the fingerprint and the note cache; None when a
    note vanished since the folder was walked."""
    stats = {}
    for _, rel, path in files.notes:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        stats[rel] = (stat.st_size, stat.st_mtime_ns)
    return stats


def inputs_fingerprint(files: JournalFiles, stats: dict[str, tuple[int, int]] | None, context: str) -> str | None:
    """A digest of everything a build reads, from the notes' STATS (note_stats) alone; None when a note
    was modified so recently that a second save within the same clock tick could go unnoticed (git's
    racy case), or vanished."""
    if stats is None:
        return None
    racy_after_ns = (time.time() - RACY_SECONDS) * 1e9
    digest = hashlib.sha256(context.encode("utf-8"))
    for rel, (size, mtime_ns) in stats.items():
        if mtime_ns >= racy_after_ns:
            return None
        digest.update(f"{rel}\x1f{size}\x1f{mtime_ns}\x1e".encode("utf-8"))
    digest.update(repr([(f.code, str(f.source)) for f in files.findings]).encode("utf-8"))
    return digest.hexdigest()


def stamp_path(cache: StoredCache, out: Path) -> Path:
    return cache.path.parent / f"site-{path_tag(out)}.json"


def output_listing(out: Path) -> dict[str, list[int]]:
    """Every file in OUT (its path in OUT, as the site names it) -> [size, mtime_ns]."""
    listing = {}
    top = len(str(out)) + 1
    for folder, _, names in os.walk(out):
        for name in names:
            path = os.path.join(folder, name)
            stat = os.stat(path)
            listing[path[top:]] = [stat.st_size, stat.st_mtime_ns]
    return listing


def last_build(cache: StoredCache, out: Path) -> dict | None:
    """The stamp of the last build into OUT, if OUT still holds exactly the files it wrote; else None.
    Read once per build: both questions below are asked of it."""
    try:
        stamp = json.loads(stamp_path(cache, out).read_text(encoding="utf-8"))
        if not isinstance(stamp, dict) or not (out / MARKER).is_file():
            return None
        return stamp if output_listing(out) == stamp.get("output") else None
    except (OSError, ValueError):
        return None


def site_is_current(last: dict | None, fingerprint: str | None) -> bool:
    """Was the last build (LAST, from last_build) made from exactly the inputs FINGERPRINT describes?"""
    return last is not None and fingerprint is not None and last.get("fingerprint") == fingerprint


def reusable_site(last: dict | None, cache: StoredCache, context: str) -> dict | None:
    """LAST (from last_build) when its pages may be kept: built in the same CONTEXT from the notes the cache
    held when it was saved (no build of another output saved it since)."""
    generation = cache.notes.generation
    if last is None or generation is None:
        return None
    return last if last.get("context") == context and last.get("generation") == generation else None


def record_build(cache: StoredCache, out: Path, fingerprint: str | None, **facts) -> None:
    """Remember what the build just made into OUT: for site_is_current (only with a FINGERPRINT, which a
    racy note withholds) and reusable_site."""
    path = stamp_path(cache, out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".site-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"fingerprint": fingerprint, "generation": cache.notes.generation,
                       "output": output_listing(out), **facts}, handle)
        os.replace(temp, path)
    except OSError:
        pass


# --- rendering ----------------------------------------------------------------------------------------------

#: From this many pages, this process and a helper process per further core render them: first the
#: interactions pages (each interaction once: the HTML they make for it is kept for the person pages), then
#: the rest. This process makes every page's context; whoever is free renders and writes it.
PARALLEL_PAGES_FROM = 300
PARALLEL_NOTES_FROM = 2000  # a journal this large is likely to have that many pages
#: Pages whose digest is recorded: a summary page is remade by every build that keeps pages, but its bytes
#: are a function of its template and context, and an edit seldom changes what it shows.
_DIGESTED = frozenset(kind for kind, _ in SUMMARY_PAGES)


@dataclass(frozen=True)
class _Output:
    """Where and how pages are rendered: all a render helper is given besides its tasks."""

    root: Path  # the journal (its templates/ folder overrides netjournal's)
    site: dict  # the site-wide template variables
    staging: Path  # the folder pages are written into


@dataclass
class _RenderJob:
    """What rendering pages reads, here in the building process."""

    output: _Output
    data: SiteData
    review: Review | None
    known: dict[str, str]  # page path -> the digest of the page the previous site holds
    fragments: FragmentBlob | None = None  # each interaction's HTML, once a page rendered it


class FragmentBlob:
    """Every interaction's rendered HTML, kept as UTF-8 in one bytearray: about half the memory of a
    hundred thousand strings when notes are not all ASCII, and one object instead of 100,000."""

    def __init__(self) -> None:
        self._blob = bytearray()
        self._spans: dict[str, tuple[int, int]] = {}

    def add(self, key: str, html: bytes) -> None:
        start = len(self._blob)
        self._blob += html
        self._spans[key] = (start, len(self._blob))

    def has(self, key: str) -> bool:
        return key in self._spans

    def get(self, key: str) -> bytes | None:
        span = self._spans.get(key)
        return None if span is None else bytes(self._blob[span[0]:span[1]])


@dataclass
class _Rendered:
    written: set[str]  # pages written into the staging folder
    digests: dict[str, str]  # page path -> digest, for the summary pages


def _write_new(target: Path, content: bytes) -> None:
    with open(target, "wb") as handle:
        handle.write(content)


def calendar_inputs(analysis: Analysis, data: SiteData) -> tuple:
    """Everything to_ics reads: the follow-ups, contact dates, names, the title and the day. Most edits
    leave it as it was, and then the iCalendar feed need not be made again (0.4 s at 100,000 notes). Not a
    follow-up's line: a line added above it moves it, and the feed does not say where it was written."""
    inputs = CalendarInputs(analysis, data)
    return (*inputs.head, *(tuple(map(fields, items)) for items, fields in inputs.parts))


class CalendarInputs:
    """calendar_inputs for a long-lived builder, compared as those tuples compare but without making them:
    element by element, an element that is the same object as before (serve's rebuilds share every record
    an edit leaves alone) equal without a look at its fields. 0.02 s less per rebuild at 100,000 notes,
    where 17,584 follow-ups have a due date."""

    def __init__(self, analysis: Analysis, data: SiteData) -> None:
        self.head = (analysis.today, analysis.config.title, analysis.audience_key)  # an audience's UIDs are keyed
        # (elements, the fields of one that to_ics reads)
        self.parts: tuple[tuple[list, Callable[[Any], tuple]], ...] = (
            ([f for f in data.open_follow_ups if f.due is not None],
             lambda f: (f.what, f.due, f.interaction, f.people)),
            (list(data.statuses.values()), lambda s: (s.person, s.next_due, s.last_contact)),
            (list(analysis.journal.people.items()), lambda item: (item[0], item[1].name)))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, CalendarInputs) and self.head == other.head
                and all(_same(mine, theirs, fields) for (mine, fields), (theirs, _) in zip(self.parts, other.parts)))

    __hash__ = None  # type: ignore[assignment]


def _same(mine: list, theirs: list, fields: Callable[[Any], tuple]) -> bool:
    return len(mine) == len(theirs) and all(a is b or fields(a) == fields(b) for a, b in zip(mine, theirs))


def _digest(value: Any) -> str | None:
    """A digest of VALUE's pickle, or None if it cannot be pickled (then whatever it stands for is made)."""
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - anything a user's data puts there
        return None
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _context_digest(page: Page) -> str | None:
    """A digest of everything a page's bytes depend on within one build context, or None if its context
    cannot be pickled. (A set pickles in hash order, which differs between processes: that can only make
    two equal pages look different, never the reverse.)"""
    return _digest((page.path, page.template, page.context))


# A round of parallel rendering is a list of items: this process PREPAREs each one from the model (the
# contexts of some pages, with the HTML of the interactions they show, once made), and then this process
# or a helper does the WORK (rendering, writing). Helpers are fresh processes that get only
# what was prepared, pickled. A helper forked from this process would share its memory, but every object
# it touched (if only to count a reference) and every hole its allocator filled would copy a memory page:
# such helpers soon held most of the model (a cold build of 100k notes peaked at 1.4 GB, now 0.9).

_OUTPUT: _Output | None = None  # in each process that renders: set before its first task
_ENV = None
_FRAGMENTS: dict[str, Markup] = {}  # the interactions' HTML the current task brought (the env reads it)


def _env():
    global _ENV
    assert _OUTPUT is not None
    if _ENV is None:
        _ENV = make_environment(_OUTPUT.root, single_build=True, fragments=_FRAGMENTS)
    return _ENV


_PreparedPage = tuple[str, "str | None", "Page | None"]  # path, digest, the page (None: the last site has it)


def _prepare_pages(job: _RenderJob, specs: list[PageSpec]) -> list[_PreparedPage]:
    """Each page's context, unless it is a summary page that the last site holds already."""
    prepared: list[_PreparedPage] = []
    for spec in specs:
        page = make_page(job.data, spec, job.review)
        digest = _context_digest(page) if spec[0] in _DIGESTED else None
        unchanged = digest is not None and job.known.get(page.path) == digest
        prepared.append((page.path, digest, None if unchanged else page))
    return prepared


def _pages_of(job: _RenderJob, specs: list[PageSpec]) -> tuple[list[_PreparedPage], dict[str, bytes]]:
    """PREPARE of the page round: the pages, and the HTML of every interaction they show."""
    prepared = _prepare_pages(job, specs)
    fragments = job.fragments
    assert fragments is not None
    # the rows these pages were made with (full_interaction_row remembers them) say which interactions they show
    shown = {row["id"]: fragments.get(row["id"]) for row in job.data.full_rows.values()}
    # Forget the rows: remembering them for the whole round would hold every interaction's row (with its
    # body) at once, and the fragments already hold what is costly to make.
    job.data.full_rows.clear()
    return prepared, {key: html for key, html in shown.items() if html is not None}


def _write_prepared(env, prepared: list[_PreparedPage]) -> list[tuple[str, str | None, bool]]:
    """Render and write each prepared page: (path, digest, written)."""
    assert _OUTPUT is not None
    done = []
    for path, digest, page in prepared:
        if page is not None:
            _write_new(_OUTPUT.staging / path, render_page(env, page, _OUTPUT.site))
        done.append((path, digest, page is not None))
    return done


def _write_pages(task: tuple[list[_PreparedPage], dict[str, bytes]]
                 ) -> tuple[list[tuple[str, str | None, bool]], dict[str, bytes]]:
    """WORK of a page round: what _write_prepared says, and the HTML of each interaction these pages
    showed that the task did not bring (rendered here, for the pages still to come)."""
    prepared, fragments = task
    _FRAGMENTS.update((key, Markup(html.decode("utf-8"))) for key, html in fragments.items())
    try:
        done = _write_prepared(_env(), prepared)
        # as UTF-8, which the building process keeps as it is (FragmentBlob) and sends on as it is
        return done, {key: html.encode("utf-8") for key, html in _FRAGMENTS.items() if key not in fragments}
    finally:
        _FRAGMENTS.clear()


def _helper(output: _Output, tasks, results) -> None:
    """A helper's life: run each pickled task (index, work, payload) until told to stop; send back what
    it made."""
    global _OUTPUT
    die_with_parent()
    _OUTPUT = output
    try:
        while (task := tasks.get()) is not None:
            index, work, payload = task
            results.put((index, work(pickle.loads(payload)), None))
            del task, work, payload  # the next get() may block: hold nothing meanwhile
        results.put((None, None, None))
    except BaseException as exc:  # noqa: BLE001 - told to the parent, which raises it
        try:  # the exception itself when it survives pickling (a user's template error, say)
            error: BaseException = pickle.loads(pickle.dumps(exc))
        except Exception:  # noqa: BLE001
            error = RuntimeError(f"a page-rendering worker failed: {type(exc).__name__}: {exc}")
        results.put((None, None, error))
    finally:
        results.close()
        results.join_thread()


def _helper_context():
    """Processes started fresh by a small fork server, which imports netjournal's rendering once; None
    where there is no such thing (then everything is rendered here)."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def start_render_helpers(note_count: int, record: BuildRecord) -> None:
    """For a journal of NOTE_COUNT notes, likely to be rendered with helpers: start the server they are
    started from now, so that it imports netjournal (about 0.25 s) while the notes are read. RECORD
    names its temporary folder (which holds its socket) for the next build to remove if this one is
    killed (a normal exit removes it)."""
    if note_count >= PARALLEL_NOTES_FROM:
        _start_fork_server(record)


def _start_fork_server(record: BuildRecord) -> None:
    if (os.cpu_count() or 1) > 1 and _helper_context() is not None:
        from multiprocessing import forkserver, util

        record.note(util.get_temp_dir())
        forkserver.ensure_running()


@contextmanager
def _main_script_hidden() -> Iterator[None]:
    """Helpers run netjournal's code only: hide the caller's main script from multiprocessing, which would
    otherwise run it again in each new helper (the whole script, if it has no `__name__` guard) or fail
    to (a script read from stdin)."""
    import sys

    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved = {name: main.__dict__[name] for name in ("__file__", "__spec__") if name in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


class _Helpers:
    """COUNT helper processes for one build, and this process working beside them.

    `hand_out(items, prepare, work)` starts WORK(PREPARE(item)) for every item, PREPARE here, WORK here
    or in a helper, each kept a few tasks ahead (WORK must be a module-level function: helpers get it by
    name), and returns the tasks' numbers; ON_DONE(number, result) runs here as each is done, in any
    order. `wait_for(numbers)` returns once those tasks are done, handing out nothing meanwhile: what is
    prepared after it may use what they made."""

    def __init__(self, output: _Output, count: int, on_done: Callable[[int, Any], None]) -> None:
        global _OUTPUT, _ENV
        context = _helper_context()
        assert context is not None, "where there is no fork server, _render_pages renders everything here"
        _OUTPUT, _ENV = output, None
        self.on_done = on_done
        self.tasks, self.results = context.Queue(), context.Queue()
        self.processes = [context.Process(target=_helper, args=(output, self.tasks, self.results), daemon=True)
                          for _ in range(count)]
        try:
            # a stop (SIGTERM) that came while a helper started comes after: the helpers are then killed,
            # not left to find, as they start, the queues they were given gone, and say so loudly
            with _main_script_hidden(), stops_held():
                for process in self.processes:
                    process.start()
        except BaseException as exc:
            self.__exit__(type(exc))
            raise
        self.running = count  # helpers that have not said they stopped
        self.handed_out = 0  # tasks numbered so far
        self.pending: set[int] = set()  # tasks sent and not yet answered

    def __enter__(self) -> _Helpers:
        return self

    def hand_out(self, items: list, prepare: Callable[[Any], Any], work: Callable[[Any], Any]) -> range:
        # Tasks kept queued per helper: with 2, a helper at 100,000 notes waited 2.9 s of its 9 s for this
        # process to prepare a task; with 4, 0.9 s; with 8, 0.9-1.2 s, this process waiting longer at the
        # end instead, and 20-25 MB more at the peak (each task is a few MB while it waits).
        ahead = 4 * len(self.processes)
        numbers = range(self.handed_out, self.handed_out + len(items))
        self.handed_out = numbers.stop
        for number, item in zip(numbers, items):
            payload = prepare(item)
            if len(self.pending) < ahead and self.running:
                try:
                    task = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:  # noqa: BLE001 - something a user's data made that cannot travel: work here
                    task = None
                if task is not None:
                    self.tasks.put((number, work, task))
                    self.pending.add(number)
                    self._collect(None)
                    continue
            self.on_done(number, work(payload))
            self._collect(None)
        return numbers

    def wait_for(self, numbers: range | None = None) -> None:
        """Return once the tasks of NUMBERS (default: all handed out) are done."""
        self._collect(numbers if numbers is not None else range(self.handed_out))

    def _collect(self, numbers: range | None) -> None:
        """Take what the helpers sent back; with NUMBERS, wait until none of those tasks is left with them."""
        import queue

        while self.running and (numbers is None or any(number in numbers for number in self.pending)):
            try:
                number, result, error = self.results.get_nowait() if numbers is None else self.results.get(timeout=1.0)
            except queue.Empty:
                if numbers is None:
                    return
                if not any(process.is_alive() for process in self.processes):
                    raise RuntimeError("a page-rendering worker process died") from None
                continue
            if error is not None:
                raise error
            if number is None:
                self.running -= 1
            else:
                self.pending.discard(number)
                self.on_done(number, result)

    def __exit__(self, kind, *_) -> None:
        global _OUTPUT, _ENV
        try:
            if kind is None:  # all went well: let the helpers finish
                for _ in self.processes:
                    self.tasks.put(None)
                for process in self.processes:
                    process.join(timeout=5)
        finally:
            for process in self.processes:
                if process.is_alive():  # a failure here: the helpers' remaining work is not wanted
                    process.kill()
                    process.join()
            self.tasks.cancel_join_thread()  # nobody reads what is left in the queue
            _OUTPUT, _ENV = None, None


def _chunks_by_weight(data: SiteData, plan: list[PageSpec], count: int) -> list[list[PageSpec]]:
    """PLAN in about COUNT chunks of similar weight (a month page can show a thousand interactions, a
    person page three): small chunks share the work out evenly, and no one task holds much memory."""
    weights = [page_weight(data, spec) for spec in plan]
    limit = max(1, sum(weights) // count)
    chunks: list[list[PageSpec]] = [[]]
    held = 0
    for spec, weight in zip(plan, weights):
        if chunks[-1] and held + weight > limit:
            chunks.append([])
            held = 0
        chunks[-1].append(spec)
        held += weight
    return chunks if plan else []


#: The templates that show rows of full_interaction_row: netjournal's own show each through
#: `interaction_html(row)` alone, which reads only the row's id once its HTML is made.
_FULL_ROW_TEMPLATES = ("person.html", "year.html")


def _rows_shown_by_id(root: Path) -> bool:
    """Does the journal at ROOT use netjournal's own templates for every page showing full rows? (A
    journal's own person.html may read anything of them.)"""
    return not any((root / "templates" / name).exists() for name in _FULL_ROW_TEMPLATES)


def _render_pages(job: _RenderJob, plan: list[PageSpec], on_rendered: Callable[[int, int], None] | None,
                  meanwhile: Callable[[], None] | None = None) -> _Rendered:
    """Make, render and write every page of PLAN into the job's staging folder (helped by other processes
    when many), but for summary pages the previous site holds already; and run MEANWHILE(), work of this
    process that needs no page, while the helpers render their last pages (the last 0.2 s of 7 at
    100,000 notes, which this process spent waiting)."""
    global _OUTPUT, _ENV

    for folder in ("people", "interactions", "goals", "tags"):  # made once here, not per page
        (job.output.staging / folder).mkdir(parents=True, exist_ok=True)
    done = _Rendered(set(), {})

    def record(results: list[tuple[str, str | None, bool]]) -> None:
        for path, digest, written in results:
            if written:
                done.written.add(path)
            if digest is not None:
                done.digests[path] = digest
        if on_rendered is not None:
            on_rendered(len(results), len(plan))

    workers = min(os.cpu_count() or 1, 8)
    if len(plan) >= PARALLEL_PAGES_FROM and workers > 1 and _helper_context() is not None:
        data = job.data
        fragments = FragmentBlob()

        def keep(index: int, result: tuple[list[tuple[str, str | None, bool]], dict[str, bytes]]) -> None:
            results, made = result
            record(results)
            for key, html in made.items():
                fragments.add(key, html)

        # The interactions pages first: they show every interaction once, so rendering them makes every
        # interaction's HTML, which the person pages then take instead of rendering it again (and, with
        # netjournal's own templates, are made with the interaction's anchor in place of its row).
        periods = [spec for spec in plan if spec[0] == "period"]
        people = [spec for spec in plan if spec[0] == "person"]
        others = [spec for spec in plan if spec[0] not in ("period", "person")]
        by_anchor = replace(data, html_made=fragments.has) if _rows_shown_by_id(job.output.root) else data
        with _Helpers(job.output, workers - 1, keep) as helpers:
            def hand_out_pages(pages: list[PageSpec], shared: SiteData) -> range:
                prepare = partial(_pages_of, replace(job, data=shared, fragments=fragments))
                return helpers.hand_out(_chunks_by_weight(data, pages, workers * 32), prepare, _write_pages)

            helpers.wait_for(hand_out_pages(periods, data))
            # The other pages amid the person pages, when the helpers have the most work queued: a summary
            # page is costly to make (0.1-0.2 s at 100,000 notes) and cheap to render, and made first it
            # left the helpers idle.
            half = len(people) // 2
            hand_out_pages(people[:half] + others + people[half:], by_anchor)
            if meanwhile is not None:
                meanwhile()
            helpers.wait_for()
        return done
    _OUTPUT, _ENV = job.output, None
    try:
        env = make_environment(job.output.root, single_build=True)
        for spec in plan:
            record(_write_prepared(env, _prepare_pages(job, [spec])))
    finally:
        _OUTPUT = None
    if meanwhile is not None:
        meanwhile()
    return done


#: More changed notes than this: render everything rather than build the previous model to compare with.
REUSE_UP_TO = 500


def _text_edits(analysis: Analysis, cache: StoredCache) -> list[Record] | None:
    """The new records of the notes changed since the cache was saved, if all are `text_only_edits` and
    the site is the owner's (a shared site's bodies lose their private parts, and with them links)."""
    changed = cache.changes()
    if not analysis.for_owner or not changed or _annexed(analysis.journal, changed):
        return None
    return text_only_edits(cache.notes.before_and_now(changed))


def _annexed(journal: Journal, paths: Iterable[str]) -> bool:
    """Is any of PATHS a private annex, or the note of a person with one (whose page shows both)?"""
    if not journal.annexes:
        return False
    merged = {journal.people[pid].path for pid in journal.annexes.values() if pid in journal.people}
    return any(path in journal.annexes or path in merged for path in paths)


def _edit_selection(analysis: Analysis, cache: StoredCache) -> Selection | None:
    """The pages that the notes changed since the cache was saved can change (beyond the summary pages),
    read off the changed notes' old records when they were edited in place, else found by comparing the
    model of the notes as they were with the model now; None for all of them."""
    changed = cache.changes()
    if not changed:
        return Selection()
    if len(changed) > REUSE_UP_TO:
        return None
    if analysis.for_owner:
        quick = affected_by_edits_in_place(analysis.journal, cache.notes.records_before(), changed,
                                           cache.notes.records_now(changed))
        if quick is not None:
            return quick
    records = [outcome.record for outcome in cache.notes.outcomes_before() if outcome.record is not None]
    if not analysis.for_owner:
        from ..audience import audience_records, hidden_identity

        now = [r for r in records if r.path not in changed]
        now += [r for r in cache.notes.records_now(changed).values() if r is not None]
        if hidden_identity(records, analysis.audience) != hidden_identity(now, analysis.audience):
            return None  # who is hidden, or by which names: any page may have mentioned them, or may now
        records = audience_records(records, analysis.audience, analysis.audience_key)
    before, _ = build_journal(records)
    if not analysis.for_owner:
        if [i.id for i in before.interactions] != [i.id for i in analysis.journal.interactions]:
            return None  # a shared site numbers its interactions' anchors in order: they all may have moved
        # what the audience sees of a note can change with no change to the note (a redaction, a link made
        # "someone"): those notes count as changed too
        changed = changed | _shown_otherwise(before, analysis.journal)
    return affected_pages(before, analysis.journal, changed)


def _shown_otherwise(before: Journal, after: Journal) -> set[str]:
    """The paths of the notes whose records differ between BEFORE and AFTER (or that are in only one)."""
    def records(journal: Journal) -> dict[str, Record]:
        notes: list[Record] = [*journal.people.values(), *journal.interactions, *journal.goals.values(),
                               *(comment for comment, _ in journal.comments)]
        return {r.path: r for r in notes}

    old, new = records(before), records(after)
    return {path for path in old.keys() | new.keys() if old.get(path) != new.get(path)}


def _keep_pages(previous_out: Path, staging: Path, paths: set[str]) -> bool:
    """Hard-link (or else copy) PATHS from the previous site into STAGING. The previous site's files are
    never written again (pages are replaced by renaming a new folder over them), so sharing is safe. False,
    with nothing left behind, when a page cannot be had."""
    kept: list[Path] = []
    try:
        for rel in sorted(paths):
            source, target = previous_out / rel, staging / rel
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
            kept.append(target)
    except OSError:
        for target in kept:
            target.unlink(missing_ok=True)
        return False
    return True


def build_site(root: Path, today: dt.date, out: Path | None = None, analysis: Analysis | None = None,
               audience: Audience | None = None, review: Review | None = None, cache: StoredCache | None = None,
               on_rendered: Callable[[int, int], None] | None = None, previous: dict | None = None,
               record: BuildRecord | None = None) -> BuildResult:
    """Build the site of the journal at ROOT into OUT (default: the config's [site] output), atomically.

    AUDIENCE (default: the owner) decides what the site may show; REVIEW adds a "since" page; CACHE (from
    open_note_cache) supplies notes and rendered bodies from earlier builds; PREVIOUS (from reusable_site)
    says OUT holds the pages of the build the cache was saved by, so only the pages the changed notes can
    change are rendered and the rest are kept; ON_RENDERED(n, total) reports progress; RECORD (default:
    one of its own) names what the build leaves outside OUT while it runs (write.BuildRecord).
    """
    started = time.perf_counter()
    analysis = analysis or analyze(root, today, audience=audience, loader=cache.notes if cache else None)
    out = out if out is not None else default_output(root, analysis)
    if record is None:
        with BuildRecord(Path(os.path.abspath(out)).parent / CACHE_FOLDER) as own:
            return build_site(root, today, out, analysis=analysis, review=review, cache=cache,
                              on_rendered=on_rendered, previous=previous, record=own)
    data = site_data(analysis, cache.notes.derived_of if cache is not None else None)
    reuse = False  # keep pages of the previous site?
    selection: Selection | None = None
    known: dict[str, str] = {}  # digests of the previous site's summary pages
    summaries = True  # make the summary pages (and keep those whose digest shows them unchanged)?
    if previous is not None and cache is not None and review is None:
        reuse = True
        digests = previous.get("digests")
        known = digests if isinstance(digests, dict) else {}
        edited = _text_edits(analysis, cache)
        if edited is not None:  # only bodies changed: no summary page shows one, so all are kept unmade
            selection, summaries = pages_showing_text(analysis.journal, edited), False
        else:
            selection = _edit_selection(analysis, cache)
    plan = page_plan(data, selection, review, summaries)
    if len(plan) >= PARALLEL_PAGES_FROM:
        _start_fork_server(record)  # if not yet: it starts beside the work below
    env = make_environment(root)
    done = _Rendered(set(), {})
    kept: set[str] = set()

    def fill(staging: Path) -> None:
        nonlocal done, kept
        (staging / "assets").mkdir()
        for name in SITE_ASSETS:
            (staging / "assets" / name).write_bytes(asset_bytes(env, name))
        calendar: str | None = None

        def write_calendar() -> None:  # needs no page: done while the helpers render their last ones
            nonlocal calendar
            calendar = _digest(calendar_inputs(analysis, data))
            if not (reuse and calendar is not None and known.get("follow-ups.ics") == calendar
                    and _keep_pages(out, staging, {"follow-ups.ics"})):
                (staging / "follow-ups.ics").write_bytes(to_ics(analysis))

        job = _RenderJob(_Output(root, _site_globals(analysis), staging), data, review, known)
        done = _render_pages(job, plan, on_rendered, meanwhile=write_calendar)
        if reuse:
            fixed = {MARKER, "follow-ups.ics", *(f"assets/{name}" for name in SITE_ASSETS)}
            kept = expected_paths(analysis) - done.written - fixed
            if _keep_pages(out, staging, kept):
                done.digests.update((path, known[path]) for path in kept if path in known)  # for the next build
            else:  # the old site changed under us: render it all
                kept = set()
                done = _render_pages(replace(job, known={}), page_plan(data, None, review), on_rendered)
        if calendar is not None:
            done.digests["follow-ups.ics"] = calendar

    write_site_atomically(root, out, fill, record)
    return BuildResult(analysis, out, len(done.written), len(done.written) + len(SITE_ASSETS) + 2,
                       time.perf_counter() - started, len(kept), done.digests)


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

    def __init__(self, root: Path, out: Path, marker: str = "This folder is written by `netjournal serve`.\n",
                 notes: NoteCache | None = None) -> None:
        self.root = root
        self.out = out
        self.marker = marker.encode("utf-8")  # what OUT's MARKER file says
        self.notes = notes if notes is not None else NoteCache(prerender_note)
        self.anchors: dict[str, str] = {}
        self.previous: Analysis | None = None
        self.template_stamp: tuple = ()
        self.env = make_environment(root)  # jinja re-reads a template whose file changed
        self.contexts: dict[str, dict] = {}  # page path -> the context its file was last rendered from
        self.written_paths: set[str] = set()
        self.calendar: bytes = b""
        self.calendar_key: CalendarInputs | None = None
        self.expected: tuple[tuple, set[str]] | None = None  # what expected_paths was last made from, and it
        self.calendar_events = EventMemo()  # to_ics's memo of each event's text
        self.data: SiteData | None = None  # the last build's, for a rebuild after body edits
        self._notes_of: JournalFiles | None = None  # the listing _note_paths is of
        self._note_paths: dict[str, tuple[str, str, str]] = {}

    def build(self, today: dt.date, modified: set[str] | None = None,
              on_loaded: Callable[[int], None] | None = None) -> BuildResult:
        """Build; MODIFIED (journal-relative note paths) is a file watcher's word that only those notes
        were touched. If each is a note the last build had and is still a file (changed in place), or is
        gone, or is new beside notes the last build had (`load.with_notes_added`), the folder walk and the
        other notes' stats are skipped; else the folder is walked."""
        gc.disable()  # the build allocates many short-lived objects; collecting midway only costs time
        try:
            return self._build(today, modified, on_loaded)
        except BaseException:
            # The note cache has taken this build's notes, and the site has not: the next build must not
            # start from the model before them. It renders everything (writing only what changed).
            self.previous, self.data, self.contexts = None, None, {}
            raise
        finally:
            gc.enable()

    def _build(self, today: dt.date, modified: set[str] | None, on_loaded: Callable[[int], None] | None
               ) -> BuildResult:
        started = time.perf_counter()
        files = None
        if modified is not None and self.previous is not None and self.previous.files is not None:
            files = self._files_after(self.previous.files, modified)
        self.notes.start_pass(modified if files is not None else None)
        # taken before the notes are read: a template saved meanwhile differs from it and is seen next time
        stamp = _templates_stamp(self.root)
        analysis = data = None
        selection: Selection | None = None
        changes = self._edits_in_place(today, modified, stamp, files) if files is not None else None
        if changes is not None:
            quick = self._rebuild_after_text_edits(changes, started)
            if quick is not None:
                return quick
            analysis = after_interaction_edits(self.previous, changes)  # type: ignore[arg-type]
            if analysis is not None:
                records = ((before and before.record, after and after.record) for before, after in changes)
                edits = [(old, new) for old, new in records if old is not None or new is not None]  # not broken notes
                if share_periods(self.previous.journal, analysis.journal, edits):  # type: ignore[union-attr]
                    analysis = replace(analysis, files=files, note_count=len(files.notes))  # type: ignore[union-attr]
                    data = self.data.after_interaction_edits(analysis, edits)  # type: ignore[union-attr]
                else:  # the years' pages change (a date moved to another, one emptied or made): make all anew
                    analysis = None
            elif (analysis := after_person_edit(self.previous, changes)) is not None:  # type: ignore[arg-type]
                person = changes[0][1].record  # type: ignore[union-attr]
                data = self.data.after_person_edit(analysis, person)  # type: ignore[union-attr,arg-type]
                selection = pages_of_person(analysis.journal, person.id)  # type: ignore[union-attr]
        if analysis is not None:
            changed = set(self.notes.reloaded)  # the pass read only these notes: the others are all as they were
        else:
            analysis = analyze(self.root, today, loader=self.notes, files=files, on_loaded=on_loaded)
            changed = self.notes.end_pass()
            if analysis.files is not None:
                self._notes_by_path(analysis.files)  # made now, not in the next edit's rebuild (0.05 s at 100k)
        self.notes.parallel = False  # serve's threads run from now on, and forking beside threads can deadlock
        previous = self.previous
        if (selection is None and previous is not None and previous.today == analysis.today
                and previous.config == analysis.config and stamp == self.template_stamp):
            # read off the old records when it can: comparing whole models cost 0.3 s at 100,000 notes
            selection = affected_by_edits_in_place(analysis.journal, self.notes.records_before(), changed,
                                                   self.notes.records_now(changed))
            if selection is None:
                selection = affected_pages(previous.journal, analysis.journal, changed)
        if stamp != self.template_stamp:
            self.env = make_environment(self.root)  # drops the memoised fragments of the old templates
        if (stamp != self.template_stamp or previous is None or previous.today != analysis.today
                or previous.config != analysis.config):
            # a page's bytes are its template's rendering of its context and the site's title, owner and day:
            # with those as they were, a page whose context is unchanged is not rendered again
            self.contexts = {}
        self.template_stamp = stamp
        if data is None:
            data = site_data(analysis, self.notes.derived_of, self.anchors)
        pages = all_pages(data, selection)
        if previous is not None and previous.today == analysis.today:
            pages = [page for page in pages if self.contexts.get(page.path) != page.context]
        self.contexts.update((page.path, page.context) for page in pages)
        calendar_key = CalendarInputs(analysis, data)
        if calendar_key != self.calendar_key:  # most edits leave the calendar as it was: skip the iCalendar work
            self.calendar = to_ics(analysis, self.calendar_events, data.open_follow_ups, data.statuses)
            self.calendar_key = calendar_key
        site = _site_globals(analysis)
        files = {f"assets/{name}": asset_bytes(self.env, name) for name in SITE_ASSETS}
        files["follow-ups.ics"] = self.calendar
        for page in pages:
            files[page.path] = render_page(self.env, page, site)
        files[MARKER] = self.marker
        written = sum(_write_if_changed(self.out / rel, content) for rel, content in files.items())
        expected = self._expected_paths(analysis)
        for rel in self.written_paths - expected:  # pages whose note is gone (a deleted person, an emptied year)
            self.remove_page(rel)
            self.contexts.pop(rel, None)
            written += 1
        self.written_paths = expected
        self.previous, self.data = analysis, data
        # The model lives until the next build: keep the cyclic GC from rescanning it on every rebuild.
        gc.freeze()
        return BuildResult(analysis, self.out, len(pages), written, time.perf_counter() - started)

    def remove_page(self, rel: str) -> None:
        """Remove the page at REL (below the output folder), which a build no longer makes."""
        (self.out / rel).unlink(missing_ok=True)

    def _expected_paths(self, analysis: Analysis) -> set[str]:
        """expected_paths(ANALYSIS), kept while the people, goals and periods it is made of are the same
        objects (models are never changed in place: an edit of any of them makes a new one); 0.02 s at
        100,000 notes."""
        journal = analysis.journal
        inputs = (journal.people, journal.goals, interaction_periods(journal))
        if self.expected is None or any(a is not b for a, b in zip(self.expected[0], inputs)):
            self.expected = inputs, expected_paths(analysis)
        return self.expected[1]

    def _files_after(self, files: JournalFiles, modified: set[str]) -> JournalFiles | None:
        """The last walk's listing FILES after the notes MODIFIED (the watcher's word) were touched: the
        same, if each is a note it found and still a file (changed in place), less those gone, plus those
        new beside its notes (`load.with_notes_added`). None for anything else: walk the folder."""
        notes = self._notes_by_path(files)
        gone = {rel for rel in modified if rel in notes and not os.path.lexists(notes[rel][2])}
        if not all(rel not in notes or rel in gone or os.path.isfile(notes[rel][2]) for rel in modified):
            return None  # a note replaced by something else
        added = sorted(rel for rel in modified if rel not in notes)
        if added:
            files = with_notes_added(files, added)  # type: ignore[assignment]
            if files is None:
                return None
        if gone:
            files = JournalFiles([note for note in files.notes if note[1] not in gone], files.findings)
        if added or gone:  # the listing by path, kept up to date (made anew, it costs 0.05 s at 100,000 notes)
            notes = dict(notes)
            for rel in gone:
                del notes[rel]
            for rel in added:
                notes[rel] = files.notes[bisect.bisect_left(files.notes, rel, key=itemgetter(1))]
            self._notes_of, self._note_paths = files, notes
        return files

    def _notes_by_path(self, files: JournalFiles) -> dict[str, tuple[str, str, str]]:
        """The note files of FILES (the last walk's listing, or one _files_after made from it) by
        journal-relative path: made once per folder walk."""
        if self._notes_of is not files:
            self._notes_of = files
            self._note_paths = {note[1]: note for note in files.notes}
        return self._note_paths

    def _edits_in_place(self, today: dt.date, modified: set[str], stamp: tuple, files: JournalFiles
                        ) -> list[NoteChange] | None:
        """The notes MODIFIED (the watcher's word) read anew, as (before, after) loads (None for a note
        that is new, or gone), FILES listing the notes now, when the last build can be built on: same day,
        owner's site, same templates (STAMP) and config, no comment among them. Else None, with the
        notes' new versions in the cache for the full build to take on."""
        previous, data = self.previous, self.data
        if (previous is None or data is None or previous.files is None or previous.today != today
                or not previous.for_owner or stamp != self.template_stamp
                or load_config(self.root)[0] != previous.config):
            return None
        by_path = self._notes_by_path(files)
        self.notes.load_many([by_path[rel] for rel in sorted(modified) if rel in by_path])
        self.notes.forget(rel for rel in modified if rel not in by_path)
        changes = self.notes.before_and_now(modified)
        if any(isinstance(load.record, CommentRecord) for change in changes for load in change if load is not None):
            return None
        return changes

    def _rebuild_after_text_edits(self, changes: list[NoteChange], started: float
                                  ) -> BuildResult | None:
        """The rebuild after the save a user makes most, writing a note up: when CHANGES are
        `text_only_edits`, the model, the checks and every page not showing those bodies stay as they
        are, and only the pages showing them are made again. None for any other edit."""
        edited = text_only_edits(changes)
        if edited is None or _annexed(self.previous.journal, (r.path for r in edited)):  # type: ignore[union-attr]
            return None
        previous, data = self.previous, self.data
        journal = with_bodies_replaced(previous.journal, edited)  # type: ignore[union-attr]
        analysis = replace(previous, journal=journal)
        data = data.with_bodies_replaced(analysis, edited)  # type: ignore[union-attr]
        plan = page_plan(data, pages_showing_text(journal, edited), summaries=False)
        pages = [page for page in map(partial(make_page, data), plan) if self.contexts.get(page.path) != page.context]
        self.contexts.update((page.path, page.context) for page in pages)
        site = _site_globals(analysis)
        written = sum(_write_if_changed(self.out / page.path, render_page(self.env, page, site))
                      for page in pages)
        self.previous, self.data = analysis, data
        return BuildResult(analysis, self.out, len(pages), written, time.perf_counter() - started)
