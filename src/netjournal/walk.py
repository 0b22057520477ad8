"""Which files of a journal folder are its notes: the kind folders walked, inside and outside private/,
symlinks followed only to files inside the journal, and no note of private/ read again through another name."""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .files import NOT_REGULAR, file_identity
from .findings import Finding, Source
from .paths import KINDS, PRIVATE_FOLDER, in_people, is_ignored_name, is_note_name, is_note_rel, nfc, real_path


@dataclass
class JournalFiles:
    """The note files of a journal: (kind, relative path, absolute path), plus findings about skipped paths."""

    notes: list[tuple[str, str, str]]  # absolute paths as strings
    findings: list[Finding]
    # a symlink among the notes or below private/, or a private folder the walk could not list: what a note
    # reads may change with no watcher's event naming it (a link's target, or one on the way, retargeted;
    # a file outside the journal), so serve walks on every build
    unwatched: bool = False
    # the paths below private/ that are symlinks or hard links: their change can make a shared note public
    private_links: set[str] = field(default_factory=set)
    # person notes no note was read from, below private/ through a symlink (out of the journal, or a
    # symlinked folder) or skipped by the walk: each relative path, and the path to read its names at. An
    # audience's view hides whom they name (load.unread_people)
    unread_people: dict[str, str] = field(default_factory=dict)
    # below private/, folders of people or person notes that cannot be read at all (a broken symlink, a
    # folder that cannot be listed): relative path -> why. An audience's view cannot know whom to hide
    unknown_people: dict[str, str] = field(default_factory=dict)


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
        self._folders: dict[str, str] | None = None  # folders with notes: rel -> kind (made when a new note asks)
        self._people: dict[str, str] | None = None  # of the notes, the people's (made when asked)
        self._found: set[str] | None = None  # the paths the last walk had findings about

    def walk(self, skip: tuple[Path, ...]) -> JournalFiles:
        self.files = find_note_files(self.root, skip=skip)
        self.notes = {item[1]: item for item in self.files.notes}
        self._folders = self._people = self._found = None
        return self.files

    @property
    def people(self) -> dict[str, str]:
        """The people's notes: relative -> absolute path."""
        if self._people is None:
            self._people = person_notes(self.notes.values())
        return self._people

    def patch(self, touched: set[str]) -> bool:
        """Drop the notes TOUCHED that are gone and add new plain notes beside known ones. False, with the
        listing half patched, when only a walk can tell what the notes are now (`_needs_walk`, or no walk
        yet): then walk the folder."""
        if self.files is None or self.files.unwatched:
            return False
        listed = self.notes
        for rel in sorted(touched):
            known = listed.get(rel)
            path = known[2] if known is not None else os.path.join(self.root, rel)
            try:
                found: os.stat_result | None = os.lstat(path)
            except OSError:
                found = None
            if self._needs_walk(rel, path, found, known is not None):
                return False
            if found is None:
                if known is not None:
                    del listed[rel]
                    if self._people is not None:
                        self._people.pop(rel, None)
                continue  # gone, or came and went
            if known is not None or _private_other(rel):
                continue  # a plain file of private/ that is no note: no other name of it can be shared
            folder, _, name = rel.rpartition("/")
            if self._folders is None:
                self._folders = {other.rpartition("/")[0]: its_kind for its_kind, other, _ in listed.values()}
            kind = self._folders.get(folder)
            if not is_note_name(name) or kind is None:
                return False
            listed[rel] = (kind, rel, path)  # the file checked above, nothing else
            if self._people is not None:
                self._people.update(person_notes([listed[rel]]))
        return True

    def _needs_walk(self, rel: str, path: str, found: os.stat_result | None, known: bool) -> bool:
        """Can only a walk tell what the file at REL (PATH; FOUND, its lstat, None if it is gone) is now?
        So it is for a folder, a symlink, a FIFO or a hard link (which may hold a note out of the site, as
        private/ does); a path the last walk had a finding about; a file of private/ that was a link (gone
        or saved anew, the shared name is a note again), or a note of private/ gone; any name beyond ASCII
        (the listing's names are composed, a folder's on disk may be decomposed, and both forms can exist)."""
        assert self.files is not None
        if not rel.isascii():
            return True
        if self._found is None:
            self._found = {nfc(finding.path) for finding in self.files.findings if finding.path}
        if rel in self._found or rel in self.files.private_links:
            return True
        if found is None:
            return known and rel.startswith(PRIVATE_FOLDER + "/")
        return not stat.S_ISREG(found.st_mode) or found.st_nlink > 1


