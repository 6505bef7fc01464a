"""Untrusted Markdown to safe HTML: the project's Markdown dialect, then nh3 with a strict allow-list.

Headings are handed back to the engine as Markdown (so its table of contents and anchors work);
everything between them goes through as sanitised raw HTML blocks."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import nh3
from pymdownx.slugs import slugify as make_slugify

from ..markdown_setup import EXTENSION_CONFIGS, EXTENSIONS

SLUGIFY = make_slugify(case="lower")

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
_LOCAL_SRC = re.compile(r"^(?![a-zA-Z][\w+.-]*:)(?!/)(?!\\)[^\s]+$")
_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_ID_ATTR = re.compile(r'\sid="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^])")
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
        configs = {name: dict(cfg) for name, cfg in EXTENSION_CONFIGS.items()}
        configs.setdefault("toc", {})["slugify"] = SLUGIFY
        if "footnotes" in EXTENSIONS:
            configs.setdefault("footnotes", {}).setdefault("BACKLINK_TITLE", "返回正文第 %d 处")
        self._md = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=configs)

    def render(self, source: str) -> tuple[str, bool]:
        """Unsanitised HTML, and whether the source used raw HTML (or entities) at all."""
        self._md.reset()
        output = self._md.convert(source)
        return output, self._md.htmlStash.html_counter > 0

    def to_html(self, source: str) -> str:
        return clean(self.render(source)[0])


class _Checker(HTMLParser):
    """Does rendered Markdown stay inside the allow-list exactly as it is (tags, attributes, URLs)?"""

    def __init__(self, images: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.images, self.ok = images, True

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in TAGS:
            self.ok = False
            return
        allowed = ATTRIBUTES.get(tag, set()) | ATTRIBUTES["*"]
        for name, value in attrs:
            value = value or ""
            if name == "class":
                if not set(value.split()) <= CLASSES.get(tag, set()):
                    self.ok = False
            elif name not in allowed or _filter(tag, name, value) is None:
                self.ok = False
            elif (
                name == "href"
                and _SCHEME.match(value.strip())
                and _SCHEME.match(value.strip()).group(1).lower() not in SCHEMES
            ):
                self.ok = False
            elif tag == "img" and name == "src" and value not in self.images:
                self.ok = False

    handle_startendtag = handle_starttag


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def engine_safe(rendered: str, images: set[str]) -> bool:
    """True when the engine may render the Markdown itself: the output of the same dialect holds only
    allowed tags, attributes and URL schemes, and every image is a known photo alone in a paragraph."""
    checker = _Checker(images)
    checker.feed(rendered)
    checker.close()
    alone = len(re.findall(r"<p><img [^>]*>\s*</p>", rendered))
    return checker.ok and alone == rendered.count("<img")


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
