"""Imports from real-world files: vCard quirks, Google's two CSV layouts, LinkedIn's export; never
overwriting, all or nothing, and clear errors that write nothing."""
import base64
import errno

import pytest
from click.testing import CliRunner

from netjournal.analyze import analyze
from netjournal.cli import main

from conftest import TODAY, person

APPLE_VCF = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\n"
    "N:Spärck Jones;Karen;;;\r\nFN:Karen Spärck Jones\r\nORG:University of Cambridge;Computer Lab;\r\n"
    "TITLE:Professor\r\nitem1.EMAIL;type=INTERNET;type=pref:ksj@example.ac.uk\r\nitem1.X-ABLabel:_$!<Other>!$_\r\n"
    "EMAIL;type=INTERNET;type=HOME:karen@home.example\r\nTEL;type=CELL;type=VOICE;type=pref:+44 1223 000000\r\n"
    "item2.URL;type=pref:https://example.ac.uk/~ksj\r\nitem2.X-ABLabel:_$!<HomePage>!$_\r\n"
    "NOTE:Pioneer of information retrieval. Met at the SIGIR dinner\\, where we talked about\r\n"
    "  inverse document frequency.\r\nBDAY;VALUE=date:1935-08-26\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:" + base64.b64encode(b"\xff\xd8\xff" + b"x" * 300).decode()[:200] + "\r\n"
    " " + "A" * 60 + "\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\r\nTEL;WORK:+49 30 0000\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Only Name\r\nEND:VCARD\r\n"
)

GOOGLE_CURRENT = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Nickname,File As,Birthday,Notes,Photo,Labels,"
    "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,"
    "Organization Name,Organization Title,Website 1 - Label,Website 1 - Value\n"
    "Grace,Brewster,Hopper,,,,1906-12-09,\"Admiral, compiler pioneer\",,* myContacts ::: Mentors,"
    "* Work,grace@navy.example,Home,grace@home.example,Mobile,+1 555 0101 ::: +1 555 0102,"
    "US Navy,Rear Admiral,,https://example.org/grace\n"
    ",,,,,,,,https://photo.example/x.jpg,* myContacts,,,,,,,,,,\n"
)

GOOGLE_LEGACY = (
    "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,Family Name Yomi,"
    "Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,"
    "Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Language,Photo,Group Membership,"
    "E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Type,Organization 1 - Name,"
    "Organization 1 - Yomi Name,Organization 1 - Title,Website 1 - Type,Website 1 - Value\n"
    "Alan Turing,Alan,,Turing,,,,,,,,,,,1912-06-23,,,,,,,,,,,Codebreaker,,,* My Contacts ::: Bletchley,"
    "* Work,alan@bletchley.example,Mobile,+44 000,,\"GC&CS, Hut 8\",,Head of Hut 8,Home Page,https://turing.example\n"
)

LINKEDIN = (
    "Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing. "
    "You will only see email addresses for connections who have allowed their connections to see or download "
    "their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn "
    "more here https://www.linkedin.com/help/linkedin/answer/261\"\n\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Radia,Perlman,https://www.linkedin.com/in/radia-example,,\"Dell Technologies, Inc.\",Fellow,15 Mar 2024\n"
    "Tim,Berners-Lee,https://www.linkedin.com/in/tbl-example,tim@example.org,Inrupt,CTO,02 Jan 2023\n"
)


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return path


def run_import(*args):
    return CliRunner().invoke(main, ["import", *args], catch_exceptions=False)


def tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_vcard_quirks(make_journal, tmp_path):
    root = make_journal({"people/x.md": person("X")})
    result = run_import("vcard", str(write(tmp_path, "contacts.vcf", APPLE_VCF)), "--journal", str(root))
    assert result.exit_code == 0, result.output
    people = analyze(root, TODAY).journal.people
    karen = people["karen-spärck-jones"]
    assert karen.email == ("ksj@example.ac.uk", "karen@home.example") and karen.phone == ("+44 1223 000000",)
    assert karen.links == (("HomePage", "https://example.ac.uk/~ksj"),)
    assert karen.org == "University of Cambridge; Computer Lab" and karen.role == "Professor"
    assert "inverse document frequency" in karen.body and "where we talked" in karen.body
    assert people["jürgen-müller"].phone == ("+49 30 0000",)
    assert people["only-name"].email == ()
    assert [f for f in analyze(root, TODAY).findings if f.severity.label == "error"] == []
    assert "PHOTO" not in (root / "people" / "karen-spärck-jones.md").read_text(encoding="utf-8")


