"""One Definitions value: every bad field one clear line, and the same rules everywhere."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import polars as pl
import pytest

import copub
from copub.cli import main
from copub.errors import DataError, UsageError
from copub.indicators import (
    COMPARISON,
    Definitions,
    compare_periods,
    label_works,
    window_indicators,
    window_schema,
    yearly_indicators,
    yearly_schema,
)
from copub.indicators.catalogue import indicator_specs
from copub.networks import build_network, partner_table
from copub.networks.schemas import PARTNERS_LEAD, PARTNERS_TRAIL
from reference_leiden import leiden_weight
from report_helpers import SAMPLE_ARGS, sample_tables

BAD_FIELDS = [
    ({"institutions": ("NTNU",)}, "definitions: institution 'NTNU' is not an OpenAlex"),
    ({"institutions": ()}, "definitions: institutions must name at least one"),
    ({"years": (2025, 2012)}, "definitions: years: year range 2025-2012 ends before"),
    ({"years": "recent"}, "definitions: years: years 'recent' must look like"),
    ({"preset": "incites"}, "definitions: preset must be one of leiden, scival, bibliometrix"),
    ({"universe": "scopus"}, "definitions: universe must be one of leiden, core, types, all"),
    ({"universe": "types", "types": ()}, "definitions: types must name at least one"),
    ({"types": "article"}, "definitions: types must be a list of document types"),
    ({"counting": "weighted"}, "definitions: counting must be one of full, fractional"),
    ({"fractional": "authors"}, "definitions: fractional must be one of affiliation_strings"),
    ({"membership": "past"}, "definitions: membership must be one of current, historical"),
    ({"merge_hk_mo": "yes"}, "definitions: merge_hk_mo must be True or False"),
    ({"groups": 3}, "definitions: groups must be PartnerGroups or a TOML path"),
    ({"groups": "/no/such/groups.toml"}, "definitions: groups:"),
    ({"baseline": (2022, 2025), "plan": (2018, 2021)}, "definitions: baseline 2022-2025 must end"),
    ({"baseline": (2018, 2023)}, "definitions: baseline 2018-2023 must end before the plan"),
    ({"plan": "soon"}, "definitions: plan: years 'soon' must look like"),
    ({"period_window": 0}, "definitions: period_window must be a whole number of years from 1"),
    ({"bootstrap": -1}, "definitions: bootstrap must be a whole number of resamples from 0"),
    ({"citation_window": -1}, "definitions: citation_window must be a whole number of years"),
    ({"mobility_window": 21}, "definitions: mobility_window must be a whole number of years"),
    ({"home_country": "Norway"}, "definitions: home_country must be an ISO alpha-2 code"),
    ({"breakdown_by": "faculty"}, "definitions: breakdown_by must be one of"),
    ({"breakdown_units": ("I1",)}, "definitions: breakdown_units needs breakdown_by 'unit'"),
    ({"peers": ("NTNU",)}, "definitions: institution 'NTNU' is not an OpenAlex institution id"),
    ({"full_interval": "exact"}, "definitions: full_interval must be one of wilson, bootstrap"),
    ({"full_interval": "bootstrap", "bootstrap": 0}, "definitions: full_interval 'bootstrap'"),
    ({"seed": "x"}, "definitions: seed must be a whole number"),
]


@pytest.mark.parametrize(("fields", "message"), BAD_FIELDS)
def test_every_bad_field_is_one_clear_line(fields: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        Definitions(**fields)  # type: ignore[arg-type]
    text = str(caught.value)
    assert text.startswith(message), text
    assert "\n" not in text


def test_a_missing_register_is_missing_data() -> None:
    with pytest.raises(DataError) as caught:
        Definitions(register="/no/such/register.csv")
    assert str(caught.value) == "register file /no/such/register.csv does not exist"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--universe", "scopus"], "invalid choice: 'scopus'"),
        (["--preset", "incites"], "invalid choice: 'incites'"),
        (["--baseline", "2018-2023"], "must end before the plan"),
        (["--membership", "past"], "invalid choice: 'past'"),
        (["--full-interval", "bootstrap", "--bootstrap", "0"], "full_interval 'bootstrap'"),
        (["--groups", "/no/such/groups.toml"], "does not exist"),
    ],
)
@pytest.mark.parametrize("command", ["report", "partners", "network"])
def test_bad_definitions_exit_2_with_one_line_from_every_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, args: list[str], message: str
) -> None:
    if command != "report" and "--bootstrap" in args:
        pytest.skip("only report has --bootstrap")
    if command == "network" and "--baseline" in args:
        pytest.skip("network has no periods")
    extra = ["--out", str(tmp_path / "net")] if command == "network" else []
    capsys.readouterr()
    code = main([command, *SAMPLE_ARGS, *args, *extra])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and message in err[0], err
    assert "Traceback" not in err[0]


def test_partners_and_report_accept_the_same_plan_periods(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`partners --plan 2026-2029` used to be refused while `report` accepted it."""
    for command in (["partners"], ["report", "--bootstrap", "0"]):
        capsys.readouterr()
        code = main([*command, *SAMPLE_ARGS, "--plan", "2026-2029", "--format", "csv"])
        assert code == 0, capsys.readouterr().err


