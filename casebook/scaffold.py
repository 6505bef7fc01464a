"""`new`: scaffold a case folder whose template explains every field in Chinese."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import template_text
from .diagnostics import Report, did_you_mean
from .headings import marker_for
from .outcome import Exit
from .profiles import Profile
from .settings import load as load_settings
from .template_text import limit_text, photo_rule, quote


def render(
    title: str, unit: str, year: int, category: str, recommender: str, authors: list[str], profile: Profile
) -> str:
    categories = "、".join(profile.category_names) or "（本次征集未设类别）"
    themes = "、".join(profile.themes)
    author_note = f"最多 {profile.authors_max} 人" if profile.authors_max else "不限人数"
    sections = (
        "\n\n".join(
            f"## {marker_for(1, i)}{names[0]}\n\n<!-- 在此填写“{names[0]}”。下级标题依次用 ### （一）、#### 1.、##### （1）。 -->"
            for i, names in enumerate(profile.sections, start=1)
        )
        or "<!-- 在此填写正文。一级标题用 ## 一、，下级依次用 ### （一）、#### 1.、##### （1）。 -->"
    )
    return f"""---
# 案例信息。# 后面是填写说明，可以保留也可以删除。冒号一律用半角“: ”，缩进只用空格。
title: {quote(title)}            # 案例名称（必填）
unit: {quote(unit)}            # 申报/实施单位全称（必填）
recommender: {quote(recommender)}            # 推荐单位，没有可留空
category: {quote(category)}            # 类别（必填），可选：{categories}
themes: []            # 主题，可多选，如 [主题一, 主题二]{("；可选：" + themes) if themes else "；本次征集未设主题，保持 [] 即可"}
year: {year}            # 年份，四位整数
authors: {json.dumps(authors, ensure_ascii=False)}            # 执笔人，{author_note}，如 [张三, 李四]
summary: ""            # {profile.summary.label}（必填），{limit_text(profile.summary)}；多行时写成 summary: >- 换行后缩进两格
# award: 优秀案例            # 获评情况，如 品牌、优秀案例、示范点；没有就删除此行
status: draft            # 状态：draft 草稿；审定入选后改为 approved；撤回为 withdrawn。只有 approved 会发布
public: true            # 是否公开：内容不宜公开时改为 false，则不进入网站和公开版选编
# slug: example-case            # 网址名（可选）：小写英文字母、数字和连字符
# order: 1            # 在选编中的排序（可选），数字小的在前
contact:            # 联系人信息：仅供组织方使用，不会公开
  name: ""            # 联系人
  position: ""            # 职务
  phone: ""            # 座机，如 "0551-63512345"
  mobile: ""            # 手机，请加引号，如 "13905512345"
  email: ""            # 电子邮箱
  address: ""            # 通讯地址
unit_info:            # 单位基本情况（可选）
  nature: ""            # 单位性质，如 国有企业
  employees:            # 职工人数，整数
  industry: ""            # 所属行业
photos: []            # 图片，{photo_rule(profile)}。每张图片写成：
#  - file: 1.jpg            # 图片文件，放在本文件夹内，JPG 或 PNG
#    time: {year}年3月            # 时间：YYYY年M月 或 YYYY年M月D日
#    subject: {unit}            # 主体：谁
#    event: 开展……活动            # 事件：做了什么；说明自动组成“1.{year}年3月，主体事件”
# 在正文中用 ![](1.jpg) 放置图片；未放置的图片排在案例末尾。
---
{sections}
"""


def _ask(label: str) -> str:
    return input(f"{label}：").strip()


def run_new(root: Path, args: argparse.Namespace) -> int:
    report = Report()
    loaded = load_settings(root, report)
    if loaded is None:
        for item in report.sorted():
            sys.stderr.write(item.format() + "\n")
        return Exit.CONTENT
    _, profile = loaded
    category = args.category
    if category is None and len(profile.categories) == 1:
        category = profile.categories[0].name
    if category is None and sys.stdin.isatty():
        category = _ask(f"类别（{'、'.join(profile.category_names)}）")
    if category and profile.categories and category not in profile.category_names:
        hint = did_you_mean(category, profile.category_names)
        sys.stderr.write(
            f"错误：类别“{category}”不在本次征集的类别中（可选：{'、'.join(profile.category_names)}）{hint}\n"
        )
        return Exit.USAGE
    folder_name = args.folder or template_text.folder_name(args.unit, args.title)
    if not folder_name or folder_name.startswith((".", "_")) or template_text.UNSAFE_NAME.search(folder_name):
        # one plain name: not a path (it would land outside cases/), not hidden or _-prefixed (check skips those)
        sys.stderr.write(f'错误：文件夹名“{folder_name}”无效：不能含有 / \\ : * ? " < > | 或空格，不能以 . 或 _ 开头\n')
        return Exit.USAGE
    folder = root / "cases" / str(args.year) / folder_name
    if folder.exists():
        sys.stderr.write(f"错误：{folder.relative_to(root).as_posix()} 已存在，未做任何改动\n")
        return Exit.USAGE
    text = render(args.title, args.unit, args.year, category or "", args.recommender, args.author, profile)
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(text, encoding="utf-8")
    sys.stdout.write(
        f"已新建 {folder.relative_to(root).as_posix()}/index.md，请按其中的说明填写，然后运行 python build.py check\n"
    )
    return Exit.OK
