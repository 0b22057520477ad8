"""Shared fixtures: small journals written as real files, the way a user would have them."""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import threading
from pathlib import Path

import pytest

import netjournal
from netjournal.analyze import Analysis, analyze


def _temporary_folders_in_memory(room: int = 4 << 30) -> None:
    """Put the tests' temporary folders (tmp_path, and what the commands they run make) in /dev/shm when it
    is a tmpfs with ROOM to spare. The tests write tens of thousands of small files; on this machine's disk
    a file written and renamed costs about 20 times what it costs in memory. Elsewhere: the system's
    default, unchanged."""
    if os.environ.get("TMPDIR") or not os.path.isdir("/dev/shm"):
        return
    try:
        with open("/proc/mounts", encoding="utf-8") as mounts:
            # tmpfs, and not noexec: tests run scripts they write (a fake editor, a fake git)
            in_memory = any(fields[1:3] == ["/dev/shm", "tmpfs"] and "noexec" not in fields[3].split(",")
                            for fields in (line.split() for line in mounts) if len(fields) > 3)
        stat = os.statvfs("/dev/shm")
    except OSError:
        return
    if in_memory and stat.f_bavail * stat.f_frsize >= room and os.access("/dev/shm", os.W_OK):
        os.environ["TMPDIR"] = "/dev/shm"
        tempfile.tempdir = None  # tempfile reads TMPDIR again on its next use


_temporary_folders_in_memory()

TODAY = dt.date(2026, 11, 22)
REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "example-journal"


def pytest_configure(config):
    """Compile netjournal's modules to bytecode once, before any test (under xdist: in the controller,
    before its workers start). Where PYTHONDONTWRITEBYTECODE is set (as on this machine and its CI),
    every `netjournal` command a test runs would otherwise compile the package from source again: about
    0.2 s a command, hundreds of commands. A pip install compiles them the same way; Python still reads
    bytecode that is there, and checks it against each source file's time and size."""
    if not hasattr(config, "workerinput"):
        import compileall

        compileall.compile_dir(Path(netjournal.__file__).parent, quiet=1)  # the package the commands import


@pytest.hookimpl(hookwrapper=True)
def pytest_collection(session):
    """No cycle collector while the test modules are collected, and then what collecting made moved out
    of its way for good (gc.freeze). Collecting makes some hundred thousand objects that live as long as
    the process, and little garbage that reference counting does not free: the collector went over all of
    them again and again while collecting (about a second of each test process's CPU), and each full pass
    during the tests went over them all again. The tests run with the collector on, as before."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


#: The test modules whose tests take longest (browsers, signals, builds compared after edits), collected
#: first: a long test begun last is the suite's tail while the other processes wait
_SLOW_MODULES = ("test_site_browser.py", "test_site_everyday.py", "test_engine.py", "test_build_interrupted.py",
                 "test_daemon.py")


def pytest_collection_modifyitems(config, items):
    """The slow modules' tests first, each module's in its order (the processes take tests in order)."""
    items.sort(key=lambda item: item.path.name not in _SLOW_MODULES)


def pytest_xdist_auto_num_workers(config):
    """`-n auto` (pyproject.toml): one test process more than the cores. About a third of the suite's time
    is spent waiting (on `netjournal` commands, servers, browsers and signals), which a third process
    fills: on 2 cores, 91.6 s against 107.8 s. PYTEST_XDIST_AUTO_NUM_WORKERS still decides, if set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist's own reading of it
    return len(os.sched_getaffinity(0)) + 1 if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1) + 1


