"""The build engine: the one builder that `build`, `serve` and `daemon` drive.

A `Builder` owns a journal's note store, its model, the memo of what every page and derived value was
made from (derive.py), and the output folder. `build(today, touched)` reads the notes that changed (those
a watcher names, else those whose file changed), applies them to the model, and renders only the pages
that read a fact that changed; of those, only pages whose bytes differ are written. A one-shot build
writes a new folder (the pages it kept are hard links into the old one) and swaps it in, so a failed
build leaves the last good site; serve and the daemon own their folder and replace changed pages one by
one, each atomically. Between processes the store and the memo are saved in the state folder, so a new
`build` after one edit renders the few pages it changed, and one after no change does nothing.

Sites for another audience than the owner, and sites with a `--since` page, are made whole on every
build: they are rare, and a site that shares less must never keep a page an earlier build made.
"""
from __future__ import annotations

import datetime as dt
import gc
import os
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import load
from .audience import (
    AudienceView,
    audience_config,
    audience_history,
    audience_key,
    audience_records,
    audience_view,
)
from .career_history import History, head_stamp, people_history
from .config import OWNER, Audience, load_config, path_tag
from .derive import Key, Memo
from .files import file_identity
from .findings import Finding
from .first_seen import GitDates, first_seen
from .load import unread_people, without_annex_names
from .memo_state import load_memo, save_memo
from .model import Journal
from .page_making import PageMaker, digest
from .paths import CACHE_FOLDER
from .pool import build_workers, give_back_freed_memory, parallel_map
from .records import Record
from .site import context, pages, planning, rows
from .site.context import Site
from .site.pages import PageSpec, page_plan
from .site.render import fragments_of, make_environment
from .site.write import (
    MARKER,
    MARKER_TEXT,
    check_output,
    has_marker,
    still_the_folder,
    write_file,
    write_site_atomically,
)
from .stamps import build_fingerprint, config_bytes, git_index_stamp, note_stats, output_listing, templates_stamp
from .store import NoteStore, load_state, save_state, store_key
from .values import count_text
from .walk import NoteListing

if TYPE_CHECKING:
    import jinja2

OWNER_AUDIENCE = Audience(OWNER, exclude_private=False)


def _recipes(*modules: Any) -> dict[str, Callable[..., Any]]:
    """The private functions of MODULES by name: the memo's recipes, for a memo kept between processes (a state
    file holds no functions). A name in two of them would restore a value with the other's recipe: refused."""
    found: dict[str, Callable[..., Any]] = {}
    for module in modules:
        for name, value in vars(module).items():
            if callable(value) and name.startswith("_") and getattr(value, "__module__", "") == module.__name__ \
                    and not isinstance(value, type):
                if name in found:
                    raise ImportError(f"{name} is a memo recipe of both {found[name].__module__} and {module.__name__}")
                found[name] = value
    return found


#: The memo's recipes by name (_recipes)
RECIPES = _recipes(context, pages, planning, rows)
#: Seconds a long-running builder is idle before it settles: a burst of saves (each answered by a `build`)
#: is built in the memory the last build left, not given back and faulted in again between them (at L the
#: daemon's one-note rebuilds took 0.03 to 0.07 s more with a settle after each)
SETTLE_AFTER = 0.5
#: Pages a build in place (serve, the daemon) holds until every page is made, so that a failed build
#: changes nothing; a build from scratch of a larger site writes the rest as they come.
HELD_PAGES = 1000


class BuildRefused(Exception):
    """A --strict build found errors: nothing was written. `errors` are the findings."""

    def __init__(self, errors: list[Finding]) -> None:
        super().__init__(count_text(len(errors), "error"))
        self.errors = errors


@dataclass
class BuildResult:
    out: Path
    findings: tuple[Finding, ...] = ()  # what the site says of the journal (for the owner: every finding)
    note_count: int = 0
    rendered: tuple[str, ...] = ()  # the pages rendered (their data changed), by path
    written: int = 0  # files whose bytes changed
    kept: int = 0  # pages kept as they were
    seconds: float = 0.0
    up_to_date: bool = False  # nothing changed since the last build: nothing was done
    error_count: int = 0
    errors: tuple[Finding, ...] = ()  # the findings that are errors (none listed when up_to_date)
    timings: dict[str, float] = field(default_factory=dict, repr=False)  # seconds per phase (benchmarks)
    fingerprint: str | None = field(default=None, repr=False)  # of what it was built from (build_fingerprint)

    @property
    def pages(self) -> int:
        return len(self.rendered)


