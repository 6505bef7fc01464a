"""The index.md front matter written by `new` and `import`, rendered from the field schema.

One walk over FIELDS (casebook/inputs/fields.py), in its declared order, writes every key as
``key: value  # comment``. The comment is the key's label, then what the caller says about this
value (a note such as 文档中没有找到，请填写), the campaign's rule (categories, limits, photo count …)
and the key's tip from TEMPLATE_HINTS — so the two commands cannot word a field differently, and a
field added to the schema shows up in both templates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from casebook.inputs.fields import FIELDS, PHOTO_KEYS, STATUSES, SUB_KEYS, TEMPLATE_HINTS, Hint
from casebook.inputs.profiles import Profile
from casebook.template_text import limit_text, photo_rule, quote

PAD = " " * 12
INTRO = "案例信息。# 后面是填写说明，可以保留也可以删除。冒号一律用半角“: ”，缩进只用空格。"
# What a blank template holds. A key left out (award, slug, order: set by few cases, or by the
# organisers) is written commented out with its example, to show it exists.
BLANK: dict[str, object] = {
    "title": "",
    "unit": "",
    "recommender": "",
    "category": "",
    "themes": [],
    "year": None,
    "authors": [],
    "summary": "",
    "status": "draft",
    "public": True,
    "contact": dict.fromkeys(SUB_KEYS["contact"], ""),
    "unit_info": dict.fromkeys(SUB_KEYS["unit_info"], "") | {"employees": None},
    "photos": [],
}
# keys whose values are words of a fixed vocabulary: written bare, as the comments spell them
BARE: dict[str, tuple[str, ...]] = {"status": STATUSES}
BLOCK_KEYS = frozenset({"summary"})  # long text, easier to edit folded (>-) when that keeps it exact
SAMPLE_PHOTO_KEYS = ("file", "time", "subject", "event")  # the preferred form; caption is the fallback
_FORMATS = {"jpeg": "JPG", "png": "PNG"}
_PLACEHOLDER = re.compile(r"\{(year|unit)\}")


def front_matter(
    profile: Profile,
    values: Mapping[str, object],
    notes: Mapping[str, str] | None = None,
    header: Sequence[str] = (INTRO,),
) -> str:
    """The block from --- to --- (newline-terminated).

    ``values`` mirror the front matter (mappings as dicts, photos as a list of dicts) and override
    BLANK; text is quoted, so any value reads back exactly. ``notes`` are keyed by the checker's
    dotted paths ("title", "contact.phone", "photos.0.time"); ``header`` lines become comments."""
    data = _merged(values)
    writer = _Writer(profile, notes or {}, data)
    lines = [f"# {_comment_safe(line)}" for line in header]
    for key in FIELDS:
        lines += writer.field(key)
    lines.append(f"# {_body_rule(profile)}")
    return "---\n" + "\n".join(lines) + "\n---\n"


def _merged(values: Mapping[str, object]) -> dict[str, object]:
    data = dict(BLANK)
    for key, value in values.items():
        blank = BLANK.get(key)
        data[key] = {**blank, **value} if isinstance(blank, dict) and isinstance(value, dict) else value
    return data


def rules(profile: Profile) -> dict[str, str]:
    """The campaign's rule for each key it constrains, in words."""
    categories = "、".join(profile.category_names)
    themes = "、".join(profile.themes)
    return {
        "category": f"可选：{categories}" if categories else "本次征集未设类别",
        "themes": f"可多选，如 [主题一, 主题二]；可选：{themes}" if themes else "本次征集未设主题，保持 [] 即可",
        "authors": f"最多 {profile.authors_max} 人" if profile.authors_max else "不限人数",
        "summary": limit_text(profile.summary),
        "photos": photo_rule(profile),
        "photos.file": " 或 ".join(_FORMATS.get(f, f.upper()) for f in profile.photo_formats) + " 格式",
    }


def _body_rule(profile: Profile) -> str:
    limit = limit_text(profile.body)
    return f"{profile.body.label}写在下面的 --- 之后，字数{limit}。"


