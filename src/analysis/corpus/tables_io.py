"""Writing the tables (Parquet and CSV, atomically) and reading them back."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.corpus.files import check_writable, write_atomic


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | os.PathLike = config.PROCESSED_DIR,
                 *, formats: tuple[str, ...] = ("parquet", "csv")) -> list[Path]:
    """Write each table as ``NAME.parquet`` and ``NAME.csv`` (UTF-8 with BOM), atomically.

    Files are written side by side in threads (Arrow releases the GIL), the
    biggest tables first so that the tokens table's two files overlap.
    """
    from concurrent.futures import ThreadPoolExecutor

    out_dir = Path(out_dir)
    check_writable(out_dir)
    writers = {"parquet": write_parquet, "csv": write_csv}
    jobs = [(out_dir / f"{name}.{fmt}", df, writers[fmt]) for name, df in tables.items()
            for fmt in ("parquet", "csv") if fmt in formats]
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        list(pool.map(lambda job: write_atomic(job[0], lambda tmp: job[2](job[1], tmp)),
                      sorted(jobs, key=lambda job: -len(job[1]))))
    return [target for target, _, _ in jobs]


def write_parquet(df: pd.DataFrame, path: str) -> None:
    """Parquet with min/max statistics (they let readers skip row groups when
    filtering) for numbers, booleans and doc_id only: on the text columns of the
    tokens table they cost as much as writing the rest of the file and help no filter."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    stats = [c for c in df.columns if c == "doc_id" or pd.api.types.is_numeric_dtype(df[c].dtype)
             or pd.api.types.is_bool_dtype(df[c].dtype)]
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, write_statistics=stats)


# CSV is written in slices of this many rows, each decoded from categories first:
# Arrow writes plain strings faster than dictionary-encoded ones, and a slice at a
# time keeps the decoded strings small.
CSV_ROWS = 100000


def write_csv(df: pd.DataFrame, path: str) -> None:
    """CSV in UTF-8 with a byte-order mark (so Excel opens it), via Arrow: several times faster than pandas."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    table = pa.Table.from_pandas(df, preserve_index=False)
    with open(path, "wb") as f:
        f.write(b"\xef\xbb\xbf")
        for start in range(0, max(len(table), 1), CSV_ROWS):
            part = table.slice(start, CSV_ROWS)
            part = pa.table({name: col.cast(col.type.value_type) if pa.types.is_dictionary(col.type) else col
                             for name, col in zip(part.column_names, part.columns)})
            pcsv.write_csv(part, f, write_options=pcsv.WriteOptions(include_header=start == 0))


def read_tables(processed_dir: str | os.PathLike = config.PROCESSED_DIR) -> dict[str, pd.DataFrame]:
    """Read every ``NAME.parquet`` in ``processed_dir`` back into ``{NAME: DataFrame}``."""
    processed_dir = Path(processed_dir)
    tables = {p.stem: pd.read_parquet(p) for p in sorted(processed_dir.glob("*.parquet"))}
    if not tables:
        raise FileNotFoundError(f"{processed_dir}: no tables here; run `analysis build` first")
    return tables
