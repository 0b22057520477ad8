"""Writing the site atomically: build beside the old site, then swap, so a failed build changes nothing.

The output folder carries a marker file; a folder without it is never replaced or deleted, and an output
folder that is the journal itself or one of its parents is refused.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from ..fsutil import atomic_write

MARKER = ".netjournal-site"
MARKER_TEXT = "This folder is written by `netjournal build` and replaced on each build.\n"


class UnsafeOutput(Exception):
    """The output folder would put the user's notes at risk; the message says why."""


def check_output(journal_root: Path, out: Path) -> None:
    root = Path(os.path.realpath(journal_root))
    target = Path(os.path.realpath(out))
    if target == root or target in root.parents:
        raise UnsafeOutput(f"refusing to write the site to {out}: it is the journal folder or contains it")
    for kind in ("people", "interactions", "goals", "private", "comments", "templates"):
        folder = root / kind
        if target == folder or folder in target.parents:
            raise UnsafeOutput(f"refusing to write the site to {out}: it is inside the journal's {kind}/ folder")
    if target.exists() and not target.is_dir():
        raise UnsafeOutput(f"refusing to write the site to {out}: it is a file")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise UnsafeOutput(f"refusing to replace {out}: it is not empty and was not made by netjournal "
                           f"(no {MARKER} marker); choose another folder with -o")


def write_site_atomically(journal_root: Path, out: Path, fill: Callable[[Path], None]) -> None:
    """Call fill(temp_folder) to write the new site, then swap it in place of OUT.

    If fill raises, the temp folder is removed and OUT is untouched.
    """
    check_output(journal_root, out)
    out = Path(os.path.abspath(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        fill(staging)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    os.chmod(staging, 0o755)
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rmdir(old)
        os.replace(out, old)  # two renames: the window without OUT is a few microseconds
        os.replace(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)


def write_file(path: Path, content: bytes, atomic: bool = True) -> None:
    """One file of the site: ATOMIC (in place, a reader sees the old page or the new one) or plainly (into a
    staging folder no one reads yet)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if atomic:
        atomic_write(path, content)
    else:
        with open(path, "wb") as handle:
            handle.write(content)
