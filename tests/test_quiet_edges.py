"""Quiet edges (issue 28, item 7): a contact past its cadence is information (listed by `due`) until it is
late by more than a quarter of the cadence, then a warning; a person paused `until:` a day gets no
reminders before it and a welcome back on it."""
import datetime as dt

from conftest import findings_of, interaction, person, run_cli

ADA = {"people/ada.md": person("Ada", cadence="30d"), "interactions/a.md": interaction("2026-10-18", "ada")}


def test_a_contact_just_due_is_information_and_late_by_a_quarter_a_warning(check_journal):
    (due,) = findings_of(check_journal(ADA), "stale-contact")  # due 2026-11-17: 5 days late of 30
    assert due.severity.label == "info"
    assert "Ada —" in run_cli("due", check_journal(ADA).root, "--today", "2026-11-22").output
    late = {**ADA, "interactions/a.md": interaction("2026-10-14", "ada")}  # due 2026-11-13: 9 days late
    (warning,) = findings_of(check_journal(late), "stale-contact")
    assert warning.severity.label == "warning"
    edge = {**ADA, "interactions/a.md": interaction("2026-10-15", "ada")}  # 8 days late, 30 / 4 = 7.5
    assert findings_of(check_journal(edge), "stale-contact")[0].severity.label == "warning"
    quarter = {**ADA, "interactions/a.md": interaction("2026-10-16", "ada")}  # 7 days late: not more
    assert findings_of(check_journal(quarter), "stale-contact")[0].severity.label == "info"


def test_paused_until_a_day_then_welcome_back(check_journal):
    files = {"people/sofia.md": person("Sofia", cadence="30d", paused="{until: 2026-11-20}"),
             "interactions/a.md": interaction("2026-01-10", "sofia")}
    before = check_journal(files, dt.date(2026, 11, 19))
    assert findings_of(before, "stale-contact") == [] and findings_of(before, "welcome-back") == []
    (welcome,) = findings_of(check_journal(files), "welcome-back")
    assert welcome.message == "Sofia: back from a pause on 2026-11-20; welcome them back"
    assert findings_of(check_journal(files), "stale-contact") == []
    due = run_cli("due", check_journal(files).root, "--today", "2026-11-22").output
    assert "Sofia — back from a pause on 2026-11-20: welcome them back" in due
    welcomed = {**files, "interactions/b.md": interaction("2026-11-21", "sofia")}
    assert findings_of(check_journal(welcomed), "welcome-back") == []


def test_a_bad_until_is_reported_and_the_person_stays_paused(check_journal):
    files = {"people/sofia.md": person("Sofia", paused="{until: spring}")}
    analysis = check_journal(files)
    (problem,) = findings_of(analysis, "invalid-value")
    assert problem.path == "people/sofia.md" and "paused" in problem.message
    assert analysis.journal.people["sofia"].paused
