"""Labelled values: the 申报表 labels of notices 000, 001 and 004 and the "标签：值" lines of a
document's head (申报单位：… 执笔人：…), mapped onto front matter keys."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casebook.importer.text import clean, squash

# Normalised label -> front matter key ("contact.mobile" for sub-keys). Longest labels first.
LABELS: dict[str, str] = {
    "案例名称": "title",
    "推荐案例名称": "title",
    "示范点名称": "title",
    "申报单位": "unit",
    "实施单位": "unit",
    "所在党组织": "unit",
    "党组织": "unit",
    "申报主体": "unit",
    "单位名称": "unit",
    "单位": "unit",
    "作者单位": "unit",
    "推荐单位": "recommender",
    "执笔人": "authors",
    "执笔": "authors",
    "撰稿人": "authors",
    "作者": "authors",
    "案例负责人姓名": "contact.name",
    "案例负责人": "contact.name",
    "联系人及职务": "contact.name_position",
    "联系人": "contact.name",
    "职务": "contact.position",
    "座机": "contact.phone",
    "固定电话": "contact.phone",
    "办公电话": "contact.phone",
    "电话": "contact.phone_any",
    "联系电话": "contact.phone_any",
    "联系方式": "contact.phone_any",
    "手机": "contact.mobile",
    "手机号码": "contact.mobile",
    "电子邮箱": "contact.email",
    "邮箱": "contact.email",
    "email": "contact.email",
    "e-mail": "contact.email",
    "通讯地址": "contact.address",
    "单位地址": "contact.address",
    "地址": "contact.address",
    "案例概要和创新点": "summary",
    "案例概要": "summary",
    "案例摘要": "summary",
    "案例简介": "summary",
    "案例概述": "summary",
    "内容摘要": "summary",
    "摘要": "summary",
    "简要事迹": "summary",
    "申报类别": "category",
    "案例类别": "category",
    "类别": "category",
    "所属主题": "themes",
    "案例主题": "themes",
    "主题": "themes",
    "关键词": "",
    "关键字": "",
    "单位性质": "unit_info.nature",
    "职工人数": "unit_info.employees",
    "所属行业": "unit_info.industry",
}
# Labels that head a group or a signature box: recognised (so they are not taken as values), not kept.
IGNORED = ("班组基本情况", "意见", "审核", "审批", "序号", "日期", "单位公章", "盖章")

_HINT = re.compile(r"[（(][^（）()]*[）)]")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_PLACEHOLDER = re.compile(r"^[\s年月日：:（）()盖章公章单位日期签字_/\-—.]*$")
_NAME_SPLIT = re.compile(r"[、，,；;/\s]+")


def label_key(text: str) -> str | None:
    """The front matter key of a form label ("案例概要和创新点 (500字以内)" → "summary"), "" for a
    recognised label that is not kept, None when the text is not a label."""
    name = _HINT.sub("", squash(text)).rstrip("：:").lower()
    if not name or len(name) > 14:
        return None
    if name in LABELS:
        return LABELS[name]
    if any(name.endswith(word) or name == word for word in IGNORED):
        return ""
    return None


def clean_value(text: str) -> str:
    """A form value without fill-in hints such as (不超过3人) or (盖章)."""
    lines = [clean(line) for line in text.split("\n")]
    value = "\n".join(line for line in lines if line)
    value = re.sub(r"^[（(][^（）()]*(?:字|人|盖章|包括|以内)[^（）()]*[）)]\s*", "", value)
    value = re.sub(r"[（(]\s*盖章\s*[）)]", "", value).strip()
    return "" if _PLACEHOLDER.match(value) else value


@dataclass
class Found:
    """Values found so far; the first value found for a key wins."""

    values: dict[str, str] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)

    def put(self, key: str, value: str) -> None:
        value = value.strip()
        if not key or not value:
            return
        if key == "authors":
            if not self.authors:
                self.authors = split_names(value)
            return
        if key == "contact.name_position":
            name, position = _pair(value)
            self.put("contact.name", name)
            self.put("contact.position", position)
            return
        if key == "contact.phone_any":
            mobiles = _MOBILE.findall(value)
            if mobiles:
                self.put("contact.mobile", mobiles[0])
                rest = clean(_MOBILE.sub("", value, count=1).strip("，,；; /、"))
                if re.search(r"\d{5,}", rest):
                    self.put("contact.phone", rest)
            else:
                self.put("contact.phone", value)
            return
        if key == "contact.mobile" and not _MOBILE.search(value) and re.search(r"\d", value):
            self.put("contact.phone", value)
            return
        if key == "summary":
            value = value.replace("\n", "")
        elif key not in self.values:
            value = value.replace("\n", " ")
        self.values.setdefault(key, value)


def _pair(value: str) -> tuple[str, str]:
    parts = [p for p in re.split(r"[\s，,、/（()）]+", value) if p]
    if not parts:
        return "", ""
    return parts[0], "".join(parts[1:])


def split_names(value: str) -> list[str]:
    names = [clean(n) for n in _NAME_SPLIT.split(_HINT.sub("", value)) if clean(n)]
    return [n for n in names if n not in ("等",)]


# --- "标签：值" lines -----------------------------------------------------------------------------------

_LINE_LABELS = sorted({*LABELS, "电子邮件"}, key=len, reverse=True)
_LINE_LABEL = re.compile(
    "(" + "|".join(re.escape(label) for label in _LINE_LABELS) + r")\s*(?:[（(][^（）()]*[）)])?\s*[：:]\s*",
    re.I,
)


# Labels that head a group of pairs on the same line, as the organisers' edition of the book prints
# the form's 班组基本情况 ("班组基本情况：单位性质：…；职工人数：…"): the pairs are read, the label dropped.
GROUP_LABELS = re.compile(r"^(?:班组|单位)基本情况\s*[：:]\s*")


def labelled_line(text: str) -> list[tuple[str, str]] | None:
    """[(key, value)…] when a paragraph is one or more "标签：值" pairs starting at its first
    character (申报单位：… 执笔人：…), else None."""
    text = GROUP_LABELS.sub("", text, count=1)
    matches = list(_LINE_LABEL.finditer(text))
    if not matches or matches[0].start() != 0:
        return None
    pairs = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        label = match.group(1).lower()
        key = LABELS.get(label, "contact.email" if label == "电子邮件" else None)
        pairs.append((key or "", text[match.end() : end].strip(" ，,；;")))
    return pairs
