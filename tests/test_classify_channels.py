"""ISSNs, the Norwegian channel register in its three shapes, and per-work channel levels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import copub
from conftest import shared_path
from copub.classify.channels import (
    channel_levels,
    load_register,
    normalize_issn,
    normalize_issn_expr,
)
from copub.errors import DataError, RegisterFormatError

# --- ISSN -------------------------------------------------------------------------------


def with_check_digit(seven: str) -> str:
    total = sum(int(d) * (8 - i) for i, d in enumerate(seven))
    check = (11 - total % 11) % 11
    return f"{seven[:4]}-{seven[4:]}{'X' if check == 10 else check}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0028-0836", "0028-0836"),
        ("00280836", "0028-0836"),
        (" 1474-547x ", "1474-547X"),
        ("0028-0837", None),  # wrong check digit
        ("0028-083", None),
        ("0028-08361", None),
        ("ABCD-EFGH", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_issn(text: str | None, expected: str | None) -> None:
    assert normalize_issn(text) == expected
    assert pl.select(normalize_issn_expr(pl.lit(text, pl.String))).item() == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=7, max_size=7), st.booleans(), st.booleans())
def test_valid_issns_round_trip_in_both_forms(seven: str, hyphen: bool, lower: bool) -> None:
    issn = with_check_digit(seven)
    text = issn if hyphen else issn.replace("-", "")
    text = text.lower() if lower else text
    assert normalize_issn(text) == issn
    assert pl.select(normalize_issn_expr(pl.lit(text))).item() == issn


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789Xx- ", max_size=10))
def test_expression_agrees_with_python(text: str) -> None:
    assert pl.select(normalize_issn_expr(pl.lit(text))).item() == normalize_issn(text)


# --- the real register in ../shared -----------------------------------------------------


@pytest.fixture(scope="module")
def real_register() -> copub.classify.Register:
    return load_register(shared_path("channel-register", "nor_channels_2025-08.parquet"))


def test_real_register_loads_with_known_levels(real_register: copub.classify.Register) -> None:
    register = real_register
    assert register.levels.schema == pl.Schema(
        {"issn": pl.String, "year": pl.Int32, "level": pl.Int8}
    )
    assert register.years == (2004, 2026) and register.n_channels == 42873
    assert register.level("0028-0836", 2020) == 2  # Nature (print)
    assert register.level("1476-4687", 2020) == 2  # Nature (online)
    assert register.level("0140-6736", 2020) == 2  # The Lancet
    assert register.level("1932-6203", 2020) == 1  # PLOS ONE
    # Acta Physiologica moved from level 1 to level 2 in 2021.
    assert register.level("1748-1716", 2020) == 1 and register.level("1748-1716", 2021) == 2
    assert register.level("0028-0836", 2003) is None
    # Four ISSNs in the register fail their check digit; 3,351 publishers have no ISSN.
    assert register.n_invalid_issns == 4
    assert register.n_channels_without_issn >= 3351
    assert register.levels.select("issn", "year").is_unique().all()


def test_real_publishers_export_loads_and_reports_no_issns() -> None:
    register = load_register(shared_path("channel-register", "publishers_export_2022.csv"))
    assert register.n_channels == 3313
    assert register.n_channels_without_issn == 3313
    assert register.levels.is_empty()


# --- the export format, tidy tables and bad files ------------------------------------

EXPORT = (
    'tidsskrift_id;Original tittel;Print ISSN;Online ISSN;Nivå 2021;Nivå 2020;Sist oppdatert\r\n'
    '"1";"Tidsskrift for Søk";"0028-0836";"1476-4687";"2";"1";"2022-08-04"\r\n'
    '"2";"Broken";"1234-5678";"";"1";"1";"2022-08-04"\r\n'
    '"3";"Shares Nature\'s ISSN";"";"0028-0836";"1";"2";"2022-08-04"\r\n'
    '"4";"Unrated";"0140-6736";"";"X";"";"2022-08-04"\r\n'
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_register_export_in_any_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "journals.csv"
    path.write_bytes(EXPORT.encode(encoding))
    register = load_register(path)
    assert register.n_channels == 4 and register.years == (2020, 2021)
    assert register.n_invalid_issns == 1  # 1234-5678 fails its check digit
    assert register.n_channels_without_issn == 1
    # Two channels claim 0028-0836: the higher level of each year counts.
    assert register.level("0028-0836", 2021) == 2 and register.level("0028-0836", 2020) == 2
    assert register.level("1476-4687", 2020) == 1
    assert register.level("0140-6736", 2021) is None  # "X" is no level


def test_tidy_csv_and_parquet(tmp_path: Path) -> None:
    tidy = pl.DataFrame({
        "issn": ["0028-0836", "0028-0836", "19326203", "bad"],
        "year": [2019, 2020, 2020, 2020],
        "level": [1, 2, 1, 0],
    })
    tidy.write_csv(tmp_path / "levels.csv")
    tidy.write_parquet(tmp_path / "levels.parquet")
    for name in ("levels.csv", "levels.parquet"):
        register = load_register(tmp_path / name)
        assert register.level("0028-0836", 2019) == 1 and register.level("0028-0836", 2020) == 2
        assert register.level("1932-6203", 2020) == 1
        assert register.n_invalid_issns == 1 and register.n_channels == 2


def test_tidy_table_with_an_impossible_level_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "levels.csv"
    path.write_text("issn,year,level\n0028-0836,2020,2\n0028-0836,2021,5\n", encoding="utf-8")
    with pytest.raises(RegisterFormatError, match=r"levels\.csv: data row 2: .*level='5'"):
        load_register(path)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("people.csv", "name,age\nAda,36\n"),
        ("works.json", '{"results": []}'),
        ("broken.parquet", "not parquet at all"),
    ],
)
def test_wrong_format_is_rejected_naming_the_file(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RegisterFormatError) as info:
        load_register(path)
    message = str(info.value)
    assert name in message and "expected" in message and "issn, year, level" in message


def test_missing_register_is_missing_data(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        load_register(tmp_path / "nope.csv")


# --- channel_levels --------------------------------------------------------------------


def work(wid: str, year: int, issns: list[str] | None) -> dict[str, Any]:
    source = None if issns is None else {
        "id": f"https://openalex.org/S{wid}", "issn_l": issns[0] if issns else None, "issn": issns,
    }
    return {
        "id": f"https://openalex.org/{wid}",
        "publication_year": year,
        "primary_location": {"source": source},
        "authorships": [],
    }


def test_channel_levels_per_work_and_year(tmp_path: Path) -> None:
    works = [
        work("W1", 2020, ["1748-1708", "1748-1716"]),  # level 1 in 2020
        work("W2", 2021, ["1748-1716"]),  # the same journal, level 2 in 2021
        work("W3", 2020, ["0140-6736", "0000-0000"]),  # one ISSN matches
        work("W4", 2020, ["1932-6203", "0028-0836"]),  # ISSNs disagree: the highest counts
        work("W5", 2020, None),  # no source
        work("W6", 2003, ["0028-0836"]),  # before the register
        work("W7", 2020, ["2222-2222"]),  # not in the register
        work("W8", 2020, ["00280836"]),  # unhyphenated in the data
    ]
    path = tmp_path / "w.jsonl"
    path.write_text("\n".join(json.dumps(w) for w in works), encoding="utf-8")
    tables = copub.read_works(path)
    levels_path = tmp_path / "levels.csv"
    levels_path.write_text(
        "issn,year,level\n1748-1716,2020,1\n1748-1716,2021,2\n0140-6736,2020,2\n"
        "1932-6203,2020,1\n0028-0836,2020,2\n",
        encoding="utf-8",
    )
    result = channel_levels(tables, load_register(levels_path))
    assert result.schema == pl.Schema(
        {"work_id": pl.String, "level": pl.Int8, "in_register": pl.Boolean}
    )
    got = dict(zip(result["work_id"], result["level"], strict=True))
    assert got == {"W1": 1, "W2": 2, "W3": 2, "W4": 2, "W5": None, "W6": None, "W7": None,
                   "W8": 2}
    assert result["in_register"].to_list() == [v is not None for v in got.values()]
