"""When each person's note first appeared: the day git's history first has it, where the journal is in a
repository, else the day of the file's modification time. Someone you have never contacted and never
met is due for contact counted from that day.

It is an input of the model besides the notes (`Journal.set_first_seen`), never read by `load_note`:
loading a note stays a function of its path and bytes. Git's history is read once (one `git log`) and
kept by commit (`GitDates`); a build reads it again only when the repository's index changed and HEAD
is another commit.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

from .gitrun import git_output, work_tree_of

#: The note folders whose notes' first days are read (people are what is due for contact)
FOLDERS = ("people", "private/people")


def head_commit(root: Path) -> str | None:
    """The commit HEAD names in the repository of ROOT, or None (no git, no repository, no commit yet)."""
    out = git_output(root, "rev-parse", "--verify", "--quiet", "HEAD")
    return out.decode("ascii", "replace").strip() if out else None


def added_dates(root: Path) -> dict[str, dt.date]:
    """Journal-relative path -> the day (author date) of the first commit that added the note there,
    following renames, for the notes under FOLDERS: one `git log` of the whole history."""
    out = git_output(root, "-c", "core.quotepath=off", "log", "--relative", "--reverse", "--format=%x01%as", "-z",
               "--name-status", "--diff-filter=AR", "--", *FOLDERS)
    dates: dict[str, dt.date] = {}
    if not out:
        return dates
    tokens = iter(out.split(b"\0"))
    day: dt.date | None = None
    for raw in tokens:
        token = raw.lstrip(b"\n")
        if token.startswith(b"\x01"):
            try:
                day = dt.date.fromisoformat(token[1:].decode("ascii"))
            except ValueError:
                day = None
        elif token == b"A":
            path = next(tokens, b"").decode("utf-8", "surrogateescape")
            if day is not None:
                dates.setdefault(path, day)
        elif token.startswith(b"R"):
            old = next(tokens, b"").decode("utf-8", "surrogateescape")
            new = next(tokens, b"").decode("utf-8", "surrogateescape")
            found = dates.get(old, day)
            if found is not None:
                dates.setdefault(new, found)
    return dates


_UNREAD = object()  # no index seen yet


class GitDates:
    """Git's first days of the notes of one journal, kept by commit: `dates(index_stamp)` runs `git log`
    again only when the repository's index changed (a commit, a checkout) and HEAD moved."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._stamp: object = _UNREAD
        self._commit: str | None = None
        self._dates: dict[str, dt.date] = {}

    def dates(self, index_stamp: object) -> dict[str, dt.date]:
        if index_stamp != self._stamp:
            self._stamp = index_stamp
            commit = head_commit(self.root) if work_tree_of(self.root) is not None else None
            if commit != self._commit:
                self._commit = commit
                self._dates = added_dates(self.root) if commit is not None else {}
        return self._dates


def file_day(mtime_ns: int) -> dt.date:
    """The local day of a file's modification time."""
    return dt.datetime.fromtimestamp(mtime_ns / 1e9).date()


def first_seen(people: Mapping[str, str], git: Mapping[str, dt.date]) -> dict[str, dt.date]:
    """PEOPLE (relative path -> absolute path) -> the day each note first appeared: git's, else the day of
    its file's modification time (a note that cannot be stat'ed has none)."""
    seen = {}
    for rel, path in people.items():
        day = git.get(rel)
        if day is None:
            try:
                day = file_day(os.stat(path).st_mtime_ns)
            except OSError:
                continue
        seen[rel] = day
    return seen
