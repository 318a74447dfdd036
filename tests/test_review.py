"""Review pages: escaping, every character once, colours by role, warnings, file names;
and a real headless Chromium opening pages built from real transcripts."""

from __future__ import annotations

import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest

from analysis import config, schema
from analysis.cli import main
from analysis.corpus import build, write_tables
from analysis.review import CSS, page_name, page_names, review_page, write_review

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_FILE = "zh_myzaker_liyouyou.md"  # front matter, bold labels, a long lead
SCREENSHOTS = ROOT / "reports" / "browser"

HOSTILE = "<script>window.__pwned = 1</script>"
INJECT = '"><img src=x onerror="window.__pwned=2">'


def make_tables(doc_id: str, text: str, turns: list[tuple], *, body_start: int = 0,
                warnings: str = "", title: str = "") -> dict[str, pd.DataFrame]:
    """Tables for one document. ``turns``: (role, speaker, exchange_id, label, body) in
    order; each ``label + body`` is found in ``text`` after the previous turn."""
    rows, pos = [], body_start
    for i, (role, speaker, exchange_id, label, body) in enumerate(turns):
        start = text.index(label + body, pos)
        text_start, end = start + len(label), start + len(label) + len(body)
        rows.append({"doc_id": doc_id, "turn_id": i, "exchange_id": exchange_id, "role": role,
                     "speaker": speaker, "speaker_label": label, "text": body, "start": start, "end": end,
                     "text_start": text_start, "text_end": end, "n_chars": len("".join(body.split())),
                     "n_han": len(re.findall(r"[\u4e00-\u9fff]", body))})
        pos = end
    turns_df = pd.DataFrame(rows).astype({"turn_id": "int32", "exchange_id": "Int32", "role": "object",
                                          "start": "int32", "end": "int32", "text_start": "int32",
                                          "text_end": "int32", "n_chars": "int32", "n_han": "int32"})
    n_ex = turns_df["exchange_id"].dropna().nunique()
    docs = pd.DataFrame([{"doc_id": doc_id, "path": f"{doc_id}.md", "title": title, "body_start": body_start,
                          "n_turns": len(rows), "n_exchanges": n_ex, "warnings": warnings, "text": text}])
    return {"documents": docs, "turns": turns_df}


# A press meeting: front matter, a remark, two exchanges (the second asked twice and
# answered by two people), a stray line no turn holds, CRLF line ends, and markup.
TEXT = ("---\r\ntitle: 发布会\r\n---\r\n编者按：<b>速记</b>\r\n\r\n主持人：欢迎各位。\r\n\r\n记者：AI & 芯片？\r\n\r\n"
        f"张三：{HOSTILE}很好。\r\n\r\n记者：还有呢？\r\n\r\n记者：再问一次？\r\n\r\n张三：是的。\r\n\r\n李四：同意。\r\n\r\n（完）\r\n")
BODY_START = TEXT.index("编者按")
TURNS = [
    ("narration", None, None, "", "编者按：<b>速记</b>"),
    ("remark", "主持人", None, "主持人：", "欢迎各位。"),
    ("question", "记者", 0, "记者：", "AI & 芯片？"),
    ("answer", "张三", 0, "张三：", f"{HOSTILE}很好。"),
    ("question", "记者", 1, "记者：", "还有呢？"),
    ("question", "记者", 1, "记者：", "再问一次？"),
    ("answer", "张三", 1, "张三：", "是的。"),
    ("answer", "李四", 1, "李四：", "同意。"),
]
WARNINGS = "line 3: speaker label without a colon read as '张三'; no <answers> found"


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    return make_tables("meetings/发布会", TEXT, TURNS, body_start=BODY_START, warnings=WARNINGS, title="发布会 & 速记")


