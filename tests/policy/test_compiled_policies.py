"""Built-in policies read back from their JSON cache: the same document as the YAML, and no PyYAML import."""

from __future__ import annotations

import json
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
    monkeypatch.setattr(compiled, "_cache_dir", lambda: folder)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return folder


def same_document(a, b) -> None:
    assert json.dumps(a.data) == json.dumps(b.data)  # key order at every level: messages list keys in file order
    assert a.data == b.data
    assert list(a.lines.items()) == list(b.lines.items())
    assert list(a.columns.items()) == list(b.columns.items())
    assert a.file == b.file


def cached_now(path: Path):
    return compiled.cached(path, compiled.stamp_of(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", builtin_names())
def test_every_built_in_policy_reads_back_from_its_cache_as_it_was_parsed(name: str, cache_dir: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = builtin_path(name)
    parsed = load_located(path.read_text(encoding="utf-8"), str(path))
    first = compiled.load_builtin(path, lambda: path.read_text(encoding="utf-8"))
    assert compiled.cache_path(path).is_file()
    with monkeypatch.context() as patched:
        patched.setattr(compiled, "load_located", lambda *_: pytest.fail("the cache should have been used"))
        again = compiled.load_builtin(path, lambda: path.read_text(encoding="utf-8"))
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


def test_an_edited_policy_is_parsed_again_even_at_the_same_size_and_time(tmp_path: Path, cache_dir: Path) -> None:
    path = built_in_copy(tmp_path)
    compiled.load_builtin(path, path.read_text)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("title: Daily Caller", "title: Daily Kaller", 1)
    assert edited != text and len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as cp -p or rsync -a would leave it
    assert cached_now(path) is None
    assert "Daily Kaller" in str(compiled.load_builtin(path, path.read_text).data)
    assert "Daily Kaller" in str(cached_now(path).data)  # and the cache was made again


def test_a_cache_made_by_other_parsing_code_or_in_another_layout_is_not_used(tmp_path: Path, cache_dir: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = built_in_copy(tmp_path)
    compiled.load_builtin(path, path.read_text)
    assert cached_now(path) is not None
    parser = compiled._parser_stamp()
    monkeypatch.setattr(compiled, "_parser_stamp", lambda: [parser[0] + 1, *parser[1:]])  # yamlpos edited
    assert cached_now(path) is None
    monkeypatch.setattr(compiled, "_parser_stamp", lambda: parser)
    monkeypatch.setattr(compiled, "FORMAT", compiled.FORMAT + 1)
    assert cached_now(path) is None


def test_the_parsing_code_is_part_of_the_stamp(tmp_path: Path) -> None:
    """Touching yamlpos (as an upgrade or an edit does) changes what a cache must have been made by."""
    from compliance.inputs import yamlpos

    before = compiled._parser_stamp()
    st = os.stat(yamlpos.__file__)
    try:
        os.utime(yamlpos.__file__, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert compiled._parser_stamp() != before
    finally:
        os.utime(yamlpos.__file__, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_policies_of_the_same_name_in_two_folders_have_two_caches(tmp_path: Path, cache_dir: Path) -> None:
    first = built_in_copy(tmp_path)
    other = tmp_path / "elsewhere" / "dcnf.yaml"
    other.parent.mkdir()
    other.write_text(first.read_text(encoding="utf-8").replace("title: Daily Caller", "title: Other", 1),
                     encoding="utf-8")
    assert compiled.cache_path(first) != compiled.cache_path(other)
    compiled.load_builtin(first, first.read_text)
    compiled.load_builtin(other, other.read_text)
    assert "Daily Caller" in str(cached_now(first).data) and "Other" in str(cached_now(other).data)


def test_the_cache_follows_pycache_prefix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "prefix"))
    assert compiled.cache_path(builtin_path("dcnf")).is_relative_to(tmp_path / "prefix")


@pytest.mark.parametrize("damage", [b"", b"{\"format\": 1, \"stamp\"", b"[1, 2]", b"{\"format\": 1}", b"\xff\xfe"])
def test_a_damaged_cache_is_ignored_and_replaced(damage: bytes, tmp_path: Path, cache_dir: Path) -> None:
    path = built_in_copy(tmp_path)
    cache_dir.mkdir()
    compiled.cache_path(path).write_bytes(damage)
    located = compiled.load_builtin(path, path.read_text)
    assert located.data["id"] == "dcnf"
    same_document(cached_now(path), located)


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
    monkeypatch.setattr(compiled, "_cache_dir", lambda: blocker / "cache")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = built_in_copy(tmp_path)
    assert compiled.load_builtin(path, path.read_text).data["id"] == "dcnf"
    assert cached_now(path) is None


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
    compiled_dir, writes = compiled._cache_dir, sys.dont_write_bytecode
    compiled._cache_dir, sys.dont_write_bytecode = (lambda: folder / "cache"), False
    try:
        parsed = compiled.load_builtin(path, lambda: path.read_text(encoding="utf-8"))
        again = cached_now(path)
    finally:
        compiled._cache_dir, sys.dont_write_bytecode = compiled_dir, writes
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


@pytest.mark.parametrize("policy", ["dcnf", "cc-by-nd-4.0"])  # the second extends cc-by-4.0
def test_a_one_page_check_reads_its_built_in_policy_without_importing_yaml(policy: str, tmp_path: Path) -> None:
    """The second run finds the cache the first one wrote (bytecode writing on, as an installed tool runs)."""
    code = ("import sys, runpy; sys.argv = ['compliance', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('compliance', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print('yaml loaded' if 'yaml' in sys.modules else 'no yaml', file=sys.stderr)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")  # the checkout's own folders stay as they are
    args = [sys.executable, "-c", code, "check", "examples/compliant.html", "--policy", policy, "--no-config"]
    first = subprocess.run(args, capture_output=True, cwd=REPO, timeout=60, env=env)
    r = subprocess.run(args, capture_output=True, cwd=REPO, timeout=60, env=env)
    assert first.stderr.decode().split()[-2:] == ["yaml", "loaded"]  # the first run parsed it
    assert b"Summary: 1 page(s) checked" in r.stdout, r.stderr.decode()[-2000:]
    assert r.stderr.decode().split()[-2:] == ["no", "yaml"]
    assert r.stdout == first.stdout
