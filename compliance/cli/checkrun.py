"""One ``compliance check`` run from start to finish: inputs, fetching, checking, streaming outputs, Ctrl-C.

The pieces live below (``inputs.sites``, ``inputs.crawl``, ``runner.stream``,
``reporters.stream``); this wires them in the one order that keeps memory
flat and output early: listings are read first (so the total is known), then
pages flow through ``fetch_ahead`` and the checkers into every sink as each
finishes. Ctrl-C stops the flow; the sinks are finished with the results so
far (their summary says the run was interrupted) and the exit status is 130.

With a baseline or waiver file the results are collected first: excusing
failures and finding stale entries needs the whole run.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Callable

from compliance.errors import UsageError

EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class RunPlan:
    """Everything ``check`` decided from its options, handed over in one piece."""

    pages: tuple[str, ...]
    sites: Any  # compliance.inputs.sites.SiteSources
    settings: Any  # compliance.runner.Settings
    policies: list[Any]
    jobs: int
    polite: Any  # compliance.inputs.crawl.Politeness
    outputs: list[Any]
    options: Any  # compliance.reporters.ReportOptions
    color_for: Callable[[Any], bool]
    suppressor: Any
    quiet: bool = False
    show_progress: bool = False


def execute(plan: RunPlan) -> int:
    """Run the plan; return the exit status."""
    from compliance import __version__
    from compliance.cli.progress import progress
    from compliance.inputs.fetch import FetchLimits
    from compliance.inputs.sites import fetch_ahead, site_pages
    from compliance.inputs.sources import expand_inputs
    from compliance.reporters.data import DETAIL_LIMIT
    from compliance.reporters.stream import compact, open_sinks
    from compliance.results.exit import EXIT_FAILED, EXIT_OK, result_fails
    from compliance.results.model import PageStatus, RunResult
    from compliance.results.model import Tally
    from compliance.runner import prepare, stream

    settings = plan.settings
    inputs = expand_inputs(list(plan.pages))
    uses_stdin = any(i.kind == "stdin" for i in inputs)
    if uses_stdin and "-" in plan.sites.urls:
        raise UsageError("standard input can be read once: give either '-' as a page or --urls -, not both")
    stdin_data = sys.stdin.buffer.read(settings.max_bytes + 1) if uses_stdin else None
    needs_network = plan.sites.remote or "-" in plan.sites.urls or any(i.kind == "url" for i in inputs)

    crawler = None
    if needs_network:
        from compliance.inputs.crawl import Crawler

        limits = FetchLimits(timeout=settings.timeout, max_bytes=settings.max_bytes,
                             max_redirects=settings.max_redirects)
        crawler = Crawler(limits, plan.polite).__enter__()
    try:
        inputs = _unique(inputs + site_pages(plan.sites, crawler))
        if crawler is None and any(i.kind == "url" for i in inputs):  # a local list named URLs
            from compliance.inputs.crawl import Crawler

            crawler = Crawler(FetchLimits(timeout=settings.timeout, max_bytes=settings.max_bytes,
                                          max_redirects=settings.max_redirects), plan.polite).__enter__()
        total = None if any(i.kind == "archive" for i in inputs) else len(inputs)
        collect = plan.suppressor.active
        sinks = open_sinks(plan.outputs, plan.options, plan.color_for, quiet=plan.quiet,
                           labels_new=bool(plan.suppressor.baseline or plan.suppressor.write_baseline))
        keep = collect or any(s.needs_run for s in sinks)
        kept: list[Any] = []
        tally = Tally()
        failed = False
        interrupted = False
        window = max(plan.polite.concurrency * 2, plan.jobs * 4, 8)
        items = fetch_ahead(prepare(inputs, settings, stdin_data), crawler, window)
        failing = 0
        try:
            with progress(total, plan.show_progress) as shown:
                for batch in stream(items, settings, plan.policies, plan.jobs):
                    failing += any(r.status is PageStatus.FAIL for r in batch)
                    if collect:
                        kept.extend(batch)
                    else:
                        for sink in sinks:
                            sink.page(batch)
                        for result in batch:
                            tally.add(result)
                            failed = failed or result_fails(result, plan.options.fail_on)
                        if keep:  # in full while a report would still show every page, then compactly
                            kept.extend(r if len(kept) < DETAIL_LIMIT else compact(r) for r in batch)
                    shown.advance(failing)
        except KeyboardInterrupt:
            interrupted = True
        run = RunResult(pages=tuple(kept), policies=tuple(p.ref for p in plan.policies), tool_version=__version__)
        if collect:
            run = plan.suppressor.apply(run)
            for result in run.pages:
                for sink in sinks:
                    sink.page([result])
                tally.add(result)
                failed = failed or result_fails(result, plan.options.fail_on)
            if len(run.pages) > DETAIL_LIMIT:
                run = RunResult(pages=tuple(compact(r) for r in run.pages), policies=run.policies,
                                tool_version=run.tool_version, suppressions=run.suppressions)
        try:
            for sink in sinks:
                sink.finish(run, tally.summary(), interrupted)
        except BaseException:
            for sink in sinks:
                sink.abort()
            raise
    finally:
        if crawler is not None:
            crawler.close()
    if interrupted:
        sys.stderr.write("compliance: interrupted; the results so far were written\n")
        return EXIT_INTERRUPTED
    return EXIT_FAILED if failed else EXIT_OK


def _unique(inputs: list[Any]) -> list[Any]:
    seen: set[tuple[str, str]] = set()
    out = []
    for inp in inputs:
        key = (inp.kind, inp.source)
        if inp.kind == "missing" or key not in seen:
            seen.add(key)
            out.append(inp)
    return out
