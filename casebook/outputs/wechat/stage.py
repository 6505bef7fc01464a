"""The wechat stage: a package per public case under build/wechat/<year>/<slug>/ (or --out) and the
preview page, made in a staging folder, verified like every public output, then swapped in.

With --year or --case only those cases are made again; the packages of the other current public
cases are carried over from the previous output (and verified again), anything else is dropped — a
case that has since become private or been withdrawn never survives a build."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from casebook.diagnostics import Report, did_you_mean
from casebook.inputs import mkdocs_yml
from casebook.model import Case, Collection
from casebook.outcome import Exit, chosen_years, os_problem, say, show, warn
from casebook.outputs.site.sanitize import Renderer
from casebook.outputs.wechat import article, package, preview
from casebook.outputs.wechat.photos import PhotoCache
from casebook.publish import verify, views
from casebook.publish.sortkey import sort_key, unit_key
from casebook.util import files


def default_out(root: Path) -> Path:
    return root / "build" / "wechat"


def site_url(root: Path) -> str:
    """mkdocs.yml's ``site_url`` when it is a web address (the 原文链接 of each article), else ""."""
    try:
        value = mkdocs_yml.load_base(root / "mkdocs.yml").get("site_url")
    except (mkdocs_yml.ConfigError, OSError):
        return ""
    return value.strip() if isinstance(value, str) and value.strip().startswith(("https://", "http://")) else ""


def ordered(cases: tuple[Case, ...] | list[Case]) -> list[Case]:
    """Newest year first; within a year by unit (pinyin), then title."""
    return sorted(cases, key=lambda c: (-c.year, unit_key(c.unit), sort_key(c.title), c.slug))


def out_problem(root: Path, out: Path) -> str:
    """Why ``out`` must not be replaced, or ""."""
    target, base = out.resolve(), root.resolve()
    if target == base or target in base.parents or any(target == base / name for name in ("cases", "content", "theme")):
        return f"输出文件夹不能是合集本身或其中的 cases、content、theme：{out}"
    if target.exists() and not target.is_dir():
        return f"输出位置是一个文件：{out}"
    if target.is_dir() and any(target.iterdir()):
        index = target / "index.html"
        marked = index.is_file() and f'content="{preview.GENERATOR}"' in index.read_text("utf-8", "replace")
        if not marked:
            return f"输出文件夹 {out} 不是空的，也不是以前生成的公众号文章文件夹，为免误删未写入：请换一个文件夹"
    return ""


def _select(view: Collection, year: int | None, slug: str | None) -> list[Case] | None:
    cases = ordered(view.cases)
    if year is not None:
        if chosen_years(view.years(), year, "公开案例") is None:
            return None
        cases = [c for c in cases if c.year == year]
    if slug is not None:
        found = [c for c in cases if c.slug == slug]
        if not found:
            slugs = [c.slug for c in cases]
            hint = did_you_mean(slug, slugs) or "（网址名见案例的 slug 字段或网站中案例页的网址）"
            warn(f"错误：没有网址名为“{slug}”的公开案例{hint}")
            return None
        cases = found
    return cases


def _carried(out: Path, case: Case) -> bool:
    """Whether a previous package of ``case`` can be carried over (complete and readable)."""
    folder = out / package.folder_of(case)
    try:
        json.loads((folder / package.META).read_text(encoding="utf-8"))
        article.fragment_of((folder / package.ARTICLE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return True


def build(collection: Collection, selected: list[Case], out: Path, full: bool) -> tuple[Report, int]:
    """Stage, verify, commit; the warnings of the cases made and how many were made."""
    root = collection.root
    view = views.public(collection)
    settings = collection.settings
    source = article.source_line(settings.wechat.source, settings.organiser)
    cache = PhotoCache(root / ".cache" / "wechat" / "photos")
    options = package.Options(settings.wechat.accent, source, site_url(root), Renderer(), cache)
    out.parent.mkdir(parents=True, exist_ok=True)
    files.remove_leftovers(out.parent, f".{out.name}.*-*")
    staging = files.staging_dir(out)
    report = Report()
    try:
        made = {c.slug for c in selected}
        listed = []
        for case in ordered(view.cases):
            folder = package.folder_of(case)
            if case.slug in made:
                report.extend(package.write(case, staging / folder, options))
            elif not full and _carried(out, case):
                shutil.copytree(out / folder, staging / folder)
            else:
                continue
            listed.append(folder)
        entries = [preview.entry(staging, folder) for folder in listed]
        page = preview.render(entries, settings.title, root)
        (staging / "index.html").write_text(page, encoding="utf-8")
        findings = verify.scan_tree(staging, views.forbidden(collection))
        if findings:
            raise verify.Leak("公众号文章", findings)
        files.set_modes(staging)
        files.replace_dir(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if full:
        cache.prune()
    return report, len(made)


def run(collection: Collection, *, year: int | None = None, slug: str | None = None, out: Path | None = None) -> Exit:
    root = collection.root
    out = out or default_out(root)
    problem = out_problem(root, out)
    if problem:
        warn(f"错误：{problem}")
        return Exit.USAGE
    view = views.public(collection)
    selected = _select(view, year, slug)
    if selected is None:
        return Exit.USAGE
    if not selected:
        warn("没有公开案例，未生成公众号文章。")
        return Exit.OK
    if sys.stderr.isatty():
        warn("正在生成公众号文章……")
    try:
        report, count = build(collection, selected, out, full=year is None and slug is None)
    except verify.Leak as error:
        warn(f"错误：{error}")
        return Exit.CONTENT
    except OSError as error:
        warn(f"错误：{os_problem(error, '公众号文章')}")
        return Exit.CONTENT
    show(report.sorted())
    noted = f"，{len(report.items)} 个提示" if report.items else ""
    say(f"公众号文章已生成：{out}（{count} 个公开案例{noted}；预览：{out / 'index.html'}）")
    return Exit.OK
