"""Run ``compliance ARGS`` inside the test process, as the console script would, in a fraction of the time.

The console entry point (``compliance.cli.main``) is called with ``sys.argv``, standard streams, the
environment and the working directory swapped for the call, and ``SystemExit`` turned into a return
code. A few tests in tests/cli/test_entry_point.py still start the installed script in a new process, to
prove that path works; everything else goes through here.
"""

from __future__ import annotations

import io
import json
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator


@dataclass
class Ran:
    """What a run printed and returned: the shape of ``subprocess.CompletedProcess`` for these tests."""

    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def code(self) -> int:
        return self.returncode

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", "replace")

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", "replace")

    def json(self) -> dict:
        return json.loads(self.out)


class _Stream(io.TextIOWrapper):
    """A text stream over bytes that says it is not a terminal, like a pipe."""

    def isatty(self) -> bool:
        return False


@contextmanager
def _swapped(args: list[str], stdin: bytes, env: dict[str, str | None], cwd: Path | None) -> Iterator[dict]:
    saved = (sys.argv, sys.stdin, sys.stdout, sys.stderr, dict(os.environ), os.getcwd())
    out, err = io.BytesIO(), io.BytesIO()
    captured: dict[str, bytes] = {}
    sys.argv = ["compliance", *args]
    sys.stdin = _Stream(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout = _Stream(out, encoding="utf-8", write_through=True)
    sys.stderr = _Stream(err, encoding="utf-8", write_through=True)
    for key, value in env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    if cwd is not None:
        os.chdir(cwd)
    try:
        yield captured
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        captured.update(out=out.getvalue(), err=err.getvalue())  # before the wrappers close their buffers
        sys.argv, sys.stdin, sys.stdout, sys.stderr, environ, cwd_before = saved
        os.environ.clear()
        os.environ.update(environ)
        os.chdir(cwd_before)


def run_cli(*args: str, stdin: bytes = b"", env: dict[str, str | None] | None = None,
            cwd: Path | str | None = None) -> Ran:
    """``compliance ARGS`` in-process. ``env`` adds variables (None removes one); NO_COLOR is unset by default."""
    from compliance.cli import main
    from compliance.originals import context

    context.forget_loaded()  # each run reads its originals afresh, as a new process would
    environment: dict[str, str | None] = {"NO_COLOR": None, **(env or {})}
    with _swapped(list(args), stdin, environment, Path(cwd) if cwd is not None else None) as captured:
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Ran(code, captured["out"], captured["err"])
