"""A manifest's ``body_file``: the original's text read from a file beside the catalog, and nowhere else.

A catalog may come from someone else (a licensor's export, a feed URL), so what it names is not trusted:
a ``body_file`` must be a regular file in the catalog's own folder or below it (symlinks resolved), no
larger than a page may be, and a catalog fetched from the web names no local files at all. Otherwise a
``body_file`` of ``/etc/passwd`` would put that file's lines into the evidence of every report, and
``/dev/zero`` would fill the memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from compliance.inputs.files import display_path, inside, read_bytes

BODY_FILE_BYTES = 10 * 1024 * 1024  # a body_file is one page: a page's default size limit


def read_body_file(name: str, manifest: Path, fail: Callable[..., Exception]) -> bytes:
    """The bytes of ``body_file`` ``name`` of the catalog at ``manifest``; ``fail(message, field)`` otherwise."""
    if str(manifest).lower().startswith(("http:/", "https:/")):  # a URL, as a Path: "https:/host/catalog.jsonl"
        raise fail("a catalog fetched from a URL cannot name local files; give the text as 'body'", "body_file")
    target = Path(name)
    if target.is_absolute() or not inside(manifest.parent / target, manifest.parent):
        raise fail(f"must be a file in the catalog's own folder ({display_path(manifest.parent)}) or below it, "
                   f"got {name[:80]!r}", "body_file")
    target = manifest.parent / target
    try:
        return read_bytes(target, BODY_FILE_BYTES)
    except OSError as error:
        raise fail(f"cannot read {str(target)!r} ({error.strerror or error})", "body_file") from None
