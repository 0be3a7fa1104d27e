"""Worker processes that run checks, each check within a time budget, so one slow page stalls nothing else.

The event loop only moves bytes; every check runs in a worker process. A
check that overruns ``page_timeout`` has its worker killed and replaced (the
only way to stop lxml or a policy's XPath midway) and gets a 504 problem; a
worker that dies (the OOM killer, a crash) costs only the check it was
running. Requests beyond the workers wait in a bounded queue; past
``max_queue`` the server answers 503 at once instead of piling up memory.
Each worker is retired after ``JOBS_PER_WORKER`` checks so that its memory
stays flat however long the server runs.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from compliance.results.model import PageResult
from compliance.server.problems import Problem
from compliance.server.work import Job, run_job, warm_up

JOBS_PER_WORKER = 2000
_CONTEXT = multiprocessing.get_context("spawn")  # the server process has threads: never fork it


class _Overrun(Exception):
    pass


class _Died(Exception):
    pass


def _worker_main(conn: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the server stops us
    warm_up()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", run_job(job))
        except Exception as exc:  # noqa: BLE001 - reported to the server as this check's error
            reply = ("error", f"{type(exc).__name__}: {exc}")
        conn.send(reply)


class _Worker:
    def __init__(self) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_worker_main, args=(child,), daemon=True, name="compliance-check")
        self.process.start()
        child.close()
        self.jobs = 0

    def call(self, job: Job, budget: float) -> list[PageResult]:
        """Run ``job`` (blocking: called on the pool's threads, never on the event loop)."""
        self.jobs += 1
        try:
            self.conn.send(job)
            if not self.conn.poll(budget):
                raise _Overrun()
            status, value = self.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            raise _Died() from None
        if status != "ok":
            raise RuntimeError(value)
        return value

    def stop(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


class CheckPool:
    def __init__(self, workers: int, max_queue: int):
        self.size = workers
        self.max_queue = max_queue
        self._threads = ThreadPoolExecutor(max_workers=workers + 1, thread_name_prefix="compliance-pool")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._waiting = 0
        self._all: set[_Worker] = set()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        for worker in await asyncio.gather(*(loop.run_in_executor(self._threads, _Worker)
                                             for _ in range(self.size))):
            self._all.add(worker)
            self._idle.put_nowait(worker)

    async def check(self, job: Job, budget: float) -> list[PageResult]:
        worker: _Worker | None
        if self._waiting >= self.max_queue:
            raise Problem("overloaded", f"all {self.size} workers are busy and {self._waiting} checks are waiting; "
                                        f"try again shortly", headers={"Retry-After": "2"})
        self._waiting += 1
        try:
            worker = await self._idle.get()
        finally:
            self._waiting -= 1
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._threads, worker.call, job, budget)
        except asyncio.CancelledError:  # the request went away mid-check: that worker's state is unknown
            self._all.discard(worker)
            worker.process.kill()
            worker = None
            asyncio.ensure_future(self._add())
            raise
        except _Overrun:
            worker = await self._replace(worker)
            raise Problem("time-budget-exceeded", f"checking the page took longer than the server's "
                                                  f"{budget:g} s budget per page (--page-timeout)") from None
        except _Died:
            worker = await self._replace(worker)
            raise Problem("internal-error", "the worker process checking the page stopped (it may have run out "
                                            "of memory); other checks are not affected") from None
        finally:
            if worker is not None:
                if worker.jobs >= JOBS_PER_WORKER:
                    worker = await self._replace(worker)
                self._idle.put_nowait(worker)

    async def _replace(self, worker: _Worker) -> _Worker:
        loop = asyncio.get_running_loop()
        self._all.discard(worker)
        await loop.run_in_executor(self._threads, worker.stop)
        fresh = await loop.run_in_executor(self._threads, _Worker)
        self._all.add(fresh)
        return fresh

    async def _add(self) -> None:
        fresh = await asyncio.get_running_loop().run_in_executor(self._threads, _Worker)
        self._all.add(fresh)
        self._idle.put_nowait(fresh)

    def close(self) -> None:
        for worker in list(self._all):
            worker.stop()
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)
