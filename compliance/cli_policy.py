"""``compliance policy …``: list, validate, explain policies."""

from __future__ import annotations

from typing import List

import typer

policy_app = typer.Typer(help="List, validate and explain policies.", no_args_is_help=True)


@policy_app.command("list")
def policy_list() -> None:
    """List the built-in policies."""
    from compliance.policy import builtin_names, load_policy

    for name in builtin_names():
        p = load_policy(name)
        typer.echo(f"{p.id:<28} {p.title}  ({len(p.clauses)} clauses)")


@policy_app.command("validate")
def policy_validate(files: List[str] = typer.Argument(..., metavar="FILE_OR_NAME...")) -> None:
    """Load and validate policy files; exit 2 on the first broken one."""
    from compliance.policy import load_policy

    for f in files:
        p = load_policy(f)
        typer.echo(f"ok: {f} (policy {p.id}, {len(p.clauses)} clauses)")


@policy_app.command("show")
def policy_show(name: str = typer.Argument(..., metavar="NAME|FILE")) -> None:
    """Explain a policy in plain words, clause by clause."""
    from compliance.policy import load_policy
    from compliance.policy_text import explain

    typer.echo(explain(load_policy(name)))


@policy_app.command("schema")
def policy_schema_cmd() -> None:
    """Print the JSON Schema of the policy language."""
    import json

    from compliance.policy import policy_schema

    typer.echo(json.dumps(policy_schema(), indent=2))