class PageText(HTMLParser):
    """The text inside ``<main id="text">`` (character references decoded), and its turns."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth, self.parts, self.turns, self.stray = 0, [], [], []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if self.depth or attrs.get("id") == "text":
            self.depth += 1
        if self.depth and "turn" in (attrs.get("class") or "").split():
            self.turns.append(attrs)
        if self.depth and attrs.get("class") == "stray":
            self.stray.append(len("".join(self.parts)))

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def read_page(page: str) -> PageText:
    parser = PageText()
    parser.feed(page)
    parser.close()
    return parser


def test_every_character_once_in_order(tables) -> None:
    page = read_page(review_page(tables, "meetings/发布会"))
    assert "".join(page.parts) == TEXT  # CRLF kept: \r is written as &#13;
    assert "&#13;" in review_page(tables, "meetings/发布会")
    assert page.stray == [TEXT.index("（完）")]  # the line no turn holds is shown, marked


def test_transcript_text_is_escaped(tables) -> None:
    tables["turns"].loc[3, "speaker"] = INJECT  # a speaker name is transcript text too
    html = review_page(tables, "meetings/发布会")
    assert "<script" not in html.lower()
    assert "<img" not in html and "<b>速记" not in html and "&lt;b&gt;速记&lt;/b&gt;" in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "AI &amp; 芯片？" in html and "<title>发布会 &amp; 速记 · review</title>" in html
    assert read_page(html).turns[3]["data-speaker"] == INJECT  # escaped in the attribute, read back as written


def test_turns_coloured_by_role_with_margin_notes(tables) -> None:
    tables["turns"].loc[7, "role"] = "aside"  # a role the page does not know
    turns = read_page(review_page(tables, "meetings/发布会")).turns
    assert [t["class"] for t in turns] == ["turn role-narration", "turn role-remark", "turn role-question opens",
                                           "turn role-answer", "turn role-question opens", "turn role-question",
                                           "turn role-answer", "turn role-other"]
    assert [t["data-speaker"] for t in turns] == ["", "主持人", "记者", "张三", "记者", "记者", "张三", "李四"]
    assert [t["data-info"] for t in turns[:4]] == ["narration", "remark · 5 chars", "question · ex. 0 · 6 chars",
                                                   "answer · ex. 0 · 36 chars"]
    assert turns[7]["data-role"] == "aside" and turns[7]["data-info"] == "aside · ex. 1 · 3 chars"
    colours = {role: re.search(rf"\.role-{role}\{{--c:(#[0-9a-f]{{6}})", CSS).group(1)
               for role in ("question", "answer", "remark", "narration", "other")}
    assert len(set(colours.values())) == 5


def test_speaker_label_is_marked() -> None:
    text = "**王敖**：答案在这里。**"
    one = make_tables("d", text, [("answer", "王敖", 0, "**王敖**：", "答案在这里。")])
    one["turns"].loc[0, "end"] = len(text)  # the closing ** belongs to the turn but not to its text
    html = review_page(one, "d")
    assert '<div class="body"><span class="label">**王敖**：</span>答案在这里。<span class="label">**</span></div>' in html


def test_counts_and_warnings_on_top(tables) -> None:
    html = review_page(tables, "meetings/发布会")
    stats = re.findall(r"<b>([\d,]+)</b><span>(\w+)</span>", html)
    assert stats == [("8", "turns"), ("3", "question"), ("3", "answer"), ("1", "remark"), ("1", "narration"),
                     ("2", "exchanges")]
    speakers = re.findall(r"<tr><th>(\S+?)</th>((?:<td>\S*?</td>)+)</tr>", html)
    assert speakers == [("主持人", "<td></td><td></td><td>1</td><td></td>"),
                        ("记者", "<td>3</td><td></td><td></td><td></td>"),
                        ("张三", "<td></td><td>2</td><td></td><td>39</td>"),  # 33 + 3 + 3 characters
                        ("李四", "<td></td><td>1</td><td></td><td>3</td>")]
    assert re.search(r"<h2>2 warnings</h2><ul>(.*?)</ul>", html).group(1) == (
        "<li>line 3: speaker label without a colon read as &#x27;张三&#x27;</li><li>no &lt;answers&gt; found</li>")
    assert html.index("warnings</h2>") < html.index('id="text"')


def test_exchange_without_answer_or_with_a_longer_question_is_flagged() -> None:
    text = "Q：这是一个很长很长的问题吗？\nA：是。\nQ：没有回答？\n"
    one = make_tables("d", text, [("question", "Q", 0, "Q：", "这是一个很长很长的问题吗？"),
                                  ("answer", "A", 0, "A：", "是。"), ("question", "Q", 1, "Q：", "没有回答？")])
    turns = read_page(review_page(one, "d")).turns
    assert [t.get("data-flag") for t in turns] == ["question longer than its answer", None,
                                                   "no answer in this exchange"]
    bars = re.findall(r'<a class="bar( noanswer)?" href="#ex-(\d)" title="([^"]+)"', review_page(one, "d"))
    assert bars == [("", "0", "exchange 0: question 13 chars, answer 2 chars"),
                    (" noanswer", "1", "exchange 1: question 5 chars, answer 0 chars")]
    anchors = re.findall(r'<span class="anchor" id="ex-(\d)"></span><div class="turn role-(\w+)', review_page(one, "d"))
    assert anchors == [("0", "question"), ("1", "question")]  # each bar links to its exchange's first turn


def test_overlapping_offsets_never_show_a_character_twice() -> None:
    text = "甲：一二三。乙：四五。"
    one = make_tables("d", text, [("question", "甲", 0, "甲：", "一二三。"), ("answer", "乙", 0, "乙：", "四五。")])
    one["turns"].loc[0, ["end", "text_end"]] = 8  # runs into the next turn's label
    page = read_page(review_page(one, "d"))
    assert "".join(page.parts) == text


def test_unknown_document_is_an_error(tables) -> None:
    with pytest.raises(ValueError, match="'nope': no such document"):
        review_page(tables, "nope")


@pytest.mark.parametrize("doc_id, expected", [
    ("2024-03-01-ceo", "2024-03-01-ceo.html"),
    ("a.txt", "a.txt.html"),
    ("访谈_张三", "访谈_张三.html"),
])
def test_page_name_keeps_plain_ids(doc_id: str, expected: str) -> None:
    assert page_name(doc_id) == expected


@pytest.mark.parametrize("doc_id, stem", [
    ("interviews/2024-03-01-ceo", "interviews-2024-03-01-ceo"),
    ("访谈/张三 专访", "访谈-张三-专访"),
    ("../../etc/passwd", "etc-passwd"),
    ("index", "index"),
    ("CON", "CON"),
    ("///", "document"),
])
def test_page_name_of_unsafe_ids_is_hashed(doc_id: str, stem: str) -> None:
    name = page_name(doc_id)
    assert re.fullmatch(rf"{re.escape(stem)}-[0-9a-f]{{8}}\.html", name)
    assert "/" not in name and name != f"{stem}.html"


def test_page_names_differ_on_case_insensitive_file_systems() -> None:
    names = page_names(["Talk", "talk", "other"])
    assert len({n.casefold() for n in names.values()}) == 3 and names["other"] == "other.html"


def test_write_review_pages_and_index(tables, tmp_path: Path) -> None:
    second = make_tables("2024/访谈", "问：好吗？\n答：好。\n", [("question", "问", 0, "问：", "好吗？"),
                                                            ("answer", "答", 0, "答：", "好。")])
    both = {name: pd.concat([tables[name], second[name]], ignore_index=True) for name in tables}
    written = write_review(both, tmp_path / "review")
    assert [p.name for p in written] == [page_name("meetings/发布会"), page_name("2024/访谈"), "index.html"]
    assert sorted(p.name for p in (tmp_path / "review").iterdir()) == sorted(p.name for p in written)  # no temp files
    index = written[-1].read_text(encoding="utf-8")
    links = [unquote(h) for h in re.findall(r'<a href="([^"#]+)">', index)]
    assert links == [written[0].name, written[1].name]
    assert "<li>no &lt;answers&gt; found</li>" in index
    assert index.count('<td class="zero">0</td>') == 0
    no_answers = {name: df.assign(role=df["role"].replace("answer", "remark")) if name == "turns" else df
                  for name, df in both.items()}
    assert write_review(no_answers, tmp_path / "b")[-1].read_text(encoding="utf-8").count('<td class="zero">0</td>') == 2
    row = re.search(r">2024/访谈</a></td>((?:<td>[\d,]+</td>)+)", index).group(1)
    assert row == "<td>2</td><td>1</td><td>1</td><td>0</td><td>1</td>"  # turns, questions, answers, remarks, exchanges
    assert "".join(read_page(written[1].read_text(encoding="utf-8")).parts) == "问：好吗？\n答：好。\n"


def test_write_review_refuses_the_raw_folder(tables) -> None:
    with pytest.raises(ValueError, match="refusing to write into the raw data folder"):
        write_review(tables, config.RAW_DIR / "review")


def test_cli_review_builds_or_reads_tables(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "talk.md").write_text(f"记者：你好吗？\n\n王五：{HOSTILE}\n", encoding="utf-8")
    assert main(["review", "--raw", str(raw), "--out", str(tmp_path / "a")]) == 0
    assert capsys.readouterr().out == f"wrote 1 review page; open {tmp_path / 'a' / 'index.html'}\n"
    assert "&lt;script&gt;" in (tmp_path / "a" / "talk.html").read_text(encoding="utf-8")
    write_tables(build(raw), tmp_path / "processed")
    assert main(["review", "--processed", str(tmp_path / "processed"), "--out", str(tmp_path / "b")]) == 0
    assert (tmp_path / "b" / "talk.html").read_bytes() == (tmp_path / "a" / "talk.html").read_bytes()
    assert main(["review", "--processed", str(tmp_path / "none"), "--out", str(tmp_path / "c")]) == 2


# --- a real browser ------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
WIDTHS = (1280, 390)  # a desktop and a phone
SHOTS = ("zh_myzaker_liyouyou", "2025-07-16-jensen-huang-press-meeting-full")

JS_PAGE = """() => {
  const turns = [...document.querySelectorAll('#text .turn')];
  const style = (el, pseudo) => getComputedStyle(el, pseudo);
  const first = (role) => turns.find((t) => t.dataset.role === role);
  const colour = (role) => first(role) ? style(first(role).querySelector('.body')).borderLeftColor : null;
  const answer = first('answer');
  return {
    text: document.getElementById('text').textContent,
    shown: document.getElementById('text').innerText,
    turns: turns.length,
    scripts: document.scripts.length,
    pwned: window.__pwned === undefined ? null : window.__pwned,
    question: colour('question'), answer: colour('answer'), narration: colour('narration'),
    answerMargin: answer ? style(answer, '::before').content : null,
    marginLeftOfText: answer ? answer.getBoundingClientRect().left + 1 <
      answer.querySelector('.body').getBoundingClientRect().left : null,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


@pytest.fixture(scope="module")
def real_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, pd.DataFrame], dict[str, Path]]:
    """Pages of the bundled transcripts, one real transcript from the shared corpus and a hostile one."""
    if not (CORPUS / CORPUS_FILE).is_file():
        pytest.skip(f"the shared corpus is not here ({CORPUS}): no real transcript to open")
    raw = tmp_path_factory.mktemp("raw")
    for path in [*sorted(config.RAW_DIR.glob("*.md")), *sorted(config.RAW_DIR.glob("*.txt")), CORPUS / CORPUS_FILE]:
        if path.name != "README.md":
            shutil.copy(path, raw / path.name)
    (raw / "hostile.md").write_text(f"记者：{INJECT}是什么？\n\n张三：{HOSTILE}就是这个。\n", encoding="utf-8")
    tables = build(raw)
    written = write_review(tables, tmp_path_factory.mktemp("review"))
    return tables, {p.stem: p for p in written}


