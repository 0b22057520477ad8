"""Asking git: one command in a journal's folder, its standard output or None (no git, not a repository,
an error). Shared by what reads git's history (review.py's --since, first_seen.py)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def git_output(root: Path, *args: str) -> bytes | None:
    """The standard output of `git -C ROOT ARGS`, or None when git is missing or the command fails."""
    if shutil.which("git") is None:
        return None
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None
