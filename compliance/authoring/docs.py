"""The README's "Policy language" and "Built-in policies" sections, generated from the schema and the policies.

The option tables come from ``policy_schema()`` and the policy table from
the built-in policies, so the documentation cannot drift from what the
loader accepts; a test compares the README with this output. Regenerate::

    python -m compliance.authoring.docs --write      # rewrites those two README sections
"""

from __future__ import annotations

import json
import sys
from typing import Any

import yaml

LANGUAGE_HEADING = "## Policy language"
POLICIES_HEADING = "## Built-in policies"
MARKERS = {LANGUAGE_HEADING: "<!-- section:policy-language -->", POLICIES_HEADING: "<!-- section:policies -->"}

# One example per check; the tests build every one of them, so they stay valid.
EXAMPLES: dict[str, dict[str, Any]] = {
    "text": {"text": {"patterns": ["originally published by ProPublica"],
                      "within": ["[itemprop=articleBody]", "article", "main, [role=main]", "body"],
                      "position": "top", "paragraphs": 2}},
    "link": {"link": {"href": "creativecommons.org/licenses/by-nd/4.0", "rel": "license"}},
    "element": {"element": {"selector": "img",
                            "attributes": {"src": "/counter\\.theconversation\\.com\\/content\\/\\d+\\/count\\.gif/"},
                            "visible": "any"}},
    "meta": {"meta": {"rel": "canonical", "value": "propublica.org"}},
    "image": {"image": {"src": "assets-d.propublica.org", "max": 0}},
    "logo": {"logo": {"src": ["dailycallernewsfoundation"], "alt": ["Daily Caller News Foundation", "DCNF"]}},
    "byline": {"byline": {"affiliation": ["ProPublica"]}},
    "credit": {"credit": {"names": ["Daily Caller News Foundation", "DCNF"], "site": "dailycallernewsfoundation.org",
                          "notice": "/content created by the daily caller news foundation/"}},
    "matched_original": {"matched_original": {"site": "propublica.org"}},
    "published_within": {"published_within": {"days": 90}},
    "original_link": {"original_link": {"position": "top"}},
    "links_kept": {"links_kept": {"ignore": "propublica.org/newsletters"}},
    "headline": {"headline": {"may_change": False}},
    "integrity": {"integrity": {"allow": ["minor_edits", "additions_with_disclosure"],
                                "disclosure": "Additional reporting by", "ignore": "Sign up for their newsletters"}},
    "canonical": {"canonical": {"to": "original"}},
    "indexing": {"indexing": {"noindex": "forbidden"}},
    "if_original": {"if_original": {"then": {"original_link": {}},
                                    "else": {"link": {"href": "/undark\\.org\\/\\d{4}\\/\\d{2}\\/\\d{2}\\/./"}}}},
    "manual": {"manual": {"note": "The story is not sold, and no ad is sold against it."}},
    "all": {"all": [{"byline": {}}, {"credit": {"names": ["Texas Tribune"]}}]},
    "any": {"any": [{"link": {"href": "theconversation.com/institutions/"}},
                    {"manual": {"note": "Each author's institution is named next to the author."}}]},
    "not": {"not": {"meta": {"name": "referrer", "value": "/^(no-referrer|same-origin)$/"}}},
}

