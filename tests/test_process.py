"""The command's process (casebook/util/process.py): it ends without tearing its heap down, yet every exit
handler runs first (the memos are saved by multiprocessing's finalizers) and the status is kept."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys
from casebook.util import process
process.start()
import multiprocessing.util, threading, time
from pathlib import Path

class Heap:
    def __del__(self):  # run by the interpreter's teardown, which process.run skips
        sys.stderr.write("torn down\\n")

kept = Heap()
out = Path(sys.argv[1])
multiprocessing.util.Finalize(None, lambda: out.write_text("saved"), exitpriority=10)
def late():
    time.sleep(0.2)
    (out.parent / "thread").write_text("joined")
threading.Thread(target=late).start()  # not a daemon: joined before the exit handlers
print("bye", end="")  # buffered: flushed before leaving
process.run(lambda: int(sys.argv[2]))
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
    assert source.index("process.start()") < source.index("from casebook.cli import main")


def test_young_collections_are_rarer_in_the_command():
    code = "from casebook.util import process; process.start(); import gc; print(gc.get_threshold()[0], end=''); process.run(lambda: 0)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, timeout=60)
    assert result.stdout == "20000" and result.returncode == 0


@pytest.mark.parametrize(
    "args, status",
    [(["--help"], 0), (["--no-such-option"], 2), (["--root", "/no/such/folder", "check"], 2)],
    ids=["help", "bad-option", "missing-root"],
)
def test_the_commands_status_is_kept_whatever_ends_it(args, status):
    """argparse ends with SystemExit (0 for --help, 2 for a bad option); main returns its own status."""
    result = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *args], capture_output=True, text=True, cwd=PROJECT, timeout=60
    )
    assert result.returncode == status, result.stderr


def test_a_system_exit_with_a_message_prints_it_and_ends_with_1(tmp_path):
    code = "from casebook.util import process; process.start(); import sys; process.run(lambda: sys.exit('停止'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, timeout=60)
    assert result.returncode == 1 and "停止" in result.stderr
