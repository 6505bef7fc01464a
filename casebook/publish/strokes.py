"""Stroke-count order (笔画排序), the usual alternative to pinyin for name lists.

Counts come from Unicode's Unihan database (kTotalStrokes; the first value is the count for the
simplified form), as shipped by Debian's unicode-data package. Names are compared character by
character by stroke count, ties broken by code point.
"""

from __future__ import annotations

import bz2
import functools
import os
import zipfile
from pathlib import Path

from casebook.util import derived

CANDIDATES = (
    "/usr/share/unicode/Unihan_IRGSources.txt.bz2",
    "/usr/share/unicode/Unihan_IRGSources.txt",
    "/usr/share/unicode/Unihan.zip",
)


class StrokeDataMissing(RuntimeError):
    """No Unihan data on this machine; the message is Chinese."""


def _lines(path: Path):
    if path.suffix == ".bz2":
        with bz2.open(path, "rt", encoding="utf-8") as stream:
            yield from stream
    elif path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if "IRGSources" in name or "DictionaryLikeData" in name:
                    yield from archive.read(name).decode("utf-8").splitlines()
    else:
        with open(path, encoding="utf-8") as stream:
            yield from stream


def data_file() -> Path | None:
    for candidate in (os.environ.get("CASEBOOK_UNIHAN"), *CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


@functools.lru_cache(maxsize=1)
def table() -> dict[str, int]:
    path = data_file()
    if path is None:
        raise StrokeDataMissing("按笔画排序需要 Unicode 汉字数据库 Unihan（Debian 软件包 unicode-data），本机未安装")
    return derived.kept("unihan-strokes", path, lambda: _read(path))


def _read(path: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in _lines(path):
        if "\tkTotalStrokes\t" in line:
            code, _, value = line.rstrip("\n").split("\t")
            counts[chr(int(code[2:], 16))] = int(value.split()[0])
    return counts


def stroke_key(text: str) -> tuple[tuple[int, int], ...]:
    counts = table()
    return tuple((counts.get(ch, 0 if ch.isascii() else 99), ord(ch)) for ch in text)
