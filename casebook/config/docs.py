"""The guide's tables of settings, profile keys and case fields, rendered from the declared schemas.

Hand-written prose stays in the guide; only the part between the two markers is generated, so the
documented keys, defaults and accepted words cannot drift from what the checker accepts.
Update the guide with: python -m casebook.config.docs
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from casebook.config.options import FALSE_WORDS, TRUE_WORDS, Bool, words
from casebook.config.profile_schema import PROFILE, RULE_KEYS
from casebook.config.settings_schema import SCHEMA
from casebook.inputs.fields import FIELDS, SUB_KEYS


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")  # \| : a bar inside a Markdown table cell


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]


def settings_section() -> str:
    """Every key of content/settings.yml, with its type, default and meaning; then the yes/no words."""
    rows = [(f"`{key}`", o.label, o.kind, o.shown_default(), o.doc) for key, o in SCHEMA.options()]
    lines = _table(("设置项", "含义", "写法", "不填时", "说明"), rows)
    if any(isinstance(option, Bool) for _, option in SCHEMA.options()):
        lines += [
            "",
            f"写法为“是或否”的设置项，表示“是”可写 {words(TRUE_WORDS)}，表示“否”可写 {words(FALSE_WORDS)}"
            "（英文不分大小写）；写成其他内容时检查报错（E606）。",
        ]
    return "\n".join(lines)


def profile_section() -> str:
    """Every key of a profile file (casebook/inputs/profiles/*.yml), and whether ``rules:`` may change it."""
    rows = [
        (
            f"`{key}`",
            o.label,
            o.kind,
            o.shown_default(),
            "是" if key.split(".")[0] in RULE_KEYS else "否",
            o.doc,
        )
        for key, o in PROFILE.options()
    ]
    return "\n".join(_table(("键", "含义", "写法", "不写时", "可在 rules 中调整", "说明"), rows))


def fields_section() -> str:
    """The case front matter fields (casebook/inputs/fields.py): key, label, required, how to write it."""
    rows = [(f"`{key}`", spec.label, "是" if spec.required else "否", _field_doc(key)) for key, spec in FIELDS.items()]
    return "\n".join(_table(("字段", "含义", "必填", "写法与规则"), rows))


def _field_doc(key: str) -> str:
    """A field's doc, and for a mapping the sub-keys the checker knows (the same table it checks with)."""
    sub = SUB_KEYS.get(key)
    listed = "子项：" + "、".join(f"`{name}` {label}" for name, label in sub.items()) + "。" if sub else ""
    return FIELDS[key].doc + listed


PROJECT = Path(__file__).resolve().parents[2]
# guide file (relative to the project) -> section name -> renderer
SECTIONS: dict[str, dict[str, Callable[[], str]]] = {
    "guide/profiles.md": {"profile": profile_section, "settings": settings_section},
    "guide/fields.md": {"fields": fields_section},
}


def _markers(name: str) -> tuple[str, str]:
    return (
        f"<!-- 以下由 python -m casebook.config.docs 生成（{name}），请勿手改 -->",
        f"<!-- 生成结束（{name}） -->",
    )


def updated(text: str, name: str, render: Callable[[], str]) -> str:
    """``text`` with the section ``name`` re-rendered; ValueError when its markers are missing."""
    start, end = _markers(name)
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise ValueError(f"markers for {name!r} not found")
    return pattern.sub(lambda _m: f"{start}\n{render()}\n{end}", text, count=1)


def main() -> None:
    for rel, sections in SECTIONS.items():
        path = PROJECT / rel
        text = path.read_text(encoding="utf-8")
        for name, render in sections.items():
            text = updated(text, name, render)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
