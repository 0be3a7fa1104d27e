"""``compliance check``: the options, then the run: load policies, expand inputs, check, report, exit."""

from __future__ import annotations

import contextlib
import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from compliance.cli.help import epilog
from compliance.errors import ConfigError, PolicyError, UsageError, raise_all
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
                                     help="The original reporter (repeatable): the byline must name them. Whether a "
                                          "policy applies at all is still its applies_to."),
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
    fail_on_empty: bool = typer.Option(False, "--fail-on-empty",
                                       help="Exit status 1 when a page is a republication under none of the "
                                            "policies (so when nothing was checked): for CI jobs that know "
                                            "every page they check is one."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, max=256, metavar="N", help="Worker processes."),
    max_bytes: int = typer.Option(10 * 1024 * 1024, "--max-bytes", min=1, metavar="BYTES",
                                  help="Largest page accepted, in bytes."),
    timeout: float = typer.Option(15.0, "--timeout", min=0.1, metavar="SECONDS",
                                  help="Network timeout for URLs, in seconds."),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Fetch from private, loopback and link-local addresses too, wherever "
                                            "a redirect or a sitemap leads (an internal staging site); by "
                                            "default only public ones, and the kinds your own URLs are on."),
    page_timeout: float = typer.Option(20.0, "--page-timeout", min=0, metavar="SECONDS",
                                       help="Longest one page may take to check (0: no limit); a page over it "
                                            "gets an error result and the run goes on."),
    page_memory: int = typer.Option(2048, "--page-memory", min=0, metavar="MB",
                                    help="Memory one page may use, in MB (0: no limit); a page over it gets an "
                                         "error result and the run goes on."),
    render: bool = typer.Option(False, "--render/--no-render",
                                help="Check the page as headless Chromium draws it, scripts run (needs the render "
                                     "extra and Debian's chromium); file pages make no outside requests, URL pages "
                                     "reach only their own host."),
    render_timeout: float = typer.Option(5.0, "--render-timeout", min=0.5, max=120, metavar="SECONDS",
                                         help="Time a page may take to load and settle in the browser."),
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
    # -- whole sites (compliance.inputs.sites, compliance.inputs.crawl) and streaming output --
    urls: List[str] = typer.Option([], "--urls", metavar="FILE",
                                   help="A file of pages to check, one URL (or path) a line, '#' comments; "
                                        "'-' for stdin. Repeatable."),
    sitemap: List[str] = typer.Option([], "--sitemap", metavar="URL_OR_FILE",
                                      help="Check the pages a sitemap lists (indexes, .gz, Google News sitemaps; "
                                           "a robots.txt stands for its Sitemap: lines). Repeatable."),
    feed: List[str] = typer.Option([], "--feed", metavar="URL_OR_FILE",
                                   help="Check the pages an RSS or Atom feed links to. Repeatable."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE",
                                        help="Only sitemap and feed entries dated on or after DATE (undated "
                                             "ones are kept)."),
    max_pages: int = typer.Option(100_000, "--max-pages", min=1, metavar="N",
                                  help="Most pages taken from one sitemap or feed."),
    concurrency: int = typer.Option(8, "--concurrency", min=1, max=256, metavar="N",
                                    help="Most downloads at once."),
    per_host: int = typer.Option(2, "--per-host", min=1, max=64, metavar="N",
                                 help="Most downloads at once from one host."),
    delay: float = typer.Option(0.5, "--delay", min=0.0, metavar="S",
                                help="Least time between two requests to one host, in seconds (a longer "
                                     "robots.txt Crawl-delay wins)."),
    retries: int = typer.Option(3, "--retries", min=0, max=10, metavar="N",
                                help="Retries after a connection error, 429 or 503 (honouring Retry-After)."),
    ignore_robots: bool = typer.Option(False, "--ignore-robots",
                                       help="Fetch pages robots.txt disallows (for your own sites)."),
    user_agent: Optional[str] = typer.Option(None, "--user-agent", metavar="TEXT",
                                             help="User-Agent for every request (default: compliance/VERSION "
                                                  "...); robots.txt is matched on its first word."),
    cache: Optional[Path] = typer.Option(None, "--cache", metavar="DIR",
                                         help="Keep fetched pages in DIR and download again only what changed "
                                              "(conditional requests)."),
    quiet: bool = typer.Option(False, "--quiet", "-q",
                               help="Text output: only pages that fail or could not be checked, and the summary."),
    show_progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                                 help="Progress on stderr (default: only when it is a terminal)."),
    store: Optional[str] = typer.Option(None, "--store", metavar="PATH|URL",
                                        help="Record the run in a results store: a SQLite file (created if "
                                             "needed) or a postgresql:// URL (see `compliance diff`, `history`)."),
    archive: Optional[Path] = typer.Option(None, "--archive", metavar="FILE.warc.gz",
                                           help="Write every page read, as read (HTTP request and response, or "
                                                "the file), to this WARC file; the store points to each record."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                            help="Check the pages on a Dask cluster: tcp://host:8786, or local / "
                                                 "local:N for a local cluster of N workers (needs the dask extra)."),
) -> None:
    """Check pages against one or more policies."""
    from compliance.reporters import ReportOptions
    from compliance.reporters.outputs import plan, refuse_overwriting
    from compliance.runner import Settings, load_policies

    if not policy:
        raise UsageError("no policy given: add --policy NAME (see `compliance policy list`), or set `policies` "
                         "in compliance.toml")
    if stdin_filename is not None and _source(ctx, "pages") != "command line" and not (urls or sitemap or feed):
        pages = ["-"]  # like ruff and prettier: --stdin-filename alone reads the page from standard input
    if not pages and not (urls or sitemap or feed):
        raise UsageError("no pages given: name files, folders, URLs or WARC files, give --urls, --sitemap or "
                         "--feed, or set `paths` in compliance.toml (see `compliance config show`)")
    if template is not None and fmt is not Format.text:
        raise UsageError("--template replaces --format; add the other report with --report FORMAT=PATH")
    if scheduler is not None and jobs > 1:
        raise UsageError("--scheduler and --jobs both say where pages are checked: give one of them")
    if render:
        from compliance.inputs.render import unavailable_reason

        why = unavailable_reason()
        if why:
            raise UsageError(why)
    outputs = plan(fmt.value, output, report, template, tuple(f.value for f in Format))
    refuse_overwriting(outputs, _files_read(pages, policy, override, baseline, write_baseline, waivers, original,
                                            originals, urls, sitemap, feed, archive, template))
    if stdin_filename is not None and "-" not in (pages or ()):
        raise UsageError("--stdin-filename names the page read from standard input: add '-' to the pages")
    # policies and overrides, then the baseline and waivers: each file checked whole, every problem in one run
    policy_problem = suppressor = None
    try:
        loaded = load_policies(policy, override)
    except PolicyError as exc:
        policy_problem = exc
    try:
        suppressor = _suppressor(ctx, baseline, write_baseline, waivers, max_waiver_days)
    except ConfigError as exc:
        raise_all([policy_problem, exc])
    raise_all([policy_problem])
    sources = tuple(f"page:{o}" for o in original) + tuple(f"catalog:{o}" for o in originals)
    if sources:
        from compliance.originals.context import load_originals

        load_originals(sources)  # a broken catalog stops the run (exit 2) before any page is read
    settings = Settings(policies=tuple(policy), authors=tuple(a for a in author if a.strip()),
                        max_bytes=max_bytes, timeout=timeout, overrides=tuple(override), originals=sources,
                        archive=archive is not None, allow_private=allow_private, page_timeout=page_timeout or None,
                        page_memory=page_memory * 1024 * 1024 or None, render=render, render_timeout=render_timeout)
    sites, polite = _site_options(urls, sitemap, feed, since, max_pages, concurrency, per_host, delay, retries,
                                  ignore_robots, user_agent, cache)
    from compliance.cli.checkrun import RunPlan, execute
    from compliance.cli.progress import wanted

    code = execute(RunPlan(pages=tuple(pages or ()), sites=sites, settings=settings, policies=loaded, jobs=jobs,
                           stdin_name=stdin_filename,
                           polite=polite, outputs=outputs,
                           options=ReportOptions(verbose=verbose, fail_on=fail_on.value, fail_on_empty=fail_on_empty,
                                                 max_annotations=max_annotations),
                           color_for=lambda path: _want_color(color, path), suppressor=suppressor, quiet=quiet,
                           show_progress=wanted(show_progress), scheduler=_scheduler(scheduler),
                           recording=_recording(store, archive, list(pages or ()), loaded, settings, jobs,
                                                scheduler)))
    raise typer.Exit(code)