def output_for(root: Path, site_output: str, audience: Audience) -> Path:
    """[site] output for the owner; `<output>-<audience>` beside it for anyone else."""
    return root / (site_output if audience.is_owner else f"{site_output.rstrip('/')}-{audience.name}")


def state_folder(root: Path, out: Path) -> Path:
    """Where a build of ROOT into OUT keeps its store and memo: in the cache folder beside OUT."""
    return Path(os.path.abspath(out)).parent / CACHE_FOLDER / f"{path_tag(root)}-{path_tag(out)}"


class _Clock:
    """Seconds spent in each phase of a build, for benchmarks."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def __call__(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings[phase] = self.timings.get(phase, 0.0) + now - self._last
        self._last = now


class Builder:
    """Builds the site of the journal at ROOT into OUT, keeping what it can from its last build."""

    def __init__(self, root: Path, out: Path, *, audience: Audience = OWNER_AUDIENCE, review: Any = None,
                 in_place: bool = False, marker: str = MARKER_TEXT, state: Path | None = None,
                 strict: bool = False) -> None:
        self.root, self.out = root, Path(os.path.abspath(out))
        self.audience, self.review, self.in_place, self.strict = audience, review, in_place, strict
        self.marker = marker.encode("utf-8")
        self.state = state
        self.incremental = audience.is_owner and review is None
        self.warning: str | None = None
        self.on_remove: Callable[[str], None] | None = None  # told of each page a build in place removes
        self._config: bytes | None = None
        self._store: NoteStore | None = None
        self._env: jinja2.Environment | None = None
        self._git_dates = GitDates(root)  # when each person's note first appeared in git's history
        self._history: tuple[tuple, History] | None = None  # see _people_history
        self._env_stamp: Any = None
        self._reset()
        last = load_state(state / "last-build.pickle") if state is not None else None
        self._last = last if isinstance(last, dict) else {}
        self.unsettled = False  # built in place since the last settle

    def _reset(self) -> None:
        """Start afresh (the config changed: it shapes every record and every page)."""
        self._store = None
        self.journal = Journal()
        self.memo = Memo()
        self.inputs: dict[Key, Any] = {}  # what the last build read besides the notes
        self.by_person: dict[str, tuple[Finding, ...]] = {}  # the last build's findings, by person
        self.listing = NoteListing(self.root)  # the notes there are
        self.written: dict[str, bytes] = {}  # page path -> digest of the file in the output
        self._restored = False

    @property
    def store(self) -> NoteStore:
        """The note store, opened on first use (a build that finds the site up to date never reads it)."""
        if self._store is None:
            key = store_key(self._config or b"")
            self._store = NoteStore.open(self.state / "notes", key) if self.state is not None else NoteStore(key=key)
            self.warning = self._store.warning
            if self.state is not None and self.incremental and self._store.entries:
                self._restore()
        return self._store

    # --- what is kept between processes -------------------------------------------------------------------

    def _restore(self) -> None:
        """The memo of the last build of this journal into this folder, if it was made from the notes the
        store holds: then the model is made of those notes, and this build's changes applied to it."""
        assert self.state is not None and self._store is not None
        kept = load_memo(self.state, self._store.generation, RECIPES)
        if kept is None:
            return
        self.memo, self.inputs, self.written = kept.memo, kept.inputs, kept.written
        if self._last.get("memo") != kept.token:  # the site was left by another build than this memo's
            self.written = {}
        self.by_person = Site.last_by_person(self.memo)  # (kept in the memo, not again beside it)
        self.journal.apply([(None, record) for record in self._store.records()])
        self.journal.set_first_seen(self.inputs.get(("first seen",), {}))
        self._restored = True

    def save(self, errors: int = 0, fingerprint: str | None = None) -> None:
        """Keep the store and what the last build made in the state folder, for the next process."""
        if self.state is None or self._store is None:
            return
        self._store.save()
        memo = None
        if self.incremental and self._store.generation is not None:
            memo = save_memo(self.state, self._store.generation, self.memo, self.inputs, self.written)
        # the memo saved with the site as it is: a build that restores another (one that overlapped this, or
        # an older one when this could not be saved) trusts none of the pages it finds (_restore)
        self._last = {"fingerprint": fingerprint, "errors": errors, "memo": memo,
                      "listing": output_listing(self.out) if self.out.is_dir() else None}
        save_state(self.state / "last-build.pickle", self._last)

    def forget_output(self) -> None:
        """The output folder is not as this builder left it: the next build writes every page."""
        self.written = {}

    def settle(self) -> None:
        """Give the system back the memory the builds since the last `settle` freed (glibc's malloc_trim); for
        serve and the daemon, which hold the builder for days, to call once idle for SETTLE_AFTER. A build
        leaves what it freed in the C heap: 311 MiB at L after the first, 68 MiB after a front-matter edit
        (the model's notes resolved again), given back in 30 to 60 ms, and faulted in again by the next build."""
        if self.unsettled:
            give_back_freed_memory()
        self.unsettled = False

    # --- building -----------------------------------------------------------------------------------------

    def build(self, today: dt.date, touched: set[str] | None = None,
              on_read: Callable[[int], None] | None = None,
              on_rendered: Callable[[int, int], None] | None = None) -> BuildResult:
        """Build as of TODAY. TOUCHED (journal-relative paths) is a watcher's word that only those files
        changed since the last build; without it every note is checked."""
        started = time.perf_counter()
        collecting = gc.isenabled()  # off already in a one-shot command (cli._without_collector)
        gc.disable()  # many short-lived objects and no cycles: collecting midway only costs time
        try:
            with ExitStack() as pool:
                result = self._build(today, touched, on_read, on_rendered, pool)
            if not self.in_place and not result.up_to_date:
                # saved once the workers and the build's frames are gone and what they freed is given back:
                # pickling the memo at L takes 100 MiB more (pickle's table of the 2.4 million objects it
                # writes), which the freed but fragmented heap cannot hold. A cold build at L peaks here
                # (1,045 MiB PSS; 1,230 when the workers were still there), rendering at 990
                give_back_freed_memory()
                started_saving = time.perf_counter()
                self.save(result.error_count, result.fingerprint)
                result.timings["save"] = time.perf_counter() - started_saving
        except BaseException:
            # the store has taken this build's notes and the site has not: the next build starts afresh
            self._reset()
            raise
        finally:
            if collecting:
                gc.enable()
        self.unsettled = self.in_place
        result.seconds = time.perf_counter() - started
        return result

    def _build(self, today: dt.date, touched: set[str] | None, on_read: Callable[[int], None] | None,
               on_rendered: Callable[[int, int], None] | None, pool: ExitStack) -> BuildResult:
        raw_config = config_bytes(self.root)
        if raw_config != self._config:
            self._config = raw_config
            self._reset()
        config, config_findings = load_config(self.root)
        if not self.in_place:
            check_output(self.root, self.out)
        patched = touched is not None and self.listing.patch(touched)
        files = self.listing.files
        if not patched or files is None:
            files = self.listing.walk(skip=(self.root / config.site_output, self.out))
        stats = None if patched else note_stats(files)
        templates = templates_stamp(self.root)
        fingerprint = None
        if not self.in_place and self.incremental:
            fingerprint = build_fingerprint(files, stats, templates, today, store_key(raw_config),
                                            head_stamp(self.root))
            if (fingerprint is not None and fingerprint == self._last.get("fingerprint") and not self.strict
                    and self._last.get("listing") == output_listing(self.out)):
                return BuildResult(self.out, note_count=len(files.notes), up_to_date=True,
                                   error_count=self._last.get("errors", 0))
        if not self.in_place and len(files.notes) >= load.PARALLEL_FROM:
            pool.enter_context(build_workers())  # forked now, before the store and the model fill this process
        clock = _Clock()
        changes = self.store.refresh(self.listing.notes, stats, only=touched if patched else None,
                                     parallel=parallel_map, on_read=on_read)
        clock("read")
        view = self._audience_view() if not self.audience.is_owner else None  # once, for the three below
        changed = self._apply(changes, view)
        seen = first_seen(self.listing.people, self._git_dates.dates(git_index_stamp(self.root)))
        moved = self.journal.set_first_seen(seen)
        history = self._people_history(view)
        clock("model")
        note_findings = (*config_findings, *files.findings,
                         *without_annex_names(self.root, self.store.private_records(), self.store.findings()))
        if view is not None:  # its title and owner as the audience may see them
            config = audience_config(config, view.records, self.audience, view.names, view.redaction)
        site = Site(self.journal, self.memo, config, today, self.audience,
                    stored_body=self.store.body if self.audience.is_owner else None,
                    note_findings=note_findings, note_count=len(self.listing.notes),
                    audience_key=audience_key(self.root) if not self.audience.is_owner else b"", history=history)
        if changed is None:  # a model made anew: nothing made before counts
            self.memo = site.memo = Memo()
            self.journal.reads = self.memo.read
            self.written = {} if not self.in_place else self.written
            changed = set()
        inputs = self._changed_inputs(today, templates, note_findings, len(self.listing.notes), seen, history)
        self.memo.begin(changed | moved | inputs, site)
        findings = site.findings()
        self.memo.also_changed(self._changed_findings(site))
        clock("checks")
        errors = site.errors()
        if self.strict and errors:
            raise BuildRefused(list(errors))
        result = self._render(site, on_rendered, clock)
        pool.close()  # the workers end before the state is pickled: at L they held 290 MiB at the build's peak
        self.memo.end()
        result.findings, result.note_count, result.errors = findings, len(self.listing.notes), errors
        result.error_count = len(errors)
        result.fingerprint = fingerprint
        result.timings = clock.timings
        return result

    def _apply(self, changes: dict, view: AudienceView | None) -> set[Key] | None:
        """Apply the notes that changed to the model: the keys of the facts that changed (None: all is new).
        VIEW: what another audience's site is made of (_audience_view)."""
        if not self.incremental:  # another audience's site is made whole, of what it may see
            self.journal = Journal()
            records = self.store.records()
            if view is not None:
                records = audience_records(view.records, self.audience, audience_key(self.root), view.names,
                                           view.redaction)
            return self.journal.apply([(None, r) for r in records])
        if not self._restored and not self.journal.has_notes():
            return self.journal.apply([(None, r) for r in self.store.records()])
        pairs: list[tuple[Record | None, Record | None]] = []
        for before, after in changes.values():
            old = before.record if before is not None else None
            new = after.record if after is not None else None
            if old is not None or new is not None:
                pairs.append((old, new))
        return self.journal.apply(pairs)

    def _audience_view(self) -> AudienceView:
        """What another audience's site is made of (audience.audience_view): the store's records, and of the
        person notes the walk did not read (load.unread_people) the records of those below private/ and the
        names of the others and of person notes that gave no record (load.salvaged_names). UnknownNames when one
        below private/ cannot be read."""
        unread = unread_people(self.listing.files, self.store.unread_people(), self.store.salvaged_names())
        return audience_view(self.store.records(), unread, self.audience)

    def _people_history(self, view: AudienceView | None) -> History:
        """The commits' changes of people's role and org (career_history.py), as this site's audience may see
        them (VIEW as for _apply): git is asked again only when the journal's HEAD, branch or packed refs
        changed on disk."""
        stamp = head_stamp(self.root)
        if self._history is None or self._history[0] != stamp:
            self._history = (stamp, people_history(self.root))
        history = self._history[1]
        if view is not None:
            history = audience_history(view.records, history, self.audience, view.names, view.redaction)
        return history

    def _changed_inputs(self, today: dt.date, templates: tuple, note_findings: tuple, note_count: int,
                        seen: dict[str, dt.date], history: History) -> set[Key]:
        """The keys of what the build reads besides the model that changed since the last build (the days
        people's notes first appeared are kept with them, for the model of the next process: `_restore`);
        the git history by person note (a commit changes the keys of the notes it changed)."""
        before: History = self.inputs.get(("git history",), {})
        now: dict[Key, object] = {("today",): today, ("templates",): templates, ("config",): self._config,
                                  ("note findings",): note_findings,
                                  ("note count",): note_count, ("first seen",): seen, ("git history",): history}
        changed = {key for key, value in now.items() if self.inputs.get(key) != value}
        if ("git history",) in changed:
            changed |= {("git history", path) for path in before.keys() | history.keys()
                        if before.get(path) != history.get(path)}
        self.inputs = now
        return changed

    def _changed_findings(self, site: Site) -> set[Key]:
        """`("findings of", pid)` of each person whose findings differ from the last build's (a person's
        page and agenda line read theirs, Site.findings_of): known only once the checks have run."""
        before, self.by_person = self.by_person, site.by_person()
        if self.by_person is before:  # the same value as the last build's (the memo keeps an equal one)
            return set()
        return {("findings of", pid) for pid in before.keys() | self.by_person.keys()
                if before.get(pid) != self.by_person.get(pid)}

    # --- rendering and writing ----------------------------------------------------------------------------

    def _environment(self) -> jinja2.Environment:
        if self._env is None or self.inputs.get(("templates",)) != self._env_stamp or not self.in_place:
            # serve and the daemon keep theirs: it keeps rendered rows between builds
            self._env = make_environment(self.root, keep=self.in_place)
            self._env_stamp = self.inputs.get(("templates",))
        return self._env

    def _plan(self, site: Site) -> tuple[list[tuple[PageSpec, str]], list[tuple[PageSpec, str]], list[str]]:
        """Every page of the site; those to render (their data changed, or the folder is not as the last
        build left it); and the pages of the last build that are gone (forgotten here)."""
        plan = page_plan(site, self.review)
        if not self.in_place and self._last.get("listing") != (output_listing(self.out) if self.out.is_dir() else None):
            self.written = {}  # the site is not as the last build left it: make every page
        if self.in_place and not self.written and self.out.is_dir():
            # a folder this builder knows nothing of (its first build, or one after a failure): every page is
            # written, and what a full build would not write there goes
            self.written = dict.fromkeys(output_listing(self.out), b"")
        stale = [(spec, path) for spec, path in plan
                 if path not in self.written or not self.incremental or not self.memo.is_current(("page", path))]
        planned = {path for _, path in plan}
        gone = [path for path in self.written if path not in planned and path.endswith(".html")]
        self.memo.forget(("page", path) for path in gone)
        for path in gone:
            del self.written[path]
        return plan, stale, gone

    def _render(self, site: Site, on_rendered: Callable[[int, int], None] | None, clock: _Clock) -> BuildResult:
        env = self._environment()
        if self.in_place and not has_marker(self.out):
            # a folder this builder has not filled (new; made again, or another swapped in, under a daemon):
            # empty or netjournal's, else refused before anything is written or removed there; then marked
            # before its first page, so that a build stopped midway leaves a folder the next one takes
            check_output(self.root, self.out)
            self.forget_output()
            write_file(self.out / MARKER, self.marker)
        # in place, the folder checked above is the one written: one swapped in while pages are made (a user
        # moving the site away and making a folder of their own there) gets no page and loses no file
        checked = file_identity(self.out) if self.in_place else None
        plan, stale, gone = self._plan(site)
        result = BuildResult(self.out, rendered=tuple(path for _, path in stale), kept=len(plan) - len(stale))
        maker = PageMaker(site, self.memo, env, self.review, self.root, self.in_place, self.written)
        made: dict[str, bytes] = {}  # digests of the files this build wrote
        held: dict[str, bytes] = {}  # in place: pages held until all are made (a failure changes nothing)

        def fill(folder: Path) -> None:
            """Write the pages that changed into FOLDER as they are rendered, then the other files; a new
            folder (staged) gets the pages kept as hard links to the old site's."""
            def write(path: str, content: bytes, content_digest: bytes) -> None:
                if self.in_place and self.written.get(path) == content_digest and (folder / path).exists():
                    return
                if self.in_place and len(held) < HELD_PAGES:
                    held[path] = content
                else:  # a new folder; or a site built in place from scratch, too large to hold
                    if self.in_place:
                        still_the_folder(folder, checked, path)
                    write_file(folder / path, content, atomic=self.in_place)
                made[path] = content_digest

            maker.make(stale, write, on_rendered, clock)
            for path, content in maker.extra_files(self.marker).items():
                write(path, content, digest(content))
            if self.in_place:
                for path, content in held.items():
                    still_the_folder(folder, checked, path)
                    write_file(folder / path, content)
                for path in gone:
                    if self.on_remove is not None:
                        self.on_remove(path)
                    still_the_folder(folder, checked, path)
                    (folder / path).unlink(missing_ok=True)
                return
            for path in sorted(set(self.written) - set(made)):
                target = folder / path
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(self.out / path, target)  # a page kept: the old site's file, never written again

        if self.in_place:
            fill(self.out)
        else:
            try:
                write_site_atomically(self.root, self.out, fill)
            except OSError:
                self.written = {}  # the old site lost a page under us (or the disk is full): make all next time
                raise
        self.written.update(made)
        # what only this build needed: its interactions by anchor (a long-lived environment keeps rows by
        # their content)
        fragments_of(env).new_build()
        result.written = len(made) + (len(gone) if self.in_place else 0)
        clock("write")
        return result


def build_site(root: Path, today: dt.date, out: Path | None = None, audience: Audience | None = None,
               review: Any = None) -> BuildResult:
    """Build the site of the journal at ROOT as of TODAY into OUT (default: the config's [site] output, or
    `<output>-<audience>`), from scratch and keeping nothing: what tests and one-off callers want."""
    audience = audience or OWNER_AUDIENCE
    target = out if out is not None else output_for(root, load_config(root)[0].site_output, audience)
    return Builder(root, target, audience=audience, review=review).build(today)
