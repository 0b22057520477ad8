"""What the commands print of notes reaches a terminal without control characters: a note from a shared
journal (a mentor's comment, a colleague's commit, an imported card) could otherwise move the cursor,
erase the lines above (a finding hidden), retitle the window or write to the clipboard."""
import re

import pytest

from conftest import TODAY, run_cli

# an escape sequence that erases the line above, one that retitles the window, a C1 CSI, a carriage return
HOSTILE = "Eve\x1b[1A\x1b[2K\x1b]0;pwned\x07\x9b2J\r"
ESCAPED = HOSTILE.encode("unicode_escape").decode("ascii").replace('"', '\\"')
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def hostile_journal(make_journal):
    return make_journal({
        "people/eve.md": f'---\nname: "{ESCAPED}"\ncadence: 14d\ntags: ["{ESCAPED}"]\n---\nBody.\n',
        "interactions/2026/call.md": f'---\ndate: 2026-10-01\nwith: [eve]\ntitle: "{ESCAPED}"\n'
                                     f'asked: ["{ESCAPED}"]\nfollow_ups:\n  - what: "{ESCAPED}"\n'
                                     "    due: 2026-10-10\n---\n",
        "interactions/2026/broken.md": f'---\ndate: 2026-10-02\nwith: ["{ESCAPED}"]\n---\n',
    })


@pytest.mark.parametrize("command", [
    ["check", "{journal}"], ["check", "{journal}", "--format", "json"], ["due", "{journal}"],
    ["review", "{journal}", "--since", "2026-09-01"], ["intro", "eve", "--journal", "{journal}"], ["brief", "eve", "--journal", "{journal}"],
    ["brief", HOSTILE, "--journal", "{journal}"], ["intro", "Ev", "--journal", "{journal}"]])
def test_what_a_command_prints_of_a_note_holds_no_control_character(hostile_journal, command):
    result = run_cli(*(str(hostile_journal) if arg == "{journal}" else arg for arg in command),
                     "--today", TODAY.isoformat())
    assert "Eve" in result.output or "eve" in result.output, result.output
    assert not CONTROL.search(result.output), repr(result.output)


def test_an_export_shown_on_a_terminal_holds_no_control_character(hostile_journal, monkeypatch):
    shown = run_cli("export", "csv", hostile_journal, "--today", TODAY.isoformat())
    assert "\x1b" in shown.output  # piped, an export is the data as written
    monkeypatch.setattr("netjournal.cli.stdout_is_terminal", lambda: True)
    shown = run_cli("export", "csv", hostile_journal, "--today", TODAY.isoformat())
    assert "Eve" in shown.output and not CONTROL.search(shown.output), repr(shown.output)


def test_a_vcard_imported_with_escape_sequences_is_reported_without_them(make_journal, tmp_path):
    root = make_journal({"people/eve.md": "---\nname: Eve\n---\n"})
    card = tmp_path / "cards.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve\r\nEND:VCARD\r\n"
                    f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{HOSTILE}\r\nEND:VCARD\r\n", encoding="utf-8")
    result = run_cli("import", "vcard", card, "--journal", root, "--dry-run")
    assert "Eve" in result.output and not CONTROL.search(result.output), repr(result.output)
