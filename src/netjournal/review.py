"""`build --since REF_OR_DATE`: which notes were added, changed or removed since a git revision or a date.

Asks git (`git diff --name-status`, `git log --since`, untracked files) through subprocess; without git,
a date compares file modification times.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from pathlib import Path

from .gitrun import git_output
from .paths import KINDS, is_note_name
from .values import day_problem


class ReviewError(Exception):
    """The REF_OR_DATE cannot be used; the message says why."""


@dataclass(frozen=True)
class Change:
    status: str  # "added", "changed" or "removed"
    path: str  # journal-relative


@dataclass(frozen=True)
class Review:
    label: str
    changes: tuple[Change, ...]
    base: str | None = None  # the git revision the notes are compared with, when there is one


_STATUS = {"A": "added", "M": "changed", "D": "removed", "R": "changed", "C": "added", "T": "changed"}


def _is_note(path: str) -> bool:
    parts = path.split("/")
    return len(parts) >= 2 and parts[0] in KINDS and is_note_name(parts[-1])


def _git(root: Path, *args: str) -> str | None:
    out = git_output(root, *args)
    return out.decode("utf-8", "surrogateescape") if out is not None else None


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def changes_since(root: Path, ref_or_date: str) -> Review:
    date = _parse_date(ref_or_date)
    in_repo = _git(root, "rev-parse", "--is-inside-work-tree") is not None
    statuses: dict[str, str] = {}
    base: str | None = None
    if in_repo:
        if date is not None:
            log = _git(root, "log", f"--since={date.isoformat()} 00:00", "--name-status", "--relative",
                       "--format=", "--no-renames", "--", ".")
            diff_base = None
            before = _git(root, "rev-list", "-1", f"--before={date.isoformat()} 00:00", "HEAD")
            base = before.strip() or None if before is not None else None
            for line in reversed((log or "").splitlines()):  # oldest first, so the newest status wins
                if "\t" in line:
                    code, path = line.split("\t", 1)
                    statuses[path] = _STATUS.get(code[:1], "changed")
        else:
            if _git(root, "rev-parse", "--verify", "--quiet", f"{ref_or_date}^{{commit}}") is None:
                raise ReviewError(day_problem(ref_or_date)
                                  or f"{ref_or_date!r} is neither a date (YYYY-MM-DD) nor a git revision here")
            diff_base = base = ref_or_date
        # what is not committed yet counts too: the review is of the journal as it is now
        diff = _git(root, "diff", "--name-status", "--relative", "--no-renames", diff_base or "HEAD", "--", ".")
        for line in (diff or "").splitlines():
            if "\t" in line:
                code, path = line.split("\t", 1)
                statuses[path] = _STATUS.get(code[:1], "changed")
        for path in (_git(root, "ls-files", "--others", "--exclude-standard", "--", ".") or "").splitlines():
            statuses[path] = "added"
    else:
        if date is None:
            raise ReviewError(day_problem(ref_or_date)
                              or f"{root} is not a git repository, so --since needs a date (YYYY-MM-DD)")
        since = dt.datetime.combine(date, dt.time()).timestamp()
        for kind in KINDS:
            for dirpath, _, names in os.walk(root / kind):
                for name in names:
                    full = Path(dirpath) / name
                    rel = full.relative_to(root).as_posix()
                    if is_note_name(name) and full.stat().st_mtime >= since:
                        statuses[rel] = "changed"
    changes = tuple(sorted((Change(status, path) for path, status in statuses.items() if _is_note(path)),
                           key=lambda c: (c.path, c.status)))
    return Review(ref_or_date, changes, base)


def without_private_edits(root: Path, review: Review) -> Review:
    """REVIEW as an audience that does not see private passages should have it: a note counted as changed
    whose front matter is as it was at the review's git revision, and whose text is too but inside private
    passages, is left out (its change is nobody else's business). Without a revision to compare with (file
    dates), nothing tells an edit inside a private passage from one outside it: a changed note that has a
    private passage is left out (fails closed: the audience may miss a change, never learn of a private one)."""
    if review.base is None:
        return replace(review, changes=tuple(change for change in review.changes
                                             if change.status != "changed" or not _has_private(root / change.path)))
    kept = []
    for change in review.changes:
        if change.status == "changed":
            old = _git_bytes(root, review.base, change.path)
            try:
                new = (root / change.path).read_bytes()
            except OSError:
                new = None
            if old is not None and new is not None and _public_part(old) == _public_part(new) is not None:
                continue
        kept.append(change)
    return replace(review, changes=tuple(kept))


def _has_private(path: Path) -> bool:
    """Has the note at PATH a private passage (or can it not be read, which counts as having one)?"""
    from .notes import ParsedNote, parse_note
    from .tasks import strip_private

    try:
        parsed = parse_note(path.read_bytes())
    except OSError:
        return True
    return not isinstance(parsed, ParsedNote) or strip_private(parsed.body) != parsed.body


def _git_bytes(root: Path, revision: str, path: str) -> bytes | None:
    """The bytes of PATH (relative to ROOT) at REVISION, or None."""
    return git_output(root, "show", f"{revision}:./{path}")


def _public_part(data: bytes) -> tuple | None:
    """What of a note an audience may see change: its front matter, and its text without private passages
    (None when the note cannot be read: then any change counts)."""
    from .notes import ParsedNote, parse_note
    from .tasks import strip_private

    parsed = parse_note(data)
    if not isinstance(parsed, ParsedNote):
        return None
    return repr(parsed.data), strip_private(parsed.body)
