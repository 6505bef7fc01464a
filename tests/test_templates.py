"""The index.md templates of `new` and `import` are rendered from the one field schema: every field
is in both (or deliberately commented out), both read as front matter the checker accepts, the
campaign's rules are in the comments, and any value an editor types reads back exactly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import run_cli

from casebook.config.templates import BLANK, SAMPLE_PHOTO_KEYS, front_matter
from casebook.diagnostics import Report
from casebook.importer.caption import ParsedCaption
from casebook.importer.convert import Draft, PhotoEntry
from casebook.importer.fields import Found
from casebook.importer.render import render as render_import
from casebook.inputs import profiles
from casebook.inputs.fields import FIELDS, PHOTO_KEYS, SUB_KEYS, TEMPLATE_HINTS
from casebook.inputs.loader import load_case
from casebook.inputs.settings import load as load_settings
from casebook.scaffold import render as render_new
from casebook.template_text import limit_text, photo_rule

PROFILES = profiles.available()
# optional keys few cases set (award, wechat_title) or only organisers touch (slug, order): shown commented out
COMMENTED_OUT = {"award", "slug", "order", "wechat_title", "wechat_cover"}
# the codes of front matter syntax, unknown keys and types: a rendered template must raise none of them
FRONT_MATTER_CODES = {"E010", "E011", "E012", "E013", "E014", "E015", "E016", "E021", "W022", "W111", "W112"}
HOSTILE = [
    "y: z\n- a",
    "# 不是注释",
    "带 #号 的值",
    "他说：\"好\"，'单引号'",
    "{{ page.title }} {% raw %}",
    "---",
    "...",
    "[列表, 项] {映射: 1}",
    "&锚 *别名 !标签 @ ` % |",
    "反斜杠\\n不是换行",
    "行分隔\u2028段分隔\u2029下一行\x85末尾",
    "制表\t符",
    "true",
    "2024",
    "null",
]


def _new(profile_id: str, **overrides) -> str:
    args = {"title": "标题", "unit": "江淮厂", "year": 2024, "category": "", "recommender": "", "authors": []}
    return render_new(**{**args, **overrides}, profile=profiles.load(profile_id))


def _draft(found: Found | None = None, photos: list[PhotoEntry] | None = None, **overrides) -> Draft:
    fields = {"source": Path("/x/来稿.docx"), "title": "标题", "title_from_name": False, "year": 2024}
    fields |= {"year_guessed": False, "body": "正文。\n"}
    return Draft(found=found or Found(), photos=photos or [], **{**fields, **overrides})


def _import(profile_id: str, draft: Draft | None = None, category: str = "") -> str:
    return render_import(draft or _draft(Found({"unit": "江淮厂"})), 2024, category, "", profiles.load(profile_id))


def _head(text: str) -> list[str]:
    return text.split("---\n")[1].split("\n")


def _top_keys(text: str) -> tuple[list[str], list[str]]:
    """Top-level keys as written, and those commented out (``# key: example``)."""
    written = [m.group(1) for line in _head(text) if (m := re.match(r"([a-z_]+):", line))]
    commented = [m.group(1) for line in _head(text) if (m := re.match(r"# ([a-z_]+): ", line))]
    return written, commented


@pytest.mark.parametrize("profile_id", PROFILES)
@pytest.mark.parametrize("render", [_new, _import], ids=["new", "import"])
def test_every_field_is_in_the_template_in_schema_order(render, profile_id):
    text = render(profile_id)
    written, commented = _top_keys(text)
    assert set(commented) == COMMENTED_OUT
    in_order = [m.group(1) for line in _head(text) if (m := re.match(r"(?:# )?([a-z_]+):", line))]
    assert [key for key in in_order if key in FIELDS] == list(FIELDS)
    assert set(written) | set(commented) == set(FIELDS)
    front = yaml.safe_load("\n".join(_head(text)))
    for key in ("contact", "unit_info"):
        assert list(front[key]) == list(SUB_KEYS[key])


@pytest.mark.parametrize("render", [_new, _import], ids=["new", "import"])
def test_the_photo_sample_shows_the_preferred_keys(render):
    sample = [m.group(1) for line in _head(render("machinery-2024")) if (m := re.match(r"#\s+-? ?([a-z]+): ", line))]
    assert sample[-len(SAMPLE_PHOTO_KEYS) :] == list(SAMPLE_PHOTO_KEYS)
    assert set(PHOTO_KEYS) - set(SAMPLE_PHOTO_KEYS) == {"caption"}  # the fallback, written by import only


def test_every_hint_names_a_key_of_the_schema():
    known = set(FIELDS) | {f"{key}.{sub}" for key, subs in SUB_KEYS.items() for sub in subs}
    assert set(TEMPLATE_HINTS) - known == set()
    assert set(BLANK) - set(FIELDS) == set()
    assert set(FIELDS) - set(BLANK) == COMMENTED_OUT


@pytest.mark.parametrize("profile_id", PROFILES)
def test_the_campaign_rules_are_in_the_comments(profile_id):
    profile = profiles.load(profile_id)
    for text in (_new(profile_id), _import(profile_id)):
        line = {m.group(1): m.group(2) for row in _head(text) if (m := re.match(r"[#\s-]*([a-z]+):.*?# (.*)$", row))}
        assert line["summary"].startswith(f"{profile.summary.label}（必填）：")
        assert limit_text(profile.summary) in line["summary"]
        assert photo_rule(profile) in line["photos"]
        assert "、".join(profile.category_names) in line["category"]
        assert (f"最多 {profile.authors_max} 人" if profile.authors_max else "不限人数") in line["authors"]
        assert all(theme in line["themes"] for theme in profile.themes)
        assert ("PNG" in line["file"]) == ("png" in profile.photo_formats)
        assert f"{profile.body.label}写在下面的 --- 之后，字数{limit_text(profile.body)}。" in text


def _case_folder(root: Path, name: str, text: str) -> Path:
    folder = root / "cases" / "2024" / name
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(text, encoding="utf-8")
    return folder


def _load(root: Path, folder: Path):
    _, profile = load_settings(root, Report())
    report = Report()
    case = load_case(root, folder, profile, report)
    return case, [(d.code, d.line) for d in report.items]


def _fill_required(text: str) -> str:
    return re.sub(r'^summary: "".*$', "summary: 建设职工书屋，每月举办读书会。", text, count=1, flags=re.M)


def _uncomment_samples(text: str) -> str:
    """What an editor does to use the commented-out keys: drop the "# " before them."""
    text = re.sub(r"^# (award|slug|order): ", r"\1: ", text, flags=re.M)
    text = re.sub(r"^photos: \[\]", "photos:", text, flags=re.M)
    return re.sub(r"^#(  - |    )", r"\1", text, flags=re.M)


@pytest.mark.parametrize("render", [_new, _import], ids=["new", "import"])
def test_both_templates_are_front_matter_the_checker_reads(sample_root, render):
    text = _fill_required(render("machinery-2024", category="企业"))
    case, problems = _load(sample_root, _case_folder(sample_root, "模板", text))
    assert case is not None
    assert not [p for p in problems if p[0] in FRONT_MATTER_CODES | {"E020"}], problems
    assert (case.title, case.unit, case.year, case.category, case.status) == ("标题", "江淮厂", 2024, "企业", "draft")

    sampled = _uncomment_samples(text)
    case, problems = _load(sample_root, _case_folder(sample_root, "示例", sampled))
    assert not [p for p in problems if p[0] in FRONT_MATTER_CODES | {"E020"}], problems
    assert (case.award, case.slug, case.order) == ("优秀案例", "example-case", 1)
    assert [p.file for p in case.photos] == ["1.jpg"]


def test_hostile_values_round_trip_through_new(sample_root):
    for number, value in enumerate(HOSTILE):
        given = (f"--title={value}", f"--unit={value}", f"--recommender={value}", f"--author={value}", "--author=王强")
        done = run_cli("new", *given, "--year=2024", "--category=企业", f"--folder=h{number}", f"--root={sample_root}")
        assert done.returncode == 0, done.stderr
        index = sample_root / "cases" / "2024" / f"h{number}" / "index.md"
        index.write_text(_fill_required(index.read_text(encoding="utf-8")), encoding="utf-8")
        case, problems = _load(sample_root, index.parent)
        assert not [p for p in problems if p[0] in FRONT_MATTER_CODES], (value, problems)
        assert (case.title, case.unit, case.recommender, case.authors) == (value, value, value, (value, "王强"))


def test_new_with_a_unit_that_looks_like_yaml_checks_like_any_scaffold(sample_root):
    """`new --unit $'y: z\\n- a'`: as scaffolded, the one problem is the summary still to write."""
    args = ("new", "--title", "标题", "--unit", "y: z\n- a", "--year", "2024", "--category", "企业")
    done = run_cli(*args, "--folder", "yaml-unit", "--root", str(sample_root))
    assert done.returncode == 0, done.stderr
    found = json.loads(run_cli("check", "--root", str(sample_root), "--format", "json").stdout)
    assert [d["code"] for d in found if "yaml-unit" in d["path"]] == ["E020"]


def test_hostile_values_round_trip_through_import(sample_root):
    for number, value in enumerate(HOSTILE):
        keys = ("unit", "recommender", "summary", "contact.name", "contact.mobile", "unit_info.industry")
        found = Found({key: value for key in keys}, [value])
        caption = ParsedCaption(1, "2024年3月", value, value, "")
        photos = [PhotoEntry("1.jpg", caption, 1), PhotoEntry("2.jpg", ParsedCaption(None, "", "", "", value), 2)]
        draft = _draft(found, photos, title=value, source=Path(f"/x/{value}.docx"))
        text = _import("machinery-2024", draft, "企业")
        case, problems = _load(sample_root, _case_folder(sample_root, f"i{number}", text))
        assert not [p for p in problems if p[0] in FRONT_MATTER_CODES], (value, problems, text)
        assert (case.title, case.unit, case.recommender, case.summary) == (value, value, value, value)
        assert (case.contact.name, case.contact.mobile, case.unit_info["industry"]) == (value, value, value)
        assert case.authors == (value,)
        assert (case.photos[0].subject, case.photos[0].event) == (value, value)


def test_a_note_cannot_end_its_comment():
    """Notes and header lines are comments: a line break in them is a space, never a new YAML line."""
    profile = profiles.load("machinery-2024")
    notes = {"title": "第一行\n: 第二行", "contact.name": "下一行\u2028- 项"}
    text = front_matter(profile, {"title": "标题", "year": 2024}, notes, header=("来源：a\nb: c.docx",))
    front = yaml.safe_load("\n".join(_head(text)))
    assert set(front) == set(FIELDS) - COMMENTED_OUT
    assert front["title"] == "标题" and front["contact"]["name"] == ""


def test_summary_is_folded_only_when_that_keeps_it_exact():
    profile = profiles.load("machinery-2024")
    plain = front_matter(profile, {"summary": "一行概要，含 # 和 : 号"})
    assert "summary: >-" in plain and "\n  一行概要，含 # 和 : 号\n" in plain
    odd = front_matter(profile, {"summary": "全角\u3000空格"})
    assert 'summary: "全角\u3000空格"' in odd
    for text, value in ((plain, "一行概要，含 # 和 : 号"), (odd, "全角\u3000空格")):
        assert yaml.safe_load("\n".join(_head(text)))["summary"] == value
