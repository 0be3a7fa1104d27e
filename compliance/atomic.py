"""Files written whole or not at all, and writers that take turns.

A report or a baseline is written under a unique temporary name beside its target (two runs never
share one), flushed to disk with ``fsync`` and then renamed over the target: a full disk, a crash or
Ctrl-C leaves the previous file or the complete new one, never half a file. ``exclusive`` holds an
advisory lock (``flock``) on a lock file beside a target, for read-modify-write updates such as
``--write-baseline``: concurrent runs wait their turn, each merging into what the previous one wrote.
Standard library only.
"""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from compliance.errors import UsageError

__all__ = ["AtomicFile", "exclusive", "write_atomic"]


class AtomicFile:
    """A text file written under a temporary name and renamed into place by ``commit``; None: stdout."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._tmp: str | None = None
        if path is None:
            self.handle: IO[str] = sys.stdout
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, self._tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            os.chmod(self._tmp, _file_mode(path))  # mkstemp's 0600 would outlive the rename
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def write(self, text: str) -> None:
        handle = sys.stdout if self.path is None else self.handle  # stdout may be swapped by a progress display
        try:
            handle.write(text)
        except OSError as exc:
            if self.path is None:
                raise
            self.discard()
            raise UsageError(f"cannot write {self.path}: {exc.strerror or exc}; the previous file is unchanged") \
                from None

    def flush(self) -> None:
        (sys.stdout if self.path is None else self.handle).flush()

    def commit(self) -> None:
        if self.path is None:
            sys.stdout.flush()
            return
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.replace(self._tmp, self.path)  # type: ignore[arg-type]
        except OSError as exc:
            self.discard()
            raise UsageError(f"cannot write {self.path}: {exc.strerror or exc}; the previous file is unchanged") \
                from None

    def discard(self) -> None:
        if self.path is not None and self._tmp:
            try:
                self.handle.close()
            except OSError:
                pass
            try:
                os.unlink(self._tmp)
            except OSError:
                pass
            self._tmp = None


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole (UsageError, and the old file kept, when it cannot be)."""
    out = AtomicFile(path)
    out.write(text)
    out.commit()


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold the lock for updating ``path`` (a ``.NAME.lock`` file beside it) for the block; waits for others."""
    lock = path.with_name(f".{path.name}.lock")
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise UsageError(f"cannot lock {path} for writing: {exc.strerror or exc}") from None
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock
            yield
            return
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _file_mode(path: Path) -> int:
    """The mode a plain ``open(path, "w")`` would give: the old file's, else 0666 less the umask."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
