"""EU participation: readers against plain counts over the real files, classification, bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from tests.conftest import shared_path

from cli_run import run_cli
from copub.errors import DataError, UsageError
from copub.eu.analysis import EuInputs, eu_participation
from copub.eu.cordis import read_cordis
from copub.eu.home import load_organisations, resolve_organisation
from copub.eu.norway import read_norway_grants
from copub.eu.schema import PARTICIPATIONS
from copub.eu.summaries import read_participation_summary
from copub.sample.cordis import write_cordis_sample

NTNU = "974767880"


def _plain_norway_part(row: dict[str, str]) -> str:
    """Independent mapping of the file's programme codes (fields.csv; Program kode)."""
    code = row["Program kode (H2020)"] or ""
    if code.startswith("EU.1.2."):
        # FET, by line (the topic): Open and Proactive are the EIC Pathfinder's predecessor.
        topic = row["Topic kode"] or ""
        for stem, line in (("FETHPC", "fet_hpc"), ("FETFLAG", "fet_flagships"),
                           ("FETOPEN", "fet_open_proactive"), ("FETPROACT", "fet_open_proactive")):
            if topic.startswith(stem):
                return line
        return "fet"
    for prefix, part in (
        ("EU.1.1.", "erc"),
        ("EU.1.2.", "fet"),
        ("EU.1.3.", "msca"),
        ("EU.1.4.", "infrastructures"),
        ("EU.2.", "industrial_leadership"),
        ("EU.3.", "societal_challenges"),
        ("EU.4.", "widening"),
    ):
        if code.startswith(prefix):
            return part
    return "other"


def test_norway_ntnu_per_part_equals_plain_count() -> None:
    path = shared_path("eu-grants-norway", "h2020_grants_norway.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            r for r in csv.DictReader(handle, delimiter=";") if r["Organisasjonsnummer"] == NTNU
        ]
    assert len(rows) == 241
    plain = Counter(_plain_norway_part(r) for r in rows)
    plain_projects = {p: len({r["Prosjektnr"] for r in rows if _plain_norway_part(r) == p})
                      for p in plain}  # fmt: skip
    plain_coord = Counter(_plain_norway_part(r) for r in rows
                          if r["Organisasjon rolle"] == "COORDINATOR")  # fmt: skip
    plain_euro = Counter()
    for r in rows:
        plain_euro[_plain_norway_part(r)] += float(r["Innvilget beløp organisasjon EUR"])
    result = eu_participation(EuInputs(norway_grants=path, organisation=(NTNU,)))
    summary = result.summary.filter(pl.col("organisation") == result.home.key)
    got = {r["programme_part"]: r for r in summary.iter_rows(named=True)}
    for part, n in plain.items():
        assert got[part]["participations"] == n, part
        assert got[part]["projects"] == plain_projects[part], part
        assert got[part]["coordinated"] == plain_coord[part], part
        assert got[part]["ec_contribution_eur"] == pytest.approx(plain_euro[part]), part
    assert sum(r["participations"] for r in got.values()) == 241
    # by hand in the file: ERC 13, FET 11 (9 Open/Proactive, 1 Flagships, 1 HPC), MSCA 65
    fet = ("fet_open_proactive", "fet_flagships", "fet_hpc")
    assert (plain["erc"], sum(plain[p] for p in fet), plain["msca"]) == (13, 11, 65)
    assert [plain[p] for p in fet] == [9, 1, 1]
    assert result.matches.filter(organisation="ntnu")["matched_on"].to_list() == ["orgnr"]


def test_norway_table_follows_schema_and_keeps_every_row() -> None:
    table = read_norway_grants(shared_path("eu-grants-norway", "h2020_grants_norway.csv"))
    assert table.schema == PARTICIPATIONS
    assert table.height == 2931
    assert table["project_id"].n_unique() == 1957