def test_compare_periods_refuses_a_baseline_after_the_plan() -> None:
    yearly = yearly_indicators(sample_tables(), bootstrap=0)
    with pytest.raises(UsageError, match="must end before the plan"):
        compare_periods(yearly, baseline=(2022, 2025), plan=(2018, 2021))
    table = compare_periods(yearly)
    assert table.schema == COMPARISON


def test_preset_is_resolved_when_built_and_fields_win() -> None:
    assert Definitions(preset="bibliometrix").merge_hk_mo is False
    assert Definitions(preset="bibliometrix", merge_hk_mo=True).merge_hk_mo is True
    assert Definitions(preset="scival").universe == "types"
    assert Definitions().with_(preset="bibliometrix").universe == "all"
    assert Definitions(universe="core").with_(years=(2020, 2021)).universe == "core"


def _hk_world(tmp_path: Path) -> copub.Tables:
    from networks_world import tables_from, work

    works = [
        work("W1", 2020, [("A1", ["I1"], None), ("A2", ["I7"], None)]),  # Hong Kong
        work("W2", 2020, [("A1", ["I1"], None), ("A3", ["I4"], None)]),  # China
        work("W3", 2021, [("A1", ["I1"], None), ("A2", ["I7"], None), ("A3", ["I4"], None)]),
    ]
    return tables_from(works, tmp_path)


@pytest.mark.parametrize("preset", ["leiden", "bibliometrix"])
def test_hong_kong_is_handled_the_same_in_every_table(tmp_path: Path, preset: str) -> None:
    tables = _hk_world(tmp_path)
    definitions = Definitions(institutions=("I1",), preset=preset, bootstrap=0)  # type: ignore[arg-type]
    merged = definitions.merge
    labelled = label_works(tables, definitions)
    yearly = yearly_indicators(labelled)
    graph = build_network(labelled, "country")
    partners = partner_table(labelled, "country")
    # W3 is NO+HK+CN: three countries apart, two merged.
    n_countries = dict(zip(labelled.works["work_id"], labelled.works["n_countries"], strict=True))
    assert n_countries["W3"] == (2 if merged else 3)
    assert ("HK" in graph) is (not merged)
    assert ("HK" in partners["partner_id"].to_list()) is (not merged)
    cn = partners.filter(partner_id="CN")["works"].item()
    assert cn == (3 if merged else 2)
    assert graph.nodes["CN"]["works"] == cn
    assert yearly["works"].sum() == 3
    assert isinstance(graph, nx.Graph)


def test_windows_cover_the_requested_years_including_empty_edges() -> None:
    """Leiden reports every 4-year window inside the requested years."""
    tables = sample_tables()
    windows = window_indicators(tables, Definitions(years=(2005, 2016), bootstrap=0))
    assert windows["period"].to_list() == [f"{y}-{y + 3}" for y in range(2005, 2014)]
    assert windows.filter(period="2005-2008")["works"].item() == 0
    assert windows.filter(period="2013-2016")["works"].item() > 0
    specs = indicator_specs(Definitions())
    assert windows.schema == window_schema(specs)


def test_yearly_and_partner_tables_have_their_declared_schemas() -> None:
    tables = sample_tables()
    definitions = Definitions(bootstrap=0)
    yearly = yearly_indicators(tables, definitions)
    assert yearly.schema == yearly_schema(indicator_specs(definitions))
    partners = partner_table(tables, "country", definitions)
    assert list(partners.columns[: len(PARTNERS_LEAD)]) == list(PARTNERS_LEAD)
    assert list(partners.columns[-len(PARTNERS_TRAIL) :]) == list(PARTNERS_TRAIL)


