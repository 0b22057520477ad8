"""`netjournal brief PERSON` (issue 26 item 8): what to re-read before meeting someone, in the terminal or
as Markdown; for a mentor's view, hidden people do not exist."""
from __future__ import annotations

from conftest import EXAMPLE, TODAY, interaction, person, run_cli

JOURNAL = {
    "netjournal.toml": "[audience.mentor]\n",
    "people/lena.md": person("Lena Ortiz", role="Director of Product", org="Acme", tags="[mentor]",
                             introduced_by="bob", met="2024-03-01", birthday="'--11-25'",
                             changes="[{date: 2026-11-10, role: Director of Product, kind: promotion}]"),
    "people/bob.md": person("Bob Builder"),
    "people/zed.md": person("Zed Canary-Secret", private="true"),
    "people/ann.md": person("Ann Open", introduced_by="lena"),
    "interactions/1.md": interaction("2026-06-01", "lena", title="First chat", topics="[hiring]"),
    "interactions/2.md": interaction("2026-08-01", "lena", topics="[roadmap, budget]", gave="[an intro]"),
    "interactions/3.md": interaction("2026-09-01", "lena", kind="coffee", asked="[feedback on my promo case]",
                                     follow_ups="[{what: send Lena the deck, due: 2026-12-01}]"),
    "interactions/4.md": interaction("2026-10-01", "lena", title="'Lunch with <b>Lena</b>'"),
    "interactions/5.md": interaction("2026-10-15", "[lena, zed]", title="Lunch with Zed Canary-Secret"),
    "interactions/6.md": interaction("2026-10-20", "lena", title="Private chat", topics="[canary plans]",
                                     private="true"),
    "goals/promo.md": "---\ntitle: Get promoted\nstakeholders: [lena, bob]\n---\n",
}


def test_a_brief_has_everything_to_re_read(make_journal):
    root = make_journal(JOURNAL)
    result = run_cli("brief", "lena", "--journal", root, "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Lena Ortiz\n")
    for expected in ("Director of Product, Acme", "tags: mentor", "met 2024-03-01", "introduced by Bob Builder",
                     "introduced you to Ann Open", "last contact 2026-10-20",
                     "Congratulate them on the promotion on 2026-11-10", "Birthday on 2026-11-25, in 3 days",
                     "send Lena the deck (due 2026-12-01), promised 2026-09-01",
                     "you gave 1, asked 1, received 0; balance +0", "Get promoted (active; "):
        assert expected in out, expected
    talks = out.split("Last conversations\n")[1].split("\n\n")[0].splitlines()
    assert [line.split()[0] for line in talks] == ["2026-10-20", "2026-10-15", "2026-10-01"]  # the last three
    assert "Private chat (topics: canary plans)" in out and "Lunch with <b>Lena</b>" in out
    assert "(topics: roadmap" not in out  # the fourth is not shown


def test_markdown_to_paste_into_a_note(make_journal):
    root = make_journal(JOURNAL)
    out = run_cli("brief", "Lena", "--journal", root, "--format", "md", "--today", TODAY.isoformat()).output
    assert out.startswith("## Brief: Lena Ortiz\n")
    assert "**Last conversations**\n\n- 2026-10-20 Private chat (topics: canary plans)\n" in out


def test_a_person_not_known_or_ambiguous_is_an_error_naming_the_choices(make_journal):
    root = make_journal(JOURNAL)
    missing = run_cli("brief", "Lenna Ortiz", "--journal", root, "--today", TODAY.isoformat())
    assert missing.exit_code != 0 and "did you mean Lena Ortiz (lena)" in missing.output
    both = run_cli("brief", "o", "--journal", root, "--today", TODAY.isoformat())
    assert both.exit_code != 0 and "use the id" in both.output


def test_a_mentors_brief_knows_no_hidden_person(make_journal):
    root = make_journal(JOURNAL)
    hidden = run_cli("brief", "zed", "--journal", root, "--audience", "mentor", "--today", TODAY.isoformat())
    assert hidden.exit_code != 0 and "canary" not in hidden.output.casefold()
    assert "no such person 'zed'" in hidden.output
    shown = run_cli("brief", "lena", "--journal", root, "--audience", "mentor", "--today", TODAY.isoformat())
    assert shown.exit_code == 0, shown.output
    assert "canary" not in shown.output.casefold() and "zed" not in shown.output.casefold()
    assert "last contact 2026-10-15" in shown.output  # the private chat is not there and does not count
    assert "2026-10-15 Lunch with someone" in shown.output
    assert "birthday" not in shown.output.casefold()  # the owner's alone


def test_control_characters_are_not_printed(make_journal):
    root = make_journal({"people/eve.md": person("Eve", role='"\\e[31mRed\\e[0m \\x07Boss"')})
    out = run_cli("brief", "eve", "--journal", root, "--today", TODAY.isoformat()).output
    assert "\x1b" not in out and "\x07" not in out and "\\x1b[31mRed\\x1b[0m \\x07Boss" in out  # shown, not acted on


def test_a_brief_says_what_they_want_from_a_goals_stakeholder_map(make_journal):
    mapped = {**JOURNAL, "goals/promo.md": (
        "---\ntitle: Get promoted\nstakeholders:\n  - {who: lena, role: decider, engagement: neutral, "
        "desired: supportive, wants: 'a clean <b>calibration</b> calendar'}\n  - bob\n---\n")}
    root = make_journal(mapped)
    out = run_cli("brief", "lena", "--journal", root, "--today", TODAY.isoformat()).output
    line = next(line for line in out.splitlines() if "Get promoted" in line)
    assert "decider" in line and "neutral, wanted supportive" in line
    assert "wants: a clean <b>calibration</b> calendar" in line  # a terminal shows text as it is
    bob = run_cli("brief", "bob", "--journal", root, "--today", TODAY.isoformat()).output
    assert "wants" not in bob  # a plain reference says nothing of what they want


def test_a_goals_task_naming_them_says_its_goal_not_a_promise_day(make_journal):
    tasked = {**JOURNAL, "goals/promo.md": "---\ntitle: Get promoted\nstakeholders: [lena, bob]\n---\n"
                                           "- [ ] ask [[Lena Ortiz]] for a reference 📅 2026-12-05\n"}
    out = run_cli("brief", "lena", "--journal", make_journal(tasked), "--today", TODAY.isoformat()).output
    assert "ask [[Lena Ortiz]] for a reference (due 2026-12-05), a task of Get promoted" in out
    assert "promised None" not in out


def test_an_occasion_keeps_the_capitals_it_was_written_with():
    """The occasion's first letter is made a capital; the organisation's name is left as written."""
    result = run_cli("brief", "priya", "--journal", EXAMPLE, "--today", "2026-11-22")
    assert "Work anniversary at Northwind (5 years) on 2026-11-29, in 7 days" in result.output, result.output
