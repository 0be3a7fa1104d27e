"""``compliance config …``: show which configuration file applies and what each setting is."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from compliance.cli.help import Command, Group, epilog

config_app = typer.Typer(help="Show the configuration `compliance check` would use.", no_args_is_help=True,
                         cls=Group)


@config_app.command("show", cls=Command, epilog=epilog([
    ("compliance config show", "the settings a plain `compliance check` would use here, and where each is set"),
    ("compliance config show --fail-on warning public/", "what that command line would use")]))
def config_show() -> None:
    """Print the effective settings and where each came from (file:line, command line or default).

    Takes the same arguments as `compliance check`, so `compliance config show --fail-on warning`
    shows what that check would use; nothing is checked.
    """
    # assembled in compliance.cli: this command gets check's options and runs show_settings


def show_settings(check_ctx: typer.Context) -> None:
    """``config show`` with ``check_ctx`` parsed exactly as ``compliance check`` parses its arguments."""
    from compliance.cli.configfile import KEYS, loaded, source_of
    from compliance.inputs.files import display_path

    command = check_ctx.command
    cfg = loaded(check_ctx)
    if cfg is not None:
        typer.echo(f"Configuration file: {display_path(cfg.path)}")
        for other in cfg.ignored:
            typer.echo(f"Ignored: {display_path(other)} ({cfg.path.name} takes precedence in the same folder)")
    elif check_ctx.params.get("no_config"):
        typer.echo("Configuration file: none (--no-config)")
    else:  # discovery found nothing (a found file would have been loaded above)
        typer.echo(f"Configuration file: none found in {Path.cwd()} or its parents")
    params = {p.name for p in command.params}
    rows = [(key.name, _show(check_ctx.params.get(key.param)), source_of(check_ctx, key.param))
            for key in KEYS.values() if key.param in params]
    width = max(len(name) for name, _, _ in rows)
    value_width = min(48, max(len(value) for _, value, _ in rows))
    typer.echo("")
    for name, value, source in rows:
        typer.echo(f"{name:<{width}}  {value:<{value_width}}  {source}")


def _show(value: Any) -> str:
    if value is None or value == () or value == []:
        return "(not set)"
    return json.dumps(_plain(value), ensure_ascii=False)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value
