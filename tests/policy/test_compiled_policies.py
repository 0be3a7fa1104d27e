"""Built-in policies read back from their JSON cache: the same document as the YAML, and no PyYAML import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.inputs.yamlpos import load_located
from compliance.policy import compiled
from compliance.policy.builtin import builtin_names, builtin_path
from compliance.policy.load import load_policy, located_policy


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setattr(compiled, "_CACHE_DIR", folder)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return folder


def same_document(a, b) -> None:
    assert a.data == b.data and list(a.data) == list(b.data)  # key order too: messages list keys in file order
    assert a.lines == b.lines
    assert a.columns == b.columns
    assert a.file == b.file


@pytest.mark.parametrize("name", builtin_names())
def test_every_built_in_policy_reads_back_from_its_cache_as_it_was_parsed(name: str, cache_dir: Path) -> None:
    path = builtin_path(name)
    parsed = load_located(path.read_text(encoding="utf-8"), str(path))
    first = compiled.load_builtin(path, lambda: path.read_text(encoding="utf-8"))
    assert compiled.cache_path(path).is_file()
    again = compiled.load_builtin(path, lambda: pytest.fail("the cache should have been used"))
    same_document(first, parsed)
    same_document(again, parsed)
    policy, from_cache = located_policy(parsed, validated=True), located_policy(again, validated=True)
    assert [(c.id, c.line, c.check.describe()) for c in policy.clauses] == \
           [(c.id, c.line, c.check.describe()) for c in from_cache.clauses]


def built_in_copy(tmp_path: Path) -> Path:
    path = tmp_path / "rules" / "dcnf.yaml"
    path.parent.mkdir()
    path.write_bytes(builtin_path("dcnf").read_bytes())
    return path


def test_an_edited_policy_is_parsed_again_even_at_the_same_size(tmp_path: Path, cache_dir: Path) -> None:
    path = built_in_copy(tmp_path)
    compiled.load_builtin(path, path.read_text)
    text = path.read_text(encoding="utf-8")
    edited = text.replace("title: Daily Caller", "title: Daily Kaller", 1)
    assert edited != text and len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert compiled.cached(path) is None
    assert "Daily Kaller" in str(compiled.load_builtin(path, path.read_text).data)
    assert "Daily Kaller" in str(compiled.cached(path).data)  # and the cache was made again


@pytest.mark.parametrize("damage", [b"", b"{\"format\": 1, \"stamp\"", b"[1, 2]", b"{\"format\": 1}", b"\xff\xfe"])
def test_a_damaged_cache_is_ignored_and_replaced(damage: bytes, tmp_path: Path, cache_dir: Path) -> None:
    path = built_in_copy(tmp_path)
    cache_dir.mkdir()
    compiled.cache_path(path).write_bytes(damage)
    located = compiled.load_builtin(path, path.read_text)
    assert located.data["id"] == "dcnf"
    same_document(compiled.cached(path), located)


def test_nothing_is_written_when_bytecode_writing_is_off(tmp_path: Path, cache_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    path = built_in_copy(tmp_path)
    assert compiled.load_builtin(path, path.read_text).data["id"] == "dcnf"
    assert not cache_dir.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_folder_is_no_error(tmp_path: Path, cache_dir: Path) -> None:
    path = built_in_copy(tmp_path)
    cache_dir.mkdir()
    cache_dir.chmod(0o500)
    try:
        assert compiled.load_builtin(path, path.read_text).data["id"] == "dcnf"
        assert list(cache_dir.iterdir()) == []
    finally:
        cache_dir.chmod(0o700)


def test_a_cache_folder_that_cannot_be_made_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setattr(compiled, "_CACHE_DIR", blocker / "cache")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = built_in_copy(tmp_path)
    assert compiled.load_builtin(path, path.read_text).data["id"] == "dcnf"
    assert compiled.cached(path) is None


def test_a_policy_file_of_ones_own_is_never_cached(tmp_path: Path, cache_dir: Path) -> None:
    own = tmp_path / "mine.yaml"
    own.write_bytes(builtin_path("dcnf").read_bytes())
    assert load_policy(str(own)).id == "dcnf"
    assert not cache_dir.exists()
    assert load_policy("dcnf").id == "dcnf"  # the built-in one is
    assert compiled.cache_path(builtin_path("dcnf")).is_file()


# Plain data as a policy file holds it: keys are strings, values nested mappings, lists and scalars.
_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                     st.floats(allow_nan=False, allow_infinity=True), st.text(max_size=20))
_keys = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
_documents = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(_keys, inner, max_size=4)),
                          max_leaves=20)


@settings(max_examples=60, deadline=None)
@given(document=st.dictionaries(_keys, _documents, min_size=1, max_size=5))
def test_any_yaml_document_reads_back_from_the_cache_as_parsed(document, tmp_path_factory) -> None:
    import yaml

    folder = tmp_path_factory.mktemp("doc")
    path = folder / "policy.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    compiled_dir, writes = compiled._CACHE_DIR, sys.dont_write_bytecode
    compiled._CACHE_DIR, sys.dont_write_bytecode = folder / "cache", False
    try:
        parsed = compiled.load_builtin(path, lambda: path.read_text(encoding="utf-8"))
        again = compiled.cached(path)
    finally:
        compiled._CACHE_DIR, sys.dont_write_bytecode = compiled_dir, writes
    same_document(again, parsed)
    assert all(type(a) is type(b) for a, b in zip(_leaves(again.data), _leaves(parsed.data)))  # 1 stays 1, not 1.0


def _leaves(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def test_a_one_page_check_reads_its_built_in_policy_without_importing_yaml() -> None:
    """The second run finds the cache the first one wrote (bytecode writing on, as an installed tool runs)."""
    code = ("import sys, runpy; sys.argv = ['compliance', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('compliance', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print('yaml loaded' if 'yaml' in sys.modules else 'no yaml', file=sys.stderr)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    args = [sys.executable, "-c", code, "check", "examples/compliant.html", "--policy", "dcnf", "--no-config"]
    subprocess.run(args, capture_output=True, cwd=REPO, timeout=60, env=env)
    r = subprocess.run(args, capture_output=True, cwd=REPO, timeout=60, env=env)
    assert b"PASS" in r.stdout, r.stderr.decode()[-2000:]
    assert r.stderr.decode().split()[-2:] == ["no", "yaml"]
