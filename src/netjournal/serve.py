"""`netjournal serve`: build, serve on loopback, watch the journal, rebuild on change, reload the browser.

Like MkDocs' serve: one builder (the same one `build` uses), a short quiet period before rebuilding, the
version stamped before each build so an edit made mid-build gets one more build, and a live-reload script
injected into responses only (never written to disk). A broken note or a failed build never stops the
server: pages show a banner with the problems and the last good site keeps being served.
"""
from __future__ import annotations

import datetime as dt
import html
import ipaddress
import json
import mimetypes
import posixpath
import shutil
import socket
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .engine import SETTLE_AFTER, Builder
from .files import file_identity
from .findings import Finding
from .pool import build_workers
from .site.markdown import legal_html
from .stopping import StopSignals
from .values import count_text
from .watch import Watcher

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
QUIET_SECONDS = 0.15  # editors write a file in several steps; wait for them to finish
LIVE_PREFIX = "/__netjournal/"
WAIT_SECONDS = 25.0
#: A request (its line and headers) must arrive whole within this long, however its bytes trickle in: a
#: client that never finishes one holds a thread no longer. A browser sends one at once.
REQUEST_SECONDS = 10.0

LIVERELOAD_JS = b"""// netjournal serve: reload this page when the site is rebuilt (injected by serve only).
(function () {
  "use strict";
  var me = document.currentScript;
  var version = Number(new URL(me.src).searchParams.get("v"));
  function poll() {
    fetch("/__netjournal/wait?version=" + version, {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.version !== version) { location.reload(); } else { poll(); }
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
}());
"""


NOT_FOUND_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self';\
 connect-src 'self'; base-uri 'none'; form-action 'none'">
