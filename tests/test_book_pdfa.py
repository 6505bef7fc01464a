"""`book --pdfa` (issue 9, item 7): PDF/A-2b.

This is NOT a full PDF/A conformance validation: veraPDF is not installed here. What is checked is
what can be read with Python and poppler: the XMP packet declares pdfaid:part 2 and conformance B and
its dates agree with the document information, every font is embedded (pdffonts), the file is still
tagged with /Lang zh-CN, and two builds are byte-identical. The slow tests run the real LibreOffice.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib

import docx
import pytest

from casebook.inputs.loader import load
from casebook.outputs.book import pdf, stage
from casebook.outputs.book.synth import make

YEAR = 2024
HAS_SOFFICE = shutil.which("soffice") is not None and shutil.which("pdffonts") is not None
needs_pdf = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) or poppler-utils not installed")


def xmp_packets(data: bytes) -> list[str]:
    """The text of every /Type /Metadata stream (inflated when it is compressed)."""
    found = []
    for match in re.finditer(rb"<<[^<>]*/Type\s*/Metadata[^<>]*>>\s*stream\r?\n", data):
        body = data[match.end() : data.index(b"endstream", match.end())]
        if b"FlateDecode" in match.group(0):
            body = zlib.decompress(body)
        found.append(body.decode("utf-8"))
    return found


def test_normalise_fixes_the_xmp_dates_to_the_info_date():
    xmp = b"<xmp:CreateDate>2026-12-01T19:46:39Z</xmp:CreateDate><xmp:ModifyDate>2026-12-01T19:46:40Z</xmp:ModifyDate>"
    data = b"%PDF-1.6\n<</CreationDate(D:20261201194639Z')>>\n" + xmp
    fixed = pdf.normalise(data, YEAR)
    assert len(fixed) == len(data)
    assert b"<xmp:CreateDate>2024-01-01T00:00:00Z<" in fixed and b"<xmp:ModifyDate>2024-01-01T00:00:00Z<" in fixed
    assert b"(D:20240101000000Z')" in fixed


def tiny_pdf(profile: bytes, indirect: bool) -> bytes:
    """A PDF with an output intent's profile stream and a classic xref table, as LibreOffice writes."""
    packed = zlib.compress(profile)
    length = b"/Length 3 0 R" if indirect else b"/Length %d" % len(packed)
    objects = [
        b"<</Type/Catalog/OutputIntents[]>>",
        b"<</N 3" + length + b"/Filter/FlateDecode>>\nstream\n" + packed + b"\nendstream",
        b"%d" % len(packed),
        b"<</Type/Info>>",
    ]
    data, offsets = b"%PDF-1.6\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n\n"
    table = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return data + b"trailer\n<</Size 5/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % table


def icc(stamp: tuple[int, ...]) -> bytes:
    header = bytearray(128)
    header[24:36] = struct.pack(">6H", *stamp)
    header[36:40] = b"acsp"
    return bytes(header) + bytes(range(256)) * 3  # a body that compresses to a length of its own


@pytest.mark.parametrize("indirect", [True, False])
def test_the_profile_date_is_fixed_and_the_xref_follows(indirect):
    one = pdf.fix_icc_dates(tiny_pdf(icc((2026, 12, 1, 19, 49, 9)), indirect), YEAR)
    two = pdf.fix_icc_dates(tiny_pdf(icc((2026, 12, 1, 19, 49, 21)), indirect), YEAR)
    assert one == two
    table = int(re.findall(rb"startxref\n(\d+)", one)[-1])
    assert one[table : table + 4] == b"xref"
    offsets = [int(o) for o in re.findall(rb"(\d{10}) 00000 n", one[table:])]
    assert [one[o : o + 7] for o in offsets] == [b"%d 0 obj" % n for n in range(1, 5)]
    start = one.index(b"stream\n") + len(b"stream\n")
    length = (
        int(re.search(rb"\n3 0 obj\n(\d+)", one).group(1))
        if indirect
        else int(re.search(rb"/Length (\d+)", one).group(1))
    )
    profile = zlib.decompress(one[start : start + length])
    assert struct.unpack(">6H", profile[24:36]) == (YEAR, 1, 1, 0, 0, 0)
    assert one[start + length : start + length + 10] == b"\nendstream"


@pytest.fixture(scope="module")
def archival(tmp_path_factory):
    """A small generated volume (photos included) built twice as PDF/A."""
    if not HAS_SOFFICE:
        pytest.skip("LibreOffice (soffice) or poppler-utils not installed")
    root = make(tmp_path_factory.mktemp("pdfa") / "c", cases=3, photos=3, chars=900, photo_size=(900, 600))
    collection, report = load(root)
    assert collection is not None and not report.errors, [d.format() for d in report.errors]
    return [
        stage.build_book(
            root, collection, YEAR, "public", tmp_path_factory.mktemp(f"pdfa-{n}"), make_pdf=True, pdfa=True
        )
        for n in (1, 2)
    ]


@pytest.mark.slow
@needs_pdf
def test_pdfa_declares_part_2_conformance_b_with_the_info_date(archival):
    data = archival[0].pdf.read_bytes()
    (packet,) = xmp_packets(data)
    assert re.search(r"<pdfaid:part>2</pdfaid:part>", packet)
    assert re.search(r"<pdfaid:conformance>B</pdfaid:conformance>", packet)
    assert re.search(rf"<xmp:CreateDate>{YEAR}-01-01T00:00:00", packet)
    assert re.search(rb"/CreationDate\s*\(D:" + str(YEAR).encode() + rb"0101000000", data)
    assert "机械工业基层思想政治工作创新案例选编" in packet  # dc:title, as in /Info /Title


@pytest.mark.slow
@needs_pdf
def test_pdfa_embeds_every_font(archival):
    listing = subprocess.run(["pdffonts", str(archival[0].pdf)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows
    for row in rows:  # name, type …, emb, sub, uni, object id, generation: emb is the fifth field from the end
        assert row.split()[-5] == "yes", row


@pytest.mark.slow
@needs_pdf
def test_pdfa_is_still_tagged_and_zh_cn(archival):
    data = archival[0].pdf.read_bytes()
    info = subprocess.run(["pdfinfo", str(archival[0].pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    assert set(re.findall(rb"/Lang\s*\(([^)]*)\)", data)) == {b"zh-CN"}
    figures = len(list(docx.Document(str(archival[0].docx)).element.body.iter("{*}docPr")))
    assert b"/StructTreeRoot" in data and figures and len(re.findall(rb"/Alt\s*<", data)) == figures


@pytest.mark.slow
@needs_pdf
def test_two_pdfa_builds_are_byte_identical(archival):
    first, second = archival
    assert first.docx.read_bytes() == second.docx.read_bytes()
    assert first.pdf.read_bytes() == second.pdf.read_bytes()
