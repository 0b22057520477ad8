"""The jinja environment: the project's templates, overridable by a journal's own templates/ folder
(MkDocs' custom_dir idea); autoescape on for every template whatever its file name.

The rows a page shows many of (an interaction in full, a follow-up, a person in the list) are rendered by
a macro each and kept by their content: an interaction shows on its month's page and on each of its
people's pages, and a rebuild renders again only the rows whose data changed.

A journal's templates are someone else's code when the journal is a shared repository (a mentor builds the
owner's clone): a journal with a templates/ folder is rendered in jinja's sandbox, which lets a template
read the page's data and call netjournal's helpers but reach nothing of Python's internals (no os.popen
through a function's globals, no walking of classes). netjournal's own templates render byte for byte the
same in it.
"""
from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from ..files import NOT_REGULAR
from ..paths import package_templates
from .markdown import legal_html
from .pages import Page

SITE_ASSETS = ("site.css", "site.js")
#: Rows kept by a long-lived environment (serve, the daemon) before it starts afresh.
FRAGMENT_LIMIT = 150_000
#: Rows of one macro kept by identity (Fragments.last_rows) before they start afresh
KEPT_ROWS_LIMIT = 60_000



class Fragments:
    """The rendered rows of the pages that show many (an interaction in full, a follow-up, a person of the
    list): an interaction shows on its month's page and on each of its people's pages, and is rendered
    once per build by the process that renders them all (by its anchor, unique in a build; a worker renders
    each page's on its own). A long-lived environment also keeps rows by their content, so a rebuild renders
    again only the rows whose data changed."""

    def __init__(self, keep: bool) -> None:
        self.by_anchor: dict[str, Markup] = {}  # this build's interactions
        self.by_content: dict[tuple, Markup] | None = {} if keep else None
        # by macro, the rows that are memo values (a person in the list, a follow-up) rendered in this build
        # and in the last that rendered that macro, by identity: the memo keeps an unchanged row as the very
        # object it was, found with no repr
        self.by_row: dict[str, dict[int, tuple[dict, Markup]]] = {}
        self.last_rows: dict[str, dict[int, tuple[dict, Markup]]] = {}
        # partials/macros.html's module, looked up once a build: jinja's get_template stats the file on each
        # call to see if it changed, and rows are rendered 200,000 times in a cold build at L (1.1 s of CPU)
        self.macros: Any = None

    def new_build(self) -> None:
        self.by_anchor = {}
        self.macros = None
        # (called at a build's end and at the next one's start: shifted once). Added to what earlier builds
        # rendered: a person's page renders a few follow-ups, and the page of all 17,000 renders them again
        # a build later. Rows the memo has since dropped are held here until the limit starts them afresh.
        for macro, rows in self.by_row.items():
            last = self.last_rows.setdefault(macro, {})
            if len(last) + len(rows) > KEPT_ROWS_LIMIT:
                self.last_rows[macro] = rows
            else:
                last.update(rows)
        self.by_row = {}
        if self.by_content is not None and len(self.by_content) > FRAGMENT_LIMIT:
            self.by_content = {}


class RegularFileLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, reading regular files only: a template that is a FIFO, or a symlink to a
    device such as /dev/zero (which a shared repository can hold), would stall the build or never end."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        for folder in self.searchpath:  # the first that has it is the one jinja reads
            path = os.path.join(folder, *split_template_path(template))
            if os.path.exists(path):
                if not os.path.isfile(path):
                    raise jinja2.TemplateError(f"templates/{template} is {NOT_REGULAR}; not read")
                break
        return super().get_source(environment, template)


SANDBOX_NOTE = "refused: netjournal renders a journal's own templates in jinja's sandbox"


def located(exc: jinja2.TemplateRuntimeError, folder: Path) -> jinja2.TemplateRuntimeError:
    """EXC, raised while rendering, saying where (`templates/NAME:LINE: `) when a template of FOLDER (a
    journal's templates/) is on its traceback, and, for what the sandbox refused, why."""
    where = ""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.is_relative_to(folder):
            where = f"templates/{path.relative_to(folder).as_posix()}:{frame.lineno}: "
            break
    why = f" ({SANDBOX_NOTE})" if isinstance(exc, SecurityError) else ""
    return type(exc)(f"{where}{exc.message}{why}")


_ADDRESS_BREAKS = re.compile(r"([@/]+)|(\.)")


def breakable(text: str) -> Markup:
    """TEXT (an e-mail address, a URL) escaped, with a line-break opportunity (<wbr>) after each @ and /
    and before each dot: a long address breaks there, not in the middle of a word."""
    return Markup(_ADDRESS_BREAKS.sub(lambda m: f"{m.group(1)}<wbr>" if m.group(1) else "<wbr>.",
                                      str(escape(text))))


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process, in memory (jinja's bytecode cache, which compiles a template
    again when its source changed): compiling netjournal's templates is most of a small journal's build, and
    tests and serve make many builds. Never on disk: a planted file of bytecode would be code run."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


