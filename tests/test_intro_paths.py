"""Warm introduction paths: who can introduce you to someone you never contacted or lost touch with, by
introductions, interactions together, the same org and mentions; ranked by your warmth with them and your
balance (not through someone you owe). `netjournal intro PERSON`, person pages and goal pages."""
from __future__ import annotations

import re
from html import unescape

from conftest import TODAY, audience_output, interaction, person, run_cli

GOAL = """
---
title: Staff promotion
stakeholders:
  - {who: tomas, role: gatekeeper, influence: high, interest: low, engagement: unaware, desired: supportive}
---
"""


def journal() -> dict[str, str]:
    return {
        "netjournal.toml": "[audience.mentor]\n",
        # tomas: never contacted. Your meeting with priya was about him; ines and cold work at his org; oli
        # introduced him (tomas's introduced_by); wes's note names him. gone: met once with priya, long ago
        "people/tomas.md": person("Tomas Reyes", org="Calibration Co", introduced_by="oli"),
        "people/priya.md": person("Priya Shah", cadence="365d"),
        "people/ines.md": person("Ines Org", org="  calibration   co ", cadence="365d"),
        "people/oli.md": person("Oli Owed", cadence="365d"),
        "people/wes.md": "---\nname: Wes Writer\ncadence: 365d\n---\nWorks with [[Tomas Reyes]].\n",
        "people/cold.md": person("Cold Connector", cadence="30d", org="Calibration Co"),
        "people/gone.md": person("Gone Cold", cadence="30d"),
        "interactions/2026/p.md": interaction("2026-11-01", "priya", gave="[a draft]") + "About [[Tomas Reyes]].\n",
        "interactions/2025/c.md": interaction("2025-01-01", "cold"),
        "interactions/2024/g.md": interaction("2024-06-01", "[gone, priya]"),
        "interactions/2026/i.md": interaction("2026-10-01", "ines"),
        "interactions/2026/o.md": interaction("2026-11-05", "oli", asked="[a referral, a review]"),
        "interactions/2026/w.md": interaction("2026-09-01", "wes"),
        "goals/promo.md": GOAL,
    }


def intro(root, who):
    result = run_cli("intro", who, "--journal", root, "--today", TODAY.isoformat())
    return result


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_intro_lists_connectors_warm_first_and_those_you_owe_last(make_journal):
    root = make_journal(journal())
    result = intro(root, "tomas")
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines() if line.strip()]
    assert lines[0] == "Tomas Reyes: never contacted; gatekeeper of Staff promotion. Who can introduce you:"
    asks = [line.split(" (through")[0] for line in lines[1:]]
    # warm connectors first, most recent contact first; the cold one after; the one you owe last
    assert asks == ["1. Ask Priya Shah", "2. Ask Ines Org", "3. Ask Wes Writer", "4. Ask Cold Connector",
                    "5. Ask Oli Owed"]
    assert "(through a mention in your notes)" in lines[1] and "balance +1" in lines[1]
    assert "(through the same organisation)" in lines[2]
    assert "(through a mention in your notes)" in lines[3]
    assert "(through the same organisation)" in lines[4] and "gone cold" in lines[4]
    assert "(through an introduction)" in lines[5] and "you owe them: give first" in lines[5]
    gone = intro(root, "gone").output
    assert "Gone Cold: gone cold (last contact 2024-06-01)" in gone
    assert "1. Ask Priya Shah (through 1 interaction together)" in gone


def test_second_hop_when_nobody_you_know_knows_them(make_journal):
    root = make_journal({
        "people/far.md": person("Far Away"), "people/mid.md": person("Mid Person", introduced_by="far"),
        "people/me.md": "---\nname: Known Friend\ncadence: 365d\n---\nKnows [[Mid Person]] well.\n",
        "interactions/2026/a.md": interaction("2026-11-01", "me"),
    })
    result = intro(root, "far")
    assert "1. Ask Known Friend, who knows Mid Person (through an introduction)" in result.output, result.output


