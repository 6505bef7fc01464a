"""The known-good case, and variants of it that must also pass, check clean: no false alarms."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli
from PIL import Image

from casebook.cli import main as cli_main

GOOD = FIXTURES / "good"
OK = FIXTURES / "ok"
OK_NAMES = sorted(p.name for p in OK.iterdir() if p.is_dir())


def _root(tmp_path: Path, fixture: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "base", root)
    shutil.copytree(fixture, root, symlinks=True, dirs_exist_ok=True)
    return root


def _check_strict_json(root: Path) -> subprocess.CompletedProcess:
    return run_cli("check", "--root", str(root), "--format", "json", "--strict")


def _assert_clean(root: Path) -> None:
    _assert_clean_run(_check_strict_json(root))


def _assert_clean_run(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert json.loads(done.stdout) == [], done.stdout
    assert done.returncode == 0, done.stderr
    assert "0 个错误，0 个警告" in done.stderr


def test_good_fixture_is_what_it_claims():
    index = GOOD / "cases" / "2024" / "case" / "index.md"
    text = index.read_text(encoding="utf-8")
    for section in ("## 一、基本情况", "## 二、主要做法", "## 三、工作成效", "## 四、工作启示"):
        assert section in text
    assert text.count("### （一）") == 3 and text.count("### （二）") == 3
    with Image.open(index.parent / "1.jpg") as photo:
        assert (photo.format, photo.size) == ("JPEG", (1200, 900))
    assert (index.parent / "1.jpg").stat().st_size < 50_000
    assert "profile: machinery-2024" in (FIXTURES / "base" / "content" / "settings.yml").read_text(encoding="utf-8")


def test_good_case_checks_clean(tmp_path: Path):
    _assert_clean(_root(tmp_path, GOOD))


def test_good_case_text_output(tmp_path: Path):
    done = run_cli("check", "--root", str(_root(tmp_path, GOOD)))
    assert done.returncode == 0
    assert done.stdout == "检查了 1 个案例：0 个错误，0 个警告\n"


@pytest.mark.parametrize("name", OK_NAMES)
def test_ok_variant_checks_clean(name: str, tmp_path: Path):
    """In-process, through the CLI's own entry point: the variants only differ in content."""
    root = _root(tmp_path, OK / name)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli_main(["check", "--root", str(root), "--format", "json", "--strict"])
    assert json.loads(out.getvalue()) == [], out.getvalue()
    assert code == 0
    assert "0 个错误，0 个警告" in err.getvalue()


def test_bom_crlf_variant_really_has_both():
    data = (OK / "bom-crlf" / "cases" / "2024" / "case" / "index.md").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n")
    assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
