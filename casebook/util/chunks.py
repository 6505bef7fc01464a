"""A cache file of marshal chunks after a magic line, each chunk framed by its length and CRC-32: the
first holds everything, and a build that changed little appends what it changed instead of writing
tens of megabytes again (the site's build cache, the search index's state).

marshal, never pickle: loading builds plain values and runs nothing. The file is a cache: an append is
not atomic, and a chunk cut short by a crash fails its frame, which ends what is read.
"""

from __future__ import annotations

import marshal
import zlib
from pathlib import Path

from casebook.util import files

MAX_CHUNKS = 8  # then the file is written whole again: it stays within a few times what it holds


def signature(path: Path) -> tuple | None:
    """What identifies the file as it is now (an append continues exactly the file that was read)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns


def frame(body: object) -> bytes:
    data = marshal.dumps(body)
    return len(data).to_bytes(4, "big") + zlib.crc32(data).to_bytes(4, "big") + data


def read(path: Path, magic: bytes) -> tuple[list, bool]:
    """The bodies of the file's sound chunks in order, and whether every chunk was sound (False also
    for a missing or foreign file, with no bodies)."""
    try:
        raw = memoryview(path.read_bytes())
    except OSError:
        return [], False
    if raw[: len(magic)] != magic:
        return [], False
    bodies, at = [], len(magic)
    while at < len(raw):
        size, crc = int.from_bytes(raw[at : at + 4], "big"), int.from_bytes(raw[at + 4 : at + 8], "big")
        data = raw[at + 8 : at + 8 + size]
        if len(data) != size or zlib.crc32(data) != crc:
            return bodies, False
        try:
            bodies.append(marshal.loads(data))
        except (ValueError, EOFError, TypeError):
            return bodies, False
        at += 8 + size
    return bodies, True


def write(path: Path, magic: bytes, body: object) -> None:
    """The file anew with one chunk, atomically (a cache: no fsync)."""
    files.write_bytes(path, (magic, frame(body)), durable=False)


def append(path: Path, body: object, expected: tuple | None) -> bool:
    """One chunk more, if the file is still the one with signature ``expected``; False: it is not
    (missing, or written since), nothing was appended."""
    if expected is None or signature(path) != expected:
        return False
    with open(path, "ab") as handle:  # no fsync (a cache): a cut-off chunk is detected, not prevented
        handle.write(frame(body))
    return True


def save(path: Path, magic: bytes, whole: object, change: object | None, count: int, expected: tuple | None) -> int:
    """``change`` appended to the file of ``count`` chunks read with signature ``expected``, or (no
    change given, too many chunks, the file not as read) ``whole`` written anew; the new count."""
    if change is not None and 0 < count < MAX_CHUNKS and append(path, change, expected):
        return count + 1
    write(path, magic, whole)
    return 1
