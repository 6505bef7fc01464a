"""The one photo pipeline (casebook.publish.assets) through the interfaces check, site and book use.

Every photo is made with Pillow in tmp_path, carrying marker strings in each kind of metadata; the real
derivative functions run on it and the *whole* output is searched for the markers. Most tests go through
photocheck.inspect, site.photos and book.images, so that they also show the bugs of the code before.
"""

from __future__ import annotations

import functools
import io
import json
import os
import signal
import struct
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from docx.image.image import Image as DocxImage
from PIL import Image, PngImagePlugin

from casebook.inputs import photocheck
from casebook.outputs.book import images
from casebook.outputs.site import photos

MARKERS = [b"EXIF-DESCRIPTION-MARKER", b"EXIF-MAKE-MARKER", b"COMMENT-MARKER", b"XMP-MARKER", b"PNG-TEXT-MARKER"]
GPS = {1: "N", 2: (31.0, 49.0, 12.0), 3: "E", 4: (117.0, 13.0, 30.0)}
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>XMP-MARKER</rdf:Description></x:xmpmeta>'


def picture(size: tuple[int, int], mode: str = "RGB", variant: int = 0) -> Image.Image:
    """Photo-like content (noise over a gradient): compresses like a photo, not like a flat colour.
    Pictures of one size are the same picture unless their ``variant`` differs."""
    image = _picture(size, mode).copy()
    if variant:
        image.paste("white", (0, 0, 16, 16 * variant))
    return image


