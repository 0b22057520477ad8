"""Dates as people write them: with a time of day (the date counts), and near the end of the calendar."""
import re

import pytest
from click.testing import CliRunner

from netjournal.cli import main
from netjournal.load import load_note

from conftest import TODAY, person

TIMES = ["2026-11-18 10:00", "2026-11-18T10:00", "2026-11-18 10:00Z", "2026-11-18 10:00 +01:00",
         "2026-11-18t10:00:30.25-05:00", "2026-11-18  9:05:59", "2026-11-18T23:30-11", '"2026-11-18 10:00"',
         "'2026-11-18T10:00+01:00'"]


@pytest.mark.parametrize("when", TIMES)
def test_a_time_of_day_after_a_date_is_accepted_and_the_date_counts(make_journal, tmp_path, when):
    root = make_journal({
        "people/ada.md": person("Ada", met=when, snooze_until=when),
        "interactions/2026/a.md": f"---\ndate: {when}\nwith: ada\nfollow_ups:\n  - {{what: call, due: {when}}}\n---\n",
        "goals/g.md": f"---\ntitle: G\nstakeholders: [ada]\ntarget: {when}\n---\n",
        "comments/c.md": f"---\nauthor: Mentor\ndate: {when}\nabout: ada\n---\nGood.\n",
    })
    result = CliRunner().invoke(main, ["check", str(root), "--today", TODAY.isoformat(), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert '"invalid-value"' not in result.output and '"invalid-front-matter"' not in result.output, result.output
    for kind, rel in (("people", "people/ada.md"), ("interactions", "interactions/2026/a.md"),
                      ("goals", "goals/g.md"), ("comments", "comments/c.md")):
        loaded = load_note(kind, rel, (root / rel).read_bytes())
        assert loaded.findings == [], loaded.findings
        dates = {name: getattr(loaded.record, name) for name in ("met", "snooze_until", "date", "target")
                 if hasattr(loaded.record, name)}
        assert {str(day) for day in dates.values()} == {"2026-11-18"}, dates
        if kind == "interactions":
            assert str(loaded.record.follow_ups[0].due) == "2026-11-18"
    built = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "site"), "--today", TODAY.isoformat()])
    assert built.exit_code == 0, built.output


@pytest.mark.parametrize("when", ["2026-11-18 25:00", "2026-11-18 10:60", "2026-02-30 10:00", "2026-11-18 10",
                                  "2026-11-18 10:00 +1:00:00"])
def test_an_impossible_time_is_an_invalid_value_on_its_line(when):
    loaded = load_note("interactions", "interactions/a.md",
                       f"---\nwith: ada\ndate: {when}\ntitle: Lunch\n---\n".encode())
    assert [(f.code, f.source.line) for f in loaded.findings] == [("invalid-value", 3)], loaded.findings


FAR = {
    "people/ada.md": person("Ada", met="9999-12-31", cadence="30d", snooze_until="9999-12-31"),
    "people/bob.md": person("Bob", met="9999-12-01", cadence="1y"),
    "people/cy.md": person("Cy", met="0001-01-01", cadence="1y"),
    "interactions/9999/a.md": "---\ndate: 9999-12-31\nwith: [ada, bob]\ngave: [a hand]\n"
                              "follow_ups:\n  - {what: call, due: 9999-12-31}\n---\n- [ ] write 📅 9999-12-31\n",
    "interactions/0001/b.md": "---\ndate: 0001-01-01\nwith: cy\nasked: [a favour]\n---\n",
    "goals/g.md": "---\ntitle: G\nstakeholders: [ada, cy]\ntarget: 9999-12-31\n---\n",
}


@pytest.mark.parametrize("today", ["9999-12-31", "9999-12-25", "0001-01-01", "0001-01-02", TODAY.isoformat()])
def test_dates_at_the_ends_of_the_calendar_never_stop_a_command(make_journal, tmp_path, today):
    from icalendar import Calendar

    root = make_journal(FAR)
    runner = CliRunner()
    for args in (["check", str(root)], ["due", str(root)], ["build", str(root), "-o", str(tmp_path / "site")],
                 ["build", str(root), "-o", str(tmp_path / "site")],  # again: the incremental build
                 *(["export", fmt, str(root)] for fmt in ("ics", "json", "csv", "vcard"))):
        result = runner.invoke(main, [*args, "--today", today])
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.output)
        assert result.exit_code in (0, 1), (args, result.output)
    feed = runner.invoke(main, ["export", "ics", str(root), "--today", today]).stdout_bytes
    events = Calendar.from_ical(feed).walk("VEVENT")
    assert events and all(e.decoded("dtend", e.decoded("dtstart")) >= e.decoded("dtstart") for e in events)
    dates = re.findall(rb"(?:DTSTART|DTEND);VALUE=DATE:([^\r]*)", feed)
    assert dates and all(re.fullmatch(rb"[0-9]{8}", date) for date in dates), dates
    assert (tmp_path / "site" / "people" / "ada.html").is_file()


@pytest.mark.parametrize("kind, front, field", [
    ("people", "name: null", "name"), ("people", 'name: ""', "name"), ("people", "name: '  '", "name"),
    ("people", "name:", "name"), ("goals", "title: null\nstakeholders: [ada]", "title"),
    ("interactions", "date: 2026-11-01\nwith: null", "with"), ("interactions", "date: 2026-11-01\nwith: []", "with"),
])
def test_an_empty_required_field_is_reported_and_the_note_still_counts(kind, front, field):
    loaded = load_note(kind, f"{kind}/x.md", f"---\n{front}\n---\nBody.\n".encode())
    assert [f.code for f in loaded.findings] == ["missing-field"], loaded.findings
    assert f"'{field}'" in loaded.findings[0].message
    if kind != "interactions":  # a person or goal without a name still loads, under its file name
        assert loaded.record is not None and loaded.record.id == "x"
