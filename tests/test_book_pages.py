"""The volume as an editor checks the proof (issue 9): titles broken between words, the sections and
their page numbers, front and back matter, alt text, language and widow control in the DOCX (fast,
in-process); tags, /Lang, alt text, the bookmarks panel, bookmark texts and right-hand 篇章页 in the
PDF (slow, real LibreOffice)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from casebook.inputs.loader import load
from casebook.outputs.book import docx_writer, pdf, stage, titles
from casebook.outputs.book import proof as proofread
from casebook.publish import views
from casebook.publish.sortkey import unit_key

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2024
HAS_SOFFICE = shutil.which("soffice") is not None and shutil.which("pdfinfo") is not None
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def sample():
    collection, report = load(ROOT)
    assert collection is not None and not report.errors, [d.format() for d in report.errors]
    return collection


@pytest.fixture(scope="module")
def built(sample, tmp_path_factory):
    out = tmp_path_factory.mktemp("pages")
    return stage.build_book(ROOT, sample, YEAR, "public", out, make_pdf=False)


@pytest.fixture(scope="module")
def doc(built):
    return docx.Document(str(built.docx))


def text_of(node) -> str:
    return "".join(t.text or "" for t in node.iter(qn("w:t")))


def style_of(p) -> str:
    node = p.find(f"{W}pPr/{W}pStyle")
    return node.get(qn("w:val")) if node is not None else "Normal"


def paragraphs(doc, style: str):
    return [p for p in doc.element.body.iter(qn("w:p")) if style_of(p) == style]


def lines_of(p) -> list[str]:
    """The text of a paragraph split at its line breaks."""
    lines, current = [], ""
    for node in p.iter(qn("w:t"), qn("w:br")):
        if node.tag == qn("w:br"):
            lines.append(current)
            current = ""
        else:
            current += node.text or ""
    return [*lines, current]


def sections(doc):
    return list(doc.element.body.iter(qn("w:sectPr")))


# --- titles -------------------------------------------------------------------------------


def test_cover_title_breaks_between_words():
    lines = titles.balanced_lines("机械工业基层思想政治工作创新案例选编", 12)
    assert lines == ["机械工业基层", "思想政治工作创新案例选编"]


@pytest.mark.parametrize(
    ("title", "word"),
    [
        ("“身边好人”月月评让核心价值观在厂区落地生根", "核心价值观"),
        ("“青马工匠班”培养又红又专的技能型青年骨干", "又红又专"),
        ("“鹭岛心语”驿站为外来务工职工解心结暖心窝", "外来"),
        ("“行走的装备史”实景思政课让党史学习教育活起来", "思政课"),
        ("“一生一策”精准帮扶助力特殊困难学生成长成才", "助力"),
    ],
)
def test_case_titles_never_break_inside_a_word(title, word):
    lines = titles.balanced_lines(title)
    assert len(lines) == 2 and "".join(lines) == title
    assert word in lines[0] or word in lines[1], lines


def test_quoted_coinages_and_terms_stay_whole():
    lines = titles.balanced_lines("构建“党建+安全”“党建+质量”“党建+创新”三维融合体系推动企业高质量发展")
    assert all(line.count("“") == line.count("”") for line in lines), lines
    unit = "洛水轴承有限公司党委"
    terms = titles.title_terms([unit])
    assert unit in terms
    assert not set(range(1, len(unit))) & titles.word_breaks("在" + unit + "开展", terms) - {1}


def test_a_word_wider_than_the_line_still_breaks():
    assert titles.balanced_lines("中华人民共和国" * 4, 5) != ["中华人民共和国" * 4]


def test_every_broken_title_in_the_volume_breaks_at_a_word_boundary(doc):
    checked = 0
    for style in ("CoverTitle", "TitlePageTitle", "Title", "CasePart"):
        for p in paragraphs(doc, style):
            lines = lines_of(p)
            if len(lines) < 2:
                continue
            text = "".join(lines)
            breaks = titles.word_breaks(text)
            position = 0
            for line in lines[:-1]:
                position += len(line)
                assert position in breaks, (style, lines)
                checked += 1
    assert checked >= 5


# --- sections and page numbers --------------------------------------------------------------


def test_front_matter_roman_and_body_from_one(doc):
    formats = [
        (s.find(qn("w:pgNumType")).get(qn("w:fmt")), s.find(qn("w:pgNumType")).get(qn("w:start")))
        for s in sections(doc)
        if s.find(qn("w:pgNumType")) is not None and s.find(qn("w:pgNumType")).get(qn("w:start"))
    ]
    assert formats == [("lowerRoman", "1"), ("decimal", "1")]


def test_part_pages_are_sections_of_their_own_on_odd_pages_with_an_empty_footer(doc, sample):
    parts = paragraphs(doc, "CasePart")
    assert [text_of(p) for p in parts] == [p.name for p in docx_writer.parts(sample, YEAR)]
    for p in parts:
        sect = p.find(f"{W}pPr/{W}sectPr")
        assert sect is not None and sect.find(qn("w:type")).get(qn("w:val")) == "oddPage"
        rid = sect.find(qn("w:footerReference")).get(qn("r:id"))
        footer = doc.part.related_parts[rid].element
        assert not text_of(footer) and footer.find(f".//{W}instrText") is None


def test_toc_part_rows_have_page_numbers_and_units_no_lone_character(doc):
    table = next(t for t in doc.element.body.iter(qn("w:tbl")) if "页码" in text_of(t))
    rows = table.findall(qn("w:tr"))
    two_cells = [r for r in rows if len(r.findall(qn("w:tc"))) == 2]  # 篇 rows and chapter rows
    part_rows = [
        r for r in two_cells if text_of(r.findall(qn("w:tc"))[0]).replace(docx_writer.LEADER_END, "").endswith("篇")
    ]
    assert len(part_rows) == 2
    for row in part_rows:
        assert "PAGEREF Part" in "".join(i.text for i in row.iter(qn("w:instrText")))
    for row in rows[1:]:
        cells = row.findall(qn("w:tc"))
        if len(cells) == 4:
            for cell in cells[1:3]:
                for line in lines_of(cell):
                    assert len(line) >= 2, lines_of(cell)


# --- front and back matter ------------------------------------------------------------------


def test_title_page_and_colophon_of_an_internal_volume(doc, sample):
    text = "\n".join(text_of(p) for p in doc.element.body.iter(qn("w:p")))
    assert "".join(lines_of(paragraphs(doc, "TitlePageTitle")[0])) == sample.settings.title
    colophon = [text_of(p) for p in paragraphs(doc, "Colophon")]
    assert f"准印证号：{sample.settings.book.permit}" in colophon
    assert colophon[-1] == "内部资料，免费交流"
    assert any(sample.settings.organiser in line for line in colophon)
    chapters = [text_of(p) for p in paragraphs(doc, "Chapter")]
    assert chapters == ["编委会", "前言", "目录", "单位索引", "后记"]
    assert "ISBN" not in text


def test_unit_index_in_the_shared_order_with_page_fields(doc, sample):
    table = list(doc.element.body.iter(qn("w:tbl")))[-1]
    units = ["".join(lines_of(r.findall(qn("w:tc"))[0])) for r in table.findall(qn("w:tr"))]
    public = views.public(sample).cases
    expected = sorted({c.unit for c in public if c.year == YEAR}, key=lambda u: (unit_key(u, "pinyin"), u))
    assert units == expected
    assert all("PAGEREF Case" in "".join(i.text for i in r.iter(qn("w:instrText"))) for r in table.findall(qn("w:tr")))


def test_absent_settings_leave_the_colophon_out(sample, tmp_path):
    import dataclasses

    book = dataclasses.replace(sample.settings.book, permit="", isbn="", unit_index=False)
    settings = dataclasses.replace(sample.settings, book=book)
    collection = dataclasses.replace(sample, settings=settings)
    made = stage.build_book(ROOT, collection, YEAR, "public", tmp_path, make_pdf=False)
    document = docx.Document(str(made.docx))
    assert not paragraphs(document, "Colophon")
    assert "单位索引" not in [text_of(p) for p in paragraphs(document, "Chapter")]


# --- accessibility and pagination in the DOCX ----------------------------------------------


def test_every_picture_has_its_caption_as_alt_text(doc):
    found = list(doc.element.body.iter("{*}docPr"))
    assert found
    captions = {text_of(p) for p in paragraphs(doc, "PictureCaption")}
    for node in found:
        assert node.get("descr") in captions


def test_document_language_and_widow_control(doc):
    styles = doc.styles.element
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(qn("w:val")) == "zh-CN" and lang.get(qn("w:eastAsia")) == "zh-CN"
    assert styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr/{W}widowControl") is not None
    for control in styles.iter(qn("w:widowControl")):
        assert control.get(qn("w:val")) not in ("0", "false")
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    assert by_id["Picture"].find(f"{W}pPr/{W}keepNext") is not None
    assert by_id["PictureCaption"].find(f"{W}pPr/{W}keepLines") is not None


# --- PDF helpers (no LibreOffice) -----------------------------------------------------------


def test_fix_outline_keeps_the_length_and_drops_the_break_space():
    spaced, joined = "让核心 价值观", "让核心价值观"
    hex_of = ("FEFF" + spaced.encode("utf-16-be").hex().upper()).encode()
    data = b"1 0 obj\n<</Title<" + hex_of + b">/Parent 2 0 R>>\nendobj\n"
    fixed = pdf.fix_outline(data, {spaced: joined})
    assert len(fixed) == len(data)
    digits = re.search(rb"/Title<([^>]*)>", fixed).group(1).replace(b" ", b"")
    assert bytes.fromhex(digits.decode()[4:]).decode("utf-16-be") == joined
    assert pdf.fix_outline(data, {}) == data


def test_export_filter_options():
    plain, archival = pdf.export_filter(), pdf.export_filter(pdfa=True)
    assert '"UseTaggedPDF":{"type":"boolean","value":"true"}' in plain
    assert '"InitialView":{"type":"long","value":"1"}' in plain
    assert "SelectPdfVersion" not in plain and '"SelectPdfVersion":{"type":"long","value":"2"}' in archival


# --- the PDF (slow) -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def proof(sample, tmp_path_factory):
    if not HAS_SOFFICE:
        pytest.skip("LibreOffice (soffice) or poppler-utils not installed")
    out = tmp_path_factory.mktemp("proof")
    return stage.build_book(ROOT, sample, YEAR, "public", out, make_pdf=True)


def outline_titles(data: bytes) -> list[str]:
    found = []
    for match in re.finditer(rb"/Title\s*<([^>]*)>", data):
        digits = re.sub(rb"\s", b"", match.group(1)).decode()
        found.append(bytes.fromhex(digits).decode("utf-16-be").lstrip("\ufeff"))
    return found


def pages_text(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


@pytest.mark.slow
def test_pdf_is_tagged_zh_cn_with_alt_text_and_opens_with_bookmarks(proof):
    data = proof.pdf.read_bytes()
    info = subprocess.run(["pdfinfo", str(proof.pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    assert set(re.findall(rb"/Lang\s*\(([^)]*)\)", data)) == {b"zh-CN"}
    assert b"/PageMode/UseOutlines" in data
    figures = len(list(docx.Document(str(proof.docx)).element.body.iter("{*}docPr")))
    assert figures and len(re.findall(rb"/Alt\s*<", data)) == figures


@pytest.mark.slow
def test_pdf_bookmarks_read_as_the_titles_without_a_stray_space(proof, sample):
    names = outline_titles(proof.pdf.read_bytes())
    for case in (c for c in views.public(sample).cases if c.year == YEAR):
        assert case.title in names
    assert not [n for n in names if re.search(r"[\u4e00-\u9fff”] [\u4e00-\u9fff“]", n)]


@pytest.mark.slow
def test_part_pages_are_odd_without_a_folio(proof, sample):
    pages = pages_text(proof.pdf)
    start = next(i for i, t in enumerate(pages) if t.strip() == "企业篇")
    for part in docx_writer.parts(sample, YEAR):
        index = next(i for i, t in enumerate(pages) if t.strip() == part.name)
        assert (index - start) % 2 == 0  # printed page numbers count from 1 at the first 篇章页
        assert not re.search(r"\d", pages[index])  # no folio
    front = [t.strip().splitlines()[-1].strip() for t in pages[:start] if t.strip()]
    assert {"i", "ii", "iii"} <= set(front)


# --- the 目录's chapter rows (编委会, 前言, 单位索引, 后记) ---------------------------------------


def toc_rows(document) -> list[tuple[str, str, str]]:
    """(name, page as cached, PAGEREF target or "") of every row laid out as a 篇's (two cells)."""
    table = next(t for t in document.element.body.iter(qn("w:tbl")) if "页码" in text_of(t))
    rows = []
    for row in table.findall(qn("w:tr")):
        cells = row.findall(qn("w:tc"))
        if len(cells) == 2:
            ref = "".join(i.text for i in cells[1].iter(qn("w:instrText")))
            target = re.search(r"PAGEREF (\S+)", ref)
            name = text_of(cells[0]).replace(docx_writer.LEADER_END, "")  # after a dot leader's tab
            rows.append((name, text_of(cells[1]), target.group(1) if target else ""))
    return rows


