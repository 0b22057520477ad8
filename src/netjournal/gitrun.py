"""Asking git: one command in a journal's folder, its standard output or None (no git, not a repository,
an error). Shared by what reads git's history (review.py's --since, first_seen.py, career_history.py)."""
from __future__ import annotations

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
