"""The supervised worker pool: every task gets an outcome, in order, whatever it does to its worker."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from hypothesis import given, settings, strategies as st

from compliance.pool import Budget, Failure, Retire, WorkerPool, WorkerStartError

MB = 1024 * 1024


def setup(arg: str) -> dict:
    return {"arg": arg, "pid": os.getpid()}


def work(state: dict | None, item: tuple[str, object]) -> object:
    kind, value = item
    if kind == "spin":
        while True:
            pass
    if kind == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if kind == "alloc":
        return len(bytearray(value))  # type: ignore[arg-type]
    if kind == "raise":
        raise ValueError(value)
    if kind == "retire":
        raise Retire(("retired", os.getpid()))
    if kind == "pid":
        return os.getpid()
    if kind == "clock":
        return time.monotonic()
    if kind == "hold":  # stuck in C code that keeps the interpreter lock: the worker's other thread is frozen too
        re.match(r"(a+)+$", "a" * 64 + "b")
    if kind == "sleep":
        time.sleep(value)  # type: ignore[arg-type]
    return value


def failing_setup(arg: object) -> None:
    raise RuntimeError("no policies today")


def outcomes(items, jobs=2, budget=Budget(seconds=30), **kw):
    """Every outcome, in order, and how many workers were replaced."""
    with WorkerPool(work, jobs=jobs, budget=budget, **kw) as pool:
        return [outcome for _, outcome in pool.imap(items)], pool.replaced


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ok", "sleep"]), st.integers(0, 3)), max_size=12), st.integers(1, 3),
       st.sampled_from([1, 2]))
def test_outcomes_come_back_in_input_order(items, jobs, depth):
    items = [(kind, n / 100 if kind == "sleep" else n) for kind, n in items]  # later items often finish first
    got, _ = outcomes(items, jobs=jobs, depth=depth)
    assert got == [n for _, n in items]


@pytest.mark.parametrize("depth", [1, 2])
def test_a_task_over_its_time_budget_is_stopped_and_the_next_task_gets_a_fresh_worker(depth):
    # with depth 2 the next task is already on the stopped worker's side: it is handed to the new worker
    got, replaced = outcomes([("spin", 0), ("ok", 1), ("spin", 0), ("ok", 2)], jobs=1, budget=Budget(seconds=0.5),
                             depth=depth)
    assert [o.kind if isinstance(o, Failure) else o for o in got] == ["timeout", 1, "timeout", 2]
    assert "0.5 s time limit" in got[0].message
    assert replaced == 2


@pytest.mark.parametrize("jobs,depth", [(2, 1), (1, 2), (2, 2)])
def test_a_worker_killed_with_sigkill_costs_only_its_task(jobs, depth):
    got, replaced = outcomes([("ok", 1), ("kill", 0), ("ok", 2), ("kill", 0), ("ok", 3)], jobs=jobs, depth=depth)
    assert got[0::2] == [1, 2, 3]
    for failure in got[1::2]:
        assert failure.kind == "died" and "SIGKILL" in failure.message
    assert replaced == 2


@pytest.mark.parametrize("depth", [1, 2])
def test_a_task_over_its_memory_budget_fails_alone(depth):
    got, replaced = outcomes([("alloc", 1 * MB), ("alloc", 8 * 1024 * MB), ("alloc", 2 * MB)], jobs=1,
                             budget=Budget(seconds=30, memory=256 * MB), depth=depth)
    assert got[0] == 1 * MB and got[2] == 2 * MB
    assert got[1].kind == "memory" and "256 MB memory limit" in got[1].message
    assert replaced == 1  # a worker that ran out of memory is not trusted with the next task


def test_an_exception_is_the_tasks_failure_and_the_worker_carries_on():
    got, replaced = outcomes([("raise", "boom"), ("ok", 1)], jobs=1)
    assert got[0] == Failure("error", "ValueError: boom") and got[1] == 1
    assert replaced == 0


@pytest.mark.parametrize("depth", [1, 2])
def test_a_retiring_task_keeps_its_result_and_the_next_task_gets_a_new_worker(depth):
    with WorkerPool(work, jobs=1, budget=Budget(seconds=30), depth=depth) as pool:
        (_, first), (_, second), (_, third) = list(pool.imap([("retire", 0), ("pid", 0), ("pid", 0)]))
    assert first[0] == "retired" and first[1] != second
    assert second == third


def test_with_depth_two_a_worker_runs_its_next_task_while_the_caller_is_busy_with_the_last_outcome():
    """The next task is on the worker's side before the current one ends, so the worker never waits for the
    parent; with depth 1 it is handed out only when the caller asks for more."""
    for depth in (1, 2):
        with WorkerPool(work, jobs=1, budget=Budget(seconds=30), depth=depth) as pool:
            stream = pool.imap([("ok", 0), ("clock", 0), ("ok", 2)])
            assert next(stream)[1] == 0
            time.sleep(0.5)  # the caller at work on the first outcome
            resumed = time.monotonic()
            started = next(stream)[1]  # when the second task started, on the same system-wide clock
            assert next(stream)[1] == 2
        assert (started < resumed) is (depth == 2), depth


def test_a_queued_tasks_time_budget_counts_from_when_it_starts():
    # each sleeps 0.6 s of a 1 s budget: counted from when it was handed out, the second would be over it
    got, replaced = outcomes([("sleep", 0.6), ("sleep", 0.6), ("ok", 1)], jobs=1, budget=Budget(seconds=1.0), depth=2)
    assert got == [0.6, 0.6, 1] and replaced == 0


class Gated:
    """A source whose second item waits for the caller (a page still downloading) and says so with ``ready()``."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.taken = 0
        self.waited_in_vain = False

    def __iter__(self):
        return self

    def __next__(self):
        self.taken += 1
        if self.taken == 1:
            return ("ok", 0)
        if self.taken == 2:
            self.waited_in_vain = not self.gate.wait(3)
            return ("ok", 1)
        raise StopIteration

    def ready(self) -> bool:
        return self.gate.is_set()


