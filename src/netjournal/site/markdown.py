"""Note bodies -> safe HTML: markdown-it-py's js-default preset (raw HTML off), a strict link allowlist,
and [[wikilinks]] rendered as links to the page of the person, goal or interaction they name.

A body is rendered in two steps so the expensive one is a pure function of the text (cached, run in
worker processes): `prerender` leaves a hole for each wikilink, and `fill` puts in the links once the
model knows what each target resolves to.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from ..tasks import WIKILINK_MAX, split_private, wikilink_parts
from ..tuplestate import tuple_state

_SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def safe_url(url: str) -> str | None:
    """URL if it is http(s), mailto, tel or relative; None for javascript:, data:, vbscript: and the rest.

    Browsers drop tabs, newlines and control characters inside URLs, so `java\\tscript:` is checked as
    `javascript:`.
    """
    compact = _INVISIBLE.sub("", url)
    stripped = url.strip()
    if legal_html(stripped) != stripped or _WHITE_CONTROL.search(stripped):  # no address holds one
        return None
    match = _SCHEME.match(compact)
    if match is None:
        return url.strip() if not compact.startswith(("//", "\\\\", "/\\", "\\/")) else None
    return url.strip() if match.group(1).lower() in _SAFE_SCHEMES else None


_WHITE_CONTROL = re.compile("[\t\n\x0c\r]")  # what HTML allows in a page but no address holds


def is_address(url: str) -> bool:
    """Is URL, a person's link as written, an address (`https://…`, `mailto:…`, `www.…`, a domain, a path)
    rather than a handle (`@zeddy`, `in/zq-4242`, `@zq@hachyderm.io`), which is shown, not linked?"""
    return bool(_ADDRESS.match(url.strip()))


_ADDRESS = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|www\.|[./#?]|[\w-]+(?:\.[\w-]+)+(?:[/:?#]|$)"
                      r"|[\w-]+/[\w./-]*\.\w{1,5}$")  # a file's relative path: `notes/cv.pdf`


#: What HTML allows in no page (control characters other than white space, noncharacters), which a note may
#: hold (`name: "Ada\a"`, a body pasted from a terminal): shown as U+FFFD, as a browser would. Ranges only
#: (a class listing the 34 noncharacters of the other planes took seven times as long to scan a page):
#: above the first plane, `_legal` keeps what is no noncharacter
_NOT_IN_HTML = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff]")


def legal_html(html: str) -> str:
    """HTML with what HTML allows in no page (_NOT_IN_HTML) as U+FFFD."""
    return _NOT_IN_HTML.sub(_legal, html)


def _legal(found: re.Match) -> str:
    char = found.group(0)
    return "\ufffd" if char < "\U00010000" or ord(char) & 0xFFFE == 0xFFFE else char


def _wikilink_parts(inner: str) -> tuple[str, str] | None:
    """The (target, label shown) of a wikilink `[[INNER]]` (tasks.wikilink_parts: the one rule), or None."""
    parts = wikilink_parts(inner)
    if parts is None:
        return None
    return parts[0], (parts[1] or inner.partition("|")[0]).strip()


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    end = src.find("]]", pos + 2, pos + 4 + WIKILINK_MAX)  # bounded: "[[" * n must not be quadratic
    parts = _wikilink_parts(src[pos + 2:end]) if end >= 0 else None
    if parts is None:
        return False
    if not silent:
        token = state.push("wikilink", "a", 0)
        token.meta = {"target": parts[0], "label": parts[1]}
    state.pos = end + 2
    return True


def _demoted(level: int) -> int:
    """A body's `# Heading` sits under the page's own h1 and h2: it is rendered two levels lower."""
    return min(6, level + 2)


def _demote_headings(state) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{_demoted(int(token.tag[1]))}"


_TASK_MARK = re.compile(r"^\[([ xX])\]\s+")


def _task_class_and_mark(box: str) -> tuple[str, str]:
    """The class of a task's list item and the mark its text starts with, for the box `[BOX]`."""
    return ("task", "☐ ") if box == " " else ("task done", "☑ ")


def _hole(index: int) -> str:
    """Where prerendered HTML leaves wikilink INDEX's link to be filled in (see `fill`). NUL cannot occur in
    the output otherwise: markdown-it replaces it in the input."""
    return f"\x00{index}\x00"


def _task_items(state) -> None:
    """`- [ ] x` / `- [x] x` list items render with a ☐ / ☑ mark instead of the raw brackets."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline" or index < 2 or tokens[index - 2].type != "list_item_open":
            continue
        first = token.children[0] if token.children else None
        if first is None or first.type != "text":
            continue
        match = _TASK_MARK.match(first.content)
        if match:
            css, mark = _task_class_and_mark(match.group(1))
            first.content = mark + first.content[match.end():]
            tokens[index - 2].attrSet("class", css)


def make_renderer() -> MarkdownIt:
    md = MarkdownIt("js-default")
    md.core.ruler.push("demote_headings", _demote_headings)
    md.core.ruler.push("task_items", _task_items)
    md.validateLink = lambda url: safe_url(url) is not None  # type: ignore[method-assign]
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)

    def render_wikilink(self, tokens, idx, options, env) -> str:
        meta, holes = tokens[idx].meta, env["holes"]  # prerender's: the links are filled in by `fill`
        holes.append((meta["target"], escape(meta["label"])))
        return _hole(len(holes) - 1)

    md.add_render_rule("wikilink", render_wikilink)
    return md


_MD = make_renderer()


@tuple_state
@dataclass(frozen=True, slots=True)
class BodyHtml:
    """A note body rendered without the model: HTML with a NUL-delimited hole for each wikilink."""

    html: str
    links: tuple[tuple[str, str], ...] = ()  # (target, escaped label), one per hole


def prerender(body: str) -> BodyHtml:
    """Body text -> BodyHtml; private passages (only the owner's records still have them) are marked."""

    holes: list[tuple[str, str]] = []
    parts = []
    for private, text in split_private(body):
        rendered = _MD.render(text, {"holes": holes})
        parts.append('<div class="private-passage"><p><span class="badge private">private passage</span>'
                     f"</p>{rendered}</div>" if private else rendered)
    return BodyHtml("".join(parts), tuple(holes))


def fill(body: BodyHtml, hrefs: Mapping[str, str]) -> str:
    """The final HTML: each hole becomes a link to what its target resolves to, or a 'missing' span."""
    if not body.links:
        return body.html
    pieces = body.html.split("\x00")
    for index in range(1, len(pieces), 2):
        target, label = body.links[int(pieces[index])]
        href = hrefs.get(target)
        pieces[index] = (f'<span class="wikilink missing">{label}</span>' if href is None
                         else f'<a class="wikilink" href="{escape(href)}">{label}</a>')
    return "".join(pieces)
