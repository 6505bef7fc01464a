"""`python build.py serve`: the preview shows an edited case and a replaced photo without a restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import PROJECT
from PIL import Image
from test_site_helpers import EXIF_SLUG, make_collection


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except OSError:
        return None


def _wait_for(check, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError("timed out")


def test_serve_reloads_edited_case_and_photo(tmp_path: Path):
    root = make_collection(tmp_path / "collection")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "--root", str(root), "serve", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)  # fmt: skip
    try:
        page = base + "cases/banzu-weixuanjiang/"
        _wait_for(lambda: b"cb-facts" in (_get(page) or b""))
        case = root / "cases" / "2024" / "华东重机-班组微宣讲走进车间" / "index.md"
        case.write_text(case.read_text(encoding="utf-8").replace("三员合一", "四员合一"), encoding="utf-8")
        _wait_for(lambda: "四员合一".encode() in (_get(page) or b""))

        photo_url = base + f"cases/{EXIF_SLUG}/photo-1.jpg"
        before = _get(photo_url)
        assert before
        Image.new("RGB", (1500, 1000), (10, 200, 10)).save(root / "cases" / "2024" / "照片测试厂-照片元数据" / "1.jpg")

        def replaced() -> bool:
            data = _get(photo_url)
            return bool(data) and data != before

        _wait_for(replaced)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    assert proc.returncode is not None


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(child) for child in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has died; only its entry waits


def test_kill_9_of_serve_takes_its_engine_down(tmp_path: Path):
    """A killed preview must not leave the engine serving a stale site on the port."""
    root = make_collection(tmp_path / "collection")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "--root", str(root), "serve", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONIOENCODING="utf-8"))  # fmt: skip
    try:
        _wait_for(lambda: _get(base))
        engines = _children(proc.pid)
        assert engines, "the engine runs as a child of serve"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        _wait_for(lambda: not any(_alive(pid) for pid in engines), seconds=15)
        _wait_for(lambda: _get(base) is None, seconds=15)
    finally:
        if proc.poll() is None:
            proc.kill()
        log.close()
