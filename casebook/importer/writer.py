"""Write a case folder atomically: everything goes into a hidden folder beside the target, which is
then renamed into place; an existing case is replaced only when asked (--force)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from casebook import template_text
from casebook.importer.errors import ImportFailure
from casebook.importer.photos import Image


def folder_name(unit: str, title: str) -> str:
    return template_text.folder_name(unit, title) or "导入的案例"


def write_case(target: Path, index: str, images: list[Image], force: bool, shown: str) -> None:
    """Create target/ with index.md and the images; ImportFailure E708/E713, nothing half-written."""
    if target.exists() and not force:
        raise ImportFailure("E708", folder=shown)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".import-", dir=parent))
    except OSError as error:
        raise ImportFailure("E713", folder=shown, detail=error.strerror or str(error)) from error
    old: Path | None = None
    try:
        (staging / "index.md").write_text(index, encoding="utf-8")
        for image in images:
            (staging / image.name).write_bytes(image.data)
        os.chmod(staging, 0o755)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=".replaced-", dir=parent))
            os.rename(target, old / "case")
        os.rename(staging, target)
    except OSError as error:
        if old is not None and not target.exists():
            os.rename(old / "case", target)  # put the previous case back
        shutil.rmtree(staging, ignore_errors=True)
        raise ImportFailure("E713", folder=shown, detail=error.strerror or str(error)) from error
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
