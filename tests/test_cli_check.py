"""`python build.py check` and `new` as editors and scripts use them: exit codes, formats, usage errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, PROJECT, run_cli

CJK = re.compile(r"[\u4e00-\u9fff]")
KEYS = {"path", "line", "code", "severity", "message"}


def _case_folders(root: Path) -> list[Path]:
    return [p for p in (root / "cases").glob("*/*") if p.is_dir() and not p.name.startswith((".", "_"))]


def _first_case(root: Path) -> Path:
    return sorted(_case_folders(root))[0] / "index.md"


def _insert_after_first_line(path: Path, text: str) -> None:
    content = path.read_text(encoding="utf-8-sig")
    head, rest = content.split("\n", 1)
    path.write_text(f"{head}\n{text}\n{rest}", encoding="utf-8")


# --- the shipped sample collection ---------------------------------------------------------------


def test_shipped_sample_collection_checks_clean():
    done = run_cli("check", "--format", "json", "--strict", cwd=PROJECT)
    assert "Traceback" not in done.stderr
    assert json.loads(done.stdout) == [], done.stdout
    assert done.returncode == 0
    count = len(_case_folders(PROJECT))
    assert f"检查了 {count} 个案例：0 个错误，0 个警告" in done.stderr


def test_root_option_on_a_copy_elsewhere(sample_root: Path, tmp_path: Path):
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    count = len(_case_folders(sample_root))
    for args in (("check", "--root", str(sample_root)), ("--root", str(sample_root), "check")):
        done = run_cli(*args, cwd=elsewhere)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout == f"检查了 {count} 个案例：0 个错误，0 个警告\n"


def test_default_root_is_the_current_folder(sample_root: Path):
    done = run_cli("check", cwd=sample_root)
    assert done.returncode == 0, done.stdout + done.stderr


def test_errors_in_a_copy_do_not_touch_the_original(sample_root: Path):
    _insert_after_first_line(_first_case(sample_root), "status: published")
    assert run_cli("check", "--root", str(sample_root)).returncode == 1
    assert "status: published" not in _first_case(PROJECT).read_text(encoding="utf-8")


# --- --format json ---------------------------------------------------------------------------------


def test_json_is_an_array_of_diagnostic_objects(sample_root: Path):
    index = _first_case(sample_root)
    _insert_after_first_line(index, "status: published\nawrad: 优秀案例")
    done = run_cli("check", "--root", str(sample_root), "--format", "json")
    assert done.returncode == 1
    diagnostics = json.loads(done.stdout)  # stdout is pure JSON; the summary goes to stderr
    assert isinstance(diagnostics, list) and diagnostics
    for item in diagnostics:
        assert isinstance(item, dict) and set(item) == KEYS
        assert isinstance(item["path"], str) and not item["path"].startswith("/")
        assert item["line"] is None or (isinstance(item["line"], int) and item["line"] >= 1)
        assert re.fullmatch(r"[EW]\d{3}", item["code"])
        assert item["severity"] == ("error" if item["code"][0] == "E" else "warning")
        assert CJK.search(item["message"])
    rel = index.relative_to(sample_root).as_posix()
    found = {(d["path"], d["line"], d["code"]) for d in diagnostics}
    assert (rel, 2, "E107") in found and (rel, 3, "W022") in found
    assert "1 个错误，1 个警告" in done.stderr
    assert diagnostics == sorted(diagnostics, key=lambda d: (d["path"], d["line"] or 0, d["code"], d["message"]))


def test_json_and_text_report_the_same_findings(sample_root: Path):
    _insert_after_first_line(_first_case(sample_root), "status: published")
    as_json = json.loads(run_cli("check", "--root", str(sample_root), "--format", "json").stdout)
    as_text = run_cli("check", "--root", str(sample_root)).stdout.splitlines()
    assert as_text[:-1] == [f"{d['path']}:{d['line']}: {d['code']} {d['message']}" for d in as_json]
    assert as_text[-1].startswith("检查了 ")


def test_json_of_a_folder_level_finding_has_null_line(sample_root: Path):
    (sample_root / "cases" / "2024" / "空文件夹").mkdir()
    (sample_root / "cases" / "2024" / "空文件夹" / "说明.txt").write_text("x", encoding="utf-8")
    done = run_cli("check", "--root", str(sample_root), "--format", "json")
    assert {"path": "cases/2024/空文件夹", "line": None, "code": "E003"}.items() <= json.loads(done.stdout)[0].items()
    text = run_cli("check", "--root", str(sample_root)).stdout
    assert text.startswith("cases/2024/空文件夹: E003 ")


# --- --strict -------------------------------------------------------------------------------------------


def test_strict_fails_on_warnings_only(sample_root: Path):
    _insert_after_first_line(_first_case(sample_root), "awrad: 优秀案例")
    plain = run_cli("check", "--root", str(sample_root))
    assert plain.returncode == 0
    assert "W022" in plain.stdout and "是不是“award”" in plain.stdout
    strict = run_cli("check", "--root", str(sample_root), "--strict")
    assert strict.returncode == 1
    assert strict.stdout == plain.stdout


def test_strict_still_fails_on_errors(sample_root: Path):
    _insert_after_first_line(_first_case(sample_root), "status: published")
    assert run_cli("check", "--root", str(sample_root), "--strict", "--format", "json").returncode == 1


def test_missing_cases_folder_and_broken_settings_exit_1(tmp_path: Path):
    shutil.copytree(FIXTURES / "base", tmp_path / "root")
    done = run_cli("check", "--root", str(tmp_path / "root"))
    assert done.returncode == 1 and "E405" in done.stdout
    (tmp_path / "root" / "content" / "settings.yml").write_text("profile: nope\n", encoding="utf-8")
    done = run_cli("check", "--root", str(tmp_path / "root"))
    assert done.returncode == 1 and done.stdout.startswith("content/settings.yml:1: E602 ")


# --- wrong usage: exit 2, Chinese, no traceback ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("check", "--bogus"), "无法识别的参数"),
        (("check", "--format", "xml"), "无效的选项"),
        (("check", "--root"), "需要一个值"),
        (("frobnicate",), "无效的选项"),
        (("check", "--root", "/nonexistent/合集"), "合集文件夹不存在"),
        (("--root", "/nonexistent/合集", "check"), "合集文件夹不存在"),
        (("new", "--title", "案例"), "缺少必需的参数"),
        (("new", "--title", "案例", "--unit", "某厂", "--year", "二〇二四"), "不是整数"),
    ],
)
def test_wrong_usage_exits_2_in_chinese(args: tuple[str, ...], words: str, tmp_path: Path):
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert words in done.stderr
    assert done.stderr.splitlines()[-1].startswith("错误：")
    assert done.stdout == ""


def test_root_that_is_a_file_is_wrong_usage(tmp_path: Path):
    file = tmp_path / "settings.yml"
    file.write_text("x", encoding="utf-8")
    done = run_cli("check", "--root", str(file))
    assert done.returncode == 2 and "合集文件夹不存在" in done.stderr


# --- new ----------------------------------------------------------------------------------------------------

NEW_ARGS = (
    "new",
    "--title",
    "职工书屋“悦读会”: 让书香飘进车间",
    "--unit",
    "江淮测试机械有限公司党委",
    "--year",
    "2024",
    "--category",
    "企业",
    "--recommender",
    "江淮机械工业联合会",
    "--author",
    "周晓梅",
    "--author",
    "王强",
)
SECTION_TEXT = {
    "基本情况": "江淮测试机械有限公司现有职工八百余人，一线职工占七成，职工读书学习的时间和场所都不充足。",
    "主要做法": "公司党委在各车间建设职工书屋，每月举办一次“悦读会”，由职工轮流领读、分享读书心得。",
    "工作成效": "一年来共举办“悦读会”四十余场，参与职工两千余人次，职工书屋借阅量比上一年翻了一番。",
    "工作启示": "职工文化建设要贴近一线、贴近职工，让职工成为活动的主角，才能形成长效机制。",
}


def _new(root: Path, *extra: str):
    return run_cli(*NEW_ARGS, "--root", str(root), *extra, stdin="")


def _fill_in(index: Path) -> None:
    """What an editor does with the scaffold: the placeholders filled, the case approved."""
    text = index.read_text(encoding="utf-8")
    replacements = {
        r'^summary: "".*$': "summary: 公司党委建设车间职工书屋，每月举办“悦读会”，由职工轮流领读、分享心得，让读书成为职工的生活方式。",
        r"^status: draft.*$": "status: approved",
        r'^  name: "".*$': "  name: 周晓梅",
        r'^  position: "".*$': "  position: 党委工作部部长",
        r'^  mobile: "".*$': '  mobile: "13905510002"',
        r'^  email: "".*$': "  email: zhouxm@example.cn",
    }
    for pattern, value in replacements.items():
        text, count = re.subn(pattern, lambda _m, v=value: v, text, count=1, flags=re.M)
        assert count == 1, pattern
    for section, paragraph in SECTION_TEXT.items():
        text, count = re.subn(rf"<!-- 在此填写“{section}”。.*?-->", paragraph, text, count=1)
        assert count == 1, section
    index.write_text(text, encoding="utf-8")


def test_new_scaffolds_a_case_that_checks_clean_once_filled_in(sample_root: Path):
    done = _new(sample_root)
    assert done.returncode == 0, done.stderr
    assert "已新建" in done.stdout and "Traceback" not in done.stderr
    created = [p for p in (sample_root / "cases" / "2024").iterdir() if p.name.startswith("江淮测试机械")]
    assert len(created) == 1
    index = created[0] / "index.md"
    assert f"{created[0].relative_to(sample_root).as_posix()}/index.md" in done.stdout
    text = index.read_text(encoding="utf-8")
    for section in ("## 一、基本情况", "## 二、主要做法", "## 三、工作成效", "## 四、工作启示"):
        assert section in text
    assert "status: draft" in text

    # as scaffolded, the case is incomplete and the checker says so — at the placeholder's line
    rel = index.relative_to(sample_root).as_posix()
    unfilled = json.loads(run_cli("check", "--root", str(sample_root), "--format", "json").stdout)
    summary_line = text.split("\n").index(next(line for line in text.split("\n") if line.startswith("summary:"))) + 1
    assert {(d["path"], d["line"], d["code"]) for d in unfilled} == {(rel, summary_line, "E020")}

    _fill_in(index)
    done = run_cli("check", "--root", str(sample_root), "--format", "json", "--strict")
    assert json.loads(done.stdout) == [], done.stdout
    assert done.returncode == 0


def test_new_keeps_odd_titles_intact(sample_root: Path):
    assert _new(sample_root).returncode == 0
    (index,) = (sample_root / "cases" / "2024").glob("江淮测试机械*/index.md")
    _fill_in(index)
    import yaml

    front = yaml.safe_load(index.read_text(encoding="utf-8").split("---\n")[1])
    assert front["title"] == "职工书屋“悦读会”: 让书香飘进车间"
    assert front["authors"] == ["周晓梅", "王强"]
    assert front["year"] == 2024 and front["category"] == "企业"


def test_new_refuses_to_overwrite(sample_root: Path):
    assert _new(sample_root).returncode == 0
    (index,) = (sample_root / "cases" / "2024").glob("江淮测试机械*/index.md")
    index.write_text(index.read_text(encoding="utf-8") + "\n编辑的修改\n", encoding="utf-8")
    before = index.read_bytes()
    again = _new(sample_root)
    assert again.returncode == 2
    assert "已存在" in again.stderr and "Traceback" not in again.stderr
    assert index.read_bytes() == before


def test_new_with_explicit_folder_and_existing_folder(sample_root: Path):
    existing = sorted(_case_folders(sample_root))[0]
    year = existing.parent.name
    args = (
        "new",
        "--title",
        "某案例",
        "--unit",
        "某厂",
        "--year",
        year,
        "--category",
        "企业",
        "--folder",
        existing.name,
    )
    before = (existing / "index.md").read_bytes()
    done = run_cli(*args, "--root", str(sample_root))
    assert done.returncode == 2 and "已存在" in done.stderr
    assert (existing / "index.md").read_bytes() == before


def test_new_rejects_an_unknown_category(sample_root: Path):
    done = run_cli(*NEW_ARGS[:-6], "--category", "企业类", "--root", str(sample_root))
    assert done.returncode == 2
    assert "不在本次征集的类别中" in done.stderr and "Traceback" not in done.stderr
    assert not list((sample_root / "cases" / "2024").glob("江淮测试机械*"))


def test_new_without_category_does_not_wait_for_input(sample_root: Path):
    args = [a for a in NEW_ARGS if a not in ("--category", "企业")]
    done = run_cli(*args, "--root", str(sample_root), stdin="")  # stdin is not a terminal: no prompt
    assert done.returncode == 0, done.stderr
    (index,) = (sample_root / "cases" / "2024").glob("江淮测试机械*/index.md")
    assert 'category: ""' in index.read_text(encoding="utf-8")


def test_new_in_a_collection_with_broken_settings(tmp_path: Path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "settings.yml").write_text("profile: nope\n", encoding="utf-8")
    done = run_cli(*NEW_ARGS, "--root", str(tmp_path))
    assert done.returncode == 1
    assert "E602" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "cases").exists()


@pytest.mark.parametrize(
    "folder", ["/tmp/casebook-new-outside", "../../外面", "子/文件夹", "_草稿", ".隐藏", "带 空格"]
)
def test_new_refuses_folder_names_that_are_paths_or_hidden(folder: str, sample_root: Path):
    """A path would land outside cases/<year>/; a _ or . name would be skipped by check without a word."""
    before = sorted(p.relative_to(sample_root) for p in sample_root.rglob("*"))
    done = run_cli(*NEW_ARGS, "--folder", folder, "--root", str(sample_root))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "文件夹名" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.relative_to(sample_root) for p in sample_root.rglob("*")) == before
    assert not Path("/tmp/casebook-new-outside").exists()
