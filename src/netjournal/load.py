"""Turn every note of a journal into a record, collecting findings instead of raising.

`load_note` is a pure function of (kind, path, bytes): that is what a cache or a process pool wraps.
`load_journal` reads the notes `walk.find_note_files` finds (people/, interactions/, goals/, comments/, and
the same inside private/) and returns the records plus every finding; `fields` reads the front matter.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .config import Config, load_config
from .contacts import PROFILE_KEYS, SALVAGED, URL, salvaged, sure_contacts
from .fields import Fields, describe
from .files import read_head, read_regular_file
from .findings import Finding, Source
from .keys import close_to, contact_synonym, looks_like_contact, said_as
from .notes import MAX_NOTE_BYTES, ParsedNote, parse_note
from .paths import PRIVATE_FOLDER
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
from .tasks import find_tasks, find_wikilinks, marker_problems
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


def note_id(path: str, kind: str) -> str:
    """The id of a note: the file stem (people, goals) or the path below its folder (interactions)."""
    # string operations, not PurePosixPath: this runs for every note of every load
    if path.startswith(PRIVATE_FOLDER + "/"):
        path = path[len(PRIVATE_FOLDER) + 1:]
    if kind == "interactions":
        text = path.split("/", 1)[1] if "/" in path else path
    else:
        text = path.rsplit("/", 1)[-1]
    if text.endswith(".md"):  # always, for a note the walker found
        text = text[: -len(".md")]
    return text if text.isascii() else unicodedata.normalize("NFC", text)


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
        else None, dates=fields.dates(), unlisted=fields.unlisted_contacts(), mentioned=fields.mentioned_contacts(),
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
    return NoteLoad(record, fields.findings)


def unreadable_note(kind: str, rel: str, exc: OSError) -> NoteLoad:
    """The load of a note whose file cannot be read: an `unreadable-file` finding."""
    load = _without_record(kind, rel, [Finding("unreadable-file", f"cannot read the note: {exc.strerror or exc}",
                                               Source(rel))], b"")
    load.unread = True
    return load


def _without_record(kind: str, path: str, findings: list[Finding], data: bytes) -> NoteLoad:
    return NoteLoad(None, findings, salvaged_names(path, data) if kind == "people" else ())


#: How much of a note salvaged_names reads, and how many names it keeps
_SALVAGE_LINES, _SALVAGE_NAMES, _LONGEST_NAME = 1000, 200, 200
_BLOCK_SCALAR = ("|", ">", "|-", ">-", "|+", ">+")


def _salvaged_field(written: str) -> str | None:
    """The field a key of a note that cannot be loaded reads as (`name`, `aliases` or a contact's, also
    under a key that says one: `mobile`, `twiter`); None for any other key."""
    key = close_to(written, ("name", "aliases", "email", "phone", "links"))
    if key is None:
        found = contact_synonym(written)
        key = found[0] if found is not None else None
    return key


def salvaged_names(path: str, data: bytes) -> tuple[str, ...]:
    """What a person note that could not be loaded seems to say of whom it is about, read leniently: its id,
    and under each key of its first lines (body too: fail closed) that reads as `name` or `aliases` (or
    `email`, `phone` or `links`: an audience hides a hidden person's contacts too, marked as such by
    contacts.salvaged), what
    follows it on its line and on the lines it continues on (list items, a flow list's next lines, a block
    scalar's lines; comment and blank lines between them), comments cut off, aliases split at commas,
    brackets and quotes dropped, escapes in double quotes and YAML aliases of anchors read. The note may be
    private and its person hidden: an audience hides these names (fail closed)."""
    names = [note_id(path, "people")]
    found: list[tuple[str, str, str]] = []  # (key, text, the key as written) after the id
    lines = _salvage_text(data).splitlines()[:_SALVAGE_LINES]
    anchors = dict(_SALVAGE_ANCHOR.findall("\n".join(lines)))
    key: str | None = None
    under = ""  # the key as written
    block: list[str] = []

    def flush() -> None:
        if key == "name":
            found.append((key, " ".join(block), under))  # a name over several lines (a block scalar's), as folded
        elif key is not None:
            found.extend((key, text, under) for text in block)
            if key == "phone" and len(block) > 1:  # a number over two lines, as folded
                found.append((key, " ".join(block), under))

    for line in (part for written in lines for part in _flow_parts(written)):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "%")) or stripped == "---":
            continue  # a blank, comment, directive or fence line continues what came before it
        head, _, value = line.partition(":")
        explicit = stripped.startswith("? ")  # `? name` then `: Ada`
        is_key = explicit or _SALVAGE_KEY.match(line) is not None
        written_key = (stripped[2:] if explicit else head).strip().strip("'\"").lstrip("-?{ \t")
        # a key below a contact's or the aliases is a label (`work: zq@example.org`, `Zeddy: nick`), not one
        # that says a contact of its own (`phone:` then `skype:` below `contact:`)
        labels = (key == "aliases" and (stripped.startswith("-") or _written_as_name(written_key))
                  or key in _CONTACT_KEYS and _salvaged_field(written_key) is None)
        if key is not None and (not is_key or labels) and (line[:1].isspace() or stripped[:1] in "-:"):
            # KEY's value goes on (a contact's label, `github: https://…`, `- work: zq@example.org`, with it)
            block.append(_SALVAGE_TAG.sub("", _SALVAGE_COMMENT.sub("", stripped).lstrip("-:").strip()))
            continue
        flush()
        key, under = (_salvaged_field(written_key) if is_key else None), written_key
        block = []
        value = "" if explicit else _SALVAGE_TAG.sub("", _SALVAGE_COMMENT.sub("", value).strip())
        if key is not None and value not in _BLOCK_SCALAR:
            block.append(value)
    flush()
    names += _salvaged_values(found, anchors)
    # and what is surely a contact on any line (`fax: +45 …`, `write to zq@example.org`)
    names += [salvaged(field, text) for line in lines
              for part in dict.fromkeys((line, line.partition(": ")[2].strip("'\" ")))  # `home_line: 030 …`
              for field, text in sure_contacts(part)]
    return tuple(dict.fromkeys(names))[:_SALVAGE_NAMES]


def _salvaged_values(found: list[tuple[str, str, str]], anchors: dict[str, str]) -> list[str]:
    """The names and marked contacts of FOUND, (key, text, the key as written) as salvaged_names reads them."""
    names: list[str] = []
    for found_key, text, under in found:
        # under a key that says the field (`mobile:`), only what looks like one
        said, exact = said_as(under, found_key) if found_key in _CONTACT_KEYS else (found_key, True)
        for part in text.split(","):
            cleaned = _salvage_scalar(part.strip().strip("[]{}").strip(), anchors).replace(SALVAGED, "")[:_LONGEST_NAME]
            if not cleaned:
                continue
            if under.casefold() != found_key and found_key in _CONTACT_KEYS:
                cleaned = cleaned.rpartition(": ")[2].strip("'\" ")  # `{main: '@zeddy'}`: the value
                if not looks_like_contact(found_key, said, cleaned, exact):
                    continue
            if found_key == "links" and said in PROFILE_KEYS:
                cleaned = f"{said}: {cleaned}"  # a handle, said to be one (redaction.link_handles)
            if found_key == "aliases" and ": " in cleaned:  # `- Zeddy: nick`, `- nick: Zeddy`: a mapping to
                # YAML, its key an alias, and its value if written as a name (not `old friend`, a flow's `x: 1`)
                alias, _, said = (part.strip("'\" ") for part in cleaned.partition(": "))
                names += [alias, *([said] if _written_as_name(said) else [])]
            else:
                names.append(cleaned if found_key in ("name", "aliases") else salvaged(found_key, cleaned))
    return names


def _written_as_name(text: str) -> bool:
    """Does TEXT hold a capital or a letter of a script without case (`Zeddy`, `小泽`; not `old friend`)?"""
    return any(char.isupper() or char.isalpha() and char.lower() == char.upper() for char in text)


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


def _salvage_text(data: bytes) -> str:
    """DATA as text however it was saved: UTF-32 or UTF-16 (with its mark), UTF-16 or UTF-32 without one
    (NULs in it: the reading with the most ASCII in it), UTF-8, else Latin-1."""
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):  # UTF-32's mark begins as UTF-16's does
        return data.decode("utf-32", errors="replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data:
        readings = []
        for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            readings.append((sum("\x00" < char < "\x80" for char in text[:4096]), text))
        if readings:
            return max(readings)[1]
    try:
        return data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _salvage_scalar(text: str, anchors: dict[str, str]) -> str:
    """TEXT of a YAML value, its quotes and escapes read (`"Ada\\x20L"`), or an anchor's text for an alias."""
    if text.startswith("*") and text[1:] in anchors:
        text = anchors[text[1:]].strip()
    if text.startswith("&"):  # an anchor's name before its text
        text = text.partition(" ")[2].strip()
    if text[:1] == '"' and len(text) > 1:
        try:
            read = yaml.safe_load(text)
        except yaml.YAMLError:
            read = None
        if isinstance(read, str):
            return read.strip()
    return text.strip("'\"").strip()


# `name: &n Ada Lovelace`; an anchor's name holds no `&`, so a line of them is read in linear time
_SALVAGE_ANCHOR = re.compile(r"&([^\s,\[\]{}&]++)[ \t]++([^\n#,\]}]++)")


def _flow_parts(line: str) -> list[str]:
    """A line of a flow mapping (`{name: Ada, aliases: [A]}`, `contact: {tel: …}`) as lines of its own: each
    part after the first indented, which continues a key's value unless it is a key."""
    key, colon, value = line.partition(": ")
    if colon and value.lstrip().startswith("{"):  # `contact: {tel: …, github: …}`: the key, then its parts
        return [f"{key}:", *(" " + part for part in value.strip().strip("{}").split(","))]
    if not line.lstrip().startswith("{"):
        return [line]
    first, *rest = line.strip().strip("{}").split(",")
    return [first, *(" " + part for part in rest)]


_CONTACT_KEYS = ("email", "phone", "links")
# `key:`, `- key:`, `"key":`, and at a line's start words (`Phone Number:`; an alias `- Ada Lovelace: …` is none)
_SALVAGE_KEY = re.compile(r"[\s?{-]*+['\"]?[^\s:'\"]++['\"]?[ \t]*:(?:\s|$)"  # linear: `-----…` a line
                          r"|[^\s?{'\"#:-][^:'\"\n]{0,38}[^\s:'\"][ \t]*:(?:\s|$)")
_SALVAGE_TAG = re.compile(r"^(?:!\S*\s*)+")  # a value's YAML tag: `!!str Ada`, `!!seq [A]`
_SALVAGE_COMMENT = re.compile(r"(?:^|\s)#.*$")  # a YAML comment (one inside quotes is cut too: names rarely hold #)


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