def open_pages(pages: dict[str, Path], fonts: Path) -> dict:
    """Open every page in headless Chromium at each width: what the page shows, what it
    requested, and the index's rows and first link; screenshots of ``SHOTS``."""
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM_ARGS, fontconfig_with_bundled_font  # the project's way to drive chromium

    args = (["--no-sandbox"] if os.geteuid() == 0 else []) + CHROMIUM_ARGS
    env = {**os.environ, **fontconfig_with_bundled_font(fonts)}
    seen = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args, env=env)
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            for name, path in pages.items():
                page = context.new_page()
                requests = []
                page.on("request", lambda r, requests=requests: requests.append(r.url))
                page.goto(path.as_uri())
                if name == "index":
                    rows = page.locator("table.index tbody tr").count()
                    page.click("text=现代快报独家对话举报人李悠悠")
                    seen[name, width] = {"rows": rows, "requests": requests, "followed": unquote(page.url)}
                else:
                    seen[name, width] = {**page.evaluate(JS_PAGE), "requests": requests}
                if name in SHOTS:
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    height = min(page.evaluate("document.documentElement.scrollHeight"), 3200)
                    page.screenshot(path=str(SCREENSHOTS / f"review-{name}-{width}.png"),
                                    clip={"x": 0, "y": 0, "width": width, "height": height}, full_page=True)
                page.close()
            context.close()
        browser.close()
    return seen


