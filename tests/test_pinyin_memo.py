"""The on-disk memo of pypinyin readings (util/pinyin.py): same readings, and a later process of the
same collection does not load pypinyin at all."""

import json
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from casebook.util import pinyin

NAMES = ["重庆市长寿区总工会", "长沙银行", "单县", "厦门港务", "曾都区", "ABC·１号车间", "〇"]
PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def fresh_memo():
    pinyin.forget()
    yield
    pinyin.forget()


def test_readings_are_pypinyins():
    from pypinyin import Style, lazy_pinyin  # 0.5 s to import: not at collection

    for name in NAMES:
        assert pinyin.readings(name, "tone3") == lazy_pinyin(
            name, style=Style.TONE3, neutral_tone_with_five=True, errors=list
        )
        assert pinyin.readings(name, "normal") == lazy_pinyin(name, style=Style.NORMAL, errors=list)


def test_a_reading_handed_out_can_be_changed_without_changing_the_memo():
    pinyin.readings("长宁", "tone3")[0] = "x"
    assert pinyin.readings("长宁", "tone3")[0] != "x"


def test_a_later_process_reads_the_memo_and_never_imports_pypinyin(tmp_path):
    pinyin.use_store(tmp_path)
    expected = {name: pinyin.readings(name, "tone3") for name in NAMES}
    pinyin.save()
    code = (
        "import json, sys; from pathlib import Path; from casebook.util import pinyin;"
        f"pinyin.use_store(Path({str(tmp_path)!r}));"
        f"print(json.dumps([{{n: pinyin.readings(n, 'tone3') for n in {NAMES!r}}}, 'pypinyin' in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, check=True)
    found, imported = json.loads(out.stdout)
    assert found == expected
    assert not imported


def test_a_damaged_memo_is_ignored_and_written_again(tmp_path):
    memo = tmp_path / "pinyin" / f"{version('pypinyin')}.json"
    memo.parent.mkdir(parents=True)
    memo.write_text('{"tone3\\u0000长沙": [1, 2]', encoding="utf-8")  # cut short, and not readings
    (tmp_path / "pinyin" / "0.0.1.json").write_text("{}", encoding="utf-8")  # another pypinyin's
    pinyin.use_store(tmp_path)
    assert pinyin.readings("长沙", "tone3") == ["chang2", "sha1"]
    pinyin.save()
    assert [p.name for p in (tmp_path / "pinyin").iterdir()] == [memo.name]
    assert json.loads(memo.read_text(encoding="utf-8"))["tone3\0长沙"] == ["chang2", "sha1"]


def test_readings_made_by_loader_workers_are_saved_by_the_main_process(tmp_path, monkeypatch):
    """The first build loads every case in forked workers; their readings (folder names as slugs) are
    handed back, so that the next build, which re-reads one edited case, finds its name in the memo."""
    from casebook.inputs import loader, slugs

    def saved_after_load(store: Path) -> dict:
        pinyin.forget()
        slugs.from_name.cache_clear()  # each process remembers its slugs too
        pinyin.use_store(store)
        loader.load(PROJECT)
        pinyin.save()
        return json.loads((store / "pinyin" / f"{version('pypinyin')}.json").read_text(encoding="utf-8"))

    alone = saved_after_load(tmp_path / "one-process")
    monkeypatch.setattr(loader, "_PARALLEL_FROM", 1)  # the sample's few cases, loaded as a large collection's
    assert saved_after_load(tmp_path / "workers") == alone
    assert any(key.startswith("normal\0") for key in alone)  # slugs were made from folder names


def test_a_collection_removed_before_the_save_is_not_made_again(tmp_path):
    root = tmp_path / "collection"
    (root / ".cache").mkdir(parents=True)
    pinyin.use_store(root / ".cache")
    pinyin.readings("庐阳区总工会", "tone3")
    shutil.rmtree(root)
    pinyin.use_store(tmp_path / "other" / ".cache")  # the next collection: the memo of the first is saved
    assert not root.exists()
