"""analysis.charts.export: save_chart writes every format atomically and repeatably; PDFs embed the font."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import subprocess  # noqa: E402
from PIL import Image  # noqa: E402
from pathlib import Path  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import charts, config  # noqa: E402
from analysis.charts import fonts  # noqa: E402
from .chart_helpers import SIMPLIFIED, TRADITIONAL, needs_poppler, small_chart  # noqa: E402


def test_save_chart_writes_every_format(tmp_path):
    data = pd.DataFrame({"entity": ["英伟达", "輝達"], "n": [3, 2]})
    paths = charts.save_chart(small_chart(), "entity_mentions", out_dir=tmp_path, data=data)
    assert [p.name for p in paths] == ["entity_mentions.png", "entity_mentions@print.png", "entity_mentions.svg",
                                       "entity_mentions.pdf", "entity_mentions.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)  # no temp files left
    assert all(p.stat().st_size > 0 for p in paths)
    web, print_ = Image.open(paths[0]), Image.open(paths[1])
    assert web.size == (1200, 750) and print_.size == (2400, 1500)  # 8 x 5 in at 150 and 300 dpi
    assert paths[4].read_bytes().startswith(b"\xef\xbb\xbf")
    pd.testing.assert_frame_equal(pd.read_csv(paths[4], encoding="utf-8-sig"), data)
    assert "<text" not in paths[2].read_text(encoding="utf-8")  # text as outlines: no font needed


def test_save_chart_is_byte_for_byte_repeatable(tmp_path):
    first = charts.save_chart(small_chart(), "c", out_dir=tmp_path / "a")
    second = charts.save_chart(small_chart(), "c", out_dir=tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_save_chart_only_requested_formats(tmp_path):
    paths = charts.save_chart(small_chart(), "c", out_dir=tmp_path, formats=("svg",))
    assert [p.name for p in paths] == ["c.svg"]
    paths = charts.save_chart(small_chart(), "c", out_dir=tmp_path, formats=("png",), dpi_print=None)
    assert [p.name for p in paths] == ["c.png"]


@pytest.mark.parametrize("name, formats", [("fig/3", ("png",)), ("", ("png",)), ("..", ("png",)), ("c", ("jpg",))])
def test_save_chart_rejects_bad_arguments(tmp_path, name, formats):
    with pytest.raises(ValueError):
        charts.save_chart(small_chart(), name, out_dir=tmp_path, formats=formats)


def test_save_chart_refuses_the_raw_folder():
    with pytest.raises(ValueError, match="raw"):
        charts.save_chart(small_chart(), "c", out_dir=config.RAW_DIR)


@pytest.fixture
def pdf(tmp_path) -> Path:
    (path,) = charts.save_chart(small_chart(), "c", out_dir=tmp_path, formats=("pdf",))
    return path


@needs_poppler
def test_pdf_embeds_the_font(pdf):
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:]]
    assert rows, out
    family = fonts.cjk_font().family.replace(" ", "")
    assert all(family in r[0] for r in rows), out
    assert all("yes" == r[-5] for r in rows), out  # the emb column


@needs_poppler
def test_pdf_text_is_real_text(pdf):
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"{SIMPLIFIED}：{TRADITIONAL}" in out
    assert "来源：张小珺" in out


@needs_poppler
def test_pdf_renders_with_text(pdf, tmp_path):
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    page = np.asarray(Image.open(tmp_path / "page.png").convert("L"))
    assert (page < 128).mean() > 0.005  # dark pixels: bars and text, not a blank page
    # The title band (top 8% of the page, above any bars) has ink: the glyphs were drawn.
    assert (page[: int(page.shape[0] * 0.08)] < 128).any()