def test_toc_lists_the_front_and_back_chapters_with_their_pages(doc, sample):
    rows = toc_rows(doc)
    names = [name for name, _page, _ref in rows]
    parts = [p.name for p in docx_writer.parts(sample, YEAR)]
    assert names == ["编委会", "前言", *parts, "单位索引", "后记"]
    # the front matter in Roman: this DOCX is made without a PDF, so for Word, as Roman PAGEREFs that it
    # updates on opening (with a PDF, plain text: LibreOffice would print a PAGEREF in Arabic digits;
    # tests/test_book_docx_only.py)
    assert rows[0][1:] == ("i", "Board") and rows[1][1] in ("ii", "iii") and rows[1][2] == "Preface"
    bookmarks = {b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))}
    assert {"FrontStart", "Board", "Preface", "UnitIndex", "Afterword"} <= bookmarks
    assert [ref for *_rest, ref in rows[-2:]] == ["UnitIndex", "Afterword"]
    assert all(page.isdigit() for _name, page, _ref in rows[2:])


def test_unnumbered_front_matter_leaves_its_rows_without_a_page(sample, tmp_path):
    import dataclasses

    book = dataclasses.replace(sample.settings.book, front_numbers="none")
    collection = dataclasses.replace(sample, settings=dataclasses.replace(sample.settings, book=book))
    made = stage.build_book(ROOT, collection, YEAR, "public", tmp_path, make_pdf=False)
    rows = toc_rows(docx.Document(str(made.docx)))
    assert rows[0] == ("编委会", "", "") and rows[1] == ("前言", "", "")
    assert rows[-1][0] == "后记" and rows[-1][1].isdigit()


