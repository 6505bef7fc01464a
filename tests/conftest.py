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


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """python build.py ARGS, exactly as an editor runs it."""
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