def test_google_both_layouts(make_journal, tmp_path):
    root = make_journal({"people/x.md": person("X")})
    assert run_import("google", str(write(tmp_path, "new.csv", GOOGLE_CURRENT)), str(write(tmp_path, "old.csv", GOOGLE_LEGACY)),
                      "--journal", str(root)).exit_code == 0
    people = analyze(root, TODAY).journal.people
    grace = people["grace-brewster-hopper"]
    assert grace.email == ("grace@navy.example", "grace@home.example")
    assert grace.phone == ("+1 555 0101", "+1 555 0102") and grace.tags == ("mentors",) and grace.org == "US Navy"
    alan = people["alan-turing"]
    assert alan.org == "GC&CS, Hut 8" and alan.role == "Head of Hut 8" and alan.tags == ("bletchley",)
    assert len(people) == 3  # the photo-only row of the current layout is skipped


def test_linkedin_export(make_journal, tmp_path):
    root = make_journal({"people/x.md": person("X")})
    assert run_import("linkedin", str(write(tmp_path, "Connections.csv", LINKEDIN)), "--journal", str(root)).exit_code == 0
    people = analyze(root, TODAY).journal.people
    radia = people["radia-perlman"]
    assert radia.org == "Dell Technologies, Inc." and radia.email == () and str(radia.met) == "2024-03-15"
    assert radia.links == (("LinkedIn", "https://www.linkedin.com/in/radia-example"),)
    assert people["tim-berners-lee"].email == ("tim@example.org",)


def test_matches_are_skipped_or_merged_never_overwritten(make_journal, tmp_path):
    original = "---\nname: Grace Hopper\nemail:\norg: Navy (mine)\n---\nMy own notes.\n"
    root = make_journal({"people/grace.md": original, "people/tim.md": person("Tim B", email="tim@example.org")})
    linkedin = write(tmp_path, "Connections.csv", LINKEDIN)
    skipped = run_import("linkedin", str(linkedin), "--journal", str(root))
    assert "skip Tim Berners-Lee: matches people/tim.md" in skipped.output
    google = write(tmp_path, "g.csv", GOOGLE_CURRENT.replace("Grace,Brewster,Hopper", "Grace,,Hopper"))
    dry = run_import("google", str(google), "--journal", str(root), "--merge", "--dry-run")
    assert "would fill role, email, phone, links, tags, birthday in" in dry.output
    assert (root / "people" / "grace.md").read_text() == original
    run_import("google", str(google), "--journal", str(root), "--merge")
    merged = (root / "people" / "grace.md").read_text()
    assert "org: Navy (mine)" in merged and "My own notes." in merged
    assert "email: [grace@navy.example, grace@home.example]" in merged
    grace = analyze(root, TODAY).journal.people["grace"]
    assert grace.org == "Navy (mine)" and grace.role == "Rear Admiral"


@pytest.mark.parametrize("source, name, content, words", [
    ("vcard", "notes.txt", "just some text\n", "not a vCard"),
    ("google", "x.csv", "Foo,Bar\n1,2\n", "not a Google Contacts CSV"),
    ("linkedin", "x.csv", "Name,Email\nA,b\n", "missing column"),
    ("vcard", "latin1.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Jos\xe9\nEND:VCARD\n".encode("latin-1"), "not UTF-8"),
    ("linkedin", "cr.csv", "a\rb,c\n", "malformed"),  # helper-68: a CR in the header ended in a traceback
    ("google", "cr.csv", "First Name,Last Name,E-mail 1 - Value,X\rY\nA,B,a@b.c,1\n", "malformed"),
])
def test_bad_files_write_nothing(make_journal, tmp_path, source, name, content, words):
    root = make_journal({"people/x.md": person("X")})
    result = run_import(source, str(write(tmp_path, name, content)), "--journal", str(root))
    assert result.exit_code == 1 and words in result.output
    assert sorted(p.name for p in (root / "people").iterdir()) == ["x.md"]


