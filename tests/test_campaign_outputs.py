"""Each campaign's own words and forms in the outputs (issue 14, item 3): the summary's label, the
profile's term for its categories (领域), 班组基本情况 (unit_info), 004's 推荐汇总表 and a contact value
repeated in a public field. In-process: builder.prepare (no engine), build_book (DOCX only), lists."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest
from conftest import PROJECT, warm_copy

from casebook.inputs.loader import load
from casebook.outputs.book import lists
from casebook.outputs.book import stage as book_stage
from casebook.outputs.site import builder
from casebook.publish import views

EXAMPLES = PROJECT / "examples"


def _copy(profile: str, tmp: Path) -> Path:
    return warm_copy(EXAMPLES / profile, tmp / profile)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    made: dict[str, tuple] = {}

    def get(profile: str):
        if profile not in made:
            root = _copy(profile, tmp_path_factory.mktemp(profile))
            collection, report = load(root)
            assert not report.errors, [d.format() for d in report.errors]
            made[profile] = (root, collection, builder.prepare(collection, workers=1))
        return made[profile]

    return get


def _page(result, source: str) -> str:
    return (result.docs / source).read_text(encoding="utf-8")


def _case_pages(result) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((result.docs / "cases").glob("*/index.md"))]


SUMMARY_LABELS = {
    "nantong-teams-2021": "案例简介",
    "anhui-sites-2022": "简要事迹",
    "fujian-party-2021": "案例摘要",
    "zhaoqing-education-2023": "案例摘要",
}


@pytest.mark.parametrize("profile", sorted(SUMMARY_LABELS))
def test_summary_box_and_exports_use_the_campaigns_label(profile, prepared):
    _root, _collection, result = prepared(profile)
    label = SUMMARY_LABELS[profile]
    for page in _case_pages(result):
        assert f'<p class="cb-summary__title">{label}</p>' in page
        assert "案例概要和创新点" not in page
    header = (result.docs / "downloads" / "cases.csv").read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.split(",")[-2] == label
    assert f"获评情况和{label}" in _page(result, "downloads/index.md")


def test_domains_are_called_domains(prepared):
    _root, collection, result = prepared("fujian-party-2021")
    config = result.config.read_text(encoding="utf-8")
    assert "按领域" in config and "按类别" not in config
    assert "# 按领域浏览" in _page(result, "browse/category/index.md")
    home = _page(result, "index.md")
    assert "各领域案例数" in home and "各类别案例数" not in home and "按类别" not in home
    rural = result.model.group_of("category", "农村")
    group = _page(result, rural.url + "index.md")
    assert "农村领域案例" in group and "类案例" not in group
    case = _case_pages(result)[0]
    assert ">按领域</a>" in case and "<dt>领域</dt>" in case and "<dt>类别</dt>" not in case
    header = (result.docs / "downloads" / "cases.csv").read_bytes().decode("utf-8-sig").splitlines()[0]
    assert "领域" in header.split(",") and "类别" not in header.split(",")


def test_a_campaign_without_themes_has_no_theme_page(prepared):
    _root, collection, result = prepared("anhui-sites-2022")
    assert not result.model.themes
    assert not (result.docs / "browse" / "theme" / "index.md").exists()
    assert "按主题" not in result.config.read_text(encoding="utf-8")
    assert "按主题" not in _page(result, "index.md")
    assert "主题" not in _page(result, "all/index.md").split("<tbody>")[0].replace("名称、申报单位或主题", "")


def test_team_facts_on_the_case_page_without_contact_data(prepared):
    _root, collection, result = prepared("nantong-teams-2021")
    case = next(c for c in collection.cases if c.slug == "hengyue-jiemei-xinyujiao")
    page = _page(result, "cases/hengyue-jiemei-xinyujiao/index.md")
    block = page[page.index('<div class="cb-unit-info">') :]
    block = block[: block.index("</div>")]
    assert '<p class="cb-unit-info__title">班组基本情况</p>' in block
    assert "<dt>单位性质</dt><dd>民营企业</dd>" in block and "<dt>职工人数</dt><dd>32人</dd>" in block
    assert "<dt>所属行业</dt><dd>纺织业（家纺面料织造）</dd>" in block
    for value in (case.contact.address, case.contact.phone, case.contact.mobile, case.contact.name):
        assert value not in page


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def test_team_facts_in_the_organisers_edition_only(tmp_path):
    root = _copy("nantong-teams-2021", tmp_path)
    collection, report = load(root)
    assert not report.errors
    internal = book_stage.build_book(root, collection, 2021, views.INTERNAL, tmp_path / "i", make_pdf=False)
    text = _docx_text(internal.docx)
    assert "班组基本情况：单位性质：民营企业；职工人数：32人；所属行业：纺织业（家纺面料织造）" in text
    public = book_stage.build_book(root, collection, 2021, views.PUBLIC, tmp_path / "p", make_pdf=False)
    assert "班组基本情况" not in _docx_text(public.docx)

    table = lists.applications(views.internal(collection), 2021)
    assert table.headers == (
        "序号", "案例名称", "实施单位", "单位性质", "职工人数", "所属行业", "地址", "联系人及职务", "联系电话",
    )  # fmt: skip
    row = next(r for g in table.groups for r in g[1] if r[1] == "织机旁的“姐妹心语角”")
    assert row[3:8] == (
        "民营企业",
        "32",
        "纺织业（家纺面料织造）",
        "南通市崇川区示例路202号",
        "陆美华（织造车间工会小组长）",
    )


def test_zhaoqing_summary_list_follows_its_form(tmp_path):
    root = _copy("zhaoqing-education-2023", tmp_path)
    collection, report = load(root)
    assert not report.errors
    table = lists.recommendations(views.internal(collection), 2023)
    assert table.headers == ("序号", "党组织", "联系人", "联系电话", "推荐案例名称")  # 附件3
    assert all(heading.startswith("填报单位：") for heading, _ in table.groups)
    assert table.footer == ("联系人", "手机")
    out = tmp_path / "lists"
    assert lists.run(collection, 2023, out) == 0
    (docx,) = out.glob("*推荐汇总表.docx")
    text = _docx_text(docx)
    groups = len(table.groups)
    assert text.count("填报单位：") == groups and text.count("联系人：") == groups and text.count("手机：") == groups
    (sheet,) = out.glob("*推荐汇总表.csv")
    with sheet.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["填报单位", "序号", "党组织", "联系人", "联系电话", "推荐案例名称"]
    assert {r[0] for r in rows[1:]} == {h.removeprefix("填报单位：") for h, _ in table.groups}


# --- a contact value repeated in a public field: check says so, not the final verification ---------


def _set(index: Path, old: str, new: str) -> None:
    text = index.read_text(encoding="utf-8")
    assert old in text
    index.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_contact_value_in_a_public_field_is_reported_by_check(tmp_path):
    root = _copy("nantong-teams-2021", tmp_path)
    case_dir = root / "cases" / "2021" / "恒岳纺织-织机旁的姐妹心语角"
    index = case_dir / "index.md"
    # an address without a house number (too vague for the address comparison) that is also the unit's name
    _set(index, "  address: 南通市崇川区示例路202号", "  address: 南通恒岳纺织科技有限公司")
    collection, report = load(root)
    values = views.forbidden(collection).values
    assert values["南通恒岳纺织科技有限公司"] == "联系方式"  # what the final verification would stop
    found = [d for d in report.errors if d.code == "E505" and "恒岳纺织-织机旁的姐妹心语角/" in d.path]
    assert found, [d.format() for d in report.items]
    lines = index.read_text(encoding="utf-8").splitlines()
    unit_line = next(i for i, line in enumerate(lines, 1) if line.startswith("unit:"))
    first = min(found, key=lambda d: d.line or 0)
    assert first.line == unit_line and "申报单位" in first.message and "南通恒岳纺织科技有限公司" in first.message

    # another case repeating it in its 班组基本情况 (published on its page): E506 at that line
    other = root / "cases" / "2021" / "江澜精机-数控车工班四史微课堂" / "index.md"
    text = other.read_text(encoding="utf-8")
    industry = re.search(r"^  industry: .*$", text, re.M).group(0)
    _set(other, industry, "  industry: 南通恒岳纺织科技有限公司协作配套")
    collection, report = load(root)
    line = next(i for i, row in enumerate(other.read_text(encoding="utf-8").splitlines(), 1) if "协作配套" in row)
    e506 = [d for d in report.errors if d.code == "E506" and "江澜精机-数控车工班四史微课堂/" in d.path]
    assert [d.line for d in e506] == [line] and "单位基本情况" in e506[0].message


def test_short_phone_repeated_in_the_title_is_reported(tmp_path):
    root = _copy("nantong-teams-2021", tmp_path)
    index = root / "cases" / "2021" / "恒岳纺织-织机旁的姐妹心语角" / "index.md"
    _set(index, "  phone: 0513-80000202", "  phone: 转8020号")  # an extension: no 7 digits, still a value
    _set(index, "title: 织机旁的“姐妹心语角”", "title: 织机旁的“姐妹心语角”转8020号")
    collection, report = load(root)
    assert "转8020号" in views.forbidden(collection).values
    found = [d for d in report.errors if d.code == "E505"]
    assert [d.line for d in found] == [2] and "案例名称" in found[0].message
