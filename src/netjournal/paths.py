"""Which files of a journal are notes, and where netjournal's own templates are: the rules the loader,
the watcher of serve and the daemon, `--since` and `init` share."""
from __future__ import annotations

import os
import unicodedata
from importlib import resources
from pathlib import Path

CONFIG_NAME = "netjournal.toml"
KINDS = ("people", "interactions", "goals", "comments")
PRIVATE_FOLDER = "private"
_IGNORED_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak")


def is_note_name(name: str) -> bool:
    """Markdown notes only; dotfiles and editor swap/backup files are not notes."""
    return (name.endswith(".md") and not name.startswith((".", "#", "~"))
            and not name.endswith(_IGNORED_SUFFIXES))


def nfc(text: str) -> str:
    """macOS writes decomposed file names; ids compare in composed form."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def journal_rel(root: Path, path: str) -> str:
    """PATH (absolute, under ROOT) as the builder knows notes: journal-relative, POSIX, NFC."""
    return nfc(Path(os.path.relpath(path, root)).as_posix())


def is_note_rel(rel: str) -> bool:
    """Is REL (journal-relative) a note in a kind folder (people/x.md, private/interactions/2026/y.md)?"""
    parts = rel.split("/")
    if parts[0] == PRIVATE_FOLDER:
        parts = parts[1:]
    return len(parts) >= 2 and parts[0] in KINDS and is_note_name(parts[-1])


def affects_site(root: Path, output: Path, path: str, is_directory: bool = False) -> bool:
    """Does a change at PATH (absolute) affect the site? Notes, folders that can hold them, the config
    and templates do; the output folder, .git, hidden files and editors' swap and backup files (.x.swp,
    x~, .#x, 4913) do not."""
    # the folder resolved, not the file: a note made a symlink to a file outside the journal still changed
    where = Path(os.path.realpath(os.path.dirname(path))) / os.path.basename(path)
    try:
        rel = where.relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    try:
        where.relative_to(output.resolve())
        return False
    except (ValueError, OSError):
        pass
    parts = rel.parts
    if not parts or any(part.startswith(".") for part in parts):
        return False
    name = parts[-1]
    if parts == (CONFIG_NAME,):
        return True
    if parts[0] == "templates":
        return not name.endswith(_IGNORED_SUFFIXES) and not name.startswith("#")
    if len(parts) == 1:
        return is_directory and parts[0] in (*KINDS, PRIVATE_FOLDER)
    return is_directory or is_note_name(name)  # a folder renamed or deleted can hold notes


def package_templates() -> Path:
    """The templates shipped with netjournal (top-level templates/ in a checkout, netjournal/templates installed)."""
    return Path(str(resources.files("netjournal.templates")))