def _private_other(rel: str) -> bool:
    """Is REL a path below private/ that is not a note (a backup, a hidden file, a file of another folder)?"""
    return rel.startswith(PRIVATE_FOLDER + "/") and not is_note_rel(rel)


def find_note_files(root: Path, skip: tuple[Path, ...] = ()) -> JournalFiles:
    """Every note below the kind folders, sorted; symlinks are followed only to files inside the journal."""
    root_real = Path(os.path.realpath(root))
    skip_ids = {found for found in map(file_identity, skip) if found is not None}  # by identity: no realpath per folder
    notes: list[tuple[str, str, str]] = []
    findings: list[Finding] = []
    bases = [("", root)]
    private = _Private(folders={str(root_real / PRIVATE_FOLDER)})
    if (root / PRIVATE_FOLDER).is_symlink():
        findings.append(Finding("skipped-path", _PRIVATE_LINK, Source(PRIVATE_FOLDER)))
    elif (root / PRIVATE_FOLDER).is_dir():
        bases.insert(0, (PRIVATE_FOLDER + "/", root / PRIVATE_FOLDER))  # first: its files' inodes are known then
    if os.path.lexists(root / PRIVATE_FOLDER):
        _hold_private(root / PRIVATE_FOLDER, root_real, private)
        if private.too_big:
            findings.append(Finding("skipped-path", _TOO_BIG, Source(PRIVATE_FOLDER)))
    for prefix, base in bases:
        for kind in KINDS:
            top = base / kind
            if top.is_symlink():
                why = _PRIVATE_LINK if prefix else "folder is a symlink; not followed"
                findings.append(Finding("skipped-path", why, Source(prefix + kind)))
                continue
            if top.is_dir():
                _walk(top, prefix + kind, kind, root_real, skip_ids, notes, findings, private, bool(prefix))
    notes.sort(key=lambda item: item[1])
    unread, unknown = _unread_people(root, notes, findings, private)
    return JournalFiles(notes, findings, private.linked or private.unknown, private.links, unread, unknown)


def _unread_people(root: Path, notes: list[tuple[str, str, str]], findings: list[Finding],
                   private: _Private) -> tuple[dict[str, str], dict[str, str]]:
    """The person notes below private/ the walk did not read (through a symlinked folder, or a symlink out
    of the journal) and those it skipped; what of private/'s people cannot be read. See JournalFiles."""
    unread = {f.path: str(root / f.path) for f in findings  # private/'s: _hold_private found them
              if f.code == "skipped-path" and f.path and in_people(f.path) and is_note_rel(f.path)
              and not f.path.startswith(PRIVATE_FOLDER + "/")}
    if private.people:
        read = {rel for _, rel, _ in notes if rel.startswith(PRIVATE_FOLDER + "/")}
        unread.update((rel, path) for rel, path in private.people.items() if rel not in read)
    return unread, dict(private.unlisted)


_INTO_PRIVATE = ("a link to a note under private/: that note is read from there, as private, and not through "
                 "this link")
OUTSIDE_LIMIT = 100_000
_TOO_BIG = (f"a folder of more than {OUTSIDE_LIMIT:,} files outside the journal: not all searched for what "
            "is private, so every note is held private; keep private/ a folder of the journal")
_PRIVATE_LINK = ("folder is a symlink; not followed: its notes are not read, and a link to one of them from "
                 "outside private/ is skipped")


@dataclass
class _Private:
    """What is private: every file below private/ (their inodes and file_identity), whatever its name, and
    the real folders whose files are. `unknown` when a folder there cannot be listed (then any shared
    note with another name may be one of its)."""

    folders: set[str]  # real paths
    inodes: set[int] = field(default_factory=set)
    files: set[tuple[int, int]] = field(default_factory=set)
    linked: bool = False  # a symlink lies below private/ or among the notes (serve walks on every build)
    unknown: bool = False
    too_big: bool = False  # more than OUTSIDE_LIMIT entries outside the journal: every note is held private
    everything: bool = False  # a private folder holds the journal itself: every note is private
    links: set[str] = field(default_factory=set)  # relative paths below private/ that are symlinks or hard links
    # the person notes below private/, by any route (private/people/ada.md -> a path to read it at), and the
    # folders on the way to them that could not be listed, or person notes that are no file to read
    people: dict[str, str] = field(default_factory=dict)
    unlisted: dict[str, str] = field(default_factory=dict)  # relative path -> why


