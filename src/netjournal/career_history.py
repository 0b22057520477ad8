"""The git history of people's notes: when each person's `role` or `org` changed, as commits say.

Read once per build, with one `git log` over people/ (the blobs before and after each change of a person
note) and one `git cat-file --batch` for the notes' versions, and cached by the commit it was read at in
the journal's `.netjournal-cache/`: the next read at the same commit costs one `git rev-parse`, and one at a
later commit reads only the commits since. Loading a note stays a pure function of its path and bytes:
this is a separate input of the build (engine.py), never read by the loader.

Only a journal that is a git repository (its folder is the repository's top level) has a history: a
journal kept inside another project's repository (netjournal's example journal in netjournal's) does not
take that project's commits for its people's careers.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from .gitrun import git_folder, git_output
from .paths import CACHE_FOLDER, is_note_name, nfc

#: What a person note's history is read for
FIELDS = ("role", "org")
_FORMAT = 1
_NO_BLOB = "0" * 40
_COMMIT = "\x01"  # starts each commit's line in the log below


@dataclass(frozen=True)
class FieldChange:
    """A commit dated DATE changed a person note's FIELD (role or org) from BEFORE to AFTER, both given."""

    date: dt.date
    field: str
    before: str
    after: str


#: Journal-relative path of a person note -> the changes of its role and org, oldest first
History = dict[str, tuple[FieldChange, ...]]


def is_repository(root: Path) -> bool:
    """Is ROOT the top level of a git work tree (a `.git` folder, or a worktree's `.git` file)?"""
    return os.path.lexists(root / ".git")


def head_stamp(root: Path) -> tuple:
    """What tells that the journal's commits may have changed without asking git: the stats of HEAD, its
    reflog, the branch it names and packed-refs (() when the journal is not a repository). A commit,
    checkout or reset changes one of them, in a worktree too (its branches live in the common folder)."""
    if not is_repository(root):
        return ()
    stamp: list = []
    folder = git_folder(root)
    common = folder
    try:
        common = (folder / (folder / "commondir").read_text(encoding="utf-8").strip()).resolve()
    except OSError:
        pass
    for path in (folder / "HEAD", folder / "logs" / "HEAD", common / "packed-refs"):
        stamp.append(_stat(path))
    try:
        head = (folder / "HEAD").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        head = ""
    if head.startswith("ref: "):
        stamp.append(_stat(common / head[len("ref: "):]))
    stamp.append(head)
    return tuple(stamp)


def _stat(path: Path) -> tuple:
    try:
        found = os.stat(path)
    except OSError:
        return ()
    return found.st_size, found.st_mtime_ns, found.st_ino


