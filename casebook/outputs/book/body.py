"""Case bodies: Markdown parsed with the project's one dialect (as the site), turned into
WordprocessingML paragraphs, tables and pictures with the book's named styles.

Paragraphs are written as XML text and parsed in one go per case: building tens of thousands of
runs element by element costs more than the Markdown parse itself.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import markdown
from lxml import etree
from markdown.treeprocessors import Treeprocessor

from casebook import document
from casebook.outputs.book import ooxml
from casebook.outputs.book.layout import TEXT_WIDTH_TWIPS
from casebook.outputs.book.styles import HEADING_STYLE

_PLACEHOLDER = re.compile("\x02[^\x03]*\x03")
_TAG = re.compile(r"<[^>]*>")
# raw <script>/<style> (and the like) with their content: code, not text (the site's nh3 drops them too)
_CODE_TAGS = "script|style|template|noscript|iframe|object|textarea|title|xmp|noembed|noframes"
_CODE = re.compile(rf"<({_CODE_TAGS})\b[^>]*>.*?(?:</\1\s*>|$)", re.S | re.I)
_CODE_OPEN = re.compile(rf"^\s*<({_CODE_TAGS})\b[^>]*>\s*$", re.I)
_CODE_CLOSE = re.compile(rf"^\s*</({_CODE_TAGS})\s*>\s*$", re.I)
_NEWLINE = re.compile(r"[ \t]*\n[ \t]*")
QUOTES = re.compile("([“”‘’]+)")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULLWIDTH_DIGIT = re.compile("[０-９]")
_HEADINGS = {f"h{n}": n for n in range(1, 7)}

# picture(file) -> [picture paragraph, caption paragraph], or [] when the file is unknown
PictureMaker = Callable[[str], list[etree._Element]]
Block = str | etree._Element  # paragraph XML text, or a ready element (pictures, tables)
# Elements the walk follows into (blocks, lists, inline markup); deeper ones are set as their text.
# `check` allows 10 list/quote levels (E306), about 30 elements; this keeps the walk far from the stack limit.
MAX_DEPTH = 100
_BLANK_LINES = re.compile(r"\n[ \t]*\n")


class _Capture(Treeprocessor):
    """Keeps the final element tree (after inline patterns and unescaping)."""

    def run(self, root: ET.Element) -> None:
        self.md.captured_root = root  # type: ignore[attr-defined]


def new_markdown() -> markdown.Markdown:
    """The dialect's parser, keeping its final tree; its toc runs only where a body holds the marker."""
    md = document.new_markdown()
    md.treeprocessors.register(_Capture(md), "casebook_capture", -100)
    _toc_only_when_marked(md.treeprocessors["toc"])
    for name, needles in INLINE_NEEDLES.items():
        if name in md.inlinePatterns:
            pattern = md.inlinePatterns[name]
            pattern.compiled_re = _Needled(pattern.compiled_re, needles)
    return md


# What every match of each of the dialect's inline patterns (Python-Markdown's names) holds. Python-
# Markdown searches every text node with every pattern, and a regular expression scanning CJK text
# is slow where `in` is not: a text holding none of a pattern's needles is not searched with it.
# tests/test_book_body_speed.py holds that the table covers every pattern and changes no tree.
INLINE_NEEDLES: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "footnote": ("[^",),
    "reference": ("[",),
    "link": ("[",),
    "short_reference": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "html": ("<",),
    "linebreak": ("  \n",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
}


class _Needled:
    """A compiled inline pattern whose finditer finds nothing at once in a text without its needles."""

    __slots__ = ("compiled", "needles")

    def __init__(self, compiled: re.Pattern, needles: tuple[str, ...]) -> None:
        self.compiled, self.needles = compiled, needles

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match]:
        for needle in self.needles:
            if needle in text:
                return self.compiled.finditer(text, pos)
        return iter(())

    def __getattr__(self, name: str) -> object:  # match, search, pattern … as the pattern's own
        return getattr(self.compiled, name)