def _hold_private(folder: Path, root_real: Path, private: _Private) -> None:
    """Everything below FOLDER (private/) is private, through symlinks too and whatever the names: the
    real folders join the private ones and the files (a symlink's target file too) the private inodes,
    so no link from a shared folder makes one public (a note linked before an editor renamed it to `x.md~`
    included). A folder outside the journal (a vault) is searched too, up to OUTSIDE_LIMIT entries; one
    that cannot be listed sets `unknown`, which holds out every shared note with another name. The person
    notes found on the way, by whatever route, are kept (`people`) for an audience to read the names of,
    and what on the way to them cannot be read (`unlisted`)."""
    # (real folder, where: "inside" below private/ in the journal, "outside" below a folder out of it, or
    # "?" for a symlink's target; its relative path by the route it was reached, and that route's way: see
    # _way): only a target needs the checks, so a deep chain costs a call a folder
    stack: list[tuple[str, str, str, str]] = [(real_path(folder) or "", "?", PRIVATE_FOLDER, _TOP)]
    seen: set[tuple[str, str]] = set()  # a folder reached again by another way is searched again, as that way
    outside = 0  # entries listed outside the journal
    private.linked = private.linked or os.path.islink(folder)
    while stack:
        real, where, route, way = stack.pop()
        if not real and way:
            private.unlisted[route] = _LOOP
        if (real, way) in seen:
            continue
        seen.add((real, way))
        if where == "?" and (where := _place(real, root_real, private)) == "":
            continue
        private.folders.add(real)
        try:
            with os.scandir(real) as listing:
                entries = list(listing)
        except OSError as exc:
            private.unknown = True
            if way:
                private.unlisted[route] = f"cannot list folder: {exc.strerror or exc}"
            continue
        if where == "outside":
            outside += len(entries)
            if outside > OUTSIDE_LIMIT:  # private -> a big folder (~/Documents): fail closed
                private.everything = private.too_big = True
                return
        for entry in entries:
            entry_way = _way(way, entry.name)
            entry_route = f"{route}/{_shown(entry.name)}" if entry_way else ""
            try:
                _hold_entry(entry, where, str(root_real), private, stack, entry_route, entry_way,
                            way == _PEOPLE and is_note_name(entry.name))
            except OSError as exc:
                private.unknown = True
                if entry_way and not is_ignored_name(entry.name):
                    private.unlisted[entry_route] = exc.strerror or str(exc)


_LOOP = "symlink is a loop, or a chain too long to follow"
_TOP, _PEOPLE = "top", "people"


def _way(way: str, name: str) -> str:
    """The way of the entry NAME of a folder on the way WAY: _TOP for private/ itself, _PEOPLE for its people
    folder and what is below it, "" for what leads to no person note (another folder, a hidden name, which
    the walk passes over)."""
    if not way or name.startswith("."):
        return ""
    return _PEOPLE if way == _PEOPLE or name == "people" else ""


def _shown(name: str) -> str:
    """A file's NAME as a path of the journal shows it: composed, undecodable bytes replaced."""
    return name if name.isascii() else nfc(name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))


def _place(real: str, root_real: Path, private: _Private) -> str:
    """Where the target REAL of a symlink below private/ lies: "inside" or "outside" the journal, or ""
    when it is no folder to search (a loop; a file, held; the journal itself or a folder above it: then
    every note is private, to fail closed)."""
    if not real:
        return ""
    if root_real.is_relative_to(real):
        private.everything = True
        return ""
    if os.path.isfile(real):
        _hold_file(os.stat(real), private)
        return ""
    return "inside" if Path(real).is_relative_to(root_real) else "outside"


def _hold_entry(entry: os.DirEntry, where: str, root: str, private: _Private,
                stack: list[tuple[str, str, str, str]], route: str, way: str, person: bool) -> None:
    """Hold ENTRY, of a private folder WHERE (see _hold_private), private: a file, a symlink's target, or the
    entries of a folder, put on the STACK. ROUTE: its relative path, by the way WAY it was reached (see _way);
    PERSON: it is named as a person note there."""
    if entry.is_symlink():  # a change of what it names comes from no watcher: serve walks
        private.linked = True
        private.links.add(nfc(os.path.relpath(entry.path, root)))
        try:  # through the link, as the kernel reads it (its real path may be too long to name)
            found = os.stat(entry.path)
        except OSError as exc:  # a loop, or broken (a vault not mounted): nothing to hold yet, and no person
            if way and not is_ignored_name(entry.name):  # note it may be, or hold, can be read
                private.unlisted[route] = f"symlink cannot be followed: {exc.strerror or exc}"
            return
        if not stat.S_ISDIR(found.st_mode):  # a file: so is any other name of it
            _hold_file(found, private)
            if person:
                private.people[route] = entry.path
        elif (target := real_path(entry.path)) is None:
            private.unknown = True
            if way:
                private.unlisted[route] = _LOOP
        else:
            stack.append((target, "?", route, way))
    elif entry.is_dir(follow_symlinks=False):
        stack.append((entry.path, where, route, way))
    elif entry.is_file(follow_symlinks=False):
        found = entry.stat(follow_symlinks=False)
        _hold_file(found, private)
        if found.st_nlink > 1:
            private.links.add(nfc(os.path.relpath(entry.path, root)))
        if person:
            private.people[route] = entry.path
    elif person:  # a FIFO, say: no note to read
        private.unlisted[route] = NOT_REGULAR


