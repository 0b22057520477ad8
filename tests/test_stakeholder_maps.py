"""Stakeholder maps: a goal's stakeholders as map entries (role, power/interest, engagement, wants), the
goal page's map, grid and readiness line, what `check` points at (a key role cold, an engagement gap, a
resistant stakeholder never given anything, lobbying), and plain lists unchanged."""
from __future__ import annotations

import re
from html import unescape

from netjournal.findings import Severity

from conftest import TODAY, audience_output, findings_of, interaction, person, run_cli

MAPPED_GOAL = """
---
title: Staff promotion
started: 2026-09-01
stakeholders:
  - {who: dana, role: decider, influence: high, interest: high, engagement: supportive, desired: supportive}
  - {who: eli, role: Decider, influence: high, interest: medium, engagement: neutral, desired: supportive}
  - {who: tomas, role: gatekeeper, influence: high, interest: low, engagement: unaware, desired: supportive,
     wants: "a clean calendar for calibration"}
  - {who: rae, role: influencer, influence: medium, interest: high, engagement: resistant, desired: neutral}
  - {who: lou, role: ally, influence: low, interest: high}
  - old
---
The plan.
"""


def mapped_journal() -> dict[str, str]:
    return {
        "people/dana.md": person("Dana Decider", met="2018-03-01"),
        "people/eli.md": person("Eli Early", cadence="365d"),
        "people/tomas.md": person("Tomas Reyes"),
        "people/rae.md": person("Rae Resists", met="2019-01-01", cadence="365d"),
        "people/lou.md": person("Lou Latecomer", cadence="365d"),
        "people/old.md": person("Old Friend", met="2015-05-05", cadence="365d"),
        "interactions/2026/d.md": interaction("2026-11-01", "dana", gave="[a draft of the roadmap]"),
        "interactions/2026/e.md": interaction("2026-05-01", "eli"),
        "interactions/2026/r.md": interaction("2026-10-01", "rae", asked="[a review of my design doc]"),
        "interactions/2026/l.md": interaction("2026-10-05", "lou", asked="[feedback on my promotion case]"),
        "interactions/2026/o.md": interaction("2026-10-20", "old", asked="[a reference for the panel]"),
        "interactions/2020/o.md": interaction("2020-01-01", "old", gave="[a book]"),
        "goals/promo.md": MAPPED_GOAL,
    }


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def build(root, out, *extra):
    result = run_cli("build", root, "-o", out, "--today", TODAY.isoformat(), *extra)
    assert result.exit_code == 0, result.output
    return (out / "goals/promo.html").read_text(encoding="utf-8")


def by_person(analysis, code):
    return sorted(f.person for f in findings_of(analysis, code))


def test_a_key_role_never_contacted_or_cold_is_a_decider_finding_at_its_entry(check_journal):
    analysis = check_journal(mapped_journal())
    decider = {f.person: f for f in findings_of(analysis, "goal-decider-cold")}
    assert sorted(decider) == ["tomas"]
    assert decider["tomas"].line == 7 and decider["tomas"].path == "goals/promo.md"
    assert "the gatekeeper Tomas Reyes has never heard from you" in decider["tomas"].message
    assert "tomas" not in by_person(analysis, "goal-stakeholder-cold")  # said once, as the key role


def test_engagement_gap_fires_only_without_contact_since_the_goal_started(check_journal):
    analysis = check_journal(mapped_journal())
    gap = findings_of(analysis, "goal-engagement-gap")
    # eli: neutral, wanted supportive, last met before the goal started. dana is where she should be; rae
    # (resistant, wanted neutral) was met after the start; tomas was never met (a decider finding says so)
    assert [f.person for f in gap] == ["eli"] and "since the goal started (2026-09-01" in gap[0].message
    assert gap[0].line == 6


def test_a_resistant_stakeholder_never_given_anything(check_journal):
    files = mapped_journal()
    assert by_person(check_journal(files), "goal-resistant-ungiven") == ["rae"]
    files["interactions/2024/r.md"] = interaction("2024-01-01", "rae", gave="[an intro to a recruiter]")
    assert by_person(check_journal(files), "goal-resistant-ungiven") == []


