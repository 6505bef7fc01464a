"""One LibreOffice for the whole build (pdf.session and uno_worker.py): the same bytes as one soffice
per conversion, a fresh soffice ready before each conversion, the fallback when LibreOffice's Python
bridge is missing, and nothing left behind when the build is killed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casebook.inputs.loader import load
from casebook.outputs.book import pdf, stage

ROOT = Path(__file__).resolve().parents[1]
HAS_SOFFICE = shutil.which("soffice") is not None and shutil.which("pdfinfo") is not None
SOFFICE = shutil.which("soffice") or "soffice"
HAS_UNO = HAS_SOFFICE and pdf.uno_python(SOFFICE) is not None
needs_uno = pytest.mark.skipif(not HAS_UNO, reason="LibreOffice 或 python3-uno 未安装")


def test_the_filter_text_parses_into_typed_options():
    name, options = pdf.parse_filter(pdf.export_filter(pdfa=True))
    assert name == "writer_pdf_Export"
    assert options["IsSkipEmptyPages"] == ["boolean", "false"]
    assert options["SelectPdfVersion"] == ["long", "2"]
    assert options["InitialView"] == ["long", "1"]


def test_a_python_without_uno_means_one_soffice_per_conversion(monkeypatch):
    monkeypatch.setenv("CASEBOOK_UNO_PYTHON", sys.executable)  # the project's Python has no uno
    if subprocess.run([sys.executable, "-c", "import uno"], capture_output=True).returncode == 0:
        pytest.skip("this Python has uno")
    assert pdf.uno_python(SOFFICE) is None
    monkeypatch.setenv("CASEBOOK_UNO_PYTHON", "")
    assert pdf.uno_python(SOFFICE) is None


def test_outside_a_session_no_server_is_started():
    assert pdf._running_server(SOFFICE) is None


@pytest.fixture(scope="module")
def volume_docx(tmp_path_factory):
    collection, report = load(ROOT)
    assert collection is not None and not report.errors
    out = tmp_path_factory.mktemp("speed")
    return stage.build_book(ROOT, collection, 2024, "public", out, make_pdf=False).docx


@pytest.mark.slow
@needs_uno
def test_the_server_gives_the_bytes_of_the_one_off_path_every_time(volume_docx, tmp_path, monkeypatch):
    pdf.CONVERSIONS.clear()
    with pdf.session():
        for index in range(3):
            pdf.convert(volume_docx, tmp_path / f"server-{index}.pdf", 2024)
    monkeypatch.setenv("CASEBOOK_UNO_PYTHON", "")
    with pdf.session():
        pdf.convert(volume_docx, tmp_path / "one-off.pdf", 2024)
    assert [kind for kind, _ in pdf.CONVERSIONS] == ["server"] * 3 + ["soffice"]
    once = (tmp_path / "one-off.pdf").read_bytes()
    # LibreOffice numbers embedded Type 1 fonts per process: a reused soffice would differ here
    assert all((tmp_path / f"server-{index}.pdf").read_bytes() == once for index in range(3))


@pytest.mark.slow
@needs_uno
def test_a_failing_server_falls_back_to_the_one_off_path(volume_docx, tmp_path):
    pdf.CONVERSIONS.clear()
    with pdf.session():
        pdf.prepare()
        server = pdf._SESSION["server"]
        assert isinstance(server, pdf.Server)
        server.process.kill()  # as if LibreOffice's bridge broke
        server.process.wait()
        pdf.convert(volume_docx, tmp_path / "a.pdf", 2024)
        pdf.convert(volume_docx, tmp_path / "b.pdf", 2024)
    assert [kind for kind, _ in pdf.CONVERSIONS] == ["soffice", "soffice"]
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


CHILD = """
import sys, time
from pathlib import Path
from casebook.outputs.book import pdf
with pdf.session():
    pdf.convert(Path(sys.argv[1]), Path(sys.argv[2]), 2024)
    server = pdf._SESSION["server"]
    print(server.process.pid, server.work_dir, flush=True)
    time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat")
    return not (state.is_file() and state.read_text().split()[2] == "Z")


def _office_pids(work_dir: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if str(work_dir) in command and "soffice" in command:
                found.append(int(entry.name))
    return found


@pytest.mark.slow
@needs_uno
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="die-with-parent is Linux's")
def test_a_killed_build_takes_its_libreoffice_and_profile_down(volume_docx, tmp_path):
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(volume_docx), str(tmp_path / "x.pdf")],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        line = child.stdout.readline().split()
        worker, work_dir = int(line[0]), Path(line[1])
        deadline = time.monotonic() + 30
        while not _office_pids(work_dir) and time.monotonic() < deadline:
            time.sleep(0.2)  # the next soffice, started after the conversion
        offices = _office_pids(work_dir)
        assert offices and work_dir.is_dir()
        child.send_signal(signal.SIGKILL)
        child.wait()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (_alive(worker) or any(_alive(p) for p in offices) or work_dir.exists()):
            time.sleep(0.2)
        assert not _alive(worker)
        assert not [p for p in offices if _alive(p)]
        assert not work_dir.exists()
    finally:
        if child.poll() is None:
            child.kill()
