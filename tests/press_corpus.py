"""A generated corpus of dated press conferences with known counts, for the over-time tests and notebook 06.

Six files: four dated four different ways (file name, front matter, a lead's 2024年2月8日, a header
line), none in March 2024 (a gap), one undated, and one excerpt of the 10 January conference (a copy:
all its questions are in the full text). Answers name 英伟达 (also as NVIDIA) and 华为; questions
name them too, which the answer counts must not include.
"""

from __future__ import annotations

from pathlib import Path

# file name -> (header, [(question, answer), ...])
FILES = {
    "2024-01-10-briefing.txt": ("", [
        ("请问英伟达芯片的出口许可进展如何？", "关于英伟达，我们一直依法依规办理。英伟达的申请正在审查。"),
        ("华为的新产品对市场有什么影响？", "华为是重要的企业，我们欢迎公平竞争。"),
    ]),
    "briefing-0125.md": ("---\ndate: 2024-01-25\ntitle: 一月例行记者会\n---\n", [
        ("外资企业在华投资情况怎样？", "英伟达和 NVIDIA 的合作伙伴都在扩大投资，总体稳定。"),
    ]),
    "briefing-feb.txt": ("2024年2月8日，外交部举行例行记者会。\n\n", [
        ("有报道称华为将发布新手机，你有何评论？", "华为的事情请向华为询问。我们不评论具体企业，华为自己会说明。"),
    ]),
    "briefing-april.txt": ("日期：2024-04-02\n来源：示例通讯社\n\n", [
        ("半导体出口管制的最新情况是什么？", "英伟达也好，华为也好，都应在公平的环境中竞争。"),
    ]),
    "briefing-undated.txt": ("", [
        ("今天还有别的问题吗？", "英伟达英伟达英伟达英伟达英伟达，今天就到这里。"),
    ]),
    "2024-01-10-briefing-excerpt.txt": ("", [
        ("请问英伟达芯片的出口许可进展如何？", "关于英伟达，我们一直依法依规办理。"),
    ]),
}

# What the answers hold, counted by hand from FILES (the copy and the undated file left out).
EXPECTED = {  # period -> (英伟达, 华为, documents)
    "2024-01": (4, 1, 2),   # 英伟达: two on 10 January, 英伟达 and NVIDIA on 25 January
    "2024-02": (0, 3, 1),
    "2024-03": (None, None, 0),
    "2024-04": (1, 1, 1),
}
DOC_IDS = {"2024-01": ["2024-01-10-briefing", "briefing-0125"], "2024-02": ["briefing-feb"],
           "2024-04": ["briefing-april"]}
UNDATED = ["briefing-undated"]
COPIES = ["2024-01-10-briefing-excerpt"]


def write_press_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (header, exchanges) in FILES.items():
        body = "\n\n".join(f"记者：{q}\n\n发言人：{a}" for q, a in exchanges)
        (folder / name).write_text(header + body + "\n", encoding="utf-8")
    return folder


def answer_chars(period: str) -> int:
    """Non-whitespace characters of the answers of the documents dated in ``period``."""
    files = {Path(n).stem: ex for n, (_, ex) in FILES.items()}
    return sum(len("".join(a.split())) for d in DOC_IDS.get(period, []) for _, a in files[d])
