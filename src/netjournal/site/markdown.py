"""Note bodies -> safe HTML: markdown-it-py's js-default preset (raw HTML off), a strict link allowlist,
and [[wikilinks]] rendered as links to the page of the person, goal or interaction they name.

A body is rendered in two steps so the expensive one is a pure function of the text (cached, run in
worker processes): `prerender` leaves a hole for each wikilink, and `fill` puts in the links once the
model knows what each target resolves to.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from ..tasks import WIKILINK_MAX, split_private, wikilink_parts

_SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def safe_url(url: str) -> str | None:
    """URL if it is http(s), mailto, tel or relative; None for javascript:, data:, vbscript: and the rest.

    Browsers drop tabs, newlines and control characters inside URLs, so `java\\tscript:` is checked as
    `javascript:`.
    """
    compact = _INVISIBLE.sub("", url)
    match = _SCHEME.match(compact)
    if match is None:
        return url.strip() if not compact.startswith(("//", "\\\\", "/\\", "\\/")) else None
    return url.strip() if match.group(1).lower() in _SAFE_SCHEMES else None


# Resolves a wikilink's target text to an href, or None when it names nothing.
LinkResolver = Callable[[str], "str | None"]


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
    the output otherwise: markdown-it replaces it in the input, and the plain path takes no body with one."""
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
        meta = tokens[idx].meta
        holes: list | None = env.get("holes")
        if holes is not None:  # prerender
            holes.append((meta["target"], escape(meta["label"])))
            return _hole(len(holes) - 1)
        resolve: LinkResolver | None = env.get("resolve_link")
        href = resolve(meta["target"]) if resolve else None
        label = escape(meta["label"])
        if href is None:
            return f'<span class="wikilink missing">{label}</span>'
        return f'<a class="wikilink" href="{escape(href)}">{label}</a>'

    md.add_render_rule("wikilink", render_wikilink)
    return md


_MD = make_renderer()


def render_markdown(text: str, resolve_link: LinkResolver | None = None) -> str:
    """Markdown -> HTML with every user string escaped; `resolve_link` maps a wikilink target to an href."""
    return _MD.render(text, {"resolve_link": resolve_link})


@dataclass(frozen=True)
class BodyHtml:
    """A note body rendered without the model: HTML with a NUL-delimited hole for each wikilink."""

    html: str
    links: tuple[tuple[str, str], ...] = ()  # (target, escaped label), one per hole


# The plain path: most note bodies are headings, paragraphs of prose and "- " lists, with nothing
# markdown-it's inline rules act on but [[wikilinks]], links to web addresses, task marks and emphasis
# of the plainest shape ("**word**", "_words_" between spaces). For such a
# body its HTML can be written straight off the lines, the same bytes markdown-it makes, at a fraction of
# its cost (76 µs a note). Anything else, or any doubt, returns None and markdown-it renders the body.

# code, escapes, images, autolinks, entities, strikethrough, and control characters (tabs indent;
# markdown-it rewrites CR and NUL); a "|" is plain only inside a wikilink, brackets only around a
# wikilink or a link, "*" and "_" only around emphasis of the plainest shape (_PLAIN_EMPHASIS)
_NOT_PLAIN = re.compile(r"[\\`<>&~\x00-\x09\x0b-\x1f\x7f]|!\[")
# **strong**, *emphasis* or _emphasis_: after a space or the start, before a space, the end or a
# closing punctuation mark; no space first or last, and no other "*", "_" or bracket within (CommonMark
# then pairs exactly these delimiters, whatever the text's first and last characters: an opener cannot
# close, and the rule of three never splits a pair whose closer could also open, as its runs are 1+1 or 2+2)
_PLAIN_EMPHASIS = re.compile(r"(?<![^ ])(\*\*|\*|_)([^\s*_\[\]|](?:[^*_\[\]|]*[^\s*_\[\]|])?)\1(?![^ .,;:!?)])")
_HEADING = re.compile(r"(#{1,6}) (.*)")
# a wikilink, or a link to a web address of the plainest shape (no query, no escapes, nothing to normalize)
_PLAIN_LINK = re.compile(r"\[\[([^\[\]]*)\]\]"
                         r"|\[([^\[\]|]+)\]\((https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[A-Za-z0-9./-]*)?)\)")


def _plain_text(text: str) -> str:
    """Plain text as markdown-it escapes it (with no & < > in it, only quotes are left)."""
    return text.replace('"', "&quot;")


def _plain_words(text: str) -> str | None:
    """TEXT's HTML when it is plain text with plain emphasis (no link in it); else None."""
    if "*" not in text and "_" not in text:
        return _plain_text(text)
    pieces = _PLAIN_EMPHASIS.split(text)  # text, delimiter, content, text, delimiter, content, ..., text
    out = []
    for index in range(0, len(pieces), 3):
        if "*" in pieces[index] or "_" in pieces[index]:
            return None
        out.append(_plain_text(pieces[index]))
        if index + 1 < len(pieces):
            tag = "strong" if pieces[index + 1] == "**" else "em"
            out.append(f"<{tag}>{_plain_text(pieces[index + 2])}</{tag}>")
    return "".join(out)