def test_lobbying_first_contact_after_the_start_with_nothing_given(check_journal):
    files = mapped_journal()
    analysis = check_journal(files)
    lobbying = findings_of(analysis, "goal-lobbying")
    # lou: first contact 2026-10-05, after 2026-09-01, nothing given. Not old (met years before the goal),
    # not dana (met 2018), not rae (met 2019): an ask to someone you have known for years is networking
    assert [f.person for f in lobbying] == ["lou"]
    assert "first contacted Lou Latecomer on 2026-10-05" in lobbying[0].message
    assert "lobbying, not networking; give first" in lobbying[0].message
    assert lobbying[0].severity is Severity.INFO
    files["interactions/2026/l2.md"] = interaction("2026-10-10", "lou", gave="[notes from the offsite]")
    assert by_person(check_journal(files), "goal-lobbying") == []
    without_start = {**mapped_journal(), "goals/promo.md": MAPPED_GOAL.replace("started: 2026-09-01\n", "")}
    analysis = check_journal(without_start)
    assert by_person(analysis, "goal-lobbying") == by_person(analysis, "goal-engagement-gap") == []


def test_inactive_goals_and_plain_lists_say_only_what_they_said(check_journal):
    files = {**mapped_journal(), "goals/promo.md": MAPPED_GOAL.replace("started:", "status: achieved\nstarted:")}
    new_codes = {"goal-decider-cold", "goal-engagement-gap", "goal-resistant-ungiven", "goal-lobbying"}
    assert not [f for f in check_journal(files).findings if f.code in new_codes | {"goal-stakeholder-cold"}]
    plain = {**mapped_journal(), "goals/promo.md": "---\ntitle: Plain\n"
                                                   "stakeholders: [dana, eli, tomas, rae, lou, old]\n---\n"}
    analysis = check_journal(plain)
    assert not [f for f in analysis.findings if f.code in new_codes]
    assert by_person(analysis, "goal-stakeholder-cold") == ["tomas"]


def test_bad_map_entries_are_findings_at_their_line_and_the_rest_loads(check_journal):
    analysis = check_journal({
        "people/ada.md": person("Ada"), "people/bo.md": person("Bo"),
        "goals/g.md": "---\ntitle: G\nstakeholders:\n  - {who: ada, influence: huge, role: [x], wnats: y}\n"
                      "  - {role: decider}\n  - bo\n  - {who: cy, role: wizard}\n---\n", "people/cy.md": person("Cy")})
    messages = sorted((f.line, f.message) for f in analysis.findings if f.path == "goals/g.md")
    assert (4, "stakeholders: influence: expected one of low, medium, high, got 'huge'") in messages
    assert any(line == 4 and "did you mean 'wants'" in text for line, text in messages)
    assert any(line == 4 and "role: expected text" in text for line, text in messages)
    assert any(line == 5 and "needs 'who'" in text for line, text in messages)
    assert any(line == 7 and "role 'wizard'" in text and "[goals] roles" in text for line, text in messages), messages
    assert analysis.journal.stakeholders["g"] == ("ada", "bo", "cy")
    tuned = check_journal({"netjournal.toml": '[goals]\nroles = ["Wizard"]\n', "people/ada.md": person("Ada"),
                           "goals/g.md": "---\ntitle: G\nstakeholders: [{who: ada, role: wizard}]\n---\n"})
    assert not [f for f in tuned.findings if "wizard" in f.message]


def test_key_roles_are_configurable(check_journal):
    files = {**mapped_journal(), "netjournal.toml": "[goals]\nkey_roles = []\n"}
    analysis = check_journal(files)
    assert by_person(analysis, "goal-decider-cold") == []
    assert "tomas" in by_person(analysis, "goal-stakeholder-cold")


