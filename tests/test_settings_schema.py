"""The declared settings schema: options, typed Settings, their readers, and the guides rendered from it.

The reproduced bugs (book.summry ignored, book.order: 笔划 read as pinyin, book.summary: 否 read as
true) are bad/ok check fixtures (tests/fixtures/bad/settings-*, ok/settings-every-key); these tests
cover the pieces one by one.
"""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import FIXTURES, PROJECT

from casebook import codes_doc
from casebook.codes import MESSAGES
from casebook.config import docs
from casebook.config.options import (
    FALSE_WORDS,
    TRUE_WORDS,
    Bool,
    Choice,
    Int,
    ListOf,
    Mapping,
    MappingOf,
    OptionalInt,
    Overrides,
    Problem,
    Required,
    Text,
    TextOr,
)
from casebook.config.profile_schema import PROFILE, RULE_KEYS
from casebook.config.settings_schema import SCHEMA, BookSettings, Settings, SiteSettings
from casebook.diagnostics import Report
from casebook.inputs import profiles
from casebook.inputs.settings import SETTINGS_PATH, load
from casebook.model import Collection
from casebook.outputs.book import docx_writer, order
from casebook.outputs.site import public_model


def check(option, value):
    problems: list[Problem] = []
    return option.validate(value, "k", problems), problems


# --- options ------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", [*TRUE_WORDS, "TRUE", " Yes ", True])
def test_bool_understands_yes(word):
    assert check(Bool(False), word) == (True, [])


@pytest.mark.parametrize("word", [*FALSE_WORDS, "False", "NO", False])
def test_bool_understands_no(word):
    assert check(Bool(True), word) == (False, [])


@pytest.mark.parametrize("word", ["也许", "不", 1, 0, [True]])
def test_bool_refuses_anything_else_and_keeps_the_default(word):
    value, (problem,) = check(Bool(True), word)
    assert value is True and problem.code == "E606" and problem.key == "k"


def test_choice_maps_synonyms_to_the_typed_value():
    option = Choice({"pinyin": ("pinyin", "拼音"), "stroke": ("笔画", "stroke", "strokes")}, "pinyin")
    for word, typed in [("pinyin", "pinyin"), ("拼音", "pinyin"), ("笔画", "stroke"), (" Strokes ", "stroke")]:
        assert check(option, word) == (typed, [])
    value, (problem,) = check(option, "笔划")
    assert value == "pinyin" and problem.code == "E605"
    assert problem.values["allowed"] == "pinyin、笔画" and "是不是“笔画”" in problem.values["hint"]
    assert check(option, ["笔画"])[1][0].code == "E603"
    with pytest.raises(ValueError):
        Choice({"a": ("a",)}, "b")


def test_text_reads_scalars_as_written_and_refuses_collections():
    assert check(Text("默认"), "  标题 ") == ("标题", [])
    assert check(Text("默认"), "") == ("默认", [])
    assert check(Text(), 2024) == ("2024", [])
    assert check(Text(), datetime.date(2025, 1, 15)) == ("2025-01-15", [])
    for value in ([1], {"a": 1}, True):
        assert check(Text("默认"), value)[0] == "默认" and check(Text(), value)[1][0].code == "E603"


def test_int_refuses_bools_text_and_values_below_the_minimum():
    assert check(Int(1, minimum=1), 3) == (3, [])
    for value in (True, "3", 0):
        assert check(Int(1, minimum=1), value)[1][0].code == "E603"


def test_mapping_reports_unknown_keys_with_did_you_mean_and_types_the_rest():
    schema = Mapping({"summary": Bool(True), "order": Text("pinyin")}, into=BookSettings)
    problems: list[Problem] = []
    value = schema.validate({"summry": False, "order": "x"}, "book", problems)
    assert value == BookSettings(summary=True, order="x")
    assert [(p.key, p.code) for p in problems] == [("book.summry", "W604")]
    assert problems[0].values["hint"] == "，是不是“summary”？"
    assert check(schema, "不印")[1][0].code == "E603"
    assert check(Mapping(), {"any": [1]}) == ({"any": [1]}, [])


