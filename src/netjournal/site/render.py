"""The jinja environment: the project's templates, overridable by a journal's own templates/ folder
(MkDocs' custom_dir idea); autoescape on for every template whatever its file name.

A journal's templates are someone else's code when the journal is a shared repository (a mentor builds the
owner's clone): a journal with a templates/ folder is rendered in jinja's sandbox, which lets a template
read the page's data and call netjournal's helpers but reach nothing of Python's internals (no os.popen
through a function's globals, no walking of classes). netjournal's own templates render byte for byte the
same in it."""
from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

try:  # markupsafe's own escaper (in C when built) without the Markup that escape() wraps its text in
    from markupsafe import _escape_inner
except ImportError:  # pragma: no cover - another markupsafe: escape() writes the same text
    _escape_inner = escape

from ..files import NOT_REGULAR
from .views import Page

SITE_ASSETS = ("site.css", "site.js")


def package_templates() -> Path:
    """The templates shipped with netjournal (top-level templates/ in a checkout, netjournal/templates installed)."""
    return Path(str(resources.files("netjournal.templates")))


_DICT_ATTRIBUTES = frozenset(dir(dict))
MEMO_LIMIT = 200_000  # rendered fragments a long-lived environment keeps before it starts afresh


def output_escape(value: Any) -> str:
    """What `{{ value }}` writes into a page: markupsafe.escape(value)'s text. A plain string's escaped
    text is written as it is: the Markup that escape() makes of it would only be joined into the page
    (1.4 million times for the interactions pages of 100,000 notes alone)."""
    if value.__class__ is str:
        return _escape_inner(value)
    return escape(value)


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, but `{{ value }}` calls output_escape: the code it makes calls the name
    `escape`, which each compiled template binds (Jinja's own `from jinja2.runtime import escape`) and
    which no other code of it calls. Rebinding it after the template's code, at module level, is read by
    every render."""

    def visit_Template(self, node: Any, frame: Any = None) -> None:
        super().visit_Template(node, frame)
        self.writeline("escape = environment.output_escape")


class _Environment(jinja2.Environment):
    """`row.name` in a template looks a plain dict's key up directly. Jinja tries the attribute first and
    the key once that raises; a dict's only attributes are its methods, so the result is the same, and
    rendering a page takes about a third less time (every page context is dicts)."""

    code_generator_class = _CodeGenerator
    output_escape = staticmethod(output_escape)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


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


class _SandboxedEnvironment(_Environment, SandboxedEnvironment):
    """_Environment in jinja's sandbox: attribute lookups other than a plain dict's keys go through the
    sandbox's checks, and every call a template makes through its `call`."""


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


def make_environment(journal_root: Path | None = None, single_build: bool = False,
                     fragments: dict[str, Markup] | None = None) -> jinja2.Environment:
    """The jinja environment. `interaction_html(row)` renders the interaction_full macro of
    partials/macros.html, memoised on the row itself and then on its content: one interaction appears on
    its year page and on every participant's page, and a rebuild after an edit re-renders only the rows
    that changed.
    With SINGLE_BUILD (an environment used for one build only), rows are memoised by their anchor, unique
    per interaction within a build (FRAGMENTS may hold them already, rendered by other processes), and
    templates are not stat-ed again on every lookup."""
    search = []
    if journal_root is not None and (journal_root / "templates").is_dir():
        search.append(str(journal_root / "templates"))
    search.append(str(package_templates()))
    kind = _SandboxedEnvironment if len(search) > 1 else _Environment  # a journal's templates: the sandbox
    env = kind(
        loader=RegularFileLoader(search),
        autoescape=True,  # not select_autoescape: a user's template named .htm or .txt is escaped too
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=not single_build,
    )
    fragments = fragments if fragments is not None else {}

    def render_macro(name: str, row: dict) -> Markup:
        """A macro of partials/macros.html (looked up anew: a journal's own copy may have changed) on ROW."""
        return Markup(getattr(env.get_template("partials/macros.html").module, name)(row))

    def interaction_by_content(row: dict) -> Markup:
        key = row["id"] if single_build else repr(sorted(row.items()))
        html = fragments.get(key)
        if html is None:
            if len(fragments) > MEMO_LIMIT:
                fragments.clear()
            html = fragments[key] = render_macro("interaction_full", row)
        return html

    def memoised_on_row(make: Callable[[dict], Markup]) -> Callable[[dict], Markup]:
        """MAKE (a row's HTML), memoised on the row itself: serve keeps the rows of the interactions,
        follow-ups and people an edit leaves alone between rebuilds (SiteData.full_rows, follow_up_rows,
        people_rows), so a follow-ups page of 17,583 rows is rendered again in 0.05 s rather than 0.41 s,
        and a month page of 1,800 interactions makes no content key for them (0.02 s). The memo holds the
        row, so its id is not reused. With SINGLE_BUILD, rows are rendered once each: keeping them would
        only cost memory (75 MB of peak at 100,000 notes)."""
        if single_build:
            return make
        made_rows: dict[int, tuple[dict, Markup]] = {}

        def row_html(row: dict) -> Markup:
            made = made_rows.get(id(row))
            if made is not None and made[0] is row:
                return made[1]
            html = make(row)
            if len(made_rows) > MEMO_LIMIT:
                made_rows.clear()
            made_rows[id(row)] = (row, html)
            return html

        return row_html

    interaction_html = memoised_on_row(interaction_by_content)
    follow_up_html = memoised_on_row(partial(render_macro, "follow_up_item"))

    def follow_up_items_html(rows: list[dict]) -> Markup:
        """follow_up_html of each of ROWS, joined here rather than in a template loop: a loop's step costs
        more than a memo's hit, and re-rendering the follow-ups page (17,583 rows at 100,000 notes) is mostly
        such steps."""
        return Markup("".join(map(follow_up_html, rows)))

    env.filters["breakable"] = breakable
    env.globals["interaction_html"] = interaction_html
    env.globals["follow_up_html"] = follow_up_html
    env.globals["follow_up_items_html"] = follow_up_items_html
    env.globals["person_row_html"] = memoised_on_row(partial(render_macro, "person_row"))
    return env


def render_page(env: jinja2.Environment, page: Page, site: dict) -> bytes:
    """PAGE's HTML as UTF-8, each piece encoded as the template yields it: one emoji in a page makes
    the whole page a string of four bytes a character once joined, and encoding that costs more (0.4 to
    0.9 s of CPU at 100,000 notes, where 2,060 of the 2,061 interactions and person pages show a task's
    calendar emoji, U+1F4C5)."""
    template = env.get_template(page.template)
    try:
        return b"".join([piece.encode("utf-8") for piece in
                         template.generate(page=page.context, base=page.base, path=page.path, site=site)])
    except jinja2.TemplateRuntimeError as exc:
        if not env.sandboxed:  # netjournal's own templates only
            raise
        loader = env.loader  # the journal's templates/ first
        assert isinstance(loader, jinja2.FileSystemLoader)
        raise located(exc, Path(loader.searchpath[0])) from None


def asset_bytes(env: jinja2.Environment, name: str) -> bytes:
    """A static asset (css, js), looked up like templates so a journal can override it too."""
    loader = env.loader
    assert isinstance(loader, jinja2.FileSystemLoader)
    for folder in loader.searchpath:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate.read_bytes()
    raise FileNotFoundError(name)
