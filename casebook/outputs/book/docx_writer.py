"""Assemble one volume as a python-docx Document: cover, 前言, 目录, parts and cases.

Sections: cover | 扉页 and 版权页 (no page number) | 编委会, 前言 and 目录 (lower-case Roman numbers of
their own, or none: book.front_numbers) | per 篇: its 篇章页 (on a right-hand page, no folio) and
its cases (Arabic page numbers from 1 at the first 篇章页, centred in the footer; with book.case_start
right_page each case is a section of its own starting on an odd page, and with book.running_heads
each case is one with its heads: the case title or its 篇 on odd pages (book.running_heads_odd), the
volume's title on even ones, none on its first page); the 单位索引 and 后记 close the last section.
The 目录 is a table (or, book.toc_style leaders, lines of 名称 …… 页码) whose page numbers are
PAGEREF fields pointing at bookmarks on the 篇 headings and case titles; their cached values come
from a measured PDF when available, otherwise from an estimate, and the file then asks Word to
update its fields on opening (for_word; WPS updates them on demand, LibreOffice at export).
Titles that need more than one line are broken between words (titles.balanced_lines), and where the
editor put a break mark (config/title_marks.py).
"""

from __future__ import annotations

import copy
import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.parts.hdrftr import FooterPart, HeaderPart
from lxml import etree

from casebook.document import normalise_src
from casebook.inputs.fields import UNIT_INFO_KEYS
from casebook.model import Case, Collection, Photo
from casebook.outputs.book import body as body_mod
from casebook.outputs.book import images, ooxml, styles
from casebook.outputs.book.layout import TEXT_WIDTH_TWIPS, page_setup
from casebook.outputs.book.order import Part, method_of, parts
from casebook.outputs.book.titles import balanced_lines, keep_cuts, text_width, title_terms
from casebook.publish.sortkey import unit_key

BODY_START = "BodyStart"
FRONT_START = "FrontStart"  # the first page numbered in Roman (编委会 or 前言)
CHARS_PER_LINE = 27  # 15.6 cm at 16 pt
LINES_PER_PAGE = 20  # 22.7 cm at 31 pt
CAPTION_EMS = 30  # 15.6 cm at 14 pt, less a little
CN_DIGITS = "〇一二三四五六七八九"
BODY_PARAGRAPH = ooxml.paragraph_xml("Normal", "")[: -len("</w:p>")]  # how a body paragraph's XML text starts


def book_title(collection: Collection, year: int) -> str:
    return f"{collection.settings.title}（{year}年度）"


def bookmark_name(index: int) -> str:
    return f"Case{index:04d}"


def part_bookmark(index: int) -> str:
    return f"Part{index:02d}"


CELL_MARGINS_PT = 2 * 85 / ooxml.TWIPS_PER_PT  # left and right cell margins of ooxml.table
CELL_SLACK_PT = 4.0  # LibreOffice and Word measure a little differently
LEADER_MIN_EMS = 2.0  # room a unit's last line must leave for the 目录's dot leader
TOC_PAGE_EMS = 4.0  # room a title line of the lines 目录 leaves for its dots and page number
TOC_UNIT_INDENT_EMS = 2.0  # the unit under a title in the lines 目录, indented this much
LEADER_END = "\u2060"  # WORD JOINER after a leader's tab: invisible, and LibreOffice then draws the dots
BOARD_PAGES = ("board", "editorial-board")
AFTERWORD_PAGES = ("afterword",)


def chinese_year(year: int) -> str:
    return "".join(CN_DIGITS[int(d)] for d in str(year))


def roman(number: int) -> str:
    """Lower-case Roman numerals, as Word and LibreOffice number front matter pages."""
    out = ""
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while number >= value:
            out += letters
            number -= value
    return out


@dataclass
class TocEntry:
    number: int  # 0 for a 篇 or a chapter (编委会, 前言, 单位索引, 后记)
    case: Case | None  # None for a 篇 or a chapter
    bookmark: str
    estimate: int
    cached: list[etree._Element] = field(default_factory=list)  # the PAGEREF result texts
    name: str = ""  # a chapter's heading
    front: bool = False  # numbered in Roman from FRONT_START (编委会, 前言)

    def shown(self, page: int) -> str:
        return roman(page) if self.front else str(page)


@dataclass(frozen=True)
class Fit:
    """How a photo is placed (from a measured proof, see proof.fit_figures): scaled to scale × its
    full size, and after the next `after` body paragraphs rather than where the text names it."""

    scale: float = 1.0
    after: int = 0


@dataclass
class Figure:
    key: str  # "<case bookmark>/<photo file>", the name a Fit is given under
    caption: str
    width_cm: float  # on the page, with its Fit
    height_cm: float
    fit: Fit = Fit()


