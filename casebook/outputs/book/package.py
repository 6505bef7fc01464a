"""Saving OOXML packages deterministically and atomically.

python-docx stamps every zip entry with the current time and keeps the template's metadata. Here
the package is written entry by entry with a fixed timestamp, in sorted order, with fixed core
and app properties, to a temporary file that then replaces the target.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.spec import default_content_types

from casebook.outputs.book.ooxml import Fragments
from casebook.util import files

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
STORED_SUFFIXES = (".jpeg", ".jpg", ".png", ".gif")
APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>casebook</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    b"<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    b"<HyperlinksChanged>false</HyperlinksChanged><AppVersion>1.0000</AppVersion></Properties>"
)


KEPT_PACKAGE_RELS = (RT.OFFICE_DOCUMENT, RT.CORE_PROPERTIES, RT.EXTENDED_PROPERTIES)
PEOPLE = "http://schemas.microsoft.com/office/2011/relationships/people"
DROPPED_DOCUMENT_RELS = (RT.CUSTOM_XML, STYLES_WITH_EFFECTS, RT.GLOSSARY_DOCUMENT, RT.COMMENTS, PEOPLE)


def strip_template_parts(document: Document) -> None:
    """Drop what a template carries but a book must not: every package-level part besides the
    document and its core/app properties (thumbnail, custom properties, customXml, signatures), and
    customXml, stylesWithEffects, glossary, comments and people parts of the document. The app
    properties (Company, Manager …) are replaced when the package is written (``entries``)."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype not in KEPT_PACKAGE_RELS:
            del package.rels[rel_id]
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype in DROPPED_DOCUMENT_RELS:
            del document.part.rels[rel_id]


def set_core(document: Document, *, title: str, author: str, year: int | None = None) -> None:
    """Fixed document properties: nothing from the build machine or the clock."""
    stamp = dt.datetime(year or 2000, 1, 1, tzinfo=dt.UTC)
    core = document.core_properties
    core.title = title
    core.author = author
    core.last_modified_by = author
    core.created = stamp
    core.modified = stamp
    core.last_printed = stamp
    core.revision = 1
    core.comments = ""
    core.keywords = ""
    core.subject = ""
    core.category = ""
    core.language = "zh-CN"


def entries(document: Document, fragments: Fragments | None = None) -> Iterator[tuple[str, bytes]]:
    package = document.part.package
    parts = list(package.iter_parts())
    yield "[Content_Types].xml", content_types(parts)
    yield "_rels/.rels", package.rels.xml
    for part in parts:
        blob = part.blob
        if fragments is not None and part is document.part:
            blob = fragments.expand(blob)
        if part.partname == "/docProps/app.xml":
            blob = APP_XML  # the template's Company, Manager, template name … never reach a book
        yield part.partname.membername, blob
        if len(part.rels):
            yield part.partname.rels_uri.membername, part.rels.xml


def content_types(parts: list) -> bytes:
    """[Content_Types].xml for ``parts``: defaults for rels/xml and media extensions, overrides for
    the rest (the same mapping python-docx writes)."""
    defaults = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML}
    overrides = {}
    for part in parts:
        ext = part.partname.ext.lower()
        if (ext, part.content_type) in default_content_types:
            defaults[ext] = part.content_type
        else:
            overrides[str(part.partname)] = part.content_type
    items = [f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in sorted(defaults.items())]
    items += [f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in sorted(overrides.items())]
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' + "".join(items) + "</Types>"
    ).encode("utf-8")


def write_zip(items: dict[str, bytes], target: Path) -> None:
    """Sorted entries, fixed timestamps, media stored, XML deflated; atomic replace."""
    temp_name = files.temp_path(target)
    try:
        with zipfile.ZipFile(temp_name, "w") as archive:
            for name in sorted(items):
                info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
                info.external_attr = 0o644 << 16
                stored = name.lower().endswith(STORED_SUFFIXES)
                info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                archive.writestr(info, items[name], compresslevel=None if stored else 6)
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def save(
    document: Document,
    target: Path,
    *,
    title: str,
    author: str,
    year: int | None = None,
    fragments: Fragments | None = None,
) -> None:
    set_core(document, title=title, author=author, year=year)
    write_zip(dict(entries(document, fragments)), target)


def normalise_zip(source: bytes, target: Path, replace: dict[str, bytes] | None = None) -> None:
    """Rewrite a zip made by another library (openpyxl) deterministically."""
    import io

    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        items = {name: archive.read(name) for name in archive.namelist()}
    items.update(replace or {})
    write_zip(items, target)


def write_bytes(data: bytes, target: Path) -> None:
    """Atomic write of a plain file."""
    files.write_bytes(target, data)
