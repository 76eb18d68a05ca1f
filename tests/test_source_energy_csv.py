"""Meter CSV replay: the Cambridge Estates electricity onto Den Haag's buildings, and malformed CSVs."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.city.scene import load_scene_models
from viewer.config import SceneConfig
from viewer.errors import LoadError
from viewer.sources.base import Source
from viewer.sources.energy_csv import EnergyCsvSource, MeterTable, largest_buildings_mapping, read_mapping

NOON_JUNE_12 = datetime(2019, 6, 12, 12, tzinfo=UTC).timestamp()


@pytest.fixture(scope="module")
def denhaag(shared_data):
    """Den Haag's Building ids with their footprint areas (the CityModel's), largest first."""
    scene = load_scene_models(SceneConfig.for_file(shared_data / "cityjson_denhaag" / "DenHaag_01.city.json"),
                              use_cache=False)
    objects = scene.model.objects
    rows = [k for k, t in enumerate(objects.types) if t == "Building"]
    return [objects.ids[k] for k in rows], objects.footprint_area[rows]


@pytest.fixture(scope="module")
def electricity(shared_data):
    return shared_data / "energy_cambridge_estates" / "derived" / "electricity_2019_wide.csv"


def test_row_sum_equals_building_sum(electricity, denhaag):
    """The 101 meters on Den Haag's 101 largest buildings: their power sum at 2019-06-12 12:00 is the row sum."""
    table = MeterTable(electricity)
    assert table.kwh.shape == (8760, 101) and table.interval == 3600.0
    assert table.kwh.sum() == pytest.approx(86_980_590, abs=1)
    mapping = largest_buildings_mapping(table.meters, *denhaag)
    assert len(mapping) == 101 and len(set(mapping.values())) == 101
    assert mapping["UCam_Building_b0"] == denhaag[0][int(np.nanargmax(denhaag[1]))]
    source = EnergyCsvSource(table, mapping, step=3600.0, start=NOON_JUNE_12, building_ids=denhaag[0])
    assert isinstance(source, Source) and source.unmapped == []
    snap = source.start().upserts["building"]
    assert set(snap.ids) <= set(denhaag[0]) and len(snap.ids) == 101
    row = int(np.searchsorted(table.times, NOON_JUNE_12))
    assert snap.power.sum(dtype=np.float64) == pytest.approx(table.kwh[row].sum(), rel=1e-6)
    assert snap.power.sum(dtype=np.float64) == pytest.approx(12_687.1, abs=0.05)  # SOURCE.md's check
    assert np.allclose(snap.energy, snap.power) and np.all(snap.timestamp == NOON_JUNE_12)
    after = source.step()
    assert after.time == NOON_JUNE_12 + 3600
    assert after.upserts["building"].power.sum(dtype=np.float64) == pytest.approx(table.kwh[row + 1].sum(), rel=1e-6)


def test_accelerated_clock_sends_each_row_once(tmp_path):
    """With 15-minute steps a row's reading is sent once, then nothing until the next hour; power = kWh / h."""
    path = tmp_path / "m.csv"
    path.write_text("datetime,m1,m2,m3\n2019-01-01 00:00:00,1.0,2.0,\n2019-01-01 01:00:00,3.0,4.0,5\n")
    source = EnergyCsvSource(path, {"m1": "b", "m2": "b", "m3": "c"}, step=900.0)
    first = source.start().upserts["building"]
    assert first.ids.tolist() == ["b", "c"] and first.power[0] == 3.0 and np.isnan(first.power[1])
    kinds = [("building" in u.upserts) for u in (source.step() for _ in range(4))]
    assert kinds == [False, False, False, True]
    assert [source.step() for _ in range(4)][-1] is None  # after the last row's hour


def test_unmapped_meters_are_listed(tmp_path, caplog):
    """Meters without a building are ignored with one warning that lists them; a mapping file works too."""
    path = tmp_path / "m.csv"
    path.write_text("timestamp,a,b,c\n2019-01-01T00:00:00+00:00,1,2,3\n")
    mapping = tmp_path / "map.csv"
    mapping.write_text("meter,building\na,bldg-1\n")
    with caplog.at_level(logging.WARNING):
        source = EnergyCsvSource(path, mapping)
    assert source.unmapped == ["b", "c"] and "b, c" in caplog.text
    toml = tmp_path / "map.toml"
    toml.write_text('[meters]\na = "bldg-1"\nb = "bldg-2"\n')
    assert read_mapping(toml) == {"a": "bldg-1", "b": "bldg-2"}
    assert EnergyCsvSource(path, toml).start().upserts["building"].power.tolist() == [1.0, 2.0]


def test_units_and_offsets(tmp_path):
    """Wh values are converted to kWh; naive timestamps take utc_offset; half-hour intervals double the power."""
    path = tmp_path / "m.csv"
    path.write_text("datetime,a\n2019-01-01 00:00,500\n2019-01-01 00:30,1000\n")
    source = EnergyCsvSource(path, {"a": "x"}, unit="Wh", utc_offset=1.0, step=1800)
    reading = source.start().upserts["building"]
    assert reading.energy[0] == 0.5 and reading.power[0] == 1.0
    assert reading.timestamp[0] == datetime(2018, 12, 31, 23, tzinfo=UTC).timestamp()


_BAD = {
    "ragged": ("datetime,a,b\n2019-01-01 00:00,1,2\n2019-01-01 01:00,1\n", "line 3"),
    "word": ("datetime,a\n2019-01-01 00:00,1\n2019-01-01 01:00,lots\n", "line 3: meter 'a'"),
    "inf": ("datetime,a\n2019-01-01 00:00,inf\n", "line 2"),
    "time": ("datetime,a\nyesterday,1\n", "line 2: timestamp"),
    "order": ("datetime,a\n2019-01-01 01:00,1\n2019-01-01 00:00,1\n", "line 3"),
    "gap": ("datetime,a\n2019-01-01 00:00,1\n2019-01-01 01:00,1\n2019-01-01 03:00,1\n", "line 4"),
    "header": ("datetime\n", "line 1"),
    "duplicate": ("datetime,a,a\n2019-01-01 00:00,1,2\n", "unique"),
    "rows": ("datetime,a\n", "no data rows"),
    "binary": ("datetime,a\n\x00\xff,1\n", "line 2"),
}


@pytest.mark.parametrize("name", sorted(_BAD))
def test_malformed_csv_names_file_and_line(tmp_path, name):
    """A malformed meter CSV raises LoadError naming the file and the line (or the problem)."""
    text, where = _BAD[name]
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(LoadError) as info:
        MeterTable(path)
    assert str(path) in str(info.value) and where in str(info.value)


def test_malformed_mapping(tmp_path):
    """Mapping files without the right columns or pairs raise LoadError."""
    for name, text in (("m.csv", "a,b\n1,2\n"), ("m.csv", "meter,building\nx\n"), ("m.toml", "a = 1\n"),
                       ("m.toml", "a = \n")):
        path = tmp_path / name
        path.write_text(text)
        with pytest.raises(LoadError):
            read_mapping(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="datetim,0123456789-: .\nabe", max_size=200))
def test_generated_csvs_never_crash(tmp_path, text):
    """Arbitrary text as a meter CSV loads or raises LoadError, nothing else."""
    path = tmp_path / "g.csv"
    path.write_text(text)
    try:
        MeterTable(path)
    except LoadError:
        pass
