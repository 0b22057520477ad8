"""Important dates and likely duplicates (issue 26 item 9): a person's `birthday` (as vCards and Google
export it) and `dates:` entries appear in `due`, on the dashboard and in the calendar feed, for the owner
only; `check` reports two notes that are probably one person, with the merge to make."""
from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from netjournal.analyze import analyze
from netjournal.checks.duplicates import same_name
from netjournal.cli import main

from conftest import TODAY, audience_output, findings_of, interaction, person, run_cli


def dated(analysis):
    return sorted((f.person, f.message) for f in findings_of(analysis, "important-date"))


def test_a_birthday_within_the_window_is_listed_in_every_form(check_journal):
    for written in ("1985-11-25", "'1985-11-25'", "'19851125'", "'--11-25'", "'--1125'", "'11-25'"):
        found = dated(check_journal({"people/lena.md": person("Lena Ortiz", birthday=written)}))
        assert found == [("lena", "Lena Ortiz's birthday on 2026-11-25, in 3 days")], written


def test_a_birthday_outside_the_window_or_just_past_is_not_listed(check_journal):
    for written in ("'--12-25'", "'--11-21'"):
        assert dated(check_journal({"people/lena.md": person("Lena Ortiz", birthday=written)})) == []
    wider = '[follow_ups]\nsoon = "40d"\n'
    assert dated(check_journal({"people/lena.md": person("Lena Ortiz", birthday="'--12-25'"),
                                "netjournal.toml": wider})) == [("lena", "Lena Ortiz's birthday on 2026-12-25, "
                                                                         "in 33 days")]


def test_a_birthday_today_and_february_29_in_a_common_year(check_journal):
    assert dated(check_journal({"people/lena.md": person("Lena Ortiz", birthday="'--11-22'")})) == [
        ("lena", "Lena Ortiz's birthday on 2026-11-22, today")]
    leap = check_journal({"people/lena.md": person("Lena Ortiz", birthday="2000-02-29")}, today=dt.date(2027, 2, 25))
    assert dated(leap) == [("lena", "Lena Ortiz's birthday on 2027-02-28, in 3 days")]


def test_a_dates_entry_counts_its_years(check_journal):
    files = {"people/lena.md": person("Lena Ortiz", dates="[{date: 2019-11-24, what: work anniversary at Acme}, "
                                                          "{date: '--11-23', what: name day}]")}
    assert dated(check_journal(files)) == [
        ("lena", "Lena Ortiz: name day on 2026-11-23, tomorrow"),
        ("lena", "Lena Ortiz: work anniversary at Acme (7 years) on 2026-11-24, in 2 days")]


def test_bad_dates_are_findings_at_their_line_and_the_rest_loads(check_journal):
    files = {"people/lena.md": person("Lena Ortiz", birthday="'--02-30'",
                                      dates="[{date: 2019-13-01, what: x}, {date: 2019-11-24}, 5, "
                                            "{date: 2019-11-24, what: ok, colour: red}]"),
             "people/bob.md": person("Bob", birthday="'--11-23'")}
    analysis = check_journal(files)
    bad = [f for f in analysis.findings if f.source.path == "people/lena.md"]
    assert [f.source.line for f in bad] == [3, 4, 4, 4, 4], [f.message for f in bad]
    assert "February has at most 29 days" in bad[0].message
    assert dated(analysis) == [("bob", "Bob's birthday on 2026-11-23, tomorrow")]


def test_due_the_dashboard_and_the_calendar_list_them(make_journal, tmp_path):
    root = make_journal({"people/lena.md": person("Lena Ortiz", birthday="'--11-25'",
                                                  dates="[{date: 2019-03-01, what: '<b>work</b> anniversary'}]")})
    due = run_cli("due", root, "--today", TODAY.isoformat())
    assert "a date coming" in due.output
    assert "Lena Ortiz's birthday on 2026-11-25, in 3 days" in due.output
    assert "anniversary" not in due.output  # March is not within a week
    out = tmp_path / "site"
    assert run_cli("build", root, "-o", out, "--today", TODAY.isoformat()).exit_code == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "birthday on 2026-11-25, in 3 days" in index
    ics = run_cli("export", "ics", root, "--today", TODAY.isoformat()).output.replace("\r\n", "\n")
    assert "SUMMARY:Lena Ortiz's birthday\nDTSTART;VALUE=DATE:20261125" in ics
    # the calendar has the year ahead, the markup as text
    assert "SUMMARY:Lena Ortiz: <b>work</b> anniversary (8 years)\nDTSTART;VALUE=DATE:20270301" in ics
    assert "&lt;b&gt;" not in index and "<b>work" not in index


