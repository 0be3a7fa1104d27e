"""Where the built-in policies (rules/) and report templates (reports/) live.

Installed from a wheel they sit inside the package (``compliance/_data``);
in a source checkout or an editable install they are the repository's own
top-level folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
SCHEMA_DIR = _PACKAGE / "schema"  # JSON Schemas shipped with the package
SOURCE_README = _PACKAGE.parent / "README.md"  # the repository's README (source checkouts only)


def data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def homepage() -> str:
    """The project's home page, as declared once in pyproject.toml ([project.urls] Homepage); "" if unknown."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("compliance").get_all("Project-URL") or []
    except PackageNotFoundError:  # pragma: no cover - running from a tree that was never installed
        return ""
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "homepage":
            return url.strip()
    return ""
