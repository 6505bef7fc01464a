"""Bad input to `python build.py import`: a clear Chinese message with the file and a stable code,
exit 2, and nothing written."""

from __future__ import annotations

import io
import shutil
import zipfile

import docx
import pytest
from test_import_builders import (
    SUMMARY,
    UNIT,
    body_sections,
    centred,
    document_with_emf,
    encrypted_container,
    run_import,
    save,
    title,
    tree,
)

NO_SOFFICE = {"CASEBOOK_SOFFICE": ""}


def complete_docx(path):
    document = docx.Document()
    title(document)
    centred(document, UNIT)
    document.add_paragraph(f"摘要：{SUMMARY}")
    body_sections(document)
    return save(document, path)


def refused(result, code: str, path) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert code in result.stderr
    assert str(path) in result.stderr
    assert result.stdout == ""


def test_plain_text_with_a_word_name(tmp_path, sample_root):
    before = tree(sample_root)
    bad = tmp_path / "申报材料.docx"
    bad.write_text("这是一段纯文本，不是 Word 文件。", encoding="utf-8")
    result = run_import(str(bad), "--root", str(sample_root), "--year", "2024")
    refused(result, "E701", bad)
    assert "不是 Word 文件" in result.stderr
    assert tree(sample_root) == before


@pytest.mark.parametrize(
    "name, data, hint",
    [
        ("材料.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        ("材料.docx", b"\x89PNG\r\n\x1a\n" + bytes(40), "PNG"),
    ],
)
def test_other_file_kinds(tmp_path, sample_root, name, data, hint):
    bad = tmp_path / name
    bad.write_bytes(data)
    result = run_import(str(bad), "--root", str(sample_root), "--year", "2024")
    refused(result, "E701", bad)
    assert hint in result.stderr


def test_excel_workbook(tmp_path, sample_root):
    import openpyxl

    bad = tmp_path / "汇总表.docx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "案例名称"
    workbook.save(bad)
    refused(run_import(str(bad), "--root", str(sample_root), "--year", "2024"), "E701", bad)


def test_encrypted_document(tmp_path, sample_root):
    before = tree(sample_root)
    bad = encrypted_container(tmp_path / "加密.docx")
    result = run_import(str(bad), "--root", str(sample_root), "--year", "2024")
    refused(result, "E702", bad)
    assert "密码" in result.stderr
    assert tree(sample_root) == before


def test_truncated_docx(tmp_path, sample_root):
    good = complete_docx(tmp_path / "good.docx")
    bad = tmp_path / "截断.docx"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    before = tree(sample_root)
    result = run_import(str(bad), "--root", str(sample_root), "--year", "2024")
    refused(result, "E703", bad)
    assert "损坏" in result.stderr
    assert tree(sample_root) == before


@pytest.mark.slow  # measures the worst case: a few seconds
def test_docx_with_a_damaged_part(tmp_path, sample_root):
    good = complete_docx(tmp_path / "good.docx")
    bad = tmp_path / "损坏.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]  # XML cut off in the middle
            target.writestr(info.filename, data)
    refused(run_import(str(bad), "--root", str(sample_root), "--year", "2024"), "E703", bad)


def test_docx_with_a_crc_error(tmp_path, sample_root):
    good = complete_docx(tmp_path / "good.docx")
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 20] ^= 0xFF
    bad = tmp_path / "校验失败.docx"
    bad.write_bytes(bytes(data))
    refused(run_import(str(bad), "--root", str(sample_root), "--year", "2024"), "E703", bad)


def test_empty_document(tmp_path, sample_root):
    document = docx.Document()
    document.add_paragraph("")
    document.add_paragraph("　 ")
    bad = save(document, tmp_path / "空白.docx")
    result = run_import(str(bad), "--root", str(sample_root), "--year", "2024")
    refused(result, "E704", bad)
    assert "没有任何内容" in result.stderr


def test_zero_byte_file(tmp_path, sample_root):
    bad = tmp_path / "空.docx"
    bad.write_bytes(b"")
    refused(run_import(str(bad), "--root", str(sample_root), "--year", "2024"), "E704", bad)


def test_missing_path_and_empty_folder(tmp_path, sample_root):
    missing = tmp_path / "没有这个文件.docx"
    refused(run_import(str(missing), "--root", str(sample_root)), "E709", missing)
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    (empty / "说明.txt").write_text("无", encoding="utf-8")
    refused(run_import(str(empty), "--root", str(sample_root)), "E710", empty)