_INTRO = """\
A policy is a YAML file that encodes one license: who grants it, which pages it covers
(`applies_to`), and its terms as **clauses**. Each clause has one **check** (a primitive such as
`byline` or `link`, or a combination with `all`/`any`/`not`), a severity (`error` = must,
`warning` = should, `info`), and the license wording it encodes (`term`, `source`, and how
certain that reading is: `certainty`). A term that no page can show ("do not sell ads against
the story") is written as a `manual` check: its verdict is always `review`.

Policies are validated when loaded against the JSON Schema in
[`compliance/schema/policy.schema.json`](compliance/schema/policy.schema.json), which is generated
from the checks themselves (`compliance policy schema --write` regenerates it; `compliance policy
schema` prints it). Put this first line in a policy file for completion and validation in editors
that use yaml-language-server:

```yaml
# yaml-language-server: $schema=../compliance/schema/policy.schema.json
id: example-news
title: Example News republication terms
licensor: Example News
terms_url: https://example.org/republish
applies_to:          # is this page a republication of Example News' story at all?
  any:
    - credit: {names: ["Example News"], site: "example.org"}   # credit line or byline, not a mere mention
    - meta: {rel: canonical, value: "example.org"}
clauses:
  byline:
    title: Reporter and Example News in the byline
    severity: error
    term: 'Credit the reporter and Example News in the byline: "Author Name, Example News".'
    source: https://example.org/republish
    certainty: stated
    remediation: Write the byline as "By Jane Doe, Example News".
    check:
      byline: {affiliation: ["Example News"]}
  no-sale:
    title: Not sold
    severity: info
    term: Do not sell the story.
    check:
      manual: {note: "The story is not sold."}
```

`applies_to` decides whether the page republishes the licensor's story at all; on other pages every
clause is `not_applicable`. Write it from evidence that *this* article comes from the licensor: a
`credit` (a credit line or licensing notice about this article, or a byline carrying the licensor),
the licensor's logo or tracking pixel, a canonical link to its site, a `matched_original` from its
site. The licensor named in a sentence of the story, linked from the text, in a "Related" teaser, a
sidebar or a footer is not evidence. Article context (`--author`, `--original`) never makes a policy
apply by itself: with `-p dcnf -p propublica --author "Jane Doe"` each policy's `applies_to` still
decides which license the page is under.

Mistakes are reported all at once, one per line, each with file, line, column and key, and with
"did you mean" for a misspelt key or value, and the command exits with status 2:

```text
$ compliance policy validate example-news.yaml
compliance: policy error: example-news.yaml:8:5: clauses.byline.severty: unknown key 'severty' (did you mean 'severity'?)
compliance: policy error: example-news.yaml:14:14: clauses.link.check.link.hre: unknown key 'hre' (did you mean 'href'?)
compliance: policy error: example-news.yaml:17:5: clauses.credit.severity: 'fatal' is not one of: error, warning, info
compliance: 3 problems in example-news.yaml
```

`compliance policy validate FILE...` checks every file it is given (and says `ok:` for each sound
one; a file with `policy:` and no `id` is read as an override file, and checked against the built-in
policies it names); override files, waiver, baseline and configuration files and example-page headers are
checked whole in the same way, and `compliance check` reads its policies, overrides, baseline and
waivers before reporting, so a broken override and a broken waiver file are both listed in one run.
"""

_PATTERNS = """\
### Patterns

Options that take patterns accept one string or a list (any may match). A plain string is a
phrase: matched case-insensitively on normalised text, at word boundaries (`DCNF` does not match
`DCNFX`). A string written `/like this/` is an RE2 regular expression (linear time: no
backreferences or lookaround). Patterns may use the article's context, filled in per page from
`--author` or the matched original: `{original.url}`, `{original.title}`, `{original.authors}`,
`{original.article_id}`, `{original.published}`, `{original.canonical}`; a pattern whose value is
unknown on a page matches nothing.
"""

_COMPOSITION = """\
### Building on other policies: `extends`

A policy can build on others: `extends: cc-by-nd-4.0` (a built-in name), `extends: base.yaml` (a
path relative to the file), or a list, applied left to right. The result is merged in the order
**parents → the policy itself → override files**:

- mappings merge key by key; lists and plain values are replaced (a new `patterns` list replaces
  the old one);
- a check that names a different primitive replaces the inherited check;
- a clause the parents lack is added and must be complete (`title` and `check`);
- `enabled: false`, or the shorthand `clause-id: disable`, switches a clause off;
- a policy that extends another may leave out what it inherits (`title`, `licensor`, …).

```yaml
id: the-conversation
extends: cc-by-nd-4.0
title: The Conversation republishing guidelines
clauses:
  license-link: {severity: warning}          # a must in CC BY-ND, a should here
  source-link:
    check: {link: {href: "theconversation.com"}}
  counter:                                   # a new clause
    title: Page counter image
    check: {element: {selector: img, attributes: {src: "counter.theconversation.com"}, visible: any}}
```

Unknown parents and cycles are errors naming the file, line and key (`extends[1]`); errors in
merged content point into the file the offending key came from.

### Override files: your site's markup

A publisher can keep an override file for its own site and pass it to every run with
`compliance check --override FILE` (repeatable, applied in order after the policy). It uses the
same clause syntax; `policy:` limits it to one policy (or a list), otherwise it applies to every
policy checked, skipping clauses a policy does not have. A clause it names that no policy in the
run has is an error (usually a typo). Its schema is
[`compliance/schema/override.schema.json`](compliance/schema/override.schema.json).

```yaml
# yaml-language-server: $schema=compliance/schema/override.schema.json
policy: dcnf
clauses:
  logo:
    check: {logo: {within: ".article-header"}}   # our logo sits in the article header
  affiliation: {severity: warning}
```

### Example pages and `compliance policy test`

Every policy comes with example pages: HTML files whose first comment states what the checker
should say about them.

```html
<!-- compliance-test
policy: propublica                # a built-in name, or a policy file relative to this page
authors: [Jane Doe]               # optional: the original reporter(s), as with --author
expect: {byline: pass, pixel: fail, commercial: review}   # or a page status: not_applicable
about: Pasted through an editor that strips scripts.
-->
```

`compliance policy test` runs the built-in policies' examples (they live in
`rules/examples/<policy-id>/` and ship inside the package). `compliance policy test PATH` runs a
folder or page of examples, or the examples of a policy file (`my/foo.yaml` → `my/examples/foo/`);
a built-in name runs that policy's examples. Mismatches are shown as a diff of expected and
actual verdicts with the checker's explanation; the exit status is 1 on any mismatch and 2 when an
example's header cannot be read.

`compliance policy init` scaffolds a new policy and its examples from flags (`--id`,
`--licensor`, `--terms-url`, `--site`, `--byline "Author Name, Example News"`, `--credit`,
`--credit-position top|bottom|anywhere`, `--logo`, `--pixel`, `--dir`) and, on a terminal, asks for
what is missing. Without a terminal (a script, CI) or with `--no-input` it never asks: `--licensor`
and `--terms-url` are required and everything else takes its default. The result validates and
passes `compliance policy test` before you edit it. Its first line points editors at
`policy.schema.json`, a copy of the policy schema written beside it (kept if already there), so the
reference keeps working after a reinstall or on another machine; refresh it after an upgrade with
`compliance policy schema > policy.schema.json`.
"""


