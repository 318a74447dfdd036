"""``tables.xlsx``: the tables people read, one sheet each, for Excel.

Sheets documents, turns, exchanges, topics and mentions (the tokens table is for
code, not for reading), written with ``xlsxwriter``: the header row frozen, filters
on, each column as wide as its header and first values (East Asian characters
count double), numbers as numbers, and text as text: no cell is ever a formula
(xlsxwriter is told not to turn strings into formulas, numbers or links, and text
that begins like a formula gets a leading ``'``, as in the CSV files; see
``analysis.corpus.cells``). Excel holds 1,048,576 rows a sheet and 32,767
characters a cell: a longer table stops at the limit and a longer text is cut
(ending in ``…``), and both are logged; the Parquet files have everything.
"""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path

import pandas as pd

from analysis.corpus.cells import neutralise_table

log = logging.getLogger(__name__)

SHEETS = ("documents", "turns", "exchanges", "topics", "mentions")
EXCEL_ROWS = 1_048_576    # rows in a sheet, the header included
EXCEL_CELL = 32_767       # characters in a cell
_WIDTH = (6, 60)           # narrowest and widest column, in characters
_SAMPLE = 200              # values measured per column for its width


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text[:_WIDTH[1]])


def _cut(value):
    if isinstance(value, str) and len(value) > EXCEL_CELL:
        return value[:EXCEL_CELL - 1] + "…"
    return value


def write_workbook(tables: dict[str, pd.DataFrame], path: str | Path) -> list[str]:
    """Write the sheets of ``SHEETS`` found in ``tables`` to ``path``; return notes on what was cut."""
    from xlsxwriter.exceptions import FileCreateError

    try:
        return _write(tables, Path(path))
    except FileCreateError as exc:  # an OSError inside (a full disk): said as one
        raise exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc)) from None


def _write(tables: dict[str, pd.DataFrame], path: Path) -> list[str]:
    import pyarrow as pa
    import xlsxwriter

    notes = []
    # its temporary files beside the workbook: on the same disk, and removed with a failed build's folder
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
               "strings_to_urls": False, "nan_inf_to_errors": True, "tmpdir": str(path.parent)}
    with xlsxwriter.Workbook(str(path), options) as book:
        book.use_zip64()  # a workbook over 4 GB is still written
        header = book.add_format({"bold": True})
        for name in SHEETS:
            if name not in tables:
                continue
            df = tables[name]
            rows = min(len(df), EXCEL_ROWS - 1)
            if rows < len(df):
                notes.append(f"tables.xlsx: sheet {name} holds the first {rows:,} of {len(df):,} rows "
                             "(Excel's limit); the Parquet file has them all")
            table = neutralise_table(pa.Table.from_pandas(df.iloc[:rows], preserve_index=False))
            columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
            sheet = book.add_worksheet(name)
            sheet.freeze_panes(1, 0)
            sheet.autofilter(0, 0, max(rows, 1), max(len(columns) - 1, 0))
            for j, (col, values) in enumerate(zip(table.column_names, columns)):
                sample = [_width(str(v)) for v in values[:_SAMPLE] if v is not None]
                sheet.set_column(j, j, min(max([_width(col) + 2, _WIDTH[0], *sample]), _WIDTH[1]))
            sheet.write_row(0, 0, table.column_names, header)
            cut = 0
            for i in range(rows):
                row = [_cut(values[i]) for values in columns]
                cut += sum(a is not b for a, b in zip(row, (values[i] for values in columns)))
                sheet.write_row(i + 1, 0, row)
            if cut:
                notes.append(f"tables.xlsx: {cut} cell(s) of sheet {name} cut to Excel's {EXCEL_CELL:,} "
                             "characters; the Parquet file has the whole text")
    return notes
