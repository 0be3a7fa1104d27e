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

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from compliance.errors import PolicyError
from compliance.results.model import PolicyRef, Severity
from compliance.inputs.yamlpos import Located, dotted, load_located

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
POLICY_ID = r"^[a-z0-9]+([-.][a-z0-9]+)*$"  # kebab-case, dots allowed for versions (cc-by-4.0)
CERTAINTY = ["stated", "licensor-markup", "secondary", "inferred"]


def _clause_schema(check_ref: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "check"],
        "properties": {
            "title": {"type": "string", "minLength": 1, "description": "A short name for the clause."},
            "severity": {"enum": ["error", "warning", "info"], "default": "error",
                         "description": "How serious a failure is (default error)."},
            "description": {"type": "string", "description": "What the clause requires, in plain words."},
            "remediation": {"type": "string", "description": "How a republisher fixes a failure."},
            "term": {"type": "string", "description": "The license wording this clause encodes (quote or paraphrase)."},
            "source": {"type": "string", "description": "Where the term comes from (URL or document)."},
            "certainty": {"enum": CERTAINTY, "description": "How sure the reading of the term is."},
            "enabled": {"type": "boolean", "default": True,
                        "description": "Set false to switch the clause off (default true)."},
            "when": {**check_ref, "description": "The clause applies only when this check passes."},
            "check": {**check_ref, "description": "What must be true of the page: one check."},
        },
    }


def _policy_schema(check_ref: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    from compliance.policy.compose import EXTENDS_SCHEMA, clause_patch_schema

    defs = {**defs, "clause-patch": clause_patch_schema(defs["clause"])}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://compliance.invalid/schema/policy.schema.json",
        "title": "compliance policy",
        "description": "A syndication license encoded as clauses over check primitives.",
        "type": "object",
        "additionalProperties": False,
        "required": ["id"],
        # A policy that extends another may leave out what it inherits, and its clauses may be partial.
        "if": {"required": ["extends"]},
        "then": {"properties": {"clauses": {"additionalProperties": {"$ref": "#/$defs/clause-patch"}}}},
        "else": {"required": ["id", "title", "licensor", "terms_url", "clauses"],
                 "properties": {"clauses": {"additionalProperties": {"$ref": "#/$defs/clause"}}}},
        "properties": {
            "id": {"type": "string", "pattern": POLICY_ID,
                   "description": "Policy id, kebab-case with dots allowed for versions (the file name)."},
            "extends": EXTENDS_SCHEMA,
            "title": {"type": "string", "minLength": 1, "description": "The license's name, as a reader knows it."},
            "licensor": {"type": "string", "minLength": 1, "description": "Who grants the license."},
            "terms_url": {"type": "string", "pattern": "^https?://", "description": "URL of the terms encoded."},
            "description": {"type": "string", "description": "The terms in plain words, and where they were read."},
            "retrieved": {"type": "string", "description": "When the terms were last read (YYYY-MM-DD)."},
            "applies_to": {**check_ref, "description": "Pages for which this is false are not_applicable."},
            "clauses": {
                "description": "Clause id (kebab-case) → clause: one term of the license each.",
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"pattern": KEBAB},
            },
        },
        "$defs": defs,
    }


def policy_schema() -> dict[str, Any]:
    """The full JSON Schema of the policy language, primitive options included (for editors and docs)."""
    from compliance.checks import REGISTRY

    check_ref = {"$ref": "#/$defs/check"}
    defs: dict[str, Any] = {
        "check": {
            "description": "Exactly one check primitive or combinator.",
            "type": "object",
            "minProperties": 1,
            "maxProperties": 1,
            "properties": {name: {"$ref": f"#/$defs/{name}"} for name in sorted(REGISTRY)},
            "additionalProperties": False,
        },
        "clause": _clause_schema(check_ref),
    }
    for name, prim in sorted(REGISTRY.items()):
        defs[name] = {"description": prim.summary, **copy.deepcopy(prim.schema)}
    return _policy_schema(check_ref, defs)


@lru_cache(maxsize=None)
def _shape_validator():
    """Validator for the policy minus check options (those are validated per primitive, for precise errors)."""
    import jsonschema

    loose = {"type": "object"}
    schema = _policy_schema(loose, {"clause": _clause_schema(loose)})
    return jsonschema.Draft202012Validator(schema)


@lru_cache(maxsize=None)
def _option_validator(name: str):
    import jsonschema

    from compliance.checks import REGISTRY

    schema = copy.deepcopy(REGISTRY[name].schema)
    schema = _shallow_refs(schema)
    return jsonschema.Draft202012Validator(schema)


