"""Photo captions from a document: recognise a caption paragraph and split it into 时间, 主体, 事件
(notice 000's 编号.时间，主体事件); when the split is unclear the text is kept as one caption."""

from __future__ import annotations

import re
from dataclasses import dataclass

from casebook.importer.text import clean
from casebook.inputs.captions import time_is_valid

_PREFIX = re.compile(r"^(?:图\s*(\d+)\s*[.．:：、\-—]?\s*|图[:：]\s*|(\d+)\s*[.．、]\s*(?=\d{4}年|[^\d]))")
_TIME = re.compile(r"^(\d{4}年\d{1,2}月(?:\d{1,2}日)?)\s*[，,、]?\s*")
# Verbs that usually open the event part; the text before the first of them is the subject.
_VERBS = (
    "举办", "举行", "开展", "组织", "召开", "参加", "参与", "走进", "深入", "进入", "来到", "前往", "赴",
    "在", "为", "向", "与", "同", "和", "带领", "率队", "看望", "慰问", "讲授", "讲述", "讲解", "宣讲",
    "学习", "参观", "签订", "签署", "发布", "启动", "成立", "揭牌", "授牌", "颁发", "表彰", "进行", "开设",
    "邀请", "接待", "调研", "指导", "观看", "聆听", "重温", "集中", "围绕", "结合", "利用", "通过", "推出",
    "上门", "入户", "走访", "培训",
)  # fmt: skip
_VERB = re.compile("|".join(sorted(_VERBS, key=len, reverse=True)))
_NOT_VERB_AFTER = {
    "组织": "部委生者",
    "在": "线职岗",
    "和": "谐",
    "宣讲": "员团队稿",
    "学习": "会小强组",
    "培训": "班中会",
    "调研": "组员",
}
_NOT_VERB_BEFORE = {"为": "作成因认称", "在": "所存现实正", "与": "参给", "同": "共协不相", "学习": "的"}


@dataclass(frozen=True)
class ParsedCaption:
    number: int | None
    time: str
    subject: str
    event: str
    text: str  # the caption as written (number kept), used when time/subject/event are empty

    @property
    def split(self) -> bool:
        return bool(self.time and self.subject and self.event)


def looks_like_caption(text: str, centred: bool) -> bool:
    """A paragraph that reads as a photo caption rather than body text."""
    text = clean(text)
    if not text or len(text) > 120:
        return False
    if text.count("。") > 1 or (text.endswith("。") and len(text) > 60):
        return False  # sentences of the body that happen to start with a date
    if _PREFIX.match(text) and (_TIME.match(_PREFIX.sub("", text, count=1)) or text.startswith("图")):
        return True
    if _TIME.match(text):
        return True
    if text.startswith(("图为", "图：", "图:", "▲", "△")):
        return True
    return centred and len(text) <= 80 and not text.endswith(("。", "：", ":"))


def parse(text: str) -> ParsedCaption:
    text = clean(text).lstrip("▲△ ")
    number = None
    rest = text
    prefix = _PREFIX.match(text)
    if prefix:
        digits = prefix.group(1) or prefix.group(2)
        number = int(digits) if digits else None
        rest = text[prefix.end() :]
    time_match = _TIME.match(rest)
    if not time_match or not time_is_valid(time_match.group(1)):
        return ParsedCaption(number, "", "", "", text)
    time = time_match.group(1)
    phrase = rest[time_match.end() :].strip().rstrip("。")
    subject, event = split_subject(phrase)
    return ParsedCaption(number, time, subject, event, text)


def split_subject(phrase: str) -> tuple[str, str]:
    """主体 and 事件 of "奉贤区举办……活动"; ("", "") when no verb marks the boundary."""
    for match in _VERB.finditer(phrase):
        start = match.start()
        if start < 2 or start > 40:
            continue
        after = phrase[match.end() : match.end() + 1]
        before = phrase[start - 1]
        if after and after in _NOT_VERB_AFTER.get(match.group(0), ""):
            continue
        if before in _NOT_VERB_BEFORE.get(match.group(0), ""):
            continue
        return phrase[:start], phrase[start:]
    return "", ""
