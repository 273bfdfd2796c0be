"""Tables that never cut an ID or a code: columns wrap between words only, and a table too wide
for the terminal even then is shown as one block of ``column: value`` lines per row."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Column, Table
from rich.text import Text


def _plain(console: Console, cell: object) -> str:
    return console.render_str(cell).plain if isinstance(cell, str) else str(cell)


def _widths(texts: Iterable[str]) -> tuple[int, int]:
    """(widest word, widest line) of some cells, in terminal cells."""
    word, line = 1, 1
    for value in texts:
        for part in value.splitlines() or [""]:
            line = max(line, cell_len(part))
            word = max([word, *(cell_len(token) for token in part.split())])
    return word, line


def share_out(minimum: list[int], natural: list[int], room: int) -> list[int] | None:
    """Column widths within ``room``: each at least its widest word, the rest shared in
    proportion to what each column still wants; None when even the words do not fit."""
    if sum(minimum) > room:
        return None
    if sum(natural) <= room:
        return natural
    spare, wanted = room - sum(minimum), [n - m for m, n in zip(minimum, natural, strict=True)]
    total = sum(wanted)
    return [m + spare * w // total for m, w in zip(minimum, wanted, strict=True)]


class ReadableTable(Table):
    """A rich table that wraps cells between words (never inside an ID or code) and falls back
    to one block per row when the terminal is too narrow for the longest words."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        columns = self.columns
        texts = [
            [_plain(console, column.header), *(_plain(console, c) for c in column.cells)]
            for column in columns
        ]
        measured = [_widths(values) for values in texts]
        padding = sum(self._get_padding_width(i) for i in range(len(columns)))
        room = options.max_width - self._extra_width - padding
        widths = share_out([m for m, _ in measured], [n for _, n in measured], room)
        if widths is None:
            yield from self._records(texts)
            return
        saved = [column.width for column in columns]
        for column, fixed in zip(columns, widths, strict=True):
            column.width = fixed
        try:
            yield from super().__rich_console__(console, options)
        finally:
            for column, before in zip(columns, saved, strict=True):
                column.width = before

    def _records(self, texts: list[list[str]]) -> RenderResult:
        """Each row as ``column: value`` lines (for terminals narrower than the table's words)."""
        if self.title:
            yield Text(str(self.title), style="bold")
        rows = len(texts[0]) - 1 if texts else 0
        for row in range(rows):
            block = Table.grid(
                Column(no_wrap=True, style="bold"), Column(overflow="fold"), padding=(0, 1)
            )
            for values in texts:
                block.add_row(Text(f"{values[0]}:"), Text(values[row + 1]))
            yield block
            if row < rows - 1:
                yield ""
