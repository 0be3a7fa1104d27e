"""The garbage collector is paused while a command starts and runs again for its real work (cli.collector)."""

from __future__ import annotations

import gc

import pytest
from cli_runner import run_cli
from conftest import REPO

import compliance.runner


@pytest.fixture
def collector_seen(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the collector runs at the moment pages are checked (``runner.stream`` is called)."""
    seen: list[bool] = []
    real = compliance.runner.stream

    def stream(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(compliance.runner, "stream", stream)
    return seen


def test_pages_are_checked_with_the_collector_running_and_it_runs_after_the_command(collector_seen) -> None:
    assert gc.isenabled()
    ran = run_cli("check", "examples/compliant.html", "--policy", "dcnf", cwd=REPO)
    assert ran.code == 0, ran.err
    assert collector_seen == [True]
    assert gc.isenabled()


@pytest.mark.parametrize("argv", [("policy", "list"), ("check", "--help"), ("check", "no-such-page.html", "-p", "dcnf"),
                                  ("check", "examples", "-p", "no-such-policy")])
def test_every_way_out_of_a_command_leaves_the_collector_running(argv: tuple[str, ...]) -> None:
    run_cli(*argv, cwd=REPO)
    assert gc.isenabled()


def test_commands_other_than_check_run_with_the_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    import compliance.policy.builtin as builtin

    seen: list[bool] = []
    real = builtin.builtin_names
    monkeypatch.setattr(builtin, "builtin_names", lambda: seen.append(gc.isenabled()) or real())
    ran = run_cli("policy", "list", cwd=REPO)
    assert ran.code == 0, ran.err
    assert seen == [True]


def test_a_collector_turned_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        run_cli("policy", "list", cwd=REPO)
        assert not gc.isenabled()
    finally:
        gc.enable()