def test_roman_numerals():
    assert [docx_writer.roman(n) for n in (1, 2, 4, 9, 14, 40, 99)] == ["i", "ii", "iv", "ix", "xiv", "xl", "xcix"]


# --- photos placed from a measured proof (docx_writer.Fit) ---------------------------------


@pytest.fixture(scope="module")
def plain_volume(sample):
    from casebook.outputs.book import styles

    return docx_writer.build(styles.load_reference(ROOT), views.public(sample), YEAR, "public")


def body_sequence(volume) -> list[str]:
    """The body as style names, with the fragments' paragraphs expanded."""
    xml = volume.fragments.expand(etree_bytes(volume.document.element.body))
    return re.findall(r'<w:pStyle w:val="([^"]+)"/>', xml.decode())


def etree_bytes(node) -> bytes:
    from lxml import etree

    return etree.tostring(node)


def test_a_fit_scales_a_photo_and_defers_it_after_the_next_paragraph(sample, plain_volume):
    from casebook.outputs.book import styles

    figure = plain_volume.figures[0]
    fits = {figure.key: docx_writer.Fit(0.7, 1)}
    volume = docx_writer.build(styles.load_reference(ROOT), views.public(sample), YEAR, "public", fits=fits)
    moved = next(f for f in volume.figures if f.key == figure.key)
    assert moved.width_cm == pytest.approx(0.7 * figure.width_cm) and moved.fit == fits[figure.key]
    extents = [int(e.get("cx")) for e in volume.document.element.body.iter("{*}extent")]
    plain = [int(e.get("cx")) for e in plain_volume.document.element.body.iter("{*}extent")]
    assert extents[0] == int(0.7 * figure.width_cm * 360000) and extents[1:] == plain[1:]
    before, after = body_sequence(plain_volume), body_sequence(volume)
    assert sorted(before) == sorted(after) and before != after
    at = before.index("Picture")
    # the photo and its caption now come after the next body paragraph (and what stood between)
    following = before[at + 2 :]
    passed = following[: following.index("Normal") + 1]
    assert after[at : at + len(passed) + 2] == [*passed, "Picture", "PictureCaption"]


