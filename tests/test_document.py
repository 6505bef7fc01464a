"""casebook.document: the one Markdown dialect, the one scanner of headings and images (checked
against the dialect's own parse), and what the site and the book do with image references."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import Treeprocessor
from test_site_helpers import KEPT, XSS_VECTORS

from casebook import document
from casebook.document import blocks, inline, new_markdown, normalise_src, preprocess, scan
from casebook.model import Case, Photo
from casebook.outputs.site import case_page
from casebook.outputs.site.html_parts import WebPhoto
from casebook.outputs.site.sanitize import Renderer

# --- the dialect ------------------------------------------------------------------------------


def _extensions(md) -> list[str]:
    return [type(e).__module__ for e in md.registeredExtensions]


def test_site_book_and_engine_share_the_dialect():
    from casebook.outputs.book import body
    from casebook.outputs.site import mkdocs_config

    assert _extensions(Renderer()._md) == _extensions(body.new_markdown()) == _extensions(new_markdown())
    engine = mkdocs_config.markdown_extensions()
    assert [next(iter(e)) if isinstance(e, dict) else e for e in engine] == list(document.EXTENSIONS)
    configs = {name: cfg for e in engine if isinstance(e, dict) for name, cfg in e.items()}
    assert configs["footnotes"] == {"BACKLINK_TITLE": document.BACKLINK_TITLE}
    assert configs["toc"]["permalink"] == "¶" and configs["toc"]["slugify"].tag == mkdocs_config.SLUGIFY_TAG


def test_extra_configs_merge_over_the_dialect():
    md = new_markdown(toc={"permalink": True})
    output = md.convert("## 一、基本情况\n\n正文[^1]\n\n[^1]: 注释")
    assert 'id="一基本情况"' in output and 'class="headerlink"' in output
    assert 'title="返回正文第 1 处"' in output
    with pytest.raises(ValueError):
        document.extension_configs(admonition={})


def _in_order(registry, names) -> bool:
    return len(registry) == len(names) and [registry.get_index_for_name(n) for n in names] == list(range(len(names)))


def test_the_scanner_knows_every_processor_of_the_dialect():
    """A new extension (or Markdown release) that adds a processor must be taught to the scanner."""
    md = new_markdown()
    assert _in_order(md.preprocessors, preprocess.PREPROCESSORS)
    assert _in_order(md.parser.blockprocessors, blocks.PROCESSORS)
    handled = {*inline.MASKING, *inline.PATTERNS, *inline.IGNORED}
    order = sorted(handled, key=md.inlinePatterns.get_index_for_name)
    assert _in_order(md.inlinePatterns, order)
    assert [n for n in order if n in inline.MASKING or n in inline.PATTERNS] == [*inline.MASKING, *inline.PATTERNS]


# --- normalise_src ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "name"),
    [
        ("1.jpg", "1.jpg"),
        ("./1.jpg", "1.jpg"),
        ("././1.jpg", "1.jpg"),
        (" 1.jpg ", "1.jpg"),
        ("<1.jpg>", "1.jpg"),
        (".\\photos\\1.jpg", "photos/1.jpg"),
        ("照片 1.jpg", "照片 1.jpg"),
        ("1%20a.jpg", "1%20a.jpg"),  # Python-Markdown does not percent-decode
        ("../1.jpg", "../1.jpg"),
    ],
)
def test_normalise_src(src, name):
    assert normalise_src(src) == name


# --- scan: images -----------------------------------------------------------------------------


def _images(body: str, first_line: int = 1) -> list[tuple[int, str]]:
    return [(i.line, i.file) for i in scan(body, first_line).images]


def test_images_in_code_are_not_images():
    body = (
        "```\n![](1.jpg)\n```\n\n"
        "~~~markdown\n![](2.jpg)\n~~~\n\n"
        "    ![](3.jpg)\n\n"
        "正文 `![](4.jpg)` 和 ``![](5.jpg)``。\n\n"
        "![](6.jpg)\n"
    )
    assert _images(body, 10) == [(22, "6.jpg")]


def test_an_unclosed_fence_is_text():
    assert _images("```\n![](1.jpg)\n") == [(2, "1.jpg")]


def test_images_are_normalised_once_and_keep_their_order():
    body = '![](./2.jpg)\n\n文字 ![图](<1.jpg>) 文字 ![](2.jpg)\n\n![](.\\3.jpg "说明")\n'
    outline = scan(body)
    assert [(i.line, i.file) for i in outline.images] == [(1, "2.jpg"), (3, "1.jpg"), (3, "2.jpg"), (5, "3.jpg")]
    assert outline.placed == ["2.jpg", "1.jpg", "3.jpg"]


def test_images_anywhere_python_markdown_finds_them():
    body = (
        "- 列表 ![](1.jpg)\n\n    ![](2.jpg)\n\n"  # indented after a list: the list goes on, no code
        "> ![](3.jpg)\n\n"
        "| 甲 | 乙 |\n|---|---|\n| ![](4.jpg) | `![](x.jpg)` |\n\n"
        "[![](5.jpg)](https://example.org/)\n\n"
        "![参考][p]\n\n[p]: 6.jpg\n\n"
        "注[^1]\n\n[^1]: ![](7.jpg)\n\n"  # footnotes end the page: their images come last
        "![](8.jpg)\n"
    )
    assert [f for _, f in _images(body)] == ["1.jpg", "2.jpg", "3.jpg", "4.jpg", "5.jpg", "6.jpg", "8.jpg", "7.jpg"]


def test_images_in_html_comments_are_not_images():
    body = "<!-- ![](1.jpg) -->\n\n文字 <!-- ![](2.jpg) --> 文字\n\n<div>\n![](3.jpg)\n</div>\n\n![](4.jpg)\n"
    assert _images(body) == [(9, "4.jpg")]


# --- scan: headings ---------------------------------------------------------------------------


def _headings(body: str, first_line: int = 1) -> list[tuple[int, int, str]]:
    return [(h.line, h.hashes, h.text) for h in scan(body, first_line).headings]


def test_setext_and_atx_headings_with_their_lines():
    body = "一、基本情况\n======\n\n正文\n## 二、主要做法 ##\n正文\n\n（一）做法\n------\n"
    assert _headings(body, 31) == [(31, 1, "一、基本情况"), (35, 2, "二、主要做法"), (38, 2, "（一）做法")]


def test_heading_attributes_are_not_heading_text():
    assert _headings("## 一、基本情况 {#jiben .x}\n") == [(1, 2, "一、基本情况")]


def test_headings_in_quotes_and_lists_are_headings():
    assert _headings("> ## 一、引用\n\n- ### （一）列表\n") == [(1, 2, "一、引用"), (3, 3, "（一）列表")]


@given(st.text())
@example("- " * 450 + "x")
@example(">" * 2000)
@example("[^1]: a\n\n    [^2]: b\n")
def test_scan_never_raises(text):
    outline = scan(text, 3)
    assert all(3 <= x.line <= text.count("\n") + 3 for x in (*outline.headings, *outline.images))


# --- the scanner agrees with the parser -------------------------------------------------------


class _Capture(Treeprocessor):
    def run(self, root):
        self.md.captured = root


_PARSER = new_markdown()
_PARSER.treeprocessors.register(_Capture(_PARSER), "capture", -100)


def _parsed(body: str) -> tuple[list[tuple[int, str]], list[str]]:
    """h1–h6 (level, text) and normalised img src of the dialect's final tree, in document order."""
    _PARSER.reset()
    _PARSER.captured = None
    _PARSER.convert(body)
    root = _PARSER.captured
    if root is None:  # an empty body
        return [], []
    heads = [(int(e.tag[1]), "".join(e.itertext())) for e in root.iter() if re.fullmatch("h[1-6]", e.tag)]
    return heads, [normalise_src(e.get("src")) for e in root.iter("img")]


