"""The cyclic garbage collector while a command starts, and at exit.

Starting ``compliance check`` allocates some 150,000 objects that live as long as the process (modules,
Typer's command tree, compiled policies and patterns) and next to no garbage. The collector would walk
them some 60 times before the first page (about 5 ms of a one-page check), and once more, all of them,
as the interpreter exits (about 14 ms). ``pause`` stops it until ``resume``, which a command calls
when its real work begins (``check`` before the first page, every other command at once); at exit the
heap is frozen (``gc.freeze``), so the interpreter's last collection skips what is about to be freed
anyway. Nothing relies on that collection: every file and connection is closed by its ``with`` block.
"""

from __future__ import annotations

import atexit
import gc

_paused = False
_freeze_at_exit = False


def pause() -> None:
    global _paused, _freeze_at_exit
    if not gc.isenabled():
        return  # someone else turned it off: theirs to turn on again
    gc.disable()
    _paused = True
    if not _freeze_at_exit:
        atexit.register(gc.freeze)
        _freeze_at_exit = True


def resume() -> None:
    global _paused
    if _paused:
        _paused = False
        gc.enable()
