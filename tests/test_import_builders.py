"""Word documents in the shapes editors receive, built with python-docx for the import tests
(no tests here: the helpers are shared by tests/test_import_*.py)."""

from __future__ import annotations

import copy
import functools
import io
import os
import struct
import subprocess
from pathlib import Path

import docx
from conftest import run_cli
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from PIL import Image

SECTIONS = ("一、基本情况", "二、主要做法", "三、工作成效", "四、工作启示")
TITLE = "车间里的“理论小课堂”"
UNIT = "江淮精密机械有限公司党委"
SUMMARY = "公司党委把理论学习搬进车间，用班前十分钟讲身边事，职工学习由“要我学”变为“我要学”。"
CAPTIONS = (
    "1.2024年3月，江淮精密机械有限公司装配车间开展班前微宣讲",
    "2.2024年5月12日，公司党委举办理论宣讲擂台赛",
)


def jpeg(color: str = "red", size: tuple[int, int] = (1200, 800)) -> io.BytesIO:
    return io.BytesIO(_encoded(color, size, "JPEG"))


def png(color: str = "blue") -> io.BytesIO:
    return io.BytesIO(_encoded(color, (1200, 900), "PNG"))


@functools.cache
def _encoded(color: str, size: tuple[int, int], kind: str) -> bytes:
    """Encoded once a process: hundreds of documents embed the same few pictures."""
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, kind)
    return buf.getvalue()


def title(document, text: str = TITLE, size: int = 22) -> None:
    p = document.add_paragraph()
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def centred(document, text: str, size: int = 16):
    p = document.add_paragraph()
    p.add_run(text).font.size = Pt(size)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def inline_picture(document, data: io.BytesIO, centre: bool = True):
    document.add_picture(data, width=Cm(12))
    p = document.paragraphs[-1]
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def floating_picture(document, data: io.BytesIO, text: str = ""):
    """A picture anchored to a paragraph (wp:anchor, "square" wrapping), the way Word stores a
    picture whose layout is not "in line with text"."""
    p = document.add_paragraph(text)
    run = p.add_run()
    run.add_picture(data, width=Cm(10))
    inline = run._r.find(qn("w:drawing")).find(qn("wp:inline"))
    graphic = inline.find(qn("a:graphic"))
    extent = inline.find(qn("wp:extent"))
    cx, cy = extent.get("cx"), extent.get("cy")
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp", "a", "pic", "r")} distT="0" distB="0" distL="114300" distR="114300" '
        f'simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        f'<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/>'
        f'<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:wrapSquare wrapText="bothSides"/>'
        f'<wp:docPr id="77" name="浮动图片"/>'
        f"<wp:cNvGraphicFramePr/>"
        f"</wp:anchor>"
    )
    anchor.append(copy.deepcopy(graphic))
    drawing = inline.getparent()
    drawing.remove(inline)
    drawing.append(anchor)
    return p


def body_sections(document, heading_styles: bool = False, pictures: str = "inline") -> None:
    """The four sections of notice 000 with sub-headings, two photos and their captions."""

    def heading(text: str, level: int) -> None:
        if heading_styles:
            document.add_heading(text, level)
        else:
            document.add_paragraph(text)

    heading(SECTIONS[0], 1)
    document.add_paragraph("江淮精密机械有限公司现有职工1800余人，一线职工占七成以上。")
    _photo(document, pictures, 0)
    heading(SECTIONS[1], 1)
    heading("（一）建强宣讲队伍", 2)
    heading("1.选好宣讲员", 3)
    document.add_paragraph("从班组长和技术能手中选拔宣讲员，共选聘宣讲员86名。")
    heading("2.培养宣讲员", 3)
    document.add_paragraph("邀请党校教师与宣讲员结对辅导。")
    heading("（二）创新宣讲形式", 2)
    document.add_paragraph("把宣讲嵌入班前会，做到十分钟讲清一件事。")
    _photo(document, pictures, 1)
    heading(SECTIONS[2], 1)
    document.add_paragraph("累计开展宣讲1200余场次，职工满意率达到95%以上。")
    heading(SECTIONS[3], 1)
    document.add_paragraph("理论宣讲必须贴近基层、依靠职工、服务生产。")


def _photo(document, how: str, index: int) -> None:
    data = jpeg("red") if index == 0 else png("green")
    if how == "inline":
        inline_picture(document, data)
        centred(document, CAPTIONS[index], 14)
    elif how == "floating":
        floating_picture(document, data)
        centred(document, CAPTIONS[index], 14)
    elif how == "table":
        table = document.add_table(rows=2, cols=1)
        table.cell(0, 0).paragraphs[0].add_run().add_picture(data, width=Cm(8))
        table.cell(1, 0).text = CAPTIONS[index]


