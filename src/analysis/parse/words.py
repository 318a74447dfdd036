"""The words and patterns the parser recognises, in one place.

Every Chinese word is listed in simplified and traditional characters (a test checks
that OpenCC's conversions of each are here too). Lower-case for lookups; labels keep
what was written.
"""

from __future__ import annotations

import re

from analysis.text import HAN, ZERO_WIDTH as ZW  # noqa: F401 (both used by the other steps)

SP = rf"[\s{ZW}]"  # \s already covers NBSP and U+3000 in Python's re

# --- who asks, who answers --------------------------------------------------------
# Labels that ask.
QUESTION_WORDS = {
    "q", "问", "提问", "记者", "主持人问", "采访者", "采访人", "观众", "网友", "记者问",
    "問", "提問", "記者", "主持人問", "採訪者", "採訪人", "觀眾", "觀衆", "網友", "記者問",
    "interviewer", "reporter", "question", "audience", "questioner",
}
# Labels that lead: they ask when nobody else does, and hand over when reporters ask.
HOST_WORDS = {
    "主持人", "主持", "司仪", "司儀", "主持人甲", "主持人乙", "moderator", "host", "mc", "emcee",
    "chair", "chairman", "operator",
}
ANSWER_WORDS = {"a", "答", "回答", "answer", "回答者", "受访者", "受訪者", "嘉宾", "嘉賓", "被访者", "被訪者",
                "guest", "interviewee", "respondent"}
ROLE_WORDS = QUESTION_WORDS | HOST_WORDS | ANSWER_WORDS
# Generic answer labels: the interviewee the document names speaks under them.
GENERIC_ANSWER = {"a", "答", "回答", "answer", "回答者", "受访者", "受訪者", "被访者", "被訪者", "interviewee",
                  "respondent"}

# Notes in brackets after a name that say who asks or who answers.
QUESTION_NOTES = ("采访", "主持", "记者", "提问", "採訪", "記者", "提問",
                  "interviewer", "host", "moderator", "reporter")
ANSWER_NOTES = ("受访", "嘉宾", "被采访", "受訪", "嘉賓", "被採訪", "guest", "interviewee")
# A note that says the speaker is neither side: an archival clip, an interpreter.
OTHER_NOTES = ("translator", "interpreter", "archive", "archival", "clip", "narrator", "voice-over", "voiceover",
               "翻译", "翻譯", "口译", "口譯", "传译", "傳譯", "旁白", "资料", "資料", "录音", "錄音", "画外音", "畫外音")

# A line that starts with one of these keys and a colon is metadata, not speech.
METADATA_KEYS = {
    "来源", "作者", "撰文", "文", "编辑", "责任编辑", "责编", "原标题", "标题", "日期", "时间",
    "发布时间", "整理", "出品", "校对", "审核", "监制", "图", "图片", "图片来源", "摄影", "翻译",
    "编译", "原文", "原文链接", "链接", "注", "备注", "导语", "摘要", "关键词", "译", "译者", "口述",
    "值班编辑", "文字", "视频", "视觉", "设计", "排版", "美编", "策划", "统筹", "制作", "对话", "采访", "采写",
    "采访整理", "实习生", "记者整理", "版权声明", "声明", "地点", "嘉宾介绍", "提要", "编者按", "按", "本期嘉宾",
    "id", "微信", "微信号", "公众号", "网址", "邮箱", "电话", "地址", "主办", "协办", "承办",
    # the same in traditional characters (Taiwan, Hong Kong)
    "來源", "編輯", "責任編輯", "責編", "原標題", "標題", "時間", "發佈時間", "發布時間", "校對", "審核", "審覈",
    "監製", "圖", "圖片", "圖片來源", "攝影", "翻譯", "編譯", "原文鏈接", "原文連結", "鏈接", "連結", "備註",
    "導語", "關鍵詞", "關鍵字", "譯", "譯者", "口述", "值班編輯", "視頻", "視覺", "設計", "美編", "策劃", "統籌",
    "製作", "對話", "採訪", "採寫", "採訪整理", "實習生", "記者整理", "版權聲明", "聲明", "地點", "嘉賓介紹",
    "編者按", "本期嘉賓", "微信號", "公眾號", "公衆號", "網址", "郵箱", "電話", "地址", "主辦", "協辦", "承辦",
    "註", "註釋", "注释", "注釋",
    "source", "author", "by", "date", "title", "editor", "photo", "translator", "note", "link",
    "credit", "credits", "url", "tags", "category", "published", "updated", "location", "venue", "time",
    "transcript", "transcription", "subject", "summary", "edited", "produced", "producer",
}
# Prose that ends in a colon at the start of a line ("他说：") is not a label.
SPEECH_VERBS = (
    "说", "称", "表示", "认为", "指出", "强调", "回应", "介绍", "提到", "问道", "答道", "写道", "如下", "例如",
    "比如", "包括", "总结", "补充", "坦言", "透露", "指", "直言", "续称", "续指", "批评", "反问", "追问", "问",
    "回答说", "解释", "承认", "宣布", "声称", "重申", "提醒", "呼吁", "警告", "形容", "笑言", "感叹", "说道",
    "说明", "提出", "发言", "讲", "谈到", "告诉", "写", "曰", "道",
    "說", "説", "稱", "認為", "認爲", "強調", "回應", "介紹", "問道", "寫道", "總結", "補充", "續稱", "續指",
    "批評", "反問", "追問", "問", "回答說", "解釋", "聲稱", "重申", "提醒", "呼籲", "警告", "說道", "說明",
    "發言", "講", "談到", "寫", "告訴", "回答説", "宣佈", "感嘆", "承認", "説明", "説道",
)
PRONOUNS = ("他", "她", "我", "你", "它", "您", "咱", "其", "此", "这", "這", "那")

