"""`import`: Word submissions → checked case folders (exit 0 ok, 1 content problems, 2 bad input)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from casebook.diagnostics import Report
from casebook.importer.convert import Draft, convert
from casebook.importer.errors import ImportFailure
from casebook.importer.render import render
from casebook.importer.source import WORD_SUFFIXES
from casebook.importer.writer import folder_name, write_case
from casebook.inputs.profiles import Profile
from casebook.inputs.settings import load as load_settings
from casebook.outcome import Exit

_OPTIONAL = (
    ("authors", "执笔人"),
    ("recommender", "推荐单位"),
    ("contact.name", "联系人"),
    ("contact.mobile", "手机"),
    ("contact.phone", "座机"),
    ("contact.email", "电子邮箱"),
)
_GUESS = (
    (("学院", "学校", "大学", "职院", "中学", "小学", "幼儿园", "教育"), ("院校", "学校")),
    (("公司", "集团", "厂", "企业"), ("企业", "国有企业")),
    (("社区", "街道"), ("社区", "城市")),
    (("村",), ("农村",)),
)


def run(root: Path, args: argparse.Namespace) -> int:
    report = Report()
    loaded = load_settings(root, report)
    if loaded is None:
        for item in report.sorted():
            sys.stderr.write(item.format() + "\n")
        return Exit.CONTENT
    _, profile = loaded
    source = Path(args.source)
    if args.category and profile.categories and args.category not in profile.category_names:
        _fail(source, ImportFailure("E712", value=args.category, allowed="、".join(profile.category_names)))
        return Exit.USAGE
    if not source.exists():
        _fail(source, ImportFailure("E709", detail=str(source)))
        return Exit.USAGE
    files = _word_files(source) if source.is_dir() else [source]
    if not files:
        _fail(source, ImportFailure("E710"))
        return Exit.USAGE
    worst = Exit.OK
    with tempfile.TemporaryDirectory(prefix="casebook-import-") as temp:
        drafts: list[Draft] = []
        for number, path in enumerate(files):
            workdir = Path(temp) / str(number)
            workdir.mkdir()
            try:
                drafts.append(convert(path, workdir))
            except ImportFailure as failure:
                _fail(path, failure)
                worst = Exit.USAGE
        written: list[str] = []
        for draft in _merge_forms(drafts):
            shown = _import(root, draft, profile, args)
            if shown is None:
                worst = Exit.USAGE
            else:
                written.append(shown)
    if written:
        worst = max(worst, _check(root, written))
    return worst


def _word_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if any(part.startswith((".", "~$")) for part in path.relative_to(folder).parts):
            continue
        if path.is_file() and path.suffix.lower() in WORD_SUFFIXES:
            found.append(path)
    return found


def _merge_forms(drafts: list[Draft]) -> list[Draft]:
    """A submission folder holding a form-only document (申报表) and one case text: the form's values
    complete the case text's, and the form is not imported as a case of its own."""
    by_folder: dict[Path, list[Draft]] = {}
    for draft in drafts:
        by_folder.setdefault(draft.source.parent, []).append(draft)
    result = []
    for group in by_folder.values():
        forms = [d for d in group if not d.has_body and not d.images and d.found.values]
        texts = [d for d in group if d not in forms]
        if forms and len(texts) == 1:
            text = texts[0]
            for form in forms:
                for key, value in form.found.values.items():
                    text.found.values.setdefault(key, value)
                if not text.found.authors:
                    text.found.authors = form.found.authors
                if text.title_from_name and form.title and not form.title_from_name:
                    text.title, text.title_from_name = form.title, False
                if text.year_guessed and form.year and not form.year_guessed:
                    text.year, text.year_guessed = form.year, False
            result.append(text)
        else:
            result.extend(group)
    return result


def _fail(path: Path, failure: ImportFailure) -> None:
    sys.stderr.write(f"{path}: {failure.code} {failure.message}\n")


def _category(args: argparse.Namespace, draft: Draft, profile: Profile) -> tuple[str, str]:
    names = profile.category_names
    if args.category:
        return args.category, ""
    written = draft.found.values.get("category", "").strip()
    for name in names:
        if written and (written == name or written.rstrip("类篇") == name):
            return name, ""
    if len(names) == 1:
        return names[0], ""
    unit = draft.found.values.get("unit", "")
    for words, categories in _GUESS:
        if any(word in unit for word in words):
            for category in categories:
                if category in names:
                    return category, "：按单位名称推测，请核对"
    return "", ""


def _import(root: Path, draft: Draft, profile: Profile, args: argparse.Namespace) -> str | None:
    """Write one case folder; its path relative to the root, or None (reported) when it could not be."""
    year = args.year or draft.year
    if year is None:
        _fail(draft.source, ImportFailure("E711"))
        return None
    category, note = _category(args, draft, profile)
    unit = draft.found.values.get("unit", "")
    target = root / "cases" / str(year) / folder_name(unit, draft.title)
    shown = target.relative_to(root).as_posix()
    index = render(draft, year, category, note, profile)
    try:
        write_case(target, index, draft.images, args.force, shown)
    except ImportFailure as failure:
        _fail(draft.source, failure)
        return None
    count = f"，{len(draft.images)} 张图片" if draft.images else ""
    sys.stdout.write(f"已导入 {draft.source} → {shown}/index.md{count}\n")
    if draft.year_guessed and not args.year:
        sys.stdout.write(f"  年份按文中的日期推测为 {year}，请核对；不对时删除此案例文件夹，用 --year 重新导入\n")
    missing = [
        label
        for key, label in _OPTIONAL
        if not (draft.found.authors if key == "authors" else draft.found.values.get(key))
    ]
    if missing:
        sys.stdout.write(f"  文档中没有找到（选填，如有请在 index.md 中补上）：{'、'.join(missing)}\n")
    for code, values in draft.notes:
        item = Report()
        item.add(str(draft.source), None, code, **values)
        sys.stdout.write("  " + item.items[0].format() + "\n")
    return shown


def _check(root: Path, written: list[str]) -> int:
    """Check the collection once and show, for each new case, what is still to fill or fix."""
    from casebook.inputs.loader import load

    _, report = load(root)
    items = report.sorted()
    worst = Exit.OK
    for shown in written:
        mine = [d for d in items if d.path == shown or d.path.startswith(shown + "/")]
        if not mine:
            sys.stdout.write(f"{shown}：检查通过，案例信息完整。审定后把 status 改为 approved 即可发布。\n")
            continue
        errors = [d for d in mine if d.severity == "error"]
        sys.stdout.write(f"{shown}：还需填写或修改（{len(errors)} 个错误，{len(mine) - len(errors)} 个警告）：\n")
        for item in mine:
            sys.stdout.write(f"  {item.format()}\n")
        if errors:
            worst = Exit.CONTENT
    return worst
