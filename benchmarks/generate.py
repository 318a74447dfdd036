"""Real transcript text -> a synthetic corpus of any size, for the benchmark.

The bundled transcripts (``data/raw/``) and any folder given with ``--source``
are cut into their parts: lead narration, questions, answer paragraphs and the
sentences of the answers. New transcripts are assembled from those parts with
the speaker-label structure of real ones (a lead, ``Q：``/``问：``/``记者：``/
timestamped labels, the interviewee's name, Markdown bold labels and front
matter, answer paragraphs without labels) and varied so that little is a
verbatim copy a per-text cache could remember: most answer paragraphs are new
combinations of sentences from different documents, names and digits are
substituted from small lists, and the layout (indentation, ASCII punctuation
as in web copies, CRLF line endings, a few traditional-Chinese documents)
changes from file to file. Every file is UTF-8 and the same seed gives the
same bytes.

    python benchmarks/generate.py OUT_DIR [--size-mb 20 | --files 1000] [--seed 0] [--source DIR ...]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import config

FILE_BYTES = 20_000  # average size of a generated transcript

_PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t\u00a0\u3000]*\r?\n")
_SENTENCE_END = re.compile(r"(?<=[。！？!?；])")
_DIGITS = re.compile(r"\d+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_URL_OR_IMAGE = re.compile(r"^(?:!\[|https?://)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_DAY = re.compile(r"\d{1,2}月\d{1,2}日")


# Substitutions. Small lists on purpose: the text stays plausible, the strings change.
INTERVIEWEES = ("黄仁勋", "李开复", "王小川", "张一鸣", "雷军", "周鸿祎", "李彦宏", "刘慈欣", "杨元庆",
                "俞敏洪", "董明珠", "王传福", "何小鹏", "李想", "曹德旺", "罗永浩", "梁文锋", "杨植麟",
                "陈睿", "王兴")
OUTLETS = ("张小珺", "晚点LatePost", "财新", "第一财经", "36氪", "界面新闻", "澎湃新闻", "21世纪经济报道",
           "南方周末", "三联生活周刊")
SOURCE_OUTLETS = ("张小珺", "宝玉")  # who published the bundled copies
OPENERS = ("", "", "", "我想追问一下，", "刚才您提到，", "最后一个问题，", "换个话题，", "很多读者关心，",
           "有一个具体的问题，", "回到开头，")
ASIDES = ("（笑）", "（现场笑声）", "（停顿）", "（掌声）", "（突然用中文）", "[音频不清]")
TOPICS = ("DeepSeek", "开源", "AI安全", "芯片出口", "大模型", "自动驾驶", "机器人", "算力", "人才", "供应链",
          "竞争", "估值", "接班人", "管理", "出海", "监管", "电动车", "教育", "创业", "家庭")
LEADS = (
    "北京时间{month}月{day}日，{name}接受{outlet}专访，谈及{topics}等问题。",
    "{month}月{day}日，{name}出席媒体见面会，回答了{n}个问题，话题涉及{topics}。",
    "以下是{outlet}对{name}的专访实录，经{name}本人审阅，有删节。他谈到了{topics}。",
    "{name}很少接受采访。这次对话持续了近{n}分钟，我们聊了{topics}。",
    "本文整理自{outlet}{month}月{day}日的直播对谈，{name}谈及{topics}等话题。",
)
# Interchangeable words, swapped at random so that short paragraphs recur in many forms.
SYNONYMS = (("非常", "特别", "十分", "很"), ("我们", "咱们"), ("因为", "由于"), ("所以", "因此"), ("公司", "企业"),
            ("技术", "科技"), ("觉得", "认为"), ("现在", "目前", "如今"), ("很多", "许多", "不少"),
            ("重要", "关键"), ("未来", "将来"), ("已经", "早已"), ("可以", "能够"), ("真的", "确实"),
            ("世界", "全球"), ("问题", "事情"), ("帮助", "协助"), ("开发", "研发"))
_SYNONYM = {w: group for group in SYNONYMS for w in group}
_SYNONYM_RE = re.compile("|".join(sorted(_SYNONYM, key=len, reverse=True)))
CLOSINGS = ("（完）", "（本文根据现场录音整理，有删节）", "END", "—— 完 ——", "完整内容见原文")

# A few hundred documents in the wild are traditional Chinese; a small character map is enough
# to give the segmenter those code points.
_TRADITIONAL = str.maketrans(
    "这个们为时会说来对发开现进动国实经过还没样长问题体点种么后学应业机关计术电车脑网华东万亿与从让认识论"
    "间场产专门见观觉视话语谈请设级约给结统维线组织总单简质资费贵买卖务头处备复钱银错铁难离风飞马鱼鸟龙齐"
    "岁历区医药热种软硬边云态图书运营亚欧帮坚极写标准则",
    "這個們為時會說來對發開現進動國實經過還沒樣長問題體點種麼後學應業機關計術電車腦網華東萬億與從讓認識論"
    "間場產專門見觀覺視話語談請設級約給結統維線組織總單簡質資費貴買賣務頭處備複錢銀錯鐵難離風飛馬魚鳥龍齊"
    "歲歷區醫藥熱種軟硬邊雲態圖書運營亞歐幫堅極寫標準則",
)
_ASCII_PUNCT = str.maketrans({"，": ",", "：": ":", "？": "?", "！": "!", "（": "(", "）": ")", "；": ";"})


@dataclass
class Pools:
    """The parts new transcripts are assembled from."""

    lead: list[str] = field(default_factory=list)        # narration before the first question
    questions: list[str] = field(default_factory=list)   # question text without its label
    answers: list[str] = field(default_factory=list)     # answer paragraphs without labels
    sentences: list[str] = field(default_factory=list)   # sentences of the answers
    closing: list[str] = field(default_factory=list)     # quoted blocks and notes after the talk
    speakers: set[str] = field(default_factory=set)      # interviewee names to substitute
    files: list[Path] = field(default_factory=list)

    def check(self) -> None:
        if not (self.questions and self.answers and self.sentences):
            raise ValueError("the source transcripts gave no question/answer structure to build from")


def read_sources(folders: list[Path]) -> Pools:
    """Cut every source transcript into lead, questions, answers, sentences and closing notes.

    The package itself reads and parses them (decoding, front matter, labels,
    colon-less answers), so the pools hold what the parser found.
    """
    from analysis.corpus import build

    pools = Pools()
    for folder in folders:
        tables = build(folder, progress=False)
        for row in tables["errors"].itertuples():
            print(f"skipping {row.error}", file=sys.stderr)
        pools.files += [Path(p) for p in tables["documents"]["path"]]
        for turn in tables["turns"].itertuples():
            paragraphs = [_clean(p) for p in _PARAGRAPH_BREAK.split(turn.text)]
            paragraphs = [p for p in paragraphs if _HAN.search(p)]
            if not paragraphs:
                continue
            if turn.role == "question":
                pools.questions.append("".join(paragraphs))
            elif turn.role == "answer":
                pools.answers += paragraphs
                if isinstance(turn.speaker, str) and _HAN.match(turn.speaker) and len(turn.speaker) > 1:
                    pools.speakers.add(turn.speaker)
            elif pd.isna(turn.exchange_id):
                pools.lead += paragraphs
            else:
                pools.closing += paragraphs
    pools.sentences = [s for a in pools.answers for s in _SENTENCE_END.split(a) if len(s) >= 4]
    pools.check()
    return pools


def _clean(paragraph: str) -> str:
    """Quote marks, image lines and links out; lines stripped."""
    lines = [ln.strip().lstrip("> ").strip() for ln in paragraph.splitlines()]
    return "\n".join(ln for ln in lines if ln and not _URL_OR_IMAGE.match(ln))


# --- assembling transcripts --------------------------------------------------

@dataclass
class Style:
    """How one generated transcript is laid out."""

    kind: str            # web, markdown, qa, reporter, timestamped
    name: str            # the interviewee
    outlet: str
    indent: str
    ascii_punct: bool
    crlf: bool
    traditional: bool
    suffix: str


def pick_style(rng: random.Random) -> Style:
    kind = rng.choice(("web", "web", "markdown", "qa", "reporter", "timestamped"))
    return Style(
        kind=kind,
        name=rng.choice(INTERVIEWEES),
        outlet=rng.choice(OUTLETS),
        indent=rng.choice(("  ", "\u3000\u3000", "\u00a0\u00a0")) if kind == "web" else "",
        ascii_punct=kind == "web" and rng.random() < 0.3,
        crlf=rng.random() < 0.1,
        traditional=rng.random() < 0.05,
        suffix=".md" if kind == "markdown" else ".txt",
    )


def _vary(text: str, rng: random.Random, pools: Pools, style: Style) -> str:
    for speaker in pools.speakers:
        text = text.replace(speaker, style.name)
    for outlet in SOURCE_OUTLETS:
        text = text.replace(outlet, style.outlet)
    text = _SYNONYM_RE.sub(lambda m: rng.choice(_SYNONYM[m[0]]) if rng.random() < 0.4 else m[0], text)
    text = _ISO_DATE.sub(lambda m: _date(rng), text)
    text = _MONTH_DAY.sub(lambda m: f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日", text)
    return _DIGITS.sub(lambda m: str(rng.randrange(10 ** (len(m[0]) - 1), 10 ** len(m[0]))) if len(m[0]) > 1
                       else str(rng.randrange(10)), text)


def _date(rng: random.Random) -> str:
    return f"20{rng.randint(18, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def lead_paragraph(rng: random.Random, style: Style) -> str:
    """A new editor's lead in the manner of the sources."""
    topics = "、".join(rng.sample(TOPICS, rng.randint(2, 5)))
    return rng.choice(LEADS).format(month=rng.randint(1, 12), day=rng.randint(1, 28), name=style.name,
                                    outlet=style.outlet, topics=topics, n=rng.randint(2, 40))


