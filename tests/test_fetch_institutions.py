"""``fetch`` of several institutions into one data directory: each its own manifest,
one set of tables holding the union (a shared work once), resumable, by group too.

The institutions are found by their shape in the real pages (two that share works,
each with works of its own); the replay server serves each one the works whose
authorships name it in ``lineage``, as OpenAlex does.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from polars.testing import assert_frame_equal

import copub
from copub.cli import main
from copub.indicators import universe_works
from copub.provenance import Provenance
from fetch_support import assert_exact, captured, fast_settings, real_works
from replay_server import ReplayServer, short_id

PAGE = 1  # one work a page: every year with works has a second, closing page


def _lineage(work: dict[str, Any]) -> set[str]:
    return {
        short_id(parent)
        for a in work.get("authorships") or []
        for i in a.get("institutions") or []
        for parent in i.get("lineage") or []
    }


@functools.cache
def _pair() -> tuple[str, str, int, int]:
    """Two institutions sharing works, each with a work of its own: the narrowest year span."""
    works = real_works()
    by_inst: dict[str, set[str]] = {}
    for work in works:
        for inst in _lineage(work):
            by_inst.setdefault(inst, set()).add(work["id"])
    year = {w["id"]: int(w["publication_year"]) for w in works}
    best: tuple[int, str, str, int, int] | None = None
    busy = sorted(by_inst, key=lambda i: (-len(by_inst[i]), i))[:40]
    for a, b in itertools.combinations(busy, 2):
        shared = by_inst[a] & by_inst[b]
        if len(shared) < 2 or not (by_inst[a] - shared) or not (by_inst[b] - shared):
            continue
        years = [year[w] for w in by_inst[a] | by_inst[b]]
        span = max(years) - min(years)
        if best is None or span < best[0]:
            best = (span, a, b, min(years), max(years))
    assert best is not None, "the real pages have two institutions sharing works"
    return best[1], best[2], best[3], best[4]


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ReplayServer]:
    monkeypatch.setenv("COPUB_BACKOFF", "0.001")
    monkeypatch.setenv("COPUB_BACKOFF_MAX", "0.02")
    with ReplayServer(real_works(), page_size=PAGE, by_lineage=True) as replay:
        yield replay


def _pages(server: ReplayServer, institution: str, first: int, last: int) -> int:
    """List pages of one institution's chains: the works' pages plus each closing page."""
    return sum(-(-len(server.year_ids(y, institution)) // PAGE) + 1 for y in range(first, last + 1))


def _argv(server: ReplayServer, data_dir: Path, *which: str) -> list[str]:
    _, _, first, last = _pair()
    return ["fetch", *which, "--years", f"{first}-{last}", "--data-dir", str(data_dir),
            "--api-url", server.base_url]  # fmt: skip


def _ror(institution: str) -> str:
    """The institution's ROR as the works' authorships give it."""
    for work in real_works():
        for authorship in work["authorships"]:
            for inst in authorship.get("institutions") or []:
                if inst.get("id") and short_id(inst["id"]) == institution and inst.get("ror"):
                    return short_id(inst["ror"])
    pytest.skip(f"the real pages give no ROR for {institution}")


def test_two_institutions_store_a_shared_work_once_and_each_keeps_its_own_figures(
    server: ReplayServer, tmp_path: Path
) -> None:
    a, b, first, last = _pair()
    progress, stream = captured()
    union = tmp_path / "union"
    result = copub.fetch_works(
        [a, b], (first, last), settings=fast_settings(server, union), progress=progress
    )
    own_a, own_b = server.expected(first, last, a), server.expected(first, last, b)
    shared = set(own_a) & set(own_b)
    assert shared and set(own_a) - shared and set(own_b) - shared
    tables = copub.load_tables(union)
    assert_exact(tables, own_a | own_b)  # each shared work is one row
    assert result.works == len(own_a | own_b) == tables.works.height
    assert result.shared_works == len(shared) and result.duplicates_removed == 0
    assert result.institutions == (a, b) and result.institution is None
    assert [p.received for p in result.per_institution] == [len(own_a), len(own_b)]
    assert result.received == len(own_a) + len(own_b) == result.expected
    # One raw directory and manifest per institution, holding only its own chains.
    for inst, other in ((a, b), (b, a)):
        manifest = union / "raw" / "openalex" / inst / "manifest.jsonl"
        entries = [orjson.loads(line) for line in manifest.read_bytes().splitlines()]
        urls = [e["url"] for e in entries if e["kind"] == "page"]
        assert len(urls) == _pages(server, inst, first, last)
        assert all(f"lineage:{inst}," in u and f"lineage:{other}," not in u for u in urls)
    err = stream.getvalue()
    assert f"institution 1/2: {a}" in err and f"institution 2/2: {b}" in err
    assert f"{len(shared)} works shared by more than one of them are stored once" in err
    # Provenance names every institution and its own counts.
    provenance = tables.provenance
    assert provenance.institutions == (a, b) and provenance.institution is None
    assert provenance.per_institution[a]["received_works"] == len(own_a)
    assert provenance.per_institution[b]["received_works"] == len(own_b)
    assert provenance.counts["shared_works"] == len(shared)
    assert provenance.counts["duplicates_removed"] == 0  # a shared work is not a repeated page
    assert f"2 institutions {a}, {b}" in provenance.describe()
    # Each institution's figures from the union equal a fetch of it alone.
    for inst in (a, b):
        alone_dir = tmp_path / inst
        copub.fetch_works(inst, (first, last), settings=fast_settings(server, alone_dir),
                          progress=captured()[0])  # fmt: skip
        alone = copub.load_tables(alone_dir)
        assert alone.provenance.institutions == (inst,) == (alone.provenance.institution,)
        for universe in ("all", "leiden"):
            mine = copub.Definitions(
                universe=universe, bootstrap=0, institutions=(inst,), years=(first, last)
            )
            expected = copub.yearly_indicators(alone, mine)
            assert universe == "leiden" or expected["works"].sum() == len(server.expected(
                first, last, inst))  # fmt: skip
            assert_frame_equal(copub.yearly_indicators(tables, mine), expected)
            assert set(universe_works(tables, mine)["work_id"]) == set(
                universe_works(alone, mine)["work_id"]
            )


def test_a_shared_truncated_work_is_completed_once_and_is_no_duplicate(
    server: ReplayServer, tmp_path: Path
) -> None:
    a, b, first, last = _pair()
    own_a, own_b = server.expected(first, last, a), server.expected(first, last, b)
    shared = sorted(set(own_a) & set(own_b))
    server.truncate(shared[:1], keep=1)
    result = copub.fetch_works(
        [a, b], (first, last), settings=fast_settings(server, tmp_path), progress=captured()[0]
    )
    # Each institution's store re-fetches it (stores stay self-contained); one row, complete.
    assert [p.refetched for p in result.per_institution] == [1, 1]
    assert server.stats.requests["work"] == 2
    tables = copub.load_tables(tmp_path)
    assert_exact(tables, own_a | own_b)
    assert result.duplicates_removed == 0 == tables.provenance.counts["duplicates_removed"]
    assert tables.provenance.counts["truncated_completed"] == 1


def test_a_429_in_the_second_institution_keeps_the_first_and_the_rerun_fetches_the_rest(
    server: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b, first, last = _pair()
    year = next(y for y in range(first, last + 1) if server.year_ids(y, b))
    server.inject("429", institution=b, year=year, page=2)
    argv = _argv(server, tmp_path, "--institution", a, "--institution", b)
    assert main(argv) == 1
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("copub: error:")]
    assert len(errors) == 1 and "429" in errors[0] and "Traceback" not in err
    assert f"institution 2/2: {b}" in err
    assert not (tmp_path / "tables").exists()
    pages_a, pages_b = _pages(server, a, first, last), _pages(server, b, first, last)
    assert server.stats.institutions[a] == pages_a  # the first institution is complete
    first_run_b = server.stats.institutions[b]
    assert 1 < first_run_b <= pages_b

    assert main(argv) == 0
    err = capsys.readouterr().err
    assert f"{year}: resuming after page 1" in err
    # Nothing of the first institution again; of the second only what was missing.
    assert server.stats.institutions[a] == pages_a
    assert server.stats.institutions[b] == pages_b + 1  # plus the page refused with 429
    own_a, own_b = server.expected(first, last, a), server.expected(first, last, b)
    assert_exact(copub.load_tables(tmp_path), own_a | own_b)
    assert copub.load_tables(tmp_path).provenance.institutions == (a, b)


def _groups_file(path: Path, members: list[str]) -> Path:
    body = "\n".join(f"  {{ {m} }}," for m in members)
    path.write_text(
        '[groups.test_peers]\nlabel = "Test peers"\nkind = "institution"\n'
        'source = "the test"\nvintage = "2026"\nmembers = [\n' + body + "\n]\n",
        encoding="utf-8",
    )
    return path


def test_group_fetches_its_members_and_names_the_ones_it_skips(
    server: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b, first, last = _pair()
    groups = _groups_file(tmp_path / "groups.toml", [
        f'code = "A", name = "Alpha", openalex_id = "{a}"',
        f'code = "B", name = "Beta", ror = "{_ror(b)}"',  # looked up by ROR
        'code = "C", name = "Gamma", status = "unresolved"',
        'code = "D", name = "Delta", ror = "0zzzzzz99"',  # a ROR OpenAlex does not know
    ])  # fmt: skip
    data = tmp_path / "data"
    argv = _argv(server, data, "--group", "test_peers", "--groups", str(groups))
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert server.stats.requests["institution"] == 2  # Beta and Delta, by ROR
    tables = copub.load_tables(data)
    assert tables.provenance.institutions == (a, b)
    assert_exact(tables, server.expected(first, last, a) | server.expected(first, last, b))
    assert f"group test_peers (Test peers): 2 institutions: {a}, {b}" in err
    skipped = [line for line in err.splitlines() if "not fetched" in line]
    # Each skipped member named before the fetch and again at the end.
    assert len(skipped) == 4 and err.rstrip().splitlines()[-1] == skipped[-1]
    assert sum("Gamma (no ROR or OpenAlex id" in line for line in skipped) == 2
    assert sum("Delta (OpenAlex knows no institution with ROR 0zzzzzz99)" in line
               for line in skipped) == 2  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--group", "nowhere"], "no institution group 'nowhere'; known: enhance, n5t, "
                                 "norway_universities"),
        (["--group", "priority"], "not institutions"),
        (["--group", "n5t", "--institution", "I1"], "not allowed with argument"),
        (["--groups", "x.toml"], "--groups FILE goes with --group KEY"),
    ],
)  # fmt: skip
def test_bad_group_arguments_exit_2_with_one_line(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["fetch", *args, "--years", "2007", "--data-dir", str(tmp_path),
            "--api-url", "http://127.0.0.1:9"]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("copub: error:") and message in err
    assert not (tmp_path / "raw").exists()


def test_an_institution_with_no_works_exits_1_naming_it_and_writes_no_tables(
    server: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, _, _, _ = _pair()
    assert main(_argv(server, tmp_path, "--institution", a, "--institution", "I1")) == 1
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("copub: error:")]
    assert len(errors) == 1 and "no works for I1 in" in errors[0] and a not in errors[0]
    assert "other institutions' pages are kept" in errors[0]
    assert not (tmp_path / "tables").exists()
    assert (tmp_path / "raw" / "openalex" / a / "manifest.jsonl").is_file()


def test_authors_of_several_institutions_go_into_one_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b, first, last = _pair()
    in_years = [w for w in real_works() if first <= int(w["publication_year"]) <= last]

    def home(inst: str) -> set[str]:
        return {
            short_id(au["author"]["id"])
            for w in in_years
            for au in w["authorships"]
            if au["author"].get("id") and inst in _lineage({"authorships": [au]})
        }

    home_a, home_b = home(a), home(b)
    assert home_a and home_b
    records = [
        {"id": f"https://openalex.org/{author}", "display_name": "x", "affiliations": [
            {"institution": {"id": f"https://openalex.org/{a if author in home_a else b}",
                             "country_code": "NO"}, "years": [first]}]}
        for author in sorted(home_a | home_b)
    ]  # fmt: skip
    monkeypatch.setenv("COPUB_BACKOFF", "0.001")
    with ReplayServer(real_works(), page_size=8, by_lineage=True, authors=records) as replay:
        argv = _argv(replay, tmp_path, "--institution", a, "--institution", b, "--authors")
        assert main(argv) == 0
    err = capsys.readouterr().err
    want = len(home_a | home_b)
    assert f"authors: {want} of {want} records received" in err
    authors = copub.load_authors(tmp_path)
    assert set(authors["author_id"]) == home_a | home_b
    for inst in (a, b):
        assert (tmp_path / "raw" / "openalex" / inst / "authors" / "manifest.jsonl").is_file()


def test_provenance_of_several_institutions_round_trips_and_old_files_still_load() -> None:
    old = {"source": "openalex", "institution": "I5", "years": [2020, 2021], "counts": {}}
    loaded = Provenance.from_dict(old)
    assert loaded.institutions == ("I5",) and loaded.institution == "I5"
    both = Provenance(source="openalex", institutions=("I5", "I6"),
                      per_institution={"I5": {"received_works": 3}})  # fmt: skip
    again = Provenance.from_dict(orjson.loads(orjson.dumps(both.to_dict())))
    assert again.institutions == ("I5", "I6") and again.institution is None
    assert again.per_institution == {"I5": {"received_works": 3}}
    assert loaded.with_(institutions=("I1", "I2")).institution is None
    with pytest.raises(ValueError, match="several"):
        Provenance(institution="I5", institutions=("I5", "I6"))


def test_fetch_works_refuses_no_institution(tmp_path: Path) -> None:
    with pytest.raises(copub.errors.UsageError, match="at least one"):
        copub.fetch_works([], "2007", settings=copub.Settings(data_dir=tmp_path))
    with pytest.raises(copub.errors.UsageError, match="42"):
        copub.fetch_works([42], "2007", settings=copub.Settings(data_dir=tmp_path))  # type: ignore[list-item]
    assert not (tmp_path / "raw").exists()
