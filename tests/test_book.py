"""The printed anthology: the DOCX is reopened and every format row of issue 4 is asserted on
effective values (run -> paragraph style chain -> document defaults); the PDF is checked with
poppler when LibreOffice is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from casebook.inputs.loader import load
from casebook.outputs.book import docx_writer, fonts, stage, synth
from casebook.publish import views

HAS_SOFFICE = shutil.which("soffice") is not None and shutil.which("pdfinfo") is not None
needs_pdf = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) or poppler-utils not installed")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A4 = (11906, 16838)
MARGINS = {"top": 1984, "bottom": 1984, "left": 1531, "right": 1531}  # 3.5 cm, 2.7 cm in twips
TEXT_WIDTH_EMU = int(15.6 * 360000)


# --- the shared builds --------------------------------------------------------------------


@pytest.fixture(scope="module")
def collection_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("book") / "collection"
    synth.make(root, cases=6, photos=8, chars=2400, photo_size=(2600, 1700))
    # a long title that must be broken into balanced lines, a Latin word and full-width digits
    case = root / "cases" / "2024" / "单位0002-案例" / "index.md"
    text = case.read_text(encoding="utf-8")
    text = re.sub(
        r"^title: .*$", "title: 坚持“三个结合”推进新时代产业工人队伍建设改革走深走实见成效", text, count=1, flags=re.M
    )
    text = text.replace("## 一、基本情况\n", "## 一、基本情况\n\n公司引入ERP系统，２０２３年实现全覆盖。\n")
    case.write_text(text, encoding="utf-8")
    # the rest of the Markdown dialect: table, list, quote, footnote, bold, inline HTML
    case = root / "cases" / "2024" / "单位0001-案例" / "index.md"
    extra = (
        "下表列出主要指标：\n\n| 指标 | 2022年 | 2023年 |\n|---|---|---|\n| 宣讲场次 | 1200 | 2400 |\n\n"
        "1. 第一项措施\n2. 第二项措施\n\n> 引用一段职工的话。\n\n"
        "这是带脚注的句子[^1]，还有**加粗**文字和<span>内嵌标记</span>。\n\n[^1]: 数据来源：公司党委宣传部。\n\n"
    )
    text = case.read_text(encoding="utf-8").replace("## 二、", extra + "## 二、", 1)
    case.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def loaded(collection_root):
    collection, report = load(collection_root)
    assert collection is not None and not report.errors, [d.format() for d in report.errors]
    return collection


@pytest.fixture(scope="module")
def public(collection_root, loaded, tmp_path_factory):
    out = tmp_path_factory.mktemp("public")
    return stage.build_book(collection_root, loaded, 2024, "public", out, make_pdf=HAS_SOFFICE)


@pytest.fixture(scope="module")
def internal(collection_root, loaded, tmp_path_factory):
    out = tmp_path_factory.mktemp("internal")
    return stage.build_book(collection_root, loaded, 2024, "internal", out, make_pdf=HAS_SOFFICE)


@pytest.fixture(scope="module")
def doc(public):
    return docx.Document(str(public.docx))


# --- effective values through the style chain --------------------------------------------


class Styles:
    def __init__(self, document):
        self.root = document.styles.element
        self.by_id = {s.get(qn("w:styleId")): s for s in self.root.findall(qn("w:style"))}
        self.defaults = self.root.find(qn("w:docDefaults"))

    def chain(self, style_id):
        seen = []
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.append(style_id)
            based = self.by_id[style_id].find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        return [self.by_id[s] for s in seen]

    def default_style_id(self):
        for style_id, style in self.by_id.items():
            if style.get(qn("w:default")) == "1" and style.get(qn("w:type")) == "paragraph":
                return style_id
        return "Normal"

    def _lookup(self, holders, path, attr):
        for holder in holders:
            if holder is None:
                continue
            node = holder.find(path)
            if node is not None and node.get(qn(attr)) is not None:
                return node.get(qn(attr))
        return None

    def paragraph_style(self, p):
        style = p.find(f"{W}pPr/{W}pStyle")
        return style.get(qn("w:val")) if style is not None else self.default_style_id()

    def run_prop(self, p, r, path, attr):
        """Effective w:rPr/<path>@attr of run r in paragraph p."""
        holders = [r.find(qn("w:rPr"))] if r is not None else []
        holders += [s.find(qn("w:rPr")) for s in self.chain(self.paragraph_style(p))]
        holders.append(self.defaults.find(f"{W}rPrDefault/{W}rPr"))
        return self._lookup(holders, path, attr)

    def para_prop(self, p, path, attr):
        holders = [p.find(qn("w:pPr"))] + [s.find(qn("w:pPr")) for s in self.chain(self.paragraph_style(p))]
        holders.append(self.defaults.find(f"{W}pPrDefault/{W}pPr"))
        return self._lookup(holders, path, attr)

    def flag(self, p, name):
        holders = [p.find(qn("w:pPr"))] + [s.find(qn("w:pPr")) for s in self.chain(self.paragraph_style(p))]
        for holder in holders:
            if holder is not None and holder.find(qn(f"w:{name}")) is not None:
                return holder.find(qn(f"w:{name}")).get(qn("w:val"), "1") not in ("0", "false")
        return False

    def bold(self, p, r):
        holders = [r.find(qn("w:rPr"))] + [s.find(qn("w:rPr")) for s in self.chain(self.paragraph_style(p))]
        for holder in holders:
            if holder is not None and holder.find(qn("w:b")) is not None:
                return holder.find(qn("w:b")).get(qn("w:val"), "1") not in ("0", "false")
        return False


def text_of(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def body_paragraphs(doc):
    return list(doc.element.body.iter(qn("w:p")))


def by_style(doc, style_id):
    styles = Styles(doc)
    return [p for p in body_paragraphs(doc) if styles.paragraph_style(p) == style_id]


def text_runs(p):
    return [r for r in p.findall(qn("w:r")) if r.find(qn("w:t")) is not None and (r.find(qn("w:t")).text or "").strip()]


# --- page setup ---------------------------------------------------------------------------


def test_every_section_is_a4_with_the_margins(doc, loaded):
    sections = list(doc.element.body.iter(qn("w:sectPr")))
    # cover, 扉页 and 版权页, front matter, then per 篇 its 篇章页 and its cases (with running heads
    # one section per case, and one for the back matter when there is any)
    the_parts = docx_writer.parts(views.public(loaded), 2024)
    if loaded.settings.book.running_heads:
        back = bool(loaded.settings.book.unit_index) or loaded.page("afterword") is not None
        assert len(sections) == 3 + len(the_parts) + sum(len(p.cases) for p in the_parts) + back
    else:
        assert len(sections) == 3 + 2 * len(the_parts)
    for sect in sections:
        size = sect.find(qn("w:pgSz"))
        assert (int(size.get(qn("w:w"))), int(size.get(qn("w:h")))) == A4
        margins = sect.find(qn("w:pgMar"))
        for side, twips in MARGINS.items():
            assert abs(int(margins.get(qn(f"w:{side}"))) - twips) <= 1, side


def test_page_numbers_restart_only_at_the_front_matter_and_the_body(doc):
    numbering = [s.find(qn("w:pgNumType")) for s in doc.element.body.iter(qn("w:sectPr"))]
    restarts = [(n.get(qn("w:fmt")), n.get(qn("w:start"))) for n in numbering if n is not None]
    assert restarts == [("lowerRoman", "1"), ("decimal", "1")]


def test_footer_is_a_centred_page_field_in_songti_14pt(doc):
    last = doc.element.body.find(qn("w:sectPr"))
    assert last.find(qn("w:footerReference")) is not None
    footer = doc.sections[-1].footer
    styles = Styles(doc)
    p = footer._element.find(qn("w:p"))
    instr = "".join(t.text for t in p.iter(qn("w:instrText")))
    assert instr.strip() == "PAGE"
    assert styles.para_prop(p, f"{W}jc", "w:val") == "center"
    for r in p.findall(qn("w:r")):
        assert styles.run_prop(p, r, f"{W}rFonts", "w:ascii") == "宋体"
        assert styles.run_prop(p, r, f"{W}rFonts", "w:eastAsia") == "宋体"
        assert styles.run_prop(p, r, f"{W}sz", "w:val") == "28"


def test_document_language_is_zh_cn(doc):
    lang = doc.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


def test_no_theme_fonts_anywhere_in_styles(doc):
    xml = doc.styles.element.xml
    for attr in ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme"):
        assert attr not in xml


# --- body text ----------------------------------------------------------------------------


def test_body_runs_are_fangsong_and_times_16pt_exact_31pt_indented(doc):
    styles = Styles(doc)
    paragraphs = by_style(doc, "Normal")
    assert len(paragraphs) > 20
    for p in paragraphs:
        assert styles.para_prop(p, f"{W}spacing", "w:line") == "620"
        assert styles.para_prop(p, f"{W}spacing", "w:lineRule") == "exact"
        assert styles.para_prop(p, f"{W}ind", "w:firstLineChars") == "200"
        assert styles.para_prop(p, f"{W}ind", "w:firstLine") == "640"
        for r in text_runs(p):
            text = r.find(qn("w:t")).text
            east = styles.run_prop(p, r, f"{W}rFonts", "w:eastAsia")
            ascii_font = styles.run_prop(p, r, f"{W}rFonts", "w:ascii")
            assert east == "仿宋_GB2312"
            if set(text) <= set("“”‘’"):
                assert ascii_font == "仿宋_GB2312"  # quotes set in the CJK face
            else:
                assert ascii_font == "Times New Roman"
                assert styles.run_prop(p, r, f"{W}rFonts", "w:hAnsi") == "Times New Roman"
            assert styles.run_prop(p, r, f"{W}sz", "w:val") == "32"


def test_full_width_digits_are_normalised(doc):
    text = "".join(text_of(p) for p in body_paragraphs(doc))
    assert "2023年实现全覆盖" in text and "２０２３" not in text
    assert "ERP" in text


def test_markdown_constructs_are_typeset(doc):
    styles = Styles(doc)
    tables = list(doc.element.body.iter(qn("w:tbl")))
    assert len(tables) == 3  # the 目录, the case's table and the 单位索引
    assert "宣讲场次" in text_of(tables[1])
    texts = [text_of(p) for p in body_paragraphs(doc)]
    assert "1.第一项措施" in texts and "2.第二项措施" in texts
    assert "注1：数据来源：公司党委宣传部。" in texts
    assert any("内嵌标记" in t for t in texts)
    quotes = [p for p in body_paragraphs(doc) if styles.paragraph_style(p) == "Quote"]
    assert quotes and text_of(quotes[0]) == "引用一段职工的话。"
    bold = [r for p in body_paragraphs(doc) for r in p.findall(qn("w:r")) if r.find(f"{W}rPr/{W}b") is not None]
    assert any(text_of(r) == "加粗" for r in bold)


# --- titles and headings ------------------------------------------------------------------


def test_case_titles_22pt_xiaobiaosong_bold_centred_on_a_new_page(doc, loaded):
    styles = Styles(doc)
    titles = by_style(doc, "Title")
    assert len(titles) == len(views.public(loaded).cases)
    for p in titles:
        assert styles.para_prop(p, f"{W}jc", "w:val") == "center"
        previous = p.getprevious()
        after_section_break = previous is not None and previous.find(f"{W}pPr/{W}sectPr") is not None
        assert styles.flag(p, "pageBreakBefore") or after_section_break
        assert styles.para_prop(p, f"{W}ind", "w:firstLineChars") == "0"
        for r in text_runs(p):
            assert styles.run_prop(p, r, f"{W}sz", "w:val") == "44"
            assert styles.run_prop(p, r, f"{W}rFonts", "w:eastAsia") == "方正小标宋简体"
            assert styles.bold(p, r)
        assert p.find(qn("w:bookmarkStart")) is not None


def test_long_title_is_broken_into_balanced_lines(doc):
    long = [p for p in by_style(doc, "Title") if text_of(p).startswith("坚持“三个结合”")]
    assert long, "the long title is in the public edition"
    lines, current = [], ""
    for node in long[0].iter(qn("w:t"), qn("w:br")):
        if node.tag == qn("w:br"):
            lines.append(current)
            current = ""
        else:
            current += node.text or ""
    lines.append(current)
    assert len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) <= 4  # between words: 新时代 / 产业工人
    assert lines[1].startswith("产业工人")


@pytest.mark.parametrize(
    "marker, font",
    [("一、", "黑体"), ("（一）", "楷体_GB2312"), ("1.", "仿宋_GB2312"), ("（1）", "仿宋_GB2312")],
)
def test_heading_levels_fonts(doc, marker, font):
    styles = Styles(doc)
    pattern = {
        "一、": r"^[一二三四五六七八九十]+、",
        "（一）": r"^（[一二三四五六七八九十]+）",
        "1.": r"^\d+\.",
        "（1）": r"^（\d+）",
    }[marker]
    headings = [
        p
        for p in body_paragraphs(doc)
        if styles.paragraph_style(p).startswith("Heading") and re.match(pattern, text_of(p))
    ]
    assert headings, marker
    for p in headings:
        for r in text_runs(p):
            assert styles.run_prop(p, r, f"{W}rFonts", "w:eastAsia") == font
            assert styles.run_prop(p, r, f"{W}sz", "w:val") == "32"
        assert p.find(f"{W}pPr/{W}numPr") is None  # numbering as written, not Word lists


def test_styles_are_named_for_editors(doc):
    names = {s.name for s in doc.styles}
    for name in (
        "Normal",
        "Title",
        "一级标题",
        "二级标题",
        "三级标题",
        "四级标题",
        "图片",
        "图注",
        "单位",
        "执笔人",
        "目录文字",
        "页码",
    ):
        assert name in names


def test_reference_docx_in_theme_carries_every_style(tmp_path):
    """theme/reference.docx is generated by the code and may then be edited in Word: it must keep
    every named style; regenerating it is deterministic."""
    from casebook.outputs.book import styles

    project = Path(__file__).resolve().parent.parent
    reference = docx.Document(str(project / "theme" / "reference.docx"))
    present = {s.style_id: s.name for s in reference.styles}
    for spec in styles.STYLES:
        assert present.get(spec.style_id) == spec.name, spec.style_id
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    styles.write_reference(first)
    styles.write_reference(second)
    assert first.read_bytes() == second.read_bytes()


def test_an_editors_change_to_the_reference_is_kept(tmp_path):
    from casebook.outputs.book import styles

    root = synth.make(tmp_path / "c", cases=2, photos=0, chars=400)
    reference = styles.build_reference()
    normal = reference.styles["Normal"].element
    normal.find(f"{W}rPr/{W}rFonts").set(qn("w:eastAsia"), "方正仿宋_GBK")
    (root / "theme").mkdir()
    reference.save(str(root / "theme" / "reference.docx"))
    collection, _ = load(root)
    files = stage.build_book(root, collection, 2024, "public", tmp_path / "out", make_pdf=False)
    built = docx.Document(str(files.docx))
    fonts_el = built.styles["Normal"].element.find(f"{W}rPr/{W}rFonts")
    assert fonts_el.get(qn("w:eastAsia")) == "方正仿宋_GBK"
    assert "Heading1Cn" in {s.style_id for s in built.styles}


# --- pictures -----------------------------------------------------------------------------


def test_pictures_fit_the_text_width_at_print_resolution_with_captions_under(doc, public):
    styles = Styles(doc)
    pictures = [p for p in body_paragraphs(doc) if p.find(f".//{qn('wp:inline')}") is not None]
    assert len(pictures) == 7  # 8 photos over 6 cases, one case not public
    with zipfile.ZipFile(public.docx) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(media) == len(pictures)
        from PIL import Image

        sizes = {n: Image.open(archive.open(n)).size for n in media}
    for p in pictures:
        assert styles.para_prop(p, f"{W}spacing", "w:lineRule") != "exact"  # not clipped to one line
        assert styles.flag(p, "keepNext")
        extent = p.find(f".//{qn('wp:extent')}")
        width = int(extent.get("cx"))
        assert width <= TEXT_WIDTH_EMU
        caption = p.getnext()
        assert styles.paragraph_style(caption) == "PictureCaption"
        assert re.match(r"^\d+\.\d{4}年\d{1,2}月", text_of(caption))
    for px_width, _ in sizes.values():
        assert px_width <= 1843  # 15.6 cm at 300 dpi: downscaled from 2600 px


def test_photos_have_no_exif(public):
    with zipfile.ZipFile(public.docx) as archive:
        for name in archive.namelist():
            if name.startswith("word/media/"):
                data = archive.read(name)
                assert b"Exif" not in data and b"GPS" not in data and b"tEXt" not in data, name


# --- 目录 ---------------------------------------------------------------------------------


def toc_table(doc):
    return doc.element.body.find(qn("w:tbl"))


def test_toc_is_a_table_of_pageref_fields_to_title_bookmarks(doc, public, loaded):
    table = toc_table(doc)
    header = [text_of(tc) for tc in table.find(qn("w:tr")).findall(qn("w:tc"))]
    assert header == ["序号", "案例名称", "申报单位", "页码"]
    bookmarks = {b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))}
    refs = [t.text for t in table.iter(qn("w:instrText"))]
    parts = docx_writer.parts(views.public(loaded), 2024)
    assert len([r for r in refs if "PAGEREF Case" in r]) == len(views.public(loaded).cases)
    assert len([r for r in refs if "PAGEREF Part" in r]) == len(parts)
    for ref in refs:
        name = re.match(r"\s*PAGEREF (\S+) \\h", ref).group(1)
        assert name in bookmarks
    grid = [int(g.get(qn("w:w"))) for g in table.find(qn("w:tblGrid"))]
    assert abs(sum(grid) - 8844) <= 2
    assert table.find(f"{W}tblPr/{W}tblLayout").get(qn("w:type")) == "fixed"


def test_internal_toc_has_contacts(internal, loaded):
    document = docx.Document(str(internal.docx))
    table = toc_table(document)
    header = [text_of(tc) for tc in table.find(qn("w:tr")).findall(qn("w:tc"))]
    assert header == ["序号", "案例名称", "申报单位", "联系人", "联系方式", "页码"]
    text = text_of(table)
    for case in views.internal(loaded).cases:
        assert case.title in text
        assert case.contact.mobile in text
        assert (f"{case.title}（不公开）" in text) == (not case.public)


# --- privacy and determinism --------------------------------------------------------------


def contact_values(collection):
    return sorted({v for c in collection.cases if c.contact for v in c.contact.values() if len(v) >= 4})


def test_public_edition_has_no_contact_value_in_any_part(public, internal, loaded):
    values = contact_values(loaded)
    assert values
    hidden = [c.title for c in views.internal(loaded).cases if not c.public]
    assert hidden
    for path, must_contain in ((public.docx, False), (internal.docx, True)):
        with zipfile.ZipFile(path) as archive:
            blob = b"".join(archive.read(n) for n in archive.namelist())
        found = [v for v in values if v.encode("utf-8") in blob]
        if must_contain:
            assert found == values
        else:
            assert found == []
            assert all(t.encode("utf-8") not in blob for t in hidden)


def test_fixed_document_properties_and_zip_timestamps(public):
    document = docx.Document(str(public.docx))
    core = document.core_properties
    assert core.title == "机械工业基层思想政治工作创新案例选编（2024年度）"
    assert core.created.year == 2024 and core.modified == core.created
    with zipfile.ZipFile(public.docx) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        app = archive.read("docProps/app.xml").decode()
        assert "casebook" in app


def test_two_builds_are_byte_identical(collection_root, loaded, public, tmp_path):
    again = stage.build_book(collection_root, loaded, 2024, "public", tmp_path, make_pdf=HAS_SOFFICE)
    assert again.docx.read_bytes() == public.docx.read_bytes()
    if HAS_SOFFICE:
        assert again.pdf.read_bytes() == public.pdf.read_bytes()  # date and ID normalised


# --- PDF ----------------------------------------------------------------------------------


def pdf_pages_text(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@needs_pdf
def test_pdf_pages_are_a4(public):
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(public.pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    assert sizes
    for width, height in sizes:
        assert abs(float(width) - 595.3) < 1 and abs(float(height) - 841.9) < 1


@needs_pdf
def test_pdf_fonts_embedded_and_four_cjk_kinds(public):
    listing = subprocess.run(["pdffonts", str(public.pdf)], capture_output=True, text=True, check=True).stdout
    header, _rule, *rows = listing.splitlines()
    column = header.index(" emb ") + 1
    kinds = set()
    assert rows
    for row in rows:
        assert row[column : column + 3] == "yes", row
        kind = fonts.kind_of(row.split()[0])
        if kind:
            kinds.add(kind)
    assert kinds == {"仿宋", "楷", "黑", "宋"}, listing


def pages_of_titles(pages: list[str], titles: list[str]) -> dict[str, int]:
    """Printed page number (the footer's last line) of the page whose first line starts a title."""
    found = {}
    for text in pages:
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines:
            continue
        head = squeeze(lines[0])
        for title in titles:
            if head and squeeze(title).startswith(head[:8]) and len(head) >= 4:
                number = lines[-1].strip()
                if number.isdigit():
                    found.setdefault(title, int(number))
    return found


def toc_numbers(pdf: Path, columns: int) -> list[int]:
    """The numbers printed in the 目录's last column, top to bottom, page by page."""
    tsv = subprocess.run(["pdftotext", "-tsv", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = [line.split("\t") for line in tsv.splitlines()[1:]]
    words = [w for w in words if len(w) >= 12 and w[0] == "5"]
    header = [w for w in words if w[11] == "页码"]
    assert header, "目录 header found"
    page, left = int(header[0][1]), float(header[0][6]) - 5
    numbers = []
    for w in words:
        if int(w[1]) >= page and float(w[6]) >= left and w[11].isdigit():
            if int(w[1]) > page + 3:
                break
            numbers.append((int(w[1]), float(w[7]), int(w[11])))
    return [n for _, _, n in sorted(numbers)]


@needs_pdf
@pytest.mark.parametrize("edition", ["public", "internal"])
def test_toc_numbers_equal_printed_page_numbers(edition, public, internal, loaded):
    files = public if edition == "public" else internal
    view = views.public(loaded) if edition == "public" else views.internal(loaded)
    ordered = [c for part in docx_writer.parts(view, 2024) for c in part.cases]
    pages = pdf_pages_text(files.pdf)
    printed = pages_of_titles(pages, [c.title for c in ordered])
    assert len(printed) == len(ordered)
    expected = [printed[c.title] for c in ordered]
    # the DOCX carries the numbers as cached field values (Word/WPS show them unrefreshed), the 篇
    # rows' among them; the PDF prints the same, and the cases' are their pages' folios
    document = docx.Document(str(files.docx))
    cached, of_cases = [], []
    for tc in toc_table(document).iter(qn("w:tc")):
        if tc.find(f".//{qn('w:instrText')}") is not None:
            cached.append(int(text_of(tc)))
            if "PAGEREF Case" in "".join(i.text for i in tc.iter(qn("w:instrText"))):
                of_cases.append(int(text_of(tc)))
    assert of_cases == expected
    assert toc_numbers(files.pdf, 4) == cached


@needs_pdf
def test_pdf_keeps_blank_pages_and_starts_cases_on_the_page_printed_1(public):
    pages = pdf_pages_text(public.pdf)
    assert any(not p.strip() for p in pages), "blank versos kept"
    first = next(i for i, p in enumerate(pages) if p.strip() == "企业篇")  # page 1, without a folio
    assert pages[first + 1].strip().splitlines()[-1].strip() == "2"