def answer_paragraph(rng: random.Random, pools: Pools, style: Style) -> str:
    """A real answer paragraph (15%) or a new one from 1-5 sentences of any document."""
    if rng.random() < 0.15:
        text = rng.choice(pools.answers)
    else:
        text = "".join(rng.choice(pools.sentences) for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 4, 5))))
    if rng.random() < 0.05:
        text += rng.choice(ASIDES)
    return _vary(text, rng, pools, style)


def question(rng: random.Random, pools: Pools, style: Style) -> str:
    context = rng.choice(pools.sentences) if rng.random() < 0.7 else ""
    return _vary(rng.choice(OPENERS) + context + rng.choice(pools.questions), rng, pools, style)


def make_transcript(rng: random.Random, pools: Pools, target_bytes: int) -> tuple[str, str]:
    """One synthetic transcript of about ``target_bytes`` UTF-8 bytes -> (text, file suffix)."""
    style = pick_style(rng)
    date = _date(rng)
    head: list[str] = []
    if style.kind == "markdown":
        title = _vary(rng.choice(pools.questions), rng, pools, style)[:40].replace('"', "")
        head.append(f'---\ntitle: "{style.name}：{title}"\nsource: "https://example.com/p/{rng.randrange(10**9)}"\n'
                    f'author:\n  - "[[{style.outlet}]]"\ncreated: {date}\ntags:\n  - "访谈"\n---')
        head.append(f"**{style.outlet}** {date}")
    elif style.kind == "web" and rng.random() < 0.5:
        head.append(f"来源：{style.outlet}")
    lead = [lead_paragraph(rng, style)] if rng.random() < 0.8 else []
    lead += [_vary(p, rng, pools, style) for p in rng.sample(pools.lead, min(len(pools.lead), rng.randint(0, 2)))]
    rng.shuffle(lead)
    paragraphs = head + lead
    size = sum(len(p.encode()) + 2 for p in paragraphs)
    seconds = rng.randrange(600)
    first_answer = True
    while size < target_bytes:
        asked = seconds + rng.randint(20, 240)
        seconds = asked + rng.randint(5, 40)
        q, a = _labels(style, (_stamp(asked), _stamp(seconds)), first_answer, rng)
        first_answer = False
        block = [q + question(rng, pools, style)]
        block.append(a + answer_paragraph(rng, pools, style))
        block += [answer_paragraph(rng, pools, style) for _ in range(min(int(rng.expovariate(0.5)), 6))]
        paragraphs += block
        size += sum(len(p.encode()) + 2 for p in block)
    if rng.random() < 0.3:
        paragraphs.append(rng.choice(CLOSINGS))
    if style.kind == "markdown" and pools.closing and rng.random() < 0.5:
        paragraphs.append("\n".join(f"> {ln}" for ln in rng.choice(pools.closing).splitlines()))
    text = _layout(paragraphs, style)
    return text, style.suffix


