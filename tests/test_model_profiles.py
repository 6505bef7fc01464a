"""The model's public/internal views and the five built-in campaign profiles."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import PROJECT

from casebook.config.options import Problem
from casebook.config.profile_schema import APPLICATIONS, PROFILE, RECOMMENDATIONS, RULES, Lists, ListSpec
from casebook.inputs import profiles
from casebook.inputs.loader import load
from casebook.inputs.profiles import Category, Limits, Profile
from casebook.publish import views

EXPECTED_PROFILES = {
    "machinery-2024": ("企业", "院校"),
    "nantong-teams-2021": None,
    "anhui-sites-2022": ("企业", "农村", "学校", "社区"),
    "fujian-party-2021": (
        "农村",
        "城市",
        "国有企业",
        "非公有制经济组织和社会组织",
        "机关",
        "学校",
        "新兴领域和新兴业态",
    ),
    "zhaoqing-education-2023": None,
}


@pytest.fixture(scope="module")
def collection():
    loaded, report = load(PROJECT)
    assert loaded is not None and not report.errors, [d.format() for d in report.errors]
    return loaded


@pytest.mark.parametrize("profile_id", sorted(EXPECTED_PROFILES))
def test_builtin_profile_loads(profile_id):
    profile = profiles.load(profile_id)
    assert profile.id == profile_id
    assert profile.categories, "every profile names its categories (the book's parts)"
    expected = EXPECTED_PROFILES[profile_id]
    if expected:
        assert profile.category_names == expected
    assert set(profile.photo_formats) <= {"jpeg", "png"}


def test_profile_000_rules():
    profile = profiles.load("machinery-2024")
    assert [names[0] for names in profile.sections] == ["基本情况", "主要做法", "工作成效", "工作启示"]
    assert profile.summary.max == 500 and profile.body.max == 5000
    assert profile.authors_max == 3 and profile.per_unit == 5


def test_profile_001_has_nine_themes_and_length_range():
    profile = profiles.load("nantong-teams-2021")
    assert len(profile.themes) == 9
    assert (profile.body.min, profile.body.max) == (800, 1500)
    assert profile.photo_formats == ("jpeg",)


def test_overrides_merge_mappings_and_replace_lists():
    profile = profiles.load("machinery-2024", {"summary": {"max": 300}, "themes": ["甲", "乙"]})
    assert profile.summary.max == 300 and profile.summary.label  # label kept from the base
    assert profile.themes == ("甲", "乙")


def test_unknown_rule_is_refused_in_chinese():
    with pytest.raises(profiles.ProfileError, match="未知的设置项“rules.sumary”.*是不是“summary”"):
        profiles.load("machinery-2024", {"sumary": {"max": 300}})


# --- the declared profile (casebook/config/profile_schema.py) -----------------------------------------

# Every built-in profile as the hand-written checks of casebook/inputs/profiles.py built it before the
# profile was declared (captured from that code, not from the schema): the schema must not change one.
SNAPSHOT = {
    "anhui-sites-2022": Profile(
        id="anhui-sites-2022",
        name="基层思想政治工作示范点（中共安徽省委宣传部，2022年）",
        issuer="中共安徽省委宣传部",
        notice=None,
        categories=(
            Category("企业", "企业篇"),
            Category("农村", "农村篇"),
            Category("学校", "学校篇"),
            Category("社区", "社区篇"),
        ),
        themes=(),
        sections=(),
        summary=Limits("简要事迹", None, None),
        body=Limits("先进事迹材料", None, None),
        authors_max=None,
        photos_min=0,
        photos_max=None,
        photo_formats=(
            "jpeg",
            "png",
        ),
        per_unit=1,
        per_recommender=4,
        recommenders={"省委教育工委": 10, "省国资委": 5, "省工商联": 5},
        category_term="领域",
    ),
    "fujian-party-2021": Profile(
        id="fujian-party-2021",
        name="新时代党建品牌、优秀案例（人民网福建频道等，2021年）",
        issuer="人民网福建频道",
        notice=None,
        categories=(
            Category("农村", "农村篇"),
            Category("城市", "城市篇"),
            Category("国有企业", "国有企业篇"),
            Category("非公有制经济组织和社会组织", "非公有制经济组织和社会组织篇"),
            Category("机关", "机关篇"),
            Category("学校", "学校篇"),
            Category("新兴领域和新兴业态", "新兴领域和新兴业态篇"),
        ),
        themes=(
            "推动高质量发展",
            "推进乡村振兴",
            "提高人民生活品质",
            "党史学习教育",
        ),
        sections=(
            (
                "背景",
                "案例背景",
                "背景情况",
            ),
            (
                "做法",
                "主要做法",
                "具体做法",
            ),
            (
                "成效",
                "工作成效",
                "主要成效",
            ),
            (
                "意义",
                "案例意义",
                "意义与启示",
            ),
        ),
        summary=Limits("案例摘要", 200, 300),
        body=Limits("正文", 3000, 5000),
        authors_max=None,
        photos_min=0,
        photos_max=None,
        photo_formats=(
            "jpeg",
            "png",
        ),
        per_unit=None,
        per_recommender=None,
        recommenders={},
        category_term="领域",
    ),
    "machinery-2024": Profile(
        id="machinery-2024",
        name="基层思想政治工作优秀案例（中国机械工业职工思想政治工作研究会，2024年）",
        issuer="中国机械工业职工思想政治工作研究会",
        notice="机械政研会〔2024〕10号",
        categories=(
            Category("企业", "企业篇"),
            Category("院校", "院校篇"),
        ),
        themes=(),
        sections=(
            ("基本情况",),
            ("主要做法",),
            ("工作成效",),
            ("工作启示",),
        ),
        summary=Limits("案例概要和创新点", None, 500),
        body=Limits("申报材料", None, 5000),
        authors_max=3,
        photos_min=0,
        photos_max=None,
        photo_formats=(
            "jpeg",
            "png",
        ),
        per_unit=5,
        per_recommender=None,
        recommenders={},
    ),
    "nantong-teams-2021": Profile(
        id="nantong-teams-2021",
        name="班组职工思想政治工作创新案例（中共南通市委宣传部、南通市总工会，2021年）",
        issuer="中共南通市委宣传部、南通市总工会",
        notice="通工发〔2021〕20号",
        categories=(Category("班组", "班组案例"),),
        themes=(
            "理想信念教育",
            "社会主义核心价值观",
            "党史和“四史”学习教育",
            "我为群众办实事",
            "劳模精神劳动精神工匠精神",
            "产业工人队伍建设改革",
            "法治教育与风险防范",
            "企业文化与人文关怀",
            "特殊群体与新就业形态",
        ),
        sections=(
            ("实施背景",),
            (
                "实施过程",
                "过程",
            ),
            ("主要做法",),
            ("工作效果",),
        ),
        summary=Limits("案例简介", None, None),
        body=Limits("正文", 800, 1500),
        authors_max=None,
        photos_min=0,
        photos_max=3,
        photo_formats=("jpeg",),
        per_unit=None,
        per_recommender=4,
        recommenders={},
        unit_info_label="班组基本情况",
        lists=Lists(
            applications=ListSpec(
                ("number", "title", "unit", "nature", "employees", "industry", "address", "contact_position", "phones"),
                {"unit": "实施单位"},
            ),
            recommendations=dataclasses.replace(RECOMMENDATIONS, labels={"unit": "实施单位", "title": "推荐案例名称"}),
        ),
    ),
    "zhaoqing-education-2023": Profile(
        id="zhaoqing-education-2023",
        name="教育系统基层党建工作创新案例（中共肇庆市委教育工作委员会，2023年）",
        issuer="中共肇庆市委教育工作委员会",
        notice=None,
        categories=(
            Category("高校", "高校篇"),
            Category("基础教育", "基础教育篇"),
        ),
        themes=(
            "党建引领基层治理",
            "党的政治建设",
            "全面从严治党",
            "标准化规范化信息化品牌化",
            "组织力建设",
            "党员教育管理关怀服务",
            "头雁工程",
            "创新组织生活",
            "校风学风师德师风",
        ),
        sections=(
            (
                "做法与经过",
                "做法和经过",
            ),
            (
                "成效与反响",
                "成效和反响",
            ),
            ("创新评价",),
        ),
        summary=Limits("案例摘要", None, 800),
        body=Limits("正文", None, 5000),
        authors_max=None,
        photos_min=0,
        photos_max=None,
        photo_formats=(
            "jpeg",
            "png",
        ),
        per_unit=None,
        per_recommender=None,
        recommenders={},
        lists=Lists(
            applications=dataclasses.replace(APPLICATIONS, labels={"unit": "所在党组织"}),
            recommendations=ListSpec(
                ("number", "unit", "contact", "phones", "title"),
                {"unit": "党组织", "title": "推荐案例名称"},
                "填报单位",
                ("联系人", "手机"),
            ),
        ),
    ),
}


@pytest.mark.parametrize("profile_id", sorted(SNAPSHOT))
def test_every_builtin_profile_is_unchanged_by_the_schema(profile_id):
    before, now = SNAPSHOT[profile_id], profiles.load(profile_id)
    for spec in dataclasses.fields(Profile):
        old, new = getattr(before, spec.name), getattr(now, spec.name)
        assert (type(new), new) == (type(old), old), spec.name
    assert now == before


@pytest.mark.parametrize("profile_id", profiles.available())
def test_every_builtin_profile_fits_the_schema_without_a_problem(profile_id):
    problems: list[Problem] = []
    PROFILE.validate(profiles.raw(profile_id), "", problems)
    assert problems == []


def test_built_profiles_do_not_share_their_recommenders():
    first, second = profiles.load("machinery-2024"), profiles.load("fujian-party-2021")
    first.recommenders["甲"] = 1
    assert second.recommenders == {} and profiles.load("machinery-2024").recommenders == {}


def _rules(overrides: dict, profile_id: str = "machinery-2024") -> tuple[Profile, list[tuple[str, str]]]:
    problems: list[Problem] = []
    profile = profiles.load(profile_id, overrides, problems)
    return profile, [(p.key, p.code) for p in problems]


def test_overrides_are_read_as_before():
    # each as the hand-written checks read it (values captured from them)
    assert _rules({"photos": {"formats": ["JPG"]}}) == (
        dataclasses.replace(SNAPSHOT["machinery-2024"], photo_formats=("jpeg",)),
        [],
    )
    profile, found = _rules({"categories": ["甲", {"name": "乙"}, {"name": "丙", "part": "丙部"}]})
    assert profile.categories == (Category("甲", "甲篇"), Category("乙", "乙篇"), Category("丙", "丙部")) and not found
    assert _rules({"sections": ["甲", ["乙", "丙"]]})[0].sections == (("甲",), ("乙", "丙"))
    assert _rules({"summary": None})[0].summary == Limits("案例概要", None, None)
    assert _rules({"authors_max": None})[0].authors_max is None
    nantong = SNAPSHOT["nantong-teams-2021"]
    assert _rules({"photos": None}, "nantong-teams-2021")[0] == dataclasses.replace(
        nantong, photos_max=None, photo_formats=("jpeg", "png")
    )
    assert _rules({"photos": {"min": None}}, "nantong-teams-2021")[0] == nantong
    assert _rules({"themes": None}, "nantong-teams-2021")[0].themes == ()
    anhui = _rules({"quota": {"recommenders": {"某市委宣传部": 3}}}, "anhui-sites-2022")[0]
    assert anhui.recommenders == {"省委教育工委": 10, "省国资委": 5, "省工商联": 5, "某市委宣传部": 3}


def test_a_wrong_override_is_reported_at_its_key_and_the_builtin_value_kept():
    profile, found = _rules({"summary": {"max": "三百", "label": "概要"}, "authors_max": -1, "themes": "甲"})
    assert found == [("rules.summary.max", "E603"), ("rules.authors_max", "E603"), ("rules.themes", "E603")]
    assert profile.summary == Limits("概要", None, 500) and profile.authors_max == 3 and profile.themes == ()


def test_a_bad_photo_format_is_a_choice_error_at_its_index():
    profile, found = _rules({"photos": {"formats": ["png", "gif"], "max": 4}})
    assert found == [("rules.photos.formats.1", "E605")]
    assert profile.photo_formats == ("jpeg", "png") and profile.photos_max == 4
    problems: list[Problem] = []
    RULES.validate({"photos": {"formats": ["gif"]}}, "rules", problems)
    assert problems[0].values["allowed"] == "jpeg、png"


def test_misspelt_and_fixed_rule_keys_are_warned_and_ignored():
    profile, found = _rules({"categores": ["甲"], "id": "x", "photos": {"maxx": 2}})
    assert profile == SNAPSHOT["machinery-2024"]
    assert found == [("rules.categores", "W604"), ("rules.id", "W604"), ("rules.photos.maxx", "W604")]
    problems: list[Problem] = []
    RULES.validate({"categores": ["甲"], "id": "x"}, "rules", problems)
    assert problems[0].values["hint"] == "，是不是“categories”？"
    assert "不能在 rules 中调整" in problems[1].values["hint"]


def test_wrong_items_in_lists_and_mappings_are_reported_one_by_one():
    _, found = _rules(
        {
            "categories": [{"part": "甲篇"}, ["乙"], "丙", None],
            "sections": [[], "甲", ""],
            "quota": {"recommenders": {"甲": None, "乙": "三", "丙": 2}},
        }
    )
    assert found == [
        ("rules.categories.0.name", "E603"),
        ("rules.categories.1", "E603"),
        ("rules.categories.3", "E603"),
        ("rules.sections.0", "E603"),
        ("rules.sections.2", "E603"),
        ("rules.quota.recommenders.甲", "E603"),
        ("rules.quota.recommenders.乙", "E603"),
    ]


def test_a_builtin_profile_that_does_not_fit_is_refused_with_its_file():
    with pytest.raises(profiles.ProfileError, match="profiles/x.yml.*categories.0.name"):
        profiles.build({"id": "x", "categories": [{"part": "甲篇"}]}, "内置规则 casebook/inputs/profiles/x.yml ")


def test_sample_collection_spans_years_categories_and_themes(collection):
    assert len(collection.cases) >= 12
    assert len(collection.years()) >= 2
    assert {c.category for c in collection.cases} == set(collection.profile.category_names)
    assert {t for c in collection.cases for t in c.themes} == set(collection.profile.themes)
    assert any(not c.public for c in collection.cases)
    assert any(c.status == "draft" for c in collection.cases)
    assert all(2 <= len(c.photos) <= 3 for c in collection.cases)


def test_public_view_drops_private_cases_and_every_contact(collection):
    public = views.public(collection)
    assert public.cases and len(public.cases) < len(collection.cases)
    assert all(c.status == "approved" and c.public and c.contact is None for c in public.cases)
    assert all(c.contact is not None for c in collection.cases), "the sample keeps contacts for organisers"


def test_internal_view_keeps_non_public_approved_cases(collection):
    internal = views.internal(collection)
    assert any(not c.public for c in internal.cases)
    assert all(c.status == "approved" for c in internal.cases)


def test_captions_are_composed_and_numbered_in_order(collection):
    for case in collection.cases:
        assert [p.number for p in case.photos] == list(range(1, len(case.photos) + 1))
        for photo in case.photos:
            assert photo.caption.startswith(f"{photo.number}.{photo.time}，")


def test_unplaced_photos_come_last(collection):
    for case in collection.cases:
        placed = [p.placed for p in case.photos]
        assert placed == sorted(placed, reverse=True)


def test_slugs_are_ascii_and_unique(collection):
    slugs = [c.slug for c in collection.cases]
    assert len(set(slugs)) == len(slugs)
    assert all(s.isascii() for s in slugs)
