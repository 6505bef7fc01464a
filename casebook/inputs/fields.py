"""The front matter contract: every key editors may write, its Chinese label, its type (a declared
option, as settings and profiles have: casebook/config/options.py) and how to write it.

The loader converts each value with its option (a wrong type is E021), the `new`/`import` template
and the table in guide/fields.md are rendered from FIELDS (python -m casebook.config.docs).
"""

from __future__ import annotations

from dataclasses import dataclass

from casebook.config.options import Bool, Int, Items, Mapping, Option, Text, TextList, type_name  # noqa: F401

# One line of text; a YAML date (title: 2024-05-01) is not a text here: it is a value the editor did not mean.
TEXT = Text(dates=False)
INT = Int(None)  # type: ignore[arg-type]  (absent stays absent: the loader decides what that means)
BOOL = Bool(None)  # type: ignore[arg-type]
BOOL.kind = "是或否（true 或 false）"
MAPPING = Mapping()
PHOTOS = Items("图片列表（每项含 file、time、subject、event）")


@dataclass(frozen=True)
class Field:
    label: str
    option: Option  # converts the YAML value, or gives a Problem (reported as E021 with option.kind)
    required: bool = False
    doc: str = ""  # how to write it: the 写法与规则 column of guide/fields.md

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.option, Mapping)

    @property
    def is_list_of_items(self) -> bool:
        return isinstance(self.option, Items)


FIELDS: dict[str, Field] = {
    "title": Field(
        "案例名称",
        TEXT,
        True,
        "文字。整个合集内不得重复。选编中较长的标题自动在词与词之间分行；要指定在哪里分行，在该处写一个竖线"
        "“｜”（全角），如 `让核心价值观｜在厂区落地生根`。竖线只决定选编中标题的分行，"
        "网站、目录、书签、搜索、清单和公众号文章中都不出现。",
    ),
    "wechat_title": Field(
        "公众号标题",
        TEXT,
        doc="微信公众号文章的标题（`python build.py wechat`），不填时用案例名称。公众号标题最多 32 字："
        "案例名称更长时在此写一个短标题。",
    ),
    "unit": Field("申报/实施单位", TEXT, True, "单位全称。每年每个单位的案例数受征集规则限额约束。"),
    "wechat_cover": Field(
        "公众号封面图",
        TEXT,
        doc="微信公众号文章的封面取自哪张图片：写 `photos` 中一张图片的文件名，如 `2.jpg`；不填时用第一张图片。"
        "封面（900×383）和分享小图（200×200）从图片中心裁出。",
    ),
    "recommender": Field("推荐单位", TEXT, doc="如“江淮机械工业联合会”；有推荐限额时按此统计。"),
    "category": Field("类别", TEXT, True, "须为本次征集规则中的类别之一（如 企业、院校），选编按类别分篇。"),
    "themes": Field("主题", TextList(), doc="列表，如 `[理想信念教育, 企业文化与人文关怀]`；须为规则中的主题。"),
    "year": Field("年份", INT, True, "四位整数，如 `2024`；应与所在年份文件夹一致。"),
    "authors": Field(
        "执笔人", TextList(), doc="列表，如 `[张明远, 李晓岚]`；人数上限见征集规则（000 号通知为 3 人）。"
    ),
    "summary": Field("案例概要", TEXT, True, "字数范围见征集规则。多行时写 `summary: >-`，下一行起缩进两格。"),
    "award": Field("获评情况", TEXT, doc="如 品牌、优秀案例、示范点；网站首页“推荐案例”展示有此项的案例。"),
    "status": Field(
        "状态", TEXT, doc="`approved`（已入选，默认）、`draft`（草稿）、`withdrawn`（已撤回）。只有 approved 会发布。"
    ),
    "public": Field(
        "是否公开",
        BOOL,
        doc="默认 `true`；`false` 表示内容不宜公开：不进入网站、公开版选编、搜索和数据导出，只进组织方版。",
    ),
    "slug": Field(
        "网址名",
        TEXT,
        doc="小写英文字母、数字和连字符，如 `banzu-weixuanjiang`；不填时取文件夹名的拼音。改标题不影响网址。",
    ),
    "order": Field("书中排序", INT, doc="正整数，同一篇内数字小的在前；不填按单位名称拼音排序。"),
    "contact": Field(
        "联系人信息",
        MAPPING,
        doc="**仅供组织方**，任何公开输出中都不会出现。手机号请加引号。",
    ),
    "unit_info": Field(
        "单位基本情况",
        MAPPING,
        doc="001 号通知申报表的“班组基本情况”。",
    ),
    "photos": Field(
        "图片",
        PHOTOS,
        doc="列表，每项写 `file` 和 `time`、`subject`、`event` 三项，或写 `file` 和完整的 `caption`。张数和格式见征集规则。",
    ),
}

