"""Values of the wrong kind, files that are not text, and Chinese help: each reported, never a traceback."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURES, run_cli

GOOD = FIXTURES / "good"


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "base", root)
    shutil.copytree(GOOD / "cases", root / "cases")
    return root


def _index(root):
    return next((root / "cases").glob("*/*/index.md"))


def _check(root):
    result = run_cli("check", "--root", str(root), "--format", "json")
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), start=1) if needle in line)


def test_binary_file_is_not_text(root):
    _index(root).write_bytes(bytes(range(256)) * 8)
    code, items = _check(root)
    assert code == 1 and [d["code"] for d in items] == ["E004"] and items[0]["line"] == 1


@pytest.mark.parametrize(
    ("value", "shown"),
    [("!!binary aGVsbG8=", "二进制数据"), ("2024-01-01", "日期"), ("!!set {a, b}", "集合")],
)
def test_title_of_a_strange_type(root, value, shown):
    index = _index(root)
    text = index.read_text(encoding="utf-8")
    old = next(line for line in text.split("\n") if line.startswith("title:"))
    index.write_text(text.replace(old, f"title: {value}", 1), encoding="utf-8")
    code, items = _check(root)
    found = [d for d in items if d["code"] == "E021"]
    assert code == 1 and found and shown in found[0]["message"]
    assert found[0]["line"] == _line_of(index.read_text(encoding="utf-8"), "title:")


def test_photo_item_written_as_plain_text(root):
    index = _index(root)
    text = index.read_text(encoding="utf-8")
    text = text.replace("photos:\n", "photos:\n  - 9.jpg\n", 1)
    index.write_text(text, encoding="utf-8")
    code, items = _check(root)
    found = [d for d in items if d["code"] == "E021"]
    assert code == 1 and found and "第 1 项" in found[0]["message"]
    assert found[0]["line"] == _line_of(text, "- 9.jpg")


def test_python_tag_is_refused_in_chinese(root):
    index = _index(root)
    text = index.read_text(encoding="utf-8")
    old = next(line for line in text.split("\n") if line.startswith("title:"))
    index.write_text(text.replace(old, "title: !!python/object/apply:os.system [echo]", 1), encoding="utf-8")
    code, items = _check(root)
    assert code == 1 and items[0]["code"] == "E012" and "不支持" in items[0]["message"]


def test_help_is_chinese():
    result = run_cli("check", "--help")
    assert result.returncode == 0
    assert "用法：" in result.stdout and "显示本帮助并退出" in result.stdout
    assert "usage:" not in result.stdout and "show this help" not in result.stdout


def test_yaml_alias_bomb_is_reported_not_expanded(root):
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    index = _index(root)
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("---\n", "---\n" + "\n".join(levels) + "\nauthors_bomb: *h\n", 1), encoding="utf-8")
    code, items = _check(root)
    assert code == 0 and {d["code"] for d in items} == {"W022"}  # eight unknown keys, nothing expanded