@functools.cache
def _picture(size: tuple[int, int], mode: str) -> Image.Image:
    # Grain at half resolution, scaled up: a photo's texture at a fraction of the cost of full-size noise.
    grain = Image.effect_noise((size[0] // 2, size[1] // 2), 40).convert("L").resize(size, Image.Resampling.BILINEAR)
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGB", (grain, gradient, Image.eval(gradient, lambda v: 255 - v)))
    return image.convert(mode)


def exif(orientation: int = 1) -> Image.Exif:
    data = Image.Exif()
    data[0x0112] = orientation
    data[0x010E] = "EXIF-DESCRIPTION-MARKER"  # ImageDescription
    data[0x010F] = "EXIF-MAKE-MARKER"  # Make
    data[0x8825] = GPS
    return data


@functools.cache
def camera_jpeg(size: tuple[int, int], orientation: int = 1, variant: int = 0, **options) -> bytes:
    out = io.BytesIO()
    picture(size, variant=variant).save(
        out, "JPEG", quality=90, exif=exif(orientation), comment=b"COMMENT-MARKER", xmp=XMP, **options
    )
    return out.getvalue()


def without_jfif(data: bytes) -> bytes:
    """The JPEG with its JFIF APP0 removed (as cameras and libvips write them)."""
    assert data[2:4] == b"\xff\xe0" and data[6:11] == b"JFIF\0"
    return data[:2] + data[4 + int.from_bytes(data[4:6], "big") :]


def comment_first(data: bytes) -> bytes:
    """A valid JPEG whose first segment is a comment: SOI, COM, then the rest without JFIF."""
    rest = without_jfif(data)
    comment = b"COMMENT-MARKER written by a scanner"
    return rest[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + rest[2:]


@functools.cache
def png_with_text(size: tuple[int, int], mode: str = "RGB") -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "PNG-TEXT-MARKER tEXt")
    info.add_text("Description", "PNG-TEXT-MARKER zTXt", zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode(), lang="", tkey="")
    info.add(b"tIME", struct.pack(">HBBBBB", 2024, 5, 1, 12, 0, 0))
    out = io.BytesIO()
    picture(size, mode).save(out, "PNG", pnginfo=info, exif=exif(), compress_level=1)
    return out.getvalue()


def jpeg_segments(data: bytes) -> list[int]:
    """The markers before the first scan."""
    found, pos = [], 2
    while data[pos + 1] != 0xDA:
        found.append(data[pos + 1])
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return found


def png_chunks(data: bytes) -> list[bytes]:
    found, pos = [], 8
    while pos < len(data):
        found.append(data[pos + 4 : pos + 8])
        pos += 12 + int.from_bytes(data[pos : pos + 4], "big")
    return found


def assert_bare(blob: bytes) -> None:
    for marker in MARKERS:
        assert marker not in blob, marker
    assert b"Exif" not in blob and b"http://ns.adobe.com" not in blob and b"adobe:ns:meta" not in blob
    if blob.startswith(b"\x89PNG"):
        assert set(png_chunks(blob)) <= {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"pHYs", b"gAMA", b"cHRM"}
    else:
        assert set(jpeg_segments(blob)) <= {0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD}, [hex(m) for m in jpeg_segments(blob)]
        assert blob.endswith(b"\xff\xd9")


def assert_docx_accepts(blob: bytes, dpi: int = 300) -> None:
    image = DocxImage.from_blob(blob)  # raises UnrecognizedImageError for a JPEG without JFIF/Exif header
    if image.content_type == "image/jpeg":
        assert blob[6:11] == b"JFIF\0" and (image.horz_dpi, image.vert_dpi) == (dpi, dpi)


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- 1 and 3: the book's photos carry no metadata and python-docx accepts every one ---------------------


@pytest.mark.parametrize(
    "size, orientation",
    [((1600, 1200), 1), ((2400, 1800), 1), ((1200, 900), 6)],
    ids=["already-print-size", "downscaled", "rotated"],
)
def test_book_jpeg_loses_exif_gps_xmp_and_comments(tmp_path, size, orientation):
    path = write(tmp_path / "camera.jpg", camera_jpeg(size, orientation))
    assert all(marker in path.read_bytes() for marker in MARKERS[:4])
    prepared = images.prepare(path)
    assert_bare(prepared.blob)
    assert_docx_accepts(prepared.blob)
    expected = size if orientation == 1 else size[::-1]
    assert (prepared.width_px > prepared.height_px) == (expected[0] > expected[1])
    Image.open(io.BytesIO(prepared.blob)).load()


@pytest.mark.parametrize("size, mode", [((1200, 900), "RGB"), ((1200, 900), "RGBA"), ((2400, 1600), "RGB")])
def test_book_png_loses_text_time_and_exif_chunks(tmp_path, size, mode):
    path = write(tmp_path / "scan.png", png_with_text(size, mode))
    assert {b"tEXt", b"zTXt", b"iTXt", b"tIME", b"eXIf"} <= set(png_chunks(path.read_bytes()))
    prepared = images.prepare(path)
    assert_bare(prepared.blob)
    assert_docx_accepts(prepared.blob)
    with Image.open(io.BytesIO(prepared.blob)) as image:
        image.load()
        assert image.mode == mode or prepared.ext == "jpeg"


def test_jpeg_whose_first_segment_is_a_comment_goes_into_the_book(tmp_path):
    path = write(tmp_path / "scanner.jpg", comment_first(camera_jpeg((1200, 900))))
    Image.open(path).load()  # a valid JPEG
    prepared = images.prepare(path)
    assert prepared.blob[2:4] == b"\xff\xe0"
    assert_bare(prepared.blob)
    assert_docx_accepts(prepared.blob)


def test_camera_jpeg_without_jfif_gets_one_once_exif_is_gone(tmp_path):
    path = write(tmp_path / "camera.jpg", without_jfif(camera_jpeg((1200, 900))))
    assert path.read_bytes()[2:4] == b"\xff\xe1"  # APP1 Exif first: what python-docx needs, until stripped
    prepared = images.prepare(path)
    assert_bare(prepared.blob)
    assert_docx_accepts(prepared.blob)


def test_lossless_book_copy_keeps_the_scan_bytes(tmp_path):
    source = camera_jpeg((1600, 1200))
    prepared = images.prepare(write(tmp_path / "p.jpg", source))
    scan = source[source.index(b"\xff\xda") :]
    assert scan in prepared.blob  # segments rewritten, the picture not re-encoded


def test_motion_photo_video_is_not_published(tmp_path):
    video = b"\x00\x00\x00\x18ftypmp42VIDEO-MARKER" + bytes(range(200)) * 20
    path = write(tmp_path / "motion.jpg", camera_jpeg((1600, 1200)) + video)
    assert photocheck.inspect("motion.jpg", tmp_path, ("jpeg",)) == []
    assert b"VIDEO-MARKER" not in images.prepare(path).blob


def test_rgb_coded_jpeg_is_not_relabelled_as_ycbcr(tmp_path):
    """A JFIF header would make libjpeg read RGB-coded components as YCbCr: such a file is re-encoded."""
    image = picture((1200, 900))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, keep_rgb=True)  # Adobe APP14 with transform 0, no JFIF
    assert out.getvalue()[2:4] == b"\xff\xee"
    prepared = images.prepare(write(tmp_path / "rgb.jpg", out.getvalue()))
    with Image.open(io.BytesIO(prepared.blob)) as copy:
        pixel, original = copy.convert("RGB").getpixel((600, 450)), image.getpixel((600, 450))
    assert all(abs(a - b) < 40 for a, b in zip(pixel, original, strict=True)), (pixel, original)
    assert_docx_accepts(prepared.blob)


# --- 1: the site's photos too -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["camera.jpg", "scan.png", "scanner.jpg"])
def test_site_copies_carry_no_metadata(tmp_path, name):
    data = {
        "camera.jpg": lambda: camera_jpeg((2400, 1800), 6),
        "scan.png": lambda: png_with_text((1800, 1200), "RGBA"),
        "scanner.jpg": lambda: comment_first(camera_jpeg((1200, 900))),
    }[name]()
    sizes = photos.make(str(write(tmp_path / name, data)), str(tmp_path / "out"))
    for file in ("full.jpg", "thumb.jpg"):
        blob = (tmp_path / "out" / file).read_bytes()
        assert_bare(blob)
        with Image.open(io.BytesIO(blob)) as image:
            assert list(image.size) == sizes[file.removesuffix(".jpg")]
    if name == "camera.jpg":
        assert sizes == {"full": [1200, 1600], "thumb": [450, 600]}  # turned upright


# --- 2: integrity is a real decode ---------------------------------------------------------------------------


def cut(data: bytes, fraction: float) -> bytes:
    return data[: int(len(data) * fraction)]


@pytest.mark.parametrize("progressive", [False, True], ids=["baseline", "progressive"])
@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9])
def test_jpeg_cut_in_the_scan_but_ending_in_an_end_marker_is_incomplete(tmp_path, progressive, fraction):
    out = io.BytesIO()
    picture((1600, 1200)).save(out, "JPEG", quality=90, progressive=progressive)
    write(tmp_path / "cut.jpg", cut(out.getvalue(), fraction) + b"\xff\xd9")
    write(tmp_path / "whole.jpg", out.getvalue())
    problems = photocheck.inspect("cut.jpg", tmp_path, ("jpeg",))
    assert [p.code for p in problems] == ["E206"] and "中断" in problems[0].values["detail"]
    assert photocheck.inspect("whole.jpg", tmp_path, ("jpeg",)) == []