def test_list_of_types_each_item_and_leaves_out_the_wrong_ones():
    option = ListOf(Int(0, minimum=0), default=(1,))
    assert check(option, [2, 3]) == ((2, 3), [])
    assert check(option, []) == ((1,), []) and check(option, None) == ((1,), [])
    value, problems = check(option, [2, "三", None, -1])
    assert value == (2,) and [(p.key, p.code) for p in problems] == [("k.1", "E603"), ("k.2", "E603"), ("k.3", "E603")]
    assert check(option, "2")[1][0].code == "E603"
    value, (problem,) = check(ListOf(Text(), min_items=1), [])
    assert value == () and problem.values["actual"] == "空列表"


def test_text_or_reads_a_name_as_the_longer_form():
    option = TextOr(ListOf(Required(Text()), min_items=1), lambda name: (name,))
    assert check(option, " 甲 ") == (("甲",), [])
    assert check(option, ["甲", "乙"]) == (("甲", "乙"), [])
    for value in ("", True, None):
        assert check(option, value)[1][0].code == "E603"
    assert check(option, {"a": 1})[1][0].code == "E603"


def test_mapping_of_keeps_the_names_and_types_the_values():
    option = MappingOf(Required(Int(0, minimum=0)))
    assert check(option, {"甲": 1, 2024: 0}) == ({"甲": 1, "2024": 0}, [])
    value, problems = check(option, {"甲": None, "乙": 2})
    assert value == {"乙": 2} and [(p.key, p.code) for p in problems] == [("k.甲", "E603")]
    assert check(option, [1])[1][0].code == "E603"
    assert check(option, None)[0] is not check(option, None)[0]


def test_optional_int_and_required():
    assert check(OptionalInt(), None) == (None, []) and check(OptionalInt(), 0) == (0, [])
    assert "null" in OptionalInt().kind and check(OptionalInt(), -1)[1][0].code == "E603"
    assert check(Required(Text("默认")), "甲") == ("甲", [])
    for value in (None, " "):
        value, (problem,) = check(Required(Text("默认")), value)
        assert value == "默认" and problem.code == "E603"


def test_overrides_check_only_what_is_written():
    schema = Mapping({"limit": Mapping({"min": OptionalInt(), "max": OptionalInt()}), "on": Bool(False)})
    option = Overrides(schema, fixed=("id",), fixed_hint="：不能改")
    assert check(option, {"limit": {"max": 3}}) == ({"limit": {"max": 3}}, [])
    assert check(option, {"limit": None}) == ({"limit": None}, [])
    value, problems = check(option, {"limit": {"max": "三", "mn": 1}, "id": "x", "on": "也许"})
    assert value == {"limit": {}}
    assert [(p.key, p.code) for p in problems] == [
        ("k.limit.max", "E603"),
        ("k.limit.mn", "W604"),
        ("k.id", "W604"),
        ("k.on", "E606"),
    ]
    assert problems[1].values["hint"] == "，是不是“min”？" and problems[2].values["hint"] == "：不能改"
    assert check(option, [1])[1][0].code == "E603"


@pytest.mark.parametrize(("word", "typed"), [("是", True), ("否", False), ("关", False), ("Yes", True)])
def test_yes_no_words_pass_through_the_profile_containers(word, typed):
    # The campaign profile has no yes/no key today; one added inside a list, a name-to-value mapping or
    # the rules overrides is read with the same words as book.summary.
    assert check(ListOf(Bool(False)), [word]) == ((typed,), [])
    assert check(MappingOf(Bool(not typed)), {"甲": word}) == ({"甲": typed}, [])
    assert check(Overrides(Mapping({"on": Bool(not typed)})), {"on": word}) == ({"on": word}, [])
    assert check(Overrides(Mapping({"on": Bool(False)})), {"on": "也许"})[1][0].code == "E606"


def test_every_problem_formats_as_a_message():
    found: list[Problem] = []
    data = {"titel": 1, "title": [1], "site": {"icp": {}}, "book": {"summary": "也许", "order": "笔划"}, "rules": 3}
    SCHEMA.validate(data, "", found)
    assert {p.code for p in found} == {"W604", "E603", "E605", "E606"}
    for problem in found:
        assert MESSAGES[problem.code].format(**problem.values)


