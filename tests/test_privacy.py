"""Contact data is found in the text as readers will get it (entities, markup, invisible characters,
full-width forms, separators), the collection's own contact values are found however they are written,
and numbers that are not contact data are left alone. The check fixtures (tests/fixtures/bad/privacy-*)
cover the same through `check`; these tests pin the forms one by one."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import docx
import pytest
from conftest import FIXTURES
from test_import_builders import save, title

from casebook.document import new_markdown
from casebook.importer.convert import convert
from casebook.inputs import privacy
from casebook.inputs.loader import load

MOBILE = "13905512345"

# (written, code, shown): every form reads as the value on the page
RENDERED_FORMS = [
    ("&#49;3905512345", "E501", "&#49;3905512345（即 13905512345）"),
    ("&#x31;&#x33;905512345", "E501", "（即 13905512345）"),
    ("139<!-- -->05512345", "E501", "139<!-- -->05512345（即 13905512345）"),
    ("139**05512345**", "E501", "139**05512345（即 13905512345）"),
    ("139`0551`2345", "E501", "（即 13905512345）"),
    ("<b>139</b>05512345", "E501", "139</b>05512345（即 13905512345）"),
    ('<span class="x">139</span>0551<em>2345</em>', "E501", "（即 13905512345）"),
    ("139\\-0551\\-2345", "E501", "（即 139-0551-2345）"),
    ("139\u200b05512345", "E501", "139[U+200B]05512345（即 13905512345）"),
    ("139\u200c0551\u200d2345", "E501", "139[U+200C]0551[U+200D]2345（即 13905512345）"),
    ("139\u00ad05512345", "E501", "[U+00AD]"),
    ("139\ufeff05512345", "E501", "[U+FEFF]"),
    ("139\u206005512345", "E501", "[U+2060]"),
    ("139&#8203;05512345", "E501", "（即 13905512345）"),
    ("１３９０５５１２３４５", "E501", "１３９０５５１２３４５"),
    ("139\u30000551\u30002345", "E501", "139 0551 2345"),
    ("139.0551.2345", "E501", "139.0551.2345"),
    ("139 0551 2345", "E501", "139 0551 2345"),
    ("139-0551-2345", "E501", "139-0551-2345"),
    ("+86 139 0551 2345", "E501", "+86 139 0551 2345"),
    ("Tel.13905512345", "E501", "13905512345"),
    ("055168889999", "E502", "055168889999"),
    ("01068889999", "E502", "01068889999"),
    ("0551.6888.9999", "E502", "0551.6888.9999"),
    ("0551 6888 9999", "E502", "0551 6888 9999"),
    ("（0551）68889999", "E502", "（0551）68889999"),
    ("０５５１－６８８８９９９９", "E502", "０５５１－６８８８９９９９"),
    ("wangjg＠example.cn", "E503", "wangjg＠example.cn"),
    ("wangjg&#64;example.cn", "E503", "wangjg&#64;example.cn（即 wangjg@example.cn）"),
    ("mailto:wangjg%40example.cn", "E503", "wangjg%40example.cn（即 wangjg@example.cn）"),
    ("wang**jg**@example.cn", "E503", "（即 wangjg@example.cn）"),
    ("1101051949123100２X", "E504", "1101051949123100２X"),
]


@pytest.mark.parametrize(("written", "code", "shown"), RENDERED_FORMS)
def test_rendered_forms_are_found_where_they_are_written(written: str, code: str, shown: str):
    text = f"第一段。\n\n报名请联系：{written}，谢谢。"
    found = list(privacy.findings(text))
    assert [(c, shown in v) for _, c, v in found] == [(code, True)], found
    offset = found[0][0]
    assert text.count("\n", 0, offset) == 2  # the reported line is the one the value is on
    assert offset >= text.index("：")  # and the value starts where it is written, not earlier


# the page source is published too: comments and tag attributes are read
@pytest.mark.parametrize(
    ("written", "code"),
    [("<!-- 电话13905512345 -->", "E501"), ('<a href="mailto:wangjg%40example.cn">写信</a>', "E503")],
)
def test_comments_and_attributes_are_read(written: str, code: str):
    assert [c for _, c, _ in privacy.findings(written)] == [code]


NEAR_MISSES = [
    "2023年12345名职工",
    "2019-2023年",
    "2019—2023年",
    "2024.04.15起施行",
    "2024年4月15日",
    "投资1.5亿元，增长13.9%",
    "圆周率3.1415926",
    "邮编230088",
    "共 1,234,567 人次",
    "GB/T 19001-2016",
    "ISBN 978-7-111-12345-6",
    "证书0551202312345678",  # 16 digits: no phone
    "订单20231205123456",
    "设备编号 962345678",
    "型号ABC05516888999",  # a product code, not a run-together landline
    "编号01234567890",  # 012 is no area code
    "0551-2023",  # area code and a year
    "合同号 0551 2023",
    "1.13905512345",  # a decimal
    "<td>139</td><td>05512345</td>",  # two table cells
    "| 139 | 05512345 |",
    "&amp;#49;3905512345",  # an escaped entity shows as written
    "A&B 班组 &nbsp;共 12 人",
    "@所有人 请准时参加",
    "信用代码91340100MA2N0ABC1X",
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_numbers_that_are_not_contact_data(text: str):
    assert list(privacy.findings(text)) == []


# --- the collection's own contact values ---------------------------------------------------------

CONTACT = SimpleNamespace(
    phone="0551-62345678转8001", mobile="+86 138 5123 0002", email="", address="合肥市包河区机械路8号（机械大厦）"
)


def _contact_leaks(text: str, contacts: privacy.Contacts, me: str = "a") -> list[privacy.Leak]:
    return privacy.PublicText({"body": text}).leaks(contacts, me)


def _own() -> privacy.Contacts:
    contacts = privacy.Contacts()
    contacts.add(CONTACT, "a")
    return contacts


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("合肥市包河区机械路8号", "address"),
        ("合肥市 包河区 机械路 ８ 号", "address"),
        ("合肥市包河区机械路<b>8</b>号", "address"),
        ("62345678", "phone"),  # the local number, without area code
        ("6234 5678", "phone"),
        ("1385 1230 002", "mobile"),  # grouped as no phone pattern knows
    ],
)
def test_own_contact_values_however_written(written: str, key: str):
    leaks = _contact_leaks(f"培训地点和电话：{written}。", _own())
    assert [(leak.code, leak.key) for leak in leaks] == [("E505", key)]


def test_shaped_findings_come_first_and_once():
    leaks = _contact_leaks("电话0551-62345678，手机13851230002。", _own())
    assert [leak.code for leak in leaks] == ["E502", "E501"]


@pytest.mark.parametrize(
    "text",
    [
        "公司位于合肥市包河区机械路，8号车间",  # the road without the number
        "2019-2023年",
        "订单号162345678",  # the local number inside a longer number
        "陈立新、党委工作部部长",  # names and positions are not looked for
    ],
)
def test_own_contact_near_misses(text: str):
    assert _contact_leaks(text, _own()) == []


def test_vague_addresses_and_years_are_not_looked_for():
    contacts = privacy.Contacts()
    contacts.add(SimpleNamespace(phone="0551-20192023", mobile="", address="合肥市包河区"), "a")
    assert not contacts.places
    assert _contact_leaks("2019-2023年", contacts) == []
    assert [leak.code for leak in _contact_leaks("电话20192023", contacts)] == ["E505"]


def test_another_cases_value_names_its_case():
    contacts = _own()
    contacts.add(SimpleNamespace(phone="", mobile="", address="南京市江宁区精工路58号"), "b")
    contacts.add(SimpleNamespace(phone="", mobile="", address="南京市江宁区精工路58号院"), "c")
    leaks = _contact_leaks("地点：南京市江宁区精工路58号院，合肥市包河区机械路8号。", contacts)
    assert [(leak.code, leak.owner, leak.key) for leak in leaks] == [("E506", "c", "address"), ("E505", "", "address")]


def test_another_cases_number_in_a_shaped_form_is_reported_once(tmp_path: Path):
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "base", root)
    shutil.copytree(FIXTURES / "bad" / "privacy-other-case-address", root, dirs_exist_ok=True)
    index = root / "cases/2024/case-b/index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace("参观地点：南京市江宁区精工路58号。", "手机13851230002。"),
        encoding="utf-8",
    )
    _, report = load(root)
    assert [(d.path, d.code) for d in report.sorted()] == [("cases/2024/case-b/index.md", "E501")]


# --- the importer writes what the document shows -------------------------------------------------


def test_imported_entity_text_shows_as_written(tmp_path: Path):
    document = docx.Document()
    title(document)
    document.add_paragraph("一、基本情况")
    p = document.add_paragraph()
    p.add_run("报名电话&#4")  # Word splits runs anywhere
    p.add_run("9;3905512345，版权符号写作&copy;。")
    path = save(document, tmp_path / "a.docx")
    (tmp_path / "work").mkdir()
    body = convert(path, tmp_path / "work").body
    assert "&amp;#49;3905512345" in body and "&amp;copy;" in body
    assert list(privacy.findings(body)) == []
    shown = html.unescape(re.sub(r"<[^>]+>", "", new_markdown().convert(body)))
    assert "报名电话&#49;3905512345，版权符号写作&copy;。" in shown
