"""The shipped JSON Schemas match the code, every built-in policy validates against them, and the README agrees."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import REPO

from compliance.authoring import docs as policy_docs
from compliance.authoring import schema_files
from compliance.inputs.yamlpos import load_located
from compliance.policy.builtin import builtin_names, resolve
from compliance.policy.load import Where, build_check, load_policy, parse_policy


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((schema_files.SCHEMA_DIR / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_shipped_schema_files_equal_the_generated_ones() -> None:
    assert schema_files.stale() == [], "run `compliance policy schema --write`"


def test_schema_describes_extends_and_every_check() -> None:
    from compliance.checks import REGISTRY

    schema = json.loads((schema_files.SCHEMA_DIR / "policy.schema.json").read_text(encoding="utf-8"))
    assert "extends" in schema["properties"]
    assert set(REGISTRY) <= set(schema["$defs"]["check"]["properties"])
    assert "published_within" in schema["$defs"]


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_policy_validates_against_the_shipped_schema(name: str) -> None:
    path = resolve(name)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../compliance/schema/policy.schema.json"
    errors = list(_validator("policy.schema.json").iter_errors(yaml.safe_load(text)))
    assert not errors, [e.message for e in errors]


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_policy_passes_the_loaders_own_validation(name: str) -> None:
    """Loaded by name, a built-in skips JSON Schema (start-up time); the full validation must accept it too."""
    path = resolve(name)
    checked = parse_policy(path.read_text(encoding="utf-8"), str(path))
    assert checked.data == load_policy(name).data
    assert [c.id for c in checked.clauses] == [c.id for c in load_policy(name).clauses]


def test_schema_rejects_what_the_loader_rejects() -> None:
    validator = _validator("policy.schema.json")
    good = {"id": "x", "title": "t", "licensor": "l", "terms_url": "https://x.org",
            "clauses": {"a": {"title": "A", "check": {"manual": {"note": "n"}}}}}
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "clauses": {"a": {"title": "A"}}})  # no check
    assert not validator.is_valid({k: v for k, v in good.items() if k != "licensor"})
    child = {"id": "y", "extends": "x", "clauses": {"a": "disable", "b": {"severity": "info"}}}
    assert validator.is_valid(child)
    assert not validator.is_valid({**child, "clauses": {"a": "off"}})


def test_override_schema_accepts_an_override_file() -> None:
    validator = _validator("override.schema.json")
    assert validator.is_valid({"policy": "dcnf", "clauses": {"logo": {"check": {"logo": {"within": ".x"}}},
                                                              "byline": "disable"}})
    assert not validator.is_valid({"id": "x", "clauses": {}})


def test_policy_list_shows_every_builtin() -> None:
    from typer.testing import CliRunner

    from compliance.cli import app

    result = CliRunner().invoke(app, ["policy", "list"])
    assert result.exit_code == 0
    rows = [line for line in result.output.splitlines() if line.strip()]
    assert len(rows) >= 12
    for name in ("dcnf", "propublica", "the-conversation", "calmatters", "texas-tribune", "kff-health-news",
                 "inn-republication-tracker", "undark", "floodlight", "montana-free-press", "cc-by-4.0",
                 "cc-by-nd-4.0", "cc-by-nc-nd-4.0"):
        assert any(row.startswith(name + " ") for row in rows), name


@pytest.mark.parametrize("primitive", sorted(policy_docs.EXAMPLES))
def test_readme_examples_are_valid_checks(primitive: str) -> None:
    text = yaml.safe_dump(policy_docs.EXAMPLES[primitive])
    located = load_located(text, "<example>")
    build_check(located.data, Where(located, ()))


def test_readme_sections_agree_with_the_schema_and_policies() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    hint = "run `python -m compliance.authoring.docs --write`"
    assert policy_docs.current_section(readme, policy_docs.LANGUAGE_HEADING) == policy_docs.render_language(), hint
    assert policy_docs.current_section(readme, policy_docs.POLICIES_HEADING) == policy_docs.render_policies(), hint


def test_readme_documents_every_check_and_option() -> None:
    from compliance.checks import REGISTRY

    section = policy_docs.render_language()
    for name, prim in REGISTRY.items():
        assert f"#### `{name}`" in section
        for option in (prim.schema.get("properties") or {}):
            assert f"| `{option}` |" in section, (name, option)