def test_a_failure_halfway_writes_no_partial_set(make_journal, tmp_path, monkeypatch):
    from netjournal import notewriter

    merged_before = "---\nname: Tim Berners-Lee\n---\nMine.\n"
    root = make_journal({"people/x.md": person("X"), "people/tim.md": merged_before})
    calls = {"n": 0}

    def disk_full_at_the_second_note(path, mode, *args, **kwargs):  # the file system fails, not netjournal
        if "x" in mode:
            calls["n"] += 1
            if calls["n"] == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(notewriter, "open", disk_full_at_the_second_note, raising=False)
    source = write(tmp_path, "c.csv", LINKEDIN + "Ada,Lovelace,,ada@example.org,,,01 Jan 2020\n")
    result = run_import("linkedin", str(source), "--journal", str(root), "--merge")
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert "No space left on device; nothing was written" in result.output
    assert sorted(p.name for p in (root / "people").iterdir()) == ["tim.md", "x.md"]
    assert (root / "people" / "tim.md").read_text() == merged_before


def test_round_trip_vcard(make_journal, tmp_path):
    source = make_journal({"people/x.md": person("X")})
    run_import("vcard", str(write(tmp_path, "c.vcf", APPLE_VCF)), "--journal", str(source))
    exported = CliRunner().invoke(main, ["export", "vcard", str(source)]).stdout_bytes
    target = make_journal({"people/y.md": person("Y")})
    assert run_import("vcard", str(write(tmp_path, "back.vcf", exported)), "--journal", str(target)).exit_code == 0
    a, b = analyze(source, TODAY).journal.people, analyze(target, TODAY).journal.people
    def contacts(people):
        return {p.name: p.email for p in people.values() if p.name not in ("X", "Y")}

    assert contacts(a) == contacts(b) and len(contacts(a)) == 3


HAND_WRITTEN = (
    "\ufeff---\r\n"
    "# Grace, as I know her\r\n"
    "name:   Grace Hopper   # the admiral\r\n"
    "email:      # her work address goes here\r\n"
    "tags: [ ]\r\n"
    "role: ~\r\n"
    "aliases:\r\n"
    "  - Amazing Grace\r\n"
    "links: {}\r\n"
    "\r\n"
    "org: Navy (mine)\r\n"
    "---\r\n"
    "My own notes.  \r\n"
)


def only_added_to(before: str, after: str) -> bool:
    """Is AFTER BEFORE with text added, every character of BEFORE kept, in order?"""
    rest = iter(after)
    return all(char in rest for char in before)


def test_merge_adds_text_and_changes_no_byte_of_a_hand_written_note(make_journal, tmp_path):
    root = make_journal({"people/grace.md": HAND_WRITTEN.encode("utf-8")})
    google = write(tmp_path, "g.csv", GOOGLE_CURRENT.replace("Grace,Brewster,Hopper", "Grace,,Hopper"))
    result = run_import("google", str(google), "--journal", str(root), "--merge")
    assert result.exit_code == 0, result.output
    assert "fill email, phone, tags, birthday in" in result.output
    assert "left role empty: it is written `role: ~`; fill it by hand" in result.output
    assert "left links empty: it is written `links: {}`; fill it by hand" in result.output
    after = (root / "people" / "grace.md").read_bytes().decode("utf-8")
    assert only_added_to(HAND_WRITTEN, after)
    kept = [line for line in HAND_WRITTEN.split("\r\n") if not line.startswith(("email:", "tags:"))]
    assert [line for line in after.split("\r\n") if line in kept] == kept  # every other line, in its order
    assert "email: [grace@navy.example, grace@home.example]      # her work address goes here\r\n" in after
    assert "tags: [mentors ]\r\n" in after and "\n" not in after.replace("\r\n", "")
    grace = analyze(root, TODAY).journal.people["grace"]
    assert grace.email == ("grace@navy.example", "grace@home.example") and grace.tags == ("mentors",)
    assert grace.phone == ("+1 555 0101", "+1 555 0102") and grace.role == "" and grace.org == "Navy (mine)"
    assert grace.aliases == ("Amazing Grace",) and grace.links == ()  # `links: {}` is left as written
    assert grace.body == "My own notes.  \n"
    again = run_import("google", str(google), "--journal", str(root), "--merge")
    assert "nothing to merge" in again.output and (root / "people" / "grace.md").read_bytes().decode() == after


