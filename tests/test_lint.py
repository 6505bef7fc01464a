"""The code passes ruff's lint rules configured in pyproject.toml."""

import shutil
import subprocess

import pytest
from conftest import PROJECT


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff not installed (pip install -e '.[test]')")
def test_ruff_check_is_clean():
    result = subprocess.run(["ruff", "check", "."], cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
