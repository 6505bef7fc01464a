"""One case as a WeChat article: title, 申报单位 and 执笔人, the summary as a lead box, the body, the
photos with their captions, the 来源 line — as HTML with inline styles only.

The body goes through the project's dialect and nh3 (outputs.site.sanitize) first; the sanitised tree
is then rebuilt element by element into the small set of tags the WeChat editor keeps, each with its
style from styles.py. Nothing of the author's markup survives except text and the structure mapped
here: no class, id, link, script or foreign image reaches the article."""

from __future__ import annotations

import html
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from casebook.document import normalise_src
from casebook.model import Case, Photo
from casebook.outputs.site.sanitize import Renderer, clean
from casebook.outputs.wechat import styles

# every tag an article may contain: the subset the WeChat editor keeps
KEPT_TAGS = frozenset({
    "section", "p", "span", "strong", "em", "br", "img", "h1", "h2", "h3", "h4", "blockquote", "ul", "ol",
    "li", "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub", "pre",
})  # fmt: skip
KEPT_ATTRIBUTES = frozenset({"style", "src", "alt", "start", "colspan", "rowspan"})

_INLINE = {
    "strong": ("strong", "strong"),
    "b": ("strong", "strong"),
    "em": ("em", "em"),
    "i": ("em", "em"),
    "u": ("span", "underline"),
    "ins": ("span", "underline"),
    "s": ("span", "strike"),
    "del": ("span", "strike"),
    "mark": ("span", "mark"),
    "code": ("span", "code"),
    "kbd": ("span", "code"),
    "sup": ("sup", "sup"),
    "sub": ("sub", "sub"),
}
_HEADINGS = {"h1": ("h2", "h1"), "h2": ("h2", "h1"), "h3": ("h3", "h2")}  # h4–h6: ("h4", "h3")
_SECTIONS = {"div", "figure", "details", "dl", "dd"}
_LINES = {"figcaption", "summary", "dt"}
_TABLE_PARTS = {"thead": "thead", "tbody": "tbody", "tfoot": "tbody", "tr": "tr"}
_FIGURES_ALLOWED = {"body", "quote", "list"}  # where a photo may stand as a captioned block


@dataclass(frozen=True)
class Article:
    html: str  # the <section> fragment that is pasted
    photos: tuple[Photo, ...]  # in the order they appear; each is N.jpg beside the article
    title: str  # the heading of the article (the case title)


