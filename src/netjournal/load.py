"""Turn every note of a journal into a record, collecting findings instead of raising.

`load_note` is a pure function of (kind, path, bytes): that is what a cache or a process pool wraps.
`load_journal` reads the notes `walk.find_note_files` finds (people/, interactions/, goals/, comments/, and
the same inside private/) and returns the records plus every finding; `fields` reads the front matter.
"""
from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config, load_config
from .contacts import has_unicode_key, salvaged_contact
from .fields import Fields, describe
from .files import read_head, read_regular_file
from .findings import Finding, Source
from .notes import (
    MAX_NOTE_BYTES,
    NoteError,
    ParsedNote,
    decode,
    parse_note,
    split_front_matter,
    starts_block_scalar,
)
from .paths import PRIVATE_FOLDER, note_id
from .profiles import URL
from .records import (
    EXCHANGES,
    Aim,
    CommentRecord,
    FollowUpRecord,
    GoalRecord,
    InteractionRecord,
    PersonRecord,
    Record,
    Ref,
    annex_paths,
    share,
)
from .redact import tag_key
from .salvage import salvaged_names
from .tasks import find_tasks, find_wikilinks, marker_problems
from .unlisted import mentioned_contacts, unlisted_contacts
from .values import ValueProblem, date_problem, parse_date, parse_duration
from .walk import JournalFiles, find_note_files

GOAL_STATUSES = ("active", "achieved", "dropped")


@dataclass(slots=True)
class NoteLoad:
    """The outcome of loading one note: a record (None when the note is unusable) and its findings."""

    record: Record | None
    findings: list[Finding] = field(default_factory=list)
    # a person note with no record: the names it seems to give (salvaged_names), which an audience hides
    names: tuple[str, ...] = ()
    unread: bool = False  # its file could not be read: whom it names is unknown



def _contact_texts(fields: Fields, key: str) -> tuple[str, ...]:
    """`email` or `phone` (KEY) as texts, each labelled one as written (`mobile: +44 7700 900123`)."""
    return tuple(f"{label}: {text}" if label else text for label, text in fields.contacts(key))


def _body_links(parsed: ParsedNote) -> tuple[Ref, ...]:
    return tuple(Ref(link.target, link.line) for link in find_wikilinks(parsed.body, parsed.body_line))


def _person(fields: Fields, path: str, in_private: bool) -> PersonRecord:
    pid = note_id(path, "people")
    name = fields.text("name")
    if not name:
        if fields.empty("name"):
            fields.missing("name", "a person note")
        name = pid
    cadence = None
    if fields.data.get("cadence") is not None:
        try:
            cadence = parse_duration(fields.data["cadence"], allow_none=True)
        except ValueProblem as exc:
            fields.problem("cadence", str(exc))
    introduced = fields.refs("introduced_by")
    # a link written as the key (`{'https://github.com/zq': github}`) is the link all the same
    links = tuple((url, label) if URL.search(label) and not URL.search(url) else (label or url, url)
                  for label, url in fields.contacts("links"))
    ignore = frozenset(fields.texts("ignore"))
    return PersonRecord(
        id=pid, path=path, name=name, aliases=fields.words("aliases"), org=fields.text("org"),
        role=fields.text("role"), email=_contact_texts(fields, "email"),
        phone=_contact_texts(fields, "phone"), links=links, location=fields.text("location"),
        tags=tuple(dict.fromkeys(key for key in map(tag_key, fields.words("tags")) if key)),
        cadence=cadence, met=fields.date("met"), introduced_by=introduced[0] if introduced else None,
        snooze_until=fields.date("snooze_until"), **_paused(fields),
        private=fields.private(in_private), ignore=ignore, changes=fields.changes(),
        birthday=fields.yearly("birthday", fields.data["birthday"]) if fields.data.get("birthday") is not None
        else None, dates=fields.dates(), unlisted=unlisted_contacts(fields), mentioned=mentioned_contacts(fields),
        body=fields.parsed.body, body_line=fields.parsed.body_line, body_links=_body_links(fields.parsed),
        key_lines=fields.key_lines())


def _paused(fields: Fields) -> dict[str, Any]:
    """`paused: true` (no reminders at all) or `paused: {until: 2027-04-01}` (none before that day, and a
    welcome back on it)."""
    value = fields.data.get("paused")
    if not isinstance(value, dict):
        return {"paused": fields.flag("paused")}
    until = value.get("until")
    if set(value) != {"until"} or until is None:
        fields.problem("paused", f"expected true, false or {{until: YYYY-MM-DD}}, got {describe(value)}")
        return {"paused": True}  # paused, as the note says; the finding says how to write until
    try:
        return {"paused": True, "paused_until": parse_date(until)}
    except ValueProblem as exc:
        fields.problem("paused", f"until: {exc}")
        return {"paused": True}


