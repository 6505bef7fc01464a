"""Assemble one volume as a python-docx Document: cover, 前言, 目录, parts and cases.

Sections: cover (no page number) | 前言 and 目录 (no page number) | the cases (Arabic page numbers
from 1, centred in the footer). The 目录 is a table whose page numbers are PAGEREF fields pointing
at bookmarks on the case titles; their cached values come from a measured PDF when available,
otherwise from an estimate (Word and WPS update them on demand, LibreOffice at export).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.parts.hdrftr import FooterPart
from lxml import etree

from casebook.document import normalise_src
from casebook.model import Case, Collection, Photo
from casebook.outputs.book import body as body_mod
from casebook.outputs.book import images, ooxml, styles
from casebook.outputs.book.layout import TEXT_WIDTH_TWIPS, page_setup
from casebook.outputs.book.order import Part, parts
from casebook.outputs.book.titles import balanced_lines

BODY_START = "BodyStart"
CHARS_PER_LINE = 27  # 15.6 cm at 16 pt
LINES_PER_PAGE = 20  # 22.7 cm at 31 pt
CAPTION_EMS = 30  # 15.6 cm at 14 pt, less a little
CN_DIGITS = "〇一二三四五六七八九"


def book_title(collection: Collection, year: int) -> str:
    return f"{collection.settings.title}（{year}年度）"


def bookmark_name(index: int) -> str:
    return f"Case{index:04d}"


def chinese_year(year: int) -> str:
    return "".join(CN_DIGITS[int(d)] for d in str(year))


@dataclass
class TocEntry:
    number: int
    case: Case
    bookmark: str
    estimate: int
    cached: list[etree._Element] = field(default_factory=list)  # the PAGEREF result texts


@dataclass
class Volume:
    document: Document
    title: str
    entries: list[TocEntry]
    parts: list[Part]
    fragments: ooxml.Fragments
    problems: list[str] = field(default_factory=list)

    def set_pages(self, pages: dict[str, int]) -> None:
        """Write the cached values of the 目录's PAGEREF fields."""
        for entry in self.entries:
            value = str(pages.get(entry.bookmark, entry.estimate))
            for node in entry.cached:
                node.text = value


