"""Fixed RunResults for the reporter tests: built by hand so that golden files never depend on the checker."""

from __future__ import annotations

from datetime import datetime, timezone

from compliance.reporters import ReportOptions
from compliance.results.model import (
    ClauseResult,
    ClauseStatus,
    Evidence,
    PageResult,
    PageStatus,
    PolicyRef,
    RunResult,
    Severity,
    Suppression,
)

FIXED = ReportOptions(timestamp=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc), hostname="ci-host")

DCNF = PolicyRef(id="dcnf", title="Daily Caller News Foundation republication terms",
                 licensor="Daily Caller News Foundation", terms_url="https://dailycallernewsfoundation.org/")
DEMO = PolicyRef(id="demo", title="Demo wire terms", licensor="Demo Wire", terms_url="https://example.org/terms")

BYLINE = Evidence(note="Jane Doe's byline, without the affiliation.", line=15, column=3, xpath="/html/body/article/p[1]",
                  css="html > body > article > p:nth-of-type(1)", snippet='<p class="byline">By Jane Doe</p>',
                  text="By Jane Doe")


def _clause(id: str, status: ClauseStatus, severity: Severity = Severity.ERROR, message: str = "",
            remediation: str = "", evidence: tuple[Evidence, ...] = (), title: str | None = None,
            term: str = "") -> ClauseResult:
    return ClauseResult(id=id, title=title if title is not None else id.capitalize(), status=status,
                        severity=severity, message=message or f"{id}: {status.value}.", remediation=remediation,
                        term=term or f"Keep the {id}.", evidence=evidence)


def sample_run() -> RunResult:
    """Every verdict and severity once, over two policies, with text that needs escaping in each format."""
    P, F, R, N, E = (ClauseStatus.PASS, ClauseStatus.FAIL, ClauseStatus.REVIEW, ClauseStatus.NOT_APPLICABLE,
                     ClauseStatus.ERROR)
    logo_ok = _clause("logo", P, message="Found the logo: <img> at line 14.", title="DCNF logo",
                      evidence=(Evidence(note="The logo.", line=14, snippet='<img src="/img/dcnf.png" alt="DCNF">'),))
    pages = (
        PageResult(source="site/pass.html", policy=DCNF, status=PageStatus.PASS, message="Every clause passed.",
                   encoding="utf-8", context={"authors": ["Jane Doe"]},
                   clauses=(logo_ok, _clause("byline", P, title="Reporter's byline"))),
        PageResult(
            source="site/fail.html", policy=DCNF, status=PageStatus.FAIL, encoding="utf-8",
            message="1 clause(s) failed: affiliation.", context={"authors": ["Jane Doe"]},
            clauses=(
                logo_ok,
                _clause("byline", P, title="Reporter's byline"),
                _clause("affiliation", F, title="Reporter's DCNF affiliation",
                        message="The byline “By Jane Doe” (line 15) names Jane Doe but not the affiliation | "
                                "*DCNF* <b>.",
                        remediation='Add the affiliation to the byline, e.g. "By Jane Doe, DCNF".',
                        term="All republished articles must include ... their DCNF affiliation",
                        evidence=(BYLINE, Evidence(note="No line for this one."))),
            )),
        PageResult(source="site/review.html", policy=DCNF, status=PageStatus.PASS, encoding="utf-8",
                   message="1 clause(s) need review: logo.",
                   clauses=(_clause("logo", R, title="DCNF logo", message="An unidentified image links to the "
                                    "licensor: is it the logo?", remediation="Give the logo alt text.",
                                    evidence=(Evidence(note="Unidentified image.", line=9, snippet="<img src=a.png>"),)),
                            _clause("byline", P, title="Reporter's byline"))),
        PageResult(source="site/excused.html", policy=DCNF, status=PageStatus.PASS, message="Every clause passed.",
                   clauses=(
                       ClauseResult(id="logo", title="DCNF logo", status=ClauseStatus.WAIVED, severity=Severity.ERROR,
                                    message="No visible logo was found.", remediation="Add the logo.",
                                    suppression=Suppression(kind="waiver", file="waivers.yaml", line=4,
                                                            reason="Print-only edition", approved_by="Ed",
                                                            expires="2026-12-31")),
                       ClauseResult(id="byline", title="Reporter's byline", status=ClauseStatus.BASELINED,
                                    severity=Severity.ERROR, message="No byline.", remediation="Add the byline.",
                                    suppression=Suppression(kind="baseline", file="baseline.json",
                                                            fingerprint="abc123")),
                   )),
        PageResult(source="site/missing.html", policy=DCNF, status=PageStatus.ERROR,
                   message="The file does not exist: site/missing.html"),
        PageResult(source="site/other.html", policy=DCNF, status=PageStatus.NOT_APPLICABLE,
                   message="Not applicable: the page does not look like a DCNF republication.",
                   clauses=(_clause("logo", N, title="DCNF logo", message="The policy does not apply to this page."),)),
        PageResult(
            source="https://news.example.com/a,b:c?x=1%20", policy=DEMO, status=PageStatus.FAIL,
            message="2 clause(s) failed: credit, pixel.",
            clauses=(
                _clause("credit", F, Severity.WARNING, title="Credit line",
                        message="No credit line: 100% missing,\r\nsee: the footer.",
                        remediation="Add “Originally published by Demo Wire”.",
                        evidence=(Evidence(note="Footer without credit.", line=40, snippet="<footer>© Site</footer>",
                                           xpath="/html/body/footer"),)),
                ClauseResult(id="pixel", title="Tracking pixel", status=F, severity=Severity.INFO,
                             message="No tracking pixel.", remediation="Add the pixel from the republish button.",
                             suppression=Suppression(kind="waiver", file="waivers.yaml", reason="Pixel blocked",
                                                     expires="2025-01-01", expired=True)),
                _clause("headline", E, title="Headline unchanged",
                        message="The check could not run (ValueError: bad regex)."),
            )),
    )
    return RunResult(pages=pages, policies=(DCNF, DEMO), tool_version="9.9.9")