#: One per kind of environment: an environment's settings shape the code it compiles
_COMPILED = {jinja2.Environment: CompiledTemplates(), SandboxedEnvironment: CompiledTemplates()}


def make_environment(journal_root: Path | None = None, keep: bool = False) -> jinja2.Environment:
    """The environment pages are rendered in, with the row macros as globals; KEEP for one that renders
    build after build (see Fragments)."""
    search = []
    if journal_root is not None and (journal_root / "templates").is_dir():
        search.append(str(journal_root / "templates"))
    search.append(str(package_templates()))
    kind = SandboxedEnvironment if len(search) > 1 else jinja2.Environment  # a journal's templates: the sandbox
    env = kind(
        loader=RegularFileLoader(search),
        autoescape=True,  # not select_autoescape: a user's template named .htm or .txt is escaped too
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        bytecode_cache=_COMPILED[kind],
    )
    fragments = Fragments(keep)

    def macro_html(macro: str, row: dict) -> Markup:
        if fragments.macros is None:
            fragments.macros = env.get_template("partials/macros.html").module
        html = getattr(fragments.macros, macro)(row)
        # a macro of an autoescaping environment returns Markup already: Markup() of it copies the text
        return html if isinstance(html, Markup) else Markup(html)

    def row_html(macro: str, row: dict, kept_row: bool = False) -> Markup:
        """MACRO of partials/macros.html on ROW; KEPT_ROW: ROW may be a value of the memo (found by identity;
        a row made for this page only is kept until the next build that renders MACRO)."""
        kept = fragments.by_content
        if kept is None:
            return macro_html(macro, row)
        if kept_row:
            rows = fragments.by_row.setdefault(macro, {})
            same = rows.get(id(row)) or fragments.last_rows.get(macro, {}).get(id(row))
            if same is not None and same[0] is row:
                rows[id(row)] = same
                return same[1]
        key = (macro, repr(row))
        if key not in kept:
            kept[key] = macro_html(macro, row)
        html = kept[key]
        if kept_row:
            rows[id(row)] = (row, html)
        return html

    def interaction_html(row: dict) -> Markup:
        html = fragments.by_anchor.get(row["id"])
        if html is None:
            html = fragments.by_anchor[row["id"]] = row_html("interaction_full", row)
        return html

    env.filters["breakable"] = breakable
    env.globals["interaction_html"] = interaction_html
    env.globals["person_row_html"] = lambda row: row_html("person_row", row, kept_row=True)
    env.globals["follow_up_items_html"] = lambda rows: Markup("".join(row_html("follow_up_item", r, kept_row=True)
                                                                      for r in rows))
    env.globals["fragments"] = fragments
    return env


def fragments_of(env: jinja2.Environment) -> Fragments:
    """The rendered rows ENV keeps (made by make_environment)."""
    fragments = env.globals["fragments"]
    assert isinstance(fragments, Fragments)  # make_environment put them there
    return fragments


def render_page(env: jinja2.Environment, page: Page, site: dict[str, Any]) -> bytes:
    """PAGE's HTML as UTF-8."""
    template = env.get_template(page.template)
    try:
        return legal_html(template.render(page=page.context, base=page.base, path=page.path, site=site)).encode("utf-8")
    except Exception as exc:  # a journal's template may raise anything (`{{ 1 // 0 }}`): its build fails, saying where
        if not env.sandboxed:  # netjournal's own templates only
            raise
        loader = env.loader  # the journal's templates/ first
        assert isinstance(loader, jinja2.FileSystemLoader)
        folder = Path(loader.searchpath[0])
        if not isinstance(exc, jinja2.TemplateRuntimeError):
            frames = traceback.extract_tb(exc.__traceback__)
            if not any(Path(frame.filename).is_relative_to(folder) for frame in frames):
                raise  # netjournal's own error, not the template's
            exc = jinja2.TemplateRuntimeError(f"{type(exc).__name__}: {exc}").with_traceback(exc.__traceback__)
        raise located(exc, folder) from None


def asset_bytes(env: jinja2.Environment, name: str) -> bytes:
    """A static asset (css, js), looked up like templates so a journal can override it too."""
    loader = env.loader
    assert isinstance(loader, jinja2.FileSystemLoader)
    for folder in loader.searchpath:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate.read_bytes()
    raise FileNotFoundError(name)


# --- rendering in worker processes (the engine's pool) ---------------------------------------------------

_WORKER_ENV: dict[str, jinja2.Environment] = {}


def render_chunk(root: str, globals_: dict, pages: list[Page]) -> list[bytes]:
    """What a worker does: render PAGES."""
    env = _WORKER_ENV.get(root)
    if env is None:
        env = _WORKER_ENV[root] = make_environment(Path(root))
    results = []
    for page in pages:
        try:
            results.append(render_page(env, page, globals_))
        finally:
            fragments_of(env).new_build()  # the page's interactions, rendered once for it: none kept after
    return results
