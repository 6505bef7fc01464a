"""The head of a submission: title, unit and authors lines, form titles and "标签：值" lines before
the first section heading. Whatever is recognised here is taken out of the body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from casebook.importer.blocks import Block, Para, Table
from casebook.importer.fields import Found, clean_value, label_key, labelled_line, split_names
from casebook.importer.form import extract, is_form
from casebook.importer.text import close_gaps
from casebook.inputs.headings import classify

_FORM_TITLE = re.compile(r"申报表|推荐表|汇总表|申报书|推荐汇总")
_ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*[:：]?\s*$|^附\s*件\s*\d*\s*[:：]?\s*\S{0,12}(?:申报表|材料|格式)$")
_YEAR_OF_FORM = re.compile(r"((?:19|20)\d{2})\s*年度?")
_DATE_LINE = re.compile(
    r"^[（(]?\s*(?:(?:填表|填报|申报|报送|推荐)?(?:日期|时间)\s*[:：]\s*)?(?:19|20)\d{2}\s*年"
    r"(?:度|\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?\s*[）)]?$"
)
_PLACEHOLDER = re.compile(r"^[\s年月日：:（）()盖章公章单位日期签字_/\-—]*$")
_BRACKET_LABEL = re.compile(r"^[【\[]\s*([^】\]]{1,10}?)\s*[】\]]\s*")
_UNIT_END = re.compile(
    r"(党委|党组|党总支|党支部|支部|总支|委员会|工会|公司|集团|学院|学校|大学|中学|小学|幼儿园|医院|研究院|研究所|"
    r"中心|局|厂|协会|联合会|研究会|办公室|部|站|所|社区|村)$"
)
HEAD_LIMIT = 16  # non-empty paragraphs looked at before the body is assumed to have begun


@dataclass
class Head:
    found: Found
    consumed: set[int]  # indexes of top-level blocks taken out of the body
    title: str
    form_year: int | None
    date_year: int | None = None  # the year of a date line under the title (submission date)


def is_section_heading(para: Para) -> bool:
    text = para.marker + para.text
    found = classify(text)
    if found and found[0] == 1 and len(text) <= 40:
        return True
    return para.outline is not None and para.outline >= 1 and bool(found)


def analyse(blocks: list[Block]) -> Head:
    found = Found()
    consumed: set[int] = set()
    form_year: int | None = None
    date_year: int | None = None
    title_parts: list[str] = []
    title_size: float | None = None
    fallback: tuple[int, str] | None = None  # a plain first line, taken as the title if nothing better
    after_title = False
    summary_next = False
    seen = 0
    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            if is_form(block):
                extract(block, found)
                consumed.add(index)
                continue
            break
        text = block.text
        if not text:
            if block.pictures and title_parts:
                break  # a picture under the title: the body has begun (a logo above it does not count)
            continue
        if is_section_heading(block):
            break
        if summary_next:  # the paragraph under a 摘要 heading
            found.put("summary", text)
            consumed.add(index)
            summary_next = False
            continue
        seen += 1
        if seen > HEAD_LIMIT or (len(text) > 120 and not text.startswith(("摘要", "【", "[", "内容摘要", "案例"))):
            break
        if _ATTACHMENT.match(text) or (_FORM_TITLE.search(text) and len(text) <= 50):
            match = _YEAR_OF_FORM.search(text)
            if match and form_year is None:
                form_year = int(match.group(1))
            consumed.add(index)
            continue
        if _PLACEHOLDER.match(text) or _DATE_LINE.match(text):
            year = re.search(r"(?:19|20)\d{2}", text)
            if _DATE_LINE.match(text) and date_year is None and year:
                date_year = int(year.group(0))
            consumed.add(index)
            continue
        if label_key(text) == "summary":  # 摘  要 as a heading of its own
            summary_next = True
            consumed.add(index)
            continue
        bracket = _BRACKET_LABEL.match(text)  # 【摘要】… 【关键词】…
        if bracket and label_key(bracket.group(1)) is not None:
            text = bracket.group(1) + "：" + text[bracket.end() :]
        pairs = labelled_line(text)
        if pairs:
            for key, value in pairs:
                found.put(key, clean_value(value))
                if key == "title" and not title_parts and value:
                    title_parts.append(clean_value(value))
            consumed.add(index)
            after_title = after_title or bool(title_parts)
            continue
        if not title_parts:
            if _looks_like_title(block, text):
                title_parts.append(close_gaps(text))
                title_size = block.size
                consumed.add(index)
                continue
            if fallback is None and len(text) <= 40 and not re.search(r"[。；，：:]$", text) and not classify(text):
                fallback = (index, close_gaps(text))
                continue
            break
        if not after_title and _continues_title(block, text, title_size):
            title_parts.append(close_gaps(text))
            consumed.add(index)
            continue
        after_title = True
        if block.centred and len(text) <= 60 and not text.endswith("。"):
            _unit_line(text, found)
            consumed.add(index)
            continue
        break
    if not title_parts and fallback is not None and "title" not in found.values:
        consumed.add(fallback[0])
        title_parts.append(fallback[1])
    title = "".join(title_parts)
    if not title:
        title = found.values.get("title", "")
    return Head(found, consumed, title, form_year, date_year)


def _looks_like_title(para: Para, text: str) -> bool:
    if len(text) > 60 or text.endswith(("。", "；")):
        return False
    if classify(text):
        return False
    return para.outline in (0, 1) or para.centred or (para.size or 0) >= 18 or para.bold_all


def _continues_title(para: Para, text: str, size: float | None) -> bool:
    if text.startswith(("——", "—", "－－", "--")):
        return True
    return bool(size and size >= 18 and para.size == size and para.centred and len(text) <= 40)


def _unit_line(text: str, found: Found) -> None:
    """A centred line under the title: "华东重型机床有限公司党委" or "…党委 张明远 李晓岚"."""
    text = text.strip("（）() ")
    parts = [p for p in re.split(r"\s+", text) if p]
    if not parts:
        return
    unit_parts = [parts[0]]
    rest = parts[1:]
    while rest and not _is_name(rest[0]):
        unit_parts.append(rest.pop(0))
    unit = "".join(unit_parts)
    if _UNIT_END.search(unit) or not rest:
        found.put("unit", unit)
        if rest:
            found.put("authors", "、".join(rest))
    elif all(_is_name(p) for p in parts):
        found.put("authors", "、".join(split_names(text)))


def _is_name(word: str) -> bool:
    """A person's name as written under a title: two to four Chinese characters, not a body."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", word)) and not _UNIT_END.search(word)