def test_full_counting_bootstrap_interval_is_an_option_beside_wilson() -> None:
    tables = sample_tables()
    wilson = yearly_indicators(tables, Definitions(bootstrap=200))
    boot = yearly_indicators(tables, Definitions(bootstrap=200, full_interval="bootstrap"))
    assert wilson["intl_share"].equals(boot["intl_share"])
    assert not wilson["intl_share_low"].equals(boot["intl_share_low"])
    assert (boot["intl_share_low"] <= boot["intl_share"]).all()
    assert (boot["intl_share"] <= boot["intl_share_high"]).all()


def test_the_synthetic_world_shows_the_old_fractional_rule_is_wrong(tmp_path: Path) -> None:
    """On the sample, the old rule (split over institutions) gives other weights than Leiden."""
    import json

    from copub.indicators import fractional_weights
    from copub.sample import write_sample

    files = write_sample(tmp_path, seed=3, scale=0.005)
    tables = copub.read_works([*files.pages, *files.full_records], include_xpac=True)
    raw: dict[str, dict[str, object]] = {}
    # Complete records first: a hyperauthored work's page record is cut at 100 authors.
    for page in [*files.full_records, *files.pages]:
        text = Path(page).read_text()
        records = (
            json.loads(text)["results"]
            if '"results"' in text[:200]
            else [json.loads(line) for line in text.splitlines() if line.strip()]
        )
        for record in records:
            raw.setdefault(str(record["id"]).rsplit("/", 1)[-1], record)
    home = "I204778367"
    new = dict(fractional_weights(tables, home).iter_rows())
    old = dict(fractional_weights(tables, home, rule="institutions").iter_rows())
    wrong = [w for w in new if abs(old.get(w, 0.0) - leiden_weight(raw[w], home)) > 1e-9]  # type: ignore[arg-type]
    assert len(wrong) > 0.1 * len(new), (len(wrong), len(new))
    for w in list(new)[:300]:
        assert new[w] == pytest.approx(leiden_weight(raw[w], home), abs=1e-9)  # type: ignore[arg-type]
    # The irregularities are there: strings with no institution, joint strings, no field at all.
    strings = tables.authorships.select(pl.col("affiliation_strings")).explode(
        "affiliation_strings"
    )
    ids = strings["affiliation_strings"].struct.field("institution_ids").list.len()
    assert (ids == 0).any() and (ids >= 2).any()
    assert tables.authorships["affiliation_strings"].null_count() > 0
    works = tables.works
    assert (works["n_references"] == 0).any() and works["is_xpac"].any()
    assert works["source_id"].is_null().any() and (works["language"] != "en").any()
    assert not tables.sources["is_core"].all()
    assert (tables.sources["type"] == "repository").any()


@pytest.mark.parametrize("preset", ["leiden", "bibliometrix"])
def test_a_hong_kong_partner_is_priority_exactly_when_the_yearly_table_says_so(
    tmp_path: Path, preset: str
) -> None:
    """HKU's works count for the priority group (China) only when HK counts as China."""
    from networks_world import small_groups, tables_from, work

    tables = tables_from([work("W1", 2020, [("A1", ["I1"], None), ("A2", ["I7"], None)])], tmp_path)
    definitions = Definitions(
        institutions=("I1",),
        preset=preset,
        groups=small_groups(),
        bootstrap=0,  # type: ignore[arg-type]
    )
    yearly = yearly_indicators(tables, definitions)
    institutions = partner_table(tables, "institution", definitions)
    hku = institutions.filter(partner_id="I7").row(0, named=True)
    counted = yearly["priority_works"].sum() == 1
    assert hku["is_priority"] is counted
    assert hku["country"] == ("CN" if definitions.merge else "HK")
    assert counted is definitions.merge


@pytest.mark.parametrize("years", [None, (2015, 2024)])
def test_a_full_report_computes_the_universe_once(
    monkeypatch: pytest.MonkeyPatch, years: tuple[int, int] | None
) -> None:
    """It used to be computed five times (and the institution checked six)."""
    import copub.indicators.labels as labels
    from copub.progress import Progress
    from copub.report.build import build_report
    from copub.report.options import ReportOptions

    calls = []
    original = labels.universe_keyed

    def counted(*args: object, **kwargs: object) -> pl.DataFrame:
        calls.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(labels, "universe_keyed", counted)
    # A copy of the sample: the sample's own labelled works may come from the cache.
    data = build_report(
        sample_tables().with_(), ReportOptions(bootstrap=0, years=years), progress=Progress.silent()
    )
    assert len(calls) == 1
    assert data.partners is not None and data.network is not None
    if years is not None:
        assert data.yearly["year"].min() >= years[0] and data.yearly["year"].max() <= years[1]
