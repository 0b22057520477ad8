"""`netjournal serve` from start to stop, as a user meets it: what it says, what an open tab shows while
the note of its page is broken (the last good page with the banner, never a bare 404), and that its
temporary site (the owner's full site, private notes included) goes on every way out."""
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from netjournal.engine import build_site

from conftest import TODAY, interaction, person
from tools import edit_and_wait
from tools import served_get as get

BROKEN = "---\nname: [Ada\n---\n"


@pytest.fixture
def served(serve_journal):
    return serve_journal({
        "people/ada.md": person("Ada Lovelace"), "people/bob.md": person("Bob Byte"),
        "goals/g.md": "---\ntitle: Launch\nstakeholders: [ada]\n---\n",
        "interactions/2026/a.md": interaction("2026-11-01", "ada", title="First coffee"),
        "interactions/2026/b.md": interaction("2026-11-02", "[ada, bob]", title="Lunch")})


def banner_items(body):
    return re.findall(r"<li>(.*?)</li>", body.split('class="live-banner"', 1)[1].split("</div>", 1)[0])


def test_the_first_build_says_built_as_many_pages_as_build_does(served, tmp_path):
    """Pages as `build` counts them: serve said the files it wrote (its assets and feed too), 47 against
    build's 43 for the example journal."""
    root, _, logs = served
    pages = build_site(root, TODAY, tmp_path / "site").pages
    assert logs[0].startswith(f"built {pages} pages in ")


def test_a_save_made_while_the_first_build_reads_the_notes_is_built_after_it(make_journal):
    """The watcher starts before the first build (it started after, so a save made while the first build
    read the notes was never seen: its pages stayed stale until that very note was saved again)."""
    from netjournal.serve import Server

    root = make_journal({"people/ada.md": person("Ada Lovelace"),
                         "interactions/2026/a.md": interaction("2026-11-01", "ada", title="First coffee")})
    note = root / "interactions" / "2026" / "a.md"

    def save_while_reading(count: int) -> None:  # the notes are read: this save comes after
        if "Saved while building" not in note.read_text():
            note.write_text(note.read_text() + "Saved while building.\n")

    server = Server(root, lambda: TODAY, port=0, log=lambda line: None, progress=save_while_reading)
    server.start()
    try:
        deadline = time.monotonic() + 20
        while "Saved while building" not in get(server, "/people/ada.html")[1] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "Saved while building" in get(server, "/people/ada.html")[1]
    finally:
        server.stop()


def test_the_banner_lists_the_broken_note_before_the_references_it_breaks(served):
    root, server, _ = served
    edit_and_wait(server, lambda: (root / "people" / "ada.md").write_text(BROKEN, encoding="utf-8"))
    items = banner_items(get(server, "/")[1])
    assert "people/ada.md:2" in items[0] and "invalid-front-matter" in items[0]
    assert [i for i in items[1:] if "unknown-person" in i] == items[1:] and len(items) == 4  # a, b and the goal


def test_a_broken_note_keeps_its_last_good_page_with_the_banner(served):
    root, server, _ = served
    edit_and_wait(server, lambda: (root / "people" / "ada.md").write_text(BROKEN, encoding="utf-8"))
    for path in ("/people/ada.html", "/goals/g.html"):
        status, body = get(server, path)
        assert status == 200, path
        assert 'class="live-banner"' in body and "people/ada.md:2" in body and "livereload.js" in body
    status, body = get(server, "/people/ada.html")
    assert "This page is from the last good build" in body and "First coffee" in body
    edit_and_wait(server, lambda: (root / "people" / "ada.md").write_text(person("Ada King"), encoding="utf-8"))
    status, body = get(server, "/people/ada.html")
    assert status == 200 and "live-banner" not in body and "Ada King" in body


def test_a_deleted_note_is_a_404_page_with_the_banner_and_live_reload(served):
    root, server, _ = served
    edit_and_wait(server, (root / "people" / "bob.md").unlink)  # b.md now names nobody known: an error
    status, body = get(server, "/people/bob.html")
    assert status == 404
    assert "<h1>Not found</h1>" in body and "livereload.js" in body and 'class="live-banner"' in body
    missing = get(server, "/no/such/<script>.html")[1]
    assert missing.count("<script") == 1 and "&lt;script&gt;.html" in missing  # the live-reload one; the path escaped


