"""Page checks on a Dask distributed cluster (``--scheduler``): the runner's own work, spread over machines.

``--scheduler tcp://host:8786`` uses a running cluster; ``local`` or ``local:N``
starts a ``LocalCluster`` of N single-threaded worker processes (for trying it,
and for tests). What crosses the network:

- once per worker, in a ``WorkerPlugin``: the policies as applied (their YAML
  text, rebuilt on the worker, since compiled selectors do not pickle), the
  run's settings and politeness, and the original articles the worker builds
  its matching index from;
- per task: a few page references (a path, a URL, a WARC file and offset),
  never a page's bytes; a worker reads or fetches each page itself, so paths
  and WARC files must be where the workers can read them (a shared disk);
- back: each page's results, in the same model as every other run (with the
  page's WARC records when the run archives).

Each page goes through ``runner.check_input`` exactly as with ``--jobs``, so the
results are identical to ``--jobs 1``; they come back in input order, as soon as
each page and every page before it are done, with a bounded number of tasks in
flight. Standard input is checked here, in the client. A URL is fetched by the
worker through its own polite crawler: per-host limits and delays hold per
worker, so N workers may together send a host N times ``--per-host``.

Dask is the ``dask`` extra and is imported only here.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
from collections import deque
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from distributed import Client, LocalCluster, WorkerPlugin, get_worker

from compliance.errors import UsageError
from compliance.results.model import PageResult

PAGES_PER_TASK = 4  # a task costs the cluster about 3 ms (LocalCluster, 2 workers): a few pages amortise it
TASKS_PER_WORKER = 4  # in flight per worker: enough to keep it busy, few enough to stream
_LOCAL = re.compile(r"^local(?::(\d+))?$")


@dataclass(frozen=True)
class Payload:
    """What every worker needs for the run, shipped to it once."""

    version: str
    policies: tuple[str, ...]  # policy.load.applied_text of each policy, in the run's order
    settings: Any  # runner.Settings
    originals: Any  # (articles, from_catalog) from originals.context.load_originals, or None
    polite: Any  # inputs.crawl.Politeness, for the pages a worker fetches


class _Worker:
    """A worker's copy of the run: policies rebuilt, the originals index, a crawler once a URL comes."""

    def __init__(self, payload: Payload):
        from compliance import __version__
        from compliance.policy.load import parse_policy

        if payload.version != __version__:
            raise RuntimeError(f"this Dask worker runs compliance {__version__} but the run was started by "
                               f"compliance {payload.version}; install the same version on every worker")
        self.settings = payload.settings
        self.polite = payload.polite
        self.policies = [parse_policy(text, "<run>") for text in payload.policies]
        self.matcher = None
        if payload.originals is not None:
            from compliance.originals.context import matcher_for

            self.matcher = matcher_for(*payload.originals)
        self.crawler: Any = None

    def check(self, ref: Any) -> list[PageResult]:
        from compliance.runner import check_input

        return check_input(ref, self.policies, self.settings, self._fetch(ref), self.matcher)

    def _fetch(self, ref: Any) -> Any:
        if ref.kind != "url":
            return None  # read by check_input itself: a file, a WARC record, a missing page's reason
        from compliance.inputs.fetch import FetchError
        from compliance.inputs.sources import RawPage, raw_from_fetch

        if self.crawler is None:
            from compliance.inputs.crawl import Crawler

            self.crawler = Crawler(self.settings.fetch_limits(), self.polite).__enter__()
        try:
            return raw_from_fetch(ref.source, self.crawler.get(ref.source))
        except FetchError as exc:
            return RawPage(ref.source, None, error=str(exc))

    def close(self) -> None:
        if self.crawler is not None:
            self.crawler.close()


class RunSetup(WorkerPlugin):
    """Installs the run on each worker (``setup``), under a name of the run's own."""

    def __init__(self, name: str, payload: bytes):
        self.name = name
        self.payload = payload
        self.worker_state: _Worker | None = None

    def setup(self, worker: Any) -> None:
        self.worker_state = _Worker(pickle.loads(self.payload))

    def teardown(self, worker: Any) -> None:
        if self.worker_state is not None:
            self.worker_state.close()


