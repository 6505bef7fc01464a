"""The front matter contract: every key editors may write, its Chinese label and its type."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    label: str
    kind: str  # text, int, bool, texts (list of text), mapping, photos
    required: bool = False


FIELDS: dict[str, Field] = {
    "title": Field("案例名称", "text", True),
    "unit": Field("申报/实施单位", "text", True),
    "recommender": Field("推荐单位", "text"),
    "category": Field("类别", "text", True),
    "themes": Field("主题", "texts"),
    "year": Field("年份", "int", True),
    "authors": Field("执笔人", "texts"),
    "summary": Field("案例概要", "text", True),
    "award": Field("获评情况", "text"),
    "status": Field("状态", "text"),
    "public": Field("是否公开", "bool"),
    "slug": Field("网址名", "text"),
    "order": Field("书中排序", "int"),
    "contact": Field("联系人信息", "mapping"),
    "unit_info": Field("单位基本情况", "mapping"),
    "photos": Field("图片", "photos"),
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

KIND_NAMES = {
    "text": "文字",
    "int": "整数",
    "bool": "true 或 false",
    "texts": "文字列表（如 [张三, 李四]）",
    "mapping": "“键: 值”的映射",
    "photos": "图片列表（每项含 file、time、subject、event）",
}


def type_name(value: object) -> str:
    """How a YAML value looks to an editor."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return f"整数 {value}"
    if isinstance(value, float):
        return f"小数 {value}"
    if isinstance(value, str):
        return f"文字“{value[:20]}”"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    if hasattr(value, "isoformat"):
        return f"日期 {value}"
    if isinstance(value, (bytes, bytearray)):
        return "二进制数据"
    if isinstance(value, (set, frozenset)):
        return "集合"
    return "其他类型"
