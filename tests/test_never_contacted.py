"""Someone you have never contacted is due for contact (issue 28, item 2): from the day their note first
appeared (git's history, else the file's date) plus their cadence; a never-contacted stakeholder of an
active goal at once. `new person` writes no `met` date that would hide it."""
import datetime as dt
import os
import shutil

import pytest

from netjournal.analyze import analyze
from netjournal.checks.staleness import contact_status

from conftest import TODAY, findings_of, git, interaction, person, run_cli

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def status(root, pid, today=TODAY):
    analysis = analyze(root, today)
    return contact_status(analysis.journal, analysis.config, today, analysis.journal.people[pid])


def set_file_day(path, day: dt.date) -> None:
    stamp = dt.datetime(day.year, day.month, day.day, 12).timestamp()
    os.utime(path, (stamp, stamp))


def commit_all(root, message: str, day: str) -> None:
    """A commit of everything in ROOT (made a repository first if it is none), dated DAY at noon."""
    if not (root / ".git").exists():
        git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, "--date", f"{day}T12:00:00")


def test_outside_git_a_never_contacted_person_is_due_a_cadence_after_the_files_date(make_journal):
    root = make_journal({"people/kim.md": person("Kim", cadence="30d")})
    set_file_day(root / "people" / "kim.md", dt.date(2026, 10, 1))
    kim = status(root, "kim")
    assert (kim.first_seen, kim.next_due, kim.overdue_days) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31), 22)
    (finding,) = findings_of(analyze(root, TODAY), "stale-contact")
    assert "never contacted; in your notes since 2026-10-01" in finding.message
    before = analyze(root, dt.date(2026, 10, 20))
    assert findings_of(before, "stale-contact") == []


@needs_git
def test_in_git_the_day_the_note_was_added_counts_not_its_last_edit(make_journal):
    root = make_journal({"people/kim.md": person("Kim", cadence="30d")})
    commit_all(root, "kim", "2026-09-01")
    (root / "people" / "kim.md").write_text(person("Kim", cadence="30d", org="Initech"), encoding="utf-8")
    commit_all(root, "kim's org", "2026-11-20")
    set_file_day(root / "people" / "kim.md", dt.date(2026, 11, 21))
    kim = status(root, "kim")
    assert (kim.first_seen, kim.next_due) == (dt.date(2026, 9, 1), dt.date(2026, 10, 1))
    result = run_cli("due", root, "--today", TODAY.isoformat())
    assert "Kim — never contacted, in your notes since 2026-09-01; 52 days late on a 30d cadence" in result.output


@needs_git
def test_a_renamed_note_keeps_the_day_it_first_appeared(make_journal):
    root = make_journal({"people/kim.md": person("Kim Lee", cadence="30d")})
    commit_all(root, "kim", "2026-09-01")
    git(root, "mv", "people/kim.md", "people/kim-lee.md")
    commit_all(root, "rename", "2026-11-01")
    assert status(root, "kim-lee").first_seen == dt.date(2026, 9, 1)


def test_a_never_contacted_goal_stakeholder_is_due_at_once_and_first(make_journal):
    root = make_journal({
        "people/vp.md": person("Vera Panel", tags="[stakeholder]"),
        "people/ada.md": person("Ada", cadence="30d"),
        "interactions/a.md": interaction("2026-09-01", "ada"),
        "goals/promotion.md": "---\ntitle: Promotion\nstakeholders: [vp]\n---\n"})
    vp = status(root, "vp")
    assert vp.next_due == TODAY and vp.stakeholder
    lines = run_cli("due", root, "--today", TODAY.isoformat()).output.splitlines()
    assert lines[1] == "  1. Vera Panel — goal stakeholder, never contacted  (people/vp.md)"
    assert lines[2].startswith("  2. Ada — 52 days late on a 30d cadence")
    # a stakeholder met before: due since the day you met
    met = make_journal({"people/vp.md": person("Vera Panel", met="2026-11-01"),
                        "goals/promotion.md": "---\ntitle: Promotion\nstakeholders: [vp]\n---\n"})
    assert status(met, "vp").next_due == dt.date(2026, 11, 1)


def test_what_must_not_be_due(make_journal):
    """Never contacted but not due: someone just added, someone paused or without a cadence, the
    stakeholder of a goal that is achieved."""
    root = make_journal({
        "people/new.md": person("New Person"),
        "people/paused.md": person("Paused", paused="true"),
        "people/none.md": person("No Cadence", cadence="none"),
        "people/done.md": person("Done Goal"),
        "goals/old.md": "---\ntitle: Old\nstakeholders: [done]\nstatus: achieved\n---\n"})
    for name in ("new", "paused", "none", "done"):
        set_file_day(root / "people" / f"{name}.md", dt.date(2026, 11, 1))
    analysis = analyze(root, TODAY)
    assert findings_of(analysis, "stale-contact") == []
    assert run_cli("due", root, "--today", TODAY.isoformat()).output == "Nothing due within 7 days.\n"


def test_new_person_writes_no_met_so_the_person_is_due_from_today(make_journal):
    root = make_journal({"people/ada.md": person("Ada", met="2026-11-01")})
    before = dt.date.today()
    assert run_cli("new", "person", "Grace Hopper", "--journal", root, "--no-edit").exit_code == 0
    today = dt.date.today()
    grace = status(root, "grace-hopper", today)
    assert grace.first_seen in (before, today)  # today: the day it was written (midnight may fall in between)
    assert grace.next_due == grace.first_seen + dt.timedelta(days=grace.cadence)
