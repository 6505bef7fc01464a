"""The built PDF read as an editor reads the proof: every text line with its bounding box
(`pdftotext -bbox-layout`, poppler) and the pictures per page (`pdfimages -list`); from it, how the
photos that did not fit the rest of a page are to be placed in the next build (fit_figures), and the
checks of the proof tests (half-empty pages, widows, lone last characters)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from casebook.outputs.book import layout, styles
from casebook.outputs.book.docx_writer import Figure, Fit, Volume

PT_PER_CM = 72 / 2.54
TOP_PT = layout.MARGINS_CM["top"] * PT_PER_CM
TEXT_HEIGHT_PT = layout.TEXT_HEIGHT_CM * PT_PER_CM
BOTTOM_PT = TOP_PT + TEXT_HEIGHT_PT
LEFT_PT = layout.MARGINS_CM["left"] * PT_PER_CM
RIGHT_PT = LEFT_PT + layout.TEXT_WIDTH_CM * PT_PER_CM
EMPTY_LIMIT = 0.4  # a page inside a case may be left at most this much of its text height empty
MIN_SCALE = 0.6  # a photo is scaled down to fit no further than this part of its size
CAPTION_LINE_PT = styles.BY_ID["PictureCaption"].line or 24.0
PICTURE_BEFORE_PT = styles.BY_ID["Picture"].before
CAPTION_AFTER_PT = styles.BY_ID["PictureCaption"].after
SLACK_PT = 10.0  # LibreOffice's line box around an inline picture, and rounding
HEAD_GAP_PT = 6.0  # a line ending this far above the text area is the running head


@dataclass
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Page:
    number: int  # physical, from 1
    lines: list[Line] = field(default_factory=list)  # inside the text area, top to bottom
    folio: str = ""  # the text below the text area
    images: int = 0
    head: str = ""  # the running head, above the text area

    def empty_part(self) -> float:
        """How much of the text height is left below the last line (1.0 for a page without text)."""
        if not self.lines:
            return 1.0
        return max(0.0, (BOTTOM_PT - self.lines[-1].y1) / TEXT_HEIGHT_PT)


_LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S)
_WORD = re.compile(r"<word[^>]*>(.*?)</word>", re.S)
_SPACE = re.compile(r"\s+")


def available() -> bool:
    return shutil.which("pdftotext") is not None and shutil.which("pdfimages") is not None


def squeeze(text: str) -> str:
    return _SPACE.sub("", text)


def read(pdf: Path) -> list[Page]:
    """Every page's lines (one per line box: the book's exact line spacing makes each its own block)."""
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for number, chunk in enumerate(html.split("<page ")[1:], 1):
        page = Page(number)
        for match in _LINE.finditer(chunk):
            x0, y0, x1, y1 = (float(v) for v in match.groups()[:4])
            text = "".join(unescape(word) for word in _WORD.findall(match.group(5)))
            if y0 > BOTTOM_PT:
                page.folio = (page.folio + " " + text).strip()
            elif y1 < TOP_PT - HEAD_GAP_PT:
                page.head = (page.head + " " + text).strip()
            else:
                page.lines.append(Line(x0, y0, x1, y1, text))
        page.lines.sort(key=lambda line: (round(line.y0, 1), line.x0))
        pages.append(page)
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    for row in listing.splitlines()[2:]:
        cells = row.split()
        if len(cells) > 2 and cells[0].isdigit() and cells[2] == "image" and int(cells[0]) <= len(pages):
            pages[int(cells[0]) - 1].images += 1
    return pages


@dataclass(frozen=True)
class Placed:
    """Where a figure was found: its caption's first line on a physical page, and whether the picture
    opens the page (nothing above it)."""

    figure: Figure
    page: int  # index into the pages
    caption_top: float
    opens_page: bool
    caption_lines: int


def is_caption_line(line: Line) -> bool:
    return abs(line.height - 14 * 1.3) < 1.5  # the 14 pt captions (body lines are 16 pt: 20.8)


def locate(pages: list[Page], figures: list[Figure], first: int = 0) -> list[Placed]:
    """Each figure's caption, searched in order from the page index `first` on."""
    found: list[Placed] = []
    index, position = first, 0
    for figure in figures:
        wanted = squeeze(figure.caption)
        if not wanted:
            continue
        hit = None
        for page_index in range(index, len(pages)):
            lines = pages[page_index].lines
            for line_index in range(position if page_index == index else 0, len(lines)):
                text = squeeze(lines[line_index].text)
                if len(text) >= 2 and is_caption_line(lines[line_index]) and wanted.startswith(text):
                    hit = (page_index, line_index)
                    break
            if hit:
                break
        if hit is None:
            continue
        index, position = hit[0], hit[1] + 1
        page = pages[hit[0]]
        top = page.lines[hit[1]].y0
        picture_top = top - figure.height_cm * PT_PER_CM - PICTURE_BEFORE_PT
        opens = not any(line.y1 < picture_top + SLACK_PT for line in page.lines[: hit[1]])
        count = 1
        while hit[1] + count < len(page.lines) and is_caption_line(page.lines[hit[1] + count]):
            count += 1
        found.append(Placed(figure, hit[0], top, opens, count))
    return found


