"""Shared test helpers: run the real CLI in a subprocess, build collection roots on disk."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run_cli(
    *args: str, cwd: Path | None = None, stdin: str | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    """python build.py ARGS, in this process (the fast loop): same parser, same exit codes, same
    output streams. One real subprocess per command is run by the slow smoke tests (run_cli_process)."""
    import contextlib
    import io

    from casebook.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    stdin_before = sys.stdin
    environ_before = dict(os.environ)
    try:
        os.environ.update(env or {})
        os.chdir(cwd or PROJECT)
        sys.stdin = io.StringIO(stdin or "")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as stop:  # argparse: --help, usage errors
                code = stop.code if isinstance(stop.code, int) else 2
    finally:
        sys.stdin = stdin_before
        os.chdir(previous)
        os.environ.clear()
        os.environ.update(environ_before)
    return subprocess.CompletedProcess(["build.py", *args], int(code), out.getvalue(), err.getvalue())


def run_cli_process(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """python build.py ARGS in a real process, exactly as an editor runs it."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *args],
        cwd=cwd or PROJECT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        input=stdin if stdin is not None else "",
        env=env,
        timeout=600,
    )


@pytest.fixture
def sample_root(tmp_path: Path) -> Path:
    """A private copy of the shipped sample collection."""
    root = tmp_path / "collection"
    root.mkdir()
    for name in ("cases", "content"):
        shutil.copytree(PROJECT / name, root / name, symlinks=True)
    if (PROJECT / "mkdocs.yml").exists():
        shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    return root


# Whole modules that drive the real engine, LibreOffice, a browser or a server: `-m "not slow"` skips
# them (the developer loop); CI runs everything.
SLOW_MODULES = {
    "test_browser_site",
    "test_site_serve",
    "test_site",
    "test_book",
    "test_import_roundtrip",
    "test_cli_smoke",
}


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if item.module.__name__ in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
