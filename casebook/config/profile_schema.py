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


# The columns an organisers' list (casebook/outputs/book/lists.py) can have: key → (heading, width in cm).
# ``category`` is headed by the profile's ``category_term``.
LIST_COLUMNS: dict[str, tuple[str, float]] = {
    "number": ("序号", 1.3),
    "title": ("案例名称", 5.5),
    "unit": ("申报单位", 4.4),
    "recommender": ("推荐单位", 4.0),
    "category": ("类别", 2.0),
    "year": ("年度", 1.4),
    "authors": ("执笔人", 2.4),
    "award": ("获评情况", 2.0),
    "nature": ("单位性质", 2.2),
    "employees": ("职工人数", 1.6),
    "industry": ("所属行业", 2.4),
    "contact": ("联系人", 1.8),
    "position": ("职务", 2.2),
    "contact_position": ("联系人及职务", 2.8),
    "phones": ("联系电话", 3.0),
    "contact_ways": ("联系方式", 3.2),
    "email": ("电子邮箱", 3.2),
    "address": ("地址", 3.6),
}


@dataclass(frozen=True)
class ListSpec:
    """One organisers' list: its columns (LIST_COLUMNS keys), their headings where the notice's form
    names them otherwise, what a group heading says, and the lines printed under each group."""

    columns: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)
    group: str = ""
    footer: tuple[str, ...] = ()

    def heading(self, column: str, category_term: str = "类别") -> str:
        if column in self.labels:
            return self.labels[column]
        return category_term if column == "category" else LIST_COLUMNS[column][0]


APPLICATIONS = ListSpec(("number", "title", "unit", "contact", "contact_ways"))
RECOMMENDATIONS = ListSpec(
    ("number", "unit", "contact", "phones", "title"),
    {"unit": "党组织/申报单位", "title": "推荐案例名称"},
    "推荐单位",
)


@dataclass(frozen=True)
class Lists:
    applications: ListSpec = APPLICATIONS  # 申报目录
    recommendations: ListSpec = RECOMMENDATIONS  # 推荐汇总表


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    issuer: str = ""
    notice: str | None = None
    categories: tuple[Category, ...] = ()
    category_term: str = "类别"  # what the notice calls its categories (领域 …): site navigation, headings, lists
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
    unit_info_label: str = "单位基本情况"  # what the form calls the unit_info block (001: 班组基本情况)
    lists: Lists = Lists()

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

COLUMN = Choice({key: (key, label) for key, (label, _) in LIST_COLUMNS.items()}, "number", label="栏目")
COLUMN.kind = "栏目名：" + "、".join(f"`{key}`（{label}）" for key, (label, _) in LIST_COLUMNS.items())


def _list(what: str, default: ListSpec) -> Mapping:
    def into(columns: tuple, labels: dict, group: str, footer: tuple) -> ListSpec:
        return ListSpec(tuple(columns), {**default.labels, **labels}, group, tuple(footer))

    shown_columns = "、".join(f"`{c}`" for c in default.columns)
    return Mapping(
        {
            "columns": ListOf(
                COLUMN,
                default=default.columns,
                label="栏目",
                doc=f"{what}依次有哪些栏目（`number` 序号，`category` 的栏名为 `category_term`）。",
                min_items=1,
            ),
            "labels": MappingOf(
                Required(Text(label="栏名")),
                label="栏名",
                doc="通知表格对某一栏另有叫法时写上（栏目 → 栏名），如 `{unit: 党组织}`；未列出的栏目不起作用。",
            ),
            "group": Text(
                default.group,
                label="分组名称",
                doc="按推荐单位分组时，每组标题的叫法（如“填报单位”），也是 CSV 第一栏的栏名。",
                shown=f"“{default.group}”" if default.group else "空",
            ),
            "footer": ListOf(
                NAME,
                label="组末签注",
                doc="每组末尾留给该组单位填写的行（如通知表格的“联系人”“手机”），每项印成“名称：”。",
            ),
        },
        into=into,
        label=what,
        doc=f"组织方名单“{what}”的栏目；默认栏目依次为 {shown_columns}。",
    )


LISTS = Mapping(
    {
        "applications": _list("申报目录", APPLICATIONS),
        "recommendations": _list("推荐汇总表", RECOMMENDATIONS),
    },
    into=Lists,
    label="组织方名单",
    doc="组织方名单（`python build.py lists`）的栏目，按通知附件的表格写；不写时用 000 号通知的申报目录和推荐汇总表。",
)

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
        "category_term": Text(
            "类别",
            label="类别的叫法",
            doc="通知对案例类别的叫法（如“领域”），用在网站的导航、标题、图表和组织方名单中。",
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
        "unit_info_label": Text(
            "单位基本情况",
            label="单位基本情况的叫法",
            doc="通知申报表对 `unit_info`（单位性质、职工人数、所属行业）的叫法，如“班组基本情况”；"
            "网站案例页和组织方版选编用它作标题。",
        ),
        "lists": LISTS,
    },
    into=_profile,
)

# What content/settings.yml may change under ``rules:``; the rest describes the notice itself.
RULE_KEYS = ("categories", "category_term", "themes", "sections", "summary", "body", "authors_max", "photos", "quota")
FIXED_KEYS = tuple(name for name in PROFILE.schema or {} if name not in RULE_KEYS)

RULES = Overrides(
    Mapping({name: (PROFILE.schema or {})[name] for name in RULE_KEYS}),
    fixed=FIXED_KEYS,
    fixed_hint="：这是内置规则的说明项，不能在 rules 中调整",
    label="补充规则",
    doc="对征集规则的调整：映射逐键合并，列表整体替换。",
)
