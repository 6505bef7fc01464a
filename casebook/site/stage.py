"""python build.py site | serve: check the collection, then build or preview the website."""

from __future__ import annotations

import sys
from pathlib import Path

from ..loader import load
from .docs_tree import DuplicateOutput
from .engine import EngineError
from .mkdocs_config import ConfigError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _loaded(root: Path):
    collection, report = load(root)
    for item in report.sorted():
        sys.stderr.write(item.format() + "\n")
    if collection is None or report.errors:
        sys.stderr.write(
            f"有 {len(report.errors)} 个错误，未生成网站。请先修改后再运行（python build.py check 可查看详情）。\n"
        )
        return None
    return collection


def run(root: Path, args) -> int:
    from . import builder

    if args.command == "serve":
        from . import serve

        return serve.run(root, getattr(args, "port", 8000))
    out = Path(args.out) if getattr(args, "out", None) else root / "site"
    reason = builder.check_out_dir(root, out)
    if reason:
        sys.stderr.write(f"错误：{reason}\n")
        return EXIT_USAGE
    collection = _loaded(root)
    if collection is None:
        return EXIT_CONTENT
    books_dir = root / "build" / "book"
    if sys.stderr.isatty():
        sys.stderr.write("正在生成网站……\n")
    try:
        prepared, warnings = builder.build(collection, out, books_dir if books_dir.is_dir() else None)
    except (builder.PrivacyLeak, DuplicateOutput, ConfigError) as error:
        sys.stderr.write(f"错误：{error}\n")
        return EXIT_CONTENT
    except EngineError as error:
        sys.stderr.write(f"错误：{error}\n")
        return EXIT_CONTENT
    except OSError as error:  # out folder not writable, disk full …
        where = f"：{error.filename}" if error.filename else ""
        sys.stderr.write(f"错误：写入网站文件失败（{error.strerror or error}）{where}\n")
        return EXIT_CONTENT
    for line in warnings:
        sys.stderr.write(f"网站引擎提示：{line}\n")
    sys.stdout.write(
        f"网站已生成：{out}（{len(prepared.model.cases)} 个公开案例，新处理图片 {prepared.photos_processed} 张）\n"
    )
    return EXIT_OK
