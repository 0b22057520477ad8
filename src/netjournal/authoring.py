"""Writing new notes: `init`, `new person`, `log`. Never overwrites: every file is created exclusively.

Note templates are jinja files (`new-person.md`, `new-interaction.md`) that a journal can override in its
own templates/ folder; values go in through the `yaml` filter, so any name or text yields valid YAML.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .model import Journal, slugify
from .site.render import package_templates


class AuthoringError(Exception):
    """A user-facing refusal (exists, unknown person, …); the message says what to do."""


def _yaml(value: object) -> str:
    # JSON's double-quoted strings and [..] lists are valid YAML and escape everything that matters.
    return json.dumps(value, ensure_ascii=False)


def note_environment(root: Path) -> jinja2.Environment:
    search = [str(root / "templates")] if (root / "templates").is_dir() else []
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(search + [str(package_templates())]),
                             autoescape=False, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["yaml"] = _yaml
    return env


def create_exclusively(path: Path, text: str) -> None:
    """Write a new file; fail if anything is already there (no race between a check and the write)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)


GITIGNORE = """# netjournal: generated sites, caches, and notes that must never be shared
_site/
_site-*/
.netjournal-cache/
private/
"""

CONFIG = """[journal]
owner = {owner}
title = {title}

[cadence]
default = "90d"

[cadence.tags]
mentor = "30d"
stakeholder = "30d"

[site]
output = "_site"
"""


def init_journal(root: Path, owner: str, today: dt.date) -> list[Path]:
    """Create a new journal in ROOT; refuse (creating nothing) if any part of it exists already."""
    title = f"{owner}'s network" if owner else "My network"
    env = note_environment(root)
    files = {
        root / "netjournal.toml": CONFIG.format(owner=_yaml(owner), title=_yaml(title)),
        root / ".gitignore": GITIGNORE,
        root / "README.md": env.get_template("journal-readme.md").render(title=title),
        root / "people" / "ada-lovelace.md": env.get_template("new-person.md").render(
            name="Ada Lovelace", aliases=["Ada"], org="Analytical Engines", role="Programmer",
            tags=["mentor"], today=today.isoformat()),
    }
    folders = [root / "interactions", root / "goals"]
    existing = [p for p in [*files, *folders] if p.exists() or p.is_symlink()]
    if existing:
        raise AuthoringError("refusing to overwrite: " + ", ".join(str(p) for p in existing))
    created = []
    for path, text in files.items():
        create_exclusively(path, text)
        created.append(path)
    for folder in folders:
        folder.mkdir(parents=True)
        created.append(folder)
    return created


def new_person(root: Path, name: str, tags: list[str], org: str, role: str, today: dt.date) -> Path:
    pid = slugify(name)
    if not pid:
        raise AuthoringError(f"cannot make a file name from {name!r}; use letters or digits")
    existing = [p for p in (root / "people").rglob(f"{pid}.md")] if (root / "people").is_dir() else []
    if existing:
        raise AuthoringError(f"a person with id {pid!r} exists already: {existing[0]}")
    path = root / "people" / f"{pid}.md"
    text = note_environment(root).get_template("new-person.md").render(
        name=name, aliases=[], org=org, role=role, tags=list(tags), today=today.isoformat())
    try:
        create_exclusively(path, text)
    except FileExistsError:
        raise AuthoringError(f"{path} exists already") from None
    return path


@dataclass(frozen=True)
class PersonMatch:
    """What a query typed on the command line can mean.

    how: "exact" (id, name or alias), "partial" (the query is part of a name, alias or id) or "suggest"
    (nothing matched; ids are close spellings, possibly none).
    """

    query: str
    ids: tuple[str, ...]
    how: str


def find_person(journal: Journal, query: str) -> PersonMatch:
    found = journal.resolve_person(query)
    if found:
        return PersonMatch(query, tuple(sorted(found)), "exact")
    words = query.casefold().strip()
    partial = [pid for pid, p in journal.people.items()
               if words in p.name.casefold() or any(words in a.casefold() for a in p.aliases) or words in pid]
    if partial and words:
        return PersonMatch(query, tuple(sorted(partial)), "partial")
    names: dict[str, str] = {}
    for pid, person in journal.people.items():
        for text in (pid, person.name, *person.aliases, *person.name.split()):
            names.setdefault(text.casefold(), pid)
    close = difflib.get_close_matches(words, list(names), n=5, cutoff=0.6)
    return PersonMatch(query, tuple(dict.fromkeys(names[c] for c in close))[:3], "suggest")


@dataclass(frozen=True)
class FollowUpText:
    what: str
    due: dt.date | None


def log_interaction(root: Path, people: list[str], date: dt.date, kind: str, gave: list[str],
                    asked: list[str], follow_ups: list[FollowUpText]) -> Path:
    """Write interactions/YYYY/YYYY-MM-DD-kind-person.md, adding -2, -3… rather than overwriting."""
    text = note_environment(root).get_template("new-interaction.md").render(
        date=date.isoformat(), people=people, kind=kind, gave=gave, asked=asked,
        follow_ups=[{"what": f.what, "due": f.due.isoformat() if f.due else ""} for f in follow_ups])
    folder = root / "interactions" / str(date.year)
    stem = f"{date.isoformat()}-{slugify(kind) or 'contact'}-{people[0]}"
    for attempt in range(1, 1000):
        path = folder / (f"{stem}.md" if attempt == 1 else f"{stem}-{attempt}.md")
        try:
            create_exclusively(path, text)
            return path
        except FileExistsError:
            continue
    raise AuthoringError(f"too many notes named {stem}-N.md in {folder}")
