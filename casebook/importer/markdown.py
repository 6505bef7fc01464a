"""The body as Markdown: headings from their numbering (一、 （一） 1. （1）) whatever the Word style
and from Word heading styles, paragraphs with bold and italic, lists, tables, and pictures placed
as ![](n.jpg) with the caption found under them (next paragraph, same paragraph or table cell)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from casebook.importer.blocks import Block, Cell, Para, Picture, Run, Table
from casebook.importer.caption import looks_like_caption
from casebook.importer.text import clean, close_gaps, half_width
from casebook.inputs.headings import HASHES_FOR_LEVEL, classify

_ASCII_END = re.compile(r"[A-Za-z0-9,.;:!?)]$")
_ASCII_START = re.compile(r"^[A-Za-z0-9(]")
_DIGIT_COMMA = re.compile(r"^(\d+)、")
_SEVERAL_CAPTIONS = re.compile(r"\s+(?=(?:图\s*)?\d+\s*[.．、]\s*\d{4}年)")
_ESCAPE = re.compile(r"([\\`*_<>\[\]])")
_ENTITY = re.compile(r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z0-9]+;)")  # & that Markdown reads as an entity


@dataclass
class Placed:
    picture: Picture
    caption: str  # "" when none was found


@dataclass
class Body:
    lines: list[str] = field(default_factory=list)
    placed: list[Placed] = field(default_factory=list)

    def markdown(self, name_of: Callable[[int], str | None]) -> str:
        """The body text; picture slots (\x00n\x00) become ![](file) or disappear when skipped."""

        def slot(match: re.Match) -> str:
            name = name_of(int(match.group(1)))
            return f"![]({name})" if name else ""

        text = "\n".join(self.lines)
        text = re.sub("\x00(\\d+)\x00", slot, text)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return text.strip() + "\n"


def write(blocks: list[Block]) -> Body:
    # Unnumbered headings keep their relative depth: when the title took Heading 1 and the
    # sections are Heading 2, the sections still become "##".
    levels = [b.outline for b in blocks if isinstance(b, Para) and b.outline and b.text]
    writer = _Writer(min(levels) if levels else 1)
    writer.blocks(blocks)
    return writer.body


class _Writer:
    def __init__(self, top_outline: int = 1) -> None:
        self.body = Body()
        self.list_open = False
        self.top_outline = top_outline

    def emit(self, line: str, list_item: bool = False) -> None:
        if list_item:
            if not self.list_open:
                self.body.lines.append("")
            self.body.lines.append(line)
            self.list_open = True
            return
        self.list_open = False
        self.body.lines.extend(["", line])

    def place(self, picture: Picture, caption: str) -> None:
        self.body.placed.append(Placed(picture, caption))
        self.emit(f"\x00{len(self.body.placed) - 1}\x00")

    def blocks(self, blocks: list[Block]) -> None:
        items = _numbered_items(blocks)
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if isinstance(block, Table):
                self.table(block)
            elif block.pictures:
                index = self.picture_para(blocks, index)
            else:
                self.para(block, may_be_heading=index not in items)
            index += 1

    # --- paragraphs ------------------------------------------------------------------------------------

    def para(self, para: Para, may_be_heading: bool = True) -> None:
        text = para.text
        if not text:
            return
        heading = _heading(para, text, self.top_outline) if may_be_heading else None
        if heading is not None:
            hashes, title, rest = heading
            self.emit(f"{'#' * hashes} {_entities(title)}")
            if rest:
                self.emit(_entities(_escape(rest)))
            return
        inline = _inline(para.items)
        if not inline:
            return
        if para.list_kind == "bullet":
            self.emit(f"- {inline}", list_item=True)
        elif para.list_kind == "ordered" and not para.marker:
            self.emit(f"1. {inline}", list_item=True)
        elif para.list_kind == "ordered":
            marker = half_width(para.marker).strip()
            self.emit(_escape_start(f"{marker}{inline}"))
        else:
            self.emit(_escape_start(inline))

    def picture_para(self, blocks: list[Block], index: int) -> int:
        """Place the pictures of blocks[index] with their captions; returns the last index used."""
        para = blocks[index]
        assert isinstance(para, Para)
        before: list[Run] = []
        after: list[Run] = []
        pictures: list[Picture] = []
        for item in para.items:
            if isinstance(item, Picture):
                pictures.append(item)
            elif pictures:
                after.append(item)
            else:
                before.append(item)
        before_text = _inline(before)
        if before_text:
            self.emit(_escape_start(before_text))
        after_text = clean("".join(r.text for r in after).replace("\n", " "))
        captions: list[str] = []
        if after_text and looks_like_caption(after_text, True):
            captions.append(after_text)
            after_text = ""
        last = index
        probe = index + 1
        while len(captions) < len(pictures) and probe < len(blocks):
            candidate = blocks[probe]
            if isinstance(candidate, Para) and not candidate.pictures:
                if not candidate.text:
                    probe += 1
                    continue
                if _heading(candidate, candidate.text, self.top_outline) is None and looks_like_caption(
                    candidate.text, candidate.centred
                ):
                    captions.append(candidate.text)
                    last = probe
                    probe += 1
                    continue
            break
        if len(captions) < len(pictures):  # "1.… 2.…" under two pictures side by side
            captions = [part for caption in captions for part in _SEVERAL_CAPTIONS.split(caption) if part]
        for number, picture in enumerate(pictures):
            self.place(picture, captions[number] if number < len(captions) else "")
        if after_text:
            self.emit(_escape_start(_inline(after)))
        return last

    # --- tables --------------------------------------------------------------------------------------------

    def table(self, table: Table) -> None:
        if table.pictures:
            self.picture_table(table)
            return
        cells = [[c for c in row] for row in table.rows if row]
        if not cells:
            return
        width = max(len(row) for row in cells)
        if width == 1 or len(cells) == 1 and width <= 1:
            for row in cells:  # a one-column table is a frame around paragraphs
                for cell in row:
                    self.blocks(cell.blocks)
            return
        lines = []
        for row in cells:
            texts = [_cell_text(c) for c in row] + [""] * (width - len(row))
            lines.append("| " + " | ".join(texts) + " |")
        lines.insert(1, "|" + "---|" * width)
        self.emit("\n".join(lines))

    def picture_table(self, table: Table) -> None:
        """A grid of photos: each picture's caption is the text of its own cell, or of the cell below
        when the row below holds captions only."""
        used: set[int] = set()
        rows = table.rows
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                pictures = [p for para in cell.paras for p in para.pictures]
                if not pictures:
                    continue
                caption = " ".join(p.text for p in cell.paras if p.text)
                text_beside = ""
                if caption and not looks_like_caption(caption, True):
                    text_beside, caption = caption, ""  # a layout table: picture and text side by side
                if not caption and r + 1 < len(rows) and c < len(rows[r + 1]):
                    below = rows[r + 1][c]
                    below_text = " ".join(p.text for p in below.paras if p.text)
                    if not any(p.pictures for p in below.paras) and looks_like_caption(below_text, True):
                        caption = below_text
                        used.add(id(below))
                for number, picture in enumerate(pictures):
                    self.place(picture, caption if number == 0 else "")
                if text_beside:
                    for para in cell.paras:
                        if para.text and not para.pictures:
                            self.para(para)
                used.add(id(cell))
        for row in rows:
            for cell in row:
                if id(cell) not in used and not cell.merged:
                    self.blocks(cell.blocks)


def _numbered_items(blocks: list[Block]) -> set[int]:
    """Indexes of short 1. 2. 3. / （1）（2） lines that follow each other with nothing between them:
    the items of a list, not headings (a heading has text under it)."""
    found: set[int] = set()
    previous: tuple[int, int, int] | None = None  # (index, level, number) of the last numbered line
    for index, block in enumerate(blocks):
        if not isinstance(block, Para) or block.pictures:
            previous = None
            continue
        text = block.text
        if not text:
            continue
        marked = classify(close_gaps(half_width(block.marker).strip() + text))
        styled = block.outline is not None and block.outline >= 1
        if marked is None or marked[0] < 3 or styled or len(text) > 40 or _bold_prefix(block):
            previous = None
            continue
        if previous is not None and previous[1] == marked[0] and marked[1] == previous[2] + 1:
            found.update((previous[0], index))
        previous = (index, marked[0], marked[1])
    return found


def _heading(para: Para, text: str, top_outline: int = 1) -> tuple[int, str, str] | None:
    """(hashes, heading text, run-in text after it) when the paragraph is a heading."""
    full = close_gaps(half_width(para.marker).strip() + text) if para.marker else close_gaps(text)
    full = _DIGIT_COMMA.sub(r"\1.", full) if _DIGIT_COMMA.match(full) and len(full) <= 40 else full
    full = re.sub(r"^(\d+)．", r"\1.", full)
    full = re.sub(r"^\(([零〇一二两三四五六七八九十百]+|\d+)\)", r"（\1）", full)
    found = classify(full)
    if found is None:
        if para.outline is not None and para.outline >= 1 and len(full) <= 60 and not para.list_kind:
            return min(max(para.outline - top_outline, 0) + 2, 6), full.rstrip("。"), ""
        return None
    level = found[0]
    styled = para.outline is not None and para.outline >= 1
    sentence = re.match(r"^(.{2,40}?)[。：:](.+)$", full)
    if len(full) <= 40 and not full.endswith("。"):
        return HASHES_FOR_LEVEL[level], full.rstrip("：:"), ""
    if len(full) <= 40 and (level <= 2 or para.bold_all) and full.count("。") == 1:
        return HASHES_FOR_LEVEL[level], full.rstrip("。"), ""
    if styled and len(full) <= 60:
        return HASHES_FOR_LEVEL[level], full.rstrip("。"), ""
    if sentence is None:
        return None
    first = sentence.group(1)
    run_in_bold = _bold_prefix(para) >= len(first) - len(para.marker) - 1
    if level <= 2 or run_in_bold:
        return HASHES_FOR_LEVEL[level], first, sentence.group(2).strip()
    return None


def _bold_prefix(para: Para) -> int:
    """How many leading characters of the paragraph are bold."""
    count = 0
    for item in para.items:
        if not isinstance(item, Run):
            continue
        if not item.bold:
            return count if item.text.strip() or count else 0
        count += len(item.text.strip()) if count == 0 else len(item.text)
    return count


def _inline(items: list) -> str:
    """Runs as Markdown: **bold**, *italic*; manual line breaks joined."""
    pieces: list[tuple[str, bool, bool]] = []
    for item in items:
        if isinstance(item, Run) and item.text:
            pieces.append((item.text, item.bold, item.italic))
    plain = "".join(p[0] for p in pieces)
    if not plain.strip():
        return ""
    all_bold = all(b for t, b, _ in pieces if t.strip())
    out = []
    for text, bold, italic in pieces:
        text = _escape(half_width(text))
        marker = ("**" if bold and not all_bold else "") + ("*" if italic else "")
        if marker and text.strip():
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            out.append(f"{lead}{marker}{text.strip()}{marker[::-1]}{trail}")
        else:
            out.append(text)
    joined = "".join(out)
    joined = _join_breaks(joined)
    joined = _entities(clean(joined))  # last: clean() may join the halves of one
    if all_bold:
        joined = f"**{joined}**"
    return joined


def _join_breaks(text: str) -> str:
    parts = text.split("\n")
    out = parts[0].rstrip(" \t\u3000")
    for part in parts[1:]:
        part = part.lstrip(" \t\u3000")
        if out and part and _ASCII_END.search(out.rstrip("*")) and _ASCII_START.match(part.lstrip("*")):
            out += " "
        out += part
    return out


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _entities(text: str) -> str:
    """Document text shown as written: a typed &#49; stays those five characters, not the digit 1.
    Applied once, to whole text (Word splits runs anywhere, even inside &#49;)."""
    return _ENTITY.sub("&amp;", text)


def _escape_start(text: str) -> str:
    """Keep a paragraph from turning into a heading, list or quote by accident."""
    if re.match(r"^(#|>|[-+] )", text):
        return "\\" + text
    return re.sub(r"^(\d+)([.)] )", r"\1\\\2", text)


def _cell_text(cell: Cell) -> str:
    if cell.merged:
        return ""
    texts = [_inline(p.items) for p in cell.paras]
    return " ".join(t for t in texts if t).replace("|", "\\|")
