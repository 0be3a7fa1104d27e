"""Run policies over many pages: read, decode, parse once, check every policy; optionally in parallel.

Every input yields a result per policy, even when it cannot be read: a
broken page becomes an ``error`` result with a message, and the others are
still checked. Pages are checked in supervised worker processes
(``compliance.pool``), one or ``jobs`` of them: a page over its time or memory
budget, or whose worker dies, becomes an ``error`` result and the run goes on.
Results come back in input order, identical whatever the number of jobs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Iterator

from compliance.checks.base import Context
from compliance.engine import check_page
from compliance.policy.load import load_policy
from compliance.policy.model import Policy
from compliance.results.model import Capture, PageResult, PageStatus, RunResult
from compliance.text.inert import inert, inert_value


_MB = 1024 * 1024
DEFAULT_PAGE_TIMEOUT = 20.0
DEFAULT_PAGE_MEMORY = 2048 * _MB


@dataclass(frozen=True)
class Settings:
    """What a run needs besides pages and policies."""

    policies: tuple[str, ...]
    authors: tuple[str, ...] = ()
    max_bytes: int = 10 * 1024 * 1024
    timeout: float = 15.0
    max_redirects: int = 5
    originals: tuple[str, ...] = ()  # --original / --originals sources
    overrides: tuple[str, ...] = ()  # --override files, applied to the policies they target
    archive: bool = False  # build each page's WARC records where it is read (--archive)
    allow_private: bool = False  # fetch from private, loopback and link-local addresses too (--allow-private)
    page_timeout: float | None = DEFAULT_PAGE_TIMEOUT  # seconds one page may take (None: no limit)
    page_memory: int | None = DEFAULT_PAGE_MEMORY  # bytes of memory one page may add to its worker
    render: bool = False  # check the DOM headless Chromium renders, scripts run (--render)
    render_timeout: float = 5.0  # seconds a page may take to load and settle in the browser (--render-timeout)

    def fetch_limits(self, **more: Any) -> Any:
        """The download limits of this run (``compliance.inputs.fetch.FetchLimits``)."""
        from compliance.inputs.fetch import FetchLimits

        return FetchLimits(timeout=self.timeout, max_bytes=self.max_bytes, max_redirects=self.max_redirects, **more)


def load_policies(specs: Iterable[str], overrides: Iterable[str] = ()) -> list[Policy]:
    """Load policies, applying a publisher's override files (see compliance.policy.compose) to those they target.

    Every file is read even when an earlier one is broken, and all their problems are raised together.
    """
    from compliance.errors import Collector, PolicyError

    problems = Collector()
    specs, overrides = list(specs), list(overrides)

    def attempt(load, *args):
        try:
            return load(*args)
        except PolicyError as exc:
            problems.add(exc)
            return None

    if not overrides:  # the usual run: policy.compose is not even imported
        policies = [p for p in (attempt(load_policy, s) for s in specs) if p is not None]
        problems.check(PolicyError)
        return policies
    from compliance.policy.compose import check_overrides_used, load_override

    loaded = tuple(o for o in (attempt(load_override, f, problems) for f in overrides) if o is not None)
    policies = [p for p in (attempt(load_policy, s, loaded) for s in specs) if p is not None]
    if len(policies) == len(specs):
        attempt(check_overrides_used, loaded, {p.id: [c.id for c in p.clauses] for p in policies})
    problems.check(PolicyError)
    return policies


def error_results(source: str, policies: list[Policy], message: str, encoding: str | None = None) -> list[PageResult]:
    source, message = inert(source), inert(message)  # a file name or URL, and what it said: see check_raw
    return [PageResult(source=source, policy=p.ref, status=PageStatus.ERROR, message=message, encoding=encoding)
            for p in policies]


def check_raw(source: str, data: bytes, policies: list[Policy], settings: Settings, *,
              http_charset: str | None = None, url: str | None = None, matcher: Any = None,
              stylesheets: Any = None, rendered: bool = False) -> list[PageResult]:
    """Decode, parse and check one page's bytes against every policy.

    ``stylesheets`` reads the page's linked sheets (``compliance.inputs.stylesheets``); ``rendered``: the
    bytes are the DOM a browser rendered, visibility marked by it (``compliance.inputs.render``).
    """
    from compliance.document.page import Page, PageParseError
    from compliance.inputs.decode import decode_html, not_html_reason

    reason = not_html_reason(data)
    if reason:
        return error_results(source, policies, reason)
    decoded = decode_html(data, http_charset)
    # parsed lazily: a page whose raw text already rules every policy out is never turned into a tree
    page = Page(decoded.text, source=source, encoding=decoded.encoding, url=url, lazy=True, utf8=decoded.utf8,
                stylesheets=stylesheets, rendered=rendered)
    ctx = Context(page=page, authors=settings.authors)
    extra: dict[str, Any] = {}
    if matcher is not None:
        try:
            extra = matcher(ctx) or {}
        except PageParseError as exc:  # read as an article to match it to its original: cut short
            return error_results(source, policies, str(exc), decoded.encoding)
    # every string a page or its name put into a result, escaped once here for every output (text.inert)
    return [inert_value(check_page(p, ctx, source, extra)) for p in policies]


def check_input(inp: Any, policies: list[Policy], settings: Settings, raw: Any = None,
                matcher: Any = None) -> list[PageResult]:
    """Check one page; ``raw`` (a ``RawPage``) is its bytes when already read or fetched, else it is read here.

    Never raises for a page: an unexpected exception becomes the page's ``error`` result (out of memory
    excepted, which is the caller's budget to report).
    """
    try:
        return _check_input(inp, policies, settings, raw, matcher)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - nothing is lost: an unexpected failure is this page's error
        return error_results(inp.source, policies, _unexpected(exc))


def _check_input(inp: Any, policies: list[Policy], settings: Settings, raw: Any, matcher: Any) -> list[PageResult]:
    from compliance.inputs.sources import read_input

    if raw is None:  # only a URL needs the download limits (and the fetching code they live in)
        raw = read_input(inp, max_bytes=settings.max_bytes,
                         limits=settings.fetch_limits() if inp.kind == "url" else None)
    if raw.error or raw.data is None:
        return error_results(inp.source, policies, raw.error or "the page could not be read")
    url = raw.final_url or (inp.source if inp.kind == "url" else None)
    data, charset = raw.data, raw.http_charset
    if settings.render:
        from compliance.inputs.render import render_input

        data, charset = render_input(inp.kind, inp.source, raw.data, url, settings.render_timeout), None
    results = check_raw(inp.source, data, policies, settings, http_charset=charset, url=url, matcher=matcher,
                        stylesheets=None if settings.render else _stylesheets(inp, raw, url, settings),
                        rendered=settings.render)
    captured = capture(inp, raw, settings.archive)
    return [replace(r, capture=captured) for r in results]


def _unexpected(exc: Exception) -> str:
    why = "it nests elements too deeply to be read" if isinstance(exc, RecursionError) else f"{type(exc).__name__}: {exc}"
    return f"the page could not be checked ({why})"


def _stylesheets(inp: Any, raw: Any, url: str | None, settings: Settings) -> Any:
    """What the page's ``<link rel=stylesheet>`` may read: files beside a page file, its own site's sheets
    (through the run's crawler when the fetch stage gave the page a link to it, else fetched here)."""
    from compliance.inputs import stylesheets

    if inp.kind == "file":
        return stylesheets.file_loader(inp.source)
    if raw.sheets is not None and url is not None:
        return raw.sheets.loader(url, raw.data, raw.http_charset)
    if url is not None:
        return stylesheets.url_loader(url, settings.fetch_limits())
    return None


def capture(inp: Any, raw: Any, archive: bool) -> Capture:
    """The bytes that were checked: their hash and read time, and their WARC records when archiving."""
    import hashlib

    from compliance.inputs.clock import now

    when = raw.exchange.fetched_at if raw.exchange is not None else now()
    digest = hashlib.sha256(raw.data).hexdigest()
    records = None
    if archive:
        from compliance.inputs.archive import build_records, file_uri

        if inp.kind == "url":
            target = raw.final_url or inp.source
        elif inp.kind == "file":
            target = file_uri(inp.source)
        elif inp.kind == "warc":
            target = inp.source  # the archived page's own URI
        else:
            target = f"urn:sha256:{digest}"  # standard input has no address of its own
        records = build_records(target, raw.data, when, raw.exchange)
    return Capture(sha256=digest, length=len(raw.data), fetched_at=when, records=records)


# -- many pages ----------------------------------------------------------------------------------

Item = tuple[Any, Any]  # (PageInput, RawPage | None): a page reference and its bytes when already in hand


def prepare(inputs: Iterable[Any], settings: Settings, stdin_data: bytes | None = None) -> Iterator[Item]:
    """The pages of ``inputs`` as items: WARC archives expanded into their pages, standard input read once."""
    import io

    from compliance.inputs.sources import iter_pages, read_input

    for inp, raw in iter_pages(inputs, settings.max_bytes):
        if inp.kind == "stdin" and raw is None:
            stdin = io.BytesIO(stdin_data) if stdin_data is not None else None  # read once, by the main process
            raw = read_input(inp, max_bytes=settings.max_bytes, stdin=stdin)
        yield inp, raw


def stream(items: Iterable[Item], settings: Settings, policies: list[Policy], jobs: int = 1,
           ) -> Iterator[list[PageResult]]:
    """Each page's results (one per policy) as soon as it and every page before it are checked.

    Lazy and bounded: at most a few pages per worker are in flight, so a run of any length holds only
    those in memory, and the first results come out while later pages are still being read or fetched.
    (``compliance.cluster`` does the same on a Dask cluster.)

    Every page runs in a worker process, even with one job: only a process can be stopped while it is
    inside libxml2 or a policy's XPath, so a page over its time or memory budget, or whose worker dies,
    costs that page alone (an ``error`` result naming the limit) and the run goes on. Forking a worker
    takes a few milliseconds, and it inherits the policies and originals already loaded here.
    """
    from compliance.pool import Budget, Failure, WorkerPool

    import compliance.text.names  # noqa: F401 - imported once here, every forked worker starts with it (~30 ms)

    if isinstance(items, list):
        jobs = min(jobs, max(1, len(items)))
    _LOADED[settings] = (policies, make_matcher(settings))
    budget = Budget(seconds=settings.page_timeout, memory=settings.page_memory)
    try:
        with WorkerPool(_work, jobs=jobs, setup=_worker_setup, setup_arg=settings, budget=budget,
                        budget_for=lambda item: _seconds_for(item, settings), depth=_DEPTH) as pool:
            for (inp, _), outcome in pool.imap(items):
                if isinstance(outcome, Failure):
                    yield error_results(inp.source, policies, _failure_message(outcome, settings))
                else:
                    yield outcome
    finally:
        _LOADED.pop(settings, None)


def run(inputs: list[Any], settings: Settings, jobs: int = 1, stdin_data: bytes | None = None,
        policies: list[Policy] | None = None,
        each_page: Callable[[list[PageResult]], list[PageResult]] | None = None) -> RunResult:
    """The whole run in memory (the API for a few pages; the CLI streams with ``stream``).

    ``each_page`` sees each page's results as soon as they are in (in input order) and returns the
    ones to keep (the results store and the archive writer record them there)."""
    from compliance import __version__

    policies = policies if policies is not None else load_policies(settings.policies, settings.overrides)
    items = prepare(inputs, settings, stdin_data)
    results: list[PageResult] = []
    for batch in stream(items, settings, policies, jobs):
        results.extend(each_page(batch) if each_page is not None else batch)
    return RunResult(pages=tuple(results), policies=tuple(p.ref for p in policies), tool_version=__version__)


# Tasks a worker holds at once: the one it runs and three more. When this process also fetches the pages, it
# can be a millisecond late to pass on a result and send the next page; a worker holding three pages ahead
# rarely waits for it (with one ahead it waited a third of a second over the corpus, and checking by URL took
# 1.4x as long as from disk). The pipe's buffer still bounds what goes ahead (``WorkerPool``).
_DEPTH = 4

# What the parent already loaded, by settings: a worker forked from the parent finds it here and loads
# nothing; a worker started from the fork server (the parent runs threads) loads it from the settings.
_LOADED: dict[Settings, tuple[list[Policy], Any]] = {}


def _worker_setup(settings: Settings) -> tuple[list[Policy], Any, Settings]:
    loaded = _LOADED.get(settings)
    if loaded is None:
        loaded = (load_policies(settings.policies, settings.overrides), make_matcher(settings))
    return loaded[0], loaded[1], settings


def _work(state: tuple[list[Policy], Any, Settings], item: Item) -> list[PageResult]:
    from compliance.pool import Retire

    policies, matcher, settings = state
    inp, raw = item
    try:
        return _check_input(inp, policies, settings, raw, matcher)
    except MemoryError:
        raise  # the pool reports the page's memory limit and replaces the worker
    except Exception as exc:  # noqa: BLE001 - nothing is lost: an unexpected failure is this page's error
        # ... and this worker's last page: the failure may have left state behind (a lock held inside lxml)
        raise Retire(error_results(inp.source, policies, _unexpected(exc))) from None


def _seconds_for(item: Item, settings: Settings) -> float | None:
    """A page's time budget: checking it, plus downloading it when it is a URL (the fetch has its own deadline)."""
    if not settings.page_timeout:
        return None
    inp, raw = item
    return settings.page_timeout + (settings.timeout if inp.kind == "url" and raw is None else 0.0)


def _failure_message(failure: Any, settings: Settings) -> str:
    """One sentence for a page whose worker could not give a result, naming the limit that stopped it."""
    if failure.kind == "timeout":
        return (f"the page was not checked: it took longer than the {settings.page_timeout:g} s time limit per page "
                f"(--page-timeout), so its worker was stopped")
    if failure.kind == "memory":
        return (f"the page was not checked: it needed more than the {(settings.page_memory or 0) // _MB} MB memory "
                f"limit per page (--page-memory)")
    if failure.kind == "died":
        return f"the page was not checked: {failure.message}"
    return f"the page could not be checked ({failure.message})"


def make_matcher(settings: Settings) -> Any:
    """Article-context hook: matches a page to its original when originals were given."""
    if not settings.originals:
        return None
    from compliance.originals.context import make_context_matcher

    return make_context_matcher(settings)
