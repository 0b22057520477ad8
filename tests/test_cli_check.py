"""`netjournal check`: output formats, exit codes, --today and SOURCE_DATE_EPOCH, help and version."""
import json
import os
import subprocess
import sys

from click.testing import CliRunner

from netjournal.cli import main

from conftest import EXAMPLE, interaction, person


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env or {}, catch_exceptions=False)


def test_clean_journal_exits_0(make_journal):
    root = make_journal({"people/a.md": person("A"), "interactions/x.md": interaction("2026-11-20", "a")})
    result = run("check", str(root), "--today", "2026-11-22")
    assert result.exit_code == 0 and "0 errors, 0 warnings, 0 info in 2 notes" in result.output


def test_errors_exit_1_with_path_line_severity_code(make_journal):
    root = make_journal({"people/a.md": "---\nname: [\n---\n", "people/b.md": person("B")})
    result = run("check", str(root), "--today", "2026-11-22")
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("people/a.md:2: error: the front matter is not valid YAML")
    assert result.output.splitlines()[0].endswith("[invalid-front-matter]")


def test_warnings_exit_0_unless_strict(make_journal):
    root = make_journal({"people/a.md": person("A", met="2020-01-01")})
    assert run("check", str(root), "--today", "2026-11-22").exit_code == 0
    assert run("check", str(root), "--today", "2026-11-22", "--strict").exit_code == 1


def test_missing_dir_is_a_usage_error(tmp_path):
    result = run("check", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "does not exist" in result.output
    assert run("check", "--today", "yesterday").exit_code == 2


def test_json_output_fields(make_journal):
    root = make_journal({"people/a.md": person("A", met="2020-01-01"),
                         "interactions/x.md": interaction("2026-11-20", "zed")})
    result = run("check", str(root), "--format", "json", "--today", "2026-11-22")
    data = json.loads(result.output)
    assert data == [
        {"code": "unknown-person", "severity": "error", "path": "interactions/x.md", "line": 3,
         "message": "with: 'zed' is not in people/", "person": None},
        {"code": "stale-contact", "severity": "warning", "path": "people/a.md", "line": 2,
         "message": "A: met 2020-01-01, no interaction logged; cadence 90d (the default cadence); "
                    "due 2020-03-31, 2427 days ago", "person": "a"}]


def test_today_from_source_date_epoch(make_journal):
    root = make_journal({"people/a.md": person("A", met="2026-01-01")})
    stale = run("check", str(root), "--format", "json", env={"SOURCE_DATE_EPOCH": "1795000000"})  # 2026-11-18
    fresh = run("check", str(root), "--format", "json", env={"SOURCE_DATE_EPOCH": "1767225600"})  # 2026-01-01
    assert [f["code"] for f in json.loads(stale.output)] == ["stale-contact"]
    assert json.loads(fresh.output) == []
    # one that is no day stops the command (the reproducible-builds specification asks so): it was ignored,
    # and the check ran as of the real date
    for value in ("abc", "1e9", "99999999999999999999", "1_767_225_600", "+1767225600", "\u0661\u0662"):
        bad = run("check", str(root), env={"SOURCE_DATE_EPOCH": value})
        assert bad.exit_code == 2 and f"SOURCE_DATE_EPOCH={value!r} is no whole number of seconds" in bad.output
    assert run("check", str(root), "--today", "2026-01-01", env={"SOURCE_DATE_EPOCH": "abc"}).exit_code == 0


def test_help_and_version():
    assert "Usage" in run("--help").output and "check" in run("--help").output
    assert "--strict" in run("check", "--help").output and "Examples" in run("check", "--help").output
    assert run("--version").output.strip() == "netjournal, version 0.1.0"


def test_example_journal_shows_every_finding_code():
    result = run("check", str(EXAMPLE), "--format", "json", "--today", "2026-11-22")
    found = {f["code"] for f in json.loads(result.output)}
    assert found >= {"invalid-front-matter", "invalid-value", "unknown-person", "stale-contact",
                     "follow-up-overdue", "follow-up-due", "reciprocity-imbalance",
                     "unreturned-favour", "narrow-topics", "goal-stakeholder-cold", "goal-decider-cold",
                     "goal-engagement-gap", "goal-lobbying", "vague-ask", "congratulate", "important-date",
                     "likely-duplicate"}
    assert result.exit_code == 1
    # Nadia's cold ask of 2026-06-10 was a warning while it was recent; 60 days on it is history. Hugo's
    # of 2026-10-08 (a first coffee that asks for "any advice") is 45 days old: still a warning
    cold = [f["person"] for f in json.loads(result.output) if f["code"] == "cold-ask"]
    assert cold == ["hugo-lindqvist"]
    june = run("check", str(EXAMPLE), "--format", "json", "--today", "2026-06-20")
    assert [f["person"] for f in json.loads(june.output) if f["code"] == "cold-ask"] == ["nadia-haddad"]


def test_console_script_runs():
    result = subprocess.run([sys.executable, "-m", "netjournal.cli", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "0.1.0" in result.stdout


def test_the_command_exits_at_once_with_its_status_and_all_its_output(tmp_path):
    """As a command, check and build end with os._exit (no freeing of the model on the way out): what
    they printed into a pipe still arrives in full, and check's exit status is still 1 on errors."""
    command = [sys.executable, "-m", "netjournal.cli"]
    in_process = CliRunner().invoke(main, ["check", str(EXAMPLE), "--today", "2026-11-22"])
    checked = subprocess.run([*command, "check", str(EXAMPLE), "--today", "2026-11-22"],
                             capture_output=True, text=True)
    assert checked.returncode == 1 == in_process.exit_code
    assert checked.stdout + checked.stderr == in_process.output
    built = subprocess.run([*command, "build", str(EXAMPLE), "--today", "2026-11-22", "-o", str(tmp_path / "site")],
                           capture_output=True, text=True)
    assert built.returncode == 0 and "built 43 pages" in built.stdout and built.stdout.endswith("index.html\n")
    assert (tmp_path / "site" / "index.html").is_file()


def test_the_command_leaves_no_helper_files_behind(tmp_path):
    """Exiting at once must leave nothing behind: the worker processes that read the notes and render the
    pages end with their build, and nothing of theirs stays in the temporary folder."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    script = ("import sys\n"
              "from netjournal import load, page_making\n"
              "load.PARALLEL_FROM = page_making.PARALLEL_PAGES_FROM = 1  # workers, always\n"
              "from netjournal.cli import run\n"
              "sys.argv[0] = 'netjournal'\n"
              "run()\n")
    built = subprocess.run([sys.executable, "-c", script, "build", str(EXAMPLE), "--today", "2026-11-22",
                            "-o", str(tmp_path / "site")], capture_output=True, text=True,
                           env={**os.environ, "TMPDIR": str(temp)})
    assert built.returncode == 0, built.stderr
    assert "built 43 pages" in built.stdout
    assert list(temp.iterdir()) == []


def test_a_command_that_ends_runs_without_the_cycle_collector_and_serve_and_the_daemon_keep_it(monkeypatch):
    """The `netjournal` process of check or build has nothing for the cycle collector to gain before it
    exits, and its passes over a large journal's objects cost seconds; serve and the daemon live on."""
    import gc

    from netjournal import cli

    monkeypatch.setattr(cli, "_ONE_SHOT", True)
    try:
        for command, collecting in [("check", False), ("build", False), ("due", False), ("serve", True),
                                    ("daemon", True)]:
            gc.enable()
            assert CliRunner().invoke(main, [command, "--help"]).exit_code == 0
            assert gc.isenabled() is collecting, command
    finally:
        gc.enable()
