"""Import submitted Word documents (申报材料) into case folders: python build.py import FILE_OR_FOLDER.

The steps, one module each:

- ``source``   what the file really is; .doc/.wps/.rtf/.docm through LibreOffice; refusals (E701–E706)
- ``blocks``   the .docx body in document order: paragraphs (runs, breaks, pictures inline and
  floating, text boxes) and tables, with style, heading level, alignment, size (``numbering`` for
  Word's automatic numbers)
- ``form``     the 申报表 table of notices 000, 001 and 004; ``fields`` maps labels to front matter keys
- ``head``     title, unit, authors and "标签：值" lines before the first section
- ``markdown`` the body: headings by their numbering, emphasis, lists, tables, picture slots + captions
- ``caption``  a caption split into 时间 / 主体 / 事件, or kept whole
- ``photos``   pictures as 1.jpg, 2.png …; EMF/WMF converted with LibreOffice (E707 when impossible)
- ``convert``  one file → a Draft; ``render`` the index.md; ``writer`` the atomic folder write
- ``command``  the CLI: every file of a folder, form-only documents merged, then the check
"""
