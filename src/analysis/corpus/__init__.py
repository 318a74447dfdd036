"""A folder of transcripts -> every table, and the tables back from disk.

``build(path)`` reads one transcript file or every transcript under a folder
and returns the tables as DataFrames (documents, turns, tokens, topics,
mentions, exchanges, errors); ``write_tables`` writes them as Parquet (and CSV, xlsx),
``read_tables`` reads them back; ``pick_document``, ``select`` and
``shared_questions`` choose what to chart. One module per job:

- ``pipeline``: ``build``, the stages in order, batches, the cache asked what is stale;
- ``workers``: the process pool;
- ``cache``: the build cache; ``fingerprints``: what each stage depends on;
  ``splice``: putting rows together in file order;
- ``files``: finding transcripts (and every other path, with its problem), doc ids, the
  raw-folder guard, atomic writes;
- ``tables_io``: writing and reading the tables (Parquet; CSV when it fits in a spreadsheet);
  ``workbook``: ``tables.xlsx``; ``cells``: no spreadsheet cell a formula;
- ``output``: one consistent set of tables (a new folder swapped in); ``lock``: one build
  at a time per output folder and per cache;
- ``choose``: one document at a time.
"""

from analysis import config, language
from analysis.corpus.pipeline import PARALLEL_BYTES, build, document_row, process_documents
from analysis.corpus.choose import pick_document, select, shared_questions
from analysis.corpus.files import doc_ids, find_transcripts
from analysis.corpus.tables_io import read_tables, write_tables
from analysis.corpus.workers import run_shared
from analysis.schema import ERRORS, PER_DOCUMENT


def find_resources(folder=config.USER_RESOURCES_DIR):
    """Old name: your resource files in ``folder`` by kind. Use ``analysis.language.Resources(folder)``."""
    if folder is None:
        return {"userdict": (), "stopwords": (), "registry": (), "lexicon": ()}
    res = language.Resources(folder)
    return {"userdict": tuple(map(str, res.user_files("userdict"))),
            "stopwords": tuple(map(str, res.user_files("stopwords"))),
            "registry": tuple(map(str, res.user_files("registry"))),
            "lexicon": tuple(map(str, res.user_files("lexicon")))}


__all__ = ["ERRORS", "PARALLEL_BYTES", "PER_DOCUMENT", "build", "doc_ids", "document_row", "find_resources",
           "find_transcripts", "pick_document", "process_documents", "read_tables", "run_shared", "select",
           "shared_questions", "write_tables"]
