"""Baselines: record today's failures so that CI fails only on new ones.

A failure is known by its fingerprint: a hash of the policy id, the clause
id, the page (its path relative to the baseline file, or its normalised
URL) and the failure's evidence (the matched text, else the element's
snippet, whitespace collapsed, sorted). Line numbers, XPaths and CSS paths
are left out on purpose: they shift whenever anything above the element
changes, and a baseline must survive edits elsewhere on the page.

The file is JSON, sorted and free of timestamps, so rewriting it without
changes gives the same bytes and a review diff shows only real changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from compliance.atomic import write_atomic
from compliance.errors import Collector, ConfigError, UsageError, did_you_mean
from compliance.inputs.files import BASELINE_BYTES, read_text
from compliance.results.model import ClauseResult
from compliance.text.urls import is_web_url

FORMAT_VERSION = 1
_SPACE = re.compile(r"\s+")
_ENTRY_KEYS = {"page", "policy", "clause", "fingerprint", "severity", "evidence"}


@dataclass(frozen=True)
class Entry:
    """One accepted failure."""

    page: str
    policy: str
    clause: str
    fingerprint: str
    severity: str = ""
    evidence: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page, "policy": self.policy, "clause": self.clause, "fingerprint": self.fingerprint,
                "severity": self.severity, "evidence": list(self.evidence)}


def page_key(source: str, base_dir: Path) -> str:
    """How a page is named in a baseline or matched by a waiver: stable wherever the tool runs from."""
    if source == "-":
        return "-"
    if is_web_url(source):
        from compliance.text.urls import normalize_url

        return normalize_url(source)
    absolute = os.path.abspath(source)
    try:
        rel = os.path.relpath(absolute, base_dir)
    except ValueError:  # another drive
        rel = absolute
    return rel.replace(os.sep, "/")


def evidence_key(clause: ClauseResult) -> tuple[str, ...]:
    """The failure's evidence as compared across runs: text or snippet, whitespace collapsed, sorted."""
    texts = {_SPACE.sub(" ", ev.text or ev.snippet or "").strip() for ev in clause.evidence}
    return tuple(sorted(t for t in texts if t))


def fingerprint(policy: str, clause: str, page: str, evidence: Iterable[str]) -> str:
    data = "\x1f".join((f"v{FORMAT_VERSION}", policy, clause, page, *evidence))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


def base_dir(run: Any) -> Path:
    """The folder page keys are relative to: the baseline file's, else the working directory."""
    report = getattr(run, "suppressions", None)
    if report is not None and report.baseline:
        return Path(report.baseline).absolute().parent
    return Path.cwd()


def entry_for(policy: str, clause: ClauseResult, page: str) -> Entry:
    evidence = evidence_key(clause)
    return Entry(page=page, policy=policy, clause=clause.id, fingerprint=fingerprint(policy, clause.id, page, evidence),
                 severity=clause.severity.value, evidence=evidence)


# -- the file ----------------------------------------------------------------------------------


def load(path: Path) -> list[Entry]:
    file = str(path)
    text = read_text(path, "the baseline", lambda message: ConfigError(message, file=file),
                     missing="the baseline file does not exist (create it with --write-baseline FILE)",
                     limit=BASELINE_BYTES)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"invalid JSON: {exc.msg}", file=file, line=exc.lineno) from None
    if not isinstance(data, dict):
        raise ConfigError("a baseline is a JSON object with 'version' and 'entries'", file=file)
    problems = Collector()

    def bad(problem: str, key: str) -> None:
        problems.add(ConfigError(problem, file=file, key=key))

    for name in sorted(set(data) - {"version", "tool", "entries"}):
        bad(f"unknown key{did_you_mean(name, ['version', 'tool', 'entries'])}", name)
    if data.get("version") != FORMAT_VERSION:
        bad(f"unsupported baseline version {data.get('version')!r} (this tool writes {FORMAT_VERSION})", "version")
    entries = data.get("entries")
    if not isinstance(entries, list):
        bad("must be a list", "entries")
        entries = []
    out = []
    for index, item in enumerate(entries):
        key = f"entries[{index}]"
        if not isinstance(item, dict):
            bad("must be an object", key)
            continue
        for name in sorted(set(item) - _ENTRY_KEYS):
            bad(f"unknown key{did_you_mean(name, _ENTRY_KEYS)}", f"{key}.{name}")
        sound = True
        for name in ("page", "policy", "clause", "fingerprint"):
            if not isinstance(item.get(name), str) or not item[name]:
                bad("must be a non-empty string", f"{key}.{name}")
                sound = False
        evidence = item.get("evidence", [])
        if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
            bad("must be a list of strings", f"{key}.evidence")
            sound = False
        if sound:
            out.append(Entry(page=item["page"], policy=item["policy"], clause=item["clause"],
                             fingerprint=item["fingerprint"], severity=str(item.get("severity", "")),
                             evidence=tuple(evidence)))
    problems.check(ConfigError)
    return out


def dumps(entries: Iterable[Entry]) -> str:
    unique = {(e.page, e.policy, e.clause, e.fingerprint): e for e in entries}
    ordered = [unique[k].to_dict() for k in sorted(unique)]
    data = {"version": FORMAT_VERSION, "tool": "compliance", "entries": ordered}
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write(path: Path, entries: Iterable[Entry]) -> None:
    """Write the baseline whole (a unique temporary file, fsync, rename); hold ``exclusive(path)`` around a
    read-modify-write so that concurrent runs merge instead of overwriting each other."""
    try:
        write_atomic(path, dumps(entries))
    except UsageError as exc:
        raise ConfigError(f"cannot write the baseline: {exc}", file=str(path)) from None
