"""One Word file → a Draft: the values found, the Markdown body and the pictures, nothing written."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlparse

from casebook.importer.blocks import Block, Para, Picture, Table, read
from casebook.importer.caption import ParsedCaption, parse
from casebook.importer.errors import ImportFailure
from casebook.importer.fields import Found, clean_value, labelled_line
from casebook.importer.head import analyse
from casebook.importer.markdown import write
from casebook.importer.photos import Image, kind_of, prepare
from casebook.importer.source import libreoffice_docx, to_docx
from casebook.inputs.wordcount import count
from casebook.util.soffice import find as find_soffice

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass
class PhotoEntry:
    file: str
    caption: ParsedCaption | None  # None when no caption was found under the picture
    number: int


@dataclass
class Draft:
    source: Path
    found: Found
    title: str
    title_from_name: bool
    year: int | None
    year_guessed: bool
    body: str
    photos: list[PhotoEntry] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    notes: list[tuple[str, dict]] = field(default_factory=list)  # warnings: (code, values)

    @property
    def has_body(self) -> bool:
        """Case text beyond a stray line or two (a form-only document has none)."""
        return count(self.body) >= 50


def convert(path: Path, workdir: Path) -> Draft:
    """Read one Word file; ImportFailure for anything that cannot be read."""
    docx_path = to_docx(path, workdir)
    try:
        document, blocks, unsupported = _open(docx_path)
    except ImportFailure as failure:
        if docx_path != path or find_soffice() is None:
            raise
        try:  # LibreOffice opens (and repairs) many files python-docx refuses
            document, blocks, unsupported = _open(libreoffice_docx(path, workdir))
        except ImportFailure:
            raise failure from None
    blocks = [b for b in blocks if not _is_contents(b)]
    if not _has_content(blocks):
        raise ImportFailure("E704", detail="没有文字，也没有图片")
    head = analyse(blocks)
    consumed = head.consumed | _contact_lines(blocks, head.found)
    rest = [b for i, b in enumerate(blocks) if i not in consumed]
    body = write(rest)
    draft_photos: list[PhotoEntry] = []
    images: list[Image] = []
    notes: list[tuple[str, dict]] = [("W716", {"count": unsupported})] if unsupported else []
    names: dict[int, str] = {}
    by_key: dict[str, str] = {}
    for slot, placed in enumerate(body.placed):
        number = len(draft_photos) + 1
        key, data, problem = _picture_data(document, placed.picture, path)
        if key in by_key:  # the same picture shown twice: one file
            names[slot] = by_key[key]
            continue
        if data is None:  # placed and listed all the same: the editor saves the original under this name
            name = f"{number}.jpg"
            notes.append((problem[0], {"number": number, "detail": problem[1], "file": name}))
        else:
            image = prepare(data, number, workdir)
            images.append(image)
            name = image.name
        by_key[key] = names[slot] = name
        caption = parse(placed.caption) if placed.caption else None
        draft_photos.append(PhotoEntry(name, caption, number))
    markdown = body.markdown(lambda slot: names.get(slot))
    title = head.title
    title_from_name = False
    if not title:
        title, title_from_name = _title_from_name(path), True
    year, guessed = _year(head.form_year, head.date_year, draft_photos, markdown)
    return Draft(path, head.found, title, title_from_name, year, guessed, markdown, draft_photos, images, notes)


_LINKED_MAX = 50 * 1024 * 1024


def _picture_data(document, picture: Picture, source: Path) -> tuple[str, bytes | None, tuple[str, str]]:
    """(identity, bytes or None, (code, detail) when None) of a placed picture. A linked picture is
    read only from the submission's own folder, never from elsewhere on this computer."""
    if picture.linked:
        rel = document.part.rels.get(picture.rid)
        target = getattr(rel, "target_ref", "") or ""
        local = _local_file(target, source.parent)
        if local is not None:
            data = local.read_bytes()
            if kind_of(data) != "unknown":
                return str(local), data, ("", "")
        return f"link:{target}", None, ("W714", target or "外部文件")
    part = document.part.related_parts.get(picture.rid)
    if part is None:
        return f"missing:{picture.rid}", None, ("W715", f"文档中找不到图片数据 {picture.rid}")
    return str(part.partname), part.blob, ("", "")


