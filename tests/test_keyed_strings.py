"""The keyed affiliation-string rows against the authorships' own lists, in plain Python.

Keying ranks the institutions a string names inside the lists when the
institutions table has every one of them, and as id strings (adding the ids
it lacks) otherwise; either way each row's ``iid`` must name the id the
string names.
"""

from __future__ import annotations

from collections import Counter

import polars as pl
import pytest

import copub
from copub.classify.keyed import AUTHORSHIP_STRIDE, KeyedTables

Row = tuple[str, int, int, int, bool, str | None]


@pytest.fixture(scope="module")
def sample() -> copub.Tables:
    return copub.load_sample(scale=0.01)


def _expected(tables: copub.Tables) -> Counter[Row]:
    """(work, position, string, number of strings, first row of the string, institution)."""
    rows: Counter[Row] = Counter()
    frame = tables.authorships.select("work_id", "position", "affiliation_strings")
    for work_id, position, strings in frame.iter_rows():
        for string in strings or []:
            ids = string["institution_ids"] or [None]
            number = string["string_id"]
            for k, institution in enumerate(ids):
                rows[(work_id, position, number, len(strings), k == 0, institution)] += 1
    return rows


def _got(keyed: KeyedTables) -> Counter[Row]:
    strings = keyed.strings
    ids = keyed.institutions["institution_id"]
    return Counter(
        (
            keyed.work_ids[wid],
            aid % AUTHORSHIP_STRIDE,
            string_id,
            n_strings,
            is_first,
            None if iid is None else ids[iid],
        )
        for wid, aid, string_id, n_strings, is_first, iid in strings.select(
            "wid", "aid", "string_id", "n_strings", "is_first", "iid"
        ).iter_rows()
    )


def test_string_rows_name_the_institutions_the_strings_name(sample: copub.Tables) -> None:
    keyed = KeyedTables.from_tables(sample)
    assert keyed.strings.schema["iid"] == pl.UInt32
    assert _got(keyed) == _expected(sample)


def test_an_institution_the_table_lacks_is_still_named(sample: copub.Tables) -> None:
    named = sample.authorships["affiliation_strings"].explode().struct.field("institution_ids")
    lacking = named.explode().drop_nulls().mode().sort()[0]
    tables = sample.with_(
        institutions=sample.institutions.filter(pl.col("institution_id") != lacking)
    )
    keyed = KeyedTables.from_tables(tables)
    # The id is added after the table's rows, with no attributes.
    added = keyed.institutions.filter(pl.col("institution_id") == lacking)
    assert added.height == 1 and added["iid"][0] >= tables.institutions.height
    assert _got(keyed) == _expected(tables)