def test_an_open_tab_follows_its_note_through_breaking_and_mending(served, browser_page):
    """In a real browser: the person's page stays (with the banner) while their note is broken, and shows
    the mended note after the next good save; a page opened while it is gone reloads once it is back."""
    from playwright.sync_api import expect

    root, server, _ = served
    page, errors = browser_page
    note = root / "people" / "ada.md"
    page.goto(server.url + "people/ada.html")
    note.write_text(BROKEN, encoding="utf-8")
    expect(page.locator(".live-banner")).to_contain_text("people/ada.md:2", timeout=10000)
    expect(page.locator("h1")).to_have_text("Ada Lovelace")
    note.write_text(person("Ada Mended"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Ada Mended", timeout=10000)
    expect(page.locator(".live-banner")).to_have_count(0)
    page.goto(server.url + "people/cy.html")
    expect(page.locator("h1")).to_have_text("Not found")
    (root / "people" / "cy.md").write_text(person("Cy Young"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Cy Young", timeout=10000)
    assert errors == []


# --- the temporary site goes on every way out --------------------------------------------------------

class Serving:
    """`netjournal serve` as a process, its stdout and stderr read line by line as they come (a thread
    each), so a test can wait for a line with a timeout; killed at the end if it still runs."""

    def __init__(self, root: Path, temp: Path, port: int = 0) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "netjournal.cli", "serve", str(root), "--port", str(port),
             "--today", TODAY.isoformat()], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "TMPDIR": str(temp)})
        self.lines = {"out": queue.Queue(), "err": queue.Queue()}
        self.seen = {"out": [], "err": []}
        for name, stream in (("out", self.process.stdout), ("err", self.process.stderr)):
            threading.Thread(target=self._read, args=(stream, self.lines[name]), daemon=True).start()

    @staticmethod
    def _read(stream, lines: queue.Queue) -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    def wait_for(self, name: str, prefix: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines[name].get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            self.seen[name].append(line)
            if line.startswith(prefix):
                return line
        raise AssertionError(f"no line starting {prefix!r} in {self.seen[name]}")

    def finish(self, timeout: float = 60.0) -> tuple[int, str, str]:
        """Wait for the end; (exit status, all of stdout, all of stderr)."""
        try:
            status = self.process.wait(timeout=timeout)
        finally:
            self.kill()
        texts = {}
        for name in ("out", "err"):
            while (line := self.lines[name].get(timeout=10)) is not None:
                self.seen[name].append(line)
            texts[name] = "".join(self.seen[name])
        return status, texts["out"], texts["err"]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def serving():
    started = []

    def start(root, temp, port=0):
        started.append(Serving(root, temp, port))
        return started[-1]

    yield start
    for process in started:
        process.kill()


@pytest.fixture
def journal_and_temp(make_journal, tmp_path):
    root = make_journal({"people/ada.md": person("Ada Lovelace", email="ada@example.org"),
                         "people/zed.md": person("Zed", private="true"),
                         "interactions/2026/a.md": interaction("2026-11-01", "ada")})
    temp = tmp_path / "tmp"
    temp.mkdir()
    return root, temp


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["TERM", "HUP", "INT"])
def test_a_signal_stops_serve_and_removes_its_site(journal_and_temp, serving, stop):
    root, temp = journal_and_temp
    process = serving(root, temp)
    line = process.wait_for("out", "serving ")
    assert f"serving {root.resolve()} at http://127.0.0.1:" in line
    assert [p.name[:16] for p in temp.iterdir()] == ["netjournal-serve"]
    process.process.send_signal(stop)
    status, _, err = process.finish()
    assert status == 0 and "stopped" in err, err
    assert f"building the journal at {root.resolve()}" in err and "built " in err and "rebuilt" not in err
    assert list(temp.iterdir()) == []


def test_ctrl_c_during_the_first_build_removes_the_site(make_journal, tmp_path, serving):
    notes = {f"people/p{n:03}.md": person(f"Person {n}") for n in range(400)}
    root = make_journal(notes)
    temp = tmp_path / "tmp"
    temp.mkdir()
    process = serving(root, temp)
    process.wait_for("err", "building the journal at ")
    process.process.send_signal(signal.SIGINT)
    status, _, err = process.finish()
    assert "Traceback" not in err and status == 0
    assert list(temp.iterdir()) == []


def test_a_port_in_use_fails_before_building_and_leaves_nothing(journal_and_temp, serving):
    root, temp = journal_and_temp
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        status, out, err = serving(root, temp, port=taken.getsockname()[1]).finish()
    assert status == 1 and "cannot listen on 127.0.0.1:" in err
    assert "building" not in err and "built" not in err and out == ""
    assert list(temp.iterdir()) == []


def test_a_stop_asked_for_is_never_lost(make_journal, tmp_path, monkeypatch):
    """An interrupt raised inside a finalizer is swallowed (and one inside exec()'d code makes Python exit
    as if killed by Ctrl-C): once the first build is done, a signal only asks the serving loop to end,
    and a stop asked for during the build ends serve after it even if the build swallowed the interrupt."""
    from netjournal.serve import Server
    from netjournal.stopping import StopSignals

    root = make_journal({"people/ada.md": person("Ada")})
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    stop = StopSignals()

    def swallowed():  # the signal's interrupt, caught where a finalizer would have caught it
        try:
            stop.on_signal(signal.SIGTERM, None)
        except KeyboardInterrupt:
            pass

    with pytest.raises(KeyboardInterrupt):
        Server(root, lambda: TODAY, port=0, log=lambda line: None, on_listening=swallowed, stop=stop)
    assert list(temp.iterdir()) == []
    stop = StopSignals()
    server = Server(root, lambda: TODAY, port=0, log=lambda line: None, stop=stop)
    out = server.site.out
    stop.on_signal(signal.SIGTERM, None)  # serving now: no interrupt here, wherever this is
    stop.on_signal(signal.SIGINT, None)  # a second signal is ignored
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        server.serve_forever()
    assert time.monotonic() - started < 2 and not out.exists()


def test_ctrl_c_while_the_watcher_sets_up_its_watches_removes_the_site(make_journal, tmp_path, monkeypatch):
    """The watcher's recursive watches are set up in serve's own thread, before its observer thread runs
    (1.5 s for 20,000 folders): a Ctrl-C there made stopping the watcher fail (a thread that never ran
    cannot be joined), with a traceback, and left the temporary site (found by a reviewer)."""
    from watchdog.observers import Observer

    from netjournal.serve import Server

    root = make_journal({"people/ada.md": person("Ada")})
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))

    def interrupted(self):
        raise KeyboardInterrupt  # the Ctrl-C, come before the observer's thread was started

    monkeypatch.setattr(Observer, "start", interrupted)
    with pytest.raises(KeyboardInterrupt):
        Server(root, lambda: TODAY, port=0, log=lambda line: None)
    assert list(temp.iterdir()) == []


