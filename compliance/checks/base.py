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
