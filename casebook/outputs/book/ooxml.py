"""Raw WordprocessingML helpers: the only module that spells out OOXML elements and attributes.

Everything here works on lxml elements; callers never write tag names themselves. Children are
inserted in schema order so that Word accepts the result.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterable

from docx.oxml.ns import qn
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

TWIPS_PER_PT = 20
EMU_PER_PT = 12700
EMU_PER_CM = 360000

# Schema order of the children of w:pPr and w:rPr (CT_PPr, CT_RPr), as far as we use them.
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
    "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl "
    "cs em lang eastAsianLayout specVanish oMath"
).split()
SECTPR_ORDER = (
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
    "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings"
).split()
THEME_FONT_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


@functools.cache  # tens of thousands of calls per volume, with a few dozen names
def w(name: str) -> str:
    return qn(f"w:{name}")


_W_NSMAP = {"w": W_NS}


@functools.cache
def _attr(key: str) -> str:
    """An attribute's qualified name: w: unless the key names its prefix (r:id, xml:space)."""
    return w(key) if ":" not in key else qn(key)


def el(name: str, attrs: dict[str, object] | None = None, *children: etree._Element) -> etree._Element:
    """A w: element with w: attributes (values turned into strings)."""
    node = etree.Element(w(name), None, _W_NSMAP)
    if attrs:
        for key, value in attrs.items():
            node.set(_attr(key), str(value))
    if children:
        node.extend(children)
    return node


def sub(parent: etree._Element, name: str, attrs: dict[str, object] | None = None) -> etree._Element:
    """el(name, attrs) appended to parent, made in place (no document of its own: faster)."""
    return etree.SubElement(
        parent, w(name), {_attr(key): str(value) for key, value in attrs.items()} if attrs else None
    )


def child(parent: etree._Element, name: str, order: Iterable[str]) -> etree._Element:
    """The w:name child of parent, created at its schema position when missing."""
    found = parent.find(w(name))
    if found is not None:
        return found
    node = el(name)
    later = _later(name, tuple(order))
    for index, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(index, node)
            return node
    parent.append(node)
    return node


@functools.cache  # a few names of a few orders, hundreds of calls per volume
def _later(name: str, order: tuple[str, ...]) -> frozenset[str]:
    """The qualified names that come after name in a schema order."""
    return frozenset(w(n) for n in order[order.index(name) + 1 :])


def remove(parent: etree._Element, name: str) -> None:
    for node in parent.findall(w(name)):
        parent.remove(node)


def set_attrs(node: etree._Element, **attrs: object) -> etree._Element:
    for key, value in attrs.items():
        if value is None:
            node.attrib.pop(w(key), None)
        else:
            node.set(w(key), str(value))
    return node


def ppr(parent: etree._Element) -> etree._Element:
    """The w:pPr of a paragraph or paragraph style."""
    found = parent.find(w("pPr"))
    if found is None:
        found = el("pPr")
        # pPr follows w:name/basedOn/next/… in a style and comes first in a paragraph
        if parent.tag == w("style"):
            rpr_node = parent.find(w("rPr"))
            if rpr_node is not None:
                rpr_node.addprevious(found)
            else:
                parent.append(found)
        else:
            parent.insert(0, found)
    return found


def rpr(parent: etree._Element) -> etree._Element:
    """The w:rPr of a run, a style, a pPr (paragraph mark) or docDefaults' rPrDefault."""
    found = parent.find(w("rPr"))
    if found is None:
        found = el("rPr")
        if parent.tag == w("pPr"):
            return child(parent, "rPr", PPR_ORDER)
        if parent.tag == w("r"):
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


# --- run properties -------------------------------------------------------------------------


