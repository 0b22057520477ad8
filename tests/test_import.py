"""Imports from real-world files: vCard quirks, Google's two CSV layouts, LinkedIn's export; never
overwriting, all or nothing, and clear errors that write nothing."""
import base64

import pytest
from click.testing import CliRunner
from conftest import TODAY, person

from netjournal import importers
from netjournal.analyze import analyze
from netjournal.cli import main

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
    assert "org: Navy (mine)" in merged and "My own notes." in merged and 'email: ["grace@navy.example"' in merged
    grace = analyze(root, TODAY).journal.people["grace"]
    assert grace.org == "Navy (mine)" and grace.role == "Rear Admiral"


@pytest.mark.parametrize("source, name, content, words", [
    ("vcard", "notes.txt", "just some text\n", "not a vCard"),
    ("google", "x.csv", "Foo,Bar\n1,2\n", "not a Google Contacts CSV"),
    ("linkedin", "x.csv", "Name,Email\nA,b\n", "missing column"),
    ("vcard", "latin1.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Jos\xe9\nEND:VCARD\n".encode("latin-1"), "not UTF-8"),
])
def test_bad_files_write_nothing(make_journal, tmp_path, source, name, content, words):
    root = make_journal({"people/x.md": person("X")})
    result = run_import(source, str(write(tmp_path, name, content)), "--journal", str(root))
    assert result.exit_code == 1 and words in result.output
    assert sorted(p.name for p in (root / "people").iterdir()) == ["x.md"]


def test_a_failure_halfway_writes_no_partial_set(make_journal, tmp_path, monkeypatch):
    root = make_journal({"people/x.md": person("X")})
    calls = {"n": 0}
    real = importers.create_exclusively

    def flaky(path, text):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        real(path, text)

    monkeypatch.setattr(importers, "create_exclusively", flaky)
    with pytest.raises(OSError):
        CliRunner().invoke(main, ["import", "linkedin", str(write(tmp_path, "c.csv", LINKEDIN)), "--journal", str(root)],
                           catch_exceptions=False)
    assert sorted(p.name for p in (root / "people").iterdir()) == ["x.md"]


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
