"""The command line: parse arguments, call the runner, pick a reporter, set the exit code. No checking logic here."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from compliance.errors import ComplianceError, PolicyError, UsageError

app = typer.Typer(
    name="compliance",
    help="Check republished news pages against syndication license terms.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

from compliance.cli_policy import policy_app  # noqa: E402  (sub-commands live in their own module)

app.add_typer(policy_app, name="policy")


class Format(str, Enum):
    text = "text"
    json = "json"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def _version(value: bool) -> None:
    if value:
        from compliance import __version__

        typer.echo(f"compliance {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Show the version and exit.")) -> None:
    """Check republished news pages against syndication license terms."""


@app.command()
def check(
    pages: List[str] = typer.Argument(..., metavar="PATH_OR_URL...",
                                      help="Files, directories (recursive *.html/*.htm), globs, '-' for stdin, "
                                           "or http(s) URLs."),
    policy: List[str] = typer.Option([], "--policy", "-p", metavar="NAME|FILE",
                                     help="Policy to check against (repeatable): a built-in name or a YAML file."),
    author: List[str] = typer.Option([], "--author", "-a", metavar="NAME",
                                     help="The original reporter (repeatable). The byline must name them, and the "
                                          "policy applies even if the page credits nothing."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on",
                                   help="Lowest severity of a failed clause that makes the exit status 1."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, max=256, help="Worker processes."),
    max_bytes: int = typer.Option(10 * 1024 * 1024, "--max-bytes", min=1, help="Largest page accepted, in bytes."),
    timeout: float = typer.Option(15.0, "--timeout", min=0.1, help="Network timeout for URLs, in seconds."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show evidence for passing clauses too."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color",
                                         help="Colour the text output (default: only on a terminal, never "
                                              "when NO_COLOR is set)."),
) -> None:
    """Check pages against one or more policies."""
    from compliance.outcome import exit_code
    from compliance.reporters import ReportOptions, render
    from compliance.runner import Settings, load_policies, run
    from compliance.sources import expand_inputs

    if not policy:
        raise UsageError("no policy given: add --policy NAME (see `compliance policy list`)")
    loaded = load_policies(policy)
    inputs = expand_inputs(pages)
    stdin_data = None
    if any(i.kind == "stdin" for i in inputs):
        stdin_data = sys.stdin.buffer.read(max_bytes + 1)
    settings = Settings(policies=tuple(policy), authors=tuple(a for a in author if a.strip()),
                        max_bytes=max_bytes, timeout=timeout)
    result = run(inputs, settings, jobs=jobs, stdin_data=stdin_data, policies=loaded)
    use_color = _want_color(color, output)
    text = render(fmt.value, result, ReportOptions(color=use_color, verbose=verbose, fail_on=fail_on.value))
    _write(text, output)
    raise typer.Exit(exit_code(result, fail_on.value))


def _want_color(flag: Optional[bool], output: Optional[Path]) -> bool:
    if flag is not None:
        return flag
    if output is not None or os.environ.get("NO_COLOR") is not None:
        return False
    return sys.stdout.isatty()


def _write(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


def main() -> None:
    """Console entry point: every failure becomes a message and an exit code, never a traceback."""
    try:
        app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except ComplianceError as exc:
        prefix = "policy error" if isinstance(exc, PolicyError) else "error"
        sys.stderr.write(f"compliance: {prefix}: {exc}\n")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("compliance: interrupted\n")
        sys.exit(130)
    except _click_exceptions() as exc:  # usage errors from the argument parser
        exc.show()
        sys.exit(2 if exc.exit_code not in (0, 1) else exc.exit_code)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - last resort: a message, not a traceback
        sys.stderr.write(f"compliance: internal error: {type(exc).__name__}: {exc}\n")
        sys.exit(2)


def _click_exceptions():
    import click

    return click.ClickException


if __name__ == "__main__":  # pragma: no cover
    main()
