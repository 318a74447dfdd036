"""The set-up every notebook shares, as one call.

    session = notebook.start(DATA_DIR, OUTPUT_DIR, DOC_ID, LANG)

resolves the parameters cell's paths from the project root, turns matplotlib's
"Glyph ... missing" warning into an error (a character the font cannot draw
would print as a box), sets the house style, builds the tables with the cache
and the build's language resources, chooses the document (``DOC_ID``, or the one
with the most exchanges) and says which. ``session.export_chart(name)`` draws,
titles and saves one standard chart of that document with the same resources
(so your own topics carry their ``label_zh``, as in ``analysis charts``), and
``session.files()`` lists every file written.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.corpus import build, pick_document, select
from analysis.language import Resources


@dataclass
class Session:
    """What a notebook works on: the tables, the chosen document, where charts go."""
    data_dir: Path
    out_dir: Path
    lang: str
    resources: Resources
    tables: dict[str, pd.DataFrame]
    doc_id: str
    doc: dict[str, pd.DataFrame]               # every table, the chosen document's rows only
    chosen_by: str                             # "set by DOC_ID" or how it was picked
    written: list[Path] = field(default_factory=list)

    @property
    def documents(self) -> pd.DataFrame:
        return self.tables["documents"]

    def export_chart(self, name: str, tables: dict[str, pd.DataFrame] | None = None, *,
                     doc_id: object = ..., **options) -> None:
        """``report.export_chart`` of the chosen document (or ``tables`` / ``doc_id``
        given), in the session's language, into its output folder, with its
        resources; the files are added to ``written`` (nothing is returned, so that
        a notebook cell shows the chart and not the list of its files)."""
        from analysis import report

        paths = report.export_chart(name, self.doc if tables is None else tables,
                                    doc_id=self.doc_id if doc_id is ... else doc_id, out_dir=self.out_dir,
                                    lang=self.lang, lexicon=self.resources, **options)
        self.written += paths

    def files(self) -> pd.DataFrame:
        """Every file the notebook exported: file, bytes. An empty file is an error."""
        out = pd.DataFrame({"file": [p.name for p in self.written],
                            "bytes": [p.stat().st_size for p in self.written]}, columns=["file", "bytes"])
        empty = out.loc[out["bytes"] == 0, "file"].tolist()
        if empty:
            raise ValueError(f"exported files are empty: {', '.join(empty)}")
        return out


def project_path(path: str | os.PathLike | None, default: Path) -> Path:
    """A parameters-cell path: None for ``default``, else relative to the project root (or absolute)."""
    return default if path is None else config.ROOT / path


def start(data_dir: str | os.PathLike | None = None, output_dir: str | os.PathLike | None = None,
          doc_id: str | None = None, lang: str = "zh", *, resources: Resources | None = None,
          workers: int = config.WORKERS, every_document: bool = False) -> Session:
    """The notebook set-up (see the module docstring); prints the folders and the document chosen.

    ``every_document``: the notebook covers the whole corpus unless ``doc_id``
    is given (notebooks 05 and 06); it says so instead of naming a document.

    Raises ValueError when no transcript could be read (naming the folder and
    the errors) and when ``doc_id`` is not among the documents (naming them).
    """
    from analysis import charts

    warnings.filterwarnings("error", "Glyph .* missing from", UserWarning)
    charts.use_style()
    pd.set_option("display.max_colwidth", 80)
    data = project_path(data_dir, config.RAW_DIR)
    out = project_path(output_dir, config.FIGURES_DIR)
    print(f"transcripts: {data}\ncharts:      {out}")
    res = Resources() if resources is None else resources
    tables = build(data, cache_dir=config.CACHE_DIR, workers=workers, progress=False, resources=res)
    documents = tables["documents"]
    if not len(documents):
        raise ValueError(f"no transcript could be read in {data}: {tables['errors'].to_dict('records')}")
    chosen = pick_document(documents, doc_id)
    how = "set by DOC_ID" if doc_id is not None else "picked automatically: the most exchanges"
    counts = documents.set_index("doc_id")["n_exchanges"]
    if every_document and doc_id is None:
        print(f"Every document is used ({len(documents)}); set DOC_ID to look at one.")
        return Session(data_dir=data, out_dir=out, lang=lang, resources=res, tables=tables, doc_id=chosen,
                       doc=select(tables, chosen), chosen_by="every document")
    print(f"Document shown from here on: {chosen} ({how}; {counts[chosen]} exchanges).")
    others = [f"{d} ({n} exchanges)" for d, n in counts.drop(chosen).sort_values(ascending=False, kind="stable").items()]
    print("Also loaded, left out from here on: " + "; ".join(others) if others else "No other document loaded.")
    return Session(data_dir=data, out_dir=out, lang=lang, resources=res, tables=tables, doc_id=chosen,
                   doc=select(tables, chosen), chosen_by=how)
