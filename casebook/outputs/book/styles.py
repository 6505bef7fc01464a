"""The book's named styles (附件2 format) and the reference document that carries them.

theme/reference.docx is generated from these definitions (``python -m casebook.outputs.book.styles``) and
may then be adjusted by an editor in Word: the writer takes every style from the reference and only
adds the styles it lacks. Built-in Normal and Title are used for 正文 and 标题 because Chinese Word
shows them under exactly these names.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from lxml import etree

from casebook.outputs.book import ooxml, package
from casebook.outputs.book.layout import page_setup
from casebook.outputs.book.ooxml import w

FANG = "仿宋_GB2312"
KAI = "楷体_GB2312"
HEI = "黑体"
SONG = "宋体"
XIAOBIAOSONG = "方正小标宋简体"
TIMES = "Times New Roman"

BODY_PT = 16.0  # 三号
LINE_PT = 31.0  # 固定值 31 磅
REFERENCE = Path("theme") / "reference.docx"


@dataclass(frozen=True)
class StyleDef:
    style_id: str
    name: str
    east_asia: str
    latin: str = TIMES
    size: float = BODY_PT
    bold: bool = False
    align: str = "both"
    line: float | None = LINE_PT  # exact line spacing; None = single
    indent: int = 0  # first-line indent in characters
    outline: int | None = None
    keep_next: bool = False
    keep_lines: bool = False
    page_break_before: bool = False
    before: float = 0
    after: float = 0
    based_on: str | None = "Normal"


STYLES: tuple[StyleDef, ...] = (
    StyleDef("Normal", "Normal", FANG, indent=2, based_on=None),  # 正文
    StyleDef(
        "Title",
        "Title",
        XIAOBIAOSONG,
        size=22,
        bold=True,
        align="center",
        outline=1,
        keep_next=True,
        page_break_before=True,
        after=LINE_PT / 2,
    ),  # 标题
    StyleDef(
        "CasePart",
        "篇名",
        XIAOBIAOSONG,
        size=26,
        bold=True,
        align="center",
        outline=0,
        page_break_before=True,
        before=6 * LINE_PT,
    ),
    StyleDef(
        "Chapter",
        "章名",
        XIAOBIAOSONG,
        size=22,
        bold=True,
        align="center",
        outline=0,
        keep_next=True,
        page_break_before=True,
        after=LINE_PT,
    ),
    StyleDef("Unit", "单位", KAI, align="center", keep_next=True),
    StyleDef("Authors", "执笔人", KAI, align="center", keep_next=True, after=LINE_PT / 2),
    StyleDef("Summary", "概要", KAI, indent=2),
    StyleDef("Heading1Cn", "一级标题", HEI, indent=2, outline=2, keep_next=True),
    StyleDef("Heading2Cn", "二级标题", KAI, indent=2, outline=3, keep_next=True),
    StyleDef("Heading3Cn", "三级标题", FANG, indent=2, outline=4, keep_next=True),
    StyleDef("Heading4Cn", "四级标题", FANG, indent=2, outline=5, keep_next=True),
    StyleDef("Quote", "引文", KAI, indent=2),
    StyleDef("Picture", "图片", FANG, align="center", line=None, keep_next=True, before=6),
    StyleDef("PictureCaption", "图注", KAI, size=14, align="center", line=24, after=6, keep_lines=True),
    StyleDef("TableText", "表格文字", FANG, size=14, align="left", line=24),
    StyleDef("TocHead", "目录表头", HEI, size=14, align="center", line=24, based_on="TableText"),
    StyleDef("TocText", "目录文字", FANG, size=14, align="left", line=24, based_on="TableText"),
    StyleDef("TocHeadSmall", "目录小表头", HEI, size=12, align="center", line=18, based_on="TableText"),
    StyleDef("TocSmall", "目录小字", FANG, size=12, align="left", line=18, based_on="TableText"),
    StyleDef("TocPart", "目录分组", HEI, size=14, align="left", line=24, based_on="TableText"),
    StyleDef("Note", "注释", FANG, size=14, line=24),
    StyleDef("PageNumber", "页码", SONG, latin=SONG, size=14, align="center", line=None),
    StyleDef(
        "CoverTitle",
        "封面书名",
        XIAOBIAOSONG,
        size=36,
        bold=True,
        align="center",
        line=None,
        before=4 * LINE_PT,
        after=LINE_PT,
    ),
    StyleDef("CoverYear", "封面年度", XIAOBIAOSONG, size=26, bold=True, align="center", line=None, after=5 * LINE_PT),
    StyleDef("CoverLine", "封面署名", KAI, size=18, align="center", line=LINE_PT + 5),
    StyleDef(
        "TitlePageTitle",
        "扉页书名",
        XIAOBIAOSONG,
        size=26,
        bold=True,
        align="center",
        line=None,
        before=5 * LINE_PT,
        after=LINE_PT,
    ),
    StyleDef("TitlePageLine", "扉页署名", KAI, size=16, align="center", line=LINE_PT),
    StyleDef("Colophon", "版权页", SONG, size=10.5, align="left", line=20),
)
BY_ID = {s.style_id: s for s in STYLES}
# Markdown heading depth (number of #) to style id; "#" inside a body is treated as 一、
HEADING_STYLE = {1: "Heading1Cn", 2: "Heading1Cn", 3: "Heading2Cn", 4: "Heading3Cn", 5: "Heading4Cn", 6: "Heading4Cn"}
KEEP_BUILTIN = {"Normal", "Title", "DefaultParagraphFont", "TableNormal", "NoList"}


def apply(style_el: etree._Element, spec: StyleDef) -> None:
    """Write one definition into a w:style element, replacing its paragraph and run properties."""
    for name in ("pPr", "rPr", "link"):
        ooxml.remove(style_el, name)
    if spec.based_on and spec.style_id != spec.based_on:
        ooxml.remove(style_el, "basedOn")
        based = ooxml.el("basedOn", {"val": spec.based_on})
        style_el.find(w("name")).addnext(based)
    ppr = ooxml.ppr(style_el)
    ooxml.set_flag(ppr, "keepNext", spec.keep_next)
    ooxml.set_flag(ppr, "keepLines", spec.keep_lines)
    ooxml.set_flag(ppr, "pageBreakBefore", spec.page_break_before)
    ooxml.set_flag(ppr, "widowControl", True)  # no lone first or last line of a paragraph on a page
    ooxml.set_spacing(ppr, spec.line, spec.before, spec.after)
    ooxml.set_first_line_indent(ppr, spec.indent, spec.size)
    ooxml.set_align(ppr, spec.align)
    ooxml.set_outline_level(ppr, spec.outline)
    rpr = ooxml.rpr(style_el)
    ooxml.set_fonts(rpr, spec.east_asia, spec.latin)
    ooxml.set_bold(rpr, spec.bold)
    ooxml.clear_colour(rpr)
    ooxml.set_size(rpr, spec.size)
    ooxml.set_lang(rpr, latin=DOCUMENT_LANG)


def new_style_element(spec: StyleDef) -> etree._Element:
    style = ooxml.el("style", {"type": "paragraph", "customStyle": 1, "styleId": spec.style_id})
    style.append(ooxml.el("name", {"val": spec.name}))
    style.append(ooxml.el("next", {"val": "Normal"}))
    style.append(ooxml.el("qFormat"))
    return style


def ensure(document: Document) -> None:
    """Add the styles the reference lacks; styles that exist (perhaps edited in Word) are kept."""
    styles_el = document.styles.element
    present = {s.get(w("styleId")) for s in styles_el.findall(w("style"))}
    for spec in STYLES:
        if spec.style_id not in present:
            element = new_style_element(spec)
            styles_el.append(element)
            apply(element, spec)


def effective_east_asia(document: Document) -> dict[str, str]:
    """style id -> East Asian font after following basedOn (for quote runs set in the CJK face)."""
    by_id = {s.get(w("styleId")): s for s in document.styles.element.findall(w("style"))}
    result: dict[str, str] = {}
    for style_id in by_id:
        current, seen = by_id.get(style_id), set()
        while current is not None and style_id not in result:
            fonts = current.find(f"{w('rPr')}/{w('rFonts')}")
            if fonts is not None and fonts.get(w("eastAsia")):
                result[style_id] = fonts.get(w("eastAsia"))
            based = current.find(w("basedOn"))
            key = based.get(w("val")) if based is not None else None
            if key is None or key in seen:
                break
            seen.add(key)
            current = by_id.get(key)
        result.setdefault(style_id, FANG)
    return result


def _defaults(styles_el: etree._Element) -> None:
    defaults = styles_el.find(w("docDefaults"))
    rpr = defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
    ooxml.set_fonts(rpr, FANG, TIMES)
    ooxml.set_size(rpr, BODY_PT)
    ppr = defaults.find(f"{w('pPrDefault')}/{w('pPr')}")
    ooxml.set_spacing(ppr, LINE_PT)
    book_defaults(styles_el)


DOCUMENT_LANG = "zh-CN"


def book_defaults(styles_el: etree._Element) -> None:
    """What every volume needs whatever its reference says: the document language zh-CN in every
    slot of the defaults (LibreOffice writes the Latin one as the PDF's /Lang), and widow and orphan
    control, also in our own styles of an older reference that switched it off."""
    defaults = styles_el.find(w("docDefaults"))
    if defaults is None:
        defaults = ooxml.el("docDefaults")
        styles_el.insert(0, defaults)
    for holder, inner in (("rPrDefault", "rPr"), ("pPrDefault", "pPr")):
        if defaults.find(w(holder)) is None:
            defaults.append(ooxml.el(holder))
        if defaults.find(f"{w(holder)}/{w(inner)}") is None:
            defaults.find(w(holder)).append(ooxml.el(inner))
    ooxml.set_lang(defaults.find(f"{w('rPrDefault')}/{w('rPr')}"), latin=DOCUMENT_LANG)
    ooxml.set_flag(defaults.find(f"{w('pPrDefault')}/{w('pPr')}"), "widowControl", True)
    for style in styles_el.findall(w("style")):
        if style.get(w("styleId")) in BY_ID:
            control = style.find(f"{w('pPr')}/{w('widowControl')}")
            if control is not None and control.get(w("val")) in ("0", "false", "off"):
                control.attrib.pop(w("val"))


def build_reference() -> Document:
    """A fresh reference document: python-docx's template stripped to our styles, zh-CN, A4."""
    document = docx.Document()
    package.strip_template_parts(document)
    styles_el = document.styles.element
    _defaults(styles_el)
    for style in list(styles_el.findall(w("style"))):
        if style.get(w("styleId")) not in KEEP_BUILTIN:
            styles_el.remove(style)
    present = {s.get(w("styleId")): s for s in styles_el.findall(w("style"))}
    for spec in STYLES:
        element = present.get(spec.style_id)
        if element is None:
            element = new_style_element(spec)
            styles_el.append(element)
        apply(element, spec)
    ooxml.set_theme_font_lang(document.settings.element)
    return document


def load_reference(root: Path) -> Document:
    """The collection's theme/reference.docx when present, else a freshly built one."""
    path = root / REFERENCE
    if path.is_file():
        document = docx.Document(str(path))
    else:
        document = build_reference()
    package.strip_template_parts(document)  # an edited reference carries Word's metadata: never into a book
    ensure(document)
    book_defaults(document.styles.element)
    return document


def write_reference(path: Path) -> None:
    """theme/reference.docx: the styles, A4 with the format's margins, no content."""
    document = build_reference()
    body = document.element.body
    for node in list(body):
        body.remove(node)
    body.append(page_setup())
    package.save(document, path, title="参考样式", author="")


def main(argv: list[str] | None = None) -> int:
    target = Path((argv or sys.argv[1:] or [str(REFERENCE)])[0])
    write_reference(target)
    sys.stdout.write(f"已生成参考样式文档：{target}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