def _stamp(seconds: int) -> str:
    return f"[{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}] "


def _labels(style: Style, stamps: tuple[str, str], first_answer: bool, rng: random.Random) -> tuple[str, str]:
    colon = ":" if style.ascii_punct or rng.random() < 0.05 else "："
    if style.kind == "markdown":
        return (rng.choice(("**Q**：", "Q：", "**问**：")), f"**{style.name}**：")
    if style.kind == "qa":
        return f"问{colon}", f"答{colon}"
    if style.kind == "reporter":
        note = "（受访者）" if first_answer else ""
        return f"记者{colon}", f"{style.name}{note}{colon}"
    if style.kind == "timestamped":
        return f"{stamps[0]}主持人{colon}", f"{stamps[1]}{style.name}{colon}"
    return f"Q{colon}", f"{style.name}{colon}"


def _layout(paragraphs: list[str], style: Style) -> str:
    if style.kind == "markdown":
        text = "\n\n".join(paragraphs[:1] + [p.replace("\n", "  \n") for p in paragraphs[1:]]) + "\n"
    else:
        text = "\n\n".join(style.indent + p for p in paragraphs) + "\n"
    if style.ascii_punct:
        text = text.translate(_ASCII_PUNCT)
    if style.traditional:
        text = text.translate(_TRADITIONAL)
    if style.crlf:
        text = text.replace("\n", "\r\n")
    return text


