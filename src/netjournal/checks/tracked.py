"""`private-note-tracked`: a private note (or the private/ folder) is in git's index, so anyone who clones
the journal gets it. Reads the index with `git ls-files`; without git or outside a repository, nothing."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ..findings import Finding, Source
from ..load import PRIVATE_FOLDER
from ..records import Record


def tracked_files(root: Path) -> set[str] | None:
    """Journal-relative paths git tracks, or None when there is no git or no repository."""
    if shutil.which("git") is None:
        return None
    try:
        result = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--full-name", "--", "."],
                                capture_output=True, timeout=30, check=False)
        prefix = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-prefix"],
                                capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0 or prefix.returncode != 0:
        return None
    base = prefix.stdout.decode("utf-8", "replace").strip()
    paths = set()
    for raw in result.stdout.split(b"\0"):
        if raw:
            path = raw.decode("utf-8", "surrogateescape")
            paths.add(path[len(base):] if base and path.startswith(base) else path)
    return paths


def check_private_tracked(root: Path, records: list[Record]) -> list[Finding]:
    tracked = tracked_files(root)
    if not tracked:
        return []
    findings = []
    in_folder = sorted(p for p in tracked if p.startswith(PRIVATE_FOLDER + "/"))
    if in_folder:
        findings.append(Finding("private-note-tracked", f"{len(in_folder)} file(s) under private/ are tracked by "
                                "git; anyone who clones the journal gets them. `git rm -r --cached private` and "
                                "add private/ to .gitignore", Source(in_folder[0])))
    for record in records:
        if record.private and record.path in tracked and not record.path.startswith(PRIVATE_FOLDER + "/"):
            findings.append(Finding("private-note-tracked", "this private note is tracked by git: anyone who "
                                    "clones the journal can read it. Move it under private/ (ignored by git) "
                                    "and `git rm --cached` it", Source(record.path, record.line_of("private"))))
    return findings
