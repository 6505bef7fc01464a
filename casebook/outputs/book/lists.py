"""The organisers' lists: 申报目录 (notice 000) and 推荐汇总表 (notice 004), as DOCX tables, XLSX
and CSV. They carry contact data: written under build/lists/, never into site/."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.xml.functions import tostring

from casebook.model import Case, Collection
from casebook.outcome import Exit, chosen_years, say, warn
from casebook.outputs.book import ooxml, package, styles
from casebook.outputs.book.docx_writer import book_title
from casebook.outputs.book.layout import TEXT_WIDTH_TWIPS, page_setup
from casebook.outputs.book.order import method_of, parts
from casebook.publish import views
from casebook.publish.sortkey import unit_key

NO_RECOMMENDER = "（未填推荐单位）"


@dataclass(frozen=True)
class Table:
    name: str  # 申报目录 / 推荐汇总表
    headers: tuple[str, ...]
    widths_cm: tuple[float, ...]
    groups: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]  # (group heading or "", rows)


def contact_name(case: Case) -> str:
    return case.contact.name if case.contact else ""


def phones(case: Case) -> str:
    contact = case.contact
    return "；".join(v for v in (contact.mobile, contact.phone) if v) if contact else ""


def contact_ways(case: Case) -> str:
    contact = case.contact
    return "；".join(v for v in (contact.mobile, contact.phone, contact.email) if v) if contact else ""


def applications(collection: Collection, year: int) -> Table:
    """申报目录: every case of the organisers' edition, in the book's order."""
    rows, number = [], 0
    groups = []
    for part in parts(collection, year):
        rows = []
        for case in part.cases:
            number += 1
            rows.append((str(number), case.title, case.unit, contact_name(case), contact_ways(case)))
        groups.append((part.name, tuple(rows)))
    return Table(
        "申报目录", ("序号", "案例名称", "申报单位", "联系人", "联系方式"), (1.3, 5.6, 4.2, 1.8, 3.2), tuple(groups)
    )


def recommendations(collection: Collection, year: int) -> Table:
    """推荐汇总表: grouped by recommender (in the book's name order), and within a group the cases in
    the book's order, so that no list has an order of its own."""
    by_recommender: dict[str, list[Case]] = {}
    for part in parts(collection, year):
        for case in part.cases:
            by_recommender.setdefault(case.recommender.strip(), []).append(case)
    method = method_of(collection)
    named = sorted((r for r in by_recommender if r), key=lambda r: unit_key(r, method))
    order = named + ([""] if "" in by_recommender else [])
    groups = []
    for recommender in order:
        members = by_recommender[recommender]
        rows = tuple(
            (str(i), case.unit, contact_name(case), phones(case), case.title) for i, case in enumerate(members, start=1)
        )
        heading = f"推荐单位：{recommender}" if recommender else (NO_RECOMMENDER if named else "")
        groups.append((heading, rows))
    return Table(
        "推荐汇总表",
        ("序号", "党组织/申报单位", "联系人", "联系电话", "推荐案例名称"),
        (1.3, 4.6, 1.8, 3.0, 5.4),
        tuple(groups),
    )


# --- writers --------------------------------------------------------------------------------


def write_docx(table: Table, title: str, target: Path, root: Path, year: int, author: str) -> None:
    document = styles.load_reference(root)
    body = document.element.body
    for node in list(body):
        body.remove(node)
    final = page_setup()
    body.append(final)
    heading = ooxml.paragraph("Chapter")
    heading.find(ooxml.w("pPr")).append(ooxml.el("pageBreakBefore", {"val": 0}))
    heading.append(ooxml.run(f"{title}{table.name}"))
    final.addprevious(heading)
    total = sum(table.widths_cm)
    widths = [int(TEXT_WIDTH_TWIPS * cm / total) for cm in table.widths_cm]
    widths[-1] += TEXT_WIDTH_TWIPS - sum(widths)
    tbl = ooxml.table(widths)

    def cell(style: str, text: str) -> list:
        p = ooxml.paragraph(style)
        if text:
            p.append(ooxml.run(text))
        return [p]

    ooxml.table_row(tbl, [cell("TocHead", h) for h in table.headers], header=True)
    for group, rows in table.groups:
        if group:
            ooxml.table_row(tbl, [cell("TocPart", group)], span_all=True)
        for row in rows:
            ooxml.table_row(tbl, [cell("TocText", value) for value in row])
    final.addprevious(tbl)
    final.addprevious(ooxml.paragraph("TableText"))
    package.save(document, target, title=f"{title}{table.name}", author=author, year=year)


def write_xlsx(table: Table, title: str, target: Path, year: int, author: str) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = table.name
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    sheet.append([f"{title}{table.name}"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(table.headers))
    sheet.cell(1, 1).font = Font(name="黑体", size=16, bold=True)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.append(list(table.headers))
    for column in range(1, len(table.headers) + 1):
        header = sheet.cell(2, column)
        header.font = Font(name="黑体", bold=True)
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.border = border
    for group, rows in table.groups:
        if group:
            sheet.append([group])
            row_index = sheet.max_row
            sheet.merge_cells(start_row=row_index, start_column=1, end_row=row_index, end_column=len(table.headers))
            sheet.cell(row_index, 1).font = Font(name="黑体", bold=True)
        for row in rows:
            sheet.append([int(row[0]), *row[1:]])
            for column in range(1, len(row) + 1):
                target_cell = sheet.cell(sheet.max_row, column)
                target_cell.alignment = wrap
                target_cell.border = border
    letters = "ABCDEFGH"
    for index, width in enumerate(table.widths_cm):
        sheet.column_dimensions[letters[index]].width = round(width * 4.2, 1)
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    stamp = dt.datetime(year, 1, 1)
    props = book.properties
    props.creator = author
    props.lastModifiedBy = author
    props.title = f"{title}{table.name}"
    props.created = stamp
    props.modified = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    props.modified = stamp  # openpyxl stamps the clock while saving
    core = tostring(props.to_tree())
    core = core if isinstance(core, bytes) else core.encode("utf-8")
    package.normalise_zip(
        buffer.getvalue(), target, {"docProps/core.xml": b"<?xml version='1.0' encoding='UTF-8'?>\n" + core}
    )


def write_csv(table: Table, target: Path) -> None:
    """UTF-8 with BOM (Excel opens it as Chinese); the group as a first column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    grouped = any(group for group, _ in table.groups)
    first = "推荐单位" if table.name == "推荐汇总表" else "类别"
    writer.writerow(([first] if grouped else []) + list(table.headers))
    for group, rows in table.groups:
        label = group.removeprefix("推荐单位：")
        for row in rows:
            writer.writerow(([label] if grouped else []) + list(row))
    package.write_bytes(buffer.getvalue().encode("utf-8-sig"), target)


def write_all(collection: Collection, year: int, out: Path) -> list[Path]:
    view = views.internal(collection)
    title = book_title(view, year)
    author = view.settings.organiser
    written = []
    for table in (applications(view, year), recommendations(view, year)):
        stem = out / f"{title}{table.name}"
        docx_path, xlsx_path, csv_path = (stem.with_name(stem.name + ext) for ext in (".docx", ".xlsx", ".csv"))
        write_docx(table, title, docx_path, view.root, year, author)
        write_xlsx(table, title, xlsx_path, year, author)
        write_csv(table, csv_path)
        written += [docx_path, xlsx_path, csv_path]
    return written


def run(collection: Collection, year: int | None, out: Path | None) -> Exit:
    """The organisers' lists of every (or one) year; never written into a site folder."""
    from casebook.outputs.book.stage import default_out, inside_site

    out = out or default_out(collection.root, "lists")
    years = chosen_years(views.internal(collection).years(), year, "案例")
    if years is None:
        return Exit.USAGE
    if inside_site(collection.root, out):
        warn(f"错误：名单含联系方式，不能写入网站文件夹：{out}")
        return Exit.USAGE
    for each in years:
        try:
            written = write_all(collection, each, out)
        except OSError as error:
            where = f"：{error.filename}" if error.filename else ""
            warn(f"错误：写入名单失败（{error.strerror or error}）{where}。文件是否正在 Word/WPS/Excel 中打开？")
            return Exit.CONTENT
        say(f"已生成 {each} 年度申报目录和推荐汇总表（含联系方式，仅供组织方）：{len(written)} 个文件，在 {out}")
    return Exit.OK