def _tasks(fields: Fields) -> list[FollowUpRecord]:
    """The `- [ ]` tasks of the note's body as follow-ups; a due date that is no date is reported."""
    found = []
    for task in find_tasks(fields.parsed.body, fields.parsed.body_line):
        if task.bad_due:
            fields.problem("task", f"due: {date_problem(task.bad_due)}", task.line)
        found.append(FollowUpRecord(task.what, task.due, task.done, task.line, True))
    return found


def _follow_ups(fields: Fields) -> list[FollowUpRecord]:
    value = fields.data.get("follow_ups")
    result: list[FollowUpRecord] = []
    if value is None:
        return result
    if not isinstance(value, list):
        fields.problem("follow_ups", "expected a list of {what, due, done}")
        return result
    for index, item in enumerate(value):
        line = fields.item_line("follow_ups", index)
        if isinstance(item, str):
            result.append(FollowUpRecord(item.strip(), None, False, line, False))
            continue
        if not isinstance(item, dict):
            fields.problem("follow_ups", f"expected {{what, due, done}}, got {describe(item)}", line)
            continue
        what = item.get("what")
        if not isinstance(what, str) or not what.strip():
            fields.problem("follow_ups", "each follow-up needs a 'what' text", line)
            continue
        due = None
        if item.get("due") is not None:
            try:
                due = parse_date(item["due"])
            except ValueProblem as exc:
                fields.problem("follow_ups", f"due: {exc}", line)
        done = item.get("done", False)
        if not isinstance(done, bool):
            fields.problem("follow_ups", f"done: expected true or false, got {describe(done)}", line)
            done = False
        result.append(FollowUpRecord(what.strip(), due, done, line, False))
    return result


def _interaction(fields: Fields, path: str, in_private: bool) -> InteractionRecord | None:
    date = fields.date("date", required_for="an interaction note")
    with_refs = fields.refs("with")
    if fields.empty("with"):
        fields.missing("with", "an interaction note")
    follow_ups = _follow_ups(fields) + _tasks(fields)
    if date is None or not with_refs:
        return None  # cannot be placed in anyone's timeline; the findings say why
    exchanges = {}
    aims: list[Aim] = []
    for kind in EXCHANGES:
        exchanges[kind], kind_aims = fields.exchanges(kind)
        aims += kind_aims
    return InteractionRecord(
        id=note_id(path, "interactions"), path=path, date=share(date), with_refs=share(tuple(map(share, with_refs))),
        kind=sys.intern(fields.text("kind")), title=fields.text("title"),
        topics=share(tuple(map(sys.intern, fields.words("topics")))),
        **exchanges, aims=tuple(aims), follow_ups=tuple(follow_ups), private=fields.private(in_private),
        body=fields.parsed.body, body_line=fields.parsed.body_line, body_links=_body_links(fields.parsed),
        key_lines=fields.key_lines())


def _goal(fields: Fields, path: str, in_private: bool) -> GoalRecord:
    gid = note_id(path, "goals")
    title = fields.text("title")
    if not title:
        if fields.empty("title"):
            fields.missing("title", "a goal note")
        title = gid
    if fields.data.get("stakeholders") is None:  # an empty list says: none yet
        fields.missing("stakeholders", "a goal note")
    status = fields.text("status").casefold() or "active"
    if status not in GOAL_STATUSES:
        fields.problem("status", f"expected one of {', '.join(GOAL_STATUSES)}, got {status!r}")
        status = "active"
    refs, plans = fields.stakeholders()
    return GoalRecord(
        id=gid, path=path, title=title, stakeholder_refs=refs, plans=plans, started=fields.date("started"),
        target=fields.date("target"), status=status, follow_ups=tuple(_tasks(fields)),
        private=fields.private(in_private), body=fields.parsed.body, body_line=fields.parsed.body_line,
        body_links=_body_links(fields.parsed),
        key_lines=fields.key_lines())


def _comment(fields: Fields, path: str, in_private: bool) -> CommentRecord | None:
    author = fields.text("author")
    if not author:
        fields.missing("author", "a comment note")
    date = fields.date("date", required_for="a comment note")
    about = fields.refs("about")
    if fields.empty("about"):
        fields.missing("about", "a comment note")
    if not author or date is None or not about:
        return None
    return CommentRecord(
        id=note_id(path, "comments"), path=path, author=author, date=date, about=about[0],
        private=fields.private(in_private), body=fields.parsed.body, body_line=fields.parsed.body_line,
        body_links=_body_links(fields.parsed), key_lines=fields.key_lines())