@pytest.mark.parametrize("country", ["NZ", "CA"])
def test_participation_summary_counts_equal_plain_count(country: str) -> None:
    path = shared_path("cordis", "participation-summaries", f"{country}_FP_participation.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    plain = Counter((r["frameworkProgramme"], r["PIC"]) for r in rows)
    plain_projects = Counter()
    for fp, pic, _ in {(r["frameworkProgramme"], r["PIC"], r["projectID"]) for r in rows}:
        plain_projects[(fp, pic)] += 1
    table = read_participation_summary(path)
    got = table.group_by("framework_programme", "organisation_id").agg(
        n=pl.len(), projects=pl.col("project_id").n_unique()
    )
    got_map = {
        (r["framework_programme"], r["organisation_id"]): r for r in got.iter_rows(named=True)
    }
    assert set(got_map) == set(plain)
    for key, n in plain.items():
        assert got_map[key]["n"] == n
        assert got_map[key]["projects"] == plain_projects[key]


def test_participation_summary_horizon_rows_classified_by_legal_basis() -> None:
    folder = shared_path("cordis", "horizon-europe")
    path = shared_path("cordis", "participation-summaries", "CA_FP_participation.csv")
    known = read_cordis(folder).projects
    table = read_participation_summary(path, known)
    horizon = table.filter(pl.col("framework_programme") == "HORIZON")
    listed = set(known["project_id"].to_list())
    in_list = horizon.filter(pl.col("project_id").is_in(listed))
    assert in_list.height > 0
    assert set(in_list["part_basis"].to_list()) == {"legal basis"}


def test_real_horizon_legal_bases_classify_every_project() -> None:
    folder = shared_path("cordis", "horizon-europe")
    with (folder / "legalBasis.csv").open(encoding="utf-8", newline="") as handle:
        bases = list(csv.DictReader(handle, delimiter=";"))
    with (folder / "topics.csv").open(encoding="utf-8", newline="") as handle:
        topics = {r["projectID"]: r["topic"] for r in csv.DictReader(handle, delimiter=";")}
    main = {r["projectID"]: r["legalBasis"] for r in bases if r["uniqueProgrammePart"] == "true"}
    ids = {r["projectID"] for r in bases}
    expected_of = {"HORIZON.1.1": "erc", "HORIZON.1.2": "msca", "HORIZON.1.3": "infrastructures",
                   **{f"HORIZON.2.{k}": f"cluster_{k}" for k in range(1, 7)},
                   "HORIZON.4.1": "widening"}  # fmt: skip
    projects = read_cordis(folder).projects
    assert set(projects["project_id"].to_list()) == ids
    assert projects["programme_part"].null_count() == 0
    got = dict(zip(projects["project_id"], projects["programme_part"], strict=True))
    for pid in ids:
        code = main[pid]
        if code == "HORIZON.3.1":
            want = "eic_pathfinder" if "PATHFINDER" in topics.get(pid, "") else "eic_other"
        else:
            want = expected_of.get(code, "other")
        assert got[pid] == want, pid
    assert Counter(got.values())["eic_pathfinder"] == 363


# ---------------------------------------------------------------- bad input


def _cordis_folder(tmp: Path) -> Path:
    out = write_cordis_sample(tmp / "cordis")
    return out / "horizon-europe"


def test_cordis_file_with_other_headers(tmp_path: Path) -> None:
    folder = _cordis_folder(tmp_path)
    (folder / "organization.csv").write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"organization\.csv: not the expected file.*projectID"):
        read_cordis(folder)


def test_cordis_file_of_the_wrong_programme(tmp_path: Path) -> None:
    folder = _cordis_folder(tmp_path)
    h2020 = folder.parent / "h2020"
    (folder / "legalBasis.csv").write_bytes((h2020 / "legalBasis.csv").read_bytes())
    with pytest.raises(DataError, match=r"project\.csv: frameworkProgramme is HORIZON.*H2020"):
        read_cordis(folder)
    fp7 = tmp_path / "fp7"
    fp7.mkdir()
    (fp7 / "legalBasis.csv").write_text(
        "projectID;legalBasis;title;uniqueProgrammePart\n1;FP7-IDEAS-ERC;ERC;true\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"legalBasis.csv.*another programme"):
        read_cordis(fp7)


def test_norway_file_of_the_wrong_programme(tmp_path: Path) -> None:
    source = shared_path("eu-grants-norway", "h2020_grants_norway.csv")
    text = source.read_text(encoding="utf-8").replace("\nH2020;", "\nHORIZON;", 3)
    bad = tmp_path / "grants.csv"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"grants.csv: Rammeprogram is HORIZON"):
        read_norway_grants(bad)


