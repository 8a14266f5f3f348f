"""The real OpenAlex API keeps the contract copub relies on (needs OPENALEX_API_KEY).

Skipped unless the key is set and api.openalex.org answers. One small year of
NTNU is fetched (one list page or a few): ``meta.count``, cursor paging and the
fields the normalizer reads.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import urllib3

import copub
from copub.fetch.query import page_url, year_query
from copub.fetch.transport import Transport
from copub.progress import Progress
from copub.settings import DEFAULT_API_URL

pytestmark = pytest.mark.live

INSTITUTION = "I204778367"  # NTNU
YEAR = 1975  # few works: a cheap, stable slice of the API


@pytest.fixture(scope="module")
def live_settings(tmp_path_factory: pytest.TempPathFactory) -> copub.Settings:
    key = os.environ.get("OPENALEX_API_KEY")
    if not key:
        pytest.skip("OPENALEX_API_KEY is not set")
    try:
        urllib3.request("GET", f"{DEFAULT_API_URL}/", timeout=5.0, retries=False)
    except urllib3.exceptions.HTTPError as exc:
        pytest.skip(f"api.openalex.org does not answer: {exc}")
    return copub.Settings(
        data_dir=tmp_path_factory.mktemp("live"), api_key=key, concurrency=1, max_retries=3
    )


def test_list_contract(live_settings: copub.Settings) -> None:
    query = year_query(INSTITUTION, YEAR, live_settings.api_url)
    with Transport(live_settings) as transport:
        _, first = transport.get_json(page_url(query, per_page=2, cursor="*"))
    meta = first["meta"]
    assert isinstance(meta["count"], int)
    if meta["count"] > 1000:
        pytest.skip(f"{YEAR} has {meta['count']} works now: too many for a quick live check")
    assert isinstance(meta.get("next_cursor"), str) or meta["count"] <= 2
    for work in first["results"]:
        assert work["id"].startswith("https://openalex.org/W")
        assert work["publication_year"] == YEAR
        for field in ("authorships", "type", "is_retracted", "primary_location"):
            assert field in work
        assert "is_authors_truncated" in work or len(work["authorships"]) < 100
        lineages = {
            lin
            for a in work["authorships"]
            for i in a["institutions"]
            for lin in i.get("lineage", [])
        }
        assert f"https://openalex.org/{INSTITUTION}" in lineages


def test_fetch_one_year(live_settings: copub.Settings, tmp_path: Path) -> None:
    settings = live_settings.with_(data_dir=tmp_path)
    result = copub.fetch_works(INSTITUTION, YEAR, settings=settings, progress=Progress.silent())
    (year,) = result.per_year
    assert year.expected is not None and year.received == year.expected
    tables = copub.load_tables(tmp_path)
    assert tables.works.height == year.received
    assert set(tables.works["year"].to_list()) <= {YEAR}
