"""`init`, `new person`, `log` and `due`, through the CLI as a user types them; EDITOR is a script."""
import stat
import sys

import pytest
from click.testing import CliRunner
from conftest import person

from netjournal.analyze import analyze
from netjournal.cli import main
from conftest import TODAY


def run(*args, env=None, input=None):
    return CliRunner().invoke(main, list(args), env=env or {"EDITOR": "", "VISUAL": ""}, input=input,
                              catch_exceptions=False)


@pytest.fixture
def editor(tmp_path):
    """An $EDITOR that records the file it was asked to open."""
    record = tmp_path / "edited.txt"
    script = tmp_path / "fake-editor"
    script.write_text(f"#!{sys.executable}\nimport sys\nopen({str(record)!r}, 'a').write(sys.argv[-1] + '\\n')\n",
                      encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script), record


def test_init_makes_a_journal_that_checks_clean(tmp_path):
    root = tmp_path / "journal"
    result = run("init", str(root), "--owner", "Sam", "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in root.iterdir()) == [".gitignore", "README.md", "goals", "interactions",
                                                       "netjournal.toml", "people"]
    assert "private/" in (root / ".gitignore").read_text() and "_site/" in (root / ".gitignore").read_text()
    analysis = analyze(root, TODAY)
    assert [f.code for f in analysis.findings] == [] and list(analysis.journal.people) == ["ada-lovelace"]
    assert analysis.config.owner == "Sam"


def test_init_refuses_to_overwrite_anything(tmp_path):
    root = tmp_path / "journal"
    (root / "people").mkdir(parents=True)
    (root / "netjournal.toml").write_text("# mine\n", encoding="utf-8")
    result = run("init", str(root))
    assert result.exit_code == 1 and "refusing to overwrite" in result.output
    assert (root / "netjournal.toml").read_text() == "# mine\n" and not (root / "README.md").exists()


def test_new_person_writes_prints_and_opens_the_editor(make_journal, editor):
    root = make_journal({"people/ada.md": person("Ada")})
    script, record = editor
    result = run("new", "person", 'Grace "Amazing" Hopper: <b>', "--journal", str(root), "--tag", "mentor",
                 "--org", "Navy", env={"EDITOR": script})
    assert result.exit_code == 0, result.output
    path = root / "people" / "grace-amazing-hopper-b.md"
    assert result.output.strip() == str(path)
    assert record.read_text().strip() == str(path)
    grace = analyze(root, TODAY).journal.people["grace-amazing-hopper-b"]
    assert grace.name == 'Grace "Amazing" Hopper: <b>' and grace.tags == ("mentor",) and grace.org == "Navy"


def test_new_person_refuses_an_existing_id(make_journal):
    root = make_journal({"people/team/ada-lovelace.md": person("Ada")})
    result = run("new", "person", "Ada Lovelace", "--journal", str(root), "--no-edit")
    assert result.exit_code == 1 and "exists already" in result.output
    assert (root / "people" / "team" / "ada-lovelace.md").read_text() == person("Ada")


def test_new_person_uses_the_journals_template(make_journal):
    root = make_journal({"templates/new-person.md": "---\nname: {{ name | yaml }}\nrole: custom\n---\n"})
    run("new", "person", "Ada", "--journal", str(root), "--no-edit")
    assert (root / "people" / "ada.md").read_text() == '---\nname: "Ada"\nrole: custom\n---\n'


