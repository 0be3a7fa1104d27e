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

import contextlib
import sys
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from compliance.errors import UsageError

EXIT_INTERRUPTED = 130


class _Stopped(Exception):
    """Ctrl-C, carried out of the recording's ``with`` block so that the run is marked interrupted."""


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
    suppressor: Any  # compliance.ci.suppress.Suppressor; None without a baseline or waiver file
    quiet: bool = False
    show_progress: bool = False
    recording: Any = None  # compliance.store.recording.Recording (--store, --archive), opened already
    scheduler: str | None = None  # a Dask scheduler (--scheduler): its workers read and fetch the pages
    stdin_name: str | None = None  # --stdin-filename: what the page read from standard input is called


def execute(plan: RunPlan) -> int:
    """Run the plan; return the exit status."""
    from compliance.inputs.sites import site_pages
    from compliance.inputs.sources import expand_inputs
    from compliance.reporters.stream import open_sinks

    settings = plan.settings
    inputs = expand_inputs(list(plan.pages))
    if plan.stdin_name is not None:
        inputs = [replace(i, source=plan.stdin_name) if i.kind == "stdin" else i for i in inputs]
    uses_stdin = any(i.kind == "stdin" for i in inputs)
    if uses_stdin and "-" in plan.sites.urls:
        raise UsageError("standard input can be read once: give either '-' as a page or --urls -, not both")
    stdin_data = sys.stdin.buffer.read(settings.max_bytes + 1) if uses_stdin else None
    crawler = None
    try:
        if plan.sites.remote or "-" in plan.sites.urls or any(i.kind == "url" for i in inputs):
            crawler = _crawler(plan)
        inputs = _unique(inputs + site_pages(plan.sites, crawler))
        if crawler is None and any(i.kind == "url" for i in inputs):  # a local listing named URLs
            crawler = _crawler(plan)
        sinks = open_sinks(plan.outputs, plan.options, plan.color_for, quiet=plan.quiet,
                           labels_new=plan.suppressor is not None and bool(plan.suppressor.baseline
                                                                           or plan.suppressor.write_baseline))
        try:
            state = _check_all(plan, inputs, stdin_data, crawler, sinks)
            _finish(plan, state, sinks)
        except BaseException:
            for sink in sinks:
                sink.abort()
            raise
    finally:
        if crawler is not None:
            crawler.close()
    if state.interrupted:
        sys.stderr.write("compliance: interrupted; the results so far were written\n")
        return 128 + state.signum
    from compliance.results.exit import empty_fails

    return 1 if state.failed or empty_fails(state.tally.summary(), plan.options.fail_on_empty) else 0


@dataclass
class _State:
    """What the run has seen so far."""

    tally: Any
    kept: list[Any] = field(default_factory=list)  # results whole-run reports or suppression need
    failed: bool = False  # a result that makes the exit status 1
    failing: int = 0  # pages failing, for the progress display
    interrupted: bool = False
    signum: int = EXIT_INTERRUPTED - 128  # the signal that stopped the run: the exit status is 128 + it


def _crawler(plan: RunPlan) -> Any:
    from compliance.inputs.crawl import Crawler

    return Crawler(plan.settings.fetch_limits(addresses=_address_policy(plan)), plan.polite).__enter__()


def _address_policy(plan: RunPlan) -> Any:
    """Public addresses, and the kinds the user's own URLs lead to; every address with --allow-private."""
    from compliance.inputs.addresses import AddressPolicy
    from compliance.inputs.sites import typed_urls

    if plan.settings.allow_private:
        return AddressPolicy.everything()
    return AddressPolicy().widened_for(typed_urls(plan.pages, plan.sites))


