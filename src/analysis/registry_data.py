"""Write the place registry from maintained data: ``resources/entities_places.csv``.

Run after upgrading either source (both are development dependencies only; the
written file is what the package ships and reads)::

    .venv/bin/python -m analysis.registry_data

Sources:

- countries and regions: CLDR territory names through ``babel`` (zh_Hans, zh_Hant
  and English; ISO 3166 two-letter codes only), so 朝鲜 / 北韓 / North Korea (KP)
  and 韩国 / 南韓 / South Korea (KR) are different entities; the Traditional names
  are stored in Simplified characters (OpenCC ``t2s``), since Traditional text is
  matched through its Simplified shadow (``analysis.shadow``); ``ALTERNATIVES``
  adds the short and alternative forms CLDR marks ``alt="short"`` / ``"variant"``
  (babel does not expose them) and common abbreviations;
- Chinese provinces, prefecture-level cities and counties/districts: the
  administrative division codes shipped by ``cpca`` 0.5.5 (MIT,
  github.com/DQinYuan/chinese_province_city_area_mapper, National Bureau of
  Statistics codes), with short forms for provinces (广东省 -> 广东) and cities
  (深圳市 -> 深圳) unless the short form is an ordinary word (``NOT_SHORT``).

Hong Kong and Taiwan place names, government bodies, universities, news
organisations and companies have no such dataset: they are in the curated
``resources/entities_curated.csv``, with their sources.
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

from analysis import config

OUT = config.RESOURCES_DIR / "entities_places.csv"

# CLDR alt="short"/"variant" forms and abbreviations in common use (English).
ALTERNATIVES = {
    "US": ["US", "U.S.", "USA", "U.S.A.", "America"], "GB": ["UK", "U.K.", "Britain", "Great Britain"],
    "KP": ["DPRK", "North Korean"], "KR": ["ROK", "South Korean"], "CN": ["PRC", "Mainland China", "中国大陆", "内地"],
    "HK": ["Hong Kong"], "MO": ["Macao", "Macau"], "TW": ["Taiwan", "台湾地区"], "PS": ["Palestine"],
    "AE": ["UAE"], "CZ": ["Czech Republic"], "CI": ["Ivory Coast"], "CD": ["DR Congo", "DRC"], "RU": ["Russian Federation"],
    "MM": ["Burma", "缅甸"], "VA": ["Vatican"], "SY": ["叙利亚"], "VN": ["越南"], "IR": ["伊朗"], "LA": ["老挝"],
}
# Canonical names: the everyday name where CLDR's is a long official one.
CANONICAL = {"HK": "香港", "MO": "澳门", "TW": "台湾", "PS": "巴勒斯坦", "CN": "中国", "US": "美国", "GB": "英国"}
# Territory names that are ordinary words or people's names in running text.
NOT_A_PLACE = {"Chad", "Jordan", "Georgia", "Turkey", "Jersey", "Guernsey", "Man", "World", "中非", "Niger"}
# Short forms of cities that are ordinary words (安康 well-being, 大同, 长治久安, 来宾 guests, 东方 east).
NOT_SHORT = {"安康", "大同", "长治", "来宾", "东方", "中山", "白山", "三沙", "吉安", "永安", "太原市辖", "城区", "郊区", "矿区"}
GENERIC_DISTRICTS = {"城区", "郊区", "矿区", "市辖区", "新区", "东区", "西区", "南区", "北区", "市中区", "高新区", "开发区"}
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")


def countries() -> list[tuple[str, str, str]]:
    """(entity, type, alias) rows for every ISO 3166 territory CLDR names."""
    from babel import Locale

    from analysis.shadow import simplified

    hans, hant, en = (Locale.parse(x).territories for x in ("zh_Hans", "zh_Hant", "en"))
    rows = []
    for code in sorted(c for c in hans if len(c) == 2 and c.isalpha() and c not in ("ZZ", "XK", "EU", "EZ", "UN", "QO")):
        entity = CANONICAL.get(code, hans[code])
        aliases = [hans[code], simplified(hant.get(code, "")), en.get(code, ""), *ALTERNATIVES.get(code, ())]
        for a in dict.fromkeys(a for a in aliases if a and a not in NOT_A_PLACE):
            rows.append((entity, "place", a))
    return rows


def _cpca_rows(path: Path) -> list[tuple[str, str]]:
    """(adcode, name) from cpca's ``adcodes.csv``, read from its wheel or an unpacked copy."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as z:
            text = z.read("cpca/resources/adcodes.csv").decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return [(r["adcode"], r["name"]) for r in csv.DictReader(io.StringIO(text))]


def divisions(path: Path) -> list[tuple[str, str, str]]:
    """(entity, type, alias) rows for China's provinces, cities and counties."""
    rows = []
    for code, name in _cpca_rows(path):
        if code.startswith(("81", "82", "71")):  # Hong Kong, Macao, Taiwan: countries() and the curated file
            continue
        level = "province" if code[2:] == "0" * 10 else "city" if code[4:] == "0" * 8 else "county"
        if name in GENERIC_DISTRICTS or len(name) < 2 or name in ("县", "市辖区", "省直辖县级行政区划"):
            continue
        short = name
        if level == "province":
            for sfx in PROVINCE_SUFFIXES:
                if name.endswith(sfx) and len(name) - len(sfx) >= 2:
                    short = name[: -len(sfx)]
                    break
            if short.endswith("壮族") or short.endswith("回族"):
                short = short[:-2]
        elif level == "city" and name.endswith("市") and len(name) >= 3:
            short = name[:-1]
        entity = short if short not in NOT_SHORT else name
        rows.append((entity, "place", name))
        if short != name and short not in NOT_SHORT:
            rows.append((entity, "place", short))
    return rows


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m analysis.registry_data PATH/TO/cpca-0.5.5-py3-none-any.whl (or adcodes.csv)")
        return 2
    rows = countries() + divisions(Path(argv[0]))
    seen, out = set(), []
    for entity, etype, alias in rows:
        if alias not in seen:  # the first entity to claim an alias keeps it (countries before cities)
            seen.add(alias)
            out.append((entity, etype, alias))
    tmp = OUT.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        f.write("# Generated by `python -m analysis.registry_data` from CLDR (babel) and cpca's\n"
                "# administrative division codes; do not edit: see data/resources/README.md to add your own.\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["entity", "type", "alias"])
        w.writerows(out)
    tmp.replace(OUT)
    print(f"{OUT}: {len(out)} aliases of {len({e for e, _, _ in out})} places")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
