"""The primitives' registry: declared in one place, each module imported only when a policy uses it."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import pytest
from conftest import REPO

import compliance.checks
from compliance.checks import PRIMITIVES, REGISTRY
from compliance.checks.base import Primitive, Registry


def _in_a_fresh_process(code: str) -> dict:
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=REPO, timeout=60, check=True)
    return json.loads(r.stdout)


def test_every_declared_primitive_is_registered_by_its_module_and_nothing_else_is() -> None:
    REGISTRY.load_all()
    for name in PRIMITIVES:
        prim = REGISTRY[name]
        assert isinstance(prim, Primitive) and prim.name == name
        assert prim.build.__module__ == f"compliance.checks.{PRIMITIVES[name]}"
    # every module of the package that registers something is one PRIMITIVES names (register refuses others)
    modules = {m.name for m in pkgutil.iter_modules(compliance.checks.__path__)}
    assert set(PRIMITIVES.values()) <= modules
    for module in modules:
        importlib.import_module(f"compliance.checks.{module}")
    assert len(REGISTRY._loaded) == len(PRIMITIVES)


def test_names_are_known_without_importing_any_primitive() -> None:
    loaded = _in_a_fresh_process(
        "import json, sys; from compliance.checks import REGISTRY\n"
        "names = sorted(REGISTRY); known = 'byline' in REGISTRY and 'bylin' not in REGISTRY\n"
        "print(json.dumps({'names': names, 'known': known,"
        " 'modules': sorted(m for m in sys.modules if m.startswith('compliance.checks.'))}))")
    assert loaded["names"] == sorted(PRIMITIVES) and loaded["known"]
    assert loaded["modules"] == ["compliance.checks.base"]


def test_a_policy_loads_only_the_modules_of_the_primitives_it_uses(tmp_path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("id: p\ntitle: P\nlicensor: Example News\nterms_url: https://example.org/terms\n"
                      "clauses:\n  says-so:\n    title: Says so\n    check: {text: {patterns: [Reprinted]}}\n",
                      encoding="utf-8")
    loaded = _in_a_fresh_process(
        "import json, sys; from compliance.policy.load import load_policy\n"
        f"load_policy({str(policy)!r})\n"
        "print(json.dumps({'modules': sorted(m for m in sys.modules if m.startswith('compliance.checks.'))}))")
    used = {f"compliance.checks.{m}" for m in ("text", "scope", "options", "base")}
    assert set(loaded["modules"]) >= {"compliance.checks.text"}
    assert not set(loaded["modules"]) - used, set(loaded["modules"]) - used


def test_a_module_registering_an_undeclared_primitive_is_refused() -> None:
    registry = Registry()
    registry.declare({"known": "somewhere.known"})
    primitive = Primitive("unknown", "", {}, lambda options, where: None)
    with pytest.raises(RuntimeError, match="PRIMITIVES"):
        registry.add(primitive, "somewhere.unknown")
    registry.add(Primitive("known", "", {}, lambda options, where: None), "somewhere.known")
    with pytest.raises(RuntimeError, match="twice"):
        registry.add(Primitive("known", "", {}, lambda options, where: None), "somewhere.known")
    with pytest.raises(KeyError):
        registry["nothing"]
