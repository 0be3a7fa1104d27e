"""Policy files: strict validation with errors naming file, line and key."""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import REPO

from compliance.errors import PolicyError
from compliance.policy.builtin import builtin_names
from compliance.policy.load import load_policy, parse_policy
from compliance.policy.schema import policy_schema

GOOD = """\
id: example
title: Example terms
licensor: Example News
terms_url: https://example.org/republish
clauses:
  credit-line:
    title: Credit line
    severity: warning
    check:
      text:
        patterns: ["Originally published by Example News"]
"""


def error_for(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, "p.yaml")
    return info.value


def test_good_policy_loads_with_defaults() -> None:
    policy = parse_policy(GOOD, "p.yaml")
    assert policy.id == "example"
    (clause,) = policy.clauses
    assert clause.id == "credit-line" and clause.severity.value == "warning" and clause.enabled


def test_unknown_top_level_key_names_line_and_key() -> None:
    err = error_for(GOOD.replace("licensor:", "licensr:"))
    assert err.line == 3 and err.key == "licensr"
    assert "unknown key 'licensr'" in str(err) and str(err).startswith("p.yaml:3:")


def test_missing_required_key() -> None:
    err = error_for(GOOD.replace("terms_url: https://example.org/republish\n", ""))
    assert "terms_url" in str(err)


def test_unknown_option_inside_a_primitive_points_at_it() -> None:
    err = error_for(GOOD.replace("patterns:", "patern:"))
    assert err.key == "clauses.credit-line.check.text.patern"
    assert err.line == 11
    assert "unknown key 'patern'" in err.problem


def test_unknown_primitive_suggests_the_near_one_or_lists_known_ones() -> None:
    err = error_for(GOOD.replace("      text:", "      txt:"))
    assert "unknown check primitive 'txt' (did you mean 'text'?)" in str(err)
    assert err.line == 10
    err = error_for(GOOD.replace("      text:", "      frobnicate:"))
    assert "unknown check primitive 'frobnicate' (known: all, any" in str(err) and "byline" in str(err)


def test_wrong_type_is_reported_in_words() -> None:
    err = error_for(GOOD.replace("severity: warning", "severity: [warning]"))
    assert err.key == "clauses.credit-line.severity"
    err = error_for(GOOD.replace('patterns: ["Originally published by Example News"]', "patterns: 3"))
    assert err.key.startswith("clauses.credit-line.check.text.patterns")


def test_invalid_regex_is_a_policy_error() -> None:
    err = error_for(GOOD.replace('"Originally published by Example News"', r'"/(a)\\1/"'))
    assert "invalid regular expression" in err.problem and err.line == 11
    assert err.key == "clauses.credit-line.check.text.patterns[0]"
    err = error_for(GOOD.replace('"Originally published by Example News"', '"/(?=lookahead)/"'))
    assert "RE2" in err.problem


def test_invalid_selector_and_xpath() -> None:
    bad_css = GOOD.replace('text:\n        patterns: ["Originally published by Example News"]',
                           'element:\n        selector: "div[["')
    err = error_for(bad_css)
    assert "invalid CSS selector" in err.problem and err.key.endswith("element.selector")
    bad_xpath = bad_css.replace('"div[["', '"//div[@"')
    assert "invalid XPath" in error_for(bad_xpath).problem


def test_clause_ids_must_be_kebab_case() -> None:
    err = error_for(GOOD.replace("credit-line:", "Credit_Line:"))
    assert "kebab-case" in err.problem


def test_check_must_have_exactly_one_primitive() -> None:
    text = GOOD.replace('      text:\n        patterns: ["Originally published by Example News"]',
                        '      text: {patterns: [a]}\n      link: {href: [b]}')
    assert "exactly one primitive" in error_for(text).problem


def test_duplicate_keys_and_bad_yaml() -> None:
    assert "duplicate key" in str(error_for(GOOD + "id: again\n"))
    assert error_for("id: [unclosed\n").line == 2


def test_yaml_python_tags_are_refused() -> None:
    err = error_for(GOOD.replace("title: Example terms", "title: !!python/object/apply:os.system ['true']"))
    assert "not allowed" in str(err) or "constructor" in str(err)


def test_alias_bomb_is_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    assert "alias" in str(error_for(bomb))


def test_placeholders_are_validated() -> None:
    text = GOOD.replace('"Originally published by Example News"', '"{original.nonsense}"')
    assert "unknown placeholder" in error_for(text).problem


def test_builtin_dcnf_has_the_three_clauses() -> None:
    policy = load_policy("dcnf")
    assert [c.id for c in policy.clauses][:3] == ["logo", "byline", "affiliation"]
    assert all(c.severity.value == "error" and c.term for c in policy.clauses[:3])
    assert "dcnf" in builtin_names()


def test_every_builtin_policy_validates_against_the_schema() -> None:
    import yaml

    schema = policy_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    rules = REPO / "rules"
    for path in sorted(rules.glob("*.yaml")):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
        load_policy(str(path))


def test_unknown_policy_name() -> None:
    with pytest.raises(PolicyError) as info:
        load_policy("no-such-policy")
    assert "dcnf" in str(info.value)


def test_schema_is_json_serialisable() -> None:
    json.dumps(policy_schema())