@dataclass
class Volume:
    document: Document
    title: str
    entries: list[TocEntry]
    parts: list[Part]
    fragments: ooxml.Fragments
    problems: list[str] = field(default_factory=list)
    part_entries: list[TocEntry] = field(default_factory=list)
    outline_fixes: dict[str, str] = field(default_factory=dict)  # bookmark text as exported → as meant
    chapter_entries: list[TocEntry] = field(default_factory=list)  # 编委会, 前言, 单位索引, 后记 in the 目录
    figures: list[Figure] = field(default_factory=list)  # every photo, in the order of the volume

    @property
    def marks(self) -> list[TocEntry]:
        """Every bookmark whose page the 目录 and the 单位索引 print."""
        return self.chapter_entries + self.part_entries + self.entries

    def set_pages(self, pages: dict[str, int]) -> None:
        """Write the cached values of the 目录's and the 单位索引's PAGEREF fields (pages as numbers;
        the front matter's shown in Roman)."""
        for entry in self.marks:
            value = entry.shown(pages.get(entry.bookmark, entry.estimate))
            for node in entry.cached:
                node.text = value


class _Writer:
    def __init__(
        self,
        document: Document,
        collection: Collection,
        year: int,
        edition: str,
        cache: Path | None,
        fits: dict[str, Fit] | None = None,
        for_word: bool = False,
    ):
        self.document = document
        self.for_word = for_word  # no PDF measures the pages: Word is to update the 目录 on opening
        self.fits = fits or {}
        self.case_mark = ""  # the bookmark of the case being written (a Figure's key starts with it)
        self.deferred: dict[int, int] = {}
        self.figures: list[Figure] = []
        self.chapter_entries: list[TocEntry] = []
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
        self.part_entries: list[TocEntry] = []
        self.outline_fixes: dict[str, str] = {}
        self.headers: dict[str, str] = {}  # running head text → its header part's relationship id
        self.header_template: etree._Element | None = None  # an empty header's root element
        self.partnames: set[str] = set()  # of the package, once a header has been made
        self.rid_floor = 1  # no relationship id below it is free (relate_new)
        self.header_floor = 1  # nor a header part name below /word/header<n>.xml (new_header)
        names = [c.unit for c in collection.cases] + list(collection.settings.rules.get("themes") or [])
        self.terms = title_terms(n for n in names if isinstance(n, str))

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

    def para_xml(self, style: str, text: str, *, label: str = "") -> str:
        """para(style, text) as the XML lxml writes for it, after a bold label in 黑体 if any: the
        paragraphs under a case title cost no element per run."""
        runs = ooxml.element_run_xml(label, bold=True, all_fonts=styles.HEI) if label else ""
        font = self.fonts.get(style)
        for piece in body_mod.QUOTES.split(body_mod.clean_text(text)):
            if piece:
                runs += ooxml.element_run_xml(piece, all_fonts=font if piece[0] in "“”‘’" else None)
        return ooxml.paragraph_xml(style, runs)

    def lines_text(self, p: etree._Element, lines: list[str], style: str) -> None:
        for index, line in enumerate(lines):
            if index:
                p.append(ooxml.line_break())
            self.text_runs(p, line, style)

    def heading_lines(
        self, p: etree._Element, text: str, style: str, width: float = 20.0, breaks: tuple[int, ...] = ()
    ) -> None:
        """A heading broken between words (and where the editor forced it: breaks); LibreOffice turns
        each break into a space in the PDF's bookmarks, so the joined text is remembered for
        pdf.fix_outline."""
        lines = balanced_lines(text, width, self.terms, breaks)
        if len(lines) > 1:
            self.outline_fixes[" ".join(body_mod.clean_text(line) for line in lines)] = body_mod.clean_text(text)
        self.lines_text(p, lines, style)

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
        if self.for_word:
            ooxml.set_update_fields(self.document.settings.element)
        self.prepare_photos(the_parts)
        self.cover()
        self.title_pages()
        entries = self.plan(the_parts)
        self.front(entries, the_parts)
        self.cases(entries, the_parts)
        self.unit_index(entries)
        self.content_chapter(AFTERWORD_PAGES, "后记", entry=self.chapter_entry("Afterword"))
        keep_cuts()  # the next build of these texts needs no jieba
        return Volume(
            self.document,
            book_title(self.collection, self.year),
            entries,
            the_parts,
            self.fragments,
            self.problems,
            self.part_entries,
            self.outline_fixes,
            self.chapter_entries,
            self.figures,
        )

    def prepare_photos(self, the_parts: list[Part]) -> None:
        paths = [photo.path for part in the_parts for case in part.cases for photo in case.photos]
        self.prepared = images.prepare_all([p for p in paths if p.is_file()], self.cache, self.problems)

    def plan(self, the_parts: list[Part]) -> list[TocEntry]:
        """The 目录's rows with estimated pages: the chapters before the 目录 (编委会, 前言: Roman,
        counted from the first of them), the 篇 and their cases, the 单位索引 and the 后记."""
        front = 1
        board = self.collection.page(*BOARD_PAGES)
        if board is not None and board.body.strip():
            self.chapter_entries.append(TocEntry(0, None, "Board", front, name=board.title or "编委会", front=True))
            front += self.estimate_text_pages(board.body)
        preface = self.preface()
        if preface is not None:
            self.chapter_entries.append(TocEntry(0, None, "Preface", front, name=preface[0], front=True))
        entries, page = [], 1
        number = 0
        for index, part in enumerate(the_parts, 1):
            page += page % 2 == 0  # the part's own page, a right-hand one
            self.part_entries.append(TocEntry(0, None, part_bookmark(index), page))
            page += 1
            for case in part.cases:
                number += 1
                if self.right_page:  # on a right-hand page: the verso after the 篇章页 or a case stays blank
                    page += page % 2 == 0
                entries.append(TocEntry(number, case, bookmark_name(number), page))
                page += self.estimate_pages(case)
        if self.collection.settings.book.unit_index and entries:
            self.chapter_entries.append(TocEntry(0, None, "UnitIndex", page, name="单位索引"))
            page += max(1, math.ceil(len({e.case.unit for e in entries}) * 1.5 / LINES_PER_PAGE))
        afterword = self.collection.page(*AFTERWORD_PAGES)
        if afterword is not None and afterword.body.strip():
            self.chapter_entries.append(TocEntry(0, None, "Afterword", page, name=afterword.title or "后记"))
        return entries

    def chapter_entry(self, bookmark: str) -> TocEntry | None:
        return next((e for e in self.chapter_entries if e.bookmark == bookmark), None)

    @staticmethod
    def estimate_text_pages(text: str) -> int:
        lines = 3 + sum(math.ceil(len(block) / CHARS_PER_LINE) for block in text.split("\n") if block.strip())
        return max(1, math.ceil(lines / LINES_PER_PAGE))

    def estimate_pages(self, case: Case) -> int:
        text = case.body + (case.summary if self.show_summary else "")
        lines = 4 + sum(math.ceil(len(block) / CHARS_PER_LINE) for block in text.split("\n") if block.strip())
        lines += 15 * len(case.photos)
        return max(1, math.ceil(lines / LINES_PER_PAGE))

    @property
    def right_page(self) -> bool:
        """book.case_start: right_page (each case a section of its own starting on an odd page)."""
        return self.collection.settings.book.case_start == "right_page"

    @property
    def running_heads(self) -> bool:
        return self.collection.settings.book.running_heads

    def odd_head(self, part: Part, case: Case) -> str:
        """The odd pages' running head (book.running_heads_odd): the case's short title or its 篇."""
        return part.name if self.collection.settings.book.running_heads_odd == "part" else short_title(case.title)

    @property
    def even_head(self) -> str:
        """The even pages' running head: the volume's title, without its year when that is too wide."""
        title = book_title(self.collection, self.year)
        if text_width(title) <= RUNNING_HEAD_EMS:
            return title
        return short_title(self.collection.settings.title)

    @property
    def show_summary(self) -> bool:
        return self.collection.settings.book.summary

    def cover(self) -> None:
        settings = self.collection.settings
        title = self.para("CoverTitle")
        self.lines_text(title, balanced_lines(settings.title, 12, self.terms, settings.title_breaks), "CoverTitle")
        self.para("CoverYear", f"（{self.year}年度）")
        if self.edition == "internal":
            self.para("CoverLine", "（组织方版  内部资料  含联系方式  请勿公开）")
        if settings.organiser:
            self.para("CoverLine", settings.organiser)
        last = self.para("CoverLine", self.date_line)
        self.end_section(last, page_setup())

    @property
    def date_line(self) -> str:
        return self.collection.settings.book.date or f"{chinese_year(self.year)}年"

    def title_pages(self) -> None:
        """扉页 (on a right-hand page) and, on its back, the 版权页 when an ISBN or a 准印证号 is set."""
        settings = self.collection.settings
        title = self.para("TitlePageTitle", first_in_section=True)
        lines = balanced_lines(settings.title, 14, self.terms, settings.title_breaks)
        self.lines_text(title, lines, "TitlePageTitle")
        last = self.para("TitlePageLine", f"（{self.year}年度）")
        if settings.organiser:
            last = self.para("TitlePageLine", settings.organiser)
        last = self.para("TitlePageLine", self.date_line)
        lines = self.colophon_lines()
        if lines:
            for index, line in enumerate(lines):
                last = self.para("Colophon", line)
                if index == 0:
                    last.find(ooxml.w("pPr")).append(ooxml.el("pageBreakBefore"))
        self.end_section(last, page_setup(start="oddPage"))

    def colophon_lines(self) -> list[str]:
        """The 版权页: ISBN and CIP as given, or the 内部资料 block; nothing without either."""
        settings, book = self.collection.settings, self.collection.settings.book
        lines = [f"书名：{book_title(self.collection, self.year)}"]
        if settings.organiser:
            lines.append(f"编印单位：{settings.organiser}")
        if book.editor:
            lines.append(f"主编：{book.editor}")
        if book.printer:
            lines.append(f"印刷单位：{book.printer}")
        if book.copies:
            lines.append(f"印数：{book.copies}")
        lines.append(f"印刷日期：{self.date_line}")
        if book.isbn:
            cip = [line.strip() for line in book.cip.splitlines() if line.strip()]
            return cip + lines + [f"ISBN {book.isbn}"]
        if book.permit:
            return lines + [f"准印证号：{book.permit}", "内部资料，免费交流"]
        return []

    def front(self, entries: list[TocEntry], the_parts: list[Part]) -> None:
        first = not self.content_chapter(
            BOARD_PAGES, "编委会", first_in_section=True, entry=self.chapter_entry("Board"), front=True
        )
        preface = self.preface()
        if preface is not None:
            heading, text = preface
            p = self.para("Chapter", heading, first_in_section=first)
            self.mark_chapter(p, self.chapter_entry("Preface"), front=first)
            first = False
            self.add_blocks(self.renderer.render(text, lambda _src: []))
        p = self.para("Chapter", "目录", first_in_section=first)
        if first:
            self.bookmark(p, FRONT_START)
        if self.leader_toc:
            for line in self.toc_lines(entries, the_parts):
                self.add(line)
        else:
            self.add(self.toc_table(entries, the_parts))
        closing = self.closing()
        if self.collection.settings.book.front_numbers == "roman":
            footer = self.footer_rid()
            even = {"footers": {"even": footer}} if self.running_heads else {}  # evenAndOddHeaders: see cases
            sect = page_setup(start="oddPage", footer_rid=footer, page_start=1, page_format="lowerRoman", **even)
        else:
            sect = page_setup(start="oddPage")
        self.end_section(closing, sect)

    def closing(self) -> etree._Element:
        """An empty paragraph of one point to carry a section break after a table or a fragment."""
        closing = self.para("TableText")
        ooxml.set_spacing(closing.find(ooxml.w("pPr")), 1)
        return closing

    def content_chapter(
        self,
        names: tuple[str, ...],
        default: str,
        *,
        first_in_section: bool = False,
        entry: TocEntry | None = None,
        front: bool = False,
    ) -> bool:
        """A chapter from content/<name>.md (编委会, 后记); False when there is no such page."""
        page = self.collection.page(*names)
        if page is None or not page.body.strip():
            return False
        p = self.para("Chapter", page.title or default, first_in_section=first_in_section)
        self.mark_chapter(p, entry, front=front)
        self.add_blocks(self.renderer.render(page.body, lambda _src: []))
        return True

    def mark_chapter(self, p: etree._Element, entry: TocEntry | None, *, front: bool = False) -> None:
        """The bookmarks of a chapter heading: its 目录 row's, and FRONT_START on the first front page."""
        if front:
            self.bookmark(p, FRONT_START)
        if entry is not None:
            self.bookmark(p, entry.bookmark)

    def preface(self) -> tuple[str, str] | None:
        page = self.collection.page(f"preface-{self.year}", "preface")
        if page is None:
            return None
        return page.title or "前言", page.body

    def toc_columns(self, entries: list[TocEntry]) -> tuple[list[str], list[int], float]:
        """Headers, widths in twips and the font size. The public 目录's 申报单位 column is as wide as
        its longest name needs to wrap into two balanced lines (or one, when that fits)."""
        if self.edition == "internal":
            headers = ["序号", "案例名称", "申报单位", "联系人", "联系方式", "页码"]
            widths_cm = [1.3, 4.3, 3.4, 1.6, 3.8, 1.2]
            total = sum(widths_cm)
            widths = [int(TEXT_WIDTH_TWIPS * cm / total) for cm in widths_cm]
            widths[-1] += TEXT_WIDTH_TWIPS - sum(widths)
            return headers, widths, styles.BY_ID["TocSmall"].size
        size = styles.BY_ID["TocText"].size
        pad = CELL_MARGINS_PT + CELL_SLACK_PT

        def twips(ems: float) -> int:
            return int(round((ems * size + pad) * ooxml.TWIPS_PER_PT))

        number = page = twips(2.5)
        rest = TEXT_WIDTH_TWIPS - number - page
        longest = max((text_width(e.case.unit) for e in entries), default=4.0)
        unit_ems = longest if twips(longest) <= 0.42 * rest else min(max(longest / 2 + 1, 6.0), 10.0)
        unit = twips(unit_ems)
        return ["序号", "案例名称", "申报单位", "页码"], [number, rest - unit, unit, page], size

    @staticmethod
    def capacity(width_twips: int, size: float) -> float:
        """How many ems of text a cell of this width holds."""
        return (width_twips / ooxml.TWIPS_PER_PT - CELL_MARGINS_PT - CELL_SLACK_PT) / size

    def toc_table(self, entries: list[TocEntry], the_parts: list[Part]) -> etree._Element:
        headers, widths, size = self.toc_columns(entries)
        tbl = ooxml.table(widths)
        small = self.edition == "internal"  # six columns need a smaller size
        text, head = ("TocSmall", "TocHeadSmall") if small else ("TocText", "TocHead")
        title_ems, unit_ems = self.capacity(widths[1], size), self.capacity(widths[2], size)
        ooxml.table_row(tbl, [[self.cell(head, h)] for h in headers], header=True)
        for chapter in (e for e in self.chapter_entries if e.front):
            self.chapter_row(tbl, chapter, len(widths))
        by_case = {id(e.case): e for e in entries}
        for part, part_entry in zip(the_parts, self.part_entries, strict=True):
            page_cell = self.page_cell("TocPart", part_entry)
            name = [self.leader(self.cell("TocPart", part.name), sum(widths[:-1]))]
            ooxml.table_row(tbl, [name, [page_cell]], spans=[len(widths) - 1, 1], keep_next=True)
            for case in part.cases:
                entry = by_case[id(case)]
                title = case.title + ("（不公开）" if small and not case.public else "")
                row = [[self.cell(text, str(entry.number), center=True)]]
                row.append([self.cell_lines(text, balanced_lines(title, title_ems, self.terms))])
                unit_lines = balanced_lines(case.unit, unit_ems, self.terms)
                unit_cell = self.cell_lines(text, unit_lines)
                room = unit_ems - text_width(unit_lines[-1])
                if not small and room >= LEADER_MIN_EMS:  # never a line of dots alone
                    self.leader(unit_cell, widths[2])
                row.append([unit_cell])
                if self.edition == "internal":
                    name, ways = contact_cells(case)
                    row.append([self.cell(text, name)])
                    row.append([self.cell(text, line) for line in ways] or [self.cell(text, "")])
                row.append([self.page_cell(text, entry)])
                ooxml.table_row(tbl, row)
        for chapter in (e for e in self.chapter_entries if not e.front):
            self.chapter_row(tbl, chapter, len(widths))
        return tbl

    @property
    def leader_toc(self) -> bool:
        """book.toc_style leaders (the organisers' 目录 keeps its contact columns: always a table)."""
        return self.collection.settings.book.toc_style == "leaders" and self.edition != "internal"

    def toc_lines(self, entries: list[TocEntry], the_parts: list[Part]) -> list[etree._Element]:
        """The 目录 as lines (book.toc_style leaders): 篇, chapters and cases as 名称 …… 页码, each case's
        unit on a line of its own under its title."""
        size = styles.BY_ID["TocText"].size
        title_ems = TEXT_WIDTH_TWIPS / ooxml.TWIPS_PER_PT / size - TOC_PAGE_EMS
        lines = [self.leader_line("TocPart", [e.name], e) for e in self.chapter_entries if e.front]
        by_case = {id(e.case): e for e in entries}
        for part, part_entry in zip(the_parts, self.part_entries, strict=True):
            lines.append(self.leader_line("TocPart", [part.name], part_entry, keep_next=True))
            for case in part.cases:
                title = balanced_lines(case.title, title_ems, self.terms)
                lines.append(self.leader_line("TocText", title, by_case[id(case)], keep_next=True))
                lines.append(self.toc_unit(case.unit, title_ems - TOC_UNIT_INDENT_EMS))
        lines += [self.leader_line("TocPart", [e.name], e) for e in self.chapter_entries if not e.front]
        return lines

    def leader_line(self, style: str, lines: list[str], entry: TocEntry, *, keep_next: bool = False) -> etree._Element:
        """名称 …… 页码: the name's lines, then a tab to a right tab stop with a dot leader at the text's
        right edge, then the page (none for front matter left unnumbered)."""
        p = ooxml.paragraph(style, keep_next=keep_next)
        self.lines_text(p, lines, style)
        if entry.front and self.collection.settings.book.front_numbers != "roman":
            return p
        tabs = ooxml.child(p.find(ooxml.w("pPr")), "tabs", ooxml.PPR_ORDER)
        tabs.append(ooxml.el("tab", {"val": "right", "leader": "dot", "pos": TEXT_WIDTH_TWIPS}))
        run = ooxml.el("r")
        run.append(ooxml.el("tab"))
        p.append(run)
        self.page_ref(p, entry)
        return p

    def toc_unit(self, unit: str, width_ems: float) -> etree._Element:
        """A case's unit under its title in the lines 目录: smaller, indented, broken between words."""
        p = ooxml.paragraph("TocSmall")
        props = p.find(ooxml.w("pPr"))
        indent = int(round(TOC_UNIT_INDENT_EMS * styles.BY_ID["TocSmall"].size * ooxml.TWIPS_PER_PT))
        ooxml.child(props, "ind", ooxml.PPR_ORDER).set(ooxml.w("left"), str(indent))
        self.lines_text(p, balanced_lines(unit, width_ems, self.terms), "TocSmall")
        return p

    def chapter_row(self, tbl: etree._Element, entry: TocEntry, columns: int) -> None:
        """A chapter's row, laid out as a 篇's: its name over the first columns, its page (none when
        the front matter is not numbered)."""
        numbered = not entry.front or self.collection.settings.book.front_numbers == "roman"
        page = self.page_cell("TocPart", entry) if numbered else self.cell("TocPart", "", center=True)
        name = self.cell("TocPart", entry.name)
        if numbered:
            widths = [int(g.get(ooxml.w("w"))) for g in tbl.find(ooxml.w("tblGrid"))]
            self.leader(name, sum(widths[:-1]))
        ooxml.table_row(tbl, [[name], [page]], spans=[columns - 1, 1])

    def leader(self, p: etree._Element, cell_twips: int) -> etree._Element:
        """book.toc_leaders: a right tab with a dot leader at the cell's inner edge, and the tab, so
        dots run from the text's last line to the page column."""
        if not self.collection.settings.book.toc_leaders:
            return p
        position = cell_twips - int(round((CELL_MARGINS_PT + CELL_SLACK_PT) * ooxml.TWIPS_PER_PT))
        tabs = ooxml.child(p.find(ooxml.w("pPr")), "tabs", ooxml.PPR_ORDER)
        tabs.append(ooxml.el("tab", {"val": "right", "leader": "dot", "pos": position}))
        run = ooxml.el("r")
        run.append(ooxml.el("tab"))
        text = ooxml.el("t")
        text.text = LEADER_END  # LibreOffice draws a tab's leader only when something follows the tab
        run.append(text)
        p.append(run)
        return p

    def page_cell(self, style: str, entry: TocEntry) -> etree._Element:
        page_cell = self.cell(style, "", center=True)
        self.page_ref(page_cell, entry)
        return page_cell

    def page_ref(self, p: etree._Element, entry: TocEntry) -> None:
        """The page of entry as a PAGEREF field with its cached value; a front matter page as plain text
        for LibreOffice (it prints a PAGEREF to a Roman page in Arabic digits, \\* roman ignored), as a
        Roman PAGEREF for Word when no PDF measured it (for_word: Word updates it on opening)."""
        if entry.front and not self.for_word:
            entry.cached.append(ooxml.add_run(p, entry.shown(entry.estimate)).find(ooxml.w("t")))
            return
        roman_switch = " \\* roman" if entry.front else ""
        runs = ooxml.field(f"PAGEREF {entry.bookmark} \\h{roman_switch}", entry.shown(entry.estimate))
        p.extend(runs)
        entry.cached.append(runs[3].find(ooxml.w("t")))

    def cell_lines(self, style: str, lines: list[str]) -> etree._Element:
        p = self.cell(style, "")
        self.lines_text(p, lines, style)
        return p

    def cell(self, style: str, text: str, center: bool = False) -> etree._Element:
        p = ooxml.paragraph(style)
        if center:
            p.find(ooxml.w("pPr")).append(ooxml.el("jc", {"val": "center"}))
        if text:
            self.text_runs(p, text, style)
        return p

    def header_rid(self, text: str) -> str:
        """A header part with one centred line in 宋体 10.5 pt over a thin rule (empty text: an empty
        header, which a section needs so as not to show the previous section's); one part per text."""
        if text in self.headers:
            return self.headers[text]
        part = self.new_header()
        root = part.element
        p = ooxml.paragraph("PageNumber")
        if text:
            props = p.find(ooxml.w("pPr"))
            border = ooxml.child(props, "pBdr", ooxml.PPR_ORDER)
            border.append(ooxml.el("bottom", {"val": "single", "sz": 4, "space": 1, "color": "auto"}))
            run = ooxml.add_run(p, body_mod.clean_text(text), all_fonts=styles.SONG)
            run_props = ooxml.rpr(run)
            ooxml.set_size(run_props, RUNNING_HEAD_PT)
        root.append(p)
        self.headers[text] = self.relate_new(part, RT.HEADER)
        return self.headers[text]

    def relate_new(self, part: HeaderPart, reltype: str) -> str:
        """The document's relationship to a part just made, with the rId relate_to would give (the
        lowest free one), without relate_to's search of every relationship for one to that part."""
        rels = self.document.part.rels
        # relationships are only added while a volume is written: the lowest free number only grows
        self.rid_floor = next(n for n in itertools.count(self.rid_floor) if f"rId{n}" not in rels)
        rid = f"rId{self.rid_floor}"
        rels.add_relationship(reltype, part, rid)
        return rid

    def new_header(self) -> HeaderPart:
        """An empty header part named as HeaderPart.new names it (the lowest free /word/header<n>.xml),
        without its walk over every part of the package for each new one (a header per case)."""
        package = self.document.part.package
        if self.header_template is None:
            first = HeaderPart.new(package)
            for node in list(first.element):
                first.element.remove(node)
            self.header_template = copy.deepcopy(first.element)
            self.partnames = {str(part.partname) for part in package.iter_parts()} | {str(first.partname)}
            return first
        self.header_floor = next(
            n for n in itertools.count(self.header_floor) if f"/word/header{n}.xml" not in self.partnames
        )
        name = f"/word/header{self.header_floor}.xml"
        self.partnames.add(name)
        return HeaderPart(PackURI(name), CT.WML_HEADER, copy.deepcopy(self.header_template), package)

    def footer_rid(self, *, empty: bool = False) -> str:
        """A footer with the centred page number, or an empty one (篇章页: a section without a footer
        of its own would show the previous one)."""
        part = FooterPart.new(self.document.part.package)
        root = part.element
        for node in list(root):
            root.remove(node)
        p = ooxml.paragraph("PageNumber")
        if empty:
            root.append(p)
            return self.document.part.relate_to(part, RT.FOOTER)
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
        """Per 篇: a section of its own for the 篇章页 (right-hand, no folio), then one for its cases, or
        one per case (book.case_start right_page: each on an odd page; book.running_heads: each with
        its title or its 篇 in the odd pages' head, the volume's title in the even pages', none on its
        first page). With
        running heads the 单位索引 and 后记 get a section of their own without heads."""
        rid, empty = self.footer_rid(), self.footer_rid(empty=True)
        start = "oddPage" if self.right_page else "nextPage"
        heads = self.running_heads
        own_sections = self.right_page or heads
        if heads:
            ooxml.set_even_and_odd_headers(self.document.settings.element)
            no_heads = self.header_rid("")
            blank = {"headers": {"default": no_heads, "even": no_heads, "first": no_heads}}
        else:
            blank = {}

        def numbered(**more: object) -> etree._Element:
            if not heads:
                return page_setup(start=start, footer_rid=rid)
            return page_setup(start=start, footer_rid=rid, footers={"even": rid, "first": rid}, **more)

        def case_sect(part: Part, case: Case) -> etree._Element:
            if not heads:
                return numbered()
            odd, even = self.header_rid(self.odd_head(part, case)), self.header_rid(self.even_head)
            return numbered(headers={"default": odd, "even": even, "first": no_heads}, title_page=True)

        by_case = {id(e.case): e for e in entries}
        pending = numbered()  # the sectPr of the section being written, placed where it ends
        for index, (part, part_entry) in enumerate(zip(the_parts, self.part_entries, strict=True)):
            if index:
                self.end_section(self.closing(), pending)
            heading = self.para("CasePart", first_in_section=True)
            self.heading_lines(heading, part.name, "CasePart", 12)
            if index == 0:
                self.bookmark(heading, BODY_START)
            self.bookmark(heading, part_entry.bookmark)
            part_sect = page_setup(
                start="oddPage",
                footer_rid=empty,
                page_start=1 if index == 0 else None,
                **({"footers": {"even": empty}, **blank} if heads else {}),
            )
            self.end_section(heading, part_sect)
            for number, case in enumerate(part.cases):
                if number and own_sections:  # the case before ends its section
                    self.end_section(self.closing(), pending)
                if own_sections or number == 0:
                    pending = case_sect(part, case)
                self.case(case, by_case[id(case)], first_in_section=number == 0 or own_sections)
        back_matter = any(not e.front for e in self.chapter_entries)
        if heads and back_matter and the_parts:
            self.end_section(self.closing(), pending)
            pending = numbered(**blank)
        self.body.remove(self.final_sect)
        self.final_sect = pending
        self.body.append(self.final_sect)

    def case(self, case: Case, entry: TocEntry, *, first_in_section: bool = False) -> None:
        title = self.para("Title", first_in_section=first_in_section)
        self.heading_lines(title, case.title, "Title", breaks=case.title_breaks)
        self.bookmark(title, entry.bookmark)
        head = [self.para_xml("Unit", case.unit)]  # written as text, joined to the body's fragment
        if case.authors:
            head.append(self.para_xml("Authors", "执笔人：" + "、".join(case.authors)))
        info = unit_info_text(case)
        if self.edition == "internal" and info:  # the form's 单位/班组基本情况: for the organisers
            label = self.collection.profile.unit_info_label or "单位基本情况"
            head.append(self.para_xml("Summary", info, label=f"{label}："))
        if self.show_summary and case.summary.strip():
            label = self.collection.profile.summary.label or "案例概要"
            head.append(self.para_xml("Summary", case.summary.strip(), label=f"{label}："))
        photos = {photo.file: photo for photo in case.photos}
        self.case_mark = entry.bookmark
        self.deferred: dict[int, int] = {}  # id(picture paragraph) → body paragraphs to let flow first
        blocks = self.renderer.render(case.body, lambda src: self.picture(photos.get(normalise_src(src))))
        for photo in case.photos:
            if photo.file not in self.renderer.placed:
                blocks.extend(self.picture(photo))
        self.add_blocks(head + self.flowed(blocks))

    def flowed(self, blocks: list[body_mod.Block]) -> list[body_mod.Block]:
        """Blocks with each deferred photo (and its caption) moved after the next `after` body
        paragraphs, as a float would let the text flow up before it; at the end of the case at most."""
        if not self.deferred:
            return blocks
        out: list[body_mod.Block] = []
        waiting: list[list] = []  # [paragraphs still to pass, picture, caption]
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if not isinstance(block, str) and id(block) in self.deferred and index + 1 < len(blocks):
                waiting.append([self.deferred[id(block)], block, blocks[index + 1]])
                index += 2
                continue
            out.append(block)
            if isinstance(block, str) and block.startswith(BODY_PARAGRAPH):
                for item in waiting:
                    item[0] -= 1
                out.extend(node for item in waiting if item[0] <= 0 for node in item[1:])
                waiting = [item for item in waiting if item[0] > 0]
            index += 1
        out.extend(node for item in waiting for node in item[1:])
        return out

    def picture(self, photo: Photo | None) -> list[etree._Element]:
        if photo is None or photo.path not in self.prepared:
            return []
        prepared = self.prepared[photo.path]
        key = f"{self.case_mark}/{photo.file}"
        fit = self.fits.get(key, Fit())
        holder = ooxml.paragraph("Picture", keep_next=True)
        r = ooxml.el("r")
        drawing = ooxml.el("drawing")
        caption_text = body_mod.clean_text(photo.caption)
        drawing.append(self.store.inline(prepared, photo.file, caption_text, scale=fit.scale))
        r.append(drawing)
        holder.append(r)
        caption = ooxml.paragraph("PictureCaption")
        self.lines_text(caption, balanced_lines(photo.caption, CAPTION_EMS, self.terms), "PictureCaption")
        width, height = prepared.display_cm()
        self.figures.append(Figure(key, caption_text, width * fit.scale, height * fit.scale, fit))
        if fit.after:
            self.deferred[id(holder)] = fit.after
        return [holder, caption]

    def unit_index(self, entries: list[TocEntry]) -> None:
        """单位索引: every unit of the volume in the shared sort order, with the pages of its cases."""
        if not self.collection.settings.book.unit_index or not entries:
            return
        self.mark_chapter(self.para("Chapter", "单位索引"), self.chapter_entry("UnitIndex"))
        by_unit: dict[str, list[TocEntry]] = {}
        for entry in entries:
            by_unit.setdefault(entry.case.unit, []).append(entry)
        method = method_of(self.collection)
        size = styles.BY_ID["TocText"].size
        pages = int(round((6 * size + CELL_MARGINS_PT + CELL_SLACK_PT) * ooxml.TWIPS_PER_PT))
        tbl = ooxml.table([TEXT_WIDTH_TWIPS - pages, pages], borders=False)
        for unit in sorted(by_unit, key=lambda u: (unit_key(u, method), u)):
            cell = self.cell("TocText", "")
            for index, entry in enumerate(by_unit[unit]):
                if index:
                    ooxml.add_run(cell, "、")
                self.page_ref(cell, entry)
            name = self.cell_lines(
                "TocText", balanced_lines(unit, self.capacity(TEXT_WIDTH_TWIPS - pages, size), self.terms)
            )
            ooxml.table_row(tbl, [[name], [cell]])
        self.add(tbl)
        self.closing()