<title>Not found · netjournal serve</title>
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<main id="main">
<h1>Not found</h1>
<p>The site has no page at <code>{path}</code>. This tab reloads when the site is rebuilt.
<a href="/">Go to the dashboard</a>.</p>
</main>
</body>
</html>
"""


class LiveSite:
    """The served site: the engine building into a private folder, and what the last build said."""

    def __init__(self, root: Path, today: Callable[[], dt.date], out: Path | None = None,
                 log: Callable[[str], None] = print) -> None:
        self.root = root
        self.today = today
        self._owned = out is None
        self.out = out or Path(tempfile.mkdtemp(prefix="netjournal-serve-"))
        self._made = file_identity(self.out) if self._owned else None  # the folder close() may remove
        self.builder = Builder(root, self.out, in_place=True, marker="This folder is written by `netjournal serve`.\n")
        self.builder.on_remove = self._removing
        self.removed: dict[str, bytes] = {}  # pages the last build removed, read before they went
        # the last good pages of notes that do not load now (page path -> bytes): served with the banner
        # rather than a 404 while the note is broken, so an open tab keeps its page (see keep_pages)
        self.kept: dict[str, bytes] = {}
        self.log = log
        self.version = 0
        self.errors: tuple[Finding, ...] = ()
        self.failure: str | None = None
        self.changed = threading.Condition()
        self.build_lock = threading.Lock()

    def rebuild(self, touched: set[str] | None = None, progress: Callable[[int], None] | None = None) -> None:
        """Build once; on failure keep the last good site and remember why, for the banner."""
        with self.build_lock:
            try:
                result = self.builder.build(self.today(), touched, progress)
            except Exception as exc:  # a user's template can raise anything; the server must live on
                self.failure = f"{type(exc).__name__}: {exc}"
                self.log(f"build failed, still serving the last good site: {self.failure}")
                self.log("".join(traceback.format_exception_only(type(exc), exc)).strip())
            else:
                self.failure = None
                self.errors = result.errors
                removed, self.removed = self.removed, {}
                self.kept = keep_pages(self.kept, removed, self.errors, self.out)
                note = f" · {count_text(len(self.errors), 'note')} with errors" if self.errors else ""
                verb = "built" if self.version == 0 else "rebuilt"
                # pages as `build` counts them (made again), not the files written (the assets, the feed)
                self.log(f"{verb} {count_text(result.pages, 'page')} in {result.seconds * 1000:.0f} ms{note}")
            with self.changed:
                self.version += 1
                self.changed.notify_all()

    def wait_for_change(self, version: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != version, timeout=timeout)
            return self.version

    def banner(self, kept: bool = False) -> str:
        """Problems of the last build as an escaped HTML banner, or '' when there are none. KEPT: for a
        page kept from the last good build (its note does not load now)."""
        if not self.failure and not self.errors:
            return ""
        items = []
        if kept:
            items.append("<li>This page is from the last good build: its note has an error (below).</li>")
        if self.failure:
            items.append(f"<li>The last build failed; this is the last good site. {html.escape(self.failure)}</li>")
        for finding in self.errors[:20]:
            items.append(f"<li><code>{html.escape(str(finding.source))}</code> {html.escape(finding.message)} "
                         f"[{html.escape(finding.code)}]</li>")
        if len(self.errors) > 20:
            items.append(f"<li>… and {len(self.errors) - 20} more (<code>netjournal check</code>)</li>")
        return ('<div class="live-banner" role="alert"><strong>netjournal serve:</strong> '
                f"<ul>{''.join(items)}</ul></div>")

    def _removing(self, rel: str) -> None:
        """A page the build is about to remove: read it first, to keep serving it while its note is broken."""
        try:
            self.removed[rel] = (self.out / rel).read_bytes()
        except OSError:
            pass

    def close(self) -> None:
        if self._owned and self._made is not None and file_identity(self.out) == self._made:
            shutil.rmtree(self.out, ignore_errors=True)


#: The findings of a note that does not load at all: its record, and so its page, is gone
_UNLOADED = ("invalid-front-matter", "unreadable-file")


def keep_pages(kept: dict[str, bytes], removed: dict[str, bytes], errors: Sequence[Finding], out: Path
               ) -> dict[str, bytes]:
    """The pages to serve from memory after a build: those KEPT before and those the build REMOVED (page
    path -> bytes) whose note does not load now (ERRORS, the build's error findings) and that OUT does not
    have again. A person's or goal's page goes with its note; a tag's or an interaction period's can go
    when a note of its kind stops loading: it is kept while one of that kind is broken."""
    from .load import note_id
    from .paths import PRIVATE_FOLDER
    from .site.context import file_name

    broken_pages, broken_kinds = set(), set()
    for finding in errors:
        if finding.code not in _UNLOADED or not finding.path:
            continue
        rel = finding.path.removeprefix(PRIVATE_FOLDER + "/")
        kind = rel.split("/", 1)[0]
        broken_kinds.add(kind)
        if kind in ("people", "goals"):
            broken_pages.add(f"{kind}/{file_name(note_id(finding.path, kind))}.html")
    by_kind = {"tags": "people", "interactions": "interactions"}

    def still_kept(page: str) -> bool:
        return (page in broken_pages or by_kind.get(page.split("/", 1)[0]) in broken_kinds) \
            and not (out / page).exists()

    return {page: body for page, body in {**kept, **removed}.items() if still_kept(page)}


class Rebuilder:
    """Rebuilds the site once per burst of changes the watcher saw."""

    def __init__(self, site: LiveSite, output: Path) -> None:
        self.site = site
        self.watcher = Watcher(site.root, output)
        self.stopping = threading.Event()
        self.worker = threading.Thread(target=self._run, name="netjournal-rebuild", daemon=True)

    def watch(self) -> None:
        """Start watching (before the first build: a save during it is seen, and built after it)."""
        self.watcher.start()

    def start(self) -> None:
        """Start rebuilding after each burst of changes, those since `watch` included."""
        self.worker.start()

    def _run(self) -> None:
        while not self.stopping.is_set():
            if not self.watcher.changed.wait(timeout=SETTLE_AFTER):
                self.site.builder.settle()  # idle a while: the memory the builds freed goes back
                continue
            # editors write a file in several steps: let them finish (a stop, which also wakes this, at once)
            if self.stopping.wait(QUIET_SECONDS):
                return
            touched = self.watcher.take()  # taken before the build: an edit during it triggers one more
            if not self.stopping.is_set():
                self.site.rebuild(touched)

    def stop(self) -> None:
        self.stopping.set()
        self.watcher.changed.set()
        self.watcher.stop()
        if self.worker.is_alive():
            self.worker.join(timeout=5)


def allowed_hosts(bound_host: str) -> set[str]:
    """The host names serve answers to besides its address (host_allowed): loopback's, the one it is bound
    to, and bound to every address (`--host 0.0.0.0`), this machine's name (no reverse lookup of it: with DNS
    broken, that stalls)."""
    hosts = set(LOOPBACK_NAMES)
    if bound_host not in ("0.0.0.0", "::", ""):
        hosts.add(bound_host.strip("[]").lower())
    else:
        hosts.add(socket.gethostname().lower())
    return hosts


def host_allowed(header: str, hosts: set[str], local_address: str) -> bool:
    """Does a request's Host HEADER name this server: one of HOSTS, or LOCAL_ADDRESS, the address the request
    came in on? A page on another site that rebinds its DNS name to this machine's address sends that
    name, which is refused; a browser pointed at the address sends it (`--host 0.0.0.0` reached as
    http://192.0.2.2:8000/ from another machine was refused: the option served nobody). Another address
    (0.0.0.0, a broadcast one) is no name of this server's."""
    name = host_name(header)
    if name in hosts:
        return True
    try:
        asked, local = ipaddress.ip_address(name), ipaddress.ip_address(local_address.partition("%")[0])
    except ValueError:
        return False
    if isinstance(local, ipaddress.IPv6Address) and local.ipv4_mapped is not None:
        local = local.ipv4_mapped  # an IPv4 client of a socket bound to `::`
    return asked == local


def host_name(header: str) -> str:
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class SiteHandler(BaseHTTPRequestHandler):
    """Answers for the LiveSite `site`: its pages (each with the live-reload script), the last good page
    of a broken note, a 404 page, and the long poll that says when the site changed."""

    site: LiveSite
    hosts: set[str]  # the Host headers accepted
    server_version = "netjournal"
    sys_version = ""
    timeout = REQUEST_SECONDS  # of each read and write on the connection

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet: serve prints rebuilds only
        pass

    def setup(self) -> None:
        super().setup()
        self._deadline = threading.Timer(REQUEST_SECONDS, self._cut_off)
        self._deadline.daemon = True
        self._deadline.start()

    def _cut_off(self) -> None:
        """The request did not arrive in time: end the connection (the read waiting on it returns)."""
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def parse_request(self) -> bool:
        try:  # reads the headers
            return super().parse_request()
        finally:
            self._deadline.cancel()  # the request is in: answering it (a long poll) has its own time

    def finish(self) -> None:
        self._deadline.cancel()
        super().finish()

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        self._respond(head=False)

    def _send(self, status: int, body: bytes, content_type: str, head: bool, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                pass  # the browser navigated away (a reload cancels its long poll), or reads nothing

    def _error(self, status: HTTPStatus, head: bool) -> None:
        body = f"{status.value} {status.phrase}\n".encode()
        self._send(status.value, body, "text/plain; charset=utf-8", head)

    def _respond(self, head: bool) -> None:
        if not host_allowed(self.headers.get("Host", ""), self.hosts, self.connection.getsockname()[0]):
            return self._error(HTTPStatus.FORBIDDEN, head)
        url = urlsplit(self.path)
        if url.path.startswith(LIVE_PREFIX):
            return self._live(url, head)
        try:
            file = self._file_for(url.path)
        except UnicodeDecodeError:  # %ff%fe: the site's file names are UTF-8
            return self._error(HTTPStatus.BAD_REQUEST, head)
        if file is None:
            return self._missing(url.path, head)
        if file == "redirect":
            return self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", head,
                              {"Location": url.path + "/"})
        try:
            body = file.read_bytes()
        except OSError:
            return self._missing(url.path, head)
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if file.suffix == ".html":
            body = self._inject(body)
            content_type = "text/html"
        if content_type.startswith("text/") or content_type in ("application/javascript",):
            content_type += "; charset=utf-8"
        self._send(HTTPStatus.OK, body, content_type, head)

    def _file_for(self, raw_path: str):
        path = unquote(raw_path, errors="strict") if "%" in raw_path else raw_path
        if "\x00" in path or "\\" in path:
            return None
        parts = [part for part in path.split("/") if part]
        if any(part in (".", "..") or part.startswith(".") for part in parts):
            return None
        root = self.site.out.resolve()
        target = (root / posixpath.join(*parts)) if parts else root
        try:
            resolved = target.resolve()
        except OSError:
            return None
        if resolved != root and root not in resolved.parents:
            return None
        if resolved.is_dir():
            if parts and not raw_path.endswith("/"):
                return "redirect"
            resolved = resolved / "index.html"  # never a directory listing
        return resolved if resolved.is_file() else None

    def _missing(self, raw_path: str, head: bool) -> None:
        """A page the site does not have: the last good version if its note is broken now (200, with
        the banner saying so), else a 404 page; either with the banner and live reload, so the tab
        shows the page once its note is back."""
        rel = unquote(raw_path, errors="replace").lstrip("/")
        kept = self.site.kept.get(rel)
        if kept is not None:
            return self._send(HTTPStatus.OK, self._inject(kept, kept=True), "text/html; charset=utf-8", head)
        page = NOT_FOUND_PAGE.replace("{path}", html.escape(raw_path)).encode("utf-8")
        self._send(HTTPStatus.NOT_FOUND, self._inject(page), "text/html; charset=utf-8", head)

    def _inject(self, body: bytes, kept: bool = False) -> bytes:
        text = body.decode("utf-8")
        banner = self.site.banner(kept)
        if banner:
            text = text.replace("<body>", "<body>\n" + banner, 1)
        script = f'<script src="{LIVE_PREFIX}livereload.js?v={self.site.version}"></script>\n</body>'
        return legal_html(text.replace("</body>", script, 1)).encode("utf-8")  # the banner quotes notes

    def _live(self, url, head: bool) -> None:
        if url.path == LIVE_PREFIX + "livereload.js":
            return self._send(HTTPStatus.OK, LIVERELOAD_JS, "text/javascript; charset=utf-8", head)
        if url.path == LIVE_PREFIX + "wait":
            try:
                version = int(parse_qs(url.query).get("version", ["-1"])[0])
            except ValueError:
                return self._error(HTTPStatus.BAD_REQUEST, head)
            current = self.site.wait_for_change(version, WAIT_SECONDS)
            return self._send(HTTPStatus.OK, json.dumps({"version": current}).encode(),
                              "application/json", head)
        return self._error(HTTPStatus.NOT_FOUND, head)


def make_handler(site: LiveSite, hosts: set[str]) -> type[SiteHandler]:
    return type("Handler", (SiteHandler,), {"site": site, "hosts": hosts})


#: How often the server's loop looks up from waiting for a request: a stop (a signal, `stop`) is seen within it
#: (the standard library's half a second made each stop wait that long)
POLL_SECONDS = 0.05


class _HTTPServer(ThreadingHTTPServer):
    """A connection that breaks (a client gone, cut off, or timed out) is the client's business: no
    traceback for it. Anything else is a bug, reported as the standard library does. The loop ends when a
    signal asked serve to stop (StopSignals)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type, stop: StopSignals | None = None) -> None:
        super().__init__(address, handler)
        self.stop_signals = stop

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def service_actions(self) -> None:  # called by serve_forever at every turn of its loop
        super().service_actions()
        if self.stop_signals is not None:
            self.stop_signals.check()


class Server:
    """The whole of `serve`, startable and stoppable from tests: site + watcher + HTTP server."""

    def __init__(self, root: Path, today: Callable[[], dt.date], host: str = "127.0.0.1", port: int = 8000,
                 log: Callable[[str], None] = print, progress: Callable[[int], None] | None = None,
                 on_listening: Callable[[], None] | None = None, stop: StopSignals | None = None) -> None:
        """Listen on HOST:PORT, then (ON_LISTENING called) build the site into a temporary folder. The
        port is taken first, so a port in use fails at once with nothing built; a failure or an
        interrupt (Ctrl-C, or STOP's signals) on the way leaves no folder behind."""
        root = root.resolve()
        self.log = log
        self.thread: threading.Thread | None = None
        self.stopped = False
        self.stop_signals = stop
        from .config import load_config

        self.site = LiveSite(root, today, log=log)
        try:
            self.watcher = Rebuilder(self.site, root / load_config(root)[0].site_output)
            self.httpd = _HTTPServer((host, port), make_handler(self.site, allowed_hosts(host)), stop)
        except BaseException:
            self.site.close()
            raise
        try:
            if on_listening is not None:
                on_listening()
            # the workers of the first build are forked before the watcher's threads start (forking beside
            # threads can deadlock); the watcher starts before the build, so a save made meanwhile is built next
            with build_workers():
                self.watcher.watch()
                self.site.rebuild(progress=progress)
            if stop is not None:
                stop.serving = True  # from now on a signal only asks the loop of serve_forever to end
                stop.check()
        except BaseException:
            self.watcher.stop()
            self.httpd.server_close()
            self.site.close()
            raise

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        assert isinstance(host, str)  # bound: the address getsockname() gave, whose host is text
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        if ":" in shown:
            shown = f"[{shown}]"
        return f"http://{shown}:{port}/"

    def start(self) -> None:
        """Serve in a background thread (tests); `serve_forever` is the foreground form."""
        self.watcher.start()
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(POLL_SECONDS,), name="netjournal-http",
                                       daemon=True)
        self.thread.start()

    def serve_forever(self) -> None:
        """Serve until Ctrl-C or a signal (KeyboardInterrupt), then stop."""
        try:
            if self.stop_signals is not None:
                self.stop_signals.check()
            self.watcher.start()
            self.httpd.serve_forever(POLL_SECONDS)
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop serving and remove the temporary site; again, nothing."""
        if self.stopped:
            return
        self.stopped = True
        self.watcher.stop()
        if self.thread is not None:  # in the foreground, serve_forever has already returned
            self.httpd.shutdown()
        self.httpd.server_close()
        self.site.close()