def _append_text(parent: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _has_content(element: etree._Element) -> bool:
    return bool((element.text or "").strip()) or len(element) > 0


def photo_file(photo: Photo) -> str:
    return f"{photo.number}.jpg"


class _Builder:
    def __init__(self, case: Case, accent: str) -> None:
        self.style = styles.table(accent)
        self.by_file = {normalise_src(p.file): p for p in case.photos}
        self.shown: list[Photo] = []

    def element(self, tag: str, role: str | None = None, text: str | None = None) -> etree._Element:
        made = etree.Element(tag)
        if role and self.style.get(role):
            made.set("style", self.style[role])
        made.text = text
        return made

    def figure(self, photo: Photo) -> etree._Element:
        block = self.element("section", "figure")
        image = etree.SubElement(block, "img")
        image.set("src", photo_file(photo))
        image.set("alt", photo.caption)
        image.set("style", self.style["img"])
        block.append(self.element("p", "caption", photo.caption))
        if photo not in self.shown:
            self.shown.append(photo)
        return block

    def photo_of(self, image: etree._Element) -> Photo | None:
        return self.by_file.get(normalise_src(image.get("src") or ""))

    # --- the sanitised body, rebuilt ----------------------------------------------------------------

    def children(self, target: etree._Element, source: etree._Element, context: str) -> None:
        _append_text(target, source.text)
        for child in source:
            if isinstance(child.tag, str):
                self.node(target, child, context)
            _append_text(target, child.tail)

    def node(self, target: etree._Element, source: etree._Element, context: str) -> None:
        tag = source.tag
        if tag == "img":
            photo = self.photo_of(source)
            if photo is not None and context in _FIGURES_ALLOWED:
                target.append(self.figure(photo))
            return  # unknown and external images are dropped; photos not shown go to the end
        if tag == "p":
            self.paragraph(target, source, context)
        elif tag in _INLINE:
            new_tag, role = _INLINE[tag]
            self.wrap(
                target, source, new_tag, None if context == "pre" else role, "pre" if context == "pre" else "inline"
            )
        elif tag == "br":
            target.append(etree.Element("br"))
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            new_tag, role = _HEADINGS.get(tag, ("h4", "h3"))
            self.wrap(target, source, new_tag, role, "inline")
        elif tag in ("ul", "ol"):
            made = self.wrap(target, source, tag, tag, "list")
            start = source.get("start")
            if tag == "ol" and start and start.isdigit() and len(start) <= 5:
                made.set("start", start)
        elif tag == "li":
            self.wrap(target, source, "li", "li", "list")
        elif tag == "blockquote":
            self.wrap(target, source, "blockquote", "blockquote", "quote")
        elif tag == "pre":
            self.wrap(target, source, "pre", "pre", "pre")
        elif tag == "table":
            self.table(target, source)
        elif tag in _TABLE_PARTS:
            self.wrap(target, source, _TABLE_PARTS[tag], None, "table")
        elif tag in ("th", "td"):
            self.cell(target, source)
        elif tag == "hr":
            target.append(self.element("hr", "hr"))
        elif tag in _SECTIONS:
            self.wrap(target, source, "section", None, context)
        elif tag in _LINES:
            self.wrap(target, source, "p", "p_plain", "inline")
        elif tag == "a" and "footnote-backref" in (source.get("class") or ""):
            return
        else:  # a, span, abbr, q, small, colgroup …: their text only
            if tag not in ("col", "colgroup", "caption"):
                self.children(target, source, context)

    def wrap(
        self, target: etree._Element, source: etree._Element, tag: str, role: str | None, context: str
    ) -> etree._Element:
        made = self.element(tag, role)
        self.children(made, source, context)
        target.append(made)
        return made

    def paragraph(self, target: etree._Element, source: etree._Element, context: str) -> None:
        """A paragraph; a photo standing in it splits it, so the photo becomes a captioned block."""
        role = "p" if context == "body" else "p_plain"
        if context not in _FIGURES_ALLOWED:
            self.wrap(target, source, "span" if context in ("inline", "pre") else "p", None, "inline")
            return
        current = self.element("p", role)
        _append_text(current, source.text)
        for child in source:
            if not isinstance(child.tag, str):
                _append_text(current, child.tail)
                continue
            photo = self.photo_of(child) if child.tag == "img" else None
            if photo is not None:
                if _has_content(current):
                    target.append(current)
                target.append(self.figure(photo))
                current = self.element("p", role)
            elif child.tag != "img":
                self.node(current, child, "inline")
            _append_text(current, child.tail)
        if _has_content(current):
            target.append(current)

    def table(self, target: etree._Element, source: etree._Element) -> None:
        for caption in source.iter("caption"):
            target.append(self.element("p", "p_plain", " ".join("".join(caption.itertext()).split())))
        self.wrap(target, source, "table", "table", "table")

    def cell(self, target: etree._Element, source: etree._Element) -> None:
        made = self.wrap(target, source, source.tag, source.tag, "inline")
        align = source.get("align")
        if align in ("left", "center", "right"):
            made.set("style", f"{made.get('style')};text-align:{align}")
        for name in ("colspan", "rowspan"):
            value = source.get(name)
            if value and value.isdigit() and len(value) <= 3:
                made.set(name, value)


def _paragraphs(text: str) -> list[str]:
    return [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]


def source_line(case_settings_source: str, organiser: str) -> str:
    """The closing 来源 line: settings ``wechat.source``, else 来源：<organiser>, else none."""
    if case_settings_source:
        return case_settings_source
    return f"来源：{organiser}" if organiser else ""


def build(case: Case, accent: str, source: str, renderer: Renderer | None = None) -> Article:
    """The article of one case (of the public view)."""
    builder = _Builder(case, accent)
    root = builder.element("section", "root")
    root.append(builder.element("h1", "title", case.title))
    root.append(builder.element("p", "byline", f"申报单位：{case.unit}"))
    if case.authors:
        root.append(builder.element("p", "byline", f"执笔人：{'、'.join(case.authors)}"))
    lead = builder.element("section", "lead")
    lead.append(builder.element("p", "lead_label", "案例概要"))
    for paragraph in _paragraphs(case.summary):
        lead.append(builder.element("p", "lead_p", paragraph))
    root.append(lead)
    safe = clean((renderer or Renderer()).render(case.body))
    body = lxml_html.fragment_fromstring(safe, create_parent="div")
    builder.children(root, body, "body")
    for photo in case.photos:
        if photo not in builder.shown:
            root.append(builder.figure(photo))
    if source:
        root.append(builder.element("p", "source", source))
    text = lxml_html.tostring(root, encoding="unicode", method="html")
    return Article(text, tuple(builder.shown), case.title)


def document(article: Article) -> str:
    """article.html: the fragment in a minimal page (so that it opens with the right encoding)."""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(article.title, quote=False)}</title>\n</head>\n<body>\n{article.html}\n</body>\n</html>\n"
    )


def fragment_of(document_text: str) -> str:
    """The article fragment back out of an article.html written by ``document``."""
    start = document_text.index("<body>\n") + len("<body>\n")
    return document_text[start : document_text.rindex("\n</body>")]
