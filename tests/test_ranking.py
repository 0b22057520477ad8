"""One ranking of what matters (issue 28, item 1): `netjournal due`, the dashboard's "This week" panel and
the calendar feed put stakeholders of active goals first (never-contacted ones included), then people owed
thanks or a promise, then lateness relative to the cadence; each line says why in a few words, one line a
person, file paths only in `check`, `due` and a details element."""
import datetime as dt
import re

import pytest

from netjournal.engine import build_site

from conftest import TODAY, interaction, person, run_cli

COACH = {
    "people/vera.md": person("Vera Panel", tags="[stakeholder]"),  # on the promotion panel; never contacted
    "people/max.md": person("Max Manager", tags="[manager]", cadence="14d", introduced_by="ivan",
                            met="2026-10-05"),
    "people/ivan.md": person("Ivan Intro", cadence="180d"),
    "people/pat.md": person("Pat Promise", cadence="180d"),
    "people/fay.md": person("Fay Fast", cadence="14d"),
    "people/sam.md": person("Sam Slow", cadence="180d"),
    "goals/promotion.md": "---\ntitle: Promotion\nstakeholders: [vera, max]\n---\n",
    "interactions/i.md": interaction("2026-09-20", "ivan", gave="[a reading list]"),
    "interactions/m0.md": interaction("2026-10-05", "max", kind="onboarding", asked="[a laptop, access, a buddy]"),
    "interactions/m1.md": interaction("2026-11-18", "max", asked="[feedback on the case]"),
    "interactions/p.md": interaction("2026-11-01", "pat", follow_ups="[{what: send Pat the deck, due: 2026-11-15}]"),
    "interactions/f.md": interaction("2026-11-01", "fay"),  # due 2026-11-15: 7 days late on 14 days
    "interactions/s.md": interaction("2026-05-11", "sam"),  # due 2026-11-07: 15 days late on 180 days
    **{f"people/ex{n}.md": person(name, cadence="30d") for n, name in enumerate(["Ex A", "Ex B", "Ex <i>C</i>"])},
    **{f"interactions/x{n}.md": interaction("2026-10-01", f"ex{n}") for n in range(3)},  # 22 days late on 30
}
ORDER = ["Vera Panel", "Ivan Intro", "Pat Promise", "Ex <i>C</i>", "Ex A", "Ex B", "Fay Fast", "Sam Slow"]


def test_due_ranks_by_importance_and_says_why(make_journal):
    root = make_journal(COACH)
    out = run_cli("due", root, "--today", TODAY.isoformat()).output
    entries = re.findall(r"(?m)^ +\d+\. (.+?) — (.+?)  \(", out)
    assert [name for name, _ in entries] == ORDER
    reasons = dict(entries)
    assert reasons["Vera Panel"] == "goal stakeholder, never contacted"
    assert reasons["Ivan Intro"] == "thanks owed"
    assert "introduced you to Max Manager (now your manager; a stakeholder of 'Promotion') on 2026-10-05; " \
           "no thanks logged since" in out
    assert reasons["Pat Promise"] == "a promise 7 days overdue"
    assert reasons["Fay Fast"] == "7 days late on a 14d cadence"
    assert reasons["Sam Slow"] == "15 days late on a 180d cadence"
    assert "Max Manager —" not in out  # a manager seen this week, asked in 1:1s: nothing to do


def test_the_dashboard_opens_with_this_week(make_journal, tmp_path, browser_page):
    page, errors = browser_page
    out = tmp_path / "site"
    build_site(make_journal(COACH), TODAY, out)
    page.goto((out / "index.html").as_uri())
    assert page.locator("main h2").first.inner_text() == "This week"
    week = page.locator("section[aria-labelledby=week-h]")
    rows = week.locator("ol > li")
    assert rows.count() == 7  # at most seven; Sam, the least late for his cadence, is below
    assert [rows.nth(n).locator("a").first.inner_text() for n in range(7)] == ORDER[:7]
    assert rows.nth(0).locator(".reason").inner_text() == "goal stakeholder, never contacted"
    assert week.locator(".more").inner_text() == "The 7 most important of 8; the rest are in the lists below."
    assert ".md" not in week.inner_text()  # paths only in the closed details
    pat = rows.nth(2)
    pat.locator("summary").click()
    assert "send Pat the deck: 7d overdue interactions/p.md:4" in pat.locator("details").inner_text()
    assert errors == []


def test_the_calendar_feed_lists_in_the_same_order(make_journal, tmp_path):
    out = tmp_path / "site"
    build_site(make_journal(COACH), TODAY, out)
    calendar = (out / "follow-ups.ics").read_bytes().decode("utf-8").replace("\r\n ", "")
    summaries = re.findall(r"SUMMARY:(.+)\r", calendar)
    assert summaries[:3] == ["Reach out to Vera Panel", "Reach out to Ivan Intro", "send Pat the deck (Pat Promise)"]
    assert "Why now: goal stakeholder\\, never contacted." in calendar


