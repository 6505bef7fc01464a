"""Pieces of the index.md template shared by `new` and `import`: quoting, the limits and photo rule
of the campaign in words, and the one rule for a case folder's name."""

from __future__ import annotations

import json
import re

from casebook.inputs.profiles import Limits, Profile

UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\s]+')


# Characters JSON leaves as they are but YAML refuses (DEL, C1 controls, non-characters) or reads as a
# line break (NEL, LS, PS); a BOM and lone surrogates (which cannot be written as UTF-8) too.
_NOT_FOR_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def quote(value: str) -> str:
    """A YAML-safe scalar (a JSON string is a valid YAML double-quoted scalar, and the few characters
    YAML reads differently are escaped): no value typed by an editor or found in a Word file can
    break the front matter, and each reads back exactly."""
    text = json.dumps(value, ensure_ascii=False)
    return _NOT_FOR_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def limit_text(lim: Limits) -> str:
    parts = [f"不少于 {lim.min} 字" if lim.min else "", f"不超过 {lim.max} 字" if lim.max else ""]
    return "、".join(p for p in parts if p) or "不限"


def photo_rule(profile: Profile) -> str:
    if profile.photos_max is None:
        return f"至少 {profile.photos_min} 张" if profile.photos_min else "张数不限"
    return f"{profile.photos_min}–{profile.photos_max} 张"


def folder_name(unit: str, title: str) -> str:
    """单位-案例名称, without characters a file system or the checker refuses, at most 60 characters;
    "" when nothing usable is left."""
    name = "-".join(part for part in (unit, title) if part)
    return UNSAFE_NAME.sub("", name)[:60].strip(".").lstrip("_")
