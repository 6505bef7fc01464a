"""index.md of an imported case: front matter in the style of `new` (a Chinese comment on every key,
empty keys with what to fill), then the Markdown body."""

from __future__ import annotations

import json
import re

from ..captions import compose
from ..profiles import Profile
from ..template_text import limit_text, photo_rule, quote
from .convert import Draft

_PAD = "            "
_EMPLOYEES = re.compile(r"(\d+)")


def _line(key: str, value: str, comment: str, indent: str = "") -> str:
    return f"{indent}{key}: {value}{_PAD}# {comment}"


def _text(key: str, value: str, found: str, missing: str, indent: str = "") -> str:
    return _line(key, quote(value), found if value else missing, indent)


def render(draft: Draft, year: int, category: str, category_note: str, profile: Profile) -> str:
    v = draft.found.values
    categories = "、".join(profile.category_names) or "（本次征集未设类别）"
    themes = "、".join(profile.themes)
    author_note = f"最多 {profile.authors_max} 人" if profile.authors_max else "不限人数"
    unit = v.get("unit", "")
    lines = ["---", "# 案例信息，由 python build.py import 从 Word 文件导入。# 后面是填写说明，可以保留也可以删除。"]
    lines.append(f"# 来源：{draft.source.name}")
    if draft.title_from_name:
        lines.append(_line("title", quote(draft.title), "案例名称（必填）：文档中没有找到标题，暂取自文件名，请核对"))
    else:
        lines.append(_text("title", draft.title, "案例名称（必填）", "案例名称（必填）：文档中没有找到，请填写"))
    lines.append(_text("unit", unit, "申报/实施单位全称（必填）", "申报/实施单位全称（必填）：文档中没有找到，请填写"))
    lines.append(_text("recommender", v.get("recommender", ""), "推荐单位", "推荐单位，没有可留空"))
    if category:
        lines.append(_line("category", quote(category), f"类别（必填）{category_note}，可选：{categories}"))
    else:
        lines.append(_line("category", '""', f"类别（必填）：请填写，可选：{categories}"))
    theme_note = (
        f"主题，可多选，如 [主题一, 主题二]；可选：{themes}" if themes else "主题：本次征集未设主题，保持 [] 即可"
    )
    written = [t for t in re.split(r"[、，,；;/\s]+", v.get("themes", "")) if t]
    chosen = [t for t in written if t in profile.themes]
    if written and len(chosen) < len(written):
        theme_note += f"；文档中写的是“{v['themes']}”，请对照可选主题填写"
    lines.append(_line("themes", json.dumps(chosen, ensure_ascii=False), theme_note))
    year_note = "年份，四位整数" + ("：从文档中的日期推测，请核对" if draft.year_guessed and year == draft.year else "")
    lines.append(_line("year", str(year), year_note))
    authors = draft.found.authors
    lines.append(
        _line(
            "authors",
            json.dumps(authors, ensure_ascii=False),
            f"执笔人，{author_note}" + ("" if authors else "：文档中没有找到，如有请填写，如 [张三, 李四]"),
        )
    )
    summary = v.get("summary", "")
    label = profile.summary.label
    if summary:
        lines.append(f"summary: >-{_PAD}# {label}（必填），{limit_text(profile.summary)}")
        lines.append(f"  {summary}")
    else:
        lines.append(
            _line(
                "summary",
                '""',
                f"{label}（必填），{limit_text(profile.summary)}：文档中没有找到，请填写；多行时写成 summary: >- 换行后缩进两格",
            )
        )
    lines.append(f"# award: 优秀案例{_PAD}# 获评情况，如 品牌、优秀案例、示范点；没有就删除此行")
    lines.append(
        _line("status", "draft", "状态：draft 草稿；审定入选后改为 approved；撤回为 withdrawn。只有 approved 会发布")
    )
    lines.append(_line("public", "true", "是否公开：内容不宜公开时改为 false，则不进入网站和公开版选编"))
    lines.append(f"# slug: example-case{_PAD}# 网址名（可选）：小写英文字母、数字和连字符")
    lines.append(f"# order: 1{_PAD}# 在选编中的排序（可选），数字小的在前")
    lines.append(f"contact:{_PAD}# 联系人信息：仅供组织方使用，不会公开")
    contact_notes = {
        "name": "联系人",
        "position": "职务",
        "phone": '座机，如 "0551-63512345"',
        "mobile": '手机，请加引号，如 "13905512345"',
        "email": "电子邮箱",
        "address": "通讯地址",
    }
    for key, note in contact_notes.items():
        value = v.get(f"contact.{key}", "")
        lines.append(_text(key, value, note.split("，")[0], f"{note}：文档中没有找到", indent="  "))
    lines.append(f"unit_info:{_PAD}# 单位基本情况（可选）")
    lines.append(_text("nature", v.get("unit_info.nature", ""), "单位性质", "单位性质，如 国有企业", indent="  "))
    employees = _EMPLOYEES.search(v.get("unit_info.employees", "").replace(",", ""))
    if employees:
        lines.append(_line("employees", employees.group(1), "职工人数", indent="  "))
    else:
        lines.append(_line("employees", "", "职工人数：文档中没有找到，请填写整数", indent="  "))
    lines.append(_text("industry", v.get("unit_info.industry", ""), "所属行业", "所属行业", indent="  "))
    lines += _photos(draft, year, unit, profile)
    lines.append("---")
    return "\n".join(lines) + "\n" + draft.body


def _photos(draft: Draft, year: int, unit: str, profile: Profile) -> list[str]:
    rule = photo_rule(profile)
    if not draft.photos:
        return [
            _line("photos", "[]", f"图片，{rule}；文档中没有图片。每张图片写成："),
            f"#  - file: 1.jpg{_PAD}# 图片文件，放在本文件夹内，JPG 或 PNG",
            f"#    time: {year}年3月{_PAD}# 时间：YYYY年M月 或 YYYY年M月D日",
            f"#    subject: {unit or '某单位'}{_PAD}# 主体：谁",
            f"#    event: 开展……活动{_PAD}# 事件：做了什么",
            "# 在正文中用 ![](1.jpg) 放置图片。",
        ]
    lines = [f"photos:{_PAD}# 图片，{rule}；说明自动组成“编号.时间，主体事件”，编号按正文中出现的顺序"]
    for photo in draft.photos:
        lines.append(f"  - file: {photo.file}{_PAD}# 第 {photo.number} 张图片")
        caption = photo.caption
        if caption is None:
            lines.append(
                _line("time", '""', "时间：文档中这张图片下没有说明，请填写，如 " + f"{year}年3月", indent="    ")
            )
            lines.append(_line("subject", '""', "主体：谁", indent="    "))
            lines.append(_line("event", '""', "事件：做了什么", indent="    "))
        elif caption.split:
            lines.append(_line("time", quote(caption.time), "时间", indent="    "))
            lines.append(_line("subject", quote(caption.subject), "主体", indent="    "))
            lines.append(_line("event", quote(caption.event), "事件", indent="    "))
        elif caption.time:
            text = compose(photo.number, caption.time, "", caption.text.split(caption.time, 1)[1].lstrip("，, "))
            lines.append(
                _line(
                    "caption",
                    quote(text),
                    "图片说明：未能拆分主体和事件，请核对，或改写为 time、subject、event 三项",
                    indent="    ",
                )
            )
        else:
            lines.append(
                _line(
                    "caption",
                    quote(caption.text),
                    f"图片说明（原文）：缺少时间，请改为“编号.时间，主体事件”，如“{photo.number}.{year}年3月，某单位开展……活动”",
                    indent="    ",
                )
            )
    return lines
