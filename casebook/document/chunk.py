"""Text that remembers where its lines came from: the scanner cuts, joins and re-indents the body
exactly as Python-Markdown does with plain strings, and still knows each line's number."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(slots=True)
class Chunk:
    """Treated as immutable; not frozen only because frozen instances are slow to make."""

    text: str
    lines: tuple[int, ...]  # the source line of each line of text (len == text.count("\n") + 1)

    def line_at(self, offset: int) -> int:
        return self.lines[self.text.count("\n", 0, offset)]

    def __getitem__(self, part: slice) -> Chunk:
        start, stop, _ = part.indices(len(self.text))
        stop = max(start, stop)
        first = self.text.count("\n", 0, start)
        return Chunk(self.text[start:stop], self.lines[first : first + self.text.count("\n", start, stop) + 1])

    def split(self, separator: str = "\n") -> list[Chunk]:
        """str.split for a separator that holds a line break ("\n", "\n\n")."""
        text, parts, start, line = self.text, [], 0, 0
        while True:
            end = text.find(separator, start)
            stop = len(text) if end < 0 else end
            inner = text.count("\n", start, stop)
            parts.append(Chunk(text[start:stop], self.lines[line : line + inner + 1]))
            if end < 0:
                return parts
            line += inner + separator.count("\n")
            start = end + len(separator)

    def lstrip(self, chars: str | None = None) -> Chunk:
        return self[len(self.text) - len(self.text.lstrip(chars)) :]

    def rstrip(self, chars: str | None = None) -> Chunk:
        return self[: len(self.text.rstrip(chars))]

    def strip(self, chars: str | None = None) -> Chunk:
        return self.lstrip(chars).rstrip(chars)

    def map(self, change: Callable[[str], str]) -> Chunk:
        """Each line changed on its own (detab, quote markers); the line count stays."""
        return Chunk("\n".join(change(line) for line in self.text.split("\n")), self.lines)


def join(separator: str, chunks: Sequence[Chunk]) -> Chunk:
    """separator.join(texts); the blank lines a separator adds take the number of the line before."""
    gap = separator.count("\n")
    lines: list[int] = []
    for index, chunk in enumerate(chunks):
        if index and gap:
            lines.extend([lines[-1]] * (gap - 1))
            lines.extend(chunk.lines)
        else:
            lines.extend(chunk.lines[1:] if index else chunk.lines)
    return Chunk(separator.join(c.text for c in chunks), tuple(lines))
