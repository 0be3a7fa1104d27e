"""The built-in policies shipped in ``rules/``, and the rule that tells a policy name from a file."""

from __future__ import annotations

from pathlib import Path

from compliance.errors import PolicyError
from compliance.resources import data_dir


def rules_dir() -> Path:
    """Built-in policies: shipped inside the package when installed, else the repository's rules/."""
    return data_dir("rules")


def builtin_names() -> list[str]:
    return sorted(p.stem for p in rules_dir().glob("*.yaml"))


def looks_like_file(spec: str) -> bool:
    """A slash or a YAML suffix means a policy file; anything else may name a built-in policy."""
    return "/" in spec or spec.endswith((".yaml", ".yml"))


def builtin_path(name: str) -> Path | None:
    """The file of the built-in policy ``name``, or None when there is none by that name."""
    candidate = rules_dir() / f"{name}.yaml"
    return candidate if not looks_like_file(name) and candidate.is_file() else None


def is_builtin_file(path: Path) -> bool:
    """Whether ``path`` is one of the shipped policy files, however it was named."""
    try:
        return path.suffix == ".yaml" and path.resolve().parent == rules_dir().resolve()
    except (OSError, RuntimeError):
        return False


def resolve(name_or_path: str) -> Path:
    """A policy name (``dcnf``) is looked up among the built-ins first; anything else is a path."""
    builtin = builtin_path(name_or_path)
    if builtin is not None:
        return builtin
    path = Path(name_or_path)
    if path.is_file():
        return path
    known = ", ".join(builtin_names())
    raise PolicyError(f"no built-in policy or file named {name_or_path!r} (built-in: {known})", file=name_or_path)