RUNNING_HEAD_PT = 10.5
RUNNING_HEAD_EMS = 26  # what a running head may take of the 15.6 cm line at 10.5 pt (about half)


def short_title(title: str) -> str:
    """A case title as the odd pages' running head: whole when it is short; else the main title
    before a subtitle dash; else its first part, cut at a word or punctuation boundary."""
    text = " ".join(title.split())
    if text_width(text) <= RUNNING_HEAD_EMS:
        return text
    for dash in ("——", "—", "－－", "--"):
        if dash in text and text.index(dash) >= 4:
            text = text[: text.index(dash)].strip()
            break
    if text_width(text) <= RUNNING_HEAD_EMS:
        return text
    for mark in "：:，,、；;":  # a title's first clause, when it says enough
        head = text.split(mark, 1)[0].strip()
        if 6 <= text_width(head) <= RUNNING_HEAD_EMS:
            return head
    return balanced_lines(text, RUNNING_HEAD_EMS)[0].rstrip("，、：；,:;") + "……"


def unit_info_text(case: Case) -> str:
    """单位性质：民营企业；职工人数：32人；所属行业：纺织业 (the declared keys that are filled in)."""
    shown = []
    for key, label in UNIT_INFO_KEYS.items():
        value = case.unit_info.get(key)
        if value is None or isinstance(value, (dict, list)) or not str(value).strip():
            continue
        text = str(value).strip()
        shown.append(f"{label}：{text}人" if key == "employees" and text.isdigit() else f"{label}：{text}")
    return "；".join(shown)


def contact_cells(case: Case) -> tuple[str, list[str]]:
    contact = case.contact
    if contact is None:
        return "", []
    name = contact.name
    ways = [v for v in (contact.mobile, contact.phone, contact.email) if v]
    return name, ways


def build(
    document: Document,
    collection: Collection,
    year: int,
    edition: str,
    cache: Path | None = None,
    fits: dict[str, Fit] | None = None,
    *,
    for_word: bool = False,
) -> Volume:
    """Fill the reference document with one year's volume of the given edition's collection; fits:
    the photos to place otherwise than at full size where the text names them (Figure.key → Fit);
    for_word: no PDF will measure the pages, so the file asks Word to update its fields on opening."""
    return _Writer(document, collection, year, edition, cache, fits, for_word).write()
