"""The importer's pieces on small documents, without the command line: headings written run-in,
several pictures in one paragraph, logos, picture formats, linked pictures, encrypted .doc files."""

from __future__ import annotations

import io
import struct

import docx
import pytest
from docx.shared import Cm
from PIL import Image
from test_import_builders import SUMMARY, TITLE, UNIT, centred, encrypted_container, jpeg, png, save, title

from casebook.importer.convert import convert
from casebook.importer.errors import ImportFailure
from casebook.importer.photos import kind_of, prepare
from casebook.importer.source import sniff


def draft_of(document, tmp_path, name: str = "a.docx"):
    path = save(document, tmp_path / name)
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    return convert(path, work)


def test_run_in_headings_are_split_from_their_paragraph(tmp_path):
    document = docx.Document()
    title(document)
    document.add_paragraph("一、基本情况")
    document.add_paragraph("（一）抓好队伍建设。公司党委从班组长中选拔宣讲员，共选聘86名。")
    p = document.add_paragraph()
    p.add_run("1.建立导师制度。").bold = True
    p.add_run("邀请党校教师与宣讲员结对，每季度举办一次擂台赛。")
    document.add_paragraph("2.公司每年评选优秀宣讲员十名，并在全公司范围内通报表扬，激励更多职工参与进来。")
    body = draft_of(document, tmp_path).body
    assert "### （一）抓好队伍建设\n\n公司党委从班组长中选拔宣讲员，共选聘86名。" in body
    assert "#### 1.建立导师制度\n\n邀请党校教师与宣讲员结对，每季度举办一次擂台赛。" in body
    assert "\n2.公司每年评选优秀宣讲员十名" in body  # a numbered sentence, not a heading


def test_two_pictures_in_one_paragraph_with_both_captions_below(tmp_path):
    document = docx.Document()
    title(document)
    p = document.add_paragraph()
    p.add_run().add_picture(jpeg(), width=Cm(7))
    p.add_run("  ")
    p.add_run().add_picture(png(), width=Cm(7))
    centred(document, "1.2024年3月，公司党委开展宣讲    2.2024年4月，装配车间举办擂台赛", 14)
    draft = draft_of(document, tmp_path)
    assert [p.file for p in draft.photos] == ["1.jpg", "2.png"]
    assert [(p.caption.time, p.caption.subject, p.caption.event) for p in draft.photos] == [
        ("2024年3月", "公司党委", "开展宣讲"),
        ("2024年4月", "装配车间", "举办擂台赛"),
    ]
    assert "![](1.jpg)\n\n![](2.png)" in draft.body and "擂台赛" not in draft.body


def test_logo_above_the_title_does_not_hide_it(tmp_path):
    document = docx.Document()
    document.add_picture(png("white"), width=Cm(3))
    title(document)
    centred(document, UNIT)
    document.add_paragraph(f"摘要：{SUMMARY}")
    document.add_paragraph("一、基本情况")
    document.add_paragraph("正文。")
    draft = draft_of(document, tmp_path)
    assert (draft.title, draft.found.values["unit"], draft.found.values["summary"]) == (TITLE, UNIT, SUMMARY)


def test_same_picture_twice_is_one_file(tmp_path):
    document = docx.Document()
    title(document)
    data = jpeg().getvalue()
    document.add_picture(io.BytesIO(data), width=Cm(8))
    document.add_paragraph("正文。")
    document.add_picture(io.BytesIO(data), width=Cm(8))
    draft = draft_of(document, tmp_path)
    assert [i.name for i in draft.images] == ["1.jpg"]
    assert draft.body.count("![](1.jpg)") == 2


def test_linked_picture_is_reported_not_imported(tmp_path):
    document = docx.Document()
    title(document)
    document.add_picture(jpeg(), width=Cm(8))
    document.add_paragraph("正文。")
    blip = document.element.body.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    linked = document.part.rels.get_or_add_ext_rel(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image", "file:///C:/照片/活动.jpg"
    )
    del blip.attrib[f"{r}embed"]
    blip.set(f"{r}link", linked)
    draft = draft_of(document, tmp_path)
    assert draft.images == []
    assert draft.notes == [("W714", {"number": 1, "detail": "file:///C:/照片/活动.jpg", "file": "1.jpg"})]
    assert "![](1.jpg)" in draft.body and [p.file for p in draft.photos] == ["1.jpg"]