def test_unknown_category(tmp_path, sample_root):
    source = complete_docx(tmp_path / "a.docx")
    result = run_import(str(source), "--root", str(sample_root), "--category", "机关")
    assert result.returncode == 2
    assert "E712" in result.stderr and "企业、院校" in result.stderr


def test_no_year_anywhere(tmp_path, sample_root):
    document = docx.Document()
    title(document)
    centred(document, UNIT)
    document.add_paragraph("一、基本情况")
    document.add_paragraph("没有任何日期的正文。")
    source = save(document, tmp_path / "无年份.docx")
    before = tree(sample_root)
    result = run_import(str(source), "--root", str(sample_root))
    refused(result, "E711", source)
    assert "--year" in result.stderr
    assert tree(sample_root) == before


def test_doc_without_libreoffice(tmp_path, sample_root):
    """A Word 97-2003 file needs LibreOffice; without it the message says what to do."""
    bad = tmp_path / "旧格式.doc"
    ole = bytearray(encrypted_container(tmp_path / "x.bin").read_bytes())
    ole = ole.replace("EncryptionInfo".encode("utf-16-le"), "WordDocument\0\0".encode("utf-16-le"))
    ole = ole.replace("EncryptedPackage".encode("utf-16-le"), "1Table\0\0\0\0\0\0\0\0\0\0".encode("utf-16-le"))
    bad.write_bytes(bytes(ole))
    result = run_import(str(bad), "--root", str(sample_root), "--year", "2024", env=NO_SOFFICE)
    refused(result, "E705", bad)
    assert "LibreOffice" in result.stderr and "另存为 .docx" in result.stderr


def test_emf_picture_without_libreoffice(tmp_path, sample_root):
    source = document_with_emf(tmp_path / "矢量图.docx")
    before = tree(sample_root)
    result = run_import(str(source), "--root", str(sample_root), "--year", "2024", env=NO_SOFFICE)
    refused(result, "E707", source)
    assert "EMF" in result.stderr and "JPG 或 PNG" in result.stderr
    assert tree(sample_root) == before


def test_one_bad_file_in_a_folder_does_not_stop_the_others(tmp_path, sample_root):
    folder = tmp_path / "收件"
    complete_docx(folder / "好的.docx")
    (folder / "坏的.docx").write_text("不是 Word", encoding="utf-8")
    result = run_import(str(folder), "--root", str(sample_root), "--category", "企业")
    assert result.returncode == 2
    assert "E701" in result.stderr and "坏的.docx" in result.stderr
    assert "已导入" in result.stdout
    assert any(p.name.startswith(UNIT) for p in (sample_root / "cases" / "2024").iterdir())


def test_no_half_written_folder_when_a_picture_fails(tmp_path, sample_root):
    """The case folder appears whole or not at all: a failing picture leaves no staging folder."""
    source = document_with_emf(tmp_path / "矢量图.docx")
    run_import(str(source), "--root", str(sample_root), "--year", "2024", env=NO_SOFFICE)
    leftovers = [p for p in (sample_root / "cases").rglob("*") if p.name.startswith((".import-", ".replaced-"))]
    assert leftovers == []


_has_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice（soffice）未安装")


def requires_soffice(test):
    return pytest.mark.slow(_has_soffice(test))


@requires_soffice
def test_emf_picture_converted_with_libreoffice(tmp_path, sample_root):
    source = document_with_emf(tmp_path / "矢量图.docx")
    result = run_import(str(source), "--root", str(sample_root), "--year", "2024", "--category", "企业")
    assert result.returncode == 0, result.stdout + result.stderr
    folder = next(p for p in (sample_root / "cases" / "2024").iterdir() if p.name.startswith(UNIT))
    assert (folder / "1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (folder / "2.png").is_file()


@requires_soffice
def test_doc_converted_with_libreoffice(tmp_path, sample_root):
    import subprocess

    source = complete_docx(tmp_path / "work" / "案例.docx")
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to", "doc"]
        + ["--outdir", str(tmp_path / "doc"), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    old = tmp_path / "doc" / "案例.doc"
    assert old.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    result = run_import(str(old), "--root", str(sample_root), "--category", "企业")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "检查通过" in result.stdout