CONTACT_KEYS = {
    "name": "联系人",
    "position": "职务",
    "phone": "座机",
    "mobile": "手机",
    "email": "电子邮箱",
    "address": "地址",
}
UNIT_INFO_KEYS = {"nature": "单位性质", "employees": "职工人数", "industry": "所属行业"}
PHOTO_KEYS = {"file": "图片文件", "time": "时间", "subject": "主体", "event": "事件", "caption": "图片说明"}
STATUSES = ("approved", "draft", "withdrawn")
# the sub-keys of the mapping fields, listed after their doc in guide/fields.md
SUB_KEYS = {"contact": CONTACT_KEYS, "unit_info": UNIT_INFO_KEYS, "photos": PHOTO_KEYS}


@dataclass(frozen=True)
class Hint:
    """What the index.md template of `new` and `import` says about a key after its label; the
    campaign's own rules (categories, limits …) are added by casebook/config/templates.py."""

    tip: str = ""  # how to fill it in, always shown
    # a sample value as YAML ({year}, {unit} filled in): "如 …" after an empty key, or a commented-out key's value
    example: str = ""


# dotted keys as the checker names them ("contact.phone"); "photos.time" is a key of every photo
TEMPLATE_HINTS: dict[str, Hint] = {
    "wechat_title": Hint("案例名称超过 32 字时，为微信公众号文章另写的短标题", '"机手驿站：把思政工作送到工地"'),
    "wechat_cover": Hint("公众号封面用哪张图片；不填时用第一张", "2.jpg"),
    "unit": Hint("写全称"),
    "recommender": Hint("没有可留空"),
    "year": Hint("四位整数"),
    "authors": Hint(example="[张三, 李四]"),
    "summary": Hint("多行时写成 summary: >- 换行后缩进两格"),
    "award": Hint("如 品牌、优秀案例、示范点；没有就删除此行", "优秀案例"),
    "status": Hint("draft 草稿；审定入选后改为 approved；撤回为 withdrawn。只有 approved 会发布"),
    "public": Hint("内容不宜公开时改为 false，则不进入网站和公开版选编"),
    "slug": Hint("小写英文字母、数字和连字符；不填时取文件夹名的拼音", "example-case"),
    "order": Hint("同一篇内数字小的在前", "1"),
    "contact": Hint("仅供组织方使用，不会公开"),
    "contact.phone": Hint(example='"0551-63512345"'),
    "contact.mobile": Hint("请加引号", '"13905512345"'),
    "unit_info.nature": Hint(example="国有企业"),
    "unit_info.employees": Hint("整数"),
    "photos": Hint("说明自动组成“编号.时间，主体事件”"),
    "photos.file": Hint("放在本文件夹内", "1.jpg"),
    "photos.time": Hint("YYYY年M月 或 YYYY年M月D日", "{year}年3月"),
    "photos.subject": Hint("谁", "{unit}"),
    "photos.event": Hint("做了什么", "开展……活动"),
    "photos.caption": Hint("写成“编号.时间，主体事件”"),
}