# Titles written after a surname in a label ("林校长", "崔大使", "MR. ZIENTS").
HAN_TITLES = (
    "大使", "校长", "校長", "先生", "女士", "小姐", "教授", "老师", "老師", "博士", "院士", "医生", "醫生",
    "主席", "部长", "部長", "局长", "局長", "司长", "司長", "市长", "市長", "省长", "省長", "书记", "書記",
    "总统", "總統", "总理", "總理", "主任", "院长", "院長", "所长", "所長", "总裁", "總裁", "总", "總",
    "董", "律师", "律師", "议员", "議員", "委员", "委員", "处长", "處長", "署长", "署長", "特首", "议长", "議長",
    "部长助理", "部長助理", "发言人", "發言人", "女士們", "太太", "生", "姐", "哥", "叔", "伯", "公", "老",
)
LATIN_TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sen", "senator", "rep", "gov",
                "governor", "secretary", "president", "ambassador", "minister", "general", "gen", "admiral",
                "mayor", "judge", "justice", "chairman", "chairwoman", "director", "commissioner", "sir", "dame",
                "lord", "lady", "rev", "father", "col", "capt", "sgt", "lt", "deputy", "speaker", "premier"}

# Names of media (a reporter labelled by outlet: 中央社, 界面新闻, 《财经》, NGOCN).
MEDIA_ENDINGS = ("社", "报", "報", "新闻", "新聞", "周刊", "週刊", "日报", "日報", "时报", "時報", "晚报", "晚報",
                 "电视", "電視", "电视台", "電視台", "台", "网", "網", "广播", "廣播", "央广", "央廣", "杂志", "雜誌",
                 "财经", "財經", "智库", "智庫", "周报", "週報", "传媒", "傳媒", "媒体", "媒體", "快报", "快報",
                 "深一度", "记者", "記者", "观察", "觀察", "日报社", "日報社", "新闻网", "新聞網",
                 "臺", "電視臺")
LATIN_MEDIA = {"reuters", "bloomberg", "ap", "afp", "bbc", "cnn", "nhk", "cnbc", "npr", "pbs", "abc", "nbc",
               "cbs", "fox", "axios", "politico", "guardian", "times", "post", "journal", "news", "press",
               "magazine", "radio", "tv"}