def _shallow_refs(node: Any) -> Any:
    """Replace references to nested checks by 'an object': nested checks are validated when built."""
    if isinstance(node, dict):
        if node.get("$ref") == "#/$defs/check":
            return {"type": "object"}
        return {k: _shallow_refs(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_shallow_refs(v) for v in node]
    return node


# -- where in the file -------------------------------------------------------------


class Where:
    """A position in a located document; builds PolicyErrors that name file, line and key."""

    def __init__(self, located: Located, path: tuple[Any, ...]):
        self.located = located
        self.path = path

    def child(self, *keys: Any) -> "Where":
        return Where(self.located, self.path + keys)

    def error(self, key: str | int | None, message: str) -> PolicyError:
        path = self.path + ((key,) if key is not None and key != "" else ())
        return self.located.error(path, message)


def _schema_error(located: Located, base: tuple[Any, ...], err: Any) -> PolicyError:
    path = base + tuple(err.absolute_path)
    validator = err.validator
    instance = err.instance
    if validator == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted((err.schema.get("properties") or {}).keys())
        extra = [k for k in instance if k not in allowed]
        key = extra[0] if extra else ""
        hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return located.error(path + (key,), f"unknown key {key!r}{hint}")
    if validator == "required":
        return located.error(path, err.message.replace("is a required property", "is required but missing"))
    if validator == "type":
        return located.error(path, f"expected {_kind(err.validator_value)}, got {_kind_of(instance)}")
    if validator == "enum":
        return located.error(path, f"{instance!r} is not one of: {', '.join(map(str, err.validator_value))}")
    if validator == "pattern" and "propertyNames" in err.schema_path:
        return located.error(path + (instance,), f"{instance!r}: ids must be kebab-case "
                                                 "(lowercase letters and digits, words joined by '-')")
    if validator == "pattern":
        return located.error(path, f"{instance!r} does not have the required form ({err.validator_value})")
    if validator in ("oneOf", "anyOf") and isinstance(instance, dict):
        options = _alternatives(err.validator_value)
        if options:
            return located.error(path, f"needs exactly one of: {', '.join(options)}"
                                 if validator == "oneOf" else f"needs at least one of: {', '.join(options)}")
    return located.error(path, err.message)


def _alternatives(branches: Any) -> list[str]:
    out = []
    for b in branches if isinstance(branches, list) else []:
        req = b.get("required") if isinstance(b, dict) else None
        if req:
            out.append("+".join(req))
    return out


def _kind(t: Any) -> str:
    names = {"string": "a string", "object": "a mapping", "array": "a list", "integer": "an integer",
             "boolean": "true or false", "number": "a number"}
    if isinstance(t, list):
        return " or ".join(names.get(x, x) for x in t)
    return names.get(t, str(t))


def _kind_of(v: Any) -> str:
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, str):
        return "a string"
    if v is None:
        return "nothing (null)"
    return type(v).__name__


# -- building checks ----------------------------------------------------------------------


def build_check(spec: Any, where: Where):
    """Turn ``{primitive: options}`` into a compiled Check, validating as it goes."""
    from compliance.checks import REGISTRY

    if not isinstance(spec, dict) or len(spec) != 1:
        got = f"a mapping with {len(spec)} keys" if isinstance(spec, dict) else _kind_of(spec)
        raise where.error(None, f"a check must be a mapping with exactly one primitive, got {got} "
                                f"(primitives: {', '.join(sorted(REGISTRY))})")
    (name, options), = spec.items()
    if name not in REGISTRY:
        raise where.error(name, f"unknown check primitive {name!r} (known: {', '.join(sorted(REGISTRY))})")
    at = where.child(name)
    errors = sorted(_option_validator(name).iter_errors(options), key=lambda e: (len(e.absolute_path), e.message))
    if errors:
        raise _schema_error(at.located, at.path, _most_specific(errors))
    return REGISTRY[name].build(options, at)


def _most_specific(errors: list[Any]) -> Any:
    """Prefer the error deepest in the document; it points closest to the typo."""
    return max(errors, key=lambda e: (len(e.absolute_path), e.validator == "additionalProperties"))


# -- the policy ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    severity: Severity
    check: Any
    description: str = ""
    remediation: str = ""
    term: str = ""
    source: str = ""
    certainty: str = ""
    when: Any = None
    enabled: bool = True
    line: int | None = None


@dataclass(frozen=True)
class Policy:
    id: str
    title: str
    licensor: str
    terms_url: str
    clauses: tuple[Clause, ...]
    applies_to: Any = None
    description: str = ""
    file: str = ""
    data: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def ref(self) -> PolicyRef:
        return PolicyRef(self.id, self.title, self.licensor, self.terms_url)


def rules_dir() -> Path:
    """Built-in policies: shipped inside the package when installed, else the repository's rules/."""
    from compliance.resources import data_dir

    return data_dir("rules")


def builtin_names() -> list[str]:
    return sorted(p.stem for p in rules_dir().glob("*.yaml"))


def looks_like_file(spec: str) -> bool:
    """A slash or a YAML suffix means a policy file; anything else may name a built-in policy."""
    return "/" in spec or spec.endswith((".yaml", ".yml"))


def builtin_path(name: str) -> Path | None:
    """The file of the built-in policy ``name``, or None when there is none by that name."""
    candidate = rules_dir() / f"{name}.yaml"
    return candidate if not looks_like_file(name) and candidate.is_file() else None


def resolve(name_or_path: str) -> Path:
    """A policy name (``dcnf``) is looked up among the built-ins first; anything else is a path."""
    builtin = builtin_path(name_or_path)
    if builtin is not None:
        return builtin
    path = Path(name_or_path)
    if path.is_file():
        return path
    known = ", ".join(builtin_names())
    raise PolicyError(f"no built-in policy or file named {name_or_path!r} (built-in: {known})", file=name_or_path)


def load_policy(name_or_path: str, overrides: tuple[Any, ...] = ()) -> Policy:
    path = resolve(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read the policy: {exc}", file=str(path)) from None
    return parse_policy(text, str(path), overrides)


def parse_policy(text: str, file: str = "<policy>", overrides: tuple[Any, ...] = ()) -> Policy:
    """Parse, resolve ``extends`` and apply override files (compliance.policy.compose), then build."""
    from compliance.policy.compose import compose

    located = load_located(text, file)
    return build_policy(compose(located, tuple(overrides)))


def build_policy(located: Located) -> Policy:
    data = located.data
    if not isinstance(data, dict):
        raise located.error((), f"a policy must be a mapping at the top level, got {_kind_of(data)}")
    errors = list(_shape_validator().iter_errors(data))
    if errors:
        raise _schema_error(located, (), _most_specific(errors))
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


__all__ = ["Clause", "Policy", "build_check", "dotted", "load_policy", "parse_policy", "policy_schema"]
