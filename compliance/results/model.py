"""The result model: one plain data type per level, read by every reporter.

A run produces ``RunResult``; it holds one ``PageResult`` per page x policy,
and each of those holds one ``ClauseResult`` per clause. Checks never build
these directly: they return an ``Outcome`` (see ``compliance.checks.base``)
and the engine stamps clause identity, severity and remediation onto it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Iterable


class Severity(str, Enum):
    """How serious a failed clause is; set by the policy, never by a check."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class ClauseStatus(str, Enum):
    """Verdict for one clause on one page (axe-core's four buckets plus error, and two excused failures)."""

    PASS = "pass"
    FAIL = "fail"
    REVIEW = "review"  # the checker cannot decide; a person must look
    NOT_APPLICABLE = "not_applicable"
    ERROR = "error"  # the check itself could not run
    WAIVED = "waived"  # failed, but a valid waiver excuses it until it expires
    BASELINED = "baselined"  # failed, but the same failure is recorded in the baseline


class PageStatus(str, Enum):
    """Verdict for one page under one policy."""

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    ERROR = "error"


@dataclass(frozen=True)
class Evidence:
    """Where something was found (or looked for) in a page.

    ``line`` is the 1-based source line of the element and ``column`` where
    its start tag begins on that line (together: ``path:line:col``), ``xpath``
    a stable path from ``getroottree().getpath()``, ``css`` a readable selector
    path, ``snippet`` a short excerpt of the element's source (never rendered
    as HTML by a reporter), ``text`` the normalised visible text that matched,
    and ``note`` one sentence saying what this piece of evidence shows.
    ``kind`` is "looked_for" for the record of what a check searched for (its
    patterns, exactly), which the text output shows only with --verbose.
    """

    note: str
    line: int | None = None
    xpath: str | None = None
    css: str | None = None
    snippet: str | None = None
    text: str | None = None
    column: int | None = None
    kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Suppression:
    """Why a failed clause does not fail the run, or (``expired``) is no longer excused.

    ``kind`` is "baseline" (the failure was recorded with ``--write-baseline``)
    or "waiver" (a reviewed exception: ``reason``, ``approved_by``, ``expires``
    and the entry's ``line`` come from the waiver file). An expired waiver
    leaves the clause failing; the record says which waiver lapsed.
    """

    kind: str
    file: str
    fingerprint: str = ""
    line: int | None = None
    reason: str = ""
    approved_by: str = ""
    expires: str = ""
    expired: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None and v != ""}


@dataclass(frozen=True)
class ClauseResult:
    """The verdict on one clause, explained."""

    id: str
    title: str
    status: ClauseStatus
    severity: Severity
    message: str
    remediation: str
    term: str = ""  # the license wording the clause encodes
    evidence: tuple[Evidence, ...] = ()
    suppression: Suppression | None = None  # set by a baseline or waiver file (compliance.ci.suppress)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "title": self.title,
            "status": self.status.value,
            "severity": self.severity.value,
            "message": self.message,
            "remediation": self.remediation,
            "term": self.term,
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.suppression is not None:
            out["suppression"] = self.suppression.to_dict()
        return out


@dataclass(frozen=True)
class PolicyRef:
    """What a report needs to know about the policy a page was checked against."""

    id: str
    title: str
    licensor: str
    terms_url: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Capture:
    """The bytes a verdict was reached on: their SHA-256, size and read time, and where a copy is kept.

    ``archive``/``offset``/``length``/``record_id`` point at the page's WARC record (``--archive``),
    the way a CDX index does; ``records`` carries that record, built where the page was read, to the
    process that appends it to the archive (it never reaches a report). Not part of the JSON output.
    """

    sha256: str
    length: int
    fetched_at: str  # ISO 8601, UTC
    archive: str | None = None
    offset: int | None = None
    record_length: int | None = None
    record_id: str | None = None
    records: Any = field(default=None, repr=False)  # an inputs.archive.Record, until it is appended


@dataclass(frozen=True)
class PageResult:
    """All clause verdicts for one page under one policy.

    ``source`` is the path or URL exactly as the user gave it (or as found
    when a directory or glob was expanded); ``message`` explains an ``error``
    or ``not_applicable`` status; ``context`` records the article context the
    page was checked with (authors, matched original); ``capture`` the
    bytes that were checked (the results store and evidence bundles read it).
    """

    source: str
    policy: PolicyRef
    status: PageStatus
    clauses: tuple[ClauseResult, ...] = ()
    message: str = ""
    encoding: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    capture: Capture | None = field(default=None, compare=False)  # what was read; None when nothing was

    @property
    def applicable(self) -> bool:
        """The page republishes this policy's licensor's story: its clauses were checked against the terms."""
        if self.status is PageStatus.NOT_APPLICABLE:
            return False
        if not self.clauses:  # a page that could not be read is not known to be one; a policy without clauses is
            return self.status is not PageStatus.ERROR
        return any(c.status is not ClauseStatus.NOT_APPLICABLE for c in self.clauses)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in ClauseStatus}
        for c in self.clauses:
            out[c.status.value] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "policy": self.policy.id,
            "policy_title": self.policy.title,
            "licensor": self.policy.licensor,
            "terms_url": self.policy.terms_url,
            "status": self.status.value,
            "message": self.message,
            "encoding": self.encoding,
            "context": self.context,
            "counts": self.counts(),
            "clauses": [c.to_dict() for c in self.clauses],
        }


