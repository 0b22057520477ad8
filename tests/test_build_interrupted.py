"""A build killed midway (SIGKILL or SIGTERM of the `netjournal build` process): no worker keeps running,
the half-written site (the owner's, private people and all) is never left where git would see it, and the
next build removes whatever the killed one left.

Real processes throughout: a real `netjournal build` of a journal large enough to read its notes and
render its pages with worker processes, killed at a chosen moment; the processes left are found in /proc.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import TODAY, big_journal

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

COMMAND = [sys.executable, "-m", "netjournal.cli", "build"]


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """Just enough notes for a build to read them with worker processes and render its pages with helper
    processes (load.PARALLEL_FROM notes, page_making.PARALLEL_PAGES_FROM pages), and a little more: a fraction
    of a second of each, long enough to stop the build in either. (5,000 notes took 3 s more a run.)"""
    from netjournal.load import PARALLEL_FROM
    from netjournal.page_making import PARALLEL_PAGES_FROM

    people = PARALLEL_PAGES_FROM + 100  # a page each
    return big_journal(tmp_path_factory.mktemp("large") / "journal", people=people,
                       interactions=PARALLEL_FROM + 100 - people)


def session_processes(session: int) -> list[tuple[int, str, str]]:
    """(pid, state, command line) of every live process of SESSION (zombies are dead: not counted)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[3]) == session and fields[0] != "Z":
            found.append((int(entry.name), fields[0], command[:120]))
    return found


