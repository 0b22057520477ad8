"""Commands find their journal as git finds its repository, and refuse in one line where there is none."""
import pytest
from click.testing import CliRunner

from netjournal.analyze import analyze
from netjournal.cli import main

from conftest import TODAY, interaction, person

COMMANDS = [
    ["check"], ["build"], ["due"], ["export", "json"], ["serve"], ["daemon"],
    ["new", "person", "Kim Lee", "--no-edit"], ["log", "kim", "--no-edit"],
    ["import", "vcard", "{cards}"],
]


def run(args, env=None):
    return CliRunner().invoke(main, args, env={"EDITOR": "", "VISUAL": "", **(env or {})})


def listing(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_outside_a_journal_a_command_says_what_to_do_and_writes_nothing(tmp_path, monkeypatch, command):
    cards = tmp_path / "cards.vcf"
    cards.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Kim Lee\nEND:VCARD\n", encoding="utf-8")
    empty = tmp_path / "somewhere"
    empty.mkdir()
    monkeypatch.chdir(empty)
    result = run([part.format(cards=cards) for part in command])
    assert result.exit_code == 2, result.output
    assert result.output == (f"Error: no netjournal journal in {empty} or any folder above it: cd into your journal, "
                             "give its folder, or start one with `netjournal init`\n")
    assert listing(empty) == []


@pytest.mark.parametrize("command", [["check"], ["build"], ["due"], ["export", "csv"]])
def test_a_folder_given_that_is_no_journal_is_refused(tmp_path, command):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "cat.md").write_text("# not a note\n", encoding="utf-8")
    result = run([*command, str(folder)])
    assert result.exit_code == 2 and result.output == (
        f"Error: {folder} is not a netjournal journal (it has no netjournal.toml, people/ or interactions/): give "
        f"your journal's folder, or start one with `netjournal init {folder}`\n")
    assert listing(folder) == ["cat.md"]


def test_commands_find_the_journal_from_a_folder_inside_it(make_journal, monkeypatch):
    root = make_journal({"people/kim-lee.md": person("Kim Lee", met="2020-01-01"),
                         "interactions/2026/a.md": interaction("2026-11-01", "kim-lee")})
    monkeypatch.chdir(root / "interactions" / "2026")
    assert "Kim Lee" in run(["due", "--today", "2026-11-22", "--within", "1y"]).output
    assert run(["new", "person", "Ada Byron", "--no-edit"]).exit_code == 0
    logged = run(["log", "ada", "--date", "2026-11-20", "--no-edit"])
    assert logged.exit_code == 0, logged.output
    assert (root / "people" / "ada-byron.md").is_file()
    assert (root / "interactions" / "2026" / "2026-11-20-meeting-ada-byron.md").is_file()
    assert sorted(analyze(root, TODAY).journal.people) == ["ada-byron", "kim-lee"]


def test_a_journal_with_only_its_settings_is_a_journal(tmp_path, monkeypatch):
    (tmp_path / "netjournal.toml").write_text('[journal]\nowner = "Sam"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(["new", "person", "Kim Lee", "--no-edit"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "people" / "kim-lee.md").is_file()
