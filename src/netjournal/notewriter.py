"""The one way netjournal writes notes: `init`, `new person`, `log` and every import (new notes and --merge).

A note is a `frontmatter.Post` written by python-frontmatter with netjournal's note format (notes.NoteFormat)
over PyYAML's safe dumper, set up to write what a person would: keys in the order given, short lists as
`[a, b]` and longer ones as indented block lists, empty values as `key:`, dates as dates, unicode as it is,
and every character YAML cannot carry as it stands in double quotes with an escape. Before anything is
written, the text is read back through netjournal's own loader and must give exactly the values it was
made from; after writing, every file is read back from disk and checked again. A write that cannot be read
back is refused with a message, and `Writes` removes whatever the command had created by then.
"""
from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import frontmatter
import yaml
from yaml.nodes import Node, ScalarNode

from .files import symlinked_folder
from .fsutil import atomic_write
from .load import load_note
from .notes import NOTE_FORMAT, NoteLoader, ParsedNote, parse_note

#: The most bytes a file name may have on the file systems people keep notes on (ext4, APFS, NTFS: 255).
MAX_NAME_BYTES = 255
_STR = "tag:yaml.org,2002:str"
# Characters a YAML scalar cannot hold as they are, or that would end its line: double quotes and an escape.
_NEEDS_ESCAPE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010fffe]|[\x85\u2028\u2029\ufeff]")
_FLOW_WIDTH = 60  # a list whose `[a, b]` form is longer than this is written as a block list


class WriteRefused(Exception):
    """A command cannot write what it was asked to; the message says why and what to do. Nothing it wrote
    is left behind."""


class _NoteReader:
    """What netjournal's note loader reads a plain scalar as (its resolver: `yes` is text, `1.5e3` a
    number), asked of a loader made once."""

    def __init__(self) -> None:
        self.loader = NoteLoader("")

    def tag(self, value: str) -> str:
        return self.loader.resolve(ScalarNode, value, (True, False))


_READER = _NoteReader()


class NoteDumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing as a person would and quoting whatever netjournal or plain YAML 1.1
    (Obsidian's and other tools' reading) would read as anything but the text it is."""

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        tag = super().resolve(kind, value, implicit)
        if kind is ScalarNode and implicit[0] and tag == _STR:
            return _READER.tag(value)
        return tag

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # list items indented under their key, as docs/format.md writes them


def _represent_none(dumper: NoteDumper, _: None) -> ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "")


def _represent_str(dumper: NoteDumper, text: str) -> ScalarNode:
    if _NEEDS_ESCAPE.search(text) or text.endswith("\n"):
        style = '"'  # (a literal block's last line break would be lost before the closing fence)
    elif "\n" in text:
        style = "|"
    else:
        style = None
    return dumper.represent_scalar(_STR, text, style=style)


def _represent_list(dumper: NoteDumper, items: Sequence[Any]) -> Node:
    flat = all(isinstance(item, (str, dt.date, int, float)) and "\n" not in str(item) for item in items)
    flow = flat and sum(len(str(item)) + 2 for item in items) <= _FLOW_WIDTH
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


NoteDumper.add_representer(type(None), _represent_none)
NoteDumper.add_representer(str, _represent_str)
NoteDumper.add_representer(list, _represent_list)
NoteDumper.add_representer(tuple, _represent_list)

_DUMP_OPTIONS: dict[str, Any] = {"Dumper": NoteDumper, "sort_keys": False, "allow_unicode": True,
                                 "default_flow_style": False, "width": 1 << 30}


def field_lines(key: str, value: Any) -> str:
    """`KEY: VALUE` as the note writer writes it, with its line break: one line, or the key's line and the
    value's lines below it (a long list). For a field added to a note that is otherwise kept as it is."""
    _refuse_unwritable(value, f"the value of {key}")
    return yaml.dump({key: value}, **_DUMP_OPTIONS)


class _FlowDumper(NoteDumper):
    """The note dumper with every list in flow style: items to put between the brackets of `key: []`."""