def leftovers(root: Path) -> list[str]:
    """What a build leaves in and beside its output folder's parent that is not the site or the cache."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith("."))


def staging_folders(root: Path) -> list[Path]:
    """Folders a build is writing a site into: beside the output (where builds used to stage) or in the cache."""
    places = [root, root / ".netjournal-cache"]
    return [p for place in places if place.is_dir() for p in place.iterdir() if "new-" in p.name and p.is_dir()]


def fork_workers(session: int, main: int) -> bool:
    """Are note-reading workers (forks of the main process, with its command line) running?"""
    processes = session_processes(session)
    commands = {pid: command for pid, _, command in processes}
    return any(pid != main and command == commands.get(main) for pid, command in commands.items())


def start_build(root: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([*COMMAND, str(root), "--today", TODAY.isoformat()], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, env=env)


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.005)


@pytest.mark.parametrize("moment", ["rendering", "reading"])
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_build_killed_midway_leaves_no_worker_and_the_next_build_cleans_up(large, tmp_path, how, moment):
    root = tmp_path / "copy"  # one journal for every case, copied: each case starts without a cache
    subprocess.run(["cp", "-a", str(large), str(root)], check=True)
    temp = tmp_path / "tmp"  # multiprocessing's own temporary folders go here: they must not pile up either
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    build = start_build(root, env)
    try:
        if moment == "rendering":  # the new site is being written, by helper processes
            wait_for(lambda: staging_folders(root) or build.poll() is not None, 120, "the staging folder")
            time.sleep(0.2)
            # the helpers start once the first pages' data is made: on a loaded machine, later than 0.2 s
            wait_for(lambda: len(session_processes(build.pid)) > 1 or build.poll() is not None, 120,
                     "the rendering helpers")
        else:  # the notes are being read, by worker processes: forked at the build's start (b6d9842), they
            # read once the store has marked its cache folder as being saved
            wait_for(lambda: (fork_workers(build.pid, build.pid) and (root / ".netjournal-cache").is_dir())
                     or build.poll() is not None, 120, "workers reading")
        assert build.poll() is None, "the build finished before it could be interrupted: make the journal larger"
        assert len(session_processes(build.pid)) > 1, "no worker processes to leave behind"
        build.send_signal(how)
        build.wait(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
    try:
        wait_for(lambda: not session_processes(build.pid), 30, "every worker of the killed build to end")
    finally:  # a failing case must not leave its processes behind either
        for pid, _, _ in session_processes(build.pid):
            os.kill(pid, signal.SIGKILL)
    # nothing the killed build wrote is where git sees it: no staging folder beside the cache
    assert leftovers(root) == [".netjournal-cache"], leftovers(root)

    # the next build cleans up whatever the notes are: most of them go first, so that it is not a second
    # build of every note from scratch (which was most of each case's time)
    shutil.rmtree(root / "interactions")
    for note in sorted((root / "people").iterdir())[10:]:
        note.unlink()
    again = start_build(root, env)
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()
    cache = root / ".netjournal-cache"
    assert staging_folders(root) == []
    state = re.compile("[0-9a-f]{12}-[0-9a-f]{12}")  # engine.state_folder: the notes and what the build made
    assert sorted(p.name for p in cache.iterdir() if not state.fullmatch(p.name)) == [".gitignore"]
    assert [p.name for p in cache.rglob(".*")] == [".gitignore"]  # no file a killed worker was saving
    assert list(temp.iterdir()) == [], list(temp.iterdir())
    assert (root / "_site" / "index.html").is_file()


# `kill` signals the building process; a closed terminal hangs up its whole process group, workers and all
@pytest.mark.parametrize(("stop", "to_group"), [(signal.SIGTERM, False), (signal.SIGHUP, True)],
                         ids=["SIGTERM", "SIGHUP-group"])
def test_a_stop_signal_ends_a_build_with_its_conventional_status_and_the_old_site_kept(large, tmp_path, stop,
                                                                                        to_group):
    root = tmp_path / "copy"
    subprocess.run(["cp", "-a", str(large), str(root)], check=True)
    # the last good site is one of the people alone (quick to build); the interrupted build adds the interactions
    (root / "interactions").rename(tmp_path / "interactions")
    first = subprocess.run([*COMMAND, str(root), "--today", TODAY.isoformat()], capture_output=True, timeout=300,
                           check=False)
    assert first.returncode == 0, first.stderr.decode()
    index = (root / "_site" / "index.html").read_bytes()
    (tmp_path / "interactions").rename(root / "interactions")
    build = subprocess.Popen([*COMMAND, str(root), "--today", "2026-11-23"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True)
    wait_for(lambda: staging_folders(root) or build.poll() is not None, 120, "the staging folder")
    assert build.poll() is None
    if to_group:
        os.killpg(build.pid, stop)
    else:
        build.send_signal(stop)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 128 + stop, err.decode()
    assert b"Traceback" not in err, err.decode()
    assert (root / "_site" / "index.html").read_bytes() == index
    assert staging_folders(root) == []  # these signals can be handled: the build removes its own
    wait_for(lambda: not session_processes(build.pid), 30, "every worker of the stopped build to end")


def test_a_record_left_by_a_killed_build_removes_only_what_builds_make(make_journal, tmp_path):
    """The next build removes what a killed build's record names, but only a build's own kind of folder:
    a record naming the notes, or anything outside the cache, removes nothing."""
    from netjournal.engine import build_site

    root = make_journal({"people/a.md": "---\nname: A\n---\n"})
    cache = root / ".netjournal-cache"
    stale = cache / "site-new-0123456789ab"
    (stale / "people").mkdir(parents=True)
    outside = tmp_path / "site-new-ba9876543210"
    outside.mkdir()
    named = [str(p) for p in (stale, root / "people", outside, tmp_path, cache / ".gitignore")]
    script = ("import sys; from pathlib import Path; from netjournal.site.write import BuildRecord\n"
              "record = BuildRecord(Path(sys.argv[1]))\n"
              "for path in sys.argv[2:]: record.note(path)\n"
              "print(record.path, flush=True); sys.stdin.read()")
    killed = subprocess.Popen([sys.executable, "-c", script, str(cache), *named], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    record = Path(killed.stdout.readline().strip())
    build_site(root, TODAY)  # while that build runs, its record is locked: what it names stays
    assert record.is_file() and stale.is_dir()
    killed.kill()
    killed.wait()
    build_site(root, TODAY)
    assert not stale.exists() and not record.exists()
    assert (root / "people" / "a.md").is_file() and outside.is_dir() and (cache / ".gitignore").is_file()


def test_staging_folders_an_earlier_version_left_in_the_journal_are_removed_once_hours_old(make_journal):
    from netjournal.engine import build_site

    root = make_journal({"people/a.md": "---\nname: A\n---\n"})
    old, recent = root / "._site.new-abcd1234", root / "._site.old-efgh5678"
    for folder in (old, recent):
        (folder / "people").mkdir(parents=True)
        (folder / "people" / "secret.html").write_text("a private person", encoding="utf-8")
    hours_ago = time.time() - 3 * 3600
    os.utime(old, (hours_ago, hours_ago))
    build_site(root, TODAY)
    assert not old.exists()
    assert recent.is_dir()  # an earlier version's build could be writing it right now


STOPPED_AT_RANDOM = r"""
import random, signal, sys, time
from netjournal.pool import parallel_map
from netjournal.stopping import stop_on_signal

