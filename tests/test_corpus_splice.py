"""corpus.splice: the cache's way of putting changed files into big tables (splice, without_docs, in_order)."""

import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus import PER_DOCUMENT, build
from analysis.corpus import splice as schema
from conftest import RAW


@pytest.fixture(scope="module")
def corpus_tables(tmp_path_factory):
    """Both seeds and the other-interview transcript: several documents in file order."""
    folder = tmp_path_factory.mktemp("corpus")
    for p in [*RAW.glob("*.*"), *(Path(__file__).parent / "data" / "other-interview").glob("*.*")]:
        if p.suffix in (".txt", ".md") and p.name != "README.md":
            shutil.copy(p, folder / p.name)
    tables = build(folder)
    ids = list(tables["documents"]["doc_id"])
    assert len(ids) >= 3
    return tables, ids


@pytest.mark.parametrize("which", [0, 1, -1])  # the first, a middle and the last file changed
@pytest.mark.parametrize("name", ["documents", "turns", "tokens", "topics", "mentions", "exchanges"])
def test_splice_puts_fresh_rows_where_a_full_build_has_them(corpus_tables, name, which):
    tables, ids = corpus_tables
    changed = ids[which]
    df = tables[name]
    kept = schema.without_docs(df, {changed})
    fresh = df[df["doc_id"] == changed]
    assert len(kept) + len(fresh) == len(df) and len(fresh)
    out = schema.splice(kept, fresh, ids, PER_DOCUMENT[name])
    pd.testing.assert_frame_equal(out, df, check_categorical=False)
    # the same when the old rows of that file are still in ``kept`` and dropped on the way
    stale = df.copy()
    again = schema.splice(stale, fresh, ids, PER_DOCUMENT[name], drop={changed})
    pd.testing.assert_frame_equal(again, df, check_categorical=False)
    for col, dtype in PER_DOCUMENT[name].items():
        if isinstance(dtype, str) and dtype == "category":  # open categories (fixed ones keep their order)
            cats = out[col].cat.categories
            assert cats.is_monotonic_increasing and cats.dtype == schema.STR


def test_splice_drops_removed_files_and_their_words(corpus_tables):
    tables, ids = corpus_tables
    gone = ids[0]
    tokens = tables["tokens"]
    only_there = set(tokens.loc[tokens["doc_id"] == gone, "token"]) - set(tokens.loc[tokens["doc_id"] != gone, "token"])
    assert only_there  # words only the removed file used
    out = schema.splice(tokens, tokens.iloc[:0], ids[1:], PER_DOCUMENT["tokens"], drop={gone})
    expected = tokens[tokens["doc_id"] != gone].reset_index(drop=True)
    pd.testing.assert_frame_equal(out, expected, check_categorical=False)
    assert not only_there & set(out["token"].cat.categories)


def test_splice_sorts_a_kept_table_that_is_out_of_order(corpus_tables):
    tables, ids = corpus_tables
    df = tables["mentions"]
    backwards = pd.concat([df[df["doc_id"] == d] for d in reversed(ids)])  # files out of order
    out = schema.splice(backwards, df.iloc[:0], ids, PER_DOCUMENT["mentions"])
    pd.testing.assert_frame_equal(out, df, check_categorical=False)


def test_splice_leaves_its_inputs_alone(corpus_tables):
    tables, ids = corpus_tables
    tokens = tables["tokens"]
    kept, fresh = tokens[tokens["doc_id"] != ids[1]], tokens[tokens["doc_id"] == ids[1]]
    kept_before, fresh_before = kept.copy(), fresh.copy()
    schema.splice(kept, fresh, ids, PER_DOCUMENT["tokens"], drop={ids[0]})
    pd.testing.assert_frame_equal(kept, kept_before)
    pd.testing.assert_frame_equal(fresh, fresh_before)


def test_conform_casts_only_what_differs():
    df = pd.DataFrame({"b": ["x", "y"], "a": [1, 2]})
    out = schema.conform(df, {"a": "int32", "b": "category", "c": schema.STR})
    assert list(out.columns) == ["a", "b", "c"]
    assert out["a"].dtype == "int32" and isinstance(out["b"].dtype, pd.CategoricalDtype)
    assert out["c"].isna().all() and out["c"].dtype == schema.STR
    assert schema.conform(out, {"a": "int32", "b": "category", "c": schema.STR}) is out  # nothing to do


def test_splice_keeps_rows_of_documents_that_are_not_among_the_files(corpus_tables):
    """Nothing is lost: rows of an id missing from ``ids`` end up first, as in_order puts them."""
    tables, ids = corpus_tables
    df = tables["exchanges"]
    out = schema.splice(df[df["doc_id"] != ids[0]], df[df["doc_id"] == ids[0]], ids[1:], PER_DOCUMENT["exchanges"])
    assert len(out) == len(df)
    assert (out["doc_id"].iloc[:(df["doc_id"] == ids[0]).sum()] == ids[0]).all()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "x"]), st.one_of(st.none(), st.integers(0, 5))),
                max_size=12),
       st.booleans())
def test_order_check_agrees_with_sorting_the_keys(rows, categorical):
    """in_order sorts exactly when the (file rank, place in document) keys are not sorted;
    "x" is a document not among the files; a place may be <NA> (counted as 0) where the
    column allows it."""
    places = [t for _, t in rows]
    dtype = "Int32" if None in places else "int32"
    df = pd.DataFrame({"doc_id": [d for d, _ in rows], "turn_id": pd.array(places, dtype=dtype)})
    if categorical:
        df["doc_id"] = df["doc_id"].astype("category")
    rank = schema.ranks(["a", "b", "c"])
    key = schema.order_key(df, rank)
    keys_sorted = len(key) < 2 or bool((key[1:] >= key[:-1]).all())
    if schema.is_ordered(df, rank):  # never a sort skipped that was needed
        assert keys_sorted
    elif keys_sorted:  # a sort not needed is done only for an unknown document's rows
        assert (df["doc_id"] == "x").any()
    out = schema.in_order({"t": df}, ["a", "b", "c"], {"t": {}})["t"]
    key = schema.order_key(out, rank)
    assert len(key) < 2 or (key[1:] >= key[:-1]).all()

    def rows_of(frame: pd.DataFrame) -> list:
        return sorted(zip(frame["doc_id"].astype(str), frame["turn_id"].fillna(-1).astype(int)))

    assert rows_of(out) == rows_of(df)  # the same rows, only reordered