# --- writing a corpus --------------------------------------------------------

@dataclass
class Corpus:
    """What ``write_corpus`` wrote."""

    root: Path
    paths: list[Path]
    n_bytes: int
    unique_text: float   # share of the paragraph bytes in paragraphs that occur once in the whole corpus
    sources: list[Path]

    @property
    def mb(self) -> float:
        return self.n_bytes / 1e6


def write_corpus(out_dir: str | Path, *, size_mb: float | None = None, n_files: int | None = None,
                 file_bytes: int = FILE_BYTES, seed: int = 0, sources: list[Path] | None = None,
                 pools: Pools | None = None) -> Corpus:
    """Write synthetic transcripts into ``out_dir`` until ``size_mb`` MB (1e6 bytes) or ``n_files`` files.

    File sizes vary uniformly from 0.5x to 1.5x ``file_bytes``. Files go into
    sub-folders of 100, as a real collection would.
    """
    if (size_mb is None) == (n_files is None):
        raise ValueError("give exactly one of size_mb and n_files")
    pools = pools or read_sources(sources or [config.RAW_DIR])
    out_dir = Path(out_dir)
    rng = random.Random(seed)
    paths, total, seen = [], 0, {}
    while (n_files is None and total < size_mb * 1e6) or (n_files is not None and len(paths) < n_files):
        i = len(paths)
        text, suffix = make_transcript(random.Random(rng.getrandbits(64)), pools,
                                       rng.randint(file_bytes // 2, file_bytes * 3 // 2))
        data = text.encode("utf-8")
        path = out_dir / f"batch-{i // 100:03d}" / f"interview-{i:05d}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
        total += len(data)
        for para in _PARAGRAPH_BREAK.split(text):
            para = para.strip().encode()
            key = hashlib.blake2b(para, digest_size=8).digest()
            seen[key] = (seen[key][0] + 1, len(para)) if key in seen else (1, len(para))
    unique = sum(size for n, size in seen.values() if n == 1) / max(sum(n * size for n, size in seen.values()), 1)
    return Corpus(out_dir, paths, total, unique, pools.files)


def append_paragraph(path: Path, *, seed: int = 0, pools: Pools | None = None) -> int:
    """Append one new answer paragraph to a generated transcript (in its own layout); returns bytes added."""
    pools = pools or read_sources([config.RAW_DIR])
    rng = random.Random(seed)
    data = path.read_bytes()
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    para = answer_paragraph(rng, pools, pick_style(rng)).encode("utf-8")
    added = newline + para + newline
    with path.open("ab") as f:
        f.write(added)
    return len(added)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the transcripts into")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--size-mb", type=float, help="total size in MB (1e6 bytes of UTF-8; default 20)")
    size.add_argument("--files", type=int, help="exactly this many transcripts instead")
    parser.add_argument("--file-kb", type=float, default=FILE_BYTES / 1000,
                        help="average transcript size in kB (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", type=Path, action="append", default=[],
                        help="more transcripts to draw text from (repeatable); data/raw/ is always used")
    args = parser.parse_args(argv)
    if args.size_mb is None and args.files is None:
        args.size_mb = 20.0
    corpus = write_corpus(args.out, size_mb=args.size_mb, n_files=args.files, file_bytes=int(args.file_kb * 1000),
                          seed=args.seed, sources=[config.RAW_DIR, *args.source])
    print(f"wrote {len(corpus.paths)} transcripts, {corpus.mb:.1f} MB, to {corpus.root} "
          f"({corpus.unique_text:.0%} of the text in paragraphs that occur once; "
          f"from {len(corpus.sources)} source files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
