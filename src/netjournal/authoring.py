"""Writing new notes: `init`, `new person`, `log`. Never overwrites: every file is created exclusively, all
through the note writer (notewriter.py), and a command that fails halfway removes what it created.

A note template (`new-person.md`, `new-interaction.md`; a journal may have its own in templates/) is a
plain note: its front matter's keys, in their order, with their values as defaults, and its body as the new
note's text. The command's values replace the template's.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tomllib
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import CONFIG_NAME, load_config
from .model import Journal, slugify
from .notes import ParsedNote, parse_note
from .notewriter import WriteRefused, Writes, check_file_name, note_text
from .paths import package_templates


class AuthoringError(WriteRefused):
    """A user-facing refusal (exists, unknown person, …); the message says what to do."""


def note_template(root: Path, name: str) -> tuple[dict[str, Any], str]:
    """The front matter (keys in order, default values) and body of the note template NAME: the journal's
    own in templates/, else netjournal's."""
    own = root / "templates" / name
    path = own if own.is_file() else package_templates() / name
    text = path.read_bytes()
    shown = f"templates/{name}" if path == own else str(path)
    parsed = parse_note(text)
    if not isinstance(parsed, ParsedNote):
        if b"{{" in text or b"{%" in text:
            raise AuthoringError(f"{shown} is a jinja template, as netjournal 0.1 used; a note template is now a "
                                 "plain note: its front matter's keys and values are the new note's defaults and "
                                 "its body its text (write `name:` where it says `name: {{ name | yaml }}`)")
        where = f":{parsed.line}" if parsed.line else ""
        raise AuthoringError(f"{shown}{where}: {parsed.message}")
    return parsed.data, parsed.body


def fill_template(template: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The template's keys with VALUES put in (keys the template lacks come after its own, in VALUES' order)."""
    return {**template, **values}


# Characters a TOML basic string cannot hold as they are (control characters, line breaks), or that are no
# text (noncharacters): written as \\uXXXX.
_TOML_ESCAPE = re.compile("[^\t\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def toml_string(text: str) -> str:
    """TEXT as a TOML basic string: quotes, backslashes and every character TOML cannot hold raw escaped."""
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _TOML_ESCAPE.sub(lambda match: f"\\u{ord(match.group(0)):04X}", body) + '"'


GITIGNORE = """# netjournal: generated sites, caches, and notes that must never be shared
_site/
_site-*/
.netjournal-cache/
private/
"""

CONFIG = """[journal]
owner = {owner}
title = {title}

# How often to get in touch, as a career coach would set it (docs/checks.md says why for each).
[cadence]
default = "180d"         # everyone: twice a year keeps a tie alive

[cadence.tags]           # a person's first tag listed here sets their cadence
stakeholder = "30d"      # people who decide your goals: monthly
mentor = "45d"           # a mentor: every six weeks, with news of what you did with their advice
hub = "60d"              # connectors: every two months
peer = "60d"
team = "60d"
manager = "none"         # you see them every week; the work is the contact

[reciprocity]
window = "180d"          # gives, asks and favours of the last six months
thanks_grace = "7d"      # an introduction, referral or interview help: thank them within a week
grace = "90d"            # other favours: give something back within about three months
cold_ask_expires = "60d" # an ask on first contact is a warning for two months, then history
exempt_tags = ["manager"]

[follow_ups]
soon = "7d"              # promises due within a week are listed as due
undated_due = "14d"      # a promise without a due date is due after two weeks

