"""A supervised pool of worker processes: every task gets an outcome, whatever the task does to its worker.

``multiprocessing.Pool`` loses the whole run when a worker dies (``imap`` waits forever for the lost
task) and cannot stop a task stuck inside C code (libxml2 on a million attributes, an XPath lock left
held). This pool gives each worker its tasks over its own pipe and waits on every pipe and every
process sentinel at once, so:

- outcomes come back in input order, as soon as each is ready (streaming), however many workers run;
- a task over its wall-time budget is stopped by killing its worker with SIGKILL, which C code cannot
  ignore; the task gets ``Failure("timeout")`` and a fresh worker takes the next task;
- a worker that dies (a segfault, the OOM killer, ``kill -9``) costs only its task: ``Failure("died")``;
- each worker's address space is capped (``RLIMIT_AS``), so a task that allocates without bound gets
  ``MemoryError`` inside its own worker: ``Failure("memory")``, and that worker is replaced;
- an exception escaping the task function is ``Failure("error")``; the worker carries on;
- SIGINT and SIGTERM stop the parent (see ``stop_on_signals``) and closing the pool kills every worker.

Workers are forked from the parent when it runs no other thread (a few milliseconds, and the worker
inherits whatever the parent already loaded), else started from a clean fork server; ``start`` forks
them before the caller starts threads of its own. A worker also arms ``faulthandler``'s C watchdog for
each task, so a worker whose parent vanished while the task was stuck still exits; an idle one reads
end-of-file on its pipe and exits (a forked worker keeps no copy of the parent's end of any pipe).

With ``depth=2`` a busy worker is handed its next task before it finishes the current one (a thread in
the worker takes it off the pipe), so it never waits for the parent between tasks. A task goes ahead
only if it fits in the pipe's buffer with the worker's unanswered ones: a worker stuck in C code that
holds its interpreter lock reads nothing, and the parent must never wait on it. Tasks run in the order
a worker got them, so the oldest unanswered one is the one running: it is the one a death or a deadline
is charged to (its deadline counts from when the worker finished the one before, by the worker's clock,
or from when it was sent, if later), and a task still queued behind it goes to another worker as if it
had never been handed out.

    with WorkerPool(work, setup=load_state, setup_arg=settings, jobs=2, budget=Budget(20.0, 2 << 30)) as pool:
        for item, outcome in pool.imap(items):
            if isinstance(outcome, Failure): ...

``setup(setup_arg)`` runs once in each worker and its value is passed to ``work(state, item)``; both must
be module-level functions (the fork server pickles them by name). The pool is driven from one thread:
``imap`` supervises only while its caller iterates, and pulls the next item only when a worker has room
for it: with the default ``depth=1``, when a worker is free (a source that blocks until work comes, as
the server's does, needs that).
Standard library only, so any layer may use it.
"""

from __future__ import annotations

import bisect
import faulthandler
import os
import signal
import threading
import time
import weakref
from collections import deque
from dataclasses import dataclass
from multiprocessing import connection
from typing import Any, Callable, Iterable, Iterator, Sized

__all__ = ["Budget", "Failure", "Interrupted", "Retire", "WorkerPool", "WorkerStartError", "stop_on_signals",
           "stop_requested"]

# Seconds a worker's own watchdog waits past the parent's deadline before the worker exits by itself.
_ORPHAN_GRACE = 10.0
# How far ahead of the oldest unfinished task the pool may hand out work, in tasks per worker: a slow
# task then holds back at most this many finished outcomes in memory.
_LOOKAHEAD_PER_WORKER = 16
_MB = 1024 * 1024
_MAX_FAILED_STARTS = 3
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
_SIGNAL_POLL = 0.5  # seconds between checks for a stop request whose exception Python dropped


@dataclass(frozen=True)
class Budget:
    """What one task may use: wall time in seconds and worker address space in bytes (None: no limit)."""

    seconds: float | None = None
    memory: int | None = None


@dataclass(frozen=True)
class Failure:
    """Why a task has no result: ``kind`` is "timeout", "memory", "died" or "error"; ``message`` says it in words."""

    kind: str
    message: str


class Retire(Exception):
    """Raised by a task function to return ``result`` and have its worker replaced afterwards.

    For a task that failed in a way that may have left the process in a bad state (a RecursionError
    deep inside a C extension can leave a lock held): the next task gets a fresh worker.
    """

    def __init__(self, result: Any) -> None:
        self.result = result
        super().__init__("retire the worker")