def test_no_fit_no_change(sample, plain_volume):
    from casebook.outputs.book import styles

    again = docx_writer.build(styles.load_reference(ROOT), views.public(sample), YEAR, "public", fits={})
    assert body_sequence(again) == body_sequence(plain_volume)
    assert all(f.fit == docx_writer.Fit() for f in again.figures)


# --- the proof read with bounding boxes (slow) ------------------------------------------------


def body_start(path: Path) -> int:
    return pdf.destinations(path)[docx_writer.BODY_START]


def one_character_title_lines(pages, first: int) -> list[tuple[int, str]]:
    """Lines of a case title (22 pt), a 篇章页 (26 pt) or the cover (36 pt) holding a single character."""
    found = []
    for page in pages[first - 1 :]:
        for line in page.lines:
            if line.height > 25 and len(proofread.squeeze(line.text)) == 1:
                found.append((page.number, line.text))
    return found


def toc_lone_characters(pages, first: int) -> list[tuple[int, str]]:
    """目录 lines (before the body) of one CJK character: a unit or a title wrapped too late."""
    start = next(p.number for p in pages if p.lines and proofread.squeeze(p.lines[0].text) == "目录")
    found = []
    for page in pages[start - 1 : first - 1]:
        for line in page.lines:
            text = proofread.squeeze(line.text)
            if len(text) == 1 and "\u4e00" <= text <= "\u9fff":
                found.append((page.number, text))
    return found


def check_proof(path: Path, part_names: list[str]) -> dict[str, list]:
    pages = proofread.read(path)
    first = body_start(path)
    parts = [p.number for p in pages if len(p.lines) == 1 and p.lines[0].text.strip() in part_names]
    return {
        "half_empty": proofread.half_empty(pages, first),
        "widows": proofread.widows(pages, first),
        "titles": one_character_title_lines(pages, first),
        "toc": toc_lone_characters(pages, first),
        "parts_even": [n for n in parts if (n - first) % 2],  # the first 篇章页 is page 1
        "parts_numbered": [n for n in parts if pages[n - 1].folio],
        "parts_found": parts,
    }


@pytest.mark.slow
def test_the_proof_has_no_half_empty_page_widow_or_lone_character(proof_pdf, sample):
    names = [p.name for p in docx_writer.parts(sample, YEAR)]
    found = check_proof(proof_pdf.pdf, names)
    assert len(found.pop("parts_found")) == len(names)
    assert found == {k: [] for k in found}, found


