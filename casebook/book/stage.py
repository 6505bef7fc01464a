"""``python build.py book`` and ``python build.py lists``: check first, then write the outputs.

Settings read from content/settings.yml, key ``book``:
  summary: true|false   print each case's 案例概要 under its title (default true)
  date: 二〇二五年一月    the date line of the cover (default: the year in Chinese numerals)
  order: pinyin|笔画      order of units within a part (default pinyin; 笔画 needs Unihan data)
Outputs: build/book/《title（YYYY年度）》.docx/.pdf (organisers' edition: …组织方版.docx/.pdf),
build/lists/《title（YYYY年度）》申报目录/推荐汇总表 .docx/.xlsx/.csv. CASEBOOK_PDF=0 skips the PDF.
"""

from __future__ import annotations

import os
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError

from ..loader import load
from ..model import Collection
from . import docx_writer, order, package, pdf, strokes, styles

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
EDITIONS = ("public", "internal")


@dataclass(frozen=True)
class BookFiles:
    docx: Path
    pdf: Path | None


def default_out(root: Path, command: str) -> Path:
    return root / "build" / ("book" if command == "book" else "lists")


def file_stem(collection: Collection, year: int, edition: str) -> str:
    stem = docx_writer.book_title(collection, year)
    return stem + ("组织方版" if edition == "internal" else "")


def public_book(root: Path, collection: Collection, year: int, out: Path | None = None) -> Path:
    """Where the public edition's PDF of a year is written (for the site's downloads page)."""
    return (out or default_out(root, "book")) / f"{file_stem(collection, year, 'public')}.pdf"


def inside_site(root: Path, out: Path) -> bool:
    """Contact data must never be written under a site's folder: the default site/, or any folder
    that holds a generated site (built elsewhere with `site --out`), recognised by its sitemap and search."""
    site = (root / "site").resolve()
    target = out.resolve()
    if target == site or site in target.parents:
        return True
    return any((p / "sitemap.xml").is_file() and (p / "search").is_dir() for p in (target, *target.parents))


def edition_view(collection: Collection, edition: str) -> Collection:
    return collection.public() if edition == "public" else collection.internal()


def build_book(
    root: Path, collection: Collection, year: int, edition: str, out: Path, *, make_pdf: bool | None = None
) -> BookFiles:
    """One volume: DOCX (always) and PDF (when LibreOffice is there), the 目录 numbers measured."""
    view = edition_view(collection, edition)
    document = styles.load_reference(root)
    cache = root / "build" / ".cache" / "book-photos"
    volume = docx_writer.build(document, view, year, edition, cache)
    for problem in volume.problems:
        sys.stderr.write(f"警告：{problem}\n")
    stem = file_stem(collection, year, edition)
    docx_path = out / f"{stem}.docx"
    author = collection.settings.organiser
    package.save(document, docx_path, title=volume.title, author=author, year=year, fragments=volume.fragments)
    if make_pdf is None:
        make_pdf = pdf.available() and os.environ.get("CASEBOOK_PDF", "1") != "0"
    if not make_pdf:
        return BookFiles(docx_path, None)
    pdf_path = out / f"{stem}.pdf"
    pdf.convert(docx_path, pdf_path, year)
    pages = pdf.printed_pages(pdf_path, [e.bookmark for e in volume.entries], docx_writer.BODY_START)
    if pages and any(pages.get(e.bookmark) != e.estimate for e in volume.entries):
        volume.set_pages(pages)
        package.save(document, docx_path, title=volume.title, author=author, year=year, fragments=volume.fragments)
    return BookFiles(docx_path, pdf_path)


def _output_problem(error: Exception, root: Path) -> str:
    """A Chinese sentence for a file the build could not read or write."""
    if isinstance(error, OSError):
        where = f"：{error.filename}" if error.filename else ""
        return f"读写文件失败（{error.strerror or error}）{where}。文件是否正在 Word/WPS 中打开，或文件夹不可写？"
    reference = root / "theme" / "reference.docx"
    return f"样式文档 {reference} 无法读取（不是有效的 DOCX）。可删除后运行 python -m casebook.book.styles 重新生成。"


def _refuse(report) -> None:
    for item in report.sorted():
        sys.stderr.write(item.format() + "\n")
    sys.stderr.write(
        f"内容有 {len(report.errors)} 个错误，未生成。请先修正（python build.py check 可查看全部问题）。\n"
    )


def run(root: Path, args) -> int:
    collection, report = load(root)
    if collection is None or report.errors:
        _refuse(report)
        return EXIT_CONTENT
    out = Path(args.out) if getattr(args, "out", None) else default_out(root, args.command)
    if order.method_of(collection) == "stroke":
        try:
            strokes.table()
        except strokes.StrokeDataMissing as error:
            sys.stderr.write(f"content/settings.yml: 错误：book.order 为笔画排序，但{error}\n")
            return EXIT_CONTENT
    if args.command == "lists":
        from . import lists

        return lists.run(collection, args.year, out)
    edition = getattr(args, "edition", "public") or "public"
    if edition == "internal" and inside_site(root, out):
        sys.stderr.write(f"错误：组织方版含联系方式，不能写入网站文件夹：{out}\n")
        return EXIT_USAGE
    view = edition_view(collection, edition)
    years = view.years()
    if args.year is not None:
        if args.year not in years:
            have = "、".join(str(y) for y in years) or "无"
            sys.stderr.write(f"错误：{args.year} 年度没有可收录的案例（现有年度：{have}）\n")
            return EXIT_USAGE
        years = [args.year]
    if not years:
        sys.stderr.write("没有可收录的案例，未生成选编。\n")
        return EXIT_OK
    for year in years:
        started = time.perf_counter()
        try:
            files = build_book(root, collection, year, edition, out)
        except pdf.PdfError as error:
            sys.stderr.write(f"错误：{error}\n")
            return EXIT_CONTENT
        except (OSError, zipfile.BadZipFile, PackageNotFoundError) as error:
            sys.stderr.write(f"错误：{_output_problem(error, root)}\n")
            return EXIT_CONTENT
        made = [files.docx] + ([files.pdf] if files.pdf else [])
        seconds = time.perf_counter() - started
        names = "、".join(_show(p, root) for p in made)
        sys.stdout.write(
            f"已生成 {year} 年度选编（{'组织方版' if edition == 'internal' else '公开版'}，{seconds:.1f} 秒）：{names}\n"
        )
        if files.pdf is None and not pdf.available():
            sys.stdout.write(
                "提示：未安装 LibreOffice，只生成了 DOCX；目录页码为估算值，在 Word 中全选后按 F9 更新域即可。\n"
            )
    return EXIT_OK


def _show(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