def _toc_only_when_marked(toc: Treeprocessor) -> None:
    """The toc treeprocessor gives headings ids (which the book never reads) and puts the table of
    contents where a paragraph is its marker ([TOC]); a fifth of the parse of a body for nothing
    unless there is one. Run as before where some element's text is the marker (all replace_marker
    looks for); the tree is the same otherwise but for the ids."""
    run = toc.run

    def when_marked(root: ET.Element) -> None:
        marker = toc.marker
        if marker and any(node.text and node.text.strip() == marker and not len(node) for node in root.iter()):
            run(root)

    toc.run = when_marked  # type: ignore[method-assign]


def clean_text(text: str) -> str:
    """Join soft line breaks (no space between CJK characters), half-width digits, no stash marks."""
    if "\x02" in text:
        text = _PLACEHOLDER.sub("", text)

    def join(match: re.Match) -> str:
        start, end = match.start(), match.end()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        return " " if before.isascii() and after.isascii() and before.strip() and after.strip() else ""

    if "\n" in text:
        text = _NEWLINE.sub(join, text)
    return text.translate(_FULLWIDTH_DIGITS) if _FULLWIDTH_DIGIT.search(text) else text


def runs_xml(text: str, cjk_font: str | None, *, bold: bool = False, superscript: bool = False) -> str:
    """Runs for text; quotes in runs of their own set in the CJK face in every slot."""
    text = clean_text(text)
    if not text:
        return ""
    if "“" not in text and "”" not in text and "‘" not in text and "’" not in text:
        return ooxml.run_xml(text, bold=bold, superscript=superscript)
    return ooxml.split_runs_xml(text, QUOTES, cjk_font, bold=bold, superscript=superscript)


