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

Linux only: changes come from inotify, whose events are queued before the write that caused them
returns. So a `build` run after an editor's save always sees the save. (watchdog's observer, which
`serve` uses, holds events for up to half a second to pair renames; a build asked for right after a save
cannot wait for that.)

This module's client half (`ask_daemon`) imports nothing heavy at the top: it runs before `build` loads
anything, so the daemon's half imports the rest where it is used.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import socket
    import threading
    from collections.abc import Callable

from . import code_stamp
from .config import CACHE_FOLDER, path_tag

ANSWER_SECONDS = 600.0  # a build after a folder-wide change (a template, the config) takes a while
QUIET_SECONDS = 0.05  # a save is a few writes and renames within milliseconds: rebuild once they are over
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

IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF = 0x400, 0x800
IN_Q_OVERFLOW, IN_IGNORED, IN_ISDIR = 0x4000, 0x8000, 0x40000000
IN_ONLYDIR = 0x1000000
_WATCHED = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
            | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)


class Outdated(Exception):
    """netjournal's code changed since the daemon started: it must not write pages, or cache notes, with
    the old code (a `build` by the new code does not ask it, and would find its pages overwritten)."""


class ChangeWatch:
    """Which notes under ROOT changed since the last `take`, from inotify. Every folder of the journal is
    watched but OUTPUT and hidden ones (.git, the cache)."""

    def __init__(self, root: Path, output: Path) -> None:
        import ctypes
        import ctypes.util

        from .serve import is_note_rel, journal_rel, relevant_change

        self.root, self.output = root, output
        # serve's: which paths matter, and which are notes (imported here, not at the top: see there)
        self._relevant_change, self._journal_rel, self._is_note_rel = relevant_change, journal_rel, is_note_rel
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        except (OSError, TypeError):  # no C library by that name (Windows)
            libc = None
        if not hasattr(libc, "inotify_init1"):
            raise OSError("the daemon needs Linux's inotify, which this system does not have")
        self._libc, self._errno = libc, ctypes.get_errno
        self.fd = -1
        self.folders: dict[int, str] = {}  # watch descriptor -> folder
        self.modified: set[str] = set()
        self.structural = False  # a folder, the config or a template changed, or events were lost
        self._watch_all()

    def _watch_all(self) -> None:
        """Watch the journal's folders afresh (at the start, and after a folder changed)."""
        if self.fd >= 0:
            os.close(self.fd)
        self.fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(self._errno(), f"cannot watch {self.root}: {os.strerror(self._errno())}")
        self.folders = {}
        output = os.path.realpath(self.output)
        for folder, subfolders, _ in os.walk(self.root):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")
                             and os.path.realpath(os.path.join(folder, name)) != output]
            wd = self._libc.inotify_add_watch(self.fd, os.fsencode(folder), _WATCHED)
            if wd < 0:
                error = self._errno()
                raise OSError(error, f"cannot watch {folder}: {os.strerror(error)}"
                                     + (" (raise fs.inotify.max_user_watches)" if error == 28 else ""))
            self.folders[wd] = folder

    def changed(self) -> bool:
        """Whether anything the site depends on changed since the last `take` (reads pending events)."""
        self._read_events()
        return self.structural or bool(self.modified)

    def take(self) -> set[str] | None:
        """The journal-relative paths of the notes changed since the last call, or None when anything else
        changed (the builder then walks the folder and checks every note)."""
        self._read_events()
        modified, structural = self.modified, self.structural
        self.modified, self.structural = set(), False
        if structural:
            self._watch_all()  # before the full build that follows: a save during it is seen next time
            return None
        return modified

    def _read_events(self) -> None:
        import struct

        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return
            offset = 0
            while offset < len(data):
                wd, mask, _cookie, size = struct.unpack_from("iIII", data, offset)
                name = os.fsdecode(data[offset + 16:offset + 16 + size].rstrip(b"\0"))
                offset += 16 + size
                self._event(wd, mask, name)

    def _event(self, wd: int, mask: int, name: str) -> None:
        if mask & IN_Q_OVERFLOW:
            self.structural = True  # the kernel dropped events: trust nothing
            return
        if mask & IN_IGNORED:
            self.folders.pop(wd, None)
            return
        folder = self.folders.get(wd)
        if folder is None:
            return
        if mask & (IN_DELETE_SELF | IN_MOVE_SELF):
            self.structural = True
            return
        path = os.path.join(folder, name)
        if not self._relevant_change(self.root, self.output, path, bool(mask & IN_ISDIR)):
            return
        if mask & IN_ISDIR:
            self.structural = True  # a folder made, moved or removed: walk it
            return
        rel = self._journal_rel(self.root, path)
        if self._is_note_rel(rel):
            self.modified.add(rel)
        else:
            self.structural = True

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class Daemon:
    """Builds ROOT's owner site into OUT on request, from the model of the last build and the notes
    changed since (`ChangeWatch`), in place: each page is replaced atomically, and only pages whose bytes
    changed are written. Anything the daemon cannot follow (OUT written by another build, the config
    changed, a failed build) makes the next build a full one."""

    def __init__(self, root: Path, out: Path, today: dt.date | None = None, log: Callable[[str], None] = print) -> None:
        import secrets

        from .site.write import check_output

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
        self.watch = ChangeWatch(self.root, self.out)  # before the first build: a save during it is seen
        self.warning: str | None = None  # why the cache on disk was not used
        self.builder = self._fresh_builder()
        self._folder: tuple[int, int] | None = None  # OUT's (device, inode) when this daemon last wrote it
        self._server: socket.socket | None = None
        self._unreported = [0, 0]  # pages built and files written after saves, since the last answer
        self._outdated: Outdated | None = None
        self._pending: dict[socket.socket, tuple[float, bytearray]] = {}  # request not yet whole: its deadline, bytes

    def _fresh_builder(self):
        """A builder starting from the notes `build` cached on disk (a warm start), as the config is now
        (the cache's key says which config the notes were read under)."""
        from .site.build import SiteBuilder, config_bytes, open_note_cache
        from .site.write import MARKER_TEXT

        # read before the key is made of it again: a config saved in between only means one more fresh builder
        self._config = config_bytes(self.root)  # with the code checked (build), the key changes with it alone
        self._stored = open_note_cache(self.root, self.out)
        notes = self._stored.notes
        self.warning = self._stored.warning
        return SiteBuilder(self.root, self.out, marker=MARKER_TEXT, notes=notes)

    def build(self, today):
        """Build as of TODAY: the BuildResult of the builder."""
        from .site.build import config_bytes, output_listing, stamp_path

        if code_stamp() != self.code:
            raise Outdated("netjournal changed since this daemon started (an upgrade, or an edit of its code); "
                           "start the daemon again")
        self.today = today
        modified = self.watch.take()
        if config_bytes(self.root) != self._config:
            self.builder = self._fresh_builder()  # notes are read under the config: read them again
            self._folder = None  # and a fresh builder knows nothing of OUT
        if self._folder is None or self._folder_now() != self._folder:
            # OUT is not as this daemon left it (its first build, or another build swapped it): render every
            # page, write those that differ, and remove files a full build would not write
            self.builder.previous, self.builder.data, self.builder.contexts = None, None, {}
            self.builder.written_paths = set(output_listing(self.out))
            modified = None
        # The build record says OUT holds the site the cache on disk was saved with: no longer true once
        # this daemon writes it. Without one, the next `build` without the daemon renders every page.
        stamp_path(self._stored, self.out).unlink(missing_ok=True)
        result = self.builder.build(today, modified)
        self._folder = self._folder_now()
        return result

    def _folder_now(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.out)
        except OSError:
            return None
        return stat.st_dev, stat.st_ino

    def listen(self) -> None:
        """Open the port and write the file `ask_daemon` reads (before the first request is answered)."""
        import socket

        self._server = socket.create_server(("127.0.0.1", 0))
        info = {"pid": os.getpid(), "port": self._server.getsockname()[1], "token": self.token,
                "code": self.code, "root": str(self.root), "out": str(self.out)}
        from .cache import prepare_folder

        path = info_path(self.out)
        prepare_folder(path.parent)  # made with its .gitignore, if no build made it yet
        temp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # the token is a secret
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(info, handle)
        os.replace(temp, path)

    def run(self, stopping: threading.Event | None = None) -> None:
        """Until STOPPING is set (tests; the command runs until it is stopped): rebuild once a save is
        over (no event for QUIET_SECONDS), and answer each `build`, first building whatever changed
        since. So when a `build` is run right after a save, the daemon is already rebuilding while the
        new process starts, and usually has the site ready by the time it asks."""
        import select

        assert self._server is not None, "listen() first"
        self._server.setblocking(False)
        changed_at: float | None = None  # when the last change not yet built was seen
        try:
            while stopping is None or not stopping.is_set():
                wait = 0.2 if changed_at is None else max(0.0, changed_at + QUIET_SECONDS - time.monotonic())
                if self._pending:
                    first = min(deadline for deadline, _ in self._pending.values())
                    wait = max(0.0, min(wait, first - time.monotonic()))
                readable, _, _ = select.select([self._server, self.watch.fd, *self._pending], [], [], wait)
                if self.watch.fd in readable and self.watch.changed():
                    changed_at = time.monotonic()
                if self._server in readable:
                    self._accept()
                asked = [(conn, self._pending.pop(conn)[1]) for conn in readable
                         if conn in self._pending and self._read_request(conn)]
                self._drop_late()
                for conn, request in asked:
                    self._answer_one(conn, request)
                    changed_at = None
                if not asked and changed_at is not None and time.monotonic() - changed_at >= QUIET_SECONDS:
                    changed_at = None
                    self._build_for_log(self.today)
        except Outdated as exc:
            self.log(f"stopping: {exc}")
        finally:
            for conn in list(self._pending):
                self._drop(conn)

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
        if not data or wrong or len(received) > REQUEST_BYTES:
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

    def _build_for_log(self, today) -> None:
        """A build no one asked for yet (after a save): its outcome goes to the log."""
        try:
            result = self.build(today)
        except Outdated:
            raise
        except Exception as exc:  # noqa: BLE001 - reported again to the `build` that asks
            self.log(f"build failed, the site is as it was: {type(exc).__name__}: {exc}")
        else:
            self.log(f"rebuilt {result.pages} page{'s' if result.pages != 1 else ''} in {result.seconds * 1000:.0f} ms")
            self._unreported[0] += result.pages
            self._unreported[1] += result.written

    def _answer(self, today: str) -> dict:
        from .findings import Severity

        try:
            day = dt.date.fromisoformat(today)
        except ValueError:
            return {"failed": f"not a date: {today!r}"}
        try:
            result = self.build(day)
        except Outdated:
            raise
        except Exception as exc:  # noqa: BLE001 - a user's template can raise anything; the daemon lives on
            return {"failed": f"{type(exc).__name__}: {exc}"}
        errors = sum(1 for f in result.analysis.findings if f.severity == Severity.ERROR)
        # what was built since the last answer, after saves too: the `build` after a save says what it brought
        (pages, written), self._unreported = self._unreported, [0, 0]
        return {"pages": result.pages + pages, "written": result.written + written,
                "notes": result.analysis.note_count, "errors": errors, "seconds": result.seconds}

    def close(self) -> None:
        """Stop answering, remove the file naming this daemon (if it still does), save the note cache."""
        try:
            if _info(self.out).get("token") == self.token:
                info_path(self.out).unlink()
        except (OSError, ValueError, TypeError):
            pass
        if self._server is not None:
            self._server.close()
        self.watch.close()
        if code_stamp() == self.code:  # notes read by other code than the next build's are not kept
            # the next `build` starts warm. Not StoredCache.save: its end_pass would forget every note the
            # last pass did not read, and a rebuild after a save reads only the notes saved
            self.builder.notes.save(self._stored.path, self._stored.key)
