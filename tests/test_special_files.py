"""Only regular files are read: a FIFO named like a note (or a symlink to one), or a journal file that is a
symlink to a device, is skipped with a finding naming it, and check, build and serve finish.

Real FIFOs, and the commands as real processes with a timeout: a read of a FIFO blocks forever."""
import json
import os
import signal
import subprocess
import sys

import pytest

from conftest import TODAY, interaction, person

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")

COMMAND = [sys.executable, "-m", "netjournal.cli"]


@pytest.fixture
def journal(make_journal):
    root = make_journal({"people/ada.md": person("Ada Lovelace"),
                         "interactions/2026/a.md": interaction("2026-11-01", "ada") + "Coffee.\n"})
    os.mkfifo(root / "people" / "fifo.md")
    os.mkfifo(root / "interactions" / "2026" / "pipe.md")
    (root / "people" / "link.md").symlink_to(root / "people" / "fifo.md")
    os.mkfifo(root / "people" / "not-a-note.txt")  # not named like a note: not looked at at all
    return root


def run(*args, cwd=None):
    return subprocess.run([*COMMAND, *args], capture_output=True, text=True, timeout=60, check=False, cwd=cwd)


def test_check_skips_fifos_and_links_to_them_with_a_finding_each(journal):
    result = run("check", str(journal), "--today", TODAY.isoformat(), "--format", "json")
    findings = json.loads(result.stdout)
    skipped = sorted(f["path"] for f in findings if f["code"] == "skipped-path")
    assert skipped == ["interactions/2026/pipe.md", "people/fifo.md", "people/link.md"], findings
    assert all("regular file" in f["message"] for f in findings if f["code"] == "skipped-path")
    assert not [f for f in findings if f["severity"] == "error"], findings


def test_build_and_serve_finish_and_show_the_other_notes(journal, tmp_path):
    result = run("build", str(journal), "-o", str(tmp_path / "site"), "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    assert "Coffee." in (tmp_path / "site" / "people" / "ada.html").read_text(encoding="utf-8")
    serve = subprocess.Popen([*COMMAND, "serve", str(journal), "--port", "0", "--today", TODAY.isoformat()],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        import selectors

        with selectors.DefaultSelector() as waiting:
            waiting.register(serve.stdout, selectors.EVENT_READ)
            assert waiting.select(timeout=60), "serve never started: it hangs on the FIFO"
        assert "serving" in serve.stdout.readline()
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=30)


def test_a_fifo_that_appears_where_a_note_was_is_an_unreadable_note_not_a_hang(journal):
    """Between the walk and the read a note can be replaced: the read itself takes regular files only."""
    from netjournal.load import read_and_load
    from netjournal.store import NoteStore

    path = journal / "people" / "fifo.md"
    outcome = read_and_load("people", "people/fifo.md", path)
    assert [f.code for f in outcome.findings] == ["unreadable-file"] and "regular file" in outcome.findings[0].message
    store = NoteStore()
    store.refresh({"people/fifo.md": ("people", "people/fifo.md", str(path))})
    assert [f.code for f in store.findings()] == ["unreadable-file"]


@pytest.mark.parametrize("name", ["netjournal.toml", ".gitignore", "templates/person.html"])
def test_journal_files_that_are_devices_or_fifos_are_not_read(journal, tmp_path, name):
    """A shared repository can hold a symlink to /dev/zero (endless) where a journal file goes."""
    path = journal / name
    path.parent.mkdir(exist_ok=True)
    path.symlink_to("/dev/zero")
    check = run("check", str(journal), "--today", TODAY.isoformat())
    assert "Traceback" not in check.stderr
    build = run("build", str(journal), "-o", str(tmp_path / "site"), "--today", TODAY.isoformat())
    assert "Traceback" not in build.stderr
    if name != ".gitignore":
        assert "regular file" in check.stdout + check.stderr + build.stdout + build.stderr