def set_fonts(rpr_node: etree._Element, east_asia: str | None, latin: str | None) -> None:
    """Name the East Asian and Latin fonts explicitly and drop theme fonts, which would win."""
    fonts = child(rpr_node, "rFonts", RPR_ORDER)
    for attr in THEME_FONT_ATTRS:
        fonts.attrib.pop(w(attr), None)
    if latin:
        set_attrs(fonts, ascii=latin, hAnsi=latin, cs=latin)
    if east_asia:
        set_attrs(fonts, eastAsia=east_asia)


def set_size(rpr_node: etree._Element, points: float) -> None:
    half = int(round(points * 2))
    set_attrs(child(rpr_node, "sz", RPR_ORDER), val=half)
    set_attrs(child(rpr_node, "szCs", RPR_ORDER), val=half)


def set_bold(rpr_node: etree._Element, bold: bool) -> None:
    if bold:
        child(rpr_node, "b", RPR_ORDER)
        child(rpr_node, "bCs", RPR_ORDER)
    else:
        for name in ("b", "bCs"):
            set_attrs(child(rpr_node, name, RPR_ORDER), val=0)


def set_lang(rpr_node: etree._Element, latin: str = "en-US", east_asia: str = "zh-CN") -> None:
    set_attrs(child(rpr_node, "lang", RPR_ORDER), val=latin, eastAsia=east_asia, bidi="ar-SA")


def clear_colour(rpr_node: etree._Element) -> None:
    for name in ("color", "u", "i", "iCs", "caps", "spacing", "kern"):
        remove(rpr_node, name)


# --- paragraph properties -------------------------------------------------------------------


def set_spacing(ppr_node: etree._Element, line_pt: float | None, before_pt: float = 0, after_pt: float = 0) -> None:
    """Exact line spacing of line_pt (None: single spacing), space before and after."""
    spacing = child(ppr_node, "spacing", PPR_ORDER)
    spacing.attrib.clear()
    attrs: dict[str, object] = {
        "before": int(before_pt * TWIPS_PER_PT),
        "beforeLines": 0,
        "after": int(after_pt * TWIPS_PER_PT),
        "afterLines": 0,
    }
    if line_pt is None:
        attrs.update(line=240, lineRule="auto")
    else:
        attrs.update(line=int(line_pt * TWIPS_PER_PT), lineRule="exact")
    set_attrs(spacing, **attrs)


def set_first_line_indent(ppr_node: etree._Element, chars: int, font_pt: float) -> None:
    """First-line indent in characters; both attributes, since LibreOffice reads only firstLine."""
    ind = child(ppr_node, "ind", PPR_ORDER)
    ind.attrib.clear()
    set_attrs(
        ind,
        left=0,
        leftChars=0,
        right=0,
        rightChars=0,
        firstLineChars=chars * 100,
        firstLine=int(chars * font_pt * TWIPS_PER_PT),
    )


def set_align(ppr_node: etree._Element, value: str) -> None:
    set_attrs(child(ppr_node, "jc", PPR_ORDER), val=value)


def set_flag(ppr_node: etree._Element, name: str, on: bool) -> None:
    if on:
        set_attrs(child(ppr_node, name, PPR_ORDER), val=None)
    else:
        remove(ppr_node, name)


def set_outline_level(ppr_node: etree._Element, level: int | None) -> None:
    """Replace any inherited outline level (0 = top) rather than adding a second one."""
    remove(ppr_node, "outlineLvl")
    if level is not None:
        set_attrs(child(ppr_node, "outlineLvl", PPR_ORDER), val=level)


# --- fast paragraph and run builders (used for thousands of paragraphs) ----------------------


