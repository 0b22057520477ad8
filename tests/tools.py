"""Locating the external test tools (Debian chromium, vnu-jar, axe-core) that .ci/install provides.

Outside CI a missing tool skips the tests that need it; under CI (CI=true) it fails them, so a broken
install step can never turn into silently skipped browser tests.
"""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = Path(os.environ.get("NETJOURNAL_NODE_MODULES", REPO / ".tools" / "node_modules"))
CHROMIUM = os.environ.get("NETJOURNAL_CHROMIUM", "/usr/bin/chromium")
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"


def require(available: bool, what: str) -> None:
    if available:
        return
    message = f"{what} is not installed (run `bash .ci/install`)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_chromium() -> str:
    require(Path(CHROMIUM).exists(), "Debian's chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        require(False, "the playwright package")
    return CHROMIUM


def require_vnu() -> Path:
    require(VNU_JAR.exists() and shutil.which("java") is not None, "vnu-jar with Java")
    return VNU_JAR


def require_axe() -> Path:
    require(AXE_JS.exists(), "axe-core")
    return AXE_JS


def axe_violations(page) -> list[str]:
    """axe-core's violations on PAGE (opened with bypass_csp), a line each with up to three of its nodes.
    axe is loaded by its file URL, not inlined: chromium then keeps its compiled code between pages (the
    inlined 550 KB took 0.13-0.24 s a page to inject, by URL 0.06-0.08 s)."""
    page.add_script_tag(url=require_axe().as_uri())
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))""")


def served_get(server, path, host=None, via=None):
    """GET PATH from a running `netjournal.serve.Server` (with Host HOST; connecting to the address VIA, by
    default the one it is bound to): (status, body text)."""
    import http.client

    address, port = server.httpd.server_address[:2]
    conn = http.client.HTTPConnection(via or address, port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host or f"127.0.0.1:{port}")
    conn.endheaders()
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body


def edit_and_wait(server, action, timeout=10.0):
    """Run ACTION (a file edit) and wait for the rebuild it causes; return the new version."""
    import time

    version = server.site.version
    action()
    deadline = time.monotonic() + timeout
    while server.site.version == version and time.monotonic() < deadline:
        server.site.wait_for_change(version, 0.2)
    assert server.site.version != version, "no rebuild happened"
    return server.site.version


@contextlib.contextmanager
def launched_chromium():
    """Debian's chromium, launched through playwright; closed at the end."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable)
        try:
            yield browser
        finally:
            browser.close()


def child_processes() -> set[int]:
    """The process ids of this process's children (Linux: /proc), such as a build's worker processes."""
    return {int(pid) for task in Path("/proc/self/task").iterdir() for pid in (task / "children").read_text().split()}
