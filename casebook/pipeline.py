"""The one pipeline from a collection to every output.

    read + check (loader: settings, cases, content/*.md, theme/reference.docx) — once
      → for each requested stage: its view (publish.views) → gate → writer → verify → commit
         book   public or organisers' edition, one volume per year, manifest for the site
         site   public view; links only volumes the book manifest vouches for
         lists  organisers' view
         wechat public view; one paste-ready WeChat article package per case, and a preview page

Every command goes through ``build`` (``check`` through ``load``). A stage is stopped only by errors
in what it would include: a draft or withdrawn case with errors is named and left out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from casebook.diagnostics import Report
from casebook.inputs.loader import load as load_collection
from casebook.model import Collection
from casebook.outcome import Exit, print_report, refuse, show, warn
from casebook.publish import views
from casebook.util import files, pinyin

WHAT = {"book": "选编", "site": "网站", "lists": "名单", "wechat": "公众号文章"}
UNREAD = {
    "book": ("mkdocs.yml",),
    "site": ("theme/reference.docx",),
    "lists": ("mkdocs.yml",),
    "wechat": ("theme/reference.docx",),  # mkdocs.yml is read: its site_url makes the 原文链接
}


@dataclass(frozen=True)
class Stage:
    """One output to make: ``book`` (with edition), ``site``, ``lists`` or ``wechat``; year None =
    every year; ``case`` (wechat) one case's slug, None = every case; ``offline`` (site) a site that
    opens from file:// and its zip; ``pdfa`` (book) PDF/A-2b."""

    name: str
    edition: str = views.PUBLIC
    year: int | None = None
    out: Path | None = None
    case: str | None = None
    offline: bool = False
    pdfa: bool = False


@dataclass
class Loaded:
    collection: Collection | None
    report: Report


def load(root: Path) -> Loaded:
    """Every input read and checked, once."""
    pinyin.use_store(root / ".cache")  # sort keys and slugs of the last build's names
    collection, report = load_collection(root)
    return Loaded(collection, report)


def _edition(stage: Stage) -> str:
    return views.INTERNAL if stage.name == "lists" else stage.edition


def _open(loaded: Loaded, stage: Stage) -> bool:
    """Whether the stage may run; prints what stops it or what it leaves out."""
    gate = views.gate(loaded.collection, loaded.report, _edition(stage), UNREAD[stage.name])
    if loaded.collection is None or gate.blocking:
        refuse(WHAT[stage.name], gate.blocking)
        return False
    for folder, count in gate.left_out:
        state = loaded.collection.states[folder]
        kind = {"draft": "草稿", "withdrawn": "已撤回"}.get(state.status, f"状态为“{state.status}”")
        if state.status == "approved":
            kind = "不公开"
        warn(
            f"{folder}: 提示：{kind}的案例有 {count} 个错误，未收录进{WHAT[stage.name]}（python build.py check 可查看）"
        )
    return True


def _run(stage: Stage, collection: Collection) -> Exit:
    if stage.name == "book":
        from casebook.outputs.book import stage as book_stage

        return book_stage.run(collection, year=stage.year, edition=stage.edition, out=stage.out, pdfa=stage.pdfa)
    if stage.name == "site":
        from casebook.outputs.site import stage as site_stage

        return site_stage.run(collection, stage.out, offline=stage.offline)
    if stage.name == "wechat":
        from casebook.outputs.wechat import stage as wechat_stage

        return wechat_stage.run(collection, year=stage.year, slug=stage.case, out=stage.out)
    from casebook.outputs.book import lists

    return lists.run(collection, stage.year, stage.out)


def build(root: Path, stages: list[Stage], loaded: Loaded | None = None, quiet_report: bool = False) -> Exit:
    """Run ``stages`` in order on one loaded collection, one build of a collection at a time. A stage
    that fails does not stop the next ones (the site still links the books that were made)."""
    loaded = loaded or load(root)
    if not quiet_report:
        show(d for d in loaded.report.sorted() if d.severity == "warning")
    worst = Exit.OK
    try:
        with files.build_lock(root, wait=float(os.environ.get("CASEBOOK_LOCK_WAIT", "600")), notify=warn):
            for stage in stages:
                code = _run(stage, loaded.collection) if _open(loaded, stage) else Exit.CONTENT
                worst = max(worst, code)
                if code == Exit.USAGE:
                    break
    except files.LockError as error:
        warn(f"错误：{error}")
        return Exit.CONTENT
    return Exit(worst)


def main_job(root: Path) -> Exit:
    """``python build.py``: check, then every year's public volume, then the site that links them."""
    loaded = load(root)
    print_report(loaded.report, "text")
    return build(root, [Stage("book"), Stage("site")], loaded, quiet_report=True)
