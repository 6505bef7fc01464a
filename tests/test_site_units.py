"""Small, fast tests of the site generator's parts (no engine run)."""

from __future__ import annotations

import re

import pytest

from casebook.outputs.site import urls
from casebook.outputs.site.sanitize import Renderer, clean, heading, md_text, plain, split_headings, to_markdown
from casebook.publish.sortkey import initial


@pytest.fixture(scope="module")
def renderer():
    return Renderer()


def test_clean_keeps_formatting_and_drops_danger():
    html = clean('<p onclick="x" style="color:red">甲<b>乙</b><script>bad()</script><a href="javascript:x">丙</a></p>')
    assert html == '<p>甲<b>乙</b><a rel="noopener noreferrer nofollow">丙</a></p>'


def test_headings_become_markdown_with_anchors(renderer):
    html = renderer.to_html("## 一、基本情况\n\n正文\n\n### （一）做法\n\n更多")
    markdown = to_markdown(split_headings(html))
    assert markdown.startswith("## 一、基本情况 {#一基本情况}\n")
    assert "### （一）做法 {#一做法}" in markdown


def test_text_helpers():
    assert md_text("a*b_[c]<d>&") == r"a\*b\_\[c\]&lt;d&gt;&amp;"
    assert plain('</title><script>"x"') == "＜/title＞＜script＞＂x＂"
    assert re.fullmatch(r"## 标题 \{#h-[0-9a-f]{8}\}", heading(2, "标题", "__bad"))


@pytest.mark.parametrize(
    ("origin", "target", "expected"),
    [
        ("", "cases/x/", "cases/x/"),
        ("browse/category/qiye/", "cases/x/", "../../../cases/x/"),
        ("cases/x/", "cases/x/photo-1.jpg", "photo-1.jpg"),
        ("cases/x/", "", "../../"),
        ("all/", "downloads/cases.csv", "../downloads/cases.csv"),
        ("cases/x/", "cases/x/", "./"),
    ],
)
def test_relative_links(origin, target, expected):
    assert urls.relative(origin, target) == expected


def test_slugs_are_ascii_and_unique():
    slugs = urls.unique_slugs(["重庆渝江齿轮", "长沙湘麓", "厦门鹭岛", "江淮机械行业", "重庆", "崇庆"])
    assert slugs["重庆渝江齿轮"].startswith("chongqing") and slugs["长沙湘麓"].startswith("changsha")
    assert slugs["厦门鹭岛"].startswith("xiamen") and "hangye" in slugs["江淮机械行业"]
    assert len(set(slugs.values())) == 6 and all(re.fullmatch(r"[a-z0-9-]+", s) for s in slugs.values())


def test_initials_follow_polyphones():
    assert initial("重庆渝江齿轮") == "C" and initial("长沙湘麓") == "C" and initial("厦门鹭岛") == "X"
    assert initial("ABB中国") == "A" and initial("123厂") == "#"


def test_png_with_alpha_becomes_a_flat_jpeg(tmp_path):
    from PIL import Image

    from casebook.outputs.site.photos import make

    source = tmp_path / "a.png"
    Image.new("RGBA", (2400, 1200), (255, 0, 0, 0)).save(source)
    sizes = make(str(source), str(tmp_path / "out"))
    assert sizes == {"full": [1600, 800], "thumb": [600, 300]}
    with Image.open(tmp_path / "out" / "full.jpg") as image:
        assert image.format == "JPEG" and image.mode == "RGB"
        assert image.getpixel((10, 10)) == (255, 255, 255)  # transparent → white, not black


def test_engine_config_keeps_the_generator_in_charge(tmp_path):
    from casebook.document import EXTENSIONS
    from casebook.outputs.site import mkdocs_config

    base = {
        "theme": {"name": "readthedocs", "font": {"text": "Roboto"}, "palette": {"primary": "red"}},
        "plugins": ["tags", "search"],
        "hooks": ["evil.py"],
        "markdown_extensions": ["admonition", "pymdownx.superfences"],
        "extra_css": ["https://cdn.example/x.css", "//cdn.example/y.css", "local.css"],
        "extra_javascript": ["https://cdn.example/x.js"],
        "copyright": "版权所有",
    }
    config = mkdocs_config.generate(
        base, site_name="名", docs_dir=tmp_path, site_dir=tmp_path, theme_dir=tmp_path, user_dict=tmp_path / "d",
        nav=[], extra={"organiser": "", "icp": ""},
    )  # fmt: skip
    assert config["theme"]["name"] == "material" and config["theme"]["font"] is False
    assert config["theme"]["palette"] == {"primary": "red"} and config["copyright"] == "版权所有"
    assert config["plugins"] == [] and "hooks" not in config  # editors' plugins ignored; the search is the site's own
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert names == list(EXTENSIONS)
    assert config["extra_css"] == ["assets/casebook/casebook.css", "assets/casebook/search.css", "local.css"]
    assert config["extra_javascript"] == ["assets/casebook/casebook.js", "assets/casebook/search.js"]
    assert "python/object/apply:pymdownx.slugs.slugify" in mkdocs_config.dump(config)


def test_engine_config_drops_settings_that_call_other_hosts(tmp_path):
    from casebook.outputs.site import mkdocs_config

    base = {
        "repo_url": "https://github.com/example/cases",
        "edit_uri": "edit/main/cases/",
        "theme": {"logo": "https://cdn.example/logo.png", "favicon": "assets/icon.png"},
        "extra": {"analytics": {"provider": "google", "property": "G-XXXX"}, "consent": {"title": "x"}, "note": "留"},
    }
    config = mkdocs_config.generate(
        base, site_name="名", docs_dir=tmp_path, site_dir=tmp_path, theme_dir=tmp_path, user_dict=tmp_path / "d",
        nav=[], extra={"organiser": "", "icp": ""},
    )  # fmt: skip
    assert "repo_url" not in config and "edit_uri" not in config
    assert "logo" not in config["theme"] and config["theme"]["favicon"] == "assets/icon.png"
    assert "analytics" not in config["extra"] and "consent" not in config["extra"]
    assert config["extra"]["note"] == "留"


def test_engine_config_paths_are_relative_to_its_folder(tmp_path):
    """Zensical refuses an absolute docs_dir and a site_dir outside the config's folder; both engines
    read relative ones against the file's folder (tests/test_zensical.py builds the real file)."""
    from casebook.outputs.site import mkdocs_config

    cache = tmp_path / ".cache" / "site"
    common = {"site_name": "名", "theme_dir": tmp_path, "nav": [], "extra": {"organiser": "", "icp": ""}}
    config = mkdocs_config.generate({}, docs_dir=cache / "docs", site_dir=cache / "serve-site", **common)
    assert (config["docs_dir"], config["site_dir"]) == ("docs", "serve-site")  # beside the config, by default
    config = mkdocs_config.generate(
        {"docs_dir": "/elsewhere", "site_dir": "/x"}, docs_dir=cache / "docs", site_dir=tmp_path / "out",
        config_dir=cache, **common,
    )  # fmt: skip
    assert (config["docs_dir"], config["site_dir"]) == ("docs", "../../out")  # the editors' values never count
    assert "docs_dir: docs\n" in mkdocs_config.dump(config)
