"""Untrusted Markdown to safe HTML: the project's Markdown dialect, then nh3 with a strict allow-list.

Headings are handed back to the engine as Markdown (so its table of contents and anchors work);
everything between them goes through as sanitised raw HTML blocks. The engine never sees the
author's Markdown: whether it would be safe would depend on two renderings agreeing."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass

import nh3

from casebook.document import SLUGIFY, new_markdown

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"id", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "abbr": {"title"},
}
CLASSES = {
    "div": {"footnote"},
    "a": {"footnote-ref", "footnote-backref"},
    "sup": {"footnote-ref"},
}
DROP_WITH_CONTENT = {
    "script", "style", "template", "noscript", "iframe", "object", "embed", "textarea",
    "select", "title", "xmp", "noembed", "noframes", "frameset", "applet", "audio", "video", "canvas",
}  # fmt: skip
SCHEMES = {"http", "https", "mailto"}
_SAFE_ID = re.compile(r"^(?!__|md-|cb-|search|__)[\w\-:.]{1,80}$")
# a file next to the page; spaces are allowed (Python-Markdown reads ![](my photo.jpg)), and the
# tag never reaches the page as such: place_photos swaps it for a figure or drops it
_LOCAL_SRC = re.compile(r"^(?![a-zA-Z][\w\s+.-]*:)(?!/)(?!\\)[^\x00-\x20][^\x00-\x1f]*$")
_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_ID_ATTR = re.compile(r'\sid="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
# exactly the characters the dialect lets a backslash escape: escaping any other (~, ^) shows the backslash
_MD_SPECIAL = re.compile("([" + re.escape("".join(new_markdown().ESCAPED_CHARS)) + "])")
_UNSAFE_PLAIN = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "\n": " ", "\r": " "})


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return value if _SAFE_ID.match(value) else None
    if tag == "img" and attribute == "src":
        return value if _LOCAL_SRC.match(value) else None
    if attribute in ("width", "height"):
        return value if value.isdigit() and len(value) <= 5 else None
    return value


def clean(fragment: str) -> str:
    """Sanitised HTML: scripts, handlers, styles, foreign schemes and embedded objects removed."""
    return nh3.clean(
        fragment,
        tags=TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        attribute_filter=_filter,
        allowed_classes={k: set(v) for k, v in CLASSES.items()},
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain(text: str) -> str:
    """Text safe to hand to templates that print it unescaped (page titles, site name)."""
    return " ".join(str(text).translate(_UNSAFE_PLAIN).split())


def md_text(text: str) -> str:
    """Literal text inside Markdown: HTML-escaped and Markdown-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(" ".join(str(text).split()), quote=False))


def heading(level: int, text: str, anchor: str | None = None) -> str:
    """A Markdown heading with an explicit anchor (so the engine's own slugify never matters)."""
    anchor = anchor or SLUGIFY(text, "-")
    if not anchor or not _SAFE_ID.match(anchor):
        anchor = "h-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{'#' * level} {md_text(text)} {{#{anchor}}}"


class Renderer:
    """One Markdown instance, reset between documents (creating one per document is slow)."""

    def __init__(self) -> None:
        self._md = new_markdown()

    def render(self, source: str) -> str:
        """Unsanitised HTML: only ever handed on through clean()."""
        self._md.reset()
        return self._md.convert(source)

    def to_html(self, source: str) -> str:
        return clean(self.render(source))


@dataclass(frozen=True)
class Block:
    """Either a heading (level > 0) or a block of sanitised HTML (level 0)."""

    level: int
    text: str
    anchor: str = ""


def split_headings(safe_html: str) -> list[Block]:
    blocks: list[Block] = []
    position = 0
    for match in _HEADING.finditer(safe_html):
        before = safe_html[position : match.start()].strip()
        if before:
            blocks.append(Block(0, before))
        found = _ID_ATTR.search(match.group(2) or "")
        text = html.unescape(_TAG.sub("", match.group(3))).strip()
        anchor = html.unescape(found.group(1)) if found else SLUGIFY(text, "-")
        blocks.append(Block(int(match.group(1)), text, anchor))
        position = match.end()
    rest = safe_html[position:].strip()
    if rest:
        blocks.append(Block(0, rest))
    return blocks


def to_markdown(blocks: list[Block], css_class: str = "cb-prose") -> str:
    """Headings as Markdown (for the engine's TOC), HTML blocks wrapped so Markdown leaves them alone."""
    parts = []
    for block in blocks:
        if block.level:
            parts.append(heading(block.level, block.text, block.anchor))
        else:
            parts.append(f'<div class="{css_class}">\n{block.text}\n</div>')
    return "\n\n".join(parts) + "\n"