[site]
output = "_site"
"""

EXAMPLE_PERSON = {"name": "Ada Lovelace", "aliases": ["Ada"], "org": "Analytical Engines", "role": "Programmer",
                  "tags": ["mentor"]}
EXAMPLE_BODY = "An example person, made by `netjournal init --example`: change this note, or delete it.\n"


def init_journal(root: Path, owner: str, example: bool = False, git: bool = False) -> list[Path]:
    """Create a new journal in ROOT; refuse, creating nothing, if any part of it is there already (or is a
    symlink, even a broken one) or cannot be made. With EXAMPLE a sample person, with GIT `git init`."""
    title = f"{owner}'s network" if owner else "My network"
    try:
        owner.encode("utf-8")
    except UnicodeEncodeError:
        raise AuthoringError("--owner contains something that is not text (was it typed in another encoding "
                             "than UTF-8?); nothing was written") from None
    config = CONFIG.format(owner=toml_string(owner), title=toml_string(title))
    readme = (package_templates() / "journal-readme.md").read_text(encoding="utf-8").replace("{{ title }}", title)
    files: dict[Path, bytes] = {root / CONFIG_NAME: config.encode("utf-8"), root / ".gitignore": GITIGNORE.encode(),
                                root / "README.md": readme.encode("utf-8")}
    folders = [root / "people", root / "interactions", root / "goals"]
    person = None
    if example:
        template, _ = note_template(root, "new-person.md")
        person = note_text("people", "people/ada-lovelace.md", fill_template(template, EXAMPLE_PERSON), EXAMPLE_BODY)
    if os.path.lexists(root) and not os.path.isdir(root):
        raise AuthoringError(f"refusing to make a journal in {root}: it is a file, not a folder")
    existing = [p for p in [*files, *folders] if os.path.lexists(p)]
    if existing:
        raise AuthoringError("refusing to overwrite: " + ", ".join(str(p) for p in existing))
    run_git = git and not (root / ".git").is_dir()
    if run_git and shutil.which("git") is None:
        raise AuthoringError("--git: git is not installed (or not on PATH); nothing was written")
    with Writes() as writes:
        writes.folder(root)
        for path, content in files.items():
            writes.create(path, content, _config_problem(owner, title) if path.name == CONFIG_NAME else None)
        for folder in folders:
            writes.folder(folder)
        if person is not None:
            writes.create_note(root / person.rel, person)
        writes.finish()
        config_read, _ = load_config(root)
        if (config_read.owner, config_read.title) != (owner, title):
            raise AuthoringError(f"{root / CONFIG_NAME} does not read back as written; nothing was kept")
        if run_git:
            _git_init(root)
    return [*writes.paths(), *folders] + ([root / ".git"] if run_git else [])


def _config_problem(owner: str, title: str):
    def problem(content: bytes) -> str | None:
        try:
            journal = tomllib.loads(content.decode("utf-8"))["journal"]
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, KeyError) as exc:
            return str(exc)
        return None if journal == {"owner": owner, "title": title} else "the owner reads back otherwise"
    return problem


def _git_init(root: Path) -> None:
    """`git init` in ROOT (its .gitignore already there); if it fails, the .git it began goes too."""
    result = subprocess.run(["git", "init", "--quiet", str(root)], check=False, capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(root / ".git", ignore_errors=True)  # made by this run: none was there before
        message = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise AuthoringError(f"--git: git init failed: {message}; nothing was written")


def new_person(root: Path, name: str, tags: Sequence[str] = (), org: str = "", role: str = "") -> Path:
    """Write people/<id>.md for NAME from the template (no `met`: that is a date only the user knows)."""
    pid = slugify(name)
    if not pid:
        raise AuthoringError(f"cannot make a file name from {name!r}; use letters or digits")
    path = root / "people" / f"{pid}.md"
    check_file_name(path, f"the name {name[:40]!r}")
    existing = [p for folder in (root / "people", root / "private" / "people") if folder.is_dir()
                for p in folder.rglob(f"{pid}.md")]
    if existing:
        raise AuthoringError(f"a person with id {pid!r} exists already: {existing[0]}")
    template, body = note_template(root, "new-person.md")
    values: dict[str, Any] = {"name": name}
    if org:
        values["org"] = org
    if role:
        values["role"] = role
    if tags:
        values["tags"] = list(tags)
    note = note_text("people", f"people/{pid}.md", fill_template(template, values), body)
    with Writes(inside=root) as writes:
        try:
            writes.create_note(path, note)
        except FileExistsError:
            raise AuthoringError(f"{path} exists already") from None
        writes.finish()
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


def _typed(text: str) -> str:
    """TEXT as it may be typed on a keyboard without its accents: `tomas-reyes` finds `tomás-reyes`."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def find_person(journal: Journal, query: str) -> PersonMatch:
    found = journal.resolve_person(query)
    if found:
        return PersonMatch(query, tuple(sorted(found)), "exact")
    words = _typed(query.strip())
    partial = [pid for pid, p in journal.people.items()
               if words in _typed(p.name) or any(words in _typed(a) for a in p.aliases) or words in _typed(pid)]
    if partial and words:
        return PersonMatch(query, tuple(sorted(partial)), "partial")
    return PersonMatch(query, tuple(dict.fromkeys(pid for _, pid in journal.close_people(words)))[:3], "suggest")


@dataclass(frozen=True)
class FollowUpText:
    what: str
    due: dt.date | None


@dataclass(frozen=True)
class InteractionText:
    """What `log` was told about one interaction."""

    people: tuple[str, ...]  # ids
    date: dt.date
    kind: str = "meeting"
    title: str = ""
    topics: tuple[str, ...] = ()
    gave: tuple[str, ...] = ()
    asked: tuple[str, ...] = ()
    received: tuple[str, ...] = ()
    follow_ups: tuple[FollowUpText, ...] = ()
    message: str = ""  # the note's text
    hidden: frozenset[str] = frozenset()  # people whose ids the file name must not show (private ones)

    def front_matter(self) -> dict[str, Any]:
        """The fields it fills, in the order docs/format.md lists them."""
        values: dict[str, Any] = {"date": self.date, "with": list(self.people), "kind": self.kind}
        if self.title:
            values["title"] = self.title
        for key in ("topics", "gave", "asked", "received"):
            if getattr(self, key):
                values[key] = list(getattr(self, key))
        if self.follow_ups:
            values["follow_ups"] = [{"what": f.what, **({"due": f.due} if f.due else {}), "done": False}
                                    for f in self.follow_ups]
        return values


def interaction_stem(date: dt.date, kind: str, people: Sequence[str], hidden: Collection[str] = ()) -> str:
    """The file name of an interaction note, without `.md`: `2026-11-20-coffee-ada-lovelace`, after the first
    of PEOPLE not in HIDDEN (a private person's id names no file in a shared folder), else after nobody:
    `2026-11-20-coffee`."""
    return "-".join([date.isoformat(), slugify(kind) or "contact", *[p for p in people if p not in hidden][:1]])


def log_interaction(root: Path, interaction: InteractionText) -> Path:
    """Write interactions/YYYY/<stem>.md, adding -2, -3… rather than overwriting."""
    template, body = note_template(root, "new-interaction.md")
    folder = root / "interactions" / str(interaction.date.year)
    stem = interaction_stem(interaction.date, interaction.kind, interaction.people, interaction.hidden)
    check_file_name(folder / f"{stem}.md", f"--kind {interaction.kind[:40]!r} (with the date and the id)")
    metadata = fill_template(template, interaction.front_matter())
    rel = f"interactions/{interaction.date.year}/{stem}.md"
    note = note_text("interactions", rel, metadata, interaction.message or body)
    with Writes(inside=root) as writes:
        for attempt in range(1, 1000):
            path = folder / (f"{stem}.md" if attempt == 1 else f"{stem}-{attempt}.md")
            try:
                writes.create_note(path, note)
            except FileExistsError:
                continue
            writes.finish()
            return path
    raise AuthoringError(f"too many notes named {stem}-N.md in {folder}")
