"""Heading numbering in the official style 一、 → （一） → 1. → （1）: scan, classify, numbering_problems.
The headings come from casebook.document.scan (tests/test_document.py checks it against the parser)."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from casebook import document
from casebook.inputs.headings import (
    HASHES_FOR_LEVEL,
    Heading,
    chinese_number,
    classify,
    marker_for,
    numbering_problems,
    to_chinese,
)


def scan(body: str, first_line: int) -> list[Heading]:
    return list(document.scan(body, first_line).headings)


# --- chinese_number -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("一", 1),
        ("二", 2),
        ("两", 2),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("一十", 10),
        ("十九", 19),
        ("二十", 20),
        ("二十三", 23),
        ("九十九", 99),
        ("一百", 100),
        ("一百零五", 105),
        ("一百一十五", 115),
        ("两百", 200),
        ("零", 0),
        ("〇", 0),
    ],
)
def test_chinese_number(text: str, number: int):
    assert chinese_number(text) == number


@pytest.mark.parametrize("text", ["", "1", "一1", "壹", "第一", "一千", "a", "十 一", "、"])
def test_chinese_number_rejects_non_numerals(text: str):
    assert chinese_number(text) is None


@pytest.mark.parametrize("number", range(1, 100))
def test_to_chinese_round_trips(number: int):
    assert chinese_number(to_chinese(number)) == number


def test_marker_for_each_level():
    assert [marker_for(level, 3) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3.", "（3）"]
    assert marker_for(1, 12) == "十二、"


# --- classify ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一、基本情况", (1, 1, "一、")),
        ("十二、附录", (1, 12, "十二、")),
        ("（一）建强队伍", (2, 1, "（一）")),
        ("(二)半角括号", (2, 2, "(二)")),
        ("（三)混用括号", (2, 3, "（三)")),
        ("1.推行三员合一", (3, 1, "1.")),
        ("2．全角句点", (3, 2, "2．")),
        ("10.第十项", (3, 10, "10.")),
        ("（1）选题", (4, 1, "（1）")),
        ("(2)备课", (4, 2, "(2)")),
    ],
)
def test_classify_numbered(text: str, expected: tuple[int, int, str]):
    assert classify(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "基本情况",
        "",
        "第一部分",
        "1.5倍产能",
        "2024年成效",
        "一是加强领导",
        "附件",
        "1、顿号不是标记",
        "A.英文字母",
        "（A）",
    ],
)
def test_classify_unnumbered(text: str):
    assert classify(text) is None


# --- scan --------------------------------------------------------------------------------------------


def test_scan_reports_file_lines_and_levels():
    body = "## 一、基本情况\n\n正文\n\n### （一）做法\n\n#### 1.细节\n\n##### （1）更细\n"
    heads = scan(body, 31)
    assert [(h.line, h.hashes, h.level, h.number, h.marker, h.title) for h in heads] == [
        (31, 2, 1, 1, "一、", "基本情况"),
        (35, 3, 2, 1, "（一）", "做法"),
        (37, 4, 3, 1, "1.", "细节"),
        (39, 5, 4, 1, "（1）", "更细"),
    ]


def test_scan_skips_fenced_code():
    body = "```\n## 一、不是标题\n```\n~~~markdown\n## 二、也不是\n```\n仍在代码中\n~~~\n## 一、是标题\n"
    assert [(h.line, h.text) for h in scan(body, 1)] == [(9, "一、是标题")]


def test_scan_unclosed_fence_is_no_fence():
    """Python-Markdown renders a fence that is never closed as text: what follows is a heading."""
    assert [(h.line, h.text) for h in scan("```\n## 一、基本情况\n", 1)] == [(2, "一、基本情况")]


def test_scan_reads_setext_headings():
    body = "一、基本情况\n======\n\n正文\n\n（一）做法\n------\n"
    assert [(h.line, h.hashes, h.marker) for h in scan(body, 5)] == [(5, 1, "一、"), (10, 2, "（一）")]


def test_setext_heading_numbering_is_checked():
    problems = numbering_problems(scan("一、甲\n---\n\n三、丙\n---\n", 1))
    assert [(p.line, p.code) for p in problems] == [(4, "E303")]


def test_scan_strips_closing_hashes_and_spaces():
    (head,) = scan("##   二、主要做法   ##", 1)
    assert (head.text, head.marker, head.title) == ("二、主要做法", "二、", "主要做法")
    (head,) = scan("## 二、主要做法 ##  ", 1)  # after trailing spaces Python-Markdown keeps the hashes
    assert head.text == "二、主要做法 ##"


def test_scan_reads_headings_without_a_space_like_python_markdown():
    """Python-Markdown (site and book) renders "##一、基本情况" as a heading; the checker agrees."""
    import markdown

    assert markdown.markdown("##一、基本情况", extensions=list(document.EXTENSIONS)).startswith("<h2")
    (head,) = scan("##一、基本情况", 1)
    assert (head.hashes, head.level, head.title) == (2, 1, "基本情况")


def test_scan_ignores_what_is_not_a_heading():
    body = "正文 ## 一、不在行首\n   \n    ## 缩进代码\n" + "#" * 7 + " 七个井号\n"
    assert [h.text for h in scan(body, 1) if h.hashes < 6] == []


def test_scan_keeps_unnumbered_headings():
    (head,) = scan("## 附件", 1)
    assert (head.level, head.number, head.marker, head.title) == (None, None, "", "附件")


# --- numbering_problems ------------------------------------------------------------------------------


def _problems(body: str) -> list[tuple[int, str]]:
    return [(p.line, p.code) for p in numbering_problems(scan(body, 1))]


GOOD_OUTLINE = """\
## 一、基本情况
## 二、主要做法
### （一）建强队伍
#### 1.选人
##### （1）推荐
##### （2）考核
#### 2.培养
### （二）丰富内容
## 三、工作成效
### （一）意识增强
## 四、工作启示
## 附件
"""


def test_a_good_outline_has_no_problems():
    assert _problems(GOOD_OUTLINE) == []


def test_numbers_restart_under_each_parent():
    assert (
        _problems("## 一、甲\n### （一）a\n### （二）b\n## 二、乙\n### （一）c\n#### 1.x\n### （二）d\n#### 1.y\n")
        == []
    )


def test_skipped_number_is_e303():
    problems = numbering_problems(scan("## 一、甲\n## 三、丙\n## 四、丁\n", 1))
    assert [(p.line, p.code, p.values) for p in problems] == [(2, "E303", {"expected": "二、", "actual": "三、"})]


def test_first_number_must_be_one():
    assert _problems("## 二、甲\n") == [(1, "E303")]
    assert _problems("## 一、甲\n### （二）乙\n") == [(2, "E303")]


def test_repeated_number_is_e303():
    assert _problems("## 一、甲\n## 一、乙\n") == [(2, "E303")]


def test_wrong_depth_is_e304():
    problems = numbering_problems(scan("## 一、甲\n### 二、乙\n", 1))
    assert [(p.line, p.code, p.values["hashes"]) for p in problems] == [(2, "E304", "##")]


def test_level_skipped_is_e305():
    problems = numbering_problems(scan("## 一、甲\n#### 1.乙\n", 1))
    assert [(p.line, p.code, p.values) for p in problems] == [(2, "E305", {"actual": "1.", "parent": "（一）"})]


def test_subsection_before_any_section_is_e305():
    assert _problems("### （一）甲\n") == [(1, "E305")]


def test_unnumbered_headings_do_not_break_the_sequence():
    assert _problems("## 一、甲\n## 小结\n## 二、乙\n") == []


def test_hashes_for_level():
    assert HASHES_FOR_LEVEL == {1: 2, 2: 3, 3: 4, 4: 5}


# --- properties ------------------------------------------------------------------------------------------


@given(st.text())
@example("```")
@example("## 一百零五、\n### （）\n#### 0.\n")
@example("# \n## #\n###### ######\n")
def test_scan_and_numbering_never_raise(text: str):
    heads = scan(text, 1)
    assert all(isinstance(h, Heading) and 1 <= h.line <= text.count("\n") + 1 for h in heads)
    for problem in numbering_problems(heads):
        assert problem.code in ("E303", "E304", "E305")


@given(st.text())
@example("十百千")
@example("一" * 500)
def test_chinese_number_never_raises(text: str):
    result = chinese_number(text)
    assert result is None or result >= 0


@given(st.text())
def test_classify_never_raises(text: str):
    found = classify(text)
    if found is not None:
        level, number, marker = found
        assert level in (1, 2, 3, 4) and text.startswith(marker) and number >= 0


@given(st.text(alphabet="#一二三十百零（）()1234567890.．、 \n`~abc", max_size=200))
def test_scan_never_raises_on_heading_like_text(text: str):
    numbering_problems(scan(text, 7))


# Outlines of any shape, numbered correctly, are accepted: sections → subsections → items → points.
outlines = st.lists(
    st.lists(st.lists(st.integers(min_value=0, max_value=3), max_size=3), max_size=3), min_size=1, max_size=12
)


def _render(outline: list[list[list[int]]]) -> str:
    lines = []
    for i, subsections in enumerate(outline, start=1):
        lines.append(f"## {marker_for(1, i)}标题")
        for j, items in enumerate(subsections, start=1):
            lines.append(f"### {marker_for(2, j)}标题")
            for k, points in enumerate(items, start=1):
                lines.append(f"#### {marker_for(3, k)}标题")
                lines.extend(f"##### {marker_for(4, m)}标题" for m in range(1, points + 1))
    return "\n\n".join(lines) + "\n"


@given(outlines)
def test_correct_outlines_have_no_problems(outline: list[list[list[int]]]):
    body = _render(outline)
    heads = scan(body, 1)
    assert all(h.level is not None for h in heads)
    assert numbering_problems(heads) == []


@given(outlines, st.data())
def test_renumbering_one_heading_is_caught(outline: list[list[list[int]]], data: st.DataObject):
    lines = _render(outline).split("\n")
    numbered = [i for i, line in enumerate(lines) if line.startswith("#")]
    index = data.draw(st.sampled_from(numbered))
    head = scan(lines[index], 1)[0]
    bump = data.draw(st.integers(min_value=1, max_value=5))
    lines[index] = "#" * head.hashes + " " + marker_for(head.level, head.number + bump) + "标题"
    problems = numbering_problems(scan("\n".join(lines), 1))
    assert any(p.code == "E303" and p.line == index + 1 for p in problems)
