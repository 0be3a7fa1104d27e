"""Lazily compiled patterns: nothing compiled at definition, the same answers as the compiled pattern after."""

from __future__ import annotations

import re

import pytest
import re2

from compliance.text.regex import lazy, lazy_re2


def test_a_lazy_pattern_answers_as_the_compiled_one() -> None:
    pattern = lazy(r"(?P<word>b\w+)", re.I)
    compiled = re.compile(r"(?P<word>b\w+)", re.I)
    text = "Bylines by Jane, BY Reuters"
    assert pattern.search(text).group("word") == compiled.search(text).group("word")
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert pattern.sub("_", text) == compiled.sub("_", text)
    assert pattern.findall(text) == compiled.findall(text)
    assert (pattern.pattern, pattern.flags, pattern.groups) == (compiled.pattern, compiled.flags, compiled.groups)


def test_nothing_is_compiled_until_the_pattern_is_used() -> None:
    broken = lazy(r"(unclosed")  # re.compile would raise here
    with pytest.raises(re.error):
        broken.search("text")


def test_after_the_first_use_a_method_is_the_compiled_patterns_own() -> None:
    pattern = lazy(rb"\d+")
    assert pattern.match(b"42").group(0) == b"42"
    assert "match" in vars(pattern)  # kept on the stand-in: no lookup through __getattr__ again
    assert isinstance(pattern.match.__self__, re.Pattern)
    assert pattern.fullmatch.__self__ is pattern.match.__self__  # compiled once for every method


def test_an_re2_pattern_keeps_its_options() -> None:
    options = re2.Options()
    options.case_sensitive = False
    pattern = lazy_re2(rb"display\s*:\s*none", options)
    assert pattern.search(b".a { DISPLAY: None }") is not None
    assert lazy_re2(rb"display").search(b"DISPLAY") is None
