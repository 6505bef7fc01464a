"""The one sort key of names and titles (casebook.publish.sortkey), and that site, book and lists share it."""

from __future__ import annotations

import dataclasses
import random
import re

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.inputs.loader import load
from casebook.outputs.book import docx_writer, lists, order, styles, synth
from casebook.outputs.site import pages, public_model
from casebook.publish import sortkey, strokes
from casebook.publish.sortkey import initial, sort_key, unit_key

MA = ["马鞍山钢铁", "麻城石材", "妈祖文化园"]  # ma3, ma2, ma1: the reported bug


def in_order(*names: str) -> bool:
    shuffled = list(reversed(names))
    return sorted(shuffled, key=sort_key) == list(names)


# --- the key ------------------------------------------------------------------------------


def test_tone_orders_one_syllable():
    assert in_order("妈祖文化园", "麻城石材", "马鞍山钢铁")
    assert in_order("妈", "麻", "马", "骂", "吗")  # neutral tone last


def test_character_by_character_not_joined_letters():
    assert in_order("西安", "先")  # xi an < xian
    assert in_order("西安交通大学", "先锋机械")


def test_polyphones_in_place_names():
    assert in_order("长沙湘麓", "成都机床", "重庆渝江")  # chang2 < cheng2 < chong2
    assert sort_key("厦门鹭岛")[0][0] == (sortkey.HAN, "xia", 0, 4)
    readings = {
        "蚌埠": [("beng", 4), ("bu", 4)],
        "六安": [("lu", 4), ("an", 1)],
        "乐清": [("yue", 4), ("qing", 1)],
        "单县": [("shan", 4), ("xian", 4)],
        "曾都区": [("zeng", 1), ("dou", 1), ("qu", 1)],
        "中国银行": [("zhong", 1), ("guo", 2), ("yin", 2), ("hang", 2)],
    }
    for name, expected in readings.items():
        assert [(e[1], e[3]) for e in sort_key(name)[0]] == expected, name


def test_u_umlaut_files_right_after_u():
    assert in_order("卢", "路", "驴", "吕", "绿", "乱", "略", "论", "罗")  # lu lü luan lüe lun luo


def test_digits_then_latin_then_chinese_and_full_width_folded():
    assert in_order("（一）", "1号车间", "9号车间", "ABB中国", "abc", "阿里")
    assert sort_key("ＡＢＣ１")[0] == sort_key("ABC1")[0]


def test_initials():
    assert initial("重庆市总工会") == "C" and initial("长沙湘麓") == "C" and initial("厦门鹭岛") == "X"
    assert initial("123") == "#" and initial("123厂") == "#" and initial("") == "#" and initial("（北京）") == "#"
    assert initial("ABC公司") == "A" and initial("ａｂｃ") == "A" and initial("绿城") == "L"


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.text(max_size=8) | st.sampled_from(MA + ["西安", "先", "重庆", "长沙", "Ａ1", "A1", "a1"])))
def test_key_is_total_and_stable(texts):
    expected = sorted(texts, key=sort_key)
    shuffled = texts[:]
    random.Random(len(texts)).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == expected
    for a, b in zip(expected, expected[1:], strict=False):
        assert (sort_key(a) == sort_key(b)) == (a == b)


def test_unit_key_choices():
    assert unit_key("马鞍山", "pinyin") == sort_key("马鞍山")
    with pytest.raises(ValueError):
        unit_key("马鞍山", "radical")


@pytest.mark.skipif(strokes.data_file() is None, reason="Unihan data (Debian package unicode-data) not installed")
def test_stroke_order_through_the_same_place():
    names = ["重庆渝江齿轮", "王府井百货", "丁家机械", "一汽铸造"]
    assert sorted(names, key=lambda n: unit_key(n, "stroke")) == ["一汽铸造", "丁家机械", "王府井百货", "重庆渝江齿轮"]


def test_ranks_sort_as_strings_like_the_key():
    names = MA + [f"单位{i}" for i in range(12)]
    rank = sortkey.ranks(names)
    assert sorted(names, key=rank.__getitem__) == sorted(names, key=sort_key)


# --- site, book and lists agree -----------------------------------------------------------


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    """Three cases of the same category and year whose units differ only in their tone."""
    root = synth.make(tmp_path_factory.mktemp("sortkey") / "c", cases=3, photos=0, chars=300)
    collection, report = load(root)
    assert not report.errors
    cases = tuple(
        dataclasses.replace(case, unit=unit, category="企业", public=True, recommender=unit + "协会")
        for case, unit in zip(collection.cases, MA, strict=True)
    )
    return dataclasses.replace(collection, cases=cases)


def test_site_and_book_list_units_in_the_same_order(three):
    expected = ["妈祖文化园", "麻城石材", "马鞍山钢铁"]
    (part,) = order.parts(three, 2024)
    assert [c.unit for c in part.cases] == expected
    model = public_model.make(three)
    assert [g.name for g in model.units] == expected
    assert [c.unit for c in model.group_of("category", "企业").cases] == expected
    assert re.findall(r"^## (\S+)", pages.unit_index(model), re.M) == ["M"]
    table = re.findall(r'<td data-key="(\d+)">([^<]+)</td>', pages.all_cases(model))  # the unit column
    assert [unit for _, unit in sorted(table)] == expected  # the browser compares data-key as strings


def test_lists_follow_the_book_table_of_contents(three):
    volume = docx_writer.build(styles.load_reference(three.root), three, 2024, "internal")
    toc = [(str(e.number), e.case.title, e.case.unit) for e in volume.entries]
    rows = [row[:3] for _, group in lists.applications(three, 2024).groups for row in group]
    assert rows == toc and [unit for _, _, unit in toc] == ["妈祖文化园", "麻城石材", "马鞍山钢铁"]
    summary = lists.recommendations(three, 2024)
    assert [heading for heading, _ in summary.groups] == [
        f"推荐单位：{u}协会" for u in ["妈祖文化园", "麻城石材", "马鞍山钢铁"]
    ]
