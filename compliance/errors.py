"""Errors a user can act on. Each carries its exit code (click's pattern).

    ComplianceError            exit 2, base for everything below
    ├── PolicyError            a policy file is broken: names file, line, key
    └── UsageError             bad command-line or configuration input
        └── ConfigError        a config, baseline or waiver file is broken: names file, line, key
"""

from __future__ import annotations


class ComplianceError(Exception):
    exit_code = 2


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