def test_a_busy_worker_is_not_handed_an_item_the_source_would_wait_for():
    """Waiting on the source while a task is out would hold back its outcome until the source answers."""
    source = Gated()
    with WorkerPool(work, jobs=1, budget=Budget(seconds=30), depth=2) as pool:
        stream = pool.imap(source)
        assert next(stream)[1] == 0  # out while the source is not ready
        source.gate.set()
        assert [outcome for _, outcome in stream] == [1]
    assert not source.waited_in_vain


def test_a_task_sent_ahead_after_the_worker_finished_the_one_before_gets_its_whole_budget():
    """The caller takes its time with the first outcome; meanwhile the worker finishes the second task, so the
    third reaches it late: its budget counts from then, not from when the worker finished the second."""
    with WorkerPool(work, jobs=1, budget=Budget(seconds=1.0), depth=2) as pool:
        stream = pool.imap([("ok", 0), ("ok", 1), ("sleep", 0.3)])
        assert next(stream)[1] == 0
        time.sleep(1.5)
        assert [outcome for _, outcome in stream] == [1, 0.3]


def test_a_task_too_large_for_the_pipe_waits_for_a_free_worker_so_the_parent_keeps_its_deadlines():
    """A worker stuck holding its interpreter lock reads nothing: a send that filled its pipe would stop the
    parent, which then could enforce no deadline (the worker's own watchdog would end it, much later)."""
    large = b"x" * (16 * MB)  # more than any pipe buffer a system allows
    got, replaced = outcomes([("hold", 0), ("ok", large)], jobs=1, budget=Budget(seconds=1.0), depth=2)
    assert isinstance(got[0], Failure) and got[0].kind == "timeout", got[0]
    assert got[1] == large and replaced == 1


def test_setup_runs_once_per_worker_and_its_value_reaches_every_task():
    with WorkerPool(_state_pid, jobs=1, setup=setup, setup_arg="x", budget=Budget(seconds=30)) as pool:
        got = [o for _, o in pool.imap(range(3))]
    assert len({pid for pid, _ in got}) == 1 and {arg for _, arg in got} == {"x"}


