"""Making a build's pages: the engine's part between the plan (which pages are stale) and the output.

Each stale page's data is made in the building process, with what it read recorded in the memo (derive.py),
then rendered: here, or by worker processes when there are many. The engine decides where a page's bytes go.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from .derive import Memo
from .export import to_ics
from .pool import Pool, WorkersLost, stream, workers
from .site.context import Site
from .site.pages import Page, PageSpec, make_page
from .site.render import SITE_ASSETS, asset_bytes, fragments_of, render_chunk, render_page
from .site.write import MARKER

#: From this many pages to render, worker processes render them (each page's data is made here)
PARALLEL_PAGES_FROM = 300
#: The summary pages that show many rows a long-lived environment keeps (render.Fragments.by_row)
ROW_PAGES = frozenset({("dashboard", None), ("people", None), ("follow-ups", None), ("review", None)})

#: Takes a page made: its path, its bytes and their digest
Write = Callable[[str, bytes, bytes], None]


def digest(content: bytes) -> bytes:
    """What the memo and the engine compare a file's bytes by."""
    return hashlib.blake2b(content, digest_size=16).digest()


@dataclass
class PageMaker:
    """Makes the pages of SITE with ENV; WRITTEN is the digest of each file the output holds, so that a page
    made again with the same bytes is not written again."""
    site: Site
    memo: Memo
    env: Any
    review: Any
    root: Path
    in_place: bool  # serve and the daemon: their environment keeps the rows of the summary pages
    written: dict[str, bytes]

    def make(self, stale: list[tuple[PageSpec, str]], write: Write,
             on_rendered: Callable[[int, int], None] | None, clock: Callable[[str], None]) -> None:
        """Render the STALE pages, their data made here with what it read recorded in the memo, and WRITE
        those whose bytes changed. With many pages, worker processes render them."""
        site = self.site
        globals_ = {"title": site.config.title, "owner": site.config.owner, "today": site.today.isoformat()}
        done = [0]
        made: set[str] = set()

        def finish(path: str, reads: tuple, content: bytes) -> None:
            made.add(path)
            page_digest = digest(content)
            self.memo.record(("page", path), page_digest, (*reads, ("templates",), ("today",), ("config",)))
            if self.written.get(path) != page_digest:
                write(path, content, page_digest)
            done[0] += 1
            if on_rendered is not None:
                on_rendered(done[0], len(stale))

        fragments_of(self.env).new_build()
        with workers() if len(stale) >= PARALLEL_PAGES_FROM else nullcontext() as pool:
            if pool is not None:
                try:
                    self._render_in_workers(pool, globals_, stale, finish)
                except WorkersLost:  # a worker was killed: the pages not yet made are made here
                    pass
        for path, reads, page in self._page_data([item for item in stale if item[1] not in made]):
            finish(path, reads, render_page(self.env, page, globals_))
        clock("render")

    def _render_in_workers(self, pool: Pool, globals_: dict, stale: list[tuple[PageSpec, str]],
                           finish: Callable[[str, tuple, bytes], None]) -> None:
        # in place, the pages of many kept rows are left to this process (made after the workers' pages), so
        # that its environment has their rows: made in a worker, the first front-matter edit after serve or
        # the daemon started rendered every follow-up again (at 10,000 notes 62 and 94 ms, the next 34 and 49;
        # now 35 to 38). At L these four pages take this process about a second of serve's first build
        here = ROW_PAGES if self.in_place else frozenset()
        # a worker renders each interaction its pages show (on its month's page and its people's again):
        # sending the month's rows to this process to hand to the people's pages held them all here (140 MB
        # at L, the cold build's peak) and took as long. One page a task: a month's page is 1.6 MB of HTML
        # at L, and a worker keeps the heap its largest task needed (8 months a task: 245 MiB PSS a worker)
        pages = (((path, reads), page) for path, reads, page in
                 self._page_data([item for item in stale if item[0] not in here]))
        for (path, reads), content in stream(pool, pages, partial(render_chunk, str(self.root), globals_),
                                             chunk_size=1):
            finish(path, reads, content)

    def _page_data(self, pages: list[tuple[PageSpec, str]]) -> Iterator[tuple[str, tuple, Page]]:
        for spec, path in pages:
            with self.memo.recording() as reads:
                page = make_page(self.site, spec, self.review)
            yield path, tuple(reads), page

    def extra_files(self, marker: bytes) -> dict[str, bytes]:
        """The files besides pages: assets, the calendar feed (when its data changed), the MARKER."""
        extra = {f"assets/{name}": asset_bytes(self.env, name) for name in SITE_ASSETS}
        if "follow-ups.ics" not in self.written or not self.memo.is_current(("page", "follow-ups.ics")):
            with self.memo.recording() as reads:
                calendar = to_ics(self.site)
            self.memo.record(("page", "follow-ups.ics"), digest(calendar), (*reads, ("config",)))
            extra["follow-ups.ics"] = calendar
        extra[MARKER] = marker
        return extra