class _Writer:
    def __init__(self, document: Document, collection: Collection, year: int, edition: str, cache: Path | None):
        self.document = document
        self.collection = collection
        self.year = year
        self.edition = edition
        self.cache = cache
        self.body = document.element.body
        for node in list(self.body):
            self.body.remove(node)
        self.final_sect = page_setup()
        self.body.append(self.final_sect)
        self.fonts = styles.effective_east_asia(document)
        self.renderer = body_mod.Renderer(self.fonts)
        self.store = images.ImageStore(document.part)
        self.prepared: dict[Path, images.Prepared] = {}
        self.bookmark_id = 0
        self.fragments = ooxml.Fragments()
        self.problems: list[str] = []  # shown to the editor as warnings

    # --- plumbing -------------------------------------------------------------------------

    def add(self, node: etree._Element) -> etree._Element:
        self.final_sect.addprevious(node)
        return node

    def add_blocks(self, blocks: list[body_mod.Block]) -> None:
        """Rendered body blocks: runs of XML text become one fragment placeholder each."""
        for block in body_mod.merged(blocks):
            self.add(self.fragments.placeholder(block) if isinstance(block, str) else block)

    def para(self, style: str, text: str = "", *, first_in_section: bool = False) -> etree._Element:
        p = ooxml.paragraph(style)
        if first_in_section:
            p.find(ooxml.w("pPr")).append(ooxml.el("pageBreakBefore", {"val": 0}))
        if text:
            self.text_runs(p, text, style)
        return self.add(p)

    def text_runs(self, p: etree._Element, text: str, style: str, bold: bool = False) -> None:
        for piece in body_mod.QUOTES.split(body_mod.clean_text(text)):
            if piece:
                quote = piece[0] in "“”‘’"
                ooxml.add_run(p, piece, bold=bold, all_fonts=self.fonts.get(style) if quote else None)

    def lines_text(self, p: etree._Element, lines: list[str], style: str) -> None:
        for index, line in enumerate(lines):
            if index:
                p.append(ooxml.line_break())
            self.text_runs(p, line, style)

    def end_section(self, last: etree._Element, sect: etree._Element) -> None:
        """Close a section in its own last paragraph (no extra empty paragraph)."""
        props = last.find(ooxml.w("pPr"))
        props.replace(ooxml.child(props, "sectPr", ooxml.PPR_ORDER), sect)

    def bookmark(self, p: etree._Element, name: str) -> None:
        self.bookmark_id += 1
        ooxml.bookmark(p, self.bookmark_id, name)

    # --- the volume -----------------------------------------------------------------------

    def write(self) -> Volume:
        the_parts = parts(self.collection, self.year)
        self.prepare_photos(the_parts)
        self.cover()
        entries = self.plan(the_parts)
        self.front(entries, the_parts)
        self.cases(entries, the_parts)
        return Volume(
            self.document, book_title(self.collection, self.year), entries, the_parts, self.fragments, self.problems
        )

    def prepare_photos(self, the_parts: list[Part]) -> None:
        paths = [photo.path for part in the_parts for case in part.cases for photo in case.photos]
        self.prepared = images.prepare_all([p for p in paths if p.is_file()], self.cache, self.problems)

    def plan(self, the_parts: list[Part]) -> list[TocEntry]:
        entries, page = [], 1
        number = 0
        for part in the_parts:
            page += 1  # the part's own page
            for case in part.cases:
                number += 1
                entries.append(TocEntry(number, case, bookmark_name(number), page))
                page += self.estimate_pages(case)
        return entries

    def estimate_pages(self, case: Case) -> int:
        text = case.body + (case.summary if self.show_summary else "")
        lines = 4 + sum(math.ceil(len(block) / CHARS_PER_LINE) for block in text.split("\n") if block.strip())
        lines += 15 * len(case.photos)
        return max(1, math.ceil(lines / LINES_PER_PAGE))

    @property
    def show_summary(self) -> bool:
        return self.collection.settings.book.summary

    def cover(self) -> None:
        settings = self.collection.settings
        title = self.para("CoverTitle")
        self.lines_text(title, balanced_lines(settings.title, 12), "CoverTitle")
        self.para("CoverYear", f"（{self.year}年度）")
        if self.edition == "internal":
            self.para("CoverLine", "（组织方版  内部资料  含联系方式  请勿公开）")
        if settings.organiser:
            self.para("CoverLine", settings.organiser)
        date = settings.book.date or f"{chinese_year(self.year)}年"
        last = self.para("CoverLine", date)
        self.end_section(last, page_setup())

    def front(self, entries: list[TocEntry], the_parts: list[Part]) -> None:
        preface = self.preface()
        first = True
        if preface is not None:
            heading, text = preface
            self.para("Chapter", heading, first_in_section=True)
            first = False
            self.add_blocks(self.renderer.render(text, lambda _src: []))
        self.para("Chapter", "目录", first_in_section=first)
        self.add(self.toc_table(entries, the_parts))
        closing = self.para("TableText")
        ooxml.set_spacing(closing.find(ooxml.w("pPr")), 1)
        self.end_section(closing, page_setup(start="oddPage"))

    def preface(self) -> tuple[str, str] | None:
        page = self.collection.page(f"preface-{self.year}", "preface")
        if page is None:
            return None
        return page.title or "前言", page.body

    def toc_columns(self) -> tuple[list[str], list[float]]:
        if self.edition == "internal":
            return ["序号", "案例名称", "申报单位", "联系人", "联系方式", "页码"], [1.3, 4.3, 3.4, 1.6, 3.8, 1.2]
        return ["序号", "案例名称", "申报单位", "页码"], [1.4, 7.7, 5.0, 1.5]

    def toc_table(self, entries: list[TocEntry], the_parts: list[Part]) -> etree._Element:
        headers, widths_cm = self.toc_columns()
        total = sum(widths_cm)
        widths = [int(TEXT_WIDTH_TWIPS * cm / total) for cm in widths_cm]
        widths[-1] += TEXT_WIDTH_TWIPS - sum(widths)
        tbl = ooxml.table(widths)
        small = self.edition == "internal"  # six columns need a smaller size
        text, head = ("TocSmall", "TocHeadSmall") if small else ("TocText", "TocHead")
        ooxml.table_row(tbl, [[self.cell(head, h)] for h in headers], header=True)
        by_case = {id(e.case): e for e in entries}
        for part in the_parts:
            ooxml.table_row(tbl, [[self.cell("TocPart", part.name)]], span_all=True)
            for case in part.cases:
                entry = by_case[id(case)]
                title = case.title + ("（不公开）" if small and not case.public else "")
                row = [[self.cell(text, str(entry.number), center=True)], [self.cell(text, title)]]
                row.append([self.cell(text, case.unit)])
                if self.edition == "internal":
                    name, ways = contact_cells(case)
                    row.append([self.cell(text, name)])
                    row.append([self.cell(text, line) for line in ways] or [self.cell(text, "")])
                page_cell = self.cell(text, "", center=True)
                runs = ooxml.field(f"PAGEREF {entry.bookmark} \\h", str(entry.estimate))
                page_cell.extend(runs)
                entry.cached.append(runs[3].find(ooxml.w("t")))
                row.append([page_cell])
                ooxml.table_row(tbl, row)
        return tbl

    def cell(self, style: str, text: str, center: bool = False) -> etree._Element:
        p = ooxml.paragraph(style)
        if center:
            p.find(ooxml.w("pPr")).append(ooxml.el("jc", {"val": "center"}))
        if text:
            self.text_runs(p, text, style)
        return p

    def footer_rid(self) -> str:
        part = FooterPart.new(self.document.part.package)
        root = part.element
        for node in list(root):
            root.remove(node)
        p = ooxml.paragraph("PageNumber")
        props = ooxml.el("rPr")
        props.append(
            ooxml.el("rFonts", {"ascii": styles.SONG, "hAnsi": styles.SONG, "eastAsia": styles.SONG, "cs": styles.SONG})
        )
        props.append(ooxml.el("sz", {"val": 28}))
        props.append(ooxml.el("szCs", {"val": 28}))
        p.extend(ooxml.field("PAGE", "1", props))
        root.append(p)
        return self.document.part.relate_to(part, RT.FOOTER)

    def cases(self, entries: list[TocEntry], the_parts: list[Part]) -> None:
        rid = self.footer_rid()
        self.body.remove(self.final_sect)
        self.final_sect = page_setup(start="oddPage", footer_rid=rid, page_start=1)
        self.body.append(self.final_sect)
        by_case = {id(e.case): e for e in entries}
        for index, part in enumerate(the_parts):
            heading = self.para("CasePart", part.name, first_in_section=index == 0)
            if index == 0:
                self.bookmark(heading, BODY_START)
            for case in part.cases:
                self.case(case, by_case[id(case)])

    def case(self, case: Case, entry: TocEntry) -> None:
        title = self.para("Title")
        self.lines_text(title, balanced_lines(case.title), "Title")
        self.bookmark(title, entry.bookmark)
        self.para("Unit", case.unit)
        if case.authors:
            self.para("Authors", "执笔人：" + "、".join(case.authors))
        if self.show_summary and case.summary.strip():
            p = self.para("Summary")
            label = self.collection.profile.summary.label or "案例概要"
            p.append(ooxml.run(f"{label}：", bold=True, all_fonts=styles.HEI))
            self.text_runs(p, case.summary.strip(), "Summary")
        photos = {photo.file: photo for photo in case.photos}
        self.add_blocks(self.renderer.render(case.body, lambda src: self.picture(photos.get(normalise_src(src)))))
        for photo in case.photos:
            if photo.file not in self.renderer.placed:
                for node in self.picture(photo):
                    self.add(node)

    def picture(self, photo: Photo | None) -> list[etree._Element]:
        if photo is None or photo.path not in self.prepared:
            return []
        prepared = self.prepared[photo.path]
        holder = ooxml.paragraph("Picture", keep_next=True)
        r = ooxml.el("r")
        drawing = ooxml.el("drawing")
        drawing.append(self.store.inline(prepared, photo.file))
        r.append(drawing)
        holder.append(r)
        caption = ooxml.paragraph("PictureCaption")
        self.lines_text(caption, balanced_lines(photo.caption, CAPTION_EMS), "PictureCaption")
        return [holder, caption]


def contact_cells(case: Case) -> tuple[str, list[str]]:
    contact = case.contact
    if contact is None:
        return "", []
    name = contact.name
    ways = [v for v in (contact.mobile, contact.phone, contact.email) if v]
    return name, ways


def build(document: Document, collection: Collection, year: int, edition: str, cache: Path | None = None) -> Volume:
    """Fill the reference document with one year's volume of the given edition's collection."""
    return _Writer(document, collection, year, edition, cache).write()
