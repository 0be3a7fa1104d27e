"""Built-in policies read without YAML: each parsed file kept as JSON, as Python keeps bytecode.

Importing PyYAML costs a one-page check about a twentieth of its start-up, although a built-in
policy never changes between runs. The parsed document (its data, and the line and column of every
key, which error messages need) is plain JSON, written to this package's ``__pycache__`` (or under
``sys.pycache_prefix``) the first time the file is read. It is used only while it was made from the
same bytes (length and CRC-32 of the text, read each run: reading is cheap, parsing is not) by the
same parser (the size and modification time of ``yamlpos`` and of this module), so neither an edited
policy nor changed parsing code is ever answered from an old cache. Nothing is written when
``sys.dont_write_bytecode`` is set (``PYTHONDONTWRITEBYTECODE``) or the folder is read-only, and a
cache that cannot be read or does not match is ignored: the YAML is the policy, the cache only a
faster way to the same ``Located``. Only the shipped policies are cached: a user's own policy files
are parsed each time, and the folder of shipped policies gets nothing written into it (a wheel built
from it ships no cache).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import zlib
from pathlib import Path
from typing import Any, Callable

from compliance.inputs import yamlpos
from compliance.inputs.yamlpos import Located, load_located
from compliance.policy.builtin import is_builtin_file

FORMAT = 1  # the layout of the JSON below


def _cache_dir() -> Path:
    """Where Python keeps this package's bytecode: ``__pycache__`` beside it, or the same path under the prefix."""
    here = Path(__file__).resolve().parent
    if sys.pycache_prefix:
        return Path(sys.pycache_prefix, *here.parts[1:])
    return here / "__pycache__"


def cache_path(source: Path) -> Path:
    """The cache of ``source``, named for its folder too: a source checkout and an install differ."""
    where = zlib.crc32(str(source.resolve().parent).encode("utf-8", "surrogateescape"))
    return _cache_dir() / f"{source.stem}.{where:08x}.policy-{FORMAT}.json"


def _parser_stamp() -> list[int]:
    """Which parsing code made a cache: the size and modification time of the modules that build ``Located``."""
    out: list[int] = []
    for module_file in (yamlpos.__file__, __file__):
        try:
            st = os.stat(module_file)
            out += [st.st_size, st.st_mtime_ns]
        except (OSError, TypeError):
            out += [-1, -1]
    return out


def stamp_of(text: str) -> list[int]:
    """What a cache must have been made from: this text, by this parser."""
    data = text.encode("utf-8", "surrogatepass")
    return [FORMAT, len(data), zlib.crc32(data), *_parser_stamp()]


def cached(source: Path, stamp: list[int]) -> Located | None:
    """The document cached for ``source`` if it was made with ``stamp``, else None."""
    try:
        with open(cache_path(source), encoding="utf-8") as f:
            saved = json.load(f)
        if saved["stamp"] != stamp:
            return None
        lines = {tuple(path): line for path, line, _ in saved["positions"]}
        columns = {tuple(path): column for path, _, column in saved["positions"]}
        return Located(saved["data"], lines, str(source), columns)
    except (OSError, ValueError, KeyError, TypeError):  # absent, half-written by another run, or not ours
        return None


def remember(source: Path, located: Located, stamp: list[int]) -> None:
    """Write ``located`` as the cache of ``source``; silently nothing where that is not possible."""
    if sys.dont_write_bytecode:
        return
    positions: list[list[Any]] = [[list(path), line, located.columns.get(path)] for path, line in located.lines.items()]
    body = json.dumps({"stamp": stamp, "data": located.data, "positions": positions}, ensure_ascii=False)
    target = cache_path(source)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(body, encoding="utf-8")
        os.replace(temporary, target)  # a reader sees the old file or the whole new one, never part of it
    except OSError:
        try:
            temporary.unlink()
        except OSError:
            pass


def load_builtin(source: Path, read: Callable[[], str]) -> Located:
    """The located document of the built-in policy file ``source``; ``read()`` gives its text."""
    text = read()
    stamp = stamp_of(text)
    found = cached(source, stamp)
    if found is not None:
        return found
    located = load_located(text, str(source))
    remember(source, located, stamp)
    return located


def load_policy_file(path: Path, read: Callable[[], str]) -> Located:
    """The located document of any policy file: from the cache for a shipped one, parsed for the others."""
    if is_builtin_file(path):
        return load_builtin(path, read)
    return load_located(read(), str(path))