def check_batch(plugin: str, refs: list[Any]) -> list[list[PageResult]]:
    """The task: each page's results, in order (runs on a worker)."""
    state = get_worker().plugins[plugin].worker_state
    return [state.check(ref) for ref in refs]


def parse_scheduler(address: str) -> tuple[str, int | None]:
    """("local", N) for ``local`` / ``local:N``, else (address, None) for a scheduler to connect to."""
    match = _LOCAL.match(address.strip())
    if match:
        workers = int(match.group(1)) if match.group(1) else (os.cpu_count() or 1)
        if not 1 <= workers <= 256:
            raise UsageError(f"--scheduler {address}: a local cluster has 1 to 256 workers")
        return "local", workers
    if not re.match(r"^(tcp|tls|inproc|ucx|ws|wss)://.+", address):
        raise UsageError(f"--scheduler {address}: give a scheduler address such as tcp://host:8786, or local, "
                         "or local:N")
    return address, None


class Cluster:
    """A connection to a Dask scheduler (or a LocalCluster started for the run), closed with the run."""

    def __init__(self, address: str):
        target, workers = parse_scheduler(address)
        self.address = address
        self.local: LocalCluster | None = None
        try:
            if workers is not None:
                self.local = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                          dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self.local, set_as_default=False)
            else:
                self.client = Client(target, timeout="30s", set_as_default=False)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def install(self, payload: Payload) -> str:
        """Ship the run to every worker (and to workers that join later); return the plugin's name."""
        data = pickle.dumps(payload)
        name = f"compliance-run-{hashlib.sha256(data).hexdigest()[:16]}"
        try:
            self.client.register_plugin(RunSetup(name, data), name=name)
        except RuntimeError as exc:  # a worker refused the run (another compliance version)
            raise UsageError(f"the Dask workers at {self.address} cannot take the run: {exc}") from None
        return name

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self.local is not None:
            self.local.close()


def stream(items: Iterable[tuple[Any, Any]], settings: Any, policies: list[Any], address: str | Cluster,
           polite: Any = None) -> Iterator[list[PageResult]]:
    """Each page's results in input order, checked on the cluster at ``address`` (see the module docstring).

    ``address`` may be a ``Cluster`` already open (a benchmark's, say): it is then left open."""
    from compliance import __version__
    from compliance.inputs.crawl import Politeness
    from compliance.policy.load import applied_text
    from compliance.runner import check_input, error_results, make_matcher

    originals = None
    if settings.originals:
        from compliance.originals.context import load_originals

        originals = load_originals(tuple(settings.originals))
    payload = Payload(__version__, tuple(applied_text(p) for p in policies), settings, originals,
                      polite or Politeness())
    cluster = address if isinstance(address, Cluster) else Cluster(address)
    local_matcher: list[Any] = []
    try:
        plugin = cluster.install(payload)
        window = cluster.workers * TASKS_PER_WORKER
        pending: deque[tuple[list[Any], Any]] = deque()  # (refs, future) or ([ref], results checked here)

        def settle() -> Iterator[list[PageResult]]:
            refs, done = pending.popleft()
            if isinstance(done, list):
                yield done
                return
            try:
                batches = done.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker costs its pages, not the run
                why = f"the page was not checked: the Dask worker running it failed ({type(exc).__name__}: {exc})"
                batches = [error_results(ref.source, policies, why) for ref in refs]
            yield from batches

        batch: list[Any] = []

        def submit() -> None:
            pending.append((list(batch), cluster.client.submit(check_batch, plugin, list(batch), pure=False)))
            batch.clear()

        for inp, raw in items:
            if inp.kind == "stdin":  # its bytes are here and nowhere else: checked in the client
                if batch:
                    submit()
                if not local_matcher:
                    local_matcher.append(make_matcher(settings))
                pending.append(([inp], check_input(inp, policies, settings, raw, local_matcher[0])))
            else:
                batch.append(inp)  # the reference alone: the worker reads the bytes
                if len(batch) >= PAGES_PER_TASK:
                    submit()
            while len(pending) >= window or (pending and _ready(pending[0][1])):
                yield from settle()
        if batch:
            submit()
        while pending:
            yield from settle()
    finally:
        if cluster is not address:
            cluster.close()


def _ready(done: Any) -> bool:
    return isinstance(done, list) or done.done()
