"""The site as a new user reads it in Chromium at 1280 and 375 px: tables that reflow, addresses that
break only at @ and dots, a heatmap showing the recent months, a search that folds accents, sort
direction shown, one "due for contact", done follow-ups listed, a person page without holes, and a
sparkline caption that says what it counts."""
import re
from html import unescape

import pytest
from click.testing import CliRunner

from netjournal.cli import main
from netjournal.engine import build_site

from conftest import EXAMPLE, TODAY, interaction, person
from tools import axe_violations

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}

# The words of each text node below an element that the browser split over two lines (a hyphen may end
# a line, and so may the break opportunities the site puts after @ and / and before dots: <wbr>).
BROKEN_WORDS = """(element) => {
  const broken = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const words = /[^\\s-]+-?/g;
    let match;
    while ((match = words.exec(node.data))) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("example") / "site"
    build_site(EXAMPLE, TODAY, out)
    return out


@pytest.fixture(scope="module")
def tabs(chromium):
    """Browser tabs by (viewport, options), kept for the module: a test navigates one it is lent instead of
    opening its own, which costs chromium a new renderer process (about 0.4 s of CPU against 0.13 s). The
    site keeps no state in the browser (no storage, no cookies), so a tab navigated to a page is as new."""
    idle: dict[tuple, list] = {}
    contexts = []
    errors: list[str] = []  # script errors of every tab; each test looks at those of its own time

    def lend(viewport: dict, options: dict):
        key = (tuple(sorted(viewport.items())), tuple(sorted(options.items())))
        if idle.get(key):
            return key, idle[key].pop()
        contexts.append(chromium.new_context(viewport=viewport, **options))
        page = contexts[-1].new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        return key, page

    yield idle, lend, errors
    for context in contexts:
        context.close()


@pytest.fixture
def open_page(tabs):
    """open_page(path, viewport) -> a tab showing PATH (a file) at that size, its own for this test; script
    errors fail the test."""
    idle, lend, errors = tabs
    lent, before = [], len(errors)

    def open_(path, viewport=DESKTOP, **options):
        key, page = lend(viewport, options)
        lent.append((key, page))
        page.goto(path.as_uri())
        return page

    yield open_
    for key, page in lent:
        page.goto("about:blank")  # events of the test's pages arrive before it ends, and the tab is blank
        idle.setdefault(key, []).append(page)
    assert errors[before:] == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_tables_break_no_word_and_stack_on_a_phone(example_site, open_page, viewport):
    for rel in ("goals/promotion-senior-manager.html", "goals/outreach-database.html", "people/index.html",
                "people/marcus-oyelaran.html"):
        page = open_page(example_site / rel, viewport)
        # each table's broken words and how its first row shows, in one call (a call per table cost seconds)
        tables = page.evaluate(f"""() => Array.from(document.querySelectorAll("main table"), table => [
            ({BROKEN_WORDS})(table), getComputedStyle(table.querySelector("tbody tr")).display])""")
        assert len(tables) >= 1, rel
        for broken, display in tables:
            assert broken == [], rel
            assert (display == "block") == (viewport == PHONE), rel
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], rel
    page = open_page(example_site / "goals/promotion-senior-manager.html", viewport)
    if viewport == PHONE:  # one line per cell, each labelled
        row = page.locator("tbody tr").first
        assert row.inner_text().split("\n") == [
            "Priya Natarajan", "decider", "manage closely (high influence, high interest)", "supportive → leading",
            "her team covered while I take on the wider role", "2026-11-18", "2 / 1",
            "move them from supportive to leading: they want her team covered while I take on the wider role"]
        labels = row.locator("td").evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
        assert labels == ["none", '"Role: "', '"Quadrant: "', '"Engagement: "', '"Wants: "', '"Last contact: "',
                          '"Gave / asked: "', '"Next step: "']
        plain = open_page(example_site / "goals/outreach-database.html", viewport).locator("tbody tr").first
        labels = plain.locator("td").evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
        assert labels == ["none", '"Warmth: "', '"Last contact: "', '"Next due: "']  # a plain list: as it was


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_addresses_break_only_at_at_signs_and_dots(example_site, make_journal, tmp_path, open_page, viewport):
    root = make_journal({"people/ada.md": person(
        "Ada Lovelace", email="[ada.augusta.lovelace@analytical-engines.example.org, a@b.example, "
                              "'<img src=x onerror=alert(1)>.x@evil.example']",
        links="[https://www.example.org/people/ada-lovelace/profile/engines]")})
    build_site(root, TODAY, tmp_path / "site")
    texts = []
    for path in (tmp_path / "site" / "people" / "ada.html", example_site / "people" / "marcus-oyelaran.html"):
        profile = open_page(path, viewport).locator("section[aria-labelledby=profile-h] dl")
        assert profile.evaluate(BROKEN_WORDS) == [], path.name
        texts.append(profile.inner_text().replace("\n", ""))
    assert "ada.augusta.lovelace@analytical-engines.example.orga@b.example" in texts[0]  # copied as written
    assert "<img src=x onerror=alert(1)>.x@evil.example" in texts[0]  # markup in an address is text
    assert "<img" not in (tmp_path / "site" / "people" / "ada.html").read_text(encoding="utf-8")


def test_the_heatmap_opens_on_the_recent_months_on_a_phone(example_site, open_page):
    page = open_page(example_site / "index.html", PHONE)
    today = page.locator(".heatmap rect").last
    assert today.locator("title").text_content().startswith(TODAY.isoformat())
    box = today.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"]
    assert page.locator(".heatmap text", has_text="Nov").last.bounding_box()["x"] >= 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_people_search_folds_accents_and_case(make_journal, tmp_path, open_page):
    root = make_journal({"people/ana.md": person("Ana Álvarez"), "people/ingrid.md": person("Ingrid Spärck-Holm"),
                         "people/tomas.md": person("Tomás Reyes", org="Ñandú Labs"),
                         "people/jorg.md": person("Jörg Straße"), "people/plain.md": person("Alva Sparks")})
    build_site(root, TODAY, tmp_path / "site")
    page = open_page(tmp_path / "site" / "people" / "index.html")
    search = page.get_by_label("Search people")
    for query, found in [("alvarez", ["Ana Álvarez"]), ("ÁLVAREZ", ["Ana Álvarez"]), ("sparck", ["Ingrid Spärck-Holm"]),
                         ("spärck", ["Ingrid Spärck-Holm"]), ("TOMAS", ["Tomás Reyes"]), ("nandu", ["Tomás Reyes"]),
                         ("strasse", ["Jörg Straße"]), ("straße", ["Jörg Straße"]), ("alva", ["Alva Sparks", "Ana Álvarez"])]:
        search.fill(query)
        shown = page.locator("#people-table tbody tr:not([hidden]) td:first-child a").all_inner_texts()
        assert shown == found, query


def test_sortable_headers_show_their_direction(example_site, open_page):
    page = open_page(example_site / "people" / "index.html")
    name = page.locator("th", has_text="Name")
    last = page.locator("th", has_text="Last contact")

    def arrow(th):
        return th.locator(".sort-arrow").evaluate("s => getComputedStyle(s, '::after').content").replace("\xa0", "")

    assert name.get_attribute("aria-sort") == "ascending" and arrow(name) == '"▲"'
    assert last.get_attribute("aria-sort") == "none" and arrow(last) == '"↕"'
    page.get_by_role("button", name="Last contact").click()
    assert (last.get_attribute("aria-sort"), name.get_attribute("aria-sort")) == ("ascending", "none")
    assert arrow(last) == '"▲"' and arrow(name) == '"↕"'
    page.get_by_role("button", name="Last contact").click()
    assert last.get_attribute("aria-sort") == "descending" and arrow(last) == '"▼"'
    assert page.get_by_role("button", name="Last contact").evaluate("b => b.textContent") == "Last contact"
    # a header that wraps starts its lines where the others do, at the cell's left padding
    for th in page.locator("#people-table th").all():
        first = th.evaluate("""th => { const r = document.createRange(); r.selectNodeContents(th);
                                       return r.getClientRects()[0].left - th.getBoundingClientRect().left; }""")
        assert 8 <= first <= 11, th.inner_text()


DUE_JOURNAL = {
    "people/ada.md": person("Ada Soon", cadence="30d"),
    "people/bob.md": person("Bob Late", cadence="30d"),
    "people/cy.md": person("Cy Later", cadence="30d"),
    "interactions/a.md": interaction("2026-10-26", "ada"),
    "interactions/b.md": interaction("2026-09-01", "bob"),
    "interactions/c.md": interaction("2026-11-12", "cy"),
}


def test_due_for_contact_means_the_same_on_every_page_and_in_due(make_journal, tmp_path, open_page):
    """Ada is due in 3 days, Bob 52 days overdue, Cy in 20 days: with the default 7-day window the
    dashboard, `netjournal due`, the people list and the calendar agree on Bob and Ada."""
    root = make_journal(DUE_JOURNAL)
    out = tmp_path / "site"
    build_site(root, TODAY, out)
    page = open_page(out / "index.html")
    section = page.locator("section[aria-labelledby=contact-h]")
    assert section.locator("h2").inner_text() == "Due for contact within 7 days (2)"
    assert section.locator("li a").all_inner_texts() == ["Bob Late", "Ada Soon"]
    assert "due in 3 days, 2026-11-25 · 30d cadence" in section.locator("li").nth(1).inner_text()
    agenda = CliRunner().invoke(main, ["due", str(root), "--today", TODAY.isoformat()], env={}).output
    assert re.findall(r"(?m)^ +\d+\. (\w+ \w+) — ", agenda) == ["Bob Late", "Ada Soon"]
    people = open_page(out / "people" / "index.html")
    badges = {row.locator("td").first.inner_text(): row.locator(".badge").all_inner_texts()
              for row in people.locator("#people-table tbody tr").all()}
    assert badges == {"Ada Soon": ["due in 3 days"], "Bob Late": ["52d overdue"], "Cy Later": []}
    calendar = (out / "follow-ups.ics").read_bytes().decode("utf-8").replace("\r\n ", "")
    days = dict(re.findall(r"SUMMARY:Reach out to (\w+) \w+\r\nDTSTART;VALUE=DATE:(\d+)", calendar))
    assert days == {"Ada": "20261125", "Bob": "20261122", "Cy": "20261212"}


def test_an_empty_due_for_contact_names_its_window(make_journal, tmp_path, open_page):
    root = make_journal({"netjournal.toml": '[follow_ups]\nsoon = "2d"\n', **DUE_JOURNAL,
                         "interactions/b.md": interaction("2026-11-01", "bob")})
    build_site(root, TODAY, tmp_path / "site")
    section = open_page(tmp_path / "site" / "index.html").locator("section[aria-labelledby=contact-h]")
    assert section.locator("h2").inner_text() == "Due for contact within 2 days (0)"
    assert section.locator(".empty").inner_text() == "Nobody is due for contact within 2 days."


def test_done_follow_ups_are_listed_collapsed_newest_first(example_site, open_page):
    page = open_page(example_site / "follow-ups.html")
    done = page.locator("details.done")
    assert done.get_attribute("open") is None
    assert page.locator("#g-done").inner_text() == "Done (5)"
    assert done.locator("summary").inner_text() == "Show the 5 done follow-ups, newest first"
    assert not done.locator("li").first.is_visible()
    done.locator("summary").click()
    items = done.locator("li")
    assert items.count() == 5 and items.first.is_visible()
    dues = [re.search(r"\d{4}-\d\d-\d\d", text).group(0) for text in items.all_inner_texts()]
    assert dues == sorted(dues, reverse=True)
    assert all("done" in text for text in items.all_inner_texts())


HOLES = """() => {
  const cards = Array.from(document.querySelectorAll("main .card"));
  const boxes = cards.map(c => c.getBoundingClientRect());
  const holes = [];
  cards.forEach((card, i) => {
    const inside = boxes[i].bottom - card.lastElementChild.getBoundingClientRect().bottom;
    if (inside > 40) holes.push(`inside ${card.querySelector("h2").textContent}: ${Math.round(inside)} px`);
    const below = boxes.filter(b => b.top >= boxes[i].bottom - 1 && b.left < boxes[i].right && b.right > boxes[i].left);
    if (below.length) {
      const gap = Math.min(...below.map(b => b.top)) - boxes[i].bottom;
      if (gap > 40) holes.push(`below ${card.querySelector("h2").textContent}: ${Math.round(gap)} px`);
    }
  });
  return holes;
}"""


@pytest.mark.parametrize("person_page", ["marcus-oyelaran", "priya-natarajan", "tomás-reyes", "wei-zhang"])
def test_a_person_page_reads_top_to_bottom_without_holes(example_site, open_page, person_page):
    page = open_page(example_site / "people" / f"{person_page}.html", DESKTOP)
    assert page.evaluate(HOLES) == []
    headings = [h.inner_text() for h in page.locator("main h2").all()]
    assert headings[:3] == ["Profile", "Contact rhythm", "Open follow-ups"]


def test_the_sparkline_caption_says_what_it_counts(example_site):
    html = (example_site / "people" / "marcus-oyelaran.html").read_text(encoding="utf-8")
    caption = unescape(re.search(r'<figcaption id="spark-cap">(.*?)</figcaption>', html, re.DOTALL).group(1))
    assert caption == ("Contacts logged each month, 2024-12 to 2026-11: 7 in all; 2 in 2025-10, 1 in 2025-12, "
                       "1 in 2026-02, 1 in 2026-03, 1 in 2026-06, 1 in 2026-11.")


@pytest.mark.parametrize("rel", ["index.html", "people/index.html", "people/marcus-oyelaran.html", "follow-ups.html",
                                 "goals/promotion-senior-manager.html"])
def test_axe_finds_no_violations_on_a_phone(example_site, open_page, rel):
    """At a phone's width; test_site_browser audits these pages, and more, at a desktop's."""
    page = open_page(example_site / rel, PHONE, bypass_csp=True)
    assert axe_violations(page) == []


def test_a_long_done_list_shows_the_most_recent(make_journal, tmp_path, open_page):
    notes = {"people/ada.md": person("Ada")}
    for n in range(105):
        day = f"2025-{n // 28 + 1:02}-{n % 28 + 1:02}"
        notes[f"interactions/{n:03}.md"] = interaction(day, "ada", follow_ups=f"[{{what: task {n:03}, due: {day}, "
                                                                                  "done: true}]")
    build_site(make_journal(notes), TODAY, tmp_path / "site")
    page = open_page(tmp_path / "site" / "follow-ups.html")
    assert page.locator("#g-done").inner_text() == "Done (105)"
    summary = page.locator("details.done summary")
    assert summary.inner_text() == "Show the 100 most recent of the 105 (the others are in their notes)"
    summary.click()
    whats = page.locator("details.done .what").all_inner_texts()
    assert len(whats) == 100 and whats[0] == "task 104" and whats[-1] == "task 005"


def test_done_follow_ups_and_due_people_without_javascript(example_site, open_page):
    page = open_page(example_site / "follow-ups.html", java_script_enabled=False)
    page.locator("details.done summary").click()
    assert page.locator("details.done li").count() == 5
