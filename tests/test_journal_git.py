"""A journal is a git repository shared with a mentor: nothing netjournal writes may hide a note from git.

The commands run as real processes (build, serve, daemon) on a real git repository, and git itself is
asked what it sees afterwards.
"""
import shutil
import signal
import subprocess
import sys

import pytest

from conftest import TODAY, git, interaction, person

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

COMMAND = [sys.executable, "-m", "netjournal.cli"]


def untracked(root) -> set[str]:
    return {line[3:] for line in git(root, "status", "--porcelain", "--untracked-files=all").splitlines()
            if line.startswith("?? ")}


@pytest.fixture
def repository(make_journal):
    root = make_journal({"people/ada.md": person("Ada Lovelace"),
                         "interactions/2026/a.md": interaction("2026-11-01", "ada")})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "notes")
    return root


def run_until(args, line_part, root, stop=signal.SIGINT):
    """Start `netjournal ARGS`, wait until its standard output says LINE_PART, then stop it with STOP."""
    process = subprocess.Popen([*COMMAND, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=root)
    try:
        line = process.stdout.readline()
        assert line_part in line, (line, process.stderr.read() if process.poll() is not None else "")
    finally:
        process.send_signal(stop)
        process.wait(timeout=30)
    return process


def test_build_serve_and_daemon_never_hide_a_new_note_from_git(repository):
    root = repository
    built = subprocess.run([*COMMAND, "build", str(root), "--today", TODAY.isoformat()], capture_output=True,
                           text=True, timeout=120, check=False)
    assert built.returncode == 0, built.stderr
    run_until(["serve", str(root), "--port", "0", "--today", TODAY.isoformat()], "serving", root)
    if sys.platform.startswith("linux"):
        run_until(["daemon", str(root), "--today", TODAY.isoformat()], "the daemon is running", root,
                  stop=signal.SIGTERM)
        from netjournal.daemon import info_path

        assert not info_path(root / "_site").exists()  # killed as soon as it said it runs: cleaned up all the same
    built = subprocess.run([*COMMAND, "build", str(root), "--today", TODAY.isoformat()], capture_output=True,
                           text=True, timeout=120, check=False)
    assert built.returncode == 0, built.stderr
    (root / "people" / "grace.md").write_text(person("Grace Hopper"), encoding="utf-8")
    (root / "interactions" / "2026" / "b.md").write_text(interaction("2026-11-02", "grace"), encoding="utf-8")
    seen = untracked(root)
    assert {"people/grace.md", "interactions/2026/b.md"} <= seen, seen
    # the cache ignores itself from inside: no ignore file anywhere else, and none of its files shows
    assert not (root / ".gitignore").exists()
    assert (root / ".netjournal-cache" / ".gitignore").is_file()
    assert not any(path.startswith(".netjournal-cache") for path in seen), seen


def test_the_ignore_file_an_older_netjournal_put_beside_its_cache_is_taken_back(repository):
    """Earlier versions wrote `*` into a .gitignore beside the cache folder (the journal itself, by default),
    hiding every new note. A build removes that file when it is exactly what netjournal wrote; a file
    with anything else in it is the user's and is left alone."""
    root = repository
    (root / ".gitignore").write_text("# written by netjournal: a cache, safe to delete\n*\n", encoding="utf-8")
    (root / "people" / "grace.md").write_text(person("Grace Hopper"), encoding="utf-8")
    assert "people/grace.md" not in untracked(root)  # hidden, as users found it
    built = subprocess.run([*COMMAND, "build", str(root), "--today", TODAY.isoformat()], capture_output=True,
                           text=True, timeout=120, check=False)
    assert built.returncode == 0, built.stderr
    assert not (root / ".gitignore").exists()
    assert "people/grace.md" in untracked(root)

    mine = "# written by netjournal: a cache, safe to delete\n*\n!people/\n"
    (root / ".gitignore").write_text(mine, encoding="utf-8")
    subprocess.run([*COMMAND, "build", str(root), "--today", TODAY.isoformat()], capture_output=True, timeout=120,
                   check=True)
    assert (root / ".gitignore").read_text(encoding="utf-8") == mine


@pytest.mark.parametrize("layout", ["repository", "worktree", "subfolder"])
def test_a_private_note_added_to_git_is_reported_by_the_next_build_of_a_running_builder(make_journal, tmp_path,
                                                                                         layout):
    """`private-note-tracked` asks git only when git's index changed: the index is found wherever git keeps
    it (a worktree's is in the main repository's folder; a journal may be a folder of a repository)."""
    from netjournal.engine import Builder

    notes = {"people/ada.md": person("Ada Lovelace"), "private/people/zed.md": person("Zed Secret")}
    top = make_journal({".gitignore": "private/\n_site/\n.netjournal-cache/\n", "README.md": "notes\n"})
    git(top, "init", "-q")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "start")
    if layout == "worktree":
        git(top, "worktree", "add", "-q", str(tmp_path / "tree"))
        top = tmp_path / "tree"
    root = top / "journal" if layout == "subfolder" else top
    for rel, text in notes.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    builder = Builder(root, tmp_path / "served", in_place=True)

    def tracked_warnings(touched=None) -> list[str]:
        return [f.path for f in builder.build(TODAY, touched).findings if f.code == "private-note-tracked"]

    assert tracked_warnings() == []
    git(root, "add", "-f", "private/people/zed.md")
    # no note touched: as the daemon builds when asked after a `git add`, its watcher having seen no note
    assert tracked_warnings(set()) == ["private/people/zed.md"]


def test_a_private_note_added_to_git_is_reported_by_the_next_build_though_no_note_changed(make_journal, tmp_path):
    """The next `netjournal build` may stop early when nothing it reads changed; what git tracks is among
    what it reads, but not git's index itself, which git writes again now and then with the same content."""
    import os
    import time

    from netjournal.engine import Builder, state_folder

    root = make_journal({".gitignore": "private/\n_site/\n.netjournal-cache/\n", "people/ada.md": person("Ada"),
                         "private/people/zed.md": person("Zed Secret")})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    past = time.time() - 60  # no note so fresh that a build must read it to be sure
    for path in root.rglob("*.md"):
        os.utime(path, (past, past))
    out = root / "_site"

    def build():
        return Builder(root, out, state=state_folder(root, out)).build(TODAY)

    assert [f for f in build().findings if f.code == "private-note-tracked"] == []
    index = (root / ".git" / "index").stat()
    git(root, "read-tree", "HEAD")  # the index written again, as `git status` may: what git tracks is the same
    assert (root / ".git" / "index").stat().st_ino != index.st_ino
    assert build().up_to_date
    git(root, "add", "-f", "private/people/zed.md")
    result = build()
    assert not result.up_to_date
    assert [f.path for f in result.findings if f.code == "private-note-tracked"] == ["private/people/zed.md"]
