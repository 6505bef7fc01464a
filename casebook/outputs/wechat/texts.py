"""The texts beside an article: its digest, its plain text (学习强国 and the clipboard's text/plain),
发布信息.txt and meta.json. Everything here is derived from the article and the public case."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from lxml import html as lxml_html

from casebook.model import Case

DIGEST_MAX = 120
TITLE_MAX = 32
AUTHOR_MAX = 16
# a sentence ends at 。！？ (or !?, or an ellipsis), with any closing quotes and brackets after it
_SENTENCE_END = re.compile(r"(?:[。！？!?]+|…+)[”’」』）)》]*")
_CLAUSE_BREAK = re.compile(r"[，；：、,;:]")  # where a digest without a sentence end is cut
_CONTAINERS = {"section", "blockquote", "ul", "ol", "table", "thead", "tbody"}


@dataclass(frozen=True)
class Digest:
    text: str
    cut: bool  # no sentence end within the limit: cut and given an ellipsis
    first_sentence: int  # characters of the summary's first sentence


def digest(summary: str, limit: int = DIGEST_MAX) -> Digest:
    """The summary cut at the last sentence end within ``limit`` characters."""
    text = " ".join(summary.split())
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    first = ends[0] if ends else len(text)
    if len(text) <= limit:
        return Digest(text, False, first)
    fitting = [end for end in ends if end <= limit]
    if fitting:
        return Digest(text[: fitting[-1]], False, first)
    clauses = [m.start() for m in _CLAUSE_BREAK.finditer(text, 0, limit - 1)]
    cut = clauses[-1] if clauses and clauses[-1] >= limit // 2 else limit - 1
    return Digest(text[:cut] + "…", True, first)


def title_of(case: Case) -> str:
    return case.wechat_title or case.title


def author_of(case: Case) -> str:
    return "、".join(case.authors)


def plain_text(fragment: str) -> str:
    """The article as plain text: one block a paragraph, photos as ［图片 N.jpg］ followed by their caption."""
    root = lxml_html.fragment_fromstring(fragment)
    blocks: list[str] = []
    _blocks(root, blocks)
    return "\n\n".join(blocks) + "\n"


def _blocks(element, blocks: list[str]) -> None:
    tag = element.tag
    if tag == "img":
        blocks.append(f"［图片 {element.get('src')}］")
    elif tag in _CONTAINERS:
        if (element.text or "").strip():
            blocks.append(" ".join(element.text.split()))
        for child in element:
            if isinstance(child.tag, str):
                _blocks(child, blocks)
            if (child.tail or "").strip():
                blocks.append(" ".join(child.tail.split()))
    elif tag == "tr":
        blocks.append(" | ".join(_line(cell) for cell in element if isinstance(cell.tag, str)))
    elif tag == "li":
        blocks.append("· " + _line(element))
    elif tag == "hr":
        blocks.append("* * *")
    else:
        line = element.text_content() if tag == "pre" else _line(element)
        if line:
            blocks.append(line)


def _line(element) -> str:
    return " ".join(element.text_content().split())


def characters(text: str) -> int:
    """字数 as the editor counts them: every character but white space."""
    return len("".join(text.split()))


def xuexi(plain: str) -> str:
    """学习强国.txt: the plain text, with a note on the photos that go with it."""
    note = "（图片与本文件放在同一文件夹中，按［图片 N.jpg］所示位置插入，图片说明紧随其后。）"
    return plain + "\n" + note + "\n"


def release_notes(meta: dict) -> str:
    """发布信息.txt: what the editor types into the WeChat draft's fields."""
    lines = [
        f"标题：{meta['title']}（{meta['title_length']} 字，上限 {TITLE_MAX} 字）",
        f"作者：{meta['author'] or '（无）'}",
        f"摘要：{meta['digest']}（{len(meta['digest'])} 字，上限 {DIGEST_MAX} 字）",
    ]
    if meta["source_url"]:
        lines.append(f"原文链接：{meta['source_url']}")
    lines += [
        f"字数：{meta['characters']}",
        "封面：cover.jpg（900×383），分享小图：cover-square.jpg（200×200）",
        "图片：" + ("、".join(p["file"] for p in meta["photos"]) or "无") + "（按文中顺序上传到对应位置）",
        "正文：打开 article.html 全选复制，或在 ../../index.html 中点击“复制正文”，粘贴到公众号编辑器",
    ]
    if meta["warnings"]:
        lines += ["", "注意："] + [f"- {w}" for w in meta["warnings"]]
    return "\n".join(lines) + "\n"


def meta_json(meta: dict) -> bytes:
    return (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
