"""serve and the daemon listen on loopback, where any local process can connect: a malformed, endless,
slow or unfinished request gets a short answer or a closed connection, never a traceback, a held thread,
a stalled build or a stopped server. Raw sockets against real servers."""
import json
import socket
import sys
import threading
import time

import pytest

import netjournal.serve as serve_module
from netjournal.daemon import ask_daemon, info_path
from netjournal.serve import Server

from conftest import TODAY, interaction, person

NOTES = {"people/ada.md": person("Ada Lovelace"), "interactions/2026/a.md": interaction("2026-11-01", "ada")}


@pytest.fixture
def served(make_journal):
    server = Server(make_journal(NOTES), lambda: TODAY, port=0, log=lambda line: None)
    server.start()
    yield server
    server.stop()


def raw(address, data: bytes, wait: float = 10.0) -> bytes:
    """Send DATA on a new connection and read until the server closes it (or resets it: it need not read
    what it refuses)."""
    chunks = []
    with socket.create_connection(address[:2], timeout=wait) as conn:
        try:
            conn.sendall(data)
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        except (ConnectionResetError, BrokenPipeError):
            pass
    return b"".join(chunks)


@pytest.mark.parametrize("path", ["/%ff%fe", "/people/%ff.html", "/%c0%af", "/__netjournal/%ff", "/%"])
def test_serve_answers_a_path_that_is_not_utf8_with_400_and_no_traceback(served, capsys, path):
    host = f"127.0.0.1:{served.httpd.server_address[1]}"
    answer = raw(served.httpd.server_address, f"GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
    assert answer.split(b"\r\n", 1)[0] in (b"HTTP/1.0 400 Bad Request", b"HTTP/1.0 404 Not Found"), answer[:200]
    assert "Traceback" not in capsys.readouterr().err
    assert raw(served.httpd.server_address, f"GET / HTTP/1.0\r\nHost: {host}\r\n\r\n".encode()).startswith(
        b"HTTP/1.0 200")


def test_serve_closes_slow_and_unfinished_requests_and_keeps_serving(served, monkeypatch):
    monkeypatch.setattr(serve_module, "REQUEST_SECONDS", 1.0)
    address = served.httpd.server_address[:2]
    host = f"127.0.0.1:{address[1]}"
    silent = socket.create_connection(address, timeout=10)  # connects and says nothing
    trickler = socket.create_connection(address, timeout=10)
    started = time.monotonic()
    closed_after = None
    try:
        trickler.sendall(b"GET / HTTP/1.0\r\n")
        while time.monotonic() - started < 8:  # a header byte every 0.2 s: each read is quick, the whole is not
            try:
                trickler.sendall(b"X")
            except OSError:
                closed_after = time.monotonic() - started
                break
            time.sleep(0.2)
            assert raw(address, f"GET / HTTP/1.0\r\nHost: {host}\r\n\r\n".encode()).startswith(b"HTTP/1.0 200")
        assert closed_after is not None and closed_after < 4, closed_after
        assert silent.recv(100) in (b"", b"HTTP")  # closed (or told off) long since
    finally:
        silent.close()
        trickler.close()


# --- the daemon ----------------------------------------------------------------------------------------------

daemon_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the daemon watches with inotify")


@pytest.fixture
def daemon(make_journal):
    from netjournal.daemon import Daemon

    root = make_journal(NOTES)
    logs: list[str] = []
    keeper = Daemon(root, root / "_site", TODAY, log=logs.append)
    keeper.build(TODAY)
    keeper.listen()
    thread = threading.Thread(target=keeper.run, daemon=True)
    thread.start()
    info = json.loads(info_path(root / "_site").read_text(encoding="utf-8"))
    yield root, ("127.0.0.1", info["port"]), thread
    keeper.stop()
    thread.join(timeout=10)
    keeper.close()


def answered(root, within: float = 20.0) -> bool:
    """Does the daemon answer a build's request, within WITHIN seconds?"""
    answers = []
    asker = threading.Thread(target=lambda: answers.append(ask_daemon(root, root / "_site", TODAY.isoformat())),
                             daemon=True)
    asker.start()
    asker.join(timeout=within)
    return bool(answers) and answers[0] is not None and answers[0].get("notes") == 2


@daemon_only
@pytest.mark.parametrize("request_bytes", [
    b"[" * 200_000 + b"\n", b"{\"token\": " * 50_000 + b"\n", b"\xff\xfe\n", b"\n", b"x" * 3000 + b"\n",
    b'{"token": null, "today": "2026-11-22"}\n', b"0" * 40 + b" 2026-11-22\n",
], ids=["nested", "nested-json", "not-utf8", "empty", "long", "old-protocol", "guess"])
def test_the_daemon_refuses_requests_without_its_token_and_lives_on(daemon, request_bytes):
    root, address, thread = daemon
    assert raw(address, request_bytes) == b""  # no answer: closed
    assert thread.is_alive() and answered(root)


@daemon_only
def test_an_endless_request_is_cut_off_early(daemon):
    root, address, thread = daemon
    sent = 0
    with socket.create_connection(address, timeout=10) as conn:
        block = b"a" * 65536
        try:
            while sent < 64 * 1024 * 1024:
                conn.sendall(block)
                sent += len(block)
        except OSError:
            pass
    assert sent < 16 * 1024 * 1024, f"the daemon read {sent} bytes of one request"
    assert thread.is_alive() and answered(root)


@daemon_only
def test_a_client_trickling_bytes_does_not_stall_other_builds(daemon):
    root, address, thread = daemon
    stop = threading.Event()
    cut_off = []

    def trickle() -> None:
        with socket.create_connection(address, timeout=10) as conn:
            started = time.monotonic()
            while not stop.is_set():
                try:
                    conn.sendall(b"a")
                except OSError:
                    cut_off.append(time.monotonic() - started)
                    return
                time.sleep(0.1)

    trickler = threading.Thread(target=trickle, daemon=True)
    trickler.start()
    time.sleep(0.3)
    started = time.monotonic()
    assert answered(root, within=10), "a build waited on the trickling client"
    took = time.monotonic() - started
    trickler.join(timeout=10)  # until the daemon lets it go
    stop.set()
    trickler.join(timeout=10)
    assert took < 10, took
    assert cut_off and cut_off[0] < 10, cut_off  # and the trickler is let go
    assert thread.is_alive()