def _files_read(pages, policies, overrides, baseline, write_baseline, waivers, original, originals, urls, sitemap,
                feed, archive, template) -> list[tuple[str, str]]:
    """Local files (and folders) this run reads or writes besides its reports, with what each one is."""
    import os

    from compliance.text.urls import is_web_url

    named = [(p, "a page") for p in pages or () if p != "-" and not is_web_url(p)]
    named += [(p, "a policy file") for p in policies if os.path.exists(p)]
    named += [(p, "an override file") for p in overrides]
    named += [(p, what) for p, what in ((baseline, "the baseline"), (write_baseline, "the baseline"),
                                        (waivers, "the waiver file"), (archive, "the archive"),
                                        (template, "the template")) if p is not None]
    named += [(p, "an original") for p in (*original, *originals) if not is_web_url(p)]
    named += [(p, "a URL list, sitemap or feed") for p in (*urls, *sitemap, *feed) if p != "-" and not is_web_url(p)]
    return named


def _site_options(urls, sitemap, feed, since, max_pages, concurrency, per_host, delay, retries, ignore_robots,
                  user_agent, cache):
    """The whole-site options as the inputs layer takes them: what to list, and how politely to fetch."""
    from compliance.inputs.listing import ListingLimits, since_date
    from compliance.inputs.politeness import DEFAULT_USER_AGENT, Politeness
    from compliance.inputs.sites import SiteSources

    try:
        since_when = since_date(since) if since else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    sites = SiteSources(urls=tuple(urls), sitemaps=tuple(sitemap), feeds=tuple(feed), since=since_when,
                        limits=ListingLimits(max_urls=max_pages))
    polite = Politeness(concurrency=concurrency, per_host=per_host, delay=delay, retries=retries,
                        obey_robots=not ignore_robots, user_agent=(user_agent or "").strip() or DEFAULT_USER_AGENT,
                        cache_dir=str(cache) if cache else None)
    return sites, polite


