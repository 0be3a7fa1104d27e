"""`extends` and override files: merge order, clause changes, and errors that point into the right file."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

from compliance.errors import PolicyError
from compliance.policy.load import load_policy
from compliance.results.model import Severity
from compliance.runner import load_policies

BASE = """\
id: base
title: Base terms
licensor: Example News
terms_url: https://example.org/terms
applies_to: {text: {patterns: ["Example News"]}}
clauses:
  byline:
    title: Byline
    check: {byline: {affiliation: ["Example News"]}}
  credit:
    title: Credit line
    severity: warning
    check: {text: {patterns: ["Originally published by Example News"], position: top, window: 5}}
  pixel:
    title: Pixel
    check: {element: {selector: img, attributes: {src: "example.org/pixel"}, visible: any}}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def clauses(policy) -> dict:
    return {c.id: c for c in policy.clauses}


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write(tmp_path, "base.yaml", BASE)


def test_child_changes_severity_options_disables_and_adds(base: Path) -> None:
    child = write(base.parent, "child.yaml", """\
id: child
extends: base.yaml
title: Child terms
clauses:
  byline: {severity: info}
  credit:
    check: {text: {window: 12}}
  pixel: disable
  logo:
    title: Logo
    check: {logo: {alt: ["Example News"]}}
""")
    policy = load_policy(str(child))
    got = clauses(policy)
    assert policy.id == "child" and policy.title == "Child terms" and policy.licensor == "Example News"
    assert got["byline"].severity is Severity.INFO
    assert "Example News" in got["byline"].check.describe()  # options kept
    credit = got["credit"].check
    assert credit.scope.window == 12 and credit.scope.position == "top"  # merged, not replaced
    assert got["credit"].severity is Severity.WARNING
    assert not got["pixel"].enabled
    assert [c.id for c in policy.clauses] == ["byline", "credit", "pixel", "logo"]


def test_enabled_false_and_lists_replace(base: Path) -> None:
    child = write(base.parent, "child.yaml", """\
id: child
extends: base.yaml
clauses:
  pixel: {enabled: false}
  credit:
    check: {text: {patterns: ["First published by Example News"]}}
""")
    got = clauses(load_policy(str(child)))
    assert not got["pixel"].enabled
    described = got["credit"].check.describe()
    assert "First published" in described and "Originally published" not in described


def test_a_different_primitive_replaces_the_check(base: Path) -> None:
    child = write(base.parent, "child.yaml", """\
id: child
extends: base.yaml
clauses:
  pixel:
    check: {manual: {note: "The pixel cannot be seen in print."}}
""")
    got = clauses(load_policy(str(child)))
    assert "checked by a person" in got["pixel"].check.describe()


def test_parents_apply_left_to_right_and_builtins_resolve(tmp_path: Path, base: Path) -> None:
    write(tmp_path, "second.yaml", """\
id: second
extends: base.yaml
clauses:
  byline: {severity: warning}
""")
    child = write(tmp_path, "child.yaml", """\
id: child
extends: [dcnf, second.yaml]
""")
    policy = load_policy(str(child))
    got = clauses(policy)
    assert {"logo", "affiliation", "byline", "credit", "pixel"} <= set(got)
    assert got["byline"].severity is Severity.WARNING  # from second.yaml, the later parent
    assert "Example News" in got["byline"].check.describe()  # base.yaml's options merged over dcnf's
    assert policy.licensor == "Example News"


def test_builtin_cc_family_is_composed() -> None:
    nd = clauses(load_policy("cc-by-nd-4.0"))
    assert not nd["modification-notice"].enabled and "no-derivatives" in nd
    assert "by-nd/4.0" in nd["license-link"].check.describe()
    conv = clauses(load_policy("the-conversation"))
    assert conv["license-link"].severity is Severity.WARNING
    assert conv["attribution"].term.startswith("Credit the author")


def test_unknown_parent_names_file_line_and_key(tmp_path: Path) -> None:
    child = write(tmp_path, "child.yaml", "id: child\ntitle: x\nextends:\n  - dcnf\n  - nowhere\n")
    with pytest.raises(PolicyError) as err:
        load_policy(str(child))
    e = err.value
    assert e.file == str(child) and e.line == 5 and e.key == "extends[1]"
    assert "unknown parent policy 'nowhere'" in e.problem


def test_cycles_name_file_line_and_key(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "id: a\nextends: b.yaml\n")
    b = write(tmp_path, "b.yaml", "id: b\n\nextends: a.yaml\n")
    with pytest.raises(PolicyError) as err:
        load_policy(str(tmp_path / "a.yaml"))
    e = err.value
    assert e.file == str(b) and e.line == 3 and e.key == "extends"
    assert "cycle" in e.problem and "a.yaml → b.yaml → a.yaml" in e.problem


def test_self_extension_is_a_cycle(tmp_path: Path) -> None:
    me = write(tmp_path, "me.yaml", "id: me\nextends: me.yaml\n")
    with pytest.raises(PolicyError, match="cycle"):
        load_policy(str(me))


