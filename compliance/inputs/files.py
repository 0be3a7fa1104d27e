"""Local files the user names that are not pages: policies, overrides, configuration, baselines, waivers.

Every such file is read here, so each read fails the same way: with an error that names the file (as
the user would write it) and says why, never with a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when that is shorter to read."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith(".." + os.sep + "..") else str(path)


def read_text(path: Path, what: str, fail: Callable[[str], Exception], missing: str | None = None) -> str:
    """The UTF-8 text of ``path``; else ``fail(message)`` is raised, saying why ``what`` cannot be read.

    ``missing`` replaces the message when the file does not exist (e.g. how to create it).
    """
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise fail(missing or f"cannot read {what}: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read {what}: {exc}") from None
