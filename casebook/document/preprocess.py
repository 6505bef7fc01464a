"""Python-Markdown's preprocessors, line numbers kept: white space normalised, fenced code and raw
HTML blocks put aside. Each stashed block becomes a placeholder line, which no block processor
takes for anything. The first two are ported with the library's own expression; the raw HTML one
is the library's extractor, noting the line of every piece it hands back."""

from __future__ import annotations

import re

from markdown import util
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.htmlparser import HTMLExtractor

from casebook.document.chunk import Chunk, join
from casebook.document.dialect import new_markdown

MD = new_markdown()  # the parser whose processors the scanner borrows; never used to convert
TAB = MD.tab_length
PREPROCESSORS = ("normalize_whitespace", "fenced_code_block", "html_block")
_FENCED = MD.preprocessors["fenced_code_block"].FENCED_BLOCK_RE
_PLACEHOLDER = re.compile(util.HTML_PLACEHOLDER % r"\d+")


def preprocess(body: str) -> Chunk:
    """The three preprocessors: white space normalised, fenced code and raw HTML blocks stashed
    (each becomes a placeholder line, which no block processor takes for anything)."""
    MD.reset()
    text = _fences(_normalise(body))
    return _html_blocks(text) if "<" in text.text or "&" in text.text else text


def _normalise(body: str) -> Chunk:
    """NormalizeWhitespace: no STX/ETX, CR and CRLF end lines, tabs expanded, blank lines emptied."""
    raw = body.replace(util.STX, "").replace(util.ETX, "").split("\n")
    lines, numbers = [], []
    for number, line in enumerate(raw):
        if line.endswith("\r") and number < len(raw) - 1:
            line = line[:-1]
        for part in line.split("\r"):
            lines.append(part.expandtabs(TAB))
            numbers.append(number)
    lines[1:] = ["" if line and not line.strip(" ") else line for line in lines[1:]]
    return Chunk("\n".join([*lines, "", ""]), (*numbers, numbers[-1], numbers[-1]))


def _fences(text: Chunk) -> Chunk:
    """FencedBlockPreprocessor.run, with its own expression."""
    index = 0
    while match := _FENCED.search(text.text, index):
        if match.group("attrs") and get_attrs_and_remainder(match.group("attrs"))[1]:
            index = match.end("attrs")
            continue
        holder = MD.htmlStash.store("")
        text = join("\n", [text[: match.start()], Chunk(holder, (text.line_at(match.start()),)), text[match.end() :]])
        index = match.start() + 1 + len(holder)
    return text


class _Pieces(list):
    """HTMLExtractor.cleandoc that notes the source line at which each piece is appended."""

    def __init__(self, extractor: HTMLExtractor) -> None:
        super().__init__()
        self.extractor, self.starts = extractor, []

    def append(self, piece: str) -> None:
        super().append(piece)
        self.starts.append(self.extractor.getpos()[0] - 1)


class _Extractor(HTMLExtractor):
    def reset(self) -> None:
        super().reset()
        self.cleandoc = _Pieces(self)


def _html_blocks(text: Chunk) -> Chunk:
    """HtmlBlockPreprocessor.run. Text the extractor copies keeps its lines; a placeholder and the
    blank lines it adds take the line the extractor was at."""
    extractor = _Extractor(MD)
    extractor.feed(text.text)
    extractor.close()
    numbers: list[int] = []
    for piece, start in zip(extractor.cleandoc, extractor.cleandoc.starts, strict=True):
        copied = piece.strip("\n") != "" and not _PLACEHOLDER.fullmatch(piece)
        line = text.lines[min(start, len(text.lines) - 1)]
        if not numbers:
            numbers.append(line)
        for k in range(1, piece.count("\n") + 1):
            numbers.append(text.lines[min(start + k, len(text.lines) - 1)] if copied else line)
    return Chunk("".join(extractor.cleandoc), tuple(numbers) or text.lines[:1])