def test_linked_picture_beside_the_document_is_read(tmp_path):
    """A picture linked to a file in the submission's own folder is taken from there; links that
    leave the folder are not followed."""
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(jpeg("blue").getvalue())
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "照片 1.jpg").write_bytes(jpeg("red").getvalue())
    document = docx.Document()
    title(document)
    for target in ("%E7%85%A7%E7%89%87%201.jpg", "../outside.jpg"):
        document.add_picture(jpeg(), width=Cm(8))
        blip = document.element.body.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip")[-1]
        r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
        linked = document.part.rels.get_or_add_ext_rel(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image", target
        )
        del blip.attrib[f"{r}embed"]
        blip.set(f"{r}link", linked)
    path = save(document, folder / "case.docx")
    work = tmp_path / "work"
    work.mkdir()
    draft = convert(path, work)
    assert [i.name for i in draft.images] == ["1.jpg"]
    assert draft.images[0].data == (folder / "照片 1.jpg").read_bytes()
    assert [code for code, _ in draft.notes] == ["W714"]
    assert [p.file for p in draft.photos] == ["1.jpg", "2.jpg"]


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_raster_formats_become_png(tmp_path, fmt):
    buf = io.BytesIO()
    Image.new("RGB", (300, 200), "orange").save(buf, fmt)
    image = prepare(buf.getvalue(), 3, tmp_path)
    assert image.name == "3.png" and kind_of(image.data) == "png"
    assert Image.open(io.BytesIO(image.data)).size == (300, 200)


def test_picture_formats_recognised():
    placeable_wmf = b"\xd7\xcd\xc6\x9a" + bytes(40)
    assert kind_of(placeable_wmf) == "wmf"
    assert kind_of(b"\x01\x00\x09\x00" + bytes(20)) == "wmf"
    assert kind_of(b"junk") == "unknown"
    with pytest.raises(ImportFailure) as failure:
        prepare(b"junk" * 10, 1, None)
    assert failure.value.code == "E707"


def test_encrypted_word_97_document(tmp_path):
    """A .doc with an opening password: the FIB of its WordDocument stream has fEncrypted set."""
    data = bytearray(encrypted_container(tmp_path / "x.bin").read_bytes())
    data = data.replace("EncryptionInfo".encode("utf-16-le"), "WordDocument\0\0".encode("utf-16-le"))
    data = data.replace("EncryptedPackage".encode("utf-16-le"), "1Table\0\0\0\0\0\0\0\0\0\0".encode("utf-16-le"))
    start = 3 * 512  # the first stream's first sector (after the FAT and directory sectors)
    data[start : start + 12] = struct.pack("<HHHHHH", 0xA5EC, 0x00C1, 0, 0x0804, 0, 0x0100)
    path = tmp_path / "加密.doc"
    path.write_bytes(bytes(data))
    with pytest.raises(ImportFailure) as failure:
        sniff(path)
    assert failure.value.code == "E702"
    data[start + 11] = 0
    path.write_bytes(bytes(data))
    assert sniff(path) == "convert"