_W = f"{{{W_NS}}}"
_NSMAP = {"w": W_NS}
_P, _PPR, _PSTYLE, _R, _RPR, _T = (_W + n for n in ("p", "pPr", "pStyle", "r", "rPr", "t"))
_RFONTS, _B, _BCS, _VERT, _VAL = (_W + n for n in ("rFonts", "b", "bCs", "vertAlign", "val"))
_KEEP_NEXT, _PAGE_BREAK_BEFORE = _W + "keepNext", _W + "pageBreakBefore"
_FONT_SLOTS = tuple(_W + n for n in ("ascii", "hAnsi", "eastAsia", "cs"))
_HINT = _W + "hint"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_SubElement = etree.SubElement
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def paragraph(style_id: str, *, page_break_before: bool = False, keep_next: bool = False) -> etree._Element:
    """A new paragraph of the given style (fast path: thousands are made per book)."""
    p = etree.Element(_P, nsmap=_NSMAP)
    props = _SubElement(p, _PPR)
    _SubElement(props, _PSTYLE, {_VAL: style_id})
    if keep_next:
        _SubElement(props, _KEEP_NEXT)
    if page_break_before:
        _SubElement(props, _PAGE_BREAK_BEFORE)
    return p


def add_run(
    parent: etree._Element, text: str, *, bold: bool = False, superscript: bool = False, all_fonts: str | None = None
) -> etree._Element:
    """Append a run of text; all_fonts names one font for every slot (quotes set in the CJK face)."""
    r = _SubElement(parent, _R)
    if bold or superscript or all_fonts:
        props = _SubElement(r, _RPR)
        if all_fonts:
            fonts = _SubElement(props, _RFONTS)
            for slot in _FONT_SLOTS:
                fonts.set(slot, all_fonts)
            fonts.set(_HINT, "eastAsia")
        if bold:
            _SubElement(props, _B)
            _SubElement(props, _BCS)
        if superscript:
            _SubElement(props, _VERT, {_VAL: "superscript"})
    t = _SubElement(r, _T)
    t.text = _INVALID_XML.sub("", text) if _INVALID_XML.search(text) else text
    if text[:1].isspace() or text[-1:].isspace():
        t.set(_XML_SPACE, "preserve")
    return r


def run(text: str, *, bold: bool = False, superscript: bool = False, all_fonts: str | None = None) -> etree._Element:
    """A standalone run (prefer add_run in loops)."""
    holder = etree.Element(_P, nsmap=_NSMAP)
    r = add_run(holder, text, bold=bold, superscript=superscript, all_fonts=all_fonts)
    holder.remove(r)
    return r


# --- string builders: a case body is written as XML text and parsed once (much faster) ------

FRAGMENT_OPEN = f'<w:body xmlns:w="{W_NS}">'


_TO_ESCAPE = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')  # what escape changes


def escape(text: str) -> str:
    """XML-escaped text without the control characters XML forbids."""
    if not _TO_ESCAPE.search(text):  # most texts: one scan
        return text
    return _replaced(text, _ESCAPES)


_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"))
_ELEMENT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))  # as lxml writes text


def _replaced(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    if _INVALID_XML.search(text):
        text = _INVALID_XML.sub("", text)
    for char, entity in escapes:
        if char in text:
            text = text.replace(char, entity)
    return text


def run_xml(text: str, *, bold: bool = False, superscript: bool = False, all_fonts: str | None = None) -> str:
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"{_run_start(bold, superscript, all_fonts)}{space}>{escape(text)}</w:t></w:r>"


def split_runs_xml(
    text: str, quotes: re.Pattern, quote_font: str | None, *, bold: bool = False, superscript: bool = False
) -> str:
    """run_xml of each non-empty piece of text split by quotes (a pattern capturing the quote marks),
    the quotes' pieces set in quote_font: tens of thousands of pieces per volume, so what they share
    is worked out once per text."""
    plain, quote = _run_start(bold, superscript, None), _run_start(bold, superscript, quote_font)
    safe = _TO_ESCAPE.search(text) is None  # then no piece needs escape
    out = []
    for piece in quotes.split(text):
        if piece:
            space = ' xml:space="preserve"' if piece[:1].isspace() or piece[-1:].isspace() else ""
            start = quote if piece[0] in "“”‘’" else plain
            out.append(f"{start}{space}>{piece if safe else escape(piece)}</w:t></w:r>")
    return "".join(out)


@functools.cache  # a few kinds of run, tens of thousands of runs per volume
def _run_start(bold: bool, superscript: bool, all_fonts: str | None) -> str:
    """A run's XML up to its text element's attributes: <w:r>, its properties, <w:t."""
    props = ""
    if all_fonts:
        font = escape(all_fonts)
        props += f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}" w:hint="eastAsia"/>'
    if bold:
        props += "<w:b/><w:bCs/>"
    if superscript:
        props += '<w:vertAlign w:val="superscript"/>'
    return f"<w:r>{'<w:rPr>' + props + '</w:rPr>' if props else ''}<w:t"