@pytest.fixture(scope="module")
def shown(real_pages, tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not CHROMIUM.is_file():
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright not importable (pip install playwright)")
    # In a thread of its own: a thread holds one sync Playwright, and test_browser's may be running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(open_pages, real_pages[1], tmp_path_factory.mktemp("chromium")).result()


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_pages_in_chromium(real_pages, shown, width: int) -> None:
    tables, pages = real_pages
    docs = tables["documents"].set_index("doc_id")
    assert set(pages) == {*docs.index, "index"} and len(docs) == 4
    for doc_id in docs.index:
        got = shown[doc_id, width]
        turns = tables["turns"][tables["turns"]["doc_id"] == doc_id]
        assert got["requests"] == [pages[doc_id].as_uri()], f"{doc_id}: the page loads nothing but itself"
        assert got["turns"] == len(turns) and got["text"] == docs.loc[doc_id, "text"]
        assert got["scripts"] == 0 and got["pwned"] is None
        assert got["question"] != got["answer"] and got["narration"] not in (got["question"], got["answer"])
        first_answer = turns[turns["role"] == "answer"].sort_values("start").iloc[0]
        assert got["answerMargin"] == f'"{first_answer.speaker}"'
        assert got["marginLeftOfText"] is (width > 720) and got["overflow"] <= 0
    assert HOSTILE in shown["hostile", width]["shown"] and INJECT in shown["hostile", width]["shown"]
    index = shown["index", width]
    assert index["rows"] == 4 and index["followed"] == pages["zh_myzaker_liyouyou"].as_uri()
