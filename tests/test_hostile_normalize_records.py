"""Issue 27, item 7 and the messages: impossible values are refused or counted, never coerced.

Every file is a doctored copy of a real record from ../shared/data, built at
test time in ``tmp_path``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import copub
from conftest import shared_path
from copub.cli import main
from copub.errors import DataError
from copub.normalize.authors import read_authors


def _real_works() -> list[dict[str, Any]]:
    page = json.loads(shared_path("openalex", "works_chunk_1.json").read_bytes())
    return list(page["results"])


def _write(path: Path, records: list[dict[str, Any]], shape: str) -> Path:
    if shape == "page":
        path.write_text(json.dumps({"meta": {"count": len(records)}, "results": records}))
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _with(record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(record)
    out.update(changes)
    return out


@pytest.mark.parametrize("shape", ["page", "lines"])
@pytest.mark.parametrize(
    ("year", "says"),
    [
        (2020.7, "publication_year 2020.7 is not a whole year"),
        (-5, "publication_year -5 is impossible"),
        (99999999999, "publication_year 99999999999 is impossible"),
    ],
)
def test_an_impossible_year_is_refused_naming_file_and_record(
    tmp_path: Path, year: float, says: str, shape: str
) -> None:
    works = _real_works()[:3]
    works[1] = _with(works[1], publication_year=year)
    path = _write(tmp_path / f"works.{shape}", works, shape)
    with pytest.raises(DataError) as caught:
        copub.read_works(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: record 2: ") and says in message
    assert "no publication_year" not in message and "fix or remove this record" in message


def test_a_refused_year_leaves_the_tables_and_says_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    works = _real_works()
    data = tmp_path / "data"
    assert (
        main(
            ["import", str(_write(tmp_path / "good.json", works, "page")), "--data-dir", str(data)]
        )
        == 0
    )
    before = copub.load_tables(data).works
    bad = _write(
        tmp_path / "bad.json", [*works[:5], _with(works[5], publication_year=2020.7)], "page"
    )
    assert main(["import", str(bad), "--data-dir", str(data), "--replace"]) == 1
    err = capsys.readouterr().err
    assert err.count("copub: error:") == 1 and "record 6: publication_year 2020.7" in err
    assert copub.load_tables(data).works.equals(before)


def test_an_impossible_date_is_counted_not_silently_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    works = _real_works()[:4]
    works[2] = _with(works[2], publication_date="2020-13-45")
    path = _write(tmp_path / "dates.json", works, "page")
    tables = copub.read_works(path)
    assert tables.provenance.counts["impossible_dates"] == 1
    short = works[2]["id"].removeprefix("https://openalex.org/")
    dates = dict(tables.works.select("work_id", "publication_date").iter_rows())
    assert dates[short] is None and sum(d is not None for d in dates.values()) == 3
    assert main(["import", str(path), "--data-dir", str(tmp_path / "data")]) == 0
    err = capsys.readouterr().err
    assert "1 record(s) give a publication_date that is no calendar date" in err
    assert f"{short} ('2020-13-45')" in err
    stored = json.loads((tmp_path / "data" / "tables" / "provenance.json").read_text())
    assert stored["counts"]["impossible_dates"] == 1


def test_a_page_whose_first_key_is_not_meta_or_results(tmp_path: Path) -> None:
    works = _real_works()[:3]
    other_order = tmp_path / "other_order.json"
    other_order.write_text(json.dumps({"extra": 1, "results": works, "meta": {"count": 3}}))
    assert copub.read_works(other_order).works.height == 3
    wrong = tmp_path / "wrong_shape.json"
    wrong.write_text(json.dumps({"data": works}, indent=2))
    with pytest.raises(DataError) as caught:
        copub.read_works(wrong)
    message = str(caught.value)
    assert message.startswith(f"{wrong}: not an OpenAlex list response or work")
    assert "'data'" in message and "id None" not in message


def _real_authors() -> list[dict[str, Any]]:
    page = json.loads(shared_path("openalex-authors", "authors_page_50.json").read_bytes())
    return list(page["results"])


@pytest.mark.parametrize(
    ("years", "says"),
    [
        (["2020"], "'years' holds ['2020'], not numbers"),
        ({"2020": 1}, "'years' must be a list of years"),
        ([2020.5], "affiliation year 2020.5 is not a whole year"),
    ],
)
def test_a_bad_author_record_is_named(tmp_path: Path, years: Any, says: str) -> None:
    authors = _real_authors()[:4]
    bad = copy.deepcopy(authors[2])
    bad["affiliations"][0]["years"] = years
    authors[2] = bad
    path = _write(tmp_path / "authors.json", authors, "page")
    with pytest.raises(DataError) as caught:
        read_authors(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: record 3 ({bad['id']})") and says in message
    assert "no single record is at fault" not in message
