"""Column names and dtypes of every table, in one place, and nothing else.

Each table is a tidy pandas DataFrame; the same column means the same thing in
every table. ``start``/``end`` are always character offsets into the decoded
document text (``documents.text``), half-open: ``text[start:end]``.
The tables of a build: ``DOCUMENTS``, ``TURNS``, ``TOKENS``, ``TOPICS``,
``MENTIONS``, ``EXCHANGES``, ``ERRORS`` (``PER_DOCUMENT``: all but the errors);
``KEYWORDS`` is what ``topics.count_keywords`` returns and ``LENGTHS`` what
``exchanges.add_lengths`` adds to the turns. ``empty`` and ``conform`` make a
frame follow one of them.
"""

from __future__ import annotations

import pandas as pd

STR = pd.StringDtype()
# A remark is said by someone in the interview but is neither a question nor its answer.
ROLE = pd.CategoricalDtype(["question", "answer", "remark", "narration"])
SCRIPT = pd.CategoricalDtype(["han", "latin", "digit", "other"])
SOURCE = pd.CategoricalDtype(["registry", "detected"])
ENTITY_TYPE = pd.CategoricalDtype(["person", "organisation", "product", "place", "model", "other"])

DOCUMENTS = {
    "doc_id": STR,         # from the file path under the raw folder, stable
    "path": STR,           # path of the file as read
    "sha256": STR,         # of the raw bytes
    "size": "int64",       # bytes
    "encoding": STR,       # how the bytes were decoded (utf-8, utf-8-sig, gb18030, ...)
    "title": STR,
    "source": STR,
    "author": STR,
    "date": STR,           # as written in the source (ISO when it was ISO)
    "metadata": STR,       # every metadata field found, as a JSON object of strings
    "body_start": "int32", # offset where the body starts (after any front matter)
    "n_chars": "int32",    # non-whitespace characters of the body
    "n_turns": "int32",
    "n_exchanges": "int32",
    "date_norm": STR,      # the date as ISO YYYY-MM-DD (or YYYY-MM), where one was found; "" when none
    "date_from": STR,      # where date_norm came from: front matter, header line, title, file name, lead; ""
    "duplicate_of": STR,   # doc_id of the document this one is a copy of (all its questions are there); "" for an original
    "warnings": STR,       # "; "-joined warnings, empty when none
    "text": STR,           # the decoded text; every start/end points into it
}

TURNS = {
    "doc_id": STR,
    "turn_id": "int32",        # 0-based order in the document
    "exchange_id": "Int32",    # 0-based; <NA> for narration before the first question
    "role": ROLE,              # question / answer / remark / narration
    "speaker": STR,            # resolved speaker name; <NA> when nobody speaks (narration)
    "speaker_label": STR,      # the label as written, e.g. "**张三（采访人）**：", "" when none
    "text": STR,               # the turn without its label: documents.text[text_start:text_end]
    "start": "int32",          # turn span, label included
    "end": "int32",
    "text_start": "int32",
    "text_end": "int32",
    "n_chars": "int32",        # non-whitespace characters of text
    "n_han": "int32",          # Han characters of text
    "unsaid": STR,             # JSON [[start, end], ...] of spans in text nobody says (markup, stage directions); "" when none
    "t_start": "Float64",      # seconds into the recording when the turn starts, where the source says; <NA> elsewhere
    "t_end": "Float64",        # seconds when it ends (timed formats only); <NA> elsewhere
}


TOKENS = {
    "doc_id": "category",
    "turn_id": "int32",
    "exchange_id": "Int32",
    "role": ROLE,
    "speaker": "category",
    "position": "int32",      # 0-based order of the token in its document (whitespace not counted)
    "token": "category",      # as written: document_text[start:end]
    "norm": "category",       # NFKC + casefold, whitespace runs as one space
    "start": "int32",
    "end": "int32",
    "is_stopword": "bool",
    "is_punct": "bool",       # every character is punctuation or a symbol
    "script": SCRIPT,         # han / latin / digit / other
}

TOPICS = {
    "doc_id": STR,
    "exchange_id": "Int32",
    "topic": "category",        # categories in lexicon order
    "hits_question": "int32",   # keyword hits in the exchange's question turns
    "hits_answer": "int32",     # keyword hits in its answer turns
    "keywords": STR,            # the keywords that hit, most hits first, ", "-joined
}

MENTIONS = {
    "doc_id": STR,
    "turn_id": "int32",
    "exchange_id": "Int32",
    "role": ROLE,
    "speaker": STR,
    "entity": STR,              # canonical name (registry), or the name as found
    "entity_type": ENTITY_TYPE,
    "surface": STR,             # document_text[start:end]
    "start": "int32",
    "end": "int32",
    "source": SOURCE,           # registry / detected
}

EXCHANGES = {
    "doc_id": STR,
    "exchange_id": "Int32",
    "question": STR,               # the question turns' text, joined by newlines
    "question_chars": "int32",     # non-whitespace characters of the question turns
    "answer_chars": "int32",       # non-whitespace characters of the answer turns
    "ratio": "float64",            # answer_chars / question_chars (NaN when no question text)
    "n_answer_turns": "int32",
    "answer_words": "int32",       # tokens of the answers that are not stopwords or punctuation
    "latin_share": "float64",      # share of those words in Latin script (NaN when none)
    "answerer": STR,               # who answered; several people joined by " / "
}

ERRORS = {"doc_id": STR, "path": STR, "error": STR}  # one row per file that could not be read

# Every table made file by file (and cached per file), in build order.
PER_DOCUMENT = {"documents": DOCUMENTS, "turns": TURNS, "tokens": TOKENS, "topics": TOPICS,
                "mentions": MENTIONS, "exchanges": EXCHANGES}

KEYWORDS = {
    "doc_id": STR,
    "exchange_id": "Int32",     # only when counted by exchange
    "keyword": STR,             # the spelling most used in the corpus
    "n": "int32",               # times it occurs in the unit
    "score": "float64",         # tf-idf
    "rank": "int32",            # 1 = highest score in the unit
}

LENGTHS = {
    "n_tokens": "int32",           # tokens of the turn (punctuation included, whitespace not)
    "n_words": "int32",            # tokens that are not stopwords or punctuation
}


def empty(columns: dict) -> pd.DataFrame:
    """An empty table with the given columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})


def conform(df: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """Return ``df`` with exactly ``columns`` in order, cast to their dtypes."""
    out = df if list(df.columns) == list(columns) else df.reindex(columns=list(columns))
    # Only the columns that differ are cast: astype copies even a column that is already right,
    # which on a table of millions of rows costs more than the work around it.
    todo = {c: t for c, t in columns.items() if not _has_dtype(out[c], t)}
    return out.astype(todo) if todo else out


def _has_dtype(col: pd.Series, dtype) -> bool:
    if isinstance(dtype, str) and dtype == "category":
        return isinstance(col.dtype, pd.CategoricalDtype)
    try:
        return col.dtype == dtype
    except TypeError:
        return False
