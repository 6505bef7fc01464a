"""The site stage: the public view into site/ (or --out), verified and swapped in atomically.
``--offline``: the variant opened from file:// (links to index.html), into the folder and the same
as a zip beside it."""

from __future__ import annotations

import sys
from pathlib import Path

from casebook.model import Collection
from casebook.outcome import Exit, os_problem, say, warn
from casebook.outputs.site.docs_tree import DuplicateOutput
from casebook.outputs.site.engine import EngineError
from casebook.outputs.site.mkdocs_config import ConfigError
from casebook.publish import verify


def out_dir(root: Path, out: Path | None) -> Path:
    return out if out is not None else root / "site"


def run(collection: Collection, out: Path | None = None, offline: bool = False) -> Exit:
    from casebook.outputs.site import branding, builder

    out = out_dir(collection.root, out)
    reason = builder.check_out_dir(collection.root, out)
    if reason:
        warn(f"错误：{reason}")
        return Exit.USAGE
    if sys.stderr.isatty():
        warn("正在生成网站……")
    no_site_url = branding.site_url_warning(collection.root)
    if no_site_url:
        warn(f"提示：{no_site_url}")
    try:
        prepared, warnings = builder.build(collection, out, offline=offline)
    except (verify.Leak, DuplicateOutput, ConfigError, EngineError) as error:
        warn(f"错误：{error}")
        return Exit.CONTENT
    except OSError as error:  # out folder not writable, disk full …
        warn(f"错误：{os_problem(error, '网站文件')}")
        return Exit.CONTENT
    for line in warnings:
        warn(f"网站引擎提示：{line}")
    count = prepared.cases
    if prepared.outcome == "unchanged":
        say(f"网站无变化，未重新生成：{out}（{count} 个公开案例）")
        return Exit.OK
    redone = f"，重新渲染 {prepared.rendered} 个文件" if prepared.outcome == "incremental" else ""
    say(f"网站已生成：{out}（{count} 个公开案例，新处理图片 {prepared.photos_processed} 张{redone}）")
    if offline:
        say(f"离线版压缩包：{out.with_name(out.name + '.zip')}（解压后双击 index.html 即可浏览和搜索）")
    return Exit.OK
