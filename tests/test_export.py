"""Exports, each read back with an independent reader: icalendar, a JSON Schema validator, csv, vobject."""
import csv
import io
import json
import re

import jsonschema
import pytest
from click.testing import CliRunner

from netjournal.analyze import analyze
from netjournal.cli import main
from netjournal.engine import build_site
from netjournal.export import to_ics, to_vcard

from conftest import EXAMPLE, REPO, TODAY, person, run_cli
from hostile_journals import AUDIENCES, CANARY, FILES


def export(*args):
    result = CliRunner().invoke(main, ["export", *args, "--today", "2026-11-22"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_ics_parses_with_stable_uids_and_alarms():
    from icalendar import Calendar
    calendar = Calendar.from_ical(export("ics", str(EXAMPLE)))
    events = [c for c in calendar.walk("VEVENT")]
    occasions = [str(e["summary"]) for e in events if str(e["summary"]).startswith("Congratulate")
                 or "birthday" in str(e["summary"]) or "anniversary" in str(e["summary"])]
    assert occasions == ["Congratulate Grace Liu", "Kenji Watanabe's birthday",
                         "Priya Natarajan: work anniversary at Northwind (5 years)"]
    follow_ups = [e for e in events if not str(e["summary"]).startswith("Reach out")
                  and str(e["summary"]) not in occasions]
    # the example's open follow-ups with a due date, and Lena's without one, open 14 days on 2026-11-03
    assert len(follow_ups) == 6
    assert all(e.walk("VALARM") for e in events)
    # in the order of importance: first the promise to Tomás, the goal's never-contacted stakeholder
    assert str(events[0]["summary"]) == "ask Tomás for the calibration calendar (Tomás Reyes)"
    amara = next(e for e in events if str(e["summary"]) == "send Amara the outreach summary (Amara Okafor)")
    assert str(amara["dtstart"].to_ical().decode()) == "20261122"  # due 2026-09-01: overdue, so on today
    assert "Due 2026-09-01, 82 days ago. Why now: goal stakeholder" in str(amara["description"])
    again = Calendar.from_ical(export("ics", str(EXAMPLE)))
    assert [str(e["uid"]) for e in events] == [str(e["uid"]) for e in again.walk("VEVENT")]
    assert len({str(e["uid"]) for e in events}) == len(events)


def test_ics_uid_survives_other_edits(make_journal):
    root = make_journal({"people/a.md": person("Ada"), "interactions/x.md":
                         "---\ndate: 2026-11-01\nwith: a\nfollow_ups:\n  - {what: send deck, due: 2026-11-30}\n---\n"})
    from icalendar import Calendar

    def uids():
        cal = Calendar.from_ical(to_ics(analyze(root, TODAY).site()))
        return {str(e["summary"]): str(e["uid"]) for e in cal.walk("VEVENT")}

    before = uids()
    (root / "people" / "b.md").write_text(person("Bob"), encoding="utf-8")
    (root / "interactions" / "x.md").write_text((root / "interactions" / "x.md").read_text() + "More notes.\n")
    after = uids()
    assert before["send deck (Ada)"] == after["send deck (Ada)"]


def test_ics_events_kept_between_rebuilds_equal_events_made_anew(make_journal):
    """Events are kept by what they show (serve and the daemon make the feed again after each edit): a feed
    made with them is byte for byte one made with none, after an edit, a rename or another day."""
    from netjournal import export as export_module

    note = "---\ndate: 2026-11-01\nwith: a\nfollow_ups:\n  - {what: send deck, due: 2026-11-30}\n---\n"
    root = make_journal({"people/a.md": person("Ada"), "interactions/x.md": note})

    def both(day=TODAY):
        kept = to_ics(analyze(root, day).site())
        export_module._event.cache_clear()
        assert to_ics(analyze(root, day).site()) == kept
        return kept

    first = both()
    (root / "interactions" / "x.md").write_text(note.replace("send deck, due: 2026-11-30", "send the deck, due: 2026-12-02"))
    assert both() != first
    (root / "people" / "a.md").write_text(person("Ada <Lovelace>"))
    assert b"Lovelace" in both()
    assert both(TODAY.replace(day=TODAY.day + 1)) != both()  # another day: another DTSTAMP


def test_ics_text_is_escaped_and_folded(make_journal):
    """The calendar is written by hand: hostile and long texts must read back exactly with icalendar."""
    from icalendar import Calendar
    what = "call; then, maybe \\ email ☎ " + "é" * 60
    root = make_journal({"people/a.md": person("Ada, \"the\"; Countess"), "interactions/x.md":
                         "---\ndate: 2026-11-01\nwith: a\nfollow_ups:\n  - {what: " + json.dumps(what)
                         + ", due: 2026-11-30}\n---\n"})
    data = to_ics(analyze(root, TODAY).site())
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    data.decode("utf-8")  # folding never splits a character
    summaries = {str(e["summary"]) for e in Calendar.from_ical(data).walk("VEVENT")}
    assert f'{what} (Ada, "the"; Countess)' in summaries
    assert 'Reach out to Ada, "the"; Countess' in summaries


def test_build_writes_a_subscribable_calendar(tmp_path):
    build_site(EXAMPLE, TODAY, tmp_path / "site")
    assert (tmp_path / "site" / "follow-ups.ics").read_bytes() == export("ics", str(EXAMPLE))
    assert 'href="follow-ups.ics"' in (tmp_path / "site" / "follow-ups.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("audience", ["owner", "mentor"])
def test_json_validates_against_the_shipped_schema(audience):
    schema = json.loads((REPO / "docs" / "export.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(export("json", str(EXAMPLE), "--audience", audience))
    jsonschema.validate(data, schema)
    assert data["schema_version"] == 1 and data["audience"] == audience
    names = {p["name"] for p in data["people"]}
    assert ("Elena Duarte" in names) == (audience == "owner")
    if audience == "mentor":
        assert all(i["id"].startswith("i") and "/" not in i["id"] for i in data["interactions"])
        assert all(f["path"] is None for f in data["findings"])


def test_csv_one_row_per_person():
    rows = list(csv.DictReader(io.StringIO(export("csv", str(EXAMPLE)).decode())))
    assert len(rows) == 15
    oliver = next(r for r in rows if r["id"] == "oliver-brandt")
    assert (oliver["asked"], oliver["gave"], oliver["last_contact"]) == ("6", "0", "2026-11-10")
    marcus = next(r for r in rows if r["id"] == "marcus-oyelaran")
    assert marcus["open_follow_ups"] == "1" and marcus["next_due"] == "2026-12-05"


def test_vcard_export_reads_back(make_journal):
    import vobject
    root = make_journal({"people/a.md": person("Jürgen Müller-Lüdenscheidt, Jr.", email="[j@example.org, j2@example.org]",
                                              org='"Acme; Sons"', role="CEO", tags="[alumni]",
                                              links="[https://example.org/" + "x" * 120 + "]")})
    text = to_vcard(analyze(root, TODAY).site())
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    (card,) = list(vobject.readComponents(text))
    assert card.fn.value == "Jürgen Müller-Lüdenscheidt, Jr." and card.version.value == "4.0"
    assert [e.value for e in card.contents["email"]] == ["j@example.org", "j2@example.org"]
    assert card.url.value.endswith("x" * 120)


def test_a_contacts_label_is_its_vcard_type_where_vcard_has_one(make_journal):
    """Labelled contacts (`phone: {mobile: …}`) were written into the value (`TEL:mobile: +44 …`), which an
    address book cannot dial."""
    import vobject
    root = make_journal({"people/a.md": "---\nname: Ada\nphone:\n  mobile: '+44 7700 900123'\n  home work: '020 7946 0999'\n"
                                        "  signal: '+44 7700 900555'\nemail: [{work: ada@example.org}, "
                                        "'9-5: ada@example.net']\n---\n"})
    text = to_vcard(analyze(root, TODAY).site())
    assert "TEL;TYPE=cell:+44 7700 900123\r\n" in text and "TEL;TYPE=home,work:020 7946 0999\r\n" in text
    assert "TEL:signal: +44 7700 900555\r\n" in text and "EMAIL;TYPE=work:ada@example.org\r\n" in text
    (card,) = list(vobject.readComponents(text))
    assert [(t.value, t.params.get("TYPE")) for t in card.contents["tel"]] == [
        ("+44 7700 900123", ["cell"]), ("020 7946 0999", ["home", "work"]), ("signal: +44 7700 900555", None)]
    assert [e.value for e in card.contents["email"]] == ["ada@example.org", "9-5: ada@example.net"]


def test_export_to_a_file_and_audience_errors(tmp_path):
    out = tmp_path / "out" / "people.csv"
    result = CliRunner().invoke(main, ["export", "csv", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("id,name,")
    assert CliRunner().invoke(main, ["export", "csv", str(EXAMPLE), "--audience", "boss"]).exit_code == 2
    assert CliRunner().invoke(main, ["export", "pdf", str(EXAMPLE)]).exit_code == 2


# What a journal holds that is the user's own: an export written over one of them loses it.
KEPT = {"netjournal.toml": "[journal]\ntitle = \"Mine\"\n", ".gitignore": "private/\n",
        ".gitattributes": "*.md text eol=lf\n", ".git/HEAD": "ref: refs/heads/main\n",
        "templates/person.html": "{% extends 'base.html' %}\n", "people/ada.md": person("Ada"),
        "private/people/zoe.md": person("Zoe"),
        ".netjournal-cache/audience/key": "k" * 32,  # the audience's secret (review: replaced, and made readable)
        # another tool's settings, and any file there but an earlier export (helper-47)
        ".obsidian/app.json": '{"theme": "dark"}\n', "attachments/cv.pdf": "%PDF-1.7\n", "README": "mine\n"}


def export_to(root, out):
    return run_cli("export", "csv", root, "-o", out, "--today", TODAY.isoformat())


@pytest.mark.parametrize("rel", KEPT)
def test_an_export_never_replaces_a_file_the_journal_keeps(make_journal, rel):
    """`-o` at the config, git's files, a template or a note would replace the user's own file (a
    .gitignore without its private/ line lets private notes be committed): refused, the file as it was."""
    root = make_journal(KEPT)
    before = (root / rel).read_bytes()
    result = export_to(root, root / rel)
    assert result.exit_code == 1 and "refusing" in result.output, result.output
    assert (root / rel).read_bytes() == before


@pytest.mark.parametrize("link_is", ["-o", "the journal's .gitignore"])
def test_a_symlink_to_or_as_the_journals_gitignore_is_refused(make_journal, tmp_path, link_is):
    """A symlink named by -o that leads to the journal's .gitignore, or a .gitignore that is a symlink
    (the export would replace the link): refused, both the link and the file it leads to unchanged."""
    root = make_journal(KEPT)
    if link_is == "-o":
        link, target = tmp_path / "people.csv", root / ".gitignore"
    else:
        link, target = root / ".gitignore", tmp_path / "gitignore"
        target.write_bytes(link.read_bytes())
        link.unlink()
    link.symlink_to(target)
    result = export_to(root, link)
    assert result.exit_code == 1 and "refusing" in result.output, result.output
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_bytes() == b"private/\n"


def test_an_export_replaces_an_earlier_export_in_or_outside_the_journal(make_journal, tmp_path):
    """What the refusal must not stop: exporting again over the last export, in the journal or elsewhere."""
    root = make_journal(KEPT)
    for out in (root / "exports" / "people.csv", tmp_path / "people.csv"):
        assert export_to(root, out).exit_code == 0
        (root / "people" / "bob.md").write_text(person("Bob"), encoding="utf-8")
        result = export_to(root, out)
        assert result.exit_code == 0, result.output
        assert "Bob" in out.read_text(encoding="utf-8")
        (root / "people" / "bob.md").unlink()


@pytest.mark.parametrize("fmt", ["ics", "json", "csv", "vcard"])
def test_audience_exports_leak_no_canary(tmp_path, fmt):
    from conftest import write_journal
    root = write_journal(tmp_path / "journal", FILES)
    for audience in AUDIENCES:
        data = export(fmt, str(root), "--audience", audience).lower()
        leaked = [k for k, v in CANARY.items() if v.lower().encode() in data]
        assert leaked == [], (audience, leaked)


# Line breaks a note can carry in a quoted YAML value (the note's own line ends are made LF on reading).
LINE_BREAKS = ["\\r", "\\n", "\\r\\n", "\\x0b", "\\x0c", "\\x1c", "\\x1d", "\\x1e", "\\x85", "\\u2028", "\\u2029"]


@pytest.mark.parametrize("brk", LINE_BREAKS)
def test_a_line_break_in_a_field_cannot_split_a_vcard(make_journal, tmp_path, brk):
    """A field holding a line break must not end the card and start an injected one: every card reads
    back (with the universal line ends a text file is read with) as exactly the people exported."""
    import vobject

    injected = f"{brk}END:VCARD{brk}BEGIN:VCARD{brk}VERSION:4.0{brk}FN:Injected{brk}EMAIL:evil@example.org"
    root = make_journal({
        "people/ana.md": f'---\nname: "Ana{injected}"\norg: "Acme{injected}"\nrole: "CEO{injected}"\n'
                         f'email: ["ana@example.org{injected}"]\nphone: ["+1 555{injected}"]\n'
                         f'tags: ["x{injected}"]\nlinks: ["https://example.org/{injected}"]\n---\n',
        "people/bob.md": person("Bob")})
    out = tmp_path / "people.vcf"
    result = CliRunner().invoke(main, ["export", "vcard", str(root), "-o", str(out), "--today", "2026-11-22"])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8") as handle:  # newline=None: \r, \n and \r\n all end a line
        cards = list(vobject.readComponents(handle.read()))
    assert sorted(re.match("[A-Za-z]*", card.fn.value).group() for card in cards) == ["Ana", "Bob"]
    assert all("evil@example.org" not in [e.value for e in card.contents.get("email", [])] for card in cards)
    lines = out.read_bytes().decode("utf-8").split("\r\n")
    assert lines.count("BEGIN:VCARD") == 2 and lines.count("END:VCARD") == 2
    assert all(not any(c in line for c in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029") for line in lines)


@pytest.mark.parametrize("brk", LINE_BREAKS)
def test_a_line_break_in_a_field_cannot_split_a_calendar_event(make_journal, brk):
    """As for a vCard: a follow-up, a person's name or the journal's title holding a line break must not
    end its event and start an injected one (the calendar escaped only CR and LF); other control
    characters, which RFC 5545 allows in no value, are replaced."""
    from icalendar import Calendar

    injected = f"{brk}END:VEVENT{brk}BEGIN:VEVENT{brk}SUMMARY:Injected{brk}DTSTART:20261201"
    in_toml = re.sub(r"\\x(..)", r"\\u00\1", injected)  # TOML writes \x0b as \u000b
    root = make_journal({
        "netjournal.toml": f'title = "Mine{in_toml}"\n',
        "people/ana.md": f'---\nname: "Ana{injected}\\x01\\x7f\\x9f"\n---\n',
        "interactions/2026/x.md": f'---\ndate: 2026-11-01\nwith: ana\nfollow_ups:\n'
                                  f'  - {{what: "call{injected}", due: 2026-11-30}}\n---\n'})
    data = export("ics", str(root)).decode("utf-8")
    events = Calendar.from_ical(io.StringIO(data, newline=None).read()).walk("VEVENT")
    assert events and not any(str(event["summary"]).startswith("Injected") for event in events)
    lines = data.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == len(events) == lines.count("END:VEVENT")
    forbidden = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x01\x7f\x9f"
    assert all(not any(c in line for c in forbidden) for line in lines)


FORMULAS = ["=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+9)*cmd|' /C calc'!A0",
            "\\t=1+1", "\\r=1+1", " =1+1"]


def test_a_line_break_inside_a_csv_cell_keeps_the_row_whole(make_journal):
    """helper-68: a lone CR inside a name was written bare (the writer quotes only the `\\n` it ends rows
    with), so it began a row, whose first cell, a formula, escaped the guard."""
    root = make_journal({"people/eve.md": '---\nname: "Eve\\r=cmd|\' /C calc\'!A0"\norg: "a\\u2028=1+1"\n---\n'})
    rows = list(csv.reader(io.StringIO(export("csv", str(root)).decode())))
    assert len(rows) == 2 and rows[1][:3] == ["eve", "Eve\n=cmd|' /C calc'!A0", "a\n=1+1"], rows


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_cells_that_a_spreadsheet_would_run_are_written_as_text(make_journal, formula):
    """A cell starting with = + - @ (or a tab or CR) is a formula to a spreadsheet: such text from a note
    is written with a leading apostrophe, which spreadsheets show as text, and nothing else changes."""
    root = make_journal({"people/=ana.md": f'---\nname: "{formula}"\norg: "{formula}"\nrole: "{formula}"\n'
                                           f'email: ["{formula}"]\ntags: ["{formula}"]\n---\n',
                         "people/bob.md": person("Bob", org='"-"', role="Head of - things")})
    rows = list(csv.DictReader(io.StringIO(export("csv", str(root)).decode())))
    ana = next(row for row in rows if row["id"] == "'=ana")
    for column in ("name", "org", "role", "email", "tags"):  # the loader strips the spaces around a value
        assert ana[column][0] == "'" and ana[column][1] in "=+-@", (column, ana[column])
    assert ana["name"] == "'" + json.loads(f'"{formula}"').strip()
    bob = next(row for row in rows if row["id"] == "bob")
    assert (bob["name"], bob["role"], bob["org"]) == ("Bob", "Head of - things", "'-")
    assert all(not row["overdue_days"].startswith("'") for row in rows)  # netjournal's own numbers stay numbers
