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


@pytest.mark.parametrize("fmt", ["csv", "json", "vcard", "ics"])
def test_an_export_shown_on_a_terminal_holds_no_control_character(hostile_journal, monkeypatch, fmt):
    piped = run_cli("export", fmt, hostile_journal, "--today", TODAY.isoformat()).stdout_bytes.decode()
    monkeypatch.setattr("netjournal.cli.stdout_is_terminal", lambda: True)
    shown = run_cli("export", fmt, hostile_journal, "--today", TODAY.isoformat()).stdout_bytes.decode()
    assert "Eve" in shown and not CONTROL.search(shown.replace("\r\n", "\n")), repr(shown)
    if fmt == "csv":
        assert "\x1b" in piped  # piped, an export is the data as written
    if fmt in ("vcard", "ics"):  # helper-69: their CRLF line ends were shown as `\x0d`
        assert "\\x0d" not in shown and shown.count("\r\n") == piped.count("\r\n") > 0


def test_a_vcard_imported_with_escape_sequences_is_reported_without_them(make_journal, tmp_path):
    root = make_journal({"people/eve.md": "---\nname: Eve\n---\n"})
    card = tmp_path / "cards.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve\r\nEND:VCARD\r\n"
                    f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{HOSTILE}\r\nEND:VCARD\r\n", encoding="utf-8")
    result = run_cli("import", "vcard", card, "--journal", root, "--dry-run")
    assert "Eve" in result.output and not CONTROL.search(result.output), repr(result.output)


def test_a_control_character_is_shown_as_its_escape_never_as_nothing(make_journal):
    """helper-68: control characters were dropped, so a person named `ad\\aa` printed as a real `ada`, and a
    file name with an escape could not be found from the path printed."""
    root = make_journal({"people/ada.md": "---\nname: Ada\n---\n",
                         "people/x.md": '---\nname: "ad\\aa"\ncadence: 7d\nmet: 2026-01-01\n---\n'})
    result = run_cli("due", root, "--today", TODAY.isoformat())
    assert "ad\\x07a" in result.output and not CONTROL.search(result.output), result.output


def test_json_escapes_what_a_terminal_acts_on_and_keeps_the_path(make_journal):
    """helper-68: JSON leaves C1 controls and marks that reorder text raw, and `say` dropped them, so the
    path a tool read back named no file."""
    import json
    root = make_journal({"people/e\x9bvil\u202e.md": "---\nname: [broken\n---\n"})
    result = run_cli("check", root, "--format", "json", "--today", TODAY.isoformat())
    assert not CONTROL.search(result.output) and "\u202e" not in result.output
    assert json.loads(result.output)[0]["path"] == "people/e\x9bvil\u202e.md"
    shown = run_cli("export", "json", root, "--today", TODAY.isoformat())
    assert "\\u009b" in shown.output and "\x9b" not in shown.output


def test_a_bad_audience_or_host_is_refused_without_control_characters(make_journal):
    root = make_journal({"netjournal.toml": '[audience."men\\u001b]0;AUD\\u0007tor"]\n',
                         "people/ada.md": "---\nname: Ada\n---\n"})
    result = run_cli("export", "json", root, "--audience", "zz\x9b")
    assert result.exit_code == 2 and "men\\x1b]0;AUD" in result.output and not CONTROL.search(result.output)
    for host in ("a\x9b", "a\x1bb"):  # helper-69: IDNA lets an ASCII control character through
        result = run_cli("serve", root, "--host", host, "--port", "0")
        assert result.exit_code == 1 and "no host name" in result.output and not CONTROL.search(result.output)


def test_vobject_reports_a_line_it_skips_without_its_control_characters(tmp_path, caplog):
    """helper-68: vobject logs each line of a card it skips to the terminal, as written."""
    from netjournal.importers import read_vcards

    card = tmp_path / "v.vcf"
    card.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vic\r\x1b]0;PWNED\x07\x1b[1A\x1b[2Ktor\r\nEND:VCARD\r\n")
    assert [contact.name for contact in read_vcards(card)] == ["Vic"]
    logged = [record.getMessage() for record in caplog.records if record.name.startswith("vobject")]
    assert logged and all("\\x1b]0;PWNED" in line and not CONTROL.search(line) for line in logged), logged
