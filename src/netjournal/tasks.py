"""Task lines in a note body -> follow-ups with their line numbers.

Three due-date syntaxes are understood, as Obsidian users write them:
`- [ ] send the deck 📅 2026-12-01` (Tasks plugin), `- [ ] send the deck (due 2026-12-01)` and
`- [ ] send the deck [due:: 2026-12-01]` (Dataview). `- [x]` is done. Tasks inside code fences are text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_TASK = re.compile(r"^\s{0,12}(?:[-*+]|\d{1,9}[.)])\s+\[([ xX])\]\s+(.*)$")
_DUE_FORMS = (
    re.compile(r"📅\ufe0f?\s*(\S+)"),
    re.compile(r"\(\s*due:?\s+([^)\s]+)\s*\)", re.IGNORECASE),
    re.compile(r"\[\s*due\s*::\s*([^\]\s]+)\s*\]", re.IGNORECASE),
)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


@dataclass(frozen=True)
class BodyTask:
    what: str
    done: bool
    due: dt.date | None
    line: int
    bad_due: str | None = None  # the text of a due date that is not a real date


def find_tasks(body: str, first_line: int) -> list[BodyTask]:
    """Every task line in BODY; `first_line` is the note line number of the body's first line."""
    tasks = []
    fence: str | None = None
    for offset, line in enumerate(body.split("\n")):
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            fence = None if fence == marker else (fence or marker)
            continue
        if fence or "[" not in line:
            continue
        match = _TASK.match(line)
        if not match:
            continue
        text = match.group(2)
        due = bad_due = None
        for form in _DUE_FORMS:
            due_match = form.search(text)
            if due_match:
                raw = due_match.group(1)
                try:
                    due = dt.date.fromisoformat(raw)
                except ValueError:
                    bad_due = raw
                text = (text[: due_match.start()] + text[due_match.end():]).strip()
                break
        text = re.sub(r"\s{2,}", " ", text).strip()
        tasks.append(BodyTask(text, match.group(1) != " ", due, first_line + offset, bad_due))
    return tasks


_WIKILINK = re.compile(r"\[\[([^\[\]|#\n]{1,200})(?:#[^\[\]|\n]*)?(?:\|([^\[\]\n]{1,200}))?\]\]")


@dataclass(frozen=True)
class BodyLink:
    target: str
    label: str | None
    line: int


def find_wikilinks(body: str, first_line: int) -> list[BodyLink]:
    """Every `[[target]]`, `[[target|label]]` or `[[target#heading]]` in BODY with its note line."""
    links = []
    if "[[" not in body:
        return links
    for offset, line in enumerate(body.split("\n")):
        if "[[" in line:
            for match in _WIKILINK.finditer(line):
                links.append(BodyLink(match.group(1).strip(), match.group(2), first_line + offset))
    return links


_PRIVATE = re.compile(r"<!--\s*private\s*-->(.*?)(?:<!--\s*/private\s*-->|\Z)", re.DOTALL | re.IGNORECASE)


def private_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) offsets of `<!-- private -->…<!-- /private -->` passages, markers included.

    An unclosed passage runs to the end of the body: when in doubt, private.
    """
    if "<!--" not in body:
        return []
    return [match.span() for match in _PRIVATE.finditer(body)]


def split_private(body: str) -> list[tuple[bool, str]]:
    """The body as (is_private, text) segments, markers removed."""
    segments, position = [], 0
    for match in _PRIVATE.finditer(body) if "<!--" in body else ():
        if match.start() > position:
            segments.append((False, body[position:match.start()]))
        segments.append((True, match.group(1)))
        position = match.end()
    if position < len(body):
        segments.append((False, body[position:]))
    return segments


def private_lines(body: str, first_line: int) -> list[tuple[int, int]]:
    """Note line ranges (inclusive) covered by private passages."""
    return [(first_line + body.count("\n", 0, start), first_line + body.count("\n", 0, end))
            for start, end in private_spans(body)]


def strip_private(body: str) -> str:
    """The body without its private passages."""
    return "".join(text for private, text in split_private(body) if not private)