TEXT = st.text(alphabet="甲乙丙一二三、（）.ab1 ", min_size=1, max_size=8).map(str.strip).filter(bool)
SRC = st.sampled_from(["1.jpg", "./2.jpg", "<3.jpg>", "././4.jpg", " 5.jpg ", "照片 6.jpg", "a\\_7.jpg", ".\\8.jpg"])
IMAGE = st.builds(lambda a, s, t: f"![{a}]({s}{t})", st.sampled_from(["", "图"]), SRC, st.sampled_from(["", ' "说明"']))
CODE = st.builds(lambda s, q: f"{q}![]({s}){q}", SRC, st.sampled_from(["`", "``"]))
ATX = st.builds(lambda n, t, c: "#" * n + " " + t + " #" * c, st.integers(1, 6), TEXT, st.integers(0, 1))
SETEXT = st.builds(lambda t, c, k: f"{t}\n{c * k}", TEXT, st.sampled_from("=-"), st.integers(1, 4))
PARAGRAPH = st.lists(st.one_of(TEXT, IMAGE, CODE), min_size=1, max_size=4).map(" ".join)
LINE = st.one_of(ATX, IMAGE, PARAGRAPH)
FENCE = st.builds(
    lambda f, inner: f"{f}\n" + "\n".join(inner) + f"\n{f}",
    st.sampled_from(["```", "~~~", "````"]),
    st.lists(st.one_of(ATX, IMAGE, TEXT), max_size=3),
)
BLOCK = st.one_of(
    ATX,
    SETEXT,
    IMAGE,
    PARAGRAPH,
    FENCE,
    st.just("```"),  # a fence never closed
    st.lists(LINE, min_size=1, max_size=2).map(lambda ls: "\n".join("    " + line for line in ls)),  # indented
    st.lists(LINE, min_size=1, max_size=3).map(lambda ls: "\n".join("- " + line for line in ls)),
    st.lists(LINE, min_size=1, max_size=3).map(lambda ls: "\n".join(f"{i}. {line}" for i, line in enumerate(ls, 1))),
    LINE.map(lambda line: "> " + line),
    LINE.map(lambda line: "\t" + line),
    st.builds(lambda a, b: f"| {a} | {b} |\n|---|---|\n| {b} | {a} |", st.one_of(TEXT, IMAGE, CODE), IMAGE),
    st.builds(lambda a: f"注[^1]\n\n[^1]: {a}", st.one_of(IMAGE, PARAGRAPH)),
    st.sampled_from(["![图][p]\n\n[p]: r.jpg", "[p]: <r2.jpg>\n\n![p]", "***", "- - -"]),
    st.sampled_from(["<!-- ![](c.jpg) -->", "<div>\n![](d.jpg)\n</div>", "甲 <b>![](e.jpg)</b> &amp; 乙"]),
)
BODIES = st.lists(st.tuples(BLOCK, st.sampled_from(["\n\n", "\n", "\n\n\n", "\r\n\r\n", "\n    \n"])), max_size=10).map(
    lambda parts: "".join(block + gap for block, gap in parts)
)


