"""The numbered notebooks: house layout, and runs on data they were not written for.

nbval already runs every notebook on the bundled transcripts (``testpaths`` and
``addopts`` in pyproject.toml). Here each notebook also runs through papermill,
as a reader would rerun it, with its ``parameters`` cell pointed at
``tests/data/other-interview/``: one new interview in another format than the
seeds (Markdown, bold labels with a note, a second answerer, plain metadata
lines, an editor's note, traditional characters, English terms), and
``OUTPUT_DIR`` at ``tmp_path``. The kernel starts in ``notebooks/``, as in
JupyterLab, so paths must resolve from the project root. The build cache goes
to ``tmp_path`` too, so nothing in the repo is touched.

Each run takes a few seconds (kernel start, imports, one small build, charts).
"""

from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from press_corpus import COPIES, EXPECTED, UNDATED, write_press_corpus

papermill = pytest.importorskip("papermill")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
OTHER = ROOT / "tests" / "data" / "other-interview"
OTHER_DOC_ID = "2025-03-08-xinghe-founder-interview"
EXCERPT_DOC_ID = "2025-07-16-jensen-huang-press-meeting-excerpt"

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
PARAMETERS = {"DATA_DIR", "OUTPUT_DIR", "DOC_ID", "TOP_N"}
# What save_chart writes for one chart name.
SUFFIXES = (".png", "@print.png", ".svg", ".pdf", ".csv")
MAGIC = {".png": b"\x89PNG", ".pdf": b"%PDF", ".svg": b"<?xml"}

CHARTS = {
    "01-transcripts-to-tables.ipynb": ["characters_by_role_per_document"],
    "02-topic-frequency.ipynb": ["topic_frequency_by_exchange", "topic_share_of_answer_text", "topics_by_exchange"],
    "03-answer-length.ipynb": ["answer_length_by_exchange", "answer_length_by_topic", "english_share_by_answer"],
    "04-entity-mentions.ipynb": ["entity_mentions_by_role", "entity_mentions_through_interview"],
    "05-quotes.ipynb": ["keyness_answers_vs_questions"],
    "06-over-time.ipynb": ["mentions_over_time"],
}
# Notebooks over every document (no "Document shown from here on"), and the other files each exports.
CORPUS_NOTEBOOKS = {"05-quotes.ipynb": ["quotes.csv", "quotes.md"], "06-over-time.ipynb": ["mentions_over_time.csv"]}
# Chinese labels on the bundled data (nbval); here half the notebooks run in English.
LANGS = {"01-transcripts-to-tables.ipynb": "zh", "02-topic-frequency.ipynb": "en",
         "03-answer-length.ipynb": "zh", "04-entity-mentions.ipynb": "en", "05-quotes.ipynb": "en",
         "06-over-time.ipynb": "zh"}


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def stdout(nb: dict) -> str:
    return "".join(
        out["text"] if isinstance(out["text"], str) else "".join(out["text"])
        for cell in nb["cells"] if cell["cell_type"] == "code"
        for out in cell.get("outputs", []) if out.get("output_type") == "stream" and out.get("name") == "stdout"
    )


def run(notebook: Path, out: Path, monkeypatch: pytest.MonkeyPatch, **parameters) -> dict:
    """Execute ``notebook`` with ``parameters`` injected; returns the executed notebook."""
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(out / "cache"))  # read by analysis.config in the kernel
    executed = out / f"executed-{notebook.name}"
    papermill.execute_notebook(
        str(notebook), str(executed), parameters=parameters, cwd=str(NOTEBOOK_DIR),
        progress_bar=False, log_output=False, execution_timeout=120,
    )
    return read(executed)


def test_every_notebook_is_covered() -> None:
    assert [nb.name for nb in NOTEBOOKS] == sorted(CHARTS)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.name for nb in NOTEBOOKS])
