"""Reading a journal's files: regular files only. A FIFO named like a note would block a read forever, and
a symlink to a device (/dev/zero, which a shared repository can hold) would never end; either is refused
with an OSError, which the reader turns into a finding."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

NOT_REGULAR = "not a regular file (a FIFO, socket or device)"


#: What tells a file's content changed without reading it: (size, mtime_ns, ctime_ns, inode). Size and
#: mtime alone miss a file replaced by another with the same (two notes unpacked from one archive, a
#: `cp -p`, a `mv` over it): the rename gives it a new ctime, and usually another inode (as git's index).
Stamp = tuple[int, int, int, int]


def file_stamp(found: os.stat_result) -> Stamp:
    return found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino


def file_identity(path: str | Path) -> tuple[int, int] | None:
    """What tells the file or folder at PATH (symlinks followed) from any other, whatever its name or
    another put at its path since: its device and inode (None if it cannot be stat'ed)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def symlinked_folder(base: Path, rel: str) -> Path | None:
    """The first folder on the way from BASE to the file REL (`/`-separated) that is a symlink, which would
    take a write or a removal elsewhere; None if there is none (a folder not there yet is none)."""
    below = base
    for part in rel.split("/")[:-1]:
        below = below / part
        try:
            if stat.S_ISLNK(os.lstat(below).st_mode):
                return below
        except FileNotFoundError:
            return None
    return None


def open_regular(path: str | Path) -> tuple[int, os.stat_result]:
    """A descriptor open for reading on PATH, and its stat, if PATH is a regular file (after symlinks);
    else OSError. Opened without waiting: a FIFO with no writer is refused instead of blocking the open."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, NOT_REGULAR, str(path))
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def read_head(path: str | Path, size: int) -> bytes:
    """The first SIZE bytes of PATH, if it is a regular file (after symlinks); else OSError. Looked at before
    it is opened: a device can act on being opened."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(errno.EINVAL, NOT_REGULAR, str(path))
    fd, _ = open_regular(path)
    try:
        blocks: list[bytes] = []
        while size > 0 and (block := os.read(fd, min(size, 1 << 16))):
            blocks.append(block)
            size -= len(block)
        return b"".join(blocks)
    finally:
        os.close(fd)


def read_regular_file(path: str | Path, limit: int | None = None) -> bytes:
    """PATH's bytes, if it is a regular file (of at most LIMIT bytes, if given); else OSError."""
    fd, _ = open_regular(path)
    try:
        blocks, size = [], 0
        while block := os.read(fd, 1 << 16):
            blocks.append(block)
            size += len(block)
            if limit is not None and size > limit:
                raise OSError(errno.EFBIG, f"larger than {limit // 1024} KiB", str(path))
        return b"".join(blocks)
    finally:
        os.close(fd)
