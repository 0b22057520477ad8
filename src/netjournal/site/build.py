"""One build function that `build`, `serve` and the tests all call: analyse, make views, render, write.

`build_site` is the one-shot build: notes come through a NoteCache (kept on disk between builds by
`open_note_cache`, so only changed notes are parsed and rendered again), pages are rendered by worker
processes when there are many, and the new site is swapped in atomically. `SiteBuilder` keeps what a
long-lived process (serve) can reuse between builds: the note cache, rendered bodies and the previous
model, so a rebuild after one edit re-reads one note and re-renders only the pages that edit can change.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import pickle
import shutil
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from markupsafe import Markup

from ..analyze import Analysis, analyze
from ..cache import CACHE_FOLDER, RACY_SECONDS, NoteCache, cache_key
from ..config import CONFIG_NAME, Audience
from ..export import to_ics
from ..load import JournalFiles
from ..model import build_journal
from ..review import Review
from .incremental import affected_pages
from .markdown import BodyHtml, prerender_note
from .render import SITE_ASSETS, asset_bytes, make_environment, package_templates, render_page
from .views import SUMMARY_PAGES, Page, PageSpec, Selection, SiteData, all_pages, file_name, full_interaction_row, \
    interaction_periods, make_page, page_plan, site_data
from .write import MARKER, write_site_atomically


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

def _journal_tag(root: Path) -> str:
    return hashlib.sha256(os.path.realpath(root).encode("utf-8")).hexdigest()[:12]


def _config_bytes(root: Path) -> bytes:
    try:
        return (root / CONFIG_NAME).read_bytes()
    except OSError:
        return b""


class StoredCache:
    """The note cache of one journal kept in `.netjournal-cache/` beside the output; read on first use, so
    finding the site up to date never pays for unpickling it. One build is one pass over it."""

    def __init__(self, root: Path, out: Path) -> None:
        self.key = cache_key(_config_bytes(root), prerender_note)
        self.path = out.parent / CACHE_FOLDER / f"notes-{_journal_tag(root)}"
        self.warning: str | None = None  # why a damaged cache file was discarded
        self._notes: NoteCache | None = None
        self._changed: set[str] | None = None

    @property
    def notes(self) -> NoteCache:
        if self._notes is None:
            self._notes, self.warning = NoteCache.open(self.path, self.key, prerender_note)
            self._notes.start_pass()
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

    def bodies(self) -> dict[str, BodyHtml]:
        return prerendered_bodies(self.notes)


def prerendered_bodies(notes: NoteCache) -> dict[str, BodyHtml]:
    """Body text -> the HTML the cache's derive step (prerender_note) made for it."""
    return {outcome.record.body: body for outcome, body in notes.derived()
            if body is not None and outcome.record is not None}


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


def inputs_fingerprint(files: JournalFiles, context: str) -> str | None:
    """A digest of everything a build reads, from file sizes and times alone; None when a note was modified
    so recently that a second save within the same clock tick could go unnoticed (git's racy case)."""
    racy_after = time.time() - RACY_SECONDS
    digest = hashlib.sha256(context.encode("utf-8"))
    for _, rel, path in files.notes:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        if stat.st_mtime_ns / 1e9 >= racy_after:
            return None
        digest.update(f"{rel}\x1f{stat.st_size}\x1f{stat.st_mtime_ns}\x1e".encode("utf-8"))
    digest.update(repr([(f.code, str(f.source)) for f in files.findings]).encode("utf-8"))
    return digest.hexdigest()


def _stamp_path(cache: StoredCache, out: Path) -> Path:
    return cache.path.parent / f"site-{_journal_tag(out)}.json"


def _output_listing(out: Path) -> dict[str, list[int]]:
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
        stamp = json.loads(_stamp_path(cache, out).read_text(encoding="utf-8"))
        if not isinstance(stamp, dict) or not (out / MARKER).is_file():
            return None
        return stamp if _output_listing(out) == stamp.get("output") else None
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
    path = _stamp_path(cache, out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".site-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"fingerprint": fingerprint, "generation": cache.notes.generation,
                       "output": _output_listing(out), **facts}, handle)
        os.replace(temp, path)
    except OSError:
        pass


