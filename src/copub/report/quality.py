"""Data quality: how far the numbers can be trusted, from the yearly table and the provenance."""

from __future__ import annotations

import polars as pl

from copub.provenance import Provenance

__all__ = ["coverage_by_year", "quality_line", "quality_table"]

_SCHEMA = {"check": pl.String, "value": pl.Float64, "unit": pl.String, "detail": pl.String}


def _ratio(yearly: pl.DataFrame, numerator: str, denominator: str) -> float | None:
    if numerator not in yearly.columns or yearly[numerator].null_count() == yearly.height:
        return None
    base = float(yearly[denominator].fill_null(0).sum())
    return float(yearly[numerator].fill_null(0).sum()) / base if base > 0 else None


def quality_table(yearly: pl.DataFrame, provenance: Provenance) -> pl.DataFrame:
    """One row per quality check: ``check, value, unit, detail``.

    ``unit`` is ``"works"``, ``"records"`` or ``"share"`` (a fraction in
    [0, 1]); a check that cannot be made (no register, a count the source did
    not record) has a null value and says why in ``detail``.

    Examples
    --------
    >>> yearly = pl.DataFrame({"year": [2020], "works": [10], "partial": [False],
    ...     "authorship_no_country_rate": [0.02], "country_missing_works": [1],
    ...     "channel_unmatched_works": [None], "channel_unmatched_base": [None]})
    >>> table = quality_table(yearly, Provenance(counts={"duplicates_removed": 3}))
    >>> table.filter(check="duplicates removed")["value"].item()
    3.0
    >>> table.filter(check="works not provably domestic")["value"].item()
    0.1
    """
    counts = provenance.counts
    rows: list[tuple[str, float | None, str, str]] = []
    works = float(yearly["works"].sum()) if yearly.height else 0.0
    rows.append(("works in the universe", works, "works", f"{yearly.height} years"))
    expected, received = counts.get("expected_works"), counts.get("received_works")
    if expected:
        rows.append(
            (
                "works received of those counted by OpenAlex",
                (received or 0) / expected,
                "share",
                f"{received} of {expected} (meta.count)",
            )
        )
    if "records" in counts:
        rows.append(("records read", float(counts["records"]), "records", "before deduplication"))
    duplicates = counts.get("duplicates_removed")
    completed = counts.get("truncated_completed")
    rows.append(
        (
            "duplicates removed",
            None if duplicates is None else float(duplicates),
            "records",
            "repeated works across pages" if duplicates is not None else "not recorded",
        )
    )
    rows.append(
        (
            "truncated works completed",
            None if completed is None else float(completed),
            "works",
            "author lists cut at 100 in list pages, replaced by the complete record"
            if completed is not None
            else "not recorded by this source",
        )
    )
    if "truncated_works" in counts:
        rows.append(
            (
                "works still truncated",
                float(counts["truncated_works"]),
                "works",
                "author list cut at 100; fractional weights are approximate",
            )
        )
    missing = _ratio(yearly, "country_missing_works", "works")
    rows.append(
        (
            "works not provably domestic",
            missing,
            "share",
            "some authorship outside the institution has no country",
        )
    )
    if "authorship_no_country_rate" in yearly.columns and yearly.height:
        rates = yearly.select("year", "authorship_no_country_rate").drop_nulls()
        if rates.height:
            worst = rates.sort("authorship_no_country_rate", descending=True).row(0)
            rows.append(
                (
                    "authorships without a country (worst year)",
                    float(worst[1]),
                    "share",
                    f"in {worst[0]}",
                )
            )
    unmatched = _ratio(yearly, "channel_unmatched_works", "works")
    rows.append(
        (
            "channels not in the register",
            unmatched,
            "share",
            "no ISSN of the source in the register for the work's year"
            if unmatched is not None
            else "unavailable: no register given (--register)",
        )
    )
    partial = yearly.filter(pl.col("partial"))["year"].to_list() if yearly.height else []
    rows.append(
        (
            "incomplete years",
            float(len(partial)),
            "years",
            ", ".join(str(y) for y in partial) or "none",
        )
    )
    return pl.DataFrame(rows, schema=_SCHEMA, orient="row")


def coverage_by_year(yearly: pl.DataFrame) -> pl.DataFrame:
    """Per-year coverage: ``year, works, partial, country_missing_share,
    authorship_no_country_rate, channel_unmatched_share``."""
    wanted = [
        "year",
        "works",
        "partial",
        "country_missing_share",
        "authorship_no_country_rate",
        "channel_unmatched_share",
    ]
    return yearly.select([c for c in wanted if c in yearly.columns])


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def quality_line(quality: pl.DataFrame) -> str:
    """The terminal's one-line data-quality summary.

    Examples
    --------
    >>> yearly = pl.DataFrame({"year": [2020], "works": [10], "partial": [False],
    ...     "authorship_no_country_rate": [0.02], "country_missing_works": [1]})
    >>> quality_line(quality_table(yearly, Provenance())).split("; ")[0]
    'Data quality: 10.0% of works not provably domestic'
    """
    values = {row[0]: row[1] for row in quality.select("check", "value").iter_rows()}

    def count(name: str) -> str:
        value = values.get(name)
        return "n/a" if value is None else f"{int(value):,}"

    missing = values.get("works not provably domestic")
    parts = [f"{_percent(missing)} of works not provably domestic"]
    worst = values.get("authorships without a country (worst year)")
    if worst is not None:
        parts.append(f"{_percent(worst)} of authorships without country (worst year)")
    coverage = values.get("works received of those counted by OpenAlex")
    if coverage is not None:
        parts.append(f"{_percent(coverage)} of counted works received")
    parts += [
        f"channels unmatched {_percent(values.get('channels not in the register'))}",
        f"duplicates removed {count('duplicates removed')}",
        f"truncated works completed {count('truncated works completed')}",
    ]
    return "Data quality: " + "; ".join(parts)