def test_log_resolves_people_and_never_overwrites(make_journal, editor):
    root = make_journal({"people/ada-lovelace.md": person("Ada Lovelace", aliases="[Countess]"),
                         "people/grace-hopper.md": person("Grace Hopper")})
    script, record = editor
    args = ["log", "countess", "Grace H", "--journal", str(root), "--kind", "coffee", "--date", "2026-11-20",
            "--gave", "an intro", "--asked", "feedback", "--follow-up", "send deck", "--due", "2026-12-01",
            "--follow-up", "no date"]
    first = run(*args, env={"EDITOR": script})
    second = run(*args, "--no-edit")
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    folder = root / "interactions" / "2026"
    assert sorted(p.name for p in folder.iterdir()) == ["2026-11-20-coffee-ada-lovelace-2.md",
                                                        "2026-11-20-coffee-ada-lovelace.md"]
    assert record.read_text().count("\n") == 1  # --no-edit did not open the editor
    analysis = analyze(root, TODAY)
    assert [f.code for f in analysis.findings if f.severity.label == "error"] == []
    logged = analysis.journal.interactions[0]
    assert analysis.journal.participants[logged.id] == ("ada-lovelace", "grace-hopper")
    assert logged.gave == ("an intro",) and logged.asked == ("feedback",)
    assert [(f.what, str(f.due)) for f in logged.follow_ups] == [("send deck", "2026-12-01"), ("no date", "None")]


def test_log_unknown_and_ambiguous_people(make_journal):
    root = make_journal({"people/ada-lovelace.md": person("Ada Lovelace"),
                         "people/ada-byron.md": person("Ada Byron")})
    unknown = run("log", "Lovelase", "--journal", str(root), "--no-edit")
    assert unknown.exit_code == 1 and "no such person 'Lovelase' — did you mean Ada Lovelace (ada-lovelace)?" \
        in unknown.output
    ambiguous = run("log", "ada", "--journal", str(root), "--no-edit")
    assert ambiguous.exit_code == 1 and "could be Ada Byron (ada-byron), Ada Lovelace (ada-lovelace)" \
        in ambiguous.output
    assert not (root / "interactions").exists()


def test_log_asks_which_one_on_a_terminal(make_journal, monkeypatch):
    root = make_journal({"people/ada-lovelace.md": person("Ada Lovelace"),
                         "people/ada-byron.md": person("Ada Byron")})
    import netjournal.cli as cli
    monkeypatch.setattr(cli, "stdin_is_terminal", lambda: True)
    result = CliRunner().invoke(main, ["log", "ada", "--journal", str(root), "--no-edit", "--date", "2026-11-20"],
                                input="2\n", env={"EDITOR": ""})
    assert result.exit_code == 0, result.output
    note = next((root / "interactions" / "2026").iterdir())
    assert note.name == "2026-11-20-meeting-ada-lovelace.md"


def test_due_agenda_plain_when_piped(make_journal):
    root = make_journal({
        "people/ada.md": person("Ada", met="2026-01-01"),
        "people/bob.md": person("Bob"),
        "interactions/a.md": "---\ndate: 2026-11-20\nwith: bob\nfollow_ups:\n  - {what: late thing, due: 2026-11-01}\n"
                             "  - {what: soon thing, due: 2026-11-25}\n  - {what: far thing, due: 2027-01-01}\n---\n",
    })
    result = run("due", str(root), "--today", "2026-11-22")
    assert result.exit_code == 0
    out = result.output
    assert "\x1b[" not in out
    assert "21d overdue  late thing — Bob" in out and "2026-11-25  soon thing — Bob" in out
    assert "far thing" not in out and "Ada (no contact logged)" in out
    wide = run("due", str(root), "--today", "2026-11-22", "--within", "3m")
    assert "far thing" in wide.output
    assert run("due", str(root), "--within", "soon").exit_code == 2


def test_due_colour_on_a_terminal_unless_no_color(make_journal, monkeypatch):
    import netjournal.cli as cli
    root = make_journal({"people/ada.md": person("Ada", met="2020-01-01")})
    monkeypatch.setattr(cli, "stdout_is_terminal", lambda: True)
    coloured = CliRunner().invoke(main, ["due", str(root), "--today", "2026-11-22"], color=True,
                                  env={"NO_COLOR": ""})
    assert "\x1b[" in coloured.output
    plain = CliRunner().invoke(main, ["due", str(root), "--today", "2026-11-22"], color=True,
                               env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.output
