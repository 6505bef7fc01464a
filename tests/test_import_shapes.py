"""`python build.py import` on Word documents in the shapes editors receive: the case folder it
writes, the values it finds and the check that follows."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from test_import_builders import (
    CAPTIONS,
    SECTIONS,
    SUMMARY,
    TITLE,
    UNIT,
    body_sections,
    centred,
    floating_picture,
    form_000,
    inline_picture,
    jpeg,
    png,
    run_import,
    save,
    title,
)

from casebook.inputs.loader import load

FOLDER = f"cases/2024/{UNIT}-{TITLE}"


def imported(root: Path, folder: str = FOLDER):
    """The imported case as the checker reads it, and the diagnostics about it."""
    collection, report = load(root)
    mine = [d for d in report.sorted() if d.path.startswith(folder)]
    cases = [c for c in collection.cases if c.rel.startswith(folder + "/")]
    return (cases[0] if cases else None), mine


def first_level(case) -> list[str]:
    return [h.text for h in case.headings if h.level == 1]


def test_word_heading_styles_and_inline_photos(tmp_path, sample_root):
    document = docx.Document()
    document.add_heading(TITLE, 0)
    centred(document, UNIT)
    document.add_paragraph("执笔人：赵一鸣、钱晓华")
    document.add_paragraph(f"案例概要：{SUMMARY}")
    body_sections(document, heading_styles=True, pictures="inline")
    source = save(document, tmp_path / "申报材料.docx")

    result = run_import(str(source), "--root", str(sample_root), "--category", "企业")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "检查通过" in result.stdout
    case, problems = imported(sample_root)
    assert problems == []
    assert (case.title, case.unit, case.category, case.year) == (TITLE, UNIT, "企业", 2024)
    assert case.authors == ("赵一鸣", "钱晓华")
    assert case.summary == SUMMARY
    assert first_level(case) == list(SECTIONS)
    assert [h.text for h in case.headings if h.level == 2] == ["（一）建强宣讲队伍", "（二）创新宣讲形式"]
    assert [h.text for h in case.headings if h.level == 3] == ["1.选好宣讲员", "2.培养宣讲员"]
    assert [p.caption for p in case.photos] == list(CAPTIONS)
    assert [p.file for p in case.photos] == ["1.jpg", "2.png"]
    assert (sample_root / FOLDER / "1.jpg").read_bytes()[:3] == b"\xff\xd8\xff"
    assert "从班组长和技术能手中选拔宣讲员，共选聘宣讲员86名。" in case.body
    assert case.status == "draft"


def test_manual_numbering_floating_photos_breaks_and_stray_paragraphs(tmp_path, sample_root):
    document = docx.Document()
    document.add_paragraph("")
    title(document, "车间里的“理论")
    document.paragraphs[-1].runs[0].add_break()
    document.paragraphs[-1].add_run("小课堂”").font.size = Pt(22)
    document.add_paragraph("　")
    centred(document, f"{UNIT}　赵一鸣　钱晓华")
    document.add_paragraph("")
    document.add_paragraph(f"【摘要】{SUMMARY}")
    document.add_paragraph("")
    body_sections(document, heading_styles=False, pictures="floating")
    p = document.add_paragraph("　　全年开展宣讲１２００余场次，")
    p.add_run().add_break()
    p.add_run("覆盖职工ＡＢＣ三个厂区。")
    document.add_paragraph("")
    source = save(document, tmp_path / "案例.docx")

    result = run_import(str(source), "--root", str(sample_root), "--category", "企业")

    assert result.returncode == 0, result.stdout + result.stderr
    case, problems = imported(sample_root)
    assert problems == []
    assert case.title == TITLE
    assert case.unit == UNIT
    assert case.authors == ("赵一鸣", "钱晓华")
    assert case.summary == SUMMARY
    assert first_level(case) == list(SECTIONS)
    assert [p.caption for p in case.photos] == list(CAPTIONS)
    assert "全年开展宣讲1200余场次，覆盖职工ABC三个厂区。" in case.body
    text = (sample_root / FOLDER / "index.md").read_text(encoding="utf-8")
    assert "\n\n\n" not in text
    assert "## 一、基本情况\n" in text and "#### 1.选好宣讲员\n" in text


def test_form_000_at_start_and_captions_in_table_cells(tmp_path, sample_root):
    document = docx.Document()
    form_000(document, 2024)
    title(document)
    centred(document, UNIT)
    body_sections(document, pictures="table")
    source = save(document, tmp_path / "江淮精密-理论小课堂.docx")

    result = run_import(str(source), "--root", str(sample_root))  # year from the form, category from the unit

    assert result.returncode == 0, result.stdout + result.stderr
    case, problems = imported(sample_root)
    assert problems == []
    assert (case.title, case.unit, case.year, case.category) == (TITLE, UNIT, 2024, "企业")
    assert case.authors == ("赵一鸣", "钱晓华")
    assert case.summary == SUMMARY
    contact = case.contact
    assert (contact.name, contact.phone, contact.mobile, contact.email) == (
        "孙立",
        "0551-62345678",
        "13812345678",
        "sunli@example.cn",
    )
    assert [p.caption for p in case.photos] == list(CAPTIONS)
    assert "申报表" not in case.body and "孙立" not in case.body
    text = (sample_root / FOLDER / "index.md").read_text(encoding="utf-8")
    assert 'mobile: "13812345678"' in text
    assert "按单位名称推测" in text


def test_form_001_values_below_their_labels(tmp_path, sample_root):
    document = docx.Document()
    centred(document, "班组职工思想政治工作创新案例申报表", 18)
    document.add_paragraph("推荐单位：江淮机械工业联合会")
    table = document.add_table(rows=6, cols=4)
    rows = [
        ("案例名称", TITLE, "实施单位 (盖章)", UNIT),
        ("班组基本 情况", "单位性质", "职工人数", "所属行业"),
        ("", "国有企业", "1800人", "装备制造"),
        ("", "地址", "联系人及职务", "联系电话"),
        ("", "合肥市蜀山区机床路8号", "孙立 党委宣传部部长", "0551-62345678，13812345678"),
        ("案例简介 (实施背景、过程、主要做法及工作效果)", SUMMARY, "", ""),
    ]
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(4, 0))
    table.cell(5, 1).merge(table.cell(5, 3))
    document.add_page_break()
    title(document)
    body_sections(document)
    source = save(document, tmp_path / "001.docx")

    result = run_import(str(source), "--root", str(sample_root), "--year", "2024")

    assert result.returncode == 0, result.stdout + result.stderr
    case, problems = imported(sample_root)
    assert problems == []
    assert (case.title, case.unit, case.recommender, case.summary) == (TITLE, UNIT, "江淮机械工业联合会", SUMMARY)
    assert case.unit_info == {"nature": "国有企业", "employees": 1800, "industry": "装备制造"}
    contact = case.contact
    assert (contact.name, contact.position, contact.address) == ("孙立", "党委宣传部部长", "合肥市蜀山区机床路8号")
    assert (contact.phone, contact.mobile) == ("0551-62345678", "13812345678")


def test_form_004_layout(tmp_path, sample_root):
    document = docx.Document()
    centred(document, "肇庆市教育系统党建工作创新案例申报表", 18)
    document.add_paragraph("申报单位: (盖章)")
    document.add_paragraph("年 月 日")
    table = document.add_table(rows=4, cols=4)
    for r, cells in enumerate(
        [
            ("案例负责人 姓名", "孙立", "联系方式", "13812345678"),
            ("所在党组织", UNIT, "", ""),
            ("案例名称", TITLE, "", ""),
            ("案例摘要", "(案例摘要字数不超过 800 字, 包括做法与经过、成效与反响、创新评价等)\n" + SUMMARY, "", ""),
        ]
    ):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    for r in (1, 2, 3):
        table.cell(r, 1).merge(table.cell(r, 3))
    title(document)
    body_sections(document)
    source = save(document, tmp_path / "004.docx")

    result = run_import(str(source), "--root", str(sample_root), "--year", "2024", "--category", "企业")

    assert result.returncode == 0, result.stdout + result.stderr
    case, _ = imported(sample_root)
    assert (case.title, case.unit, case.summary) == (TITLE, UNIT, SUMMARY)
    assert (case.contact.name, case.contact.mobile) == ("孙立", "13812345678")


def test_lists_emphasis_tables_and_unclear_captions(tmp_path, sample_root):
    document = docx.Document()
    title(document)
    centred(document, UNIT)
    document.add_paragraph(SECTIONS[0])
    p = document.add_paragraph("公司坚持")
    p.add_run("“三个不”").bold = True
    p.add_run("的要求，")
    p.add_run("不照本宣科").italic = True
    p.add_run("。")
    document.add_paragraph("选题贴近生产", style="List Bullet")
    document.add_paragraph("语言贴近职工", style="List Bullet")
    table = document.add_table(rows=3, cols=3)
    for r, cells in enumerate([("年份", "场次", "满意率"), ("2023", "500", "93%"), ("2024", "700", "96%")]):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    inline_picture(document, jpeg())
    centred(document, "职工在车间学习", 14)
    inline_picture(document, png())
    document.add_paragraph("宣讲结束后，职工扫码评议。")
    source = save(document, tmp_path / "shapes.docx")

    result = run_import(str(source), "--root", str(sample_root), "--year", "2024", "--category", "企业")

    assert result.returncode == 1  # sections, summary and captions are still missing
    text = (sample_root / FOLDER / "index.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    assert "公司坚持**“三个不”**的要求，*不照本宣科*。" in body
    assert "- 选题贴近生产\n- 语言贴近职工" in body
    assert "| 年份 | 场次 | 满意率 |\n|---|---|---|\n| 2023 | 500 | 93% |" in body
    assert "![](1.jpg)" in body and "![](2.png)" in body
    assert "职工在车间学习" not in body and "宣讲结束后，职工扫码评议。" in body
    assert 'caption: "职工在车间学习"' in text
    assert "这张图片下没有说明" in text
    for code in ("E020", "E201", "E211", "E301"):
        assert code in result.stdout
    assert "summary" in result.stdout


def test_folder_of_submissions_with_a_separate_form(tmp_path, sample_root):
    submissions = tmp_path / "申报材料"
    form_doc = docx.Document()
    form_000(form_doc, 2024)
    form_doc.add_paragraph("填表日期：2024年5月20日")
    save(form_doc, submissions / "江淮精密机械有限公司党委+车间里的理论小课堂" / "申报表.docx")
    text_doc = docx.Document()
    title(text_doc)
    centred(text_doc, UNIT)
    body_sections(text_doc)
    save(text_doc, submissions / "江淮精密机械有限公司党委+车间里的理论小课堂" / "案例文本.docx")
    other = docx.Document()
    title(other, "夜校里的工匠课")
    centred(other, "江淮重工集团有限公司党委")
    other.add_paragraph("执笔人：周明")
    other.add_paragraph(f"摘要：{SUMMARY}")
    body_sections(other)
    save(other, submissions / "江淮重工" / "夜校里的工匠课.docx")
    (submissions / "江淮重工" / "~$夜校里的工匠课.docx").write_bytes(b"lock file")

    result = run_import(str(submissions), "--root", str(sample_root), "--year", "2024")

    assert result.returncode == 0, result.stdout + result.stderr
    case, problems = imported(sample_root)
    assert problems == []
    assert (case.summary, case.authors, case.contact.mobile) == (SUMMARY, ("赵一鸣", "钱晓华"), "13812345678")
    second, problems = imported(sample_root, "cases/2024/江淮重工集团有限公司党委-夜校里的工匠课")
    assert problems == [] and second.authors == ("周明",)
    assert not any("申报表" in p.name for p in (sample_root / "cases" / "2024").iterdir())


def test_existing_case_is_kept_unless_forced(tmp_path, sample_root):
    document = docx.Document()
    title(document)
    centred(document, UNIT)
    document.add_paragraph(f"摘要：{SUMMARY}")
    body_sections(document)
    source = save(document, tmp_path / "a.docx")
    assert run_import(str(source), "--root", str(sample_root), "--category", "企业").returncode == 0
    index = sample_root / FOLDER / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("status: draft", "status: approved"), encoding="utf-8")

    again = run_import(str(source), "--root", str(sample_root), "--category", "企业")
    assert again.returncode == 2
    assert "E708" in again.stderr and "--force" in again.stderr
    assert "status: approved" in index.read_text(encoding="utf-8")

    forced = run_import(str(source), "--root", str(sample_root), "--category", "企业", "--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "status: draft" in index.read_text(encoding="utf-8")
    assert not [p for p in (sample_root / "cases" / "2024").iterdir() if p.name.startswith(".")]


def test_word_automatic_numbering_headings(tmp_path, sample_root):
    """Headings numbered by Word (numbering.xml, chineseCounting) rather than typed."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    document = docx.Document()
    title(document)
    centred(document, UNIT)
    document.add_paragraph(f"摘要：{SUMMARY}")
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        p = document.add_paragraph(text)
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )

    for name in ("基本情况", "主要做法"):
        numbered(name, 0)
        document.add_paragraph("正文。")
    numbered("建强队伍", 1)
    document.add_paragraph("正文。")
    for name in ("工作成效", "工作启示"):
        numbered(name, 0)
        document.add_paragraph("正文。")
    assert document.paragraphs[-1]._p.find(qn("w:pPr")) is None
    source = save(document, tmp_path / "auto.docx")

    result = run_import(str(source), "--root", str(sample_root), "--year", "2024", "--category", "企业")

    assert result.returncode == 0, result.stdout + result.stderr
    case, _ = imported(sample_root)
    assert first_level(case) == list(SECTIONS)
    assert [h.text for h in case.headings if h.level == 2] == ["（一）建强队伍"]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "1.2023年11月，奉贤区举办“八进千讲新思想”主题宣讲进园区活动",
            ("2023年11月", "奉贤区", "举办“八进千讲新思想”主题宣讲进园区活动"),
        ),
        ("图2 2024年5月12日，公司党委举办理论宣讲擂台赛", ("2024年5月12日", "公司党委", "举办理论宣讲擂台赛")),
        ("３．2024年6月，公司装配车间宣讲员在现场讲述故事", ("2024年6月", "公司装配车间宣讲员", "在现场讲述故事")),
    ],
)
def test_caption_split(text, expected):
    from casebook.importer.caption import parse

    parsed = parse(text)
    assert (parsed.time, parsed.subject, parsed.event) == expected


