"""A journal is a git repository shared with a mentor: nothing netjournal writes may hide a note from git.

The commands run as real processes (build, serve, daemon) on a real git repository, and git itself is
asked what it sees afterwards.
"""
import shutil
import signal
import subprocess
import sys

import pytest

from netjournal.analyze import analyze

from conftest import TODAY, git, git_repository, interaction, person

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

COMMAND = [sys.executable, "-m", "netjournal.cli"]
IGNORED = "private/\n_site/\n.netjournal-cache/\n"  # the .gitignore `netjournal init --git` writes


def untracked(root) -> set[str]:
    return {line[3:] for line in git(root, "status", "--porcelain", "--untracked-files=all").splitlines()
            if line.startswith("?? ")}


@pytest.fixture
def repository(make_journal):
    return git_repository(make_journal({"people/ada.md": person("Ada Lovelace"),
                                        "interactions/2026/a.md": interaction("2026-11-01", "ada")}))


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
def test_check_reports_a_private_note_git_tracks_wherever_the_repository_is(make_journal, tmp_path, layout):
    """`check` asks git itself, so it finds the index wherever git keeps it (a worktree's lives in the main
    repository; a journal may be a folder of a repository). Builds do not report what git tracks: their
    pages show no such warning, and a cached answer could only go stale."""
    notes = {"people/ada.md": person("Ada Lovelace"), "private/people/zed.md": person("Zed Secret")}
    top = git_repository(make_journal({".gitignore": IGNORED, "README.md": "notes\n"}))
    if layout == "worktree":
        git(top, "worktree", "add", "-q", str(tmp_path / "tree"))
        top = tmp_path / "tree"
    root = top / "journal" if layout == "subfolder" else top
    for rel, text in notes.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")

    assert tracked_findings(root) == []
    git(root, "add", "-f", "private/people/zed.md")
    assert [path for path, _ in tracked_findings(root)] == ["private/people/zed.md"]


@pytest.mark.parametrize("untracked_cache", ["false", "true"])
def test_an_unchanged_build_is_up_to_date_though_a_prompt_runs_git_status_between(make_journal, untracked_cache):
    """A shell prompt that shows git's state runs `git status` after every command; with core.untrackedCache
    (or feature.manyFiles) that writes git's index again whenever a folder changed, as a build's swap of _site
    does. Git's index is not among what a build reads, so the builds after the first stay up to date.
    (A review helper's case: it failed while the index's stat was part of the build's fingerprint.)"""
    import os
    import time

    root = git_repository(make_journal({".gitignore": IGNORED, "people/ada.md": person("Ada")}))
    git(root, "config", "core.untrackedCache", untracked_cache)
    past = time.time() - 60
    for path in root.rglob("*.md"):
        os.utime(path, (past, past))
    git(root, "status")
    outputs = []
    for _ in range(3):
        outputs.append(subprocess.run([*COMMAND, "build", str(root), "--today", TODAY.isoformat()],
                                      capture_output=True, text=True, timeout=120, check=True).stdout)
        git(root, "status")  # the prompt
    assert ["up to date" in out for out in outputs] == [False, True, True], outputs


@pytest.fixture(params=["sha1", "sha256"])
def shared(make_journal, request):
    """A journal in git with private/ ignored, as `netjournal init --git` makes it; git names what it holds
    by SHA-1, or in a SHA-256 repository by SHA-256."""
    return git_repository(make_journal({".gitignore": IGNORED, "people/ada.md": person("Ada")}),
                          f"--object-format={request.param}")


def tracked_findings(root) -> list[tuple[str, str]]:
    return sorted((f.path, f.message) for f in analyze(root, TODAY).findings if f.code == "private-note-tracked")


def test_a_private_note_staged_then_moved_under_private_is_still_reported(shared):
    """Half of the advice (move it under private/) without `git rm --cached`: the index still holds the text
    at the old path, and the next commit would share it."""
    note = shared / "interactions" / "2026-11-01-zed.md"
    note.parent.mkdir()
    note.write_text(interaction("2026-11-01", "ada", title="About Zed", private="true"), encoding="utf-8")
    git(shared, "add", "interactions")
    assert [path for path, _ in tracked_findings(shared)] == ["interactions/2026-11-01-zed.md"]
    (shared / "private" / "interactions").mkdir(parents=True)
    note.rename(shared / "private" / "interactions" / note.name)
    found = tracked_findings(shared)
    assert [path for path, _ in found] == ["private/interactions/2026-11-01-zed.md"]
    assert "interactions/2026-11-01-zed.md" in found[0][1] and "git rm --cached" in found[0][1]


def test_a_copy_of_a_private_note_under_another_name_is_reported(shared):
    secret = person("Zed Secret") + "Zed is leaving in March.\n"
    (shared / "private" / "people").mkdir(parents=True)
    (shared / "private" / "people" / "zed.md").write_text(secret, encoding="utf-8")
    (shared / "notes.md").write_text(secret, encoding="utf-8")  # not a note: only git's index says whose it is
    assert tracked_findings(shared) == []
    git(shared, "add", "notes.md")
    assert [path for path, _ in tracked_findings(shared)] == ["private/people/zed.md"]


def test_private_kept_as_a_submodule_is_reported(shared):
    """A submodule at private/ is one entry in the index, private itself, naming the private repository."""
    head = git(shared, "rev-parse", "HEAD").strip()
    git(shared, "update-index", "--add", "--cacheinfo", f"160000,{head},private")
    assert [path for path, _ in tracked_findings(shared)] == ["private"]
