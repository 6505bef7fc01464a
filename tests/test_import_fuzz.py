"""Whatever a document holds, the importer either writes a case whose front matter the checker
reads, or refuses with an E7xx code: never a traceback, never broken YAML."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

import docx
import pytest
from conftest import PROJECT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from test_import_builders import floating_picture

from casebook.diagnostics import Report
from casebook.importer.convert import convert
from casebook.importer.errors import ImportFailure
from casebook.importer.render import render
from casebook.importer.writer import folder_name, write_case
from casebook.inputs.loader import load_case
from casebook.inputs.settings import load as load_settings

PIECES = [
    "一、基本情况",
    "（一）做法",
    "(二)做法。正文继续",
    "1.小标题",
    "（1）细项",
    "申报单位：某某公司党委",
    "执笔人：张三、李四、王五、赵六",
    "联系人：王五 电话：0551-1234567 手机：13900001111",
    "摘要：",
    "摘  要",
    "【摘要】概要文字",
    "案例名称：测试",
    '含"引号"和\\反斜杠',
    "key: value # 注释",
    "---",
    "# 井号",
    "* 星号 _下划线_ |竖线|",
    "１２３ＡＢＣ",
    "1.2024年3月，某单位举办活动",
    "2024年13月，无效月份",
    "图1 职工合影",
    "2024年度",
    "　　",
    "",
    "emoji 😀 和 \u2028 分隔",
    "很长的正文" * 30,
]

paragraph = st.tuples(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map("".join),
    st.sampled_from(["Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number"]),
    st.booleans(),
    st.booleans(),
)
table = st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4), min_size=1, max_size=4)
picture = st.sampled_from(["inline", "floating"])
document_shape = st.lists(st.one_of(paragraph, table, picture), min_size=1, max_size=12)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("import-fuzz")
    shutil.copytree(PROJECT / "content", folder / "content")
    return folder


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=document_shape)
def test_any_document_gives_a_readable_case_or_a_refusal(root, shape):
    work = Path(tempfile.mkdtemp(dir=root))
    try:
        _import_and_read(root, work, shape)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _import_and_read(root: Path, work: Path, shape: list) -> None:
    document = docx.Document()
    for item in shape:
        if isinstance(item, tuple):
            text, style, centred, bold = item
            p = document.add_paragraph(style=style)
            p.add_run(text).bold = bold
            if centred:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(item, str):
            data = io.BytesIO()
            Image.new("RGB", (40, 30), "red").save(data, "PNG")
            data.seek(0)
            if item == "inline":
                document.add_picture(data)
            else:
                floating_picture(document, data)
        else:
            width = max(len(row) for row in item)
            t = document.add_table(rows=len(item), cols=width)
            for r, row in enumerate(item):
                for c, text in enumerate(row):
                    t.cell(r, c).text = text
    source = work / "doc.docx"
    document.save(str(source))
    try:
        draft = convert(source, work)
    except ImportFailure as failure:
        assert failure.code in ("E704",)
        return
    _, profile = load_settings(root, Report())
    text = render(draft, draft.year or 2024, "", "", profile)
    target = work / "cases" / "2024" / folder_name(draft.found.values.get("unit", ""), draft.title)
    write_case(target, text, draft.images, False, "x")
    report = Report()
    load_case(work, target, profile, report)
    syntax = [d for d in report.items if d.code in ("E010", "E011", "E012", "E013", "E014", "E015", "E016", "E021")]
    assert syntax == [], (text, syntax)
    assert "\x00" not in text
    assert sorted(p.name for p in target.iterdir() if p.name != "index.md") == sorted(i.name for i in draft.images)