def test_caption_kept_whole_when_unclear():
    from casebook.importer.caption import parse

    assert not parse("职工在车间学习").split
    assert not parse("2024年6月，活动现场").split


def test_full_width_text_normalised():
    from casebook.importer.text import clean

    assert clean("　　共１２００人，ＡＢＣ班组，（一）“微宣讲”　") == "共1200人，ABC班组，（一）“微宣讲”"


def test_centred_alignment_detected_from_style(tmp_path):
    from casebook.importer.blocks import read

    document = docx.Document()
    style = document.styles.add_style("案例标题", 1)
    style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    style.font.size = Pt(22)
    document.add_paragraph(TITLE, style="案例标题")
    para = read(docx.Document(str(save(document, tmp_path / "s.docx"))))[0][0]
    assert para.centred and para.size == 22
    floating = docx.Document()
    floating_picture(floating, jpeg(), "文字")
    para = read(docx.Document(str(save(floating, tmp_path / "f.docx"))))[0][0]
    assert para.pictures and para.pictures[0].floating


def test_plain_title_summary_heading_dates_and_trailing_contact_lines(tmp_path, sample_root):
    """A document typed without any formatting: the first short line is the title, 摘  要 heads
    the summary paragraph, the date line is dropped, contact lines at the end go to contact."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(f"单位：{UNIT}")
    document.add_paragraph("2024年6月")
    document.add_paragraph("摘  要")
    document.add_paragraph(SUMMARY)
    document.add_paragraph("一、基本情况")
    document.add_paragraph("江淮精密机械有限公司现有职工1800余人。")
    document.add_paragraph("二、主要做法")
    document.add_paragraph("(一)建强宣讲队伍。")
    document.add_paragraph("从班组长中选拔宣讲员。")
    document.add_paragraph("三、工作成效")
    document.add_paragraph("职工满意率达到95%以上。")
    document.add_paragraph("四、工作启示：")
    document.add_paragraph("理论宣讲必须贴近基层。")
    document.add_paragraph("联系人：孙立  电话：0551-62345678  手机：13812345678")
    document.add_paragraph("电子邮箱：sunli@example.cn")
    source = save(document, tmp_path / "plain.docx")

    result = run_import(str(source), "--root", str(sample_root), "--category", "企业")

    assert result.returncode == 0, result.stdout + result.stderr
    case, problems = imported(sample_root)
    assert problems == []
    assert (case.title, case.unit, case.summary, case.year) == (TITLE, UNIT, SUMMARY, 2024)
    assert first_level(case) == list(SECTIONS)
    assert [h.text for h in case.headings if h.level == 2] == ["（一）建强宣讲队伍"]
    assert (case.contact.name, case.contact.phone, case.contact.mobile, case.contact.email) == (
        "孙立",
        "0551-62345678",
        "13812345678",
        "sunli@example.cn",
    )
    assert "孙立" not in case.body and "2024年6月" not in case.body