def _plain(text: str) -> bool:
    """Heading text without inline Markdown: the scanner keeps what is written, the tree renders it."""
    return not set(text) & set("[]`*_<&\\!")


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES)
@example("## 一、基本情况\n```\n## 二、不是\n![](1.jpg)\n```\n二、主要做法\n---\n`![](2.jpg)` ![](./3.jpg)\n")
def test_the_scanner_reads_bodies_as_the_dialect_does(body):
    outline = scan(body, 1)
    heads, images = _parsed(body)
    assert [h.hashes for h in outline.headings] == [level for level, _ in heads]
    assert all(h.text == text for h, (_, text) in zip(outline.headings, heads, strict=True) if _plain(h.text))
    assert [i.file for i in outline.images] == images
    lines = body.split("\n")
    assert all(h.text in lines[h.line - 1] for h in outline.headings)
    assert all("![" in lines[i.line - 1] for i in outline.images)


SOUP = st.sampled_from(
    ["![](1.jpg)", "![a](<2.jpg>)", "![](./3.jpg)", "```", "~~~", "    ", "\t", "\n", "\n\n", "\r", "# ", "## ",
     "=", "---", "- ", "* ", "1. ", "> ", "`", "``", "[", "]", "(", ")", "<!--", "-->", "<div>", "</div>", "<b>",
     "&amp;", "[^1]:", "[^1]", "[p]: 4.jpg", "![p]", "![x][p]", ": ", "|", "|---|", "\\", "{#a}", "***", "甲", "一、",
     "a", " ", "<http://a/![](6.jpg)>"]
)  # fmt: skip


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SOUP, max_size=40).map("".join))
@example("![](1.jpg)<!--![](1.jpg)-->")  # an inline comment swallows the image in it
@example("<http://a/![](6.jpg)>")  # an autolink does not
def test_the_scanner_agrees_on_markdown_soup(body):
    outline = scan(body, 1)
    heads, images = _parsed(body)
    assert [i.file for i in outline.images] == images
    assert [h.hashes for h in outline.headings] == [level for level, _ in heads]


# --- the site: always sanitised HTML, photos where they were placed ---------------------------

PHOTO = Photo("1.jpg", Path("x/1.jpg"), 1, "2024年4月", "甲单位", "开展活动", "1.2024年4月，甲单位开展活动", True, 1)
WEB = WebPhoto("cases/x/photo-1.jpg", (1600, 1200), "cases/x/photo-1-s.jpg", (600, 450), PHOTO.caption)


def _case(body: str) -> Case:
    return Case(
        folder=Path("x"), rel="cases/2024/x/index.md", folder_name="x", title="标题", unit="单位", category="企业",
        year=2024, summary="概要", body=body, body_line=1, slug="x", photos=(PHOTO,),
    )  # fmt: skip


