"""The model's public/internal views and the five built-in campaign profiles."""

from __future__ import annotations

import pytest
from conftest import PROJECT

from casebook.inputs import profiles
from casebook.inputs.loader import load
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
    with pytest.raises(profiles.ProfileError, match="未知规则"):
        profiles.load("machinery-2024", {"sumary": {"max": 300}})


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