# --- rendering ----------------------------------------------------------------------------------------------

#: From this many pages, this process and a forked helper per further core render them: first every
#: interaction's fragment (each appears on several pages, so it is rendered once, by one process), then
#: the pages, each process making and writing its share.
PARALLEL_PAGES_FROM = 300
#: Pages whose digest is recorded: a summary page is remade by every build that keeps pages, but its bytes
#: are a function of its template and context, and an edit seldom changes what it shows.
_DIGESTED = frozenset(kind for kind, _ in SUMMARY_PAGES)


@dataclass
class _RenderJob:
    """What rendering pages reads; inherited (never pickled) by forked workers."""

    root: Path
    data: SiteData
    site: dict
    review: Review | None
    staging: Path
    known: dict[str, str]  # page path -> the digest of the page the previous site holds
    fragments: dict[str, Markup] | None = None


@dataclass
class _Rendered:
    written: set[str]  # pages written into the staging folder
    digests: dict[str, str]  # page path -> digest, for the summary pages


_JOB: _RenderJob | None = None  # set just before a pool of render workers is forked
_WORKER_ENV = None


def _write_new(target: Path, content: bytes) -> None:
    with open(target, "wb") as handle:
        handle.write(content)


def _worker_env():
    global _WORKER_ENV
    assert _JOB is not None
    if _WORKER_ENV is None:
        _WORKER_ENV = make_environment(_JOB.root, single_build=True, fragments=_JOB.fragments)
    return _WORKER_ENV


def _fragment_chunk(span: tuple[int, int]) -> list[str]:
    assert _JOB is not None and _JOB.fragments is not None
    data = _JOB.data
    render = _worker_env().globals["interaction_html"]
    htmls = [str(render(full_interaction_row(data, interaction)))
             for interaction in data.journal.interactions[span[0]:span[1]]]
    _JOB.fragments.clear()  # each fragment is made once in this round: remembering it only costs memory
    return htmls


