"""The command's process, from its first line to its end. A build of a thousand cases holds hundreds
of megabytes of objects, and two defaults of the interpreter cost it most of a second:

- the cyclic garbage collector ran about 450 young collections and 3 full ones in an edit's rebuild
  (0.4 s): they are made 30 times rarer, and cycles are still collected;
- tearing the heap down at exit took 0.3 s that the system does at once: skipped. Only that is
  skipped: non-daemon threads are joined first and every exit handler runs (the memos saved by
  multiprocessing's finalizers), because the handler here is registered before any other and atexit
  runs handlers last-in, first-out."""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections.abc import Callable

YOUNG = 20_000  # allocations between young collections (the interpreter's default: 700)
_STATUS = [1]  # an uncaught exception (its traceback already printed) leaves with 1, as Python does


def start() -> None:
    """Call first thing in the entry point, before importing anything that registers exit handlers."""
    gc.set_threshold(YOUNG)
    atexit.register(_leave)


def run(main: Callable[[], int]) -> None:
    """``main()`` as the process's body, leaving through the handler registered by ``start`` with its
    status, or a SystemExit's (argparse's 0 for --help, 2 for a bad option), or 130 after Ctrl-C."""
    try:
        status = main()
    except SystemExit as stop:
        _STATUS[0] = _status_of(stop.code)
        raise
    except KeyboardInterrupt:
        _STATUS[0] = 130
        raise
    _STATUS[0] = _status_of(status)
    sys.exit(status)


def _status_of(code: object) -> int:
    """As the interpreter reads sys.exit's argument (or main's answer): None is 0, a number itself,
    anything else (printed) 1."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def _leave() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_STATUS[0])
