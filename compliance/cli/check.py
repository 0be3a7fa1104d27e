"""``compliance check``: the options, then the run: load policies, expand inputs, check, report, exit."""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from compliance.cli.help import epilog
from compliance.errors import UsageError
from compliance.reporters import REPORTERS
from compliance.results.exit import EXIT_CODES

# The --format choices are the reporters' names: a new reporter needs no change here.
Format = Enum("Format", {name: name for name in REPORTERS}, type=str)  # type: ignore[misc]


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def _config_option(ctx: typer.Context, param: typer.CallbackParam, value):
    """--config / --no-config: load the configuration file before any other option is read."""
    from compliance.cli.configfile import on_option

    on_option(ctx, param.name, value)
    return value


def check(
    ctx: typer.Context,
    pages: Optional[List[str]] = typer.Argument(None, metavar="PATH_OR_URL",
                                                help="Files, directories (recursive *.html/*.htm), globs, '-' for "
                                                     "stdin, or http(s) URLs (default: `paths` in the "
                                                     "configuration file)."),
    policy: List[str] = typer.Option([], "--policy", "-p", metavar="NAME|FILE",
                                     help="Policy to check against (repeatable): a built-in name or a YAML file."),
    override: List[str] = typer.Option([], "--override", metavar="FILE",
                                       help="Your site's override file (repeatable): changes to clauses of every "
                                            "policy, or of the policy it names, applied after the policy itself."),
    author: List[str] = typer.Option([], "--author", "-a", metavar="NAME",
                                     help="The original reporter (repeatable). The byline must name them, and the "
                                          "policy applies even if the page credits nothing."),
    original: List[str] = typer.Option([], "--original", metavar="FILE_OR_URL",
                                       help="The licensor's original story (an HTML page): every page is checked "
                                            "as a republication of it (repeatable: the best match is used)."),
    originals: List[str] = typer.Option([], "--originals", metavar="CATALOG",
                                        help="Many originals: an RSS/Atom feed or a JSON Lines/CSV manifest. Each "
                                             "page is matched to one; pages matching none are not applicable."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the report to this file."),
    report: List[str] = typer.Option([], "--report", metavar="FORMAT=PATH",
                                     help="Also write a report in FORMAT to PATH ('-' for stdout); repeatable. "
                                          "FORMAT may be a Jinja2 template file ending in .j2."),
    template: Optional[Path] = typer.Option(None, "--template", metavar="FILE.j2",
                                            help="Render your own Jinja2 template instead of --format "
                                                 "(sandboxed; HTML-escaped when named *.html.j2)."),
    max_annotations: int = typer.Option(50, "--max-annotations", min=0, metavar="N",
                                        help="github format: annotations printed per level; the summary "
                                             "line is always printed."),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on",
                                   help="Lowest severity of a failed clause that makes the exit status 1."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, max=256, metavar="N", help="Worker processes."),
    max_bytes: int = typer.Option(10 * 1024 * 1024, "--max-bytes", min=1, metavar="BYTES",
                                  help="Largest page accepted, in bytes."),
    timeout: float = typer.Option(15.0, "--timeout", min=0.1, metavar="SECONDS",
                                  help="Network timeout for URLs, in seconds."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show evidence for passing clauses too."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color",
                                         help="Colour the text output (default: on a terminal; never when "
                                              "NO_COLOR is set and not empty; always when FORCE_COLOR is)."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", metavar="PATH",
                                                 help="The name of the page read from standard input ('-'), for "
                                                      "reports, the baseline and waivers; with no page named, "
                                                      "standard input is the page."),
    config_file: Optional[Path] = typer.Option(None, "--config", metavar="FILE", is_eager=True,
                                               callback=_config_option,
                                               help="Read settings from FILE instead of the compliance.toml, "
                                                    ".compliance.yaml or pyproject.toml \\[tool.compliance] found "
                                                    "in this folder or the nearest parent."),
    no_config: bool = typer.Option(False, "--no-config", is_eager=True, callback=_config_option,
                                   help="Ignore configuration files."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", metavar="FILE",
                                            help="Fail only on failures not recorded in this baseline file."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", metavar="FILE",
                                                  help="Record today's failures (except waived ones) in FILE, "
                                                       "then report against it."),
    waivers: Optional[Path] = typer.Option(None, "--waivers", metavar="FILE",
                                           help="YAML file of reviewed exceptions, each with a reason, an "
                                                "approver and an expiry date."),
    max_waiver_days: Optional[int] = typer.Option(None, "--max-waiver-days", min=1, metavar="N",
                                                  help="Reject waivers that expire more than N days from today."),
    store: Optional[str] = typer.Option(None, "--store", metavar="PATH|URL",
                                        help="Record the run in a results store: a SQLite file (created if "
                                             "needed) or a postgresql:// URL (see `compliance diff`, `history`)."),
    archive: Optional[Path] = typer.Option(None, "--archive", metavar="FILE.warc.gz",
                                           help="Write every page read, as read (HTTP request and response, or "
                                                "the file), to this WARC file; the store points to each record."),
) -> None:
    """Check pages against one or more policies."""
    from compliance.inputs.sources import expand_inputs
    from compliance.reporters import ReportOptions
    from compliance.reporters.outputs import emit, plan
    from compliance.results.exit import exit_code
    from compliance.runner import Settings, load_policies, run

    if not policy:
        raise UsageError("no policy given: add --policy NAME (see `compliance policy list`), or set `policies` "
                         "in compliance.toml")
    if stdin_filename is not None and _source(ctx, "pages") != "command line":
        pages = ["-"]  # like ruff and prettier: --stdin-filename alone reads the page from standard input
    if not pages:
        raise UsageError("no pages given: name files, folders or URLs, or set `paths` in compliance.toml "
                         "(see `compliance config show`)")
    if template is not None and fmt is not Format.text:
        raise UsageError("--template replaces --format; add the other report with --report FORMAT=PATH")
    outputs = plan(fmt.value, output, report, template, tuple(f.value for f in Format))
    loaded = load_policies(policy, override)
    inputs = expand_inputs(pages)
    if stdin_filename is not None:
        if not any(i.kind == "stdin" for i in inputs):
            raise UsageError("--stdin-filename names the page read from standard input: add '-' to the pages")
        inputs = [replace(i, source=stdin_filename) if i.kind == "stdin" else i for i in inputs]
    stdin_data = None
    if any(i.kind == "stdin" for i in inputs):
        stdin_data = sys.stdin.buffer.read(max_bytes + 1)
    sources = tuple(f"page:{o}" for o in original) + tuple(f"catalog:{o}" for o in originals)
    if sources:
        from compliance.originals.context import load_originals

        load_originals(sources)  # a broken catalog stops the run (exit 2) before any page is read
    settings = Settings(policies=tuple(policy), authors=tuple(a for a in author if a.strip()),
                        max_bytes=max_bytes, timeout=timeout, overrides=tuple(override), originals=sources,
                        archive=archive is not None)
    suppressor = _suppressor(ctx, baseline, write_baseline, waivers, max_waiver_days)
    with _recording(store, archive, pages, loaded, settings, jobs) as recording:
        raw = run(inputs, settings, jobs=jobs, stdin_data=stdin_data, policies=loaded,
                  each_page=recording.each_page if recording else None)
    result = suppressor.apply(raw)
    emit(result, outputs, ReportOptions(verbose=verbose, fail_on=fail_on.value, max_annotations=max_annotations),
         lambda path: _want_color(color, path))
    raise typer.Exit(exit_code(result, fail_on.value))


