"""The policy language's JSON Schema, generated from the check registry, and turning schema errors into messages.

``policy_schema()`` is the one definition of the language: the loader validates with it (the overall
shape first, then each primitive's options, so an error points at the key nearest the typo), the schema
files shipped for editors are copies of it, and ``nested_check_keys()`` derives from it which keys hold a
nested check (``check``, ``when``, ``not``, ...) for the merge rules in ``compliance.policy.compose``.
"""

from __future__ import annotations

import copy
import difflib
from functools import lru_cache
from typing import Any

from compliance.errors import PolicyError, did_you_mean, kind_of
from compliance.inputs.yamlpos import Located

CHECK_REF = "#/$defs/check"
DISABLE = "disable"  # ``clause-id: disable`` switches a parent's clause off
KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
POLICY_ID = r"^[a-z0-9]+([-.][a-z0-9]+)*$"  # kebab-case, dots allowed for versions (cc-by-4.0)
HTTP_URL = "^https?://"
# what each pattern above asks for, in words, for error messages
PATTERN_WORDS = {
    KEBAB: "lowercase letters and digits, words joined by '-' (e.g. credit-line)",
    POLICY_ID: "lowercase letters and digits, words joined by '-' or '.' (e.g. example-news, cc-by-4.0)",
    HTTP_URL: "a URL starting with http:// or https://",
}
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
            "terms_url": {"type": "string", "pattern": HTTP_URL, "description": "URL of the terms encoded."},
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

    check_ref = {"$ref": CHECK_REF}
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
def shape_validator():
    """Validator for the policy minus check options (those are validated per primitive, for precise errors)."""
    import jsonschema

    loose = {"type": "object"}
    schema = _policy_schema(loose, {"clause": _clause_schema(loose)})
    return jsonschema.Draft202012Validator(schema)


@lru_cache(maxsize=None)
def option_validator(name: str):
    import jsonschema

    from compliance.checks import REGISTRY

    schema = copy.deepcopy(REGISTRY[name].schema)
    schema = shallow_refs(schema)
    return jsonschema.Draft202012Validator(schema)


def shallow_refs(node: Any) -> Any:
    """Replace references to nested checks by 'an object': nested checks are validated when built."""
    if isinstance(node, dict):
        if node.get("$ref") == CHECK_REF:
            return {"type": "object"}
        return {k: shallow_refs(v) for k, v in node.items()}
    if isinstance(node, list):
        return [shallow_refs(v) for v in node]
    return node


EXTENDS_SCHEMA: dict[str, Any] = {
    "description": "Parent policies this one builds on: a built-in name or a path relative to this file, or "
                   "a list of them (applied left to right; this file's keys win).",
    "oneOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    ],
}


def clause_patch_schema(clause: dict[str, Any]) -> dict[str, Any]:
    """A clause as written in a child policy or override: every key optional, or the word ``disable``."""
    loose_check = {"type": "object", "description": "Merged into the parent's check (a different primitive "
                                                    "replaces it)."}
    props = dict(clause["properties"])
    props["check"] = loose_check
    props["when"] = {**loose_check, "description": "Merged into the parent's condition."}
    return {
        "description": "A new clause, changes to a parent's clause, or 'disable'.",
        "if": {"type": "string"},
        "then": {"const": DISABLE},
        "else": {"type": "object", "additionalProperties": False, "properties": props},
    }


def override_schema() -> dict[str, Any]:
    """JSON Schema of an override file (``compliance check --override FILE``)."""
    base = policy_schema()
    return {
        "$schema": base["$schema"],
        "$id": "https://compliance.invalid/schema/override.schema.json",
        "title": "compliance policy override",
        "description": "Site-specific changes a publisher applies on top of the policies it checks against.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "policy": {
                "description": "Policy id(s) this override applies to; omit to apply it to every policy.",
                "oneOf": [{"type": "string", "pattern": POLICY_ID},
                          {"type": "array", "items": {"type": "string", "pattern": POLICY_ID}, "minItems": 1}],
            },
            "applies_to": {"$ref": "#/$defs/check", "description": "Replaces or refines the policy's applies_to."},
            "clauses": {
                "type": "object",
                "propertyNames": {"pattern": KEBAB},
                "additionalProperties": {"$ref": "#/$defs/clause-patch"},
            },
        },
        "$defs": base["$defs"],
    }