def test_zip_without_the_expected_members(tmp_path: Path) -> None:
    empty = tmp_path / "other.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("euroSciVoc.csv", "a;b\n")
    with pytest.raises(DataError, match=r"other.zip holds none of project.csv"):
        read_cordis(empty)
    partial = tmp_path / "partial.zip"
    folder = _cordis_folder(tmp_path)
    with zipfile.ZipFile(partial, "w") as archive:
        archive.write(folder / "project.csv", "csv/project.csv")
        archive.write(folder / "legalBasis.csv", "csv/legalBasis.csv")
    with pytest.raises(DataError, match=r"partial.zip lacks organization.csv, topics.csv"):
        read_cordis(partial)
    not_zip = tmp_path / "fake.zip"
    not_zip.write_text("hello", encoding="utf-8")
    with pytest.raises(DataError, match=r"fake.zip: not a zip file"):
        read_cordis(not_zip)


def test_folder_with_two_downloads_is_refused(tmp_path: Path) -> None:
    out = write_cordis_sample(tmp_path / "both")
    with pytest.raises(DataError, match=r"holds 2 files named \w+\.csv.*own --cordis"):
        read_cordis(out)


def test_zip_and_folder_read_the_same(tmp_path: Path) -> None:
    folder = _cordis_folder(tmp_path)
    archive_path = tmp_path / "cordis-HORIZONprojects-csv.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        for name in ("project.csv", "organization.csv", "legalBasis.csv", "topics.csv"):
            archive.write(folder / name, name)
    from_zip = read_cordis(archive_path).participations
    from_folder = read_cordis(folder).participations
    assert from_zip.equals(from_folder)
    assert from_zip.height > 0


def test_organisation_that_matches_nothing_lists_closest() -> None:
    path = shared_path("eu-grants-norway", "h2020_grants_norway.csv")
    table = read_norway_grants(path)
    with pytest.raises(UsageError, match=r"closest: UNIVERSITETET I BERGEN"):
        resolve_organisation("UNIVERSITETET I BERGN", load_organisations(), table)
    with pytest.raises(UsageError, match=r"matches nothing"):
        resolve_organisation("000000000", load_organisations(), table)


def test_cli_bad_input_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "x.csv"
    bad.write_text("a;b\n1;2\n", encoding="utf-8")
    done = run_cli("eu", "--cordis", str(bad))
    assert done.code == 1
    assert done.err.count("\n") == 1 and "x.csv" in done.err
    assert "Traceback" not in done.err


# ---------------------------------------------------------------- sample


def test_sample_links_works_to_projects_and_says_synthetic() -> None:
    import copub
    from copub.eu.links import project_links

    tables = copub.load_sample(scale=0.02)
    out = write_cordis_sample(Path(__import__("tempfile").mkdtemp()), tables=tables)
    result = eu_participation(EuInputs(cordis=(out / "h2020", out / "horizon-europe")))
    assert result.synthetic
    links = project_links(tables, result.projects)
    assert links.height >= 30 and bool(links["home"].all())  # awards made into NTNU projects
    # the same funder mapping as the yearly fund_ec share
    from copub.classify import funding_flags

    flags = funding_flags(tables).filter(pl.col("work_id").is_in(links["work_id"].to_list()))
    assert flags.height == links["work_id"].n_unique() and bool(flags["funded_ec"].all())
    # no work thanks a project signed after it appeared
    signed = result.participations.select("project_id", "signature_year").unique()
    dated = links.join(signed, on="project_id")
    assert dated.height == links.height
    assert bool((dated["signature_year"] < dated["year"]).all())
    # every link names an EC-family funding row whose award id is the project id
    funding = tables.funding.join(links.select("work_id", "award_id"), on=["work_id", "award_id"])
    assert funding.height >= links.height
    assert set(links["project_id"]) <= set(result.projects["project_id"])


def test_cli_csv_columns(tmp_path: Path) -> None:
    done = run_cli("eu", "--sample", "--scale", "0.01", "--format", "csv",
                   env={"COPUB_DATA_DIR": str(tmp_path / "d")})  # fmt: skip
    assert done.code == 0, done.err
    frame = pl.read_csv(io.StringIO(done.out), comment_prefix="#")
    for column in ("framework_programme", "programme_part", "projects", "coordinated",
                   "ec_contribution_eur"):  # fmt: skip
        assert column in frame.columns
    # Plain CSV on stdout: the synthetic column on every row, the warning on stderr.
    assert done.out.startswith("organisation,") and "SYNTHETIC" in done.err
    assert set(frame["synthetic"]) == {"SYNTHETIC SAMPLE DATA: not real publications"}


