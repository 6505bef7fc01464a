"""content/settings.yml, declared: every key, its type, default and meaning, and the typed Settings.

Validation, defaults, unknown-key warnings and the settings table in guide/profiles.md all come from
SCHEMA, so a key added here is checked and documented at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casebook.config import title_marks
from casebook.config.options import Bool, Choice, Colour, Mapping, Problem, Text

DEFAULT_PROFILE = "machinery-2024"
DEFAULT_TITLE = "创新案例选编"


@dataclass(frozen=True)
class SiteSettings:
    icp: str = ""
    logo: str = ""  # a file of the collection (relative to its folder); "" = the tool's own logo
    colour: str = ""  # #rrggbb with at least 4.5:1 against white; "" = the theme's 中国红


@dataclass(frozen=True)
class BookSettings:
    summary: bool = True
    date: str = ""  # "" = the volume's year in Chinese numerals
    order: str = "pinyin"  # "pinyin" | "stroke"
    front_numbers: str = "roman"  # "roman" | "none": 编委会/前言/目录 numbered i, ii … or not at all
    editor: str = ""  # 主编, on the 版权页
    isbn: str = ""  # with an ISBN the 版权页 carries it and the CIP block; without, the 内部资料 block
    cip: str = ""
    permit: str = ""  # 内部资料准印证号
    printer: str = ""  # 印刷单位
    copies: str = ""  # 印数
    unit_index: bool = True  # 单位索引 at the end of the volume
    case_start: str = "new_page"  # "new_page" | "right_page": each case on a new page or a right-hand one
    running_heads: bool = True  # 书眉: the book's title on even pages, running_heads_odd on odd pages
    running_heads_odd: str = "case"  # "case" | "part": the odd pages' head, the case's title or its 篇
    toc_style: str = "table"  # "table" | "leaders": the 目录 as a table, or 案例名称 …… 页码 lines
    toc_leaders: bool = True  # dot leaders in the 目录 table up to the page column
    pdfa: bool = False  # PDF/A-2b


WECHAT_ACCENT = "#b71c1c"  # the site's red (theme/site)


@dataclass(frozen=True)
class WechatSettings:
    accent: str = WECHAT_ACCENT
    source: str = ""  # "" = 来源：<organiser>


@dataclass(frozen=True)
class Settings:
    title: str = DEFAULT_TITLE
    organiser: str = ""
    profile_id: str = DEFAULT_PROFILE
    rules: dict = field(default_factory=dict)  # checked by casebook/inputs/profiles.py
    site: SiteSettings = field(default_factory=SiteSettings)
    book: BookSettings = field(default_factory=BookSettings)
    wechat: WechatSettings = field(default_factory=WechatSettings)
    title_breaks: tuple[int, ...] = ()  # where the editor forced the cover title's lines (title_marks)

    def __post_init__(self) -> None:
        if title_marks.has_mark(self.title):  # read once: every output shows the title without them
            title, breaks = title_marks.split(self.title)
            object.__setattr__(self, "title", title)
            object.__setattr__(self, "title_breaks", breaks)
        # Code and tests may pass site/book as plain mappings, as written in settings.yml: they are
        # typed by the same schema (ValueError on a wrong value), so readers always see the dataclass.
        for name in ("site", "book"):
            value = getattr(self, name)
            if isinstance(value, dict):
                object.__setattr__(self, name, SCHEMA.schema[name].typed(value, name))
        if isinstance(self.wechat, dict):
            object.__setattr__(self, "wechat", SCHEMA.schema["wechat"].typed(self.wechat, "wechat"))


def _settings(profile: str, **values: object) -> Settings:
    return Settings(profile_id=profile, **values)  # type: ignore[arg-type]


AA_CONTRAST = 4.5  # WCAG 2.1 AA for body text: white text on the colour, the colour's links on white


def contrast_with_white(colour: str) -> float:
    """WCAG 2.1 contrast ratio of ``#rrggbb`` against white (1 to 21)."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def darkened(colour: str, ratio: float = AA_CONTRAST) -> str:
    """The same hue made darker, in steps of 1 %, until it reaches ``ratio`` against white."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(101):
        candidate = "#" + "".join(f"{round(c * (100 - step) / 100):02x}" for c in rgb)
        if contrast_with_white(candidate) >= ratio:
            return candidate
    return "#000000"


class SiteColour(Colour):
    """The site's colour (header, buttons, links): white text on it must stay legible, so a colour
    below 4.5:1 against white is refused, naming the same hue darkened just enough."""

    def __init__(self, default: str, label: str = "", doc: str = "", shown: str = "") -> None:
        super().__init__(default, label, doc)
        self.shown = shown

    def convert(self, value: object, key: str) -> str | Problem:
        result = super().convert(value, key)
        if isinstance(result, Problem) or contrast_with_white(result) >= AA_CONTRAST:
            return result
        ratio = f"{contrast_with_white(result):.1f}".rstrip("0").rstrip(".")
        allowed = "与白色的对比度至少 4.5:1 的颜色（无障碍 AA 级）"
        hint = (
            f'：“{result}”与白色的对比度只有 {ratio}:1，白色文字在上面看不清；可改用同色调加深的 "{darkened(result)}"'
        )
        return Problem(key, "E605", {"key": key, "value": str(value).strip(), "allowed": allowed, "hint": hint})


SITE = Mapping(
    {
        "icp": Text(
            label="ICP 备案号",
            doc="如“皖ICP备XXXXXXXX号”，显示在网站页脚；不需要时不填或写 `null`。",
        ),
        "logo": Text(
            label="网站标志",
            doc="页眉左上角的标志和浏览器标签页图标：合集文件夹中的一个图片文件（SVG、PNG 或 JPG），"
            "写相对路径，如 `content/logo.png`；不填时用本工具自带的标志。",
            shown="本工具自带的标志",
        ),
        "colour": SiteColour(
            "",
            label="网站主色",
            doc='页眉、按钮和链接的颜色，写成带引号的 `"#RRGGBB"`，如 `"#b71c1c"`。白色文字要在这个颜色上看得清，'
            "所以与白色的对比度不足 4.5:1 的浅色会被拒绝（提示里给出同色调加深后可用的颜色）。",
            shown="中国红 `#b71c1c`",
        ),
    },
    into=SiteSettings,
    label="网站设置",
)

BOOK = Mapping(
    {
        "summary": Bool(
            True,
            label="印出案例概要",
            doc="是否在每个案例标题下印出案例概要，标签用征集规则 `summary.label` 的叫法"
            "（如“案例概要和创新点”“简要事迹”）。",
        ),
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
        "front_numbers": Choice(
            {"roman": ("roman", "罗马数字"), "none": ("none", "不编页码", "无")},
            "roman",
            label="前置部分页码",
            doc="编委会、前言和目录的页码：`roman` 用小写罗马数字（i、ii……）单独编排，`none` 不印页码。"
            "正文（各篇和案例）总是从 1 起编。",
        ),
        "editor": Text(label="主编", doc="印在版权页上的主编（或编者）；不填时版权页不印此行。"),
        "isbn": Text(
            label="ISBN",
            doc="正式出版时的书号。填写后版权页印 ISBN 和 `cip`；不填时按内部资料处理，版权页印准印证号和"
            "“内部资料，免费交流”。",
        ),
        "cip": Text(label="CIP 数据", doc="图书在版编目（CIP）数据，原样印在版权页上；只在填写 `isbn` 时使用。"),
        "permit": Text(
            label="准印证号",
            doc="内部资料性出版物准印证号，如“皖内资准字（2024）第001号”。未填 `isbn` 时，版权页印出此号；"
            "`isbn` 和 `permit` 都不填时不生成版权页。",
        ),
        "printer": Text(label="印刷单位", doc="版权页上的印刷单位；不填时不印此行。"),
        "copies": Text(label="印数", doc="版权页上的印数，如“1000册”；不填时不印此行。"),
        "unit_index": Bool(
            True, label="单位索引", doc="是否在书末印出单位索引（各申报单位按篇内排序规则排列，附其案例所在页码）。"
        ),
        "case_start": Choice(
            {"new_page": ("new_page", "另页", "新页"), "right_page": ("right_page", "右页", "单页", "奇数页")},
            "new_page",
            label="案例起页",
            doc="每个案例从哪一页开始：`new_page`（也可写“另页”）从新的一页开始，`right_page`（也可写“右页”）"
            "从右手页（奇数页）开始，必要时留出一个空白的左手页。篇章页总是在右手页。",
        ),
        "running_heads": Bool(
            True,
            label="书眉",
            doc="是否在案例页上印书眉：左手页（偶数页）印书名，右手页（奇数页）印案例标题或篇名（见 "
            "`running_heads_odd`）。篇章页、前置部分、书末部分、案例首页和空白页不印书眉。",
        ),
        "running_heads_odd": Choice(
            {"case": ("case", "案例", "案例标题"), "part": ("part", "篇", "篇名")},
            "case",
            label="单页书眉",
            doc="右手页（奇数页）书眉印什么：`case`（也可写“案例”）印所在案例的标题（过长时只印主标题或其前一部分），"
            "`part`（也可写“篇名”）印所在篇的篇名（如“企业篇”）。",
        ),
        "toc_style": Choice(
            {"table": ("table", "表格"), "leaders": ("leaders", "引线", "点线")},
            "table",
            label="目录样式",
            doc="公开版目录的排法：`table`（也可写“表格”）为序号、案例名称、申报单位、页码四栏的表格；"
            "`leaders`（也可写“引线”）为“案例名称……页码”一行（点线连到右边的页码），申报单位另起一行印在"
            "案例名称下面，篇名和编委会、前言等章名也用点线连到页码。组织方版含联系人和联系方式，总是用表格。",
        ),
        "toc_leaders": Bool(
            True,
            label="目录引线",
            doc="表格目录（`toc_style: table`）中是否用点线（……）把篇名、编委会等章名和申报单位连到页码栏；"
            "单位名称的末行排满时不加。",
        ),
        "pdfa": Bool(False, label="PDF/A", doc="是否把 PDF 生成为 PDF/A-2b 长期保存格式（带标签、字体全部嵌入）。"),
    },
    into=BookSettings,
    label="选编图书设置",
)

WECHAT = Mapping(
    {
        "accent": Colour(
            WECHAT_ACCENT,
            label="强调色",
            doc="微信公众号文章（`python build.py wechat`）中一级标题、概要框边线的颜色，写成带引号的 "
            '`"#RRGGBB"`，如 `"#b71c1c"`（不加引号时 # 后面会被当作注释）。',
        ),
        "source": Text(
            label="来源行",
            doc="微信公众号文章和学习强国文稿末尾的来源行，如“来源：某某研究会”；写 `null` 或不填时为“来源：”加编印单位。",
            shown="“来源：”加编印单位",
        ),
    },
    into=WechatSettings,
    label="微信公众号文章设置",
)

SCHEMA = Mapping(
    {
        "title": Text(
            DEFAULT_TITLE,
            label="案例集名称",
            doc="选编图书的书名为《title（YYYY年度）》。封面上书名较长时自动在词与词之间分行；要指定在哪里"
            "分行，在该处写一个全角竖线“｜”（如 `机械工业基层思想政治工作｜创新案例选编`），竖线只决定封面和扉页的"
            "分行，网站、书签和文件名中不出现。",
        ),
        "organiser": Text(label="编印单位", doc="主办单位，显示在网站页脚和图书封面、版权页上。"),
        "profile": Text(DEFAULT_PROFILE, label="征集规则", doc="所用征集规则的编号，见第二节。"),
        "rules": Mapping(label="补充规则", doc="对征集规则的调整，见第三节。"),
        "site": SITE,
        "book": BOOK,
        "wechat": WECHAT,
    },
    into=_settings,
)
