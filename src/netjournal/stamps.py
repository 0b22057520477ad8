"""What a build is made from, read cheaply off the disk: the config's bytes, the templates, the git index,
every note's stat and the output's listing. A digest of the notes' stats, the config, the templates, the day,
git's HEAD and the store's key (`build_fingerprint`) lets a build of an unchanged journal stop before
reading a note."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from pathlib import Path

from .config import CONFIG_LIMIT
from .files import Stamp, file_stamp, read_regular_file
from .gitrun import git_folder, work_tree_of
from .paths import CONFIG_NAME, package_templates
from .store import RACY_SECONDS
from .walk import JournalFiles


def config_bytes(root: Path) -> bytes:
    """The journal's netjournal.toml as it is on disk (b"" without one, or when it is not a regular file)."""
    try:
        return read_regular_file(root / CONFIG_NAME, CONFIG_LIMIT)
    except OSError:
        return b""


def templates_stamp(root: Path) -> tuple:
    """The journal's and netjournal's templates as they are on disk: every page is made from them."""
    stamp = []
    for folder in (root / "templates", package_templates()):
        if folder.is_dir():
            stamp += sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*") if p.is_file())
    return tuple(stamp)


def git_index_stamp(root: Path) -> tuple:
    """The stat of the index of the git work tree the journal is in, wherever git keeps it (a worktree's is
    in its main repository), or (): what tells that a commit may have come, without running git (the days
    notes first appeared are read again then: first_seen.GitDates)."""
    top = work_tree_of(root)
    if top is None:
        return ()
    try:
        stat = (git_folder(top) / "index").stat()
    except OSError:
        return ("no index",)
    return (str(top), stat.st_size, stat.st_mtime_ns, stat.st_ino)


def output_listing(out: Path) -> dict[str, tuple[int, int]]:
    """Every file in OUT (its path in OUT, as the site names it) -> (size, mtime_ns)."""
    listing = {}
    top = len(str(out)) + 1
    for folder, _, names in os.walk(out):
        for name in names:
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except FileNotFoundError:  # renamed or removed since it was listed (a daemon writing OUT too)
                continue
            listing[path[top:]] = (stat.st_size, stat.st_mtime_ns)
    return listing


def note_stats(files: JournalFiles) -> dict[str, Stamp] | None:
    """Each note's stamp (files.file_stamp) by its path; None when one cannot be read (it changed: read
    them all)."""
    stats = {}
    for _, rel, path in files.notes:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        stats[rel] = file_stamp(stat)
    return stats


def build_fingerprint(files: JournalFiles, stats: dict[str, Stamp] | None, templates: tuple,
                 today: dt.date, key: str, head: tuple = ()) -> str | None:
    """A digest of everything a build reads, the notes by their stats, and of what reads them: KEY, the
    store's key (`store.store_key`: the config, netjournal's code, Python and the parsing libraries; an
    edited or upgraded one makes other pages); None when a note changed so recently that a second save in
    the same clock tick could go unnoticed (git's racy case)."""
    if stats is None:
        return None
    racy_after_ns = (time.time() - RACY_SECONDS) * 1e9
    digest = hashlib.sha256(f"{key}\x1f{today}\x1f{templates}\x1f{files.findings!r}\x1f{head}".encode())
    for rel, stamp in stats.items():
        if stamp[1] >= racy_after_ns:
            return None
        digest.update(f"{rel}\x1f{stamp}\x1e".encode())
    return digest.hexdigest()
