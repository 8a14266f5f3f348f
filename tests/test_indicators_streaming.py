"""The streaming path (``scan_tables``, labelled in passes) gives the in-memory figures exactly.

Random tables (hypothesis) and the sample are written as parquet, scanned,
and labelled in several passes over ranges of work ids; the yearly and
window tables, and the labelled works themselves, must equal those of the
same tables in memory, bit for bit. Labels of a scan refuse, with a clear
UsageError, to serve what needs the tables in memory.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import copub
from copub.errors import DataError, UsageError
from copub.indicators import Definitions, label_works, window_indicators, yearly_indicators
from copub.indicators.scan import TableScan
from strategies import TABLE_SETTINGS, tables_of, unique_works


def _scan(tables: copub.Tables, works_per_pass: int) -> TableScan:
    data = Path(tempfile.mkdtemp())
    tables.write(data)
    return copub.scan_tables(data, works_per_pass=works_per_pass)


def _passes(scan: TableScan) -> int:
    return sum(1 for _ in scan.passes())


@given(
    unique_works(max_size=14),
    st.integers(1, 4),
    st.sampled_from(["leiden", "types", "all"]),
    st.sampled_from(["current", "historical"]),
)
# 15 examples, not 25: each streams 1-4 passes through parquet (the suite's slowest test, 21-37 s);
# the sample's streaming test and the streaming benchmark cover the same path at scale.
@settings(TABLE_SETTINGS, max_examples=15)
def test_streaming_in_passes_equals_in_memory_on_random_tables(
    works: list[dict[str, Any]], works_per_pass: int, universe: str, membership: str
) -> None:
    tables = tables_of(works)
    if tables.works.is_empty() or "I1" not in tables.institutions["institution_id"].to_list():
        return
    definitions = Definitions(
        institutions=("I1",),
        universe=universe,  # type: ignore[arg-type]
        membership=membership,  # type: ignore[arg-type]
        bootstrap=20,
        period_window=2,
    )
    scan = _scan(tables, works_per_pass)
    assert _passes(scan) == -(-tables.works.height // works_per_pass)
    _assert_same_figures(scan, tables, definitions)


def _assert_same_figures(scan: TableScan, tables: copub.Tables, definitions: Definitions) -> None:
    """Labels, yearly and window tables of the scan equal those of the tables in memory.

    Each side is labelled once: the tables are then made from its labelled works,
    which keep their source (the scan or the tables), as ``yearly_indicators(scan)``
    does after labelling the scan itself.
    """
    streamed, in_memory = label_works(scan, definitions), label_works(tables, definitions)
    assert streamed.works.equals(in_memory.works)
    assert streamed.source is scan
    assert yearly_indicators(streamed).equals(yearly_indicators(in_memory))
    assert window_indicators(streamed).equals(window_indicators(in_memory))


@pytest.fixture(scope="module")
def sample() -> tuple[copub.Tables, TableScan]:
    tables = copub.load_sample(scale=0.02)
    return tables, _scan(tables, works_per_pass=900)


def test_streaming_equals_in_memory_on_the_sample(sample: tuple[copub.Tables, TableScan]) -> None:
    from copub.sample import sample_register_path

    tables, scan = sample
    assert _passes(scan) >= 3
    for definitions in (
        Definitions(bootstrap=200, register=sample_register_path(0, 0.02)),
        Definitions(bootstrap=0, preset="bibliometrix", membership="historical"),
        Definitions(bootstrap=0, fractional="institutions", years=(2016, 2023)),
    ):
        _assert_same_figures(scan, tables, definitions)


def test_labels_of_a_scan_refuse_what_needs_tables_in_memory(
    sample: tuple[copub.Tables, TableScan],
) -> None:
    _, scan = sample
    labelled = label_works(scan, Definitions(bootstrap=0))
    assert labelled.source is scan
    # The yearly table reads the labels, restricted to some years, without the tables.
    assert yearly_indicators(labelled, years=(2018, 2020))["year"].to_list() == [2018, 2019, 2020]
    with pytest.raises(UsageError, match="scan_tables"):
        _ = labelled.tables
    with pytest.raises(UsageError, match="load_tables"):
        copub.build_network(labelled, "country")
    with pytest.raises(UsageError, match="load_tables"):
        copub.breakdown_indicators(labelled, by="field")


def test_scan_tables_names_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no copub tables"):
        copub.scan_tables(tmp_path)
    with pytest.raises(UsageError, match="works_per_pass"):
        TableScan.of(copub.Tables.empty(), works_per_pass=0)
    copub.Tables.empty().write(tmp_path / "data")
    folder = next((tmp_path / "data").glob(".generations/tables-*"))
    pl.DataFrame({"work_id": ["W1"]}).write_parquet(folder / "works.parquet")
    with pytest.raises(DataError, match="works table"):
        copub.scan_tables(tmp_path / "data")


def test_an_empty_scan_gives_an_empty_table() -> None:
    scan = TableScan.of(copub.Tables.empty(), works_per_pass=5)
    assert yearly_indicators(scan, Definitions(bootstrap=0)).is_empty()