def test_house_layout(notebook: Path) -> None:
    """STYLE.md "Notebooks": purpose cell, literal parameters, thin cells, committed without outputs."""
    nb = read(notebook)
    assert nb["metadata"]["kernelspec"] == KERNELSPEC
    cells = nb["cells"]
    first = source(cells[0])
    assert cells[0]["cell_type"] == "markdown" and first.startswith("# ")
    for part in ("**Question:**", "**Inputs:**", "**Outputs:**"):
        assert part in first, f"the purpose cell lacks {part}"

    params = cells[1]
    assert params["cell_type"] == "code" and "parameters" in params["metadata"].get("tags", [])
    names = set()
    for stmt in ast.parse(source(params)).body:
        assert isinstance(stmt, ast.Assign) and len(stmt.targets) == 1, ast.unparse(stmt)
        ast.literal_eval(stmt.value)  # literals only, so papermill or a person can replace them
        names.add(stmt.targets[0].id)
    assert PARAMETERS <= names
    assert PARAMETERS <= set(papermill.inspect_notebook(str(notebook)))  # papermill reads them too

    code = [c for c in cells if c["cell_type"] == "code"]
    # The set-up is one call (the glyph check and the house style included: tests/test_notebook.py).
    setup = "session = notebook.start(DATA_DIR, OUTPUT_DIR, DOC_ID, LANG" + (
        ", every_document=True)" if notebook.name in CORPUS_NOTEBOOKS else ")")
    assert setup in source(code[1])
    assert not any("build(" in source(c) for c in code), "the notebook builds the tables itself"
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        assert cell["outputs"] == [] and cell["execution_count"] is None, f"cell {i} has outputs"
        text = source(cell)
        tree = ast.parse(text)
        assert not any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for n in ast.walk(tree)), \
            f"cell {i} defines a function or class: it belongs in src/analysis"
        assert "sys.path" not in text
        if "save_chart(" in text or "export_chart(" in text:
            assert cells[i - 1]["cell_type"] == "markdown", f"cell {i}: a chart needs a sentence of markdown before it"
        if "export_chart(" in text:
            assert len(text.splitlines()) <= 2, f"cell {i}: a standard chart is one call"
        assert "WORKAROUND" not in text, f"cell {i} still works around the package"
    saved = {name for c in code for name in CHARTS[notebook.name] if f'"{name}"' in source(c)}
    assert saved == set(CHARTS[notebook.name])


@pytest.mark.slow  # a kernel per run
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.name for nb in NOTEBOOKS])
def test_runs_on_another_interview(notebook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in OTHER.iterdir()}
    figures = tmp_path / "figures"
    nb = run(notebook, tmp_path, monkeypatch, DATA_DIR="tests/data/other-interview", OUTPUT_DIR=str(figures),
             LANG=LANGS[notebook.name])

    for name in CHARTS[notebook.name]:
        for suffix in SUFFIXES:
            path = figures / f"{name}{suffix}"
            assert path.is_file() and path.stat().st_size > 0, f"{path.name} missing or empty"
            magic = MAGIC.get(path.suffix)
            assert magic is None or path.read_bytes().startswith(magic), f"{path.name} is not a {path.suffix} file"
        csv = (figures / f"{name}.csv").read_text(encoding="utf-8-sig")
        assert OTHER_DOC_ID in csv or notebook.name in CORPUS_NOTEBOOKS, f"{name}.csv does not name the document"
    for name in CORPUS_NOTEBOOKS.get(notebook.name, []):
        assert OTHER_DOC_ID in (figures / name).read_text(encoding="utf-8-sig"), f"{name} does not name the document"
    printed = stdout(nb)
    if notebook.name not in CORPUS_NOTEBOOKS:
        assert f"Document shown from here on: {OTHER_DOC_ID} (picked automatically: the most exchanges; 10 exchanges)" in printed
    if notebook.name == "01-transcripts-to-tables.ipynb":
        assert "0 question(s) appear in more than one document" in printed
        assert "bundled-data checks passed" not in printed
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in OTHER.iterdir()} == raw, "the input was written"


