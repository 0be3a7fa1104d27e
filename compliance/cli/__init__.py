"""The command line: one module per command group, assembled here; no checking logic.

``check`` lives in ``cli.check``, ``policy …`` in ``cli.policy``, ``config …`` in ``cli.config``,
``serve`` in ``cli.serve``, and ``diff``, ``history`` and ``evidence`` (reading a results store) in
``cli.audit``; reading ``compliance.toml`` is ``cli.configfile``. Only ``check`` is imported with the
CLI: every other command's module is imported, and its command built, when it runs or a help screen
lists it (``LATER``), so a one-page check never pays for them. ``main`` is the console entry point:
every failure becomes a message and an exit code, never a traceback. The top layer: it may import
everything, nothing imports it.
"""

from __future__ import annotations

import importlib
import os
import sys

import typer

from compliance.cli import collector
from compliance.cli import help as helps
from compliance.cli.check import CHECK_EPILOG, check
from compliance.errors import ComplianceError, PolicyError, Several

# The commands besides check, in the order the help lists them: name -> (module, attribute, how it is
# registered). An attribute that is a typer.Typer is a command group.
LATER: dict[str, tuple[str, str, dict]] = {
    "diff": ("compliance.cli.audit", "diff", {}),
    "history": ("compliance.cli.audit", "history", {}),
    "evidence": ("compliance.cli.audit", "evidence", {}),
    "serve": ("compliance.cli.serve", "serve", {"cls": helps.Command}),
    "policy": ("compliance.cli.policy", "policy_app", {}),
    "config": ("compliance.cli.config", "config_app", {}),
}


class Root(helps.Group):
    """The assembled command tree.

    Every command and group gets the tidy help screens (``cli.help``), including ones added without
    ``cls=``; ``config show`` takes exactly ``check``'s options, so its help lists them. The commands
    of ``LATER`` are built the first time they are asked for.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        helps.adopt(self)

    def list_commands(self, ctx):
        listed = ["check", *LATER]
        return [*listed, *(name for name in super().list_commands(ctx) if name not in listed)]

    def get_command(self, ctx, name):
        if name not in self.commands:
            # an unknown name builds them all, so that "did you mean …?" can name any command
            for later in [name] if name in LATER else [n for n in LATER if n not in self.commands]:
                self.add_command(_build(later), later)
                if later == "config":
                    self._wire_config_show()
            helps.adopt(self)
        return super().get_command(ctx, name)

    def _wire_config_show(self) -> None:
        from compliance.cli.config import show_settings

        check_command = self.commands.get("check")
        show = getattr(self.commands.get("config"), "commands", {}).get("show")
        if check_command is not None and show is not None:
            show.params = list(check_command.params)
            show.callback = lambda **_values: show_settings(_current_context())


def _build(name: str):
    """The click command (or group) ``name`` of ``LATER``, built as ``app.command``/``app.add_typer`` would."""
    module, attribute, options = LATER[name]
    target = getattr(importlib.import_module(module), attribute)
    if isinstance(target, typer.Typer):
        command = typer.main.get_group(target)  # a group even when it holds one command (config show)
    else:
        single = typer.Typer(add_completion=False)  # completion is the root's option
        single.command(name=name, **options)(target)
        command = typer.main.get_command(single)  # one command and no callback: the command itself
    command.name = name
    return command


app = typer.Typer(
    name="compliance",
    help="Check republished news pages against syndication license terms.",
    epilog=helps.epilog([("compliance check site/ --policy dcnf", "check every page under site/ against a policy"),
                         ("compliance policy --help", "what a command group offers; COMMAND --help for one command"),
                         ("compliance --install-completion", "tab completion for your shell")]),
    cls=Root,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


app.command(cls=helps.Command, epilog=CHECK_EPILOG)(check)


def _version(value: bool) -> None:
    if value:
        from compliance import __version__

        typer.echo(f"compliance {__version__}")
        raise typer.Exit()


@app.callback()
def _main(ctx: typer.Context,
          version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                       help="Show the version and exit.")) -> None:
    """Check republished news pages against syndication license terms."""
    if ctx.invoked_subcommand != "check":  # check resumes it before its first page (cli.checkrun)
        collector.resume()


def main() -> None:
    """Console entry point: every failure becomes a message and an exit code, never a traceback."""
    collector.pause()  # start-up makes next to no garbage (cli.collector)
    try:
        _run()
    finally:
        collector.resume()


def _run() -> None:
    from compliance.pool import Interrupted, stop_on_signals, stop_requested

    try:
        with stop_on_signals():  # SIGTERM and Ctrl-C unwind like an exception: workers are stopped, not orphaned
            code = app(standalone_mode=False)  # without standalone mode, click returns the exit code
            if stop_requested() is not None:  # the signal's exception was dropped somewhere: stop anyway
                raise Interrupted(stop_requested())
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except ComplianceError as exc:
        report_error(exc)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, Interrupted) as exc:
        signum = getattr(exc, "signum", 2)
        sys.stderr.write("compliance: interrupted\n" if signum == 2 else "compliance: stopped (SIGTERM)\n")
        sys.exit(128 + signum)
    except _click_abort():  # Ctrl-C or Ctrl-D at a prompt
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
    parts = exc.errors if isinstance(exc, Several) else (exc,)
    problems = [p for part in parts for p in getattr(part, "problems", ())]
    annotate = os.environ.get("COMPLIANCE_ERROR_FORMAT", "").strip().lower() == "github"
    for part in parts:
        _report_one(part, annotate)
    lines = problems or parts
    if len(lines) > 1:
        files = ", ".join(dict.fromkeys(p.file for p in problems))
        sys.stderr.write(f"compliance: {len(lines)} problems in {files}\n")


def _report_one(exc: ComplianceError, annotate: bool) -> None:
    prefix = "policy error" if isinstance(exc, PolicyError) else "error"
    problems = getattr(exc, "problems", ())
    for line in [str(p) for p in problems] or [str(exc)]:
        sys.stderr.write(f"compliance: {prefix}: {line}\n")
    if annotate:
        from compliance.reporters.github import annotation_path, command

        title = f"compliance {prefix}"
        if not problems:
            sys.stdout.write(command("error", str(exc), title=title) + "\n")
        for p in problems:
            message = f"{p.key}: {p.message}" if p.key else p.message
            file = None if p.file.startswith("<") else annotation_path(p.file)
            sys.stdout.write(command("error", message, file=file, line=p.line, col=p.column, title=title) + "\n")
        sys.stdout.flush()


def _current_context():
    try:  # Typer 0.2x vendors click
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover - older Typer on top of click
        from click import get_current_context
    return get_current_context()


def _click_abort():
    """The exception a prompt raises on Ctrl-C or Ctrl-D: ``typer.Abort`` (Typer 0.2x has no click of its own)."""
    abort = getattr(typer, "Abort", None)
    if abort is not None:
        return abort
    from click.exceptions import Abort  # pragma: no cover - older Typer on top of click

    return Abort  # pragma: no cover


def _click_exceptions():
    try:  # Typer 0.2x vendors click; its parser raises the vendored exceptions
        from typer._click.exceptions import ClickException
    except ImportError:  # pragma: no cover - older Typer on top of click
        from click import ClickException
    return ClickException


if __name__ == "__main__":  # pragma: no cover
    main()