# -- schema → tables ------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return json.dumps(v, ensure_ascii=False) if not isinstance(v, (int, float)) else str(v)


def _type(node: dict[str, Any]) -> str:
    if node.get("$ref") == "#/$defs/check":
        return "check"
    if node.get("$ref") == "#/$defs/clause-patch":
        return "clause or `disable`"
    if node.get("type") == "string" and str(node.get("description", "")).startswith("A phrase, or an RE2"):
        return "pattern"
    if node.get("type") == "string" and str(node.get("description", "")).startswith("A CSS selector"):
        return "selector"
    if "enum" in node:
        return " \\| ".join(f"`{_value(v).strip(chr(34))}`" for v in node["enum"])
    if "const" in node:
        return f"`{_value(node['const']).strip(chr(34))}`"
    for key in ("oneOf", "anyOf"):
        if key in node:
            return " or ".join(_type(n) for n in node[key])
    kind = node.get("type")
    if kind == "array":
        item = _type(node.get("items", {}))
        return f"list of {item}s" if item in ("pattern", "selector", "string") else f"list of {item}"
    if kind == "object":
        extra = node.get("additionalProperties")
        return f"mapping of name → {_type(extra)}" if isinstance(extra, dict) else "mapping"
    if kind == "integer":
        lo, hi = node.get("minimum"), node.get("maximum")
        return "integer" + (f" ({lo}–{hi})" if lo is not None and hi is not None else "")
    return str(kind or "any")


def _options_table(props: dict[str, Any], required: list[str]) -> list[str]:
    rows = ["| option | type | default | description |", "|---|---|---|---|"]
    for name, node in props.items():
        default = "required" if name in required else (f"`{_value(node['default']).strip(chr(34))}`"
                                                        if "default" in node else "—")
        rows.append(f"| `{name}` | {_type(node)} | {default} | {_cell(node.get('description', ''))} |")
    return rows


def _constraint(node: dict[str, Any]) -> str:
    for key, words in (("oneOf", "Exactly one of"), ("anyOf", "At least one of")):
        branches = node.get(key)
        if isinstance(branches, list) and all(isinstance(b, dict) and "required" in b for b in branches):
            names = ", ".join(f"`{'`+`'.join(b['required'])}`" for b in branches)
            return f"{words}: {names}."
    return ""


def render_language() -> str:
    from compliance.policy.schema import policy_schema

    schema = policy_schema()
    defs = schema["$defs"]
    out = [LANGUAGE_HEADING, "", _INTRO]
    out += ["### Policy keys", "", "| key | type | required | description |", "|---|---|---|---|"]
    required = set(schema["else"]["required"])
    for name, node in schema["properties"].items():
        need = "yes" if name in required else "no"
        if name in required and name != "id":
            need = "yes (unless inherited)"
        out.append(f"| `{name}` | {_type(node)} | {need} | {_cell(node.get('description', ''))} |")
    out += ["", "### Clause keys", ""]
    clause = defs["clause"]
    out += _options_table(clause["properties"], clause.get("required", []))
    out += ["", "`certainty` says how sure the reading of the term is: `stated` (the licensor's own terms "
            "page), `licensor-markup` (HTML the licensor's own tools emit), `secondary` (quotations of "
            "the terms by others), `inferred` (our reading).", "", _PATTERNS, "### Checks", ""]
    for name in sorted(defs["check"]["properties"]):
        node = defs[name]
        out.append(f"#### `{name}`")
        out.append("")
        out.append(_cell(node.get("description", "")))
        out.append("")
        props = node.get("properties")
        if props:
            out += _options_table(props, node.get("required", []))
            note = _constraint(node)
            if note:
                out += ["", note]
        elif node.get("type") == "array":
            out.append("Takes a list of checks.")
        else:
            out.append("Takes one check.")
        example = EXAMPLES.get(name)
        if example is not None:
            dumped = yaml.safe_dump({"check": example}, sort_keys=False, allow_unicode=True, width=100,
                                    default_flow_style=None)
            out += ["", "```yaml", dumped.rstrip(), "```"]
        out.append("")
    out.append(_COMPOSITION)
    return "\n".join(out).rstrip() + "\n"