_BUILDERS: dict[str, Callable[[Fields, str, bool], Record | None]] = {
    "people": _person, "interactions": _interaction, "goals": _goal, "comments": _comment}


def load_note(kind: str, path: str, data: bytes) -> NoteLoad:
    """One note's kind, journal-relative path and bytes -> its record and findings. Pure; never raises."""
    parsed = parse_note(data)
    if not isinstance(parsed, ParsedNote):
        return _without_record(kind, path, [Finding(parsed.code, parsed.message, Source(path, parsed.line))], data)
    fields = Fields(parsed, path)
    in_private = path.startswith(PRIVATE_FOLDER + "/")
    try:
        record = _BUILDERS[kind](fields, path, in_private)
        fields.unknown_fields(kind)
        fields.findings += [Finding("private-marker", message, Source(path, line))
                            for line, message in marker_problems(parsed.body, parsed.body_line)]
    except RecursionError:  # pragma: no cover - guarded by the nesting limit; kept as a last line
        record = None
        fields.findings = [Finding("invalid-front-matter", "the front matter nests too deeply", Source(path, 1))]
    if record is None:
        return _without_record(kind, path, fields.findings, data)
    if isinstance(record, PersonRecord):
        record = _keyed_as_meant(record, data)
    return NoteLoad(record, fields.findings)


def _keyed_as_meant(record: PersonRecord, data: bytes) -> PersonRecord:
    """RECORD, whose note is DATA, with the contacts its front matter's lines that hold a key or a list's dash
    written with a space that is no ASCII one after it give read leniently (salvage; below the keys above them)
    among its unlisted ones: YAML reads `links:` then `  github:\u00a0zq` as the text `github:\u00a0zq`, no
    handle, and `phone:` then `  telegram:\u00a0zq` so; read line by line, as the editor meant them, they are
    (helper-s54-b). Only those lines: another's text (`notes: |` then `  github: pat` of a shown Pat) is
    read as the note is read."""
    if data.isascii():
        return record
    text = decode(data)
    split = split_front_matter(text) if isinstance(text, str) else text
    if isinstance(split, NoteError) or not has_unicode_key(split[0]):
        return record
    found = [name for name in salvaged_names(record.path, _unicode_keyed_lines(split[0]).encode())
             if salvaged_contact(name) is not None]
    return dataclasses.replace(record, unlisted=tuple(dict.fromkeys((*record.unlisted, *found))))


def _unicode_keyed_lines(front: str) -> str:
    """The lines of FRONT, front matter, that hold a key or a list's dash written with a space that is no
    ASCII one after it (contacts.has_unicode_key), each after the lines of the keys it is below (each
    line once): linear. A block scalar's lines are a text's, whatever space follows a colon there (`notes: |`
    then `  Pat on github:\u00a0pat`: with an ASCII space, no key either)."""
    kept: list[str] = []
    above: list[tuple[int, str]] = []  # (indent, line) of the lines the next may be below, outermost first
    done = 0  # how many of ABOVE, the first, are kept already
    scalar = -1  # the indent of the line a block scalar begins on, whose more indented lines are its text
    for line in front.splitlines():
        stripped = line.lstrip(" ")
        if not stripped.strip() or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if indent > scalar >= 0:
            continue
        scalar = indent if starts_block_scalar(stripped) else -1
        while above and above[-1][0] >= indent:
            above.pop()
        done = min(done, len(above))
        above.append((indent, line))
        if has_unicode_key(line):
            kept += [text for _, text in above[done:]]
            done = len(above)
    return "\n".join(kept)


def unreadable_note(kind: str, rel: str, exc: OSError) -> NoteLoad:
    """The load of a note whose file cannot be read: an `unreadable-file` finding."""
    load = _without_record(kind, rel, [Finding("unreadable-file", f"cannot read the note: {exc.strerror or exc}",
                                               Source(rel))], b"")
    load.unread = True
    return load


def _without_record(kind: str, path: str, findings: list[Finding], data: bytes) -> NoteLoad:
    return NoteLoad(None, findings, salvaged_names(path, data) if kind == "people" else ())


def unread_why(load: NoteLoad) -> str:
    """Why the note of LOAD, an unreadable_note's, could not be read."""
    return load.findings[0].message if load.findings else "the file could not be read"


