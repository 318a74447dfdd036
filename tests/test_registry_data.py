"""analysis.registry_data: the place registry comes from maintained data."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import config, entities, registry_data


@pytest.fixture(scope="module")
def places():
    return entities.read_registry(config.RESOURCES_DIR / "entities_places.csv")


def test_the_shipped_file_is_what_babel_gives(places):
    pytest.importorskip("babel", reason="babel (a dev dependency) writes the country rows")
    rows = pd.DataFrame(registry_data.countries(), columns=["entity", "type", "alias"])
    shipped = set(zip(places["entity"], places["alias"]))
    assert set(zip(rows["entity"], rows["alias"])) <= shipped


def test_north_and_south_korea_are_two_entities(places):
    by_alias = dict(zip(places["alias"], places["entity"]))
    assert by_alias["North Korea"] == by_alias["朝鲜"] == by_alias["北韩"] == by_alias["DPRK"] == "朝鲜"
    assert by_alias["South Korea"] == by_alias["韩国"] == by_alias["南韩"] == by_alias["ROK"] == "韩国"
    assert "Korea" not in set(entities.load_registry()["alias"])  # ambiguous: not an alias of either


def test_divisions_with_short_forms(places):
    by_alias = dict(zip(places["alias"], places["entity"]))
    assert by_alias["广东省"] == by_alias["广东"] == "广东"
    assert by_alias["深圳市"] == by_alias["深圳"] == "深圳"
    assert by_alias["新疆维吾尔自治区"] == "新疆" and by_alias["广西壮族自治区"] == "广西"
    assert "安康" not in by_alias and by_alias["安康市"] == "安康市"  # 安康 is also "well-being"
    assert "城区" not in by_alias and "东方" not in by_alias
    assert len(places["entity"].unique()) > 3000


def test_divisions_read_cpca_codes(tmp_path):
    csv = tmp_path / "adcodes.csv"
    csv.write_text("adcode,name,longitude,latitude\n440000000000,广东省,0,0\n440300000000,深圳市,0,0\n"
                   "440305000000,南山区,0,0\n440306000000,城区,0,0\n810000000000,香港特别行政区,0,0\n", encoding="utf-8")
    assert registry_data.divisions(csv) == [("广东", "place", "广东省"), ("广东", "place", "广东"),
                                            ("深圳", "place", "深圳市"), ("深圳", "place", "深圳"),
                                            ("南山区", "place", "南山区")]