def test_text_box_caption_and_chart_note(tmp_path):
    """A caption typed in a text box under a floating picture is read once; a chart is reported."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    title(document)
    document.add_picture(jpeg(), width=Cm(8))
    box = parse_xml(
        f'<w:r {nsdecls("w", "wp", "a")} xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<w:drawing><wp:anchor simplePos="0" relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="3000000" cy="400000"/><wp:wrapNone/><wp:docPr id="5" name="文本框"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        "<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>1.2024年3月，公司党委开展宣讲</w:t></w:r></w:p>"
        "</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    )
    document.add_paragraph()._p.append(box)
    chart = parse_xml(
        f'<w:r {nsdecls("w", "wp", "a")}><w:drawing><wp:inline><wp:extent cx="1" cy="1"/><wp:docPr id="6" name="图表"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"/></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )
    document.add_paragraph("数据如下：")._p.append(chart)
    draft = draft_of(document, tmp_path)
    assert [(p.caption.time, p.caption.subject) for p in draft.photos] == [("2024年3月", "公司党委")]
    assert draft.body.count("开展宣讲") == 0
    assert ("W716", {"count": 1}) in draft.notes


def test_category_themes_and_keywords_lines(tmp_path, sample_root):
    from test_import_builders import body_sections, run_import

    document = docx.Document()
    title(document)
    centred(document, UNIT)
    document.add_paragraph("申报类别：企业    所属主题：理想信念教育、班组建设")
    document.add_paragraph(f"【摘要】{SUMMARY}")
    document.add_paragraph("【关键词】微宣讲；班组；车间")
    body_sections(document)
    source = save(document, tmp_path / "a.docx")
    result = run_import(str(source), "--root", str(sample_root))
    assert result.returncode == 0, result.stdout + result.stderr
    text = next((sample_root / "cases" / "2024").glob(f"{UNIT}-*/index.md")).read_text(encoding="utf-8")
    assert 'category: "企业"' in text and "按单位名称推测" not in text
    assert 'themes: ["理想信念教育"]' in text and "文档中写的是“理想信念教育、班组建设”" in text
    assert "关键词" not in text.split("\n---\n", 1)[1]


def test_table_of_contents_is_left_out(tmp_path):
    document = docx.Document()
    centred(document, "目  录", 16)
    if "TOC 1" not in [s.name for s in document.styles]:
        document.styles.add_style("TOC 1", 1)
    for line in ("一、基本情况\t1", "二、主要做法\t2"):
        document.add_paragraph(line, style="TOC 1")
    document.add_page_break()
    title(document)
    centred(document, UNIT)
    document.add_paragraph("一、基本情况")
    document.add_paragraph("正文。")
    draft = draft_of(document, tmp_path)
    assert draft.title == TITLE
    assert draft.body.startswith("## 一、基本情况\n\n正文。")


def test_short_numbered_lines_in_a_row_are_a_list_not_headings(tmp_path):
    document = docx.Document()
    title(document)
    document.add_paragraph("一、基本情况")
    document.add_paragraph("公司要求做到：")
    for line in ("1.选题贴近生产", "2.语言贴近职工", "3.形式贴近生活"):
        document.add_paragraph(line)
    document.add_paragraph("（一）建强队伍")
    document.add_paragraph("1.选好人")
    document.add_paragraph("从班组长中选拔。")
    body = draft_of(document, tmp_path).body
    assert "\n1.选题贴近生产\n\n2.语言贴近职工\n\n3.形式贴近生活\n" in body
    assert "#### 1.选好人" in body


def test_body_sentence_starting_with_a_date_is_not_a_caption(tmp_path):
    document = docx.Document()
    title(document)
    document.add_picture(jpeg(), width=Cm(8))
    sentence = "2024年3月，公司党委召开专题会议，研究部署班组微宣讲工作。会议要求各车间党支部认真落实。"
    document.add_paragraph(sentence)
    draft = draft_of(document, tmp_path)
    assert sentence in draft.body
    assert draft.photos[0].caption is None


def test_unnumbered_heading_styles_keep_their_relative_depth(tmp_path):
    """Title in Heading 1, sections in Heading 2 without numbers: the sections become ##."""
    document = docx.Document()
    document.add_heading(TITLE, 1)
    document.add_heading("基本情况", 2)
    document.add_paragraph("正文。")
    document.add_heading("具体措施", 3)
    document.add_paragraph("正文。")
    draft = draft_of(document, tmp_path)
    assert draft.title == TITLE
    assert draft.body.startswith("## 基本情况\n\n正文。\n\n### 具体措施\n")


def test_caption_in_the_same_table_cell_as_its_picture(tmp_path):
    document = docx.Document()
    title(document)
    table = document.add_table(rows=1, cols=2)
    for column, (data, caption) in enumerate(
        [(jpeg(), "1.2024年3月，公司党委开展宣讲"), (png(), "2.2024年4月，装配车间举办擂台赛")]
    ):
        cell = table.cell(0, column)
        cell.paragraphs[0].add_run().add_picture(data, width=Cm(6))
        cell.add_paragraph(caption)
    draft = draft_of(document, tmp_path)
    assert [(p.file, p.caption.subject) for p in draft.photos] == [("1.jpg", "公司党委"), ("2.png", "装配车间")]
    assert "|" not in draft.body and "宣讲" not in draft.body


def test_a_group_label_before_its_pairs_is_read_through():
    """The organisers' edition prints the form's 班组基本情况 on one line: its pairs import back."""
    from casebook.importer.fields import labelled_line

    assert labelled_line("班组基本情况：单位性质：国有企业；职工人数：32人；所属行业：装备制造") == [
        ("unit_info.nature", "国有企业"),
        ("unit_info.employees", "32人"),
        ("unit_info.industry", "装备制造"),
    ]
