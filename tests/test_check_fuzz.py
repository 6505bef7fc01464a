"""Whatever an editor saves as index.md, `check` reports diagnostics — it never crashes.

Hypothesis mutates the known-good case (lines dropped, duplicated, swapped, edited, characters
inserted) and also feeds arbitrary text and bytes; the loader must return a report every time, and
every diagnostic must point inside the collection.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import example, given, settings
from hypothesis import strategies as st

from casebook.codes import MESSAGES
from casebook.inputs.loader import load

GOOD_INDEX = FIXTURES / "good" / "cases" / "2024" / "case" / "index.md"
GOOD_TEXT = GOOD_INDEX.read_text(encoding="utf-8")
GOOD_LINES = GOOD_TEXT.split("\n")

# Characters editors' tools and keyboards put where they do not belong.
TRICKY = st.sampled_from(
    list("：:，,、\t \u3000\"'“”‘’#-—|>[]{}&*!%@`?\\/.．（）()一二三1２\ufeff\r\x00\u200b")
    + ["---", "...", "##", "### ", "![](", "](1.jpg)", "\n", "\n\n", ": ", "- ", "  ", "年", "月", "日"]
)


@pytest.fixture(scope="module")
def root():
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "root"
        shutil.copytree(FIXTURES / "base", base)
        shutil.copytree(FIXTURES / "good", base, dirs_exist_ok=True)
        yield base


def _check(root: Path, data: bytes) -> None:
    (root / "cases" / "2024" / "case" / "index.md").write_bytes(data)
    collection, report = load(root)
    assert collection is not None
    for item in report.items:
        assert item.code in MESSAGES
        assert item.path.startswith("cases/2024/case")
        assert item.line is None or item.line >= 1
        assert item.message


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = list(GOOD_LINES)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = draw(st.sampled_from(["drop", "duplicate", "swap", "insert", "replace", "indent", "dedent"]))
        if action == "drop" and len(lines) > 1:
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap" and index + 1 < len(lines):
            lines[index], lines[index + 1] = lines[index + 1], lines[index]
        elif action == "insert":
            line = lines[index]
            at = draw(st.integers(min_value=0, max_value=len(line)))
            lines[index] = line[:at] + draw(TRICKY) + line[at:]
        elif action == "replace":
            lines[index] = draw(st.text(max_size=40) | TRICKY)
        elif action == "indent":
            lines[index] = "  " + lines[index]
        elif action == "dedent":
            lines[index] = lines[index].lstrip()
    return "\n".join(lines)


SETTINGS = settings(max_examples=80, deadline=None)


@SETTINGS
@given(mutated())
@example(GOOD_TEXT.replace("photos:\n", "photos: 1.jpg\n", 1))
@example(GOOD_TEXT.replace("  - file: 1.jpg", "  - file:", 1))
@example(GOOD_TEXT.replace("  - file: 1.jpg", "  - file: .", 1))
@example(GOOD_TEXT.replace("  - file: 1.jpg", "  - file: ''", 1))
@example(GOOD_TEXT.replace("  - file: 1.jpg", "  - file: [1.jpg]", 1))
@example(GOOD_TEXT.replace("    time: 2024年4月", "    time: 2024-04-01", 1))
@example(GOOD_TEXT.replace("contact:\n", "contact: 陈立新\n", 1))
@example(GOOD_TEXT.replace("year: 2024", "year: 2024.5", 1))
@example(GOOD_TEXT.replace("year: 2024", "year: 99999999999999999999999", 1))
@example(GOOD_TEXT.replace("year: 2024", "year: .inf", 1))
@example(GOOD_TEXT.replace("order", "x").replace("slug:", "order: -3\nslug:", 1))
@example(GOOD_TEXT.replace("title:", "? [a, b]\n: c\ntitle:", 1))
@example(GOOD_TEXT.replace("title:", "2024: 数字键\nnull: 空键\ntitle:", 1))
@example(GOOD_TEXT.replace("award: 优秀案例", "award: &a [*a]", 1))
@example(GOOD_TEXT.replace("award: 优秀案例", "award: !!python/object:os.system x", 1))
@example(GOOD_TEXT.replace("authors: [陈立新, 周晓梅]", "authors: [[陈立新], {周: 晓梅}]", 1))
@example(GOOD_TEXT.replace("  name: 陈立新", "  name: [陈立新]", 1))
@example(GOOD_TEXT.replace("unit_info:\n", "unit_info:\n  ? [x]\n  : y\n", 1))
@example(GOOD_TEXT.replace("## 一、基本情况", "## 一百零五、基本情况", 1))
@example(GOOD_TEXT.replace("![](1.jpg)", "![](</etc/passwd>)", 1))
@example(GOOD_TEXT.replace("![](1.jpg)", "![](1.jpg\x00)", 1))
def test_check_never_crashes_on_a_mutated_case(root: Path, text: str):
    _check(root, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.text())
@example("---\n---\n")
@example("---\n")
@example("---\n...\n")
@example("---\n~\n---\n")
@example("---\n- a\n---\n")
@example("---\n'文字'\n---\n")
@example("---\n2024\n---\n")
@example("---\n" + "a: &a [*a, *a]\n" + "---\n")
@example("---\n" + "[" * 2000 + "\n---\n")
@example("---\n" + "- " * 500 + "x\n---\n")
def test_check_never_crashes_on_arbitrary_text(root: Path, text: str):
    _check(root, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.binary(max_size=300))
@example(b"\xff\xfe\x00\x00")
@example(b"\xef\xbb\xbf")
@example("---\ntitle: 甲\n---\n".encode("gb18030"))
@example("---\ntitle: 臺灣\n---\n".encode("big5"))
def test_check_never_crashes_on_arbitrary_bytes(root: Path, data: bytes):
    _check(root, data)
