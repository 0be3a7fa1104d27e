"""``compliance policy init``: write a starting policy and example pages for a new licensor.

The policy is built from a few facts a licensor's terms usually state (its
name and site, the logo, the byline form, a credit line, a tracking pixel).
The example pages are made from the same facts, so the new policy passes
``compliance policy test`` at once; the author then replaces them with real
pages and the TODOs with the license's own words.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from compliance.errors import UsageError

ARTICLE_SCOPE = '["[itemprop=articleBody]", article, "main, [role=main]", body]'


@dataclass
class Answers:
    """What ``policy init`` asks for; empty strings and lists mean "this policy has no such clause"."""

    id: str
    licensor: str
    terms_url: str
    site: str = ""                # licensor's domain, e.g. example.org: the link clause
    byline: str = ""              # the byline form, e.g. "Author Name, Example News"
    credit: str = ""              # a required credit line, e.g. "Originally published by Example News"
    credit_position: str = "anywhere"
    logo: list[str] = field(default_factory=list)  # logo file-name fragments or alt text
    pixel: str = ""               # tracking pixel URL (or a distinctive part of it)

    def validate(self) -> None:
        from compliance.policy.schema import POLICY_ID

        if not re.match(POLICY_ID, self.id or ""):
            raise UsageError(f"policy id {self.id!r} must be lowercase words joined by '-' (e.g. example-news)")
        if not self.licensor.strip():
            raise UsageError("the licensor's name is required")
        if not re.match(r"^https?://", self.terms_url or ""):
            raise UsageError(f"the terms URL must start with http:// or https:// (got {self.terms_url!r})")
        if self.credit_position not in ("top", "bottom", "anywhere"):
            raise UsageError("the credit position must be top, bottom or anywhere")
        self.site = _domain(self.site)

    @property
    def affiliation(self) -> str:
        """What the byline form puts beside the author's name: "Author Name, X" → X."""
        form = self.byline.strip()
        for sep in (",", "|", "—", " - ", " of "):
            if sep in form:
                return form.split(sep, 1)[1].strip()
        return ""


