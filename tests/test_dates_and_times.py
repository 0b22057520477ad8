"""Dates as people write them: with a time of day (the date counts), and near the end of the calendar."""
import pytest
from click.testing import CliRunner
from conftest import TODAY, person

from netjournal.cli import main
from netjournal.load import load_note

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