def test_merge_puts_a_long_list_below_an_empty_key(make_journal, tmp_path):
    original = "---\nname: Ana López\nphone:\nnote: kept\n---\n"
    root = make_journal({"people/ana.md": original})
    card = ("BEGIN:VCARD\nVERSION:3.0\nFN:Ana López\nTEL:+34 600 000 001 (mobile at home)\n"
            "TEL:+34 600 000 002 (the office switchboard)\nEND:VCARD\n")
    assert run_import("vcard", str(write(tmp_path, "a.vcf", card)), "--journal", str(root), "--merge").exit_code == 0
    after = (root / "people" / "ana.md").read_text()
    assert after == ("---\nname: Ana López\nphone:\n  - +34 600 000 001 (mobile at home)\n"
                     "  - +34 600 000 002 (the office switchboard)\nnote: kept\n---\n")


DUPLICATES = (
    "BEGIN:VCARD\nVERSION:3.0\nFN:Ana López\nEMAIL:ana@example.org\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:Ana López\nEMAIL:ana@example.org\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:Ana López\nTEL:+34 600 000 001\nORG:Acme\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:A. López\nEMAIL:ANA@example.org\nNOTE:met at the fair\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:Bo Chen\nEMAIL:bo@one.example\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:Bo Chen\nEMAIL:bo@two.example\nEND:VCARD\n"
)


def test_duplicate_cards_in_a_file_become_one_note_and_a_second_import_changes_nothing(make_journal, tmp_path):
    root = make_journal({"people/x.md": person("X")})
    cards = write(tmp_path, "dup.vcf", DUPLICATES)
    first = run_import("vcard", str(cards), "--journal", str(root))
    assert first.exit_code == 0, first.output
    assert "2 new" not in first.output and "3 new, 0 merged, 0 skipped, 3 duplicate cards combined" in first.output
    people = analyze(root, TODAY).journal.people
    assert sorted(people) == ["ana-lópez", "bo-chen", "bo-chen-2", "x"]  # two Bo Chens: emails tell them apart
    ana = people["ana-lópez"]
    assert (ana.email, ana.phone, ana.org) == (("ana@example.org",), ("+34 600 000 001",), "Acme")
    assert "met at the fair" in ana.body
    written = tree(root)
    for merge in ([], ["--merge"]):
        again = run_import("vcard", str(cards), "--journal", str(root), *merge)
        assert again.exit_code == 0 and "0 new, 0 merged, 3 skipped" in again.output, again.output
        assert tree(root) == written


def test_a_card_whose_name_two_people_share_is_skipped_not_duplicated(make_journal, tmp_path):
    root = make_journal({"people/bo-chen.md": person("Bo Chen", email="bo@one.example"),
                         "people/bo-chen-2.md": person("Bo Chen", email="bo@two.example")})
    card = write(tmp_path, "b.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Bo Chen\nTEL:+1 555\nEND:VCARD\n")
    result = run_import("vcard", str(card), "--journal", str(root), "--merge")
    assert "skip Bo Chen: matches 2 people by name (people/bo-chen-2.md, people/bo-chen.md)" in result.output
    assert sorted(p.name for p in (root / "people").iterdir()) == ["bo-chen-2.md", "bo-chen.md"]