def test_a_warm_person_needs_no_introduction_and_unknown_people_are_errors(make_journal):
    root = make_journal(journal())
    result = intro(root, "priya")
    assert result.exit_code == 0 and "Priya Shah: you are in touch (last contact 2026-11-01)" in result.output
    result = intro(root, "nobody-at-all")
    assert result.exit_code != 0 and "no such person" in result.output
    lonely = make_journal({"people/x.md": person("Lonely Person")})
    result = intro(lonely, "x")
    assert result.exit_code == 0 and "nobody you know is tied to Lonely Person" in result.output


def test_a_person_is_found_by_their_id_or_name_typed_without_accents(make_journal):
    """helper-58: `intro --help` shows `netjournal intro tomas-reyes`, and the example journal's Tomás Reyes
    has the id `tomás-reyes`: the command said "no such person"."""
    root = make_journal({"people/tomás-reyes.md": person("Tomás Reyes"), "people/ada.md": person("Ada Lovelace")})
    for query in ("tomas-reyes", "Tomas R", "TOMÁS"):
        result = intro(root, query)
        assert result.exit_code == 0 and "Tomás Reyes" in result.output, (query, result.output)


def test_person_and_goal_pages_show_the_ways_in(make_journal, tmp_path):
    root = make_journal(journal())
    result = run_cli("build", root, "-o", tmp_path / "site", "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    person_page = text_of((tmp_path / "site/people/tomas.html").read_text(encoding="utf-8"))
    assert "Who can introduce you" in person_page and "Ask Priya Shah" in person_page
    goal = text_of((tmp_path / "site/goals/promo.html").read_text(encoding="utf-8"))
    assert "Ways in" in goal and "Ask Priya Shah" in goal and "ask Priya Shah for an introduction" in goal
    warm = text_of((tmp_path / "site/people/priya.html").read_text(encoding="utf-8"))
    assert "Who can introduce you" not in warm


def test_hidden_people_are_no_connectors_for_a_mentor(make_journal, tmp_path):
    files = journal()
    files["people/priya.md"] = person("Priya Canaryname", cadence="365d", private="true")
    root = make_journal(files)
    leaked = audience_output(root, tmp_path / "mentor")
    assert b"canaryname" not in leaked and b"priya" not in leaked
    page = text_of((tmp_path / "mentor/people/tomas.html").read_text(encoding="utf-8"))
    assert "Ask Ines Org" in page
    owner = intro(root, "tomas").output
    assert "Priya Canaryname" in owner  # the owner's own terminal: everyone


def test_hostile_names_are_text_on_pages(make_journal, tmp_path):
    files = journal()
    files["people/priya.md"] = person("'<script>alert(1)</script>Priya'", cadence="365d")
    root = make_journal(files)
    result = run_cli("build", root, "-o", tmp_path / "site", "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    for page in ("people/tomas.html", "goals/promo.html"):
        html = (tmp_path / "site" / page).read_text(encoding="utf-8")
        assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;Priya" in html


def test_a_note_that_names_someone_ties_its_writer_to_them_too(make_journal):
    """A mention ties both ways: someone never contacted whose own note names a friend can be reached
    through that friend, as can someone whom a friend's note names."""
    root = make_journal({
        "people/nova.md": "---\nname: Nova New\n---\nWorked with [[Fran Friend]] for years.\n",
        "people/fran.md": person("Fran Friend", cadence="365d"),
        "people/zed.md": person("Zed Named"),
        "interactions/2026/f.md": interaction("2026-11-01", "fran") + "Fran spoke of [[Zed Named]].\n"})
    for who in ("nova", "zed"):
        result = intro(root, who)
        assert result.exit_code == 0, result.output
        assert "1. Ask Fran Friend (through a mention in your notes)" in result.output, (who, result.output)