def element_run_xml(text: str, *, bold: bool = False, all_fonts: str | None = None) -> str:
    """The XML lxml writes for run(text, …) in a document: what is written as text beside the
    elements built one by one then gives the same bytes (lxml escapes no \" in text, and CR)."""
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"{_run_start(bold, False, all_fonts)}{space}>{_element_text(text)}</w:t></w:r>"


def _element_text(text: str) -> str:
    return _replaced(text, _ELEMENT_ESCAPES)


def paragraph_xml(style_id: str, runs: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{escape(style_id)}"/></w:pPr>{runs}</w:p>'


class Fragments:
    """Body XML kept as text until the document is serialised: a placeholder element stands in
    the tree and is replaced in the serialised bytes (no element per run is ever built)."""

    _PLACEHOLDER = re.compile(rb'<w:fragment w:id="(\d+)"/>')

    def __init__(self) -> None:
        self.texts: list[bytes] = []

    def placeholder(self, xml: str) -> etree._Element:
        self.texts.append(xml.encode("utf-8"))
        return el("fragment", {"id": len(self.texts) - 1})

    def expand(self, serialised: bytes) -> bytes:
        if not self.texts:
            return serialised
        pieces = self._PLACEHOLDER.split(serialised)
        out = [pieces[0]]
        for index in range(1, len(pieces), 2):
            out.append(self.texts[int(pieces[index])])
            out.append(pieces[index + 1])
        return b"".join(out)


def parse_fragment(xml: str) -> list[etree._Element]:
    """Parse paragraphs written as text into elements (w: prefix bound)."""
    return list(etree.fromstring(f"{FRAGMENT_OPEN}{xml}</w:body>"))


def line_break() -> etree._Element:
    return el("r", None, el("br"))


def set_descr(inline: etree._Element, text: str) -> None:
    """The alternative text of an inline picture (wp:docPr/@descr; PDF export makes it /Alt)."""
    for node in inline.iter("{*}docPr"):
        node.set("descr", _INVALID_XML.sub("", text))


def page_break() -> etree._Element:
    return el("r", None, el("br", {"type": "page"}))


def field(instruction: str, cached: str, rpr_node: etree._Element | None = None) -> list[etree._Element]:
    """A complex field: begin, instruction, separate, cached result, end."""

    runs = []
    for kind in ("begin", "instruction", "separate", "result", "end"):  # children made in place
        r = el("r")
        if rpr_node is not None:
            r.append(copy.deepcopy(rpr_node))
        if kind == "instruction":
            _SubElement(r, _W + "instrText", {_XML_SPACE: "preserve"}).text = f" {instruction} "
        elif kind == "result":
            _SubElement(r, _T).text = cached
        else:
            _SubElement(r, _W + "fldChar", {_W + "fldCharType": kind})
        runs.append(r)
    return runs


def bookmark(p: etree._Element, ident: int, name: str) -> None:
    """Wrap the content of paragraph p in a bookmark."""
    start = el("bookmarkStart", {"id": ident, "name": name})
    end = el("bookmarkEnd", {"id": ident})
    props = p.find(w("pPr"))
    if props is not None:
        props.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


# --- sections -------------------------------------------------------------------------------


def section(
    *,
    width_cm: float,
    height_cm: float,
    margins_cm: dict[str, float],
    start: str = "nextPage",
    footer_rid: str | None = None,
    page_start: int | None = None,
    page_format: str | None = None,
    headers: dict[str, str] | None = None,
    footers: dict[str, str] | None = None,
    title_page: bool = False,
) -> etree._Element:
    """A w:sectPr: page size, margins, section start, footer, page-number format and restart.

    page_format alone (without page_start) continues the numbering in that format. headers and
    footers: more references by type ("default", "even", "first") → relationship id; title_page: the
    section's first page takes the "first" header and footer (w:titlePg)."""

    def twips(cm: float) -> int:
        return int(round(cm / 2.54 * 72 * TWIPS_PER_PT))

    sect = el("sectPr")
    for kind, rid in (headers or {}).items():
        sub(sect, "headerReference", {"w:type": kind, "r:id": rid})
    if footer_rid:
        sub(sect, "footerReference", {"w:type": "default", "r:id": footer_rid})
    for kind, rid in (footers or {}).items():
        if kind != "default" or not footer_rid:
            sub(sect, "footerReference", {"w:type": kind, "r:id": rid})
    sub(sect, "type", {"val": start})
    sub(sect, "pgSz", {"w": twips(width_cm), "h": twips(height_cm)})
    sub(
        sect,
        "pgMar",
        {
            "top": twips(margins_cm["top"]),
            "right": twips(margins_cm["right"]),
            "bottom": twips(margins_cm["bottom"]),
            "left": twips(margins_cm["left"]),
            "header": twips(margins_cm.get("header", 1.5)),
            "footer": twips(margins_cm.get("footer", 2.0)),
            "gutter": 0,
        },
    )
    if page_start is not None or page_format is not None:
        numbering: dict[str, object] = {"fmt": page_format or "decimal"}
        if page_start is not None:
            numbering["start"] = page_start
        sub(sect, "pgNumType", numbering)
    sub(sect, "cols", {"space": 425})
    if title_page:
        sub(sect, "titlePg")
    sub(sect, "docGrid", {"linePitch": 620})
    return sect


# --- tables ---------------------------------------------------------------------------------


def table(widths_twips: list[int], *, borders: bool = True) -> etree._Element:
    """An empty fixed-layout table with its grid; rows are added with table_row."""
    tbl = el("tbl")
    props = el("tblPr", None, el("tblW", {"w": sum(widths_twips), "type": "dxa"}), el("jc", {"val": "center"}))
    if borders:
        edges = el("tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edges.append(el(edge, {"val": "single", "sz": 4, "space": 0, "color": "000000"}))
        props.append(edges)
    props.append(el("tblLayout", {"type": "fixed"}))
    props.append(el("tblCellMar", None, el("left", {"w": 85, "type": "dxa"}), el("right", {"w": 85, "type": "dxa"})))
    props.append(
        el(
            "tblLook",
            {"val": "04A0", "firstRow": 1, "lastRow": 0, "firstColumn": 0, "lastColumn": 0, "noHBand": 0, "noVBand": 1},
        )
    )
    tbl.append(props)
    grid = el("tblGrid")
    for width in widths_twips:
        grid.append(el("gridCol", {"w": width}))
    tbl.append(grid)
    return tbl


def table_row(
    tbl: etree._Element,
    cells: list[list[etree._Element]],
    *,
    header: bool = False,
    span_all: bool = False,
    spans: list[int] | None = None,
    keep_next: bool = False,
) -> etree._Element:
    """Append a row; each cell is a list of paragraphs. span_all merges one cell over the grid; spans
    gives each cell's number of grid columns."""
    widths = [int(g.get(_W + "w")) for g in tbl.find(_W + "tblGrid")]
    # children made in place (SubElement): a 目录 has hundreds of rows of a dozen elements each
    tr = _SubElement(tbl, _W + "tr")
    tr_props = _SubElement(tr, _W + "trPr")
    _SubElement(tr_props, _W + "cantSplit")
    if header:
        _SubElement(tr_props, _W + "tblHeader")
    if spans is None:
        spans = [len(widths)] if span_all else [1] * len(cells)
    if keep_next:  # a 篇 row stays with its first case (Word and LibreOffice keep rows by their paragraphs)
        for paragraphs in cells:
            for p in paragraphs:
                set_flag(ppr(p), "keepNext", True)
    position = 0
    for paragraphs, span in zip(cells, spans, strict=False):
        width = sum(widths[position : position + span])
        position += span
        tc = _SubElement(tr, _W + "tc")
        tc_props = _SubElement(tc, _W + "tcPr")
        _SubElement(tc_props, _W + "tcW", {_W + "w": str(width), _W + "type": "dxa"})
        if span > 1:
            _SubElement(tc_props, _W + "gridSpan", {_VAL: str(span)})
        _SubElement(tc_props, _W + "vAlign", {_VAL: "center"})
        tc.extend(paragraphs or [el("p")])
    return tr


# --- settings.xml ---------------------------------------------------------------------------


# CT_Settings children that come after w:evenAndOddHeaders (as far as a reference document has them)
_AFTER_EVEN_AND_ODD = set(
    "bookFoldRevPrinting bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
    "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery "
    "doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin drawingGridVerticalOrigin "
    "doNotShadeFormData noPunctuationKerning characterSpacingControl printTwoOnOne strictFirstAndLastChars "
    "noLineBreaksAfter noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema saveInvalidXml "
    "ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving "
    "saveThroughXslt showXMLTags alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr "
    "endnotePr compat docVars rsids mathPr attachedSchema themeFontLang clrSchemeMapping "
    "doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown "
    "smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator".split()
)


def set_even_and_odd_headers(settings_el: etree._Element) -> None:
    """w:evenAndOddHeaders in document settings (sections then need "even" header and footer
    references of their own), in schema order."""
    if settings_el.find(w("evenAndOddHeaders")) is not None:
        return
    node = el("evenAndOddHeaders")
    for existing in settings_el:
        if isinstance(existing.tag, str) and etree.QName(existing).localname in _AFTER_EVEN_AND_ODD:
            existing.addprevious(node)
            return
    settings_el.append(node)


_AFTER_UPDATE_FIELDS = set(
    "hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr attachedSchema themeFontLang "
    "clrSchemeMapping doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions "
    "readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol "
    "listSeparator".split()
)


def set_update_fields(settings_el: etree._Element) -> None:
    """w:updateFields in document settings: Word offers to update every field (the 目录's PAGEREFs)
    when the file is opened. In schema order; elements of later namespaces (w14:docId …) come after."""
    if settings_el.find(w("updateFields")) is not None:
        return
    node = el("updateFields", {"val": "true"})
    for existing in settings_el:
        if not isinstance(existing.tag, str):
            continue
        name = etree.QName(existing)
        if name.localname in _AFTER_UPDATE_FIELDS or name.namespace != etree.QName(node).namespace:
            existing.addprevious(node)
            return
    settings_el.append(node)


def set_theme_font_lang(settings_el: etree._Element) -> None:
    found = settings_el.find(w("themeFontLang"))
    if found is None:
        found = el("themeFontLang")
        later = [settings_el.find(w(n)) for n in ("clrSchemeMapping", "doNotIncludeSubdocsInStats", "decimalSymbol")]
        later = [n for n in later if n is not None]
        if later:
            later[0].addprevious(found)
        else:
            settings_el.append(found)
    set_attrs(found, val="en-US", eastAsia="zh-CN")


def xml_bytes(node: etree._Element) -> bytes:
    return etree.tostring(node, xml_declaration=True, encoding="UTF-8", standalone=True)
