"""The organisers' lists: 申报目录 (notice 000) and 推荐汇总表 (notice 004), as DOCX tables, XLSX
and CSV. They carry contact data: written under build/lists/, never into site/."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from casebook.config.profile_schema import LIST_COLUMNS, ListSpec
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
    group_label: str = "类别"  # the CSV's first column: what the groups are
    footer: tuple[str, ...] = ()  # lines under each group, left for its unit to fill in (“联系人：”)
    columns: tuple[str, ...] = ()  # the profile's column keys (number: written as a number in XLSX)


def contact_name(case: Case) -> str:
    return case.contact.name if case.contact else ""


def phones(case: Case) -> str:
    contact = case.contact
    return "；".join(v for v in (contact.mobile, contact.phone) if v) if contact else ""


def contact_ways(case: Case) -> str:
    contact = case.contact
    return "；".join(v for v in (contact.mobile, contact.phone, contact.email) if v) if contact else ""


def _contact_position(case: Case) -> str:
    contact = case.contact
    if contact is None:
        return ""
    return f"{contact.name}（{contact.position}）" if contact.name and contact.position else contact.name


def _info(key: str):
    def value(case: Case) -> str:
        found = case.unit_info.get(key)
        return "" if found is None else str(found)

    return value


# what each column of casebook.config.profile_schema.LIST_COLUMNS shows of a case
CELLS = {
    "title": lambda c: c.title,
    "unit": lambda c: c.unit,
    "recommender": lambda c: c.recommender,
    "category": lambda c: c.category,
    "year": lambda c: str(c.year),
    "authors": lambda c: "、".join(c.authors),
    "award": lambda c: c.award,
    "nature": _info("nature"),
    "employees": _info("employees"),
    "industry": _info("industry"),
    "contact": contact_name,
    "position": lambda c: c.contact.position if c.contact else "",
    "contact_position": _contact_position,
    "phones": phones,
    "contact_ways": contact_ways,
    "email": lambda c: c.contact.email if c.contact else "",
    "address": lambda c: c.contact.address if c.contact else "",
}


def _row(spec: ListSpec, number: int, case: Case) -> tuple[str, ...]:
    return tuple(str(number) if column == "number" else CELLS[column](case) for column in spec.columns)


def _layout(spec: ListSpec, term: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
    return tuple(spec.heading(c, term) for c in spec.columns), tuple(LIST_COLUMNS[c][1] for c in spec.columns)


def applications(collection: Collection, year: int) -> Table:
    """申报目录: every case of the organisers' edition, in the book's order, grouped by 篇; the
    columns are the profile's (lists.applications)."""
    profile = collection.profile
    spec, number, groups = profile.lists.applications, 0, []
    for part in parts(collection, year):
        rows = []
        for case in part.cases:
            number += 1
            rows.append(_row(spec, number, case))
        groups.append((part.name, tuple(rows)))
    headers, widths = _layout(spec, profile.category_term)
    return Table("申报目录", headers, widths, tuple(groups), profile.category_term, (), spec.columns)


def recommendations(collection: Collection, year: int) -> Table:
    """推荐汇总表: grouped by recommender (in the book's name order), and within a group the cases in
    the book's order, so that no list has an order of its own. The columns, what a group is called
    (推荐单位, 填报单位) and the lines under each group are the profile's (lists.recommendations)."""
    profile = collection.profile
    spec = profile.lists.recommendations
    label = spec.group or "推荐单位"
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
        rows = tuple(_row(spec, i, case) for i, case in enumerate(members, start=1))
        heading = f"{label}：{recommender}" if recommender else (NO_RECOMMENDER if named else "")
        groups.append((heading, rows))
    headers, widths = _layout(spec, profile.category_term)
    return Table("推荐汇总表", headers, widths, tuple(groups), label, spec.footer, spec.columns)


def _footer_line(table: Table) -> str:
    """The lines a group's unit fills in by hand, as on the notice's form: 联系人：　　　手机："""
    return "".join(f"{name}：" + "\u3000" * 8 for name in table.footer).rstrip("\u3000")


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
        if table.footer and rows:
            ooxml.table_row(tbl, [cell("TocText", _footer_line(table))], span_all=True)
    final.addprevious(tbl)
    final.addprevious(ooxml.paragraph("TableText"))
    package.save(document, target, title=f"{title}{table.name}", author=author, year=year)


def write_xlsx(table: Table, title: str, target: Path, year: int, author: str) -> None:
    from openpyxl import Workbook  # 0.5 s to import: only where a spreadsheet is written
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.xml.functions import tostring

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
    numbered = table.columns.index("number") if "number" in table.columns else -1
    for group, rows in table.groups:
        if group:
            sheet.append([group])
            row_index = sheet.max_row
            sheet.merge_cells(start_row=row_index, start_column=1, end_row=row_index, end_column=len(table.headers))
            sheet.cell(row_index, 1).font = Font(name="黑体", bold=True)
        for row in rows:
            sheet.append([int(value) if index == numbered else value for index, value in enumerate(row)])
            for column in range(1, len(row) + 1):
                target_cell = sheet.cell(sheet.max_row, column)
                target_cell.alignment = wrap
                target_cell.border = border
        if table.footer and rows:
            sheet.append([_footer_line(table)])
            row_index = sheet.max_row
            sheet.merge_cells(start_row=row_index, start_column=1, end_row=row_index, end_column=len(table.headers))
    for index, width in enumerate(table.widths_cm, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = round(width * 4.2, 1)
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
    writer.writerow(([table.group_label] if grouped else []) + list(table.headers))
    for group, rows in table.groups:
        label = group.removeprefix(f"{table.group_label}：")
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
