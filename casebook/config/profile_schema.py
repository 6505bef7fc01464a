"""The campaign profile, declared: every key of casebook/inputs/profiles/*.yml, and the typed Profile.

The built-in profiles and the ``rules:`` adjustments in content/settings.yml are validated by the
same options (PROFILE, and RULES for the keys a collection may change); the table of profile keys
in guide/profiles.md is rendered from PROFILE, so a key added here is checked and documented at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casebook.config.options import (
    Choice,
    Int,
    ListOf,
    Mapping,
    MappingOf,
    OptionalInt,
    Overrides,
    Required,
    Text,
    TextOr,
)


@dataclass(frozen=True)
class Category:
    name: str
    part: str  # the part heading in the printed book, e.g. 企业篇


@dataclass(frozen=True)
class Limits:
    label: str
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    issuer: str = ""
    notice: str | None = None
    categories: tuple[Category, ...] = ()
    themes: tuple[str, ...] = ()
    sections: tuple[tuple[str, ...], ...] = ()  # required first-level sections; alternatives, canonical first
    summary: Limits = Limits("案例概要")
    body: Limits = Limits("正文")
    authors_max: int | None = None
    photos_min: int = 0
    photos_max: int | None = None
    photo_formats: tuple[str, ...] = ("jpeg", "png")
    per_unit: int | None = None
    per_recommender: int | None = None
    recommenders: dict[str, int] = field(default_factory=dict)

    @property
    def category_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.categories)


def part_of(name: str) -> str:
    """The book's part heading of a category written without one."""
    return f"{name}篇"


def _category(name: str, part: str) -> Category:
    return Category(name, part or part_of(name))


def _limits(default_label: str, what: str) -> Mapping:
    return Mapping(
        {
            "label": Text(default_label, label="叫法", doc=f"通知对{what}的叫法，用在检查结果中。"),
            "min": OptionalInt(label="字数下限", doc=f"{what}至少几字。"),
            "max": OptionalInt(label="字数上限", doc=f"{what}至多几字。"),
        },
        into=Limits,
        label=f"{what}字数",
        doc=f"{what}的字数：`label` 是通知对它的叫法，`min`、`max` 为下限、上限，`null` 表示不限。",
    )


def _profile(**values: object) -> Profile:
    photos: dict = values.pop("photos")  # type: ignore[assignment]
    quota: dict = values.pop("quota")  # type: ignore[assignment]
    del values["seed"]  # the notice's reference number: documentation only
    values["name"] = values["name"] or values["id"]
    return Profile(
        **values,  # type: ignore[arg-type]
        photos_min=photos["min"],
        photos_max=photos["max"],
        photo_formats=photos["formats"],
        per_unit=quota["per_unit"],
        per_recommender=quota["per_recommender"],
        recommenders=dict(quota["recommenders"]),  # a fresh mapping: no two profiles share one
    )


NAME = Required(Text(label="名称"))

CATEGORY = TextOr(
    Mapping(
        {
            "name": Required(Text(label="类别名称", doc="案例 front matter 中 `category` 填写的值。")),
            "part": Text(label="篇名", doc="印刷本中的篇名。", shown="类别名称加“篇”"),
        },
        into=_category,
    ),
    lambda name: Category(name, part_of(name)),
)
CATEGORY.kind = "文字，或“键: 值”的映射（name、part）"

SECTION = TextOr(ListOf(NAME, min_items=1, kind="至少一项的名称列表"), lambda name: (name,))
SECTION.kind = "文字，或至少一项的名称列表"

FORMAT = Choice({"jpeg": ("jpeg", "jpg"), "png": ("png",)}, "jpeg", label="图片格式")

PROFILE = Mapping(
    {
        "id": Required(
            Text(label="规则编号", doc="合集在 `settings.yml` 的 `profile` 中写它来选用规则，与文件名相同。")
        ),
        "name": Text(label="规则名称", doc="规则的中文名称。", shown="规则编号"),
        "issuer": Text(label="发文单位", doc="发文（主办）单位。"),
        "notice": Text(None, label="发文字号", doc="通知的发文字号；通知没有字号的为 `null`。", shown="`null`"),  # type: ignore[arg-type]
        "seed": Text(label="通知原文编号", doc="对应的通知原文编号（000–004），只作说明。"),
        "categories": ListOf(
            CATEGORY,
            label="类别",
            doc="每项有 `name`（案例中 `category` 填写的值）和 `part`（印刷本中的篇名，不写时为 name 加“篇”）；"
            "只写一个名称即只有 `name`。印刷本按列表顺序分篇。",
        ),
        "themes": ListOf(
            NAME,
            label="主题",
            doc="案例可在 `themes` 中填写其中一个或几个；通知没有列出主题的为空列表 `[]`。",
        ),
        "sections": ListOf(
            SECTION,
            label="一级标题",
            doc="正文必须依次出现的一级标题；每项是一个名称，或一组可接受的名称（第一个为规范名称，其余为别名）；"
            "为 `[]` 时不检查标题。",
        ),
        "summary": _limits("案例概要", "概要"),
        "body": _limits("正文", "正文"),
        "authors_max": OptionalInt(label="执笔人上限", doc="执笔人最多几人，`null` 表示不限。"),
        "photos": Mapping(
            {
                "min": Int(0, label="图片张数下限", doc="每个案例至少几张图片。", minimum=0),
                "max": OptionalInt(label="图片张数上限", doc="每个案例至多几张图片，`null` 表示不限。"),
                "formats": ListOf(
                    FORMAT,
                    default=("jpeg", "png"),
                    label="图片格式",
                    doc="可接受的格式，只有 `jpeg`（也可写 `jpg`）、`png` 两种。",
                    kind="列表，每项为 jpeg 或 png",
                ),
            },
            into=dict,
            label="图片",
            doc="图片张数 `min`、`max` 和可接受的格式 `formats`。",
        ),
        "quota": Mapping(
            {
                "per_unit": OptionalInt(label="每个申报单位的限额", doc="每个申报单位每年最多几个案例。"),
                "per_recommender": OptionalInt(label="每个推荐单位的限额", doc="每个推荐单位每年最多几个案例。"),
                "recommenders": MappingOf(
                    Required(Int(0, minimum=0)),
                    label="个别推荐单位的限额",
                    doc="个别推荐单位的例外限额（单位名称 → 上限），名称须与案例中填写的推荐单位完全一致。",
                ),
            },
            into=dict,
            label="报送限额",
            doc="同一申报单位、同一推荐单位每年报送的案例数。",
        ),
    },
    into=_profile,
)

# What content/settings.yml may change under ``rules:``; the rest describes the notice itself.
RULE_KEYS = ("categories", "themes", "sections", "summary", "body", "authors_max", "photos", "quota")
FIXED_KEYS = tuple(name for name in PROFILE.schema or {} if name not in RULE_KEYS)

RULES = Overrides(
    Mapping({name: (PROFILE.schema or {})[name] for name in RULE_KEYS}),
    fixed=FIXED_KEYS,
    fixed_hint="：这是内置规则的说明项，不能在 rules 中调整",
    label="补充规则",
    doc="对征集规则的调整：映射逐键合并，列表整体替换。",
)