def _hold_file(found: os.stat_result, private: _Private) -> None:
    private.inodes.add(found.st_ino)
    private.files.add((found.st_dev, found.st_ino))


def _walk(folder: Path, rel: str, kind: str, root_real: Path, skip: set[tuple[int, int]],
          notes: list[tuple[str, str, str]], findings: list[Finding], private: _Private,
          in_private: bool = False) -> None:
    """Add the notes below FOLDER to NOTES. A note reached through private/ by any path is private: out of
    private/ (IN_PRIVATE false), a symlink into it or a hard link to one of its files (PRIVATE, gathered by
    `_hold_private`) is skipped with a finding."""
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
            if not name.isascii() and not _is_utf8(name):  # bytes Linux allows in a name: no id, link or page has them
                findings.append(Finding("skipped-path", "name is not valid UTF-8; not read", Source(
                    entry_rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))))
                continue
            if entry.is_symlink():
                private.linked = True  # whatever it is: serve walks (JournalFiles.unwatched)
                followed = _symlinked_note(real_path(entry.path), name, root_real, private, in_private)
                if isinstance(followed, str):
                    findings.append(Finding("skipped-path", followed, Source(entry_rel)))
                elif followed:
                    notes.append((kind, nfc(entry_rel), entry.path))
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                skipped = is_dir and bool(skip) and (entry.stat(follow_symlinks=False).st_dev, entry.inode()) in skip
            except OSError:
                continue
            if is_dir:
                if not skipped:
                    stack.append((entry.path, entry_rel))
            elif is_note_name(name):
                if not entry.is_file(follow_symlinks=False):  # from the listing: no further system call
                    findings.append(Finding("skipped-path", f"{NOT_REGULAR}; not read", Source(entry_rel)))
                    continue  # a FIFO would block the read forever
                if not in_private and _held_private(entry, private):  # private/'s own: held by _hold_private
                    findings.append(Finding("skipped-path", _INTO_PRIVATE, Source(entry_rel)))
                    continue
                notes.append((kind, nfc(entry_rel), entry.path))


def _held_private(entry: os.DirEntry, private: _Private) -> bool:
    """Is the shared note ENTRY (a regular file) one of the private notes, or possibly one?"""
    if private.everything:
        return True
    if entry.inode() in private.inodes and _hard_linked(entry.path, private.files):
        return True
    if not private.unknown:
        return False
    try:
        return entry.stat(follow_symlinks=False).st_nlink > 1
    except OSError:  # gone since the folder was listed: cannot tell, fail closed
        return True


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # os.scandir's surrogate escapes of undecodable bytes
        return False
    return True


def _symlinked_note(real: str | None, name: str, root_real: Path, private: _Private, in_private: bool) -> bool | str:
    """Is a symlink NAME, to REAL (its real path; None for a loop), a note to read? True, False (not a
    note: passed over), or why it is skipped."""
    if real is None:
        return "symlink to a folder, or broken, or a loop; not followed" if is_note_name(name) else False
    target = Path(real)
    if not (target == root_real or root_real in target.parents):
        return "symlink points outside the journal; not followed"
    try:
        found: os.stat_result | None = os.stat(real)  # one look at the target answers every question below
    except OSError:
        found = None
    if found is None or stat.S_ISDIR(found.st_mode):
        return "symlink to a folder, or broken, or a loop; not followed" if is_note_name(name) or found is not None \
            else False
    if not is_note_name(name):
        return False
    if not in_private and (private.everything or any(str(folder) in private.folders for folder in target.parents)
                           or (found.st_dev, found.st_ino) in private.files
                           or (private.unknown and found.st_nlink != 1)):
        return _INTO_PRIVATE
    if not stat.S_ISREG(found.st_mode):  # a FIFO, say: its read would block forever
        return f"symlink to something {NOT_REGULAR}; not read"
    return True


def _hard_linked(path: str | Path, private_files: set[tuple[int, int]]) -> bool:
    """Is the file at PATH one of the notes under private/ (PRIVATE_FILES: their file_identity), by another name?"""
    found = file_identity(path)
    return found is None or found in private_files  # cannot tell: fail closed
