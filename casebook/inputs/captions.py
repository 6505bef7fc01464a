"""The caption grammar 编号.时间，主体事件 (notice 000, 附件2): parse, validate, compose."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

_TIME = re.compile(r"^(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?$")
_CAPTION = re.compile(r"^(\d+)\.(\d{4}年\d{1,2}月(?:\d{1,2}日)?)，(.+)$", re.S)


@dataclass(frozen=True)
class Caption:
    number: int
    time: str
    text: str  # 主体 + 事件, as one phrase

    def __str__(self) -> str:
        return f"{self.number}.{self.time}，{self.text}"


def time_is_valid(time: str) -> bool:
    """``YYYY年M月`` or ``YYYY年M月D日`` naming a real month and day."""
    match = _TIME.fullmatch(time)
    if not match:
        return False
    year, month = int(match.group(1)), int(match.group(2))
    if not (1900 <= year <= 2100 and 1 <= month <= 12):
        return False
    day = match.group(3)
    return day is None or 1 <= int(day) <= calendar.monthrange(year, month)[1]


def parse(text: str) -> Caption | str:
    """A Caption, or a Chinese explanation of the first thing that is wrong. Never raises."""
    text = text.strip()
    match = _CAPTION.match(text)
    if match:
        if not time_is_valid(match.group(2)):
            return f"时间“{match.group(2)}”不是有效的年月日"
        return Caption(int(match.group(1)), match.group(2), match.group(3).strip())
    return _explain(text)


def _explain(text: str) -> str:
    number = re.match(r"^(\d+)", text)
    if not number or re.match(r"^\d{4}年", text):  # "2023年11月，…": the year is not a number
        return "开头缺少编号（如“1.”）"
    rest = text[number.end() :]
    if not rest.startswith("."):
        return "编号后应为半角句点“.”"
    rest = rest[1:]
    time = re.match(r"^\d{4}年\d{1,2}月(?:\d{1,2}日)?", rest)
    if not time:
        return "编号后应为时间，如“2023年11月”或“2023年11月5日”"
    rest = rest[time.end() :]
    if not rest.startswith("，"):
        return "时间后应为全角逗号“，”"
    return "逗号后缺少主体和事件"


def compose(number: int, time: str, subject: str, event: str) -> str:
    return f"{number}.{time.strip()}，{subject.strip()}{event.strip()}"
