"""`netjournal daemon`: a real daemon answering `netjournal build` over loopback, driven by real file edits,
its site compared byte for byte with a from-scratch build after each."""
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from netjournal.cli import main
from netjournal.daemon import Daemon, ask_daemon, info_path, request_line
from netjournal.fsutil import CACHE_IGNORE
from netjournal.site.write import UnsafeOutput

from conftest import TODAY, interaction, person

BY_DAEMON = "by the running `netjournal daemon`"


class Running:
    """A daemon answering in a thread, as `netjournal daemon` does in the foreground."""

    def __init__(self, root: Path, out: Path) -> None:
        self.logs: list[str] = []
        self.daemon = Daemon(root, out, TODAY, log=self.logs.append)
        self.daemon.build(TODAY)
        self.daemon.listen()
        self.thread = threading.Thread(target=self.daemon.run, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.daemon.stop()
        self.thread.join(timeout=10)
        self.daemon.close()


@pytest.fixture
def journal(make_journal):
    return make_journal({
        "people/ada.md": person("Ada Lovelace", tags="[mentor]"),
        "people/bob.md": person("Bob Byte"),
        "interactions/2026/a.md": interaction("2026-11-01", "ada", title="First coffee") + "We talked.\n",
        "interactions/2026/b.md": interaction("2026-10-03", "[ada, bob]", title="Planning")
        + "- [ ] send the plan 📅 2026-11-25\n",
    })


@pytest.fixture
def running(journal):
    daemon = Running(journal, journal / "_site")
    yield daemon
    daemon.stop()


def build(*args: str):
    return CliRunner().invoke(main, ["build", *args, "--today", TODAY.isoformat()])


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def emptied(folder: Path) -> None:
    """FOLDER with nothing in it, the folder itself kept (its inode too, as `rm -rf site/*` leaves it)."""
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()


def fresh_site(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """The site a build from scratch (no cache, no daemon) makes of ROOT now."""
    scratch = tmp_path / f"scratch{len(list(tmp_path.glob('scratch*')))}"
    result = build(str(root), "-o", str(scratch / "site"))
    assert result.exit_code == 0 and BY_DAEMON not in result.output, result.output
    return files_of(scratch / "site")


def test_build_asks_the_daemon_and_its_site_equals_a_fresh_build_after_each_edit(journal, running, tmp_path):
    site = journal / "_site"
    assert files_of(site) == fresh_site(journal, tmp_path)  # the daemon's first build
    a, b = journal / "interactions/2026/a.md", journal / "interactions/2026/b.md"
    edits = [
        lambda: a.write_text(a.read_text(encoding="utf-8") + "And then <script>alert(1)</script>.\n", encoding="utf-8"),
        lambda: b.write_text(b.read_text(encoding="utf-8").replace("2026-10-03", "2026-10-09"), encoding="utf-8"),
        lambda: b.write_text(b.read_text(encoding="utf-8").replace("- [ ]", "- [x]"), encoding="utf-8"),
        lambda: (journal / "interactions/2026/c.md").write_text(interaction("2026-11-02", "bob"), encoding="utf-8"),
        lambda: (journal / "interactions/2026/c.md").rename(journal / "interactions/2026/d.md"),
        lambda: (journal / "interactions/2026/d.md").unlink(),
        lambda: (journal / "people/cy.md").write_text(person("Cy Clone", tags="[mentor]"), encoding="utf-8"),
        lambda: (journal / "interactions/2025").mkdir(),
        lambda: (journal / "interactions/2025/e.md").write_text(interaction("2025-03-01", "cy"), encoding="utf-8"),
        lambda: (journal / "people/ada.md").write_text(person("Ada King", tags="[mentor]"), encoding="utf-8"),
        lambda: (journal / "netjournal.toml").write_text('[site]\ntitle = "Ada\'s & co"\n', encoding="utf-8"),
        lambda: (journal / "people/bob.md").write_text("---\nname: [unclosed\n---\n", encoding="utf-8"),
    ]
    for number, edit in enumerate(edits):
        edit()
        result = build(str(journal))
        assert result.exit_code == 0, result.output
        assert BY_DAEMON in result.output, (number, result.output)
        assert files_of(site) == fresh_site(journal, tmp_path), number
    by_itself = build(str(journal), "-o", str(tmp_path / "itself"))
    assert result.output.splitlines()[0] == by_itself.output.splitlines()[0] == (
        "2 notes have errors (listed on the dashboard; `netjournal check` for details)")


def test_a_build_the_daemon_cannot_make_builds_by_itself_and_the_daemon_follows(journal, running, tmp_path):
    site = journal / "_site"
    (journal / "netjournal.toml").write_text('[audience.mentor]\nredact = ["email"]\n', encoding="utf-8")
    for args in (["--strict"], ["--audience", "mentor"], ["-o", str(tmp_path / "elsewhere")]):
        result = build(str(journal), *args)
        assert result.exit_code == 0 and BY_DAEMON not in result.output, (args, result.output)
    # a build by itself swapped the daemon's folder: the daemon renders every page again, and still agrees
    note = journal / "interactions/2026/a.md"
    note.write_text(note.read_text(encoding="utf-8") + "More.\n", encoding="utf-8")
    result = build(str(journal))
    assert BY_DAEMON in result.output
    assert files_of(site) == fresh_site(journal, tmp_path)


def test_no_daemon_a_stale_file_or_other_code_means_building_by_itself(journal, tmp_path):
    out = journal / "_site"
    path = info_path(out)
    path.parent.mkdir(parents=True)
    info = {"port": 9, "token": "x", "code": "netjournal 0.0.1", "root": os.path.realpath(journal), "out": str(out)}
    for written in ("{not json", json.dumps(info), json.dumps({**info, "code": __import__("netjournal").code_stamp()})):
        path.write_text(written, encoding="utf-8")
        assert ask_daemon(journal, out, TODAY.isoformat()) is None
        result = build(str(journal))
        assert result.exit_code == 0 and BY_DAEMON not in result.output and "built" in result.output


def test_a_wrong_token_gets_no_answer(journal, running):
    path = info_path(journal / "_site")
    info = json.loads(path.read_text(encoding="utf-8"))
    assert (path.stat().st_mode & 0o777) == 0o600  # the token is the user's secret
    path.write_text(json.dumps({**info, "token": "guess"}), encoding="utf-8")
    assert ask_daemon(journal, journal / "_site", TODAY.isoformat()) is None
    path.write_text(json.dumps(info), encoding="utf-8")
    assert ask_daemon(journal, journal / "_site", TODAY.isoformat())["notes"] == 4


def test_a_broken_template_fails_the_build_and_keeps_the_site(journal, running, tmp_path):
    site = journal / "_site"
    before = files_of(site)
    (journal / "templates").mkdir()
    (journal / "templates/person.html").write_text("{% if %}", encoding="utf-8")
    result = build(str(journal))
    assert result.exit_code == 1 and "the previous site is unchanged" in result.output
    assert files_of(site) == before
    (journal / "templates/person.html").unlink()
    result = build(str(journal))
    assert result.exit_code == 0 and BY_DAEMON in result.output
    assert files_of(site) == fresh_site(journal, tmp_path)


def test_an_idle_daemon_sleeps_until_a_save_wakes_it(journal):
    """No save, no request: the daemon's loop waits in one `select` (it polled every 50 ms, 20 wake-ups a
    second all day). A save still wakes it, and `stop` does."""
    daemon = Running(journal, journal / "_site")
    try:
        def switches() -> int:
            status = Path(f"/proc/self/task/{daemon.thread.native_id}/status").read_text()
            return sum(int(line.split()[1]) for line in status.splitlines() if "ctxt_switches" in line)

        daemon.daemon.watch.take()  # anything the first build's own writes told the watcher
        time.sleep(0.2)
        before = switches()
        time.sleep(1.0)
        assert switches() - before <= 2
        note = journal / "interactions" / "2026" / "a.md"
        note.write_text(note.read_text() + "Woken.\n")
        page = journal / "_site" / "people" / "ada.html"
        deadline = time.monotonic() + 10
        while "Woken." not in page.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "Woken." in page.read_text()
    finally:
        daemon.stop()
    assert not daemon.thread.is_alive()


def test_stopping_removes_its_file_and_saves_the_notes_for_the_next_build(journal):
    daemon = Running(journal, journal / "_site")
    assert info_path(journal / "_site").is_file()
    daemon.stop()
    assert not info_path(journal / "_site").exists()
    result = build(str(journal))
    assert result.exit_code == 0 and BY_DAEMON not in result.output
    assert "built" in result.output  # not "up to date": the daemon wrote the site after the last record


def test_the_daemon_never_writes_into_a_folder_netjournal_did_not_make(journal):
    (journal / "mine").mkdir()
    (journal / "mine/thesis.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(UnsafeOutput):
        Daemon(journal, journal / "mine")
    assert (journal / "mine/thesis.txt").read_text(encoding="utf-8") == "precious"
    result = CliRunner().invoke(main, ["daemon", str(journal), "-o", str(journal / "mine")])
    assert result.exit_code == 1 and "refusing" in result.output


@pytest.mark.parametrize("broken_template", [False, True], ids=["builds", "fails"])
@pytest.mark.parametrize("same_inode", [False, True], ids=["another folder", "made again"])
def test_a_folder_put_in_place_of_the_daemons_output_is_never_written_or_claimed(journal, tmp_path, same_inode,
                                                                                 broken_template):
    """The daemon checked its output when it started; a folder of the user's put there later (moved in, or
    made again under the same name, which can reuse the inode) is refused as at the start: no page of theirs
    removed, no marker written (with it, the next `netjournal build` would replace the folder), whether the
    build would render or fail (helper-38: a failing build marked the folder; a passing one removed the
    user's pages and wrote the marker)."""
    out = tmp_path / "site"
    daemon = Daemon(journal, out, TODAY, log=lambda line: None)
    try:
        daemon.build(TODAY)
        if same_inode:
            emptied(out)
        else:
            out.rename(tmp_path / "moved")
            out.mkdir()
        (out / "essay.html").write_text("mine", encoding="utf-8")
        if broken_template:
            (journal / "templates").mkdir()
            (journal / "templates/people.html").write_text("{{ page.nope.nope }}", encoding="utf-8")
        with pytest.raises(UnsafeOutput):
            daemon.build(TODAY, asked=True)
        assert files_of(out) == {"essay.html": b"mine"}
    finally:
        daemon.close()


def test_a_save_right_before_a_build_is_in_it_with_the_output_outside_the_journal(journal, tmp_path):
    """A `build` asked right after a save includes it (the barrier: watch.py) also when the output, and so
    the state folder, is outside the journal: the barrier file was written there, under a watch of its
    own whose events come in any order with the notes' (helper-39: 11 saves of 20 missed)."""
    out = tmp_path / "elsewhere" / "site"
    daemon = Daemon(journal, out, TODAY, log=lambda line: None)
    note = journal / "interactions/2026/a.md"
    try:
        daemon.build(TODAY)
        for round in range(12):
            note.write_text(interaction("2026-11-01", "ada", title=f"Coffee {round}"), encoding="utf-8")
            daemon.build(TODAY, asked=True)
            assert f"Coffee {round}" in (out / "interactions/2026.html").read_text(encoding="utf-8"), round
    finally:
        daemon.close()
    cache = journal / ".netjournal-cache"  # what the daemon wrote into the journal, git ignores
    assert not cache.exists() or (cache / ".gitignore").read_bytes() == CACHE_IGNORE

def test_a_daemons_output_emptied_under_it_gets_every_page_again(journal, tmp_path):
    """Emptied (`rm -rf site/*`), the folder keeps its inode: the missing marker tells the daemon that its
    pages are gone, and it writes all of them (it wrote only the assets and the marker)."""
    out = tmp_path / "site"
    daemon = Daemon(journal, out, TODAY, log=lambda line: None)
    try:
        daemon.build(TODAY)
        emptied(out)
        daemon.build(TODAY, asked=True)
        assert files_of(out) == fresh_site(journal, tmp_path)
    finally:
        daemon.close()

def test_the_watcher_says_nothing_when_an_output_folder_is_swapped_under_it(journal):
    """A one-shot build swaps a new site folder in where the daemon's watcher watches the old one: the
    watcher follows without printing watchdog's warning on the daemon's terminal."""
    import shutil
    import time
    import warnings

    from netjournal.watch import Watcher

    out = journal / "_site"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        watch = Watcher(journal, out)
        watch.start()
        try:
            for n in range(150):
                new = journal / f"._site.new-{n}"
                (new / "people").mkdir(parents=True)
                (new / "people/a.html").write_text("x", encoding="utf-8")
                if out.exists():
                    out.rename(journal / f"._site.old-{n}")
                    new.rename(out)
                    shutil.rmtree(journal / f"._site.old-{n}")
                else:
                    new.rename(out)
            time.sleep(0.3)
        finally:
            watch.stop()
    assert [str(w.message)[:60] for w in caught] == []


def test_the_watcher_names_changed_notes_and_asks_for_a_walk_otherwise(journal):
    """The one watcher serve and the daemon share, on real edits."""
    import time

    from netjournal.watch import Watcher

    watch = Watcher(journal, journal / "_site")
    watch.start()

    def changes(edit):
        edit()
        deadline = time.monotonic() + 10
        while not watch.changed.is_set() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)  # the rest of the events of this edit
        return watch.take()

    try:
        assert watch.take() == set()

        def note_and_junk() -> None:
            (journal / "interactions/2026/a.md").write_text(interaction("2026-11-01", "bob"), encoding="utf-8")
            (journal / "people/.ada.md.swp").write_text("x", encoding="utf-8")  # an editor's swap file: ignored
            (journal / "_site").mkdir()
            (journal / "_site/index.html").write_text("x", encoding="utf-8")  # the output: ignored

        assert changes(note_and_junk) == {"interactions/2026/a.md"}
        assert changes(lambda: (journal / "netjournal.toml").write_text("", encoding="utf-8")) is None
        assert changes(lambda: (journal / "interactions/2024").mkdir()) is None
        assert changes(lambda: (journal / "interactions/2024/x.md").write_text(
            interaction("2024-01-01", "ada"), encoding="utf-8")) == {"interactions/2024/x.md"}  # watched since
        assert changes(lambda: (journal / "people/ada.md").rename(journal / "people/ada-l.md")) == {
            "people/ada.md", "people/ada-l.md"}
    finally:
        watch.stop()


# `kill`, and the terminal it runs in closed: each stops it cleanly (its address file removed)
@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP"])
def test_the_daemon_command_answers_build_commands_and_stops_cleanly_on_a_signal(journal, stop):
    import signal
    import subprocess

    command = [sys.executable, "-m", "netjournal.cli"]
    daemon = subprocess.Popen([*command, "daemon", str(journal)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        assert "the daemon is running" in daemon.stdout.readline()
        note = journal / "interactions/2026/a.md"
        note.write_text(note.read_text(encoding="utf-8") + "Edited by hand.\n", encoding="utf-8")
        answer = subprocess.run([*command, "build", str(journal), "--today", TODAY.isoformat()],
                                capture_output=True, text=True, timeout=60, check=False)
        assert answer.returncode == 0 and BY_DAEMON in answer.stdout
        assert "Edited by hand." in (journal / "_site/interactions/2026.html").read_text(encoding="utf-8")
    finally:
        daemon.send_signal(getattr(signal, stop))
        daemon.wait(timeout=30)
    assert daemon.returncode == 0
    assert not info_path(journal / "_site").exists()


def test_a_save_is_built_before_anyone_asks_and_build_then_finds_it_done(journal, running):
    import time

    note = journal / "interactions/2026/a.md"
    # one save, whole (a temporary file renamed over the note): a note written in place is empty between
    # its truncation and its write, and a writer stalled there for the daemon's 50 ms of quiet (a loaded
    # machine) makes two rebuilds, both reported to the build below
    temporary = note.with_name(".a.md.tmp")
    temporary.write_text(note.read_text(encoding="utf-8") + "Written up at once.\n", encoding="utf-8")
    os.replace(temporary, note)
    page = journal / "_site/interactions/2026.html"

    def rebuilt() -> bool:
        # the page is written before the daemon logs its rebuild: wait for both
        return "Written up at once." in page.read_text(encoding="utf-8") and any(
            line.startswith("rebuilt ") for line in running.logs)

    deadline = time.monotonic() + 10
    while not rebuilt() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert rebuilt(), running.logs
    result = build(str(journal))
    assert BY_DAEMON in result.output and "built 2 pages (wrote 2 files)" in result.output  # by the save
    result = build(str(journal))
    assert BY_DAEMON in result.output and "built 0 pages (wrote 0 files)" in result.output


def test_a_second_daemon_for_the_same_folder_is_refused(journal, running):
    with pytest.raises(OSError, match="already builds"):
        Daemon(journal, journal / "_site")
    result = CliRunner().invoke(main, ["daemon", str(journal)])
    assert result.exit_code == 1 and "already builds" in result.output
    assert ask_daemon(journal, journal / "_site", TODAY.isoformat()) is not None  # the first one still answers


def test_after_a_config_change_the_daemon_starts_afresh_and_its_site_is_a_full_builds(journal, running, tmp_path):
    (journal / "_site/stray.html").write_text("not netjournal's", encoding="utf-8")  # as a full build would
    (journal / "netjournal.toml").write_text('[site]\ntitle = "Renamed"\n', encoding="utf-8")
    result = build(str(journal))
    assert BY_DAEMON in result.output
    assert files_of(journal / "_site") == fresh_site(journal, tmp_path)


def test_a_daemon_whose_first_build_fails_says_why_and_stops(journal):
    (journal / "templates").mkdir()
    (journal / "templates/person.html").write_text("{% if %}", encoding="utf-8")
    result = CliRunner().invoke(main, ["daemon", str(journal)])
    assert result.exit_code == 1 and "the first build failed" in result.output
    assert not info_path(journal / "_site").exists()


@pytest.mark.parametrize("asked", [False, True], ids=["after a save", "asked by a build"])
def test_a_daemon_whose_code_changed_stops_without_writing(journal, monkeypatch, asked):
    """After an upgrade (or an edit of netjournal), the old code must not write pages over the new code's,
    nor save notes it read: it stops, and says why."""
    import socket

    import netjournal.daemon as daemon_module

    running = Running(journal, journal / "_site")
    page = journal / "_site/interactions/2026.html"
    before = page.read_bytes()
    info = json.loads(info_path(journal / "_site").read_text(encoding="utf-8"))
    monkeypatch.setattr(daemon_module, "code_stamp", lambda: "netjournal 9.9")
    if asked:  # a client of the old code (ask_daemon of the new one would not ask): the request by hand
        with socket.create_connection(("127.0.0.1", info["port"]), timeout=10) as conn:
            conn.sendall(request_line(info["token"], TODAY.isoformat()))
            answer = json.loads(conn.makefile("rb").readline())
        assert "netjournal changed" in answer["failed"]
    else:
        note = journal / "interactions/2026/a.md"
        note.write_text(note.read_text(encoding="utf-8") + "Written after the upgrade.\n", encoding="utf-8")
    running.thread.join(timeout=10)
    assert not running.thread.is_alive()
    assert any("stopping: netjournal changed" in line for line in running.logs)
    assert page.read_bytes() == before
    running.daemon.close()
    assert not info_path(journal / "_site").exists()


def test_a_build_asked_right_after_a_save_always_includes_it(journal, running):
    """The daemon's answer waits for its own file's event (watch.Watcher.take): the kernel queues events in
    order, so a save made before the request is always in the build, however quickly the request follows."""
    note = journal / "interactions/2026/a.md"
    page = journal / "_site/interactions/2026.html"
    for number in range(25):
        note.write_text(interaction("2026-11-01", "ada", title="First coffee") + f"Saved {number}.\n",
                        encoding="utf-8")
        assert ask_daemon(journal, journal / "_site", TODAY.isoformat())["pages"] >= 0
        assert f"Saved {number}." in page.read_text(encoding="utf-8"), number


DAEMON_FIRST_BUILD_WORKERS = r"""
import datetime, sys
from pathlib import Path
from netjournal import load, page_making
from netjournal.daemon import Daemon

load.PARALLEL_FROM = page_making.PARALLEL_PAGES_FROM = 2  # a small journal, built as a large one is

def children():
    return {int(pid) for task in Path("/proc/self/task").iterdir() for pid in (task / "children").read_text().split()}

root = Path(sys.argv[1])
keeper = Daemon(root, root / "_site", datetime.date(2026, 11, 22), log=lambda line: None)
seen = set()
build = keeper.builder.build
keeper.builder.build = lambda *args: build(*args, on_read=lambda count: seen.update(children()))
result = keeper.build(keeper.today)
print(len(seen), len(children()), result.pages > 0)
keeper.close()
"""


def test_the_first_build_of_the_daemon_has_worker_processes_and_no_later_one(make_journal):
    """The daemon's first build reads every note the cache does not hold: with worker processes (two seen
    while it reads), forked before the watcher's threads start (forking beside threads can deadlock), and
    ended with that build (none after)."""
    files = {f"people/p{i}.md": person(f"P {i}") for i in range(20)}
    files.update({f"interactions/2026/{i}.md": interaction("2026-01-01", f"p{i}") for i in range(20)})
    root = make_journal(files)
    done = subprocess.run([sys.executable, "-c", DAEMON_FIRST_BUILD_WORKERS, str(root)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.stdout.split() == ["2", "0", "True"], done.stdout + done.stderr


def test_a_page_the_daemon_replaces_while_a_build_by_itself_lists_the_output_is_no_error(tmp_path):
    """A build by itself (--strict, say) lists the output folder after its swap, to know it next time;
    the daemon writes the same folder meanwhile, each page through a temporary file renamed into place.
    A file listed and gone before it was looked at failed that build ("cannot write the site to …: No
    such file or directory"), after its new site was in place: seen once as a failure of the test above."""
    from netjournal.fsutil import atomic_write
    from netjournal.stamps import output_listing

    out = tmp_path / "site"
    (out / "people").mkdir(parents=True)
    stop = threading.Event()

    def daemon_writes() -> None:
        count = 0
        while not stop.is_set():
            atomic_write(out / "people" / f"p{count % 50}.html", b"<p>page</p>" * 10)
            count += 1

    writer = threading.Thread(target=daemon_writes)
    writer.start()
    try:
        listings = [output_listing(out) for _ in range(300)]
    finally:
        stop.set()
        writer.join()
    pages = {f"people/p{n}.html" for n in range(50)}
    assert all(name in pages or name.startswith("people/.p") for listing in listings for name in listing)


def test_an_editors_lock_file_among_netjournals_modules_is_no_module(tmp_path):
    """Emacs leaves `.#cli.py`, a dangling symlink, beside a module being edited: the stamp of the code
    (what a daemon and the note cache were made by) skips it instead of failing every build."""
    import shutil
    import subprocess

    import netjournal

    copy = tmp_path / "netjournal"
    shutil.copytree(Path(netjournal.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / ".#cli.py").symlink_to("someone@host.1234:1700000000")
    done = subprocess.run([sys.executable, "-c", "import netjournal; print(netjournal.__file__, netjournal.code_stamp())"],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(tmp_path)}, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(str(copy)) and ".#cli.py" not in done.stdout