def test_the_goal_page_shows_the_map_the_grid_and_the_readiness_line(make_journal, tmp_path):
    html = build(make_journal(mapped_journal()), tmp_path / "site")
    text = text_of(html)
    assert ("Readiness: 1 of 2 deciders at their desired engagement; the influencer is resistant (wanted: "
            "neutral); the gatekeeper is unaware (wanted: supportive) and has never heard from you; the ally is "
            "not assessed.") in text
    assert "Stakeholder map" in text and "started 2026-09-01" in text
    row = text[text.index("Tomas Reyes gatekeeper"):]
    assert row.startswith("Tomas Reyes gatekeeper keep satisfied (high influence, low interest) unaware → supportive "
                          "a clean calendar for calibration never")
    assert "Eli Early decider manage closely (high influence, medium interest) neutral → supportive" in text
    assert "Old Friend" in text  # a plain reference among map entries is a row too
    assert "Lou Latecomer ally keep informed (low influence, high interest)" in text
    assert "lobbying" in text[text.index("Lou Latecomer ally"):]
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert svg.count("<circle") == 5  # old is not placed: no influence or interest given
    assert 'class="dot unassessed never"' not in svg and 'class="dot gap never"' not in svg
    assert 'class="dot far never"' in svg  # tomas: unaware, wanted supportive: three levels short, no ring
    assert "Tomas Reyes: gatekeeper; high influence, low interest; unaware, wanted supportive; never contacted" in svg
    assert "Not placed (no influence or interest given): Old Friend." in text
    asked = text[text.index("Asked, with nothing given"):]
    assert "Lou Latecomer asked 1, gave 0" in asked and "Rae Resists asked 1, gave 0" in asked
    assert "Old Friend asked 1, gave 0" in asked  # within the window old gave nothing: said, though not lobbying


def test_a_plain_list_goal_page_keeps_its_table(make_journal, tmp_path):
    files = {**mapped_journal(), "goals/promo.md": "---\ntitle: Plain\nstakeholders: [dana, eli]\n---\nThe plan.\n"}
    html = build(make_journal(files), tmp_path / "site")
    text = text_of(html)
    assert "Stakeholders" in text and "Stakeholder map" not in text and "<svg" not in html
    assert "Readiness" not in text and "Dana Decider warm" in text


def test_hostile_wants_roles_and_names_are_text(make_journal, tmp_path):
    files = mapped_journal()
    files["people/tomas.md"] = person("'<img src=x onerror=alert(1)>Tomas'")
    files["goals/promo.md"] = MAPPED_GOAL.replace("a clean calendar for calibration", "<script>alert(2)</script>").replace(
        "role: ally", "role: '<b onmouseover=alert(3)>ally</b>'")
    html = build(make_journal(files), tmp_path / "site")
    for bad in ("<script>alert(2)", "<img src=x", "<b onmouseover"):
        assert bad not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;Tomas" in html
    assert "&lt;b onmouseover=alert(3)&gt;ally&lt;/b&gt;" in html


def test_hidden_stakeholders_are_in_no_map_and_change_no_count(make_journal, tmp_path):
    files = {**mapped_journal(), "netjournal.toml": "[audience.mentor]\n"}
    files["people/tomas.md"] = person("Zelda Secretname", private="true")
    files["goals/promo.md"] = MAPPED_GOAL.replace("a clean calendar for calibration", "canarywants")
    root = make_journal(files)
    leaked = audience_output(root, tmp_path / "mentor")
    assert b"zelda" not in leaked and b"secretname" not in leaked and b"canarywants" not in leaked
    assert b"gatekeeper" not in leaked
    mentor = text_of((tmp_path / "mentor/goals/promo.html").read_text(encoding="utf-8"))
    without = {**mapped_journal(), "netjournal.toml": "[audience.mentor]\n", "goals/promo.md": "\n".join(
        line for line in MAPPED_GOAL.splitlines() if "tomas" not in line and "clean calendar" not in line)}
    without.pop("people/tomas.md")
    expected = text_of(build(make_journal(without), tmp_path / "without", "--audience", "mentor"))
    readiness = re.compile(r"Readiness: [^.]*\.")
    assert readiness.search(mentor).group() == readiness.search(expected).group()
    coverage = re.compile(r"\d+/\d+ stakeholders warm")
    assert "1 of 2 deciders" in mentor and coverage.search(mentor).group() == coverage.search(expected).group()
