"""Policies: YAML files that encode a license's terms as clauses over check primitives.

Loading is strict (Spectral and yamllint do the same): the document is
validated against the policy JSON Schema — built from the check registry,
so the language has one definition — and every regex and selector is
compiled. Any problem raises ``PolicyError`` naming file, line and key.

    id: dcnf                         # kebab-case
    title: …
    licensor: …
    terms_url: https://…
    applies_to: {any: [{text: {patterns: […]}}]}   # optional
    clauses:
      logo:                          # clause id, kebab-case
        title: …
        severity: error              # error | warning | info
        term: "…"                    # the license wording this clause encodes
        description: …
        remediation: …
        check: {logo: {alt: […]}}    # one primitive or combinator
"""

from __future__ import annotations

from typing import Any

from compliance.errors import PolicyError, kind_of
from compliance.inputs.files import read_text
from compliance.inputs.yamlpos import Located, load_located
from compliance.policy.builtin import resolve
from compliance.policy.model import Clause, Policy
from compliance.policy.schema import (
    most_specific,
    option_validator,
    schema_error,
    shape_validator,
)
from compliance.results.model import Severity

# -- where in the file -------------------------------------------------------------


class Where:
    """A position in a located document; builds PolicyErrors that name file, line and key."""

    def __init__(self, located: Located, path: tuple[Any, ...]):
        self.located = located
        self.path = path

    def child(self, *keys: Any) -> "Where":
        return Where(self.located, self.path + keys)

    def build(self, spec: Any):
        """Build the check ``spec`` found at this position (combinators build their inner checks this way)."""
        return build_check(spec, self)

    def error(self, key: str | int | None, message: str) -> PolicyError:
        path = self.path + ((key,) if key is not None and key != "" else ())
        return self.located.error(path, message)


# -- building checks ----------------------------------------------------------------------


def build_check(spec: Any, where: Where):
    """Turn ``{primitive: options}`` into a compiled Check, validating as it goes."""
    from compliance.checks import REGISTRY

    if not isinstance(spec, dict) or len(spec) != 1:
        got = f"a mapping with {len(spec)} keys" if isinstance(spec, dict) else kind_of(spec)
        raise where.error(None, f"a check must be a mapping with exactly one primitive, got {got} "
                                f"(primitives: {', '.join(sorted(REGISTRY))})")
    (name, options), = spec.items()
    if name not in REGISTRY:
        raise where.error(name, f"unknown check primitive {name!r} (known: {', '.join(sorted(REGISTRY))})")
    at = where.child(name)
    errors = sorted(option_validator(name).iter_errors(options), key=lambda e: (len(e.absolute_path), e.message))
    if errors:
        raise schema_error(at.located, at.path, most_specific(errors))
    return REGISTRY[name].build(options, at)


def load_policy(name_or_path: str, overrides: tuple[Any, ...] = ()) -> Policy:
    path = resolve(name_or_path)
    text = read_text(path, "the policy", lambda message: PolicyError(message, file=str(path)))
    return parse_policy(text, str(path), overrides)


def parse_policy(text: str, file: str = "<policy>", overrides: tuple[Any, ...] = ()) -> Policy:
    """Parse, resolve ``extends`` and apply override files (compliance.policy.compose), then build."""
    from compliance.policy.compose import compose

    located = load_located(text, file)
    return build_policy(compose(located, tuple(overrides)))


def applied_text(policy: Policy) -> str:
    """The policy as it was applied, ``extends`` and overrides resolved, as one self-contained YAML file.

    ``parse_policy`` of this text gives the same policy, so it is what a Dask worker rebuilds the run's
    policies from, and its SHA-256 is the policy's content hash in the results store and evidence.
    """
    import yaml

    return yaml.safe_dump(policy.data, sort_keys=False, allow_unicode=True, width=100)


def build_policy(located: Located) -> Policy:
    data = located.data
    if not isinstance(data, dict):
        raise located.error((), f"a policy must be a mapping at the top level, got {kind_of(data)}")
    errors = list(shape_validator().iter_errors(data))
    if errors:
        raise schema_error(located, (), most_specific(errors))
    root = Where(located, ())
    applies_to = build_check(data["applies_to"], root.child("applies_to")) if "applies_to" in data else None
    clauses = []
    for cid, spec in data["clauses"].items():
        at = root.child("clauses", cid)
        clauses.append(Clause(
            id=cid,
            title=spec["title"],
            severity=Severity(spec.get("severity", "error")),
            check=build_check(spec["check"], at.child("check")),
            description=spec.get("description", ""),
            remediation=spec.get("remediation", ""),
            term=spec.get("term", ""),
            source=spec.get("source", ""),
            certainty=spec.get("certainty", ""),
            when=build_check(spec["when"], at.child("when")) if "when" in spec else None,
            enabled=spec.get("enabled", True),
            line=located.line(("clauses", cid)),
        ))
    return Policy(
        id=data["id"], title=data["title"], licensor=data["licensor"], terms_url=data["terms_url"],
        clauses=tuple(clauses), applies_to=applies_to, description=data.get("description", ""),
        file=located.file, data=data,
    )


__all__ = ["Where", "applied_text", "build_check", "build_policy", "load_policy", "parse_policy"]
