"""What an editor would file each real interview under, written down from each file's
title and opening BEFORE the topics were first computed on it (issue 14).

doc file -> (expected: at least one of these is among the top three topics by
exchanges tagged, wrong: none of these is among the top three).
"""

EXPECTED = {
    "en_changelog_spotlight13_chakra.md": ({"science and technology"},
                                           {"sport", "weather", "religion", "conflict, war and peace", "health",
                                            "crime, law and justice", "disaster, accident and emergency incident"}),
    "en_pbs_firing_line_audrey_tang.md": ({"politics", "science and technology"},
                                          {"sport", "weather", "religion", "disaster, accident and emergency incident"}),
    "en_tw_seoul_press_conference_20170412.md": ({"science and technology", "politics"},
                                                 {"sport", "religion", "crime, law and justice", "conflict, war and peace"}),
    "en_wh_covid_briefing_20210209.md": ({"health"}, {"sport", "religion", "arts, culture, entertainment and media"}),
    "zh_archipelago_yixianfeng.md": ({"arts, culture, entertainment and media", "economy, business and finance"},
                                     {"sport", "weather", "health", "disaster, accident and emergency incident"}),
    "zh_atomthinktank_lixunlei.md": ({"economy, business and finance"}, {"sport", "weather", "religion", "health"}),
    "zh_caijing_nhc_expert.md": ({"health"}, {"sport", "arts, culture, entertainment and media", "religion", "weather"}),
    "zh_chinanewsweek_wangao.md": ({"crime, law and justice", "education", "society"},
                                   {"sport", "weather", "economy, business and finance", "science and technology"}),
    "zh_jiemian_lihongyuan.md": ({"crime, law and justice", "labour"}, {"sport", "weather", "health", "religion"}),
    "zh_meitongshe_huangxueqin.md": ({"crime, law and justice", "society", "education"},
                                     {"sport", "weather", "economy, business and finance"}),
    "zh_myzaker_liyouyou.md": ({"crime, law and justice", "education", "society"},
                               {"sport", "weather", "economy, business and finance"}),
    "zh_ngocn_zhangqianfan.md": ({"politics", "education", "crime, law and justice"}, {"sport", "weather", "health"}),
    "zh_shenyidu_wuhan_doctor.md": ({"health"}, {"sport", "arts, culture, entertainment and media",
                                                 "economy, business and finance", "religion"}),
    "zh_weltwoche_goldman_translated.md": ({"politics", "conflict, war and peace", "economy, business and finance"},
                                           {"sport", "weather", "health"}),
    "zh_zhouxueguang_wenda.md": ({"politics", "health"}, {"sport", "weather", "arts, culture, entertainment and media"}),
    "zht_hkcnews_chow_kai_shuen.md": ({"politics", "economy, business and finance"},
                                      {"sport", "weather", "health", "religion"}),
    "zht_hkcnews_cui_tiankai_axios_excerpt.md": ({"politics", "health", "arts, culture, entertainment and media"},
                                                 {"sport", "weather"}),
    "zht_hkcnews_edb_yeung_media_session.md": ({"education"}, {"sport", "weather", "health", "economy, business and finance"}),
    "zht_hkcnews_lam_tsang_pressers.md": ({"politics"}, {"sport", "weather", "health"}),
    "zht_tw_moda_presser_20240508.md": ({"science and technology", "politics"}, {"sport", "weather", "religion"}),
}

# The held-out transcripts of tests/data/holdout/ (all with Audrey Tang, Taiwan's digital minister),
# written from their titles and openings before the topics were first computed on them.
_TANG_WRONG = {"sport", "weather", "disaster, accident and emergency incident"}
HOLDOUT = {
    "en_audreyt_causette.md": ({"science and technology", "politics", "society"}, _TANG_WRONG),
    "en_audreyt_kim_hill.md": ({"politics", "science and technology"}, _TANG_WRONG),
    "en_audreyt_nesta.md": ({"politics", "science and technology"}, _TANG_WRONG),
    "zht_audreyt_cna_paris_interview.md": ({"politics", "science and technology"}, _TANG_WRONG),
    "zht_audreyt_foreign_press_tea.md": ({"politics", "science and technology"}, _TANG_WRONG),
    "zht_audreyt_ftv_interview.md": ({"politics", "science and technology"}, _TANG_WRONG),
    "zht_audreyt_g0vnews_ogp.md": ({"politics", "science and technology"}, _TANG_WRONG),
    "zht_audreyt_korea_mk_interview.md": ({"science and technology", "politics", "economy, business and finance"},
                                          _TANG_WRONG),
    "zht_audreyt_sanlih_live_qa.md": ({"science and technology", "politics", "human interest"}, _TANG_WRONG),
}