def _page(body: str) -> tuple[str, str]:
    """The body as the generator hands it to the engine, and as the engine (same dialect) renders it."""
    engine_markdown = case_page.body_markdown(_case(body), Renderer(), {("x", 1): WEB}, None)
    engine = new_markdown(toc={"permalink": "¶"})
    return engine_markdown, engine.convert(engine_markdown)


class _Tags(HTMLParser):
    """Every tag and attribute as a browser reads the page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str]]]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, [(name, value or "") for name, value in attrs]))


_DANGEROUS = {"script", "iframe", "object", "embed", "form", "input", "svg", "math", "link", "meta", "base",
              "video", "audio", "style", "noscript", "template", "textarea"}  # fmt: skip


def _inert(text: str) -> bool:
    for tag, attrs in _Tags(text).tags:
        if tag in _DANGEROUS:
            return False
        for name, value in attrs:
            url = re.sub(r"[\x00-\x20]", "", value).lower()
            if name.startswith("on") or name == "style" or "evil.example" in value or value == "__search":
                return False
            if name in ("href", "src", "action", "background") and url.startswith(
                ("javascript:", "vbscript:", "data:")
            ):
                return False
    return True


@pytest.mark.parametrize(
    "source",
    [
        "[说明材料](<java\nscript:void(0)>)",
        "[x](<\x01javascript:alert(1)>)",
        "[点我](JAVASCRIPT:alert(1))",
        "[脚本](vbscript:msgbox(1))",
        "[数据](data:text/html;base64,PHNjcmlwdD4=)",
        '段落\n{: onclick="alert(1)" style="position:fixed" }',
        "段落\n{: #__search }",
        "![](https://evil.example/x.png)",
        *XSS_VECTORS,
    ],
)
def test_author_markdown_reaches_the_page_inert(source):
    for text in _page(f"正文。\n\n{source}\n\n![](1.jpg)\n"):
        assert _inert(text), text
        assert "photo-1.jpg" in text or "<style>" in source  # an unclosed <style> swallows the rest


def test_formatting_survives_sanitising():
    engine_markdown, page = _page(
        "\n\n".join(KEPT) + "\n\n| 年份 | 场次 |\n|---|---|\n| 2024 | 36 |\n\n正文[^1]\n\n[^1]: 注释\n"
    )
    for kept in KEPT:
        assert kept in page
    assert "<table>" in page and 'class="footnote"' in page and "<td>36</td>" in page


def test_the_engine_never_gets_the_authors_markdown():
    engine_markdown, _ = _page("## 一、基本情况\n\n正文**加粗**。\n\n![](1.jpg)\n")
    assert "**" not in engine_markdown and "![" not in engine_markdown
    assert engine_markdown.startswith("## 一、基本情况 {#一基本情况}\n")


@pytest.mark.parametrize("src", ["1.jpg", "./1.jpg", "<1.jpg>", ".\\1.jpg"])
def test_a_photo_appears_where_the_image_line_was(src):
    for text in _page(f"图前的段落。\n\n![]({src})\n\n图后的段落。\n"):
        before, figure, after = text.index("图前的段落"), text.index('class="cb-figure"'), text.index("图后的段落")
        assert before < figure < after and text.count('class="cb-figure"') == 1


def test_unknown_images_are_dropped():
    engine_markdown, page = _page("文字 ![](2.jpg) 文字\n\n![](../1.jpg)\n")
    assert "<img" not in engine_markdown and "<img" not in page


# --- the book: pictures where they were placed ------------------------------------------------


def test_the_book_places_a_dot_slash_picture_between_its_paragraphs(tmp_path):
    from casebook.inputs.loader import load
    from casebook.outputs.book import docx_writer, package, styles, synth

    root = synth.make(tmp_path / "c", cases=1, photos=1, chars=600, photo_size=(400, 300))
    (index,) = (root / "cases").glob("*/*/index.md")
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("![](1.jpg)\n", "图前的段落。\n\n![](./1.jpg)\n\n图后的段落。\n"), encoding="utf-8")
    collection, _ = load(root)
    (case,) = collection.cases
    assert [(p.file, p.placed) for p in case.photos] == [("1.jpg", True)]
    reference = styles.build_reference()
    volume = docx_writer.build(reference, collection, 2024, "public", tmp_path / "cache")
    package.save(reference, tmp_path / "book.docx", title="t", author="a", year=2024, fragments=volume.fragments)
    with zipfile.ZipFile(tmp_path / "book.docx") as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    before, picture, after = xml.index("图前的段落"), xml.index("<w:drawing"), xml.index("图后的段落")
    assert before < picture < after and xml.count("<w:drawing") == 1
