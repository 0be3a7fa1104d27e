"""What every check primitive shares: its result, its context, its registry entry.

A primitive is registered with a name, a JSON Schema for its options and a
``build`` function. ``build`` turns validated options into a ``Check``
object once, at policy load time (regexes and selectors are compiled there,
so a bad one is reported with file and line). ``Check.evaluate`` runs per
page and returns an ``Outcome``: a verdict, a full-sentence message and
evidence. The engine, not the check, adds clause id, severity and
remediation.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Protocol

from compliance.document.page import Page
from compliance.results.model import ClauseStatus, Evidence

if TYPE_CHECKING:  # the matching code pulls in rapidfuzz: named for the types only
    from compliance.document.article import Article
    from compliance.originals.matching import Match

PASS, FAIL, REVIEW = ClauseStatus.PASS, ClauseStatus.FAIL, ClauseStatus.REVIEW


@dataclass(frozen=True)
class Outcome:
    """A check's verdict, explained.

    ``cause`` names the problem behind a failure (two checks that fail for the same reason give the
    same key, e.g. "no byline naming Jane Doe"); ``instead`` is the one sentence this failure says
    when another clause on the page already fails for that cause and explains it (the affiliation
    on a missing byline), so that one problem is explained once (``compliance.engine``).
    """

    status: ClauseStatus
    message: str
    evidence: tuple[Evidence, ...] = ()
    cause: str = ""
    instead: str = ""

    @property
    def passed(self) -> bool:
        return self.status is PASS


@dataclass
class Context:
    """Everything a check may look at for one page.

    What the user asserted and what was inferred stay apart: ``authors`` are the reporters named with
    ``--author``; ``original`` is the licensor's story the page was matched to (its authors inferred
    from it), and ``match`` how it was matched. ``reporters`` is who a byline must name: the asserted
    authors, else the original's. Work shared between checks is cached on the page (``Page.derive``).
    """

    page: Page
    authors: tuple[str, ...] = ()
    original: Article | None = None
    match: Match | None = None
    originals_given: bool = False  # originals were supplied for this run (so "no match" means not applicable)

    @property
    def reporters(self) -> tuple[str, ...]:
        """The article's reporters: asserted with --author, else inferred from the matched original."""
        if self.authors:
            return self.authors
        return tuple(self.original.authors) if self.original is not None else ()

    def field(self, name: str) -> Any:
        """Value of an article-context field for placeholders like ``{original.url}``."""
        if name == "authors":
            return list(self.reporters)
        if self.original is None:
            return None
        return getattr(self.original, name, None)


def looked_for(check: Any) -> str:
    """The exact patterns a check (and the checks inside it) looked for: "src: /…/ or “…”; alt: …".

    The messages say in words what was looked for; this is the record for --verbose and the JSON
    evidence, read from the check's own fields so that no primitive has to write it out.
    """
    from dataclasses import fields, is_dataclass

    from compliance.checks.options import PatternList

    parts: list[str] = []

    def walk(value: Any, name: str, depth: int) -> None:
        if depth > 8:
            return
        if isinstance(value, PatternList):
            parts.append(f"{name}: {value.exact()}")
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
                    walk(item[1], f"{name} {item[0]}".strip(), depth + 1)  # element attributes: (name, patterns)
                else:
                    walk(item, name, depth + 1)
        elif is_dataclass(value) and not isinstance(value, type):
            for f in fields(value):
                walk(getattr(value, f.name), f.name, depth + 1)

    walk(check, "", 0)
    return "; ".join(dict.fromkeys(parts))


class Check(Protocol):
    def evaluate(self, ctx: Context) -> Outcome: ...

    def describe(self) -> str:
        """The requirement in plain words, for ``policy show``."""
        ...


class Where(Protocol):
    """Where in a policy file an option sits: raises PolicyError naming file, line and key, and builds the
    checks nested there (so a combinator never imports the policy loader)."""

    def error(self, key: str, message: str) -> Exception: ...

    def child(self, *keys: Any) -> "Where": ...

    def build(self, spec: Any) -> "Check": ...


@dataclass(frozen=True)
class Primitive:
    name: str
    summary: str
    schema: dict[str, Any]
    build: Callable[[dict[str, Any], Where], Check]


class Registry(Mapping[str, Primitive]):
    """The check primitives by name, each module imported the first time one of its primitives is asked for.

    The names, and the module each lives in, are declared up front (``compliance.checks.PRIMITIVES``),
    so listing them, ``in`` and a policy's spelling checks import nothing; a module registers its
    primitives' schema and builder itself (``register``) when it is imported. A one-page check under
    one policy then loads only the primitives that policy uses: every check module together costs a
    process about 40 ms of start-up. Iterating ``items()`` or ``values()`` loads them all.
    """

    def __init__(self) -> None:
        self._modules: dict[str, str] = {}
        self._loaded: dict[str, Primitive] = {}

    def declare(self, modules: Mapping[str, str]) -> None:
        """Name the primitives that exist: primitive name -> the module that registers it."""
        self._modules.update(modules)

    def add(self, primitive: Primitive, module: str) -> None:
        name = primitive.name
        if self._modules.get(name) != module:
            raise RuntimeError(f"check primitive {name!r} registered by {module}, but compliance.checks.PRIMITIVES "
                               f"says {self._modules.get(name) or 'nothing'}: declare it there")
        if name in self._loaded:
            raise RuntimeError(f"check primitive {name!r} registered twice")
        self._loaded[name] = primitive

    def __getitem__(self, name: str) -> Primitive:
        if name not in self._loaded:
            importlib.import_module(self._modules[name])  # KeyError for a name nobody declared
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)

    def __contains__(self, name: object) -> bool:
        return name in self._modules

    def load_all(self) -> None:
        """Import every primitive's module now (a long-lived process, before its first request)."""
        for name in self._modules:
            self[name]


REGISTRY = Registry()


def register(name: str, schema: dict[str, Any]) -> Callable[[Callable[..., Check]], Callable[..., Check]]:
    """Register a primitive's builder under ``name``; its docstring is the summary."""

    def wrap(build: Callable[[dict[str, Any], Where], Check]) -> Callable[[dict[str, Any], Where], Check]:
        summary = (build.__doc__ or "").strip().splitlines()[0] if build.__doc__ else ""
        REGISTRY.add(Primitive(name, summary, schema, build), build.__module__)
        return build

    return wrap
