"""The block structure of a body as Python-Markdown builds it, with source lines kept.

A port of `markdown.blockparser` and of the dialect's block processors, in their order, reduced
to what an outline needs: which headings there are and which texts get inline processing (where
images live). It uses the processors' own regular expressions and helpers, and a skeleton tree of
bare elements, because several processors decide by the previous sibling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, SubElement

from markdown import util

from casebook.document.chunk import Chunk, join
from casebook.document.limits import NESTING_MAX, NESTING_TAGS, PARSE_DEPTH_MAX
from casebook.document.preprocess import MD, TAB, preprocess

_BP = MD.parser.blockprocessors
PAD = " " * TAB
PROCESSORS = (
    "empty", "indent", "defindent", "code", "table", "hashheader", "setextheader", "hr",
    "olist", "ulist", "deflist", "quote", "footnote", "reference", "paragraph",
)  # fmt: skip
_INDENT_RE = _BP["indent"].INDENT_RE
_HASH, _SETEXT, _HR = _BP["hashheader"].RE, _BP["setextheader"].RE, _BP["hr"].SEARCH_RE
_TABLE, _DEF, _QUOTE = _BP["table"], _BP["deflist"], _BP["quote"]
_FOOTNOTE, _REFERENCE = _BP["footnote"].RE, _BP["reference"].RE


@dataclass
class Found:
    """A heading (level 1–6) or a text that gets inline processing (level 0), in document order."""

    chunk: Chunk
    level: int = 0


@dataclass
class Parsed:
    found: list[Found] = field(default_factory=list)
    references: dict[str, tuple[str, None]] = field(default_factory=dict)  # id → (url, title) for ![alt][id]
    nesting: int = 0  # most list/quote levels (limits.NESTING_TAGS)
    nesting_line: int | None = None  # body line where they first go deeper than limits.NESTING_MAX
    nesting_cut: bool = False  # the parse stopped that deep (PARSE_DEPTH_MAX): nesting is a lower bound


class _TooDeep(Exception):
    """The scanner's recursion passed PARSE_DEPTH_MAX: far deeper than `check` allows, and each level
    costs a pass over the rest of the block, so reading on would only cost time."""


def parse(body: str) -> Parsed:
    """Headings and inline texts of a body; footnotes come last, as the footnote list ends the page."""
    parser = _Parser()
    roots = [Element("div")]
    try:
        parser.parse_chunk(roots[0], preprocess(body))
        for key in list(parser.footnotes):
            roots.append(Element("div"))
            parser.parse_chunk(roots[-1], parser.footnotes[key])
    except (RecursionError, _TooDeep):  # nesting deeper than Python-Markdown itself could follow: what was read
        pass
    parser.measure_nesting(roots)
    return parser.result


def _last(parent: Element) -> Element | None:
    return parent[-1] if len(parent) else None


def _loose_detab(block: Chunk, level: int = 1) -> Chunk:
    pad = PAD * level
    return block.map(lambda line: line[len(pad) :] if line.startswith(pad) else line)


def _detab(block: Chunk) -> tuple[Chunk, Chunk]:
    """BlockProcessor.detab: the leading indented (or blank) lines unindented, and the rest."""
    lines = block.split("\n")
    kept = 0
    while kept < len(lines) and (lines[kept].text.startswith(PAD) or not lines[kept].text.strip()):
        kept += 1
    head = [Chunk(line.text[TAB:] if line.text.startswith(PAD) else "", line.lines) for line in lines[:kept]]
    empty = Chunk("", block.lines[:1])
    return (join("\n", head) if head else empty), (join("\n", lines[kept:]) if kept < len(lines) else empty)


def _footnote_detab(block: Chunk) -> Chunk:
    return block.map(lambda line: line[4:] if line.startswith(" " * 4) else line)


class _Parser:
    """markdown.blockparser.BlockParser over Chunks; each processor is a test_/run_ pair of methods."""

    def __init__(self) -> None:
        self.state: list[str] = []
        self.result = Parsed()
        self.footnotes: dict[str, Chunk] = {}
        self.texts: dict[tuple[int, str], int] = {}  # (element id, "text"/"tail") → index in found
        self.elements: list[Element] = []  # keeps ids in texts unique while the parse runs
        self.hr = None
        self.depth = 0  # parse_blocks calls under way
        self.stopped_at: int | None = None  # body line where PARSE_DEPTH_MAX stopped the parse

    def isstate(self, state: str) -> bool:
        return bool(self.state) and self.state[-1] == state

    def parse_chunk(self, parent: Element, chunk: Chunk) -> None:
        self.parse_blocks(parent, chunk.split("\n\n"))

    def parse_blocks(self, parent: Element, blocks: list[Chunk]) -> None:
        if self.depth >= PARSE_DEPTH_MAX:
            self.stopped_at = blocks[0].lines[0] if blocks else None
            raise _TooDeep
        self.depth += 1
        while blocks:
            for test, run in _STEPS:
                if (test is None or test(self, parent, blocks[0])) and run(self, parent, blocks) is not False:
                    break
        self.depth -= 1  # not in a finally: after _TooDeep nothing is parsed any more

    def measure_nesting(self, roots: list[Element]) -> None:
        """Most list/quote levels of the tree, walked without recursion, and the line of the first text
        inside the first level past NESTING_MAX (the last text before it when it has none yet)."""
        result, last_line, waiting = self.result, None, False
        stack = [(root, 0) for root in reversed(roots)]
        while stack:
            element, level = stack.pop()
            level += element.tag in NESTING_TAGS
            if level > result.nesting:
                result.nesting = level
            if level > NESTING_MAX and result.nesting_line is None:
                waiting = True
            for where in ("text", "tail"):  # a tail is a text after the element, at its parent's level
                index = self.texts.get((id(element), where))
                if index is not None:
                    last_line = result.found[index].chunk.lines[0]
                    if waiting and result.nesting_line is None:
                        result.nesting_line = last_line
            stack.extend((child, level) for child in reversed(element))
        if waiting and result.nesting_line is None:
            result.nesting_line = self.stopped_at if self.stopped_at is not None else last_line
        if self.stopped_at is not None:  # cut short: deeper than measured
            result.nesting_cut = True
            if result.nesting <= NESTING_MAX:
                result.nesting, result.nesting_line = NESTING_MAX + 1, self.stopped_at

    def text(self, element: Element, where: str, chunk: Chunk) -> None:
        """A text or tail of the tree; appending to one (tight lists) extends the same inline text."""
        found = self.result.found
        key = (id(element), where)
        self.elements.append(element)
        if getattr(element, where) and key in self.texts:
            index = self.texts[key]
            found[index] = Found(join("\n", [found[index].chunk, chunk]))
        else:
            self.texts[key] = len(found)
            found.append(Found(chunk))
        setattr(element, where, "t")

    # --- blank lines, indented blocks ------------------------------------------------------

    def test_empty(self, parent: Element, block: Chunk) -> bool:
        return not block.text or block.text.startswith("\n")

    def run_empty(self, parent: Element, blocks: list[Chunk]) -> None:
        block = blocks.pop(0)
        if block.text and block.text[1:]:
            blocks.insert(0, block[1:])

    def test_indent(self, parent: Element, block: Chunk, items=("li",), lists=("ul", "ol")) -> bool:
        return (
            block.text.startswith(PAD)
            and not self.isstate("detabbed")
            and (parent.tag in items or (len(parent) > 0 and parent[-1].tag in lists))
        )

    def run_indent(self, parent: Element, blocks: list[Chunk], items=("li",), lists=("ul", "ol"), new="li") -> None:
        block = blocks.pop(0)
        level, sibling = self.level(parent, block, items, lists)
        block = _loose_detab(block, level)
        self.state.append("detabbed")
        if parent.tag in items:
            self.parse_blocks(parent[-1] if len(parent) and parent[-1].tag in lists else parent, [block])
        elif sibling.tag in items:
            self.parse_blocks(sibling, [block])
        elif len(sibling) and sibling[-1].tag in items:
            if sibling[-1].text:
                paragraph = Element("p")
                paragraph.text, sibling[-1].text = sibling[-1].text, ""
                sibling[-1].insert(0, paragraph)
            self.parse_chunk(sibling[-1], block)
        else:
            self.parse_blocks(SubElement(sibling, new), [block])
        self.state.pop()

    def test_defindent(self, parent: Element, block: Chunk) -> bool:
        return self.test_indent(parent, block, ("dd", "li"), ("dl", "ol", "ul"))

    def run_defindent(self, parent: Element, blocks: list[Chunk]) -> None:
        self.run_indent(parent, blocks, ("dd", "li"), ("dl", "ol", "ul"), "dd")

    def level(self, parent: Element, block: Chunk, items: tuple, lists: tuple) -> tuple[int, Element]:
        match = _INDENT_RE.match(block.text)
        indent = len(match.group(1)) / TAB if match else 0
        level = 1 if self.isstate("list") else 0
        while indent > level:
            child = _last(parent)
            if child is None or (child.tag not in lists and child.tag not in items):
                break
            level += child.tag in lists
            parent = child
        return level, parent

    def test_code(self, parent: Element, block: Chunk) -> bool:
        return block.text.startswith(PAD)

    def run_code(self, parent: Element, blocks: list[Chunk]) -> None:
        sibling, block = _last(parent), blocks.pop(0)
        if not (sibling is not None and sibling.tag == "pre" and len(sibling) and sibling[0].tag == "code"):
            SubElement(SubElement(parent, "pre"), "code")
        rest = _detab(block)[1]
        if rest.text:
            blocks.insert(0, rest)

    # --- tables, headings, rules -----------------------------------------------------------

    def test_table(self, parent: Element, block: Chunk) -> bool:
        return "|" in block.text and _TABLE.test(parent, block.text)  # no pipe, no table

    def run_table(self, parent: Element, blocks: list[Chunk]) -> None:
        rows = blocks.pop(0).split("\n")
        table = SubElement(parent, "table")
        for row in [rows[0], *rows[2:]]:
            cells = _TABLE._split_row(row.text.strip(" "))[: len(_TABLE.separator)]
            for cell in cells:  # every cell on the row's line
                self.text(SubElement(table, "td"), "text", Chunk(cell.strip(" "), row.lines[:1]))

    def test_hashheader(self, parent: Element, block: Chunk) -> bool:
        return "#" in block.text and bool(_HASH.search(block.text))

    def run_hashheader(self, parent: Element, blocks: list[Chunk]) -> None:
        block = blocks.pop(0)
        match = _HASH.search(block.text)
        before, after = block[: match.start()], block[match.end() :]
        if before.text:
            self.parse_blocks(parent, [before])
        level = len(match.group("level"))
        SubElement(parent, f"h{level}")
        self.result.found.append(Found(block[match.start("header") : match.end("header")].strip(), level))
        if after.text:
            blocks.insert(0, _loose_detab(after) if self.isstate("looselist") else after)

    def test_setextheader(self, parent: Element, block: Chunk) -> bool:
        return bool(_SETEXT.match(block.text))

    def run_setextheader(self, parent: Element, blocks: list[Chunk]) -> None:
        lines = blocks.pop(0).split("\n")
        level = 1 if lines[1].text.startswith("=") else 2
        SubElement(parent, f"h{level}")
        self.result.found.append(Found(lines[0].strip(), level))
        if len(lines) > 2:
            blocks.insert(0, join("\n", lines[2:]))

    def test_hr(self, parent: Element, block: Chunk) -> bool:
        text = block.text
        self.hr = _HR.search(text) if max(text.count("-"), text.count("_"), text.count("*")) >= 3 else None
        return self.hr is not None

    def run_hr(self, parent: Element, blocks: list[Chunk]) -> None:
        block, match = blocks.pop(0), self.hr
        before = block[: match.start()].rstrip("\n")
        if before.text:
            self.parse_blocks(parent, [before])
        SubElement(parent, "hr")
        after = block[match.end() :].lstrip("\n")
        if after.text:
            blocks.insert(0, after)

    # --- lists and quotes ------------------------------------------------------------------

    def test_olist(self, parent: Element, block: Chunk) -> bool:
        return bool(_BP["olist"].RE.match(block.text))

    def run_olist(self, parent: Element, blocks: list[Chunk]) -> None:
        """Both list processors: ulist only runs when olist's test failed (no extra frame per level)."""
        processor = _BP["olist"] if _BP["olist"].RE.match(blocks[0].text) else _BP["ulist"]
        items = self.items(processor, blocks.pop(0))
        sibling = _last(parent)
        if sibling is not None and sibling.tag in processor.SIBLING_TAGS:
            lst = sibling
            if lst[-1].text:
                paragraph = Element("p")
                paragraph.text, lst[-1].text = lst[-1].text, ""
                lst[-1].insert(0, paragraph)
            child = _last(lst[-1])
            if child is not None and child.tail:
                SubElement(lst[-1], "p").text, child.tail = child.tail, ""
            self.state.append("looselist")
            self.parse_blocks(SubElement(lst, "li"), [items.pop(0)])
            self.state.pop()
        elif parent.tag in ("ol", "ul"):
            lst = parent
        else:
            lst = SubElement(parent, processor.TAG)
        self.state.append("list")
        for item in items:
            self.parse_blocks(lst[-1] if item.text.startswith(PAD) else SubElement(lst, "li"), [item])
        self.state.pop()

    run_ulist = run_olist

    def items(self, processor, block: Chunk) -> list[Chunk]:
        """The list's items; each item's lines are joined once (line by line would be quadratic)."""
        items: list[list[Chunk]] = []
        for line in block.split("\n"):
            match = processor.CHILD_RE.match(line.text)
            if match:
                items.append([line[match.start(3) :]])
            elif processor.INDENT_RE.match(line.text) and not items[-1][0].text.startswith(PAD):
                items.append([line])
            else:
                items[-1].append(line)
        return [join("\n", lines) for lines in items]

    def test_ulist(self, parent: Element, block: Chunk) -> bool:
        return bool(_BP["ulist"].RE.match(block.text))

    def test_deflist(self, parent: Element, block: Chunk) -> bool:
        return ": " in block.text and bool(_DEF.RE.search(block.text))

    def run_deflist(self, parent: Element, blocks: list[Chunk]) -> bool | None:
        raw = blocks.pop(0)
        match = _DEF.RE.search(raw.text)
        terms = [term.strip() for term in raw[: match.start()].split("\n") if term.text.strip()]
        block = raw[match.end() :]
        definition, rest = (block, None) if _DEF.NO_INDENT_RE.match(block.text) else _detab(block)
        head = raw[match.start(2) : match.end(2)]
        definition = join("\n", [head, definition]) if definition.text else head
        sibling = _last(parent)
        if not terms and sibling is None:
            blocks.insert(0, raw)
            return False
        state = "list"
        if not terms and sibling.tag == "p":  # the paragraph before holds the terms (already found)
            state, terms = "looselist", [None]
            parent.remove(sibling)
            sibling = _last(parent)
        if sibling is not None and sibling.tag == "dl":
            dl = sibling
            if not terms and len(dl) and dl[-1].tag == "dd" and len(dl[-1]):
                state = "looselist"
        else:
            dl = SubElement(parent, "dl")
        for term in terms:
            if term is not None:
                self.text(SubElement(dl, "dt"), "text", term)
        self.state.append(state)
        self.parse_blocks(SubElement(dl, "dd"), [definition])
        self.state.pop()
        if rest is not None and rest.text:
            blocks.insert(0, rest)
        return None

    def test_quote(self, parent: Element, block: Chunk) -> bool:
        return ">" in block.text and bool(_QUOTE.RE.search(block.text)) and not util.nearing_recursion_limit()

    def run_quote(self, parent: Element, blocks: list[Chunk]) -> None:
        block = blocks.pop(0)
        match = _QUOTE.RE.search(block.text)
        if match:
            self.parse_blocks(parent, [block[: match.start()]])
            block = block[match.start() :].map(_QUOTE.clean)
        sibling = _last(parent)
        quote = sibling if sibling is not None and sibling.tag == "blockquote" else SubElement(parent, "blockquote")
        self.state.append("blockquote")
        self.parse_chunk(quote, block)
        self.state.pop()

    # --- definitions and paragraphs --------------------------------------------------------

    def test_footnote(self, parent: Element, block: Chunk) -> bool:
        return "[^" in block.text  # run() gives up on any other block

    def run_footnote(self, parent: Element, blocks: list[Chunk]) -> bool:
        block = blocks.pop(0)
        match = _FOOTNOTE.search(block.text)
        if not match:
            blocks.insert(0, block)
            return False
        preceding = block[: match.start()]
        for following in _FOOTNOTE.finditer(block.text, match.end()):
            if block.text[match.end() : following.start()].strip("\n"):
                break
            self.footnotes[match.group(1)] = block[match.start(2) : match.end(2)].rstrip()
            match = following
        key, first = match.group(1), block[match.start(2) : match.end(2)]
        rest = block[match.end() :].lstrip("\n")
        following = _FOOTNOTE.search(rest.text)
        if following:
            parts = [join("\n", [first, _footnote_detab(rest[: following.start()].rstrip("\n"))]).lstrip("\n")]
            blocks.insert(0, rest[following.start() :])
        else:
            parts = [join("\n", [first, _footnote_detab(rest)]).strip("\n"), *self.indented(blocks)]
        self.footnotes[key] = join("\n\n", parts).rstrip()
        if preceding.text.strip():
            blocks.insert(0, preceding.rstrip("\n"))
        return True

    def indented(self, blocks: list[Chunk]) -> list[Chunk]:
        """FootnoteBlockProcessor.detectTabbed: the indented blocks that continue a footnote."""
        found = []
        while blocks and blocks[0].text.startswith(" " * 4):
            block = blocks.pop(0)
            match = _FOOTNOTE.search(block.text)
            if match:
                found.append(_footnote_detab(block[: match.start()].rstrip("\n")))
                blocks.insert(0, block[match.start() :])
                break
            found.append(_footnote_detab(block))
        return found

    def test_reference(self, parent: Element, block: Chunk) -> bool:
        return "]:" in block.text  # run() gives up on any other block

    def run_reference(self, parent: Element, blocks: list[Chunk]) -> bool:
        block = blocks.pop(0)
        match = _REFERENCE.search(block.text)
        if not match:
            blocks.insert(0, block)
            return False
        start = end = match.start()
        for match in _REFERENCE.finditer(block.text, start):
            if match.start() > start and (block.text[end : match.start()].strip("\n") or "\n" in match.group()):
                break
            self.result.references[match.group(1).strip().lower()] = (match.group(2).lstrip("<").rstrip(">"), None)
            end = match.end()
        if block.text[end:].strip():
            blocks.insert(0, block[end:].lstrip("\n"))
        if block.text[:start].strip():
            blocks.insert(0, block[:start].rstrip("\n"))
        return True

    def run_paragraph(self, parent: Element, blocks: list[Chunk]) -> None:
        block = blocks.pop(0)
        if not block.text.strip():
            return
        if not self.isstate("list"):
            self.text(SubElement(parent, "p"), "text", block.lstrip())
        elif (sibling := _last(parent)) is not None:
            self.text(sibling, "tail", block)
        else:
            self.text(parent, "text", block.lstrip() if not parent.text else block)


# (test, run) of each processor, in the dialect's order; no test means "always" (as in Python-Markdown)
_STEPS: list[tuple[Callable | None, Callable]] = [
    (getattr(_Parser, f"test_{name}", None), getattr(_Parser, f"run_{name}")) for name in PROCESSORS
]
