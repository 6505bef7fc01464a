"""The caption grammar 编号.时间，主体事件: parse, compose, time_is_valid."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from casebook.inputs.captions import Caption, compose, parse, time_is_valid

NOTICE_EXAMPLE = "1.2023年11月，奉贤区举办“八进千讲新思想”主题宣讲进园区活动"


# --- parse: valid captions ------------------------------------------------------------------------


def test_parse_the_notice_example():
    assert parse(NOTICE_EXAMPLE) == Caption(1, "2023年11月", "奉贤区举办“八进千讲新思想”主题宣讲进园区活动")


def test_parse_with_a_day_and_a_two_digit_number():
    assert parse("12.2024年3月5日，公司党委召开座谈会") == Caption(12, "2024年3月5日", "公司党委召开座谈会")


def test_parse_strips_surrounding_white_space():
    assert parse("  2.2024年05月，车间开展宣讲 \n") == Caption(2, "2024年05月", "车间开展宣讲")


def test_parse_keeps_commas_and_punctuation_after_the_first():
    assert (
        parse("3.2024年6月，工会、团委联合举办“青年说”，职工踊跃参加").text
        == "工会、团委联合举办“青年说”，职工踊跃参加"
    )


def test_str_of_a_caption_is_its_canonical_form():
    assert str(parse(NOTICE_EXAMPLE)) == NOTICE_EXAMPLE


def test_leap_day_in_a_leap_year_is_accepted():
    assert isinstance(parse("1.2024年2月29日，职工参加活动"), Caption)


# --- parse: what editors get wrong ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "explanation"),
    [
        ("2023年11月，奉贤区举办活动", "开头缺少编号"),
        ("", "开头缺少编号"),
        ("图1.2023年11月，奉贤区举办活动", "开头缺少编号"),
        ("1、2023年11月，奉贤区举办活动", "半角句点"),
        ("1．2023年11月，奉贤区举办活动", "半角句点"),  # full-width ．
        ("1 2023年11月，奉贤区举办活动", "半角句点"),
        ("1.去年秋天，奉贤区举办活动", "应为时间"),
        ("1.23年11月，奉贤区举办活动", "应为时间"),
        ("1.2023-11，奉贤区举办活动", "应为时间"),
        ("1.2023年11月,奉贤区举办活动", "全角逗号"),  # half-width comma
        ("1.2023年11月 奉贤区举办活动", "全角逗号"),
        ("1.2023年11月、奉贤区举办活动", "全角逗号"),
        ("1.2023年11月，", "缺少主体和事件"),
        ("1.2023年11月，   ", "缺少主体和事件"),
        ("1.2023年13月，奉贤区举办活动", "不是有效的年月日"),
        ("1.2023年0月，奉贤区举办活动", "不是有效的年月日"),
        ("1.2023年2月29日，奉贤区举办活动", "不是有效的年月日"),
        ("1.2023年4月31日，奉贤区举办活动", "不是有效的年月日"),
        ("1.2023年11月0日，奉贤区举办活动", "不是有效的年月日"),
        ("1.1899年11月，奉贤区举办活动", "不是有效的年月日"),
    ],
)
def test_parse_explains_the_first_mistake(text: str, explanation: str):
    result = parse(text)
    assert isinstance(result, str)
    assert explanation in result


# --- time_is_valid ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "time",
    [
        "2023年11月",
        "2023年1月",
        "2023年01月",
        "2023年11月5日",
        "2023年12月31日",
        "2024年2月29日",
        "1900年1月",
        "2100年12月",
    ],
)
def test_valid_times(time: str):
    assert time_is_valid(time)


@pytest.mark.parametrize(
    "time",
    [
        "",
        "2023年",
        "2023年13月",
        "2023年0月",
        "2023年2月29日",
        "2100年2月29日",  # not a leap year
        "2023年6月31日",
        "2023年6月0日",
        "2023年11月5",
        "2023年11月5号",
        "2023.11",
        "2023-11-05",
        "二〇二三年十一月",
        "1899年12月",
        "2101年1月",
        "2023年11月\n",
        " 2023年11月",
        "2023年11月，",
        "12023年1月",
    ],
)
def test_invalid_times(time: str):
    assert not time_is_valid(time)


# --- compose ----------------------------------------------------------------------------------------


def test_compose_joins_subject_and_event():
    assert compose(1, "2023年11月", "奉贤区", "举办“八进千讲新思想”主题宣讲进园区活动") == NOTICE_EXAMPLE


def test_compose_strips_each_part():
    assert compose(2, " 2024年3月 ", " 公司党委\n", " 召开座谈会 ") == "2.2024年3月，公司党委召开座谈会"


# --- properties ----------------------------------------------------------------------------------------


@given(st.text())
@example("1.")
@example("1.2023年")
@example("99999999999999999999.2023年11月，x")
@example("1.٢٠٢٣年١١月，x")  # Arabic-Indic digits match \d
@example("1.2023年11月，\n")
def test_parse_never_raises(text: str):
    result = parse(text)
    assert isinstance(result, (Caption, str))
    if isinstance(result, str):
        assert result  # always says what is wrong
    else:
        assert result.text == result.text.strip() and result.text
        assert time_is_valid(result.time)


@given(st.text())
def test_time_is_valid_never_raises(text: str):
    assert time_is_valid(text) in (True, False)


@given(st.text(), st.text(), st.text(), st.integers(min_value=-5, max_value=10**6))
def test_compose_never_raises(time: str, subject: str, event: str, number: int):
    assert isinstance(compose(number, time, subject, event), str)


def _time(day: datetime.date, with_day: bool, padded: bool) -> str:
    month = f"{day.month:02d}" if padded else str(day.month)
    return f"{day.year}年{month}月" + (f"{day.day}日" if with_day else "")


captions = st.builds(
    lambda number, day, with_day, padded, subject, event: (number, _time(day, with_day, padded), subject, event),
    st.integers(min_value=1, max_value=999),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)),
    st.booleans(),
    st.booleans(),
    st.text(min_size=1).filter(lambda s: s.strip()),
    st.text(),
)


@given(captions)
@example((1, "2023年11月", "奉贤区", "举办“八进千讲新思想”主题宣讲进园区活动"))
@example((2, "2024年3月", "5日，", "公司"))  # subject that looks like the rest of a time
@example((3, "2024年3月5日", "\n主体\n", "\t事件 "))
def test_compose_then_parse_round_trips(parts: tuple[int, str, str, str]):
    number, time, subject, event = parts
    assert time_is_valid(time)
    parsed = parse(compose(number, time, subject, event))
    assert parsed == Caption(number, time, (subject.strip() + event.strip()).strip())
    assert parse(str(parsed)) == parsed