def double(x):
    return 2 * x

# SIGALRM stands for the user's SIGTERM: the command's own handler, at a random moment of the work
signal.signal(signal.SIGALRM, lambda number, frame: stop_on_signal(signal.SIGTERM))
random.seed(int(sys.argv[1]))
stops = lost = 0
# how long a map takes on this machine now (a loaded machine takes longer: a fixed time stopped every map)
took = []
for _ in range(3):
    started = time.perf_counter()
    parallel_map(double, [(n,) for n in range(300)])
    took.append(time.perf_counter() - started)
# most stops of the first 60 come while work is handed over; of the last 30, many after the work is done
for latest in [0.02] * 60 + [max(0.1, 3 * sorted(took)[1])] * 30:
    try:
        signal.setitimer(signal.ITIMER_REAL, random.uniform(0.0005, latest))
        doubled = parallel_map(double, [(n,) for n in range(300)])
        signal.setitimer(signal.ITIMER_REAL, 0)
    except SystemExit:
        signal.setitimer(signal.ITIMER_REAL, 0)
        stops += 1
        continue
    lost += doubled != [2 * n for n in range(300)]  # a stop swallowed: the work done here instead, or not at all
import multiprocessing
time.sleep(0.5)  # workers a stop killed are gone by now
print(stops, lost, 90 - stops, len(multiprocessing.active_children()))
"""


def test_a_stop_at_any_moment_of_handing_work_to_the_workers_never_hangs_the_build(tmp_path):
    """A stop raised inside the executor's own code can leave one of its locks held, and its shutdown then
    waits forever (found as a `netjournal build` that a SIGTERM while reading left running), or make a wait
    fail with RuntimeError, which let the build go on without workers: the pool is entered with stops held,
    in short steps. Before, 2 to 15 stopped maps were enough to hang this loop."""
    done = subprocess.run([sys.executable, "-c", STOPPED_AT_RANDOM, "7"], capture_output=True, text=True,
                          timeout=300, start_new_session=True, check=False)
    assert done.returncode == 0, done.stderr
    stops, lost, finished, left = map(int, done.stdout.split())
    assert stops >= 40 and finished >= 5 and lost == 0  # stopped at all moments, and every stop stopped
    assert left == 0  # no worker outlives its map, even one a stop came to while it was forked


SIGNALLED_WORKER = r"""
import os, signal, time
from netjournal.pool import parallel_map
from netjournal.stopping import stop_on_signal

def signalled(x):
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(0.5)
    return "went on"

signal.signal(signal.SIGTERM, stop_on_signal)  # the command's handler, which forked workers inherit
print(parallel_map(signalled, [(n,) for n in range(4)]))
"""


def test_a_worker_still_stops_at_a_signal_of_its_own():
    """Workers are forked inside a step that holds stops (handing them work): they must not keep holding
    them, or a worker would ignore a SIGTERM of its own and only SIGKILL could end it."""
    done = subprocess.run([sys.executable, "-c", SIGNALLED_WORKER], capture_output=True, text=True, timeout=120,
                          start_new_session=True, check=False)
    assert "went on" not in done.stdout, done.stdout + done.stderr


KILLED_WHILE_SENDING = r"""
import os, platform, signal, threading, time
from netjournal.pool import parallel_map

WRITE = {"x86_64": "1", "aarch64": "64"}[platform.machine()]  # the write system call's number

def kill_once_sending(main):
    # the worker's main thread is in write(2): it sends the result, through a pipe 200 MB cannot fill at once
    while open(f"/proc/self/task/{main}/syscall").read().split()[0] != WRITE:
        time.sleep(0.0002)
    os.kill(os.getpid(), signal.SIGKILL)

def big(n):
    if n == 1:  # killed while it sends its result
        threading.Thread(target=kill_once_sending, args=(threading.main_thread().native_id,), daemon=True).start()
        return b"x" * 200_000_000
    return n