def test_a_shared_this_week_shows_no_paths_and_no_hidden_person(make_journal, tmp_path):
    """The mentor's dashboard ranks what the mentor may see: a private stakeholder never contacted, and a
    promise to them in a visible note, leave no name, and no line shows a file path."""
    root = make_journal({
        **COACH, "netjournal.toml": "[audience.mentor]\nexclude_private = true\n",
        "people/zed.md": person("Zed Secretary", private="true"),
        "goals/promotion.md": "---\ntitle: Promotion\nstakeholders: [vera, max, zed]\n---\n",
        "interactions/p.md": interaction("2026-11-01", "pat", follow_ups="[{what: send Pat the deck, due: 2026-11-15}]")
        + "- [ ] send Zed Secretary the numbers (due 2026-11-20)\n"})
    owner = run_cli("due", root, "--today", TODAY.isoformat()).output
    assert "Zed Secretary — goal stakeholder, never contacted" in owner
    out = tmp_path / "mentor"
    assert run_cli("build", root, "--audience", "mentor", "-o", out, "--today", TODAY.isoformat()).exit_code == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    week = html[html.index('id="week-h"'):html.index("</section>", html.index('id="week-h"'))]
    assert "Vera Panel" in week and ".md" not in week
    assert "zed" not in html.lower() and "secretary" not in html.lower()


def whole_agenda(site, within):
    """The agenda in one call, as the site made it before it kept a line per person: every item of
    everyone, grouped by person (an item about nobody is a line of its own), ranked."""
    from netjournal.ranking import line_of, ordered, person_items, unowed_items

    by_person: dict = {}
    for finding in site.findings():
        if finding.person is not None:
            by_person.setdefault(finding.person, []).append(finding)
    items = [item for pid in site.journal.people
             for item in person_items(site.journal, site.config, site.today, site.status(pid),
                                      by_person.get(pid, ()), within)]
    items += unowed_items(site.journal, site.config, site.today, within)
    grouped: dict = {}
    alone = []
    for item in items:
        if item.person is None:
            alone.append([item])
        else:
            grouped.setdefault(item.person, []).append(item)
    lines = [line_of(pid, found, site.today) for pid, found in [*grouped.items(), *((None, a) for a in alone)]]
    return ordered(lines, lambda pid: site.journal.name(pid)[0])


@pytest.mark.parametrize("journal", ["example", "generated"])
def test_the_sites_agenda_kept_by_person_is_the_one_ranking(journal, tmp_path):
    """The site keeps each person's line of the agenda in its memo (site/context.py); what it ranks is
    what the whole agenda made in one call ranks."""
    from netjournal.analyze import analyze

    from conftest import REPO, big_journal

    root = REPO / "example-journal" if journal == "example" else big_journal(tmp_path / "j", 60, 600)
    today = dt.date(2026, 11, 22) if journal == "example" else TODAY
    site = analyze(root, today).site()
    for within in (0, 7, 30, 365):
        whole = whole_agenda(site, within)
        assert list(site.agenda(within)) == whole
        assert whole or within == 0


def test_promises_owed_to_nobody_are_the_open_goal_tasks_naming_no_one_in_the_open_list_order(check_journal):
    """unowed_items reads the goals' tasks only: the same items, in the same order, as a pass over every
    open follow-up keeping those owed to nobody."""
    from netjournal.ranking import _promise_items_due, unowed_items
    from netjournal.values import days_after

    analysis = check_journal({
        "people/ada.md": person("Ada"),
        "goals/b.md": "---\ntitle: B\nstakeholders: [ada]\n---\n- [ ] book the room (due 2026-11-23)\n"
                      "- [ ] ask [[Ada]] for the plan (due 2026-11-21)\n- [ ] draft the memo (due 2026-11-20)\n"
                      "- [x] done already (due 2026-11-20)\n- [ ] someday\n",
        "goals/a.md": "---\ntitle: A\n---\n- [ ] print the slides (due 2026-11-23)\n"
                      "- [ ] print the slides (due 2026-11-23)\n- [ ] far off (due 2027-03-01)\n",
        "interactions/i.md": interaction("2026-11-01", "ada") + "- [ ] send the notes (due 2026-11-22)\n",
    })
    site = analysis.site()
    journal, config = site.journal, site.config
    for within in (0, 7, 200):
        expected = [item for follow_up in journal.open_follow_ups() if not follow_up.owed_to
                    for item in _promise_items_due(journal, follow_up, config, TODAY, days_after(TODAY, within))]
        found = unowed_items(journal, config, TODAY, within)
        assert found == expected
    assert [item.what for item in unowed_items(journal, config, TODAY, 7)] == [
        "draft the memo", "print the slides", "print the slides", "book the room"]  # by day, then note
