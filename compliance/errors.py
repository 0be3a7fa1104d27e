"""Errors a user can act on. Each carries its exit code (click's pattern).

    ComplianceError            exit 2, base for everything below
    ├── PolicyError            a policy file is broken: names file, line, key
    └── UsageError             bad command-line or configuration input
        └── ConfigError        a config, baseline or waiver file is broken: names file, line, key
"""

from __future__ import annotations


class ComplianceError(Exception):
    exit_code = 2


class PolicyError(ComplianceError):
    """A policy that cannot be loaded. ``str()`` reads ``file:line: key: problem``."""

    def __init__(self, message: str, *, file: str = "<policy>", line: int | None = None, key: str = ""):
        self.file = file
        self.line = line
        self.key = key
        self.problem = message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


class UsageError(ComplianceError):
    """Bad input on the command line or in a configuration file."""


class ConfigError(UsageError):
    """A configuration, baseline or waiver file that cannot be used. ``str()`` reads ``file:line: key: problem``."""

    def __init__(self, message: str, *, file: str, line: int | None = None, key: str = ""):
        self.file = file
        self.line = line
        self.key = key
        self.problem = message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")
