"""The batch's output folder: one writer at a time, and files replaced whole or not at all.

Two runs into the same OUT (two TAs, or a batch and an ``override``) would interleave their rows
and reports. Each command that writes into OUT first takes an exclusive lock on ``OUT/.grader.lock``
(``flock`` where there is one, ``msvcrt.locking`` on Windows); the lock file records who holds it,
so the second command can say whom it is waiting for. The kernel drops the lock when its holder
exits, killed or not: a crashed run never leaves OUT locked.

grades.csv, changes.csv, summary.html and exports are written to a temporary file beside the
target and renamed over it (``os.replace`` is atomic on one file system): a run killed midway
leaves the previous file, never half of a new one.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

LOCK_NAME = ".grader.lock"


class OutputError(Exception):
    """The output folder cannot be written."""


class OutputBusy(OutputError):
    """Another command is writing into the output folder."""


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 200).decode("utf-8", "replace").strip()
    except OSError:  # Windows refuses to read a locked byte
        return ""


@contextmanager
def locked(out: Path, what: str = "batch"):
    """Hold OUT's lock for the duration of the block, or raise OutputBusy naming its holder."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(f"{out} cannot be used as the output folder ({exc.strerror or exc})") from None
    try:
        if not _try_lock(fd):
            raise OutputBusy(f"{out} is being written by another command ({_holder(fd) or 'unknown'}); "
                             "wait for it to finish and run this one again")
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{what}, process {os.getpid()}, since {stamp}\n".encode())
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@lru_cache(maxsize=1)
def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a mix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):  # mkstemp's 0600 would hide the file from the rest of the course staff
            os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """UTF-8, anything unencodable (a lone surrogate from a notebook's JSON) replaced, never raised."""
    write_atomic(path, text.encode("utf-8", "replace"))
