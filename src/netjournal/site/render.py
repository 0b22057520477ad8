"""The jinja environment: the project's templates, overridable by a journal's own templates/ folder
(MkDocs' custom_dir idea); autoescape on for every template whatever its file name."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import jinja2

from .views import Page

SITE_ASSETS = ("site.css", "site.js")


def package_templates() -> Path:
    """The templates shipped with netjournal (top-level templates/ in a checkout, netjournal/templates installed)."""
    return Path(str(resources.files("netjournal.templates")))


def make_environment(journal_root: Path | None = None) -> jinja2.Environment:
    search = []
    if journal_root is not None and (journal_root / "templates").is_dir():
        search.append(str(journal_root / "templates"))
    search.append(str(package_templates()))
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=True,  # not select_autoescape: a user's template named .htm or .txt is escaped too
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )


def render_page(env: jinja2.Environment, page: Page, site: dict) -> str:
    template = env.get_template(page.template)
    return template.render(page=page.context, base=page.base, path=page.path, site=site)


def asset_bytes(env: jinja2.Environment, name: str) -> bytes:
    """A static asset (css, js), looked up like templates so a journal can override it too."""
    loader = env.loader
    assert isinstance(loader, jinja2.FileSystemLoader)
    for folder in loader.searchpath:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate.read_bytes()
    raise FileNotFoundError(name)
