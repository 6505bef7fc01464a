"""`new`: scaffold a case folder whose template explains every field in Chinese."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from casebook import template_text
from casebook.config.templates import front_matter
from casebook.diagnostics import Report, did_you_mean
from casebook.inputs.headings import marker_for
from casebook.inputs.profiles import Profile
from casebook.inputs.settings import load as load_settings
from casebook.outcome import Exit


def render(
    title: str, unit: str, year: int, category: str, recommender: str, authors: list[str], profile: Profile
) -> str:
    values = {
        "title": title,
        "unit": unit,
        "recommender": recommender,
        "category": category,
        "year": year,
        "authors": list(authors),
    }
    return front_matter(profile, values) + _sections(profile) + "\n"


def _sections(profile: Profile) -> str:
    """The required first-level headings, each with a placeholder the checker reports until filled."""
    return (
        "\n\n".join(
            f"## {marker_for(1, i)}{names[0]}\n\n<!-- 在此填写“{names[0]}”。下级标题依次用 ### （一）、#### 1.、##### （1）。 -->"
            for i, names in enumerate(profile.sections, start=1)
        )
        or "<!-- 在此填写正文。一级标题用 ## 一、，下级依次用 ### （一）、#### 1.、##### （1）。 -->"
    )


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
