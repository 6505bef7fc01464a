"""The one exception of the importer: a stable E7xx code plus the values of its Chinese message."""

from __future__ import annotations

from casebook.codes import MESSAGES


class ImportFailure(Exception):
    """Bad input or an impossible write: reported with its code, nothing is written."""

    def __init__(self, code: str, **values: object):
        self.code, self.values = code, values
        super().__init__(f"{code} {MESSAGES[code].format(**values)}")

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**self.values)