@pytest.mark.slow
def test_toc_chapter_rows_print_their_pages(proof_pdf):
    pages = proofread.read(proof_pdf.pdf)
    first = body_start(proof_pdf.pdf)
    toc = next(p for p in pages if p.lines and proofread.squeeze(p.lines[0].text) == "目录")
    printed = {}  # the page cell is a line of its own, level with the name
    for line in toc.lines:
        name = proofread.squeeze(line.text).rstrip(".")  # the row's dot leader is on its line
        if name in ("编委会", "前言", "单位索引", "后记"):
            level = [other for other in toc.lines if other is not line and abs(other.y0 - line.y0) < 3]
            printed[name] = proofread.squeeze(level[0].text) if level else ""
    folio_of = {}
    for page in pages:
        if page.lines and proofread.squeeze(page.lines[0].text) in ("编委会", "前言", "单位索引", "后记"):
            folio_of.setdefault(proofread.squeeze(page.lines[0].text), page.folio)
    assert printed == folio_of and printed["编委会"] == "i" and int(printed["后记"]) > 1, (printed, folio_of)
    assert first > toc.number


@pytest.fixture(scope="module")
def proof_pdf(proof):
    return proof


@pytest.fixture(scope="module")
def hundred(tmp_path_factory):
    """A generated 100-case volume with long titles and many photos (small ones, to stay quick)."""
    if not HAS_SOFFICE:
        pytest.skip("LibreOffice (soffice) or poppler-utils not installed")
    from casebook.outputs.book import synth

    root = synth.make(
        tmp_path_factory.mktemp("hundred") / "c", cases=100, photos=160, chars=1500, photo_size=(800, 600)
    )
    (root / "content" / "board.md").write_text("---\ntitle: 编委会\n---\n**主　任**：某某\n", encoding="utf-8")
    (root / "content" / "afterword.md").write_text("---\ntitle: 后记\n---\n编辑工作历时半年。\n", encoding="utf-8")
    collection, report = load(root)
    assert collection is not None and not report.errors, [d.format() for d in report.errors[:3]]
    made = stage.build_book(root, collection, YEAR, "public", tmp_path_factory.mktemp("hundred-out"), make_pdf=True)
    return collection, made


@pytest.mark.slow
def test_a_hundred_case_volume_reads_as_clean_as_the_sample(hundred):
    collection, made = hundred
    names = [p.name for p in docx_writer.parts(views.public(collection), YEAR)]
    found = check_proof(made.pdf, names)
    assert len(found.pop("parts_found")) == len(names)
    assert found == {k: [] for k in found}, found


# --- book.case_start -----------------------------------------------------------------------


def _with_book(sample, **changes):
    import dataclasses

    book = dataclasses.replace(sample.settings.book, **changes)
    return dataclasses.replace(sample, settings=dataclasses.replace(sample.settings, book=book))


def _section_of(p):
    """The sectPr that closes the section holding paragraph p (the next one in document order)."""
    node = p
    while node is not None:
        sect = node.find(f"{W}pPr/{W}sectPr") if node.tag == qn("w:p") else None
        if sect is not None:
            return sect
        if node.tag == qn("w:sectPr"):
            return node
        node = node.getnext()
    return None


def test_case_start_is_declared_with_new_page_as_default(sample):
    from casebook.config import settings_schema

    assert settings_schema.BookSettings().case_start == "new_page"
    option = settings_schema.BOOK.schema["case_start"]
    assert option.convert("右页", "book.case_start") == "right_page"
    assert option.convert("另页", "book.case_start") == "new_page"


def test_new_page_cases_without_running_heads_share_their_part_section(sample, tmp_path):
    collection = _with_book(sample, running_heads=False)
    made = stage.build_book(ROOT, collection, YEAR, "public", tmp_path, make_pdf=False)
    document = docx.Document(str(made.docx))
    number_of_parts = len(docx_writer.parts(views.public(sample), YEAR))
    assert len(sections(document)) == 3 + 2 * number_of_parts
    starts = {_section_of(t).find(qn("w:type")).get(qn("w:val")) for t in paragraphs(document, "Title")}
    assert starts == {"nextPage"}
    assert not list(document.element.body.iter(qn("w:headerReference")))
    assert document.settings.element.find(qn("w:evenAndOddHeaders")) is None


def _header_text(document, sect, kind: str) -> str | None:
    ref = next((r for r in sect.findall(qn("w:headerReference")) if r.get(qn("w:type")) == kind), None)
    return None if ref is None else text_of(document.part.related_parts[ref.get(qn("r:id"))].element)


