"""The command line: python build.py [check|new] … (exit 0 ok, 1 content errors, 2 wrong usage)."""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from casebook.outcome import Exit

_ARGPARSE_ZH = {
    "unrecognized arguments": "无法识别的参数",
    "the following arguments are required": "缺少必需的参数",
    "invalid choice": "无效的选项",
    "expected one argument": "需要一个值",
    "argument ": "参数 ",
    "choose from": "可选",
    "invalid int value": "不是整数",
}


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese help, usage, errors and exit code 2."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def format_usage(self) -> str:
        return _chinese_help(super().format_usage())

    def format_help(self) -> str:
        return _chinese_help(super().format_help())

    def error(self, message: str) -> None:  # type: ignore[override]
        for english, chinese in _ARGPARSE_ZH.items():
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        sys.stderr.write(f"错误：{message}\n")
        raise SystemExit(Exit.USAGE)


_HELP_ZH = (("usage: ", "用法："), ("positional arguments:", "位置参数："), ("options:", "选项："))


def _chinese_help(text: str) -> str:
    for english, chinese in _HELP_ZH:
        text = text.replace(english, chinese)
    return text


@functools.lru_cache(maxsize=1)  # built once per process: tests and serve run many commands
def _parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(
        prog="python build.py",
        description="创新案例合集工具：检查案例，生成展示网站与年度选编。不带子命令时依次执行检查和全部构建。",
    )
    parser.add_argument("--root", default=".", help="合集所在文件夹（含 cases/、content/），默认当前文件夹")
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)

    check = commands.add_parser("check", help="按本次征集的规则检查每个案例")
    check.add_argument("--root", default=argparse.SUPPRESS, help="合集所在文件夹")
    check.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text（默认）或 json")
    check.add_argument("--strict", action="store_true", help="有警告也视为失败")

    new = commands.add_parser("new", help="新建一个案例文件夹（含填写说明）")
    new.add_argument("--root", default=argparse.SUPPRESS, help="合集所在文件夹")
    new.add_argument("--title", required=True, help="案例名称")
    new.add_argument("--unit", required=True, help="申报/实施单位")
    new.add_argument("--year", type=int, required=True, help="年份，如 2024")
    new.add_argument("--category", help="类别（须为本次征集的类别之一）")
    new.add_argument("--recommender", default="", help="推荐单位")
    new.add_argument("--author", action="append", default=[], help="执笔人，可重复多次")
    new.add_argument("--folder", help="文件夹名，默认“单位-案例名称”")
    site = commands.add_parser("site", help="生成公开展示网站（默认输出到 site/）")
    site.add_argument("--root", default=argparse.SUPPRESS, help="合集所在文件夹")
    site.add_argument("--out", help="输出文件夹，默认 site/")
    site.add_argument(
        "--offline", action="store_true", help="生成离线版（可从 U 盘或共享文件夹直接打开），同时生成同名 .zip"
    )

    serve = commands.add_parser("serve", help="本地预览网站，修改案例后自动刷新")
    serve.add_argument("--root", default=argparse.SUPPRESS, help="合集所在文件夹")
    serve.add_argument("--port", type=int, default=8000, help="端口，默认 8000")

    book = commands.add_parser("book", help="生成年度案例选编（DOCX，装有 LibreOffice 时另出 PDF）")
    book.add_argument("--root", default=argparse.SUPPRESS, help="合集所在文件夹")
    book.add_argument("--year", type=int, help="年份；不填则每年各出一册")
    book.add_argument(
        "--edition", choices=("public", "internal"), default="public", help="public 公开版（默认）或 internal 组织方版"
    )
    book.add_argument("--out", help="输出文件夹，默认 build/book/")
    book.add_argument("--pdfa", action="store_true", help="PDF 生成为 PDF/A-2b 长期保存格式（同设置 book.pdfa）")

    lists = commands.add_parser("lists", help="生成申报目录和推荐汇总表（含联系方式，仅供组织方）")
    lists.add_argument("--root", default=argparse.SUPPRESS, help="合集所在文件夹")
    lists.add_argument("--year", type=int, help="年份；不填则每年各出一份")
    lists.add_argument("--out", help="输出文件夹，默认 build/lists/")
    wechat = commands.add_parser("wechat", help="生成微信公众号文章和学习强国文稿（默认输出到 build/wechat/）")
    wechat.add_argument("--root", default=argparse.SUPPRESS, help="合集所在文件夹")
    wechat.add_argument("--year", type=int, help="年份；不填则每年的公开案例都生成")
    wechat.add_argument("--case", metavar="SLUG", help="只生成一个案例（网址名 slug，如 banzu-weixuanjiang）")
    wechat.add_argument("--out", help="输出文件夹，默认 build/wechat/")
    importer = commands.add_parser("import", help="把 Word 申报材料（.docx/.doc/.wps）导入为案例文件夹")
    importer.add_argument("source", metavar="FILE_OR_FOLDER", help="Word 文件，或包含 Word 文件的文件夹")
    importer.add_argument("--root", default=argparse.SUPPRESS, help="合集所在文件夹")
    importer.add_argument("--year", type=int, help="年份，如 2024；不填则从文档中识别")
    importer.add_argument("--category", help="类别（须为本次征集的类别之一）")
    importer.add_argument("--force", action="store_true", help="案例文件夹已存在时覆盖")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = Path(args.root)
    if not root.is_dir():
        sys.stderr.write(f"错误：合集文件夹不存在：{root}\n")
        return Exit.USAGE
    return int(_dispatch(root.resolve(), args))


def _dispatch(root: Path, args: argparse.Namespace) -> Exit:
    from casebook import pipeline

    command = args.command
    if command == "new":
        from casebook.scaffold import run_new

        return run_new(root, args)
    if command == "import":
        from casebook.importer import command as import_command

        return import_command.run(root, args)
    if command == "check":
        return run_check(root, args.format, args.strict)
    if command == "serve":
        from casebook.outputs.site import serve

        return serve.run(root, args.port)
    out = Path(args.out) if getattr(args, "out", None) else None
    if command == "site":
        return pipeline.build(root, [pipeline.Stage("site", out=out, offline=args.offline)])
    if command == "wechat":
        return pipeline.build(root, [pipeline.Stage("wechat", year=args.year, out=out, case=args.case)])
    if command in ("book", "lists"):
        edition, pdfa = getattr(args, "edition", "public"), getattr(args, "pdfa", False)
        return pipeline.build(root, [pipeline.Stage(command, edition, args.year, out, pdfa=pdfa)])
    return pipeline.main_job(root)


def run_check(root: Path, fmt: str = "text", strict: bool = False) -> Exit:
    from casebook import pipeline
    from casebook.outcome import print_report

    report = pipeline.load(root).report
    print_report(report, fmt)
    failed = bool(report.errors) or (strict and bool(report.warnings))
    return Exit.CONTENT if failed else Exit.OK
