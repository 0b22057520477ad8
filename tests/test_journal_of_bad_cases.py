"""One journal holding every kind of bad note the adversarial review found (issue 23): `check` finishes,
names each bad note with its file and line, and the rest of the journal still builds, for the owner and for
the mentor."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import output_bytes

GOOD = {
    "people/ada.md": "---\nname: Ada Lovelace\nmet: 2024-01-02\n---\n",
    "people/zelda.md": "---\nname: Zelda Quokkason\nprivate: true\n---\n",
    "interactions/2026/2026-11-01-ada.md": "---\nwith: [ada]\ndate: 2026-11-01\n---\nTalked about the plan.\n",
}
BAD = {  # path -> the line a finding must name (None: the note is skipped or read, with no line to name)
    "people/tabbed.md": ("---\nname: Tab Bed\n\tmet: 2024-01-02\n---\n", 3),
    "people/nameless.md": ("---\nname: null\n---\n", 2),
    "people/far.md": ("---\nname: Far Future\nmet: 9999-12-31\n---\n", None),
    "people/spaces.md": ("---\nname: Spacey\ntopics: [a" + " " * 60_000 + "b]\n---\n", None),
    "interactions/2026/2026-02-30-ada.md": ("---\nwith: [ada]\ndate: 2026-02-30\n---\n", 3),
    "interactions/2026/2026-11-18-timed.md": ("---\nwith: [ada]\ndate: 2026-11-18 10:00 +01:00\n---\n", None),
    "interactions/2026/2026-11-19-colon.md": ("---\nwith: [ada]\ndate: 2026-11-19\ntitle: Lunch: the plan\n---\n", 4),
    "interactions/2026/2026-11-20-nested.md": (
        "---\nwith: [ada]\ndate: 2026-11-20\n---\n<!-- private -->a <!-- private -->b<!-- /private --> "
        "Zelda Quokkason<!-- /private -->\n<!-- PRIVATE: reason -->\nZelda\nQuokkason\n", 6),  # the mistyped marker's line
    "interactions/2026/2026-11-21-unknown.md": ("---\nwith: [nobody-at-all]\ndate: 2026-11-21\n---\n", 2),
    "people/unclosed.md": ("---\nname: Never Closed\nmet: 2024-01-02\n", 1),
}


@pytest.fixture
def journal(make_journal):
    root = make_journal({**GOOD, **{path: text for path, (text, _) in BAD.items()}})
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "people" / "fifo.md")
        (root / "people" / "link-to-fifo.md").symlink_to(root / "people" / "fifo.md")
    (root / "netjournal.toml").write_text('[audience.mentor]\nexclude_private = true\n', encoding="utf-8")
    return root


def netjournal(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "netjournal.cli", *args], capture_output=True, text=True,
                          timeout=timeout, check=False)


def test_check_names_every_bad_note_and_the_rest_builds(journal, tmp_path):
    checked = netjournal("check", str(journal), "--today", "2026-11-22", "--format", "json")
    assert checked.returncode == 1, checked.stderr  # errors found, no traceback
    findings = json.loads(checked.stdout)
    where = {(f["path"], f["line"]) for f in findings}
    for path, (_, line) in BAD.items():
        if line is not None:
            assert (path, line) in where, (path, line, sorted(where))
    if hasattr(os, "mkfifo"):
        assert {"people/fifo.md", "people/link-to-fifo.md"} <= {f["path"] for f in findings}

    for audience in ("owner", "mentor"):
        out = tmp_path / audience
        built = netjournal("build", str(journal), "--today", "2026-11-22", "-o", str(out),
                           *(("--audience", audience) if audience != "owner" else ()))
        assert built.returncode == 0, built.stderr
        assert "Traceback" not in built.stderr
        assert (out / "index.html").is_file()
        assert any("Talked about the plan." in page.read_text(encoding="utf-8") for page in out.rglob("*.html"))
        if audience == "mentor":
            shared = output_bytes(out)
            assert b"quokkason" not in shared and b"zelda" not in shared
