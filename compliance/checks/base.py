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

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from compliance.document.page import Page
from compliance.results.model import ClauseStatus, Evidence

PASS, FAIL, REVIEW = ClauseStatus.PASS, ClauseStatus.FAIL, ClauseStatus.REVIEW


@dataclass(frozen=True)
class Outcome:
    status: ClauseStatus
    message: str
    evidence: tuple[Evidence, ...] = ()

    @property
    def passed(self) -> bool:
        return self.status is PASS


@dataclass
class Context:
    """Everything a check may look at for one page.

    ``authors`` are the original reporter's names when the user (``--author``)
    or a matched original supplied them; ``original`` is the matched original
    article, if any; ``cache`` lets checks share work on the same page (e.g.
    the byline search done for ``byline`` is reused by ``affiliation``).
    """

    page: Page
    authors: tuple[str, ...] = ()
    original: Any = None
    match: Any = None
    originals_given: bool = False  # originals were supplied for this run (so "no match" means not applicable)
    cache: dict[Any, Any] = field(default_factory=dict)

    def field(self, name: str) -> Any:
        """Value of an article-context field for placeholders like ``{original.url}``."""
        if name == "authors":
            return list(self.authors)
        if self.original is None:
            return None
        return getattr(self.original, name, None)


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


REGISTRY: dict[str, Primitive] = {}


def register(name: str, schema: dict[str, Any]) -> Callable[[Callable[..., Check]], Callable[..., Check]]:
    """Register a primitive's builder under ``name``; its docstring is the summary."""

    def wrap(build: Callable[[dict[str, Any], Where], Check]) -> Callable[[dict[str, Any], Where], Check]:
        if name in REGISTRY:
            raise RuntimeError(f"check primitive {name!r} registered twice")
        summary = (build.__doc__ or "").strip().splitlines()[0] if build.__doc__ else ""
        REGISTRY[name] = Primitive(name, summary, schema, build)
        return build

    return wrap