# --- what a host says that neither asks nor answers ----------------------------------
# Hand-offs and thanks: a short turn made of these is a remark, not a question or an answer.
HANDOFF = re.compile(
    r"(?i)(next question|last question|final question|next,? we(?:'|’)ll go|we(?:'|’)ll go to|let(?:'|’)s go to|"
    r"go(?:ing)? to|over to you|turn it over|hand it (?:over|back)|open it up|take (?:a few |some )?questions|"
    r"下一(?:个|個|位)(?:问题|問題|提问|提問)?|最后一(?:个|個)(?:问题|問題)|请(?:提问|發問|发问)|請(?:提問|發問)|"
    r"有请|有請|欢迎提问|歡迎提問|现在开放|現在開放|开放提问|開放提問|进入(?:提问|问答)|進入(?:提問|問答))"
)
# Thanks alone: from a host a remark; from an interviewee still an answer.
THANKS = re.compile(
    r"(?i)^\W*(?:thank you(?: so much| all| very much)?(?: for (?:joining|having|coming|your time|being here|that))?|"
    r"thanks(?: so much| a lot)?(?: for (?:joining|having|coming|your time|being here))?|"
    r"谢谢(?:大家|各位|你|您)?|謝謝(?:大家|各位|你|您)?|感谢(?:大家|各位)|感謝(?:大家|各位))\W*$"
)
WELCOME = re.compile(r"(?i)\b(welcome (?:to|back)|welcome,|thanks? (?:you )?for (?:joining|coming on|being on|"
                     r"having me))|欢迎(?:您|你|来到|做客|收看|收听)|歡迎(?:您|你|來到|做客|收看|收聽)")
# Requests that ask without a question mark.
REQUEST = re.compile(
    r"(?i)(?:请(?:问|谈|您|你|介绍|讲|说|分享|描述|解释|回顾)|請(?:問|談|您|你|介紹|講|說|分享|描述|解釋|回顧)|"
    r"能否|可否|能不能|可不可以|谈谈|談談|讲讲|講講|说说|說說|聊聊|介绍一下|介紹一下|"
    r"\b(?:tell (?:us|me)|can you|could you|would you|will you|if you could|talk (?:to us |to me )?about|"
    r"walk (?:us|me) through|(?:want|wanted|would like|'d like|’d like) to (?:also )?(?:ask|know|hear|understand)|"
    r"ask(?:ing)? you|let me ask|may i ask|(?:'m|’m| am) (?:wondering|curious)|i wonder|what about|how about|"
    r"please (?:tell|describe|explain|share)|(?:would|’d|'d) be great (?:to hear|if you)|"
    r"start (?:with|by) (?:telling|giving|explaining|describing)))"
)
QMARK = re.compile(r"[?？]")
# Trailing ellipsis: a prompt left for the interviewee to finish.
ELLIPSIS_END = re.compile(rf"[{HAN}，、]\s*(?:…+|⋯+|\.{{3,}}|。。。|——)[」”\"』）)]?\s*$")
# Thanks that close an interview: a remark, however long.
CLOSING = re.compile(
    r"(?i)thank(?:s| you)(?: so much| very much| again)?,? (?:\w+ )?for (?:sitting down|joining|coming|being|your time|"
    r"talking|taking the time|having me)|谢谢(?:您|你)?接受|謝謝(?:您|你)?接受|感谢(?:您|你)?接受|感謝(?:您|你)?接受")

# --- text nobody says -------------------------------------------------------------------
# Editor's notes that close or interrupt a transcript.
EDITOR_NOTE = re.compile(
    r"(?:完整内容|全文(?:完|见|链接)|原文(?:链接|见|地址)|更多内容|阅读原文|点击(?:阅读|关注|下方|查看)|扫码|"
    r"关注(?:我们|公众号)|本文(?:来源|作者|由|转载|首发|系|为)|"
    r"完整內容|全文(?:見|鏈接|連結)|原文(?:鏈接|連結|見)|更多內容|閱讀原文|閲讀原文|點擊(?:閱讀|閲讀|關注|下方|查看)|"
    r"掃碼|關注(?:我們|公眾號|公衆號)|本文(?:來源|由|轉載|首發|為|爲)|"
    r"[(（\[【]?(?:完|全文完|END)[)）\]】]?$|—+完—+$|-{2,}\s*END)",
    re.IGNORECASE,
)
# An editor's placeholder for a question left unanswered: the next question is a new exchange.
NO_ANSWER = re.compile(
    r"(?i)[\[(（【]?(?:冇答|冇回答|無回答|无回答|未回答|沒有回答|没有回答|拒絕回答|拒绝回答|不予回答|未有回應|未有回应|"
    r"沒有回應|没有回应|no answer|no response|did not answer|declined to answer|no comment)[\])）】]?[。.]?$")
