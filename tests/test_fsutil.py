"""atomic_write: the one way netjournal replaces a file (pages, the cache, exports, the daemon's file, a note
that --merge fills in)."""
from __future__ import annotations

import os
import stat

import pytest

from netjournal.fsutil import atomic_write


def test_a_reader_sees_the_new_file_with_its_mode_and_nothing_else(tmp_path):
    target = tmp_path / "page.html"
    target.write_bytes(b"old")
    atomic_write(target, b"new", mode=0o600)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "folder"
    target.mkdir()  # a folder where the file should go: the rename fails
    (target / "inside").write_text("kept")
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert (target / "inside").read_text() == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]


def test_data_that_cannot_be_written_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "note.md"
    target.write_text("old")
    with pytest.raises(TypeError):
        atomic_write(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.md"]
