"""Checks run in supervised worker processes, each within a time and memory budget, none holding up another.

The event loop only moves bytes; every check runs in a worker of ``compliance.pool`` (the pool the
command line uses), so the budgets and their guarantees are the CLI's: a check over ``page_timeout``
has its worker killed (the only way to stop libxml2 or a policy's XPath midway), a check over
``page_memory`` gets ``MemoryError`` inside its own worker, and a worker that dies costs only its
check; in each case the worker is replaced.

That pool answers in input order, which suits a run over many pages but not a server: one slow
check would hold back every answer after it. So the server runs ``size`` lanes, each a one-worker
``WorkerPool`` driven by its own thread that takes the next check only when its worker is free; a
request waits for a free lane (at most ``max_queue`` wait, beyond that the answer is 503 at once),
and its check is answered the moment it is done.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from typing import Any, Iterator

from compliance.pool import Budget, Failure, WorkerPool
from compliance.results.model import PageResult
from compliance.server.problems import Problem
from compliance.server.work import Job, warm_up, work

_STOP = object()


class _Lane:
    """One worker process, supervised by one thread; checks go in through a queue, one at a time."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="compliance-lane", daemon=True)
        self.thread.start()

    def submit(self, job: Job, done: Any) -> None:
        """Check ``job``; ``done(result or Failure)`` is called from the lane's thread."""
        self.jobs.put((job, done))

    def stop(self) -> None:
        self.jobs.put(_STOP)
        self.thread.join(10)

    def _items(self) -> Iterator[Job]:
        """The jobs, as they come; only the job goes to the worker, its callback stays here."""
        while True:
            item = self.jobs.get()
            if item is _STOP:
                return
            job, self.current = item
            yield job

    def _run(self) -> None:
        self.current: Any = None  # the callback of the job in the worker
        while True:
            try:
                with WorkerPool(work, jobs=1, setup=warm_up, budget=self.budget) as pool:
                    for _, outcome in pool.imap(self._items()):
                        done, self.current = self.current, None
                        done(outcome)
                return  # stopped
            except Exception as exc:  # noqa: BLE001 - e.g. WorkerStartError: the check in hand fails, not the lane
                if self.current is not None:
                    self.current(Failure("error", f"{type(exc).__name__}: {exc}"))
                    self.current = None
                time.sleep(1.0)  # then a new worker, without spinning if workers cannot start at all


class CheckPool:
    def __init__(self, workers: int, max_queue: int, page_timeout: float, page_memory: int | None):
        self.size = workers
        self.max_queue = max_queue
        self.page_timeout = page_timeout
        self._budget = Budget(seconds=page_timeout, memory=page_memory)
        self._lanes: list[_Lane] = []
        self._free: asyncio.Queue[_Lane] = asyncio.Queue()
        self._waiting = 0

    async def start(self) -> None:
        for _ in range(self.size):
            lane = _Lane(self._budget)
            self._lanes.append(lane)
            self._free.put_nowait(lane)

    async def check(self, job: Job) -> list[PageResult]:
        if self._waiting >= self.max_queue:
            raise Problem("overloaded", f"all {self.size} workers are busy and {self._waiting} checks are waiting; "
                                        f"try again shortly", headers={"Retry-After": "2"})
        self._waiting += 1
        try:
            lane = await self._free.get()
        finally:
            self._waiting -= 1
        loop = asyncio.get_running_loop()
        answer: asyncio.Future = loop.create_future()

        def done(outcome: Any) -> None:
            loop.call_soon_threadsafe(lambda: answer.done() or answer.set_result(outcome))

        try:
            lane.submit(job, done)
            outcome = await answer  # the lane's pool enforces the budget and always answers
        finally:
            self._free.put_nowait(lane)
        if isinstance(outcome, Failure):
            raise _problem(outcome, self._budget)
        return outcome

    def close(self) -> None:
        for lane in self._lanes:
            lane.stop()
        self._lanes.clear()


def _problem(failure: Failure, budget: Budget) -> Problem:
    if failure.kind == "timeout":
        return Problem("time-budget-exceeded", f"checking the page took longer than the server's {budget.seconds:g} s "
                                               f"budget per page (--page-timeout), so it was stopped")
    if failure.kind == "memory":
        needed = failure.message.removeprefix("it ")  # the pool says "it needed more than the N MB memory limit"
        return Problem("memory-budget-exceeded", f"checking the page {needed} (--page-memory), so it was stopped")
    return Problem("internal-error", f"the page could not be checked: {failure.message}; other checks are not "
                                     f"affected")