class UnknownNames(Exception):
    """Person notes that cannot be read: whom they name is unknown, so no audience's view can hide them."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems  # relative path -> why it cannot be read
        listed = "; ".join(f"{rel}: {why}" for rel, why in sorted(problems.items()))
        super().__init__(f"cannot read these person notes, or paths that may hold some, so this audience's view "
                         f"cannot hide whom they name: {listed}. Make them readable (mount or repair what a "
                         "symlink points to) or remove them")


def unread_people(files: JournalFiles | None, unread: dict[str, str], salvaged: Iterable[tuple[str, ...]] = ()
                  ) -> tuple[list[Record], list[tuple[str, ...]]]:
    """For an audience's view, what of whom a hidden person may be the notes that gave no record say: the
    names SALVAGED from person notes that could not be loaded (NoteLoad.names), and the person notes no
    note was read from (JournalFiles.unread_people): those below private/ (through a symlink) loaded, as the
    walk would have (their records, or the names of those that give none), and the names the others give
    (salvaged_names; skipped by the walk, they may be private). A shared one that cannot be read gives the
    name its file gives. Fails closed: UnknownNames
    when a person note below private/ (of them, or of UNREAD: relative path -> why its file could not be
    read), or a folder on the way to private/'s people, cannot be read: its person is hidden and their
    name unknown."""
    private = PRIVATE_FOLDER + "/"
    problems = {rel: why for rel, why in unread.items() if rel.startswith(private)}
    if files is not None:
        problems.update(files.unknown_people)
    records: list[Record] = []
    names: list[tuple[str, ...]] = list(salvaged)
    for rel, path in (files.unread_people.items() if files is not None else ()):
        try:
            data = read_head(path, MAX_NOTE_BYTES + 1)  # a longer note is too long, its names salvaged
        except OSError as exc:
            if rel.startswith(private):
                problems[rel] = exc.strerror or str(exc)
            names.append((note_id(rel, "people"),))
            continue
        if not rel.startswith(private):
            names.append(salvaged_names(rel, data))
        elif (load := load_note("people", rel, data)).record is not None:
            records.append(load.record)
        else:
            names.append(load.names)
    if problems:
        raise UnknownNames(problems)
    return records, names


def read_and_load(kind: str, rel: str, path: str | Path) -> NoteLoad:
    """Read one file and load it; I/O errors, and a file that is not a regular one, become an
    `unreadable-file` finding."""
    try:
        data = read_regular_file(path)
    except OSError as exc:
        return unreadable_note(kind, rel, exc)
    return load_note(kind, rel, data)


@dataclass
class LoadResult:
    config: Config
    records: list[Record]
    findings: list[Finding]
    note_count: int
    files: JournalFiles | None = None
    salvaged_names: tuple[tuple[str, ...], ...] = ()  # of each person note that could not be loaded (NoteLoad.names)
    unread_people: dict[str, str] = field(default_factory=dict)  # person notes whose file could not be read: why


PARALLEL_FROM = 2000  # notes to read: from this many, worker processes read them
_CHUNK = 256  # notes a worker loads at a time


def _load_chunk(items: list[tuple[str, str, str]]) -> list[NoteLoad]:
    return [read_and_load(kind, rel, path) for kind, rel, path in items]


def without_annex_names(root: Path, records: list[Record], findings: list[Finding]) -> list[Finding]:
    """FINDINGS less the missing names of private annexes: an annex needs none, it is of the person its
    shared note names (model.annex_paths)."""
    if not findings or not (root / PRIVATE_FOLDER / "people").is_dir():
        return findings
    annexes = annex_paths(records)
    return [f for f in findings if not (f.code == "missing-field" and f.path in annexes)]


def load_journal(root: Path, files: JournalFiles | None = None,
                 on_loaded: Callable[[int], None] | None = None) -> LoadResult:
    """Load config and every note of the journal at ROOT (many notes in worker processes: a note's load
    is a pure function of its path and bytes). FILES is a listing from an earlier walk; ON_LOADED(n)
    reports progress."""
    from .pool import parallel_map

    config, findings = load_config(root)
    if files is None:
        files = find_note_files(root, skip=(root / config.site_output,))
    findings.extend(files.findings)
    chunks = [(files.notes[i:i + _CHUNK],) for i in range(0, len(files.notes), _CHUNK)]
    parts = parallel_map(_load_chunk, chunks, lambda chunk: len(chunk[0]), on_loaded) \
        if len(files.notes) >= PARALLEL_FROM else None
    if parts is None:
        parts = []
        for (chunk,) in chunks:
            parts.append(_load_chunk(chunk))
            if on_loaded is not None:
                on_loaded(len(chunk))
    outcomes = [outcome for part in parts for outcome in part]
    records: list[Record] = [outcome.record for outcome in outcomes if outcome.record is not None]
    for outcome in outcomes:
        findings.extend(without_annex_names(root, records, outcome.findings))
    salvaged = tuple(outcome.names for outcome in outcomes if outcome.names)
    unread = {item[1]: unread_why(outcome) for item, outcome in zip(files.notes, outcomes, strict=True)
              if outcome.unread and outcome.names}
    return LoadResult(config, records, findings, len(files.notes), files, salvaged, unread)
