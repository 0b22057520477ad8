"""What git's index gives away to whoever clones the journal: `private-note-tracked` (a private note, or the
private/ folder), `private-passage-tracked` (a tracked note with a `<!-- private -->` passage, which shared
sites leave out but the file holds) and `private-name-in-path` (a tracked file named with a private
person's id or name). Reads the index with `git ls-files`; without git or outside a repository, nothing."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..findings import Finding, Source
from ..gitrun import git_output
from ..paths import PRIVATE_FOLDER
from ..records import Record, shared_people
from ..redact import NameMatcher
from ..tasks import private_spans
from ..values import count_text


def tracked_files(root: Path) -> dict[str, str] | None:
    """Journal-relative paths git tracks -> the object id of what git holds there (a blob's, or a submodule's
    commit), or None when there is no git or no repository."""
    listing = git_output(root, "ls-files", "-s", "-z", "--full-name", "--", ".", timeout=30)
    prefix = git_output(root, "rev-parse", "--show-prefix", timeout=30)
    if listing is None or prefix is None:
        return None
    base = prefix.decode("utf-8", "replace").strip()
    paths = {}
    for raw in listing.split(b"\0"):
        info, tab, name = raw.partition(b"\t")  # "<mode> <object id> <stage>\t<path>"
        fields = info.split()
        if tab and len(fields) == 3:
            path = name.decode("utf-8", "surrogateescape")
            paths[path[len(base):] if base and path.startswith(base) else path] = fields[1].decode("ascii", "replace")
    return paths


def _object_id(data: bytes, sha256: bool) -> str:
    """The id git gives DATA as a blob (in a SHA-256 repository, or a SHA-1 one)."""
    blob = b"blob %d\0" % len(data) + data
    return hashlib.sha256(blob).hexdigest() if sha256 else hashlib.sha1(blob, usedforsecurity=False).hexdigest()


def _held_elsewhere(root: Path, records: list[Record], tracked: dict[str, str]) -> list[Finding]:
    """`private-note-tracked` for each private note whose very text git holds at another path: a note
    staged, then moved under private/ without `git rm --cached`; a copy or a hard link with another name."""
    by_id: dict[str, list[str]] = {}
    for path, object_id in tracked.items():
        by_id.setdefault(object_id, []).append(path)
    sha256 = any(len(object_id) == 64 for object_id in by_id)  # a repository's ids are all of one kind
    findings = []
    for record in records:
        if not record.private:
            continue
        try:
            data = (root / record.path).read_bytes()
        except OSError:
            continue
        elsewhere = sorted(p for p in by_id.get(_object_id(data, sha256), ()) if p != record.path)
        if elsewhere:
            findings.append(Finding("private-note-tracked", f"git holds this private note's text as {elsewhere[0]}"
                                    f"{f' (and {len(elsewhere) - 1} more)' if len(elsewhere) > 1 else ''}: "
                                    f"anyone who clones the journal can read it. `git rm --cached {elsewhere[0]}`",
                                    Source(record.path, record.line_of("private"))))
    return findings


def check_private_tracked(root: Path, records: list[Record]) -> list[Finding]:
    tracked = tracked_files(root)
    if not tracked:
        return []
    findings = []
    # private/ itself too: a submodule there is one entry, naming the private repository
    in_folder = sorted(p for p in tracked if p == PRIVATE_FOLDER or p.startswith(PRIVATE_FOLDER + "/"))
    if in_folder:
        one = len(in_folder) == 1
        files = f"{count_text(len(in_folder), 'file')} under private/ {'is' if one else 'are'}"
        findings.append(Finding("private-note-tracked", f"{files} tracked by git; anyone who clones the journal "
                                f"gets {'it' if one else 'them'}. `git rm -r --cached private` and add private/ to "
                                ".gitignore", Source(in_folder[0])))
    # people with their annexes (an annex alone is no private person; one with a private key makes them one)
    private_people = [person for person in shared_people(records) if person.private]
    names = NameMatcher(text for person in private_people for text in (person.name, *person.aliases, person.id))
    private_notes = {r.path for r in records if r.private} | {person.path for person in private_people}
    for record in records:
        if record.path not in tracked or record.path.startswith(PRIVATE_FOLDER + "/"):
            continue
        if record.path in private_notes:
            findings.append(Finding("private-note-tracked", "this private note is tracked by git: anyone who "
                                    "clones the journal can read it. Move it under private/ (ignored by git) "
                                    "and `git rm --cached` it", Source(record.path, record.line_of("private"))))
            continue
        spans = private_spans(record.body)
        if spans:
            line = record.body_line + record.body.count("\n", 0, spans[0][0])
            passages, them = count_text(len(spans), "private passage"), "it" if len(spans) == 1 else "them"
            findings.append(Finding("private-passage-tracked", f"this note is tracked by git and has {passages}: "
                                    f"shared sites leave {them} out, but whoever clones the "
                                    f"journal reads {them}. Keep such text in a private annex, private/"
                                    f"{record.path}, which git never sees", Source(record.path, line)))
    findings += _held_elsewhere(root, records, tracked)
    for path in sorted(tracked):  # private-note-tracked has said it of private notes
        if not path.startswith(PRIVATE_FOLDER + "/") and path not in private_notes and names.search(path):
            findings.append(Finding("private-name-in-path", "this file's name, tracked by git, names a private "
                                    "person: whoever clones the journal reads it in the list of files. Rename "
                                    "it (`git mv`) or move it under private/", Source(path)))
    return findings
