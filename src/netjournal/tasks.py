"""Task lines in a note body -> follow-ups with their line numbers.

Three due-date syntaxes are understood, as Obsidian users write them:
`- [ ] send the deck 📅 2026-12-01` (Tasks plugin), `- [ ] send the deck (due 2026-12-01)` and
`- [ ] send the deck [due:: 2026-12-01]` (Dataview). `- [x]` is done. Tasks inside code fences are text.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from .redact import tag_key

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


#: The longest text between a wikilink's brackets: `[[target#heading|label]]` of 402 characters in all
WIKILINK_MAX = 398
# What may be a wikilink, `[[INNER]]`: `wikilink_parts` says whether it is one. The one rule for wikilinks,
# shared by the loader's references, the audience's rewriting and the site's renderer (site/markdown.py).
_WIKILINK = re.compile(rf"\[\[([^\[\]\n]{{1,{WIKILINK_MAX}}})\]\]")


def wikilink_parts(inner: str) -> tuple[str, str | None] | None:
    """The (target, label or None) of a wikilink `[[INNER]]` (`target`, `target#heading` or `target|label`),
    or None where it is none: longer than WIKILINK_MAX, over two lines, with a bracket in it, or naming
    nothing."""
    if len(inner) > WIKILINK_MAX or "\n" in inner or "[" in inner or "]" in inner:
        return None
    head, bar, label = inner.partition("|")
    target = head.split("#", 1)[0].strip()
    return (target, label if bar and label.strip() else None) if target else None


@dataclass(frozen=True)
class BodyLink:
    target: str
    label: str | None
    line: int


def find_wikilinks(body: str, first_line: int) -> list[BodyLink]:
    """Every `[[target]]`, `[[target|label]]` or `[[target#heading]]` in BODY with its note line."""
    links: list[BodyLink] = []
    if "[[" not in body:
        return links
    for offset, line in enumerate(body.split("\n")):
        if "[[" in line:
            for match in _WIKILINK.finditer(line):
                parts = wikilink_parts(match.group(1))
                if parts is not None:
                    links.append(BodyLink(parts[0], parts[1], first_line + offset))
    return links


# An HTML comment, or the first line of one never closed
_COMMENT = re.compile(r"<!--(.*?)-->|<!--([^\n]*)", re.DOTALL)
# A word, with the combining marks case folding can leave in it (`İ` folds to `i` and a dot above); an
# underscore separates words (`private_notes`, `p_r_i_v_a_t_e`)
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+")


def _marker(content: str) -> str | None:
    """What the HTML comment `<!--CONTENT-->` is: "open" (`<!-- private -->`), "close" (`<!-- /private -->`),
    "unclear" (one that looks like a marker and is neither, such as `<!-- PRIVATE: reason -->`, `<!-- privat -->`,
    `<!--- private --->` or `<!-- p-r-i-v-a-t-e -->`: it opens a passage, since a marker that was meant is
    never to publish what follows it), or None (any other comment).

    CONTENT is read as the front matter's `private` key is (`tag_key`): a marker spelled with zero-width
    characters, soft hyphens, fullwidth letters or other spaces looks like the marker to whoever wrote it,
    and is one."""
    reading = tag_key(content)
    if reading == "private":
        return "open"
    if reading == "/private":
        return "close"
    words = _WORD.findall(reading)
    if any(5 <= len(word) <= 10 and difflib.SequenceMatcher(None, word, "private").ratio() >= 0.8
           for word in (*words, "".join(words))):  # the words run together: a word spelled out in pieces
        return "unclear"
    return None


@dataclass(frozen=True)
class PrivateMarker:
    """A comment in a body that opens or closes a private passage, or that looks like a marker (unclear)."""

    kind: str  # "open", "close" or "unclear" (which opens a passage)
    start: int
    end: int
    stray: bool = False  # a closing marker with no passage open


def private_markers(body: str) -> list[PrivateMarker]:
    """Every marker of BODY in order (see _marker)."""
    if "<!--" not in body:
        return []
    markers, depth = [], 0
    for match in _COMMENT.finditer(body):
        kind = _marker(match.group(1) if match.group(1) is not None else match.group(2))
        if kind is None:
            continue
        stray = kind == "close" and depth == 0
        depth = depth - 1 if kind == "close" and depth else depth + (kind != "close")
        markers.append(PrivateMarker(kind, match.start(), match.end(), stray))
    return markers


def marker_problems(body: str, first_line: int) -> list[tuple[int, str]]:
    """(note line, message) for each marker of BODY that is not written exactly, or closes nothing."""
    problems = []
    for marker in private_markers(body):
        line = first_line + body.count("\n", 0, marker.start)
        if marker.kind == "unclear":
            shown = body[marker.start:marker.end].split("\n", 1)[0][:60]
            problems.append((line, (f"{shown!r} looks like a private marker but is not exactly '<!-- private -->' "
                                    "or '<!-- /private -->': the text after it counts as a private passage")))
        elif marker.stray:
            problems.append((line, ("'<!-- /private -->' closes no private passage: was the opening marker "
                                    "mistyped? (the text before it is not private)")))
    return problems


def _passages(body: str) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Each private passage as (start, end, its text's pieces between markers): markers nest (an inner
    passage closes before the outer one does); one left open runs to the end of the body."""
    passages: list[tuple[int, int, list[tuple[int, int]]]] = []
    depth, start, position = 0, 0, 0
    pieces: list[tuple[int, int]] = []
    for marker in private_markers(body):
        if marker.stray:  # a closing marker with nothing open: a passage of nothing (the marker goes)
            passages.append((marker.start, marker.end, []))
            continue
        if depth:
            pieces.append((position, marker.start))
        if marker.kind == "close":
            if depth == 1:
                passages.append((start, marker.end, pieces))
            depth = max(depth - 1, 0)
        else:
            if depth == 0:
                start, pieces = marker.start, []
            depth += 1
        position = marker.end
    if depth:
        pieces.append((position, len(body)))
        passages.append((start, len(body), pieces))
    return passages


def private_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) offsets of private passages, markers included.

    Markers nest, an unclosed passage runs to the end of the body, and a comment that looks like a marker
    opens one: when in doubt, private.
    """
    return [(start, end) for start, end, pieces in _passages(body) if pieces]  # not a stray closing marker


def split_private(body: str) -> list[tuple[bool, str]]:
    """The body as (is_private, text) segments, markers removed."""
    segments: list[tuple[bool, str]] = []
    position = 0
    for start, end, pieces in _passages(body):
        if start > position:
            segments.append((False, body[position:start]))
        if pieces:
            segments.append((True, "".join(body[a:b] for a, b in pieces)))
        position = end
    if position < len(body):
        segments.append((False, body[position:]))
    merged: list[tuple[bool, str]] = []  # public text on both sides of a stray closing marker is one text
    for private, text in segments:
        if merged and not private and not merged[-1][0]:
            merged[-1] = (False, merged[-1][1] + text)
        else:
            merged.append((private, text))
    return merged

def private_lines(body: str, first_line: int) -> list[tuple[int, int]]:
    """Note line ranges (inclusive) covered by private passages."""
    return [(first_line + body.count("\n", 0, start), first_line + body.count("\n", 0, end))
            for start, end in private_spans(body)]


def strip_private(body: str) -> str:
    """The body without its private passages."""
    return "".join(text for private, text in split_private(body) if not private)
