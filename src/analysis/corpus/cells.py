"""Spreadsheet-safe cells: no text a spreadsheet would run as a formula.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)``
can leak data or run a command). In the CSV files and the workbook such a cell
gets a leading ``'`` (the OWASP rule for CSV injection): ``=1+1`` is written
``'=1+1``. Parquet keeps the exact text.
"""

from __future__ import annotations

# The characters a spreadsheet takes as the start of a formula.
FORMULA_START = "=+-@\t\r"
_RE2 = "^([=+\\-@\t\r])"


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` when it begins like a formula."""
    return "'" + text if text[:1] and text[0] in FORMULA_START else text


def neutralise_array(arr):
    """The same on an Arrow string array (dictionary arrays: on their dictionary)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(arr.type):
        return pa.DictionaryArray.from_arrays(arr.indices, neutralise_array(arr.dictionary))
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return arr
    return pc.replace_substring_regex(arr, _RE2, "'\\1")


def neutralise_table(table):
    """An Arrow table with every text column neutralised, dictionaries decoded to plain strings."""
    import pyarrow as pa

    cols = {}
    for name, col in zip(table.column_names, table.columns):
        kind = col.type.value_type if pa.types.is_dictionary(col.type) else col.type
        chunks = [neutralise_array(c).cast(kind) for c in col.chunks]
        cols[name] = pa.chunked_array(chunks, type=kind)
    return pa.table(cols)
