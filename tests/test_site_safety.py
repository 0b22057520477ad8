"""Hostile notes: every user string is escaped, unsafe links are not clickable, nothing executes."""
import re
from html.parser import HTMLParser

import pytest

from netjournal.engine import build_site

from conftest import TODAY
from hostile_journals import HOSTILE


class Audit(HTMLParser):
    """Collects what could execute: script elements, event-handler attributes, unsafe URLs."""

    def __init__(self):
        super().__init__()
        self.scripts, self.handlers, self.urls, self.iframes = [], [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs).get("src"))
        if tag in ("iframe", "object", "embed", "img"):
            self.iframes.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                compact = "".join(value.split()).lower()
                if compact.startswith(("javascript:", "data:", "vbscript:")):
                    self.urls.append(value)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from conftest import write_journal
    base = tmp_path_factory.mktemp("hostile")
    root = write_journal(base / "journal", HOSTILE)
    build_site(root, TODAY, base / "site")
    return base / "site"


def test_no_markup_from_notes_survives(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        audit = Audit()
        audit.feed(html)
        assert all(src and src.endswith("assets/site.js") for src in audit.scripts), (page, audit.scripts)
        assert audit.handlers == [], (page, audit.handlers)
        assert audit.urls == [], (page, audit.urls)
        assert audit.iframes == [], (page, audit.iframes)


def test_payloads_are_shown_as_text(hostile_site):
    evil = next(p for p in (hostile_site / "people").iterdir() if "evil" in p.name)
    html = evil.read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt; Evil" in html
    assert "{{ 7*7 }}" in html  # template syntax in a note is text, not evaluated
    assert '<a href="https://example.org/?q=&lt;x&gt;&amp;y=&#34;z&#34;" rel="noopener noreferrer">ok</a>' in html
    assert "(link not made clickable)" in html


def test_no_inline_json_or_inline_script(hostile_site):
    for page in hostile_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'type="application/json"' not in html and "<script>" not in html
        assert "Content-Security-Policy" in html and "script-src 'self'" in html


def test_odd_file_names_stay_inside_the_site(hostile_site):
    for path in hostile_site.rglob("*"):
        assert "<" not in path.name and ">" not in path.name
        assert hostile_site in path.resolve().parents


def test_control_characters_in_notes_reach_no_page_as_such(make_journal, tmp_path):
    """A name, tag or body holding control characters (a bell, an escape sequence pasted from a terminal, a
    C1 control, a noncharacter) made pages that HTML forbids (the Nu checker: "Forbidden code point")."""
    root = make_journal({
        "people/ada.md": '---\nname: "Ada\\a Love\\x1blace\\x85"\ntags: ["x\\x01y"]\n---\n'
                         "Body with \x07 a bell, \x1b[31m a colour, \x9b a C1 CSI, \ufdd0 and \U0001ffff.\n",
        "interactions/2026/call.md": '---\ndate: 2026-11-01\nwith: [ada]\ntitle: "Call\\b\\x7f"\n---\nOk \x0b.\n'})
    build_site(root, TODAY, tmp_path / "site")
    forbidden = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0001ffff]")
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert len(pages) >= 8
    for page in pages:
        assert not forbidden.search(page.read_text(encoding="utf-8")), page
    ada = (tmp_path / "site" / "people" / "ada.html").read_text(encoding="utf-8")
    assert "Ada\ufffd Love\ufffdlace" in ada and "a bell, \ufffd[31m a colour" in ada


@pytest.mark.parametrize("url", ["https://example.org/\x1b]8;;x\x07", "https://example.org/a\x9bb", "https://x.org/\ufdd0",
                                 "https://x.org/a\U0001ffffb"])
def test_a_link_holding_a_control_character_is_not_made_clickable(url):
    """helper-68: such a link's href held U+FFFD once the page was made legal, which is no URL (the Nu
    checker: "Illegal character in path segment")."""
    from netjournal.site.markdown import safe_url

    assert safe_url(url) is None and safe_url("https://example.org/ok") == "https://example.org/ok"
