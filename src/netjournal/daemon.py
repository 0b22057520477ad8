"""`netjournal daemon`: a process that keeps the owner's site of one journal built, so that a repeated
`netjournal build` after an edit takes a fraction of a second.

A fresh `build` of 100,000 notes must at least stat every note to find the one that changed (0.4-0.5 s
in Python on the benchmark machine) and then rebuild the model from its cache (seconds). Like mypy's
dmypy and Bazel's server, the daemon is a process the user starts on purpose. It keeps the model in
memory, learns from the kernel which notes changed, and rebuilds right after a save, so that a `build`
run next usually finds the site ready. It runs in the foreground, as `serve` does, and Ctrl-C stops it.

`netjournal build` finds it through `daemon-<tag>.json` in the cache folder beside the output: its port,
a secret token (the file is readable by its owner only) and the code it runs. For a plain build of the
owner's site into the daemon's folder by the same netjournal, `build` asks it instead of building.
Anything else builds as usual: --strict, --since, another audience or folder, no daemon, or a daemon
that does not answer.

Changes come from the watcher serve uses (watch.py). A request is answered once no change came for
50 ms, so a `build` run after a save sees it.

This module's client half (`ask_daemon`) imports nothing heavy at the top: it runs before `build` loads
anything, so the daemon's half imports the rest where it is used.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import socket
    from collections.abc import Callable

from . import code_stamp
from .config import path_tag
from .files import file_identity
from .fsutil import atomic_write, prepare_cache
from .paths import CACHE_FOLDER
from .pool import build_workers
from .values import count_text

ANSWER_SECONDS = 600.0  # a build after a folder-wide change (a template, the config) takes a while
#: A request is one line, `TOKEN DAY`, sent at once: any local process can connect, so a request is read
#: beside the others, never waited for, and one longer than this, or slower, is dropped unread.
REQUEST_BYTES = 256
REQUEST_SECONDS = 2.0
PENDING_CLIENTS = 64  # connections whose request is still coming; the oldest goes when one more comes
ANSWER_BYTES = 64 * 1024  # the longest answer `ask_daemon` reads


def request_line(token: str, today: str) -> bytes:
    """What `build` sends the daemon: its token, then the day to build as of (ISO), on one line."""
    return f"{token} {today}\n".encode("ascii")


def info_path(out: Path) -> Path:
    """Where the daemon building into OUT says how to reach it."""
    return Path(os.path.abspath(out)).parent / CACHE_FOLDER / f"daemon-{path_tag(out)}.json"


def _info(out: Path) -> dict:
    """What the daemon building into OUT wrote about itself (OSError, ValueError, TypeError: nothing
    readable)."""
    info = json.loads(info_path(out).read_text(encoding="utf-8"))
    if not isinstance(info, dict):
        raise TypeError("not a daemon's file")
    return info


def ask_daemon(root: Path, out: Path, today: str) -> dict | None:
    """The answer of the daemon building ROOT's owner site into OUT, to a build as of TODAY (ISO date):
    {"pages", "written", "notes", "errors", "seconds"}, or {"failed": why}. None when there is no such
    daemon, it runs other code (netjournal was upgraded or edited since it started), or it does not
    answer: the caller builds by itself."""
    try:
        info = _info(out)
        if (info.get("code") != code_stamp() or info.get("root") != os.path.realpath(root)
                or info.get("out") != os.path.abspath(out)):
            return None
        request = request_line(str(info["token"]), today)
        import socket  # here: a build with no daemon file does not pay for it

        with socket.create_connection(("127.0.0.1", int(info["port"])), timeout=1.0) as conn:
            conn.settimeout(ANSWER_SECONDS)
            conn.sendall(request)
            answer = conn.makefile("rb").readline(ANSWER_BYTES)
        found = json.loads(answer)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None  # no file, a stale one, a dead daemon, a foreign process on its port: build without it
    return found if isinstance(found, dict) and ("pages" in found or "failed" in found) else None


def running_daemon(out: Path) -> int | None:
    """The process id of a daemon building into OUT that still listens, if there is one."""
    try:
        info = _info(out)
        pid, port = int(info["pid"]), int(info["port"])
        os.kill(pid, 0)  # the process is there (an error if not)
        import socket

        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            pass
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return pid


# --- the daemon itself --------------------------------------------------------------------------------------

class Outdated(Exception):
    """netjournal's code changed since the daemon started: it must not write pages, or cache notes, with
    the old code (a `build` by the new code does not ask it, and would find its pages overwritten)."""


class Daemon:
    """Builds ROOT's owner site into OUT on request with the build engine kept in memory, in place: each
    page is replaced atomically, and only pages whose bytes changed are written. OUT written by another
    build (its folder swapped) makes the next build write every page."""

    def __init__(self, root: Path, out: Path, today: dt.date | None = None, log: Callable[[str], None] = print) -> None:
        import secrets
        import socket

        from .engine import Builder, state_folder
        from .site.write import MARKER_TEXT, check_output
        from .watch import Watcher

        self.root = Path(os.path.realpath(root))
        self.out = Path(os.path.abspath(out))
        check_output(self.root, self.out)  # never write into a folder netjournal did not make
        other = running_daemon(self.out)
        if other is not None:  # two daemons would both write every page a save changes
            raise OSError(f"a netjournal daemon (process {other}) already builds {self.out}; stop it first "
                          f"(or remove {info_path(self.out)} if that process is not netjournal)")
        self.token = secrets.token_hex(16)
        self.today = today or dt.date.today()  # of the last build: a rebuild after a save is as of it
        self.log = log
        self.code = code_stamp()
        state = state_folder(self.root, self.out)
        # the barrier goes in the journal's own cache folder, under the watch of the notes (watch.py)
        self.watch = Watcher(self.root, self.out,
                             barrier=self.root / CACHE_FOLDER / f"watch-barrier-{path_tag(self.out)}")
        self.builder = Builder(self.root, self.out, in_place=True, marker=MARKER_TEXT, state=state)
        self.warning = self.builder.warning
        self._folder: tuple[int, int] | None = None  # OUT's (device, inode) when this daemon last wrote it
        self._server: socket.socket | None = None
        # the watcher's thread wakes `run` as soon as a change comes (listen), so that a rebuild starts
        # QUIET_SECONDS after a save, not up to a poll later
        self._wake, self._waker = socket.socketpair()
        self._wake.setblocking(False)
        self._waker.setblocking(False)
        self._unreported = [0, 0]  # pages built and files written after saves, since the last answer
        self._active_at = time.monotonic()  # when the last build ended (see run: the builder settles after)
        self._outdated: Outdated | None = None
        self._stopping = threading.Event()
        self._pending: dict[socket.socket, tuple[float, bytearray]] = {}  # request not yet whole: its deadline, bytes

    def build(self, today: dt.date, asked: bool = False):
        """Build as of TODAY: the engine's BuildResult. ASKED (by a `build`): with every change made before."""
        if code_stamp() != self.code:
            raise Outdated("netjournal changed since this daemon started (an upgrade, or an edit of its code); "
                           "start the daemon again")
        self.today = today
        # the first build starts the watcher (so a save made during it is seen), its workers forked just
        # before (forking beside threads can deadlock); later builds, a few notes each, find the watcher's
        # threads running and read and render in this process
        with build_workers():
            self.watch.start()
            touched = self.watch.take(barrier=asked)
            if self._folder is None or file_identity(self.out) != self._folder:
                self.builder.forget_output()  # OUT is not as this daemon left it: write every page
            result = self.builder.build(today, touched if self._folder is not None else None)
        self._folder = file_identity(self.out)
        self._active_at = time.monotonic()
        return result

    def listen(self) -> None:
        """Open the port and write the file `ask_daemon` reads (before the first request is answered)."""
        import socket

        self._server = socket.create_server(("127.0.0.1", 0))
        self.watch.on_change = self._woken
        info = {"pid": os.getpid(), "port": self._server.getsockname()[1], "token": self.token,
                "code": self.code, "root": str(self.root), "out": str(self.out)}
        path = info_path(self.out)
        prepare_cache(path.parent)
        atomic_write(path, json.dumps(info).encode(), mode=0o600)  # the token is a secret (and 0600 from the start)

    def run(self) -> None:
        """Until `stop` (the command runs until it is signalled): rebuild once a save is over (no event for
        QUIET_SECONDS), and answer each `build`, first building whatever changed since. So when a `build`
        is run right after a save, the daemon is already rebuilding while the new process starts, and
        usually has the site ready by the time it asks. Idle, it sleeps until a change, a connection or a
        stop wakes it: a daemon left running all day costs nothing while no one writes."""
        import select

        from .engine import SETTLE_AFTER
        from .watch import QUIET_SECONDS

        assert self._server is not None, "listen() first"
        self._server.setblocking(False)
        # a signal may be delivered to one of the watcher's threads, and then nothing interrupts the select
        # below: Python writes its number to this socket, so the main thread wakes and runs the handler
        signals = threading.current_thread() is threading.main_thread()
        earlier = signal.set_wakeup_fd(self._waker.fileno(), warn_on_full_buffer=False) if signals else -1
        try:
            while not self._stopping.is_set():
                wait: float | None = None  # idle: until a change, a connection, a request's bytes or a stop
                if self.watch.changed.is_set():  # a save: build once it is over
                    wait = max(0.0, QUIET_SECONDS - self.watch.quiet_for())
                if self._pending:  # until the first unfinished request is too late
                    late = max(0.0, min(deadline for deadline, _ in self._pending.values()) - time.monotonic())
                    wait = late if wait is None else min(wait, late)
                if wait is None and self.builder.unsettled:  # idle, everything answered and built
                    idle = time.monotonic() - self._active_at
                    if idle >= SETTLE_AFTER:
                        self.builder.settle()
                    else:
                        wait = SETTLE_AFTER - idle
                readable, _, _ = select.select([self._server, self._wake, *self._pending], [], [], wait)
                if self._wake in readable:
                    self._drain_wake()
                if self._server in readable:
                    self._accept()
                asked = [(conn, self._pending.pop(conn)[1]) for conn in readable
                         if conn in self._pending and self._read_request(conn)]
                self._drop_late()
                for conn, request in asked:
                    self._answer_one(conn, request)
                if not asked and self.watch.changed.is_set() and self.watch.quiet_for() >= QUIET_SECONDS:
                    self._build_for_log(self.today)
        except Outdated as exc:
            self.log(f"stopping: {exc}")
        finally:
            if signals:
                signal.set_wakeup_fd(earlier)
            for conn in list(self._pending):
                self._drop(conn)

    def stop(self) -> None:
        """Make `run` return (from another thread)."""
        self._stopping.set()
        self._woken()

    def _woken(self) -> None:
        """Called by the watcher's thread on each change (and by `stop`): makes `run`'s select return."""
        try:
            self._waker.send(b"!")
        except OSError:  # its buffer is full: run has been woken already
            pass

    def _drain_wake(self) -> None:
        try:
            while self._wake.recv(4096):
                pass
        except OSError:  # nothing more to read
            pass

    def _accept(self) -> None:
        """Take a connection; its request is read as it comes (_read_request), beside the others."""
        try:
            conn, _ = self._server.accept()  # type: ignore[union-attr]
        except OSError:  # gone before it was taken, or no descriptor left
            return
        conn.setblocking(False)
        if len(self._pending) >= PENDING_CLIENTS:
            self._drop(min(self._pending, key=lambda pending: self._pending[pending][0]))
        self._pending[conn] = (time.monotonic() + REQUEST_SECONDS, bytearray())

    def _read_request(self, conn: socket.socket) -> bool:
        """Read what CONN sent; True once its request is whole and carries this daemon's token, which is
        checked, whole, before anything else of it is read. A request that cannot be one is dropped,
        unanswered: gone, too long, or without the token."""
        import hmac

        _, received = self._pending[conn]
        try:
            data = conn.recv(REQUEST_BYTES + 1 - len(received))
        except BlockingIOError:
            return False
        except OSError:
            data = b""
        received += data
        token = self.token.encode("ascii") + b" "
        # compared only once all of its length is in: a prefix compared byte by byte would tell a guesser
        # how much of a guess was right
        wrong = len(received) >= len(token) and not hmac.compare_digest(bytes(received[:len(token)]), token)
        ended_short = len(received) < len(token) and b"\n" in received  # cannot hold the token: no need to wait
        if not data or wrong or ended_short or len(received) > REQUEST_BYTES:
            self._drop(conn)
            return False
        return len(received) > len(token) and received.endswith(b"\n")

    def _drop(self, conn: socket.socket) -> None:
        self._pending.pop(conn, None)
        conn.close()

    def _drop_late(self) -> None:
        now = time.monotonic()
        for conn in [conn for conn, (deadline, _) in self._pending.items() if deadline <= now]:
            self._drop(conn)

    def _answer_one(self, conn: socket.socket, request: bytearray) -> None:
        """Build for the REQUEST CONN sent (whole, with the token), and answer."""
        with conn:
            today = bytes(request[len(self.token) + 1:]).strip().decode("ascii", errors="replace")
            try:
                answer = self._answer(today)
            except Outdated as exc:
                answer = {"failed": str(exc)}
                self._outdated = exc  # answered first, then the daemon stops
            try:
                conn.settimeout(5.0)
                conn.sendall(json.dumps(answer).encode("utf-8") + b"\n")
            except OSError:
                pass
        if self._outdated is not None:
            raise self._outdated

    def _build_for_log(self, today: dt.date) -> None:
        """A build no one asked for yet (after a save): its outcome goes to the log."""
        try:
            result = self.build(today)
        except Outdated:
            raise
        except Exception as exc:  # noqa: BLE001 - reported again to the `build` that asks
            self.log(f"build failed, the site is as it was: {type(exc).__name__}: {exc}")
        else:
            self.log(f"rebuilt {count_text(result.pages, 'page')} in {result.seconds * 1000:.0f} ms")
            self._unreported[0] += result.pages
            self._unreported[1] += result.written

    def _answer(self, today: str) -> dict:
        try:
            day = dt.date.fromisoformat(today)
        except ValueError:
            return {"failed": f"not a date: {today!r}"}
        try:
            result = self.build(day, asked=True)
        except Outdated:
            raise
        except Exception as exc:  # noqa: BLE001 - a user's template can raise anything; the daemon lives on
            return {"failed": f"{type(exc).__name__}: {exc}"}
        # what was built since the last answer, after saves too: the `build` after a save says what it brought
        (pages, written), self._unreported = self._unreported, [0, 0]
        return {"pages": result.pages + pages, "written": result.written + written,
                "notes": result.note_count, "errors": len(result.errors), "seconds": result.seconds}

    def close(self) -> None:
        """Stop answering, remove the file naming this daemon (if it still does), save the engine's state."""
        try:
            if _info(self.out).get("token") == self.token:
                info_path(self.out).unlink()
        except (OSError, ValueError, TypeError):
            pass
        self.watch.on_change = None
        if self._server is not None:
            self._server.close()
        self._wake.close()
        self._waker.close()
        self.watch.stop()
        if code_stamp() == self.code:  # a state made by other code than the next build's is not kept
            self.builder.save()