class WorkerStartError(Exception):
    """A worker could not even start (its setup failed): the pool cannot run any task."""


class Interrupted(KeyboardInterrupt):
    """The process was asked to stop (SIGINT or SIGTERM); ``signum`` says which.

    A KeyboardInterrupt, so that code keeping "the results so far" on Ctrl-C does the same on SIGTERM.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


class stop_on_signals:  # noqa: N801 - used as a context manager, like contextlib's lower-case helpers
    """Within the block, SIGTERM (and SIGINT) raise ``Interrupted`` in the main thread, so ``finally``
    blocks and ``WorkerPool.__exit__`` run and workers are killed instead of being orphaned.

    Python drops an exception raised where it cannot propagate (a signal landing inside an at-fork
    hook or a ``__del__``), so the request is also remembered: a running pool checks ``stop_requested()``
    at least twice a second and raises then.
    """

    def __init__(self, signals: tuple[int, ...] = (signal.SIGTERM, signal.SIGINT)) -> None:
        self._signals = signals
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> "stop_on_signals":
        if threading.current_thread() is threading.main_thread():
            _requested.clear()
            for signum in self._signals:
                self._previous[signum] = signal.signal(signum, _raise_interrupted)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        _requested.clear()


_requested: list[int] = []  # signals received by a stop_on_signals handler, not yet acted on


def stop_requested() -> int | None:
    """The signal that asked this process to stop, if one did (see ``stop_on_signals``)."""
    return _requested[0] if _requested else None


def _raise_interrupted(signum: int, frame: Any) -> None:
    _requested.append(signum)
    raise Interrupted(signum)


# -- the worker side --------------------------------------------------------------------------------

_OK, _RETIRING, _ERROR, _MEMORY = "ok", "ok-retiring", "error", "memory"
_READY, _SETUP_FAILED = "ready", "setup-failed"
_UNREADABLE = object()  # in a worker's inbox: a task arrived that could not be read into memory


def _worker_main(conn: Any, setup: Callable[[Any], Any] | None, setup_arg: Any,
                 work: Callable[[Any, Any], Any], memory: int | None) -> None:
    for parent_end in list(_PARENT_ENDS):  # forked, it has the parent's end of every worker's pipe: one kept
        parent_end.close()  # (its own, a sibling's) would keep it from reading end-of-file once the parent died
    _PARENT_ENDS.clear()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # blocked by the parent around the fork
    watchdog = open(os.devnull, "w")  # faulthandler writes the stuck stack here before exiting
    faulthandler.dump_traceback_later(3600, file=watchdog)  # starts the watchdog thread before measuring
    faulthandler.cancel_dump_traceback_later()
    try:
        from _queue import SimpleQueue  # the queue module's Python half imports more than a worker needs
    except ImportError:  # pragma: no cover - not CPython
        from queue import SimpleQueue

    inbox: SimpleQueue[Any] = SimpleQueue()
    settled = threading.Event()
    stack = threading.stack_size(256 * 1024)  # it only moves messages: a small stack, out of the page's budget
    try:
        threading.Thread(target=_take_tasks, args=(conn, inbox, settled), name="compliance-inbox",
                         daemon=True).start()
    finally:
        threading.stack_size(stack)
    if not settled.wait(5):
        os._exit(70)  # the thread taking tasks did not start: the parent counts a worker that could not start
    if memory:
        _limit_address_space(memory)  # after the threads: their stacks and heaps are part of what the worker holds
    try:
        state = setup(setup_arg) if setup is not None else None
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which stops the pool
        conn.send((_SETUP_FAILED, None, f"{type(exc).__name__}: {exc}", time.monotonic()))
        return
    conn.send((_READY, None, None, time.monotonic()))
    while True:
        message = inbox.get()
        if message is None:
            return  # told to stop, or the parent is gone
        if message is _UNREADABLE:
            conn.send((_MEMORY, None, None, time.monotonic()))  # the next task did not fit in memory: it is charged
            return
        index, item, seconds = message
        if seconds:
            faulthandler.dump_traceback_later(seconds + _ORPHAN_GRACE, exit=True, file=watchdog)
        retire = False
        try:
            reply = (_OK, index, work(state, item))
        except Retire as request:
            reply, retire = (_RETIRING, index, request.result), True
        except MemoryError:
            reply = (_MEMORY, index, None)
        except BaseException as exc:  # noqa: BLE001 - one task's exception is that task's failure
            reply = (_ERROR, index, f"{type(exc).__name__}: {exc}")
        finally:
            faulthandler.cancel_dump_traceback_later()
        done = time.monotonic()  # the next task starts now: its deadline counts from here
        try:
            conn.send((*reply, done))
        except MemoryError:
            conn.send((_MEMORY, index, None, done))
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
            conn.send((_ERROR, index, f"the result could not be sent back ({type(exc).__name__}: {exc})", done))
        if retire or reply[0] == _MEMORY:
            return  # start afresh: memory may be fragmented or half-freed, or a lock left held


def _take_tasks(conn: Any, inbox: Any, settled: Any) -> None:
    """Move tasks from the pipe to ``inbox`` as they come, so the parent's send of the next one never waits
    for the task running now; None in the inbox means stop (asked to, or the parent is gone)."""
    try:
        bytearray(1 << 16)  # the C library gives a thread its own heap on its first allocation: before the limit
    finally:
        settled.set()
    while True:
        try:
            message = conn.recv()
        except MemoryError:
            message = _UNREADABLE
        except BaseException:  # noqa: BLE001 - EOF or a closed pipe: the parent is gone
            message = None
        inbox.put(message)
        if message is None or message is _UNREADABLE:
            return


def _limit_address_space(extra: int) -> None:
    """Let this process grow by ``extra`` bytes of address space beyond what it holds now.

    A forked worker starts as large as its parent (policies, originals, libraries), so the budget is
    what a task may add, not a total that a large catalog could use up before the first page.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX: no limit
        return
    limit = _address_space() + extra
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return 0