def _check_all(plan: RunPlan, inputs: list[Any], stdin_data: bytes | None, crawler: Any, sinks: list[Any]) -> _State:
    """Every page through the checkers into the sinks (or, with suppression, into ``kept``); Ctrl-C stops it."""
    from compliance.cli.progress import progress
    from compliance.inputs.sites import fetch_ahead
    from compliance.reporters.stream import Keeper
    from compliance.results.model import PageStatus, Tally
    from compliance.runner import prepare

    state = _State(Tally(p.id for p in plan.policies))
    collect = _suppressing(plan)
    keep = collect or any(s.needs_run for s in sinks)
    keeper = Keeper(brief=_brief(sinks))
    if not collect:
        state.kept = keeper.results
    total = None if any(i.kind == "archive" for i in inputs) else len(inputs)
    window = max(plan.polite.concurrency * 2, plan.jobs * 4, 8)
    # with a Dask scheduler the workers fetch: tasks carry page references, never page bytes
    items = fetch_ahead(prepare(inputs, plan.settings, stdin_data), None if plan.scheduler else crawler, window,
                        sheets=not plan.settings.render)  # a rendered page's sheets are the browser's to read
    recording = plan.recording if plan.recording is not None else contextlib.nullcontext()
    from compliance.cli import collector

    collector.resume()  # start-up is over: pages make garbage
    each_page = getattr(plan.recording, "each_page", None)
    try:
        with recording, progress(total, plan.show_progress) as shown:
            try:
                for batch in _stream(plan, items):
                    if each_page is not None:
                        batch = each_page(batch)
                    state.failing += any(r.status is PageStatus.FAIL for r in batch)
                    if collect:
                        state.kept.extend(batch)
                    else:
                        _deliver(batch, sinks, state, plan.options.fail_on)
                        if keep:  # in full while a report would still show every page, then compactly
                            for result in batch:
                                keeper.add(result)
                    shown.advance(state.failing)
            except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (compliance.pool.Interrupted)
                state.interrupted = True
                state.signum = getattr(exc, "signum", EXIT_INTERRUPTED - 128)
                raise _Stopped from None  # leaves the recording marked interrupted, with what it has
    except _Stopped:
        pass
    return state


def _stream(plan: RunPlan, items: Any) -> Any:
    """The pages checked here (``--jobs``) or on a Dask cluster (``--scheduler``), in input order."""
    if plan.scheduler is not None:
        from compliance.cluster import stream as on_cluster

        return on_cluster(items, plan.settings, plan.policies, plan.scheduler, plan.polite)
    from compliance.runner import stream

    return stream(items, plan.settings, plan.policies, plan.jobs)


def _deliver(batch: list[Any], sinks: list[Any], state: _State, fail_on: str) -> None:
    from compliance.results.exit import result_fails

    for sink in sinks:
        sink.page(batch)
    for result in batch:
        state.tally.add(result)
        state.failed = state.failed or result_fails(result, fail_on)


def _finish(plan: RunPlan, state: _State, sinks: list[Any]) -> None:
    """Apply baseline and waivers (when given) to the whole run, then finish every sink."""
    from compliance import __version__
    from compliance.reporters.data import DETAIL_LIMIT
    from compliance.reporters.stream import Keeper
    from compliance.results.model import RunResult

    run = RunResult(pages=tuple(state.kept), policies=tuple(p.ref for p in plan.policies), tool_version=__version__)
    if _suppressing(plan):
        run = plan.suppressor.apply(run)
        for result in run.pages:
            _deliver([result], sinks, state, plan.options.fail_on)
        if len(run.pages) > DETAIL_LIMIT:
            keeper = Keeper(brief=_brief(sinks))
            for result in run.pages:
                keeper.add(result)
            run = RunResult(pages=tuple(keeper.results), policies=run.policies,
                            tool_version=run.tool_version, suppressions=run.suppressions)
    for sink in sinks:
        sink.finish(run, state.tally.summary(), state.interrupted)


def _suppressing(plan: RunPlan) -> bool:
    """Whether a baseline or waivers excuse failures: the results are then collected and applied at the end."""
    return plan.suppressor is not None and plan.suppressor.active


def _brief(sinks: list[Any]) -> bool:
    """Whether every whole-run report is content with brief results past its detail limit."""
    whole = [s for s in sinks if s.needs_run]
    return bool(whole) and all(s.brief for s in whole)


def _unique(inputs: list[Any]) -> list[Any]:
    seen: set[tuple[str, str]] = set()
    out = []
    for inp in inputs:
        key = (inp.kind, inp.source)
        if inp.kind == "missing" or key not in seen:
            seen.add(key)
            out.append(inp)
    return out