def form_000(document, year: int = 2024) -> None:
    """The 申报表 of notice 000 (附件1) with its title line above it."""
    document.add_paragraph("附件1")
    centred(document, f"{year}年度基层思想政治工作优秀案例申报表", 18)
    table = document.add_table(rows=7, cols=4)
    table.style = "Table Grid"

    def row(r: int, *cells: str) -> None:
        for c, text in enumerate(cells):
            table.cell(r, c).text = text

    row(0, "案例名称", TITLE)
    table.cell(0, 1).merge(table.cell(0, 3))
    row(1, "申报单位", UNIT)
    table.cell(1, 1).merge(table.cell(1, 3))
    row(2, "执笔人", "(不超过3人)\n赵一鸣、钱晓华")
    table.cell(2, 1).merge(table.cell(2, 3))
    row(3, "联系人", "孙立", "座机", "0551-62345678")
    row(4, "手机", "13812345678", "电子邮箱", "sunli@example.cn")
    row(5, "案例概要和创新点 (500字以内)", SUMMARY)
    table.cell(5, 1).merge(table.cell(5, 3))
    row(6, "所在单位意见", "单位公章： 日期： 年 月 日")
    table.cell(6, 1).merge(table.cell(6, 3))
    document.add_page_break()


def save(document, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def run_import(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """python build.py import ARGS (in-process, see conftest.run_cli)."""
    return run_cli("import", *args, env=env)


def encrypted_container(path: Path) -> Path:
    """A minimal OLE compound file holding EncryptionInfo and EncryptedPackage streams: what Word
    writes for a .docx protected with an opening password."""
    sector = 512
    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    stream_size = 4096  # at the mini-stream cutoff: stored in regular sectors
    per_stream = stream_size // sector
    fat = [fat_sect, end]  # sector 0: FAT, sector 1: directory
    starts = []
    for _ in range(2):
        first = len(fat)
        starts.append(first)
        fat += list(range(first + 1, first + per_stream)) + [end]
    fat += [free] * (sector // 4 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le") if name else b""
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", left, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, nostream, nostream, 1, end, 0)
        + entry("EncryptionInfo", 2, nostream, 2, nostream, starts[0], stream_size)
        + entry("EncryptedPackage", 2, nostream, nostream, nostream, starts[1], stream_size)
        + entry("", 0, nostream, nostream, nostream, 0, 0)
    )
    body = struct.pack(f"<{len(fat)}I", *fat) + directory + bytes(stream_size) + os.urandom(stream_size)
    path.write_bytes(header + body)
    return path


def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def minimal_emf() -> bytes:
    """A small valid EMF picture (header, one rectangle, end of file)."""
    bounds = struct.pack("<iiii", 0, 0, 99, 99)
    frame = struct.pack("<iiii", 0, 0, 3094, 3094)  # 0.01 mm: 99 px at 0.3125 mm per pixel
    records = []
    rect = struct.pack("<II", 43, 24) + struct.pack("<iiii", 10, 10, 90, 90)
    eof = struct.pack("<III", 14, 20, 0) + struct.pack("<II", 0, 20)
    header_size = 108
    total = header_size + len(rect) + len(eof)
    header = (
        struct.pack("<II", 1, header_size)
        + bounds
        + frame
        + struct.pack("<IIIIHH", 0x464D4520, 0x10000, total, 3, 1, 0)
        + struct.pack("<III", 0, 0, 0)
        + struct.pack("<ii", 1024, 768)
        + struct.pack("<ii", 320, 240)
        + struct.pack("<II", 0, 0)
        + struct.pack("<I", 0)
        + struct.pack("<ii", 320000, 240000)
    )
    records.append(header)
    records += [rect, eof]
    return b"".join(records)


def document_with_emf(path: Path) -> Path:
    """A complete case whose only photo is an EMF picture (python-docx cannot insert one, so the
    image part of a JPEG is swapped for EMF bytes afterwards)."""
    document = docx.Document()
    title(document)
    centred(document, UNIT)
    document.add_paragraph(f"案例概要：{SUMMARY}")
    body_sections(document)
    save(document, path)
    import zipfile

    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    media = sorted(info.filename for info, _ in items if info.filename.startswith("word/media/"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == media[0]:
                data = minimal_emf()
            target.writestr(info, data)
    return path
