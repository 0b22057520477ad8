"""Writing the site atomically: build beside the old site, then swap, so a failed build changes nothing.

The output folder carries a marker file; a folder without it is never replaced or deleted, and an output
folder that is the journal itself or one of its parents is refused.

The new site is staged, and the old one moved aside, in the cache folder beside the output (which
git-ignores itself): a build killed midway leaves the owner's whole site, private people and all, only
where git never looks. Each build names what it leaves outside its output in a BuildRecord, a file it
holds locked while it runs; the next build removes what a killed one named (`clear_abandoned`).
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Self

from ..config import real_output
from ..paths import CACHE_FOLDER, KEPT_FOLDERS
from ..stopping import stops_held

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locks, so no record; leftovers stay in the cache folder
    fcntl = None  # type: ignore[assignment]

from ..files import file_identity, symlinked_folder
from ..fsutil import atomic_write, prepare_cache

MARKER = ".netjournal-site"
MARKER_TEXT = "This folder is written by `netjournal build` and replaced on each build.\n"


class UnsafeOutput(Exception):
    """The output folder would put the user's notes at risk; the message says why."""


def has_marker(folder: Path) -> bool:
    """Does FOLDER hold netjournal's marker: a regular file, as netjournal writes it (a symlink named so, to
    a file anywhere, does not make a folder netjournal's)."""
    try:
        return stat.S_ISREG(os.lstat(folder / MARKER).st_mode)
    except OSError:
        return False


def check_output(journal_root: Path, out: Path) -> None:
    root = Path(os.path.realpath(journal_root))
    target = Path(os.path.realpath(out))
    if target == root or target in root.parents:
        raise UnsafeOutput(f"refusing to write the site to {out}: it is the journal folder or contains it")
    for kind in KEPT_FOLDERS:
        folder = root / kind
        if target == folder or folder in target.parents:
            raise UnsafeOutput(f"refusing to write the site to {out}: it is inside the journal's {kind}/ folder")
    if target.exists() and not target.is_dir():
        raise UnsafeOutput(f"refusing to write the site to {out}: it is a file")
    if target.is_dir() and any(target.iterdir()) and not has_marker(target):
        raise UnsafeOutput(f"refusing to replace {out}: it is not empty and was not made by netjournal "
                           f"(no {MARKER} marker); choose another folder with -o")


_STAGING, _OLD = "site-new-", "site-old-"
#: what a BuildRecord may name: its staging and old folders in the cache folder, multiprocessing's folder
_LEFT_NAMES = re.compile(r"(?P<hidden>\..+\.)?(?:site-new-|site-old-)[0-9a-f]{12}|pymp-[A-Za-z0-9_]{1,32}")
#: builds of earlier versions staged beside the output under these names (tempfile.mkdtemp's)
_EARLIER_NAMES = re.compile(r"\..+\.(?:new|old)-[a-z0-9_]{8}")
_EARLIER_AFTER_SECONDS = 3600.0  # then no build of an earlier version can still be writing it


class BuildRecord:
    """A file in the cache folder CACHE naming what one build leaves outside its output while it runs
    (its staging folder, the old site moved aside, multiprocessing's temporary folder), locked while the
    build runs. Making one first removes what builds killed midway named (`clear_abandoned`)."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache
        self._fd = -1
        if fcntl is None:
            return
        try:
            prepare_cache(cache)
            clear_abandoned(cache)
            fd, temp = tempfile.mkstemp(prefix="build-", suffix=".tmp", dir=cache)
        except OSError:
            return  # a cache folder that cannot be written: nothing will be staged in it either
        fcntl.flock(fd, fcntl.LOCK_EX)
        self.path = temp[: -len(".tmp")] + ".lock"
        os.replace(temp, self.path)  # only now can another build see it, and it is locked already
        self._fd = fd

    def note(self, path: str | Path) -> None:
        """Name PATH (before it is made) as this build's, to be removed if the build is killed."""
        if self._fd >= 0:
            os.write(self._fd, os.fsencode(str(path)) + b"\0")

    def close(self) -> None:
        """The build is over: what it named is gone or in use; the record goes."""
        if self._fd < 0:
            return
        fd, self._fd = self._fd, -1
        try:
            os.ftruncate(fd, 0)  # a build that opened the record just now, to clear it, finds nothing named
            os.unlink(self.path)
        except OSError:
            pass
        os.close(fd)

    def release(self) -> None:
        """The build failed or was stopped: the record stays, unlocked, and the next build removes what it
        names that is still there (a stop can come between any two steps of the clean-up on the way out)."""
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            os.close(fd)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, failure: type[BaseException] | None, *_: object) -> None:
        if failure is None:
            self.close()
        else:
            self.release()


