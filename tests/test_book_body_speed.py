"""The book's shortcuts that must change no byte: inline patterns skipped where their needles are
absent, the toc treeprocessor run only for its marker, runs written as text, the run caches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from casebook import document
from casebook.inputs.loader import load
from casebook.outputs.book import body, docx_writer, ooxml, styles
from casebook.publish import views

ROOT = Path(__file__).resolve().parents[1]

# every construct of the dialect's inline patterns, beside plain CJK text and near misses
SAMPLER = """# 一级标题 {#own}

正文“引号”和‘单引号’，`代码` 与 \\`转义\\`、\\\\`双反斜杠`，**加粗**、*斜体*、__粗__、_斜_、a * b、
snake_case_name，[链接](https://example.org "标题")、[引用][ref]、[短引用]、![图](a.jpg)、![引用图][ref]、
![短图]，<https://example.org>、<mail@example.org>、<span class="x">内联 HTML</span>、<!-- 注释 -->、
&amp; &#169; &#xA9; & 单独的 &、[^1] 脚注、行末两个空格⏎换行，[ 不成对的括号、! 感叹号、< 小于号、星号 * 单独。

[ref]: https://example.org/ref
[短引用]: https://example.org/short
[短图]: b.jpg

- 列表 **粗** 项
- 第二项 `码`

> 引文 *斜* 与 [链接](x)

| 甲 | 乙 |
|----|----|
| **粗** | `码` |

术语
:   定义 _斜_

[^1]: 脚注内容 **粗**。
""".replace("⏎", "  \n")  # a hard line break: two spaces at the end of a line


def dump(node) -> tuple:
    """The tree as the book reads it: tags, attributes (ids aside: only the toc gives them), texts."""
    attrs = sorted((k, v) for k, v in node.attrib.items() if k != "id")
    return node.tag, attrs, node.text, node.tail, [dump(child) for child in node]


def plain_parser():
    md = document.new_markdown()
    md.treeprocessors.register(body._Capture(md), "casebook_capture", -100)
    return md


def tree(md, text: str) -> tuple:
    md.reset()
    md.convert(text)
    return dump(md.captured_root)


def test_needles_cover_every_inline_pattern():
    md = body.new_markdown()
    names = {item.name for item in md.inlinePatterns._priority}
    assert names == set(body.INLINE_NEEDLES), "a pattern without needles is searched as before: add it"
    assert all(isinstance(md.inlinePatterns[name].compiled_re, body._Needled) for name in names)


def test_every_match_holds_a_needle():
    md = plain_parser()
    for name, needles in body.INLINE_NEEDLES.items():
        compiled = md.inlinePatterns[name].compiled_re
        found = list(compiled.finditer(SAMPLER))
        assert found, name  # the sampler exercises the pattern
        for match in found:  # in the match, or just after it (the backslashes before a backtick)
            held = SAMPLER[match.start() : match.end() + 1]
            assert any(needle in held for needle in needles), (name, match.group(0))


@pytest.mark.parametrize(
    "text",
    [SAMPLER, "纯中文段落，没有任何标记。\n\n第二段。", "## 标题\n\n[TOC]\n\n## 另一个\n\n正文", "[TOC]"],
)
def test_guarded_parser_gives_the_same_tree(text):
    assert tree(body.new_markdown(), text) == tree(plain_parser(), text)


def test_guarded_parser_gives_the_same_tree_for_the_sample():
    collection, _ = load(ROOT)
    guarded, plain = body.new_markdown(), plain_parser()
    for case in collection.cases:
        assert tree(guarded, case.body) == tree(plain, case.body), case.title


def test_toc_marker_still_makes_a_list():
    blocks = body.Renderer({}).render("## 一\n\n[TOC]\n\n## 二", lambda _src: [])
    assert sum("<w:t>·</w:t>" in block for block in blocks) == 2  # the table of contents as a list


@pytest.mark.parametrize(
    "text", ["普通", " 首尾空格 ", 'a"b', "x&y<z>w", "回车\r换行", "控\x01制", "“引号”", "'单'", "\t制表"]
)
@pytest.mark.parametrize("bold, font", [(False, None), (True, styles.HEI), (False, styles.SONG)])
def test_element_run_xml_is_what_lxml_writes(text, bold, font):
    holder = ooxml.paragraph("Normal")
    ooxml.add_run(holder, text, bold=bold, all_fonts=font)
    written = etree.tostring(holder, encoding="unicode")
    run = re.search(r"<w:r>.*</w:r>", written, re.S).group(0)
    assert ooxml.element_run_xml(text, bold=bold, all_fonts=font) == run


def test_run_start_cache_keeps_each_kind_apart():
    plain, bold = ooxml.run_xml("字"), ooxml.run_xml("字", bold=True)
    font = ooxml.run_xml("“", all_fonts=styles.HEI)
    assert plain == "<w:r><w:t>字</w:t></w:r>"
    assert bold == "<w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t>字</w:t></w:r>"
    assert f'w:eastAsia="{styles.HEI}"' in font and "<w:b/>" not in font
    assert ooxml.run_xml("字") == plain and ooxml.run_xml("字", superscript=True) != plain


def test_relationship_ids_are_the_lowest_free_ones():
    # headers (relate_new, from a floor) and pictures and footers (python-docx's relate_to) interleave
    collection, _ = load(ROOT)
    volume = docx_writer.build(styles.load_reference(ROOT), views.public(collection), 2024, "public")
    numbers = sorted(int(rid[3:]) for rid in volume.document.part.rels)
    assert numbers == list(range(1, len(numbers) + 1))
    headers = sorted(
        int(str(p.partname)[len("/word/header") : -4])
        for p in volume.document.part.package.iter_parts()
        if str(p.partname).startswith("/word/header")
    )
    assert headers == list(range(1, len(headers) + 1))


@pytest.mark.parametrize(
    "text", ["普通文字", "“引号”中间‘单引’", " “首”尾 ", 'a"“b”&<>', "控\x01“制”", "“", "\x0c“换页”"]
)
@pytest.mark.parametrize("bold, superscript", [(False, False), (True, False), (False, True)])
def test_split_runs_xml_is_run_xml_per_piece(text, bold, superscript):
    expected = "".join(
        ooxml.run_xml(piece, bold=bold, superscript=superscript, all_fonts=styles.FANG if piece[0] in "“”‘’" else None)
        for piece in body.QUOTES.split(text)
        if piece
    )
    assert ooxml.split_runs_xml(text, body.QUOTES, styles.FANG, bold=bold, superscript=superscript) == expected
