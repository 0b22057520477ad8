"""Writing files without ever leaving half of one: the one atomic writer every command uses."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: bytes, mode: int = 0o644, durable: bool = False) -> None:
    """Write DATA to PATH through a temporary file renamed over it: a reader sees the old file or the
    new one. DURABLE fsyncs the file first (for notes; a cache or a page can be made again). The temporary
    file is removed if anything fails."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def prepare_cache(folder: Path) -> None:
    """Make FOLDER, somewhere in a `.netjournal-cache/` folder, and give that folder a .gitignore of its
    own that ignores everything in it: the cache is never committed, and netjournal writes no ignore file
    anywhere else (it must never hide a user's notes from git)."""
    folder.mkdir(parents=True, exist_ok=True)
    for cache in (folder, *folder.parents):
        if cache.name == ".netjournal-cache":
            ignore = cache / ".gitignore"
            if not ignore.exists():
                atomic_write(ignore, b"# written by netjournal: a cache, safe to delete\n*\n")
            return
