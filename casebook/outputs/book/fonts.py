"""The private fontconfig file given to LibreOffice: each font the format names is mapped to an
installed free font of the same kind, with <accept> so that the real font still wins where present."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from casebook.outputs.book import styles

# font named in the DOCX -> stand-ins of the same kind, best first
SUBSTITUTES: dict[str, tuple[str, ...]] = {
    styles.FANG: ("FandolFang", "FangSong", "仿宋", "AR PL UKai CN"),
    "仿宋": ("FandolFang", "FangSong", "AR PL UKai CN"),
    "FangSong": ("FandolFang", "仿宋"),
    styles.KAI: ("FandolKai", "AR PL UKai CN", "LXGW WenKai", "楷体"),
    "楷体": ("FandolKai", "AR PL UKai CN", "LXGW WenKai"),
    "KaiTi": ("FandolKai", "AR PL UKai CN"),
    styles.HEI: ("Noto Sans CJK SC", "FandolHei", "WenQuanYi Zen Hei"),
    "SimHei": ("Noto Sans CJK SC", "FandolHei"),
    styles.SONG: ("Noto Serif CJK SC", "FandolSong", "AR PL UMing CN"),
    "SimSun": ("Noto Serif CJK SC", "FandolSong"),
    styles.XIAOBIAOSONG: ("Noto Serif CJK SC Black", "Noto Serif CJK SC", "FandolSong"),
    "方正小标宋_GBK": ("Noto Serif CJK SC Black", "Noto Serif CJK SC"),
    "华文中宋": ("Noto Serif CJK SC Black", "Noto Serif CJK SC"),
    "STZhongsong": ("Noto Serif CJK SC Black", "Noto Serif CJK SC"),
    styles.TIMES: ("Nimbus Roman", "Liberation Serif", "Tinos"),
}
FONT_DIRS = ("/usr/local/share/fonts", "/usr/share/fonts")

# kinds, for checking a PDF's fonts: a pdffonts name -> 仿宋 / 楷 / 黑 / 宋
KIND_PATTERNS = {
    "仿宋": ("fang",),
    "楷": ("kai",),
    "黑": ("sanscjk", "sans-cjk", "hei"),
    "宋": ("serifcjk", "serif-cjk", "song", "ming"),
}


def kind_of(font_name: str) -> str | None:
    lowered = font_name.lower().replace(" ", "")
    for kind, patterns in KIND_PATTERNS.items():
        if any(p in lowered for p in patterns):
            return kind
    return None


def config_text(extra_dirs: tuple[str, ...] = ()) -> str:
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        "<fontconfig>",
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    ]
    for directory in (*FONT_DIRS, *extra_dirs):
        lines.append(f"  <dir>{escape(directory)}</dir>")
    for name, candidates in SUBSTITUTES.items():
        lines.append('  <alias binding="strong">')
        lines.append(f"    <family>{escape(name)}</family>")
        lines.append("    <accept>" + "".join(f"<family>{escape(c)}</family>" for c in candidates) + "</accept>")
        lines.append("  </alias>")
    lines.append("</fontconfig>")
    return "\n".join(lines) + "\n"


def write_config(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fonts.conf"
    path.write_text(config_text(), encoding="utf-8")
    return path
