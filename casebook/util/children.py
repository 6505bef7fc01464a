"""Child processes that never outlive the build that started them (a killed build must not leave an
engine serving a stale preview, a LibreOffice conversion or photo workers running on)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """In the child: ask Linux for SIGTERM when the parent dies, and leave at once if it already has.
    Elsewhere a child notices only when it next talks to its parent. Usable as ``preexec_fn``."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def popen_options() -> dict:
    """Keyword arguments for subprocess.run/Popen that tie the child's life to ours."""
    if sys.platform.startswith("linux"):
        return {"preexec_fn": die_with_parent}
    return {}