def test_an_imported_vcard_birthday_is_listed(make_journal, tmp_path):
    root = make_journal({"people/x.md": person("X")})
    card = tmp_path / "c.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nBDAY:19061124\r\nEND:VCARD\r\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["import", "vcard", str(card), "--journal", str(root)]).exit_code == 0
    assert dated(analyze(root, TODAY)) == [("grace-hopper", "Grace Hopper's birthday on 2026-11-24, in 2 days")]


def test_no_audience_sees_a_birthday_or_a_date(make_journal, tmp_path):
    root = make_journal({"netjournal.toml": "[audience.mentor]\n",
                         "people/lena.md": person("Lena Ortiz", birthday="'--11-25'",
                                                  dates="[{date: 2019-11-24, what: canary anniversary}]")})
    shared = audience_output(root, tmp_path / "mentor")
    assert b"canary" not in shared and b"birthday" not in shared and b"20261125" not in shared


def test_ignore_silences_a_persons_dates(check_journal):
    files = {"people/lena.md": person("Lena Ortiz", birthday="'--11-25'", ignore="[important-date]")}
    assert dated(check_journal(files)) == []


# --- likely duplicates --------------------------------------------------------------------------------------

def duplicates(analysis):
    return sorted(f.person for f in findings_of(analysis, "likely-duplicate"))


def test_names_that_differ_by_accents_order_case_or_a_middle_initial_are_one_person():
    for a, b in (("José García", "Jose Garcia"), ("García, José", "José García"), ("Ana M. Silva", "Ana Silva"),
                 ("ANA SILVA", "ana silva"), ("Ana Maria Silva", "Ana M. Silva"), ("Jürgen Müller", "Jurgen Muller")):
        assert same_name(a, b), (a, b)
    for a, b in (("Ana M. Silva", "Ana P. Silva"), ("Ana Silva", "Ana Silvestre"), ("Ana Silva", "Ana Souza"),
                 ("Ana Maria Silva", "Ana Paula Silva"), ("Ana", "Ana Silva")):
        assert not same_name(a, b), (a, b)


def test_a_likely_duplicate_names_the_merge_to_make(check_journal):
    files = {"people/jose.md": person("José García"), "people/garcia.md": person("Garcia, Jose"),
             "interactions/a.md": interaction("2026-11-01", "garcia"),
             "people/ana.md": person("Ana M. Silva"), "people/ana2.md": person("Ana P. Silva"),
             "people/kim.md": person("Kim Lee", email="kim@example.org"),
             "people/kimberly.md": person("Kimberly Lee", email="' KIM@example.org'")}
    found = findings_of(check_journal(files), "likely-duplicate")
    assert sorted(f.person for f in found) == ["jose", "kimberly"]
    jose = next(f for f in found if f.person == "jose")
    assert jose.source.path == "people/jose.md" and jose.source.line == 2
    # the one with more interactions is kept; the other folded into it
    assert "merge jose into garcia" in jose.message and "names that differ only by accents" in jose.message
    kim = next(f for f in found if f.person == "kimberly")
    assert "the same e-mail kim@example.org" in kim.message and "merge kimberly into kim" in kim.message


def test_two_people_who_say_so_are_not_reported(check_journal):
    files = {"people/jose.md": person("José García", ignore="[likely-duplicate]"),
             "people/garcia.md": person("Jose Garcia")}
    assert duplicates(check_journal(files)) == []


def test_a_mentor_sees_no_duplicate_of_a_hidden_person(make_journal, tmp_path):
    root = make_journal({"netjournal.toml": "[audience.mentor]\n",
                         "people/jose.md": person("José García"),
                         "people/secret.md": person("Jose Garcia", private="true", email="canary@example.org"),
                         "people/a.md": person("Al Open", email="shared@example.org"),
                         "people/b.md": person("Bo Hidden-Canary", private="true", email="shared@example.org")})
    assert duplicates(analyze(root, TODAY)) == ["b", "secret"]
    shared = audience_output(root, tmp_path / "mentor")
    assert b"likely-duplicate" not in shared and b"look like one person" not in shared
    assert b"canary" not in shared
