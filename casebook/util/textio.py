"""Reading editors' text files: UTF-8 (with or without BOM, any line ends) or a clear refusal."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Encodings editors' tools commonly produce, tried in order to name what a file looks like.
_GUESSES = (("gb18030", "GBK/GB18030（Windows 中文默认编码）", "GB18030"), ("big5", "Big5（繁体中文）", "BIG5"))


@dataclass(frozen=True)
class DecodeFailure:
    encoding: str  # what the file looks like, in Chinese
    iconv: str  # the iconv name to convert from
    binary: bool = False  # not text at all


def decode(data: bytes) -> str | DecodeFailure:
    """Decode UTF-8 text, dropping a BOM and normalising CRLF/CR line ends to LF."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return DecodeFailure("UTF-16（带 BOM）", "UTF-16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        # NUL bytes never occur in UTF-8 text but fill every other byte of UTF-16 (ASCII keys);
        # anything else with NULs is not text at all (a picture or a Word file renamed).
        sample = data[:4096]
        order = "LE" if sample[1::2].count(0) > sample[0::2].count(0) else "BE"
        decoded = sample[: len(sample) // 2 * 2].decode(f"utf-16-{order.lower()}", errors="replace")
        readable = sum(ch.isprintable() or ch in "\r\n\t" for ch in decoded)
        if readable < 0.95 * max(1, len(decoded)):
            return DecodeFailure("", "", binary=True)
        return DecodeFailure(f"UTF-16 {order}（无 BOM）", f"UTF-16{order}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        for codec, label, iconv in _GUESSES:
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                continue
            return DecodeFailure(label, iconv)
        return DecodeFailure("未知编码", "原编码")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_text(path: Path) -> str | DecodeFailure:
    return decode(path.read_bytes())


def read_reported(path: Path, rel: str, report) -> str | None:
    """The text of an editor's file, or None with the reason reported at ``rel``: unreadable (E001),
    another encoding (E002), not text at all (E004)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        report.add(rel, None, "E001", detail=error.strerror or str(error))
        return None
    return decode_reported(data, rel, report)


def decode_reported(data: bytes, rel: str, report) -> str | None:
    """decode() of bytes already read, with E002/E004 reported at ``rel`` as read_reported does."""
    text = decode(data)
    if isinstance(text, DecodeFailure):
        if text.binary:
            report.add(rel, 1, "E004")
        else:
            report.add(rel, 1, "E002", encoding=text.encoding, iconv=text.iconv)
        return None
    return text