def _domain(value: str) -> str:
    value = value.strip().lower()
    value = re.sub(r"^https?://", "", value)
    value = value.split("/", 1)[0]
    return value[4:] if value.startswith("www.") else value


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def policy_yaml(a: Answers, schema_ref: str) -> str:
    """The policy file's text: every clause carries TODOs for the license's own wording."""
    today = _dt.date.today().isoformat()
    out = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"id: {a.id}",
        f"title: {_q(a.licensor + ' republication terms')}",
        f"licensor: {_q(a.licensor)}",
        f"terms_url: {_q(a.terms_url)}",
        f"retrieved: {_q(today)}",
        "description: >-",
        f"  TODO: summarise what {a.licensor} asks of republishers, in plain words, and say where",
        "  each clause's reading comes from.",
        "",
        "# Pages that say they republish the licensor's story are in scope: a credit line or byline crediting",
        "# it (not a mere mention or link in the text), its logo or pixel, a canonical link to its site.",
        "applies_to:",
        "  any:",
    ]
    names = [_q(n) for n in dict.fromkeys(x for x in (a.licensor, a.affiliation) if x)]
    out.append(f"    - credit: {{names: [{', '.join(names)}]" + (f", site: {_q(a.site)}}}" if a.site else "}"))
    if a.logo:
        patterns = ", ".join(_q(p) for p in a.logo)
        out.append(f"    - logo: {{src: [{patterns}], alt: [{patterns}]}}")
    if a.pixel:
        out.append(f"    - element: {{selector: \"img, script\", attributes: {{src: {_q(a.pixel)}}}, visible: any}}")
    if a.site:
        out.append(f"    - meta: {{rel: canonical, value: {_q(a.site)}}}")
    out += ["", "clauses:"]

    def clause(cid: str, title: str, severity: str, description: str, remediation: str, check: list[str]) -> None:
        out.extend([
            f"  {cid}:",
            f"    title: {_q(title)}",
            f"    severity: {severity}",
            "    term: \"TODO: the license's wording for this requirement\"",
            f"    source: {_q(a.terms_url)}",
            "    certainty: stated",
            f"    description: {_q(description)}",
            f"    remediation: {_q(remediation)}",
            "    check:",
            *("      " + line for line in check),
            "",
        ])

    if a.byline:
        if a.affiliation:
            clause("byline", f"Reporter and {a.affiliation} in the byline", "error",
                   f"A visible byline names the reporter with \"{a.affiliation}\" attached to it.",
                   f"Write the byline as \"{a.byline}\".",
                   [f"byline: {{affiliation: [{_q(a.affiliation)}]}}"])
        else:
            clause("byline", "Reporter's byline", "error", "A visible byline names the reporter.",
                   "Keep the original reporter's byline.", ["byline: {}"])
    if a.credit:
        where = {"top": "at the top of the story", "bottom": "at the end of the story",
                 "anywhere": "on the page"}[a.credit_position]
        check = ["text:", f"  patterns: [{_q(a.credit)}]"]
        if a.credit_position != "anywhere":
            check += [f"  within: {ARTICLE_SCOPE}", f"  position: {a.credit_position}"]
        clause("credit-line", "Credit line", "error", f"The credit line \"{a.credit}\" appears {where}.",
               f"Add \"{a.credit}\" {where}.", check)
    if a.site:
        clause("link", f"Link to {a.licensor}", "error", f"A visible link to {a.site}.",
               f"Link the credit to the original story on {a.site}.", [f"link: {{href: {_q(a.site)}}}"])
    if a.logo:
        patterns = ", ".join(_q(p) for p in a.logo)
        clause("logo", f"{a.licensor} logo", "error",
               "A visible logo image whose file name or alt text identifies the licensor.",
               f"Show the {a.licensor} logo near the story, with alt text naming {a.licensor}.",
               [f"logo: {{src: [{patterns}], alt: [{patterns}]}}"])
    if a.pixel:
        clause("pixel", "Tracking pixel", "error", "The licensor's tracking image or script is on the page.",
               "Keep the tracking code from the licensor's republish HTML; make sure the CMS does not strip it.",
               ["element:", "  selector: \"img, script\"", f"  attributes: {{src: {_q(a.pixel)}}}", "  visible: any"])
    out.extend([
        "  other-terms:",
        "    title: Terms a person checks",
        "    severity: info",
        "    term: \"TODO: terms that cannot be seen on a page (no sale, no edits, eligibility)\"",
        f"    source: {_q(a.terms_url)}",
        "    certainty: stated",
        "    check:",
        "      manual: {note: \"TODO: what a person must verify.\"}",
    ])
    return "\n".join(out) + "\n"


def _clauses(a: Answers) -> list[str]:
    ids = []
    if a.byline:
        ids.append("byline")
    if a.credit:
        ids.append("credit-line")
    if a.site:
        ids.append("link")
    if a.logo:
        ids.append("logo")
    if a.pixel:
        ids.append("pixel")
    return ids


def _pixel_url(pixel: str) -> str:
    return pixel if re.match(r"^https?://", pixel) else "https://" + pixel.lstrip("/")


