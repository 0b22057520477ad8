"""One note's bytes -> front matter (with the line of every key) and body, guarded against hostile input.

Pure: the result depends only on the bytes, so it can be cached and run in parallel. Problems come back as
a `NoteError(message, line)`, never as an exception.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from .values import DATE_TIME, date_of

try:  # the C parser is ~10x faster; the pure-Python one is a complete fallback
    # CParser is what yaml.cyaml's loaders are made of; the stubs do not re-export it from yaml._yaml
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]

    _PARSER_BASES: tuple = (_Parser,)
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    _PARSER_BASES = (Reader, Scanner, Parser, Composer)

MAX_NOTE_BYTES = 8 * 1024 * 1024
MAX_FRONT_MATTER_BYTES = 256 * 1024
MAX_NESTING = 64
MAX_ALIASES = 16


@dataclass(frozen=True)
class NoteError:
    message: str
    line: int | None = None
    code: str = "invalid-front-matter"  # or "unreadable-file" when the bytes are not text we can read


@dataclass(frozen=True)
class ParsedNote:
    """Front matter values, the 1-based line of each top-level key and of each list item, and the body."""

    data: dict[str, Any]
    key_lines: dict[str, int]
    item_lines: dict[tuple[str, int], int]
    body: str
    body_line: int  # the line number of the body's first line


class _Resolver(BaseResolver):
    """YAML 1.2-like implicit types: `no`/`on` stay strings, `012345` stays a string, huge ints stay strings."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,17})$"), list("-+0123456789"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9]{0,17}\.[0-9]{1,17}(?:[eE][-+]?[0-9]{1,3})?|\.(?:inf|Inf|INF|nan|NaN|NAN))$"),
    list("-+0123456789."))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
# `<<: {…}` merges a mapping in (keys written beside it win, as in YAML 1.1): a merged `private: true` counts
_Resolver.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp", re.compile(f"^(?:{DATE_TIME.pattern})$"), list("0123456789"))


#: The longest scalar read as an explicit `!!int` or `!!float`: no number netjournal reads is longer, and
#: one of thousands of sexagesimal parts (`!!int 1:2:3:…`) costs PyYAML quadratic time, then prints as
#: more digits than Python converts
_LONGEST_NUMBER = 64
_LARGEST_INT = 10 ** 18  # as the resolver: larger whole numbers stay text (an id, a phone number)