def test_running_heads_title_on_even_pages_case_title_on_odd_none_on_first_pages(doc, sample):
    assert doc.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    the_parts = docx_writer.parts(views.public(sample), YEAR)
    titles = paragraphs(doc, "Title")
    cases = [case for part in the_parts for case in part.cases]
    assert len(titles) == len(cases)
    for title, case in zip(titles, cases, strict=True):
        sect = _section_of(title)
        assert title.getprevious().find(f"{W}pPr/{W}sectPr") is not None  # first in its own section
        assert sect.find(qn("w:titlePg")) is not None
        assert _header_text(doc, sect, "first") == ""
        assert _header_text(doc, sect, "even") == docx_writer.book_title(sample, YEAR)
        odd = _header_text(doc, sect, "default")
        assert odd == docx_writer.short_title(case.title) and odd
        kinds = {r.get(qn("w:type")) for r in sect.findall(qn("w:footerReference"))}
        assert kinds == {"default", "even", "first"}  # the folio on every page of the case
    # 篇章页: empty heads of every kind, so none is inherited; the front matter has none at all
    for p in paragraphs(doc, "CasePart"):
        sect = p.find(f"{W}pPr/{W}sectPr")
        assert [_header_text(doc, sect, k) for k in ("default", "even", "first")] == ["", "", ""]
        assert {r.get(qn("w:type")) for r in sect.findall(qn("w:footerReference"))} == {"default", "even"}
    front = sections(doc)[:3]  # cover, 扉页 and 版权页, 编委会/前言/目录
    assert all(s.find(qn("w:headerReference")) is None for s in front)
    # the back matter (单位索引, 后记): a section of its own, without heads
    last = sections(doc)[-1]
    assert [_header_text(doc, last, k) for k in ("default", "even", "first")] == ["", "", ""]


def test_running_heads_odd_part_puts_the_part_on_odd_pages(sample, tmp_path):
    from casebook.config import settings_schema

    assert settings_schema.BookSettings().running_heads_odd == "case"
    assert settings_schema.BOOK.schema["running_heads_odd"].convert("篇名", "book.running_heads_odd") == "part"
    made = stage.build_book(
        ROOT, _with_book(sample, running_heads_odd="part"), YEAR, "public", tmp_path, make_pdf=False
    )
    document = docx.Document(str(made.docx))
    the_parts = docx_writer.parts(views.public(sample), YEAR)
    names = {case.title: part.name for part in the_parts for case in part.cases}
    for title in paragraphs(document, "Title"):
        sect = _section_of(title)
        assert _header_text(document, sect, "default") == names["".join(lines_of(title))]
        assert _header_text(document, sect, "even") == docx_writer.book_title(sample, YEAR)
        assert _header_text(document, sect, "first") == ""


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("“匠心契约”传承工匠精神", "“匠心契约”传承工匠精神"),
        (
            "坚持“三个结合”推进新时代产业工人队伍建设改革——某某公司的探索与实践",
            "坚持“三个结合”推进新时代产业工人队伍建设改革",
        ),
        ("以“四个一”工作法为抓手，推动思想政治工作与生产经营深度融合走深走实", "以“四个一”工作法为抓手"),
    ],
)
def test_short_titles_for_running_heads(title, short):
    assert docx_writer.short_title(title) == short


def test_a_very_long_title_without_breaks_is_cut_at_a_word(sample):
    title = "坚持党建引领推动产业工人队伍建设改革在基层班组落地生根开花结果见到实效"
    short = docx_writer.short_title(title)
    assert short.endswith("……") and title.startswith(short[:-2])
    assert sum(titles.char_width(ch) for ch in short) <= docx_writer.RUNNING_HEAD_EMS + 2


def test_right_page_starts_every_case_in_an_odd_page_section(sample, tmp_path):
    collection = _with_book(sample, case_start="right_page")
    made = stage.build_book(ROOT, collection, YEAR, "public", tmp_path, make_pdf=False)
    document = docx.Document(str(made.docx))
    titles = paragraphs(document, "Title")
    the_parts = docx_writer.parts(views.public(collection), YEAR)
    cases = sum(len(p.cases) for p in the_parts)
    assert len(titles) == cases
    assert len(sections(document)) == 3 + len(the_parts) + cases + 1  # + the back matter (running heads)
    for title in titles:
        # first in its section, so the section's start decides the page: odd
        previous = title.getprevious()
        assert previous.find(f"{W}pPr/{W}sectPr") is not None, text_of(title)
        assert _section_of(title).find(qn("w:type")).get(qn("w:val")) == "oddPage"
        assert title.find(f"{W}pPr/{W}pageBreakBefore").get(qn("w:val")) in ("0", "false")
    # the estimated 目录 pages of the cases are odd too
    from casebook.outputs.book import styles

    volume = docx_writer.build(styles.load_reference(ROOT), views.public(collection), YEAR, "public")
    assert all(entry.estimate % 2 == 1 for entry in volume.entries)


@pytest.mark.slow
@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice 未安装")
def test_right_page_cases_print_on_odd_pages(sample, tmp_path):
    collection = _with_book(sample, case_start="right_page")
    made = stage.build_book(ROOT, collection, YEAR, "public", tmp_path, make_pdf=True)
    dests = pdf.destinations(made.pdf)
    body = dests[docx_writer.BODY_START]
    cases = [name for name in dests if name.startswith("Case")]
    assert cases
    for name in cases:
        assert dests[name] % 2 == 1, (name, dests[name])
        assert (dests[name] - body + 1) % 2 == 1  # printed page numbers of right-hand pages are odd
    pages = proofread.read(made.pdf)
    for name in cases:
        before = pages[dests[name] - 2]
        if not before.lines:  # the blank verso left before a case carries no folio
            assert not before.folio, (name, before.folio)