def test_pro_rating_uses_the_years_the_data_covers(tmp_path: Path) -> None:
    out = write_cordis_sample(tmp_path / "c")
    result = eu_participation(EuInputs(cordis=(out / "h2020", out / "horizon-europe")))
    latest = result.participations.filter(pl.col("framework_programme") == "HORIZON")[
        "signature_date"
    ].max()
    assert isinstance(latest, dt.date)
    # The real span, to the latest signature date: a partial last year is not counted whole.
    span = (latest - dt.date(2021, 1, 1)).days / 365.25
    years = {r["goal"]: r["horizon_years"] for r in result.goals.iter_rows(named=True)}
    assert list(years.values()) == pytest.approx([span] * len(years))
    spans = set(result.goals["horizon_span"])
    assert spans == {f"2021-01-01 to {latest.isoformat()} ({span:.2f} years)"}
    erc = result.goals.filter(goal="double_erc").row(0, named=True)
    assert erc["ratio_pro_rated"] == pytest.approx(
        (erc["horizon_projects"] / erc["horizon_years"]) / (erc["h2020_projects"] / 7)
    )


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        ([], 2, "give --sample, --cordis PATH or --norway-grants FILE"),
        (["--organisation", "NOWHERE UNIVERSITY", "--sample", "--scale", "0.01"], 2,
         "matches nothing"),
        (["--organisations", "/no/such.toml", "--sample", "--scale", "0.01"], 2, "does not exist"),
    ],
)  # fmt: skip
def test_cli_usage_errors(tmp_path: Path, args: list[str], code: int, words: str) -> None:
    done = run_cli("eu", *args, env={"COPUB_DATA_DIR": str(tmp_path / "d")})
    assert done.code == code, done.err
    errors = [line for line in done.err.splitlines() if line.startswith("copub: error:")]
    assert len(errors) == 1 and words in errors[0], done.err
    assert "Traceback" not in done.err


def test_norway_file_given_as_cordis_points_to_the_right_option() -> None:
    path = shared_path("eu-grants-norway", "h2020_grants_norway.csv")
    with pytest.raises(DataError, match=r"pass it with --norway-grants"):
        eu_participation(EuInputs(cordis=(path,)))


def test_a_participation_given_by_two_sources_counts_once() -> None:
    from copub.eu.analysis import _one_source_per_project, _ranking_rows

    rows = pl.DataFrame(
        {
            "framework_programme": ["H2020", "H2020", "H2020", "H2020"],
            "project_id": ["1", "1", "2", "1"],
            "organisation": ["ntnu", "ntnu", "ntnu", None],
            "source": ["cordis:H2020", "norway-grants", "norway-grants", "norway-grants"],
        }
    )
    kept, dropped = _one_source_per_project(rows)
    assert dropped == 1
    assert kept.filter(organisation="ntnu").sort("project_id")["source"].to_list() == [
        "cordis:H2020",
        "norway-grants",
    ]
    # the ranking of a programme uses its best source only
    assert set(_ranking_rows(rows)["source"]) == {"cordis:H2020"}


def test_real_and_synthetic_together_say_synthetic(tmp_path: Path) -> None:
    out = write_cordis_sample(tmp_path / "c")
    grants = shared_path("eu-grants-norway", "h2020_grants_norway.csv")
    result = eu_participation(EuInputs(cordis=(out / "horizon-europe",), norway_grants=grants))
    assert result.synthetic


def test_norway_file_in_windows_1252_reads_the_same(tmp_path: Path) -> None:
    source = shared_path("eu-grants-norway", "h2020_grants_norway.csv")
    legacy = tmp_path / "grants_cp1252.csv"
    legacy.write_bytes(source.read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    utf = read_norway_grants(source)
    old = read_norway_grants(legacy)
    assert old.height == utf.height
    assert old.filter(organisation_id=NTNU)["programme_part"].to_list() == (
        utf.filter(organisation_id=NTNU)["programme_part"].to_list()
    )
