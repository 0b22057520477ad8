"""`init`, `new person`, `log` and `due`, through the CLI as a user types them; EDITOR is a script."""
import os
import shutil
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner

from netjournal.analyze import analyze
from netjournal.cli import main

from conftest import TODAY, interaction, person


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


def tree(root):
    """Every path below ROOT with its bytes (None for a folder, the target for a symlink)."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        found[rel] = ("->", os.readlink(path)) if path.is_symlink() else None if path.is_dir() else path.read_bytes()
    return found


def test_init_makes_an_empty_journal_that_checks_clean(tmp_path):
    root = tmp_path / "journal"
    result = run("init", str(root), "--owner", "Sam")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in root.iterdir()) == [".gitignore", "README.md", "goals", "interactions",
                                                       "netjournal.toml", "people"]
    assert "private/" in (root / ".gitignore").read_text() and "_site/" in (root / ".gitignore").read_text()
    assert list((root / "people").iterdir()) == []  # no sample person to delete
    analysis = analyze(root, TODAY)
    assert [f.code for f in analysis.findings] == [] and list(analysis.journal.people) == []
    assert analysis.config.owner == "Sam"


def test_init_writes_the_defaults_a_coach_would_choose(tmp_path):
    """Issue 28, item 8: 180 days for everyone, stakeholders 30, mentors 45, hubs, peers and team 60, a
    manager none; the give-and-take and promise settings spelled out."""
    root = tmp_path / "journal"
    assert run("init", str(root), "--owner", "Sam").exit_code == 0
    config = analyze(root, TODAY).config
    assert config.default_cadence == 180
    assert dict(config.tag_cadences) == {"stakeholder": 30, "mentor": 45, "hub": 60, "peer": 60, "team": 60,
                                         "manager": 0}
    assert (config.reciprocity_window, config.thanks_grace, config.favour_grace, config.cold_ask_expires,
            config.undated_due) == (180, 7, 90, 60, 14)
    assert config.reciprocity_exempt_tags == frozenset({"manager"})
    (root / "people" / "boss.md").write_text(person("Boss", tags="[manager]", met="2025-01-01"), encoding="utf-8")
    assert analyze(root, TODAY).findings == []  # a manager is never "due"


def test_init_example_adds_a_sample_person(tmp_path):
    root = tmp_path / "journal"
    assert run("init", str(root), "--example").exit_code == 0
    analysis = analyze(root, TODAY)
    ada = analysis.journal.people["ada-lovelace"]
    assert (ada.name, ada.tags, ada.met) == ("Ada Lovelace", ("mentor",), None)
    assert [f.code for f in analysis.findings if f.severity.label == "error"] == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_init_git_makes_a_repository_that_ignores_private_notes(tmp_path):
    root = tmp_path / "journal"
    result = run("init", str(root), "--git")
    assert result.exit_code == 0, result.output
    (root / "private" / "people").mkdir(parents=True)
    (root / "private" / "people" / "secret.md").write_text(person("Secret"), encoding="utf-8")
    (root / "people" / "ada.md").write_text(person("Ada"), encoding="utf-8")
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=root,
                            capture_output=True, text=True, check=True).stdout
    assert "people/ada.md" in status and "netjournal.toml" in status and "private" not in status


def test_init_git_that_fails_leaves_nothing(tmp_path):
    broken = tmp_path / "bin"
    broken.mkdir()
    (broken / "git").write_text("#!/bin/sh\necho 'fatal: cannot init' >&2\nexit 128\n", encoding="utf-8")
    (broken / "git").chmod(0o755)
    root = tmp_path / "journal"
    result = run("init", str(root), "--git", env={"PATH": f"{broken}:{os.environ['PATH']}", "EDITOR": ""})
    assert result.exit_code == 1 and "git init failed: fatal: cannot init" in result.output
    assert not root.exists()  # the folder, made by this run, went with the rest


def test_init_refuses_to_overwrite_anything(tmp_path):
    root = tmp_path / "journal"
    (root / "people").mkdir(parents=True)
    (root / "netjournal.toml").write_text("# mine\n", encoding="utf-8")
    result = run("init", str(root))
    assert result.exit_code == 1 and "refusing to overwrite" in result.output
    assert (root / "netjournal.toml").read_text() == "# mine\n" and not (root / "README.md").exists()


def test_init_with_a_broken_symlink_for_people_writes_nothing(tmp_path):
    root = tmp_path / "journal"
    root.mkdir()
    (root / "people").symlink_to(tmp_path / "gone")
    result = run("init", str(root))
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert "refusing to overwrite" in result.output and str(root / "people") in result.output
    assert tree(root) == {"people": ("->", str(tmp_path / "gone"))}


@pytest.mark.parametrize("owner", ["Sam\x7f", "Sam\x85 \x9f", "Sam\ufffe", "Sam\x00", "Sam \"q\" \\ \n\t\u2028"])
def test_init_owner_with_any_character_reads_back(tmp_path, owner):
    root = tmp_path / "journal"
    result = run("init", str(root), "--owner", owner)
    assert result.exit_code == 0, result.output
    config = analyze(root, TODAY).config
    assert (config.owner, config.title) == (owner, f"{owner}'s network")


def test_init_owner_that_is_not_text_is_refused(tmp_path):
    root = tmp_path / "journal"
    result = run("init", str(root), "--owner", "Sam\udcff")
    assert result.exit_code == 1 and "not text" in result.output and not root.exists()


def test_an_editor_that_fails_is_said_to_and_the_note_is_kept(make_journal):
    """EDITOR=false: the note is written before the editor opens, so it stays, and the error says so (it said
    only 'false: Editing failed', and running the command again found the note existed)."""
    root = make_journal({"people/ada.md": person("Ada")})
    result = run("new", "person", "Edsger Dijkstra", "--journal", str(root), env={"EDITOR": "false", "VISUAL": ""})
    path = root / "people" / "edsger-dijkstra.md"
    assert result.exit_code == 1 and path.is_file()
    assert f"{path} is written and kept, but the editor failed" in result.output


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


def test_new_person_writes_no_made_up_date_and_no_filler(make_journal):
    root = make_journal({"people/ada.md": person("Ada")})
    assert run("new", "person", "Grace Hopper", "--journal", str(root), "--no-edit").exit_code == 0
    assert (root / "people" / "grace-hopper.md").read_text(encoding="utf-8") == (
        "---\nname: Grace Hopper\naliases:\norg:\nrole:\nemail:\ntags:\ncadence:\nmet:\nintroduced_by:\n---\n")
    grace = analyze(root, TODAY).journal.people["grace-hopper"]
    assert grace.met is None and grace.body == ""


def test_new_person_refuses_an_existing_id(make_journal):
    root = make_journal({"people/team/ada-lovelace.md": person("Ada")})
    result = run("new", "person", "Ada Lovelace", "--journal", str(root), "--no-edit")
    assert result.exit_code == 1 and "exists already" in result.output
    assert (root / "people" / "team" / "ada-lovelace.md").read_text() == person("Ada")


def test_new_person_uses_the_journals_template(make_journal):
    root = make_journal({"people/x.md": person("X"),
                         "templates/new-person.md": "---\nname:\nrole: custom\ntags: [colleague]\n---\n## Notes\n"})
    run("new", "person", "Ada", "--journal", str(root), "--no-edit")
    run("new", "person", "Bob", "--journal", str(root), "--no-edit", "--tag", "mentor")
    assert (root / "people" / "ada.md").read_text() == "---\nname: Ada\nrole: custom\ntags: [colleague]\n---\n## Notes\n"
    assert (root / "people" / "bob.md").read_text() == "---\nname: Bob\nrole: custom\ntags: [mentor]\n---\n## Notes\n"


def test_an_old_jinja_note_template_is_explained(make_journal):
    root = make_journal({"people/x.md": person("X"),
                         "templates/new-person.md": "---\nname: {{ name | yaml }}\nrole: custom\n---\n"})
    result = run("new", "person", "Ada", "--journal", str(root), "--no-edit")
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "templates/new-person.md is a jinja template" in result.output and not (root / "people" / "ada.md").exists()


def test_a_note_template_may_have_braces_in_its_text_and_a_broken_one_is_named(make_journal):
    root = make_journal({"people/x.md": person("X"),
                         "templates/new-person.md": "---\nname:\n---\nAsk about {{ their project }}.\n",
                         "templates/new-interaction.md": "---\ndate:\nkind: [\n---\n"})
    assert run("new", "person", "Ada", "--journal", str(root), "--no-edit").exit_code == 0
    assert (root / "people" / "ada.md").read_text() == "---\nname: Ada\n---\nAsk about {{ their project }}.\n"
    broken = run("log", "ada", "--journal", str(root), "--no-edit")
    assert broken.exit_code == 1 and broken.output.startswith("Error: templates/new-interaction.md:3: ")
    assert not (root / "interactions").exists()


def test_a_name_too_long_for_a_file_name_is_one_line_and_writes_nothing(make_journal):
    root = make_journal({"interactions/2026/x.md": interaction("2026-01-01", "x")})
    before = tree(root)
    result = run("new", "person", "Ada " + "Lovelace " * 40, "--journal", str(root), "--no-edit")
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert "bytes long, and a file name may have at most 255" in result.output
    assert tree(root) == before


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


def test_log_sets_every_field_in_one_line(make_journal):
    root = make_journal({"people/ada-lovelace.md": person("Ada Lovelace"), "people/grace.md": person("Grace")})
    result = run("log", "ada", "grace", "--journal", str(root), "--kind", "lunch", "--date", "2026-11-20",
                 "--title", "Plan: Q3", "--topic", "databases", "--topic", "promotion", "--gave", "an intro",
                 "--asked", "feedback", "--received", "a book", "--follow-up", "send the deck", "--due", "2026-12-01",
                 "-m", "She will speak for the case.", "-m", "- [ ] book the next lunch", "--no-edit")
    assert result.exit_code == 0, result.output
    analysis = analyze(root, TODAY)
    logged = analysis.journal.interactions[0]
    assert (logged.kind, logged.title, logged.topics) == ("lunch", "Plan: Q3", ("databases", "promotion"))
    assert (logged.gave, logged.asked, logged.received) == (("an intro",), ("feedback",), ("a book",))
    assert [(f.what, str(f.due)) for f in logged.follow_ups] == [("send the deck", "2026-12-01"),
                                                                ("book the next lunch", "None")]
    assert logged.body == "She will speak for the case.\n\n- [ ] book the next lunch\n"
    assert [f.code for f in analysis.findings if f.severity.label == "error"] == []


def test_log_without_the_editor_writes_no_filler(make_journal):
    root = make_journal({"people/ada.md": person("Ada")})
    assert run("log", "ada", "--journal", str(root), "--date", "2026-11-20", "--no-edit").exit_code == 0
    note = root / "interactions" / "2026" / "2026-11-20-meeting-ada.md"
    assert note.read_text(encoding="utf-8") == (
        "---\ndate: 2026-11-20\nwith: [ada]\nkind: meeting\ntitle:\ntopics:\ngave:\nasked:\nreceived:\n"
        "follow_ups:\n---\n")
    assert analyze(root, TODAY).journal.interactions[0].body == ""


def test_log_kind_too_long_for_a_file_name_is_one_line_and_writes_nothing(make_journal):
    root = make_journal({"people/ada.md": person("Ada")})
    before = tree(root)
    result = run("log", "ada", "--journal", str(root), "--kind", "coffee " * 50, "--no-edit")
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert "--kind 'coffee coffee" in result.output and "at most 255" in result.output
    assert tree(root) == before


def test_log_that_fails_after_writing_removes_the_note_and_its_folder(make_journal, monkeypatch):
    from netjournal import notewriter

    root = make_journal({"people/ada.md": person("Ada")})
    before = tree(root)
    real, calls = notewriter.read_back_problem, []

    def differs_on_disk(*args):  # the text read back before writing, and differently from the disk after
        calls.append(args)
        return real(*args) if len(calls) == 1 else "'kind' would read back as 'other'"

    monkeypatch.setattr(notewriter, "read_back_problem", differs_on_disk)
    result = run("log", "ada", "--journal", str(root), "--date", "2026-11-20", "--no-edit")
    assert result.exit_code == 1 and "would not read back as written" in result.output
    assert len(calls) == 2 and tree(root) == before  # interactions/ and interactions/2026/ went too


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
    lines = out.splitlines()
    assert lines[0] == "Most important first (due within 7 days)"
    # Bob first: he is owed promises; Ada after, due for contact
    assert lines[1] == "  1. Bob — 2 promises open, 1 overdue  (people/bob.md)"
    assert lines[2].split() == ["21d", "overdue", "late", "thing", "(interactions/a.md:5)"]
    assert lines[3].split() == ["2026-11-25", "soon", "thing", "(interactions/a.md:6)"]
    assert lines[4] == ("  2. Ada — met 2026-01-01, no contact logged; 235 days late on a 90d cadence  "
                        "(people/ada.md)")
    assert "far thing" not in out
    wide = run("due", str(root), "--today", "2026-11-22", "--within", "3m")
    assert "far thing" in wide.output
    assert run("due", str(root), "--within", "soon").exit_code == 2


def test_due_colour_on_a_terminal_unless_no_color(make_journal, monkeypatch):
    import netjournal.cli_plan as cli_plan  # where `due` is
    root = make_journal({"people/ada.md": person("Ada", met="2020-01-01")})
    monkeypatch.setattr(cli_plan, "stdout_is_terminal", lambda: True)
    coloured = CliRunner().invoke(main, ["due", str(root), "--today", "2026-11-22"], color=True,
                                  env={"NO_COLOR": ""})
    assert "\x1b[" in coloured.output
    plain = CliRunner().invoke(main, ["due", str(root), "--today", "2026-11-22"], color=True,
                               env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.output


def test_log_never_writes_through_a_folder_that_leads_out_of_the_journal(make_journal, tmp_path):
    """Found by helper-49: with interactions/2026 a symlink to a folder outside the journal, `log` wrote the
    note there, where check and build never read it (the walk skips such a link)."""
    root = make_journal({"people/pat.md": person("Pat")})
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "interactions").mkdir(exist_ok=True)
    (root / "interactions" / "2026").symlink_to(outside)
    result = CliRunner().invoke(main, ["log", "pat", "--journal", str(root), "--date", "2026-11-10", "--no-edit"])
    assert result.exit_code == 1 and "leads elsewhere" in result.output, result.output
    assert list(outside.iterdir()) == []
    # one into a folder of the journal is not followed by its walk either (helper-51): the note was lost
    (root / "interactions" / "2026").unlink()
    (root / "archive" / "2026").mkdir(parents=True)
    (root / "interactions" / "2026").symlink_to(root / "archive" / "2026")
    result = CliRunner().invoke(main, ["log", "pat", "--journal", str(root), "--date", "2026-11-10", "--no-edit"])
    assert result.exit_code == 1 and list((root / "archive" / "2026").iterdir()) == []