class _Constructor(SafeConstructor):
    """Refuses duplicate keys (YAML's last-wins hides mistakes); a scalar that is not what its type says
    (an impossible date, `!!bool maybe`, `!!int x`, a huge number) stays a string, which the field's check
    reports at its line; a time of day after a date is read, and the date kept."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                if key_node.value in seen:
                    raise ConstructorError(
                        None, None,
                        f"duplicate key {key_node.value!r} (first on line {seen[key_node.value] + 2})",
                        key_node.start_mark)
                seen[key_node.value] = key_node.start_mark.line
        mapping = super().construct_mapping(node, deep=deep)  # merges (`<<`) flattened in first
        written = [(k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value == "private"]
        if len({v.value if isinstance(v, ScalarNode) else id(v) for _, v in written}) > 1:
            # a merged `private` and one written beside it that disagree: which was meant cannot be told
            raise ConstructorError(None, None, "'private' is given twice, by a merge (<<) and by the key, with "
                                   "different values", written[-1][0].start_mark)
        return mapping

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        text = self.construct_scalar(node)
        day = date_of(text) if len(text) <= _LONGEST_NUMBER else None
        return day if day is not None else text  # 2026-13-45: the field check reports it at its line

    def _number_or_text(self, node: ScalarNode, construct: Callable[[ScalarNode], Any]) -> Any:
        text = self.construct_scalar(node)
        if len(text) > _LONGEST_NUMBER:
            return text
        try:
            value = construct(node)
        except (ValueError, KeyError, IndexError, OverflowError):  # !!int '', !!bool maybe, !!float 1:2e999
            return text
        return text if isinstance(value, int) and abs(value) >= _LARGEST_INT else value

    def construct_yaml_int(self, node: ScalarNode) -> Any:
        return self._number_or_text(node, super().construct_yaml_int)

    def construct_yaml_float(self, node: ScalarNode) -> Any:
        return self._number_or_text(node, super().construct_yaml_float)

    def construct_yaml_bool(self, node: ScalarNode) -> Any:
        return self._number_or_text(node, super().construct_yaml_bool)


for _tag, _construct in (("timestamp", _Constructor.construct_yaml_timestamp), ("int", _Constructor.construct_yaml_int),
                         ("float", _Constructor.construct_yaml_float), ("bool", _Constructor.construct_yaml_bool)):
    # the stubs want a function of a whole Loader; PyYAML calls it with the constructor, which is all it uses
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_tag}", _construct)  # type: ignore[type-var]
# `key: value` with a plain key of `=` is YAML's value-key type; keep it a plain string.
_Constructor.add_constructor("tag:yaml.org,2002:value", SafeConstructor.construct_yaml_str)  # type: ignore[type-var]


class NoteLoader(*_PARSER_BASES, _Constructor, _Resolver):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        _PARSER_BASES[0].__init__(self, stream)
        if len(_PARSER_BASES) > 1:  # pure-Python: the Reader started the chain, start the rest
            for base in _PARSER_BASES[1:]:
                base.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


_LEADING_STRUCTURE = re.compile(r"^[ \t\-?:]*")
_ALIAS = re.compile(r"(?:^|[\s\[{,:])\*[^\s,\[\]{}]+")


_LONG_PREFIX = re.compile(rf"^[ \t\-?:]{{{MAX_NESTING + 1},}}", re.MULTILINE)


def _too_deep(text: str) -> bool:
    """A cheap upper bound on nesting, checked before parsing: deep YAML crashes the C composer."""
    if text.count("[") + text.count("{") <= MAX_NESTING and _LONG_PREFIX.search(text) is None:
        return False  # the usual note: too few brackets and no long indent to nest that deep
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif char in "]}":
            depth -= 1
    if deepest > MAX_NESTING:
        return True
    for line in text.splitlines():
        prefix = _LEADING_STRUCTURE.match(line).group(0)  # type: ignore[union-attr]
        if len(prefix) > MAX_NESTING * 4 or prefix.count("-") + prefix.count("?") > MAX_NESTING:
            return True
    return False


def decode(data: bytes) -> str | NoteError:
    """Bytes -> text with a BOM removed and CRLF/CR turned into LF."""
    if len(data) > MAX_NOTE_BYTES:
        return NoteError(f"the note is {len(data) / 1048576:.1f} MiB, more than netjournal's "
                         f"{MAX_NOTE_BYTES // 1048576} MiB limit for one note", None, "unreadable-file")
    if b"\x00" in data:
        return NoteError("the note contains NUL bytes: it is not a text file", None, "unreadable-file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return NoteError(f"the note is not valid UTF-8 (byte {exc.start}); re-save it as UTF-8", line,
                         "unreadable-file")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


class NoteFormat(YAMLHandler):
    """How a note is laid out, as a python-frontmatter handler: `---` on the first line, the front matter,
    `---` (or `...`) on a line of its own, then the body. The library splits notes with FM_BOUNDARY, and
    writes them with `format` (the note writer passes its YAML dumper through to `export`)."""

    # The fence lines docs/format.md names, and nothing else: `----` is no fence, and the space after one
    # stays on its line (the library's own pattern, `^-{3,}\s*$`, would take a following blank line too,
    # and every line number below it would be one off).
    FM_BOUNDARY = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)

    def format(self, post: Any, **kwargs: Any) -> str:
        """The note's text: the fences, the front matter, and the body straight after the closing fence
        (the library's own layout puts a blank line there, and strips the last line break)."""
        front = self.export(post.metadata, **kwargs)
        body = post.content
        return f"---\n{front}\n---\n{body}" + ("\n" if body and not body.endswith("\n") else "")


NOTE_FORMAT = NoteFormat()


def split_front_matter(text: str) -> tuple[str, str, int] | NoteError:
    """Text -> (front matter, body, body's first line). Front matter sits between `---` lines at the top."""
    if not text.startswith("---"):
        first = text.split("\n", 1)[0]
        return NoteError("the note has no front matter: its first line should be '---'"
                         + (f", not {first[:40]!r}" if first.strip() else ""), 1)
    if NOTE_FORMAT.FM_BOUNDARY.match(text) is None or text[:3] != "---":
        return NoteError("the first line should be exactly '---'", 1)
    try:
        front, body = NOTE_FORMAT.split(text)
    except ValueError:  # no closing fence: the library's split finds one fence only
        return NoteError("the front matter opened on line 1 is never closed with '---'", 1)
    # FRONT runs from the end of the first fence to the start of the second, line breaks included.
    return front[1:-1], body[1:], front.count("\n") + 2


def parse_front_matter(front: str) -> tuple[dict, dict[str, int], dict[tuple[str, int], int]] | NoteError:
    """YAML text -> (mapping, key -> line, (key, index) -> line). Lines are 1-based note lines."""
    if len(front) * 4 > MAX_FRONT_MATTER_BYTES and len(front.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        return NoteError(f"the front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB", 2)
    if _too_deep(front):
        return NoteError(f"the front matter nests deeper than {MAX_NESTING} levels", 2)
    if "*" in front and len(_ALIAS.findall(front)) > MAX_ALIASES:
        return NoteError(f"the front matter uses more than {MAX_ALIASES} YAML aliases", 2)
    if not front.strip(" \n"):  # not str.strip(): a no-break space, say, is a value to YAML
        return {}, {}, {}
    loader = NoteLoader(front)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, {}
        if not isinstance(node, MappingNode):
            kind = "a list" if isinstance(node, SequenceNode) else "a single value"
            return _odd_key(front.split("\n"), node.end_mark.line + 2) or NoteError(
                f"the front matter is {kind}, not a mapping of keys to values", node.start_mark.line + 2)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        return _yaml_error(front, exc)
    except yaml.YAMLError as exc:
        return NoteError(f"the front matter is not valid YAML: {exc}", 2)
    except Exception as exc:  # noqa: BLE001 - constructors raise more than YAMLError; none may escape
        # (ValueError, TypeError on unhashable keys, RecursionError, MemoryError, …)
        return NoteError(f"the front matter cannot be read: {type(exc).__name__}: {str(exc)[:200]}", 2)
    finally:
        loader.dispose()
    if not isinstance(data, dict):  # pragma: no cover - a MappingNode always constructs a dict
        return NoteError("the front matter is not a mapping", 2)
    bad_keys = [k for k in data if not isinstance(k, str)]
    if bad_keys:
        return NoteError(f"front matter keys must be text, got {bad_keys[0]!r}", 2)
    return (data, *_lines_of(node))


def _lines_of(node: MappingNode) -> tuple[dict[str, int], dict[tuple[str, int], int]]:
    """The note line of each key of NODE, and of each item of its lists."""
    key_lines: dict[str, int] = {}
    item_lines: dict[tuple[str, int], int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            continue
        key_lines[key_node.value] = key_node.start_mark.line + 2
        if isinstance(value_node, SequenceNode):
            for index, item in enumerate(value_node.value):
                item_lines[(key_node.value, index)] = item.start_mark.line + 2
    return key_lines, item_lines


_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
_KEY_VALUE = re.compile(r"( *(?:- +)?)([^\s:#'\"\[{][^:#]*?): +(\S.*)")
#: Unicode's space separators but the ASCII space, for a character class: blanks YAML takes for none (it reads
#: `dad:\u00a0…` as one text), which an editor or a paste may put after a key's colon
ODD_BLANKS = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
#: The line breaks str.splitlines knows besides `\n` and `\r` (a line or a paragraph separator, a form feed …)
ODD_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"
#: A key's colon followed by a space that YAML takes for none (a no-break space an editor or a paste put there)
_ODD_SPACE = re.compile(rf" *(?:- +)?([^\s:#'\"\[{{][^:#\uff1a]*?)(?::([{ODD_BLANKS}])|(\uff1a))")
#: A line (its indent the group) whose value is a block scalar (`notes: |`, `bio: >-`, `key: |2 # a comment`): the
#: more indented lines below it are its text; so a list's item's or an explicit key's (`- |`, `? >`), behind an
#: anchor or a tag (`notes: &n |`, `- !!str |`: helper-s54-c, their text was explained as keys), of a key with a
#: `#` inside a word (`a#b: |`) or quoted (`"my #notes": |`, helper-s55-attack). Matched whole, for _odd_key's
#: explanation and load's lines of a note read as the editor meant them (privacy-s55: load's own pattern saw no
#: anchor, tag or `?`, and a text's `github:\u00a0pat` hid a shown Pat's handle)
_BLOCK_SCALAR_START = re.compile(r"( *+)(?:[-?][ \t]++)*+"
                                 r"(?:(?:\"[^\"]*+\"|'(?:[^']|'')*+'|(?:[^#]|(?<=\S)#)*):[ \t]++)?"
                                 r"(?:[!&]\S*+[ \t]++){0,2}[|>][-+0-9]{0,2}[ \t]*(?:#.*)?")


def starts_block_scalar(line: str) -> re.Match[str] | None:
    """LINE's match of _BLOCK_SCALAR_START (its indent the group), if its value begins a block scalar: a group
    a character, the pattern is looked for only in a line that holds `|` or `>` (80 ms for 560,000 characters
    of a line without, the reviewer's)."""
    return _BLOCK_SCALAR_START.fullmatch(line) if "|" in line or ">" in line else None


#: A line whose value, or item, begins with a quote (`notes: "…`, `- '…`): the quote and what follows it
_QUOTED_START = re.compile(r" *+(?:-[ \t]++)*+(?:[^#'\"\s][^#]*?:[ \t]++)?(['\"])(.*)")


def _closes(text: str, quote: str) -> bool:
    """Does TEXT, what follows QUOTE in a quoted text, hold the quote that closes it (not `''` in single quotes
    nor an escaped `\\"` in double ones)?"""
    return quote in (text.replace("''", "") if quote == "'" else text.replace("\\\\", "").replace('\\"', ""))


def _odd_key(lines: list[str], upto: int) -> NoteError | None:
    """The first of LINES (front matter, the note's line 2 on) up to note line UPTO that looks like a key but
    is none to YAML, explained: a colon with a space after it YAML takes for none (`dad:\u00a0…`), or a
    full-width colon (`dad：…`, as a CJK input method types it). What YAML complains of comes later (a
    value it reads as going on) or is no complaint at all (the front matter read as one text)."""
    block: int | None = None  # the indentation of a block scalar's key, while its text goes on
    quote = ""  # the quote a quoted text over lines is closed with, while it goes on
    for number, text in enumerate(lines[:max(upto - 1, 0)], 2):
        if quote:  # a quoted text's line: `x：y` there is text, no key (helper-s54-c)
            quote = "" if _closes(text, quote) else quote
            continue
        indent = len(text) - len(text.lstrip(" "))
        if block is not None and (not text.strip() or indent > block):
            continue  # a block scalar's text: `x:\u00a0y` there is text, no key
        opened = _QUOTED_START.match(text)
        if opened is not None and not _closes(opened.group(2), opened.group(1)):
            quote = opened.group(1)
        blocked = starts_block_scalar(text)
        block = len(blocked.group(1)) if blocked is not None else None
        odd = _ODD_SPACE.match(text)
        if odd is None:
            continue
        key, space, colon = odd.groups()
        if colon:
            return NoteError(f"the colon after '{key}' is a full-width colon (U+FF1A), which YAML does not read "
                             "as one: type ':' and a space", number)
        return NoteError(f"the space after '{key}:' is a {unicodedata.name(space, 'space').lower()} "
                         f"(U+{ord(space):04X}), which YAML does not read as a space: type an ordinary space after "
                         "the colon", number)
    return None


def _yaml_error(front: str, exc: yaml.MarkedYAMLError) -> NoteError:
    """The note error for YAML's complaint EXC about FRONT: at the line at fault, in the user's words, with
    the fix, for the mistakes people make (a tab in the indentation, a colon in a value, a missing closing
    fence), else YAML's own words."""
    mark = exc.problem_mark or exc.context_mark
    last_line = front.count("\n") + 2  # an error "at the end of the stream" belongs to the last line
    line = min(mark.line + 2, last_line) if mark is not None else 2
    lines = front.split("\n")
    tab = _TAB_INDENT.search(front, 0, sum(len(text) + 1 for text in lines[:line - 1]))
    if tab is not None:
        tab_line = front.count("\n", 0, tab.start()) + 2
        return NoteError("this line is indented with a tab, and YAML allows only spaces there: replace the tab "
                         "with spaces", tab_line)
    context = exc.context_mark.line + 2 if exc.context_mark is not None else line
    odd = _odd_key(lines, max(line, context))  # `dad:\u00a0…` on this line or one before it
    if odd is not None:
        return odd
    problem = exc.problem or exc.context or "syntax error"
    text = lines[line - 2] if 2 <= line <= len(lines) + 1 else ""
    if problem.startswith("mapping values are not allowed"):
        pair = _KEY_VALUE.fullmatch(text.rstrip())
        if pair is not None:
            lead, key, value = pair.groups()
            if lead.strip() == "-" and lead.count("-") == 1 and " " not in key.strip():
                whole = f"{key}: {value}"  # a list item: the whole item is the text
                return NoteError(f"the list item {whole!r} contains ': ', which YAML reads as a key and a value; "
                                 f"put the item in quotes: - {_quoted(whole)}", line)
            return NoteError(f"the value of '{key.strip()}' contains ': ', which YAML reads as the start of another "
                             f"key; put the value in quotes: {lead.lstrip()}{key}: {_quoted(value)}", line)
    if problem == "could not find expected ':'" and exc.context_mark is not None:
        line = min(exc.context_mark.line + 2, last_line)  # where the line without a colon starts
        text = lines[line - 2]
        start = line
        while start > 2 and (not lines[start - 3].strip() or lines[start - 3].startswith("#")):
            start -= 1  # blank lines and `# headings` (YAML comments) before it belong to the body too
        if not text.startswith((" ", "-")) and (start < line or len(text.split()) > 2):
            return NoteError(
                f"{text[:60]!r} is not a `key: value` line; if the note's text starts here, the "
                f"front matter's closing '---' is missing: put a line '---' before line {start} (now the '---' "
                f"on line {last_line + 1} ends the front matter)", line)
        return NoteError(f"{text[:60]!r} is not a `key: value` line: put a ':' after the key, or "
                         "indent it under the key it belongs to", line)
    return NoteError(f"the front matter is not valid YAML: {problem}", line)


def _quoted(text: str) -> str:
    """TEXT in YAML's double quotes, for a message that shows the fix."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_note(data: bytes) -> ParsedNote | NoteError:
    """Bytes -> ParsedNote, or the first problem that stops the note from being read."""
    text = decode(data)
    if isinstance(text, NoteError):
        return text
    split = split_front_matter(text)
    if isinstance(split, NoteError):
        return split
    front, body, body_line = split
    parsed = parse_front_matter(front)
    if isinstance(parsed, NoteError):
        return parsed
    values, key_lines, item_lines = parsed
    return ParsedNote(values, key_lines, item_lines, body, body_line)
