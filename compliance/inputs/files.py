"""Reading local files safely: only regular files, never more than a cap, and never echoed where they do not belong.

Every file the tool reads goes through ``open_regular``: pages, policies, overrides, configuration,
baselines, waivers, catalogs and their ``body_file``s, templates, URL lists, WARC archives. It opens
without blocking (a named pipe would otherwise wait forever for a writer), then refuses anything that
is not a regular file (pipes, devices such as /dev/zero, sockets, folders) and anything over the cap for
its kind, before reading a byte. Problems are ``FileProblem``s: an ``OSError`` whose ``strerror`` is one
sentence, so callers that already catch ``OSError`` report them as they report any unreadable file.

``inside`` decides whether a path a file names (a catalog's ``body_file``, a policy's ``extends``) stays
within the folder it may read from, after symlinks are resolved.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO, Callable

__all__ = ["BASELINE_BYTES", "CONFIG_BYTES", "FileProblem", "LIST_BYTES", "POLICY_BYTES", "TEMPLATE_BYTES",
           "WAIVERS_BYTES", "display_path", "inside", "megabytes", "open_regular", "over_limit", "read_bytes",
           "read_text"]

_MB = 1024 * 1024
# Caps for files that are not pages (a page's cap is --max-bytes). Each is far above any real file of its
# kind: the largest built-in policy is about 20 KB.
POLICY_BYTES = 2 * _MB  # a policy or an override file
CONFIG_BYTES = 1 * _MB  # compliance.toml, .compliance.yaml, pyproject.toml
WAIVERS_BYTES = 16 * _MB
BASELINE_BYTES = 64 * _MB
TEMPLATE_BYTES = 1 * _MB  # a --template or --report FORMAT=FILE.j2 template, and each file it includes
LIST_BYTES = 64 * _MB  # a --urls file

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


class FileProblem(OSError):
    """A file that cannot be read as asked; ``strerror`` says why in words ("is a named pipe (FIFO), ...")."""

    def __init__(self, message: str, path: str | os.PathLike[str] = "") -> None:
        super().__init__(message)
        self.strerror = message
        self.filename = str(path)

    def __str__(self) -> str:
        return self.strerror


def megabytes(size: int) -> str:
    return f"{size / _MB:g} MB"


def open_regular(path: str | os.PathLike[str], limit: int | None = None) -> BinaryIO:
    """``path`` opened for reading in binary, once it is known to be a regular file of at most ``limit`` bytes."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileProblem("the file does not exist", path) from None
    except PermissionError:
        raise FileProblem("permission denied", path) from None
    except OSError as exc:
        kind = _kind(path)
        raise FileProblem(f"it is {kind}, not a regular file" if kind else (exc.strerror or str(exc)), path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
            raise FileProblem(f"it is {kind}, not a regular file", path)
        if limit is not None and info.st_size > limit:
            raise FileProblem(f"it is {over_limit(info.st_size, limit)}", path)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (a file still growing is cut at the cap and refused)."""
    with open_regular(path, limit) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileProblem(f"it is larger than the {megabytes(limit)} limit", path)
    return data


def read_text(path: Path, what: str, fail: Callable[[str], Exception], missing: str | None = None,
              limit: int = POLICY_BYTES) -> str:
    """The UTF-8 text of ``path``; else ``fail(message)`` is raised, saying why ``what`` cannot be read.

    ``missing`` replaces the message when the file does not exist (e.g. how to create it). A message
    never quotes the file: it may not be what it was said to be.
    """
    try:
        data = read_bytes(path, limit)
    except FileProblem as exc:
        if missing and exc.strerror == "the file does not exist":
            raise fail(missing) from None
        raise fail(f"cannot read {what}: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"cannot read {what}: it is not UTF-8 text (byte {exc.start})") from None


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` (symlinks resolved) is ``folder`` or lies below it."""
    try:
        target = path.resolve()
        root = folder.resolve()
    except (OSError, RuntimeError):
        return False
    return target == root or root in target.parents


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when that is shorter to read."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith(".." + os.sep + "..") else str(path)


def _kind(path: str | os.PathLike[str]) -> str | None:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return next((name for test, name in _KINDS if test(mode)), None)


def over_limit(size: int, limit: int) -> str:
    """'12.3 MB, over the 10 MB limit', with enough digits to show the excess."""
    digits = 1
    while round(size / _MB, digits) <= limit / _MB and digits < 6:
        digits += 1
    return f"{size / _MB:.{digits}f} MB, over the {megabytes(limit)} limit"