def _suppressor(ctx: typer.Context, baseline: Optional[Path], write_baseline: Optional[Path],
                waivers: Optional[Path], max_waiver_days: Optional[int]):
    """Baseline and waiver files, loaded before any page is read so that a broken one stops the run.

    None when the run has neither: nothing is excused, and ``ci.suppress`` is not even imported.
    """
    if baseline is None and write_baseline is None and waivers is None:
        return None
    from compliance.ci.suppress import prepare
    from compliance.cli.configfile import source_of

    return prepare(baseline=baseline, write_baseline=write_baseline, waivers=waivers,
                   max_waiver_days=max_waiver_days, max_days_source=source_of(ctx, "max_waiver_days"))


def _scheduler(address: Optional[str]) -> Optional[str]:
    """The Dask scheduler's address, checked (and Dask found) before anything is read."""
    if address is None:
        return None
    try:
        import compliance.cluster as cluster
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'compliance[dask]'") from None
    cluster.parse_scheduler(address)
    return address


def _recording(store: Optional[str], archive: Optional[Path], pages: List[str], policies, settings, jobs: int,
               scheduler: Optional[str] = None):
    """The results store and WARC archive of this run (opened before any page is read), or nothing."""
    if store is None and archive is None:
        return contextlib.nullcontext()
    from dataclasses import asdict

    from compliance import __version__
    from compliance.store.recording import Recording

    recorded = {k: v for k, v in asdict(settings).items() if k not in ("policies", "archive")}
    return Recording(store=store, archive=str(archive) if archive else None, tool_version=__version__,
                     inputs=pages, policies=policies,
                     settings={**recorded, "jobs": jobs, **({"scheduler": scheduler} if scheduler else {})})


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
