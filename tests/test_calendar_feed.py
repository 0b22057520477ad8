"""The calendar feed (follow-ups.ics, `netjournal export ics`): an overdue follow-up sits on today, where a
calendar app shows it, as contact reminders do, and says when it was due; its UID stays, so a subscribed
calendar moves it rather than adding another."""
import re

from click.testing import CliRunner

from netjournal.cli import main
from netjournal.engine import build_site

from conftest import TODAY, person

JOURNAL = {
    "people/ada.md": person("Ada Lovelace", cadence="none"),
    "interactions/a.md": "---\ndate: 2026-11-01\nwith: ada\nfollow_ups:\n"
                         "  - {what: send the deck, due: 2026-11-15}\n  - {what: book the lunch, due: 2026-11-25}\n"
                         "  - {what: call back, due: 2026-11-22}\n---\n",
}


def events(ics: str) -> dict[str, dict[str, str]]:
    unfolded = ics.replace("\r\n ", "")
    found = {}
    for block in re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", unfolded, re.DOTALL):
        event = block.split("BEGIN:VALARM")[0]  # the alarm has a DESCRIPTION of its own
        fields = dict(line.split(":", 1) for line in event.split("\r\n") if ":" in line)
        found[fields["SUMMARY"]] = fields
    return found


def test_an_overdue_follow_up_sits_on_today_and_says_when_it_was_due(make_journal, tmp_path):
    root = make_journal(JOURNAL)
    build_site(root, TODAY, tmp_path / "site")
    found = events((tmp_path / "site" / "follow-ups.ics").read_bytes().decode("utf-8"))
    late = found["send the deck (Ada Lovelace)"]
    assert late["DTSTART;VALUE=DATE"] == "20261122" and late["DTEND;VALUE=DATE"] == "20261123"
    assert late["DESCRIPTION"] == (r"Follow-up with Ada Lovelace. Due 2026-11-15\, 7 days ago. "
                                   r"Why now: 3 promises open\, 1 overdue.")
    assert found["call back (Ada Lovelace)"]["DTSTART;VALUE=DATE"] == "20261122"
    assert found["call back (Ada Lovelace)"]["DESCRIPTION"] == (r"Follow-up with Ada Lovelace. "
                                                                r"Why now: 3 promises open\, 1 overdue.")
    assert found["book the lunch (Ada Lovelace)"]["DTSTART;VALUE=DATE"] == "20261125"
    exported = tmp_path / "earlier.ics"
    CliRunner().invoke(main, ["export", "ics", str(root), "--today", "2026-11-10", "-o", str(exported)])
    earlier = events(exported.read_bytes().decode("utf-8"))
    assert earlier["send the deck (Ada Lovelace)"]["DTSTART;VALUE=DATE"] == "20261115"
    assert earlier["send the deck (Ada Lovelace)"]["UID"] == late["UID"]
