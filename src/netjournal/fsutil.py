"""Writing files without ever leaving half of one, and the cache folder netjournal writes them in."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

CACHE_IGNORE = b"# written by netjournal: a cache, safe to delete\n*\n"


def atomic_write(path: Path, data: bytes | Callable[[BinaryIO], object], mode: int = 0o644,
                 durable: bool = False) -> None:
    """Write DATA to PATH through a temporary file renamed over it: a reader sees the old file or the
    new one. DATA may be a function that writes to the open file instead (a pickle written as it is made:
    the build's state at L, 57 MB, made into bytes first, took a cold build's peak to 1,233 MiB, against
    1,202). DURABLE fsyncs the file first (for notes; a cache or a page can be made again). The temporary
    file is removed if anything fails; its name holds the writer's process id, so one left by a writer that
    was killed is recognised (clear_dead_writes)."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}-{os.getpid()}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def clear_dead_writes(folder: Path) -> None:
    """Remove the temporary files atomic_write left in FOLDER for writers that are gone (a build killed
    while it saved)."""
    if os.name != "posix":  # there is no harmless way to ask whether a process lives
        return
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        parts = entry.name.rsplit("-", 2)
        if not entry.name.startswith(".") or not entry.name.endswith(".tmp") or len(parts) != 3 \
                or not parts[1].isdigit():
            continue
        if not _alive(int(parts[1])):
            Path(entry.path).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    """Is process PID alive? A zombie is not: a killed build's worker stays one until its new parent reaps
    it, which on a loaded machine is after the next build has looked (the SIGKILL case of
    test_build_interrupted kept a dead worker's file)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # a process of someone else's: alive
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): as the signal says
    return stat[stat.rfind(")") + 2:].split()[:1] != ["Z"]


def prepare_cache(folder: Path) -> None:
    """Make FOLDER, somewhere in a `.netjournal-cache/` folder, and give that folder a .gitignore of its
    own that ignores everything in it: the cache is never committed, and netjournal writes no ignore file
    anywhere else (it must never hide a user's notes from git). An ignore file that earlier versions wrote
    beside the cache folder (into the journal, by default, where its `*` hid every new note) is taken back
    when it is exactly what they wrote."""
    folder.mkdir(parents=True, exist_ok=True)
    for cache in (folder, *folder.parents):
        if cache.name == ".netjournal-cache":
            ignore = cache / ".gitignore"
            if not ignore.exists():
                atomic_write(ignore, CACHE_IGNORE)
            _take_back_ignore_file(cache.parent / ".gitignore")
            return


def _take_back_ignore_file(path: Path) -> None:
    try:
        if path.stat().st_size == len(CACHE_IGNORE) and path.read_bytes() == CACHE_IGNORE:
            path.unlink()
    except OSError:
        pass