FIRST_BUILD_WORKERS = r"""
import sys
from pathlib import Path
from netjournal import load, page_making
from netjournal.serve import Server

load.PARALLEL_FROM = page_making.PARALLEL_PAGES_FROM = 2  # a small journal, built as a large one is

def children():
    return {int(pid) for task in Path("/proc/self/task").iterdir() for pid in (task / "children").read_text().split()}

seen = set()
server = Server(Path(sys.argv[1]), lambda: __import__("datetime").date(2026, 11, 22), port=0, log=lambda line: None,
                progress=lambda count: seen.update(children()))
print(len(seen), len(children()))
server.stop()
"""


def test_the_first_build_of_serve_reads_with_worker_processes(make_journal):
    """serve's first build reads every note (it keeps no cache): with worker processes, forked before the
    watcher's threads start. Started first so that a save during the first build is seen, the watcher had
    made that build read and render in one process."""
    files = {f"people/p{i}.md": person(f"P {i}") for i in range(20)}
    files.update({f"interactions/2026/{i}.md": interaction("2026-01-01", f"p{i}") for i in range(20)})
    root = make_journal(files)
    done = subprocess.run([sys.executable, "-c", FIRST_BUILD_WORKERS, str(root)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.stdout.split() == ["2", "0"], done.stdout + done.stderr  # two workers while reading, none after


def test_serve_removes_only_the_temporary_site_it_made(make_journal, tmp_path):
    """On stopping, serve removes its temporary site: the very folder it made, not one put at that path
    since (a user's own, say)."""
    from netjournal.serve import Server

    root = make_journal({"people/a.md": person("A")})
    server = Server(root, lambda: TODAY, port=0, log=lambda line: None)
    out = server.site.out
    assert (out / "index.html").is_file()
    out.rename(tmp_path / "moved")
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    server.stop()
    assert (out / "mine.txt").read_text(encoding="utf-8") == "keep me"
    shutil.rmtree(out)
    shutil.rmtree(tmp_path / "moved")
    again = Server(root, lambda: TODAY, port=0, log=lambda line: None)
    made = again.site.out
    again.stop()
    assert not made.exists()  # its own folder it does remove