def test_errors_after_merging_point_into_the_file_the_key_came_from(base: Path) -> None:
    child = write(base.parent, "child.yaml", """\
id: child
extends: base.yaml
clauses:
  credit:
    check:
      text: {window: "wide"}
""")
    with pytest.raises(PolicyError) as err:
        load_policy(str(child))
    assert (err.value.file, err.value.line, err.value.key) == (str(child), 6, "clauses.credit.check.text.window")

    middle = write(base.parent, "middle.yaml", "id: middle\nextends: base.yaml\nclauses:\n  pixel:\n"
                                               "    check: {element: {selector: 'img[', visible: any}}\n")
    leaf = write(base.parent, "leaf.yaml", "id: leaf\nextends: middle.yaml\nclauses:\n  byline: {severity: info}\n")
    with pytest.raises(PolicyError) as err:
        load_policy(str(leaf))
    assert err.value.file == str(middle) and err.value.line == 5
    assert err.value.key.startswith("clauses.pixel.check.element")


def test_inherited_keys_keep_their_parent_lines(base: Path) -> None:
    child = write(base.parent, "child.yaml", "id: child\nextends: base.yaml\nclauses:\n  byline: {severity: info}\n")
    got = clauses(load_policy(str(child)))
    assert got["byline"].line == 4  # changed in the child
    assert got["pixel"].line == 14  # untouched: still the parent's line


def test_changing_a_missing_clause_is_an_error(base: Path) -> None:
    child = write(base.parent, "child.yaml", "id: child\nextends: base.yaml\nclauses:\n  bylin: {severity: info}\n")
    with pytest.raises(PolicyError) as err:
        load_policy(str(child))
    assert err.value.key == "clauses.bylin" and err.value.line == 4
    assert "no clause 'bylin'" in err.value.problem


def test_a_child_file_is_checked_on_its_own(base: Path) -> None:
    child = write(base.parent, "child.yaml", "id: child\nextends: base.yaml\nclauses:\n  byline: {colour: red}\n")
    with pytest.raises(PolicyError) as err:
        load_policy(str(child))
    assert err.value.file == str(child) and "colour" in err.value.problem


# -- override files ------------------------------------------------------------------------------------


def test_override_for_one_policy(tmp_path: Path) -> None:
    ov = write(tmp_path, "site.yaml", """\
policy: dcnf
clauses:
  logo:
    check: {logo: {within: ".article-header"}}
  affiliation: {severity: warning}
  byline: disable
""")
    dcnf, propublica = load_policies(["dcnf", "propublica"], [str(ov)])
    got = clauses(dcnf)
    assert got["affiliation"].severity is Severity.WARNING
    assert not got["byline"].enabled
    assert got["logo"].check.scope.within_text == ".article-header"
    assert clauses(propublica)["byline"].enabled  # not targeted


def test_override_for_every_policy_skips_clauses_a_policy_lacks(tmp_path: Path) -> None:
    ov = write(tmp_path, "site.yaml", "clauses:\n  pixel: {severity: warning}\n")
    propublica, dcnf = load_policies(["propublica", "dcnf"], [str(ov)])
    assert clauses(propublica)["pixel"].severity is Severity.WARNING
    assert "pixel" not in clauses(dcnf)


def test_override_applies_after_the_policy_and_in_order(tmp_path: Path) -> None:
    first = write(tmp_path, "first.yaml", "clauses:\n  byline: {severity: info}\n")
    second = write(tmp_path, "second.yaml", "policy: dcnf\nclauses:\n  byline: {severity: warning}\n")
    (dcnf,) = load_policies(["dcnf"], [str(first), str(second)])
    assert clauses(dcnf)["byline"].severity is Severity.WARNING


def test_override_naming_no_clause_of_any_policy_is_an_error(tmp_path: Path) -> None:
    ov = write(tmp_path, "site.yaml", "clauses:\n  logo: {severity: info}\n  bylne: {severity: info}\n")
    with pytest.raises(PolicyError) as err:
        load_policies(["dcnf", "propublica"], [str(ov)])
    assert (err.value.file, err.value.line, err.value.key) == (str(ov), 3, "clauses.bylne")


def test_targeted_override_of_a_missing_clause_is_an_error(tmp_path: Path) -> None:
    ov = write(tmp_path, "site.yaml", "policy: dcnf\nclauses:\n  pixel: {severity: info}\n")
    with pytest.raises(PolicyError, match="no clause 'pixel'"):
        load_policies(["dcnf"], [str(ov)])


def test_override_shape_is_validated(tmp_path: Path) -> None:
    ov = write(tmp_path, "site.yaml", "policy: dcnf\nclause:\n  logo: {severity: info}\n")
    with pytest.raises(PolicyError) as err:
        load_policies(["dcnf"], [str(ov)])
    assert err.value.line == 2 and "unknown key 'clause'" in err.value.problem


def test_override_errors_after_merge_point_into_the_override(tmp_path: Path) -> None:
    ov = write(tmp_path, "site.yaml", "policy: dcnf\nclauses:\n  logo:\n    check: {logo: {min_size: 0}}\n")
    with pytest.raises(PolicyError) as err:
        load_policies(["dcnf"], [str(ov)])
    assert err.value.file == str(ov) and err.value.line == 4


def test_check_command_takes_overrides(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from compliance.cli import app

    page = REPO / "rules" / "examples" / "dcnf" / "fail-affiliation-missing.html"
    ov = write(tmp_path, "site.yaml", "policy: dcnf\nclauses:\n  affiliation: {severity: warning}\n")
    plain = CliRunner().invoke(app, ["check", str(page), "-p", "dcnf", "-a", "Jane Doe"])
    relaxed = CliRunner().invoke(app, ["check", str(page), "-p", "dcnf", "-a", "Jane Doe", "--override", str(ov)])
    assert plain.exit_code == 1
    assert relaxed.exit_code == 0, relaxed.output
    assert "warning" in relaxed.output
