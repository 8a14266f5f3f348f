"""Researcher mobility from OpenAlex author affiliation histories (Sugimoto et al., Nature 2017).

An author's ``affiliations`` in OpenAlex name institutions and the years in
which the author *published* with them. A year without a paper is invisible,
and OpenAlex keeps at most the ten most recent affiliations, so every figure
here is a publication-based proxy for mobility, not a record of employment.

Definitions (``window`` is :attr:`Definitions.mobility_window`, the others are
fields of :class:`~copub.classify.definitions.Definitions` too; ``h`` is the
home institution or one of its child units, "abroad" is an institution in a
country other than the home country):

- *home author in y*: an affiliation with ``h`` that lists year y;
- *recruited from abroad in y*: y is the author's first home year and the author
  has an affiliation abroad in one of the ``window`` years before y;
- *left for abroad in y*: the author is a home author in y-1 and in no year from
  y on, and has an affiliation abroad in y or one of the ``window`` years after;
- *concurrent foreign affiliation in y*: a home author in y with an affiliation
  abroad in the same year (visits, dual positions);
- *guest*: home years at most ``guest_max_years`` in number, with an affiliation
  abroad before the first and after the last; counted in each of its home years;
- *career age in y*: y minus the author's first affiliation year (any
  institution); *early career*: career age at most ``early_career_years`` (the
  PhD/postdoc proxy), and *early-career international experience*: an early-career
  home author with an affiliation abroad in y or before.

Shares are of the home authors in y (``left_share``: of those in y-1;
``early_intl_share``: of the early-career home authors in y), each with its
Wilson 95% interval.

The edges of the data (the first year of any affiliation with the home
institution, the last year of any affiliation in the authors table) hide some
definitions: nobody is seen arriving from abroad in the first ``window`` years
(no earlier home history: everyone looks new), departures and guests are not
visible in the last ``window`` years (their next papers are not out yet), and
career ages are cut at the first year, so "early career" is everyone in the
first ``early_career_years + 1`` years. Those years are marked ``censored``
(with ``censored_reason``) in the yearly table, and the flows of a censored
measure are marked too (:data:`CENSORING_NOTE`); they are no finding.

Examples
--------
>>> import polars as pl
>>> from copub.normalize.authors import AUTHORS
>>> rows = [("A1", "I1", "NO", 2019), ("A1", "I9", "US", 2018), ("A1", "I9", "US", 2021)]
>>> authors = pl.DataFrame(
...     [(a, None, None, i, None, None, c, None, [i], y) for a, i, c, y in rows],
...     schema=AUTHORS, orient="row")
>>> result = mobility_indicators(authors, "I1", years=(2019, 2020))
>>> result.yearly.select("year", "home_authors", "recruited", "left", "guests").rows()
[(2019, 1, 1, 0, 1), (2020, 0, 0, 1, 0)]
>>> result.yearly["censored"].to_list()  # three years of data in all: every year is an edge
[True, True]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import polars as pl

from copub.classify import PartnerGroups, match_keys, member_keys
from copub.classify.definitions import Definitions, resolve_definitions
from copub.errors import DataError, UsageError
from copub.indicators.intervals import wilson_columns
from copub.normalize.authors import AUTHORS
from copub.validate import parse_institution_id, parse_year_range

__all__ = [
    "CENSORING_NOTE",
    "MOBILITY_NOTE",
    "MobilityResult",
    "author_mobility",
    "censored_years",
    "describe_mobility",
    "mobility_indicators",
]

#: Said by every output made from author histories.
MOBILITY_NOTE: Final = (
    "OpenAlex affiliation histories come from publications: a year without a paper is "
    "invisible and at most the 10 most recent affiliations are kept, so these figures are "
    "a proxy for mobility, not a record of employment."
)

#: Said beside every table or figure with censored years.
CENSORING_NOTE: Final = (
    "Censored years lie at the edges of the data, where a definition cannot be observed: "
    "no earlier history shows recruitment in the first years, departures and guests are not "
    "yet visible in the last years, and career ages are cut at the first year; they are "
    "marked, drawn hollow, and no finding."
)

#: The shares of the yearly table: (share, numerator, denominator).
SHARES: Final = (
    ("recruited_share", "recruited", "home_authors"),
    ("left_share", "left", "home_authors_prev"),
    ("concurrent_share", "concurrent", "home_authors"),
    ("guest_share", "guests", "home_authors"),
    ("early_intl_share", "early_intl", "early_career"),
)
_FLAGS = ("recruited", "concurrent", "guest", "early_career", "early_intl")


def describe_mobility(definitions: Definitions) -> tuple[str, ...]:
    """The mobility definitions in words, with the parameters filled in.

    Examples
    --------
    >>> describe_mobility(Definitions(mobility_window=2))[1][-28:]
    'in one of the 2 years before'
    """
    n = definitions.mobility_window
    return (
        "home author in y: an OpenAlex affiliation with the institution or a child unit "
        "(lineage) that lists y",
        f"recruited from abroad in y: first home year is y, with an affiliation in another "
        f"country in one of the {n} years before",
        f"left for abroad in y: a home author in y-1 and in no year from y on, with an "
        f"affiliation in another country in y or the {n} years after",
        "concurrent foreign affiliation in y: a home author in y with an affiliation in "
        "another country in y",
        f"guest: at most {definitions.guest_max_years} home years, with affiliations in another "
        "country before and after them",
        f"early career: career age (y minus the first affiliation year) at most "
        f"{definitions.early_career_years}; early_intl: such a home author with an affiliation in "
        "another country in y or before",
        "shares are of home authors in y (left: in y-1; early_intl: early-career home "
        "authors in y), with Wilson 95% intervals",
    )


@dataclass(frozen=True)
class MobilityResult:
    """The mobility figures of one institution.

    Attributes
    ----------
    yearly : pl.DataFrame
        One row per year: ``year, home_authors, home_authors_prev, recruited, left,
        concurrent, guests, early_career, early_intl`` and each share of
        :data:`SHARES` with ``_low``/``_high``.
    flows : pl.DataFrame
        ``year, direction, group, authors``: authors recruited from
        (``inflow``), leaving for (``outflow``) or concurrently affiliated in
        (``concurrent``) each partner group; an author counts once per group.
    countries : pl.DataFrame
        ``year, direction, country_code, authors``, the same by country.
    institution, home_country : str
        The home institution and the country "abroad" is measured from.
    years : tuple of int
        The years reported.
    definitions : Definitions
        The definitions used (``mobility_window``, ``early_career_years``,
        ``guest_max_years``).
    note : str
        :data:`MOBILITY_NOTE`.
    censored : mapping of str to tuple of int
        For each measure (``recruited``, ``left``, ``guests``, ``early_career``),
        the reported years it cannot be observed in (:func:`censored_years`).
    """

    yearly: pl.DataFrame
    flows: pl.DataFrame
    countries: pl.DataFrame
    institution: str
    home_country: str
    years: tuple[int, int]
    definitions: Definitions
    note: str = field(default=MOBILITY_NOTE)
    censored: Mapping[str, tuple[int, ...]] = field(default_factory=dict)


def _check_authors(authors: pl.DataFrame) -> None:
    missing = [name for name in AUTHORS.names() if name not in authors.columns]
    if missing:
        raise DataError(f"the authors table lacks columns {missing}; build it with read_authors")


def _marked(
    authors: pl.DataFrame, institution: str, home_country: str | None
) -> tuple[pl.LazyFrame, str]:
    is_home = (pl.col("institution_id") == institution) | pl.col("lineage").fill_null(
        pl.lit([], pl.List(pl.String))
    ).list.contains(institution)
    rows = authors.lazy().with_columns(is_home=is_home.fill_null(False))
    if home_country is None:
        counts = (
            rows.filter(pl.col("is_home") & pl.col("country_code").is_not_null())
            .group_by("country_code")
            .len()
            .sort(["len", "country_code"], descending=[True, False])
            .collect()
        )
        if counts.height == 0:
            raise UsageError(
                f"no affiliation with {institution} in the authors table tells its country; "
                "pass home_country (ISO alpha-2)"
            )
        home_country = str(counts["country_code"][0])
    country = home_country.upper()
    marked = rows.with_columns(
        is_foreign=~pl.col("is_home")
        & pl.col("country_code").is_not_null()
        & (pl.col("country_code") != country)
    )
    return marked.collect().lazy(), country


def _per_author(rows: pl.LazyFrame) -> pl.LazyFrame:
    """First/last/number of home years, first year, first/last year abroad, per author."""
    year = pl.col("year")
    return rows.group_by("author_id").agg(
        first_year=year.min(),
        first_home=year.filter(pl.col("is_home")).min(),
        last_home=year.filter(pl.col("is_home")).max(),
        n_home=year.filter(pl.col("is_home")).n_unique(),
        first_abroad=year.filter(pl.col("is_foreign")).min(),
        last_abroad=year.filter(pl.col("is_foreign")).max(),
    )


def _abroad(rows: pl.LazyFrame) -> pl.LazyFrame:
    return rows.filter(pl.col("is_foreign")).select("author_id", abroad_year="year").unique()


def _author_years(rows: pl.LazyFrame, d: Definitions) -> pl.LazyFrame:
    """One row per author and home year, with the flags of the definitions."""
    stats = _per_author(rows)
    abroad = _abroad(rows)
    home_years = (
        rows.filter(pl.col("is_home"))
        .select("author_id", "year")
        .unique()
        .join(stats, on="author_id")
    )
    y = pl.col("year")
    recruited = (
        home_years.filter(y == pl.col("first_home"))
        .join(abroad, on="author_id")
        .filter(pl.col("abroad_year").is_between(y - d.mobility_window, y - 1))
        .select("author_id", "year")
        .unique()
        .with_columns(recruited=pl.lit(True))
    )
    concurrent = (
        home_years.join(
            abroad, left_on=["author_id", "year"], right_on=["author_id", "abroad_year"]
        )
        .select("author_id", "year")
        .unique()
        .with_columns(concurrent=pl.lit(True))
    )
    career_age = y - pl.col("first_year")
    return (
        home_years.join(recruited, on=["author_id", "year"], how="left")
        .join(concurrent, on=["author_id", "year"], how="left")
        .with_columns(
            pl.col("recruited").fill_null(False),
            pl.col("concurrent").fill_null(False),
            career_age=career_age,
            early_career=career_age <= d.early_career_years,
            guest=(pl.col("n_home") <= d.guest_max_years)
            & (pl.col("first_abroad") < pl.col("first_home")).fill_null(False)
            & (pl.col("last_abroad") > pl.col("last_home")).fill_null(False),
        )
        .with_columns(
            early_intl=pl.col("early_career") & (pl.col("first_abroad") <= y).fill_null(False)
        )
    )


def _leavers(rows: pl.LazyFrame, d: Definitions) -> pl.LazyFrame:
    """``author_id, year``: left for abroad in ``year`` (the year after the last home year)."""
    stats = _per_author(rows).filter(pl.col("last_home").is_not_null())
    y = pl.col("year")
    return (
        stats.select("author_id", year=pl.col("last_home") + 1)
        .join(_abroad(rows), on="author_id")
        .filter(pl.col("abroad_year").is_between(y, y + d.mobility_window))
        .select("author_id", "year")
        .unique()
    )


def author_mobility(
    authors: pl.DataFrame,
    institution: str,
    *,
    home_country: str | None = None,
    definitions: Definitions | None = None,
) -> pl.DataFrame:
    """One row per home author and home year, with every definition's flag.

    The rows behind every count of :func:`mobility_indicators`, for review.

    Returns
    -------
    pl.DataFrame
        ``author_id, year, first_year, first_home, last_home, n_home, career_age,
        recruited, concurrent, guest, early_career, early_intl``, sorted.

    Examples
    --------
    >>> from copub.normalize.authors import AUTHORS
    >>> author_mobility(pl.DataFrame(schema=AUTHORS), "I1", home_country="NO").height
    0
    """
    _check_authors(authors)
    d = definitions or Definitions()
    institution = parse_institution_id(institution)
    rows, _ = _marked(authors, institution, home_country)
    columns = ["author_id", "year", "first_year", "first_home", "last_home", "n_home"]
    return (
        _author_years(rows, d)
        .select(*columns, "career_age", *_FLAGS)
        .sort("author_id", "year")
        .collect()
    )


def _yearly(flags: pl.LazyFrame, leavers: pl.LazyFrame, first: int, last: int) -> pl.DataFrame:
    years = pl.LazyFrame({"year": list(range(first, last + 1))}, schema={"year": pl.Int32})
    counts = flags.group_by("year").agg(
        home_authors=pl.len(),
        recruited=pl.col("recruited").sum(),
        concurrent=pl.col("concurrent").sum(),
        guests=pl.col("guest").sum(),
        early_career=pl.col("early_career").sum(),
        early_intl=pl.col("early_intl").sum(),
    )
    prev = flags.group_by("year").agg(home_authors_prev=pl.len()).with_columns(pl.col("year") + 1)
    left = leavers.group_by("year").agg(left=pl.len())
    table = (
        years.join(counts, on="year", how="left")
        .join(prev, on="year", how="left")
        .join(left, on="year", how="left")
        .with_columns(pl.exclude("year").fill_null(0).cast(pl.Int64))
        .select(
            "year",
            "home_authors",
            "home_authors_prev",
            "recruited",
            "left",
            "concurrent",
            "guests",
            "early_career",
            "early_intl",
        )
    )
    counts_by_year = table.sort("year").collect()
    exprs: list[pl.Expr | pl.Series] = []
    for share, k, n in SHARES:
        low, high = wilson_columns(counts_by_year[k], counts_by_year[n])
        value = pl.when(pl.col(n) > 0).then(pl.col(k) / pl.col(n))
        exprs += [value.alias(share), low.alias(f"{share}_low"), high.alias(f"{share}_high")]
    return counts_by_year.with_columns(exprs)


def _flow_rows(
    abroad_rows: pl.LazyFrame, flags: pl.LazyFrame, leavers: pl.LazyFrame, d: Definitions
) -> pl.LazyFrame:
    """``author_id, year, direction, row``: the abroad rows behind each flow."""
    abroad = abroad_rows.select("row", "author_id", abroad_year="year")
    y = pl.col("year")
    inflow = (
        flags.filter(pl.col("recruited"))
        .select("author_id", "year")
        .join(abroad, on="author_id")
        .filter(pl.col("abroad_year").is_between(y - d.mobility_window, y - 1))
        .with_columns(direction=pl.lit("inflow"))
    )
    outflow = (
        leavers.join(abroad, on="author_id")
        .filter(pl.col("abroad_year").is_between(y, y + d.mobility_window))
        .with_columns(direction=pl.lit("outflow"))
    )
    concurrent = (
        flags.filter(pl.col("concurrent"))
        .select("author_id", "year")
        .join(abroad, left_on=["author_id", "year"], right_on=["author_id", "abroad_year"])
        .with_columns(abroad_year=pl.col("year"), direction=pl.lit("concurrent"))
    )
    columns = ["author_id", "year", "direction", "row"]
    return pl.concat([part.select(columns) for part in (inflow, outflow, concurrent)])


def _flows(
    abroad: pl.LazyFrame, flow_rows: pl.LazyFrame, groups: PartnerGroups, first: int, last: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    in_years = pl.col("year").is_between(first, last)
    countries = (
        flow_rows.filter(in_years)
        .join(abroad.select("row", "country_code"), on="row")
        .select("author_id", "year", "direction", "country_code")
        .unique()
        .group_by("year", "direction", "country_code")
        .agg(authors=pl.len())
        .sort(
            ["year", "direction", "authors", "country_code"], descending=[False, False, True, False]
        )
        .collect()
    )
    partner_groups = [g for g in groups if g.key != "home"]
    keys = member_keys(partner_groups).lazy().select("group", "order", "kind", "key")
    matched = (
        match_keys(
            abroad.select(
                "row", "institution_id", "country_code", "ror", "lineage", type="institution_type"
            ),
            by="row",
        )
        .join(keys, on=["kind", "key"])
        .select("row", "group", "order")
        .unique()
    )
    flows = (
        flow_rows.filter(in_years)
        .join(matched, on="row")
        .select("author_id", "year", "direction", "group", "order")
        .unique()
        .group_by("year", "direction", "group", "order")
        .agg(authors=pl.len())
        .sort("year", "direction", "order")
        .drop("order")
        .collect()
    )
    return flows, countries


def censored_years(
    data_years: tuple[int, int], years: tuple[int, int], d: Definitions
) -> dict[str, tuple[int, ...]]:
    """The years of ``years`` in which each measure cannot be observed, given the data's span.

    Parameters
    ----------
    data_years : (int, int)
        The first year of any affiliation with the home institution and the
        last year of any affiliation in the authors table.
    years : (int, int)
        The years reported.
    d : Definitions
        Its ``mobility_window`` and ``early_career_years``.

    Examples
    --------
    >>> c = censored_years((2012, 2025), (2012, 2025), Definitions())
    >>> c["recruited"], c["left"], c["early_career"][-1]
    ((2012, 2013, 2014), (2023, 2024, 2025), 2018)
    """
    first, last = data_years
    span = range(years[0], years[1] + 1)
    start = [y for y in span if y < first + d.mobility_window]
    end = [y for y in span if y > last - d.mobility_window]
    return {
        "recruited": tuple(start),
        "left": tuple(end),
        "guests": tuple(sorted(set(start) | set(end))),
        "early_career": tuple(y for y in span if y <= first + d.early_career_years),
    }


_REASONS: Final = {
    "recruited": "recruitment needs the {n} years before",
    "left": "departures need the {n} years after",
    "guests": "guests need years before and after",
    "early_career": "career ages are cut at the data's first year",
}


def _mark_censored(
    yearly: pl.DataFrame, censored: Mapping[str, tuple[int, ...]], d: Definitions
) -> pl.DataFrame:
    n = d.mobility_window
    reasons = {
        year: "; ".join(_REASONS[m].format(n=n) for m, years in censored.items() if year in years)
        for year in yearly["year"].to_list()
    }
    return yearly.with_columns(
        censored=pl.Series([bool(reasons[y]) for y in yearly["year"]], dtype=pl.Boolean),
        censored_reason=pl.Series([reasons[y] or None for y in yearly["year"]], dtype=pl.String),
    )


def _mark_flows(frame: pl.DataFrame, censored: Mapping[str, tuple[int, ...]]) -> pl.DataFrame:
    """``censored`` on each flow row: inflow as recruitment, outflow as departures."""
    by_direction = {"inflow": censored.get("recruited", ()), "outflow": censored.get("left", ())}
    marks = [
        year in by_direction.get(direction, ())
        for year, direction in zip(frame["year"], frame["direction"], strict=True)
    ]
    return frame.with_columns(censored=pl.Series(marks, dtype=pl.Boolean))


def mobility_indicators(
    authors: pl.DataFrame,
    definitions: Definitions | str | None = None,
    *,
    years: str | tuple[int, int] | int | None = None,
    home_country: str | None = None,
    groups: PartnerGroups | None = None,
    **legacy: Any,
) -> MobilityResult:
    """Recruitment, departures, concurrent affiliations, guests and early-career experience.

    Parameters
    ----------
    authors : pl.DataFrame
        The ``authors`` table (:func:`copub.normalize.authors.read_authors`).
    definitions : Definitions, optional
        The home institution (``definitions.institution``; its child units count,
        OpenAlex lineage), ``years``, ``mobility_window`` (N),
        ``early_career_years`` and ``guest_max_years``. A text is taken as the
        home institution's id (the old signature), as is ``institution=``.
    years : str, int or (int, int), optional
        Years to report; default ``definitions.years``, else the home authors'
        first to last home year.
    home_country : str, optional
        ISO alpha-2 code that "abroad" is measured from; default the most
        common country of the home institution's affiliations.
    groups : PartnerGroups, optional
        Partner groups for the flow table; default ``definitions.partner_groups``.
    **legacy
        Old keyword arguments (``institution=``), applied to ``definitions``.

    Returns
    -------
    MobilityResult
        The yearly counts and shares (with ``censored`` and
        ``censored_reason``), the flows by partner group and by country (with
        ``censored``), the censored years of each measure and
        :data:`MOBILITY_NOTE`.

    Raises
    ------
    UsageError
        For a bad institution id or year range, or when the home country cannot
        be told from the data.
    DataError
        When ``authors`` is not an authors table.

    Examples
    --------
    >>> import copub
    >>> authors = copub.load_sample_authors(scale=0.01)
    >>> result = copub.mobility_indicators(authors, "I204778367", years=(2016, 2024))
    >>> int(result.yearly["home_authors"].min()) > 0, result.home_country
    (True, 'NO')
    >>> bool((result.yearly["recruited_share_low"] <= result.yearly["recruited_share"]).all())
    True
    """
    _check_authors(authors)
    if isinstance(definitions, str):
        legacy.setdefault("institution", definitions)
        definitions = None
    d = resolve_definitions(definitions, **legacy)
    institution = d.institution
    home_country = home_country or d.home_country
    # Years from the definitions were checked there; only a ``years=`` given here is parsed.
    chosen = parse_year_range(years) if years is not None else d.years
    rows, country = _marked(authors, institution, home_country)
    flags = _author_years(rows, d).collect().lazy()
    leavers = _leavers(rows, d).collect().lazy()
    if chosen is None:
        span = flags.select(first=pl.col("year").min(), last=pl.col("year").max()).collect()
        if span["first"][0] is None:
            raise DataError(f"no author in the authors table has an affiliation with {institution}")
        first, last = int(span["first"][0]), int(span["last"][0])
    else:
        first, last = chosen
    span = rows.select(
        first=pl.col("year").filter(pl.col("is_home")).min(), last=pl.col("year").max()
    ).collect()
    home_first = span["first"][0] if span["first"][0] is not None else first
    data_last = span["last"][0] if span["last"][0] is not None else last
    censored = censored_years((int(home_first), int(data_last)), (first, last), d)
    yearly = _mark_censored(_yearly(flags, leavers, first, last), censored, d)
    abroad = rows.filter(pl.col("is_foreign")).with_row_index("row").collect().lazy()
    flows, countries = _flows(
        abroad, _flow_rows(abroad, flags, leavers, d), groups or d.partner_groups, first, last
    )
    return MobilityResult(
        yearly=yearly,
        flows=_mark_flows(flows, censored),
        countries=_mark_flows(countries, censored),
        institution=institution,
        home_country=country,
        years=(first, last),
        definitions=d,
        censored=censored,
    )
