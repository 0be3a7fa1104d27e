"""Regular expressions compiled the first time they are used, not when their module is imported.

A one-page check imports every module some page might need, and compiling a pattern costs 0.02-4 ms
(a long alternation, a wide character class: Python builds the class's bitmap one character at a
time). Patterns that only some pages reach (stylesheets, CJK text, XML declarations, config files)
are defined with ``lazy`` (``re``) or ``lazy_re2`` (RE2) in place of ``re.compile``/``re2.compile``, so
a run pays for each one only if it uses it.

A lazy pattern stands in for the compiled one wherever its methods and attributes are used
(``.search``, ``.sub``, ``.pattern``...). It is not an ``re.Pattern``: do not hand it to ``re.sub``,
``isinstance`` or anything that needs the real object. After the first use each method is a plain
attribute of the stand-in (the compiled pattern's bound method), so a hot loop pays nothing extra.
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, Callable, cast

__all__ = ["LazyPattern", "lazy", "lazy_re2"]


class LazyPattern:
    """A pattern compiled by ``compile(*args)`` when one of its attributes is first asked for."""

    def __init__(self, compile: Callable[..., Any], *args: Any) -> None:
        self._compile = compile
        self._args = args

    def __getattr__(self, name: str) -> Any:  # called only for attributes not already kept on the instance
        if name.startswith("__") or name in ("_compile", "_args"):
            raise AttributeError(name)  # copy, pickle and a half-built instance probe these: no compiling
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self.__dict__["_compiled"] = self._compile(*self._args)
        value = getattr(compiled, name)
        self.__dict__[name] = value  # next time a plain attribute: no __getattr__, no second compile
        return value

    def __repr__(self) -> str:
        return f"lazy({self._args[0]!r})"


def lazy(pattern: AnyStr, flags: int | re.RegexFlag = 0) -> re.Pattern[AnyStr]:
    """``re.compile(pattern, flags)``, done on first use."""
    return cast("re.Pattern[AnyStr]", LazyPattern(re.compile, pattern, flags))


def lazy_re2(pattern: AnyStr, options: Any = None) -> Any:
    """``re2.compile(pattern, options)``, done on first use (RE2 itself is imported then too)."""

    def compile(source: AnyStr, opts: Any) -> Any:
        import re2

        return re2.compile(source, opts) if opts is not None else re2.compile(source)

    return LazyPattern(compile, pattern, options)
