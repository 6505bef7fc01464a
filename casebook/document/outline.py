"""The outline of a case body: its headings and image references, with their lines.

The one scanner of the project: `check` numbers headings and matches images to photos with it,
and it agrees with the dialect's parse (tests/test_document.py holds the property test), so the
site and the book place and number the same photos the checker saw.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown.extensions.attr_list import get_attrs_and_remainder

from casebook.document.blocks import parse
from casebook.document.inline import images
from casebook.document.limits import WORK_MAX, markup_work
from casebook.document.preprocess import MD
from casebook.inputs.headings import Heading, heading
from casebook.util import memo

_ATTRS = MD.treeprocessors["attr_list"].HEADER_RE


@dataclass(frozen=True)
class ImageRef:
    line: int
    file: str  # normalise_src(src): what the photo list is matched against
    src: str  # as the parser reads it


@dataclass(frozen=True)
class Heaviest:
    """The inline text that costs Python-Markdown most (see limits.py), and what the whole body costs."""

    line: int
    length: int  # characters of that text
    symbols: int  # characters in it that open an inline pattern ([ ` < * _ & \\)
    total: int  # estimated inline work of the whole body


@dataclass(frozen=True)
class Outline:
    headings: tuple[Heading, ...]
    images: tuple[ImageRef, ...]
    heaviest: Heaviest | None = None  # None for a body without inline text
    nesting: int = 0  # most list/quote levels
    nesting_line: int | None = None  # file line where they first pass limits.NESTING_MAX
    nesting_cut: bool = False  # read only that deep (far past the limit): the nesting is deeper still

    @property
    def placed(self) -> list[str]:
        """Files in order of first placement (photos are numbered in this order)."""
        return list(dict.fromkeys(image.file for image in self.images))


def normalise_src(src: str) -> str:
    """The one way an image reference or a photo entry names a file: trimmed, forward slashes, no
    leading ./ and no <…> (Python-Markdown does not percent-decode, so neither does this)."""
    name = src.strip()
    if name.startswith("<") and name.endswith(">"):
        name = name[1:-1].strip()
    name = name.replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name


@memo.by_content()
def scan(body: str, first_line: int = 1) -> Outline:
    """Headings (ATX and setext) and images of a body, in document order; first_line is the file
    line of the body's first line. Code (fenced, indented, inline) and raw HTML blocks are skipped
    as Python-Markdown skips them. Never raises; and stays linear: once the body's inline work passes
    limits.WORK_MAX (an error of `check`), images are no longer looked for, as that costs the same."""
    parsed = parse(body)
    heads, refs = [], []
    total, heaviest = 0, (-1, 0, 0, 0)  # (work, line, length, symbols)
    for found in parsed.found:
        chunk = found.chunk
        work, symbols = markup_work(chunk.text)
        total += work
        if work > heaviest[0]:
            heaviest = (work, first_line + chunk.lines[0], len(chunk.text), symbols)
        if found.level:
            heads.append(heading(first_line + chunk.lines[0], found.level, _without_attributes(chunk.text)))
        if total <= WORK_MAX:
            for offset, src in images(chunk.text, parsed.references):
                refs.append(ImageRef(first_line + chunk.line_at(offset), normalise_src(src), src))
    nesting_line = None if parsed.nesting_line is None else first_line + parsed.nesting_line
    worst = Heaviest(heaviest[1], heaviest[2], heaviest[3], total) if parsed.found else None
    return Outline(tuple(heads), tuple(refs), worst, parsed.nesting, nesting_line, parsed.nesting_cut)


def _without_attributes(text: str) -> str:
    """The heading text without a trailing {#id .class} (attr_list moves it onto the element)."""
    match = _ATTRS.search(text)
    if match and not get_attrs_and_remainder(match.group(1))[1]:
        return text[: match.start()].rstrip("#").rstrip()
    return text
