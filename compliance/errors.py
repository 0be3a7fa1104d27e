"""Errors a user can act on. Each carries its exit code (click's pattern).

    ComplianceError            exit 2, base for everything below
    ├── PolicyError            a policy file is broken: names file, line, key
    └── UsageError             bad command-line or configuration input
        └── ConfigError        a config, baseline or waiver file is broken: names file, line, key
"""

from __future__ import annotations


class ComplianceError(Exception):
    exit_code = 2


def kind_of(value: object, mapping: str = "a mapping") -> str:
    """What a value from a YAML, TOML or JSON file is, for "expected X, got Y" messages."""
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})" if value.strip() else "an empty string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return mapping
    if value is None:
        return "nothing (null)"
    return type(value).__name__


def where(file: str, line: int | None) -> str:
    """``file:line``, or just ``file`` when the line is unknown."""
    return f"{file}:{line}" if line else file


class _Located(ComplianceError):
    """A problem at a place in a file. ``str()`` reads ``file:line: key: problem``."""

    def __init__(self, message: str, *, file: str, line: int | None = None, key: str = ""):
        self.file = file
        self.line = line
        self.key = key
        self.problem = message
        at = where(file, line)
        super().__init__(f"{at}: {key}: {message}" if key else f"{at}: {message}")


class PolicyError(_Located):
    """A policy that cannot be loaded."""

    def __init__(self, message: str, *, file: str = "<policy>", line: int | None = None, key: str = ""):
        super().__init__(message, file=file, line=line, key=key)


class UsageError(ComplianceError):
    """Bad input on the command line or in a configuration file."""


class ConfigError(_Located, UsageError):
    """A configuration, baseline or waiver file that cannot be used."""
