"""The book stage: one volume per year of the public or the organisers' edition, made in a staging
folder, verified (public edition) and committed with its manifest entry.

Settings read from content/settings.yml, key ``book``:
  summary: true|false   print each case's 案例概要 under its title (default true)
  date: 二〇二五年一月    the date line of the cover (default: the year in Chinese numerals)
  order: pinyin|笔画      order of units within a part (default pinyin; 笔画 needs Unihan data)
  front_numbers, editor, isbn, cip, permit, printer, copies, unit_index, case_start, running_heads,
  running_heads_odd, toc_style, toc_leaders, pdfa: front and back matter, where cases start, 书眉, the
  目录's style and leaders, the PDF flavour (casebook/config/settings_schema.py documents each);
  `book --pdfa` as pdfa: true
The PDF is measured (proof.py) and the volume laid out again, up to FIT_ROUNDS times, until every
photo that did not fit the rest of a page is scaled down or has let the text flow before it. The
conversions of a build go to one pdf.session() (a LibreOffice ready before each, see uno_worker.py).
Outputs: build/book/《title（YYYY年度）》.docx/.pdf (organisers' edition: …组织方版.docx/.pdf),
build/lists/《title（YYYY年度）》申报目录/推荐汇总表 .docx/.xlsx/.csv. CASEBOOK_PDF=0 skips the PDF.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError

from casebook.diagnostics import Report
from casebook.model import Collection
from casebook.outcome import Exit, chosen_years, os_problem, say, show, warn
from casebook.outputs.book import docx_writer, glyphs, manifest, order, package, pdf, proof, styles
from casebook.publish import assets, strokes, verify, views
from casebook.util import codehash, files
from casebook.util.soffice import find as find_soffice


@dataclass(frozen=True)
class BookFiles:
    docx: Path
    pdf: Path | None
    unchanged: bool = False  # nothing it is made from changed: the files were left as they were


def default_out(root: Path, command: str) -> Path:
    return root / "build" / ("book" if command == "book" else "lists")


def file_stem(collection: Collection, year: int, edition: str) -> str:
    stem = docx_writer.book_title(collection, year)
    return stem + ("组织方版" if edition == "internal" else "")


def inside_site(root: Path, out: Path) -> bool:
    """Contact data must never be written under a site's folder: the default site/, or any folder
    that holds a generated site (built elsewhere with `site --out`), recognised by its sitemap and search."""
    site = (root / "site").resolve()
    target = out.resolve()
    if target == site or site in target.parents:
        return True
    return any((p / "sitemap.xml").is_file() and (p / "search").is_dir() for p in (target, *target.parents))


def build_book(
    root: Path,
    collection: Collection,
    year: int,
    edition: str,
    out: Path,
    *,
    make_pdf: bool | None = None,
    pdfa: bool = False,
) -> BookFiles:
    """One volume: DOCX (always) and PDF (when LibreOffice is there), the 目录 numbers measured.

    Both are made in a staging folder; a public volume is searched for forbidden values before it
    replaces the previous files, and the manifest records what it was made from. When its files are
    recorded as made from the same inputs (fingerprint and build_key) and are as written, nothing is made."""
    if make_pdf is None:
        make_pdf = pdf.available() and os.environ.get("CASEBOOK_PDF", "1") != "0"
    stem = file_stem(collection, year, edition)
    out.mkdir(parents=True, exist_ok=True)
    files.remove_leftovers(out, ".*.new-*")
    pdfa = pdfa or collection.settings.book.pdfa
    stamp = manifest.fingerprint(collection, year, edition)
    build = build_key(collection, year, edition, make_pdf, pdfa)
    names = [f"{stem}.docx"] + ([f"{stem}.pdf"] if make_pdf else [])
    if manifest.unchanged(out, names, year, edition, stamp, build) and (make_pdf or not (out / f"{stem}.pdf").exists()):
        return BookFiles(out / names[0], out / names[1] if make_pdf else None, unchanged=True)
    staging = files.staging_dir(out / stem)
    try:
        with pdf.session():  # one LibreOffice for every conversion of the volume (and of the build)
            made = _make(root, collection, year, edition, staging / f"{stem}.docx", make_pdf, pdfa)
        if edition == views.PUBLIC:
            findings = verify.scan_files([(p, p.name) for p in made], views.forbidden(collection))
            if findings:
                raise verify.Leak("选编", findings)
        stale = [] if make_pdf else [out / f"{stem}.pdf"]
        for path in made:  # a volume made again with the same bytes keeps the file it replaces
            files.replace_if_changed(path, out / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for path in stale:
        if path.is_file():
            path.unlink()
            warn(f"提示：{_show(path, root)} 与本次生成的 DOCX 不一致，已删除（本次未生成 PDF）")
    committed = [out / p.name for p in made]
    manifest.record(out, committed, year, edition, stamp, drop=[p.name for p in stale], build=build)
    return BookFiles(committed[0], committed[1] if len(committed) > 1 else None)


def build_key(collection: Collection, year: int, edition: str, make_pdf: bool, pdfa: bool) -> str:
    """What a volume is made from besides manifest.fingerprint (which the site checks too): this
    code and its libraries, every editorial file, the photos' content, LibreOffice and the fonts it
    sets with, the forbidden values it was searched for. The same key: the volume is not made again."""
    root, view = collection.root, views.view(collection, edition)
    content = root / "content"
    editorial = sorted(
        (p.relative_to(root).as_posix(), manifest.digest(p)) for p in content.rglob("*") if p.is_file()
    ) if content.is_dir() else []  # fmt: skip
    photos = [assets.digest(p.path) if p.path.is_file() else "" for c in view.cases if c.year == year for p in c.photos]
    data = {
        "code": codehash.package_hash(),
        "libraries": codehash.versions("python-docx", "lxml", "Pillow", "simplejpeg", "jieba", "Markdown"),
        "editorial": editorial,
        "photos": photos,
        "pdf": [make_pdf, pdfa, *(_pdf_tools() if make_pdf else [])],
        "forbidden": sorted(views.forbidden(collection).values.items()) if edition == views.PUBLIC else [],
    }
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def _pdf_tools() -> list:
    """LibreOffice (its program's path and stat) and the fonts fontconfig offers it."""
    program = find_soffice()
    found: list = [program, *(_stat(Path(program)) if program else [])]
    if shutil.which("fc-list"):
        listing = subprocess.run(["fc-list", "--format=%{file} %{family}\\n"], capture_output=True, check=False)
        found.append(hashlib.sha256(b"\n".join(sorted(listing.stdout.splitlines()))).hexdigest())
    return found


def _stat(path: Path) -> list[int]:
    try:
        stat = path.resolve().stat()
    except OSError:
        return []
    return [stat.st_size, stat.st_mtime_ns]


FIT_ROUNDS = 3  # measurements (conversions) spent at most on placing the photos that did not fit


def _make(
    root: Path, collection: Collection, year: int, edition: str, docx_path: Path, make_pdf: bool, pdfa: bool
) -> list[Path]:
    view = views.view(collection, edition)
    cache = root / "build" / ".cache" / "book-photos"
    author = collection.settings.organiser

    def save(volume: docx_writer.Volume) -> None:
        package.save(
            volume.document, docx_path, title=volume.title, author=author, year=year, fragments=volume.fragments
        )

    def made(fits: dict[str, docx_writer.Fit], pages: dict[str, int]) -> docx_writer.Volume:
        document = styles.load_reference(root)
        volume = docx_writer.build(document, view, year, edition, cache, fits, for_word=not make_pdf)
        if pages:
            volume.set_pages(pages)
        save(volume)
        return volume

    if make_pdf:
        pdf.prepare()
    volume = made({}, {})
    for problem in volume.problems:
        warn(f"警告：{problem}")
    if not make_pdf:
        return [docx_path]
    _warn_missing_glyphs([c for c in view.cases if c.year == year])
    pdf_path = docx_path.with_suffix(".pdf")

    def convert() -> dict[str, int]:
        pdf.convert(docx_path, pdf_path, year, outline=volume.outline_fixes, pdfa=pdfa)
        return measured_pages(pdf_path, volume)

    pages = convert()
    # Photos that did not fit the rest of a page are scaled or let the text flow before them, and the
    # volume is laid out again (the front matter's page numbers are plain text: LibreOffice prints a
    # PAGEREF to a Roman page in Arabic digits, so a wrong estimate there needs a new conversion too)
    fits: dict[str, docx_writer.Fit] = {}
    for _ in range(FIT_ROUNDS):
        first = pdf.destinations(pdf_path).get(docx_writer.BODY_START) if proof.available() else None
        new_fits = proof.fit_figures(pdf_path, volume, first) if first else fits
        front_wrong = any(e.front and pages.get(e.bookmark, e.estimate) != e.estimate for e in volume.marks)
        if new_fits == fits and not front_wrong:
            break
        fits = new_fits
        volume = made(fits, pages)
        for entry in volume.marks:  # the estimates are now the measured pages
            entry.estimate = pages.get(entry.bookmark, entry.estimate)
        pages = convert()
    if pages and any(pages.get(e.bookmark) != e.estimate for e in volume.marks):
        volume.set_pages(pages)
        save(volume)
    return [docx_path, pdf_path]


def measured_pages(pdf_path: Path, volume: docx_writer.Volume) -> dict[str, int]:
    """The page of every 目录 row as printed: the body's from 1 at its first 篇章页, the front
    matter's (编委会, 前言) from 1 at its first page."""
    body = [e.bookmark for e in volume.marks if not e.front]
    pages = pdf.printed_pages(pdf_path, body, docx_writer.BODY_START)
    front = [e.bookmark for e in volume.marks if e.front]
    if pages and front:
        pages.update(pdf.printed_pages(pdf_path, front, docx_writer.FRONT_START))
    return pages


def _output_problem(error: Exception, root: Path) -> str:
    """A Chinese sentence for a file the build could not read or write."""
    if isinstance(error, OSError):
        return os_problem(error, "选编文件") + "。文件是否正在 Word/WPS 中打开？"
    reference = root / "theme" / "reference.docx"
    return f"样式文档 {reference} 无法读取（不是有效的 DOCX）。可删除后运行 python -m casebook.outputs.book.styles 重新生成。"


def _warn_missing_glyphs(cases: list) -> None:
    report = Report()
    glyphs.report_missing(cases, report)
    show(report.sorted())


def run(collection: Collection, *, year: int | None, edition: str, out: Path | None, pdfa: bool = False) -> Exit:
    """Every requested volume of ``edition``; the collection is loaded and gated by the pipeline."""
    root = collection.root
    out = out or default_out(root, "book")
    if order.method_of(collection) == "stroke":
        try:
            strokes.table()
        except strokes.StrokeDataMissing as error:
            warn(f"content/settings.yml: 错误：book.order 为笔画排序，但{error}")
            return Exit.CONTENT
    if edition == views.INTERNAL and inside_site(root, out):
        warn(f"错误：组织方版含联系方式，不能写入网站文件夹：{out}")
        return Exit.USAGE
    years = chosen_years(views.view(collection, edition).years(), year, "可收录的案例")
    if years is None:
        return Exit.USAGE
    if not years:
        warn("没有可收录的案例，未生成选编。")
        return Exit.OK
    with pdf.session():
        for each in years:
            code = _one(collection, each, edition, out, pdfa)
            if code != Exit.OK:
                return code
    return Exit.OK


def _one(collection: Collection, year: int, edition: str, out: Path, pdfa: bool) -> Exit:
    root = collection.root
    started = time.perf_counter()
    try:
        made = build_book(root, collection, year, edition, out, pdfa=pdfa)
    except (pdf.PdfError, verify.Leak) as error:
        warn(f"错误：{error}")
        return Exit.CONTENT
    except (OSError, zipfile.BadZipFile, PackageNotFoundError) as error:
        warn(f"错误：{_output_problem(error, root)}")
        return Exit.CONTENT
    names = "、".join(_show(p, root) for p in (made.docx, made.pdf) if p)
    kind = "组织方版" if edition == views.INTERNAL else "公开版"
    if made.unchanged:
        say(f"{year} 年度选编（{kind}）无变化，未重新生成：{names}")
        return Exit.OK
    say(f"已生成 {year} 年度选编（{kind}，{time.perf_counter() - started:.1f} 秒）：{names}")
    if made.pdf is None:
        warn(docx_only_warning(_show(made.docx, root)))
    return Exit.OK


def docx_only_warning(docx: str) -> str:
    """Why the 目录's pages may be wrong in a DOCX made without a PDF, and what the editor does."""
    why = "已设 CASEBOOK_PDF=0" if pdf.available() else "本机未安装 LibreOffice"
    return (
        f"警告：{docx} 的目录和单位索引页码是估算值，可能与实际页码不符（{why}，未生成 PDF，无法核对页码）。"
        "文件已设为打开时更新域：用 Word 打开时会询问“是否更新文档中的域”，请选“是”，核对目录页码后保存；"
        "用 WPS 打开时请按 Ctrl+A 全选，再按 F9 更新域后保存。"
    )


def _show(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
