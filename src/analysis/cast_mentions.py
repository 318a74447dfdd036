"""Mentions of a document's own cast, for ``analysis.entities.to_mentions``.

- ``speaker_mentions``: where a document names one of its own speakers;
- ``short_forms``: a surname and a title (林校长, 李生, 林太) is the document's one
  person with that surname;
- ``places_as_people``: a place whose name is also a person's (沈阳) is that person
  throughout a document that uses it as one (长江学者沈阳, 沈阳回应).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis import doc_names, shadow
from analysis.names import HAN_NAME, frame, has_surname

_LATIN_SPEAKER = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,3}")


def speaker_names(turns: pd.DataFrame, single, double) -> list[str]:
    """Speakers whose name looks like a personal name (not Q, 记者, 主持人, ...)."""
    names = turns.loc[turns["role"].isin(["question", "answer", "remark"]), "speaker"].dropna().astype(str).unique()
    out = []
    for n in names:
        n = n.strip()
        if HAN_NAME.fullmatch(n) and has_surname(shadow.simplified(n), single, double) or _LATIN_SPEAKER.fullmatch(n):
            out.append(n)
    return out


# --- mentions ------------------------------------------------------------------------------


def speaker_mentions(joined: str, tok: pd.DataFrame, turns: pd.DataFrame, turn_off: np.ndarray, lens: np.ndarray,
                      single, double, known: set[str]) -> dict[str, np.ndarray]:
    """Where a document names one of its own speakers (at a token start, as a whole
    Latin word); registry names are left to the registry."""
    from analysis import entities  # entities calls this module

    starts = tok["start"].to_numpy()
    doc = pd.factorize(turns["doc_id"].astype(str))[0]
    heads = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1]]) if len(doc) else doc
    rows = []
    for h, t in zip(heads.tolist(), np.r_[heads[1:], len(doc)].tolist()):
        a, b = int(turn_off[h]), int(turn_off[t - 1] + lens[t - 1])
        for name in speaker_names(turns.iloc[h:t], single, double):
            if entities._alias_key(name) in known or entities._alias_key(shadow.simplified(name)) in known:
                continue
            for m in re.finditer(re.escape(shadow.simplified(name)), joined[a:b]):
                s, e = m.start() + a, m.end() + a
                if entities._boundary(joined, s, joined[s])[0] and entities._boundary(joined, e, joined[e - 1])[0]:
                    rows.append((s, e, name, "person", "detected", 1))
    at_token = np.isin(np.array([r[0] for r in rows], dtype=np.int64), starts)
    return frame([r for r, ok in zip(rows, at_token.tolist()) if ok])


def places_as_people(out: pd.DataFrame, turns: pd.DataFrame, turn_off: np.ndarray, joined: str, surnames) -> pd.DataFrame:
    """A place whose name is also a person's (沈阳) is that person throughout a
    document that uses it as one (长江学者沈阳, 沈阳回应)."""
    places = out.index[out["entity_type"] == "place"]
    if not len(places):
        return out
    shift = dict(zip(zip(turns["doc_id"].astype(str), turns["turn_id"]), turn_off - turns["text_start"].to_numpy()))
    sel = out.loc[places]
    at = np.array([shift[d, t] for d, t in zip(sel["doc_id"].astype(str), sel["turn_id"])], dtype=np.int64)
    spans = pd.DataFrame({"doc_id": sel["doc_id"].astype(str), "entity": sel["entity"], "s": sel["start"] + at,
                          "e": sel["end"] + at}, index=places)
    flip = [ix for _, g in spans.groupby(["doc_id", "entity"])
            if doc_names.used_as_a_person(joined, zip(g["s"], g["e"]), surnames) for ix in g.index]
    if not flip:
        return out
    out = out.copy()
    out.loc[flip, "entity"] = out.loc[flip, "surface"]
    out.loc[flip, "entity_type"] = "person"
    out.loc[flip, "source"] = "detected"
    return out


def short_forms(out: pd.DataFrame, found: list, turns: pd.DataFrame, said: str, turn_off: np.ndarray, joined: str,
                 lens: np.ndarray, surnames) -> pd.DataFrame:
    """A surname and a title (林校长, 李生, 林太) is a mention of the one person of
    the document with that surname, whether it was detected or not."""
    doc = pd.factorize(turns["doc_id"].astype(str))[0]
    people = out.loc[out["entity_type"] == "person"].groupby("doc_id", observed=True)["entity"].agg(list).to_dict()
    heads = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1]])
    rows, alias = [], {}
    for h, t in zip(heads.tolist(), np.r_[heads[1:], len(doc)].tolist()):
        doc_id = str(turns["doc_id"].iloc[h])
        forms = doc_names.short_forms(doc_names.cast_by_surname(people.get(doc_id, ()), surnames, shadow.simplified))
        if not forms:
            continue
        alias[doc_id] = forms
        a, b = int(turn_off[h]), int(turn_off[t - 1] + lens[t - 1])
        for m in doc_names.spans_iter(joined, forms, a, b):
            rows.append((m[0], m[1], forms[joined[m[0]:m[1]]], "person", "detected", 1))
    if not rows:
        return out
    from analysis import entities  # entities calls this module

    return entities._finish([*found, frame(rows)], turns, said, turn_off, joined)
