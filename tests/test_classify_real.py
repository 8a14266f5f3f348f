"""Every work in the real pages of ../shared gets countries, groups, a channel level and funding."""

from __future__ import annotations

import polars as pl
import pytest

import copub
from conftest import shared_path
from copub.classify import (
    channel_levels,
    funding_flags,
    load_groups,
    load_register,
    work_countries,
    work_group_flags,
)

NMBU = "I54108979"  # the one Norwegian institution in the real pages


@pytest.fixture(scope="module")
def register() -> copub.classify.Register:
    return load_register(shared_path("channel-register", "nor_channels_2025-08.parquet"))


def test_real_pages_are_fully_classified(
    real_tables: copub.Tables, register: copub.classify.Register
) -> None:
    tables = real_tables
    assert NMBU in tables.institutions["institution_id"].to_list()
    ids = tables.works["work_id"].sort()
    countries = work_countries(tables, institution=NMBU)
    flags = work_group_flags(tables, load_groups(), institution=NMBU)
    historical = work_group_flags(tables, load_groups(), institution=NMBU, membership="historical")
    levels = channel_levels(tables, register)
    funding = funding_flags(tables)
    for frame in (countries, flags, historical, levels, funding):
        assert frame["work_id"].equals(ids)
    assert flags.select(pl.exclude("work_id").null_count()).sum_horizontal().item() == 0
    # Facts of these pages that the labels must reproduce.
    assert countries["is_international"].sum() > 0
    assert (countries["is_international"] == (countries["n_countries"] >= 2)).all()
    in_register = levels.filter(pl.col("in_register"))
    assert in_register.height > 100 and set(in_register["level"].unique()) <= {0, 1, 2}
    # Historical membership can only shrink groups that grew (priority: 6 -> 9).
    assert historical["priority"].sum() <= flags["priority"].sum()
    assert (historical["priority"] <= flags["priority"]).all()
