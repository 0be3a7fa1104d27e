"""Help screens that read like click's and ruff's: option, its value's name, what it does.

Typer's rich help prints a type column for every parameter (``<bool>`` on each flag, ``<list[str]>`` on
arguments, ``<str>``/``<path>`` where a metavar would say what goes there). ``Command`` and ``Group``
tidy each parameter as the help is built: flags show no value, choices read ``a|b|c``, plain values
show an upper-case name (``TEXT``, ``N``, ``PATH``), arguments show their metavar once. Every command
and group of the CLI uses these classes (``cls=``). ``epilog`` formats the examples and exit codes that
close each command's help.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

_VALUE_NAMES = {"int": "N", "float": "NUMBER", "str": "TEXT", "Path": "PATH"}


def tidy(param: Any) -> None:
    """Give ``param`` the metavar its help line should show (idempotent; parsing is unaffected)."""
    if isinstance(param, TyperOption):
        if param.metavar is not None:
            return
        if param.is_flag or param.count:
            param.metavar = ""
            return
        descriptor = param.type_descriptor
        if descriptor.is_choice:
            param.metavar = "|".join(str(getattr(c, "value", c)) for c in descriptor.choices or ())
        else:
            param.metavar = _VALUE_NAMES.get(param.bare_type().split("[")[-1].rstrip("]"), "VALUE")
    elif isinstance(param, TyperArgument) and param.metavar is not None:
        param.display_type_rich = lambda ctx: None  # the metavar already says what goes there


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
