"""The command's process ends without tearing its heap down (casebook/util/leave.py), yet every exit
handler runs first (the memos are saved by multiprocessing's finalizers) and the status is kept."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys
from casebook.util import leave
leave.arm()
import multiprocessing.util, threading, time
from pathlib import Path

class Heap:
    def __del__(self):  # run by the interpreter's teardown, which leave skips
        sys.stderr.write("torn down\\n")

kept = Heap()
out = Path(sys.argv[1])
multiprocessing.util.Finalize(None, lambda: out.write_text("saved"), exitpriority=10)
def late():
    time.sleep(0.2)
    (out.parent / "thread").write_text("joined")
threading.Thread(target=late).start()  # not a daemon: joined before the exit handlers
print("bye", end="")  # buffered: flushed before leaving
leave.leave(int(sys.argv[2]))
"""


def _run(tmp_path: Path, status: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), str(tmp_path / "memo"), str(status)],
        capture_output=True, text=True, cwd=PROJECT, timeout=60,
    )  # fmt: skip


def test_handlers_run_threads_join_and_the_heap_is_not_torn_down(tmp_path):
    result = _run(tmp_path, 3)
    assert result.returncode == 3
    assert result.stdout == "bye"
    assert (tmp_path / "memo").read_text() == "saved"
    assert (tmp_path / "thread").read_text() == "joined"
    assert "torn down" not in result.stderr, result.stderr


def test_status_zero_is_kept(tmp_path):
    assert _run(tmp_path, 0).returncode == 0


def test_the_entry_point_arms_it_before_importing_the_tool():
    source = (PROJECT / "build.py").read_text(encoding="utf-8")
    assert source.index("leave.arm()") < source.index("from casebook.cli import main")