# Footers, credits and notices: a short line matching one of these is not speech.
FOOTER = re.compile(
    r"(?i)(未经(?:授权|允许|许可)|未經(?:授權|允許|許可)|严禁转载|嚴禁轉載|禁止转载|禁止轉載|转载请|轉載請|"
    r"版权(?:所有|声明|归)|版權(?:所有|聲明|歸)|二维码|二維碼|扫码|掃碼|长按(?:识别|關注|关注)|長按(?:識別|關注)|"
    r"订阅(?:我们|本号|公众号|号|邮件|精选)|訂閱(?:我們|本號|公眾號|號|郵件|精選)|成為.{0,12}訂戶|成为.{0,12}订户|关注我们|關注我們|点击(?:这里|此处|下方|阅读)|點擊(?:這裡|此處|下方|閱讀)|相关(?:报道|阅读|文章)|"
    r"相關(?:報道|報導|閱讀|文章)|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|往期(?:回顾|精选)|往期(?:回顧|精選)|"
    r"立即下载|立即下載|文章为作者独立观点|文章為作者獨立觀點|不代表.{0,8}立场|不代表.{0,8}立場|"
    r"all rights reserved|subscribe (?:to|now|here)|sign up for (?:our|the)|our newsletter|copyright ©|©\s?\d{4}|"
    r"follow us on|download the app)"
)
# Whole lines that are markup or media, not words.
NON_SPEECH = re.compile(
    rf"""{SP}*(?:
        </?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>.*       # an HTML block: <figure>, <img ...>, </center>
      | !\[[^\]]*\]\([^)]*\).*                          # a Markdown image
      | \[!\[                                           # a linked image
      | <?(?:https?|ftp)://\S+>?{SP}*$                  # a URL alone on its line
      | www\.\S+{SP}*$
      | \{{\{{[<%].*                                    # a Hugo/Jekyll shortcode
      | (?:-{{3,}}|\*{{3,}}|_{{3,}}|={{3,}}|—{{3,}}){SP}*$    # a rule
      | △.*                                             # an image caption
    )""",
    re.VERBOSE,
)
# A line wholly in brackets (stage directions, section markers, captions): （播放影片） [laughter] 【…記者會】
BRACKETED = re.compile(rf"{SP}*(?:\\?\[[^\[\]\n]{{1,80}}\\?\]|[（(][^（）()\n]{{1,400}}[）)]|【[^【】\n]{{1,80}}】|〔[^〔〕\n]{{1,80}}〕){SP}*$")
# A line that is only a line break in HTML: "<br>", "<br/>", "<p></p>", "&nbsp;" — a blank line.
HTML_BREAK = re.compile(r"\s*(?:<br\s*/?>|<p>\s*</p>|&nbsp;|\s)*\s*$", re.IGNORECASE)
# Inline HTML tags inside a turn: kept in the text, not said.
INLINE_TAG = re.compile(r"</?(?:br|p|div|span|strong|b|i|em|u|font|a|sup|sub|small|big|center|figure|figcaption|img)\b[^<>\n]{0,300}>",
                        re.IGNORECASE)
# Stage directions inside a turn: kept in its text, not counted as words said.
STAGE = re.compile(
    r"\\?\[(?:laughter|laughs|laughing|applause|crosstalk|inaudible|music|silence|pause|cheers|unintelligible|"
    r"indiscernible|chuckles|sighs|coughs|break|video|audio|clip)[^\]\n]{0,40}\\?\]|"
    r"[（(](?:笑|大笑|众笑|眾笑|掌声|掌聲|鼓掌|停顿|停頓|沉默|播放(?:视频|影片|影像|录音)|播放(?:視頻|錄音)|"
    r"記者起哄|记者起哄|起哄|现场笑|現場笑|哭|叹气|嘆氣|音乐|音樂|laughter|laughs|applause|inaudible|crosstalk)"
    r"[^）)\n]{0,20}[）)]",
    re.IGNORECASE,
)
URL_NAME = re.compile(r"(?i)(?:https?|ftp|www|mailto)$")