def scalar(value: object) -> str:
    """A value as YAML: text always quoted, None as nothing (an empty key reads as null)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(quote(str(item)) for item in value) + "]"
    return quote(str(value))


def _foldable(value: object) -> bool:
    """One printable line without outer spaces: as a `>-` block it reads back exactly."""
    return isinstance(value, str) and bool(value) and value.isprintable() and value == value.strip()


def _comment_safe(text: str) -> str:
    """A comment ends at a line break (YAML also breaks at NEL, LS, PS): none may reach one."""
    return "".join(c if c.isprintable() else " " for c in text)


def _empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == ()


class _Writer:
    """The lines of each key, with the campaign's rules and the caller's notes at hand."""

    def __init__(self, profile: Profile, notes: Mapping[str, str], data: Mapping[str, object]) -> None:
        self.profile = profile
        self.notes = notes
        self.rules = rules(profile)
        self.data = data
        unit = data.get("unit")
        year = data.get("year")
        self.fills = {"year": str(year or ""), "unit": quote(unit) if unit else "某单位"}

    def example(self, key: str) -> str:
        return _PLACEHOLDER.sub(lambda m: self.fills[m.group(1)], TEMPLATE_HINTS.get(key, Hint()).example)

    def label(self, key: str) -> str:
        if key == "summary":  # each campaign names its summary (案例概要, 简要事迹 …)
            return self.profile.summary.label
        head, _, sub = key.partition(".")
        return SUB_KEYS[head][sub] if sub else FIELDS[key].label

    def comment(self, key: str, value: object, path: str = "", sample: bool = False) -> str:
        """Label（必填）：note；rule；tip；如 example — the example only on an empty key that is written."""
        required = "（必填）" if key in FIELDS and FIELDS[key].required else ""
        parts = [self.notes.get(path or key, ""), self.rules.get(key, ""), TEMPLATE_HINTS.get(key, Hint()).tip]
        if not sample and _empty(value) and self.example(key):
            parts.append(f"如 {self.example(key)}")
        shown = "；".join(p for p in parts if p)
        return _comment_safe(self.label(key) + required + (f"：{shown}" if shown else ""))

    def line(self, key: str, value: str, comment: str, indent: str = "") -> str:
        return f"{indent}{key}:{' ' + value if value else ''}{PAD}# {comment}"

    def field(self, key: str) -> list[str]:
        if key not in self.data:
            return [f"# {key}: {self.example(key)}{PAD}# {self.comment(key, None, sample=True)}"]
        value = self.data[key]
        spec = FIELDS[key]
        if spec.is_list_of_items:
            return self.photos(list(value or []))
        comment = self.comment(key, value)
        if spec.is_mapping:
            return [f"{key}:{PAD}# {comment}"] + self.mapping(key, dict(value or {}))
        if key in BLOCK_KEYS and _foldable(value):
            return [f"{key}: >-{PAD}# {comment}", f"  {value}"]
        bare = value in BARE.get(key, ())
        return [self.line(key, str(value) if bare else scalar(value), comment)]

    def mapping(self, key: str, value: dict) -> list[str]:
        return [
            self.line(sub, scalar(value[sub]), self.comment(f"{key}.{sub}", value[sub]), "  ")
            for sub in SUB_KEYS[key]
            if sub in value
        ]

    def photos(self, entries: list[dict]) -> list[str]:
        comment = self.comment("photos", entries)
        if not entries:
            return [f"photos: []{PAD}# {comment}；每张图片写成：", *self.sample_photo()]
        lines = [f"photos:{PAD}# {comment}"]
        for number, entry in enumerate(entries):
            subs = [sub for sub in PHOTO_KEYS if sub in entry]
            for position, sub in enumerate(subs):
                path = f"photos.{number}.{sub}"
                text = self.comment(f"photos.{sub}", entry[sub], path)
                lines.append(self.line(sub, scalar(entry[sub]), text, "  - " if position == 0 else "    "))
        return lines

    def sample_photo(self) -> list[str]:
        """A photo entry commented out, and where the picture goes in the body."""
        lines = []
        for position, sub in enumerate(SAMPLE_PHOTO_KEYS):
            lead = "#  - " if position == 0 else "#    "
            key = f"photos.{sub}"
            lines.append(f"{lead}{sub}: {self.example(key)}{PAD}# {self.comment(key, None, sample=True)}")
        file = self.example("photos.file")
        return [*lines, f"# 在正文中用 ![]({file}) 放置图片；未放置的图片排在案例末尾。"]
