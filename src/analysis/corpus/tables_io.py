"""Writing the tables and reading them back.

Every table is written as ``NAME.parquet`` (the exact text and dtypes). A table is
also written as ``NAME.csv`` (UTF-8 with BOM, so Excel opens it) when it fits in a
spreadsheet: at most ``EXCEL_ROWS`` rows with its header (``csv="fit"``, the
default); ``csv="all"`` writes every CSV, ``csv="none"`` none. ``xlsx=True`` adds
the workbook ``tables.xlsx`` (``analysis.corpus.workbook``). CSV and workbook cells
that begin like a formula get a leading ``'`` (``analysis.corpus.cells``). All files
of one call are written into a new folder that is then swapped in for the output
folder (``analysis.corpus.output``): the folder always holds one complete build.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.corpus.cells import neutralise_table
from analysis.corpus.files import check_writable
from analysis.corpus.output import staged
from analysis.corpus.workbook import EXCEL_ROWS, write_workbook
from analysis.schema import PER_DOCUMENT

log = logging.getLogger(__name__)

CSV_CHOICES = ("fit", "all", "none")
WORKBOOK = "tables.xlsx"


def csv_fits(n_rows: int) -> bool:
    """Whether a table of ``n_rows`` rows and its header fit in one spreadsheet sheet."""
    return n_rows + 1 <= EXCEL_ROWS


def csv_left_out(tables: dict[str, pd.DataFrame], csv: str = "fit") -> list[str]:
    """The tables whose CSV ``csv="fit"`` leaves out (too many rows for a spreadsheet)."""
    if csv not in CSV_CHOICES:
        raise ValueError(f"csv={csv!r}: choose one of {', '.join(CSV_CHOICES)}")
    return [name for name, df in tables.items() if csv == "fit" and not csv_fits(len(df))]


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | os.PathLike = config.PROCESSED_DIR,
                 *, csv: str = "fit", xlsx: bool = False, raw: str | os.PathLike | None = None,
                 formats: tuple[str, ...] = ("parquet", "csv")) -> list[Path]:
    """Write the tables into ``out_dir`` as one set (see the module docstring); return the files.

    ``raw``: the raw folder of the build, never written (nor is ``data/raw/``).
    ``formats`` leaves out Parquet or CSV altogether. Files are written side by
    side in threads (Arrow releases the GIL), the biggest tables first.
    """
    from concurrent.futures import ThreadPoolExecutor

    out_dir = Path(out_dir)
    check_writable(out_dir, raw=raw)
    left_out = set(csv_left_out(tables, csv))
    # the files of a build, replaced as one set: every table's, also one this call leaves out
    names = {f"{name}.{fmt}" for name in {*tables, *PER_DOCUMENT, "errors"} for fmt in ("parquet", "csv")}

    def owned(name: str) -> bool:
        return name in names or name == WORKBOOK

    writers = {"parquet": write_parquet, "csv": write_csv}
    jobs = [(f"{name}.{fmt}", df, writers[fmt]) for name, df in tables.items() for fmt in ("parquet", "csv")
            if fmt in formats and not (fmt == "csv" and (csv == "none" or name in left_out))]
    for name in sorted(left_out):
        log.info("%s: %d rows, more than a spreadsheet holds: no %s.csv", name, len(tables[name]), name)
    with staged(out_dir, owned) as stage:
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            list(pool.map(lambda job: job[2](job[1], stage / job[0]), sorted(jobs, key=lambda job: -len(job[1]))))
        files = [name for name, _, _ in jobs]
        if xlsx:
            for note in write_workbook(tables, stage / WORKBOOK):
                log.warning("%s", note)
            files.append(WORKBOOK)
    return [out_dir / name for name in files]


def write_parquet(df: pd.DataFrame, path: str) -> None:
    """Parquet with min/max statistics (they let readers skip row groups when
    filtering) for numbers, booleans and doc_id only: on the text columns of the
    tokens table they cost as much as writing the rest of the file and help no filter."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    stats = [c for c in df.columns if c == "doc_id" or pd.api.types.is_numeric_dtype(df[c].dtype)
             or pd.api.types.is_bool_dtype(df[c].dtype)]
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, write_statistics=stats)


# CSV is written in slices of this many rows, each decoded from categories first (after
# neutralising their dictionaries):
# Arrow writes plain strings faster than dictionary-encoded ones, and a slice at a
# time keeps the decoded strings small.
CSV_ROWS = 100000


def write_csv(df: pd.DataFrame, path: str) -> None:
    """CSV in UTF-8 with a byte-order mark (so Excel opens it), via Arrow: several times faster than
    pandas; text that begins like a formula gets a leading ``'`` (``analysis.corpus.cells``)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    table = pa.Table.from_pandas(df, preserve_index=False)
    with open(path, "wb") as f:
        f.write(b"\xef\xbb\xbf")
        for start in range(0, max(len(table), 1), CSV_ROWS):
            part = neutralise_table(table.slice(start, CSV_ROWS))
            pcsv.write_csv(part, f, write_options=pcsv.WriteOptions(include_header=start == 0))


def read_tables(processed_dir: str | os.PathLike = config.PROCESSED_DIR) -> dict[str, pd.DataFrame]:
    """Read every ``NAME.parquet`` in ``processed_dir`` back into ``{NAME: DataFrame}``."""
    processed_dir = Path(processed_dir)
    tables = {p.stem: pd.read_parquet(p) for p in sorted(processed_dir.glob("*.parquet"))}
    if not tables:
        raise FileNotFoundError(f"{processed_dir}: no tables here; run `analysis build` first")
    return tables