def _context_digest(page: Page) -> str | None:
    """A digest of everything a page's bytes depend on within one build context, or None if its context
    cannot be pickled. (A set pickles in hash order, which differs between processes: that can only make
    two equal pages look different, never the reverse.)"""
    try:
        data = pickle.dumps((page.path, page.template, page.context), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - anything a user's data puts there: then the page is just rendered
        return None
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _render_spec(job: _RenderJob, env, spec: PageSpec) -> tuple[str, str | None, bool]:
    """Make the page of SPEC and write it, unless the previous site holds it already: (path, digest, written)."""
    page = make_page(job.data, spec, job.review)
    digest = _context_digest(page) if spec[0] in _DIGESTED else None
    if digest is not None and job.known.get(page.path) == digest:
        return page.path, digest, False
    _write_new(job.staging / page.path, render_page(env, page, job.site).encode("utf-8"))
    return page.path, digest, True


def _render_chunk(specs: list[PageSpec]) -> list[tuple[str, str | None, bool]]:
    assert _JOB is not None
    env = _worker_env()
    return [_render_spec(_JOB, env, spec) for spec in specs]


def _take_chunk(counter) -> int:
    with counter.get_lock():
        index = counter.value
        counter.value += 1
    return index


def _helper(work: Callable[[Any], Any], chunks: list, counter, results) -> None:
    """A forked helper's life: take chunks until none are left, send back what WORK made of each."""
    try:
        while (index := _take_chunk(counter)) < len(chunks):
            results.put((index, work(chunks[index]), None))
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


def _share_out(job: _RenderJob, work: Callable[[Any], Any], chunks: list, helpers: int,
               on_done: Callable[[int, Any], None]) -> None:
    """WORK(chunk) for every chunk, here and in HELPERS forked processes that inherit JOB (never pickled),
    each taking the next chunk when it is free; ON_DONE(index, result) runs here, in any order.

    This process works too rather than wait: every process that touches the shared model copies the
    memory pages whose reference counts it changes, so one process fewer is one copy fewer."""
    import multiprocessing
    import queue

    global _JOB, _WORKER_ENV
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    results = context.Queue()
    _JOB, _WORKER_ENV = job, None
    gc.freeze()  # keep the children from copying the model's memory pages to update GC headers
    processes = [context.Process(target=_helper, args=(work, chunks, counter, results), daemon=True)
                 for _ in range(helpers)]
    try:
        for process in processes:
            process.start()
        running = len(processes)

        def collect(block: bool) -> None:
            nonlocal running
            while running:
                try:
                    index, result, error = results.get(timeout=1.0) if block else results.get_nowait()
                except queue.Empty:
                    if not block:
                        return
                    if not any(process.is_alive() for process in processes):
                        raise RuntimeError("a page-rendering worker process died") from None
                    continue
                if error is not None:
                    raise error
                if index is None:
                    running -= 1
                else:
                    on_done(index, result)

        while (index := _take_chunk(counter)) < len(chunks):
            on_done(index, work(chunks[index]))
            collect(block=False)
        collect(block=True)
    finally:
        with counter.get_lock():  # on a failure here, the helpers stop after their current chunk
            counter.value = len(chunks)
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
        _JOB, _WORKER_ENV = None, None
        gc.unfreeze()


def _render_pages(job: _RenderJob, plan: list[PageSpec], on_rendered: Callable[[int, int], None] | None
                  ) -> _Rendered:
    """Make, render and write every page of PLAN into the job's staging folder (spread over forked workers
    when many), but for summary pages the previous site holds already."""
    import multiprocessing

    for folder in ("people", "interactions", "goals", "tags"):  # made once here, not per page
        (job.staging / folder).mkdir(parents=True, exist_ok=True)
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
    if len(plan) >= PARALLEL_PAGES_FROM and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        data = job.data
        interactions = data.journal.interactions
        step = max(1, len(interactions) // (workers * 8))
        spans = [(i, i + step) for i in range(0, len(interactions), step)]
        fragments: dict[str, Markup] = {}

        def keep_fragments(index: int, htmls: list[str]) -> None:
            span = spans[index]
            for interaction, html in zip(interactions[span[0]:span[1]], htmls):
                fragments[data.urls.anchor[interaction.id]] = Markup(html)

        _share_out(replace(job, fragments={}), _fragment_chunk, spans, workers - 1, keep_fragments)
        size = max(1, len(plan) // (workers * 16))  # small chunks: person pages differ a lot in size
        chunks = [plan[i:i + size] for i in range(0, len(plan), size)]
        _share_out(replace(job, fragments=fragments), _render_chunk, chunks, workers - 1,
                   lambda index, results: record(results))
        return done
    env = make_environment(job.root, single_build=True)
    for spec in plan:
        record([_render_spec(job, env, spec)])
    return done


#: More changed notes than this: render everything rather than build the previous model to compare with.
REUSE_UP_TO = 500


def _edit_selection(analysis: Analysis, cache: StoredCache) -> Selection | None:
    """The pages that the notes changed since the cache was saved can change (beyond the summary pages),
    found by comparing the model of the notes as they were with the model now; None for all of them."""
    changed = cache.changes()
    if not changed:
        return Selection()
    if len(changed) > REUSE_UP_TO:
        return None
    records = [outcome.record for outcome in cache.notes.outcomes_before() if outcome.record is not None]
    if not analysis.for_owner:
        from ..audience import audience_records

        records = audience_records(records, analysis.audience)
    before, _ = build_journal(records)
    if not analysis.for_owner and [i.id for i in before.interactions] != [i.id for i in analysis.journal.interactions]:
        return None  # a shared site numbers its interactions' anchors in order: they all may have moved
    return affected_pages(before, analysis.journal, changed)


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
               on_rendered: Callable[[int, int], None] | None = None, previous: dict | None = None) -> BuildResult:
    """Build the site of the journal at ROOT into OUT (default: the config's [site] output), atomically.

    AUDIENCE (default: the owner) decides what the site may show; REVIEW adds a "since" page; CACHE (from
    open_note_cache) supplies notes and rendered bodies from earlier builds; PREVIOUS (from reusable_site)
    says OUT holds the pages of the build the cache was saved by, so only the pages the changed notes can
    change are rendered and the rest are kept; ON_RENDERED(n, total) reports progress.
    """
    started = time.perf_counter()
    analysis = analysis or analyze(root, today, audience=audience, loader=cache.notes if cache else None)
    out = out if out is not None else default_output(root, analysis)
    data = site_data(analysis, cache.bodies() if cache is not None else None)
    reuse = False  # keep pages of the previous site?
    selection: Selection | None = None
    known: dict[str, str] = {}  # digests of the previous site's summary pages
    if previous is not None and cache is not None and review is None:
        reuse, selection = True, _edit_selection(analysis, cache)
        digests = previous.get("digests")
        known = digests if isinstance(digests, dict) else {}
    plan = page_plan(data, selection, review)
    env = make_environment(root)
    done = _Rendered(set(), {})
    kept: set[str] = set()

    def fill(staging: Path) -> None:
        nonlocal done, kept
        (staging / "assets").mkdir()
        for name in SITE_ASSETS:
            (staging / "assets" / name).write_bytes(asset_bytes(env, name))
        (staging / "follow-ups.ics").write_bytes(to_ics(analysis))
        job = _RenderJob(root, data, _site_globals(analysis), review, staging, known)
        done = _render_pages(job, plan, on_rendered)
        if reuse:
            fixed = {MARKER, "follow-ups.ics", *(f"assets/{name}" for name in SITE_ASSETS)}
            kept = expected_paths(analysis) - done.written - fixed
            if not _keep_pages(out, staging, kept):  # the old site changed under us: render it all
                kept = set()
                done = _render_pages(replace(job, known={}), page_plan(data, None, review), on_rendered)

    write_site_atomically(root, out, fill)
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

    def __init__(self, root: Path, out: Path) -> None:
        self.root = root
        self.out = out
        self.notes = NoteCache(prerender_note)
        self.bodies: dict[str, BodyHtml] = {}
        self.anchors: dict[str, str] = {}
        self.previous: Analysis | None = None
        self.template_stamp: tuple = ()
        self.env = make_environment(root)  # jinja re-reads a template whose file changed
        self.contexts: dict[str, dict] = {}  # page path -> the context its file was last rendered from
        self.written_paths: set[str] = set()
        self.calendar: bytes = b""
        self.calendar_key: tuple | None = None

    def build(self, today: dt.date, modified: set[str] | None = None,
              on_loaded: Callable[[int], None] | None = None) -> BuildResult:
        """Build; MODIFIED (journal-relative note paths) is a file watcher's word that only those notes
        changed in place, so the folder walk and the other notes' stats can be skipped."""
        gc.disable()  # the build allocates many short-lived objects; collecting midway only costs time
        try:
            return self._build(today, modified, on_loaded)
        finally:
            gc.enable()

    def _build(self, today: dt.date, modified: set[str] | None, on_loaded: Callable[[int], None] | None
               ) -> BuildResult:
        started = time.perf_counter()
        files = None
        if modified is not None and self.previous is not None and self.previous.files is not None:
            known = {rel for _, rel, _ in self.previous.files.notes}
            if modified <= known:
                files = self.previous.files
        self.notes.start_pass(modified if files is not None else None)
        analysis = analyze(self.root, today, loader=self.notes, files=files, on_loaded=on_loaded)
        changed = self.notes.end_pass()
        self.notes.parallel = False  # serve's threads run from now on, and forking beside threads can deadlock
        if not self.bodies:  # the first build: the bodies the loader prerendered (in worker processes)
            self.bodies = prerendered_bodies(self.notes)
        stamp = _templates_stamp(self.root)
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
        site = _site_globals(analysis)
        files = {f"assets/{name}": asset_bytes(self.env, name) for name in SITE_ASSETS}
        files["follow-ups.ics"] = self.calendar
        for page in pages:
            files[page.path] = render_page(self.env, page, site).encode("utf-8")
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
