"""Errors a user can act on. Each carries its exit code (click's pattern).

    ComplianceError            exit 2, base for everything below
    ├── PolicyError            a policy, override or example file is broken: names file, line, key
    ├── UsageError             bad command-line or configuration input
    │   └── ConfigError        a config, baseline or waiver file is broken: names file, line, key
    └── Several                both of the located kinds at once (broken overrides and waivers)

A located error holds one ``Problem`` or several. Files are checked whole and every mistake found is
reported in one run, one ``file:line:col: key: problem`` per line, the way linters report: a file
with three mistakes takes one edit, not three edit-and-run cycles. ``Collector`` gathers them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


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


def where(file: str, line: int | None, column: int | None = None) -> str:
    """``file:line:col``, ``file:line`` or just ``file``: the forms editors and terminals jump to."""
    if not line:
        return file
    return f"{file}:{line}:{column}" if column else f"{file}:{line}"


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when ``word`` is a near miss for one of ``choices``, else ""."""
    found = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {found[0]!r}?)" if found else ""


@dataclass(frozen=True)
class Problem:
    """One mistake at one place in a file."""

    message: str
    file: str
    line: int | None = None
    column: int | None = None
    key: str = ""

    def __str__(self) -> str:
        at = where(self.file, self.line, self.column)
        return f"{at}: {self.key}: {self.message}" if self.key else f"{at}: {self.message}"


class _Located(ComplianceError):
    """Problems at places in files, in file and line order; ``str()`` is one problem per line.

    ``file``, ``line``, ``column``, ``key`` and ``problem`` describe the first one.
    """

    def __init__(self, message: str = "", *, file: str = "", line: int | None = None, column: int | None = None,
                 key: str = "", problems: Iterable[Problem] = ()):
        found = list(problems) or [Problem(message, file, line, column, key)]
        order = {f: i for i, f in enumerate(dict.fromkeys(p.file for p in found))}  # files as first met
        self.problems: tuple[Problem, ...] = tuple(sorted(
            dict.fromkeys(found), key=lambda p: (order[p.file], p.line or 0, p.column or 0)))
        first = self.problems[0]
        self.file, self.line, self.column, self.key, self.problem = (first.file, first.line, first.column,
                                                                      first.key, first.message)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def of(cls, problems: Iterable[Problem]):
        """One error holding every problem given (at least one)."""
        return cls(problems=problems)


class PolicyError(_Located):
    """A policy (or an override file, or an example page's header) that cannot be loaded."""

    def __init__(self, message: str = "", *, file: str = "<policy>", line: int | None = None,
                 column: int | None = None, key: str = "", problems: Iterable[Problem] = ()):
        super().__init__(message, file=file, line=line, column=column, key=key, problems=problems)


class UsageError(ComplianceError):
    """Bad input on the command line or in a configuration file."""


class ConfigError(_Located, UsageError):
    """A configuration, baseline or waiver file that cannot be used."""


class Collector:
    """Problems gathered while files are read, so that one run reports them all."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.kind: type[_Located] = PolicyError

    def add(self, error: _Located | Problem) -> None:
        if isinstance(error, _Located):
            self.problems.extend(error.problems)
            if isinstance(error, ConfigError):
                self.kind = ConfigError
        else:
            self.problems.append(error)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def check(self, kind: type[_Located] | None = None) -> None:
        """Raise one error holding every problem gathered, if there is any."""
        if self.problems:
            raise (kind or self.kind).of(self.problems)


class Several(ComplianceError):
    """Located errors of different kinds found in one run (an override and a waiver file, say), kept apart
    so that each problem is still reported as the kind it is."""

    def __init__(self, errors: Iterable[_Located]):
        self.errors: tuple[_Located, ...] = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def raise_all(errors: Iterable[_Located | None]) -> None:
    """Raise what was found: nothing, the one error, or ``Several``."""
    found = [e for e in errors if e is not None]
    if len(found) == 1:
        raise found[0]
    if found:
        raise Several(found)