# --- typed Settings ---------------------------------------------------------------------------------


def test_defaults_are_typed():
    settings = SCHEMA.default
    assert settings == Settings() and isinstance(settings, Settings)
    assert settings.book == BookSettings(summary=True, date="", order="pinyin")
    assert settings.site == SiteSettings(icp="")


def test_plain_mappings_are_typed_by_the_same_schema():
    settings = dataclasses.replace(Settings(), book={"order": "笔画", "summary": "否"}, site={"icp": "皖ICP备1号"})
    assert settings.book == BookSettings(summary=False, order="stroke")
    assert settings.site.icp == "皖ICP备1号"
    with pytest.raises(ValueError, match="E605"):
        Settings(book={"order": "笔划"})


def _root(tmp_path: Path, extra: str) -> Path:
    settings = tmp_path / "content" / "settings.yml"
    settings.parent.mkdir(parents=True)
    base = (FIXTURES / "base" / "content" / "settings.yml").read_text(encoding="utf-8")
    settings.write_text(base + extra, encoding="utf-8")
    return tmp_path


def test_load_types_the_book_and_site_settings(tmp_path):
    root = _root(
        tmp_path, "site:\n  icp: ' 皖ICP备1号 '\nbook:\n  summary: 否\n  date: 二〇二五年一月\n  order: stroke\n"
    )
    report = Report()
    settings, profile = load(root, report)
    assert report.items == [] and profile.id == "machinery-2024"
    assert settings.book == BookSettings(summary=False, date="二〇二五年一月", order="stroke")
    assert settings.site.icp == "皖ICP备1号"


def test_a_wrong_book_value_is_reported_at_its_line_but_the_cases_are_still_checked(tmp_path):
    report = Report()
    loaded = load(_root(tmp_path, "book:\n  order: 笔划\n"), report)
    assert loaded is not None
    (item,) = report.items
    assert (item.path, item.line, item.code) == (SETTINGS_PATH, 6, "E605")
    assert "可选：pinyin、笔画" in item.message


def test_rules_that_are_not_a_mapping_stop_the_check(tmp_path):
    report = Report()
    assert load(_root(tmp_path, "rules: [themes]\n"), report) is None
    assert [(d.line, d.code) for d in report.items] == [(5, "E603")]


def test_rules_are_checked_at_their_lines(tmp_path):
    extra = (
        "rules:\n"  # line 5
        "  summary: {max: 三百}\n"
        "  authors_max: 否\n"
        "  quota:\n"
        "    per_unit: [5]\n"  # line 9
        "    recommenders:\n"
        "      甲: 三\n"
        "  photos:\n"
        "    formats:\n"
        "      - jpeg\n"
        "      - gif\n"  # line 15
        "  categories: 企业\n"
    )
    report = Report()
    assert load(_root(tmp_path, extra), report) is None  # an error in the rules stops the check
    found = [(d.path, d.line, d.code) for d in report.items]
    assert found == [
        (SETTINGS_PATH, 6, "E603"),
        (SETTINGS_PATH, 7, "E603"),
        (SETTINGS_PATH, 9, "E603"),
        (SETTINGS_PATH, 11, "E603"),
        (SETTINGS_PATH, 15, "E605"),
        (SETTINGS_PATH, 16, "E603"),
    ]
    messages = [d.message for d in report.items]
    assert "“rules.summary.max”的类型不对：应为不小于 0 的整数，或 null（不限），现在是文字“三百”" in messages[0]
    assert "现在是文字“否”" in messages[1]
    assert "“rules.quota.recommenders.甲”" in messages[3]
    assert "“rules.photos.formats.1”的值“gif”无效（可选：jpeg、png）" in messages[4]