# -- built-in policies → table --------------------------------------------------------------------


def render_policies() -> str:
    from compliance.checks.manual import ManualCheck
    from compliance.inputs.yamlpos import load_located
    from compliance.policy.builtin import builtin_names, resolve
    from compliance.policy.load import load_policy

    rows = [
        POLICIES_HEADING,
        "",
        "`compliance policy list` lists them, `compliance policy show NAME` explains one in plain words "
        "(ready to paste into a message to a partner; `--details` adds sources and how each clause is "
        "checked). Clauses in *italics* are terms no page can show: they are always `review`. Each "
        "clause records its source; certainty counts are per checked clause.",
        "",
        "| id | licensor | terms | clauses | certainty |",
        "|---|---|---|---|---|",
    ]
    for name in builtin_names():
        policy = load_policy(name)
        raw = load_located(resolve(name).read_text(encoding="utf-8"), name).data
        clauses = [c for c in policy.clauses if c.enabled]
        ids = ", ".join(f"*{c.id}*" if isinstance(c.check, ManualCheck) else f"`{c.id}`" for c in clauses)
        counts: dict[str, int] = {}
        for c in clauses:
            if not isinstance(c.check, ManualCheck):
                counts[c.certainty or "unstated"] = counts.get(c.certainty or "unstated", 0) + 1
        order = ["stated", "licensor-markup", "secondary", "inferred", "unstated"]
        notes = ", ".join(f"{counts[k]} {k}" for k in order if k in counts)
        parent = raw.get("extends") if isinstance(raw, dict) else None
        if parent:
            notes += "; builds on " + ", ".join(f"`{p}`" for p in (parent if isinstance(parent, list) else [parent]))
        rows.append(f"| `{policy.id}` | {_cell(policy.licensor)} | <{policy.terms_url}> | {ids} | {notes} |")
    rows += ["", "Clauses that compare the page with the original article (every link kept, text unchanged, "
             "headline kept, link to the story, canonical link, the 90-day window) are checked when the original "
             "is given with `--original` or `--originals`; without it they are `review` (or, where the policy "
             "says so, fall back to a looser check). "
             "The Republication Tracker policy checks the markup many newsrooms' WordPress Republish button "
             "emits; pair it with the newsroom's own policy."]
    return "\n".join(rows).rstrip() + "\n"


# -- README ------------------------------------------------------------------------------------------


def replace_section(readme: str, heading: str, body: str) -> str:
    """Put ``body`` in place of the section's marker line, or of the section generated before."""
    lines = readme.splitlines(keepends=True)
    marker = MARKERS[heading]
    for i, line in enumerate(lines):
        if line.strip() == marker or line.rstrip("\n") == heading:
            end = i + 1
            if line.rstrip("\n") == heading:
                while end < len(lines) and not (lines[end].startswith("## ") or lines[end].startswith("<!-- section:")):
                    end += 1
            while end < len(lines) and not lines[end].strip():
                end += 1
            tail = "".join(lines[end:])
            return "".join(lines[:i]) + body + ("\n" if tail else "") + tail
    raise ValueError(f"the README has neither {marker} nor {heading!r}")


def current_section(readme: str, heading: str) -> str | None:
    lines = readme.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.rstrip("\n") == heading:
            end = i + 1
            while end < len(lines) and not (lines[end].startswith("## ") or lines[end].startswith("<!-- section:")):
                end += 1
            return "".join(lines[i:end]).rstrip() + "\n"
    return None


def update(readme: str) -> str:
    readme = replace_section(readme, LANGUAGE_HEADING, render_language())
    return replace_section(readme, POLICIES_HEADING, render_policies())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from compliance.resources import SOURCE_README

    path = SOURCE_README
    if "--write" in args:
        path.write_text(update(path.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"updated {path}")
        return 0
    sys.stdout.write(render_language() + "\n" + render_policies())
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
