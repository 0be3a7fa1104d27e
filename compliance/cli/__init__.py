"""The command line: one module per command group, assembled here; no checking logic.

``check`` lives in ``cli.check``, ``policy …`` in ``cli.policy``, ``config …`` in ``cli.config``,
``serve`` in ``cli.serve``, and ``diff``, ``history`` and ``evidence`` (reading a results store) in
``cli.audit``; reading ``compliance.toml`` is ``cli.configfile``. ``main`` is the console entry point:
every failure becomes a message and an exit code, never a traceback. The top layer: it may import
everything, nothing imports it.
"""

from __future__ import annotations

import os
import sys

import typer

from compliance.cli.audit import diff, evidence, history
from compliance.cli.check import check
from compliance.cli.config import config_app
from compliance.cli.policy import policy_app
from compliance.cli.serve import serve
from compliance.errors import ComplianceError, PolicyError

app = typer.Typer(
    name="compliance",
    help="Check republished news pages against syndication license terms.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


app.command()(check)
app.command()(diff)
app.command()(history)
app.command()(evidence)
app.add_typer(policy_app, name="policy")
app.add_typer(config_app, name="config")
app.command()(serve)


def _version(value: bool) -> None:
    if value:
        from compliance import __version__

        typer.echo(f"compliance {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Show the version and exit.")) -> None:
    """Check republished news pages against syndication license terms."""


def main() -> None:
    """Console entry point: every failure becomes a message and an exit code, never a traceback."""
    try:
        code = app(standalone_mode=False)  # without standalone mode, click returns the exit code
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except ComplianceError as exc:
        report_error(exc)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("compliance: interrupted\n")
        sys.exit(130)
    except _click_exceptions() as exc:  # usage errors from the argument parser
        exc.show()
        sys.exit(2)  # 1 means "a page failed its license"; every argument problem is a usage error
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - last resort: a message, not a traceback
        sys.stderr.write(f"compliance: internal error: {type(exc).__name__}: {exc}\n")
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


def report_error(exc: ComplianceError) -> None:
    """One line per problem on standard error (``file:line:col: key: problem``), then a count when many.

    With ``COMPLIANCE_ERROR_FORMAT=github`` (set by the GitHub Action) each problem is also a
    workflow ``::error`` annotation on standard output, at its file and line.
    """
    prefix = "policy error" if isinstance(exc, PolicyError) else "error"
    problems = getattr(exc, "problems", ())
    lines = [str(p) for p in problems] or [str(exc)]
    for line in lines:
        sys.stderr.write(f"compliance: {prefix}: {line}\n")
    if len(lines) > 1:
        files = ", ".join(dict.fromkeys(p.file for p in problems))
        sys.stderr.write(f"compliance: {len(lines)} problems in {files}\n")
    if os.environ.get("COMPLIANCE_ERROR_FORMAT", "").strip().lower() == "github":
        from compliance.reporters.github import command

        title = f"compliance {prefix}"
        if not problems:
            sys.stdout.write(command("error", str(exc), title=title) + "\n")
        for p in problems:
            message = f"{p.key}: {p.message}" if p.key else p.message
            sys.stdout.write(command("error", message, file=p.file if not p.file.startswith("<") else None,
                                     line=p.line, col=p.column, title=title) + "\n")
        sys.stdout.flush()


def _click_exceptions():
    try:  # Typer 0.2x vendors click; its parser raises the vendored exceptions
        from typer._click.exceptions import ClickException
    except ImportError:  # pragma: no cover - older Typer on top of click
        from click import ClickException
    return ClickException


if __name__ == "__main__":  # pragma: no cover
    main()