HOSTILE = '"><img src=x onerror=alert(1)><script>alert("x")</script>'


def hostile_run() -> RunResult:
    """Page-controlled text in every field a report prints, including javascript: URLs."""
    bad_policy = PolicyRef(id=f"p{HOSTILE}", title=f"Terms {HOSTILE}", licensor=f"Lic {HOSTILE}",
                           terms_url="javascript:alert(document.cookie)")
    ev = Evidence(note=f"note {HOSTILE}", line=3, xpath=f"/html/{HOSTILE}", css="a[href='javascript:alert(1)']",
                  snippet=f'<a href="javascript:alert(1)" onclick="alert(2)">{HOSTILE}</a>', text=HOSTILE)
    clauses = tuple(
        ClauseResult(id=f"c{i}{HOSTILE}", title=f"T {HOSTILE}", status=status, severity=Severity.ERROR,
                     message=f"M {HOSTILE} \x00\x0b\ud800 javascript:alert(1)", remediation=f"R {HOSTILE}",
                     term=f"Term {HOSTILE}", evidence=(ev,))
        for i, status in enumerate(ClauseStatus))
    pages = (
        PageResult(source=f"javascript:alert(1)//{HOSTILE}.html", policy=bad_policy, status=PageStatus.FAIL,
                   clauses=clauses, message=f"msg {HOSTILE}", context={"authors": [HOSTILE]}),
        PageResult(source=" JaVaScRiPt:alert(1)", policy=bad_policy, status=PageStatus.ERROR, message=HOSTILE),
        PageResult(source=f"https://example.com/{HOSTILE}", policy=bad_policy, status=PageStatus.PASS,
                   clauses=(ClauseResult(id="ok", title="ok", status=ClauseStatus.PASS, severity=Severity.INFO,
                                         message=HOSTILE, remediation="", evidence=(ev,)),)),
    )
    return RunResult(pages=pages, policies=(bad_policy,), tool_version=HOSTILE)