# --- dot leaders in the 目录 (book.toc_leaders) ----------------------------------------------


def _leader_tabs(p) -> list:
    return [t for t in p.iter(qn("w:tab")) if t.get(qn("w:leader")) == "dot"]


def test_toc_part_and_chapter_rows_lead_with_dots_to_their_page(doc):
    table = next(t for t in doc.element.body.iter(qn("w:tbl")) if "页码" in text_of(t))
    for row in table.findall(qn("w:tr"))[1:]:
        cells = row.findall(qn("w:tc"))
        if len(cells) != 2:
            continue
        name = cells[0].find(qn("w:p"))
        (stop,) = _leader_tabs(name)
        width = int(cells[0].find(f"{W}tcPr/{W}tcW").get(qn("w:w")))
        assert stop.get(qn("w:val")) == "right" and 0 < int(stop.get(qn("w:pos"))) < width
        runs = name.findall(qn("w:r"))
        assert runs[-1].find(qn("w:tab")) is not None  # the tab itself, after the name


def test_unit_leaders_only_where_the_last_line_leaves_room(doc):
    table = next(t for t in doc.element.body.iter(qn("w:tbl")) if "页码" in text_of(t))
    led = 0
    for row in table.findall(qn("w:tr"))[1:]:
        cells = row.findall(qn("w:tc"))
        if len(cells) != 4:
            continue
        unit = cells[2].find(qn("w:p"))
        assert not _leader_tabs(cells[1].find(qn("w:p")))  # never inside the title column
        if _leader_tabs(unit):
            led += 1
            last = lines_of(unit)[-1].replace(docx_writer.LEADER_END, "")
            assert len(last) >= 2  # a unit's last line keeps its characters; the dots follow on it
    assert led >= 1


def test_no_leaders_when_switched_off(sample, tmp_path):
    made = stage.build_book(ROOT, _with_book(sample, toc_leaders=False), YEAR, "public", tmp_path, make_pdf=False)
    document = docx.Document(str(made.docx))
    assert not [t for t in document.element.body.iter(qn("w:tab")) if t.get(qn("w:leader"))]


# --- the 目录 as dot-leader lines (book.toc_style: leaders) --------------------------------------


def test_toc_style_is_declared_with_the_table_as_default():
    from casebook.config import settings_schema

    assert settings_schema.BookSettings().toc_style == "table"
    option = settings_schema.BOOK.schema["toc_style"]
    assert option.convert("引线", "book.toc_style") == "leaders"
    assert option.convert("表格", "book.toc_style") == "table"


@pytest.fixture(scope="module")
def leaders_doc(sample, tmp_path_factory):
    made = stage.build_book(
        ROOT,
        _with_book(sample, toc_style="leaders"),
        YEAR,
        "public",
        tmp_path_factory.mktemp("leaders"),
        make_pdf=False,
    )
    return docx.Document(str(made.docx))


def toc_paragraphs(document) -> list:
    """The paragraphs between the 目录 heading and the end of its section."""
    body = list(document.element.body)
    start = next(i for i, p in enumerate(body) if style_of(p) == "Chapter" and text_of(p) == "目录")
    found = []
    for node in body[start + 1 :]:
        if node.tag != qn("w:p") or style_of(node) not in ("TocPart", "TocText", "TocSmall"):
            break
        found.append(node)
    return found


def _name_before_the_tab(p) -> str:
    runs = p.findall(qn("w:r"))
    cut = next((i for i, r in enumerate(runs) if r.find(qn("w:tab")) is not None), len(runs))
    return "".join(text_of(r) for r in runs[:cut])


def test_leaders_toc_is_name_dots_page_with_the_unit_under_the_title(leaders_doc, sample):
    assert not [t for t in leaders_doc.element.body.iter(qn("w:tbl")) if "页码" in text_of(t)]  # no table
    lines = toc_paragraphs(leaders_doc)
    the_parts = docx_writer.parts(views.public(sample), YEAR)
    expected = ["编委会", "前言"]
    for part in the_parts:
        expected += [part.name] + [x for case in part.cases for x in (case.title, case.unit)]
    expected += ["单位索引", "后记"]
    assert [_name_before_the_tab(p) for p in lines] == expected
    for p in lines:
        led = [t for t in p.iter(qn("w:tab")) if t.get(qn("w:leader")) == "dot"]
        refs = "".join(i.text for i in p.iter(qn("w:instrText")))
        if style_of(p) == "TocSmall":  # the unit: indented, no dots, no page
            assert not led and not refs and int(p.find(f"{W}pPr/{W}ind").get(qn("w:left"))) > 0
            continue
        (stop,) = led
        assert stop.get(qn("w:val")) == "right" and int(stop.get(qn("w:pos"))) == docx_writer.TEXT_WIDTH_TWIPS
        runs = p.findall(qn("w:r"))
        tab_at = next(i for i, r in enumerate(runs) if r.find(qn("w:tab")) is not None)
        after = "".join(text_of(r) for r in runs[tab_at + 1 :])
        assert after.strip()  # the page follows the dots
        if style_of(p) == "TocText":
            assert re.search(r"PAGEREF Case\d{4}", refs) and p.find(f"{W}pPr/{W}keepNext") is not None
    # a title line never runs into the page column: every line leaves TOC_PAGE_EMS for dots and page
    width = docx_writer.TEXT_WIDTH_TWIPS / 20 / 14 - docx_writer.TOC_PAGE_EMS
    for p in (p for p in lines if style_of(p) == "TocText"):
        assert all(sum(titles.char_width(c) for c in line) <= width for line in lines_of(p))


