"""Images in one inline text, found the way Python-Markdown's inline patterns find them.

Code spans and backslash escapes go first, then reference links and links (a link's target hides
what is written in it; its text is searched again by the later patterns), then images, image
references and short image references. The patterns' own handlers do the parsing, on a copy of
the text in which whatever an earlier match consumed is masked. The mask keeps the length, so an
offset still names the source line.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from markdown.util import AtomicString

from casebook.document.preprocess import MD

INLINE = MD.inlinePatterns
MD.treeprocessors["inline"].stashed_nodes = {}  # the handlers look placeholders up there; none are made
MASKING = ("backtick", "escape")  # done here first, in this order
PATTERNS = (
    "reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref",
    "autolink", "automail", "html",
)  # fmt: skip
IGNORED = ("footnote", "linebreak", "entity", "em_strong")  # make or hide no image (but a defined ![^1](x))
_FILL = "\ue001"  # a consumed character: no syntax, no white space
_ESCAPED = "\ue000"  # followed by chr(_SHIFT + ord(c)): the backslash-escaped character c
_SHIFT = 0xE100
_ESCAPE_PAIR = re.compile(f"{_ESCAPED}([\ue100-\ue1ff])")


def images(text: str, references: dict[str, tuple[str, str | None]]) -> list[tuple[int, str]]:
    """(offset, src) of each image of text, in order; references are the body's [id]: url lines."""
    if "![" not in text:
        return []
    MD.references = references
    found: list[tuple[int, str]] = []
    _apply(_escapes(_code_spans(text)), 0, 0, found)
    return sorted((offset, _unescape(src)) for offset, src in found)


def _next(name: str, data: str, start: int) -> tuple | None:
    """(node, begin, end, match) of the first match from start that the pattern accepts, walked as
    InlineProcessor.__applyPattern walks them; None when there is none."""
    pattern = INLINE[name]
    for match in pattern.getCompiledRegExp().finditer(data, start):
        node, begin, end = pattern.handleMatch(match, data)
        if begin is not None and end is not None:
            return node, begin, end, match
    return None


def _mask(data: str, start: int, end: int) -> str:
    return data[:start] + _FILL * (end - start) + data[end:]


def _code_spans(data: str) -> str:
    start = 0
    while (step := _next("backtick", data, start)) is not None:
        node, begin, end, _ = step
        if node is not None:  # a code span, or backslashes escaped before backticks
            data = _mask(data, begin, end)
        start = max(end, begin + 1)
    return data


def _escapes(data: str) -> str:
    escapable = set(MD.ESCAPED_CHARS)
    parts, last = [], 0
    for match in INLINE["escape"].getCompiledRegExp().finditer(data):
        char = match.group(1)
        if char in escapable:
            parts += [data[last : match.start()], _ESCAPED, chr(_SHIFT + ord(char))]
            last = match.end()
    return "".join(parts) + data[last:]


def _unescape(src: str) -> str:
    return _ESCAPE_PAIR.sub(lambda m: chr(ord(m.group(1)) - _SHIFT), src) if _ESCAPED in src else src


def _apply(data: str, first: int, base: int, found: list[tuple[int, str]]) -> None:
    """Each pattern from `first` on over data; images are recorded at base + offset, a link's text
    is searched by the patterns after the link's, and every match is then masked. Raw inline HTML
    (a comment, a tag's attribute) and mail autolinks swallow the images inside them."""
    for index in range(first, len(PATTERNS)):
        start = 0
        while (step := _next(PATTERNS[index], data, start)) is not None:
            node, begin, end, match = step
            if isinstance(node, Element) and node.tag == "img":
                found.append((base + begin, node.get("src") or ""))
            elif (
                isinstance(node, Element) and node.tag == "a" and node.text and not isinstance(node.text, AtomicString)
            ):
                inner = match.end(0)
                _apply(data[inner : inner + len(node.text)], index + 1, base + inner, found)
            elif node is not None and PATTERNS[index] != "autolink":  # an autolink's text gives them back
                found[:] = [image for image in found if not base + begin <= image[0] < base + end]
            if node is not None:
                data = _mask(data, begin, end)
            start = max(end, begin + 1)
