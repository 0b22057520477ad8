"""Messages a new user meets in the first hour: an impossible date says the day does not exist (in a note
and in --date, --due and --today), an unknown person or setting suggests the closest known one, and a
broken note's error comes before the unknown references it causes."""
import pytest
from click.testing import CliRunner

from netjournal.cli import main
from netjournal.config import parse_config

from conftest import findings_of, interaction, person


def run(*args):
    return CliRunner().invoke(main, list(args), env={}, catch_exceptions=False)


def messages(analysis, code="invalid-value"):
    return [(f.path, f.line, f.message) for f in findings_of(analysis, code)]


def test_an_impossible_date_in_a_note_says_the_day_does_not_exist(check_journal):
    analysis = check_journal({
        "people/ada.md": "---\nname: Ada\nmet: 2026-02-30\n---\n",
        "interactions/a.md": "---\ndate: 2026-13-01\nwith: ada\n---\n",
        "interactions/b.md": '---\ndate: "2027-02-29"\nwith: ada\nfollow_ups:\n  - {what: call, due: 2026-04-31}\n'
                             "---\n- [ ] write 📅 2026-06-31\n",
        "interactions/c.md": "---\ndate: next tuesday\nwith: ada\n---\n"})
    assert sorted(messages(analysis)) == [
        ("interactions/a.md", 2, "date: 2026-13-01 does not exist: there is no month 13 (months run 01 to 12)"),
        ("interactions/b.md", 2, "date: 2027-02-29 does not exist: February 2027 has 28 days"),
        ("interactions/b.md", 5, "follow_ups: due: 2026-04-31 does not exist: April 2026 has 30 days"),
        ("interactions/b.md", 7, "task: due: 2026-06-31 does not exist: June 2026 has 30 days"),
        ("interactions/c.md", 2, "date: expected a date as YYYY-MM-DD, got 'next tuesday'"),
        ("people/ada.md", 3, "met: 2026-02-30 does not exist: February 2026 has 28 days")]


def test_a_leap_day_is_a_day(check_journal):
    analysis = check_journal({"people/ada.md": person("Ada", met="2028-02-29")})
    assert messages(analysis) == []


@pytest.mark.parametrize("args", [
    ["check", "{root}", "--today", "2026-02-30"],
    ["due", "{root}", "--today", "2026-02-30"],
    ["log", "ada", "--journal", "{root}", "--date", "2026-02-30", "--no-edit"],
    ["log", "ada", "--journal", "{root}", "--follow-up", "call", "--due", "2026-02-30", "--no-edit"],
])
def test_an_impossible_date_option_says_the_day_does_not_exist(make_journal, args):
    root = make_journal({"people/ada.md": person("Ada")})
    result = run(*(a.format(root=root) for a in args))
    assert result.exit_code == 2
    assert "2026-02-30 does not exist: February 2026 has 28 days" in result.output
    assert "does not match the format" not in result.output
    assert not (root / "interactions").exists()


def test_a_date_option_in_another_form_says_which_form(make_journal):
    root = make_journal({"people/ada.md": person("Ada")})
    result = run("check", str(root), "--today", "22.11.2026")
    assert result.exit_code == 2 and "expected a date as YYYY-MM-DD, got '22.11.2026'" in result.output
    assert run("check", str(root), "--today", "2026-11-22").exit_code == 0


def test_an_unknown_person_suggests_the_closest_id_name_or_alias(check_journal):
    analysis = check_journal({
        "people/priya-shah.md": person("Priya Shah"),
        "people/ada.md": person("Ada Lovelace", aliases="[The Countess]"),
        "interactions/a.md": interaction("2026-11-01", "[priya-sha, Ada Lovelase, the countes, ada]"),
        "interactions/b.md": interaction("2026-11-02", "zebediah"),
        "goals/g.md": "---\ntitle: G\nstakeholders: [Priya Shaw]\n---\n"})
    assert sorted(messages(analysis, "unknown-person")) == [
        ("goals/g.md", 3, "stakeholder 'Priya Shaw' is not in people/; did you mean Priya Shah (priya-shah)?"),
        ("interactions/a.md", 3, "with: 'Ada Lovelase' is not in people/; did you mean Ada Lovelace (ada)?"),
        ("interactions/a.md", 3, "with: 'priya-sha' is not in people/; did you mean priya-shah?"),
        ("interactions/a.md", 3, "with: 'the countes' is not in people/; did you mean The Countess (ada)?"),
        ("interactions/b.md", 3, "with: 'zebediah' is not in people/")]


def test_an_unknown_setting_suggests_the_closest_key():
    _, findings = parse_config('[reciprocty]\nwindow = "30d"\n[reciprocity]\nwindw = "30d"\n'
                               '[follow_ups]\nsoon_days = 3\n[audience.mentor]\nredcat = ["email"]\n'
                               '[cadence]\nzzz = 1\n')
    assert [(f.line, f.message) for f in findings if f.code == "config-unknown-key"] == [
        (1, "unknown section [reciprocty]; did you mean [reciprocity]?"),
        (4, "unknown key reciprocity.windw; did you mean window?"),
        (6, "unknown key follow_ups.soon_days; did you mean soon?"),
        (10, "unknown key cadence.zzz")]  # an audience's unknown key is config-invalid, and also suggests


def test_check_lists_a_root_cause_before_what_it_knocks_on(make_journal):
    """A person note that does not parse makes every reference to them unknown: its error comes first,
    though its path sorts after theirs."""
    root = make_journal({
        "people/zoe.md": "---\nname: [Zoe\n---\n",
        "people/ada.md": person("Ada"),
        "interactions/a.md": interaction("2026-11-01", "zoe"),
        "interactions/b.md": interaction("2026-11-02", "[ada, zoe]"),
        "interactions/c.md": "---\ndate: 2026-02-30\nwith: ada\n---\n"})
    result = run("check", str(root), "--today", "2026-11-22")
    errors = [line.split(": error: ")[0] + " " + line.rsplit(" ", 1)[1] for line in result.output.splitlines()
              if ": error: " in line]
    assert errors == ["interactions/c.md:2 [invalid-value]", "people/zoe.md:2 [invalid-front-matter]",
                      "interactions/a.md:3 [unknown-person]", "interactions/b.md:3 [unknown-person]"]