def _state_pid(state: dict, item: int) -> tuple[int, str]:
    return state["pid"], state["arg"]


def test_a_setup_that_fails_stops_the_pool_with_its_reason():
    with pytest.raises(WorkerStartError, match="no policies today"):
        with WorkerPool(work, setup=failing_setup, budget=Budget(seconds=30)) as pool:
            list(pool.imap([("ok", 1)]))


def test_nothing_to_do_starts_no_worker():
    with WorkerPool(work, budget=Budget(seconds=30)) as pool:
        assert list(pool.imap([])) == []
        assert pool._workers == []


def test_items_are_pulled_lazily():
    pulled = []

    def items():
        for n in range(1000):
            pulled.append(n)
            yield ("ok", n)

    with WorkerPool(work, jobs=1, budget=Budget(seconds=30)) as pool:
        stream = pool.imap(items())
        assert next(stream)[1] == 0
        assert len(pulled) < 100  # a bounded look-ahead, not the whole input


STOPPABLE = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    from compliance.pool import Budget, Interrupted, WorkerPool, stop_on_signals
    from test_pool import work
    try:
        with stop_on_signals(), WorkerPool(work, jobs=2, budget=Budget(seconds=120)) as pool:
            print("started", flush=True)
            for item, outcome in pool.imap([("spin", 0), ("spin", 0), ("ok", 1)]):
                print(outcome, flush=True)
    except Interrupted as exc:
        print("stopped by", exc, flush=True)
        sys.exit(128 + exc.signum)
""")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_sigint_stop_cleanly_and_leave_no_worker_behind(signum):
    code = STOPPABLE.format(tests=os.path.dirname(__file__))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        assert proc.stdout.readline() == b"started\n"
        workers = _children_when_busy(proc.pid, 2)
        os.killpg(proc.pid, signum)  # as a terminal or a CI runner does: the whole group
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 128 + signum
    assert out.decode().strip().endswith(f"stopped by {signal.Signals(signum).name}")
    assert b"Traceback" not in err
    assert not [pid for pid in workers if _alive(pid)]


def _children_when_busy(pid: int, count: int) -> list[int]:
    for _ in range(300):
        kids = [int(c) for t in os.listdir(f"/proc/{pid}/task") for c in _read(f"/proc/{pid}/task/{t}/children").split()]
        if len(kids) >= count and all(_state(k) == "R" for k in kids[:count]):
            return kids
        time.sleep(0.02)
    raise AssertionError("the workers never got busy")


def _read(path: str) -> str:
    try:
        with open(path) as file:
            return file.read()
    except OSError:
        return ""


def _state(pid: int) -> str:
    stat = _read(f"/proc/{pid}/stat")
    return stat.rsplit(")", 1)[1].split()[0] if stat else "gone"


def _alive(pid: int) -> bool:
    for _ in range(100):
        if _state(pid) in ("gone", "Z"):
            return False
        time.sleep(0.05)
    return True


def test_workers_whose_parent_is_killed_exit_instead_of_waiting_for_ever():
    """A forked worker must not keep the parent's end of any worker's pipe (its own or a sibling's): kept, it
    would never read end-of-file when the parent dies with SIGKILL, and idle workers would outlive it."""
    script = textwrap.dedent("""
        import sys, time
        from compliance.pool import Budget, WorkerPool
        from test_pool import work
        pool = WorkerPool(work, jobs=2, budget=Budget(seconds=30))
        pool.start()
        outcomes = list(pool.imap([("ok", 1), ("ok", 2)]))  # both workers ready, then idle
        print(*[w.process.pid for w in pool._workers], flush=True)
        time.sleep(60)
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.path.dirname(__file__), *sys.path])}
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
    pids: list[int] = []
    try:
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert len(pids) == 2
        parent.kill()
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in pids):
            time.sleep(0.05)
        assert not any(_alive(p) for p in pids), "a worker outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(timeout=10)
        parent.stdout.close()
        for pid in pids:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its reaper, init here, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
