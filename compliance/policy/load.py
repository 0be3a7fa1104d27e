"""Policies: YAML files that encode a license's terms as clauses over check primitives.

Loading is strict (Spectral and yamllint do the same): the document is
validated against the policy JSON Schema — built from the check registry,
so the language has one definition — and every regex and selector is
compiled. Every problem in the file is found before ``PolicyError`` is
raised, each naming file, line and key: one run shows them all.

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

from compliance.errors import Collector, PolicyError, did_you_mean, kind_of
from compliance.inputs.files import read_text
from compliance.inputs.yamlpos import Located
from compliance.policy.builtin import builtin_path, resolve
from compliance.policy.model import Clause, Policy
from compliance.policy.schema import option_validator, schema_errors, shape_validator
from compliance.results.model import Severity

# -- where in the file -------------------------------------------------------------


class Where:
    """A position in a located document; builds PolicyErrors that name file, line and key.

    ``problems``, when given, gathers what building finds wrong, so that a broken check is noted and
    the rest of the policy is still read (every mistake is reported in one run); without it the
    first problem is raised at once.
    """

    def __init__(self, located: Located, path: tuple[Any, ...], problems: Collector | None = None,
                 validated: bool = False):
        self.located = located
        self.path = path
        self.problems = problems
        self.validated = validated  # a built-in policy: its schema is checked by the test suite, not per run

    def child(self, *keys: Any) -> "Where":
        return Where(self.located, self.path + keys, self.problems, self.validated)

    def build(self, spec: Any):
        """Build the check ``spec`` found at this position (combinators build their inner checks this way)."""
        return build_check(spec, self)

    def error(self, key: str | int | None, message: str) -> PolicyError:
        path = self.path + ((key,) if key is not None and key != "" else ())
        return self.located.error(path, message)


# -- building checks ----------------------------------------------------------------------


class Unbuilt:
    """Stands in for a check that could not be built; the policy is refused before it could run."""

    def evaluate(self, ctx: Any) -> Any:  # pragma: no cover - never reached: the load raises first
        raise AssertionError("a policy with problems was used")

    def describe(self) -> str:  # pragma: no cover
        return "(broken check)"


def build_check(spec: Any, where: Where):
    """Turn ``{primitive: options}`` into a compiled Check, validating as it goes.

    A problem is noted in ``where.problems`` and an ``Unbuilt`` placeholder returned, so that the
    checks around it are still validated; ``build_policy`` raises once at the end.
    """
    try:
        return _build_check(spec, where)
    except PolicyError as exc:
        if where.problems is None:
            raise
        where.problems.add(exc)
        return Unbuilt()


def _build_check(spec: Any, where: Where):
    from compliance.checks import REGISTRY

    if not isinstance(spec, dict) or len(spec) != 1:
        got = f"a mapping with {len(spec)} keys" if isinstance(spec, dict) else kind_of(spec)
        raise where.error(None, f"a check must be a mapping with exactly one primitive, got {got} "
                                f"(primitives: {', '.join(sorted(REGISTRY))})")
    (name, options), = spec.items()
    if name not in REGISTRY:
        raise where.error(name, f"unknown check primitive {name!r}"
                                + (did_you_mean(name, REGISTRY) or f" (known: {', '.join(sorted(REGISTRY))})"))
    at = where.child(name)
    if not where.validated:
        errors = schema_errors(at.located, at.path, option_validator(name).iter_errors(options))
        if errors:
            raise PolicyError.of(p for e in errors for p in e.problems)
    return REGISTRY[name].build(options, at)


def load_policy(name_or_path: str, overrides: tuple[Any, ...] = ()) -> Policy:
    """A built-in policy by name, or a policy file, with ``overrides`` applied.

    A built-in policy without overrides is not run through JSON Schema: the suite validates every
    shipped policy (tests/policy/test_policy_schema.py), and importing jsonschema and checking the
    policy again would cost every one-page run a fifth of its start-up.
    """
    path = resolve(name_or_path)

    def read() -> str:
        return read_text(path, "the policy", lambda message: PolicyError(message, file=str(path)))

    from compliance.policy.compiled import load_policy_file  # a shipped one is parsed once, then read back

    return located_policy(load_policy_file(path, read), overrides,
                          validated=not overrides and builtin_path(name_or_path) == path)


def parse_policy(text: str, file: str = "<policy>", overrides: tuple[Any, ...] = (), validated: bool = False
                 ) -> Policy:
    """Parse, resolve ``extends`` and apply override files (compliance.policy.compose), then build."""
    from compliance.inputs.yamlpos import load_located

    return located_policy(load_located(text, file), overrides, validated)


def located_policy(located: Located, overrides: tuple[Any, ...] = (), validated: bool = False) -> Policy:
    """The policy of a parsed document, its ``extends`` resolved and ``overrides`` applied."""
    if overrides or (isinstance(located.data, dict) and "extends" in located.data):
        from compliance.policy.compose import compose

        located = compose(located, tuple(overrides))
    return build_policy(located, validated)


def applied_text(policy: Policy) -> str:
    """The policy as it was applied, ``extends`` and overrides resolved, as one self-contained YAML file.

    ``parse_policy`` of this text gives the same policy, so it is what a Dask worker rebuilds the run's
    policies from, and its SHA-256 is the policy's content hash in the results store and evidence.
    """
    import yaml

    return yaml.safe_dump(policy.data, sort_keys=False, allow_unicode=True, width=100)


def build_policy(located: Located, validated: bool = False) -> Policy:
    """The policy of a located document; ``validated``: already known to fit the schema (a built-in)."""
    data = located.data
    if not isinstance(data, dict):
        raise located.error((), f"a policy must be a mapping at the top level, got {kind_of(data)}")
    root = Where(located, (), Collector(), validated)
    problems = root.problems
    merging = getattr(located, "problems", None)  # found while merging layers (compliance.policy.compose)
    for problem in merging.problems if merging is not None else ():
        problems.add(problem)
    for error in schema_errors(located, (), () if validated else shape_validator().iter_errors(data)):
        problems.add(error)
    applies_to = build_check(data["applies_to"], root.child("applies_to")) if "applies_to" in data else None
    clauses = []
    specs = data.get("clauses")
    for cid, spec in (specs.items() if isinstance(specs, dict) else ()):
        if not isinstance(spec, dict):
            continue  # the shape errors above already say what is wrong with it
        at = root.child("clauses", cid)
        check = build_check(spec["check"], at.child("check")) if "check" in spec else None
        when = build_check(spec["when"], at.child("when")) if "when" in spec else None
        if problems:
            continue  # keep validating the other clauses; this policy will not be built
        clauses.append(Clause(
            id=cid,
            title=spec["title"],
            severity=Severity(spec.get("severity", "error")),
            check=check,
            description=spec.get("description", ""),
            remediation=spec.get("remediation", ""),
            term=spec.get("term", ""),
            source=spec.get("source", ""),
            certainty=spec.get("certainty", ""),
            when=when,
            enabled=spec.get("enabled", True),
            line=located.line(("clauses", cid)),
        ))
    problems.check(PolicyError)
    return Policy(
        id=data["id"], title=data["title"], licensor=data["licensor"], terms_url=data["terms_url"],
        clauses=tuple(clauses), applies_to=applies_to, description=data.get("description", ""),
        file=located.file, data=data,
    )


__all__ = ["Where", "applied_text", "build_check", "build_policy", "load_policy", "located_policy", "parse_policy"]
