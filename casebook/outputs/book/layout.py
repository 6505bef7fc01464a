"""Page geometry of the 附件2 format: A4, margins 3.5 cm top and bottom, 2.7 cm left and right."""

from __future__ import annotations

from lxml import etree

from casebook.outputs.book import ooxml

PAGE_WIDTH_CM = 21.0
PAGE_HEIGHT_CM = 29.7
MARGINS_CM = {"top": 3.5, "bottom": 3.5, "left": 2.7, "right": 2.7, "header": 2.0, "footer": 2.2}
TEXT_WIDTH_CM = PAGE_WIDTH_CM - MARGINS_CM["left"] - MARGINS_CM["right"]  # 15.6 cm
TEXT_HEIGHT_CM = PAGE_HEIGHT_CM - MARGINS_CM["top"] - MARGINS_CM["bottom"]  # 22.7 cm
TEXT_WIDTH_TWIPS = int(round(TEXT_WIDTH_CM / 2.54 * 1440))


def page_setup(
    start: str = "nextPage",
    footer_rid: str | None = None,
    page_start: int | None = None,
    page_format: str | None = None,
    **references: object,
) -> etree._Element:
    """A section of the book's page geometry; references: headers, footers, title_page (ooxml.section)."""
    return ooxml.section(
        width_cm=PAGE_WIDTH_CM,
        height_cm=PAGE_HEIGHT_CM,
        margins_cm=MARGINS_CM,
        start=start,
        footer_rid=footer_rid,
        page_start=page_start,
        page_format=page_format,
        **references,
    )