def _garbled(data: bytes, start_fraction: float, length: int) -> bytes:
    """The JPEG with ``length`` bytes of its scan data replaced by noise (no 0xFF, so no false markers)."""
    sos = data.index(b"\xff\xda")
    scan = sos + 2 + int.from_bytes(data[sos + 2 : sos + 4], "big")
    at = scan + int((len(data) - scan) * start_fraction)
    noise = bytes((i * 97 + 13) % 255 for i in range(length))
    return data[:at] + noise + data[at + length :]


@pytest.mark.parametrize("progressive", [False, True], ids=["baseline", "progressive"])
@pytest.mark.parametrize("start, length", [(0.0, 10**9), (0.4, 3000), (0.8, 300)], ids=["all", "middle", "late"])
def test_jpeg_with_garbage_in_its_scan_data_is_broken(tmp_path, progressive, start, length):
    out = io.BytesIO()
    picture((1200, 900)).save(out, "JPEG", quality=90, progressive=progressive)
    data = out.getvalue()
    garbled = _garbled(data[:-2], start, min(length, len(data) - 2 - data.index(b"\xff\xda") - 20)) + b"\xff\xd9"
    Image.open(io.BytesIO(garbled)).load()  # Pillow decodes it without a word
    write(tmp_path / "garbled.jpg", garbled)
    problems = photocheck.inspect("garbled.jpg", tmp_path, ("jpeg",))
    assert [p.code for p in problems] == ["E206"], problems


def test_a_few_stray_bytes_before_the_end_marker_are_harmless(tmp_path):
    """Some encoders leave a byte or two before EOI; libjpeg warns, the picture is whole."""
    out = io.BytesIO()
    picture((1200, 900)).save(out, "JPEG", quality=90)
    write(tmp_path / "stray.jpg", out.getvalue()[:-2] + b"\x00\x00\xff\xd9")
    assert photocheck.inspect("stray.jpg", tmp_path, ("jpeg",)) == []