def _suppressor(ctx: typer.Context, baseline: Optional[Path], write_baseline: Optional[Path],
                waivers: Optional[Path], max_waiver_days: Optional[int]):
    """Baseline and waiver files, loaded before any page is read so that a broken one stops the run."""
    from compliance.ci.suppress import prepare
    from compliance.cli.configfile import source_of

    return prepare(baseline=baseline, write_baseline=write_baseline, waivers=waivers,
                   max_waiver_days=max_waiver_days, max_days_source=source_of(ctx, "max_waiver_days"))


def _recording(store: Optional[str], archive: Optional[Path], pages: List[str], policies, settings, jobs: int):
    """The results store and WARC archive of this run (opened before any page is read), or nothing."""
    if store is None and archive is None:
        return contextlib.nullcontext()
    from dataclasses import asdict

    from compliance import __version__
    from compliance.store.recording import Recording

    recorded = {k: v for k, v in asdict(settings).items() if k not in ("policies", "archive")}
    return Recording(store=store, archive=str(archive) if archive else None, tool_version=__version__,
                     inputs=pages, policies=policies, settings={**recorded, "jobs": jobs})


def _source(ctx: typer.Context, param: str) -> str:
    from compliance.cli.configfile import source_of

    return source_of(ctx, param)


def _want_color(flag: Optional[bool], output: Optional[Path]) -> bool:
    """--color/--no-color, else never into a file, else NO_COLOR, then FORCE_COLOR, else a terminal.

    Both variables count only when set to something non-empty (no-color.org, force-color.org); when
    both are, NO_COLOR wins, as it does for the help screens (Rich).
    """
    if flag is not None:
        return flag
    if output is not None or os.environ.get("NO_COLOR", ""):
        return False
    if os.environ.get("FORCE_COLOR", ""):
        return True
    return sys.stdout.isatty()


CHECK_EPILOG = epilog([
    ("compliance check site/ --policy dcnf", "every page under site/ against the DCNF terms"),
    ("compliance check page.html -p propublica -a 'Jane Doe' --original story.html",
     "one page, with the reporter and the original story"),
    ("compliance check", "what compliance.toml says (see `compliance config show`)"),
    ("compliance check --write-baseline compliance-baseline.json", "accept today's failures; fail only on new ones"),
    ("compliance check -f github --report sarif=compliance.sarif", "in CI: annotations plus a code-scanning report"),
    ("cat page.html | compliance check --stdin-filename public/page.html -p dcnf",
     "a page from an editor or a pipe, named for waivers and the baseline"),
], EXIT_CODES)
