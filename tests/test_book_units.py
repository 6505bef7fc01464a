"""Unit tests of the book's small parts: balanced titles, case order, photos, fonts, packaging."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import pytest
from conftest import run_cli
from PIL import Image

from casebook.inputs.loader import load
from casebook.outputs.book import fonts, images, ooxml, order, package, titles
from casebook.outputs.book.synth import make
from casebook.publish import strokes

# --- titles -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "坚持“三个结合”推进新时代产业工人队伍建设改革走深走实见成效",
        "以“匠心契约”传承工匠精神——重庆渝江齿轮有限公司师徒结对育人实践",
        "构建“党建+安全”“党建+质量”“党建+创新”三维融合体系推动企业高质量发展",
        "夜校加工位双课堂：江淮机械行业培训中心推动技能人才培养的探索与实践",
    ],
)
def test_long_titles_are_balanced(title):
    lines = titles.balanced_lines(title)
    assert "".join(lines) == title
    assert len(lines) >= 2
    widths = [sum(titles.char_width(ch) for ch in line) for line in lines]
    assert max(widths) <= 20
    assert min(widths) >= 0.5 * max(widths)  # no lone characters on the last line
    for line in lines[1:]:
        assert line[0] not in titles.NO_LINE_START
    for line in lines[:-1]:
        assert line[-1] not in titles.NO_LINE_END


def test_short_title_stays_on_one_line():
    assert titles.balanced_lines("班组“微宣讲”让创新理论走进车间") == ["班组“微宣讲”让创新理论走进车间"]


def test_subtitle_dash_starts_the_second_line():
    lines = titles.balanced_lines("以“匠心契约”传承工匠精神——重庆渝江齿轮有限公司师徒结对育人实践")
    assert lines[1].startswith("——")


# --- order --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = make(tmp_path_factory.mktemp("order") / "c", cases=6, photos=0, chars=500)
    collection, report = load(root)
    assert not report.errors
    return collection


def with_units(collection, units, orders=None):
    cases = []
    for index, case in enumerate(collection.cases):
        cases.append(
            dataclasses.replace(case, unit=units[index], category="企业", order=(orders or {}).get(units[index]))
        )
    return dataclasses.replace(collection, cases=tuple(cases))


def test_parts_follow_the_profile_and_units_their_pinyin(small):
    units = ["重庆渝江齿轮", "长沙湘麓职院", "安徽叉车", "中原筑友", "北京机床", "厦门鹭岛"]
    collection = with_units(small, units)
    (part,) = order.parts(collection, 2024)
    assert part.name == "企业篇"
    assert [c.unit for c in part.cases] == [
        "安徽叉车",
        "北京机床",
        "长沙湘麓职院",
        "重庆渝江齿轮",
        "厦门鹭岛",
        "中原筑友",
    ]


def test_explicit_order_comes_first(small):
    units = ["重庆渝江齿轮", "长沙湘麓职院", "安徽叉车", "中原筑友", "北京机床", "厦门鹭岛"]
    collection = with_units(small, units, {"中原筑友": 1, "厦门鹭岛": 2})
    (part,) = order.parts(collection, 2024)
    assert [c.unit for c in part.cases][:3] == ["中原筑友", "厦门鹭岛", "安徽叉车"]


def test_categories_in_profile_order(small):
    names = [p.name for p in order.parts(small, 2024)]
    assert names == ["企业篇", "院校篇"]


@pytest.mark.skipif(strokes.data_file() is None, reason="Unihan data (Debian package unicode-data) not installed")
def test_stroke_order(small):
    units = ["重庆渝江齿轮", "王府井百货", "丁家机械", "华东重机", "一汽铸造", "长沙湘麓"]
    collection = with_units(small, units)
    settings = dataclasses.replace(collection.settings, book={"order": "笔画"})
    collection = dataclasses.replace(collection, settings=settings)
    (part,) = order.parts(collection, 2024)
    assert [c.unit for c in part.cases] == [
        "一汽铸造",
        "丁家机械",
        "王府井百货",
        "长沙湘麓",
        "华东重机",
        "重庆渝江齿轮",
    ]


# --- photos -------------------------------------------------------------------------------


def jpeg(size, exif_orientation=None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        exif[0x010F] = "SecretCamera"
        image.save(out, "JPEG", exif=exif.tobytes())
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def test_large_photo_is_downscaled_to_300_dpi_at_text_width(tmp_path):
    path = tmp_path / "big.jpg"
    path.write_bytes(jpeg((4000, 3000), exif_orientation=1))
    prepared = images.prepare(path)
    # 1843 px is 15.6 cm at 300 dpi; JPEG's own 1/2 scaling (2000 px) is kept rather than resampled
    assert 1843 <= prepared.width_px <= 1843 * images.SLACK and b"SecretCamera" not in prepared.blob
    width_cm, height_cm = prepared.display_cm()
    assert width_cm == pytest.approx(15.6)
    assert height_cm <= images.MAX_HEIGHT_CM


def test_photo_far_above_300_dpi_is_resampled(tmp_path):
    path = tmp_path / "huge.png"
    Image.new("RGB", (3600, 2000), (10, 90, 200)).save(path)  # 586 dpi at the widest
    prepared = images.prepare(path)
    assert prepared.width_px == 1843 and prepared.ext == "jpeg"


def test_rotated_photo_is_turned_upright(tmp_path):
    path = tmp_path / "turned.jpg"
    path.write_bytes(jpeg((1200, 800), exif_orientation=6))
    prepared = images.prepare(path)
    assert (prepared.width_px, prepared.height_px) == (800, 1200)
    assert prepared.display_cm()[1] <= images.MAX_HEIGHT_CM + 1e-9


def test_small_photo_keeps_its_pixels_but_loses_exif(tmp_path):
    path = tmp_path / "small.jpg"
    path.write_bytes(jpeg((800, 600), exif_orientation=1))
    prepared = images.prepare(path)
    assert (prepared.width_px, prepared.height_px) == (800, 600)
    assert b"SecretCamera" not in prepared.blob
    Image.open(io.BytesIO(prepared.blob)).load()


# --- fonts and packaging ------------------------------------------------------------------


def test_fontconfig_accepts_stand_ins_for_every_named_font():
    text = fonts.config_text()
    for name in ("仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体", "Times New Roman"):
        assert f"<family>{name}</family>" in text
    assert text.count("<accept>") == len(fonts.SUBSTITUTES)
    assert "/etc/fonts/fonts.conf" in text


@pytest.mark.parametrize(
    "name, kind",
    [
        ("FandolFang-Regular", "仿宋"),
        ("FandolKai-Regular", "楷"),
        ("NotoSansCJKjp-Regular", "黑"),
        ("NotoSerifCJKjp-Black", "宋"),
        ("LiberationSerif", None),
    ],
)
def test_font_kinds(name, kind):
    assert fonts.kind_of(name) == kind


def test_zip_is_sorted_with_fixed_times(tmp_path):
    target = tmp_path / "a.zip"
    package.write_zip({"b.xml": b"<b/>", "a.jpeg": b"x", "[Content_Types].xml": b"<t/>"}, target)
    with zipfile.ZipFile(target) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["[Content_Types].xml", "a.jpeg", "b.xml"]
    assert {i.date_time for i in infos} == {package.FIXED_ZIP_TIME}
    assert infos[1].compress_type == zipfile.ZIP_STORED


def test_escape_drops_control_characters():
    assert ooxml.escape("a&b<c>\x01") == "a&amp;b&lt;c&gt;"
    fragments = ooxml.Fragments()
    holder = ooxml.el("body", None, fragments.placeholder("<w:p/>"))
    serialised = ooxml.xml_bytes(holder)
    assert b"<w:p/>" in fragments.expand(serialised) and b"fragment" not in fragments.expand(serialised)


@pytest.mark.slow  # starts and kills processes (or makes the photos afresh): CI runs it
def test_atomic_write_never_leaves_a_partial_file(tmp_path):
    """A writer killed in the middle leaves the old file whole (a plain write would leave a part)."""
    import signal
    import subprocess
    import sys
    import time

    target = tmp_path / "big.bin"
    target.write_bytes(b"old")
    script = (
        "import sys; from pathlib import Path; from casebook.outputs.book import package;"
        "sys.stdout.write('go'); sys.stdout.flush();"
        f"package.write_bytes(b'n' * 400_000_000, Path({str(target)!r}))"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    assert proc.stdout.read(2) == b"go"
    time.sleep(0.3)  # well into writing 400 MB
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert target.read_bytes() == b"old"
    package.write_bytes(b"data", tmp_path / "x.csv")
    assert (tmp_path / "x.csv").read_bytes() == b"data"


def test_titles_decide_only_ties_and_the_order_is_the_full_keys(small):
    import random

    cases = list(small.cases)
    for trial in range(50):
        rng = random.Random(trial)
        shuffled = [
            dataclasses.replace(c, unit=rng.choice(["甲厂", "乙厂", c.unit]), order=rng.choice([None, None, 1, 2]))
            for c in rng.sample(cases, len(cases))
        ]
        assert order.sorted_cases(shuffled) == sorted(shuffled, key=order.case_key), trial


def test_a_volume_made_again_unchanged_keeps_its_file(sample_root):
    """The same bytes again: the file (inode, times) stays, so the site's downloads see no change;
    different bytes replace it."""
    from casebook import pipeline
    from casebook.outputs.book import stage

    collection = pipeline.load(sample_root).collection
    out = sample_root / "build" / "book"
    first = stage.build_book(sample_root, collection, 2024, "public", out, make_pdf=False).docx
    before = first.stat()
    again = stage.build_book(sample_root, collection, 2024, "public", out, make_pdf=False).docx
    assert again == first and (again.stat().st_ino, again.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not list(out.glob(".*new*"))  # no staging left behind
    edited = dataclasses.replace(
        collection, cases=tuple(dataclasses.replace(c, title=c.title + "甲") for c in collection.cases)
    )
    third = stage.build_book(sample_root, edited, 2024, "public", out, make_pdf=False).docx
    assert third.stat().st_ino != before.st_ino


def test_a_volume_whose_inputs_did_not_change_is_not_made_again(sample_root, monkeypatch):
    """The manifest records what each file was made from (stage.build_key): the same again → nothing
    is built and the command says so; an edited afterword, a hand-edited file or another value to keep
    out of the book → made again."""
    from casebook import pipeline
    from casebook.outputs.book import stage

    out = sample_root / "build" / "book"
    assert run_cli("book", "--year", "2024", cwd=sample_root).returncode == 0
    built = []
    real = stage._make
    monkeypatch.setattr(stage, "_make", lambda *a, **k: built.append(1) or real(*a, **k))
    again = run_cli("book", "--year", "2024", cwd=sample_root)
    assert again.returncode == 0 and "2024 年度选编（公开版）无变化，未重新生成" in again.stdout and not built
    docx = next(out.glob("*2024*.docx"))
    first = docx.stat()
    (sample_root / "content" / "afterword.md").write_text("# 后记\n\n改过的后记。\n", encoding="utf-8")
    assert "已生成 2024 年度选编" in run_cli("book", "--year", "2024", cwd=sample_root).stdout and built == [1]
    docx.write_bytes(docx.read_bytes() + b"\0")  # edited by hand: made again
    run_cli("book", "--year", "2024", cwd=sample_root)
    assert built == [1, 1] and docx.stat().st_ino != first.st_ino
    collection = pipeline.load(sample_root).collection
    key = stage.build_key(collection, 2024, "public", False, False)
    other = dataclasses.replace(
        collection, cases=tuple(dataclasses.replace(c, contact=dataclasses.replace(c.contact, phone="13800001111"))
                                for c in collection.cases)
    )  # fmt: skip
    assert stage.build_key(other, 2024, "public", False, False) != key
    assert stage.build_key(collection, 2024, "public", False, True) != key


def test_the_fingerprint_follows_the_cases_and_their_photo_files(tmp_path):
    """Each case's part of a fingerprint is made once per case object; an edited case (a new object)
    and a photo file written again (same name, new contents) both give another fingerprint."""
    from casebook.publish import views

    root = make(tmp_path / "c", cases=3, photos=1)
    collection, _ = load(root)
    year = collection.cases[0].year
    first = views.fingerprint(collection, year)
    assert views.fingerprint(collection, year) == first
    retitled = dataclasses.replace(collection.cases[0], title=collection.cases[0].title + "（修订）")
    edited = dataclasses.replace(collection, cases=(retitled, *collection.cases[1:]))
    assert views.fingerprint(edited, year) != first
    photo = next(case.photos[0].path for case in collection.cases if case.year == year and case.photos)
    photo.write_bytes(photo.read_bytes() + b"\0")
    assert views.fingerprint(collection, year) != first
