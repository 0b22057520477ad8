"""Asking git: one command in a journal's folder, its standard output or None (no git, not a repository,
an error). Shared by what reads git's history (review.py's --since, first_seen.py, career_history.py) and by
checks/tracked.py (what git tracks); and where the repository is, read off the disk without running git
(what tells a build git may have changed)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def git_output(root: Path, *args: str, data: bytes | None = None, timeout: float = 60) -> bytes | None:
    """The standard output of `git -C ROOT ARGS` (DATA on its input), or None when git is missing or the
    command fails."""
    if shutil.which("git") is None:
        return None
    try:
        result = subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True,
                                timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def work_tree_of(root: Path) -> Path | None:
    """The top folder of the git work tree the journal at ROOT is in: ROOT or the nearest folder above it
    with a `.git` (a folder; or a file, in a worktree or a submodule), or None."""
    for folder in (root, *root.resolve().parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return None


def git_folder(top: Path) -> Path:
    """Where git keeps the repository of the work tree at TOP (its index, HEAD, logs): `.git`, or the folder
    a worktree's or a submodule's `.git` file names."""
    dot = top / ".git"
    if dot.is_file():
        try:
            text = dot.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return dot
        if text.startswith("gitdir: "):
            return (top / text[len("gitdir: "):]).resolve()
    return dot
