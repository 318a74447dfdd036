"""Questions, answers and remarks: turns that neither ask nor answer are kept apart."""
from __future__ import annotations

from analysis.parse import parse_text, turn_rows


def rows(text: str):
    turns, _ = parse_text(text)
    return [(r["role"], r["speaker"], str(r["exchange_id"])) for r in turn_rows("d", text, turns)
            if r["role"] != "narration"]


BRIEFING = """MR. SMITH:  Thank you for joining us.  I'm John Smith, the coordinator.  Today we announce new steps on supply, on
vaccinators and on the places where people get vaccinated, and I will now hand over.

DR. ROE:  Thanks, John.  Our health centers program reaches millions of people in underserved areas.

MR. SMITH:  Good.  Let's open it up for questions.

MODERATOR:  First we're going to go to Meg of PBS.

Q    Hi.  Why are supplies still short in rural states?

MR. SMITH:  Dr. Roe?

DR. ROE:  Yes, thank you for that question.  Supplies are short because shipments are allocated by population.

MR. SMITH:  Next question.

MODERATOR:  Next we'll go to Dan at BuzzFeed.

Q    Will you change the formula?

MR. SMITH:  Dr. Roe, do you want to handle that?

DR. ROE:  Absolutely, I can start.

MR. SMITH:  Please.

DR. ROE:  We are reviewing the formula with the states every week and will publish the results.

MR. SMITH:  And I would add that the formula already changed twice this year.

Q    Thank you.
"""


def test_a_moderated_briefing():
    got = rows(BRIEFING)
    assert got == [
        ("remark", "John Smith", "<NA>"), ("remark", "DR. ROE", "<NA>"), ("remark", "John Smith", "<NA>"),
        ("remark", "MODERATOR", "<NA>"),
        ("question", "Q", "0"), ("remark", "John Smith", "0"), ("answer", "DR. ROE", "0"), ("remark", "John Smith", "0"),
        ("remark", "MODERATOR", "0"),
        ("question", "Q", "1"), ("remark", "John Smith", "1"), ("remark", "DR. ROE", "1"), ("remark", "John Smith", "1"),
        ("answer", "DR. ROE", "1"), ("answer", "John Smith", "1"), ("remark", "Q", "1"),
    ]


PODCAST = """**Host Name:** \\[00:01\\] Welcome to the show. Today we talk to Jane Guest and Raj Guest about databases.

**Jane Guest:** Thanks for having us.

**Host Name:** Why did you start the project?

**Jane Guest:** \\[00:12\\] Because nothing else was fast enough. \\[laughter\\]

**Raj Guest:** Yeah.

**Host Name:** Okay.

**Jane Guest:** And then it grew into a company with forty people.

**Host Name:** That makes sense. Let's talk about the future then. Where do you want it to go?

**Raj Guest:** Everywhere.

**Host Name:** Thank you so much for joining us today, it was great to have you both here.

**Jane Guest:** Thank you.
"""


def test_a_podcast_with_two_guests():
    got = rows(PODCAST)
    assert got == [
        ("remark", "Host Name", "<NA>"), ("answer", "Jane Guest", "<NA>"),
        ("question", "Host Name", "0"), ("answer", "Jane Guest", "0"), ("answer", "Raj Guest", "0"),
        ("remark", "Host Name", "0"), ("answer", "Jane Guest", "0"),
        ("question", "Host Name", "1"), ("answer", "Raj Guest", "1"),
        ("remark", "Host Name", "1"), ("answer", "Jane Guest", "1"),
    ]


def test_a_cold_open_before_the_welcome_is_not_answers():
    text = ("### Guest:\n\nDemocracy is a technology.\n\n### Host:\n\nThat's our guest, the minister.\n\n"
            "### Guest:\n\nWe built a new space.\n\n### Host:\n\nGuest, welcome to the program.\n\n### Guest:\n\nHappy to be here.\n\n"
            "### Host:\n\nWhat do you mean by technology?\n\n### Guest:\n\nA way of working together.")
    assert rows(text) == [
        ("remark", "Guest", "<NA>"), ("remark", "Host", "<NA>"), ("remark", "Guest", "<NA>"), ("remark", "Host", "<NA>"),
        ("answer", "Guest", "<NA>"), ("question", "Host", "0"), ("answer", "Guest", "0")]


def test_an_interviewer_whose_turns_ask_makes_prompts_of_statements():
    text = ("记者：你为什么离职？\n\n李某：因为造假。\n\n记者：后来你为什么起诉？\n\n李某：为了年终奖。\n\n"
            "记者：有人质疑你当初的举报动机不单纯。\n\n李某：我不这么认为，举报本身是积极的。\n\n"
            "记者：你现在还有什么诉求？\n\n李某：沟通。\n\n记者：好的。")
    assert [r for r, _, _ in rows(text)] == ["question", "answer"] * 4 + ["remark"]


def test_a_trailing_ellipsis_prompt_is_a_question():
    text = "問：林鄭早兩年開始穿旗袍⋯\n答：現在很流行的。\n問：你怎麼看？\n答：很好。"
    assert [r for r, _, _ in rows(text)] == ["question", "answer", "question", "answer"]


def test_a_translator_clip_is_a_remark():
    text = ("### Host:\n\nWhy does it matter?\n\n### Guest:\n\nBecause it works.\n\n"
            "### Old Leader (translator):\n\nWe have a responsibility.\n\n### Host:\n\nDoes it still hold?\n\n### Guest:\n\nYes.")
    assert rows(text) == [("question", "Host", "0"), ("answer", "Guest", "0"), ("remark", "Old Leader", "0"),
                          ("question", "Host", "1"), ("answer", "Guest", "1")]


def test_one_question_answered_by_several_in_turn():
    text = "中央社：請問進度？\n\n林俊秀：已完成八成。\n\n唐鳳：我補充，下月上線。\n\n莊明芬：經費已到位。"
    assert [(r, s) for r, s, _ in rows(text)] == [
        ("question", "中央社"), ("answer", "林俊秀"), ("answer", "唐鳳"), ("answer", "莊明芬")]