def schema_errors(located: Located, base: tuple[Any, ...], errors: Any) -> list[PolicyError]:
    """Every schema violation as a located error naming the key, with "did you mean" for near misses."""
    errors = list(errors)
    # a misspelt required key is one mistake, not two: its "unknown key" says "did you mean", so the
    # "is required but missing" for the key it meant is left out
    meant = {(tuple(e.absolute_path), near) for e in errors if e.validator == "additionalProperties"
             and isinstance(e.instance, dict)
             for key in e.instance if key not in (e.schema.get("properties") or {})
             for near in difflib.get_close_matches(str(key), list(e.schema.get("properties") or {}), n=1,
                                                   cutoff=0.6)}
    out: list[PolicyError] = []
    for err in errors:
        at = tuple(err.absolute_path)
        if err.validator == "required" and isinstance(err.instance, dict) and all(
                (at, name) in meant for name in err.validator_value if name not in err.instance):
            continue
        if err.validator in ("anyOf", "oneOf") and any((at, name) in meant for alt in _alternatives(err.validator_value)
                                                       for name in alt.split("+")):
            continue
        out.extend(_explain(located, base, err))
    return list({str(e): e for e in out}.values())


def _explain(located: Located, base: tuple[Any, ...], err: Any) -> list[PolicyError]:
    path = base + tuple(err.absolute_path)
    validator = err.validator
    instance = err.instance
    if validator == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted((err.schema.get("properties") or {}).keys())
        extra = [k for k in instance if k not in allowed] or [""]
        return [located.error(path + ((key,) if key else ()),
                              f"unknown key {key!r}" + (did_you_mean(key, allowed) or
                                                        (f" (allowed: {', '.join(allowed)})" if allowed else "")))
                for key in extra]
    if validator == "required":
        return [located.error(path, err.message.replace("is a required property", "is required but missing"))]
    if validator == "type":
        return [located.error(path, f"expected {describe_type(err.validator_value)}, got {kind_of(instance)}")]
    if validator == "enum":
        choices = [str(c) for c in err.validator_value]
        return [located.error(path, f"{instance!r} is not one of: {', '.join(choices)}"
                                    f"{did_you_mean(instance, choices)}")]
    if validator == "pattern" and "propertyNames" in err.schema_path:
        return [located.error(path + (instance,), f"{instance!r}: ids must be kebab-case "
                                                  f"({PATTERN_WORDS[KEBAB]})")]
    if validator == "pattern":
        wanted = PATTERN_WORDS.get(err.validator_value, f"the form {err.validator_value}")
        return [located.error(path, f"{instance!r} is not {wanted}" if err.validator_value == HTTP_URL
                              else f"{instance!r} must be {wanted}")]
    if validator in ("oneOf", "anyOf"):
        options = _alternatives(err.validator_value) if isinstance(instance, dict) else []
        if options:
            return [located.error(path, f"needs exactly one of: {', '.join(options)}"
                                  if validator == "oneOf" else f"needs at least one of: {', '.join(options)}")]
        context = list(err.context or ())
        if context and all(c.validator == "type" and c.absolute_path == err.absolute_path for c in context):
            wanted = " or ".join(dict.fromkeys(describe_type(c.validator_value) for c in context))
            return [located.error(path, f"expected {wanted}, got {kind_of(instance)}")]
        if context:
            import jsonschema

            return _explain(located, base, jsonschema.exceptions.best_match(context))
    return [located.error(path, err.message)]


def _alternatives(branches: Any) -> list[str]:
    out = []
    for b in branches if isinstance(branches, list) else []:
        req = b.get("required") if isinstance(b, dict) else None
        if req:
            out.append("+".join(req))
    return out


def describe_type(t: Any) -> str:
    names = {"string": "a string", "object": "a mapping", "array": "a list", "integer": "an integer",
             "boolean": "true or false", "number": "a number"}
    if isinstance(t, list):
        return " or ".join(names.get(x, x) for x in t)
    return names.get(t, str(t))


@lru_cache(maxsize=None)
def nested_check_keys() -> frozenset[str]:
    """Keys whose value is one nested check: a property that refers to a check, or a primitive whose options are one."""
    found: set[str] = set()

    def walk(node: Any, parent_key: str | None, key: str | None) -> None:
        if isinstance(node, dict):
            if node.get("$ref") == CHECK_REF and key is not None and parent_key in ("properties", "$defs"):
                found.add(key)
            for k, v in node.items():
                walk(v, key, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key, None)

    walk(policy_schema(), None, None)
    return frozenset(found)