def merged(blocks: list[Block]) -> list[Block]:
    """Consecutive XML texts joined into one string; ready elements kept as they are."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, str) and out and isinstance(out[-1], str):
            out[-1] += block
        else:
            out.append(block)
    return out


def to_elements(blocks: list[Block]) -> list[etree._Element]:
    """Parse consecutive XML texts together; keep ready elements as they are."""
    out: list[etree._Element] = []
    for block in merged(blocks):
        out.extend(ooxml.parse_fragment(block) if isinstance(block, str) else [block])
    return out


@dataclass
class _Inline:
    bold: bool = False
    superscript: bool = False


def _bounded(flat: Callable) -> Callable:
    """A walking method that, past MAX_DEPTH nested calls, hands its node to `flat` instead."""

    def wrap(method: Callable) -> Callable:
        @functools.wraps(method)
        def walk(self: Renderer, node: ET.Element, *args, **kwargs) -> None:
            if self._depth >= MAX_DEPTH:
                flat(self, node, *args, **kwargs)
                return
            self._depth += 1
            try:
                method(self, node, *args, **kwargs)
            finally:
                self._depth -= 1

        return walk

    return wrap


def _flat_paragraph(self: Renderer, node: ET.Element, out: list, style: str, *_args, **_kwargs) -> None:
    text = self._unstash("".join(node.itertext()))  # itertext does not recurse in Python
    if text.strip():
        out.append(ooxml.paragraph_xml(style, runs_xml(text, self.cjk_font.get(style))))


def _flat_runs(
    self: Renderer, node: ET.Element, runs: list, out: list, style: str, state: _Inline, only_text: bool = False
) -> None:
    text = self._unstash((node.text or "") if only_text else "".join(node.itertext()))
    runs.append(runs_xml(text, self.cjk_font.get(style), bold=state.bold, superscript=state.superscript))


@dataclass
class Renderer:
    """Renders Markdown bodies; one instance per book (the Markdown parser is reused)."""

    cjk_font: dict[str, str]  # style id -> East Asian font, for quote runs
    md: markdown.Markdown = field(default_factory=new_markdown)
    _depth: int = field(default=0, init=False, repr=False)  # nested walking calls under way (see MAX_DEPTH)

    def render(self, text: str, picture: PictureMaker, base_style: str = "Normal") -> list[Block]:
        """Paragraph XML texts and ready elements, in order (see ooxml.Fragments)."""
        self.md.reset()
        self._placed: set[str] = set()
        self._picture = picture
        self._depth = 0
        try:
            self.md.convert(text)
        except RecursionError:  # nesting Python-Markdown cannot follow (`check` stops it, E306): plain text
            self.md.reset()
            font = self.cjk_font.get(base_style)
            blocks = (block.strip() for block in _BLANK_LINES.split(text))
            return [ooxml.paragraph_xml(base_style, runs_xml(block, font)) for block in blocks if block]
        root = self.md.captured_root  # type: ignore[attr-defined]
        out: list[Block] = []
        self._blocks(root, out, base_style)
        for note in root.iter("div"):
            if "footnote" in (note.get("class") or ""):
                self._footnotes(note, out)
        return out

    @property
    def placed(self) -> set[str]:
        return self._placed

    def _unstash(self, text: str) -> str:
        """Raw HTML in a body is not typeset; its text is kept, but never the content of a raw
        <script>, <style> (…) element: a whole element stashed as one block, or its opening and
        closing tags stashed apart with the code as text between them."""
        if "\x02" not in text:
            return text
        blocks = self.md.htmlStash.rawHtmlBlocks

        def raw(match: re.Match) -> str | None:
            key = match.group(0)[1:-1].rsplit(":", 1)[-1]
            return str(blocks[int(key)]) if key.isdigit() and int(key) < len(blocks) else None

        out: list[str] = []
        dropping = ""  # the code element whose content is being skipped
        position = 0
        for match in _PLACEHOLDER.finditer(text):
            if not dropping:
                out.append(text[position : match.start()])
            position = match.end()
            block = raw(match)
            if block is None:
                continue
            if dropping:
                closing = _CODE_CLOSE.match(block)
                if closing and closing.group(1).lower() == dropping:
                    dropping = ""
                continue
            opening = _CODE_OPEN.match(block)
            if opening:
                dropping = opening.group(1).lower()
                continue
            out.append(html.unescape(_TAG.sub("", _CODE.sub("", block))))
        if not dropping:
            out.append(text[position:])
        return "".join(out)

    # --- blocks ---------------------------------------------------------------------------

    @_bounded(_flat_paragraph)
    def _blocks(self, parent: ET.Element, out: list, style: str) -> None:
        if parent.text and parent.text.strip():
            self._paragraph_from(parent, out, style, only_text=True)
        for node in parent:
            tag = node.tag
            if tag == "p":
                self._paragraph_from(node, out, style)
            elif tag in _HEADINGS:
                self._paragraph_from(node, out, HEADING_STYLE[_HEADINGS[tag]])
            elif tag in ("ul", "ol"):
                self._list(node, out, style)
            elif tag == "blockquote":
                self._blocks(node, out, "Quote")
            elif tag == "table":
                self._table(node, out)
            elif tag == "pre":
                for line in "".join(node.itertext()).rstrip("\n").split("\n"):
                    out.append(ooxml.paragraph_xml("TableText", runs_xml(line, None)))
            elif tag == "dl":
                for item in node:
                    self._paragraph_from(item, out, style, bold=item.tag == "dt")
            elif tag == "hr" or (tag == "div" and "footnote" in (node.get("class") or "")):
                continue  # footnotes are rendered at the end
            elif tag in ("div", "section"):
                self._blocks(node, out, style)
            else:
                self._paragraph_from(node, out, style)

    @_bounded(_flat_paragraph)
    def _list(self, node: ET.Element, out: list, style: str) -> None:
        ordered = node.tag == "ol"
        number = int(node.get("start") or 1)
        for item in node.findall("li"):
            prefix = f"{number}." if ordered else "·"
            number += 1
            if not any(c.tag in ("p", "ul", "ol") for c in item):
                self._paragraph_from(item, out, style, prefix=prefix)
                continue
            first = True
            if item.text and item.text.strip():
                self._paragraph_from(item, out, style, prefix=prefix, only_text=True)
                first = False
            for child in item:
                if child.tag == "p":
                    self._paragraph_from(child, out, style, prefix=prefix if first else "")
                    first = False
                elif child.tag in ("ul", "ol"):
                    self._list(child, out, style)

    def _table(self, node: ET.Element, out: list) -> None:
        rows = list(node.iter("tr"))
        if not rows:
            return
        columns = max(len(tr) for tr in rows)
        width = TEXT_WIDTH_TWIPS // columns
        tbl = ooxml.table([width] * columns)
        for index, tr in enumerate(rows):
            cells = []
            for cell in list(tr) + [None] * (columns - len(tr)):
                blocks: list[Block] = []
                if cell is not None:
                    self._paragraph_from(cell, blocks, "TableText", bold=cell.tag == "th")
                cells.append(to_elements(blocks))
            ooxml.table_row(tbl, cells, header=index == 0 and tr[0].tag == "th")
        out.append(tbl)
        out.append(ooxml.paragraph_xml("TableText", ""))  # a table is followed by a paragraph

    def _footnotes(self, note: ET.Element, out: list) -> None:
        for number, item in enumerate(note.findall("./ol/li"), start=1):
            for backref in item.iter("a"):
                if "footnote-backref" in (backref.get("class") or ""):
                    backref.text = ""
                    for child in list(backref):
                        backref.remove(child)
            paragraphs = [c for c in item if c.tag == "p"] or [item]
            for index, p in enumerate(paragraphs):
                self._paragraph_from(p, out, "Note", prefix=f"注{number}：" if index == 0 else "")

    # --- paragraphs and runs --------------------------------------------------------------

    def _paragraph_from(
        self, node: ET.Element, out: list, style: str, *, prefix: str = "", bold: bool = False, only_text: bool = False
    ) -> None:
        runs: list[str] = []
        if prefix:
            runs.append(runs_xml(prefix, self.cjk_font.get(style), bold=bold))
        self._inline(node, runs, out, style, _Inline(bold=bold), only_text=only_text)
        self._flush(runs, out, style)

    def _flush(self, runs: list[str], out: list, style: str) -> None:
        text = "".join(runs)
        if text:
            out.append(ooxml.paragraph_xml(style, text))
        runs.clear()

    @_bounded(_flat_runs)
    def _inline(
        self, node: ET.Element, runs: list[str], out: list, style: str, state: _Inline, only_text: bool = False
    ) -> None:
        font = self.cjk_font.get(style)
        if node.text:
            runs.append(runs_xml(self._unstash(node.text), font, bold=state.bold, superscript=state.superscript))
        if only_text:
            return
        for child in node:
            tag = child.tag
            if tag == "img":
                self._flush(runs, out, style)
                src = document.normalise_src(child.get("src") or "")
                if src not in self._placed:
                    self._placed.add(src)
                    out.extend(self._picture(src))
            elif tag == "br":
                runs.append("<w:r><w:br/></w:r>")
            elif tag in ("strong", "b"):
                self._inline(child, runs, out, style, _Inline(True, state.superscript))
            elif tag == "sup":
                self._inline(child, runs, out, style, _Inline(state.bold, True))
            elif tag in ("ul", "ol", "p"):  # nested blocks inside a cell or list item
                self._flush(runs, out, style)
                if tag == "p":
                    self._paragraph_from(child, out, style)
                else:
                    self._list(child, out, style)
            else:  # em, code, a, span, …: their text
                self._inline(child, runs, out, style, state)
            if child.tail:
                runs.append(runs_xml(self._unstash(child.tail), font, bold=state.bold, superscript=state.superscript))