def clear_abandoned(cache: Path) -> None:
    """Remove what builds killed midway left: each unlocked BuildRecord in CACHE and what it names."""
    if fcntl is None:
        return
    try:
        entries = list(os.scandir(cache))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith("build-"):
            continue
        if entry.name.endswith(".tmp"):  # a build killed before it locked its record: named nothing yet
            if _older_than(entry.path, 60.0):
                _unlink(entry.path)
            continue
        if not entry.name.endswith(".lock"):
            continue
        try:
            fd = os.open(entry.path, os.O_RDWR | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a build that is running
            os.close(fd)
            continue
        try:
            named = _read_all(fd)
            for raw in named.split(b"\0"):
                if raw:
                    _remove_left(Path(os.fsdecode(raw)), cache)
            _unlink(entry.path)
        finally:
            os.close(fd)


def _remove_left(path: Path, cache: Path) -> None:
    """Remove PATH, named by a killed build's record, if it is what a build names: a staging or old folder
    in CACHE (or hidden beside it), or a multiprocessing folder of this user holding only its sockets.
    Anything else a record names (a record someone else wrote) is left alone."""
    name = _LEFT_NAMES.fullmatch(path.name)
    if name is None or path.is_symlink() or not path.is_dir():
        return
    if path.name.startswith("pymp-"):
        try:
            if path.stat().st_uid != os.getuid() or any(not p.name.startswith("listener-") for p in path.iterdir()):
                return
        except OSError:
            return
    elif os.path.realpath(path.parent) != os.path.realpath(cache.parent if name["hidden"] else cache):
        return
    shutil.rmtree(path, ignore_errors=True)


def clear_earlier_leftovers(out: Path) -> None:
    """Remove the staging and old folders that builds of earlier versions, killed midway, left beside OUT
    (in the journal, with the default output, where git sees them): hours old, so no build is writing them."""
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return
    prefix = f".{out.name}."
    for entry in entries:
        if (entry.name.startswith(prefix) and _EARLIER_NAMES.fullmatch(entry.name)
                and entry.is_dir(follow_symlinks=False) and _older_than(entry.path, _EARLIER_AFTER_SECONDS)):
            shutil.rmtree(entry.path, ignore_errors=True)


def _read_all(fd: int) -> bytes:
    blocks = []
    while block := os.read(fd, 1 << 16):
        blocks.append(block)
    return b"".join(blocks)


def _older_than(path: str, seconds: float) -> bool:
    try:
        return os.lstat(path).st_mtime < time.time() - seconds
    except OSError:
        return False


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _staging_folder(out: Path) -> Path:
    """Where OUT's new site is written and its old one moved aside: the cache folder beside it, which
    git ignores, when it is on OUT's file system (a rename must swap them); else beside OUT, hidden."""
    cache = out.parent / CACHE_FOLDER
    try:
        prepare_cache(cache)
        if os.stat(cache).st_dev == os.stat(out.parent).st_dev:
            return cache
    except OSError:
        pass
    return out.parent


def write_site_atomically(journal_root: Path, out: Path, fill: Callable[[Path], None],
                          record: BuildRecord | None = None) -> None:
    """Call fill(temp_folder) to write the new site, then swap it in place of OUT.

    If fill raises, the temp folder is removed and OUT is untouched. RECORD (default: one of this call's
    own) names the folders this writes outside OUT, for the next build to remove if this one is killed.
    """
    out = real_output(out)
    check_output(journal_root, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    place = _staging_folder(out)
    if record is None:
        with BuildRecord(out.parent / CACHE_FOLDER) as own:
            return write_site_atomically(journal_root, out, fill, own)
    clear_earlier_leftovers(out)
    hidden = "" if place.name == CACHE_FOLDER else f".{out.name}."
    staging = place / f"{hidden}{_STAGING}{secrets.token_hex(6)}"
    record.note(staging)
    try:
        os.mkdir(staging, 0o700)
        fill(staging)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        os.chmod(staging, 0o755)
    except BaseException:
        with stops_held():  # a second stop must not cut the removal short: the record goes with this call
            shutil.rmtree(staging, ignore_errors=True)
        raise
    if out.exists():
        old = place / f"{hidden}{_OLD}{secrets.token_hex(6)}"
        record.note(old)
        with stops_held():  # a stop that came meanwhile is raised once the old site is gone, not before
            os.replace(out, old)  # two renames: the window without OUT is a few microseconds
            os.replace(staging, out)
            shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)


def still_the_folder(folder: Path, checked: tuple[int, int] | None, path: str) -> None:
    """Refuse to write or remove PATH in FOLDER unless FOLDER is still the folder CHECKED (its identity
    when the build found it netjournal's) and no folder on the way to PATH is a symlink (which would take
    the write or the removal out of the site): the build fails, and the next one checks the folder anew."""
    if checked is None or file_identity(folder) != checked:
        raise UnsafeOutput(f"the output folder {folder} was replaced while the site was built; nothing more "
                           "was written there")
    linked = symlinked_folder(folder, path)
    if linked is not None:
        raise UnsafeOutput(f"{linked} is a symlink, not a folder of the site: nothing is written through it")


def write_file(path: Path, content: bytes, atomic: bool = True) -> None:
    """One file of the site: ATOMIC (in place, a reader sees the old page or the new one) or plainly (into a
    staging folder no one reads yet)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if atomic:
        atomic_write(path, content)
    else:
        with open(path, "wb") as handle:
            handle.write(content)