def write_journal(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write FILES (relative path -> text or bytes) below ROOT; text is dedented."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_journal(tmp_path):
    """make_journal({"people/ada.md": "..."}) -> the journal folder."""
    counter = iter(range(1000))

    def make(files: dict[str, str | bytes]) -> Path:
        return write_journal(tmp_path / f"journal{next(counter)}", files)

    return make


@pytest.fixture
def serve_journal(make_journal):
    """serve_journal(files) -> (journal, server, log lines): `netjournal serve`'s server of a journal made
    from FILES, on a free loopback port as of TODAY, started; stopped at the end of the test."""
    from netjournal.serve import Server

    servers = []

    def serve(files: dict[str, str | bytes]):
        root = make_journal(files)
        logs: list[str] = []
        servers.append(Server(root, lambda: TODAY, port=0, log=logs.append))
        servers[-1].start()
        return root, servers[-1], logs

    yield serve
    for server in servers:
        server.stop()


class _SessionChromium:
    """One chromium per test process, launched when a test first asks (a launch costs about 1.1 s of CPU)
    and ended when a test needs the process without other threads (workers_can_fork)."""

    def __init__(self) -> None:
        self._launched: contextlib.ExitStack | None = None
        self._browser = None

    def get(self):
        if self._browser is None:
            from tools import launched_chromium

            self._launched = contextlib.ExitStack()
            self._browser = self._launched.enter_context(launched_chromium())
        return self._browser

    def close(self) -> None:
        if self._launched is not None:
            self._launched.close()
        self._launched = self._browser = None


@pytest.fixture(scope="session")
def _session_chromium():
    holder = _SessionChromium()
    yield holder
    holder.close()


@pytest.fixture(scope="module")
def chromium(_session_chromium):
    """Debian's chromium (via playwright), shared by the tests of a process; each test opens its own context
    (a fresh profile: no cookies, storage or cache from another test)."""
    return _session_chromium.get()


@pytest.fixture
def workers_can_fork(_session_chromium):
    """For a test of a build's worker processes: the pool forks only where no other thread runs, and
    playwright keeps one (asyncio's waitpid thread) while a browser lives. End this process's browser (the
    next test that wants one launches it again) and wait for that thread, so that which tests ran before
    this one in its process cannot make it build without workers and pass without testing them."""
    _session_chromium.close()
    for thread in threading.enumerate():
        if thread is not threading.main_thread():
            thread.join(timeout=10)
    assert threading.active_count() == 1, [thread.name for thread in threading.enumerate()]


@pytest.fixture
def browser_page(chromium):
    """(page, errors): a page of a context of its own and the script errors it reports."""
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, errors
    context.close()


@pytest.fixture
def check_journal(make_journal):
    """check_journal(files, today=TODAY) -> Analysis of a journal made from FILES."""

    def run(files: dict[str, str | bytes], today: dt.date = TODAY) -> Analysis:
        return analyze(make_journal(files), today)

    return run


def person(name: str, **fields: str) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\nname: {name}\n{extra}---\nNotes on {name}.\n"


def interaction(date: str, with_: str, **fields: str) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\ndate: {date}\nwith: {with_}\n{extra}---\n"


def busy_journal(count: int = 25) -> dict[str, str]:
    """COUNT people, each past a 30-day cadence, each met once in 2026 with a follow-up now overdue: more
    than a dashboard list shows."""
    notes = {}
    for n in range(count):
        notes[f"people/p{n:02}.md"] = person(f"Person {n:02}", cadence="30d")
        notes[f"interactions/2026/m{n:02}.md"] = interaction(
            f"2026-01-{n + 1:02}", f"p{n:02}", follow_ups=f"[{{what: task {n:02}, due: 2026-02-{n + 1:02}}}]")
    return notes

def codes(analysis: Analysis) -> list[str]:
    return sorted(f.code for f in analysis.findings)


def findings_of(analysis: Analysis, code: str):
    return [f for f in analysis.findings if f.code == code]


def output_bytes(folder: Path) -> bytes:
    """Every file's bytes and every path name below FOLDER, lower-cased: what a leak test searches."""
    chunks = []
    for path in sorted(folder.rglob("*")):
        chunks.append(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            chunks.append(path.read_bytes())
    return b"\n".join(chunks).lower()


def run_cli(*args: str):
    """The `netjournal` command with ARGS, run in this process (click's CliRunner)."""
    from click.testing import CliRunner

    from netjournal.cli import main

    return CliRunner().invoke(main, [str(arg) for arg in args])


def mentor_view(make_journal, tmp_path: Path, hidden: str, shown: str, shown_fields: str = "") -> str:
    """The mentor's view (audience_output, decoded) of a journal of Zelda Quokkason, hidden, whose front
    matter adds HIDDEN (`phone: …`), and Pat Public, shown, whose front matter adds SHOWN_FIELDS and whose
    note's body is SHOWN: where a leak test repeats a hidden person's words in a visible note."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/zelda.md": f"---\nname: Zelda Quokkason\n{hidden}\nprivate: true\n---\n",
             "people/pat.md": f"---\nname: Pat Public\n{shown_fields and shown_fields + chr(10)}---\n{shown}\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    return re.sub(r"(?m)^uid:.*$", "", shared)  # keyed digests, which may hold any digits by chance


def audience_output(root: Path, out: Path, audience: str = "mentor", *extra: str) -> bytes:
    """Build ROOT's site for AUDIENCE into OUT and export every format for it: all of it, lower-cased (see
    output_bytes), for a leak test to search."""
    result = run_cli("build", root, "--audience", audience, "-o", out, "--today", TODAY.isoformat(), *extra)
    assert result.exit_code == 0, result.output
    # the four exports of one analysis, as `netjournal export FORMAT --audience AUDIENCE` makes each (its own
    # analysis each time: three more of them were a third of the time of this, which runs some 600 times)
    from netjournal.config import load_config
    from netjournal.export import EXPORTERS

    chosen = next(each for each in load_config(root)[0].audiences if each.name == audience)
    assert not chosen.problems, chosen.problems
    site = analyze(root, TODAY, audience=chosen).site()
    exports = []
    for fmt in ("ics", "json", "csv", "vcard"):
        content = EXPORTERS[fmt](site)
        exports.append((content if isinstance(content, bytes) else content.encode("utf-8")).lower())
    return output_bytes(out) + b"\n" + b"\n".join(exports)


def git(root: Path, *args: str) -> str:
    """Run git in ROOT as a test author, with nothing of the user's configuration; its output."""
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                               "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(root),
                               "PATH": "/usr/bin:/bin"}).stdout


def git_repository(root: Path, *init_options: str) -> Path:
    """ROOT made a git repository (`git init INIT_OPTIONS`) with everything in it committed."""
    git(root, "init", "-q", *init_options)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    return root


MAKE_JOURNAL = Path(os.environ.get("MAKE_JOURNAL", REPO.parent / "shared" / "tools" / "make-journal"))


def big_journal(root: Path, people: int, interactions: int) -> Path:
    """A journal of PEOPLE people and INTERACTIONS interactions at ROOT, large enough for a build to be
    caught midway: written by the benchmarks' make-journal where there is one, else by write_journal."""
    if MAKE_JOURNAL.is_file():
        subprocess.run([sys.executable, str(MAKE_JOURNAL), str(root), "--people", str(people),
                        "--interactions", str(interactions)], check=True, capture_output=True)
        return root
    notes = {f"people/p{n}.md": person(f"Person {n}", cadence="30d") for n in range(people)}
    for n in range(interactions):
        notes[f"interactions/{2020 + n % 7}/m{n}.md"] = interaction(
            f"{2020 + n % 7}-{1 + n % 12:02}-{1 + n % 28:02}", f"[p{n % people}, p{(n * 7) % people}]",
            topics="[hiring, budget]") + f"We talked about item {n} at length.\n" * 5
    return write_journal(root, notes)