def example_pages(a: Answers) -> dict[str, str]:
    """A passing, a failing and an unrelated page, made from the answers so they match the policy."""
    e = html.escape
    ids = _clauses(a)
    policy_ref = f"../../{a.id}.yaml"
    site = a.site or "example.org"
    story = f"https://{site}/2024/01/15/example-story/"
    byline = a.byline.replace("Author Name", "Jane Doe") if a.byline else "By Jane Doe"
    if not byline.lower().startswith("by "):
        byline = "By " + byline
    paragraphs = ("<p>TODO: replace this page with a real republished story. The council approved the budget on "
                  "Tuesday after a three-hour hearing.</p>\n  <p>Officials said the plan adds two libraries.</p>")

    def header(expect: str, about: str, authors: bool = True) -> str:
        lines = ["<!-- compliance-test", f"policy: {policy_ref}"]
        if authors:
            lines.append("authors: [Jane Doe]")
        lines += [f"expect: {expect}", f"about: {_q(about)}", "-->"]
        return "\n".join(lines)

    def expect(status: str) -> str:
        return "{" + ", ".join([f"{c}: {status}" for c in ids] + ["other-terms: review"]) + "}"

    logo = ""
    if a.logo:
        logo = f'<img src="/logos/partner-{slug(a.licensor) or "logo"}.png" alt="{e(a.logo[0])}" width="160" height="48">'
    credit = ""
    if a.credit:
        credit = f'<p><em>{e(a.credit)}</em> <a href="{e(story)}">Read the original story</a>.</p>'
    elif a.site:
        credit = f'<p><a href="{e(story)}">Read the original story on {e(a.licensor)}</a>.</p>'
    pixel = f'<img src="{e(_pixel_url(a.pixel))}" width="1" height="1" alt="">' if a.pixel else ""
    top = "\n  ".join(x for x in (logo, f'<p class="byline">{e(byline)}</p>') if x)
    body_top = credit if a.credit_position != "bottom" else ""
    body_end = credit if a.credit_position == "bottom" else ""
    passing = f"""{header(expect("pass"), "TODO: a page that meets every term (made by policy init).")}
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Council approves budget</title></head>
<body>
<header><a href="/">Example Gazette</a> <nav><a href="/news">News</a> <a href="/sports">Sports</a></nav></header>
<article>
  <h1>Council approves budget</h1>
  {top}
  {body_top}
  {paragraphs}
  {body_end}
  {pixel}
</article>
</body></html>
"""
    # still recognisably the licensor's story (a bare credit at the foot), yet every checkable term is broken
    note = next(n for n in (f"Republished from {a.licensor}.", f"This article first appeared on {a.licensor}.")
                if not a.credit or a.credit.casefold().rstrip(".") not in n.casefold())
    failing = f"""{header(expect("fail"), "TODO: a page that breaks every checkable term (made by policy init).")}
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Council approves budget</title></head>
<body>
<header><a href="/">Example Gazette</a></header>
<article>
  <h1>Council approves budget</h1>
  <p class="byline">By Gazette Staff</p>
  {paragraphs}
  <p>{e(note)}</p>
</article>
</body></html>
"""
    unrelated = f"""{header("not_applicable", "TODO: a page that does not credit the licensor at all.")}
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Bakery wins award</title></head>
<body>
<article>
  <h1>Bakery wins award</h1>
  <p class="byline">By Sam Roe</p>
  <p>A family bakery on Main Street won a state award for its bread.</p>
</article>
</body></html>
"""
    passing = re.sub(r"\n[ \t]*(?=\n)", "", passing)  # drop the lines of clauses this policy lacks
    return {"pass-example.html": passing, "fail-example.html": failing, "not-applicable-example.html": unrelated}


def slug(text: str) -> str:
    """``text`` as a kebab-case id: "Example News" -> "example-news"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


SCHEMA_NAME = "policy.schema.json"


def write(a: Answers, folder: Path, force: bool = False) -> list[Path]:
    """Write ``<folder>/<id>.yaml`` and ``<folder>/examples/<id>/*.html``; refuse to overwrite unless forced.

    The policy's ``$schema`` comment names a copy of the policy schema written beside it
    (``policy.schema.json``, kept if it is already there): a path into this installation would
    break with the next reinstall or on a colleague's machine. ``compliance policy schema >
    policy.schema.json`` refreshes the copy after an upgrade.
    """
    from compliance.authoring.schema_files import dumps, generated

    a.validate()
    policy_path = folder / f"{a.id}.yaml"
    example_dir = folder / "examples" / a.id
    pages = example_pages(a)
    targets = [policy_path] + [example_dir / name for name in pages]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise UsageError(f"{existing[0]} already exists (use --force to overwrite)")
    folder.mkdir(parents=True, exist_ok=True)
    example_dir.mkdir(parents=True, exist_ok=True)
    schema = folder / SCHEMA_NAME
    if force or not schema.exists():
        schema.write_text(dumps(generated()[SCHEMA_NAME]), encoding="utf-8")
        targets.insert(1, schema)
    policy_path.write_text(policy_yaml(a, SCHEMA_NAME), encoding="utf-8")
    for name, text in pages.items():
        (example_dir / name).write_text(text, encoding="utf-8")
    return targets


__all__ = ["Answers", "example_pages", "policy_yaml", "write"]
