"""Tokens -> keyness: the words that set one group of turns apart from another, with G² and an effect size.

``count_keyness(tokens, {"role": "answer"}, {"role": "question"})`` compares the
answers with the questions; ``{"speaker": "黄仁勋"}`` one speaker with everyone
else; ``{"doc_id": ...}`` one document with the rest of the corpus. Words are
the tokens' ``norm``; stopwords, punctuation, numbers and fillers (嗯, 那个,
um, you know...) are left out.

``score_keyness`` is quanteda's ``textstat_keyness(x, measure = "lr")`` (the
C++ ``lr_lambda`` of quanteda.textstats, its default correction): for each
word, a = its count in the target, b = in the reference, c and d the other
words of each group, N = a + b + c + d, E = (a + b)(a + c) / N;

- Yates' correction when an expected cell is below 5 and |ad − bc| ≥ N/2:
  0.5 is moved between the cells towards independence (the margins stay);
- G² = 2 Σ O ln(O / E + 10⁻⁹) over the four cells, negative when a < E
  (the word is *under*-used in the target);
- p = P(χ²₁ ≥ |G²|).

quanteda's help page says Williams' correction is the default for ``lr``; its
code applies Yates', and so does this. ``correction="williams"`` or ``"none"``
give the others. The effect size, which quanteda does not report, is Hardie's
Log Ratio: log₂ of the ratio of the relative frequencies (a zero count taken as
0.5), so 1 means twice as frequent in the target, −1 half as frequent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["FILLERS", "KEYNESS_COLUMNS", "score_keyness", "count_keyness", "group_mask"]

# Hesitations and discourse fillers of spoken Chinese and English: frequent in answers, telling nothing.
FILLERS = frozenset({
    "嗯", "啊", "呃", "哦", "噢", "哎", "唉", "诶", "欸", "呢", "吧", "嘛", "呀", "哈", "哈哈", "嘿",
    "那个", "这个", "就是", "就是说", "然后", "对吧", "是吧", "怎么说", "怎么说呢", "其实", "对对", "对对对",
    "um", "uh", "er", "erm", "ah", "oh", "hmm", "mm", "yeah", "okay", "ok", "like", "you know", "i mean",
    "sort of", "kind of", "well",
})

KEYNESS_COLUMNS = ["term", "G2", "p", "n_target", "n_reference", "log_ratio",
                   "per_10k_target", "per_10k_reference", "total_target", "total_reference"]

CORRECTIONS = ("default", "yates", "williams", "none")
_EPSILON = 1e-9  # quanteda's offset for zero cells


def score_keyness(counts: pd.DataFrame, *, correction: str = "default") -> pd.DataFrame:
    """G², p and Log Ratio for each row of ``counts`` (term, n_target, n_reference), as quanteda computes G².

    The group totals are the column sums, as in quanteda (c = target total − a).
    Out: ``KEYNESS_COLUMNS``, sorted by G² (highest first), then term.
    """
    if correction not in CORRECTIONS:
        raise ValueError(f"correction={correction!r}: choose from {CORRECTIONS}")
    missing = {"term", "n_target", "n_reference"} - set(counts.columns)
    if missing:
        raise ValueError(f"counts lacks column(s) {sorted(missing)}")
    a = counts["n_target"].to_numpy(dtype=float)
    b = counts["n_reference"].to_numpy(dtype=float)
    t_total, r_total = a.sum(), b.sum()
    if t_total == 0 or r_total == 0:
        raise ValueError(f"nothing to compare: {int(t_total)} target and {int(r_total)} reference words")
    c, d = t_total - a, r_total - b
    n = a + b + c + d
    e11 = (a + b) * (a + c) / n
    sign = np.where(a > e11, 1.0, -1.0)
    aa, bb, cc, dd = a.copy(), b.copy(), c.copy(), d.copy()
    if correction in ("default", "yates"):
        small = (((a + b) * (a + c) / n < 5) | ((a + b) * (b + d) / n < 5)
                 | ((a + c) * (c + d) / n < 5) | ((c + d) * (b + d) / n < 5))
        delta = np.where((np.abs(a * d - b * c) >= n / 2) & small, 0.5, 0.0)
        toward = np.where(a * d - b * c > 0, -delta, delta)  # towards independence
        aa, bb, cc, dd = a + toward, b - toward, c - toward, d + toward
    with np.errstate(divide="ignore", invalid="ignore"):
        cells = [(aa, (aa + bb) * (aa + cc)), (bb, (aa + bb) * (bb + dd)),
                 (cc, (aa + cc) * (cc + dd)), (dd, (bb + dd) * (cc + dd))]
        g2 = 2 * sum(np.where(o > 0, o * np.log(o / (m / n) + _EPSILON), 0.0) for o, m in cells) * sign
    if correction == "williams":
        q = np.where(a * b * c * d == 0, 1.0,
                     1 + (n / (a + b) + n / (c + d) - 1) * (n / (a + c) + n / (b + d) - 1) / (6 * n))
        g2 = g2 / q
    p = np.array([math.erfc(math.sqrt(abs(g) / 2)) for g in g2])  # P(chi2 with 1 df >= |G2|)
    log_ratio = np.log2((np.where(a > 0, a, 0.5) / t_total) / (np.where(b > 0, b, 0.5) / r_total))
    out = pd.DataFrame({
        "term": counts["term"].astype(str).to_numpy(), "G2": g2, "p": p,
        "n_target": a.astype("int64"), "n_reference": b.astype("int64"), "log_ratio": log_ratio,
        "per_10k_target": a / t_total * 10_000, "per_10k_reference": b / r_total * 10_000,
        "total_target": int(t_total), "total_reference": int(r_total),
    })
    return out.sort_values(["G2", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def group_mask(df: pd.DataFrame, group: Mapping[str, object] | pd.Series) -> pd.Series:
    """Rows of ``df`` in ``group``: a boolean Series, or {column: value or list of values} (all must hold)."""
    if isinstance(group, pd.Series):
        return group.reindex(df.index, fill_value=False).astype(bool)
    mask = pd.Series(True, index=df.index)
    for column, value in group.items():
        if column not in df.columns:
            raise ValueError(f"no column {column!r} to select a group by; the columns are: {', '.join(df.columns)}")
        values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        col = df[column].astype("string")
        mask &= col.isin([str(v) for v in values]).fillna(False).astype(bool)
    return mask


def count_keyness(tokens: pd.DataFrame, target: Mapping[str, object] | pd.Series,
                  reference: Mapping[str, object] | pd.Series | None = None, *, min_count: int = 2,
                  fillers: frozenset[str] | set[str] = FILLERS, keep_numbers: bool = False,
                  correction: str = "default") -> pd.DataFrame:
    """Keyness of every word in the ``target`` tokens against the ``reference`` tokens (default: all the others).

    In: the tokens table (``norm``, ``is_stopword``, ``is_punct``, ``script`` and
    the columns the groups name). Words are ``norm``; stopwords, punctuation,
    ``fillers`` and (unless ``keep_numbers``) numbers are left out before
    counting, so the totals are of the words compared. Words seen fewer than
    ``min_count`` times in both groups together are dropped after scoring (the
    totals keep them, as when quanteda scores a trimmed dfm's full counts).
    Out: ``score_keyness``'s columns, highest G² first (negative G² are the
    words the target uses less), and ``written``: the word as most often written.
    """
    needed = {"norm", "is_stopword", "is_punct"}
    if needed - set(tokens.columns):
        raise ValueError(f"tokens lacks column(s) {sorted(needed - set(tokens.columns))}")
    in_target = group_mask(tokens, target)
    in_reference = ~in_target if reference is None else group_mask(tokens, reference) & ~in_target
    words = ~tokens["is_stopword"].astype(bool) & ~tokens["is_punct"].astype(bool)
    norm = tokens["norm"].astype(str)
    words &= ~norm.isin(fillers) & (norm.str.strip() != "")
    if not keep_numbers:
        words &= ~norm.str.fullmatch(r"[\d.,%％]+")
    if "script" in tokens.columns and not keep_numbers:
        words &= tokens["script"].astype("string").fillna("") != "digit"
    t = norm[words & in_target].value_counts()
    r = norm[words & in_reference].value_counts()
    if t.empty or r.empty:
        raise ValueError(f"nothing to compare: {int(t.sum())} target words, {int(r.sum())} reference words")
    counts = pd.concat([t.rename("n_target"), r.rename("n_reference")], axis=1).fillna(0).astype("int64")
    counts = counts.rename_axis("term").reset_index()
    scored = score_keyness(counts, correction=correction)
    scored = scored[scored["n_target"] + scored["n_reference"] >= min_count].reset_index(drop=True)
    if "token" in tokens.columns:  # the form most often written, for labels: "NVIDIA" for the norm "nvidia"
        used = tokens.loc[words & (in_target | in_reference), ["token"]].assign(term=norm)
        written = used.groupby(["term", "token"]).size().reset_index().sort_values(
            [0, "token"], ascending=[False, True], kind="stable").drop_duplicates("term").set_index("term")["token"]
        scored.insert(1, "written", scored["term"].map(written).astype(str))
    return scored
