"""The progress display: on standard error, only when it is a terminal (rich, imported only then).

Pages done (of the total when it is known), pages failing so far, the rate
and the time left. Text written to a terminal's standard output meanwhile is
printed above the display, so the two never garble each other; standard
output sent to a file or a pipe is not touched.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Iterator


class _Quiet:
    def advance(self, failed: int) -> None:
        pass


class _Shown:
    def __init__(self, progress: Any, task: Any) -> None:
        self._progress, self._task = progress, task

    def advance(self, failed: int) -> None:
        self._progress.update(self._task, advance=1, failed=failed)


def wanted(flag: bool | None) -> bool:
    """--progress/--no-progress, else: only when standard error is a terminal."""
    if flag is not None:
        return flag
    return sys.stderr.isatty()


@contextmanager
def progress(total: int | None, show: bool) -> Iterator[Any]:
    if not show:
        yield _Quiet()
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, SpinnerColumn, TextColumn,
                               TimeRemainingColumn)
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} pages/s" if speed else "… pages/s", style="progress.data.speed")

    columns = [SpinnerColumn(), TextColumn("checking"), BarColumn(), MofNCompleteColumn(),
               TextColumn("[red]{task.fields[failed]} failing"), Rate(), TimeRemainingColumn()]
    if total is None:
        columns = [c for c in columns if not isinstance(c, (BarColumn, TimeRemainingColumn))]
    # Page text on a terminal stdout is printed above the display; stdout sent elsewhere is left alone.
    with Progress(*columns, console=Console(stderr=True), transient=True, redirect_stdout=sys.stdout.isatty(),
                  redirect_stderr=False) as shown:
        yield _Shown(shown, shown.add_task("pages", total=total, failed=0))