def test_a_name_too_long_for_a_file_name_is_one_line_and_writes_nothing(make_journal, tmp_path):
    root = make_journal({"people/x.md": person("X")})
    long_name = "Ana " + "Lopez " * 60
    cards = write(tmp_path, "long.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Bo\nEND:VCARD\n"
                                        f"BEGIN:VCARD\nVERSION:3.0\nFN:{long_name}\nEND:VCARD\n")
    result = run_import("vcard", str(cards), "--journal", str(root))
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert "the name 'Ana Lopez Lopez" in result.output and "at most 255" in result.output
    assert sorted(p.name for p in (root / "people").iterdir()) == ["x.md"]


@pytest.mark.parametrize("text", ["DEL\x7f", "C1\x80\x9f", "nonchar\ufffe\uffff", "NEL\x85 line", "LS\u2028PS\u2029",
                                  "BOM\ufeff", "esc\x1b[31m", "tab\tquote\"'", "- [[Ada]] #x: y"])
def test_any_character_in_a_contact_reads_back(make_journal, tmp_path, text):
    root = make_journal({"people/x.md": person("X")})
    rows = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
            f'"Ana {text}",Ló,,,"{text} Inc","{text}",01 Jan 2020\n'.replace('"\'', '""\''))
    result = run_import("linkedin", str(write(tmp_path, "c.csv", rows)), "--journal", str(root))
    assert result.exit_code == 0, result.output
    ana = next(p for pid, p in analyze(root, TODAY).journal.people.items() if pid != "x")
    assert (ana.name, ana.org, ana.role) == (f"{f'Ana {text}'.strip()} Ló", f"{text} Inc", text.strip())


def test_a_nul_in_a_contacts_note_is_refused_and_nothing_written(make_journal, tmp_path):
    root = make_journal({"people/x.md": person("X")})
    cards = write(tmp_path, "n.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Bo\nEND:VCARD\n"
                                     "BEGIN:VCARD\nVERSION:3.0\nFN:Cy\nNOTE:a\x00b\nEND:VCARD\n")
    result = run_import("vcard", str(cards), "--journal", str(root))
    assert result.exit_code == 1 and "NUL character" in result.output and "nothing was written" in result.output
    assert sorted(p.name for p in (root / "people").iterdir()) == ["x.md"]


def test_merge_writes_through_a_symlinked_note_and_keeps_its_permissions(make_journal, tmp_path):
    root = make_journal({"notes/grace-real.md": "---\nname: Grace Hopper\n---\n", "people/x.md": person("X")})
    (root / "notes" / "grace-real.md").chmod(0o640)
    (root / "people" / "grace.md").symlink_to(root / "notes" / "grace-real.md")
    google = write(tmp_path, "g.csv", GOOGLE_CURRENT.replace("Grace,Brewster,Hopper", "Grace,,Hopper"))
    assert run_import("google", str(google), "--journal", str(root), "--merge").exit_code == 0
    assert (root / "people" / "grace.md").is_symlink()
    assert "org: US Navy" in (root / "notes" / "grace-real.md").read_text()
    assert (root / "notes" / "grace-real.md").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in (root / "notes").iterdir()) == ["grace-real.md"]  # no temporary file left


def test_a_merge_never_splits_a_note_with_other_names(make_journal, tmp_path):
    """Found by helper-49: a private note hard-linked as people/ada.md (private by its path under private/)
    was merged by a new file renamed over private/people/ada.md: people/ada.md kept the old text as a shared
    note of its own, and the mentor's site then showed Ada. A note with other names is not replaced."""
    import os

    text = "---\nname: Ada Secret\n---\nKept to myself.\n"
    root = make_journal({"private/people/ada.md": text, "people/pat.md": person("Pat")})
    os.link(root / "private/people/ada.md", root / "people/ada.md")
    card = write(tmp_path, "ada.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Ada Secret\nTEL:+1 555 0100\nEND:VCARD\n")
    result = run_import("vcard", str(card), "--journal", str(root), "--merge")
    assert result.exit_code == 1 and "other names (hard links" in result.output, result.output
    assert os.stat(root / "people/ada.md").st_ino == os.stat(root / "private/people/ada.md").st_ino
    assert (root / "private/people/ada.md").read_text() == text
