"""ASCII slugs for URLs: the explicit `slug`, else the pinyin of the case folder's name."""

from __future__ import annotations

import functools
import re

from casebook.util import pinyin

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@functools.lru_cache(maxsize=16384)
def from_name(name: str) -> str:
    """华东重型机床-班组微宣讲 → huadongzhongxingjichuang-banzuweixuanjiang (phrases keep polyphones right)."""
    parts = []
    for chunk in re.split(r"[^\w]+|_", name):
        if not chunk:
            continue
        syllables = pinyin.readings(chunk, "normal")
        text = "".join(syllables).lower()
        text = re.sub(r"[^a-z0-9]+", "", text.replace("ü", "v"))
        if text:
            parts.append(text)
    return "-".join(parts)[:80].strip("-") or "case"