def fit_figures(pdf: Path, volume: Volume, first_page: int) -> dict[str, Fit]:
    """The fits for the next build: every photo that opens a page while the page before it (in the
    same case) is left more than EMPTY_LIMIT empty is scaled to fit that space when it can keep
    MIN_SCALE of its size, else it waits for one more paragraph of text. Only the first such photo
    of each case is changed per measurement: the ones after it move with it."""
    pages = read(pdf)
    fits = {f.key: f.fit for f in volume.figures if f.fit != Fit()}
    changed: set[str] = set()
    for placed in locate(pages, volume.figures, first_page - 1):
        figure = placed.figure
        case = figure.key.split("/", 1)[0]
        if case in changed or not placed.opens_page or placed.page == 0:
            continue
        before = pages[placed.page - 1]
        if not before.lines or before.number < first_page or before.empty_part() <= EMPTY_LIMIT:
            continue
        room = (
            BOTTOM_PT
            - before.lines[-1].y1
            - PICTURE_BEFORE_PT
            - placed.caption_lines * CAPTION_LINE_PT
            - CAPTION_AFTER_PT
            - SLACK_PT
        )
        height = figure.height_cm * PT_PER_CM
        scale = figure.fit.scale * min(1.0, room / height) if height > 0 else 0.0
        if scale >= MIN_SCALE:
            fits[figure.key] = Fit(round(scale, 3), figure.fit.after)
        else:
            fits[figure.key] = Fit(figure.fit.scale, figure.fit.after + 1)
        changed.add(case)
    return fits


# --- what the proof tests look for ------------------------------------------------------------


def half_empty(pages: list[Page], first_page: int) -> list[int]:
    """Physical numbers of the pages left more than EMPTY_LIMIT empty while the next page (of the
    same case) opens with a picture."""
    found = []
    for page, after in zip(pages, pages[1:], strict=False):
        if page.number < first_page or not page.lines or not after.images or page.empty_part() <= EMPTY_LIMIT:
            continue
        first = after.lines[0] if after.lines else None
        if first is None or first.y0 > TOP_PT + 3 * 31:  # something tall (a picture) above its first line
            found.append(page.number)
    return found


def widows(pages: list[Page], first_page: int) -> list[tuple[int, str]]:
    """A page whose first line is the last line of a paragraph begun on the page before: flush left
    (no first-line indent), short, in body type, below a page that ends with a full line."""
    found = []
    for before, page in zip(pages, pages[1:], strict=False):
        if page.number < first_page or not page.lines or not before.lines:
            continue
        top, last = page.lines[0], before.lines[-1]
        body = abs(top.height - 16 * 1.3) < 1.5 and abs(last.height - 16 * 1.3) < 1.5
        if not body or abs(top.x0 - LEFT_PT) > 3 or top.y0 > TOP_PT + 31:
            continue
        if RIGHT_PT - top.x1 > 16 and RIGHT_PT - last.x1 < 16:
            found.append((page.number, top.text))
    return found