@pytest.mark.slow  # a kernel per run
def test_doc_id_picks_one_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On the bundled data, DOC_ID charts the excerpt alone: the full copy is not added in."""
    nb = run(NOTEBOOK_DIR / "03-answer-length.ipynb", tmp_path, monkeypatch,
             OUTPUT_DIR=str(tmp_path / "figures"), DOC_ID=EXCERPT_DOC_ID)
    printed = stdout(nb)
    assert f"Document shown from here on: {EXCERPT_DOC_ID} (set by DOC_ID; 3 exchanges)" in printed
    assert "黄仁勋：DeepSeek 是一个革命性的突破（2025-07-17）" in printed  # the label in every subtitle
    data = pd.read_csv(tmp_path / "figures" / "answer_length_by_exchange.csv", encoding="utf-8-sig")
    assert data["doc_id"].tolist() == [EXCERPT_DOC_ID] * 3


@pytest.mark.slow  # a kernel per run
def test_own_topics_get_their_chinese_label(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Your data/resources/topics.yaml labels your topic in the notebooks as in ``analysis charts``."""
    mine = tmp_path / "resources"
    mine.mkdir()
    (mine / "topics.yaml").write_text("Nvidia itself:\n  label_zh: 英伟达本身\n  keywords: [英伟达]\n", encoding="utf-8")
    monkeypatch.setenv("ANALYSIS_RESOURCES", str(mine))  # read by analysis.config in the kernel
    run(NOTEBOOK_DIR / "02-topic-frequency.ipynb", tmp_path, monkeypatch, OUTPUT_DIR=str(tmp_path / "figures"))
    data = pd.read_csv(tmp_path / "figures" / "topic_frequency_by_exchange.csv", encoding="utf-8-sig")
    label = data.set_index("topic")["topic_label"]
    assert label["Nvidia itself"] == "英伟达本身"
    assert label["Chips and export controls"] == "芯片与出口管制"  # the shipped topics keep theirs


@pytest.mark.slow  # a kernel per run
def test_unknown_doc_id_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(papermill.PapermillExecutionError, match="unknown doc_id 'no-such-interview'"):
        run(NOTEBOOK_DIR / "04-entity-mentions.ipynb", tmp_path, monkeypatch,
            OUTPUT_DIR=str(tmp_path / "figures"), DOC_ID="no-such-interview")


@pytest.mark.slow
def test_over_time_on_a_generated_corpus_of_press_conferences(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Notebook 06 on dated press conferences with known counts: a gap month, an undated file, a copy."""
    corpus = write_press_corpus(tmp_path / "press")
    nb = run(NOTEBOOK_DIR / "06-over-time.ipynb", tmp_path, monkeypatch, DATA_DIR=str(corpus),
             OUTPUT_DIR=str(tmp_path / "figures"), ENTITIES=["英伟达", "华为"], LANG="en")
    printed = stdout(nb)
    assert f"WARNING: 1 document(s) without a date, left out: {UNDATED[0]}" in printed
    assert f"Copies counted once (left out): {COPIES[0]}" in printed
    data = pd.read_csv(tmp_path / "figures" / "mentions_over_time.csv", encoding="utf-8-sig", dtype={"period": str})
    for i, name in enumerate(["英伟达", "华为"]):
        rows = data[data["series"] == name].set_index("period")
        assert rows.index.tolist() == list(EXPECTED)
        assert rows["n"].fillna(-1).astype(int).tolist() == [-1 if e[i] is None else e[i] for e in EXPECTED.values()]
        assert rows["n_documents"].tolist() == [e[2] for e in EXPECTED.values()]
    assert "the counts add up to the 10 mentions in the answers counted" in printed  # 4 + 1 英伟达, 1 + 3 + 1 华为


@pytest.mark.slow
def test_quotes_notebook_on_a_chosen_term(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = write_press_corpus(tmp_path / "press")
    run(NOTEBOOK_DIR / "05-quotes.ipynb", tmp_path, monkeypatch, DATA_DIR=str(corpus),
        OUTPUT_DIR=str(tmp_path / "figures"), TERM="NVIDIA", LANG="zh")
    found = pd.read_csv(tmp_path / "figures" / "quotes.csv", encoding="utf-8-sig")
    # every spelling of 英伟达 in the answers of every document, dated or not, copies too (each is a place to
    # cite): 2 + 1 (the excerpt) + 2 (英伟达, NVIDIA) + 1 + 5 (undated)
    assert len(found) == 11 and set(found["match"]) == {"英伟达", "NVIDIA"}
    assert (found["role"] == "answer").all()
    md = (tmp_path / "figures" / "quotes.md").read_text(encoding="utf-8")
    assert md.startswith("# NVIDIA\n") and "**NVIDIA**" in md