def test_internal_edition_keeps_the_table_whatever_the_style(sample, tmp_path):
    collection = _with_book(sample, toc_style="leaders")
    made = stage.build_book(ROOT, collection, YEAR, "internal", tmp_path, make_pdf=False)
    document = docx.Document(str(made.docx))
    assert [t for t in document.element.body.iter(qn("w:tbl")) if "联系方式" in text_of(t)]


@pytest.mark.slow
@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice 未安装")
def test_leaders_toc_prints_right_aligned_true_page_numbers(sample, tmp_path):
    made = stage.build_book(ROOT, _with_book(sample, toc_style="leaders"), YEAR, "public", tmp_path, make_pdf=True)
    dests = pdf.destinations(made.pdf)
    first = dests[docx_writer.BODY_START]
    pages = proofread.read(made.pdf)
    toc = next(p for p in pages if p.lines and proofread.squeeze(p.lines[0].text) == "目录")
    led = [line for line in toc.lines if re.search(r"\.{5,}", line.text)]
    printed = {}
    for line in led:
        name, page = re.fullmatch(r"(.+?)\.{5,}\s*(\S+)", proofread.squeeze(line.text)).groups()
        printed[name] = page
        assert abs(line.x1 - proofread.RIGHT_PT) < 2.0, (line.text, line.x1)  # flush with the text's right edge
    cases = [c for part in docx_writer.parts(views.public(sample), YEAR) for c in part.cases]
    for number, case in enumerate(cases, 1):
        title = proofread.squeeze(case.title)
        found = next(name for name in printed if title.endswith(name) or name.endswith(title[-6:]))
        assert printed[found] == str(dests[docx_writer.bookmark_name(number)] - first + 1), (case.title, printed)
    assert printed["编委会"] == "i" and printed["企业篇"] == "1"
    assert len(led) == 2 + len(cases) + len(docx_writer.parts(views.public(sample), YEAR)) + 2


# --- running heads in the proof (slow) ------------------------------------------------------------


def heads_found(path: Path, collection, odd: str) -> list[tuple[int, str, str]]:
    """(physical page, head printed, head expected) wherever they differ: the volume's title on even
    pages, the case's short title or its 篇 (odd) on odd ones; none on a 篇章页, a case's first page, a
    blank page, the front and the back matter."""
    pages = proofread.read(path)
    dests = pdf.destinations(path)
    first = dests[docx_writer.BODY_START]
    back = min((dests[m] for m in ("UnitIndex", "Afterword") if m in dests), default=len(pages) + 1)
    the_parts = docx_writer.parts(views.public(collection), YEAR)
    starts, part_pages, number = {}, set(), 0
    for index, part in enumerate(the_parts, 1):
        part_pages.add(dests[docx_writer.part_bookmark(index)])
        for case in part.cases:
            number += 1
            starts[dests[docx_writer.bookmark_name(number)]] = (part, case)
    wrong, current = [], None
    for page in pages:
        current = starts.get(page.number, current)
        inside = first <= page.number < back and page.number not in part_pages and page.number not in starts
        expected = ""
        if inside and page.lines and current is not None:
            part, case = current
            if (page.number - first + 1) % 2:
                expected = part.name if odd == "part" else docx_writer.short_title(case.title)
            else:
                expected = docx_writer.book_title(collection, YEAR)
        if proofread.squeeze(page.head) != proofread.squeeze(expected):
            wrong.append((page.number, page.head, expected))
    return wrong


@pytest.mark.slow
def test_the_proof_carries_the_running_heads_where_they_belong(proof_pdf, sample):
    assert heads_found(proof_pdf.pdf, sample, "case") == []
    heads = {p.head for p in proofread.read(proof_pdf.pdf) if p.head}
    assert docx_writer.book_title(sample, YEAR) in heads and len(heads) > 2


@pytest.mark.slow
@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice 未安装")
def test_the_proof_carries_the_part_on_odd_pages_when_asked(sample, tmp_path):
    collection = _with_book(sample, running_heads_odd="part")
    made = stage.build_book(ROOT, collection, YEAR, "public", tmp_path, make_pdf=True)
    assert heads_found(made.pdf, collection, "part") == []
    names = {p.name for p in docx_writer.parts(views.public(sample), YEAR)}
    assert names <= {p.head for p in proofread.read(made.pdf)}
