"""Built-in policies read without YAML: each parsed file kept as JSON, as Python keeps bytecode.

Importing PyYAML costs a one-page check about a twentieth of its start-up, although a built-in
policy never changes between runs. The parsed document (its data, and the line and column of every
key, which error messages need) is plain JSON, written to this package's ``__pycache__`` the first
time the file is read and used while the file has the size and modification time recorded (the rule
Python applies to ``.pyc`` files). Nothing is written when ``sys.dont_write_bytecode`` is set
(``PYTHONDONTWRITEBYTECODE``) or the folder is read-only, and a cache that cannot be read or does not
match is ignored: the YAML is the policy, the cache only a faster way to the same ``Located``. Only
the shipped policies are cached: a user's own policy files are read as they are each time, and the
folder of shipped policies gets nothing written into it (a wheel built from it ships no cache).
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from pathlib import Path
from typing import Any

from compliance.inputs.yamlpos import Located, load_located

FORMAT = 1  # raise when compliance.inputs.yamlpos builds documents differently: older caches are then ignored
_CACHE_DIR = Path(__file__).resolve().parent / "__pycache__"  # where Python keeps this package's bytecode


def cache_path(source: Path) -> Path:
    """The cache of ``source``, named for its folder too: a source checkout and an install differ."""
    where = zlib.crc32(str(source.resolve().parent).encode("utf-8", "surrogateescape"))
    return _CACHE_DIR / f"{source.stem}.{where:08x}.policy-{FORMAT}.json"


def _stamp(source: Path) -> list[int] | None:
    try:
        st = source.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def cached(source: Path) -> Located | None:
    """The document cached for ``source`` if it was made from the file as it is now, else None."""
    stamp = _stamp(source)
    if stamp is None:
        return None
    try:
        with open(cache_path(source), encoding="utf-8") as f:
            saved = json.load(f)
        if saved["format"] != FORMAT or saved["stamp"] != stamp:
            return None
        lines = {tuple(path): line for path, line, _ in saved["positions"]}
        columns = {tuple(path): column for path, _, column in saved["positions"]}
        return Located(saved["data"], lines, str(source), columns)
    except (OSError, ValueError, KeyError, TypeError):  # absent, half-written by another run, or not ours
        return None


def remember(source: Path, located: Located, stamp: list[int] | None) -> None:
    """Write ``located`` as the cache of ``source``; silently nothing where that is not possible."""
    if sys.dont_write_bytecode or stamp is None or _stamp(source) != stamp:
        return  # changed while it was read: the next run parses it again
    positions: list[list[Any]] = [[list(path), line, located.columns.get(path)] for path, line in located.lines.items()]
    body = json.dumps({"format": FORMAT, "stamp": stamp, "data": located.data, "positions": positions},
                      ensure_ascii=False)
    target = cache_path(source)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(exist_ok=True)
        temporary.write_text(body, encoding="utf-8")
        os.replace(temporary, target)  # a reader sees the old file or the whole new one, never part of it
    except OSError:
        try:
            temporary.unlink()
        except OSError:
            pass


def load_builtin(source: Path, read: Any) -> Located:
    """The located document of the built-in policy file ``source``; ``read()`` gives its text when parsed."""
    found = cached(source)
    if found is not None:
        return found
    stamp = _stamp(source)
    located = load_located(read(), str(source))
    remember(source, located, stamp)
    return located
