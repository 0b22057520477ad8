"""Promises age and sit under the right person (issue 28, item 6): a follow-up without a due date is due
once open `[follow_ups] undated_due` (14 days); a goal's tasks are follow-ups of the goal; a task that names
a person is theirs too: on their page, in their `due` line and their calendar entry."""
import re

from netjournal.engine import build_site

from conftest import TODAY, findings_of, interaction, person, run_cli


def test_an_undated_promise_is_due_after_two_weeks(check_journal):
    files = {"people/kim.md": person("Kim"),
             "interactions/a.md": interaction("2026-11-01", "kim", follow_ups="[send the notes]")}
    (finding,) = findings_of(check_journal(files), "follow-up-due")
    assert finding.message == "'send the notes' for Kim has been open 21 days (since 2026-11-01) without a due date"
    fresh = {**files, "interactions/a.md": interaction("2026-11-15", "kim", follow_ups="[send the notes]")}
    assert findings_of(check_journal(fresh), "follow-up-due") == []  # a week old: not yet
    longer = {**files, "netjournal.toml": '[follow_ups]\nundated_due = "30d"\n'}
    assert findings_of(check_journal(longer), "follow-up-due") == []


def test_a_task_naming_a_person_is_theirs(make_journal, tmp_path):
    root = make_journal({
        "people/priya.md": person("Priya Natarajan", met="2026-11-01"),
        "people/raj.md": person("Raj Patel", met="2026-11-01"),
        "interactions/a.md": interaction("2026-11-10", "priya")
        + "- [ ] send Raj the deck (due 2026-11-20)\n- [ ] book the room (due 2026-11-21)\n",
        "goals/g.md": "---\ntitle: Promotion\nstakeholders: [priya]\n---\n- [ ] ask [[Raj Patel]] for the numbers "
                      "(due 2026-11-19)\n- [ ] draft the case\n"})
    due = run_cli("due", root, "--today", TODAY.isoformat()).output
    raj = due[due.index("Raj Patel —"):due.index("Priya Natarajan —")]
    assert raj.startswith("Raj Patel — 2 promises open, 2 overdue")
    assert "send Raj the deck" in raj and "ask [[Raj Patel]] for the numbers" in raj
    priya = due[due.index("Priya Natarajan —"):]
    assert "book the room" in priya and "send Raj the deck" not in priya
    out = tmp_path / "site"
    build_site(root, TODAY, out)
    page = (out / "people" / "raj.html").read_text(encoding="utf-8")
    assert "send Raj the deck" in page and "ask [[Raj Patel]] for the numbers" in page
    calendar = (out / "follow-ups.ics").read_bytes().decode("utf-8").replace("\r\n ", "")
    assert re.search(r"SUMMARY:send Raj the deck \(Raj Patel\)\r", calendar)
    assert re.search(r"SUMMARY:ask \[\[Raj Patel\]\] for the numbers \(Raj Patel\)\r", calendar)


def test_a_word_that_is_no_ones_name_names_no_one(check_journal):
    """`May` is a month, `Will` a verb: only a person's name, alias or first name counts, and a first name
    two people share names neither."""
    analysis = check_journal({
        "people/ada.md": person("Ada Byron"), "people/ada2.md": person("Ada Lovelace"),
        "people/kim.md": person("Kim Lee"),
        "interactions/a.md": interaction("2026-11-10", "kim") + "- [ ] In May ask Ada about Will (due 2026-11-30)\n"})
    (item,) = analysis.journal.open_follow_ups()
    assert item.named == () and item.owed_to == ("kim",)


def test_an_undated_promise_open_long_is_counted_due_not_overdue(make_journal):
    """Found by helper-50 (a newcomer): `due` and the dashboard said "2 promises open, 1 overdue" of a
    promise without a due date, open 33 days, which `check` calls due (info) and whose own line says
    "open 33d". Only a promise past a due date written is overdue, and only that one is urgent."""
    root = make_journal({"people/kim.md": person("Kim"),
                         "interactions/a.md": interaction("2026-10-01", "kim", follow_ups="[send the notes, call back]"),
                         "interactions/b.md": interaction("2026-10-02", "kim") + "- [ ] book a room 📅 2026-11-20\n"})
    result = run_cli("due", root, "--today", TODAY.isoformat())
    assert "3 promises open, 1 overdue" in result.output, result.output
    undated = make_journal({"people/kim.md": person("Kim"),
                            "interactions/a.md": interaction("2026-10-01", "kim", follow_ups="[send the notes]")})
    line = run_cli("due", undated, "--today", TODAY.isoformat()).output
    assert "open 52 days, no due date" in line and "overdue" not in line, line