@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_a_mid_grey_photo_is_not_mistaken_for_a_cut_one(tmp_path, mode):
    """Unread blocks decode to mid-grey: a photo that really ends in mid-grey must still pass."""
    for progressive in (False, True):
        out = io.BytesIO()
        Image.new(mode, (1600, 1200), 128 if mode == "L" else (128, 128, 128)).save(
            out, "JPEG", progressive=progressive, optimize=True
        )
        write(tmp_path / f"grey-{progressive}.jpg", out.getvalue())
        assert photocheck.inspect(f"grey-{progressive}.jpg", tmp_path, ("jpeg",)) == []


def test_cut_file_without_end_marker_and_broken_png(tmp_path):
    write(tmp_path / "a.jpg", cut(camera_jpeg((1600, 1200)), 0.5))
    write(tmp_path / "b.png", cut(png_with_text((1200, 900)), 0.7))
    assert [p.code for p in photocheck.inspect("a.jpg", tmp_path, ("jpeg",))] == ["E206"]
    assert [p.code for p in photocheck.inspect("b.png", tmp_path, ("png",))] == ["E206"]


# --- 5: one pixel limit ------------------------------------------------------------------------------


def blank_png(width: int, height: int) -> bytes:
    """A 1-bit all-black PNG: megapixels on the header, a few KB on disk."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


@pytest.mark.slow  # measures the worst case: a few seconds
def test_a_200_megapixel_phone_photo_passes_check_and_is_processed(tmp_path):
    path = write(tmp_path / "phone.png", blank_png(16_320, 12_240))  # 199.8 million pixels
    assert photocheck.inspect("phone.png", tmp_path, ("png",)) == []
    prepared = images.prepare(path)
    assert 1843 <= prepared.width_px <= 1843 * images.SLACK and prepared.ext == "jpeg"
    assert photos.make(str(path), str(tmp_path / "web"))["full"] == [1600, 1200]


def test_a_decompression_bomb_is_refused_everywhere(tmp_path):
    path = write(tmp_path / "bomb.png", blank_png(20_000, 20_000))
    problems = photocheck.inspect("bomb.png", tmp_path, ("png",))
    assert [p.code for p in problems] == ["E207"] and problems[0].values["size"] == "20000×20000"
    assert problems[0].values["limit"] == photocheck.MAX_PIXELS // 10_000
    assert isinstance(images.prepare_safe(path), images.PhotoError)
    assert Image.MAX_IMAGE_PIXELS == Image.MAX_IMAGE_PIXELS  # noqa: PLR0124 (global left as found)


# --- the decode cache of check -------------------------------------------------------------------------


def collection_photo(tmp_path: Path, data: bytes, name: str = "1.jpg") -> tuple[Path, Path]:
    folder = tmp_path / "root" / "cases" / "2024" / "case"
    return write(folder / name, data), folder


def test_second_check_decodes_nothing_and_a_touched_file_is_not_decoded_again(tmp_path):
    from casebook.publish import assets

    path, folder = collection_photo(tmp_path, camera_jpeg((1600, 1200)))
    before = assets.DECODES
    assert photocheck.inspect("1.jpg", folder, ("jpeg",)) == []
    assert assets.DECODES == before + 1
    assets.forget()  # as a new `check` process would start
    assert photocheck.inspect("1.jpg", folder, ("jpeg",)) == []
    assert assets.DECODES == before + 1
    assert list((tmp_path / "root" / ".cache" / "assets").iterdir())
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))  # touched: hashed again, not decoded
    write(folder / "copy.jpg", path.read_bytes())  # same content elsewhere: not decoded either
    assets.forget()
    assert photocheck.inspect("1.jpg", folder, ("jpeg",)) == photocheck.inspect("copy.jpg", folder, ("jpeg",)) == []
    assert assets.DECODES == before + 1
    write(path, cut(path.read_bytes(), 0.5) + b"\xff\xd9")  # edited: decoded, and found broken
    assert [p.code for p in photocheck.inspect("1.jpg", folder, ("jpeg",))] == ["E206"]
    assert assets.DECODES == before + 2


def test_damaged_check_cache_is_rebuilt(tmp_path):
    from casebook.publish import assets

    _, folder = collection_photo(tmp_path, cut(camera_jpeg((1600, 1200)), 0.6) + b"\xff\xd9")
    first = photocheck.inspect("1.jpg", folder, ("jpeg",))
    assets.forget()
    for file in (tmp_path / "root" / ".cache").rglob("*.json"):
        file.write_bytes(file.read_bytes()[:7])  # cut mid-JSON
    assert photocheck.inspect("1.jpg", folder, ("jpeg",)) == first
    assets.forget()
    stat = (folder / "1.jpg").stat()
    signature = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
    for file in (tmp_path / "root" / ".cache").rglob("*.json"):  # valid JSON, wrong shapes and types
        wrong = {"format": 5, "width": "x"} if file.parent.name == "facts" else {"1.jpg": [signature, "x", [1]]}
        file.write_text(json.dumps(wrong))
    assert photocheck.inspect("1.jpg", folder, ("jpeg",)) == first
    assert [p.code for p in first] == ["E206"]


# --- 4: derivative caches by content hash, atomic entries, damage rebuilt -------------------------------


def case_photos(tmp_path: Path, count: int) -> list[Path]:
    """One distinct photo in each of ``count`` case folders of a collection."""
    base = tmp_path / "root" / "cases" / "2024"
    return [write(base / f"case{i}" / "1.jpg", camera_jpeg((1000, 800), variant=1 + i)) for i in range(count)]


def _examined(path: Path) -> str | None:
    from casebook.publish import assets

    return assets.examine(path).format


def test_a_cold_check_writes_one_memo_not_one_per_folder(tmp_path):
    from casebook.publish import assets

    for path in case_photos(tmp_path, 3):
        assert photocheck.inspect("1.jpg", path.parent, ("jpeg",)) == []
    assets.flush()
    store = next((tmp_path / "root" / ".cache" / "assets").iterdir())
    memo = [p.relative_to(store).as_posix() for p in store.rglob("*") if p.is_file() and p.parent.name != "facts"]
    assert memo == ["memo.json"]
    assets.forget()


def test_entries_found_by_workers_survive_into_the_next_run(tmp_path, monkeypatch):
    from casebook.publish import assets

    paths = case_photos(tmp_path, 4)
    assert assets.process_map(_examined, paths, workers=2) == ["JPEG"] * 4  # forked workers, as the loader's
    assets.forget()  # the next run, which must read no photo's bytes
    monkeypatch.setattr(assets, "open", lambda *args: pytest.fail(f"{args[0]} was read again"), raising=False)
    assert [_examined(path) for path in paths] == ["JPEG"] * 4
    assert len({assets.digest(path) for path in paths}) == 4
    assets.forget()  # the main process merges the workers' parts into the one memo
    store = next((tmp_path / "root" / ".cache" / "assets").iterdir())
    assert (store / "memo.json").is_file() and not list((store / "memo-parts").iterdir())
    assert [_examined(path) for path in paths] == ["JPEG"] * 4
    assets.forget()


def test_site_cache_hits_and_rebuilds_a_damaged_entry(tmp_path):
    sources = [write(tmp_path / f"{i}.jpg", camera_jpeg((1600, 1200), variant=i)) for i in range(2)]
    write(tmp_path / "same.jpg", sources[0].read_bytes())
    sources.append(tmp_path / "same.jpg")
    cache = photos.PhotoCache(tmp_path / "cache")
    made = cache.derive(sources, workers=1)
    assert cache.processed == 2 and made[sources[0]] == made[sources[2]]  # one entry per content
    again = photos.PhotoCache(tmp_path / "cache")
    assert again.derive(sources, workers=1) == made and again.processed == 0
    entry = made[sources[0]].full.parent
    for damage in (
        lambda: (entry / "meta.json").write_bytes(b'{"files": {"full.j'),  # cut marker
        lambda: (entry / "meta.json").write_bytes(b"[]"),
        lambda: (entry / "thumb.jpg").unlink(),
        lambda: (entry / "full.jpg").write_bytes((entry / "full.jpg").read_bytes()[:100]),
    ):
        damage()
        rebuilt = photos.PhotoCache(tmp_path / "cache")
        assert rebuilt.derive(sources, workers=1) == made and rebuilt.processed == 1
        Image.open(made[sources[0]].full).load()


def test_site_cache_drops_entries_of_other_settings_and_dead_builds_leftovers(tmp_path):
    source = write(tmp_path / "a.jpg", camera_jpeg((1600, 1200)))
    stale = tmp_path / "cache" / f"{'0' * 32}-{'1' * 10}"
    write(stale / "meta.json", b"{}")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    entry = photos.PhotoCache(tmp_path / "cache").derive([source], workers=1)[source].full.parent
    leftover = write(entry / f".tmp-{dead.stdout.strip()}-x.jpg", b"half")
    mine = write(entry / f".tmp-{os.getpid()}-y.jpg", b"being written")
    photos.PhotoCache(tmp_path / "cache").derive([source], workers=1)
    assert not stale.exists() and not leftover.exists() and mine.exists()


def test_book_cache_is_keyed_by_content_and_rebuilt_when_damaged(tmp_path, monkeypatch):
    from casebook.publish import assets

    calls = []
    real = assets.print_copy
    monkeypatch.setattr(assets, "print_copy", lambda data, spec: calls.append(1) or real(data, spec))
    first = write(tmp_path / "a" / "1.jpg", camera_jpeg((2400, 1800)))
    second = write(tmp_path / "b" / "1.jpg", first.read_bytes())
    made = images.prepare_all([first], tmp_path / "cache")
    assert len(calls) == 1
    os.utime(first, ns=(time.time_ns(), time.time_ns() + 10**9))  # a path+mtime key would miss here
    again = images.prepare_all([first, second], tmp_path / "cache")
    assert len(calls) == 1 and again[first] == again[second] == made[first]
    for marker in (tmp_path / "cache").rglob("meta.json"):
        marker.write_bytes(b"{")
    assert images.prepare_all([first], tmp_path / "cache") == made and len(calls) == 2
    assert_bare(made[first].blob)


@pytest.mark.slow  # measures the worst case: a few seconds
def test_two_builds_at_once_share_the_cache_without_collisions(tmp_path):
    sources = [write(tmp_path / f"{i}.jpg", camera_jpeg((1800, 1200), variant=i)) for i in range(6)]
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from casebook.outputs.site.photos import PhotoCache
        sources = [Path(p) for p in {[str(s) for s in sources]!r}]
        made = PhotoCache(Path({str(tmp_path / "cache")!r})).derive(sources, workers=1)
        assert len(made) == 6
        """
    )
    runs = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(2)]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    again = photos.PhotoCache(tmp_path / "cache")
    again.derive(sources, workers=1)
    assert again.processed == 0
    assert not list((tmp_path / "cache").rglob(".tmp-*"))


