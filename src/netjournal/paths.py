"""Which files of a journal are notes, and where netjournal's own templates are: the rules the loader,
the watcher of serve and the daemon, `--since` and `init` share."""
from __future__ import annotations

import errno
import os
import unicodedata
from importlib import resources
from pathlib import Path

CONFIG_NAME = "netjournal.toml"
CACHE_FOLDER = ".netjournal-cache"  # beside the site's output folder: the note cache, build records, daemons
KINDS = ("people", "interactions", "goals", "comments")
PRIVATE_FOLDER = "private"
_IGNORED_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak")


def note_id(path: str, kind: str) -> str:
    """The id of a note: the file stem (people, goals) or the path below its folder (interactions)."""
    # string operations, not PurePosixPath: this runs for every note of every load
    if path.startswith(PRIVATE_FOLDER + "/"):
        path = path[len(PRIVATE_FOLDER) + 1:]
    if kind == "interactions":
        text = path.split("/", 1)[1] if "/" in path else path
    else:
        text = path.rsplit("/", 1)[-1]
    if text.endswith(".md"):  # always, for a note the walker found
        text = text[: -len(".md")]
    return text if text.isascii() else unicodedata.normalize("NFC", text)



def real_path(path: str | os.PathLike[str]) -> str | None:
    """PATH with every symlink resolved (os.path.realpath), or None for a chain of symlinks longer than the
    kernel follows (ELOOP), which realpath would follow link by link: in quadratic time, or into a
    RecursionError for a chain of a thousand."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None
    except ValueError:  # a NUL in the name
        return None
    try:
        return os.path.realpath(path)
    except (OSError, RecursionError):
        return None


def is_note_name(name: str) -> bool:
    """Markdown notes only; dotfiles and editor swap/backup files are not notes."""
    return name.endswith(".md") and not is_ignored_name(name)


def is_ignored_name(name: str) -> bool:
    """Is NAME a dotfile or an editor's lock, swap or backup file (or folder), which the walk passes over?"""
    return name.startswith((".", "#", "~")) or name.endswith(_IGNORED_SUFFIXES)


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


def in_people(rel: str) -> bool:
    """Is REL (journal-relative) a people folder, or below one (people/team/ada.md, private/people)?"""
    parts = rel.split("/")
    if parts[0] == PRIVATE_FOLDER:
        parts = parts[1:]
    return bool(parts) and parts[0] == "people"


def is_watched_rel(rel: str) -> bool:
    """Is REL a path a watcher hands the listing to patch (`walk.NoteListing.patch`): a note, or any file
    below private/ (a hard link there, whatever its name, holds a shared note out of the site)?"""
    return is_note_rel(rel) or rel.startswith(PRIVATE_FOLDER + "/")


def affects_site(root: Path, output: Path, path: str, is_directory: bool = False) -> bool:
    """Does a change at PATH (absolute) affect the site? Notes, folders that can hold them (or a symlink
    in their place), the config, templates and any file below private/ do; the output folder, .git, hidden
    files and editors' swap and backup files (.x.swp, x~, .#x, 4913) elsewhere do not. PATH is looked at
    with its folder resolved (a note made a symlink to a file outside the journal changed) and resolved
    whole (a symlink on the way to a note, hidden or not in a kind folder, changed what the note reads)."""
    top, out = root.resolve(), output.resolve()
    whole, folder = real_path(path), real_path(os.path.dirname(path))
    if whole is None or folder is None:  # a chain of symlinks no one can read through: walk to be sure
        return True
    # a symlink retargeted to a folder is an event of a file: it can hold notes as a folder does
    return any(_affects(where, top, out, is_directory or os.path.isdir(whole))
               for where in (Path(folder) / os.path.basename(path), Path(whole)))


def _affects(where: Path, top: Path, out: Path, is_directory: bool) -> bool:
    if not where.is_relative_to(top) or where.is_relative_to(out):
        return False
    parts = where.relative_to(top).parts
    if parts[:1] == (PRIVATE_FOLDER,):  # any file there, hidden or not a note, may hold a shared note private
        return True
    if not parts or any(part.startswith(".") for part in parts):
        return False
    name = parts[-1]
    if parts == (CONFIG_NAME,):
        return True
    if parts[0] == "templates":
        return not name.endswith(_IGNORED_SUFFIXES) and not name.startswith("#")
    # a folder of notes, or a symlink made or retargeted in its place (`ln -sfn`: an event of a file)
    if len(parts) == 1:
        return name in (*KINDS, PRIVATE_FOLDER)
    if len(parts) == 2 and parts[0] == PRIVATE_FOLDER and name in KINDS:
        return True
    return is_directory or is_note_name(name)  # a folder renamed or deleted can hold notes


#: a journal's files that are the user's own wherever they are (git reads them in any folder)
_KEPT_NAMES = (".gitignore", ".gitattributes")
#: its top-level folders whose every file is the user's own, or netjournal's (the cache holds the audience's
#: secret): no site or export is written in them
KEPT_FOLDERS = (".git", "templates", PRIVATE_FOLDER, CACHE_FOLDER, *KINDS)
#: what an earlier export inside the journal may be called: only such a file is replaced there
_EXPORT_SUFFIXES = (".ics", ".json", ".csv", ".vcf", ".vcard")


def kept_file(root: Path, path: Path) -> str | None:
    """Why writing the file PATH would replace or add a file of the journal at ROOT that is the user's own
    (the config, .gitignore and .gitattributes, anything in .git/, templates/, private/, .netjournal-cache/,
    a folder of notes or another hidden folder such as .obsidian/, any .md note, any file there already but
    an earlier export: .ics, .json, .csv, .vcf), else None: a file elsewhere. PATH is looked at as written,
    with its folder resolved (a file written there replaces a symlink of the journal's), and resolved whole
    (through a symlink to a file of the journal). Names compare case-folded: a case-insensitive disk reads
    .GITIGNORE as .gitignore."""
    top, whole, folder = real_path(root), real_path(path), real_path(path.parent)
    if top is None or whole is None or folder is None:
        return "it is a symlink that cannot be followed (a loop, or a chain too long)"
    for where in (Path(folder) / path.name, Path(whole)):
        if not where.is_relative_to(top):
            continue
        rel = journal_rel(Path(top), str(where))
        parts = rel.casefold().split("/")
        if (parts == [CONFIG_NAME] or parts[-1] in _KEPT_NAMES or parts[0] in KEPT_FOLDERS
                or parts[-1].endswith(".md") or any(part.startswith(".") for part in parts[:-1])
                or (os.path.lexists(where) and not parts[-1].endswith(_EXPORT_SUFFIXES))):
            return f"it would replace the journal's own {rel}"
    return None


def package_templates() -> Path:
    """The templates shipped with netjournal (top-level templates/ in a checkout, netjournal/templates installed)."""
    return Path(str(resources.files("netjournal.templates")))
