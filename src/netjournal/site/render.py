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
#: Rows kept per environment before it starts afresh (a few hundred MB at most).
FRAGMENT_LIMIT = 150_000


def make_environment(journal_root: Path | None = None) -> jinja2.Environment:
    """The environment pages are rendered in, with the row macros as globals."""
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
    made: dict[tuple, Markup] = {}

    def row_html(macro: str, row: dict) -> Markup:
        """MACRO of partials/macros.html on ROW, kept by the row's content."""
        key = (macro, repr(row))
        html = made.get(key)
        if html is None:
            if len(made) > FRAGMENT_LIMIT:
                made.clear()
            module = env.get_template("partials/macros.html").module
            html = made[key] = Markup(getattr(module, macro)(row))
        return html

    env.globals["interaction_html"] = lambda row: row_html("interaction_full", row)
    env.globals["person_row_html"] = lambda row: row_html("person_row", row)
    env.globals["follow_up_items_html"] = lambda rows: Markup("".join(row_html("follow_up_item", r) for r in rows))
    env.globals["forget_fragments"] = made.clear
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