def people_history(root: Path) -> History:
    """When each person note's role and org changed, from the journal's git history ({} when the journal
    is not a git repository or has no commits). Cached by commit in `.netjournal-cache/`."""
    if not is_repository(root):
        return {}
    head_out = git_output(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if not head_out:
        return {}
    head = head_out.decode("ascii", "replace").strip()
    cache = root / CACHE_FOLDER / "people-history.pickle"
    from .store import load_state, save_state

    saved = load_state(cache)
    if isinstance(saved, dict) and saved.get("format") == _FORMAT and isinstance(saved.get("changes"), dict):
        if saved.get("head") == head:
            return saved["changes"]
        known = saved.get("head")
        if isinstance(known, str) and git_output(root, "merge-base", "--is-ancestor", known, head) is not None:
            found = _read_changes(root, f"{known}..{head}")
            if found is not None:
                return _save(save_state, cache, head, _merged(saved["changes"], found))
    found = _read_changes(root, head)
    if found is None:
        return {}
    return _save(save_state, cache, head, found)


def _save(save_state, cache: Path, head: str, changes: History) -> History:
    save_state(cache, {"format": _FORMAT, "head": head, "changes": changes})
    return changes


def _merged(old: History, new: History) -> History:
    merged = dict(old)
    for path, changes in new.items():
        merged[path] = tuple(sorted((*merged.get(path, ()), *changes), key=lambda c: c.date))
    return merged


def _read_changes(root: Path, revisions: str) -> History | None:
    """The role and org changes of person notes in REVISIONS (a commit, or a range `a..b`)."""
    log = git_output(root, "log", "--no-renames", "--raw", "--no-abbrev", "-z", f"--format={_COMMIT}%as", revisions,
                  "--", "people/")
    if log is None:
        return None
    transitions: list[tuple[dt.date, str, str, str]] = []  # (date, path, blob before, blob after)
    date = None
    tokens = log.split(b"\0")
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip(b"\n").decode("utf-8", "surrogateescape")
        index += 1
        if token.startswith(_COMMIT):
            try:
                date = dt.date.fromisoformat(token[1:].strip())
            except ValueError:
                date = None
        elif token.startswith(":") and index < len(tokens):
            path = nfc(tokens[index].decode("utf-8", "surrogateescape"))
            index += 1
            parts = token.split()
            if date is not None and len(parts) >= 4 and _NO_BLOB not in (parts[2], parts[3]) \
                    and is_note_name(path.rsplit("/", 1)[-1]):
                transitions.append((date, path, parts[2], parts[3]))
    if not transitions:
        return {}
    blobs = _blobs(root, {blob for _, _, *pair in transitions for blob in pair})
    if blobs is None:
        return None
    return _changes(transitions, blobs)


def _blobs(root: Path, ids: set[str]) -> dict[str, bytes] | None:
    """The contents of the blobs IDS, by id, from one `git cat-file --batch`."""
    ordered = sorted(ids)
    out = git_output(root, "cat-file", "--batch", data="".join(f"{blob}\n" for blob in ordered).encode("ascii"),
                  timeout=300)
    if out is None:
        return None
    found: dict[str, bytes] = {}
    position = 0
    for blob in ordered:
        end = out.find(b"\n", position)
        if end < 0:
            break
        header = out[position:end].split()
        position = end + 1
        if len(header) != 3 or header[1] != b"blob":
            continue  # "<id> missing": a shallow clone's history ends there
        size = int(header[2])
        found[blob] = out[position:position + size]
        position += size + 1
    return found


def _front_matter(data: bytes) -> bytes | None:
    """The front matter of a note's bytes as written (None when it has none that ends)."""
    if not data.startswith(b"---"):
        return None
    for fence in (b"\n---\n", b"\n---\r\n", b"\n...\n", b"\n...\r\n"):
        end = data.find(fence, 3)
        if end >= 0:
            return data[:end]
    return None


def _changes(transitions: list[tuple[dt.date, str, str, str]], blobs: dict[str, bytes]) -> History:
    """Each transition's role and org before and after, from the notes' versions as the loader reads them;
    a version that does not load, or is private, tells nothing (privacy fails closed)."""
    from .load import load_note

    fields: dict[str, tuple[str, str] | None] = {}

    def read(path: str, blob: str) -> tuple[str, str] | None:
        if blob not in fields:
            data = blobs.get(blob)
            record = load_note("people", path, data).record if data is not None else None
            fields[blob] = (record.role, record.org) if record is not None and not record.private else None  # type: ignore[union-attr]
        return fields[blob]

    history: dict[str, list[FieldChange]] = {}
    # the log lists the newest commit first: oldest first here, by date (commits of one day in their order)
    for date, path, old, new in sorted(reversed(transitions), key=lambda item: item[0]):
        before_bytes, after_bytes = blobs.get(old), blobs.get(new)
        if before_bytes is None or after_bytes is None:
            continue
        front = _front_matter(before_bytes)
        if front is not None and front == _front_matter(after_bytes):
            continue  # only the text changed: most edits of a person's note
        before, after = read(path, old), read(path, new)
        if before is None or after is None:
            continue
        for name, was, now in zip(FIELDS, before, after, strict=True):
            if was and now and was != now:
                history.setdefault(path, []).append(FieldChange(date, name, was, now))
    return {path: tuple(changes) for path, changes in history.items()}