def test_a_misspelt_rule_is_warned_with_did_you_mean_and_the_rest_applies(tmp_path):
    report = Report()
    root = _root(tmp_path, "rules:\n  categores: [甲]\n  name: 另一个名称\n  photos: {min: 2, formats: [JPG]}\n")
    settings, profile = load(root, report)
    assert [(d.line, d.code) for d in report.items] == [(6, "W604"), (7, "W604")]
    assert "未知的设置项“rules.categores”，将被忽略，是不是“categories”？" in report.items[0].message
    assert "不能在 rules 中调整" in report.items[1].message
    assert profile.category_names == ("企业", "院校") and profile.name.startswith("基层思想政治工作优秀案例")
    assert (profile.photos_min, profile.photo_formats) == (2, ("jpeg",))


def test_a_misspelt_rule_fails_check_only_under_strict(tmp_path):
    from casebook.cli import run_check

    root = _root(tmp_path, "rules:\n  categores: [甲]\n")
    (root / "cases").mkdir()
    assert run_check(root) == 0
    assert run_check(root, strict=True) != 0


def test_without_a_settings_file_every_default_applies(tmp_path):
    report = Report()
    settings, _ = load(tmp_path, report)
    assert settings == Settings() and report.items == []


def test_the_shipped_settings_file_is_clean():
    report = Report()
    settings, _ = load(PROJECT, report)
    assert report.items == []
    assert settings.book.order == "pinyin" and settings.book.summary is True and settings.site.icp == ""


# --- readers ------------------------------------------------------------------------------------------


def _collection(**settings) -> Collection:
    return Collection(Path("."), Settings(**settings), profiles.load("machinery-2024"), ())


def test_readers_use_the_typed_values():
    collection = _collection(book=BookSettings(summary=False, order="stroke"), site=SiteSettings(icp="皖ICP备1号"))
    assert order.method_of(collection) == "stroke"
    assert docx_writer._Writer.show_summary.fget(SimpleNamespace(collection=collection)) is False
    assert public_model.make(collection).icp == "皖ICP备1号"
    assert order.method_of(_collection()) == "pinyin"


# --- the guides are current --------------------------------------------------------------------------------


def test_checks_guide_is_current():
    assert (PROJECT / "guide" / "checks.md").read_text(encoding="utf-8") == codes_doc.render()


@pytest.mark.parametrize("rel", sorted(docs.SECTIONS))
def test_generated_guide_sections_are_current(rel):
    text = (PROJECT / rel).read_text(encoding="utf-8")
    for name, render in docs.SECTIONS[rel].items():
        assert docs.updated(text, name, render) == text, f"run: python -m casebook.config.docs ({rel})"


def test_the_settings_guide_names_every_key_and_word():
    text = (PROJECT / "guide" / "profiles.md").read_text(encoding="utf-8")
    for key, _ in SCHEMA.options():
        assert f"`{key}`" in text
    for word in (*TRUE_WORDS, *FALSE_WORDS):
        assert word in text


def test_the_profile_guide_names_every_profile_key():
    text = (PROJECT / "guide" / "profiles.md").read_text(encoding="utf-8")
    section = text.split("（profile），请勿手改 -->")[1].split("<!-- 生成结束（profile）")[0]
    for key, _ in PROFILE.options():
        assert f"| `{key}` |" in section
    for key in RULE_KEYS:
        assert f"| `{key}` |" in section and f"`{key}`" in text.split("## 三、")[1]


def test_front_matter_is_declared_with_the_same_option_classes():
    """Case front matter, like settings and profiles, is declared once as options (inputs/fields.py)."""
    from casebook.config.options import Option, Problem
    from casebook.inputs.fields import FIELDS

    assert all(isinstance(spec.option, Option) for spec in FIELDS.values())
    assert FIELDS["themes"].option.convert("理想信念教育、劳模精神 工匠精神", "themes") == [
        "理想信念教育",
        "劳模精神",
        "工匠精神",
    ]
    assert FIELDS["public"].option.convert("否", "public") is False
    assert isinstance(FIELDS["year"].option.convert(True, "year"), Problem)
    assert isinstance(FIELDS["title"].option.convert(datetime.date(2024, 5, 1), "title"), Problem)
    assert isinstance(FIELDS["contact"].option.convert(["张三"], "contact"), Problem)
