"""Writing files safely: atomic replacement with unique temporary names, folder swaps, a build lock.

Every writer of the project goes through these, so that two builds at once never share a temporary
file, an interrupted build never leaves a half-written file in place, and published files get the
same modes whatever the umask (a web server must be able to read a copied site).
"""

from __future__ import annotations

import contextlib
import errno
import filecmp
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

FILE_MODE = 0o644
DIR_MODE = 0o755
_TEMP_PREFIX = ".tmp-"


def temp_path(target: Path) -> Path:
    """A fresh, unique temporary file next to ``target`` (same file system, so os.replace is atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f"{_TEMP_PREFIX}{os.getpid()}-", suffix=target.suffix, dir=target.parent)
    os.close(handle)
    return Path(name)


def write_bytes(target: Path, data: bytes | tuple[bytes, ...], mode: int = FILE_MODE, durable: bool = True) -> None:
    """Replace ``target`` with ``data`` atomically: readers see the old file or the new one, never a part.
    ``durable=False`` skips the fsync: for caches whose readers detect and rebuild a damaged file.
    A tuple of pieces is written one after the other (no copy of a large one to join them)."""
    temp = temp_path(target)
    try:
        with open(temp, "wb") as handle:
            for piece in data if isinstance(data, tuple) else (data,):
                handle.write(piece)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_text(target: Path, text: str, mode: int = FILE_MODE) -> None:
    write_bytes(target, text.encode("utf-8"), mode)


def write_if_changed(target: Path, data: bytes) -> bool:
    """Write only when the content differs (keeps mtimes for watchers); True when written."""
    try:
        if target.read_bytes() == data:
            return False
    except OSError:
        pass
    write_bytes(target, data)
    return True


def replace_if_changed(source: Path, target: Path) -> bool:
    """os.replace(source, target) unless target already holds the same bytes (then source is removed):
    an unchanged output keeps its inode and times, so what depends on it (the site's downloads) sees
    no change. True when replaced."""
    try:
        if target.stat().st_size == source.stat().st_size and filecmp.cmp(source, target, shallow=False):
            source.unlink()
            return False
    except OSError:
        pass
    os.replace(source, target)
    return True


def staging_dir(target: Path, tag: str = "new") -> Path:
    """A fresh, unique folder next to ``target`` for building its replacement."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{tag}-{os.getpid()}-", dir=target.parent))


def replace_dir(staging: Path, target: Path) -> None:
    """Put a finished folder in the place of ``target``; the old one is removed afterwards."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=target.parent))
        os.replace(target, old / target.name)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def set_modes(folder: Path) -> None:
    """644 for files, 755 for folders, below and including ``folder`` (independent of the umask)."""
    os.chmod(folder, DIR_MODE)
    for base, dirs, names in os.walk(folder):
        for name in dirs:
            os.chmod(os.path.join(base, name), DIR_MODE)
        for name in names:
            path = os.path.join(base, name)
            if not os.path.islink(path):
                os.chmod(path, FILE_MODE)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner_pid(name: str) -> int | None:
    """The process id encoded in a temporary or staging name made by this module, if any."""
    for part in name.split("-")[1:3]:
        if part.isdigit():
            return int(part)
    return None


def remove_leftovers(folder: Path, pattern: str) -> None:
    """Remove temporary files and folders matching ``pattern`` whose process is gone (a killed build);
    those of a build still running are left alone."""
    if not folder.is_dir():
        return
    for path in folder.glob(pattern):
        remove_if_dead(path)


def remove_if_dead(path: Path) -> None:
    """Remove one temporary file or folder unless the process that made it is still running."""
    pid = _owner_pid(path.name)
    if pid is not None and _pid_alive(pid):
        return
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def is_temporary(name: str) -> bool:
    """Whether ``name`` is one of temp_path's."""
    return name.startswith(_TEMP_PREFIX)


class LockError(RuntimeError):
    """The build lock cannot be had; the message is Chinese."""


class Busy(LockError):
    """Another build of the same collection holds the lock."""


def _try_lock(handle) -> bool:
    if os.name == "nt":
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            raise
        return False
    return True


@contextlib.contextmanager
def build_lock(root: Path, wait: float = 0.0, notify=None) -> Iterator[None]:
    """One build of a collection at a time: a second one waits up to ``wait`` seconds (saying so
    once through ``notify``), then refuses. The lock dies with its process, so a killed build never
    leaves it held."""
    import time

    folder = root / ".cache"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / "build.lock", "a+")  # noqa: SIM115 (held for the duration of the build)
    except OSError as error:
        reason = error.strerror or str(error)
        raise LockError(f"无法在 {folder} 创建生成锁（{reason}）：合集文件夹是否只读？") from error
    try:
        deadline = time.monotonic() + wait
        told = False
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise Busy(f"另一个生成任务正在处理此合集（{root}），请等它结束后再运行")
            if notify and not told:
                notify("另一个生成任务正在处理此合集，等待其结束……")
                told = True
            time.sleep(0.2)
        yield
    finally:
        handle.close()