_FlowDumper.add_representer(list, lambda dumper, items: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", items, flow_style=True))


def flow_items(items: list) -> str:
    """ITEMS as they go between a flow list's brackets: `a, 'yes', "b: c"`."""
    _refuse_unwritable(items, "a value")
    return yaml.dump(items, **{**_DUMP_OPTIONS, "Dumper": _FlowDumper}).strip()[1:-1]


def _refuse_unwritable(value: Any, what: str) -> None:
    """Refuse text no UTF-8 file can hold: a lone surrogate (a command-line argument in another encoding)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise WriteRefused(f"{what} contains U+{ord(value[exc.start]):04X}, which is not a character a "
                               "text file can hold (was it typed in another encoding than UTF-8?); nothing was "
                               "written") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_unwritable(key, what)
            _refuse_unwritable(item, f"{what} ({key})" if isinstance(key, str) else what)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _refuse_unwritable(item, what)


def note_body(text: str) -> str:
    """TEXT as a note's body: line breaks as LF, ending with one (a body is what follows the closing fence)."""
    body = text.replace("\r\n", "\n").replace("\r", "\n")
    return body + "\n" if body and not body.endswith("\n") else body


@dataclass(frozen=True)
class NoteText:
    """A note ready to write: its text, and the front matter and body it must read back as."""

    kind: str  # people, interactions, goals, comments: which loader reads it
    rel: str  # the path below the journal, for messages and the loader
    text: str
    data: dict[str, Any]
    body: str

    @property
    def content(self) -> bytes:
        return self.text.encode("utf-8")

    def problem(self, content: bytes) -> str | None:
        """Why CONTENT does not read back as this note (through load_note, as `check` reads it), or None."""
        return read_back_problem(self.kind, self.rel, content, self.data, self.body)


def read_back_problem(kind: str, rel: str, content: bytes, data: dict[str, Any], body: str) -> str | None:
    """Why netjournal's loader does not read CONTENT as front matter DATA and BODY, or None when it does."""
    parsed = parse_note(content)
    if not isinstance(parsed, ParsedNote):
        return parsed.message + (f" (line {parsed.line})" if parsed.line else "")
    if parsed.data != data:
        key = next((k for k in {**data, **parsed.data} if parsed.data.get(k, ...) != data.get(k, ...)), "?")
        return f"'{key}' would read back as {parsed.data.get(key)!r}, not {data.get(key)!r}"
    if parsed.body != body:
        return "the text would read back otherwise"
    unreadable = [f for f in load_note(kind, rel, content).findings
                  if f.code in ("invalid-front-matter", "unreadable-file")]
    return unreadable[0].message if unreadable else None


def note_text(kind: str, rel: str, metadata: dict[str, Any], body: str = "") -> NoteText:
    """The note python-frontmatter writes for METADATA (in its order) and BODY, checked to read back exactly.

    Raises WriteRefused when it cannot be written so: a character no text file holds, a NUL in the body
    (a note with one is not text), or anything else the loader would read otherwise."""
    _refuse_unwritable(metadata, f"{rel}: a value")
    _refuse_unwritable(body, f"{rel}: the text")
    if "\x00" in body:
        raise WriteRefused(f"{rel}: the text contains a NUL character (U+0000), which a note cannot hold; "
                           "nothing was written")
    body = note_body(body)
    post = frontmatter.Post(body)
    post.metadata.update(metadata)  # (not as keyword arguments: a key may be named `content` or `handler`)
    text = frontmatter.dumps(post, handler=NOTE_FORMAT, **_DUMP_OPTIONS)
    note = NoteText(kind, rel, text, dict(metadata), body)
    problem = note.problem(note.content)
    if problem is not None:
        raise WriteRefused(f"{rel}: netjournal cannot write this note so that it reads back as given: {problem}; "
                           "nothing was written")
    return note


def check_file_name(path: Path, what: str) -> None:
    """Refuse a file name longer than file systems allow, in a line that says which value made it so."""
    size = len(os.fsencode(path.name))
    if size > MAX_NAME_BYTES:
        raise WriteRefused(f"{what} makes the file name {path.name[:40]}… {size} bytes long, and a file name "
                           f"may have at most {MAX_NAME_BYTES}: use a shorter one; nothing was written")


class Writes:
    """Everything one command writes, all or nothing. New files are created exclusively (never over
    anything), replaced notes go through a temporary file renamed over them; `finish` reads every file back
    from disk. Used as a context manager: if the block fails, the files and folders it created are
    removed and replaced notes get their own bytes back. With INSIDE (the journal), a file is never created
    through a symlinked folder of it (out of the journal, or into a folder its walk does not read)."""

    def __init__(self, inside: Path | None = None) -> None:
        self.inside = inside
        self.created: list[tuple[Path, bytes]] = []
        self.folders: list[Path] = []
        self.replaced: list[tuple[Path, bytes, bytes]] = []  # path, its bytes before, its bytes now
        self.checks: list[tuple[Path, Callable[[bytes], str | None]]] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            self.undo()

    def folder(self, path: Path) -> None:
        """Make folder PATH and its missing parents, remembering which were made here."""
        missing = []
        for folder in [path, *path.parents]:
            if os.path.isdir(folder):
                break
            missing.append(folder)
        for folder in reversed(missing):
            try:
                folder.mkdir()
            except FileExistsError:
                if not folder.is_dir():
                    raise WriteRefused(f"cannot make the folder {folder}: something else is there (a file, or a "
                                       "broken symlink); nothing was written") from None
                continue
            except OSError as exc:
                raise _refused(folder, exc) from None
            self.folders.append(folder)

    def create(self, path: Path, content: bytes, check: Callable[[bytes], str | None] | None = None) -> None:
        """Write a new file; fail if anything is there (no race between a look and the write)."""
        check_file_name(path, "the name")
        self.folder(path.parent)
        if self.inside is not None:  # through no symlinked folder: the journal's walk follows none
            rel = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(self.inside))).as_posix()
            if rel.split("/")[0] == ".." or symlinked_folder(self.inside, rel) is not None:
                raise WriteRefused(f"{path.parent} leads elsewhere (to {os.path.realpath(path.parent)}, through a "
                                   "symlink), where the journal is not read; nothing was written")
        try:
            with open(path, "xb") as handle:
                self.created.append((path, content))
                handle.write(content)
        except FileExistsError:
            raise  # the caller may pick another name
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                raise WriteRefused(f"the file name {path.name[:40]}… is too long for this file system; use a "
                                   "shorter name; nothing was written") from None
            raise _refused(path, exc) from None
        if check is not None:
            self.checks.append((path, check))

    def create_note(self, path: Path, note: NoteText) -> None:
        self.create(path, note.content, note.problem)

    def replace(self, path: Path, before: bytes, content: bytes, check: Callable[[bytes], str | None]) -> None:
        """Put CONTENT in place of the note at PATH, which must still hold BEFORE (it is the user's: if it
        changed since it was read, nothing is replaced). A symlinked note is written where it points."""
        target = Path(os.path.realpath(path))
        if target.read_bytes() != before:
            raise WriteRefused(f"{path} changed while netjournal was about to write it; nothing was written")
        if os.stat(target).st_nlink > 1:  # a new file renamed over one name would leave the others the old text
            raise WriteRefused(f"{path} has other names (hard links, such as a private note's shared copy): "
                               "replacing it would split them; nothing was written")
        try:
            _put(target, content)
        except OSError as exc:
            raise _refused(path, exc) from None
        self.replaced.append((target, before, content))
        self.checks.append((target, check))

    def finish(self) -> None:
        """Read every file written back from disk: the same bytes, and each note as the loader reads it."""
        written = {path: content for path, content in self.created}
        written.update((path, content) for path, _, content in self.replaced)
        for path, content in written.items():
            if path.read_bytes() != content:
                raise WriteRefused(f"{path} did not read back as written; nothing was kept")
        for path, check in self.checks:
            problem = check(path.read_bytes())
            if problem is not None:
                raise WriteRefused(f"{path} would not read back as written ({problem}); nothing was kept")

    def paths(self) -> Iterator[Path]:
        yield from (path for path, _ in self.created)

    def undo(self) -> None:
        """Remove what was created (a file only while it holds what was written), put back what was replaced."""
        for path, content in reversed(self.created):
            try:
                if path.read_bytes() == content:
                    path.unlink()
            except OSError:
                pass
        for target, before, content in reversed(self.replaced):
            try:
                if target.read_bytes() == content:
                    _put(target, before)
            except OSError:
                pass
        for folder in reversed(self.folders):
            try:
                folder.rmdir()  # only when empty: never a folder with anything else in it
            except OSError:
                pass


def _put(target: Path, content: bytes) -> None:
    """Replace the file TARGET by one holding CONTENT, with its permissions, in one rename."""
    atomic_write(target, content, mode=stat.S_IMODE(os.stat(target).st_mode), durable=True)


def _refused(path: Path, exc: OSError) -> WriteRefused:
    return WriteRefused(f"cannot write {path}: {exc.strerror or exc}; nothing was written")