# --- worker processes ---------------------------------------------------------------------------------


@pytest.mark.slow  # starts and kills processes (or makes the photos afresh): CI runs it
def test_workers_die_with_a_killed_parent(tmp_path):
    script = textwrap.dedent(
        f"""
        import os, time
        from pathlib import Path
        from casebook.publish import assets

        def stay(index):
            Path({str(tmp_path)!r}, f"worker-{{os.getpid()}}").touch()
            time.sleep(60)

        assets.process_map(stay, [1, 2], workers=2)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 30
        while len(list(tmp_path.glob("worker-*"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = [int(p.name.split("-")[1]) for p in tmp_path.glob("worker-*")]
        assert len(workers) == 2
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = [pid for pid in workers if _alive(pid)]
    for pid in survivors:  # our own workers: do not leave them behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not survivors


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_an_editors_logo_is_published_without_metadata_and_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned: shown upright only by viewers that read EXIF
    exif[0x013B] = "设计师李雪梅"
    out = io.BytesIO()
    Image.new("RGB", (80, 40), "#b71c1c").save(out, "JPEG", exif=exif, comment=b"secret comment")
    from casebook.publish import assets

    jpeg = assets.bare_picture(out.getvalue(), ".jpg")
    with Image.open(io.BytesIO(jpeg)) as opened:
        assert opened.size == (40, 80) and not opened.getexif() and b"secret" not in jpeg
    out = io.BytesIO()
    Image.new("RGBA", (30, 20), (200, 0, 0, 128)).save(out, "WEBP", exif=exif, lossless=True)
    webp = assets.bare_picture(out.getvalue(), ".webp")
    with Image.open(io.BytesIO(webp)) as opened:
        assert opened.format == "WEBP" and not opened.getexif() and "设计师".encode() not in webp
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    assert assets.bare_picture(svg, ".svg") == svg  # text, searched by verify like a page
    with pytest.raises((ValueError, OSError)):
        assets.bare_picture(b"GIF89a" + b"\0" * 20, ".gif")