# -- the parent side --------------------------------------------------------------------------------

_PARENT_ENDS: weakref.WeakSet[Any] = weakref.WeakSet()  # of live workers' pipes; forked workers close theirs


@dataclass
class _Task:
    index: int
    item: Any
    deadline: float | None
    seconds: float | None
    message: Any = None  # the task as sent, pickled once (a buffer)
    sent: float = 0.0  # when it was sent to the worker holding it


class _Worker:
    def __init__(self, context: Any, setup: Any, setup_arg: Any, work: Any, memory: int | None) -> None:
        self.conn, child = context.Pipe(duplex=True)
        _PARENT_ENDS.add(self.conn)
        self.process = context.Process(target=_worker_main, args=(child, setup, setup_arg, work, memory),
                                       daemon=True, name="compliance-worker")
        # A stop signal landing during fork would run the parent's handler inside an at-fork hook, where its
        # exception is dropped with a printed traceback: hold SIGINT/SIGTERM until both sides are ready.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        child.close()
        self.ready = False
        self.tasks: deque[_Task] = deque()  # in the order sent: the first is the one running
        self.room = _pipe_room(self.conn)

    def takes_ahead(self, task: _Task) -> bool:
        """Whether ``task`` may be sent now: to an idle worker always (it reads at once); to a busy one only
        if it and every unanswered task fit in the pipe's buffer, so the send cannot wait on the worker."""
        if not self.tasks:
            return True
        return sum(len(t.message) for t in self.tasks) + len(task.message) <= self.room

    @property
    def running(self) -> _Task | None:
        return self.tasks[0] if self.tasks else None

    def stop(self, kill: bool = False) -> None:
        if kill and self.process.is_alive():
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.process.join(timeout=None if kill else 2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()
        _PARENT_ENDS.discard(self.conn)


class WorkerPool:
    """Run ``work(state, item)`` for many items in ``jobs`` supervised worker processes (see the module docs).

    ``budget_for(item)`` may give an item its own Budget seconds (a URL needs time to download as well);
    by default every item gets ``budget.seconds``. ``depth`` is how many tasks a worker holds at once: 2
    hands a busy worker its next task ahead (see the module docs).
    """

    def __init__(self, work: Callable[[Any, Any], Any], *, jobs: int = 1, setup: Callable[[Any], Any] | None = None,
                 setup_arg: Any = None, budget: Budget = Budget(),
                 budget_for: Callable[[Any], float | None] | None = None, start_method: str | None = None,
                 depth: int = 1) -> None:
        self._work, self._setup, self._setup_arg = work, setup, setup_arg
        self._jobs = max(1, jobs)
        self._depth = max(1, depth)
        self._budget = budget
        self._budget_for = budget_for
        self._start_method = start_method
        self._workers: list[_Worker] = []
        self._orphans: deque[_Task] = deque()  # tasks queued on a worker that ended before running them
        self._failed_starts = 0  # workers in a row that died before they were ready
        self.replaced = 0  # workers started to replace ones that were killed or died

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(kill=exc[0] is not None)

    def start(self) -> None:
        """Fork every worker now, if this process runs no other thread: a caller about to start threads (a
        crawler, a progress display) calls this first. Otherwise the workers start with the first item."""
        if self._start_method is None and threading.active_count() == 1:
            self._start_workers()

    def close(self, kill: bool = False) -> None:
        """Stop every worker: idle ones are told to exit; busy ones (or all, with ``kill``) are killed."""
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop(kill=kill or bool(worker.tasks))

    # -- running ------------------------------------------------------------------------------

    def imap(self, items: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        """Yield ``(item, result or Failure)`` for every item, in input order.

        With ``depth`` 2, a worker that is busy is handed another item only if ``items`` has no ``ready()``
        or it says the next item can be had at once: waiting on the source then would hold back outcomes
        that are in (a page whose download is slow, say, behind pages already checked)."""
        ready = getattr(items, "ready", None)
        if not (isinstance(items, Sized) and len(items) == 0):
            self.start()  # before the first item: producing it may start threads (a crawler's), and then no fork
        source = iter(items)
        try:
            first = next(source)
        except StopIteration:
            return
        source = _chain(first, source)
        exhausted = False
        handed_out = 0  # index of the next item to hand out
        next_out = 0  # index of the next outcome to yield
        finished: dict[int, tuple[Any, Any]] = {}
        lookahead = self._jobs * _LOOKAHEAD_PER_WORKER
        while True:
            while next_out in finished:
                yield finished.pop(next_out)
                next_out += 1
            self._start_workers()
            while True:
                worker = self._with_room()
                if worker is None:
                    break
                if self._orphans:
                    task = self._orphans.popleft()
                else:
                    if exhausted or handed_out >= next_out + lookahead or (worker.tasks and ready is not None
                                                                            and not ready()):
                        break
                    try:
                        item = next(source)
                    except StopIteration:
                        exhausted = True
                        break
                    task = self._prepared(_Task(handed_out, item, None, None))
                    handed_out += 1
                if not worker.takes_ahead(task):
                    self._orphan(task)  # too large to go ahead: it waits for a free worker
                    break
                self._hand_out(worker, task)
            if exhausted and next_out == handed_out:
                return
            self._wait(finished)

    def _start_workers(self) -> None:
        while len(self._workers) < self._jobs:
            self._workers.append(_Worker(self._context(), self._setup, self._setup_arg, self._work,
                                         self._budget.memory))

    def _context(self) -> Any:
        """How to start the next worker, decided when it starts: forked while this process runs no other thread
        (a fork copies only the thread calling it, so a lock another thread held would stay held forever)."""
        import multiprocessing

        method = self._start_method or ("forkserver" if threading.active_count() > 1 else "fork")
        if method not in multiprocessing.get_all_start_methods():
            method = "spawn"
        return multiprocessing.get_context(method)

    def _with_room(self) -> _Worker | None:
        """The worker to hand the next task to: an idle one; else, once every worker is ready (one starting
        will want work of its own), the one holding the fewest tasks, if it may take another."""
        ready = [w for w in self._workers if w.ready]
        for worker in ready:
            if not worker.tasks:
                return worker
        if len(ready) < len(self._workers):
            return None
        best = min(ready, key=lambda w: len(w.tasks), default=None)
        return best if best is not None and len(best.tasks) < self._depth else None

    def _prepared(self, task: _Task) -> _Task:
        """The task with its time budget, pickled as it will be sent (once, whichever worker takes it)."""
        from multiprocessing.reduction import ForkingPickler

        task.seconds = self._budget_for(task.item) if self._budget_for is not None else self._budget.seconds
        task.message = ForkingPickler.dumps((task.index, task.item, task.seconds))
        return task

    def _orphan(self, task: _Task) -> None:
        """Keep ``task`` for the next worker with room; orphans go out in input order."""
        bisect.insort(self._orphans, task, key=lambda t: t.index)

    def _hand_out(self, worker: _Worker, task: _Task) -> None:
        task.deadline = None
        task.sent = time.monotonic()
        worker.tasks.append(task)
        if len(worker.tasks) == 1:
            self._started(task, task.sent)
        try:
            worker.conn.send_bytes(task.message)
        except (OSError, EOFError):
            pass  # the worker just died: its sentinel says so on the next wait

    @staticmethod
    def _started(task: _Task, at: float) -> None:
        """The task is now the one its worker runs, since ``at``: its time budget counts from then."""
        task.deadline = at + task.seconds if task.seconds else None

    def _wait(self, finished: dict[int, tuple[Any, Any]]) -> None:
        """Wait for the next reply, death or deadline, and record what it means."""
        deadlines = [w.running.deadline for w in self._workers if w.running is not None and
                     w.running.deadline is not None]
        timeout = min([_SIGNAL_POLL] + [max(0.0, d - time.monotonic()) for d in deadlines])
        waitables: list[Any] = []
        for worker in self._workers:
            waitables += [worker.conn, worker.process.sentinel]
        ready = set(connection.wait(waitables, timeout))
        signum = stop_requested()
        if signum is not None:
            raise Interrupted(signum)
        for worker in list(self._workers):
            if worker.conn in ready:
                self._receive(worker, finished)
        now = time.monotonic()
        for worker in list(self._workers):
            if worker not in self._workers:
                continue
            if worker.process.sentinel in ready or not worker.process.is_alive():
                while worker.tasks and worker in self._workers and worker.conn.poll():
                    if not self._receive(worker, finished):  # replies that came in just before the exit
                        break
                if worker not in self._workers:
                    continue
                task = worker.running
                if task is not None:
                    worker.process.join(timeout=5)  # so that its exit status is known
                    finished[task.index] = (task.item, Failure("died", _death_message(worker.process.exitcode)))
                    worker.tasks.popleft()
                self._replace(worker)
            else:
                task = worker.running
                if task is not None and task.deadline is not None and now >= task.deadline:
                    finished[task.index] = (task.item, Failure("timeout", f"it took longer than the {task.seconds:g} s "
                                                                          "time limit, and its worker was stopped"))
                    worker.tasks.popleft()
                    self._replace(worker, kill=True)

    def _receive(self, worker: _Worker, finished: dict[int, tuple[Any, Any]]) -> bool:
        """Take one message from ``worker``; False when there was none to take (it died)."""
        try:
            kind, index, payload, at = worker.conn.recv()
        except (EOFError, OSError):
            return False  # died; the sentinel tells
        if kind == _READY:
            worker.ready = True
            self._failed_starts = 0
            return True
        if kind == _SETUP_FAILED:
            self.close(kill=True)
            raise WorkerStartError(f"a worker process could not start: {payload}")
        task = worker.running
        if task is None or (index is not None and task.index != index):  # pragma: no cover - replies come in order
            return True
        worker.tasks.popleft()
        if worker.tasks:  # it started when the worker finished this one, or when it reached the worker, if later
            following = worker.tasks[0]
            self._started(following, min(max(at, following.sent), time.monotonic()))  # one clock for all processes
        if kind == _OK:
            finished[task.index] = (task.item, payload)
        elif kind == _RETIRING:
            finished[task.index] = (task.item, payload)
            self._replace(worker)
        elif kind == _MEMORY:
            limit = self._budget.memory
            within = f"the {limit // _MB} MB memory limit" if limit else "the memory available"
            finished[task.index] = (task.item, Failure("memory", f"it needed more than {within}"))
            self._replace(worker)
        else:
            finished[task.index] = (task.item, Failure("error", payload))
        return True

    def _replace(self, worker: _Worker, kill: bool = False) -> None:
        """Stop ``worker`` (its running task already has its outcome); tasks queued behind it go to another."""
        if not worker.ready:
            self._failed_starts += 1
            if self._failed_starts >= _MAX_FAILED_STARTS:
                self.close(kill=True)
                raise WorkerStartError(f"worker processes die while starting ({_death_message(worker.process.exitcode)})")
        for task in worker.tasks:
            self._orphan(task)
        worker.tasks.clear()
        worker.stop(kill=kill)
        self._workers.remove(worker)
        self.replaced += 1


def _pipe_room(conn: Any) -> int:
    """Bytes that may wait in ``conn``'s socket without a send blocking: half its send buffer, asked to be
    4 MB (the system may allow less), since the kernel counts its own bookkeeping against the buffer too."""
    import socket

    try:
        sock = socket.socket(fileno=os.dup(conn.fileno()))
    except OSError:
        return 0
    with sock:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * _MB)
        except OSError:
            pass
        try:
            return sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) // 2
        except OSError:
            return 0


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _death_message(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        why = " (the system may have run out of memory, or someone ran kill -9)" if -exitcode == signal.SIGKILL else ""
        return f"the worker process died: killed by {name}{why}"
    return f"the worker process died (exit status {exitcode})"
