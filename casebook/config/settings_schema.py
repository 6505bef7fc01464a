"""content/settings.yml, declared: every key, its type, default and meaning, and the typed Settings.

Validation, defaults, unknown-key warnings and the settings table in guide/profiles.md all come from
SCHEMA, so a key added here is checked and documented at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casebook.config.options import Bool, Choice, Mapping, Text

DEFAULT_PROFILE = "machinery-2024"
DEFAULT_TITLE = "创新案例选编"


@dataclass(frozen=True)
class SiteSettings:
    icp: str = ""


@dataclass(frozen=True)
class BookSettings:
    summary: bool = True
    date: str = ""  # "" = the volume's year in Chinese numerals
    order: str = "pinyin"  # "pinyin" | "stroke"


@dataclass(frozen=True)
class Settings:
    title: str = DEFAULT_TITLE
    organiser: str = ""
    profile_id: str = DEFAULT_PROFILE
    rules: dict = field(default_factory=dict)  # checked by casebook/inputs/profiles.py
    site: SiteSettings = field(default_factory=SiteSettings)
    book: BookSettings = field(default_factory=BookSettings)

    def __post_init__(self) -> None:
        # Code and tests may pass site/book as plain mappings, as written in settings.yml: they are
        # typed by the same schema (ValueError on a wrong value), so readers always see the dataclass.
        for name in ("site", "book"):
            value = getattr(self, name)
            if isinstance(value, dict):
                object.__setattr__(self, name, SCHEMA.schema[name].typed(value, name))


def _settings(profile: str, **values: object) -> Settings:
    return Settings(profile_id=profile, **values)  # type: ignore[arg-type]


SITE = Mapping(
    {
        "icp": Text(
            label="ICP 备案号",
            doc="如“皖ICP备XXXXXXXX号”，显示在网站页脚；不需要时不填或写 `null`。",
        ),
    },
    into=SiteSettings,
    label="网站设置",
)

BOOK = Mapping(
    {
        "summary": Bool(True, label="印出案例概要", doc="是否在每个案例标题下印出“案例概要和创新点”。"),
        "date": Text(
            label="封面日期",
            doc="封面上的日期行，如“二〇二五年一月”。",
            shown="年度的汉字写法，如“二〇二四年”",
        ),
        "order": Choice(
            {"pinyin": ("pinyin", "拼音"), "stroke": ("笔画", "stroke", "strokes")},
            "pinyin",
            label="篇内排序",
            doc="同一篇内各案例的顺序：`pinyin`（也可写“拼音”）按单位名称拼音，`笔画`（也可写 `stroke`）"
            "按单位名称笔画（需要 Unihan 笔画数据，缺少时生成图书会提示）。案例的 `order` 字段优先于此排序。",
        ),
    },
    into=BookSettings,
    label="选编图书设置",
)

SCHEMA = Mapping(
    {
        "title": Text(DEFAULT_TITLE, label="案例集名称", doc="选编图书的书名为《title（YYYY年度）》。"),
        "organiser": Text(label="编印单位", doc="主办单位，显示在网站页脚和图书封面、版权页上。"),
        "profile": Text(DEFAULT_PROFILE, label="征集规则", doc="所用征集规则的编号，见第二节。"),
        "rules": Mapping(label="补充规则", doc="对征集规则的调整，见第三节。"),
        "site": SITE,
        "book": BOOK,
    },
    into=_settings,
)
