"""The jinja environment: the project's templates, overridable by a journal's own templates/ folder
(MkDocs' custom_dir idea); autoescape on for every template whatever its file name.

The rows a page shows many of (an interaction in full, a follow-up, a person in the list) are rendered by
a macro each and kept by their content: an interaction shows on its month's page and on each of its
people's pages, and a rebuild renders again only the rows whose data changed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..paths import package_templates
from .pages import Page

SITE_ASSETS = ("site.css", "site.js")
#: Rows kept by a long-lived environment (serve, the daemon) before it starts afresh.
FRAGMENT_LIMIT = 150_000


class Fragments:
    """The rendered rows of the pages that show many (an interaction in full, a follow-up, a person of the
    list): an interaction shows on its month's page and on each of its people's pages, and is rendered
    once per build (by its anchor, unique in a build). A long-lived environment also keeps rows by their
    content, so a rebuild renders again only the rows whose data changed."""

    def __init__(self, keep: bool) -> None:
        self.by_anchor: dict[str, Markup] = {}  # this build's interactions
        self.by_content: dict[tuple, Markup] | None = {} if keep else None

    def new_build(self) -> None:
        self.by_anchor = {}
        if self.by_content is not None and len(self.by_content) > FRAGMENT_LIMIT:
            self.by_content = {}


def make_environment(journal_root: Path | None = None, keep: bool = False) -> jinja2.Environment:
    """The environment pages are rendered in, with the row macros as globals; KEEP for one that renders
    build after build (see Fragments)."""
    search = []
    if journal_root is not None and (journal_root / "templates").is_dir():
        search.append(str(journal_root / "templates"))
    search.append(str(package_templates()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=True,  # not select_autoescape: a user's template named .htm or .txt is escaped too
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    fragments = Fragments(keep)

    def row_html(macro: str, row: dict) -> Markup:
        """MACRO of partials/macros.html on ROW."""
        kept = fragments.by_content
        key = (macro, repr(row)) if kept is not None else None
        html = kept.get(key) if kept is not None else None
        if html is None:
            module = env.get_template("partials/macros.html").module
            html = Markup(getattr(module, macro)(row))
            if kept is not None:
                kept[key] = html
        return html

    def interaction_html(row: dict) -> Markup:
        html = fragments.by_anchor.get(row["id"])
        if html is None:
            html = fragments.by_anchor[row["id"]] = row_html("interaction_full", row)
        return html

    env.globals["interaction_html"] = interaction_html
    env.globals["person_row_html"] = lambda row: row_html("person_row", row)
    env.globals["follow_up_items_html"] = lambda rows: Markup("".join(row_html("follow_up_item", r) for r in rows))
    env.globals["fragments"] = fragments
    return env


def render_page(env: jinja2.Environment, page: Page, site: dict[str, Any]) -> bytes:
    """PAGE's HTML as UTF-8."""
    template = env.get_template(page.template)
    return template.render(page=page.context, base=page.base, path=page.path, site=site).encode("utf-8")


def asset_bytes(env: jinja2.Environment, name: str) -> bytes:
    """A static asset (css, js), looked up like templates so a journal can override it too."""
    loader = env.loader
    assert isinstance(loader, jinja2.FileSystemLoader)
    for folder in loader.searchpath:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate.read_bytes()
    raise FileNotFoundError(name)
