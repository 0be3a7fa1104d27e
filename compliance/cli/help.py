"""Help screens that read like click's and ruff's: option, its value's name, what it does.

Typer's rich help prints a type column for every parameter (``<bool>`` on each flag, ``<list[str]>`` on
arguments, ``<str>``/``<path>`` where a metavar would say what goes there). ``Command`` and ``Group``
tidy each parameter as the help is built: flags show no value, choices read ``a|b|c``, plain values
show an upper-case name (``TEXT``, ``N``, ``PATH``), arguments show their metavar once. Every command
and group of the CLI uses these classes (``cls=``). ``epilog`` formats the examples and exit codes that
close each command's help.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

# The names of the click types Typer (< 0.29, see pyproject's pin) converts values with; ranges are "int range".
# Typer 0.29 names the annotation instead ("int", "str", "Path"): both are read, so an environment that still
# has 0.29 installed keeps working.
_VALUE_NAMES = {"str": "TEXT", "int": "N", "float": "NUMBER", "path": "PATH", "Path": "PATH"}


def choices(param: Any) -> list[str]:
    """The values a choice parameter accepts, as a user types them (none for other parameters)."""
    descriptor = getattr(param, "type_descriptor", None)  # Typer 0.29
    found = descriptor.choices if descriptor is not None and descriptor.is_choice else \
        getattr(getattr(param, "type", None), "choices", None)
    return [str(getattr(c, "value", c)) for c in found or ()]


def bounds(param: Any) -> tuple[Any, Any]:
    """A number parameter's (min, max), None where open."""
    holder = param if hasattr(param, "type_descriptor") else getattr(param, "type", None)  # 0.29 / click's ranges
    return getattr(holder, "min", None), getattr(holder, "max", None)


def _value_name(param: Any) -> str:
    kind = param.bare_type().split("[")[-1].rstrip("]") if hasattr(param, "type_descriptor") else param.type.name
    return _VALUE_NAMES.get(kind.removesuffix(" range"), "VALUE")


def tidy(param: Any) -> None:
    """Give ``param`` the metavar its help line should show (idempotent; parsing is unaffected)."""
    if isinstance(param, TyperOption):
        if param.metavar is not None:
            return
        if param.is_flag or param.count:
            param.metavar = ""
            return
        param.metavar = "|".join(choices(param)) or _value_name(param)
    elif isinstance(param, TyperArgument) and param.metavar is not None:
        if hasattr(param, "type_descriptor"):  # Typer 0.29
            param.display_type_rich = lambda ctx: None
        elif type(param) is TyperArgument:
            param.__class__ = Argument
            param.type = _untyped(param.type)  # the metavar already says what goes there


class Argument(TyperArgument):
    """An argument with a metavar: the usage line marks a repeatable one with ``...``, as click does."""

    def make_metavar(self, ctx: Any, *, usage: bool = False) -> str:
        var = super().make_metavar(ctx, usage=usage)
        return f"{var}..." if usage and self.nargs != 1 else var


class _Untyped:
    """Mixed into an argument's click type: its help line shows the metavar alone, no ``<str>`` type column."""

    def get_metavar(self, param: Any, ctx: Any = None) -> str:
        return ""


@functools.cache
def _untyped_class(kind: type) -> type:
    return type(f"Untyped{kind.__name__}", (_Untyped, kind), {})


def _untyped(value_type: Any) -> Any:
    quiet = copy.copy(value_type)  # click's types are shared singletons (STRING): never change one in place
    quiet.__class__ = _untyped_class(type(value_type))
    return quiet


class Command(TyperCommand):
    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        for param in params:
            tidy(param)
        return params


class Group(TyperGroup):
    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        for param in params:
            tidy(param)
        return params


def adopt(group: Any) -> None:
    """Give every plain Typer command and group under ``group`` these help screens."""
    for command in (getattr(group, "commands", None) or {}).values():
        if type(command) is TyperCommand:
            command.__class__ = Command
        elif type(command) is TyperGroup:
            command.__class__ = Group
        adopt(command)


def epilog(examples: list[tuple[str, str]], exit_codes: dict[int, str] | None = None) -> str:
    """The end of a command's help: examples (command, what it does) and, when given, exit codes.

    Rich markup: paragraphs are separated by blank lines; ``[`` in a command is escaped.
    """
    out = ["[b]Examples[/b]"]
    for command, what in examples:
        out.append(f"  [dim]# {what}[/dim]\n  $ {command.replace('[', chr(92) + '[')}")
    if exit_codes:
        out.append("[b]Exit codes[/b]")
        out.append("\n".join(f"  {code}  {meaning}" for code, meaning in sorted(exit_codes.items())))
    return "\n\n".join(out)