def _plain_inline(text: str, holes: list[tuple[str, str]], first: int) -> str | None:
    """TEXT's HTML when it is plain text, plain emphasis, wikilinks (each a hole numbered from FIRST +
    len(holes)) and plain links; else None."""
    if "[" not in text and "]" not in text and "|" not in text:
        return _plain_words(text)
    pieces, position = [], 0
    for match in _PLAIN_LINK.finditer(text):
        pieces.append(text[position:match.start()])
        position = match.end()
        inner, label, url = match.groups()
        if inner is None:
            if "*" in label or "_" in label:
                return None
            pieces.append(f'<a href="{url}">{_plain_text(label)}</a>')
            continue
        parts = _wikilink_parts(inner)
        if parts is None:
            return None
        holes.append((parts[0], escape(parts[1])))
        pieces.append(_hole(first + len(holes) - 1))
    pieces.append(text[position:])
    for index in range(0, len(pieces), 2):
        if "[" in pieces[index] or "]" in pieces[index] or "|" in pieces[index]:
            return None
        words = _plain_words(pieces[index])
        if words is None:
            return None
        pieces[index] = words
    return "".join(pieces)


def _plain_line(line: str, holes: list[tuple[str, str]], first: int) -> tuple[str, str, str] | None:
    """A non-blank line as ("h", its heading, ""), ("li", its list item's content, the item's opening tag)
    or ("p", a paragraph's line of HTML, ""); None when it is not plain."""
    if line[-1].isspace():  # a hard break, or trailing space markdown-it trims
        return None
    if line[0] == "#":
        match = _HEADING.fullmatch(line)
        if match is None:
            return None
        content = match.group(2)
        if not content or content[0].isspace() or content[-1] == "#":
            return None
        html = _plain_inline(content, holes, first)
        level = _demoted(len(match.group(1)))
        return None if html is None else ("h", f"<h{level}>{html}</h{level}>\n", "")
    if line.startswith("- "):
        content, opening, mark = line[2:], "<li>", ""
        task = _TASK_MARK.match(content)
        if task:
            content = content[task.end():]
            css, mark = _task_class_and_mark(task.group(1))
            opening = f'<li class="{css}">'
        if not (content[:1].isalpha() or content.startswith("[[") or _PLAIN_EMPHASIS.match(content)):
            return None  # a nested block, or an empty item
        html = _plain_inline(content, holes, first)
        return None if html is None else ("li", mark + html, opening)
    # "[[" starts no link reference definition, and emphasis no list item or thematic break
    if line[0].isalpha() or line.startswith("[[") or _PLAIN_EMPHASIS.match(line):
        html = _plain_inline(line, holes, first)
        return None if html is None else ("p", html, "")
    return None


def _plain_list(items: list[tuple[str, str]], loose: bool) -> str:
    """A list of ITEMS (opening tag, content) as markdown-it writes it: a loose list (a blank line between
    two of its items) has each item's text in a paragraph of its own."""
    if loose:
        return "<ul>\n" + "".join(f"{opening}\n<p>{html}</p>\n</li>\n" for opening, html in items) + "</ul>\n"
    return "<ul>\n" + "".join(f"{opening}{html}</li>\n" for opening, html in items) + "</ul>\n"


def _plain_html(text: str, holes: list[tuple[str, str]]) -> str | None:
    """What `_MD.render(TEXT, {"holes": HOLES})` returns, adding its holes to HOLES, when TEXT is plain
    (see above); else None, with HOLES untouched."""
    if _NOT_PLAIN.search(text):
        return None
    mine: list[tuple[str, str]] = []
    first = len(holes)
    out: list[str] = []
    paragraph: list[str] = []
    items: list[tuple[str, str]] = []  # the open list's items so far: (opening tag, content)
    loose = False  # a blank line between two of them
    blank_after_item = False  # a blank line since the last of them
    for line in [*text.split("\n"), None]:  # None: the end
        kind, html, opening = "", "", ""
        if line is None or not line:
            blank_after_item = bool(items)
        else:
            parsed = _plain_line(line, mine, first)
            if parsed is None:
                return None
            kind, html, opening = parsed
            if items and kind == "li":
                loose = loose or blank_after_item
            elif items and not blank_after_item:
                return None  # a line that would continue the last item, or a block that would interrupt the list
        if paragraph and kind != "p":
            out.append("<p>" + "\n".join(paragraph) + "</p>\n")
            paragraph = []
        if items and (kind not in ("", "li") or line is None):
            out.append(_plain_list(items, loose))
            items, loose = [], False
        if kind == "p":
            paragraph.append(html)
        elif kind == "li":
            items.append((opening, html))
            blank_after_item = False
        elif kind:
            out.append(html)
    holes.extend(mine)
    return "".join(out)


def prerender(body: str) -> BodyHtml:
    """Body text -> BodyHtml; private passages (only the owner's records still have them) are marked."""

    holes: list[tuple[str, str]] = []
    parts = []
    for private, text in split_private(body):
        rendered = _plain_html(text, holes)
        if rendered is None:
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


def prerender_note(outcome) -> BodyHtml | None:
    """A loaded note's body, prerendered: the `derive` step the note cache runs with each load."""
    record = outcome.record
    return prerender(record.body) if record is not None else None