@dataclass(frozen=True)
class SuppressionReport:
    """What the baseline and waiver files did beyond the clauses they excused.

    ``fixed``: baseline entries whose clause now passes; ``stale``: baseline
    entries that match nothing checked (the file can shrink);
    ``unmatched_waivers``: waivers that excused no failure. Entries are plain
    dicts, exactly as they appear in the JSON output.
    """

    baseline: str | None = None
    waivers: str | None = None
    today: str = ""
    fixed: tuple[dict[str, Any], ...] = ()
    stale: tuple[dict[str, Any], ...] = ()
    unmatched_waivers: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"baseline": self.baseline, "waivers": self.waivers, "today": self.today,
                "fixed": list(self.fixed), "stale": list(self.stale),
                "unmatched_waivers": list(self.unmatched_waivers)}


@dataclass(frozen=True)
class RunResult:
    """Everything one ``compliance check`` run found, in input order."""

    pages: tuple[PageResult, ...]
    policies: tuple[PolicyRef, ...] = ()
    tool_version: str = ""
    suppressions: SuppressionReport | None = None  # present when a baseline or waiver file was used

    def summary(self) -> dict[str, Any]:
        tally = Tally(p.id for p in self.policies)
        for page in self.pages:
            tally.add(page)
        return tally.summary()

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "tool": {"name": "compliance", "version": self.tool_version},
            "policies": [p.to_dict() for p in self.policies],
            "summary": self.summary(),
            "pages": [p.to_dict() for p in self.pages],
            **({"suppressions": self.suppressions.to_dict()} if self.suppressions is not None else {}),
        }


class Tally:
    """A run's summary, counted as results arrive, so a streamed run never needs all its pages at once.

    ``add`` takes each ``PageResult`` in run order; ``summary()`` is the
    ``summary`` object of the JSON output (``RunResult.summary`` is a Tally
    over its pages, so the two cannot drift apart). Sources are counted as
    changes of ``source`` between consecutive results: a page's results under
    each policy come together, and inputs are de-duplicated before a run.
    """

    def __init__(self, policies: Iterable[str] = ()) -> None:
        self.results = 0
        self.applicable = {p: 0 for p in policies}  # policy -> pages republishing its licensor's story
        self.not_republications = 0  # sources that no policy applied to
        self._last_inapplicable = False
        self.sources = 0
        self.pages = {s.value: 0 for s in PageStatus}
        self.clauses = {s.value: 0 for s in ClauseStatus}
        self.failures: dict[str, int] = {}
        self.kinds = {"new": 0, "expired": 0, "baselined": 0, "waived": 0}
        self.needs_review = 0
        self._last_source: str | None = None

    def add(self, page: PageResult) -> None:
        self.results += 1
        if page.source != self._last_source:
            self.sources += 1
            self._last_source = page.source
            self.not_republications += self._last_inapplicable
            self._last_inapplicable = True
        self.applicable[page.policy.id] = self.applicable.get(page.policy.id, 0) + page.applicable
        self._last_inapplicable = self._last_inapplicable and page.status is PageStatus.NOT_APPLICABLE
        self.pages[page.status.value] += 1
        review = False
        for clause in page.clauses:
            self.clauses[clause.status.value] += 1
            review = review or clause.status is ClauseStatus.REVIEW
            if clause.status is ClauseStatus.FAIL:
                key = f"{page.policy.id}/{clause.id}"
                self.failures[key] = self.failures.get(key, 0) + 1
                self.kinds["expired" if clause.suppression and clause.suppression.expired else "new"] += 1
            elif clause.status in (ClauseStatus.BASELINED, ClauseStatus.WAIVED):
                self.kinds[clause.status.value] += 1
        self.needs_review += page.status is PageStatus.PASS and review

    @property
    def failed_pages(self) -> int:
        return self.pages[PageStatus.FAIL.value]

    def summary(self) -> dict[str, Any]:
        return {"results": self.results, "sources": self.sources, "pages": dict(self.pages),
                "pages_needing_review": self.needs_review, "clauses": dict(self.clauses),
                "failures_by_clause": dict(sorted(self.failures.items())), "failures": dict(self.kinds),
                "applicable": dict(self.applicable),
                "not_republications": self.not_republications + self._last_inapplicable,
                "empty": self.results > 0 and not any(self.applicable.values())
                and self.pages[PageStatus.NOT_APPLICABLE.value] > 0}
