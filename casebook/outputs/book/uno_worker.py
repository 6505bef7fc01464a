"""LibreOffice ready before it is needed: run by the Python that has LibreOffice's ``uno`` module
(Debian's python3-uno, usually /usr/bin/python3), never imported by casebook itself (standard library
+ uno only).

    python3 uno_worker.py SOFFICE WORK_DIR PIPE_PREFIX

keeps one soffice listening on a pipe of its own (``PIPE_PREFIX-N``), with a private profile copied
from WORK_DIR/profile, in a process group of its own; prints ``ready`` and then reads one JSON
request per line from stdin: ``{"source": "/…/book.docx", "target": "/…/book.pdf", "filter":
"writer_pdf_Export", "options": {"IsSkipEmptyPages": ["boolean", "false"], …}}``, answering
``{"ok": true}`` or ``{"ok": false, "error": "…"}``.

Every conversion is the first of a fresh soffice with a fresh profile, as with ``soffice
--convert-to``: LibreOffice numbers the /UniqueID of the Type 1 fonts it embeds per process (4100001,
4100002, …), so a second conversion in the same process gives other bytes. The next soffice is started
as soon as a conversion is done, while the caller lays the volume out again, and the used one is
stopped: the start-up is hidden, the bytes are those of the one-off path.

At the end of stdin, SIGTERM (the build died: see casebook.util.children) or an error, the soffice is
killed with its process group and its profile removed; after SIGTERM WORK_DIR too (else the caller
removes it; named with the caller's pid, a leftover is removed by the next build).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import time

# LibreOffice's Python bridge, present only in the Python that runs this script: not a dependency of
# the project (pyproject.toml), so not imported by an import statement. uno installs the import hook
# through which com.sun.star's exceptions are found.
uno = __import__("uno")
NoConnectException = __import__("com.sun.star.connection", fromlist=["NoConnectException"]).NoConnectException

CONNECT_S = 90.0


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)


def _property(name: str, value):
    prop = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    prop.Name = name
    prop.Value = value
    return prop


def _typed(kind: str, value: str):
    if kind == "boolean":
        return value.lower() == "true"
    if kind in ("long", "short", "int"):
        return int(value)
    return value


class Office:
    """One soffice: started at once, connected to when the first request comes."""

    def __init__(self, soffice: str, work_dir: str, pipe: str):
        self.pipe = pipe
        self.profile = os.path.join(work_dir, pipe)
        shutil.copytree(os.path.join(work_dir, "profile"), self.profile)
        self.desktop = None
        self.process = subprocess.Popen(
            [
                soffice,
                f"-env:UserInstallation=file://{self.profile}",
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                "--nodefault",
                "--nolockcheck",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )

    def connect(self) -> None:
        if self.desktop is not None:
            return
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + CONNECT_S
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("LibreOffice did not start") from None
                time.sleep(0.05)
        self.desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)

    def convert(self, source: str, target: str, filter_name: str, options: dict) -> None:
        self.connect()
        load = (_property("Hidden", True), _property("ReadOnly", True), _property("UpdateDocMode", 0))
        document = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, load)
        if document is None:
            raise RuntimeError("LibreOffice could not open the document")
        try:
            data = tuple(_property(name, _typed(kind, value)) for name, (kind, value) in options.items())
            store = (
                _property("FilterName", filter_name),
                _property("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", data)),
            )
            uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(target), store))
        finally:
            with contextlib.suppress(Exception):
                document.close(True)

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.desktop is not None:
            with contextlib.suppress(Exception):
                self.desktop.terminate()
            with contextlib.suppress(Exception):
                self.process.wait(timeout=5)
        self.kill()
        with contextlib.suppress(Exception):
            self.process.wait(timeout=5)
        shutil.rmtree(self.profile, ignore_errors=True)


def main(argv: list[str]) -> int:
    _die_with_parent()
    soffice, work_dir, prefix = argv[1:4]
    count = 0
    office: Office | None = None

    def fresh() -> Office:
        nonlocal count
        count += 1
        return Office(soffice, work_dir, f"{prefix}-{count}")

    def on_term(_signum, _frame):
        if office is not None:
            office.kill()
        shutil.rmtree(work_dir, ignore_errors=True)  # the build that owned it is gone
        os._exit(1)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    try:
        office = fresh()
        office.connect()
    except Exception as error:  # noqa: BLE001 - the caller falls back to one soffice per conversion
        print(json.dumps({"ok": False, "error": str(error)}), flush=True)
        if office is not None:
            office.stop()
        return 1
    print("ready", flush=True)
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            try:
                office.convert(request["source"], request["target"], request["filter"], request["options"])
                answer = {"ok": True}
            except Exception as error:  # noqa: BLE001 - reported to the caller in its reply
                answer = {"ok": False, "error": f"{type(error).__name__}: {error}"}
            used, office = office, fresh()  # the next one starts while the caller works
            print(json.dumps(answer), flush=True)
            used.stop()
    finally:
        if office is not None:
            office.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