results = parallel_map(big, [(n,) for n in range(4)])
print(results if results is None else [len(r) if isinstance(r, bytes) else r for r in results])
"""


def test_a_worker_killed_while_it_sends_its_result_does_not_hang_the_build():
    """A worker killed halfway through sending a result (SIGTERM to the build's process group while it
    rendered: 1 hang in 13 tries) left half a message in the result queue that every worker shared, and the
    executor waited forever for the rest. Each worker now has its own pipe, closed by its death: the map
    gives up its workers (None: the caller works in its own process)."""
    done = subprocess.run([sys.executable, "-c", KILLED_WHILE_SENDING], capture_output=True, text=True,
                          timeout=120, start_new_session=True, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "None", done.stdout + done.stderr


STOPPED_WHILE_FORKING = r"""
import multiprocessing, signal, time
from netjournal import pool
from netjournal.stopping import stop_on_signal

started = pool._Worker.__init__

def started_then_stopped(self, *args):
    started(self, *args)
    stop_on_signal(signal.SIGTERM)  # the user's SIGTERM, come while the workers are being forked

pool._Worker.__init__ = started_then_stopped
try:
    pool.parallel_map(abs, [(1,), (2,)])
except SystemExit as stop:
    print("stopped", stop.code)
time.sleep(0.3)
print(len(multiprocessing.active_children()))
"""


def test_a_stop_that_comes_while_the_workers_are_forked_ends_them():
    """A stop held while the pool forks its workers is raised once they are forked: they are ended with
    the rest of the pool, not left until the process exits (the daemon and serve live long)."""
    done = subprocess.run([sys.executable, "-c", STOPPED_WHILE_FORKING], capture_output=True, text=True,
                          timeout=120, start_new_session=True, check=False)
    assert done.stdout.split() == ["stopped", "143", "0"], done.stdout + done.stderr



@pytest.mark.parametrize("moment", ["site-old-", "_site"], ids=["old site moved aside", "new site moved in"])
def test_a_stop_held_during_the_swap_comes_once_the_old_site_is_gone(make_journal, tmp_path, monkeypatch, moment):
    """A stop that comes while the sites are swapped (held: stopping.stops_held) is raised once the old site
    is removed; it was raised before that, and the old site stayed in the cache for good."""
    from netjournal.site import write
    from netjournal.stopping import stop_on_signal

    root = make_journal({"people/ada.md": "---\nname: Ada\n---\n"})
    out = root / "_site"
    write.write_site_atomically(root, out, lambda folder: (folder / "index.html").write_text("old"))
    replace = os.replace

    def replace_then_stopped(source, target):
        replace(source, target)
        if os.path.basename(target).startswith(moment):
            stop_on_signal(signal.SIGTERM)  # as the handler does for a kill that comes now

    monkeypatch.setattr(os, "replace", replace_then_stopped)
    with pytest.raises(SystemExit) as stopped:
        write.write_site_atomically(root, out, lambda folder: (folder / "index.html").write_text("new"))
    assert stopped.value.code == 128 + signal.SIGTERM
    assert (out / "index.html").read_text() == "new"
    assert [p.name for p in (root / ".netjournal-cache").iterdir() if p.name.startswith("site-")] == []


def test_a_stop_between_the_new_site_and_the_swap_leaves_nothing_the_next_build_keeps(make_journal, monkeypatch):
    """A stop that comes once the new site is written and before the swap holds stops (a window of a few
    steps) leaves the staging folder: the build's record stays, and the next build removes what it names.
    The record used to go with every build, stopped or not, and the folder (the whole site, private people
    and all) stayed for good (helper-37)."""
    import secrets

    from netjournal.site import write
    from netjournal.stopping import stop_on_signal

    root = make_journal({"people/ada.md": "---\nname: Ada\n---\n"})
    out = root / "_site"
    write.write_site_atomically(root, out, lambda folder: (folder / "index.html").write_text("old"))
    token_hex, names = secrets.token_hex, []

    def named_then_stopped(size: int) -> str:
        names.append(token_hex(size))
        if len(names) == 2:  # the old site's name, made after the new site is whole and before the swap
            stop_on_signal(signal.SIGTERM)
        return names[-1]

    monkeypatch.setattr(secrets, "token_hex", named_then_stopped)
    with pytest.raises(SystemExit):
        write.write_site_atomically(root, out, lambda folder: (folder / "index.html").write_text("new"))
    monkeypatch.undo()
    write.write_site_atomically(root, out, lambda folder: (folder / "index.html").write_text("next"))
    assert [p.name for p in (root / ".netjournal-cache").iterdir() if p.name.startswith(("site-", "build-"))] == []
    assert (out / "index.html").read_text() == "next"

