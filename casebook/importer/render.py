"""index.md of an imported case: the front matter of `new` (casebook/config/templates.py) holding
what the Word file gave, with a note on every key that was not found or only guessed, then the
Markdown body."""

from __future__ import annotations

import re

from casebook.config.templates import INTRO, front_matter
from casebook.importer.convert import Draft, PhotoEntry
from casebook.inputs.captions import compose
from casebook.inputs.fields import CONTACT_KEYS
from casebook.inputs.profiles import Profile

_EMPLOYEES = re.compile(r"(\d+)")
_THEME_SPLIT = re.compile(r"[、，,；;/\s]+")
MISSING = "文档中没有找到，请填写"
HEADER = "案例信息，由 python build.py import 从 Word 文件导入。" + INTRO.removeprefix("案例信息。")


def render(draft: Draft, year: int, category: str, category_note: str, profile: Profile) -> str:
    values = _values(draft, year, category, profile)
    notes = _notes(draft, values, category_note)
    values["photos"], photo_notes = _photos(draft, year)
    header = (HEADER, f"来源：{draft.source.name}")
    return front_matter(profile, values, notes | photo_notes, header) + draft.body


def _themes(draft: Draft) -> list[str]:
    return [t for t in _THEME_SPLIT.split(draft.found.values.get("themes", "")) if t]


def _values(draft: Draft, year: int, category: str, profile: Profile) -> dict[str, object]:
    """What the document gave for each key (themes only those of the campaign)."""
    v = draft.found.values
    employees = _EMPLOYEES.search(v.get("unit_info.employees", "").replace(",", ""))
    return {
        "title": draft.title,
        "unit": v.get("unit", ""),
        "recommender": v.get("recommender", ""),
        "category": category,
        "themes": [t for t in _themes(draft) if t in profile.themes],
        "year": year,
        "authors": list(draft.found.authors),
        "summary": v.get("summary", ""),
        "contact": {key: v.get(f"contact.{key}", "") for key in CONTACT_KEYS},
        "unit_info": {
            "nature": v.get("unit_info.nature", ""),
            "employees": int(employees.group(1)) if employees else None,
            "industry": v.get("unit_info.industry", ""),
        },
    }


def _notes(draft: Draft, values: dict, category_note: str) -> dict[str, str]:
    """A note on every key the document gave nothing for, or only a guess."""
    notes = {f"contact.{key}": "文档中没有找到" for key, value in values["contact"].items() if not value}
    notes |= {key: MISSING for key in ("title", "unit", "summary") if not values[key]}
    if draft.title_from_name:
        notes["title"] = "文档中没有找到标题，暂取自文件名，请核对"
    notes["category"] = category_note.lstrip("：") if values["category"] else "请填写"
    if len(values["themes"]) < len(_themes(draft)):
        notes["themes"] = f"文档中写的是“{draft.found.values['themes']}”，请对照可选主题填写"
    if draft.year_guessed and values["year"] == draft.year:
        notes["year"] = "从文档中的日期推测，请核对"
    if not values["authors"]:
        notes["authors"] = "文档中没有找到，如有请填写"
    if values["unit_info"]["employees"] is None:
        notes["unit_info.employees"] = MISSING
    return {key: note for key, note in notes.items() if note}


def _photos(draft: Draft, year: int) -> tuple[list[dict[str, str]], dict[str, str]]:
    """One entry per picture, its caption split where the document allows; notes where it does not."""
    if not draft.photos:
        return [], {"photos": "文档中没有图片"}
    entries: list[dict[str, str]] = []
    notes = {"photos": "编号按图片在正文中出现的顺序"}
    for index, photo in enumerate(draft.photos):
        entry, note = _photo(photo, year)
        entries.append(entry)
        notes[f"photos.{index}.file"] = f"第 {photo.number} 张图片"
        notes.update({f"photos.{index}.{key}": text for key, text in note.items()})
    return entries, notes


def _photo(photo: PhotoEntry, year: int) -> tuple[dict[str, str], dict[str, str]]:
    caption = photo.caption
    if caption is None:
        entry = {"file": photo.file, "time": "", "subject": "", "event": ""}
        return entry, {"time": "文档中这张图片下没有说明，请填写"}
    if caption.split:
        return {"file": photo.file, "time": caption.time, "subject": caption.subject, "event": caption.event}, {}
    if caption.time:
        text = compose(photo.number, caption.time, "", caption.text.split(caption.time, 1)[1].lstrip("，, "))
        note = "未能拆分主体和事件，请核对，或改写为 time、subject、event 三项"
        return {"file": photo.file, "caption": text}, {"caption": note}
    note = f"原文，缺少时间，请补上，如“{photo.number}.{year}年3月，某单位开展……活动”"
    return {"file": photo.file, "caption": caption.text}, {"caption": note}