def _local_file(target: str, folder: Path) -> Path | None:
    parsed = urlparse(target)
    if parsed.scheme not in ("", "file") or parsed.netloc not in ("", "localhost"):
        return None
    raw = unquote(parsed.path if parsed.scheme else target)
    candidate = Path(raw) if Path(raw).is_absolute() else folder / raw
    try:
        resolved, base = candidate.resolve(), folder.resolve()
    except OSError:
        return None
    if not resolved.is_relative_to(base) or not resolved.is_file() or resolved.stat().st_size > _LINKED_MAX:
        return None
    return resolved


_CONTACT_KEYS = ("contact.", "authors", "unit", "recommender")


def _contact_lines(blocks: list[Block], found: Found) -> set[int]:
    """Lines such as 联系人：王建国 电话：… at the end of a document: contact data belongs in
    the front matter (never in the public body), so they are taken out of the body."""
    taken = set()
    for index, block in enumerate(blocks):
        if not isinstance(block, Para) or block.pictures or len(block.text) > 150:
            continue
        pairs = labelled_line(block.text)
        if pairs and all(key.startswith(_CONTACT_KEYS) for key, _ in pairs):
            for key, value in pairs:
                found.put(key, clean_value(value))
            taken.add(index)
    return taken


def _open(docx_path: Path):
    """The python-docx document and its blocks; E703 when it cannot be read."""
    import docx

    try:
        document = docx.Document(str(docx_path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFailure("E703", detail=str(error) or type(error).__name__) from error
    except Exception as error:  # lxml syntax errors and python-docx's own exceptions
        raise ImportFailure("E703", detail=f"{type(error).__name__}: {error}") from error
    try:
        blocks, unsupported = read(document)
    except Exception as error:  # malformed XML inside a well-formed zip
        raise ImportFailure("E703", detail=f"{type(error).__name__}: {error}") from error
    return document, blocks, unsupported


def _is_contents(block: Block) -> bool:
    """A table of contents line (style "toc N" / "目录 N") or its 目录 heading: not case text."""
    if not isinstance(block, Para) or block.pictures:
        return False
    style = block.style.lower()
    return style.startswith(("toc", "目录")) or re.sub(r"\s+", "", block.text) == "目录"


def _has_content(blocks: list[Block]) -> bool:
    for block in blocks:
        if isinstance(block, Para) and (block.text or block.pictures):
            return True
        if isinstance(block, Table) and (block.pictures or any(c.text for row in block.rows for c in row)):
            return True
    return False


def _title_from_name(path: Path) -> str:
    stem = re.sub(r"^[\d\s._\-（）()]+", "", path.stem)
    return re.sub(r"(申报材料|申报表|案例|定稿|终稿|修改稿|\(\d+\)|（\d+）)$", "", stem).strip(" -_") or path.stem


def _year(form_year: int | None, date_year: int | None, photos: list[PhotoEntry], body: str) -> tuple[int | None, bool]:
    """The case's year: the form's 20xx年度; else the date under the title; else the latest year in
    the captions; else the latest year in the text. Only the form's year is taken as certain."""
    if form_year:
        return form_year, False
    if date_year:
        return date_year, True
    latest = date.today().year
    caption_years = [int(p.caption.time[:4]) for p in photos if p.caption and p.caption.time]
    if caption_years:
        return max(y for y in caption_years if y <= latest + 1) if any(
            y <= latest + 1 for y in caption_years
        ) else None, True
    body_years = [int(y) for y in _YEAR.findall(body) if 1990 <= int(y) <= latest]
    return (max(body_years), True) if body_years else (None, True)
