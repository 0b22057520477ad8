"""atomic_write: the one way netjournal replaces a file (pages, the cache, exports, the daemon's file, a note
that --merge fills in)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from netjournal.fsutil import atomic_write, clear_dead_writes


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


def test_a_writer_that_fails_midway_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path):
    """A file written by a function as it is made (the build's state, pickled into the file): what it
    wrote before failing is never seen."""
    target = tmp_path / "memo.pickle"
    target.write_bytes(b"old")

    def write(handle):
        handle.write(b"half of it")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        atomic_write(target, write)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["memo.pickle"]
    atomic_write(target, lambda handle: handle.write(b"new"))
    assert target.read_bytes() == b"new"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="zombies are told apart through /proc")
def test_a_temporary_file_of_a_writer_that_is_a_zombie_is_cleared(tmp_path):
    """A killed build's worker is a zombie until its new parent reaps it: dead, its temporary file goes."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        while Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
            pass  # the child has not exited yet
        dead = tmp_path / f".shard.pickle-{pid}-abc123.tmp"
        live = tmp_path / f".shard.pickle-{os.getpid()}-def456.tmp"
        dead.write_bytes(b"half")
        live.write_bytes(b"half")
        clear_dead_writes(tmp_path)
        assert not dead.exists() and live.exists()
    finally:
        os.waitpid(pid, 0)
