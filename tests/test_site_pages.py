"""`netjournal build`: the content of every page on small journals, read back from the written HTML."""
import re
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from netjournal.analyze import analyze
from netjournal.cli import main
from netjournal.engine import build_site

from conftest import TODAY, busy_journal, interaction, person


def text_of(html: str) -> str:
    """Visible-ish text: tags dropped (a <wbr> joins its neighbours), entities decoded, whitespace folded."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html.replace("<wbr>", ""))))


@pytest.fixture
def small_site(make_journal, tmp_path):
    root = make_journal({
        "netjournal.toml": '[journal]\ntitle = "Test network"\nowner = "Sam"\n',
        "people/ada.md": "---\nname: Ada Lovelace\norg: Engines\ntags: [mentor, hub]\nemail: ada@example.org\n"
                         "links: ['https://ada.example']\nmet: 2025-01-01\n---\nWorks with [[Bob Byte]].\n",
        "people/bob.md": person("Bob Byte", introduced_by="ada", private="true"),
        "people/cy.md": person("Cy Stale", met="2025-01-01"),
        "interactions/2026/a.md": "---\ndate: 2026-11-01\nwith: [ada, bob]\nkind: coffee\ngave: [a book]\n"
                                  "asked: [an intro]\nfollow_ups:\n  - {what: send slides, due: 2026-11-10}\n"
                                  "  - {what: call back, due: 2026-11-25}\n---\n# Notes\n\nTalked about [[ada]].\n",
        "interactions/2025/b.md": interaction("2025-06-01", "ada", title="Old lunch", received="[advice]"),
        "interactions/broken.md": "---\ndate: [\n---\n",
        "goals/promo.md": "---\ntitle: Promotion\nstakeholders: [ada, cy]\ntarget: 2027-01-01\n---\nThe plan.\n",
    })
    out = tmp_path / "site"
    build_site(root, TODAY, out)
    return root, out


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def test_every_page_exists(small_site):
    _, out = small_site
    for rel in ("index.html", "people/index.html", "people/ada.html", "people/bob.html", "people/cy.html",
                "follow-ups.html", "interactions/index.html", "interactions/2026.html", "interactions/2025.html",
                "goals/index.html", "goals/promo.html", "tags/index.html", "tags/mentor.html", "tags/hub.html",
                "assets/site.css", "assets/site.js", ".netjournal-site"):
        assert (out / rel).is_file(), rel


def test_dashboard(small_site):
    _, out = small_site
    html = read(out, "index.html")
    text = text_of(html)
    assert "Notes with errors (1)" in text and "interactions/broken.md:2" in text
    assert "Overdue follow-ups (1)" in text and "send slides" in text and "12 days overdue (2026-11-10)" in text
    assert "Due soon (1)" in text and "call back" in text
    assert re.search(r'href="interactions/2026.html#i-a-[0-9a-f]{6}" title="[^"]+">note</a>', html)
    assert "Due for contact within 7 days (1)" in text and "Cy Stale" in text
    assert "Promotion" in text and "1/2 stakeholders warm" in text
    assert "Recent interactions" in text and "Coffee with Ada Lovelace, Bob Byte" in text
    assert html.count("<rect ") >= 365 and "2 interactions in the last 365 days" not in text
    assert "1 interactions in the last 365 days" in text or "interactions in the last 365 days" in text



def test_dashboard_lists_show_the_most_pressing_and_link_to_the_rest(make_journal, tmp_path):
    """A journal of years can have thousands overdue: each dashboard list shows its first 20 rows (most
    overdue first) and links to the page with all of them; the headings count all of them."""
    out = tmp_path / "site"
    build_site(make_journal(busy_journal(25)), TODAY, out)
    html = read(out, "index.html")
    text = text_of(html)
    assert "Overdue follow-ups (25)" in text and "Due for contact within 7 days (25)" in text
    overdue = html[html.index('id="overdue-h"'):html.index('id="soon-h"')]
    assert overdue.count('<li class="item overdue">') == 20
    assert "task 00" in overdue and "task 19" in overdue and "task 20" not in overdue  # earliest due first
    assert '<a href="follow-ups.html#g-overdue">all 25 overdue follow-ups</a>' in overdue
    contact = html[html.index('id="contact-h"'):html.index('id="recip-h"')]
    assert contact.count("<li ") == 20 and "Person 00" in contact and "Person 24" not in contact
    assert '<a href="people/index.html">all 25 people, with their next due dates</a>' in contact
    full = read(out, "follow-ups.html")
    assert 'id="g-overdue"' in full and all(f"task {n:02}" in full for n in range(25))
    assert "Due soon (0)" in text and "all 0" not in text  # no link under a list shown whole

def test_people_index(small_site):
    _, out = small_site
    html = read(out, "people/index.html")
    assert html.count("<tr data-search=") == 3
    assert 'data-search="ada lovelace engines mentor hub"' in html
    assert 'type="search"' in html and 'href="../tags/mentor.html"' in html
    assert '<a href="ada.html">Ada Lovelace</a>' in html
    assert 'badge private' in html  # Bob


def test_person_page(small_site):
    _, out = small_site
    html = read(out, "people/ada.html")
    text = text_of(html)
    assert "ada@example.org" in text and '<a href="https://ada.example" rel="noopener noreferrer">' in html
    assert "Introduced you to Bob Byte" in text
    assert text.index("2026-11-01") < text.index("2025-06-01")  # timeline newest first
    assert "Gave 1 · asked 1 · received 1 · balance +0" in text
    assert "send slides" in text and "Promotion" in text
    assert '<a class="wikilink" href="../people/bob.html">Bob Byte</a>' in html
    assert "<h3>Notes</h3>" in html  # a body's h1 sits below the page's headings
    assert "<polyline" in html and "Contacts logged each month, 2024-12 to 2026-11: 2 in all" in text


def test_interactions_follow_ups_goals_tags(small_site):
    _, out = small_site
    year = read(out, "interactions/2026.html")
    assert re.search(r'<article class="interaction" id="i-a-[0-9a-f]{6}">', year) and "November 2026" in year
    assert '<a href="2025.html">2025</a>' in year
    follow = text_of(read(out, "follow-ups.html"))
    assert "Overdue (1)" in follow and "Due soon (1)" in follow and "2 open · 0 done" in follow
    goal = text_of(read(out, "goals/promo.html"))
    assert "Ada Lovelace warm" in goal and "Cy Stale never contacted" in goal and "The plan." in goal
    assert "Ada Lovelace" in text_of(read(out, "tags/mentor.html"))


def test_private_notes_are_marked_in_the_owner_build(small_site):
    _, out = small_site
    assert '<h1>Bob Byte <span class="badge private">private</span></h1>' in read(out, "people/bob.html")


def test_journal_templates_override(make_journal, tmp_path):
    root = make_journal({"people/a.md": person("A"),
                         "templates/tags.html": "{% extends 'base.html' %}{% block main %}MY TAGS {{ '<x>' }}"
                                                "{% endblock %}"})
    build_site(root, TODAY, tmp_path / "out")
    assert "MY TAGS &lt;x&gt;" in read(tmp_path / "out", "tags/index.html")


def test_odd_ids_and_tags_get_safe_file_names(make_journal, tmp_path):
    root = make_journal({"people/index.md": person("Index Person", tags='["a/b", "..", "<x>"]'),
                         "people/radia-spärck-jones.md": person("Radia")})
    build_site(root, TODAY, tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out" / "people").iterdir())
    assert "index.html" in names and "radia-spärck-jones.html" in names and len(names) == 3
    assert 'href="radia-sp%C3%A4rck-jones.html"' in read(tmp_path / "out", "people/index.html")
    tag_files = sorted(p.name for p in (tmp_path / "out" / "tags").iterdir())
    assert len(tag_files) == 4 and all("/" not in n and not n.startswith(".") for n in tag_files)


def test_build_command_says_where_to_open(make_journal):
    root = make_journal({"people/a.md": person("A")})
    result = CliRunner().invoke(main, ["build", str(root), "--today", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert "built " in result.output and (root / "_site" / "index.html").as_uri() in result.output


def test_build_strict_fails_on_errors_and_keeps_the_old_site(make_journal):
    root = make_journal({"people/a.md": person("A")})
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(root), "--today", "2026-11-22"]).exit_code == 0
    before = (root / "_site" / "index.html").read_bytes()
    (root / "people" / "b.md").write_text("---\nname: [\n---\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(root), "--strict", "--today", "2026-11-22"])
    assert result.exit_code == 1 and "people/b.md:2" in result.output
    assert (root / "_site" / "index.html").read_bytes() == before
    assert runner.invoke(main, ["build", str(root), "--today", "2026-11-22"]).exit_code == 0  # errors listed


def test_dashboard_uses_the_same_findings_as_check(small_site):
    root, out = small_site
    analysis = analyze(root, TODAY)
    errors = [str(f.source) for f in analysis.findings if f.severity.label == "error"]
    html = read(out, "index.html")
    assert all(where in html for where in errors)


def test_a_large_year_gets_a_page_per_month(make_journal, tmp_path, monkeypatch):
    from netjournal.site import context
    monkeypatch.setattr(context, "LARGE_YEAR", 2)
    root = make_journal({"people/a.md": person("Ada"),
                         "interactions/1.md": interaction("2026-10-01", "a", title="October one"),
                         "interactions/2.md": interaction("2026-11-01", "a", title="November one"),
                         "interactions/3.md": interaction("2026-11-02", "a", title="November two"),
                         "interactions/4.md": interaction("2025-05-01", "a", title="Old one")})
    build_site(root, TODAY, tmp_path / "s")
    out = tmp_path / "s" / "interactions"
    assert sorted(p.name for p in out.iterdir()) == ["2025.html", "2026-10.html", "2026-11.html", "2026.html",
                                                     "index.html"]
    year = read(out, "2026.html")
    assert '<a href="2026-11.html">November 2026</a> <span class="meta">2 interactions</span>' in year
    november = text_of(read(out, "2026-11.html"))
    assert "November two" in november and "November one" in november and "October one" not in november
    assert re.search(r'href="interactions/2026-11.html#i-3-[0-9a-f]{6}"', read(tmp_path / "s", "index.html"))


def test_done_goal_tasks_without_a_day_sort_among_done_follow_ups(make_journal, tmp_path):
    """A goal's task has no day it was promised: the done list put it beside dated ones (a TypeError
    failed the build), with or without a due date equal to another's."""
    root = make_journal({
        "people/ada.md": person("Ada"),
        "interactions/2026/a.md": interaction("2026-11-20", "ada", follow_ups="[{what: sent the deck, done: true}, "
                                                                              "{what: booked lunch, due: 2026-11-21, done: true}]"),
        "goals/g.md": "---\ntitle: G\nstakeholders: [ada]\n---\n- [x] undated goal task\n"
                      "- [x] dated goal task (due 2026-11-21)\n"})
    build_site(root, TODAY, tmp_path / "site")
    done = text_of(read(tmp_path / "site", "follow-ups.html")).split("Done (4)")[1]
    order = [done.index(what) for what in ("booked lunch", "dated goal task", "sent the deck", "undated goal task")]
    assert order == sorted(order)


def test_an_interactions_kind_shows_as_written(make_journal, tmp_path):
    """`kind: QBR` is a QBR on every page (titles capitalise the first letter only), and the kind's case
    plays no part where kinds are compared (the checks)."""
    root = make_journal({"people/ada.md": person("Ada"),
                         "interactions/a.md": interaction("2026-11-01", "ada", kind="QBR"),
                         "interactions/b.md": interaction("2026-11-02", "ada", kind="video-call"),
                         "interactions/c.md": interaction("2026-11-03", "ada", kind="'-'")})
    out = tmp_path / "site"
    build_site(root, TODAY, out)
    text = text_of(read(out, "people/ada.html"))
    assert "QBR with Ada" in text and "Qbr" not in text and "qbr" not in text
    assert "Video call with Ada" in text
    assert "Contact with Ada" in text  # a kind of a hyphen only is none
