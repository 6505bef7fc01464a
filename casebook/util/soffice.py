"""Finding LibreOffice (soffice), for the book's PDF and the import of .doc/.wps files alike."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

INSTALL_LOCATIONS = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)


def find() -> str | None:
    """The LibreOffice program: CASEBOOK_SOFFICE when set (an empty value means "not installed"),
    else PATH, else the usual install folders on Windows and macOS."""
    if "CASEBOOK_SOFFICE" in os.environ:
        return os.environ["CASEBOOK_SOFFICE"] or None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((p for p in INSTALL_LOCATIONS if Path(p).is_file()), None)
