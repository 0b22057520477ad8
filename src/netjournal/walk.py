"""Which files of a journal folder are its notes: the kind folders walked, inside and outside private/,
symlinks followed only to files inside the journal, and no note of private/ read again through another name."""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .files import NOT_REGULAR
from .findings import Finding, Source
from .paths import KINDS, PRIVATE_FOLDER, is_note_name, nfc


@dataclass
class JournalFiles:
    """The note files of a journal: (kind, relative path, absolute path), plus findings about skipped paths."""

    notes: list[tuple[str, str, str]]  # absolute paths as strings
    findings: list[Finding]


def person_notes(notes: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Of a journal's NOTES ((kind, relative path, absolute path)), the people's: relative -> absolute."""
    return {rel: path for kind, rel, path in notes if kind == "people"}


class NoteListing:
    """The notes of a journal folder as a long-lived builder knows them: walked, then patched with the
    paths a watcher names, so a one-note edit costs no walk of 100,000 files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: JournalFiles | None = None  # the last walk
        self.notes: dict[str, tuple[str, str, str]] = {}  # the notes there are: rel -> (kind, rel, path)
        self._folders: dict[str, tuple[str, str]] | None = None  # note folders: rel -> (kind, path)
        self._people: dict[str, str] | None = None  # of the notes, the people's (made when asked)

    def walk(self, skip: tuple[Path, ...]) -> JournalFiles:
        self.files = find_note_files(self.root, skip=skip)
        self.notes = {item[1]: item for item in self.files.notes}
        self._folders = self._people = None
        return self.files

    @property
    def people(self) -> dict[str, str]:
        """The people's notes: relative -> absolute path."""
        if self._people is None:
            self._people = person_notes(self.notes.values())
        return self._people

    def patch(self, touched: set[str]) -> bool:
        """Drop the notes TOUCHED that are gone and add new ones beside known ones. False, with the listing
        half patched, for anything else (no walk yet, a folder, a symlink): then walk the folder."""
        if self.files is None:
            return False
        listed = self.notes
        folders = self._folders or {rel.rpartition("/")[0]: (kind, os.path.dirname(path))
                                    for kind, rel, path in listed.values()}
        self._folders = folders
        for rel in sorted(touched):
            path = self.root / rel
            if rel in listed:
                if not os.path.lexists(path):
                    del listed[rel]
                    if self._people is not None:
                        self._people.pop(rel, None)
                elif os.path.islink(path) or not path.is_file():
                    return False
                continue
            folder, _, name = rel.rpartition("/")
            if not os.path.lexists(path):
                continue  # a file that came and went
            if not is_note_name(name) or folder not in folders or os.path.islink(path) or not path.is_file():
                return False
            kind, real_folder = folders[folder]
            listed[rel] = (kind, rel, os.path.join(real_folder, name))
            if self._people is not None:
                self._people.update(person_notes([listed[rel]]))
        return True


def find_note_files(root: Path, skip: tuple[Path, ...] = ()) -> JournalFiles:
    """Every note below the kind folders, sorted; symlinks are followed only to files inside the journal."""
    root_real = Path(os.path.realpath(root))
    skip_real = {os.path.realpath(p) for p in skip}
    notes: list[tuple[str, str, str]] = []
    findings: list[Finding] = []
    bases = [("", root)]
    if (root / PRIVATE_FOLDER).is_dir() and not (root / PRIVATE_FOLDER).is_symlink():
        bases.insert(0, (PRIVATE_FOLDER + "/", root / PRIVATE_FOLDER))  # first: its files' inodes are known then
    private: tuple[set[int], set[tuple[int, int]]] = (set(), set())  # the inodes and _file_ids of private notes
    for prefix, base in bases:
        for kind in KINDS:
            top = base / kind
            if top.is_symlink():
                findings.append(Finding("skipped-path", "folder is a symlink; not followed", Source(prefix + kind)))
                continue
            if top.is_dir():
                _walk(top, prefix + kind, kind, root_real, skip_real, notes, findings, private, bool(prefix))
    notes.sort(key=lambda item: item[1])
    return JournalFiles(notes, findings)


_INTO_PRIVATE = ("a link to a note under private/: that note is read from there, as private, and not through "
                 "this link")


def _walk(folder: Path, rel: str, kind: str, root_real: Path, skip: set[str],
          notes: list[tuple[str, str, str]], findings: list[Finding],
          private: tuple[set[int], set[tuple[int, int]]] | None = None, in_private: bool = False) -> None:
    """Add the notes below FOLDER to NOTES. A note reached through private/ by any path is private: in
    private/ (IN_PRIVATE) the inodes and _file_ids of its notes are added to PRIVATE, elsewhere a symlink
    into private/ or a hard link to one of those notes is skipped with a finding."""
    private_inodes, private_files = private if private is not None else (set(), set())
    private_real = root_real / PRIVATE_FOLDER
    # Plain strings rather than Path objects: this runs for every file on every rebuild.
    stack = [(str(folder), rel)]
    while stack:  # iterative: deep folder trees cannot exhaust the stack
        current, current_rel = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:
            findings.append(Finding("unreadable-file", f"cannot list folder: {exc.strerror}", Source(current_rel)))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            entry_rel = f"{current_rel}/{name}"
            if entry.is_symlink():
                followed = _symlinked_note(entry.path, name, root_real, private_real, private_files, in_private)
                if isinstance(followed, str):
                    findings.append(Finding("skipped-path", followed, Source(entry_rel)))
                elif followed:
                    notes.append((kind, nfc(entry_rel), entry.path))
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if entry.path not in skip and os.path.realpath(entry.path) not in skip:
                    stack.append((entry.path, entry_rel))
            elif is_note_name(name):
                if not entry.is_file(follow_symlinks=False):  # from the listing: no further system call
                    findings.append(Finding("skipped-path", f"{NOT_REGULAR}; not read", Source(entry_rel)))
                    continue  # a FIFO would block the read forever
                if in_private:
                    private_inodes.add(entry.inode())
                    private_files.add(_file_id(entry.path))
                elif entry.inode() in private_inodes and _hard_linked(entry.path, private_files):
                    findings.append(Finding("skipped-path", _INTO_PRIVATE, Source(entry_rel)))
                    continue
                notes.append((kind, nfc(entry_rel), entry.path))


def _symlinked_note(path: str, name: str, root_real: Path, private_real: Path, private_files: set[tuple[int, int]],
                    in_private: bool) -> bool | str:
    """Is the symlink at PATH a note to read? True, False (not a note: passed over), or why it is skipped."""
    target = Path(os.path.realpath(path))
    if not (target == root_real or root_real in target.parents):
        return "symlink points outside the journal; not followed"
    if target.is_dir() or not target.exists():
        return "symlink to a folder, or broken, or a loop; not followed" if is_note_name(name) or target.is_dir() \
            else False
    if not is_note_name(name):
        return False
    if not in_private and (private_real in target.parents or _hard_linked(target, private_files)):
        return _INTO_PRIVATE
    if not target.is_file():  # a FIFO, say: its read would block forever
        return f"symlink to something {NOT_REGULAR}; not read"
    return True


def _file_id(path: str | Path) -> tuple[int, int]:
    """What tells a file from any other whatever its name: its device and inode ((-1, -1) if it cannot be read)."""
    try:
        found = os.stat(path)
    except OSError:
        return -1, -1
    return found.st_dev, found.st_ino


def _hard_linked(path: str | Path, private_files: set[tuple[int, int]]) -> bool:
    """Is the file at PATH one of the notes under private/ (PRIVATE_FILES: their _file_id), by another name?"""
    found = _file_id(path)
    return found == (-1, -1) or found in private_files  # cannot tell: fail closed
