"""Waivers: reviewed, time-limited exceptions for one clause on some pages.

A waiver names a page (a path glob relative to the waiver file, or a URL
glob), a policy and a clause; it says why and who approved it; and it
expires. It is valid through its ``expires`` date and lapses at 00:00 UTC
the next day, after which the failure fails the run again with a message
naming the waiver. Nothing inside a checked page can waive anything:
partners edit those pages, so only this reviewed file counts.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from compliance.errors import Collector, ConfigError, PolicyError, UsageError, did_you_mean, where
from compliance.inputs.files import WAIVERS_BYTES, read_text
from compliance.text.urls import is_web_url

TODAY_ENV = "COMPLIANCE_TODAY"
REQUIRED = ("page", "policy", "clause", "reason", "approved_by", "expires")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


@dataclass(frozen=True)
class Waiver:
    page: str
    policy: str
    clause: str
    reason: str
    approved_by: str
    expires: date
    file: str
    line: int | None
    base_dir: Path

    def valid_on(self, today: date) -> bool:
        """Valid through the ``expires`` day itself (UTC); expired from the next day on."""
        return today <= self.expires

    def matches_page(self, source: str) -> bool:
        from compliance.ci.baseline import page_key

        if is_web_url(self.page):
            return is_web_url(source) and (_glob(self.page, re.I).match(source) is not None or
                                                 _glob(self.page, re.I).match(page_key(source, self.base_dir))
                                                 is not None)
        if is_web_url(source) or source == "-":
            return False
        if os.path.isabs(self.page):
            return _glob(self.page.replace(os.sep, "/")).match(os.path.abspath(source).replace(os.sep, "/")) is not None
        pattern = self.page[2:] if self.page.startswith("./") else self.page
        return _glob(pattern).match(page_key(source, self.base_dir)) is not None

    def names_a_file(self) -> bool:
        """Whether the page glob matches a file that exists (URL globs: unknown, so True)."""
        if is_web_url(self.page):
            return True
        pattern = self.page[2:] if self.page.startswith("./") else self.page
        pattern = pattern.replace(os.sep, "/")
        base = Path("/") if os.path.isabs(pattern) else self.base_dir
        parts = pattern.strip("/").split("/")
        fixed = next((i for i, part in enumerate(parts) if "*" in part), len(parts))
        top = base.joinpath(*parts[:fixed]) if fixed else base
        if fixed == len(parts):
            return top.is_file()
        regex = _glob(pattern.lstrip("/") if base == Path("/") else pattern)
        for folder, _, files in os.walk(top):
            for name in files:
                rel = os.path.relpath(os.path.join(folder, name), base).replace(os.sep, "/")
                if regex.match(rel):
                    return True
        return False

    def where(self) -> str:
        return where(self.file, self.line)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "page": self.page, "policy": self.policy,
                "clause": self.clause, "reason": self.reason, "approved_by": self.approved_by,
                "expires": self.expires.isoformat()}


def _glob(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``*`` matches within one path segment, ``**`` across segments; everything else is literal."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z", flags)


def today() -> date:
    """Today in UTC; ``COMPLIANCE_TODAY=YYYY-MM-DD`` replaces it, for tests and rehearsing an expiry."""
    forced = os.environ.get(TODAY_ENV, "").strip()
    if forced:
        try:
            return _parse_date(forced)
        except ValueError:
            raise UsageError(f"{TODAY_ENV}={forced!r} is not a date: use YYYY-MM-DD") from None
    return datetime.now(timezone.utc).date()


def _parse_date(text: str) -> date:
    if not _DATE.match(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def load(path: Path, *, on: date, max_days: int | None = None, max_days_source: str = "") -> list[Waiver]:
    """Read and validate a waiver file; every problem in it names file, line and key (exit 2)."""
    from compliance.inputs.yamlpos import dotted, load_located

    file = str(path)
    text = read_text(path, "the waivers", lambda message: ConfigError(message, file=file),
                     missing="the waiver file does not exist", limit=WAIVERS_BYTES)
    if not text.strip():
        return []
    try:
        located = load_located(text, file)
    except PolicyError as exc:
        raise ConfigError.of(exc.problems) from None
    problems = Collector()

    def bad(where: tuple[Any, ...], problem: str) -> None:
        problems.add(ConfigError(problem, file=file, line=located.line(where), column=located.column(where),
                                 key=dotted(where)))

    data = located.data
    if not isinstance(data, dict):
        bad((), "a waiver file is a mapping with one key, 'waivers', holding a list")
        problems.check(ConfigError)
    for key in data:
        if key != "waivers":
            bad((key,), f"unknown key{did_you_mean(key, ['waivers'])} (the file holds only 'waivers')")
    items = data.get("waivers")
    if items is not None and not isinstance(items, list):
        bad(("waivers",), "must be a list of waivers")
        items = None
    out = []
    for index, item in enumerate(items or []):
        at = ("waivers", index)
        if not isinstance(item, dict):
            bad(at, "each waiver is a mapping with " + ", ".join(REQUIRED))
            continue
        unknown = [key for key in item if key not in REQUIRED]
        for key in unknown:
            bad(at + (key,), f"unknown key{did_you_mean(key, REQUIRED)} (a waiver has {', '.join(REQUIRED)})")
        usable = True
        for key in REQUIRED:
            if key not in item:
                near = [k for k in unknown if did_you_mean(k, [key])]
                if not near:  # a misspelt key was reported above, with "did you mean"
                    bad(at, f"missing {key!r}: every waiver needs " + ", ".join(REQUIRED))
                usable = False
            elif key != "expires" and (not isinstance(item[key], str) or not item[key].strip()):
                bad(at + (key,), "must be a non-empty string")
                usable = False
        expires = None
        if "expires" in item:
            try:
                expires = _parse_date(str(item["expires"]).strip())
            except ValueError:
                bad(at + ("expires",), f"{item['expires']!r} is not a calendar date: use YYYY-MM-DD")
        if expires is not None and max_days is not None and (expires - on).days > max_days:
            bad(at + ("expires",), f"{expires.isoformat()} is {(expires - on).days} days from today "
                                   f"({on.isoformat()}); waivers may run at most {max_days} days"
                                   + (f" ({max_days_source})" if max_days_source else ""))
        if usable and expires is not None and not problems:
            out.append(Waiver(page=item["page"].strip(), policy=item["policy"].strip(),
                              clause=item["clause"].strip(), reason=item["reason"].strip(),
                              approved_by=item["approved_by"].strip(), expires=expires, file=file,
                              line=located.line(at), base_dir=path.absolute().parent))
    problems.check(ConfigError)
    return out
